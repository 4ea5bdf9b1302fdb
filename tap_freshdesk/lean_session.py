"""Requests prepared and sent without the machinery Freshdesk's API never needs.

A sync sends one request per ticket for its conversations, so `requests`' per-request work adds
up: `Session.prepare_request` merges a cookie jar (Freshdesk's API sets no cookies; it is
authenticated by the key on every request), re-encodes the Basic auth header and merges hooks
and settings, every time, and `Session.send` costs more than urllib3's own request. Here the
headers are merged, the URL prepared and the auth header, computed once, is set
(`prepare`, `PresetBasicAuth`); plain GETs then go to urllib3's pool directly (`LeanSession`).
"""

from __future__ import annotations

import base64
import re
import time
import typing as t
from datetime import timedelta
from urllib.parse import urlencode, urlsplit

import requests
import requests.exceptions as rex
from requests.adapters import HTTPAdapter
from requests.cookies import RequestsCookieJar
from requests.structures import CaseInsensitiveDict
from requests.utils import get_encoding_from_headers
from urllib3 import exceptions as urllib3_exceptions
from urllib3.exceptions import (
    ClosedPoolError,
    ConnectTimeoutError,
    LocationValueError,
    MaxRetryError,
    NewConnectionError,
    ProtocolError,
    ReadTimeoutError,
    ResponseError,
)
from urllib3.util import Timeout


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


#: A URL `prepare_url` leaves as it is: http(s), an ASCII host, a path of unreserved
#: characters, no query or fragment of its own.
_PLAIN_URL = re.compile(r"https?://[A-Za-z0-9.\-]+(:[0-9]+)?/[A-Za-z0-9._~\-/]*")


#: A query string as `urlencode` writes it (the SDK encodes parameters before preparing).
_ENCODED_QUERY = re.compile(r"[A-Za-z0-9._~%+=&\-]*")


def _plain_query(params: t.Any) -> str | None:
    """Return the query `prepare_url` would append for `params`; None: it must work it out.

    Handled: none, a query string `urlencode` wrote, a dict of strings and numbers.
    """
    if params is None:
        return ""
    if isinstance(params, str):
        return params if _ENCODED_QUERY.fullmatch(params) else None
    if isinstance(params, dict) and all(isinstance(v, str | int | float) for v in params.values()):
        return urlencode(params)
    return None


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
    query = _plain_query(params) if _PLAIN_URL.fullmatch(url) else None
    if query is not None:
        # What `prepare_url` makes of such a URL and query, without its parsing and requoting.
        prepared.url = f"{url}?{query}" if query else url
    else:
        prepared.prepare_url(url, params)
    merged = CaseInsensitiveDict(session.headers)
    merged.update(headers or {})
    prepared.prepare_headers(merged)
    prepared.prepare_body(data, None, json)
    prepared.prepare_hooks({})
    # Only a redirect reads it: an empty jar of its own, never the session's.
    prepared._cookies = RequestsCookieJar()  # type: ignore[attr-defined]
    return prepared


#: requests' own `HTTPAdapter.send`: an adapter whose `send` is another (a test double, or a
#: library such as `responses` replacing it) is sent to through that `send`.
_ADAPTER_SEND = HTTPAdapter.send


class LeanSession(requests.Session):
    """A session whose plain GETs go straight to urllib3's pool, skipping `Session.send`.

    Measured per request against the simulator on this class of machine: `Session.send`
    costs about 350 µs of CPU, urllib3's `urlopen` alone about 150 µs; each ticket's
    conversations is one such request (a sync of 2,000 tickets used about 8% less CPU).
    Skipped: hooks (none set), the cookie jar (Freshdesk's API sets no cookies), redirect
    resolution (a redirect answer is sent again the standard way) and per-request environment
    and TLS lookups (a host's pool key, TLS settings included, is worked out once). Kept: the
    mounted adapter's pools (their deadline watchdog included), its retry policy, TLS
    verification, and `requests`' exceptions, so retries see exactly what they would see
    through `requests`. Anything else (a body, a proxy, streaming, an adapter whose `send` was
    replaced) takes the standard path.
    """

    def __init__(self) -> None:
        super().__init__()
        #: (scheme://host:port, verify, cert) → urllib3's pool key: host and TLS settings.
        self._pools: dict[tuple[str, t.Any, t.Any], t.Any] = {}

    def send(self, request: requests.PreparedRequest, **kwargs: t.Any) -> requests.Response:
        """Send `request`, the lean way when it is a plain GET (see the class)."""
        adapter = self.get_adapter(request.url or "")
        if (
            request.method != "GET"
            or request.body is not None
            or self.proxies
            or kwargs.get("proxies")
            or kwargs.get("stream")
            or any(self.hooks.values())
            or not isinstance(adapter, HTTPAdapter)
            or type(adapter).send is not _ADAPTER_SEND
        ):
            return super().send(request, **kwargs)
        began = time.perf_counter()
        verify, cert = kwargs.get("verify", self.verify), kwargs.get("cert", self.cert)
        response = self._send_quickly(adapter, request, kwargs.get("timeout"), verify, cert)
        if response.is_redirect and kwargs.get("allow_redirects", True):
            response.close()
            return super().send(request, **kwargs)
        response.content  # noqa: B018 - read whole, inside the caller's deadline and retries
        response.elapsed = timedelta(seconds=time.perf_counter() - began)
        return response

    def _send_quickly(
        self,
        adapter: HTTPAdapter,
        request: requests.PreparedRequest,
        timeout: t.Any,
        verify: t.Any,
        cert: t.Any,
    ) -> requests.Response:
        url = request.url or ""
        parts = urlsplit(url)
        key = (f"{parts.scheme}://{parts.netloc}", verify, cert)
        if (found := self._pools.get(key)) is None:
            found = self._pools[key] = adapter.build_connection_pool_key_attributes(
                request, verify, cert
            )
        host, pool_kwargs = found
        try:
            pool = adapter.poolmanager.connection_from_host(**host, pool_kwargs=pool_kwargs)
            raw = pool.urlopen(
                method="GET",
                url=f"{parts.path or '/'}?{parts.query}" if parts.query else parts.path or "/",
                body=None,
                headers=request.headers,
                redirect=False,
                assert_same_host=False,
                preload_content=False,
                decode_content=False,
                retries=adapter.max_retries,
                timeout=_timeout(timeout),
                chunked=False,
            )
        except Exception as exc:
            mapped = as_requests_error(exc, request)
            if mapped is None:
                raise
            raise mapped from exc
        response = requests.Response()
        response.status_code = raw.status
        response.headers = CaseInsensitiveDict(raw.headers)
        response.encoding = get_encoding_from_headers(response.headers)
        response.raw = raw
        response.reason = raw.reason
        response.url = url
        response.request = request
        response.connection = adapter
        return response


def _timeout(timeout: t.Any) -> Timeout:
    if isinstance(timeout, Timeout):
        return timeout
    if isinstance(timeout, tuple):
        connect, read = timeout
        return Timeout(connect=connect, read=read)
    return Timeout(connect=timeout, read=timeout)


def as_requests_error(
    exc: Exception, request: requests.PreparedRequest
) -> rex.RequestException | None:
    """Map urllib3's `exc` to what `requests`' adapter raises for it; None: raised as it is."""
    reason = exc.reason if isinstance(exc, MaxRetryError) else None
    mapped: type[rex.RequestException] | None = None
    if isinstance(exc, MaxRetryError):
        if isinstance(reason, ConnectTimeoutError) and not isinstance(reason, NewConnectionError):
            mapped = rex.ConnectTimeout
        elif isinstance(reason, ResponseError):
            mapped = rex.RetryError
        elif isinstance(reason, urllib3_exceptions.ProxyError):
            mapped = rex.ProxyError
        elif isinstance(reason, urllib3_exceptions.SSLError):
            mapped = rex.SSLError
        else:
            mapped = rex.ConnectionError
    elif isinstance(exc, ProtocolError | OSError | ClosedPoolError):
        mapped = rex.ConnectionError
    elif isinstance(exc, urllib3_exceptions.ProxyError):
        mapped = rex.ProxyError
    elif isinstance(exc, urllib3_exceptions.SSLError):
        mapped = rex.SSLError
    elif isinstance(exc, ReadTimeoutError):
        mapped = rex.ReadTimeout
    elif isinstance(exc, urllib3_exceptions.InvalidHeader):
        mapped = rex.InvalidHeader
    elif isinstance(exc, LocationValueError):
        mapped = rex.InvalidURL
    return mapped(exc, request=request) if mapped else None
