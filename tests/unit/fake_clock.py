"""A clock whose seconds pass only when the code under test waits: minutes cost no real time.

The tap's RateLimiter, Retrier and StateCadence take a `clock`, and the limiter its
`threading.Condition`: every timed wait they make goes through `FakeClock.condition()`, which
moves the clock on by the wait instead of sleeping. Untimed waits (a request held until another
one's answer) are real waits on the condition, and `blocked` tells a test one has begun.
"""

from __future__ import annotations

import threading


class FakeClock:
    """Fake monotonic seconds, the timed waits made on them, and an event per untimed wait."""

    def __init__(self, now: float = 1000.0) -> None:
        self.now = now
        self.waits: list[float] = []
        self.blocked = threading.Event()

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        """Let `seconds` go by, as if the tap had been busy elsewhere."""
        self.now += seconds

    def condition(self) -> threading.Condition:
        """A Condition whose timed waits move this clock on, and whose untimed waits are real."""
        clock = self

        class Passing(threading.Condition):
            def wait(self, timeout: float | None = None) -> bool:
                if timeout is None:
                    clock.blocked.set()
                    return super().wait()
                clock.waits.append(timeout)
                clock.now += timeout
                return False

        return Passing()
