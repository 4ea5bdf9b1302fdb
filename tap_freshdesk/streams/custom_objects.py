"""Custom objects: one stream per object the account defines, its `data` typed from its schema.

Freshdesk's Custom Objects API (API reference, "Custom Objects"; Enterprise plans, on request):
`GET /custom_objects/schemas` answers `{"schemas": [...]}`, each with its `fields` (`name`,
`type`); `GET /custom_objects/schemas/{id}/records` answers `{"records": [...], "_links":
{"next": {"href": ...}}}`, records `{display_id, created_time, updated_time, version, data,
metadata}` with epoch-millisecond times, at most 100 a page (`page_size`), pages only in
sequence through the `next_token` of `_links.next`. Records can be filtered by the system field
`updated_time[gte]` (`YYYY-MM-DDTHH:mm:ss.SSSZ`), but sorted only by filterable fields of the
schema (by created time by default): so the stream filters on the server and keeps its bookmark
as an unsorted stream does, capped at Freshdesk's clock when the pass began.
"""

from __future__ import annotations

import functools
import re
import typing as t
from datetime import UTC, datetime
from urllib.parse import parse_qs, urlsplit

from singer_sdk.pagination import BaseAPIPaginator

from tap_freshdesk.http.body import json_body
from tap_freshdesk.http.errors import StreamUnavailableError
from tap_freshdesk.records.custom_fields import BOOLEAN, DATE, DATE_TIME, INTEGER, NUMBER, STRING
from tap_freshdesk.records.timestamps import format_api_time
from tap_freshdesk.streams.base import FreshdeskStream

if t.TYPE_CHECKING:
    from collections.abc import Iterable

    import requests
    from singer_sdk import Tap
    from singer_sdk.helpers.types import Context

    from tap_freshdesk.sync.shared import Shared

Schema = dict[str, t.Any]

#: JSON schema of a `data` value per field `type` (reference, "Supported Field Types"; CHECKBOX
#: appears in its error table). MULTI-SELECT, LOOKUP RELATIONSHIP and any type not listed have
#: no documented value shape: any JSON value, so a target never refuses one.
FIELD_SCHEMAS: dict[str, Schema] = {
    **dict.fromkeys(("PRIMARY", "TEXT", "PARAGRAPH", "DROPDOWN"), STRING),
    "NUMBER": INTEGER,
    "DECIMAL": NUMBER,
    "CHECKBOX": BOOLEAN,
    "DATE": DATE,
}
_TIMESTAMP: Schema = DATE_TIME
_MILLISECONDS: Schema = INTEGER


def record_schema(fields: Iterable[dict[str, t.Any]]) -> Schema:
    """Return one custom object's stream schema: system fields, `data` typed by `fields`."""
    data = {
        field["name"]: dict(FIELD_SCHEMAS.get(str(field.get("type")), {}))
        for field in fields
        if isinstance(field, dict) and isinstance(field.get("name"), str)
    }
    return {
        "type": "object",
        "properties": {
            "display_id": {"type": "string"},
            "schema_id": {"type": ["integer", "null"]},
            "created_time": _MILLISECONDS,
            "updated_time": _MILLISECONDS,
            "created_at": _TIMESTAMP,
            "updated_at": _TIMESTAMP,
            "version": {"type": ["integer", "null"]},
            "data": {
                "type": ["object", "null"],
                "properties": data,
                "additionalProperties": True,
            },
            "metadata": {"type": ["object", "null"], "additionalProperties": True},
        },
    }


class NextTokenPaginator(BaseAPIPaginator[str | None]):
    """Follow `_links.next.href` by its `next_token`; no link (or an empty token) ends it."""

    def __init__(self) -> None:
        super().__init__(None)

    def get_next(self, response: requests.Response) -> str | None:
        """Return the next page's token, None on the last page."""
        body = json_body(response)
        links = body.get("_links") if isinstance(body, dict) else None
        href = ((links or {}).get("next") or {}).get("href")
        if not isinstance(href, str):
            return None
        token = parse_qs(urlsplit(href).query).get("next_token", [""])[0]
        return token or None


class CustomObjectSchemasStream(FreshdeskStream):
    """The account's custom object definitions: read at discovery, not a stream of the tap."""

    name = "custom_object_schemas"
    path = "/custom_objects/schemas"
    records_key = "schemas"
    plan_feature = "custom objects"

    @functools.cached_property
    def schema(self) -> Schema:
        """Any object: only `id`, `name` and `fields` are read."""
        return {"type": "object", "properties": {"id": {"type": "integer"}}}

    def get_url_params(self, context: Context | None, next_page_token: t.Any) -> dict[str, t.Any]:
        """No paging: the reference lists the schemas in one answer (at most 20 per account)."""
        return {}


class CustomObjectStream(FreshdeskStream):
    """The records of one custom object, incremental on `updated_time`.

    `created_at` and `updated_at` are added as timestamps (seconds, like every other stream's)
    from the epoch-millisecond times, which are kept as they are.
    """

    primary_keys: t.ClassVar[tuple[str, ...]] = ("display_id",)
    replication_key = "updated_at"
    since_param = "updated_time[gte]"
    records_key = "records"
    plan_feature = "custom objects"

    def __init__(self, tap: Tap, shared: Shared, definition: dict[str, t.Any], name: str) -> None:
        self.definition = definition
        self.path = f"/custom_objects/schemas/{definition['id']}/records"
        super().__init__(tap=tap, shared=shared, name=name)

    @functools.cached_property
    def schema(self) -> Schema:
        """Typed from the object's field definitions, read at discovery."""
        return record_schema(self.definition.get("fields") or [])

    def get_new_paginator(self) -> NextTokenPaginator:
        """Token pagination: custom objects do not take `page`."""
        return NextTokenPaginator()

    def get_url_params(self, context: Context | None, next_page_token: t.Any) -> dict[str, t.Any]:
        """`page_size` (not `per_page`), the bookmark as `updated_time[gte]`, the next token."""
        since = self.since(context).astimezone(UTC)
        params: dict[str, t.Any] = {
            "page_size": self.settings.page_size,
            "updated_time[gte]": since.strftime("%Y-%m-%dT%H:%M:%S.000Z"),
        }
        if next_page_token:
            params["next_token"] = next_page_token
        return params

    def parse_response(self, response: requests.Response) -> Iterable[dict[str, t.Any]]:
        """Add `created_at`/`updated_at` and the object's id to each record."""
        records = list(super().parse_response(response))
        for record in records:
            record["schema_id"] = self.definition["id"]
            for millis, stamp in (("created_time", "created_at"), ("updated_time", "updated_at")):
                value = record.get(millis)
                if isinstance(value, int | float):
                    record[stamp] = format_api_time(datetime.fromtimestamp(value / 1000, UTC))
        return records


def custom_object_streams(
    tap: Tap, shared: Shared, taken: t.Collection[str]
) -> list[CustomObjectStream]:
    """One stream per custom object the account defines now, named `custom_object_<name>`.

    Read at each discovery, and at each run whose catalog selects one, so an object created
    between runs appears at the next discovery. An account without the feature (403 or 404)
    gets one warning and no such streams; a wrong key or domain ends the run in its one line.
    """
    if not shared.settings.api_key:
        return []  # `--discover` without settings: the standard streams only
    catalog = tap.input_catalog
    if catalog is not None and not any(
        entry.tap_stream_id.startswith("custom_object_") and entry.metadata.root.selected
        for entry in catalog.streams
    ):
        return []  # a sync whose catalog selects no custom object: no request for them
    reader = CustomObjectSchemasStream(tap=tap, shared=shared)
    try:
        definitions = reader.read_all()
    except StreamUnavailableError as exc:
        tap.logger.warning("Custom objects are not extracted: %s", exc)
        return []
    streams = []
    names = set(taken)
    for definition in definitions:
        if definition.get("deleted") or not isinstance(definition.get("id"), int):
            continue
        slug = re.sub(r"[^a-z0-9]+", "_", str(definition.get("name", "")).lower()).strip("_")
        name = f"custom_object_{slug or definition['id']}"
        if name in names:
            name = f"{name}_{definition['id']}"
        names.add(name)
        streams.append(CustomObjectStream(tap, shared, definition, name))
    return streams
