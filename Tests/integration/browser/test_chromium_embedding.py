"""Where the client is included: from another origin, and twice on one page."""

from .conftest import clients_of, free_port, html_page

RED = "rgb(255, 0, 0)"
BLUE = "rgb(0, 0, 255)"


def test_a_page_from_another_origin_including_the_client_from_hmrd_gets_updates(site, page, static_server):
    port = free_port()
    tag = f'<script src="http://127.0.0.1:{port}/__hmr/client.js"></script>'
    s = site({"index.html": html_page("<h1>elsewhere</h1>" + tag, '<link rel="stylesheet" href="app.css">'),
              "app.css": f"body {{ color: {RED} }}\n"}, serve=False, port=port)
    server = static_server(s.dist)
    page.open(server.url())
    page.wait_color(RED)
    page.set_marker()
    assert page.js("location.origin") == f"http://127.0.0.1:{server.port}"

    new_hash = s.change({"app.css": f"body {{ color: {BLUE} }}\n"})

    page.wait_hash(new_hash)
    page.wait_color(BLUE)
    page.wait("document.querySelectorAll('link[rel=stylesheet]').length === 1", what="the old <link> to be removed")
    assert page.stylesheet_hrefs() == [server.url(f"/app.css?hmr={new_hash}")]
    assert page.has_marker(), "the page reloaded"


#: Counts EventSources the page creates (runs before any include).
COUNT_STREAMS = """<script>
  window.__streams = 0;
  window.EventSource = class extends window.EventSource {
    constructor(...args) { super(...args); window.__streams += 1; }
  };
</script>"""


def test_a_client_included_twice_opens_one_stream(site, page):
    # The page's own include plus the one hmrd --serve injects before </body>.
    s = site({"index.html": html_page('<h1>twice</h1><script src="/__hmr/client.js"></script>',
                                      COUNT_STREAMS + '<link rel="stylesheet" href="app.css">'),
              "app.css": f"body {{ color: {RED} }}\n"})
    page.open(s.url())
    page.wait_color(RED)
    page.set_marker()
    assert page.js("document.querySelectorAll('script[src*=\"/__hmr/client.js\"]').length") == 2

    page.stays("window.__streams === 1", 0.5, "one EventSource")
    assert clients_of(s.port) == 1

    new_hash = s.change({"app.css": f"body {{ color: {BLUE} }}\n"})
    page.wait_hash(new_hash)
    page.wait_color(BLUE)
    page.wait("document.querySelectorAll('link[rel=stylesheet]').length === 1", what="one stylesheet after the swap")
    assert page.js("window.__streams") == 1
    assert clients_of(s.port) == 1
    assert page.has_marker()
