"""The HTTP side: Freshdesk's URLs, auth, pagination, errors and headers, over a real socket."""

from __future__ import annotations

import base64
import json
import random
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, fields
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from tests.simulator.config import SimulatorConfig
from tests.simulator.data import stamp
from tests.simulator.limits import FaultPlan, RateWindow
from tests.simulator.store import Account

API = "/api/v2"
TICKET_PAGE_CAP = 300
PAGE_CAP_MESSAGE = (
    "You cannot access tickets beyond the 300th page. Please provide a smaller page number."
)
PATHS = {
    "/contacts": "contacts",
    "/companies": "companies",
    "/agents": "agents",
    "/groups": "groups",
    "/roles": "roles",
    "/time_entries": "time_entries",
    "/surveys/satisfaction_ratings": "satisfaction_ratings",
    "/ticket_fields": "ticket_fields",
    "/contact_fields": "contact_fields",
    "/company_fields": "company_fields",
}
CONVERSATIONS = re.compile(r"^/tickets/(\d+)/conversations$")
INCLUDES = {"stats", "requester", "company", "description"}


@dataclass
class RequestRecord:
    """One API request as the simulator saw it."""

    time: float
    method: str
    path: str
    query: dict[str, str]
    status: int
    retry_after: float = 0.0


class ApiError(Exception):
    """An error answer: status and Freshdesk's JSON body."""

    def __init__(self, status: int, body: dict[str, Any]) -> None:
        super().__init__(status)
        self.status = status
        self.body = body


def invalid(field: str, message: str) -> ApiError:
    """Freshdesk's 400 shape: a description and one error per refused field."""
    errors = [{"field": field, "message": message, "code": "invalid_value"}]
    return ApiError(400, {"description": "Validation failed", "errors": errors})


class Simulator:
    """A Freshdesk account behind a real HTTP server on loopback."""

    def __init__(self, config: SimulatorConfig | None = None) -> None:
        self.config = config or SimulatorConfig()
        self.account = Account(self.config)
        self.rate = RateWindow(self.config)
        self.faults = FaultPlan(self.config)
        self.rng = random.Random(self.config.seed * 15_485_863)
        self.request_log: list[RequestRecord] = []
        self.counts: dict[str, Any] = {
            "requests": 0,
            "by_endpoint": {},
            "status": {},
            "credits": 0,
            "faults": 0,
            "rate_limited": 0,
        }
        self.hooks: list[Callable[[str, str, dict[str, str]], None]] = []
        self.lock = threading.Lock()
        self.server: ThreadingHTTPServer | None = None
        self.base_url = ""

    # Life cycle

    def start(self, host: str = "127.0.0.1", port: int = 0) -> str:
        handler = type("Handler", (_Handler,), {"simulator": self})
        self.server = ThreadingHTTPServer((host, port), handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.base_url = f"http://{host}:{self.server.server_address[1]}{API}"
        return self.base_url

    def stop(self) -> None:
        if self.server:
            self.server.shutdown()
            self.server.server_close()

    def __enter__(self) -> Simulator:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # Control surface

    @property
    def api_key(self) -> str:
        return self.config.api_key

    def truth(self, stream: str) -> list[dict[str, Any]]:
        return self.account.truth(stream)

    def stats(self) -> dict[str, Any]:
        with self.lock:
            return json.loads(json.dumps({**self.counts, "mutations": self.account.mutations}))

    def configure(self, **changes: Any) -> None:
        names = {f.name for f in fields(SimulatorConfig)}
        unknown = set(changes) - names
        if unknown:
            raise TypeError(f"unknown simulator settings: {sorted(unknown)}")
        for name, value in changes.items():
            setattr(
                self.config, name, tuple(value) if name in {"latency_ms", "fault_kinds"} else value
            )

    def fail_next(self, kind: str, count: int = 1, path_prefix: str | None = None) -> None:
        self.faults.queue(kind, count, path_prefix)

    def mutate(self, **counts: int) -> dict[str, list[int]]:
        return self.account.mutate(**counts)

    def update_ticket(self, ticket_id: int) -> None:
        self.account.change_ticket(ticket_id)

    def delete_ticket(self, ticket_id: int) -> None:
        self.account.change_ticket(ticket_id, deleted=True)

    def spam_ticket(self, ticket_id: int) -> None:
        self.account.change_ticket(ticket_id, spam=True)

    def add_conversation(self, ticket_id: int) -> int:
        return self.account.add_conversation(ticket_id)

    def update_contact(self, contact_id: int) -> None:
        self.account.mutate()  # keeps the counter semantics in one place
        index = contact_id - self.account.contact(1)["id"] + 1
        self.account.contact_changes[index] = {"updated_at": stamp(self.config.clock())}

    def on_request(self, callback: Callable[[str, str, dict[str, str]], None]) -> None:
        self.hooks.append(callback)

    # Serving

    def answer(
        self, method: str, path: str, query: dict[str, str], auth: str | None
    ) -> tuple[int, dict[str, str], Any]:
        """Status, headers and JSON body for one API request (faults are the handler's)."""
        for hook in list(self.hooks):
            hook(method, path, query)
        if not self._authorised(auth):
            return (
                401,
                {},
                {
                    "code": "invalid_credentials",
                    "message": "You have to be logged in to perform this action.",
                },
            )
        route = path.removeprefix(API)
        list_name = {"/tickets": "tickets", "/contacts": "contacts"}.get(route)
        includes = {i for i in query.get("include", "").split(",") if i}
        verdict = self.rate.charge(1 + 2 * len(includes & INCLUDES), list_name)
        headers = {
            "X-Ratelimit-Total": str(verdict.total),
            "X-Ratelimit-Remaining": str(verdict.remaining),
            "X-Ratelimit-Used-CurrentRequest": "0"
            if not verdict.allowed
            else str(1 + 2 * len(includes & INCLUDES)),
        }
        if not verdict.allowed:
            headers["Retry-After"] = str(verdict.retry_after)
            return 429, headers, {"message": "You have exceeded the limit of requests per minute"}
        try:
            records, page_size, page = self._route(route, query, includes)
        except ApiError as error:
            return error.status, headers, error.body
        if records is None:
            return 404, headers, {"code": "not_found", "message": "Record not found"}
        more = len(records) > page_size
        if more:
            headers["Link"] = f'<{self._next_url(path, query, page)}>; rel="next"'
        return 200, headers, records[:page_size]

    def _authorised(self, auth: str | None) -> bool:
        if not auth or not auth.startswith("Basic "):
            return False
        try:
            user = base64.b64decode(auth[6:]).decode().split(":", 1)[0]
        except (ValueError, UnicodeDecodeError):
            return False
        return user == self.config.api_key

    def _route(
        self, route: str, query: dict[str, str], includes: set[str]
    ) -> tuple[list[dict[str, Any]] | None, int, int]:
        page_size = _positive(
            query, "per_page", 30, "It should be a Positive Integer less than or equal to 100"
        )
        if page_size > 100:
            raise invalid("per_page", "It should be a Positive Integer less than or equal to 100")
        page = _positive(query, "page", 1, "It should be a Positive Integer")
        skip = (page - 1) * page_size
        stream = PATHS.get(route) or ("tickets" if route == "/tickets" else None)
        if (match := CONVERSATIONS.match(route)) is not None:
            stream = "conversations"
        if stream in self.config.disabled_features:
            raise ApiError(
                403,
                {
                    "code": "access_denied",
                    "message": "You are not authorized to perform this action.",
                },
            )
        if route == "/tickets":
            if page > TICKET_PAGE_CAP:
                raise invalid(
                    "page",
                    PAGE_CAP_MESSAGE,
                )
            for name in ("updated_since",):
                if name in query:
                    query[name] = _timestamp(query, name)
            records = self.account.list_tickets(query, skip, page_size + 1)
            return [_with_includes(r, includes) for r in records], page_size, page
        if match is not None:
            conversations = self.account.conversations(int(match.group(1)))
            return (
                (None if conversations is None else conversations[skip : skip + page_size + 1]),
                page_size,
                page,
            )
        if stream is None:
            raise ApiError(404, {"code": "not_found", "message": "Not found"})
        for name in ("_updated_since", "created_since"):
            if name in query:
                query[name] = _timestamp(query, name)
        records = self.account.records(stream, query) or []
        return records[skip : skip + page_size + 1], page_size, page

    def _next_url(self, path: str, query: dict[str, str], page: int) -> str:
        return f"{self.base_url.removesuffix(API)}{path}?{urlencode({**query, 'page': page + 1})}"

    def record(self, entry: RequestRecord, credits: int) -> None:
        with self.lock:
            self.request_log.append(entry)
            self.counts["requests"] += 1
            route = CONVERSATIONS.sub("/tickets/{id}/conversations", entry.path.removeprefix(API))
            endpoint = f"{entry.method} {route}"
            self.counts["by_endpoint"][endpoint] = self.counts["by_endpoint"].get(endpoint, 0) + 1
            self.counts["status"][str(entry.status)] = (
                self.counts["status"].get(str(entry.status), 0) + 1
            )
            self.counts["credits"] += credits
            self.counts["rate_limited"] += entry.status == 429
            mutate = (
                self.config.mutate_every and self.counts["requests"] % self.config.mutate_every == 0
            )
        if mutate:
            self.account.mutate(**self.config.mutate_batch)


def _positive(query: dict[str, str], name: str, default: int, message: str) -> int:
    try:
        value = int(query.get(name, default))
    except ValueError:
        raise invalid(name, message) from None
    if value < 1:
        raise invalid(name, message)
    return value


def _timestamp(query: dict[str, str], name: str) -> str:
    try:
        moment = datetime.fromisoformat(query[name].replace("Z", "+00:00"))
    except ValueError:
        raise invalid(name, "It should be in the 'valid date-time' format") from None
    if moment.tzinfo is None:
        raise invalid(name, "It should be in the 'valid date-time' format")
    return stamp(moment)


def _with_includes(ticket: dict[str, Any], includes: set[str]) -> dict[str, Any]:
    """`description` comes only with include=description; other includes embed objects."""
    record = dict(ticket)
    if "description" not in includes:
        record.pop("description", None)
        record.pop("description_text", None)
    for name in ("stats", "requester", "company"):
        if name not in includes:
            record.pop(name, None)
    return record


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body leave in separate writes; with Nagle on, the body waits ~40 ms for an ACK.
    disable_nagle_algorithm = True
    simulator: Simulator

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: tests read the request log instead."""

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        query = dict(parse_qsl(parts.query))
        if parts.path.startswith("/_sim/"):
            self._control(parts.path, query)
            return
        sim = self.simulator
        lo, hi = sim.config.latency_ms
        if hi > 0:
            time.sleep(sim.rng.uniform(lo, hi) / 1000)
        fault = sim.faults.draw(parts.path)
        if fault is not None:
            sim.record(RequestRecord(time.monotonic(), "GET", parts.path, query, 0), 0)
            with sim.lock:
                sim.counts["faults"] += 1
            self._fault(fault)
            return
        status, headers, body = sim.answer(
            "GET", parts.path, dict(query), self.headers.get("Authorization")
        )
        credits = int(headers.get("X-Ratelimit-Used-CurrentRequest", "0"))
        retry_after = float(headers.get("Retry-After", 0))
        sim.record(
            RequestRecord(time.monotonic(), "GET", parts.path, query, status, retry_after), credits
        )
        self._send(status, json.dumps(body).encode(), headers)

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", 0))
        payload = json.loads(self.rfile.read(length) or b"{}")
        path = urlsplit(self.path).path
        if path == "/_sim/mutate":
            self._send(200, json.dumps(self.simulator.mutate(**payload)).encode())
        elif path == "/_sim/config":
            self.simulator.configure(**payload)
            self._send(200, b"{}")
        else:
            self._send(404, b"{}")

    def _control(self, path: str, query: dict[str, str]) -> None:
        if path == "/_sim/stats":
            self._send(200, json.dumps(self.simulator.stats()).encode())
        elif path.startswith("/_sim/truth/"):
            self._send(
                200, json.dumps(self.simulator.truth(path.removeprefix("/_sim/truth/"))).encode()
            )
        else:
            self._send(404, b"{}")

    def _send(
        self,
        status: int,
        body: bytes,
        headers: dict[str, str] | None = None,
        content_type: str = "application/json; charset=utf-8",
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def _fault(self, kind: str) -> None:
        """Fail the way real infrastructure does: error pages, silence, cut bodies."""
        html = b"<html><body><h1>502 Bad Gateway</h1></body></html>"
        if kind == "500":
            self._send(500, b'{"code":"internal_error","message":"We are facing some issues"}')
        elif kind == "502":
            self._send(502, html, content_type="text/html")
        elif kind == "503":
            self._send(503, b'{"message":"Service Unavailable"}', {"Retry-After": "1"})
        elif kind == "invalid_json":
            self._send(200, html, content_type="text/html")
        elif kind == "truncated":
            body = json.dumps(
                [{"id": n, "updated_at": "2024-01-01T00:00:00Z"} for n in range(50)]
            ).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body[: len(body) // 2])
            self.wfile.flush()
        elif kind == "timeout":
            time.sleep(self.simulator.config.stall_seconds)
        # "drop", "timeout" and "truncated" end by closing the socket without (more of) an answer.
        self.close_connection = True
