"""Run-time changes: what agents and admins do to the account while a tap reads it."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from tests.simulator.catalog import EDITABLE
from tests.simulator.clock import stamp_at
from tests.simulator.ids import COMPANY_ID_BASE, CONTACT_ID_BASE
from tests.simulator.people import PeopleRecords
from tests.simulator.state import TicketChange
from tests.simulator.tickets import TicketRecords

#: A busy day between two runs, for `mutate(**BUSY_DAY)`: every kind of change it can make.
BUSY_DAY = {
    "tickets": 5,
    "conversations": 5,
    "new_tickets": 2,
    "delete_tickets": 1,
    "spam_tickets": 1,
    "contacts": 3,
    "companies": 2,
    "solution_articles": 1,
    "canned_responses": 1,
}


class Changes(TicketRecords, PeopleRecords):
    """Tickets updated, created, answered, deleted, archived; contacts and companies edited."""

    def _changed(self) -> None:
        self.version += 1
        self.mutations += 1

    def change_ticket(self, ticket_id: int, **changes: Any) -> None:
        """Update a ticket now: it moves to the end of the `updated_at` order."""
        with self.lock:
            state = self.ticket_state(ticket_id)
            if state is None:
                raise KeyError(f"no ticket {ticket_id}")
            self.ticket_changes[ticket_id] = replace(state, updated=self.now(), **changes)
            self._changed()

    def archive_ticket(self, ticket_id: int) -> None:
        """Archive a live ticket now, whatever its status and age."""
        with self.lock:
            if not self.is_live(ticket_id):
                raise KeyError(f"ticket {ticket_id} is missing, deleted, spam or archived")
            self.archived_ids.add(ticket_id)
            self._changed()

    def purge_ticket(self, ticket_id: int) -> None:
        """Delete a ticket for good: every endpoint answers 404 for its id from now on."""
        with self.lock:
            self.purged_ids.add(ticket_id)
            self._changed()

    def update_ticket(self, ticket_id: int) -> None:
        """Edit the ticket as an agent would: a new status, and `updated_at` moves to now."""
        with self.lock:
            self.change_ticket(ticket_id, status=self.rng.choice((2, 3, 4, 5, 6)))

    def create_ticket(self) -> int:
        """Create a ticket now; return its id, the next after the highest."""
        with self.lock:
            ticket_id = self.next_ticket_id
            self.next_ticket_id += 1
            now = self.now()
            self.ticket_changes[ticket_id] = TicketChange(created=now, updated=now)
            self._changed()
        return ticket_id

    def add_conversation(self, ticket_id: int) -> int:
        """Add a reply or note: a new conversation, and the ticket's `updated_at` moves to now."""
        with self.lock:
            if not self.is_live(ticket_id):
                raise KeyError(f"ticket {ticket_id} is missing, deleted or spam")
            ident = self.next_conversation_id
            self.next_conversation_id += 1
            self.added_conversations.setdefault(ticket_id, []).append((ident, self.now()))
            self.change_ticket(ticket_id)
        return ident

    def delete_conversation(self, conversation_id: int) -> None:
        """Delete a reply or note now: later ones move up a place in the ticket's list.

        The ticket's `updated_at` is left as it is. Whether Freshdesk moves it is not
        documented: its app events report a deleted note as a conversation event
        (`onConversationDelete`), not a ticket update (developers.freshworks.com, app SDK
        v2.3, "onConversationCreate, onConversationUpdate, and onConversationDelete"), so
        the case where it does not move is the one a tap must survive.
        """
        with self.lock:
            self.deleted_conversations.add(conversation_id)
            self._changed()

    def update_contact(self, contact_id: int) -> None:
        """Edit a contact now: its `updated_at` moves to now."""
        number = contact_id - CONTACT_ID_BASE
        if not 1 <= number <= self.sizes["contacts"]:
            raise KeyError(f"no contact {contact_id}")
        with self.lock:
            self.contact_changes[number] = self.now()
            self._changed()

    def remove_contact(self, contact_id: int, kind: int) -> None:
        """Delete (DELETED) or block (BLOCKED) a contact now; its `updated_at` moves to now.

        It leaves the default listing for the `state=deleted` / `state=blocked` one.
        """
        number = contact_id - CONTACT_ID_BASE
        if not 1 <= number <= self.sizes["contacts"]:
            raise KeyError(f"no contact {contact_id}")
        with self.lock:
            self.contact_kind_changes[number] = kind
            self.contact_changes[number] = self.now()
            self._changed()

    def restore_contact(self, contact_id: int) -> None:
        """Restore a deleted contact, or unblock a blocked one, now; `updated_at` moves to now.

        It leaves `state=deleted` / `state=blocked` for the default listing, in its place by
        id: every later contact there moves back a place. API reference, "Restore a Contact"
        (`PUT /api/v2/contacts/[id]/restore`); blocked contacts are unblocked in the web app.
        A change of state is an edit, so `updated_at` moves, as it does for a deletion here.
        """
        number = contact_id - CONTACT_ID_BASE
        if not 1 <= number <= self.sizes["contacts"]:
            raise KeyError(f"no contact {contact_id}")
        with self.lock:
            if self.contact_kind(number) is None:
                raise KeyError(f"contact {contact_id} is neither deleted nor blocked")
            self.contact_kind_changes[number] = None
            self.contact_changes[number] = self.now()
            self._changed()

    def delete_company(self, company_id: int) -> None:
        """Delete a company now: it vanishes from the list, later companies move up."""
        number = company_id - COMPANY_ID_BASE
        if not 1 <= number <= self.sizes["companies"]:
            raise KeyError(f"no company {company_id}")
        with self.lock:
            self.deleted_companies.add(number)
            self._changed()

    def update_company(self, company_id: int) -> None:
        """Edit a company now: its `updated_at` moves to now."""
        number = company_id - COMPANY_ID_BASE
        if not 1 <= number <= self.sizes["companies"]:
            raise KeyError(f"no company {company_id}")
        with self.lock:
            self.company_changes[number] = self.now()
            self._changed()

    def update_record(self, stream: str, record_id: int) -> None:
        """Edit a configuration or knowledge record now: its `updated_at` moves to now."""
        with self.lock:
            self.catalog.touch(stream, record_id, stamp_at(self.now()))
            self._changed()

    def random_live_ticket(self) -> int | None:
        """Return a ticket neither deleted nor spam, chosen by the seeded generator."""
        with self.lock:
            for _ in range(1000):
                ticket_id = self.rng.randint(1, max(1, self.next_ticket_id - 1))
                if self.is_live(ticket_id):
                    return ticket_id
        return None

    def mutate(
        self,
        *,
        tickets: int = 0,
        contacts: int = 0,
        conversations: int = 0,
        new_tickets: int = 0,
        delete_tickets: int = 0,
        spam_tickets: int = 0,
        companies: int = 0,
        **edits: int,
    ) -> dict[str, list[int]]:
        """Change records now, chosen by the seeded generator; return the ids touched.

        `edits` names streams of `catalog.EDITABLE` (solution_articles=2, canned_responses=1…):
        that many of their records, chosen at random, get `updated_at` now.
        """
        unknown = set(edits) - set(EDITABLE)
        if unknown:
            raise TypeError(f"cannot mutate {sorted(unknown)}; editable: {list(EDITABLE)}")
        touched: dict[str, list[int]] = {
            "tickets": [],
            "contacts": [],
            "conversations": [],
            "companies": [],
            "deleted_tickets": [],
            "spam_tickets": [],
        }
        with self.lock:
            for _ in range(tickets):
                if (ticket_id := self.random_live_ticket()) is not None:
                    self.update_ticket(ticket_id)
                    touched["tickets"].append(ticket_id)
            for _ in range(new_tickets):
                touched["tickets"].append(self.create_ticket())
            for _ in range(conversations):
                if (ticket_id := self.random_live_ticket()) is not None:
                    touched["conversations"].append(self.add_conversation(ticket_id))
                    touched["tickets"].append(ticket_id)
            for flag, count in (("deleted", delete_tickets), ("spam", spam_tickets)):
                for _ in range(count):
                    if (ticket_id := self.random_live_ticket()) is not None:
                        self.change_ticket(ticket_id, **{flag: True})
                        touched["tickets"].append(ticket_id)
                        touched[f"{flag}_tickets"].append(ticket_id)
            for _ in range(contacts if self.sizes["contacts"] else 0):
                contact_id = CONTACT_ID_BASE + self.rng.randint(1, self.sizes["contacts"])
                self.update_contact(contact_id)
                touched["contacts"].append(contact_id)
            for _ in range(companies if self.sizes["companies"] else 0):
                company_id = COMPANY_ID_BASE + self.rng.randint(1, self.sizes["companies"])
                self.update_company(company_id)
                touched["companies"].append(company_id)
            touched.update({stream: self._edit_random(stream, n) for stream, n in edits.items()})
        return touched

    def _edit_random(self, stream: str, count: int) -> list[int]:
        """Edit `count` records of `stream` chosen by the seeded generator; return their ids."""
        ids = self.catalog.ids(stream)
        chosen = [self.rng.choice(ids) for _ in range(count if ids else 0)]
        for record_id in chosen:
            self.update_record(stream, record_id)
        return chosen
