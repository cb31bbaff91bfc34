"""Changed images are re-fetched in place (cache-busted with ?hmr=<hash>); the page does not reload."""

from .conftest import html_page, png

PAGE = html_page(
    '<img id="plain" src="plain.png">'
    '<img id="set" srcset="set.png 1x">'
    '<div id="ruled"></div>'
    '<div id="inline" style="width: 8px; height: 8px; background-image: url(inline.png)"></div>',
    '<link rel="stylesheet" href="app.css">')
CSS = "#ruled { width: 8px; height: 8px; background-image: url(ruled.png) }\n"

#: Everything the test looks at, in one round trip.
STATE = """({
  plainSrc: document.getElementById('plain').src,
  plainWidth: document.getElementById('plain').complete ? document.getElementById('plain').naturalWidth : -1,
  setSrcset: document.getElementById('set').getAttribute('srcset'),
  setCurrent: document.getElementById('set').currentSrc,
  setWidth: document.getElementById('set').complete ? document.getElementById('set').naturalWidth : -1,
  ruled: getComputedStyle(document.getElementById('ruled')).backgroundImage,
  inline: getComputedStyle(document.getElementById('inline')).backgroundImage,
  marker: window.__marker === 1,
})"""


def test_a_changed_img_src_srcset_and_css_background_image_are_reloaded_in_place(site, page):
    s = site({"index.html": PAGE, "app.css": CSS, "plain.png": png(2, 2), "set.png": png(2, 2),
              "ruled.png": png(2, 2), "inline.png": png(2, 2)})
    page.open(s.url())
    before = page.wait(f"(() => {{ const s = {STATE}; return s.plainWidth === 2 && s.setWidth === 2 ? s : null; }})()",
                       what="both images to load")
    assert "hmr=" not in before["plainSrc"] + before["setSrcset"] + before["ruled"] + before["inline"], before
    page.set_marker()

    new_hash = s.change({name: png(4, 4, (0, 0, 255)) for name in ("plain.png", "set.png", "ruled.png", "inline.png")})

    page.wait_hash(new_hash)
    busted = f"hmr={new_hash}"
    state = page.wait(f"""(() => {{ const s = {STATE};
        return s.plainWidth === 4 && s.setWidth === 4 && s.ruled.includes({busted!r}) && s.inline.includes({busted!r})
            ? s : null; }})()""", what="all four images to be re-fetched")
    assert state["plainSrc"] == s.url(f"/plain.png?{busted}")
    assert f"set.png?{busted} 1x" in state["setSrcset"] and "," not in state["setSrcset"], state
    assert state["setCurrent"] == s.url(f"/set.png?{busted}")
    assert s.url(f"/ruled.png?{busted}") in state["ruled"]
    assert s.url(f"/inline.png?{busted}") in state["inline"]
    page.stays("window.__marker === 1", 0.3, "the page-global marker (no reload)")
