"""The sites the `modules` scenario (modules.py) measures, written as a build would leave
them in an out dir. It measures nothing.

A graph of exactly 2,000 ES modules, seven levels deep, shaped like an app's:

    main.js                                  the entry (index.html loads it), imports the 20 features
    features/fNN/index.js          (20)      a feature: its 4 sections and a shared util
    features/fNN/sK/index.js       (80)      a section: its 4 groups; import.meta.hot.accept()s them
    features/fNN/sK/gJ.js          (320)     a group: its 4 or 5 leaves and a shared util
    features/fNN/sK/gJ/lM.js       (1,539)   a leaf component: 1 or 2 shared utils (70-99 importers
                                             each); l0 and l3 of each group (640) have an
                                             import.meta.hot.dispose()
    shared/uNN.js                  (30)      utils: 1 or 2 base modules each
    shared/base/bN.js              (10)      the bottom

Modules are 0.3-1.2 KB of ordinary code: template literals, regular expressions and a
comment that mentions an import, which the daemon's lexer must tell from real ones.
A leaf's importer's importer (its section) accepts it, so an edited leaf reaches a
module two levels up that is not the entry. Beside them, notes/nNN.txt (plain files
of a leaf's size) and one notes.txt next to the measured leaf, for references.

And a page of ~5,000 elements (sections of lists, forms and tables) for the HTML morph.
"""

from __future__ import annotations

import random
from html.parser import HTMLParser
from pathlib import Path

MODULES = 2000
FEATURES, SECTIONS, GROUPS = 20, 4, 4  # per app, per feature, per section
UTILS, BASES = 30, 10
LEAVES = MODULES - 1 - FEATURES - FEATURES * SECTIONS - FEATURES * SECTIONS * GROUPS - UTILS - BASES  # 1,539
NOTES = 40  # plain .txt files beside the modules
SEED = 13  # issue 13

# The leaf that is edited, its group (the importer) and its section (the importer's importer).
LEAF = "features/f07/s2/g1/l3.js"
GROUP = "features/f07/s2/g1.js"
SECTION = "features/f07/s2/index.js"
LEAF_NOTE = "features/f07/s2/g1/notes.txt"

# The morph page: sections of a list, a form and a table each. Edited: the text of one
# item's label and the title of another item's link, deep in the page (section, item).
MORPH_SECTIONS, MORPH_ITEMS = 48, 12
MORPH_TEXT_AT, MORPH_ATTR_AT = (24, 6), (31, 3)
MORPH_TEXT = f"#s{MORPH_TEXT_AT[0]} li:nth-child({MORPH_TEXT_AT[1] + 1}) .label"  # its textContent
MORPH_ATTR = (f"#s{MORPH_ATTR_AT[0]} li:nth-child({MORPH_ATTR_AT[1] + 1}) a", "title")  # element, attribute


def leaves_in_group(index: int) -> int:
    """4 or 5: the first LEAVES - 4 * groups groups get a fifth leaf."""
    groups = FEATURES * SECTIONS * GROUPS
    return 5 if index < LEAVES - 4 * groups else 4


def util(n: int) -> str:
    return f"shared/u{n:02d}.js"


def base_util(n: int) -> str:
    return f"shared/base/b{n}.js"


# ---------------------------------------------------------------- module sources


def base_source(n: int) -> str:
    return (f"// {base_util(n)}: formatting at the bottom of the graph.\n"
            f"export const BASE_{n} = {n * 7 + 3};\n"
            f"const SPACES = /\\s+/g;\n"
            f"export function squeeze{n}(text) {{\n"
            f"  return String(text == null ? '' : text).replace(SPACES, ' ').trim();\n"
            f"}}\n"
            f"export function pad{n}(value, width = {n + 4}) {{\n"
            f"  const s = `${{value}}`;\n"
            f"  return s.length >= width ? s : ' '.repeat(width - s.length) + s;\n"
            f"}}\n")


def util_source(n: int, rng: random.Random) -> str:
    bases = sorted(rng.sample(range(BASES), 1 + n % 2))
    imports = "".join(f"import {{ squeeze{b}, pad{b} }} from './base/b{b}.js';\n" for b in bases)
    b = bases[0]
    return (f"// {util(n)}: shared by many leaves.\n{imports}"
            f"export function fmt(value) {{ return squeeze{b}(`[${{pad{b}(value)}}]`); }}\n"
            f"export function clamp(x, lo = 0, hi = {40 + n}) {{ return Math.min(hi, Math.max(lo, x)); }}\n"
            f"export const U{n} = Object.freeze({{ name: 'u{n:02d}', weight: {n / 10:.1f} }});\n")


def leaf_body(key: str, utils: list[int], hot: bool, value: str) -> str:
    depth = key.count("/")
    up = "../" * depth
    imports = "".join(f"import {{ fmt as fmt{u}, clamp as clamp{u} }} from '{up}{util(u)}';\n" for u in utils)
    u = utils[0]
    name = key[len("features/"):-len(".js")].replace("/", "-")
    text = (f"// {key}: a leaf component. (Not an import: import x from './nowhere.js'.)\n{imports}"
            f"const NAME = '{name}';\n"
            f"export const value = {value!r};\n"
            f"export const meta = {{ name: NAME, tags: ['leaf', `d${{{depth}}}`], pattern: /^{name}-\\d+$/ }};\n"
            f"export function render(state = {{}}) {{\n"
            f"  const title = fmt{u}(state.title || NAME);\n"
            f"  const width = clamp{u}(title.length * 2);\n"
            f"  return `<div class=\"leaf\" style=\"width:${{width}}ch\">${{title}} ${{value}}</div>`;\n"
            f"}}\n")
    if hot:
        text += "if (import.meta.hot) {\n  import.meta.hot.dispose((data) => { data.last = NAME; });\n}\n"
    return text


def stamped_leaf(value: int, salt: str, utils: tuple[int, ...] = (3, 17)) -> str:
    """The edited leaf at save `value`: distinct content, and when its new instance runs it
    stamps the page's clock (performance.timeOrigin + performance.now()) into the bench's
    recorder, with whether the page had finished loading (a load's run is no hot update)."""
    stamp = (f"const STAMP = performance.timeOrigin + performance.now();\n"
             f"if (window.__bench) window.__bench.runs.push({{ value: {value}, t: STAMP,"
             f" hot: window.__benchMainRan === true }});\n")
    return stamp + leaf_body(LEAF, list(utils), True, f"save {value} {salt}")


def group_source(key: str, leaves: list[str], u: int) -> str:
    name = key.rsplit("/", 1)[1][:-3]
    imports = "".join(f"import * as l{i} from './{name}/{leaf.rsplit('/', 1)[1]}';\n" for i, leaf in enumerate(leaves))
    names = ", ".join(f"l{i}" for i in range(len(leaves)))
    return (f"// {key}: a group of leaves.\n{imports}"
            f"import {{ fmt }} from '../../../{util(u)}';\n"
            f"export const leaves = [{names}];\n"
            f"export function render(state) {{\n"
            f"  return leaves.map((leaf) => leaf.render(state)).join('\\n') + fmt('{name}');\n"
            f"}}\n")


def section_source(key: str, groups: list[str]) -> str:
    """A section accepts its groups: an edited leaf is taken two levels up, here."""
    imports = "".join(f"import * as g{i} from './{g.rsplit('/', 1)[1]}';\n" for i, g in enumerate(groups))
    names = ", ".join(f"g{i}" for i in range(len(groups)))
    deps = ", ".join(f"'./{g.rsplit('/', 1)[1]}'" for g in groups)
    section = key[len("features/"):-len("/index.js")]
    return (f"// {key}: a section, which takes its groups' updates in place.\n{imports}"
            f"let groups = [{names}];\n"
            f"export function render(state) {{ return groups.map((g) => g.render(state)).join(''); }}\n"
            f"if (import.meta.hot) {{\n"
            f"  import.meta.hot.accept([{deps}], (next) => {{\n"
            f"    groups = groups.map((g, i) => next[i] || g);\n"
            f"    if (window.__bench) window.__bench.accepted.push("
            f"{{ section: '{section}', t: performance.timeOrigin + performance.now() }});\n"
            f"  }});\n"
            f"}}\n")


def feature_source(key: str, sections: list[str], u: int) -> str:
    imports = "".join(f"import * as s{i} from './{s[len(key) - len('index.js'):]}';\n" for i, s in enumerate(sections))
    names = ", ".join(f"s{i}" for i in range(len(sections)))
    return (f"// {key}: a feature of the app.\n{imports}"
            f"import {{ U{u} }} from '../../{util(u)}';\n"
            f"export const sections = [{names}];\n"
            f"export const weight = U{u}.weight;\n"
            f"export function render(state) {{ return sections.map((s) => s.render(state)).join(''); }}\n")


def main_source(features: list[str]) -> str:
    imports = "".join(f"import * as f{i} from './{f}';\n" for i, f in enumerate(features))
    names = ", ".join(f"f{i}" for i in range(len(features)))
    return (f"// main.js: the entry; nothing accepts it, so an update reaching it would reload.\n{imports}"
            f"const features = [{names}];\n"
            f"document.getElementById('app').textContent = features.length + ' features';\n"
            f"window.__benchMainRanAt = performance.now();  // ms since the navigation started\n"
            f"window.__benchMainRan = true;\n")


PAGE = ("<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>2,000 modules</title></head>\n"
        "<body><div id=\"app\">loading</div>\n<script type=\"module\" src=\"/main.js\"></script>\n</body></html>\n")


def make_site(out: Path) -> dict[str, str]:
    """Writes the 2,000-module site into `out`; returns {key: source} of its modules."""
    rng = random.Random(SEED)
    files: dict[str, str] = {}
    for n in range(BASES):
        files[base_util(n)] = base_source(n)
    for n in range(UTILS):
        files[util(n)] = util_source(n, rng)
    features, group_index = [], 0
    for f in range(FEATURES):
        feature = f"features/f{f:02d}/index.js"
        features.append(feature)
        sections = []
        for s in range(SECTIONS):
            section = f"features/f{f:02d}/s{s}/index.js"
            sections.append(section)
            groups = []
            for g in range(GROUPS):
                group = f"features/f{f:02d}/s{s}/g{g}.js"
                groups.append(group)
                leaves = []
                for m in range(leaves_in_group(group_index)):
                    leaf = f"features/f{f:02d}/s{s}/g{g}/l{m}.js"
                    leaves.append(leaf)
                    utils = sorted(rng.sample(range(UTILS), 1 + (m % 2)))
                    files[leaf] = leaf_body(leaf, utils, hot=(m % 3 == 0), value=f"v0 {m}")
                files[group] = group_source(group, leaves, rng.randrange(UTILS))
                group_index += 1
            files[section] = section_source(section, groups)
        files[feature] = feature_source(feature, sections, rng.randrange(UTILS))
    files["main.js"] = main_source(features)
    files[LEAF] = stamped_leaf(0, "initial")
    if len(files) != MODULES:
        raise AssertionError(f"module_site made {len(files)} modules, not {MODULES}")
    for key, text in files.items():
        path = out / key
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    (out / "index.html").write_text(PAGE)
    note = "plain text, no imports: a note the size of a leaf.\n" * 12
    (out / "notes").mkdir(parents=True, exist_ok=True)
    for n in range(NOTES):
        (out / "notes" / f"n{n:02d}.txt").write_text(f"note {n}\n" + note)
    (out / LEAF_NOTE).write_text(note)
    return {key: text for key, text in files.items()}


# ---------------------------------------------------------------- the morph page


def morph_page(rev: int) -> str:
    """~5,000 elements; `rev` changes one text node (MORPH_TEXT) and one attribute (MORPH_ATTR)."""
    text, attr = morph_expected(rev)
    parts = ["<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>5,000 elements</title>\n"
             "<style>body { font: 14px sans-serif } .card { margin: 1em 0 } td { padding: 2px 6px }</style>\n"
             "</head>\n<body>\n<header><nav><ul>"]
    parts += [f"<li><a href=\"#s{s}\">Section {s}</a></li>" for s in range(MORPH_SECTIONS)]
    parts.append("</ul></nav></header>\n<main>\n")
    for s in range(MORPH_SECTIONS):
        parts.append(f"<section id=\"s{s}\" class=\"card\"><h2>Section {s}</h2>"
                     f"<p>Some <em>text</em> about section {s}, <strong>bold</strong> in places.</p>\n<ul class=\"list\">")
        for i in range(MORPH_ITEMS):
            label = text if (s, i) == MORPH_TEXT_AT else f"Item {s}.{i}"
            title = attr if (s, i) == MORPH_ATTR_AT else f"open {s}.{i}"
            parts.append(f"<li class=\"item\"><span class=\"label\">{label}</span> "
                         f"<a href=\"#s{s}-{i}\" title=\"{title}\">open</a> <small>{i * 3} KB</small></li>")
        parts.append(f"</ul>\n<form class=\"f\"><fieldset><legend>Form {s}</legend>")
        parts += [f"<label>Field {k} <input name=\"f{k}\" value=\"value {k}\"></label>" for k in range(4)]
        parts.append("<select name=\"pick\"><option>one</option><option>two</option><option>three</option></select>"
                     "<textarea name=\"notes\">notes</textarea><button type=\"button\">Save</button></fieldset></form>\n"
                     "<table><thead><tr><th>a</th><th>b</th><th>c</th></tr></thead><tbody>")
        parts += [f"<tr><td>{r}</td><td>{r * s}</td><td>{s - r}</td></tr>" for r in range(6)]
        parts.append("</tbody></table></section>\n")
    parts.append("</main>\n<footer><p>The end.</p></footer>\n</body></html>\n")
    return "".join(parts)


def morph_expected(rev: int) -> tuple[str, str]:
    """The edited text node's and attribute's values at `rev`."""
    (ts, ti), (as_, ai) = MORPH_TEXT_AT, MORPH_ATTR_AT
    return f"Item {ts}.{ti} (rev {rev})", f"open {as_}.{ai} (rev {rev})"


def count_elements(html: str) -> int:
    class Counter(HTMLParser):
        n = 0

        def handle_starttag(self, tag, attrs):
            self.n += 1

    counter = Counter()
    counter.feed(html)
    return counter.n
