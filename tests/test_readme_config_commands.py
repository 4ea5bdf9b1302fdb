"""The README's `meltano config set` lines leave the tracked `meltano.yml` as it is.

Run as a user runs them, in bash, in a copy of this project holding only its `meltano.yml`:
the values must land in `.env` (git-ignored), the file under version control untouched. Plain
`meltano config set` rewrote `meltano.yml` (99 lines added, 139 removed, its comments lost),
and the README's `api_key` line without a value failed.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SECRET = "sk-readme-test-key"


def readme_config_lines() -> list[str]:
    """Every README shell line that runs `meltano config set`, comments dropped."""
    blocks = re.findall(r"```sh\n(.*?)```", (ROOT / "README.md").read_text(), re.DOTALL)
    lines = [line for block in blocks for line in block.splitlines()]
    return [re.sub(r"\s+# .*$", "", line) for line in lines if "meltano config set" in line]


def test_the_readme_config_lines_write_dotenv_and_leave_meltano_yml_untouched(tmp_path):
    shutil.copy(ROOT / "meltano.yml", tmp_path / "meltano.yml")
    before = (tmp_path / "meltano.yml").read_bytes()
    other_projects = ("MELTANO_", "TAP_", "TARGET_")
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(other_projects)},
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        "MELTANO_SEND_ANONYMOUS_USAGE_STATS": "false",
        "MELTANO_DISABLE_TRACKING": "true",
    }
    lines = readme_config_lines()
    assert len(lines) >= 6, lines

    for line in lines:
        done = subprocess.run(
            ["bash", "-c", line],
            cwd=tmp_path,
            input=f"{SECRET}\n",
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert done.returncode == 0, f"{line}\n{done.stderr[-2000:]}"
        assert SECRET not in done.stdout + done.stderr

    assert (tmp_path / "meltano.yml").read_bytes() == before
    dotenv = (tmp_path / ".env").read_text()
    for expected in (
        "TAP_FRESHDESK_DOMAIN='acme'",
        f"TAP_FRESHDESK_API_KEY='{SECRET}'",
        "TAP_FRESHDESK_START_DATE='2024-01-01T00:00:00Z'",
        "TARGET_BIGQUERY_PROJECT='my-gcp-project'",
        "TARGET_BIGQUERY_METHOD='streaming_insert'",
        f"TARGET_POSTGRES_SQLALCHEMY_URL='{SECRET}'",
    ):
        assert expected in dotenv, dotenv


def test_git_ignores_the_dotenv_file_the_secrets_go_to():
    done = subprocess.run(
        ["git", "-C", str(ROOT), "check-ignore", "-q", ".env"], check=False, timeout=30
    )
    assert done.returncode == 0, ".env is not git-ignored: a secret could be committed"
