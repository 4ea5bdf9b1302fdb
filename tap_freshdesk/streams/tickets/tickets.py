"""Tickets (API reference, "Tickets": "List All Tickets"), read through a sliding window."""

from __future__ import annotations

import functools
import typing as t
from datetime import datetime

from tap_freshdesk.records.timestamps import format_api_time
from tap_freshdesk.streams.base import FlaggedPass, FreshdeskStream
from tap_freshdesk.streams.tickets.archive import PROBE_PARTITION, ArchiveProbe, is_probe
from tap_freshdesk.streams.tickets.boundary_memory import BoundaryMemory, drop_already_emitted
from tap_freshdesk.streams.tickets.paginator import UpdatedAtWindowPaginator
from tap_freshdesk.streams.tickets.window import (
    TICKET_PAGE_CAP,
    drop_boundary_repeats,
    window_params,
)

if t.TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

    import requests
    from singer_sdk.helpers.types import Context

#: The properties each `include` adds to a listed ticket.
INCLUDED = {
    "description": ("description", "description_text"),
    "stats": ("stats",),
    "requester": ("requester",),
    "company": ("company",),
}


class TicketsStream(FreshdeskStream):
    """Tickets in `updated_at` order, through a sliding `updated_since` window.

    Sorted ascending, so the bookmark advances as records are written and an interrupted
    sync resumes where it stopped. `updated_since` is always sent: without it Freshdesk lists
    only tickets created in the last 30 days. The ids no list returned are probed in a last
    partition (archive.ArchiveProbe): archived tickets, and live ones past the page cap.
    """

    name = "tickets"
    rate_lane = "tickets"
    path = "/tickets"
    replication_key = "updated_at"
    since_param = "updated_since"
    is_sorted = True
    custom_fields_from = "ticket_fields"
    fixed_params: t.ClassVar[dict[str, str]] = {"order_by": "updated_at", "order_type": "asc"}
    flagged_passes = (
        FlaggedPass("deleted", {"filter": "deleted"}),
        FlaggedPass("spam", {"filter": "spam"}),
    )
    _window_start: datetime
    _window: UpdatedAtWindowPaginator

    def get_new_paginator(self) -> UpdatedAtWindowPaginator:
        """Start the window at this partition's bookmark (see UpdatedAtWindowPaginator)."""
        self._window = UpdatedAtWindowPaginator(
            self._window_start, on_cap=self._warn_page_cap, on_unsettled=self._warn_unsettled
        )
        return self._window

    def parse_response(self, response: requests.Response) -> Iterable[dict[str, t.Any]]:
        """Return the page's tickets that belong to the window's current position."""
        listed = list(super().parse_response(response))
        # All of them, with the answer that listed them: a run's last page is emitted later.
        self._boundary_memory.read(response, listed)
        return self._window.in_scope(listed, response)

    def get_url_params(self, context: Context | None, next_page_token: t.Any) -> dict[str, t.Any]:
        """Take `updated_since` and `page` from the window, and `include` from the settings.

        Accounts made after late 2018 list `description`/`description_text` only with
        `include=description`, and `stats` (resolved, closed, first responded…) comes only
        with `include=stats`. Each include costs credits, so one whose properties the
        catalog deselects all of is not asked for.
        """
        params = super().get_url_params(context, None)
        if next_page_token is not None:  # None: the first page, sampled at discovery
            params.update(window_params(next_page_token))
        selected = [
            include
            for include in self.settings.ticket_include
            if any(self.mask.get(("properties", p), True) for p in INCLUDED.get(include, ()))
        ]
        if selected:
            params["include"] = ",".join(selected)
        return params

    def request_records(self, context: Context | None) -> Iterator[dict[str, t.Any]]:
        """Page one partition, its window starting at that partition's own bookmark."""
        self._window_start = self.since(context)
        yield from super().request_records(context)

    @property
    def partitions(self) -> list[dict[str, t.Any]] | None:
        """The ticket passes, then the probe unless `probe_missing_tickets` is off."""
        passes = super().partitions or [{}]
        if not self.settings.probe_missing_tickets:
            return passes
        return [*passes, dict(PROBE_PARTITION)]

    @functools.cached_property
    def _archive(self) -> ArchiveProbe:
        return ArchiveProbe(self)

    def post_process(
        self, row: dict[str, t.Any], context: Context | None = None
    ) -> dict[str, t.Any] | None:
        """Note each id the lists return: the probe skips them."""
        if not is_probe(context):
            self._archive.listed(row)
        return super().post_process(row, context)

    def get_records(self, context: Context | None) -> Iterable[dict[str, t.Any]]:
        """Return the records; the probe reads ahead on its own, so its STATE follows the output."""
        if is_probe(context):
            return self._archive.records(context)
        return super().get_records(context)

    def bookmark_moves(self, record: dict[str, t.Any], context: Context | None) -> bool:
        """Keep no `updated_at` bookmark for the probe: its queue is its bookmark."""
        return not is_probe(context) and super().bookmark_moves(record, context)

    def before_state(self) -> None:
        """Put the probe's queue, as far as its output went, in every STATE of the stream."""
        self._archive.put_in_state()
        super().before_state()

    def pass_records(self, context: Context | None) -> Iterator[dict[str, t.Any]]:
        """Each ticket once per change, although window slides list a boundary second twice.

        Nor again what the previous run emitted at the bookmark's second (BoundaryMemory).
        """
        # A page's records are drawn before the next page is asked for: the memory's view of
        # the last listing is the one of the record at hand.
        records = drop_boundary_repeats(
            super().pass_records(context), self._boundary_memory.settled
        )
        return drop_already_emitted(self.get_context_state(context), records)

    def bookmark_moved(self, record: dict[str, t.Any], context: Context | None) -> None:
        """Remember the record if it was written at the bookmark's second."""
        super().bookmark_moved(record, context)
        if self.replication_method == "INCREMENTAL":
            self._boundary_memory.emitted(self.get_context_state(context), record)

    @functools.cached_property
    def _boundary_memory(self) -> BoundaryMemory:
        return BoundaryMemory()

    def generate_child_contexts(
        self, record: dict[str, t.Any], context: Context | None
    ) -> Iterable[Context | None]:
        """Children of live and archived tickets, not of deleted or spam ones (404 there).

        An archived ticket's children are below `/tickets/archived/{id}`. A record without
        `id` (set aside by the lists, see tap_freshdesk.sync.oddities) has none to read.
        """
        ticket_id = record.get("id")
        if ticket_id is None:
            return
        if record.get("archived"):
            yield {"ticket_id": ticket_id, "archived": True}
        elif not (record.get("deleted") or record.get("spam")):
            yield {"ticket_id": ticket_id}

    def _warn_unsettled(self, second: datetime, why: str) -> None:
        self.logger.warning(
            "Tickets of the second %s: %s (clock skew or a bulk change in progress). %s",
            format_api_time(second),
            why,
            "Settled by comparing whole reads of it instead; the walk ends there if they keep "
            "differing, and the next sync goes on from that second.",
        )

    def _warn_page_cap(self, second: datetime) -> None:
        if self.settings.probe_missing_tickets:
            self._archive.note_page_cap()
        later = (
            "The missing-id probe (`probe_missing_tickets`) reads them one by one at "
            "`/tickets/{id}`, one more request per id no list returned, if their ids are "
            "below the highest id a list returned; any others are NOT extracted until they "
            "change again."
            if self.settings.probe_missing_tickets
            else "With `probe_missing_tickets` off they are NOT extracted, by this sync or a "
            "later one, until they change again."
        )
        self.logger.warning(
            "More than %d pages of tickets share the updated_at second %s, and Freshdesk "
            "refuses page %d: the list cannot reach the tickets of that second after the "
            "first %d. %s The sync goes on.",
            TICKET_PAGE_CAP,
            format_api_time(second),
            TICKET_PAGE_CAP + 1,
            TICKET_PAGE_CAP * self.settings.page_size,
            later,
        )
