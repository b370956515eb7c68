"""Salesperson level (销售人员素质等级): four steps, and the glass ceiling between 2 and 3.

The method's four steps (seed 000): a junior salesperson sells product (卖产品), a
traditional one sells solutions (卖方案); above the **glass ceiling** (玻璃天花板) a
competitive salesperson sells value (卖价值) and a relationship manager sells
influence (卖影响). The level is read from observed behaviours.

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

from ..errors import InvalidData
from ..labels import Label, LabelledEnum, label_members
from .swot import _as_float, _number, _unit

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
    _unit(value, f"behaviours.{attribute.name}")


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

    product: float = field(default=0.0, converter=_as_float, validator=_share)
    solutions: float = field(default=0.0, converter=_as_float, validator=_share)
    value: float = field(default=0.0, converter=_as_float, validator=_share)
    influence: float = field(default=0.0, converter=_as_float, validator=_share)

    def share(self, behaviour: Behaviour) -> float:
        """The observed share of *behaviour*."""
        return float(getattr(self, Behaviour(behaviour).value))


@frozen
class SalespersonResult:
    """A salesperson's level and the next step.

    Attributes:
        level: the level reached.
        to_develop: the behaviour of the next level (``None`` at level 4).
        progress: how far that behaviour is toward the threshold, in [0, 1] (1 at level 4).
        threshold: the share a behaviour needs to count as shown.
    """

    level: SalesLevel
    to_develop: Behaviour | None
    progress: float
    threshold: float

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
    3 value, 4 influence) and ``θ`` the threshold (default 0.5):

    * ``level = max({1} ∪ {k : b_k >= θ})`` — the highest level whose behaviour is
      shown in at least a share θ of contacts; every salesperson is at least level 1;
    * ``progress = min(b_{level+1} / θ, 1)``, in [0, 1] (1 at level 4).

    A higher share of any behaviour never lowers the level.

    Raises:
        InvalidData: the threshold is not in (0, 1].

    >>> from bigaccount.scoring.salesperson import SalesBehaviours, assess_salesperson
    >>> assess_salesperson(SalesBehaviours(value=0.6)).above_glass_ceiling
    True
    """
    theta = _unit(_number(threshold, "threshold"), "threshold")
    if theta == 0:
        raise InvalidData("threshold", "must be above 0")
    levels = list(SalesLevel)
    reached = 1
    for k, behaviour in enumerate(Behaviour, start=1):
        if observed.share(behaviour) >= theta:
            reached = k
    level = levels[reached - 1]
    if reached == len(levels):
        return SalespersonResult(level, None, 1.0, theta)
    nxt = list(Behaviour)[reached]
    return SalespersonResult(level, nxt, min(observed.share(nxt) / theta, 1.0), theta)
