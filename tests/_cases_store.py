"""The input census's cases for ``bigaccount.store``, surveyed in full.

Its values (event data, new and recorded events, heads, snapshots), :func:`open`,
:func:`canonical_json`, :func:`event_id`, the ``Fault`` enum, and the methods of a store,
of a transaction and of a deal store that take arguments, on SQLite files. A method that
writes runs on a store made for the call (:func:`on_fresh_store`, :func:`in_transaction`),
whose file is removed after it; the methods that only read share one store
(:data:`SHARED`). The store's protocols and its base classes, made only by ``open`` and
``transaction()``, are exempt; their methods are cases.

:data:`WRITERS` names, for each case of a method that writes, how to call it on a store
of one's own: ``test_store_inputs.py`` checks that a refused call leaves the database,
the store and an open transaction as they were.
"""

from __future__ import annotations

import atexit
import contextlib
import datetime as dt
import inspect
import itertools
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

import bigaccount
from _inputs import (
    EXEMPT,
    HUGE_INT,
    JUNK,
    NAN,
    SURVEYED,
    T0,
    Fresh,
    Kind,
    case,
    flag,
    many,
    mapping,
    member_of,
    moment,
    one,
    real,
    special,
    text,
)
from _store_support import Moved, Noted, ToyCodec, ToyDeal, ToySnapshots, replay_deal
from bigaccount import store as es

# -- where the stores live -------------------------------------------------------------


def _scratch() -> Path:
    shm = Path("/dev/shm")
    where = shm if shm.is_dir() and os.access(shm, os.W_OK) else None
    made = Path(tempfile.mkdtemp(prefix="bigaccount-census-store-", dir=where))
    atexit.register(shutil.rmtree, made, True)
    return made


SCRATCH = _scratch()
"""A directory of the census's SQLite files (in memory-backed ``/dev/shm`` if there is one)."""

_numbers = itertools.count(1)


def new_path() -> str:
    """The path of a SQLite file that does not exist yet."""
    return str(SCRATCH / f"s{next(_numbers)}.db")


def remove(path: str) -> None:
    """Remove a store's file and its write-ahead log, if they are there."""
    for suffix in ("", "-wal", "-shm", "-journal"):
        with contextlib.suppress(FileNotFoundError):
            os.remove(path + suffix)


DATA = es.EventData("moved", {"to": "INTENT", "lines": [1, 2]}, T0)
OTHER_DATA = es.EventData("noted", {"fact": "budget"}, T0 + dt.timedelta(hours=1))
EVENT = es.NewEvent("e-1", DATA)
FIRST = es.NewEvent("e-0", OTHER_DATA)
"""The event every store made here starts with, as version 1 of ``KA-1``."""


def prepared(path: str) -> es.EventStore:
    """A store at *path* holding :data:`FIRST` and a snapshot of ``KA-1`` at version 1."""
    store = es.open(path)
    store.append("KA-1", 0, [FIRST])
    store.save_snapshot(es.Snapshot("KA-1", 1, {"stage": "INTENT"}))
    return store


@contextlib.contextmanager
def fresh_store() -> Iterator[es.EventStore]:
    """A :func:`prepared` store of its own, closed and removed afterwards."""
    path = new_path()
    store = prepared(path)
    try:
        yield store
    finally:
        store.close()
        remove(path)


SHARED = prepared(new_path())
"""The store of the calls that only read."""
atexit.register(SHARED.close)


def _bound_signature(function: Callable[..., Any]) -> inspect.Signature:
    signature = inspect.signature(function)
    return signature.replace(parameters=list(signature.parameters.values())[1:])


def on_fresh_store(method: Callable[..., Any]) -> Callable[..., Any]:
    """A call of the store method *method* on a :func:`fresh_store`."""

    def call(*args: Any, **kwargs: Any) -> Any:
        with fresh_store() as store:
            return method(store, *args, **kwargs)

    call.__signature__ = _bound_signature(method)  # type: ignore[attr-defined]
    call.__module__ = method.__module__
    return call


def in_transaction(method: Callable[..., Any]) -> Callable[..., Any]:
    """A call of the transaction method *method* in a transaction on a :func:`fresh_store`."""

    def call(*args: Any, **kwargs: Any) -> Any:
        with fresh_store() as store, store.transaction() as tx:
            return method(tx, *args, **kwargs)

    call.__signature__ = _bound_signature(method)  # type: ignore[attr-defined]
    call.__module__ = method.__module__
    return call


def opened(target: object, *, timeout: object = 5.0) -> tuple[str, int, int]:
    """What :func:`bigaccount.store.open` gives: its backend, head and version of ``KA-1``.

    The store is closed, and its file removed, at once.
    """
    store = es.open(target, timeout=timeout)  # type: ignore[arg-type]
    try:
        return store.backend, store.head(), store.version("KA-1")
    finally:
        store.close()
        remove(os.fspath(target))  # type: ignore[call-overload]


opened.__signature__ = inspect.signature(es.open)  # type: ignore[attr-defined]
opened.__module__ = es.open.__module__


# -- kinds of the store's parameters ---------------------------------------------------

BIGINT = 2**63
"""The first whole number past what SQLite's INTEGER and PostgreSQL's BIGINT hold."""


def stored_whole(low: int, *, optional: bool = False) -> Kind:
    """A whole number ``>= low`` that both databases keep (a signed 64-bit integer)."""
    base = real(low, whole=True, optional=optional)
    huge = st.integers(min_value=BIGINT)
    return Kind(base.family, (*base.bad, BIGINT, HUGE_INT), st.one_of(base.draw, huge))


def _circular() -> dict[str, Any]:
    looped: dict[str, Any] = {}
    looped["self"] = looped
    return looped


class Shown(dict[str, Any]):
    """A payload that prints as *shown* (its own repr would fail: too deep, too long)."""

    def __init__(self, shown: str, items: dict[str, Any]) -> None:
        super().__init__(items)
        self.shown = shown

    def __repr__(self) -> str:
        return self.shown


def _deep() -> Shown:
    deep: dict[str, Any] = {}
    for _ in range(5000):
        deep = {"d": deep}
    return Shown("<nested 5000 deep>", deep)


PAYLOAD = mapping(
    (
        ["a"],
        ("a", 1),
        {1: "x"},
        {True: "x"},
        {None: "x"},
        {"a": 1.5},
        {"a": NAN},
        {"a": [1, 0.5]},
        {"a": "a\x00b"},
        {"a\x00": 1},
        {"a": "\ud800"},
        {"\udfff": 1},
        {"a": JUNK},
        {"a": b"x"},
        {"a": Decimal("1")},
        {"a": {1, 2}},
        {"a": dt.date(2026, 1, 5)},
        {"a": {"b": {2: "c"}}},
        Shown("{'n': <5001 digits>}", {"n": 10**5000}),
        _circular(),
        _deep(),
    ),
    draw=st.one_of(
        st.none(),
        st.integers(),
        st.text(max_size=3),
        st.just(JUNK),
        st.dictionaries(st.text(max_size=2), st.floats(), min_size=1, max_size=2),
        st.dictionaries(st.integers(), st.integers(), min_size=1, max_size=2),
        st.dictionaries(
            st.text(max_size=2), st.one_of(st.binary(), st.decimals()), min_size=1, max_size=2
        ),
    ),
)
"""Wrong payloads: no mapping, keys that are no text, values that are no JSON kept exactly."""


class NoPath:
    """A path-like object whose ``__fspath__`` gives no path."""

    def __fspath__(self) -> object:
        return 1

    def __repr__(self) -> str:
        return "<no path>"


os.PathLike.register(NoPath)

TARGET = special(
    None,
    1,
    1.5,
    True,
    b"deals.db",
    [],
    JUNK,
    "",
    "   ",
    "\t\n",
    "a\x00b.db",
    Path(""),
    NoPath(),
    str(SCRATCH),
    str(SCRATCH / "no-such-directory" / "deals.db"),
    draw=st.one_of(
        st.none(),
        st.integers(),
        st.floats(),
        st.binary(max_size=3),
        st.text(alphabet=" \t\n\r\u3000\xa0", max_size=4),
        st.just(JUNK),
    ),
)
"""Wrong places for a store: no path, a blank one, one with NUL, a directory, a missing one."""


def _junk_file() -> str:
    path = str(SCRATCH / "not-a-database.db")
    Path(path).write_bytes(b"not a database, but long enough to look like one" * 40)
    return path


JUNK_FILE = _junk_file()
CLOSED = es.open(new_path())
CLOSED.close()


class EncodeOnly:
    """A codec without ``decode``."""

    def encode(self, event: object) -> es.EventData:
        return DATA

    def __repr__(self) -> str:
        return "<encode only>"


class NotCallable:
    """A codec and snapshots whose methods are no functions."""

    encode = decode = dump = resume = "not a function"

    def __repr__(self) -> str:
        return "<not callable>"


class FakeDeal:
    """Something with ``events`` and ``version``, as given."""

    def __init__(self, events: object, version: object) -> None:
        self.events = events
        self.version = version

    def __repr__(self) -> str:
        return f"FakeDeal({self.events!r}, {self.version!r})"


def a_deal() -> ToyDeal:
    """A toy deal of two events: advanced, then a budget noted."""
    deal = ToyDeal()
    deal.act("advance", "ana", T0)
    deal.act("note_budget", "ana", T0 + dt.timedelta(minutes=1))
    return deal


SAVED = a_deal()
MOVED = Moved("advance", "LEAD", "QUALIFIED", "ana", T0)
NOTED = Noted("budget", "ana", T0)
DEALS = es.DealStore(SHARED, ToyCodec(), replay_deal, snapshots=ToySnapshots())
DEALS.save("KA-7", SAVED)

DEAL = special(
    None,
    1,
    "x",
    [],
    JUNK,
    MOVED,
    FakeDeal((MOVED,), -1),
    FakeDeal((MOVED,), "1"),
    FakeDeal((MOVED,), True),
    FakeDeal((MOVED,), 1.0),
    FakeDeal((MOVED,), BIGINT),
    FakeDeal((MOVED, NOTED), 1),
    FakeDeal(None, 0),
    FakeDeal(MOVED, 1),
    FakeDeal("ab", 2),
    FakeDeal({"a": MOVED}, 1),
    FakeDeal((JUNK,), 1),
    FakeDeal((MOVED, None), 2),
)
"""Wrong deals: no events or version, a version below its events, events the codec refuses."""

# -- the cases -------------------------------------------------------------------------

SURVEYED.append("bigaccount.store")

EXEMPT.update(
    {
        "Codec": "a Protocol (what a DealStore encodes and decodes with): not instantiated",
        "Versioned": "a Protocol (what a DealStore saves): not instantiated",
        "Snapshots": "a Protocol (what a DealStore writes snapshots with): not instantiated",
        "EventStore": "the backends' base, made by store.open (its methods: EventStore.*)",
        "Transaction": "made by EventStore.transaction() (its methods: Transaction.*)",
    }
)
for _name in es.__all__:
    _value = getattr(es, _name)
    if isinstance(_value, type) and issubclass(_value, BaseException):
        EXEMPT[_name] = "an exception: raised by the library, its arguments are its own"

case(
    "Fault",
    es.Fault,
    {"value": "locked"},
    {"value": member_of(es.Fault)},
    names={"value": ("fault",)},
)
case(
    "open",
    opened,
    {"target": Fresh(new_path), "timeout": 2.5},
    {
        "target": Kind("special", (*TARGET.bad, JUNK_FILE), TARGET.draw),
        "timeout": real(0, above=True),
    },
)
case(
    "canonical_json",
    es.canonical_json,
    {"payload": {"to": "方案", "at": [2, 1]}, "field": "document"},
    {"payload": PAYLOAD, "field": text()},
    names={"payload": ("document",)},
)
case(
    "EventData",
    es.EventData,
    {"type": "moved", "payload": {"to": "INTENT"}, "at": T0},
    {"type": text(), "payload": PAYLOAD, "at": moment()},
)
case(
    "NewEvent",
    es.NewEvent,
    {"event_id": "e-1", "data": DATA},
    {"event_id": text(), "data": one(es.EventData)},
)
case(
    "RecordedEvent",
    es.RecordedEvent,
    {"position": 3, "stream": "KA-1", "version": 2, "event_id": "e-1", "data": DATA},
    {
        "position": stored_whole(1),
        "stream": text(),
        "version": stored_whole(1),
        "event_id": text(),
        "data": one(es.EventData),
    },
)
case(
    "StreamHead",
    es.StreamHead,
    {"stream": "KA-1", "version": 2, "position": 3},
    {"stream": text(), "version": stored_whole(0), "position": stored_whole(0)},
)
case(
    "store.Snapshot",
    es.Snapshot,
    {"stream": "KA-1", "version": 1, "payload": {"stage": "INTENT"}},
    {"stream": text(), "version": stored_whole(1), "payload": PAYLOAD},
)
case(
    "event_id",
    es.event_id,
    {"stream": "KA-1", "version": 1, "data": DATA},
    {"stream": text(), "version": stored_whole(1), "data": one(es.EventData)},
)

EVENTS = many(es.NewEvent, EVENT, allow_empty=False)
EVENTS = Kind(EVENTS.family, (*EVENTS.bad, [EVENT, EVENT]), EVENTS.draw)
"""Wrong batches; the last one gives an event twice."""
SNAPSHOT = Kind(
    "instance",
    (
        *one(es.Snapshot).bad,
        bigaccount.Snapshot,
        es.Snapshot("KA-1", 2, {}),
        es.Snapshot("KA-9", 1, {}),
    ),
    one(es.Snapshot).draw,
)
"""Wrong snapshots; the last two are past their streams' versions."""
APPEND_KINDS = {"stream": text(), "expected_version": stored_whole(0), "events": EVENTS}

case(
    "EventStore.append",
    on_fresh_store(es.EventStore.append),
    {"stream": "KA-2", "expected_version": 0, "events": (EVENT,)},
    APPEND_KINDS,
)
case(
    "EventStore.save_snapshot",
    on_fresh_store(es.EventStore.save_snapshot),
    {"snapshot": es.Snapshot("KA-1", 1, {"stage": "QUALIFIED"})},
    {"snapshot": SNAPSHOT},
)
case(
    "EventStore.read",
    SHARED.read,
    {"stream": "KA-1", "after": 0},
    {"stream": text(), "after": stored_whole(0)},
)
case("EventStore.version", SHARED.version, {"stream": "KA-1"}, {"stream": text()})
case("EventStore.snapshot", SHARED.snapshot, {"stream": "KA-1"}, {"stream": text()})
case(
    "EventStore.changes_since",
    SHARED.changes_since,
    {"position": 0, "limit": 10},
    {"position": stored_whole(0), "limit": stored_whole(1, optional=True)},
)
case(
    "EventStore.changed_streams",
    SHARED.changed_streams,
    {"since": 0},
    {"since": stored_whole(0)},
)
case(
    "Transaction.append",
    in_transaction(es.Transaction.append),
    {"stream": "KA-2", "expected_version": 0, "events": (EVENT,)},
    APPEND_KINDS,
)
case(
    "Transaction.save_snapshot",
    in_transaction(es.Transaction.save_snapshot),
    {"snapshot": es.Snapshot("KA-1", 1, {"stage": "QUALIFIED"})},
    {"snapshot": SNAPSHOT},
)
case(
    "Transaction.read",
    in_transaction(es.Transaction.read),
    {"stream": "KA-1", "after": 0},
    {"stream": text(), "after": stored_whole(0)},
)
case(
    "Transaction.version",
    in_transaction(es.Transaction.version),
    {"stream": "KA-1"},
    {"stream": text()},
)

case(
    "DealStore",
    es.DealStore,
    {"store": SHARED, "codec": ToyCodec(), "replay": replay_deal, "snapshots": ToySnapshots()},
    {
        "store": Kind("instance", (*one(es.EventStore).bad, CLOSED, "deals.db"), st.none()),
        "codec": special(None, 1, "x", JUNK, EncodeOnly(), NotCallable(), ToySnapshots()),
        "replay": special(None, 1, "x", JUNK, ToyCodec()),
        "snapshots": special(1, "x", JUNK, EncodeOnly(), NotCallable(), ToyCodec()),
    },
)


def _save(deal_id: str, deal: Any, *, snapshot: bool = False) -> es.StreamHead:
    with fresh_store() as store:
        deals = es.DealStore(store, ToyCodec(), replay_deal, snapshots=ToySnapshots())
        return deals.save(deal_id, deal, snapshot=snapshot)


_save.__signature__ = _bound_signature(es.DealStore.save)  # type: ignore[attr-defined]
_save.__module__ = es.DealStore.__module__

case(
    "DealStore.save",
    _save,
    {"deal_id": "KA-2", "deal": Fresh(a_deal), "snapshot": True},
    {"deal_id": text(), "deal": DEAL, "snapshot": flag()},
)
case("DealStore.load", DEALS.load, {"deal_id": "KA-7"}, {"deal_id": text()})


def _saving(store: es.EventStore, args: dict[str, Any]) -> Any:
    deals = es.DealStore(store, ToyCodec(), replay_deal, snapshots=ToySnapshots())
    return deals.save(**args)


WRITERS: dict[str, tuple[str, Callable[[Any, dict[str, Any]], Any]]] = {
    "EventStore.append": ("store", lambda store, args: store.append(**args)),
    "EventStore.save_snapshot": ("store", lambda store, args: store.save_snapshot(**args)),
    "Transaction.append": ("transaction", lambda tx, args: tx.append(**args)),
    "Transaction.save_snapshot": ("transaction", lambda tx, args: tx.save_snapshot(**args)),
    "Transaction.read": ("transaction", lambda tx, args: tx.read(**args)),
    "Transaction.version": ("transaction", lambda tx, args: tx.version(**args)),
    "DealStore.save": ("store", _saving),
}
"""The cases of calls that write (or that run in a transaction): what they are called on
(``"store"`` or ``"transaction"``) and the call, given it and the case's arguments."""


def unfresh(args: dict[str, Any]) -> dict[str, Any]:
    """A case's arguments, each :class:`Fresh` one made."""
    return {k: (v.make() if isinstance(v, Fresh) else v) for k, v in args.items()}
