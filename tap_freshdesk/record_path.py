"""The SDK's per-record conform and deselection walks, skipped where they cannot change a thing.

Before each RECORD the SDK walks the record twice: once to drop deselected properties, once to
"conform" values to Singer types (datetimes to strings, NaN to null, 0/1 to booleans, keys the
schema lacks dropped unless it allows more). Freshdesk's records are parsed JSON: no datetimes,
no bytes, and the tap types custom fields itself (tap_freshdesk.custom_fields). When nothing is
deselected and a record holds only JSON values that conforming leaves alone, both walks would
return what they were given: a cheap check of the record says so, and the record goes straight
to the stream maps. Any other record takes the SDK's own path.
"""

from __future__ import annotations

import math
import typing as t
from dataclasses import dataclass

if t.TYPE_CHECKING:
    from collections.abc import Mapping

#: Values the SDK's root-level conforming returns unchanged (floats: when finite).
_KEPT_TYPES = frozenset({str, int, bool, type(None), list, dict})


@dataclass(frozen=True)
class RecordShortcut:
    """What a record must satisfy for the SDK's walks to leave it as it is, for one schema."""

    names: frozenset[str]
    open_schema: bool
    booleans: tuple[str, ...]
    all_selected: bool

    @classmethod
    def plan(cls, schema: Mapping[str, t.Any], mask: Mapping[t.Any, bool]) -> RecordShortcut:
        """Read the schema once: its names, whether it allows more, which ones may be booleans."""
        properties = schema.get("properties") or {}
        return cls(
            names=frozenset(properties),
            open_schema=bool(schema.get("additionalProperties")),
            # Every property that may be a boolean at the top level: a superset of the ones the
            # SDK turns 0/1 into booleans for (it leaves nested values alone at ROOT_ONLY).
            booleans=tuple(name for name, prop in properties.items() if _may_be_boolean(prop)),
            all_selected=all(mask.values()),
        )

    def applies(self, record: Mapping[str, t.Any]) -> bool:
        """Whether the SDK's deselection and conform walks would return `record` unchanged."""
        if not self.all_selected:
            return False
        if not self.open_schema and not record.keys() <= self.names:
            return False
        for value in record.values():
            kind = type(value)
            if kind is float:
                if not math.isfinite(value):
                    return False
            elif kind not in _KEPT_TYPES:
                return False
        for name in self.booleans:
            value = record.get(name)
            if value is not None and type(value) is not bool:
                return False
        return True


def _may_be_boolean(prop: Mapping[str, t.Any]) -> bool:
    """Whether a property's own type (or one of its anyOf/oneOf/allOf types) is boolean."""
    kinds = prop.get("type")
    if kinds == "boolean" or (isinstance(kinds, list) and "boolean" in kinds):
        return True
    return any(
        _may_be_boolean(option)
        for key in ("anyOf", "oneOf", "allOf")
        for option in prop.get(key) or []
        if isinstance(option, dict)
    )
