"""SWOT of a sales project (销售项目SWOT分析) and its TOWS strategies, scored by weights.

Each factor of the four quadrants — strengths 优点 and weaknesses 缺点 (internal),
opportunities 机会 and threats 风险 (external) — carries an importance **weight** and
a **rating** of its intensity on a declared scale (1–4 unless told otherwise). The
weights of each side (internal, external) sum to 1, as in the internal and external
factor evaluations. The weighted totals place the project in one of the four TOWS
postures; the factors the user links (this strength meets that opportunity) form the
TOWS matrix.

>>> from bigaccount.scoring.swot import Quadrant, Swot, SwotFactor, TowsLink, score_swot
>>> S, W, O, T = Quadrant
>>> swot = Swot((
...     SwotFactor("s1", S, "reference sites in the sector", 0.6, 4),
...     SwotFactor("w1", W, "no local service team", 0.4, 3),
...     SwotFactor("o1", O, "budget approved for next year", 0.7, 3),
...     SwotFactor("t1", T, "incumbent supplier", 0.3, 4),
... ), links=(TowsLink("s1", "o1", "site visit before the criteria are set"),))
>>> result = score_swot(swot)
>>> round(result.internal, 2), round(result.external, 2), result.posture.value
(1.2, 0.9, 'SO')
>>> result.posture.label.zh, result.posture.label.en
('SO 进攻型战略', 'SO aggressive')
>>> [e.strategy for e in result.tows.so]
['site visit before the criteria are set']
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

import attrs
from attrs import Attribute, field, frozen

from .._validate import (
    Rule,
    as_float,
    clamp,
    flag,
    instances,
    many_of,
    member,
    non_negative,
    number,
    of_kind,
    optional_member,
    optional_text,
    text,
    to_tuple,
    total_of,
    unit,
    weight_shares,
    whole,
)
from ..errors import InvalidData
from ..labels import Label, LabelledEnum, label_members

__all__ = [
    "Adjustment",
    "FactorScore",
    "Posture",
    "Quadrant",
    "RatingScale",
    "Side",
    "Swot",
    "SwotFactor",
    "SwotResult",
    "TowsEntry",
    "TowsLink",
    "TowsMatrix",
    "score_swot",
]

DEFAULT_TOLERANCE = 1e-3
"""How far the weights of one side may stray from 1 before they are refused."""


# -- vocabulary ----------------------------------------------------------------------


class Side(LabelledEnum):
    """The two sides of a SWOT: the project's own capability and its environment."""

    INTERNAL = "internal"
    EXTERNAL = "external"


label_members(
    Side,
    {
        Side.INTERNAL: Label("内部能力", "internal capability"),
        Side.EXTERNAL: Label("外部环境", "external environment"),
    },
)


class Quadrant(LabelledEnum):
    """A SWOT quadrant; members iterate in the order S, W, O, T."""

    STRENGTH = "strength"
    WEAKNESS = "weakness"
    OPPORTUNITY = "opportunity"
    THREAT = "threat"

    @property
    def side(self) -> Side:
        """Internal for strengths and weaknesses, external for opportunities and threats."""
        return Side.INTERNAL if self in (Quadrant.STRENGTH, Quadrant.WEAKNESS) else Side.EXTERNAL

    @property
    def favourable(self) -> bool:
        """Whether the quadrant helps the project (strengths, opportunities)."""
        return self in (Quadrant.STRENGTH, Quadrant.OPPORTUNITY)


label_members(
    Quadrant,
    {
        Quadrant.STRENGTH: Label("优点", "strength"),
        Quadrant.WEAKNESS: Label("缺点", "weakness"),
        Quadrant.OPPORTUNITY: Label("机会", "opportunity"),
        Quadrant.THREAT: Label("风险", "threat"),
    },
)


class Posture(LabelledEnum):
    """The strategic posture (TOWS cell) the weighted SWOT points to."""

    SO = "SO"
    WO = "WO"
    ST = "ST"
    WT = "WT"

    @property
    def meaning(self) -> Label:
        """What the posture asks of the seller, in the source's words."""
        return _POSTURE_MEANINGS[self]

    @property
    def internal(self) -> Quadrant:
        """The internal quadrant of the cell (strengths or weaknesses)."""
        return Quadrant.STRENGTH if self.value[0] == "S" else Quadrant.WEAKNESS

    @property
    def external(self) -> Quadrant:
        """The external quadrant of the cell (opportunities or threats)."""
        return Quadrant.OPPORTUNITY if self.value[1] == "O" else Quadrant.THREAT

    @classmethod
    def of(cls, internal: Quadrant, external: Quadrant) -> Posture:
        """The cell where *internal* (S or W) meets *external* (O or T)."""
        internal = member(Quadrant, internal, "posture.internal")
        external = member(Quadrant, external, "posture.external")
        if internal.side is not Side.INTERNAL or external.side is not Side.EXTERNAL:
            raise InvalidData("posture", f"{internal.value} and {external.value} form no cell")
        return cls(internal.value[0].upper() + external.value[0].upper())


label_members(
    Posture,
    {
        Posture.SO: Label("SO 进攻型战略", "SO aggressive"),
        Posture.WO: Label("WO 扭转型战略", "WO turnaround"),
        Posture.ST: Label("ST 多元化战略", "ST diversify"),
        Posture.WT: Label("WT 防御型战略", "WT defend"),
    },
)

_POSTURE_MEANINGS = {
    Posture.SO: Label(
        "利用优点的外部环境机会的应用战略方案",
        "use our strengths to take the opportunities of the environment",
    ),
    Posture.WO: Label(
        "存有缺点的外部环境机会的应用战略方案",
        "take the opportunities of the environment while overcoming our weaknesses",
    ),
    Posture.ST: Label(
        "利用优点的外部环境风险的对应战略方案",
        "use our strengths to counter the threats of the environment",
    ),
    Posture.WT: Label(
        "存有缺点的外部环境风险的对应战略方案",
        "defend: reduce our weaknesses and avoid the threats of the environment",
    ),
}


# -- inputs --------------------------------------------------------------------------


# The bounds are converted by ``number``, not ``float``: a text, None or a bool is no bound.
def _low(value: object) -> float:
    return number(value, "scale.low")


def _high(value: object) -> float:
    return number(value, "scale.high")


@frozen
class RatingScale:
    """The closed range ratings are given on, ``low`` to ``high`` (``0 <= low < high``).

    Both ends are finite numbers (not booleans); anything else is ``InvalidData``.

    >>> RatingScale(1, 5).clip(7)
    5.0
    """

    low: float = field(default=1.0, converter=_low)
    high: float = field(default=4.0, converter=_high)

    def __attrs_post_init__(self) -> None:
        if self.low < 0 or self.low >= self.high:
            raise InvalidData("scale", f"expected 0 <= low < high, got {self.low}–{self.high}")

    @property
    def midpoint(self) -> float:
        """Half-way between ``low`` and ``high``."""
        return (self.low + self.high) / 2

    def contains(self, value: float) -> bool:
        """Whether *value* (a finite number) lies on the scale."""
        return self.low <= number(value, "value") <= self.high

    def clip(self, value: float) -> float:
        """*value* (a finite number) moved onto the scale (the nearest end when outside)."""
        return clamp(number(value, "value"), self.low, self.high)

    def fraction(self, value: float) -> float:
        """Where *value* (a finite number) lies on the scale, from 0 (``low``) to 1 (``high``)."""
        return clamp((number(value, "value") - self.low) / (self.high - self.low), 0.0, 1.0)

    def describe(self) -> str:
        """``"1–4"``, the scale in words for messages."""
        return f"{self.low:g}–{self.high:g}"


def _factor_id(value: object) -> str:
    return text(value, "factor.id")


def _quadrant(value: object) -> Quadrant:
    return member(Quadrant, value, "factor.quadrant")


def _factor_text(instance: SwotFactor, attribute: Attribute[Any], value: object) -> None:
    where = f"factors[{instance.id!r}].{attribute.name}"
    if attribute.name == "note":
        optional_text(value, where)
    else:
        text(value, where)


def _factor_numbers(instance: SwotFactor, attribute: Attribute[float], value: object) -> None:
    # weights and ratings are never negative: a rating lies on the scale, whose low end
    # is >= 0, so a negative one is off every scale
    non_negative(value, f"factors[{instance.id!r}].{attribute.name}")


@frozen
class SwotFactor:
    """One SWOT factor.

    Args:
        id: a short key, unique within the analysis (links name factors by it).
        quadrant: strength, weakness, opportunity or threat (a :class:`Quadrant` or its
            value).
        name: the factor in the user's words.
        weight: its importance within its side (the side's weights sum to 1), ``>= 0``.
        rating: its intensity on the analysis's rating scale, ``>= 0`` (a rating above
            the scale is refused — or clipped — by :func:`score_swot`, which knows the
            scale).
        note: evidence or remarks.

    Raises:
        InvalidData: an empty id or name, an unknown quadrant, or a weight or rating
            that is not a finite number ``>= 0`` — naming the field.
    """

    id: str = field(converter=_factor_id)
    quadrant: Quadrant = field(converter=_quadrant)
    name: str = field(validator=_factor_text)
    weight: float = field(converter=as_float, validator=_factor_numbers)
    rating: float = field(converter=as_float, validator=_factor_numbers)
    note: str | None = field(default=None, validator=_factor_text)


def _link_text(_: Any, attribute: Attribute[Any], value: object) -> None:
    if attribute.name == "strategy":
        optional_text(value, "link.strategy")
    else:
        text(value, f"link.{attribute.name}")


@frozen
class TowsLink:
    """A pairing the user makes: internal factor *internal* meets external factor *external*.

    The pair's quadrants decide its TOWS cell (a strength meeting an opportunity is SO).
    ``strategy`` says what to do about it.
    """

    internal: str = field(validator=_link_text)
    external: str = field(validator=_link_text)
    strategy: str | None = field(default=None, validator=_link_text)


def _factors(value: object) -> tuple[SwotFactor, ...]:
    return instances(value, SwotFactor, "factors")


def _links(value: object) -> tuple[TowsLink, ...]:
    return instances(value, TowsLink, "links")


def _scale(_: Any, __: Attribute[RatingScale], value: object) -> None:
    if not isinstance(value, RatingScale):
        raise InvalidData("scale", f"expected a RatingScale, got {value!r}")


def _project(_: Any, __: Attribute[str | None], value: object) -> None:
    optional_text(value, "project")


@frozen
class Swot:
    """A SWOT analysis of one sales project, as stored: factors, links and the scale.

    Built values are checked for structure (unique factor ids, links between an
    internal and an external factor that exist); the weighting rules are checked by
    :func:`score_swot`, which may also normalise them on request.
    """

    factors: tuple[SwotFactor, ...] = field(converter=_factors)
    links: tuple[TowsLink, ...] = field(default=(), converter=_links)
    scale: RatingScale = field(factory=RatingScale, validator=_scale)
    project: str | None = field(default=None, validator=_project)

    def __attrs_post_init__(self) -> None:
        seen: dict[str, SwotFactor] = {}
        for factor in self.factors:
            if factor.id in seen:
                raise InvalidData(f"factors[{factor.id!r}]", "the id is used twice")
            seen[factor.id] = factor
        for index, link in enumerate(self.links):
            where = f"links[{index}]"
            for role, key, side in (
                ("internal", link.internal, Side.INTERNAL),
                ("external", link.external, Side.EXTERNAL),
            ):
                found = seen.get(key)
                if found is None:
                    raise InvalidData(f"{where}.{role}", f"no factor has the id {key!r}")
                if found.quadrant.side is not side:
                    raise InvalidData(
                        f"{where}.{role}",
                        f"factor {key!r} is a {found.quadrant.value}, not an {role} factor",
                    )

    def factor(self, id: str) -> SwotFactor:
        """The factor with *id*.

        Raises:
            InvalidData: (field ``id``) no factor has that id.
        """
        for factor in self.factors:
            if factor.id == id:
                return factor
        raise InvalidData("id", f"no factor has the id {id!r}")

    def quadrant(self, quadrant: Quadrant) -> tuple[SwotFactor, ...]:
        """The factors of *quadrant* (a :class:`Quadrant` or its value), in the order given."""
        wanted = member(Quadrant, quadrant, "quadrant")
        return tuple(f for f in self.factors if f.quadrant is wanted)


# -- results -------------------------------------------------------------------------


def _quadrant_of(value: object) -> Quadrant:
    return member(Quadrant, value, "quadrant")


def _posture(value: object) -> Posture:
    return member(Posture, value, "posture")


@frozen
class Adjustment:
    """A value changed by normalisation: which factor, which field, given and used."""

    factor: str = attrs.field(validator=Rule(text))
    field: str = attrs.field(validator=Rule(text))
    given: float = attrs.field(converter=as_float, validator=Rule(number))
    used: float = attrs.field(converter=as_float, validator=Rule(number))


@frozen
class FactorScore:
    """A factor as scored: the weight and rating used, and ``score = weight × rating``."""

    id: str = field(validator=Rule(text))
    quadrant: Quadrant = field(converter=_quadrant_of)
    weight: float = field(converter=as_float, validator=Rule(non_negative))
    rating: float = field(converter=as_float, validator=Rule(non_negative))
    score: float = field(converter=as_float, validator=Rule(non_negative))


@frozen
class TowsEntry:
    """One linked pair in a TOWS cell, with its priority in [0, 1]."""

    internal: str = field(validator=Rule(text))
    external: str = field(validator=Rule(text))
    strategy: str | None = field(validator=Rule(optional_text))
    priority: float = field(converter=as_float, validator=Rule(unit))


_entries = Rule(many_of(TowsEntry))


@frozen
class TowsMatrix:
    """The four TOWS cells, each listing its linked pairs, highest priority first."""

    so: tuple[TowsEntry, ...] = field(default=(), converter=to_tuple, validator=_entries)
    wo: tuple[TowsEntry, ...] = field(default=(), converter=to_tuple, validator=_entries)
    st: tuple[TowsEntry, ...] = field(default=(), converter=to_tuple, validator=_entries)
    wt: tuple[TowsEntry, ...] = field(default=(), converter=to_tuple, validator=_entries)

    def cell(self, posture: Posture | str) -> tuple[TowsEntry, ...]:
        """The entries of the cell *posture* (a :class:`Posture` or its value)."""
        cells: dict[Posture, tuple[TowsEntry, ...]] = {
            Posture.SO: self.so,
            Posture.WO: self.wo,
            Posture.ST: self.st,
            Posture.WT: self.wt,
        }
        return cells[member(Posture, posture, "posture")]


@frozen
class SwotResult:
    """The scored SWOT.

    Attributes:
        strengths, weaknesses, opportunities, threats: the quadrant totals
            ``Σ weight × rating``, each in ``[0, high]``.
        internal: ``strengths − weaknesses``, in ``[−high, high]``.
        external: ``opportunities − threats``, in ``[−high, high]``.
        posture: the TOWS cell the two scores point to.
        tows: the user's links, grouped by cell.
        factors: every factor as scored, highest ``weight × rating`` first.
        adjustments: what normalisation changed (empty when nothing was normalised).
        scale: the rating scale used.
    """

    strengths: float = field(converter=as_float, validator=Rule(non_negative))
    weaknesses: float = field(converter=as_float, validator=Rule(non_negative))
    opportunities: float = field(converter=as_float, validator=Rule(non_negative))
    threats: float = field(converter=as_float, validator=Rule(non_negative))
    internal: float = field(converter=as_float, validator=Rule(number))
    external: float = field(converter=as_float, validator=Rule(number))
    posture: Posture = field(converter=_posture)
    tows: TowsMatrix = field(validator=Rule(of_kind(TowsMatrix)))
    factors: tuple[FactorScore, ...] = field(
        converter=to_tuple, validator=Rule(many_of(FactorScore))
    )
    adjustments: tuple[Adjustment, ...] = field(
        converter=to_tuple, validator=Rule(many_of(Adjustment))
    )
    scale: RatingScale = field(validator=Rule(of_kind(RatingScale)))

    @property
    def normalised(self) -> bool:
        """Whether any weight or rating was normalised to compute this result."""
        return bool(self.adjustments)

    @property
    def strategies(self) -> tuple[TowsEntry, ...]:
        """The linked pairs of the posture's own cell: where to act first."""
        return self.tows.cell(self.posture)

    def key_factors(self, n: int = 3, quadrant: Quadrant | None = None) -> tuple[FactorScore, ...]:
        """The *n* factors that matter most (highest weight × rating), of one quadrant or all.

        Raises:
            InvalidData: *n* is not a whole number ``>= 0``, or *quadrant* is unknown.
        """
        count = whole(n, "n")
        wanted = optional_member(Quadrant, quadrant, "quadrant")
        chosen = [f for f in self.factors if wanted is None or f.quadrant is wanted]
        return tuple(chosen[:count])


# -- scoring -------------------------------------------------------------------------

_ORDER = {q: i for i, q in enumerate(Quadrant)}


def _side_weights(
    factors: tuple[SwotFactor, ...],
    side: Side,
    *,
    normalise: bool,
    tolerance: float,
    adjustments: list[Adjustment],
) -> dict[str, float]:
    """The weight used for each factor of *side*: given weights divided by their sum."""
    members = [f for f in factors if f.quadrant.side is side]
    used = weight_shares([f.weight for f in members])
    total = total_of(f.weight for f in members)
    listed = ", ".join(f"{f.id}={f.weight:g}" for f in members)
    if used is None:
        raise InvalidData(f"weights.{side.value}", f"the weights sum to 0 ({listed})")
    if abs(total - 1.0) > tolerance:
        if not normalise:
            raise InvalidData(
                f"weights.{side.value}",
                f"the {side.value} weights sum to {total:g} ({listed}), not 1 ± {tolerance:g};"
                " correct them or pass normalise=True",
            )
        for f, share in zip(members, used, strict=True):
            adjustments.append(Adjustment(f.id, "weight", f.weight, share))
    return {f.id: share for f, share in zip(members, used, strict=True)}


def score_swot(
    swot: Swot,
    *,
    normalise: bool = False,
    tolerance: float = DEFAULT_TOLERANCE,
    required: Iterable[Quadrant] = tuple(Quadrant),
) -> SwotResult:
    """Score a SWOT: quadrant totals, internal and external scores, posture, TOWS matrix.

    With ``w`` the weight and ``r`` the rating of each factor (ratings on the scale
    ``low``–``high``, ``0 <= low``; default 1–4), and the weights of each side summing to 1:

    * quadrant total ``Q = Σ w·r`` over the quadrant's factors, in ``[0, high]``;
    * ``internal = S − W`` and ``external = O − T``, each in ``[−high, high]``;
    * posture: ``S`` if ``internal >= 0`` else ``W``, then ``O`` if ``external >= 0``
      else ``T`` — SO aggressive, WO turnaround, ST diversify, WT defend;
    * priority of a TOWS link ``(i, e)`` is ``(w_i·r_i)·(w_e·r_e) / high²``, in [0, 1].

    A higher strength (opportunity) rating never lowers the internal (external) score;
    a higher weakness (threat) rating never raises it. Weights are shares of their
    side, so the same does not hold for a weight: raising one strength's weight takes
    share from the side's other factors — other strengths included — once the side is
    rescaled to sum to 1, and can lower the internal score. Only the raw weighted sum
    ``Σ w·r`` of a quadrant, before the rescaling, never falls when one of its weights
    rises. The order in which factors and links are given does not change the result.

    Weights that sum to within *tolerance* of 1 are used divided by their sum (a no-op
    when they sum to exactly 1).

    Args:
        swot: the analysis.
        normalise: instead of refusing them, rescale a side's weights to sum to 1 and
            move ratings onto the scale; the result lists each change in ``adjustments``.
        tolerance: how far a side's weights may stray from 1, a number ``>= 0``.
        required: the quadrants that must hold at least one factor (all four by default).

    Raises:
        InvalidData: a required quadrant is empty, a side's weights do not sum to 1
            (or sum to 0), or a rating lies off the scale — naming the factors at fault;
            or *swot*, *normalise* (``True`` or ``False``), *tolerance* or *required* is
            not what it should be.

    >>> from bigaccount.scoring.swot import Quadrant, Swot, SwotFactor, score_swot
    >>> swot = Swot([SwotFactor("s", "strength", "fit", 2, 4),
    ...              SwotFactor("t", "threat", "rival", 1, 3)])
    >>> result = score_swot(swot, normalise=True, required=[Quadrant.STRENGTH, Quadrant.THREAT])
    >>> result.normalised, result.posture.value, result.internal, result.external
    (True, 'ST', 4.0, -3.0)
    """
    if not isinstance(swot, Swot):
        raise InvalidData("swot", f"expected a Swot, got {swot!r}")
    normalise = flag(normalise, "normalise")
    tolerance = non_negative(tolerance, "tolerance")
    scale = swot.scale
    if isinstance(required, (str, Quadrant)) or not isinstance(required, Iterable):
        raise InvalidData("required", f"expected a sequence of quadrants, got {required!r}")
    for quadrant in tuple(member(Quadrant, q, "required") for q in required):
        if not swot.quadrant(quadrant):
            raise InvalidData(
                f"factors.{quadrant.value}",
                f"no {quadrant.value} factor ({quadrant.label.zh}); the analysis needs one",
            )

    adjustments: list[Adjustment] = []
    ordered = tuple(sorted(swot.factors, key=lambda f: (_ORDER[f.quadrant], f.id)))
    weights: dict[str, float] = {}
    for side in Side:
        if any(f.quadrant.side is side for f in ordered):
            weights.update(
                _side_weights(
                    ordered, side, normalise=normalise, tolerance=tolerance, adjustments=adjustments
                )
            )

    ratings: dict[str, float] = {}
    for f in ordered:
        rating = float(f.rating)
        if not scale.contains(rating):
            if not normalise:
                raise InvalidData(
                    f"factors[{f.id!r}].rating",
                    f"{f.rating:g} is off the rating scale {scale.describe()};"
                    " correct it or pass normalise=True",
                )
            adjustments.append(Adjustment(f.id, "rating", rating, scale.clip(rating)))
            rating = scale.clip(rating)
        ratings[f.id] = rating

    scores = {f.id: weights[f.id] * ratings[f.id] for f in ordered}
    totals = {
        q: clamp(math.fsum(scores[f.id] for f in ordered if f.quadrant is q), 0.0, scale.high)
        for q in Quadrant
    }
    internal = clamp(totals[Quadrant.STRENGTH] - totals[Quadrant.WEAKNESS], -scale.high, scale.high)
    external = clamp(
        totals[Quadrant.OPPORTUNITY] - totals[Quadrant.THREAT], -scale.high, scale.high
    )
    posture = Posture.of(
        Quadrant.STRENGTH if internal >= 0 else Quadrant.WEAKNESS,
        Quadrant.OPPORTUNITY if external >= 0 else Quadrant.THREAT,
    )

    by_id = {f.id: f for f in ordered}
    cells: dict[Posture, list[TowsEntry]] = {p: [] for p in Posture}
    for link in swot.links:
        i, e = by_id[link.internal], by_id[link.external]
        priority = clamp(scores[i.id] * scores[e.id] / scale.high**2, 0.0, 1.0)
        cells[Posture.of(i.quadrant, e.quadrant)].append(
            TowsEntry(i.id, e.id, link.strategy, priority)
        )
    for entries in cells.values():
        entries.sort(key=lambda x: (-x.priority, x.internal, x.external, x.strategy or ""))

    ranked = sorted(
        (
            FactorScore(f.id, f.quadrant, weights[f.id], ratings[f.id], scores[f.id])
            for f in ordered
        ),
        key=lambda s: (-s.score, _ORDER[s.quadrant], s.id),
    )
    return SwotResult(
        strengths=totals[Quadrant.STRENGTH],
        weaknesses=totals[Quadrant.WEAKNESS],
        opportunities=totals[Quadrant.OPPORTUNITY],
        threats=totals[Quadrant.THREAT],
        internal=internal,
        external=external,
        posture=posture,
        tows=TowsMatrix(
            tuple(cells[Posture.SO]),
            tuple(cells[Posture.WO]),
            tuple(cells[Posture.ST]),
            tuple(cells[Posture.WT]),
        ),
        factors=tuple(ranked),
        adjustments=tuple(adjustments),
        scale=scale,
    )
