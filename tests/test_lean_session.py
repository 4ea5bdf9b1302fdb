"""LeanSession sends plain GETs straight to urllib3's pool: what callers see must not change.

Each test sends the same request through `requests.Session` and through `LeanSession` to a
loopback server and compares what comes back, or the exception raised, which the tap's retries
classify by type (tap_freshdesk.retries).
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests

from tap_freshdesk.deadline import DeadlineAdapter
from tap_freshdesk.lean_session import LeanSession, prepare


class Handler(BaseHTTPRequestHandler):
    """/ok answers JSON; /cut promises more body than it sends; /slow waits; /moved redirects."""

    seen: list[str] = []  # noqa: RUF012 - shared by the server's threads, read by the tests

    def do_GET(self) -> None:
        Handler.seen.append(self.path)
        if self.path.startswith("/moved"):
            self.send_response(301)
            self.send_header("Location", "/ok?from=moved")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if self.path.startswith("/slow"):
            time.sleep(1.5)
        body = b'[{"id": 1}]'
        self.send_response(200)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Link", '<http://x/ok?page=2>; rel="next"')
        length = len(body) + (100 if self.path.startswith("/cut") else 0)
        self.send_header("Content-Length", str(length))
        self.end_headers()
        self.wfile.write(body)
        self.wfile.flush()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


def sessions() -> tuple[requests.Session, LeanSession]:
    standard, lean = requests.Session(), LeanSession()
    for session in (standard, lean):
        session.trust_env = False
        session.mount("http://", DeadlineAdapter())
    return standard, lean


def get(session: requests.Session, url: str, **kwargs: object) -> requests.Response:
    prepared = prepare(session, method="GET", url=url, params={"page": 1})
    return session.send(prepared, timeout=kwargs.pop("timeout", 5), **kwargs)


def test_a_plain_get_answers_as_through_requests(server):
    standard, lean = sessions()

    theirs, ours = get(standard, f"{server}/ok"), get(lean, f"{server}/ok")

    assert (ours.status_code, ours.reason, ours.url) == (
        theirs.status_code,
        theirs.reason,
        theirs.url,
    )
    assert ours.content == theirs.content and ours.json() == [{"id": 1}]
    assert dict(ours.headers).keys() == dict(theirs.headers).keys()
    assert ours.links == theirs.links and ours.encoding == theirs.encoding == "utf-8"
    assert ours.elapsed.total_seconds() > 0 and ours.request.url.endswith("/ok?page=1")


def test_the_connection_is_reused(server):
    _, lean = sessions()
    for _ in range(5):
        get(lean, f"{server}/ok")

    # The pool requests' own path would use too: the same host and TLS settings.
    sent = requests.Request("GET", f"{server}/ok").prepare()
    pool = lean.get_adapter(server).get_connection_with_tls_context(sent, lean.verify)
    assert (pool.num_requests, pool.num_connections) == (5, 1)


def raised_by_both(url: str) -> tuple[Exception, Exception]:
    """What requests' own session raises for `url`, and what LeanSession raises."""
    raised = []
    for session in sessions():
        with pytest.raises(requests.exceptions.RequestException) as caught:
            get(session, url)
        raised.append(caught.value)
    theirs, ours = raised
    return theirs, ours


def test_a_body_cut_short_raises_what_requests_raises(server):
    theirs, ours = raised_by_both(f"{server}/cut")

    assert type(ours) is type(theirs)


def test_a_read_timeout_raises_read_timeout(server):
    _, lean = sessions()

    with pytest.raises(requests.exceptions.ReadTimeout):
        get(lean, f"{server}/slow", timeout=0.3)


def test_a_refused_connection_raises_connection_error_naming_the_cause():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # closed again: nothing listens there
    theirs, ours = raised_by_both(f"http://127.0.0.1:{port}/ok")

    assert isinstance(ours, requests.exceptions.ConnectionError)
    assert type(ours) is type(theirs)
    assert type(ours.args[0].reason) is type(theirs.args[0].reason)


def test_a_redirect_is_followed_the_standard_way(server):
    _, lean = sessions()

    response = get(lean, f"{server}/moved")

    assert response.status_code == 200 and response.url.endswith("/ok?from=moved")
    assert [r.status_code for r in response.history] == [301]


def test_an_adapter_whose_send_was_replaced_is_sent_through(server, monkeypatch):
    """As `responses` or `requests-mock` do in a user's tests: the replacement answers."""
    canned = requests.Response()
    canned.status_code, canned._content = 418, b"[]"
    monkeypatch.setattr(DeadlineAdapter, "send", lambda *args, **kwargs: canned)
    _, lean = sessions()

    assert get(lean, f"{server}/ok").status_code == 418
