"""The tap's settings: their schema (what `--about` shows) and their values for one sync.

Every setting is read here, once, with the schema's default where it is not given: the rest of
the tap asks `Settings`, never `config`, so a default is stated in one place.
"""

from __future__ import annotations

import typing as t
from dataclasses import dataclass, field, fields

from singer_sdk import typing as th

if t.TYPE_CHECKING:
    from collections.abc import Mapping

#: What `include` may embed in the ticket list; each costs 2 more credits per request.
TICKET_INCLUDES = ("description", "stats", "requester", "company")

SETTINGS_SCHEMA: dict[str, t.Any] = th.PropertiesList(
    th.Property(
        "api_key",
        th.StringType(min_length=1),
        required=True,
        secret=True,
        title="API key",
        description="The API key of a Freshdesk agent (Profile settings → View API key). "
        "The tap reads everything this agent may see.",
    ),
    th.Property(
        "domain",
        th.StringType,
        title="Domain",
        description="Your helpdesk: `acme`, `acme.freshdesk.com`, `https://acme.freshdesk.com` "
        "or a custom helpdesk domain such as `support.acme.com`. A host name only: no path, "
        "port or credentials. Required unless `base_url` is set.",
        examples=["acme", "acme.freshdesk.com", "support.acme.com"],
    ),
    th.Property(
        "base_url",
        th.URIType,
        title="Base URL",
        description="Overrides the API root derived from `domain` (`https://<domain>/api/v2`), "
        "for a proxy or a local simulator. Plain http is refused for any host but "
        "127.0.0.1, ::1 and localhost.",
    ),
    th.Property(
        "start_date",
        th.DateTimeType,
        title="Start date",
        description="Extract records updated at or after this moment (ISO 8601). "
        "Leave empty to extract the whole history.",
    ),
    th.Property(
        "page_size",
        th.IntegerType(minimum=1, maximum=100),
        default=100,
        title="Page size",
        description="Records per request (`per_page`), 1 to 100. Every request costs "
        "rate-limit credits, so the maximum is also the cheapest.",
    ),
    th.Property(
        "request_timeout",
        th.IntegerType(minimum=1),
        default=60,
        title="Request timeout",
        description="Seconds one request may take in all (connecting, and reading the "
        "whole answer) before it is cut and retried.",
    ),
    th.Property(
        "requests_per_minute",
        th.IntegerType(minimum=1),
        title="Requests per minute",
        description="Cap on this tap's request rate, to leave part of the account's rate "
        "limit (shared by every app and key) to other integrations. Empty: as fast as "
        "Freshdesk allows, honouring its Retry-After.",
    ),
    th.Property(
        "rate_limit_reserve_percent",
        th.IntegerType(minimum=0, maximum=90),
        default=0,
        title="Rate limit reserve (%)",
        description="Share of the account's rate limit (learned from Freshdesk's "
        "`X-Ratelimit-*` headers) the tap leaves unspent for other integrations: when "
        "`X-Ratelimit-Remaining` falls to it, the tap waits for the next window.",
    ),
    th.Property(
        "max_concurrency",
        th.IntegerType(minimum=1, maximum=32),
        default=4,  # enough to hide latency; a small plan's budget is not spent in a burst
        title="Max concurrency",
        description="Requests for per-ticket children (conversations) and "
        "other child streams in flight at once. 1 reads them one at a time. Every request "
        "still goes through one rate limiter, so more only helps while the account's "
        "budget is not the limit.",
    ),
    th.Property(
        "log_sdk_metrics",
        th.BooleanType,
        default=False,
        title="Log SDK metrics",
        description="Also log the Singer SDK's METRIC lines (one per ticket's "
        "conversations, among others). Off, the tap logs one progress line per busy stream "
        "every 30 seconds and a summary at the end.",
    ),
    th.Property(
        "include_deleted",
        th.BooleanType,
        default=True,
        title="Include deleted records",
        description="Also extract deleted and spam tickets and deleted and blocked "
        "contacts, flagged `deleted`, `spam` or `blocked` true, so a target that upserts "
        "by id reflects them. Costs one extra pass per kind.",
    ),
    th.Property(
        "include_ticket_watchers",
        th.BooleanType,
        default=False,
        title="Include ticket watchers",
        description="Fill `ticket_watchers`: the agents watching each ticket the run emits "
        "(`tickets/{id}/watchers`). Costs one request per changed ticket, as many as "
        "conversations.",
    ),
    th.Property(
        "include_ticket_summaries",
        th.BooleanType,
        default=False,
        title="Include ticket summaries",
        description="Fill `ticket_summaries`: the summary note of each ticket the run emits "
        "(`tickets/{id}/summary`, plans from Blossom up). Costs one request per changed "
        "ticket, as many as conversations.",
    ),
    th.Property(
        "probe_missing_tickets",
        th.BooleanType,
        default=True,
        title="Probe missing ticket ids",
        description="After the ticket passes, look up each ticket id no list returned, from "
        "id 1 up to the highest id seen, once across runs, at `/tickets/archived/{id}` "
        "(Freshdesk archives closed tickets inactive for 120 days and lists them nowhere). "
        "Archived tickets updated at or after `start_date` go to `tickets` flagged "
        "`archived` true, their conversations to `conversations`. One request per id (plus "
        "an archived ticket's conversations); `/tickets/{id}` too only after a run whose "
        "ticket list met Freshdesk's 300-page cap. The first runs pay for the whole "
        "history, `probe_ids_per_run` ids a run; later runs only for new gaps. Plans "
        "without archiving: one warning per run, the ids kept for a later run.",
    ),
    th.Property(
        "probe_ids_per_run",
        th.IntegerType(minimum=1),
        default=10000,
        title="Probe ids per run",
        description="Most ticket ids the probe looks up in one run (about one request "
        "each). The probe then stops cleanly and the next run goes on where it stopped, so "
        "the first backfill of years of archived tickets is spread over several runs and "
        "the streams after `tickets` run every time. 10,000 ids cost 10,000 requests plus "
        "one per archived ticket found (its conversations): 50 to 100 minutes at 200 "
        "requests a minute, 15 to 30 at 700.",
    ),
    th.Property(
        "flatten_custom_fields",
        th.BooleanType,
        default=False,
        title="Flatten custom fields",
        description="Lift the custom fields of tickets, contacts and companies out of their "
        "`custom_fields` object into top-level typed columns named after the field "
        "(`cf_region`; a name without `cf_` gets it). A column name already taken by a "
        "standard field or an earlier column gets `_2`, `_3`…. Fields defined after the "
        "catalog was made stay in `custom_fields`.",
    ),
    th.Property(
        "discover_undeclared_fields",
        th.BooleanType,
        default=True,
        title="Discover undeclared fields",
        description="At `--discover`, read the first page of each top-level stream (22 "
        "requests more on an account with every feature) and declare in the catalog, typed "
        "from their values, the top-level fields the account's records carry that the tap's "
        "schemas lack, one log line each. A field that first appears after discovery is "
        "still kept and warned about. False: the catalog holds the tap's schemas and custom "
        "fields only.",
    ),
    th.Property(
        "max_retry_seconds",
        th.IntegerType(minimum=0),
        default=300,
        title="Max retry seconds",
        description="How long one request's transient failures (5xx, timeouts, dropped "
        "connections, bodies cut short) are retried, backing off 1, 2, 4… up to 30 s "
        "between tries, before the sync ends with an error. A 429 is not a failure: it "
        "waits what `Retry-After` says, or a minute without it.",
    ),
    th.Property(
        "stop_on_odd_records",
        th.BooleanType,
        default=False,
        title="Stop on odd records",
        description="End the sync with an error at the first record the tap cannot process "
        "as it is (no `id`, no readable `updated_at`, out of `updated_at` order, not an "
        "object). Off, such a record is emitted where it can be or set aside, named in a "
        "warning and counted in the end summary, and the sync goes on.",
    ),
    th.Property(
        "ticket_include",
        th.ArrayType(th.StringType(allowed_values=list(TICKET_INCLUDES))),
        default=["description", "stats"],
        title="Ticket includes",
        description="What the ticket list embeds in each ticket (its `include`): "
        "`description` (`description` and `description_text`, which the list leaves out "
        "on accounts made after late 2018), `stats` (resolved, closed, first responded at…), "
        "`requester`, `company`. Each one costs 2 more rate-limit credits per page of 100 "
        "tickets (a page costs 1 without), so one whose properties the catalog deselects "
        "is not asked for. Empty: none.",
    ),
    th.Property(
        "user_agent",
        th.StringType,
        title="User agent",
        description="The `User-Agent` header of every request (singer-io's tap-freshdesk "
        "names it the same). Unset: `tap-freshdesk/<version>`.",
    ),
    th.Property(
        "embeds",
        th.ObjectType(additional_properties=th.ArrayType(th.StringType)),
        title="Embeds (acarter24's name)",
        description="acarter24's tap-freshdesk setting, read when `ticket_include` is not "
        'set: `{"tickets_detail": ["stats", "requester"]}` means `ticket_include` '
        '`["description", "stats", "requester"]` (its detail stream always had the '
        "description); an embed without a counterpart (`sla_policy`) is named in a warning.",
    ),
    th.Property(
        "redact_webhook_credentials",
        th.BooleanType,
        default=True,
        title="Redact webhook credentials",
        description="Replace the values of `username`, `password`, `api_key` and of each "
        "header in `custom_headers` in automation rules' webhook actions with "
        "`REDACTED`, so the credentials those webhooks send never reach the destination. "
        "False keeps them as Freshdesk returns them.",
    ),
).to_dict()


@dataclass(frozen=True)
class Settings:
    """One sync's settings: each value given, else its default in SETTINGS_SCHEMA.

    The SDK's own settings the streams read (`flattening_*`) are here too; it fills nothing
    in when the tap is built without validating its settings, so the defaults are applied here.
    """

    api_key: str | None = field(repr=False)
    domain: str | None
    base_url: str | None
    start_date: str | None
    page_size: int
    request_timeout: int
    requests_per_minute: int | None
    rate_limit_reserve_percent: int
    max_concurrency: int
    log_sdk_metrics: bool
    include_deleted: bool
    include_ticket_watchers: bool
    include_ticket_summaries: bool
    probe_missing_tickets: bool
    probe_ids_per_run: int
    flatten_custom_fields: bool
    discover_undeclared_fields: bool
    max_retry_seconds: int
    stop_on_odd_records: bool
    ticket_include: list[str]
    user_agent: str | None
    embeds: dict[str, t.Any] | None
    redact_webhook_credentials: bool
    emit_activate_version_messages: bool | None
    flattening_enabled: bool | None
    flattening_max_depth: int | None

    @classmethod
    def read(cls, config: Mapping[str, t.Any]) -> Settings:
        """Return the settings `config` gives, the schema's defaults for the others."""
        defaults = {
            name: spec.get("default") for name, spec in SETTINGS_SCHEMA["properties"].items()
        }
        values = {f.name: config.get(f.name, defaults.get(f.name)) for f in fields(cls)}
        if "ticket_include" not in config and isinstance(config.get("embeds"), dict):
            values["ticket_include"] = includes_from_embeds(config["embeds"])[0]
        return cls(**values)


def includes_from_embeds(embeds: dict[str, t.Any]) -> tuple[list[str], list[str]]:
    """Return the `ticket_include` acarter24's `embeds` means, and the embeds it cannot.

    Its `tickets_detail` stream read each ticket alone, description included, with the
    embeds of `embeds["tickets_detail"]` (`requester`, `company`, `stats`, `sla_policy`).
    """
    named = [e for e in embeds.get("tickets_detail") or [] if isinstance(e, str)]
    includes = ["description", *(e for e in named if e in TICKET_INCLUDES and e != "description")]
    return includes, [e for e in named if e not in TICKET_INCLUDES]
