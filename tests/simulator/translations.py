"""Knowledge-base translations: the solution lists in each of the helpdesk's other languages.

The API reference ("Solutions") lists every translated list at its path plus `/{language_code}`:
`solutions/categories/[language_code]`, `solutions/categories/[id]/folders/[language_code]`,
`solutions/folders/[id]/subfolders/[language_code]`, `solutions/folders/[id]/articles/
[language_code]`. Its samples show a translation with the id of the record it translates, its
own name and description, and no field naming the language.

Chosen here: every category and folder is translated to every supported language; an article
is translated to most of them (not all: a translation missing is normal); a language the
account does not support answers 404.
"""

from __future__ import annotations

import zlib
from typing import Any

from tests.simulator.routes import TRANSLATED

STREAMS = ("solution_categories", "solution_folders", "solution_articles")
#: The record fields a translation has in its own language.
TEXT_FIELDS = ("name", "title", "description", "description_text")


def split_language(route: str) -> tuple[str, str | None]:
    """(primary language's route, language code) of a translated list; else (route, None)."""
    found = TRANSLATED.match(route)
    return (found.group(1), found.group(2)) if found else (route, None)


def is_translated(stream: str, record: dict[str, Any], language: str) -> bool:
    """Whether `record` has a translation to `language`: all but about one article in four."""
    if stream != "solution_articles":
        return True
    return zlib.crc32(f"{record['id']}/{language}".encode()) % 4 != 0


def translate(stream: str, records: list[dict[str, Any]], language: str) -> list[dict[str, Any]]:
    """Return the translations to `language` of those `records` that have one."""
    translated = []
    for record in records:
        if not is_translated(stream, record, language):
            continue
        copy = dict(record)
        for name in TEXT_FIELDS:
            if isinstance(copy.get(name), str):
                copy[name] = f"[{language}] {copy[name]}"
        translated.append(copy)
    return translated
