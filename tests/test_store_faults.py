"""Faults of bigaccount.store on every backend: races, killed writers, full disks, locks.

"Nothing lost, nothing let in": events recorded = moves that succeeded, no duplicate, no
move that the toy's rules block, every deal's replay equal to its last state, and no
trace of a writer killed in the middle of a transaction.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import sqlite3
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from _store_support import (
    ToyCodec,
    ToyDeal,
    fast_dir,
    is_postgres,
    new_event,
    opened,
    replay,
    store,
    target,
    write_moves,
)
from bigaccount import store as es

__all__ = ["fast_dir", "opened", "store", "target"]  # fixtures, used by name

DEALS = ("KA-001", "KA-002", "KA-003")
SPAWN = multiprocessing.get_context("spawn")


def dump(target: str) -> list[tuple[int, str, int, str, str, str]]:
    """Everything a freshly opened store holds, in the global order."""
    with es.open(target) as fresh:
        return [
            (e.position, e.stream, e.version, e.event_id, e.type, e.data.document)
            for e in fresh.changes_since(0)
        ]


def wait_for(condition: Callable[[], bool], what: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.01)


# -- many writers --------------------------------------------------------------------------


def test_threads_and_processes_racing_on_shared_deals_lose_nothing_and_let_nothing_in(
    target: str,
) -> None:
    threads, processes, moves = 8, 4, 1000
    results: dict[int, Any] = {}
    errors: list[BaseException] = []

    def thread_writer(writer: int) -> None:
        try:
            results[writer] = write_moves(target, writer, moves, DEALS, seed=1)
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)

    with SPAWN.Pool(processes) as pool:
        pending = pool.starmap_async(
            write_moves, [(target, threads + n, moves, DEALS, 1) for n in range(processes)]
        )
        workers = [threading.Thread(target=thread_writer, args=(n,)) for n in range(threads)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
        for n, result in enumerate(pending.get(timeout=240)):
            results[threads + n] = result
    assert errors == []

    recorded = [move for writer in results.values() for move in writer[0]]
    blocked = sum(writer[1] for writer in results.values())
    conflicts = sum(writer[2] for writer in results.values())
    assert len(recorded) + blocked == (threads + processes) * moves
    assert blocked > 0
    assert conflicts > 0

    with es.open(target) as check:
        events = check.changes_since(0)
        assert len(events) == len(recorded)
        assert [e.position for e in events] == list(range(1, len(events) + 1))
        assert Counter(e.event_id for e in events).most_common(1)[0][1] == 1
        assert {e.event_id for e in events} == {event_id for _, _, event_id, _ in recorded}

        codec = ToyCodec()
        by_version: dict[str, dict[int, tuple[str, Any]]] = defaultdict(dict)
        for deal_id, version, event_id, state in recorded:
            assert version not in by_version[deal_id], "two moves recorded at one version"
            by_version[deal_id][version] = (event_id, state)
        for deal_id in DEALS:
            stream = check.read(deal_id)
            assert [e.version for e in stream] == list(range(1, len(stream) + 1))
            deal = ToyDeal()
            for event in stream:
                deal.apply(codec.decode(event.data))  # raises on a move the rules block
                assert by_version[deal_id][event.version] == (event.event_id, deal.state)
            assert deal.state == replay([codec.decode(e.data) for e in stream]).state
            last = max(by_version[deal_id])
            assert by_version[deal_id][last][1] == deal.state


def test_a_reader_following_the_global_order_misses_nothing_while_writers_append(
    target: str,
) -> None:
    writers, appends = 4, 150
    done = threading.Event()
    seen: list[es.RecordedEvent] = []
    errors: list[BaseException] = []

    def write(writer: int) -> None:
        try:
            with es.open(target, timeout=30) as mine:
                for seq in range(appends):
                    stream = f"S-{(writer + seq) % 3}"
                    while True:
                        version = mine.version(stream)
                        batch = [new_event(f"{writer}-{seq}-{k}") for k in range(1 + seq % 3)]
                        try:
                            mine.append(stream, version, batch)
                            break
                        except es.ConcurrencyConflict:
                            continue
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)

    def follow() -> None:
        try:
            with es.open(target) as reader:
                cursor = 0
                while True:
                    finished = done.is_set()
                    page = reader.changes_since(cursor, limit=50)
                    seen.extend(page)
                    if page:
                        cursor = page[-1].position
                    elif finished:
                        return
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)

    follower = threading.Thread(target=follow)
    follower.start()
    workers = [threading.Thread(target=write, args=(n,)) for n in range(writers)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    done.set()
    follower.join()
    assert errors == []
    everything = dump(target)
    assert len(everything) == sum(1 + seq % 3 for seq in range(appends)) * writers
    assert [(e.position, e.event_id) for e in seen] == [(p, i) for p, _, _, i, _, _ in everything]


# -- killed writers ------------------------------------------------------------------------


def hold_a_transaction(target: str, ready: str) -> None:
    """Append to two streams in one transaction, say so, and wait there to be killed."""
    with es.open(target) as mine, mine.transaction() as tx:
        tx.append("KA-001", 1, [new_event(f"doomed-{k}") for k in range(3)])
        tx.append("KA-002", 0, [new_event("doomed-other")])
        Path(ready).write_text("in the transaction")
        time.sleep(120)


def test_a_writer_killed_in_a_transaction_leaves_no_trace(
    target: str, tmp_path: Path, store: es.EventStore
) -> None:
    store.append("KA-001", 0, [new_event("kept")])
    ready = tmp_path / "ready"
    writer = SPAWN.Process(target=hold_a_transaction, args=(target, str(ready)), daemon=True)
    writer.start()
    try:
        wait_for(ready.exists, "the writer to be inside its transaction")
        before = dump(target)
    finally:
        os.kill(writer.pid or 0, signal.SIGKILL)
        writer.join(30)
    assert writer.exitcode == -signal.SIGKILL
    assert dump(target) == before == dump(target)
    assert [e.event_id for e in store.read("KA-001")] == ["kept"]
    assert store.read("KA-002") == ()
    assert store.append("KA-001", 1, [new_event("after")]).version == 2


def append_until_killed(target: str, log: str) -> None:
    """Append batches of four events round the three deals, logging each commit."""
    with es.open(target) as mine, Path(log).open("a") as out:
        for batch in range(100_000):
            stream = DEALS[batch % 3]
            events = [new_event(f"b{batch}-{k}", batch=batch) for k in range(4)]
            head = mine.append(stream, mine.version(stream), events)
            out.write(f"{stream} {head.version} {batch}\n")
            out.flush()


def test_a_writer_killed_while_appending_leaves_whole_batches_only(
    target: str, tmp_path: Path
) -> None:
    es.open(target).close()
    log = tmp_path / "commits.log"
    log.touch()
    writer = SPAWN.Process(target=append_until_killed, args=(target, str(log)), daemon=True)
    writer.start()
    try:
        wait_for(lambda: log.read_text().count("\n") >= 30, "thirty commits")
    finally:
        os.kill(writer.pid or 0, signal.SIGKILL)
        writer.join(30)
    assert writer.exitcode == -signal.SIGKILL

    after = dump(target)
    assert after == dump(target)  # reopening again gives the same state
    by_batch: dict[int, list[tuple[str, int]]] = defaultdict(list)
    for _, stream, version, _, _, document in after:
        by_batch[int(document.split(":")[1].rstrip("}"))].append((stream, version))
    assert sorted(by_batch) == list(range(len(by_batch)))  # batches in order, none missing
    for batch, places in by_batch.items():
        stream = DEALS[batch % 3]
        assert [s for s, _ in places] == [stream] * 4
        first = places[0][1]
        assert [v for _, v in places] == list(range(first, first + 4))
    for line in log.read_text().splitlines():
        logged_stream, logged_version, number = line.split()
        assert by_batch[int(number)][-1] == (
            logged_stream,
            int(logged_version),
        )  # every commit logged is kept
    for deal in DEALS:
        versions = [v for _, s, v, _, _, _ in after if s == deal]
        assert versions == list(range(1, len(versions) + 1))
    if not is_postgres(target):
        with contextlib.closing(sqlite3.connect(target, isolation_level=None)) as raw:
            assert raw.execute("PRAGMA integrity_check").fetchone() == ("ok",)


# -- database faults -----------------------------------------------------------------------


def test_a_locked_database_is_a_retryable_store_error_and_loses_nothing(
    target: str, opened: Callable[..., es.EventStore]
) -> None:
    impatient = opened(timeout=0.2)
    impatient.append("KA-001", 0, [new_event("kept")])
    if is_postgres(target):
        import psycopg

        holder: Any = psycopg.connect(target, autocommit=True)
        holder.execute("BEGIN")
        holder.execute("SELECT id FROM bigaccount_writer FOR UPDATE")
    else:
        holder = sqlite3.connect(target, isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
    try:
        started = time.monotonic()
        with pytest.raises(es.StoreError) as caught:
            impatient.append("KA-001", 1, [new_event("waiting")])
        assert time.monotonic() - started >= 0.15
        assert caught.value.fault is es.Fault.LOCKED
        assert caught.value.retryable
        assert caught.value.__cause__ is not None
        assert [e.event_id for e in impatient.read("KA-001")] == ["kept"]  # reads still work
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert impatient.append("KA-001", 1, [new_event("waiting")]).version == 2


def test_a_full_disk_is_a_store_error_and_loses_nothing(tmp_path: Path) -> None:
    path = tmp_path / "full.db"
    full = es.open(path)
    kept = full.append("KA-001", 0, [new_event(f"kept-{k}", note="x" * 500) for k in range(5)])
    connection: sqlite3.Connection = full._connection  # type: ignore[attr-defined]
    pages = connection.execute("PRAGMA page_count").fetchone()[0]
    connection.execute(f"PRAGMA max_page_count = {pages}")
    big = [new_event(f"big-{k}", note="y" * 4000) for k in range(20)]
    with pytest.raises(es.StoreError) as caught:
        full.append("KA-001", 5, big)
    assert caught.value.fault is es.Fault.FULL
    assert isinstance(caught.value.__cause__, sqlite3.OperationalError)
    assert full.version("KA-001") == 5
    assert full.head() == kept.position

    def small_then_big() -> None:
        with full.transaction() as tx:
            tx.append("KA-002", 0, [new_event("small")])
            tx.append("KA-001", 5, big)

    with pytest.raises(es.StoreError) as in_transaction:
        small_then_big()
    assert in_transaction.value.fault is es.Fault.FULL
    assert full.read("KA-002") == ()
    full.close()
    assert [row[3] for row in dump(str(path))] == [f"kept-{k}" for k in range(5)]
    with es.open(path) as roomy:
        assert roomy.append("KA-001", 5, big).version == 25


def test_a_lost_connection_is_reported_once_and_made_again(
    target: str, store: es.EventStore
) -> None:
    if not is_postgres(target):
        pytest.skip("an embedded SQLite store has no connection to lose")
    import psycopg

    store.append("KA-001", 0, [new_event("kept")])
    with psycopg.connect(target, autocommit=True) as admin:
        admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
    with pytest.raises(es.StoreError) as caught:
        store.append("KA-001", 1, [new_event("after")])
    assert caught.value.fault is es.Fault.DISCONNECTED
    assert caught.value.retryable
    assert store.append("KA-001", 1, [new_event("after")]).version == 2
    assert [e.event_id for e in store.read("KA-001")] == ["kept", "after"]


def test_postgresql_faults_are_read_from_their_sqlstate(target: str) -> None:
    if not is_postgres(target):
        pytest.skip("PostgreSQL's own errors")
    import psycopg

    from bigaccount.store._postgres import fault_of

    with (
        psycopg.connect(target, autocommit=True) as one,
        psycopg.connect(target, autocommit=True) as two,
    ):
        one.execute("CREATE TABLE race (id int PRIMARY KEY, n int)")
        one.execute("INSERT INTO race VALUES (1, 0)")
        one.execute("BEGIN ISOLATION LEVEL REPEATABLE READ")
        one.execute("SELECT n FROM race")
        two.execute("UPDATE race SET n = 1")
        with pytest.raises(psycopg.errors.SerializationFailure) as serialization:
            one.execute("UPDATE race SET n = 2")
        one.execute("ROLLBACK")
        two.execute("SET lock_timeout = '10ms'")
        one.execute("BEGIN")
        one.execute("SELECT n FROM race FOR UPDATE")
        with pytest.raises(psycopg.errors.LockNotAvailable) as locked:
            two.execute("SELECT n FROM race FOR UPDATE")
        one.execute("ROLLBACK")
        with pytest.raises(psycopg.errors.UndefinedTable) as missing:
            two.execute("SELECT * FROM no_such_table")
    assert fault_of(serialization.value)[0] is es.Fault.SERIALIZATION
    assert fault_of(locked.value)[0] is es.Fault.LOCKED
    assert fault_of(missing.value)[0] is es.Fault.SCHEMA
    assert es.Fault.SERIALIZATION.retryable
    assert not es.Fault.SCHEMA.retryable


def test_every_fault_has_both_labels() -> None:
    for fault in es.Fault:
        assert fault.label.zh
        assert fault.label.en
