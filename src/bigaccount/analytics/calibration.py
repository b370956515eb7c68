"""Calibrated stage rates: each stage's declared win probability corrected by closed deals.

A cycle declares a win probability per stage (the KA funnel: TARGET 10 %, INTENT 20 %, …).
Closed deals tell how often deals that got that far were really won. This module
combines the two the Bayesian way. For a stage with declared probability *m* and prior
strength *s* (a number of pseudo-deals), the prior is ``Beta(α₀, β₀)`` with
``α₀ = m·s`` and ``β₀ = (1 − m)·s``; after *w* won and *l* lost closed deals counted at
the stage the posterior is ``Beta(α₀ + w, β₀ + l)``, whose mean

    ``(m·s + w) / (s + w + l)``

is the calibrated win probability: the declared one when there is no history, the
observed win rate when there is much, and in between a weighted mix. The central
credible interval is read from the posterior's quantiles.

Which deals count at a stage (:class:`Counting`):

* ``REACHED`` (the default, for deals with stage histories): a closed deal counts at every
  stage up to the highest it reached, so a stage's rate is the share won among deals
  that got at least that far — the chance an open deal now in the stage ends won;
* ``HIGHEST``: a closed deal counts only at its highest stage, for data that see each
  deal once, at one stage (a snapshot of qualification answers, as in the Salvirt data).

Adding closed deals one at a time gives exactly the same rates as fitting them all at
once (the counts are integers), so the rates can be refitted as each deal closes.

The Beta distribution's CDF is the regularized incomplete beta function *Iₓ(a, b)*,
computed here in pure Python by its continued fraction (modified Lentz); a quantile is
found by bisection to 1e-12 (:func:`beta_cdf`, :func:`beta_quantile`).

>>> from bigaccount.analytics.calibration import StageRates
>>> rates = StageRates.prior({"TARGET": 0.1, "INTENT": 0.2}, strength=10)
>>> rates.probability("INTENT")
0.2
>>> rates = rates.updated([("INTENT", True), ("INTENT", True), ("TARGET", False)])
>>> round(rates.probability("INTENT"), 4), round(rates.probability("TARGET"), 4)
(0.3333, 0.2308)
>>> low, high = rates.rate("INTENT").interval(0.9)
>>> round(low, 3), round(high, 3)
(0.135, 0.564)
"""

from __future__ import annotations

import math
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from typing import Any

from attrs import field, frozen

from ..errors import InvalidData
from ..labels import Label, LabelledEnum, label_members
from .accuracy import Learner

__all__ = [
    "DEFAULT_STRENGTH",
    "OUTSIDE",
    "ClosedDeal",
    "Counting",
    "StageRate",
    "StageRates",
    "beta_cdf",
    "beta_quantile",
    "closed_deals",
    "declared_learner",
    "highest_stage",
    "outcome_of",
    "stage_rate_learner",
]

DEFAULT_STRENGTH = 10.0
"""The declared probability weighs as much as this many closed deals."""

OUTSIDE = "(not entered)"
"""How stage rates name the deals that never entered the cycle's first stage."""


# -- the Beta distribution -------------------------------------------------------------


def _positive(value: object, field: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise InvalidData(field, f"expected a number, got {value!r}")
    if not (math.isfinite(value) and value > 0):
        raise InvalidData(field, f"expected a finite number > 0, got {value!r}")
    return float(value)


def _unit(value: object, field: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise InvalidData(field, f"expected a number, got {value!r}")
    if not 0.0 <= value <= 1.0:
        raise InvalidData(field, f"expected a number in [0, 1], got {value!r}")
    return float(value)


_TINY = 1e-300
_EPS = 1e-16


def _continued_fraction(x: float, a: float, b: float) -> float:
    """The continued fraction of *Iₓ(a, b)* (DLMF 8.17.22), by the modified Lentz method.

    Its terms are ``d₂ₖ₊₁ = −(a + k)(a + b + k)x / ((a + 2k)(a + 2k + 1))`` and
    ``d₂ₖ = k(b − k)x / ((a + 2k − 1)(a + 2k))``; it converges fast for
    ``x < (a + 1)/(a + b + 2)``.
    """
    c, d = 1.0, 1.0 - (a + b) * x / (a + 1.0)
    d = 1.0 / (d if abs(d) > _TINY else _TINY)
    value = d
    for k in range(1, 100_000):
        for numerator in (
            k * (b - k) * x / ((a + 2 * k - 1) * (a + 2 * k)),
            -(a + k) * (a + b + k) * x / ((a + 2 * k) * (a + 2 * k + 1)),
        ):
            d = 1.0 + numerator * d
            d = 1.0 / (d if abs(d) > _TINY else _TINY)
            c = 1.0 + numerator / c
            c = c if abs(c) > _TINY else _TINY
            value *= c * d
        if abs(c * d - 1.0) < _EPS:
            return value
    raise ArithmeticError(f"incomplete beta did not converge for x={x}, a={a}, b={b}")


def beta_cdf(x: float, a: float, b: float) -> float:
    """``P(X ≤ x)`` for ``X ~ Beta(a, b)``: the regularized incomplete beta *Iₓ(a, b)*.

    ``Iₓ(a, b) = xᵃ(1 − x)ᵇ / (a·B(a, b)) · CF``, with the continued fraction CF of
    :func:`_continued_fraction`, used directly below the mean-ish point
    ``(a + 1)/(a + b + 2)`` and through ``Iₓ(a, b) = 1 − I₁₋ₓ(b, a)`` above it.

    >>> from bigaccount.analytics.calibration import beta_cdf
    >>> beta_cdf(0.3, 1, 1), round(beta_cdf(0.5, 3, 1), 12)
    (0.3, 0.125)
    """
    x = _unit(x, "x")
    a = _positive(a, "a")
    b = _positive(b, "b")
    if x == 0.0:
        return 0.0
    if x == 1.0:
        return 1.0
    if x > (a + 1.0) / (a + b + 2.0):
        return 1.0 - beta_cdf(1.0 - x, b, a)
    log_front = (
        a * math.log(x)
        + b * math.log1p(-x)
        - (math.lgamma(a) + math.lgamma(b) - math.lgamma(a + b))
        - math.log(a)
    )
    return min(1.0, max(0.0, math.exp(log_front) * _continued_fraction(x, a, b)))


def beta_quantile(q: float, a: float, b: float) -> float:
    """The *x* with ``beta_cdf(x, a, b) = q``, found by bisection to within 1e-12.

    >>> from bigaccount.analytics.calibration import beta_quantile
    >>> round(beta_quantile(0.25, 2, 1), 9)
    0.5
    """
    q = _unit(q, "q")
    a = _positive(a, "a")
    b = _positive(b, "b")
    if q in (0.0, 1.0):
        return q
    low, high = 0.0, 1.0
    while high - low > 1e-12:
        middle = (low + high) / 2
        if beta_cdf(middle, a, b) < q:
            low = middle
        else:
            high = middle
    return (low + high) / 2


# -- stage rates -----------------------------------------------------------------------


class Counting(LabelledEnum):
    """Which stages a closed deal counts at."""

    REACHED = "reached"
    HIGHEST = "highest"


label_members(
    Counting,
    {
        Counting.REACHED: Label("计入到达过的每个阶段", "at every stage up to the highest reached"),
        Counting.HIGHEST: Label("只计入到达的最高阶段", "only at the highest stage reached"),
    },
)


@frozen
class StageRate:
    """A stage's calibrated win rate: declared prior, closed-deal counts, Beta posterior."""

    stage: str
    declared: float
    strength: float
    won: int
    deals: int

    @property
    def alpha(self) -> float:
        """``α = m·s + w``."""
        return self.declared * self.strength + self.won

    @property
    def beta(self) -> float:
        """``β = (1 − m)·s + l``."""
        return (1.0 - self.declared) * self.strength + (self.deals - self.won)

    @property
    def mean(self) -> float:
        """The posterior mean ``α / (α + β)``: the calibrated win probability."""
        return self.alpha / (self.alpha + self.beta)

    @property
    def observed(self) -> float | None:
        """The raw share won ``w / (w + l)``; ``None`` without closed deals."""
        return self.won / self.deals if self.deals else None

    def interval(self, level: float = 0.95) -> tuple[float, float]:
        """The central credible interval holding *level* of the posterior.

        Its ends are the ``(1 − level)/2`` and ``(1 + level)/2`` quantiles of
        ``Beta(α, β)``.
        """
        if isinstance(level, bool) or not isinstance(level, (int, float)) or not 0 < level < 1:
            raise InvalidData("level", f"expected a number in (0, 1), got {level!r}")
        tail = (1.0 - level) / 2
        return (
            beta_quantile(tail, self.alpha, self.beta),
            beta_quantile(1.0 - tail, self.alpha, self.beta),
        )


def _declared(value: object) -> tuple[tuple[str, float], ...]:
    if isinstance(value, Mapping):
        pairs = list(value.items())
    elif isinstance(value, tuple) and all(isinstance(v, tuple) and len(v) == 2 for v in value):
        pairs = list(value)
    else:
        raise InvalidData(
            "declared", f"expected a mapping of stage ids to probabilities, got {value!r}"
        )
    items = []
    for stage, p in pairs:
        if not isinstance(stage, str) or not stage.strip():
            raise InvalidData("declared", f"a stage id must be non-empty text, got {stage!r}")
        if isinstance(p, bool) or not isinstance(p, (int, float)) or not 0.0 < p < 1.0:
            raise InvalidData(
                f"declared[{stage!r}]", f"a prior mean must lie strictly in (0, 1), got {p!r}"
            )
        items.append((stage, float(p)))
    if not items:
        raise InvalidData("declared", "needs at least one stage")
    return tuple(items)


def _optional_prior(value: object) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0.0 < value < 1.0:
        raise InvalidData("outside", f"a prior mean must lie strictly in (0, 1), got {value!r}")
    return float(value)


def _counts(value: object, field: str) -> tuple[int, ...]:
    if not isinstance(value, Iterable):
        raise InvalidData(field, f"expected counts, got {value!r}")
    items = tuple(value)
    for n in items:
        if isinstance(n, bool) or not isinstance(n, int) or n < 0:
            raise InvalidData(field, f"expected counts >= 0, got {n!r}")
    return items


def _won_counts(value: object) -> tuple[int, ...]:
    return _counts(value, "won")


def _deal_counts(value: object) -> tuple[int, ...]:
    return _counts(value, "deals")


def _check_rates(instance: StageRates, _: object, __: object) -> None:
    n = len(instance.declared)
    if len(instance.won) != n or len(instance.deals) != n:
        raise InvalidData("deals", "needs one count per declared stage")
    if any(w > d for w, d in zip(instance.won, instance.deals, strict=True)):
        raise InvalidData("won", "a stage cannot have more won deals than deals")
    if instance.outside_won > instance.outside_deals:
        raise InvalidData("outside_won", "cannot exceed outside_deals")


def _aliases(value: object) -> tuple[tuple[str, str], ...]:
    pairs = list(value.items()) if isinstance(value, Mapping) else value
    if not isinstance(pairs, Iterable):
        raise InvalidData("aliases", f"expected a mapping of stage ids, got {value!r}")
    result = tuple(pairs)
    for pair in result:
        if (
            not isinstance(pair, tuple)
            or len(pair) != 2
            or not all(isinstance(s, str) for s in pair)
        ):
            raise InvalidData("aliases", f"expected pairs of stage ids, got {pair!r}")
    return result


def _non_negative_int(_: object, attribute: Any, value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InvalidData(attribute.name, f"expected a whole number >= 0, got {value!r}")


def _strength(_: object, __: object, value: object) -> None:
    _positive(value, "strength")


def _counting(value: object) -> Counting:
    try:
        return Counting(value)
    except ValueError:
        raise InvalidData("counting", f"expected 'reached' or 'highest', got {value!r}") from None


ClosedDeal = tuple["str | Collection[str] | None", bool]
"""A closed deal as the rates read it: the stage(s) it reached and whether it was won."""


@frozen
class StageRates:
    """Beta-smoothed win rates per stage, refitted by adding closed deals.

    Build the prior with :meth:`prior` (or :meth:`for_cycle`), then add closed deals with
    :meth:`updated` or :meth:`added`; each returns a new value. ``declared`` holds the
    stages in cycle order with their declared probabilities (the prior means);
    ``outside`` is an optional prior mean for deals that never entered the first stage
    (they are counted apart, and :meth:`probability` of ``None`` needs it).
    """

    declared: tuple[tuple[str, float], ...] = field(converter=_declared)
    strength: float = field(default=DEFAULT_STRENGTH, validator=_strength)
    counting: Counting = field(default=Counting.REACHED, converter=_counting)
    won: tuple[int, ...] = field(default=(), converter=_won_counts)
    deals: tuple[int, ...] = field(default=(), converter=_deal_counts, validator=_check_rates)
    outside: float | None = field(default=None, converter=_optional_prior)
    outside_won: int = field(default=0, validator=_non_negative_int)
    outside_deals: int = field(default=0, validator=_non_negative_int)
    aliases: tuple[tuple[str, str], ...] = field(default=(), converter=_aliases)
    _index: dict[str, int] = field(init=False, eq=False, repr=False, hash=False)

    def __attrs_post_init__(self) -> None:
        index = {stage: i for i, (stage, _) in enumerate(self.declared)}
        if len(index) != len(self.declared):
            raise InvalidData("declared", "names a stage twice")
        for alias, stage in self.aliases:
            if stage not in index or alias in index:
                raise InvalidData("aliases", f"cannot count stage {alias!r} at {stage!r}")
            index[alias] = index[stage]
        object.__setattr__(self, "_index", index)

    @classmethod
    def prior(
        cls,
        declared: Mapping[str, float],
        *,
        strength: float = DEFAULT_STRENGTH,
        counting: Counting | str = Counting.REACHED,
        outside: float | None = None,
        aliases: Mapping[str, str] | None = None,
    ) -> StageRates:
        """The rates before any closed deal: each stage's declared probability.

        *declared* maps stage ids, in cycle order, to prior means strictly inside (0, 1);
        *aliases* maps further stage ids to a declared stage they count at.
        """
        stages = _declared(declared)
        return cls(
            stages,
            strength,
            counting,
            (0,) * len(stages),
            (0,) * len(stages),
            outside,
            aliases=aliases or {},
        )

    @classmethod
    def for_cycle(
        cls,
        cycle: Any,
        *,
        strength: float = DEFAULT_STRENGTH,
        counting: Counting | str = Counting.REACHED,
        outside: float | None = None,
    ) -> StageRates:
        """The prior from a cycle's stages and their declared probabilities.

        Stages without a probability of their own, or with 0 or 1 (no Beta prior has
        that mean), get no rate of their own: a deal whose highest stage is one of them
        counts at the nearest earlier stage that has one.

        >>> from bigaccount import get_cycle
        >>> from bigaccount.analytics.calibration import StageRates
        >>> rates = StageRates.for_cycle(get_cycle("funnel"))
        >>> rates.stages[-1], rates.rate("REPEAT").stage
        ('CLOSED', 'CLOSED')
        """
        order = [s.id for s in cycle.stages]
        probability = {s.id: s.probability for s in cycle.stages}
        kept = [s for s in order if probability[s] is not None and 0.0 < probability[s] < 1.0]
        aliases = {}
        for position, stage in enumerate(order):
            earlier = [k for k in order[: position + 1] if k in kept]
            if stage not in kept and earlier:
                aliases[stage] = earlier[-1]
        return cls.prior(
            {s: p for s in kept if (p := probability[s]) is not None},
            strength=strength,
            counting=counting,
            outside=outside,
            aliases=aliases,
        )

    @property
    def stages(self) -> tuple[str, ...]:
        """The stage ids, in order."""
        return tuple(stage for stage, _ in self.declared)

    def _position(self, reached: object, field: str) -> int | None:
        if reached is None:
            return None
        names: Iterable[object]
        names = (reached,) if isinstance(reached, str) else reached  # type: ignore[assignment]
        if not isinstance(names, Iterable):
            raise InvalidData(field, f"expected a stage id, stage ids or None, got {reached!r}")
        positions = []
        for name in names:
            if not isinstance(name, str) or name not in self._index:
                known = ", ".join(self.stages)
                raise InvalidData(field, f"unknown stage {name!r}; stages: {known}")
            positions.append(self._index[name])
        return max(positions) if positions else None

    def updated(self, closed: Iterable[ClosedDeal]) -> StageRates:
        """These rates with the closed deals *closed* added: pairs ``(reached, won)``.

        *reached* is the highest stage the deal reached, the collection of stages it
        reached (its highest counts), or ``None`` if it never entered the first stage.
        Bad input raises :class:`~bigaccount.errors.InvalidData` and adds nothing.
        """
        won, deals = list(self.won), list(self.deals)
        outside_won, outside_deals = self.outside_won, self.outside_deals
        for index, item in enumerate(closed):
            if not isinstance(item, tuple) or len(item) != 2:
                raise InvalidData(f"closed[{index}]", f"expected (reached, won), got {item!r}")
            reached, result = item
            if type(result) is not bool:
                raise InvalidData(f"closed[{index}]", f"won must be True or False, got {result!r}")
            top = self._position(reached, f"closed[{index}]")
            if top is None:
                outside_deals += 1
                outside_won += result
                continue
            low = 0 if self.counting is Counting.REACHED else top
            for position in range(low, top + 1):
                deals[position] += 1
                won[position] += result
        return StageRates(
            self.declared,
            self.strength,
            self.counting,
            won,
            deals,
            self.outside,
            outside_won,
            outside_deals,
            self.aliases,
        )

    def added(self, reached: str | Collection[str] | None, won: bool) -> StageRates:
        """These rates with one more closed deal."""
        return self.updated([(reached, won)])

    def rate(self, stage: str | None) -> StageRate:
        """The calibrated rate of *stage* (``None``: deals that never entered the cycle)."""
        if stage is None:
            if self.outside is None:
                raise InvalidData(
                    "stage", "no prior for deals outside the stages; pass outside= to the prior"
                )
            return StageRate(
                OUTSIDE, self.outside, self.strength, self.outside_won, self.outside_deals
            )
        position = self._position(stage, "stage")
        assert position is not None
        name, declared = self.declared[position]
        return StageRate(name, declared, self.strength, self.won[position], self.deals[position])

    def probability(self, stage: str | None) -> float:
        """The calibrated win probability (posterior mean) of a deal in *stage*."""
        return self.rate(stage).mean

    def table(self) -> tuple[StageRate, ...]:
        """Every stage's rate, in order, then the outside bucket when it has a prior."""
        rows = tuple(self.rate(stage) for stage in self.stages)
        return (*rows, self.rate(None)) if self.outside is not None else rows


# -- learners for cross-validation -----------------------------------------------------


def stage_rate_learner(
    prior: StageRates, stage_of: Callable[[Any], str | None], name: str = "calibrated stages"
) -> Learner[Any, StageRates]:
    """A :class:`~bigaccount.analytics.accuracy.Learner` of Beta-calibrated stage rates.

    It fits by adding the training deals to *prior* (``stage_of(record)`` tells each
    record's highest stage) and predicts the stage's posterior mean.
    """

    def fit(records: Sequence[Any], outcomes: Sequence[bool]) -> StageRates:
        return prior.updated(zip(map(stage_of, records), outcomes, strict=True))

    def predict(rates: StageRates, record: Any) -> float:
        return rates.probability(stage_of(record))

    return Learner(name, fit, predict)


def declared_learner(
    prior: StageRates, stage_of: Callable[[Any], str | None], name: str = "declared stages"
) -> Learner[Any, StageRates]:
    """The declared probabilities as a learner: it learns nothing and predicts the prior."""

    def fit(_: Sequence[Any], __: Sequence[bool]) -> StageRates:
        return prior

    def predict(rates: StageRates, record: Any) -> float:
        return rates.rate(stage_of(record)).declared

    return Learner(name, fit, predict)


# -- the object path -------------------------------------------------------------------

_WON, _LOST = "WON", "LOST"


def _cycle_name(cycle: Any) -> str:
    return cycle if isinstance(cycle, str) else str(cycle.name)


def highest_stage(deal: Any, cycle: Any) -> str | None:
    """The furthest stage of *cycle* that *deal*'s track ever entered or left from.

    Read from the track's history (every change's source and destination that is a stage
    of the cycle); ``None`` when the deal never entered one.
    """
    track = deal.tracks.get(_cycle_name(cycle))
    if track is None:
        return None
    order = {s.id: i for i, s in enumerate(cycle.stages)}
    seen = [
        state
        for change in track.history
        for state in (change.source, change.dest)
        if state in order
    ]
    return max(seen, key=order.__getitem__) if seen else None


def outcome_of(deal: Any, cycle: Any) -> bool | None:
    """``True`` for a deal won in *cycle*, ``False`` lost, ``None`` still open or stalled."""
    state = deal.state(cycle)
    if state == _WON:
        return True
    if state == _LOST:
        return False
    return None


def closed_deals(deals: Iterable[Any], cycle: Any) -> list[tuple[str | None, bool]]:
    """The ``(highest stage, won)`` pairs of the won and lost deals among *deals*."""
    result = []
    for deal in deals:
        won = outcome_of(deal, cycle)
        if won is not None:
            result.append((highest_stage(deal, cycle), won))
    return result
