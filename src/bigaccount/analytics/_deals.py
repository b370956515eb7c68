"""The object path: deals read into the columns the analytics take. Private.

One pass over the deals per question, reading only what the question needs; nothing is
kept between questions and nothing is turned into arrays.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from attrs import define

from ..errors import CurrencyMismatch, InvalidData
from ..money import Money
from . import _columns as col

if TYPE_CHECKING:
    from ..cycle import Cycle
    from ..deal import Deal
    from .fx import FxTable
    from .overrides import Override

WON, LOST, STALLED = "WON", "LOST", "STALLED"
OUTCOMES = frozenset((WON, LOST, STALLED))


def resolve(cycle: Cycle | str) -> Cycle:
    """The cycle itself, or the registered cycle of that name."""
    if isinstance(cycle, str):
        from ..registry import get_cycle

        return get_cycle(cycle)
    return cycle


def state_points(cycle: Cycle) -> dict[str, int]:
    """Basis points of every state of *cycle* (a stage without a probability counts 0)."""
    table: dict[str, int] = {}
    for state in (*(s.id for s in cycle.stages), WON, LOST, STALLED):
        p = cycle.probability(state)
        table[state] = 0 if p is None else col.points(p, f"{cycle.name}.{state}.probability")
    return table


def converter(currency: str, fx: FxTable | None) -> Any:
    """A function turning a deal's Money into a ``Decimal`` of *currency*, or refusing."""
    currency = Money(0, currency).currency
    if fx is not None and fx.into != currency:
        raise InvalidData("fx", f"the FX table converts into {fx.into}, not {currency}")

    def convert(amount: Money) -> Decimal:
        if amount.currency == currency:
            return amount.amount
        if fx is None:
            raise CurrencyMismatch(amount.currency, currency, "forecast (give an FxTable)")
        return fx.convert(amount).amount

    return convert


def close_of(deal: Deal, state: str, last_at: dt.datetime | None) -> dt.date | None:
    """Where a deal is placed in time: the outcome's date once closed, else its expected close."""
    if state in OUTCOMES and last_at is not None:
        return last_at.date()
    return deal.expected_close


@define
class DealRows:
    """The forecast columns of the deals started in a cycle (lost and stalled left out)."""

    ids: list[str]
    amounts: list[Decimal]
    points: list[Decimal]
    closes: list[dt.date | None]


def read_deals(
    deals: Iterable[Deal],
    cycle: Cycle | str,
    *,
    currency: str,
    fx: FxTable | None = None,
    probabilities: Mapping[str, Any] | None = None,
) -> DealRows:
    """Amounts, probabilities (as ``Decimal`` basis points) and closes of open and won deals."""
    c = resolve(cycle)
    table = {state: Decimal(p) for state, p in state_points(c).items()}
    own = {
        key: Decimal(col.points(v, f"probabilities[{key!r}]"))
        for key, v in (probabilities or {}).items()
    }
    convert = converter(currency, fx)
    name = c.name
    ids: list[str] = []
    amounts: list[Decimal] = []
    pts: list[Decimal] = []
    closes: list[dt.date | None] = []
    for deal in deals:
        track = deal.tracks.get(name)
        if track is None:
            continue
        state = track.state
        if state in (LOST, STALLED):
            continue
        ids.append(deal.id)
        amounts.append(convert(deal.amount))
        if state == WON:
            pts.append(table[WON])
            closes.append(track.last_change.at.date())  # type: ignore[union-attr]
        else:
            pts.append(own.get(deal.id, table[state]) if own else table[state])
            closes.append(deal.expected_close)
    return DealRows(ids, amounts, pts, closes)


@define
class SignalRows:
    """The weighting columns of the deals started in a cycle."""

    ids: list[str]
    stage_probabilities: list[Decimal]
    settled: list[bool]
    overrides: list[Decimal | None]
    expired: list[Decimal | None]
    signals: dict[str, list[Any]]


def _gate_share(deal: Deal, cycle: Cycle) -> float | None:
    check = deal.check(cycle, "advance")
    held = sum(len(r.held) for r in check.reports)
    needed = sum(r.needed for r in check.reports)
    if not check.reports or held + needed == 0:
        return None if not check.reports else 1.0
    return min(1.0, held / (held + needed))


def _relationship(deal: Deal) -> float | None:
    if deal.people is None:
        return None
    from ..scoring.relationship import account_depth

    depth = account_depth(deal.people)
    return None if depth.no_data else depth.value


def read_signals(
    deals: Iterable[Deal],
    cycle: Cycle | str,
    *,
    as_of: dt.datetime,
    overrides: Mapping[str, Override],
    wanted: Collection[str],
    norms: Mapping[str, float] | None,
) -> SignalRows:
    """Stage probabilities, outcomes, overrides and the *wanted* signals of each deal."""
    if not isinstance(as_of, dt.datetime) or as_of.utcoffset() is None:
        raise InvalidData("as_of", f"a timezone-aware datetime is required, got {as_of!r}")
    c = resolve(cycle)
    table = state_points(c)
    rows = SignalRows([], [], [], [], [], {key: [] for key in wanted})
    for deal in deals:
        track = deal.tracks.get(c.name)
        if track is None:
            continue
        state = track.state
        rows.ids.append(deal.id)
        rows.stage_probabilities.append(col.scaled(table[state], 4))
        rows.settled.append(state in OUTCOMES)
        override = overrides.get(deal.id)
        applies = override is not None and override.stage in (None, state)
        rows.overrides.append(override.probability if applies and override else None)
        rows.expired.append(override.probability if override and not applies else None)
        open_stage = state not in OUTCOMES
        for key, column in rows.signals.items():
            value: Any = None
            if open_stage and key == "gate_share":
                value = _gate_share(deal, c)
            elif open_stage and key == "relationship":
                value = _relationship(deal)
            elif open_stage and key == "competitor":
                value = bool(deal.competitors)
            elif open_stage and key == "stage_overrun" and norms and state in norms:
                last = track.last_change
                if last is not None and norms[state] > 0:
                    days = (as_of - last.at).total_seconds() / 86400
                    value = max(0.0, days) / float(norms[state])
            column.append(value)
    return rows
