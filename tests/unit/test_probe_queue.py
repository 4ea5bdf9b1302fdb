"""The archived-ticket probe's queue, in memory: what it queues, keeps and writes to STATE."""

from __future__ import annotations

import random

import pytest

from tap_freshdesk.http.errors import InvalidInputError
from tap_freshdesk.streams.tickets.probe_queue import (
    MAX_STATE_RANGES,
    ListedIds,
    ProbeQueue,
    coarsened,
)

pytestmark = pytest.mark.unit


def listed(*ticket_ids: int) -> ListedIds:
    found = ListedIds()
    for ticket_id in ticket_ids:
        found.add(ticket_id)
    return found


def test_a_fresh_queue_starts_at_id_1_however_high_the_lowest_listed_id():
    queue = ProbeQueue.from_state(None)
    queue.add_gaps(listed(900, 902, 1000))

    assert queue.pending[0] == [1, 899]
    assert queue.pending == [[1, 899], [901, 901], [903, 999]]
    assert queue.settled == 1000


def test_a_later_run_queues_only_ids_above_settled():
    queue = ProbeQueue.from_state({"settled": 10, "pending": [[4, 4]]})
    queue.add_gaps(listed(3, 12, 15))

    assert queue.pending == [[4, 4], [11, 11], [13, 14]]


def test_a_refused_id_stays_queued_while_the_ids_around_it_go():
    queue = ProbeQueue(settled=10, pending=[[1, 10]], started=True)
    for ticket_id in range(1, 11):
        if ticket_id != 4:
            queue.done(ticket_id)

    assert queue.pending == [[4, 4]]
    assert queue.size == 1


def test_a_page_cap_note_makes_the_next_probe_ask_live_up_to_its_settled():
    queue = ProbeQueue.from_state({"live_check": True})
    assert not queue.started
    queue.add_gaps(listed(5, 40))

    assert queue.live_until == 40
    assert "live_check" not in queue.to_state()


def test_a_state_holds_a_bounded_number_of_ranges_covering_every_pending_id():
    rng = random.Random(3)
    ids = sorted(rng.sample(range(1, 200_000), 20_000))
    queue = ProbeQueue(settled=200_000, pending=[[i, i] for i in ids], started=True)

    written = queue.to_state()["pending"]

    assert len(written) == MAX_STATE_RANGES
    assert all(any(low <= i <= high for low, high in written) for i in ids[::97])
    assert ProbeQueue.from_state(queue.to_state()).size >= len(ids)


def test_coarsening_fills_the_smallest_holes_first():
    assert coarsened([[1, 1], [3, 3], [100, 100]], 2) == [[1, 3], [100, 100]]


@pytest.mark.parametrize(
    "value",
    [
        "abc",
        {"settled": "abc"},
        {"settled": True, "pending": []},
        {"settled": 10, "pending": [[5, 3]]},
        {"settled": 10, "pending": [[1, 11]]},
        {"settled": 10, "pending": [[4, 6], [2, 3]]},
        {"settled": 10, "pending": [[1, 2, 3]]},
        {"settled": 2**40, "pending": []},
    ],
)
def test_a_damaged_state_is_refused_naming_the_key(value):
    with pytest.raises(InvalidInputError, match="`id_probe` of tickets"):
        ProbeQueue.from_state(value)


def test_ids_no_account_has_are_not_noted_as_listed():
    found = listed(2**40, 7)

    assert found.highest == 7
    assert 7 in found
