"""Criteria and the gates that combine them: stage rules that explain themselves.

A :class:`Criterion` is one named, bilingual condition on the evidence of a deal
("first contact made", "budget at least 1 000 000 CNY"). A gate combines criteria by a
rule — all of them, any of them, at least *n* of *m*, or a rule chosen by the customer's
segment — and evaluating it returns a :class:`GateReport` that says what holds, what is
missing and how many more are needed, in both languages, and which gate (the entry or
exit gate of which stage) it is.

Criteria read an :class:`~bigaccount.evidence.Evidence` (a deal, a table row) in a
:class:`~bigaccount.context.Context` (the as-of moment and the settings in force); the
engine knows nothing else of deals.

>>> from bigaccount import Criterion, Money, Snapshot, at_least
>>> a, b, c = (Criterion.fact(k, k, k) for k in ("mail_sent", "first_contact", "visit_agreed"))
>>> gate = at_least(2, a, b, c)
>>> gate.rule.en
'at least 2 of 3'
>>> budget = Criterion.compare("budget_ok", "预算不少于100万", "budget of at least 1m",
...                            fact="budget", op=">=", value=Money("1000000", "CNY"))
>>> budget.holds(Snapshot.of({"budget": Money("1500000", "CNY")}))
True
"""

from __future__ import annotations

import abc
import datetime as dt
import operator
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from attrs import field, frozen

from ._validate import (
    Rule,
    flag,
    many_of,
    member,
    of_kind,
    optional_member,
    optional_text,
    slot_setters,
    to_tuple,
    whole,
)
from .context import Context, resolve_context
from .errors import BigAccountError, InvalidData, InvalidDefinition
from .evidence import Evidence, FactValue, check_fact_value
from .labels import Label, LabelledEnum, Lang, _as_lang, label_members
from .money import Money
from .segment import Segment

__all__ = [
    "OPEN",
    "AtLeast",
    "BySegment",
    "Criterion",
    "Gate",
    "GateKind",
    "GateReport",
    "StageBlocked",
    "Test",
    "all_of",
    "any_of",
    "at_least",
    "by_segment",
    "missing_criteria",
    "unique_criteria",
]

Test = Callable[[Evidence, Context], bool]
"""A criterion's test: ``True`` when it holds for the evidence in the context."""

_ID = re.compile(r"[A-Za-z_][A-Za-z0-9_.:-]*\Z")


class GateKind(LabelledEnum):
    """Which gate of a stage a report belongs to."""

    ENTRY = "entry"
    """What must hold for a deal to stand in the stage (the KA funnel's 阶段评判标准)."""
    EXIT = "exit"
    """What must hold for the stage to be accepted as done (P0–P7's 验收节点)."""
    ROUTE = "route"
    """The condition of a declared route."""
    WIN = "win"
    """What must hold for a pipeline to be won."""


label_members(
    GateKind,
    {
        GateKind.ENTRY: Label("进入", "entry"),
        GateKind.EXIT: Label("验收", "exit"),
        GateKind.ROUTE: Label("分支", "route"),
        GateKind.WIN: Label("赢单", "win"),
    },
)


@frozen(repr=False)
class _FactTest:
    """The test of a plain fact criterion: the evidence records the fact as ``True``."""

    key: str

    def __call__(self, evidence: Evidence, context: Context) -> bool:
        fact = evidence.facts.get(self.key)
        return fact is not None and fact.value is True

    def __repr__(self) -> str:
        return f"fact({self.key!r})"


_OPS: dict[str, Callable[[Any, Any], bool]] = {
    ">=": operator.ge,
    ">": operator.gt,
    "<=": operator.le,
    "<": operator.lt,
    "==": operator.eq,
    "!=": operator.ne,
}


def _kind_of(value: object) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float, Decimal)):
        return "number"
    if isinstance(value, dt.datetime):
        return "datetime"
    if isinstance(value, dt.date):
        return "date"
    if isinstance(value, str):
        return "text"
    return type(value).__name__


@frozen(repr=False)
class _CompareTest:
    """The test of a value criterion: ``facts[key].value <op> threshold``."""

    criterion: str
    key: str
    op: str
    threshold: FactValue
    _compare: Callable[[Any, Any], bool] = field(init=False, eq=False)
    _kind: str = field(init=False, eq=False)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "_compare", _OPS[self.op])
        object.__setattr__(self, "_kind", _kind_of(self.threshold))

    def __call__(self, evidence: Evidence, context: Context) -> bool:
        fact = evidence.facts.get(self.key)
        if fact is None:
            return False
        value = fact.value
        threshold = self.threshold
        if type(value) is type(threshold) and type(value) is not Money:
            return self._compare(value, threshold) is True
        if _kind_of(value) != self._kind:
            raise InvalidData(
                f"facts.{self.key}",
                f"criterion {self.criterion!r} compares it with {self.threshold!r}, "
                f"but it holds {value!r}",
            )
        try:
            return self._compare(value, threshold) is True
        except BigAccountError as error:
            raise InvalidData(
                f"facts.{self.key}", f"criterion {self.criterion!r}: {error}"
            ) from error

    def __repr__(self) -> str:
        return f"value({self.key!r} {self.op} {self.threshold!r})"


@frozen(repr=False)
class _WithinTest:
    """The test of a date criterion: the fact's date lies within *days* after the as-of date."""

    key: str
    days: int

    def __call__(self, evidence: Evidence, context: Context) -> bool:
        fact = evidence.facts.get(self.key)
        reference = context.reference
        if fact is None or reference is None:
            return False
        value = fact.value
        if isinstance(value, dt.datetime):
            value = value.astimezone(reference.tzinfo).date()
        elif not isinstance(value, dt.date):
            raise InvalidData(f"facts.{self.key}", f"expected a date, got {value!r}")
        delta = (value - reference.date()).days
        return 0 <= delta <= self.days

    def __repr__(self) -> str:
        return f"within({self.key!r}, {self.days} days)"


def _criterion_id(_: object, __: object, value: Any) -> None:
    if not isinstance(value, str) or not _ID.match(value):
        raise InvalidDefinition(
            "criterion.id",
            f"a criterion id must be an identifier such as 'budget_known', got {value!r}",
        )


def _label(_: object, attribute: Any, value: Any) -> None:
    if not isinstance(value, Label):
        raise InvalidDefinition(f"criterion.{attribute.name}", f"expected a Label, got {value!r}")


def _test(_: object, __: object, value: Any) -> None:
    if not callable(value):
        raise InvalidDefinition("criterion.test", f"expected a function, got {value!r}")


def _flag(_: object, attribute: Any, value: Any) -> None:
    if not isinstance(value, bool):
        raise InvalidDefinition(f"criterion.{attribute.name}", f"expected a bool, got {value!r}")


@frozen
class Criterion:
    """A named condition on the evidence of a deal, with a stable id and a bilingual label.

    Args:
        id: a stable identifier (used in reports, events and configuration).
        label: what the condition means, in Chinese and English.
        test: a function of the evidence and the context returning ``True`` when the
            condition holds; any other result counts as not holding.
        inferred: ``True`` where the source documents are cut off and the criterion
            was inferred rather than quoted.

    Raises:
        InvalidDefinition: a malformed id, label or test.
    """

    id: str = field(validator=_criterion_id)
    label: Label = field(validator=_label)
    test: Test = field(eq=False, repr=False, validator=_test)
    inferred: bool = field(default=False, kw_only=True, validator=_flag)

    @classmethod
    def fact(cls, id: str, zh: str, en: str, *, inferred: bool = False) -> Criterion:
        """A criterion that holds when the fact *id* is recorded as ``True``."""
        return cls(id, Label(zh, en), _FactTest(id), inferred=inferred)

    @classmethod
    def compare(
        cls,
        id: str,
        zh: str,
        en: str,
        *,
        fact: str,
        op: str,
        value: FactValue,
        inferred: bool = False,
    ) -> Criterion:
        """A criterion that holds when the fact *fact*'s value compares with *value* by *op*.

        *op* is one of ``>= > <= < == !=``. A fact that is not recorded does not hold; a
        fact of another kind than *value* (text against an amount, CNY against USD) is a
        data error, raised as :class:`~bigaccount.errors.InvalidData` naming the fact.
        """
        if op not in _OPS:
            raise InvalidDefinition(f"criterion {id!r}", f"unknown comparison {op!r}")
        if not isinstance(fact, str) or not fact:
            raise InvalidDefinition(f"criterion {id!r}", f"fact must be a fact id, got {fact!r}")
        try:
            threshold = check_fact_value(value, "value")
        except InvalidData as error:
            raise InvalidDefinition(f"criterion {id!r}", error.problem) from None
        return cls(id, Label(zh, en), _CompareTest(id, fact, op, threshold), inferred=inferred)

    @classmethod
    def within(
        cls, id: str, zh: str, en: str, *, fact: str, days: int, inferred: bool = False
    ) -> Criterion:
        """A criterion that holds when the date fact *fact* falls within *days* after as-of.

        Days count from the context's as-of moment, else from the time of the move;
        without either (a check with no clock) the criterion does not hold.
        """
        if isinstance(days, bool) or not isinstance(days, int) or days < 0:
            raise InvalidDefinition(
                f"criterion {id!r}", f"days must be a whole number >= 0, got {days!r}"
            )
        return cls(id, Label(zh, en), _WithinTest(fact, days), inferred=inferred)

    def holds(self, evidence: Evidence, context: Context | None = None) -> bool:
        """Return whether the criterion holds for *evidence* (in the current context)."""
        return self.test(evidence, resolve_context(context)) is True

    def __repr__(self) -> str:
        inferred = ", inferred" if self.inferred else ""
        return f"Criterion({self.id!r}, {self.label.both()}{inferred})"


def _gate_kind(value: object) -> GateKind:
    return member(GateKind, value, "kind")


def _placed(stage: object, kind: object) -> tuple[str | None, GateKind]:
    """The *stage* and *kind* a gate is evaluated for, checked (two type tests when right)."""
    if stage is not None and (type(stage) is not str or not stage.strip()):
        raise InvalidData("stage", f"expected a stage's id (non-empty text) or None, got {stage!r}")
    if type(kind) is not GateKind:
        kind = _gate_kind(kind)
    return stage, kind


def _segment(value: object) -> Segment | None:
    return optional_member(Segment, value, "segment")


@frozen
class GateReport:
    """The outcome of evaluating a gate on the evidence of a deal.

    Attributes:
        stage: the stage whose gate this is (``None`` outside a cycle).
        rule: the rule applied, e.g. "at least 2 of 3"; for a segment rule, the rule
            of the deal's segment.
        passed: whether the gate lets the deal through.
        held: the criteria of the applied rule that hold.
        missing: those that do not.
        needed: how many more criteria must hold before it passes (0 when passed).
        segment: the customer segment that chose the rule, when the rule depends on it.
        kind: which gate of the stage it is: entry, exit, route or win.

    Gates make their reports when evaluated; a report built by hand is checked: a
    sequence of criteria is kept as a tuple, a segment or a kind may be given by its
    value (``"sme"``).

    Raises:
        InvalidData: naming the field (or the item, ``held[1]``) of a wrong value.
    """

    stage: str | None = field(validator=Rule(optional_text))
    rule: Label = field(validator=Rule(of_kind(Label)))
    passed: bool = field(validator=Rule(flag))
    held: tuple[Criterion, ...] = field(converter=to_tuple, validator=Rule(many_of(Criterion)))
    missing: tuple[Criterion, ...] = field(converter=to_tuple, validator=Rule(many_of(Criterion)))
    needed: int = field(validator=Rule(whole))
    segment: Segment | None = field(default=None, converter=_segment)
    kind: GateKind = field(default=GateKind.ENTRY, converter=_gate_kind)

    def explain(self, lang: Lang | str | None = None) -> str:
        """One sentence saying whether the gate passes and, if not, what is missing."""
        en = _as_lang(lang) is Lang.EN if lang is not None else None
        return _explain(self, en)

    def explain_both(self) -> str:
        """The explanation in Chinese, then in English."""
        return f"{_explain(self, False)} / {_explain(self, True)}"

    def __repr__(self) -> str:
        where = f"{self.stage!r} {self.kind.value}" if self.stage else self.kind.value
        verdict = "passed" if self.passed else f"blocked, needs {self.needed}"
        held = ", ".join(c.id for c in self.held)
        missing = ", ".join(c.id for c in self.missing)
        return f"GateReport({where}, {self.rule.en}: {verdict}; held [{held}], missing [{missing}])"

    def _repr_markdown_(self) -> str:
        from .display import report_markdown

        return report_markdown(self)


_new = object.__new__


def _report(
    stage: str | None,
    rule: Label,
    passed: bool,
    held: tuple[Criterion, ...],
    missing: tuple[Criterion, ...],
    needed: int,
    segment: Segment | None,
    kind: GateKind,
) -> GateReport:
    """A :class:`GateReport` from values a gate has just computed (no checks re-run)."""
    report: GateReport = _new(GateReport)
    s = _REPORT_SETTERS
    s[0](report, stage)
    s[1](report, rule)
    s[2](report, passed)
    s[3](report, held)
    s[4](report, missing)
    s[5](report, needed)
    s[6](report, segment)
    s[7](report, kind)
    return report


def unique_criteria(criteria: Iterable[Criterion]) -> tuple[Criterion, ...]:
    """*criteria* in order, each id once (the first occurrence wins)."""
    seen: dict[str, Criterion] = {}
    for criterion in criteria:
        seen.setdefault(criterion.id, criterion)
    return tuple(seen.values())


def missing_criteria(reports: Iterable[GateReport]) -> tuple[Criterion, ...]:
    """The criteria missing on the failing gates among *reports*, in order, once each."""
    return unique_criteria(c for r in reports if not r.passed for c in r.missing)


_REPORT_SETTERS = slot_setters(GateReport)
"""The slots' own setters of a report, for :func:`_report`."""


def _explain(report: GateReport, en: bool | None) -> str:
    from .labels import get_language

    if en is None:
        en = get_language() is Lang.EN
    where = ""
    if report.stage:
        if report.kind is GateKind.ENTRY:
            where = f"{report.stage}: " if en else f"{report.stage}："
        else:
            kind = report.kind.label
            where = f"{report.stage} ({kind.en}): " if en else f"{report.stage}（{kind.zh}）："
    rule = report.rule.en if en else report.rule.zh
    if report.passed:
        return f"{where}passes ({rule})" if en else f"{where}通过（{rule}）"
    names = [c.label.en if en else c.label.zh for c in report.missing]
    if en:
        return f"{where}needs {report.needed} more ({rule}); missing: {'; '.join(names)}"
    return f"{where}还需满足{report.needed}项（{rule}）；缺少：{'；'.join(names)}"


class Gate(abc.ABC):
    """A rule over criteria that decides whether a deal may enter, leave or win a stage."""

    __slots__ = ()

    @property
    @abc.abstractmethod
    def rule(self) -> Label:
        """The rule in words, both languages."""

    @property
    @abc.abstractmethod
    def criteria(self) -> tuple[Criterion, ...]:
        """Every criterion the gate may read, in declaration order."""

    @abc.abstractmethod
    def evaluate(
        self,
        evidence: Evidence,
        context: Context,
        stage: str | None = None,
        kind: GateKind = GateKind.ENTRY,
    ) -> GateReport:
        """Evaluate the gate on *evidence* in *context* and explain the result."""

    def passes(self, evidence: Evidence, context: Context | None = None) -> bool:
        """Shorthand for ``evaluate(evidence, context).passed`` (the current context by default)."""
        return self.evaluate(evidence, resolve_context(context)).passed


def _as_criteria(value: Iterable[Criterion]) -> tuple[Criterion, ...]:
    if isinstance(value, (str, bytes)) or not isinstance(value, Iterable):
        raise InvalidDefinition("gate", f"expected criteria, got {value!r}")
    items = tuple(value)
    for item in items:
        if not isinstance(item, Criterion):
            raise InvalidDefinition("gate", f"expected a Criterion, got {item!r}")
    ids = [c.id for c in items]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        raise InvalidDefinition("gate", f"lists criteria more than once: {', '.join(dupes)}")
    return items


def _count_rule(n: int, m: int) -> Label:
    """The words of an "at least n of m" rule."""
    if m == 0:
        return Label("无条件", "no condition")
    if n == m:
        if m == 1:
            return Label("须满足该项", "must hold")
        return Label(f"须全部满足{m}项", f"all {m} must hold")
    if n == 1:
        return Label(f"至少满足{m}项中的1项", f"at least 1 of {m}")
    return Label(f"至少满足{m}项中的{n}项", f"at least {n} of {m}")


def _count(_: object, __: object, value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidDefinition("gate", f"needs a whole number of criteria, got {value!r}")
    if value < 0:
        raise InvalidDefinition("gate", f"asks for a negative number of criteria ({value})")


@frozen
class AtLeast(Gate):
    """Passes when at least ``n`` of ``criteria`` hold (all of them when ``n == len``).

    Raises:
        InvalidDefinition: *n* is not a whole number in ``0..len(criteria)``, an item
            is not a :class:`Criterion`, or a criterion is listed twice.
    """

    n: int = field(validator=_count)
    criteria: tuple[Criterion, ...] = field(converter=_as_criteria)

    _rule: Label = field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        if self.n > len(self.criteria):
            raise InvalidDefinition(
                "gate", f"asks for {self.n} criteria but has only {len(self.criteria)}"
            )
        object.__setattr__(self, "_rule", _count_rule(self.n, len(self.criteria)))

    @property
    def rule(self) -> Label:
        return self._rule

    def __repr__(self) -> str:
        return f"AtLeast({self.n}, [{', '.join(repr(c.id) for c in self.criteria)}])"

    def evaluate(
        self,
        evidence: Evidence,
        context: Context,
        stage: str | None = None,
        kind: GateKind = GateKind.ENTRY,
    ) -> GateReport:
        stage, kind = _placed(stage, kind)
        held: list[Criterion] = []
        missing: list[Criterion] = []
        for criterion in self.criteria:
            (held if criterion.test(evidence, context) is True else missing).append(criterion)
        needed = self.n - len(held)
        return _report(
            stage, self._rule, needed <= 0, tuple(held), tuple(missing), max(needed, 0), None, kind
        )


def at_least(n: int, *criteria: Criterion) -> AtLeast:
    """A gate that passes when at least *n* of *criteria* hold."""
    return AtLeast(n, criteria)


def all_of(*criteria: Criterion) -> AtLeast:
    """A gate that passes when every one of *criteria* holds."""
    return AtLeast(len(criteria), criteria)


def any_of(*criteria: Criterion) -> AtLeast:
    """A gate that passes when at least one of *criteria* holds."""
    return AtLeast(1, criteria)


OPEN = AtLeast(0, ())
"""The gate with no condition: every deal passes."""


def _as_rules(
    value: Mapping[Any, Gate] | Iterable[tuple[Any, Gate]],
) -> tuple[tuple[Segment, Gate], ...]:
    if not isinstance(value, (Mapping, Iterable)) or isinstance(value, (str, bytes)):
        raise InvalidDefinition(
            "by_segment.rules", f"expected a mapping of segments to gates, got {value!r}"
        )
    items = value.items() if isinstance(value, Mapping) else value
    rules: list[tuple[Segment, Gate]] = []
    for item in items:
        if not isinstance(item, tuple) or len(item) != 2:
            raise InvalidDefinition(
                "by_segment.rules", f"expected (segment, gate) pairs, got {item!r}"
            )
        key, gate = item
        try:
            segment = Segment(key)
        except ValueError:
            raise InvalidDefinition("by_segment", f"{key!r} is not a customer segment") from None
        if not isinstance(gate, AtLeast):
            raise InvalidDefinition(
                f"by_segment[{segment.value}]", f"expected a counting gate, got {gate!r}"
            )
        if any(seg is segment for seg, _ in rules):
            raise InvalidDefinition(f"by_segment[{segment.value}]", "the segment has two rules")
        rules.append((segment, gate))
    absent = [s.value for s in Segment if all(seg is not s for seg, _ in rules)]
    if absent:
        raise InvalidDefinition("by_segment", f"has no rule for segment(s) {', '.join(absent)}")
    labels: dict[str, Label] = {}
    for _, gate in rules:
        for criterion in gate.criteria:
            if labels.setdefault(criterion.id, criterion.label) != criterion.label:
                raise InvalidDefinition(
                    "by_segment", f"criterion {criterion.id!r} has two different labels"
                )
    return tuple(rules)


@frozen
class BySegment(Gate):
    """Applies the rule of the customer's segment (``evidence.segment``).

    The KA funnel's APPROVED stage is the model: a small or medium enterprise needs
    criteria 1 and 4, a large enterprise or a government customer 1 to 4. Every
    segment needs a rule. Evidence without a segment cannot be judged, and raises
    :class:`~bigaccount.errors.InvalidData` naming ``segment``.
    """

    rules: tuple[tuple[Segment, Gate], ...] = field(converter=_as_rules)

    @property
    def rule(self) -> Label:
        parts_zh = [f"{seg.label.zh}：{gate.rule.zh}" for seg, gate in self.rules]
        parts_en = [f"{seg.label.en}: {gate.rule.en}" for seg, gate in self.rules]
        return Label("；".join(parts_zh), "; ".join(parts_en))

    @property
    def criteria(self) -> tuple[Criterion, ...]:
        return unique_criteria(c for _, gate in self.rules for c in gate.criteria)

    def __repr__(self) -> str:
        rules = ", ".join(f"{segment.value}: {gate!r}" for segment, gate in self.rules)
        return f"BySegment({rules})"

    def gate_for(self, segment: Segment) -> Gate:
        """The gate that applies to *segment*."""
        for seg, gate in self.rules:
            if seg is segment:
                return gate
        raise InvalidData("segment", f"no rule for segment {segment!r}")

    def evaluate(
        self,
        evidence: Evidence,
        context: Context,
        stage: str | None = None,
        kind: GateKind = GateKind.ENTRY,
    ) -> GateReport:
        stage, kind = _placed(stage, kind)
        segment = evidence.segment
        if segment is None:
            raise InvalidData(
                "segment", f"the rule of {stage or 'this gate'} depends on the customer's segment"
            )
        report = self.gate_for(segment).evaluate(evidence, context)
        return _report(
            stage,
            report.rule,
            report.passed,
            report.held,
            report.missing,
            report.needed,
            segment,
            kind,
        )


def by_segment(rules: Mapping[Segment, Gate]) -> BySegment:
    """A gate whose rule depends on the account's segment; every segment needs a rule."""
    return BySegment(rules)


class StageBlocked(BigAccountError):
    """A move was refused because a stage gate on its way does not pass.

    ``reports`` holds one :class:`~bigaccount.gates.GateReport` per gate on the way
    (a jump crosses several); ``blockers`` lists the criteria still missing.
    The deal is left exactly as it was.
    """

    def __init__(self, cycle: str, state: str, trigger: str, reports: Sequence[GateReport]) -> None:
        self.cycle = cycle
        self.state = state
        self.trigger = trigger
        self.reports = tuple(reports)
        failing = [r for r in self.reports if not r.passed]
        lines = "; ".join(r.explain_both() for r in failing)
        super().__init__(f"{cycle}: {trigger!r} from {state!r} is blocked: {lines}")

    @property
    def report(self) -> GateReport:
        """The first gate on the way that does not pass."""
        return next(r for r in self.reports if not r.passed)

    @property
    def blockers(self) -> tuple[Criterion, ...]:
        """The missing criteria of every failing gate, in order, without repeats."""
        return missing_criteria(self.reports)
