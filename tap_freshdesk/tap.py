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

from tap_freshdesk.http.errors import FreshdeskError, InvalidInputError
from tap_freshdesk.sdk.inputs import (
    MIGRATING,
    check_bookmarks,
    foreign_state_writer,
    json_object_file,
    settings_errors,
)
from tap_freshdesk.sdk.logs import quiet_sdk_logs, record_limit_stops
from tap_freshdesk.sdk.private import SdkTap
from tap_freshdesk.settings import SETTINGS_SCHEMA, Settings, includes_from_embeds
from tap_freshdesk.streams import STREAM_TYPES
from tap_freshdesk.streams.account_keys import declare_account_keys
from tap_freshdesk.streams.custom_objects import custom_object_streams
from tap_freshdesk.streams.tickets.probe_queue import STATE_KEY, ProbeQueue
from tap_freshdesk.sync import activate_version
from tap_freshdesk.sync.message_writer import BlockWriter
from tap_freshdesk.sync.shared import Shared

if t.TYPE_CHECKING:
    from collections.abc import Iterator

    from singer_sdk import Stream

    from tap_freshdesk.streams.base import FreshdeskStream


class TapFreshdesk(SdkTap):
    """Singer tap for the Freshdesk API v2."""

    name = "tap-freshdesk"
    #: The distribution's name on PyPI (`tap-freshdesk` there is singer-io's tap): the SDK
    #: reads the version and supported Pythons for `--about` and the user agent from it.
    package_name = "deskdata-tap-freshdesk"
    message_writer_class = BlockWriter
    config_jsonschema = SETTINGS_SCHEMA

    @classmethod
    def append_builtin_config(cls, config_jsonschema: dict[str, t.Any]) -> None:
        """Declare the SDK's built-in settings and the ACTIVATE_VERSION switch it leaves out."""
        super().append_builtin_config(config_jsonschema)
        properties = config_jsonschema.setdefault("properties", {})
        properties.setdefault(activate_version.SETTING, activate_version.SCHEMA)

    def __init__(self, *args: t.Any, validate_config: bool = True, **kwargs: t.Any) -> None:
        quiet_sdk_logs(sdk_metrics=False)  # the settings are read during __init__
        super().__init__(*args, validate_config=validate_config, **kwargs)
        quiet_sdk_logs(sdk_metrics=self.settings.log_sdk_metrics)
        if validate_config:
            self._warn_unknown_settings()
            self._warn_unknown_catalog_streams()

    def check_settings(self, config: dict[str, t.Any], *, raise_errors: bool) -> list[str]:
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
        errors = settings_errors(config, schema)
        offline = not raise_errors and not config.keys() & {"api_key", "domain", "base_url"}
        if errors and not offline:
            raise InvalidInputError(" ".join(errors))
        return [] if offline else errors

    def _warn_unknown_settings(self) -> None:
        """Name settings the tap does not have (a typo, or another tap's): they do nothing."""
        schema = copy.deepcopy(self.config_jsonschema)
        self.append_builtin_config(schema)
        embeds = self.config.get("embeds")
        if isinstance(embeds, dict) and (without := includes_from_embeds(embeds)[1]):
            self.logger.warning(
                "`embeds` (acarter24's setting) names %s, which the ticket list cannot "
                "include: ignored.",
                ", ".join(without),
            )
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

        Another Freshdesk tap's state (tap_freshdesk.sdk.inputs.foreign_state_writer) is set
        aside whole, in one line naming that tap, instead of read as if it were empty.

        A bookmark that is not a timestamp would otherwise fail deep in the sync with a
        traceback. Bookmarks of streams this tap does not have (another tap's state) are
        left alone: every stream of this tap then starts from `start_date`.
        """
        if writer := foreign_state_writer(state):
            self.logger.warning(
                "The state was written by %s, not by this tap: its bookmarks are not used, so "
                "every stream starts from `start_date` (%s); %s.",
                writer,
                self.settings.start_date or "none set: all history",
                MIGRATING,
            )
            super().load_state({})
            return
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
            for partition in bookmarks[name].get("partitions", []):
                ProbeQueue.from_state(partition.get(STATE_KEY))  # the archive probe's queue
        super().load_state(state)

    @cached_property
    def shared(self) -> Shared:
        """What every stream of this sync shares (see tap_freshdesk.sync.shared)."""
        return Shared(
            self.settings,
            self.logger,
            version=self.plugin_version,
            read_all=lambda name: t.cast("FreshdeskStream", self.streams[name]).read_all(),
        )

    @cached_property
    def settings(self) -> Settings:
        """The settings given, with the schema's defaults for the others."""
        return Settings.read(self.config)

    def setup_mapper(self) -> None:
        """Map streams as catalogued, extended by custom fields defined since the catalog."""
        super().setup_mapper()
        if self.input_catalog is None:
            return
        for stream in self.streams.values():
            if stream.selected:
                t.cast("FreshdeskStream", stream).announce_new_custom_fields(self.mapper)

    def run_discovery(self) -> str:
        """Print the catalog, its schemas first extended by what the account's records carry.

        See tap_freshdesk.streams.account_keys; skipped offline (no API key) and when
        `discover_undeclared_fields` is off.
        """
        if self.settings.discover_undeclared_fields and self.settings.api_key:
            streams = [t.cast("FreshdeskStream", s) for s in self.streams.values()]
            declare_account_keys(streams, self.logger)
        return super().run_discovery()

    def discover_streams(self) -> list[Stream]:
        """One instance of each stream class, then one stream per custom object."""
        streams: list[Stream] = [
            stream_type(tap=self, shared=self.shared) for stream_type in STREAM_TYPES
        ]
        streams += custom_object_streams(self, self.shared, {s.name for s in streams})
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

    def terminate(self, signum: int) -> None:
        """Stop at once on SIGTERM or SIGINT: no new request, the STATE out, exit 128 + signal.

        The SDK logs "Gracefully shutting down" and exits 0, so a killed sync looked like a
        finished one; and requests kept going out from the worker threads, and a rate-limit
        wait in progress was waited out. The STATE written is the tap's current one: its
        bookmarks only ever cover records already written above it.
        """
        self.shared.stop()
        name = signal.Signals(signum).name
        self.logger.warning("Stopped by %s: no further requests; writing the STATE.", name)
        # Interrupted mid-write (a reentrant write) or with stdout closed, the last STATE
        # written before stands, and it is consistent too.
        with contextlib.suppress(RuntimeError, OSError):
            self.write_state_now()
        sys.exit(128 + signum)

    @classmethod
    def cb_discover(cls, ctx: click.Context, param: click.Option, value: bool) -> None:
        """Run `--discover`, ending on bad settings or an API refusal with one line."""
        with cls._one_line_on_error(ctx):
            super().cb_discover(ctx, param, value)

    @classmethod
    def cb_test(cls, ctx: click.Context, param: click.Option, value: str) -> None:
        """Run `--test`, ending on bad settings or an API refusal with one line."""
        with cls._one_line_on_error(ctx):
            super().cb_test(ctx, param, value)

    @classmethod
    @contextlib.contextmanager
    def _one_line_on_error(cls, ctx: click.Context) -> Iterator[None]:
        """End the command on a FreshdeskError with its one line and exit code 1."""
        try:
            yield
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
