"""A list's sub-limit 429 pauses that list alone; the account's budget keeps serving the rest.

Freshdesk's Growth plan allows 200 calls a minute, 20 of them to the ticket list: a list 429
with account credits left is the list's own limit (tap_freshdesk.http.ratelimit.Lane). Waits are
counted on a fake clock (tests/unit/fake_clock.py).
"""

from __future__ import annotations

import threading

import pytest

from tap_freshdesk.http.ratelimit import Lane, RateLimiter
from tests.unit.fake_clock import FakeClock

pytestmark = pytest.mark.unit

#: How long a test waits for a thread it started before calling it hung: a guard, not a measure.
HANG_GUARD_SECONDS = 30


def answered(limiter: RateLimiter, total: int, remaining: int, lane: Lane | None = None) -> None:
    with (lane or limiter).turn():
        limiter.observe({"X-Ratelimit-Total": str(total), "X-Ratelimit-Remaining": str(remaining)})


def waited_for_next_turn(turnable: RateLimiter | Lane, clock: FakeClock) -> float:
    started = clock()
    with turnable.turn():
        return clock() - started


def test_a_list_429_with_credits_left_pauses_only_that_list():
    clock = FakeClock()
    limiter = RateLimiter(clock=clock, _cond=clock.condition())
    tickets = limiter.lane("tickets")
    answered(limiter, total=200, remaining=150, lane=tickets)
    tickets.pause(30)

    assert waited_for_next_turn(limiter, clock) == 0, "conversations waited for the list"
    assert waited_for_next_turn(limiter.lane("contacts"), clock) == 0
    assert waited_for_next_turn(tickets, clock) == 30


def test_a_list_429_with_the_account_spent_pauses_everything():
    clock = FakeClock()
    limiter = RateLimiter(clock=clock, _cond=clock.condition())
    tickets = limiter.lane("tickets")
    answered(limiter, total=200, remaining=0, lane=tickets)
    tickets.pause(30)

    assert waited_for_next_turn(limiter, clock) == 30


def test_a_list_429_answered_late_with_the_account_spent_still_pauses_everything():
    """The ticket list page is sent first and a conversation after it; the server charges the
    conversation first (3 credits left), then refuses the page: its headers say 0 left."""
    clock = FakeClock()
    limiter = RateLimiter(clock=clock, _cond=clock.condition())
    tickets = limiter.lane("tickets")
    with tickets.turn():  # the page: admitted first
        conversation = threading.Thread(target=answered, args=(limiter, 200, 3))
        conversation.start()  # admitted second, answered first
        conversation.join(HANG_GUARD_SECONDS)
        limiter.observe(
            {
                "X-Ratelimit-Total": "200",
                "X-Ratelimit-Remaining": "0",
                "X-Ratelimit-Used-CurrentRequest": "0",
            }
        )
        tickets.pause(30)

    assert waited_for_next_turn(limiter, clock) == 30, "conversations went on, the account spent"
