"""A user's own win probability for a deal, and the stage it was set in.

An :class:`Override` is what a salesperson or manager says a deal's chance is, against
its stage's. It is recorded with the stage it was set in, so that a stage change never
silently keeps an old number: once the deal leaves that stage the override has expired
(:mod:`bigaccount.analytics.weighting` shows it, and uses the stage probability again).

>>> from bigaccount.analytics.overrides import Override
>>> own = Override("0.6", stage="APPROVED", reason="verbal yes from the CFO")
>>> own.probability, own.stage
(Decimal('0.6000'), 'APPROVED')
>>> Override(1 / 3)
Traceback (most recent call last):
...
bigaccount.errors.InvalidData: override.probability: 0.333... round it with on_grid()
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from attrs import field, frozen

from .._validate import optional_text
from . import _columns as col

__all__ = ["Override"]


def _points_value(value: object) -> Decimal:
    return col.scaled(col.points(value, "override.probability"), 4)


def _stage(_: Any, __: Any, value: Any) -> None:
    optional_text(value, "override.stage")


def _reason(_: Any, __: Any, value: Any) -> None:
    optional_text(value, "override.reason")


@frozen
class Override:
    """A user's own win probability for a deal.

    Args:
        probability: the number, on the basis-point grid.
        stage: the stage it was set in; the override expires when the deal leaves it.
            ``None``: it holds in every stage until removed.
        reason: why, for the record.
    """

    probability: Decimal = field(converter=_points_value)
    stage: str | None = field(default=None, validator=_stage)
    reason: str | None = field(default=None, validator=_reason)
