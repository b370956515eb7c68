"""Bad input to the store is refused naming the parameter, and changes nothing.

The census (``test_public_inputs.py``, with the cases of ``_cases_store.py``) checks that
every wrong value is refused naming its parameter. These tests check what it cannot see:
that a refused call leaves the database, the store and an open transaction as they were
(on every backend), and the conversions and limits the store documents.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path
from types import MappingProxyType
from typing import Any

import pytest

import _cases_store as cases
from _inputs import CASES, EXEMPT, HUGE_INT
from _store_support import (
    BASE_TIME,
    Moved,
    ToyCodec,
    ToyDeal,
    ToySnapshots,
    fast_dir,
    new_event,
    opened,
    replay_deal,
    store,
    target,
)
from bigaccount import store as es
from bigaccount.errors import BigAccountError, InvalidData

__all__ = ["fast_dir", "opened", "store", "target"]  # fixtures, used by name

STREAMS = ("KA-1", "KA-2", "KA-9")


def contents(store: es.EventStore) -> tuple[object, ...]:
    """All a store holds, read through the store: events, heads and latest snapshots."""
    return (
        store.head(),
        tuple((e.position, e.stream, e.version, e.event_id, e.data) for e in store.changes_since()),
        store.changed_streams(),
        tuple(store.snapshot(s) for s in STREAMS),
    )


def prepare(store: es.EventStore) -> None:
    """Give *store* what :func:`_cases_store.prepared` gives a census store."""
    store.append("KA-1", 0, [cases.FIRST])
    store.save_snapshot(es.Snapshot("KA-1", 1, {"stage": "INTENT"}))


def test_every_public_name_of_the_store_has_a_case_or_a_reason() -> None:
    for name in es.__all__:
        assert name in CASES or f"store.{name}" in CASES or name in EXEMPT, name
    for label in cases.WRITERS:
        assert label in CASES, label


WRITING = [
    pytest.param(label, parameter, id=f"{label}-{parameter}")
    for label in cases.WRITERS
    for parameter in CASES[label].kinds
]


@pytest.mark.parametrize(("label", "parameter"), WRITING)
def test_a_refused_call_changes_nothing_and_the_store_goes_on(
    store: es.EventStore, label: str, parameter: str
) -> None:
    entry = CASES[label]
    on, call = cases.WRITERS[label]
    prepare(store)
    before = contents(store)
    for value in entry.kinds[parameter].bad:
        args = {**cases.unfresh(dict(entry.args)), parameter: value}
        if on == "store":
            with pytest.raises(BigAccountError):
                call(store, args)
        else:
            with store.transaction() as tx:
                pending = tx.append("KA-3", tx.version("KA-3"), [new_event(f"x{id(value)}")])
                with pytest.raises(BigAccountError):
                    call(tx, args)
                later = tx.append("KA-3", pending.version, [new_event(f"y{id(value)}")])
            assert store.version("KA-3") == later.version  # both appends were committed
            before = contents(store)
        assert contents(store) == before, repr(value)
    assert store.append("KA-2", 0, [new_event("after")]).version == 1


def test_a_snapshot_past_its_stream_leaves_the_transaction_usable(store: es.EventStore) -> None:
    with store.transaction() as tx:
        tx.append("KA-1", 0, [new_event("a1")])
        with pytest.raises(InvalidData) as caught:
            tx.save_snapshot(es.Snapshot("KA-1", 2, {}))
        assert caught.value.field == "snapshot.version"
        tx.save_snapshot(es.Snapshot("KA-1", 1, {"n": 1}))
    assert store.snapshot("KA-1") == es.Snapshot("KA-1", 1, {"n": 1})


# -- open ------------------------------------------------------------------------------


def test_a_blank_target_is_refused_and_no_file_is_made(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    for blank in (" ", "\t\n", "\u3000", Path(" ")):
        with pytest.raises(InvalidData) as caught:
            es.open(blank)
        assert caught.value.field == "target"
    with pytest.raises(InvalidData, match="NUL"):
        es.open("a\x00b.db")
    assert list(tmp_path.iterdir()) == []


def test_a_target_that_cannot_be_opened_is_named_and_left_as_it_was(tmp_path: Path) -> None:
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database, but long enough to look like one" * 40)
    for where, fault in (
        (tmp_path, es.Fault.UNAVAILABLE),
        (tmp_path / "missing" / "x.db", es.Fault.UNAVAILABLE),
        (junk, es.Fault.CORRUPT),
    ):
        with pytest.raises(es.StoreError) as caught:
            es.open(where)
        assert caught.value.fault is fault
        assert "target" in str(caught.value)
        assert str(where) in str(caught.value)
    assert junk.read_bytes() == b"not a database, but long enough to look like one" * 40
    assert sorted(p.name for p in tmp_path.iterdir()) == ["junk.db"]


def test_a_timeout_is_any_positive_real_number(tmp_path: Path) -> None:
    np = pytest.importorskip("numpy")
    for seconds in (Fraction(1, 2), np.float64(0.5), np.int64(2), 10**6):
        with es.open(tmp_path / "deals.db", timeout=seconds) as store:  # type: ignore[arg-type]
            assert store.head() == 0
    for wrong in (HUGE_INT, Fraction(-1, 2), np.float64("nan"), np.bool_(True)):
        with pytest.raises(InvalidData) as caught:
            es.open(tmp_path / "deals.db", timeout=wrong)  # type: ignore[arg-type]
        assert caught.value.field == "timeout"


def test_a_very_long_timeout_opens_on_every_backend(opened: Callable[..., es.EventStore]) -> None:
    store = opened(timeout=1e12)
    assert store.append("KA-1", 0, [new_event("a1")]).version == 1


# -- values ----------------------------------------------------------------------------


def test_any_mapping_is_a_json_object() -> None:
    nested = MappingProxyType({"b": MappingProxyType({"y": 1}), "a": [MappingProxyType({})]})
    assert es.canonical_json(nested) == '{"a":[{}],"b":{"y":1}}'
    data = es.EventData("t", nested, BASE_TIME)
    assert data == es.EventData("t", {"a": [{}], "b": {"y": 1}}, BASE_TIME)


def test_payload_errors_name_the_path_from_the_field_given() -> None:
    with pytest.raises(InvalidData) as caught:
        es.canonical_json({"lines": [1, 0.5]}, "document")
    assert caught.value.field == "document.lines[1]"
    with pytest.raises(InvalidData) as long_number:
        es.EventData("t", {"n": 10**5000}, BASE_TIME)
    assert long_number.value.field == "payload"
    with pytest.raises(InvalidData) as no_field:
        es.canonical_json({}, " ")
    assert no_field.value.field == "field"


def test_whole_numbers_of_the_tower_are_kept_as_ints_up_to_what_a_database_holds() -> None:
    np = pytest.importorskip("numpy")
    head = es.StreamHead("KA-1", np.int64(2), np.uint32(3))
    assert head == es.StreamHead("KA-1", 2, 3)
    assert (type(head.version), type(head.position)) == (int, int)
    data = es.EventData("t", {}, BASE_TIME)
    assert es.event_id("KA-1", np.int16(1), data) == es.event_id("KA-1", 1, data)
    assert es.StreamHead("KA-1", 2**63 - 1, 2**63 - 1).position == 2**63 - 1
    with pytest.raises(InvalidData, match="largest"):
        es.StreamHead("KA-1", 1, 2**63)


def test_a_position_is_never_below_the_version() -> None:
    data = es.EventData("t", {}, BASE_TIME)
    with pytest.raises(InvalidData) as caught:
        es.RecordedEvent(1, "KA-1", 2, "e", data)
    assert caught.value.field == "position"
    with pytest.raises(InvalidData) as head:
        es.StreamHead("KA-1", 3, 2)
    assert head.value.field == "position"
    assert es.StreamHead("KA-1", 0, 0).version == 0


def test_reads_take_numpy_whole_numbers(store: es.EventStore) -> None:
    np = pytest.importorskip("numpy")
    store.append("KA-1", np.int64(0), [new_event("a1"), new_event("a2")])
    assert [e.version for e in store.read("KA-1", after=np.int8(1))] == [2]
    assert len(store.changes_since(np.int64(0), limit=np.int64(1))) == 1
    assert store.changed_streams(np.int32(0)) == (es.StreamHead("KA-1", 2, 2),)


# -- deal stores -----------------------------------------------------------------------


def test_a_codec_that_fails_is_reported_on_the_event_and_nothing_is_saved(
    store: es.EventStore,
) -> None:
    deals = es.DealStore(store, ToyCodec(), replay_deal)
    moved = Moved("advance", "LEAD", "QUALIFIED", "ana", BASE_TIME)
    with pytest.raises(InvalidData) as caught:
        deals.save("KA-1", cases.FakeDeal((moved, "not an event"), 2))  # type: ignore[arg-type]
    assert caught.value.field == "deal.events[1]"
    assert isinstance(caught.value.__cause__, AttributeError)

    class Floats(ToyCodec):
        def encode(self, event: Any) -> es.EventData:
            return es.EventData("moved", {"amount": 0.5}, BASE_TIME)

    with pytest.raises(InvalidData) as inner:
        es.DealStore(store, Floats(), replay_deal).save("KA-1", cases.a_deal())
    assert inner.value.field == "deal.events[0].payload.amount"
    assert store.head() == 0


def test_a_deal_store_needs_an_open_store_and_what_it_calls(tmp_path: Path) -> None:
    closed = es.open(tmp_path / "deals.db")
    closed.close()
    with pytest.raises(InvalidData) as caught:
        es.DealStore(closed, ToyCodec(), replay_deal)
    assert caught.value.field == "store"
    with es.open(tmp_path / "deals.db") as store:
        with pytest.raises(InvalidData, match=r"decode\(\)"):
            es.DealStore(store, cases.EncodeOnly(), replay_deal)  # type: ignore[arg-type]
        with pytest.raises(InvalidData, match=r"dump\(\) and resume\(\)"):
            es.DealStore(store, ToyCodec(), replay_deal, snapshots=ToyCodec())  # type: ignore[arg-type]
        deals = es.DealStore(store, ToyCodec(), replay_deal, snapshots=ToySnapshots())
        with pytest.raises(InvalidData) as truthy:
            deals.save("KA-1", cases.a_deal(), snapshot=1)  # type: ignore[arg-type]
        assert truthy.value.field == "snapshot"
        assert deals.save("KA-1", cases.a_deal(), snapshot=True).version == 2
        assert isinstance(deals.load("KA-1"), ToyDeal)


def test_the_census_files_are_removed_after_each_call() -> None:
    before = set(os.listdir(cases.SCRATCH))
    for label in ("open", "EventStore.append", "Transaction.append", "DealStore.save"):
        entry = CASES[label]
        entry.call(**cases.unfresh(dict(entry.args)))
    assert set(os.listdir(cases.SCRATCH)) == before
