"""A target that stops reading (it failed, or was killed) ends the sync with one line saying so
and a non-zero exit, never a bare "An unhandled error occurred" or a traceback."""

from __future__ import annotations

import json
import subprocess
import tempfile
from pathlib import Path

import pytest

from tests.guarantees.test_kill_resume import STREAMS
from tests.harness import TAP, catalog_selecting


@pytest.mark.parametrize("lines", [1, 40, 400])
@pytest.mark.simulator(tickets=200, contacts=30, companies=10)
def test_a_closed_stdout_ends_in_one_line_naming_the_target(simulator, config, lines):
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        (folder / "config.json").write_text(json.dumps(config))
        (folder / "catalog.json").write_text(json.dumps(catalog_selecting(STREAMS)))
        command = [TAP, "--config", str(folder / "config.json")]
        command += ["--catalog", str(folder / "catalog.json")]
        with (folder / "stderr").open("w") as stderr:
            process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=stderr, text=True)
            assert process.stdout is not None
            for _ in range(lines):
                process.stdout.readline()
            process.stdout.close()  # the target is gone
            process.wait(timeout=60)
        log = (folder / "stderr").read_text()

    assert process.returncode == 1
    assert "Traceback" not in log
    errors = [line for line in log.splitlines() if "| ERROR" in line]
    assert len(errors) == 1, errors or log[-1500:]
    assert "The target stopped reading the tap's output" in errors[0]
