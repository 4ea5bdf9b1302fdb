"""A proxy before the BigQuery emulator that rejects rows of `insertAll` as BigQuery does.

BigQuery answers a streaming insert with HTTP 200 and, per rejected row, an entry of
`insertErrors`; without `skipInvalidRows` (target-bigquery 0.7.2 never sets it) none of the
request's rows is stored: the invalid row is reported `invalid`, the others `stopped` (API
reference, `tabledata.insertAll`). bqemulator 1.4.0 cannot give that answer (it fails the
whole request with a 500, docs/upstream/bqemulator-insertall-row-errors.md), so this proxy
gives it, for the rows of one table whose record has one id, and forwards everything else.
"""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "content-length"}


@contextmanager
def rejecting_proxy(upstream: str, table: str, record_id: int) -> Iterator[tuple[str, list[int]]]:
    """Yield the proxy's endpoint and the list of rows it rejected (a count per request)."""
    rejected: list[int] = []

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: Any) -> None:
            return

        def _body(self) -> bytes:
            return self.rfile.read(int(self.headers.get("Content-Length") or 0))

        def _relay(self) -> None:
            body = self._body()
            if self.command == "POST" and self.path.split("?")[0].endswith(
                f"/tables/{table}/insertAll"
            ):
                answer = _rejection(json.loads(body), record_id)
                if answer is not None:
                    rejected.append(len(answer["insertErrors"]))
                    self._answer(200, {"Content-Type": "application/json"}, json.dumps(answer))
                    return
            request = urllib.request.Request(
                upstream + self.path,
                data=body if self.command not in {"GET", "DELETE"} or body else None,
                method=self.command,
                headers={k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP},
            )
            try:
                with urllib.request.urlopen(request, timeout=120) as response:
                    self._answer(response.status, dict(response.headers), response.read())
            except urllib.error.HTTPError as error:
                self._answer(error.code, dict(error.headers), error.read())

        def _answer(self, status: int, headers: dict[str, str], body: str | bytes) -> None:
            data = body.encode() if isinstance(body, str) else body
            self.send_response(status)
            for key, value in headers.items():
                if key.lower() not in HOP_BY_HOP:
                    self.send_header(key, value)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _relay

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", rejected
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def _rejection(request: dict[str, Any], record_id: int) -> dict[str, Any] | None:
    """BigQuery's answer to an insert holding the record: that row invalid, the rest stopped."""
    rows = request.get("rows") or []
    marked = [
        index
        for index, row in enumerate(rows)
        if json.loads(row["json"].get("data") or "{}").get("id") == record_id
    ]
    if not marked:
        return None
    errors = [
        {
            "index": index,
            "errors": [
                {"reason": "invalid", "location": "data", "message": "rejected by the test"}
                if index in marked
                else {"reason": "stopped", "location": "", "message": ""}
            ],
        }
        for index in range(len(rows))
    ]
    return {"kind": "bigquery#tableDataInsertAllResponse", "insertErrors": errors}
