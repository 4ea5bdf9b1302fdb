"""Tickets and what hangs off each ticket."""

from __future__ import annotations

import typing as t

from tap_freshdesk.client import FreshdeskStream, RemovedView
from tap_freshdesk.pagination import (
    TICKET_PAGE_CAP,
    UpdatedAtWindowPaginator,
    drop_boundary_repeats,
    window_params,
)
from tap_freshdesk.timestamps import format_api_time

if t.TYPE_CHECKING:
    from collections.abc import Iterable, Iterator
    from datetime import datetime

    import requests
    from singer_sdk.helpers.types import Context


class TicketsStream(FreshdeskStream):
    """Tickets in `updated_at` order, through a sliding `updated_since` window.

    Sorted ascending, so the bookmark advances as records are written and an interrupted
    sync resumes where it stopped. `updated_since` is always sent: without it Freshdesk lists
    only tickets created in the last 30 days.
    """

    name = "tickets"
    path = "/tickets"
    replication_key = "updated_at"
    is_sorted = True
    custom_fields_from = "ticket_fields"
    fixed_params: t.ClassVar[dict[str, str]] = {"order_by": "updated_at", "order_type": "asc"}
    removed_views = (
        RemovedView("deleted", {"filter": "deleted"}),
        RemovedView("spam", {"filter": "spam"}),
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
        return self._window.in_scope(list(super().parse_response(response)))

    def get_url_params(self, context: Context | None, next_page_token: t.Any) -> dict[str, t.Any]:
        """Take `updated_since` and `page` from the window: the window is the filter."""
        return {**super().get_url_params(context, None), **window_params(next_page_token)}

    def request_records(self, context: Context | None) -> Iterator[dict[str, t.Any]]:
        """Page one partition, its window starting at that partition's own bookmark."""
        self._window_start = self.since(context)
        yield from super().request_records(context)

    def records_to_emit(self, context: Context | None) -> Iterator[dict[str, t.Any]]:
        """Each ticket once per change, although window slides list a boundary second twice."""
        return drop_boundary_repeats(super().records_to_emit(context))

    def generate_child_contexts(
        self, record: dict[str, t.Any], context: Context | None
    ) -> Iterable[Context | None]:
        """Children of live tickets only: Freshdesk answers 404 for a deleted or spam ticket's."""
        if not (record.get("deleted") or record.get("spam")):
            yield {"ticket_id": record["id"]}

    def _warn_unsettled(self, second: datetime, why: str) -> None:
        self.logger.warning(
            "Tickets of the second %s: %s (clock skew or a bulk change in progress). %s",
            format_api_time(second),
            why,
            "Settled by comparing passes instead; the walk ends there if they keep differing, "
            "and the next sync goes on from that second.",
        )

    def _warn_page_cap(self, second: datetime) -> None:
        self.logger.warning(
            "More than %d pages of tickets share the updated_at second %s, and Freshdesk "
            "refuses page %d: the tickets of that second after the first %d are NOT "
            "extracted, by this sync or a later one, until they change again. The sync goes "
            "on (exit 0).",
            TICKET_PAGE_CAP,
            format_api_time(second),
            TICKET_PAGE_CAP + 1,
            TICKET_PAGE_CAP * int(self.config["page_size"]),
        )


class ConversationsStream(FreshdeskStream):
    """Replies and notes of every ticket the tickets stream emits in this run.

    A reply or note moves its ticket's `updated_at`, so fetching conversations only for
    changed tickets makes this stream incremental at no extra cost: unchanged tickets cost
    no request. One call per ticket (more past 100 conversations) is most of a sync's budget.
    """

    name = "conversations"
    parent_stream_type = TicketsStream
    path = "/tickets/{ticket_id}/conversations"
    replication_key = "updated_at"
    parent_filters_changes = True
    # One bookmark for the stream, not one per ticket.
    state_partitioning_keys: t.ClassVar[list[str]] = []


class TicketActivitiesStream(FreshdeskStream):
    """The audit trail of each ticket the tickets stream emits in this run.

    Off by default: it costs one request per changed ticket, as much again as conversations.
    The endpoint answers an object, `{"activities": [...]}`; activities have no id, so the
    stream has no primary key and a target appends them.
    """

    name = "ticket_activities"
    parent_stream_type = TicketsStream
    path = "/tickets/{ticket_id}/activities"
    records_key = "activities"
    primary_keys: t.ClassVar[tuple[str, ...]] = ()
    parent_filters_changes = True
    selected_by_default = False
    state_partitioning_keys: t.ClassVar[list[str]] = []
