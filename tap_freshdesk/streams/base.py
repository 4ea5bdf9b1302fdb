"""The base stream: what a Freshdesk API v2 endpoint is, written once for every endpoint."""

from __future__ import annotations

import functools
import threading
import typing as t

import requests
from requests.auth import HTTPBasicAuth
from singer_sdk.helpers.conform import TypeConformanceLevel

from tap_freshdesk.http.errors import ParentGoneError, StreamUnavailableError
from tap_freshdesk.records.timestamps import (
    format_api_time,
)
from tap_freshdesk.sdk.logs import per_parent_notices
from tap_freshdesk.streams.pagination import TailFirstPaginator, page_number
from tap_freshdesk.streams.passes import ALL_HISTORY, FlaggedPass, Passes
from tap_freshdesk.streams.transport import Transport
from tap_freshdesk.sync.output import SCHEMAS, Output

if t.TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

    from singer_sdk import Tap
    from singer_sdk.helpers.types import Context
    from singer_sdk.pagination import BaseAPIPaginator

    from tap_freshdesk.settings import Settings
    from tap_freshdesk.sync.shared import Shared

__all__ = ["ALL_HISTORY", "SCHEMAS", "FlaggedPass", "FreshdeskStream"]

Record = dict[str, t.Any]


class FreshdeskStream(Passes, Output, Transport):
    """A Freshdesk API v2 list endpoint, declared by `name`, `path` and what sets it apart.

    The declarations, each optional but the first two:

    - `replication_key = "updated_at"`: incremental. The bookmark is inclusive (the last
      second is read again) and filters records here, unless `since_param` names the query
      parameter that filters them on the server. A list not sorted by it (`is_sorted` False,
      the default) bookmarks Freshdesk's clock when the pass began, never a later record.
    - `since_param`: the endpoint's bookmark filter (`_updated_since`, `updated_since`).
    - `fixed_params`: query parameters the endpoint always needs.
    - `flagged_passes`: passes over what the list leaves out (deleted, spam…), taken unless
      `include_deleted` is off; see FlaggedPass.
    - `plan_feature`: the plan feature or privilege behind the endpoint: a 403 or 404 then
      skips the stream with one warning, where it would otherwise end the sync.
    - `records_key`: the key under which an object body holds the records.
    - `not_found_is_empty`: a 404 means "none here" (a ticket without a summary), no error.
    - `custom_fields_from`: the stream of field definitions that types `custom_fields`.
    - `looked_up`: the tap reads the whole list for itself too (field definitions, the
      helpdesk settings); one read per run serves those lookups and the stream's own pass.
    - `parent_stream_type` with `path` placeholders filled from the parent's
      `child_context_fields` ({context key: parent field}). A child keeps one bookmark for
      the whole stream, not one per parent, and `filtered_by_parent` says its parent lists
      only changed records, so the child needs no bookmark filter of its own.
    - `own_bookmark`: the STATE key of a bookmark the stream keeps itself (the activities
      export's last day read) instead of a replication key's: a run reads only what came since.
    - `primary_keys` (`id` by default) and a schema file `schemas/<name>.json`.

    Reading one pass: `get_records` starts children's requests ahead (tap_freshdesk.sync.prefetch)
    → `pass_records` sets odd records aside, filters by the bookmark and flags the pass →
    `request_records` serves records already read → `read_pages` skips what the account
    lacks → the SDK pages, each request through `request_decorator` (tap_freshdesk.http.retries)
    and `validate_response` (tap_freshdesk.http.errors.check_answer).
    """

    primary_keys: t.ClassVar[tuple[str, ...]] = ("id",)
    # No conformance: it exists for values JSON cannot carry (datetimes, Decimals, bytes from
    # databases), and a record parsed from Freshdesk's JSON has none. Left to it were a copy of
    # each record's top level and booleans sent as 0/1, which no real payload carries (every
    # record of tests/contract validates as served); undeclared keys are kept (the schemas
    # allow them) and reported once (`_conform_to_schema`); the writer writes NaN as null.
    # It cost 0.17 s of CPU per 7,000 records; BATCH files never went through it.
    TYPE_CONFORMANCE_LEVEL = TypeConformanceLevel.NONE

    since_param: t.ClassVar[str | None] = None
    fixed_params: t.ClassVar[dict[str, str]] = {}
    plan_feature: t.ClassVar[str | None] = None
    records_key: t.ClassVar[str | None] = None
    not_found_is_empty: t.ClassVar[bool] = False
    custom_fields_from: t.ClassVar[str | None] = None
    child_context_fields: t.ClassVar[dict[str, str]] = {}
    own_bookmark: t.ClassVar[str | None] = None
    looked_up: t.ClassVar[bool] = False

    def __init__(self, tap: Tap, shared: Shared, **kwargs: t.Any) -> None:
        self.shared = shared
        self.settings: Settings = shared.settings
        # The walk being read, per thread: children are read by several threads at once.
        self._walks = threading.local()
        super().__init__(tap=tap, **kwargs)
        if self.parent_stream_type is not None:
            self.state_partitioning_keys = []
            self.logger.addFilter(per_parent_notices)

    @property
    def url_base(self) -> str:
        """The account's API root, resolved and checked once per sync."""
        return self.shared.api_base_url

    @functools.cached_property
    def authenticator(self) -> HTTPBasicAuth:
        """Basic auth with the API key as user name; Freshdesk ignores the password."""
        return HTTPBasicAuth(self.settings.api_key or "", "X")

    def get_new_paginator(self) -> BaseAPIPaginator[t.Any]:
        """Read a list from its last page back (see TailFirstPaginator).

        Records leave a list while it is read (contacts deleted or blocked, a ticket's note
        deleted): read front to back, the record that moves onto a page already read is
        lost, and a child's parent need not change for a later run to find it. A list of one
        page, as most threads are, costs nothing extra. Records joining the middle of a list
        move the others the other way: see ContactsStream.
        """
        walk = TailFirstPaginator()
        self._walks.tail_first = walk
        return walk

    def current_walk(self) -> TailFirstPaginator | None:
        """Return the walk this thread is reading, if it walks from the back."""
        walk: TailFirstPaginator | None = getattr(self._walks, "tail_first", None)
        return walk

    def get_url_params(self, context: Context | None, next_page_token: t.Any) -> dict[str, t.Any]:
        """Page size, the pass's filter and, where the endpoint has one, the bookmark filter."""
        params: dict[str, t.Any] = {"per_page": self.settings.page_size, **self.fixed_params}
        if flagged := self.flagged_pass(context):
            params.update(flagged.params)
        if next_page_token is not None:
            params["page"] = page_number(next_page_token)
        if self.since_param:
            params[self.since_param] = format_api_time(self.since(context))
        return params

    def page_emits(self, response: requests.Response) -> bool:
        """Whether a page's records are read: not a tail-first walk's probe for the end."""
        walk = self.current_walk()
        return walk is None or walk.emits(response)

    def get_records(self, context: Context | None) -> Iterable[Record]:
        """Return one pass's records, their children's requests started a few records ahead."""
        records = self.pass_records(context)
        if self.shared.prefetcher is None or not self._children_to_read():
            return records
        return self.shared.prefetcher.look_ahead(
            records, lambda record: self.start_children(record, context)
        )

    def start_children(self, record: Record, context: Context | None) -> None:
        """Start reading the record's children now, so they are ready when it is written."""
        prefetcher = self.shared.prefetcher
        if prefetcher is None:
            return
        children = self._children_to_read()
        for child_context in self.generate_child_contexts(record, context):
            if child_context is not None:
                for child in children:
                    prefetcher.submit(child.name, child_context, child.read_pages)

    def _children_to_read(self) -> list[FreshdeskStream]:
        return [
            t.cast("FreshdeskStream", child)
            for child in self.child_streams
            if child.selected or child.has_selected_descendents
        ]

    def get_child_context(self, record: Record, context: Context | None) -> Context:
        """Hand children the parent fields `child_context_fields` names."""
        return {key: record.get(source) for key, source in self.child_context_fields.items()}

    def read_all(self) -> list[Record]:
        """Every record of a parentless endpoint, errors raised: for the tap's own lookups."""
        return list(super().request_records(None))

    def request_records(self, context: Context | None) -> Iterator[Record]:
        """Return the records read ahead for this context, else read them now."""
        if context is None and self.looked_up:
            return self._read_once()
        prefetcher = self.shared.prefetcher
        if prefetcher is not None and (ready := prefetcher.take(self.name, context)) is not None:
            return iter(ready)
        return self.read_pages(context)

    def _read_once(self) -> Iterator[Record]:
        """Yield the list the lookups share (Shared.read_all); skip it as `read_pages` does."""
        try:
            records = self.shared.read_all(self.name)
        except StreamUnavailableError as exc:
            self.logger.warning("Skipping stream %s: %s", self.name, exc)
            return
        # Copies: the records are written (and conformed) while lookups still hold the list.
        yield from (dict(record) for record in records)

    def read_pages(self, context: Context | None) -> Iterator[Record]:
        """Page through the endpoint, skipping it when the account lacks the feature.

        A 403 or 404 on one parent's children is about that parent, not the plan: a ticket
        deleted or marked spam after the list was read answers 404, and real accounts answer
        403 for some soft-deleted tickets (singer-io tap-freshdesk PR #18). That parent's
        children are skipped, the first time with a warning, then counted in the summary.
        """
        try:
            yield from super().request_records(context)
        except StreamUnavailableError as exc:
            self.logger.warning("Skipping stream %s: %s", self.name, exc)
        except ParentGoneError as exc:
            if self.shared.progress.skip_parent(self.name):
                self.logger.warning(
                    "Skipping %s of %s: %s (a parent deleted, marked spam or soft-deleted since "
                    "it was listed). Further parents skipped are counted in the summary.",
                    self.name,
                    ", ".join(f"{k} {v}" for k, v in (context or {}).items()),
                    exc,
                )
