"""Injected faults: the ways real infrastructure in front of Freshdesk fails a request.

Each kind is something a tap meets in production: a 500 with a JSON body, a 502 error page
from the load balancer (HTML), a 503 with `Retry-After`, a connection closed without an answer,
a request held until the client times out, a 200 whose body stops half-way, a 200 with an
HTML body (a captive portal or maintenance page), and a complete answer trickled out over
`stall_seconds`, a few bytes at a time, as a congested proxy does: each read gets data in
time, so only a deadline for the whole request ends it. Faulted requests cost no credit.
"""

from __future__ import annotations

import random
import threading
from dataclasses import dataclass

from tests.simulator.config import ALL_FAULTS, QUEUED_ONLY_FAULTS, SimulatorConfig

HTML_502 = (
    b"<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>"
)
HTML_MAINTENANCE = (
    b"<!DOCTYPE html><html><head><title>Freshdesk</title></head>"
    b"<body><p>We are performing scheduled maintenance.</p></body></html>"
)
JSON_500 = b'{"code":"internal_error","message":"We\'re sorry, but something went wrong."}'
JSON_503 = b'{"code":"service_unavailable","message":"Service temporarily unavailable."}'


@dataclass
class Queued:
    """Faults queued by `fail_next`: `count` more requests under `path_prefix` fail as `kind`."""

    kind: str
    count: int
    path_prefix: str


class FaultPlan:
    """Queued faults first (deterministic), then random ones at `fault_rate` (seeded)."""

    def __init__(self, config: SimulatorConfig) -> None:
        self.config = config
        self._rng = random.Random(config.seed * 104_729 + 3)
        self._queued: list[Queued] = []
        self._lock = threading.Lock()

    def queue(self, kind: str, count: int = 1, path_prefix: str | None = None) -> None:
        """Fail the next `count` requests (to `path_prefix`, if given) with fault `kind`."""
        known = ALL_FAULTS + QUEUED_ONLY_FAULTS
        if kind not in known:
            raise ValueError(f"unknown fault kind {kind!r}; one of {known}")
        with self._lock:
            self._queued.append(Queued(kind, count, path_prefix or ""))

    def draw(self, path: str) -> str | None:
        """Return the fault for a request to `path` (full path, e.g. /api/v2/tickets), if any."""
        with self._lock:
            for entry in self._queued:
                if entry.count > 0 and path.startswith(entry.path_prefix):
                    entry.count -= 1
                    return entry.kind
            self._queued = [entry for entry in self._queued if entry.count > 0]
            rate, kinds = self.config.fault_rate, tuple(self.config.fault_kinds)
            if rate > 0 and kinds and self._rng.random() < rate:
                return self._rng.choice(kinds)
        return None
