"""Hot module replacement for plain ES modules in real Chromium: hmrd versions each
served module's imports, and the client walks a change up the import graph to the
modules that accept it (Vite's `import.meta.hot`), with no bundler in between.

Hand-written modules here; test_chromium_compilers.py runs tsc's and esbuild's output.
Every test checks both what ran again and what did not: a page-global marker that a
reload would lose, and per-module counters of how often each module's body ran.
"""

from __future__ import annotations

from .conftest import html_page

PAGE = html_page('<p id="out">not run</p><script type="module" src="/main.js"></script>')


def runs(name: str) -> str:
    """A statement counting how often a module's body ran."""
    return f"window.__runs = window.__runs || {{}}; window.__runs[{name!r}] = (window.__runs[{name!r}] || 0) + 1;\n"


def ran(page) -> dict:
    return page.js("window.__runs || {}")


MAIN = runs("main") + """import { value } from './mid.js';
import { stamp } from './sibling.js';
const out = document.getElementById('out');
let count = import.meta.hot ? (import.meta.hot.data.count || 0) : 0;
function show(v) { out.textContent = v + ' #' + count; }
show(value);
window.__stamp = stamp;
if (import.meta.hot) {
  import.meta.hot.accept('./mid.js', (mod) => {
    count += 1;
    import.meta.hot.data.count = count;
    show(mod.value);
  });
}
"""
MID = runs("mid") + "import { leaf } from './leaf.js';\nexport const value = 'mid(' + leaf + ')';\n"
SIBLING = runs("sibling") + "export const stamp = {};\n"


def leaf(text: str) -> str:
    return runs("leaf") + f"""export const leaf = {text!r};
if (import.meta.hot) {{
  import.meta.hot.dispose((data) => {{ window.__disposed = (window.__disposed || 0) + 1; data.was = {text!r}; }});
}}
"""


def graph_site(site, **overrides):
    files = {"index.html": PAGE, "main.js": MAIN, "mid.js": MID, "leaf.js": leaf("one"), "sibling.js": SIBLING}
    files.update(overrides)
    return site(files)


def test_a_leaf_change_reaches_the_parent_two_levels_up_with_its_state_kept_and_no_reload(site, page):
    s = graph_site(site)
    page.open(s.url())
    page.wait("document.getElementById('out').textContent === 'mid(one) #0'", what="the first render")
    page.set_marker()
    stamp_before = page.run("window.__stampBefore = window.__stamp; return true;")
    assert stamp_before

    second = s.change({"leaf.js": leaf("two")})
    page.wait_hash(second)
    page.wait("document.getElementById('out').textContent === 'mid(two) #1'", what="the accepting parent's callback")
    assert page.has_marker(), "the page reloaded"
    assert ran(page) == {"main": 1, "mid": 2, "leaf": 2, "sibling": 1}, ran(page)
    assert page.js("window.__stamp === window.__stampBefore"), "the unchanged sibling lost its instance"
    assert page.js("window.__disposed") == 1, "leaf's dispose handler should run exactly once"

    third = s.change({"leaf.js": leaf("three")})
    page.wait_hash(third)
    page.wait("document.getElementById('out').textContent === 'mid(three) #2'", what="a second update, data kept")
    assert ran(page) == {"main": 1, "mid": 3, "leaf": 3, "sibling": 1}, ran(page)
    assert page.js("window.__disposed") == 2
    page.stays("window.__marker === 1", 0.3, "the page-global marker (no reload)")


def test_an_entry_script_change_nobody_accepts_reloads_the_page(site, page):
    s = graph_site(site)
    page.open(s.url())
    page.wait("document.getElementById('out').textContent === 'mid(one) #0'")
    page.set_marker()
    second = s.change({"main.js": MAIN.replace("' #' + count", "' ##' + count")})
    page.wait("window.__marker === undefined && document.getElementById('out').textContent === 'mid(one) ##0'",
              what="a reload running the new entry script")
    page.wait_hash(second)


def test_a_self_accepting_module_written_for_vite_runs_unchanged(site, page):
    counter = runs("counter") + """export let count = import.meta.hot && import.meta.hot.data.count !== undefined ? import.meta.hot.data.count : 0;
export const label = 'LABEL';
document.getElementById('out').textContent = label + ' ' + count;
window.__bump = () => { count += 1; document.getElementById('out').textContent = label + ' ' + count; };
if (import.meta.hot) {
  import.meta.hot.accept((mod) => { window.__acceptedWith = mod && mod.label; });
  import.meta.hot.dispose((data) => { data.count = count; });
}
"""
    main = runs("main") + "import './counter.js';\n"
    s = site({"index.html": PAGE, "main.js": main, "counter.js": counter})
    page.open(s.url())
    page.wait("document.getElementById('out').textContent === 'LABEL 0'")
    page.run("window.__bump(); window.__bump();")
    page.set_marker()
    second = s.change({"counter.js": counter.replace("'LABEL'", "'NEW'")})
    page.wait_hash(second)
    page.wait("document.getElementById('out').textContent === 'NEW 2'", what="the new version with the count kept")
    page.wait("window.__acceptedWith === 'NEW'", what="accept's callback with the new module")
    assert page.has_marker() and ran(page) == {"main": 1, "counter": 2}, ran(page)


def test_invalidate_bubbles_to_the_importer_that_accepts_the_module(site, page):
    mid = runs("mid") + """export const value = 'VALUE';
if (import.meta.hot) {
  import.meta.hot.accept(() => { window.__invalidated = (window.__invalidated || 0) + 1; import.meta.hot.invalidate('cannot'); });
}
"""
    main = runs("main") + """import { value } from './mid.js';
document.getElementById('out').textContent = value;
if (import.meta.hot) {
  import.meta.hot.accept('./mid.js', (mod) => { document.getElementById('out').textContent = 'parent got ' + mod.value; });
}
"""
    s = site({"index.html": PAGE, "main.js": main, "mid.js": mid})
    page.open(s.url())
    page.wait("document.getElementById('out').textContent === 'VALUE'")
    page.set_marker()
    s.change({"mid.js": mid.replace("'VALUE'", "'OTHER'")})
    page.wait("document.getElementById('out').textContent === 'parent got OTHER'", what="the importer's accept")
    assert page.js("window.__invalidated") == 1
    assert page.has_marker() and ran(page)["main"] == 1, ran(page)


def test_invalidate_that_bubbles_out_of_the_entry_reloads(site, page):
    mid = runs("mid") + """export const value = 'VALUE';
if (import.meta.hot) { import.meta.hot.accept(() => { import.meta.hot.invalidate(); }); }
"""
    main = runs("main") + "import { value } from './mid.js';\ndocument.getElementById('out').textContent = value;\n"
    s = site({"index.html": PAGE, "main.js": main, "mid.js": mid})
    page.open(s.url())
    page.wait("document.getElementById('out').textContent === 'VALUE'")
    page.set_marker()
    s.change({"mid.js": mid.replace("'VALUE'", "'OTHER'")})
    page.wait("window.__marker === undefined && document.getElementById('out').textContent === 'OTHER'",
              what="a reload")


def test_a_declined_module_reloads(site, page):
    mid = runs("mid") + """export const value = 'VALUE';
if (import.meta.hot) { import.meta.hot.decline(); }
"""
    main = runs("main") + """import { value } from './mid.js';
document.getElementById('out').textContent = value;
if (import.meta.hot) { import.meta.hot.accept('./mid.js', () => { window.__wrongly = true; }); }
"""
    s = site({"index.html": PAGE, "main.js": main, "mid.js": mid})
    page.open(s.url())
    page.wait("document.getElementById('out').textContent === 'VALUE'")
    page.set_marker()
    s.change({"mid.js": mid.replace("'VALUE'", "'OTHER'")})
    page.wait("window.__marker === undefined && document.getElementById('out').textContent === 'OTHER'",
              what="a reload")


def test_a_boundary_inside_an_import_cycle_takes_the_update(site, page):
    a = runs("a") + """import { b } from './b.js';
export const a = 'A';
export function show() { document.getElementById('out').textContent = a + b(); }
if (import.meta.hot) { import.meta.hot.accept((mod) => mod.show()); }
"""
    b = runs("b") + "import { a } from './a.js';\nexport function b() { return '+B1'; }\n"
    main = runs("main") + "import { show } from './a.js';\nshow();\n"
    s = site({"index.html": PAGE, "main.js": main, "a.js": a, "b.js": b})
    page.open(s.url())
    page.wait("document.getElementById('out').textContent === 'A+B1'")
    page.set_marker()
    s.change({"b.js": b.replace("+B1", "+B2")})
    page.wait("document.getElementById('out').textContent === 'A+B2'", what="the cycle's boundary re-run")
    assert page.has_marker() and ran(page)["main"] == 1, ran(page)


def test_a_cycle_with_no_boundary_reloads_rather_than_loops(site, page):
    a = runs("a") + "import { b } from './b.js';\nexport const a = () => 'A' + b();\n"
    b = runs("b") + "import { a } from './a.js';\nexport const b = () => '+B1';\n"
    main = runs("main") + "import { a } from './a.js';\ndocument.getElementById('out').textContent = a();\n"
    s = site({"index.html": PAGE, "main.js": main, "a.js": a, "b.js": b})
    page.open(s.url())
    page.wait("document.getElementById('out').textContent === 'A+B1'")
    page.set_marker()
    s.change({"b.js": b.replace("+B1", "+B2")})
    page.wait("window.__marker === undefined && document.getElementById('out').textContent === 'A+B2'",
              what="a reload")


def test_a_dynamically_imported_module_is_updated_in_place(site, page):
    lazy = runs("lazy") + """export const text = 'LAZY1';
if (import.meta.hot) { import.meta.hot.accept((mod) => { document.getElementById('out').textContent = mod.text; }); }
"""
    main = runs("main") + """import('./lazy.js').then((mod) => { document.getElementById('out').textContent = mod.text; });
"""
    s = site({"index.html": PAGE, "main.js": main, "lazy.js": lazy})
    page.open(s.url())
    page.wait("document.getElementById('out').textContent === 'LAZY1'")
    page.set_marker()
    s.change({"lazy.js": lazy.replace("LAZY1", "LAZY2")})
    page.wait("document.getElementById('out').textContent === 'LAZY2'", what="the lazy module's own accept")
    assert page.has_marker() and ran(page) == {"main": 1, "lazy": 2}, ran(page)


def test_a_change_to_a_module_the_page_never_loaded_does_nothing(site, page):
    s = graph_site(site, **{"other.js": runs("other") + "export const x = 1;\n"})
    page.open(s.url())
    page.wait("document.getElementById('out').textContent === 'mid(one) #0'")
    page.set_marker()
    second = s.change({"other.js": "export const x = 2;\n"})
    page.wait_hash(second)
    page.stays("window.__marker === 1", 0.5, "the page-global marker (no reload)")
    assert ran(page) == {"main": 1, "mid": 1, "leaf": 1, "sibling": 1}, ran(page)


def test_served_modules_carry_versions_that_move_only_up_from_a_change(site, page):
    s = graph_site(site)
    page.open(s.url())
    page.wait("document.getElementById('out').textContent === 'mid(one) #0'")
    graph = page.js("fetch('/__hmr/graph').then((r) => r.json())")
    assert set(graph["modules"]) == {"main.js", "mid.js", "leaf.js", "sibling.js"}, graph
    assert graph["modules"]["main.js"]["imports"] == ["mid.js", "sibling.js"]
    assert graph["modules"]["leaf.js"].get("hot") is True and "hot" not in graph["modules"]["mid.js"]
    s.change({"leaf.js": leaf("two")})
    after = page.js("fetch('/__hmr/graph').then((r) => r.json())")
    moved = {k for k in graph["modules"] if graph["modules"][k]["version"] != after["modules"][k]["version"]}
    assert moved == {"main.js", "mid.js", "leaf.js"}, moved
    main = page.js("fetch('/main.js').then((r) => r.text())")
    assert f"from './mid.js?v={after['modules']['mid.js']['version']}'" in main, main
    assert f"from './sibling.js?v={after['modules']['sibling.js']['version']}'" in main, main
    assert main.count("\n") == MAIN.count("\n"), "rewriting must not move lines (source maps)"
