"""The account plan, competitors, the competitor criteria and plan completeness."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from bigaccount import Account, Context, Deal, InvalidData, Money, Segment, all_of
from bigaccount.io import dumps, loads
from bigaccount.plan import (
    COMPETITOR_MOVES,
    COMPETITORS_BASICS,
    COMPETITORS_PRESENT,
    PROFILE_FIELDS,
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

RIVAL = Competitor(
    "Rival Co",
    strengths=("incumbent", "low price"),
    weaknesses=("slow service",),
    installed_base=(InstalledBase("servers", 40, Money("3000000", "CNY")),),
    latest_moves=(CompetitorMove("offered a free pilot", dt.date(2025, 3, 1)),),
    satisfaction=0.5,
    share=0.6,
)


def _full_plan() -> AccountPlan:
    cny = Money("1", "CNY")
    profile = AccountProfile(
        industry="steel",
        ceo_goals=("cut energy cost",),
        customers_and_needs=("car makers: lighter steel",),
        competitors_and_threats=("imports",),
        financials=(FinancialYear(2024, Money("9000000000", "CNY"), cny, 0.12),),
        financial_documents=("annual report 2024",),
        organisation_chart=(OrgPosition("CEO", "Wang"), OrgPosition("CIO", "Li", "CEO")),
        history=(HistoryEvent("first order", dt.date(2019, 5, 1)),),
        decision_system="board approves above 5m",
        decision_makers=("Wang",),
        advisers_and_influencers=("Li",),
        informal_organisation="the CIO and the CFO are close",
        it_budget=cny,
        purchase_history=("2022 storage",),
        suppliers=(SupplierShare("Rival Co", 0.6),),
        our_share=0.2,
        our_installed_base=(InstalledBase("PCs", 300),),
        it_strategy="cloud first",
        supplier_strategy="two suppliers",
        our_advantages=("local team",),
        satisfaction_with_us=0.7,
        annual_budget=cny,
        budget_process="set in October",
        budget_influence_points=("IT plan review in September",),
    )
    return AccountPlan(
        "Acme Steel",
        "FY2025",
        profile,
        AccountStrategies(
            customer=("expand east",),
            ours=("solution plus service",),
            coverage=(CoverageItem("Li", "data centre", ("monthly review",), "Zhang"),),
        ),
        ValueProposition(
            customer_wants=("uptime",),
            customer_does_not_want=("lock-in",),
            customer_cannot_get=("local 4-hour service",),
            our_value=("guaranteed uptime",),
            roadmap=(RoadmapStep("pilot", dt.date(2025, 6, 30)),),
        ),
        (RIVAL,),
        ("reference site",),
        (KeyAction("site visit", "Zhang", dt.date(2025, 4, 1), ("pre-sales engineer",)),),
        ("a pre-sales engineer for three months",),
    )


def test_empty_plan_names_every_section() -> None:
    done = plan_completeness(AccountPlan("Acme"))
    assert done.score == 0.0
    assert done.empty == tuple(PlanSection)
    assert set(done.missing_profile_fields) == set(PROFILE_FIELDS)


def test_full_plan_is_complete() -> None:
    done = _full_plan().completeness()
    assert done.score == 1.0
    assert done.empty == ()
    assert done.missing_profile_fields == ()


def test_partly_filled_plan() -> None:
    plan = attrs.evolve(_full_plan(), how_we_win=(), key_actions=(), support_requirements=())
    plan = attrs.evolve(plan, profile=attrs.evolve(plan.profile, it_strategy=None))
    done = plan.completeness()
    assert done.empty == (
        PlanSection.HOW_WE_WIN,
        PlanSection.KEY_ACTIONS,
        PlanSection.SUPPORT_REQUIREMENTS,
    )
    assert done.missing_profile_fields == ("it_strategy",)
    assert done.section(PlanSection.PROFILE) == pytest.approx(19 / 20)
    assert 0 < done.score < 1


def test_support_named_in_a_key_action_counts() -> None:
    plan = AccountPlan("A", key_actions=(KeyAction("demo", support=("demo kit",)),))
    assert plan.completeness().section(PlanSection.SUPPORT_REQUIREMENTS) == 1.0


def test_labels_of_sections_and_profile_fields() -> None:
    for section in PlanSection:
        assert section.label.zh
        assert section.label.en
    assert set(PROFILE_FIELDS) == {a.name for a in attrs.fields(AccountProfile)}
    assert PlanSection.HOW_WE_WIN.label.zh == "何以胜出"


def test_values_are_checked() -> None:
    with pytest.raises(InvalidData):
        Competitor("")
    with pytest.raises(InvalidData):
        Competitor("X", share=1.5)
    with pytest.raises(InvalidData):
        CompetitorMove("m", dt.datetime(2025, 1, 1))
    with pytest.raises(InvalidData):
        AccountProfile(it_budget=5)  # type: ignore[arg-type]
    assert Competitor("X", strengths="one").strengths == ("one",)


# -- competitors on a deal and the criteria ------------------------------------------


def _deal(**kw: Any) -> Deal:
    return Deal("D-1", Account("Acme", Segment.ENTERPRISE), Money("1000000", "CNY"), **kw)


def test_deal_lists_competitors_as_a_tuple() -> None:
    deal = _deal(competitors=[RIVAL])
    assert deal.competitors == (RIVAL,)
    assert _deal().competitors == ()
    with pytest.raises(InvalidData):
        _deal(competitors=["Rival Co"])


def test_criteria_read_the_competitors() -> None:
    present, info, moves = COMPETITORS_PRESENT, COMPETITORS_BASICS, COMPETITOR_MOVES
    assert (present.id, info.id, moves.id) == (
        "competitors_present",
        "p1_competitor_info",
        "p2_competitor_moves",
    )
    deal = _deal(competitors=[RIVAL])
    assert present.holds(deal)
    assert info.holds(deal)
    assert moves.holds(deal)
    bare = _deal(competitors=[RIVAL, Competitor("Newcomer")])
    assert present.holds(bare)
    assert not info.holds(bare)
    assert not moves.holds(bare)
    assert "competitors" in repr(info.test)


def test_criteria_fall_back_to_plain_facts() -> None:
    present, info, moves = COMPETITORS_PRESENT, COMPETITORS_BASICS, COMPETITOR_MOVES
    deal = _deal()
    assert not present.holds(deal)
    deal.establish("competitors_present", "p1_competitor_info")
    assert present.holds(deal)
    assert info.holds(deal)
    assert not moves.holds(deal)


def test_criteria_work_in_a_gate() -> None:
    gate = all_of(COMPETITORS_PRESENT, COMPETITORS_BASICS)
    report = gate.evaluate(_deal(competitors=[Competitor("Newcomer")]), Context())
    assert not report.passed
    assert [c.id for c in report.missing] == ["p1_competitor_info"]


# -- round trips ---------------------------------------------------------------------

texts = st.text(min_size=1, max_size=8).filter(str.strip)
moves = st.builds(CompetitorMove, texts, st.none() | st.dates())
competitors = st.builds(
    Competitor,
    texts,
    st.lists(texts, max_size=2).map(tuple),
    st.lists(texts, max_size=2).map(tuple),
    st.lists(st.builds(InstalledBase, texts, st.none() | st.integers(0, 99)), max_size=2).map(
        tuple
    ),
    st.lists(moves, max_size=2).map(tuple),
    st.none() | st.floats(0, 1),
)


@given(st.lists(competitors, max_size=3))
def test_plan_and_deal_round_trip(rivals: list[Competitor]) -> None:
    plan = attrs.evolve(_full_plan(), competitors=tuple(rivals))
    assert loads(dumps(plan), AccountPlan) == plan
    done = plan.completeness()
    assert loads(dumps(done), PlanCompleteness) == done
    deal = _deal(competitors=rivals)
    assert loads(dumps(deal), Deal).competitors == deal.competitors


@given(st.sets(st.sampled_from(["how_we_win", "key_actions", "competitors", "strategies"])))
def test_filling_a_section_never_lowers_the_score(filled: set[str]) -> None:
    full = _full_plan()
    plan = AccountPlan("A")
    for name in sorted(filled):
        before = plan.completeness().score
        plan = attrs.evolve(plan, **{name: getattr(full, name)})
        after = plan.completeness().score
        assert 0.0 <= before <= after <= 1.0


# -- what counts as filled -----------------------------------------------------------


@pytest.mark.parametrize(
    ("make", "field"),
    [
        (lambda: AccountProfile(ceo_goals=""), "profile.ceo_goals[0]"),
        (lambda: AccountProfile(ceo_goals=("cut cost", "  ")), "profile.ceo_goals[1]"),
        (lambda: AccountPlan("A", how_we_win=[None]), "plan.how_we_win[0]"),
        (lambda: AccountPlan("A", how_we_win=None), "plan.how_we_win"),
        (lambda: AccountPlan("A", competitors=["Rival"]), "plan.competitors[0]"),
        (lambda: AccountPlan("A", competitors="Rival"), "plan.competitors"),
        (lambda: AccountPlan("A", competitors=RIVAL), "plan.competitors"),
        (lambda: Competitor("X", installed_base=["x"]), "competitor.installed_base[0]"),
        (lambda: Competitor("X", strengths=None), "competitor.strengths"),
        (lambda: Competitor("X", weaknesses=[3]), "competitor.weaknesses[0]"),
        (lambda: AccountProfile(industry=""), "profile.industry"),
        (lambda: AccountProfile(industry=7), "profile.industry"),  # type: ignore[arg-type]
        (lambda: AccountProfile(financials=[2024]), "profile.financials[0]"),
        (lambda: FinancialYear("2024"), "financials.year"),  # type: ignore[arg-type]
        (lambda: InstalledBase("PCs", quantity=-1), "installed_base.quantity"),
        (lambda: AccountPlan("A", profile={"industry": "steel"}), "plan.profile"),  # type: ignore[arg-type]
        (lambda: KeyAction("demo", support=[""]), "key_action.support[0]"),
        (lambda: AccountStrategies(coverage=["cio"]), "strategies.coverage[0]"),
    ],
)
def test_empty_or_mistyped_entries_are_refused_naming_the_field(
    make: Callable[[], object], field: str
) -> None:
    with pytest.raises(InvalidData) as caught:
        make()
    assert caught.value.field == field


def test_one_text_is_a_one_item_tuple_and_counts_as_filled() -> None:
    plan = AccountPlan("A", how_we_win="reference site", profile=AccountProfile(ceo_goals="grow"))
    assert plan.how_we_win == ("reference site",)
    assert plan.profile.ceo_goals == ("grow",)
    done = plan.completeness()
    assert done.section(PlanSection.HOW_WE_WIN) == 1.0
    assert "ceo_goals" not in done.missing_profile_fields
    assert AccountPlan("A", how_we_win=[]).completeness().section(PlanSection.HOW_WE_WIN) == 0.0


def test_a_competitor_without_basics_does_not_pass_p1() -> None:
    bare = Competitor("Newcomer", installed_base=())
    assert not bare.basics_known
    assert Competitor("X", installed_base=[InstalledBase("PCs", 40)]).basics_known
