"""Schemas that follow the account: `--discover` declares the keys its records carry.

Real-shaped answers (the contract fixtures) with keys no schema of the tap declares, as an
account's records carry them when Freshdesk adds a field: discovery reads one page of each
top-level stream and declares each such key, typed from its values, in one log line.
"""

from __future__ import annotations

import copy
import json
import subprocess
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

from tests.contract.payloads import responses
from tests.contract.server import FixtureServer
from tests.harness import TAP, TapRun
from tests.schema_checks import keys_outside_schema
from tests.test_custom_objects import run_selecting


def account_with_new_fields() -> dict[str, Any]:
    served = copy.deepcopy(responses())
    for number, group in enumerate(served["/groups"]):
        group["round_robin_mode"] = "load_based" if number else None
    for ticket in served["/tickets"]:
        ticket["nps_score"] = 9
        ticket["sentiment_labels"] = None
    return served


def discover(config: dict[str, Any]) -> tuple[dict[str, Any], str]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "config.json"
        path.write_text(json.dumps(config))
        done = subprocess.run(
            [TAP, "--config", str(path), "--discover"],
            capture_output=True,
            text=True,
            check=True,
            timeout=120,
        )
    return json.loads(done.stdout), done.stderr


def properties(catalog: dict[str, Any], stream: str) -> dict[str, Any]:
    entry = next(e for e in catalog["streams"] if e["tap_stream_id"] == stream)
    return entry["schema"]["properties"]  # type: ignore[no-any-return]


def test_discovery_declares_the_keys_the_accounts_records_carry_typed_one_line_each() -> None:
    with FixtureServer(account_with_new_fields()) as server:
        config = {"api_key": "contract-key", "base_url": server.base_url}
        catalog, log = discover(config)
        sampled = Counter(server.requested)
        run: TapRun = run_selecting(config, catalog, ["groups", "tickets"])

    assert properties(catalog, "groups")["round_robin_mode"] == {"type": ["string", "null"]}
    assert properties(catalog, "tickets")["nps_score"] == {"type": ["integer", "null"]}
    assert "null" in properties(catalog, "tickets")["sentiment_labels"]["type"]
    for key in ("round_robin_mode", "nps_score", "sentiment_labels"):
        assert len([line for line in log.splitlines() if f"`{key}`" in line]) == 1
    assert "ticket_bcc_emails" not in {
        line.split("`")[1] for line in log.splitlines() if "`" in line
    }
    # One page per top-level stream: no path twice, no child list.
    assert max(sampled.values()) == 1
    assert not [path for path in sampled if "/conversations" in path or "/articles" in path]

    assert run.returncode == 0, run.stderr[-3000:]
    assert keys_outside_schema(run) == {}
    assert "does not declare" not in run.stderr
    assert {g.get("round_robin_mode") for g in run.records("groups")} == {"load_based", None}


def test_discovery_leaves_the_schemas_as_they_are_when_turned_off() -> None:
    with FixtureServer(account_with_new_fields()) as server:
        config = {
            "api_key": "contract-key",
            "base_url": server.base_url,
            "discover_undeclared_fields": False,
        }
        catalog, log = discover(config)
        requested = list(server.requested)

    assert "round_robin_mode" not in properties(catalog, "groups")
    assert "nps_score" not in properties(catalog, "tickets")
    assert "declaring" not in log
    assert "/groups" not in requested and "/tickets" not in requested
