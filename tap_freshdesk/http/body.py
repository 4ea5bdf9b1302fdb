r"""A response's JSON body, parsed once however many places read it, repaired where JSON allows.

One bad string must not make a page unreadable: a page that fails to parse is retried, and
every resume fails on it again. JSON lets a string escape a lone UTF-16 surrogate (`\ud800`),
which no UTF-8 text can hold; the fast parser rejects the whole body for it (with a misleading
"truncated" message). Such a body is parsed again leniently: lone surrogates and invalid UTF-8
bytes become U+FFFD, counted so the stream can warn. A body that is still not JSON is named for
what it is (an HTML page, a body cut short), not blamed on the network in general.
"""

from __future__ import annotations

import json
import re
import typing as t

import msgspec

if t.TYPE_CHECKING:
    import requests

_CACHE_ATTRIBUTE = "_freshdesk_json"
_REPAIRS_ATTRIBUTE = "_freshdesk_repairs"
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
_REPLACEMENT = "\ufffd"


class InvalidBodyError(ValueError):
    """A 2xx response whose body is not JSON: truncated in transit or an HTML error page."""


def json_body(response: requests.Response) -> t.Any:
    """Return the decoded body; the response validator, the parser and the paginator all need it."""
    cached = response.__dict__.get(_CACHE_ATTRIBUTE, _CACHE_ATTRIBUTE)
    if cached is not _CACHE_ATTRIBUTE:
        return cached
    try:
        body = msgspec.json.decode(response.content)
    except msgspec.DecodeError:
        body, repairs = _lenient(response.content)
        response.__dict__[_REPAIRS_ATTRIBUTE] = repairs
    response.__dict__[_CACHE_ATTRIBUTE] = body
    return body


def repairs(response: requests.Response) -> int:
    """How many characters of this body were replaced by U+FFFD to make it readable."""
    return int(response.__dict__.get(_REPAIRS_ATTRIBUTE, 0))


def _lenient(content: bytes) -> tuple[t.Any, int]:
    """Parse what the fast parser refused, repairing what JSON text allows to be repaired."""
    text = content.decode("utf-8", errors="replace")
    repaired = text.count(_REPLACEMENT) - content.count(_REPLACEMENT.encode())
    try:
        body = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidBodyError(_why_not_json(text, exc)) from None
    counter = [repaired]
    return _repair(body, counter), counter[0]


def _repair(value: t.Any, counter: list[int]) -> t.Any:
    """Replace lone surrogates (which UTF-8 output cannot carry) in every string, keys too."""
    if isinstance(value, str):
        fixed, count = _LONE_SURROGATE.subn(_REPLACEMENT, value)
        counter[0] += count
        return fixed
    if isinstance(value, list):
        return [_repair(item, counter) for item in value]
    if isinstance(value, dict):
        return {_repair(k, counter): _repair(v, counter) for k, v in value.items()}
    return value


def _why_not_json(text: str, exc: json.JSONDecodeError) -> str:
    stripped = text.lstrip()
    if not stripped:
        return "the body is empty, not JSON"
    if stripped.startswith("<"):
        return "the body is an HTML page, not JSON (an error, proxy or maintenance page)"
    if exc.pos >= len(text.rstrip()) - 1:
        return f"the body ends before its JSON does ({len(text)} characters): it was cut short"
    return f"the body is not JSON ({exc.msg} at character {exc.pos})"
