"""The files a user hands the tap (`--state`, `--catalog`), checked before the SDK reads them.

A malformed file would otherwise end deep in the SDK with a traceback; here it ends with one
line naming the file or the stream.
"""

from __future__ import annotations

import io
import json
import typing as t
from datetime import datetime

from tap_freshdesk.errors import InvalidInputError


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
    return io.StringIO(text)


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
