"""A sync asks Freshdesk each question once: every request counts against the account's budget.

Two requests are sent twice by design, each a second look that guards against a loss:

- The tail-first walk of a list (TailFirstPaginator) probes pages 1, 2, 4… for the
  last page, then reads from the last page back to page 1. A record removed during the walk
  moves the later ones onto pages already read; reading each page after the ones behind it
  turns that into a repeat, never a loss. So the probed pages but the last are read again. A
  one-page list costs one request.
- The ticket window's run check (UpdatedAtWindowPaginator): when more tickets share one
  second than a page holds, the pass's pages but the last are read again once the second is
  over, to confirm no ticket slid away between them.

Everything else is read once, reading ahead or not, in a full sync and in an incremental one.
The lists the tap also reads for itself (field definitions for custom field types and the
dropdowns sections hang off, the helpdesk settings for the translations' languages) are read
once per run for those lookups and their own streams together (issue 26). Reading ahead must
also be the very list the sync then writes: before the tap named a knowledge-base folder's
category ahead of the look-ahead, every folder's articles were requested twice (issue 25).
"""

from __future__ import annotations

from collections import Counter

import pytest

from tap_freshdesk.streams import STREAM_TYPES
from tests.harness import run_tap
from tests.simulator.changes import BUSY_DAY

EVERY_STREAM = [stream.name for stream in STREAM_TYPES]
#: Lists below a parent: what the look-ahead reads.
CHILD_LISTS = ("/articles", "/subfolders", "/folders", "/conversations", "/responses", "/topics")
#: The lists the tap reads for itself as well as for their own streams.
LOOKED_UP = ("/ticket_fields", "/contact_fields", "/company_fields", "/settings/helpdesk")
#: Every stream with data: the per-ticket extras are turned on, custom objects exist.
EVERYTHING = {"include_ticket_watchers": True, "include_ticket_summaries": True}
ACCOUNT = {
    "tickets": 330,
    "long_thread": 0,
    "solution_articles": 30,
    "long_folder_articles": 5,
    "discussion_topics": 20,
    "long_forum_topics": 5,
    "discussion_comments": 30,
    "long_topic_comments": 5,
    "custom_object_schemas": 1,
    "custom_object_records": 130,
}


def key(request) -> str:
    return f"{request.path}?{sorted(request.query.items())}"


def sent(log) -> Counter[str]:
    """Each request (path and query) by the number of times it was answered, 429s aside."""
    return Counter(key(r) for r in log if r.status != 429)


def second_looks(log) -> set[str]:
    """The requests the design sends twice (see the module docstring), from the log alone.

    Both read again pages below the last page of a list (one path and query, `page` aside).
    """
    last_page: dict[str, int] = {}
    for r in log:
        last_page[list_of(r)] = max(last_page.get(list_of(r), 0), int(r.query.get("page", 1)))
    return {key(r) for r in log if int(r.query.get("page", 1)) < last_page[list_of(r)]}


def list_of(request) -> str:
    return f"{request.path}?{sorted((k, v) for k, v in request.query.items() if k != 'page')}"


def twice_without_cause(log) -> dict[str, int]:
    """Requests answered more than once that are not one of the design's second looks."""
    looks = second_looks(log)
    return {
        request: n
        for request, n in sent(log).items()
        if n > 1 and (request not in looks or n > 2)  # a second look is one more, not more
    }


def looked_up(log) -> Counter[str]:
    return Counter(r.path.removeprefix("/api/v2") for r in log if r.path.endswith(LOOKED_UP))


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
    pooled_log = simulator.request_log[served_alone:]
    twice = twice_without_cause(pooled_log)
    assert {
        request: n for request, n in twice.items() if request.split("?")[0].endswith(CHILD_LISTS)
    } == {}


@pytest.mark.simulator(**ACCOUNT)
def test_a_full_sync_of_every_stream_sends_no_request_twice_but_the_second_looks(simulator, config):
    run = run_tap({**config, **EVERYTHING})

    assert run.returncode == 0, run.stderr[-3000:]
    log = simulator.request_log
    assert twice_without_cause(log) == {}
    assert looked_up(log) == dict.fromkeys(looked_up(log), 1)
    assert set(looked_up(log)) == set(LOOKED_UP)
    # The second looks this account calls for did happen: the check is not vacuous.
    looks = {request.split("?")[0].removeprefix("/api/v2") for request in second_looks(log)}
    assert {"/tickets", "/contacts", "/time_entries"} <= looks
    objects = {m["stream"] for m in run.messages if m["type"] == "RECORD"}
    assert any(name.startswith("custom_object_") for name in objects - {"custom_object_schemas"})


@pytest.mark.simulator(**ACCOUNT)
def test_an_incremental_sync_of_every_stream_sends_no_request_twice_but_the_second_looks(
    simulator, config
):
    settings = {**config, **EVERYTHING}
    full = run_tap(settings)
    assert full.returncode == 0, full.stderr[-3000:]
    served_full = len(simulator.request_log)
    touched = simulator.mutate(**BUSY_DAY)
    incremental = run_tap(settings, state=full.state)

    assert incremental.returncode == 0, incremental.stderr[-3000:]
    log = simulator.request_log[served_full:]
    assert twice_without_cause(log) == {}
    assert looked_up(log) == dict.fromkeys(LOOKED_UP, 1)
    assert set(touched["contacts"]) <= set(incremental.ids("contacts"))
    assert set(touched["solution_articles"]) <= set(incremental.ids("solution_articles"))


@pytest.mark.parametrize(
    ("streams", "path"),
    [
        (["tickets", "ticket_fields", "ticket_field_sections"], "/ticket_fields"),
        (["ticket_field_sections", "ticket_fields"], "/ticket_fields"),
        (["settings", "solution_categories"], "/settings/helpdesk"),
    ],
)
@pytest.mark.simulator(tickets=20)
def test_a_list_the_tap_also_reads_for_itself_is_requested_once(simulator, config, streams, path):
    """Custom field types, the sections' dropdowns, the translations' languages and the
    streams' own passes share one read, whichever comes first."""
    run = run_tap(config, streams=streams)

    assert run.returncode == 0, run.stderr[-3000:]
    assert looked_up(simulator.request_log)[path] == 1
    stream = streams[-1] if path == "/ticket_fields" else streams[0]
    own = "ticket_fields" if path == "/ticket_fields" else "settings"
    assert run.records(own), f"{own} emitted nothing"
    assert run.records(stream)


@pytest.mark.simulator(tickets=10, disabled_features={"settings"})
def test_a_refused_lookup_is_asked_once_and_each_reader_warns(simulator, config):
    run = run_tap(config, streams=["settings", "solution_categories"])

    assert run.returncode == 0, run.stderr[-3000:]
    assert looked_up(simulator.request_log)["/settings/helpdesk"] == 1
    assert run.stderr.count("Skipping stream settings") == 1
    assert run.stderr.count("Knowledge-base translations are not extracted") == 1
    assert run.records("solution_categories")
