"""Relationship scores of a buying center: depth, coverage, decision support, decay.

Every function here is pure: it reads a :class:`~bigaccount.people.BuyingCenter` (and an
explicit ``as_of`` date when relationships should decay) and returns a frozen value.
Scores lie in [0, 1], never depend on the order of the stakeholders, never fall when
one person's rung rises, and never read personal data. A score over nobody (an empty
account, a level with no one on it) is 0 with ``no_data=True`` — not a division error.

The formulas:

* **rung depth** ``r = step / 6``: unknown 0, 认识 acquainted 1/6 … 合作 partners 1 —
  the source's ladder in equal steps.
* **freshness** ``f = 1`` while the last contact is at most ``grace_days`` old, then
  ``0.5 ** ((age - grace_days) / half_life_days)``; ``undated`` when no contact date is
  recorded; 1 when no ``as_of`` date is given (no decay).
* **person depth** ``d = r × f``.
* **group depth** (a level, a function, the account) is the weighted mean
  ``Σ wᵢ·dᵢ / Σ wᵢ`` with ``wᵢ = influenceᵢ × level weight`` (decision 3, management 2,
  operational 1 by default) — people who decide, and who weigh more, count more.
* **coverage** is the share of the level × function grid (3 × 3 by default) where at
  least one person stands at or above a rung (acquainted by default) after decay.
* **decision support** (the KA funnel's ENDORSED criterion 3, 最大决策权重者或平均权重决策中
  多数票对我们认可) holds when a strict head-count majority of the decision-makers tied at
  the largest influence are supporters; the influence-weighted shares of supporters and
  opponents are kept beside it as information.

>>> from bigaccount.people import BuyingCenter, Stakeholder
>>> from bigaccount.scoring.relationship import account_depth, level_depth
>>> center = BuyingCenter((
...     Stakeholder("ceo", "王强", "decision", "other", "decision_maker", rung="familiar"),
...     Stakeholder("cio", "李娜", "management", "technical", "influencer", rung="trusting"),
... ))
>>> round(account_depth(center).value, 3)  # (3·2/6 + 2·4/6) / (3 + 2)
0.467
>>> level_depth(center, "operational")
Depth(value=0.0, people=0, weight=0.0, no_data=True)
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from typing import Any

from attrs import field, frozen

from .._validate import (
    Rule,
    as_float,
    day,
    flag,
    instances,
    many_of,
    member,
    non_negative,
    number,
    of_kind,
    optional_whole,
    texts,
    to_tuple,
    total_of,
    trusted,
    unit,
    whole,
)
from ..errors import InvalidData
from ..labels import Label
from ..people import (
    Attitude,
    BuyingCenter,
    BuyingRole,
    Function,
    Level,
    Rung,
    Stakeholder,
    _function,
    _level,
)

__all__ = [
    "DEFAULT_DECAY",
    "DEFAULT_LEVEL_WEIGHTS",
    "GRID_FUNCTIONS",
    "Coverage",
    "CoverageCell",
    "DecayPolicy",
    "DecisionSupport",
    "Depth",
    "Gap",
    "LevelWeights",
    "RelationshipScores",
    "account_depth",
    "coverage",
    "decision_support",
    "depth_of",
    "freshness",
    "function_depth",
    "level_depth",
    "person_depth",
    "relationship_scores",
]

GRID_FUNCTIONS = (Function.USER, Function.TECHNICAL, Function.FINANCE)
"""The functions of the coverage grid by default: the three of source 002."""


# -- configuration ---------------------------------------------------------------------


def _days(value: object) -> int:
    return whole(value, "grace_days")


def _positive(value: object) -> float:
    result = number(value, "half_life_days")
    if result <= 0:
        raise InvalidData("half_life_days", f"expected a finite number > 0, got {value!r}")
    return result


def _undated(value: object) -> float:
    return unit(value, "undated")


@frozen
class DecayPolicy:
    """How a relationship not refreshed by contact loses weight.

    A rung counts fully for ``grace_days`` after the last contact, then halves every
    ``half_life_days``: ``f = 0.5 ** ((age − grace) / half_life)``. A person with no
    recorded contact date counts at ``undated``. Stale relations thus stop propping up
    the scores (and the gates and forecasts built on them).

    Args:
        grace_days: days a contact keeps a rung fully fresh (default 90: a quarter).
        half_life_days: days after the grace period in which a rung's weight halves
            (default 90).
        undated: the freshness of a relationship with no contact date (default 0.5).

    >>> policy = DecayPolicy(grace_days=30, half_life_days=60)
    >>> policy.factor(30), policy.factor(90), policy.factor(None)
    (1.0, 0.5, 0.5)
    """

    grace_days: int = field(default=90, converter=_days)
    half_life_days: float = field(default=90.0, converter=_positive)
    undated: float = field(default=0.5, converter=_undated)

    def factor(self, age_days: int | None) -> float:
        """The freshness after *age_days* without contact (``None``: no date known).

        Raises:
            InvalidData: *age_days* is not ``None`` or a whole number of days ``>= 0``.
        """
        return self._factor(optional_whole(age_days, "age_days"))

    def _factor(self, age_days: int | None) -> float:
        if age_days is None:
            return self.undated
        excess = age_days - self.grace_days
        if excess <= 0:
            return 1.0
        return float(0.5 ** (excess / self.half_life_days))


DEFAULT_DECAY = DecayPolicy()
"""90 days of grace, then the rung halves every 90 days; undated relations count half."""


def _weight_decision(value: object) -> float:
    return _weight("decision", value)


def _weight_management(value: object) -> float:
    return _weight("management", value)


def _weight_operational(value: object) -> float:
    return _weight("operational", value)


def _weight(name: str, value: object) -> float:
    return non_negative(value, name)


@frozen
class LevelWeights:
    """How much a person's level multiplies their influence in group scores.

    Defaults 3 : 2 : 1 — the decision level decides ("each appearance decides", source
    002), and salespeople who stay with the lower levels do not win (source 002).
    """

    decision: float = field(default=3.0, converter=_weight_decision)
    management: float = field(default=2.0, converter=_weight_management)
    operational: float = field(default=1.0, converter=_weight_operational)

    def of(self, level: Level | str) -> float:
        """The weight of *level* (a :class:`~bigaccount.people.Level` or its value)."""
        wanted = member(Level, level, "level")
        if wanted is Level.DECISION:
            return self.decision
        if wanted is Level.MANAGEMENT:
            return self.management
        return self.operational


DEFAULT_LEVEL_WEIGHTS = LevelWeights()
"""Decision 3, management 2, operational 1."""


# -- one person ------------------------------------------------------------------------


def _as_of(value: dt.date | dt.datetime | None) -> dt.date | None:
    return day(value, "as_of")


def _check(value: object, kind: type, field: str) -> None:
    if not isinstance(value, kind):
        raise InvalidData(field, f"expected a {kind.__name__}, got {value!r}")


def freshness(
    person: Stakeholder,
    as_of: dt.date | dt.datetime | None = None,
    decay: DecayPolicy = DEFAULT_DECAY,
) -> float:
    """How fresh our relationship with *person* is on *as_of*, in [0, 1].

    ``1`` without ``as_of`` (no decay), else ``decay.factor(age in days)``; a contact
    dated after ``as_of`` counts as fresh.

    >>> import datetime as dt
    >>> p = Stakeholder("a", "A", "management", "user", "user", rung="trusting",
    ...                 last_contact=dt.date(2026, 1, 1))
    >>> freshness(p, dt.date(2026, 3, 1)), freshness(p, dt.date(2026, 6, 30))
    (1.0, 0.5)
    """
    _check(person, Stakeholder, "person")
    _check(decay, DecayPolicy, "decay")
    when = _as_of(as_of)
    if when is None:
        return 1.0
    if person.last_contact is None:
        return decay._factor(None)
    return decay._factor(max((when - person.last_contact).days, 0))


def person_depth(
    person: Stakeholder,
    as_of: dt.date | dt.datetime | None = None,
    decay: DecayPolicy = DEFAULT_DECAY,
) -> float:
    """The depth of our relationship with one person: ``rung.depth × freshness``, in [0, 1].

    >>> person_depth(Stakeholder("a", "A", "decision", "finance", "decision_maker",
    ...                          rung="approving"))
    0.5
    """
    fresh = freshness(person, as_of, decay)
    return person.rung.depth * fresh


# -- groups ----------------------------------------------------------------------------


@frozen
class Depth:
    """The depth of our relationships with a group of people.

    Attributes:
        value: the weighted mean depth ``Σ wᵢ·dᵢ / Σ wᵢ`` in [0, 1]; 0 when ``no_data``.
        people: how many people the group holds.
        weight: ``Σ wᵢ``, the total weight behind the value.
        no_data: ``True`` when the group carries no weight (nobody, or only people of
            zero influence): the value says nothing then.
    """

    value: float = field(converter=as_float, validator=Rule(unit))
    people: int = field(validator=Rule(whole))
    weight: float = field(converter=as_float, validator=Rule(non_negative))
    no_data: bool = field(validator=Rule(flag))


def depth_of(
    people: Iterable[Stakeholder],
    as_of: dt.date | dt.datetime | None = None,
    decay: DecayPolicy = DEFAULT_DECAY,
    weights: LevelWeights = DEFAULT_LEVEL_WEIGHTS,
) -> Depth:
    """The weighted mean depth of *people*, ``wᵢ = influenceᵢ × weights.of(levelᵢ)``.

    Sums are exact (``math.fsum``), so the result does not depend on the order. Should
    the weights overflow a float, they are first divided by the largest influence, which
    leaves the mean as it is (``weight`` is then the rescaled total).
    """
    group = instances(people, Stakeholder, "people")
    _check(weights, LevelWeights, "weights")
    w = [p.influence * weights.of(p.level) for p in group]
    total = total_of(w) if all(map(math.isfinite, w)) else math.inf
    if not math.isfinite(total):
        top = max(p.influence for p in group)
        w = [(p.influence / top) * weights.of(p.level) for p in group]
        total = math.fsum(w)
    if total <= 0.0:
        return trusted(Depth, 0.0, len(group), 0.0, True)
    weighted = math.fsum(wi * person_depth(p, as_of, decay) for wi, p in zip(w, group, strict=True))
    return trusted(Depth, min(1.0, max(0.0, weighted / total)), len(group), total, False)


def account_depth(
    center: BuyingCenter,
    as_of: dt.date | dt.datetime | None = None,
    decay: DecayPolicy = DEFAULT_DECAY,
    weights: LevelWeights = DEFAULT_LEVEL_WEIGHTS,
) -> Depth:
    """The depth of our relationships with the whole account (everyone, weighted)."""
    _check(center, BuyingCenter, "center")
    return depth_of(center.stakeholders, as_of, decay, weights)


def level_depth(
    center: BuyingCenter,
    level: Level | str,
    as_of: dt.date | dt.datetime | None = None,
    decay: DecayPolicy = DEFAULT_DECAY,
    weights: LevelWeights = DEFAULT_LEVEL_WEIGHTS,
) -> Depth:
    """The depth at one level: the influence-weighted mean depth of its people.

    (The level weight is the same for everyone there, so only influence matters.)
    """
    _check(center, BuyingCenter, "center")
    wanted = member(Level, level, "level")
    return depth_of((p for p in center if p.level is wanted), as_of, decay, weights)


def function_depth(
    center: BuyingCenter,
    function: Function | str,
    as_of: dt.date | dt.datetime | None = None,
    decay: DecayPolicy = DEFAULT_DECAY,
    weights: LevelWeights = DEFAULT_LEVEL_WEIGHTS,
) -> Depth:
    """The depth in one function, weighted by influence and level."""
    _check(center, BuyingCenter, "center")
    wanted = member(Function, function, "function")
    return depth_of((p for p in center if p.function is wanted), as_of, decay, weights)


# -- coverage --------------------------------------------------------------------------


@frozen
class CoverageCell:
    """One cell of the level × function grid.

    Attributes:
        level, function: the cell.
        people: how many people of the customer we know there.
        related: how many of them we have a relationship with (at or above the
            coverage rung, after decay).
        best: the deepest relationship in the cell (0 when none).
    """

    level: Level = field(converter=_level)
    function: Function = field(converter=_function)
    people: int = field(validator=Rule(whole))
    related: int = field(validator=Rule(whole))
    best: float = field(converter=as_float, validator=Rule(unit))

    def __attrs_post_init__(self) -> None:
        if self.related > self.people:
            raise InvalidData("related", f"{self.related} related of {self.people} people")

    @property
    def covered(self) -> bool:
        """Whether we have a relationship with someone in this cell."""
        return self.related > 0


@frozen
class Gap:
    """A cell of the grid where we have no relationship; ``people`` known there.

    >>> str(Gap(Level.DECISION, Function.FINANCE, 1))
    'no relationship at decision level in finance'
    >>> Gap(Level.DECISION, Function.FINANCE, 0).label.zh
    '决策层·财务部门：没有关系（尚未掌握其人员）'
    """

    level: Level = field(converter=_level)
    function: Function = field(converter=_function)
    people: int = field(validator=Rule(whole))

    @property
    def label(self) -> Label:
        """The gap in words, both languages."""
        zh = f"{self.level.label.zh}·{self.function.label.zh}：没有关系"
        en = f"no relationship at {self.level.label.en} in {self.function.label.en}"
        if self.people == 0:
            zh += "（尚未掌握其人员）"
            en += " (nobody known there)"
        return Label(zh, en)

    def __str__(self) -> str:
        return self.label.text()


@frozen
class Coverage:
    """How far our relationships reach across the level × function grid.

    Attributes:
        value: ``covered cells / cells`` in [0, 1] (0 with ``no_data``).
        cells: every cell of the grid, levels from decision down, functions in the
            order asked for.
        gaps: the cells without a relationship, named.
        people: how many people are on the map (in any function).
        related: how many of them we have a relationship with.
        no_data: ``True`` when nobody is on the map.
    """

    value: float = field(converter=as_float, validator=Rule(unit))
    cells: tuple[CoverageCell, ...] = field(
        converter=to_tuple, validator=Rule(many_of(CoverageCell))
    )
    gaps: tuple[Gap, ...] = field(converter=to_tuple, validator=Rule(many_of(Gap)))
    people: int = field(validator=Rule(whole))
    related: int = field(validator=Rule(whole))
    no_data: bool = field(validator=Rule(flag))

    def __attrs_post_init__(self) -> None:
        if self.related > self.people:
            raise InvalidData("related", f"{self.related} related of {self.people} people")

    @property
    def covered(self) -> int:
        """How many cells are covered."""
        return sum(1 for c in self.cells if c.covered)

    @property
    def levels(self) -> tuple[Level, ...]:
        """The levels where we have at least one relationship in the grid."""
        return tuple(lv for lv in Level if any(c.covered for c in self.cells if c.level is lv))

    @property
    def functions(self) -> tuple[Function, ...]:
        """The grid's functions where we have at least one relationship."""
        seen: list[Function] = []
        for c in self.cells:
            if c.covered and c.function not in seen:
                seen.append(c.function)
        return tuple(seen)


def coverage(
    center: BuyingCenter,
    as_of: dt.date | dt.datetime | None = None,
    decay: DecayPolicy = DEFAULT_DECAY,
    functions: Iterable[Function | str] = GRID_FUNCTIONS,
    min_rung: Rung | str = Rung.ACQUAINTED,
) -> Coverage:
    """Coverage of the level × function grid — the source's "how many, which levels, which
    functions" — with the gaps named.

    A cell is covered when someone in it has ``person_depth ≥ min_rung.depth``, so a
    stale relationship stops covering its cell. ``value = covered / (3 × len(functions))``.

    Raises:
        InvalidData: no functions, or an unknown function or rung.
    """
    _check(center, BuyingCenter, "center")
    if isinstance(functions, (str, Function)) or not isinstance(functions, Iterable):
        raise InvalidData("functions", f"expected a sequence of functions, got {functions!r}")
    grid = tuple(dict.fromkeys(member(Function, f, "functions") for f in functions))
    if not grid:
        raise InvalidData("functions", "the coverage grid needs at least one function")
    threshold = member(Rung, min_rung, "min_rung").depth
    keys = [(level, function) for level in Level for function in grid]
    here = dict.fromkeys(keys, 0)
    related_here = dict.fromkeys(keys, 0)
    best_here = dict.fromkeys(keys, 0.0)
    related = 0
    for p in center:
        d = person_depth(p, as_of, decay)
        known = p.rung is not Rung.UNKNOWN and d >= threshold
        related += known
        key = (p.level, p.function)
        if key in here:
            here[key] += 1
            related_here[key] += known
            best_here[key] = max(best_here[key], d)
    cells = [
        trusted(CoverageCell, lv, f, here[lv, f], related_here[lv, f], best_here[lv, f])
        for lv, f in keys
    ]
    gaps = tuple(trusted(Gap, c.level, c.function, c.people) for c in cells if not c.covered)
    covered = len(cells) - len(gaps)
    people = len(center)
    return trusted(
        Coverage,
        covered / len(cells) if people else 0.0,
        tuple(cells),
        gaps,
        people,
        related,
        people == 0,
    )


# -- decision support ------------------------------------------------------------------


def _ids(value: object) -> tuple[str, ...]:
    if isinstance(value, str):
        raise InvalidData("top", f"expected a sequence of ids, got {value!r}")
    return texts(value, "top")


@frozen
class DecisionSupport:
    """Where the decision group (the people whose role is decision-maker) stands.

    The KA funnel's ENDORSED criterion 3 (source 004) reads
    "客户方最大决策权重者或平均权重决策中多数票对我们认可": the customer's person of the
    largest decision weight favours us, or, where the decision-makers weigh the same
    (平均权重), a majority of their votes does. The weight of a decision-maker is their
    ``influence``. Both halves are one rule over the decision-makers *tied at the largest
    weight* (``top``): it holds when a strict head-count majority of them are supporters,
    ``2 × top_supporters > len(top)``. With one top person that is "the top person
    supports us"; with all weights equal it is "a majority by head count" (two of four
    is not a majority). The weighted shares are information only: a supporters' share of
    0.6 behind a top decision-maker who does not support us does not endorse us.

    Attributes:
        share: the influence-weighted share of the group who are supporters,
            ``Σ influence(supporters) / Σ influence(group)``, in [0, 1] (information).
        opposed: the same share for opponents (information).
        top: the ids of the decision-makers of the largest influence (several on a tie).
        top_favours: whether a strict head-count majority of ``top`` are supporters —
            criterion 3 itself.
        group: how many decision-makers there are.
        no_data: ``True`` when no decision-maker with influence > 0 is on the map.
        top_supporters: how many of ``top`` are supporters.
    """

    share: float = field(converter=as_float, validator=Rule(unit))
    opposed: float = field(converter=as_float, validator=Rule(unit))
    top: tuple[str, ...] = field(converter=_ids)
    top_favours: bool = field(validator=Rule(flag))
    group: int = field(validator=Rule(whole))
    no_data: bool = field(validator=Rule(flag))
    top_supporters: int = field(validator=Rule(whole))

    def __attrs_post_init__(self) -> None:
        if self.top_supporters > len(self.top):
            raise InvalidData(
                "top_supporters", f"{self.top_supporters} supporters among {len(self.top)}"
            )
        if len(self.top) > self.group:
            raise InvalidData("top", f"{len(self.top)} top people in a group of {self.group}")

    def favours(self) -> bool:
        """The KA funnel's ENDORSED criterion 3: among the decision-makers tied at the
        largest weight, a strict head-count majority are supporters (最大决策权重者或平均权重
        决策中多数票对我们认可). ``False`` without data."""
        return not self.no_data and self.top_favours


def decision_support(center: BuyingCenter) -> DecisionSupport:
    """Where the decision group stands: the top decision-makers' votes, and weighted shares.

    See :class:`DecisionSupport` for the rule. Here the CEO alone weighs most, so the
    CFO's and COO's support (a weighted share of 6/11) does not endorse us:

    >>> center = BuyingCenter((
    ...     Stakeholder("ceo", "A", "decision", "other", "decision_maker",
    ...                 attitude="neutral", influence=5),
    ...     Stakeholder("cfo", "B", "decision", "finance", "decision_maker",
    ...                 attitude="supporter", influence=3),
    ...     Stakeholder("coo", "C", "decision", "user", "decision_maker",
    ...                 attitude="supporter", influence=3),
    ... ))
    >>> s = decision_support(center)
    >>> s.top, s.top_supporters, round(s.share, 3), s.favours()
    (('ceo',), 0, 0.545, False)
    >>> decision_support(center.updated("ceo", influence=3)).favours()  # equal: 2 of 3
    True
    """
    _check(center, BuyingCenter, "center")
    group = [p for p in center if p.role is BuyingRole.DECISION_MAKER]
    weights = [p.influence for p in group]
    total = total_of(weights)
    if total <= 0.0:
        return trusted(DecisionSupport, 0.0, 0.0, (), False, len(group), True, 0)
    if not math.isfinite(total):  # influences near the largest float: rescale, same shares
        top = max(weights)
        weights = [w / top for w in weights]
        total = math.fsum(weights)
    backing = math.fsum(
        w for w, p in zip(weights, group, strict=True) if p.attitude is Attitude.SUPPORTER
    )
    against = math.fsum(
        w for w, p in zip(weights, group, strict=True) if p.attitude is Attitude.OPPONENT
    )
    highest = max(p.influence for p in group)
    leaders = [p for p in group if p.influence == highest]
    supporters = sum(1 for p in leaders if p.attitude is Attitude.SUPPORTER)
    return trusted(
        DecisionSupport,
        min(1.0, backing / total),
        min(1.0, against / total),
        tuple(sorted(p.id for p in leaders)),
        2 * supporters > len(leaders),
        len(group),
        False,
        supporters,
    )


# -- everything at once ----------------------------------------------------------------


def _depths(kind: type[Level] | type[Function], value: object, field: str) -> tuple[Any, ...]:
    """One ``(member, Depth)`` pair for every member of *kind*, members given or by value."""
    if isinstance(value, (str, bytes, dict)) or not isinstance(value, Iterable):
        raise InvalidData(field, f"expected (member, Depth) pairs, got {value!r}")
    found = []
    for i, pair in enumerate(value):
        if not isinstance(pair, tuple) or len(pair) != 2 or not isinstance(pair[1], Depth):
            raise InvalidData(f"{field}[{i}]", f"expected a (member, Depth) pair, got {pair!r}")
        found.append((member(kind, pair[0], f"{field}[{i}]"), pair[1]))
    if sorted(k.value for k, _ in found) != sorted(m.value for m in kind):
        raise InvalidData(
            field, f"expected one Depth for each of: {', '.join(m.value for m in kind)}"
        )
    return tuple(found)


def _level_depths(value: object) -> tuple[tuple[Level, Depth], ...]:
    return _depths(Level, value, "levels")


def _function_depths(value: object) -> tuple[tuple[Function, Depth], ...]:
    return _depths(Function, value, "functions")


@frozen
class RelationshipScores:
    """Every relationship score of an account, as of one date.

    Attributes:
        account: the depth over everyone.
        levels: the depth per level, decision level first.
        functions: the depth per function, in :class:`~bigaccount.people.Function` order.
        coverage: the level × function grid and its gaps.
        support: the decision group's stance.
        no_data: ``True`` when nobody is on the map.
    """

    account: Depth = field(validator=Rule(of_kind(Depth)))
    levels: tuple[tuple[Level, Depth], ...] = field(converter=_level_depths)
    functions: tuple[tuple[Function, Depth], ...] = field(converter=_function_depths)
    coverage: Coverage = field(validator=Rule(of_kind(Coverage)))
    support: DecisionSupport = field(validator=Rule(of_kind(DecisionSupport)))
    no_data: bool = field(validator=Rule(flag))

    def level(self, level: Level | str) -> Depth:
        """The depth at *level*."""
        wanted = member(Level, level, "level")
        return next(d for lv, d in self.levels if lv is wanted)

    def function(self, function: Function | str) -> Depth:
        """The depth in *function*."""
        wanted = member(Function, function, "function")
        return next(d for f, d in self.functions if f is wanted)


def relationship_scores(
    center: BuyingCenter,
    as_of: dt.date | dt.datetime | None = None,
    decay: DecayPolicy = DEFAULT_DECAY,
    weights: LevelWeights = DEFAULT_LEVEL_WEIGHTS,
    functions: Iterable[Function | str] = GRID_FUNCTIONS,
    min_rung: Rung | str = Rung.ACQUAINTED,
) -> RelationshipScores:
    """All the scores of *center*: depth (account, per level, per function), coverage
    and decision support. See the module docstring for the formulas."""
    _check(center, BuyingCenter, "center")
    return trusted(
        RelationshipScores,
        account_depth(center, as_of, decay, weights),
        tuple((lv, level_depth(center, lv, as_of, decay, weights)) for lv in Level),
        tuple((f, function_depth(center, f, as_of, decay, weights)) for f in Function),
        coverage(center, as_of, decay, functions, min_rung),
        decision_support(center),
        len(center) == 0,
    )
