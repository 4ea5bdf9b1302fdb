"""The simulated account: its records, how Freshdesk lists them, and changes made at run time."""

from __future__ import annotations

import bisect
import random
import threading
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

from tests.simulator.config import SimulatorConfig
from tests.simulator.data import (
    COMPANY_FIELDS,
    COMPANY_ID_BASE,
    CONTACT_FIELDS,
    CONTACT_ID_BASE,
    HISTORY_SECONDS,
    TICKET_FIELDS,
    at,
    custom_values,
    field_definitions,
    fill,
    stamp,
    ticket_timeline,
)


#: Tickets the list shows only through `filter=deleted` / `filter=spam` (by seeded id).
def seeded_deleted(ticket_id: int) -> bool:
    return ticket_id % 50 == 7


def seeded_spam(ticket_id: int) -> bool:
    return ticket_id % 100 == 13


class Account:
    """Every record of one Freshdesk account, with the list semantics of the real API."""

    def __init__(self, config: SimulatorConfig) -> None:
        self.config = config
        self.lock = threading.RLock()
        self.rng = random.Random(config.seed * 7919)
        self.timeline = ticket_timeline(config.seed, config.tickets, config.burst_size)
        self.ticket_changes: dict[int, dict[str, Any]] = {}
        #: (updated_at, id) of tickets changed at run time, sorted: the end of the ordering.
        self.moved: list[tuple[str, int]] = []
        self.next_ticket_id = config.tickets + 1
        self.extra_conversations: dict[int, list[dict[str, Any]]] = {}
        self.contact_changes: dict[int, dict[str, Any]] = {}
        self.company_changes: dict[int, dict[str, Any]] = {}
        self.mutations = 0

    # Tickets

    def ticket(self, ticket_id: int) -> dict[str, Any] | None:
        """The ticket as the API shows it now, or None when it does not exist."""
        seeded = 1 <= ticket_id <= self.config.tickets
        if not seeded and ticket_id not in self.ticket_changes:
            return None
        rng = random.Random(self.config.seed * 1_000_003 + ticket_id)
        record = fill("tickets", rng)
        updated = at(self.timeline[ticket_id - 1]) if seeded else self.config.clock()
        created = updated - timedelta(seconds=rng.randint(0, 30 * 86400))
        record.update(
            id=ticket_id,
            status=rng.choice([2, 3, 4, 5, 6]),
            priority=rng.randint(1, 4),
            source=rng.choice([1, 2, 3, 7, 9, 10]),
            requester_id=CONTACT_ID_BASE + rng.randint(1, max(1, self.config.contacts)),
            company_id=COMPANY_ID_BASE + rng.randint(1, max(1, self.config.companies)),
            custom_fields=custom_values(TICKET_FIELDS, rng),
            spam=seeded and seeded_spam(ticket_id),
            created_at=stamp(created),
            updated_at=stamp(updated),
        )
        record.pop("deleted", None)
        if seeded and seeded_deleted(ticket_id):
            record["deleted"] = True
        record.update(self.ticket_changes.get(ticket_id, {}))
        return record

    def flags(self, ticket_id: int) -> tuple[bool, bool]:
        """(deleted, spam) without building the record: the hidden passes scan many tickets."""
        change = self.ticket_changes.get(ticket_id, {})
        seeded = ticket_id <= self.config.tickets
        deleted = change.get("deleted", seeded and seeded_deleted(ticket_id))
        spam = change.get("spam", seeded and seeded_spam(ticket_id))
        return bool(deleted), bool(spam)

    def random_live_ticket(self) -> int:
        """A ticket neither deleted nor spam, chosen by the seeded generator."""
        while True:
            ticket_id = self.rng.randint(1, self.next_ticket_id - 1)
            if (ticket_id <= self.config.tickets or ticket_id in self.ticket_changes) and not any(
                self.flags(ticket_id)
            ):
                return ticket_id

    def ticket_ids_by_update(self, since: str) -> Iterator[int]:
        """Ticket ids in `updated_at`, then id, order from `since` (inclusive)."""
        start = bisect.bisect_left(self.timeline, self._seconds(since))
        for index in range(start, len(self.timeline)):
            if index + 1 not in self.ticket_changes:
                yield index + 1
        with self.lock:
            moved = list(self.moved)
        for _, ticket_id in moved[bisect.bisect_left(moved, (since, 0)) :]:
            yield ticket_id

    def list_tickets(self, query: dict[str, str], skip: int, take: int) -> list[dict[str, Any]]:
        """One page of the ticket list: filters, 30-day default window, ordering."""
        view = query.get("filter")
        since = query.get("updated_since")
        order_by = query.get("order_by", "created_at")
        descending = query.get("order_type", "desc") == "desc"

        def visible(ticket_id: int) -> bool:
            deleted, spam = self.flags(ticket_id)
            if view == "deleted":
                return deleted
            if view == "spam":
                return spam and not deleted
            return not (deleted or spam)

        if since is not None and order_by == "updated_at" and not descending:
            page: list[dict[str, Any]] = []
            for ticket_id in self.ticket_ids_by_update(since):
                if visible(ticket_id):
                    if skip:
                        skip -= 1
                        continue
                    page.append(self.ticket(ticket_id))  # type: ignore[arg-type]
                    if len(page) == take:
                        break
            return page
        # Other orderings are rare in practice: materialise and sort.
        ids = self.ticket_ids_by_update(since or "1970-01-01T00:00:00Z")
        records = [r for r in map(self.ticket, filter(visible, ids)) if r]
        if since is None:
            window = stamp(self.config.clock() - timedelta(days=30))
            records = [r for r in records if r["created_at"] >= window]
        records.sort(key=lambda r: (r.get(order_by) or "", r["id"]), reverse=descending)
        return records[skip : skip + take]

    def all_tickets(self) -> list[dict[str, Any]]:
        ids = list(range(1, self.config.tickets + 1)) + sorted(
            i for i in self.ticket_changes if i > self.config.tickets
        )
        return [r for r in map(self.ticket, ids) if r]

    def _seconds(self, since: str) -> int:
        moment = datetime.fromisoformat(since.replace("Z", "+00:00"))
        return int((moment - at(0)).total_seconds())

    def change_ticket(self, ticket_id: int, **changes: Any) -> None:
        """Record a run-time change: the ticket moves to the end of the `updated_at` order."""
        now = stamp(self.config.clock())
        with self.lock:
            old = self.ticket_changes.get(ticket_id)
            if old and (old["updated_at"], ticket_id) in self.moved:
                self.moved.remove((old["updated_at"], ticket_id))
            self.ticket_changes[ticket_id] = {**(old or {}), **changes, "updated_at": now}
            bisect.insort(self.moved, (now, ticket_id))
            self.mutations += 1

    def create_ticket(self) -> int:
        with self.lock:
            ticket_id = self.next_ticket_id
            self.next_ticket_id += 1
        now = stamp(self.config.clock())
        self.change_ticket(ticket_id, created_at=now)
        return ticket_id

    # Conversations

    def conversations(self, ticket_id: int) -> list[dict[str, Any]] | None:
        """A ticket's conversations; None when the ticket is missing, deleted or spam."""
        ticket = self.ticket(ticket_id)
        if ticket is None or ticket.get("deleted") or ticket.get("spam"):
            return None
        rng = random.Random(self.config.seed * 31 + ticket_id)
        count = self.config.long_thread if ticket_id == 3 else rng.choice([0, 1, 1, 2, 3, 4, 5, 6])
        created = ticket["created_at"]
        records = []
        for k in range(count):
            record = fill("conversations", rng)
            record.update(
                id=ticket_id * 1000 + k,
                ticket_id=ticket_id,
                source=rng.choice([0, 2]),
                created_at=created,
                updated_at=created,
            )
            records.append(record)
        return records + self.extra_conversations.get(ticket_id, [])

    def add_conversation(self, ticket_id: int) -> int:
        existing = self.conversations(ticket_id) or []
        rng = random.Random(ticket_id * 17 + len(existing))
        record = fill("conversations", rng)
        now = stamp(self.config.clock())
        conversation_id = ticket_id * 1000 + 900 + len(self.extra_conversations.get(ticket_id, []))
        record.update(id=conversation_id, ticket_id=ticket_id, created_at=now, updated_at=now)
        with self.lock:
            self.extra_conversations.setdefault(ticket_id, []).append(record)
        self.change_ticket(ticket_id)
        return conversation_id

    # Contacts and companies

    def contact(self, index: int) -> dict[str, Any]:
        rng = random.Random(self.config.seed * 65_537 + index)
        record = fill("contacts", rng)
        moment = stamp(at(index * HISTORY_SECONDS // max(1, self.config.contacts)))
        record.update(
            id=CONTACT_ID_BASE + index,
            company_id=COMPANY_ID_BASE + rng.randint(1, max(1, self.config.companies)),
            custom_fields=custom_values(CONTACT_FIELDS, rng),
            created_at=moment,
            updated_at=moment,
            active=True,
            deleted=index % 33 == 5,
            blocked=index % 50 == 9,
        )
        record.update(self.contact_changes.get(index, {}))
        return record

    def list_contacts(self, query: dict[str, str]) -> list[dict[str, Any]]:
        state = query.get("state")
        since = query.get("_updated_since", "")
        records = [self.contact(i) for i in range(1, self.config.contacts + 1)]
        if state == "deleted":
            records = [r for r in records if r["deleted"]]
        elif state == "blocked":
            records = [r for r in records if r["blocked"] and not r["deleted"]]
        else:
            records = [r for r in records if not (r["deleted"] or r["blocked"])]
        return [r for r in records if r["updated_at"] >= since]

    def company(self, index: int) -> dict[str, Any]:
        rng = random.Random(self.config.seed * 8191 + index)
        record = fill("companies", rng)
        moment = stamp(at(index * HISTORY_SECONDS // max(1, self.config.companies)))
        record.update(
            id=COMPANY_ID_BASE + index,
            custom_fields=custom_values(COMPANY_FIELDS, rng),
            created_at=moment,
            updated_at=moment,
        )
        record.update(self.company_changes.get(index, {}))
        return record

    # Small lists

    def simple(self, stream: str, count: int, **fixed: Any) -> list[dict[str, Any]]:
        records = []
        for index in range(1, count + 1):
            rng = random.Random(f"{self.config.seed}-{stream}-{index}")
            record = fill(stream, rng)
            moment = stamp(at(index * HISTORY_SECONDS // max(1, count)))
            record.update(id=index * 10 + 1, created_at=moment, updated_at=moment, **fixed)
            records.append(record)
        return records

    def time_entries(self) -> list[dict[str, Any]]:
        count = (
            self.config.time_entries
            if self.config.time_entries is not None
            else self.config.tickets // 3
        )
        records = self.simple("time_entries", count)
        for record in records:
            rng = random.Random(record["id"])
            record.update(
                ticket_id=rng.randint(1, max(1, self.config.tickets)),
                time_spent=f"{rng.randint(0, 9):02d}:{rng.randint(0, 59):02d}",
            )
        return records

    def satisfaction_ratings(self) -> list[dict[str, Any]]:
        count = (
            self.config.satisfaction_ratings
            if self.config.satisfaction_ratings is not None
            else self.config.tickets // 4
        )
        records = self.simple("satisfaction_ratings", count)
        for record in records:
            rng = random.Random(record["id"])
            record.update(
                ticket_id=rng.randint(1, max(1, self.config.tickets)),
                ratings={
                    "default_question": rng.choice([103, 102, 101, -101, -102, -103]),
                    "question_7": rng.choice([103, -103, None]),
                },
            )
        return records

    def records(self, stream: str, query: dict[str, str]) -> list[dict[str, Any]] | None:
        """Every record a list endpoint (other than tickets and conversations) answers."""
        config = self.config
        lists = {
            "contacts": lambda: self.list_contacts(query),
            "companies": lambda: [self.company(i) for i in range(1, config.companies + 1)],
            "agents": lambda: self.simple("agents", config.agents),
            "groups": lambda: self.simple("groups", config.groups),
            "roles": lambda: self.simple("roles", config.roles),
            "time_entries": self.time_entries,
            "satisfaction_ratings": lambda: [
                r
                for r in self.satisfaction_ratings()
                if r["created_at"] >= query.get("created_since", "")
            ],
            "ticket_fields": lambda: field_definitions("ticket_fields", TICKET_FIELDS),
            "contact_fields": lambda: field_definitions("contact_fields", CONTACT_FIELDS),
            "company_fields": lambda: field_definitions("company_fields", COMPANY_FIELDS),
        }
        answer = lists.get(stream)
        return answer() if answer else None

    # What a complete extraction must hold

    def truth(self, stream: str) -> list[dict[str, Any]]:
        if stream == "tickets":
            return self.all_tickets()
        if stream == "conversations":
            return [c for t in self.all_tickets() for c in (self.conversations(t["id"]) or [])]
        if stream == "contacts":
            return [self.contact(i) for i in range(1, self.config.contacts + 1)]
        return self.records(stream, {}) or []

    # Run-time changes

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
    ) -> dict[str, list[int]]:
        """Change records now, chosen by the seeded generator; return the ids touched."""
        touched: dict[str, list[int]] = {
            "tickets": [],
            "contacts": [],
            "conversations": [],
            "companies": [],
        }
        for _ in range(tickets):
            ticket_id = self.random_live_ticket()
            self.change_ticket(ticket_id)
            touched["tickets"].append(ticket_id)
        for _ in range(new_tickets):
            touched["tickets"].append(self.create_ticket())
        for _ in range(conversations):
            ticket_id = self.random_live_ticket()
            touched["conversations"].append(self.add_conversation(ticket_id))
            touched["tickets"].append(ticket_id)
        for flag, count in (("deleted", delete_tickets), ("spam", spam_tickets)):
            for _ in range(count):
                ticket_id = self.random_live_ticket()
                self.change_ticket(ticket_id, **{flag: True})
                touched["tickets"].append(ticket_id)
        now = stamp(self.config.clock())
        for kind, size, changes, base in (
            ("contacts", self.config.contacts, self.contact_changes, CONTACT_ID_BASE),
            ("companies", self.config.companies, self.company_changes, COMPANY_ID_BASE),
        ):
            for _ in range(contacts if kind == "contacts" else companies):
                index = self.rng.randint(1, size)
                with self.lock:
                    changes[index] = {"updated_at": now}
                    self.mutations += 1
                touched[kind].append(base + index)
        return touched
