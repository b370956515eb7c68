"""Every public constructor and function refuses bad input with a library error naming the field.

The harness: :data:`CASES` holds, for each public callable — the classes and functions of
``bigaccount.__all__``, the public names of ``bigaccount.people``, ``bigaccount.plan``,
``bigaccount.scoring.*``, ``bigaccount.valuechain`` and ``bigaccount.catalogues``, and the
methods of their values that take arguments — one call that works, written once, and the
kind of each parameter. A kind knows the wrong values for a parameter: wrong types (None,
text, an int, a float, nan, inf, a list, a mapping, an object, bytes, a bool where a number
belongs) and edge values (blank text, negative or huge numbers, naive datetimes, a float
where Money belongs, a mapping with wrong keys …), enumerated and drawn with hypothesis. It
also knows the conversions the library documents (:data:`CONVERSIONS`).

A call with one wrong value must raise a :class:`~bigaccount.errors.BigAccountError` that
names the parameter — in ``InvalidData.field``, ``InvalidDefinition.where``, the kind of
an ``UnknownName`` or the message. A bare Python error, or the value accepted, fails.
Problems found in modules other than those this harness's fixes own are listed in
:data:`KNOWN_ELSEWHERE` (each one a strict expected failure, so a fix shows up).

``python tests/test_public_inputs.py`` prints the census: calls tried, refused as they
should be, bare Python errors, silent acceptances, per module.
"""

from __future__ import annotations

import enum
import importlib
import inspect
import re
from collections import Counter
from collections.abc import Iterator
from decimal import Decimal
from fractions import Fraction
from importlib.resources import files
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import _cases_importers  # noqa: F401  (each adds the cases of one module)
import _cases_output  # noqa: F401
import _cases_store  # noqa: F401
import bigaccount
from _inputs import (
    CASES,
    CNY,
    D0,
    EXEMPT,
    INF,
    JUNK,
    JUNK_DRAW,
    NAIVE,
    NAN,
    SURVEYED,
    T0,
    Case,
    Fresh,
    Junk,
    Kind,
    L,
    case,
    day,
    entered,
    flag,
    identifier,
    invoke,
    isolated,
    items,
    lang,
    many,
    mapping,
    member_of,
    moment,
    money,
    name,
    one,
    real,
    special,
    text,
    texts,
)
from bigaccount import (
    OPEN,
    Account,
    AtLeast,
    BuyingCenter,
    BySegment,
    Context,
    Criterion,
    Cycle,
    Deal,
    Fact,
    FactChange,
    GateReport,
    Guidance,
    Influence,
    Label,
    Lang,
    Money,
    Move,
    MoveCheck,
    Route,
    Segment,
    Snapshot,
    Stage,
    StageChange,
    Stakeholder,
    Step,
    SuccessMarker,
    Track,
    Transition,
    TransitionTable,
    get_cycle,
)
from bigaccount.catalogues import Catalogue, Entry, Group, get_catalogue
from bigaccount.declarations import builtin_data
from bigaccount.errors import BigAccountError, InvalidData, InvalidDefinition, UnknownName
from bigaccount.labels import LabelledEnum
from bigaccount.people import (
    Attitude,
    BuyingRole,
    Function,
    Level,
    PersonalProfile,
    Rung,
)
from bigaccount.plan import (
    AccountPlan,
    AccountProfile,
    AccountStrategies,
    Competitor,
    CompetitorMove,
    CoverageItem,
    FinancialYear,
    HistoryEvent,
    InstalledBase,
    KeyAction,
    OrgPosition,
    PlanCompleteness,
    PlanSection,
    RoadmapStep,
    SupplierShare,
    ValueProposition,
    plan_completeness,
)
from bigaccount.scoring.customer_type import (
    CustomerSignals,
    CustomerType,
    CustomerTypeResult,
    classify_customer,
)
from bigaccount.scoring.fishnet import EdgeKind, FishnetEdge, FishnetMap, FishnetNode, fishnet
from bigaccount.scoring.forces import FiveForces, Force, ForceRating, ForcesResult, score_forces
from bigaccount.scoring.readiness import (
    FactorRatings,
    PurchaseFactor,
    Reach,
    ReadinessResult,
    SellingAction,
    SellingForce,
    StrategyCost,
    SubjectReadiness,
    assess_readiness,
)
from bigaccount.scoring.relationship import (
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
    relationship_scores,
)
from bigaccount.scoring.salesperson import (
    Behaviour,
    SalesBehaviours,
    SalesLevel,
    SalespersonResult,
    assess_salesperson,
)
from bigaccount.scoring.swot import (
    Adjustment,
    FactorScore,
    Posture,
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
from bigaccount.valuechain import (
    AlignedStages,
    AlignmentReport,
    Pace,
    ReportTexts,
    ValueChain,
    check_positions,
    value_chain,
)

# -- sample values ---------------------------------------------------------------------

A = Criterion.fact("a", "甲", "a")
B = Criterion.fact("b", "乙", "b")
CEO = Stakeholder("ceo", "王强", "decision", "other", "decision_maker", "supporter", "familiar", 3)
CIO = Stakeholder(
    "cio", "李娜", "management", "technical", "influencer", rung="trusting", reports_to="ceo"
)
USER = Stakeholder(
    "ops", "张伟", "operational", "user", "user", rung="acquainted", reports_to="cio"
)
CENTER = BuyingCenter((CEO, CIO, USER), (Influence("cio", "ceo"),))
STAGES = [Stage("A", L, 0.1, OPEN), Stage("B", L, 0.5, OPEN)]
CYCLE = Cycle("inputs_check", L, "pipeline", STAGES)
TRANSITION = Transition("advance", "A", "B", Move.ADVANCE)
REPORT = GateReport("A", L, True, (A,), (), 0)
STRENGTH = SwotFactor("s1", "strength", "reference sites", 0.6, 4)
WEAKNESS = SwotFactor("w1", "weakness", "no local team", 0.4, 3)
CHANCE = SwotFactor("o1", "opportunity", "budget approved", 0.7, 3)
THREAT = SwotFactor("t1", "threat", "incumbent", 0.3, 2)
SWOT = Swot(
    (STRENGTH, WEAKNESS, CHANCE, THREAT), (TowsLink("s1", "o1", "site visit"),), project="X"
)
SWOT_RESULT = score_swot(SWOT)
FORCE = ForceRating("rivalry", 4)
FORCES = FiveForces([ForceRating(f, 3) for f in Force])
FORCES_RESULT = score_forces(FORCES)
RATINGS = FactorRatings(0.8, 0.6, 0.4, subject="cio", weight=2)
READINESS = assess_readiness(RATINGS)
REACH = Reach("cio", "management", "technical")
ACTION = SellingAction("visit", "build_trust", Money("800", "CNY"), 3, [REACH])
BEHAVIOURS = SalesBehaviours(0.9, 0.7, 0.3)
SALES_RESULT = assess_salesperson(BEHAVIOURS)
SIGNALS = CustomerSignals(0.3, 0.8, 0.4)
TYPE_RESULT = classify_customer(SIGNALS)
SCORES = relationship_scores(CENTER)
COVERAGE = coverage(CENTER)
SUPPORT = decision_support(CENTER)
NET = fishnet(CENTER)
NODE = NET.nodes[0]
EDGE = NET.edges[0]
CELL = COVERAGE.cells[0]
GAP = COVERAGE.gaps[0] if COVERAGE.gaps else Gap(Level.DECISION, Function.FINANCE, 0)
DEPTH = SCORES.account
COMPETITOR = Competitor("Rival", strengths=("incumbent",))
PLAN = AccountPlan("Acme", competitors=(COMPETITOR,))
DONE = plan_completeness(PLAN)
ALIGNED = value_chain().columns[0]
ALIGNMENT_REPORT = check_positions("RECOGNITION", "SOLUTION")
ENTRY = Entry("k", L)
CATALOGUE = get_catalogue("negotiation_tactics")
SUBJECT = READINESS.by_subject[0]
COST_PARTS = {
    "expense": CNY,
    "hours": 3.0,
    "people": 1,
    "levels": (Level.MANAGEMENT,),
    "functions": (Function.TECHNICAL,),
    "missing_levels": (Level.DECISION, Level.OPERATIONAL),
    "missing_functions": (Function.USER, Function.FINANCE),
    "forces": (SellingForce.BUILD_TRUST,),
    "missing_forces": (SellingForce.INTRODUCE,),
    "coverage": 0.5,
}


def a_deal() -> Deal:
    deal = Deal("D-1", Account("Acme", "sme"), Money("100", "CNY"))
    deal.start("decision", at=T0)
    deal.start("activity", at=T0)
    return deal


def a_tier() -> type[LabelledEnum]:
    class Tier(LabelledEnum):
        GOLD = "gold"
        SILVER = "silver"

    return Tier


EVERY_MEMBER = Junk()
"""Stands for "a label for every member of the class given"."""


def label_fresh(cls: Any, labels: Any) -> None:
    """:func:`~bigaccount.labels.label_members`, with ``EVERY_MEMBER`` for complete labels."""
    if labels is EVERY_MEMBER and isinstance(cls, type) and issubclass(cls, LabelledEnum):
        labels = {m: Label(m.value, m.value) for m in cls}
    bigaccount.labels.label_members(cls, labels)


label_fresh.__module__ = "bigaccount.labels"


# -- enums -----------------------------------------------------------------------------

ENUMS: tuple[type[enum.Enum], ...] = (
    Attitude,
    BuyingRole,
    Function,
    Level,
    Rung,
    Segment,
    Lang,
    PlanSection,
    Posture,
    Quadrant,
    Force,
    PurchaseFactor,
    SellingForce,
    Behaviour,
    SalesLevel,
    CustomerType,
    bigaccount.scoring.customer_type.SellingMode,
    EdgeKind,
    bigaccount.scoring.swot.Side,
    Pace,
    bigaccount.CycleKind,
    bigaccount.GateKind,
    bigaccount.Move,
    bigaccount.Outcome,
)
for _enum in ENUMS:
    case(
        _enum.__name__,
        _enum,
        {"value": next(iter(_enum)).value},
        {"value": member_of(_enum)},
        module=_enum.__module__,
        names={"value": (re.sub(r"(?<!^)(?=[A-Z])", "_", _enum.__name__).lower(),)},
    )


# -- labels and money ------------------------------------------------------------------

case("Label", Label, {"zh": "甲", "en": "a"}, {"zh": text(), "en": text()})
case("Label.text", L.text, {"lang": "en"}, {"lang": lang()})
case(
    "label_members",
    label_fresh,
    {"cls": Fresh(a_tier), "labels": EVERY_MEMBER},
    {
        "cls": special(None, 1, "Tier", Level, JUNK, enum.Enum("Plain", "A B"), str),
        "labels": mapping(({JUNK: L}, {Level.DECISION: L}, {}, {"GOLD": L})),
    },
)
case(
    "set_language",
    isolated(bigaccount.set_language),
    {"lang": "en"},
    {"lang": lang(optional=False)},
)
case("language", entered(bigaccount.language), {"lang": "en"}, {"lang": lang(optional=False)})
case("get_language", bigaccount.get_language)
case(
    "Money",
    Money,
    {"amount": "100", "currency": "CNY"},
    {
        "amount": special(None, 1.5, NAN, "1,2,3", "１２３", "1e999999999", [], JUNK, True),
        "currency": special(None, "XYZ", "cny ", "", 156, [], JUNK),
    },
)
case(
    "total",
    bigaccount.total,
    {"amounts": [CNY, CNY], "currency": "CNY"},
    {
        "amounts": many(Money, CNY),
        "currency": special(None, "XYZ", "", 1, [], JUNK),
    },
)


# -- people ----------------------------------------------------------------------------

PERSON_ARGS = {
    "id": "cfo",
    "name": "周敏",
    "level": "decision",
    "function": "finance",
    "role": "decision_maker",
    "attitude": "neutral",
    "rung": "approving",
    "influence": 2.0,
    "reports_to": "ceo",
    "title": "CFO",
    "last_contact": D0,
    "profile": None,
}
case(
    "Stakeholder",
    Stakeholder,
    PERSON_ARGS,
    {
        "id": text(),
        "name": text(),
        "level": member_of(Level),
        "function": member_of(Function),
        "role": member_of(BuyingRole),
        "attitude": member_of(Attitude),
        "rung": member_of(Rung),
        "influence": real(0),
        "reports_to": Kind("text", (*text(optional=True).bad, "cfo"), text(optional=True).draw),
        "title": text(optional=True),
        "last_contact": day(),
        "profile": one(PersonalProfile, optional=True),
    },
)
PRIVATE_TEXTS = Kind("texts", (None, 1, "cat", b"x", [1], [" "], {"a": "b"}, JUNK), st.integers())
"""A personal profile's lists: sequences of texts (one text alone is refused)."""
case(
    "PersonalProfile",
    PersonalProfile,
    {"hometown": "苏州", "pets": ("cat",)},
    {
        a.name: PRIVATE_TEXTS if a.default == () else text(optional=True)
        for a in attrs.fields(PersonalProfile)
    },
    names={a.name: ("profile",) for a in attrs.fields(PersonalProfile)},
)
case(
    "Influence",
    Influence,
    {"source": "cio", "target": "ceo"},
    {
        "source": Kind("text", (*text().bad, "ceo"), text().draw),
        "target": text(),
    },
    names={"source": ("influences",)},
)
case(
    "BuyingCenter",
    BuyingCenter,
    {"stakeholders": (CEO, CIO, USER), "influences": (Influence("cio", "ceo"),)},
    {
        "stakeholders": many(Stakeholder, CEO),
        "influences": Kind(
            "sequence",
            (*many(Influence, Influence("cio", "ceo")).bad, [Influence("x", "ceo")]),
            many(Influence, Influence("cio", "ceo")).draw,
        ),
    },
)
for _method in ("get", "reports_of", "chain_of", "influencers_of", "influenced_by"):
    case(
        f"BuyingCenter.{_method}",
        getattr(CENTER, _method),
        {"person_id": "cio"},
        {"person_id": name(("ceo", "cio", "ops"))},
        names={"person_id": ("id",)},
    )
case("BuyingCenter.with_person", CENTER.with_person, {"person": CEO}, {"person": one(Stakeholder)})
case(
    "BuyingCenter.updated",
    CENTER.updated,
    {"person_id": "cio", "changes": {"rung": "friends"}},
    {
        "person_id": name(("ceo", "cio", "ops")),
        "changes": special({"influence": -1}, {"nope": 1}, {"level": "bogus"}),
    },
    names={"person_id": ("id",), "changes": ("influence", "nope", "level")},
)
case(
    "redacted",
    bigaccount.redacted,
    {"value": CENTER},
    {"value": one(Stakeholder)},
)
case(
    "personal_fields",
    bigaccount.people.personal_fields,
    {"cls": Stakeholder},
    {"cls": special(None, 1, "Stakeholder", JUNK, int, CEO)},
)


# -- relationship scores ---------------------------------------------------------------

case(
    "DecayPolicy",
    DecayPolicy,
    {"grace_days": 30, "half_life_days": 60.0, "undated": 0.5},
    {
        "grace_days": real(0, whole=True),
        "half_life_days": real(0, above=True),
        "undated": real(0, 1),
    },
)
case(
    "DecayPolicy.factor",
    DecayPolicy().factor,
    {"age_days": 10},
    {"age_days": real(0, whole=True, optional=True)},
)
case(
    "LevelWeights",
    LevelWeights,
    {"decision": 3.0, "management": 2.0, "operational": 1.0},
    {"decision": real(0), "management": real(0), "operational": real(0)},
)
case("LevelWeights.of", LevelWeights().of, {"level": Level.DECISION}, {"level": member_of(Level)})
SCORE_KINDS = {
    "as_of": day(),
    "decay": one(DecayPolicy),
    "weights": one(LevelWeights),
}
for _label, _call, _extra, _extra_kinds in (
    ("account_depth", bigaccount.scoring.relationship.account_depth, {}, {}),
    (
        "level_depth",
        bigaccount.scoring.relationship.level_depth,
        {"level": "decision"},
        {"level": member_of(Level)},
    ),
    (
        "function_depth",
        bigaccount.scoring.relationship.function_depth,
        {"function": "user"},
        {"function": member_of(Function)},
    ),
):
    case(
        _label,
        _call,
        {"center": CENTER, "as_of": D0, **_extra},
        {"center": one(BuyingCenter), **SCORE_KINDS, **_extra_kinds},
    )
case(
    "depth_of",
    bigaccount.scoring.relationship.depth_of,
    {"people": (CEO, CIO), "as_of": D0},
    {"people": many(Stakeholder, CEO), **SCORE_KINDS},
)
for _label, _call in (
    ("freshness", bigaccount.scoring.relationship.freshness),
    ("person_depth", bigaccount.scoring.relationship.person_depth),
):
    case(
        _label,
        _call,
        {"person": CIO, "as_of": D0},
        {"person": one(Stakeholder), "as_of": day(), "decay": one(DecayPolicy)},
    )
GRID_KINDS = {
    "functions": Kind(
        "sequence",
        (None, "user", Function.USER, 1, JUNK, [], ["bogus"], [None], [1], {"a": 1}),
        st.one_of(st.text(max_size=3), st.lists(st.text(max_size=3), min_size=1)),
        ((["user"], (Function.USER,)),),
    ),
    "min_rung": member_of(Rung),
}
case(
    "coverage",
    coverage,
    {"center": CENTER, "as_of": D0, "functions": ("user", "technical"), "min_rung": "familiar"},
    {"center": one(BuyingCenter), "as_of": day(), "decay": one(DecayPolicy), **GRID_KINDS},
)
case("decision_support", decision_support, {"center": CENTER}, {"center": one(BuyingCenter)})
case(
    "relationship_scores",
    relationship_scores,
    {"center": CENTER, "as_of": D0},
    {"center": one(BuyingCenter), **SCORE_KINDS, **GRID_KINDS},
)
case("RelationshipScores.level", SCORES.level, {"level": "decision"}, {"level": member_of(Level)})
case(
    "RelationshipScores.function",
    SCORES.function,
    {"function": "user"},
    {"function": member_of(Function)},
)
case(
    "Depth",
    Depth,
    {"value": 0.5, "people": 2, "weight": 5.0, "no_data": False},
    {"value": real(0, 1), "people": real(0, whole=True), "weight": real(0), "no_data": flag()},
)
case(
    "CoverageCell",
    CoverageCell,
    {"level": "decision", "function": "user", "people": 2, "related": 1, "best": 0.5},
    {
        "level": member_of(Level),
        "function": member_of(Function),
        "people": real(0, whole=True),
        "related": Kind("whole", (*real(0, whole=True).bad, 3), real(0, whole=True).draw),
        "best": real(0, 1),
    },
)
case(
    "Gap",
    Gap,
    {"level": "decision", "function": "finance", "people": 0},
    {"level": member_of(Level), "function": member_of(Function), "people": real(0, whole=True)},
)
case(
    "Coverage",
    Coverage,
    {
        "value": COVERAGE.value,
        "cells": COVERAGE.cells,
        "gaps": COVERAGE.gaps,
        "people": COVERAGE.people,
        "related": COVERAGE.related,
        "no_data": False,
    },
    {
        "value": real(0, 1),
        "cells": many(CoverageCell, CELL),
        "gaps": many(Gap, GAP),
        "people": real(0, whole=True),
        "related": real(0, whole=True),
        "no_data": flag(),
    },
)
case(
    "DecisionSupport",
    DecisionSupport,
    attrs.asdict(SUPPORT, recurse=False),
    {
        "share": real(0, 1),
        "opposed": real(0, 1),
        "top": Kind("texts", (None, 1, [1], [""], [None], JUNK, b"x"), st.integers()),
        "top_favours": flag(),
        "group": real(0, whole=True),
        "no_data": flag(),
        "top_supporters": real(0, whole=True),
    },
)
case("DecisionSupport.favours", SUPPORT.favours)
case(
    "RelationshipScores",
    RelationshipScores,
    attrs.asdict(SCORES, recurse=False),
    {
        "account": one(Depth),
        "levels": special(None, 1, "x", [(Level.DECISION, 1)], [("bogus", DEPTH)], [DEPTH], JUNK),
        "functions": special(None, 1, "x", [(Function.USER, 1)], [("bogus", DEPTH)], JUNK),
        "coverage": one(Coverage),
        "support": one(DecisionSupport),
        "no_data": flag(),
    },
)


# -- fishing-net map -------------------------------------------------------------------

case(
    "fishnet",
    fishnet,
    {"center": CENTER, "as_of": D0},
    {"center": one(BuyingCenter), "as_of": day(), "decay": one(DecayPolicy)},
)
case(
    "to_mermaid",
    bigaccount.scoring.fishnet.to_mermaid,
    {"net": NET, "lang": "en"},
    {"net": one(FishnetMap), "lang": lang()},
)
case(
    "FishnetNode",
    FishnetNode,
    attrs.asdict(NODE, recurse=False),
    {
        "id": text(),
        "name": text(),
        "title": text(optional=True),
        "level": member_of(Level),
        "function": member_of(Function),
        "role": member_of(BuyingRole),
        "attitude": member_of(Attitude),
        "rung": member_of(Rung),
        "influence": real(0),
        "last_contact": day(aware=False),
        "depth": real(0, 1),
        "stale": flag(),
    },
)
case(
    "FishnetEdge",
    FishnetEdge,
    {"source": "cio", "target": "ceo", "kind": "influences"},
    {"source": text(), "target": text(), "kind": member_of(EdgeKind)},
)
case(
    "FishnetMap",
    FishnetMap,
    attrs.asdict(NET, recurse=False),
    {
        "nodes": many(FishnetNode, NODE),
        "edges": many(FishnetEdge, EDGE),
        "problems": many(Label, L),
        "no_data": flag(),
    },
)


# -- SWOT and five forces --------------------------------------------------------------

case(
    "RatingScale",
    RatingScale,
    {"low": 1, "high": 4},
    {
        "low": Kind("number", (*real(0).bad, 4, 5), real(0).draw),
        "high": Kind("number", (*real(0).bad, 1, 0.5), real(0, above=True).draw),
    },
    names={"low": ("scale",), "high": ("scale",)},
)
for _method in ("contains", "clip", "fraction"):
    case(
        f"RatingScale.{_method}",
        getattr(RatingScale(1, 4), _method),
        {"value": 2.5},
        {"value": real()},
    )
case(
    "SwotFactor",
    SwotFactor,
    {"id": "s1", "quadrant": "strength", "name": "fit", "weight": 0.5, "rating": 3, "note": "n"},
    {
        "id": text(),
        "quadrant": member_of(Quadrant),
        "name": text(),
        "weight": real(0),
        "rating": real(0),
        "note": text(optional=True),
    },
)
case(
    "TowsLink",
    TowsLink,
    {"internal": "s1", "external": "o1", "strategy": "do it"},
    {"internal": text(), "external": text(), "strategy": text(optional=True)},
)
case(
    "Swot",
    Swot,
    {"factors": SWOT.factors, "links": SWOT.links, "scale": RatingScale(), "project": "X"},
    {
        "factors": Kind(
            "sequence",
            (*many(SwotFactor, STRENGTH).bad, [STRENGTH, STRENGTH]),
            many(SwotFactor, STRENGTH).draw,
        ),
        "links": Kind(
            "sequence",
            (
                *many(TowsLink, SWOT.links[0]).bad,
                [TowsLink("s1", "nope")],
                [TowsLink("o1", "s1")],
            ),
            many(TowsLink, SWOT.links[0]).draw,
        ),
        "scale": one(RatingScale),
        "project": text(optional=True),
    },
    names={"links": ("internal", "external")},
)
case(
    "Swot.factor",
    SWOT.factor,
    {"id": "s1"},
    {"id": name(("s1", "w1", "o1", "t1"))},
    names={"id": ("factor",)},
)
case("Swot.quadrant", SWOT.quadrant, {"quadrant": "strength"}, {"quadrant": member_of(Quadrant)})
case(
    "score_swot",
    score_swot,
    {"swot": SWOT, "normalise": False, "tolerance": 0.01, "required": ["strength"]},
    {
        "swot": one(Swot),
        "normalise": flag(),
        "tolerance": real(0),
        "required": Kind(
            "sequence",
            (None, "strength", Quadrant.STRENGTH, 1, JUNK, ["bogus"], [None], [1]),
            st.one_of(st.text(max_size=3), st.lists(st.text(max_size=3), min_size=1)),
            ((["strength"], (Quadrant.STRENGTH,)),),
        ),
    },
)
case(
    "Posture.of",
    Posture.of,
    {"internal": "strength", "external": "threat"},
    {
        "internal": Kind("enum", (*member_of(Quadrant).bad, "threat"), member_of(Quadrant).draw),
        "external": Kind("enum", (*member_of(Quadrant).bad, "strength"), member_of(Quadrant).draw),
    },
    names={"internal": ("posture",), "external": ("posture",)},
)
case(
    "Adjustment",
    Adjustment,
    {"factor": "s1", "field": "weight", "given": 2.0, "used": 1.0},
    {
        "factor": text(),
        "field": text(),
        "given": real(),
        "used": real(),
    },
)
case(
    "FactorScore",
    FactorScore,
    {"id": "s1", "quadrant": "strength", "weight": 0.5, "rating": 3.0, "score": 1.5},
    {
        "id": text(),
        "quadrant": member_of(Quadrant),
        "weight": real(0),
        "rating": real(0),
        "score": real(0),
    },
)
case(
    "TowsEntry",
    TowsEntry,
    {"internal": "s1", "external": "o1", "strategy": None, "priority": 0.5},
    {
        "internal": text(),
        "external": text(),
        "strategy": text(optional=True),
        "priority": real(0, 1),
    },
)
_TOWS_ENTRY = TowsEntry("s1", "o1", None, 0.5)
case(
    "TowsMatrix",
    TowsMatrix,
    {"so": (_TOWS_ENTRY,), "wo": (), "st": (), "wt": ()},
    {
        "so": many(TowsEntry, _TOWS_ENTRY),
        "wo": many(TowsEntry, _TOWS_ENTRY),
        "st": many(TowsEntry, _TOWS_ENTRY),
        "wt": many(TowsEntry, _TOWS_ENTRY),
    },
)
case("TowsMatrix.cell", SWOT_RESULT.tows.cell, {"posture": "SO"}, {"posture": member_of(Posture)})
case(
    "SwotResult",
    SwotResult,
    attrs.asdict(SWOT_RESULT, recurse=False),
    {
        "strengths": real(0),
        "weaknesses": real(0),
        "opportunities": real(0),
        "threats": real(0),
        "internal": real(),
        "external": real(),
        "posture": member_of(Posture),
        "tows": one(TowsMatrix),
        "factors": many(FactorScore, SWOT_RESULT.factors[0]),
        "adjustments": many(Adjustment, Adjustment("s1", "weight", 2.0, 1.0)),
        "scale": one(RatingScale),
    },
)
case(
    "SwotResult.key_factors",
    SWOT_RESULT.key_factors,
    {"n": 2, "quadrant": "strength"},
    {"n": real(0, whole=True), "quadrant": member_of(Quadrant, optional=True)},
)
case(
    "ForceRating",
    ForceRating,
    {"force": "rivalry", "rating": 4, "weight": 0.2, "note": "n"},
    {"force": member_of(Force), "rating": real(0), "weight": real(0), "note": text(optional=True)},
)
case(
    "FiveForces",
    FiveForces,
    {"ratings": FORCES.ratings, "industry": "steel", "scale": RatingScale(1, 5)},
    {
        "ratings": Kind(
            "sequence",
            (*many(ForceRating, FORCE).bad, [FORCE], [*FORCES.ratings, FORCE]),
            many(ForceRating, FORCE).draw,
        ),
        "industry": text(optional=True),
        "scale": one(RatingScale),
    },
    names={"ratings": ("forces",)},
)
case("FiveForces.rating", FORCES.rating, {"force": "rivalry"}, {"force": member_of(Force)})
case(
    "score_forces",
    score_forces,
    {"forces": FORCES, "normalise": False, "tolerance": 0.01},
    {"forces": one(FiveForces), "normalise": flag(), "tolerance": real(0)},
)
case(
    "ForcesResult",
    ForcesResult,
    attrs.asdict(FORCES_RESULT, recurse=False),
    {
        "attractiveness": real(0, 1),
        "pressures": special(None, 1, "x", [(Force.RIVALRY, 2.0)], [("bogus", 0.5)], JUNK),
        "dominant": special(None, 1, "rivalry", ["bogus"], [None], JUNK),
        "adjustments": many(Adjustment, Adjustment("rivalry", "weight", 2.0, 1.0)),
    },
)
case(
    "ForcesResult.pressure",
    FORCES_RESULT.pressure,
    {"force": "rivalry"},
    {"force": member_of(Force)},
)


# -- readiness, salesperson, customer type ---------------------------------------------

case(
    "FactorRatings",
    FactorRatings,
    {
        "know": 0.5,
        "need_worth": 0.5,
        "trust": 0.5,
        "satisfaction": 0.5,
        "subject": "cio",
        "weight": 2.0,
    },
    {
        "know": real(0, 1),
        "need_worth": real(0, 1),
        "trust": real(0, 1),
        "satisfaction": real(0, 1, optional=True),
        "subject": text(optional=True),
        "weight": real(0),
    },
)
case(
    "FactorRatings.rating",
    RATINGS.rating,
    {"factor": "know"},
    {"factor": member_of(PurchaseFactor)},
)
case(
    "assess_readiness",
    assess_readiness,
    {"ratings": [RATINGS]},
    {
        "ratings": Kind(
            "sequence",
            tuple(
                v
                for v in (
                    *many(FactorRatings, RATINGS, allow_empty=False).bad,
                    [FactorRatings(0.5, 0.5, 0.5, weight=0)],
                )
                if v is not RATINGS
            ),
            many(FactorRatings, RATINGS).draw.filter(lambda v: v is not RATINGS),
            ((RATINGS, [RATINGS]), ([RATINGS], (RATINGS,))),
        )
    },
)
case(
    "ReadinessResult",
    ReadinessResult,
    attrs.asdict(READINESS, recurse=False),
    {
        "factors": special(None, 1, "x", [(PurchaseFactor.KNOW, 2.0)], [("bogus", 0.5)], JUNK),
        "score": real(0, 1),
        "mean": real(0, 1),
        "weakest": member_of(PurchaseFactor),
        "force": member_of(SellingForce),
        "by_subject": many(SubjectReadiness, SUBJECT),
    },
)
case(
    "ReadinessResult.factor",
    READINESS.factor,
    {"factor": "know"},
    {"factor": member_of(PurchaseFactor)},
)
case(
    "SubjectReadiness",
    SubjectReadiness,
    {"subject": "cio", "score": 0.4, "weakest": "trust", "force": "build_trust"},
    {
        "subject": text(optional=True),
        "score": real(0, 1),
        "weakest": member_of(PurchaseFactor),
        "force": member_of(SellingForce),
    },
)
case(
    "Reach",
    Reach,
    {"person": "cio", "level": "management", "function": "technical"},
    {"person": text(), "level": member_of(Level), "function": member_of(Function)},
)
case(
    "SellingAction",
    SellingAction,
    {"name": "visit", "force": "build_trust", "expense": CNY, "hours": 3, "reaches": [REACH]},
    {
        "name": text(),
        "force": member_of(SellingForce),
        "expense": Kind("money", (*money().bad, Money("-1", "CNY")), money().draw),
        "hours": real(0),
        "reaches": many(Reach, REACH),
    },
)
case(
    "strategy_cost",
    bigaccount.strategy_cost,
    {"actions": [ACTION], "currency": "CNY"},
    {
        "actions": many(SellingAction, ACTION),
        "currency": special("XYZ", "", 1, [], JUNK, "USD"),
    },
)
case(
    "StrategyCost",
    StrategyCost,
    COST_PARTS,
    {
        "expense": money(),
        "hours": real(0),
        "people": real(0, whole=True),
        "levels": special(None, 1, "decision", ["bogus"], [None], JUNK),
        "functions": special(None, 1, "user", ["bogus"], [None], JUNK),
        "missing_levels": special(None, 1, "decision", ["bogus"], [None], JUNK),
        "missing_functions": special(None, 1, "user", ["bogus"], [None], JUNK),
        "forces": special(None, 1, "introduce", ["bogus"], [None], JUNK),
        "missing_forces": special(None, 1, "introduce", ["bogus"], [None], JUNK),
        "coverage": real(0, 1),
    },
)
case(
    "SalesBehaviours",
    SalesBehaviours,
    {"product": 0.9, "solutions": 0.7, "value": 0.3, "influence": 0.1},
    {
        "product": real(0, 1),
        "solutions": real(0, 1),
        "value": real(0, 1),
        "influence": real(0, 1),
    },
)
case(
    "SalesBehaviours.share",
    BEHAVIOURS.share,
    {"behaviour": "value"},
    {"behaviour": member_of(Behaviour)},
)
case(
    "assess_salesperson",
    assess_salesperson,
    {"observed": BEHAVIOURS, "threshold": 0.5},
    {"observed": one(SalesBehaviours), "threshold": real(0, 1, above=True)},
)
case(
    "SalespersonResult",
    SalespersonResult,
    {"level": "traditional", "to_develop": "value", "progress": 0.6, "threshold": 0.5},
    {
        "level": member_of(SalesLevel),
        "to_develop": member_of(Behaviour, optional=True),
        "progress": real(0, 1),
        "threshold": real(0, 1, above=True),
    },
)
case(
    "CustomerSignals",
    CustomerSignals,
    {
        "intrinsic_value": 0.3,
        "extrinsic_value": 0.8,
        "strategic_value": 0.4,
        "size": 0.5,
        "relationship": 0.4,
    },
    {
        "intrinsic_value": real(0, 1),
        "extrinsic_value": real(0, 1),
        "strategic_value": real(0, 1),
        "size": real(0, 1),
        "relationship": real(0, 1),
    },
)
case(
    "classify_customer", classify_customer, {"signals": SIGNALS}, {"signals": one(CustomerSignals)}
)
case(
    "CustomerTypeResult",
    CustomerTypeResult,
    attrs.asdict(TYPE_RESULT, recurse=False),
    {
        "type": member_of(CustomerType),
        "confidence": real(0, 1),
        "transactional": real(0, 1),
        "consultative": real(0, 1),
        "partner": real(0, 1),
    },
)
case(
    "CustomerTypeResult.evidence",
    TYPE_RESULT.evidence,
    {"type": "partner"},
    {"type": member_of(CustomerType)},
)


# -- the account plan ------------------------------------------------------------------

case(
    "InstalledBase",
    InstalledBase,
    {"item": "ERP", "quantity": 3, "amount": CNY},
    {
        "item": text(),
        "quantity": real(0, whole=True, optional=True),
        "amount": money(optional=True),
    },
)
case(
    "CompetitorMove",
    CompetitorMove,
    {"what": "price cut", "on": D0},
    {"what": text(), "on": day(aware=False)},
)
case(
    "Competitor",
    Competitor,
    {
        "name": "Rival",
        "strengths": ("incumbent",),
        "weaknesses": "slow",
        "satisfaction": 0.5,
        "share": 0.3,
        "installed_base": [InstalledBase("ERP")],
        "latest_moves": [CompetitorMove("price cut")],
    },
    {
        "name": text(),
        "strengths": texts(),
        "weaknesses": texts(),
        "installed_base": many(InstalledBase, InstalledBase("ERP")),
        "latest_moves": many(CompetitorMove, CompetitorMove("price cut")),
        "satisfaction": real(0, 1, optional=True),
        "share": real(0, 1, optional=True),
    },
)
case(
    "FinancialYear",
    FinancialYear,
    {"year": 2025, "sales": CNY, "profit": CNY, "market_share": 0.1},
    {
        "year": Kind("whole", (*real(0, whole=True).bad, 0, 99999), real(0, whole=True).draw),
        "sales": Kind(
            "money", (*money(optional=True).bad, Money("-1", "CNY")), money(optional=True).draw
        ),
        "profit": money(optional=True),
        "market_share": real(0, 1, optional=True),
    },
)
case(
    "OrgPosition",
    OrgPosition,
    {"position": "CIO", "person": "李娜", "reports_to": "CEO"},
    {"position": text(), "person": text(optional=True), "reports_to": text(optional=True)},
)
case(
    "HistoryEvent",
    HistoryEvent,
    {"what": "first order", "on": D0},
    {"what": text(), "on": day(aware=False)},
)
case(
    "SupplierShare",
    SupplierShare,
    {"supplier": "Rival", "share": 0.4},
    {"supplier": text(), "share": real(0, 1, optional=True)},
)
_PROFILE_KINDS: dict[str, Kind] = {}
_PROFILE_ARGS: dict[str, object] = {}
for _field in attrs.fields(AccountProfile):
    _type = str(_field.type)
    if _field.name in ("financials",):
        _PROFILE_KINDS[_field.name] = many(FinancialYear, FinancialYear(2025))
    elif _field.name == "organisation_chart":
        _PROFILE_KINDS[_field.name] = many(OrgPosition, OrgPosition("CIO"))
    elif _field.name == "history":
        _PROFILE_KINDS[_field.name] = many(HistoryEvent, HistoryEvent("order"))
    elif _field.name == "suppliers":
        _PROFILE_KINDS[_field.name] = many(SupplierShare, SupplierShare("Rival"))
    elif _field.name == "our_installed_base":
        _PROFILE_KINDS[_field.name] = many(InstalledBase, InstalledBase("ERP"))
    elif "Money" in _type:
        _PROFILE_KINDS[_field.name] = money(optional=True)
    elif _field.name in ("our_share", "satisfaction_with_us"):
        _PROFILE_KINDS[_field.name] = real(0, 1, optional=True)
    elif _field.default == ():
        _PROFILE_KINDS[_field.name] = texts()
    else:
        _PROFILE_KINDS[_field.name] = text(optional=True)
case("AccountProfile", AccountProfile, {"industry": "steel"}, _PROFILE_KINDS)
case(
    "CoverageItem",
    CoverageItem,
    {"person": "cio", "opportunity": "ERP", "actions": ("visit",), "owner": "me"},
    {
        "person": text(),
        "opportunity": text(optional=True),
        "actions": texts(),
        "owner": text(optional=True),
    },
)
case(
    "AccountStrategies",
    AccountStrategies,
    {"customer": "grow", "ours": ("win",), "coverage": [CoverageItem("cio")]},
    {"customer": texts(), "ours": texts(), "coverage": many(CoverageItem, CoverageItem("cio"))},
)
case(
    "RoadmapStep",
    RoadmapStep,
    {"step": "pilot", "by": D0},
    {"step": text(), "by": day(aware=False)},
)
case(
    "ValueProposition",
    ValueProposition,
    {"customer_wants": "uptime", "roadmap": [RoadmapStep("pilot")]},
    {
        "customer_wants": texts(),
        "customer_does_not_want": texts(),
        "customer_cannot_get": texts(),
        "our_value": texts(),
        "roadmap": many(RoadmapStep, RoadmapStep("pilot")),
    },
)
case(
    "KeyAction",
    KeyAction,
    {"action": "visit", "owner": "me", "due": D0, "support": "car"},
    {"action": text(), "owner": text(optional=True), "due": day(aware=False), "support": texts()},
)
case(
    "AccountPlan",
    AccountPlan,
    {"account": "Acme", "period": "FY2026", "competitors": [COMPETITOR], "how_we_win": "ref"},
    {
        "account": text(),
        "period": text(optional=True),
        "profile": one(AccountProfile),
        "strategies": one(AccountStrategies),
        "value_proposition": one(ValueProposition),
        "competitors": many(Competitor, COMPETITOR),
        "how_we_win": texts(),
        "key_actions": many(KeyAction, KeyAction("visit")),
        "support_requirements": texts(),
    },
)
case("AccountPlan.completeness", PLAN.completeness)
case("plan_completeness", plan_completeness, {"plan": PLAN}, {"plan": one(AccountPlan)})
case(
    "PlanCompleteness",
    PlanCompleteness,
    attrs.asdict(DONE, recurse=False),
    {
        "score": real(0, 1),
        "sections": special(None, 1, "x", [(PlanSection.HISTORY, 2.0)], [("bogus", 0.5)], JUNK),
        "empty": special(None, 1, "history", ["bogus"], [None], JUNK),
        "missing_profile_fields": special(None, 1, ["bogus"], [None], JUNK),
    },
)
case(
    "PlanCompleteness.section",
    DONE.section,
    {"section": "history"},
    {"section": member_of(PlanSection)},
)


# -- value chain and catalogues --------------------------------------------------------

CHAIN = value_chain()
CHAIN_TEXT = (files("bigaccount") / "cycles" / "data" / "valuechain.toml").read_text("utf-8")
STAGE_KINDS = {"buyer": name(), "seller": name(optional=True)}
case(
    "check_positions",
    check_positions,
    {"buyer": "RECOGNITION", "seller": "SOLUTION", "project": "P2"},
    {
        **STAGE_KINDS,
        "project": Kind("name", (*name(optional=True).bad, "SOLUTION"), name(optional=True).draw),
    },
)
case(
    "ValueChain.check_positions",
    CHAIN.check_positions,
    {"buyer": "RECOGNITION", "seller": "SOLUTION", "project": "P2"},
    {**STAGE_KINDS, "project": name(optional=True)},
)
case(
    "aligned",
    bigaccount.valuechain.aligned,
    {"cycle": "activity", "stage_id": "REFINEMENT"},
    {"cycle": name(("decision", "activity", "advancement")), "stage_id": name()},
    names={"stage_id": ("stage", "seller")},
)
case(
    "ValueChain.aligned",
    CHAIN.aligned,
    {"cycle": "activity", "stage_id": "REFINEMENT"},
    {"cycle": name(("decision", "activity", "advancement")), "stage_id": name()},
    names={"stage_id": ("stage", "seller")},
)
case(
    "ValueChain.column_of",
    CHAIN.column_of,
    {"role": "seller", "stage_id": "REFINEMENT"},
    {"role": name(("buyer", "seller", "project")), "stage_id": name()},
    names={"stage_id": ("stage", "seller")},
)
case(
    "check_alignment",
    bigaccount.check_alignment,
    {"deal": Fresh(a_deal), "chain": CHAIN},
    {"deal": one(Deal), "chain": one(ValueChain, optional=True)},
)
case("ValueChain.check", CHAIN.check, {"deal": Fresh(a_deal)}, {"deal": one(Deal)})
case("value_chain", value_chain)
case(
    "read_alignment",
    bigaccount.valuechain.read_alignment,
    {"data": builtin_data("valuechain"), "source": "chain.toml", "cycles": ()},
    {
        "data": mapping(({"chain": 1},), st.one_of(JUNK_DRAW, st.none())),
        "source": text(),
        "cycles": many(Cycle, CYCLE),
    },
    names={"data": ("chain", "<data>", "<top>", "chain.toml", "columns")},
)
case(
    "load_alignment",
    bigaccount.valuechain.load_alignment,
    {"source": CHAIN_TEXT, "cycles": (), "format": "toml"},
    {
        "source": special(None, 1, b"x", [], JUNK, "not = [toml", Path("/nonexistent/c.toml")),
        "cycles": many(Cycle, CYCLE),
        "format": special("yaml", 1, "", JUNK),
    },
    names={"source": ("<source>", "<text>", "c.toml"), "format": ("<text>",)},
)
case(
    "AlignedStages",
    AlignedStages,
    attrs.asdict(ALIGNED, recurse=False),
    {
        "index": real(0, whole=True),
        "decision": one(Stage),
        "activity": one(Stage),
        "advancement": one(Stage, optional=True),
        "doing": one(Label, optional=True),
        "action": one(Label, optional=True),
    },
)
case(
    "ReportTexts",
    ReportTexts,
    attrs.asdict(CHAIN.texts, recurse=False),
    {
        "in_step": Kind("instance", (*one(Label).bad, Label("{nope}", "{nope}")), one(Label).draw),
        "ahead": Kind("instance", (*one(Label).bad, Label("{n:>5}", "{n}")), one(Label).draw),
        "behind": one(Label),
        "project_off": Kind("instance", (*one(Label).bad, Label("{", "{")), one(Label).draw),
    },
)
case(
    "ValueChain",
    ValueChain,
    attrs.asdict(CHAIN, recurse=False),
    {
        "name": text(),
        "label": one(Label),
        "buyer": one(Cycle),
        "seller": Kind("instance", (*one(Cycle).bad, CYCLE), one(Cycle).draw),
        "columns": Kind(
            "sequence", (*many(AlignedStages, ALIGNED).bad, []), many(AlignedStages, ALIGNED).draw
        ),
        "texts": one(ReportTexts),
        "project": one(Cycle, optional=True),
        "description": one(Label, optional=True),
        "warning": one(Label, optional=True),
        "catalogues": Kind(
            "texts", (None, 1, "crasis", [1], ["no_such_catalogue"], JUNK), st.integers()
        ),
    },
)
case(
    "AlignmentReport",
    AlignmentReport,
    attrs.asdict(ALIGNMENT_REPORT, recurse=False),
    {
        "buyer": text(),
        "seller": text(optional=True),
        "project": text(optional=True),
        "pace": member_of(Pace),
        "gap": real(whole=True),
        "project_gap": real(whole=True, optional=True),
        "expected": one(AlignedStages),
        "missed": many(Label, L),
        "explanation": one(Label),
    },
)
case(
    "Catalogue",
    Catalogue,
    {
        "id": "mine",
        "title": L,
        "entries": [ENTRY],
        "groups": [Group("g", L)],
        "source": "001",
        "note": L,
        "inferred": False,
        "stated_at": ["funnel.TARGET"],
    },
    {
        "id": text(),
        "title": one(Label),
        "entries": Kind(
            "sequence", (*many(Entry, ENTRY).bad, [ENTRY, ENTRY]), many(Entry, ENTRY).draw
        ),
        "groups": many(Group, Group("g", L)),
        "source": special(None, 1, [], JUNK),
        "note": one(Label, optional=True),
        "inferred": flag(),
        "stated_at": Kind(
            "texts", (None, 1, "funnel.TARGET", [1], ["funnel"], JUNK), st.integers()
        ),
    },
)
case(
    "Entry",
    Entry,
    {"key": "k", "label": L, "details": [L], "group": "g"},
    {"key": text(), "label": one(Label), "details": many(Label, L), "group": text(optional=True)},
)
case("Group", Group, {"key": "g", "label": L}, {"key": text(), "label": one(Label)})
case(
    "Catalogue.entry",
    CATALOGUE.entry,
    {"key": CATALOGUE.entries[0].key},
    {"key": name()},
    names={"key": ("entry",)},
)
case(
    "Catalogue.in_group",
    CATALOGUE.in_group,
    {"key": "early"},
    {"key": name()},
    names={"key": ("group",)},
)
case(
    "Catalogue.stated_for",
    CATALOGUE.stated_for,
    {"cycle": "funnel", "stage_id": "NEGOTIATION"},
    {"cycle": text(), "stage_id": text()},
)
case("catalogue_ids", bigaccount.catalogues.catalogue_ids)
case("get_catalogue", get_catalogue, {"id": "crasis"}, {"id": name()}, names={"id": ("catalogue",)})
case(
    "catalogues_for",
    bigaccount.catalogues_for,
    {"cycle": "funnel", "stage_id": "NEGOTIATION"},
    {"cycle": name(), "stage_id": name()},
    names={"stage_id": ("stage",)},
)
case(
    "stages_for",
    bigaccount.catalogues.stages_for,
    {"catalogue_id": "crasis"},
    {"catalogue_id": name()},
    names={"catalogue_id": ("catalogue",)},
)


# -- the engine and the deal (other modules: problems are reported, not fixed here) ------

case(
    "Account",
    Account,
    {"name": "Acme", "segment": "sme", "industry": "steel", "id": "A-1"},
    {
        "name": text(),
        "segment": member_of(Segment),
        "industry": text(optional=True),
        "id": text(optional=True),
    },
)
case(
    "Deal",
    Deal,
    {
        "id": "D-1",
        "account": Account("Acme", "sme"),
        "amount": CNY,
        "expected_close": D0,
        "owner": "me",
        "people": CENTER,
        "competitors": [COMPETITOR],
    },
    {
        "id": text(),
        "account": one(Account),
        "amount": Kind("money", (*money().bad, Money("-1", "CNY")), money().draw),
        "expected_close": day(aware=False),
        "owner": text(optional=True),
        "people": one(BuyingCenter, optional=True),
        "competitors": many(Competitor, COMPETITOR),
    },
)
case(
    "Context",
    Context,
    {"as_of": T0, "settings": [DecayPolicy()], "clock": bigaccount.system_clock},
    {
        "as_of": moment(optional=True, dates=True),
        "settings": special(None, "x", 1, {int: "x"}, JUNK, [DecayPolicy(), DecayPolicy()]),
        "clock": special("x", 1, JUNK),
        "moment": moment(optional=True, dates=True),
    },
)
case("current_context", bigaccount.current_context)
case("system_clock", bigaccount.system_clock)
case(
    "use_context",
    entered(bigaccount.use_context),
    {"context": Context()},
    {"context": one(Context)},
)
case(
    "Fact",
    Fact,
    {"id": "budget", "value": CNY, "at": T0, "by": "me", "source": "crm"},
    {
        "id": text(),
        "value": special(None, NAN, INF, NAIVE, "", [], {}, JUNK, Decimal("NaN"), b"x"),
        "at": moment(optional=True),
        "by": text(optional=True),
        "source": text(optional=True),
    },
    names={"value": ("budget",)},
)
case(
    "FactChange",
    FactChange,
    {"fact": "budget", "value": True, "at": T0, "actor": "me", "source": "crm"},
    {
        "fact": text(),
        "value": special(NAN, INF, NAIVE, "", [], {}, JUNK, b"x"),
        "at": moment(),
        "actor": text(optional=True),
        "source": text(optional=True),
    },
    names={"value": ("budget",)},
)
case(
    "Snapshot",
    Snapshot,
    {
        "facts": {"a": Fact("a", True)},
        "segment": "sme",
        "people": CENTER,
        "competitors": [COMPETITOR],
    },
    {
        "facts": mapping(({"a": True}, {"a": Fact("b", True)}, {1: Fact("a", True)})),
        "segment": member_of(Segment, optional=True),
        "people": one(BuyingCenter, optional=True),
        "competitors": many(Competitor, COMPETITOR),
    },
)
case(
    "Criterion",
    Criterion,
    {"id": "x", "label": L, "test": lambda e, c: True, "inferred": False},
    {
        "id": identifier(),
        "label": one(Label),
        "test": special(None, "x", 1, JUNK),
        "inferred": flag(),
    },
)
case(
    "register_criterion",
    bigaccount.register_criterion,
    {"criterion": Criterion.fact("inputs_check", "甲", "a"), "replace": True},
    {"criterion": one(Criterion), "replace": flag()},
)
case(
    "get_criterion",
    bigaccount.get_criterion,
    {"criterion_id": "competitors_present"},
    {"criterion_id": name()},
    names={"criterion_id": ("criterion",)},
)
case("criterion_ids", bigaccount.criterion_ids)
case(
    "AtLeast",
    AtLeast,
    {"n": 1, "criteria": (A, B)},
    {
        "n": Kind("whole", (*real(0, whole=True).bad, 3), real(0, whole=True).draw),
        "criteria": many(Criterion, A),
    },
    names={"n": ("gate",), "criteria": ("gate",)},
)
case(
    "at_least",
    bigaccount.at_least,
    {"n": 1, "criteria": (A, B)},
    {
        "n": Kind("whole", (*real(0, whole=True).bad, 3), real(0, whole=True).draw),
        "criteria": items(Criterion),
    },
    names={"n": ("gate",), "criteria": ("gate",)},
)
case(
    "all_of",
    bigaccount.all_of,
    {"criteria": (A, B)},
    {"criteria": items(Criterion)},
    names={"criteria": ("gate",)},
)
case(
    "any_of",
    bigaccount.any_of,
    {"criteria": (A, B)},
    {"criteria": items(Criterion)},
    names={"criteria": ("gate",)},
)
_RULES = {Segment.SME: OPEN, Segment.ENTERPRISE: OPEN, Segment.GOVERNMENT: OPEN}
case(
    "BySegment",
    BySegment,
    {"rules": _RULES},
    {"rules": mapping(({"corp": OPEN}, {Segment.SME: "x"}, {Segment.SME: OPEN}))},
    names={"rules": ("gate", "segment")},
)
case(
    "by_segment",
    bigaccount.by_segment,
    {"rules": _RULES},
    {"rules": mapping(({"corp": OPEN}, {Segment.SME: "x"}, {Segment.SME: OPEN}))},
    names={"rules": ("gate", "segment")},
)
case(
    "GateReport",
    GateReport,
    {
        "stage": "A",
        "rule": L,
        "passed": True,
        "held": (A,),
        "missing": (),
        "needed": 0,
        "segment": None,
        "kind": "entry",
    },
    {
        "stage": text(optional=True),
        "rule": one(Label),
        "passed": flag(),
        "held": many(Criterion, A),
        "missing": many(Criterion, A),
        "needed": real(0, whole=True),
        "segment": member_of(Segment, optional=True),
        "kind": member_of(bigaccount.GateKind),
    },
)
case("Step", Step, {"label": L, "rules": [L]}, {"label": one(Label), "rules": many(Label, L)})
case(
    "SuccessMarker",
    SuccessMarker,
    {"customer": L, "supplier": L, "milestone": L},
    {"customer": one(Label), "supplier": one(Label), "milestone": one(Label)},
)
case(
    "Guidance",
    Guidance,
    {"description": L, "activities": [L], "steps": [Step(L)], "signals": [A]},
    {
        "description": one(Label, optional=True),
        "customer_action": one(Label, optional=True),
        "activities": many(Label, L),
        "steps": many(Step, Step(L)),
        "success": one(SuccessMarker, optional=True),
        "mistakes": many(Label, L),
        "checklist": many(Label, L),
        "practices": many(Label, L),
        "notes": many(Label, L),
        "signals": many(Criterion, A),
        # The engine cannot know which catalogues exist (they sit in a layer above it): a
        # malformed or repeated id is refused here, an unknown one by the cycle loader and
        # when the catalogues are looked up (test_declarations.py, test_cycle_inputs.py).
        "catalogues": Kind("texts", (None, 1, [1], ["two words"], ["a", "a"], JUNK), st.integers()),
    },
)
case(
    "Stage",
    Stage,
    {"id": "A", "label": L, "probability": 0.1, "entry": OPEN, "exit": OPEN},
    {
        "id": identifier(),
        "label": one(Label),
        "probability": real(0, 1, optional=True, tower=False),
        "entry": one(AtLeast),
        "guidance": one(Guidance),
        "owner": one(Label, optional=True),
        "phase": one(Label, optional=True),
        "exit": one(AtLeast),
    },
)
case(
    "Route",
    Route,
    {"trigger": "loop", "source": "A", "dest": "B", "label": L, "gate": OPEN},
    {
        "trigger": identifier(),
        "source": identifier(),
        "dest": identifier(),
        "label": one(Label),
        "gate": one(AtLeast),
    },
)
case(
    "Cycle",
    Cycle,
    {"name": "inputs_check", "label": L, "kind": "pipeline", "stages": STAGES},
    {
        "name": identifier(),
        "label": one(Label),
        "kind": member_of(bigaccount.CycleKind),
        "stages": Kind("sequence", (*many(Stage, STAGES[0]).bad, []), many(Stage, STAGES[0]).draw),
        "routes": many(Route, Route("loop", "A", "B", L)),
        "linear": flag(),
        "allow_jump": flag(),
        "allow_regress": flag(),
        "win_gate": one(AtLeast),
        "description": one(Label, optional=True),
    },
    names={"stages": ("c", "inputs_check")},
)
case(
    "register_cycle",
    bigaccount.register_cycle,
    {"cycle": CYCLE, "replace": True},
    {"cycle": one(Cycle), "replace": flag()},
)
case("get_cycle", get_cycle, {"name": "funnel"}, {"name": name()}, names={"name": ("cycle",)})
case("cycle_names", bigaccount.cycle_names)
case(
    "load_cycle",
    bigaccount.load_cycle,
    {"source": bigaccount.dump_cycle(CYCLE), "format": "toml"},
    {
        "source": special(None, 1, b"x", [], JUNK, "not = [toml", Path("/nonexistent/c.toml")),
        "format": special("yaml", 1, "", JUNK),
    },
    names={"source": ("<source>", "<text>", "c.toml"), "format": ("<text>",)},
)
case(
    "dump_cycle",
    bigaccount.dump_cycle,
    {"cycle": CYCLE, "format": "json"},
    {"cycle": one(Cycle), "format": special(None, "yaml", 1, "", JUNK)},
)
case(
    "mermaid",
    bigaccount.mermaid,
    {"cycle": CYCLE, "lang": "zh"},
    {"cycle": one(Cycle), "lang": lang()},
)
case(
    "markdown_table",
    bigaccount.markdown_table,
    {"cycle": CYCLE, "lang": "zh"},
    {"cycle": one(Cycle), "lang": lang()},
)
case("Track", Track, {"cycle": "funnel"}, {"cycle": text()})
case(
    "StageChange",
    StageChange,
    {
        "cycle": "funnel",
        "source": None,
        "dest": "TARGET",
        "trigger": "start",
        "move": "start",
        "at": T0,
        "actor": "me",
        "criteria": ("a",),
    },
    {
        "cycle": text(),
        "source": text(optional=True),
        "dest": text(),
        "trigger": text(),
        "move": member_of(Move),
        "at": moment(),
        "actor": text(optional=True),
        "criteria": texts(one=False),
        "reason": text(optional=True),
        "imported": flag(),
        "unmet": texts(one=False),
        "source_system": text(optional=True),
    },
)
case(
    "Transition",
    Transition,
    {"trigger": "advance", "source": "A", "dest": "B", "move": Move.ADVANCE, "gates": ()},
    {
        "trigger": text(),
        "source": text(),
        "dest": text(),
        "move": member_of(Move),
        "gates": special(None, 1, "x", [JUNK], [("A", "entry", "x")]),
    },
)
case(
    "TransitionTable",
    TransitionTable,
    {"cycle": "c", "transitions": [TRANSITION]},
    {"cycle": text(), "transitions": many(Transition, TRANSITION)},
)
case(
    "BulkReplay",
    bigaccount.BulkReplay,
    {"states": {"o1": "A"}, "errors": (), "rows": 1, "entered": 0},
    {
        "states": mapping(({"o1": 1},)),
        "errors": special(None, 1, "x", [JUNK]),
        "rows": real(0, whole=True),
        "entered": real(0, whole=True),
    },
)
case(
    "MoveCheck",
    MoveCheck,
    {"trigger": "advance", "source": "A", "dest": "B", "allowed": True, "reports": (REPORT,)},
    {
        "trigger": text(),
        "source": text(),
        "dest": text(optional=True),
        "allowed": flag(),
        "reports": many(GateReport, REPORT),
    },
)
case(
    "RelationshipThresholds",
    bigaccount.RelationshipThresholds,
    {"mid_low": "approving", "top": "trusting"},
    {
        "mid_low": member_of(Rung),
        "top": member_of(Rung),
        "decay": one(DecayPolicy),
        "weights": one(LevelWeights),
    },
)


# -- what the table leaves out, and why ------------------------------------------------

EXEMPT.update(
    {
        "Evidence": "a Protocol (what a criterion may read): not instantiated",
        "Gate": "an abstract base class: not instantiated",
        "DealEvent": "a type alias (StageChange | FactChange), not a callable",
    }
)
"""Public names that are not constructors or functions to call with arguments."""

NOT_YET: dict[str, str] = {}
"""Public callables the table does not cover yet (each a name to add, not an exemption)."""

for _name in bigaccount.__all__:
    _value = getattr(bigaccount, _name)
    if isinstance(_value, type) and issubclass(_value, BaseException):
        EXEMPT[_name] = "an exception: raised by the library, its arguments are its own"

OWNED = (
    "bigaccount.people",
    "bigaccount.plan",
    "bigaccount.scoring",
    "bigaccount.labels",
    "bigaccount.segment",
    "bigaccount.valuechain",
    "bigaccount.catalogues",
    *SURVEYED,
)
"""The modules whose fixes go with this harness; problems elsewhere are reported."""

MODULES = (
    "bigaccount.people",
    "bigaccount.plan",
    "bigaccount.scoring.customer_type",
    "bigaccount.scoring.fishnet",
    "bigaccount.scoring.forces",
    "bigaccount.scoring.readiness",
    "bigaccount.scoring.relationship",
    "bigaccount.scoring.salesperson",
    "bigaccount.scoring.swot",
    "bigaccount.valuechain",
    "bigaccount.catalogues",
    *SURVEYED,
)


def owned(module: str) -> bool:
    return any(module == m or module.startswith(m + ".") for m in OWNED)


# -- judging one call ------------------------------------------------------------------


def _words(error: BaseException) -> str:
    """Where an error says the fault lies, and its message."""
    parts = [str(error)]
    if isinstance(error, InvalidData):
        parts.append(error.field)
    if isinstance(error, InvalidDefinition):
        parts += [w for w, _ in error.problems]
    if isinstance(error, UnknownName):
        parts.append(error.kind)
    return " ".join(parts)


def _mentions(words: str, word: str) -> bool:
    return re.search(rf"(?<![A-Za-z0-9_]){re.escape(word)}(?![A-Za-z0-9_])", words) is not None


def judge(entry: Case, parameter: str, value: object) -> str:
    """``"refused"``, ``"unnamed"`` (a library error not naming the parameter),
    ``"bare <Type>"`` or ``"accepted"``."""
    args = {**entry.args, parameter: value}
    try:
        invoke(entry.call, args)
    except BigAccountError as error:
        words = _words(error)
        wanted = (parameter, *entry.names.get(parameter, ()))
        return "refused" if any(_mentions(words, w) for w in wanted) else "unnamed"
    except Exception as error:
        return f"bare {type(error).__name__}"
    return "accepted"


def trials() -> Iterator[tuple[Case, str, object]]:
    for entry in CASES.values():
        for parameter, kind in entry.kinds.items():
            for value in kind.bad:
                yield entry, parameter, value


KNOWN_ELSEWHERE: dict[tuple[str, str], str] = {}
"""Problems found in modules not fixed here: ``(case, parameter) -> module: what happens``.

Each is a strict expected failure of :func:`test_every_wrong_value_is_refused_naming_the_parameter`
(``load_alignment``'s format is read by ``declarations.read_source``).
"""

KNOWN_CONVERSIONS: dict[tuple[str, str], str] = {}
"""Conversions other modules do not make: a list kept as a list, a value kept as text."""


# -- the tests -------------------------------------------------------------------------


def _public_callables() -> set[str]:
    found = set()
    for key in bigaccount.__all__:
        value = getattr(bigaccount, key)
        if callable(value) and key not in EXEMPT:
            found.add(key)
    for module_name in MODULES:
        module = importlib.import_module(module_name)
        for key in module.__all__:
            value = getattr(module, key)
            if (
                callable(value)
                and key not in EXEMPT
                and not (isinstance(value, type) and issubclass(value, BaseException))
            ):
                found.add(key)
    return found


def test_the_table_covers_every_public_callable_and_every_parameter() -> None:
    labels = set(CASES)
    missing = sorted(n for n in _public_callables() if n not in labels)
    assert missing == sorted(n for n in NOT_YET if n in _public_callables())
    for entry in CASES.values():
        parameters = inspect.signature(entry.call).parameters
        described = {
            k for k, p in parameters.items() if p.kind is not p.VAR_KEYWORD or k in entry.kinds
        }
        if isinstance(entry.call, enum.EnumMeta):
            described = {"value"}
        assert set(entry.kinds) == described, entry.label


def test_the_valid_call_of_every_case_works_and_gives_the_same_value_twice() -> None:
    failed = {}
    for label, entry in CASES.items():
        try:
            result = invoke(entry.call, entry.args)
            again = invoke(entry.call, entry.args)
        except Exception as error:
            failed[label] = repr(error)
            continue
        if (
            attrs.has(type(result))
            and not isinstance(result, Deal)
            and not same_value(result, again)
        ):
            failed[label] = "two calls gave different values"
    assert failed == {}


def _params() -> list[Any]:
    found = []
    for entry in CASES.values():
        for parameter in entry.kinds:
            marks: list[pytest.MarkDecorator] = []
            if (entry.label, parameter) in KNOWN_ELSEWHERE:
                reason = KNOWN_ELSEWHERE[entry.label, parameter]
                marks.append(pytest.mark.xfail(reason=reason, strict=True))
            found.append(
                pytest.param(entry.label, parameter, id=f"{entry.label}-{parameter}", marks=marks)
            )
    return found


@pytest.mark.parametrize(("label", "parameter"), _params())
def test_every_wrong_value_is_refused_naming_the_parameter(label: str, parameter: str) -> None:
    entry = CASES[label]
    outcomes = {repr(v): judge(entry, parameter, v) for v in entry.kinds[parameter].bad}
    assert {v: o for v, o in outcomes.items() if o != "refused"} == {}


GROUPS = {
    "text": "text",
    "identifier": "text",
    "name": "text",
    "number": "number",
    "whole": "number",
    "enum": "choice",
    "flag": "choice",
    "sequence": "sequence",
    "texts": "sequence",
    "items": "sequence",
    "instance": "value",
    "mapping": "value",
    "special": "value",
    "date": "time and money",
    "moment": "time and money",
    "money": "time and money",
}
"""The families of kinds, drawn from together (one property test per group)."""

FAMILIES: dict[str, list[tuple[str, str]]] = {}
for _entry in CASES.values():
    for _parameter, _k in _entry.kinds.items():
        if (_entry.label, _parameter) not in KNOWN_ELSEWHERE:
            FAMILIES.setdefault(GROUPS[_k.family], []).append((_entry.label, _parameter))


@pytest.mark.parametrize("group", sorted(FAMILIES))
@given(data=st.data())
def test_drawn_wrong_values_are_refused_naming_the_parameter(
    group: str, data: st.DataObject
) -> None:
    label, parameter = data.draw(st.sampled_from(FAMILIES[group]), label="parameter")
    entry = CASES[label]
    value = data.draw(entry.kinds[parameter].draw, label="value")
    assert judge(entry, parameter, value) == "refused"


def _conversions(entry: Case) -> Iterator[tuple[str, object, object]]:
    for parameter, kind in entry.kinds.items():
        for given_, meant in kind.same:
            yield parameter, given_, meant
        valid = entry.args.get(parameter)
        if kind.family == "sequence" and isinstance(valid, tuple) and valid:
            yield parameter, list(valid), valid


CONVERSIONS = [
    pytest.param(
        entry.label,
        parameter,
        given_,
        meant,
        id=f"{entry.label}-{parameter}-{i}",
        marks=[pytest.mark.xfail(reason=KNOWN_CONVERSIONS[entry.label, parameter], strict=True)]
        if (entry.label, parameter) in KNOWN_CONVERSIONS
        else [],
    )
    for entry in CASES.values()
    for i, (parameter, given_, meant) in enumerate(_conversions(entry))
]
"""The documented conversions: an enum's value for its member, an int or a Fraction for
a float, one text for a one-item tuple of texts, a list for a tuple, an aware datetime
for its date where a date is kept, a date for its midnight UTC where a moment is kept."""


@pytest.mark.parametrize(("label", "parameter", "given_", "meant"), CONVERSIONS)
def test_each_documented_conversion_gives_what_the_value_stands_for(
    label: str, parameter: str, given_: object, meant: object
) -> None:
    entry = CASES[label]
    converted = invoke(entry.call, {**entry.args, parameter: given_})
    canonical = invoke(entry.call, {**entry.args, parameter: meant})
    assert same_value(converted, canonical)


def same_value(a: Any, b: Any) -> bool:
    """Equal values of the same types: attrs values field by field (some compare by identity)."""
    if type(a) is not type(b):
        return False
    if attrs.has(type(a)):
        return all(
            same_value(getattr(a, f.name), getattr(b, f.name))
            for f in attrs.fields(type(a))
            if f.eq
        )
    if isinstance(a, (tuple, list)):
        return len(a) == len(b) and all(same_value(x, y) for x, y in zip(a, b, strict=True))
    if "__eq__" not in vars(type(a)) and not isinstance(a, (int, float, str, enum.Enum)):
        return repr(a) == repr(b)
    return bool(a == b)


def test_numbers_of_the_numeric_tower_are_numbers_and_kept_as_floats_or_ints() -> None:
    np = pytest.importorskip("numpy")
    ratings = FactorRatings(np.float64(0.5), np.int64(1), Fraction(1, 4), weight=np.int32(2))
    assert ratings == FactorRatings(0.5, 1.0, 0.25, weight=2.0)
    assert {type(getattr(ratings, f)) for f in ("know", "need_worth", "trust", "weight")} == {float}
    policy = DecayPolicy(grace_days=np.int64(30), half_life_days=np.float32(60))
    assert policy == DecayPolicy(30, 60.0)
    assert (type(policy.grace_days), type(policy.half_life_days)) == (int, float)
    assert type(InstalledBase("ERP", quantity=np.uint8(3)).quantity) is int
    for wrong in (np.bool_(True), Decimal("0.5"), np.float64("nan"), np.array([0.5])):
        with pytest.raises(InvalidData) as caught:
            FactorRatings(wrong, 0.5, 0.5)
        assert caught.value.field == "ratings['account'].know"


# -- the census ------------------------------------------------------------------------


RESULTS = frozenset(
    {
        "AlignedStages",
        "AlignmentReport",
        "Adjustment",
        "BulkReplay",
        "Coverage",
        "CoverageCell",
        "CustomerTypeResult",
        "DecisionSupport",
        "Depth",
        "FactorScore",
        "FishnetEdge",
        "FishnetMap",
        "FishnetNode",
        "ForcesResult",
        "Gap",
        "GateReport",
        "MoveCheck",
        "PlanCompleteness",
        "ReadinessResult",
        "RelationshipScores",
        "SalespersonResult",
        "StrategyCost",
        "SubjectReadiness",
        "SwotResult",
        "TowsEntry",
        "TowsMatrix",
        "Transition",
        "TransitionTable",
    }
)
"""The records the library's functions return (public, and so checked like the rest)."""


def role(entry: Case) -> str:
    """What a case is: an enum, a method, a result record, or an input constructor/function."""
    if isinstance(entry.call, enum.EnumMeta):
        return "enum"
    if "." in entry.label:
        return "method"
    return "result" if entry.label in RESULTS else "input"


def main() -> None:
    """Print the census: outcomes by module group and role, then every call not refused."""
    counts: Counter[tuple[str, str, str]] = Counter()
    problems: list[str] = []
    for entry, parameter, value in trials():
        outcome = judge(entry, parameter, value)
        group = "owned" if owned(entry.module) else "other"
        counts[group, role(entry), outcome.split()[0]] += 1
        if outcome != "refused":
            problems.append(
                f"{group} {entry.module} {entry.label}({parameter}={value!r}): {outcome}"
            )
    print(f"calls tried: {sum(counts.values())}; callables: {len(CASES)}")
    for group in ("owned", "other"):
        for kind in ("input", "result", "method", "enum"):
            row = {o: counts[group, kind, o] for o in ("refused", "bare", "accepted", "unnamed")}
            print(
                f"  {group:5} {kind:6} tried {sum(row.values()):5}",
                *(f"{k} {v:4}" for k, v in row.items()),
            )
    for line in sorted(problems):
        print(line)


if __name__ == "__main__":
    main()
