"""Freshdesk's timestamp format: UTC, ISO 8601, one-second precision, `Z` suffix."""

from __future__ import annotations

import logging
import typing as t
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

if t.TYPE_CHECKING:
    import requests

_API_FORMAT = "%Y-%m-%dT%H:%M:%SZ"
_API_LENGTH = len("2015-08-28T09:08:16Z")
_logger = logging.getLogger("tap-freshdesk")


def format_api_time(moment: datetime) -> str:
    """Render a moment the way Freshdesk's filters expect it (naive values are taken as UTC)."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    return moment.strftime(_API_FORMAT)


def parse_api_time(value: str) -> datetime:
    """Parse a Freshdesk timestamp, tolerating offsets and fractions other sources may add."""
    moment = datetime.fromisoformat(value)
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def in_api_form(value: t.Any) -> t.Any:
    """Return a readable timestamp in Freshdesk's form; anything else unchanged.

    The same instant can be written other valid ways (`2025-11-23 12:39:37`,
    `2025-11-23T18:09:37+05:30`; the API reference's own examples carry `+05:30` offsets and
    milliseconds). The SDK compares bookmarks as text, so one such value among Freshdesk's
    own form looks out of order and stops the sync, every run; rewritten, it compares as the
    instant it is. A value in Freshdesk's form costs one length and two character checks.
    """
    if not isinstance(value, str) or (
        len(value) == _API_LENGTH and value[10] == "T" and value[-1] == "Z"
    ):
        return value
    moment = readable_time(value)
    return value if moment is None else format_api_time(moment)


def is_at_or_after(value: str | None, since: str) -> bool:
    """Compare a record's timestamp with a bound rendered by :func:`format_api_time`.

    Freshdesk's own format compares correctly as text, which keeps the per-record cost of
    client-side incremental filtering to one string comparison; anything else is parsed.
    A record without the timestamp is kept: losing it would be worse than repeating it.
    """
    if value is None:
        return True
    if len(value) == _API_LENGTH and value[-1] == "Z":
        return value >= since
    return parse_api_time(value) >= parse_api_time(since)


def served_at(response: requests.Response) -> datetime | None:
    """Freshdesk's clock when it answered (the `Date` header); None without a readable one.

    A header without a zone is not read either: RFC 5322's `-0000` ("no zone information"),
    or two `Date` fields a proxy left, joined by a comma, parse to a moment without a zone,
    which cannot be compared with any timestamp. Freshdesk sends one, in GMT.
    """
    header = response.headers.get("Date")
    try:
        moment = parsedate_to_datetime(header) if header else None
    except (TypeError, ValueError):
        moment = None
    if moment is not None and moment.tzinfo is None:
        _logger.debug("Ignoring the clock of a `Date` header without a time zone: %r", header)
        return None
    return moment


def readable_time(value: t.Any) -> datetime | None:
    """Parse a record's timestamp; None when it is missing or not a timestamp at all."""
    if not isinstance(value, str):
        return None
    try:
        return parse_api_time(value)
    except ValueError:
        return None
