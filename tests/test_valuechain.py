from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bigaccount import Account, Deal, InvalidData, Money, Segment, get_cycle
from bigaccount.cycles.activity import PRODUCT_TOO_EARLY
from bigaccount.valuechain import ALIGNMENT, Pace, aligned, check_alignment, check_positions

BUYER = [s.id for s in get_cycle("decision").stages]
SELLER = [s.id for s in get_cycle("activity").stages]
PROJECT = [s.id for s in get_cycle("advancement").stages]


def test_the_three_cycles_align_by_index() -> None:
    assert [c.index for c in ALIGNMENT] == list(range(8))
    assert [c.decision.id for c in ALIGNMENT] == BUYER
    assert [c.activity.id for c in ALIGNMENT] == SELLER
    assert [c.advancement.id for c in ALIGNMENT] == PROJECT
    assert aligned("decision", "INVESTIGATION").activity.id == "SOLUTION"
    assert aligned("advancement", "P3").decision.id == "STANDARD_SETTING"
    assert aligned("activity", "MAINTENANCE").advancement.probability == 1.0


def test_aligned_refuses_unknown_cycles_and_stages() -> None:
    with pytest.raises(InvalidData):
        aligned("funnel", "TARGET")
    with pytest.raises(InvalidData):
        aligned("activity", "P3")


def test_presenting_a_solution_to_a_customer_in_recognition_is_ahead() -> None:
    report = check_positions("RECOGNITION", "SOLUTION")
    assert report.pace is Pace.AHEAD
    assert report.gap == 4
    assert report.expected.activity.id == "ANALYSIS"
    assert report.action == get_cycle("activity").stage("ANALYSIS").guidance.description
    assert PRODUCT_TOO_EARLY.zh in report.explanation.zh
    assert PRODUCT_TOO_EARLY.en in report.explanation.en
    assert "4" in report.explanation.en
    assert "recognition" in report.explanation.en
    assert report.missed == ()


def test_no_formal_proposal_while_the_customer_compares_suppliers_is_behind() -> None:
    report = check_positions("INVESTIGATION", "PURSUIT")
    assert report.pace is Pace.BEHIND
    assert report.gap == -2
    assert [m.en for m in report.missed] == ["references shown", "formal proposal submitted"]
    assert "提交正式方案" in report.explanation.zh
    assert "formal proposal submitted" in report.explanation.en
    assert report.action.en == "Offer the solution and prove our capability."


def test_in_step_and_the_project_gap() -> None:
    report = check_positions("CHOICE", "CLOSING", "P4")
    assert report.pace is Pace.IN_STEP
    assert report.gap == 0
    assert report.project_gap == -2
    assert "P6" in report.explanation.en
    assert check_positions("CHOICE", "CLOSING", "P6").explanation.en == (
        "In step: the customer is in choice and we are in closing."
    )


def test_project_stage_alone_judges_the_pace_and_outcomes_do_not_count() -> None:
    report = check_positions("SATISFACTION", None, "P2")
    assert (report.pace, report.gap, report.seller) == (Pace.AHEAD, 2, None)
    assert check_positions("SATISFACTION", "RESEARCH", "LOST").project is None
    with pytest.raises(InvalidData):
        check_positions("SATISFACTION", None, "WON")
    with pytest.raises(InvalidData):
        check_positions("NOPE", "RESEARCH")


@given(st.sampled_from(BUYER), st.sampled_from(SELLER), st.sampled_from([None, *PROJECT]))
def test_pace_follows_the_sign_of_the_gap(buyer: str, seller: str, project: str | None) -> None:
    report = check_positions(buyer, seller, project)
    assert report.gap == SELLER.index(seller) - BUYER.index(buyer)
    expected = Pace.AHEAD if report.gap > 0 else Pace.BEHIND if report.gap < 0 else Pace.IN_STEP
    assert report.pace is expected
    assert len(report.missed) == max(-report.gap, 0)
    assert report.expected.decision.id == buyer
    if project is not None:
        assert report.project_gap == PROJECT.index(project) - BUYER.index(buyer)
    assert report.explanation.zh != report.explanation.en


def test_a_deal_carries_the_three_positions() -> None:
    deal = Deal("KA-3", Account("华东电网", Segment.ENTERPRISE), Money("1", "CNY"))
    with pytest.raises(InvalidData):
        check_alignment(deal)
    deal.start("decision")
    for _ in range(4):
        deal.advance("decision")
    assert deal.state("decision") == "ASSESSMENT"
    with pytest.raises(InvalidData):
        check_alignment(deal)
    deal.start("activity")
    deal.jump("activity", "CONFIRMATION")
    deal.establish("project_info_accurate", "project_info_verified")
    deal.start("advancement")
    report = check_alignment(deal)
    assert (report.buyer, report.seller, report.project) == ("ASSESSMENT", "CONFIRMATION", "P0")
    assert (report.pace, report.gap, report.project_gap) == (Pace.BEHIND, -2, -4)


@pytest.mark.parametrize("seller", ["ANALYSIS", None])
def test_an_unknown_project_stage_is_refused(seller: str | None) -> None:
    with pytest.raises(InvalidData, match="P9") as caught:
        check_positions("RECOGNITION", seller, "P9")
    assert caught.value.field == "project"


def test_an_ended_project_alone_says_why_it_cannot_be_compared() -> None:
    with pytest.raises(InvalidData, match="ended") as caught:
        check_positions("SATISFACTION", None, "WON")
    assert caught.value.field == "project"
    assert check_positions("SATISFACTION", "MAINTENANCE", "WON").project is None
    with pytest.raises(InvalidData, match="give the seller") as caught:
        check_positions("SATISFACTION")
    assert caught.value.field == "seller"


@pytest.mark.parametrize(
    ("buyer", "seller", "project", "field"),
    [
        (None, "ANALYSIS", None, "buyer"),
        ("RECOGNITION", 3, None, "seller"),
        ("RECOGNITION", None, ["P1"], "project"),
    ],
)
def test_stage_ids_must_be_text(buyer: Any, seller: Any, project: Any, field: str) -> None:
    with pytest.raises(InvalidData) as caught:
        check_positions(buyer, seller, project)
    assert caught.value.field == field
