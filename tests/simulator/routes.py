"""Every URL below /api/v2 the simulator answers, in one table: which path serves which stream.

api.py dispatches on these: a flat list, a list below a parent, one object, or the export.
A new endpoint starts here (its path, and the query parameters it accepts beyond `page` and
`per_page`), then gets its records in the module named for its area.
"""

from __future__ import annotations

import re

#: The catalog's bare-array lists without a parent (helpdesk.py, knowledge.py): path → stream.
FLAT_LISTS = {
    "/products": "products",
    "/business_hours": "business_hours",
    "/sla_policies": "sla_policies",
    "/admin/skills": "skills",
    "/email_configs": "email_configs",
    "/email/mailboxes": "email_mailboxes",
    "/surveys": "surveys",
    "/scenario_automations": "scenario_automations",
    "/ticket-forms": "ticket_forms",
    "/canned_response_folders": "canned_response_folders",
    "/solutions/categories": "solution_categories",
    "/discussions/categories": "discussion_categories",
}
#: Lists without a parent, with their extra query parameters: path → (stream, parameters).
LISTS: dict[str, tuple[str, tuple[str, ...]]] = {
    "/tickets": ("tickets", ("updated_since", "order_by", "order_type", "filter", "include")),
    "/contacts": ("contacts", ("_updated_since", "state")),
    "/companies": ("companies", ()),
    "/agents": ("agents", ()),
    "/groups": ("groups", ()),
    "/roles": ("roles", ()),
    "/time_entries": ("time_entries", ("executed_after", "executed_before")),
    "/surveys/satisfaction_ratings": ("satisfaction_ratings", ("created_since",)),
    "/ticket_fields": ("ticket_fields", ()),
    "/contact_fields": ("contact_fields", ()),
    "/company_fields": ("company_fields", ()),
    **{path: (stream, ()) for path, stream in FLAT_LISTS.items()},
}
#: The catalog's lists below a parent: pattern → (stream, the Helpdesk/Knowledge method
#: listing them).
CHILD_LISTS = (
    (r"/canned_response_folders/(\d+)/responses", "canned_responses", "canned_responses"),
    (r"/automations/(\d+)/rules", "automation_rules", "automation_rules"),
    (r"/solutions/categories/(\d+)/folders", "solution_folders", "solution_folders"),
    (r"/solutions/folders/(\d+)/subfolders", "solution_folders", "solution_subfolders"),
    (r"/solutions/folders/(\d+)/articles", "solution_articles", "solution_articles"),
    (r"/discussions/categories/(\d+)/forums", "discussion_forums", "discussion_forums"),
    (r"/discussions/forums/(\d+)/topics", "discussion_topics", "discussion_topics"),
    (r"/discussions/topics/(\d+)/comments", "discussion_comments", "discussion_comments"),
)
CHILD_PATTERNS = tuple(
    (re.compile(f"^{pattern}/?$"), stream, method) for pattern, stream, method in CHILD_LISTS
)
CONVERSATIONS = re.compile(r"^/tickets/(\d+)/conversations/?$")
#: One ticket, and Freshdesk's archive (API reference, "Archive Tickets": "View an Archive
#: Ticket" and "List All Conversations of an Archive Ticket"). Archived tickets have no list.
TICKET = re.compile(r"^/tickets/(\d+)/?$")
ARCHIVED_TICKET = re.compile(r"^/tickets/archived/(\d+)/?$")
ARCHIVED_CONVERSATIONS = re.compile(r"^/tickets/archived/(\d+)/conversations/?$")
#: A ticket's watchers and summary (ticket_extras.py): stream → pattern.
TICKET_EXTRAS = {
    "ticket_watchers": re.compile(r"^/tickets/(\d+)/watchers$"),
    "ticket_summaries": re.compile(r"^/tickets/(\d+)/summary$"),
}
#: A ticket field's sections (sections.py).
SECTIONS = re.compile(r"^/admin/ticket_fields/(\d+)/sections$")
#: A translated solution list (translations.py): (the primary language's route, the code).
TRANSLATED = re.compile(
    r"^(/solutions/(?:categories|categories/\d+/folders|folders/\d+/subfolders"
    r"|folders/\d+/articles))/([a-z]{2}(?:-[a-zA-Z]{2,4})?)$"
)
#: Custom objects (custom_objects.py): their schemas, and each schema's records.
CUSTOM_OBJECTS = "/custom_objects/"
CUSTOM_OBJECT_SCHEMAS = "/custom_objects/schemas"
CUSTOM_OBJECT_RECORDS = re.compile(r"^/custom_objects/schemas/(\d+)/records/?$")
#: The activities export; `tickets/{id}/activities` is not an API v2 route (404).
ACTIVITIES_EXPORT = "/export/ticket_activities"
#: Skills on the current routing, and on the older one (`older_skills_routing`).
SKILLS, OLDER_SKILLS = "/admin/skills", "/skills"
SETTINGS = "/settings/helpdesk"
#: Lists with their own per-window request budget on real plans.
SUB_LIMITED = {"/tickets": "tickets", "/contacts": "contacts"}
