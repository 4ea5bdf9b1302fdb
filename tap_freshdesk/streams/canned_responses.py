"""Canned responses (API reference, "Canned Responses" and "Canned Response Folders")."""

from __future__ import annotations

import typing as t

from tap_freshdesk.streams.base import FreshdeskStream


class CannedResponseFoldersStream(FreshdeskStream):
    """Folders of canned responses; read whole, since each one's responses are listed apart."""

    name = "canned_response_folders"
    path = "/canned_response_folders"
    plan_feature = "canned responses"
    child_context_fields: t.ClassVar[dict[str, str]] = {"folder_id": "id"}


class CannedResponsesStream(FreshdeskStream):
    """Canned responses of every folder, filtered here by one bookmark for the stream."""

    name = "canned_responses"
    parent_stream_type = CannedResponseFoldersStream
    path = "/canned_response_folders/{folder_id}/responses"
    replication_key = "updated_at"
    plan_feature = "canned responses"
