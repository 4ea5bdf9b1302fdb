"""Retries: what may succeed later is retried for a time budget, every wait logged and stoppable.

A long sync must ride out a bad hour of the API, not die on a burst: a fixed count of five
tries ended a sync at 30% transient faults, after some 15 s. So a transient failure (5xx, a
timeout, a dropped connection, a body cut short) is retried with capped exponential backoff
until `max_retry_seconds` have passed since that request first failed. Every wait is logged.

A 429 is not a failure but the account's budget: every request waits what `Retry-After` says.
Without `Retry-After` (it happens), the wait is the rate window: Freshdesk's legacy plans count
per minute, and its `X-Ratelimit-*` headers say how much is left but never when the window
resets. Rate-limited tries are counted apart from failures: other apps may be spending the
account's budget too, but ten refusals in a row for one request is no longer waiting.

The SDK's `request_decorator` retries through the `backoff` package, whose waits are plain
`time.sleep` calls: a SIGTERM during one would wait it out, and the child requests in the
worker threads would go on being sent. Here every wait is the rate limiter's, which a stop
cuts short; the waits themselves come from the SDK's `backoff_wait_generator` and
`backoff_jitter` hooks.
"""

from __future__ import annotations

import functools
import random
import ssl
import time
import typing as t
from urllib.parse import urlsplit

import requests
from singer_sdk.exceptions import RetriableAPIError
from urllib3.exceptions import NameResolutionError, NewConnectionError

from tap_freshdesk.http.deadline import WATCHDOG, DeadlineExceeded
from tap_freshdesk.http.errors import (
    FreshdeskUnavailableError,
    RateLimitedError,
    UnreachableError,
    UnreadableBodyError,
    retry_after_seconds,
)
from tap_freshdesk.http.ratelimit import expected_credits

if t.TYPE_CHECKING:
    import logging
    from collections.abc import Callable, Generator

    from singer_sdk.helpers.types import Context, RequestFunc

    from tap_freshdesk.http.ratelimit import Lane, RateLimiter

#: 429s tolerated in a row for one request.
MAX_RATE_LIMITED_TRIES = 10
#: Longest wait between transient retries: 1, 2, 4, 8, 16, 30, 30… seconds.
MAX_BACKOFF_SECONDS = 30.0
#: The wait after a 429 without `Retry-After`: one window of a per-minute plan.
RATE_WINDOW_SECONDS = 60.0

TRANSIENT_ERRORS = (
    RetriableAPIError,
    requests.exceptions.Timeout,
    requests.exceptions.ConnectionError,
    requests.exceptions.ChunkedEncodingError,
    requests.exceptions.ContentDecodingError,
    ConnectionResetError,
)


class Retrier:
    """Sends one request through the rate limiter, retrying it as the module docstring says."""

    def __init__(
        self,
        *,
        limiter: RateLimiter | Lane,
        logger: logging.Logger,
        host: str,
        retry_seconds: float,
        deadline_seconds: float,
        waits: Callable[[], Generator[float, None, None]],
        jitter: Callable[[float], float],
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._limiter = limiter
        self._logger = logger
        self._host = host
        self._retry_seconds = retry_seconds
        self._deadline_seconds = deadline_seconds
        self._waits = waits
        self._jitter = jitter
        self._clock = clock

    def wrap(self, func: RequestFunc) -> RequestFunc:
        """Return `func` (the SDK's request) sent through `send`."""

        @functools.wraps(func)
        def send(prepared_request: requests.PreparedRequest, context: Context | None) -> t.Any:
            return self.send(lambda: func(prepared_request, context), prepared_request)

        return send

    def send(self, attempt: Callable[[], t.Any], sent: requests.PreparedRequest) -> t.Any:
        """Return `attempt()`'s result, retrying transient failures and 429s."""
        failures = rate_limited = 0
        first_failure: float | None = None
        waits = self._waits()
        what = f"{sent.method} {urlsplit(sent.url or '').path}"
        while True:
            try:
                with self._limiter.turn(credits=expected_credits(sent.url)):
                    try:
                        with WATCHDOG.deadline(self._deadline_seconds, what):
                            return attempt()
                    except RateLimitedError as exc:
                        # Paused before this request's turn ends, so no thread slips by.
                        self._limiter.pause(_rate_limit_wait(exc))
                        raise
            except RateLimitedError as exc:
                rate_limited += 1
                if rate_limited >= MAX_RATE_LIMITED_TRIES:
                    raise _gave_up(exc, rate_limited, 0.0, sent) from None
                self._log_rate_limit(exc)
            except TRANSIENT_ERRORS as exc:
                if _untrusted_certificate(exc):
                    msg = (
                        f"Cannot trust the TLS certificate of {self._host}: it is not signed by "
                        "an authority this machine trusts. Behind a proxy that inspects TLS, set "
                        "REQUESTS_CA_BUNDLE to the file of its CA certificates."
                    )
                    raise UnreachableError(msg) from None
                if self._limiter.budget.requests == 0 and (why := _unreachable(exc)):
                    msg = (
                        f"Cannot reach {self._host}: {why}. Check the `domain` (or `base_url`) "
                        "setting and the network."
                    )
                    raise UnreachableError(msg) from None
                failures += 1
                now = self._clock()
                first_failure = now if first_failure is None else first_failure
                spent = now - first_failure
                wait = min(MAX_BACKOFF_SECONDS, self._jitter(next(waits)))
                wait = max(wait, _server_asks(exc))
                if spent + wait > self._retry_seconds:
                    raise _gave_up(exc, failures, spent, sent) from None
                self._logger.warning(
                    "%s (try %d, %.0f s of max_retry_seconds %.0f spent); retrying in %.1f s",
                    describe(exc, sent),
                    failures,
                    spent,
                    self._retry_seconds,
                    wait,
                )
                self._limiter.wait(wait)

    def _log_rate_limit(self, exc: RateLimitedError) -> None:
        if exc.retry_after is None:
            self._logger.warning(
                "%s without Retry-After: every request waits %.0f s, one rate window",
                exc,
                RATE_WINDOW_SECONDS,
            )
        else:
            self._logger.warning(
                "%s: Retry-After says %.0f s; every request waits for it", exc, exc.retry_after
            )


def backoff_waits() -> Generator[float, None, None]:
    """Yield 1, 2, 4, 8… seconds (capped by the Retrier), before jitter."""
    wait = 1.0
    while True:
        yield wait
        wait = min(MAX_BACKOFF_SECONDS, wait * 2)


def half_jitter(value: float) -> float:
    """Spread retries between half and all of `value`, so clients do not return together."""
    return value * random.uniform(0.5, 1.0)


def describe(exc: BaseException, sent: requests.PreparedRequest | None = None) -> str:
    """Name a failure by status or exception type and the request's path, never its headers.

    A body cut short fails while it is read, on an exception that lost its request: `sent`.
    """
    if isinstance(exc, RetriableAPIError):
        return str(exc)
    what = next((words for kind, words in _FAILURES if isinstance(exc, kind)), "")
    name = f"{type(exc).__name__}{f' ({what})' if what else ''}"
    request = getattr(exc, "request", None) or sent
    if request is None:
        return name
    return f"{name} for {request.method} {urlsplit(request.url or '').path}"


#: What each failure means, for the log: the exception's name alone says little to a user.
_FAILURES: tuple[tuple[type[BaseException], str], ...] = (
    (DeadlineExceeded, "no complete answer within request_timeout: cut"),
    (requests.exceptions.ChunkedEncodingError, "the body was cut short in transit"),
    (requests.exceptions.ConnectTimeout, "no connection within request_timeout"),
    (requests.exceptions.Timeout, "no answer within request_timeout"),
    (requests.exceptions.ConnectionError, "the connection was dropped"),
)


def _rate_limit_wait(exc: RateLimitedError) -> float:
    """Return `Retry-After` (or the window) plus a little jitter, so clients spread out."""
    wait = RATE_WINDOW_SECONDS if exc.retry_after is None else exc.retry_after
    return wait + random.uniform(0, min(1.0, wait / 10))


def _server_asks(exc: BaseException) -> float:
    """Return the `Retry-After` a 5xx carries, 0 without one."""
    response = getattr(exc, "response", None)
    if response is None:
        return 0.0
    return retry_after_seconds(response) or 0.0


def _untrusted_certificate(exc: BaseException) -> bool:
    """Whether TLS verification refused the host's certificate: no retry changes that.

    requests wraps urllib3's MaxRetryError, whose `reason` wraps the `ssl` module's error.
    """
    reason = getattr(exc.args[0], "reason", None) if exc.args else None
    return isinstance(exc, requests.exceptions.SSLError) and isinstance(
        getattr(reason, "__cause__", None) or (reason.args[0] if reason and reason.args else None),
        ssl.SSLCertVerificationError,
    )


def _unreachable(exc: BaseException) -> str | None:
    """Why a request never reached the host at all (DNS, refused, no route); None if it did."""
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return "opening a connection timed out"
    reason = getattr(exc.args[0], "reason", None) if exc.args else None
    if isinstance(reason, NameResolutionError):
        return "its name does not resolve"
    if isinstance(reason, NewConnectionError):
        return "no connection could be opened (refused or no route)"
    return None


def _gave_up(
    exc: BaseException, tries: int, seconds: float, sent: requests.PreparedRequest
) -> FreshdeskUnavailableError:
    if isinstance(exc, RateLimitedError):
        cause = "the account's rate limit stayed spent (other apps may be using it)"
    elif isinstance(exc, UnreadableBodyError):
        cause = "Freshdesk keeps sending a body the tap cannot read"
    else:
        cause = "Freshdesk or the network is failing"
    over = f" over {seconds:.0f} s (max_retry_seconds)" if seconds else ""
    msg = f"Giving up after {tries} tries{over}: {describe(exc, sent)}. {cause}."
    return FreshdeskUnavailableError(msg)
