"""Freshdesk list pages for the unit tests, as `requests` responses built in memory.

Only what the paginators read is modelled: the JSON body, the `Link` header Freshdesk sends
while another page exists, and the `Date` header (Freshdesk's clock). The simulator models
the rest, over real HTTP, for the tests that run the tap.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from email.utils import format_datetime
from typing import Any

import requests

EPOCH = datetime(2026, 1, 1, tzinfo=UTC)


def page(
    records: list[Any], *, more: bool = False, served: datetime | None = None
) -> requests.Response:
    """One page as Freshdesk answers it: a JSON array, `Link` while more follow, `Date`."""
    response = requests.Response()
    response.status_code = 200
    response._content = json.dumps(records).encode()
    response.headers["Content-Type"] = "application/json; charset=utf-8"
    response.headers["Date"] = format_datetime(served or datetime.now(UTC), usegmt=True)
    if more:
        response.headers["Link"] = '<https://acme.freshdesk.com/api/v2/tickets?page=2>; rel="next"'
    return response
