"""When a STATE message is written: every decision of it is here, for every stream.

The SDK writes one at the end of every child sync: with conversations selected, that is one per
ticket (1,103 STATE lines for 2,000 tickets). Each is a deep copy of the whole state for the tap
and a parse for every target downstream, yet a STATE only tells a resumed run where to begin: one
every thousand records or every few seconds loses at most that much re-reading after a kill.
Skipping a STATE never makes one unsafe: whichever is written covers only records written
above it, as the SDK's bookkeeping already guarantees. A stream's last STATE is always written.

`StateCadence` counts, for the whole sync; `StateTiming`, a part of every stream, applies it:
at each record (top-level streams), when the SDK would write one (child syncs, partitions), and
at the tap's own moments (a day of activities read whole, a page cap met), which write at once.
"""

from __future__ import annotations

import threading
import time
import typing as t
from collections.abc import Callable
from dataclasses import dataclass, field

from tap_freshdesk.sdk.private import SdkStream

#: Records after which a STATE is due again.
STATE_EVERY_RECORDS = 1000
#: Seconds after which a STATE is due again, if any record was written since the last one.
STATE_EVERY_SECONDS = 5.0


@dataclass
class StateCadence:
    """Counts records written since the last STATE and says when the next one is due."""

    every_records: int = STATE_EVERY_RECORDS
    every_seconds: float = STATE_EVERY_SECONDS
    clock: Callable[[], float] = time.monotonic
    _pending: int = 0
    _last: float | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self) -> None:
        """Count one record written."""
        with self._lock:
            self._pending += 1
            if self._last is None:
                self._last = self.clock()

    def due(self) -> bool:
        """Whether enough records or time went by since the last STATE to write another."""
        with self._lock:
            if self._pending >= self.every_records:
                return True
            return (
                self._pending > 0
                and self._last is not None
                and self.clock() - self._last >= self.every_seconds
            )

    def written(self) -> None:
        """Note a STATE written: it covers every record counted so far."""
        with self._lock:
            self._pending = 0
            self._last = self.clock()


class _Sync(t.Protocol):
    """What StateTiming needs of the sync's shared services (sync.shared.Shared)."""

    @property
    def state_cadence(self) -> StateCadence: ...

    @property
    def batch_spools(self) -> object | None: ...


class StateTiming(SdkStream):
    """The stream's side of the cadence: which STATE the SDK writes, and when the tap does."""

    if t.TYPE_CHECKING:

        @property
        def shared(self) -> _Sync:
            """The sync's shared services: SharedStream's `shared`."""

    #: Set once the stream's bookmarks are final: its STATE is then written whatever the cadence.
    _state_final = False

    def count_for_state(self) -> None:
        """Count one record written, or one unit of progress worth saving (an id probed)."""
        self.shared.state_cadence.record()

    def write_state_if_due(self) -> None:
        """Write a top-level stream's STATE before the next record if the cadence says so.

        BATCH files end at each STATE; with `batch_config` the files' own cadence decides.
        """
        shared = self.shared
        if (
            self.parent_stream_type is None
            and shared.batch_spools is None
            and shared.state_cadence.due()
        ):
            self.write_state_message()

    def state_changed(self, *, write_now: bool = False) -> None:
        """Note a change the SDK does not know of (so its next STATE is written); or write it.

        Written at once for the tap's own moments: a day of activities read whole, a page cap
        met (the probe's next run needs to know).
        """
        self.state_manager.is_flushed = False
        if write_now:
            self.write_state_message()

    def state_due(self) -> bool:
        """Write a STATE the SDK is about to write only when it is due, not per parent.

        A child's sync ends with a STATE for every parent record, a top-level stream's with one
        per partition (the ticket passes); those wait for the cadence. Final ones are written,
        and with `batch_config` a top-level stream's, which follow its BATCH files.
        """
        shared = self.shared
        return (
            self._state_final
            or shared.state_cadence.due()
            or (self.parent_stream_type is None and shared.batch_spools is not None)
        )

    def before_state(self) -> None:
        """Note the STATE about to be written: it covers every record counted so far."""
        if not self.state_manager.is_flushed:
            self.shared.state_cadence.written()
        super().before_state()

    def finalize_state_progress_markers(self, state: dict[str, t.Any] | None = None) -> None:
        """Mark the bookmarks final: the stream's last STATE is written whatever the cadence."""
        self._state_final = True
        super().finalize_state_progress_markers(state)
