"""scripts/demo's site does what the demo tells a newcomer to try, in a real browser.

The site is copied from scripts/demo-site and run with the demo's own flags; the
edits are the shell commands scripts/demo prints, run as printed.
"""

import re
import shutil
import subprocess
from pathlib import Path

from conftest import REPO

DEMO = REPO / "scripts" / "demo"


def demo_edits() -> dict[str, str]:
    """The example commands scripts/demo prints, keyed by the effect it promises."""
    text = DEMO.read_text()
    edits = {}
    for effect, command in re.findall(r"^ +# (.+)\n +((?:sed|echo) .+)$", text, re.M):
        edits[effect] = command.replace("\\$", "$")
    return edits


def run_edit(command: str, site: Path):
    subprocess.run(["bash", "-c", command.replace("$site", str(site))], check=True, timeout=10)


def test_the_demo_site_shows_every_kind_of_update_it_promises(hmrd, tmp_path, page):
    edits = demo_edits()
    assert len(edits) == 6, f"scripts/demo's example commands changed: {edits}"
    shutil.copytree(REPO / "scripts" / "demo-site", tmp_path, dirs_exist_ok=True)
    daemon = hmrd("--build", "make -s", "--watch", "src", "--out", "dist", "--serve", "dist", cwd=tmp_path)
    daemon.stdout.wait_for(r"\[hmrd\] built ", timeout=15)

    page.open(f"http://127.0.0.1:{daemon.port}/")
    page.wait("/Seconds on this page: \\d+/.test(document.getElementById('counter').textContent)",
              what="the counter module to run")
    page.set_marker()

    run_edit(edits["restyles in place"], tmp_path)
    page.wait_color("rgb(36, 113, 163)", selector="h1")

    run_edit(edits["swaps the image"], tmp_path)
    page.wait("document.querySelector('img').src.includes('?hmr=')", what="the logo to be swapped")

    run_edit(edits["replaces the module, keeps counting"], tmp_path)
    page.wait("/^Time on this page: \\d+/.test(document.getElementById('counter').textContent)",
              what="the new counter.js to replace the old one")
    assert page.js("window.hmr.data.seconds") >= 0

    run_edit(edits["breaks the build: an overlay says why"], tmp_path)
    shown = page.wait_overlay("src/style.css")
    assert "{" in shown["text"] and "<span" in shown["html"], shown

    run_edit(edits["fixes it: the overlay goes"], tmp_path)
    page.wait_no_overlay()
    assert page.has_marker(), "every update so far should have been applied in place"

    run_edit(edits["patches the page in place, keeps the count"], tmp_path)
    page.wait("document.body.textContent.includes('new')", what="the new paragraph patched in")
    assert page.has_marker(), "the HTML edit reloaded the page"
    assert page.js("document.querySelector('img').src.includes('?hmr=')"), "the patch asked for the old logo again"
    assert page.js("/^Time on this page: \\d+/.test(document.getElementById('counter').textContent)"), \
        "the patch wiped what the counter module wrote"
