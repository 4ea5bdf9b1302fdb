"""Rate limits and injected faults: the two ways the real API makes a sync wait or retry."""

from __future__ import annotations

import math
import random
import threading
import time
from dataclasses import dataclass

from tests.simulator.config import SimulatorConfig


@dataclass
class Verdict:
    """What the rate limiter says of one request."""

    allowed: bool
    total: int
    remaining: int
    retry_after: int = 0


class RateWindow:
    """Fixed windows of credits for the account, plus the list sub-limits of real plans.

    A refused request costs nothing; `Retry-After` is the whole seconds left in the window.
    """

    def __init__(self, config: SimulatorConfig) -> None:
        self.config = config
        self.lock = threading.Lock()
        self.started = 0.0
        self.used = 0
        self.list_used: dict[str, int] = {}

    def charge(self, credits: int, list_name: str | None) -> Verdict:
        limit = self.config.rate_limit
        sub_limit = {
            "tickets": self.config.tickets_list_limit,
            "contacts": self.config.contacts_list_limit,
        }.get(list_name or "")
        with self.lock:
            now = time.monotonic()
            if now - self.started >= self.config.rate_window_seconds:
                self.started, self.used, self.list_used = now, 0, {}
            total = limit if limit is not None else 1_000_000
            over = limit is not None and self.used + credits > limit
            if sub_limit is not None and list_name:
                over = over or self.list_used.get(list_name, 0) + 1 > sub_limit
            if over:
                left = self.config.rate_window_seconds - (now - self.started)
                return Verdict(False, total, max(0, total - self.used), max(1, math.ceil(left)))
            self.used += credits
            if list_name:
                self.list_used[list_name] = self.list_used.get(list_name, 0) + 1
            return Verdict(True, total, max(0, total - self.used))


class FaultPlan:
    """Faults queued by tests (`fail_next`) first, then random ones at `fault_rate`."""

    def __init__(self, config: SimulatorConfig) -> None:
        self.config = config
        self.rng = random.Random(config.seed * 104_729)
        self.queued: list[list[object]] = []
        self.lock = threading.Lock()

    def queue(self, kind: str, count: int, path_prefix: str | None) -> None:
        with self.lock:
            self.queued.append([kind, count, path_prefix or ""])

    def draw(self, path: str) -> str | None:
        with self.lock:
            for entry in self.queued:
                kind, count, prefix = entry
                if path.startswith(str(prefix)) and int(count) > 0:  # type: ignore[call-overload]
                    entry[1] = int(count) - 1  # type: ignore[call-overload]
                    return str(kind)
            if self.config.fault_rate and self.rng.random() < self.config.fault_rate:
                return self.rng.choice(self.config.fault_kinds)
        return None
