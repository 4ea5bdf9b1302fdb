"""An odd record or one bad string never stops a sync, and no resume dies on it.

The simulator serves chosen tickets oddly (simulator config ODD_RECORDS): a lone UTF-16
surrogate escape in the subject, no `id`, no `updated_at`, an epoch number or unreadable text
as `updated_at`, an `updated_at` out of order, a list where the record should be. Each sync
ends in exit 0 with every other ticket emitted; the odd one is emitted (repaired where JSON or
the timestamp allows) or set aside, named in a warning and counted in the end summary; the
bookmark skips nothing; `stop_on_odd_records` makes the first one fatal in one line.
"""

from __future__ import annotations

import random
from datetime import datetime

import pytest

from tests.guarantees.support import state_overreach
from tests.harness import run_tap
from tests.simulator import Simulator, SimulatorConfig
from tests.simulator.odd_records import IST

EMITTED = ("lone_surrogate", "no_updated_at", "epoch_updated_at", "unreadable_updated_at")
SET_ASIDE = ("no_id", "list_record")
SEEDS = (1, 2, 3)


def odd_sync(kind: str, seed: int, **settings: object):
    """A tickets sync where three random tickets are odd as `kind`: (run, odd ids, truth)."""
    config = SimulatorConfig(seed=seed, tickets=60, burst_size=0, contacts=5, companies=2)
    with Simulator(config) as sim:
        live = [t["id"] for t in sim.truth("tickets") if not (t.get("deleted") or t.get("spam"))]
        odd = random.Random(seed).sample(live, 3)
        sim.configure(odd_tickets=dict.fromkeys(odd, kind))
        base = {"api_key": sim.api_key, "base_url": sim.base_url, "page_size": 10}
        run = run_tap({**base, **settings}, streams=["tickets"])
        resumed = run_tap({**base, **settings}, state=run.state, streams=["tickets"])
        return run, resumed, odd, sim.truth("tickets")


@pytest.mark.parametrize("kind", [*EMITTED, *SET_ASIDE, "out_of_order"])
def test_an_odd_ticket_is_emitted_or_set_aside_and_the_sync_goes_on(kind):
    for seed in SEEDS:
        run, resumed, odd, truth = odd_sync(kind, seed)

        assert run.returncode == resumed.returncode == 0, run.stderr[-2000:]
        assert "Traceback" not in run.stderr + resumed.stderr
        emitted = set(run.ids("tickets"))
        others = {t["id"] for t in truth} - set(odd)
        assert others <= emitted, f"{kind}, seed {seed}: lost {sorted(others - emitted)[:5]}"
        kept = [t for t in truth if kind not in SET_ASIDE or t["id"] not in odd]
        assert not state_overreach(run.messages, None, {"tickets": kept}), kind
        assert "Odd input this sync: tickets:" in run.stderr, kind
        if kind in SET_ASIDE:
            # The window lists a boundary second twice: a record without id may be named twice.
            assert run.stderr.count("Set aside a tickets record (record ") >= len(odd), kind
        else:
            assert set(odd) <= emitted, f"{kind}: an odd ticket was not emitted"
        records = {r["id"]: r for r in run.records("tickets")}
        if kind == "lone_surrogate":
            assert all(records[i]["subject"].endswith("\ufffd") for i in odd)
            assert "replaced by U+FFFD" in run.stderr
        if kind == "epoch_updated_at":
            truth_by_id = {t["id"]: t for t in truth}
            assert all(records[i]["updated_at"] == truth_by_id[i]["updated_at"] for i in odd)
        if kind in ("no_updated_at", "unreadable_updated_at", "out_of_order"):
            assert any(f"(id {i})" in run.stderr for i in odd), "the warning names no ticket"


def test_stop_on_odd_records_ends_the_sync_in_one_line_naming_the_record():
    run, _, _, _ = odd_sync("no_id", 1, stop_on_odd_records=True)

    assert run.returncode == 1
    errors = [line for line in run.stderr.splitlines() if "| ERROR" in line]
    assert len(errors) <= 2, f"more than the SDK's line and ours: {errors}"
    assert "Set aside a tickets record (record " in errors[-1]
    assert "of the tickets list): no `id`. Stopping" in errors[-1]
    assert "Traceback" not in run.stderr


@pytest.mark.parametrize("kind", ["spaced_updated_at", "offset_updated_at"])
def test_an_updated_at_written_another_way_ends_no_page_and_wedges_no_run(kind):
    """`2025-11-23 12:39:37` or `…T18:09:37+05:30` as the last ticket of its page.

    The SDK compares bookmarks as text: such a value among Freshdesk's own form looked out of
    order and ended every run with exit 1 (InvalidStreamSortException). The value is the same
    instant, emitted in Freshdesk's form; a STATE holding another form resumes too.
    """
    config = SimulatorConfig(seed=2, tickets=60, burst_size=0, contacts=5, companies=2)
    with Simulator(config) as sim:
        truth = {t["id"]: t for t in sim.truth("tickets")}
        removed = {i for i, t in truth.items() if t.get("deleted") or t["spam"]}
        live = sorted((t["updated_at"], i) for i, t in truth.items() if i not in removed)
        last_of_pages = [ident for n, (_, ident) in enumerate(live, start=1) if n % 10 == 0]
        sim.configure(odd_tickets=dict.fromkeys(last_of_pages, kind))
        base = {"api_key": sim.api_key, "base_url": sim.base_url, "page_size": 10}
        run = run_tap(base, streams=["tickets", "conversations"])

        assert run.returncode == 0, run.stderr[-2000:]
        records = {r["id"]: r for r in run.records("tickets")}
        assert set(records) == set(truth)
        assert all(records[i]["updated_at"] == truth[i]["updated_at"] for i in last_of_pages)
        conversations = {c["id"] for c in sim.truth("conversations")}
        assert conversations <= set(run.ids("conversations"))

        state = run.state
        live_pass = state["bookmarks"]["tickets"]["partitions"][0]
        mark = datetime.fromisoformat(live_pass["replication_key_value"])
        live_pass["replication_key_value"] = mark.astimezone(IST).isoformat()
        live_pass.pop("emitted_at_bookmark", None)
        sim.update_ticket(last_of_pages[0])
        resumed = run_tap(base, state=state, streams=["tickets"])

        assert resumed.returncode == 0, resumed.stderr[-2000:]
        assert last_of_pages[0] in resumed.ids("tickets")
