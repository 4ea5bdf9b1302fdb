"""The knowledge base: categories hold folders (and sub-folders), folders hold articles.

Categories and folders are read whole on every run: an article changing does not move its
folder's `updated_at`, so every folder must be listed to find changed articles. Articles keep
one bookmark for the whole stream and are filtered by it here. On a multilingual account each
list is read in every language (see tap_freshdesk.streams.translations).
"""

from __future__ import annotations

import typing as t

from tap_freshdesk.streams.translations import Translated

if t.TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

    from singer_sdk.helpers.types import Context

KNOWLEDGE_BASE = "the knowledge base (solutions)"


class SolutionCategoriesStream(Translated):
    """Top-level knowledge-base categories, one pass per language."""

    name = "solution_categories"
    path = "/solutions/categories"
    plan_feature = KNOWLEDGE_BASE
    child_context_fields: t.ClassVar[dict[str, str]] = {"category_id": "id", "language": "language"}

    @property
    def partitions(self) -> list[dict[str, t.Any]] | None:
        """One pass per language, the primary one first."""
        return [{"language": language} for language in self.languages.all]


class SolutionFoldersStream(Translated):
    """Folders of each category, each followed by its sub-folders, however deep.

    Sub-folders are listed per folder (`solutions/folders/{id}/subfolders`) and carry their
    `parent_folder_id`; their articles are read like any folder's.
    """

    name = "solution_folders"
    parent_stream_type = SolutionCategoriesStream
    path = "/solutions/categories/{category_id}/folders"
    plan_feature = KNOWLEDGE_BASE
    child_context_fields: t.ClassVar[dict[str, str]] = {
        "category_id": "category_id",
        "folder_id": "id",
        "language": "language",
    }

    def get_url(self, context: Context | None) -> str:
        """List a category's folders, or a folder's sub-folders when the context names one."""
        if context and context.get("parent_folder_id") is not None:
            url = f"{self.url_base}/solutions/folders/{context['parent_folder_id']}/subfolders"
            return self.translated(url, context)
        return super().get_url(context)

    def get_records(self, context: Context | None) -> Iterable[dict[str, t.Any]]:
        """Walk the category's folder tree breadth first."""
        pending = [dict(context or {})]
        while pending:
            level = pending.pop(0)
            for folder in super().get_records(level):
                yield folder
                pending.append({**level, "parent_folder_id": folder["id"]})

    def pass_records(self, context: Context | None) -> Iterator[dict[str, t.Any]]:
        """Name each folder's category and parent folder, which the folder lists leave out.

        Done here, before the look-ahead starts a folder's articles: the prefetched request
        is then keyed by the same context the SDK asks for when it writes the folder, instead
        of one without `category_id` that it never asks for (every folder's articles were
        read twice with `max_concurrency` above 1).
        """
        level = context or {}
        for folder in super().pass_records(context):
            folder.setdefault("category_id", level.get("category_id"))
            folder.setdefault("parent_folder_id", level.get("parent_folder_id"))
            yield folder


class SolutionArticlesStream(Translated):
    """Articles of every folder and sub-folder, filtered here by one bookmark for the stream."""

    name = "solution_articles"
    parent_stream_type = SolutionFoldersStream
    path = "/solutions/folders/{folder_id}/articles"
    replication_key = "updated_at"
    plan_feature = KNOWLEDGE_BASE
