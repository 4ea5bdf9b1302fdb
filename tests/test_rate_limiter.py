"""The limiter's own rules, on a real clock: the reserve left to other apps, and a 429's pause."""

from __future__ import annotations

import threading
import time

import pytest

from tap_freshdesk import ratelimit
from tap_freshdesk.ratelimit import RateLimiter


def answered(limiter: RateLimiter, total: int, remaining: int) -> None:
    """One request through the limiter whose answer reports this budget."""
    with limiter.turn():
        limiter.observe({"X-Ratelimit-Total": str(total), "X-Ratelimit-Remaining": str(remaining)})


def seconds_to_next_turn(limiter: RateLimiter) -> float:
    started = time.monotonic()
    with limiter.turn():
        return time.monotonic() - started


@pytest.fixture(autouse=True)
def short_probe(monkeypatch):
    monkeypatch.setattr(ratelimit, "RESERVE_PROBE_SECONDS", 0.3)


def test_requests_wait_once_the_budget_reaches_the_reserve():
    limiter = RateLimiter(reserve_ratio=0.25)
    answered(limiter, total=100, remaining=60)
    assert seconds_to_next_turn(limiter) < 0.05

    answered(limiter, total=100, remaining=25)
    assert seconds_to_next_turn(limiter) >= 0.29


def test_without_a_reserve_the_budget_is_spent_to_the_end():
    limiter = RateLimiter()
    answered(limiter, total=100, remaining=1)

    assert seconds_to_next_turn(limiter) < 0.05


def test_a_429_holds_every_thread_and_then_one_probes_alone():
    limiter = RateLimiter()
    answered(limiter, total=100, remaining=50)
    limiter.pause(0.3)
    admitted: list[float] = []
    started = time.monotonic()

    def request() -> None:
        with limiter.turn():
            admitted.append(time.monotonic() - started)
            time.sleep(0.1)

    threads = [threading.Thread(target=request) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert min(admitted) >= 0.29
    assert sorted(admitted)[1] - sorted(admitted)[0] >= 0.09, "after a 429, one probe at a time"
