"""A real HTTP listener that records the PURGE and BAN requests the platform sends, in
place of the cache (tests check what arrives over the wire, not calls of our code)."""

import contextlib
import http.server
import threading

from tests.varnish import free_port


class _Handler(http.server.BaseHTTPRequestHandler):
    def _record(self):
        self.server.received.append(
            {"method": self.command, "path": self.path, "headers": dict(self.headers.items())}
        )
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_BAN = do_PURGE = do_GET = _record

    def log_message(self, *args):
        pass


class Listener:
    def __init__(self, server):
        self.server = server
        self.port = server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}"

    @property
    def received(self):
        return self.server.received

    def bans(self):
        """The tags of every BAN received, one set per request."""
        return [
            set(r["headers"].get("X-Ban-Tags", "").split("|"))
            for r in self.received
            if r["method"] == "BAN"
        ]

    def banned(self):
        """Every tag banned so far."""
        return set().union(*self.bans()) if self.bans() else set()

    def clear(self):
        self.received.clear()


@contextlib.contextmanager
def purge_listener():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), _Handler)
    server.received = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Listener(server)
    finally:
        server.shutdown()
        server.server_close()
