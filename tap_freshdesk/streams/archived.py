"""Archived tickets, and any ticket no list could reach, found by probing the ids in between.

Freshdesk archives closed tickets inactive for 120 days (support article 212901; API reference,
"Archive Tickets"): they leave every `/tickets` list, filters included, `/tickets/{id}` answers
404, and only `GET /tickets/archived/{id}` (the ticket, `description` included, `"archived":
true`) and `GET /tickets/archived/{id}/conversations` serve them, one by one: there is no list.
Ticket ids are sequential per account, so archived tickets are among the ids no list returned.
The other ids there were deleted for good (404 everywhere) or are live tickets a list could not
reach (past the 300-page cap of one second's bulk update): `/tickets/{id}` serves those.

The probe is the last partition of the tickets stream, so it runs after the ticket passes have
shown which ids exist. Its STATE holds the ids still to probe, as ranges, and the highest id
settled: a later run probes only ids above it, and a killed run resumes at the next id.
"""

from __future__ import annotations

import functools
import threading
import time
import typing as t
from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field

from singer_sdk import RESTStream

from tap_freshdesk.client import SCHEMAS, FreshdeskStream
from tap_freshdesk.errors import StreamUnavailableError
from tap_freshdesk.logs import per_parent_notices
from tap_freshdesk.timestamps import format_api_time, is_at_or_after

if t.TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

    from singer_sdk.helpers.types import Context

#: The probe's partition context. The SDK copies partition keys into the records it writes
#: that lack them: every record of this partition carries `archived` already (true, or false
#: for a live ticket the probe found), so the key adds nothing to a record.
PROBE_PARTITION: dict[str, t.Any] = {"archived": True}
#: Where the probe partition's STATE keeps its queue.
STATE_KEY = "id_probe"
#: Seconds between progress lines of the probe.
REPORT_INTERVAL = 30.0

Record = dict[str, t.Any]


class ListedIds:
    """The ticket ids this run's lists returned, one bit per id."""

    def __init__(self) -> None:
        self._bits = bytearray()
        self.lowest: int | None = None
        self.highest = 0

    def add(self, ticket_id: int) -> None:
        """Note `ticket_id` as listed."""
        byte = ticket_id >> 3
        if byte >= len(self._bits):
            self._bits.extend(bytes(byte + 1 - len(self._bits) + 4096))
        self._bits[byte] |= 1 << (ticket_id & 7)
        self.highest = max(self.highest, ticket_id)
        self.lowest = ticket_id if self.lowest is None else min(self.lowest, ticket_id)

    def __contains__(self, ticket_id: object) -> bool:
        if not isinstance(ticket_id, int) or ticket_id < 0 or ticket_id >> 3 >= len(self._bits):
            return False
        return bool(self._bits[ticket_id >> 3] & (1 << (ticket_id & 7)))


@dataclass
class ProbeQueue:
    """The ids to probe: every id up to `settled` was either listed or queued in `pending`.

    `pending` holds ascending, disjoint `[low, high]` ranges; ids leave it as they are probed.
    """

    settled: int = 0
    pending: list[list[int]] = field(default_factory=list)
    started: bool = False

    @classmethod
    def from_state(cls, value: t.Any) -> ProbeQueue:
        """Read the queue a previous run left in the STATE; a fresh one when there is none."""
        if not isinstance(value, dict):
            return cls()
        ranges = [
            [int(r[0]), int(r[1])]
            for r in value.get("pending") or []
            if isinstance(r, list) and len(r) == 2
        ]
        return cls(int(value.get("settled") or 0), ranges, started=True)

    def to_state(self) -> dict[str, t.Any]:
        """Return the queue as the STATE keeps it."""
        return {"settled": self.settled, "pending": [list(r) for r in self.pending]}

    def add_gaps(self, listed: ListedIds, floor: int) -> None:
        """Queue the ids above `settled` (and `floor`) up to the highest listed that no list had."""
        low = max(self.settled, floor) + 1
        run_start: int | None = None
        for ticket_id in range(low, listed.highest + 1):
            if ticket_id in listed:
                if run_start is not None:
                    self.pending.append([run_start, ticket_id - 1])
                    run_start = None
            elif run_start is None:
                run_start = ticket_id
        if run_start is not None:
            self.pending.append([run_start, listed.highest])
        self.settled = max(self.settled, listed.highest)
        self.started = True

    def ids(self) -> Iterator[int]:
        """Every queued id, ascending (a snapshot: probing does not change what it yields)."""
        for low, high in [list(r) for r in self.pending]:
            yield from range(low, high + 1)

    def probed(self, ticket_id: int) -> None:
        """Drop `ticket_id` and every queued id below it: probing goes in ascending order."""
        while self.pending and self.pending[0][1] <= ticket_id:
            self.pending.pop(0)
        if self.pending and self.pending[0][0] <= ticket_id:
            self.pending[0][0] = ticket_id + 1

    @property
    def size(self) -> int:
        """How many ids are still queued."""
        return sum(high - low + 1 for low, high in self.pending)


class _OneTicket(FreshdeskStream):
    """One ticket by id: a lookup of the probe, never synced as a stream of its own.

    A 404 is an answer here (the id is not there), not an error.
    """

    path = "/tickets/{ticket_id}"
    replication_key = None
    not_found_is_empty = True

    def __init__(self, *args: t.Any, **kwargs: t.Any) -> None:
        super().__init__(*args, **kwargs)
        self.logger.addFilter(per_parent_notices)  # "Pagination stopped" per 404

    @functools.cached_property
    def schema(self) -> dict[str, t.Any]:
        """The tickets stream's schema: these answers are tickets."""
        return SCHEMAS.get_schema("tickets")

    def get_url_params(self, context: Context | None, next_page_token: t.Any) -> dict[str, t.Any]:
        """No query: a single object takes no paging parameters."""
        return {}

    def fetch(self, ticket_id: int) -> Record | None:
        """Return the ticket, or None when this endpoint does not have it; errors raised."""
        found = list(RESTStream.request_records(self, {"ticket_id": ticket_id}))
        return found[0] if found else None


class _ArchivedTicket(_OneTicket):
    name = "archived_ticket_lookups"
    path = "/tickets/archived/{ticket_id}"
    plan_feature = "ticket archiving"


class _LiveTicket(_OneTicket):
    name = "ticket_lookups"


@dataclass
class ProbeCounts:
    """What the probe pass has done, for its progress line."""

    queued: int
    probed: int = 0
    archived: int = 0
    live: int = 0
    gone: int = 0
    requests: int = 0
    started: float = field(default_factory=time.monotonic)

    def line(self) -> str:
        """One progress line: counts, and the time left at the rate so far."""
        elapsed = max(time.monotonic() - self.started, 1e-6)
        left = self.queued - self.probed
        eta = left * elapsed / self.probed if self.probed else 0.0
        return (
            f"Probe of ticket ids: {self.probed:,} of {self.queued:,} probed, "
            f"{self.archived:,} archived, {self.live:,} live past the lists, {self.gone:,} gone "
            f"(deleted for good), {self.requests:,} requests; about {eta:,.0f} s left at the "
            "current rate"
        )


class ArchiveProbe(FreshdeskStream):
    """The tickets stream's last partition: every id no list returned, probed once.

    For each id, ascending: `/tickets/archived/{id}` first, then `/tickets/{id}`; neither
    answering means the ticket was deleted for good. Archived tickets are written to `tickets`
    with `archived: true`, so a target upserting by id keeps one row per ticket, and their
    conversations to `conversations`. A plan without archiving answers 403: one warning, and
    only live tickets are looked for.
    """

    _archive_available = True
    _archive_lock = threading.Lock()

    @property
    def partitions(self) -> list[dict[str, t.Any]] | None:
        """The ticket passes, then the probe unless `probe_missing_tickets` is off."""
        passes = super().partitions or [{}]
        if not self.settings.probe_missing_tickets:
            return passes
        return [*passes, dict(PROBE_PARTITION)]

    def post_process(self, row: Record, context: Context | None = None) -> Record | None:
        """Note each id the lists return: the probe skips them."""
        if not _is_probe(context) and isinstance(row.get("id"), int):
            self._listed_ids.add(row["id"])
        return super().post_process(row, context)

    @functools.cached_property
    def _listed_ids(self) -> ListedIds:
        return ListedIds()

    def get_records(self, context: Context | None) -> Iterable[Record]:
        """Return the records; the probe reads ahead on its own, so its STATE follows the output."""
        if _is_probe(context):
            return self.pass_records(context)
        return super().get_records(context)

    def pass_records(self, context: Context | None) -> Iterator[Record]:
        """Yield the probe's tickets in the probe partition, the lists' in the others."""
        if _is_probe(context):
            return self._probe(context)
        return super().pass_records(context)

    def bookmark_moves(self, record: Record, context: Context | None) -> bool:
        """Keep no `updated_at` bookmark for the probe: its queue is its bookmark."""
        return not _is_probe(context) and super().bookmark_moves(record, context)

    def _probe(self, context: Context | None) -> Iterator[Record]:
        """Probe the queued ids in order; after each, the STATE drops it from the queue.

        The generator resumes after the SDK wrote the record it yielded (and its children),
        so the STATE written then never claims an id whose ticket is not written yet.
        """
        state = self.get_context_state(context)
        queue = ProbeQueue.from_state(state.get(STATE_KEY))
        listed = self._listed_ids
        floor = 0
        if not queue.started and self.settings.start_date and listed.lowest is not None:
            floor = listed.lowest - 1  # ids below were created before `start_date`
        queue.add_gaps(listed, floor)
        counts = ProbeCounts(queued=queue.size)
        if not counts.queued:
            # Nothing to probe: the stream's final STATE carries the queue, no STATE of its own.
            state[STATE_KEY] = queue.to_state()
            self.state_manager.is_flushed = False
            return
        self._save(state, queue)
        bound = format_api_time(self.since(context))
        last_report = time.monotonic()
        for ticket_id, kind, record in self._outcomes(queue.ids(), counts):
            counts.probed += 1
            if record is not None and is_at_or_after(record.get("updated_at"), bound):
                yield record
            queue.probed(ticket_id)
            self._save(state, queue)
            if kind == "archived":
                counts.archived += 1
            elif kind == "live":
                counts.live += 1
            else:
                counts.gone += 1
            if time.monotonic() - last_report >= REPORT_INTERVAL:
                last_report = time.monotonic()
                self.logger.info(counts.line())
        self.logger.info(counts.line())

    def _save(self, state: dict[str, t.Any], queue: ProbeQueue) -> None:
        """Write the queue to the STATE and the STATE out, so a kill loses no probed id."""
        state[STATE_KEY] = queue.to_state()
        self.state_manager.is_flushed = False
        self.write_state_message()

    def _outcomes(
        self, ids: Iterable[int], counts: ProbeCounts
    ) -> Iterator[tuple[int, str, Record | None]]:
        """Probe `ids` with up to `max_concurrency` in flight; answers in id order."""
        workers = self.settings.max_concurrency
        if workers <= 1:
            for ticket_id in ids:
                yield (ticket_id, *self._probe_one(ticket_id, counts))
            return
        with ThreadPoolExecutor(workers, "id-probe") as pool:
            window: deque[tuple[int, Future[tuple[str, Record | None]]]] = deque()
            for ticket_id in ids:
                window.append((ticket_id, pool.submit(self._probe_one, ticket_id, counts)))
                if len(window) >= 2 * workers:
                    done_id, future = window.popleft()
                    yield (done_id, *future.result())
            while window:
                done_id, future = window.popleft()
                yield (done_id, *future.result())

    def _probe_one(self, ticket_id: int, counts: ProbeCounts) -> tuple[str, Record | None]:
        """Return ("archived" | "live" | "gone", the ticket to write or None) of one id."""
        if self._archive_available:
            counts.requests += 1
            try:
                record = self._lookups[0].fetch(ticket_id)
            except StreamUnavailableError as exc:
                with self._archive_lock:
                    if self._archive_available:
                        self._archive_available = False
                        self.logger.warning(
                            "Archived tickets are not extracted: %s Only live tickets are probed.",
                            exc,
                        )
                record = None
            if record is not None:
                record["archived"] = True
                self._flag(record)
                return "archived", record
        counts.requests += 1
        record = self._lookups[1].fetch(ticket_id)
        if record is None:
            return "gone", None
        if (record.get("deleted") or record.get("spam")) and not self.settings.include_deleted:
            return "gone", None
        record.setdefault("archived", False)
        self._flag(record)
        return "live", record

    def _flag(self, record: Record) -> None:
        """Flag the record as the list passes do (`deleted: false`…); start its children."""
        for view in self.flagged_passes:
            record.setdefault(view.flag, False)
        self.start_children(record, None)

    @functools.cached_property
    def _lookups(self) -> tuple[_ArchivedTicket, _LiveTicket]:
        return (
            _ArchivedTicket(tap=self.tap, shared=self.shared),
            _LiveTicket(tap=self.tap, shared=self.shared),
        )


def _is_probe(context: Context | None) -> bool:
    return bool(context and context.get("archived"))
