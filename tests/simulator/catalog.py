"""The account's configuration and knowledge streams behind their URLs.

Which path lists which records, which streams hang below which (for plan features), and edits
at run time.
"""

from __future__ import annotations

from collections.abc import Callable

from tests.simulator.data import Factory
from tests.simulator.helpdesk import BUILDERS, Helpdesk
from tests.simulator.knowledge import Knowledge
from tests.simulator.routes import CHILD_PATTERNS
from tests.simulator.tables import Record, Tables

HELPDESK_SIZES = tuple(BUILDERS)
KNOWLEDGE_SIZES = (
    "solution_categories",
    "solution_folders",
    "solution_subfolders",
    "solution_articles",
    "long_folder_articles",
    "discussion_categories",
    "discussion_forums",
    "discussion_topics",
    "long_forum_topics",
    "discussion_comments",
    "long_topic_comments",
)
KNOWLEDGE_STREAMS = (
    "solution_categories",
    "solution_folders",
    "solution_articles",
    "discussion_categories",
    "discussion_forums",
    "discussion_topics",
    "discussion_comments",
)
#: Streams whose records carry `updated_at` (forums and scenario automations do not), so an
#: edit shows to an incremental sync.
EDITABLE = tuple(
    s
    for s in (*BUILDERS, *KNOWLEDGE_STREAMS)
    if s not in {"discussion_forums", "scenario_automations"}
)
#: Child stream → parent stream: a feature off for a parent is off for its children.
PARENTS = {
    "canned_responses": "canned_response_folders",
    "solution_folders": "solution_categories",
    "solution_articles": "solution_folders",
    "discussion_forums": "discussion_categories",
    "discussion_topics": "discussion_forums",
    "discussion_comments": "discussion_topics",
    "conversations": "tickets",
    "archived_tickets": "tickets",
    "ticket_watchers": "tickets",
    "ticket_summaries": "tickets",
    "archived_conversations": "archived_tickets",
}


def lineage(stream: str) -> list[str]:
    """`stream` and its ancestors, nearest first."""
    chain = [stream]
    while chain[-1] in PARENTS:
        chain.append(PARENTS[chain[-1]])
    return chain


class Catalog:
    """The helpdesk's configuration (helpdesk.py) and knowledge (knowledge.py) streams."""

    def __init__(self, seed: int, sizes: dict[str, int], factory: Factory) -> None:
        self.helpdesk = Helpdesk(seed, sizes, factory)
        self.knowledge = Knowledge(seed, sizes, factory)

    def table_of(self, stream: str) -> Tables | None:
        """Return the tables holding `stream`; None when it is not one of the catalog's."""
        if stream in BUILDERS:
            return self.helpdesk
        if stream in KNOWLEDGE_STREAMS:
            return self.knowledge
        return None

    def truth(self, stream: str) -> list[Record] | None:
        """Every record of `stream` (automation rules with `automation_type_id`); None: not ours."""
        if stream == "settings":
            return [self.helpdesk.settings()]
        table = self.table_of(stream)
        return None if table is None else table.records(stream)

    def children(self, route: str) -> tuple[str, list[Record] | None] | None:
        """Return (stream, records) of a list below a parent; None when `route` is no such list.

        The records are None when the parent is missing.
        """
        for pattern, stream, method in CHILD_PATTERNS:
            found = pattern.match(route)
            if found is not None:
                table = self.table_of(stream)
                listing: Callable[[int], list[Record] | None] = getattr(table, method)
                return stream, listing(int(found.group(1)))
        return None

    def touch(self, stream: str, ident: int, stamp: str) -> None:
        """Edit record `ident` of `stream` now: its `updated_at` becomes `stamp`."""
        table = self.table_of(stream)
        if table is None or stream not in EDITABLE:
            raise KeyError(f"{stream!r} records cannot be edited")
        table.touch(stream, ident, stamp)

    def ids(self, stream: str) -> list[int]:
        """Return the ids of `stream`'s records, in list order."""
        table = self.table_of(stream)
        return [] if table is None else table.ids(stream)
