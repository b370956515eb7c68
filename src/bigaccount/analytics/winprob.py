"""A learned win probability: naive Bayes over a deal's attributes, with its reasons.

Fit from closed deals — plain records mapping attribute names to categorical values
(``None`` for a missing one) and whether each was won — the model counts, per
attribute, how often each value was seen in won and in lost deals, and predicts an open
deal's win probability with the attributes that pushed it up or down, each with its
effect and the counts behind it. Pure Python and deterministic: the model *is* its
counts, so adding closed deals as they close gives exactly the model fitted from
scratch, in any order.

**The model** (naive Bayes in odds form). With *W* won and *L* lost closed deals, prior
mean *p₀* and prior strength *s₀*, the base rate is ``π = (W + s₀p₀) / (W + L + s₀)``.
For an attribute *a*, count only the deals where it has a value: ``Wₐ`` won, ``Lₐ``
lost, base ``πₐ = (Wₐ + s₀p₀) / (Wₐ + Lₐ + s₀)``. A value *v* of *a* seen in *w* won and
*l* lost deals has its win rate smoothed toward the base with strength *m*
(a Beta prior of mean πₐ worth *m* deals), ``r = (w + m·πₐ) / (w + l + m)``, and its
**contribution** is the log-odds it adds:

    ``cₐ(v) = logit(r) − logit(πₐ) = ln[(w/W̃ₐ + m/Ñₐ) / (l/L̃ₐ + m/Ñₐ)]``

(``W̃ₐ = Wₐ + s₀p₀``, ``L̃ₐ = Lₐ + s₀(1 − p₀)``, ``Ñₐ = W̃ₐ + L̃ₐ``): the naive-Bayes
likelihood ratio of *v*, each class frequency smoothed by the same small amount. The
prediction is

    ``log-odds = logit(π) + Σₐ cₐ(vₐ)``,   ``p = 1 / (1 + e^(−log-odds))``

over the deal's attributes. A value contributes nothing when it is missing (unless
missing values are a category of their own, :class:`Missing`), was never seen, or was
seen in fewer than ``min_support`` closed deals. With no history every contribution is
0 and the model returns the prior *p₀*. A value's contribution has the sign of its
observed win rate against the attribute's base rate.

**When does a won deal raise another's probability?** Adding a won deal *r* never lowers
the predicted probability of a deal *x* that shares a value with it, provided (i) *r*
agrees with *x* on every attribute where both have a value (with ``Missing.CATEGORY``, on
every attribute), and (ii) ``min_support ≤ 1``, or no value *x* and *r* share was seen in
exactly ``min_support − 1`` deals before. Then the base term rises, and each shared
value's contribution rises (``ln`` of ``(a + ε)/(b + ε)`` with *a* = w/W̃ₐ growing and the
smoothing ε = m/Ñₐ shrinking, which never lowers it since ``Ñₐ ≥ W̃ₐ``). Both conditions
are needed, and not by accident: (i) is naive Bayes itself — a won deal that differs
from *x* on attribute *b* is evidence that *x*'s value of *b* is less tied to winning
than thought, so it lowers *x*'s contribution there; (ii) is the support rule — a value
that reaches ``min_support`` starts to count, and its first contribution can be
negative. A value's own contribution never falls when a won deal with it is added,
under (ii) alone.

Naive Bayes adds up correlated evidence as if it were independent, so its raw
probabilities are over-confident; :func:`calibrate` rescales its log-odds on held-out
folds (Platt scaling, :class:`PlattScaling`). :func:`combine` sets the learned value
beside the declared stage probability.

>>> from bigaccount.analytics.winprob import WinModel
>>> model = WinModel(("client", "budget")).updated(
...     [{"client": "current", "budget": "yes"}, {"client": "current", "budget": None},
...      {"client": "new", "budget": "no"}, {"client": "new", "budget": "yes"}],
...     [True, True, False, False],
... )
>>> prediction = model.predict({"client": "current", "budget": "no"})
>>> round(prediction.probability, 3)
0.621
>>> for reason in prediction.reasons:
...     print(reason.explain("en"))
client = current: 2 won, 0 lost (of 2 won, 2 lost) → +1.10 log-odds
budget = no: 0 won, 1 lost (of 1 won, 2 lost) → -0.61 log-odds
"""

from __future__ import annotations

import itertools
import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from itertools import compress, repeat
from operator import itemgetter, methodcaller, not_
from typing import Any

from attrs import Factory, field, frozen

from ..errors import InvalidData
from ..labels import Label, LabelledEnum, Lang, label_members
from .accuracy import Learner, Split, kfold

__all__ = [
    "LOG_ODDS_LIMIT",
    "AttributeCounts",
    "CalibratedWinModel",
    "Combine",
    "Missing",
    "PlattScaling",
    "Reason",
    "ReasonKind",
    "Source",
    "ValueCounts",
    "WinForecast",
    "WinModel",
    "WinPrediction",
    "attributes_of",
    "bin_label",
    "calibrate",
    "calibrated_learner",
    "combine",
    "win_model_learner",
]

LOG_ODDS_LIMIT = 30.0
"""Log-odds beyond ±30 are shown as ±30, so that a probability stays inside (0, 1)."""


def _sigmoid(log_odds: float) -> float:
    limit = LOG_ODDS_LIMIT
    s = limit if log_odds > limit else -limit if log_odds < -limit else log_odds
    return 1.0 / (1.0 + math.exp(-s))


def _logit(p: float) -> float:
    return math.log(p) - math.log1p(-p)


class Missing(LabelledEnum):
    """What a missing value (``None`` or an absent key) means."""

    SKIP = "skip"
    CATEGORY = "category"


label_members(
    Missing,
    {
        Missing.SKIP: Label("缺失值不说明任何情况", "a missing value says nothing"),
        Missing.CATEGORY: Label("缺失值自成一类", "a missing value is a category of its own"),
    },
)


class ReasonKind(LabelledEnum):
    """Why an attribute contributes what it does."""

    COUNTED = "counted"
    RARE = "rare"
    UNSEEN = "unseen"
    MISSING = "missing"


label_members(
    ReasonKind,
    {
        ReasonKind.COUNTED: Label("计入", "counted"),
        ReasonKind.RARE: Label("样本不足", "too few deals"),
        ReasonKind.UNSEEN: Label("未见过", "never seen"),
        ReasonKind.MISSING: Label("缺失", "missing"),
    },
)

_MISSING_VALUE = Label("（缺失）", "(missing)")
_EXPLAIN = {
    ReasonKind.COUNTED: Label(
        "{attribute} = {value}：赢单 {won} 笔、输单 {lost} 笔（共赢单 {won_total}、输单 "
        "{lost_total}）→ 对数几率 {effect:+.2f}",
        "{attribute} = {value}: {won} won, {lost} lost (of {won_total} won, {lost_total} "
        "lost) → {effect:+.2f} log-odds",
    ),
    ReasonKind.RARE: Label(
        "{attribute} = {value}：仅见于 {deals} 笔已结束的交易，不足 {support} 笔，不计入",
        "{attribute} = {value}: seen in only {deals} closed deals, fewer than {support}: "
        "not counted",
    ),
    ReasonKind.UNSEEN: Label(
        "{attribute} = {value}：已结束的交易中从未出现，不计入",
        "{attribute} = {value}: never seen in closed deals: not counted",
    ),
    ReasonKind.MISSING: Label("{attribute}：无值，不计入", "{attribute}: no value: not counted"),
}
_BASE = Label(
    "基准：赢单 {won} 笔、输单 {lost} 笔；不知任何属性时胜率为 {rate:.1%}",
    "base: {won} won, {lost} lost; {rate:.1%} for a deal with nothing known",
)


# -- counts ----------------------------------------------------------------------------


def _count(_: object, attribute: Any, value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InvalidData(attribute.name, f"expected a whole number >= 0, got {value!r}")


def _value(_: object, __: object, value: Any) -> None:
    if value is not None and (not isinstance(value, str) or not value.strip()):
        raise InvalidData("value", f"expected text or None, got {value!r}")


@frozen
class ValueCounts:
    """How many won and lost closed deals had *value* (``None``: the value was missing)."""

    value: str | None = field(validator=_value)
    won: int = field(validator=_count)
    lost: int = field(validator=_count)

    @property
    def deals(self) -> int:
        """``won + lost``."""
        return self.won + self.lost


def _sort_key(counts: ValueCounts) -> tuple[bool, str]:
    return (counts.value is None, counts.value or "")


@frozen
class AttributeCounts:
    """An attribute's value counts, sorted by value (the missing value last)."""

    attribute: str
    values: tuple[ValueCounts, ...] = ()

    def get(self, value: str | None) -> ValueCounts | None:
        """The counts of *value*, if it was seen."""
        for counts in self.values:
            if counts.value == value:
                return counts
        return None


def _name(value: object, field: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InvalidData(field, f"expected non-empty text, got {value!r}")
    return value


def _attributes(value: object) -> tuple[str, ...]:
    if isinstance(value, str) or not isinstance(value, Iterable):
        raise InvalidData("attributes", f"expected a sequence of attribute names, got {value!r}")
    names = tuple(value)
    for index, name in enumerate(names):
        _name(name, f"attributes[{index}]")
    if not names:
        raise InvalidData("attributes", "needs at least one attribute")
    if len(set(names)) != len(names):
        raise InvalidData("attributes", "names an attribute twice")
    return names


def _open_unit(_: object, attribute: Any, value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, float) or not 0.0 < value < 1.0:
        raise InvalidData(attribute.name, f"expected a number strictly in (0, 1), got {value!r}")


def _positive(_: object, attribute: Any, value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, float):
        raise InvalidData(attribute.name, f"expected a number, got {value!r}")
    if not (math.isfinite(value) and value > 0):
        raise InvalidData(attribute.name, f"expected a finite number > 0, got {value!r}")


def _whole(low: int) -> Any:
    def check(_: object, attribute: Any, value: object) -> None:
        if isinstance(value, bool) or not isinstance(value, int) or value < low:
            raise InvalidData(attribute.name, f"expected a whole number >= {low}, got {value!r}")

    return check


def _float(value: Any) -> Any:
    if isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    return value


def _missing(value: object) -> Missing:
    try:
        return Missing(value)
    except ValueError:
        raise InvalidData("missing", f"expected 'skip' or 'category', got {value!r}") from None


def _empty_counts(model: WinModel) -> tuple[AttributeCounts, ...]:
    return tuple(AttributeCounts(a) for a in model.attributes)


def _check_counts(model: WinModel, _: object, counts: object) -> None:
    if not isinstance(counts, tuple) or not all(isinstance(c, AttributeCounts) for c in counts):
        raise InvalidData("counts", "expected a tuple of AttributeCounts")
    if tuple(c.attribute for c in counts) != model.attributes:
        raise InvalidData("counts", "needs one AttributeCounts per attribute, in order")
    for c in counts:
        if sum(v.won for v in c.values) != model.won or sum(v.lost for v in c.values) != model.lost:
            raise InvalidData(
                "counts", f"the counts of {c.attribute!r} do not add up to the deals counted"
            )


def _bad_record(rows: Sequence[object]) -> InvalidData:
    for index, row in enumerate(rows):
        if not isinstance(row, Mapping):
            return InvalidData(f"records[{index}]", f"expected a mapping, got {row!r}")
    return InvalidData("records", "expected text or None for a missing value")


def _columns(rows: Sequence[Any], attributes: tuple[str, ...]) -> list[Sequence[Any]]:
    """Each attribute's values over *rows* (``None`` where a key is absent).

    Records holding every attribute are read with one ``itemgetter`` per record, which is
    several times faster than a ``get`` per attribute; the others fall back to ``get``.
    """
    if not rows:
        return [() for _ in attributes]
    try:
        if len(attributes) == 1:
            return [list(map(itemgetter(attributes[0]), rows))]
        return list(zip(*map(itemgetter(*attributes), rows), strict=True))
    except KeyError:
        pass
    except (AttributeError, TypeError):
        raise _bad_record(rows) from None
    try:
        return [list(map(methodcaller("get", a), rows)) for a in attributes]
    except (AttributeError, TypeError):
        raise _bad_record(rows) from None


@frozen
class _Table:
    """An attribute's contributions, derived from its counts once."""

    won_total: int
    lost_total: int
    contribution: dict[str | None, float]
    kind: dict[str | None, ReasonKind]


@frozen
class WinModel:
    """A naive-Bayes win probability: its settings and the counts of the deals it has seen.

    ``WinModel(attributes)`` is the model with no history; :meth:`updated` and
    :meth:`added` return the model with more closed deals counted. ``won`` and ``lost``
    are the numbers of closed deals counted; ``counts`` holds every attribute's value
    counts (a missing value is counted under ``None``, whatever :class:`Missing` says).

    Args:
        attributes: the attribute names the model reads from each record, in order.
        prior: *p₀*, the win probability with no history.
        prior_strength: *s₀*, how many deals *p₀* weighs in the base rates.
        smoothing: *m*, how many deals at the base rate each value's rate is shrunk by.
        min_support: the closed deals a value must be seen in before it counts.
        missing: what a missing value means.
    """

    attributes: tuple[str, ...] = field(converter=_attributes)
    prior: float = field(default=0.5, converter=_float, validator=_open_unit)
    prior_strength: float = field(default=2.0, converter=_float, validator=_positive)
    smoothing: float = field(default=2.0, converter=_float, validator=_positive)
    min_support: int = field(default=1, validator=_whole(1))
    missing: Missing = field(default=Missing.SKIP, converter=_missing)
    won: int = field(default=0, validator=_whole(0))
    lost: int = field(default=0, validator=_whole(0))
    counts: tuple[AttributeCounts, ...] = field(
        default=Factory(_empty_counts, takes_self=True), validator=_check_counts
    )
    _tables: tuple[_Table, ...] = field(init=False, eq=False, repr=False, hash=False)
    _base: float = field(init=False, eq=False, repr=False, hash=False)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "_tables", tuple(self._table(c) for c in self.counts))
        object.__setattr__(self, "_base", self._base_rate(self.won, self.lost))

    def _base_rate(self, won: int, lost: int) -> float:
        return (won + self.prior_strength * self.prior) / (won + lost + self.prior_strength)

    def _table(self, counts: AttributeCounts) -> _Table:
        used = [c for c in counts.values if c.value is not None or self.missing is Missing.CATEGORY]
        won_total = sum(c.won for c in used)
        lost_total = sum(c.lost for c in used)
        base = self._base_rate(won_total, lost_total)
        m = self.smoothing
        contribution: dict[str | None, float] = {}
        kind: dict[str | None, ReasonKind] = {}
        for c in counts.values:
            if c.value is None and self.missing is Missing.SKIP:
                continue
            if c.deals < self.min_support:
                kind[c.value] = ReasonKind.RARE
                continue
            kind[c.value] = ReasonKind.COUNTED
            contribution[c.value] = math.log((c.won + m * base) * (1.0 - base)) - math.log(
                (c.lost + m * (1.0 - base)) * base
            )
        return _Table(won_total, lost_total, contribution, kind)

    # -- fitting ---------------------------------------------------------------------

    def blank(self) -> WinModel:
        """The same settings with no history."""
        return WinModel(
            self.attributes,
            self.prior,
            self.prior_strength,
            self.smoothing,
            self.min_support,
            self.missing,
        )

    def updated(
        self, records: Iterable[Mapping[str, str | None]], outcomes: Iterable[bool]
    ) -> WinModel:
        """This model with the closed deals *records* (won where *outcomes* is ``True``) added.

        Each record maps attribute names to text values; ``None`` or an absent key is a
        missing value, and keys the model does not read are ignored. Counting is exact,
        so the result does not depend on the order of the deals, nor on whether they are
        added at once or a few at a time.

        Raises:
            InvalidData: a record that is not a mapping, a value that is not text (or is
                blank: use ``None`` for a missing value), an outcome that is not a bool,
                or records and outcomes of different lengths. Nothing is counted then.
        """
        rows = records if isinstance(records, list) else list(records)
        results = outcomes if isinstance(outcomes, list) else list(outcomes)
        if len(rows) != len(results):
            raise InvalidData(
                "records", f"has {len(rows)} records; the outcomes have {len(results)}"
            )
        kinds = set(map(type, results))
        if not kinds <= {bool}:
            index = next(i for i, y in enumerate(results) if type(y) is not bool)
            raise InvalidData(
                f"outcomes[{index}]", f"expected True (won) or False, got {results[index]!r}"
            )
        won_rows = list(compress(rows, results))
        lost_rows = list(compress(rows, map(not_, results)))
        won_columns = _columns(won_rows, self.attributes)
        lost_columns = _columns(lost_rows, self.attributes)
        counts = []
        for attribute, old, won_values, lost_values in zip(
            self.attributes, self.counts, won_columns, lost_columns, strict=True
        ):
            try:
                won, lost = Counter(won_values), Counter(lost_values)
            except TypeError:
                raise InvalidData(
                    f"records: {attribute}", "expected text or None for a missing value"
                ) from None
            for value in (*won, *lost):
                if value is not None and (type(value) is not str or not value.strip()):
                    raise InvalidData(
                        f"records: {attribute}",
                        f"expected text or None for a missing value, got {value!r}",
                    )
            for c in old.values:
                won[c.value] += c.won
                lost[c.value] += c.lost
            values = (ValueCounts(v, won[v], lost[v]) for v in set(won) | set(lost))
            counts.append(AttributeCounts(attribute, tuple(sorted(values, key=_sort_key))))
        new_won = len(won_rows)
        return WinModel(
            self.attributes,
            self.prior,
            self.prior_strength,
            self.smoothing,
            self.min_support,
            self.missing,
            self.won + new_won,
            self.lost + len(rows) - new_won,
            tuple(counts),
        )

    def added(self, record: Mapping[str, str | None], won: bool) -> WinModel:
        """This model with one more closed deal: refit incrementally as a deal closes."""
        return self.updated([record], [won])

    # -- predicting ------------------------------------------------------------------

    @property
    def base_log_odds(self) -> float:
        """``logit(π)``: the log-odds of a deal about which nothing is known."""
        return _logit(self._base)

    def log_odds(self, record: Mapping[str, str | None]) -> float:
        """``logit(π) + Σₐ cₐ(vₐ)`` for *record*, summed exactly (``math.fsum``)."""
        if not isinstance(record, Mapping):
            raise InvalidData("record", f"expected a mapping, got {record!r}")
        terms = [self.base_log_odds]
        for attribute, table in zip(self.attributes, self._tables, strict=True):
            terms.append(table.contribution.get(record.get(attribute), 0.0))
        return math.fsum(terms)

    def probability(self, record: Mapping[str, str | None]) -> float:
        """The win probability of *record*, without its reasons."""
        return _sigmoid(self.log_odds(record))

    def all_log_odds(self, records: Sequence[Mapping[str, str | None]]) -> list[float]:
        """The log-odds of many records at once (each the same as :meth:`log_odds`).

        Raises:
            InvalidData: a record that is not a mapping.
        """
        rows = records if isinstance(records, list) else list(records)
        if not rows:
            return []
        columns = _columns(rows, self.attributes)
        terms = [
            map(table.contribution.get, column, repeat(0.0))
            for table, column in zip(self._tables, columns, strict=True)
        ]
        return list(map(math.fsum, zip(repeat(self.base_log_odds), *terms)))

    def probabilities(self, records: Sequence[Mapping[str, str | None]]) -> list[float]:
        """The win probabilities of many records at once (each the same as :meth:`probability`).

        Raises:
            InvalidData: a record that is not a mapping.
        """
        limit, exp = LOG_ODDS_LIMIT, math.exp
        return [
            1.0 / (1.0 + exp(-(limit if s > limit else -limit if s < -limit else s)))
            for s in self.all_log_odds(records)
        ]

    def reasons(self, record: Mapping[str, str | None]) -> tuple[Reason, ...]:
        """One :class:`Reason` per attribute, the strongest effect first."""
        if not isinstance(record, Mapping):
            raise InvalidData("record", f"expected a mapping, got {record!r}")
        reasons = []
        for attribute, counts, table in zip(
            self.attributes, self.counts, self._tables, strict=True
        ):
            value = record.get(attribute)
            seen = counts.get(value)
            if value is None and self.missing is Missing.SKIP:
                kind = ReasonKind.MISSING
            else:
                kind = table.kind.get(value, ReasonKind.UNSEEN)
            reasons.append(
                Reason(
                    attribute=attribute,
                    value=value,
                    kind=kind,
                    contribution=table.contribution.get(value, 0.0)
                    if kind is ReasonKind.COUNTED
                    else 0.0,
                    won=seen.won if seen else 0,
                    lost=seen.lost if seen else 0,
                    won_total=table.won_total,
                    lost_total=table.lost_total,
                    min_support=self.min_support,
                )
            )
        order = {a: i for i, a in enumerate(self.attributes)}
        return tuple(sorted(reasons, key=lambda r: (-abs(r.contribution), order[r.attribute])))

    def predict(self, record: Mapping[str, str | None]) -> WinPrediction:
        """The win probability of *record* with its reasons."""
        log_odds = self.log_odds(record)
        return WinPrediction(
            probability=_sigmoid(log_odds),
            log_odds=log_odds,
            base_log_odds=self.base_log_odds,
            reasons=self.reasons(record),
            won=self.won,
            lost=self.lost,
        )


# -- predictions and their reasons ---------------------------------------------------


@frozen
class Reason:
    """What one attribute did to a prediction: its value, effect and the counts behind it.

    ``contribution`` is the log-odds the value adds (0 unless ``kind`` is ``COUNTED``);
    ``won`` and ``lost`` count the closed deals with the value, ``won_total`` and
    ``lost_total`` those with any value of the attribute.
    """

    attribute: str
    value: str | None
    kind: ReasonKind
    contribution: float
    won: int
    lost: int
    won_total: int
    lost_total: int
    min_support: int = 1

    def explain(self, lang: Lang | str | None = None) -> str:
        """The reason as one line of text, in *lang* (or the current language)."""
        value = self.value if self.value is not None else _MISSING_VALUE.text(lang)
        return (
            _EXPLAIN[self.kind]
            .text(lang)
            .format(
                attribute=self.attribute,
                value=value,
                won=self.won,
                lost=self.lost,
                won_total=self.won_total,
                lost_total=self.lost_total,
                deals=self.won + self.lost,
                support=self.min_support,
                effect=self.contribution,
            )
        )


@frozen
class WinPrediction:
    """A learned win probability with its reasons.

    ``log_odds`` is ``base_log_odds`` plus every reason's contribution; ``probability`` is
    its logistic, ``1 / (1 + e^(−log_odds))`` (log-odds beyond ±:data:`LOG_ODDS_LIMIT` shown
    at the limit). ``reasons`` lists every attribute, the strongest effect first.
    ``raw_probability`` is the uncalibrated model's value where the prediction was
    calibrated (:class:`CalibratedWinModel`), else the probability itself.
    """

    probability: float
    log_odds: float
    base_log_odds: float
    reasons: tuple[Reason, ...]
    won: int
    lost: int
    raw_probability: float | None = None

    def top(self, n: int = 3) -> tuple[Reason, ...]:
        """The *n* counted reasons that moved the prediction most, up or down."""
        return tuple(r for r in self.reasons if r.kind is ReasonKind.COUNTED)[:n]

    def explain(self, lang: Lang | str | None = None, n: int = 3) -> str:
        """The base rate and the *n* strongest reasons, one per line."""
        rate = _sigmoid(self.base_log_odds)
        lines = [_BASE.text(lang).format(won=self.won, lost=self.lost, rate=rate)]
        lines += [r.explain(lang) for r in self.top(n)]
        return "\n".join(lines)


# -- calibration on held-out folds ---------------------------------------------------


@frozen
class PlattScaling:
    """Platt scaling: calibrated log-odds ``A·s + B`` from a model's raw log-odds *s*.

    Fitted by :meth:`fit` on held-out scores: Newton's method on the logistic
    log-likelihood, with Platt's targets ``(n₊ + 1)/(n₊ + 2)`` for won and ``1/(n₋ + 2)``
    for lost deals (so that a perfect separation does not send *A* to infinity).
    ``A < 1`` shrinks an over-confident model's log-odds toward ``B``.
    """

    slope: float = field(converter=_float)
    intercept: float = field(converter=_float)

    @classmethod
    def fit(cls, scores: Sequence[float], outcomes: Sequence[bool]) -> PlattScaling:
        """The scaling that best turns *scores* (log-odds) into probabilities of *outcomes*.

        Raises:
            InvalidData: no scores, a score that is not finite, an outcome that is not a
                bool, or columns of different lengths.
        """
        s = [float(v) for v in scores]
        y = list(outcomes)
        if not s or len(s) != len(y):
            raise InvalidData("scores", f"needs one score per outcome, got {len(s)} and {len(y)}")
        if not all(math.isfinite(v) for v in s) or not all(type(v) is bool for v in y):
            raise InvalidData("scores", "scores must be finite and outcomes True or False")
        won = sum(y)
        high, low = (won + 1) / (won + 2), 1 / (len(y) - won + 2)
        targets = [high if yi else low for yi in y]

        def loss(a: float, b: float) -> float:
            total = 0.0
            for si, ti in zip(s, targets, strict=True):
                z = a * si + b
                total += (
                    math.log1p(math.exp(-z)) + z if z > 0 else math.log1p(math.exp(z))
                ) - ti * z
            return total

        a, b = 0.0, math.log((won + 1) / (len(y) - won + 1))
        current = loss(a, b)
        for _ in range(100):
            g_a = g_b = h_aa = h_ab = h_bb = 0.0
            for si, ti in zip(s, targets, strict=True):
                p = _sigmoid(a * si + b)
                d, w = p - ti, p * (1.0 - p)
                g_a += d * si
                g_b += d
                h_aa += w * si * si
                h_ab += w * si
                h_bb += w
            h_aa += 1e-12
            h_bb += 1e-12
            det = h_aa * h_bb - h_ab * h_ab
            if det <= 0:
                break
            step_a = (h_bb * g_a - h_ab * g_b) / det
            step_b = (h_aa * g_b - h_ab * g_a) / det
            t = 1.0
            while t > 1e-10:
                trial = loss(a - t * step_a, b - t * step_b)
                if trial <= current:
                    break
                t /= 2
            else:
                break
            a, b, previous, current = a - t * step_a, b - t * step_b, current, trial
            small = abs(t * step_a) < 1e-12 and abs(t * step_b) < 1e-12
            if small or previous - current < 1e-14:
                break
        return cls(a, b)

    def __call__(self, log_odds: float) -> float:
        """The calibrated log-odds ``A·s + B``."""
        return self.slope * log_odds + self.intercept


def _fitted_blank(model: WinModel) -> WinModel:
    if model.won or model.lost:
        raise InvalidData(
            "model", "pass an unfitted WinModel: its settings are used, and it is fitted here"
        )
    return model


@frozen
class CalibratedWinModel:
    """A :class:`WinModel` fitted on all the deals, with a Platt scaling fitted held-out.

    Its predictions scale the model's log-odds: ``A·(logit π + Σ c) + B``, so that the
    base becomes ``A·logit π + B`` and every contribution ``A·c`` — the reasons still add
    up to the log-odds.
    """

    model: WinModel
    scaling: PlattScaling

    def probability(self, record: Mapping[str, str | None]) -> float:
        """The calibrated win probability of *record*."""
        return _sigmoid(self.scaling(self.model.log_odds(record)))

    def probabilities(self, records: Sequence[Mapping[str, str | None]]) -> list[float]:
        """The calibrated win probabilities of many records."""
        return [_sigmoid(self.scaling(s)) for s in self.model.all_log_odds(records)]

    def predict(self, record: Mapping[str, str | None]) -> WinPrediction:
        """The calibrated win probability of *record* with its scaled reasons."""
        raw = self.model.predict(record)
        a = self.scaling.slope
        reasons = tuple(
            Reason(
                r.attribute,
                r.value,
                r.kind,
                a * r.contribution,
                r.won,
                r.lost,
                r.won_total,
                r.lost_total,
                r.min_support,
            )
            for r in raw.reasons
        )
        log_odds = self.scaling(raw.log_odds)
        return WinPrediction(
            probability=_sigmoid(log_odds),
            log_odds=log_odds,
            base_log_odds=self.scaling(raw.base_log_odds),
            reasons=reasons,
            won=raw.won,
            lost=raw.lost,
            raw_probability=raw.probability,
        )


def calibrate(
    model: WinModel,
    records: Sequence[Mapping[str, str | None]],
    outcomes: Sequence[bool],
    splits: Sequence[Split] | None = None,
) -> CalibratedWinModel:
    """Fit *model* on all the deals and its Platt scaling on held-out folds.

    For each split the model is fitted on the training deals and scores the held-out
    ones; the scaling is fitted on those held-out log-odds, never on a deal's own fit.
    *splits* defaults to 5 stratified folds with seed 0 (:func:`~.accuracy.kfold`).
    """
    blank = _fitted_blank(model)
    rows, results = list(records), list(outcomes)
    chosen = tuple(splits) if splits is not None else kfold(results, 5)
    scores: list[float] = []
    truth: list[bool] = []
    for split in chosen:
        fold = blank.updated([rows[i] for i in split.train], [results[i] for i in split.train])
        scores += [fold.log_odds(rows[i]) for i in split.test]
        truth += [results[i] for i in split.test]
    return CalibratedWinModel(blank.updated(rows, results), PlattScaling.fit(scores, truth))


def win_model_learner(model: WinModel, name: str = "naive Bayes") -> Learner[Any, WinModel]:
    """The naive-Bayes model as a :class:`~.accuracy.Learner` (raw, uncalibrated)."""
    blank = _fitted_blank(model)

    def fit(records: Sequence[Any], outcomes: Sequence[bool]) -> WinModel:
        return blank.updated(records, outcomes)

    def predict(fitted: WinModel, record: Any) -> float:
        return fitted.probability(record)

    return Learner(name, fit, predict)


def calibrated_learner(
    model: WinModel, *, folds: int = 5, seed: int = 0, name: str = "naive Bayes, calibrated"
) -> Learner[Any, CalibratedWinModel]:
    """The calibrated model as a learner: each fit calibrates on inner folds of its own deals."""
    blank = _fitted_blank(model)

    def fit(records: Sequence[Any], outcomes: Sequence[bool]) -> CalibratedWinModel:
        return calibrate(blank, records, outcomes, kfold(outcomes, folds, seed=seed))

    def predict(fitted: CalibratedWinModel, record: Any) -> float:
        return fitted.probability(record)

    return Learner(name, fit, predict)


# -- beside the declared probability -------------------------------------------------


class Combine(LabelledEnum):
    """How a forecast uses a learned win probability."""

    REPLACE = "replace"
    BLEND = "blend"
    SIDE_BY_SIDE = "side_by_side"


label_members(
    Combine,
    {
        Combine.REPLACE: Label("以学习值替代", "replace by the learned value"),
        Combine.BLEND: Label("混合", "blend"),
        Combine.SIDE_BY_SIDE: Label("并列显示", "side by side"),
    },
)


class Source(LabelledEnum):
    """Which value a forecast uses."""

    DECLARED = "declared"
    LEARNED = "learned"
    BLEND = "blend"
    OWN = "own"


label_members(
    Source,
    {
        Source.DECLARED: Label("阶段声明的概率", "the stage's declared probability"),
        Source.LEARNED: Label("学习得到的概率", "the learned probability"),
        Source.BLEND: Label("声明与学习的混合", "a blend of declared and learned"),
        Source.OWN: Label("用户自己给出的概率", "the user's own probability"),
    },
)


@frozen
class WinForecast:
    """The win probability a forecast uses, with the values it was chosen from.

    ``used`` is the value to weigh the deal by and ``source`` says which it is; the
    declared, learned and the user's own values are kept beside it.
    """

    used: float
    source: Source
    learned: float
    declared: float | None
    own: float | None
    how: Combine
    weight: float


def _probability(value: object, name: str, *, optional: bool = False) -> float | None:
    if value is None and optional:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0.0 <= value <= 1.0:
        raise InvalidData(name, f"expected a probability in [0, 1], got {value!r}")
    return float(value)


def combine(
    learned: float,
    declared: float | None,
    how: Combine | str = Combine.SIDE_BY_SIDE,
    *,
    weight: float = 0.5,
    own: float | None = None,
) -> WinForecast:
    """Choose the win probability a forecast uses, and say which one it is.

    ``REPLACE`` uses the learned value; ``BLEND`` uses ``(1 − weight)·declared +
    weight·learned``; ``SIDE_BY_SIDE`` (the default) keeps the declared value and shows
    the learned one beside it. A probability the user set on the deal (*own*) is never
    overwritten: whatever *how* says, it is the value used, with the others beside it.

    >>> from bigaccount.analytics.winprob import combine
    >>> f = combine(0.62, 0.3, "blend", weight=0.25)
    >>> round(f.used, 3), f.source.value
    (0.38, 'blend')
    >>> combine(0.62, 0.3, "replace", own=0.5).source.value
    'own'
    """
    p_learned = _probability(learned, "learned")
    p_declared = _probability(declared, "declared", optional=True)
    p_own = _probability(own, "own", optional=True)
    w = _probability(weight, "weight")
    assert p_learned is not None
    assert w is not None
    try:
        mode = Combine(how)
    except ValueError:
        known = ", ".join(c.value for c in Combine)
        raise InvalidData("how", f"unknown value {how!r}; expected one of: {known}") from None
    if mode is not Combine.REPLACE and p_declared is None:
        raise InvalidData("declared", f"{mode.value!r} needs the declared probability")
    if p_own is not None:
        used, source = p_own, Source.OWN
    elif mode is Combine.REPLACE:
        used, source = p_learned, Source.LEARNED
    elif mode is Combine.BLEND:
        assert p_declared is not None
        used, source = (1.0 - w) * p_declared + w * p_learned, Source.BLEND
    else:
        assert p_declared is not None
        used, source = p_declared, Source.DECLARED
    return WinForecast(used, source, p_learned, p_declared, p_own, mode, w)


# -- reading deals ---------------------------------------------------------------------


def bin_label(value: Decimal | int | float, edges: Sequence[Decimal | int | float]) -> str:
    """The bin of *value* among increasing *edges*: ``"<a"``, ``"[a, b)"`` or ``"≥z"``.

    Turns a numeric field (an amount, a score) into a categorical value the model can
    count.

    >>> from bigaccount.analytics.winprob import bin_label
    >>> [bin_label(v, [100, 1000]) for v in (5, 100, 999, 5000)]
    ['<100', '[100, 1000)', '[100, 1000)', '≥1000']
    """
    cuts = list(edges)
    if not cuts or any(
        isinstance(e, bool) or not isinstance(e, (Decimal, int, float)) for e in cuts
    ):
        raise InvalidData("edges", f"expected increasing numbers, got {edges!r}")
    if any(b <= a for a, b in itertools.pairwise(cuts)):
        raise InvalidData("edges", f"must increase strictly, got {edges!r}")
    if isinstance(value, bool) or not isinstance(value, (Decimal, int, float)):
        raise InvalidData("value", f"expected a number, got {value!r}")
    if value < cuts[0]:
        return f"<{cuts[0]}"
    for low, high in itertools.pairwise(cuts):
        if low <= value < high:
            return f"[{low}, {high})"
    return f"≥{cuts[-1]}"


def attributes_of(
    deal: Any,
    cycle: Any,
    *,
    facts: Iterable[str] | None = None,
    bins: Mapping[str, Sequence[Decimal | int | float]] | None = None,
    extra: Mapping[str, str | None] | None = None,
) -> dict[str, str | None]:
    """The record the model reads for *deal*: its stage, segment, owner, facts and more.

    * ``"stage"``: the highest stage of *cycle* the deal reached (from its history), so
      that a closed deal's record says how far it got, never its outcome;
    * ``"segment"`` and ``"owner"`` (``None`` when not set);
    * one entry per fact id in *facts* (default: every fact the deal holds). A yes/no
      fact is ``"yes"`` when it holds and ``"no"`` when it does not (never established,
      or retracted), as a gate reads it — name the facts to get the ``"no"`` s. A valued
      fact (an amount, a score) needs bin edges in *bins* and becomes its
      :func:`bin_label`; without edges it is left out, and when it does not hold it is
      ``None`` (missing);
    * the user's own fields in *extra* (relationship scores, competitor presence, the
      lead source, …), which must not reuse a name above.
    """
    from ..money import Money
    from .calibration import highest_stage

    edges = dict(bins or {})
    record: dict[str, str | None] = {
        "stage": highest_stage(deal, cycle),
        "segment": deal.account.segment.value,
        "owner": deal.owner,
    }
    held = deal.facts
    for fact_id in sorted(held) if facts is None else facts:
        fact = held.get(fact_id)
        value = getattr(fact, "value", fact)
        if fact_id in edges:
            if value is None or value is False:
                record[fact_id] = None
            else:
                number = value.amount if isinstance(value, Money) else value
                record[fact_id] = bin_label(number, edges[fact_id])
        elif value is None or isinstance(value, bool):
            record[fact_id] = "yes" if value is True else "no"
    for key, value in (extra or {}).items():
        if key in record:
            raise InvalidData(f"extra[{key!r}]", "reuses a name the deal's record already has")
        if value is not None and (not isinstance(value, str) or not value.strip()):
            raise InvalidData(f"extra[{key!r}]", f"expected text or None, got {value!r}")
        record[key] = value
    return record
