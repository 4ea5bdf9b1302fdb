"""A 200 whose body is one object where a list belongs: retried, then one line; nothing lost.

Read as one record, such a body was set aside (it has no `id`) and the page's records were
lost: for a ticket's conversations for good, since the ticket's bookmark moved on (exit 0).
It is now a body the tap cannot read, retried for `max_retry_seconds` like one cut short,
then fatal in one line, before the ticket's bookmark moves: the next run reads it again.
"""

from __future__ import annotations

from tests.harness import run_tap
from tests.simulator import Simulator, SimulatorConfig

SIZES = {"seed": 4, "tickets": 30, "contacts": 30, "companies": 2, "burst_size": 0}


def thread_of(sim: Simulator) -> tuple[int, set[int]]:
    """A live ticket with conversations, and their ids."""
    threads: dict[int, set[int]] = {}
    for conversation in sim.truth("conversations"):
        threads.setdefault(conversation["ticket_id"], set()).add(conversation["id"])
    ticket = max(threads, key=lambda t: len(threads[t]))
    return ticket, threads[ticket]


def test_an_object_where_a_list_belongs_is_retried_and_nothing_is_lost():
    with Simulator(SimulatorConfig(**SIZES)) as sim:
        ticket, conversations = thread_of(sim)
        sim.fail_next("object_body", count=2, path_prefix=f"/api/v2/tickets/{ticket}/")
        sim.fail_next("object_body", count=1, path_prefix="/api/v2/contacts")
        settings = {"api_key": sim.api_key, "base_url": sim.base_url, "page_size": 10}
        run = run_tap(settings, streams=["tickets", "conversations", "contacts"])

        assert run.returncode == 0, run.stderr[-2000:]
        assert conversations <= set(run.ids("conversations"))
        assert set(run.ids("contacts")) == {c["id"] for c in sim.truth("contacts")}
        retried = [line for line in run.stderr.splitlines() if "one object, not a list" in line]
        assert len(retried) == 3, retried
        assert "set aside" not in run.stderr


def test_an_object_that_stays_ends_the_sync_in_one_line_and_the_next_run_reads_it():
    with Simulator(SimulatorConfig(**SIZES)) as sim:
        ticket, conversations = thread_of(sim)
        # Two tries fit in a second of retries (waits of 0.5 to 1 s, then 1 to 2 s): both refused.
        sim.fail_next("object_body", count=2, path_prefix=f"/api/v2/tickets/{ticket}/")
        settings = {"api_key": sim.api_key, "base_url": sim.base_url, "page_size": 10}
        run = run_tap({**settings, "max_retry_seconds": 1}, streams=["tickets", "conversations"])

        assert run.returncode == 1
        assert "Traceback" not in run.stderr
        errors = [line for line in run.stderr.splitlines() if "| ERROR" in line]
        assert len(errors) == 1, errors
        assert f"/tickets/{ticket}/conversations, but the body is one object" in errors[-1]
        assert not conversations & set(run.ids("conversations"))

        resumed = run_tap(settings, state=run.state, streams=["tickets", "conversations"])

        assert resumed.returncode == 0, resumed.stderr[-2000:]
        assert conversations <= set(resumed.ids("conversations"))
