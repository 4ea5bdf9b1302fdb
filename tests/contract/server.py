"""A loopback HTTP server answering the fixtures at their real `/api/v2` paths.

One page per path, no `Link` header: the fixtures are short. A path the fixtures lack
answers 404 and is remembered, so a test can tell the tap asked for a path no real
account serves, or that a fixture is missing.
"""

from __future__ import annotations

import json
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any
from urllib.parse import parse_qsl, urlsplit

API_ROOT = "/api/v2"
#: Query parameters that choose another list on the same path (removed views).
VIEW_PARAMS = ("filter", "state")


class FixtureServer:
    """Serves `responses` (path below /api/v2 → body) on 127.0.0.1, a free port."""

    def __init__(self, responses: dict[str, Any]) -> None:
        self.responses = responses
        self.requested: list[str] = []
        self.missing: list[str] = []
        self.user_agents: set[str] = set()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}{API_ROOT}"

    def __enter__(self) -> FixtureServer:
        self._thread.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._server.shutdown()
        self._server.server_close()

    def answer(self, target: str) -> tuple[int, Any]:
        url = urlsplit(target)
        path = url.path.removeprefix(API_ROOT)
        query = dict(parse_qsl(url.query))
        views = [f"{path}?{key}={query[key]}" for key in VIEW_PARAMS if key in query]
        key = next((view for view in views), path)
        self.requested.append(key)
        if key not in self.responses:
            self.missing.append(key)
            return HTTPStatus.NOT_FOUND, None
        return HTTPStatus.OK, self.responses[key]

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                server.user_agents.add(self.headers.get("User-Agent", ""))
                status, body = server.answer(self.path)
                payload = b"" if body is None else json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args: object) -> None:
                """Quiet: the test reports what was asked for."""

        return Handler
