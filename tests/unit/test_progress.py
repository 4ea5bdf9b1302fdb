"""Progress lines on a fake clock: one per interval per busy stream, never one per record.

tests/test_progress_log.py holds a whole sync's log to a few lines against the simulator.
"""

from __future__ import annotations

import logging

import pytest

from tap_freshdesk.http.ratelimit import RateBudget
from tap_freshdesk.sync.progress import REPORT_INTERVAL, Progress

pytestmark = pytest.mark.unit


def test_progress_lines_come_every_interval_per_busy_stream(caplog):
    now = [0.0]
    budget = RateBudget(total=700, remaining=512)
    progress = Progress(logging.getLogger("test-progress"), budget, clock=lambda: now[0])
    caplog.set_level(logging.INFO, "test-progress")

    for _ in range(250):
        progress.record("tickets")
    progress.request("tickets", credits=3)
    assert not caplog.records, "reported before the interval was up"

    now[0] = REPORT_INTERVAL + 1
    progress.record("tickets")
    progress.record("contacts")

    messages = [r.getMessage() for r in caplog.records]
    assert len(messages) == 1
    assert messages[0].startswith("Progress tickets: 251 records, 1 requests (3 credits)")
    assert "512/700 credits left" in messages[0]
