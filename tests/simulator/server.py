"""The HTTP side: a ThreadingHTTPServer speaking HTTP/1.1 with keep-alive, as Freshdesk does.

Every answer carries Content-Length so a kept-alive connection stays usable; faults break that
on purpose (a dropped connection, a stall, a short body) the way failing infrastructure does.
"""

from __future__ import annotations

import json
import ssl
import time
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlsplit

from tests.simulator.answers import Response, dumps
from tests.simulator.api import API_PREFIX
from tests.simulator.faults import HTML_502, HTML_MAINTENANCE, JSON_500, JSON_503

if TYPE_CHECKING:
    from tests.simulator.simulator import Simulator

JSON_TYPE = "application/json; charset=utf-8"
HTML_TYPE = "text/html; charset=utf-8"
#: The status each fault sends; 0 when the connection closes without one.
FAULT_STATUS = {
    "500": 500,
    "502": 502,
    "503": 503,
    "invalid_json": 200,
    "object_body": 200,
    "truncated": 200,
    "drop": 0,
    "timeout": 0,
    "trickle": 200,
}
#: Writes a "trickle" fault spreads its answer over.
TRICKLE_PARTS = 40


#: Seconds a client has to finish the TLS handshake before its connection is dropped.
HANDSHAKE_SECONDS = 10.0


class SimulatorServer(ThreadingHTTPServer):
    """One thread per connection; threads die with the process.

    With a certificate it speaks HTTPS, as Freshdesk only does: the TLS handshake runs in the
    connection's own thread, so a slow or broken client never blocks the accept loop.
    """

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], simulator: Simulator) -> None:
        self.simulator = simulator
        config = simulator.config
        self.tls: ssl.SSLContext | None = None
        if config.tls_certfile:
            self.tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            self.tls.load_cert_chain(config.tls_certfile, config.tls_keyfile)
        self.public_host = config.public_host
        super().__init__(address, Handler)

    @property
    def origin(self) -> str:
        """`scheme://host:port` as clients reach this server, for absolute Link URLs."""
        host, port = self.server_address[:2]
        name = self.public_host or (host.decode() if isinstance(host, bytes) else host)
        if ":" in name:
            name = f"[{name}]"
        return f"{'https' if self.tls else 'http'}://{name}:{port}"

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        """Wrap the connection in TLS (when configured) inside its thread, then serve it."""
        if self.tls is not None:
            try:
                request.settimeout(HANDSHAKE_SECONDS)
                request = self.tls.wrap_socket(request, server_side=True)
                request.settimeout(None)
            except (ssl.SSLError, OSError):
                # A failed handshake (plain HTTP on the TLS port, an untrusted certificate)
                # closes the connection, as any HTTPS server does.
                request.close()
                return
        super().process_request_thread(request, client_address)


class Handler(BaseHTTPRequestHandler):
    """Routes /_sim/ control requests and Freshdesk API requests."""

    protocol_version = "HTTP/1.1"
    # Headers and body go out in separate writes; with Nagle on, the body waits ~40 ms for an ACK.
    disable_nagle_algorithm = True
    server: SimulatorServer

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the simulator keeps its own request log."""

    def date_time_string(self, timestamp: float | None = None) -> str:
        """`Date` by the account's clock, the one `updated_at` is stamped with.

        Freshdesk's `Date` and its `updated_at` stamps come from the same servers' time; a
        test that sets the clock (a frozen second) must see both move together.
        """
        config = self.server.simulator.config
        if timestamp is None:
            timestamp = config.clock().timestamp()
        return formatdate(timestamp, usegmt=config.date_header != "zoneless")

    def send_response(self, code: int, message: str | None = None) -> None:
        """Send the status line and `Date`; a second `Date` with `date_header="doubled"`."""
        super().send_response(code, message)
        if self.server.simulator.config.date_header == "doubled":
            self.send_header("Date", self.date_time_string())

    def do_GET(self) -> None:
        """Answer an API request, or a `/_sim/` control read."""
        parts = urlsplit(self.path)
        query = dict(parse_qsl(parts.query, keep_blank_values=True))
        if parts.path.startswith("/_sim/"):
            self._control_get(parts.path)
        else:
            self._api("GET", parts.path, query)

    def do_POST(self) -> None:
        """Answer a `/_sim/` control change: mutate, add a custom field, configure."""
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        path = urlsplit(self.path).path
        if not path.startswith("/_sim/"):
            self._api("POST", path, {})
            return
        try:
            payload = json.loads(raw or b"{}")
            if not isinstance(payload, dict):
                raise TypeError("the body must be a JSON object")
            simulator = self.server.simulator
            if path == "/_sim/mutate":
                self._send(Response(200, body=dumps(simulator.mutate(**payload))))
            elif path == "/_sim/custom_field":
                self._send(Response(200, body=dumps(simulator.add_custom_field(**payload))))
            elif path == "/_sim/config":
                simulator.configure(**payload)
                self._send(Response(200, body=b"{}"))
            else:
                self._send(Response(404, body=b'{"message":"unknown control endpoint"}'))
        except (TypeError, ValueError, KeyError) as error:
            self._send(Response(400, body=dumps({"message": str(error)})))

    def _control_get(self, path: str) -> None:
        simulator = self.server.simulator
        if path == "/_sim/stats":
            self._send(Response(200, body=dumps(simulator.stats())))
        elif path.startswith("/_sim/truth/"):
            try:
                truth = simulator.truth(path.removeprefix("/_sim/truth/"))
            except KeyError as error:
                self._send(Response(404, body=dumps({"message": str(error)})))
                return
            self._send(Response(200, body=dumps(truth)))
        else:
            self._send(Response(404, body=b'{"message":"unknown control endpoint"}'))

    def _api(self, method: str, path: str, query: dict[str, str]) -> None:
        simulator = self.server.simulator
        simulator.before_request(method, path, query)
        simulator.wait_latency()
        fault = simulator.faults.draw(path)
        if fault is not None and fault != "trickle":
            # Logged first: a stalled request must show in the stats while it stalls.
            simulator.record(method, path, query, FAULT_STATUS[fault], credits=0, fault=True)
            self._fault(fault)
            return
        if method != "GET" or not path.startswith(API_PREFIX + "/"):
            # The simulator models a read-only API: writes and foreign paths are not served.
            response = Response(405 if method != "GET" else 404)
        else:
            origin = self.server.origin
            response = simulator.api.answer(
                path.removeprefix(API_PREFIX), query, self.headers.get("Authorization"), origin
            )
        # Logged before sending: a client that reads the stats after its answer sees its request.
        simulator.record(
            method,
            path,
            query,
            response.status,
            credits=response.credits if response.status != 429 else 0,
            retry_after=float(response.headers.get("Retry-After", 0)),
            fault=fault is not None,
        )
        if fault == "trickle":
            self._trickle(response)
        else:
            self._send(response)

    def _trickle(self, response: Response) -> None:
        """Send a complete answer a few bytes at a time over `stall_seconds`."""
        self.send_response(response.status)
        self.send_header("Content-Type", JSON_TYPE)
        self.send_header("Content-Length", str(len(response.body)))
        for name, value in response.headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.flush()
        body = response.body
        step = max(1, -(-len(body) // TRICKLE_PARTS))
        pause = self.server.simulator.config.stall_seconds / TRICKLE_PARTS
        try:
            for start in range(0, len(body), step):
                time.sleep(pause)
                self.wfile.write(body[start : start + step])
                self.wfile.flush()
        except OSError:
            self.close_connection = True  # the client gave up waiting

    def _send(self, response: Response, content_type: str = JSON_TYPE) -> None:
        self.send_response(response.status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(response.body)))
        for name, value in response.headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(response.body)

    def _fault(self, kind: str) -> None:
        """Fail the request as `kind`."""
        if kind == "500":
            self._send(Response(500, body=JSON_500))
            return
        if kind == "502":
            self._send(Response(502, body=HTML_502), HTML_TYPE)
            return
        if kind == "503":
            self._send(Response(503, {"Retry-After": "1"}, JSON_503))
            return
        if kind == "invalid_json":
            self._send(Response(200, body=HTML_MAINTENANCE), HTML_TYPE)
            return
        if kind == "object_body":
            self._send(Response(200, body=JSON_503))
            return
        self.close_connection = True
        if kind == "truncated":
            body = dumps([{"id": n, "subject": "x" * 40} for n in range(40)])
            self.send_response(200)
            self.send_header("Content-Type", JSON_TYPE)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body[: len(body) // 2])
            self.wfile.flush()
        elif kind == "timeout":
            time.sleep(self.server.simulator.config.stall_seconds)
        # "drop", "timeout", "truncated": the connection closes without (the rest of) an answer.
