"""Schemas that follow the account: keys its records carry that a schema lacks, found at discovery.

Freshdesk adds fields to its answers without notice, and accounts differ by plan and age
(`support_email`, `ticket_bcc_emails`, `structured_description`… each found only on some
accounts). A key the catalog lacks reaches a SQL target as a value without a column, which
most drop without a word. So `--discover` reads the first page of each top-level stream and
declares, typed from their JSON values, the top-level keys those records carry that the
schema lacks, one log line each. Cost: one request per top-level stream (22 more than
without, on an account with every feature); children and streams read from a parent or an
export are not sampled. A key that first appears after discovery keeps the sync's warning
(tap_freshdesk.sync.output). Turned off by `discover_undeclared_fields`.
"""

from __future__ import annotations

import typing as t

from requests import RequestException
from singer_sdk.exceptions import FatalAPIError, RetriableAPIError

from tap_freshdesk.http.endpoint import EndpointError
from tap_freshdesk.http.errors import KeyRefusedError, UnreachableError
from tap_freshdesk.records.custom_fields import BOOLEAN, INTEGER, NUMBER, STRING
from tap_freshdesk.streams.custom_objects import CustomObjectStream
from tap_freshdesk.streams.transport import Transport

if t.TYPE_CHECKING:
    import logging
    from collections.abc import Iterable

    from tap_freshdesk.streams.base import FreshdeskStream

Schema = dict[str, t.Any]
Record = dict[str, t.Any]

#: A value of any JSON type: what a key seen only as null may hold.
ANY: Schema = {"type": ["string", "integer", "number", "boolean", "array", "object", "null"]}
_BY_PYTHON_TYPE: dict[type, str] = {
    bool: "boolean",
    int: "integer",
    float: "number",
    str: "string",
    list: "array",
    dict: "object",
}
_SCALARS = {"boolean": BOOLEAN, "integer": INTEGER, "number": NUMBER, "string": STRING}


def value_schema(values: Iterable[t.Any]) -> Schema:
    """Return the nullable schema of a key from the values records gave it.

    One scalar type is typed as custom fields are (records.custom_fields); integers and
    decimals together are numbers; several types are a type list. Arrays and objects stay
    open (any items, any keys); a key seen only as null may hold anything.
    """
    kinds = {
        _BY_PYTHON_TYPE[type(v)] for v in values if v is not None and type(v) in _BY_PYTHON_TYPE
    }
    if {"integer", "number"} <= kinds:
        kinds.discard("integer")
    if not kinds:
        return dict(ANY)
    if len(kinds) == 1 and (kind := next(iter(kinds))) in _SCALARS:
        return dict(_SCALARS[kind])
    order = [k for k in ANY["type"] if k in kinds]
    schema: Schema = {"type": [*order, "null"]}
    if "array" in kinds:
        schema["items"] = dict(ANY)
    return schema


def undeclared(records: Iterable[Record], declared: t.Container[str]) -> dict[str, Schema]:
    """Return the keys of `records` that `declared` lacks, typed, in order of appearance."""
    values: dict[str, list[t.Any]] = {}
    for record in records:
        if isinstance(record, dict):
            for key, value in record.items():
                if key not in declared:
                    values.setdefault(key, []).append(value)
    return {key: value_schema(seen) for key, seen in values.items()}


def first_page(stream: FreshdeskStream) -> list[Record]:
    """Return the records of the stream's first request, as its first pass asks for them."""
    if stream.looked_up:
        return stream.shared.read_all(stream.name)  # read whole already, for the tap's lookups
    partitions = stream.partitions
    context = partitions[0] if partitions else None
    url = stream.get_url(context)
    if "{" in url:
        return []  # a path naming another record (ticket field sections): not sampled
    prepared = stream.build_prepared_request(
        method="GET",
        url=url,
        params=stream.get_url_params(context, None),
        headers=stream.http_headers,
    )
    response = stream.send(prepared, context)
    # The plain page, not a stream's own reading of it (the ticket window's scope).
    return list(Transport.parse_response(stream, response))


def sampled(stream: FreshdeskStream) -> bool:
    """Whether discovery samples the stream: a top-level list, not an export or a custom object.

    Custom objects' schemas come whole from their own definitions.
    """
    return (
        stream.parent_stream_type is None
        and stream.own_bookmark is None
        and not isinstance(stream, CustomObjectStream)
    )


def declare_account_keys(streams: Iterable[FreshdeskStream], logger: logging.Logger) -> int:
    """Add to each sampled stream's schema what its first page carries beyond it; the count.

    A stream the account cannot serve (plan, privilege) is left as it is, with one line; a
    wrong key or an unreachable host ends the discovery as it would end a sync.
    """
    chosen = [stream for stream in streams if sampled(stream)]
    for stream in chosen:
        # First what the tap reads for itself (custom field definitions, the helpdesk
        # settings naming the languages): their samples then reuse those records.
        stream.schema  # noqa: B018
        stream.partitions  # noqa: B018
    added = 0
    for stream in chosen:
        try:
            records = first_page(stream)
        except (UnreachableError, KeyRefusedError):
            raise
        except (FatalAPIError, RetriableAPIError, EndpointError, RequestException) as exc:
            logger.info("Stream %s: not sampled for undeclared fields (%s).", stream.name, exc)
            continue
        properties = stream.schema["properties"]
        for key, schema in undeclared(records, properties).items():
            properties[key] = schema
            added += 1
            logger.info(
                "Stream %s: declaring `%s` (%s), which the account's records carry and the "
                "schema lacked (discover_undeclared_fields).",
                stream.name,
                key,
                ", ".join(k for k in schema["type"] if k != "null"),
            )
    return added
