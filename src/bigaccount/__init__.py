"""bigaccount: key-account (大客户) B2B selling as a domain model.

The buying and selling cycles are declared as data and driven as guarded state
machines whose gates explain why a move is blocked; relationships, SWOT and
forecasts are scored by pure functions over frozen values.

The names below are the public surface; the modules (``bigaccount.cycles``,
``bigaccount.scoring``, ``bigaccount.io``, ``bigaccount.testing`` …) hold the rest.

The names are loaded on first use, so ``import bigaccount`` stays light: a name
imports its module when it is first read (``bigaccount.Deal``, ``from bigaccount import
Deal``).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from .errors import (
    BigAccountError,
    CurrencyMismatch,
    InvalidData,
    InvalidDefinition,
    InvalidMove,
    ReplayError,
    UnknownName,
)
from .labels import Label, Lang, get_language, language, set_language
from .money import Money, total

if TYPE_CHECKING:
    from .catalogues import (
        Catalogue,
        catalogues_for,
    )
    from .context import (
        Context,
        current_context,
        system_clock,
        use_context,
    )
    from .criteria import (
        criterion_ids,
        get_criterion,
        register_criterion,
    )
    from .cycle import (
        BulkReplay,
        Cycle,
        CycleKind,
        Guidance,
        MoveCheck,
        Route,
        Stage,
        Step,
        SuccessMarker,
        Transition,
        TransitionTable,
    )
    from .deal import (
        Account,
        Deal,
        DealEvent,
    )
    from .declarations import (
        dump_cycle,
        load_cycle,
    )
    from .diagrams import (
        markdown_table,
        mermaid,
    )
    from .evidence import (
        Evidence,
        Fact,
        FactChange,
        Snapshot,
    )
    from .gates import (
        OPEN,
        AtLeast,
        BySegment,
        Criterion,
        Gate,
        GateKind,
        GateReport,
        StageBlocked,
        all_of,
        any_of,
        at_least,
        by_segment,
    )
    from .importers.load import ImportResult, import_deals, import_history, import_snapshot
    from .importers.problems import Refusal
    from .people import (
        Attitude,
        BuyingCenter,
        BuyingRole,
        Function,
        Influence,
        Level,
        PersonalProfile,
        Rung,
        Stakeholder,
        redacted,
    )
    from .people_criteria import (
        RelationshipThresholds,
    )
    from .plan import (
        AccountPlan,
        AccountProfile,
        Competitor,
        plan_completeness,
    )
    from .registry import (
        cycle_names,
        get_cycle,
        register_cycle,
    )
    from .scoring.customer_type import (
        CustomerSignals,
        CustomerType,
        classify_customer,
    )
    from .scoring.fishnet import (
        FishnetMap,
        fishnet,
    )
    from .scoring.forces import (
        FiveForces,
        Force,
        ForceRating,
        score_forces,
    )
    from .scoring.readiness import (
        FactorRatings,
        PurchaseFactor,
        assess_readiness,
        strategy_cost,
    )
    from .scoring.relationship import (
        DecayPolicy,
        RelationshipScores,
        coverage,
        decision_support,
        relationship_scores,
    )
    from .scoring.salesperson import (
        SalesBehaviours,
        SalesLevel,
        assess_salesperson,
    )
    from .scoring.swot import (
        Posture,
        Quadrant,
        Swot,
        SwotFactor,
        TowsLink,
        score_swot,
    )
    from .segment import (
        Segment,
    )
    from .track import (
        Move,
        Outcome,
        StageChange,
        Track,
    )
    from .valuechain import (
        AlignmentReport,
        Pace,
        ValueChain,
        check_alignment,
        load_alignment,
    )

__version__ = "0.2.0.dev0"

_LAZY: dict[str, str] = {
    "ImportResult": "importers.load",
    "Refusal": "importers.problems",
    "ValueChain": "valuechain",
    "import_deals": "importers.load",
    "import_history": "importers.load",
    "import_snapshot": "importers.load",
    "load_alignment": "valuechain",
    "Account": "deal",
    "AccountPlan": "plan",
    "AccountProfile": "plan",
    "AlignmentReport": "valuechain",
    "AtLeast": "gates",
    "Attitude": "people",
    "BulkReplay": "cycle",
    "BuyingCenter": "people",
    "BuyingRole": "people",
    "BySegment": "gates",
    "Catalogue": "catalogues",
    "Competitor": "plan",
    "Context": "context",
    "Criterion": "gates",
    "CustomerSignals": "scoring.customer_type",
    "CustomerType": "scoring.customer_type",
    "Cycle": "cycle",
    "CycleKind": "cycle",
    "Deal": "deal",
    "DealEvent": "deal",
    "DecayPolicy": "scoring.relationship",
    "Evidence": "evidence",
    "Fact": "evidence",
    "FactChange": "evidence",
    "FactorRatings": "scoring.readiness",
    "FishnetMap": "scoring.fishnet",
    "FiveForces": "scoring.forces",
    "Force": "scoring.forces",
    "ForceRating": "scoring.forces",
    "Function": "people",
    "Gate": "gates",
    "GateKind": "gates",
    "GateReport": "gates",
    "Guidance": "cycle",
    "Influence": "people",
    "Level": "people",
    "Move": "track",
    "MoveCheck": "cycle",
    "OPEN": "gates",
    "Outcome": "track",
    "Pace": "valuechain",
    "PersonalProfile": "people",
    "Posture": "scoring.swot",
    "PurchaseFactor": "scoring.readiness",
    "Quadrant": "scoring.swot",
    "RelationshipScores": "scoring.relationship",
    "RelationshipThresholds": "people_criteria",
    "Route": "cycle",
    "Rung": "people",
    "SalesBehaviours": "scoring.salesperson",
    "SalesLevel": "scoring.salesperson",
    "Segment": "segment",
    "Snapshot": "evidence",
    "Stage": "cycle",
    "StageBlocked": "gates",
    "StageChange": "track",
    "Stakeholder": "people",
    "Step": "cycle",
    "SuccessMarker": "cycle",
    "Swot": "scoring.swot",
    "SwotFactor": "scoring.swot",
    "TowsLink": "scoring.swot",
    "Track": "track",
    "Transition": "cycle",
    "TransitionTable": "cycle",
    "all_of": "gates",
    "any_of": "gates",
    "assess_readiness": "scoring.readiness",
    "assess_salesperson": "scoring.salesperson",
    "at_least": "gates",
    "by_segment": "gates",
    "catalogues_for": "catalogues",
    "check_alignment": "valuechain",
    "classify_customer": "scoring.customer_type",
    "coverage": "scoring.relationship",
    "criterion_ids": "criteria",
    "current_context": "context",
    "cycle_names": "registry",
    "decision_support": "scoring.relationship",
    "dump_cycle": "declarations",
    "fishnet": "scoring.fishnet",
    "get_criterion": "criteria",
    "get_cycle": "registry",
    "load_cycle": "declarations",
    "markdown_table": "diagrams",
    "mermaid": "diagrams",
    "plan_completeness": "plan",
    "redacted": "people",
    "register_criterion": "criteria",
    "register_cycle": "registry",
    "relationship_scores": "scoring.relationship",
    "score_forces": "scoring.forces",
    "score_swot": "scoring.swot",
    "strategy_cost": "scoring.readiness",
    "system_clock": "context",
    "use_context": "context",
}
"""Where each public name that is loaded on first use is defined."""


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'bigaccount' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"bigaccount.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


__all__ = [
    "OPEN",
    "Account",
    "AccountPlan",
    "AccountProfile",
    "AlignmentReport",
    "AtLeast",
    "Attitude",
    "BigAccountError",
    "BulkReplay",
    "BuyingCenter",
    "BuyingRole",
    "BySegment",
    "Catalogue",
    "Competitor",
    "Context",
    "Criterion",
    "CurrencyMismatch",
    "CustomerSignals",
    "CustomerType",
    "Cycle",
    "CycleKind",
    "Deal",
    "DealEvent",
    "DecayPolicy",
    "Evidence",
    "Fact",
    "FactChange",
    "FactorRatings",
    "FishnetMap",
    "FiveForces",
    "Force",
    "ForceRating",
    "Function",
    "Gate",
    "GateKind",
    "GateReport",
    "Guidance",
    "ImportResult",
    "Influence",
    "InvalidData",
    "InvalidDefinition",
    "InvalidMove",
    "Label",
    "Lang",
    "Level",
    "Money",
    "Move",
    "MoveCheck",
    "Outcome",
    "Pace",
    "PersonalProfile",
    "Posture",
    "PurchaseFactor",
    "Quadrant",
    "Refusal",
    "RelationshipScores",
    "RelationshipThresholds",
    "ReplayError",
    "Route",
    "Rung",
    "SalesBehaviours",
    "SalesLevel",
    "Segment",
    "Snapshot",
    "Stage",
    "StageBlocked",
    "StageChange",
    "Stakeholder",
    "Step",
    "SuccessMarker",
    "Swot",
    "SwotFactor",
    "TowsLink",
    "Track",
    "Transition",
    "TransitionTable",
    "UnknownName",
    "ValueChain",
    "all_of",
    "any_of",
    "assess_readiness",
    "assess_salesperson",
    "at_least",
    "by_segment",
    "catalogues_for",
    "check_alignment",
    "classify_customer",
    "coverage",
    "criterion_ids",
    "current_context",
    "cycle_names",
    "decision_support",
    "dump_cycle",
    "fishnet",
    "get_criterion",
    "get_cycle",
    "get_language",
    "import_deals",
    "import_history",
    "import_snapshot",
    "language",
    "load_alignment",
    "load_cycle",
    "markdown_table",
    "mermaid",
    "plan_completeness",
    "redacted",
    "register_criterion",
    "register_cycle",
    "relationship_scores",
    "score_forces",
    "score_swot",
    "set_language",
    "strategy_cost",
    "system_clock",
    "total",
    "use_context",
]
