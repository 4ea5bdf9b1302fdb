"""The ticket list's queries: a ticket's state and shape, views, order, archive, conversations.

Queries walk the seeded id ranges lazily and merge in the overlay of tickets changed at run
time, so a page costs the page, not the account.
"""

from __future__ import annotations

import bisect
import heapq
from collections.abc import Hashable, Iterable, Iterator
from typing import Any

from tests.simulator.state import DELETED, PURGED, SPAM, AccountState, TicketChange

DESCRIPTION_FIELDS = ("description", "description_text", "structured_description")
EMBEDDED = ("stats", "requester", "company")
CLOSED = 5  # ticket status


def list_shape(ticket: dict[str, Any], includes: Iterable[str] = ()) -> dict[str, Any]:
    """Return a full ticket as the list serves it: description and embeds only when included."""
    wanted = set(includes)
    record = dict(ticket)
    if "description" not in wanted:
        for name in DESCRIPTION_FIELDS:
            record.pop(name, None)
    for name in EMBEDDED:
        if name not in wanted:
            record.pop(name, None)
    return record


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


class TicketRecords(AccountState):
    """Tickets and their conversations as GET /tickets and its children list them."""

    def ticket_state(self, ticket_id: int) -> TicketChange | None:
        """Return created, updated, deleted and spam of a ticket; None when it does not exist.

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
        if kind == PURGED or (kind is not None and self.in_archived_history(ticket_id)):
            return None
        return TicketChange(
            created=self.timeline.created[ticket_id - 1],
            updated=self.timeline.updated[ticket_id - 1],
            deleted=kind == DELETED,
            spam=kind == SPAM,
        )

    def ticket(self, ticket_id: int) -> dict[str, Any] | None:
        """Return the full ticket (description and embeddable objects included), or None."""
        state = self.ticket_state(ticket_id)
        if state is None:
            return None
        record = self.factory.ticket(ticket_id, state.created, state.updated)
        if state.status is not None:
            record["status"] = state.status
        flagged = self.config.flag_removed_records
        record["spam"] = state.spam and flagged
        self.custom.apply("ticket_fields", record, state.updated)
        if state.deleted and flagged:
            # Freshdesk adds `deleted` to a ticket only once it is in the trash.
            record["deleted"] = True
        return record

    def in_archived_history(self, ticket_id: int) -> bool:
        """Whether a seeded id is in the oldest `archive_oldest_share` of the history.

        There, deleted and spam tickets are gone for good: Freshdesk removes tickets left 30
        days in Trash or Spam (Freshworks support article 228016).
        """
        share = self.config.archive_oldest_share
        return share is not None and ticket_id <= self.timeline.count * share

    def is_live(self, ticket_id: int) -> bool:
        """Tell whether the default view lists the ticket: neither deleted, spam nor archived."""
        state = self.ticket_state(ticket_id)
        return (
            state is not None
            and not (state.deleted or state.spam)
            and not self.is_archived(ticket_id, state)
        )

    def is_archived(self, ticket_id: int, state: TicketChange | None = None) -> bool:
        """Tell whether the ticket is archived: closed, idle `archive_after_days`, or archived now.

        Freshdesk archives closed tickets inactive for 120 days (support article 212901); they
        then leave every list and `/tickets/{id}`, and `/tickets/archived/{id}` serves them.
        """
        state = state or self.ticket_state(ticket_id)
        if state is None or state.deleted or state.spam:
            return False
        if ticket_id in self.archived_ids:
            return True
        if self.in_archived_history(ticket_id) and ticket_id not in self.ticket_changes:
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
        archiving = (
            self.config.archive_after_days is not None
            or bool(self.config.archive_oldest_share)
            or bool(self.archived_ids)
        )
        gone = set(self.purged_ids)

        def seeded(ids: Iterable[int]) -> Iterator[int]:
            for ident in ids:
                if ident in changes or ident in gone:
                    continue
                if want is not None and self.in_archived_history(ident):
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
        """Return every ticket id, seeded then created at run time, ascending."""
        with self.lock:
            created = sorted(i for i in self.ticket_changes if i > self.timeline.count)
        return [*range(1, self.timeline.count + 1), *created]

    def conversations(
        self, ticket_id: int, *, archived: bool = False
    ) -> list[dict[str, Any]] | None:
        """Return a ticket's conversations, oldest first; None if it is missing, deleted or spam.

        None too if the ticket is archived, unless `archived` (then None unless archived).
        """
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
        with self.lock:
            gone = set(self.deleted_conversations)
        return [r for r in records if r["id"] not in gone] if gone else records
