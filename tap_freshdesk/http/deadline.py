"""A deadline for a whole request: connecting, the headers and every read of the body.

`requests` times out each socket operation, not a request: a server (or a proxy) that sends a
byte every few seconds holds one page without bound (a page took 140 s with
`request_timeout` 3, and nothing was logged). Here one watchdog thread cuts the connection of
any request still running at its deadline; the read then fails, and the request is retried
like any transient failure, logged as having missed the deadline.

The watchdog learns a request's connection when the sending thread connects it or sends a
request on it: the adapter's pools make their connections from subclasses of urllib3's
`HTTPConnection` and `HTTPSConnection` (the pools' public `ConnectionCls`) whose public
`connect` and `request` tell it. A request through a proxy uses urllib3's proxy pools and keeps
the per-read timeout only.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
import typing as t
from dataclasses import dataclass, field

import requests
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

if t.TYPE_CHECKING:
    from collections.abc import Iterator

    from urllib3._base_connection import BaseHTTPConnection


class DeadlineExceeded(requests.exceptions.Timeout):
    """A request still unfinished at its deadline: its connection was cut."""


@dataclass(eq=False)
class _Armed:
    until: float
    connections: list[BaseHTTPConnection] = field(default_factory=list)
    fired: bool = False


class Watchdog:
    """Cuts the connections of requests that outlive their deadline, from one daemon thread."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._armed: set[_Armed] = set()
        self._local = threading.local()
        self._thread: threading.Thread | None = None
        #: When the watchdog thread wakes next by itself; None: only when notified.
        self._wakes_at: float | None = None

    @contextlib.contextmanager
    def deadline(self, seconds: float, what: str) -> Iterator[None]:
        """Run the request sent inside within `seconds`, or fail it as DeadlineExceeded."""
        armed = _Armed(time.monotonic() + seconds)
        with self._cond:
            self._armed.add(armed)
            self._start()
            if self._wakes_at is None or armed.until < self._wakes_at:
                # Woken only when this deadline comes first: a thread wake-up per request
                # was a measurable share of a sync's CPU.
                self._cond.notify()
        self._local.armed = armed
        try:
            yield
        except (requests.exceptions.RequestException, OSError) as exc:
            if armed.fired:
                msg = f"no complete answer within request_timeout ({seconds:.0f} s) for {what}"
                raise DeadlineExceeded(msg) from exc
            raise
        finally:
            self._local.armed = None
            with self._cond:
                self._armed.discard(armed)

    def watch(self, connection: BaseHTTPConnection) -> None:
        """Cut `connection` at the deadline of the request this thread is sending, if any."""
        armed: _Armed | None = getattr(self._local, "armed", None)
        if armed is not None:
            with self._cond:
                armed.connections.append(connection)
                if armed.fired:
                    _cut(connection)

    def _start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="deadlines", daemon=True)
            self._thread.start()

    def _run(self) -> None:
        with self._cond:
            while True:
                now = time.monotonic()
                waiting = [a for a in self._armed if not a.fired]
                for armed in waiting:
                    if armed.until <= now:
                        armed.fired = True
                        for connection in armed.connections:
                            _cut(connection)
                pending = [a.until for a in waiting if not a.fired]
                self._wakes_at = min(pending) if pending else None
                self._cond.wait(self._wakes_at - now if self._wakes_at is not None else None)


def _cut(connection: BaseHTTPConnection) -> None:
    """Shut the socket down: a read blocked on it returns at once."""
    sock = getattr(connection, "sock", None)
    if sock is not None:
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)


WATCHDOG = Watchdog()


class _WatchedConnection(HTTPConnection):
    def connect(self) -> None:
        WATCHDOG.watch(self)
        super().connect()

    def request(self, *args: t.Any, **kwargs: t.Any) -> None:
        WATCHDOG.watch(self)
        super().request(*args, **kwargs)


class _WatchedTLSConnection(_WatchedConnection, HTTPSConnection):
    """TLS: `_WatchedConnection`'s calls reach HTTPSConnection's through the MRO."""


class _WatchedPool(HTTPConnectionPool):
    ConnectionCls = _WatchedConnection


class _WatchedTLSPool(HTTPSConnectionPool):
    ConnectionCls = _WatchedTLSConnection


class DeadlineAdapter(HTTPAdapter):
    """requests' adapter, its connections watched by WATCHDOG."""

    def init_poolmanager(self, *args: t.Any, **kwargs: t.Any) -> None:
        """Build urllib3's pool manager with pools whose connections are watched."""
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {"http": _WatchedPool, "https": _WatchedTLSPool}
