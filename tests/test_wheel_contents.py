"""The wheel PyPI gets installs the tap and nothing else; parquet batches come with an extra.

A wheel that also shipped `devtools` (a name another PyPI project owns) or an entry of the test
suite would install them into every user's site-packages. Built here as `make package` builds it.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import zipfile
from email.parser import Parser
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> zipfile.ZipFile:
    outdir = tmp_path_factory.mktemp("dist")
    done = subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--outdir", str(outdir), str(ROOT)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    (path,) = outdir.glob("*.whl")
    return zipfile.ZipFile(path)


def test_the_wheel_installs_only_the_tap_package(wheel: zipfile.ZipFile) -> None:
    top_level = {
        name.split("/")[0] for name in wheel.namelist() if ".dist-info/" not in name.split("/")[0]
    }
    top_level = {name for name in top_level if not name.endswith(".dist-info")}
    assert top_level == {"tap_freshdesk"}
    assert not [name for name in wheel.namelist() if name.startswith(("tests", "devtools"))]


def test_the_wheel_ships_the_schemas_and_the_command(wheel: zipfile.ZipFile) -> None:
    names = wheel.namelist()
    assert "tap_freshdesk/schemas/tickets.json" in names
    (entry_points,) = (n for n in names if n.endswith(".dist-info/entry_points.txt"))
    assert "tap-freshdesk = tap_freshdesk.tap:TapFreshdesk.cli" in wheel.read(entry_points).decode()


def test_parquet_batches_are_an_extra(wheel: zipfile.ZipFile) -> None:
    """pyarrow comes with `[parquet]` only; the test venv lacks it, as a plain install does
    (test_settings_errors.py checks the one line a parquet batch_config then gets)."""
    (metadata,) = (n for n in wheel.namelist() if n.endswith(".dist-info/METADATA"))
    headers = Parser().parsestr(wheel.read(metadata).decode())
    assert "parquet" in headers.get_all("Provides-Extra", [])
    requires = headers.get_all("Requires-Dist", [])
    assert any("singer-sdk[parquet]" in r and "extra == 'parquet'" in r for r in requires)
    assert importlib.util.find_spec("pyarrow") is None
