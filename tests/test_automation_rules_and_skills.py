"""Automation rules without their webhooks' credentials, and skills on either routing."""

from __future__ import annotations

import pytest

from tap_freshdesk.streams.automation import REDACTED
from tests.harness import run_tap


def webhooks(rules):
    return {
        (rule["id"], n): action
        for rule in rules
        for n, action in enumerate(rule.get("actions") or [])
        if action.get("field_name") == "trigger_webhook"
    }


@pytest.mark.simulator(tickets=5, automation_rules=9)
def test_webhook_credentials_are_redacted_by_default(simulator, config):
    run = run_tap(config, streams=["automation_rules"])

    assert run.returncode == 0, run.stderr
    served, emitted = (
        webhooks(simulator.truth("automation_rules")),
        webhooks(run.records("automation_rules")),
    )
    assert served and emitted.keys() == served.keys()
    assert {"username", "password", "api_key"} <= {k for a in served.values() for k in a}
    for key, action in emitted.items():
        original = served[key]
        for secret in ("username", "password", "api_key"):
            assert action.get(secret) == (
                REDACTED if original.get(secret) else original.get(secret)
            )
        assert action["custom_headers"] == dict.fromkeys(original["custom_headers"], REDACTED)
        assert action["url"] == original["url"] and action["content"] == original["content"]
    secrets = [v for a in served.values() for k, v in a.items() if k in ("password", "api_key")]
    assert not [s for s in secrets if s in run.stdout], "a webhook secret reached the output"


@pytest.mark.simulator(tickets=5, automation_rules=9)
def test_webhook_credentials_are_kept_when_redaction_is_off(simulator, config):
    run = run_tap({**config, "redact_webhook_credentials": False}, streams=["automation_rules"])

    assert run.returncode == 0, run.stderr
    served, emitted = (
        webhooks(simulator.truth("automation_rules")),
        webhooks(run.records("automation_rules")),
    )
    assert emitted == served


@pytest.mark.simulator(tickets=5, older_skills_routing=True)
def test_skills_fall_back_to_the_older_route(simulator, config):
    run = run_tap(config, streams=["skills"])

    assert run.returncode == 0, run.stderr
    assert {s["id"] for s in run.records("skills")} == {s["id"] for s in simulator.truth("skills")}
    paths = [r.path for r in simulator.request_log if "skills" in r.path]
    assert paths == ["/api/v2/admin/skills", "/api/v2/skills"]
    assert "Skipping stream skills" not in run.stderr


@pytest.mark.simulator(tickets=5)
def test_skills_are_read_at_admin_skills_on_the_current_routing(simulator, config):
    run = run_tap(config, streams=["skills"])

    assert run.returncode == 0, run.stderr
    assert len(run.records("skills")) == len(simulator.truth("skills"))
    assert [r.path for r in simulator.request_log if "skills" in r.path] == ["/api/v2/admin/skills"]


@pytest.mark.simulator(tickets=5, disabled_features={"skills"})
def test_skills_without_the_feature_are_skipped_without_trying_the_older_route(simulator, config):
    run = run_tap(config, streams=["skills"])

    assert run.returncode == 0, run.stderr
    assert "Skipping stream skills" in run.stderr
    assert [r.path for r in simulator.request_log if "skills" in r.path] == ["/api/v2/admin/skills"]
