"""How a stream talks to Freshdesk: the session, retries, answers checked, bodies parsed.

Every request goes through the sync's one rate limiter and is retried for a time budget
(tap_freshdesk.http.retries, through the SDK's `request_decorator` and `backoff_*` hooks); every
answer is counted for the progress lines and mapped to a retry, a skip or one clear error
(tap_freshdesk.http.errors.check_answer).
"""

from __future__ import annotations

import functools
import typing as t
from http import HTTPStatus
from urllib.parse import urlsplit

from tap_freshdesk.http.body import json_body
from tap_freshdesk.http.body import repairs as body_repairs
from tap_freshdesk.http.deadline import DeadlineAdapter
from tap_freshdesk.http.errors import UnreadableBodyError, check_answer
from tap_freshdesk.http.retries import Retrier, backoff_waits, half_jitter
from tap_freshdesk.sync.shared import SharedStream

if t.TYPE_CHECKING:
    from collections.abc import Generator, Iterable

    import requests
    from singer_sdk.helpers.types import RequestFunc

    from tap_freshdesk.http.ratelimit import Lane, RateLimiter

Record = dict[str, t.Any]


class Transport(SharedStream):
    """The request side of FreshdeskStream; see its docstring for the declarations used here."""

    plan_feature: t.ClassVar[str | None]
    records_key: t.ClassVar[str | None]
    not_found_is_empty: t.ClassVar[bool]
    one_object: t.ClassVar[bool] = False

    def page_emits(self, response: requests.Response) -> bool:
        """Whether this page's records are read (not a page read only to find the list's end)."""
        return True

    #: The list sub-limit this endpoint also draws on (tap_freshdesk.http.ratelimit.Lane), if any.
    rate_lane: t.ClassVar[str | None] = None

    @property
    def rate_limiter(self) -> RateLimiter | Lane:
        """The sync's one limiter (the budget belongs to the account), or this list's lane."""
        limiter = self.shared.rate_limiter
        return limiter.lane(self.rate_lane) if self.rate_lane else limiter

    @property
    def timeout(self) -> int:
        """The `request_timeout` setting, for each read and for the whole request.

        The SDK's 300 s default would hide a hung connection; `requests` alone would bound
        each read only, and a trickling server could hold a request for ever.
        """
        return int(self.settings.request_timeout)

    @property
    def requests_session(self) -> requests.Session:
        """The SDK's session, each request's total time bounded (tap_freshdesk.http.deadline).

        The SDK sends prepared requests through `Session.send`, which unlike `Session.request`
        reads no CA bundle from the environment: the proxy and CA bundle settings
        (`HTTPS_PROXY`, `NO_PROXY`, `REQUESTS_CA_BUNDLE`…) are merged into the session here,
        once, for the one API host every request goes to.
        """
        session = super().requests_session
        if isinstance(session.get_adapter("https://"), DeadlineAdapter):
            return session
        session.mount("https://", DeadlineAdapter())
        session.mount("http://", DeadlineAdapter())
        settings = session.merge_environment_settings(self.url_base, {}, None, None, None)
        session.proxies.update(settings["proxies"])
        session.verify = settings["verify"]
        return session

    @property
    def user_agent(self) -> str:
        """Identify the tap to Freshdesk's support when they look at an account's traffic."""
        return self.shared.user_agent

    def parse_response(self, response: requests.Response) -> Iterable[Record]:
        """Freshdesk lists are bare arrays; a few endpoints wrap them or return one object.

        A page read only to find where a list ends yields nothing, and so does a 404 where it
        means "none here".
        """
        if self.not_found_is_empty and response.status_code == HTTPStatus.NOT_FOUND:
            return []
        if not self.page_emits(response):
            return []
        body = json_body(response)
        if isinstance(body, list):
            return body
        if self.records_key:
            return t.cast("list[Record]", body.get(self.records_key) or [])
        return [body]

    def validate_response(self, response: requests.Response) -> None:
        """Count the answer and raise what a refusal means (tap_freshdesk.http.errors)."""
        self.count_answer(response)
        if self.not_found_is_empty and response.status_code == HTTPStatus.NOT_FOUND:
            return
        check_answer(
            response,
            host=self.api_host,
            is_child=self.parent_stream_type is not None,
            plan_feature=self.plan_feature,
            one_object=self.one_object,
        )
        if self.records_key is None and _paged(response) and isinstance(json_body(response), dict):
            # Read as one record it would be set aside (no `id`) and the page's records lost;
            # for a ticket's conversations, for good (its bookmark moves on).
            msg = (
                f"{response.status_code} for {_request_line(response)}, but the body is one "
                "object, not a list"
            )
            raise UnreadableBodyError(msg, response)
        if repaired := body_repairs(response):
            self.shared.oddities.repaired(self.name, _request_line(response), repaired)

    def count_answer(self, response: requests.Response) -> None:
        """Count one answered request and the rate-limit credits it cost."""
        credits = self.rate_limiter.observe(response.headers)
        rate_limited = response.status_code == HTTPStatus.TOO_MANY_REQUESTS
        self.shared.progress.request(self.name, credits, rate_limited=rate_limited)

    @functools.cached_property
    def api_host(self) -> str:
        """The API's host name, for messages that name it."""
        return urlsplit(self.url_base).hostname or self.url_base

    def request_decorator(self, func: RequestFunc) -> RequestFunc:
        """Send through the rate limiter, retrying for a time budget (see http.retries)."""
        return self.retrier(self.api_host, self.rate_limiter).wrap(func)

    def retrier(self, host: str, limiter: RateLimiter | Lane) -> Retrier:
        """Return the retry policy of every request, for `host`, admitted by `limiter`."""
        return Retrier(
            limiter=limiter,
            logger=self.logger,
            host=host,
            retry_seconds=float(self.settings.max_retry_seconds),
            deadline_seconds=float(self.timeout),
            waits=self.backoff_wait_generator,
            jitter=self.backoff_jitter,
        )

    def backoff_wait_generator(self) -> Generator[float, None, None]:
        """Wait 1, 2, 4… seconds between transient retries, up to a cap."""
        return backoff_waits()

    def backoff_jitter(self, value: float) -> float:
        """Spread each wait between half and all of it."""
        return half_jitter(value)


def _request_line(response: requests.Response) -> str:
    """Name the request a response answers (`GET /api/v2/tickets`), for messages."""
    return f"{response.request.method} {urlsplit(response.url).path}"


def _paged(response: requests.Response) -> bool:
    """Whether the request asked for a page of a list (one-object endpoints send no `per_page`)."""
    return "per_page=" in urlsplit(response.url).query
