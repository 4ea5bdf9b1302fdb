"""Archived tickets, and any ticket no list could reach, found by probing the ids in between.

Freshdesk archives closed tickets inactive for 120 days (support article 212901; API reference,
"Archive Tickets"): they leave every `/tickets` list, filters included, `/tickets/{id}` answers
404, and only `GET /tickets/archived/{id}` (the ticket, `description` included, `"archived":
true`) and `GET /tickets/archived/{id}/conversations` serve them, one by one: there is no list.
Ticket ids are sequential per account, so archived tickets are among the ids no list returned.
Most other ids there were deleted for good: Freshdesk removes tickets left 30 days in Trash or
Spam (Freshworks support article 228016), so on a real account they are a large share of the
ids, and each costs one request here, no more. A live ticket can be missing from the lists only
past the 300-page cap of one second's bulk update: only after a run whose list met the cap are
gaps also asked at `/tickets/{id}` (tap_freshdesk.streams.tickets.probe_queue, `live_until`).

The probe is the last partition of the tickets stream, so it runs after the ticket passes have
shown which ids exist. Its queue (probe_queue) starts at id 1 and is written to the
STATE at the cadence of every stream (sync.state_cadence), an id probed without a
ticket counting as a record: a kill loses at most that much probing, never a ticket. A run
probes at most `probe_ids_per_run` ids, then stops cleanly; the next run goes on from there.
"""

from __future__ import annotations

import functools
import itertools
import threading
import time
import typing as t
from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field

from tap_freshdesk.http.errors import ObjectRefusedError, StreamUnavailableError
from tap_freshdesk.records.timestamps import format_api_time, is_at_or_after
from tap_freshdesk.streams.base import FreshdeskStream
from tap_freshdesk.streams.tickets.lookups import ArchivedTicket, LiveTicket
from tap_freshdesk.streams.tickets.probe_queue import STATE_KEY, ListedIds, ProbeQueue

if t.TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

    from singer_sdk.helpers.types import Context

#: The probe's partition context. The SDK copies partition keys into the records it writes
#: that lack them: every record of this partition carries `archived` already (true, or false
#: for a live ticket the probe found), so the key adds nothing to a record.
PROBE_PARTITION: dict[str, t.Any] = {"archived": True}
#: Seconds between progress lines of the probe.
REPORT_INTERVAL = 30.0

Record = dict[str, t.Any]
#: What one id turned out to be: "archived", "live", "gone" (no ticket there), "refused" (403
#: `access_denied`: kept for a later run) or "kept" (the plan lacks archiving: kept, not asked).
Outcome = tuple[str, Record | None]


@dataclass
class ProbeCounts:
    """What the probe pass has done, for its progress line."""

    queued: int
    probed: int = 0
    requests: int = 0
    kinds: dict[str, int] = field(default_factory=dict)
    started: float = field(default_factory=time.monotonic)

    def line(self, left: int) -> str:
        """One progress line: counts, the ids left in all, the time left for this run."""
        elapsed = max(time.monotonic() - self.started, 1e-6)
        eta = (self.queued - self.probed) * elapsed / self.probed if self.probed else 0.0
        k = self.kinds
        return (
            f"Probe of ticket ids: {self.probed:,} of {self.queued:,} probed, "
            f"{k.get('archived', 0):,} archived, {k.get('live', 0):,} live past the lists, "
            f"{k.get('gone', 0):,} gone (deleted for good), {k.get('refused', 0):,} refused "
            f"(403 access_denied, kept for a later run), {self.requests:,} requests; "
            f"{left:,} ids left to probe in all; about {eta:,.0f} s left in this run at the "
            "current rate"
        )


class ArchiveProbe:
    """The tickets stream's last partition: every id no list returned, probed once.

    A helper the tickets stream owns and calls from its hooks (it is not a stream): the
    stream notes the ids its lists return, and in its probe partition yields this probe's
    records. Archived tickets are written to `tickets` with `archived: true`, so a target
    upserting by id keeps one row per ticket, and their conversations to `conversations`. A
    plan without archiving answers 403 `require_feature`: one warning, and the ids stay
    queued for a run on a plan that has it.
    """

    def __init__(self, stream: FreshdeskStream) -> None:
        self._stream = stream
        self._listed = ListedIds()
        self._available = True
        self._lock = threading.Lock()
        #: The queue being probed, for the STATE written meanwhile (see `put_in_state`).
        self._probing: ProbeQueue | None = None

    def listed(self, row: Record) -> None:
        """Note an id a list returned: the probe skips it."""
        if isinstance(row.get("id"), int):
            self._listed.add(row["id"])

    def note_page_cap(self) -> None:
        """Note that a list met the 300-page cap: gaps below the highest id may be live tickets.

        Noted in the probe's STATE and written at once (the paginator calls this between
        pages, every record above written), so a run killed before its probe leaves the note
        to the next run's probe. A bulk update of 30,000 tickets in one second is rare: one
        STATE more.
        """
        stream = self._stream
        entry = stream.get_context_state(PROBE_PARTITION).setdefault(STATE_KEY, {})
        if isinstance(entry, dict) and not entry.get("live_check"):
            entry["live_check"] = True
            stream.state_changed(write_now=True)

    def put_in_state(self) -> None:
        """Put the probe's queue, as far as its output went, in the stream's STATE.

        The probe's generator drops an id from the queue only when it resumes, after the SDK
        wrote that id's ticket and its children: a STATE never claims an unwritten ticket.
        """
        if self._probing is not None:
            state = self._stream.get_context_state(PROBE_PARTITION)
            state[STATE_KEY] = self._probing.to_state()
            self._stream.state_changed()

    def records(self, context: Context | None) -> Iterator[Record]:
        """Probe the queued ids in order, at most `probe_ids_per_run` of them."""
        stream = self._stream
        state = stream.get_context_state(context)
        queue = ProbeQueue.from_state(state.get(STATE_KEY))
        queue.add_gaps(self._listed)
        state[STATE_KEY] = queue.to_state()
        stream.state_changed()  # the stream's final STATE carries it
        this_run = min(queue.size, stream.settings.probe_ids_per_run)
        if not this_run:
            return
        counts = ProbeCounts(queued=this_run)
        bound = format_api_time(stream.since(context))
        last_report = time.monotonic()
        self._probing = queue
        ids = itertools.islice(queue.ids(), this_run)
        for ticket_id, (kind, record) in self._outcomes(ids, counts, queue.live_until):
            counts.probed += 1
            counts.kinds[kind] = counts.kinds.get(kind, 0) + 1
            if record is not None and is_at_or_after(record.get("updated_at"), bound):
                yield record
            else:
                stream.count_for_state()  # an id settled is progress worth saving
            if kind not in {"refused", "kept"}:
                queue.done(ticket_id)
            stream.write_state_if_due()
            if time.monotonic() - last_report >= REPORT_INTERVAL:
                last_report = time.monotonic()
                stream.logger.info(counts.line(queue.size))
        self._probing = None
        state[STATE_KEY] = queue.to_state()
        stream.state_changed()
        stream.logger.info(counts.line(queue.size))
        self._say_what_is_left(queue, counts)

    def _say_what_is_left(self, queue: ProbeQueue, counts: ProbeCounts) -> None:
        """Say why ids are left: the run's bound, refused tickets, a plan without archiving."""
        left = queue.size
        refused = counts.kinds.get("refused", 0)
        if counts.kinds.get("kept"):
            return  # the plan's warning said it
        if left > refused:
            per_run = self._stream.settings.probe_ids_per_run
            self._stream.logger.info(
                "The probe stopped at `probe_ids_per_run` (%s ids): %s ids are left for the "
                "next runs, about %s more at this setting.",
                f"{per_run:,}",
                f"{left - refused:,}",
                f"{-(-(left - refused) // per_run):,}",
            )

    def _outcomes(
        self, ids: Iterable[int], counts: ProbeCounts, live_until: int
    ) -> Iterator[tuple[int, Outcome]]:
        """Probe `ids` with up to `max_concurrency` in flight; answers in id order."""
        workers = self._stream.settings.max_concurrency
        if workers <= 1:
            for ticket_id in ids:
                yield ticket_id, self._probe_one(ticket_id, counts, live_until)
            return
        with ThreadPoolExecutor(workers, "id-probe") as pool:
            window: deque[tuple[int, Future[Outcome]]] = deque()
            for ticket_id in ids:
                job = pool.submit(self._probe_one, ticket_id, counts, live_until)
                window.append((ticket_id, job))
                if len(window) >= 2 * workers:
                    done_id, future = window.popleft()
                    yield done_id, future.result()
            while window:
                done_id, future = window.popleft()
                yield done_id, future.result()

    def _probe_one(self, ticket_id: int, counts: ProbeCounts, live_until: int) -> Outcome:
        """Look one id up; a 403 `access_denied` on it keeps it for a later run."""
        try:
            return self._look_up(ticket_id, counts, live_until)
        except ObjectRefusedError as exc:
            self._stream.shared.oddities.withheld("tickets", f"id {ticket_id}", str(exc))
            return "refused", None

    def _look_up(self, ticket_id: int, counts: ProbeCounts, live_until: int) -> Outcome:
        """Ask the archive first, then, only where a live ticket could hide, the live endpoint."""
        if self._available:
            counts.requests += 1
            try:
                record = self._lookups[0].fetch(ticket_id)
            except StreamUnavailableError as exc:
                self._plan_lacks_archiving(exc)
                record = None
            if record is not None:
                record["archived"] = True
                self._flag(record)
                return "archived", record
        if ticket_id > live_until:
            return ("gone", None) if self._available else ("kept", None)
        counts.requests += 1
        record = self._lookups[1].fetch(ticket_id)
        if record is None or (
            (record.get("deleted") or record.get("spam"))
            and not self._stream.settings.include_deleted
        ):
            return ("gone", None) if self._available else ("kept", None)
        record.setdefault("archived", False)
        self._flag(record)
        return "live", record

    def _plan_lacks_archiving(self, exc: Exception) -> None:
        """Warn once: the plan lacks archiving; the ids stay queued for a later run."""
        with self._lock:
            first, self._available = self._available, False
        if first:
            self._stream.logger.warning(
                "Archived tickets are not extracted: %s The ids no list returned stay queued "
                "and are probed again once the plan has archiving.",
                exc,
            )

    def _flag(self, record: Record) -> None:
        """Flag the record as the list passes do (`deleted: false`…); start its children."""
        for view in self._stream.flagged_passes:
            record.setdefault(view.flag, False)
        self._stream.start_children(record, None)

    @functools.cached_property
    def _lookups(self) -> tuple[ArchivedTicket, LiveTicket]:
        return (
            ArchivedTicket(tap=self._stream.tap, shared=self._stream.shared),
            LiveTicket(tap=self._stream.tap, shared=self._stream.shared),
        )


def is_probe(context: Context | None) -> bool:
    """Whether `context` is the probe's partition of the tickets stream."""
    return bool(context and context.get("archived"))
