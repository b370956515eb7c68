"""Each deal's win probability: its stage's, a user's own number, and bounded adjustments.

The probability of a deal is decided in this order, and :class:`DealProbability` says
which value was used (:class:`ProbabilitySource`):

1. **Outcome.** A won deal is 1, a lost or stalled one 0; nothing overrides that.
2. **Override.** A user's own number (:class:`Override`) is used as it is — a stage
   change never silently replaces it. An override may name the stage it was set in;
   once the deal has left that stage the override has *expired*: the stage probability
   is used again and the explanation says so (``expired_override``).
3. **Stage.** Otherwise the probability of the deal's stage in the chosen pipeline
   (funnel, P0–P7, a user's own cycle), refined by the adjustments.

**Adjustments** refine a stage probability ``p`` by signals of the deal. Each one is
bounded by its ``limit`` ``L`` and reports its own effect ``δ`` (in basis points,
rounded half-even):

* :class:`RelationshipDepth`: relationship depth ``d ∈ [0, 1]`` (e.g.
  :func:`~bigaccount.scoring.relationship.account_depth`): ``δ = L·(2d − 1)``;
* :class:`GateProgress`: share ``s ∈ [0, 1]`` of the next stage's gate already met:
  ``δ = L·s``;
* :class:`TimeInStage`: time in stage over its norm, ``r = days / norm_days``:
  ``δ = −L·min(1, max(0, r − 1))`` (nothing up to the norm, −L at twice the norm);
* :class:`CompetitorPresent`: ``δ = −L`` when a competitor is on the deal.

The adjusted probability is ``clamp(p + Σ δ, 0, 1)``: the effects add, so their order
does not matter, and the total move is at most ``Σ L``. A probability of exactly 0 or 1
(a certain stage) is not adjusted. A signal of ``None`` (not known) has no effect.

>>> from bigaccount.analytics.weighting import CompetitorPresent, GateProgress, weigh_columns
>>> weights = weigh_columns(
...     ["0.3", "0.5", "0.5"],
...     overrides=[None, "0.9", None],
...     signals={"gate_share": [0.5, 1.0, None], "competitor": [True, False, False]},
...     adjustments=(GateProgress(), CompetitorPresent()),
... )
>>> [str(p) for p in weights.probabilities]
['0.275', '0.9', '0.5']
>>> [s.value for s in weights.sources]
['stage', 'override', 'stage']
>>> print(weights.details[0].explain("en"))
stage 0.3; share of the next gate met 0.5: +0.025; competitor present True: -0.05; probability 0.275
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from decimal import ROUND_HALF_EVEN, Decimal
from typing import TYPE_CHECKING, Any, ClassVar

from attrs import field, frozen

from ..errors import InvalidData
from ..labels import Label, LabelledEnum, Lang, label_members
from . import _columns as col
from .overrides import Override

if TYPE_CHECKING:
    from ..cycle import Cycle
    from ..deal import Deal

__all__ = [
    "Adjustment",
    "AdjustmentEffect",
    "CompetitorPresent",
    "DealProbability",
    "GateProgress",
    "Override",
    "ProbabilitySource",
    "RelationshipDepth",
    "TimeInStage",
    "Weights",
    "weigh",
    "weigh_columns",
]

_BP = col.BASIS_POINTS


class ProbabilitySource(LabelledEnum):
    """Which value a deal's probability is."""

    STAGE = "stage"
    OVERRIDE = "override"
    OUTCOME = "outcome"


label_members(
    ProbabilitySource,
    {
        ProbabilitySource.STAGE: Label("阶段概率", "stage"),
        ProbabilitySource.OVERRIDE: Label("人工设定", "own number"),
        ProbabilitySource.OUTCOME: Label("结果", "outcome"),
    },
)


def _limit(value: object) -> Decimal:
    return col.scaled(col.points(value, "limit"), 4)


def _unit_signal(value: object, name: str) -> Decimal:
    if isinstance(value, bool):
        raise InvalidData(name, f"expected a number in [0, 1], got {value!r}")
    exact = col._exact(value, name)
    if not Decimal(0) <= exact <= Decimal(1):
        raise InvalidData(name, f"{value!r} is outside [0, 1]")
    return exact


def _round(value: Decimal) -> int:
    return int(value.to_integral_value(rounding=ROUND_HALF_EVEN))


@frozen
class Adjustment:
    """A bounded refinement of a stage probability by one signal of the deal.

    Subclasses name their ``signal`` (the key of the signal column) and ``label``, and
    compute ``delta`` in basis points, never beyond ``limit`` either way.
    """

    signal: ClassVar[str] = ""
    label: ClassVar[Label] = Label("调整", "adjustment")
    limit: Decimal = field(default=Decimal("0.05"), converter=_limit)

    def delta(self, value: object) -> int:
        """The effect of the signal *value*, in basis points (``|δ| ≤ limit``)."""
        raise NotImplementedError

    @property
    def _points(self) -> Decimal:
        return self.limit.scaleb(4)


@frozen
class RelationshipDepth(Adjustment):
    """Depth of the relationship with the buying organisation, in [0, 1]: ``δ = L·(2d − 1)``."""

    signal: ClassVar[str] = "relationship"
    label: ClassVar[Label] = Label("客户关系深度", "relationship depth")
    limit: Decimal = field(default=Decimal("0.10"), converter=_limit)

    def delta(self, value: object) -> int:
        """Up to ``+L`` for the deepest relationship, ``−L`` for none."""
        depth = _unit_signal(value, "signals['relationship']")
        return _round(self._points * (2 * depth - 1))


@frozen
class GateProgress(Adjustment):
    """Share of the next stage's gate already met, in [0, 1]: ``δ = L·s``."""

    signal: ClassVar[str] = "gate_share"
    label: ClassVar[Label] = Label("下一阶段条件已满足的比例", "share of the next gate met")
    limit: Decimal = field(default=Decimal("0.05"), converter=_limit)

    def delta(self, value: object) -> int:
        """Up to ``+L`` when the next gate is met in full."""
        return _round(self._points * _unit_signal(value, "signals['gate_share']"))


@frozen
class TimeInStage(Adjustment):
    """Time in the stage over its norm, ``r = days / norm``: ``δ = −L·min(1, max(0, r − 1))``."""

    signal: ClassVar[str] = "stage_overrun"
    label: ClassVar[Label] = Label("停留时间超出常规", "time in stage beyond the norm")
    limit: Decimal = field(default=Decimal("0.15"), converter=_limit)

    def delta(self, value: object) -> int:
        """Nothing up to the norm, ``−L`` from twice the norm on."""
        if isinstance(value, bool):
            raise InvalidData("signals['stage_overrun']", f"expected a ratio, got {value!r}")
        ratio = col._exact(value, "signals['stage_overrun']")
        if ratio < 0:
            raise InvalidData("signals['stage_overrun']", f"{value!r} is negative")
        over = min(Decimal(1), max(Decimal(0), ratio - 1))
        return -_round(self._points * over)


@frozen
class CompetitorPresent(Adjustment):
    """A competitor on the deal: ``δ = −L``."""

    signal: ClassVar[str] = "competitor"
    label: ClassVar[Label] = Label("有竞争对手", "competitor present")
    limit: Decimal = field(default=Decimal("0.05"), converter=_limit)

    def delta(self, value: object) -> int:
        """``−L`` when *value* is True, nothing when False."""
        if not isinstance(value, bool):
            raise InvalidData("signals['competitor']", f"expected True or False, got {value!r}")
        return -_round(self._points) if value else 0


@frozen
class AdjustmentEffect:
    """What one adjustment did to one deal's probability."""

    label: Label
    signal: str
    value: object
    delta: Decimal


_EXPIRED = Label("人工概率已失效", "own number expired")
_CLAMPED = Label("限制在 [0, 1]", "kept within [0, 1]")
_PROBABILITY = Label("概率", "probability")


def _signed(value: Decimal) -> str:
    return f"+{value}" if value > 0 else str(value)


@frozen
class DealProbability:
    """How one deal's probability was decided.

    Attributes:
        index: the deal's row in the columns.
        stage: the stage probability (for a settled deal, its outcome's 1 or 0).
        source: which value is used.
        probability: the value used.
        override: the user's own number, when one applies.
        expired_override: an override that no longer applies (the deal left its stage).
        effects: the adjustments' effects, in order (stage probabilities only).
        clamped: whether ``p + Σ δ`` left [0, 1] and was brought back.
        id: the deal's id, on the object path.
    """

    index: int
    stage: Decimal
    source: ProbabilitySource
    probability: Decimal
    override: Decimal | None = None
    expired_override: Decimal | None = None
    effects: tuple[AdjustmentEffect, ...] = ()
    clamped: bool = False
    id: str | None = None

    def explain(self, lang: Lang | str | None = None) -> str:
        """One line: the base value, each effect and the result."""
        base = self.stage if self.override is None else self.override
        parts = [f"{self.source.label.text(lang)} {base}"]
        if self.expired_override is not None:
            parts.append(f"{_EXPIRED.text(lang)} {self.expired_override}")
        parts.extend(
            f"{e.label.text(lang)} {e.value}: {_signed(e.delta)}" for e in self.effects if e.delta
        )
        if self.clamped:
            parts.append(_CLAMPED.text(lang))
        parts.append(f"{_PROBABILITY.text(lang)} {self.probability}")
        return "; ".join(parts)


@frozen
class Weights:
    """The decided probabilities of a column of deals, with how each was decided."""

    probabilities: tuple[Decimal, ...]
    sources: tuple[ProbabilitySource, ...]
    details: tuple[DealProbability, ...]

    def by_id(self) -> dict[str, Decimal]:
        """Probability per deal id (object path), to pass to ``forecast(probabilities=)``."""
        return {d.id: d.probability for d in self.details if d.id is not None}


def _column(name: str, values: Sequence[Any] | None, n: int) -> Sequence[Any]:
    if values is None:
        return [None] * n
    col.check_length(name, values, n)
    return values


def weigh_columns(
    stage_probabilities: Sequence[Any],
    *,
    overrides: Sequence[Any] | None = None,
    signals: Mapping[str, Sequence[Any]] | None = None,
    adjustments: Iterable[Adjustment] = (),
    settled: Sequence[bool] | None = None,
    expired: Sequence[Any] | None = None,
) -> Weights:
    """Decide each deal's probability (see the module docstring) from columns.

    Args:
        stage_probabilities: the probability of each deal's stage (basis-point grid).
        overrides: a user's own probability per deal, or ``None``.
        signals: one column per adjustment signal (``"relationship"``, ``"gate_share"``,
            ``"stage_overrun"``, ``"competitor"``), ``None`` where not known.
        adjustments: the adjustments to apply, e.g. ``(GateProgress(), CompetitorPresent())``.
        settled: ``True`` for a deal whose outcome is decided (its stage probability is
            then the outcome's 1 or 0, and nothing overrides or adjusts it).
        expired: an override that no longer applies, per deal (shown, not used).
    """
    base = col.points_column(stage_probabilities, "stage_probabilities")
    n = len(base)
    own = _column("overrides", overrides, n)
    done = _column("settled", settled, n)
    old = _column("expired", expired, n)
    rules = tuple(adjustments)
    for rule in rules:
        if not isinstance(rule, Adjustment):
            raise InvalidData("adjustments", f"expected Adjustment values, got {rule!r}")
    given = dict(signals or {})
    missing = sorted({r.signal for r in rules} - set(given))
    if missing:
        raise InvalidData("signals", f"no column for {', '.join(missing)}")
    columns = {key: _column(f"signals[{key!r}]", values, n) for key, values in given.items()}
    details: list[DealProbability] = []
    for i in range(n):
        p = base[i]
        stage = col.scaled(p, 4)
        if done[i] is not None and not isinstance(done[i], bool):
            raise InvalidData(f"settled[{i}]", f"expected True or False, got {done[i]!r}")
        expired_value = (
            None if old[i] is None else col.scaled(col.points(old[i], f"expired[{i}]"), 4)
        )
        if done[i]:
            details.append(DealProbability(i, stage, ProbabilitySource.OUTCOME, col.tidy(stage)))
            continue
        if own[i] is not None:
            value = col.scaled(col.points(own[i], f"overrides[{i}]"), 4)
            details.append(
                DealProbability(
                    i, col.tidy(stage), ProbabilitySource.OVERRIDE, col.tidy(value), col.tidy(value)
                )
            )
            continue
        effects: list[AdjustmentEffect] = []
        moved = p
        if 0 < p < _BP:
            for rule in rules:
                value = columns[rule.signal][i]
                delta = 0 if value is None else rule.delta(value)
                effects.append(
                    AdjustmentEffect(rule.label, rule.signal, value, col.tidy(col.scaled(delta, 4)))
                )
                moved += delta
        final = min(_BP, max(0, moved))
        details.append(
            DealProbability(
                i,
                col.tidy(stage),
                ProbabilitySource.STAGE,
                col.tidy(col.scaled(final, 4)),
                expired_override=expired_value,
                effects=tuple(effects),
                clamped=final != moved,
            )
        )
    return Weights(
        tuple(d.probability for d in details), tuple(d.source for d in details), tuple(details)
    )


def weigh(
    deals: Iterable[Deal],
    cycle: Cycle | str,
    *,
    as_of: dt.datetime,
    overrides: Mapping[str, Override] | None = None,
    adjustments: Iterable[Adjustment] = (),
    norms: Mapping[str, float] | None = None,
) -> Weights:
    """Decide the probability of each deal started in *cycle* (see the module docstring).

    The signals are read from the deals as of *as_of*: relationship depth from
    ``deal.people`` (:func:`~bigaccount.scoring.relationship.account_depth`), the share
    of the next gate met from ``deal.check(cycle, "advance")`` (criteria held over held
    plus still needed), time in stage from the last stage change over ``norms[stage]``
    days, and whether ``deal.competitors`` is non-empty. A signal that cannot be read
    (no people mapped, no norm for the stage) is ``None`` and has no effect.
    """
    from ._deals import read_signals

    rules = tuple(adjustments)
    columns = read_signals(
        deals,
        cycle,
        as_of=as_of,
        overrides=overrides or {},
        wanted={r.signal for r in rules},
        norms=norms,
    )
    weights = weigh_columns(
        columns.stage_probabilities,
        overrides=columns.overrides,
        signals=columns.signals,
        adjustments=rules,
        settled=columns.settled,
        expired=columns.expired,
    )
    details = tuple(
        DealProbability(
            d.index,
            d.stage,
            d.source,
            d.probability,
            d.override,
            d.expired_override,
            d.effects,
            d.clamped,
            columns.ids[d.index],
        )
        for d in weights.details
    )
    return Weights(weights.probabilities, weights.sources, details)
