"""A list's sub-limit 429 pauses that list alone; the account's budget keeps serving the rest.

Freshdesk's Growth plan allows 200 calls a minute, 20 of them to the ticket list: a list 429
with account credits left is the list's own limit (tap_freshdesk.ratelimit.Lane).
"""

from __future__ import annotations

import time

from tap_freshdesk.ratelimit import RateLimiter


def answered(limiter, total: int, remaining: int, lane=None) -> None:
    with (lane or limiter).turn():
        limiter.observe({"X-Ratelimit-Total": str(total), "X-Ratelimit-Remaining": str(remaining)})


def seconds_to_next_turn(turnable) -> float:
    started = time.monotonic()
    with turnable.turn():
        return time.monotonic() - started


def test_a_list_429_with_credits_left_pauses_only_that_list():
    limiter = RateLimiter()
    tickets = limiter.lane("tickets")
    answered(limiter, total=200, remaining=150, lane=tickets)
    tickets.pause(0.3)

    assert seconds_to_next_turn(limiter) < 0.05, "conversations waited for the list"
    assert seconds_to_next_turn(limiter.lane("contacts")) < 0.05
    assert seconds_to_next_turn(tickets) >= 0.25


def test_a_list_429_with_the_account_spent_pauses_everything():
    limiter = RateLimiter()
    tickets = limiter.lane("tickets")
    answered(limiter, total=200, remaining=0, lane=tickets)
    tickets.pause(0.3)

    assert seconds_to_next_turn(limiter) >= 0.25
