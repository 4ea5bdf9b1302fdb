"""Keeping a sync's threads on one CPU core, where they hand the GIL over cheaply.

CPython runs one thread at a time. A sync reads children ahead with a pool of threads that
mostly wait on sockets, and every socket call hands the GIL to the thread writing records
and back. With the threads spread over cores, the kernel moves each hand-over across cores:
the waking thread finds the GIL still held, sleeps on it, is woken on the other core again.
Measured against the simulator with no latency, 4 workers on 2 cores: 10,000 tickets with
their conversations took about 6.8 CPU-seconds and 80,000 context switches spread, about
4.7 and 15,000 on one core, whose wall time was shorter too (5.6 s against 8.0 s). With 20-40
ms of latency the two are alike. The process gives up only what runs without the GIL (the
kernel's side of a socket call, TLS), a small share of a sync.

Linux only (`os.sched_setaffinity`); a no-op elsewhere, on one allowed CPU, and on a Python
built without the GIL, whose threads do run at once.
"""

from __future__ import annotations

import contextlib
import os
import sys
import typing as t

if t.TYPE_CHECKING:
    import logging
    from collections.abc import Iterable, Iterator

T = t.TypeVar("T")


class OneCpu:
    """The CPU one sync's threads share, chosen on first use and kept for the whole run."""

    def __init__(self, logger: logging.Logger, *, enabled: bool) -> None:
        self._logger = logger
        self._enabled = enabled
        self._chosen = False
        self._announced = False
        self._cpu: int | None = None

    @contextlib.contextmanager
    def held(self) -> Iterator[int | None]:
        """Run the block on the sync's CPU, the threads it starts included; yield it, or None.

        The calling thread's CPUs are restored afterwards, so a tap run inside another program
        (tests, an orchestrator) leaves that program as it found it. Threads started inside
        keep the one CPU: the pool's threads, started by the first parent stream, serve the
        others on that same CPU, which is why it is chosen once.
        """
        cpu = self._choose()
        previous = _allowed_cpus()
        if cpu is None or previous is None:
            yield None
            return
        try:
            os.sched_setaffinity(0, {cpu})
        except OSError as exc:  # a container's policy may refuse it: the sync runs as it would
            self._logger.debug("Threads left to the OS (CPU %d refused: %s)", cpu, exc)
            self._cpu = None
            yield None
            return
        if not self._announced:
            self._announced = True
            self._logger.info(
                "Threads kept on CPU %d: Python runs one at a time, and handing over between "
                "cores costs more than it gains (setting `pin_to_one_cpu`)",
                cpu,
            )
        try:
            yield cpu
        finally:
            with contextlib.suppress(OSError):
                os.sched_setaffinity(0, previous)

    def over(self, records: Iterable[T]) -> Iterator[T]:
        """Yield `records` on the sync's CPU: the threads reading them ahead start there."""
        with self.held():
            yield from records

    def _choose(self) -> int | None:
        if self._chosen:
            return self._cpu
        self._chosen = True
        allowed = _allowed_cpus()
        if not self._enabled or allowed is None or len(allowed) < 2 or not _gil_enabled():
            return None
        cpu = _current_cpu()
        self._cpu = cpu if cpu in allowed else min(allowed)
        return self._cpu


def _allowed_cpus() -> set[int] | None:
    getter = getattr(os, "sched_getaffinity", None)
    if getter is None or not hasattr(os, "sched_setaffinity"):
        return None
    try:
        return set(getter(0))
    except OSError:
        return None


def _gil_enabled() -> bool:
    check = getattr(sys, "_is_gil_enabled", None)
    return True if check is None else bool(check())


def _current_cpu() -> int | None:
    """Return the CPU this thread last ran on (field 39 of its /proc stat line); None if unread."""
    try:
        with open("/proc/thread-self/stat", "rb") as stat:
            after_name = stat.read().rsplit(b")", 1)[1].split()
        return int(after_name[36])
    except (OSError, IndexError, ValueError):
        return None
