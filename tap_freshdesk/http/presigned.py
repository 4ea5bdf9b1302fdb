"""Reading a file Freshdesk hands out as a pre-signed link, with none of the tap's credentials.

The activities export (`export/ticket_activities`) answers with the URL of a file on another
host: a pre-signed S3 link, whose query string is its only credential. The API key must never
travel there. So the request is built from that URL alone and sent on a session of its own:
no Authorization header, no cookies, no `.netrc`, nothing of the API's session. S3 itself
refuses a pre-signed request that also carries an Authorization header ("Only one auth
mechanism allowed"), so a leak would also break the download.

Otherwise the file is read like any answer of the API: through the same retry policy
(tap_freshdesk.http.retries: 5xx, 429s with their `Retry-After`, dropped connections, bodies cut
short, all retried for `max_retry_seconds`, each wait logged and cut short by a stop), and
within `request_timeout` for the whole request (tap_freshdesk.http.deadline). Only the path is
ever logged: the query string is the link's credential.
"""

from __future__ import annotations

import typing as t
from http import HTTPStatus
from urllib.parse import urlsplit

import requests
from singer_sdk.exceptions import RetriableAPIError

from tap_freshdesk.http.body import InvalidBodyError, json_body
from tap_freshdesk.http.deadline import DeadlineAdapter
from tap_freshdesk.http.endpoint import is_loopback
from tap_freshdesk.http.errors import (
    FreshdeskUnavailableError,
    RateLimitedError,
    UnreadableBodyError,
    retry_after_seconds,
)

if t.TYPE_CHECKING:
    from tap_freshdesk.http.retries import Retrier


class FileNotThereError(Exception):
    """The link answered 403 or 404: the file is not written yet, or the link expired."""


class FileUnreadableError(Exception):
    """The link kept failing, or its body is not the JSON the export promises."""


def fetch_json(url: str, *, retrier: Retrier, timeout: float, user_agent: str) -> dict[str, t.Any]:
    """Return the JSON object at a pre-signed `url`, sent without any of the tap's credentials.

    Only https is followed (plain http only to this machine, for tests), so a link cannot
    send the file's contents over the network in clear. Retries that run out raise
    FileUnreadableError: the day is left for the next run, not the sync ended.
    """
    parts = urlsplit(url)
    local = parts.scheme == "http" and is_loopback(parts.hostname or "")
    if parts.scheme != "https" and not local:
        msg = f"the export link is not https ({parts.scheme}://{parts.hostname})"
        raise FileUnreadableError(msg)
    prepared = requests.Request("GET", url, headers={"User-Agent": user_agent}).prepare()
    with requests.Session() as session:
        session.trust_env = False
        session.mount("https://", DeadlineAdapter())
        session.mount("http://", DeadlineAdapter())

        def attempt() -> dict[str, t.Any]:
            response = session.send(prepared, timeout=timeout, allow_redirects=False)
            return _json_object(response, parts.hostname)

        try:
            return t.cast("dict[str, t.Any]", retrier.send(attempt, prepared))
        except FreshdeskUnavailableError as exc:
            msg = f"the export file at {parts.hostname}: {exc}"
            raise FileUnreadableError(msg) from None


def _json_object(response: requests.Response, host: str | None) -> dict[str, t.Any]:
    """Return the file's JSON object; raise what its answer means, retriable or not."""
    status = response.status_code
    what = f"{status} {response.reason} for GET {urlsplit(response.url).path}"
    if status in {HTTPStatus.FORBIDDEN, HTTPStatus.NOT_FOUND}:
        raise FileNotThereError(str(status))
    if status == HTTPStatus.TOO_MANY_REQUESTS:
        raise RateLimitedError(what, response, retry_after_seconds(response))
    if status >= HTTPStatus.INTERNAL_SERVER_ERROR:
        raise RetriableAPIError(what, response)
    if status != HTTPStatus.OK:
        msg = f"the export file at {host} answered {status} {response.reason}"
        raise FileUnreadableError(msg)
    try:
        body = json_body(response)
    except InvalidBodyError as exc:
        raise UnreadableBodyError(f"{what}, but {exc}", response) from None
    if not isinstance(body, dict):
        msg = f"the export file at {host} is not a JSON object"
        raise FileUnreadableError(msg)
    return body
