"""Ticket activities, a day at a time, from Freshdesk's activities export (see the class)."""

from __future__ import annotations

import functools
import typing as t
from datetime import UTC, date, datetime, timedelta
from http import HTTPStatus

from singer_sdk.exceptions import FatalAPIError

from tap_freshdesk.http.body import json_body
from tap_freshdesk.http.errors import FreshdeskError, InvalidInputError, StreamUnavailableError
from tap_freshdesk.http.presigned import FileNotThereError, FileUnreadableError, fetch_json
from tap_freshdesk.http.retries import Retrier
from tap_freshdesk.records.computed_keys import with_activity_keys
from tap_freshdesk.records.timestamps import format_api_time
from tap_freshdesk.streams.base import FreshdeskStream

if t.TYPE_CHECKING:
    from collections.abc import Iterable

    import requests
    from singer_sdk.helpers.types import Context


#: Days Freshdesk keeps each day's activities export; older days answer 404.
EXPORT_RETENTION_DAYS = 30


#: Waits while an export names a file that is not written yet (its link answers 404).
FILE_WAITS_SECONDS = (2.0, 4.0, 8.0)

#: A day left for the next run is warned about once it has this many days left to be read.
RETENTION_WARNING_DAYS = 7

#: The rate limiter's lane of the export files' host: its 429s pause it, not the API.
FILE_HOST_LANE = "export_files"


#: The activities bookmark: the last day read whole, `YYYY-MM-DD`.
EXPORT_DAY_KEY = "last_exported_day"


#: `performed_at` in the export file: day first, with an offset.
EXPORT_TIME_FORMAT = "%d-%m-%Y %H:%M:%S %z"


class TicketActivitiesStream(FreshdeskStream):
    """Every ticket's audit trail, one day per request, from Freshdesk's activities export.

    API v2 has no per-ticket activities route (`tickets/{id}/activities` is Freshdesk's private
    UI API, and Freshservice's). `export/ticket_activities?created_at=YYYY-MM-DD` answers
    `{"export": [{"created_at": "1-1-2022", "url": ...}]}` (also seen as `{"export": {"url":
    ...}}`), `{"export": {}}`, a 404 or a 400 on `created_at` when that day has no file; the
    file, on another host behind a pre-signed link, holds `{"activities_data": [...]}` with
    `performed_at` as `01-01-2022 09:33:38 +0000`, day first. Files are kept 30 days. Sources:
    Freshdesk's own `ExportController` (a public copy: Ramesh-Veeriaperumal/freshconsult,
    api/app/controllers/export_controller.rb), Airbyte source-freshdesk PR #80306 and its
    unit_tests/integration/test_ticket_activities.py; the `activity` keys in the schema are
    those a real account's export carried to a fork that read it (AlexeiTsybulsky/tap-freshdesk,
    tap_freshdesk/schemas/ticket_activities.json).

    The bookmark is the last day read whole (`last_exported_day`), written after each day,
    so a resumed run neither repeats a finished day nor skips one. Only finished days (before
    today, UTC) are read. Rows carry no id and two rows can be identical, so the tap keys each
    row by `activity_key` (see records.computed_keys): the same row read again (a day re-read
    after a resume) gets the same key, and a warehouse upserting on it keeps one row per
    activity.
    """

    name = "ticket_activities"
    path = "/export/ticket_activities"
    primary_keys: t.ClassVar[tuple[str, ...]] = ("activity_key",)
    key_origin = (
        "SHA-256 of the row as exported, keys sorted, and of the number of identical rows "
        "before it that day"
    )
    own_bookmark = EXPORT_DAY_KEY
    plan_feature = (
        "the ticket activities export (it needs an admin's key, on an account that had "
        "the export before Freshdesk retired it with Legacy Reports in October 2023)"
    )

    def get_records(self, context: Context | None) -> Iterable[dict[str, t.Any]]:
        """Read each day's export in turn, writing the day's bookmark once it is emitted whole.

        A day without a file is passed over when a later day has one (its file will never
        come); days without a file at the end are left for the next run.
        """
        waiting: list[date] = []
        days = self._days_to_read()
        for index, day in enumerate(days):
            try:
                links = self._export_links(day)
            except StreamUnavailableError as exc:
                self.logger.warning("Skipping stream %s: %s", self.name, exc)
                return
            if links is None:
                waiting.append(day)
                continue
            rows = self._rows(day, links)
            if rows is None:
                self._report_pending(waiting + days[index:])
                return
            if waiting:
                self.logger.warning(
                    "%s: Freshdesk has no export for %s, though later days have one: skipped.",
                    self.name,
                    ", ".join(d.isoformat() for d in waiting),
                )
                waiting = []
            yield from rows
            self._finish_day(day)
        if waiting:
            self.logger.info(
                "%s: no export for %s yet; the next run asks again.",
                self.name,
                ", ".join(d.isoformat() for d in waiting),
            )
            self._report_pending(waiting)

    def _report_pending(self, pending: list[date]) -> None:
        """Say how many days the next run must read, and warn before one leaves the window.

        A day left for later is read from the bookmark on, while Freshdesk keeps its file
        (EXPORT_RETENTION_DAYS): runs that keep failing on a day pile days up behind it.
        """
        today = datetime.now(UTC).date()
        self.logger.info(
            "%s: %d day(s) of activities pending (%s to %s); the next run reads them.",
            self.name,
            len(pending),
            pending[0].isoformat(),
            pending[-1].isoformat(),
        )
        last_chance = pending[0] + timedelta(days=EXPORT_RETENTION_DAYS)
        if (last_chance - today).days <= RETENTION_WARNING_DAYS:
            self.logger.warning(
                "%s: the activities of %s can be read only until %s (Freshdesk keeps exports "
                "%d days): run the tap again before then, or they are lost.",
                self.name,
                pending[0].isoformat(),
                last_chance.isoformat(),
                EXPORT_RETENTION_DAYS,
            )

    def post_process(
        self, row: dict[str, t.Any], context: Context | None = None
    ) -> dict[str, t.Any] | None:
        """Turn `performed_at` (`01-01-2022 09:33:38 +0000`, day first) into ISO 8601 UTC."""
        performed_at = row.get("performed_at")
        if isinstance(performed_at, str):
            try:
                moment = datetime.strptime(performed_at, EXPORT_TIME_FORMAT)
            except ValueError:
                self.logger.warning(
                    "%s: performed_at %r is not in the export's format; kept as sent.",
                    self.name,
                    performed_at[:40],
                )
            else:
                row["performed_at"] = format_api_time(moment)
        return super().post_process(row, context)

    def validate_response(self, response: requests.Response) -> None:
        """Take a 404, or a 400 on `created_at`, as "no export file that day", not an error."""
        try:
            super().validate_response(response)
        except StreamUnavailableError:
            if response.status_code == HTTPStatus.NOT_FOUND:
                raise NoExportError from None
            raise
        except FreshdeskError as exc:
            if response.status_code == HTTPStatus.BAD_REQUEST and "created_at" in str(exc):
                raise NoExportError from None
            raise

    def _days_to_read(self) -> list[date]:
        """Return the days after the bookmark (or from `start_date`) to yesterday, if still kept."""
        today = datetime.now(UTC).date()
        oldest_kept = today - timedelta(days=EXPORT_RETENTION_DAYS)
        bookmark = self.stream_state.get(EXPORT_DAY_KEY)
        if bookmark is not None:
            first = _bookmarked_day(bookmark) + timedelta(days=1)
        else:
            first = self.since(None).astimezone(UTC).date()
        if first < oldest_kept:
            log = self.logger.warning if bookmark is not None else self.logger.info
            log(
                "%s: Freshdesk keeps activity exports %d days; %s to %s are past that and "
                "cannot be read%s.",
                self.name,
                EXPORT_RETENTION_DAYS,
                first.isoformat(),
                (oldest_kept - timedelta(days=1)).isoformat(),
                " (the last run was longer ago than that)" if bookmark is not None else "",
            )
            first = oldest_kept
        return [first + timedelta(days=n) for n in range((today - first).days)]

    def _export_links(self, day: date) -> list[str] | None:
        """Return the file links of `day`'s export; None when Freshdesk has no file that day."""
        prepared = self.build_prepared_request(
            method="GET",
            url=self.get_url(None),
            params={"created_at": day.isoformat()},
            headers=self.http_headers,
        )
        try:
            response = self.send(prepared, None)
        except NoExportError:
            return None
        body = json_body(response)
        export = body.get("export") if isinstance(body, dict) else None
        entries = export if isinstance(export, list) else [export]
        links = [e["url"] for e in entries if isinstance(e, dict) and isinstance(e.get("url"), str)]
        return links or None

    def _rows(self, day: date, links: list[str]) -> list[dict[str, t.Any]] | None:
        """Every row of `day`'s files; None (the day is left for the next run) if one fails.

        A link may be handed out before its file is written (it answers 404): wait a little,
        a bounded number of times, saying so.
        """
        rows: list[dict[str, t.Any]] = []
        for link in links:
            for wait in (*FILE_WAITS_SECONDS, None):
                try:
                    body = fetch_json(
                        link,
                        retrier=self._file_retrier,
                        timeout=self.timeout,
                        user_agent=self.user_agent,
                    )
                    break
                except FileNotThereError:
                    if wait is None:
                        self.logger.info(
                            "%s: the export file for %s is still not there; the next run asks "
                            "again.",
                            self.name,
                            day.isoformat(),
                        )
                        return None
                    self.logger.info(
                        "%s: the export file for %s is not written yet; waiting %.0f s.",
                        self.name,
                        day.isoformat(),
                        wait,
                    )
                    self.shared.rate_limiter.wait(wait)  # a stop cuts it short
                except FileUnreadableError as exc:
                    self.logger.warning(
                        "%s: %s for %s; the next run asks again.", self.name, exc, day.isoformat()
                    )
                    return None
            data = body.get("activities_data")
            if not isinstance(data, list):
                self.logger.warning(
                    "%s: the export file for %s has no activities_data list; the next run asks "
                    "again.",
                    self.name,
                    day.isoformat(),
                )
                return None
            rows += [{**r, "export_date": day.isoformat()} for r in data if isinstance(r, dict)]
        return with_activity_keys(rows)

    @functools.cached_property
    def _file_retrier(self) -> Retrier:
        """Every request's retry policy, for the files' host, on a lane of its own."""
        return self.retrier("the export file host", self.shared.rate_limiter.lane(FILE_HOST_LANE))

    def _finish_day(self, day: date) -> None:
        """Bookmark `day` as read whole, in a STATE written after its last record."""
        self.stream_state[EXPORT_DAY_KEY] = day.isoformat()
        self.state_changed(write_now=True)


class NoExportError(FatalAPIError):
    """The activities export has no file for the day asked (404, or a 400 on `created_at`)."""


def _bookmarked_day(value: t.Any) -> date:
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        msg = (
            f"The state's {EXPORT_DAY_KEY} of ticket_activities is not a date "
            f"({str(value)[:40]!r}): correct it or remove the stream from the state."
        )
        raise InvalidInputError(msg) from None
