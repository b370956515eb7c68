"""The stage-weighted, time-phased forecast: periods, weighting, categories, tax and FX."""

from __future__ import annotations

import csv
import datetime as dt
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bigaccount import Account, CurrencyMismatch, Deal, InvalidData, Money, get_cycle
from bigaccount.analytics._columns import on_grid
from bigaccount.analytics._columns import points as on_grid_points
from bigaccount.analytics.categories import (
    CategoryRules,
    ForecastCategory,
    categories,
    forecast_categories,
)
from bigaccount.analytics.forecast import (
    FxTable,
    MeanOver,
    TaxBasis,
    forecast,
    forecast_columns,
)
from bigaccount.analytics.periods import Horizon, Period, PeriodUnit, month_code
from bigaccount.analytics.weighting import (
    CompetitorPresent,
    GateProgress,
    Override,
    ProbabilitySource,
    RelationshipDepth,
    TimeInStage,
    weigh,
    weigh_columns,
)

DATA = Path(__file__).resolve().parent / "data"
MAVEN = DATA / "maven-crm-sales-opportunities" / "sales_pipeline.csv"
SALESFORCE = DATA / "salesforce-devorg-sample"
UTC = dt.timezone.utc
T0 = dt.datetime(2026, 1, 5, 9, tzinfo=UTC)
H2026 = Horizon(dt.date(2026, 1, 1), 12)

# -- strategies --------------------------------------------------------------------------

grid = st.integers(0, 10_000)
minor = st.integers(0, 10**12)
days = st.dates(dt.date(2025, 6, 1), dt.date(2027, 6, 30)) | st.none()
rows = st.lists(st.tuples(minor, grid, days), max_size=40)


def columns(data: list[tuple[int, int, dt.date | None]]):
    amounts = [a for a, _, _ in data]
    probs = [Decimal(p).scaleb(-4) for _, p, _ in data]
    closes = [c for _, _, c in data]
    return amounts, probs, closes


def run(amounts, probs, closes, **kw):
    kw.setdefault("horizon", H2026)
    kw.setdefault("currency", "CNY")
    kw.setdefault("tax", TaxBasis.INCLUSIVE)
    return forecast_columns(amounts, probs, closes, **kw)


# -- the seed's monthly table ----------------------------------------------------------


SEED = [0, 0, 0, 40, 15, 24, 25, 25, 40, 20, 36, 45]


def seed_table():
    wan = Decimal(10_000)
    return forecast_columns(
        [v * wan for v in map(Decimal, SEED)],
        [1] * 12,
        [dt.date(2008, m, 15) for m in range(1, 13)],
        horizon=Horizon(dt.date(2008, 1, 1), 12),
        currency="CNY",
        tax=TaxBasis.INCLUSIVE,
    )


def test_the_seed_table_is_reproduced_month_by_month():
    table = seed_table()
    assert [r.weighted.amount / 10_000 for r in table.periods] == SEED
    assert [r.period.label for r in table.periods][:2] == ["2008-01", "2008-02"]
    assert table.in_horizon.weighted == Money(2_700_000, "CNY")
    assert table.tax is TaxBasis.INCLUSIVE


def test_the_seed_monthly_mean_is_over_active_months_and_the_choice_is_explicit():
    table = seed_table()
    assert table.active_periods == sum(1 for v in SEED if v) == 9
    assert table.mean(MeanOver.ACTIVE_PERIODS).amount == Decimal("300000.00")  # 30.00 万元
    assert table.mean(MeanOver.ALL_PERIODS).amount == Decimal("225000.00")  # 22.50 万元
    with pytest.raises(InvalidData):
        table.mean("weekly")
    assert MeanOver.ACTIVE_PERIODS.label.zh == "有销售的月份"


def test_tax_bases_are_kept_apart():
    table = seed_table()
    net = table.excluding_tax(Decimal("0.13"))
    assert net.tax is TaxBasis.EXCLUSIVE
    april = net.periods[3].weighted.amount
    assert april == (Decimal(400_000) / Decimal("1.13")).quantize(Decimal("0.01"))
    with pytest.raises(InvalidData):
        net.excluding_tax("0.13")
    with pytest.raises(InvalidData):
        table.plus(net)
    with pytest.raises(InvalidData):
        table.excluding_tax(0.13)  # a float rate
    assert table.plus(table).in_horizon.weighted == Money(5_400_000, "CNY")


def test_a_tax_basis_must_be_given():
    with pytest.raises(TypeError):
        forecast_columns([1], [1], [None], horizon=H2026, currency="CNY")  # type: ignore[call-arg]


# -- periods and the rolling horizon ----------------------------------------------------


def test_rolling_horizon_places_overdue_later_and_undated_deals():
    horizon = Horizon.rolling(dt.date(2026, 3, 20), 3)
    assert [p.label for p in horizon.periods] == ["2026-03", "2026-04", "2026-05"]
    result = run(
        [100, 200, 300, 400, 500],
        [1, "0.5", "0.5", "0.5", "0.5"],
        [
            dt.date(2026, 2, 28),
            dt.date(2026, 3, 1),
            dt.date(2026, 5, 31),
            dt.date(2026, 6, 1),
            None,
        ],
        horizon=horizon,
    )
    assert [r.deals for r in result.periods] == [1, 0, 1]
    assert result.overdue.weighted == Money(100, "CNY")
    assert result.later.amount == Money(400, "CNY")
    assert result.undated.weighted == Money(250, "CNY")
    assert result.total.deals == 5
    assert result.total.weighted == Money(100 + 100 + 150 + 200 + 250, "CNY")


def test_quarters():
    horizon = Horizon(dt.date(2026, 2, 1), 2, PeriodUnit.QUARTER)
    assert [p.label for p in horizon.periods] == ["2026Q1", "2026Q2"]
    assert horizon.periods[1].start == dt.date(2026, 4, 1)
    result = run(
        [10, 20, 30],
        [1, 1, 1],
        [dt.date(2026, 1, 2), dt.date(2026, 6, 30), dt.date(2026, 7, 1)],
        horizon=horizon,
    )
    assert [r.weighted.amount for r in result.periods] == [10, 20]
    assert result.later.deals == 1


@given(st.dates(dt.date(1900, 1, 1), dt.date(2200, 12, 31)))
def test_month_codes_follow_the_calendar(day):
    period = Period.of(day)
    assert period.start == day.replace(day=1)
    assert period.label == day.strftime("%Y-%m")
    assert month_code(day) == day.year * 12 + day.month - 1
    assert Period.of(day, "quarter").start <= day


def test_bad_columns_are_refused_naming_the_column():
    with pytest.raises(InvalidData) as info:
        run([1.5], [1], [None])
    assert info.value.field == "amounts"
    with pytest.raises(InvalidData) as info:
        run([1, 2], [1], [None, None])
    assert info.value.field == "probabilities"
    with pytest.raises(InvalidData) as info:
        run([1], [1 / 3], [None])
    assert "basis points" in info.value.problem
    with pytest.raises(InvalidData):
        run([1], [Decimal("1.5")], [None])
    with pytest.raises(InvalidData):
        run([1], [True], [None])
    with pytest.raises(InvalidData):
        run([1], [1], ["2026-01-01"])
    with pytest.raises(InvalidData):
        run([Decimal("NaN")], [1], [None])
    with pytest.raises(InvalidData):
        run([1, Decimal(2)], [1, 1], [None, None])
    with pytest.raises(InvalidData):
        Horizon(dt.date(2026, 1, 1), 0)


def test_off_grid_probabilities_can_be_rounded_explicitly():
    assert on_grid(0.123456) == Decimal("0.1235")
    assert run([10_000], [on_grid(1 / 3)], [None]).total.weighted == Money(3333, "CNY")


# -- properties ---------------------------------------------------------------------------


@given(rows)
def test_weighted_never_exceeds_the_pipeline_and_totals_add_up(data):
    result = run(*columns(data))
    total = result.total
    assert Money(0, "CNY") <= total.weighted <= total.amount
    assert total.deals == len(data)
    assert total.amount.amount == sum(a for a, _, _ in data)
    exact = sum(Decimal(a) * Decimal(p) for a, p, _ in data) / 10_000
    assert total.weighted.amount == exact


@given(rows)
def test_won_counts_fully_lost_counts_zero(data):
    amounts, _, closes = columns(data)
    won = run(amounts, [1] * len(data), closes)
    lost = run(amounts, [0] * len(data), closes)
    assert won.total.weighted == won.total.amount
    assert lost.total.weighted == Money(0, "CNY")
    assert lost.total.amount == won.total.amount


@given(rows, st.randoms(use_true_random=False))
def test_totals_do_not_depend_on_the_order_of_the_deals(data, rnd):
    shuffled = list(data)
    rnd.shuffle(shuffled)
    assert run(*columns(data)) == run(*columns(shuffled))


@given(rows)
def test_minor_units_decimals_and_numpy_agree_exactly(data):
    np = pytest.importorskip("numpy")
    amounts, probs, closes = columns(data)
    cents = run(amounts, probs, closes, minor_unit=2)
    decimals = run([Decimal(a).scaleb(-2) for a in amounts], probs, closes)
    assert cents == decimals
    arrays = run(
        np.array(amounts, dtype=np.int64),
        np.array([float(p) for p in probs]),
        np.array(closes, dtype="datetime64[D]"),
        minor_unit=2,
    )
    assert arrays == cents
    codes = [month_code(c) for c in closes if c is not None]
    dated = [(a, p) for a, p, c in zip(amounts, probs, closes, strict=True) if c is not None]
    by_codes = run(
        np.array([a for a, _ in dated], dtype=np.int64),
        np.array([float(p) for _, p in dated]),
        np.array(codes, dtype=np.int64),
        minor_unit=2,
    )
    assert by_codes.periods == cents.periods
    assert by_codes.overdue == cents.overdue


def test_numpy_refuses_what_the_plain_path_refuses():
    np = pytest.importorskip("numpy")
    dates = np.array(["2026-01-01"], dtype="datetime64[D]")
    with pytest.raises(InvalidData):
        run(np.array([1]), np.array([0.30000000000000004]), dates)
    with pytest.raises(InvalidData):
        run(np.array([1.0]), np.array([0.3]), dates)
    with pytest.raises(InvalidData):
        run(np.array([1]), np.array([1.5]), dates)
    big = run(np.array([10**15]), np.array([0.5]), dates)  # too big for int64 products
    assert big.total.weighted.amount == Decimal(10**15) / 2


# -- the object path ------------------------------------------------------------------


def deal(
    key, stage, amount, close=None, *, currency="CNY", at=T0, owner=None, segment="enterprise"
):
    d = Deal(key, Account(f"acct {key}", segment), Money(amount, currency), close, owner)
    d.enter(get_cycle("funnel"), stage, at=at)
    return d


@given(
    st.lists(
        st.tuples(
            st.sampled_from(
                [
                    "TARGET",
                    "INTENT",
                    "APPROVED",
                    "ENDORSED",
                    "NEGOTIATION",
                    "CLOSED",
                    "WON",
                    "LOST",
                    "STALLED",
                ]
            ),
            st.integers(0, 10**9),
            days,
        ),
        max_size=15,
    )
)
def test_object_and_column_paths_agree_exactly(data):
    cycle = get_cycle("funnel")
    deals = [deal(f"D{i}", s, a, c) for i, (s, a, c) in enumerate(data)]
    by_objects = forecast(deals, cycle, horizon=H2026, currency="CNY", tax="inclusive")
    kept = [(s, a, c) for s, a, c in data if s not in ("LOST", "STALLED")]
    by_columns = run(
        [Decimal(a) for _, a, _ in kept],
        [on_grid(cycle.probability(s)) for s, _, _ in kept],
        [T0.date() if s == "WON" else c for s, _, c in kept],
    )
    assert by_objects == by_columns


def test_won_deals_are_placed_when_won_and_other_currencies_need_fx():
    won = deal("W", "WON", 1000, dt.date(2030, 1, 1), at=dt.datetime(2026, 3, 2, tzinfo=UTC))
    usd = deal("U", "INTENT", 100, dt.date(2026, 4, 10), currency="USD")
    with pytest.raises(CurrencyMismatch):
        forecast([won, usd], "funnel", horizon=H2026, currency="CNY", tax="inclusive")
    fx = FxTable("CNY", {"USD": "7.1"}, dt.date(2026, 3, 31))
    result = forecast([won, usd], "funnel", horizon=H2026, currency="CNY", tax="inclusive", fx=fx)
    assert result.periods[2].weighted == Money(1000, "CNY")
    assert result.periods[3].weighted == Money(Decimal("142"), "CNY")  # 100 × 7.1 × 0.2
    assert fx.column([Decimal(1), Decimal(2)], ["USD", "CNY"]) == [Decimal("7.1"), Decimal(2)]
    with pytest.raises(CurrencyMismatch):
        fx.rate("EUR")
    with pytest.raises(InvalidData):
        FxTable("CNY", {"USD": 7.1}, dt.date(2026, 3, 31))


# -- weighting: overrides and adjustments ---------------------------------------------------


def test_an_override_is_flagged_and_survives_while_its_stage_holds():
    a = deal("A", "APPROVED", 1000, dt.date(2026, 5, 1))
    b = deal("B", "NEGOTIATION", 1000, dt.date(2026, 5, 1))
    w = deal("W", "WON", 1000)
    overrides = {
        "A": Override("0.6", stage="APPROVED", reason="verbal yes from the CFO"),
        "B": Override("0.6", stage="ENDORSED"),  # set before the stage changed
        "W": Override("0.1"),
    }
    weights = weigh([a, b, w], "funnel", as_of=T0, overrides=overrides)
    got = {d.id: d for d in weights.details}
    assert got["A"].source is ProbabilitySource.OVERRIDE
    assert got["A"].probability == Decimal("0.6")
    assert got["A"].stage == Decimal("0.3")
    assert got["B"].source is ProbabilitySource.STAGE
    assert got["B"].probability == Decimal("0.5")
    assert got["B"].expired_override == Decimal("0.6")
    assert "own number expired 0.6" in got["B"].explain("en")
    assert "人工概率已失效" in got["B"].explain("zh")
    assert got["W"].source is ProbabilitySource.OUTCOME
    assert got["W"].probability == 1
    result = forecast(
        [a, b, w],
        "funnel",
        horizon=H2026,
        currency="CNY",
        tax="inclusive",
        probabilities=weights.by_id(),
    )
    assert result.total.weighted == Money(600 + 500 + 1000, "CNY")


def test_adjustments_explain_their_effect_and_stay_within_their_limits():
    weights = weigh_columns(
        ["0.3", "0.3", "0.02", 1],
        signals={
            "relationship": [1.0, 0.0, 0.0, 0.0],
            "gate_share": [0.5, None, 0.0, 1.0],
            "stage_overrun": [0.5, 3.0, 1.5, 3.0],
            "competitor": [False, True, True, True],
        },
        adjustments=(RelationshipDepth(), GateProgress(), TimeInStage(), CompetitorPresent()),
    )
    first, second, third, certain = weights.details
    assert [e.delta for e in first.effects] == [Decimal("0.1"), Decimal("0.025"), 0, 0]
    assert first.probability == Decimal("0.425")
    assert [e.delta for e in second.effects] == [
        Decimal("-0.1"),
        0,
        Decimal("-0.15"),
        Decimal("-0.05"),
    ]
    assert second.probability == 0  # 0.3 − 0.1 − 0.15 − 0.05, exactly
    assert not second.clamped
    assert third.effects[2].delta == Decimal("-0.075")
    assert third.probability == 0
    assert third.clamped
    assert certain.effects == ()
    assert certain.probability == 1
    assert "relationship depth 1.0: +0.1" in first.explain("en")
    assert "客户关系深度" in first.explain("zh")


@given(
    st.lists(
        st.tuples(grid, st.floats(0, 1), st.floats(0, 1), st.floats(0, 5), st.booleans()),
        max_size=20,
    )
)
def test_adjusted_probabilities_stay_in_bounds(data):
    rules = (RelationshipDepth(), GateProgress(), TimeInStage(), CompetitorPresent())
    weights = weigh_columns(
        [Decimal(p).scaleb(-4) for p, *_ in data],
        signals={
            "relationship": [r for _, r, *_ in data],
            "gate_share": [g for _, _, g, *_ in data],
            "stage_overrun": [o for *_, o, _ in data],
            "competitor": [c for *_, c in data],
        },
        adjustments=rules,
    )
    bound = sum(r.limit for r in rules)
    for detail in weights.details:
        assert 0 <= detail.probability <= 1
        assert abs(detail.probability - detail.stage) <= bound
        for effect, rule in zip(detail.effects, rules, strict=False):  # none when certain
            assert abs(effect.delta) <= rule.limit


def test_signals_are_read_from_the_deals():
    d = deal("G", "INTENT", 1000, at=T0)
    d.establish("members_known", "core_needs_known", at=T0)  # 2 of the 4 APPROVED needs
    weights = weigh(
        [d],
        "funnel",
        as_of=T0 + dt.timedelta(days=60),
        adjustments=(GateProgress(), TimeInStage(), CompetitorPresent()),
        norms={"INTENT": 30},
    )
    detail = weights.details[0]
    assert detail.effects[0].value == pytest.approx(0.5)
    assert detail.effects[0].delta == Decimal("0.025")
    assert detail.effects[1].value == pytest.approx(2.0)
    assert detail.effects[1].delta == Decimal("-0.15")
    assert detail.effects[2].value is False
    assert detail.probability == Decimal("0.075")
    with pytest.raises(InvalidData):
        weigh([d], "funnel", as_of=dt.datetime(2026, 1, 1))  # naive


def test_missing_signal_columns_are_named():
    with pytest.raises(InvalidData) as info:
        weigh_columns(["0.3"], adjustments=(GateProgress(),))
    assert "gate_share" in info.value.problem


# -- categories ---------------------------------------------------------------------------


def test_categories_follow_rules_and_manual_choices_are_flagged():
    rules = CategoryRules(
        commit_from="0.8", best_case_from="0.4", by_stage={"ENDORSED": "pipeline"}
    )
    result = forecast_categories(
        [10, 20, 30, 40, 50, 60],
        ["0.2", "0.4", "0.4", "0.8", 1, "0.5"],
        ["INTENT", "ENDORSED", "ENDORSED", "CLOSED", "WON", "NEGOTIATION"],
        currency="CNY",
        rules=rules,
        manual=[None, None, "commit", None, None, None],
    )
    assert result.categories == (
        ForecastCategory.PIPELINE,
        ForecastCategory.PIPELINE,
        ForecastCategory.COMMIT,
        ForecastCategory.COMMIT,
        ForecastCategory.CLOSED,
        ForecastCategory.BEST_CASE,
    )
    assert result.manual == (False, False, True, False, False, False)
    assert result.commit.amount == Money(30 + 40 + 50, "CNY")
    assert result.best_case.amount == Money(30 + 40 + 50 + 60, "CNY")
    assert result.row("pipeline").weighted == Money(Decimal("2") + Decimal("8"), "CNY")
    with pytest.raises(InvalidData):
        CategoryRules(commit_from="0.3", best_case_from="0.5")


def test_lost_deals_are_omitted_on_the_object_path():
    deals = [deal("L", "LOST", 100), deal("C", "CLOSED", 200), deal("W", "WON", 300)]
    result = categories(deals, "funnel", currency="CNY")
    assert result.row(ForecastCategory.OMITTED).deals == 1
    assert result.row(ForecastCategory.COMMIT).amount == Money(200, "CNY")
    assert result.row(ForecastCategory.CLOSED).weighted == Money(300, "CNY")


# -- real data --------------------------------------------------------------------------


def test_salesforce_categories_and_expected_revenue_match_the_export():
    with (SALESFORCE / "OpportunityHistory.csv").open(newline="") as handle:
        history = [r for r in csv.DictReader(handle) if r["Amount"]]
    state = {"Closed Won": "WON", "Closed Lost": "LOST"}
    rules = CategoryRules(commit_from=1, best_case_from=1)
    result = forecast_categories(
        [Decimal(r["Amount"]) for r in history],
        [Decimal(r["Probability"]) / 100 for r in history],
        [state.get(r["StageName"], r["StageName"]) for r in history],
        currency="USD",
        rules=rules,
    )
    names = {
        ForecastCategory.PIPELINE: "Pipeline",
        ForecastCategory.CLOSED: "Closed",
        ForecastCategory.OMITTED: "Omitted",
    }
    assert [names[c] for c in result.categories] == [r["ForecastCategory"] for r in history]
    expected = sum(Decimal(r["ExpectedRevenue"]) for r in history)
    assert sum(row.weighted.amount for row in result.rows) == expected


def maven_rows():
    with MAVEN.open(newline="") as handle:
        return list(csv.DictReader(handle))


def test_maven_won_value_per_month_of_close():
    data = [r for r in maven_rows() if r["deal_stage"] == "Won"]
    result = run(
        [int(r["close_value"]) for r in data],
        [1] * len(data),
        [dt.date.fromisoformat(r["close_date"]) for r in data],
        horizon=Horizon(dt.date(2017, 1, 1), 12),
        currency="USD",
    )
    expected: dict[str, int] = defaultdict(int)
    for r in data:
        expected[r["close_date"][:7]] += int(r["close_value"])
    got = {p.period.label: int(p.weighted.amount) for p in result.periods if p.deals}
    assert got == dict(expected)
    assert result.total.weighted.amount == sum(expected.values())
    assert result.overdue.deals == result.later.deals == result.undated.deals == 0


# -- the numpy checks, partial totals, and the object path of the categories -------------

odd_probabilities = st.lists(
    st.one_of(
        grid.map(lambda k: k / 10_000),
        st.floats(-2, 2, allow_nan=False),
        st.floats(allow_nan=True, allow_infinity=True),
        st.sampled_from([float("nan"), float("inf"), -0.0, 1.0000000000000002, -1e-300]),
    ),
    min_size=1,
    max_size=12,
)


def _refused(value):
    try:
        on_grid_points(value)
    except InvalidData:
        return True
    return False


@given(odd_probabilities)
def test_numpy_checks_refuse_exactly_what_the_plain_path_refuses(values):
    np = pytest.importorskip("numpy")
    n = len(values)
    refused = [i for i, v in enumerate(values) if _refused(v)]
    if refused:
        with pytest.raises(InvalidData):
            run([1] * n, values, [None] * n)
        with pytest.raises(InvalidData) as info:
            run(np.ones(n, dtype=np.int64), np.array(values), np.array([0] * n))
        assert info.value.field == f"probabilities[{refused[0]}]"  # the first offender named
    else:
        plain = run([1] * n, values, [None] * n)
        arrays = run(np.ones(n, dtype=np.int64), np.array(values), np.array([0] * n))
        assert arrays.overdue.weighted == plain.undated.weighted


@given(rows, st.integers(0, 40), st.booleans())
def test_totals_of_parts_add_up_to_the_whole_exactly(data, cut, decimal_second):
    from bigaccount.analytics.forecast import assemble, column_totals

    amounts, probs, closes = columns(data)
    cut = min(cut, len(data))
    first = column_totals(amounts[:cut], probs[:cut], closes[:cut], H2026, minor_unit=2)
    rest = amounts[cut:]
    if decimal_second:  # the same amounts as Decimal units: the parts have different places
        second = column_totals(
            [Decimal(a).scaleb(-2) for a in rest], probs[cut:], closes[cut:], H2026
        )
    else:
        second = column_totals(rest, probs[cut:], closes[cut:], H2026, minor_unit=2)
    whole = run(amounts, probs, closes, minor_unit=2)
    assert assemble(H2026, "CNY", TaxBasis.INCLUSIVE, first.plus(second)) == whole


@given(
    st.lists(
        st.tuples(
            st.sampled_from(
                ["TARGET", "INTENT", "NEGOTIATION", "CLOSED", "WON", "LOST", "STALLED"]
            ),
            st.integers(0, 10**9),
            st.none() | grid,
        ),
        max_size=15,
    )
)
def test_categories_object_and_column_paths_agree_exactly(data):
    cycle = get_cycle("funnel")
    deals = [deal(f"D{i}", s, a) for i, (s, a, _) in enumerate(data)]
    own = {f"D{i}": Decimal(p).scaleb(-4) for i, (_, _, p) in enumerate(data) if p is not None}
    by_objects = categories(deals, cycle, currency="CNY", probabilities=own)
    closed = ("WON", "LOST", "STALLED")
    by_columns = forecast_categories(
        [Decimal(a) for _, a, _ in data],
        [
            own.get(f"D{i}", on_grid(cycle.probability(s)))
            if s not in closed
            else on_grid(cycle.probability(s))
            for i, (s, _, _) in enumerate(data)
        ],
        [s for s, _, _ in data],
        currency="CNY",
    )
    assert by_objects == by_columns


@given(
    st.lists(
        st.tuples(minor, grid, st.dates(dt.date(1990, 1, 1), dt.date(2400, 12, 31)) | st.none()),
        max_size=30,
    ),
    st.sampled_from(["Y", "M", "W", "D", "h", "s", "ms", "us", "ns"]),
    st.sampled_from([H2026, Horizon(dt.date(2350, 2, 1), 3, "quarter")]),
)
def test_numpy_dates_of_any_unit_fall_in_the_periods_the_calendar_says(data, unit, horizon):
    np = pytest.importorskip("numpy")
    amounts, probs, closes = columns(data)
    days = np.array(closes, dtype="datetime64[D]")
    column = days.astype(f"datetime64[{unit}]")
    if unit in ("h", "s", "ms", "us", "ns"):  # a moment late in the day stays on that day
        column = column + np.timedelta64(23, "h").astype(f"timedelta64[{unit}]")
    if unit == "ns":
        column = np.where(days > np.datetime64("2262-01-01"), np.datetime64("NaT"), column)
    read_back = [None if np.isnat(v) else v.astype("datetime64[D]").item() for v in column]
    expected = run(amounts, probs, read_back, horizon=horizon, minor_unit=2)
    got = run(
        np.array(amounts, dtype=np.int64),
        np.array([float(p) for p in probs]),
        column,
        horizon=horizon,
        minor_unit=2,
    )
    assert got == expected
