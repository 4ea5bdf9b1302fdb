"""What a ticket pass emitted at its bookmark's second, kept in the STATE for the next run."""

from __future__ import annotations

import typing as t

from tap_freshdesk.streams.tickets.window import served_after, updated_at_of

if t.TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

    import requests


#: The state key, beside a ticket partition's bookmark, of what was emitted at its second.
EMITTED_AT_BOOKMARK = "emitted_at_bookmark"
#: Ids remembered at most: past this, the rest of a bulk-stamped second is read again.
EMITTED_IDS_CAP = 5000


class BoundaryMemory:
    """What a run emitted at its bookmark's second, so the next run need not emit it again.

    The bookmark is inclusive (timestamps have one-second precision, so a later ticket may
    share the last second read), and each ticket it re-reads costs a conversations call. A
    ticket read after its second was over by Freshdesk's clock (the page's `Date`, whole seconds,
    a second later still: the list is queried a moment before the answer is stamped) can change
    again only with a later `updated_at`, so listing it again at that second means it did not
    change: such ids are kept in the STATE (`{"at": second, "ids": [...]}`) and dropped next
    run. A ticket read while its second was still going on may have changed within it
    unseen: it is not remembered, and the next run reads it again.
    """

    def __init__(self) -> None:
        # Listed at least once while their second was going on.
        self._open: set[tuple[t.Any, t.Any]] = set()
        # Listed so the last time: the copy the stream is about to emit, if it emits one.
        self._last_listed_open: set[tuple[t.Any, t.Any]] = set()

    def read(self, response: requests.Response, records: list[dict[str, t.Any]]) -> None:
        """Note the records this page listed while their second was not over yet."""
        for record in records:
            if not isinstance(record, dict):
                continue  # odd: set aside by the stream, never remembered
            second = updated_at_of(record)
            key = (record.get("id"), record.get("updated_at"))
            if second is None or not served_after(response, second):
                self._open.add(key)
                self._last_listed_open.add(key)
            else:
                self._last_listed_open.discard(key)

    def settled(self, record: dict[str, t.Any]) -> bool:
        """Whether the record's latest listing came after its second was over.

        Such a copy is final: a later change moves `updated_at`. A copy listed while its second
        went on may miss a change made later that second (a reply, whose ticket keeps its
        `updated_at`); its thread was read then too. The stream emits such a ticket again when
        the list shows it again (window.drop_boundary_repeats).
        """
        return (record.get("id"), record.get("updated_at")) not in self._last_listed_open

    def emitted(self, state: dict[str, t.Any], record: dict[str, t.Any]) -> None:
        """Remember a record written at the partition's bookmark (its state `state`)."""
        updated_at = record.get("updated_at")
        if updated_at is None or updated_at != state.get("replication_key_value"):
            return
        memory = state.get(EMITTED_AT_BOOKMARK)
        if not isinstance(memory, dict) or memory.get("at") != updated_at:
            memory = state[EMITTED_AT_BOOKMARK] = {"at": updated_at, "ids": []}
        ids = memory["ids"]
        ident = record.get("id")
        if (
            ident is not None
            and (ident, updated_at) not in self._open
            and len(ids) < EMITTED_IDS_CAP
        ):
            ids.append(ident)


def drop_already_emitted(
    state: dict[str, t.Any], records: Iterable[dict[str, t.Any]]
) -> Iterator[dict[str, t.Any]]:
    """Drop the records the previous run emitted at its bookmark and that have not changed."""
    memory = state.get(EMITTED_AT_BOOKMARK)
    if not isinstance(memory, dict) or not isinstance(memory.get("ids"), list):
        yield from records
        return
    at, ids = memory.get("at"), set(memory["ids"])
    for record in records:
        if isinstance(record, dict) and record.get("updated_at") == at and record.get("id") in ids:
            continue
        yield record
