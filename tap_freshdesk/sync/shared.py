"""What every stream of one sync shares, built once by the tap and handed to each stream.

Freshdesk's rate limit belongs to the account, so one limiter serves every stream; the
progress lines, the odd-record summary, the pool that reads children ahead, the lists the tap
reads for itself (field definitions, helpdesk settings: read once, for every reader) and the
BATCH spools are the sync's too. Streams reach these through `Shared`, never through the tap,
so no stream module imports the tap.
"""

from __future__ import annotations

import threading
import typing as t
from functools import cached_property

from requests import RequestException

from tap_freshdesk.http.endpoint import EndpointError, api_base_url
from tap_freshdesk.http.errors import FreshdeskError, KeyRefusedError, UnreachableError
from tap_freshdesk.http.ratelimit import RateLimiter
from tap_freshdesk.records.custom_fields import custom_properties
from tap_freshdesk.sdk.private import SdkStream
from tap_freshdesk.sync.oddities import Oddities
from tap_freshdesk.sync.prefetch import Prefetcher
from tap_freshdesk.sync.progress import Progress
from tap_freshdesk.sync.state_cadence import StateCadence

if t.TYPE_CHECKING:
    import logging
    from collections.abc import Callable

    from tap_freshdesk.settings import Settings
    from tap_freshdesk.sync.batching import BatchSpools

Record = dict[str, t.Any]


class SharedStream(SdkStream):
    """A stream of one sync: it holds the sync's Shared services and its Settings."""

    shared: Shared
    settings: Settings


class Shared:
    """The services of one sync; each is built on first use, from the settings."""

    #: With `batch_config`, every stream's records until their BATCH file is due.
    batch_spools: BatchSpools | None = None

    def __init__(
        self,
        settings: Settings,
        logger: logging.Logger,
        *,
        version: str,
        read_all: Callable[[str], list[Record]],
    ) -> None:
        self.settings = settings
        self.logger = logger
        self.version = version
        self._read_all = read_all
        self._custom_field_properties: dict[str, dict[str, dict[str, t.Any]]] = {}
        self._known: dict[str, list[Record] | Exception] = {}
        self._reading = threading.RLock()

    @cached_property
    def api_base_url(self) -> str:
        """The account's API root, from `base_url` or `domain`; see tap_freshdesk.http.endpoint."""
        return api_base_url(self.settings.domain, self.settings.base_url)

    @cached_property
    def user_agent(self) -> str:
        """Identify the tap to Freshdesk's support when they look at an account's traffic."""
        return self.settings.user_agent or f"tap-freshdesk/{self.version}"

    @cached_property
    def state_cadence(self) -> StateCadence:
        """When STATE is worth writing: shared, since every stream's STATE holds every bookmark."""
        return StateCadence()

    @cached_property
    def rate_limiter(self) -> RateLimiter:
        """One limiter for every stream: Freshdesk's budget belongs to the whole account."""
        return RateLimiter(
            requests_per_minute=self.settings.requests_per_minute,
            reserve_ratio=self.settings.rate_limit_reserve_percent / 100,
        )

    @cached_property
    def progress(self) -> Progress:
        """Per-stream counts, reported every 30 s and summed up at the end."""
        return Progress(self.logger, self.rate_limiter.budget)

    @cached_property
    def oddities(self) -> Oddities:
        """Odd records and repaired bodies, warned about and summed up at the end."""
        return Oddities(self.logger, stop=self.settings.stop_on_odd_records)

    @cached_property
    def prefetcher(self) -> Prefetcher | None:
        """The pool that reads children ahead; None when `max_concurrency` is 1."""
        workers = self.settings.max_concurrency
        return Prefetcher(workers) if workers > 1 else None

    def stop(self) -> None:
        """Refuse every request from now on and drop the reads not started: the sync ends."""
        self.rate_limiter.stop()
        if "prefetcher" in self.__dict__ and self.prefetcher is not None:
            self.prefetcher.cancel()

    def read_all(self, stream: str) -> list[Record]:
        """Every record of a parentless stream, read once per run, errors raised.

        Freshdesk counts each request against the account's budget, and these lists serve
        several readers in one run: custom field typing, the dropdowns ticket field sections
        hang off, the languages of the translations, and the stream's own pass. The first
        reader's answer, or its error, serves every later one (tests/test_no_request_twice.py);
        a reader in the look-ahead's threads waits for a read under way instead of asking too.
        """
        with self._reading:
            if stream not in self._known:
                try:
                    self._known[stream] = self._read_all(stream)
                except Exception as exc:
                    self._known[stream] = exc
                    raise
            known = self._known[stream]
        if isinstance(known, Exception):
            raise known
        return known

    def custom_field_properties(self, fields_stream: str) -> dict[str, dict[str, t.Any]]:
        """Typed properties of the custom fields `fields_stream` defines, read once per run.

        Unreadable definitions leave custom fields as an untyped object, with a warning: a
        discovery or sync must not fail for want of types. A host that never answers (a wrong
        `domain`) or a key the account refuses (401) is no such case: the run could do nothing
        else, so it ends on that one line instead of three warnings about custom fields first.
        """
        if fields_stream not in self._custom_field_properties:
            try:
                definitions = self.read_all(fields_stream)
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
