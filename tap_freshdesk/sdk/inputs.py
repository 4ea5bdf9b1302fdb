"""What a user hands the tap (settings, `--state`, `--catalog`), checked before it is used.

A malformed input would otherwise end deep in the SDK or in requests with a traceback, often
after network calls; here it ends before any, with one line naming the setting, the file or
the stream. A secret setting's value never appears in that line, whatever its type: the SDK's
own validation message would print it (`['sk-…'] is not of type 'string'`).
"""

from __future__ import annotations

import importlib.util
import io
import json
import typing as t
from datetime import datetime

from singer_sdk.plugin_base import JSONSchemaValidator
from singer_sdk.singerlib import Catalog

from tap_freshdesk.http.endpoint import EndpointError, api_base_url
from tap_freshdesk.http.errors import InvalidInputError


def json_object_file(option: str, file: t.IO[str]) -> t.IO[str]:
    """Read a `--state` or `--catalog` file, refusing anything but a JSON object in one line."""
    text = file.read()
    try:
        content = json.loads(text)
    except json.JSONDecodeError as exc:
        msg = (
            f"The --{option} file {getattr(file, 'name', '')} is not valid JSON "
            f"({exc.msg} at line {exc.lineno}, column {exc.colno})."
        )
        raise InvalidInputError(msg) from None
    if not isinstance(content, dict):
        msg = f"The --{option} file {getattr(file, 'name', '')} must hold a JSON object."
        raise InvalidInputError(msg)
    if option == "catalog":
        check_catalog(getattr(file, "name", ""), content)
    return io.StringIO(text)


def check_catalog(name: str, catalog: dict[str, t.Any]) -> None:
    """Refuse a catalog the SDK would choke on (a schema that is a string…), naming the stream."""
    streams = catalog.get("streams")
    if not isinstance(streams, list) or not all(isinstance(s, dict) for s in streams):
        msg = f"The --catalog file {name} must hold a `streams` list of objects."
        raise InvalidInputError(msg)
    for number, entry in enumerate(streams, start=1):
        stream = entry.get("tap_stream_id")
        label = stream if isinstance(stream, str) else f"number {number}"
        if not isinstance(stream, str):
            problem = "has no `tap_stream_id`"
        elif not isinstance(entry.get("schema"), dict):
            problem = "has a `schema` that is not an object"
        elif not isinstance(entry.get("metadata", []), list):
            problem = "has `metadata` that is not a list"
        elif _incremental_without_key(entry):
            problem = (
                "is INCREMENTAL but names no replication key: the catalog is another tap's "
                "(singer-io's tap-freshdesk writes this shape); make this tap's with "
                f"`tap-freshdesk --discover` and select streams in it ({MIGRATING})"
            )
        else:
            try:
                Catalog.from_dict({"streams": [entry]})
                continue
            except (AttributeError, KeyError, TypeError, ValueError) as exc:
                problem = f"cannot be read ({type(exc).__name__}: {exc})"
        msg = f"The --catalog file {name}: stream {label} {problem}."
        raise InvalidInputError(msg)


#: Stream names only other Freshdesk taps write bookmarks for: acarter24's (Meltano Hub's
#: default variant) reads tickets as `tickets_abridged` then `tickets_detail`; singer-io's keeps
#: its deleted and spam ticket passes as `tickets_deleted`, `tickets_spam`.
OTHER_TAPS_STREAMS = {
    "tickets_abridged": "acarter24's tap-freshdesk",
    "tickets_detail": "acarter24's tap-freshdesk",
    "tickets_deleted": "singer-io's tap-freshdesk",
    "tickets_spam": "singer-io's tap-freshdesk",
}
MIGRATING = "docs/migrating.md says how to move over"


def foreign_state_writer(state: dict[str, t.Any]) -> str | None:
    """Name the other Freshdesk tap whose STATE this is; None for this tap's own (or none).

    singer-io's tap-freshdesk before 1.0 keeps one timestamp per stream at the top level
    (`{"tickets": "2019-…"}`); from 1.0 on, `singer.write_bookmark`'s shape, a timestamp under
    the replication key's name (`{"bookmarks": {"tickets": {"updated_at": "…"}}}`, children
    under `tickets_updated_at`). This tap's bookmarks are the Singer SDK's
    (`replication_key_value`, `partitions`), and so are acarter24's, under its stream names.
    """
    bookmarks = state.get("bookmarks")
    if bookmarks is None:
        if any(isinstance(v, str) for v in state.values()):
            return "singer-io's tap-freshdesk (before 1.0)"
        return None
    if not isinstance(bookmarks, dict):
        return None
    for name, entry in bookmarks.items():
        if name in OTHER_TAPS_STREAMS:
            return OTHER_TAPS_STREAMS[name]
        if isinstance(entry, dict) and any(
            key == "updated_at" or key.endswith("_updated_at") for key in entry
        ):
            return "singer-io's tap-freshdesk"
    return None


def _incremental_without_key(entry: dict[str, t.Any]) -> bool:
    """Whether a catalog entry asks for INCREMENTAL replication without naming its key.

    The SDK would fail on the stream's first record with a traceback.
    """
    root = next(
        (
            m.get("metadata") or {}
            for m in entry.get("metadata") or []
            if isinstance(m, dict) and m.get("breadcrumb") == []
        ),
        {},
    )
    method = (
        root.get("forced-replication-method")
        or root.get("replication-method")
        or entry.get("replication_method")
    )
    key = root.get("replication-key") or entry.get("replication_key")
    return method == "INCREMENTAL" and not key


def settings_errors(config: dict[str, t.Any], schema: dict[str, t.Any]) -> list[str]:
    """One sentence per bad setting, each naming it; none holding a secret's value.

    Validates with the SDK's own validator, which also fills `config` with the defaults.

    Checked here, beyond the settings' JSON schema: `start_date` must parse (the schema's
    `date-time` format is not enforced by the SDK), the API key must fit an HTTP header
    (requests encodes Basic credentials as Latin-1 and fails at the first call otherwise),
    and `domain`/`base_url` must make a URL the key may safely go to.
    """
    properties = schema.get("properties", {})
    errors = [
        _schema_error(error, properties)
        for error in JSONSchemaValidator(schema).iter_errors(config)
    ]
    invalid = {name for name in properties if any(f"`{name}`" in e for e in errors)}
    start_date = config.get("start_date")
    if "start_date" not in invalid and isinstance(start_date, str):
        try:
            datetime.fromisoformat(start_date.replace("Z", "+00:00"))
        except ValueError:
            errors.append(
                f"`start_date` {start_date[:40]!r} is not an ISO 8601 date or moment "
                "(2024-01-31 or 2024-01-31T00:00:00Z)."
            )
    api_key = config.get("api_key")
    if "api_key" not in invalid and isinstance(api_key, str):
        try:
            api_key.encode("latin-1")
        except UnicodeEncodeError:
            errors.append(
                "`api_key` holds characters an API key cannot have (outside Latin-1): copy it "
                "again from Profile settings → View API key."
            )
    if not invalid & {"domain", "base_url"}:
        try:
            api_base_url(config.get("domain"), config.get("base_url"))
        except EndpointError as exc:
            errors.append(str(exc))
    if _batch_format(config) == "parquet" and importlib.util.find_spec("pyarrow") is None:
        errors.append(
            "`batch_config.encoding.format` parquet needs pyarrow, which is not installed: "
            "install the tap with its extra, `pip install 'deskdata-tap-freshdesk[parquet]'`, "
            "or choose jsonl."
        )
    return errors


def _batch_format(config: dict[str, t.Any]) -> t.Any:
    """Return the `batch_config.encoding.format` asked for, if any.

    The SDK writes parquet with pyarrow, an optional dependency (the `parquet` extra): without
    it the first BATCH would end in a traceback.
    """
    batch = config.get("batch_config")
    encoding = batch.get("encoding") if isinstance(batch, dict) else None
    return encoding.get("format") if isinstance(encoding, dict) else None


def _schema_error(error: t.Any, properties: dict[str, t.Any]) -> str:
    """Say what is wrong with a setting; for a secret, its expected type but not its value."""
    if error.validator == "required":
        name = next(n for n in error.validator_value if f"'{n}'" in error.message)
        return f"`{name}` is required: {properties.get(name, {}).get('description', '')}".strip()
    name = str(error.path[0]) if error.path else ""
    setting = properties.get(name, {})
    if setting.get("secret") or setting.get("writeOnly"):
        types = setting.get("type", "value")
        expected = " or ".join(
            k for k in ([types] if isinstance(types, str) else types) if k != "null"
        )
        return f"`{name}` must be a non-empty {expected}; its value is secret, so not shown."
    where = "".join(f"[{part!r}]" for part in list(error.path)[1:])
    return f"`{name}`{where}: {error.message}." if name else f"Settings: {error.message}."


def check_bookmarks(stream: str, entry: t.Any) -> None:
    """Refuse a stream's state whose bookmarks are not timestamps, naming the stream."""
    if not isinstance(entry, dict):
        msg = f"The state's bookmarks of {stream} are not an object."
        raise InvalidInputError(msg)
    partitions = entry.get("partitions", [])
    if not isinstance(partitions, list) or not all(isinstance(p, dict) for p in partitions):
        msg = f"The state's partitions of {stream} are not a list of objects."
        raise InvalidInputError(msg)
    for value in [entry.get("replication_key_value")] + [
        p.get("replication_key_value") for p in partitions
    ]:
        if value is None:
            continue
        try:
            datetime.fromisoformat(str(value).replace("Z", "+00:00"))
        except ValueError:
            msg = (
                f"The state's bookmark of {stream} is not a timestamp ({str(value)[:40]!r}): "
                "correct it or remove the stream from the state to start it over."
            )
            raise InvalidInputError(msg) from None
