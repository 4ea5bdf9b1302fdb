"""Print the `settings:` block of `plugin.yml` and `meltano.yml` derived from `--about`.

Run after changing the tap's settings (`tests/e2e/test_plugin_definition.py` fails until the two
files agree with the tap again): `.venv/bin/python scripts/e2e_plugin_settings.py`.
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from devtools.meltano_settings import about, expected_settings

if __name__ == "__main__":
    block = {"settings": expected_settings(about())}
    sys.stdout.write(yaml.safe_dump(block, sort_keys=False, allow_unicode=True, width=100))
