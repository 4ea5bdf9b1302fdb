"""The sync's threads share one CPU while a pool reads, and the process gets its CPUs back."""

from __future__ import annotations

import logging
import os
import threading
from typing import Any

import pytest

from tap_freshdesk import prefetch
from tap_freshdesk.cpu_affinity import OneCpu
from tap_freshdesk.streams.archived import ArchiveProbe
from tap_freshdesk.tap import TapFreshdesk
from tests.harness import catalog_selecting

LOGGER = logging.getLogger("test-cpu-affinity")

pytestmark = pytest.mark.skipif(
    not hasattr(os, "sched_setaffinity") or len(os.sched_getaffinity(0)) < 2,
    reason="needs Linux and at least two CPUs this process may run on",
)


def affinity_in_a_new_thread() -> set[int]:
    seen: list[set[int]] = []
    thread = threading.Thread(target=lambda: seen.append(os.sched_getaffinity(0)))
    thread.start()
    thread.join()
    return seen[0]


def test_held_puts_the_block_and_the_threads_it_starts_on_one_cpu_then_restores():
    before = os.sched_getaffinity(0)
    one_cpu = OneCpu(LOGGER, enabled=True)
    with one_cpu.held() as cpu:
        assert cpu in before
        assert os.sched_getaffinity(0) == {cpu}
        assert affinity_in_a_new_thread() == {cpu}
    assert os.sched_getaffinity(0) == before
    with one_cpu.held() as again:
        assert again == cpu, "a later stream must join the pool's threads on their CPU"
    assert os.sched_getaffinity(0) == before


def test_over_holds_the_cpu_while_the_records_are_read_and_not_after():
    before = os.sched_getaffinity(0)
    seen = [os.sched_getaffinity(0) for _ in OneCpu(LOGGER, enabled=True).over(range(3))]
    assert len(seen) == 3
    assert all(len(cpus) == 1 for cpus in seen)
    assert os.sched_getaffinity(0) == before


def test_disabled_leaves_the_threads_to_the_os():
    before = os.sched_getaffinity(0)
    with OneCpu(LOGGER, enabled=False).held() as cpu:
        assert cpu is None
        assert os.sched_getaffinity(0) == before
        assert affinity_in_a_new_thread() == before


def test_a_refused_affinity_leaves_the_sync_running(monkeypatch, caplog):
    def refuse(pid: int, cpus: Any) -> None:
        raise PermissionError(1, "Operation not permitted")

    before = os.sched_getaffinity(0)
    monkeypatch.setattr(os, "sched_setaffinity", refuse)
    with caplog.at_level(logging.DEBUG, LOGGER.name), OneCpu(LOGGER, enabled=True).held() as cpu:
        assert cpu is None
    assert os.sched_getaffinity(0) == before
    assert "Threads left to the OS" in caplog.text
    assert "Threads kept on CPU" not in caplog.text


def test_the_cpu_is_named_once_in_the_log(caplog):
    one_cpu = OneCpu(LOGGER, enabled=True)
    with caplog.at_level(logging.INFO, LOGGER.name):
        with one_cpu.held() as cpu:
            pass
        with one_cpu.held():
            pass
    assert caplog.text.count(f"Threads kept on CPU {cpu}:") == 1


def sync_recording_worker_cpus(
    config: dict[str, Any], monkeypatch
) -> tuple[list[set[int]], list[set[int]]]:
    """Sync tickets and conversations in this process; the CPUs each pool's reads ran on.

    Returned: the prefetch pool's (conversations), then the id probe's (archived tickets).
    """
    children: list[set[int]] = []
    probes: list[set[int]] = []
    submit = prefetch.Prefetcher.submit
    probe_one = ArchiveProbe._probe_one

    def recording(self, stream, context, read):  # type: ignore[no-untyped-def]
        def read_and_record(ctx):  # type: ignore[no-untyped-def]
            children.append(os.sched_getaffinity(0))
            return read(ctx)

        submit(self, stream, context, read_and_record)

    def probing(self, *args):  # type: ignore[no-untyped-def]
        probes.append(os.sched_getaffinity(0))
        return probe_one(self, *args)

    monkeypatch.setattr(prefetch.Prefetcher, "submit", recording)
    monkeypatch.setattr(ArchiveProbe, "_probe_one", probing)
    tap = TapFreshdesk(
        config=config,
        catalog=catalog_selecting(["tickets", "conversations"]),
        parse_env_config=False,
    )
    tap.sync_all()
    return children, probes


#: Closed tickets archived after 120 days: the id probe reads them with its own pool.
ACCOUNT = {"tickets": 40, "archive_after_days": 120}


@pytest.mark.simulator(**ACCOUNT)
def test_a_sync_reads_children_on_one_cpu_and_gives_the_cpus_back(
    simulator, config, monkeypatch, capfd
):
    before = os.sched_getaffinity(0)
    children, probes = sync_recording_worker_cpus({**config, "max_concurrency": 4}, monkeypatch)
    assert os.sched_getaffinity(0) == before
    assert len(children) >= 20, "conversations were not read through the pool"
    assert probes, "no archived ticket was probed"
    assert len({frozenset(cpus) for cpus in children + probes}) == 1
    assert len(children[0]) == 1
    assert '"stream":"conversations"' in capfd.readouterr().out


@pytest.mark.simulator(**ACCOUNT)
def test_pin_to_one_cpu_false_leaves_the_pools_on_every_cpu(simulator, config, monkeypatch, capfd):
    before = os.sched_getaffinity(0)
    settings = {**config, "max_concurrency": 4, "pin_to_one_cpu": False}
    children, probes = sync_recording_worker_cpus(settings, monkeypatch)
    assert len(children) >= 20
    assert probes
    assert all(cpus == before for cpus in children + probes)
    capfd.readouterr()
