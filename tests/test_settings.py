"""Settings: what `domain` and `base_url` accept, and one clear line for what they refuse."""

from __future__ import annotations

from pathlib import Path

import pytest

from scripts.settings_table import settings_table
from tap_freshdesk.endpoint import EndpointError, api_base_url
from tests.harness import run_tap


@pytest.mark.parametrize(
    ("domain", "expected"),
    [
        ("acme", "https://acme.freshdesk.com/api/v2"),
        ("acme.freshdesk.com", "https://acme.freshdesk.com/api/v2"),
        ("https://acme.freshdesk.com", "https://acme.freshdesk.com/api/v2"),
        ("https://acme.freshdesk.com/", "https://acme.freshdesk.com/api/v2"),
        ("https://acme.freshdesk.com/api/v2", "https://acme.freshdesk.com/api/v2"),
        (" Support.Acme.com ", "https://support.acme.com/api/v2"),
    ],
)
def test_domain_forms_all_reach_the_account(domain, expected):
    assert api_base_url(domain, None) == expected


@pytest.mark.parametrize(
    "domain",
    [
        "http://acme.freshdesk.com",
        "https://evil.example@acme.freshdesk.com",
        "acme.freshdesk.com/some/path",
        "https://acme.freshdesk.com:8443",
        "https://acme.freshdesk.com/?x=1",
        "acme freshdesk",
        "",
    ],
)
def test_domains_that_could_send_the_key_elsewhere_are_refused(domain):
    with pytest.raises(EndpointError):
        api_base_url(domain, None)


@pytest.mark.parametrize(
    ("base_url", "allowed"),
    [
        ("http://127.0.0.1:8080/api/v2", True),
        ("http://localhost:8080/api/v2/", True),
        ("http://[::1]:8080/api/v2", True),
        ("https://proxy.example.com/freshdesk/api/v2", True),
        ("http://proxy.example.com/api/v2", False),
        ("http://10.0.0.5/api/v2", False),
        ("ftp://127.0.0.1/api/v2", False),
    ],
)
def test_plain_http_is_only_for_loopback(base_url, allowed):
    if allowed:
        assert api_base_url(None, base_url) == base_url.rstrip("/")
    else:
        with pytest.raises(EndpointError):
            api_base_url(None, base_url)


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
