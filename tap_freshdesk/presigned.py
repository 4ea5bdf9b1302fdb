"""Reading a file Freshdesk hands out as a pre-signed link, with none of the tap's credentials.

The activities export (`export/ticket_activities`) answers with the URL of a file on another
host: a pre-signed S3 link, whose query string is its only credential. The API key must never
travel there. So the request is built from that URL alone and sent on a session of its own:
no Authorization header, no cookies, no `.netrc`, nothing of the API's session. S3 itself
refuses a pre-signed request that also carries an Authorization header ("Only one auth
mechanism allowed"), so a leak would also break the download.
"""

from __future__ import annotations

import logging
import time
import typing as t
from http import HTTPStatus
from urllib.parse import urlsplit

import requests

from tap_freshdesk.body import InvalidBodyError, json_body
from tap_freshdesk.endpoint import is_loopback

#: Tries per download for dropped connections, timeouts and 5xx answers.
DOWNLOAD_TRIES = 3


class FileNotThereError(Exception):
    """The link answered 403 or 404: the file is not written yet, or the link expired."""


class FileUnreadableError(Exception):
    """The link kept failing, or its body is not the JSON the export promises."""


def fetch_json(
    url: str, *, timeout: float, user_agent: str, logger: logging.Logger
) -> dict[str, t.Any]:
    """Return the JSON object at a pre-signed `url`, sent without any of the tap's credentials.

    Only https is followed (plain http only to this machine, for tests), so a link cannot
    send the file's contents over the network in clear.
    """
    parts = urlsplit(url)
    local = parts.scheme == "http" and is_loopback(parts.hostname or "")
    if parts.scheme != "https" and not local:
        msg = f"the export link is not https ({parts.scheme}://{parts.hostname})"
        raise FileUnreadableError(msg)
    prepared = requests.Request("GET", url, headers={"User-Agent": user_agent}).prepare()
    with requests.Session() as session:
        session.trust_env = False
        for attempt in range(1, DOWNLOAD_TRIES + 1):
            try:
                response = session.send(prepared, timeout=timeout, allow_redirects=False)
            except (requests.ConnectionError, requests.Timeout) as exc:
                failure = type(exc).__name__
            else:
                if response.status_code in {HTTPStatus.FORBIDDEN, HTTPStatus.NOT_FOUND}:
                    raise FileNotThereError(str(response.status_code))
                if response.status_code < HTTPStatus.INTERNAL_SERVER_ERROR:
                    return _json_object(response, parts.hostname)
                failure = f"{response.status_code} {response.reason}"
            if attempt < DOWNLOAD_TRIES:
                logger.warning(
                    "The activities export file at %s failed (%s, try %d of %d); retrying",
                    parts.hostname,
                    failure,
                    attempt,
                    DOWNLOAD_TRIES,
                )
                time.sleep(2 ** (attempt - 1))
    msg = f"the export file at {parts.hostname} kept failing ({failure})"
    raise FileUnreadableError(msg)


def _json_object(response: requests.Response, host: str | None) -> dict[str, t.Any]:
    if response.status_code != HTTPStatus.OK:
        msg = f"the export file at {host} answered {response.status_code} {response.reason}"
        raise FileUnreadableError(msg)
    try:
        body = json_body(response)
    except InvalidBodyError as exc:
        msg = f"the export file at {host}: {exc}"
        raise FileUnreadableError(msg) from None
    if not isinstance(body, dict):
        msg = f"the export file at {host} is not a JSON object"
        raise FileUnreadableError(msg)
    return body
