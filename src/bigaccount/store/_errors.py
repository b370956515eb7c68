"""The errors of the event store: a lost race, a reused event id, and a database fault.

Each is a :class:`~bigaccount.errors.BigAccountError` carrying structured fields, so
that a caller can react (reload and retry, fix its ids, wait and retry) without
parsing the message.
"""

from __future__ import annotations

from ..errors import BigAccountError
from ..labels import Label, LabelledEnum, label_members

__all__ = ["ConcurrencyConflict", "DuplicateEvent", "Fault", "StoreError"]


class ConcurrencyConflict(BigAccountError):
    """An append stated a version of the stream that is not its version any more.

    Another writer got there first (or the caller's copy is stale): ``stream`` is at
    ``actual``, the append expected ``expected``. Nothing was written; reload the stream
    (or read the events after ``expected``), decide again, and append at ``actual``.
    """

    def __init__(self, stream: str, expected: int, actual: int) -> None:
        self.stream = stream
        self.expected = expected
        self.actual = actual
        super().__init__(
            f"stream {stream!r} is at version {actual}, not {expected}: "
            "another writer appended first; reload and decide again"
        )


class DuplicateEvent(BigAccountError, ValueError):
    """An event id is already recorded, for an event that is not the one being appended.

    Event ids are idempotency keys: appending the very same events again at the same
    versions is a no-op, but one id names one event only. ``event_id`` is the id,
    ``stream`` and ``version`` say where it is recorded. Nothing was written.
    """

    def __init__(self, event_id: str, stream: str, version: int) -> None:
        self.event_id = event_id
        self.stream = stream
        self.version = version
        super().__init__(
            f"event id {event_id!r} is already recorded as version {version} of stream "
            f"{stream!r}, with other content (or at another place)"
        )


class Fault(LabelledEnum):
    """What went wrong in the database under a :class:`StoreError`."""

    LOCKED = "locked"
    FULL = "full"
    DISCONNECTED = "disconnected"
    SERIALIZATION = "serialization"
    READ_ONLY = "read_only"
    CORRUPT = "corrupt"
    SCHEMA = "schema"
    UNAVAILABLE = "unavailable"
    CLOSED = "closed"
    ABORTED = "aborted"
    OTHER = "other"

    @property
    def retryable(self) -> bool:
        """Whether the same call may succeed if made again later (appends are idempotent)."""
        return self in _RETRYABLE


_RETRYABLE = frozenset({Fault.LOCKED, Fault.DISCONNECTED, Fault.SERIALIZATION})

label_members(
    Fault,
    {
        Fault.LOCKED: Label("数据库被其他写入者锁定", "the database is locked by another writer"),
        Fault.FULL: Label("磁盘或数据库已满", "the disk or the database is full"),
        Fault.DISCONNECTED: Label(
            "与数据库的连接已断开", "the connection to the database was lost"
        ),
        Fault.SERIALIZATION: Label(
            "事务因并发冲突被中止", "a concurrent transaction aborted this one"
        ),
        Fault.READ_ONLY: Label("数据库只读", "the database is read-only"),
        Fault.CORRUPT: Label("数据库文件已损坏", "the database file is corrupt"),
        Fault.SCHEMA: Label("数据库表结构不符", "the database tables are not those of this store"),
        Fault.UNAVAILABLE: Label("无法打开数据库", "the database cannot be opened"),
        Fault.CLOSED: Label("存储已关闭或不可在此使用", "the store is closed or unusable here"),
        Fault.ABORTED: Label(
            "事务中的操作失败，整个事务已回滚",
            "an operation in the transaction failed; it was rolled back",
        ),
        Fault.OTHER: Label("数据库错误", "a database error"),
    },
)


class StoreError(BigAccountError):
    """The database failed; ``fault`` says how, and the driver's error is chained.

    Whatever the fault, nothing that was committed is lost, and the failed call wrote
    nothing (its transaction was rolled back). When ``fault.retryable``, making the same
    call again is safe: an append of the same event ids is idempotent, so a retry after
    an unknown outcome (a lost connection during commit) never records an event twice.
    """

    def __init__(self, fault: Fault, backend: str, problem: str) -> None:
        self.fault = fault
        self.backend = backend
        self.problem = problem
        super().__init__(f"{backend} store: {fault.label.en}: {problem}")

    @property
    def retryable(self) -> bool:
        """Whether the same call may succeed if made again later."""
        return self.fault.retryable
