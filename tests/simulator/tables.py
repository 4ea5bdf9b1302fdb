"""Small record tables: the admin and knowledge-base streams, built once and changed in place.

These streams hold tens to hundreds of records, so unlike tickets they are materialised, on
first use (a million-ticket account still starts at once), and a run-time edit rewrites the
stored record. Lists are by id; a record whose parent is listed elsewhere keeps the parent's id
in the field the real API names (`folder_id`, `forum_id`…).
"""

from __future__ import annotations

import copy
import threading
from collections.abc import Callable
from typing import Any

from tests.simulator.clock import HISTORY_SECONDS

Record = dict[str, Any]
#: Seeded history of small tables begins a day into the calendar, before the tickets' first lag.
FIRST_SECOND = 86_400


def spread(number: int, count: int) -> int:
    """Return the seconds after EPOCH of record `number` of `count`.

    Spread evenly over the history at an uneven time of day (still increasing with `number` for
    the table sizes used here).
    """
    day_time = (number * 7_919) % 43_200
    return FIRST_SECOND + number * (HISTORY_SECONDS - FIRST_SECOND) // max(count, 1) + day_time


class Tables:
    """Streams of records built by `build` on first use; `touch` edits one record now."""

    def __init__(self, build: Callable[[], dict[str, list[Record]]]) -> None:
        self._build = build
        self._tables: dict[str, list[Record]] | None = None
        self.lock = threading.RLock()

    @property
    def tables(self) -> dict[str, list[Record]]:
        """Return every table, built on first use."""
        with self.lock:
            if self._tables is None:
                self._tables = self._build()
            return self._tables

    def records(self, stream: str) -> list[Record]:
        """Every record of `stream`, by id; copies, so callers cannot change the account."""
        with self.lock:
            return copy.deepcopy(self.tables[stream])

    def where(self, stream: str, key: str, value: int) -> list[Record]:
        """Return the records of `stream` whose `key` is `value` (the children of one parent)."""
        with self.lock:
            return copy.deepcopy([r for r in self.tables[stream] if r.get(key) == value])

    def ids(self, stream: str) -> list[int]:
        """Return the ids of `stream`'s records, in table order."""
        with self.lock:
            return [r["id"] for r in self.tables[stream]]

    def exists(self, stream: str, ident: int) -> bool:
        """Tell whether `stream` holds a record with id `ident`."""
        return ident in self.ids(stream)

    def touch(self, stream: str, ident: int, stamp: str, **changes: Any) -> None:
        """Edit record `ident` of `stream`: `updated_at` becomes `stamp`, plus `changes`."""
        with self.lock:
            for record in self.tables[stream]:
                if record["id"] == ident:
                    record.update(changes, updated_at=stamp)
                    return
        raise KeyError(f"no {stream} record {ident}")
