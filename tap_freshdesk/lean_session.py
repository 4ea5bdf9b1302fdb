"""Requests prepared without the machinery Freshdesk's API never needs.

A sync sends one request per ticket for its conversations, so `requests`' per-request work adds
up: `Session.prepare_request` merges a cookie jar (Freshdesk's API sets no cookies; it is
authenticated by the key on every request), re-encodes the Basic auth header and merges hooks
and settings, every time. Here the headers are merged, the URL and body prepared, and the auth
header, computed once, is set; `Session.send` still sends, with its proxies, TLS settings and
redirects.
"""

from __future__ import annotations

import base64
import typing as t

import requests
from requests.cookies import RequestsCookieJar
from requests.structures import CaseInsensitiveDict


class PresetBasicAuth(requests.auth.AuthBase):
    """Basic auth whose header is encoded once, not for every request.

    Freshdesk takes the API key as the user name and ignores the password.
    """

    def __init__(self, username: str, password: str) -> None:
        token = base64.b64encode(f"{username}:{password}".encode()).decode("ascii")
        self._header = f"Basic {token}"

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        """Set the header on a request about to be sent."""
        request.headers["Authorization"] = self._header
        return request


def prepare(
    session: requests.Session,
    *,
    method: str,
    url: str,
    params: t.Any = None,
    headers: t.Mapping[str, str] | None = None,
    json: t.Any = None,
    data: t.Any = None,
) -> requests.PreparedRequest:
    """Prepare a request as `Session.prepare_request` would, less cookies, auth and hooks."""
    prepared = requests.PreparedRequest()
    prepared.prepare_method(method)
    prepared.prepare_url(url, params)
    merged = CaseInsensitiveDict(session.headers)
    merged.update(headers or {})
    prepared.prepare_headers(merged)
    prepared.prepare_body(data, None, json)
    prepared.prepare_hooks({})
    # Only a redirect reads it: an empty jar of its own, never the session's.
    prepared._cookies = RequestsCookieJar()  # type: ignore[attr-defined]
    return prepared
