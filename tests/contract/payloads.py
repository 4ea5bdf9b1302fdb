"""Real-shaped Freshdesk payloads, one file per stream in `fixtures/`, each naming its sources.

A fixture file holds `stream`, `sources` (where its shape comes from), optional `notes`, and
`responses`: the body each API path answers, keyed by the path below `/api/v2`, with the
removed-view query in the key where one applies (`/tickets?filter=deleted`).
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

FIXTURES = Path(__file__).parent / "fixtures"
#: Moving to the activities export (`export/ticket_activities`), a different route and shape;
#: its contract belongs with that change.
EXCLUDED_STREAMS = frozenset({"ticket_activities"})
#: Streams whose bodies wrap their records in an object, by the key holding them.
ENVELOPES = {"ticket_field_sections": "sections"}


@cache
def fixtures() -> dict[str, dict[str, Any]]:
    """Every fixture file, by stream name."""
    loaded = (json.loads(path.read_text()) for path in sorted(FIXTURES.glob("*.json")))
    return {fixture["stream"]: fixture for fixture in loaded}


def responses() -> dict[str, Any]:
    """Every path's body, across all streams."""
    return {path: body for f in fixtures().values() for path, body in f["responses"].items()}


def records(stream: str) -> list[dict[str, Any]]:
    """The records a stream's fixture serves, in file order."""
    found: list[dict[str, Any]] = []
    for body in fixtures()[stream]["responses"].values():
        if stream in ENVELOPES:
            body = body[ENVELOPES[stream]]  # noqa: PLW2901 - the records inside the envelope
        found.extend(body if isinstance(body, list) else [body])
    return found
