"""The project's Meltano and its installed plugins, and what a run landed in DuckDB.

Shared by the demo and the end-to-end tests (tests/e2e/pipeline.py builds on it).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
HERE = Path(__file__).resolve().parent
MELTANO = Path(sys.executable).parent / "meltano"
#: Where `meltano install` put the plugins (`make e2e-install`); every test run reuses them.
PLUGINS = ROOT / ".meltano"
DUCKDB_SCHEMA = "freshdesk"

# What landed: {stream: {"columns": {name: type}, "rows": [{column: text | None}]}}, the rows
# holding the wanted columns (primary key and replication key) as text.
Landed = dict[str, dict[str, Any]]
Wanted = dict[str, list[str]]


def plugin_python(kind: str, name: str) -> Path:
    """Return the Python of an installed plugin's own environment."""
    return PLUGINS / f"{kind}s" / name / "venv" / "bin" / "python"


def read_duckdb(path: Path, wanted: Wanted) -> Landed:
    """Every table target-duckdb made, read with the DuckDB of its own environment."""
    python = plugin_python("loader", "target-duckdb")
    script = str(HERE / "read_duckdb.py")
    return json_from([str(python), script, str(path), DUCKDB_SCHEMA, json.dumps(wanted)])


def json_from(command: list[str]) -> Landed:
    """Return what a reader script printed, as JSON; fail with its error output."""
    done = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, f"reading the destination failed:\n{done.stderr[-4000:]}"
    return json.loads(done.stdout)  # type: ignore[no-any-return]
