"""Scores, reliability, deterministic folds and cross-validation that is never in-sample."""

from __future__ import annotations

import datetime as dt
import math
import statistics
from collections.abc import Sequence

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from bigaccount.analytics.accuracy import (
    BASE_RATE,
    LOG_LOSS_CLIP,
    Learner,
    Metrics,
    Split,
    Spread,
    auc,
    brier_score,
    cross_validate,
    kfold,
    log_loss,
    reliability,
    time_folds,
    time_split,
)
from bigaccount.errors import BigAccountError, InvalidData

probability = st.floats(0.0, 1.0, allow_nan=False)


@st.composite
def scored(draw: st.DrawFn, min_size: int = 1) -> tuple[list[float], list[bool]]:
    n = draw(st.integers(min_size, 40))
    p = draw(st.lists(probability, min_size=n, max_size=n))
    y = draw(st.lists(st.booleans(), min_size=n, max_size=n))
    return p, y


def pairwise_auc(scores: Sequence[float], won: Sequence[bool]) -> float:
    """Every (won, lost) pair: 1 if the won one scores higher, ½ for a tie."""
    wins = [s for s, y in zip(scores, won, strict=True) if y]
    losses = [s for s, y in zip(scores, won, strict=True) if not y]
    total = sum(1.0 if w > lo else 0.5 if w == lo else 0.0 for w in wins for lo in losses)
    return total / (len(wins) * len(losses))


# -- scores ----------------------------------------------------------------------------


@given(scored())
def test_brier_score_is_the_mean_squared_error(data: tuple[list[float], list[bool]]) -> None:
    p, y = data
    expected = sum((pi - (1.0 if yi else 0.0)) ** 2 for pi, yi in zip(p, y, strict=True)) / len(p)
    assert brier_score(p, y) == pytest.approx(expected, abs=1e-12)


@given(scored())
def test_log_loss_is_the_mean_negative_log_likelihood_of_clipped_probabilities(
    data: tuple[list[float], list[bool]],
) -> None:
    p, y = data
    terms = []
    for pi, yi in zip(p, y, strict=True):
        q = min(max(pi, LOG_LOSS_CLIP), 1 - LOG_LOSS_CLIP)
        terms.append(-math.log(q if yi else 1 - q))
    assert log_loss(p, y) == pytest.approx(sum(terms) / len(terms), rel=1e-9, abs=1e-12)


def test_a_certain_mistake_costs_the_clip_not_infinity() -> None:
    assert log_loss([0.0], [True]) == pytest.approx(-math.log(LOG_LOSS_CLIP))
    assert log_loss([1.0], [True]) == pytest.approx(0.0, abs=1e-14)
    assert log_loss([0.0], [True], clip=0.01) == pytest.approx(-math.log(0.01))


@given(scored(min_size=2))
def test_auc_equals_the_share_of_correctly_ordered_won_lost_pairs(
    data: tuple[list[float], list[bool]],
) -> None:
    p, y = data
    assume(any(y) and not all(y))
    assert auc(p, y) == pytest.approx(pairwise_auc(p, y), abs=1e-12)


grid = st.integers(0, 50).map(lambda i: i / 50)


@given(st.lists(st.tuples(grid, st.booleans()), min_size=2, max_size=40))
def test_auc_reads_only_the_order_of_the_scores(pairs: list[tuple[float, bool]]) -> None:
    p, y = [pi for pi, _ in pairs], [yi for _, yi in pairs]
    assume(any(y) and not all(y))
    assert auc(p, y) == pytest.approx(pairwise_auc(p, y), abs=1e-12)
    stretched = [math.exp(3 * pi) - 7 for pi in p]
    assert auc(stretched, y) == pytest.approx(auc(p, y), abs=1e-12)
    assert auc([-s for s in p], y) == pytest.approx(1 - auc(p, y), abs=1e-12)


def test_constant_scores_have_an_auc_of_one_half() -> None:
    assert auc([0.3] * 6, [True, False, True, True, False, False]) == 0.5


def test_auc_needs_both_outcomes() -> None:
    with pytest.raises(InvalidData) as info:
        auc([0.2, 0.4], [True, True])
    assert info.value.field == "outcomes"
    assert Metrics.of([0.2, 0.4], [True, True]).auc is None


@given(scored(), st.integers(1, 12))
def test_reliability_bins_partition_the_deals(
    data: tuple[list[float], list[bool]], bins: int
) -> None:
    p, y = data
    table = reliability(p, y, bins=bins)
    assert sum(b.count for b in table) == len(p)
    for b in table:
        inside = [
            (pi, yi)
            for pi, yi in zip(p, y, strict=True)
            if b.low <= pi < b.high or (b.high == 1.0 and pi == 1.0)
        ]
        assert len(inside) == b.count
        assert b.low <= b.mean_predicted <= b.high
        assert b.observed_rate == sum(yi for _, yi in inside) / len(inside)
    assert [b.low for b in table] == sorted(b.low for b in table)


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda: brier_score([0.5, 1.2], [True, False]), "probabilities[1]"),
        (lambda: brier_score([0.5], [1]), "outcomes[0]"),  # type: ignore[list-item]
        (lambda: brier_score([0.5, 0.5], [True]), "probabilities"),
        (lambda: brier_score([], []), "probabilities"),
        (lambda: log_loss([0.5], [True], clip=0.5), "clip"),
        (lambda: auc([0.1, math.nan], [True, False]), "scores[1]"),
        (lambda: reliability([0.5], [True], bins=0), "bins"),
        (lambda: brier_score([True], [True]), "probabilities[0]"),
    ],
)
def test_bad_scores_input_is_refused_naming_the_field(call: object, field: str) -> None:
    with pytest.raises(InvalidData) as info:
        call()  # type: ignore[operator]
    assert info.value.field == field
    assert isinstance(info.value, BigAccountError)


# -- folds -----------------------------------------------------------------------------


@given(st.lists(st.booleans(), min_size=2, max_size=60), st.integers(2, 10), st.integers(0, 99))
def test_kfold_holds_out_every_deal_exactly_once_and_keeps_the_shares_of_wins(
    won: list[bool], k: int, seed: int
) -> None:
    assume(k <= len(won))
    splits = kfold(won, k, seed=seed)
    assert len(splits) == k
    held = sorted(i for s in splits for i in s.test)
    assert held == list(range(len(won)))
    for s in splits:
        assert set(s.train) | set(s.test) == set(range(len(won)))
        assert not set(s.train) & set(s.test)
    wins = [sum(won[i] for i in s.test) for s in splits]
    losses = [sum(not won[i] for i in s.test) for s in splits]
    assert max(wins) - min(wins) <= 1
    assert max(losses) - min(losses) <= 1
    assert kfold(won, k, seed=seed) == splits


def test_kfold_depends_on_the_seed_and_can_ignore_the_outcomes() -> None:
    won = [True] * 30 + [False] * 30
    assert kfold(won, 5, seed=1) != kfold(won, 5, seed=2)
    plain = kfold(won, 5, seed=1, stratified=False)
    assert sorted(i for s in plain for i in s.test) == list(range(60))
    assert [len(s.test) for s in plain] == [12] * 5


def test_kfold_refuses_more_folds_than_deals() -> None:
    with pytest.raises(InvalidData) as info:
        kfold([True, False], 3)
    assert info.value.field == "k"


days = st.dates(dt.date(2020, 1, 1), dt.date(2020, 3, 1))


@given(st.lists(days, min_size=2, max_size=50), st.integers(1, 5))
def test_time_folds_train_only_on_deals_closed_before_the_held_out_ones(
    times: list[dt.date], k: int
) -> None:
    assume(len(times) >= k + 1)
    splits = time_folds(times, k)
    assert len(splits) <= k
    assert splits or len(set(times)) == 1
    for s in splits:
        assert max(times[i] for i in s.train) < min(times[i] for i in s.test)
    held = [i for s in splits for i in s.test]
    assert len(held) == len(set(held))


def test_time_folds_cut_into_nearly_equal_blocks() -> None:
    times = [dt.date(2021, 1, 1) + dt.timedelta(days=i) for i in range(50)]
    splits = time_folds(times, 4)
    assert [len(s.test) for s in splits] == [10, 10, 10, 10]
    assert [len(s.train) for s in splits] == [10, 20, 30, 40]


def test_time_split_cuts_at_the_cutoff_and_refuses_naive_datetimes() -> None:
    utc = dt.timezone.utc
    times = [dt.datetime(2021, 1, d, tzinfo=utc) for d in (3, 1, 2, 5)]
    split = time_split(times, dt.datetime(2021, 1, 3, tzinfo=utc))
    assert split.train == (1, 2)
    assert split.test == (0, 3)
    with pytest.raises(InvalidData) as info:
        time_split([dt.datetime(2021, 1, 1)], dt.datetime(2021, 1, 2))
    assert info.value.field == "times[0]"
    with pytest.raises(InvalidData):
        time_split(times, dt.datetime(2020, 1, 1, tzinfo=utc))


def test_a_split_cannot_hold_out_a_training_deal() -> None:
    with pytest.raises(InvalidData) as info:
        Split(train=(0, 1), test=(1, 2))
    assert info.value.field == "test"


# -- cross-validation ------------------------------------------------------------------


def memorising_learner(seen: list[frozenset[int]]) -> Learner[int, dict[int, bool]]:
    """Remembers each training deal's outcome and predicts it back, 0.5 when unseen."""

    def fit(records: Sequence[int], outcomes: Sequence[bool]) -> dict[int, bool]:
        seen.append(frozenset(records))
        return dict(zip(records, outcomes, strict=True))

    def predict(memory: dict[int, bool], record: int) -> float:
        if record in memory:
            return 1.0 if memory[record] else 0.0
        return 0.5

    return Learner("memory", fit, predict)


def test_cross_validation_never_scores_a_deal_the_learner_was_fitted_on() -> None:
    won = [i % 3 == 0 for i in range(30)]
    records = list(range(30))
    seen: list[frozenset[int]] = []
    cv = cross_validate(records, won, [memorising_learner(seen)], kfold(won, 5))
    memory = cv.result("memory")
    assert memory.predictions == (0.5,) * 30
    assert memory.pooled.brier == pytest.approx(0.25)
    for split, fitted in zip(cv.splits, seen, strict=True):
        assert fitted == frozenset(split.train)


def test_the_base_rate_is_scored_first_with_each_training_share() -> None:
    won = [True, True, False, True, False, False, False, True, True, False, True, False]
    splits = kfold(won, 3, seed=4)
    cv = cross_validate(list(range(12)), won, [], splits)
    base = cv.results[0]
    assert base.name == BASE_RATE
    for split, fold in zip(splits, base.folds, strict=True):
        share = sum(won[i] for i in split.train) / len(split.train)
        truth = [won[i] for i in split.test]
        expected = sum((share - y) ** 2 for y in truth) / len(truth)
        assert fold.metrics.brier == pytest.approx(expected, abs=1e-12)
        for i in split.test:
            assert base.predictions[i] == share


def test_spread_and_paired_differences_are_computed_fold_by_fold() -> None:
    won = [i % 2 == 0 for i in range(20)]
    rows = list(range(20))
    always: Learner[int, None] = Learner("always 0.7", lambda _r, _y: None, lambda _m, _x: 0.7)
    cv = cross_validate(rows, won, [always], kfold(won, 4))
    mine = [f.metrics.brier for f in cv.result("always 0.7").folds]
    base = [f.metrics.brier for f in cv.result(BASE_RATE).folds]
    spread = cv.result("always 0.7").spread("brier")
    assert spread == Spread(statistics.fmean(mine), statistics.stdev(mine), min(mine), max(mine))
    diffs = [a - b for a, b in zip(mine, base, strict=True)]
    paired = cv.paired("brier", "always 0.7")
    assert paired is not None
    assert paired.mean == pytest.approx(statistics.fmean(diffs))
    assert paired.mean > 0
    assert "always 0.7" in cv.summary()


def test_cross_validation_refuses_duplicate_names_and_bad_predictions() -> None:
    won = [True, False] * 5
    splits = kfold(won, 2)
    copy: Learner[int, None] = Learner(BASE_RATE, lambda _r, _y: None, lambda _m, _x: 0.5)
    with pytest.raises(InvalidData) as info:
        cross_validate(list(range(10)), won, [copy], splits)
    assert info.value.field == "learners"
    wild: Learner[int, None] = Learner("wild", lambda _r, _y: None, lambda _m, _x: 1.5)
    with pytest.raises(InvalidData) as info:
        cross_validate(list(range(10)), won, [wild], splits)
    assert info.value.field.startswith("wild: predictions")
    with pytest.raises(InvalidData) as info:
        cross_validate(list(range(10)), won, [], [Split(train=(0,), test=(11,))])
    assert info.value.field == "splits[0]"
