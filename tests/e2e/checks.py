"""The assertions every destination shares, worded as what a user would check."""

from __future__ import annotations

from tests.e2e.expectations import Landing
from tests.e2e.pipeline import CORE_STREAMS, Landed


def every_record_landed_once(landing: Landing) -> None:
    """After the first run: one row per record of the account, for every stream the tap emits."""
    landed = landing.first
    assert set(CORE_STREAMS) <= set(landed), f"missing tables: {set(CORE_STREAMS) - set(landed)}"
    empty_but_expected = [s for s, records in landing.before.items() if records and s not in landed]
    assert not empty_but_expected, f"streams with records that never landed: {empty_but_expected}"
    for stream in sorted(set(landed) & set(landing.before)):
        expected = landing.expected(landing.before, stream)
        rows = landing.identities(landed, stream)
        assert rows == expected, (
            f"{stream}: {sum(rows.values())} rows, {sum(expected.values())} records; "
            f"missing {list(expected - rows)[:5]}, extra {list(rows - expected)[:5]}"
        )


def changes_landed(landing: Landing) -> None:
    """After the second run: every created or changed record, with its new replication key."""
    assert landing.touched["tickets"], "the simulator changed no ticket"
    for stream in sorted(set(landing.second) & set(landing.after)):
        spec = landing.specs[stream]
        versions = {spec.version(row) for row in landing.second[stream]["rows"]}
        absent = landing.changed_versions(stream) - versions
        assert not absent, f"{stream}: changes that did not land: {sorted(absent)[:5]}"
    changed_tickets = {(str(i),) for i in landing.touched["tickets"]}
    assert changed_tickets <= landing.changed("tickets")


def only_changes_appended(landing: Landing) -> None:
    """After the second run, on an appending destination: the changes and nothing of the past.

    Allowed besides the changes: the records sharing the first run's last second per list pass
    (inclusive bookmarks) and the children of records loaded again.
    """
    total_added = 0
    for stream in sorted(set(landing.second) & set(landing.after)):
        added = landing.added(stream)
        total_added += sum(added.values())
        unexpected = set(added) - landing.reloadable(stream)
        assert not unexpected, f"{stream}: reloaded unchanged records {sorted(unexpected)[:5]}"
        if landing.specs[stream].keys:
            once = landing.expected(landing.after, stream)
            duplicates = [i for i, count in added.items() if count > max(once.get(i, 1), 1)]
            assert not duplicates, f"{stream}: loaded twice in one run: {duplicates[:5]}"
    all_records = sum(len(records) for records in landing.after.values())
    assert 0 < total_added < all_records / 4


def one_row_per_record(landing: Landing) -> None:
    """After the second run, on an upserting destination: still one row per record."""
    for stream in sorted(set(landing.second) & set(landing.after)):
        if not landing.specs[stream].keys:
            continue  # no primary key, nothing to upsert by: appended
        expected = landing.expected(landing.after, stream)
        rows = landing.identities(landing.second, stream)
        assert rows == expected, f"{stream}: {sum(rows.values())} rows, {len(expected)} records"


def no_keyless_record_lost(landing: Landing, landed: Landed) -> None:
    """After the second run: a stream without a primary key cannot be upserted or deduplicated
    by key, so it appends; every record of the account must still be among its rows."""
    for stream, spec in sorted(landing.specs.items()):
        if spec.keys or not spec.identifying or not landing.after.get(stream):
            continue
        truth = {spec.content(record) for record in landing.after[stream]}
        rows = {spec.content(row) for row in landed[stream]["rows"]}
        assert truth <= rows, f"{stream}: {len(truth - rows)} records missing"
