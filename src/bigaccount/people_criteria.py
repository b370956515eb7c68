"""Stage-gate criteria that read the relationship scores of a deal's buying center.

Each factory returns a :class:`~bigaccount.gates.Criterion` whose test reads
``deal.people`` (a :class:`~bigaccount.people.BuyingCenter`) through the scores of
:mod:`bigaccount.scoring.relationship` and :mod:`bigaccount.scoring.fishnet`, with
thresholds a user can change (:class:`RelationshipThresholds`). When a deal has no
people mapped (``deal.people is None``) the criterion falls back to the deal's plain
fact of the same id, so a CRM without people data can still record it by hand.

=========================  =====================================================
criterion id               holds when (people mapped)
=========================  =====================================================
``p3_mid_low_relations``   management and operational levels each have depth ≥
                           ``mid_low`` (approving by default)
``p4_top_relation``        the decision level has depth ≥ ``top`` (trusting)
``p4_fishnet_complete``    the fishing-net map is complete (see
                           :func:`~bigaccount.scoring.fishnet.fishnet`)
``top_decider_favours``    the highest-weight decision-maker is a supporter, or
                           the supporters' influence share > ``majority`` (0.5)
=========================  =====================================================

Decay needs a date: pass ``as_of`` to a factory to let stale relationships count for
less (no hidden "today"); without it rungs count as recorded.

>>> from bigaccount import Account, Deal, Money, Segment
>>> from bigaccount.people import BuyingCenter, Stakeholder
>>> from bigaccount.people_criteria import top_decider_favours
>>> crit = top_decider_favours()
>>> deal = Deal("D-1", Account("Acme", Segment.ENTERPRISE), Money("1", "CNY"))
>>> crit.holds(deal)                      # no people mapped, no fact recorded
False
>>> deal.establish("top_decider_favours")
>>> crit.holds(deal)                      # the plain fact of the same id
True
>>> deal.people = BuyingCenter((Stakeholder("ceo", "王强", "decision", "other",
...                                         "decision_maker", attitude="opponent"),))
>>> crit.holds(deal)                      # the people data now decides
False
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from attrs import field, frozen

from ._validate import day, member, number
from .errors import InvalidData
from .gates import Criterion
from .labels import Label
from .people import BuyingCenter, Level, Rung
from .scoring.fishnet import fishnet
from .scoring.relationship import (
    DEFAULT_DECAY,
    DEFAULT_LEVEL_WEIGHTS,
    DecayPolicy,
    LevelWeights,
    decision_support,
    level_depth,
)

if TYPE_CHECKING:
    from .deal import Deal

__all__ = [
    "DEFAULT_THRESHOLDS",
    "P3_MID_LOW_RELATIONS",
    "P4_FISHNET_COMPLETE",
    "P4_TOP_RELATION",
    "TOP_DECIDER_FAVOURS",
    "RelationshipThresholds",
    "fishnet_complete",
    "mid_low_relations",
    "relationship_criteria",
    "top_decider_favours",
    "top_relation",
]

P3_MID_LOW_RELATIONS = "p3_mid_low_relations"
P4_TOP_RELATION = "p4_top_relation"
P4_FISHNET_COMPLETE = "p4_fishnet_complete"
TOP_DECIDER_FAVOURS = "top_decider_favours"


def _mid_low(value: object) -> Rung:
    return member(Rung, value, "mid_low")


def _top(value: object) -> Rung:
    return member(Rung, value, "top")


def _majority(value: object) -> float:
    result = number(value, "majority")
    if not 0 <= result < 1:
        raise InvalidData("majority", f"expected a number in [0, 1), got {value!r}")
    return result


def _decay(_: object, __: object, value: object) -> None:
    if not isinstance(value, DecayPolicy):
        raise InvalidData("decay", f"expected a DecayPolicy, got {value!r}")


def _weights(_: object, __: object, value: object) -> None:
    if not isinstance(value, LevelWeights):
        raise InvalidData("weights", f"expected LevelWeights, got {value!r}")


@frozen
class RelationshipThresholds:
    """The thresholds the relationship criteria apply.

    Args:
        mid_low: the depth each of the management and operational levels must reach
            for P3 ("good relations with the middle and lower levels"), as a rung:
            depth ≥ ``mid_low.depth``. Default approving (认可, depth 0.5).
        top: the depth the decision level must reach for P4 ("top-level relation strong
            enough to secure the project"). Default trusting (信任, depth 4/6).
        majority: the supporters' influence share of the decision group above which a
            weighted majority favours us. Default 0.5.
        decay: how stale relationships lose weight (applies when ``as_of`` is given).
        weights: the level weights of group depths.
    """

    mid_low: Rung = field(default=Rung.APPROVING, converter=_mid_low)
    top: Rung = field(default=Rung.TRUSTING, converter=_top)
    majority: float = field(default=0.5, converter=_majority)
    decay: DecayPolicy = field(default=DEFAULT_DECAY, validator=_decay)
    weights: LevelWeights = field(default=DEFAULT_LEVEL_WEIGHTS, validator=_weights)


DEFAULT_THRESHOLDS = RelationshipThresholds()
"""Approving for P3, trusting for P4, a simple weighted majority for the funnel."""


_TOLERANCE = 1e-9
"""A mean that equals a rung's depth on paper may miss it by a rounding error."""


def _reaches(value: float, rung: Rung) -> bool:
    return value >= rung.depth - _TOLERANCE


def _mid_low_holds(center: BuyingCenter, t: RelationshipThresholds, as_of: dt.date | None) -> bool:
    for level in (Level.MANAGEMENT, Level.OPERATIONAL):
        depth = level_depth(center, level, as_of, t.decay, t.weights)
        if depth.no_data or not _reaches(depth.value, t.mid_low):
            return False
    return True


def _top_holds(center: BuyingCenter, t: RelationshipThresholds, as_of: dt.date | None) -> bool:
    depth = level_depth(center, Level.DECISION, as_of, t.decay, t.weights)
    return not depth.no_data and _reaches(depth.value, t.top)


def _fishnet_holds(center: BuyingCenter, t: RelationshipThresholds, as_of: dt.date | None) -> bool:
    return fishnet(center, as_of, t.decay).complete


def _favours_holds(center: BuyingCenter, t: RelationshipThresholds, as_of: dt.date | None) -> bool:
    return decision_support(center).favours(t.majority)


_CHECKS = {
    P3_MID_LOW_RELATIONS: _mid_low_holds,
    P4_TOP_RELATION: _top_holds,
    P4_FISHNET_COMPLETE: _fishnet_holds,
    TOP_DECIDER_FAVOURS: _favours_holds,
}


@frozen(repr=False)
class _PeopleTest:
    """The test of a relationship criterion: scores when people are mapped, else the fact."""

    id: str
    thresholds: RelationshipThresholds
    as_of: dt.date | None

    def __call__(self, deal: Deal) -> bool:
        center = deal.people
        if center is None:
            return deal.facts.get(self.id, False) is True
        return _CHECKS[self.id](center, self.thresholds, self.as_of)

    def __repr__(self) -> str:
        dated = f", as_of={self.as_of.isoformat()}" if self.as_of else ""
        return f"relationship({self.id!r}{dated})"


def _criterion(
    id: str,
    label: Label,
    thresholds: RelationshipThresholds,
    as_of: dt.date | dt.datetime | None,
) -> Criterion:
    if not isinstance(thresholds, RelationshipThresholds):
        raise InvalidData("thresholds", f"expected RelationshipThresholds, got {thresholds!r}")
    return Criterion(id, label, _PeopleTest(id, thresholds, day(as_of, "as_of")))


def mid_low_relations(
    thresholds: RelationshipThresholds = DEFAULT_THRESHOLDS,
    *,
    as_of: dt.date | dt.datetime | None = None,
) -> Criterion:
    """P3: good relations with the customer's middle and lower levels."""
    return _criterion(
        P3_MID_LOW_RELATIONS,
        Label("与客户中低层关系良好", "good relations with the customer's middle and lower levels"),
        thresholds,
        as_of,
    )


def top_relation(
    thresholds: RelationshipThresholds = DEFAULT_THRESHOLDS,
    *,
    as_of: dt.date | dt.datetime | None = None,
) -> Criterion:
    """P4: relations with the customer's top level strong enough to secure the project."""
    return _criterion(
        P4_TOP_RELATION,
        Label(
            "与客户高层建立足以保证项目进程的关系",
            "relations with the customer's top level strong enough to secure the project",
        ),
        thresholds,
        as_of,
    )


def fishnet_complete(
    thresholds: RelationshipThresholds = DEFAULT_THRESHOLDS,
    *,
    as_of: dt.date | dt.datetime | None = None,
) -> Criterion:
    """P4: a complete fishing-net map (渔网图) of the customer's key people."""
    return _criterion(
        P4_FISHNET_COMPLETE,
        Label("客户渔网图完整", "complete fishing-net map of the customer's key people"),
        thresholds,
        as_of,
    )


def top_decider_favours(
    thresholds: RelationshipThresholds = DEFAULT_THRESHOLDS,
    *,
    as_of: dt.date | dt.datetime | None = None,
) -> Criterion:
    """KA funnel ENDORSED criterion 3: the highest-weight decision-maker, or a weighted
    majority of the decision group, favours us."""
    return _criterion(
        TOP_DECIDER_FAVOURS,
        Label(
            "最高权重决策人或决策组加权多数倾向我方",
            "the highest-weight decision-maker, or a weighted majority of the decision group,"
            " favours us",
        ),
        thresholds,
        as_of,
    )


def relationship_criteria(
    thresholds: RelationshipThresholds = DEFAULT_THRESHOLDS,
    *,
    as_of: dt.date | dt.datetime | None = None,
) -> tuple[Criterion, ...]:
    """The four relationship criteria, in the order P3, P4 relation, P4 map, funnel."""
    return tuple(
        make(thresholds, as_of=as_of)
        for make in (mid_low_relations, top_relation, fishnet_complete, top_decider_favours)
    )
