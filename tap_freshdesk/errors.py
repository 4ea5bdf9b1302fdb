"""Errors a user can cause or must act on, each carrying one sentence fit for the log."""

from __future__ import annotations

from singer_sdk.exceptions import FatalAPIError


class FreshdeskError(FatalAPIError):
    """Ends the sync with its message as the one error line, and a non-zero exit code."""


class AccessDeniedError(FreshdeskError):
    """401, or a 403 on a stream every account has: the key or the domain is wrong."""


class KeyRefusedError(AccessDeniedError):
    """401: the account does not know the key; nothing can be read with it."""


class FreshdeskUnavailableError(FreshdeskError):
    """Retries ran out: the API kept failing, timing out or rate-limiting."""


class UnreachableError(FreshdeskError):
    """The API's host never answered: a wrong `domain` or `base_url`, or no network."""


class InvalidInputError(FreshdeskError):
    """A state or catalog file the tap cannot use as given."""


class StreamUnavailableError(FatalAPIError):
    """The account's plan or the key's role lacks this endpoint's feature: skip the stream."""


class ParentGoneError(FatalAPIError):
    """One parent's children answered 403 or 404: that parent is gone or hidden, skip it."""
