"""Settings: one clear line for what `domain` and `base_url` refuse, and the README's table.

What they accept and refuse, form by form, is unit-tested in tests/unit/test_endpoint.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from scripts.settings_table import settings_table
from tests.harness import run_tap


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"page_size": 500}, "page_size"),
        # `localhost.` is no name plain http is allowed for, and a regression would only
        # reach loopback: no test sends anything off this machine.
        ({"base_url": "http://localhost.:9/api/v2"}, "plain http"),
        ({"base_url": None, "domain": "acme.freshdesk.com/x"}, "must not contain a path"),
        ({"base_url": None}, "Set `domain`"),
    ],
)
def test_bad_settings_end_with_one_clear_line(settings, message):
    config = {"api_key": "secret-key-abcdef123456", "base_url": "http://127.0.0.1:9/api/v2"}
    config.update(settings)
    config = {k: v for k, v in config.items() if v is not None}

    run = run_tap(config)

    assert run.returncode != 0
    assert message in run.stderr
    assert "Traceback" not in run.output
    assert "secret-key-abcdef123456" not in run.output


def test_readme_settings_table_is_the_taps_own():
    """The README's table is generated from `--about`; a new setting must reach it."""
    readme = (Path(__file__).parent.parent / "README.md").read_text()

    assert settings_table().strip() in readme
