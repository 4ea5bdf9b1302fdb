"""Time as Freshdesk shows it: UTC, one-second precision, `YYYY-MM-DDTHH:MM:SSZ`.

Seeded history lives on a fixed calendar (seconds after EPOCH), so every run of a seed serves the
same timestamps; run-time changes use the configured clock, which is later than all of it.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

#: Seeded history starts here and spans HISTORY_SECONDS, long before any run-time change.
EPOCH = datetime(2023, 1, 1, tzinfo=UTC)
HISTORY_SECONDS = 2 * 365 * 86400


def utc_now() -> datetime:
    """Real time, truncated to Freshdesk's one-second precision."""
    return datetime.now(UTC).replace(microsecond=0)


def stamp(moment: datetime) -> str:
    """Freshdesk's timestamp form, always UTC with `Z`."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def at(seconds: int) -> datetime:
    """Return the moment `seconds` after EPOCH."""
    return EPOCH + timedelta(seconds=seconds)


def stamp_at(seconds: int) -> str:
    """`stamp(at(seconds))`, the form every seeded timestamp takes."""
    return stamp(at(seconds))


def seconds_of(moment: datetime) -> int:
    """Whole seconds after EPOCH (negative before it), floored like Freshdesk's precision."""
    return int((moment - EPOCH).total_seconds() // 1)


def parse(text: str) -> datetime | None:
    """Return an ISO 8601 timestamp with a zone (`Z` or an offset); None when malformed or zoneless.

    Freshdesk answers 400 for a filter it cannot read rather than ignoring it.
    """
    try:
        moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        try:
            moment = datetime.strptime(text.strip(), "%Y-%m-%d").replace(tzinfo=UTC)
        except ValueError:
            return None
    if moment.tzinfo is None:
        return None
    return moment.astimezone(UTC)
