from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bigaccount import Account, Deal, InvalidData, InvalidDefinition, Money, Segment, get_cycle
from bigaccount.cycle import Cycle, CycleKind, Guidance, Stage
from bigaccount.labels import Label
from bigaccount.valuechain import (
    ALIGNMENT,
    AlignedStages,
    Pace,
    ReportTexts,
    ValueChain,
    aligned,
    check_alignment,
    check_positions,
    load_alignment,
    read_alignment,
    value_chain,
)

BUYER = [s.id for s in get_cycle("decision").stages]
SELLER = [s.id for s in get_cycle("activity").stages]
PROJECT = [s.id for s in get_cycle("advancement").stages]
PRODUCT_TOO_EARLY = get_cycle("activity").stage("ANALYSIS").guidance.mistakes[2]


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


# -- the chain as data, and chains of your own ----------------------------------------

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples" / "pipelines"

JOURNEY = """
[cycle]
name = "vc_journey"
kind = "process"
label = { zh = "旅程", en = "journey" }
[[stages]]
id = "AWARE"
label = { zh = "意识", en = "aware" }
guidance = { description = { zh = "客户意识到问题。", en = "The customer sees a problem." } }
[[stages]]
id = "BUY"
label = { zh = "购买", en = "buy" }
guidance = { description = { zh = "客户购买。", en = "The customer buys." } }
"""

PIPELINE = """
[cycle]
name = "vc_pipeline"
kind = "pipeline"
label = { zh = "管道", en = "pipeline" }
[[stages]]
id = "QUALIFY"
label = { zh = "资格", en = "qualify" }
probability = 0.2
[[stages]]
id = "PROPOSE"
label = { zh = "方案", en = "propose" }
probability = 0.5
guidance = { mistakes = [{ zh = "过早报价", en = "quoting too early" }] }
[[stages]]
id = "CLOSE"
label = { zh = "成交", en = "close" }
probability = 0.8
"""

CHAIN = """
[chain]
name = "mine"
label = { zh = "我的价值链", en = "my chain" }
buyer = "vc_journey"
seller = "vc_pipeline"
ahead_warning = { stage = "PROPOSE", mistake = 1 }

[[columns]]
buyer = "AWARE"
seller = "QUALIFY"
action = { zh = "确认问题。", en = "Confirm the problem." }

[[columns]]
buyer = "BUY"
seller = "PROPOSE"
action = { zh = "提交方案。", en = "Send the proposal." }
"""


def mine() -> tuple[Cycle, Cycle]:
    from bigaccount import load_cycle

    return load_cycle(JOURNEY), load_cycle(PIPELINE)


def test_the_library_chain_is_the_data_file_and_its_texts() -> None:
    from bigaccount.declarations import builtin_data

    data = builtin_data("valuechain")
    chain = value_chain()
    assert chain is value_chain()
    assert chain.columns == ALIGNMENT
    assert [(c["buyer"], c["seller"], c["project"]) for c in data["columns"]] == [
        (c.decision.id, c.activity.id, c.advancement.id if c.advancement else None)
        for c in chain.columns
    ]
    assert chain.texts.ahead.en == data["texts"]["ahead"]["en"]
    assert chain.warning == PRODUCT_TOO_EARLY
    assert (chain.buyer.name, chain.seller.name) == ("decision", "activity")
    assert chain.project is get_cycle("advancement")


def test_a_chain_of_your_own_aligns_your_journey_with_your_pipeline() -> None:
    journey, pipeline = mine()
    chain = load_alignment(CHAIN, cycles=[journey, pipeline])
    assert chain.project is None
    assert [(c.decision.id, c.activity.id, c.advancement) for c in chain.columns] == [
        ("AWARE", "QUALIFY", None),
        ("BUY", "PROPOSE", None),
    ]
    ahead = chain.check_positions("AWARE", "PROPOSE")
    assert (ahead.pace, ahead.gap) == (Pace.AHEAD, 1)
    assert "quoting too early" in ahead.explanation.en
    assert "Confirm the problem." in ahead.explanation.en
    assert ahead.explanation.en.startswith("We are 1 stage(s) ahead")  # the library's texts
    behind = chain.check_positions("BUY", "QUALIFY")
    assert (behind.pace, [m.en for m in behind.missed]) == (Pace.BEHIND, ["qualify"])
    with pytest.raises(InvalidData, match="no column"):
        chain.check_positions("AWARE", "CLOSE")
    with pytest.raises(InvalidData, match="ended"):
        chain.check_positions("AWARE", "WON")


def test_a_deal_is_checked_on_the_tracks_of_the_chains_cycles() -> None:
    journey, pipeline = mine()
    chain = load_alignment(CHAIN, cycles=[journey, pipeline])
    deal = Deal("KA-8", Account("华北电力", Segment.ENTERPRISE), Money("1", "CNY"))
    with pytest.raises(InvalidData, match="vc_journey"):
        check_alignment(deal, chain)
    deal.start(journey)
    deal.start(pipeline)
    deal.advance(pipeline)
    report = check_alignment(deal, chain)
    assert (report.buyer, report.seller, report.pace) == ("AWARE", "PROPOSE", Pace.AHEAD)
    deal.move(pipeline, "win")
    with pytest.raises(InvalidData, match="vc_pipeline"):
        check_alignment(deal, chain)


def test_the_example_alignment_loads_with_the_example_cycles() -> None:
    from bigaccount import load_cycle

    journey = load_cycle(EXAMPLES / "buyer_journey.toml")
    flow = load_cycle(EXAMPLES / "qualify_develop_propose_close.toml")
    chain = load_alignment(EXAMPLES / "journey_alignment.toml", cycles=[journey, flow])
    assert len(chain.columns) == len(journey.stages) == len(flow.stages)
    for buyer, seller in zip(journey.stages, flow.stages, strict=True):
        assert chain.check_positions(buyer.id, seller.id).pace is Pace.IN_STEP


def problems_of(text: str) -> list[tuple[str, str]]:
    journey, pipeline = mine()
    with pytest.raises(InvalidDefinition) as caught:
        load_alignment(text, cycles=[journey, pipeline])
    return list(caught.value.problems)


@pytest.mark.parametrize(
    ("change", "place", "expected"),
    [
        (('seller = "QUALIFY"', 'seller = "QUALIFIED"'), "columns[0].seller", "no stage"),
        (('buyer = "BUY"', 'buyer = "AWARE"'), "columns[1].buyer", "already in columns[0]"),
        (('seller = "PROPOSE"\n', 'seller = "QUALIFY"\n'), "columns[1].seller", "already in"),
        (('buyer = "vc_journey"', 'buyer = "nobody"'), "chain.buyer", "unknown cycle"),
        (("mistake = 1", "mistake = 4"), "chain.ahead_warning.mistake", "expected 1 to 1"),
        (('name = "mine"\n', ""), "chain.name", "the chain's name"),
        (
            ('[[columns]]\nbuyer = "BUY"', '[[columns]]\nwhen = 3\nbuyer = "BUY"'),
            "columns[1].when",
            "unknown key",
        ),
        (("schema", "schema"), "", ""),
    ],
)
def test_every_problem_of_a_chain_is_named_with_its_place(
    change: tuple[str, str], place: str, expected: str
) -> None:
    old, new = change
    if not place:
        found = problems_of("schema = 7\n" + CHAIN)
        assert any("not supported" in p for _, p in found)
        return
    assert old in CHAIN
    found = problems_of(CHAIN.replace(old, new, 1))
    assert any(w == f"<text>: {place}" and expected in p for w, p in found), found


def test_a_buyer_stage_in_no_column_and_a_column_without_text_are_refused() -> None:
    found = problems_of(CHAIN[: CHAIN.index('[[columns]]\nbuyer = "BUY"')])
    assert ("<text>: columns", "stages of vc_journey in no column: BUY") in found
    no_text = CHAIN.replace('action = { zh = "确认问题。", en = "Confirm the problem." }\n', "")
    assert any(w == "<text>: columns[0].action" for w, _ in problems_of(no_text))


@pytest.mark.parametrize(
    "template",
    [
        "{buyer.__class__.__mro__}",
        "{buyer[0]}",
        "{0}",
        "{n:>99999}",
        "{buyer!r}",
        "{secret}",
        "unbalanced {",
    ],
)
def test_report_texts_fill_in_plain_names_only(template: str) -> None:
    texts = """
[texts]
in_step = { zh = "同步", en = "TEMPLATE" }
ahead = { zh = "超前{warning}", en = "ahead {warning}" }
behind = { zh = "落后", en = "behind" }
project_off = { zh = "偏离", en = "off" }
""".replace("TEMPLATE", template.replace("\\", "\\\\"))
    found = problems_of(CHAIN + texts)
    assert [w for w, _ in found] == ["<text>: texts.in_step.en"]
    with pytest.raises(InvalidData):
        ReportTexts(
            Label("同步", template),
            Label("超前", "ahead"),
            Label("落后", "behind"),
            Label("偏离", "off"),
        )


def test_a_chain_built_in_code_is_checked_too() -> None:
    journey, pipeline = mine()
    texts = value_chain().texts
    columns = (
        AlignedStages(0, journey.stages[0], pipeline.stages[1]),
        AlignedStages(1, journey.stages[1], pipeline.stages[0]),
    )
    with pytest.raises(InvalidData, match="in order"):
        ValueChain(
            "x", Label("甲", "x"), journey, pipeline, columns, texts, warning=Label("甲", "a")
        )
    act = Label("做", "do")
    in_order = (
        AlignedStages(0, journey.stages[0], pipeline.stages[0], action=act),
        AlignedStages(1, journey.stages[1], pipeline.stages[1], action=act),
    )
    with pytest.raises(InvalidData, match="cites"):
        ValueChain("x", Label("甲", "x"), journey, pipeline, in_order, texts)
    bare = (in_order[0], AlignedStages(1, journey.stages[1], pipeline.stages[1]))
    with pytest.raises(InvalidData, match="no text for the seller"):
        ValueChain("x", Label("甲", "x"), journey, pipeline, bare, texts, warning=act)
    chain = ValueChain("x", Label("甲", "x"), journey, pipeline, in_order, texts, warning=act)
    assert chain.check_positions("BUY", "QUALIFY").pace is Pace.BEHIND
    stranger = Stage(
        "AWARE", Label("意识", "aware"), guidance=Guidance(description=Label("甲", "a"))
    )
    other = Cycle("vc_other", Label("乙", "b"), CycleKind.PROCESS, (stranger,))
    with pytest.raises(InvalidData, match="not a stage"):
        ValueChain(
            "x",
            Label("甲", "x"),
            journey,
            pipeline,
            (AlignedStages(0, other.stages[0], pipeline.stages[0]),),
            texts,
            warning=Label("甲", "a"),
        )


@given(st.text(max_size=200))
def test_random_alignment_text_gives_only_the_librarys_error(text: str) -> None:
    try:
        read_alignment({"chain": {"name": text}}, cycles=mine())
        load_alignment(text, cycles=mine())
    except InvalidDefinition:
        pass
