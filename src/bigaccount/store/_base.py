"""The event store's rules, written once over a DB-API connection; backends add the SQL.

A backend subclass supplies the connection, the statements (its placeholders, its JSON
column), how a write transaction takes the store's single writer lock, and how its
driver's errors read as a :class:`~bigaccount.store.Fault`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import threading
from collections.abc import Iterator, Sequence
from typing import Any, ClassVar

from ..errors import InvalidData
from ._errors import ConcurrencyConflict, DuplicateEvent, Fault, StoreError
from ._records import (
    EventData,
    NewEvent,
    RecordedEvent,
    Snapshot,
    StreamHead,
    identifier,
    version_number,
)

__all__ = ["EventStore", "Transaction"]

_COLUMNS = "position, stream, version, event_id, type, payload, at"


class Statements:
    """The SQL of one backend. ``?`` marks a parameter; a backend may rewrite it."""

    def __init__(self, placeholder: str, payload: str) -> None:
        def sql(text: str) -> str:
            return text.replace("?", placeholder)

        self.last_position = sql("SELECT coalesce(max(position), 0) FROM bigaccount_events")
        self.heads = sql(
            "SELECT (SELECT coalesce(max(position), 0) FROM bigaccount_events), "
            "(SELECT coalesce(max(version), 0) FROM bigaccount_events WHERE stream = ?)"
        )
        self.stream_version = sql(
            "SELECT coalesce(max(version), 0) FROM bigaccount_events WHERE stream = ?"
        )
        self.insert = sql(
            f"INSERT INTO bigaccount_events ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, {payload}, ?)"
        )
        self.read_stream = sql(
            f"SELECT {_COLUMNS} FROM bigaccount_events WHERE stream = ? AND version > ? "
            "ORDER BY version"
        )
        self.read_data = sql(
            "SELECT type, payload, at FROM bigaccount_events WHERE stream = ? AND version > ? "
            "ORDER BY version"
        )
        self.read_versions = sql(
            f"SELECT {_COLUMNS} FROM bigaccount_events "
            "WHERE stream = ? AND version > ? AND version <= ? ORDER BY version"
        )
        self.changes = sql(
            f"SELECT {_COLUMNS} FROM bigaccount_events WHERE position > ? ORDER BY position"
        )
        self.changes_limit = sql(
            f"SELECT {_COLUMNS} FROM bigaccount_events WHERE position > ? ORDER BY position LIMIT ?"
        )
        self.changed_streams = sql(
            "SELECT stream, max(version), max(position) FROM bigaccount_events "
            "WHERE position > ? GROUP BY stream ORDER BY max(position)"
        )
        self.find_ids = sql(
            "SELECT event_id, stream, version FROM bigaccount_events WHERE event_id = ?"
        )
        self.save_snapshot = sql(
            "INSERT INTO bigaccount_snapshots (stream, version, document) "
            f"VALUES (?, ?, {payload}) ON CONFLICT (stream, version) "
            "DO UPDATE SET document = excluded.document"
        )
        self.load_snapshot = sql(
            "SELECT stream, version, document FROM bigaccount_snapshots WHERE stream = ? "
            "ORDER BY version DESC LIMIT 1"
        )


class EventStore:
    """An append-only store of event streams, with optimistic concurrency.

    Open one with :func:`bigaccount.store.open`. Every stream (a deal's id) is a gap-free
    sequence of versions ``1, 2, …``; every event also has a position in one global
    order across streams, the order in which the appends committed.

    *Threads and processes.* A store object holds one database connection. Its methods
    may be called from several threads: each call (and each :meth:`transaction` block,
    as a whole) holds the store until it is done, so calls on one store object run one
    at a time. For writers that work in parallel, open one store per thread, and one per
    process (a store refuses to be used in a process other than the one that opened it:
    open it again after ``fork``). Any number of stores, in any number of processes, may
    be open on the same database at once; their appends are serialized by the database
    and checked against each other.
    """

    backend: ClassVar[str] = "?"
    _statements: ClassVar[Statements]
    _driver_errors: tuple[type[BaseException], ...] = ()
    _integrity_errors: tuple[type[BaseException], ...] = ()

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._pid = os.getpid()
        self._closed = False
        self._transaction: Transaction | None = None

    # -- what a backend provides ----------------------------------------------------

    def _cursor(self) -> Any:
        """A cursor of the store's connection (connecting again if it was lost)."""
        raise NotImplementedError

    def _begin_write(self, cursor: Any, stream: str) -> tuple[int, int]:
        """Begin a transaction holding the store's writer lock (other writers wait).

        Returns the last global position and the version of *stream*, both read once
        the lock is held.
        """
        raise NotImplementedError

    def _write(self, cursor: Any, rows: Sequence[tuple[Any, ...]], commit: bool) -> None:
        """Insert *rows* (perhaps none) into the event table, then commit if *commit*."""
        raise NotImplementedError

    def _rollback(self) -> None:
        """Roll the open transaction back; never raises (the connection may be gone)."""
        raise NotImplementedError

    def _close(self) -> None:
        raise NotImplementedError

    def _fault(self, error: BaseException) -> tuple[Fault, str]:
        """The fault a driver error means, with a short description."""
        raise NotImplementedError

    def _document(self, value: Any) -> str:
        """A payload column's value as canonical JSON text."""
        raise NotImplementedError

    # -- the shared machinery -------------------------------------------------------

    def _error(self, error: BaseException) -> StoreError:
        fault, problem = self._fault(error)
        return StoreError(fault, self.backend, problem)

    def _usable(self) -> None:
        if self._closed:
            raise StoreError(Fault.CLOSED, self.backend, "the store is closed")
        if os.getpid() != self._pid:
            raise StoreError(
                Fault.CLOSED,
                self.backend,
                f"this store was opened in process {self._pid}; open a store in each process",
            )

    @contextlib.contextmanager
    def _reading(self) -> Iterator[Any]:
        with self._lock:
            self._usable()
            mine = self._transaction  # this thread's own: its appends are read too
            if mine is not None and mine._pending and mine._open and not mine._doomed:
                with mine._operation():
                    mine._flush(commit=False)
            try:
                yield self._cursor()
            except self._driver_errors as error:
                raise self._error(error) from error

    def _recorded(self, row: Sequence[Any]) -> RecordedEvent:
        position, stream, version, event_id, type_, payload, at = row
        data = EventData._stored(type_, self._document(payload), dt.datetime.fromisoformat(at))
        return RecordedEvent._stored(position, stream, version, event_id, data)

    def _appended_before(
        self, cursor: Any, stream: str, expected: int, current: int, batch: tuple[NewEvent, ...]
    ) -> StreamHead:
        """The head of a retried append whose events are recorded; else the conflict."""
        if current > expected:
            rows = cursor.execute(
                self._statements.read_versions, (stream, expected, expected + len(batch))
            ).fetchall()
            recorded = [self._recorded(row) for row in rows]
            if len(recorded) == len(batch) and all(
                old.event_id == new.event_id for old, new in zip(recorded, batch, strict=True)
            ):
                for old, new in zip(recorded, batch, strict=True):
                    if not _same(old.data, new.data):
                        raise DuplicateEvent(new.event_id, stream, old.version)
                return StreamHead._stored(stream, recorded[-1].version, recorded[-1].position)
        raise ConcurrencyConflict(stream, expected, current)

    def _duplicate(self, events: Sequence[NewEvent], error: BaseException) -> BaseException:
        """Why an insert broke a unique rule, read after the rollback."""
        try:
            with self._reading() as cursor:
                for event in events:
                    row = cursor.execute(self._statements.find_ids, (event.event_id,)).fetchone()
                    if row is not None:
                        return DuplicateEvent(row[0], row[1], row[2])
        except StoreError as lookup:
            return lookup
        return StoreError(
            Fault.SERIALIZATION,
            self.backend,
            "another writer recorded the same version or position at the same time "
            f"(the store's writer lock was bypassed): {error}",
        )

    # -- writing --------------------------------------------------------------------

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Transaction]:
        """A block whose appends and snapshots commit together, or not at all.

        The block holds the store's writer lock from its first operation to its end:
        keep it short. It commits when the block ends normally and rolls back when it raises.
        Any failed operation inside dooms the whole transaction: it is rolled back, and
        if the block goes on regardless, leaving it raises ``StoreError`` (fault
        ``ABORTED``) instead of committing. Arguments refused with ``InvalidData`` (a
        blank stream, a snapshot past its stream) are no failed operation: nothing was
        done, and the transaction goes on. A ``transaction()`` opened inside another on
        the same store joins it.
        """
        with self._lock:
            if self._transaction is not None:
                outer = self._transaction
                try:
                    yield outer
                except BaseException:
                    outer._doom()
                    raise
                return
            self._usable()
            try:
                cursor = self._cursor()
            except self._driver_errors as error:
                raise self._error(error) from error
            tx = Transaction(self, cursor)
            self._transaction = tx
            try:
                yield tx
            except BaseException:
                self._transaction = None
                tx._finish()
                raise
            self._transaction = None
            if tx._doomed:
                tx._finish()
                raise StoreError(
                    Fault.ABORTED, self.backend, "an operation in the transaction failed"
                ) from tx._cause
            tx._commit()

    def append(self, stream: str, expected_version: int, events: Sequence[NewEvent]) -> StreamHead:
        """Append *events* to *stream*, whose version must be *expected_version*.

        The events get the versions ``expected_version + 1, …`` and the next global
        positions, in one transaction: all of them are recorded, or none.

        * If the stream is at another version, raises
          :class:`~bigaccount.store.ConcurrencyConflict` (with the actual version),
          unless these very events (same ids, same content) are already recorded at
          exactly these versions: then the append was made before (a retry after a
          timeout) and returns the same head again, writing nothing.
        * An id already recorded for another event raises
          :class:`~bigaccount.store.DuplicateEvent`.
        * A database fault raises :class:`~bigaccount.store.StoreError`.

        Returns the stream's head after the append: its version and the position of the
        last event appended. ``expected_version`` is 0 for a new stream.
        """
        with self.transaction() as tx:
            return tx.append(stream, expected_version, events)

    def save_snapshot(self, snapshot: Snapshot) -> None:
        """Store *snapshot* (replacing one of the same stream and version).

        Its version must not be past the stream's version (``InvalidData`` otherwise).
        """
        with self.transaction() as tx:
            tx.save_snapshot(snapshot)

    # -- reading --------------------------------------------------------------------

    def read(self, stream: str, *, after: int = 0) -> tuple[RecordedEvent, ...]:
        """The events of *stream* with a version greater than *after*, oldest first."""
        identifier(stream, "stream")
        after = version_number(after, "after")
        with self._reading() as cursor:
            rows = cursor.execute(self._statements.read_stream, (stream, after)).fetchall()
            return tuple(map(self._recorded, rows))

    def _read_data(self, stream: str, after: int) -> list[EventData]:
        """The data of the events of *stream* after version *after*: a replay's fast path."""
        with self._reading() as cursor:
            rows = cursor.execute(self._statements.read_data, (stream, after)).fetchall()
        stored, document, parse = EventData._stored, self._document, dt.datetime.fromisoformat
        return [stored(type_, document(payload), parse(at)) for type_, payload, at in rows]

    def version(self, stream: str) -> int:
        """The version of *stream*: the number of its events (0 when it has none)."""
        identifier(stream, "stream")
        with self._reading() as cursor:
            result: int = cursor.execute(self._statements.stream_version, (stream,)).fetchone()[0]
            return result

    def head(self) -> int:
        """The global position of the last event recorded (0 in an empty store)."""
        with self._reading() as cursor:
            result: int = cursor.execute(self._statements.last_position).fetchone()[0]
            return result

    def changes_since(
        self, position: int = 0, *, limit: int | None = None
    ) -> tuple[RecordedEvent, ...]:
        """The events recorded after global *position*, in the global order.

        Positions follow the order in which appends committed, and a reader never sees
        a later position before an earlier one becomes visible: keep the last position
        read as a cursor and ask again from there to miss nothing and see nothing twice.
        *limit*, when given, caps the number of events returned.
        """
        position = version_number(position, "position")
        if limit is not None:
            limit = version_number(limit, "limit", 1)
        with self._reading() as cursor:
            if limit is None:
                rows = cursor.execute(self._statements.changes, (position,)).fetchall()
            else:
                rows = cursor.execute(self._statements.changes_limit, (position, limit)).fetchall()
            return tuple(map(self._recorded, rows))

    def changed_streams(self, since: int = 0) -> tuple[StreamHead, ...]:
        """The heads of the streams with events after global position *since*.

        One :class:`~bigaccount.store.StreamHead` per stream, ordered by the position
        of its last event: what a CRM reloads to bring its own read model up to date.
        """
        since = version_number(since, "since")
        with self._reading() as cursor:
            rows = cursor.execute(self._statements.changed_streams, (since,)).fetchall()
            head = StreamHead._stored
            return tuple(head(stream, version, last) for stream, version, last in rows)

    def snapshot(self, stream: str) -> Snapshot | None:
        """The latest snapshot of *stream*, or ``None``."""
        identifier(stream, "stream")
        with self._reading() as cursor:
            row = cursor.execute(self._statements.load_snapshot, (stream,)).fetchone()
            if row is None:
                return None
            return Snapshot._stored(row[0], row[1], self._document(row[2]))

    # -- life -----------------------------------------------------------------------

    @property
    def closed(self) -> bool:
        """Whether :meth:`close` was called."""
        return self._closed

    def close(self) -> None:
        """Close the connection. Closing twice is harmless; a closed store refuses calls."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            if os.getpid() == self._pid:
                self._close()

    def __enter__(self) -> EventStore:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


class Transaction:
    """The operations of an open :meth:`EventStore.transaction` block.

    Reads made through it see its own uncommitted appends. The writer lock is taken by
    the first operation. Appends are sent to the database with the commit (or before a
    read): an event id that is already recorded for another event may therefore be
    reported (:class:`~bigaccount.store.DuplicateEvent`) when the block ends.
    """

    def __init__(self, store: EventStore, cursor: Any) -> None:
        self._store = store
        self._cursor = cursor
        self._begun = False
        self._position = 0
        self._versions: dict[str, int] = {}
        self._pending: list[tuple[Any, ...]] = []
        self._pending_events: list[NewEvent] = []
        self._recorded_here: dict[str, tuple[str, int]] = {}
        self._open = True
        self._doomed = False
        self._cause: BaseException | None = None

    # -- its life -------------------------------------------------------------------

    def _doom(self, cause: BaseException | None = None) -> None:
        if not self._doomed:
            self._doomed = True
            self._cause = cause
            self._pending, self._pending_events = [], []
            if self._begun:
                self._store._rollback()

    def _finish(self) -> None:
        if self._open:
            self._open = False
            if self._begun and not self._doomed:
                self._store._rollback()

    def _commit(self) -> None:
        store = self._store
        try:
            if self._begun:
                self._flush(commit=True)
        except store._driver_errors as error:
            self._doom(error)
            raise store._error(error) from error
        finally:
            self._open = False

    def _usable(self) -> None:
        if not self._open:
            raise StoreError(Fault.CLOSED, self._store.backend, "the transaction has ended")
        if self._doomed:
            raise StoreError(
                Fault.ABORTED,
                self._store.backend,
                "an earlier operation of this transaction failed; it was rolled back",
            ) from self._cause

    @contextlib.contextmanager
    def _operation(self) -> Iterator[Any]:
        self._usable()
        store = self._store
        try:
            yield self._cursor
        except store._driver_errors as error:
            self._doom(error)
            raise store._error(error) from error
        except BaseException as error:
            self._doom(error)
            raise

    def _version(self, stream: str) -> int:
        """The version of *stream* in this transaction (beginning it if need be)."""
        if not self._begun:
            self._begun = True  # from here on, a failure rolls back
            self._position, self._versions[stream] = self._store._begin_write(self._cursor, stream)
        known = self._versions.get(stream)
        if known is None:
            statement = self._store._statements.stream_version
            row = self._cursor.execute(statement, (stream,)).fetchone()
            known = self._versions[stream] = int(row[0])
        return known

    def _flush(self, *, commit: bool) -> None:
        """Send the pending appends (and the commit); a unique rule broken is a duplicate."""
        rows, events = self._pending, self._pending_events
        if not rows and not commit:
            return
        self._pending, self._pending_events = [], []
        store = self._store
        try:
            store._write(self._cursor, rows, commit)
        except store._integrity_errors as error:
            self._doom(error)
            raise self._store._duplicate(events, error) from error

    # -- what it does ---------------------------------------------------------------

    def version(self, stream: str) -> int:
        """The version of *stream*, this transaction's appends included."""
        identifier(stream, "stream")
        with self._operation():
            return self._version(stream)

    def read(self, stream: str, *, after: int = 0) -> tuple[RecordedEvent, ...]:
        """The events of *stream* after version *after*, this transaction's included."""
        identifier(stream, "stream")
        after = version_number(after, "after")
        with self._operation() as cursor:
            self._version(stream)
            self._flush(commit=False)
            rows = cursor.execute(self._store._statements.read_stream, (stream, after)).fetchall()
            return tuple(map(self._store._recorded, rows))

    def append(self, stream: str, expected_version: int, events: Sequence[NewEvent]) -> StreamHead:
        """Append as :meth:`EventStore.append` does, within this transaction.

        Arguments it refuses (``InvalidData``) leave the transaction as it was.
        """
        identifier(stream, "stream")
        expected = version_number(expected_version, "expected_version")
        batch = _batch(events)
        with self._operation():
            return self._append(stream, expected, batch)

    def save_snapshot(self, snapshot: Snapshot) -> None:
        """Store *snapshot* as :meth:`EventStore.save_snapshot` does, within this transaction.

        A snapshot it refuses (``InvalidData``: not a snapshot, or past its stream's
        version) leaves the transaction as it was.
        """
        if not isinstance(snapshot, Snapshot):
            raise InvalidData("snapshot", f"expected a store Snapshot, got {snapshot!r}")
        with self._operation() as cursor:
            current = self._version(snapshot.stream)
            if snapshot.version <= current:
                cursor.execute(
                    self._store._statements.save_snapshot,
                    (snapshot.stream, snapshot.version, snapshot.document),
                )
                return
        raise InvalidData(
            "snapshot.version",
            f"stream {snapshot.stream!r} has {current} events; "
            f"no snapshot of version {snapshot.version}",
        )

    def _append(self, stream: str, expected: int, batch: tuple[NewEvent, ...]) -> StreamHead:
        """Append the checked *batch* (see :meth:`append`)."""
        current = self._version(stream)
        if current != expected:
            self._flush(commit=False)
            return self._store._appended_before(self._cursor, stream, expected, current, batch)
        for event in batch:
            earlier = self._recorded_here.get(event.event_id)
            if earlier is not None:
                raise DuplicateEvent(event.event_id, *earlier)
        first = self._position + 1
        for index, event in enumerate(batch):
            data = event.data
            version = expected + 1 + index
            self._pending.append(
                (
                    first + index,
                    stream,
                    version,
                    event.event_id,
                    data.type,
                    data.document,
                    data.at.isoformat(),
                )
            )
            self._recorded_here[event.event_id] = (stream, version)
        self._pending_events.extend(batch)
        self._position += len(batch)
        self._versions[stream] = expected + len(batch)
        return StreamHead._stored(stream, expected + len(batch), self._position)


def _same(old: EventData, new: EventData) -> bool:
    """Whether two event data would be stored alike (the time's offset included)."""
    return (
        old.type == new.type
        and old.document == new.document
        and old.at.isoformat() == new.at.isoformat()
    )


def _batch(events: object) -> tuple[NewEvent, ...]:
    if isinstance(events, (NewEvent, str, bytes)) or not isinstance(events, Sequence):
        raise InvalidData("events", f"expected a sequence of NewEvent, got {events!r}")
    batch = tuple(events)
    if not batch:
        raise InvalidData("events", "nothing to append: give at least one event")
    seen: set[str] = set()
    for index, event in enumerate(batch):
        if not isinstance(event, NewEvent):
            raise InvalidData(f"events[{index}]", f"expected a NewEvent, got {event!r}")
        if event.event_id in seen:
            raise InvalidData(
                f"events[{index}]", f"event id {event.event_id!r} appears twice in one append"
            )
        seen.add(event.event_id)
    return batch
