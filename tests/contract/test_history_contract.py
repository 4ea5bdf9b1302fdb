"""Archived tickets and custom objects against the API reference's own sample answers.

The samples ("View an Archive Ticket", "List All Conversations of an Archive Ticket",
"Retrieve Existing Custom Objects", "Retrieve All Records" at developers.freshdesk.com/api/,
as copied in effytech/freshdesk_mcp pull request 37, FRESHDESK_API_DOCS.txt) are served
verbatim, but for the ids tying them together and the records' `next` link (the sample's
`next_token=xyz` would name the same page again).
"""

from __future__ import annotations

from typing import Any

from singer_sdk.sinks.core import JSONSchemaValidator

from tests.contract.payloads import responses
from tests.contract.server import FixtureServer
from tests.harness import TapRun, run_tap
from tests.schema_checks import keys_outside_schema
from tests.test_custom_objects import discover, run_selecting

ARCHIVED = {
    "cc_emails": ["user@cc.com"],
    "fwd_emails": [],
    "reply_cc_emails": ["user@cc.com"],
    "email_config_id": None,
    "fr_escalated": False,
    "group_id": None,
    "priority": 1,
    "requester_id": 1,
    "responder_id": None,
    "source": 2,
    "spam": False,
    "status": 5,
    "subject": "",
    "company_id": 1,
    "id": 40,
    "type": None,
    "to_emails": None,
    "product_id": None,
    "created_at": "2015-08-24T11:56:51Z",
    "updated_at": "2015-08-24T11:59:05Z",
    "due_by": "2015-08-27T11:30:00Z",
    "fr_due_by": "2015-08-25T11:30:00Z",
    "is_escalated": False,
    "association_type": None,
    "description_text": "Not given.",
    "description": "<div>Not given.</div>",
    "custom_fields": {"category": "Primary"},
    "tags": [],
    "archived": True,
    "attachments": [],
}
ARCHIVED_CONVERSATIONS = [
    {
        "body_text": "Please reply as soon as possible.",
        "body": "<div>Please reply as soon as possible.</div>",
        "id": 3,
        "incoming": False,
        "private": True,
        "user_id": 1,
        "support_email": None,
        "source": 2,
        "ticket_id": 40,
        "created_at": "2015-08-24T11:59:05Z",
        "updated_at": "2015-08-24T11:59:05Z",
        "from_email": "agent2@yourcompany.com",
        "to_emails": ["agent1@yourcompany.com"],
        "cc_emails": ["example@ccemail.com"],
        "bcc_emails": ["example@bccemail.com"],
        "attachments": [],
    }
]
SCHEMAS = {
    "schemas": [
        {
            "name": "Bookings",
            "prefix": "BKG",
            "title": None,
            "description": None,
            "version": 1,
            "deleted": False,
            "id": 30,
            "created_time": 1624081385288,
            "updated_time": 1624081385288,
            "fields": [
                {
                    "id": "09ec0f82-6908-460f-8428-786afa208789",
                    "name": "customer_id",
                    "label": "Customer ID",
                    "type": "PRIMARY",
                    "position": 1,
                    "required": True,
                    "editable": True,
                    "visible": True,
                    "deleted": False,
                    "placeholder": None,
                    "hint": None,
                    "filterable": True,
                    "searchable": True,
                    "parent_id": None,
                    "choices": [],
                },
                {
                    "id": "e573039c-d7c2-481d-8cbb-5ea3a261881d",
                    "name": "customer_name",
                    "label": "Customer Name",
                    "type": "TEXT",
                    "position": 2,
                    "required": True,
                    "editable": True,
                    "visible": True,
                    "deleted": False,
                    "placeholder": None,
                    "hint": None,
                    "filterable": True,
                    "searchable": True,
                    "parent_id": None,
                    "choices": [],
                },
                {
                    "id": "f967039c-d7c2-481d-8cbb-5yu3a261783d",
                    "name": "age",
                    "label": "Age",
                    "type": "NUMBER",
                    "position": 3,
                    "required": True,
                    "editable": True,
                    "visible": True,
                    "deleted": False,
                    "placeholder": None,
                    "hint": None,
                    "filterable": True,
                    "searchable": True,
                    "parent_id": None,
                    "choices": [],
                },
            ],
        }
    ]
}
RECORDS = {
    "records": [
        {
            "display_id": "BKG-2",
            "created_time": 1615532081010,
            "updated_time": 1615532081010,
            "data": {"customer_id": "C6789", "customer_name": "Dennis Ritchie", "age": 40},
            "metadata": {"primary_field_name": "customer_id"},
        },
        {
            "display_id": "BKG-1",
            "created_time": 1615532081008,
            "updated_time": 1615532081008,
            "data": {"customer_id": "C1234", "customer_name": "Alan Turing", "age": 30},
            "metadata": {"primary_field_name": "customer_id"},
        },
    ],
    "_links": {"count": {"href": "/schemas/30/records/count"}},
}


def validated(run: TapRun) -> None:
    """Every RECORD passes the SDK's target-side validator against its SCHEMA."""
    schemas = {m["stream"]: m["schema"] for m in run.messages if m["type"] == "SCHEMA"}
    validators = {name: JSONSchemaValidator(schema) for name, schema in schemas.items()}
    for message in run.messages:
        if message["type"] == "RECORD":
            validators[message["stream"]].validate(message["record"])
    assert keys_outside_schema(run) == {}


def test_an_archived_ticket_and_its_conversations_as_the_reference_shows_them() -> None:
    listed = {**responses()["/tickets"][1], "id": 41}
    served: dict[str, Any] = {
        "/tickets": [listed],
        "/tickets?filter=deleted": [],
        "/tickets?filter=spam": [],
        "/ticket_fields": responses()["/ticket_fields"],
        "/tickets/41/conversations": [],
        "/tickets/archived/40": ARCHIVED,
        "/tickets/archived/40/conversations": ARCHIVED_CONVERSATIONS,
    }
    probed_below_40 = {
        "bookmarks": {
            "tickets": {
                "partitions": [{"context": {"archived": True}, "id_probe": {"settled": 39}}]
            }
        }
    }
    with FixtureServer(served) as server:
        config = {"api_key": "contract-key", "base_url": server.base_url}
        run = run_tap(config, streams=["tickets", "conversations"], state=probed_below_40)

    assert run.returncode == 0, run.stderr[-3000:]
    assert server.missing == [], "only id 40 is probed, at the archive first"
    archived = [r for r in run.records("tickets") if r["id"] == 40]
    assert len(archived) == 1 and archived[0]["archived"] is True
    assert archived[0]["description"] == "<div>Not given.</div>"
    assert [c["id"] for c in run.records("conversations") if c["archived"]] == [3]
    validated(run)


def test_a_custom_object_and_its_records_as_the_reference_shows_them() -> None:
    served = {"/custom_objects/schemas": SCHEMAS, "/custom_objects/schemas/30/records": RECORDS}
    with FixtureServer(served) as server:
        config = {"api_key": "contract-key", "base_url": server.base_url}
        catalog = discover(config)
        run = run_selecting(config, catalog, ["custom_object_bookings"])

    assert run.returncode == 0, run.stderr[-3000:]
    records = run.records("custom_object_bookings")
    assert [r["display_id"] for r in records] == ["BKG-2", "BKG-1"]
    assert records[0]["data"] == {
        "customer_id": "C6789",
        "customer_name": "Dennis Ritchie",
        "age": 40,
    }
    assert records[0]["updated_at"] == "2021-03-12T06:54:41Z"
    schema = next(m["schema"] for m in run.messages if m["type"] == "SCHEMA")
    assert schema["properties"]["data"]["properties"]["age"]["type"] == ["integer", "null"]
    validated(run)
