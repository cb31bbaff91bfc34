"""A real backend for the `hmrd --proxy URL` tests: a small web app, stdlib only.

    python3 proxy_backend.py --port 0 --root DIR

prints `listening on http://127.0.0.1:PORT` once it accepts connections and serves
until killed. It speaks HTTP/1.1 with keep-alive (every answer is framed by
Content-Length or chunked, or says `Connection: close`), one thread per connection,
the way a framework's development server does. What each route is for:

    /  /page/NAME        DIR/templates/index.html, NAME.html: `{{ var }}` (query
                         parameters, `path`, `host`) and `{% include other.html %}`
    /static/PATH         DIR/static: ETag, Last-Modified, 304, Range -> 206/416
    /gzip                HTML, gzipped when Accept-Encoding allows it
    /gzip-always  /deflate-always   the same, compressed whatever was asked
                         (`?type=text/css` gives a compressed text of that type)
    /cookies             two Set-Cookie headers (one carries a comma)
    /redirect            302 to this backend's own absolute origin (`?to=URL`: there)
    /redirect-relative   302 to /landing?from=relative;  /landing: plain text
    /big  /big-chunked   50 MiB (`?size=N`) of deterministic bytes in 64 KiB pieces
    /close-delimited     1 MiB of the same bytes, ended by closing the connection
    /chunked-html        a page in chunks with pauses, `</body>` split across two
    /sse                 an event every 100 ms until the client goes
    /status/CODE         an HTML page with that status
    /echo                any method: JSON of what arrived (headers, body size, sha256)
    /ws                  a WebSocket echo (sends "welcome" first)
    /hang                never answers; waits until the client goes
    /__backend/stats     JSON counters (connections that carried an app request, ...)
"""

from __future__ import annotations

import argparse
import base64
import email.utils
import gzip
import hashlib
import json
import mimetypes
import re
import select
import socket
import struct
import sys
import threading
import time
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

PIECE = 64 * 1024
BIG_SIZE = 50 * 1024 * 1024
#: The pattern every piece of /big is made of; its first 8 bytes are replaced by the piece's index.
PATTERN = hashlib.shake_256(b"hmrd proxy backend").digest(PIECE)
SSE_INTERVAL = 0.1
CHUNK_PAUSE = 0.05
WS_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"


def big_bytes(size: int):
    """The deterministic bytes of /big, in pieces of PIECE bytes."""
    index = 0
    sent = 0
    while sent < size:
        piece = (struct.pack(">Q", index) + PATTERN[8:])[:size - sent]
        yield piece
        sent += len(piece)
        index += 1


# --------------------------------------------------------------------------- counters


class Stats:
    """Counters the tests read through /__backend/stats; safe across handler threads."""

    def __init__(self):
        self.lock = threading.Lock()
        self.values = {"connections": 0, "requests": 0, "big_started": 0, "big_finished": 0, "big_bytes": 0,
                       "sse_open": 0, "sse_events": 0, "hanging": 0, "ws_open": 0}

    def add(self, name: str, amount: int = 1):
        with self.lock:
            self.values[name] += amount

    def snapshot(self) -> dict:
        with self.lock:
            return dict(self.values)


# --------------------------------------------------------------------------- templates


class Templates:
    """DIR/templates/NAME.html, read at every request (so edits show at once)."""

    VAR = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")
    INCLUDE = re.compile(r"\{%\s*include\s+([A-Za-z0-9_.-]+)\s*%\}")
    MAX_DEPTH = 8

    def __init__(self, folder: Path):
        self.folder = folder

    def render(self, name: str, variables: dict[str, str], depth: int = 0) -> str | None:
        """The template with its includes and variables filled in; None when it does not exist."""
        path = self.folder / name
        if "/" in name or name.startswith(".") or not path.is_file() or depth > self.MAX_DEPTH:
            return None
        text = path.read_text()
        text = self.INCLUDE.sub(lambda m: self.render(m.group(1), variables, depth + 1) or "", text)
        return self.VAR.sub(lambda m: variables.get(m.group(1), ""), text)


# --------------------------------------------------------------------------- static files


class StaticFiles:
    """DIR/static, with the validators and ranges a real static handler has."""

    def __init__(self, folder: Path):
        self.folder = folder.resolve()

    def find(self, relative: str) -> Path | None:
        if not relative or any(part in ("", ".", "..") or part.startswith(".") for part in relative.split("/")):
            return None
        path = (self.folder / relative).resolve()
        return path if path.is_file() and self.folder in path.parents else None

    def answer(self, handler: "Handler", relative: str):
        path = self.find(relative)
        if path is None:
            return handler.send_simple(404, b"no such static file\n")
        data = path.read_bytes()
        mtime = int(path.stat().st_mtime)
        etag = '"' + hashlib.sha256(data).hexdigest()[:16] + '"'
        kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        if kind.startswith("text/") or kind == "application/javascript":
            kind += "; charset=utf-8"
        validators = [("ETag", etag), ("Last-Modified", email.utils.formatdate(mtime, usegmt=True)),
                      ("Cache-Control", "no-cache"), ("Accept-Ranges", "bytes")]
        if self.not_modified(handler, etag, mtime):
            return handler.send_bytes(304, None, validators=validators)
        wanted = handler.headers.get("Range")
        if wanted is not None:
            span = self.byte_range(wanted, len(data))
            if span == "unsatisfiable":
                return handler.send_bytes(416, b"", kind, [("Content-Range", f"bytes */{len(data)}")])
            if span is not None:
                first, last = span
                return handler.send_bytes(206, data[first:last + 1], kind,
                                          validators + [("Content-Range", f"bytes {first}-{last}/{len(data)}")])
        handler.send_bytes(200, data, kind, validators)

    @staticmethod
    def not_modified(handler: "Handler", etag: str, mtime: int) -> bool:
        if_none_match = handler.headers.get("If-None-Match")
        if if_none_match is not None:
            return any(tag.strip() in (etag, "*", "W/" + etag) for tag in if_none_match.split(","))
        since = handler.headers.get("If-Modified-Since")
        if since is not None:
            parsed = email.utils.parsedate_to_datetime(since) if email.utils.parsedate(since) else None
            return parsed is not None and mtime <= parsed.timestamp()
        return False

    @staticmethod
    def byte_range(header: str, size: int):
        """(first, last) of a single `bytes=` range; None to ignore it; "unsatisfiable" for 416."""
        match = re.fullmatch(r"bytes=(\d*)-(\d*)", header.strip())
        if match is None or match.group(1) == match.group(2) == "":
            return None
        if match.group(1) == "":
            suffix = int(match.group(2))
            return (max(size - suffix, 0), size - 1) if suffix and size else "unsatisfiable"
        first = int(match.group(1))
        last = min(int(match.group(2)), size - 1) if match.group(2) else size - 1
        return (first, last) if first < size and first <= last else "unsatisfiable"


# --------------------------------------------------------------------------- WebSocket


class WebSocketEcho:
    """RFC 6455 over the handler's socket: the handshake, then every text or binary
    message echoed back; pings answered; a close echoed and the connection ended."""

    def __init__(self, handler: "Handler"):
        self.handler = handler
        self.rfile = handler.rfile
        self.wfile = handler.wfile

    def run(self):
        key = self.handler.headers.get("Sec-WebSocket-Key")
        upgrade = (self.handler.headers.get("Upgrade") or "").lower()
        if upgrade != "websocket" or not key:
            return self.handler.send_simple(400, b"a WebSocket handshake was expected\n")
        accept = base64.b64encode(hashlib.sha1((key + WS_GUID).encode()).digest()).decode()
        self.wfile.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                          f"Sec-WebSocket-Accept: {accept}\r\n\r\n").encode())
        self.handler.close_connection = True
        self.handler.server.stats.add("ws_open")
        try:
            self.send(0x1, b"welcome")
            while True:
                frame = self.receive()
                if frame is None:
                    return
                opcode, payload = frame
                if opcode in (0x1, 0x2):
                    self.send(opcode, payload)
                elif opcode == 0x9:
                    self.send(0xA, payload)
                elif opcode == 0x8:
                    self.send(0x8, payload[:2])
                    return
        except (ConnectionError, OSError):
            return
        finally:
            self.handler.server.stats.add("ws_open", -1)

    def receive(self) -> tuple[int, bytes] | None:
        """One whole message (continuations joined); None at EOF."""
        opcode, message = None, b""
        while True:
            head = self.rfile.read(2)
            if len(head) < 2:
                return None
            fin, frame_opcode = head[0] & 0x80, head[0] & 0x0F
            masked, length = head[1] & 0x80, head[1] & 0x7F
            if length == 126:
                length = struct.unpack(">H", self.rfile.read(2))[0]
            elif length == 127:
                length = struct.unpack(">Q", self.rfile.read(8))[0]
            mask = self.rfile.read(4) if masked else b"\0\0\0\0"
            payload = bytearray(self.rfile.read(length))
            if len(payload) < length:
                return None
            for i in range(length):
                payload[i] ^= mask[i % 4]
            if frame_opcode >= 0x8:  # control frames may come between a message's fragments
                return frame_opcode, bytes(payload)
            opcode = frame_opcode if opcode is None else opcode
            message += payload
            if fin:
                return opcode, message

    def send(self, opcode: int, payload: bytes):
        """A server frame: never masked."""
        length = len(payload)
        if length < 126:
            head = struct.pack(">BB", 0x80 | opcode, length)
        elif length < 1 << 16:
            head = struct.pack(">BBH", 0x80 | opcode, 126, length)
        else:
            head = struct.pack(">BBQ", 0x80 | opcode, 127, length)
        self.wfile.write(head + payload)
        self.wfile.flush()


# --------------------------------------------------------------------------- the routes


def page(title: str, body: str) -> bytes:
    return (f"<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>{title}</title></head>"
            f"<body>{body}</body></html>\n").encode()


COMPRESSED_PAGE = page("compressed", "".join(f"<p>compressed line {n}</p>\n" for n in range(200)))
CHUNKED_HTML = [b"<!doctype html>\n<html><head><title>chunked</title></head><body>\n",
                b"<p id=\"one\">one</p>\n", b"<p id=\"two\">two</p></bo", b"dy></html>\n"]
COOKIES = ["session=abc123; Path=/; HttpOnly", "theme=dark; Path=/; Expires=Wed, 21 Oct 2037 07:28:00 GMT"]


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "proxy-backend/1"
    server: "BackendServer"

    counted = False  # whether this connection has carried an app request yet

    # --- plumbing

    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        sys.stderr.write("%s %s\n" % (self.log_date_time_string(), format % args))

    def send_bytes(self, status: int, body: bytes | None, content_type: str | None = None, headers=(),
                   validators=()):
        """A whole answer with Content-Length (None: a bodiless 304). HEAD gets the head only."""
        self.send_response(status)
        if content_type:
            self.send_header("Content-Type", content_type)
        for name, value in [*validators, *headers]:
            self.send_header(name, value)
        if body is not None:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if body and self.command != "HEAD":
            self.wfile.write(body)

    def send_simple(self, status: int, text: bytes):
        self.send_bytes(status, text, "text/plain; charset=utf-8")

    def start_chunked(self, status: int, content_type: str, headers=()):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()

    def write_chunk(self, data: bytes):
        if data:
            self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
            self.wfile.flush()

    def end_chunked(self):
        self.wfile.write(b"0\r\n\r\n")
        self.wfile.flush()

    def read_body(self) -> tuple[int, str, bytes]:
        """The request body by Content-Length or chunked: (length, sha256, first 4 KiB)."""
        digest, length, start = hashlib.sha256(), 0, b""

        def take(data: bytes):
            nonlocal length, start
            digest.update(data)
            length += len(data)
            if len(start) < 4096:
                start += data[:4096 - len(start)]

        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass  # trailers
                    break
                while size:
                    data = self.rfile.read(min(size, PIECE))
                    if not data:
                        raise ConnectionError("the chunked body ended early")
                    take(data)
                    size -= len(data)
                self.rfile.readline()
        else:
            left = int(self.headers.get("Content-Length") or 0)
            while left:
                data = self.rfile.read(min(left, PIECE))
                if not data:
                    raise ConnectionError("the body ended early")
                take(data)
                left -= len(data)
        return length, digest.hexdigest(), start

    def client_gone(self, wait: float) -> bool:
        """True once the peer has closed its side (EOF); waits up to `wait` seconds to see."""
        ready, _, _ = select.select([self.connection], [], [], wait)
        if not ready:
            return False
        try:
            gone = self.connection.recv(1, socket.MSG_PEEK) == b""
        except OSError:
            return True
        if not gone:
            time.sleep(wait)  # bytes of a next request wait unread; do not spin on them
        return gone

    # --- dispatch

    def dispatch(self):
        url = urlsplit(self.path)
        path = unquote(url.path)
        query = {name: values[-1] for name, values in parse_qs(url.query, keep_blank_values=True).items()}
        if path != "/__backend/stats":
            stats = self.server.stats
            stats.add("requests")
            if not self.counted:
                self.counted = True
                stats.add("connections")
        body = self.read_body() if path not in ("/ws", "/hang") else (0, hashlib.sha256().hexdigest(), b"")
        try:
            self.route(path, query, body)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    do_GET = do_HEAD = do_POST = do_PUT = do_PATCH = do_DELETE = do_OPTIONS = dispatch

    def route(self, path: str, query: dict[str, str], body):
        exact = {
            "/gzip": self.compressed, "/gzip-always": self.compressed, "/deflate-always": self.compressed,
            "/cookies": self.cookies, "/redirect": self.redirect, "/redirect-relative": self.redirect,
            "/landing": self.landing, "/big": self.big, "/big-chunked": self.big,
            "/close-delimited": self.close_delimited, "/chunked-html": self.chunked_html, "/sse": self.sse,
            "/ws": self.websocket, "/hang": self.hang, "/__backend/stats": self.stats,
            "/empty-html": self.empty_html, "/redirect-html": self.redirect_html,
        }
        if path == "/echo":
            return self.echo(body)
        if path in exact:
            return exact[path](path, query)
        if path == "/":
            return self.template("index", query)
        if path.startswith("/page/"):
            return self.template(path[len("/page/"):], query)
        if path.startswith("/static/"):
            return self.server.static.answer(self, path[len("/static/"):])
        if re.fullmatch(r"/status/[1-5]\d\d", path):
            code = int(path[-3:])
            return self.send_bytes(code, page(f"status {code}", f"<h1>status {code}</h1>"), "text/html; charset=utf-8")
        self.send_simple(404, b"not found\n")

    # --- pages

    def template(self, name: str, query: dict[str, str]):
        variables = {"path": self.path, "host": self.headers.get("Host", ""), **query}
        text = self.server.templates.render(name + ".html", variables)
        if text is None:
            return self.send_simple(404, f"no template {name}.html\n".encode())
        self.send_bytes(200, text.encode(), "text/html; charset=utf-8", [("Cache-Control", "no-cache")])

    def compressed(self, path: str, query: dict[str, str]):
        kind = query.get("type", "text/html")
        plain = COMPRESSED_PAGE if kind == "text/html" else "".join(
            f"/* {kind} line {n} */\n" for n in range(200)).encode()
        accepted = [part.split(";")[0].strip().lower() for part in (self.headers.get("Accept-Encoding") or "").split(",")
                    if not re.search(r";\s*q=0(\.0*)?\s*$", part)]
        if path == "/deflate-always":
            encoding, data = "deflate", zlib.compress(plain)
        elif path == "/gzip-always" or "gzip" in accepted:
            encoding, data = "gzip", gzip.compress(plain, mtime=0)
        else:
            encoding, data = None, plain
        headers = [("Vary", "Accept-Encoding")] + ([("Content-Encoding", encoding)] if encoding else [])
        self.send_bytes(200, data, f"{kind}; charset=utf-8", headers)

    def chunked_html(self, path: str, query: dict[str, str]):
        self.start_chunked(200, "text/html; charset=utf-8")
        if self.command == "HEAD":
            return
        for n, chunk in enumerate(CHUNKED_HTML):
            if n:
                time.sleep(CHUNK_PAUSE)
            self.write_chunk(chunk)
        self.end_chunked()

    # --- headers

    def cookies(self, path: str, query: dict[str, str]):
        self.send_bytes(200, b"two cookies\n", "text/plain; charset=utf-8", [("Set-Cookie", c) for c in COOKIES])

    def redirect(self, path: str, query: dict[str, str]):
        if path == "/redirect-relative":
            location = "/landing?from=relative"
        else:
            location = query.get("to") or f"http://127.0.0.1:{self.server.server_port}/landing?from=redirect"
        self.send_bytes(302, b"moved\n", "text/plain; charset=utf-8", [("Location", location)])

    def empty_html(self, path: str, query: dict[str, str]):
        self.send_bytes(200, b"", "text/html; charset=utf-8", [])

    def redirect_html(self, path: str, query: dict[str, str]):
        # What Django's redirect() sends: an HTML type and no body.
        self.send_bytes(302, b"", "text/html; charset=utf-8", [("Location", "/landing?from=html")])

    def landing(self, path: str, query: dict[str, str]):
        self.send_simple(200, f"landed from {query.get('from', '?')}\n".encode())

    # --- streams

    def big(self, path: str, query: dict[str, str]):
        size = int(query.get("size", BIG_SIZE))
        stats = self.server.stats
        if path == "/big":
            self.send_bytes(200, None, "application/octet-stream", [("Content-Length", str(size))])
        else:
            self.start_chunked(200, "application/octet-stream")
        if self.command == "HEAD":
            return
        stats.add("big_started")
        for piece in big_bytes(size):
            if path == "/big":
                self.wfile.write(piece)
            else:
                self.write_chunk(piece)
            stats.add("big_bytes", len(piece))
        if path == "/big-chunked":
            self.end_chunked()
        self.wfile.flush()
        stats.add("big_finished")

    def close_delimited(self, path: str, query: dict[str, str]):
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        if self.command != "HEAD":
            for piece in big_bytes(int(query.get("size", 1024 * 1024))):
                self.wfile.write(piece)

    def sse(self, path: str, query: dict[str, str]):
        self.start_chunked(200, "text/event-stream", [("Cache-Control", "no-cache")])
        if self.command == "HEAD":
            return
        stats = self.server.stats
        stats.add("sse_open")
        try:
            n = 0
            while True:
                n += 1
                self.write_chunk(f"id: {n}\ndata: tick {n}\n\n".encode())
                stats.add("sse_events")
                if self.client_gone(SSE_INTERVAL):
                    self.close_connection = True
                    return
        finally:
            stats.add("sse_open", -1)

    def websocket(self, path: str, query: dict[str, str]):
        WebSocketEcho(self).run()

    def hang(self, path: str, query: dict[str, str]):
        stats = self.server.stats
        stats.add("hanging")
        try:
            while not self.client_gone(0.1):
                pass
        finally:
            stats.add("hanging", -1)
        self.close_connection = True

    # --- for the tests

    def echo(self, body):
        length, sha, start = body
        answer = {"method": self.command, "path": self.path, "headers": [[n, v] for n, v in self.headers.items()],
                  "body_length": length, "body_sha256": sha,
                  "body": start.decode("latin-1") if length <= len(start) else None}
        self.send_bytes(200, json.dumps(answer).encode(), "application/json")

    def stats(self, path: str, query: dict[str, str]):
        self.send_bytes(200, json.dumps(self.server.stats.snapshot()).encode(), "application/json",
                        [("Cache-Control", "no-store")])


# --------------------------------------------------------------------------- the server


class BackendServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True  # it comes back on the same port after being killed

    def __init__(self, port: int, root: Path):
        super().__init__(("127.0.0.1", port), Handler)
        self.stats = Stats()
        self.templates = Templates(root / "templates")
        self.static = StaticFiles(root / "static")

    def handle_error(self, request, client_address):
        if not isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            super().handle_error(request, client_address)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="The backend of hmrd's --proxy tests.")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--root", type=Path, required=True, help="the folder holding templates/ and static/")
    args = parser.parse_args(argv)
    server = BackendServer(args.port, args.root)
    print(f"listening on http://127.0.0.1:{server.server_port}", flush=True)
    server.serve_forever()
    return 0


if __name__ == "__main__":
    sys.exit(main())
