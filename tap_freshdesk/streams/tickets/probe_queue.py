"""The archived-ticket probe's queue: which ticket ids are still to be looked up, across runs.

Ticket ids are sequential per account, and no list serves archived tickets, so the probe looks
up every id no list returned. Its STATE (`id_probe` in the probe partition's state) holds:

- `settled`: every id up to it was listed by some run, or looked up, or is in `pending`;
- `pending`: the ids still to look up, as ascending, disjoint `[low, high]` ranges;
- `live_until`: ids up to it that the archive does not have may be live tickets no list could
  reach (a list met Freshdesk's 300-page cap), so they are looked up at `/tickets/{id}` too;
- `live_check`: a list of a run that has not reached its probe yet met the cap: the next probe
  sets `live_until` to its `settled`.

A queue read from no STATE starts at id 1, whatever `start_date` says: a ticket created before
`start_date` can be updated after it and archived 120 days later, so ids and `updated_at` do not
move together and no listed id is a safe floor. The STATE's ranges are capped in number: past
`MAX_STATE_RANGES`, the smallest holes between ranges are written as pending too. That only ever
adds ids (a resumed run looks them up once more, one request each), so it loses nothing, and a
STATE stays a few kilobytes however many gaps the account has.
"""

from __future__ import annotations

import bisect
import heapq
import typing as t
from dataclasses import dataclass, field

from tap_freshdesk.http.errors import InvalidInputError

if t.TYPE_CHECKING:
    from collections.abc import Iterator

#: Where the probe partition's state keeps the queue.
STATE_KEY = "id_probe"
#: Most `pending` ranges one STATE holds (about 15 bytes each).
MAX_STATE_RANGES = 1000
#: Highest ticket id a STATE may name. Ticket ids count an account's tickets from 1 (display
#: ids), so a larger value is a damaged STATE, whose probe would never end.
MAX_TICKET_ID = 2**31 - 1


class ListedIds:
    """The ticket ids this run's lists returned, one bit per id."""

    def __init__(self) -> None:
        self._bits = bytearray()
        self.highest = 0

    def add(self, ticket_id: int) -> None:
        """Note `ticket_id` as listed; ids beyond MAX_TICKET_ID are not ticket ids, ignored."""
        if not 0 < ticket_id <= MAX_TICKET_ID:
            return
        byte = ticket_id >> 3
        if byte >= len(self._bits):
            self._bits.extend(bytes(byte + 1 - len(self._bits) + 4096))
        self._bits[byte] |= 1 << (ticket_id & 7)
        self.highest = max(self.highest, ticket_id)

    def __contains__(self, ticket_id: object) -> bool:
        if not isinstance(ticket_id, int) or ticket_id < 0 or ticket_id >> 3 >= len(self._bits):
            return False
        return bool(self._bits[ticket_id >> 3] & (1 << (ticket_id & 7)))


@dataclass
class ProbeQueue:
    """The ids to look up; see the module docstring for what each field promises."""

    settled: int = 0
    pending: list[list[int]] = field(default_factory=list)
    live_until: int = 0
    live_check: bool = False
    #: Whether the queue came from a STATE that had probed before (else it starts at id 1).
    started: bool = False

    @classmethod
    def from_state(cls, value: t.Any) -> ProbeQueue:
        """Read the queue a previous run left; a fresh one when there is none.

        A damaged value (not numbers, ranges out of order or past `settled`, ids no account
        has) ends the sync with one line naming the key: guessing could skip tickets for good.
        """
        if value is None:
            return cls()
        if not isinstance(value, dict):
            _damaged("is not an object")
        live_until = _whole(value.get("live_until", 0), "live_until")
        live_check = value.get("live_check", False) is True
        if "settled" not in value:  # only a page-cap note so far: the probe has not started
            return cls(live_until=live_until, live_check=live_check)
        settled = _whole(value["settled"], "settled")
        pending = value.get("pending", [])
        if not isinstance(pending, list):
            _damaged("has a `pending` that is not a list")
        ranges: list[list[int]] = []
        for item in pending:
            if not (isinstance(item, list) and len(item) == 2):
                _damaged("has a `pending` item that is not a [low, high] pair")
            low, high = _whole(item[0], "pending"), _whole(item[1], "pending")
            if not 0 < low <= high <= settled or (ranges and low <= ranges[-1][1]):
                _damaged(
                    f"has a `pending` range [{low}, {high}] out of order or past `settled` "
                    f"({settled})"
                )
            ranges.append([low, high])
        return cls(settled, ranges, live_until, live_check, started=True)

    def to_state(self) -> dict[str, t.Any]:
        """Return the queue as the STATE keeps it: at most MAX_STATE_RANGES ranges."""
        return {
            "settled": self.settled,
            "pending": coarsened(self.pending, MAX_STATE_RANGES),
            "live_until": self.live_until,
            **({"live_check": True} if self.live_check else {}),
        }

    def add_gaps(self, listed: ListedIds) -> None:
        """Queue the ids above `settled`, up to the highest listed, that no list returned."""
        run_start: int | None = None
        for ticket_id in range(self.settled + 1, listed.highest + 1):
            if ticket_id in listed:
                if run_start is not None:
                    self.pending.append([run_start, ticket_id - 1])
                    run_start = None
            elif run_start is None:
                run_start = ticket_id
        if run_start is not None:
            self.pending.append([run_start, listed.highest])
        self.settled = max(self.settled, listed.highest)
        self.started = True
        if self.live_check:
            self.live_until, self.live_check = self.settled, False

    def ids(self) -> Iterator[int]:
        """Every queued id, ascending (a snapshot: probing does not change what it yields)."""
        for low, high in [list(r) for r in self.pending]:
            yield from range(low, high + 1)

    def done(self, ticket_id: int) -> None:
        """Drop `ticket_id` from the queue (ids refused this run stay, for a later run)."""
        at = bisect.bisect_right(self.pending, [ticket_id, MAX_TICKET_ID + 1]) - 1
        if at < 0 or self.pending[at][1] < ticket_id:
            return
        low, high = self.pending[at]
        if low == high:
            del self.pending[at]
        elif ticket_id == low:
            self.pending[at][0] = low + 1
        elif ticket_id == high:
            self.pending[at][1] = high - 1
        else:
            self.pending[at : at + 1] = [[low, ticket_id - 1], [ticket_id + 1, high]]

    @property
    def size(self) -> int:
        """How many ids are still queued."""
        return sum(high - low + 1 for low, high in self.pending)


def coarsened(ranges: list[list[int]], most: int) -> list[list[int]]:
    """`ranges` in at most `most` ranges: the smallest holes between them filled in."""
    if len(ranges) <= most:
        return [list(r) for r in ranges]
    holes = ((ranges[i + 1][0] - ranges[i][1], i) for i in range(len(ranges) - 1))
    kept = {i for _, i in heapq.nlargest(most - 1, holes)}
    merged = [list(ranges[0])]
    for i in range(1, len(ranges)):
        if i - 1 in kept:
            merged.append(list(ranges[i]))
        else:
            merged[-1][1] = ranges[i][1]
    return merged


def _whole(value: t.Any, key: str) -> int:
    """Return an id of the STATE, refusing anything but a whole number up to MAX_TICKET_ID."""
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_TICKET_ID:
        _damaged(f"has a `{key}` that is not a ticket id ({str(value)[:40]!r})")
    return value


def _damaged(problem: str) -> t.NoReturn:
    msg = (
        f"The state's `{STATE_KEY}` of tickets {problem}: correct it, or remove `{STATE_KEY}` "
        "from the state to probe every ticket id again."
    )
    raise InvalidInputError(msg)
