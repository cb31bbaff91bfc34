"""While a build runs the page shows a small rebuilding indicator (not with ?overlay=false)."""

from .conftest import free_port, html_page, put

RED = "rgb(255, 0, 0)"
BLUE = "rgb(0, 0, 255)"
#: Sleeps as many seconds as the (unwatched) file `delay` says, then copies.
SLOW_BUILD = "sleep $(cat delay 2>/dev/null || echo 0); mkdir -p dist && cp -r src/. dist/"
#: Records in the page whether an hmrd-indicator element ever existed, from every DOM mutation.
WATCH_INDICATOR = """
    window.__indicator = {seen: false, states: []};
    const look = () => {
      const present = !!document.querySelector('hmrd-indicator');
      if (present) window.__indicator.seen = true;
      window.__indicator.states.push(present);
    };
    new MutationObserver(look).observe(document.documentElement, {childList: true, subtree: true});
    look();
"""


def test_a_rebuilding_indicator_is_shown_while_a_slow_build_runs(site, page, tmp_path):
    s = site({"index.html": html_page("<h1>home</h1>", '<link rel="stylesheet" href="app.css">'),
              "app.css": f"body {{ color: {RED} }}\n"}, build=SLOW_BUILD)
    page.open(s.url())
    page.wait_color(RED)
    page.set_marker()
    page.run(WATCH_INDICATOR)
    assert page.js("document.querySelector('hmrd-indicator')") is None

    put(tmp_path / "delay", "1.5")
    out, _ = s.marks()
    s.write({"app.css": f"body {{ color: {BLUE} }}\n"})
    s.daemon.stdout.wait_for(r"\[hmrd\] building", since=out)
    page.wait("document.querySelector('hmrd-indicator') && window.hmr.status().state === 'building'",
              timeout=5, what="the indicator while the build runs")
    s.daemon.stdout.wait_for(r"\[hmrd\] built ", since=out)
    new_hash = s.hash()
    page.wait_hash(new_hash)
    page.wait("!document.querySelector('hmrd-indicator')", what="the indicator to go once the build is done")
    page.wait_color(BLUE)
    assert page.status()["state"] == "idle"
    assert page.has_marker(), "the page reloaded"


def test_no_indicator_is_shown_with_overlay_false(site, page, tmp_path, static_server):
    # Served by another server, so the page holds only its own include (hmrd --serve would add one).
    port = free_port()
    tag = f'<script src="http://127.0.0.1:{port}/__hmr/client.js?overlay=false"></script>'
    s = site({"index.html": html_page("<h1>home</h1>" + tag, '<link rel="stylesheet" href="app.css">'),
              "app.css": f"body {{ color: {RED} }}\n"}, build=SLOW_BUILD, serve=False, port=port)
    server = static_server(s.dist)
    page.open(server.url())
    page.wait_color(RED)
    page.run(WATCH_INDICATOR)

    put(tmp_path / "delay", "1")
    out, _ = s.marks()
    s.write({"app.css": f"body {{ color: {BLUE} }}\n"})
    s.daemon.stdout.wait_for(r"\[hmrd\] building", since=out)
    page.wait("window.hmr.status().state === 'building'", timeout=5, what="the page to know a build runs")
    s.daemon.stdout.wait_for(r"\[hmrd\] built ", since=out)
    page.wait_hash(s.hash())
    page.wait_color(BLUE)
    assert page.js("window.__indicator.seen") is False, "an hmrd-indicator appeared despite ?overlay=false"
