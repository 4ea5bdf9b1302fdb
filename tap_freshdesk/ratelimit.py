"""The one rate limiter every request of a sync goes through.

Freshdesk's limit belongs to the account, not to the key or the stream: every stream of this tap,
and every other app the customer installed, draws from one budget. So there is a single limiter
per tap run, it learns the budget from the `X-Ratelimit-*` headers rather than a plan table (the
published tables disagree), and when Freshdesk says 429 with `Retry-After` everybody waits that
long, not only the request that was refused.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field


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
    """Spaces requests to honour `requests_per_minute` and pauses everyone after a 429.

    `requests_per_minute` is the user's own cap, so the tap leaves room for other integrations
    on the same account; without it the tap runs as fast as Freshdesk answers and relies on
    `Retry-After`, which costs at most one refused request per rate window.
    """

    requests_per_minute: int | None = None
    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep
    budget: RateBudget = field(default_factory=RateBudget)
    _next_slot: float = 0.0
    _paused_until: float = 0.0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def wait_turn(self) -> float:
        """Block until this request may be sent; return the seconds waited."""
        with self._lock:
            now = self.clock()
            start = max(now, self._paused_until, self._next_slot)
            if self.requests_per_minute:
                self._next_slot = start + 60.0 / self.requests_per_minute
            delay = start - now
        if delay > 0:
            self.sleep(delay)
            with self._lock:
                self.budget.seconds_waited += delay
        return delay

    def pause(self, seconds: float) -> None:
        """Hold every request for `seconds` from now (Freshdesk's `Retry-After`)."""
        with self._lock:
            self._paused_until = max(self._paused_until, self.clock() + seconds)
            self.budget.rate_limited += 1

    def observe(self, headers: Mapping[str, str]) -> None:
        """Learn the account's budget from a response's `X-Ratelimit-*` headers."""
        total = _int_header(headers, "X-Ratelimit-Total")
        remaining = _int_header(headers, "X-Ratelimit-Remaining")
        used = _int_header(headers, "X-Ratelimit-Used-CurrentRequest")
        with self._lock:
            self.budget.requests += 1
            self.budget.credits_spent += 1 if used is None else used
            if total is not None:
                self.budget.total = total
            if remaining is not None:
                self.budget.remaining = remaining


def _int_header(headers: Mapping[str, str], name: str) -> int | None:
    # `requests` header mappings are case-insensitive, as HTTP header names are.
    value = headers.get(name)
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None
