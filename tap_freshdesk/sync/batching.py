"""BATCH files per stream, not per parent: every stream's records spooled until a file is due.

The SDK batches each `Stream.sync` call on its own and syncs a child stream once per parent
record, so `batch_config` made one file per ticket's conversations (2,910 files for one child
stream of a 3,000-ticket account). Here a stream's records go to a spool (a temporary file)
that outlives the parent record; a spool becomes files through the SDK's own encoder (JSON
Lines or Parquet, as configured) when it holds `batch_size` records, at the end of a top-level
stream, and before any STATE message. So a STATE never covers a record that is not in a BATCH
message written before it, and a resumed sync loses nothing.
"""

from __future__ import annotations

import pickle
import tempfile
import typing as t

from singer_sdk.batch import Batcher

if t.TYPE_CHECKING:
    from collections.abc import Iterator

    from singer_sdk.helpers.types import Context

    from tap_freshdesk.sdk.private import BaseBatchFileEncoding, BatchConfig, SdkStream


class _Spool:
    """One stream's records since its last file, pickled to disk: memory stays flat."""

    def __init__(self) -> None:
        self.file = tempfile.TemporaryFile()  # noqa: SIM115  (closed by `records`)
        self.count = 0

    def add(self, record: dict[str, t.Any]) -> None:
        pickle.dump(record, self.file, protocol=pickle.HIGHEST_PROTOCOL)
        self.count += 1

    def records(self) -> Iterator[dict[str, t.Any]]:
        """Read the records back in order, once; the file is gone afterwards."""
        with self.file:
            self.file.seek(0)
            for _ in range(self.count):
                yield pickle.load(self.file)


class BatchSpools:
    """The open spools of one sync, one per stream, and the files they become."""

    def __init__(self, tap_name: str, batch_config: BatchConfig) -> None:
        self.tap_name = tap_name
        self.batch_config = batch_config
        self.encoding: BaseBatchFileEncoding = batch_config.encoding
        self._spools: dict[str, tuple[SdkStream, _Spool]] = {}

    def batches(
        self, stream: SdkStream, context: Context | None
    ) -> Iterator[tuple[BaseBatchFileEncoding, list[str]]]:
        """Sync one context of `stream`, yielding a top-level stream's manifests.

        The records of every context (every parent) of a child stream share one spool; a full
        one is written at once, without a STATE, which only a top-level stream's file brings
        (the SDK writes one after each manifest yielded here): each STATE flushes every spool,
        so a child's files are cut at `batch_size` and at its top-level stream's files only.
        A top-level stream's sync ends by flushing every spool and writing their STATE.
        """
        for record in stream.sync_unwritten(context):
            if stream.selected and (manifest := self._add(stream, record)) is not None:
                if stream.parent_stream_type is None:
                    yield self.encoding, manifest
                else:
                    stream.write_batch_message(self.encoding, manifest)
        if stream.parent_stream_type is None:
            if (manifest := self._take(stream.name)) is not None:
                yield self.encoding, manifest
            stream.write_state_message()

    def flush(self) -> None:
        """Write every spooled record to files and their BATCH messages: a STATE follows."""
        for name, (stream, _) in list(self._spools.items()):
            if (manifest := self._take(name)) is not None:
                stream.write_batch_message(self.encoding, manifest)

    def _add(self, stream: SdkStream, record: dict[str, t.Any]) -> list[str] | None:
        _, spool = self._spools.setdefault(stream.name, (stream, _Spool()))
        spool.add(record)
        return self._take(stream.name) if spool.count >= self.batch_config.batch_size else None

    def _take(self, name: str) -> list[str] | None:
        """Turn a stream's spooled records into files; None when it holds none."""
        if name not in self._spools:
            return None
        _, spool = self._spools.pop(name)
        batcher = Batcher(tap_name=self.tap_name, stream_name=name, batch_config=self.batch_config)
        return [url for manifest in batcher.get_batches(spool.records()) for url in manifest]
