"""When a STATE is due, on a fake clock: every thousand records, or every few seconds with records.

tests/test_state_cadence.py holds the same cadence to a whole sync against the simulator.
"""

from __future__ import annotations

import threading

import pytest

from tap_freshdesk.sync.state_cadence import STATE_EVERY_RECORDS, STATE_EVERY_SECONDS, StateCadence
from tests.unit.fake_clock import FakeClock

pytestmark = pytest.mark.unit


def test_a_state_is_due_after_a_thousand_records_or_a_few_seconds_with_records():
    now = [0.0]
    cadence = StateCadence(every_records=1000, every_seconds=5.0, clock=lambda: now[0])
    assert not cadence.due()
    for _ in range(999):
        cadence.record()
    assert not cadence.due()
    cadence.record()
    assert cadence.due()
    cadence.written()
    now[0] = 10.0
    assert not cadence.due(), "no record since the last STATE: nothing to cover"
    cadence.record()
    assert cadence.due()


def test_the_seconds_count_from_the_first_record_of_a_run():
    clock = FakeClock(now=0.0)
    cadence = StateCadence(clock=clock)
    clock.advance(60)  # discovery and the first page: no record yet, nothing due
    assert not cadence.due()

    cadence.record()
    clock.advance(STATE_EVERY_SECONDS - 0.001)
    assert not cadence.due()
    clock.advance(0.001)
    assert cadence.due()


def test_a_written_state_restarts_both_counts():
    clock = FakeClock(now=0.0)
    cadence = StateCadence(clock=clock)
    for _ in range(STATE_EVERY_RECORDS):
        cadence.record()
    clock.advance(STATE_EVERY_SECONDS)
    cadence.written()

    for _ in range(STATE_EVERY_RECORDS - 1):
        cadence.record()
    clock.advance(STATE_EVERY_SECONDS - 0.001)
    assert not cadence.due(), "counted records or seconds from before the last STATE"


def test_records_counted_from_many_threads_are_all_counted():
    """Children are written from the prefetch pool's threads: no count may be lost."""
    cadence = StateCadence(every_records=4000, clock=FakeClock())
    threads = [
        threading.Thread(target=lambda: [cadence.record() for _ in range(1000)]) for _ in range(4)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert cadence.due()
