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


def repeats_the_design_does_not_need(requests: Counter[str]) -> dict[str, int]:
    """Requests sent more than once, but page 1 of a list of several pages.

    A list is read from its last page back (tap_freshdesk.pagination.TailFirstPaginator): page 1
    is read first to find the end, and read again last, since a record removed meanwhile moves
    a later one onto it. One extra request per list of more than one page, none for one page.
    """
    paths = {request.split("?")[0] for request in requests if "('page', '2')" in request}
    return {
        request: n
        for request, n in requests.items()
        if n > 1 and not (n == 2 and "('page', '1')" in request and request.split("?")[0] in paths)
    }


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
    children = Counter(
        {request: n for request, n in four.items() if any(c in request for c in CHILD_LISTS)}
    )
    assert repeats_the_design_does_not_need(children) == {}
