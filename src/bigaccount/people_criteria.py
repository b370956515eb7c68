"""Stage-gate criteria that read the relationship scores of a deal's buying center.

Each criterion reads ``evidence.people`` (a :class:`~bigaccount.people.BuyingCenter`)
through the scores of :mod:`bigaccount.scoring.relationship` and
:mod:`bigaccount.scoring.fishnet`, with the thresholds in force in the evaluation
context (:class:`RelationshipThresholds`, a setting of
:class:`~bigaccount.context.Context`; the defaults otherwise). When the context names
an ``as_of`` moment (``deal.advance("advancement", as_of=...)``), relationships not
refreshed for long before it count for less. When no people are mapped
(``people is None``) the criterion falls back to the plain fact of the same id, so a
CRM without people data can still record it by hand.

=========================  =====================================================
criterion id               holds when (people mapped)
=========================  =====================================================
``p3_mid_low_relations``   management and operational levels each have depth ≥
                           ``mid_low`` (approving by default)
``p4_top_relation``        the decision level has depth ≥ ``top`` (trusting)
``p4_fishnet_complete``    the fishing-net map is complete (see
                           :func:`~bigaccount.scoring.fishnet.fishnet`)
``top_decider_favours``    among the decision-makers of the largest weight, a
                           head-count majority supports us
=========================  =====================================================

>>> from bigaccount import Account, Deal, Money, Segment
>>> from bigaccount.people import BuyingCenter, Stakeholder
>>> from bigaccount.people_criteria import TOP_DECIDER_FAVOURS as crit
>>> import datetime as dt
>>> t = dt.datetime(2026, 3, 2, tzinfo=dt.timezone.utc)
>>> deal = Deal("D-1", Account("Acme", Segment.ENTERPRISE), Money("1", "CNY"))
>>> crit.holds(deal)                      # no people mapped, no fact recorded
False
>>> _ = deal.establish("top_decider_favours", at=t)
>>> crit.holds(deal)                      # the plain fact of the same id
True
>>> deal.people = BuyingCenter((Stakeholder("ceo", "王强", "decision", "other",
...                                         "decision_maker", attitude="opponent"),))
>>> crit.holds(deal)                      # the people data now decides
False
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from attrs import field, frozen

from ._validate import member
from .context import Context
from .criteria import register_criterion
from .errors import InvalidData
from .evidence import Evidence
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

__all__ = [
    "DEFAULT_THRESHOLDS",
    "FISHNET_COMPLETE",
    "KEY_PERSON_PROFILES",
    "MID_LEVEL_AND_MAP",
    "MID_LOW_RELATIONS",
    "RELATIONSHIP_CRITERIA",
    "TOP_DECIDER_FAVOURS",
    "TOP_RELATION",
    "RelationshipThresholds",
]


def _mid_low(value: object) -> Rung:
    return member(Rung, value, "mid_low")


def _top(value: object) -> Rung:
    return member(Rung, value, "top")


def _decay(_: object, __: object, value: object) -> None:
    if not isinstance(value, DecayPolicy):
        raise InvalidData("decay", f"expected a DecayPolicy, got {value!r}")


def _weights(_: object, __: object, value: object) -> None:
    if not isinstance(value, LevelWeights):
        raise InvalidData("weights", f"expected LevelWeights, got {value!r}")


@frozen
class RelationshipThresholds:
    """The thresholds the relationship criteria apply: a setting of the evaluation context.

    >>> import datetime as dt
    >>> from bigaccount import Context
    >>> from bigaccount.people import Rung
    >>> strict = Context(settings=[RelationshipThresholds(top=Rung.FRIENDS)])

    Pass ``context=strict`` to a move or a check to apply them; no cycle is rebuilt.

    Args:
        mid_low: the depth each of the management and operational levels must reach
            for P3 ("good relations with the middle and lower levels"), as a rung:
            depth ≥ ``mid_low.depth``. Default approving (认可, depth 0.5).
        top: the depth the decision level must reach for P4 ("top-level relation strong
            enough to secure the project"). Default trusting (信任, depth 4/6).
        decay: how stale relationships lose weight toward the as-of moment.
        weights: the level weights of group depths.
    """

    mid_low: Rung = field(default=Rung.APPROVING, converter=_mid_low)
    top: Rung = field(default=Rung.TRUSTING, converter=_top)
    decay: DecayPolicy = field(default=DEFAULT_DECAY, validator=_decay)
    weights: LevelWeights = field(default=DEFAULT_LEVEL_WEIGHTS, validator=_weights)


DEFAULT_THRESHOLDS = RelationshipThresholds()
"""Approving for P3, trusting for P4, the default decay and level weights."""


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
    return decision_support(center).favours()


_Check = Callable[[BuyingCenter, RelationshipThresholds, "dt.date | None"], bool]


@frozen(repr=False)
class _PeopleTest:
    """The test of a relationship criterion: scores when people are mapped, else the fact."""

    id: str
    check: _Check

    def __call__(self, evidence: Evidence, context: Context) -> bool:
        center = evidence.people
        if center is None:
            fact = evidence.facts.get(self.id)
            return fact is not None and fact.value is True
        if not isinstance(center, BuyingCenter):
            raise InvalidData("people", f"expected a BuyingCenter, got {center!r}")
        thresholds = context.setting(RelationshipThresholds, DEFAULT_THRESHOLDS)
        as_of = context.as_of.date() if context.as_of is not None else None
        return self.check(center, thresholds, as_of)

    def __repr__(self) -> str:
        return f"relationship({self.id!r})"


def _criterion(id: str, zh: str, en: str, check: _Check) -> Criterion:
    return Criterion(id, Label(zh, en), _PeopleTest(id, check))


MID_LOW_RELATIONS = _criterion(
    "p3_mid_low_relations",
    "中低层客户关系良好",
    "good relations with the customer's middle and lower levels",
    _mid_low_holds,
)
"""P3: good relations with the customer's middle and lower levels."""

TOP_RELATION = _criterion(
    "p4_top_relation",
    "与客户高层建立足以保证项目进程的关系",
    "relations with the customer's top level strong enough to secure the project",
    _top_holds,
)
"""P4: relations with the customer's top level strong enough to secure the project."""

FISHNET_COMPLETE = _criterion(
    "p4_fishnet_complete",
    "客户渔网图完整",
    "complete fishing-net map of the customer's key people",
    _fishnet_holds,
)
"""P4: a complete fishing-net map (渔网图) of the customer's key people."""

TOP_DECIDER_FAVOURS = _criterion(
    "top_decider_favours",
    "客户方最大决策权重者或平均权重决策中多数票对我们认可",
    "the customer's decision-maker of the largest weight favours us, or, where the "
    "decision-makers weigh the same, a majority of them by head count does",
    _favours_holds,
)
"""KA funnel ENDORSED criterion 3.

See :meth:`~bigaccount.scoring.relationship.DecisionSupport.favours`.
"""

KEY_PERSON_PROFILES = Criterion.fact(
    "key_person_profiles", "重点客户档案表齐备", "key-person profiles kept"
)
"""P4: part of the fishing-net node; a plain fact, since the profiles are personal data."""


@frozen(repr=False)
class _AllParts:
    """A node made of parts: with people mapped, every part holds; without, its own fact."""

    id: str
    parts: tuple[Criterion, ...]

    def __call__(self, evidence: Evidence, context: Context) -> bool:
        if evidence.people is None:
            fact = evidence.facts.get(self.id)
            return fact is not None and fact.value is True
        return all(part.test(evidence, context) is True for part in self.parts)

    def __repr__(self) -> str:
        return f"people({self.id!r}: {' and '.join(p.id for p in self.parts)})"


MID_LEVEL_AND_MAP = Criterion(
    "p4_mid_level_and_map",
    Label(
        "中层客户关系维系牢固，完整的客户渔网图和重点客户档案表",
        "middle-level relations kept solid, with a complete fishing-net map and "
        "key-person profiles",
    ),
    _AllParts("p4_mid_level_and_map", (MID_LOW_RELATIONS, FISHNET_COMPLETE, KEY_PERSON_PROFILES)),
)
"""P4: middle level solid, a complete fishing-net map (渔网图) and key-person profiles."""

RELATIONSHIP_CRITERIA = (
    MID_LOW_RELATIONS,
    TOP_RELATION,
    FISHNET_COMPLETE,
    TOP_DECIDER_FAVOURS,
    MID_LEVEL_AND_MAP,
)
"""The relationship criteria: P3, P4 relation, P4 map, the funnel's ENDORSED 3, P4's node."""

for _item in RELATIONSHIP_CRITERIA:
    register_criterion(_item)
