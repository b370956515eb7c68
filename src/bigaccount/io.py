"""Documents: bigaccount values as versioned JSON, with hostile input refused cleanly.

:func:`dumps` writes a value of a *document type* (:data:`DOCUMENT_TYPES`) as JSON and
:func:`loads` reads it back, equal to what was written. Anything else is refused:
:func:`dumps` refuses values that are not of a document type, and :func:`loads` raises
nothing but :class:`InvalidDocument` (an :class:`~bigaccount.errors.InvalidData`),
whatever the bytes it is given, naming the path of every bad field
(``$.events[3].at: a timezone-aware datetime is required …``) and quoting at most a short
excerpt of the input.

A document is ``{"schema": 2, "type": "<type name>", "data": {...}}``. The rules:

* Attrs values are objects keyed by field name; enums are their values; tuples are lists.
* A ``Decimal`` is a string, exact (``"0.35"``, ``"1E+2"``); an amount of
  :class:`~bigaccount.money.Money` is a plain decimal string (``"1200000.50"``). Floats
  are refused where a decimal belongs.
* A ``datetime`` is ISO 8601 with its UTC offset (the offset is kept, not a zone's
  name); one without an offset is refused. A ``date`` is ISO 8601.
* A :class:`~bigaccount.deal.Deal` is its fields and its log (``events``), each event
  tagged ``"stage_change"`` or ``"fact_change"``; a fact's value is tagged with its
  kind (``bool``, ``int``, ``float``, ``decimal``, ``money``, ``date``, ``datetime``,
  ``text``). Loading a deal replays its log, so a deal whose events do not follow its
  cycles cannot be loaded; a :class:`~bigaccount.track.Track` is replayed the same way.
* A :class:`~bigaccount.cycle.BulkReplay` writes its states and errors as lists (keys
  are text or whole numbers).
* Unknown keys are refused; ``loads(..., unknown="ignore")`` skips them, so that a
  document written by a later version that only added keys still loads.
* Duplicate keys, ``NaN`` and ``Infinity``, invalid UTF-8 and lone surrogates are
  refused. So is input beyond the limits (:data:`MAX_SIZE`, :data:`MAX_DEPTH`,
  :data:`MAX_DIGITS`, :data:`MAX_STRING`; each is a keyword of :func:`loads`), checked
  before parsing or while parsing, at a cost linear in the size of the input.
* :data:`SCHEMA_VERSION` is the layout written; :data:`READS` the layouts read. A
  schema 1 document (bigaccount 0.1) is upgraded as it is read.
* Fields marked as personal data (attrs metadata ``{"bigaccount.personal": True}``)
  are left out by ``dumps(value, redact=True)``.

>>> from bigaccount import Money
>>> from bigaccount.io import dumps, loads
>>> text = dumps(Money("12.50", "CNY"))
>>> text
'{"schema": 2, "type": "Money", "data": {"amount": "12.50", "currency": "CNY"}}'
>>> loads(text, Money)
Money(amount=Decimal('12.50'), currency='CNY')
>>> loads('{"schema": 2, "type": "Money", "data": {"amount": 0.1, "currency": "元"}}', Money)
Traceback (most recent call last):
...
bigaccount.io.InvalidDocument: 2 problems: $.amount: 0.1 is a float; ...; $.currency: ...
"""

from __future__ import annotations

import datetime as dt
import enum
import gc
import heapq
import inspect
import re
import sys
import types
import typing
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any, Literal, NoReturn, TypeVar

import attrs
import cattrs
from cattrs.errors import (
    AttributeValidationNote,
    ClassValidationError,
    ForbiddenExtraKeysError,
    IterableValidationError,
    IterableValidationNote,
)
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override

from . import _json
from ._validate import flag, optional_whole
from .catalogues import Catalogue, Entry, Group
from .cycle import BulkReplay
from .deal import Account, Deal, DealEvent
from .errors import BigAccountError, InvalidData, InvalidDefinition, ReplayError
from .evidence import Fact, FactChange, FactValue, Snapshot
from .labels import Label
from .money import Currency, Money
from .people import BuyingCenter, Influence, PersonalProfile, Stakeholder
from .people_criteria import RelationshipThresholds
from .personal import PERSONAL
from .plan import (
    AccountPlan,
    AccountProfile,
    AccountStrategies,
    Competitor,
    CompetitorMove,
    CoverageItem,
    FinancialYear,
    HistoryEvent,
    InstalledBase,
    KeyAction,
    OrgPosition,
    PlanCompleteness,
    RoadmapStep,
    SupplierShare,
    ValueProposition,
)
from .registry import cycle_names, get_cycle
from .scoring.customer_type import CustomerSignals, CustomerTypeResult
from .scoring.fishnet import FishnetEdge, FishnetMap, FishnetNode
from .scoring.forces import FiveForces, ForceRating, ForcesResult
from .scoring.readiness import (
    FactorRatings,
    Reach,
    ReadinessResult,
    SellingAction,
    StrategyCost,
    SubjectReadiness,
)
from .scoring.relationship import (
    Coverage,
    CoverageCell,
    DecayPolicy,
    DecisionSupport,
    Depth,
    Gap,
    LevelWeights,
    RelationshipScores,
)
from .scoring.salesperson import SalesBehaviours, SalespersonResult
from .scoring.swot import (
    Adjustment,
    FactorScore,
    RatingScale,
    Swot,
    SwotFactor,
    SwotResult,
    TowsEntry,
    TowsLink,
    TowsMatrix,
)
from .segment import Segment
from .track import StageChange, Track

__all__ = [
    "DOCUMENT_TYPES",
    "MAX_DEPTH",
    "MAX_DIGITS",
    "MAX_SIZE",
    "MAX_STRING",
    "PERSONAL",
    "READS",
    "SCHEMA_VERSION",
    "InvalidDocument",
    "Unknown",
    "configure_converter",
    "converter",
    "dumps",
    "loads",
    "loads_many",
    "make_converter",
]

SCHEMA_VERSION = 2
"""The layout :func:`dumps` writes.

It changes when a document of the new layout would be misread by the version before:
a key renamed, removed or given another meaning. A key added with a default does not
change it (older versions read such documents with ``unknown="ignore"``).
"""

READS = (1, 2)
"""The layouts :func:`loads` reads: 1 (bigaccount 0.1, upgraded as it is read) and 2."""

MAX_SIZE = 8 * 1024 * 1024
"""The default limit of a document: characters of text, or bytes (8 MiB)."""

MAX_DEPTH = 32
"""The default limit of nesting: objects and lists inside each other (a deal needs 6)."""

MAX_DIGITS = 40
"""The default limit of a number's length, sign left out: digits of a whole number."""

MAX_STRING = 100_000
"""The default limit of one string (a key or a value), in characters."""

Unknown = Literal["forbid", "ignore"]
"""What :func:`loads` does with a key it does not know: refuse it, or skip it."""

T = TypeVar("T")

_DOCUMENTS: tuple[type, ...] = (
    Money,
    Currency,
    Label,
    Account,
    Deal,
    Track,
    StageChange,
    FactChange,
    Fact,
    Snapshot,
    BulkReplay,
    Stakeholder,
    PersonalProfile,
    Influence,
    BuyingCenter,
    AccountPlan,
    AccountProfile,
    AccountStrategies,
    Competitor,
    CompetitorMove,
    CoverageItem,
    FinancialYear,
    HistoryEvent,
    InstalledBase,
    KeyAction,
    OrgPosition,
    PlanCompleteness,
    RoadmapStep,
    SupplierShare,
    ValueProposition,
    CustomerSignals,
    CustomerTypeResult,
    FishnetEdge,
    FishnetMap,
    FishnetNode,
    FiveForces,
    ForceRating,
    ForcesResult,
    FactorRatings,
    Reach,
    ReadinessResult,
    SellingAction,
    StrategyCost,
    SubjectReadiness,
    Coverage,
    CoverageCell,
    DecayPolicy,
    DecisionSupport,
    Depth,
    Gap,
    LevelWeights,
    RelationshipScores,
    RelationshipThresholds,
    SalesBehaviours,
    SalespersonResult,
    Adjustment,
    FactorScore,
    RatingScale,
    Swot,
    SwotFactor,
    SwotResult,
    TowsEntry,
    TowsLink,
    TowsMatrix,
    Catalogue,
    Entry,
    Group,
)

DOCUMENT_TYPES: Mapping[str, type] = types.MappingProxyType({c.__name__: c for c in _DOCUMENTS})
"""Every type :func:`dumps` writes and :func:`loads` reads, by the name a document gives."""

if len(DOCUMENT_TYPES) != len(_DOCUMENTS):  # pragma: no cover - a programming error
    raise InvalidDefinition("bigaccount.io", "two document types share a name")
_NAMES = {c: c.__name__ for c in _DOCUMENTS}

_NOT_DOCUMENTS = {
    "Cycle": "a cycle is a declaration, not a document in this version; store the cycle's name",
    "Stage": "a stage belongs to its cycle's declaration; store the cycle's name and the stage id",
    "Route": "a route belongs to its cycle's declaration",
    "Transition": "a transition is compiled from its cycle's declaration",
    "TransitionTable": "a table is compiled from its cycle's declaration",
    "Guidance": "guidance belongs to its cycle's declaration",
    "Step": "a step belongs to its cycle's declaration",
    "SuccessMarker": "a success marker belongs to its cycle's declaration",
    "Criterion": "a criterion holds a function; store its id",
    "AtLeast": "a gate holds criteria, which hold functions",
    "BySegment": "a gate holds criteria, which hold functions",
    "GateReport": "a report holds criteria (functions); store the StageChange, whose criteria "
    "and unmet ids say the same, or report.explain()",
    "MoveCheck": "a check holds gate reports, which hold criteria (functions)",
    "Context": "a context holds a clock (a function) and the settings of one evaluation",
    "AlignmentReport": "it holds stages of its value chain's cycles (declarations); store the"
    " deal and check_alignment(deal) again",
    "AlignedStages": "a column of a value chain holds stages of its cycles (declarations)",
    "ValueChain": "a value chain is a declaration of cycles",
}


class InvalidDocument(InvalidData):
    """Text that is not a valid document of the type asked for.

    ``problems`` lists every ``(path, problem)`` found: paths start at the document's
    data (``$.events[3].at``), or name the part of the document at fault
    (``document``, ``schema``, ``type``). ``field`` and ``problem`` are the first pair.
    The message quotes at most a short excerpt of the input.
    """

    shown = 10
    """How many problems the message lists (``problems`` holds all of them)."""

    def __init__(self, problems: Sequence[tuple[str, str]]) -> None:
        self.problems: tuple[tuple[str, str], ...] = tuple(problems) or (("document", "not valid"),)
        super().__init__(*self.problems[0])
        if len(self.problems) > 1:
            listed = "; ".join(f"{p}: {m}" for p, m in self.problems[: self.shown])
            more = len(self.problems) - self.shown
            tail = f"; and {more} more" if more > 0 else ""
            self.args = (f"{len(self.problems)} problems: {listed}{tail}",)


# -- problems and their paths ----------------------------------------------------------

_MESSAGE = 200
"""A problem's text is cut to this many characters (some quote the value at fault)."""


class _Problem(ValueError):
    """A JSON value of the wrong kind or form; the message says what was expected."""


class _Located(Exception):
    """Problems found below one value, with their paths relative to it."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        super().__init__(problems)
        self.problems = problems


def _expected(what: str, value: object) -> _Problem:
    return _Problem(f"expected {what}, got {_json.excerpt(value)}")


_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,39}\Z")


def _key_path(key: str) -> str:
    return f".{key}" if _IDENTIFIER.match(key) else f"[{_json.excerpt(key, 20)}]"


def _clip(message: str) -> str:
    return message if len(message) <= _MESSAGE else message[: _MESSAGE - 1] + "…"


def _last_note(exc: BaseException) -> object:
    notes = getattr(exc, "__notes__", None)
    return notes[-1] if notes else None


def _collect(exc: BaseException, path: str, out: list[tuple[str, str]], cl: Any = None) -> None:
    """Every problem of *exc* (a cattrs error tree, or a leaf) as ``(path, problem)``."""
    if isinstance(exc, _Located):
        out.extend((path + p, m) for p, m in exc.problems)
    elif isinstance(exc, (ClassValidationError, IterableValidationError)):
        owner = exc.cl if isinstance(exc, ClassValidationError) else None
        for sub in exc.exceptions:
            note = _last_note(sub)
            if isinstance(note, AttributeValidationNote):
                _collect(sub, f"{path}.{note.name}", out)
            elif isinstance(note, IterableValidationNote):
                _collect(sub, f"{path}[{note.index}]", out)
            else:
                _collect(sub, path, out, owner)
    elif isinstance(exc, InvalidData):
        name = exc.field.rsplit(".", 1)[-1]
        if cl is not None and attrs.has(cl) and name in attrs.fields_dict(cl):
            out.append((f"{path}.{name}", _clip(exc.problem)))
        else:
            out.append((path, _clip(str(exc))))
    elif isinstance(exc, ForbiddenExtraKeysError):
        out.extend((path + _key_path(k), "unknown key") for k in sorted(exc.extra_fields))
    elif isinstance(exc, (_Problem, BigAccountError)):
        out.append((path, _clip(str(exc))))
    elif isinstance(exc, KeyError):
        out.append((path, "required key missing"))
    else:
        out.append((path, _clip(f"{type(exc).__name__}: {exc}")))


def _problems(exc: BaseException, path: str = "") -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    _collect(exc, path, out)
    return out


class _Fields:
    """The keys of one JSON object read by a hand-written hook, keeping every problem."""

    __slots__ = ("obj", "problems")

    def __init__(
        self, value: Any, required: Iterable[str], optional: Iterable[str], forbid: bool
    ) -> None:
        if type(value) is not dict:
            raise _expected("an object", value)
        self.obj: dict[str, Any] = value
        self.problems: list[tuple[str, str]] = [
            (f".{k}", "required key missing") for k in required if k not in value
        ]
        if forbid:
            known = {*required, *optional}
            self.problems += [(_key_path(k), "unknown key") for k in value if k not in known]

    def get(self, key: str, hook: Callable[[Any, Any], Any], kind: Any, default: Any = None) -> Any:
        """The value of *key* structured by *hook*, or *default* when missing or bad."""
        if key not in self.obj:
            return default
        try:
            return hook(self.obj[key], kind)
        except Exception as exc:
            _collect(exc, f".{key}", self.problems)
            return default

    def done(self) -> None:
        """Raise the problems found, if any."""
        if self.problems:
            raise _Located(self.problems)


# -- plain values ----------------------------------------------------------------------

_NONE = type(None)
_INT_LIMIT = 10**MAX_DIGITS
_DECIMAL = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?\Z", re.ASCII)


def _structure_str(value: Any, _: Any) -> str:
    if type(value) is str:
        return value
    raise _expected("text", value)


def _structure_optional_str(value: Any, _: Any) -> str | None:
    if value is None or type(value) is str:
        return value
    raise _expected("text or null", value)


def _structure_name(value: Any, _: Any) -> str:
    """Text that names something (a cycle, a stage, a fact), shared between documents."""
    if type(value) is str:
        return sys.intern(value)
    raise _expected("text", value)


def _interned(value: Any) -> Any:
    return sys.intern(value) if type(value) is str else value


_NAMES_OF: dict[type, tuple[str, ...]] = {
    StageChange: ("cycle", "source", "dest", "trigger", "criteria", "unmet"),
}
"""Fields that name things: loading many documents keeps one copy of each name."""


def _structure_bool(value: Any, _: Any) -> bool:
    if type(value) is bool:
        return value
    raise _expected("true or false", value)


def _structure_int(value: Any, _: Any) -> int:
    if type(value) is int:
        return value
    raise _expected("a whole number", value)


def _structure_float(value: Any, _: Any) -> float:
    kind = type(value)
    if kind is float:
        return value  # type: ignore[no-any-return]
    if kind is int:
        return float(value)
    raise _expected("a number", value)


def _structure_decimal(value: Any, _: Any) -> Decimal:
    kind = type(value)
    if kind is str and _DECIMAL.match(value):
        try:
            return Decimal(value)
        except InvalidOperation:
            raise _Problem(f"{_json.excerpt(value)} is out of range") from None
    if kind is int:
        return Decimal(value)
    if kind is float:
        raise _Problem(f'{value!r} is a float; write decimals as strings, e.g. "0.35"')
    raise _expected("a decimal number as a string", value)


def _structure_datetime(value: Any, _: Any) -> dt.datetime:
    if type(value) is not str:
        raise _expected("an ISO 8601 date and time", value)
    try:
        result = dt.datetime.fromisoformat(value)
    except ValueError:
        raise _Problem(f"{_json.excerpt(value)} is not an ISO 8601 date and time") from None
    if result.utcoffset() is None:
        raise _Problem(f"{_json.excerpt(value)} has no timezone; write its offset, e.g. +08:00")
    return result


def _structure_date(value: Any, _: Any) -> dt.date:
    if type(value) is not str:
        raise _expected("an ISO 8601 date", value)
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise _Problem(f"{_json.excerpt(value)} is not an ISO 8601 date") from None


def _money_slowly(value: Any, forbid: bool) -> Money:
    fields = _Fields(value, ("amount", "currency"), (), forbid)
    fields.done()
    amount, currency = value["amount"], value["currency"]
    problems: list[tuple[str, str]] = []
    if type(amount) is float:
        problems.append((".amount", f"{amount!r} is a float; write amounts as strings"))
    try:
        Money("0", currency)
    except InvalidData as error:
        problems.append((".currency", _clip(error.problem)))
    if problems:
        raise _Located(problems)
    try:
        return Money(amount, currency)
    except InvalidData as error:
        raise _Located([(".amount", _clip(error.problem))]) from None


def _unstructure_int(value: int) -> int:
    if -_INT_LIMIT < value < _INT_LIMIT:
        return value
    raise InvalidData("int", f"a whole number of more than {MAX_DIGITS} digits is not stored")


def _unstructure_decimal(value: Decimal) -> str:
    if value.is_finite():
        return str(value)
    raise InvalidData("decimal", f"{value} is not a finite number")


def _unstructure_datetime(value: dt.datetime) -> str:
    if value.utcoffset() is None:
        raise InvalidData("datetime", f"{value.isoformat()} has no timezone")
    return value.isoformat()


def _unstructure_money(value: Money) -> dict[str, str]:
    return {"amount": f"{value.amount:f}", "currency": value.currency}


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


# -- the type tests of hook factories --------------------------------------------------


def _is_union(kind: Any) -> bool:
    return typing.get_origin(kind) in (typing.Union, types.UnionType)


def _is_optional(kind: Any) -> bool:
    args = typing.get_args(kind)
    return _is_union(kind) and len(args) == 2 and _NONE in args


def _is_sequence(kind: Any) -> bool:
    return typing.get_origin(kind) in (tuple, list)


def _is_enum(kind: Any) -> bool:
    return isinstance(kind, type) and issubclass(kind, enum.Enum)


def _is_native(kind: Any) -> bool:
    """Whether a JSON value of the field is already the Python value (text, numbers, enums)."""
    if kind in (str, int, float, bool, _NONE) or _is_enum(kind):
        return True
    return _is_union(kind) and all(_is_native(a) for a in typing.get_args(kind))


def _personal_fields(cls: type) -> list[str]:
    if not attrs.has(cls):
        return []
    return [a.name for a in attrs.fields(cls) if a.metadata.get(PERSONAL)]


# -- the converter ---------------------------------------------------------------------


def configure_converter(
    conv: cattrs.Converter, *, redact_personal: bool = False, unknown: Unknown = "forbid"
) -> None:
    """Register bigaccount's rules on *conv* (the module docstring lists them).

    Attrs classes are structured by hooks generated once per class
    (:func:`cattrs.gen.make_dict_structure_fn`), twice: a plain one, and one that names
    every bad field, run only when the plain one fails. A field whose class converts its
    own JSON-native value (text, number, enum) gets the JSON value as it is, so that it
    is checked once, by the class. Sequences, optional values and enums get one hook
    each that resolves its item's hook once.

    Args:
        conv: the converter to configure.
        redact_personal: leave fields marked as personal data out when unstructuring.
        unknown: ``"forbid"`` refuses keys no field has; ``"ignore"`` skips them.
    """
    if not isinstance(conv, cattrs.BaseConverter):
        raise InvalidData("conv", f"expected a cattrs Converter, got {_json.excerpt(conv)}")
    flag(redact_personal, "redact_personal")
    if unknown not in ("forbid", "ignore"):
        raise InvalidData("unknown", f"expected 'forbid' or 'ignore', got {unknown!r}")
    forbid = unknown == "forbid"
    structure_hook = conv.get_structure_hook
    if redact_personal:  # first: the hooks resolved below must see it

        def redacting(cls: type) -> Any:
            omit = {name: override(omit=True) for name in _personal_fields(cls)}
            return make_dict_unstructure_fn(cls, conv, **omit)  # type: ignore[arg-type]

        conv.register_unstructure_hook_factory(lambda cls: bool(_personal_fields(cls)), redacting)

    for kind, hook in (
        (str, _structure_str),
        (bool, _structure_bool),
        (int, _structure_int),
        (float, _structure_float),
        (Decimal, _structure_decimal),
        (dt.datetime, _structure_datetime),
        (dt.date, _structure_date),
    ):
        conv.register_structure_hook(kind, hook)
    conv.register_unstructure_hook(int, _unstructure_int)
    conv.register_unstructure_hook(Decimal, _unstructure_decimal)
    conv.register_unstructure_hook(dt.datetime, _unstructure_datetime)
    conv.register_unstructure_hook(dt.date, dt.date.isoformat)
    conv.register_unstructure_hook(Money, _unstructure_money)

    def money(value: Any, _: Any) -> Money:
        if type(value) is dict and len(value) == 2:
            try:
                return Money(value["amount"], _interned(value["currency"]))
            except (KeyError, InvalidData):
                pass
        return _money_slowly(value, forbid)

    conv.register_structure_hook(Money, money)

    def enum_hook(cls: type[enum.Enum]) -> Callable[[Any, Any], Any]:
        members = {m.value: m for m in cls}
        known = ", ".join(str(v) for v in members)

        def structure(value: Any, _: Any) -> Any:
            try:
                member = members.get(value)
            except TypeError:
                member = None
            if member is not None and type(value) is type(member.value):
                return member
            raise _Problem(f"unknown value {_json.excerpt(value)}; expected one of: {known}")

        return structure

    def optional_hook(kind: Any) -> Callable[[Any, Any], Any]:
        inner_kind = next(a for a in typing.get_args(kind) if a is not _NONE)
        if inner_kind is str:
            return _structure_optional_str
        inner = structure_hook(inner_kind)

        def structure(value: Any, _: Any) -> Any:
            return None if value is None else inner(value, inner_kind)

        return structure

    def sequence_hook(kind: Any) -> Callable[[Any, Any], Any]:
        args = typing.get_args(kind)
        as_tuple = typing.get_origin(kind) is tuple
        if not as_tuple or (len(args) == 2 and args[1] is Ellipsis):
            item_kind = args[0]
            item = structure_hook(item_kind)

            def variadic(value: Any, _: Any) -> Any:
                if type(value) is not list:
                    raise _expected("a list", value)
                try:
                    items = [item(v, item_kind) for v in value]
                except Exception:
                    _item_problems(value, [(item, item_kind)] * len(value))
                return tuple(items) if as_tuple else items

            return variadic
        hooks = [(structure_hook(a), a) for a in args]

        def fixed(value: Any, _: Any) -> Any:
            if type(value) is not list or len(value) != len(hooks):
                raise _expected(f"a list of {len(hooks)} items", value)
            try:
                return tuple(h(v, a) for v, (h, a) in zip(value, hooks, strict=True))
            except Exception:
                _item_problems(value, hooks)

        return fixed

    def class_hook(cls: type) -> Callable[[Any, Any], Any]:
        hints = typing.get_type_hints(cls)
        overrides = {
            a.name: override(struct_hook=structure_hook(hints[a.name]))
            for a in attrs.fields(cls)
            if a.init and a.converter is not None and not _is_native(hints[a.name])
        }
        for name in _NAMES_OF.get(cls, ()):
            overrides[name] = override(struct_hook=names_hook(hints[name]))

        def generate(detail: bool) -> Callable[[Any, Any], Any]:
            hook: Callable[[Any, Any], Any] = make_dict_structure_fn(
                cls,
                conv,
                _cattrs_forbid_extra_keys=forbid,
                _cattrs_prefer_attrib_converters=True,
                _cattrs_detailed_validation=detail,
                **overrides,  # type: ignore[arg-type]
            )
            return hook

        fast = generate(False)
        detailed: list[Callable[[Any, Any], Any]] = []  # generated when first needed

        def structure(value: Any, _: Any) -> Any:
            if type(value) is not dict:
                raise _expected("an object", value)
            try:
                return fast(value, cls)
            except Exception:  # read it again, naming every problem
                if not detailed:
                    detailed.append(generate(True))
                return detailed[0](value, cls)

        return structure

    names = sequence_hook(tuple[str, ...])

    def names_hook(kind: Any) -> Callable[[Any, Any], Any]:
        if kind is str:
            return _structure_name
        if kind == str | None:

            def optional(value: Any, _: Any) -> Any:
                return None if value is None else _structure_name(value, str)

            return optional
        if kind == tuple[str, ...]:

            def many(value: Any, _: Any) -> Any:
                return tuple(map(sys.intern, names(value, kind)))

            return many
        return structure_hook(kind)  # pragma: no cover - every name field is one of the above

    conv.register_structure_hook_factory(attrs.has, class_hook)
    conv.register_structure_hook_factory(_is_enum, enum_hook)
    conv.register_structure_hook_factory(_is_sequence, sequence_hook)
    conv.register_structure_hook_factory(_is_optional, optional_hook)

    fact_change = _configure_values(conv, forbid)
    _configure_deals(conv, forbid, fact_change)
    _configure_reports(conv, forbid)


def _item_problems(
    value: list[Any], hooks: Sequence[tuple[Callable[[Any, Any], Any], Any]]
) -> NoReturn:
    problems: list[tuple[str, str]] = []
    for index, (item, (hook, kind)) in enumerate(zip(value, hooks, strict=True)):
        try:
            hook(item, kind)
        except Exception as exc:
            _collect(exc, f"[{index}]", problems)
    raise _Located(problems or [("", "a list item is not valid")])


def _configure_values(conv: cattrs.Converter, forbid: bool) -> Callable[..., FactChange]:
    """Fact values (tagged with their kind), facts, fact changes and evidence snapshots."""
    hooks = {kind: conv.get_structure_hook(target) for kind, target in _VALUE_TYPES.items()}
    unstructure_money = _unstructure_money

    def structure_value(value: Any, _: Any) -> FactValue | None:
        if value is None:
            return None
        if type(value) is dict and len(value) == 2:
            kind = value.get("kind")
            hook = hooks.get(kind) if type(kind) is str else None
            if hook is not None and "value" in value:
                try:
                    result: FactValue = hook(value["value"], _VALUE_TYPES[kind])  # type: ignore[index]
                except Exception as exc:
                    raise _Located(_problems(exc, ".value")) from None
                return result
        fields = _Fields(value, ("kind", "value"), (), forbid)
        kind = value.get("kind")
        if "kind" in value and (type(kind) is not str or kind not in hooks):
            known = ", ".join(_VALUE_TYPES)
            fields.problems.append(
                (".kind", f"unknown kind {_json.excerpt(kind)}; expected one of: {known}")
            )
        fields.done()
        return fields.get("value", hooks[kind], _VALUE_TYPES[kind])  # type: ignore[no-any-return]

    def unstructure_value(value: FactValue | None) -> Any:
        if value is None:
            return None
        kind = _value_kind(value)
        if kind == "money":
            data: Any = unstructure_money(value)  # type: ignore[arg-type]
        elif kind in ("date", "datetime", "decimal", "int"):
            data = conv.unstructure(value)
        else:
            data = value
        return {"kind": kind, "value": data}

    datetime_hook = conv.get_structure_hook(dt.datetime)
    optional_datetime = conv.get_structure_hook(dt.datetime | None)
    change_keys = ("fact", "value", "at", "actor", "source")

    def structure_change(value: Any, _: Any, tagged: bool = False) -> FactChange:
        if type(value) is dict and len(value) == 5 + tagged:
            try:
                return FactChange(
                    _interned(value["fact"]),
                    structure_value(value["value"], None),
                    datetime_hook(value["at"], None),
                    value["actor"],
                    value["source"],
                )
            except Exception:  # read it again, slowly, naming every problem
                pass
        optional = ("type",) if tagged else ()
        fields = _Fields(value, change_keys, optional, forbid)
        args = (
            fields.get("fact", _interned_field, None),
            fields.get("value", structure_value, None),
            fields.get("at", datetime_hook, None),
            fields.get("actor", _same, None),
            fields.get("source", _same, None),
        )
        fields.done()
        try:
            return FactChange(*args)
        except Exception as exc:
            raise _Located(_problems_of(exc, FactChange)) from None

    def unstructure_change(event: FactChange) -> dict[str, Any]:
        return {
            "fact": event.fact,
            "value": unstructure_value(event.value),
            "at": _unstructure_datetime(event.at),
            "actor": event.actor,
            "source": event.source,
        }

    conv.register_structure_hook(FactChange, structure_change)
    conv.register_unstructure_hook(FactChange, unstructure_change)

    def structure_fact(value: Any, _: Any) -> Fact:
        fields = _Fields(value, ("id", "value"), ("at", "by", "source"), forbid)
        fact_id = fields.get("id", _interned_field, None)
        held = fields.get("value", structure_value, None)
        at = fields.get("at", optional_datetime, None)
        by = fields.get("by", _same, None)
        source = fields.get("source", _same, None)
        if "value" in value and value["value"] is None:
            fields.problems.append((".value", "a fact holds a value (null is a retraction)"))
        fields.done()
        try:
            return Fact(fact_id, held, at=at, by=by, source=source)
        except Exception as exc:
            raise _Located(_problems_of(exc, Fact)) from None

    def unstructure_fact(fact: Fact) -> dict[str, Any]:
        return {
            "id": fact.id,
            "value": unstructure_value(fact.value),
            "at": None if fact.at is None else _unstructure_datetime(fact.at),
            "by": fact.by,
            "source": fact.source,
        }

    conv.register_structure_hook(Fact, structure_fact)
    conv.register_unstructure_hook(Fact, unstructure_fact)

    facts_hook = conv.get_structure_hook(tuple[Fact, ...])
    segment_hook = conv.get_structure_hook(Segment | None)
    people_hook = conv.get_structure_hook(BuyingCenter | None)
    competitors_hook = conv.get_structure_hook(tuple[Competitor, ...])

    def structure_snapshot(value: Any, _: Any) -> Snapshot:
        fields = _Fields(value, ("facts",), ("segment", "people", "competitors"), forbid)
        facts = fields.get("facts", facts_hook, None)
        segment = fields.get("segment", segment_hook, None)
        people = fields.get("people", people_hook, None)
        competitors = fields.get("competitors", competitors_hook, ())
        if facts is not None:
            seen: set[str] = set()
            for index, fact in enumerate(facts):
                if fact.id in seen:
                    fields.problems.append((f".facts[{index}].id", f"fact {fact.id!r} repeated"))
                seen.add(fact.id)
        fields.done()
        return Snapshot({f.id: f for f in facts}, segment, people, competitors)

    def unstructure_snapshot(snapshot: Snapshot) -> dict[str, Any]:
        if snapshot.people is not None and type(snapshot.people) is not BuyingCenter:
            raise InvalidData("Snapshot.people", "only a BuyingCenter (or None) is stored")
        for item in snapshot.competitors:
            if type(item) is not Competitor:
                raise InvalidData("Snapshot.competitors", "only Competitor values are stored")
        return {
            "facts": [unstructure_fact(f) for f in snapshot.facts.values()],
            "segment": None if snapshot.segment is None else snapshot.segment.value,
            "people": None if snapshot.people is None else conv.unstructure(snapshot.people),
            "competitors": [conv.unstructure(c, Competitor) for c in snapshot.competitors],
        }

    conv.register_structure_hook(Snapshot, structure_snapshot)
    conv.register_unstructure_hook(Snapshot, unstructure_snapshot)
    return structure_change


def _same(value: Any, _: Any) -> Any:
    return value


def _interned_field(value: Any, _: Any) -> Any:
    return _interned(value)


def _problems_of(exc: BaseException, cls: type) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    _collect(exc, "", out, cls)
    return out


_STAGE_CHANGE = "stage_change"
_FACT_CHANGE = "fact_change"


_ACCOUNT_OPTIONAL = ("industry", "id")
"""An account's optional texts: blank in documents of earlier versions, read as ``None``
(an :class:`~bigaccount.deal.Account` refuses blank text, which says nothing)."""


def _configure_deals(
    conv: cattrs.Converter, forbid: bool, fact_change: Callable[..., FactChange]
) -> None:
    """Stage changes, tracks and deals (read by replaying their log)."""
    generated_account = conv.get_structure_hook(Account)

    def structure_account(value: Any, _: Any) -> Account:
        if type(value) is dict:
            blank = [
                k for k in _ACCOUNT_OPTIONAL if type(value.get(k)) is str and not value[k].strip()
            ]
            if blank:
                value = {**value, **dict.fromkeys(blank)}
        result: Account = generated_account(value, Account)
        return result

    conv.register_structure_hook(Account, structure_account)
    stage_change = conv.get_structure_hook(StageChange)
    unstructure_stage = conv.get_unstructure_hook(StageChange)
    unstructure_fact = conv.get_unstructure_hook(FactChange)

    def structure_event(value: Any, _: Any) -> DealEvent:
        kind = value.get("type") if type(value) is dict else None
        if kind == _STAGE_CHANGE:
            rest = dict(value)
            del rest["type"]
            try:
                result: DealEvent = stage_change(rest, StageChange)
            except Exception as exc:
                raise _Located(_problems(exc)) from None
            return result
        if kind == _FACT_CHANGE:
            return fact_change(value, FactChange, True)
        if type(value) is not dict:
            raise _expected("an object", value)
        if "type" not in value:
            raise _Located([(".type", "required key missing")])
        raise _Located(
            [
                (
                    ".type",
                    f"unknown event type {_json.excerpt(kind)}; expected stage_change or"
                    " fact_change",
                )
            ]
        )

    def unstructure_event(event: DealEvent) -> dict[str, Any]:
        if type(event) is FactChange:
            return {"type": _FACT_CHANGE, **unstructure_fact(event)}
        return {"type": _STAGE_CHANGE, **unstructure_stage(event)}

    events_hook = _sequence_of(structure_event)
    stage_changes = conv.get_structure_hook(list[StageChange])

    def structure_track(value: Any, _: Any) -> Track:
        fields = _Fields(value, ("cycle", "state", "events"), (), forbid)
        name = fields.get("cycle", _structure_str, str)
        state = fields.get("state", _structure_str, str)
        events = fields.get("events", stage_changes, None)
        cycle = _registered(name, ".cycle", fields.problems)
        fields.done()
        try:
            track = cycle.replay(events)
        except ReplayError as error:
            raise _Located([(f".events[{i}]", _clip(p)) for i, p in error.problems]) from None
        if track.state != state:
            raise _Located(
                [
                    (
                        ".state",
                        f"{_json.excerpt(state)} does not follow from the events (they lead"
                        f" to {track.state!r})",
                    )
                ]
            )
        result: Track = track
        return result

    def unstructure_track(track: Track) -> dict[str, Any]:
        return {
            "cycle": track.cycle,
            "state": track.state,
            "events": [unstructure_stage(e) for e in track.history],
        }

    conv.register_structure_hook(Track, structure_track)
    conv.register_unstructure_hook(Track, unstructure_track)

    account_hook = conv.get_structure_hook(Account)
    money_hook = conv.get_structure_hook(Money)
    date_hook = conv.get_structure_hook(dt.date | None)
    optional_str = conv.get_structure_hook(str | None)
    people_hook = conv.get_structure_hook(BuyingCenter | None)
    competitors_hook = conv.get_structure_hook(tuple[Competitor, ...])
    unstructure_account = conv.get_unstructure_hook(Account)
    unstructure_people = conv.get_unstructure_hook(BuyingCenter)
    unstructure_competitor = conv.get_unstructure_hook(Competitor)
    required = ("id", "account", "amount", "version", "events")
    optional = ("expected_close", "owner", "people", "competitors")

    def structure_deal(value: Any, _: Any) -> Deal:
        fields = _Fields(value, required, optional, forbid)
        deal_id = fields.get("id", _structure_str, str)
        account = fields.get("account", account_hook, Account)
        amount = fields.get("amount", money_hook, Money)
        expected_close = fields.get("expected_close", date_hook, None)
        owner = fields.get("owner", optional_str, None)
        people = fields.get("people", people_hook, None)
        competitors = fields.get("competitors", competitors_hook, ())
        version = fields.get("version", _structure_int, int)
        events = fields.get("events", events_hook, None)
        if events is not None:
            if version is not None and version != len(events):
                fields.problems.append(
                    (".version", f"{version} but the log holds {len(events)} events")
                )
            first: dict[str, int] = {}
            for index, event in enumerate(events):
                if type(event) is StageChange and event.cycle not in first:
                    first[event.cycle] = index
            for name, index in first.items():
                _registered(name, f".events[{index}].cycle", fields.problems)
        fields.done()
        return _replay(
            deal_id,
            account,
            amount,
            events,
            expected_close=expected_close,
            owner=owner,
            people=people,
            competitors=competitors,
        )

    def unstructure_deal(deal: Deal) -> dict[str, Any]:
        events = deal.events
        people = deal.people
        return {
            "id": deal.id,
            "account": unstructure_account(deal.account),
            "amount": _unstructure_money(deal.amount),
            "expected_close": None
            if deal.expected_close is None
            else deal.expected_close.isoformat(),
            "owner": deal.owner,
            "people": None if people is None else unstructure_people(people),
            "competitors": [unstructure_competitor(c) for c in deal.competitors],
            "version": len(events),
            "events": [unstructure_event(e) for e in events],
        }

    conv.register_structure_hook(Deal, structure_deal)
    conv.register_unstructure_hook(Deal, unstructure_deal)


def _sequence_of(hook: Callable[[Any, Any], Any]) -> Callable[[Any, Any], list[Any]]:
    def structure(value: Any, _: Any) -> list[Any]:
        if type(value) is not list:
            raise _expected("a list", value)
        try:
            return [hook(v, None) for v in value]
        except Exception:
            _item_problems(value, [(hook, None)] * len(value))

    return structure


def _registered(name: Any, path: str, problems: list[tuple[str, str]]) -> Any:
    """The cycle registered as *name*, or ``None`` with the problem noted."""
    if type(name) is not str:
        return None  # noted where the name was read
    try:
        return get_cycle(name)
    except BigAccountError:
        known = ", ".join(cycle_names())
        problems.append((path, f"unknown cycle {_json.excerpt(name)}; known: {known}"))
        return None


def _replay(deal_id: Any, account: Any, amount: Any, events: Any, **fields: Any) -> Deal:
    try:
        return Deal.replay(deal_id, account, amount, events, **fields)
    except ReplayError as error:
        raise _Located([(f".events[{i}]", _clip(p)) for i, p in error.problems]) from None
    except InvalidData as error:
        raise _Located(_problems_of(error, Deal)) from None


def _configure_reports(conv: cattrs.Converter, forbid: bool) -> None:
    """Bulk replays: states and errors as lists, keyed by text or whole numbers."""
    int_hook = conv.get_structure_hook(int)

    def key(value: Any) -> Any:
        if type(value) in (str, int):
            return value
        raise _expected("a key as text or a whole number", value)

    def structure_bulk(value: Any, _: Any) -> BulkReplay:
        fields = _Fields(value, ("states", "errors", "rows"), ("entered",), forbid)
        states = fields.get("states", _pairs_of(key, _structure_str), None)
        errors = fields.get("errors", _rows_of(key), None)
        rows = fields.get("rows", int_hook, int)
        entered = fields.get("entered", int_hook, int, 0)
        mapping = dict(states or ())
        if states is not None and len(mapping) != len(states):
            fields.problems.append((".states", "a key is repeated"))
        fields.done()
        return BulkReplay(mapping, errors, rows, entered)

    def unstructure_bulk(bulk: BulkReplay) -> dict[str, Any]:
        for k in bulk.states:
            _stored_key(k)
        for _, k, _ in bulk.errors:
            _stored_key(k)
        return {
            "states": [[k, s] for k, s in bulk.states.items()],
            "errors": [[_unstructure_int(i), k, p] for i, k, p in bulk.errors],
            "rows": _unstructure_int(bulk.rows),
            "entered": _unstructure_int(bulk.entered),
        }

    conv.register_structure_hook(BulkReplay, structure_bulk)
    conv.register_unstructure_hook(BulkReplay, unstructure_bulk)


def _stored_key(key: Any) -> None:
    if type(key) is int:
        _unstructure_int(key)
    elif type(key) is not str:
        raise InvalidData(
            "BulkReplay", f"a key must be text or a whole number to be stored, not {key!r:.40}"
        )


def _pairs_of(
    key: Callable[[Any], Any], state: Callable[[Any, Any], str]
) -> Callable[[Any, Any], list[tuple[Any, str]]]:
    def pair(value: Any, _: Any) -> tuple[Any, str]:
        if type(value) is not list or len(value) != 2:
            raise _expected("a [key, state] pair", value)
        return key(value[0]), state(value[1], str)

    return _sequence_of(pair)


def _rows_of(key: Callable[[Any], Any]) -> Callable[[Any, Any], tuple[tuple[int, Any, str], ...]]:
    def row(value: Any, _: Any) -> tuple[int, Any, str]:
        if type(value) is not list or len(value) != 3:
            raise _expected("a [row, key, problem] triple", value)
        return _structure_int(value[0], int), key(value[1]), _structure_str(value[2], str)

    rows = _sequence_of(row)

    def structure(value: Any, _: Any) -> tuple[tuple[int, Any, str], ...]:
        return tuple(rows(value, None))

    return structure


def make_converter(
    *, redact_personal: bool = False, unknown: Unknown = "forbid"
) -> cattrs.Converter:
    """A new converter with bigaccount's rules (see :func:`configure_converter`)."""
    flag(redact_personal, "redact_personal")
    conv = cattrs.Converter(detailed_validation=True, forbid_extra_keys=unknown == "forbid")
    configure_converter(conv, redact_personal=redact_personal, unknown=unknown)
    return conv


converter = make_converter()
"""The default converter: full data, unknown keys refused."""

_CONVERTERS: dict[tuple[str, bool], cattrs.Converter] = {("forbid", False): converter}


def _converter(unknown: str, redact: bool = False) -> cattrs.Converter | None:
    """The converter of *unknown* keys and redaction, built on first use (``None``: bad)."""
    try:
        found = _CONVERTERS.get((unknown, redact))
    except TypeError:  # unhashable: not one of the two
        return None
    if found is None and unknown in ("forbid", "ignore"):
        found = make_converter(unknown=unknown, redact_personal=redact)  # type: ignore[arg-type]
        _CONVERTERS[(unknown, redact)] = found
    return found


# -- schema 1: bigaccount 0.1 ----------------------------------------------------------

_V1_SOURCE = "schema 1"
"""The source of a fact upgraded from a schema 1 deal (0.1 kept no provenance)."""


def _deal_v1(conv: cattrs.Converter, value: Any, forbid: bool) -> Deal:
    """A deal of 0.1: fields, ``facts`` (id → bool) and ``tracks`` (name → track).

    Its stage changes become the log, merged in time order (each track keeps its own
    order); its facts follow them, established at the time of the last stage change
    (the latest moment the document vouches for) with source ``"schema 1"``.
    """
    fields = _Fields(
        value,
        ("id", "account", "amount"),
        ("expected_close", "facts", "tracks", "owner", "people", "competitors"),
        forbid,
    )
    deal_id = fields.get("id", _same, None)
    account = fields.get("account", conv.get_structure_hook(Account), Account)
    amount = fields.get("amount", conv.get_structure_hook(Money), Money)
    expected_close = fields.get("expected_close", conv.get_structure_hook(dt.date | None), None)
    owner = fields.get("owner", _same, None)
    people = fields.get("people", conv.get_structure_hook(BuyingCenter | None), None)
    competitors = fields.get("competitors", conv.get_structure_hook(tuple[Competitor, ...]), ())
    facts = fields.get("facts", _facts_v1, {}, {})
    tracks = fields.get("tracks", _tracks_v1(conv.get_structure_hook(Track)), {}, {})
    fields.done()
    histories = [tracks[name].history for name in sorted(tracks)]
    log: list[DealEvent] = list(heapq.merge(*histories, key=lambda e: e.at))
    if facts and not log:
        raise _Located(
            [(".facts", "a schema 1 deal with facts but no stage change gives no time for them")]
        )
    if facts:
        at = max(e.at for e in log)
        log += [FactChange(f, held, at, None, _V1_SOURCE) for f, held in facts.items()]
    return _replay(
        deal_id,
        account,
        amount,
        log,
        expected_close=expected_close,
        owner=owner,
        people=people,
        competitors=competitors,
    )


def _facts_v1(value: Any, _: Any) -> dict[str, bool]:
    if type(value) is not dict:
        raise _expected("an object of fact ids and true or false", value)
    problems = [
        (_key_path(k), f"expected true or false, got {_json.excerpt(v)}")
        for k, v in value.items()
        if type(v) is not bool
    ]
    if problems:
        raise _Located(problems)
    return value


def _tracks_v1(track_hook: Callable[[Any, Any], Track]) -> Callable[[Any, Any], dict[str, Track]]:
    def structure(value: Any, _: Any) -> dict[str, Track]:
        if type(value) is not dict:
            raise _expected("an object of tracks by cycle name", value)
        problems: list[tuple[str, str]] = []
        tracks: dict[str, Track] = {}
        for name, data in value.items():
            try:
                track = track_hook(data, Track)
            except Exception as exc:
                _collect(exc, _key_path(name), problems)
                continue
            if track.cycle != name:
                problems.append((_key_path(name), f"holds the track of {track.cycle!r}"))
            tracks[name] = track
        if problems:
            raise _Located(problems)
        return tracks

    return structure


def _thresholds_v1(conv: cattrs.Converter, value: Any, forbid: bool) -> RelationshipThresholds:
    """0.1's thresholds had ``majority``, which is no longer a setting.

    The decision group's majority is now the head count of its decision-makers of the
    largest weight; a document giving the old default (0.5) is read without it, and one
    giving another value is refused rather than read with its setting lost.
    """
    if type(value) is dict and "majority" in value:
        majority = value["majority"]
        if type(majority) not in (int, float) or majority != 0.5:
            raise _Located(
                [
                    (
                        ".majority",
                        f"{_json.excerpt(majority)}: schema 1's majority threshold is no"
                        " longer a setting (the decision group's majority is now a head"
                        " count); only its default, 0.5, can be read",
                    )
                ]
            )
        value = {k: v for k, v in value.items() if k != "majority"}
    result: RelationshipThresholds = conv.get_structure_hook(RelationshipThresholds)(
        value, RelationshipThresholds
    )
    return result


_UPGRADES: dict[type, Callable[[cattrs.Converter, Any, bool], Any]] = {
    Deal: _deal_v1,
    RelationshipThresholds: _thresholds_v1,
}
"""How a schema 1 document of each type whose layout changed is read."""


# -- reading and writing ---------------------------------------------------------------

_DEFAULT_LIMITS = _json.Limits(MAX_SIZE, MAX_DEPTH, MAX_DIGITS, MAX_STRING)
_limits_cache: dict[tuple[int, int, int, int], _json.Limits] = {
    _DEFAULT_LIMITS.key(): _DEFAULT_LIMITS
}
_ENVELOPE = frozenset(("schema", "type", "data"))


def _limits(max_size: int, max_depth: int, max_digits: int, max_string: int) -> _json.Limits:
    key = (max_size, max_depth, max_digits, max_string)
    try:
        found = _limits_cache.get(key)
    except TypeError:  # an unhashable limit: Limits names it
        found = None
    if found is None:
        found = _json.Limits(*key)
        if len(_limits_cache) < 64:
            _limits_cache[key] = found
    return found


def _document_name(cls: Any) -> str:
    try:
        name = _NAMES.get(cls)
    except TypeError:  # unhashable: no type
        name = None
    if name is None:
        what = getattr(cls, "__name__", None) or type(cls).__name__
        why = _NOT_DOCUMENTS.get(
            what, "the document types are listed in bigaccount.io.DOCUMENT_TYPES"
        )
        article = "an" if what[:1] in "AEIOU" else "a"
        raise InvalidData("type", f"{article} {what} is not a document type: {why}")
    return name


def loads(
    text: str | bytes | bytearray | memoryview,
    cls: type[T],
    *,
    unknown: Unknown = "forbid",
    max_size: int = MAX_SIZE,
    max_depth: int = MAX_DEPTH,
    max_digits: int = MAX_DIGITS,
    max_string: int = MAX_STRING,
) -> T:
    """Read a value of the document type *cls* from JSON text (or UTF-8 bytes).

    Args:
        text: the document, as written by :func:`dumps` (of this or an older version).
        cls: the type expected; the document's ``type`` must name it.
        unknown: ``"forbid"`` (the default) refuses keys no field has; ``"ignore"``
            skips them, to read documents of a later version that only added keys.
        max_size: the longest document, in characters (or bytes, given bytes).
        max_depth: the deepest nesting of objects and lists.
        max_digits: the longest number, in digits (sign left out).
        max_string: the longest string, in characters.

    Raises:
        InvalidDocument: the input is not such a document; ``problems`` names the path
            of every bad field. Nothing else is raised, whatever the input.
        InvalidData: *cls* is not a document type, or a bad option.
    """
    reader = _Reader(cls, unknown, _limits(max_size, max_depth, max_digits, max_string))
    result: T = reader.read(text)
    return result


_LOADS_OPTIONS = {
    k: p.default for k, p in inspect.signature(loads).parameters.items() if p.kind is p.KEYWORD_ONLY
}
"""The options of :func:`loads` and their defaults (:func:`loads_many` takes the same)."""


class _Reader:
    """The checked options of a reading: what each document of it is read with."""

    __slots__ = ("cls", "conv", "forbid", "limits", "name")

    def __init__(self, cls: Any, unknown: Any, limits: _json.Limits) -> None:
        self.name = _document_name(cls)
        conv = _converter(unknown)
        if conv is None:
            raise InvalidData("unknown", f"expected 'forbid' or 'ignore', got {unknown!r}")
        self.cls, self.conv, self.forbid, self.limits = cls, conv, unknown == "forbid", limits

    def read(self, text: Any) -> Any:
        """The value of one document (see :func:`loads`)."""
        try:
            document = _json.parse(text, self.limits)
        except InvalidData as error:
            raise InvalidDocument([(error.field, error.problem)]) from None
        data = _envelope(document, self.name, self.forbid)
        cls = self.cls
        try:
            if document["schema"] == 1 and cls in _UPGRADES:
                return _UPGRADES[cls](self.conv, data, self.forbid)
            return self.conv.get_structure_hook(cls)(data, cls)
        except Exception as exc:
            raise InvalidDocument(_problems(exc, "$") or [("$", "not valid")]) from None


def _envelope(document: Any, name: str, forbid: bool) -> Any:
    if type(document) is not dict:
        raise InvalidDocument(
            [
                (
                    "document",
                    f"expected an object with schema, type and data, got {_json.excerpt(document)}",
                )
            ]
        )
    problems = [
        ("document", f"required key {k!r} missing")
        for k in ("schema", "type", "data")
        if k not in document
    ]
    if forbid:
        problems += [
            ("document", f"unknown key {_json.excerpt(k)}") for k in document if k not in _ENVELOPE
        ]
    if problems:
        raise InvalidDocument(problems)
    schema = document["schema"]
    if type(schema) is not int or schema not in READS:
        listed = " and ".join(str(s) for s in READS)
        newer = (
            " (written by a later version)"
            if type(schema) is int and schema > SCHEMA_VERSION
            else ""
        )
        raise InvalidDocument(
            [
                (
                    "schema",
                    f"version {_json.excerpt(schema)} is not read{newer};"
                    f" this version reads {listed}",
                )
            ]
        )
    kind = document["type"]
    if kind != name:
        held = kind if type(kind) is str and _IDENTIFIER.match(kind) else _json.excerpt(kind)
        raise InvalidDocument([("type", f"the document holds a {held}, not a {name}")])
    return document["data"]


def loads_many(
    texts: Iterable[str | bytes | bytearray | memoryview], cls: type[T], **options: Any
) -> list[T]:
    """Read many documents of one type, with the cyclic garbage collector paused.

    Loading builds many small objects that live on; the collector would scan them again
    and again while they pile up (1.3-1.7 times slower for 10^5 deals). It is paused for
    the loop only (for the whole process, as ``gc.disable`` does) and resumed as it was,
    also on error. Options are those of :func:`loads`.

    Raises:
        InvalidDocument: one document is not valid; its paths are prefixed with its
            position (``#3 $.events[2].at``). Documents before it are not returned.
        InvalidData: *cls* is not a document type, or an option is not one of
            :func:`loads`'s or is bad; before any document is read.
    """
    if isinstance(texts, (str, bytes, bytearray, memoryview)) or not isinstance(texts, Iterable):
        raise InvalidData("texts", f"expected an iterable of documents, got {_json.excerpt(texts)}")
    known = {
        k: p.default
        for k, p in inspect.signature(loads).parameters.items()
        if p.kind is p.KEYWORD_ONLY
    }
    unknown_options = sorted(k for k in options if k not in known)
    if unknown_options:
        raise InvalidData(
            "options",
            f"{', '.join(map(repr, unknown_options))}: not an option; options:"
            f" {', '.join(sorted(known))}",
        )
    given = {**known, **options}
    limits = _limits(*(given[k] for k in ("max_size", "max_depth", "max_digits", "max_string")))
    reader = _Reader(cls, given["unknown"], limits)
    enabled = gc.isenabled()
    gc.disable()
    try:
        result = []
        for index, text in enumerate(texts):
            try:
                result.append(reader.read(text))
            except InvalidDocument as error:
                raise InvalidDocument(
                    [(f"#{index} {path}", problem) for path, problem in error.problems]
                ) from None
        return result
    finally:
        if enabled:
            gc.enable()


def dumps(obj: Any, *, redact: bool = False, indent: int | None = None) -> str:
    """Write *obj*, a value of a document type, as a versioned JSON document.

    With ``redact=True`` every field marked as personal data is left out. What is
    written loads again with :func:`loads` and its default limits: a value beyond
    them (a string over :data:`MAX_STRING`, a whole number over :data:`MAX_DIGITS`
    digits, a float that is not finite) is refused here, not on reading.

    Raises:
        InvalidData: *obj* is not of a document type (field ``type``), or holds a value
            no document may hold.
    """
    name = _document_name(type(obj))
    flag(redact, "redact")
    indent = optional_whole(indent, "indent")
    conv = _converter("forbid", True) if redact else converter
    assert conv is not None
    data = conv.get_unstructure_hook(type(obj))(obj)
    try:
        text = _json.write({"schema": SCHEMA_VERSION, "type": name, "data": data}, indent)
    except ValueError:
        raise InvalidData(
            _non_finite(data, "$"), "a number that is not finite is not stored"
        ) from None
    if len(text) > MAX_SIZE or len(text) > MAX_STRING:
        try:
            _json.check(text, _DEFAULT_LIMITS)
        except InvalidData as error:
            raise InvalidData("document", f"would not load: {error.problem}") from None
    return text


def _non_finite(value: Any, path: str) -> str:
    """The path of the first float in *value* that is not finite (``$`` if none)."""
    stack = [(value, path)]
    while stack:
        item, where = stack.pop()
        if isinstance(item, float) and item - item != 0.0:
            return where
        if isinstance(item, dict):
            stack.extend((v, f"{where}.{k}") for k, v in reversed(list(item.items())))
        elif isinstance(item, (list, tuple)):
            stack.extend((v, f"{where}[{i}]") for i, v in reversed(list(enumerate(item))))
    return path
