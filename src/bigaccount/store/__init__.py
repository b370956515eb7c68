"""An append-only event store for deals, with optimistic concurrency: SQLite or PostgreSQL.

Each deal is a *stream* of events with versions ``1, 2, …``. An append states the
version it expects and fails with :class:`ConcurrencyConflict` if another writer got
there first; event ids make a retried append a no-op; every event also has a global
position, so that a CRM can ask for the changes since the last one it saw.

>>> import datetime as dt
>>> from bigaccount import store
>>> at = dt.datetime(2024, 5, 6, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=8)))
>>> events = store.open(":memory:")
>>> moved = store.NewEvent("e-1", store.EventData("moved", {"to": "INTENT"}, at))
>>> events.append("KA-017", 0, [moved])
StreamHead(stream='KA-017', version=1, position=1)
>>> events.append("KA-017", 0, [moved])  # the same event again: recorded once
StreamHead(stream='KA-017', version=1, position=1)
>>> late = store.NewEvent("e-2", store.EventData("moved", {"to": "TARGET"}, at))
>>> try:
...     events.append("KA-017", 0, [late])
... except store.ConcurrencyConflict as conflict:
...     print(conflict.expected, conflict.actual)
0 1
>>> [(e.version, e.payload["to"]) for e in events.read("KA-017")]
[(1, 'INTENT')]

The guide is ``docs/store.md``: concurrency, transactions, snapshots, limits, and how
the tables map onto a CRM's own database.
"""

from __future__ import annotations

import os

from .._validate import number
from ..errors import InvalidData
from ._base import EventStore, Transaction
from ._deals import Codec, DealStore, Snapshots, Versioned, event_id
from ._errors import ConcurrencyConflict, DuplicateEvent, Fault, StoreError
from ._records import (
    EventData,
    NewEvent,
    RecordedEvent,
    Snapshot,
    StreamHead,
    canonical_json,
)

__all__ = [
    "Codec",
    "ConcurrencyConflict",
    "DealStore",
    "DuplicateEvent",
    "EventData",
    "EventStore",
    "Fault",
    "NewEvent",
    "RecordedEvent",
    "Snapshot",
    "Snapshots",
    "StoreError",
    "StreamHead",
    "Transaction",
    "Versioned",
    "canonical_json",
    "event_id",
    "open",
]

_POSTGRES_SCHEMES = ("postgresql://", "postgres://")


def open(target: str | os.PathLike[str], *, timeout: float = 5.0) -> EventStore:
    """Open (creating it if needed) the event store at *target*.

    Args:
        target: a file path for SQLite (``"deals.db"``; ``":memory:"`` for a store that
            lives as long as the object), or a ``postgresql://`` URL (libpq's form, e.g.
            ``postgresql://crm@db.example/sales`` or, for a unix socket,
            ``postgresql:///sales?host=/run/postgresql``) for PostgreSQL, which needs the
            ``postgres`` extra (psycopg 3).
        timeout: seconds an append waits for another writer's transaction before it
            fails with :class:`StoreError` (fault ``LOCKED``): a positive real number.

    The tables (``bigaccount_events``, ``bigaccount_snapshots``, …) are created on first
    use. Raises :class:`~bigaccount.errors.InvalidData` for a *target* that is no path
    (blank text, a NUL character) or a *timeout* that is no positive number, and
    :class:`StoreError` when the database cannot be opened (a directory, a missing
    one, a file that is no database), or holds tables of another layout (fault ``SCHEMA``).
    """
    seconds = number(timeout, "timeout")
    if seconds <= 0:
        raise InvalidData("timeout", f"{timeout!r} is not a positive number of seconds")
    if isinstance(target, str) and target.startswith(_POSTGRES_SCHEMES):
        from ._postgres import PostgresStore

        return PostgresStore(target, timeout=seconds)
    from ._sqlite import SQLiteStore

    return SQLiteStore(_file_path(target), timeout=seconds)


def _file_path(target: object) -> str:
    """*target* as the text of a file path (or ``":memory:"``), else ``InvalidData``."""
    try:
        path = os.fspath(target) if isinstance(target, (str, os.PathLike)) else None
    except TypeError:  # a path-like object whose __fspath__ gives no path
        path = None
    if not isinstance(path, str) or not path.strip():
        raise InvalidData("target", f"expected a file path or a postgresql:// URL, got {target!r}")
    if "\x00" in path:
        raise InvalidData("target", f"{target!r} contains a NUL character")
    return path
