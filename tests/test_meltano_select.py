"""`meltano.yml` selects what the tap selects by default, custom object streams included.

Meltano marks every catalogued stream selected unless the extractor's `select` says otherwise,
whatever the tap's `selected-by-default`; without a `select` a Meltano run once extracted a
stream the tap (and the README) left out. A `select` listing the streams by name, though, never
matches the `custom_object_<name>` streams an account's catalog adds, so a Meltano run
extracted no custom object at all. Checked with Meltano's own selection rules on the catalog
discovered from an account with custom objects.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import yaml
from meltano.core.plugin.singer.catalog import MetadataExecutor, select_metadata_rules

from tests.harness import TAP
from tests.simulator import Simulator, SimulatorConfig

ROOT = Path(__file__).resolve().parent.parent


def _root(entry: dict[str, Any]) -> dict[str, Any]:
    return next(m["metadata"] for m in entry["metadata"] if not m["breadcrumb"])


def test_meltano_yml_selects_every_stream_the_tap_selects_by_default_custom_objects_included(
    tmp_path,
):
    project = yaml.safe_load((ROOT / "meltano.yml").read_text())
    (extractor,) = (p for p in project["plugins"]["extractors"] if p["name"] == "tap-freshdesk")
    with Simulator(SimulatorConfig(tickets=3, contacts=2, custom_object_schemas=2)) as sim:
        config = tmp_path / "config.json"
        config.write_text(json.dumps({"base_url": sim.base_url, "api_key": sim.api_key}))
        done = subprocess.run(
            [TAP, "--config", str(config), "--discover"],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    assert done.returncode == 0, done.stderr[-2000:]
    catalog = json.loads(done.stdout)
    by_default = {e["tap_stream_id"] for e in catalog["streams"] if _root(e)["selected-by-default"]}
    assert len([s for s in by_default if s.startswith("custom_object_")]) == 2

    # What Meltano does to the catalog before a run: deselect all, then apply `select`.
    rules = select_metadata_rules(["!*.*"]) + select_metadata_rules(extractor["select"])
    MetadataExecutor(rules).visit(catalog)
    selected = {e["tap_stream_id"] for e in catalog["streams"] if _root(e).get("selected")}

    assert selected == by_default
