"""What the streams do to each record between Freshdesk's answer and the Singer message.

The incremental filter where the API has none, the flags of deleted, spam and blocked
records, and custom numbers and booleans sent as text: each arranged as Freshdesk's answer,
checked on the records a sync would write. Milliseconds each, no simulator.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.unit.fake_http import FakeFreshdesk

pytestmark = pytest.mark.unit

BOOKMARK = "2026-03-01T10:00:00Z"


def bookmarked(stream: str, value: str = BOOKMARK) -> dict[str, Any]:
    """The state of a stream whose pass has begun from bookmark `value` (as the SDK keeps it)."""
    bookmark = {"replication_key": "updated_at", "replication_key_value": value}
    return {"bookmarks": {stream: {**bookmark, "starting_replication_value": value}}}


def emitted(fake: FakeFreshdesk, stream: str, context: dict[str, Any] | None = None, **settings):
    tap = fake.tap(stream, **settings)
    return list(tap.streams[stream].get_records(context))


def test_a_list_without_an_update_filter_is_filtered_by_the_bookmark_here(freshdesk):
    freshdesk.lists["/companies"] = [
        {"id": 1, "updated_at": "2026-03-01T09:59:59Z"},
        {"id": 2, "updated_at": BOOKMARK},
        {"id": 3, "updated_at": "2026-03-01T10:00:01Z"},
    ]

    records = emitted(freshdesk, "companies", state=bookmarked("companies"))

    assert [r["id"] for r in records] == [2, 3], "the bookmark is inclusive"


def test_a_first_sync_emits_every_record(freshdesk):
    freshdesk.lists["/agents"] = [
        {"id": 1, "updated_at": "2011-01-01T00:00:00Z"},
        {"id": 2, "updated_at": "2026-01-01T00:00:00Z"},
    ]

    assert [r["id"] for r in emitted(freshdesk, "agents")] == [1, 2]


def test_a_record_whose_timestamp_is_missing_or_unreadable_is_kept_not_lost(freshdesk):
    freshdesk.lists["/companies"] = [
        {"id": 1, "updated_at": "last Tuesday"},
        {"id": 2},
        {"id": 3, "updated_at": "2020-01-01T00:00:00Z"},
    ]

    records = emitted(freshdesk, "companies", state=bookmarked("companies"))

    assert [r["id"] for r in records] == [1, 2]


def test_children_of_changed_tickets_are_not_filtered_by_their_own_bookmark(freshdesk):
    """The parent chose which tickets changed; each conversation of those is emitted."""
    freshdesk.lists["/tickets/7/conversations"] = [
        {"id": 70, "ticket_id": 7, "updated_at": "2020-01-01T00:00:00Z"},
        {"id": 71, "ticket_id": 7, "updated_at": "2026-03-02T00:00:00Z"},
    ]

    records = emitted(
        freshdesk, "conversations", {"ticket_id": 7}, state=bookmarked("conversations")
    )

    assert [r["id"] for r in records] == [70, 71]


@pytest.mark.parametrize(
    ("stream", "path", "context", "flag"),
    [
        ("contacts", "/contacts", {"deleted": True, "blocked": False}, "deleted"),
        ("contacts", "/contacts", {"deleted": False, "blocked": True}, "blocked"),
        ("tickets", "/tickets", {"deleted": True, "spam": False}, "deleted"),
        ("tickets", "/tickets", {"deleted": False, "spam": True}, "spam"),
    ],
)
def test_records_of_a_removed_view_are_flagged_by_the_tap(freshdesk, stream, path, context, flag):
    """Freshdesk's views list them without saying why: the flag is the tap's own."""
    freshdesk.lists[path] = [
        {"id": 1, "updated_at": "2026-01-01T00:00:00Z"},
        {"id": 2, "updated_at": "2026-01-02T00:00:00Z"},
    ]

    records = emitted(freshdesk, stream, context)

    assert [r["id"] for r in records] == [1, 2]
    assert all(r[flag] is True for r in records)


def test_records_of_the_default_listing_are_not_flagged(freshdesk):
    freshdesk.lists["/contacts"] = [{"id": 1, "updated_at": "2026-01-01T00:00:00Z"}]

    records = emitted(freshdesk, "contacts", {"deleted": False, "blocked": False})

    assert "deleted" not in records[0] and "blocked" not in records[0]


TICKET_FIELDS = [
    {"id": 1, "name": "cf_seats", "label": "Seats", "type": "custom_number", "default": False},
    {"id": 2, "name": "cf_price", "label": "Price", "type": "custom_decimal", "default": False},
    {"id": 3, "name": "cf_vip", "label": "VIP", "type": "custom_checkbox", "default": False},
    {"id": 4, "name": "cf_code", "label": "Code", "type": "custom_text", "default": False},
]


def test_custom_numbers_and_booleans_sent_as_text_are_converted(freshdesk):
    freshdesk.lists["/ticket_fields"] = TICKET_FIELDS
    tap = freshdesk.tap("tickets")
    stream = tap.streams["tickets"]
    sent = {"cf_seats": "12", "cf_price": "9.5", "cf_vip": "True", "cf_code": "0042"}

    record = stream.post_process(
        {"id": 1, "updated_at": "2026-01-01T00:00:00Z", "custom_fields": sent}, None
    )

    assert record is not None
    assert record["custom_fields"] == {
        "cf_seats": 12,
        "cf_price": 9.5,
        "cf_vip": True,
        "cf_code": "0042",
    }


def test_text_that_is_no_number_is_left_for_the_target_to_judge(freshdesk):
    freshdesk.lists["/ticket_fields"] = TICKET_FIELDS
    stream = freshdesk.tap("tickets").streams["tickets"]
    sent = {"cf_seats": "a dozen", "cf_vip": "maybe"}

    record = stream.post_process(
        {"id": 1, "updated_at": "2026-01-01T00:00:00Z", "custom_fields": sent}, None
    )

    assert record is not None and record["custom_fields"] == sent
