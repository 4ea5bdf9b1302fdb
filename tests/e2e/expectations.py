"""What a destination must hold after the main job: the simulator's truth, stream by stream.

A record is known by its stream's primary key and versioned by its replication key, both read
from the tap's own catalog, so a stream added to the tap is checked without a change here.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from devtools.streams import (
    Identity,
    StreamSpec,
    as_text,
    stream_specs,
)
from tests.e2e.pipeline import CHANGES, Landed, Wanted
from tests.simulator import Simulator


def truth(sim: Simulator, specs: dict[str, StreamSpec]) -> dict[str, list[dict[str, Any]]]:
    """The simulator's records of every stream the tap knows and the simulator models."""
    records = {}
    for stream in specs:
        try:
            records[stream] = sim.truth(stream)
        except KeyError:
            continue
    return records


def keys_the_simulator_knows(
    specs: dict[str, StreamSpec], records: dict[str, list[dict[str, Any]]]
) -> dict[str, StreamSpec]:
    """Each stream's key without the parts the tap adds from the request, not the body.

    A translation's `language` comes from its URL and a ticket child's `ticket_id` from its
    parent, so the simulator's truth (the bodies it serves) lacks them: such a stream is
    compared by the rest of its key, counting one row per record (an article in four
    languages: four rows of its id).
    """
    known = {}
    for stream, spec in specs.items():
        rows = records.get(stream) or []
        keys = tuple(k for k in spec.keys if all(k in row for row in rows))
        known[stream] = StreamSpec(keys, spec.replication_key, spec.identifying)
    return known


@dataclass
class Landing:
    """One destination after the main job ran twice, with the account changed in between."""

    specs: dict[str, StreamSpec]
    before: dict[str, list[dict[str, Any]]]
    first: Landed
    touched: dict[str, list[int]]
    after: dict[str, list[dict[str, Any]]]
    second: Landed
    reloaded_ids: set[str | None] = field(default_factory=set)

    @property
    def wanted(self) -> Wanted:
        """The columns to read from each table."""
        return {stream: spec.columns for stream, spec in self.specs.items()}

    def identities(self, landed: Landed, stream: str) -> Counter[Identity]:
        """How many rows of each record a destination holds."""
        spec = self.specs[stream]
        return Counter(spec.identity(row) for row in landed.get(stream, {}).get("rows", []))

    def expected(self, records: dict[str, list[dict[str, Any]]], stream: str) -> Counter[Identity]:
        """One row per record of the simulator's truth."""
        spec = self.specs[stream]
        return Counter(spec.identity(record) for record in records[stream])

    def added(self, stream: str) -> Counter[Identity]:
        """The rows the second run added (appending destinations)."""
        return self.identities(self.second, stream) - self.identities(self.first, stream)

    def changed(self, stream: str) -> set[Identity]:
        """Records created or changed between the runs."""
        spec = self.specs[stream]
        old = {spec.version(record) for record in self.before[stream]}
        return {
            spec.identity(record)
            for record in self.after[stream]
            if spec.version(record) not in old
        }

    def changed_versions(self, stream: str) -> set[tuple[Identity, str | None]]:
        """The new (key, replication key) of every record changed between the runs."""
        spec = self.specs[stream]
        old = {spec.version(record) for record in self.before[stream]}
        return {spec.version(r) for r in self.after[stream]} - old

    def reloadable(self, stream: str) -> set[Identity]:
        """What a correct second run may load again besides the changes.

        Bookmarks are inclusive, so the records sharing each list pass's last replication-key
        second come again; and a child is fetched again with its parent (a conversation with
        its ticket).
        """
        spec = self.specs[stream]
        if not spec.replication_key:  # full table: every run loads it all
            return {spec.identity(record) for record in self.after[stream]}
        allowed = self.changed(stream)
        last: dict[tuple[Any, ...], str] = {}
        for record in self.before[stream]:
            stamp = as_text(record.get(spec.replication_key)) or ""
            last[spec.partition(record)] = max(last.get(spec.partition(record), ""), stamp)
        allowed |= {
            spec.identity(record)
            for record in self.before[stream]
            if as_text(record.get(spec.replication_key)) == last[spec.partition(record)]
        }
        parents = self.reloaded_ids - {identity[0] for identity in self.added(stream)}
        allowed |= {
            spec.identity(record)
            for record in self.after[stream]
            if any(k.endswith("_id") and as_text(v) in parents for k, v in record.items())
        }
        return allowed


def land_twice(
    sim: Simulator,
    run: Callable[[], None],
    read: Callable[[Wanted], Landed],
    streams: tuple[str, ...] | None = None,
    prepare: Callable[[], object] | None = None,
) -> Landing:
    """Run the job, change the account (`CHANGES`), run it again; read the destination each time.

    `streams`: the streams the job selects, when not all of them. `prepare`: a change to the
    account made before the others (a new custom field, which the changed records then fill).
    """
    specs = {s: spec for s, spec in stream_specs().items() if streams is None or s in streams}
    specs = keys_the_simulator_knows(specs, truth(sim, specs))
    wanted = {stream: spec.columns for stream, spec in specs.items()}
    run()
    first, before = read(wanted), truth(sim, specs)
    if prepare is not None:
        prepare()
    touched = sim.mutate(**CHANGES)
    run()
    landing = Landing(specs, before, first, touched, truth(sim, specs), read(wanted))
    landing.reloaded_ids = {
        identity[0]
        for stream in landing.second
        if stream in specs and len(specs[stream].keys) == 1
        for identity in landing.added(stream)
    }
    return landing
