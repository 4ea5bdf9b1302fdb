"""The simulated account: every stream's records, and what a complete extraction must hold.

`Account` puts together the account's state (state.py), its ticket, contact and company
queries (tickets.py, people.py) and its run-time changes (changes.py), and lists the streams
that need no overlay.
"""

from __future__ import annotations

from datetime import UTC, date
from typing import Any

from tests.simulator import sections, ticket_extras
from tests.simulator.changes import Changes
from tests.simulator.exports import activities_of_day, export_days
from tests.simulator.people import spread
from tests.simulator.routes import TICKET_EXTRAS
from tests.simulator.tickets import list_shape

SMALL_STREAMS = ("agents", "groups", "roles")


class Account(Changes):
    """Every record of one Freshdesk account, with the list semantics of the real API."""

    def small(self, stream: str) -> list[dict[str, Any]]:
        """Agents, groups or roles: small tables, listed by id."""
        count = self.sizes[stream]
        build = getattr(self.factory, stream.removesuffix("s"))
        return [build(k, spread(k, count) - 86400, spread(k, count)) for k in range(1, count + 1)]

    def time_entry(self, number: int) -> dict[str, Any]:
        """Time entry `number`: entries are spread over the tickets, logged after creation."""
        n = max(1, self.timeline.count)
        ticket_id = 1 + (number - 1) * n // max(1, self.sizes["time_entries"])
        created = self.timeline.created[ticket_id - 1] if self.timeline.count else 0
        return self.factory.time_entry(number, ticket_id, created + (number * 7_919) % 172_800)

    def satisfaction_rating(self, number: int) -> dict[str, Any]:
        """Rating `number`: spread over the tickets, submitted after their last seeded update."""
        n = max(1, self.timeline.count)
        ticket_id = 1 + (number - 1) * n // max(1, self.sizes["satisfaction_ratings"])
        updated = self.timeline.updated[ticket_id - 1] if self.timeline.count else 0
        return self.factory.satisfaction_rating(number, ticket_id, updated + (number * 31) % 86_400)

    def field_definitions(self, stream: str) -> list[dict[str, Any]]:
        """Return the field definitions `stream` lists (ticket, contact or company fields)."""
        return self.custom.definitions(stream)

    def activities(self, day: date) -> list[dict[str, Any]]:
        """Return the rows of `day`'s activities export file (exports.py)."""
        return activities_of_day(self, day, self.config.activity_tickets_per_day)

    def translation_languages(self) -> list[str]:
        """Return the languages besides the primary one that `settings/helpdesk` supports."""
        settings = self.catalog.helpdesk.settings()
        primary = settings.get("primary_language")
        return [code for code in settings.get("supported_languages") or [] if code != primary]

    def add_custom_field(self, entity: str, name: str, kind: str, label: str | None = None) -> int:
        """Add a custom field now, as an admin would; see `CustomFields.add`."""
        with self.lock:
            ident = self.custom.add(entity, name, kind, self.now(), label)
            self._changed()
        return ident

    def truth(self, stream: str) -> list[dict[str, Any]]:  # noqa: PLR0911, PLR0912 - one per stream
        """Every record of `stream` in the list endpoints' shape (deleted, spam, blocked too)."""
        if stream == "tickets":
            listed = (i for i in self.all_ticket_ids() if not self.is_archived(i))
            return [list_shape(r) for r in map(self.ticket, listed) if r]
        if stream == "archived_tickets":
            return [r for r in map(self.archived_ticket, self.all_ticket_ids()) if r]
        if stream == "archived_conversations":
            ids = self.all_ticket_ids()
            return [c for t in ids for c in (self.conversations(t, archived=True) or [])]
        if stream == "conversations":
            return [c for t in self.all_ticket_ids() for c in (self.conversations(t) or [])]
        if stream == "contacts":
            return [self.contact(k) for k in range(1, self.sizes["contacts"] + 1)]
        if stream == "companies":
            return [self.company(k) for k in self.company_numbers()]
        if stream in SMALL_STREAMS:
            return self.small(stream)
        if stream == "time_entries":
            return [self.time_entry(k) for k in range(1, self.sizes["time_entries"] + 1)]
        if stream == "satisfaction_ratings":
            count = self.sizes["satisfaction_ratings"]
            return [self.satisfaction_rating(k) for k in range(1, count + 1)]
        if stream in ("ticket_fields", "contact_fields", "company_fields"):
            return self.field_definitions(stream)
        if stream == "ticket_field_sections":
            return sections.truth(self)
        if stream in TICKET_EXTRAS:
            return ticket_extras.truth(self, stream)
        if stream == "ticket_activities":
            today = self.config.clock().astimezone(UTC).date()
            return [a for day in export_days(today) for a in self.activities(day)]
        records = self.catalog.truth(stream)
        if records is not None:
            return records
        raise KeyError(f"unknown stream {stream!r}")
