"""The client works on pages without <head> or <body>, and inside iframes."""

from .conftest import html_page

FAILING_BUILD = ("if grep -q BROKEN src/app.css; then echo 'app.css: BROKEN <b>here</b>' >&2; exit 1; fi; "
                 "mkdir -p dist && cp -r src/. dist/")


def test_a_page_without_head_or_body_gets_stylesheet_swaps_and_the_overlay(site, page):
    bare = '<link rel="stylesheet" href="app.css"><h1>bare</h1>\n'  # no <html>, <head> or <body> at all
    s = site({"index.html": bare, "app.css": "h1 { color: rgb(255, 0, 0) }\n"}, build=FAILING_BUILD)
    page.open(s.url())
    page.set_marker()
    s.change({"app.css": "h1 { color: rgb(0, 0, 255) }\n"})
    page.wait_color("rgb(0, 0, 255)", selector="h1")
    s.fail({"app.css": "h1 { color: rgb(0, 128, 0) } /* BROKEN */\n"})
    shown = page.wait_overlay("BROKEN <b>here</b>")
    assert shown["parentIsRoot"]
    s.change({"app.css": "h1 { color: rgb(0, 128, 0) }\n"})
    page.wait_no_overlay()
    page.wait_color("rgb(0, 128, 0)", selector="h1")
    assert page.has_marker()


def test_a_page_in_an_iframe_keeps_itself_current_and_the_parent_is_untouched(site, page):
    s = site({"index.html": html_page('<h1>parent</h1><iframe id="f" src="inner.html"></iframe>'),
              "inner.html": html_page("<h1>inner</h1>", head='<link rel="stylesheet" href="inner.css">'),
              "inner.css": "h1 { color: rgb(255, 0, 0) }\n"})
    page.open(s.url())
    frame = "document.getElementById('f').contentWindow"
    page.wait(f"{frame}.hmr && {frame}.hmr.status().connected", what="the iframe's client to connect")
    page.set_marker()
    page.run(f"{frame}.__marker = 1;")
    s.change({"inner.css": "h1 { color: rgb(0, 0, 255) }\n"})
    page.wait(f"{frame}.getComputedStyle({frame}.document.querySelector('h1')).color === 'rgb(0, 0, 255)'",
              what="the iframe's stylesheet to be swapped")
    assert page.js(f"{frame}.__marker") == 1, "the iframe was reloaded"
    assert page.has_marker(), "the parent page was reloaded"
