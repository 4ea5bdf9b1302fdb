"""Freshdesk's ticket activities export: the daily files, and the host that serves them.

`GET /api/v2/export/ticket_activities?created_at=YYYY-MM-DD` (api.py) answers with a link to
that day's file on another host: on Freshdesk a pre-signed S3 link, whose query string is its
only credential. `FileHost` is that host, on a port of its own. Like S3 it refuses a pre-signed
request that also carries an `Authorization` header (400 `InvalidArgument`, "Only one auth
mechanism allowed"), and a link whose signature is wrong (403 `SignatureDoesNotMatch`), so a
client that sends its Freshdesk key along fails here as it would there.

Shapes, from real sources: the export answer `{"export": [{"created_at": "1-1-2022", "url"}]}`
(Freshdesk's ExportController and its view, public copy Ramesh-Veeriaperumal/freshconsult,
api/app/controllers/export_controller.rb and api/app/views/export/ticket_activities.json.api),
also seen as `{"export": {"url"}}`; the file `{"metadata": {...}, "activities_data": [...]}` with
`performed_at` day first (Airbyte source-freshdesk unit_tests/integration/
test_ticket_activities.py); the `activity` keys a real account's export carried
(AlexeiTsybulsky/tap-freshdesk, tap_freshdesk/schemas/ticket_activities.json).

The seeded history is years old and a file is kept 30 days, so each day in the window gets
activities of its own: up to `activity_tickets_per_day` live tickets (ids spread by day), each
created, replied to, updated and tagged on that day. Days from the clock's today on have no
file yet (400 `invalid_value` on `created_at`, as the controller answers); older than the
window, 404.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import random
import threading
from datetime import UTC, date, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlencode, urlsplit

if TYPE_CHECKING:
    from collections.abc import Callable

    from tests.simulator.store import Account

#: Days a daily export file is kept.
RETENTION_DAYS = 30
FILE_PATH = "/activities-export/{day}.json"
STATUS_NAMES = {2: "Open", 3: "Pending", 4: "Resolved", 5: "Closed"}
PERFORMED_AT = "%d-%m-%Y %H:%M:%S +0000"
#: S3's answers (bodies as S3 sends them).
S3_TWO_AUTHS = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>InvalidArgument</Code><Message>'
    b"Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, Signature "
    b"query string parameter or the Authorization header should be specified</Message>"
    b"<ArgumentName>Authorization</ArgumentName></Error>"
)
S3_BAD_SIGNATURE = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>SignatureDoesNotMatch</Code>'
    b"<Message>The request signature we calculated does not match the signature you provided."
    b"</Message></Error>"
)
#: Faults `FileHost.fail_next` can queue: a 429 with `Retry-After` (a CDN's or proxy's rate
#: limit in front of the bucket), and a 200 whose body stops half-way (a dropped transfer).
FILE_FAULTS = ("429", "truncated")
S3_SLOW_DOWN = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>SlowDown</Code>'
    b"<Message>Please reduce your request rate.</Message></Error>"
)
S3_NO_KEY = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>NoSuchKey</Code>'
    b"<Message>The specified key does not exist.</Message></Error>"
)


def export_days(today: date) -> list[date]:
    """Return the days whose files exist on `today`: the last RETENTION_DAYS, today excluded."""
    return [today - timedelta(days=n) for n in range(RETENTION_DAYS, 0, -1)]


def activities_of_day(account: Account, day: date, per_day: int) -> list[dict[str, Any]]:
    """Return the rows of `day`'s export file, in `performed_at` order."""
    rows: list[dict[str, Any]] = []
    count = account.timeline.count
    offset = day.toordinal() % RETENTION_DAYS + 1
    tickets = [t for t in range(offset, count + 1, RETENTION_DAYS) if account.is_live(t)]
    for ticket_id in tickets[:per_day]:
        ticket = account.ticket(ticket_id)
        if ticket is not None:
            rows += _ticket_rows(ticket, day)
    rows.sort(key=lambda r: datetime.strptime(r["performed_at"], PERFORMED_AT))
    return rows


def _ticket_rows(ticket: dict[str, Any], day: date) -> list[dict[str, Any]]:
    """Return a ticket's day: created by its requester, answered, updated and tagged by an agent."""
    rng = random.Random(f"activities/{day.isoformat()}/{ticket['id']}")
    start = datetime(day.year, day.month, day.day, tzinfo=UTC)
    moments = sorted(start + timedelta(seconds=rng.randrange(86_400)) for _ in range(4))
    agent = ticket["responder_id"] or ticket["requester_id"]

    def row(moment: datetime, performer: int, activity: dict[str, Any]) -> dict[str, Any]:
        return {
            "performed_at": moment.strftime(PERFORMED_AT),
            "ticket_id": ticket["id"],
            "performer_type": "user",
            "performer_id": performer,
            "activity": activity,
        }

    rows = [
        row(
            moments[0],
            ticket["requester_id"],
            {
                "new_ticket": True,
                "status": "Open",
                "priority": ticket["priority"],
                "source": ticket["source"],
                "requester_id": ticket["requester_id"],
            },
        ),
        row(moments[1], agent, {"note": {"id": rng.randrange(10**9, 10**10), "type": 2}}),
        row(
            moments[2],
            agent,
            {"status": STATUS_NAMES.get(ticket["status"], "Open"), "agent_id": agent},
        ),
    ]
    if ticket["tags"]:
        rows.append(row(moments[3], agent, {"added_tags": list(ticket["tags"])}))
    return rows


class FileHost:
    """The export files' host: a second origin, answering pre-signed links only."""

    def __init__(
        self,
        files: Callable[[date], list[dict[str, Any]]],
        pending_downloads: Callable[[], int],
    ) -> None:
        self._files = files
        self._pending_downloads = pending_downloads
        self._secret = random.Random(7).randbytes(16)
        self._downloads: dict[str, int] = {}
        self._faults: list[str] = []
        self._lock = threading.Lock()
        #: (path, whether an Authorization header came, status) of every request.
        self.requests: list[tuple[str, bool, int]] = []
        self._server: ThreadingHTTPServer | None = None
        self.origin = ""

    def start(self, host: str) -> None:
        """Serve the export files on a free loopback port (the host of the links)."""
        self._server = ThreadingHTTPServer((host, 0), _handler_for(self))
        self._server.daemon_threads = True
        bound_host, port = self._server.server_address[:2]
        name = bound_host.decode() if isinstance(bound_host, bytes) else bound_host
        self.origin = f"http://{f'[{name}]' if ':' in name else name}:{port}"
        threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name="freshdesk-simulator-files",
            daemon=True,
        ).start()

    def stop(self) -> None:
        """Stop serving the export files."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def fail_next(self, kind: str, count: int = 1) -> None:
        """Fail the next `count` file requests as `kind`, one of FILE_FAULTS."""
        if kind not in FILE_FAULTS:
            raise ValueError(f"unknown file fault {kind!r}; one of {FILE_FAULTS}")
        with self._lock:
            self._faults += [kind] * count

    def next_fault(self) -> str | None:
        """Return the fault the next file request meets, if one is queued."""
        with self._lock:
            return self._faults.pop(0) if self._faults else None

    def link(self, day: date) -> str:
        """Return a pre-signed link to `day`'s file, S3 style."""
        path = FILE_PATH.format(day=day.isoformat())
        query = {
            "X-Amz-Algorithm": "AWS4-HMAC-SHA256",
            "X-Amz-Expires": "900",
            "X-Amz-Signature": self._signature(path),
        }
        return f"{self.origin}{path}?{urlencode(query)}"

    def _signature(self, path: str) -> str:
        return hmac.new(self._secret, path.encode(), hashlib.sha256).hexdigest()

    def answer(self, path: str, query: dict[str, str], authorization: bool) -> tuple[int, bytes]:
        """(status, body) of GET `path`: S3's checks, then the file."""
        if authorization:
            return 400, S3_TWO_AUTHS
        if not hmac.compare_digest(query.get("X-Amz-Signature", ""), self._signature(path)):
            return 403, S3_BAD_SIGNATURE
        day_text = path.removeprefix("/activities-export/").removesuffix(".json")
        try:
            day = date.fromisoformat(day_text)
        except ValueError:
            return 404, S3_NO_KEY
        with self._lock:
            seen = self._downloads[path] = self._downloads.get(path, 0) + 1
        if seen <= self._pending_downloads():
            return 404, S3_NO_KEY
        rows = self._files(day)
        start = day.strftime("%d-%m-%Y 00:00:00 +0000")
        end = day.strftime("%d-%m-%Y 23:59:59 +0000")
        body = {
            "metadata": {"start_at": start, "end_at": end, "activities_count": len(rows)},
            "activities_data": rows,
        }
        return 200, json.dumps(body, separators=(",", ":")).encode()


def _handler_for(host: FileHost) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:
            """Quiet: `FileHost.requests` is the log."""

        def do_GET(self) -> None:
            parts = urlsplit(self.path)
            authorization = "Authorization" in self.headers
            fault = host.next_fault()
            if fault == "429":
                status, body = 429, S3_SLOW_DOWN
            else:
                status, body = host.answer(parts.path, dict(parse_qsl(parts.query)), authorization)
            host.requests.append((parts.path, authorization, status))
            self.send_response(status)
            kind = "application/json" if status == 200 else "application/xml"
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            if status == 429:
                self.send_header("Retry-After", "1")
            self.end_headers()
            if fault == "truncated":
                self.close_connection = True
                body = body[: len(body) // 2]
            self.wfile.write(body)

    return Handler
