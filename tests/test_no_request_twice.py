"""Reading ahead never costs a request: what a sync sends at `max_concurrency` 4 it sends at 1.

Freshdesk counts every request against the account's rate limit, so a child list read ahead
must be the very list the sync then writes. Folders are listed without their `category_id`
(see tests/simulator/knowledge.py): before the tap named it ahead of the look-ahead, the
articles of every knowledge-base folder were requested twice (issue 25, item 8).
"""

from __future__ import annotations

from collections import Counter

import pytest

from tap_freshdesk.streams import STREAM_TYPES
from tests.harness import run_tap

EVERY_STREAM = [stream.name for stream in STREAM_TYPES]
#: Lists below a parent: what the look-ahead reads.
CHILD_LISTS = ("/articles", "/subfolders", "/folders", "/conversations", "/responses", "/topics")


def sent(log) -> Counter[str]:
    """Each request (path and query) by the number of times it was answered, 429s aside."""
    return Counter(f"{r.path}?{sorted(r.query.items())}" for r in log if r.status != 429)


@pytest.mark.simulator(tickets=40, long_thread=0, solution_articles=30, long_folder_articles=5)
def test_a_full_sync_sends_the_same_requests_with_and_without_the_look_ahead(simulator, config):
    alone = run_tap({**config, "max_concurrency": 1}, streams=EVERY_STREAM)
    served_alone = len(simulator.request_log)
    pooled = run_tap({**config, "max_concurrency": 4}, streams=EVERY_STREAM)

    assert alone.returncode == pooled.returncode == 0, alone.stderr[-2000:] + pooled.stderr[-2000:]
    one, four = (
        sent(simulator.request_log[:served_alone]),
        sent(simulator.request_log[served_alone:]),
    )
    articles = [request for request in four if "/articles" in request]
    assert len(articles) >= len(pooled.records("solution_folders")) > 0
    assert four == one
    children = {request: n for request, n in four.items() if any(c in request for c in CHILD_LISTS)}
    assert {request: n for request, n in children.items() if n > 1} == {}
