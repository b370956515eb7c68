"""The learned win probability: counts, reasons, monotonicity, calibration, real data."""

from __future__ import annotations

import csv
import datetime as dt
import math
import random
from collections.abc import Mapping, Sequence
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from bigaccount.analytics.accuracy import BASE_RATE, cross_validate, kfold, time_folds
from bigaccount.analytics.winprob import (
    LOG_ODDS_LIMIT,
    CalibratedWinModel,
    Combine,
    Missing,
    PlattScaling,
    ReasonKind,
    Source,
    WinModel,
    attributes_of,
    bin_label,
    calibrate,
    calibrated_learner,
    combine,
    win_model_learner,
)
from bigaccount.errors import InvalidData

ROOT = Path(__file__).resolve().parent.parent
SALVIRT = ROOT / "tests" / "data" / "salvirt-b2b-sales" / "Salvirt_B2B_ML_dataset_HF.csv"
MAVEN = ROOT / "tests" / "data" / "maven-crm-sales-opportunities"

Record = dict[str, str | None]
ATTRIBUTES = ("client", "budget", "source")
VALUES = {
    "client": ["new", "current", "past"],
    "budget": ["yes", "no"],
    "source": ["web", "event", "referral"],
}


@st.composite
def records(draw: st.DrawFn, missing: bool = True) -> Record:
    return {
        a: draw(st.sampled_from([*VALUES[a], None] if missing else VALUES[a])) for a in ATTRIBUTES
    }


history = st.lists(st.tuples(records(), st.booleans()), max_size=40)
settings = st.fixed_dictionaries(
    {
        "prior": st.floats(0.05, 0.95),
        "prior_strength": st.floats(0.5, 20.0),
        "smoothing": st.floats(0.1, 20.0),
        "min_support": st.integers(1, 4),
        "missing": st.sampled_from(list(Missing)),
    }
)


def fitted(deals: Sequence[tuple[Record, bool]], **options: object) -> WinModel:
    return WinModel(ATTRIBUTES, **options).updated([r for r, _ in deals], [y for _, y in deals])  # type: ignore[arg-type]


def plain_log_odds(
    train: Sequence[tuple[Mapping[str, str | None], bool]],
    record: Mapping[str, str | None],
    attributes: Sequence[str],
    prior: float = 0.5,
    s0: float = 2.0,
    m: float = 2.0,
    min_support: int = 1,
    missing_is_value: bool = False,
) -> float:
    """The documented prediction, written out from the counts in its likelihood form."""
    won = sum(y for _, y in train)
    total = math.log((won + s0 * prior) / (len(train) - won + s0 * (1 - prior)))
    for a in attributes:
        present = [(r.get(a), y) for r, y in train if r.get(a) is not None or missing_is_value]
        w_tot = sum(y for _, y in present) + s0 * prior
        l_tot = len(present) - sum(y for _, y in present) + s0 * (1 - prior)
        eps = m / (w_tot + l_tot)
        v = record.get(a)
        if v is None and not missing_is_value:
            continue
        w = sum(1 for x, y in present if x == v and y)
        lo = sum(1 for x, y in present if x == v and not y)
        if w + lo >= min_support and w + lo > 0:
            total += math.log((w / w_tot + eps) / (lo / l_tot + eps))
    return total


def sigmoid(z: float) -> float:
    return 1 / (1 + math.exp(-z))


# -- counting ------------------------------------------------------------------------


@given(history, st.integers(0, 40), st.randoms(use_true_random=False), settings)
def test_incremental_refits_equal_a_fit_from_scratch_in_any_order(
    deals: list[tuple[Record, bool]], cut: int, rnd: random.Random, options: dict[str, object]
) -> None:
    scratch = fitted(deals, **options)
    model = WinModel(ATTRIBUTES, **options)  # type: ignore[arg-type]
    for record, won in deals:
        model = model.added(record, won)
    shuffled = deals[:]
    rnd.shuffle(shuffled)
    in_two = fitted(shuffled[:cut], **options).updated(
        [r for r, _ in shuffled[cut:]], [y for _, y in shuffled[cut:]]
    )
    assert model == scratch == in_two
    probe = [r for r, _ in deals] + [{"client": "new"}, {}]
    assert [model.probability(r) for r in probe] == [in_two.probability(r) for r in probe]


@given(records(), settings)
def test_with_no_history_the_model_returns_the_prior(
    record: Record, options: dict[str, object]
) -> None:
    model = WinModel(ATTRIBUTES, **options)  # type: ignore[arg-type]
    prediction = model.predict(record)
    assert prediction.probability == pytest.approx(options["prior"], abs=1e-12)
    assert all(r.contribution == 0.0 for r in prediction.reasons)


@given(history, records(), settings)
def test_predictions_follow_the_documented_formula_and_reasons_add_up(
    deals: list[tuple[Record, bool]], record: Record, options: dict[str, object]
) -> None:
    model = fitted(deals, **options)
    prediction = model.predict(record)
    expected = plain_log_odds(
        deals,
        record,
        ATTRIBUTES,
        prior=options["prior"],  # type: ignore[arg-type]
        s0=options["prior_strength"],  # type: ignore[arg-type]
        m=options["smoothing"],  # type: ignore[arg-type]
        min_support=options["min_support"],  # type: ignore[arg-type]
        missing_is_value=options["missing"] is Missing.CATEGORY,
    )
    assert prediction.log_odds == pytest.approx(expected, rel=1e-9, abs=1e-9)
    parts = prediction.base_log_odds + math.fsum(r.contribution for r in prediction.reasons)
    assert parts == pytest.approx(prediction.log_odds, rel=1e-12, abs=1e-12)
    assert 0.0 < prediction.probability < 1.0
    assert [abs(r.contribution) for r in prediction.reasons] == sorted(
        (abs(r.contribution) for r in prediction.reasons), reverse=True
    )
    assert model.probabilities([record]) == [model.probability(record)]


def test_a_value_below_the_support_is_not_counted_and_says_why() -> None:
    deals: list[tuple[Record, bool]] = [({"client": "new"}, False)] * 2
    deals += [({"client": "current"}, True)] * 5
    model = fitted(deals, min_support=3)
    (reason,) = [r for r in model.predict({"client": "new"}).reasons if r.attribute == "client"]
    assert reason.kind is ReasonKind.RARE
    assert reason.contribution == 0.0
    assert "fewer than 3" in reason.explain("en")
    assert "不足 3 笔" in reason.explain("zh")
    unseen = model.predict({"client": "lapsed"}).reasons
    assert {r.attribute: r.kind for r in unseen}["client"] is ReasonKind.UNSEEN


def test_missing_values_say_nothing_or_are_a_category_of_their_own() -> None:
    deals: list[tuple[Record, bool]] = [({"budget": None}, False)] * 6
    deals += [({"budget": "yes"}, True)] * 3
    deals += [({"budget": "no"}, False)]
    skip = fitted(deals)
    category = fitted(deals, missing=Missing.CATEGORY)
    skipped = {r.attribute: r for r in skip.predict({"budget": None}).reasons}["budget"]
    assert skipped.kind is ReasonKind.MISSING
    assert skipped.contribution == 0.0
    assert (skipped.won_total, skipped.lost_total) == (3, 1)
    counted = {r.attribute: r for r in category.predict({}).reasons}["budget"]
    assert counted.kind is ReasonKind.COUNTED
    assert counted.contribution < 0
    assert (counted.won, counted.lost, counted.lost_total) == (0, 6, 7)
    assert "(missing)" in counted.explain("en")
    assert "（缺失）" in counted.explain("zh")


def test_the_probability_stays_inside_zero_and_one() -> None:
    attributes = tuple(f"q{i}" for i in range(40))
    model = WinModel(attributes).updated(
        [dict.fromkeys(attributes, "yes")] * 5000 + [dict.fromkeys(attributes, "no")] * 5000,
        [True] * 5000 + [False] * 5000,
    )
    high = model.predict(dict.fromkeys(attributes, "yes"))
    low = model.predict(dict.fromkeys(attributes, "no"))
    assert high.log_odds > LOG_ODDS_LIMIT
    assert 0.0 < low.probability < 0.5 < high.probability < 1.0


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda m: m.updated([{"client": ""}], [True]), "records: client"),
        (lambda m: m.updated([{"client": 3}], [True]), "records: client"),
        (lambda m: m.updated([["client"]], [True]), "records[0]"),
        (lambda m: m.updated([{}], [1]), "outcomes[0]"),
        (lambda m: m.updated([{}, {}], [True]), "records"),
        (lambda m: m.probabilities([{}, "x"]), "records[1]"),
        (lambda m: WinModel(()), "attributes"),
        (lambda m: WinModel(("a", "a")), "attributes"),
        (lambda m: WinModel(("a",), prior=1.0), "prior"),
        (lambda m: WinModel(("a",), smoothing=0), "smoothing"),
        (lambda m: WinModel(("a",), min_support=0), "min_support"),
        (lambda m: WinModel(("a",), missing="guess"), "missing"),
    ],
)
def test_bad_input_is_refused_naming_the_field_and_counts_nothing(call: object, field: str) -> None:
    model = fitted([({"client": "new"}, True)])
    with pytest.raises(InvalidData) as info:
        call(model)  # type: ignore[operator]
    assert info.value.field == field
    assert (model.won, model.lost) == (1, 0)


# -- monotonicity ------------------------------------------------------------------------


@st.composite
def agreeing_won_deal(draw: st.DrawFn, x: Record) -> Record:
    """A won deal that shares at least one of *x*'s values and contradicts none of them."""
    present = [a for a in ATTRIBUTES if x[a] is not None]
    assume(present)
    shared = draw(st.sampled_from(present))
    r: Record = {}
    for a in ATTRIBUTES:
        if a == shared:
            r[a] = x[a]
        elif x[a] is None:
            r[a] = draw(st.sampled_from([*VALUES[a], None]))
        else:
            r[a] = draw(st.sampled_from([x[a], None]))
    return r


def crosses_support(model: WinModel, x: Record, r: Record) -> bool:
    """Whether adding *r* brings one of the values it shares with *x* to ``min_support``."""
    for counts in model.counts:
        v = x.get(counts.attribute)
        if v is not None and r.get(counts.attribute) == v:
            seen = counts.get(v)
            if (seen.deals if seen else 0) == model.min_support - 1 and model.min_support > 1:
                return True
    return False


@given(history, records(), st.data(), st.integers(1, 4))
def test_a_won_deal_that_agrees_with_a_deal_never_lowers_its_probability(
    deals: list[tuple[Record, bool]], x: Record, data: st.DataObject, min_support: int
) -> None:
    model = fitted(deals, min_support=min_support)
    r = data.draw(agreeing_won_deal(x))
    assume(not crosses_support(model, x, r))
    after = model.added(r, True)
    assert after.log_odds(x) >= model.log_odds(x) - 1e-12
    assert after.probability(x) >= model.probability(x) - 1e-15


@given(history, records(), records(), st.integers(1, 4))
def test_a_won_deal_never_lowers_the_contribution_of_a_value_it_has(
    deals: list[tuple[Record, bool]], x: Record, r: Record, min_support: int
) -> None:
    model = fitted(deals, min_support=min_support)
    after = model.added(r, True)
    before = {c.attribute: c for c in model.predict(x).reasons}
    later = {c.attribute: c for c in after.predict(x).reasons}
    for a in ATTRIBUTES:
        if x[a] is not None and r[a] == x[a] and not crosses_support(model, {a: x[a]}, {a: r[a]}):
            assert later[a].contribution >= before[a].contribution - 1e-12


def test_both_conditions_of_the_monotonicity_are_needed() -> None:
    x: Record = {"client": "current", "budget": "yes", "source": "web"}
    deals: list[tuple[Record, bool]] = [(x, True), (x, True), (x, False), (x, False)]
    deals += [({"client": "current", "budget": "no", "source": "event"}, True)]
    deals += [({"client": "current", "budget": "no", "source": "web"}, True)]
    deals += [({"client": "new", "budget": "yes", "source": "web"}, False)]
    model = fitted(deals)
    differs = model.added({"client": "current", "budget": "no", "source": "event"}, True)
    assert differs.probability(x) < model.probability(x)
    sparse: list[tuple[Record, bool]] = [({"client": "past"}, False)] * 2
    sparse += [({"client": "new"}, True)] * 20
    thin = fitted(sparse, min_support=3)
    crossing = thin.added({"client": "past"}, True)
    assert crossing.probability({"client": "past"}) < thin.probability({"client": "past"})


# -- calibration ---------------------------------------------------------------------


def test_platt_scaling_recovers_the_slope_and_intercept_of_the_data() -> None:
    rnd = random.Random(5)
    scores = [rnd.uniform(-4, 4) for _ in range(20000)]
    outcomes = [rnd.random() < sigmoid(0.4 * s - 0.7) for s in scores]
    scaling = PlattScaling.fit(scores, outcomes)
    assert scaling.slope == pytest.approx(0.4, abs=0.04)
    assert scaling.intercept == pytest.approx(-0.7, abs=0.06)


def test_platt_scaling_minimises_the_loss_against_plattes_targets() -> None:
    rnd = random.Random(8)
    scores = [rnd.gauss(0, 2) for _ in range(2000)]
    outcomes = [rnd.random() < sigmoid(1.7 * s + 0.3) for s in scores]
    won = sum(outcomes)
    targets = [(won + 1) / (won + 2) if y else 1 / (len(outcomes) - won + 2) for y in outcomes]

    def loss(a: float, b: float) -> float:
        return -math.fsum(
            t * math.log(sigmoid(a * s + b)) + (1 - t) * math.log(1 - sigmoid(a * s + b))
            for s, t in zip(scores, targets, strict=True)
        )

    fit = PlattScaling.fit(scores, outcomes)
    a, b, h = fit.slope, fit.intercept, 1e-5
    assert (loss(a + h, b) - loss(a - h, b)) / (2 * h) == pytest.approx(0.0, abs=1e-4)
    assert (loss(a, b + h) - loss(a, b - h)) / (2 * h) == pytest.approx(0.0, abs=1e-4)
    assert loss(a, b) <= min(loss(a * 1.01, b), loss(a, b + 0.01), loss(a * 0.99, b - 0.01))


def test_a_calibrated_model_scales_its_reasons_and_keeps_the_raw_value() -> None:
    deals = [({"client": "current", "budget": "yes"}, True)] * 8 + [
        ({"client": "new", "budget": "no"}, False)
    ] * 8
    deals += [({"client": "current", "budget": "no"}, False)] * 3 + [
        ({"client": "new", "budget": "yes"}, True)
    ] * 3
    rows, won = [r for r, _ in deals], [y for _, y in deals]
    calibrated = calibrate(WinModel(ATTRIBUTES), rows, won, kfold(won, 4))
    x = {"client": "current", "budget": "yes"}
    p = calibrated.predict(x)
    a = calibrated.scaling.slope
    assert p.raw_probability == calibrated.model.probability(x)
    assert p.base_log_odds + math.fsum(r.contribution for r in p.reasons) == pytest.approx(
        p.log_odds
    )
    raw = {r.attribute: r.contribution for r in calibrated.model.predict(x).reasons}
    assert all(r.contribution == pytest.approx(a * raw[r.attribute]) for r in p.reasons)
    assert calibrated.probabilities([x]) == pytest.approx([p.probability], abs=1e-12)
    with pytest.raises(InvalidData) as info:
        calibrate(calibrated.model, rows, won)
    assert info.value.field == "model"


# -- beside the declared probability -------------------------------------------------

prob = st.floats(0.0, 1.0)


@given(prob, prob, st.sampled_from(list(Combine)), prob, st.one_of(st.none(), prob))
def test_the_forecast_says_which_value_it_uses_and_keeps_the_users_own(
    learned: float, declared: float, how: Combine, weight: float, own: float | None
) -> None:
    f = combine(learned, declared, how, weight=weight, own=own)
    assert (f.learned, f.declared, f.own) == (learned, declared, own)
    if own is not None:
        assert (f.used, f.source) == (own, Source.OWN)
    elif how is Combine.REPLACE:
        assert (f.used, f.source) == (learned, Source.LEARNED)
    elif how is Combine.SIDE_BY_SIDE:
        assert (f.used, f.source) == (declared, Source.DECLARED)
    else:
        assert f.source is Source.BLEND
        assert min(learned, declared) - 1e-12 <= f.used <= max(learned, declared) + 1e-12


def test_combining_needs_a_declared_probability_unless_it_replaces() -> None:
    assert combine(0.4, None, "replace").used == 0.4
    with pytest.raises(InvalidData) as info:
        combine(0.4, None, "blend")
    assert info.value.field == "declared"
    with pytest.raises(InvalidData) as info:
        combine(1.4, 0.2)
    assert info.value.field == "learned"


# -- the object path -----------------------------------------------------------------


def test_bin_labels_cut_numbers_into_categories() -> None:
    edges = [Decimal("100000"), Decimal("1000000")]
    assert bin_label(Decimal("99999.99"), edges) == "<100000"
    assert bin_label(Decimal("100000"), edges) == "[100000, 1000000)"
    assert bin_label(5_000_000, edges) == "≥1000000"
    with pytest.raises(InvalidData) as info:
        bin_label(3, [5, 1])
    assert info.value.field == "edges"


def test_attributes_of_a_real_deal() -> None:
    from bigaccount import Account, Deal, Money, get_cycle

    funnel = get_cycle("funnel")
    at = dt.datetime(2025, 5, 6, 10, tzinfo=dt.timezone.utc)
    deal = Deal("KA-9", Account("江南智造", "enterprise"), Money("2400000", "CNY"), owner="li")
    deal.establish("materials_sent", "first_contact", "visited", "clear_need", at=at)
    deal.record("budget", Money("1200000", "CNY"), at=at + dt.timedelta(minutes=30))
    deal.retract("visited", at=at + dt.timedelta(hours=1))
    deal.start(funnel, at=at + dt.timedelta(hours=2))
    record = attributes_of(
        deal,
        funnel,
        facts=["clear_need", "visited", "budget", "budget_known"],
        bins={"budget": [Decimal("1000000"), Decimal("5000000")]},
        extra={"source": "referral", "competitors": None},
    )
    assert record == {
        "stage": "TARGET",
        "segment": "enterprise",
        "owner": "li",
        "clear_need": "yes",
        "visited": "no",
        "budget": "[1000000, 5000000)",
        "budget_known": "no",
        "source": "referral",
        "competitors": None,
    }
    everything = attributes_of(deal, funnel)
    assert {"materials_sent", "first_contact", "clear_need"} <= set(everything)
    assert "budget" not in everything
    with pytest.raises(InvalidData) as info:
        attributes_of(deal, funnel, extra={"stage": "CLOSED"})
    assert info.value.field == "extra['stage']"
    model = WinModel(("stage", "segment", "clear_need")).updated([record], [True])
    assert model.predict(record).probability > 0.5


# -- real outcomes -------------------------------------------------------------------


def plain_scores(p: Sequence[float], y: Sequence[bool]) -> tuple[float, float, float]:
    brier = sum((pi - yi) ** 2 for pi, yi in zip(p, y, strict=True)) / len(p)
    clipped = [min(max(pi, 1e-15), 1 - 1e-15) for pi in p]
    loss = -sum(
        math.log(c) if yi else math.log(1 - c) for c, yi in zip(clipped, y, strict=True)
    ) / len(p)
    wins = sorted(pi for pi, yi in zip(p, y, strict=True) if yi)
    losses = sorted(pi for pi, yi in zip(p, y, strict=True) if not yi)
    pairs = sum(1.0 if w > lo else 0.5 if w == lo else 0.0 for w in wins for lo in losses)
    return brier, loss, pairs / (len(wins) * len(losses))


def salvirt() -> tuple[list[Record], list[bool], tuple[str, ...]]:
    with SALVIRT.open(newline="", encoding="ascii") as handle:
        rows = list(csv.DictReader(handle, delimiter=";"))
    attributes = tuple(c for c in rows[0] if c != "Status")
    return (
        [{a: row[a] for a in attributes} for row in rows],
        [row["Status"] == "Won" for row in rows],
        attributes,
    )


def test_salvirt_cross_validated_figures_agree_with_a_plain_recomputation() -> None:
    records, won, attributes = salvirt()
    splits = kfold(won, 5, seed=0)
    model = WinModel(attributes)
    cv = cross_validate(records, won, [win_model_learner(model), calibrated_learner(model)], splits)
    raw, calibrated = cv.result("naive Bayes"), cv.result("naive Bayes, calibrated")
    for number, split in enumerate(splits):
        train = [(records[i], won[i]) for i in split.train]
        share = sum(y for _, y in train) / len(train)
        truth = [won[i] for i in split.test]
        mine = [sigmoid(plain_log_odds(train, records[i], attributes)) for i in split.test]
        held = [p for i in split.test if (p := calibrated.predictions[i]) is not None]
        candidates: list[tuple[str, list[float]]] = [
            (BASE_RATE, [share] * len(truth)),
            ("naive Bayes", mine),
            ("naive Bayes, calibrated", held),
        ]
        for name, predictions in candidates:
            got = cv.result(name).folds[number].metrics
            assert (got.brier, got.log_loss, got.auc) == pytest.approx(
                plain_scores(predictions, truth), rel=1e-9, abs=1e-12
            )
    base = cv.result(BASE_RATE)
    assert raw.pooled.auc is not None
    assert base.pooled.auc is not None
    assert raw.pooled.auc > 0.75 > base.pooled.auc
    assert calibrated.pooled.log_loss < base.pooled.log_loss < raw.pooled.log_loss
    in_sample = model.updated(records, won).probabilities(records)
    assert plain_scores(in_sample, won)[0] < raw.pooled.brier


def maven() -> tuple[list[Record], list[bool], list[dt.date]]:
    def read(name: str) -> list[dict[str, str]]:
        with (MAVEN / name).open(newline="", encoding="utf-8") as handle:
            return list(csv.DictReader(handle))

    sector = {row["account"]: row["sector"] for row in read("accounts.csv")}
    team = {row["sales_agent"]: row for row in read("sales_teams.csv")}
    closed = [row for row in read("sales_pipeline.csv") if row["deal_stage"] in ("Won", "Lost")]
    records: list[Record] = [
        {
            "sector": sector.get(row["account"]) or None,
            "product": row["product"],
            "office": team[row["sales_agent"]]["regional_office"],
            "manager": team[row["sales_agent"]]["manager"],
        }
        for row in closed
    ]
    return (
        records,
        [row["deal_stage"] == "Won" for row in closed],
        [dt.date.fromisoformat(row["close_date"]) for row in closed],
    )


def test_maven_counts_and_time_split_figures_agree_with_a_plain_recomputation() -> None:
    records, won, closed_on = maven()
    attributes = ("sector", "product", "office", "manager")
    model = WinModel(attributes).updated(records, won)
    assert (model.won, model.lost) == (sum(won), len(won) - sum(won))
    for counts in model.counts:
        for value in counts.values:
            here = [
                y for r, y in zip(records, won, strict=True) if r[counts.attribute] == value.value
            ]
            assert (value.won, value.lost) == (sum(here), len(here) - sum(here))
    splits = time_folds(closed_on, 4)
    cv = cross_validate(records, won, [calibrated_learner(WinModel(attributes))], splits)
    result = cv.result("naive Bayes, calibrated")
    for number, split in enumerate(splits):
        assert max(closed_on[i] for i in split.train) < min(closed_on[i] for i in split.test)
        truth = [won[i] for i in split.test]
        held = [p for i in split.test if (p := result.predictions[i]) is not None]
        got = result.folds[number].metrics
        assert (got.brier, got.log_loss, got.auc) == pytest.approx(
            plain_scores(held, truth), rel=1e-9, abs=1e-12
        )


def test_a_calibrated_model_is_a_plain_value() -> None:
    records, won, attributes = salvirt()
    calibrated = calibrate(WinModel(attributes[:4]), records, won)
    assert isinstance(calibrated, CalibratedWinModel)
    assert calibrated.model == WinModel(attributes[:4]).updated(records, won)
    again = calibrate(WinModel(attributes[:4]), records, won)
    assert again == calibrated
