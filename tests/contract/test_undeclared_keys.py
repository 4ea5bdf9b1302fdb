"""A field Freshdesk adds before the schemas know it: kept in the RECORD, reported once."""

from __future__ import annotations

import copy

from tests.contract.payloads import responses
from tests.contract.server import FixtureServer
from tests.harness import run_tap


def test_an_undeclared_key_is_kept_and_named_once_in_one_warning() -> None:
    served = copy.deepcopy(responses())
    for group in served["/groups"]:
        group["round_robin_mode"] = "load_based"
    with FixtureServer(served) as server:
        run = run_tap({"api_key": "contract-key", "base_url": server.base_url}, streams=["groups"])

    assert run.returncode == 0, run.stderr[-3000:]
    groups = run.records("groups")
    assert len(groups) == len(served["/groups"]) > 1
    assert all(group["round_robin_mode"] == "load_based" for group in groups)
    warnings = [line for line in run.stderr.splitlines() if "round_robin_mode" in line]
    assert len(warnings) == 1
    assert "groups" in warnings[0]
    assert "WARNING" in warnings[0]
