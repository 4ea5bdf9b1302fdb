"""The main job as a Meltano user runs it: `meltano run tap-freshdesk <loader>` in this project.

Everything a test needs around it: the project's `meltano` with the `test` environment and a
private system directory (state, run files, logs) per test module, the installed plugins shared,
the local BigQuery emulator, and the readers that list what landed in each destination.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from devtools.destinations import MELTANO, PLUGINS, ROOT, Landed, Wanted, json_from

HERE = Path(__file__).resolve().parent
#: The BigQuery emulator's own environment and private HOME (`make e2e-install`).
BIGQUERY_VENV = ROOT / ".venv-bq"
#: A PostgreSQL server from PyPI (`pgserver`) and psycopg, in their own environment.
POSTGRES_VENV = ROOT / ".venv-pg"
POSTGRES_SCHEMA = "freshdesk"
BIGQUERY_PROJECT = "test-project"
BIGQUERY_DATASET = "freshdesk"

#: A small account with every kind of record, so each destination test stays within seconds.
SMALL_ACCOUNT: dict[str, Any] = {
    "seed": 7,
    "tickets": 60,
    "contacts": 25,
    "companies": 6,
    "burst_size": 12,
    "long_thread": 15,
    "solution_articles": 20,
    "long_folder_articles": 6,
    "discussion_topics": 12,
    "long_forum_topics": 4,
    "discussion_comments": 24,
    "long_topic_comments": 6,
}
#: What changes between the two runs: updated, new and commented tickets, a contact, a company.
CHANGES: dict[str, int] = {
    "tickets": 2,
    "new_tickets": 1,
    "conversations": 2,
    "contacts": 1,
    "companies": 1,
}
#: Streams whose every id must land (the issue's acceptance list).
CORE_STREAMS = ("tickets", "conversations", "contacts")


def plugin_executable(kind: str, name: str) -> Path:
    """The installed plugin's executable (`.meltano/<kind>s/<name>/venv/bin/<name>`)."""
    return PLUGINS / f"{kind}s" / name / "venv" / "bin" / name


def missing(paths: list[Path]) -> list[str]:
    """The paths of `paths` that do not exist, relative to the repository."""
    return [str(path.relative_to(ROOT)) for path in paths if not path.exists()]


@dataclass
class MeltanoProject:
    """This repository's Meltano project in the `test` environment, with a private system dir.

    The system dir (`MELTANO_SYS_DIR_ROOT`) holds the state database, run files and logs of
    this test alone; its `extractors/` and `loaders/` link to the repository's `.meltano/`, so
    the plugins installed once are reused and nothing the tests do reaches the repository's
    own state.
    """

    sys_dir: Path
    env: dict[str, str]
    #: The folder holding the project's `meltano.yml`: this repository, or one a test wrote.
    root: Path = ROOT

    @classmethod
    def create(cls, folder: Path, root: Path = ROOT, **env: str) -> MeltanoProject:
        """A project run from `folder`, with `env` (TAP_FRESHDESK_*, TARGET_* …) set.

        Ticket watchers and summaries, one request per ticket each, are turned on: the jobs
        extract every stream the simulator serves.
        """
        sys_dir = folder / ".meltano"
        sys_dir.mkdir(parents=True)
        for kind in ("extractors", "loaders", "mappers", "utilities"):
            (PLUGINS / kind).mkdir(parents=True, exist_ok=True)
            (sys_dir / kind).symlink_to(PLUGINS / kind, target_is_directory=True)
        return cls(
            sys_dir,
            {
                **os.environ,
                "MELTANO_ENVIRONMENT": "test",
                "MELTANO_SYS_DIR_ROOT": str(sys_dir),
                "MELTANO_SEND_ANONYMOUS_USAGE_STATS": "false",
                "MELTANO_DISABLE_TRACKING": "true",
                "TAP_FRESHDESK_INCLUDE_TICKET_WATCHERS": "true",
                "TAP_FRESHDESK_INCLUDE_TICKET_SUMMARIES": "true",
                **env,
            },
            root,
        )

    def run(self, *blocks: str, timeout: int = 300) -> subprocess.CompletedProcess[str]:
        """`meltano run BLOCKS…`, stopped by Meltano after `timeout` seconds; exit code unchecked.

        A loader that keeps retrying a failing destination (target-bigquery retries for ten
        minutes) ends the run with an error instead of holding the test suite.
        """
        return subprocess.run(
            [str(MELTANO), "run", f"--timeout={timeout}", *blocks],
            cwd=self.root,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout + 120,
            check=False,
        )

    def state(self, state_id: str) -> dict[str, Any]:
        """The state Meltano stored for one pipeline (`meltano state get`)."""
        done = subprocess.run(
            [str(MELTANO), "state", "get", state_id],
            cwd=self.root,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )
        return json.loads(done.stdout)  # type: ignore[no-any-return]


def run_ok(project: MeltanoProject, tap: str, target: str, timeout: int = 300) -> None:
    """Run one pipeline; fail with the end of Meltano's log when it exits non-zero."""
    done = project.run(tap, target, timeout=timeout)
    assert done.returncode == 0, f"meltano run {tap} {target} failed:\n{done.stderr[-6000:]}"


def read_jsonl(folder: Path, wanted: Wanted) -> Landed:
    """Every `<stream>.jsonl` file target-jsonl wrote (it appends on each run)."""
    landed: Landed = {}
    for path in sorted(folder.glob("*.jsonl")):
        records = [json.loads(line) for line in path.read_text().splitlines() if line]
        columns = {key: type(value).__name__ for record in records for key, value in record.items()}
        rows = [
            {column: _text(record.get(column)) for column in wanted.get(path.stem, [])}
            for record in records
        ]
        landed[path.stem] = {"columns": columns, "rows": rows}
    return landed


def read_bigquery(
    endpoint: str, wanted: Wanted, suffix: str = "", dataset: str = BIGQUERY_DATASET
) -> Landed:
    """Every table of a dataset in the emulator (the loader's by default; or every
    `<table><suffix>` view), read with google-cloud-bigquery."""
    python = str(BIGQUERY_VENV / "bin" / "python")
    script = str(HERE / "read_bigquery.py")
    dataset_path = [endpoint, BIGQUERY_PROJECT, dataset]
    return json_from([python, script, *dataset_path, json.dumps(wanted), suffix])


def read_postgres(uri: str, wanted: Wanted, schema: str = POSTGRES_SCHEMA) -> Landed:
    """The live rows (not marked deleted) of every table target-postgres made in `schema`."""
    python = str(POSTGRES_VENV / "bin" / "python")
    return json_from([python, str(HERE / "read_postgres.py"), uri, schema, json.dumps(wanted)])


def query_bigquery(endpoint: str, statements: str) -> None:
    """Run `;`-separated SQL statements in the emulator (`bq query` on a real project)."""
    done = subprocess.run(
        [str(BIGQUERY_VENV / "bin" / "python"), str(HERE / "query_bigquery.py"), endpoint],
        input=statements,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, f"the statements failed:\n{done.stderr[-4000:]}"


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


# --- a local PostgreSQL server ----------------------------------------------------------------


@contextmanager
def postgres_server(data_dir: Path, *databases: str) -> Iterator[str]:
    """Run a private PostgreSQL server (pgserver) with `databases`; yield its URI.

    It listens on a Unix socket in `data_dir` only (the URI's `host`), and stops when this
    context ends: the helper process exits as its stdin closes, and pgserver stops the server.
    """
    python, script = str(POSTGRES_VENV / "bin" / "python"), str(HERE / "run_postgres.py")
    process = subprocess.Popen(
        [python, script, str(data_dir), *databases],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None and process.stdin is not None
    uri = process.stdout.readline().strip()
    try:
        if not uri.startswith("postgresql://"):
            process.kill()
            raise RuntimeError(f"PostgreSQL did not start:\n{process.communicate()[1][-4000:]}")
        yield uri
    finally:
        process.stdin.close()
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def postgres_url(uri: str, database: str) -> str:
    """`uri` naming `database`, with the driver target-postgres and Meltano use (psycopg 3).

    A Unix socket goes in the `host` query parameter: target-postgres's own `host` setting
    cannot carry a socket directory.
    """
    parts = urlsplit(uri)
    return parts._replace(scheme="postgresql+psycopg", path=f"/{database}").geturl()


# --- the local BigQuery emulator -------------------------------------------------------------


def write_bigquery_credentials(path: Path) -> Path:
    """An `authorized_user` credentials file whose token never expires: no refresh is tried."""
    path.write_text(
        json.dumps(
            {
                "type": "authorized_user",
                "client_id": "emulator",
                "client_secret": "emulator",
                "refresh_token": "emulator",
                "token": "emulator",
                "expiry": "2099-01-01T00:00:00Z",
            }
        )
    )
    return path


@contextmanager
def bigquery_emulator(log_path: Path) -> Iterator[str]:
    """Run bqemulator (in memory, free ports) and yield its REST endpoint, `http://127.0.0.1:P`.

    Its HOME is `.venv-bq/home`, where `make e2e-install` copied the DuckDB extensions it loads
    at start (it would download them otherwise).
    """
    log = log_path.open("w")
    process = subprocess.Popen(
        [
            str(BIGQUERY_VENV / "bin" / "bqemulator"),
            "start",
            "--rest-host=127.0.0.1",
            "--rest-port=0",
            "--grpc-host=127.0.0.1",
            "--grpc-port=0",
            f"--project={BIGQUERY_PROJECT}",
            "--log-format=json",
            "--log-level=info",
        ],
        env={**os.environ, "HOME": str(BIGQUERY_VENV / "home")},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        yield f"http://127.0.0.1:{_wait_for_rest_port(process, log_path)}"
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def without_consistency_waits(project: MeltanoProject) -> None:
    """Give `project` a target-bigquery that skips its waits for BigQuery's consistency.

    The loader sleeps 5 s after creating each table, for a real BigQuery (see
    bigquery_site/sitecustomize.py); the emulator needs none of it. Meltano drops `PYTHONPATH`
    from a plugin's environment, so the project's `loaders/` becomes a folder of its own whose
    target-bigquery venv links every entry of the installed one but its executable: a script
    that puts bigquery_site/ on `PYTHONPATH` and runs the installed executable.
    """
    installed = PLUGINS / "loaders" / "target-bigquery" / "venv"
    venv = project.sys_dir / "loaders" / "target-bigquery" / "venv"
    (project.sys_dir / "loaders").unlink()
    (venv / "bin").mkdir(parents=True)
    for entry in installed.iterdir():
        if entry.name != "bin":
            (venv / entry.name).symlink_to(entry)
    for entry in (installed / "bin").iterdir():
        if entry.name != "target-bigquery":
            (venv / "bin" / entry.name).symlink_to(entry)
    launcher = venv / "bin" / "target-bigquery"
    launcher.write_text(
        "#!/bin/sh\n"
        f"PYTHONPATH={shlex.quote(str(HERE / 'bigquery_site'))} "
        f'exec {shlex.quote(str(installed / "bin" / "target-bigquery"))} "$@"\n'
    )
    launcher.chmod(0o755)


def _wait_for_rest_port(process: subprocess.Popen[bytes], log_path: Path) -> int:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"bqemulator exited at start:\n{log_path.read_text()[-4000:]}")
        found = re.search(r'"port": (\d+), "event": "rest.listen"', log_path.read_text())
        if found:
            return int(found.group(1))
        time.sleep(0.2)
    raise RuntimeError(f"bqemulator did not listen within 90 s:\n{log_path.read_text()[-4000:]}")
