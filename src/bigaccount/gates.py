"""Criteria and the gates that combine them: stage entry rules that explain themselves.

A :class:`Criterion` is one named, bilingual condition on a deal ("first contact
made"). A gate combines criteria by a rule — all of them, any of them, at least
*n* of *m*, or a rule chosen by the customer's segment — and evaluating it returns a
:class:`GateReport` that says what holds, what is missing and how many more are
needed, in both languages.

>>> from bigaccount import Criterion, at_least
>>> a, b, c = (Criterion.fact(k, k, k) for k in ("mail_sent", "first_contact", "visit_agreed"))
>>> gate = at_least(2, a, b, c)
>>> gate.rule.en
'at least 2 of 3'
"""

from __future__ import annotations

import abc
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any

from attrs import field, frozen

from .errors import InvalidData, InvalidDefinition
from .labels import Label, Lang, _as_lang
from .segment import Segment

if TYPE_CHECKING:
    from .deal import Deal

__all__ = [
    "OPEN",
    "AtLeast",
    "BySegment",
    "Criterion",
    "Gate",
    "GateReport",
    "all_of",
    "any_of",
    "at_least",
    "by_segment",
    "missing_criteria",
    "unique_criteria",
]


@frozen(repr=False)
class _FactTest:
    """The test of a plain fact criterion: the deal records the fact as true."""

    key: str

    def __call__(self, deal: Deal) -> bool:
        return deal.facts.get(self.key, False) is True

    def __repr__(self) -> str:
        return f"fact({self.key!r})"


@frozen
class Criterion:
    """A named condition on a deal, with a stable id and a bilingual label.

    Args:
        id: a stable identifier (used in reports, events and configuration).
        label: what the condition means, in Chinese and English.
        test: a function of the deal returning ``True`` when the condition holds; any
            other result (``False``, ``None``, a truthy string) counts as not holding.
        inferred: ``True`` where the source documents are cut off and the criterion
            was inferred rather than quoted.
    """

    id: str
    label: Label
    test: Callable[[Deal], bool] = field(eq=False, repr=False)
    inferred: bool = field(default=False, kw_only=True)

    @classmethod
    def fact(cls, id: str, zh: str, en: str, *, inferred: bool = False) -> Criterion:
        """A criterion that holds when ``deal.facts[id]`` is ``True``."""
        return cls(id, Label(zh, en), _FactTest(id), inferred=inferred)

    def holds(self, deal: Deal) -> bool:
        """Return whether the criterion holds for *deal*."""
        return self.test(deal) is True


@frozen
class GateReport:
    """The outcome of evaluating a gate on a deal.

    Attributes:
        stage: the stage whose gate this is (``None`` outside a cycle).
        rule: the rule applied, e.g. "at least 2 of 3"; for a segment rule, the rule
            of the deal's segment.
        passed: whether the gate lets the deal through.
        held: the criteria of the applied rule that hold.
        missing: those that do not.
        needed: how many more criteria must hold before it passes (0 when passed).
        segment: the customer segment that chose the rule, when the rule depends on it.
    """

    stage: str | None
    rule: Label
    passed: bool
    held: tuple[Criterion, ...]
    missing: tuple[Criterion, ...]
    needed: int
    segment: Segment | None = None

    def explain(self, lang: Lang | str | None = None) -> str:
        """One sentence saying whether the gate passes and, if not, what is missing."""
        en = _as_lang(lang) is Lang.EN if lang is not None else None
        return _explain(self, en)

    def explain_both(self) -> str:
        """The explanation in Chinese, then in English."""
        return f"{_explain(self, False)} / {_explain(self, True)}"


def unique_criteria(criteria: Iterable[Criterion]) -> tuple[Criterion, ...]:
    """*criteria* in order, each id once (the first occurrence wins)."""
    seen: dict[str, Criterion] = {}
    for criterion in criteria:
        seen.setdefault(criterion.id, criterion)
    return tuple(seen.values())


def missing_criteria(reports: Iterable[GateReport]) -> tuple[Criterion, ...]:
    """The criteria missing on the failing gates among *reports*, in order, once each."""
    return unique_criteria(c for r in reports if not r.passed for c in r.missing)


def _explain(report: GateReport, en: bool | None) -> str:
    from .labels import get_language

    if en is None:
        en = get_language() is Lang.EN
    where = f"{report.stage}: " if report.stage else ""
    rule = report.rule.en if en else report.rule.zh
    if report.passed:
        return f"{where}passes ({rule})" if en else f"{where}通过（{rule}）"
    names = [c.label.en if en else c.label.zh for c in report.missing]
    if en:
        return f"{where}needs {report.needed} more ({rule}); missing: {'; '.join(names)}"
    return f"{where}还需满足{report.needed}项（{rule}）；缺少：{'；'.join(names)}"


class Gate(abc.ABC):
    """A rule over criteria that decides whether a deal may enter a stage."""

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
    def evaluate(self, deal: Deal, stage: str | None = None) -> GateReport:
        """Evaluate the gate on *deal* and explain the result (naming *stage*, if given)."""

    @abc.abstractmethod
    def problems(self) -> list[str]:
        """What makes this gate malformed (empty when it is well formed)."""

    def passes(self, deal: Deal) -> bool:
        """Shorthand for ``evaluate(deal).passed``."""
        return self.evaluate(deal).passed


def _as_criteria(value: Iterable[Criterion]) -> tuple[Criterion, ...]:
    return tuple(value)


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


@frozen
class AtLeast(Gate):
    """Passes when at least ``n`` of ``criteria`` hold (all of them when ``n == len``)."""

    n: int
    criteria: tuple[Criterion, ...] = field(converter=_as_criteria)

    _rule: Label = field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "_rule", _count_rule(self.n, len(self.criteria)))

    @property
    def rule(self) -> Label:
        return self._rule

    def evaluate(self, deal: Deal, stage: str | None = None) -> GateReport:
        held: list[Criterion] = []
        missing: list[Criterion] = []
        for criterion in self.criteria:
            (held if criterion.test(deal) is True else missing).append(criterion)
        needed = self.n - len(held)
        return GateReport(
            stage, self._rule, needed <= 0, tuple(held), tuple(missing), max(needed, 0)
        )

    def problems(self) -> list[str]:
        found: list[str] = []
        m = len(self.criteria)
        if isinstance(self.n, bool) or not isinstance(self.n, int):
            return [f"needs a whole number of criteria, got {self.n!r}"]
        if not all(isinstance(c, Criterion) for c in self.criteria):
            return ["lists something that is not a Criterion"]
        if self.n < 0:
            found.append(f"asks for a negative number of criteria ({self.n})")
        if self.n > m:
            found.append(f"asks for {self.n} criteria but has only {m}")
        ids = [c.id for c in self.criteria]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            found.append(f"lists criteria more than once: {', '.join(dupes)}")
        return found


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
    items = value.items() if isinstance(value, Mapping) else value
    rules: list[tuple[Segment, Gate]] = []
    for key, gate in items:
        try:
            segment = Segment(key)
        except ValueError:
            raise InvalidDefinition("by_segment", f"{key!r} is not a customer segment") from None
        if not isinstance(gate, Gate):
            raise InvalidDefinition(
                f"by_segment[{segment.value}]", f"expected a Gate, got {gate!r}"
            )
        if any(seg is segment for seg, _ in rules):
            raise InvalidDefinition(f"by_segment[{segment.value}]", "the segment has two rules")
        rules.append((segment, gate))
    return tuple(rules)


@frozen
class BySegment(Gate):
    """Applies the rule of the deal's account segment (``deal.account.segment``).

    The KA funnel's APPROVED stage is the model: a small or medium enterprise needs
    criteria 1 and 4, a large enterprise or a government customer 1 to 4.
    """

    rules: tuple[tuple[Segment, Gate], ...] = field(converter=_as_rules)

    @property
    def rule(self) -> Label:
        parts_zh = [f"{seg.label.zh}：{gate.rule.zh}" for seg, gate in self.rules]
        parts_en = [f"{seg.label.en}: {gate.rule.en}" for seg, gate in self.rules]
        return Label("；".join(parts_zh) or "无", "; ".join(parts_en) or "none")

    @property
    def criteria(self) -> tuple[Criterion, ...]:
        return unique_criteria(c for _, gate in self.rules for c in gate.criteria)

    def gate_for(self, segment: Segment) -> Gate:
        """The gate that applies to *segment*."""
        for seg, gate in self.rules:
            if seg is segment:
                return gate
        raise InvalidData("account.segment", f"no rule for segment {segment.value!r}")

    def evaluate(self, deal: Deal, stage: str | None = None) -> GateReport:
        segment = deal.account.segment
        report = self.gate_for(segment).evaluate(deal)
        return GateReport(
            stage, report.rule, report.passed, report.held, report.missing, report.needed, segment
        )

    def problems(self) -> list[str]:
        found: list[str] = []
        segments = [seg for seg, _ in self.rules]
        absent = [s.value for s in Segment if s not in segments]
        if absent:
            found.append(f"has no rule for segment(s) {', '.join(absent)}")
        for seg, gate in self.rules:
            found.extend(f"[{seg.value}] {p}" for p in gate.problems())
        return found


def by_segment(rules: Mapping[Segment, Gate]) -> BySegment:
    """A gate whose rule depends on the account's segment; every segment needs a rule."""
    return BySegment(rules)
