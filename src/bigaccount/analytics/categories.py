"""Forecast categories — pipeline, best case, commit, closed, omitted — by configurable rules.

A deal's category is decided in this order (:meth:`CategoryRules.category`):

1. a category the deal's owner or manager set by hand (``manual``), flagged as such;
2. the category its stage is mapped to in ``by_stage``;
3. **closed** when won, **omitted** when lost or stalled, or when its probability is 0;
4. **commit** from ``commit_from`` on, **best case** from ``best_case_from`` on,
   otherwise **pipeline**.

The totals roll up as sales managers read them: the *commit forecast* is closed plus
commit, the *best-case forecast* adds best case; omitted deals count in neither.

>>> from bigaccount.analytics.categories import forecast_categories
>>> result = forecast_categories(
...     [100, 200, 300, 400, 500],
...     ["0.2", "0.5", "0.8", 1, 0],
...     ["INTENT", "NEGOTIATION", "CLOSED", "WON", "LOST"],
...     currency="CNY",
... )
>>> [(r.category.value, r.deals, int(r.amount.amount)) for r in result.rows]
[('pipeline', 1, 100), ('best_case', 1, 200), ('commit', 1, 300),
 ('closed', 1, 400), ('omitted', 1, 500)]
>>> str(result.commit.amount.amount), str(result.best_case.amount.amount)
('700', '900')
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from attrs import field, frozen

from .._validate import member
from ..errors import InvalidData
from ..labels import Label, LabelledEnum, label_members
from ..money import Money
from . import _columns as col
from ._totals import totals_by_bin

if TYPE_CHECKING:
    from ..cycle import Cycle
    from ..deal import Deal
    from .fx import FxTable

__all__ = [
    "CategoryForecast",
    "CategoryRules",
    "CategoryTotals",
    "ForecastCategory",
    "categories",
    "categorise_columns",
    "forecast_categories",
]


class ForecastCategory(LabelledEnum):
    """Where a deal stands in the sales manager's forecast."""

    PIPELINE = "pipeline"
    BEST_CASE = "best_case"
    COMMIT = "commit"
    CLOSED = "closed"
    OMITTED = "omitted"


label_members(
    ForecastCategory,
    {
        ForecastCategory.PIPELINE: Label("管道", "pipeline"),
        ForecastCategory.BEST_CASE: Label("最佳情况", "best case"),
        ForecastCategory.COMMIT: Label("承诺", "commit"),
        ForecastCategory.CLOSED: Label("已成交", "closed"),
        ForecastCategory.OMITTED: Label("排除", "omitted"),
    },
)

_ORDER = tuple(ForecastCategory)
_INDEX = {c: i for i, c in enumerate(_ORDER)}


def _threshold(value: object) -> Decimal:
    return col.tidy(col.scaled(col.points(value, "threshold"), 4))


def _by_stage(value: object) -> dict[str, ForecastCategory]:
    if not isinstance(value, Mapping):
        raise InvalidData("by_stage", f"expected a mapping of stage id to category, got {value!r}")
    return {
        str(stage): member(ForecastCategory, category, f"by_stage[{stage!r}]")
        for stage, category in value.items()
    }


@frozen
class CategoryRules:
    """How probabilities and stages map to forecast categories.

    Args:
        commit_from: the probability from which an open deal is *commit* (default 0.75:
            P5 of the advancement cycle, the customer's commitment).
        best_case_from: from which it is *best case* (default 0.5: funnel NEGOTIATION, P4).
        by_stage: categories fixed per stage id (they win over the thresholds).

    Thresholds are on the basis-point grid and ``best_case_from <= commit_from``.
    """

    commit_from: Decimal = field(default=Decimal("0.75"), converter=_threshold)
    best_case_from: Decimal = field(default=Decimal("0.5"), converter=_threshold)
    by_stage: Mapping[str, ForecastCategory] = field(factory=dict, converter=_by_stage)

    def __attrs_post_init__(self) -> None:
        if self.best_case_from > self.commit_from:
            raise InvalidData("best_case_from", "must not exceed commit_from")

    def category(self, state: str | None, points: int) -> ForecastCategory:
        """The category of a deal in *state* with a probability of *points* basis points."""
        if state is not None and state in self.by_stage:
            return self.by_stage[state]
        if state == "WON":
            return ForecastCategory.CLOSED
        if state in ("LOST", "STALLED") or points == 0:
            return ForecastCategory.OMITTED
        if points >= self.commit_from.scaleb(4):
            return ForecastCategory.COMMIT
        if points >= self.best_case_from.scaleb(4):
            return ForecastCategory.BEST_CASE
        return ForecastCategory.PIPELINE


_DEFAULT_RULES = CategoryRules()


@frozen
class CategoryTotals:
    """The deals of one category: how many, their amount and their weighted amount."""

    category: ForecastCategory
    deals: int
    amount: Money
    weighted: Money


@frozen
class CategoryForecast:
    """Totals per forecast category, and each deal's category.

    Attributes:
        currency: the currency of the amounts.
        rows: one row per category, in the order pipeline, best case, commit, closed, omitted.
        categories: each deal's category, in the order of the columns.
        manual: whether each deal's category was set by hand.
    """

    currency: str
    rows: tuple[CategoryTotals, ...]
    categories: tuple[ForecastCategory, ...]
    manual: tuple[bool, ...]

    def row(self, category: ForecastCategory | str) -> CategoryTotals:
        """The totals of *category*."""
        return self.rows[_INDEX[member(ForecastCategory, category, "category")]]

    def _rolled(self, *kinds: ForecastCategory) -> CategoryTotals:
        deals, amount, weighted = 0, Decimal(0), Decimal(0)
        for kind in kinds:
            row = self.row(kind)
            deals += row.deals
            amount += row.amount.amount
            weighted += row.weighted.amount
        return CategoryTotals(
            kinds[0], deals, col.money(amount, self.currency), col.money(weighted, self.currency)
        )

    @property
    def commit(self) -> CategoryTotals:
        """The commit forecast: closed plus commit."""
        return self._rolled(ForecastCategory.COMMIT, ForecastCategory.CLOSED)

    @property
    def best_case(self) -> CategoryTotals:
        """The best-case forecast: closed, commit and best case."""
        return self._rolled(
            ForecastCategory.BEST_CASE, ForecastCategory.COMMIT, ForecastCategory.CLOSED
        )


def categorise_columns(
    states: Sequence[str | None],
    probabilities: Sequence[Any],
    *,
    rules: CategoryRules = _DEFAULT_RULES,
    manual: Sequence[ForecastCategory | str | None] | None = None,
) -> tuple[tuple[ForecastCategory, ...], tuple[bool, ...]]:
    """Each deal's category, and whether it was set by hand (see the module docstring)."""
    if not isinstance(rules, CategoryRules):
        raise InvalidData("rules", f"expected CategoryRules, got {rules!r}")
    pts = col.points_column(probabilities)
    col.check_length("states", states, len(pts))
    chosen: Sequence[Any] = [None] * len(pts) if manual is None else manual
    col.check_length("manual", chosen, len(pts))
    cache: dict[tuple[str | None, int], ForecastCategory] = {}
    result: list[ForecastCategory] = []
    flags: list[bool] = []
    for i, (state, p, own) in enumerate(zip(states, pts, chosen, strict=True)):
        if own is not None:
            result.append(member(ForecastCategory, own, f"manual[{i}]"))
            flags.append(True)
            continue
        key = (state, p)
        category = cache.get(key)
        if category is None:
            category = cache[key] = rules.category(state, p)
        result.append(category)
        flags.append(False)
    return tuple(result), tuple(flags)


def forecast_categories(
    amounts: Sequence[Any],
    probabilities: Sequence[Any],
    states: Sequence[str | None],
    *,
    currency: str,
    rules: CategoryRules = _DEFAULT_RULES,
    manual: Sequence[ForecastCategory | str | None] | None = None,
    minor_unit: int = 0,
) -> CategoryForecast:
    """Totals per forecast category of deals given as columns.

    *states* are stage ids or the outcomes ``"WON"``, ``"LOST"``, ``"STALLED"`` (``None``
    where unknown: the thresholds alone decide); amounts and probabilities are read as by
    :func:`~bigaccount.analytics.forecast.forecast_columns` (numpy arrays are read as lists).
    """
    currency = Money(0, currency).currency
    amounts = col.plain(amounts)
    probabilities = col.plain(probabilities)
    states = col.plain(states)
    col.check_length("probabilities", probabilities, len(amounts))
    kinds, flags = categorise_columns(states, probabilities, rules=rules, manual=manual)
    integer = col.amounts_are_int(amounts, minor_unit)
    pts = col.points_column(probabilities) if integer else col.decimal_points(probabilities)
    keys = [_INDEX[k] for k in kinds]
    counts, sums, weighted = totals_by_bin(amounts, pts, keys, len(_ORDER), integer)
    places = minor_unit if integer else 0
    rows = tuple(
        CategoryTotals(
            kind,
            counts[i],
            col.money(sums[i], currency, places),
            col.money(weighted[i], currency, places + 4),
        )
        for i, kind in enumerate(_ORDER)
    )
    return CategoryForecast(currency, rows, kinds, flags)


def categories(
    deals: Iterable[Deal],
    cycle: Cycle | str,
    *,
    currency: str,
    rules: CategoryRules = _DEFAULT_RULES,
    fx: FxTable | None = None,
    manual: Mapping[str, ForecastCategory | str] | None = None,
    probabilities: Mapping[str, Any] | None = None,
) -> CategoryForecast:
    """Totals per forecast category of the deals started in *cycle* (lost ones omitted)."""
    from ._deals import converter, resolve, state_points

    c = resolve(cycle)
    table = state_points(c)
    convert = converter(currency, fx)
    own = manual or {}
    given = probabilities or {}
    amounts: list[Decimal] = []
    probs: list[Any] = []
    states: list[str] = []
    chosen: list[Any] = []
    for deal in deals:
        track = deal.tracks.get(c.name)
        if track is None:
            continue
        amounts.append(convert(deal.amount))
        state = track.state
        states.append(state)
        closed = state in ("WON", "LOST", "STALLED")
        probs.append(
            col.scaled(table[state], 4) if closed or deal.id not in given else given[deal.id]
        )
        chosen.append(own.get(deal.id))
    return forecast_categories(
        amounts, probs, states, currency=currency, rules=rules, manual=chosen
    )
