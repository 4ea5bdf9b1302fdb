"""Progress a person can follow: one line per busy stream every 30 s, and a summary at the end.

The SDK logs a metric line per request and per ticket's conversations, thousands per sync,
yet none of them says whether a long sync is stuck or waiting for the rate limit. These lines
do: records so far, requests and credits spent, the account's budget left in this rate window,
and how long the rate limit held the sync.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from tap_freshdesk.http.ratelimit import RateBudget

#: Seconds between progress lines.
REPORT_INTERVAL = 30.0


@dataclass
class StreamProgress:
    """What one stream has done so far."""

    records: int = 0
    requests: int = 0
    credits: int = 0
    rate_limited: int = 0
    skipped_parents: int = 0


class Progress:
    """Counts per stream and reports them on a timer, for every thread of the sync."""

    def __init__(
        self,
        logger: logging.Logger,
        budget: RateBudget,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._logger = logger
        self._budget = budget
        self._clock = clock
        self._started = clock()
        self._last_report = self._started
        self._streams: dict[str, StreamProgress] = {}
        self._changed: set[str] = set()
        self._finished = False
        self._lock = threading.Lock()

    def record(self, stream: str) -> None:
        """Count one record of `stream`."""
        with self._lock:
            self._stream(stream).records += 1
        self._maybe_report()

    def request(self, stream: str, credits: int, *, rate_limited: bool = False) -> None:
        """Count one answered request of `stream` and the credits it cost."""
        with self._lock:
            progress = self._stream(stream)
            progress.requests += 1
            progress.credits += credits
            progress.rate_limited += rate_limited
        self._maybe_report()

    def skip_parent(self, stream: str) -> bool:
        """Count one parent whose `stream` children were skipped; True the first time."""
        with self._lock:
            progress = self._stream(stream)
            progress.skipped_parents += 1
            return progress.skipped_parents == 1

    def finish(self) -> None:
        """Log the summary table, once, when the sync is over."""
        with self._lock:
            if self._finished or not self._streams:
                return
            self._finished = True
            rows = sorted(self._streams.items())
        elapsed = self._clock() - self._started
        width = max(len("stream"), *(len(name) for name, _ in rows))
        lines = [
            f"Sync finished in {elapsed:.1f} s; waited {self._budget.seconds_waited:.1f} s for "
            f"the rate limit ({self._budget.rate_limited} x 429).",
            f"{'stream':<{width}}  {'records':>9}  {'requests':>8}  {'credits':>8}  {'429s':>5}"
            f"  {'parents skipped':>15}",
        ]
        lines += [
            f"{name:<{width}}  {p.records:>9,}  {p.requests:>8,}  {p.credits:>8,}  "
            f"{p.rate_limited:>5}  {p.skipped_parents:>15,}"
            for name, p in rows
        ]
        self._logger.info("\n".join(lines))

    def _stream(self, name: str) -> StreamProgress:
        self._changed.add(name)
        return self._streams.setdefault(name, StreamProgress())

    def _maybe_report(self) -> None:
        now = self._clock()
        if now - self._last_report < REPORT_INTERVAL:
            return
        with self._lock:
            if now - self._last_report < REPORT_INTERVAL:
                return
            self._last_report = now
            changed, self._changed = sorted(self._changed), set()
            lines = [self._line(name, self._streams[name]) for name in changed]
        for line in lines:
            self._logger.info(line)

    def _line(self, name: str, progress: StreamProgress) -> str:
        budget = self._budget
        left = (
            f"{budget.remaining}/{budget.total} credits left in this window"
            if budget.remaining is not None
            else "budget not reported"
        )
        return (
            f"Progress {name}: {progress.records:,} records, {progress.requests:,} requests "
            f"({progress.credits:,} credits); {left}; rate-limit waits so far "
            f"{budget.seconds_waited:.1f} s"
        )
