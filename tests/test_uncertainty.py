"""The distribution of won revenue: exact moments, and quantiles whose error is bounded."""

from __future__ import annotations

import datetime as dt
import itertools
import math
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bigaccount import Account, Deal, InvalidData, Money, get_cycle
from bigaccount.analytics import uncertainty
from bigaccount.analytics.periods import Horizon
from bigaccount.analytics.uncertainty import won_revenue, won_revenue_by_period, won_revenue_columns

UTC = dt.timezone.utc
grid = st.integers(0, 10_000)
small_deals = st.lists(st.tuples(st.integers(0, 10**6), grid), min_size=1, max_size=9)


def brute_quantile(amounts, probs, q):
    """Q(q) = min{x : P(S ≤ x) ≥ q}, by enumerating every outcome (independent oracle)."""
    mass: dict[int, float] = {}
    for outcome in itertools.product((0, 1), repeat=len(amounts)):
        weight = math.prod(p if x else 1 - p for x, p in zip(outcome, probs, strict=True))
        total = sum(a for x, a in zip(outcome, amounts, strict=True) if x)
        mass[total] = mass.get(total, 0.0) + weight
    running = 0.0
    for value in sorted(mass):
        running += mass[value]
        if running >= q - 1e-12:
            return value
    return max(mass)


@given(small_deals)
def test_mean_and_variance_are_exact(data):
    result = won_revenue_columns(
        [a for a, _ in data], [Decimal(p).scaleb(-4) for _, p in data], currency="CNY"
    )
    mean = sum(Decimal(a) * p / 10_000 for a, p in data)
    variance = sum(Decimal(a) ** 2 * p * (10_000 - p) / 10**8 for a, p in data)
    assert result.mean.amount == mean
    assert result.variance == variance
    assert result.deals == len(data)


@settings(max_examples=60)
@given(small_deals, st.sampled_from([16, 64, 1 << 16]))
def test_quantiles_are_bracketed_and_exact_when_the_grid_is_fine(data, cells):
    amounts = [a for a, _ in data]
    probs = [p / 10_000 for _, p in data]
    result = won_revenue_columns(
        amounts, [Decimal(p).scaleb(-4) for _, p in data], currency="CNY", max_cells=cells
    )
    step = result.step.amount
    random = sum(1 for p in probs if 0 < p < 1)
    assert result.error_bound.amount <= random * step / 2
    for item in result.quantiles:
        truth = brute_quantile(amounts, probs, float(item.q))
        assert item.low.amount <= truth <= item.high.amount
        assert item.low.amount <= item.value.amount <= item.high.amount
        if result.exact:
            assert item.value.amount == item.low.amount == item.high.amount == truth


@given(st.lists(st.tuples(st.integers(0, 10**9), grid), max_size=30))
def test_quantiles_are_ordered(data):
    result = won_revenue_columns(
        [a for a, _ in data],
        [Decimal(p).scaleb(-4) for _, p in data],
        currency="CNY",
        max_cells=512,
    )
    values = [q.value.amount for q in result.quantiles]
    assert values == sorted(values)
    assert [q.low.amount for q in result.quantiles] == sorted(
        q.low.amount for q in result.quantiles
    )


def test_against_monte_carlo():
    np = pytest.importorskip("numpy")
    rng = np.random.default_rng(2017)
    n = 400
    amounts = rng.lognormal(12, 1.0, n).astype(np.int64)
    probs = rng.integers(1, 100, n) / 100
    result = won_revenue_columns(
        amounts, probs, currency="CNY", max_cells=1 << 14, quantiles=("0.1", "0.5", "0.9")
    )
    assert not result.exact  # the grid rounds: the bracket is what is checked
    draws = 40_000
    totals = np.zeros(draws)
    for start in range(0, draws, 5_000):
        won = rng.random((5_000, n)) < probs
        totals[start : start + 5_000] = won @ amounts
    assert abs(totals.mean() - float(result.mean.amount)) < 4 * result.sd / math.sqrt(draws)
    assert totals.std() == pytest.approx(result.sd, rel=0.03)
    for item in result.quantiles:
        q = float(item.q)
        slack = 4 * math.sqrt(q * (1 - q) / draws)  # sampling error of an empirical quantile
        assert item.low.amount <= Decimal(float(np.quantile(totals, q + slack)))
        assert Decimal(float(np.quantile(totals, q - slack))) <= item.high.amount
        assert item.error < Decimal(0.05 * result.sd)  # the Hoeffding bracket is tight


def test_plain_and_numpy_grids_agree(monkeypatch):
    pytest.importorskip("numpy")
    amounts = [12_345 * (i % 7 + 1) + i for i in range(60)]
    probs = [Decimal(i % 9 + 1) / 10 for i in range(60)]
    with_numpy = won_revenue_columns(amounts, probs, currency="CNY", max_cells=300)
    monkeypatch.setattr(uncertainty, "_numpy", lambda: None)
    plain = won_revenue_columns(amounts, probs, currency="CNY", max_cells=300)
    assert plain.quantiles == with_numpy.quantiles
    assert plain.step == with_numpy.step
    assert plain.lost == pytest.approx(with_numpy.lost, abs=1e-15)


def test_certain_deals_are_constants_and_bad_input_is_refused():
    result = won_revenue_columns([500, 70], [1, 0], currency="CNY")
    assert [q.value.amount for q in result.quantiles] == [500, 500, 500]
    assert result.variance == 0
    assert result.exact
    assert won_revenue_columns([], [], currency="CNY").quantile("0.5").value == Money(0, "CNY")
    with pytest.raises(InvalidData):
        won_revenue_columns([-5], ["0.5"], currency="CNY")
    with pytest.raises(InvalidData):
        won_revenue_columns([5], ["0.5"], currency="CNY", quantiles=[1])
    with pytest.raises(InvalidData):
        result.quantile("0.25")


def test_per_period_distributions_add_up_to_the_total():
    horizon = Horizon(dt.date(2026, 1, 1), 3)
    closes = [
        dt.date(2026, 1, 5),
        dt.date(2026, 1, 20),
        dt.date(2026, 3, 1),
        None,
        dt.date(2025, 12, 1),
    ]
    result = won_revenue_by_period(
        [Decimal("100.50"), Decimal(200), Decimal(300), Decimal(400), Decimal(500)],
        ["0.5", "0.2", "0.9", "0.5", "0.1"],
        closes,
        horizon=horizon,
        currency="CNY",
    )
    groups = [p.distribution for p in result.periods] + [
        result.overdue,
        result.later,
        result.undated,
    ]
    assert sum(g.mean.amount for g in groups) == result.total.mean.amount
    assert sum(g.variance for g in groups) == result.total.variance
    assert [p.distribution.deals for p in result.periods] == [2, 0, 1]
    january = result.periods[0].distribution
    assert [q.value.amount for q in january.quantiles] == [0, Decimal("100.50"), 200]


def test_object_path_matches_the_columns():
    cycle = get_cycle("funnel")
    at = dt.datetime(2026, 1, 5, tzinfo=UTC)
    deals = []
    for i, (stage, amount) in enumerate(
        [("TARGET", 100), ("NEGOTIATION", 250), ("WON", 40), ("LOST", 999)]
    ):
        d = Deal(f"D{i}", Account("x", "sme"), Money(amount, "CNY"))
        d.enter(cycle, stage, at=at)
        deals.append(d)
    by_objects = won_revenue(deals, cycle, currency="CNY")
    by_columns = won_revenue_columns([100, 250, 40], ["0.1", "0.5", 1], currency="CNY")
    assert by_objects == by_columns


@settings(max_examples=40)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["TARGET", "INTENT", "NEGOTIATION", "CLOSED", "WON", "LOST"]),
            st.integers(0, 10**7),
            st.none() | grid,
        ),
        max_size=10,
    )
)
def test_object_and_column_paths_agree_for_any_deals(data):
    cycle = get_cycle("funnel")
    at = dt.datetime(2026, 1, 5, tzinfo=UTC)
    deals = []
    for i, (stage, amount, _) in enumerate(data):
        d = Deal(f"D{i}", Account("x", "sme"), Money(amount, "CNY"))
        d.enter(cycle, stage, at=at)
        deals.append(d)
    own = {f"D{i}": Decimal(p).scaleb(-4) for i, (_, _, p) in enumerate(data) if p is not None}
    kept = [(i, s, a) for i, (s, a, _) in enumerate(data) if s != "LOST"]
    probabilities = [
        Decimal(1) if s == "WON" else own.get(f"D{i}", Decimal(str(cycle.probability(s))))
        for i, s, _ in kept
    ]
    by_objects = won_revenue(deals, cycle, currency="CNY", probabilities=own, max_cells=256)
    by_columns = won_revenue_columns(
        [Decimal(a) for _, _, a in kept], probabilities, currency="CNY", max_cells=256
    )
    assert by_objects == by_columns
