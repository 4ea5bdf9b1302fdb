"""Keys the account's records carry beyond the schema, typed from their JSON values."""

from __future__ import annotations

import pytest

from tap_freshdesk.streams.account_keys import ANY, undeclared, value_schema

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("values", "schema"),
    [
        (["load_based", None], {"type": ["string", "null"]}),
        ([3, 4], {"type": ["integer", "null"]}),
        ([3, 4.5], {"type": ["number", "null"]}),
        ([True, False], {"type": ["boolean", "null"]}),
        ([None, None], ANY),
        ([["a"], None], {"type": ["array", "null"], "items": ANY}),
        ([{"a": 1}], {"type": ["object", "null"]}),
        ([7, "7"], {"type": ["string", "integer", "null"]}),
    ],
)
def test_a_key_is_typed_from_the_values_records_gave_it(values, schema):
    assert value_schema(values) == schema


def test_only_keys_the_schema_lacks_are_named_in_order_of_appearance():
    records = [{"id": 1, "zeta": True}, {"id": 2, "alpha": 1, "zeta": None}]

    assert list(undeclared(records, {"id": {}})) == ["zeta", "alpha"]
    assert undeclared(records, {"id": {}, "zeta": {}, "alpha": {}}) == {}
