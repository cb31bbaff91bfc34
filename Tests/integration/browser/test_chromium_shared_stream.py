"""One stream per browser: every tab of a page that includes the client shares one event
stream, over plain HTTP/1.1, so the browser's six connections per host stay free.

The tab holding the Web Lock runs the stream and posts each frame on a BroadcastChannel;
which tab holds it is read from `window.__hmrClient.role` ('holding', 'following', or
'own' for a stream of its own). Tabs are opened in the session's Chromium next to the
`page` fixture's tab and closed again before the daemon stops.
"""

from __future__ import annotations

import json
import time

import pytest

from conftest import Deadline  # the parent harness (Tests/integration)

from .conftest import clients_of, free_port, html_page, png

RED = "rgb(255, 0, 0)"
BLUE = "rgb(0, 0, 255)"
GREEN = "rgb(0, 128, 0)"
INDEX = html_page("<h1>shared</h1>", '<link rel="stylesheet" href="app.css">')
FILES = {"index.html": INDEX, "app.css": f"body {{ color: {RED} }}\n"}

#: Set in every tab once it has loaded: a marker a reload would lose, and each `built` heard.
RECORDER = "window.__marker = 1; window.__built = []; window.hmr.on('built', (p) => window.__built.push(p.hash));"


class Tabs:
    """Tabs of the session's Chromium, each a window handle; `js` and `wait` run in one of them."""

    def __init__(self, page):
        self.page = page
        self.driver = page.driver
        self.first = self.driver.current_window_handle  # the page fixture's tab, left blank: the last to close
        self.handles: list[str] = []

    def open(self, url: str, count: int, recorder: bool = True) -> list[str]:
        """Opens `count` new tabs on url, each with its client started."""
        opened = []
        for _ in range(count):
            self.driver.switch_to.new_window("tab")
            self.driver.get(url)
            self.page.wait("window.__hmrClient && window.__hmrClient.role !== 'idle'", what="the client to start")
            if recorder:
                self.page.run(RECORDER)
            opened.append(self.driver.current_window_handle)
        self.handles += opened
        return opened

    def on(self, handle: str):
        self.driver.switch_to.window(handle)
        return self.page

    def js(self, handle: str, expression: str):
        return self.on(handle).peek(expression)

    def wait(self, handle: str, expression: str, timeout: float = 10.0, what: str | None = None):
        return self.on(handle).wait(expression, timeout, what)

    def roles(self, handles=None) -> list[str | None]:
        return [self.js(h, "window.__hmrClient.role") for h in (handles or self.handles)]

    def holder(self, handles=None) -> str:
        """The tab holding the stream; fails unless exactly one does."""
        handles = handles or self.handles
        holding = [h for h, role in zip(handles, self.roles(handles)) if role == "holding"]
        assert len(holding) == 1, f"tabs holding the stream: {len(holding)} of {self.roles(handles)}"
        return holding[0]

    def close(self, handle: str):
        self.driver.switch_to.window(handle)
        self.driver.close()
        self.handles.remove(handle)
        self.driver.switch_to.window(self.handles[0] if self.handles else self.first)

    def close_all(self):
        for handle in list(self.handles):
            try:
                self.close(handle)
            except Exception:  # noqa: BLE001 - the next test's page fixture closes it anyway
                pass
        self.driver.switch_to.window(self.first)


@pytest.fixture
def tabs(page):
    opened = Tabs(page)
    yield opened
    opened.close_all()


def wait_clients(port: int, count: int, timeout: float = 5.0, what: str = ""):
    deadline = Deadline(timeout)
    while (clients := clients_of(port)) != count:
        if deadline.passed():
            pytest.fail(f"/status says {clients} streams, not {count} {what}")
        time.sleep(0.02)


def wait_all(tabs: Tabs, handles, expression: str, what: str, timeout: float = 10.0):
    for handle in handles:
        tabs.wait(handle, expression, timeout, f"{what} (tab {handles.index(handle) + 1} of {len(handles)})")


def color_is(value: str) -> str:
    return f"getComputedStyle(document.body).color === {json.dumps(value)}"


def built_once(hash_: str) -> str:
    return f"JSON.stringify(window.__built) === {json.dumps(json.dumps([hash_], separators=(',', ':')))}"


def test_twenty_tabs_share_one_stream_and_a_change_restyles_them_all(site, tabs):
    s = site(FILES)
    opened = tabs.open(s.url(), 20)
    wait_all(tabs, opened, "window.hmr.status().connected", "the shared stream to be open")
    wait_clients(s.port, 1, what="for 20 tabs")
    tabs.holder()

    new_hash = s.change({"app.css": f"body {{ color: {BLUE} }}\n"})
    wait_all(tabs, opened, color_is(BLUE), "the new stylesheet")
    for handle in opened:
        tabs.wait(handle, built_once(new_hash), what="that build, once")
        assert tabs.js(handle, "window.__marker === 1"), "a tab reloaded"
    assert clients_of(s.port) == 1


def test_with_twenty_tabs_open_another_page_and_its_assets_load_in_under_a_second(site, tabs):
    s = site({**FILES,
              "other.html": html_page('<h1>other</h1><img id="pic" src="pic.png"><script src="other.js"></script>',
                                      '<link rel="stylesheet" href="other.css">'),
              "other.css": f"h1 {{ color: {GREEN} }}\n",
              "other.js": "window.__otherRan = true;\n",
              "pic.png": png(4, 3)})
    opened = tabs.open(s.url(), 20, recorder=False)
    wait_all(tabs, opened, "window.hmr.status().connected", "the shared stream to be open")
    wait_clients(s.port, 1)

    [other] = tabs.open(s.url("/other.html"), 1, recorder=False)
    page = tabs.on(other)
    page.wait("document.readyState === 'complete'", timeout=10, what="the page and its assets to load")
    loaded = page.js("""(() => {
        const nav = performance.getEntriesByType('navigation')[0];
        const pic = document.getElementById('pic');
        return {ms: nav.loadEventEnd - nav.startTime, pic: [pic.complete, pic.naturalWidth],
                ran: window.__otherRan === true, color: getComputedStyle(document.querySelector('h1')).color,
                assets: performance.getEntriesByType('resource').map((r) => new URL(r.name).pathname)};
    })()""")
    assert loaded["ms"] < 1000, f"the page took {loaded['ms']:.0f} ms to load: {loaded}"
    assert loaded["pic"] == [True, 4] and loaded["ran"] and loaded["color"] == GREEN, loaded
    assert {"/other.css", "/other.js", "/pic.png"} <= set(loaded["assets"]), loaded
    page.wait_connected()
    assert page.js("window.__hmrClient.role") == "following"
    assert clients_of(s.port) == 1


#: A build that takes a second when the stylesheet says so, so a tab can close while it runs.
SLOW_BUILD = "if grep -q slow src/app.css; then sleep 1; fi; mkdir -p dist && cp -r src/. dist/"


def test_closing_the_holder_during_a_build_hands_that_build_to_every_other_tab_once(site, tabs):
    s = site(FILES, build=SLOW_BUILD, extra=("--verbose",))
    opened = tabs.open(s.url(), 6)
    wait_all(tabs, opened, "window.hmr.status().connected", "the shared stream to be open")
    wait_clients(s.port, 1)
    holder = tabs.holder()

    mark, _ = s.marks()
    s.write({"app.css": f"body {{ color: {BLUE} }} /* slow */\n"})
    deadline = Deadline(5)
    while s.status()["state"] != "building":
        assert not deadline.passed(), "the build did not start"
        time.sleep(0.01)
    tabs.close(holder)
    assert s.status()["state"] == "building", "the holder closed only after the build; make the build slower"
    s.daemon.stdout.wait_for(r"\[hmrd\] built ", since=mark, timeout=10)
    new_hash = s.hash()

    rest = [h for h in opened if h != holder]
    wait_all(tabs, rest, color_is(BLUE), "the new stylesheet")
    wait_all(tabs, rest, built_once(new_hash), "that build, once")
    tabs.on(rest[0]).stays(built_once(new_hash), 0.5, "that build, once, and nothing after")
    for handle in rest:
        assert tabs.js(handle, built_once(new_hash)), f"a tab heard builds {tabs.js(handle, 'window.__built')}"
        assert tabs.js(handle, "window.__marker === 1"), "a tab reloaded"
    tabs.holder(rest)
    wait_clients(s.port, 1, what="after the handover")
    # The next tab resumed where the holder left off (a new EventSource cannot send Last-Event-ID).
    s.daemon.stdout.wait_for(r"GET /__hmr\?lastEventId=\d+ 200", since=mark)


def freeze(tabs: Tabs, handle: str, state: str):
    tabs.driver.switch_to.window(handle)
    tabs.driver.execute_cdp_cmd("Page.setWebLifecycleState", {"state": state})


def test_a_frozen_holder_hands_the_stream_over_and_rejoins_as_a_follower_when_it_wakes(site, tabs):
    s = site(FILES)
    opened = tabs.open(s.url(), 4)
    wait_all(tabs, opened, "window.hmr.status().connected", "the shared stream to be open")
    wait_clients(s.port, 1)
    holder = tabs.holder()
    awake = [h for h in opened if h != holder]

    frozen_at = time.monotonic()
    freeze(tabs, holder, "frozen")
    deadline = Deadline(5)
    while "holding" not in tabs.roles(awake):
        assert not deadline.passed(), f"no tab took the stream over: {tabs.roles(awake)}"
        time.sleep(0.01)
    took = time.monotonic() - frozen_at
    assert took < 1.0, f"a tab took the stream over only after {took:.2f} s"
    tabs.holder(awake)
    wait_clients(s.port, 1, what="after the handover")

    new_hash = s.change({"app.css": f"body {{ color: {BLUE} }}\n"})
    wait_all(tabs, awake, color_is(BLUE), "the new stylesheet")
    wait_all(tabs, awake, built_once(new_hash), "that build, once")

    freeze(tabs, holder, "active")
    tabs.wait(holder, "window.__hmrClient.role === 'following'", what="the woken tab to follow")
    tabs.wait(holder, f"window.hmr.status().hash === {json.dumps(new_hash)} && window.hmr.status().connected",
              what="the woken tab to catch up")
    tabs.wait(holder, color_is(BLUE), what="the new stylesheet in the woken tab")
    assert tabs.js(holder, "window.__marker === 1"), "the woken tab reloaded"
    tabs.holder()
    wait_clients(s.port, 1)
    tabs.on(holder).stays("window.__hmrClient.role === 'following'", 0.3, "the woken tab following")
    assert clients_of(s.port) == 1, "a second stream"


def test_tabs_of_a_page_from_another_origin_share_one_stream(site, tabs, static_server):
    tag_port = free_port()
    tag = f'<script src="http://127.0.0.1:{tag_port}/__hmr/client.js"></script>'
    s = site({"index.html": html_page("<h1>elsewhere</h1>" + tag, '<link rel="stylesheet" href="app.css">'),
              "app.css": f"body {{ color: {RED} }}\n"}, serve=False, port=tag_port)
    server = static_server(s.dist)
    opened = tabs.open(server.url(), 5)
    assert tabs.js(opened[0], "location.origin") == f"http://127.0.0.1:{server.port}"
    wait_all(tabs, opened, "window.hmr.status().connected", "the shared stream to be open")
    wait_clients(s.port, 1, what="for 5 tabs of another origin")
    tabs.holder()

    new_hash = s.change({"app.css": f"body {{ color: {BLUE} }}\n"})
    wait_all(tabs, opened, color_is(BLUE), "the new stylesheet")
    wait_all(tabs, opened, built_once(new_hash), "that build, once")
    assert clients_of(s.port) == 1


def test_shared_false_gives_each_tab_a_stream_of_its_own(site, tabs):
    own = html_page('<h1>own</h1><script src="/__hmr/client.js?shared=false"></script>',
                    '<link rel="stylesheet" href="app.css">')
    s = site({"index.html": own, "app.css": f"body {{ color: {RED} }}\n"})
    opened = tabs.open(s.url(), 4)
    wait_all(tabs, opened, "window.hmr.status().connected", "each stream to be open")
    assert tabs.roles() == ["own"] * 4
    wait_clients(s.port, 4, what="for 4 tabs with ?shared=false")

    new_hash = s.change({"app.css": f"body {{ color: {BLUE} }}\n"})
    wait_all(tabs, opened, color_is(BLUE), "the new stylesheet")
    wait_all(tabs, opened, built_once(new_hash), "that build, once")
    assert clients_of(s.port) == 4
