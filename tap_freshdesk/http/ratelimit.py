"""The one rate limiter every request of a sync goes through.

Freshdesk's limit belongs to the account, not to the key or the stream: every stream of this tap,
and every other app the customer installed, draws from one budget. So there is a single limiter
per tap run, shared by the threads that fetch children concurrently. It learns the budget from
the `X-Ratelimit-*` headers rather than a plan table (the published tables disagree), and when
Freshdesk says 429 with `Retry-After` everybody waits that long, not only the request refused.
"""

from __future__ import annotations

import threading
import time
import typing as t
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlsplit

#: With the budget down to the reserved share, one request is let through this often to learn
#: whether the window has reset (Freshdesk sends no reset time, only `Retry-After` on a 429).
RESERVE_PROBE_SECONDS = 5.0


class SyncStopped(Exception):
    """The sync was told to stop (SIGTERM, SIGINT): no request may start, no wait goes on."""


#: Credits short of the window's end at which requests go one at a time. Answers to concurrent
#: requests arrive out of order, so the remaining count read is sometimes a request or two
#: behind; the margin keeps a window's end at one 429.
SINGLE_FILE_MARGIN = 2

#: Credits each `include` adds to a request (../shared/freshdesk-api.md: "+2 each", as the
#: `X-Ratelimit-Used-CurrentRequest` of a ticket-list page with includes reports).
INCLUDE_CREDITS = 2


def expected_credits(url: str | None) -> int:
    """Return the credits a request will likely cost: one, and two per `include` it asks for."""
    includes = parse_qs(urlsplit(url or "").query).get("include", [])
    return 1 + INCLUDE_CREDITS * sum(len([i for i in v.split(",") if i]) for v in includes)


@dataclass
class RateBudget:
    """What the latest response said about the account's budget, and what this run spent."""

    total: int | None = None
    remaining: int | None = None
    credits_spent: int = 0
    requests: int = 0
    rate_limited: int = 0
    seconds_waited: float = 0.0


@dataclass
class RateLimiter:
    """Admits requests so the account's budget is used fully but 429s stay rare.

    - `requests_per_minute`, the user's own cap, spaces requests evenly.
    - `reserve_ratio` keeps that share of the account's budget for other integrations: once
      `X-Ratelimit-Remaining` falls to it, requests wait, and one probe every few seconds
      learns when the window has reset.
    - When the remaining budget would not cover the credits already in flight (each request's
      `expected_credits`), only one request is in flight at a time: the window's last credit
      then costs at most one 429, whose `Retry-After` holds every thread until the window resets.
    """

    requests_per_minute: int | None = None
    reserve_ratio: float = 0.0
    clock: Callable[[], float] = time.monotonic
    budget: RateBudget = field(default_factory=RateBudget)
    _in_flight: int = 0
    _admitted: int = 0
    _latest_observed: int = 0
    _local: threading.local = field(default_factory=threading.local)
    _next_slot: float = 0.0
    _paused_until: float = 0.0
    _reserve_until: float = 0.0
    _cond: threading.Condition = field(default_factory=threading.Condition)
    _stopped: bool = False
    _lanes: dict[str, Lane] = field(default_factory=dict)

    @contextmanager
    def turn(self, lane: Lane | None = None, credits: int = 1) -> Iterator[None]:
        """Hold a place among the requests in flight for as long as one request takes.

        `credits` is what the request is expected to cost, counted in flight until it is answered.
        """
        self._local.admission = self.acquire(lane, credits)
        self._local.remaining = None
        try:
            yield
        finally:
            self.release(credits)

    def lane(self, name: str) -> Lane:
        """Return the lane of one list's sub-limit (`tickets`, `contacts`), one per name."""
        with self._cond:
            return self._lanes.setdefault(name, Lane(self, name))

    def acquire(self, lane: Lane | None = None, credits: int = 1) -> int:
        """Block until a request may be sent (and its lane is not paused); return its number."""
        with self._cond:
            started = self.clock()
            while True:
                self._raise_if_stopped()
                now = self.clock()
                lane_hold = lane.paused_until if lane is not None else 0.0
                hold = (
                    max(self._paused_until, self._next_slot, self._reserve_until, lane_hold) - now
                )
                if hold > 0:
                    self._cond.wait(hold)
                elif self._in_flight and self._budget_short(credits):
                    self._cond.wait()
                else:
                    break
            self._in_flight += credits
            if self.requests_per_minute:
                self._next_slot = now + 60.0 / self.requests_per_minute
            self.budget.seconds_waited += now - started
            self._admitted += 1
            return self._admitted

    def wait(self, seconds: float) -> None:
        """Wait `seconds` (a retry's backoff), unless the sync is stopped first."""
        until = self.clock() + seconds
        with self._cond:
            while (left := until - self.clock()) > 0:
                self._raise_if_stopped()
                self._cond.wait(left)
            self._raise_if_stopped()

    def stop(self) -> None:
        """Refuse every request from now on and wake every wait: the sync is ending."""
        self._stopped = True
        # A signal handler may run while this thread holds the lock: never block on it.
        if self._cond.acquire(blocking=False):
            try:
                self._cond.notify_all()
            finally:
                self._cond.release()

    def _raise_if_stopped(self) -> None:
        if self._stopped:
            msg = "the sync is stopping: no new request"
            raise SyncStopped(msg)

    def release(self, credits: int = 1) -> None:
        """Give the place (and its `credits`) back once the response has been observed."""
        with self._cond:
            self._in_flight -= credits
            self._cond.notify_all()

    def pause(self, seconds: float) -> None:
        """Hold every request for `seconds` from now (Freshdesk's `Retry-After`)."""
        with self._cond:
            self._paused_until = max(self._paused_until, self.clock() + seconds)
            self.budget.rate_limited += 1
            # Spent, whatever an older answer said: after the pause one request probes alone.
            self.budget.remaining = 0
            self._cond.notify_all()

    def observe(self, headers: Mapping[str, str]) -> int:
        """Learn the account's budget from a response's `X-Ratelimit-*` headers.

        Returns the credits the request cost.
        """
        total = _int_header(headers, "X-Ratelimit-Total")
        remaining = _int_header(headers, "X-Ratelimit-Remaining")
        used = _int_header(headers, "X-Ratelimit-Used-CurrentRequest")
        credits = 1 if used is None else used
        # What this very answer said, for a 429 on a list to be judged by (Lane.pause).
        self._local.remaining = remaining
        with self._cond:
            self.budget.requests += 1
            self.budget.credits_spent += credits
            if total is not None:
                self.budget.total = total
            # Answers arrive out of order: the count of the latest-sent request is the current
            # one, and an older request answered after it may have been served after it too,
            # so its credits come off that count.
            admission = getattr(self._local, "admission", self._admitted)
            if remaining is not None and admission >= self._latest_observed:
                self._latest_observed = admission
                self.budget.remaining = remaining
            elif self.budget.remaining is not None:
                self.budget.remaining = max(0, self.budget.remaining - credits)
            left = self.budget.remaining
            if self.reserve_ratio and left is not None and left <= self._reserved():
                self._reserve_until = self.clock() + RESERVE_PROBE_SECONDS
            self._cond.notify_all()
        return credits

    def _reserved(self) -> float:
        return (self.budget.total or 0) * self.reserve_ratio

    def _budget_short(self, credits: int = 1) -> bool:
        """Whether the credits in flight and this request's beyond its first leave too little."""
        remaining = self.budget.remaining
        if remaining is None:
            return False
        asked = self._in_flight + credits - 1
        return remaining - asked <= self._reserved() + SINGLE_FILE_MARGIN


@dataclass
class Lane:
    """One list's sub-limit, paused on its own while the account's budget goes on.

    Freshdesk limits the ticket and contact lists below the account's budget (Growth: 20 of the
    200 calls a minute), and its headers show only the account's count. A 429 on a list whose
    answer still shows account credits left (`X-Ratelimit-Remaining` above the margin) is that
    list's sub-limit: only the list waits `Retry-After`, conversations and every other request
    go on. A 429 with the account's budget spent pauses everything, as before.

    The 429 is judged by the count it carries itself (every Freshdesk answer, a 429 too, reports
    `X-Ratelimit-Remaining`: ../shared/freshdesk-api.md, "Rate limits"), not by the limiter's
    current count: answers arrive out of order, and a 429 sent before a request answered earlier
    would otherwise be judged by that request's older, higher count.
    """

    limiter: RateLimiter
    name: str
    paused_until: float = 0.0

    @property
    def budget(self) -> RateBudget:
        """The account's budget, shared with every other lane."""
        return self.limiter.budget

    def turn(self, credits: int = 1) -> t.ContextManager[None]:
        """Hold a place among the requests in flight, once this list is not paused."""
        return self.limiter.turn(self, credits)

    def pause(self, seconds: float) -> None:
        """Pause this list alone for a sub-limit 429, the whole account otherwise."""
        limiter = self.limiter
        with limiter._cond:
            remaining = getattr(limiter._local, "remaining", None)
            if remaining is None:  # the 429 carried no count: the freshest one known
                remaining = limiter.budget.remaining
            if remaining is not None and remaining > SINGLE_FILE_MARGIN:
                self.paused_until = max(self.paused_until, limiter.clock() + seconds)
                limiter.budget.rate_limited += 1
                limiter._cond.notify_all()
                return
        limiter.pause(seconds)

    def observe(self, headers: Mapping[str, str]) -> int:
        """Learn the account's budget: see RateLimiter.observe."""
        return self.limiter.observe(headers)

    def wait(self, seconds: float) -> None:
        """Wait a retry's backoff: see RateLimiter.wait."""
        self.limiter.wait(seconds)


def _int_header(headers: Mapping[str, str], name: str) -> int | None:
    # `requests` header mappings are case-insensitive, as HTTP header names are.
    value = headers.get(name)
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None
