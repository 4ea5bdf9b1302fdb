"""When a STATE message is worth writing.

The SDK writes one at the end of every child sync: with conversations selected, that is one per
ticket (1,103 STATE lines for 2,000 tickets). Each is a deep copy of the whole state for the tap
and a parse for every target downstream, yet a STATE only tells a resumed run where to begin: one
every thousand records or every few seconds loses at most that much re-reading after a kill.
Skipping a STATE never makes one unsafe: whichever is written covers only records written
above it, as the SDK's bookkeeping already guarantees. A stream's last STATE is always written.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

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
