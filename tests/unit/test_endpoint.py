"""What `domain` and `base_url` accept: every form of the account's address, and nothing that
could send the API key elsewhere. In-process; tests/test_settings.py runs the refusals through
the tap's command line, one clear line each."""

from __future__ import annotations

import pytest

from tap_freshdesk.http.endpoint import EndpointError, api_base_url

pytestmark = pytest.mark.unit


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
