"""A word on the terminal as a shared fixture starts, so `make test` never sits mute at 0%.

The end-to-end modules start the BigQuery emulator and run Meltano twice before their first
test: a minute without a word. Each module-, class- or session-scoped fixture of the test suite
names itself as it starts (`[setting up landing…]`) beside pytest's progress. Written with
output capture suspended, since pytest captures what fixtures print (loaded by
`-p tests.setup_notice` in pyproject.toml). A pytest-xdist worker's terminal is not shown
(`make test` runs two): there the word goes to standard error, which the workers share with
the terminal, naming the worker (`[gw1 setting up landing…]`).
"""

from __future__ import annotations

import sys
from contextlib import nullcontext

import pytest


@pytest.hookimpl(tryfirst=True)
def pytest_fixture_setup(
    fixturedef: pytest.FixtureDef[object], request: pytest.FixtureRequest
) -> None:
    if fixturedef.scope == "function" or not fixturedef.func.__module__.startswith("tests."):
        return
    plugins = request.config.pluginmanager
    reporter = plugins.get_plugin("terminalreporter")
    capture = plugins.get_plugin("capturemanager")
    if reporter is None:
        return
    worker = getattr(request.config, "workerinput", {}).get("workerid")
    with capture.global_and_fixture_disabled() if capture else nullcontext():
        if worker is None:
            reporter.write(f"[setting up {fixturedef.argname}…] ", flush=True)
        else:
            sys.stderr.write(f"[{worker} setting up {fixturedef.argname}…] ")
            sys.stderr.flush()
