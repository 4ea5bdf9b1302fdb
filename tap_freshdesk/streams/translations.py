"""Knowledge-base translations: every category, folder and article in each helpdesk language.

A multilingual account names its languages in `settings/helpdesk` (`primary_language`,
`supported_languages`). The solution lists serve the primary language; each other language is
listed at the same path plus `/{language_code}` (API reference, "Solutions": "View all
translated solution categories" `solutions/categories/[language_code]`, "View all translated
solution folders in a category" `solutions/categories/[id]/folders/[language_code]`, "List all
translated folders in a folder" `solutions/folders/[id]/subfolders/[language_code]`, and
`solutions/folders/[id]/articles/[language_code]`). A translation keeps the id of the record it
translates and does not name its language, so each record gets `language` here and these
streams are keyed by `id` and `language`.
"""

from __future__ import annotations

import typing as t
import weakref
from dataclasses import dataclass

from requests import RequestException

from tap_freshdesk.http.endpoint import EndpointError
from tap_freshdesk.http.errors import FreshdeskError, StreamUnavailableError
from tap_freshdesk.streams.base import FreshdeskStream

if t.TYPE_CHECKING:
    from collections.abc import Iterator

    import requests
    from singer_sdk.helpers.types import Context

    from tap_freshdesk.sync.shared import Shared


@dataclass(frozen=True)
class Languages:
    """The account's primary language and the languages its knowledge base is translated to."""

    primary: str | None
    translations: tuple[str, ...] = ()

    @property
    def all(self) -> list[str | None]:
        """The primary language first, then each translation."""
        return [self.primary, *self.translations]


_READ: weakref.WeakKeyDictionary[Shared, Languages] = weakref.WeakKeyDictionary()


def helpdesk_languages(shared: Shared) -> Languages:
    """Read `settings/helpdesk` once per run; unreadable, the primary language only, unnamed.

    A key without admin rights cannot read the settings: translations are then skipped with
    one warning, and the primary language's records carry `language` null.
    """
    if shared not in _READ:
        try:
            settings = next(iter(shared.read_all("settings")), {})
        except (StreamUnavailableError, FreshdeskError, EndpointError, RequestException) as exc:
            shared.logger.warning("Knowledge-base translations are not extracted: %s", exc)
            settings = {}
        primary = settings.get("primary_language")
        others = [
            code
            for code in settings.get("supported_languages") or []
            if isinstance(code, str) and code and code != primary
        ]
        _READ[shared] = Languages(primary if isinstance(primary, str) else None, tuple(others))
    return _READ[shared]


class Translated(FreshdeskStream):
    """A solution list read once per language, each record tagged with its `language`."""

    primary_keys: t.ClassVar[tuple[str, ...]] = ("id", "language")

    @property
    def languages(self) -> Languages:
        """The account's languages, read once per run."""
        return helpdesk_languages(self.shared)

    def translated(self, url: str, context: Context | None) -> str:
        """Append `/{language_code}` for a language other than the primary one."""
        language = (context or {}).get("language")
        if language and language != self.languages.primary:
            return f"{url}/{language}"
        return url

    def get_url(self, context: Context | None) -> str:
        """Return the list's URL in the context's language."""
        return self.translated(super().get_url(context), context)

    _unavailable = False

    def validate_response(self, response: requests.Response) -> None:
        """Remember a plan without the knowledge base: one warning, not one per language."""
        try:
            super().validate_response(response)
        except StreamUnavailableError:
            self._unavailable = True
            raise

    def read_pages(self, context: Context | None) -> Iterator[dict[str, t.Any]]:
        """Read nothing more once the account has answered that it lacks the feature."""
        if not self._unavailable:
            yield from super().read_pages(context)

    def pass_records(self, context: Context | None) -> Iterator[dict[str, t.Any]]:
        """Tag each record with its language before children are started from it."""
        language = (context or {}).get("language", self.languages.primary)
        for record in super().pass_records(context):
            record["language"] = language
            yield record
