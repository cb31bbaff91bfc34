"""hmrd behind a real nginx: `hmrd nginx-config`, its block, nginx's defaults, HTTP/2.

Each proxy test starts its own nginx (see nginx.py) in front of an hmrd from the
harness's `hmrd` fixture, and reads the stream through nginx and, at the same time,
directly from hmrd: a frame must come out of nginx less than LATENCY after it came
out of hmrd. Timings are printed (`pytest -rP` shows them). The HTTP/2 test drives
ten tabs of headless Chromium through nginx with TLS, each with a stream of its own
(`?shared=false`, as a page that cannot share its browser's stream has).

Over plain HTTP/1.1 the same ten tabs would not work: a browser opens at most six
connections per origin, each tab's stream holds one, and the seventh tab does not
even load (seen by hand: hmrd counted 6 streams, the 7th page load timed out). That
stall is the browser's rule, so it is documented (README, "Behind nginx"), not tested;
tabs that share one stream avoid it (browser/test_chromium_shared_stream.py).

The tests of the subcommand itself need no nginx; the others skip, saying why, only
when nginx, openssl, Chromium, chromedriver or selenium is missing.
"""

from __future__ import annotations

import json
import signal
import time

import pytest

from conftest import (CP_BUILD, Deadline, css_project, http_request, poll, run_hmrd, write)
from chromium import launch
from nginx import Nginx, ProxiedSSEClient, read_frames_together, require_nginx, self_signed_cert

#: How much later than directly from hmrd a frame may come out of nginx.
LATENCY = 0.100
#: A browser's Host, which hmrd alone refuses: only nginx's rewrite lets it through.
FOREIGN_HOST = "site.test"

TABS = 10


@pytest.fixture
def nginx(tmp_path):
    """nginx(server_body, tls=None, main="") -> a started Nginx; all are stopped, and must be gone, at teardown."""
    require_nginx()
    started: list[Nginx] = []

    def start(server_body: str, tls=None, main: str = "") -> Nginx:
        server = Nginx(tmp_path / f"nginx{len(started)}", server_body, tls=tls, main=main)
        started.append(server)
        return server.start()

    yield start
    problems = []
    for server in started:
        problems += server.stop()
    if problems:
        pytest.fail("\n".join(problems))


def start_css(hmrd, tmp_path, *extra):
    css_project(tmp_path)
    daemon = hmrd("--watch", "src", "--out", "dist", "--build", CP_BUILD, "--debounce", "30ms", *extra)
    daemon.stdout.wait_for(r"\[hmrd\] built [0-9a-f]{16}")
    return daemon


def printed_block(tmp_path, *flags) -> str:
    result = run_hmrd("nginx-config", *flags, cwd=tmp_path)
    assert result.returncode == 0 and result.stderr == "", result
    return result.stdout


def bare_location(port: int, *directives: str) -> str:
    """A location with nothing but proxy_pass and `directives`: nginx's defaults otherwise."""
    lines = "".join(f"            {d}\n" for d in directives)
    return f"        location /__hmr {{\n            proxy_pass http://127.0.0.1:{port};\n{lines}        }}\n"


def action_is(action):
    return lambda client, frame: frame.action == action


def stream_through(daemon, proxy, tmp_path, label: str):
    """Opens the stream directly and through nginx, then changes the stylesheet; requires the
    head and the sync, building and built frames to come through nginx within LATENCY."""
    direct = daemon.stream()
    sent = time.monotonic()
    via = ProxiedSSEClient(proxy.port, host=FOREIGN_HOST).read_head(timeout=2)
    try:
        assert via.status == 200, via.raw_head
        assert via.headers["content-type"] == "text/event-stream; charset=utf-8"
        assert via.headers["cache-control"] == "no-cache, no-transform"
        # nginx acts on X-Accel-Buffering and does not pass it on.
        assert "x-accel-buffering" not in via.headers
        head = via.head_at - sent
        syncs = read_frames_together([direct, via], action_is("sync"), timeout=2)
        sync = syncs[via].at - sent
        assert syncs[via].data == syncs[direct].data
        assert via.retry == 1000
        assert head < LATENCY and sync < LATENCY, f"head after {head * 1000:.1f} ms, sync after {sync * 1000:.1f} ms"

        write(tmp_path / "src/app.css", "body { color: blue }\n")
        building = read_frames_together([direct, via], action_is("building"))
        built = read_frames_together([direct, via], action_is("built"))
        assert building[via].data == building[direct].data and building[via].id == building[direct].id
        assert built[via].data == built[direct].data and built[via].data["changes"]["updated"] == ["app.css"]
        lag = {name: frames[via].at - frames[direct].at for name, frames in (("building", building), ("built", built))}
        print(f"{label}: head {head * 1000:.1f} ms, sync {sync * 1000:.1f} ms after the request; "
              f"through nginx minus direct: building {lag['building'] * 1000:.2f} ms, built {lag['built'] * 1000:.2f} ms")
        for name, seconds in lag.items():
            assert seconds < LATENCY, f"{name} came through nginx {seconds * 1000:.1f} ms after it came from hmrd"
    finally:
        via.close()
        direct.close()


# --------------------------------------------------------------------------- the subcommand


def test_nginx_config_prints_the_block_for_the_daemons_defaults(tmp_path):
    block = printed_block(tmp_path)
    assert block.startswith("# hmrd behind nginx") and block.endswith("}\n")
    for line in ("location ^~ /__hmr {", "proxy_pass http://127.0.0.1:5757;", "proxy_http_version 1.1;",
                 "proxy_set_header Connection '';", "proxy_set_header Host $proxy_host;", "proxy_buffering off;",
                 "proxy_cache off;", "gzip off;", "proxy_read_timeout 60s;"):
        assert f"\n    {line}\n" in block or f"\n{line}\n" in block, line


def test_nginx_config_takes_its_flags_before_or_after_the_word_and_ignores_daemon_only_flags(tmp_path):
    after = printed_block(tmp_path, "--port", "6001", "--path", "/hot", "--heartbeat", "45s")
    assert "proxy_pass http://127.0.0.1:6001;" in after and "location ^~ /hot {" in after
    assert "proxy_read_timeout 135s;" in after
    before = run_hmrd("--port", "6001", "--path", "/hot", "--build", "make", "--watch", "src", "nginx-config",
                      "--heartbeat", "45s", cwd=tmp_path)
    assert before.returncode == 0 and before.stdout == after, before


@pytest.mark.parametrize("args", [
    ["nginx-config", "--port", "0"],
    ["nginx-config", "--port", "abc"],
    ["nginx-config", "--heartbeat", "5x"],
    ["nginx-config", "--path", "no-slash"],
    ["nginx-config", "--host", "a;b"],
    ["nginx-config", "--frobnicate"],
    ["nginx-config", "extra"],
], ids=lambda args: " ".join(args))
def test_nginx_config_refuses_a_bad_value_in_one_line_with_exit_2(tmp_path, args):
    result = run_hmrd(*args, cwd=tmp_path)
    assert result.returncode == 2 and result.stdout == "", result
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("hmrd: ") and lines[0].endswith("(see hmrd --help)"), result


def test_help_names_the_subcommand_and_the_subcommand_has_its_own_help(tmp_path):
    root = run_hmrd("--help", cwd=tmp_path)
    assert root.returncode == 0 and "nginx-config" in root.stdout
    own = run_hmrd("nginx-config", "--help", cwd=tmp_path)
    assert own.returncode == 0 and own.stderr == ""
    for flag in ("--host", "--port", "--path", "--heartbeat"):
        assert flag in own.stdout, flag
    assert "--build" not in own.stdout
    assert run_hmrd("help", "nginx-config", cwd=tmp_path).stdout == own.stdout


# --------------------------------------------------------------------------- the printed block


def test_the_printed_block_passes_the_head_and_every_frame_at_once(hmrd, nginx, tmp_path):
    daemon = start_css(hmrd, tmp_path)
    block = printed_block(tmp_path, "--port", daemon.port)
    assert f"proxy_pass http://127.0.0.1:{daemon.port};" in block
    proxy = nginx(block)
    stream_through(daemon, proxy, tmp_path, "printed block")


def test_the_printed_block_follows_path_and_heartbeat(hmrd, nginx, tmp_path):
    daemon = start_css(hmrd, tmp_path, "--path", "/dev/hot", "--heartbeat", "200ms")
    proxy = nginx(printed_block(tmp_path, "--port", daemon.port, "--path", "/dev/hot", "--heartbeat", "200ms"))
    with ProxiedSSEClient(proxy.port, path="/dev/hot", host=FOREIGN_HOST).read_head(timeout=2) as via:
        assert via.next_frame(timeout=2)["action"] == "sync"
        assert via.next_frame(timeout=2) == "💓"
    client = http_request(proxy.port, path="/dev/hot/client.js", host=FOREIGN_HOST)
    assert client.status == 200 and client.headers["content-type"].startswith("text/javascript")


@pytest.mark.parametrize("flags", [
    ["--port", "5757"],
    ["--port", "6001", "--host", "::1", "--heartbeat", "45s"],
    ["--port", "6002", "--host", "0.0.0.0", "--path", "/odd;path{x}\"q"],
], ids=["defaults", "ipv6-slow-heartbeat", "quoted-path"])
def test_nginx_accepts_the_printed_block(tmp_path, flags):
    require_nginx()
    checked = Nginx(tmp_path / "nginx", printed_block(tmp_path, *flags)).check()
    assert checked.returncode == 0, checked.stderr


# --------------------------------------------------------------------------- nginx's defaults


def test_default_buffering_with_http_1_1_still_passes_frames_at_once(hmrd, nginx, tmp_path):
    # No proxy_buffering off: hmrd's X-Accel-Buffering: no turns nginx's buffering off for the stream.
    daemon = start_css(hmrd, tmp_path)
    proxy = nginx(bare_location(daemon.port, "proxy_http_version 1.1;"))
    stream_through(daemon, proxy, tmp_path, "default buffering, HTTP/1.1 upstream")


def test_the_default_http_1_0_upstream_still_passes_frames_at_once(hmrd, nginx, tmp_path):
    daemon = start_css(hmrd, tmp_path)
    proxy = nginx(bare_location(daemon.port))
    stream_through(daemon, proxy, tmp_path, "default buffering, HTTP/1.0 upstream")


def test_without_hmrds_header_nginxs_buffering_would_hold_the_stream_back(hmrd, nginx, tmp_path):
    # The control for the two tests above: told to ignore X-Accel-Buffering, nginx buffers
    # the stream and not even the sync frame comes through, so LATENCY really measures something.
    daemon = start_css(hmrd, tmp_path)
    proxy = nginx(bare_location(daemon.port, "proxy_ignore_headers X-Accel-Buffering;"))
    with ProxiedSSEClient(proxy.port, host=FOREIGN_HOST) as via:
        try:
            via.read_head(timeout=1)
            via.wait_for("sync", timeout=1)
        except TimeoutError:
            return
        pytest.fail("the sync frame came through nginx's buffering: the latency tests prove nothing")


def test_client_js_and_status_are_served_through_nginx_to_a_foreign_host(hmrd, nginx, tmp_path):
    daemon = start_css(hmrd, tmp_path)
    # A site's regex location for scripts must not take the client (the block's ^~).
    scripts = "        location ~* \\.js$ { return 418; }\n"
    proxy = nginx(scripts + printed_block(tmp_path, "--port", daemon.port))
    assert http_request(proxy.port, path="/app.js", host=FOREIGN_HOST).status == 418
    # hmrd alone refuses the browser's Host (DNS-rebinding guard) ...
    assert http_request(daemon.port, path="/__hmr/client.js", host=FOREIGN_HOST).status == 403
    # ... and takes it through nginx, which sends its own $proxy_host instead.
    client = http_request(proxy.port, path="/__hmr/client.js", host=FOREIGN_HOST)
    assert client.status == 200, client
    assert client.headers["content-type"] == "text/javascript; charset=utf-8"
    assert client.headers["cache-control"] == "no-cache"
    assert "/*HMR_BOOT*/null" not in client.text and daemon.status()["hash"] in client.text
    status = http_request(proxy.port, path="/__hmr/status", host="dev.example.com")
    assert status.status == 200 and json.loads(status.body)["hash"] == daemon.status()["hash"]
    # nginx's log: the browser's Host, the Host hmrd got, nginx's status and hmrd's.
    expected = [f'{FOREIGN_HOST} 127.0.0.1:{daemon.port} 200 "200" /__hmr/client.js',
                f'dev.example.com 127.0.0.1:{daemon.port} 200 "200" /__hmr/status']
    poll(lambda: all(line in proxy.access_log for line in expected), what=f"{expected} in nginx's access log")


def test_a_reload_of_nginx_with_worker_shutdown_timeout_closes_the_streams(hmrd, nginx, tmp_path):
    # Without it the old worker keeps every open stream, and itself, alive for good
    # (hmrd never ends a stream); with it, the client reconnects to the new worker.
    daemon = start_css(hmrd, tmp_path)
    proxy = nginx(printed_block(tmp_path, "--port", daemon.port), main="worker_shutdown_timeout 1s;")
    with ProxiedSSEClient(proxy.port, host=FOREIGN_HOST).read_head(timeout=2) as old:
        old.wait_for("sync", timeout=2)
        proxy.proc.send_signal(signal.SIGHUP)
        old.read_until_closed(timeout=5)
    poll(lambda: "gracefully shutting down" in proxy.error_log and "exited with code 0" in proxy.error_log,
         what="the old worker to exit")
    with ProxiedSSEClient(proxy.port, host=FOREIGN_HOST).read_head(timeout=2) as new:
        assert new.wait_for("sync", timeout=2)["hash"] == daemon.status()["hash"]


# --------------------------------------------------------------------------- HTTP/2 and ten tabs


#: Each tab holds a stream of its own: HTTP/2 is what carries them all.
PAGE = """<!doctype html>
<html><head><title>tab</title><link rel="stylesheet" href="/style.css"></head>
<body><h1>served by nginx</h1><script src="/__hmr/client.js?shared=false"></script></body></html>
"""


@pytest.fixture
def chromium():
    """A headless Chromium (selenium) that trusts the test's self-signed certificate."""
    with launch(extra_flags=("--ignore-certificate-errors",)) as driver:
        yield driver


def peek(driver, expression: str):
    from selenium.common.exceptions import WebDriverException
    try:
        return driver.execute_script(f"try {{ return ({expression}); }} catch (e) {{ return null; }}")
    except WebDriverException:
        return None


def wait_in_every_tab(driver, tabs, expression: str, what: str, timeout: float = 10.0):
    deadline = Deadline(timeout)
    for tab in tabs:
        driver.switch_to.window(tab)
        while not peek(driver, expression):
            if deadline.passed():
                pytest.fail(f"timed out after {timeout}s waiting for {what} in tab {tabs.index(tab) + 1} of {len(tabs)}")
            time.sleep(0.03)


CONNECTED = "window.hmr && window.hmr.status().connected === true && !!window.hmr.status().hash"


@pytest.fixture
def tls_cert(tmp_path):
    """(cert, key): a self-signed certificate for 127.0.0.1, made before the browser starts."""
    return self_signed_cert(tmp_path / "tls")


def test_ten_tabs_over_http2_stay_connected_and_all_get_the_change(hmrd, nginx, tls_cert, chromium, tmp_path):
    write(tmp_path / "site/index.html", PAGE)
    write(tmp_path / "site/style.css", "h1 { color: rgb(255, 0, 0) }\n")
    daemon = hmrd("--watch", "site", "--debounce", "30ms")
    root = f"        root {tmp_path / 'site'};\n"
    proxy = nginx(root + printed_block(tmp_path, "--port", daemon.port), tls=tls_cert)
    url = f"https://127.0.0.1:{proxy.port}/"

    driver = chromium
    tabs = [driver.current_window_handle]
    driver.get(url)
    for _ in range(TABS - 1):
        driver.switch_to.new_window("tab")
        tabs.append(driver.current_window_handle)
        driver.get(url)
    assert peek(driver, "performance.getEntriesByType('navigation')[0].nextHopProtocol") == "h2"
    wait_in_every_tab(driver, tabs, CONNECTED, "the client to connect")
    poll(lambda: daemon.status()["clients"] >= TABS, timeout=5, what=f"hmrd to count {TABS} streams")

    # An eleventh request to the same origin is not stuck behind the ten open streams.
    driver.switch_to.new_window("tab")
    started = time.monotonic()
    driver.get(url)
    wait_in_every_tab(driver, [driver.current_window_handle], "document.readyState === 'complete' && " + CONNECTED,
                      "the eleventh tab to load", timeout=5)
    clients = daemon.status()["clients"]
    print(f"eleventh tab loaded and connected in {(time.monotonic() - started) * 1000:.0f} ms over HTTP/2; "
          f"hmrd counts {clients} streams")
    assert clients >= TABS + 1
    driver.close()
    wait_in_every_tab(driver, tabs, CONNECTED, "the first ten to be connected still", timeout=2)

    for tab in tabs:
        driver.switch_to.window(tab)
        driver.execute_script("window.__marker = 1;")
    write(tmp_path / "site/style.css", "h1 { color: rgb(0, 0, 255) }\n")
    wait_in_every_tab(driver, tabs, "getComputedStyle(document.querySelector('h1')).color === 'rgb(0, 0, 255)' "
                                    "&& window.__marker === 1", "the new stylesheet, swapped without a reload")

    write(tmp_path / "site/index.html", PAGE.replace("served by nginx", "changed"))
    wait_in_every_tab(driver, tabs, "document.querySelector('h1').textContent === 'changed' && " + CONNECTED,
                      "the changed page, reloaded")
    # Leave no stream open for hmrd's SIGTERM: the tabs go before the daemon.
    for tab in tabs:
        driver.switch_to.window(tab)
        driver.get("about:blank")


# --------------------------------------------------------------------------- hot module replacement


MODULE_PAGE = """<!doctype html>
<html><head><title>modules</title><script src="/__hmr/client.js"></script></head>
<body><p id="out">not run</p><script type="module" src="/app/main.js"></script>
<script type="module" src="/vendor/lib.js"></script></body></html>
"""
MODULE_MAIN = """import { word } from './word.js';
let shown = import.meta.hot ? (import.meta.hot.data.shown || 0) : 0;
const show = (w) => { shown += 1; if (import.meta.hot) import.meta.hot.data.shown = shown;
  document.getElementById('out').textContent = w + ' ' + shown; };
show(word);
window.__mainRuns = (window.__mainRuns || 0) + 1;
if (import.meta.hot) import.meta.hot.accept('./word.js', (next) => show(next.word));
"""


def test_es_modules_update_in_place_through_nginx_and_other_scripts_stay_nginxs(hmrd, nginx, tmp_path):
    """The page and its files come from nginx; the out dir's modules (--public-path /app/)
    go through hmrd by the printed block, and a script hmrd lacks falls back to nginx."""
    write(tmp_path / "site/index.html", MODULE_PAGE)
    write(tmp_path / "site/vendor/lib.js", "window.__vendor = 'from nginx';\n")
    write(tmp_path / "site/app/main.js", MODULE_MAIN)
    write(tmp_path / "site/app/word.js", "export const word = 'one';\n")
    daemon = hmrd("--watch", "site/app", "--out", "site/app", "--public-path", "/app/", "--debounce", "30ms")
    block = printed_block(tmp_path, "--port", daemon.port, "--public-path", "/app/")
    assert "location ~ ^/app/.+\\.m?js$ {" in block
    proxy = nginx(f"        root {tmp_path / 'site'};\n" + block)

    served = http_request(proxy.port, "/app/main.js", host=FOREIGN_HOST)
    assert served.status == 200 and "from './word.js?v=" in served.text, served.text
    vendor = http_request(proxy.port, "/vendor/lib.js", host=FOREIGN_HOST)
    assert vendor.status == 200 and vendor.text == "window.__vendor = 'from nginx';\n"
    missing = http_request(proxy.port, "/app/nothing.js", host=FOREIGN_HOST)
    assert missing.status == 404

    with launch() as driver:
        driver.get(f"http://127.0.0.1:{proxy.port}/")
        poll(lambda: peek(driver, "document.getElementById('out').textContent === 'one 1' && window.__vendor && "
                                  + CONNECTED), what="the page to run and connect")
        driver.execute_script("window.__marker = 1;")
        write(tmp_path / "site/app/word.js", "export const word = 'two';\n")
        poll(lambda: peek(driver, "document.getElementById('out').textContent === 'two 2'"), timeout=10,
             what="main.js's accept callback with the new word, its state kept")
        assert peek(driver, "window.__marker === 1 && window.__mainRuns === 1"), "the page reloaded"
