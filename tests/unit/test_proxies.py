"""The environment's proxy settings reach every request the tap sends.

Companies route outbound traffic through a proxy named in `HTTPS_PROXY`, with `NO_PROXY`
listing the hosts reached directly. The SDK sends prepared requests through `Session.send`,
and the session merges the environment's settings for the API host
(tap_freshdesk.streams.transport), so these tests check what each request is sent with.
In-process, no socket.
"""

from __future__ import annotations

from typing import Any

import pytest
from requests.adapters import HTTPAdapter

from tests.unit.fake_http import FakeFreshdesk

pytestmark = pytest.mark.unit

PROXY = "http://proxy.corp.example:3128"


@pytest.fixture
def proxies_sent(freshdesk: FakeFreshdesk, monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """The proxies each request was handed to the transport with, in order."""
    sent: list[Any] = []

    def send(adapter: HTTPAdapter, request: Any, *args: Any, **kwargs: Any) -> Any:
        sent.append(kwargs.get("proxies"))
        return freshdesk.answer(request)

    monkeypatch.setattr(HTTPAdapter, "send", send)
    for name in ("HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy", "NO_PROXY", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
    freshdesk.lists["/agents"] = [{"id": 1, "updated_at": "2026-03-01T10:00:00Z"}]
    return sent


def sync_agents(freshdesk: FakeFreshdesk) -> None:
    tap = freshdesk.tap("agents")
    list(tap.streams["agents"].get_records(None))


def test_every_request_goes_through_the_proxy_the_environment_names(
    freshdesk, proxies_sent, monkeypatch
):
    monkeypatch.setenv("HTTPS_PROXY", PROXY)

    sync_agents(freshdesk)

    assert proxies_sent
    assert all(proxies.get("https") == PROXY for proxies in proxies_sent)


def test_a_host_no_proxy_names_is_reached_directly(freshdesk, proxies_sent, monkeypatch):
    monkeypatch.setenv("HTTPS_PROXY", PROXY)
    monkeypatch.setenv("NO_PROXY", "acme.freshdesk.com")

    sync_agents(freshdesk)

    assert proxies_sent
    assert not any(proxies.get("https") for proxies in proxies_sent)
