"""Ticket activities come from Freshdesk's daily activities export, one request per day.

API v2 has no `tickets/{id}/activities`; `export/ticket_activities?created_at=DAY` links to a
file on another host, fetched without the API key (the simulator's file host refuses any
request carrying an Authorization header, as S3 does a pre-signed one).
"""

from __future__ import annotations

import json
import re
import signal
import subprocess
import time
from datetime import UTC, datetime, timedelta

import pytest
import requests

from tests.harness import TAP, catalog_selecting, run_tap
from tests.simulator.exports import RETENTION_DAYS

EXPORT = "/api/v2/export/ticket_activities"


def today():
    return datetime.now(UTC).date()


def export_requests(simulator):
    return [r for r in simulator.request_log if r.path == EXPORT]


def emitted(run):
    """The activities a run emitted, without the key the tap adds (tests/test_stream_keys.py)."""
    rows = run.records("ticket_activities")
    return [{k: v for k, v in r.items() if k != "activity_key"} for r in rows]


def as_emitted(row, day=None):
    """A file row as the tap emits it: `performed_at` in ISO 8601 UTC, its day added."""
    moment = datetime.strptime(row["performed_at"], "%d-%m-%Y %H:%M:%S %z")
    performed_at = moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return {**row, "performed_at": performed_at, "export_date": performed_at[:10]}


@pytest.mark.simulator(tickets=90)
def test_activities_come_day_by_day_from_the_export_without_the_api_key(simulator, config):
    run = run_tap(config, streams=["ticket_activities"])

    assert run.returncode == 0, run.stderr
    truth = [as_emitted(row) for row in simulator.truth("ticket_activities")]
    assert truth and emitted(run) == truth
    days = [r.query["created_at"] for r in export_requests(simulator)]
    first = today() - timedelta(days=RETENTION_DAYS)
    assert days == [(first + timedelta(days=n)).isoformat() for n in range(RETENTION_DAYS)]
    assert not [r for r in simulator.request_log if re.search(r"/tickets/\d+/activities", r.path)]
    assert len(simulator.files.requests) == RETENTION_DAYS
    assert all(
        not authorized and status == 200 for _, authorized, status in simulator.files.requests
    )
    assert run.state["bookmarks"]["ticket_activities"] == {
        "last_exported_day": (today() - timedelta(days=1)).isoformat()
    }


@pytest.mark.simulator(tickets=90)
def test_a_resumed_run_reads_only_the_days_after_its_bookmark(simulator, config):
    bookmark = (today() - timedelta(days=4)).isoformat()
    state = {"bookmarks": {"ticket_activities": {"last_exported_day": bookmark}}}

    run = run_tap(config, streams=["ticket_activities"], state=state)

    assert run.returncode == 0, run.stderr
    days = [r.query["created_at"] for r in export_requests(simulator)]
    assert days == [(today() - timedelta(days=n)).isoformat() for n in (3, 2, 1)]
    truth = [as_emitted(r) for r in simulator.truth("ticket_activities")]
    assert emitted(run) == [r for r in truth if r["export_date"] > bookmark]
    again = run_tap(config, streams=["ticket_activities"], state=run.state)
    assert again.returncode == 0 and not again.records("ticket_activities")
    assert len(export_requests(simulator)) == 3, "a finished day is never asked for again"


@pytest.mark.simulator(tickets=90)
def test_each_day_is_bookmarked_after_its_last_record(simulator, config):
    run = run_tap(config, streams=["ticket_activities"])

    bookmarks = []
    for message in run.messages:
        bookmark = (
            message["value"]["bookmarks"].get("ticket_activities", {}).get("last_exported_day")
            if message["type"] == "STATE"
            else None
        )
        if bookmark and bookmark not in bookmarks:
            bookmarks.append(bookmark)
        if message["type"] == "RECORD" and bookmarks:
            assert message["record"]["export_date"] > bookmarks[-1], "a day bookmarked too soon"
    assert len(bookmarks) == RETENTION_DAYS, "one bookmark per day, as each day ends"


@pytest.mark.simulator(tickets=30, disabled_features={"ticket_activities"})
def test_an_account_without_the_export_skips_the_stream_with_one_warning(simulator, config):
    run = run_tap(config, streams=["tickets", "ticket_activities"])

    assert run.returncode == 0, run.stderr
    warnings = [
        line for line in run.stderr.splitlines() if "Skipping stream ticket_activities" in line
    ]
    assert len(warnings) == 1 and "403" in warnings[0]
    assert len(export_requests(simulator)) == 1
    assert not run.records("ticket_activities") and run.records("tickets")


@pytest.mark.simulator(tickets=30, export_file_pending_downloads=1)
def test_a_file_not_written_yet_is_waited_for_and_read(simulator, config):
    yesterday = today() - timedelta(days=1)
    state = {
        "bookmarks": {
            "ticket_activities": {"last_exported_day": str(yesterday - timedelta(days=1))}
        }
    }

    run = run_tap(config, streams=["ticket_activities"], state=state)

    assert run.returncode == 0, run.stderr
    assert f"the export file for {yesterday} is not written yet; waiting 2 s" in run.stderr
    assert [status for *_, status in simulator.files.requests] == [404, 200]
    truth = [as_emitted(r) for r in simulator.truth("ticket_activities")]
    assert emitted(run) == [r for r in truth if r["export_date"] == str(yesterday)]


@pytest.mark.simulator(tickets=30, activity_export_shape="object")
def test_an_export_answered_as_one_object_is_read_too(simulator, config):
    yesterday = today() - timedelta(days=1)
    state = {
        "bookmarks": {
            "ticket_activities": {"last_exported_day": str(yesterday - timedelta(days=1))}
        }
    }

    run = run_tap(config, streams=["ticket_activities"], state=state)

    assert run.returncode == 0, run.stderr
    assert run.records("ticket_activities")
    assert run.state["bookmarks"]["ticket_activities"]["last_exported_day"] == str(yesterday)


@pytest.mark.simulator(tickets=30)
def test_days_past_retention_are_named_in_one_warning(simulator, config):
    bookmark = today() - timedelta(days=60)
    state = {"bookmarks": {"ticket_activities": {"last_exported_day": str(bookmark)}}}

    run = run_tap(config, streams=["ticket_activities"], state=state)

    assert run.returncode == 0, run.stderr
    lost = f"{bookmark + timedelta(days=1)} to {today() - timedelta(days=RETENTION_DAYS + 1)}"
    lines = [line for line in run.stderr.splitlines() if "keeps activity exports" in line]
    assert len(lines) == 1 and "WARNING" in lines[0] and lost in lines[0]
    first = export_requests(simulator)[0].query["created_at"]
    assert first == str(today() - timedelta(days=RETENTION_DAYS))


@pytest.mark.simulator(tickets=30)
def test_the_simulator_serves_the_export_and_its_file_as_freshdesk_and_s3_do(simulator):
    api = requests.Session()
    api.auth = (simulator.api_key, "X")
    url = f"{simulator.base_url}/export/ticket_activities"
    yesterday = today() - timedelta(days=1)

    answer = api.get(url, params={"created_at": str(yesterday)})
    (entry,) = answer.json()["export"]
    assert entry["created_at"] == f"{yesterday.day}-{yesterday.month}-{yesterday.year}"
    assert requests.get(entry["url"], timeout=5).json()["activities_data"]
    with_key = requests.get(entry["url"], auth=(simulator.api_key, "X"), timeout=5)
    assert with_key.status_code == 400 and b"Only one auth mechanism allowed" in with_key.content
    forged = requests.get(entry["url"].replace("X-Amz-Signature=", "X-Amz-Signature=0"), timeout=5)
    assert forged.status_code == 403
    not_yet = api.get(url, params={"created_at": str(today())})
    assert not_yet.status_code == 400 and not_yet.json()["errors"][0]["field"] == "created_at"
    too_old = str(today() - timedelta(days=RETENTION_DAYS + 1))
    assert api.get(url, params={"created_at": too_old}).status_code == 404
    assert api.get(f"{simulator.base_url}/tickets/3/activities").status_code == 404


@pytest.mark.simulator(tickets=5)
def test_a_bookmark_that_is_not_a_day_stops_the_run_in_one_line(simulator, config):
    state = {"bookmarks": {"ticket_activities": {"last_exported_day": "last tuesday"}}}

    run = run_tap(config, streams=["ticket_activities"], state=state)

    assert run.returncode == 1
    assert "last_exported_day of ticket_activities is not a date" in run.stderr
    assert "Traceback" not in run.stderr and not export_requests(simulator)


def yesterday_only():
    """A STATE whose bookmark leaves only yesterday's export to read."""
    before = today() - timedelta(days=2)
    return {"bookmarks": {"ticket_activities": {"last_exported_day": str(before)}}}


@pytest.mark.parametrize("fault", ["429", "truncated"])
@pytest.mark.simulator(tickets=30)
def test_the_file_host_is_retried_like_the_api_a_429_and_a_body_cut_short(simulator, config, fault):
    """The export file goes through every request's retry policy (tap_freshdesk.http.retries).

    A 429 from the file host was not retried, and a body shorter than its Content-Length
    ended the run with exit 1 and three tracebacks (ChunkedEncodingError).
    """
    simulator.files.fail_next(fault, count=2)

    run = run_tap(config, streams=["ticket_activities"], state=yesterday_only())

    assert run.returncode == 0, run.stderr[-2000:]
    assert "Traceback" not in run.stderr
    yesterday = str(today() - timedelta(days=1))
    truth = [as_emitted(r) for r in simulator.truth("ticket_activities")]
    assert emitted(run) == [r for r in truth if r["export_date"] == yesterday]
    assert run.state["bookmarks"]["ticket_activities"]["last_exported_day"] == yesterday
    assert [status for *_, status in simulator.files.requests][-1] == 200
    assert len(simulator.files.requests) == 3
    retried = [line for line in run.stderr.splitlines() if "activities-export" in line]
    assert len(retried) == 2, retried
    assert "X-Amz-Signature" not in run.stderr, "the link's credential was logged"


@pytest.mark.simulator(tickets=30)
def test_days_left_pending_are_counted_and_warned_before_they_leave_the_window(simulator, config):
    """At 60% faults days piled up silently; the log now says how many, and warns in time."""
    oldest = today() - timedelta(days=RETENTION_DAYS - 2)
    state = {"bookmarks": {"ticket_activities": {"last_exported_day": str(oldest - timedelta(1))}}}
    # Two tries fit in a second of retries (waits of 0.5 to 1 s, then 1 to 2 s): both cut.
    simulator.files.fail_next("truncated", count=2)

    run = run_tap({**config, "max_retry_seconds": 1}, streams=["ticket_activities"], state=state)

    assert run.returncode == 0, run.stderr[-2000:]
    assert not run.records("ticket_activities")
    pending = f"{RETENTION_DAYS - 2} day(s) of activities pending ({oldest} to "
    assert pending in run.stderr
    warnings = [line for line in run.stderr.splitlines() if "can be read only until" in line]
    assert len(warnings) == 1 and "WARNING" in warnings[0]
    assert f"{oldest} can be read only until {oldest + timedelta(RETENTION_DAYS)}" in warnings[0]

    resumed = run_tap(config, streams=["ticket_activities"], state=run.state)

    assert resumed.returncode == 0
    assert "pending" not in resumed.stderr
    assert {r["export_date"] for r in resumed.records("ticket_activities")} >= {str(oldest)}


@pytest.mark.simulator(tickets=30)
def test_a_sigterm_while_the_export_file_is_retried_stops_at_once(simulator, config, tmp_path):
    """A retry's wait for the file host is cut short by a stop, as every other wait is."""
    simulator.files.fail_next("truncated", count=50)
    (tmp_path / "config.json").write_text(json.dumps(config))
    (tmp_path / "state.json").write_text(json.dumps(yesterday_only()))
    (tmp_path / "catalog.json").write_text(json.dumps(catalog_selecting(["ticket_activities"])))
    command = [TAP, "--config", str(tmp_path / "config.json")]
    command += ["--state", str(tmp_path / "state.json")]
    command += ["--catalog", str(tmp_path / "catalog.json")]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        # The third failure's wait is 2 to 4 s: long enough to be inside it when signalled.
        while len(simulator.files.requests) < 3:
            assert process.poll() is None, "the run ended before its third try"
            time.sleep(0.05)
        process.send_signal(signal.SIGTERM)
        _, stderr = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()

    assert process.returncode == 143, stderr.decode()[-2000:]
    assert len(simulator.files.requests) == 3, "a file request was sent after the signal"
