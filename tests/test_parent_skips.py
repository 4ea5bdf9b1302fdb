"""A 403 or 404 on one parent's children skips that parent, not the sync.

Real accounts answer 403 for the conversations of some soft-deleted tickets (singer-io
tap-freshdesk PR #18), and 404 for a ticket deleted since it was listed.
"""

from __future__ import annotations

import pytest

from tests.harness import run_tap

FORBIDDEN = {3, 7, 11}


@pytest.mark.simulator(tickets=40, forbidden_conversations=FORBIDDEN)
def test_tickets_whose_conversations_answer_403_are_skipped_with_one_warning(simulator, config):
    run = run_tap(config, streams=["tickets", "conversations"])

    assert run.returncode == 0, run.stderr
    emitted = {c["id"] for c in run.records("conversations")}
    truth = simulator.truth("conversations")
    assert emitted == {c["id"] for c in truth if c["ticket_id"] not in FORBIDDEN}
    assert {t["id"] for t in run.records("tickets")} >= FORBIDDEN
    warnings = [line for line in run.stderr.splitlines() if "Skipping conversations" in line]
    assert len(warnings) == 1 and "403 Forbidden" in warnings[0]
    summary = next(line for line in run.stderr.splitlines() if line.startswith("conversations "))
    assert summary.split()[-1] == str(len(FORBIDDEN)), "the summary counts the skipped parents"


@pytest.mark.simulator(tickets=40)
def test_a_ticket_deleted_mid_sync_skips_its_conversations_and_is_counted(simulator, config):
    live = [t["id"] for t in simulator.truth("tickets") if not (t.get("deleted") or t.get("spam"))]
    target, deleted = live[3], []

    def delete_before_its_conversations(method, path, query):
        if path.endswith(f"/tickets/{target}/conversations") and not deleted:
            simulator.delete_ticket(target)
            deleted.append(target)

    simulator.on_request(delete_before_its_conversations)
    run = run_tap({**config, "max_concurrency": 1}, streams=["tickets", "conversations"])

    assert run.returncode == 0, run.stderr
    assert deleted and target not in {c["ticket_id"] for c in run.records("conversations")}
    assert "404 Not Found" in next(
        line for line in run.stderr.splitlines() if "Skipping conversations" in line
    )


@pytest.mark.simulator(tickets=20, disabled_features={"time_entries"})
def test_a_403_on_a_list_still_means_the_plan_or_the_keys_privileges(simulator, config):
    run = run_tap(config, streams=["time_entries"])

    assert run.returncode == 0, run.stderr
    assert "Skipping stream time_entries" in run.stderr
    assert "does not include timesheets" in run.stderr
