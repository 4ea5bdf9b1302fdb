"""The private Singer SDK names the tap relies on are still there, as the tap uses them.

tap_freshdesk.sdk.private is the only module that touches them; an SDK release that renames or
drops one fails here, naming it, instead of silently changing a sync (a SCHEMA per ticket, a
STATE before its BATCH, metric lines per request, a secret in a settings error).
"""

from __future__ import annotations

import inspect
from pathlib import Path

import pytest
import singer_sdk
from singer_sdk import RESTStream

from tap_freshdesk.sdk import private as sdk_private

pytestmark = pytest.mark.unit

SDK_SOURCE = "\n".join(p.read_text() for p in Path(singer_sdk.__file__).parent.rglob("*.py"))

MEMBERS = [(owner, name) for owner, names in sdk_private.PRIVATE_MEMBERS.items() for name in names]
ATTRIBUTES = [
    (owner, name) for owner, names in sdk_private.PRIVATE_ATTRIBUTES.items() for name in names
]


@pytest.mark.parametrize(("owner", "name"), MEMBERS, ids=lambda v: getattr(v, "__name__", v))
def test_each_private_member_the_tap_uses_is_still_in_the_sdk(owner, name):
    assert hasattr(owner, name), f"singer_sdk {owner.__name__}.{name} is gone: see sdk_private"


@pytest.mark.parametrize(("owner", "name"), ATTRIBUTES, ids=lambda v: getattr(v, "__name__", v))
def test_each_private_attribute_the_tap_uses_is_still_set_by_the_sdk(owner, name):
    assert f"self.{name} =" in SDK_SOURCE or f"self.{name}:" in SDK_SOURCE, (
        f"singer_sdk no longer sets {owner.__name__}.{name}: see sdk_private"
    )


@pytest.mark.parametrize(
    ("overridden", "by"),
    [
        ("_write_schema_message", sdk_private.SdkStream),
        ("_write_state_message", sdk_private.SdkStream),
        ("_increment_stream_state", sdk_private.SdkStream),
        ("_validate_config", sdk_private.SdkTap),
        ("_handle_termination", sdk_private.SdkTap),
    ],
)
def test_overridden_private_methods_keep_the_sdks_signature(overridden, by):
    sdk_owner = next(base for base in by.__mro__[1:] if overridden in vars(base))
    ours = inspect.signature(getattr(by, overridden))
    theirs = inspect.signature(getattr(sdk_owner, overridden))
    assert list(ours.parameters) == list(theirs.parameters), (
        f"singer_sdk changed {sdk_owner.__name__}.{overridden}{theirs}: see sdk_private"
    )


def test_the_private_calls_take_the_arguments_the_tap_passes():
    assert {"context", "write_messages"} <= set(
        inspect.signature(RESTStream._sync_records).parameters
    )
    assert {"encoding", "manifest"} <= set(
        inspect.signature(RESTStream._write_batch_message).parameters
    )
    assert {"prepared_request", "context"} <= set(inspect.signature(RESTStream._request).parameters)


@pytest.mark.parametrize(
    "text",
    [sdk_private.UNSORTED_WARNING, sdk_private.UNHANDLED_ERROR, *sdk_private.PER_PARENT_NOTICES],
)
def test_each_log_line_filtered_by_its_text_is_still_logged_by_the_sdk(text):
    assert text in SDK_SOURCE, f"singer_sdk no longer logs {text!r}: see tap_freshdesk.sdk.logs"
