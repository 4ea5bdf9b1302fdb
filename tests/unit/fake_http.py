"""Freshdesk answered in-process: the tap's own requests, with no socket and no simulator.

The tap is built and its streams are called directly, as a sync would (tap-jira tests its
request parameters this way); every request it sends is answered here by path, through the
`requests` transport adapter, so the tap's session, retries and paginators run unchanged.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime
from typing import Any
from urllib.parse import parse_qs, urlsplit

import requests

from tap_freshdesk.tap import TapFreshdesk

BASE_URL = "https://acme.freshdesk.com/api/v2"
#: What a catalog must declare for a stream to be incremental: its key and its bookmark.
KEYS = {
    "id": {"type": ["integer"]},
    "updated_at": {"type": ["string", "null"], "format": "date-time"},
}


@dataclass
class FakeFreshdesk:
    """Lists by path below /api/v2 (one page each); any other path is an empty list.

    `updated_since` and `_updated_since` filter inclusively, and `order_type=desc` with
    `per_page=1` answers the newest record, as the ticket and contact lists do.
    """

    lists: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    sent: list[str] = field(default_factory=list)

    def answer(self, request: requests.PreparedRequest) -> requests.Response:
        url = urlsplit(request.url or "")
        path = url.path.removeprefix("/api/v2")
        query = {k: v[0] for k, v in parse_qs(url.query).items()}
        self.sent.append(path)
        records = list(self.lists.get(path, []))
        since = query.get("updated_since") or query.get("_updated_since")
        if since:
            records = [r for r in records if str(r.get("updated_at")) >= since]
        if query.get("order_type") == "desc" and query.get("per_page") == "1":
            records = sorted(records, key=lambda r: str(r.get("updated_at")))[-1:]
        response = requests.Response()
        response.status_code = 200
        response.url = request.url or ""
        response.request = request
        response._content = json.dumps(records).encode()
        response.headers["Content-Type"] = "application/json; charset=utf-8"
        response.headers["Date"] = format_datetime(datetime.now(UTC), usegmt=True)
        return response

    def tap(self, selected: str, **settings: Any) -> TapFreshdesk:
        """The tap with `settings`, its catalog selecting the one stream `selected`."""
        state = settings.pop("state", None)
        catalog = {
            "streams": [
                {
                    "tap_stream_id": selected,
                    "stream": selected,
                    "schema": {"type": "object", "properties": KEYS},
                    "replication_key": "updated_at",
                    "replication_method": "INCREMENTAL",
                    "metadata": [{"breadcrumb": [], "metadata": {"selected": True}}],
                }
            ]
        }
        return TapFreshdesk(
            config={"api_key": "unit-key", "base_url": BASE_URL, **settings},
            state=state,
            catalog=catalog,
            parse_env_config=False,
        )
