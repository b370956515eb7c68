"""Salesperson level (销售人员素质等级): four steps, and the glass ceiling between 2 and 3.

The method's four steps (source 000): a junior salesperson sells product (卖产品), a
traditional one sells solutions (卖方案); above the **glass ceiling** (玻璃天花板) a
competitive salesperson sells value (卖价值) and a relationship manager sells
influence (卖影响). The level is read from observed behaviours.

The steps are a staircase (台阶): a step is reached only over the steps below it. A
salesperson who sells influence but neither product, solutions nor value stands on
the first step, not above the glass ceiling.

>>> from bigaccount.scoring.salesperson import SalesBehaviours, assess_salesperson
>>> result = assess_salesperson(SalesBehaviours(product=0.9, solutions=0.7, value=0.3))
>>> result.level.label.zh, result.level.number, result.above_glass_ceiling
('第二级：传统销售员', 2, False)
>>> result.to_develop.label.en, round(result.progress, 2)
('sells value', 0.6)
"""

from __future__ import annotations

from typing import Any

from attrs import Attribute, field, frozen

from .._validate import (
    Rule,
    as_float,
    member,
    optional_member,
    unit,
)
from ..errors import InvalidData
from ..labels import Label, LabelledEnum, label_members

__all__ = [
    "GLASS_CEILING",
    "Behaviour",
    "SalesBehaviours",
    "SalesLevel",
    "SalespersonResult",
    "assess_salesperson",
]

GLASS_CEILING = Label("玻璃天花板", "glass ceiling")
"""The barrier between level 2 (sells solutions) and level 3 (sells value)."""


class Behaviour(LabelledEnum):
    """What a salesperson sells, one behaviour per level."""

    PRODUCT = "product"
    SOLUTIONS = "solutions"
    VALUE = "value"
    INFLUENCE = "influence"


label_members(
    Behaviour,
    {
        Behaviour.PRODUCT: Label("卖产品", "sells product"),
        Behaviour.SOLUTIONS: Label("卖方案", "sells solutions"),
        Behaviour.VALUE: Label("卖价值", "sells value"),
        Behaviour.INFLUENCE: Label("卖影响", "sells influence"),
    },
)


class SalesLevel(LabelledEnum):
    """The four levels of a salesperson, lowest first."""

    JUNIOR = "junior"
    TRADITIONAL = "traditional"
    COMPETITIVE = "competitive"
    RELATIONSHIP_MANAGER = "relationship_manager"

    @property
    def number(self) -> int:
        """1 to 4."""
        return list(SalesLevel).index(self) + 1

    @property
    def sells(self) -> Behaviour:
        """The behaviour that marks the level."""
        return list(Behaviour)[self.number - 1]

    @property
    def above_glass_ceiling(self) -> bool:
        """Whether the level lies above the glass ceiling (levels 3 and 4)."""
        return self.number >= 3


label_members(
    SalesLevel,
    {
        SalesLevel.JUNIOR: Label("第一级：初级销售员", "level 1: junior salesperson"),
        SalesLevel.TRADITIONAL: Label("第二级：传统销售员", "level 2: traditional salesperson"),
        SalesLevel.COMPETITIVE: Label(
            "第三级：有竞争力的销售员", "level 3: competitive salesperson"
        ),
        SalesLevel.RELATIONSHIP_MANAGER: Label(
            "第四级：关系经理人", "level 4: relationship manager"
        ),
    },
)


def _share(_: Any, attribute: Attribute[float], value: float) -> None:
    unit(value, f"behaviours.{attribute.name}")


@frozen
class SalesBehaviours:
    """How consistently each behaviour is observed, as a share of customer contacts in [0, 1].

    Args:
        product: presents and sells the product's features and price.
        solutions: sells a solution to the customer's problem.
        value: sells the value to the customer's business (benefit over cost).
        influence: sells through influence — trust at the decision level, shaping the
            customer's agenda.
    """

    product: float = field(default=0.0, converter=as_float, validator=_share)
    solutions: float = field(default=0.0, converter=as_float, validator=_share)
    value: float = field(default=0.0, converter=as_float, validator=_share)
    influence: float = field(default=0.0, converter=as_float, validator=_share)

    def share(self, behaviour: Behaviour) -> float:
        """The observed share of *behaviour* (a :class:`Behaviour` or its value)."""
        return float(getattr(self, member(Behaviour, behaviour, "behaviour").value))


def _level(value: object) -> SalesLevel:
    return member(SalesLevel, value, "level")


def _to_develop(value: object) -> Behaviour | None:
    return optional_member(Behaviour, value, "to_develop")


def _threshold(value: object, field: str) -> float:
    theta = unit(value, field)
    if theta == 0:
        raise InvalidData(field, "must be above 0")
    return theta


@frozen
class SalespersonResult:
    """A salesperson's level and the next step.

    Attributes:
        level: the level reached.
        to_develop: the lowest behaviour not yet shown — the next level's, or selling
            product when even that is not shown (``None`` at level 4).
        progress: how far that behaviour is toward the threshold, in [0, 1] (1 at level 4).
        threshold: the share a behaviour needs to count as shown.
    """

    level: SalesLevel = field(converter=_level)
    to_develop: Behaviour | None = field(converter=_to_develop)
    progress: float = field(converter=as_float, validator=Rule(unit))
    threshold: float = field(converter=as_float, validator=Rule(_threshold))

    @property
    def above_glass_ceiling(self) -> bool:
        """Whether the salesperson is above the glass ceiling."""
        return self.level.above_glass_ceiling

    @property
    def next_level(self) -> SalesLevel | None:
        """The level above (``None`` at level 4)."""
        levels = list(SalesLevel)
        return levels[self.level.number] if self.level.number < len(levels) else None


def assess_salesperson(observed: SalesBehaviours, threshold: float = 0.5) -> SalespersonResult:
    """The salesperson's level from observed behaviours.

    With ``b_k`` the observed share of level *k*'s behaviour (1 product, 2 solutions,
    3 value, 4 influence) and ``θ`` the threshold (default 0.5), a behaviour is *shown*
    when ``b_k >= θ``. The levels are steps climbed in order:

    * ``level = max({1} ∪ {k : b_j >= θ for every j <= k})`` — the highest level whose
      behaviour is shown together with the behaviour of every level below it; every
      salesperson is at least level 1;
    * ``to_develop`` is the lowest behaviour not shown (the next level's behaviour, or
      product when not even product is shown); ``progress = min(b / θ, 1)`` for it, in
      [0, 1] (1 at level 4, with nothing left to develop).

    A higher share of any behaviour never lowers the level.

    Raises:
        InvalidData: *observed* is not a :class:`SalesBehaviours`, or the threshold is
            not in (0, 1].

    >>> from bigaccount.scoring.salesperson import SalesBehaviours, assess_salesperson
    >>> assess_salesperson(SalesBehaviours(0.9, 0.8, 0.6)).above_glass_ceiling
    True
    >>> lone = assess_salesperson(SalesBehaviours(influence=0.9))
    >>> lone.level.number, lone.to_develop.value
    (1, 'product')
    """
    if not isinstance(observed, SalesBehaviours):
        raise InvalidData("observed", f"expected SalesBehaviours, got {observed!r}")
    theta = _threshold(threshold, "threshold")
    levels = list(SalesLevel)
    gap: Behaviour | None = None
    for behaviour in Behaviour:
        if observed.share(behaviour) < theta:
            gap = behaviour
            break
    if gap is None:
        return SalespersonResult(levels[-1], None, 1.0, theta)
    reached = max(list(Behaviour).index(gap), 1)
    progress = min(observed.share(gap) / theta, 1.0)
    return SalespersonResult(levels[reached - 1], gap, progress, theta)
