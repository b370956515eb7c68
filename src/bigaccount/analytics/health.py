"""Funnel health (漏斗原理, source 004): capacity, slope, uniformity and flow speed.

* **Capacity** (粗细): how many open deals, and how much money, stand in each stage.
* **Slope** (斜率): stage-to-stage conversion. With ``r_j`` the number of deals that
  reached stage *j* or beyond (won counts as beyond the last stage), the conversion
  from *j* to the next is ``r_{j+1} / r_j``.
* **Uniformity** (均匀): how evenly the open pipeline spreads over the *k* stages, as the
  normalised Shannon entropy ``U = −Σ sⱼ·ln sⱼ / ln k`` of the shares ``sⱼ`` (of the
  count, and of the amount). ``U ∈ [0, 1]``: 1 when every stage holds the same share,
  0 when one stage holds everything; ``None`` with no open deal or fewer than 2 stages.
* **Flow speed** (流速): time in each stage (days from entering it to leaving it, over
  the finished stays) and the cycle length (days from the first stage change to the
  outcome, over closed deals), each with its median, quartiles, mean and extremes.

A deal is **stuck** when its time in its current stage exceeds the stage's norm: given
per stage, or else the upper fence of the stage's finished stays,
``P75 + 1.5 × (P75 − P25)`` (Tukey's rule for an unusually long stay). Quartiles are
``statistics.quantiles(method="inclusive")``.

>>> from bigaccount.analytics.health import funnel_health_columns, uniformity
>>> uniformity([5, 5, 5, 5]), uniformity([20, 0, 0, 0])
(1.0, 0.0)
>>> health = funnel_health_columns(
...     ["TARGET", "TARGET", "INTENT", "WON", "LOST"],
...     [100, 200, 300, 400, 500],
...     order=["TARGET", "INTENT", "APPROVED"],
...     currency="CNY",
...     furthest=["TARGET", "TARGET", "INTENT", "WON", "INTENT"],
... )
>>> [(c.stage, c.deals, str(c.amount.amount)) for c in health.capacity]
[('TARGET', 2, '300'), ('INTENT', 1, '300'), ('APPROVED', 0, '0')]
>>> [(s.source, s.dest, s.reached, s.advanced) for s in health.slope]
[('TARGET', 'INTENT', 5, 3), ('INTENT', 'APPROVED', 3, 1), ('APPROVED', 'WON', 1, 1)]
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
import statistics
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from attrs import frozen

from .._validate import number
from ..errors import InvalidData
from ..money import Money
from . import _columns as col

if TYPE_CHECKING:
    from ..cycle import Cycle
    from ..deal import Deal
    from .fx import FxTable

__all__ = [
    "Conversion",
    "DurationStats",
    "FunnelHealth",
    "StageCapacity",
    "StageFlow",
    "StuckDeal",
    "duration_stats",
    "funnel_health",
    "funnel_health_by",
    "funnel_health_columns",
    "uniformity",
]

_WON = "WON"


@frozen
class StageCapacity:
    """The open deals standing in one stage."""

    stage: str
    deals: int
    amount: Money


@frozen
class Conversion:
    """Deals that reached *source* (or beyond), and those of them that reached *dest*.

    ``rate`` is ``advanced / reached``, ``None`` when no deal reached *source*.
    """

    source: str
    dest: str
    reached: int
    advanced: int

    @property
    def rate(self) -> float | None:
        """``advanced / reached``."""
        return self.advanced / self.reached if self.reached else None


@frozen
class DurationStats:
    """Summary of durations in days: count, median, quartiles, mean, extremes."""

    count: int
    median: float
    p25: float
    p75: float
    mean: float
    minimum: float
    maximum: float

    @property
    def spread(self) -> float:
        """The interquartile range ``P75 − P25``."""
        return self.p75 - self.p25

    @property
    def fence(self) -> float:
        """Tukey's upper fence ``P75 + 1.5 × IQR``: a longer stay is unusual."""
        return self.p75 + 1.5 * self.spread


@frozen
class StageFlow:
    """How long deals stay in one stage (``None``: no finished stay)."""

    stage: str
    stays: DurationStats | None


@frozen
class StuckDeal:
    """An open deal that has stayed in its stage longer than the norm."""

    id: str
    stage: str
    days: float
    norm: float


@frozen
class FunnelHealth:
    """The four measures of a funnel's health and the stuck deals.

    Attributes:
        capacity: open deals and amount per stage, in stage order.
        slope: conversions between consecutive stages, and from the last stage to won.
        uniformity: the uniformity of the open deals' count over the stages.
        uniformity_amount: the same over their amount.
        time_in_stage: finished stays per stage.
        cycle_length: days from the first stage change to the outcome of closed deals.
        stuck: the stuck deals, longest overrun (days / norm) first.
    """

    capacity: tuple[StageCapacity, ...]
    slope: tuple[Conversion, ...]
    uniformity: float | None
    uniformity_amount: float | None
    time_in_stage: tuple[StageFlow, ...]
    cycle_length: DurationStats | None
    stuck: tuple[StuckDeal, ...]


def uniformity(values: Sequence[Any]) -> float | None:
    """Normalised entropy ``−Σ s·ln s / ln k`` of the shares of *values* (see the module)."""
    numbers = [Decimal(v) if isinstance(v, int) else v for v in values]
    if len(numbers) < 2:
        return None
    for i, v in enumerate(numbers):
        if not isinstance(v, Decimal) or not v.is_finite() or v < 0:
            raise InvalidData(
                f"values[{i}]", f"expected an amount or count >= 0, got {values[i]!r}"
            )
    total = sum(numbers, Decimal(0))
    if total == 0:
        return None
    entropy = -math.fsum(float(v / total) * math.log(float(v / total)) for v in numbers if v > 0)
    return min(1.0, max(0.0, entropy / math.log(len(numbers))))


def duration_stats(days: Iterable[Any]) -> DurationStats | None:
    """Median, quartiles, mean and extremes of *days* (``None`` when empty)."""
    values = sorted(number(d, "days") for d in days)
    if not values:
        return None
    if values[0] < 0:
        raise InvalidData("days", f"a duration cannot be negative, got {values[0]!r}")
    if len(values) == 1:
        p25 = p75 = values[0]
    else:
        p25, _, p75 = statistics.quantiles(values, n=4, method="inclusive")
    return DurationStats(
        len(values),
        statistics.median(values),
        p25,
        p75,
        statistics.fmean(values),
        values[0],
        values[-1],
    )


def _order(order: Sequence[str]) -> tuple[str, ...]:
    stages = tuple(order)
    if not stages or len(set(stages)) != len(stages) or _WON in stages:
        raise InvalidData("order", f"expected distinct stage ids (not {_WON!r}), got {order!r}")
    return stages


def funnel_health_columns(
    stages: Sequence[str | None],
    amounts: Sequence[Any],
    *,
    order: Sequence[str],
    currency: str,
    minor_unit: int = 0,
    furthest: Sequence[str | None] | None = None,
    cycle_days: Sequence[Any] | None = None,
    ids: Sequence[str] | None = None,
    days_in_stage: Sequence[Any] | None = None,
    stays: tuple[Sequence[str], Sequence[Any]] | None = None,
    norms: Mapping[str, Any] | None = None,
) -> FunnelHealth:
    """Funnel health of deals given as columns (see the module docstring).

    Args:
        stages: each deal's state: a stage id of *order* (open), or an outcome.
        amounts: each deal's amount, read as by
            :func:`~bigaccount.analytics.forecast.forecast_columns`.
        order: the stage ids in pipeline order.
        currency: the amounts' currency.
        minor_unit: decimal places of integer amounts.
        furthest: the furthest stage each deal reached (``"WON"`` when won); default
            its current state.
        cycle_days: days from first stage change to outcome (``None`` while open).
        ids: the deals' ids, to name the stuck ones.
        days_in_stage: how long each open deal has been in its current stage.
        stays: every finished stay, as a column of stage ids and one of days.
        norms: days a stay may last per stage before a deal is stuck.
    """
    stages = list(col.plain(stages))
    amounts = list(col.plain(amounts))
    n = len(stages)
    col.check_length("amounts", amounts, n)
    sequence = _order(order)
    index = {s: i for i, s in enumerate(sequence)}
    currency = Money(0, currency).currency
    integer = col.amounts_are_int(amounts, minor_unit)
    zero: Any = 0 if integer else Decimal(0)
    counts = [0] * len(sequence)
    sums = [zero] * len(sequence)
    for stage, amount in zip(stages, amounts, strict=True):
        i = index.get(stage) if stage is not None else None
        if i is not None:
            counts[i] += 1
            sums[i] += amount
    if not integer:
        col.decimal_sum(sums)
    places = minor_unit if integer else 0
    capacity = tuple(
        StageCapacity(s, counts[i], col.money(sums[i], currency, places))
        for i, s in enumerate(sequence)
    )
    reach = list(stages) if furthest is None else list(furthest)
    col.check_length("furthest", reach, n)
    top = len(sequence)
    levels = [0] * (top + 1)
    for value in reach:
        level = top if value == _WON else (index.get(value) if value is not None else None)
        if level is not None:
            levels[level] += 1
    reached = [sum(levels[j:]) for j in range(top + 1)]
    names = (*sequence, _WON)
    slope = tuple(
        Conversion(names[j], names[j + 1], reached[j], reached[j + 1]) for j in range(top)
    )
    flows: dict[str, list[Any]] = {s: [] for s in sequence}
    if stays is not None:
        stay_stages, stay_days = stays
        col.check_length("stays days", stay_days, len(stay_stages))
        for stage, days in zip(stay_stages, stay_days, strict=True):
            if stage in flows:
                flows[stage].append(days)
    time_in_stage = tuple(StageFlow(s, duration_stats(flows[s])) for s in sequence)
    cycles = None
    if cycle_days is not None:
        col.check_length("cycle_days", cycle_days, n)
        cycles = duration_stats(d for d in cycle_days if d is not None)
    stuck: list[StuckDeal] = []
    if days_in_stage is not None:
        col.check_length("days_in_stage", days_in_stage, n)
        names_of = ids if ids is not None else [str(i) for i in range(n)]
        col.check_length("ids", names_of, n)
        limits = {s: number(v, f"norms[{s!r}]") for s, v in (norms or {}).items()}
        for flow in time_in_stage:
            if flow.stage not in limits and flow.stays is not None:
                limits[flow.stage] = flow.stays.fence
        for deal_id, stage, days in zip(names_of, stages, days_in_stage, strict=True):
            if days is None or stage is None or stage not in limits:
                continue
            spent = number(days, "days_in_stage")
            if spent > limits[stage]:
                stuck.append(StuckDeal(deal_id, stage, spent, limits[stage]))
        stuck.sort(key=lambda d: (-(d.days / d.norm) if d.norm else -math.inf, d.id))
    return FunnelHealth(
        capacity,
        slope,
        uniformity(counts),
        uniformity([Decimal(s) for s in sums]),
        time_in_stage,
        cycles,
        tuple(stuck),
    )


def _days(later: dt.datetime, earlier: dt.datetime) -> float:
    return (later - earlier).total_seconds() / 86400


def _read(
    deals: Iterable[Deal], cycle: Cycle | str, as_of: dt.datetime, currency: str, fx: FxTable | None
) -> tuple[list[Deal], dict[str, list[Any]], tuple[str, ...]]:
    from ._deals import OUTCOMES, converter, resolve

    if not isinstance(as_of, dt.datetime) or as_of.utcoffset() is None:
        raise InvalidData("as_of", f"a timezone-aware datetime is required, got {as_of!r}")
    c = resolve(cycle)
    order = tuple(s.id for s in c.stages)
    position = {s: i for i, s in enumerate(order)}
    convert = converter(currency, fx)
    kept: list[Deal] = []
    rows: dict[str, list[Any]] = {
        k: []
        for k in (
            "stages",
            "amounts",
            "furthest",
            "cycle_days",
            "ids",
            "days",
            "stay_stages",
            "stay_days",
            "stay_deal",
        )
    }
    for deal in deals:
        track = deal.tracks.get(c.name)
        if track is None or not track.history:
            continue
        history = track.history
        state = track.state
        kept.append(deal)
        row = len(kept) - 1
        rows["stages"].append(state)
        rows["amounts"].append(convert(deal.amount))
        rows["ids"].append(deal.id)
        seen = [position[e.dest] for e in history if e.dest in position]
        rows["furthest"].append(_WON if state == _WON else (order[max(seen)] if seen else None))
        closed = state in OUTCOMES
        rows["cycle_days"].append(_days(history[-1].at, history[0].at) if closed else None)
        rows["days"].append(None if closed else max(0.0, _days(as_of, history[-1].at)))
        for before, after in itertools.pairwise(history):
            if before.dest in position:
                rows["stay_stages"].append(before.dest)
                rows["stay_days"].append(_days(after.at, before.at))
                rows["stay_deal"].append(row)
    return kept, rows, order


def _health(
    rows: dict[str, list[Any]],
    order: tuple[str, ...],
    currency: str,
    norms: Mapping[str, Any] | None,
) -> FunnelHealth:
    return funnel_health_columns(
        rows["stages"],
        rows["amounts"],
        order=order,
        currency=currency,
        furthest=rows["furthest"],
        cycle_days=rows["cycle_days"],
        ids=rows["ids"],
        days_in_stage=rows["days"],
        stays=(rows["stay_stages"], rows["stay_days"]),
        norms=norms,
    )


def funnel_health(
    deals: Iterable[Deal],
    cycle: Cycle | str,
    *,
    as_of: dt.datetime,
    currency: str,
    fx: FxTable | None = None,
    norms: Mapping[str, Any] | None = None,
) -> FunnelHealth:
    """Funnel health of the deals started in *cycle*, from their stage-change events.

    A stay runs from the event that entered a stage to the next event; the current stay
    of an open deal runs to *as_of*; the cycle length of a closed deal runs from its
    first event to its outcome.
    """
    _, rows, order = _read(deals, cycle, as_of, currency, fx)
    return _health(rows, order, currency, norms)


def funnel_health_by(
    deals: Iterable[Deal],
    cycle: Cycle | str,
    *,
    by: str,
    as_of: dt.datetime,
    currency: str,
    fx: FxTable | None = None,
    norms: Mapping[str, Any] | None = None,
    teams: Mapping[str, str] | None = None,
) -> dict[str | None, FunnelHealth]:
    """Funnel health per ``"owner"``, ``"segment"`` (the account's) or ``"team"``.

    ``"team"`` maps each owner through *teams*; a deal without an owner (or whose owner
    has no team) is grouped under ``None``. Stage norms, when not given, are each
    group's own.
    """
    if by not in ("owner", "segment", "team"):
        raise InvalidData("by", f"expected 'owner', 'segment' or 'team', got {by!r}")
    if by == "team" and teams is None:
        raise InvalidData("teams", "grouping by team needs the owner -> team mapping")
    kept, rows, order = _read(deals, cycle, as_of, currency, fx)

    def key(deal: Deal) -> str | None:
        if by == "segment":
            return str(deal.account.segment.value)
        if by == "team":
            return (teams or {}).get(deal.owner) if deal.owner is not None else None
        return deal.owner

    keys = [key(d) for d in kept]
    result: dict[str | None, FunnelHealth] = {}
    for group in dict.fromkeys(keys):
        picked = [i for i, k in enumerate(keys) if k == group]
        chosen = set(picked)
        part = {
            name: [rows[name][i] for i in picked]
            for name in ("stages", "amounts", "furthest", "cycle_days", "ids", "days")
        }
        stay_rows = [j for j, owner in enumerate(rows["stay_deal"]) if owner in chosen]
        part["stay_stages"] = [rows["stay_stages"][j] for j in stay_rows]
        part["stay_days"] = [rows["stay_days"][j] for j in stay_rows]
        result[group] = _health(part, order, currency, norms)
    return result
