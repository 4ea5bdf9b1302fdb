"""Contacts and companies as their lists serve them: by id, with views and run-time changes."""

from __future__ import annotations

import heapq
from collections.abc import Iterator
from typing import Any

from tests.simulator.clock import HISTORY_SECONDS
from tests.simulator.state import BLOCKED, DELETED, AccountState
from tests.simulator.timeline import MAX_LAG_SECONDS


def spread(number: int, count: int) -> int:
    """Seconds after EPOCH of record `number` of `count` spread evenly over the seeded history."""
    return MAX_LAG_SECONDS + number * HISTORY_SECONDS // max(count, 1)


def _first_spread_at_or_after(seconds: int, count: int) -> int:
    """Return the lowest `number` whose `spread` is at or after `seconds`."""
    number = max(1, (seconds - MAX_LAG_SECONDS) * count // HISTORY_SECONDS)
    while number > 1 and spread(number - 1, count) >= seconds:
        number -= 1
    while number <= count and spread(number, count) < seconds:
        number += 1
    return number


class PeopleRecords(AccountState):
    """Contacts (live, deleted, blocked, verified or not) and companies."""

    def contact_state(self, number: int) -> tuple[int, int]:
        """Return (created, updated) of contact `number`: seeded ones spread evenly by id."""
        updated = spread(number, self.sizes["contacts"])
        created = updated - (number * 7_919) % (30 * 86400)
        return created, self.contact_changes.get(number, updated)

    def contact(self, number: int) -> dict[str, Any]:
        """Return contact `number` with its view's flag, `active` and custom fields."""
        created, updated = self.contact_state(number)
        record = self.factory.contact(number, created, updated)
        kind = None if not self.config.flag_removed_records else self.contact_kind(number)
        # Like tickets, a contact carries the flag of the view that lists it, and only then.
        if kind == DELETED:
            record["deleted"] = True
        elif kind == BLOCKED:
            record["blocked"] = True
        record["active"] = self.contact_verified(number)
        return self.custom.apply("contact_fields", record, updated)

    def contact_verified(self, number: int) -> bool:
        """`active`: about one contact in ten has not verified their email yet."""
        return (number * 2_654_435_761 + self.config.seed) % 10 != 0

    def contact_kind(self, number: int) -> int | None:
        """Return DELETED, BLOCKED or None (live): seeded, unless changed at run time."""
        return self.contact_kind_changes.get(number, self.contact_kinds.kind(number))

    def _contact_shown(self, number: int, state: str | None) -> bool:
        kind = self.contact_kind(number)
        if state == "deleted":
            return kind == DELETED
        if state == "blocked":
            return kind == BLOCKED
        if kind is not None:
            return False
        if state in ("verified", "unverified"):
            return self.contact_verified(number) == (state == "verified")
        return True

    def contact_numbers(self, state: str | None, since: int | None) -> Iterator[int]:
        """Contacts as GET /contacts lists them: by id, `_updated_since` inclusive, by `state`."""
        with self.lock:
            changes = dict(self.contact_changes)
        count = self.sizes["contacts"]
        first = 1 if since is None else _first_spread_at_or_after(since, count)
        seeded = (
            k for k in range(first, count + 1) if k not in changes and self._contact_shown(k, state)
        )
        changed = sorted(
            k
            for k, updated in changes.items()
            if (since is None or updated >= since) and self._contact_shown(k, state)
        )
        return heapq.merge(seeded, changed)

    def company(self, number: int) -> dict[str, Any]:
        """Return company `number` with its custom fields, as last edited."""
        updated = spread(number, self.sizes["companies"])
        created = updated - (number * 104_729) % (60 * 86400)
        updated = self.company_changes.get(number, updated)
        record = self.factory.company(number, created, updated)
        return self.custom.apply("company_fields", record, updated)

    def company_numbers(self) -> list[int]:
        """Companies as GET /companies lists them: by id, deleted ones gone."""
        with self.lock:
            deleted = set(self.deleted_companies)
        return [k for k in range(1, self.sizes["companies"] + 1) if k not in deleted]
