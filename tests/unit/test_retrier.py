"""The Retrier on a fake clock: backoff, `Retry-After`, the time budget, and giving up in one line.

Freshdesk's answers are built in-process (status, headers) and read by the tap's own
`check_answer`, as a sync reads them; the Retrier waits through the tap's RateLimiter, whose
waits pass on tests/unit/fake_clock.py, so a five-minute budget is spent in milliseconds.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

import pytest
import requests
from urllib3.exceptions import MaxRetryError, NewConnectionError

from tap_freshdesk.http.errors import FreshdeskUnavailableError, UnreachableError, check_answer
from tap_freshdesk.http.ratelimit import RateLimiter
from tap_freshdesk.http.retries import (
    MAX_BACKOFF_SECONDS,
    MAX_RATE_LIMITED_TRIES,
    RATE_WINDOW_SECONDS,
    Retrier,
    backoff_waits,
)
from tests.unit.fake_clock import FakeClock

pytestmark = pytest.mark.unit

URL = "https://acme.freshdesk.com/api/v2/tickets"
LOGGER = "tap-freshdesk.unit-retrier"


class Answers:
    """Freshdesk answering each try with the next (status, headers); then 200 for good."""

    def __init__(self, *answers: tuple[int, dict[str, str]]) -> None:
        self.left = list(answers)
        self.tries = 0
        self.request = requests.Request("GET", URL).prepare()

    def __call__(self) -> requests.Response:
        self.tries += 1
        status, headers = self.left.pop(0) if self.left else (200, {})
        response = requests.Response()
        response.status_code = status
        response.reason = {200: "OK", 429: "Too Many Requests", 503: "Service Unavailable"}[status]
        response.url = URL
        response.request = self.request
        response.headers.update(headers)
        response._content = b"[]"
        check_answer(response, host="acme.freshdesk.com", is_child=False, plan_feature=None)
        return response


def retrier(
    clock: FakeClock,
    retry_seconds: float = 300,
    jitter: Callable[[float], float] = float,
    limiter: RateLimiter | None = None,
) -> Retrier:
    """The tap's Retrier on `clock`, its backoff unjittered unless `jitter` is given."""
    return Retrier(
        limiter=limiter or RateLimiter(clock=clock, _cond=clock.condition()),
        logger=logging.getLogger(LOGGER),
        host="acme.freshdesk.com",
        retry_seconds=retry_seconds,
        deadline_seconds=30,
        waits=backoff_waits,
        jitter=jitter,
        clock=clock,
    )


def test_transient_failures_back_off_doubling_up_to_the_cap(caplog):
    clock = FakeClock()
    answers = Answers(*[(503, {})] * 7)

    with caplog.at_level(logging.WARNING, logger=LOGGER):
        answer = retrier(clock).send(answers, answers.request)

    assert answer.status_code == 200
    assert answers.tries == 8
    assert clock.waits == [1, 2, 4, 8, 16, MAX_BACKOFF_SECONDS, MAX_BACKOFF_SECONDS]
    assert caplog.text.count("503 Service Unavailable for GET /api/v2/tickets (try") == 7
    assert "(try 7, 61 s of max_retry_seconds 300 spent); retrying in 30.0 s" in caplog.text


def test_the_jitter_spreads_each_wait_below_the_backoff():
    clock = FakeClock()
    answers = Answers(*[(503, {})] * 3)

    retrier(clock, jitter=lambda seconds: seconds * 0.5).send(answers, answers.request)

    assert clock.waits == [0.5, 1, 2]


def test_a_5xx_with_retry_after_waits_at_least_what_the_server_asks():
    clock = FakeClock()
    answers = Answers((503, {"Retry-After": "20"}), (503, {}))

    retrier(clock).send(answers, answers.request)

    assert clock.waits == [20, 2]


def test_a_429_waits_its_retry_after_without_spending_the_failure_budget(caplog):
    clock = FakeClock()
    answers = Answers(*[(429, {"Retry-After": "40"})] * 3)

    with caplog.at_level(logging.WARNING, logger=LOGGER):
        answer = retrier(clock, retry_seconds=10).send(answers, answers.request)

    assert answer.status_code == 200
    assert len(clock.waits) == 3
    assert all(40 <= wait <= 41 for wait in clock.waits), clock.waits
    assert caplog.text.count("Retry-After says 40 s; every request waits for it") == 3


def test_a_429_without_retry_after_waits_the_rate_window(caplog):
    clock = FakeClock()
    answers = Answers((429, {}))

    with caplog.at_level(logging.WARNING, logger=LOGGER):
        retrier(clock).send(answers, answers.request)

    assert len(clock.waits) == 1
    assert RATE_WINDOW_SECONDS <= clock.waits[0] <= RATE_WINDOW_SECONDS + 1
    assert "without Retry-After: every request waits 60 s" in caplog.text


def test_failures_stop_once_the_next_wait_would_overrun_the_time_budget():
    clock = FakeClock()
    answers = Answers(*[(503, {})] * 10)

    with pytest.raises(FreshdeskUnavailableError) as raised:
        retrier(clock, retry_seconds=10).send(answers, answers.request)

    # Waits 1, 2 and 4 end 7 s after the first failure; the next, 8, would end past 10.
    assert clock.waits == [1, 2, 4]
    assert answers.tries == 4
    assert str(raised.value) == (
        "Giving up after 4 tries over 7 s (max_retry_seconds): 503 Service Unavailable for "
        "GET /api/v2/tickets. Freshdesk or the network is failing."
    )


def test_a_rate_limit_that_stays_spent_gives_up_after_ten_429s_in_one_line():
    clock = FakeClock()
    answers = Answers(*[(429, {"Retry-After": "1"})] * 20)

    with pytest.raises(FreshdeskUnavailableError) as raised:
        retrier(clock).send(answers, answers.request)

    assert answers.tries == MAX_RATE_LIMITED_TRIES
    message = str(raised.value)
    assert "\n" not in message
    assert message.startswith(f"Giving up after {MAX_RATE_LIMITED_TRIES} tries: 429 Too Many")
    assert message.endswith("the account's rate limit stayed spent (other apps may be using it).")


def test_a_dropped_connection_is_retried_and_named_without_its_headers(caplog):
    clock = FakeClock()
    tries = []

    def attempt() -> str:
        tries.append(clock())
        if len(tries) < 3:
            raise requests.exceptions.ConnectionError("Connection aborted.")
        return "answered"

    sent = requests.Request("GET", URL, headers={"Authorization": "Basic c2VjcmV0"}).prepare()
    limiter = RateLimiter(clock=clock, _cond=clock.condition())
    limiter.observe({})  # the host answered before: a drop, not an unreachable host
    with caplog.at_level(logging.WARNING, logger=LOGGER):
        assert retrier(clock, limiter=limiter).send(attempt, sent) == "answered"

    assert tries == [1000, 1001, 1003]
    assert "ConnectionError (the connection was dropped) for GET /api/v2/tickets" in caplog.text
    assert "c2VjcmV0" not in caplog.text


def test_a_host_that_never_answered_is_not_retried_but_named_in_one_line():
    clock = FakeClock()
    refused = NewConnectionError(None, "Connection refused")
    tries = []

    def attempt() -> None:
        tries.append(clock())
        raise requests.exceptions.ConnectionError(MaxRetryError(None, URL, refused))

    with pytest.raises(UnreachableError) as raised:
        retrier(clock).send(attempt, requests.Request("GET", URL).prepare())

    assert len(tries) == 1
    assert clock.waits == []
    assert str(raised.value) == (
        "Cannot reach acme.freshdesk.com: no connection could be opened (refused or no route). "
        "Check the `domain` (or `base_url`) setting and the network."
    )
