"""Fixtures of the end-to-end tests: the installed plugins, the BigQuery emulator, a simulator.

The tests need what `make e2e-install` installs (the Meltano plugins in `.meltano/`, the
emulator in `.venv-bq/`). Without it they are skipped on a developer's machine, and fail in CI
(`CI=true`), where `make test` installs everything first.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.pipeline import (
    BIGQUERY_VENV,
    POSTGRES_VENV,
    SMALL_ACCOUNT,
    bigquery_emulator,
    missing,
    plugin_executable,
    postgres_server,
    write_bigquery_credentials,
)
from tests.simulator import Simulator, SimulatorConfig


def require(*paths: Path) -> None:
    """Skip (or, in CI, fail) unless every path `make e2e-install` creates exists."""
    absent = missing(list(paths))
    if not absent:
        return
    message = f"end-to-end tools not installed ({', '.join(absent)}): run `make e2e-install`"
    if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
        pytest.fail(message)
    pytest.skip(message)


def require_plugins(*loaders: str) -> None:
    """The extractor and `loaders`, installed by `meltano install`."""
    require(
        plugin_executable("extractor", "tap-freshdesk"),
        *(plugin_executable("loader", name) for name in loaders),
    )


@pytest.fixture(scope="module")
def small_account() -> Iterator[Simulator]:
    """A simulator holding a small account, one per test module (its runs change it)."""
    with Simulator(SimulatorConfig(**SMALL_ACCOUNT)) as sim:
        yield sim


@pytest.fixture(scope="session")
def bigquery(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """The local BigQuery emulator's endpoint and a credentials file the loader accepts."""
    require(BIGQUERY_VENV / "bin" / "bqemulator", BIGQUERY_VENV / "bin" / "python")
    folder = tmp_path_factory.mktemp("bigquery")
    credentials = write_bigquery_credentials(folder / "credentials.json")
    with bigquery_emulator(folder / "bqemulator.log") as endpoint:
        yield endpoint, credentials


@pytest.fixture(scope="session")
def postgres(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A local PostgreSQL server's URI, with a `freshdesk` and a `meltano` database."""
    require(POSTGRES_VENV / "bin" / "python")
    with postgres_server(tmp_path_factory.mktemp("postgres"), "freshdesk", "meltano") as uri:
        yield uri
