"""Deals over the event store: save a deal's new events, load a deal by replaying them.

The glue is thin on purpose. A :class:`Codec` turns the domain's events into
:class:`~bigaccount.store.EventData` and back; a deal is anything with ``events`` and
``version`` (:class:`Versioned`); loading replays the decoded events through a function
the caller gives (a deal's ``replay``), optionally starting from a snapshot.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Generic, Protocol, TypeVar

from .._validate import flag
from ..errors import InvalidData, UnknownName
from ._base import EventStore
from ._errors import ConcurrencyConflict
from ._records import EventData, NewEvent, Snapshot, StreamHead, identifier, version_number

__all__ = ["Codec", "DealStore", "Snapshots", "Versioned", "event_id"]

E = TypeVar("E")
E_co = TypeVar("E_co", covariant=True)
E_contra = TypeVar("E_contra", contravariant=True)

_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:bigaccount:store:event")


class Codec(Protocol[E]):
    """Turns a domain event into :class:`~bigaccount.store.EventData` and back.

    ``decode(encode(event))`` must equal ``event``. Give each kind of event its own
    ``type`` and keep old types decodable: the store keeps every event for ever.
    """

    def encode(self, event: E, /) -> EventData:
        """The type, payload and time of *event*."""
        ...

    def decode(self, data: EventData, /) -> E:
        """The domain event that *data* was encoded from."""
        ...


class Versioned(Protocol[E_co]):
    """A deal as the store sees it: its latest events, and the version of the last one.

    ``events`` are the last ``len(events)`` events of the deal's stream, ending at
    ``version``: all of them for a deal replayed from the start (then
    ``version == len(events)``), or those after the snapshot it was resumed from.
    """

    @property
    def events(self) -> Sequence[E_co]:
        """The deal's events, oldest first."""
        ...

    @property
    def version(self) -> int:
        """The version of the deal's last event (0 for a new deal)."""
        ...


D = TypeVar("D", bound="Versioned[Any]")


class Snapshots(Protocol[D, E_contra]):
    """Writes a deal as a JSON document, and resumes one from it and the later events."""

    def dump(self, deal: D, /) -> Mapping[str, Any]:
        """The deal's state as a mapping of JSON values."""
        ...

    def resume(
        self, deal_id: str, document: Mapping[str, Any], version: int, events: Sequence[E_contra], /
    ) -> D:
        """The deal a snapshot of *version* gives once *events* (those after it) are applied."""
        ...


def event_id(stream: str, version: int, data: EventData) -> str:
    """The id of the event *data* as version *version* of *stream*: a UUID of its content.

    ``uuid5`` (SHA-1) of the stream, version, type, canonical payload and ISO time: the
    same event gets the same id in every retry, so saving a deal again after a timeout
    records nothing twice, while another writer's event at that version (other content)
    gets another id and is seen as a conflict.

    >>> import datetime as dt
    >>> data = EventData("moved", {"to": "B"}, dt.datetime(2024, 5, 1, tzinfo=dt.timezone.utc))
    >>> event_id("KA-1", 1, data) == event_id("KA-1", 1, data) != event_id("KA-1", 2, data)
    True
    """
    identifier(stream, "stream")
    version = version_number(version, "version", 1)
    if not isinstance(data, EventData):
        raise InvalidData("data", f"expected EventData, got {data!r}")
    return _event_id(stream, version, data)


def _event_id(stream: str, version: int, data: EventData) -> str:
    """:func:`event_id` of arguments known to be right."""
    key = json.dumps([stream, version, data.type, data.document, data.at.isoformat()])
    return str(uuid.uuid5(_NAMESPACE, key))


def _has_methods(value: object, field: str, kind: str, *names: str) -> None:
    """Refuse *value* (``InvalidData``) unless it has a method of each of *names*."""
    missing = [name for name in names if not callable(getattr(value, name, None))]
    if missing:
        wanted = " and ".join(f"{name}()" for name in missing)
        raise InvalidData(field, f"a {kind} needs {wanted}; {value!r} has none")


def _encoded(codec: Codec[E], events: Sequence[E]) -> list[EventData]:
    """The data *codec* makes of each of a deal's *events*; what it cannot encode, refused.

    The codec's own errors are the deal's events' fault: each is ``InvalidData`` naming
    the event (``deal.events[2]``), the codec's error chained.
    """
    encoded = []
    for index, event in enumerate(events):
        where = f"deal.events[{index}]"
        try:
            data = codec.encode(event)
        except InvalidData as error:
            raise InvalidData(f"{where}.{error.field}", error.problem) from error
        except Exception as error:
            problem = f"the codec cannot encode {event!r}: {type(error).__name__}: {error}"
            raise InvalidData(where, problem) from error
        if not isinstance(data, EventData):
            raise InvalidData(where, f"the codec gave {data!r}, not EventData")
        encoded.append(data)
    return encoded


class DealStore(Generic[E, D]):
    """Saves deals' events in an :class:`~bigaccount.store.EventStore` and loads deals back.

    Args:
        store: where the events are.
        codec: turns the deal's events into stored data and back.
        replay: builds the deal of an id from all its events, oldest first
            (``replay(deal_id, events)``, e.g. a function calling ``Deal.replay``).
        snapshots: writes and resumes snapshots; without it, :meth:`load` always replays
            from the first event and ``save(..., snapshot=True)`` is refused.
    """

    def __init__(
        self,
        store: EventStore,
        codec: Codec[E],
        replay: Callable[[str, Sequence[E]], D],
        *,
        snapshots: Snapshots[D, E] | None = None,
    ) -> None:
        if not isinstance(store, EventStore):
            raise InvalidData("store", f"expected an EventStore, got {store!r}")
        if store.closed:
            raise InvalidData("store", f"{store!r} is closed")
        _has_methods(codec, "codec", "codec", "encode", "decode")
        if not callable(replay):
            raise InvalidData("replay", f"expected a function (deal_id, events), got {replay!r}")
        if snapshots is not None:
            _has_methods(snapshots, "snapshots", "Snapshots", "dump", "resume")
        self.store = store
        self.codec = codec
        self.replay = replay
        self.snapshots = snapshots

    def save(self, deal_id: str, deal: D, *, snapshot: bool = False) -> StreamHead:
        """Append the events of *deal* that the store does not have yet.

        The deal's events are given ids of their content (:func:`event_id`) and compared
        with the stored ones from the deal's first event on: the store must hold a prefix
        of the deal's history. The rest is appended at the stored version, in one
        transaction, with the snapshot (``snapshot=True``) of the deal at its version.

        Raises :class:`~bigaccount.store.ConcurrencyConflict` when the store holds events
        the deal does not (another writer saved first): ``expected`` is the version up to
        which they agree, ``actual`` the store's. Saving the same deal twice, or again
        after an unknown outcome, appends nothing the second time.
        """
        identifier(deal_id, "deal_id")
        flag(snapshot, "snapshot")
        if snapshot and self.snapshots is None:
            raise InvalidData("snapshot", "this DealStore has no Snapshots to write one with")
        try:
            given, version_given = deal.events, deal.version
        except AttributeError:
            raise InvalidData(
                "deal", f"a deal has events and a version; {deal!r} has not"
            ) from None
        if isinstance(given, (str, bytes)) or not isinstance(given, Sequence):
            raise InvalidData("deal.events", f"expected a sequence of events, got {given!r}")
        events = tuple(given)
        version = version_number(version_given, "deal.version")
        base = version - len(events)
        if base < 0:
            raise InvalidData(
                "deal.version", f"version {version} is below its {len(events)} events"
            )
        encoded = _encoded(self.codec, events)
        ids = [_event_id(deal_id, base + 1 + i, data) for i, data in enumerate(encoded)]
        with self.store.transaction() as tx:
            current = tx.version(deal_id)
            stored = tx.read(deal_id, after=base)
            if current < base:
                raise ConcurrencyConflict(deal_id, base, current)
            agree = 0
            while agree < min(len(stored), len(ids)) and stored[agree].event_id == ids[agree]:
                agree += 1
            if agree < len(stored):
                raise ConcurrencyConflict(deal_id, base + agree, current)
            if agree < len(ids):
                new = [NewEvent(ids[i], encoded[i]) for i in range(agree, len(ids))]
                head = tx.append(deal_id, base + agree, new)
            elif current == 0:
                head = StreamHead._stored(deal_id, 0, 0)
            else:
                last = stored[-1] if stored else tx.read(deal_id, after=current - 1)[-1]
                head = StreamHead._stored(deal_id, current, last.position)
            if snapshot and self.snapshots is not None and version > 0:
                tx.save_snapshot(Snapshot(deal_id, version, self.snapshots.dump(deal)))
            return head

    def load(self, deal_id: str) -> D:
        """The deal *deal_id*, replayed from its events (from its latest snapshot, if any).

        Raises :class:`~bigaccount.errors.UnknownName` when the store has no such deal.
        """
        identifier(deal_id, "deal_id")
        snap = self.store.snapshot(deal_id) if self.snapshots is not None else None
        after = snap.version if snap is not None else 0
        recorded = self.store._read_data(deal_id, after)
        if snap is None and not recorded:
            raise UnknownName("deal", deal_id)
        events = list(map(self.codec.decode, recorded))
        if snap is not None and self.snapshots is not None:
            return self.snapshots.resume(deal_id, snap.payload, snap.version, events)
        return self.replay(deal_id, events)
