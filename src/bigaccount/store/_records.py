"""The values the event store reads and writes: event data, new and recorded events.

A payload is a JSON object held as its *canonical* text (keys sorted, no blanks, UTF-8),
so that two payloads are equal exactly when their texts are, on every backend. Only
what every backend keeps exactly is accepted: objects with text keys, arrays, text
without NUL characters, integers, booleans and null. Floats are refused, as amounts are
everywhere in bigaccount: PostgreSQL's ``jsonb`` would turn ``1e16`` into
``10000000000000000``; write decimals as strings.
"""

from __future__ import annotations

import datetime as dt
import json
import numbers
from collections.abc import Mapping
from typing import Any

from attrs import frozen

from ..errors import InvalidData

__all__ = [
    "EventData",
    "NewEvent",
    "RecordedEvent",
    "Snapshot",
    "StreamHead",
    "canonical_json",
    "identifier",
    "version_number",
]

LARGEST = 2**63 - 1
"""The largest version or position: what SQLite's INTEGER and PostgreSQL's BIGINT hold."""


def _plain(value: object) -> object:
    """A mapping that is not a ``dict`` (a ``MappingProxyType`` …) as one, for the encoder."""
    if isinstance(value, Mapping):
        return dict(value)
    raise TypeError(f"{type(value).__name__} is not a JSON value")


_dumps = json.JSONEncoder(
    ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False, default=_plain
).encode


def identifier(value: object, field: str) -> str:
    """Non-blank text without NUL characters, storable as UTF-8; else ``InvalidData``."""
    if not isinstance(value, str) or not value.strip():
        raise InvalidData(field, f"expected non-empty text, got {value!r}")
    if "\x00" in value:
        raise InvalidData(field, f"{value!r} contains a NUL character")
    if not value.isascii():
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise InvalidData(field, f"{value!r} is not valid Unicode text") from None
    return value


def version_number(value: object, field: str, low: int = 0) -> int:
    """A whole number in ``[low, LARGEST]``, as an ``int``; else ``InvalidData``.

    An integer of the numeric tower (numpy's too), never a ``bool`` or ``1.0``; at most
    :data:`LARGEST`, the most a database column of versions and positions holds.
    """
    if type(value) is int:
        number = value
    elif isinstance(value, numbers.Integral) and not isinstance(value, bool):
        number = int(value)
    else:
        raise InvalidData(field, f"expected a whole number, got {value!r}")
    if number < low:
        raise InvalidData(field, f"{value!r} is below {low}" if low else f"{value!r} is negative")
    if number > LARGEST:
        raise InvalidData(field, f"{value!r} is past the largest a store keeps, {LARGEST}")
    return number


def aware(value: object, field: str) -> dt.datetime:
    """A timezone-aware ``datetime``; else ``InvalidData``."""
    if not isinstance(value, dt.datetime) or value.utcoffset() is None:
        raise InvalidData(field, f"a timezone-aware datetime is required, got {value!r}")
    return value


def _check_json(value: object, where: str) -> None:
    if value is None or isinstance(value, (bool, int)):
        return
    if isinstance(value, str):
        if "\x00" in value:
            raise InvalidData(where, "text in a payload may not contain NUL characters")
        return
    if isinstance(value, float):
        raise InvalidData(
            where, f"{value!r} is a float; payloads keep numbers exact: write it as a string"
        )
    if isinstance(value, Mapping):
        for key, item in value.items():
            if not isinstance(key, str):
                raise InvalidData(where, f"object keys must be text, got {key!r}")
            _check_json(key, where)
            _check_json(item, f"{where}.{key}")
        return
    if isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            _check_json(item, f"{where}[{index}]")
        return
    raise InvalidData(where, f"{type(value).__name__} is not a JSON value")


def canonical_json(payload: object, field: str = "payload") -> str:
    """The canonical JSON text of *payload*, a mapping of JSON values.

    Keys are sorted, there is no blank between tokens, and non-ASCII text is kept as it
    is (the text is UTF-8 in the database). Tuples become arrays, and any mapping an
    object. Raises :class:`~bigaccount.errors.InvalidData`, naming the path of the bad
    value from *field* on, for anything a backend would not keep exactly (see the
    module's docstring).

    >>> canonical_json({"to": "方案", "at": [2, 1], "ok": True})
    '{"at":[2,1],"ok":true,"to":"方案"}'
    """
    return _canonical(payload, identifier(field, "field"))


def _canonical(payload: object, field: str) -> str:
    """:func:`canonical_json` with a *field* known to be text."""
    if not isinstance(payload, Mapping):
        raise InvalidData(field, f"a payload is a JSON object (a mapping), got {payload!r}")
    try:
        _check_json(payload, field)
        text = _dumps(payload)
    except RecursionError:
        raise InvalidData(field, "the payload is nested too deeply (or contains itself)") from None
    except InvalidData:
        raise
    except ValueError as error:  # an int with more digits than Python writes out
        raise InvalidData(field, f"the payload cannot be written as JSON: {error}") from None
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise InvalidData(field, "the payload holds text that is not valid Unicode") from None
    return text


@frozen(init=False)
class EventData:
    """What happened, without where it is stored: a type, a payload and the event's time.

    A :class:`~bigaccount.store.Codec` turns a domain event into this and back. The
    payload is kept as canonical JSON text (``document``); :attr:`payload` decodes a
    fresh copy, so the value cannot be changed through it.

    Args:
        type: the event's kind (``"stage_changed"``, ``"evidence_added"`` …).
        payload: a mapping of JSON values (no floats; see :func:`canonical_json`).
        at: when it happened, timezone-aware. The offset is kept, not a zone's name.

    >>> import datetime as dt
    >>> data = EventData("moved", {"to": "B"}, dt.datetime(2024, 5, 1, 9, tzinfo=dt.timezone.utc))
    >>> data.document, data.payload["to"]
    ('{"to":"B"}', 'B')
    """

    type: str
    document: str
    at: dt.datetime

    def __init__(self, type: str, payload: Mapping[str, Any], at: dt.datetime) -> None:
        self.__attrs_init__(
            identifier(type, "type"), _canonical(payload, "payload"), aware(at, "at")
        )

    @classmethod
    def _stored(cls, type: str, document: str, at: dt.datetime) -> EventData:
        """Data read back from a store: checked when it was written, not checked again."""
        data = cls.__new__(cls)
        data.__attrs_init__(type, document, at)
        return data

    @property
    def payload(self) -> dict[str, Any]:
        """The payload, decoded from :attr:`document` (a new dict at each access)."""
        result: dict[str, Any] = json.loads(self.document)
        return result


def _event_data(value: object, field: str) -> EventData:
    if not isinstance(value, EventData):
        raise InvalidData(field, f"expected EventData, got {value!r}")
    return value


@frozen(init=False)
class NewEvent:
    """An event to append: its id (the idempotency key) and its data.

    Appending the same ids again at the same versions is a no-op, so a writer that
    does not know whether its append went through (a timeout, a lost connection) simply
    appends again. Use ids that name the event, not the attempt: a UUID made once when
    the event is made, or a digest of its content (:class:`~bigaccount.store.DealStore`
    derives them so).

    >>> import datetime as dt
    >>> at = dt.datetime(2024, 5, 1, 9, tzinfo=dt.timezone.utc)
    >>> NewEvent("e-1", EventData("moved", {"to": "B"}, at)).event_id
    'e-1'
    """

    event_id: str
    data: EventData

    def __init__(self, event_id: str, data: EventData) -> None:
        self.__attrs_init__(identifier(event_id, "event_id"), _event_data(data, "data"))


@frozen(init=False)
class RecordedEvent:
    """An event as the store holds it.

    Attributes:
        position: its place in the one global order of the store, ``1, 2, …`` across
            all streams, in the order the appends committed (see
            :meth:`~bigaccount.store.EventStore.changes_since`); never below ``version``.
        stream: the stream (a deal's id).
        version: its place in the stream, ``1, 2, …`` without gaps.
        event_id: its id.
        data: its type, payload and time.
    """

    position: int
    stream: str
    version: int
    event_id: str
    data: EventData

    def __init__(
        self, position: int, stream: str, version: int, event_id: str, data: EventData
    ) -> None:
        position = version_number(position, "position", 1)
        version = version_number(version, "version", 1)
        self.__attrs_init__(
            _at_or_past(position, version),
            identifier(stream, "stream"),
            version,
            identifier(event_id, "event_id"),
            _event_data(data, "data"),
        )

    @classmethod
    def _stored(
        cls, position: int, stream: str, version: int, event_id: str, data: EventData
    ) -> RecordedEvent:
        event = cls.__new__(cls)
        event.__attrs_init__(position, stream, version, event_id, data)
        return event

    @property
    def type(self) -> str:
        """The event's type (``data.type``)."""
        return self.data.type

    @property
    def payload(self) -> dict[str, Any]:
        """The event's payload, decoded (``data.payload``)."""
        return self.data.payload

    @property
    def at(self) -> dt.datetime:
        """When the event happened (``data.at``)."""
        return self.data.at


def _at_or_past(position: int, version: int) -> int:
    """*position*, which the *version* events of a stream cannot come before."""
    if position < version:
        raise InvalidData(
            "position", f"version {version} of a stream cannot be at global position {position}"
        )
    return position


@frozen(init=False)
class StreamHead:
    """Where a stream stands: its version and the global position of its last event.

    An append returns the head it left the stream at; :meth:`changed_streams` lists the
    heads of the streams changed since a position. A stream's position is never below
    its version (both are 0 for a stream without events).
    """

    stream: str
    version: int
    position: int

    def __init__(self, stream: str, version: int, position: int) -> None:
        version = version_number(version, "version")
        position = _at_or_past(version_number(position, "position"), version)
        self.__attrs_init__(identifier(stream, "stream"), version, position)

    @classmethod
    def _stored(cls, stream: str, version: int, position: int) -> StreamHead:
        """A head the store worked out from what it holds: not checked again."""
        head = cls.__new__(cls)
        head.__attrs_init__(stream, version, position)
        return head


@frozen(init=False)
class Snapshot:
    """A stream's state at a version, as a JSON document, so that loading it replays less.

    A snapshot is a cache of what replaying the stream's first ``version`` events gives;
    the events stay the truth. ``document`` is canonical JSON text, :attr:`payload` its
    decoded copy.
    """

    stream: str
    version: int
    document: str

    def __init__(self, stream: str, version: int, payload: Mapping[str, Any]) -> None:
        version = version_number(version, "version", 1)
        self.__attrs_init__(identifier(stream, "stream"), version, _canonical(payload, "payload"))

    @classmethod
    def _stored(cls, stream: str, version: int, document: str) -> Snapshot:
        snapshot = cls.__new__(cls)
        snapshot.__attrs_init__(stream, version, document)
        return snapshot

    @property
    def payload(self) -> dict[str, Any]:
        """The snapshot's document, decoded (a new dict at each access)."""
        result: dict[str, Any] = json.loads(self.document)
        return result
