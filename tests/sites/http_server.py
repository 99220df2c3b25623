"""A live application server for tests that speak HTTP (headers as a cache sees them).

As in ``tests/browser/conftest.py``: pytest-django's ``live_server`` fixture would empty
every table after the module, so the server class is started here directly; on SQLite it
shares the in-memory database, on PostgreSQL it reads what is committed.
"""

import http.client
from dataclasses import dataclass

from tests.varnish import free_port


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    def header(self, name, default=""):
        return self.headers.get(name, default)

    def cache_control(self):
        return {
            part.strip().split("=")[0].lower(): (part.split("=", 1)[1] if "=" in part else True)
            for part in self.header("Cache-Control").split(",")
            if part.strip()
        }

    def vary(self):
        return {v.strip().lower() for v in self.header("Vary").split(",") if v.strip()}


def request(port, path, host="alpha.localhost", method="GET", headers=None, body=None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request(method, path, body=body, headers={"Host": host, **(headers or {})})
        response = connection.getresponse()
        return Response(response.status, response.headers, response.read())
    finally:
        connection.close()


def start_live_server():
    from pytest_django.live_server_helper import LiveServer

    return LiveServer(f"127.0.0.1:{free_port()}")
