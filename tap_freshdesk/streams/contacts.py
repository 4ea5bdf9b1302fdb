"""Contacts (API reference, "Contacts"), incremental on the server, deleted and blocked too."""

from __future__ import annotations

import typing as t
from datetime import UTC, datetime

from tap_freshdesk.records.timestamps import readable_time, served_at
from tap_freshdesk.streams.base import FlaggedPass, FreshdeskStream

if t.TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

    import requests
    from singer_sdk.helpers.types import Context

#: Walks of one view per pass: the first, and one more if the first may have missed a contact.
MAX_WALKS = 2


class ContactsStream(FreshdeskStream):
    """Contacts, filtered by the bookmark server-side (note the leading underscore).

    Each view (live, deleted, blocked) is listed by id, and a contact changing view joins
    the other in its place: one restored or unblocked joins the live view, one deleted or
    blocked joins that view. Read from the last page back (TailFirstPaginator), a contact
    leaving a view costs nothing, but one joining it below the page read next moves that
    page's last contact onto the page just read: unchanged, no later run would list it.
    Joining is a change, so the joining contact carries an `updated_at` at or after the
    walk's start (Freshdesk's `Date` on its first answer) and is read by the same walk. So a
    walk of more than one page that read a contact changed since it began is walked again
    (ordinary edits cost such a walk too): a contact is then lost only if contacts join its
    view at its place during both walks, and the tap warns whenever the second walk could
    have missed one.
    """

    name = "contacts"
    rate_lane = "contacts"
    path = "/contacts"
    replication_key = "updated_at"
    since_param = "_updated_since"
    custom_fields_from = "contact_fields"
    flagged_passes = (
        FlaggedPass("deleted", {"state": "deleted"}),
        FlaggedPass("blocked", {"state": "blocked"}),
    )

    _walk_began: datetime | None = None
    _changed_in_walk = False

    def read_pages(self, context: Context | None) -> Iterator[dict[str, t.Any]]:
        """Walk the view, and once more when the walk may have missed a contact."""
        for walk in range(1, MAX_WALKS + 1):
            self._walk_began, self._changed_in_walk = None, False
            yield from super().read_pages(context)
            current = self.current_walk()
            if not (self._changed_in_walk and current is not None and current.spans_pages):
                return
            if walk < MAX_WALKS:
                self.logger.info(
                    "%s: contacts changed while the list was read; reading it again, since "
                    "a contact joining it may have moved another onto a page already read.",
                    self._describe_pass(context),
                )
        self.logger.warning(
            "%s: contacts changed during both readings of the list; if one was restored, "
            "unblocked, deleted or blocked then, one unchanged contact may be missing until "
            "it changes again.",
            self._describe_pass(context),
        )

    def parse_response(self, response: requests.Response) -> Iterable[dict[str, t.Any]]:
        """Note whether a page lists a contact changed since this walk began."""
        records = super().parse_response(response)
        if self._walk_began is None:
            self._walk_began = served_at(response) or datetime.now(UTC)
        if not self._changed_in_walk:
            began = self._walk_began.replace(microsecond=0)
            self._changed_in_walk = any(
                (moment := readable_time(r.get("updated_at"))) is not None and moment >= began
                for r in records
                if isinstance(r, dict)
            )
        return records
