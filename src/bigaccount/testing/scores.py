"""Hypothesis strategies for the scoring models: their inputs, and results made by scoring them.

Inputs are drawn within their documented ranges (signals and shares in [0, 1],
ratings on the scale, weights ``>= 0``); a SWOT has at most six factors by default.
Results are never put together by hand: a :class:`~bigaccount.scoring.swot.SwotResult`
is what :func:`~bigaccount.scoring.swot.score_swot` says of a drawn SWOT, a
:class:`~bigaccount.scoring.relationship.RelationshipScores` what
:func:`~bigaccount.scoring.relationship.relationship_scores` says of a drawn buying
center, so every result is one the library can produce.

>>> from hypothesis import given
>>> from bigaccount.testing import swot_results
>>> @given(swot_results())
... def test_the_posture_follows_the_signs(result):
...     assert result.posture.value[0] == ("S" if result.internal >= 0 else "W")
>>> test_the_posture_follows_the_signs()
"""

from __future__ import annotations

import datetime as dt
import functools

from hypothesis import strategies as st

from ..catalogues import Catalogue, Entry, Group, catalogue_ids, get_catalogue
from ..people import Function, Level, Rung
from ..people_criteria import RelationshipThresholds
from ..scoring.customer_type import CustomerSignals, CustomerTypeResult, classify_customer
from ..scoring.fishnet import FishnetEdge, FishnetMap, FishnetNode, fishnet
from ..scoring.forces import FiveForces, Force, ForceRating, ForcesResult, score_forces
from ..scoring.readiness import (
    FactorRatings,
    Reach,
    ReadinessResult,
    SellingAction,
    SellingForce,
    StrategyCost,
    SubjectReadiness,
    assess_readiness,
    strategy_cost,
)
from ..scoring.relationship import (
    Coverage,
    CoverageCell,
    DecayPolicy,
    DecisionSupport,
    Depth,
    Gap,
    LevelWeights,
    RelationshipScores,
    coverage,
    decision_support,
    level_depth,
    relationship_scores,
)
from ..scoring.salesperson import SalesBehaviours, SalespersonResult, assess_salesperson
from ..scoring.swot import (
    Adjustment,
    FactorScore,
    Quadrant,
    RatingScale,
    Swot,
    SwotFactor,
    SwotResult,
    TowsEntry,
    TowsLink,
    TowsMatrix,
    score_swot,
)
from ..valuechain import (
    AlignedStages,
    AlignmentReport,
    ReportTexts,
    ValueChain,
    check_positions,
    value_chain,
)
from .people import buying_centers
from .records import records
from .strategies import labels, money, texts

__all__ = [
    "aligned_stages",
    "alignment_reports",
    "catalogue_entries",
    "catalogue_groups",
    "catalogues",
    "coverage_cells",
    "coverages",
    "customer_signals",
    "customer_type_results",
    "decay_policies",
    "decision_supports",
    "depths",
    "factor_ratings",
    "factor_scores",
    "fishnet_edges",
    "fishnet_maps",
    "fishnet_nodes",
    "five_forces",
    "force_ratings",
    "forces_results",
    "gaps",
    "level_weights",
    "rating_scales",
    "reaches",
    "readiness_results",
    "relationship_scores_results",
    "relationship_thresholds",
    "report_texts",
    "sales_behaviours",
    "salesperson_results",
    "selling_actions",
    "strategy_costs",
    "subject_readiness",
    "swot_adjustments",
    "swot_factors",
    "swot_results",
    "swots",
    "tows_entries",
    "tows_links",
    "tows_matrices",
    "value_chains",
]

_units = st.floats(0, 1)
_some_text = st.none() | texts()
_as_of = st.none() | st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2031, 12, 31))


# -- customer type, salesperson, readiness -----------------------------------------------


@functools.cache
def customer_signals() -> st.SearchStrategy[CustomerSignals]:
    """What is observed of a customer: five signals in [0, 1]."""
    return st.builds(CustomerSignals, _units, _units, _units, _units, _units)


def customer_type_results() -> st.SearchStrategy[CustomerTypeResult]:
    """The classification of drawn signals."""
    return customer_signals().map(classify_customer)


@functools.cache
def sales_behaviours() -> st.SearchStrategy[SalesBehaviours]:
    """How often each selling behaviour is observed, each a share in [0, 1]."""
    return st.builds(SalesBehaviours, _units, _units, _units, _units)


def salesperson_results() -> st.SearchStrategy[SalespersonResult]:
    """The assessment of drawn behaviours at a threshold in (0, 1]."""
    return st.builds(assess_salesperson, sales_behaviours(), st.floats(0.05, 1) | st.just(0.5))


@functools.cache
def factor_ratings() -> st.SearchStrategy[FactorRatings]:
    """Purchase-factor ratings of one subject (or the account), weight in [0, 10]."""
    return st.builds(
        FactorRatings,
        _units,
        _units,
        _units,
        st.none() | _units,
        _some_text,
        st.floats(0, 10),
    )


@st.composite
def _ratings_to_score(draw: st.DrawFn) -> list[FactorRatings]:
    first = draw(factor_ratings().filter(lambda r: r.weight > 0))
    return [first, *draw(st.lists(factor_ratings(), max_size=3))]


def readiness_results() -> st.SearchStrategy[ReadinessResult]:
    """The readiness of up to four rated subjects (at least one with weight)."""
    return _ratings_to_score().map(assess_readiness)


def subject_readiness() -> st.SearchStrategy[SubjectReadiness]:
    """The readiness of one subject, from a scored account."""
    return readiness_results().flatmap(lambda r: st.sampled_from(r.by_subject))


@functools.cache
def reaches() -> st.SearchStrategy[Reach]:
    """A person a selling action reaches, with their level and function."""
    return st.builds(Reach, texts(), st.sampled_from(Level), st.sampled_from(Function))


@functools.cache
def selling_actions(currency: str = "CNY") -> st.SearchStrategy[SellingAction]:
    """A selling action with its expense in *currency*, its hours and whom it reaches."""
    return st.builds(
        SellingAction,
        texts(),
        st.sampled_from(SellingForce),
        money((currency,)).map(lambda m: m if m.amount >= 0 else -m),
        st.floats(0, 500),
        st.lists(reaches(), max_size=3).map(tuple),
    )


def strategy_costs() -> st.SearchStrategy[StrategyCost]:
    """The cost and reach of up to four actions in one currency."""
    return st.sampled_from(("CNY", "USD")).flatmap(
        lambda c: st.lists(selling_actions(c), max_size=4).map(lambda a: strategy_cost(a, c))
    )


# -- five forces -------------------------------------------------------------------------


def _on(scale: RatingScale) -> st.SearchStrategy[float]:
    return st.floats(scale.low, scale.high)


@functools.cache
def rating_scales() -> st.SearchStrategy[RatingScale]:
    """A rating scale ``low``–``high`` with ``0 <= low < high``."""
    common = st.sampled_from((RatingScale(), RatingScale(1, 5), RatingScale(0, 10)))
    drawn = st.tuples(st.floats(0, 10), st.floats(0.5, 10)).map(
        lambda p: RatingScale(p[0], p[0] + p[1])
    )
    return common | drawn


@functools.cache
def force_ratings() -> st.SearchStrategy[ForceRating]:
    """One force's rating on the default 1–5 scale, with a weight in [0, 1]."""
    return st.builds(ForceRating, st.sampled_from(Force), st.floats(1, 5), _units, _some_text)


@st.composite
def five_forces(draw: st.DrawFn) -> FiveForces:
    """All five forces rated once each on a drawn scale, with weights in [0, 1]."""
    scale = draw(rating_scales())
    ratings = tuple(
        ForceRating(force, draw(_on(scale)), draw(_units), draw(_some_text)) for force in Force
    )
    return FiveForces(draw(st.permutations(ratings)), draw(_some_text), scale)


def forces_results() -> st.SearchStrategy[ForcesResult]:
    """The score of drawn forces (weights rescaled to sum to 1 where they do not)."""
    weighed = five_forces().filter(lambda f: sum(r.weight for r in f.ratings) > 0)
    return weighed.map(lambda f: score_forces(f, normalise=True))


# -- SWOT ----------------------------------------------------------------------------------


@functools.cache
def swot_factors() -> st.SearchStrategy[SwotFactor]:
    """One factor of any quadrant, rated on the default 1–4 scale."""
    return st.builds(
        SwotFactor,
        st.from_regex(r"[a-z][a-z0-9]{0,5}", fullmatch=True),
        st.sampled_from(Quadrant),
        texts(),
        _units,
        st.floats(1, 4),
        _some_text,
    )


@functools.cache
def tows_links() -> st.SearchStrategy[TowsLink]:
    """A link between two factor ids, with a strategy or none."""
    return st.builds(TowsLink, texts(6), texts(6), _some_text)


@st.composite
def swots(draw: st.DrawFn, max_factors: int = 6, *, all_quadrants: bool = False) -> Swot:
    """A SWOT of up to *max_factors* factors (at least one per quadrant if *all_quadrants*).

    Weights are drawn in [0, 1] without summing to 1 (scoring refuses or rescales
    them); ratings lie on the drawn scale; links pair existing internal and external
    factors.
    """
    scale = draw(rating_scales())
    low = 4 if all_quadrants else 0
    n = draw(st.integers(low, max(low, max_factors)))
    quadrants = list(Quadrant) if all_quadrants else []
    quadrants += draw(
        st.lists(
            st.sampled_from(Quadrant), min_size=n - len(quadrants), max_size=n - len(quadrants)
        )
    )
    factors = tuple(
        SwotFactor(f"{q.value[0]}{i}", q, draw(texts()), draw(_units), draw(_on(scale)))
        for i, q in enumerate(quadrants)
    )
    internal = [f.id for f in factors if f.quadrant in (Quadrant.STRENGTH, Quadrant.WEAKNESS)]
    external = [f.id for f in factors if f.quadrant not in (Quadrant.STRENGTH, Quadrant.WEAKNESS)]
    links: tuple[TowsLink, ...] = ()
    if internal and external:
        pairs = st.tuples(st.sampled_from(internal), st.sampled_from(external))
        chosen = draw(st.lists(pairs, unique=True, max_size=3))
        links = tuple(TowsLink(i, e, draw(_some_text)) for i, e in chosen)
    return Swot(factors, links, scale, draw(_some_text))


def _scorable(swot: Swot) -> bool:
    sides = ((Quadrant.STRENGTH, Quadrant.WEAKNESS), (Quadrant.OPPORTUNITY, Quadrant.THREAT))
    return all(sum(f.weight for f in swot.factors if f.quadrant in side) > 0 for side in sides)


def swot_results() -> st.SearchStrategy[SwotResult]:
    """The score of a drawn SWOT with every quadrant filled (weights rescaled)."""
    scorable = swots(all_quadrants=True).filter(_scorable)
    return scorable.map(lambda s: score_swot(s, normalise=True))


def factor_scores() -> st.SearchStrategy[FactorScore]:
    """A factor as scored."""
    return swot_results().flatmap(lambda r: st.sampled_from(r.factors))


def tows_matrices() -> st.SearchStrategy[TowsMatrix]:
    """The TOWS matrix of a scored SWOT."""
    return swot_results().map(lambda r: r.tows)


def tows_entries() -> st.SearchStrategy[TowsEntry]:
    """A linked pair of a TOWS cell, with its priority."""
    cells = tows_matrices().map(lambda m: (*m.so, *m.wo, *m.st, *m.wt)).filter(bool)
    return cells.flatmap(st.sampled_from)


def swot_adjustments() -> st.SearchStrategy[Adjustment]:
    """A value that normalisation changed (a weight rescaled, a rating moved onto the scale)."""
    return records(
        Adjustment,
        field=st.sampled_from(("weight", "rating")),
        given=st.floats(0, 10),
        used=st.floats(0, 10),
    )


# -- relationships ------------------------------------------------------------------------


@functools.cache
def decay_policies() -> st.SearchStrategy[DecayPolicy]:
    """How stale relationships lose weight: grace days, half-life, weight of undated ones."""
    return st.builds(DecayPolicy, st.integers(0, 365), st.floats(1, 730), _units)


@functools.cache
def level_weights() -> st.SearchStrategy[LevelWeights]:
    """The weights of the decision, management and operational levels."""
    positive = st.floats(0.1, 10)
    return st.builds(LevelWeights, positive, positive, positive)


@functools.cache
def relationship_thresholds() -> st.SearchStrategy[RelationshipThresholds]:
    """The rungs the relationship criteria ask for, with a decay policy and level weights."""
    rungs = st.sampled_from(Rung)
    return st.builds(RelationshipThresholds, rungs, rungs, decay_policies(), level_weights())


def relationship_scores_results() -> st.SearchStrategy[RelationshipScores]:
    """Every relationship score of a drawn buying center, as of a date or not."""
    return st.builds(relationship_scores, buying_centers(), _as_of)


def coverages() -> st.SearchStrategy[Coverage]:
    """The level × function coverage of a drawn buying center."""
    return st.builds(coverage, buying_centers(), _as_of)


def coverage_cells() -> st.SearchStrategy[CoverageCell]:
    """A cell of a coverage grid."""
    return coverages().flatmap(lambda c: st.sampled_from(c.cells))


def gaps() -> st.SearchStrategy[Gap]:
    """A cell without a relationship, named."""
    return coverages().filter(lambda c: bool(c.gaps)).flatmap(lambda c: st.sampled_from(c.gaps))


def depths() -> st.SearchStrategy[Depth]:
    """The relationship depth of one level of a drawn buying center."""
    return st.builds(level_depth, buying_centers(), st.sampled_from(Level), _as_of)


def decision_supports() -> st.SearchStrategy[DecisionSupport]:
    """The decision group's stance in a drawn buying center."""
    return buying_centers().map(decision_support)


def fishnet_maps() -> st.SearchStrategy[FishnetMap]:
    """The fishing-net map of a drawn buying center."""
    return st.builds(fishnet, buying_centers(), _as_of)


def fishnet_nodes() -> st.SearchStrategy[FishnetNode]:
    """A person on a fishing-net map."""
    return (
        fishnet_maps().filter(lambda m: bool(m.nodes)).flatmap(lambda m: st.sampled_from(m.nodes))
    )


def fishnet_edges() -> st.SearchStrategy[FishnetEdge]:
    """A reporting line or an influence on a fishing-net map."""
    return (
        fishnet_maps().filter(lambda m: bool(m.edges)).flatmap(lambda m: st.sampled_from(m.edges))
    )


# -- the value chain and the method's catalogues ----------------------------------------


def value_chains() -> st.SearchStrategy[ValueChain]:
    """The library's key-account value chain (decision, activity and advancement cycles)."""
    return st.builds(value_chain)


def aligned_stages() -> st.SearchStrategy[AlignedStages]:
    """A column of the key-account value chain."""
    return value_chains().flatmap(lambda chain: st.sampled_from(chain.columns))


def report_texts() -> st.SearchStrategy[ReportTexts]:
    """What alignment reports say: the library's texts, or plain ones without placeholders."""
    plain = labels().filter(lambda label: not any(c in label.zh + label.en for c in "{}"))
    drawn = st.builds(ReportTexts, plain, plain, plain, plain)
    return value_chains().map(lambda chain: chain.texts) | drawn


def alignment_reports() -> st.SearchStrategy[AlignmentReport]:
    """The alignment of drawn positions in the three cycles (at least one of ours)."""

    def positions(chain: ValueChain) -> st.SearchStrategy[AlignmentReport]:
        columns = chain.columns
        buyer = st.sampled_from([c.decision.id for c in columns])
        seller = st.none() | st.sampled_from([c.activity.id for c in columns])
        ours = [c.advancement.id for c in columns if c.advancement is not None]
        project = st.none() | st.sampled_from(ours)
        drawn = st.tuples(buyer, seller, project).filter(lambda p: p[1] or p[2])
        return drawn.map(lambda p: check_positions(*p))

    return value_chains().flatmap(positions)


def catalogues() -> st.SearchStrategy[Catalogue]:
    """One of the method's catalogues."""
    return st.sampled_from(catalogue_ids()).map(get_catalogue)


def catalogue_entries() -> st.SearchStrategy[Entry]:
    """An entry of one of the method's catalogues."""
    return catalogues().flatmap(lambda c: st.sampled_from(c.entries))


def catalogue_groups() -> st.SearchStrategy[Group]:
    """A group of one of the method's catalogues."""
    grouped = tuple(c for c in map(get_catalogue, catalogue_ids()) if c.groups)
    return st.sampled_from(grouped).flatmap(lambda c: st.sampled_from(c.groups))
