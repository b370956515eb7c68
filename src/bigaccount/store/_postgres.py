"""The PostgreSQL backend, through psycopg 3 (the ``postgres`` extra).

Payloads and snapshots are ``jsonb`` (a CRM can query them in SQL). A write
transaction runs at READ COMMITTED and first locks the one row of
``bigaccount_writer``: appends are serialized, so global positions are handed out in
the order the appends commit and a reader paging by position never passes an append
that is still open. An append made outside a transaction block is one call of the
``bigaccount_append`` function (one round trip, committed on its own); appends inside
a block send their rows with the commit. The lock waits up to the store's timeout
(``lock_timeout``), then fails with fault ``LOCKED``. A connection lost is reported
once (fault ``DISCONNECTED``) and made again by the next call.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from typing import Any

from ..errors import InvalidData
from ._base import EventStore, Statements, _batch
from ._errors import Fault, StoreError
from ._records import NewEvent, StreamHead, _dumps, identifier, version_number

__all__ = ["PostgresStore"]

SCHEMA_VERSION = "1"

_SCHEMA_LOCK = 0x6269_6761_6363_7401
"""The advisory lock key taken while the tables are created (``'bigacct'`` + 1)."""

_SCHEMA = (
    """CREATE TABLE bigaccount_events (
        position BIGINT PRIMARY KEY,
        stream TEXT NOT NULL,
        version BIGINT NOT NULL CHECK (version >= 1),
        event_id TEXT NOT NULL UNIQUE,
        type TEXT NOT NULL,
        payload JSONB NOT NULL,
        at TEXT NOT NULL,
        UNIQUE (stream, version)
    )""",
    """CREATE TABLE bigaccount_snapshots (
        stream TEXT NOT NULL,
        version BIGINT NOT NULL,
        document JSONB NOT NULL,
        PRIMARY KEY (stream, version)
    )""",
    "CREATE TABLE bigaccount_writer (id INTEGER PRIMARY KEY CHECK (id = 1))",
    "INSERT INTO bigaccount_writer (id) VALUES (1)",
    """CREATE FUNCTION bigaccount_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN RAISE EXCEPTION 'bigaccount_events is append-only'; END $$""",
    """CREATE TRIGGER bigaccount_events_append_only BEFORE UPDATE OR DELETE
       ON bigaccount_events FOR EACH ROW EXECUTE FUNCTION bigaccount_append_only()""",
    """CREATE TRIGGER bigaccount_events_no_truncate BEFORE TRUNCATE
       ON bigaccount_events FOR EACH STATEMENT EXECUTE FUNCTION bigaccount_append_only()""",
    """CREATE FUNCTION bigaccount_append(
           p_stream text, p_expected bigint,
           p_ids text[], p_types text[], p_payloads jsonb[], p_ats text[]
       ) RETURNS TABLE (appended boolean, stream_version bigint, last_position bigint)
       LANGUAGE plpgsql AS $$
       DECLARE
           found_version bigint;
           found_position bigint;
       BEGIN
           PERFORM 1 FROM bigaccount_writer w WHERE w.id = 1 FOR UPDATE;
           SELECT coalesce(max(e.version), 0) INTO found_version
               FROM bigaccount_events e WHERE e.stream = p_stream;
           IF found_version <> p_expected THEN
               RETURN QUERY SELECT false, found_version, 0::bigint;
               RETURN;
           END IF;
           SELECT coalesce(max(e.position), 0) INTO found_position FROM bigaccount_events e;
           INSERT INTO bigaccount_events (position, stream, version, event_id, type, payload, at)
               SELECT found_position + u.n, p_stream, p_expected + u.n, u.i, u.t, u.p, u.a
               FROM unnest(p_ids, p_types, p_payloads, p_ats) WITH ORDINALITY AS u(i, t, p, a, n);
           RETURN QUERY SELECT true, p_expected + cardinality(p_ids),
               found_position + cardinality(p_ids);
       END $$""",
    "CREATE TABLE bigaccount_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    f"INSERT INTO bigaccount_meta (key, value) VALUES ('schema', '{SCHEMA_VERSION}')",
)

_LONGEST_WAIT = 2**31 - 1
"""The longest ``lock_timeout`` PostgreSQL takes, in milliseconds (about 24 days)."""

_APPEND = (
    "SELECT appended, stream_version, last_position FROM bigaccount_append"
    "(%s, %s, %s, %s, CAST(%s AS jsonb[]), %s)"
)
"""An append in one statement, so one round trip, committed on its own (autocommit)."""

_BY_SQLSTATE = {
    "40001": Fault.SERIALIZATION,
    "40P01": Fault.SERIALIZATION,
    "55P03": Fault.LOCKED,
    "53100": Fault.FULL,
    "25006": Fault.READ_ONLY,
    "XX001": Fault.CORRUPT,
    "XX002": Fault.CORRUPT,
    "42P01": Fault.SCHEMA,
    "42703": Fault.SCHEMA,
    "57P01": Fault.DISCONNECTED,
    "57P02": Fault.DISCONNECTED,
    "57P03": Fault.UNAVAILABLE,
    "53300": Fault.UNAVAILABLE,
}
_BY_CLASS = {"40": Fault.SERIALIZATION, "08": Fault.DISCONNECTED, "53": Fault.UNAVAILABLE}


def fault_of(error: BaseException) -> tuple[Fault, str]:
    """The fault a psycopg error means (by its SQLSTATE), with its message."""
    import psycopg

    sqlstate: str | None = getattr(error, "sqlstate", None)
    message = str(error).strip()
    if sqlstate in _BY_SQLSTATE:
        fault = _BY_SQLSTATE[sqlstate]
    elif sqlstate and sqlstate[:2] in _BY_CLASS:
        fault = _BY_CLASS[sqlstate[:2]]
    elif isinstance(error, psycopg.OperationalError) or (
        isinstance(error, psycopg.InterfaceError) and "closed" in message
    ):
        fault = Fault.DISCONNECTED
    else:
        fault = Fault.OTHER
    return fault, f"{sqlstate or type(error).__name__}: {message}"


class PostgresStore(EventStore):
    """An :class:`~bigaccount.store.EventStore` in a PostgreSQL database."""

    backend = "postgresql"
    _statements = Statements("%s", "CAST(%s AS jsonb)")

    def __init__(self, conninfo: str, *, timeout: float) -> None:
        super().__init__()
        try:
            import psycopg
        except ImportError as error:
            raise StoreError(
                Fault.UNAVAILABLE,
                self.backend,
                "PostgreSQL needs the psycopg 3 driver: pip install 'bigaccount[postgres]'",
            ) from error
        self._psycopg = psycopg
        self._driver_errors = (psycopg.Error,)
        self._integrity_errors = (psycopg.errors.IntegrityError,)
        self._conninfo = conninfo
        self._lock_timeout = f"{min(_LONGEST_WAIT, max(1, round(timeout * 1000)))}ms"
        self._connection: Any = None
        try:
            self._connect()
            self._prepare_schema()
        except psycopg.Error as error:
            self._close()
            problem = f"target (its conninfo not shown): {fault_of(error)[1]}"
            raise StoreError(Fault.UNAVAILABLE, self.backend, problem) from error
        except BaseException:
            self._close()
            raise

    def _connect(self) -> None:
        connection = self._psycopg.connect(self._conninfo, autocommit=True)
        connection.execute("SELECT set_config('lock_timeout', %s, false)", (self._lock_timeout,))
        self._connection = connection
        self._cursor_ = connection.cursor()

    def _prepare_schema(self) -> None:
        cursor = self._cursor_
        if self._schema_version(cursor) is None:
            # A session lock, then a new transaction: one that starts after the lock is
            # granted sees the tables another opener created meanwhile (a transaction
            # that waited for the lock could still read its stale catalog cache).
            cursor.execute("SELECT pg_advisory_lock(%s)", (_SCHEMA_LOCK,))
            try:
                cursor.execute("BEGIN ISOLATION LEVEL READ COMMITTED")
                try:
                    if self._schema_version(cursor) is None:
                        for statement in _SCHEMA:
                            cursor.execute(statement)
                    cursor.execute("COMMIT")
                except BaseException:
                    self._rollback()
                    raise
            finally:
                with contextlib.suppress(self._psycopg.Error):
                    cursor.execute("SELECT pg_advisory_unlock(%s)", (_SCHEMA_LOCK,))
        found = self._schema_version(cursor)
        if found != SCHEMA_VERSION:
            raise StoreError(
                Fault.SCHEMA,
                self.backend,
                f"schema {found!r}, this store reads schema {SCHEMA_VERSION!r}",
            )

    @staticmethod
    def _schema_version(cursor: Any) -> str | None:
        """The schema recorded in the database, ``None`` if there is none (nor the table)."""
        found = cursor.execute("SELECT to_regclass('bigaccount_meta')").fetchone()
        if found is None or found[0] is None:
            return None
        row = cursor.execute("SELECT value FROM bigaccount_meta WHERE key = 'schema'").fetchone()
        return "" if row is None else str(row[0])

    def append(self, stream: str, expected_version: int, events: Sequence[NewEvent]) -> StreamHead:
        # Outside a transaction block, the whole append is one call of
        # bigaccount_append: it takes the writer lock, checks the version and inserts,
        # each statement seeing what committed before the lock was granted; the call
        # commits on its own. A version that differs is then checked as a retry.
        with self._lock:
            if self._transaction is not None:
                return super().append(stream, expected_version, events)
            identifier(stream, "stream")
            expected_version = version_number(expected_version, "expected_version")
            batch = _batch(events)
            self._usable()
            params = (
                stream,
                expected_version,
                [event.event_id for event in batch],
                [event.data.type for event in batch],
                [event.data.document for event in batch],
                [event.data.at.isoformat() for event in batch],
            )
            try:
                cursor = self._cursor()
                try:
                    appended, version, position = cursor.execute(_APPEND, params).fetchone()
                except self._integrity_errors as error:
                    raise self._duplicate(batch, error) from error
                if not appended:
                    return self._appended_before(cursor, stream, expected_version, version, batch)
                return StreamHead._stored(stream, version, position)
            except self._driver_errors as error:
                raise self._error(error) from error

    def _cursor(self) -> Any:
        connection = self._connection
        if connection is None or connection.closed or connection.broken:
            if connection is not None:
                self._close()
            self._connect()
        return self._cursor_

    def _begin_write(self, cursor: Any, stream: str) -> tuple[int, int]:
        # One round trip: the server runs these in order and, at READ COMMITTED, the
        # last reads after the lock is granted, so it sees every earlier append.
        with self._connection.pipeline():
            cursor.execute("BEGIN ISOLATION LEVEL READ COMMITTED")
            cursor.execute("SELECT id FROM bigaccount_writer WHERE id = 1 FOR UPDATE")
            cursor.execute(self._statements.heads, (stream,))
        position, version = cursor.fetchone()
        return int(position), int(version)

    def _write(self, cursor: Any, rows: Sequence[tuple[Any, ...]], commit: bool) -> None:
        if not rows:
            if commit:
                cursor.execute("COMMIT")
            return
        with self._connection.pipeline():
            if len(rows) == 1:
                cursor.execute(self._statements.insert, rows[0])
            else:
                cursor.executemany(self._statements.insert, rows)
            if commit:
                cursor.execute("COMMIT")

    def _rollback(self) -> None:
        connection = self._connection
        if connection is None or connection.closed:
            return
        with contextlib.suppress(self._psycopg.Error):
            if connection.info.transaction_status != self._psycopg.pq.TransactionStatus.IDLE:
                connection.execute("ROLLBACK")

    def _close(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            with contextlib.suppress(self._psycopg.Error):
                connection.close()

    def _fault(self, error: BaseException) -> tuple[Fault, str]:
        return fault_of(error)

    def _document(self, value: Any) -> str:
        if not isinstance(value, dict):
            raise InvalidData("payload", f"a stored payload is not a JSON object: {value!r}")
        return _dumps(value)

    def __repr__(self) -> str:
        info = self._connection.info if self._connection is not None else None
        where = f"{info.host}/{info.dbname}" if info is not None else "closed"
        return f"PostgresStore({where!r})"
