"""The simulated account: its state, how Freshdesk's list endpoints query it, and run-time changes.

Seeded records are derived on demand (see data.py and timeline.py); only records changed while the
simulator runs are stored, in small overlay dicts. Queries walk the seeded id ranges lazily and
merge in the overlay, so a page costs the page, not the account.
"""

from __future__ import annotations

import bisect
import heapq
import random
import threading
from collections.abc import Hashable, Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import UTC, date
from typing import Any

from tests.simulator import sections, ticket_extras
from tests.simulator.catalog import EDITABLE, HELPDESK_SIZES, KNOWLEDGE_SIZES, Catalog
from tests.simulator.clock import HISTORY_SECONDS, seconds_of, stamp_at
from tests.simulator.config import CORE_SIZES, SimulatorConfig
from tests.simulator.custom_objects import CustomObjects
from tests.simulator.data import (
    ADDED_CONVERSATION_ID_BASE,
    COMPANY_ID_BASE,
    CONTACT_ID_BASE,
    Factory,
)
from tests.simulator.exports import activities_of_day, export_days
from tests.simulator.fields import CustomFields
from tests.simulator.pager import Pager
from tests.simulator.timeline import MAX_LAG_SECONDS, Scatter, TicketTimeline

DELETED, SPAM, PURGED = 0, 1, 2  # ticket Scatter subsets
BLOCKED = 1  # contact Scatter subsets (DELETED is 0 there too)
#: Ticket fields the list leaves out unless `include=description` (accounts after late 2018).
DESCRIPTION_FIELDS = ("description", "description_text", "structured_description")
EMBEDDED = ("stats", "requester", "company")
CLOSED = 5  # ticket status
SMALL_STREAMS = ("agents", "groups", "roles")


@dataclass(frozen=True)
class TicketChange:
    """A ticket as changed at run time (or created then): its stored state."""

    created: int
    updated: int
    deleted: bool = False
    spam: bool = False
    status: int | None = None


def list_shape(ticket: dict[str, Any], includes: Iterable[str] = ()) -> dict[str, Any]:
    """A full ticket as the list serves it: description and embedded objects only when included."""
    wanted = set(includes)
    record = dict(ticket)
    if "description" not in wanted:
        for name in DESCRIPTION_FIELDS:
            record.pop(name, None)
    for name in EMBEDDED:
        if name not in wanted:
            record.pop(name, None)
    return record


def _spread(number: int, count: int) -> int:
    """Seconds after EPOCH of record `number` of `count` spread evenly over the seeded history."""
    return MAX_LAG_SECONDS + number * HISTORY_SECONDS // max(count, 1)


def _first_spread_at_or_after(seconds: int, count: int) -> int:
    """The lowest `number` whose `_spread` is at or after `seconds`."""
    number = max(1, (seconds - MAX_LAG_SECONDS) * count // HISTORY_SECONDS)
    while number > 1 and _spread(number - 1, count) >= seconds:
        number -= 1
    while number <= count and _spread(number, count) < seconds:
        number += 1
    return number


def _ties_ascending(ids_descending: Iterator[int], keys: Any) -> Iterator[int]:
    """Ids in descending key order with equal keys in ascending id order (Freshdesk's tie-break)."""
    group: list[int] = []
    current = None
    for ident in ids_descending:
        key = keys[ident - 1]
        if key != current and group:
            yield from reversed(group)
            group = []
        current = key
        group.append(ident)
    yield from reversed(group)


class Account:
    """Every record of one Freshdesk account, with the list semantics of the real API."""

    def __init__(self, config: SimulatorConfig) -> None:
        self.config = config
        self.sizes = {
            name: config.count(name)
            for name in (
                *CORE_SIZES,
                *HELPDESK_SIZES,
                *KNOWLEDGE_SIZES,
            )
        }
        n = self.sizes["tickets"]
        self.factory = Factory(config.seed, self.sizes, config.boolean_auto_assign)
        self.timeline = TicketTimeline(config.seed, n, config.burst_size)
        self.ticket_kinds = Scatter(
            config.seed,
            n,
            (
                self.sizes["deleted_tickets"],
                self.sizes["spam_tickets"],
                self.sizes["purged_tickets"],
            ),
        )
        self.contact_kinds = Scatter(
            config.seed + 1,
            self.sizes["contacts"],
            (self.sizes["deleted_contacts"], self.sizes["blocked_contacts"]),
        )
        self.long_thread_id = next(
            (i for i in range(min(3, n), n + 1) if self.ticket_kinds.kind(i) is None), 0
        )
        self.lock = threading.RLock()
        self.rng = random.Random(config.seed * 7_919 + 1)
        self.ticket_changes: dict[int, TicketChange] = {}
        #: Tickets archived or deleted for good at run time (`archive_ticket`, `purge_ticket`).
        self.archived_ids: set[int] = set()
        self.purged_ids: set[int] = set()
        self.next_ticket_id = n + 1
        self.added_conversations: dict[int, list[tuple[int, int]]] = {}
        self.next_conversation_id = ADDED_CONVERSATION_ID_BASE + 1
        self.contact_changes: dict[int, int] = {}
        #: Contacts deleted or blocked while the simulator runs: number -> DELETED or BLOCKED.
        self.contact_kind_changes: dict[int, int] = {}
        self.company_changes: dict[int, int] = {}
        #: Companies deleted while the simulator runs: Freshdesk deletes a company for good.
        self.deleted_companies: set[int] = set()
        #: Bumped by every change: cached cursors of older versions are never resumed.
        self.version = 0
        self.mutations = 0
        self.pager = Pager()
        self.custom = CustomFields(config.seed)
        self.catalog = Catalog(config.seed, self.sizes, self.factory)
        self.custom_objects = CustomObjects(
            config.seed, config.custom_object_schemas, config.custom_object_records
        )

    def now_ms(self) -> int:
        """The clock's now in epoch milliseconds, as custom objects stamp their records."""
        return int(self.config.clock().timestamp() * 1000)

    def now(self) -> int:
        """The clock's now as seconds after EPOCH (skew included): later than all history."""
        return seconds_of(self.config.clock()) + self.config.skew_seconds

    # Tickets

    def ticket_state(self, ticket_id: int) -> TicketChange | None:
        """Created, updated, deleted and spam of a ticket; None when it does not exist.

        A ticket deleted for good (emptied from the trash) does not exist any more.
        """
        if ticket_id in self.purged_ids:
            return None
        change = self.ticket_changes.get(ticket_id)
        if change is not None:
            return change
        if not 1 <= ticket_id <= self.timeline.count:
            return None
        kind = self.ticket_kinds.kind(ticket_id)
        if kind == PURGED:
            return None
        return TicketChange(
            created=self.timeline.created[ticket_id - 1],
            updated=self.timeline.updated[ticket_id - 1],
            deleted=kind == DELETED,
            spam=kind == SPAM,
        )

    def ticket(self, ticket_id: int) -> dict[str, Any] | None:
        """The full ticket (description and embeddable objects included), or None."""
        state = self.ticket_state(ticket_id)
        if state is None:
            return None
        record = self.factory.ticket(ticket_id, state.created, state.updated)
        if state.status is not None:
            record["status"] = state.status
        record["spam"] = state.spam
        self.custom.apply("ticket_fields", record, state.updated)
        if state.deleted:
            # Freshdesk adds `deleted` to a ticket only once it is in the trash.
            record["deleted"] = True
        return record

    def is_live(self, ticket_id: int) -> bool:
        """Listed by the default view: neither deleted, spam nor archived."""
        state = self.ticket_state(ticket_id)
        return (
            state is not None
            and not (state.deleted or state.spam)
            and not self.is_archived(ticket_id, state)
        )

    def is_archived(self, ticket_id: int, state: TicketChange | None = None) -> bool:
        """Archived: closed and not updated for `archive_after_days`, or archived at run time.

        Freshdesk archives closed tickets inactive for 120 days (support article 212901); they
        then leave every list and `/tickets/{id}`, and `/tickets/archived/{id}` serves them.
        """
        state = state or self.ticket_state(ticket_id)
        if state is None or state.deleted or state.spam:
            return False
        if ticket_id in self.archived_ids:
            return True
        days = self.config.archive_after_days
        if days is None or state.updated > self.now() - days * 86400:
            return False
        status = state.status
        if status is None:
            status = self.factory.ticket(ticket_id, state.created, state.updated)["status"]
        return status == CLOSED

    def archived_ticket(self, ticket_id: int) -> dict[str, Any] | None:
        """GET /tickets/archived/{id}: the full ticket with `archived: true`; None if not archived.

        Shape from Freshdesk's API reference, "View an Archive Ticket": the ticket's fields,
        `description` and `description_text` included, and `"archived": true`.
        """
        if not self.is_archived(ticket_id):
            return None
        record = list_shape(self.ticket(ticket_id) or {}, ("description",))
        record["archived"] = True
        return record

    def archived_ids_now(self) -> list[int]:
        """Ids of every archived ticket, ascending."""
        return [i for i in self.all_ticket_ids() if self.is_archived(i)]

    def ticket_ids(
        self,
        view: str | None,
        since: int | None,
        window: int | None,
        order_by: str,
        descending: bool,
    ) -> Iterator[int]:
        """Ticket ids as GET /tickets lists them.

        `view` is the `filter` (None, "deleted" or "spam"); `since` the inclusive `updated_since`;
        `window` the 30-day creation floor applied when `updated_since` is absent. Ordering is by
        `order_by` then id ascending.
        """
        with self.lock:
            changes = dict(self.ticket_changes)
        want = {None: None, "deleted": DELETED, "spam": SPAM}[view]

        def shown(ident: int, state: TicketChange) -> bool:
            if want == DELETED:
                return state.deleted
            if want == SPAM:
                return state.spam and not state.deleted
            return not (state.deleted or state.spam or self.is_archived(ident, state))

        changed = [
            ident
            for ident, state in changes.items()
            if ident not in self.purged_ids
            and shown(ident, state)
            and (since is None or state.updated >= since)
            and (window is None or state.created >= window)
        ]
        n = self.timeline.count
        first = 1
        if since is not None:
            first = max(first, self.timeline.first_updated_at_or_after(since))
        if window is not None:
            first = max(first, self.timeline.first_created_at_or_after(window))
        kinds = self.ticket_kinds
        archiving = self.config.archive_after_days is not None or bool(self.archived_ids)
        gone = set(self.purged_ids)

        def seeded(ids: Iterable[int]) -> Iterator[int]:
            for ident in ids:
                if ident in changes or ident in gone:
                    continue
                if want is None and (
                    kinds.kind(ident) is not None or (archiving and self.is_archived(ident))
                ):
                    continue
                yield ident

        if order_by in ("updated_at", "created_at"):
            keys = self.timeline.updated if order_by == "updated_at" else self.timeline.created

            def key_of(ident: int) -> int:
                state = changes.get(ident)
                if state is not None:
                    return state.updated if order_by == "updated_at" else state.created
                return keys[ident - 1]

            if descending:
                if want is None:
                    ids: Iterable[int] = range(n, first - 1, -1)
                else:
                    members = kinds.members[want]
                    ids = reversed(members[bisect.bisect_left(members, first) :])
                seeded_ids = _ties_ascending(seeded(ids), keys)
                changed.sort(key=lambda i: (-key_of(i), i))
                return heapq.merge(seeded_ids, changed, key=lambda i: (-key_of(i), i))
            ids = range(first, n + 1) if want is None else kinds.ids_from(want, first)
            changed.sort(key=lambda i: (key_of(i), i))
            return heapq.merge(seeded(ids), changed, key=lambda i: (key_of(i), i))
        # due_by and status have no index: materialise the candidates (fine for test sizes).
        ids = range(first, n + 1) if want is None else kinds.ids_from(want, first)
        candidates = sorted([*seeded(ids), *changed])
        values = {i: (self.ticket(i) or {}).get(order_by) or "" for i in candidates}
        return iter(sorted(candidates, key=lambda i: values[i], reverse=descending))

    def ticket_page(
        self, params: dict[str, Any], skip: int, take: int
    ) -> tuple[list[dict[str, Any]], bool]:
        """One page of GET /tickets (params already validated) in the full record shape."""
        key: Hashable = ("tickets", self.version, tuple(sorted(params.items())))
        ids, more = self.pager.page(key, lambda: self.ticket_ids(**params), skip, take)
        return [r for r in map(self.ticket, ids) if r is not None], more

    def all_ticket_ids(self) -> list[int]:
        with self.lock:
            created = sorted(i for i in self.ticket_changes if i > self.timeline.count)
        return [*range(1, self.timeline.count + 1), *created]

    # Conversations

    def conversations(
        self, ticket_id: int, *, archived: bool = False
    ) -> list[dict[str, Any]] | None:
        """A ticket's conversations, oldest first; None if it is missing, deleted or spam, or
        archived unless `archived` (then None unless archived)."""
        state = self.ticket_state(ticket_id)
        if state is None or state.deleted or state.spam:
            return None
        if self.is_archived(ticket_id, state) != archived:
            return None
        records = []
        if ticket_id <= self.timeline.count:
            created = self.timeline.created[ticket_id - 1]
            span = self.timeline.updated[ticket_id - 1] - created
            count = self.factory.conversation_count(
                ticket_id, self.long_thread_id, self.config.long_thread
            )
            for position in range(count):
                moment = created + span * (position + 1) // (count + 1)
                records.append(self.factory.conversation(ticket_id, position, moment))
        with self.lock:
            added = list(self.added_conversations.get(ticket_id, ()))
        for position, (ident, moment) in enumerate(added, start=10_000):
            records.append(self.factory.conversation(ticket_id, position, moment, ident))
        return records

    # Contacts and companies

    def contact_state(self, number: int) -> tuple[int, int]:
        """(created, updated) of contact `number`: seeded ones spread evenly, in id order."""
        updated = _spread(number, self.sizes["contacts"])
        created = updated - (number * 7_919) % (30 * 86400)
        return created, self.contact_changes.get(number, updated)

    def contact(self, number: int) -> dict[str, Any]:
        created, updated = self.contact_state(number)
        record = self.factory.contact(number, created, updated)
        kind = self.contact_kind(number)
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
        """DELETED, BLOCKED or None (live): seeded, unless deleted or blocked at run time."""
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
        updated = _spread(number, self.sizes["companies"])
        created = updated - (number * 104_729) % (60 * 86400)
        updated = self.company_changes.get(number, updated)
        record = self.factory.company(number, created, updated)
        return self.custom.apply("company_fields", record, updated)

    def company_numbers(self) -> list[int]:
        """Companies as GET /companies lists them: by id, deleted ones gone."""
        with self.lock:
            deleted = set(self.deleted_companies)
        return [k for k in range(1, self.sizes["companies"] + 1) if k not in deleted]

    # Other streams

    def small(self, stream: str) -> list[dict[str, Any]]:
        """Agents, groups or roles: small tables, listed by id."""
        count = self.sizes[stream]
        build = getattr(self.factory, stream.removesuffix("s"))
        return [build(k, _spread(k, count) - 86400, _spread(k, count)) for k in range(1, count + 1)]

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
        return self.custom.definitions(stream)

    def activities(self, day: date) -> list[dict[str, Any]]:
        """The rows of `day`'s activities export file (exports.py)."""
        return activities_of_day(self, day, self.config.activity_tickets_per_day)

    def translation_languages(self) -> list[str]:
        """The languages other than the primary one that `settings/helpdesk` supports."""
        settings = self.catalog.helpdesk.settings()
        primary = settings.get("primary_language")
        return [code for code in settings.get("supported_languages") or [] if code != primary]

    def add_custom_field(self, entity: str, name: str, kind: str, label: str | None = None) -> int:
        """An admin adds a custom field now; see `CustomFields.add`."""
        with self.lock:
            ident = self.custom.add(entity, name, kind, self.now(), label)
            self._changed()
        return ident

    # What a complete extraction must hold

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
        if stream in ticket_extras.ROUTES:
            return ticket_extras.truth(self, stream)
        if stream == "ticket_activities":
            today = self.config.clock().astimezone(UTC).date()
            return [a for day in export_days(today) for a in self.activities(day)]
        records = self.catalog.truth(stream)
        if records is not None:
            return records
        raise KeyError(f"unknown stream {stream!r}")

    # Run-time changes

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
        """An agent edits the ticket: a new status, and `updated_at` moves to now."""
        with self.lock:
            self.change_ticket(ticket_id, status=self.rng.choice((2, 3, 4, 5, 6)))

    def create_ticket(self) -> int:
        with self.lock:
            ticket_id = self.next_ticket_id
            self.next_ticket_id += 1
            now = self.now()
            self.ticket_changes[ticket_id] = TicketChange(created=now, updated=now)
            self._changed()
        return ticket_id

    def add_conversation(self, ticket_id: int) -> int:
        """A reply or note: the conversation is new and the ticket's `updated_at` moves to now."""
        with self.lock:
            if not self.is_live(ticket_id):
                raise KeyError(f"ticket {ticket_id} is missing, deleted or spam")
            ident = self.next_conversation_id
            self.next_conversation_id += 1
            self.added_conversations.setdefault(ticket_id, []).append((ident, self.now()))
            self.change_ticket(ticket_id)
        return ident

    def update_contact(self, contact_id: int) -> None:
        number = contact_id - CONTACT_ID_BASE
        if not 1 <= number <= self.sizes["contacts"]:
            raise KeyError(f"no contact {contact_id}")
        with self.lock:
            self.contact_changes[number] = self.now()
            self._changed()

    def remove_contact(self, contact_id: int, kind: int) -> None:
        """Delete (DELETED) or block (BLOCKED) a contact now: it leaves the default listing
        for the `state=deleted` / `state=blocked` one, and its `updated_at` moves to now."""
        number = contact_id - CONTACT_ID_BASE
        if not 1 <= number <= self.sizes["contacts"]:
            raise KeyError(f"no contact {contact_id}")
        with self.lock:
            self.contact_kind_changes[number] = kind
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
        """A ticket neither deleted nor spam, chosen by the seeded generator."""
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
