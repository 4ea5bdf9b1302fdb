"""What the tap keeps out of the log: the SDK's noise, so that its own progress lines read.

The SDK logs a metric line per request and two notices per parent record's children, and
warns that every list filtered here by its bookmark "is assumed to be unsorted". A sync of a
large account would log millions of such lines; tap_freshdesk.sync.progress says what matters.
"""

from __future__ import annotations

import logging
import sys

from singer_sdk.exceptions import MaxRecordsLimitException
from singer_sdk.metrics import METRICS_LOGGER_NAME

from tap_freshdesk.http.errors import FreshdeskError
from tap_freshdesk.sdk.private import PER_PARENT_NOTICES, UNHANDLED_ERROR, UNSORTED_WARNING


def quiet_sdk_logs(*, sdk_metrics: bool) -> None:
    """Keep the log readable: SDK metric lines only on request, no misleading warning.

    The SDK warns that a stream "is assumed to be unsorted" for every stream filtered here by
    its bookmark; such streams keep their bookmark until they finish, which is what a small
    list needs, so the warning only alarms. Filters, unlike levels, survive the logging set-up
    the SDK applies while the tap starts.
    """
    _QuietFilter.sdk_metrics = sdk_metrics
    # The level spares building every metric record just to filter it out.
    logging.getLogger(METRICS_LOGGER_NAME).setLevel(
        logging.NOTSET if sdk_metrics else logging.WARNING
    )
    for name in ("singer_sdk", METRICS_LOGGER_NAME):
        logger = logging.getLogger(name)
        if not any(isinstance(f, _QuietFilter) for f in logger.filters):
            logger.addFilter(_QuietFilter())


class _QuietFilter(logging.Filter):
    sdk_metrics = False

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name == METRICS_LOGGER_NAME:
            return self.sdk_metrics
        return not str(record.msg).startswith(UNSORTED_WARNING)


def per_parent_notices(record: logging.LogRecord) -> bool:
    """Drop the notices the SDK logs for every parent record's children, two or three a ticket."""
    return not str(record.msg).startswith(PER_PARENT_NOTICES)


def record_limit_stops(record: logging.LogRecord) -> bool:
    """Drop the SDK's "unhandled error" line for a stop that is no unhandled error.

    `--test` syncs one record per stream: `Stream._check_max_record_limit` then aborts the
    stream with an exception caused by `MaxRecordsLimitException`, and `Stream.sync` logs
    "An unhandled error occurred while syncing" at ERROR for it (31 lines on a successful
    test) before `Tap.run_sync_dry_run` swallows it. A `FreshdeskError` (a refused key, a
    host that never answers) ends the run with its own one line, which this one would only
    precede, and so does a closed stdout (the tap names the target). The line is logged inside
    the `except` block, so the exception being handled tells these from any other error,
    which still logs.
    """
    if not str(record.msg).startswith(UNHANDLED_ERROR):
        return True
    error = sys.exc_info()[1]
    return not isinstance(error, FreshdeskError | BrokenPipeError) and not (
        error is not None and isinstance(error.__cause__, MaxRecordsLimitException)
    )
