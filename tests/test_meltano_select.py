"""`meltano.yml` selects exactly what the tap selects by default, so README and Meltano agree.

Meltano marks every catalogued stream selected unless the extractor's `select` says otherwise,
whatever the tap's `selected-by-default`; without a `select` a Meltano run once extracted a
stream the tap (and the README) left out.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from tests.harness import catalog_selecting

ROOT = Path(__file__).resolve().parent.parent


def test_meltano_yml_selects_exactly_the_streams_the_tap_selects_by_default():
    project = yaml.safe_load((ROOT / "meltano.yml").read_text())
    (extractor,) = (p for p in project["plugins"]["extractors"] if p["name"] == "tap-freshdesk")
    catalog = catalog_selecting([])
    by_default = {
        entry["tap_stream_id"]
        for entry in catalog["streams"]
        for metadata in entry["metadata"]
        if not metadata["breadcrumb"] and metadata["metadata"].get("selected-by-default")
    }

    assert by_default, "the tap selects streams by default"
    assert all(rule.endswith(".*") for rule in extractor["select"]), "whole streams only"
    assert {rule.removesuffix(".*") for rule in extractor["select"]} == by_default
