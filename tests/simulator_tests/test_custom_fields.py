"""Custom fields: values typed by the account's field definitions, fields added at run time."""

from __future__ import annotations

import pytest

from tests.simulator_tests.support import (
    ASC,
    FIXED_NOW,
    walk,
)

PYTHON_TYPES = {
    "custom_text": str,
    "custom_paragraph": str,
    "custom_dropdown": str,
    "nested_field": str,
    "custom_number": int,
    "custom_decimal": float,
    "custom_checkbox": bool,
    "custom_date": str,
    "custom_date_time": str,
}


ENTITIES = {"ticket": "tickets", "contact": "contacts", "company": "companies"}


def custom_field_types(http, base_url, entity):
    """cf_* name → type of `entity`'s field definitions; a nested field's levels are strings."""
    types = {}
    for definition in http.get(f"{base_url}/{entity}_fields").json():
        if definition["name"].startswith("cf_"):
            types[definition["name"]] = definition["type"]
            for level in definition.get("nested_ticket_fields", []):
                types[level["name"]] = "custom_text"
    return types


@pytest.mark.simulator(tickets=300, contacts=120, companies=60)
def test_custom_field_values_follow_the_field_definitions(sim, http):
    for entity, stream in ENTITIES.items():
        types = custom_field_types(http, sim.base_url, entity)
        kinds_seen = set()
        for record in sim.truth(stream):
            assert set(record["custom_fields"]) == set(types), entity
            for name, value in record["custom_fields"].items():
                if value is not None:
                    assert isinstance(value, PYTHON_TYPES[types[name]]), (entity, name, value)
                    kinds_seen.add(types[name])
        assert set(types.values()) >= set(PYTHON_TYPES), f"{entity} lacks a custom field type"
        assert kinds_seen == set(PYTHON_TYPES), entity


@pytest.mark.simulator(tickets=300)
def test_nested_field_levels_follow_the_choice_tree(sim, http):
    product = next(
        f for f in http.get(f"{sim.base_url}/ticket_fields").json() if f["type"] == "nested_field"
    )
    second, third = (level["name"] for level in product["nested_ticket_fields"])
    tree = product["choices"]
    paths = {
        (t["custom_fields"][product["name"]], t["custom_fields"][second], t["custom_fields"][third])
        for t in sim.truth("tickets")
    }
    for top, middle, leaf in paths:
        assert middle is None or middle in tree[top]
        assert leaf is None or leaf in tree[top][middle]
    assert any(leaf is not None for _, _, leaf in paths)


@pytest.mark.simulator(tickets=60, contacts=20, companies=10, clock=lambda: FIXED_NOW)
def test_add_custom_field_defines_it_and_changed_records_carry_values(sim, http):
    added = {
        "ticket": sim.add_custom_field("ticket", "cf_warranty", "custom_checkbox"),
        "contact": sim.add_custom_field("contact", "loyalty", "custom_number", label="Loyalty"),
        "company": sim.add_custom_field("company", "cf_zone", "nested_field"),
    }
    sim.update_ticket(5)
    sim.update_contact(sim.truth("contacts")[0]["id"])
    sim.update_company(sim.truth("companies")[0]["id"])

    assert added["contact"]["name"] == "cf_loyalty" and added["contact"]["label"] == "Loyalty"
    assert [n["name"] for n in added["company"]["nested_ticket_fields"]] == [
        "cf_zone_level_2",
        "cf_zone_level_3",
    ]
    for entity, stream in ENTITIES.items():
        name = added[entity]["name"]
        types = custom_field_types(http, sim.base_url, entity)
        assert types[name] == added[entity]["type"]
        records = walk(http, f"{sim.base_url}/{stream}", ASC if stream == "tickets" else None)[0]
        changed = [r for r in records if r["updated_at"] == "2026-06-01T12:00:00Z"]
        assert all(name in r["custom_fields"] for r in records), entity
        assert all(r["custom_fields"][name] is None for r in records if r not in changed)
        assert changed and all(
            isinstance(r["custom_fields"][name], PYTHON_TYPES[types[name]]) for r in changed
        ), entity
    with pytest.raises(ValueError, match="already has"):
        sim.add_custom_field("ticket", "cf_warranty", "custom_text")
    with pytest.raises(ValueError, match="type must be"):
        sim.add_custom_field("ticket", "cf_other", "custom_rainbow")
