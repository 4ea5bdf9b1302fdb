"""Every stream beyond the core ones: all pages, every child of every parent, incremental runs,
and endpoints an account lacks skipped with one warning."""

from __future__ import annotations

from collections import Counter

import pytest

from tap_freshdesk.streams import STREAM_TYPES
from tests.harness import run_tap

#: Streams read whole on every run, since their children are found only by listing them.
PARENTS = {
    "canned_response_folders",
    "solution_categories",
    "solution_folders",
    "discussion_categories",
    "discussion_forums",
    "discussion_topics",
}
#: Selected by default, but empty until their setting turns them on (a request per ticket
#: each): tests/test_ticket_extras.py.
TURNED_ON_BY_A_SETTING = {"ticket_watchers", "ticket_summaries"}
ON_BY_DEFAULT = [
    s.name for s in STREAM_TYPES if s.selected_by_default and s.name not in TURNED_ON_BY_A_SETTING
]


def keyed(stream: str, record: dict) -> tuple:
    """A record's identity: its id, or the primary key a stream without one-column ids uses."""
    if stream == "automation_rules":
        return record["automation_type_id"], record["id"]
    if stream == "settings":
        return (record["primary_language"],)
    return (record["id"],)


@pytest.mark.simulator(tickets=60)
def test_every_stream_emits_every_record_the_account_holds(simulator, config):
    run = run_tap(config)

    assert run.returncode == 0, run.stderr
    for stream in ON_BY_DEFAULT:
        if stream == "ticket_activities":  # no id: tests/test_ticket_activities.py
            continue
        emitted = Counter(keyed(stream, r) for r in run.records(stream))
        truth = Counter(keyed(stream, r) for r in simulator.truth(stream))
        assert emitted == truth, stream
    assert len(run.records("ticket_activities")) == len(simulator.truth("ticket_activities"))


@pytest.mark.simulator(tickets=10)
def test_children_carry_their_parents_ids(simulator, config):
    streams = ["solution_folders", "solution_articles", "discussion_forums", "automation_rules"]
    run = run_tap(config, streams=streams)

    folders = {f["id"]: f for f in simulator.truth("solution_folders")}
    assert {f["id"]: f["category_id"] for f in run.records("solution_folders")} == {
        i: f["category_id"] for i, f in folders.items()
    }
    subfolders = [f for f in run.records("solution_folders") if f["parent_folder_id"]]
    assert subfolders, "the simulator's sub-folders were never listed"
    for article in run.records("solution_articles"):
        assert article["folder_id"] in folders
    forums = run.records("discussion_forums")
    assert forums and all(f["category_id"] is not None for f in forums)
    assert {r["automation_type_id"] for r in run.records("automation_rules")} == {1, 3, 4}


@pytest.mark.simulator(tickets=10)
def test_children_past_one_page_are_all_read(simulator, config):
    run = run_tap(config, streams=["solution_articles", "discussion_comments"])

    per_folder = Counter(a["folder_id"] for a in run.records("solution_articles"))
    per_topic = Counter(c["topic_id"] for c in run.records("discussion_comments"))
    assert max(per_folder.values()) > 100
    assert max(per_topic.values()) > 100
    assert sorted(run.ids("solution_articles")) == sorted(
        a["id"] for a in simulator.truth("solution_articles")
    )


@pytest.mark.simulator(tickets=10)
def test_second_run_emits_only_what_changed_in_the_new_streams(simulator, config):
    streams = ["solution_articles", "canned_responses", "discussion_comments", "skills"]
    first = run_tap(config, streams=streams)
    assert first.returncode == 0, first.stderr

    touched = simulator.mutate(solution_articles=3, canned_responses=2, discussion_comments=2)
    second = run_tap(config, state=first.state, streams=streams)

    assert second.returncode == 0, second.stderr
    for stream in ("solution_articles", "canned_responses", "discussion_comments"):
        emitted = set(second.ids(stream))
        assert set(touched[stream]) <= emitted, stream
        assert len(emitted) < len(simulator.truth(stream)) // 2, f"{stream} re-read everything"
    latest = max(s["updated_at"] for s in simulator.truth("skills"))
    assert {s["updated_at"] for s in second.records("skills")} <= {latest}, "only the boundary"


@pytest.mark.simulator(
    tickets=10,
    disabled_features={"skills", "solution_categories"},
    missing_features={"discussion_categories"},
)
def test_endpoints_the_account_lacks_are_skipped_with_one_warning(simulator, config):
    run = run_tap(config)

    assert run.returncode == 0, run.stderr
    for stream in ("skills", "solution_categories", "discussion_categories"):
        warnings = [line for line in run.stderr.splitlines() if f"Skipping stream {stream}" in line]
        assert len(warnings) == 1, (stream, warnings)
        assert not run.records(stream)
    assert not run.records("solution_articles")
    assert not run.records("discussion_comments")
    assert len(run.records("tickets")) == len(simulator.truth("tickets"))
    assert "Traceback" not in run.stderr
