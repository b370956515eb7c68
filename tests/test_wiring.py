"""The P1–P4 and funnel gates read people and competitor data when the deal has them."""

from __future__ import annotations

import datetime as dt

import pytest

from bigaccount import Account, Deal, Money, Segment, StageBlocked, register_cycle
from bigaccount.cycles import advancement, funnel
from bigaccount.people import BuyingCenter, Rung, Stakeholder
from bigaccount.people_criteria import RelationshipThresholds
from bigaccount.plan import Competitor, CompetitorMove

T0 = dt.datetime(2026, 4, 1, tzinfo=dt.timezone.utc)


def people(top: Rung, mid: Rung, *, ceo_supports: bool = True) -> BuyingCenter:
    return BuyingCenter(
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


def deal_with(center: BuyingCenter | None, *facts: str) -> Deal:
    deal = Deal("KA-9", Account("客户", Segment.ENTERPRISE), Money("1000000", "CNY"), people=center)
    deal.establish(*facts)
    return deal


P3_OTHERS = ("approval_process_known", "mid_level_backing", "presentation_channel")


def test_p3_reads_the_middle_and_lower_levels_once_people_are_mapped() -> None:
    gate = advancement.ADVANCEMENT.stage("P3").gate
    weak = deal_with(people(Rung.TRUSTING, Rung.ACQUAINTED), *P3_OTHERS, "p3_mid_low_relations")
    report = gate.evaluate(weak)
    assert not report.passed
    assert [c.id for c in report.missing] == ["p3_mid_low_relations"]
    strong = deal_with(people(Rung.TRUSTING, Rung.APPROVING), *P3_OTHERS)
    assert gate.passes(strong)


def test_thresholds_are_the_users_to_change() -> None:
    strict = register_cycle(
        advancement.build(RelationshipThresholds(mid_low=Rung.FRIENDS), name="advancement_t1")
    )
    deal = deal_with(people(Rung.TRUSTING, Rung.APPROVING), *P3_OTHERS)
    assert advancement.ADVANCEMENT.stage("P3").gate.passes(deal)
    assert not strict.stage("P3").gate.passes(deal)
    assert [s.id for s in strict.stages] == [s.id for s in advancement.ADVANCEMENT.stages]


def test_p4_needs_the_top_level_and_a_complete_map() -> None:
    others = ("competitor_attitude_known", "solution_complete", "key_person_profiles")
    gate = advancement.ADVANCEMENT.stage("P4").gate
    low = gate.evaluate(deal_with(people(Rung.FAMILIAR, Rung.APPROVING), *others))
    assert [c.id for c in low.missing] == ["p4_top_relation"]
    high = deal_with(people(Rung.TRUSTING, Rung.APPROVING), *others)
    assert gate.passes(high)
    no_profiles = deal_with(people(Rung.TRUSTING, Rung.APPROVING), *others[:2])
    assert [c.id for c in gate.evaluate(no_profiles).missing] == ["p4_mid_level_and_map"]


def test_funnel_endorsement_follows_the_decision_group() -> None:
    gate = funnel.FUNNEL.stage("ENDORSED").gate
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
    deal.start("funnel", at=T0)
    with pytest.raises(StageBlocked) as blocked:
        deal.win("funnel", at=T0)
    assert [c.id for c in blocked.value.blockers] == ["contract_signed", "first_payment"]
    deal.establish("first_payment")
    assert deal.win("funnel", at=T0).dest == "WON"
    assert advancement.ADVANCEMENT.win_gate.criteria == (advancement.AGREEMENT_SIGNED,)
