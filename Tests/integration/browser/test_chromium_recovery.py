"""The client reopens a stream the browser gave up on (a 503 from --max-clients)."""

from .conftest import html_page


def test_a_page_refused_with_503_connects_once_a_slot_frees_up(site, page):
    s = site({"index.html": html_page("<h1>hi</h1>"), "app.css": "h1 { color: red }\n"},
             extra=["--max-clients", "1"])
    holder = s.daemon.stream()  # takes the only slot, so the page's EventSource gets 503 and gives up
    try:
        page.open(s.url(), connected=False)
        page.wait("typeof window.hmr?.status === 'function'", what="the client to boot")
        page.stays("window.hmr.status().connected === false", 1.0, "the page staying refused while the slot is taken")
    finally:
        holder.close()
    page.wait_connected(timeout=15)
    assert s.status()["clients"] == 1
    new_hash = s.change({"index.html": html_page("<h1>after</h1>")})
    page.wait("document.querySelector('h1') && document.querySelector('h1').textContent === 'after'",
              what="the reloaded page after the build")
    page.wait_hash(new_hash)
