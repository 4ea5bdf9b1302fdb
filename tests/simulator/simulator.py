"""The `Simulator`: a Freshdesk account behind a real HTTP server, and the control surface.

Tests drive it in-process (truth, stats, request_log, configure, fail_next, mutate, on_request);
the same surface is served under /_sim/ for when it runs as its own process.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from typing import Any

from tests.simulator.api import API_PREFIX, Api, endpoint_of
from tests.simulator.catalog import HELPDESK_SIZES, KNOWLEDGE_SIZES
from tests.simulator.config import CORE_SIZES, SimulatorConfig
from tests.simulator.exports import FileHost
from tests.simulator.faults import FaultPlan
from tests.simulator.ratelimit import RateLimiter
from tests.simulator.server import SimulatorServer
from tests.simulator.state import BLOCKED, DELETED
from tests.simulator.store import Account
from tests.simulator.translations import STREAMS as TRANSLATED_STREAMS
from tests.simulator.translations import translate

SHUTDOWN_POLL_SECONDS = 0.05
RequestHook = Callable[[str, str, dict[str, str]], None]
#: Knobs read once, when the account is built; changing them at run time would lie.
FIXED = {
    "seed",
    *CORE_SIZES,
    "burst_size",
    "long_thread",
    "custom_object_schemas",
    "custom_object_records",
    *HELPDESK_SIZES,
    *KNOWLEDGE_SIZES,
    "tls_certfile",
    "tls_keyfile",
    "public_host",
    "boolean_auto_assign",
    "lone_recipient_share",
}


@dataclass
class RequestRecord:
    """One API request as the simulator saw it; status 0 when no answer was sent."""

    time: float
    method: str
    path: str
    query: dict[str, str] = field(default_factory=dict)
    status: int = 0
    retry_after: float = 0.0


class Simulator:
    """A Freshdesk API v2 account on 127.0.0.1; `with Simulator(cfg) as sim:` starts and stops."""

    def __init__(self, config: SimulatorConfig | None = None) -> None:
        self.config = config or SimulatorConfig()
        self.account = Account(self.config)
        self.limiter = RateLimiter(self.config)
        self.faults = FaultPlan(self.config)
        self.api = Api(self.config, self.account, self.limiter)
        #: The activities export's file host, a second origin (exports.py).
        self.files = FileHost(
            self.account.activities, lambda: self.config.export_file_pending_downloads
        )
        self.api.export_link = self.files.link
        self.request_log: list[RequestRecord] = []
        self.base_url = ""
        self._latency_rng = random.Random(self.config.seed * 15_485_863)
        self._hooks: list[RequestHook] = []
        self._lock = threading.Lock()
        self._counts: dict[str, Any] = _zero_counts()
        self._server: SimulatorServer | None = None
        self._thread: threading.Thread | None = None

    # Life cycle

    def start(self, host: str = "127.0.0.1", port: int = 0) -> str:
        """Serve on `host:port` (0: a free port); return the API base URL."""
        self._server = SimulatorServer((host, port), self)
        # A short poll: `stop()` waits up to one poll interval for the loop to notice.
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": SHUTDOWN_POLL_SECONDS},
            name="freshdesk-simulator",
            daemon=True,
        )
        self._thread.start()
        self.files.start(host)
        self.base_url = f"{self._server.origin}{API_PREFIX}"
        return self.base_url

    def stop(self) -> None:
        """Stop serving; the file host too."""
        self.files.stop()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> Simulator:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # Control surface

    @property
    def api_key(self) -> str:
        """Return the API key the simulator accepts."""
        return self.config.api_key

    def truth(self, stream: str) -> list[dict[str, Any]]:
        """Every record a complete extraction of `stream` must hold now, as the lists serve them.

        Solution categories, folders and articles include their translations, after the
        primary language's records, as the translated lists serve them (without `language`).
        """
        records = self.account.truth(stream)
        if stream in TRANSLATED_STREAMS:
            primary = list(records)
            for language in self.account.translation_languages():
                records += translate(stream, primary, language)
        return records

    def stats(self) -> dict[str, Any]:
        """Return counts of API requests (control requests excluded) by endpoint and status."""
        with self._lock:
            counts = {
                **self._counts,
                "by_endpoint": dict(self._counts["by_endpoint"]),
                "status": dict(self._counts["status"]),
            }
        counts["mutations"] = self.account.mutations
        return counts

    def configure(self, **changes: Any) -> None:
        """Change run-time knobs of the config (faults, latency, limits, mutate_every…)."""
        names = {f.name for f in fields(SimulatorConfig)}
        unknown = set(changes) - names
        if unknown:
            raise TypeError(f"unknown simulator settings: {sorted(unknown)}")
        fixed = set(changes) & FIXED
        if fixed:
            raise TypeError(f"account size, seed and TLS are fixed once built: {sorted(fixed)}")
        for name, value in changes.items():
            if name in ("latency_ms", "fault_kinds"):
                value = tuple(value)  # noqa: PLW2901 - JSON gives lists
            elif name in (
                "disabled_features",
                "missing_features",
                "forbidden_conversations",
                "refused_archived_tickets",
            ):
                value = set(value)  # noqa: PLW2901
            setattr(self.config, name, value)

    def fail_next(self, kind: str, count: int = 1, path_prefix: str | None = None) -> None:
        """Fail the next `count` API requests whose path starts with `path_prefix` as `kind`."""
        self.faults.queue(kind, count, path_prefix)

    def mutate(self, **counts: int) -> dict[str, list[int]]:
        """Change seeded-random records now; see `Account.mutate`."""
        return self.account.mutate(**counts)

    def update_ticket(self, ticket_id: int) -> None:
        """Edit a ticket now (see `Account.update_ticket`)."""
        self.account.update_ticket(ticket_id)

    def delete_ticket(self, ticket_id: int) -> None:
        """Move a ticket to the trash now: it leaves the list for `filter=deleted`."""
        self.account.change_ticket(ticket_id, deleted=True)

    def spam_ticket(self, ticket_id: int) -> None:
        """Mark a ticket spam now: it leaves the list for `filter=spam`."""
        self.account.change_ticket(ticket_id, spam=True)

    def archive_ticket(self, ticket_id: int) -> None:
        """Archive a live ticket now: it leaves the lists, `/tickets/archived/{id}` serves it."""
        self.account.archive_ticket(ticket_id)

    def purge_ticket(self, ticket_id: int) -> None:
        """Delete a ticket for good: 404 on every endpoint, a gap in the ids."""
        self.account.purge_ticket(ticket_id)

    def add_custom_object(self, name: str, records: int = 3) -> dict[str, Any]:
        """Create a custom object now, with `records` records; return its schema."""
        return self.account.custom_objects.add_schema(name, records, self.account.now_ms())

    def edit_custom_object_record(self, schema_id: int, number: int) -> str:
        """Edit record `number` of a custom object now; returns its display_id."""
        return self.account.custom_objects.edit(schema_id, number, self.account.now_ms())

    def custom_object_truth(self) -> dict[int, list[dict[str, Any]]]:
        """Every custom object's records, by schema id."""
        objects = self.account.custom_objects
        return {s["id"]: objects.all_records(s["id"]) for s in objects.schemas}

    def create_ticket(self) -> int:
        """Create a ticket now; return its id."""
        return self.account.create_ticket()

    def add_conversation(self, ticket_id: int) -> int:
        """Reply to a ticket now; return the conversation's id."""
        return self.account.add_conversation(ticket_id)

    def delete_conversation(self, conversation_id: int) -> None:
        """Delete a reply or note now (see `Account.delete_conversation`)."""
        self.account.delete_conversation(conversation_id)

    def update_contact(self, contact_id: int) -> None:
        """Edit a contact now."""
        self.account.update_contact(contact_id)

    def delete_contact(self, contact_id: int) -> None:
        """Delete a contact now: it moves from the default listing to `state=deleted`."""
        self.account.remove_contact(contact_id, DELETED)

    def block_contact(self, contact_id: int) -> None:
        """Block a contact now: it moves from the default listing to `state=blocked`."""
        self.account.remove_contact(contact_id, BLOCKED)

    def restore_contact(self, contact_id: int) -> None:
        """Restore or unblock a contact now: it rejoins the default listing."""
        self.account.restore_contact(contact_id)

    def delete_company(self, company_id: int) -> None:
        """Delete a company now: it leaves the list, and every later company moves up."""
        self.account.delete_company(company_id)

    def update_company(self, company_id: int) -> None:
        """Edit a company now."""
        self.account.update_company(company_id)

    def update_record(self, stream: str, record_id: int) -> None:
        """Edit a configuration or knowledge record (solution_articles, canned_responses…) now."""
        self.account.update_record(stream, record_id)

    def add_custom_field(
        self, entity: str, name: str, type: str, label: str | None = None
    ) -> dict[str, Any]:
        """Add a `cf_*` field of `type` to "ticket", "contact" or "company" now, as an admin would.

        The definition appears in `<entity>_fields` at once; every record's `custom_fields` gets
        the key (and a nested field's level keys): null on records not edited since, a value of
        the field's type on those edited afterwards. Returns the new definition.
        """
        ident = self.account.add_custom_field(entity, name, type, label)
        definitions = self.account.field_definitions(f"{entity}_fields")
        return next(d for d in definitions if d["id"] == ident)

    def on_request(self, callback: RequestHook) -> None:
        """Call `callback(method, path, query)` before each API request is served."""
        self._hooks.append(callback)

    # Called by the server

    def before_request(self, method: str, path: str, query: dict[str, str]) -> None:
        """Run the hooks of `on_request` before a request is served."""
        for hook in list(self._hooks):
            hook(method, path, dict(query))

    def wait_latency(self) -> None:
        """Hold the request for the configured latency, a random draw in its range."""
        low, high = self.config.latency_ms
        if high > 0:
            with self._lock:
                delay = self._latency_rng.uniform(low, high)
            time.sleep(delay / 1000)

    def record(
        self,
        method: str,
        path: str,
        query: dict[str, str],
        status: int,
        *,
        credits: int,
        retry_after: float = 0.0,
        fault: bool = False,
    ) -> None:
        """Log one API request and, every `mutate_every` requests, apply `mutate_batch`."""
        route = path.removeprefix(API_PREFIX)
        endpoint = f"{method} {endpoint_of(route)}"
        with self._lock:
            self.request_log.append(
                RequestRecord(time.monotonic(), method, path, query, status, retry_after)
            )
            counts = self._counts
            counts["requests"] += 1
            counts["by_endpoint"][endpoint] = counts["by_endpoint"].get(endpoint, 0) + 1
            counts["status"][str(status)] = counts["status"].get(str(status), 0) + 1
            counts["credits"] += credits
            counts["faults"] += fault
            counts["rate_limited"] += status == 429
            every = self.config.mutate_every
            due = bool(every) and counts["requests"] % every == 0
        if due:
            self.account.mutate(**self.config.mutate_batch)


def _zero_counts() -> dict[str, Any]:
    return {
        "requests": 0,
        "by_endpoint": {},
        "status": {},
        "credits": 0,
        "faults": 0,
        "rate_limited": 0,
    }
