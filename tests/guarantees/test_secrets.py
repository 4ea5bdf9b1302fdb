"""The API key never leaves for another host and never reaches any output, even at DEBUG."""

from __future__ import annotations

import base64
import subprocess

import pytest

from tests.guarantees.support import run_concurrently
from tests.harness import TAP, Listener, run_tap
from tests.simulator import Simulator, SimulatorConfig

KEY = "fd-Secr3t-9c1e7b2a4d6f"
DEBUG = {"TAP_FRESHDESK_LOGLEVEL": "DEBUG"}
#: The key as it could leak: itself, and the Basic auth forms of it.
FORMS = (
    KEY,
    base64.b64encode(f"{KEY}:X".encode()).decode(),
    base64.b64encode(KEY.encode()).decode(),
)


def assert_no_key(text: str) -> None:
    for form in FORMS:
        assert form not in text, f"the key leaked as {form}"


def sync(fail=None, streams=("tickets", "conversations", "agents"), **settings):
    """A DEBUG sync of a small account whose key is KEY."""
    with Simulator(SimulatorConfig(tickets=40, api_key=KEY, **settings)) as sim:
        if fail:
            sim.fail_next(fail, count=10_000, path_prefix="/api/v2/")
        config = {"api_key": KEY, "base_url": sim.base_url, "page_size": 10}
        if fail:
            config["max_retry_seconds"] = 5  # an outage: give up soon
        return run_tap(config, streams=list(streams), env=DEBUG)


def test_no_output_of_a_debug_run_holds_the_key_whether_it_fails_or_succeeds():
    ok, forbidden, failing = run_concurrently(
        sync,
        lambda: sync(disabled_features={"tickets"}),
        lambda: sync(fail="500", streams=["agents"]),
    )
    with Simulator(SimulatorConfig(tickets=5)) as sim:  # its key is not KEY: 401
        refused = run_tap({"api_key": KEY, "base_url": sim.base_url}, env=DEBUG)

    assert ok.returncode == 0, ok.stderr
    assert " DEBUG " in ok.stderr, "the run did not log at DEBUG"
    assert ok.records("tickets") and ok.state
    for run in (forbidden, failing, refused):
        assert run.returncode != 0
    assert "401" in refused.stderr and "403" in forbidden.stderr and "500" in failing.stderr
    for run in (ok, forbidden, failing, refused):
        assert_no_key(run.stdout + run.stderr)


@pytest.mark.parametrize("about", [(), ("--format", "json"), ("--format", "markdown")])
def test_about_and_discovery_never_print_the_key(tmp_path, about):
    config = tmp_path / "config.json"
    config.write_text(f'{{"api_key": "{KEY}", "domain": "acme"}}')
    shown = subprocess.run(
        [TAP, "--about", *about, "--config", str(config)],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert shown.returncode == 0, shown.stderr
    assert "api_key" in shown.stdout
    assert_no_key(shown.stdout + shown.stderr)


def test_no_domain_setting_sends_the_key_to_another_host():
    listener = Listener()
    elsewhere = f"127.0.0.1:{listener.port}"
    domains = [
        f"{elsewhere}/x",
        f"acme.freshdesk.com@{elsewhere}",
        f"acme.freshdesk.com:443@{elsewhere}",
        f"https://acme.freshdesk.com@{elsewhere}/api/v2",
        f"acme.freshdesk.com\\@{elsewhere}",
        f"{elsewhere}#.freshdesk.com",
        f"{elsewhere}?.freshdesk.com",
        f"http://{elsewhere}",
    ]
    runs = run_concurrently(
        *[lambda d=d: run_tap({"api_key": KEY, "domain": d}, streams=["agents"]) for d in domains]
    )
    listener.socket.close()

    assert listener.connections == 0, "a request went to the other host"
    for domain, run in zip(domains, runs, strict=True):
        assert run.returncode != 0, domain
        assert "`domain`" in run.stderr, domain
        assert "Traceback" not in run.output
        assert_no_key(run.output)


def test_plain_http_is_refused_before_any_request_to_a_remote_host():
    # `localhost.` is not one of the names plain http is allowed for, and it resolves nowhere,
    # so even a regression sends nothing off this machine.
    run = run_tap({"api_key": KEY, "base_url": "http://localhost.:9/api/v2"}, timeout=30)

    assert run.returncode != 0
    assert "plain http" in run.stderr
    assert_no_key(run.output)
