"""Stylesheets are swapped in place: restyled, no reload, never unstyled in between."""

from .conftest import BLACK, html_page

RED = "rgb(255, 0, 0)"
BLUE = "rgb(0, 0, 255)"
LINKED = html_page("<h1>styled</h1>", '<link rel="stylesheet" href="app.css">')


def test_a_changed_stylesheet_restyles_the_page_without_a_reload(site, page):
    s = site({"index.html": LINKED, "app.css": f"body {{ color: {RED} }}\n"})
    page.open(s.url())
    page.wait_color(RED)
    page.set_marker()
    assert page.stylesheet_hrefs() == [s.url("/app.css")]

    new_hash = s.change({"app.css": f"body {{ color: {BLUE} }}\n"})

    page.wait_hash(new_hash)
    page.wait_color(BLUE)
    page.wait("document.querySelectorAll('link[rel=stylesheet]').length === 1", what="the old <link> to be removed")
    assert page.stylesheet_hrefs() == [s.url(f"/app.css?hmr={new_hash}")]
    assert page.has_marker(), "the page reloaded"


def test_the_old_stylesheet_stays_until_the_new_one_has_loaded(site, page):
    s = site({"index.html": LINKED, "app.css": f"body {{ color: {RED} }}\n"})
    page.open(s.url())
    page.wait_color(RED)
    page.set_marker()
    # Sample the computed colour and the number of stylesheet links at every frame and
    # after every DOM mutation (a removed <link> is seen before the next paint).
    page.run("""
        window.__samples = [];
        const sample = (why) => window.__samples.push({t: performance.now(), why,
            color: getComputedStyle(document.body).color,
            links: document.querySelectorAll('link[rel=stylesheet]').length});
        window.__observer = new MutationObserver(() => sample('mutation'));
        window.__observer.observe(document.documentElement, {childList: true, subtree: true, attributes: true});
        (function frame() { sample('frame'); if (!window.__stop) requestAnimationFrame(frame); })();
    """)
    page.wait("window.__samples.filter((s) => s.why === 'frame').length >= 3", what="the frame sampler to run")
    # Every request the tab starts from now on takes 400 ms more: the new stylesheet arrives late.
    page.driver.execute_cdp_cmd("Network.enable", {})
    page.driver.execute_cdp_cmd("Network.emulateNetworkConditions", {
        "offline": False, "latency": 400, "downloadThroughput": -1, "uploadThroughput": -1})
    try:
        new_hash = s.change({"app.css": f"body {{ color: {BLUE} }}\n"})
        page.wait_hash(new_hash)
        page.wait_color(BLUE)
        page.wait("document.querySelectorAll('link[rel=stylesheet]').length === 1", what="the old <link> to be removed")
    finally:
        page.driver.execute_cdp_cmd("Network.emulateNetworkConditions", {
            "offline": False, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1})
    samples = page.js("(window.__stop = true, window.__observer.disconnect(), window.__samples)")

    colors = {s["color"] for s in samples}
    assert BLACK not in colors, f"the page was unstyled at some point: {[s for s in samples if s['color'] == BLACK][:5]}"
    assert colors <= {RED, BLUE}, colors
    both = [s["t"] for s in samples if s["links"] == 2]
    assert both, f"the old and the new <link> never existed together: {samples[-10:]}"
    # While the new stylesheet was on its way (400 ms), the old one kept styling the page.
    old_styling = [s["t"] for s in samples if s["links"] == 2 and s["color"] == RED]
    assert old_styling and max(old_styling) - min(old_styling) >= 200, \
        f"the old stylesheet styled the page, next to the loading new one, for too short a time: {samples}"
    assert samples[-1]["color"] == BLUE and samples[-1]["links"] == 1
    assert page.has_marker(), "the page reloaded"


def test_a_changed_imported_stylesheet_restyles_the_page_without_a_reload(site, page):
    s = site({
        "index.html": html_page("<h1>styled</h1>", '<link rel="stylesheet" href="main.css">'),
        "main.css": '@import url("imported.css");\nh1 { font-style: italic }\n',
        "imported.css": f"body {{ color: {RED} }}\n",
    })
    page.open(s.url())
    page.wait_color(RED)
    page.set_marker()

    new_hash = s.change({"imported.css": f"body {{ color: {BLUE} }}\n"})

    page.wait_hash(new_hash)
    page.wait_color(BLUE)
    assert page.color("h1", "fontStyle") == "italic", "the importing stylesheet's own rules were lost"
    assert page.has_marker(), "the page reloaded"
    imports = page.js("""Array.from(document.styleSheets).flatMap((sheet) => Array.from(sheet.cssRules))
                             .filter((rule) => rule instanceof CSSImportRule).map((rule) => rule.href)""")
    assert any("imported.css" in href and f"hmr={new_hash}" in href for href in imports), imports
