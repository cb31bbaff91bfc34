"""`--serve DIR`: static files with the client injected into HTML, never outside the root."""

import json
import os
import re
import socket
import time

import pytest

from conftest import (Deadline, http_request, is_closed_by_peer, parse_head, poll, read_response,
                      recv_until_head, write)


@pytest.fixture
def site(hmrd, tmp_path):
    root = tmp_path / "site"
    write(root / "index.html", "<html><body><h1>home</h1></body></html>")
    write(root / "docs/index.html", "<html><body>docs</body></html>")
    write(root / "app.css", "body { color: red }")
    write(root / ".env", "SECRET=1")
    write(root / ".git/config", "[core]")
    write(tmp_path / "outside.txt", "outside the root")
    os.symlink(tmp_path / "outside.txt", root / "escape.txt")
    os.symlink(tmp_path, root / "escape-dir")
    os.symlink(root / "app.css", root / "alias.css")
    daemon = hmrd("--watch", "site", "--serve", "site")
    daemon.stdout.wait_for(r"\[hmrd\] built ")
    return daemon


def test_html_gets_the_client_script_injected_before_the_closing_body(site):
    response = http_request(site.port, path="/index.html")
    assert response.status == 200
    assert response.headers["content-type"].startswith("text/html")
    assert response.body == b"<html><body><h1>home</h1>" + site.client_tag() + b"</body></html>"
    assert int(response.headers["content-length"]) == len(response.body)


def test_other_files_are_served_unchanged(site):
    response = http_request(site.port, path="/app.css")
    assert response.status == 200
    assert response.headers["content-type"].startswith("text/css")
    assert response.body == b"body { color: red }"


def test_the_root_serves_index_html(site):
    response = http_request(site.port, path="/")
    assert response.status == 200
    assert site.client_tag() in response.body and b"home" in response.body


def test_a_folder_without_a_slash_redirects_and_with_one_serves_its_index(site):
    redirect = http_request(site.port, path="/docs?x=1")
    assert redirect.status == 301
    assert redirect.headers["location"] == "/docs/?x=1"
    page = http_request(site.port, path="/docs/")
    assert page.status == 200
    assert page.body == b"<html><body>docs" + site.client_tag() + b"</body></html>"


@pytest.mark.parametrize("target", ["/../outside.txt", "/%2e%2e/outside.txt", "/docs/%2E%2E/%2e%2e/outside.txt"])
def test_a_path_out_of_the_root_gets_400(site, target):
    response = http_request(site.port, path=target)
    assert response.status == 400
    assert b"outside the root" not in response.body


@pytest.mark.parametrize("target", ["/escape.txt", "/escape-dir/outside.txt"])
def test_a_symlink_pointing_out_of_the_root_gets_404(site, target):
    response = http_request(site.port, path=target)
    assert response.status == 404
    assert b"outside the root" not in response.body


def test_a_symlink_inside_the_root_is_served(site):
    assert http_request(site.port, path="/alias.css").body == b"body { color: red }"


@pytest.mark.parametrize("target", ["/.env", "/.git/config", "/%2eenv"])
def test_dot_files_get_404(site, target):
    response = http_request(site.port, path=target)
    assert response.status == 404
    assert b"SECRET" not in response.body and b"[core]" not in response.body


def test_head_gets_the_headers_without_the_body(site):
    get = http_request(site.port, path="/index.html")
    head = http_request(site.port, path="/index.html", method="HEAD")
    assert head.status == 200
    assert head.body == b""
    assert head.headers["content-length"] == get.headers["content-length"]


def test_the_serve_dir_is_the_module_map(site):
    with site.stream() as client:
        modules = client.wait_for("sync")["modules"]
    assert "index.html" in modules and "docs/index.html" in modules and "app.css" in modules
    assert ".env" not in modules and ".git/config" not in modules


def test_an_encoded_file_name_and_a_query_string_are_handled(hmrd, tmp_path):
    write(tmp_path / "site/my file.txt", "spaced")
    daemon = hmrd("--watch", "site", "--serve", "site")
    assert http_request(daemon.port, path="/my%20file.txt").body == b"spaced"
    assert http_request(daemon.port, path="/my%20file.txt?v=123").body == b"spaced"



def stamped_boot(site, query: str = "") -> dict:
    """The state client.js was stamped with."""
    text = http_request(site.port, path="/__hmr/client.js" + query).text
    return json.loads(re.search(r"const BOOT = (\{.*?\});\n", text).group(1))


def test_a_page_served_just_before_a_build_gets_a_client_that_starts_from_the_pages_build(site, tmp_path):
    with site.stream() as client:
        first = client.wait_for("sync")
        page = http_request(site.port, path="/index.html").body
        assert f'<script src="/__hmr/client.js?build={first["hash"]}"></script>'.encode() in page
        write(tmp_path / "site/app.css", "body { color: blue }")  # a build finishes before the page's client.js is fetched
        latest = client.wait_for("built")
    assert latest["hash"] != first["hash"]
    # Its client starts from the page's build, so the sync it gets next carries app.css as a change.
    boot = stamped_boot(site, f"?build={first['hash']}")
    assert (boot["hash"], boot["modules"]) == (first["hash"], first["modules"])
    # Without a build, or with one hmrd does not know (or that is no hash): the current state.
    for query in ["", "?reload=false", "?build=0123456789abcdef", "?build=%22%3E%3Cscript%3E"]:
        boot = stamped_boot(site, query)
        assert (boot["hash"], boot["modules"]) == (latest["hash"], latest["modules"]), query
    # The newest pages name the newest build.
    assert f'client.js?build={latest["hash"]}"'.encode() in http_request(site.port, path="/index.html").body

# --------------------------------------------------------------------------- large files

BIG = 24 * 1024 * 1024  # far past the 1 MiB a stream may leave unsent, and past the socket buffers


@pytest.fixture
def big_site(hmrd, tmp_path):
    root = tmp_path / "site"
    write(root / "index.html", "<html><body>home</body></html>")
    (root / "big.bin").write_bytes(os.urandom(BIG))
    daemon = hmrd("--watch", "site", "--serve", "site")
    daemon.stdout.wait_for(r"\[hmrd\] built ")
    return daemon, root


def test_a_file_larger_than_any_buffer_arrives_whole_even_to_a_slow_reader(big_site):
    daemon, root = big_site
    assert http_request(daemon.port, path="/big.bin", timeout=30).body == (root / "big.bin").read_bytes()
    with socket.create_connection(("127.0.0.1", daemon.port)) as slow:
        slow.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 64 * 1024)
        slow.sendall(f"GET /big.bin HTTP/1.1\r\nHost: 127.0.0.1:{daemon.port}\r\n\r\n".encode())
        time.sleep(1.0)  # reads nothing for a while: hmrd holds a chunk, not the file
        # Meanwhile everyone else is served, pages and streams alike.
        assert http_request(daemon.port, path="/index.html").status == 200
        with daemon.stream() as client:
            client.wait_for("sync")
        response, _ = read_response(slow, Deadline(30))
        assert response.status == 200 and int(response.headers["content-length"]) == BIG
        assert response.body == (root / "big.bin").read_bytes()


def test_pipelined_requests_after_a_large_file_are_answered_in_order(big_site):
    daemon, root = big_site
    with socket.create_connection(("127.0.0.1", daemon.port)) as sock:
        host = f"Host: 127.0.0.1:{daemon.port}\r\n"
        sock.sendall(f"GET /big.bin HTTP/1.1\r\n{host}\r\nGET /index.html HTTP/1.1\r\n{host}\r\n"
                     f"HEAD /big.bin HTTP/1.1\r\n{host}Connection: close\r\n\r\n".encode())
        deadline = Deadline(30)
        response, rest = read_response(sock, deadline)
        assert response.status == 200 and response.body == (root / "big.bin").read_bytes()
        sock.settimeout(deadline.left())
        while chunk := sock.recv(65536):
            rest += chunk
    page, _, head = rest.partition(b"</body></html>")
    assert page.startswith(b"HTTP/1.1 200 OK\r\n") and page.endswith(b"home" + daemon.client_tag())
    assert head.startswith(b"HTTP/1.1 200 OK\r\n") and f"Content-Length: {BIG}\r\n".encode() in head
    assert head.endswith(b"\r\n\r\n"), "HEAD gets no body"


def test_a_file_cut_short_while_it_is_sent_ends_the_connection(big_site):
    daemon, root = big_site
    with socket.create_connection(("127.0.0.1", daemon.port)) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 64 * 1024)
        sock.sendall(f"GET /big.bin HTTP/1.1\r\nHost: 127.0.0.1:{daemon.port}\r\n\r\n".encode())
        head, body = recv_until_head(sock, Deadline(5))
        assert f"Content-Length: {BIG}".encode() in head
        os.truncate(root / "big.bin", 1024)
        # What was already read or queued still comes; then hmrd closes rather than send less than it promised.
        assert is_closed_by_peer(sock, 10)
    assert http_request(daemon.port, path="/big.bin").body == (root / "big.bin").read_bytes()


def test_a_reader_that_stops_reading_a_large_file_is_let_go(big_site):
    daemon, root = big_site
    fds = len(os.listdir(f"/proc/{daemon.pid}/fd"))
    with socket.create_connection(("127.0.0.1", daemon.port)) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 64 * 1024)
        sock.sendall(f"GET /big.bin HTTP/1.1\r\nHost: 127.0.0.1:{daemon.port}\r\n\r\n".encode())
        poll(lambda: len(os.listdir(f"/proc/{daemon.pid}/fd")) == fds + 2, what="the connection and the file open")
        # A pause is not a reason to give up: still open a few seconds later.
        time.sleep(3)
        assert len(os.listdir(f"/proc/{daemon.pid}/fd")) == fds + 2
        # Nothing read for the head deadline (10 s): the connection and the file are closed.
        poll(lambda: len(os.listdir(f"/proc/{daemon.pid}/fd")) == fds, timeout=12, what="both closed")


# --------------------------------------------------------------------------- ranges (video seeking)


def test_a_range_of_a_file_is_answered_with_206_and_only_those_bytes(big_site):
    daemon, root = big_site
    data = (root / "big.bin").read_bytes()
    whole = http_request(daemon.port, path="/big.bin", method="HEAD")
    assert whole.status == 200 and whole.headers["accept-ranges"] == "bytes"
    for asked, first, last in [("bytes=100-199", 100, 199), ("bytes=-10", BIG - 10, BIG - 1),
                               (f"bytes={BIG - 5}-", BIG - 5, BIG - 1), (f"bytes=0-{BIG * 2}", 0, BIG - 1),
                               ("bytes=3000000-3999999", 3_000_000, 3_999_999)]:
        part = http_request(daemon.port, path="/big.bin", headers={"Range": asked}, timeout=30)
        assert part.status == 206, (asked, part)
        assert part.headers["content-range"] == f"bytes {first}-{last}/{BIG}"
        assert int(part.headers["content-length"]) == last - first + 1
        assert part.body == data[first:last + 1], asked


def test_a_range_past_the_end_gets_416_and_what_hmrd_does_not_take_gets_the_whole_file(big_site):
    daemon, root = big_site
    past = http_request(daemon.port, path="/big.bin", headers={"Range": f"bytes={BIG}-"})
    assert past.status == 416 and past.headers["content-range"] == f"bytes */{BIG}" and past.body == b""
    for headers in [{"Range": "bytes=0-9,20-29"}, {"Range": "lines=1-2"}, {"Range": "bytes=9-0"},
                    {"Range": "bytes=0-9", "If-Range": '"x"'}]:
        response = http_request(daemon.port, path="/big.bin", method="HEAD", headers=headers)
        assert response.status == 200 and int(response.headers["content-length"]) == BIG, headers
    # A page is never cut: the client's tag is in it.
    page = http_request(daemon.port, path="/index.html", headers={"Range": "bytes=0-4"})
    assert page.status == 200 and page.body.endswith(daemon.client_tag() + b"</body></html>")


def test_ranges_on_one_kept_alive_connection_are_answered_in_turn(big_site):
    daemon, root = big_site
    data = (root / "big.bin").read_bytes()
    with socket.create_connection(("127.0.0.1", daemon.port)) as sock:
        host = f"Host: 127.0.0.1:{daemon.port}\r\n"
        sock.sendall(f"GET /big.bin HTTP/1.1\r\n{host}Range: bytes=0-999999\r\n\r\n"
                     f"HEAD /big.bin HTTP/1.1\r\n{host}Range: bytes=5-9\r\n\r\n"
                     f"GET /big.bin HTTP/1.1\r\n{host}Range: bytes=-3\r\nConnection: close\r\n\r\n".encode())
        deadline = Deadline(30)
        response, rest = read_response(sock, deadline)
        assert response.status == 206 and response.body == data[:1_000_000]
        sock.settimeout(deadline.left())
        while chunk := sock.recv(65536):
            rest += chunk
    head, _, last = rest.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 206 ") and b"Content-Range: bytes 5-9/" in head  # HEAD: no body follows
    status, _, headers = parse_head(last.partition(b"\r\n\r\n")[0])
    assert status == 206 and last.partition(b"\r\n\r\n")[2] == data[-3:]


def test_every_edit_of_a_module_moves_its_version_even_when_it_lands_on_the_check_of_the_build_before(hmrd, tmp_path):
    # 200 ms after a build, a full walk checks the one that published it (OutputWalkPolicy.
    # checkDelay). A save landing then is read by both walks; whichever order their threads
    # finish in, the build must be published with the edited module's new version.
    for group in range(40):
        for leaf in range(25):
            write(tmp_path / f"site/g{group}/l{leaf}.js", f"export const v = {leaf};\n")
        write(tmp_path / f"site/g{group}.js", "".join(f"import './g{group}/l{leaf}.js';\n" for leaf in range(25)))
    write(tmp_path / "site/app.js", "".join(f"import './g{group}.js';\n" for group in range(40)))
    daemon = hmrd("--watch", "site", "--serve", "site", "--debounce", "0")
    daemon.stdout.wait_for(r"\[hmrd\] built ")
    stream = daemon.stream()
    stream.wait_for("sync")
    versions = set()
    for n in range(30):
        os.replace(write(tmp_path / "staging/l3.js", f"export const v = {n};\n"), tmp_path / "site/g7/l3.js")
        built = stream.wait_for("built")
        assert "g7/l3.js" in built.get("graph", {}).get("modules", {}), (n, built.get("graph"))
        versions.add(built["graph"]["modules"]["g7/l3.js"]["version"])
        time.sleep(0.19 + (n % 5) * 0.01)
    assert len(versions) == 30


def test_an_edit_of_a_module_carries_the_graphs_difference_and_the_graph_is_asked_for_since_a_build(hmrd, tmp_path):
    write(tmp_path / "site/app.js", "import './view.js';\n")
    write(tmp_path / "site/view.js", "import './leaf.js';\nexport const v = 1;\n")
    write(tmp_path / "site/leaf.js", "export const x = 1;\n")
    write(tmp_path / "site/other.js", "export const y = 1;\n")
    daemon = hmrd("--watch", "site", "--serve", "site", "--debounce", "10ms")
    daemon.stdout.wait_for(r"\[hmrd\] built ")
    stream = daemon.stream()
    first = stream.wait_for("sync")["hash"]
    whole = json.loads(http_request(daemon.port, f"/__hmr/graph?build={first}").body)
    assert set(whole["modules"]) == {"app.js", "view.js", "leaf.js", "other.js"} and "since" not in whole

    def save(name, text):  # By rename: one build per save, however busy the machine.
        os.replace(write(tmp_path / "staging" / name, text), tmp_path / "site" / name)

    save("leaf.js", "export const x = 2;\n")
    built = stream.wait_for("built")
    # The leaf's version moved, and so did its importers' up to the entry: nothing else.
    assert built["graph"]["since"] == first, built
    assert set(built["graph"]["modules"]) == {"app.js", "view.js", "leaf.js"}, built["graph"]
    assert built["graph"]["removed"] == []
    asked = json.loads(http_request(daemon.port, f"/__hmr/graph?build={built['hash']}&since={first}").body)
    assert asked == dict(built["graph"], hash=built["hash"])
    later = json.loads(http_request(daemon.port, f"/__hmr/graph?build={built['hash']}").body)
    for key, module in asked["modules"].items():
        assert later["modules"][key] == module
    assert later["modules"]["other.js"] == whole["modules"]["other.js"]

    # A stylesheet moves no module: no difference rides along.
    save("app.css", "body { color: red }")
    assert "graph" not in stream.wait_for("built")
    # A build the daemon never had to start from: the whole graph.
    unknown = json.loads(http_request(daemon.port, f"/__hmr/graph?build={built['hash']}&since=0123456789abcdef").body)
    assert "since" not in unknown and set(unknown["modules"]) == set(whole["modules"])
