"""The hypothesis plugin: ``st.from_type(T)`` draws from ``bigaccount.testing`` for every public T.

Hypothesis calls :func:`_setup_hook` through the ``hypothesis`` entry point while it is
being imported — possibly from inside ``bigaccount.testing`` itself — so the hook
imports the modules that define the types and nothing else: every strategy is
deferred until it is first drawn, then built by the function of ``bigaccount.testing``
named in :data:`STRATEGIES`. For the same reason this module imports hypothesis only
inside its functions: imported first (as a collector of doctests does), it must not set
off hypothesis's own import half-way. Those strategies are bounded in size (a buying center of at
most 12 people, a SWOT of at most 6 factors, an analytic of at most 8 deals), so
``st.from_type(T).example()`` returns quickly for every T.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from hypothesis import strategies as st

_ENGINE = (
    ("bigaccount.labels", ("Label", "labels")),
    ("bigaccount.money", ("Money", "money")),
    ("bigaccount.context", ("Context", "contexts")),
    ("bigaccount.evidence", ("Fact", "facts"), ("FactChange", "fact_changes")),
    ("bigaccount.evidence", ("Snapshot", "snapshots"), ("Evidence", "evidence")),
    (
        "bigaccount.gates",
        ("Criterion", "criteria"),
        ("Gate", "gates"),
        ("AtLeast", "counting_gates"),
    ),
    ("bigaccount.gates", ("BySegment", "segment_gates"), ("GateReport", "gate_reports")),
    ("bigaccount.cycle", ("Cycle", "any_cycles"), ("Stage", "stages"), ("Route", "routes")),
    ("bigaccount.cycle", ("Step", "steps"), ("SuccessMarker", "success_markers")),
    ("bigaccount.cycle", ("Guidance", "guidance"), ("Transition", "transitions")),
    ("bigaccount.cycle", ("TransitionTable", "transition_tables"), ("MoveCheck", "move_checks")),
    ("bigaccount.cycle", ("BulkReplay", "bulk_replays")),
    ("bigaccount.track", ("StageChange", "stage_changes"), ("Track", "tracks")),
    ("bigaccount.deal", ("Account", "accounts"), ("Deal", "any_deals")),
    ("bigaccount.importers", ("ImportResult", "import_results"), ("Refusal", "refusals")),
)

_PEOPLE_AND_PLANS = (
    ("bigaccount.people", ("Stakeholder", "stakeholders"), ("BuyingCenter", "buying_centers")),
    ("bigaccount.people", ("Influence", "influences"), ("PersonalProfile", "personal_profiles")),
    ("bigaccount.people_criteria", ("RelationshipThresholds", "relationship_thresholds")),
    ("bigaccount.plan", ("AccountPlan", "account_plans"), ("AccountProfile", "account_profiles")),
    ("bigaccount.plan", ("AccountStrategies", "account_strategies"), ("Competitor", "competitors")),
    ("bigaccount.plan", ("CompetitorMove", "competitor_moves"), ("CoverageItem", "coverage_items")),
    ("bigaccount.plan", ("FinancialYear", "financial_years"), ("HistoryEvent", "history_events")),
    ("bigaccount.plan", ("InstalledBase", "installed_bases"), ("KeyAction", "key_actions")),
    ("bigaccount.plan", ("OrgPosition", "org_positions"), ("RoadmapStep", "roadmap_steps")),
    ("bigaccount.plan", ("SupplierShare", "supplier_shares")),
    ("bigaccount.plan", ("ValueProposition", "value_propositions")),
    ("bigaccount.plan", ("PlanCompleteness", "plan_completeness_results")),
    ("bigaccount.valuechain", ("AlignedStages", "aligned_stages")),
    ("bigaccount.valuechain", ("AlignmentReport", "alignment_reports")),
    ("bigaccount.valuechain", ("ValueChain", "value_chains"), ("ReportTexts", "report_texts")),
    ("bigaccount.catalogues", ("Catalogue", "catalogues"), ("Entry", "catalogue_entries")),
    ("bigaccount.catalogues", ("Group", "catalogue_groups")),
)

_SCORES = (
    ("bigaccount.scoring.customer_type", ("CustomerSignals", "customer_signals")),
    ("bigaccount.scoring.customer_type", ("CustomerTypeResult", "customer_type_results")),
    (
        "bigaccount.scoring.fishnet",
        ("FishnetMap", "fishnet_maps"),
        ("FishnetNode", "fishnet_nodes"),
    ),
    ("bigaccount.scoring.fishnet", ("FishnetEdge", "fishnet_edges")),
    ("bigaccount.scoring.forces", ("FiveForces", "five_forces"), ("ForceRating", "force_ratings")),
    ("bigaccount.scoring.forces", ("ForcesResult", "forces_results")),
    ("bigaccount.scoring.readiness", ("FactorRatings", "factor_ratings"), ("Reach", "reaches")),
    ("bigaccount.scoring.readiness", ("ReadinessResult", "readiness_results")),
    ("bigaccount.scoring.readiness", ("SellingAction", "selling_actions")),
    ("bigaccount.scoring.readiness", ("StrategyCost", "strategy_costs")),
    ("bigaccount.scoring.readiness", ("SubjectReadiness", "subject_readiness")),
    ("bigaccount.scoring.relationship", ("Coverage", "coverages"), ("Gap", "gaps")),
    ("bigaccount.scoring.relationship", ("CoverageCell", "coverage_cells"), ("Depth", "depths")),
    ("bigaccount.scoring.relationship", ("DecayPolicy", "decay_policies")),
    ("bigaccount.scoring.relationship", ("DecisionSupport", "decision_supports")),
    ("bigaccount.scoring.relationship", ("LevelWeights", "level_weights")),
    ("bigaccount.scoring.relationship", ("RelationshipScores", "relationship_scores_results")),
    ("bigaccount.scoring.salesperson", ("SalesBehaviours", "sales_behaviours")),
    ("bigaccount.scoring.salesperson", ("SalespersonResult", "salesperson_results")),
    ("bigaccount.scoring.swot", ("Swot", "swots"), ("SwotFactor", "swot_factors")),
    ("bigaccount.scoring.swot", ("SwotResult", "swot_results"), ("TowsLink", "tows_links")),
    ("bigaccount.scoring.swot", ("TowsEntry", "tows_entries"), ("TowsMatrix", "tows_matrices")),
    ("bigaccount.scoring.swot", ("FactorScore", "factor_scores"), ("RatingScale", "rating_scales")),
    ("bigaccount.scoring.swot", ("Adjustment", "swot_adjustments")),
)

_ANALYTICS = (
    ("bigaccount.analytics.accuracy", ("CrossValidation", "cross_validations")),
    ("bigaccount.analytics.accuracy", ("FoldScores", "fold_scores"), ("Learner", "learners")),
    ("bigaccount.analytics.accuracy", ("LearnerResult", "learner_results")),
    ("bigaccount.analytics.accuracy", ("Metrics", "metrics"), ("Split", "splits")),
    ("bigaccount.analytics.accuracy", ("ReliabilityBin", "reliability_bins")),
    ("bigaccount.analytics.accuracy", ("Spread", "spreads")),
    ("bigaccount.analytics.calibration", ("StageRate", "stage_rate_results")),
    ("bigaccount.analytics.calibration", ("StageRates", "stage_rates")),
    ("bigaccount.analytics.categories", ("CategoryForecast", "category_forecasts")),
    ("bigaccount.analytics.categories", ("CategoryRules", "category_rules")),
    ("bigaccount.analytics.categories", ("CategoryTotals", "category_totals")),
    ("bigaccount.analytics.forecast", ("Forecast", "forecasts"), ("FxTable", "fx_tables")),
    ("bigaccount.analytics.forecast", ("PeriodTotals", "period_totals")),
    ("bigaccount.analytics.health", ("Conversion", "conversions"), ("StuckDeal", "stuck_deals")),
    ("bigaccount.analytics.health", ("DurationStats", "duration_stats_results")),
    ("bigaccount.analytics.health", ("FunnelHealth", "funnel_healths")),
    ("bigaccount.analytics.health", ("StageCapacity", "stage_capacities")),
    ("bigaccount.analytics.health", ("StageFlow", "stage_flows")),
    ("bigaccount.analytics.overrides", ("Override", "overrides")),
    ("bigaccount.analytics.periods", ("Horizon", "horizons"), ("Period", "periods")),
    ("bigaccount.analytics.uncertainty", ("PeriodDistribution", "period_distributions")),
    ("bigaccount.analytics.uncertainty", ("Quantile", "quantiles")),
    ("bigaccount.analytics.uncertainty", ("RevenueByPeriod", "revenue_by_period")),
    ("bigaccount.analytics.uncertainty", ("RevenueDistribution", "revenue_distributions")),
    ("bigaccount.analytics.weighting", ("Adjustment", "adjustments")),
    ("bigaccount.analytics.weighting", ("CompetitorPresent", "adjustments")),
    ("bigaccount.analytics.weighting", ("GateProgress", "adjustments")),
    ("bigaccount.analytics.weighting", ("RelationshipDepth", "adjustments")),
    ("bigaccount.analytics.weighting", ("TimeInStage", "adjustments")),
    ("bigaccount.analytics.weighting", ("AdjustmentEffect", "adjustment_effects")),
    ("bigaccount.analytics.weighting", ("DealProbability", "deal_probabilities")),
    ("bigaccount.analytics.weighting", ("Weights", "weights")),
    ("bigaccount.analytics.winprob", ("AttributeCounts", "attribute_counts")),
    ("bigaccount.analytics.winprob", ("CalibratedWinModel", "calibrated_win_models")),
    ("bigaccount.analytics.winprob", ("PlattScaling", "platt_scalings")),
    ("bigaccount.analytics.winprob", ("Reason", "reasons"), ("ValueCounts", "value_counts")),
    ("bigaccount.analytics.winprob", ("WinForecast", "win_forecasts")),
    ("bigaccount.analytics.winprob", ("WinModel", "win_models")),
    ("bigaccount.analytics.winprob", ("WinPrediction", "win_predictions")),
)

STRATEGIES: tuple[tuple[str, str, str], ...] = tuple(
    (module, name, strategy)
    for module, *pairs in (*_ENGINE, *_PEOPLE_AND_PLANS, *_SCORES, *_ANALYTICS)
    for name, strategy in pairs
)
"""``(module, type name, strategy)``: each public type and the ``bigaccount.testing``
function that draws it (called with the type when it takes one, as ``adjustments``
does, so that a subclass draws only itself)."""

_BY_TYPE = frozenset({"adjustments"})
"""The strategies that are called with the type they draw."""


def _lazy(strategy: str, kind: type) -> st.SearchStrategy[Any]:
    def build() -> st.SearchStrategy[Any]:
        from . import testing

        make = getattr(testing, strategy)
        built: st.SearchStrategy[Any] = make(kind) if strategy in _BY_TYPE else make()
        return built

    from hypothesis import strategies as st

    return st.deferred(build)


def registered() -> dict[type, str]:
    """Every type the hook registers, with the name of its strategy.

    A row whose module or type is missing (a module being rewritten) is left out
    here rather than breaking ``import hypothesis``; the test suite checks that every
    row resolves.
    """
    found: dict[type, str] = {}
    for module, name, strategy in STRATEGIES:
        try:
            kind = getattr(importlib.import_module(module), name)
        except (ImportError, AttributeError):
            continue
        found[kind] = strategy
    return found


def _resolver(strategy: str) -> Callable[[type], st.SearchStrategy[Any]]:
    """What hypothesis calls with the type when it resolves ``st.from_type`` for it.

    A function rather than a strategy, so that registering costs nothing: hypothesis
    checks a registered strategy for emptiness, which would try to build it.
    """

    def resolve(kind: type) -> st.SearchStrategy[Any]:
        return _lazy(strategy, kind)

    return resolve


def _setup_hook() -> None:
    from hypothesis import strategies as st

    for kind, strategy in registered().items():
        st.register_type_strategy(kind, _resolver(strategy))
