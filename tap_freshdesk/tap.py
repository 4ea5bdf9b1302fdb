"""TapFreshdesk: its settings and its streams."""

from __future__ import annotations

import contextlib
import copy
import json
import os
import signal
import sys
import typing as t
from functools import cached_property

import click
from requests import RequestException
from singer_sdk import Tap
from singer_sdk import typing as th
from singer_sdk.contrib.msgspec import MsgSpecWriter

from tap_freshdesk import activate_version
from tap_freshdesk.batching import BatchSpools
from tap_freshdesk.custom_fields import custom_properties
from tap_freshdesk.endpoint import EndpointError, api_base_url
from tap_freshdesk.errors import (
    FreshdeskError,
    InvalidInputError,
    KeyRefusedError,
    UnreachableError,
)
from tap_freshdesk.inputs import check_bookmarks, json_object_file, settings_errors
from tap_freshdesk.logs import quiet_sdk_logs, record_limit_stops
from tap_freshdesk.oddities import Oddities
from tap_freshdesk.prefetch import Prefetcher
from tap_freshdesk.progress import Progress
from tap_freshdesk.ratelimit import RateLimiter
from tap_freshdesk.retries import DEFAULT_RETRY_SECONDS
from tap_freshdesk.streams import STREAM_TYPES
from tap_freshdesk.streams.custom_objects import custom_object_streams
from tap_freshdesk.streams.tickets import TICKET_INCLUDES

if t.TYPE_CHECKING:
    from types import FrameType

    from singer_sdk import Stream

    from tap_freshdesk.client import FreshdeskStream


#: Child requests in flight at once: enough to hide latency, few enough that a small plan's
#: budget is not spent in a burst.
DEFAULT_CONCURRENCY = 4


class TapFreshdesk(Tap):
    """Singer tap for the Freshdesk API v2."""

    name = "tap-freshdesk"
    message_writer_class = MsgSpecWriter
    #: With `batch_config`, every stream's records until their BATCH file is due.
    batch_spools: BatchSpools | None = None

    config_jsonschema = th.PropertiesList(
        th.Property(
            "api_key",
            th.StringType(min_length=1),
            required=True,
            secret=True,
            title="API key",
            description="The API key of a Freshdesk agent (Profile settings → View API key). "
            "The tap reads everything this agent may see.",
        ),
        th.Property(
            "domain",
            th.StringType,
            title="Domain",
            description="Your helpdesk: `acme`, `acme.freshdesk.com`, `https://acme.freshdesk.com` "
            "or a custom helpdesk domain such as `support.acme.com`. A host name only: no path, "
            "port or credentials. Required unless `base_url` is set.",
            examples=["acme", "acme.freshdesk.com", "support.acme.com"],
        ),
        th.Property(
            "base_url",
            th.URIType,
            title="Base URL",
            description="Overrides the API root derived from `domain` (`https://<domain>/api/v2`), "
            "for a proxy or a local simulator. Plain http is refused for any host but "
            "127.0.0.1, ::1 and localhost.",
        ),
        th.Property(
            "start_date",
            th.DateTimeType,
            title="Start date",
            description="Extract records updated at or after this moment (ISO 8601). "
            "Leave empty to extract the whole history.",
        ),
        th.Property(
            "page_size",
            th.IntegerType(minimum=1, maximum=100),
            default=100,
            title="Page size",
            description="Records per request (`per_page`), 1 to 100. Every request costs "
            "rate-limit credits, so the maximum is also the cheapest.",
        ),
        th.Property(
            "request_timeout",
            th.IntegerType(minimum=1),
            default=60,
            title="Request timeout",
            description="Seconds one request may take in all (connecting, and reading the "
            "whole answer) before it is cut and retried.",
        ),
        th.Property(
            "requests_per_minute",
            th.IntegerType(minimum=1),
            title="Requests per minute",
            description="Cap on this tap's request rate, to leave part of the account's rate "
            "limit (shared by every app and key) to other integrations. Empty: as fast as "
            "Freshdesk allows, honouring its Retry-After.",
        ),
        th.Property(
            "rate_limit_reserve_percent",
            th.IntegerType(minimum=0, maximum=90),
            default=0,
            title="Rate limit reserve (%)",
            description="Share of the account's rate limit (learned from Freshdesk's "
            "`X-Ratelimit-*` headers) the tap leaves unspent for other integrations: when "
            "`X-Ratelimit-Remaining` falls to it, the tap waits for the next window.",
        ),
        th.Property(
            "max_concurrency",
            th.IntegerType(minimum=1, maximum=32),
            default=DEFAULT_CONCURRENCY,
            title="Max concurrency",
            description="Requests for per-ticket children (conversations) and "
            "other child streams in flight at once. 1 reads them one at a time. Every request "
            "still goes through one rate limiter, so more only helps while the account's "
            "budget is not the limit.",
        ),
        th.Property(
            "log_sdk_metrics",
            th.BooleanType,
            default=False,
            title="Log SDK metrics",
            description="Also log the Singer SDK's METRIC lines (one per ticket's "
            "conversations, among others). Off, the tap logs one progress line per busy stream "
            "every 30 seconds and a summary at the end.",
        ),
        th.Property(
            "include_deleted",
            th.BooleanType,
            default=True,
            title="Include deleted records",
            description="Also extract deleted and spam tickets and deleted and blocked "
            "contacts, flagged `deleted`, `spam` or `blocked` true, so a target that upserts "
            "by id reflects them. Costs one extra pass per kind.",
        ),
        th.Property(
            "include_ticket_watchers",
            th.BooleanType,
            default=False,
            title="Include ticket watchers",
            description="Fill `ticket_watchers`: the agents watching each ticket the run emits "
            "(`tickets/{id}/watchers`). Costs one request per changed ticket, as many as "
            "conversations.",
        ),
        th.Property(
            "include_ticket_summaries",
            th.BooleanType,
            default=False,
            title="Include ticket summaries",
            description="Fill `ticket_summaries`: the summary note of each ticket the run emits "
            "(`tickets/{id}/summary`, plans from Blossom up). Costs one request per changed "
            "ticket, as many as conversations.",
        ),
        th.Property(
            "probe_missing_tickets",
            th.BooleanType,
            default=True,
            title="Probe missing ticket ids",
            description="After the ticket passes, look up each ticket id no list returned, up "
            "to the highest id seen, once across runs: first at `/tickets/archived/{id}` "
            "(Freshdesk archives closed tickets inactive for 120 days and lists them nowhere), "
            "then at `/tickets/{id}`. Archived tickets go to `tickets` flagged `archived` true, "
            "their conversations to `conversations`. Costs one request per archived id (plus "
            "its conversations) and two per id deleted for good; the first run pays for the "
            "whole history, later runs only for new gaps. Plans without archiving: one "
            "warning, live tickets only.",
        ),
        th.Property(
            "flatten_custom_fields",
            th.BooleanType,
            default=False,
            title="Flatten custom fields",
            description="Lift the custom fields of tickets, contacts and companies out of their "
            "`custom_fields` object into top-level typed columns named after the field "
            "(`cf_region`; a name without `cf_` gets it). A column name already taken by a "
            "standard field or an earlier column gets `_2`, `_3`…. Fields defined after the "
            "catalog was made stay in `custom_fields`.",
        ),
        th.Property(
            "max_retry_seconds",
            th.IntegerType(minimum=0),
            default=DEFAULT_RETRY_SECONDS,
            title="Max retry seconds",
            description="How long one request's transient failures (5xx, timeouts, dropped "
            "connections, bodies cut short) are retried, backing off 1, 2, 4… up to 30 s "
            "between tries, before the sync ends with an error. A 429 is not a failure: it "
            "waits what `Retry-After` says, or a minute without it.",
        ),
        th.Property(
            "stop_on_odd_records",
            th.BooleanType,
            default=False,
            title="Stop on odd records",
            description="End the sync with an error at the first record the tap cannot process "
            "as it is (no `id`, no readable `updated_at`, out of `updated_at` order, not an "
            "object). Off, such a record is emitted where it can be or set aside, named in a "
            "warning and counted in the end summary, and the sync goes on.",
        ),
        th.Property(
            "ticket_include",
            th.ArrayType(th.StringType(allowed_values=list(TICKET_INCLUDES))),
            default=["description", "stats"],
            title="Ticket includes",
            description="What the ticket list embeds in each ticket (its `include`): "
            "`description` (`description` and `description_text`, which the list leaves out "
            "on accounts made after late 2018), `stats` (resolved, closed, first responded at…), "
            "`requester`, `company`. Each one costs 2 more rate-limit credits per page of 100 "
            "tickets (a page costs 1 without). Empty: none.",
        ),
        th.Property(
            "redact_webhook_credentials",
            th.BooleanType,
            default=True,
            title="Redact webhook credentials",
            description="Replace the values of `username`, `password`, `api_key` and of each "
            "header in `custom_headers` in automation rules' webhook actions with "
            "`REDACTED`, so the credentials those webhooks send never reach the destination. "
            "False keeps them as Freshdesk returns them.",
        ),
    ).to_dict()

    @classmethod
    def append_builtin_config(cls, config_jsonschema: dict[str, t.Any]) -> None:
        """Declare the SDK's built-in settings and the ACTIVATE_VERSION switch it leaves out."""
        super().append_builtin_config(config_jsonschema)
        properties = config_jsonschema.setdefault("properties", {})
        properties.setdefault(activate_version.SETTING, activate_version.SCHEMA)

    def __init__(self, *args: t.Any, validate_config: bool = True, **kwargs: t.Any) -> None:
        self._custom_field_properties: dict[str, dict[str, dict[str, t.Any]]] = {}
        self._known: dict[str, list[dict[str, t.Any]]] = {}
        quiet_sdk_logs(sdk_metrics=False)  # the settings are read during __init__
        super().__init__(*args, validate_config=validate_config, **kwargs)
        quiet_sdk_logs(sdk_metrics=bool(self.config.get("log_sdk_metrics")))
        if validate_config:
            self._warn_unknown_settings()
            self._warn_unknown_catalog_streams()

    def _validate_config(self, *, raise_errors: bool = True) -> list[str]:
        """Check every setting before any request: one line naming each bad one, no secret.

        Replaces the SDK's validation, whose message prints the value of a secret given with
        the wrong type and which leaves `start_date`, the key's encoding and the URL settings
        to fail later, after network calls, with a traceback. `--discover` asks not to raise
        (`raise_errors` false): without any connection setting it makes the catalog offline
        (custom fields untyped), but settings it is given must be right, since it reads the
        account's custom field definitions with them.
        """
        schema = copy.deepcopy(self.config_jsonschema)
        self.append_builtin_config(schema)
        errors = settings_errors(self._config, schema)
        offline = not raise_errors and not self._config.keys() & {"api_key", "domain", "base_url"}
        if errors and not offline:
            raise InvalidInputError(" ".join(errors))
        return [] if offline else errors

    def _warn_unknown_settings(self) -> None:
        """Name settings the tap does not have (a typo, or another tap's): they do nothing."""
        schema = copy.deepcopy(self.config_jsonschema)
        self.append_builtin_config(schema)
        if unknown := sorted(set(self.config) - set(schema.get("properties", {}))):
            self.logger.warning(
                "Ignoring unknown settings: %s (`tap-freshdesk --about` lists the settings).",
                ", ".join(unknown),
            )

    def _warn_unknown_catalog_streams(self) -> None:
        """Name streams a catalog selects that the tap does not have: nothing extracts them."""
        if self.input_catalog is None:
            return
        unknown = sorted(
            entry.tap_stream_id
            for entry in self.input_catalog.streams
            if entry.tap_stream_id not in self.streams and entry.metadata.root.selected
        )
        if unknown:
            self.logger.warning(
                "The catalog selects streams tap-freshdesk does not have, skipped: %s.",
                ", ".join(unknown),
            )

    def load_state(self, state: dict[str, t.Any]) -> None:
        """Refuse a state the tap cannot resume from; ignore, with a warning, other streams'.

        A bookmark that is not a timestamp would otherwise fail deep in the sync with a
        traceback. Bookmarks of streams this tap does not have (another tap's state) are
        left alone: every stream of this tap then starts from `start_date`.
        """
        bookmarks = state.get("bookmarks", {})
        if not isinstance(bookmarks, dict):
            msg = "The state's `bookmarks` is not an object: pass a STATE value this tap wrote."
            raise InvalidInputError(msg)
        known = set(self.streams) if bookmarks else set()
        if foreign := sorted(set(bookmarks) - known):
            self.logger.warning(
                "The state holds bookmarks of streams tap-freshdesk does not have, ignored: %s.",
                ", ".join(foreign),
            )
        for name in sorted(set(bookmarks) & known):
            check_bookmarks(name, bookmarks[name])
        super().load_state(state)

    @cached_property
    def api_base_url(self) -> str:
        """The account's API root, from `base_url` or `domain`; see tap_freshdesk.endpoint."""
        return api_base_url(self.config.get("domain"), self.config.get("base_url"))

    @cached_property
    def rate_limiter(self) -> RateLimiter:
        """One limiter for every stream: Freshdesk's budget belongs to the whole account."""
        return RateLimiter(
            requests_per_minute=self.config.get("requests_per_minute"),
            reserve_ratio=self.config.get("rate_limit_reserve_percent", 0) / 100,
        )

    @cached_property
    def progress(self) -> Progress:
        """Per-stream counts, reported every 30 s and summed up at the end."""
        return Progress(self.logger, self.rate_limiter.budget)

    @cached_property
    def oddities(self) -> Oddities:
        """Odd records and repaired bodies, warned about and summed up at the end."""
        return Oddities(self.logger, stop=bool(self.config.get("stop_on_odd_records")))

    @cached_property
    def prefetcher(self) -> Prefetcher | None:
        """The pool that reads children ahead; None when `max_concurrency` is 1."""
        workers = int(self.config.get("max_concurrency", DEFAULT_CONCURRENCY))
        return Prefetcher(workers) if workers > 1 else None

    def custom_field_properties(self, fields_stream: str) -> dict[str, dict[str, t.Any]]:
        """Typed properties of the custom fields `fields_stream` defines, read once per run.

        Unreadable definitions leave custom fields as an untyped object, with a warning: a
        discovery or sync must not fail for want of types. A host that never answers (a wrong
        `domain`) or a key the account refuses (401) is no such case: the run could do nothing
        else, so it ends on that one line instead of three warnings about custom fields first.
        """
        if fields_stream not in self._custom_field_properties:
            stream = t.cast("FreshdeskStream", self.streams[fields_stream])
            try:
                definitions = stream.read_all()
                self._known[fields_stream] = definitions
                properties = custom_properties(definitions)
            except (UnreachableError, KeyRefusedError):
                raise
            except (FreshdeskError, EndpointError, RequestException) as exc:
                self.logger.warning(
                    "Custom fields stay untyped: could not read %s (%s)", fields_stream, exc
                )
                properties = {}
            self._custom_field_properties[fields_stream] = properties
        return self._custom_field_properties[fields_stream]

    def take_known(self, stream: str) -> list[dict[str, t.Any]] | None:
        """Hand over, once, the records of a whole stream the tap read for itself.

        The field definitions are read for typing custom fields; syncing their streams then
        costs no second request.
        """
        return self._known.pop(stream, None)

    def setup_mapper(self) -> None:
        """Map streams as catalogued, extended by custom fields defined since the catalog."""
        super().setup_mapper()
        if self.input_catalog is None:
            return
        for stream in self.streams.values():
            if stream.selected:
                t.cast("FreshdeskStream", stream).announce_new_custom_fields(self.mapper)

    def discover_streams(self) -> list[Stream]:
        """One instance of each stream class, then one stream per custom object."""
        streams: list[Stream] = [stream_type(tap=self) for stream_type in STREAM_TYPES]
        streams += custom_object_streams(self, {s.name for s in streams})
        for stream in streams:
            stream.logger.addFilter(record_limit_stops)
        return streams

    @classmethod
    def cb_config(cls, ctx: click.Context, param: click.Option, value: tuple[str, ...]) -> t.Any:
        """Read the `--config` files, refusing a malformed one in one line, not a traceback."""
        try:
            return super().cb_config(ctx, param, value)
        except (ValueError, TypeError, OSError) as exc:
            reason = (
                f"{exc.msg} at line {exc.lineno}" if isinstance(exc, json.JSONDecodeError) else ""
            )
            detail = f" ({reason})" if reason else ""
            msg = f"a --config file is not a JSON object of settings{detail}."
            raise click.BadParameter(msg) from None

    def _handle_termination(self, signum: int, frame: FrameType | None) -> None:
        """Stop at once on SIGTERM or SIGINT: no new request, the STATE out, exit 128 + signal.

        The SDK logs "Gracefully shutting down" and exits 0, so a killed sync looked like a
        finished one; and requests kept going out from the worker threads, and a rate-limit
        wait in progress was waited out. The STATE written is the tap's current one: its
        bookmarks only ever cover records already written above it.
        """
        self.rate_limiter.stop()
        if "prefetcher" in self.__dict__ and self.prefetcher is not None:
            self.prefetcher.cancel()
        name = signal.Signals(signum).name
        self.logger.warning("Stopped by %s: no further requests; writing the STATE.", name)
        # Interrupted mid-write (a reentrant write) or with stdout closed, the last STATE
        # written before stands, and it is consistent too.
        with contextlib.suppress(RuntimeError, OSError):
            self._state_writer.write_state(self.state)
        sys.exit(128 + signum)

    @classmethod
    def cb_discover(cls, ctx: click.Context, param: click.Option, value: bool) -> None:
        """Run `--discover`, ending on bad settings or an API refusal with one line."""
        try:
            super().cb_discover(ctx, param, value)
        except FreshdeskError as exc:
            cls.logger.error("%s", exc)
            ctx.exit(1)

    @classmethod
    def cb_test(cls, ctx: click.Context, param: click.Option, value: str) -> None:
        """Run `--test`, ending on bad settings or an API refusal with one line."""
        try:
            super().cb_test(ctx, param, value)
        except FreshdeskError as exc:
            cls.logger.error("%s", exc)
            ctx.exit(1)

    @classmethod
    def invoke(cls, *args: t.Any, **kwargs: t.Any) -> None:
        """Run the CLI, ending a failed sync with one clear line and exit code 1, no traceback.

        A closed stdout (the target stopped reading: it failed or was killed) is said in one
        line too, with exit code 1: the SDK's "An unhandled error occurred" named no cause.
        """
        try:
            for option in ("state", "catalog"):
                if kwargs.get(option) is not None:
                    kwargs[option] = json_object_file(option, kwargs[option])
            super().invoke(*args, **kwargs)
        except FreshdeskError as exc:
            cls.logger.error("%s", exc)
            sys.exit(1)
        except BrokenPipeError:
            _detach_stdout()
            cls.logger.error(
                "The target stopped reading the tap's output (broken pipe): it failed or was "
                "stopped; see its log. Resume from the last STATE it saved."
            )
            sys.exit(1)


def _detach_stdout() -> None:
    """Point stdout at /dev/null, so Python's final flush of the closed pipe raises nothing."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)
