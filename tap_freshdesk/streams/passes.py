"""A pass: one listing of a stream under one filter, with its own bookmark and ceiling.

Every stream's records go through here between the pages and the SDK: odd records set aside,
the bookmark filter applied where the API has none, flagged passes flagged, and the bookmark
kept from moving back, past a pass's ceiling, or to a value that is no timestamp.
"""

from __future__ import annotations

import typing as t
from dataclasses import dataclass, field
from datetime import UTC, datetime

from tap_freshdesk.records.timestamps import (
    format_api_time,
    in_api_form,
    is_at_or_after,
    readable_time,
    served_at,
)
from tap_freshdesk.sync.shared import SharedStream

if t.TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

    import requests
    from singer_sdk.helpers.types import Context

Record = dict[str, t.Any]

#: With no `start_date`, incremental filters still need a bound: the ticket list without
#: `updated_since` returns only tickets created in the last 30 days. Freshdesk began in 2010.
ALL_HISTORY = datetime(2000, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class FlaggedPass:
    """A pass over records the list leaves out, each flagged so a target can tell.

    Freshdesk leaves deleted and spam tickets (and deleted and blocked contacts) out of its
    lists; they come back only through a filter parameter. Each pass is a partition with its
    own bookmark, keyed by the record flags themselves (`{"deleted": true, "spam": false}`):
    the SDK copies a partition's keys into records that lack them, so live records gain
    `deleted: false` and a target that upserts by id sees a record turn deleted.
    """

    flag: str
    params: dict[str, str] = field(default_factory=dict)


class Passes(SharedStream):
    """The pass side of FreshdeskStream; see its docstring for the declarations used here."""

    flagged_passes: t.ClassVar[tuple[FlaggedPass, ...]] = ()
    filtered_by_parent: t.ClassVar[bool] = False
    # The ceiling of an unsorted pass: due at the pass's first answer, with its context.
    _cap_due = False
    _cap_context: Context | None = None
    _child_capped = False
    #: Freshdesk's clock at this stream's first answer.
    _first_served_at: str | None = None

    @property
    def partitions(self) -> list[dict[str, t.Any]] | None:
        """The default listing, then one partition per flagged pass unless turned off."""
        if not self.flagged_passes:
            return None
        flags = [each.flag for each in self.flagged_passes]
        listing = [{flag: False for flag in flags}]
        if not self.settings.include_deleted:
            return listing
        return listing + [
            {flag: flag == each.flag for flag in flags} for each in self.flagged_passes
        ]

    def flagged_pass(self, context: Context | None) -> FlaggedPass | None:
        """Return the flagged pass a partition context selects; None for the default listing."""
        return next((p for p in self.flagged_passes if (context or {}).get(p.flag)), None)

    def since(self, context: Context | None) -> datetime:
        """Return this run's inclusive lower bound: the bookmark, else `start_date`, else all."""
        return self.get_starting_timestamp(context) or ALL_HISTORY

    def pass_records(self, context: Context | None) -> Iterator[Record]:
        """Yield one pass's records: odd ones set aside, filtered by the bookmark, flagged.

        A list not sorted by `updated_at` (contacts and companies are listed by id) must not
        bookmark the newest record it read: a record changed behind the page being read is
        not seen again in this pass, and its change is older than records read later. So the
        bookmark of such a pass is capped at Freshdesk's clock when the pass began (the
        `Date` of its first answer), which every later change is stamped at or after.

        Where the API cannot filter by `updated_at`, the filter happens here, so an incremental
        run still emits only what changed. Children of tickets are not filtered: their parent
        already chose which tickets changed, and each child record of those is emitted.
        """
        flagged = self.flagged_pass(context)
        key = self.replication_key
        if key and not self.is_sorted:
            self._cap_bookmark(context)
        bound = (
            format_api_time(self.since(context)) if key and not self.filtered_by_parent else None
        )
        needs_id = "id" in self.primary_keys
        described = self._describe_pass(context)
        for position, record in enumerate(self.request_records(context), start=1):
            where = f"record {position} of {described}"
            if not self.shared.oddities.usable(
                self.name, record, where=where, needs_id=needs_id, key=key
            ):
                continue
            value = record.get(key) if key else None
            if bound is not None and readable_time(value) and not is_at_or_after(value, bound):
                continue
            if flagged:
                record[flagged.flag] = True
            yield record

    def parse_response(self, response: requests.Response) -> Iterable[Record]:
        """Each record's replication key in Freshdesk's own form, before anything compares it.

        The ticket window, the bookmark-second memory and the SDK's bookmark all compare or
        match `updated_at` as text; one written another valid way (see
        records.timestamps.in_api_form) would stop the sync as out of order, every run.
        """
        records = super().parse_response(response)
        key = self.replication_key
        if not key:
            return records
        listed = records if isinstance(records, list) else list(records)
        for record in listed:
            if isinstance(record, dict) and key in record:
                record[key] = in_api_form(record[key])
        return listed

    def _describe_pass(self, context: Context | None) -> str:
        """Name the list a record came from: `the tickets list (deleted)`, `… of ticket_id 42`."""
        if self.parent_stream_type is not None and context:
            return f"{self.name} of " + ", ".join(f"{k} {v}" for k, v in context.items())
        flagged = self.flagged_pass(context)
        return f"the {self.name} list" + (f" ({flagged.flag})" if flagged else "")

    def bookmark_moves(self, record: Record, context: Context | None) -> bool:
        """Move the bookmark, but never to a value that is not a timestamp, nor back.

        In a list sorted by `updated_at` a record older than the bookmark is out of order:
        the SDK would stop the sync; it is emitted and the bookmark stays where it is, so no
        record after it is skipped by a resume.
        """
        key = self.replication_key
        if not key:
            return True
        value = readable_time(record.get(key))
        if value is None:
            return False
        if self.is_sorted:
            state = self.get_context_state(context)
            written = state.get("replication_key_value")
            if (normal := in_api_form(written)) != written:
                # A STATE saved by an older version may hold another form: the SDK compares text.
                state["replication_key_value"] = normal
            mark = readable_time(normal)
            if mark is not None and value < mark:
                self.shared.oddities.emitted(
                    self.name,
                    f"id {record.get('id')}",
                    f"an `{key}` out of order (before the bookmark {format_api_time(mark)})",
                )
                return False
        return True

    def _cap_bookmark(self, context: Context | None) -> None:
        """Cap this pass's bookmark at Freshdesk's clock when the pass began.

        A parentless pass's first request is yet to be sent: its answer's `Date` is the cap.
        A child's pass runs over every parent and keeps one bookmark, and its first requests
        may have been read ahead already: the stream's first answer is the cap, set once.
        """
        if self.parent_stream_type is None:
            self._cap_context, self._cap_due = context, True
        elif not self._child_capped:
            self._child_capped = True
            if self._first_served_at is None:
                self._cap_context, self._cap_due = context, True
            else:
                self.state_manager.write_replication_key_signpost(
                    self._first_served_at, context=context
                )

    def validate_response(self, response: requests.Response) -> None:
        """Note Freshdesk's clock (the ceiling of an unsorted pass), then check the answer."""
        if self._first_served_at is None:
            self._first_served_at = _server_time(response)
        if self._cap_due:
            self._cap_due = False
            self.state_manager.write_replication_key_signpost(
                _server_time(response), context=self._cap_context
            )
        super().validate_response(response)


def _server_time(response: requests.Response) -> str:
    """Freshdesk's clock when it answered (`Date`), in its timestamp form; ours without one."""
    return format_api_time(served_at(response) or datetime.now(UTC))
