"""JS modules that accept their own updates are re-imported; anything else reloads."""

from .conftest import html_page


def app_js(version: int) -> str:
    return f"""
const data = window.hmr.data;
data.count = (data.count || 0) + 1;
export const version = {version};
document.getElementById('out').textContent = 'v{version} count=' + data.count;
window.hmr.dispose('app.js', (d) => {{
  window.__disposed = (window.__disposed || []).concat({version});
  window.__disposeArg = typeof d;
}});
window.hmr.accept('app.js', (mod) => {{
  window.__accepted = (window.__accepted || []).concat([[{version}, mod && mod.version]]);
}});
"""


def test_an_accepted_module_is_reimported_with_hmr_data_kept_and_no_reload(site, page):
    s = site({"index.html": html_page('<p id="out">not run</p><script type="module" src="app.js"></script>'),
              "app.js": app_js(1)})
    page.open(s.url())
    page.wait("document.getElementById('out').textContent === 'v1 count=1'", what="version 1 to run")
    page.set_marker()

    second = s.change({"app.js": app_js(2)})
    page.wait_hash(second)
    page.wait("document.getElementById('out').textContent === 'v2 count=2'", what="version 2 to run with hmr.data kept")
    assert page.js("window.__disposed") == [1], "version 1's dispose handler did not run (once)"
    assert page.js("window.__disposeArg") == "object"
    page.wait("window.__accepted && window.__accepted.length === 1", what="version 1's accept callback")
    assert page.js("window.__accepted") == [[1, 2]], "the accept callback did not get the new module"
    scripts = page.js("Array.from(document.querySelectorAll('script[type=module]'), (s) => s.src)")
    assert scripts == [s.url("/app.js")], "the module script tag itself should not be touched"

    third = s.change({"app.js": app_js(3)})
    page.wait_hash(third)
    page.wait("document.getElementById('out').textContent === 'v3 count=3'", what="version 3 to run with hmr.data kept")
    page.wait("window.__accepted && window.__accepted.length === 2", what="version 2's accept callback")
    assert page.js("window.__disposed") == [1, 2]
    assert page.js("window.__accepted") == [[1, 2], [2, 3]]
    assert page.js("window.hmr.data.count") == 3
    page.stays("window.__marker === 1", 0.3, "the page-global marker (no reload)")


def test_a_changed_script_without_an_accept_handler_reloads_the_page(site, page):
    s = site({"index.html": html_page('<p id="out">not run</p><script src="plain.js"></script>'),
              "plain.js": "document.getElementById('out').textContent = 'one';\n"})
    page.open(s.url())
    page.wait("document.getElementById('out').textContent === 'one'")
    page.set_marker()

    new_hash = s.change({"plain.js": "document.getElementById('out').textContent = 'two';\n"})

    page.wait("window.__marker === undefined && document.getElementById('out').textContent === 'two'",
              what="a reload showing the new script's work")
    page.wait_connected()
    page.wait_hash(new_hash)
