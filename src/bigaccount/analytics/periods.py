"""Forecast periods: months and quarters of expected close, and the rolling horizon over them.

A rolling forecast (滚动销售预测, source 001) looks a fixed number of periods ahead of
an as-of date and moves with it. Periods are numbered by a plain integer *code* so that
columns can carry them cheaply: a month is ``year × 12 + month − 1``, a quarter
``year × 4 + (month − 1) // 3``. A date falls before the horizon (overdue), inside it,
after it, or has no expected close at all (undated); a forecast reports all four.

>>> import datetime as dt
>>> from bigaccount.analytics.periods import Horizon, PeriodUnit
>>> horizon = Horizon.rolling(dt.date(2017, 11, 15), 3)
>>> [p.label for p in horizon.periods]
['2017-11', '2017-12', '2018-01']
>>> Horizon(dt.date(2017, 1, 1), 4, PeriodUnit.QUARTER).periods[-1].label
'2017Q4'
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from attrs import field, frozen

from .._validate import member
from ..errors import InvalidData
from ..labels import Label, LabelledEnum, label_members

__all__ = ["Horizon", "Period", "PeriodUnit", "bins", "month_code"]


class PeriodUnit(LabelledEnum):
    """The length of a forecast period."""

    MONTH = "month"
    QUARTER = "quarter"


label_members(
    PeriodUnit,
    {PeriodUnit.MONTH: Label("月", "month"), PeriodUnit.QUARTER: Label("季度", "quarter")},
)


def month_code(day: dt.date) -> int:
    """The month of *day* as ``year × 12 + month − 1`` (numpy's ``datetime64[M]`` + 23 640)."""
    return day.year * 12 + day.month - 1


def _unit(value: object) -> PeriodUnit:
    return member(PeriodUnit, value, "unit")


@frozen
class Period:
    """One month or quarter, by its code (see the module docstring)."""

    unit: PeriodUnit = field(converter=_unit)
    code: int

    @classmethod
    def of(cls, day: dt.date, unit: PeriodUnit | str = PeriodUnit.MONTH) -> Period:
        """The period *day* falls in."""
        unit = _unit(unit)
        month = month_code(day)
        return cls(unit, month if unit is PeriodUnit.MONTH else month // 3)

    @property
    def start(self) -> dt.date:
        """The first day of the period."""
        month = self.code if self.unit is PeriodUnit.MONTH else self.code * 3
        return dt.date(month // 12, month % 12 + 1, 1)

    @property
    def label(self) -> str:
        """``"2017-03"`` for a month, ``"2017Q1"`` for a quarter."""
        if self.unit is PeriodUnit.MONTH:
            return f"{self.code // 12:04d}-{self.code % 12 + 1:02d}"
        return f"{self.code // 4:04d}Q{self.code % 4 + 1}"

    def __str__(self) -> str:
        return self.label


def _start(_: Any, __: Any, value: Any) -> None:
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        raise InvalidData("horizon.start", f"expected a date, got {value!r}")


def _count(_: Any, __: Any, value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise InvalidData(
            "horizon.count", f"expected a whole number of periods >= 1, got {value!r}"
        )


@frozen
class Horizon:
    """*count* consecutive periods of *unit*, the first containing *start*.

    Args:
        start: a day in the first period (an as-of date for a rolling forecast).
        count: how many periods the forecast covers.
        unit: months or quarters.
    """

    start: dt.date = field(validator=_start)
    count: int = field(validator=_count)
    unit: PeriodUnit = field(default=PeriodUnit.MONTH, converter=_unit)

    @classmethod
    def rolling(
        cls, as_of: dt.date, count: int = 12, unit: PeriodUnit | str = PeriodUnit.MONTH
    ) -> Horizon:
        """The *count* periods from the one containing *as_of* (a rolling forecast)."""
        return cls(as_of, count, _unit(unit))

    @property
    def first(self) -> int:
        """The code of the first period."""
        return Period.of(self.start, self.unit).code

    @property
    def periods(self) -> tuple[Period, ...]:
        """The periods, in order."""
        first = self.first
        return tuple(Period(self.unit, first + i) for i in range(self.count))

    def code(self, day: dt.date) -> int:
        """The code of the period *day* falls in (in this horizon's unit)."""
        month = month_code(day)
        return month if self.unit is PeriodUnit.MONTH else month // 3


def bins(closes: Sequence[Any], horizon: Horizon) -> list[int]:
    """The bin of each close: 0 overdue, 1 … count the periods, count + 1 later, + 2 undated.

    *closes* are dates (``None`` for undated) or integer month codes
    (:func:`~bigaccount.analytics.periods.month_code`); each distinct value is placed once.
    """
    kinds = set(map(type, closes)) - {type(None)}
    if kinds and not (kinds == {dt.date} or kinds == {int}):
        names = ", ".join(sorted(k.__name__ for k in kinds))
        raise InvalidData("closes", f"expected dates (or None) or integer month codes, got {names}")
    first, count = horizon.first, horizon.count
    quarter = horizon.unit is PeriodUnit.QUARTER
    table: dict[Any, int] = {}
    for close in set(closes):
        if close is None:
            table[close] = count + 2
            continue
        code = month_code(close) if isinstance(close, dt.date) else close
        offset = (code // 3 if quarter else code) - first
        table[close] = 0 if offset < 0 else (offset + 1 if offset < count else count + 1)
    return list(map(table.__getitem__, closes))
