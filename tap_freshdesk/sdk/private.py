"""Every private Singer SDK name the tap relies on: the one place to check on an SDK upgrade.

The SDK (0.54) offers no public hook for these needs: announcing a stream's SCHEMA once,
putting BATCH messages before the STATE that covers them, keeping the bookmark from moving
back, syncing one stream's records without writing them, switching the per-request metric
log line off, validating settings without printing a secret, stopping on a signal. Each is a
private method overridden or called here and turned into a public hook the tap's own modules
use. `tests/test_sdk_private.py` fails loudly, naming the member, when an SDK release renames
or drops one of them, or rewords a log line filtered by its text.
"""

from __future__ import annotations

import typing as t

from singer_sdk import RESTStream, Tap
from singer_sdk.helpers._batch import BaseBatchFileEncoding, BatchConfig

if t.TYPE_CHECKING:
    from collections.abc import Iterable
    from types import FrameType

    from singer_sdk.helpers.types import Context

__all__ = ["BaseBatchFileEncoding", "BatchConfig", "SdkStream", "SdkTap"]

Record = dict[str, t.Any]

#: The private members used, by owner: the test holds the SDK to each.
PRIVATE_MEMBERS: dict[type, tuple[str, ...]] = {
    RESTStream: (
        "_LOG_REQUEST_METRICS",
        "_write_schema_message",
        "_write_state_message",
        "_increment_stream_state",
        "_sync_records",
        "_write_batch_message",
        "_request",
    ),
    Tap: ("_validate_config", "_handle_termination"),
}
#: Attributes the SDK sets on its instances (not on the class), used here.
PRIVATE_ATTRIBUTES: dict[type, tuple[str, ...]] = {
    RESTStream: ("_tap", "_mask", "_requests_session"),
    Tap: ("_config", "_state_writer"),
}

#: The SDK's log lines dropped by their text (see tap_freshdesk.sdk.logs), where it logs them.
UNSORTED_WARNING = "Stream is assumed to be unsorted"
PER_PARENT_NOTICES = (
    "Beginning sync of",
    "Starting incremental sync of",
    "Pagination stopped after",
)
UNHANDLED_ERROR = "An unhandled error occurred while syncing"


class SdkStream(RESTStream[t.Any]):
    """The SDK's REST stream, its private steps reached through public hooks."""

    # One log line per request is noise; tap_freshdesk.sync.progress reports instead.
    _LOG_REQUEST_METRICS = False

    def schema_due(self) -> bool:
        """Whether the SDK may write this stream's SCHEMA message now."""
        return True

    def before_state(self) -> None:
        """Run before each STATE message of this stream."""

    def bookmark_moves(self, record: Record, context: Context | None) -> bool:
        """Whether `record` may move the bookmark (the SDK then moves it)."""
        return True

    def bookmark_moved(self, record: Record, context: Context | None) -> None:
        """Run once `record`, written, has moved the bookmark."""

    def state_due(self) -> bool:
        """Whether a STATE the SDK is about to write is worth writing now."""
        return True

    def _write_schema_message(self) -> None:
        if self.schema_due():
            super()._write_schema_message()

    def state_moment(self) -> None:
        """Run whenever the SDK would write a STATE (a context's sync ends), due or not."""

    def _write_state_message(self) -> None:
        if self.state_due():
            self.write_state_message()
        self.state_moment()

    def _increment_stream_state(
        self, latest_record: Record, *, context: Context | None = None
    ) -> None:
        if self.bookmark_moves(latest_record, context):
            super()._increment_stream_state(latest_record, context=context)
            self.bookmark_moved(latest_record, context)

    def write_state_message(self) -> None:
        """Write this stream's STATE now, if it changed, whatever the cadence.

        For the tap's own moments: a day of activities read whole, an archived id probed,
        BATCH files written; the SDK's own STATEs wait for `state_due`.
        """
        self.before_state()
        super()._write_state_message()

    def sync_unwritten(self, context: Context | None) -> Iterable[Record]:
        """Sync one context as the SDK does, yielding its records instead of writing them."""
        return self._sync_records(context, write_messages=False)

    def write_batch_message(self, encoding: BaseBatchFileEncoding, manifest: list[str]) -> None:
        """Write one BATCH message for files already written."""
        self._write_batch_message(encoding=encoding, manifest=manifest)

    def send(self, prepared: t.Any, context: Context | None) -> t.Any:
        """Send one prepared request the way every page's request is sent (retries and all)."""
        return self.request_decorator(self._request)(prepared, context)

    @property
    def tap(self) -> Tap:
        """The tap this stream belongs to (for building sibling streams)."""
        return self._tap

    def set_selection(self, value: bool | None) -> None:
        """Select the stream in its catalog metadata, as the SDK's `selected` setter does."""
        self.metadata.root.selected = value
        self._mask = self.metadata.resolve_selection()


class SdkTap(Tap):
    """The SDK's tap, its settings validation and signal handling reached through hooks."""

    def check_settings(self, config: dict[str, t.Any], *, raise_errors: bool) -> list[str]:
        """Return what is wrong with `config` (the SDK's validation hook)."""
        return super()._validate_config(raise_errors=raise_errors)

    def terminate(self, signum: int) -> None:
        """Stop on SIGTERM or SIGINT (the SDK's handler logs and exits 0)."""

    def write_state_now(self) -> None:
        """Write the tap's current STATE message."""
        self._state_writer.write_state(self.state)

    def _validate_config(self, *, raise_errors: bool = True) -> list[str]:
        return self.check_settings(self._config, raise_errors=raise_errors)

    def _handle_termination(self, signum: int, frame: FrameType | None) -> None:
        self.terminate(signum)
