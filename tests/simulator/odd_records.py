"""List rows served oddly on purpose, as real accounts have sent them to other connectors."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

#: The offset of the API reference's own examples: canned responses show
#: `"created_at": "2018-08-16T09:08:53+05:30"` (developers.freshdesk.com/api, "Canned Responses").
IST = timezone(timedelta(hours=5, minutes=30))


def oddify(record: dict[str, Any], kind: str | None) -> Any:
    """Return a list row served the odd way `kind` names (config.ODD_RECORDS); as is for None.

    Real accounts have sent such rows to other connectors: text with broken encodings, and
    fields missing from some records (singer-io tap-freshdesk #25, #30 for types that vary).
    The same instant is written other valid ways in Freshdesk's own reference: with an offset
    (`+05:30`, the canned responses example) or with milliseconds (`…05.000Z`, the apps' data
    API); `spaced_updated_at` is ISO 8601's space-separated form without a zone (UTC).
    """
    if kind is None:
        return record
    odd = dict(record)
    if kind == "lone_surrogate":
        odd["subject"] = f"{odd.get('subject')} \ud800"
    elif kind == "no_id":
        del odd["id"]
    elif kind == "no_updated_at":
        del odd["updated_at"]
    elif kind == "epoch_updated_at":
        moment = datetime.fromisoformat(odd["updated_at"].replace("Z", "+00:00"))
        odd["updated_at"] = int(moment.timestamp())
    elif kind == "spaced_updated_at":
        odd["updated_at"] = odd["updated_at"].replace("T", " ").removesuffix("Z")
    elif kind == "offset_updated_at":
        moment = datetime.fromisoformat(odd["updated_at"].replace("Z", "+00:00"))
        odd["updated_at"] = moment.astimezone(IST).isoformat()
    elif kind == "unreadable_updated_at":
        odd["updated_at"] = "last Tuesday"
    elif kind == "out_of_order":
        odd["updated_at"] = "2001-01-01T00:00:00Z"
    elif kind == "list_record":
        return [odd]
    else:
        raise ValueError(f"unknown odd record kind {kind!r}")
    return odd
