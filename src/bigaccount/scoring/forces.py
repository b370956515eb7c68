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
from collections.abc import Iterable

from attrs import Attribute, field, frozen

from ..errors import InvalidData
from ..labels import Label, LabelledEnum, label_members
from .swot import DEFAULT_TOLERANCE, Adjustment, RatingScale, _as_float, _clamp, _number

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


def _rating_number(instance: ForceRating, attribute: Attribute[float], value: float) -> None:
    number = _number(value, f"forces[{instance.force.value!r}].{attribute.name}")
    if attribute.name == "weight" and number < 0:
        raise InvalidData(f"forces[{instance.force.value!r}].weight", f"{value!r} is negative")


@frozen
class ForceRating:
    """One force as rated: its strength on the scale, its weight, and why.

    Args:
        force: which force.
        rating: how strongly it presses (``low`` weak … ``high`` strong).
        weight: its importance; the five weights sum to 1 (equal, 0.2, by default).
        note: the evidence.
    """

    force: Force = field(converter=Force)
    rating: float = field(converter=_as_float, validator=_rating_number)
    weight: float = field(default=0.2, converter=_as_float, validator=_rating_number)
    note: str | None = None


def _ratings(value: Iterable[ForceRating]) -> tuple[ForceRating, ...]:
    return tuple(value)


@frozen
class FiveForces:
    """The five forces of one industry, as stored: one rating per force and the scale."""

    ratings: tuple[ForceRating, ...] = field(converter=_ratings)
    industry: str | None = None
    scale: RatingScale = _SCALE

    def __attrs_post_init__(self) -> None:
        seen: set[Force] = set()
        for rating in self.ratings:
            if not isinstance(rating, ForceRating):
                raise InvalidData("ratings", f"expected ForceRating values, got {rating!r}")
            if rating.force in seen:
                raise InvalidData(f"forces[{rating.force.value!r}]", "the force is rated twice")
            seen.add(rating.force)
        missing = [f.value for f in Force if f not in seen]
        if missing:
            raise InvalidData("forces", f"not rated: {', '.join(missing)}; rate all five")

    def rating(self, force: Force) -> ForceRating:
        """The rating of *force*."""
        return next(r for r in self.ratings if r.force is Force(force))


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

    attractiveness: float
    pressures: tuple[tuple[Force, float], ...]
    dominant: tuple[Force, ...]
    adjustments: tuple[Adjustment, ...]

    @property
    def normalised(self) -> bool:
        """Whether any weight or rating was normalised to compute this result."""
        return bool(self.adjustments)

    def pressure(self, force: Force) -> float:
        """The pressure of *force*, in [0, 1]."""
        return dict(self.pressures)[Force(force)]


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
        normalise: rescale weights that do not sum to 1 and move ratings onto the scale,
            listing each change in ``adjustments``, instead of refusing them.
        tolerance: how far the weights may stray from 1.

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
    scale = forces.scale
    tolerance = _number(tolerance, "tolerance")
    ordered = tuple(forces.rating(f) for f in Force)
    adjustments: list[Adjustment] = []

    total = math.fsum(r.weight for r in ordered)
    listed = ", ".join(f"{r.force.value}={r.weight:g}" for r in ordered)
    if total <= 0:
        raise InvalidData("weights", f"the weights sum to 0 ({listed})")
    if abs(total - 1.0) > tolerance:
        if not normalise:
            raise InvalidData(
                "weights",
                f"the weights sum to {total:g} ({listed}), not 1 ± {tolerance:g};"
                " correct them or pass normalise=True",
            )
        adjustments.extend(
            Adjustment(r.force.value, "weight", r.weight, r.weight / total) for r in ordered
        )
    weights = {r.force: r.weight / total for r in ordered}

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

    attractiveness = _clamp(math.fsum(weights[f] * (1 - pressures[f]) for f in Force), 0.0, 1.0)
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
