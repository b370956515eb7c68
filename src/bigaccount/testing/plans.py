"""Hypothesis strategies for the account plan and the competitors on a deal.

Plans are drawn sparse — each list holds at most two items, most fields are often
empty — since what the plan's score reads is which sections are filled.

>>> from hypothesis import given
>>> from bigaccount import plan_completeness
>>> from bigaccount.testing import account_plans
>>> @given(account_plans())
... def test_completeness_is_a_share(plan):
...     assert 0 <= plan_completeness(plan).score <= 1
>>> test_completeness_is_a_share()
"""

from __future__ import annotations

import functools
from typing import TypeVar

from hypothesis import strategies as st

from ..plan import (
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
    RoadmapStep,
    SupplierShare,
    ValueProposition,
    plan_completeness,
)
from .records import records

T = TypeVar("T")

__all__ = [
    "account_plans",
    "account_profiles",
    "account_strategies",
    "competitor_moves",
    "competitors",
    "coverage_items",
    "financial_years",
    "history_events",
    "installed_bases",
    "key_actions",
    "org_positions",
    "plan_completeness_results",
    "roadmap_steps",
    "supplier_shares",
    "value_propositions",
]


def _few(items: st.SearchStrategy[T]) -> st.SearchStrategy[tuple[T, ...]]:
    return st.lists(items, max_size=2).map(tuple)


@functools.cache
def installed_bases() -> st.SearchStrategy[InstalledBase]:
    """Equipment installed at the customer, with a quantity or an amount."""
    return records(InstalledBase)


@functools.cache
def competitor_moves() -> st.SearchStrategy[CompetitorMove]:
    """A competitor's move, dated or not."""
    return records(CompetitorMove)


@functools.cache
def competitors() -> st.SearchStrategy[Competitor]:
    """A competitor with what we know of them (possibly nothing yet)."""
    return records(
        Competitor, installed_base=_few(installed_bases()), latest_moves=_few(competitor_moves())
    )


@functools.cache
def financial_years() -> st.SearchStrategy[FinancialYear]:
    """One year of the customer's financials."""
    return records(FinancialYear, year=st.integers(1990, 2035))


@functools.cache
def org_positions() -> st.SearchStrategy[OrgPosition]:
    """A box of the customer's organisation chart."""
    return records(OrgPosition)


@functools.cache
def history_events() -> st.SearchStrategy[HistoryEvent]:
    """An event of the account's history."""
    return records(HistoryEvent)


@functools.cache
def supplier_shares() -> st.SearchStrategy[SupplierShare]:
    """A supplier of the customer and its share."""
    return records(SupplierShare)


@functools.cache
def account_profiles() -> st.SearchStrategy[AccountProfile]:
    """An account profile with some of its fields filled."""
    return records(
        AccountProfile,
        financials=_few(financial_years()),
        organisation_chart=_few(org_positions()),
        history=_few(history_events()),
        suppliers=_few(supplier_shares()),
        our_installed_base=_few(installed_bases()),
    )


@functools.cache
def coverage_items() -> st.SearchStrategy[CoverageItem]:
    """A line of the coverage plan: a person, an opportunity, actions."""
    return records(CoverageItem)


@functools.cache
def account_strategies() -> st.SearchStrategy[AccountStrategies]:
    """The customer's strategy, ours and the coverage plan."""
    return records(AccountStrategies, coverage=_few(coverage_items()))


@functools.cache
def roadmap_steps() -> st.SearchStrategy[RoadmapStep]:
    """A step of the business roadmap."""
    return records(RoadmapStep)


@functools.cache
def value_propositions() -> st.SearchStrategy[ValueProposition]:
    """A value proposition and its roadmap."""
    return records(ValueProposition, roadmap=_few(roadmap_steps()))


@functools.cache
def key_actions() -> st.SearchStrategy[KeyAction]:
    """A key action with its owner, due date and support."""
    return records(KeyAction)


@functools.cache
def account_plans() -> st.SearchStrategy[AccountPlan]:
    """A whole account plan."""
    return records(
        AccountPlan,
        profile=account_profiles(),
        strategies=account_strategies(),
        value_proposition=value_propositions(),
        competitors=_few(competitors()),
        key_actions=_few(key_actions()),
    )


def plan_completeness_results() -> st.SearchStrategy[PlanCompleteness]:
    """The completeness score of a drawn plan."""
    return account_plans().map(plan_completeness)
