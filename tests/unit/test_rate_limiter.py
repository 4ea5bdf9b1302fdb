"""The limiter's own rules, on a fake clock: the reserve left to other apps, and a 429's pause.

Every wait is counted in FakeClock seconds, so the assertions are exact and no machine is too
slow or too busy for them.
"""

from __future__ import annotations

import threading

import pytest

from tap_freshdesk.http.ratelimit import (
    RESERVE_PROBE_SECONDS,
    RateLimiter,
    SyncStopped,
    expected_credits,
)
from tests.unit.fake_clock import FakeClock

pytestmark = pytest.mark.unit

#: How long a test waits for a thread it started before calling it hung: a guard, not a measure.
HANG_GUARD_SECONDS = 30


def answered(limiter: RateLimiter, total: int, remaining: int) -> None:
    """One request through the limiter whose answer reports this budget."""
    with limiter.turn():
        limiter.observe({"X-Ratelimit-Total": str(total), "X-Ratelimit-Remaining": str(remaining)})


def waited_for_next_turn(limiter: RateLimiter, clock: FakeClock) -> float:
    """The fake seconds the next request waits for its turn."""
    started = clock()
    with limiter.turn():
        return clock() - started


def limiter_on(clock: FakeClock, **settings: float) -> RateLimiter:
    return RateLimiter(clock=clock, _cond=clock.condition(), **settings)


def test_requests_wait_once_the_budget_reaches_the_reserve():
    clock = FakeClock()
    limiter = limiter_on(clock, reserve_ratio=0.25)
    answered(limiter, total=100, remaining=60)
    assert waited_for_next_turn(limiter, clock) == 0

    answered(limiter, total=100, remaining=25)
    assert waited_for_next_turn(limiter, clock) == RESERVE_PROBE_SECONDS, "one probe per period"


def test_without_a_reserve_the_budget_is_spent_to_the_end():
    clock = FakeClock()
    limiter = limiter_on(clock)
    answered(limiter, total=100, remaining=1)

    assert waited_for_next_turn(limiter, clock) == 0
    assert clock.waits == []


def test_requests_per_minute_spaces_requests_evenly():
    clock = FakeClock()
    limiter = limiter_on(clock, requests_per_minute=120)

    gaps = [waited_for_next_turn(limiter, clock) for _ in range(4)]

    assert gaps == [0, 0.5, 0.5, 0.5]


def test_a_429_holds_every_thread_and_then_one_probes_alone():
    clock = FakeClock()
    limiter = limiter_on(clock)
    answered(limiter, total=100, remaining=50)
    paused_at = clock()
    limiter.pause(30)

    with limiter.turn():  # the probe: admitted once the pause is over
        assert clock() - paused_at == 30
        admitted = threading.Event()

        def second_request() -> None:
            with limiter.turn():
                admitted.set()

        other = threading.Thread(target=second_request)
        other.start()
        assert clock.blocked.wait(HANG_GUARD_SECONDS), "the second request never waited"
        assert not admitted.is_set(), "after a 429, a second request went with the probe"
        limiter.observe({"X-Ratelimit-Total": "100", "X-Ratelimit-Remaining": "99"})
    other.join(HANG_GUARD_SECONDS)

    assert admitted.is_set(), "the probe's answer did not let the others go"
    assert clock() - paused_at == 30, "the others waited for the probe, not for time"


def test_a_stop_ends_a_retry_wait_and_refuses_the_next_request():
    clock = FakeClock()
    limiter = limiter_on(clock)
    limiter.stop()

    with pytest.raises(SyncStopped):
        limiter.wait(60)
    with pytest.raises(SyncStopped), limiter.turn():
        pass
    assert clock.waits == [], "a stopped sync waited"


def test_a_request_counts_two_credits_per_include():
    """Each `include` costs 2 credits more (../shared/freshdesk-api.md; the simulator too)."""
    listed = "https://x.freshdesk.com/api/v2/tickets?per_page=100&include=stats%2Crequester"
    assert expected_credits(listed) == 5
    assert expected_credits("https://x.freshdesk.com/api/v2/tickets/7/conversations") == 1


def test_a_page_with_includes_in_flight_sends_the_next_one_single_file():
    """8 credits left, a 5-credit ticket page in flight: a second one would overrun the window.

    Counted as one request each, 8 - 1 left room for the second page and the window's end
    cost a second 429; counted by their credits, the second page waits for the first's answer.
    """
    clock = FakeClock()
    limiter = limiter_on(clock)
    answered(limiter, total=200, remaining=8)
    page = expected_credits("https://x.freshdesk.com/api/v2/tickets?include=stats,requester")

    with limiter.turn(credits=page):
        admitted = threading.Event()

        def second_page() -> None:
            with limiter.turn(credits=page):
                admitted.set()

        other = threading.Thread(target=second_page)
        other.start()
        assert clock.blocked.wait(HANG_GUARD_SECONDS), "the second page never waited"
        assert not admitted.is_set(), "a second 5-credit page went with 8 credits left"
        limiter.observe({"X-Ratelimit-Total": "200", "X-Ratelimit-Remaining": "3"})
    other.join(HANG_GUARD_SECONDS)

    assert admitted.is_set(), "the first page's answer did not let the second go"
