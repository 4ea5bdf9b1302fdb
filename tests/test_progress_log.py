"""A sync's log says what it is doing, in a few lines rather than one per request or ticket."""

from __future__ import annotations

import pytest

from tests.harness import run_tap


@pytest.mark.simulator(tickets=300)
def test_a_sync_ends_with_a_summary_and_no_line_per_ticket(simulator, config):
    run = run_tap(config, streams=["tickets", "conversations"])

    assert run.returncode == 0, run.stderr
    lines = run.stderr.splitlines()
    assert len(lines) < 60, "the log grows with the number of tickets"
    assert not [line for line in lines if "METRIC" in line]
    start = next(i for i, line in enumerate(lines) if "Sync finished in" in line)
    table = {line.split()[0]: line.split()[1:] for line in lines[start + 2 :] if line.strip()}
    conversations = len(run.records("conversations"))
    assert table["conversations"][0] == f"{conversations:,}"
    assert int(table["tickets"][1]) == sum(
        1 for r in simulator.request_log if r.path.endswith("/tickets")
    )
