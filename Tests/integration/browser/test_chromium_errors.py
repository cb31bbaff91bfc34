"""A failing build shows an overlay (open shadow root, build text escaped); the next good build clears it."""

from .conftest import html_page

RED = "rgb(255, 0, 0)"
BLUE = "rgb(0, 0, 255)"
#: Fails, printing src/fail.txt, while that file exists.
FAILING_BUILD = "if [ -f src/fail.txt ]; then cat src/fail.txt; exit 1; fi; mkdir -p dist && cp -r src/. dist/"
HOSTILE = ("\x1b[31merror\x1b[0m: broken at \x1b[1mapp.css:3\x1b[0m\n"
           "<script>window.__pwned=1</script>\n"
           '<img src=x onerror="window.__pwned=1">\n')


def test_a_failing_build_shows_an_escaped_overlay_that_escape_dismisses_and_a_good_build_clears(site, page):
    s = site({"index.html": html_page("<h1>home</h1>", '<link rel="stylesheet" href="app.css">'),
              "app.css": f"body {{ color: {RED} }}\n"}, build=FAILING_BUILD)
    page.open(s.url())
    page.wait_color(RED)
    page.set_marker()
    good_hash = s.hash()

    # A failing build: the overlay shows its output, as text.
    s.fail({"fail.txt": HOSTILE})
    overlay = page.wait_overlay("broken at")
    text, html = overlay["text"], overlay["html"]
    assert "error: broken at app.css:3" in text, text
    assert "<script>window.__pwned=1</script>" in text, "the build output's markup is not shown as text"
    assert '<img src=x onerror="window.__pwned=1">' in text, text
    assert "\x1b" not in text, "ANSI escapes were shown raw"
    assert "<span" in html, "ANSI colours were not rendered as spans"
    assert page.js("""(() => { const pre = document.querySelector('hmrd-overlay').shadowRoot.querySelector('pre');
                               return pre.querySelectorAll('script, img').length; })()""") == 0
    assert overlay["parentIsRoot"], "the overlay is not a child of document.documentElement"
    assert page.status()["state"] == "error"
    assert page.status()["hash"] == good_hash

    # Escape dismisses it.
    page.press_escape()
    page.wait_no_overlay(timeout=5)

    # Failing again (a stylesheet edit in the same batch): the overlay is back, nothing applied.
    s.fail({"fail.txt": HOSTILE + "second failure\n", "app.css": f"body {{ color: {BLUE} }}\n"})
    page.wait_overlay("second failure")
    assert page.color() == RED, "a failed build's stylesheet was applied"
    assert page.status()["hash"] == good_hash

    # Fixing the build: the overlay goes and the stylesheet edit made meanwhile applies, without a reload.
    new_hash = s.change(remove=["fail.txt"])
    page.wait_hash(new_hash)
    page.wait_no_overlay()
    page.wait_color(BLUE)
    assert page.status()["state"] == "idle"
    assert page.has_marker(), "the page reloaded"
    assert page.js("window.__pwned") is None, "markup from the build output ran"
