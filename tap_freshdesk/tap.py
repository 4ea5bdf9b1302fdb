"""TapFreshdesk: its settings and its streams."""

from __future__ import annotations

import sys
import typing as t
from functools import cached_property

from singer_sdk import Tap
from singer_sdk import typing as th
from singer_sdk.contrib.msgspec import MsgSpecWriter
from singer_sdk.exceptions import ConfigValidationError

from tap_freshdesk.endpoint import EndpointError, api_base_url
from tap_freshdesk.errors import FreshdeskError
from tap_freshdesk.ratelimit import RateLimiter
from tap_freshdesk.streams import STREAM_TYPES

if t.TYPE_CHECKING:
    from singer_sdk import Stream


class TapFreshdesk(Tap):
    """Singer tap for the Freshdesk API v2."""

    name = "tap-freshdesk"
    message_writer_class = MsgSpecWriter

    config_jsonschema = th.PropertiesList(
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
            description="Seconds to wait for Freshdesk to answer one request before retrying it.",
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
            "include_deleted",
            th.BooleanType,
            default=True,
            title="Include deleted records",
            description="Also extract deleted and spam tickets and deleted and blocked "
            "contacts, flagged `deleted`, `spam` or `blocked` true, so a target that upserts "
            "by id reflects them. Costs one extra pass per kind.",
        ),
    ).to_dict()

    def __init__(self, *args: t.Any, validate_config: bool = True, **kwargs: t.Any) -> None:
        super().__init__(*args, validate_config=validate_config, **kwargs)
        if validate_config:
            try:
                _ = self.api_base_url
            except EndpointError as exc:
                raise ConfigValidationError(str(exc), errors=[str(exc)]) from None

    @cached_property
    def api_base_url(self) -> str:
        """The account's API root, from `base_url` or `domain`; see tap_freshdesk.endpoint."""
        return api_base_url(self.config.get("domain"), self.config.get("base_url"))

    @cached_property
    def rate_limiter(self) -> RateLimiter:
        """One limiter for every stream: Freshdesk's budget belongs to the whole account."""
        return RateLimiter(requests_per_minute=self.config.get("requests_per_minute"))

    def discover_streams(self) -> list[Stream]:
        """One instance of each stream class."""
        return [stream_type(tap=self) for stream_type in STREAM_TYPES]

    @classmethod
    def invoke(cls, *args: t.Any, **kwargs: t.Any) -> None:
        """Run the CLI, ending a failed sync with one clear line and exit code 1, no traceback."""
        try:
            super().invoke(*args, **kwargs)
        except FreshdeskError as exc:
            cls.logger.error("%s", exc)
            sys.exit(1)
