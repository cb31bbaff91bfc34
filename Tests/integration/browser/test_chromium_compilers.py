"""Hot module replacement for real compilers' output, in real Chromium: TypeScript
sources built per file by Debian's `tsc` (ES2020 modules) and by `esbuild` (a
transform to ESM, no bundle), served by `hmrd --serve`. Editing a leaf module runs
its new code through the parent that accepts it, with the parent's state kept in
`import.meta.hot.data` and no reload; editing the entry script reloads.

The sources are typed against client/hmr-client.d.ts, as a user's would be. Skipped
only when tsc or esbuild is missing (scripts/test installs both).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from .conftest import html_page

ROOT = Path(__file__).resolve().parents[3]
TYPES = (ROOT / "client/hmr-client.d.ts").read_text()

PAGE = html_page('<p id="out">not run</p><button id="more">more</button>'
                 '<script type="module" src="/main.js"></script>')

MAIN_TS = """import { describe } from './view.js';

// Clicks survive an update of the modules below: they live in hot.data.
const hot = import.meta.hot;
let clicks: number = hot?.data.clicks ?? 0;
const out = document.getElementById('out') as HTMLElement;
const render = (text: string): void => { out.textContent = text + ' / clicks ' + clicks; };
render(describe());
(document.getElementById('more') as HTMLElement).addEventListener('click', () => {
  clicks += 1;
  if (hot) hot.data.clicks = clicks;
  render(describe());
});
(window as any).__mainRuns = ((window as any).__mainRuns ?? 0) + 1;
if (hot) {
  hot.accept('./view.js', (next) => {
    if (next) render(next.describe());
  });
}
"""
VIEW_TS = """import { word } from './word.js';
export function describe(): string { return 'the word is ' + word; }
"""


def word_ts(word: str) -> str:
    return f"export const word: string = {word!r};\n"


TSCONFIG = """{
  "compilerOptions": { "module": "es2020", "target": "es2020", "outDir": "../dist", "rootDir": ".",
                       "sourceMap": true, "strict": true, "lib": ["es2020", "dom"] },
  "include": ["*.ts"]
}
"""


def sources() -> dict[str, str]:
    return {"index.html": PAGE, "main.ts": MAIN_TS, "view.ts": VIEW_TS, "word.ts": word_ts("one"),
            "hmr-client.d.ts": TYPES}


def require(tool: str):
    if shutil.which(tool) is None:
        pytest.skip(f"{tool} is not installed (scripts/test installs it)")


def check_hot_update(s, page, *, reload_source: str):
    page.open(s.url())
    page.wait("document.getElementById('out').textContent === 'the word is one / clicks 0'", what="the first render")
    page.run("document.getElementById('more').click(); document.getElementById('more').click();")
    page.wait("document.getElementById('out').textContent === 'the word is one / clicks 2'")
    page.set_marker()

    second = s.change({"word.ts": word_ts("two")}, timeout=30)
    page.wait_hash(second, timeout=15)
    page.wait("document.getElementById('out').textContent === 'the word is two / clicks 2'",
              what="main.ts's accept callback with the new view and the clicks kept")
    assert page.has_marker(), "the page reloaded"
    assert page.js("window.__mainRuns") == 1, "the accepting parent ran again"

    page.run("document.getElementById('more').click();")
    third = s.change({"word.ts": word_ts("three")}, timeout=30)
    page.wait_hash(third, timeout=15)
    page.wait("document.getElementById('out').textContent === 'the word is three / clicks 3'",
              what="a second update, the count from hot.data")
    assert page.has_marker() and page.js("window.__mainRuns") == 1

    s.change({"main.ts": reload_source}, timeout=30)
    page.wait("window.__marker === undefined && document.getElementById('out').textContent.startsWith('THE WORD')",
              what="a reload for the entry script nobody accepts", timeout=15)


def test_tsc_output_updates_in_place_and_keeps_state(site, page):
    require("tsc")
    s = site({**sources(), "tsconfig.json": TSCONFIG},
             build="tsc -p src && cp src/index.html dist/")
    served = page.open(s.url()) and page.js("fetch('/view.js').then((r) => r.text())")
    assert "from './word.js?v=" in served, served
    assert served.rstrip().endswith("//# sourceMappingURL=view.js.map"), "the source map comment must stay last"
    check_hot_update(s, page, reload_source=MAIN_TS.replace("render(describe());\n(document",
                                                             "render(describe().toUpperCase());\n(document"))


def test_esbuild_output_updates_in_place_and_keeps_state(site, page):
    require("esbuild")
    s = site(sources(), build="esbuild src/main.ts src/view.ts src/word.ts --outdir=dist --format=esm --log-level=warning"
                              " && cp src/index.html dist/")
    check_hot_update(s, page, reload_source=MAIN_TS.replace("render(describe());\n(document",
                                                             "render(describe().toUpperCase());\n(document"))
