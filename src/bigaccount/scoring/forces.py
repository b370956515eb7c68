"""Porter's five forces (五力分析) for an account's industry: how attractive, and what presses.

Each of the five forces is rated for its strength (the pressure it puts on the
industry's profits) on a declared scale, 1–5 unless told otherwise, and weighted
(equally unless told otherwise). A strong force makes the industry less attractive.

>>> from bigaccount.scoring.forces import Force, ForceRating, FiveForces, score_forces
>>> forces = FiveForces((
...     ForceRating(Force.RIVALRY, 5),
...     ForceRating(Force.NEW_ENTRANTS, 2),
...     ForceRating(Force.SUBSTITUTES, 2),
...     ForceRating(Force.SUPPLIER_POWER, 3),
...     ForceRating(Force.BUYER_POWER, 4),
... ), industry="provincial telecom")
>>> result = score_forces(forces)
>>> round(result.attractiveness, 2)
0.45
>>> [f.label.en for f in result.dominant]
['rivalry among existing competitors', 'bargaining power of buyers']
"""

from __future__ import annotations

import math
from typing import Any

from attrs import Attribute, field, frozen

from .._validate import (
    Rule,
    as_float,
    clamp,
    flag,
    instances,
    many_of,
    member,
    members,
    non_negative,
    optional_text,
    scores,
    to_tuple,
    total_of,
    unit,
    weight_shares,
)
from ..errors import InvalidData
from ..labels import Label, LabelledEnum, label_members
from .swot import DEFAULT_TOLERANCE, Adjustment, RatingScale

__all__ = ["FiveForces", "Force", "ForceRating", "ForcesResult", "score_forces"]


class Force(LabelledEnum):
    """One of Porter's five competitive forces."""

    RIVALRY = "rivalry"
    NEW_ENTRANTS = "new_entrants"
    SUBSTITUTES = "substitutes"
    SUPPLIER_POWER = "supplier_power"
    BUYER_POWER = "buyer_power"

    @property
    def source(self) -> Label:
        """Who exerts the force."""
        return _FORCE_SOURCES[self]


label_members(
    Force,
    {
        Force.RIVALRY: Label("现产业中的竞争者", "rivalry among existing competitors"),
        Force.NEW_ENTRANTS: Label("新入者的威胁", "threat of new entrants"),
        Force.SUBSTITUTES: Label("代替品的威胁", "threat of substitutes"),
        Force.SUPPLIER_POWER: Label("供应商的交涉能力", "bargaining power of suppliers"),
        Force.BUYER_POWER: Label("购买人的交涉能力", "bargaining power of buyers"),
    },
)

_FORCE_SOURCES = {
    Force.RIVALRY: Label("现产业中的竞争者", "competitors in the industry"),
    Force.NEW_ENTRANTS: Label("潜在进入者", "potential entrants"),
    Force.SUBSTITUTES: Label("代替品", "substitutes"),
    Force.SUPPLIER_POWER: Label("供应商", "suppliers"),
    Force.BUYER_POWER: Label("购买人", "buyers"),
}

_SCALE = RatingScale(1, 5)


def _force(value: object) -> Force:
    return member(Force, value, "force")


def _rating_number(instance: ForceRating, attribute: Attribute[float], value: object) -> None:
    # a rating lies on the scale, whose low end is >= 0: a negative one is off every scale
    non_negative(value, f"forces[{instance.force.value!r}].{attribute.name}")


def _note(instance: ForceRating, _: Attribute[str | None], value: object) -> None:
    optional_text(value, f"forces[{instance.force.value!r}].note")


@frozen
class ForceRating:
    """One force as rated: its strength on the scale, its weight, and why.

    Args:
        force: which force (a :class:`Force` or its value).
        rating: how strongly it presses (``low`` weak … ``high`` strong), ``>= 0`` (a
            rating above the scale is refused — or clipped — by :func:`score_forces`).
        weight: its importance, ``>= 0``; the five weights sum to 1 (equal, 0.2, by
            default).
        note: the evidence.

    Raises:
        InvalidData: an unknown force, or a rating or weight that is not a finite
            number ``>= 0`` — naming the field.
    """

    force: Force = field(converter=_force)
    rating: float = field(converter=as_float, validator=_rating_number)
    weight: float = field(default=0.2, converter=as_float, validator=_rating_number)
    note: str | None = field(default=None, validator=_note)


def _ratings(value: object) -> tuple[ForceRating, ...]:
    return instances(value, ForceRating, "ratings")


def _scale(_: Any, __: Attribute[RatingScale], value: object) -> None:
    if not isinstance(value, RatingScale):
        raise InvalidData("scale", f"expected a RatingScale, got {value!r}")


def _industry(_: Any, __: Attribute[str | None], value: object) -> None:
    optional_text(value, "industry")


@frozen
class FiveForces:
    """The five forces of one industry, as stored: one rating per force and the scale."""

    ratings: tuple[ForceRating, ...] = field(converter=_ratings)
    industry: str | None = field(default=None, validator=_industry)
    scale: RatingScale = field(default=_SCALE, validator=_scale)

    def __attrs_post_init__(self) -> None:
        seen: set[Force] = set()
        for rating in self.ratings:
            if rating.force in seen:
                raise InvalidData(f"forces[{rating.force.value!r}]", "the force is rated twice")
            seen.add(rating.force)
        missing = [f.value for f in Force if f not in seen]
        if missing:
            raise InvalidData("forces", f"not rated: {', '.join(missing)}; rate all five")

    def rating(self, force: Force) -> ForceRating:
        """The rating of *force* (a :class:`Force` or its value)."""
        wanted = member(Force, force, "force")
        return next(r for r in self.ratings if r.force is wanted)


def _pressures(value: object) -> tuple[tuple[Force, float], ...]:
    return scores(Force, value, "pressures", every=True)


def _dominant(value: object) -> tuple[Force, ...]:
    return members(Force, value, "dominant")


@frozen
class ForcesResult:
    """The scored five forces.

    Attributes:
        attractiveness: ``Σ w·(high − r)/(high − low)``, in [0, 1]; 1 when every force is weak.
        pressures: each force's ``(r − low)/(high − low)``, in [0, 1], in :class:`Force` order.
        dominant: the forces rated above the scale's midpoint, strongest (by ``w·pressure``)
            first; empty when no force dominates.
        adjustments: what normalisation changed.
    """

    attractiveness: float = field(converter=as_float, validator=Rule(unit))
    pressures: tuple[tuple[Force, float], ...] = field(converter=_pressures)
    dominant: tuple[Force, ...] = field(converter=_dominant)
    adjustments: tuple[Adjustment, ...] = field(
        converter=to_tuple, validator=Rule(many_of(Adjustment))
    )

    @property
    def normalised(self) -> bool:
        """Whether any weight or rating was normalised to compute this result."""
        return bool(self.adjustments)

    def pressure(self, force: Force) -> float:
        """The pressure of *force* (a :class:`Force` or its value), in [0, 1]."""
        return dict(self.pressures)[member(Force, force, "force")]


def score_forces(
    forces: FiveForces, *, normalise: bool = False, tolerance: float = DEFAULT_TOLERANCE
) -> ForcesResult:
    """Score the five forces: the industry's attractiveness and its dominant forces.

    With ``r`` each force's rating on the scale ``low``–``high`` (default 1–5) and ``w``
    its weight (the five weights sum to 1):

    * pressure ``p = (r − low) / (high − low)``, in [0, 1];
    * ``attractiveness = Σ w·(1 − p)``, in [0, 1];
    * dominant forces: ``r`` above ``(low + high) / 2``, ordered by ``w·p`` descending.

    A higher rating of any force never raises the attractiveness.

    Args:
        forces: the ratings.
        normalise: ``True`` to rescale weights that do not sum to 1 and move ratings
            onto the scale, listing each change in ``adjustments``, instead of refusing
            them.
        tolerance: how far the weights may stray from 1, a number ``>= 0``.

    Raises:
        InvalidData: a rating is off the scale, or the weights do not sum to 1 (or sum
            to 0) — naming the force.

    >>> from bigaccount.scoring.forces import FiveForces, Force, ForceRating, score_forces
    >>> calm = FiveForces([ForceRating(f, 1) for f in Force])
    >>> score_forces(calm).attractiveness, score_forces(calm).dominant
    (1.0, ())
    """
    if not isinstance(forces, FiveForces):
        raise InvalidData("forces", f"expected FiveForces, got {forces!r}")
    normalise = flag(normalise, "normalise")
    scale = forces.scale
    tolerance = non_negative(tolerance, "tolerance")
    ordered = tuple(forces.rating(f) for f in Force)
    adjustments: list[Adjustment] = []

    used = weight_shares([r.weight for r in ordered])
    total = total_of(r.weight for r in ordered)
    listed = ", ".join(f"{r.force.value}={r.weight:g}" for r in ordered)
    if used is None:
        raise InvalidData("weights", f"the weights sum to 0 ({listed})")
    if abs(total - 1.0) > tolerance:
        if not normalise:
            raise InvalidData(
                "weights",
                f"the weights sum to {total:g} ({listed}), not 1 ± {tolerance:g};"
                " correct them or pass normalise=True",
            )
        adjustments.extend(
            Adjustment(r.force.value, "weight", r.weight, share)
            for r, share in zip(ordered, used, strict=True)
        )
    weights = {r.force: share for r, share in zip(ordered, used, strict=True)}

    pressures: dict[Force, float] = {}
    ratings: dict[Force, float] = {}
    for r in ordered:
        rating = float(r.rating)
        if not scale.contains(rating):
            if not normalise:
                raise InvalidData(
                    f"forces[{r.force.value!r}].rating",
                    f"{r.rating:g} is off the rating scale {scale.describe()};"
                    " correct it or pass normalise=True",
                )
            adjustments.append(Adjustment(r.force.value, "rating", rating, scale.clip(rating)))
            rating = scale.clip(rating)
        ratings[r.force] = rating
        pressures[r.force] = scale.fraction(rating)

    attractiveness = clamp(math.fsum(weights[f] * (1 - pressures[f]) for f in Force), 0.0, 1.0)
    order = {f: i for i, f in enumerate(Force)}
    dominant = sorted(
        (f for f in Force if ratings[f] > scale.midpoint),
        key=lambda f: (-weights[f] * pressures[f], order[f]),
    )
    return ForcesResult(
        attractiveness=attractiveness,
        pressures=tuple((f, pressures[f]) for f in Force),
        dominant=tuple(dominant),
        adjustments=tuple(adjustments),
    )
