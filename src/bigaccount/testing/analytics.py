"""Hypothesis strategies for the pipeline analytics: their settings, and results they compute.

Settings (horizons, exchange rates, overrides, adjustments, category rules, win-rate
priors) are drawn within their documented ranges. Results are what the analytics say
of a few drawn deals given as columns — at most eight deals, so a draw stays quick —
never records put together by hand.

>>> from hypothesis import given
>>> from bigaccount.testing import forecasts
>>> @given(forecasts())
... def test_weighted_never_exceeds_the_amount(forecast):
...     for period in forecast.periods:
...         assert period.weighted.amount <= period.amount.amount
>>> test_weighted_never_exceeds_the_amount()
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from hypothesis import strategies as st

from ..analytics.accuracy import (
    CrossValidation,
    FoldScores,
    Learner,
    LearnerResult,
    Metrics,
    ReliabilityBin,
    Split,
    Spread,
    base_rate_learner,
    cross_validate,
    kfold,
)
from ..analytics.calibration import StageRate, StageRates
from ..analytics.categories import (
    CategoryForecast,
    CategoryRules,
    CategoryTotals,
    ForecastCategory,
    forecast_categories,
)
from ..analytics.forecast import Forecast, FxTable, PeriodTotals, TaxBasis, forecast_columns
from ..analytics.health import (
    Conversion,
    DurationStats,
    FunnelHealth,
    StageCapacity,
    StageFlow,
    StuckDeal,
    duration_stats,
    funnel_health_columns,
)
from ..analytics.overrides import Override
from ..analytics.periods import Horizon, Period, PeriodUnit
from ..analytics.uncertainty import (
    PeriodDistribution,
    Quantile,
    RevenueByPeriod,
    RevenueDistribution,
    won_revenue_by_period,
    won_revenue_columns,
)
from ..analytics.weighting import (
    Adjustment,
    AdjustmentEffect,
    CompetitorPresent,
    DealProbability,
    GateProgress,
    RelationshipDepth,
    TimeInStage,
    Weights,
    weigh_columns,
)
from ..analytics.winprob import (
    AttributeCounts,
    CalibratedWinModel,
    Combine,
    Missing,
    PlattScaling,
    Reason,
    ValueCounts,
    WinForecast,
    WinModel,
    WinPrediction,
    combine,
)
from .strategies import identifiers, texts

__all__ = [
    "ADJUSTMENTS",
    "MAX_DEALS",
    "adjustment_effects",
    "adjustments",
    "attribute_counts",
    "calibrated_win_models",
    "category_forecasts",
    "category_rules",
    "category_totals",
    "conversions",
    "cross_validations",
    "deal_probabilities",
    "duration_stats_results",
    "fold_scores",
    "forecasts",
    "funnel_healths",
    "fx_tables",
    "horizons",
    "learner_results",
    "learners",
    "metrics",
    "overrides",
    "period_distributions",
    "period_totals",
    "periods",
    "platt_scalings",
    "quantiles",
    "reasons",
    "reliability_bins",
    "revenue_by_period",
    "revenue_distributions",
    "splits",
    "spreads",
    "stage_capacities",
    "stage_flows",
    "stage_rate_results",
    "stage_rates",
    "stuck_deals",
    "value_counts",
    "weights",
    "win_forecasts",
    "win_models",
    "win_predictions",
]

MAX_DEALS = 8
"""The most deals a drawn analytic result is computed from."""

_STAGES = ("TARGET", "INTENT", "APPROVED", "NEGOTIATION")
_STATES = (*_STAGES, "WON", "LOST", "STALLED")
_days = st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2030, 12, 31))
_points = st.decimals(min_value=0, max_value=1, places=2)
_amounts = st.decimals(min_value=0, max_value=10**9, places=2)
_currencies = st.sampled_from(("CNY", "USD", "EUR"))


@functools.cache
def horizons() -> st.SearchStrategy[Horizon]:
    """One to twelve months or quarters from a date."""
    return st.builds(Horizon, _days, st.integers(1, 12), st.sampled_from(PeriodUnit))


@functools.cache
def periods() -> st.SearchStrategy[Period]:
    """The month or quarter a date falls in."""
    return st.builds(Period.of, _days, st.sampled_from(PeriodUnit))


@st.composite
def fx_tables(draw: st.DrawFn) -> FxTable:
    """Positive exchange rates into one currency from up to two others."""
    into = draw(_currencies)
    others = [c for c in ("CNY", "USD", "EUR", "JPY") if c != into]
    chosen = draw(st.lists(st.sampled_from(others), unique=True, max_size=2))
    rate = st.decimals(min_value=Decimal("0.0001"), max_value=1000, places=4)
    return FxTable(into, {c: draw(rate) for c in chosen}, draw(_days))


@functools.cache
def overrides() -> st.SearchStrategy[Override]:
    """A user's own probability, set in a stage or for good, with a reason or none."""
    return st.builds(Override, _points, st.none() | st.sampled_from(_STAGES), st.none() | texts())


ADJUSTMENTS: tuple[type[Adjustment], ...] = (
    RelationshipDepth,
    GateProgress,
    TimeInStage,
    CompetitorPresent,
)
"""The probability adjustments :func:`adjustments` draws from."""


@functools.cache
def adjustments(kind: type[Adjustment] = Adjustment) -> st.SearchStrategy[Adjustment]:
    """One of the bounded probability adjustments of *kind*, with a limit in [0, 0.25].

    *kind* is :class:`~bigaccount.analytics.weighting.Adjustment` (any of
    :data:`ADJUSTMENTS`) or one of them.
    """
    limit = st.decimals(min_value=0, max_value=Decimal("0.25"), places=2)
    kinds = [k for k in ADJUSTMENTS if issubclass(k, kind)]
    return st.one_of([st.builds(k, limit) for k in kinds])


@st.composite
def category_rules(draw: st.DrawFn) -> CategoryRules:
    """Thresholds ``best_case_from <= commit_from`` and a few categories fixed by stage."""
    low, high = sorted((draw(_points), draw(_points)))
    fixed = draw(
        st.dictionaries(st.sampled_from(_STAGES), st.sampled_from(ForecastCategory), max_size=2)
    )
    return CategoryRules(high, low, fixed)


# -- forecasts ---------------------------------------------------------------------------


@st.composite
def _columns(draw: st.DrawFn, min_deals: int = 0) -> tuple[list[Decimal], list[Decimal], list[Any]]:
    n = draw(st.integers(min_deals, MAX_DEALS))
    amounts = [draw(_amounts) for _ in range(n)]
    probabilities = [draw(_points) for _ in range(n)]
    closes = [draw(st.none() | _days) for _ in range(n)]
    return amounts, probabilities, closes


@st.composite
def forecasts(draw: st.DrawFn) -> Forecast:
    """The stage-weighted forecast of up to eight deals over a drawn horizon."""
    amounts, probabilities, closes = draw(_columns())
    return forecast_columns(
        amounts,
        probabilities,
        closes,
        horizon=draw(horizons()),
        currency=draw(_currencies),
        tax=draw(st.sampled_from(TaxBasis)),
    )


def period_totals() -> st.SearchStrategy[PeriodTotals]:
    """The totals of one period of a forecast (or of its overdue, later or undated deals)."""
    return forecasts().flatmap(
        lambda f: st.sampled_from((*f.periods, f.overdue, f.later, f.undated))
    )


@st.composite
def category_forecasts(draw: st.DrawFn) -> CategoryForecast:
    """The forecast categories of up to eight deals, under drawn rules."""
    amounts, probabilities, _ = draw(_columns())
    states = [draw(st.none() | st.sampled_from(_STATES)) for _ in amounts]
    return forecast_categories(
        amounts, probabilities, states, currency=draw(_currencies), rules=draw(category_rules())
    )


def category_totals() -> st.SearchStrategy[CategoryTotals]:
    """The totals of one forecast category."""
    return category_forecasts().flatmap(lambda f: st.sampled_from(f.rows))


# -- funnel health -----------------------------------------------------------------------


@st.composite
def funnel_healths(draw: st.DrawFn) -> FunnelHealth:
    """The health of a funnel of up to eight deals in the KA funnel's first four stages."""
    n = draw(st.integers(1, MAX_DEALS))
    states = [draw(st.sampled_from(_STATES)) for _ in range(n)]
    furthest = [
        s if s in _STAGES else draw(st.sampled_from(_STAGES)) if s != "WON" else "WON"
        for s in states
    ]
    cycle_days = [None if s in _STAGES else draw(st.integers(0, 400)) for s in states]
    days_in_stage = [draw(st.integers(0, 200)) if s in _STAGES else None for s in states]
    return funnel_health_columns(
        states,
        [draw(_amounts) for _ in states],
        order=_STAGES,
        currency=draw(_currencies),
        furthest=furthest,
        cycle_days=cycle_days,
        ids=[f"D{i}" for i in range(n)],
        days_in_stage=days_in_stage,
        norms=dict.fromkeys(_STAGES, 30),
    )


def stage_capacities() -> st.SearchStrategy[StageCapacity]:
    """How many deals and how much money stand in one stage."""
    return funnel_healths().flatmap(lambda h: st.sampled_from(h.capacity))


def conversions() -> st.SearchStrategy[Conversion]:
    """How many deals that reached a stage went on to the next."""
    return (
        funnel_healths().filter(lambda h: bool(h.slope)).flatmap(lambda h: st.sampled_from(h.slope))
    )


def stage_flows() -> st.SearchStrategy[StageFlow]:
    """How long stays in one stage last."""
    return (
        funnel_healths()
        .filter(lambda h: bool(h.time_in_stage))
        .flatmap(lambda h: st.sampled_from(h.time_in_stage))
    )


def stuck_deals() -> st.SearchStrategy[StuckDeal]:
    """A deal that stayed in its stage beyond the norm."""
    return (
        funnel_healths().filter(lambda h: bool(h.stuck)).flatmap(lambda h: st.sampled_from(h.stuck))
    )


@st.composite
def duration_stats_results(draw: st.DrawFn) -> DurationStats:
    """Median, quartiles, mean and extremes of one to eight durations in days."""
    days = draw(st.lists(st.integers(0, 400) | st.floats(0, 400), min_size=1, max_size=MAX_DEALS))
    stats = duration_stats(days)
    assert stats is not None  # never None for one day or more
    return stats


# -- won revenue ---------------------------------------------------------------------------


@st.composite
def revenue_distributions(draw: st.DrawFn) -> RevenueDistribution:
    """The distribution of revenue won from up to eight deals."""
    amounts, probabilities, _ = draw(_columns())
    return won_revenue_columns(amounts, probabilities, currency=draw(_currencies))


def quantiles() -> st.SearchStrategy[Quantile]:
    """A quantile of won revenue, with its sure bracket."""
    return revenue_distributions().flatmap(lambda d: st.sampled_from(d.quantiles))


@st.composite
def revenue_by_period(draw: st.DrawFn) -> RevenueByPeriod:
    """The won-revenue distribution per period of expected close of up to eight deals."""
    amounts, probabilities, closes = draw(_columns())
    horizon = Horizon(draw(_days), draw(st.integers(1, 4)), draw(st.sampled_from(PeriodUnit)))
    return won_revenue_by_period(
        amounts, probabilities, closes, horizon=horizon, currency=draw(_currencies)
    )


def period_distributions() -> st.SearchStrategy[PeriodDistribution]:
    """The won-revenue distribution of one period."""
    return revenue_by_period().flatmap(lambda r: st.sampled_from(r.periods))


# -- weighting ---------------------------------------------------------------------------


@st.composite
def weights(draw: st.DrawFn) -> Weights:
    """The adjusted probabilities of up to eight deals, with overrides and signals."""
    n = draw(st.integers(0, MAX_DEALS))
    stage = [draw(_points) for _ in range(n)]
    own = [draw(st.none() | _points) for _ in range(n)]
    signals: dict[str, Sequence[Any]] = {
        "relationship": [draw(st.none() | st.floats(0, 1)) for _ in range(n)],
        "gate_share": [draw(st.none() | st.floats(0, 1)) for _ in range(n)],
        "stage_overrun": [draw(st.none() | st.floats(0, 4)) for _ in range(n)],
        "competitor": [draw(st.none() | st.booleans()) for _ in range(n)],
    }
    chosen = draw(st.lists(adjustments(), unique_by=type, max_size=4))
    settled = [draw(st.booleans()) for _ in range(n)]
    return weigh_columns(stage, overrides=own, signals=signals, adjustments=chosen, settled=settled)


def deal_probabilities() -> st.SearchStrategy[DealProbability]:
    """How one deal's probability was made: stage, override, adjustments."""
    return weights().filter(lambda w: bool(w.details)).flatmap(lambda w: st.sampled_from(w.details))


_SIGNALS: dict[str, st.SearchStrategy[Any]] = {
    "relationship": st.floats(0, 1),
    "gate_share": st.floats(0, 1),
    "stage_overrun": st.floats(0, 4),
    "competitor": st.booleans(),
}


@st.composite
def adjustment_effects(draw: st.DrawFn) -> AdjustmentEffect:
    """What one adjustment did to an open deal's probability (one strictly inside (0, 1))."""
    adjustment = draw(adjustments())
    value = draw(_SIGNALS[adjustment.signal])
    open_deal = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("0.99"), places=2)
    weighed = weigh_columns(
        [draw(open_deal)], signals={adjustment.signal: [value]}, adjustments=[adjustment]
    )
    (effect,) = weighed.details[0].effects
    return effect


# -- win rates and win models --------------------------------------------------------------


@st.composite
def stage_rates(draw: st.DrawFn) -> StageRates:
    """Stage win rates: declared priors, updated with a few closed deals."""
    stages = _STAGES[: draw(st.integers(1, len(_STAGES)))]
    means = sorted(draw(st.floats(0.05, 0.95)) for _ in stages)
    prior = StageRates.prior(dict(zip(stages, means, strict=True)), strength=draw(st.floats(1, 50)))
    closed = draw(
        st.lists(st.tuples(st.none() | st.sampled_from(stages), st.booleans()), max_size=MAX_DEALS)
    )
    return prior.updated(closed)


def stage_rate_results() -> st.SearchStrategy[StageRate]:
    """The win rate of one stage."""
    return stage_rates().flatmap(lambda r: st.sampled_from(r.stages).map(r.rate))


_ATTRIBUTES = ("client", "budget", "source")
_records = st.fixed_dictionaries(
    {a: st.none() | st.sampled_from(("yes", "no", "new", "current")) for a in _ATTRIBUTES}
)


@st.composite
def win_models(draw: st.DrawFn) -> WinModel:
    """A naive-Bayes win model fitted on up to eight closed deals."""
    blank = WinModel(
        _ATTRIBUTES[: draw(st.integers(1, len(_ATTRIBUTES)))],
        prior=draw(st.floats(0.05, 0.95)),
        missing=draw(st.sampled_from(Missing)),
    )
    rows = draw(st.lists(_records, max_size=MAX_DEALS))
    return blank.updated(rows, [draw(st.booleans()) for _ in rows])


def attribute_counts() -> st.SearchStrategy[AttributeCounts]:
    """The won and lost counts of one attribute's values."""
    return win_models().flatmap(lambda m: st.sampled_from(m.counts))


def value_counts() -> st.SearchStrategy[ValueCounts]:
    """The won and lost counts of one value."""
    return (
        attribute_counts()
        .filter(lambda c: bool(c.values))
        .flatmap(lambda c: st.sampled_from(c.values))
    )


def win_predictions() -> st.SearchStrategy[WinPrediction]:
    """A model's prediction for a drawn deal, with its reasons."""
    return st.tuples(win_models(), _records).map(lambda p: p[0].predict(p[1]))


def reasons() -> st.SearchStrategy[Reason]:
    """One reason of a prediction."""
    return (
        win_predictions()
        .filter(lambda p: bool(p.reasons))
        .flatmap(lambda p: st.sampled_from(p.reasons))
    )


@functools.cache
def platt_scalings() -> st.SearchStrategy[PlattScaling]:
    """A Platt scaling of log-odds: a slope and an intercept."""
    return st.builds(PlattScaling, st.floats(-5, 5), st.floats(-5, 5))


def calibrated_win_models() -> st.SearchStrategy[CalibratedWinModel]:
    """A win model with a scaling of its log-odds."""
    return st.builds(CalibratedWinModel, win_models(), platt_scalings())


@st.composite
def win_forecasts(draw: st.DrawFn) -> WinForecast:
    """A learned probability combined with a declared one (and sometimes a user's own)."""
    how = draw(st.sampled_from(Combine))
    declared = st.floats(0, 1)
    return combine(
        draw(st.floats(0, 1)),
        draw(st.none() | declared if how is Combine.REPLACE else declared),
        how,
        weight=draw(st.floats(0, 1)),
        own=draw(st.none() | st.floats(0, 1)),
    )


# -- accuracy ------------------------------------------------------------------------------


@st.composite
def _outcomes(draw: st.DrawFn) -> list[bool]:
    return draw(st.lists(st.booleans(), min_size=2, max_size=MAX_DEALS))


def splits() -> st.SearchStrategy[Split]:
    """A fold of a k-fold split of a few deals."""
    return st.tuples(_outcomes(), st.integers(0, 99)).flatmap(
        lambda p: st.sampled_from(kfold(p[0], 2, seed=p[1]))
    )


def _constant(name: str, p: float) -> Learner[Any, float]:
    return Learner(name, lambda records, outcomes: p, lambda fitted, record: fitted)


@functools.cache
def learners() -> st.SearchStrategy[Learner[Any, Any]]:
    """A learner: the constant base rate, or a constant probability of its own."""
    constant = st.builds(_constant, identifiers().map(lambda s: "constant " + s), st.floats(0, 1))
    return st.just(base_rate_learner()) | constant


@st.composite
def cross_validations(draw: st.DrawFn) -> CrossValidation:
    """The held-out record of the base rate (and maybe a constant) on 2-fold splits."""
    outcomes = draw(_outcomes())
    chosen = draw(st.lists(learners(), unique_by=lambda learner: learner.name, max_size=1))
    chosen = [c for c in chosen if c.name != "base rate"]
    return cross_validate(list(range(len(outcomes))), outcomes, chosen, kfold(outcomes, 2))


def learner_results() -> st.SearchStrategy[LearnerResult]:
    """The held-out record of one learner."""
    return cross_validations().flatmap(lambda cv: st.sampled_from(cv.results))


def fold_scores() -> st.SearchStrategy[FoldScores]:
    """The scores of one held-out fold."""
    return learner_results().flatmap(lambda r: st.sampled_from(r.folds))


def metrics() -> st.SearchStrategy[Metrics]:
    """Brier score, log loss and AUC of held-out predictions."""
    return learner_results().map(lambda r: r.pooled)


def reliability_bins() -> st.SearchStrategy[ReliabilityBin]:
    """A bin of a reliability table."""
    return (
        learner_results()
        .filter(lambda r: bool(r.reliability))
        .flatmap(lambda r: st.sampled_from(r.reliability))
    )


@st.composite
def spreads(draw: st.DrawFn) -> Spread:
    """The spread of the Brier score across the folds of a held-out record."""
    spread = draw(learner_results()).spread("brier")
    assert spread is not None  # every fold has a Brier score
    return spread
