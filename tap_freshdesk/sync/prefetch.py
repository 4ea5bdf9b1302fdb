"""Fetching the children of upcoming parent records while the current one is written.

The SDK syncs a parent record's children right after that record, one request at a time, so
a sync of conversations waits one round trip per ticket: with 200 ms of latency, five tickets
a second, however large the account's budget. Here the parent stream looks a few records
ahead and hands their children's requests to a bounded pool; when the SDK then syncs a
child, its records are already there (or on their way). Output order and STATE stay the
SDK's own, because the SDK still writes every record in its usual place: only the waiting
moves. Every request still passes the tap's one rate limiter.
"""

from __future__ import annotations

import typing as t
from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor

if t.TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator

    from singer_sdk.helpers.types import Context

#: How many parent records per worker the look-ahead reads ahead of the one being written.
LOOK_AHEAD_PER_WORKER = 4

Record = dict[str, t.Any]
_Key = tuple[str, frozenset[tuple[str, t.Any]]]


class Prefetcher:
    """A bounded pool of child requests, keyed by child stream and child context."""

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="prefetch")
        self._futures: dict[_Key, Future[list[Record]]] = {}

    def submit(
        self, stream: str, context: Context, read: Callable[[Context], Iterable[Record]]
    ) -> None:
        """Start reading one child context's records, unless that is already under way."""
        key = _key(stream, context)
        if key not in self._futures:
            self._futures[key] = self._pool.submit(lambda: list(read(context)))

    def cancel(self) -> None:
        """Drop the reads not yet started: the sync is stopping."""
        self._pool.shutdown(wait=False, cancel_futures=True)

    def take(self, stream: str, context: Context | None) -> list[Record] | None:
        """Return the records read ahead for this context (waiting for them); None if none.

        An error the read raised (a fatal API error, say) is raised here, in the sync's thread.
        """
        future = self._futures.pop(_key(stream, context or {}), None)
        return None if future is None else future.result()

    def look_ahead(
        self,
        records: Iterable[Record],
        start_children: Callable[[Record], None],
    ) -> Iterator[Record]:
        """Yield `records` in order, starting each one's children a few records before it.

        A few records per worker keep every worker busy while the SDK writes the records
        between, even when one slow answer holds the head of the line.
        """
        window: deque[Record] = deque()
        for record in records:
            start_children(record)
            window.append(record)
            if len(window) > LOOK_AHEAD_PER_WORKER * self.workers:
                yield window.popleft()
        yield from window


def _key(stream: str, context: Context) -> _Key:
    return stream, frozenset(context.items())
