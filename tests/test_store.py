"""The contract of bigaccount.store, run against every backend (SQLite, PostgreSQL)."""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import os
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from _store_support import (
    BASE_TIME,
    Moved,
    Noted,
    ToyCodec,
    ToyDeal,
    ToySnapshots,
    fast_dir,
    is_postgres,
    new_event,
    opened,
    replay,
    replay_deal,
    store,
    target,
)
from bigaccount import store as es
from bigaccount.errors import BigAccountError, InvalidData, UnknownName

__all__ = ["fast_dir", "opened", "store", "target"]  # fixtures, used by name

DB_SETTINGS = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def ids(events: tuple[es.RecordedEvent, ...]) -> list[str]:
    return [event.event_id for event in events]


# -- appending and reading -------------------------------------------------------------


def test_append_numbers_versions_per_stream_and_positions_across_streams(
    store: es.EventStore,
) -> None:
    assert (store.head(), store.version("KA-1")) == (0, 0)
    first = store.append("KA-1", 0, [new_event("a1"), new_event("a2")])
    other = store.append("KA-2", 0, [new_event("b1")])
    third = store.append("KA-1", 2, [new_event("a3")])
    assert first == es.StreamHead("KA-1", 2, 2)
    assert other == es.StreamHead("KA-2", 1, 3)
    assert third == es.StreamHead("KA-1", 3, 4)
    assert [(e.version, e.position) for e in store.read("KA-1")] == [(1, 1), (2, 2), (3, 4)]
    assert ids(store.read("KA-1", after=1)) == ["a2", "a3"]
    assert (store.version("KA-1"), store.version("KA-2"), store.head()) == (3, 1, 4)
    assert store.read("nobody") == ()


def test_a_stale_expected_version_is_refused_and_writes_nothing(store: es.EventStore) -> None:
    store.append("KA-1", 0, [new_event("a1"), new_event("a2")])
    for stale in (0, 1, 3):
        with pytest.raises(es.ConcurrencyConflict) as caught:
            store.append("KA-1", stale, [new_event("late")])
        assert (caught.value.stream, caught.value.expected, caught.value.actual) == (
            "KA-1",
            stale,
            2,
        )
        assert isinstance(caught.value, BigAccountError)
    assert ids(store.read("KA-1")) == ["a1", "a2"]
    assert store.head() == 2


def test_a_retried_append_is_recorded_once_and_returns_the_same_head(
    store: es.EventStore,
) -> None:
    batch = [new_event("a1", to="B"), new_event("a2", to="C")]
    head = store.append("KA-1", 0, batch)
    assert store.append("KA-1", 0, batch) == head
    store.append("KA-2", 0, [new_event("b1")])
    store.append("KA-1", 2, [new_event("a3")])
    assert store.append("KA-1", 0, batch) == head  # still, after others appended
    assert ids(store.changes_since(0)) == ["a1", "a2", "b1", "a3"]


def test_a_retry_that_is_not_exactly_the_recorded_batch_is_a_conflict(
    store: es.EventStore,
) -> None:
    store.append("KA-1", 0, [new_event("a1"), new_event("a2")])
    with pytest.raises(es.ConcurrencyConflict):
        store.append("KA-1", 0, [new_event("a1"), new_event("a2"), new_event("a3")])
    with pytest.raises(es.ConcurrencyConflict):
        store.append("KA-1", 0, [new_event("a2")])
    assert ids(store.read("KA-1")) == ["a1", "a2"]


@pytest.mark.parametrize(
    "changed",
    [
        new_event("a1", to="Z"),
        new_event("a1", "other_type", to="B"),
        es.NewEvent("a1", es.EventData("moved", {"to": "B"}, BASE_TIME + dt.timedelta(1))),
        # the same instant written with another offset is another record
        es.NewEvent(
            "a1", es.EventData("moved", {"to": "B"}, BASE_TIME.astimezone(dt.timezone.utc))
        ),
    ],
)
def test_an_event_id_names_one_event(store: es.EventStore, changed: es.NewEvent) -> None:
    store.append("KA-1", 0, [new_event("a1", to="B")])
    with pytest.raises(es.DuplicateEvent) as caught:
        store.append("KA-1", 0, [changed])
    assert (caught.value.event_id, caught.value.stream, caught.value.version) == ("a1", "KA-1", 1)
    with pytest.raises(es.DuplicateEvent) as elsewhere:
        store.append("KA-2", 0, [changed])
    assert (elsewhere.value.stream, elsewhere.value.version) == ("KA-1", 1)
    assert store.read("KA-2") == ()
    assert store.head() == 1
    assert store.append("KA-2", 0, [new_event("b1")]).position == 2  # the store still works


def test_bad_appends_are_refused_before_anything_is_written(store: es.EventStore) -> None:
    with pytest.raises(InvalidData, match="events"):
        store.append("KA-1", 0, [])
    with pytest.raises(InvalidData, match=r"events\[1\]"):
        store.append("KA-1", 0, [new_event("a1"), new_event("a1")])
    with pytest.raises(InvalidData, match=r"events\[0\]"):
        store.append("KA-1", 0, ["a1"])  # type: ignore[list-item]
    with pytest.raises(InvalidData, match="events"):
        store.append("KA-1", 0, new_event("a1"))  # type: ignore[arg-type]
    with pytest.raises(InvalidData, match="expected_version"):
        store.append("KA-1", -1, [new_event("a1")])
    with pytest.raises(InvalidData, match="expected_version"):
        store.append("KA-1", True, [new_event("a1")])
    for bad in ("", "  ", "a\x00b", 7):
        with pytest.raises(InvalidData, match="stream"):
            store.append(bad, 0, [new_event("a1")])  # type: ignore[arg-type]
    assert store.head() == 0


# -- values ----------------------------------------------------------------------------


def test_payloads_keep_only_what_every_backend_keeps_exactly() -> None:
    with pytest.raises(InvalidData, match=r"payload\.amount.*float"):
        es.EventData("t", {"amount": 0.1}, BASE_TIME)
    with pytest.raises(InvalidData, match=r"payload\.lines\[1\]"):
        es.EventData("t", {"lines": ["ok", b"bytes"]}, BASE_TIME)
    with pytest.raises(InvalidData, match="NUL"):
        es.EventData("t", {"note": "a\x00b"}, BASE_TIME)
    with pytest.raises(InvalidData, match="keys must be text"):
        es.EventData("t", {"n": {1: "one"}}, BASE_TIME)
    with pytest.raises(InvalidData, match="Unicode"):
        es.EventData("t", {"note": "\ud800"}, BASE_TIME)
    with pytest.raises(InvalidData, match="mapping"):
        es.EventData("t", ["not", "an", "object"], BASE_TIME)  # type: ignore[arg-type]
    circular: dict[str, Any] = {}
    circular["self"] = circular
    with pytest.raises(InvalidData, match="nested"):
        es.EventData("t", circular, BASE_TIME)
    with pytest.raises(InvalidData, match="at"):
        es.EventData("t", {}, dt.datetime(2024, 5, 6, 9))
    with pytest.raises(InvalidData, match="type"):
        es.EventData(" ", {}, BASE_TIME)
    with pytest.raises(InvalidData, match="event_id"):
        es.NewEvent("", es.EventData("t", {}, BASE_TIME))
    with pytest.raises(InvalidData, match="data"):
        es.NewEvent("e", {"type": "t"})  # type: ignore[arg-type]


def test_a_payload_is_held_as_canonical_text_and_cannot_be_changed_through_it() -> None:
    payload = {"b": [1, {"y": None, "x": True}], "a": "方案"}
    data = es.EventData("t", payload, BASE_TIME)
    assert data.document == '{"a":"方案","b":[1,{"x":true,"y":null}]}'
    payload["a"] = "changed"
    data.payload["a"] = "changed too"
    assert data.payload == {"a": "方案", "b": [1, {"x": True, "y": None}]}
    assert data == es.EventData("t", {"a": "方案", "b": (1, {"y": None, "x": True})}, BASE_TIME)


storable_text = st.text(st.characters(codec="utf-8", exclude_characters="\x00"), max_size=12)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | storable_text,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(storable_text, inner, max_size=4),
    max_leaves=12,
)
payloads = st.dictionaries(storable_text, json_values, max_size=5)
aware_times = st.datetimes(
    min_value=dt.datetime(1900, 1, 1),
    max_value=dt.datetime(2200, 1, 1),
    timezones=st.builds(
        dt.timezone, st.integers(-23 * 60 + 1, 23 * 60 - 1).map(lambda m: dt.timedelta(minutes=m))
    ),
)


@DB_SETTINGS
@given(payload=payloads, at=aware_times, type_=st.sampled_from(["moved", "证据", "x.y/z"]))
def test_every_payload_and_time_read_back_as_written(
    store: es.EventStore, payload: dict[str, Any], at: dt.datetime, type_: str
) -> None:
    data = es.EventData(type_, payload, at)
    stream = f"S-{store.head()}"
    store.append(stream, 0, [es.NewEvent(f"id-{store.head()}", data)])
    (back,) = store.read(stream)
    assert back.data == data
    assert back.payload == payload
    assert back.type == type_
    assert back.at == at
    assert back.at.utcoffset() == at.utcoffset()
    assert back.data.document == data.document


def test_values_are_checked_when_built() -> None:
    data = es.EventData("t", {}, BASE_TIME)
    with pytest.raises(InvalidData, match="position"):
        es.RecordedEvent(-1, "s", 1, "e", data)
    with pytest.raises(InvalidData, match="version"):
        es.Snapshot("s", 0, {})
    with pytest.raises(InvalidData, match="stream"):
        es.StreamHead("", 1, 1)
    recorded = es.RecordedEvent(3, "s", 1, "e", data)
    assert (recorded.type, recorded.payload, recorded.at) == ("t", {}, BASE_TIME)


# -- transactions ----------------------------------------------------------------------


def test_a_transaction_commits_all_its_appends_together(store: es.EventStore) -> None:
    with store.transaction() as tx:
        assert tx.append("KA-1", 0, [new_event("a1")]) == es.StreamHead("KA-1", 1, 1)
        assert tx.append("KA-2", 0, [new_event("b1"), new_event("b2")]).position == 3
        assert tx.version("KA-2") == 2
        assert ids(tx.read("KA-1")) == ["a1"]
        tx.append("KA-3", 0, [new_event("c1")])
        assert ids(store.read("KA-3")) == ["c1"]  # the store, read in the block, sees it too
        tx.save_snapshot(es.Snapshot("KA-2", 2, {"stage": "B"}))
    assert ids(store.changes_since(0)) == ["a1", "b1", "b2", "c1"]
    snapshot = store.snapshot("KA-2")
    assert snapshot is not None
    assert snapshot.payload == {"stage": "B"}


def test_a_failure_inside_a_transaction_rolls_all_of_it_back(store: es.EventStore) -> None:
    store.append("KA-2", 0, [new_event("b1")])

    def second_append_conflicts() -> None:
        with store.transaction() as tx:
            tx.append("KA-1", 0, [new_event("a1")])
            tx.append("KA-2", 0, [new_event("b2")])

    def caller_raises() -> None:
        with store.transaction() as tx:
            tx.append("KA-1", 0, [new_event("a1")])
            raise RuntimeError("the caller changed its mind")

    with pytest.raises(es.ConcurrencyConflict):
        second_append_conflicts()
    with pytest.raises(RuntimeError):
        caller_raises()
    assert ids(store.changes_since(0)) == ["b1"]


def test_a_transaction_that_swallowed_an_error_does_not_commit(store: es.EventStore) -> None:
    kept: list[es.Transaction] = []

    def swallow() -> None:
        with store.transaction() as tx:
            kept.append(tx)
            tx.append("KA-1", 0, [new_event("a1")])
            with pytest.raises(es.ConcurrencyConflict):
                tx.append("KA-1", 0, [new_event("a2")])
            with pytest.raises(es.StoreError, match="earlier operation"):
                tx.append("KA-9", 0, [new_event("z")])

    with pytest.raises(es.StoreError) as caught:
        swallow()
    assert caught.value.fault is es.Fault.ABORTED
    assert isinstance(caught.value.__cause__, es.ConcurrencyConflict)
    assert store.head() == 0
    with pytest.raises(es.StoreError, match="ended"):
        kept[0].append("KA-1", 0, [new_event("a1")])


def test_a_transaction_reports_a_reused_id_by_its_end_and_commits_nothing(
    store: es.EventStore,
) -> None:
    store.append("KA-1", 0, [new_event("a1")])

    def reuse_a1() -> es.StreamHead:
        with store.transaction() as tx:
            tx.append("KA-2", 0, [new_event("b1")])
            head = tx.append("KA-2", 1, [new_event("a1", to="elsewhere")])
            assert tx.append("KA-2", 1, [new_event("a1", to="elsewhere")]) == head
            return head

    def reuse_a1_at_the_end() -> None:
        with store.transaction() as tx:
            tx.append("KA-3", 0, [new_event("c1"), new_event("a1", to="elsewhere")])

    for attempt in (reuse_a1, reuse_a1_at_the_end):
        with pytest.raises(es.DuplicateEvent) as caught:
            attempt()
        assert (caught.value.event_id, caught.value.stream, caught.value.version) == (
            "a1",
            "KA-1",
            1,
        )
    assert ids(store.changes_since(0)) == ["a1"]
    assert store.append("KA-2", 0, [new_event("b1")]).position == 2


def test_a_transaction_in_a_transaction_joins_it(store: es.EventStore) -> None:
    def inner_raises() -> None:
        with store.transaction() as outer:
            outer.append("KA-1", 0, [new_event("a1")])
            with store.transaction() as inner:
                assert inner is outer
                store.append("KA-1", 1, [new_event("a2")])
                raise ValueError("inner")

    with pytest.raises(ValueError, match="inner"):
        inner_raises()
    assert store.head() == 0
    with store.transaction() as outer:
        outer.append("KA-1", 0, [new_event("a1")])
        store.append("KA-1", 1, [new_event("a2")])
    assert ids(store.read("KA-1")) == ["a1", "a2"]


# -- the global order ------------------------------------------------------------------


def test_changes_since_pages_through_the_global_order(store: es.EventStore) -> None:
    store.append("KA-1", 0, [new_event("a1"), new_event("a2")])
    store.append("KA-2", 0, [new_event("b1")])
    store.append("KA-3", 0, [new_event("c1")])
    store.append("KA-1", 2, [new_event("a3")])
    seen: list[str] = []
    cursor = 0
    while page := store.changes_since(cursor, limit=2):
        assert len(page) <= 2
        seen += ids(page)
        cursor = page[-1].position
    assert seen == ["a1", "a2", "b1", "c1", "a3"] == ids(store.changes_since(0))
    assert ids(store.changes_since(3)) == ["c1", "a3"]
    assert store.changed_streams(2) == (
        es.StreamHead("KA-2", 1, 3),
        es.StreamHead("KA-3", 1, 4),
        es.StreamHead("KA-1", 3, 5),
    )
    assert store.changed_streams(5) == ()
    with pytest.raises(InvalidData, match="limit"):
        store.changes_since(0, limit=0)
    with pytest.raises(InvalidData, match="position"):
        store.changes_since(-1)


# -- snapshots -------------------------------------------------------------------------


def test_the_latest_snapshot_is_returned_and_none_past_the_stream(store: es.EventStore) -> None:
    assert store.snapshot("KA-1") is None
    store.append("KA-1", 0, [new_event("a1"), new_event("a2"), new_event("a3")])
    store.save_snapshot(es.Snapshot("KA-1", 1, {"n": 1}))
    store.save_snapshot(es.Snapshot("KA-1", 3, {"n": 3}))
    store.save_snapshot(es.Snapshot("KA-1", 1, {"n": "one"}))
    latest = store.snapshot("KA-1")
    assert latest == es.Snapshot("KA-1", 3, {"n": 3})
    with pytest.raises(InvalidData, match="version"):
        store.save_snapshot(es.Snapshot("KA-1", 4, {"n": 4}))
    with pytest.raises(InvalidData, match="snapshot"):
        store.save_snapshot({"stream": "KA-1"})  # type: ignore[arg-type]
    assert store.snapshot("KA-1") == latest


# -- life of a store -------------------------------------------------------------------


def test_a_reopened_store_holds_what_was_committed(
    opened: Callable[..., es.EventStore],
) -> None:
    first = opened()
    first.append("KA-1", 0, [new_event("a1", to="方案")])
    first.save_snapshot(es.Snapshot("KA-1", 1, {"stage": "B"}))
    first.close()
    again = opened()
    assert [(e.event_id, e.payload) for e in again.read("KA-1")] == [("a1", {"to": "方案"})]
    assert again.snapshot("KA-1") == es.Snapshot("KA-1", 1, {"stage": "B"})
    assert again.append("KA-1", 1, [new_event("a2")]) == es.StreamHead("KA-1", 2, 2)


def test_a_closed_store_refuses_calls(store: es.EventStore) -> None:
    store.append("KA-1", 0, [new_event("a1")])
    store.close()
    store.close()
    assert store.closed
    with pytest.raises(es.StoreError) as caught:
        store.read("KA-1")
    assert caught.value.fault is es.Fault.CLOSED
    assert not caught.value.retryable


def test_a_store_refuses_to_be_used_in_another_process(
    store: es.EventStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    store.append("KA-1", 0, [new_event("a1")])
    real = os.getpid()
    monkeypatch.setattr("os.getpid", lambda: real + 1)
    with pytest.raises(es.StoreError, match="open a store in each process"):
        store.version("KA-1")
    monkeypatch.undo()
    assert store.version("KA-1") == 1


def test_one_store_object_may_be_shared_by_threads(store: es.EventStore) -> None:
    errors: list[BaseException] = []

    def write(writer: int) -> None:
        try:
            for seq in range(50):
                while True:
                    version = store.version("shared")
                    try:
                        store.append("shared", version, [new_event(f"{writer}-{seq}")])
                        break
                    except es.ConcurrencyConflict:
                        continue
                with store.transaction() as tx:
                    tx.append(f"own-{writer}", seq, [new_event(f"own-{writer}-{seq}")])
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)

    threads = [threading.Thread(target=write, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert store.version("shared") == 200
    assert [e.position for e in store.changes_since(0)] == list(range(1, 401))
    assert all(store.version(f"own-{n}") == 50 for n in range(4))


def test_tables_of_another_layout_are_refused(target: str) -> None:
    es.open(target).close()
    if is_postgres(target):
        import psycopg

        with psycopg.connect(target, autocommit=True) as raw:
            raw.execute("UPDATE bigaccount_meta SET value = '99' WHERE key = 'schema'")
    else:
        with contextlib.closing(sqlite3.connect(target, isolation_level=None)) as raw:
            raw.execute("UPDATE bigaccount_meta SET value = '99' WHERE key = 'schema'")
    with pytest.raises(es.StoreError) as caught:
        es.open(target)
    assert caught.value.fault is es.Fault.SCHEMA
    assert "'99'" in str(caught.value)


def test_the_event_table_refuses_updates_and_deletes(store: es.EventStore, target: str) -> None:
    store.append("KA-1", 0, [new_event("a1")])
    if is_postgres(target):
        import psycopg

        with psycopg.connect(target, autocommit=True) as raw:
            for statement in (
                "UPDATE bigaccount_events SET type = 'x'",
                "DELETE FROM bigaccount_events",
                "TRUNCATE bigaccount_events",
            ):
                with pytest.raises(psycopg.Error, match="append-only"):
                    raw.execute(statement)
    else:
        lite = sqlite3.connect(target)
        for statement in (
            "UPDATE bigaccount_events SET type = 'x'",
            "DELETE FROM bigaccount_events",
        ):
            with pytest.raises(sqlite3.IntegrityError, match="append-only"):
                lite.execute(statement)
        lite.close()
    assert ids(store.read("KA-1")) == ["a1"]
    assert store.read("KA-1")[0].type == "moved"


def test_open_checks_its_arguments(tmp_path: Any) -> None:
    for timeout in (0, -1, float("nan"), True, "5"):
        with pytest.raises(InvalidData, match="timeout"):
            es.open(tmp_path / "x.db", timeout=timeout)  # type: ignore[arg-type]
    for bad in ("", 42):
        with pytest.raises(InvalidData, match="target"):
            es.open(bad)  # type: ignore[arg-type]
    with pytest.raises(es.StoreError) as caught:
        es.open(tmp_path / "missing-dir" / "x.db")
    assert caught.value.fault is es.Fault.UNAVAILABLE
    (tmp_path / "junk.db").write_bytes(b"not a database, but long enough to look like one" * 40)
    with pytest.raises(es.StoreError) as junk:
        es.open(tmp_path / "junk.db")
    assert junk.value.fault is es.Fault.CORRUPT


def test_postgresql_without_its_driver_says_which_extra_to_install(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "psycopg", None)
    with pytest.raises(es.StoreError, match=r"bigaccount\[postgres\]") as caught:
        es.open("postgresql://nobody@/nowhere")
    assert caught.value.fault is es.Fault.UNAVAILABLE
    assert isinstance(caught.value.__cause__, ImportError)


def test_importing_the_store_loads_no_database_driver() -> None:
    code = (
        "import sys, bigaccount.store; "
        "print(sorted(m for m in ('psycopg', 'sqlite3') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


# -- the model: any sequence of appends behaves like lists in memory ------------------------


class StoreAgainstLists(RuleBasedStateMachine):
    """Appends with right, stale and repeated versions; the store must match a dict of lists."""

    def __init__(self, store: es.EventStore) -> None:
        super().__init__()
        self.store = store
        self.prefix = f"m{self.store.head()}-"
        self.start = self.store.head()
        self.streams: dict[str, list[str]] = {}
        self.order: list[str] = []
        self.done: list[tuple[str, int, tuple[es.NewEvent, ...], es.StreamHead]] = []
        self.made = 0

    def _events(self, count: int, payload: int) -> tuple[es.NewEvent, ...]:
        self.made += count
        return tuple(new_event(f"{self.prefix}{self.made - i}", n=payload) for i in range(count))

    @rule(
        stream=st.sampled_from(["a", "b", "c"]),
        count=st.integers(1, 3),
        stale=st.integers(-2, 2),
        payload=st.integers(),
    )
    def append(self, stream: str, count: int, stale: int, payload: int) -> None:
        name = self.prefix + stream
        current = len(self.streams.get(name, []))
        expected = max(0, current + stale)
        batch = self._events(count, payload)
        if expected != current:
            with pytest.raises(es.ConcurrencyConflict) as caught:
                self.store.append(name, expected, batch)
            assert caught.value.actual == current
            return
        head = self.store.append(name, expected, batch)
        self.streams.setdefault(name, []).extend(e.event_id for e in batch)
        self.order += [e.event_id for e in batch]
        assert head == es.StreamHead(name, current + count, self.start + len(self.order))
        self.done.append((name, expected, batch, head))

    @precondition(lambda self: self.done)
    @rule(pick=st.integers(0, 10**6))
    def retry(self, pick: int) -> None:
        name, expected, batch, head = self.done[pick % len(self.done)]
        assert self.store.append(name, expected, batch) == head

    @invariant()
    def matches_the_lists(self) -> None:
        for name, events in self.streams.items():
            assert ids(self.store.read(name)) == events
            assert self.store.version(name) == len(events)
        changes = self.store.changes_since(self.start)
        assert ids(changes) == self.order
        assert [e.position for e in changes] == list(
            range(self.start + 1, self.start + len(self.order) + 1)
        )


def test_any_sequence_of_appends_matches_a_model(store: es.EventStore) -> None:
    class OnThisStore(StoreAgainstLists):
        def __init__(self) -> None:
            super().__init__(store)

    run_state_machine_as_test(
        OnThisStore,
        settings=settings(max_examples=30, stateful_step_count=20, deadline=None),
    )


# -- deals -----------------------------------------------------------------------------


def walk(deal: ToyDeal, moves: list[str], actor: str = "ana") -> ToyDeal:
    for step, move in enumerate(moves):
        deal.act(move, actor, BASE_TIME + dt.timedelta(minutes=len(deal.history) + step))
    return deal


def test_a_deal_is_saved_once_and_loaded_by_replay(store: es.EventStore) -> None:
    deals = es.DealStore(store, ToyCodec(), replay_deal)
    deal = walk(ToyDeal(), ["advance", "note_budget", "advance"])
    head = deals.save("KA-017", deal)
    assert head == es.StreamHead("KA-017", 3, 3)
    assert deals.save("KA-017", deal) == head  # nothing new
    loaded = deals.load("KA-017")
    assert loaded.state == ("PROPOSAL", ("budget",)) == deal.state
    assert loaded.events == deal.events
    assert loaded.version == 3
    walk(loaded, ["advance"])
    assert deals.save("KA-017", loaded) == es.StreamHead("KA-017", 4, 4)
    assert [e.type for e in store.read("KA-017")] == ["moved", "noted", "moved", "moved"]
    with pytest.raises(UnknownName, match="KA-404"):
        deals.load("KA-404")


def test_a_deal_saved_over_another_writers_events_is_a_conflict(store: es.EventStore) -> None:
    deals = es.DealStore(store, ToyCodec(), replay_deal)
    deals.save("KA-1", walk(ToyDeal(), ["advance"]))
    mine, theirs = deals.load("KA-1"), deals.load("KA-1")
    deals.save("KA-1", walk(theirs, ["note_budget", "advance"], actor="bo"))
    walk(mine, ["regress"], actor="ana")
    with pytest.raises(es.ConcurrencyConflict) as caught:
        deals.save("KA-1", mine)
    assert (caught.value.expected, caught.value.actual) == (1, 3)
    assert deals.load("KA-1").state == ("PROPOSAL", ("budget",))
    retried = deals.load("KA-1")
    assert deals.save("KA-1", walk(retried, ["regress"])).version == 4


def test_a_stale_deal_with_nothing_new_is_a_conflict_too(store: es.EventStore) -> None:
    deals = es.DealStore(store, ToyCodec(), replay_deal)
    deals.save("KA-1", walk(ToyDeal(), ["advance"]))
    stale = deals.load("KA-1")
    deals.save("KA-1", walk(deals.load("KA-1"), ["regress"]))
    with pytest.raises(es.ConcurrencyConflict):
        deals.save("KA-1", stale)


class CountingCodec(ToyCodec):
    def __init__(self) -> None:
        self.decoded = 0

    def decode(self, data: es.EventData) -> Moved | Noted:
        self.decoded += 1
        return super().decode(data)


def test_a_deal_loads_from_its_snapshot_and_the_events_after_it(store: es.EventStore) -> None:
    codec = CountingCodec()
    deals = es.DealStore(store, codec, replay_deal, snapshots=ToySnapshots())
    deal = walk(ToyDeal(), ["advance", "note_budget", "advance"])
    deals.save("KA-1", deal, snapshot=True)
    assert store.snapshot("KA-1") == es.Snapshot(
        "KA-1", 3, {"stage": "PROPOSAL", "facts": ["budget"]}
    )
    walk(deal, ["advance"])
    deals.save("KA-1", deal)
    resumed = deals.load("KA-1")
    assert codec.decoded == 1  # only the event after the snapshot
    assert (resumed.state, resumed.version, resumed.base) == (deal.state, 4, 3)
    walk(resumed, ["advance"])
    assert deals.save("KA-1", resumed).version == 5
    assert replay([codec.decode(e.data) for e in store.read("KA-1")]).state == resumed.state


def test_a_deal_store_checks_what_it_is_given(store: es.EventStore) -> None:
    deals = es.DealStore(store, ToyCodec(), replay_deal)
    with pytest.raises(InvalidData, match="snapshot"):
        deals.save("KA-1", walk(ToyDeal(), ["advance"]), snapshot=True)
    with pytest.raises(InvalidData, match="store"):
        es.DealStore("deals.db", ToyCodec(), replay_deal)  # type: ignore[arg-type]
    with pytest.raises(InvalidData, match="version"):
        deals.save("KA-1", ToyDeal(base=-2, history=[Noted("budget", "ana", BASE_TIME)]))

    class Broken(ToyCodec):
        def encode(self, event: Moved | Noted) -> es.EventData:
            return {"type": "moved"}  # type: ignore[return-value]

    with pytest.raises(InvalidData, match=r"events\[0\]"):
        es.DealStore(store, Broken(), replay_deal).save("KA-1", walk(ToyDeal(), ["advance"]))
    assert store.head() == 0


def test_event_ids_of_a_deal_follow_its_content() -> None:
    codec = ToyCodec()
    event = Moved("advance", "LEAD", "QUALIFIED", "ana", BASE_TIME)
    data = codec.encode(event)
    same = es.event_id(
        "KA-1", 1, codec.encode(Moved("advance", "LEAD", "QUALIFIED", "ana", BASE_TIME))
    )
    assert es.event_id("KA-1", 1, data) == same
    others = {
        es.event_id("KA-2", 1, data),
        es.event_id("KA-1", 2, data),
        es.event_id(
            "KA-1", 1, codec.encode(Moved("advance", "LEAD", "QUALIFIED", "bo", BASE_TIME))
        ),
    }
    assert same not in others
    assert len(others) == 3


# -- a real CRM export -------------------------------------------------------------------

HISTORY = Path(__file__).parent / "data" / "salesforce-devorg-sample" / "OpportunityHistory.csv"


def history_events(rows: list[dict[str, str]]) -> dict[str, list[es.NewEvent]]:
    """Salesforce OpportunityHistory rows as stage-change events, per opportunity."""
    out: dict[str, list[es.NewEvent]] = {}
    for row in rows:
        at = dt.datetime.strptime(row["CreatedDate"], "%m/%d/%y %I:%M %p")
        payload = {
            "stage": row["StageName"],
            "amount": row["Amount"] or None,
            "probability": int(row["Probability"]),
            "forecast": row["ForecastCategory"],
        }
        data = es.EventData("stage_changed", payload, at.replace(tzinfo=dt.timezone.utc))
        out.setdefault(row["OpportunityId"], []).append(es.NewEvent(row["Id"], data))
    return out


def test_a_crm_stage_history_imports_once_and_replays_to_the_crm_stages(
    store: es.EventStore,
) -> None:
    with HISTORY.open(newline="") as f:
        rows = list(csv.DictReader(f))
    last_stage: dict[str, str] = {}
    for row in rows:
        last_stage[row["OpportunityId"]] = row["StageName"]
    per_opportunity = history_events(rows)
    heads = [store.append(opp, 0, events) for opp, events in per_opportunity.items()]
    again = [store.append(opp, 0, events) for opp, events in per_opportunity.items()]
    assert again == heads  # an import run twice records every change once
    assert store.head() == len(rows)
    assert len(store.changed_streams(0)) == len(last_stage)
    for opportunity, stage in last_stage.items():
        history = store.read(opportunity)
        assert history[-1].payload["stage"] == stage
        assert [e.event_id for e in history] == [
            row["Id"] for row in rows if row["OpportunityId"] == opportunity
        ]
