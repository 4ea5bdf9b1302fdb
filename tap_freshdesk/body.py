"""A response's JSON body, parsed once however many places read it."""

from __future__ import annotations

import typing as t

import msgspec

if t.TYPE_CHECKING:
    import requests

_CACHE_ATTRIBUTE = "_freshdesk_json"


class InvalidBodyError(ValueError):
    """A 2xx response whose body is not JSON: truncated in transit or an HTML error page."""


def json_body(response: requests.Response) -> t.Any:
    """Return the decoded body; the response validator, the parser and the paginator all need it."""
    cached = response.__dict__.get(_CACHE_ATTRIBUTE, _CACHE_ATTRIBUTE)
    if cached is not _CACHE_ATTRIBUTE:
        return cached
    try:
        body = msgspec.json.decode(response.content)
    except msgspec.DecodeError as exc:
        msg = f"the body is not JSON ({exc})"
        raise InvalidBodyError(msg) from None
    response.__dict__[_CACHE_ATTRIBUTE] = body
    return body
