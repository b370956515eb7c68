"""Serialization: one configured ``cattrs`` converter and stable, versioned JSON.

:func:`configure_converter` registers every rule on a converter; :func:`make_converter`
builds one. The rules:

* ``Decimal`` is a string (``"1200000.00"``), exact; floats are refused when loading.
* ``datetime`` is ISO 8601 and must carry a timezone; ``date`` is ISO 8601.
* Enums are their values; attrs classes are objects keyed by field name; unknown
  keys are refused.
* A :class:`~bigaccount.track.Track` is its cycle, state and events; loading one
  replays the events through the registered cycle, so a track whose state does not
  follow from its events cannot be loaded.
* A :class:`~bigaccount.deal.Deal` is its fields and its log of events, each tagged
  ``"stage_change"`` or ``"fact_change"``; a fact's value is tagged with its kind
  (``bool``, ``int``, ``float``, ``decimal``, ``money``, ``date``, ``datetime``,
  ``text``). Loading a deal replays its log (:meth:`~bigaccount.deal.Deal.replay`) and
  checks the version written with it.
* Fields marked as personal data (attrs metadata ``{"bigaccount.personal": True}``)
  are left out by a *redacting* converter (``dumps(obj, redact=True)``).

JSON documents are wrapped as ``{"schema": 1, "type": "<class name>", "data": ...}``.

>>> from bigaccount import Money
>>> from bigaccount.io import dumps, loads
>>> text = dumps(Money("12.50", "CNY"))
>>> text
'{"schema": 1, "type": "Money", "data": {"amount": "12.50", "currency": "CNY"}}'
>>> loads(text, Money)
Money(amount=Decimal('12.50'), currency='CNY')
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any, TypeVar

import attrs
import cattrs
from cattrs.gen import make_dict_unstructure_fn, override

from .deal import Account, Deal, DealEvent
from .errors import BigAccountError, InvalidData, ReplayError
from .evidence import FactChange, FactValue
from .money import Money, to_decimal
from .people import BuyingCenter
from .personal import PERSONAL
from .plan import Competitor
from .track import StageChange, Track

__all__ = [
    "PERSONAL",
    "SCHEMA_VERSION",
    "configure_converter",
    "converter",
    "dumps",
    "loads",
    "make_converter",
]

SCHEMA_VERSION = 1
"""The version of the JSON layout written by :func:`dumps`."""


T = TypeVar("T")


def _structure_decimal(value: Any, _: type) -> Decimal:
    if isinstance(value, float):
        raise InvalidData("decimal", f"{value!r} is a float; write amounts as strings")
    return to_decimal(value, "decimal")


def _structure_datetime(value: Any, _: type) -> dt.datetime:
    if not isinstance(value, str):
        raise InvalidData("datetime", f"expected an ISO 8601 string, got {value!r}")
    try:
        result = dt.datetime.fromisoformat(value)
    except ValueError:
        raise InvalidData("datetime", f"{value!r} is not ISO 8601") from None
    if result.utcoffset() is None:
        raise InvalidData("datetime", f"{value!r} has no timezone")
    return result


def _structure_date(value: Any, _: type) -> dt.date:
    if not isinstance(value, str):
        raise InvalidData("date", f"expected an ISO 8601 date string, got {value!r}")
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise InvalidData("date", f"{value!r} is not an ISO 8601 date") from None


def _structure_bool(value: Any, _: type) -> bool:
    if not isinstance(value, bool):
        raise InvalidData("bool", f"expected true or false, got {value!r}")
    return value


def _structure_str(value: Any, _: type) -> str:
    if not isinstance(value, str):
        raise InvalidData("str", f"expected text, got {value!r}")
    return value


def _structure_int(value: Any, _: type) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidData("int", f"expected a whole number, got {value!r}")
    return value


def _structure_float(value: Any, _: type) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise InvalidData("float", f"expected a number, got {value!r}")
    return float(value)


def _is_sequence(cls: Any) -> bool:
    origin = getattr(cls, "__origin__", None)
    return origin in (tuple, list)


def _unstructure_datetime(value: dt.datetime) -> str:
    if value.utcoffset() is None:
        raise InvalidData("datetime", f"{value!r} has no timezone")
    return value.isoformat()


def _personal_fields(cls: type) -> list[str]:
    if not attrs.has(cls):
        return []
    return [a.name for a in attrs.fields(cls) if a.metadata.get(PERSONAL)]


def configure_converter(conv: cattrs.Converter, *, redact_personal: bool = False) -> None:
    """Register bigaccount's rules on *conv* (see the module docstring for the list)."""
    conv.register_structure_hook(bool, _structure_bool)
    conv.register_structure_hook(str, _structure_str)
    conv.register_structure_hook(int, _structure_int)
    conv.register_structure_hook(float, _structure_float)
    conv.register_unstructure_hook(Decimal, str)
    conv.register_structure_hook(Decimal, _structure_decimal)
    conv.register_unstructure_hook(dt.datetime, _unstructure_datetime)
    conv.register_structure_hook(dt.datetime, _structure_datetime)
    conv.register_unstructure_hook(dt.date, dt.date.isoformat)
    conv.register_structure_hook(dt.date, _structure_date)

    def unstructure_track(track: Track) -> dict[str, Any]:
        return {
            "cycle": track.cycle,
            "state": track.state,
            "events": [conv.unstructure(e, StageChange) for e in track.history],
        }

    def structure_track(value: Any, _: type) -> Track:
        from .registry import get_cycle

        if not isinstance(value, dict) or set(value) != {"cycle", "state", "events"}:
            raise InvalidData("track", "expected an object with cycle, state and events")
        events = conv.structure(value["events"], list[StageChange])
        track = get_cycle(value["cycle"]).replay(events)
        if track.state != value["state"]:
            raise InvalidData(
                "track.state",
                f"{value['state']!r} does not follow from the events"
                f" (they lead to {track.state!r})",
            )
        return track

    def sequence_hook(cls: Any) -> Any:
        args: tuple[Any, ...] = tuple(getattr(cls, "__args__", ()))
        variadic = cls.__origin__ is list or (len(args) == 2 and args[1] is Ellipsis)

        def structure(value: Any, _: type) -> Any:
            if not isinstance(value, list):
                raise InvalidData("sequence", f"expected a list, got {value!r}")
            if variadic:
                items = [conv.structure(v, args[0]) for v in value]
            elif len(value) != len(args):
                raise InvalidData("sequence", f"expected {len(args)} items, got {len(value)}")
            else:
                items = [conv.structure(v, t) for v, t in zip(value, args, strict=True)]
            return items if cls.__origin__ is list else tuple(items)

        return structure

    conv.register_structure_hook_factory(_is_sequence, sequence_hook)
    conv.register_unstructure_hook(Track, unstructure_track)
    conv.register_structure_hook(Track, structure_track)

    def optional(value: Any, kind: type[T]) -> T | None:
        return None if value is None else conv.structure(value, kind)

    def unstructure_value(value: FactValue | None) -> Any:
        if value is None:
            return None
        kind = _value_kind(value)
        structured = kind in ("money", "date", "datetime", "decimal")
        data = conv.unstructure(value) if structured else value
        return {"kind": kind, "value": data}

    def structure_value(value: Any) -> FactValue | None:
        if value is None:
            return None
        if not isinstance(value, dict) or set(value) != {"kind", "value"}:
            raise InvalidData("value", "expected an object with kind and value")
        kind = value["kind"]
        target = _VALUE_TYPES.get(kind) if isinstance(kind, str) else None
        if target is None:
            raise InvalidData("value.kind", f"unknown kind {kind!r}")
        result: FactValue = conv.structure(value["value"], target)
        return result

    def unstructure_event(event: DealEvent) -> dict[str, Any]:
        if isinstance(event, FactChange):
            return {
                "type": "fact_change",
                "fact": event.fact,
                "value": unstructure_value(event.value),
                "at": _unstructure_datetime(event.at),
                "actor": event.actor,
                "source": event.source,
            }
        data: dict[str, Any] = conv.unstructure(event, StageChange)
        return {"type": "stage_change", **data}

    def structure_event(value: Any, _: type) -> DealEvent:
        if not isinstance(value, dict) or "type" not in value:
            raise InvalidData("event", "expected an object with a type")
        rest = {k: v for k, v in value.items() if k != "type"}
        if value["type"] == "stage_change":
            return conv.structure(rest, StageChange)
        if value["type"] == "fact_change":
            if set(rest) != {"fact", "value", "at", "actor", "source"}:
                raise InvalidData("event", "a fact change has fact, value, at, actor and source")
            return FactChange(
                conv.structure(rest["fact"], str),
                structure_value(rest["value"]),
                conv.structure(rest["at"], dt.datetime),
                optional(rest["actor"], str),
                optional(rest["source"], str),
            )
        raise InvalidData("event.type", f"unknown event type {value['type']!r}")

    def unstructure_deal(deal: Deal) -> dict[str, Any]:
        return {
            "id": deal.id,
            "account": conv.unstructure(deal.account, Account),
            "amount": conv.unstructure(deal.amount, Money),
            "expected_close": None
            if deal.expected_close is None
            else deal.expected_close.isoformat(),
            "owner": deal.owner,
            "people": None if deal.people is None else conv.unstructure(deal.people, BuyingCenter),
            "competitors": [conv.unstructure(c, Competitor) for c in deal.competitors],
            "version": deal.version,
            "events": [unstructure_event(e) for e in deal.events],
        }

    def structure_deal(value: Any, _: type) -> Deal:
        keys = {"id", "account", "amount", "expected_close", "owner", "people", "competitors"}
        keys |= {"version", "events"}
        if not isinstance(value, dict) or set(value) != keys:
            raise InvalidData("deal", f"expected an object with {', '.join(sorted(keys))}")
        events = value["events"]
        if not isinstance(events, list):
            raise InvalidData("deal.events", "expected a list")
        version = conv.structure(value["version"], int)
        if version != len(events):
            raise InvalidData("deal.version", f"{version} but the log holds {len(events)} events")
        try:
            return replay_deal(value, events)
        except ReplayError as error:
            raise InvalidData("deal.events", str(error)) from None

    def replay_deal(value: dict[str, Any], events: list[Any]) -> Deal:
        return Deal.replay(
            conv.structure(value["id"], str),
            conv.structure(value["account"], Account),
            conv.structure(value["amount"], Money),
            [structure_event(e, DealEvent) for e in events],  # type: ignore[arg-type]
            expected_close=optional(value["expected_close"], dt.date),
            owner=optional(value["owner"], str),
            people=optional(value["people"], BuyingCenter),
            competitors=conv.structure(value["competitors"], tuple[Competitor, ...]),
        )

    conv.register_unstructure_hook(Deal, unstructure_deal)
    conv.register_structure_hook(Deal, structure_deal)

    if redact_personal:

        def redacting(cls: type) -> Any:
            omit = {name: override(omit=True) for name in _personal_fields(cls)}
            return make_dict_unstructure_fn(cls, conv, **omit)  # type: ignore[arg-type]

        conv.register_unstructure_hook_factory(lambda cls: bool(_personal_fields(cls)), redacting)


_VALUE_TYPES: dict[str, Any] = {
    "bool": bool,
    "int": int,
    "float": float,
    "decimal": Decimal,
    "money": Money,
    "date": dt.date,
    "datetime": dt.datetime,
    "text": str,
}


def _value_kind(value: FactValue) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int"
    if isinstance(value, float):
        return "float"
    if isinstance(value, Decimal):
        return "decimal"
    if isinstance(value, Money):
        return "money"
    if isinstance(value, dt.datetime):
        return "datetime"
    if isinstance(value, dt.date):
        return "date"
    return "text"


def make_converter(*, redact_personal: bool = False) -> cattrs.Converter:
    """A new converter with bigaccount's rules; ``redact_personal`` leaves personal data out."""
    conv = cattrs.Converter(forbid_extra_keys=True)
    configure_converter(conv, redact_personal=redact_personal)
    return conv


converter = make_converter()
"""The default converter (full data)."""

_redacting = make_converter(redact_personal=True)


def _format(exc: BaseException, type_: type | None) -> str:
    if isinstance(exc, (BigAccountError, ValueError, TypeError)) and str(exc):
        return str(exc)
    return cattrs.v.format_exception(exc, type_)


def dumps(obj: Any, *, redact: bool = False, indent: int | None = None) -> str:
    """Serialize *obj* (an attrs value of bigaccount) to versioned JSON.

    With ``redact=True`` every field marked as personal data is left out.
    """
    conv = _redacting if redact else converter
    document = {"schema": SCHEMA_VERSION, "type": type(obj).__name__, "data": conv.unstructure(obj)}
    return json.dumps(document, ensure_ascii=False, indent=indent)


def loads(text: str | bytes, cls: type[T]) -> T:
    """Load a value of type *cls* from JSON written by :func:`dumps`.

    Raises:
        InvalidData: the text is not such a document, or a value in it breaks a
            rule; the message names the path (``$.amount.currency``) and the problem.
    """
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidData("json", f"not valid JSON: {exc}") from None
    if not isinstance(document, dict) or set(document) != {"schema", "type", "data"}:
        raise InvalidData("json", "expected an object with schema, type and data")
    if document["schema"] != SCHEMA_VERSION:
        raise InvalidData("schema", f"version {document['schema']!r} is not supported")
    if document["type"] != cls.__name__:
        raise InvalidData("type", f"the document holds a {document['type']}, not a {cls.__name__}")
    try:
        return converter.structure(document["data"], cls)
    except BigAccountError:
        raise
    except (cattrs.BaseValidationError, ValueError, TypeError, KeyError) as exc:
        problems = cattrs.transform_error(exc, "$", _format)
        raise InvalidData("json", "; ".join(problems)) from None
