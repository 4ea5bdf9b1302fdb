"""A bad setting ends every entry point with one line naming it, before any request.

Entry points: a sync, `--test`, `--discover`, and each of those with `--config ENV`. Whatever the
mistake, the tap prints one ERROR line that names the setting, no traceback, exits 1, and has
opened no connection; `--about` still answers. A secret's value is never printed, whatever its
type. `--test` on a healthy account logs no ERROR at all.
"""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
from pathlib import Path
from typing import Any

import pytest

from tests.harness import TAP, Listener

KEY = "sk-Secr3t-5e1f0b7c"


@pytest.fixture(scope="module")
def listener():
    listening = Listener()
    yield listening
    listening.socket.close()


def run(
    settings: dict[str, Any], *args: str, env_config: bool = False
) -> subprocess.CompletedProcess:
    """The tap with `settings` in a --config file, or in TAP_FRESHDESK_* variables."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("TAP_FRESHDESK_")}
    with tempfile.TemporaryDirectory() as folder:
        if env_config:
            env.update(
                {
                    f"TAP_FRESHDESK_{name.upper()}": value
                    if isinstance(value, str)
                    else json.dumps(value)
                    for name, value in settings.items()
                }
            )
            config = "ENV"
        else:
            config = str(Path(folder) / "config.json")
            Path(config).write_text(json.dumps(settings))
        return subprocess.run(
            [TAP, "--config", config, *args],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
            env=env,
        )


def error_lines(done: subprocess.CompletedProcess) -> list[str]:
    return [line for line in done.stderr.splitlines() if " ERROR " in line or "Error:" in line]


#: Settings changed from good ones over a loopback base_url, and what the error line must hold.
BAD_SETTINGS = [
    pytest.param({"start_date": "last tuesday"}, "`start_date`", id="garbage-start-date"),
    pytest.param({"base_url": None, "domain": "host:abc"}, "`domain`", id="domain-host-abc"),
    pytest.param({"api_key": "sk-€uro-key"}, "`api_key`", id="non-latin-1-key"),
    pytest.param({"base_url": "http://127.0.0.1:99999/api/v2"}, "`base_url`", id="port-range"),
    pytest.param({"base_url": "http://[::1/api/v2"}, "`base_url`", id="unclosed-ipv6"),
    pytest.param({"base_url": "https://[zz]/api/v2"}, "`base_url`", id="invalid-ipv6"),
    pytest.param({"api_key": None}, "`api_key` is required", id="missing-key"),
    pytest.param({"page_size": 500}, "`page_size`", id="page-size-too-big"),
    # The SDK writes parquet BATCH files with pyarrow, the `parquet` extra: the test venv has
    # none (test_parquet_batches_are_an_extra checks it), so asking for them must end in one line.
    pytest.param(
        {"batch_config": {"encoding": {"format": "parquet"}, "storage": {"root": "file:///tmp"}}},
        "`batch_config.encoding.format` parquet needs pyarrow",
        id="parquet-without-pyarrow",
    ),
]
ENTRY_POINTS = {"sync": (), "test": ("--test",), "discover": ("--discover",)}


@pytest.mark.parametrize("env_config", [False, True], ids=["config-file", "config-env"])
@pytest.mark.parametrize("entry", list(ENTRY_POINTS))
@pytest.mark.parametrize(("changes", "named"), BAD_SETTINGS)
def test_a_bad_setting_ends_in_one_line_naming_it_before_any_request(
    listener, changes, named, entry, env_config
):
    settings = {"api_key": KEY, "base_url": listener.url, **changes}
    settings = {k: v for k, v in settings.items() if v is not None}
    before = listener.connections

    done = run(settings, *ENTRY_POINTS[entry], env_config=env_config)

    assert done.returncode == 1, done.stderr[-2000:]
    errors = error_lines(done)
    assert len(errors) == 1 and named in errors[0], done.stderr[-2000:]
    assert "Traceback" not in done.stderr
    assert "WARNING" not in done.stderr, "a warning came before the error"
    assert listener.connections == before, "a request went out before the settings were checked"
    assert KEY not in done.stdout + done.stderr


@pytest.mark.parametrize(
    "secret", [12345678901234, [KEY], {"key": KEY}, True], ids=["number", "list", "object", "bool"]
)
@pytest.mark.parametrize("entry", list(ENTRY_POINTS))
def test_an_api_key_of_the_wrong_type_is_named_but_never_printed(listener, secret, entry):
    done = run({"api_key": secret, "base_url": listener.url}, *ENTRY_POINTS[entry])

    assert done.returncode == 1
    (error,) = error_lines(done)
    assert "`api_key` must be a non-empty string" in error
    for shown in (KEY, str(secret), json.dumps(secret)):
        assert shown not in done.stdout + done.stderr


def test_about_answers_whatever_the_settings():
    done = run({"api_key": [KEY], "domain": "host:abc", "start_date": "never"}, "--about")

    assert done.returncode == 0, done.stderr
    assert "api_key" in done.stdout and KEY not in done.stdout + done.stderr


def test_discovery_without_any_setting_still_makes_the_catalog():
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "config.json").write_text("{}")
        done = subprocess.run(
            [TAP, "--config", str(Path(folder) / "config.json"), "--discover"],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    assert done.returncode == 0, done.stderr
    assert "tickets" in {s["tap_stream_id"] for s in json.loads(done.stdout)["streams"]}


@pytest.mark.parametrize(
    ("catalog", "message"),
    [
        (
            {"streams": [{"tap_stream_id": "agents", "schema": "agents", "metadata": []}]},
            "stream agents has a `schema` that is not an object",
        ),
        ({"streams": "agents"}, "must hold a `streams` list of objects"),
        (
            {"streams": [{"tap_stream_id": "agents", "schema": {"properties": "x"}}]},
            "stream agents cannot be read",
        ),
    ],
)
def test_a_catalog_of_the_wrong_shape_ends_in_one_line_naming_the_stream(
    listener, catalog, message
):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "catalog.json"
        path.write_text(json.dumps(catalog))
        done = run({"api_key": KEY, "base_url": listener.url}, "--catalog", str(path))

    assert done.returncode == 1
    (error,) = error_lines(done)
    assert message in error
    assert "Traceback" not in done.stderr


@pytest.mark.simulator(tickets=20)
def test_a_successful_test_run_logs_no_error(simulator, config):
    done = run(config, "--test")

    assert done.returncode == 0, done.stderr[-3000:]
    assert error_lines(done) == [], "\n".join(error_lines(done)[:3])
    assert '"type":"RECORD"' in done.stdout.replace(" ", "")


@pytest.mark.simulator(tickets=20)
@pytest.mark.parametrize("entry", list(ENTRY_POINTS))
def test_a_refused_key_ends_in_one_line_naming_it(simulator, config, entry):
    done = run({**config, "api_key": "not-the-key"}, *ENTRY_POINTS[entry])

    assert done.returncode == 1
    (error,) = error_lines(done)
    assert "401" in error and "`api_key`" in error, done.stderr[-3000:]
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize("entry", list(ENTRY_POINTS))
def test_a_domain_that_never_answers_ends_in_its_one_line_without_warnings_first(entry):
    done = run({"api_key": KEY, "domain": "no-such-helpdesk.invalid"}, *ENTRY_POINTS[entry])

    assert done.returncode == 1, done.stderr[-2000:]
    (error,) = error_lines(done)
    assert "Cannot reach no-such-helpdesk.invalid" in error and "`domain`" in error
    assert "WARNING" not in done.stderr, done.stderr[-2000:]
