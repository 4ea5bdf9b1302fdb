"""Every stream the tap declares, against one simulated account: every record once, across
pages, children of every parent, flags of removed records, incremental runs, and endpoints an
account lacks skipped with one warning.

Driven by the tap's own stream list: a stream added to `STREAM_TYPES` is checked here with no
edit, unless it is named below with the reason it is checked elsewhere.
"""

from __future__ import annotations

from collections import Counter

import pytest

from tap_freshdesk.streams import STREAM_TYPES
from tests.harness import run_tap

#: Selected by default, but empty until their setting turns them on (a request per ticket
#: each): tests/test_ticket_extras.py.
TURNED_ON_BY_A_SETTING = {"ticket_watchers", "ticket_summaries"}
ON_BY_DEFAULT = [
    s.name for s in STREAM_TYPES if s.selected_by_default and s.name not in TURNED_ON_BY_A_SETTING
]
#: Records without an id: counted, and checked field by field in tests/test_ticket_activities.py.
WITHOUT_ID = {"ticket_activities"}


def keyed(stream: str, record: dict) -> tuple:
    """A record's identity: its id, or the primary key a stream without one-column ids uses."""
    if stream == "automation_rules":
        return record["automation_type_id"], record["id"]
    if stream == "settings":
        return (record["primary_language"],)
    return (record["id"],)


@pytest.mark.simulator(tickets=400, contacts=150, companies=40)
def test_every_stream_emits_every_record_once_across_pages(simulator, config):
    run = run_tap({**config, "page_size": 7})

    assert run.returncode == 0, run.stderr
    for stream in ON_BY_DEFAULT:
        truth = simulator.truth(stream)
        assert truth, f"simulator holds no {stream}: the check proves nothing"
        if stream in WITHOUT_ID:
            assert len(run.records(stream)) == len(truth), stream
            continue
        # As many times as the truth holds it: once, or once per language for translated
        # knowledge-base records (same id, another `language`).
        emitted = Counter(keyed(stream, r) for r in run.records(stream))
        assert emitted == Counter(keyed(stream, r) for r in truth), stream


@pytest.mark.simulator(tickets=200)
def test_deleted_and_spam_tickets_arrive_flagged(simulator, config):
    run = run_tap(config, streams=["tickets"])

    by_id = {record["id"]: record for record in run.records("tickets")}
    truth = simulator.truth("tickets")
    deleted = {t["id"] for t in truth if t.get("deleted")}
    spam = {t["id"] for t in truth if t.get("spam")}
    assert deleted and spam
    assert {i for i, r in by_id.items() if r["deleted"]} == deleted
    assert {i for i, r in by_id.items() if r["spam"]} == spam
    assert all(r["deleted"] is False for i, r in by_id.items() if i not in deleted)


@pytest.mark.simulator(tickets=200)
def test_removed_records_can_be_left_out(simulator, config):
    run = run_tap({**config, "include_deleted": False}, streams=["tickets", "contacts"])

    live_tickets = {
        t["id"] for t in simulator.truth("tickets") if not (t.get("deleted") or t.get("spam"))
    }
    live_contacts = {
        c["id"] for c in simulator.truth("contacts") if not (c.get("deleted") or c.get("blocked"))
    }
    assert set(run.ids("tickets")) == live_tickets
    assert set(run.ids("contacts")) == live_contacts


@pytest.mark.simulator(tickets=150)
def test_conversations_past_one_page_are_all_read(simulator, config):
    run = run_tap(config, streams=["tickets", "conversations"])

    per_ticket = Counter(record["ticket_id"] for record in run.records("conversations"))
    truth = Counter(record["ticket_id"] for record in simulator.truth("conversations"))
    assert per_ticket == truth
    assert max(truth.values()) > 100, "no ticket has more than one page of conversations"


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
    tickets=120,
    disabled_features={"satisfaction_ratings", "time_entries", "skills", "solution_categories"},
    missing_features={"discussion_categories"},
)
def test_endpoints_the_account_lacks_are_skipped_with_one_warning(simulator, config):
    """403 (not in the plan, or not the agent's) and 404 (not on the account) alike."""
    run = run_tap(config)

    assert run.returncode == 0, run.stderr
    lacking = ("satisfaction_ratings", "time_entries", "skills", "solution_categories")
    for stream in (*lacking, "discussion_categories"):
        warnings = [line for line in run.stderr.splitlines() if f"Skipping stream {stream}" in line]
        assert len(warnings) == 1, (stream, warnings)
        assert run.records(stream) == [], stream
    assert not run.records("solution_articles")
    assert not run.records("discussion_comments")
    assert set(run.ids("tickets")) == {t["id"] for t in simulator.truth("tickets")}
    assert len(run.records("tickets")) == len(simulator.truth("tickets"))
    assert "Traceback" not in run.stderr


@pytest.mark.simulator(tickets=200, contacts=100, flag_removed_records=False)
def test_the_tap_flags_what_the_removed_views_list_by_itself(simulator, config):
    """Served without `deleted`, `spam` or `blocked`, records of those views arrive flagged."""
    run = run_tap(config, streams=["tickets", "contacts"])
    simulator.configure(flag_removed_records=True)

    assert run.returncode == 0, run.stderr
    for stream, flags in (("tickets", ("deleted", "spam")), ("contacts", ("deleted", "blocked"))):
        emitted = {r["id"]: r for r in run.records(stream)}
        for flag in flags:
            removed = {r["id"] for r in simulator.truth(stream) if r.get(flag)}
            assert removed, f"no {flag} {stream}: the check proves nothing"
            assert {i for i, r in emitted.items() if r.get(flag)} == removed, (stream, flag)
