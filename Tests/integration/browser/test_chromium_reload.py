"""Files the page does not use change nothing. (The page's own HTML: test_chromium_html.py.)"""

import pytest

from .conftest import html_page, png

RED = "rgb(255, 0, 0)"

UNUSED = {
    "other.html": (html_page("<p>another page</p>"), html_page("<p>another page, changed</p>")),
    "unused.css": ("p { color: green }\n", "p { color: blue }\n"),
    "unused.png": (png(2, 2), png(3, 3, (0, 255, 0))),
    "unused.js": ("export const a = 1;\n", "export const a = 2;\n"),
}


@pytest.mark.parametrize("name", list(UNUSED))
def test_a_changed_file_the_page_does_not_use_neither_reloads_nor_touches_the_page(site, page, name):
    before, after = UNUSED[name]
    s = site({"index.html": html_page("<h1>home</h1>", '<link rel="stylesheet" href="app.css">'),
              "app.css": f"body {{ color: {RED} }}\n", name: before})
    page.open(s.url())
    page.wait_color(RED)
    page.set_marker()

    new_hash = s.change({name: after})

    page.wait_hash(new_hash)
    page.stays("window.__marker === 1", 0.6, "the page-global marker (no reload)")
    assert page.stylesheet_hrefs() == [s.url("/app.css")], "an unrelated stylesheet was swapped"
    assert page.status()["state"] == "idle"
