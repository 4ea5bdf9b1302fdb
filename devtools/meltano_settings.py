"""How a setting the tap declares in `--about` reads as a Meltano setting definition.

One mapping, shared by the test that holds `plugin.yml` and `meltano.yml` to the tap and by
`scripts/e2e_plugin_settings.py`, which prints the block to paste when the tap's settings change.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

TAP = str(Path(sys.executable).parent / "tap-freshdesk")

#: JSON Schema type (and format) to Meltano `kind`. A secret is `kind: password` with
#: `sensitive: true`, as the Hub's definitions write it: Meltano 4 reads the pair as a
#: sensitive string without the deprecation warning `kind: password` alone gets.
KINDS = {
    "string": "string",
    "integer": "integer",
    "number": "decimal",
    "boolean": "boolean",
    "object": "object",
    "array": "array",
}


def about() -> dict[str, Any]:
    """Return the tap's own description of itself: `tap-freshdesk --about --format=json`."""
    done = subprocess.run(
        [TAP, "--about", "--format=json"], capture_output=True, text=True, check=True, timeout=120
    )
    return json.loads(done.stdout)  # type: ignore[no-any-return]


#: Object settings offered as one form field per nested property (`batch_config.encoding.format`),
#: as the Hub lists an SDK tap's batch settings; Meltano nests dotted names back into objects.
AS_FIELDS = ("batch_config",)


def meltano_setting(name: str, schema: dict[str, Any]) -> dict[str, Any]:
    """Return the Meltano setting definition for one property of the tap's settings schema."""
    types = [t for t in schema.get("type", ["object"]) if t != "null"] or ["object"]
    kind = KINDS[types[0]]
    if kind == "string" and schema.get("format") == "date-time":
        kind = "date_iso8601"
    if schema.get("secret"):
        kind = "password"
    if kind == "string" and "enum" in schema:
        kind = "options"
    setting: dict[str, Any] = {
        "name": name,
        "kind": kind,
        "label": schema.get("title", name),
        "description": schema.get("description", ""),
    }
    if kind == "options":
        setting["options"] = [{"label": value, "value": value} for value in schema["enum"]]
    if "default" in schema:
        setting["value"] = schema["default"]
    if schema.get("secret"):
        setting["sensitive"] = True
    return setting


def expected_settings(about_json: dict[str, Any]) -> list[dict[str, Any]]:
    """Every setting `--about` declares, in its order, as Meltano setting definitions."""
    return _settings(about_json["settings"]["properties"], prefix="")


def _settings(properties: dict[str, Any], prefix: str) -> list[dict[str, Any]]:
    settings: list[dict[str, Any]] = []
    for name, schema in properties.items():
        if (prefix or name in AS_FIELDS) and "properties" in schema:
            settings += _settings(schema["properties"], prefix=f"{prefix}{name}.")
        else:
            settings.append(meltano_setting(f"{prefix}{name}", schema))
    return settings
