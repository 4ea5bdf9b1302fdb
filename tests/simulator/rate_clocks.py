"""Clocks for the simulator's rate windows (`SimulatorConfig.rate_clock`) that spare real time.

A real window ends after its seconds, whether or not the tap was refused in it; a test proving
that a sync gets through a biting rate limit needs the windows to bite, not to last. The clock
here ends a window at each 429 the limiter answers: each window serves exactly `rate_limit`
credits, then refuses, however fast or slow the machine sends the requests, and the tap still
waits the `Retry-After` (one window) before the next one opens.
"""

from __future__ import annotations

from tests.simulator.ratelimit import RateLimiter


class WindowPerRefusal:
    """Seconds that move on by one whole window at each 429 the limiter has answered.

    Read by the limiter under its own lock, so the count of refusals it reads is exact.
    """

    def __init__(self, limiter: RateLimiter) -> None:
        self._limiter = limiter

    def __call__(self) -> float:
        """Return one window's seconds per 429 answered so far."""
        refused = sum(self._limiter.refusals_per_window)
        return float(refused) * self._limiter.config.rate_window_seconds
