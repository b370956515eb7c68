"""A mapping: how one CRM export becomes deals, declared as data (a TOML file or a plain mapping).

A mapping says which column holds each deal field, how the CRM's stage names map onto the
states of a cycle (many names to one state), which values mean won, lost or still open,
how dates and numbers are written, whether amounts include tax, which columns become
facts (with their value type), and what to do when a value is missing. It never names a
Python callable: value types are a fixed set (``bool``, ``int``, ``decimal``, ``money``,
``date``, ``datetime``, ``text``) and yes/no columns declare their words.

The layout (every table but the first three keys is optional)::

    kind = "snapshot"            # one row per opportunity; or "history": one row per change
    cycle = "funnel"             # a registered cycle
    name = "my-crm"              # default: the file's name
    source = "my-crm"            # recorded on imported events and facts; default: name
    timezone = "Asia/Shanghai"   # for times written without a zone; default UTC

    [csv]        delimiter = ","; encoding = "utf-8"   (default: detected)
    [formats]    date = ["%Y-%m-%d"]; datetime = [...]; decimal_point = "."; thousands = ",";
                 missing = ["NULL"]; true = ["Yes"]; false = ["No"]
    [columns]    id, account, account_id, industry, segment, amount, currency,
                 expected_close, owner, created, time, stage, outcome, reason, row_id
                 (each the name of a column; id may be { from = "line", prefix = "R-" })
    [amount]     currency = "CNY"; tax = "inclusive" | "exclusive"; round = "0.01";
                 rounding = "half_even"
    [segment]    default = "enterprise"; values = { Small = "sme", Big = "enterprise" }
    [stages]     "Closed Won" = "WON"; "Qualification" = "TARGET"; …
    [outcome]    won = ["Won"]; lost = ["Lost"]; stalled = []; open = ["Open"]
    [times]      INTENT = "engage_date"; WON = "close_date"   (snapshot: when states began)
    [facts.ID]   column = "Budget"; type = "bool"; true = ["Yes"]; false = ["No"];
                 unknown = ["Unknown"]; missing = "empty"
    [missing]    account = { default = "(unknown account)" }; amount = "refuse"; …

A missing value follows its field's policy: ``"refuse"`` (the row is refused),
``"empty"`` (the field is left empty) or ``{ default = … }`` (a declared value). Without a
declaration the id, time, stage, outcome, account, amount, currency and a lost deal's
reason are refused and the other fields left empty; a deal always needs an account and an
amount, so those two can be refused or given a declared default, never left empty.

Every problem of a declaration is reported at once, each with its place
(``crm.toml: stages.Won``), in one :class:`~bigaccount.errors.InvalidDefinition`.

>>> from bigaccount.importers import Mapping
>>> m = Mapping.from_dict({
...     "kind": "snapshot", "cycle": "funnel",
...     "columns": {"id": "Id", "account": "Account", "amount": "Amount", "stage": "Stage"},
...     "amount": {"currency": "CNY", "tax": "inclusive"},
...     "segment": {"default": "enterprise"},
...     "stages": {"Lead": "TARGET", "Won": "WON", "Lost": "LOST"},
...     "missing": {"reason": {"default": "lost (no reason given)"}},
... })
>>> m.stages["Won"], m.columns["amount"], m.tax.value
('WON', 'Amount', 'inclusive')
>>> Mapping.from_dict({
...     "kind": "snapshot", "cycle": "funnel", "colour": "red",
...     "columns": {"id": "Id", "account": "Account", "amount": "Amount", "stage": "Stage"},
...     "amount": {"currency": "CNY"},
...     "segment": {"default": "enterprise"},
...     "stages": {"Won": "WONN"},
... })
Traceback (most recent call last):
...
bigaccount.errors.InvalidDefinition: 3 problems:
  <mapping>: colour: unknown key (expected one of: amount, columns, csv, cycle, ...)
  <mapping>: stages.Won: 'WONN' is not a state of cycle funnel (states: TARGET, ...)
  <mapping>: amount.tax: say whether amounts include tax: "inclusive" or "exclusive"
"""

from __future__ import annotations

import collections.abc as cabc
import datetime as dt
import enum
import os
import re
import tomllib
from decimal import Decimal
from types import MappingProxyType
from typing import Any, TypeVar

from attrs import Attribute, field, frozen

from .._validate import (
    Rule,
    many_of,
    member,
    of_kind,
    optional_member,
    optional_text,
    text,
    to_tuple,
)
from ..analytics.forecast import TaxBasis
from ..cycle import Cycle
from ..errors import BigAccountError, InvalidData, InvalidDefinition
from ..labels import Label, LabelledEnum, label_members
from ..money import Money, to_decimal
from ..segment import Segment
from ..track import Outcome
from .parse import (
    ROUNDING_MODES,
    Formats,
    ValueType,
    decimal_point_of,
    false_words,
    format_list,
    parse_timezone,
    parser,
    thousands_of,
    true_words,
    words,
)
from .problems import CellError
from .sources import delimiter_of, file_path, text_encoding

__all__ = [
    "FIELDS",
    "MAX_MAPPING_BYTES",
    "FactColumn",
    "Kind",
    "Mapping",
    "Policy",
    "PolicyKind",
    "mapping_names",
    "resolve_mapping",
]

MAX_MAPPING_BYTES = 1024 * 1024
"""The largest mapping file read (a mapping is hand-written, never megabytes)."""

FIELDS = (
    "id",
    "account",
    "account_id",
    "industry",
    "segment",
    "amount",
    "currency",
    "expected_close",
    "owner",
    "created",
    "time",
    "stage",
    "outcome",
    "reason",
    "row_id",
)
"""The deal and row fields a mapping's ``[columns]`` may name."""

_ONLY_REFUSE = frozenset({"id", "time", "stage", "row_id"})
_NEVER_EMPTY = frozenset({"account", "amount", "currency", "outcome"})
_REFUSED_BY_DEFAULT = frozenset({"account", "amount", "currency", "reason", "outcome"})
_TOP_KEYS = frozenset(
    {"kind", "cycle", "name", "source", "description", "timezone", "csv", "formats"}
    | {"columns", "amount", "segment", "stages", "outcome", "times", "facts", "missing"}
)
_FACT_KEYS = frozenset(
    {"column", "type", "true", "false", "unknown", "missing", "currency", "round", "rounding"}
)
_FACT_ID = re.compile(r"[^\s]+\Z")
_OUTCOME_STATES = tuple(o.value for o in Outcome)
T = TypeVar("T")
_NO: tuple[str, ...] = ()
_ISO: tuple[str, ...] = ("iso",)


class Kind(LabelledEnum):
    """The two shapes of export a mapping reads."""

    SNAPSHOT = "snapshot"
    """One row per opportunity, with its current stage."""
    HISTORY = "history"
    """One row per stage change, with its time."""


label_members(
    Kind,
    {
        Kind.SNAPSHOT: Label("商机快照（每个商机一行）", "snapshot (one row per opportunity)"),
        Kind.HISTORY: Label("阶段历史（每次变更一行）", "stage history (one row per change)"),
    },
)


class PolicyKind(enum.StrEnum):
    """What to do with a missing value."""

    REFUSE = "refuse"
    EMPTY = "empty"
    DEFAULT = "default"

    @classmethod
    def _missing_(cls, value: object) -> PolicyKind:
        known = ", ".join(m.value for m in cls)
        raise InvalidData("policy_kind", f"unknown policy {value!r}; expected one of: {known}")


def _policy_kind(value: object) -> PolicyKind:
    return member(PolicyKind, value, "kind")


def _check_default(instance: Policy, attribute: Attribute[Any], value: object) -> None:
    if instance.kind is PolicyKind.DEFAULT and value is None:
        raise InvalidData("default", "a policy of kind default needs its default value")
    if instance.kind is not PolicyKind.DEFAULT and value is not None:
        raise InvalidData(
            "default", f"only a policy of kind default has a default, not {instance.kind.value}"
        )


@frozen
class Policy:
    """A missing-value policy: refuse the row, leave the field empty, or a declared default.

    The kind may be given by its value (``"refuse"``); only a default policy has a default.

    Raises:
        InvalidData: naming the field of a wrong value.
    """

    kind: PolicyKind = field(converter=_policy_kind)
    default: Any = field(default=None, validator=_check_default)

    def __repr__(self) -> str:
        if self.kind is PolicyKind.DEFAULT:
            return f"Policy(default={self.default!r})"
        return f"Policy({self.kind.value})"


REFUSE = Policy(PolicyKind.REFUSE)
EMPTY = Policy(PolicyKind.EMPTY)


def _fact_id(value: object, name: str) -> str:
    if not isinstance(value, str) or not _FACT_ID.match(value):
        raise InvalidData(name, f"a fact id is one word without spaces, got {value!r}")
    return value


def _unknown_words(value: object) -> tuple[str, ...]:
    return words(value, "unknown")


def _value_type(value: object) -> ValueType:
    return member(ValueType, value, "type")


def _currency_code(value: object, name: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise InvalidData(name, f"expected a currency code such as 'CNY', got {value!r}")
    try:
        return Money(0, value).currency
    except InvalidData as error:
        raise InvalidData(name, error.problem) from None


def _step(value: object, name: str) -> Decimal | None:
    if value is None:
        return None
    if (
        not isinstance(value, Decimal)
        or not value.is_finite()
        or value <= 0
        or value.normalize().as_tuple().digits != (1,)
    ):
        raise InvalidData(name, f"expected a power of ten such as 0.01 or 1, got {value!r}")
    return value


def _rounding_name(value: object, name: str) -> str:
    if not isinstance(value, str) or value not in ROUNDING_MODES:
        listed = ", ".join(ROUNDING_MODES)
        raise InvalidData(name, f"unknown rounding {value!r}; expected one of: {listed}")
    return value


@frozen
class FactColumn:
    """A column read as a fact, the evidence criteria read.

    Attributes:
        id: the fact's id (the one criteria name, e.g. ``"budget_allocated"``).
        column: the column it is read from.
        type: its value type.
        true: the words meaning yes (a ``bool`` fact).
        false: the words meaning no.
        unknown: words meaning "not known": read as a missing value.
        missing: the policy for a missing value (``"empty"`` by default: no fact).
        currency: the currency of a ``money`` fact.
        round: round numbers to this step (needed to accept floats).
        rounding: the rounding mode.

    The type may be given by its value (``"bool"``), one word for a one-item list; words
    are kept trimmed, and a blank word is refused (the rule of every word list).

    Raises:
        InvalidData: naming the field of a wrong value.
    """

    id: str = field(validator=Rule(_fact_id))
    column: str = field(validator=Rule(text))
    type: ValueType = field(converter=_value_type)
    true: tuple[str, ...] = field(default=(), converter=true_words)
    false: tuple[str, ...] = field(default=(), converter=false_words)
    unknown: tuple[str, ...] = field(default=(), converter=_unknown_words)
    missing: Policy = field(default=EMPTY, validator=Rule(of_kind(Policy)))
    currency: str | None = field(default=None, validator=Rule(_currency_code))
    round: Decimal | None = field(default=None, validator=Rule(_step))
    rounding: str = field(default="half_even", validator=Rule(_rounding_name))


def _frozen_map(value: cabc.Mapping[str, Any]) -> cabc.Mapping[str, Any]:
    return MappingProxyType(dict(value))


def _table_of(
    value: object, name: str, item: Any, what: str, key: Any = None
) -> cabc.Mapping[str, Any]:
    """*value* as a read-only mapping of text keys (passing *key*) to values passing *item*."""
    if not isinstance(value, cabc.Mapping):
        raise InvalidData(name, f"expected a mapping of {what}, got {value!r}")
    found: dict[str, Any] = {}
    for k, v in value.items():
        text(k, f"{name} key")
        if key is not None:
            key(k, f"{name}[{k!r}]")
        found[k] = item(v, f"{name}[{k!r}]")
    return MappingProxyType(found)


def _field_name(value: object, name: str) -> str:
    if value not in FIELDS:
        raise InvalidData(name, f"not a field a mapping reads (fields: {', '.join(FIELDS)})")
    return str(value)


def _columns_of(value: object) -> cabc.Mapping[str, str]:
    return _table_of(value, "columns", text, "fields to columns", _field_name)


def _segment(value: object, name: str) -> Segment:
    return member(Segment, value, name)


def _segments_of(value: object) -> cabc.Mapping[str, Segment]:
    return _table_of(value, "segments", _segment, "values to segments")


def _stages_of(value: object) -> cabc.Mapping[str, str]:
    return _table_of(value, "stages", text, "stage names to states")


def _outcome_state(value: object, name: str) -> str | None:
    if value is not None and value not in _OUTCOME_STATES:
        raise InvalidData(name, f"expected an outcome ({', '.join(_OUTCOME_STATES)}) or None")
    return value


def _outcomes_of(value: object) -> cabc.Mapping[str, str | None]:
    return _table_of(value, "outcomes", _outcome_state, "values to outcomes")


def _times_of(value: object) -> cabc.Mapping[str, str]:
    return _table_of(value, "times", text, "states to columns")


def _missing_of(value: object) -> cabc.Mapping[str, Policy]:
    found = _table_of(value, "missing", of_kind(Policy), "fields to policies", _field_name)
    absent = [f for f in FIELDS if f not in found]
    if absent:
        raise InvalidData("missing", f"no policy for {', '.join(absent)}: every field needs one")
    return found


def _kind(value: object) -> Kind:
    return member(Kind, value, "kind")


def _tax(value: object) -> TaxBasis | None:
    return optional_member(TaxBasis, value, "tax")


def _encoding(value: object, name: str) -> str | None:
    return None if value is None else text_encoding(value, name)


def _prefix(value: object, name: str) -> str | None:
    if value is not None and not isinstance(value, str):
        raise InvalidData(name, f"expected text (or None), got {value!r}")
    return value


@frozen
class Mapping:
    """A checked mapping from one CRM export to deals; see :meth:`from_dict` and :meth:`load`.

    Attributes:
        name: the mapping's name.
        kind: snapshot or history.
        cycle: the cycle deals are imported into.
        source: the name recorded as the source of imported events and facts.
        description: what the mapping is for.
        delimiter: the CSV delimiter.
        encoding: the CSV encoding, or ``None`` to detect it.
        formats: how values are written.
        columns: deal and row fields (see :data:`FIELDS`) by the column holding them.
        id_prefix: when the id comes from the row's line, the text before the number
            (``R-12``; with several sources ``R-2:12``, line 12 of the second source).
        currency: the amounts' currency (when no currency column).
        tax: whether amounts include tax (``None``: the export has no amounts).
        round: the step amounts are rounded to, when declared.
        rounding: the rounding mode.
        segments: the values of the segment column, by the segment each means.
        stages: stage names of the export, by the state of the cycle each maps to.
        outcomes: outcome values by state (``None``: still open, read the stage).
        times: snapshot columns giving when the deal entered a state, by state.
        facts: the columns read as facts.
        missing: the missing-value policy of every field.
        origin: where the mapping was declared (a file name).
    """

    name: str = field(validator=Rule(text))
    kind: Kind = field(converter=_kind)
    cycle: Cycle = field(validator=Rule(of_kind(Cycle)))
    source: str = field(validator=Rule(text))
    description: str | None = field(validator=Rule(optional_text))
    delimiter: str = field(validator=Rule(delimiter_of))
    encoding: str | None = field(validator=Rule(_encoding))
    formats: Formats = field(validator=Rule(of_kind(Formats)))
    columns: cabc.Mapping[str, str] = field(converter=_columns_of)
    id_prefix: str | None = field(validator=Rule(_prefix))
    currency: str | None = field(validator=Rule(_currency_code))
    tax: TaxBasis | None = field(converter=_tax)
    round: Decimal | None = field(validator=Rule(_step))
    rounding: str = field(validator=Rule(_rounding_name))
    segments: cabc.Mapping[str, Segment] = field(converter=_segments_of)
    stages: cabc.Mapping[str, str] = field(converter=_stages_of)
    outcomes: cabc.Mapping[str, str | None] = field(converter=_outcomes_of)
    times: cabc.Mapping[str, str] = field(converter=_times_of)
    facts: tuple[FactColumn, ...] = field(converter=to_tuple, validator=Rule(many_of(FactColumn)))
    missing: cabc.Mapping[str, Policy] = field(converter=_missing_of)
    origin: str = field(validator=Rule(text))

    def __attrs_post_init__(self) -> None:
        states = self.cycle.states
        for where, named in (("stages", self.stages.values()), ("times", self.times)):
            for state in named:
                if state not in states:
                    raise InvalidData(
                        where,
                        f"{state!r} is not a state of cycle {self.cycle.name}"
                        f" (states: {', '.join(states)})",
                    )
        problems = _Problems(self.origin)
        _check_shape(
            self.kind,
            dict(self.columns),
            self.id_prefix,
            self.currency is not None,
            bool(self.stages),
            dict(self.outcomes),
            dict(self.times),
            self.tax,
            dict(self.missing),
            dict(self.segments),
            problems,
        )
        if problems.found:
            raise InvalidDefinition.all(problems.found)

    @classmethod
    def from_dict(cls, data: cabc.Mapping[str, Any], *, origin: str = "<mapping>") -> Mapping:
        """A mapping from plain data (the structure of a mapping file), checked.

        Raises:
            InvalidDefinition: listing every problem, each with its place.
            InvalidData: *origin* is no text.
        """
        text(origin, "origin")
        return _build(data, origin)

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> Mapping:
        """A mapping from a TOML file, checked (the file's name is its default name).

        Raises:
            InvalidDefinition: the file cannot be read as TOML, or lists every problem.
            InvalidData: *path* is no path (text or an ``os.PathLike``).
        """
        file = file_path(path)
        try:
            with file.open("rb") as handle:
                raw = handle.read(MAX_MAPPING_BYTES + 1)
        except OSError as error:
            raise InvalidDefinition(str(file), f"cannot read the mapping: {error}") from None
        if len(raw) > MAX_MAPPING_BYTES:
            raise InvalidDefinition(file.name, f"larger than {MAX_MAPPING_BYTES} bytes")
        try:
            data = tomllib.loads(raw.decode("utf-8"))
        except UnicodeDecodeError:
            raise InvalidDefinition(file.name, "a mapping file is UTF-8 text") from None
        except tomllib.TOMLDecodeError as error:
            raise InvalidDefinition(file.name, f"not valid TOML: {error}") from None
        data.setdefault("name", file.stem)
        return _build(data, file.name)

    @classmethod
    def shipped(cls, name: str) -> Mapping:
        """One of the mappings shipped with bigaccount (see :func:`mapping_names`).

        Raises:
            InvalidData: no shipped mapping has that name.
        """
        names = mapping_names()
        if not isinstance(name, str) or name not in names:
            raise InvalidData(
                "mapping", f"no shipped mapping {name!r}; shipped: {', '.join(names)}"
            )
        from importlib.resources import files

        text = (files(__package__) / "mappings" / f"{name}.toml").read_text(encoding="utf-8")
        data = tomllib.loads(text)
        data.setdefault("name", name)
        return _build(data, f"{name}.toml")

    @property
    def needs_base(self) -> bool:
        """Whether a history's deals can only take their account or amount from base deals."""
        return any(
            f not in self.columns and self.missing[f].kind is not PolicyKind.DEFAULT
            for f in ("account", "amount")
        )

    def field(self, name: str) -> str | None:
        """The column holding deal field *name*, or ``None`` when the mapping has none.

        A name that is not one of :data:`FIELDS` is a field the mapping has no column for.

        Raises:
            InvalidData: *name* is not text.
        """
        if not isinstance(name, str):
            raise InvalidData("name", f"expected a field name such as 'amount', got {name!r}")
        return self.columns.get(name)

    @property
    def columns_used(self) -> tuple[str, ...]:
        """Every column the mapping reads, each once, in declaration order."""
        used = list(self.columns.values()) + list(self.times.values())
        used += [f.column for f in self.facts]
        return tuple(dict.fromkeys(used))


def mapping_names() -> tuple[str, ...]:
    """The names of the shipped mappings (``bigaccount/importers/mappings/*.toml``)."""
    from importlib.resources import files

    folder = files(__package__) / "mappings"
    return tuple(
        sorted(p.name[: -len(".toml")] for p in folder.iterdir() if p.name.endswith(".toml"))
    )


def resolve_mapping(spec: Mapping | cabc.Mapping[str, Any] | str | os.PathLike[str]) -> Mapping:
    """A :class:`Mapping` from itself, plain data, a TOML file's path or a shipped name."""
    if isinstance(spec, Mapping):
        return spec
    if isinstance(spec, cabc.Mapping):
        return Mapping.from_dict(spec)
    if isinstance(spec, os.PathLike) or (isinstance(spec, str) and spec.endswith(".toml")):
        return Mapping.load(spec)
    if isinstance(spec, str):
        return Mapping.shipped(spec)
    raise InvalidData(
        "mapping", f"expected a Mapping, a dict, a .toml path or a shipped name, got {spec!r}"
    )


# -- reading and checking a declaration --------------------------------------------------


class _Problems:
    def __init__(self, origin: str) -> None:
        self.origin = origin
        self.found: list[tuple[str, str]] = []

    def add(self, where: str, problem: str) -> None:
        self.found.append((f"{self.origin}: {where}", problem))


def _table(
    data: cabc.Mapping[str, Any], key: str, problems: _Problems, keys: cabc.Set[str] | None = None
) -> dict[str, Any]:
    value = data.get(key, {})
    if not isinstance(value, cabc.Mapping):
        problems.add(key, f"expected a table, got {type(value).__name__}")
        return {}
    if keys is not None:
        for k in value:
            if k not in keys:
                listed = ", ".join(sorted(keys))
                problems.add(f"{key}.{k}", f"unknown key (expected one of: {listed})")
    return dict(value)


def _text(value: object, where: str, problems: _Problems, *, required: bool = False) -> str | None:
    if value is None:
        if required:
            problems.add(where, "is required")
        return None
    if not isinstance(value, str) or not value.strip():
        problems.add(where, f"expected non-empty text, got {value!r}")
        return None
    return value


def _checked(
    problems: _Problems, where: str, check: cabc.Callable[[Any, str], T], value: object, fallback: T
) -> T:
    """*check* of *value* under the name *where*; its error is a problem with its place."""
    try:
        return check(value, where)
    except InvalidData as error:
        problems.add(error.field, error.problem)
        return fallback


def _declared(
    problems: _Problems, where: str, check: cabc.Callable[[Any, str], T], value: object, fallback: T
) -> T:
    """As :func:`_checked`, for a key that may be left out (``None``: the *fallback*)."""
    return fallback if value is None else _checked(problems, where, check, value, fallback)


def _missing_words(value: object, where: str) -> tuple[str, ...]:
    return words(value, where, blank=True)


def _made(
    problems: _Problems,
    place: cabc.Callable[[str], str],
    make: cabc.Callable[..., T],
    *args: Any,
    **kwargs: Any,
) -> T | None:
    """``make(*args, **kwargs)``, or ``None`` with its error as a problem at ``place(field)``.

    The declaration's values are checked one by one before; this keeps any check left
    to a class (its validators) from escaping as an ``InvalidData`` with no place.
    """
    try:
        return make(*args, **kwargs)
    except InvalidData as error:
        problems.add(place(error.field), error.problem)
        return None


def _place(prefix: str, renamed: cabc.Mapping[str, str]) -> cabc.Callable[[str], str]:
    """The place in a declaration of a class's field (``dates[1]`` → ``formats.date[1]``)."""

    def place(field: str) -> str:
        head = re.split(r"[.\[]", field, maxsplit=1)[0]
        return renamed.get(head, prefix + head) + field[len(head) :]

    return place


_FORMATS_PLACE = _place(
    "formats.", {"dates": "formats.date", "datetimes": "formats.datetime", "timezone": "timezone"}
)
_MAPPING_PLACE = _place(
    "",
    {
        "delimiter": "csv.delimiter",
        "encoding": "csv.encoding",
        "formats": "formats",
        "id_prefix": "columns.id.prefix",
        "currency": "amount.currency",
        "tax": "amount.tax",
        "round": "amount.round",
        "rounding": "amount.rounding",
        "segments": "segment.values",
        "outcomes": "outcome",
    },
)


def _enum(kind: type[enum.Enum], value: object, where: str, problems: _Problems) -> Any:
    try:
        return kind(value)
    except ValueError:
        listed = ", ".join(repr(m.value) for m in kind)
        problems.add(where, f"unknown value {value!r} (expected one of: {listed})")
        return None


def _quantum(value: object, where: str) -> Decimal:
    if not isinstance(value, str):
        raise InvalidData(where, f'write the step as text, such as "0.01", not {value!r}')
    step = _step(to_decimal(value, where), where)
    assert step is not None
    return step


def _cycle(value: object, problems: _Problems) -> Cycle | None:
    if isinstance(value, Cycle):
        return value
    if not isinstance(value, str) or not value:
        problems.add("cycle", f"expected the name of a registered cycle, got {value!r}")
        return None
    from ..registry import get_cycle

    try:
        return get_cycle(value)
    except BigAccountError as error:
        problems.add("cycle", str(error))
        return None


def _columns(
    data: cabc.Mapping[str, Any], problems: _Problems
) -> tuple[dict[str, str], str | None]:
    table = _table(data, "columns", problems, set(FIELDS))
    columns: dict[str, str] = {}
    prefix: str | None = None
    for name, value in table.items():
        if name == "id" and isinstance(value, cabc.Mapping):
            extra = set(value) - {"from", "prefix"}
            if extra or value.get("from") != "line":
                problems.add(
                    "columns.id", 'expected a column name or { from = "line", prefix = "…" }'
                )
                continue
            prefix = value.get("prefix", "")
            if not isinstance(prefix, str):
                problems.add("columns.id.prefix", f"expected text, got {prefix!r}")
                prefix = ""
            continue
        column = _text(value, f"columns.{name}", problems)
        if column is not None:
            columns[name] = column.strip()
    return columns, prefix


def _policy_of(
    value: object, field: str, where: str, problems: _Problems, read: Any
) -> Policy | None:
    if value == "refuse":
        return REFUSE
    if value == "empty":
        if field in _NEVER_EMPTY:
            problems.add(
                where,
                f"a deal's {field} cannot be left empty: refuse the row, or declare a"
                f' default such as {{ default = "…" }}',
            )
            return None
        if field in _ONLY_REFUSE:
            problems.add(where, f"a row without its {field} can only be refused")
            return None
        return EMPTY
    if isinstance(value, cabc.Mapping) and set(value) == {"default"}:
        if field in _ONLY_REFUSE:
            problems.add(where, f"a row without its {field} can only be refused")
            return None
        default = value["default"]
        try:
            return Policy(PolicyKind.DEFAULT, default if read is None else read(default))
        except (InvalidData, CellError) as error:
            problems.add(f"{where}.default", error.problem)
            return None
    problems.add(where, f'expected "refuse", "empty" or {{ default = … }}, got {value!r}')
    return None


def _native(value: object) -> object:
    """A TOML default as a cell would hold it: numbers as text, so they are parsed alike."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return str(value)
    return value


def _build(data: cabc.Mapping[str, Any], origin: str) -> Mapping:
    problems = _Problems(origin)
    if not isinstance(data, cabc.Mapping):
        raise InvalidDefinition(origin, f"expected a table, got {type(data).__name__}")
    for key in data:
        if key not in _TOP_KEYS:
            listed = ", ".join(sorted(_TOP_KEYS))
            problems.add(str(key), f"unknown key (expected one of: {listed})")

    kind = _enum(Kind, data.get("kind"), "kind", problems)
    cycle = _cycle(data.get("cycle"), problems)
    name = _text(data.get("name", origin), "name", problems) or origin
    source = _text(data.get("source", name), "source", problems) or name
    description = _text(data.get("description"), "description", problems)
    zone: dt.tzinfo = dt.timezone.utc
    if "timezone" in data:
        try:
            zone = parse_timezone(data["timezone"])
        except InvalidData as error:
            problems.add("timezone", error.problem)

    csv_table = _table(data, "csv", problems, {"delimiter", "encoding"})
    delimiter = _checked(
        problems, "csv.delimiter", delimiter_of, csv_table.get("delimiter", ","), ","
    )
    encoding = _checked(problems, "csv.encoding", _encoding, csv_table.get("encoding"), None)

    fmt = _table(
        data,
        "formats",
        problems,
        {"date", "datetime", "decimal_point", "thousands", "missing", "true", "false"},
    )
    point = _checked(
        problems, "formats.decimal_point", decimal_point_of, fmt.get("decimal_point", "."), "."
    )
    thousands = _checked(
        problems,
        "formats.thousands",
        lambda v, w: thousands_of(v, point, w),
        fmt.get("thousands", ""),
        "",
    )
    made_formats = _made(
        problems,
        _FORMATS_PLACE,
        Formats,
        dates=_declared(problems, "formats.date", format_list, fmt.get("date"), _ISO),
        datetimes=_declared(problems, "formats.datetime", format_list, fmt.get("datetime"), _ISO),
        decimal_point=point,
        thousands=thousands,
        missing=_declared(problems, "formats.missing", _missing_words, fmt.get("missing"), _NO),
        true=_declared(problems, "formats.true", words, fmt.get("true"), _NO),
        false=_declared(problems, "formats.false", words, fmt.get("false"), _NO),
        timezone=zone,
    )
    formats = made_formats or Formats(timezone=zone)

    columns, prefix = _columns(data, problems)
    amount_table = _table(data, "amount", problems, {"currency", "tax", "round", "rounding"})
    currency = _checked(
        problems, "amount.currency", _currency_code, amount_table.get("currency"), None
    )
    tax = None
    if "tax" in amount_table:
        tax = _enum(TaxBasis, amount_table["tax"], "amount.tax", problems)
    quantum = _declared(problems, "amount.round", _quantum, amount_table.get("round"), None)
    rounding = _declared(
        problems, "amount.rounding", _rounding_name, amount_table.get("rounding"), "half_even"
    )

    states = cycle.states if cycle is not None else ()
    shown_states = ", ".join(states)
    stages: dict[str, str] = {}
    declared = _table(data, "stages", problems)
    for stage_name, state in declared.items():
        where = f"stages.{stage_name}"
        if not isinstance(stage_name, str) or not stage_name.strip():
            problems.add("stages", f"a stage name is non-empty text, got {stage_name!r}")
        elif not isinstance(state, str):
            problems.add(where, f"expected the id of a state, got {state!r}")
        elif cycle is not None and state not in states:
            problems.add(
                where, f"{state!r} is not a state of cycle {cycle.name} (states: {shown_states})"
            )
        elif stages.setdefault(stage_name.strip(), state) != state:
            problems.add(where, f"{stage_name.strip()!r} is mapped to two states")

    outcome_table = _table(data, "outcome", problems, {"won", "lost", "stalled", "open"})
    outcomes: dict[str, str | None] = {}
    for key, state in (
        ("won", Outcome.WON.value),
        ("lost", Outcome.LOST.value),
        ("stalled", Outcome.STALLED.value),
        ("open", None),
    ):
        for word in _declared(problems, f"outcome.{key}", words, outcome_table.get(key), _NO):
            if word in outcomes:
                problems.add(f"outcome.{key}", f"{word!r} is declared twice")
            outcomes[word] = state

    segment_table = _table(data, "segment", problems, {"default", "values"})
    segments: dict[str, Segment] = {}
    raw_values = segment_table.get("values", {})
    if not isinstance(raw_values, cabc.Mapping):
        problems.add("segment.values", f"expected a table, got {type(raw_values).__name__}")
        raw_values = {}
    for word, segment in raw_values.items():
        if not isinstance(word, str) or not word.strip():
            problems.add("segment.values", f"a segment value is non-empty text, got {word!r}")
            continue
        found = _enum(Segment, segment, f"segment.values.{word}", problems)
        if found is not None and segments.setdefault(word.strip(), found) is not found:
            problems.add(f"segment.values.{word}", f"{word.strip()!r} is declared twice")
    segment_default = None
    if "default" in segment_table:
        segment_default = _enum(Segment, segment_table["default"], "segment.default", problems)

    times: dict[str, str] = {}
    for state, column in _table(data, "times", problems).items():
        where = f"times.{state}"
        if cycle is not None and state not in states:
            problems.add(
                where, f"{state!r} is not a state of cycle {cycle.name} (states: {shown_states})"
            )
        name_ = _text(column, where, problems)
        if name_ is not None:
            times[state] = name_.strip()

    facts = _facts(data, formats, currency, problems)
    missing = _missing(data, columns, formats, currency, quantum, rounding, problems)
    if segment_default is not None:
        if "segment" in missing:
            problems.add("missing.segment", "declared twice: here and as segment.default")
        else:
            missing["segment"] = Policy(PolicyKind.DEFAULT, segment_default)

    _check_shape(
        kind,
        columns,
        prefix,
        "currency" in amount_table,
        bool(declared),
        outcomes,
        times,
        tax,
        missing,
        segments,
        problems,
    )
    if problems.found:
        raise InvalidDefinition.all(problems.found)
    assert kind is not None
    assert cycle is not None
    for fld in FIELDS:
        if fld not in missing:
            missing[fld] = REFUSE if fld in _REFUSED_BY_DEFAULT | _ONLY_REFUSE else EMPTY
    if "segment" not in columns and "segment" not in missing:
        missing["segment"] = REFUSE
    made = _made(
        problems,
        _MAPPING_PLACE,
        Mapping,
        name=name,
        kind=kind,
        cycle=cycle,
        source=source,
        description=description,
        delimiter=delimiter,
        encoding=encoding,
        formats=formats,
        columns=_frozen_map(columns),
        id_prefix=prefix,
        currency=currency,
        tax=tax,
        round=quantum,
        rounding=rounding,
        segments=_frozen_map(segments),
        stages=_frozen_map(stages),
        outcomes=_frozen_map(outcomes),
        times=_frozen_map(times),
        facts=facts,
        missing=_frozen_map(missing),
        origin=origin,
    )
    if made is None:
        raise InvalidDefinition.all(problems.found)
    return made


def _facts(
    data: cabc.Mapping[str, Any], formats: Formats, currency: str | None, problems: _Problems
) -> tuple[FactColumn, ...]:
    found: list[FactColumn] = []
    for fact_id, spec in _table(data, "facts", problems).items():
        where = f"facts.{fact_id}"
        named = _checked(problems, where, _fact_id, fact_id, None)
        if not isinstance(spec, cabc.Mapping):
            problems.add(where, f"expected a table, got {type(spec).__name__}")
            continue
        for key in spec:
            if key not in _FACT_KEYS:
                listed = ", ".join(sorted(_FACT_KEYS))
                problems.add(f"{where}.{key}", f"unknown key (expected one of: {listed})")
        column = _text(spec.get("column"), f"{where}.column", problems, required=True)
        kind = _enum(ValueType, spec.get("type"), f"{where}.type", problems)
        true = _declared(problems, f"{where}.true", words, spec.get("true"), _NO)
        false = _declared(problems, f"{where}.false", words, spec.get("false"), _NO)
        unknown = _declared(problems, f"{where}.unknown", words, spec.get("unknown"), _NO)
        own = _checked(problems, f"{where}.currency", _currency_code, spec.get("currency"), None)
        own_currency = own or currency
        quantum = _declared(problems, f"{where}.round", _quantum, spec.get("round"), None)
        rounding = _declared(
            problems, f"{where}.rounding", _rounding_name, spec.get("rounding"), "half_even"
        )
        if column is None or kind is None or named is None:
            continue
        read = None
        try:
            read = parser(
                kind,
                formats,
                column,
                true=true,
                false=false,
                currency=own_currency,
                quantum=quantum,
                rounding=rounding,
            )
        except InvalidData as error:
            key = "currency" if error.field == "currency" else "true"
            problems.add(f"{where}.{key}", error.problem)
        policy = EMPTY
        if "missing" in spec:
            policy = (
                _policy_of(spec["missing"], "fact", f"{where}.missing", problems, read) or EMPTY
            )
        fact = _made(
            problems,
            _place(f"{where}.", {}),
            FactColumn,
            named,
            column.strip(),
            kind,
            true,
            false,
            unknown,
            policy,
            own_currency,
            quantum,
            rounding,
        )
        if fact is not None:
            found.append(fact)
    return tuple(found)


def _missing(
    data: cabc.Mapping[str, Any],
    columns: dict[str, str],
    formats: Formats,
    currency: str | None,
    quantum: Decimal | None,
    rounding: str,
    problems: _Problems,
) -> dict[str, Policy]:
    from .parse import amount_parser, segment_parser

    readers: dict[str, Any] = {
        "account": parser(ValueType.TEXT, formats, "account"),
        "account_id": parser(ValueType.TEXT, formats, "account_id"),
        "industry": parser(ValueType.TEXT, formats, "industry"),
        "owner": parser(ValueType.TEXT, formats, "owner"),
        "reason": parser(ValueType.TEXT, formats, "reason"),
        "currency": lambda v: Money(0, v).currency,
        "expected_close": parser(ValueType.DATE, formats, "expected_close"),
        "created": parser(ValueType.DATETIME, formats, "created"),
        "segment": segment_parser({}, "segment"),
        "outcome": None,
    }
    amount_of = amount_parser(formats, "amount", quantum, rounding)

    def amount(value: object) -> Money:
        if currency is None:
            raise InvalidData("amount", "a default amount needs amount.currency")
        return Money(amount_of(value), currency)

    readers["amount"] = amount
    policies: dict[str, Policy] = {}
    for fld, value in _table(data, "missing", problems, set(FIELDS)).items():
        read = readers.get(fld)
        wrapped = None if read is None else (lambda v, r=read: r(_native(v)))
        policy = _policy_of(value, fld, f"missing.{fld}", problems, wrapped)
        if policy is not None:
            policies[fld] = policy
    return policies


def _check_shape(
    kind: Kind | None,
    columns: dict[str, str],
    prefix: str | None,
    currency_declared: bool,
    stages: bool,
    outcomes: dict[str, str | None],
    times: dict[str, str],
    tax: TaxBasis | None,
    missing: dict[str, Policy],
    segments: dict[str, Segment],
    problems: _Problems,
) -> None:
    if kind is Kind.SNAPSHOT and "id" not in columns and prefix is None:
        problems.add("columns.id", 'a snapshot needs an id column (or id = { from = "line" })')
    if kind is Kind.HISTORY:
        if "id" not in columns:
            problems.add("columns.id", "a history needs the column naming each row's deal")
        if "time" not in columns:
            problems.add("columns.time", "a history needs the column of each change's time")
        if times:
            problems.add("times", "a history's rows carry their own time (columns.time)")
    if "stage" not in columns and "outcome" not in columns:
        problems.add(
            "columns.stage", "no stage column and no outcome column: nothing says where deals stand"
        )
    if "stage" in columns and not stages:
        problems.add("stages", "the stage column needs its names mapped to states")
    if stages and "stage" not in columns:
        problems.add("stages", "stage names are mapped but columns.stage names no column")
    if "outcome" in columns and not any(v is not None for v in outcomes.values()):
        problems.add("outcome", "the outcome column needs its won and lost values")
    if outcomes and "outcome" not in columns:
        problems.add("outcome", "outcome values are declared but columns.outcome names no column")
    if "stage" not in columns and None in outcomes.values():
        problems.add("outcome.open", "open deals need a stage column to say where they stand")
    needs_base = kind is Kind.HISTORY
    if (
        "account" not in columns
        and missing.get("account", REFUSE).kind is not PolicyKind.DEFAULT
        and not needs_base
    ):
        problems.add(
            "columns.account",
            "no account column and no missing.account default: every row would be refused"
            ' (declare missing.account = { default = "(unknown account)" } to use a placeholder)',
        )
    if "amount" in columns:
        if not currency_declared and "currency" not in columns:
            problems.add(
                "amount.currency", "amounts need a currency (amount.currency or columns.currency)"
            )
        if tax is None:
            problems.add(
                "amount.tax", 'say whether amounts include tax: "inclusive" or "exclusive"'
            )
    elif missing.get("amount", REFUSE).kind is not PolicyKind.DEFAULT and not needs_base:
        problems.add(
            "columns.amount",
            'no amount column and no missing.amount default (such as { default = "0" })',
        )
    if segments and "segment" not in columns:
        problems.add(
            "segment.values", "segment values are declared but columns.segment names no column"
        )
    if "segment" not in columns and missing.get("segment") is None:
        problems.add("segment", "no segment column and no segment.default: declare one")
