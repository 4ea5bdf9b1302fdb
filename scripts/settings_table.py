"""Print the README's settings table from `tap-freshdesk --about --format=json`.

The README's table is generated, never hand-written, so it cannot drift from the tap:
`python scripts/settings_table.py` prints it; a test checks the README holds the same table.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

TAP = str(Path(sys.executable).parent / "tap-freshdesk")


def settings_table() -> str:
    """Render the tap's own settings (not the SDK's built-in ones) as a Markdown table."""
    about = json.loads(
        subprocess.run(
            [TAP, "--about", "--format=json"], capture_output=True, text=True, check=True
        ).stdout
    )
    schema = about["settings"]
    required = set(schema.get("required", []))
    rows = ["| Setting | Required | Default | Description |", "|:--|:--:|:--|:--|"]
    for name, spec in schema["properties"].items():
        if name in BUILTIN:
            continue
        default = spec.get("default")
        shown = "" if default is None else f"`{json.dumps(default)}`"
        needed = "yes" if name in required else ""
        rows.append(f"| `{name}` | {needed} | {shown} | {spec.get('description', '')} |")
    return "\n".join(rows)


BUILTIN = {
    "stream_maps",
    "stream_map_config",
    "faker_config",
    "flattening_enabled",
    "flattening_max_depth",
    "flattening_max_key_length",
    "flattening_separator",
    "batch_config",
}

if __name__ == "__main__":
    print(settings_table())
