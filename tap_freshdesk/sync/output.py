"""What a stream writes: its schema, records conformed to it, SCHEMA once, BATCH, summary.

The schema has the account's custom fields typed in it; a record's custom fields are typed
(or lifted to columns), SCHEMA goes out once per stream, BATCH files before the STATE that
covers them, ACTIVATE_VERSION only where a run reads the whole stream, and the sync's summary
at the end.
"""

from __future__ import annotations

import copy
import functools
import typing as t
from importlib import resources

from singer_sdk import SchemaDirectory

from tap_freshdesk import schemas
from tap_freshdesk.records.conformance import UndeclaredKeys, drop_null_objects
from tap_freshdesk.records.custom_fields import CustomFields, Flattening
from tap_freshdesk.sync import activate_version
from tap_freshdesk.sync.batching import BatchSpools
from tap_freshdesk.sync.message_writer import BlockWriter
from tap_freshdesk.sync.shared import SharedStream
from tap_freshdesk.sync.state_cadence import StateTiming

if t.TYPE_CHECKING:
    from collections.abc import Iterator

    from singer_sdk.helpers.types import Context
    from singer_sdk.mapper import PluginMapper

    from tap_freshdesk.sdk.private import BaseBatchFileEncoding, BatchConfig

SCHEMAS = SchemaDirectory(resources.files(schemas))
Record = dict[str, t.Any]


class Output(SharedStream, StateTiming):
    """The writing side of FreshdeskStream; see its docstring for the declarations used here."""

    custom_fields_from: t.ClassVar[str | None]
    own_bookmark: t.ClassVar[str | None]
    _schema_announced = False

    @property
    def emit_activate_version_messages(self) -> bool:
        """Only for a stream read whole each run: see `tap_freshdesk.sync.activate_version`."""
        return bool(self.settings.emit_activate_version_messages) and activate_version.reads_whole(
            is_child=self.parent_stream_type is not None,
            replication_key=self.replication_key,
            own_bookmark=self.own_bookmark,
        )

    @functools.cached_property
    def _undeclared(self) -> UndeclaredKeys:
        return UndeclaredKeys()

    @functools.cached_property
    def schema(self) -> dict[str, t.Any]:
        """The stream's JSON schema file, with custom fields typed from the account's fields.

        Cached: the SDK reads the schema for every record it writes.
        """
        schema = copy.deepcopy(SCHEMAS.get_schema(self.name, key_properties=self.primary_keys))
        return self.custom_fields.typed(schema) if self.custom_fields else schema

    @property
    def effective_schema(self) -> dict[str, t.Any]:
        """The catalog's schema, plus custom fields defined since that catalog was made."""
        schema = super().effective_schema
        if self.custom_fields is None or schema is self.schema:
            return schema
        return self.custom_fields.extended(schema, self.schema)

    @functools.cached_property
    def custom_fields(self) -> CustomFields | None:
        """The stream's custom fields, typed from `custom_fields_from`; None without any."""
        if self.custom_fields_from is None:
            return None
        properties = self.shared.custom_field_properties(self.custom_fields_from)
        if not properties:
            return None
        flattening = None
        if self.settings.flatten_custom_fields:
            standard = SCHEMAS.get_schema(self.name)["properties"]
            flattening = Flattening.plan(properties, standard)
        return CustomFields(properties, flattening)

    def announce_new_custom_fields(self, mapper: PluginMapper) -> None:
        """Extend the SCHEMA messages by custom fields defined since the input catalog."""
        if self.custom_fields:
            self.custom_fields.announce(mapper, self.name, self.schema)

    def post_process(self, row: Record, context: Context | None = None) -> Record | None:
        """Give a child record its parent's id, and type (or lift) its custom fields."""
        selected = self.selected
        if selected:
            self.shared.progress.record(self.name)
            self.count_for_state()
        self.write_state_if_due()
        if self.parent_stream_type is not None and context:
            for key, value in context.items():
                row.setdefault(key, value)
        if self.custom_fields:
            self.custom_fields.conform(row, lambda: self.effective_schema["properties"])
        if selected:
            self._conform_to_schema(row)
        return row

    def _conform_to_schema(self, row: Record) -> None:
        """Warn once per key a SCHEMA lacks; keep flattened records within their SCHEMA."""
        schema = self.effective_schema
        for key in self._undeclared.new(row, schema["properties"]):
            self.logger.warning(
                "Stream %s: records carry `%s`, which its schema does not declare; the value "
                "is kept, but targets that build columns from the schema may drop it.",
                self.name,
                key,
            )
        if self.settings.flattening_enabled:
            drop_null_objects(row, schema, int(self.settings.flattening_max_depth or 0))

    def finalize_state_progress_markers(self, state: dict[str, t.Any] | None = None) -> None:
        """Also finalize grandchildren whose parent is not selected itself.

        The SDK descends only into selected children, so articles selected without their
        folders would keep a provisional bookmark forever and re-read everything each run.
        """
        if not state:
            for child in self.child_streams:
                if not child.selected and child.has_selected_descendents:
                    child.finalize_state_progress_markers()
        super().finalize_state_progress_markers(state)

    def get_batches(
        self, batch_config: BatchConfig, context: Context | None = None
    ) -> Iterator[tuple[BaseBatchFileEncoding, list[str]]]:
        """Batch this stream's records across parents: see tap_freshdesk.sync.batching."""
        if self.shared.batch_spools is None:
            self.shared.batch_spools = BatchSpools(self.tap_name, batch_config)
        return self.shared.batch_spools.batches(self, context)

    def before_state(self) -> None:
        """Put every spooled record in a BATCH message before the STATE that covers it."""
        if self.shared.batch_spools is not None:
            self.shared.batch_spools.flush()
        super().before_state()

    def schema_due(self) -> bool:
        """Announce the stream once; the SDK repeats it for every parent record's children.

        Serialising a schema per ticket was a fifth of the tap's CPU, and each repeat makes
        some targets flush or re-check their tables.
        """
        due, self._schema_announced = not self._schema_announced, True
        return due

    def state_moment(self) -> None:
        """Write out the records held back (a block) when a top-level stream's sync ends.

        Its STATE writes them, but none follows when the bookmark did not move, or when the
        sync stops at a record limit (the SDK's dry run, `--test`) before the cadence is due.
        """
        if self.parent_stream_type is None:  # a child's end comes once per parent record
            writer = self.tap.message_writer
            if isinstance(writer, BlockWriter):
                writer.flush()

    def log_sync_costs(self) -> None:
        """Log the sync's summary: the SDK calls this for every stream once the sync is over."""
        self.shared.progress.finish()
        self.shared.oddities.summarise()
