"""Ticket field sections: every dropdown field's sections, read whole each run."""

from __future__ import annotations

import pytest

from tests.harness import run_tap

DROPDOWNS = ("default_ticket_type", "custom_dropdown")


@pytest.mark.simulator(tickets=5)
def test_the_sections_of_every_dropdown_field_are_read(simulator, config):
    run = run_tap(config, streams=["ticket_field_sections"])

    assert run.returncode == 0, run.stderr
    assert run.records("ticket_field_sections") == simulator.truth("ticket_field_sections")
    asked = {
        int(r.path.split("/")[-2]) for r in simulator.request_log if r.path.endswith("/sections")
    }
    dropdowns = {f["id"] for f in simulator.truth("ticket_fields") if f["type"] in DROPDOWNS}
    assert asked == dropdowns, "one request per dropdown field, none for the others"


@pytest.mark.simulator(tickets=5, disabled_features={"ticket_field_sections"})
def test_a_key_without_admin_rights_skips_them_with_one_warning(simulator, config):
    run = run_tap(config, streams=["ticket_field_sections"])

    assert run.returncode == 0, run.stderr
    assert run.stderr.count("Skipping stream ticket_field_sections") == 1
    assert len([r for r in simulator.request_log if r.path.endswith("/sections")]) == 1
