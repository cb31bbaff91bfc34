#!/usr/bin/env python3
"""A site's backend for the bench's proxy scenario: a stdlib HTTP/1.1 server with keep-alive.

    python3 backend.py [--port N]     # prints "listening PORT", serves until SIGTERM

It serves, from memory, the same bytes on every run:
  /page.html   ~10 KB of HTML ending in </body></html> (the page a proxy injects into)
  /site.css    ~30 KB stylesheet (an asset a proxy passes through)
  /big.bin     50 MB of random-looking bytes (throughput)
Anything else is 404; only GET and HEAD without a body are taken.

One thread and a selector, not http.server's ThreadingHTTPServer: that one starts a
thread per connection, and a proxy that opens a connection per request (nginx without
an upstream keepalive pool) then measured mostly that (connection per request, 4 at a
time: p50 3.2 ms against 0.5 ms kept alive). Here a new connection costs an accept.
Each small answer is one send with Nagle off. It runs as a process of its own, so it
never shares a GIL with the load generator.
"""

from __future__ import annotations

import argparse
import random
import selectors
import socket
import sys
from collections import deque

PAGE_BYTES = 10 * 1024
CSS_BYTES = 30 * 1024
BIG_BYTES = 50 * 1024 * 1024
SEED = 7
#: Most bytes asked of one send(): a slow reader must not make it copy 50 MB each time.
SEND_BYTES = 1 << 20


def page() -> bytes:
    rows = []
    size = 0
    n = 0
    while size < PAGE_BYTES - 200:
        row = f'<li class="item"><a href="/items/{n}">Item {n}</a> <span>{n * 37 % 1000} in stock</span></li>\n'
        rows.append(row)
        size += len(row)
        n += 1
    return ("<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>Catalogue</title>"
            "<link rel=\"stylesheet\" href=\"/site.css\"></head>\n<body><ul>\n" + "".join(rows)
            + "</ul></body></html>\n").encode()


def stylesheet() -> bytes:
    rules = []
    size = 0
    n = 0
    while size < CSS_BYTES:
        rule = f".c{n} {{ color: #{n * 2654435761 % 0xFFFFFF:06x}; margin: {n % 17}px {n % 5}px }}\n"
        rules.append(rule)
        size += len(rule)
        n += 1
    return "".join(rules).encode()


def answer(content_type: str, body: bytes) -> tuple[bytes, memoryview]:
    head = (f"HTTP/1.1 200 OK\r\nContent-Type: {content_type}\r\nContent-Length: {len(body)}\r\n"
            "Cache-Control: no-cache\r\n\r\n").encode()
    return head, memoryview(body)


ANSWERS = {
    "/page.html": answer("text/html; charset=utf-8", page()),
    "/site.css": answer("text/css", stylesheet()),
    "/big.bin": answer("application/octet-stream", random.Random(SEED).randbytes(BIG_BYTES)),
}
NOT_FOUND = (b"HTTP/1.1 404 Not Found\r\nContent-Type: text/plain\r\nContent-Length: 10\r\n\r\n", memoryview(b"not found\n"))
BAD = b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"


class Connection:
    def __init__(self, sock: socket.socket):
        self.sock = sock
        self.inbox = bytearray()
        self.outbox: deque[memoryview] = deque()
        self.closing = False

    def take_requests(self):
        """Queues the answer of every whole request head received so far."""
        while (end := self.inbox.find(b"\r\n\r\n")) >= 0:
            head = bytes(self.inbox[:end]).lower()
            del self.inbox[:end + 4]
            method, _, rest = head.partition(b" ")
            path = rest.partition(b" ")[0].decode(errors="replace")
            if method not in (b"get", b"head") or b"\r\ncontent-length:" in head or b"\r\ntransfer-encoding:" in head:
                self.outbox.append(memoryview(BAD))
                self.closing = True
                return
            head_bytes, body = ANSWERS.get(path, NOT_FOUND)
            if method == b"head":
                self.outbox.append(memoryview(head_bytes))
            elif len(body) < SEND_BYTES:
                self.outbox.append(memoryview(head_bytes + body))
            else:
                self.outbox.append(memoryview(head_bytes))
                self.outbox.append(body)
            if b"\r\nconnection: close" in head:
                self.closing = True
                return

    def flush(self) -> bool:
        """Sends what the socket takes now; False once the connection is done with."""
        while self.outbox:
            first = self.outbox[0]
            try:
                sent = self.sock.send(first[:SEND_BYTES])
            except BlockingIOError:
                return True
            except OSError:
                return False
            if sent == len(first):
                self.outbox.popleft()
            else:
                self.outbox[0] = first[sent:]
        return not self.closing


def serve(listener: socket.socket):
    selector = selectors.DefaultSelector()
    selector.register(listener, selectors.EVENT_READ, None)

    def close(conn: Connection):
        selector.unregister(conn.sock)
        conn.sock.close()

    while True:
        for key, events in selector.select():
            if key.data is None:
                while True:
                    try:
                        sock, _ = listener.accept()
                    except BlockingIOError:
                        break
                    sock.setblocking(False)
                    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                    selector.register(sock, selectors.EVENT_READ, Connection(sock))
                continue
            conn: Connection = key.data
            if events & selectors.EVENT_READ:
                try:
                    data = conn.sock.recv(65536)
                except (BlockingIOError, InterruptedError):
                    data = None
                except OSError:
                    data = b""
                if data == b"":
                    close(conn)
                    continue
                if data:
                    conn.inbox += data
                    conn.take_requests()
            if not conn.flush():
                close(conn)
                continue
            wanted = selectors.EVENT_READ | (selectors.EVENT_WRITE if conn.outbox else 0)
            if wanted != key.events:
                selector.modify(conn.sock, wanted, conn)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()
    listener = socket.socket()
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", args.port))
    listener.listen(1024)
    listener.setblocking(False)
    print(f"listening {listener.getsockname()[1]}", flush=True)
    try:
        serve(listener)
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
