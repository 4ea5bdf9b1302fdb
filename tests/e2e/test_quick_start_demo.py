"""The README's first quick-start command, `make demo`, ends with every stream matching.

`make demo` installs and then runs `python -m demo`; this runs the same module with the plugins
`make e2e-install` installed, so a change that breaks the demo fails CI, not a new user.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from devtools.destinations import ROOT
from tests.e2e.conftest import require_plugins

pytestmark = pytest.mark.e2e


def test_the_demo_lands_every_stream_as_the_simulator_holds_it():
    require_plugins("target-duckdb")

    done = subprocess.run(
        [sys.executable, "-m", "demo"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )

    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    table = [line.split() for line in done.stdout.splitlines() if line.endswith((" yes", " NO"))]
    assert len(table) >= 30, done.stdout[-3000:]
    assert all(row[-1] == "yes" for row in table), done.stdout[-3000:]
