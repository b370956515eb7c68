"""The P1–P4 and funnel gates read people and competitor data when the deal has them."""

from __future__ import annotations

import datetime as dt

import pytest

from bigaccount import (
    Account,
    Context,
    Deal,
    GateKind,
    Money,
    Segment,
    StageBlocked,
    current_context,
    get_cycle,
)
from bigaccount.cycles import advancement, funnel
from bigaccount.people import BuyingCenter, Rung, Stakeholder
from bigaccount.people_criteria import RelationshipThresholds
from bigaccount.plan import Competitor, CompetitorMove

CTX = Context()


def people(
    top: Rung, mid: Rung, *, ceo_supports: bool = True, last_contact: dt.date | None = None
) -> BuyingCenter:
    center = BuyingCenter(
        (
            Stakeholder(
                "ceo",
                "赵总",
                "decision",
                "other",
                "decision_maker",
                attitude="supporter" if ceo_supports else "opponent",
                rung=top,
                influence=5,
            ),
            Stakeholder(
                "cfo",
                "钱总监",
                "decision",
                "finance",
                "influencer",
                rung=top,
                influence=3,
                reports_to="ceo",
            ),
            Stakeholder(
                "it",
                "孙经理",
                "management",
                "technical",
                "gatekeeper",
                rung=mid,
                influence=2,
                reports_to="ceo",
            ),
            Stakeholder(
                "ops",
                "李主管",
                "operational",
                "user",
                "user",
                rung=mid,
                influence=1,
                reports_to="it",
            ),
        )
    )
    if last_contact is None:
        return center
    for person in center:
        center = center.updated(person.id, last_contact=last_contact)
    return center


def deal_with(center: BuyingCenter | None, *facts: str) -> Deal:
    deal = Deal("KA-9", Account("客户", Segment.ENTERPRISE), Money("1000000", "CNY"), people=center)
    deal.establish(*facts)
    return deal


P3_OTHERS = ("approval_process_known", "mid_level_backing", "presentation_channel")


def test_p3_reads_the_middle_and_lower_levels_once_people_are_mapped() -> None:
    gate = advancement.ADVANCEMENT.stage("P3").exit
    weak = deal_with(people(Rung.TRUSTING, Rung.ACQUAINTED), *P3_OTHERS, "p3_mid_low_relations")
    report = gate.evaluate(weak, CTX)
    assert not report.passed
    assert [c.id for c in report.missing] == ["p3_mid_low_relations"]
    strong = deal_with(people(Rung.TRUSTING, Rung.APPROVING), *P3_OTHERS)
    assert gate.passes(strong)


def test_thresholds_are_the_users_to_change() -> None:
    strict = Context(settings=[RelationshipThresholds(mid_low=Rung.FRIENDS)])
    deal = deal_with(people(Rung.TRUSTING, Rung.APPROVING), *P3_OTHERS)
    gate = advancement.ADVANCEMENT.stage("P3").exit
    assert gate.passes(deal)
    assert not gate.passes(deal, strict)
    deal.enter("advancement", "P3", source="crm")
    moving = current_context().with_settings(RelationshipThresholds(mid_low=Rung.FRIENDS))
    with pytest.raises(StageBlocked) as blocked:
        deal.advance("advancement", context=moving)
    assert [c.id for c in blocked.value.blockers] == ["p3_mid_low_relations"]
    assert (blocked.value.report.stage, blocked.value.report.kind) == ("P3", GateKind.EXIT)
    assert deal.state("advancement") == "P3"
    assert deal.advance("advancement").dest == "P4"
    assert get_cycle("advancement") is advancement.ADVANCEMENT


def test_the_top_level_threshold_is_a_setting_too() -> None:
    others = ("competitor_attitude_known", "solution_complete", "key_person_profiles")
    deal = deal_with(people(Rung.TRUSTING, Rung.APPROVING), *others)
    gate = advancement.ADVANCEMENT.stage("P4").exit
    assert gate.passes(deal)
    friends = Context(settings=[RelationshipThresholds(top=Rung.FRIENDS)])
    assert [c.id for c in gate.evaluate(deal, friends).missing] == ["p4_top_relation"]
    lenient = Context(settings=[RelationshipThresholds(top=Rung.FAMILIAR)])
    lower = deal_with(people(Rung.FAMILIAR, Rung.APPROVING), *others)
    assert not gate.passes(lower)
    assert gate.passes(lower, lenient)


def test_relationships_decay_only_when_an_as_of_moment_is_given() -> None:
    contacted = dt.date(2026, 1, 1)
    deal = deal_with(people(Rung.TRUSTING, Rung.APPROVING, last_contact=contacted), *P3_OTHERS)
    gate = advancement.ADVANCEMENT.stage("P3").exit
    assert gate.passes(deal)
    assert gate.passes(deal, Context(as_of=dt.date(2026, 3, 1)))
    stale = Context(as_of=dt.date(2027, 1, 1))
    assert [c.id for c in gate.evaluate(deal, stale).missing] == ["p3_mid_low_relations"]
    deal.enter("advancement", "P3", source="crm")
    with pytest.raises(StageBlocked):
        deal.advance("advancement", as_of=dt.date(2027, 1, 1))
    assert deal.state("advancement") == "P3"
    assert deal.check("advancement", as_of=dt.date(2026, 3, 1)).allowed
    assert deal.advance("advancement").dest == "P4"


def test_p4_needs_the_top_level_and_a_complete_map() -> None:
    others = ("competitor_attitude_known", "solution_complete", "key_person_profiles")
    gate = advancement.ADVANCEMENT.stage("P4").exit
    low = gate.evaluate(deal_with(people(Rung.FAMILIAR, Rung.APPROVING), *others), CTX)
    assert [c.id for c in low.missing] == ["p4_top_relation"]
    high = deal_with(people(Rung.TRUSTING, Rung.APPROVING), *others)
    assert gate.passes(high)
    no_profiles = deal_with(people(Rung.TRUSTING, Rung.APPROVING), *others[:2])
    assert [c.id for c in gate.evaluate(no_profiles, CTX).missing] == ["p4_mid_level_and_map"]


def test_funnel_endorsement_follows_the_decision_group() -> None:
    gate = funnel.FUNNEL.stage("ENDORSED").entry
    assert gate.passes(deal_with(people(Rung.TRUSTING, Rung.APPROVING)))
    against = deal_with(people(Rung.TRUSTING, Rung.APPROVING, ceo_supports=False))
    assert not gate.passes(against)
    assert not gate.passes(deal_with(None))
    assert gate.passes(deal_with(None, "top_decider_favours"))


def test_competitor_criteria_read_the_listed_competitors() -> None:
    p1 = advancement.COMPETITORS_BASICS
    p2 = advancement.COMPETITOR_MOVES
    deal = deal_with(None)
    deal.competitors = (Competitor("友商甲", strengths=("installed base",)),)
    assert p1.holds(deal)
    assert not p2.holds(deal)
    deal.competitors = (Competitor("友商甲", latest_moves=(CompetitorMove("price cut 10%"),)),)
    assert p2.holds(deal)
    assert funnel.COMPETITORS_PRESENT.holds(deal)


def test_pipelines_are_won_only_when_signed() -> None:
    deal = deal_with(None, "materials_sent", "first_contact")
    deal.start("funnel")
    with pytest.raises(StageBlocked) as blocked:
        deal.win("funnel")
    assert [c.id for c in blocked.value.blockers] == ["contract_signed", "first_payment"]
    assert blocked.value.report.kind is GateKind.WIN
    deal.establish("first_payment")
    assert deal.win("funnel").dest == "WON"
    assert advancement.ADVANCEMENT.win_gate.criteria == (advancement.AGREEMENT_SIGNED,)
