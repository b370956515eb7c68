"""Importing an export: snapshot rows become deals, history rows their events; nothing dropped.

:func:`import_deals` reads one or more sources (CSV files, DataFrames, records) through a
:class:`~bigaccount.importers.mapping.Mapping` and returns an :class:`ImportResult`. Every
row ends in exactly one place, so that ``rows == accepted + refused``:

* **Snapshot** (one row per opportunity). A row becomes one deal. Its current state is
  the outcome column's (won, lost, stalled) or else the stage column's; its earlier states
  with a time (``[times]``, e.g. Maven's ``engage_date``) come first. The first state is an
  imported entry (:meth:`~bigaccount.deal.Deal.enter`) and each later one the cycle's move
  between the two (``cycle.table.between``) made with ``imported=True``: gates are
  evaluated and recorded, never blocking. The time of the current state is its own
  ``[times]`` column, else the ``created`` column, else the ``as_of`` given to the call —
  never the wall clock; a row with none of them is refused (*no time*). The row's facts
  are recorded with the deal's first entry, so the gate reports of the imported moves
  read them. A second row with the same id is refused (*duplicate*). Without an id
  column (``id = { from = "line", prefix = "R-" }``) a row's id is its line, ``R-12``;
  only with several sources is the line qualified, by its source's place in the list
  counted from 1 (``R-2:12``: line 12 of the second source), so that ids of two sources
  never collide — a file's ids differ between a one-source and a several-source import.
  Identical rows are then distinct deals, noted in :attr:`ImportResult.repeats`. A
  source given twice (the same path, or the same table) is refused.
* **History** (one row per stage change, with its time). Rows are grouped by deal and
  taken in time order; a deal whose rows were not in time order is sorted, stably, and
  listed in :attr:`ImportResult.sorted_deals`. A deal's first row is its imported entry,
  each later row the cycle's move from the state the deal is in (``imported=True``). A row
  whose stage is the deal's current one is accepted as *unchanged* (its changed facts are
  recorded; no stage event) and listed in :attr:`ImportResult.unchanged`. A row whose
  states have no move is refused by name: *reversal* (one outcome to another, such as
  closed won → closed lost: an outcome is terminal), *reopened* (an outcome back to a
  stage) or *no move*. A row repeating an earlier one (the same ``row_id``, or the same
  cells for the same deal) is refused as a *duplicate*. The deal's fields (account,
  amount, …) are those of the latest of its rows that the cycle accepts and that has
  them — or those of a ``base`` deal of the same id, such as the deals of an Opportunity
  snapshot.

A missing value follows its field's policy; a deal's account or amount that no row gives
and that has no declared default refuses every row of the deal. Values that read but
break a rule of the library (a negative amount) refuse the row as *invalid*. A failed row
leaves its deal as it was.

>>> import datetime as dt
>>> from bigaccount.importers import import_deals, read_records
>>> rows = read_records([
...     {"id": "o1", "at": "2026-03-01", "stage": "Lead", "amount": "1000"},
...     {"id": "o1", "at": "2026-03-09", "stage": "Won", "amount": "1200"},
...     {"id": "o2", "at": "2026-03-02", "stage": "Won", "amount": "500"},
...     {"id": "o2", "at": "2026-03-05", "stage": "Lost", "amount": "500"},
... ])
>>> result = import_deals(rows, {
...     "kind": "history", "cycle": "funnel",
...     "columns": {"id": "id", "time": "at", "stage": "stage", "amount": "amount"},
...     "amount": {"currency": "CNY", "tax": "exclusive"},
...     "segment": {"default": "sme"},
...     "stages": {"Lead": "TARGET", "Won": "WON", "Lost": "LOST"},
...     "missing": {"account": {"default": "(unknown account)"}},
... })
>>> result.rows, result.accepted, len(result.refused)
(4, 3, 1)
>>> result.deals["o1"].state("funnel"), str(result.deals["o1"].amount)
('WON', '1,200 CNY')
>>> print(result.refused[0])
records line 4 (o2): reversal of an outcome: WON → LOST: an outcome is final in funnel
"""

from __future__ import annotations

import collections.abc as cabc
import csv
import datetime as dt
import inspect
import itertools
import os
from collections import Counter
from pathlib import Path
from types import MappingProxyType
from typing import Any, NamedTuple

import attrs
from attrs import frozen

from .._validate import (
    Rule,
    instances,
    many_of,
    member,
    optional_member,
    text,
    texts,
    to_tuple,
    trusted,
    whole,
)
from ..analytics.forecast import TaxBasis
from ..cycle import Cycle
from ..deal import Account, Deal
from ..errors import BigAccountError, InvalidData
from ..money import Money
from ..track import NEEDS_REASON, Outcome
from .mapping import Kind, Mapping, Policy, PolicyKind, resolve_mapping
from .parse import ValueType, amount_parser, is_missing, parser, segment_parser
from .problems import CellError, Problem, Refusal
from .sources import CsvTable, FrameTable, MissingColumns, Table, Unreadable, file_path, unopened

__all__ = [
    "ImportResult",
    "Position",
    "Progress",
    "import_deals",
    "import_history",
    "import_snapshot",
]

Progress = cabc.Callable[[str, int, "int | None"], None]
"""Told ``(phase, done, total)`` as an import goes: phase ``"read"`` then ``"build"``."""

_OUTCOMES = frozenset(o.value for o in Outcome)
_NEEDS_REASON = frozenset((Outcome.LOST.value, Outcome.STALLED.value))
_EVERY = 4096

# The deal fields read from rows, in the order of the tuple each row keeps.
_DEAL_FIELDS = (
    "account",
    "account_id",
    "industry",
    "segment",
    "amount",
    "currency",
    "expected_close",
    "owner",
    "created",
)
_ACCOUNT, _ACCOUNT_ID, _INDUSTRY, _SEGMENT, _AMOUNT, _CURRENCY, _CLOSE, _OWNER, _CREATED = range(9)


class _Where(NamedTuple):
    source: int
    line: int


class Position(_Where):
    """Where a row was: the index of its source in :attr:`ImportResult.sources`, and its line.

    Raises:
        InvalidData: the source is not a whole number from 0, or the line one from 1.
    """

    __slots__ = ()

    def __new__(cls, source: int, line: int) -> Position:
        index = whole(source, "source")
        row = whole(line, "line")
        if row < 1:
            raise InvalidData("line", f"lines are counted from 1, got {row}")
        return _where(cls, (index, row))


_where = tuple.__new__


def _mapping_of(value: object) -> cabc.Mapping[str, Any]:
    return MappingProxyType(dict(value))  # type: ignore[call-overload]


def _names(value: object, field: str) -> tuple[str, ...]:
    if isinstance(value, str):
        raise InvalidData(field, f"expected a sequence of names, not one text: {value!r}")
    return texts(value, field)


def _position(value: object, field: str) -> Position:
    if not isinstance(value, tuple) or len(value) != 2:
        raise InvalidData(field, f"expected a position (source, line), got {value!r}")
    source, line = whole(value[0], f"{field}.source"), whole(value[1], f"{field}.line")
    if line < 1:
        raise InvalidData(f"{field}.line", f"lines are counted from 1, got {line}")
    return _where(Position, (source, line))


def _positions(value: object, field: str) -> tuple[Position, ...]:
    items = instances(value, tuple, field)
    return tuple(_position(item, f"{field}[{i}]") for i, item in enumerate(items))


def _result_kind(value: object) -> Kind:
    return member(Kind, value, "kind")


def _result_sources(value: object) -> tuple[str, ...]:
    return _names(value, "sources")


def _result_columns(value: object) -> tuple[str, ...]:
    found = instances(value, str, "columns")
    if len(set(found)) != len(found):
        twice = next(c for c in found if found.count(c) > 1)
        raise InvalidData("columns", f"the column {twice!r} is listed twice")
    return found


def _result_deals(value: object) -> cabc.Mapping[str, Deal]:
    if not isinstance(value, cabc.Mapping):
        raise InvalidData("deals", f"expected the deals by id, got {value!r}")
    for key, deal in value.items():
        if not isinstance(deal, Deal) or deal.id != key:
            raise InvalidData("deals", f"expected the deal of id {key!r}, got {deal!r}")
    return _mapping_of(value)


def _result_placed(value: object) -> cabc.Mapping[str, tuple[Position, ...]]:
    if not isinstance(value, cabc.Mapping):
        raise InvalidData("placed", f"expected the rows of each deal by its id, got {value!r}")
    placed: dict[str, tuple[Position, ...]] = {}
    for key, rows in value.items():
        if not isinstance(key, str):
            raise InvalidData("placed", f"expected deal ids as keys, got {key!r}")
        placed[key] = _positions(rows, f"placed[{key!r}]")
    return MappingProxyType(placed)


def _result_unchanged(value: object) -> tuple[Position, ...]:
    return _positions(value, "unchanged")


def _result_sorted(value: object) -> tuple[str, ...]:
    return _names(value, "sorted_deals")


def _result_repeats(value: object) -> tuple[tuple[Position, Position], ...]:
    pairs = instances(value, tuple, "repeats")
    found: list[tuple[Position, Position]] = []
    for i, pair in enumerate(pairs):
        where = f"repeats[{i}]"
        if not isinstance(pair, tuple) or len(pair) != 2:
            raise InvalidData(where, f"expected (this row, the earlier one), got {pair!r}")
        found.append((_position(pair[0], f"{where}[0]"), _position(pair[1], f"{where}[1]")))
    return tuple(found)


def _result_tax(value: object) -> TaxBasis | None:
    return optional_member(TaxBasis, value, "tax")


@frozen(eq=False)
class ImportResult:
    """What an import made, and every row it refused.

    Attributes:
        mapping: the mapping's name.
        kind: snapshot or history.
        cycle: the cycle's name.
        sources: the names of the sources read, in order.
        columns: every column of the sources, in order of first appearance.
        deals: the deals made, by id, in input order.
        refused: every refused row, in input order (a history's deal-level refusals after).
        rows: how many rows were read (blank lines and headers are not rows).
        placed: for each deal, the rows that made it (snapshot: one; history: its rows in
            time order, the unchanged ones included).
        unchanged: history rows accepted without a stage change (the deal's stage repeated).
        sorted_deals: ids of deals whose history rows were out of time order, and were sorted.
        repeats: snapshot rows identical to an earlier row, with the earlier row (noted,
            not refused: with ids taken from lines they are distinct deals).
        tax: whether the amounts include tax, as the mapping declares (``None``: no amounts).

    The importers make results; a result built by hand is checked: sequences are kept as
    tuples, a position may be given as a ``(source, line)`` pair, the kind and the tax
    basis by their values (``"snapshot"``). Its rows are accounted for: each deal has its
    placed rows and no other key is placed, each position names one of the sources, and
    ``rows == accepted + len(refused)``.

    Raises:
        InvalidData: naming the field (or the item, ``placed['o1'][0]``) of a wrong value.
    """

    mapping: str = attrs.field(validator=Rule(text))
    kind: Kind = attrs.field(converter=_result_kind)
    cycle: str = attrs.field(validator=Rule(text))
    sources: tuple[str, ...] = attrs.field(converter=_result_sources)
    columns: tuple[str, ...] = attrs.field(converter=_result_columns)
    deals: cabc.Mapping[str, Deal] = attrs.field(converter=_result_deals)
    refused: tuple[Refusal, ...] = attrs.field(converter=to_tuple, validator=Rule(many_of(Refusal)))
    rows: int = attrs.field(validator=Rule(whole))
    placed: cabc.Mapping[str, tuple[Position, ...]] = attrs.field(converter=_result_placed)
    unchanged: tuple[Position, ...] = attrs.field(converter=_result_unchanged)
    sorted_deals: tuple[str, ...] = attrs.field(converter=_result_sorted)
    repeats: tuple[tuple[Position, Position], ...] = attrs.field(converter=_result_repeats)
    tax: TaxBasis | None = attrs.field(converter=_result_tax)

    def __attrs_post_init__(self) -> None:
        if self.placed.keys() != self.deals.keys():
            odd = sorted(set(self.placed).symmetric_difference(self.deals))
            raise InvalidData(
                "placed",
                f"expected the rows of each of the deals and of no other: not so for {odd}",
            )
        count = len(self.sources)
        named: list[tuple[str, cabc.Iterable[Position]]]
        named = [(f"placed[{k!r}]", rows) for k, rows in self.placed.items()]
        named += [("unchanged", self.unchanged), ("repeats", itertools.chain(*self.repeats))]
        for where, positions in named:
            for position in positions:
                if position.source >= count:
                    raise InvalidData(
                        where,
                        f"{position} names source {position.source}, but the sources are"
                        f" {count}: {self.sources}",
                    )
        if self.rows != self.accepted + len(self.refused):
            raise InvalidData(
                "rows",
                f"{self.rows} rows read, but {self.accepted} were placed (accepted)"
                f" and {len(self.refused)} refused",
            )

    @property
    def accepted(self) -> int:
        """Rows that made a deal or an event, or were accepted unchanged: ``rows − refused``."""
        return sum(len(p) for p in self.placed.values())

    @property
    def by_problem(self) -> dict[Problem, int]:
        """How many rows were refused for each reason, most frequent first."""
        return dict(Counter(r.problem for r in self.refused).most_common())

    @property
    def by_state(self) -> dict[str, int]:
        """How many deals stand in each state of the cycle, in the cycle's order."""
        counts: Counter[str] = Counter()
        for deal in self.deals.values():
            counts[deal.state(self.cycle) or ""] += 1
        return dict(sorted(counts.items(), key=lambda kv: self._order(kv[0])))

    def _order(self, state: str) -> int:
        from ..registry import get_cycle

        try:
            return get_cycle(self.cycle).states.index(state)
        except (BigAccountError, ValueError):
            return 1 << 30

    @property
    def ok(self) -> bool:
        """Whether every row was accepted."""
        return not self.refused

    def refused_table(self) -> tuple[tuple[str, ...], list[list[str]]]:
        """The refused rows as a table: a header, then one row each.

        The first five columns say where and why (``refused_source``, ``refused_line``,
        ``refused_key``, ``refused_problem``, ``refused_detail``); the others are the
        row's own columns, so that a corrected file imports again with the same mapping
        (columns it does not name are not read).
        """
        header: tuple[str, ...] = ("refused_source", "refused_line", "refused_key")
        header += ("refused_problem", "refused_detail", *self.columns)
        body = [
            [
                r.source,
                str(r.line),
                r.key or "",
                r.problem.value,
                r.detail,
                *("" if r.raw.get(c) is None else str(r.raw[c]) for c in self.columns),
            ]
            for r in self.refused
        ]
        return header, body

    def write_refused(self, path: str | os.PathLike[str]) -> int:
        """Write the refused rows to the CSV file *path* (see :meth:`refused_table`); count them."""
        header, body = self.refused_table()
        with open(path, "w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(header)
            writer.writerows(body)
        return len(body)


# -- reading rows through a mapping ------------------------------------------------------


class _Skip(Exception):
    """A row refused, with its reason: raised inside the import and turned into a Refusal."""

    def __init__(self, problem: Problem, detail: str) -> None:
        super().__init__(detail)
        self.problem = problem
        self.detail = detail


def _cell(index: int, read: Any, missing: frozenset[str], policy: Policy | None, label: str) -> Any:
    """A getter of one column: the parsed value, or the missing-value policy's answer.

    With ``policy`` ``None`` a missing value is ``None`` (the caller applies the policy later).
    """
    kind = policy.kind if policy is not None else PolicyKind.EMPTY
    default = policy.default if policy is not None else None
    refuse = kind is PolicyKind.REFUSE

    def get(row: tuple[Any, ...]) -> Any:
        value = row[index]
        if type(value) is str:
            if value.strip() in missing:
                value = None
        elif is_missing(value, missing):
            value = None
        if value is None:
            if refuse:
                raise _Skip(Problem.MISSING_VALUE, f"{label} is empty")
            return default
        return read(value)

    return get


class _Plan:
    """A mapping compiled against one source's columns: a getter per field."""

    def __init__(self, mapping: Mapping, table: Table, line_id: str) -> None:
        self.mapping = mapping
        columns = table.columns
        where: dict[str, int] = {}
        doubled: set[str] = set()
        for i, heading in enumerate(columns):
            if heading in where:
                doubled.add(heading)
            where.setdefault(heading, i)
        used = mapping.columns_used
        absent = [c for c in used if c not in where]
        if absent:
            raise MissingColumns(table.name, absent, columns)
        twice = [c for c in used if c in doubled]
        if twice:
            raise InvalidData(
                "columns", f"{table.name} has the column {twice[0]!r} twice: which one is meant?"
            )
        self.width = len(columns)
        self.columns = columns
        self.line_id = line_id
        fm = mapping.formats
        missing = fm.missing
        m = mapping.columns
        policy = mapping.missing

        def column(field: str, kind: ValueType, *, row_policy: bool = True) -> Any:
            name = m.get(field)
            if name is None:
                return None
            read = parser(kind, fm, name)
            return _cell(where[name], read, missing, policy[field] if row_policy else None, name)

        self.key = column("id", ValueType.TEXT)
        self.time = column("time", ValueType.DATETIME)
        self.stage = column("stage", ValueType.TEXT)
        self.outcome = column("outcome", ValueType.TEXT)
        self.row_id = column("row_id", ValueType.TEXT)
        self.reason = column("reason", ValueType.TEXT, row_policy=False)
        readers: list[tuple[int, Any]] = []
        for slot, field in enumerate(_DEAL_FIELDS):
            name = m.get(field)
            if name is None:
                continue
            if field == "amount":
                read = amount_parser(fm, name, mapping.round, mapping.rounding)
            elif field == "segment":
                read = segment_parser(dict(mapping.segments), name)
            elif field == "currency":
                read = parser(ValueType.TEXT, fm, name)
            elif field == "expected_close":
                read = parser(ValueType.DATE, fm, name)
            elif field == "created":
                read = parser(ValueType.DATETIME, fm, name)
            else:
                read = parser(ValueType.TEXT, fm, name)
            readers.append((slot, _cell(where[name], read, missing, None, name)))
        self.fields = tuple(readers)
        self.times = tuple(
            (state, _cell(where[name], parser(ValueType.DATETIME, fm, name), missing, None, name))
            for state, name in mapping.times.items()
        )
        facts = []
        for fact in mapping.facts:
            read = parser(
                fact.type,
                fm,
                fact.column,
                true=fact.true,
                false=fact.false,
                currency=fact.currency,
                quantum=fact.round,
                rounding=fact.rounding,
            )
            words = missing | frozenset(fact.unknown)
            label = f"{fact.column} (fact {fact.id})"
            facts.append((fact.id, _cell(where[fact.column], read, words, fact.missing, label)))
        self.facts = tuple(facts)

    def state(self, row: tuple[Any, ...]) -> str:
        """The state of the cycle the row names (outcome first, then stage)."""
        mapping = self.mapping
        if self.outcome is not None:
            word = self.outcome(row)
            if word is not None:
                if word not in mapping.outcomes:
                    listed = ", ".join(repr(w) for w in mapping.outcomes)
                    raise _Skip(
                        Problem.UNKNOWN_OUTCOME,
                        f"{mapping.columns['outcome']} {word!r} is not declared ({listed})",
                    )
                state = mapping.outcomes[word]
                if state is not None:
                    return state
        if self.stage is None:
            raise _Skip(Problem.MISSING_VALUE, "no stage column to say where an open deal stands")
        name = self.stage(row)
        state = mapping.stages.get(name)
        if state is None:
            raise _Skip(
                Problem.UNKNOWN_STAGE,
                f"{mapping.columns['stage']} {name!r} is not mapped to a state of"
                f" {mapping.cycle.name}",
            )
        return state

    def deal_values(self, row: tuple[Any, ...]) -> list[Any]:
        """The row's deal fields (``None`` where missing), in the order of ``_DEAL_FIELDS``."""
        values: list[Any] = [None] * len(_DEAL_FIELDS)
        for slot, get in self.fields:
            values[slot] = get(row)
        amount = values[_AMOUNT]
        if amount is not None and amount < 0:
            column = self.mapping.columns["amount"]
            raise _Skip(Problem.INVALID, f"{column}: a deal's amount cannot be negative: {amount}")
        return values

    def fact_values(self, row: tuple[Any, ...]) -> tuple[tuple[str, Any], ...]:
        return tuple((fid, v) for fid, get in self.facts if (v := get(row)) is not None)

    def reason_for(self, state: str, row: tuple[Any, ...]) -> str | _Skip | None:
        """The reason of a lost or stalled state: the reason column, else the policy.

        A missing reason that the policy refuses is returned, not raised: it refuses the
        row only when the row's move needs it (a reversal is reported as such first).
        """
        if state not in _NEEDS_REASON:
            return None
        reason = self.reason(row) if self.reason is not None else None
        if reason is None:
            policy = self.mapping.missing["reason"]
            if policy.kind is PolicyKind.DEFAULT:
                return str(policy.default)
            column = self.mapping.columns.get("reason")
            said = f"{column} is empty" if column else "the mapping has no reason column"
            return _Skip(
                Problem.MISSING_VALUE,
                f"a {state.lower()} deal needs a reason: {said}"
                ' (declare missing.reason = { default = "…" } to accept it)',
            )
        return str(reason)


def _problem_of(error: InvalidData) -> _Skip:
    if isinstance(error, CellError):
        return _Skip(error.kind, str(error))
    return _Skip(Problem.INVALID, str(error))


def _deal(key: str, mapping: Mapping, values: cabc.Sequence[Any], base: Deal | None) -> Deal:
    """The deal of *key* from its fields (missing ones by policy), or ``_Skip``."""
    policy = mapping.missing
    if base is not None:
        return Deal(
            key,
            base.account,
            base.amount,
            expected_close=base.expected_close,
            owner=base.owner,
            people=base.people,
            competitors=base.competitors,
        )
    resolved = list(values)
    for slot, field in enumerate(_DEAL_FIELDS):
        if resolved[slot] is not None:
            continue
        rule = policy[field]
        if rule.kind is PolicyKind.DEFAULT:
            resolved[slot] = rule.default
        elif rule.kind is PolicyKind.REFUSE and field != "currency":
            column = mapping.columns.get(field)
            said = f"column {column!r} is empty" if column else "the mapping has no column for it"
            raise _Skip(Problem.MISSING_VALUE, f"the deal's {field} is missing: {said}")
    amount = resolved[_AMOUNT]
    if amount is None:
        raise _Skip(Problem.MISSING_VALUE, "the deal's amount is empty")
    if not isinstance(amount, Money):
        currency = resolved[_CURRENCY] or mapping.currency
        if currency is None:
            raise _Skip(
                Problem.MISSING_VALUE,
                f"the deal's currency is empty ({mapping.columns.get('currency')})",
            )
        try:
            amount = Money(amount, currency)
        except InvalidData as error:
            raise _Skip(Problem.BAD_AMOUNT, str(error)) from None
    account = resolved[_ACCOUNT]
    if account is None:
        raise _Skip(Problem.MISSING_VALUE, "the deal's account is empty")
    segment = resolved[_SEGMENT]
    if segment is None:
        raise _Skip(Problem.MISSING_VALUE, "the deal's segment is empty")
    try:
        return Deal(
            key,
            Account(account, segment, resolved[_INDUSTRY], resolved[_ACCOUNT_ID]),
            amount,
            expected_close=resolved[_CLOSE],
            owner=resolved[_OWNER],
        )
    except InvalidData as error:
        raise _Skip(Problem.INVALID, str(error)) from None


def _no_move(cycle: Cycle, source: str, dest: str) -> _Skip:
    if source in _OUTCOMES and dest in _OUTCOMES:
        return _Skip(Problem.REVERSAL, f"{source} → {dest}: an outcome is final in {cycle.name}")
    if source in _OUTCOMES:
        return _Skip(Problem.REOPENED, f"{source} → {dest}: an outcome is final in {cycle.name}")
    moves = ", ".join(cycle.table.triggers(source)) or "none"
    return _Skip(
        Problem.NO_MOVE,
        f"{cycle.name} has no move {source} → {dest} (moves from {source}: {moves})",
    )


def _as_of(value: object, mapping: Mapping) -> dt.datetime | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        if value.utcoffset() is None:
            raise InvalidData("as_of", f"a timezone-aware datetime is required, got {value!r}")
        return value
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day, tzinfo=mapping.formats.timezone)
    raise InvalidData("as_of", f"expected a date or an aware datetime, got {value!r}")


class _Run:
    """The bookkeeping of one import: refusals, placements, counts."""

    def __init__(self, mapping: Mapping, tables: list[Table], progress: Progress | None) -> None:
        self.mapping = mapping
        self.tables = tables
        self.progress = progress
        self.refused: list[Refusal] = []
        self.rows = 0
        self.columns: dict[str, None] = {}
        for table in tables:
            self.columns.update(dict.fromkeys(table.columns))
        self.totals = [t.progress()[1] for t in tables]
        prefix = mapping.id_prefix or ""
        self.plans = [
            _Plan(mapping, t, f"{prefix}{n}:" if len(tables) > 1 else prefix)
            for n, t in enumerate(tables, 1)
        ]

    def refuse(self, table: Table, line: int, key: str | None, skip: _Skip, row: Any) -> None:
        raw = dict(zip(table.columns, row, strict=False)) if isinstance(row, tuple) else {}
        refusal = trusted(
            Refusal, table.name, line, key, skip.problem, skip.detail, MappingProxyType(raw)
        )
        self.refused.append(refusal)

    def records(self) -> cabc.Iterator[tuple[int, Table, _Plan, int, tuple[Any, ...] | Unreadable]]:
        done_before = 0
        known = all(t is not None for t in self.totals)
        total = sum(t or 0 for t in self.totals) if known else None
        for index, (table, plan) in enumerate(zip(self.tables, self.plans, strict=True)):
            for n, (line, row) in enumerate(table.records(), 1):
                self.rows += 1
                if self.progress is not None and not n % _EVERY:
                    self.progress("read", done_before + table.progress()[0], total)
                yield index, table, plan, line, row
            done_before += table.progress()[1] or table.progress()[0]
            if self.progress is not None:
                self.progress("read", done_before, total)

    def result(
        self,
        deals: dict[str, Deal],
        placed: dict[str, list[Position]],
        unchanged: list[Position],
        sorted_deals: list[str],
        repeats: list[tuple[Position, Position]],
    ) -> ImportResult:
        m = self.mapping
        return trusted(
            ImportResult,
            m.name,
            m.kind,
            m.cycle.name,
            tuple(t.name for t in self.tables),
            tuple(self.columns),
            _mapping_of(deals),
            tuple(self.refused),
            self.rows,
            _mapping_of({k: tuple(v) for k, v in placed.items()}),
            tuple(unchanged),
            tuple(sorted_deals),
            tuple(repeats),
            m.tax,
        )


def _key(plan: _Plan, line: int, row: tuple[Any, ...]) -> str:
    """The row's deal id: its id column, else its line (qualified if there are several sources)."""
    if plan.key is None:
        return f"{plan.line_id}{line}"
    key: str = plan.key(row)
    return key


def _snapshot(run: _Run, as_of: dt.datetime | None) -> ImportResult:
    mapping = run.mapping
    cycle = mapping.cycle
    order = {s: i for i, s in enumerate(cycle.states)}
    table_of = cycle.table
    deals: dict[str, Deal] = {}
    placed: dict[str, list[Position]] = {}
    first: dict[str, Position] = {}
    seen_rows: dict[tuple[Any, ...], Position] = {}
    repeats: list[tuple[Position, Position]] = []
    note_repeats = mapping.id_prefix is not None or "id" not in mapping.columns
    source = mapping.source
    for index, table, plan, line, row in run.records():
        here = _where(Position, (index, line))
        if isinstance(row, Unreadable):
            run.refuse(table, line, None, _Skip(row.problem, row.detail), row)
            continue
        key: str | None = None
        try:
            key = _key(plan, line, row)
            if key in first:
                before = first[key]
                raise _Skip(
                    Problem.DUPLICATE,
                    f"id {key!r} was first on {run.tables[before.source].name} line {before.line}",
                )
            first[key] = here
            state = plan.state(row)
            values = plan.deal_values(row)
            facts = plan.fact_values(row)
            reason = plan.reason_for(state, row)
            entries = _entries(plan, row, state, values[_CREATED], as_of, order, cycle)
            deal = _deal(key, mapping, values, None)
            for fact_id, value in facts:
                deal.record(fact_id, value, at=entries[0][1], source=source)
            previous: str | None = None
            for target, at in entries:
                needs = _reason(reason) if target in _NEEDS_REASON else None
                if previous is None:
                    deal.enter(cycle, target, at=at, source=source, reason=needs)
                else:
                    step = table_of.between(previous, target)
                    if step is None:
                        raise _no_move(cycle, previous, target)
                    deal.move(
                        cycle, step.trigger, at=at, imported=True, source=source, reason=needs
                    )
                previous = target
        except _Skip as skip:
            run.refuse(table, line, key, skip, row)
            continue
        except InvalidData as error:
            run.refuse(table, line, key, _problem_of(error), row)
            continue
        except BigAccountError as error:
            run.refuse(table, line, key, _Skip(Problem.INVALID, str(error)), row)
            continue
        if note_repeats:
            earlier = seen_rows.setdefault(row, here)
            if earlier is not here:
                repeats.append((here, earlier))
        deals[key] = deal
        placed[key] = [here]
    return run.result(deals, placed, [], [], repeats)


def _entries(
    plan: _Plan,
    row: tuple[Any, ...],
    state: str,
    created: dt.datetime | None,
    as_of: dt.datetime | None,
    order: dict[str, int],
    cycle: Cycle,
) -> list[tuple[str, dt.datetime]]:
    """The states of a snapshot row with their times, in the cycle's order, the current one last."""
    position = order[state]
    current_is_outcome = state in _OUTCOMES
    found: dict[str, dt.datetime] = {}
    for target, get in plan.times:
        if target == state or (
            target not in _OUTCOMES and (current_is_outcome or order[target] < position)
        ):
            at = get(row)
            if at is not None:
                found[target] = at
    if state not in found:
        at = created if created is not None else as_of
        if at is None:
            raise _Skip(
                Problem.NO_TIME,
                f"no time for {state}: the row has no time of its own (times.{state} or"
                " columns.created) and no as_of was given",
            )
        found[state] = at
    entries = sorted(found.items(), key=lambda kv: order[kv[0]])
    for (a, ta), (b, tb) in itertools.pairwise(entries):
        if tb < ta:
            raise _Skip(
                Problem.TIMES_OUT_OF_ORDER,
                f"{b} at {tb.isoformat()} is before {a} at {ta.isoformat()}",
            )
    return entries


class _Row(NamedTuple):
    position: Position
    time: dt.datetime
    state: str
    values: list[Any]
    facts: tuple[tuple[str, Any], ...]
    reason: str | _Skip | None
    table: int
    row: tuple[Any, ...]


def _history(run: _Run, base: cabc.Mapping[str, Deal] | None) -> ImportResult:
    mapping = run.mapping
    groups: dict[str, list[_Row]] = {}
    last_time: dict[str, dt.datetime] = {}
    unsorted: set[str] = set()
    row_ids: dict[str, Position] = {}
    same_rows: dict[tuple[str, tuple[Any, ...]], Position] = {}
    check_rows = "row_id" not in mapping.columns
    tables = run.tables
    for index, table, plan, line, row in run.records():
        if isinstance(row, Unreadable):
            run.refuse(table, line, None, _Skip(row.problem, row.detail), row)
            continue
        here = _where(Position, (index, line))
        key: str | None = None
        try:
            key = _key(plan, line, row)
            time = plan.time(row)
            if plan.row_id is not None:
                row_id = plan.row_id(row)
                earlier = row_ids.setdefault(row_id, here)
                if earlier is not here:
                    raise _Skip(
                        Problem.DUPLICATE,
                        f"row id {row_id!r} was first on {tables[earlier.source].name}"
                        f" line {earlier.line}",
                    )
            elif check_rows:
                earlier = same_rows.setdefault((key, row), here)
                if earlier is not here:
                    raise _Skip(
                        Problem.DUPLICATE,
                        f"repeats {tables[earlier.source].name} line {earlier.line}",
                    )
            state = plan.state(row)
            item = _Row(
                here,
                time,
                state,
                plan.deal_values(row),
                plan.fact_values(row),
                plan.reason_for(state, row),
                index,
                row,
            )
        except _Skip as skip:
            run.refuse(table, line, key, skip, row)
            continue
        except InvalidData as error:
            run.refuse(table, line, key, _problem_of(error), row)
            continue
        group = groups.get(key)
        if group is None:
            groups[key] = [item]
        else:
            if time < last_time[key]:
                unsorted.add(key)
            group.append(item)
        if key not in unsorted:
            last_time[key] = time

    deals: dict[str, Deal] = {}
    placed: dict[str, list[Position]] = {}
    unchanged: list[Position] = []
    sorted_deals: list[str] = []
    total = len(groups)
    for n, (key, rows) in enumerate(groups.items(), 1):
        if run.progress is not None and not n % _EVERY:
            run.progress("build", n, total)
        if key in unsorted:
            rows.sort(key=lambda r: r.time)
            sorted_deals.append(key)
        made = _replay_deal(run, key, rows, base.get(key) if base else None, unchanged)
        if made is not None:
            deals[key], placed[key] = made
    if run.progress is not None:
        run.progress("build", total, total)
    return run.result(deals, placed, unchanged, sorted_deals, [])


def _followed(rows: list[_Row], between: Any) -> list[_Row]:
    """The rows the cycle will accept, by their states alone: those whose fields the deal takes."""
    kept: list[_Row] = []
    current: str | None = None
    for item in rows:
        if current is None:
            if isinstance(item.reason, _Skip):
                continue
        elif item.state != current:
            step = between(current, item.state)
            if step is None or (step.move in NEEDS_REASON and isinstance(item.reason, _Skip)):
                continue
        kept.append(item)
        current = item.state
    return kept


def _latest(rows: list[_Row]) -> list[Any]:
    values: list[Any] = [None] * len(_DEAL_FIELDS)
    for item in rows:
        for slot, value in enumerate(item.values):
            if value is not None:
                values[slot] = value
    return values


def _replay_deal(
    run: _Run, key: str, rows: list[_Row], base: Deal | None, unchanged: list[Position]
) -> tuple[Deal, list[Position]] | None:
    mapping = run.mapping
    cycle = mapping.cycle
    between = cycle.table.between
    source = mapping.source

    def refuse(item: _Row, skip: _Skip) -> None:
        run.refuse(run.tables[item.table], item.position.line, key, skip, item.row)

    try:
        deal = _deal(key, mapping, _latest(_followed(rows, between) or rows), base)
    except _Skip as skip:
        for item in rows:
            refuse(item, skip)
        return None
    fresh = deal
    placed: list[Position] = []
    current: str | None = None
    for item in rows:
        mark = deal.version
        try:
            if current is None:
                reason = _reason(item.reason)
                if base is not None:
                    for fact in base.facts.values():
                        deal.record(
                            fact.id, fact.value, at=item.time, actor=fact.by, source=fact.source
                        )
                _record_facts(deal, item, source)
                deal.enter(cycle, item.state, at=item.time, source=source, reason=reason)
            elif item.state == current:
                _record_facts(deal, item, source)
                unchanged.append(item.position)
            else:
                step = between(current, item.state)
                if step is None:
                    raise _no_move(cycle, current, item.state)
                reason = _reason(item.reason) if step.move in NEEDS_REASON else None
                _record_facts(deal, item, source)
                deal.move(
                    cycle, step.trigger, at=item.time, imported=True, source=source, reason=reason
                )
        except (_Skip, BigAccountError) as error:
            if deal.version != mark:
                deal = _rebuilt(fresh, deal, mark, cycle)
            reason_ = error if isinstance(error, _Skip) else _Skip(Problem.INVALID, str(error))
            refuse(item, reason_)
            continue
        current = item.state
        placed.append(item.position)
    if current is None:
        return None
    return deal, placed


def _reason(reason: str | _Skip | None) -> str | None:
    if isinstance(reason, _Skip):
        raise reason
    return reason


def _record_facts(deal: Deal, item: _Row, source: str) -> None:
    for fact_id, value in item.facts:
        held = deal.facts.get(fact_id)
        if held is None or held.value != value or type(held.value) is not type(value):
            deal.record(fact_id, value, at=item.time, source=source)


def _rebuilt(fresh: Deal, deal: Deal, mark: int, cycle: Cycle) -> Deal:
    """The deal as it was before its last *version − mark* events (a failed row undone)."""
    return Deal.replay(
        fresh.id,
        fresh.account,
        fresh.amount,
        deal.events[:mark],
        cycles=[cycle],
        expected_close=fresh.expected_close,
        owner=fresh.owner,
        people=fresh.people,
        competitors=fresh.competitors,
    )


# -- the calls ---------------------------------------------------------------------------


def _tables(source: Any, mapping: Mapping) -> list[Table]:
    items = list(source) if isinstance(source, (list, tuple)) else [source]
    if not items:
        raise InvalidData("source", "no source given")
    tables: list[Table] = []
    given: dict[object, int] = {}
    for n, item in enumerate(items, 1):
        if isinstance(item, (str, os.PathLike)):
            path = file_path(item, "source")
            same: object = os.path.realpath(path)
        else:
            same = id(item)
        if same in given:
            shown = item if isinstance(item, (str, os.PathLike)) else type(item).__name__
            raise InvalidData(
                "source",
                f"source {n} is source {given[same]} again ({shown}): its rows would be read"
                " twice; give each source once",
            )
        given[same] = n
        if isinstance(item, (str, os.PathLike)):
            try:
                table = CsvTable(path, delimiter=mapping.delimiter, encoding=mapping.encoding)
            except OSError as error:
                raise unopened(path, error, "source") from None
            tables.append(table)
        elif isinstance(item, Table):
            tables.append(item)
        elif hasattr(item, "columns") and hasattr(item, "iloc"):
            tables.append(FrameTable(item))
        else:
            raise InvalidData(
                "source",
                f"expected a CSV path, a DataFrame or a table, got {type(item).__name__}",
            )
    return tables


def _base(value: object) -> cabc.Mapping[str, Deal] | None:
    if value is None:
        return None
    if isinstance(value, ImportResult):
        return value.deals
    if isinstance(value, cabc.Mapping):
        deals = dict(value)
    elif isinstance(value, cabc.Iterable):
        deals = {}
        for deal in value:
            if not isinstance(deal, Deal):
                raise InvalidData("base", f"expected deals, got {type(deal).__name__}")
            if deals.setdefault(deal.id, deal) is not deal:
                raise InvalidData("base", f"two deals have the id {deal.id!r}: which one is meant?")
    else:
        raise InvalidData("base", f"expected deals by id, got {type(value).__name__}")
    for key, deal in deals.items():
        if not isinstance(deal, Deal) or deal.id != key:
            raise InvalidData("base", f"expected the deal of id {key!r}, got {deal!r}")
    return deals


def _progress(value: object) -> Progress | None:
    if value is None:
        return None
    if not callable(value):
        raise InvalidData("progress", f"expected a callable or None, got {value!r}")
    try:
        signature = inspect.signature(value)
    except (TypeError, ValueError):
        return value
    try:
        signature.bind("read", 0, None)
    except TypeError:
        raise InvalidData(
            "progress", f"expected a callable taking (phase, done, total), got {value!r}"
        ) from None
    return value


MappingSpec = Mapping | cabc.Mapping[str, Any] | str | Path
"""What names a mapping: itself, its plain data, a TOML file's path or a shipped name."""


def import_deals(
    source: Any,
    mapping: MappingSpec,
    *,
    as_of: dt.date | dt.datetime | None = None,
    base: Any = None,
    progress: Progress | None = None,
) -> ImportResult:
    """Import *source* through *mapping*: snapshot rows become deals, history rows their events.

    Args:
        source: a CSV file's path, a :class:`~bigaccount.importers.sources.Table`, a pandas
            DataFrame, or a list of them (read one after the other, as one export; each
            given once).
        mapping: a :class:`~bigaccount.importers.mapping.Mapping`, its plain data, a TOML
            file's path, or the name of a shipped mapping.
        as_of: when the snapshot was taken: the time of a snapshot row's current state
            when the row has no time of its own (a date is midnight in the mapping's
            timezone). Never the wall clock.
        base: for a history, deals whose fields (account, amount, expected close, owner)
            and facts the history's deals take — an :class:`ImportResult` of the
            Opportunity snapshot, a mapping of deals by id, or an iterable of deals.
        progress: told ``(phase, done, total)`` every few thousand rows.

    Raises:
        MissingColumns: a source lacks columns the mapping reads (every one listed).
        InvalidData: a source cannot be read (a missing file, its encoding or header) or is
            given twice, or a bad argument (naming it: ``source``, ``as_of``, ``base``,
            ``progress``).
        InvalidDefinition: the mapping is malformed (every problem listed).

    Every argument is checked, and every source's columns, before a row is read.
    """
    m = resolve_mapping(mapping)
    told = _progress(progress)
    moment = _as_of(as_of, m)
    if moment is not None and m.kind is Kind.HISTORY:
        raise InvalidData("as_of", "a history's rows carry their own time; as_of is for snapshots")
    run = _Run(m, _tables(source, m), told)
    deals_base = _base(base)
    if deals_base is not None and m.kind is not Kind.HISTORY:
        raise InvalidData("base", "base deals complete a history import, not a snapshot")
    if m.kind is Kind.HISTORY and deals_base is None and m.needs_base:
        raise InvalidData(
            "base",
            f"the mapping {m.name} has no account or amount column and no default for it:"
            " give the deals they come from as base (the deals of the Opportunity import)",
        )
    if m.kind is Kind.SNAPSHOT:
        return _snapshot(run, moment)
    return _history(run, deals_base)


def import_snapshot(
    source: Any,
    mapping: MappingSpec,
    *,
    as_of: dt.date | dt.datetime | None = None,
    progress: Progress | None = None,
) -> ImportResult:
    """:func:`import_deals` with a snapshot mapping (a history mapping is refused).

    A snapshot makes its deals: it takes no ``base``.
    """
    m = resolve_mapping(mapping)
    if m.kind is not Kind.SNAPSHOT:
        raise InvalidData("mapping", f"{m.name} is a {m.kind.value} mapping, not a snapshot")
    return import_deals(source, m, as_of=as_of, progress=progress)


def import_history(
    source: Any,
    mapping: MappingSpec,
    *,
    base: Any = None,
    progress: Progress | None = None,
) -> ImportResult:
    """:func:`import_deals` with a history mapping (a snapshot mapping is refused).

    A history's rows carry their own time: it takes no ``as_of``.
    """
    m = resolve_mapping(mapping)
    if m.kind is not Kind.HISTORY:
        raise InvalidData("mapping", f"{m.name} is a {m.kind.value} mapping, not a history")
    return import_deals(source, m, base=base, progress=progress)
