"""The unit tests' Freshdesk: answered in-process (fake_http.py), never over a socket."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from requests.adapters import HTTPAdapter

from tests.unit.fake_http import FakeFreshdesk


@pytest.fixture
def freshdesk(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeFreshdesk]:
    """Answer every request the tap sends from a FakeFreshdesk the test fills."""
    fake = FakeFreshdesk()
    monkeypatch.setattr(
        HTTPAdapter, "send", lambda adapter, request, *args, **kwargs: fake.answer(request)
    )
    yield fake
