"""What the simulator's tests share: a walk by the Link header, Freshdesk's 400 bodies."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
SCHEMAS = ROOT / "tap_freshdesk" / "schemas"

EVER = "2000-01-01T00:00:00Z"

ASC = {"updated_since": EVER, "order_by": "updated_at", "order_type": "asc"}

FIXED_NOW = datetime(2026, 6, 1, 12, 0, 0, tzinfo=UTC)

LIST_PATHS = {
    "tickets": "/tickets",
    "contacts": "/contacts",
    "companies": "/companies",
    "agents": "/agents",
    "groups": "/groups",
    "roles": "/roles",
    "time_entries": "/time_entries",
    "satisfaction_ratings": "/surveys/satisfaction_ratings",
    "ticket_fields": "/ticket_fields",
    "contact_fields": "/contact_fields",
    "company_fields": "/company_fields",
}


def walk(http, url, params=None):
    """Every page by the Link header; returns (records, responses)."""
    records, responses = [], []
    response = http.get(url, params=params, timeout=10)
    while True:
        assert response.status_code == 200, response.text
        responses.append(response)
        records += response.json()
        following = response.links.get("next", {}).get("url")
        if not following:
            return records, responses
        response = http.get(following, timeout=10)


def error_fields(response):
    return [(e["field"], e["message"], e["code"]) for e in response.json()["errors"]]
