"""Errors a user can cause or must act on, and which HTTP answer raises which.

Each fatal error carries one sentence fit for the log; `check_answer` maps Freshdesk's statuses
to them (or to a retry), so a stream states only what sets its endpoint apart (`plan_feature`).
"""

from __future__ import annotations

import typing as t
from http import HTTPStatus
from urllib.parse import urlsplit

from singer_sdk.exceptions import FatalAPIError, RetriableAPIError

from tap_freshdesk.http.body import InvalidBodyError, json_body

if t.TYPE_CHECKING:
    import requests


class FreshdeskError(FatalAPIError):
    """Ends the sync with its message as the one error line, and a non-zero exit code."""


class AccessDeniedError(FreshdeskError):
    """401, or a 403 on a stream every account has: the key or the domain is wrong."""


class KeyRefusedError(AccessDeniedError):
    """401: the account does not know the key; nothing can be read with it."""


class FreshdeskUnavailableError(FreshdeskError):
    """Retries ran out: the API kept failing, timing out or rate-limiting."""


class UnreachableError(FreshdeskError):
    """The API's host never answered: a wrong `domain` or `base_url`, or no network."""


class InvalidInputError(FreshdeskError):
    """A state or catalog file the tap cannot use as given."""


class StreamUnavailableError(FatalAPIError):
    """The account's plan or the key's role lacks this endpoint's feature: skip the stream."""


class ObjectRefusedError(FatalAPIError):
    """403 `access_denied` on one object by id: this key may not see that one (a ticket).

    Freshdesk's API reference ("Error codes") tells a 403's causes apart by the body's `code`:
    `access_denied` is the agent's privileges (an agent scoped to some groups is refused the
    others' tickets), `require_feature` the account's plan (a trial account answered
    `GET /tickets/archived/1` with `{"code": "require_feature", "message": "The Archive Tickets
    feature(s) is/are not supported in your plan..."}`). One refused ticket says nothing about
    the next one.
    """


class ParentGoneError(FatalAPIError):
    """One parent's children answered 403 or 404: that parent is gone or hidden, skip it."""


class RateLimitedError(RetriableAPIError):
    """A 429: wait what Freshdesk says in `Retry-After`, or the rate window without one."""

    def __init__(
        self, message: str, response: requests.Response, retry_after: float | None
    ) -> None:
        super().__init__(message, response)
        self.retry_after = retry_after


class UnreadableBodyError(RetriableAPIError):
    """A 2xx whose body is not JSON even read leniently: retried, then named for what it is."""


def check_answer(
    response: requests.Response,
    *,
    host: str,
    is_child: bool,
    plan_feature: str | None,
    one_object: bool = False,
) -> None:
    """Raise what Freshdesk's answer means: a retry, a skip or one clear fatal message.

    A 403 or 404 on a child's list is about its parent (deleted, or soft-deleted, since the
    parent list was read); a 403 `access_denied` on `one_object` (one ticket by id) about that
    object; on an endpoint behind `plan_feature` about the plan or the key's role, and anywhere
    else about the key.
    """
    status = response.status_code
    where = f"{response.request.method} {urlsplit(response.url).path}"
    if status == HTTPStatus.TOO_MANY_REQUESTS:
        msg = f"429 Too Many Requests for {where}"
        raise RateLimitedError(msg, response, retry_after_seconds(response))
    if status >= HTTPStatus.INTERNAL_SERVER_ERROR:
        msg = f"{status} {response.reason} for {where}"
        raise RetriableAPIError(msg, response)
    if status == HTTPStatus.UNAUTHORIZED:
        msg = (
            f"Freshdesk rejected the API key (401 Unauthorized) for {where} at {host}: "
            "check the `api_key` and `domain` settings."
        )
        raise KeyRefusedError(msg)
    if status in {HTTPStatus.FORBIDDEN, HTTPStatus.NOT_FOUND} and is_child:
        msg = f"{where} answered {status} {response.reason}"
        raise ParentGoneError(msg)
    if status == HTTPStatus.FORBIDDEN and one_object and error_code(response) == "access_denied":
        msg = f"{where} answered 403 access_denied: the API key's agent may not see it"
        raise ObjectRefusedError(msg)
    if status in {HTTPStatus.FORBIDDEN, HTTPStatus.NOT_FOUND} and plan_feature:
        msg = (
            f"{where} answered {status} {response.reason}: the account's plan or the API "
            f"key's role does not include {plan_feature}."
        )
        raise StreamUnavailableError(msg)
    if status == HTTPStatus.FORBIDDEN:
        msg = (
            f"Freshdesk refused {where} (403 Forbidden): the API key's agent lacks the "
            "privilege; check the `api_key` and `domain` settings."
        )
        raise AccessDeniedError(msg)
    if status >= HTTPStatus.BAD_REQUEST:
        msg = (
            f"Freshdesk refused {where} ({status} {response.reason}){_validation_errors(response)}"
        )
        raise FreshdeskError(msg)
    try:
        json_body(response)
    except InvalidBodyError as exc:
        msg = f"{status} for {where}, but {exc}"
        raise UnreadableBodyError(msg, response) from None


def error_code(response: requests.Response) -> str | None:
    """Freshdesk's `code` of an error body (`access_denied`, `require_feature`…); None if none."""
    try:
        body = json_body(response)
    except InvalidBodyError:
        return None
    code = body.get("code") if isinstance(body, dict) else None
    return code if isinstance(code, str) else None


def retry_after_seconds(response: requests.Response) -> float | None:
    """Return `Retry-After` in seconds; None when absent or not a number."""
    value = response.headers.get("Retry-After")
    try:
        return max(0.0, float(value)) if value is not None else None
    except ValueError:
        return None


def _validation_errors(response: requests.Response) -> str:
    """Freshdesk's 400 body lists each refused field; say which, without echoing anything else."""
    try:
        errors = json_body(response).get("errors") or []
    except (InvalidBodyError, AttributeError):
        return ""
    details = "; ".join(
        f"{e.get('field')}: {e.get('message')}" for e in errors if isinstance(e, dict)
    )
    return f": {details}" if details else ""
