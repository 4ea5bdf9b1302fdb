"""Freshdesk's rate limits: per-account credits in fixed windows, plus list sub-limits.

Facts modelled: every response reports `X-Ratelimit-Total`, `X-Ratelimit-Remaining` and
`X-Ratelimit-Used-CurrentRequest`; `include=` costs extra credits; the ticket and contact lists
have their own, lower per-window budgets that bite first; over a limit the answer is 429 with
`Retry-After` (whole seconds) and the refused request costs nothing.
"""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass

from tests.simulator.config import SimulatorConfig

#: What `X-Ratelimit-Total` reports when the simulator is configured without a limit.
UNLIMITED_TOTAL = 1_000_000


@dataclass(frozen=True)
class Verdict:
    """What the rate limiter says of one request."""

    allowed: bool
    total: int
    remaining: int
    used: int
    retry_after: int = 0

    def headers(self) -> dict[str, str]:
        """Return the `X-Ratelimit-*` headers (and `Retry-After` when refused)."""
        headers = {
            "X-Ratelimit-Total": str(self.total),
            "X-Ratelimit-Remaining": str(self.remaining),
            "X-Ratelimit-Used-CurrentRequest": str(self.used),
        }
        if not self.allowed and self.retry_after:
            headers["Retry-After"] = str(self.retry_after)
        return headers


class RateLimiter:
    """Fixed windows: the first request after a window ends opens the next one."""

    def __init__(self, config: SimulatorConfig) -> None:
        self.config = config
        self._lock = threading.Lock()
        self._started = -math.inf
        self._used = 0
        self._lists: dict[str, int] = {}
        #: The 429s of each window opened so far, in order: what a test counts per window,
        #: on the simulator's own windows rather than guessed from wall time.
        self.refusals_per_window: list[int] = []

    def charge(self, credits: int, list_name: str | None) -> Verdict:
        """Spend `credits` (and one request of `list_name`'s sub-limit) or refuse the request."""
        config = self.config
        limit = config.rate_limit
        sub_limit = {
            "tickets": config.tickets_list_limit,
            "contacts": config.contacts_list_limit,
        }.get(list_name or "")
        with self._lock:
            now = config.rate_clock()
            if now - self._started >= config.rate_window_seconds:
                self._started, self._used, self._lists = now, 0, {}
                self.refusals_per_window.append(0)
            total = limit if limit is not None else UNLIMITED_TOTAL
            over = limit is not None and self._used + credits > limit
            if sub_limit is not None and list_name is not None:
                over = over or self._lists.get(list_name, 0) + 1 > sub_limit
            if over:
                left = config.rate_window_seconds - (now - self._started)
                wait = max(1, math.ceil(left)) if config.send_retry_after else 0
                self.refusals_per_window[-1] += 1
                return Verdict(False, total, max(0, total - self._used), 0, wait)
            self._used += credits
            if list_name is not None:
                self._lists[list_name] = self._lists.get(list_name, 0) + 1
            return Verdict(True, total, max(0, total - self._used), credits)

    def peek(self) -> Verdict:
        """Return the current budget without spending, for answers that cost nothing (401)."""
        with self._lock:
            total = self.config.rate_limit or UNLIMITED_TOTAL
            return Verdict(True, total, max(0, total - self._used), 0)
