"""Keys for records that have none: the activities export's rows."""

from __future__ import annotations

import hashlib
import json
import typing as t
from collections import Counter


def with_activity_keys(rows: list[dict[str, t.Any]]) -> list[dict[str, t.Any]]:
    """Give each row of one export day its `activity_key`, the stream's primary key.

    The export has no id, and a day's file may hold identical rows (two identical changes in
    one second). The key is the SHA-256 (hex) of the row as Freshdesk wrote it, with its
    `export_date`, serialised as JSON with sorted keys, no spaces and non-ASCII characters
    escaped (Python's `json.dumps(row, sort_keys=True, separators=(",", ":"))`), followed by a
    newline and the number of identical rows before it that day (0 for the first). So it
    depends on neither the order of the rows nor the tap's version, and identical rows stay
    distinct.
    """
    seen: Counter[str] = Counter()
    for row in rows:
        text = json.dumps(row, sort_keys=True, separators=(",", ":"))
        row["activity_key"] = hashlib.sha256(f"{text}\n{seen[text]}".encode()).hexdigest()
        seen[text] += 1
    return rows
