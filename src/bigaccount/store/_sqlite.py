"""The SQLite backend (standard library ``sqlite3``): the embedded default.

One file holds the store, in write-ahead-log mode (readers never wait for the writer)
with ``synchronous=FULL`` (a commit is on disk before it returns). A write transaction
begins with ``BEGIN IMMEDIATE``, which takes the database's one write lock at once:
writers in other threads and processes wait for it up to the store's timeout, then
fail with fault ``LOCKED``.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Sequence
from typing import Any

from ..errors import InvalidData
from ._base import EventStore, Statements
from ._errors import Fault, StoreError

__all__ = ["SQLiteStore"]

SCHEMA_VERSION = "1"

_SCHEMA = (
    """CREATE TABLE bigaccount_events (
        position INTEGER PRIMARY KEY,
        stream TEXT NOT NULL,
        version INTEGER NOT NULL CHECK (version >= 1),
        event_id TEXT NOT NULL UNIQUE,
        type TEXT NOT NULL,
        payload TEXT NOT NULL,
        at TEXT NOT NULL,
        UNIQUE (stream, version)
    )""",
    """CREATE TABLE bigaccount_snapshots (
        stream TEXT NOT NULL,
        version INTEGER NOT NULL,
        document TEXT NOT NULL,
        PRIMARY KEY (stream, version)
    )""",
    """CREATE TRIGGER bigaccount_events_no_update BEFORE UPDATE ON bigaccount_events
       BEGIN SELECT RAISE(ABORT, 'bigaccount_events is append-only'); END""",
    """CREATE TRIGGER bigaccount_events_no_delete BEFORE DELETE ON bigaccount_events
       BEGIN SELECT RAISE(ABORT, 'bigaccount_events is append-only'); END""",
    "CREATE TABLE bigaccount_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    f"INSERT INTO bigaccount_meta (key, value) VALUES ('schema', '{SCHEMA_VERSION}')",
)


def _fault_of(error: BaseException) -> tuple[Fault, str]:
    message = str(error)
    name = getattr(error, "sqlite_errorname", "") or ""
    lowered = message.lower()
    if isinstance(error, sqlite3.ProgrammingError) and "closed" in lowered:
        fault = Fault.CLOSED
    elif name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")) or "locked" in lowered:
        fault = Fault.LOCKED
    elif name.startswith("SQLITE_FULL") or "is full" in lowered:
        fault = Fault.FULL
    elif name.startswith("SQLITE_READONLY") or "readonly" in lowered:
        fault = Fault.READ_ONLY
    elif name.startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB")) or "malformed" in lowered:
        fault = Fault.CORRUPT
    elif name.startswith("SQLITE_CANTOPEN") or "unable to open" in lowered:
        fault = Fault.UNAVAILABLE
    else:
        fault = Fault.OTHER
    return fault, f"{name or type(error).__name__}: {message}"


class SQLiteStore(EventStore):
    """An :class:`~bigaccount.store.EventStore` in one SQLite file (or in memory)."""

    backend = "sqlite"
    _statements = Statements("?", "?")
    _driver_errors = (sqlite3.Error,)
    _integrity_errors = (sqlite3.IntegrityError,)

    def __init__(self, path: str | os.PathLike[str], *, timeout: float) -> None:
        super().__init__()
        self.path = os.fspath(path)
        try:
            self._connection = sqlite3.connect(
                self.path, timeout=timeout, isolation_level=None, check_same_thread=False
            )
        except sqlite3.Error as error:
            raise StoreError(*self._described(error)) from error
        try:
            if self.path != ":memory:":
                mode = self._connection.execute("PRAGMA journal_mode").fetchone()[0]
                if mode.lower() != "wal":
                    self._connection.execute("PRAGMA journal_mode=WAL")
            self._connection.execute("PRAGMA synchronous=FULL")
            self._cursor_ = self._connection.cursor()
            self._prepare_schema()
        except sqlite3.Error as error:
            self._connection.close()
            raise StoreError(*self._described(error)) from error
        except BaseException:
            self._connection.close()
            raise

    def _described(self, error: BaseException) -> tuple[Fault, str, str]:
        fault, problem = _fault_of(error)
        return fault, self.backend, f"target {self.path!r}: {problem}"

    def _prepare_schema(self) -> None:
        cursor = self._cursor_
        if self._schema_version(cursor) is None:
            cursor.execute("BEGIN IMMEDIATE")
            try:
                if self._schema_version(cursor) is None:
                    for statement in _SCHEMA:
                        cursor.execute(statement)
                cursor.execute("COMMIT")
            except BaseException:
                self._rollback()
                raise
        found = self._schema_version(cursor)
        if found != SCHEMA_VERSION:
            raise StoreError(
                Fault.SCHEMA,
                self.backend,
                f"the target {self.path!r} holds schema {found!r}, "
                f"this store reads schema {SCHEMA_VERSION!r}",
            )

    @staticmethod
    def _schema_version(cursor: Any) -> str | None:
        """The schema recorded in the file, ``None`` if there is none (nor the table)."""
        found = cursor.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'bigaccount_meta'"
        ).fetchone()
        if found is None:
            return None
        row = cursor.execute("SELECT value FROM bigaccount_meta WHERE key = 'schema'").fetchone()
        return "" if row is None else str(row[0])

    def _cursor(self) -> Any:
        return self._cursor_

    def _begin_write(self, cursor: Any, stream: str) -> tuple[int, int]:
        cursor.execute("BEGIN IMMEDIATE")
        position, version = cursor.execute(self._statements.heads, (stream,)).fetchone()
        return position, version

    def _write(self, cursor: Any, rows: Sequence[tuple[Any, ...]], commit: bool) -> None:
        if len(rows) == 1:
            cursor.execute(self._statements.insert, rows[0])
        elif rows:
            cursor.executemany(self._statements.insert, rows)
        if commit:
            cursor.execute("COMMIT")

    def _rollback(self) -> None:
        with contextlib.suppress(sqlite3.Error):
            if self._connection.in_transaction:
                self._connection.execute("ROLLBACK")

    def _close(self) -> None:
        self._connection.close()

    def _fault(self, error: BaseException) -> tuple[Fault, str]:
        return _fault_of(error)

    def _document(self, value: Any) -> str:
        if not isinstance(value, str):
            raise InvalidData("payload", f"a stored payload is not text: {value!r}")
        return value

    def __repr__(self) -> str:
        return f"SQLiteStore({self.path!r})"
