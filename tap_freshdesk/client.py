"""The base stream: everything about talking to Freshdesk, written once for every endpoint."""

from __future__ import annotations

import copy
import functools
import typing as t
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http import HTTPStatus
from importlib import resources
from urllib.parse import urlsplit

import requests
from singer_sdk import RESTStream, SchemaDirectory
from singer_sdk.exceptions import RetriableAPIError
from singer_sdk.helpers.conform import TypeConformanceLevel
from singer_sdk.pagination import BaseAPIPaginator

from tap_freshdesk import activate_version, schemas
from tap_freshdesk.batching import BatchSpools
from tap_freshdesk.body import InvalidBodyError, json_body
from tap_freshdesk.body import repairs as body_repairs
from tap_freshdesk.conformance import UndeclaredKeys, drop_null_objects
from tap_freshdesk.custom_fields import Flattening, coerce, typed_object
from tap_freshdesk.deadline import DeadlineAdapter
from tap_freshdesk.errors import (
    AccessDeniedError,
    FreshdeskError,
    KeyRefusedError,
    ParentGoneError,
    StreamUnavailableError,
)
from tap_freshdesk.logs import per_parent_notices
from tap_freshdesk.pagination import LinkPagePaginator, TailFirstPaginator, page_number
from tap_freshdesk.retries import (
    DEFAULT_RETRY_SECONDS,
    RateLimitedError,
    Retrier,
    UnreadableBodyError,
    backoff_waits,
    half_jitter,
    retry_after_seconds,
)
from tap_freshdesk.timestamps import format_api_time, is_at_or_after, readable_time, served_at

if t.TYPE_CHECKING:
    from collections.abc import Generator, Iterable, Iterator

    from singer_sdk.helpers._batch import BaseBatchFileEncoding, BatchConfig
    from singer_sdk.helpers.types import Context, RequestFunc
    from singer_sdk.mapper import PluginMapper

    from tap_freshdesk.ratelimit import RateLimiter
    from tap_freshdesk.tap import TapFreshdesk

SCHEMAS = SchemaDirectory(resources.files(schemas))

#: An epoch number at least this large counts milliseconds: as seconds it would be past 5138.
EPOCH_MILLISECONDS_FROM = 10**11

#: With no `start_date`, incremental filters still need a bound: the ticket list without
#: `updated_since` returns only tickets created in the last 30 days. Freshdesk began in 2010.
ALL_HISTORY = datetime(2000, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class RemovedView:
    """A pass over the records a list leaves out, flagged so a target can tell.

    Freshdesk leaves deleted and spam tickets (and deleted and blocked contacts) out of its
    lists; they come back only through a filter parameter. Each pass is a partition with its
    own bookmark, keyed by the record flags themselves (`{"deleted": true, "spam": false}`):
    the SDK copies a partition's keys into records that lack them, so live records gain
    `deleted: false` and a target that upserts by id sees a record turn deleted.
    """

    flag: str
    params: dict[str, str] = field(default_factory=dict)


class FreshdeskStream(RESTStream[t.Any]):
    """A Freshdesk API v2 list endpoint.

    Subclasses declare `name`, `path` and what sets their endpoint apart; this class turns the
    bookmark into the endpoint's filter (`since_param`), pages by the Link header, retries and
    waits through the tap's one rate limiter, and maps Freshdesk's errors to actionable messages.
    """

    primary_keys: t.ClassVar[tuple[str, ...]] = ("id",)
    # Freshdesk's JSON already has JSON types; the top level is all conformance needs to check,
    # at a fraction of the per-record cost of recursing. The schemas allow additional
    # properties, so an undeclared key is kept (and reported once by `_conform_to_schema`).
    TYPE_CONFORMANCE_LEVEL = TypeConformanceLevel.ROOT_ONLY
    # One log line per request is noise; tap_freshdesk.progress reports instead.
    _LOG_REQUEST_METRICS = False

    #: The query parameter that filters this endpoint by the bookmark server-side, if any.
    since_param: t.ClassVar[str | None] = None
    #: Query parameters this endpoint always needs.
    fixed_params: t.ClassVar[dict[str, str]] = {}
    #: Passes over what the list leaves out (deleted, spam…), taken when `include_deleted` is on.
    removed_views: t.ClassVar[tuple[RemovedView, ...]] = ()
    #: The plan feature or privilege behind this endpoint: a 403 then skips the stream.
    plan_feature: t.ClassVar[str | None] = None
    #: The key under which an object body holds the records (`{"activities": [...]}`).
    records_key: t.ClassVar[str | None] = None
    #: Set when an unsorted pass begins: its first answer's `Date` caps the pass's bookmark.
    _signpost_due: bool = False
    _signpost_context: Context | None = None
    #: For a child: its parent emits only changed records, so the child needs no bookmark
    #: filter of its own (a ticket's `updated_at` moves with each new conversation).
    parent_filters_changes: t.ClassVar[bool] = False
    #: Set when the stream keeps a bookmark of its own besides a replication key (the activities
    #: export's last day read): a run then reads only what came since, never the whole stream.
    own_bookmark: t.ClassVar[bool] = False
    #: The stream whose records define this one's custom fields (`ticket_fields`, …).
    custom_fields_from: t.ClassVar[str | None] = None
    #: For a parent: each child's context, as {context key: field of the parent record}.
    child_context_fields: t.ClassVar[dict[str, str]] = {}

    def __init__(self, *args: t.Any, **kwargs: t.Any) -> None:
        super().__init__(*args, **kwargs)
        if self.parent_stream_type is not None:
            self.logger.addFilter(per_parent_notices)

    @property
    def emit_activate_version_messages(self) -> bool:
        """Only for a stream read whole each run: see `tap_freshdesk.activate_version`."""
        return bool(self.config.get(activate_version.SETTING)) and activate_version.reads_whole(
            self
        )

    @functools.cached_property
    def schema(self) -> dict[str, t.Any]:
        """The stream's JSON schema file, with custom fields typed from the account's fields.

        Cached: the SDK reads the schema for every record it writes.
        """
        schema = copy.deepcopy(SCHEMAS.get_schema(self.name, key_properties=self.primary_keys))
        if self._custom_properties:
            properties = schema["properties"]
            untyped = properties["custom_fields"]
            if self._flattening:
                for field, column in self._flattening.columns.items():
                    properties[column] = self._custom_properties[field]
            else:
                properties["custom_fields"] = typed_object(self._custom_properties, untyped)
        return schema

    @property
    def effective_schema(self) -> dict[str, t.Any]:
        """The catalog's schema, plus custom fields defined since that catalog was made.

        Existing properties are never changed, so a target sees the old schema extended.
        """
        schema = super().effective_schema
        if not self._custom_properties or schema is self.schema:
            return schema
        if self._extended_input is None or self._extended_input[0] is not schema:
            extended = _extend(schema, self.schema, self._custom_columns)
            self._extended_input = (schema, extended)
        return self._extended_input[1]

    _extended_input: tuple[dict[str, t.Any], dict[str, t.Any]] | None = None

    def announce_new_custom_fields(self, mapper: PluginMapper) -> None:
        """Add custom fields defined since the input catalog was made to the SCHEMA messages.

        The SDK announces a catalogued stream with the catalog's schema; a field an admin
        added since would otherwise reach the target only as an untyped key.
        """
        if not self._custom_properties or self.name not in mapper.stream_maps:
            return
        primary = mapper.stream_maps[self.name][0]
        extended = _extend(primary.raw_schema, self.schema, self._custom_columns)
        if extended != primary.raw_schema:
            mapper.register_raw_stream_schema(self.name, extended, primary.raw_key_properties)

    @functools.cached_property
    def _custom_properties(self) -> dict[str, dict[str, t.Any]]:
        if self.custom_fields_from is None:
            return {}
        return self._freshdesk_tap.custom_field_properties(self.custom_fields_from)

    @property
    def _custom_columns(self) -> t.Collection[str]:
        """The top-level columns custom fields are lifted to; none unless flattening."""
        return self._flattening.columns.values() if self._flattening else ()

    @functools.cached_property
    def _flattening(self) -> Flattening | None:
        if not self.config.get("flatten_custom_fields") or not self._custom_properties:
            return None
        standard = SCHEMAS.get_schema(self.name)["properties"]
        return Flattening.plan(self._custom_properties, standard)

    @property
    def _freshdesk_tap(self) -> TapFreshdesk:
        return t.cast("TapFreshdesk", self._tap)

    @property
    def url_base(self) -> str:
        """The account's API root, resolved and checked once by the tap."""
        return self._freshdesk_tap.api_base_url

    @property
    def rate_limiter(self) -> RateLimiter:
        """The tap-wide limiter: the budget belongs to the account, not to one stream."""
        return self._freshdesk_tap.rate_limiter

    @property
    def authenticator(self) -> requests.auth.HTTPBasicAuth:
        """Basic auth with the API key as user name; Freshdesk ignores the password."""
        return requests.auth.HTTPBasicAuth(self.config["api_key"], "X")

    @property
    def timeout(self) -> int:
        """The `request_timeout` setting, for each read and for the whole request.

        The SDK's 300 s default would hide a hung connection; `requests` alone would bound
        each read only, and a trickling server could hold a request for ever.
        """
        return int(self.config["request_timeout"])

    @property
    def requests_session(self) -> requests.Session:
        """The SDK's session, with proxy and CA settings read from the environment once.

        `requests` re-reads every environment variable on each request to look for proxy
        settings: about a millisecond a request, most of a sync's CPU when each ticket
        costs a request. The same settings, resolved once, are kept on the session.
        """
        session = super().requests_session
        if not isinstance(session.get_adapter("https://"), DeadlineAdapter):
            # Each request's total time is bounded, not only each read (tap_freshdesk.deadline).
            session.mount("https://", DeadlineAdapter())
            session.mount("http://", DeadlineAdapter())
        if session.trust_env:
            settings = session.merge_environment_settings(self.url_base, {}, None, None, None)
            session.proxies.update(settings["proxies"])
            session.verify = settings["verify"]
            session.trust_env = False
        return session

    @functools.cached_property
    def user_agent(self) -> str:
        """Identify the tap to Freshdesk's support when they look at an account's traffic.

        Cached: the version comes from package metadata, a few milliseconds per lookup, and
        the SDK asks for it on every request.
        """
        return f"tap-freshdesk/{self._freshdesk_tap.plugin_version}"

    @property
    def partitions(self) -> list[dict[str, t.Any]] | None:
        """The default listing, then one partition per removed view unless turned off."""
        if not self.removed_views:
            return None
        flags = [view.flag for view in self.removed_views]
        listing = [{flag: False for flag in flags}]
        if not self.config.get("include_deleted", True):
            return listing
        return listing + [
            {flag: flag == view.flag for flag in flags} for view in self.removed_views
        ]

    def removed_view(self, context: Context | None) -> RemovedView | None:
        """Return the removed view a partition context selects; None for the default listing."""
        return next((v for v in self.removed_views if (context or {}).get(v.flag)), None)

    def get_new_paginator(self) -> BaseAPIPaginator[t.Any]:
        """Read a list of its own from its last page back (see TailFirstPaginator).

        Records leave such a list while it is read (deleted, blocked); they join a removed
        view (deleted, blocked contacts) instead, and a child's list is one or two pages read
        in a moment: those are read from page 1, ending where Freshdesk sends no next link.
        """
        self._tail_first = None
        if self.parent_stream_type is None and self._reading_view is None:
            self._tail_first = TailFirstPaginator()
            return self._tail_first
        return LinkPagePaginator()

    _tail_first: TailFirstPaginator | None = None
    _reading_view: RemovedView | None = None

    def get_url_params(self, context: Context | None, next_page_token: t.Any) -> dict[str, t.Any]:
        """Page size, the view's filter and, where the endpoint has one, the bookmark filter."""
        params: dict[str, t.Any] = {
            "per_page": self.config["page_size"],
            **self.fixed_params,
        }
        if view := self.removed_view(context):
            params.update(view.params)
        if next_page_token is not None:
            params["page"] = page_number(next_page_token)
        if self.since_param:
            params[self.since_param] = format_api_time(self.since(context))
        return params

    def since(self, context: Context | None) -> datetime:
        """Return this run's inclusive lower bound: the bookmark, else `start_date`, else all."""
        return self.get_starting_timestamp(context) or ALL_HISTORY

    def get_records(self, context: Context | None) -> Iterable[dict[str, t.Any]]:
        """Return one pass's records, their children's requests started a few records ahead."""
        records = self.records_to_emit(context)
        prefetcher = self._freshdesk_tap.prefetcher
        children = [
            t.cast("FreshdeskStream", child)
            for child in self.child_streams
            if child.selected or child.has_selected_descendents
        ]
        if prefetcher is None or not children:
            return records

        def start_children(record: dict[str, t.Any]) -> None:
            for child_context in self.generate_child_contexts(record, context):
                if child_context is not None:
                    for child in children:
                        prefetcher.submit(child.name, child_context, child.read_pages)

        return prefetcher.look_ahead(records, start_children)

    def records_to_emit(self, context: Context | None) -> Iterator[dict[str, t.Any]]:
        """Yield one pass's records, flagged by their removed view and filtered by the bookmark.

        A list not sorted by `updated_at` (contacts and companies are listed by id) must not
        bookmark the newest record it read: a record changed behind the page being read is
        not seen again in this pass, and its change is older than records read later. So the
        bookmark of such a pass is capped at Freshdesk's clock when the pass began (the
        `Date` of its first answer), which every later change is stamped at or after.

        Where the API cannot filter by `updated_at`, the filter happens here, so an incremental
        run still emits only what changed. Children of tickets are not filtered: their parent
        already chose which tickets changed, and each child record of those is emitted.
        """
        view = self.removed_view(context)
        if self.replication_key and not self.is_sorted:
            self._cap_bookmark(context)
        key = self.replication_key
        bound = None
        if key and not self.parent_filters_changes:
            bound = format_api_time(self.since(context))
        for position, record in enumerate(self.request_records(context), start=1):
            if not self._usable(record, position, context):
                continue
            value = record.get(key) if key else None
            if bound is not None and readable_time(value) and not is_at_or_after(value, bound):
                continue
            if view:
                record[view.flag] = True
            yield record

    def _usable(self, record: t.Any, position: int, context: Context | None) -> bool:
        """Whether a record can be emitted; set it aside, or repair it, when it is odd.

        Without `id` a target cannot upsert a record, and an object where a list's records
        should be (an error body, a changed endpoint) is no record of this stream: both are
        set aside. A record without a readable replication key is emitted, and keeps its
        value as sent; it just cannot move the bookmark (see `_increment_stream_state`).
        A number where the timestamp should be is an epoch (seconds, or milliseconds), and
        becomes Freshdesk's timestamp form, losing nothing.
        """
        oddities = self._freshdesk_tap.oddities
        where = f"record {position} of {self._describe_pass(context)}"
        if not isinstance(record, dict):
            oddities.set_aside(self.name, where, f"a {type(record).__name__}, not an object")
            return False
        if "id" in self.primary_keys and record.get("id") is None:
            oddities.set_aside(self.name, where, "no `id`")
            return False
        key = self.replication_key
        if not key:
            return True
        if "id" in record:
            where = f"id {record['id']}"
        value = record.get(key)
        if isinstance(value, int | float) and not isinstance(value, bool):
            seconds = value / 1000 if abs(value) >= EPOCH_MILLISECONDS_FROM else value
            record[key] = format_api_time(datetime.fromtimestamp(seconds, UTC))
            oddities.emitted(self.name, where, f"an epoch number as `{key}` (converted)")
        elif value is None:
            oddities.emitted(
                self.name, where, f"no `{key}`: it cannot move the bookmark", once=True
            )
        elif readable_time(value) is None:
            oddities.emitted(
                self.name, where, f"an unreadable `{key}`: it cannot move the bookmark"
            )
        return True

    def _describe_pass(self, context: Context | None) -> str:
        """Name the list a record came from: `the tickets list (deleted)`, `… of ticket_id 42`."""
        if self.parent_stream_type is not None and context:
            return f"{self.name} of " + ", ".join(f"{k} {v}" for k, v in context.items())
        view = self.removed_view(context)
        return f"the {self.name} list" + (f" ({view.flag})" if view else "")

    def _increment_stream_state(
        self, latest_record: dict[str, t.Any], *, context: Context | None = None
    ) -> None:
        """Move the bookmark, but never to a value that is not a timestamp, nor back.

        In a list sorted by `updated_at` a record older than the bookmark is out of order:
        the SDK would stop the sync; it is emitted and the bookmark stays where it is, so no
        record after it is skipped by a resume.
        """
        key = self.replication_key
        if key:
            value = readable_time(latest_record.get(key))
            if value is None:
                return
            if self.is_sorted:
                mark = readable_time(self.get_context_state(context).get("replication_key_value"))
                if mark is not None and value < mark:
                    self._freshdesk_tap.oddities.emitted(
                        self.name,
                        f"id {latest_record.get('id')}",
                        f"an `{key}` out of order (before the bookmark {format_api_time(mark)})",
                    )
                    return
        super()._increment_stream_state(latest_record, context=context)

    def _cap_bookmark(self, context: Context | None) -> None:
        """Cap this pass's bookmark at Freshdesk's clock when the pass began.

        A parentless pass's first request is yet to be sent: its answer's `Date` is the cap.
        A child's pass runs over every parent and keeps one bookmark, and its first requests
        may have been read ahead already: the stream's first answer is the cap, set once.
        """
        if self.parent_stream_type is None:
            self._signpost_context, self._signpost_due = context, True
        elif not self._child_capped:
            self._child_capped = True
            if self._first_answer is None:
                self._signpost_context, self._signpost_due = context, True
            else:
                self.state_manager.write_replication_key_signpost(
                    self._first_answer, context=context
                )

    _child_capped = False
    _first_answer: str | None = None

    def get_child_context(self, record: dict[str, t.Any], context: Context | None) -> Context:
        """Hand children the parent fields `child_context_fields` names."""
        return {key: record.get(source) for key, source in self.child_context_fields.items()}

    def post_process(
        self, row: dict[str, t.Any], context: Context | None = None
    ) -> dict[str, t.Any] | None:
        """Give a child record its parent's id, and type (or lift) its custom fields."""
        if self.selected:
            self._freshdesk_tap.progress.record(self.name)
        if self.parent_stream_type is not None and context:
            for key, value in context.items():
                row.setdefault(key, value)
        if self._custom_properties and isinstance(row.get("custom_fields"), dict):
            coerce(row["custom_fields"], self._custom_properties)
            if self._flattening:
                self._flattening.lift(row, self.effective_schema["properties"])
        if self.selected:
            self._conform_to_schema(row)
        return row

    def _conform_to_schema(self, row: dict[str, t.Any]) -> None:
        """Warn once per key a SCHEMA lacks; keep flattened records within their SCHEMA."""
        schema = self.effective_schema
        for key in self._undeclared.new(row, schema["properties"]):
            self.logger.warning(
                "Stream %s: records carry `%s`, which its schema does not declare; the value "
                "is kept, but targets that build columns from the schema may drop it.",
                self.name,
                key,
            )
        if self.config.get("flattening_enabled"):
            drop_null_objects(row, schema, int(self.config.get("flattening_max_depth") or 0))

    @functools.cached_property
    def _undeclared(self) -> UndeclaredKeys:
        return UndeclaredKeys()

    def finalize_state_progress_markers(self, state: dict[str, t.Any] | None = None) -> None:
        """Also finalize grandchildren whose parent is not selected itself.

        The SDK descends only into selected children, so articles selected without their
        folders would keep a provisional bookmark forever and re-read everything each run.
        """
        if not state:
            for child in self.child_streams:
                if not child.selected and child.has_selected_descendents:
                    child.finalize_state_progress_markers()
        super().finalize_state_progress_markers(state)

    def get_batches(
        self, batch_config: BatchConfig, context: Context | None = None
    ) -> Iterator[tuple[BaseBatchFileEncoding, list[str]]]:
        """Batch this stream's records across parents: see tap_freshdesk.batching."""
        tap = self._freshdesk_tap
        if tap.batch_spools is None:
            tap.batch_spools = BatchSpools(tap.name, batch_config)
        return tap.batch_spools.batches(self, context)

    def _write_state_message(self) -> None:
        """Put every spooled record in a BATCH message before the STATE that covers it."""
        if self._freshdesk_tap.batch_spools is not None:
            self._freshdesk_tap.batch_spools.flush()
        super()._write_state_message()

    _schema_announced = False

    def _write_schema_message(self) -> None:
        """Announce the stream once; the SDK repeats it for every parent record's children.

        Serialising a schema per ticket was a fifth of the tap's CPU, and each repeat makes
        some targets flush or re-check their tables.
        """
        if not self._schema_announced:
            self._schema_announced = True
            super()._write_schema_message()

    def log_sync_costs(self) -> None:
        """Log the sync's summary: the SDK calls this for every stream once the sync is over."""
        self._freshdesk_tap.progress.finish()
        self._freshdesk_tap.oddities.summarise()

    def read_all(self) -> list[dict[str, t.Any]]:
        """Every record of a parentless endpoint, errors raised: for the tap's own lookups."""
        return list(super().request_records(None))

    def request_records(self, context: Context | None) -> Iterator[dict[str, t.Any]]:
        """Return the records read ahead for this context, else read them now."""
        if context is None and (known := self._freshdesk_tap.take_known(self.name)) is not None:
            return iter(known)
        prefetcher = self._freshdesk_tap.prefetcher
        if prefetcher is not None and (ready := prefetcher.take(self.name, context)) is not None:
            return iter(ready)
        return self.read_pages(context)

    def read_pages(self, context: Context | None) -> Iterator[dict[str, t.Any]]:
        """Page through the endpoint, skipping it when the account lacks the feature.

        A 403 or 404 on one parent's children is about that parent, not the plan: a ticket
        deleted or marked spam after the list was read answers 404, and real accounts answer
        403 for some soft-deleted tickets (singer-io tap-freshdesk PR #18). That parent's
        children are skipped, the first time with a warning, then counted in the summary.
        """
        self._reading_view = self.removed_view(context)
        try:
            yield from super().request_records(context)
        except StreamUnavailableError as exc:
            self.logger.warning("Skipping stream %s: %s", self.name, exc)
        except ParentGoneError as exc:
            if self._freshdesk_tap.progress.skip_parent(self.name):
                self.logger.warning(
                    "Skipping %s of %s: %s (a parent deleted, marked spam or soft-deleted since "
                    "it was listed). Further parents skipped are counted in the summary.",
                    self.name,
                    ", ".join(f"{k} {v}" for k, v in (context or {}).items()),
                    exc,
                )

    def parse_response(self, response: requests.Response) -> Iterable[dict[str, t.Any]]:
        """Freshdesk lists are bare arrays; a few endpoints wrap them or return one object.

        A page read only to find where a list ends yields nothing.
        """
        if self._tail_first is not None and not self._tail_first.emits(response):
            return []
        body = json_body(response)
        if isinstance(body, list):
            return body
        if self.records_key:
            return t.cast("list[dict[str, t.Any]]", body.get(self.records_key) or [])
        return [body]

    def validate_response(self, response: requests.Response) -> None:
        """Turn Freshdesk's answers into retries, skips or one clear fatal message."""
        if self._first_answer is None:
            self._first_answer = _server_time(response)
        if self._signpost_due:
            self._signpost_due = False
            self.state_manager.write_replication_key_signpost(
                _server_time(response), context=self._signpost_context
            )
        credits = self.rate_limiter.observe(response.headers)
        status = response.status_code
        self._freshdesk_tap.progress.request(
            self.name, credits, rate_limited=status == HTTPStatus.TOO_MANY_REQUESTS
        )
        where = f"{response.request.method} {urlsplit(response.url).path}"
        if status == HTTPStatus.TOO_MANY_REQUESTS:
            msg = f"429 Too Many Requests for {where}"
            raise RateLimitedError(msg, response, retry_after_seconds(response))
        if status >= HTTPStatus.INTERNAL_SERVER_ERROR:
            msg = f"{status} {response.reason} for {where}"
            raise RetriableAPIError(msg, response)
        if status == HTTPStatus.UNAUTHORIZED:
            msg = (
                f"Freshdesk rejected the API key (401 Unauthorized) for {where} at "
                f"{urlsplit(self.url_base).hostname}: check the `api_key` and `domain` settings."
            )
            raise KeyRefusedError(msg)
        if status in {HTTPStatus.FORBIDDEN, HTTPStatus.NOT_FOUND} and self.parent_stream_type:
            msg = f"{where} answered {status} {response.reason}"
            raise ParentGoneError(msg)
        if status in {HTTPStatus.FORBIDDEN, HTTPStatus.NOT_FOUND} and self.plan_feature:
            msg = (
                f"{where} answered {status} {response.reason}: the account's plan or the API "
                f"key's role does not include {self.plan_feature}."
            )
            raise StreamUnavailableError(msg)
        if status == HTTPStatus.FORBIDDEN:
            msg = (
                f"Freshdesk refused {where} (403 Forbidden): the API key's agent lacks the "
                "privilege; check the `api_key` and `domain` settings."
            )
            raise AccessDeniedError(msg)
        if status >= HTTPStatus.BAD_REQUEST:
            details = _validation_errors(response)
            msg = f"Freshdesk refused {where} ({status} {response.reason}){details}"
            raise FreshdeskError(msg)
        try:
            json_body(response)
        except InvalidBodyError as exc:
            msg = f"{status} for {where}, but {exc}"
            raise UnreadableBodyError(msg, response) from None
        if repaired := body_repairs(response):
            self._freshdesk_tap.oddities.repaired(self.name, where, repaired)

    def request_decorator(self, func: RequestFunc) -> RequestFunc:
        """Send through the rate limiter, retrying for a time budget (see tap_freshdesk.retries)."""
        retrier = Retrier(
            limiter=self.rate_limiter,
            logger=self.logger,
            host=urlsplit(self.url_base).hostname or self.url_base,
            retry_seconds=float(self.config.get("max_retry_seconds", DEFAULT_RETRY_SECONDS)),
            deadline_seconds=float(self.timeout),
            waits=self.backoff_wait_generator,
            jitter=self.backoff_jitter,
        )

        @functools.wraps(func)
        def send(prepared_request: requests.PreparedRequest, context: Context | None) -> t.Any:
            return retrier.send(lambda: func(prepared_request, context), prepared_request)

        return send

    def backoff_wait_generator(self) -> Generator[float, None, None]:
        """Wait 1, 2, 4… seconds between transient retries, up to a cap."""
        return backoff_waits()

    def backoff_jitter(self, value: float) -> float:
        """Spread each wait between half and all of it."""
        return half_jitter(value)


def _extend(
    schema: dict[str, t.Any], typed: dict[str, t.Any], columns: t.Iterable[str]
) -> dict[str, t.Any]:
    """Return `schema` with the custom `columns` and custom_fields properties it lacks."""
    extended = copy.deepcopy(schema)
    properties = extended.setdefault("properties", {})
    for name in columns:
        properties.setdefault(name, typed["properties"][name])
    nested = properties.get("custom_fields")
    typed_nested = typed["properties"].get("custom_fields", {}).get("properties", {})
    if isinstance(nested, dict) and typed_nested:
        for name, prop in typed_nested.items():
            nested.setdefault("properties", {}).setdefault(name, prop)
    return extended


def _server_time(response: requests.Response) -> str:
    """Freshdesk's clock when it answered (`Date`), in its timestamp form; ours without one."""
    return format_api_time(served_at(response) or datetime.now(UTC))


def _validation_errors(response: requests.Response) -> str:
    """Freshdesk's 400 body lists each refused field; say which, without echoing anything else."""
    try:
        errors = json_body(response).get("errors") or []
    except (InvalidBodyError, AttributeError):
        return ""
    details = "; ".join(
        f"{e.get('field')}: {e.get('message')}" for e in errors if isinstance(e, dict)
    )
    return f": {details}" if details else ""
