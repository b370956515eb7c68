"""Honest accuracy of win probabilities: scores, reliability, deterministic folds, cross-validation.

A win probability is only as good as its record on deals it has not seen. This module
scores predicted probabilities against outcomes (won is ``True``) and never lets a
model be scored on the deals it was fitted on: :func:`cross_validate` takes a
:class:`Learner` — a *fit* function and a *predict* function — and a set of
:class:`Split` s, fits on each training part, predicts each held-out part, and reports
every fold and the spread across folds. The constant base rate of the training part is
always scored beside the learners, as the figure any model must beat.

The scores, for probabilities *pᵢ* and outcomes *yᵢ* ∈ {0, 1} of *n* deals:

* **Brier score** ``Σ (pᵢ − yᵢ)² / n`` — 0 is perfect, 0.25 is a coin toss;
* **log loss** ``−Σ (yᵢ ln pᵢ + (1 − yᵢ) ln(1 − pᵢ)) / n``, with each *pᵢ* first clipped
  into ``[ε, 1 − ε]`` (``ε`` = :data:`LOG_LOSS_CLIP`), so that one confident mistake costs
  ``−ln ε ≈ 34.5`` and not infinity;
* **AUC**, the chance that a won deal is scored above a lost one, ties counting one half:
  ``(R − w(w + 1)/2) / (w·l)`` where *R* is the sum of the won deals' mid-ranks among all
  scores, *w* the number won and *l* the number lost (Mann–Whitney). 0.5 is no better
  than chance; it needs at least one deal of each kind;
* a **reliability table**: the deals cut into equal-width bins of predicted probability,
  each with its count, mean prediction and observed win rate. A calibrated model has
  the two close in every bin.

>>> from bigaccount.analytics.accuracy import auc, brier_score, log_loss
>>> p, won = [0.9, 0.6, 0.4, 0.2], [True, False, True, False]
>>> round(brier_score(p, won), 4), round(log_loss(p, won), 4), auc(p, won)
(0.1925, 0.5403, 0.75)
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
import random
import statistics
from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

from attrs import field, frozen

from ..errors import InvalidData

__all__ = [
    "BASE_RATE",
    "LOG_LOSS_CLIP",
    "CrossValidation",
    "FoldScores",
    "Learner",
    "LearnerResult",
    "Metrics",
    "ReliabilityBin",
    "Split",
    "Spread",
    "auc",
    "base_rate_learner",
    "brier_score",
    "cross_validate",
    "kfold",
    "log_loss",
    "reliability",
    "time_folds",
    "time_split",
]

R = TypeVar("R")
M = TypeVar("M")

LOG_LOSS_CLIP = 1e-15
"""Probabilities are clipped into ``[ε, 1 − ε]`` before the log loss takes their logarithm."""

BASE_RATE = "base rate"
"""The name under which :func:`cross_validate` reports the constant base rate."""


# -- checked inputs --------------------------------------------------------------------


def _outcomes(outcomes: Sequence[object], field: str = "outcomes") -> list[bool]:
    if isinstance(outcomes, (str, bytes)) or not isinstance(outcomes, Sequence):
        raise InvalidData(field, f"expected a sequence of booleans, got {outcomes!r}")
    result: list[bool] = []
    for index, won in enumerate(outcomes):
        if type(won) is not bool:
            raise InvalidData(f"{field}[{index}]", f"expected True (won) or False, got {won!r}")
        result.append(won)
    return result


def _probabilities(
    probabilities: Sequence[object], length: int, field: str = "probabilities"
) -> list[float]:
    if isinstance(probabilities, (str, bytes)) or not isinstance(probabilities, Sequence):
        raise InvalidData(field, f"expected a sequence of numbers, got {probabilities!r}")
    result: list[float] = []
    for index, p in enumerate(probabilities):
        if isinstance(p, bool) or not isinstance(p, (int, float)) or not 0.0 <= p <= 1.0:
            raise InvalidData(f"{field}[{index}]", f"expected a probability in [0, 1], got {p!r}")
        result.append(float(p))
    if len(result) != length:
        raise InvalidData(field, f"has {len(result)} values; the outcomes have {length}")
    if not result:
        raise InvalidData(field, "needs at least one deal")
    return result


def _scores(scores: Sequence[object], length: int) -> list[float]:
    if isinstance(scores, (str, bytes)) or not isinstance(scores, Sequence):
        raise InvalidData("scores", f"expected a sequence of numbers, got {scores!r}")
    result: list[float] = []
    for index, s in enumerate(scores):
        if isinstance(s, bool) or not isinstance(s, (int, float)) or not math.isfinite(s):
            raise InvalidData(f"scores[{index}]", f"expected a finite number, got {s!r}")
        result.append(float(s))
    if len(result) != length:
        raise InvalidData("scores", f"has {len(result)} values; the outcomes have {length}")
    return result


# -- scores ----------------------------------------------------------------------------


def brier_score(probabilities: Sequence[float], outcomes: Sequence[bool]) -> float:
    """The mean squared distance ``Σ (pᵢ − yᵢ)² / n`` between predictions and outcomes.

    Raises:
        InvalidData: a probability outside [0, 1], an outcome that is not a bool,
            columns of different lengths, or no deal at all.
    """
    won = _outcomes(outcomes)
    p = _probabilities(probabilities, len(won))
    return math.fsum((pi - yi) ** 2 for pi, yi in zip(p, won, strict=True)) / len(p)


def log_loss(
    probabilities: Sequence[float], outcomes: Sequence[bool], *, clip: float = LOG_LOSS_CLIP
) -> float:
    """The mean negative log-likelihood of the outcomes, each *p* clipped into ``[clip, 1 − clip]``.

    ``−Σ (yᵢ ln pᵢ + (1 − yᵢ) ln(1 − pᵢ)) / n``. The clip keeps a prediction of exactly 0
    or 1 that turns out wrong finite (``−ln clip``); it must lie in (0, 0.5).

    Raises:
        InvalidData: as :func:`brier_score`, or a clip outside (0, 0.5).
    """
    if isinstance(clip, bool) or not isinstance(clip, (int, float)) or not 0.0 < clip < 0.5:
        raise InvalidData("clip", f"expected a number in (0, 0.5), got {clip!r}")
    won = _outcomes(outcomes)
    p = _probabilities(probabilities, len(won))
    low, high = float(clip), 1.0 - float(clip)
    terms = (
        math.log(min(max(pi, low), high)) if yi else math.log1p(-min(max(pi, low), high))
        for pi, yi in zip(p, won, strict=True)
    )
    return -math.fsum(terms) / len(p)


def auc(scores: Sequence[float], outcomes: Sequence[bool]) -> float:
    """The area under the ROC curve: the chance a won deal scores above a lost one (ties ½).

    Computed from mid-ranks: ``(R − w(w + 1)/2) / (w·l)``, where *R* sums the ranks of the
    won deals' scores among all scores (tied scores share the mean of their ranks). Any
    finite scores will do — probabilities, log-odds — since only their order counts.

    Raises:
        InvalidData: a score that is not a finite number, columns of different lengths,
            or outcomes without at least one won and one lost deal.
    """
    won = _outcomes(outcomes)
    s = _scores(scores, len(won))
    wins = sum(won)
    losses = len(won) - wins
    if wins == 0 or losses == 0:
        raise InvalidData("outcomes", "the AUC needs at least one won and one lost deal")
    order = sorted(range(len(s)), key=s.__getitem__)
    rank_sum = 0.0
    start = 0
    while start < len(order):
        end = start
        while end + 1 < len(order) and s[order[end + 1]] == s[order[start]]:
            end += 1
        mid_rank = (start + end) / 2 + 1
        rank_sum += mid_rank * sum(1 for i in order[start : end + 1] if won[i])
        start = end + 1
    return (rank_sum - wins * (wins + 1) / 2) / (wins * losses)


@frozen
class ReliabilityBin:
    """One bin of a reliability table: deals whose prediction lies in ``[low, high)``.

    The last bin also holds predictions of exactly 1.
    """

    low: float
    high: float
    count: int
    mean_predicted: float
    observed_rate: float


def reliability(
    probabilities: Sequence[float], outcomes: Sequence[bool], *, bins: int = 10
) -> tuple[ReliabilityBin, ...]:
    """The reliability table: *bins* equal-width bins of [0, 1], the empty ones left out.

    >>> from bigaccount.analytics.accuracy import reliability
    >>> table = reliability([0.1, 0.15, 0.8], [False, True, True], bins=5)
    >>> [(b.low, b.count, b.observed_rate) for b in table]
    [(0.0, 2, 0.5), (0.8, 1, 1.0)]
    """
    if isinstance(bins, bool) or not isinstance(bins, int) or bins < 1:
        raise InvalidData("bins", f"expected a whole number >= 1, got {bins!r}")
    won = _outcomes(outcomes)
    p = _probabilities(probabilities, len(won))
    members: list[list[int]] = [[] for _ in range(bins)]
    for index, pi in enumerate(p):
        members[min(int(pi * bins), bins - 1)].append(index)
    return tuple(
        ReliabilityBin(
            low=b / bins,
            high=(b + 1) / bins,
            count=len(inside),
            mean_predicted=math.fsum(p[i] for i in inside) / len(inside),
            observed_rate=sum(won[i] for i in inside) / len(inside),
        )
        for b, inside in enumerate(members)
        if inside
    )


@frozen
class Metrics:
    """The scores of one set of predictions: Brier score, log loss and AUC.

    ``auc`` is ``None`` when the deals are all won or all lost.
    """

    count: int
    won: int
    brier: float
    log_loss: float
    auc: float | None

    @classmethod
    def of(cls, probabilities: Sequence[float], outcomes: Sequence[bool]) -> Metrics:
        """Score *probabilities* against *outcomes*."""
        won = _outcomes(outcomes)
        wins = sum(won)
        return cls(
            count=len(won),
            won=wins,
            brier=brier_score(probabilities, won),
            log_loss=log_loss(probabilities, won),
            auc=auc(probabilities, won) if 0 < wins < len(won) else None,
        )


# -- splits ----------------------------------------------------------------------------


def _indices(value: object, field: str) -> tuple[int, ...]:
    if isinstance(value, (str, bytes)) or not isinstance(value, Sequence):
        raise InvalidData(field, f"expected a sequence of deal positions, got {value!r}")
    items = tuple(value)
    for i in items:
        if isinstance(i, bool) or not isinstance(i, int) or i < 0:
            raise InvalidData(field, f"expected positions >= 0, got {i!r}")
    if len(set(items)) != len(items):
        raise InvalidData(field, "names a deal twice")
    return items


def _train(value: object) -> tuple[int, ...]:
    return _indices(value, "train")


def _test(value: object) -> tuple[int, ...]:
    return _indices(value, "test")


def _split_check(instance: Split, _: object, __: object) -> None:
    if not instance.test:
        raise InvalidData("test", "a split needs at least one held-out deal")
    if set(instance.train) & set(instance.test):
        raise InvalidData("test", "a deal is both in training and held out")


@frozen
class Split:
    """One fold: the positions of the training deals and of the held-out deals."""

    train: tuple[int, ...] = field(converter=_train)
    test: tuple[int, ...] = field(converter=_test, validator=_split_check)
    label: str = ""


def _count(value: object, field: str, low: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < low:
        raise InvalidData(field, f"expected a whole number >= {low}, got {value!r}")
    return value


def kfold(
    outcomes: Sequence[bool], k: int = 5, *, seed: int = 0, stratified: bool = True
) -> tuple[Split, ...]:
    """*k* folds of the deals, the same for the same *outcomes*, *k* and *seed*.

    The positions are shuffled with ``random.Random(seed)`` (whose sequence Python keeps
    stable for an integer seed) and dealt out to the folds in turn. **Stratified** (the
    default): the won deals are shuffled and dealt first, then the lost deals, continuing
    where the won ones stopped, so that every fold holds nearly the same share of wins
    (the counts of won and of lost deals per fold differ by at most one) and no fold is
    all of one kind unless the data are. Fold *i* holds out its deals and trains on all
    the others; every deal is held out exactly once.

    >>> from bigaccount.analytics.accuracy import kfold
    >>> [len(s.test) for s in kfold([True] * 5 + [False] * 5, 3)]
    [4, 3, 3]

    Raises:
        InvalidData: *k* below 2 or above the number of deals.
    """
    won = _outcomes(outcomes)
    _count(k, "k", 2)
    if k > len(won):
        raise InvalidData("k", f"{k} folds need at least {k} deals, got {len(won)}")
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise InvalidData("seed", f"expected an integer, got {seed!r}")
    rng = random.Random(seed)
    groups = [[i for i, y in enumerate(won) if y], [i for i, y in enumerate(won) if not y]]
    if not stratified:
        groups = [list(range(len(won)))]
    folds: list[list[int]] = [[] for _ in range(k)]
    dealt = 0
    for group in groups:
        rng.shuffle(group)
        for position in group:
            folds[dealt % k].append(position)
            dealt += 1
    everyone = set(range(len(won)))
    return tuple(
        Split(
            train=tuple(sorted(everyone - set(fold))),
            test=tuple(sorted(fold)),
            label=f"fold {i + 1}/{k}",
        )
        for i, fold in enumerate(folds)
    )


def _times(times: Sequence[object]) -> list[Any]:
    if isinstance(times, (str, bytes)) or not isinstance(times, Sequence):
        raise InvalidData("times", f"expected a sequence of dates, got {times!r}")
    result = list(times)
    for index, t in enumerate(result):
        if isinstance(t, dt.datetime):
            if t.utcoffset() is None:
                raise InvalidData(f"times[{index}]", "a datetime must carry a timezone")
        elif not isinstance(t, dt.date):
            raise InvalidData(f"times[{index}]", f"expected a date or datetime, got {t!r}")
    kinds = {type(t) is dt.date for t in result}
    if len(kinds) > 1:
        raise InvalidData("times", "mixes dates and datetimes; use one kind")
    return result


def time_split(times: Sequence[dt.date | dt.datetime], cutoff: dt.date | dt.datetime) -> Split:
    """Train on the deals closed before *cutoff*, hold out those closed on it or after.

    Raises:
        InvalidData: a naive datetime, mixed dates and datetimes, or nothing on one side.
    """
    column = _times(times)
    (cut,) = _times([cutoff])
    if column and (type(cut) is dt.date) != (type(column[0]) is dt.date):
        raise InvalidData("cutoff", "must be of the same kind (date or datetime) as the times")
    train = tuple(i for i, t in enumerate(column) if t < cut)
    test = tuple(i for i, t in enumerate(column) if t >= cut)
    if not train:
        raise InvalidData("cutoff", f"no deal closed before {cut}")
    if not test:
        raise InvalidData("cutoff", f"no deal closed on or after {cut}")
    return Split(train=train, test=test, label=f"before {cut} / from {cut}")


def time_folds(times: Sequence[dt.date | dt.datetime], k: int = 4) -> tuple[Split, ...]:
    """*k* forward-chaining folds: each trains on everything before its held-out block.

    The deals are sorted by close time and cut into *k* + 1 consecutive blocks of nearly
    equal size; fold *i* trains on blocks 1 … *i* and holds out block *i* + 1, so that no
    model is ever scored on a deal that closed before one it was fitted on. A cut never
    separates deals closed at the same time: it moves to the nearer end of their run of
    equal times, and a cut that cannot move without emptying a block is dropped (so fewer
    than *k* folds come back when many deals share a time; none when all do).

    Raises:
        InvalidData: *k* below 1, or fewer than *k* + 1 deals.
    """
    column = _times(times)
    _count(k, "k", 1)
    if len(column) < k + 1:
        raise InvalidData("k", f"{k} folds need at least {k + 1} deals, got {len(column)}")
    order = sorted(range(len(column)), key=column.__getitem__)
    ordered = [column[i] for i in order]
    cuts = [0]
    for block in range(1, k + 1):
        target = round(block * len(order) / (k + 1))
        later, earlier = target, target
        while 0 < later < len(order) and ordered[later] == ordered[later - 1]:
            later += 1
        while earlier > 0 and ordered[earlier] == ordered[earlier - 1]:
            earlier -= 1
        usable = [c for c in (earlier, later) if cuts[-1] < c < len(order)]
        if usable:
            cuts.append(min(usable, key=lambda c: (abs(c - target), c)))
    cuts.append(len(order))
    edges = sorted(set(cuts))
    blocks = [order[a:b] for a, b in itertools.pairwise(edges) if b > a]
    splits = []
    for i in range(1, len(blocks)):
        train = tuple(sorted(p for block in blocks[:i] for p in block))
        test = tuple(sorted(blocks[i]))
        first, last = column[blocks[i][0]], column[blocks[i][-1]]
        splits.append(Split(train=train, test=test, label=f"{first} … {last}"))
    return tuple(splits)


# -- learners and cross-validation ---------------------------------------------------


@frozen
class Learner(Generic[R, M]):
    """A way to learn a win probability: *fit* on closed deals, then *predict* one deal.

    ``fit(records, outcomes)`` returns a fitted model of any type; ``predict(model,
    record)`` returns the model's win probability for one record, in [0, 1]. Records
    are whatever the learner reads: plain mappings, CSV rows, deals.
    """

    name: str
    fit: Callable[[Sequence[R], Sequence[bool]], M]
    predict: Callable[[M, R], float]


def _fit_base_rate(_: Sequence[Any], outcomes: Sequence[bool]) -> float:
    return sum(outcomes) / len(outcomes) if outcomes else 0.5


def _predict_base_rate(rate: float, _: Any) -> float:
    return rate


def base_rate_learner() -> Learner[Any, float]:
    """The constant base rate: every deal gets the training deals' share won (½ with none)."""
    return Learner(BASE_RATE, _fit_base_rate, _predict_base_rate)


@frozen
class Spread:
    """How a score varies across folds: mean, sample standard deviation, min and max.

    The standard deviation is 0 for a single fold.
    """

    mean: float
    sd: float
    min: float
    max: float

    @classmethod
    def of(cls, values: Sequence[float]) -> Spread:
        """The spread of *values* (at least one)."""
        if not values:
            raise InvalidData("values", "a spread needs at least one value")
        sd = statistics.stdev(values) if len(values) > 1 else 0.0
        return cls(statistics.fmean(values), sd, min(values), max(values))

    def __str__(self) -> str:
        return f"{self.mean:.3f} ± {self.sd:.3f} [{self.min:.3f}, {self.max:.3f}]"


@frozen
class FoldScores:
    """One learner's scores on one fold's held-out deals."""

    split: str
    metrics: Metrics


@frozen
class LearnerResult:
    """A learner's record in a cross-validation.

    ``folds`` scores every fold's held-out deals; ``pooled`` and ``reliability`` score all
    the held-out predictions together; ``predictions`` holds each deal's held-out
    prediction by position (``None`` for a deal that no split held out; the last one
    where splits overlap).
    """

    name: str
    folds: tuple[FoldScores, ...]
    pooled: Metrics
    reliability: tuple[ReliabilityBin, ...]
    predictions: tuple[float | None, ...]

    def spread(self, metric: str) -> Spread | None:
        """The spread of ``"brier"``, ``"log_loss"`` or ``"auc"`` across the folds.

        Folds without an AUC (all won or all lost) are left out of the AUC's spread;
        ``None`` when none has one.
        """
        values = [v for v in (_metric(f.metrics, metric) for f in self.folds) if v is not None]
        return Spread.of(values) if values else None


_METRICS = ("brier", "log_loss", "auc")


def _metric(metrics: Metrics, name: str) -> float | None:
    if name not in _METRICS:
        raise InvalidData("metric", f"unknown metric {name!r}; expected one of: {_METRICS}")
    value: float | None = getattr(metrics, name)
    return value


@frozen
class CrossValidation:
    """The held-out record of several learners on the same splits, base rate first."""

    results: tuple[LearnerResult, ...]
    splits: tuple[Split, ...]

    def result(self, name: str) -> LearnerResult:
        """The record of the learner called *name*."""
        for result in self.results:
            if result.name == name:
                return result
        known = ", ".join(r.name for r in self.results)
        raise InvalidData("name", f"no learner {name!r}; learners: {known}")

    def paired(self, metric: str, name: str, against: str = BASE_RATE) -> Spread | None:
        """The spread across folds of ``metric(name) − metric(against)``, fold by fold.

        Both learners were scored on the same held-out deals, so the fold-by-fold
        difference is the honest comparison: a mean difference small beside its standard
        deviation is no evidence that one beats the other. ``None`` when no fold has the
        metric for both.
        """
        mine, theirs = self.result(name), self.result(against)
        diffs = []
        for a, b in zip(mine.folds, theirs.folds, strict=True):
            va, vb = _metric(a.metrics, metric), _metric(b.metrics, metric)
            if va is not None and vb is not None:
                diffs.append(va - vb)
        return Spread.of(diffs) if diffs else None

    def summary(self) -> str:
        """A plain-text table: per learner, each metric's mean ± sd [min, max] over folds."""
        width = max(len(r.name) for r in self.results)
        lines = [f"{'':<{width}}  {'Brier':<30}{'log loss':<30}AUC"]
        for r in self.results:
            cells = [str(r.spread(m)) if r.spread(m) else "—" for m in _METRICS]
            lines.append(f"{r.name:<{width}}  {cells[0]:<30}{cells[1]:<30}{cells[2]}")
        return "\n".join(lines)


def cross_validate(
    records: Sequence[R],
    outcomes: Sequence[bool],
    learners: Sequence[Learner[R, Any]],
    splits: Sequence[Split],
    *,
    bins: int = 10,
) -> CrossValidation:
    """Fit every learner on each split's training deals and score it on the held-out ones.

    The constant base rate (:func:`base_rate_learner`) is scored first, on the same
    splits. Nothing is ever scored on a deal it was fitted on.

    >>> from bigaccount.analytics.accuracy import Learner, cross_validate, kfold
    >>> rows = [{"client": c} for c in "NNNNCCCCCC"]
    >>> won = [False, False, False, True, True, True, True, True, False, True]
    >>> def fit(rs, ys):
    ...     return {c: (1 + sum(y for r, y in zip(rs, ys) if r["client"] == c))
    ...                / (2 + sum(r["client"] == c for r in rs)) for c in "NC"}
    >>> by_client = Learner("by client", fit, lambda rates, r: rates[r["client"]])
    >>> cv = cross_validate(rows, won, [by_client], kfold(won, 3))
    >>> [r.name for r in cv.results], cv.result("by client").pooled.count
    (['base rate', 'by client'], 10)

    Raises:
        InvalidData: records and outcomes of different lengths, no split, a split naming
            a deal that does not exist, two learners with the same name (or one named
            ``"base rate"``), or a prediction outside [0, 1].
    """
    won = _outcomes(outcomes)
    if isinstance(records, (str, bytes)) or not isinstance(records, Sequence):
        raise InvalidData("records", f"expected a sequence of records, got {records!r}")
    if len(records) != len(won):
        raise InvalidData("records", f"has {len(records)} records; the outcomes have {len(won)}")
    chosen = [base_rate_learner(), *learners]
    for index, learner in enumerate(chosen):
        if not isinstance(learner, Learner):
            raise InvalidData(f"learners[{index - 1}]", f"expected a Learner, got {learner!r}")
    names = [learner.name for learner in chosen]
    if len(set(names)) != len(names):
        raise InvalidData("learners", f"names must differ (and not be {BASE_RATE!r}): {names}")
    splits = tuple(splits)
    if not splits:
        raise InvalidData("splits", "needs at least one split")
    for index, split in enumerate(splits):
        if not isinstance(split, Split):
            raise InvalidData(f"splits[{index}]", f"expected a Split, got {split!r}")
        if max((*split.train, *split.test)) >= len(won):
            raise InvalidData(f"splits[{index}]", f"names a deal beyond the {len(won)} given")
    results = []
    for learner in chosen:
        held_out: list[float | None] = [None] * len(won)
        folds = []
        for split in splits:
            model = learner.fit([records[i] for i in split.train], [won[i] for i in split.train])
            predicted = [learner.predict(model, records[i]) for i in split.test]
            truth = [won[i] for i in split.test]
            checked = _probabilities(predicted, len(truth), f"{learner.name}: predictions")
            folds.append(FoldScores(split.label, Metrics.of(checked, truth)))
            for i, p in zip(split.test, checked, strict=True):
                held_out[i] = p
        pooled_p = [p for p in held_out if p is not None]
        pooled_y = [y for p, y in zip(held_out, won, strict=True) if p is not None]
        results.append(
            LearnerResult(
                name=learner.name,
                folds=tuple(folds),
                pooled=Metrics.of(pooled_p, pooled_y),
                reliability=reliability(pooled_p, pooled_y, bins=bins),
                predictions=tuple(held_out),
            )
        )
    return CrossValidation(tuple(results), splits)
