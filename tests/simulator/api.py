"""Freshdesk API v2 semantics for one request: auth, validation, routing, pagination, errors.

Independent of sockets: `Api.answer` turns (path, query, Authorization) into status, headers
and body, which server.py writes. Faults and latency are the server's.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Callable, Iterator
from datetime import UTC, date, timedelta
from typing import Any
from urllib.parse import urlencode

from tests.simulator import sections, ticket_extras
from tests.simulator.answers import (
    ACCESS_DENIED,
    DATE_MESSAGE,
    EXPORT_NOT_IN_PLAN,
    INVALID_CREDENTIALS,
    PAGE_CAP_MESSAGE,
    PAGE_MESSAGE,
    PER_PAGE_MESSAGE,
    PLAN_GATES,
    RATE_LIMITED,
    ApiError,
    Response,
    choice,
    dumps,
    invalid,
    moment,
    positive,
    require_feature,
)
from tests.simulator.catalog import lineage
from tests.simulator.clock import seconds_of, stamp_at
from tests.simulator.config import SimulatorConfig
from tests.simulator.custom_objects import InvalidQuery
from tests.simulator.exports import export_days
from tests.simulator.odd_records import oddify
from tests.simulator.ratelimit import RateLimiter
from tests.simulator.routes import (
    ACTIVITIES_EXPORT,
    ARCHIVED_CONVERSATIONS,
    ARCHIVED_TICKET,
    CONVERSATIONS,
    CUSTOM_OBJECTS,
    LISTS,
    OLDER_SKILLS,
    SETTINGS,
    SKILLS,
    SUB_LIMITED,
    TICKET,
)
from tests.simulator.store import Account
from tests.simulator.tickets import list_shape
from tests.simulator.translations import split_language, translate

API_PREFIX = "/api/v2"
MAX_PER_PAGE = 100
DEFAULT_PER_PAGE = 30
TICKET_PAGE_CAP = 300
#: Without `updated_since` the ticket list shows only tickets created this recently.
DEFAULT_TICKET_WINDOW = timedelta(days=30)
#: Credits each `include` of the ticket list adds to its request (Freshdesk's API reference,
#: List All Tickets: every embed costs 2 more credits), reported in X-Ratelimit-Used-CurrentRequest.
INCLUDE_CREDITS = 2
TICKET_ORDERS = ("created_at", "due_by", "updated_at", "status")
TICKET_FILTERS = ("new_and_my_open", "watching", "spam", "deleted")
TICKET_INCLUDES = ("requester", "stats", "company", "description")
CONTACT_STATES = ("blocked", "deleted", "unverified", "verified")

#: A numeric path segment, for counting requests per endpoint rather than per record.
ID_SEGMENT = re.compile(r"/\d+(?=/|$)")


def endpoint_of(route: str) -> str:
    """`/tickets/7/conversations` → `/tickets/{id}/conversations`: requests grouped by endpoint."""
    return ID_SEGMENT.sub("/{id}", route)


class Api:
    """The account behind Freshdesk's URLs."""

    def __init__(self, config: SimulatorConfig, account: Account, limiter: RateLimiter) -> None:
        self.config = config
        self.account = account
        self.limiter = limiter
        #: A pre-signed link to a day's activities file (set when the file host starts).
        self.export_link: Callable[[date], str] = lambda day: ""

    def answer(self, route: str, query: dict[str, str], auth: str | None, origin: str) -> Response:
        """Answer GET `API_PREFIX + route`; `origin` is `http://host:port` for Link headers."""
        if not self._authorised(auth):
            return Response(401, self.limiter.peek().headers(), dumps(INVALID_CREDENTIALS))
        includes = [i for i in query.get("include", "").split(",") if i]
        credits = 1 + INCLUDE_CREDITS * len(includes) if route == "/tickets" else 1
        verdict = self.limiter.charge(credits, SUB_LIMITED.get(route))
        headers = verdict.headers()
        if not verdict.allowed:
            return Response(429, headers, dumps(RATE_LIMITED))
        try:
            records, more, page = self._route(route, query, includes)
        except ApiError as error:
            body = b"" if error.body is None else dumps(error.body)
            return Response(error.status, headers, body, credits)
        if more:
            following = urlencode({**query, "page": str(page + 1)})
            headers["Link"] = f'<{origin}{API_PREFIX}{route}?{following}>; rel="next"'
        return Response(200, headers, dumps(records), credits)

    def _authorised(self, auth: str | None) -> bool:
        """HTTP Basic with the API key as user name; the password is ignored (`X` by habit)."""
        if not auth or not auth.startswith("Basic "):
            return False
        try:
            user = base64.b64decode(auth[6:], validate=True).decode().split(":", 1)[0]
        except (binascii.Error, UnicodeDecodeError):
            return False
        return user == self.config.api_key

    def _route(  # noqa: PLR0911 - one return per kind of answer
        self, route: str, query: dict[str, str], includes: list[str]
    ) -> tuple[Any, bool, int]:
        """(body, whether another page follows, page) of GET `route`."""
        route = route.rstrip("/") or route
        if route == ACTIVITIES_EXPORT:
            return self._activities_export(query), False, 1
        single = self._single(route, query)
        if single is not None:
            return single, False, 1
        route, language = split_language(route)
        if language is not None and language not in self.account.translation_languages():
            raise ApiError(404, None)
        stream, extra, children = self._resolve(route)
        self._check_feature(stream)
        for name in query:
            if name not in ("page", "per_page", *extra):
                raise invalid(name, "Unexpected/invalid field in request", "invalid_field")
        per_page = positive(query, "per_page", DEFAULT_PER_PAGE, PER_PAGE_MESSAGE)
        if per_page > MAX_PER_PAGE:
            raise invalid("per_page", PER_PAGE_MESSAGE)
        page = positive(query, "page", 1, PAGE_MESSAGE)
        skip = (page - 1) * per_page
        if language is not None:
            listed = children if children is not None else self.account.truth(stream)
            records = translate(stream, listed, language)
            return records[skip : skip + per_page], len(records) > skip + per_page, page
        if stream == "settings":
            # One object, never paged: `page`/`per_page` are accepted and ignored.
            return self.account.catalog.helpdesk.settings(), False, page
        if children is not None:
            return children[skip : skip + per_page], len(children) > skip + per_page, page
        if stream == "tickets":
            records, more = self._tickets(query, includes, page, skip, per_page)
            return records, more, page
        records, more = self._list(stream, query, skip, per_page)
        return records, more, page

    def _resolve(self, route: str) -> tuple[str, tuple[str, ...], list[dict[str, Any]] | None]:
        """(stream, extra query parameters, the records of a list below a parent) of `route`.

        An unknown URL, or a parent that does not exist (a missing, deleted or spam ticket, an
        unknown folder…), is a 404 with no body, as on Freshdesk.
        """
        if route in (SKILLS, OLDER_SKILLS):
            if (route == OLDER_SKILLS) != self.config.older_skills_routing:
                raise ApiError(404, None)
            return "skills", (), None
        if route in LISTS:
            return (*LISTS[route], None)
        if route == SETTINGS:
            return "settings", (), None
        found = CONVERSATIONS.match(route)
        if found is not None:
            self._check_feature("conversations")
            ticket_id = int(found.group(1))
            if ticket_id in self.config.forbidden_conversations:
                raise ApiError(403, ACCESS_DENIED)
            records = self.account.conversations(ticket_id)
            if records is None:
                raise ApiError(404, None)
            return "conversations", (), records
        found = ARCHIVED_CONVERSATIONS.match(route)
        if found is not None:
            self._check_feature("archived_conversations")
            if int(found.group(1)) in self.config.refused_archived_tickets:
                raise ApiError(403, ACCESS_DENIED)
            records = self.account.conversations(int(found.group(1)), archived=True)
            if records is None:
                raise ApiError(404, None)
            return "archived_conversations", (), records
        child = self.account.catalog.children(route)
        if child is None:
            raise ApiError(404, None)
        stream, records = child
        self._check_feature(stream)
        if records is None:
            raise ApiError(404, None)
        return stream, (), records

    def _single(self, route: str, query: dict[str, str]) -> dict[str, Any] | None:
        """Return one object, not a list; None for any other route.

        Custom objects (their own envelope), one ticket, archived or live, a ticket's watchers
        or summary.
        """
        if route.startswith(CUSTOM_OBJECTS):
            return self._custom_objects(route, query)  # its own parameters, checked there
        extra = ticket_extras.match(route)
        field_id = sections.match(route)
        if extra is not None:
            self._check_feature(extra[0])
            found = ticket_extras.answer(self.account, *extra)
            if found is None:
                raise ApiError(404, None)
        elif field_id is not None:
            self._check_feature("ticket_field_sections")
            found = sections.sections(self.account, field_id)
            if found is None:
                raise ApiError(404, None)
        else:
            found = self._one_ticket(route)
        if found is not None:
            for name in query:
                raise invalid(name, "Unexpected/invalid field in request", "invalid_field")
        return found

    def _custom_objects(self, route: str, query: dict[str, str]) -> dict[str, Any]:
        """Return custom object schemas and records in their own envelope.

        Errors have their own shape too (API reference, "Custom Objects", "Error Descriptions").
        """
        self._check_feature("custom_objects")
        try:
            body = self.account.custom_objects.answer(route, query)
        except KeyError as missing:
            message = f"Custom object with id '{missing.args[0]}' does not exist."
            raise ApiError(
                404, {"error_type": "RESOURCE_NOT_FOUND", "message": message, "errors": []}
            ) from None
        except InvalidQuery as refused:
            errors = [{"name": refused.args[0], "message": "Field does not exist."}]
            raise ApiError(
                400, {"error_type": "INVALID_INPUT", "message": "Invalid input", "errors": errors}
            ) from None
        if body is None:
            raise ApiError(404, None)
        return body

    def _one_ticket(self, route: str) -> dict[str, Any] | None:
        """Return GET /tickets/{id} or /tickets/archived/{id}; None when `route` is neither.

        A live ticket comes with its description, and answers 404 once archived or gone.
        """
        archived = ARCHIVED_TICKET.match(route)
        found = archived or TICKET.match(route)
        if found is None:
            return None
        ticket_id = int(found.group(1))
        if archived:
            self._check_feature("archived_tickets")
            if ticket_id in self.config.refused_archived_tickets:
                raise ApiError(403, ACCESS_DENIED)
            record = self.account.archived_ticket(ticket_id)
        else:
            self._check_feature("tickets")
            ticket = self.account.ticket(ticket_id)
            shown = ticket is not None and not self.account.is_archived(ticket_id)
            record = list_shape(ticket, ("description",)) if ticket and shown else None
        if record is None:
            raise ApiError(404, None)
        if self.config.odd_tickets.get(ticket_id) == "no_id":
            record = oddify(record, "no_id")  # the ticket lacks it wherever it is served
        return record

    def _activities_export(self, query: dict[str, str]) -> dict[str, Any]:
        """GET /export/ticket_activities: the link to one day's file (see exports.py)."""
        if "ticket_activities" in self.config.disabled_features:
            raise ApiError(403, EXPORT_NOT_IN_PLAN)
        for name in query:
            if name != "created_at":
                raise invalid(name, "Unexpected/invalid field in request", "invalid_field")
        today = self.config.clock().astimezone(UTC).date()
        try:
            day = date.fromisoformat(query.get("created_at", ""))
        except ValueError:
            raise invalid("created_at", DATE_MESSAGE, "datatype_mismatch") from None
        if day >= today:
            raise invalid("created_at", "created at is an invalid_value. File not generated yet.")
        if day not in export_days(today):
            raise ApiError(404, None)
        link = self.export_link(day)
        if self.config.activity_export_shape == "object":
            return {"export": {"url": link}}
        return {"export": [{"created_at": f"{day.day}-{day.month}-{day.year}", "url": link}]}

    def _check_feature(self, stream: str) -> None:
        """Refuse a stream the account lacks: 404 without the feature, 403 without the plan.

        403 also when the agent lacks the privilege; a feature off for a parent stream is off
        for its children.
        """
        streams = lineage(stream)
        if any(s in self.config.missing_features for s in streams):
            raise ApiError(404, None)
        disabled = [s for s in streams if s in self.config.disabled_features]
        if disabled:
            gate = PLAN_GATES.get(disabled[0])
            raise ApiError(403, require_feature(gate) if gate else ACCESS_DENIED)

    def _tickets(
        self, query: dict[str, str], includes: list[str], page: int, skip: int, take: int
    ) -> tuple[list[dict[str, Any]], bool]:
        """GET /tickets: the 300-page cap, the 30-day default window, filters and ordering."""
        if page > TICKET_PAGE_CAP:
            raise invalid("page", PAGE_CAP_MESSAGE)
        for name in includes:
            if name not in TICKET_INCLUDES:
                raise invalid(
                    "include", f"It should be one of these values: '{','.join(TICKET_INCLUDES)}'"
                )
        order_by = choice(query, "order_by", TICKET_ORDERS, "created_at")
        order_type = choice(query, "order_type", ("asc", "desc"), "desc")
        view = choice(query, "filter", TICKET_FILTERS, "") if "filter" in query else None
        since = moment(query, "updated_since")
        window = None
        if since is None:
            window = seconds_of(self.config.clock() - DEFAULT_TICKET_WINDOW)
        params = {
            "view": view if view in ("spam", "deleted") else None,
            "since": since,
            "window": window,
            "order_by": order_by,
            "descending": order_type == "desc",
        }
        records, more = self.account.ticket_page(params, skip, take)
        odd = self.config.odd_tickets
        return [oddify(list_shape(r, includes), odd.get(r["id"])) for r in records], more

    def _list(
        self, stream: str, query: dict[str, str], skip: int, take: int
    ) -> tuple[list[dict[str, Any]], bool]:
        account = self.account
        if stream == "contacts":
            state = choice(query, "state", CONTACT_STATES, "") if "state" in query else None
            since = moment(query, "_updated_since")
            key = ("contacts", account.version, state, since)
            numbers, more = account.pager.page(
                key, lambda: account.contact_numbers(state, since), skip, take
            )
            return [account.contact(k) for k in numbers], more
        if stream == "companies":
            numbers = account.company_numbers()
            shown = numbers[skip : skip + take]
            return [account.company(k) for k in shown], skip + take < len(numbers)
        if stream == "time_entries":
            after = moment(query, "executed_after")
            before = moment(query, "executed_before")
            return self._filtered(
                ("time_entries", after, before),
                account.time_entry,
                account.sizes["time_entries"],
                lambda r: (
                    (after is None or r["executed_at"] >= stamp_at(after))
                    and (before is None or r["executed_at"] <= stamp_at(before))
                ),
                skip,
                take,
            )
        if stream == "satisfaction_ratings":
            since = moment(query, "created_since")
            return self._filtered(
                ("satisfaction_ratings", since),
                account.satisfaction_rating,
                account.sizes["satisfaction_ratings"],
                lambda r: since is None or r["created_at"] >= stamp_at(since),
                skip,
                take,
            )
        records = account.truth(stream)
        return records[skip : skip + take], len(records) > skip + take

    def _filtered(  # noqa: PLR0917 - internal helper
        self,
        key: tuple[Any, ...],
        build: Callable[[int], dict[str, Any]],
        count: int,
        keep: Callable[[dict[str, Any]], bool],
        skip: int,
        take: int,
    ) -> tuple[list[dict[str, Any]], bool]:
        """Return a page of a list by id filtered without an index: walked lazily, by page."""

        def numbers() -> Iterator[int]:
            return (k for k in range(1, count + 1) if keep(build(k)))

        found, more = self.account.pager.page(key, numbers, skip, take)
        return [build(k) for k in found], more
