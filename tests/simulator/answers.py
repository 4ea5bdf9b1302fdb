"""What the simulator sends back: an answer's parts, query values checked, Freshdesk's errors.

Error bodies and messages are Freshdesk's own, as its API reference and real answers show them
(a 400 lists one error per refused field; 401, 403 and 429 carry a code and a message).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from tests.simulator.clock import parse, seconds_of

PER_PAGE_MESSAGE = "It should be a Positive Integer less than or equal to 100"
PAGE_MESSAGE = "It should be a Positive Integer"
PAGE_CAP_MESSAGE = (
    "You cannot access tickets beyond the 300th page. Please provide a smaller page number."
)
DATE_MESSAGE = "It should be in the 'valid date-time' format"

INVALID_CREDENTIALS = {
    "code": "invalid_credentials",
    "message": "You have to be logged in to perform this action.",
}
ACCESS_DENIED = {
    "code": "access_denied",
    "message": "You are not authorized to perform this action.",
}
#: Plan features gated with Freshdesk's `require_feature` 403, as a trial account answered
#: `GET /tickets/archived/1` ("The Archive Tickets feature(s) is/are not supported in your
#: plan..."); the summary's gate is assumed to answer alike (Blossom plans and up).
PLAN_GATES = {"archived_tickets": "Archive Tickets", "ticket_summaries": "Ticket Summary"}


def require_feature(feature: str) -> dict[str, str]:
    """Return Freshdesk's 403 body for a plan without `feature`."""
    return {
        "code": "require_feature",
        "message": f"The {feature} feature(s) is/are not supported in your plan. "
        "Please upgrade your account to use it.",
    }


#: The export's plan gate (ExportController#feature_check renders `require_feature`, 403).
EXPORT_NOT_IN_PLAN = {
    "code": "require_feature",
    "message": "The Activity Export feature(s) is/are not supported in your plan. "
    "Please upgrade your account to use it.",
}
RATE_LIMITED = {
    "message": "You have exceeded the limit of requests per minute. "
    "Please try again after the time specified in the Retry-After header."
}


@dataclass
class Response:
    """What to send: status, headers (without Content-Type/Length) and the body bytes."""

    status: int
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    credits: int = 0


class ApiError(Exception):
    """An error answer: status and Freshdesk's JSON body (None: an empty body)."""

    def __init__(self, status: int, body: dict[str, Any] | None) -> None:
        super().__init__(status)
        self.status = status
        self.body = body


def invalid(name: str, message: str, code: str = "invalid_value") -> ApiError:
    """Freshdesk's 400: a description and one error per refused field."""
    errors = [{"field": name, "message": message, "code": code}]
    return ApiError(400, {"description": "Validation failed", "errors": errors})


def dumps(body: Any) -> bytes:
    """Encode a body as Freshdesk does: compact JSON in UTF-8, escaped where UTF-8 cannot."""
    text = json.dumps(body, separators=(",", ":"), ensure_ascii=False)
    try:
        return text.encode()
    except UnicodeEncodeError:
        # A lone surrogate (an odd record) has no UTF-8 form: JSON sends it as a `\ud800` escape.
        return json.dumps(body, separators=(",", ":")).encode()


def positive(query: dict[str, str], name: str, default: int, message: str) -> int:
    """Return a positive integer parameter, `default` when absent; a 400 otherwise."""
    text = query.get(name)
    if text is None:
        return default
    if not text.strip().isdigit() or int(text) < 1:
        raise invalid(name, message, "datatype_mismatch" if name == "page" else "invalid_value")
    return int(text)


def choice(query: dict[str, str], name: str, allowed: tuple[str, ...], default: str) -> str:
    """Return a parameter that must be one of `allowed`, `default` when absent."""
    value = query.get(name, default)
    if value not in allowed:
        raise invalid(name, f"It should be one of these values: '{','.join(allowed)}'")
    return value


def moment(query: dict[str, str], name: str) -> int | None:
    """Return a timestamp filter as seconds after EPOCH; a malformed one is a 400, not ignored."""
    if name not in query:
        return None
    moment = parse(query[name])
    if moment is None:
        raise invalid(name, DATE_MESSAGE, "invalid_date")
    return seconds_of(moment)
