"""A word on the terminal while a fixture takes long to set up, so `make test` never sits mute.

The end-to-end modules start the BigQuery emulator and run Meltano twice before their first
test: 40 s at 0% without a word. A fixture whose setup takes longer than NOTICE_AFTER seconds
gets one line naming it and its module (loaded by `-p tests.setup_notice` in pyproject.toml).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

NOTICE_AFTER = 3.0


@pytest.hookimpl(hookwrapper=True)
def pytest_fixture_setup(
    fixturedef: pytest.FixtureDef[object], request: pytest.FixtureRequest
) -> Iterator[None]:
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    if reporter is None:
        yield
        return
    module = request.node.nodeid.split("::")[0]
    notice = f"\n(setting up {fixturedef.argname} for {module} …) "
    timer = threading.Timer(NOTICE_AFTER, reporter.write, args=(notice,), kwargs={"flush": True})
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        timer.cancel()
