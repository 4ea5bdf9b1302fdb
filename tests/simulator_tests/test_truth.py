"""Truth: what a complete walk returns, in the shape the tap's schemas declare."""

from __future__ import annotations

import json

import pytest

from tests.simulator.knowledge import folder_as_listed
from tests.simulator_tests.support import (
    ASC,
    LIST_PATHS,
    SCHEMAS,
    walk,
)


@pytest.mark.simulator(tickets=300, contacts=80, companies=40)
def test_truth_is_what_a_complete_walk_returns(sim, http):
    def by_id(records):
        return {r["id"]: r for r in records}

    tickets = []
    for view in (None, "deleted", "spam"):
        params = {**ASC, "per_page": 100, **({"filter": view} if view else {})}
        tickets += walk(http, f"{sim.base_url}/tickets", params)[0]
    assert by_id(tickets) == by_id(sim.truth("tickets"))

    contacts = []
    for state in (None, "deleted", "blocked"):
        contacts += walk(http, f"{sim.base_url}/contacts", {"state": state} if state else {})[0]
    assert by_id(contacts) == by_id(sim.truth("contacts"))

    conversations = []
    for ticket in sim.truth("tickets"):
        if not (ticket.get("deleted") or ticket["spam"]):
            url = f"{sim.base_url}/tickets/{ticket['id']}/conversations"
            conversations += walk(http, url, {"per_page": 100})[0]
    assert by_id(conversations) == by_id(sim.truth("conversations"))

    for stream, path in LIST_PATHS.items():
        if stream not in ("tickets", "contacts"):
            records, _ = walk(http, f"{sim.base_url}{path}")
            assert by_id(records) == by_id(sim.truth(stream)), stream
            assert records, stream


def as_the_tap_emits(record):
    """The record after the tap's one normalisation: a lone `to_emails` string becomes a list."""
    if isinstance(record.get("to_emails"), str):
        return {**record, "to_emails": [record["to_emails"]]}
    return record


@pytest.mark.simulator(tickets=300, contacts=60, companies=20)
def test_every_served_record_matches_the_taps_schema(sim, http):
    jsonschema = pytest.importorskip("jsonschema")
    archived = next(t["id"] for t in sim.truth("tickets") if not (t.get("deleted") or t["spam"]))
    sim.archive_ticket(archived)
    served = {
        "tickets": [http.get(f"{sim.base_url}/tickets/archived/{archived}").json()]
        + walk(
            http,
            f"{sim.base_url}/tickets",
            {**ASC, "per_page": 100, "include": "description,requester,stats,company"},
        )[0]
        + walk(http, f"{sim.base_url}/tickets", {**ASC, "filter": "deleted"})[0],
        "conversations": walk(http, f"{sim.base_url}/tickets/3/conversations")[0],
    }
    for stream, path in LIST_PATHS.items():
        if stream != "tickets":
            served[stream] = walk(http, f"{sim.base_url}{path}")[0]
    checked = 0
    for stream, records in served.items():
        schema_file = SCHEMAS / f"{stream}.json"
        if not schema_file.exists():
            continue
        schema = json.loads(schema_file.read_text())
        validator = jsonschema.Draft7Validator(
            schema, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER
        )
        for record in records:
            errors = [e.message for e in validator.iter_errors(as_the_tap_emits(record))]
            assert not errors, f"{stream} {record['id']}: {errors[:3]}"
        checked += 1
    if not checked:
        pytest.skip("no schema files yet")


FLAT_PATHS = {
    "products": "/products",
    "business_hours": "/business_hours",
    "sla_policies": "/sla_policies",
    "skills": "/admin/skills",
    "email_configs": "/email_configs",
    "email_mailboxes": "/email/mailboxes",
    "surveys": "/surveys",
    "scenario_automations": "/scenario_automations",
    "ticket_forms": "/ticket-forms",
    "canned_response_folders": "/canned_response_folders",
    "solution_categories": "/solutions/categories",
    "discussion_categories": "/discussions/categories",
}


CHILD_STREAMS = {
    "canned_responses": "canned_response_folders",
    "solution_folders": "solution_categories",
    "solution_articles": "solution_folders",
    "discussion_forums": "discussion_categories",
    "discussion_topics": "discussion_forums",
    "discussion_comments": "discussion_topics",
}


CHILD_PATHS = {
    "canned_responses": "/canned_response_folders/{id}/responses",
    "solution_folders": "/solutions/categories/{id}/folders",
    "solution_articles": "/solutions/folders/{id}/articles",
    "discussion_forums": "/discussions/categories/{id}/forums",
    "discussion_topics": "/discussions/forums/{id}/topics",
    "discussion_comments": "/discussions/topics/{id}/comments",
}


def walk_tree(http, base_url):
    """Every configuration and knowledge record, reached the way a tap reaches them."""
    served = {s: walk(http, f"{base_url}{p}", {"per_page": 100})[0] for s, p in FLAT_PATHS.items()}
    for stream, parent in CHILD_STREAMS.items():
        served[stream] = []
        for record in served[parent]:
            path = CHILD_PATHS[stream].format(id=record["id"])
            served[stream] += walk(http, f"{base_url}{path}", {"per_page": 100})[0]
        if stream == "solution_folders":
            pending = list(served[stream])
            while pending:
                folder = pending.pop()
                below = walk(http, f"{base_url}/solutions/folders/{folder['id']}/subfolders")[0]
                served[stream] += below
                pending += below
    served["automation_rules"] = [
        {**rule, "automation_type_id": kind}
        for kind in (1, 3, 4)
        for rule in walk(http, f"{base_url}/automations/{kind}/rules")[0]
    ]
    return served


@pytest.mark.simulator(tickets=30)
def test_new_streams_walked_by_link_equal_their_truth(sim, http):
    served = walk_tree(http, sim.base_url)

    for stream, records in served.items():
        by_id = {r["id"]: r for r in records}
        assert len(by_id) == len(records), f"{stream}: a record listed twice"
        primary_language = sim.account.truth(stream)  # sim.truth adds translations
        if stream == "solution_folders":
            primary_language = [folder_as_listed(f) for f in primary_language]
        assert by_id == {r["id"]: r for r in primary_language}, stream
        assert records, stream
    assert {f["parent_folder_id"] for f in served["solution_folders"]} - {None}
    assert all(
        "automation_type_id" not in r
        for r in http.get(f"{sim.base_url}/automations/1/rules").json()
    )


ALL_STREAMS = (
    *LIST_PATHS,
    "conversations",
    *FLAT_PATHS,
    *CHILD_STREAMS,
    "automation_rules",
    "settings",
)


@pytest.mark.simulator(tickets=200, contacts=60, companies=20)
def test_truth_of_every_stream_validates_against_the_taps_schema(sim):
    jsonschema = pytest.importorskip("jsonschema")
    sim.add_custom_field("ticket", "cf_added", "custom_decimal")
    sim.mutate(tickets=3, contacts=2, companies=2)

    for stream in ALL_STREAMS:
        schema = json.loads((SCHEMAS / f"{stream}.json").read_text())
        validator = jsonschema.Draft7Validator(
            schema, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER
        )
        records = sim.truth(stream)
        assert records, stream
        for record in records:
            errors = [e.message for e in validator.iter_errors(as_the_tap_emits(record))]
            assert not errors, f"{stream} {record.get('id')}: {errors[:3]}"
