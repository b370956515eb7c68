from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bigaccount import (
    Account,
    AtLeast,
    BySegment,
    CycleKind,
    Deal,
    GateKind,
    InvalidMove,
    Money,
    Move,
    Segment,
    StageBlocked,
    cycle_names,
    get_cycle,
)
from bigaccount.catalogues import get_catalogue
from bigaccount.criteria import get_criterion
from bigaccount.cycles import advancement, funnel
from bigaccount.people_criteria import MID_LEVEL_AND_MAP, MID_LOW_RELATIONS, TOP_RELATION
from bigaccount.plan import COMPETITOR_MOVES, COMPETITORS_BASICS, COMPETITORS_PRESENT
from bigaccount.registry import BUILTIN

NAMES = ("decision", "activity", "advancement", "funnel", "development")
DECISION = get_cycle("decision")
ACTIVITY = get_cycle("activity")
DEVELOPMENT = get_cycle("development")


def new_deal(segment: Segment = Segment.ENTERPRISE, *facts: str) -> Deal:
    """A fresh deal with *facts* established; its changes read the tests' ticking clock."""
    deal = Deal("KA-9", Account("华东电网", segment), Money("1000000", "CNY"))
    deal.establish(*facts)
    return deal


def test_every_builtin_cycle_is_registered_under_its_name() -> None:
    assert BUILTIN == NAMES
    assert set(NAMES) <= set(cycle_names())
    for name in NAMES:
        assert get_cycle(name) is get_cycle(name)
        assert get_cycle(name).name == name
    assert get_cycle("advancement") is advancement.ADVANCEMENT
    assert get_cycle("funnel") is funnel.FUNNEL
    assert funnel.COMPETITORS_PRESENT is COMPETITORS_PRESENT
    assert advancement.AGREEMENT_SIGNED.id == "agreement_signed"


@pytest.mark.parametrize("name", NAMES)
def test_every_stage_is_named_and_explained_in_both_languages(name: str) -> None:
    cycle = get_cycle(name)
    assert cycle.label.zh.strip()
    assert cycle.label.en.strip()
    assert cycle.description is not None
    for stage in cycle.stages:
        assert stage.label.zh.strip()
        assert stage.label.en.strip()
        assert stage.label.zh != stage.label.en
        description = stage.guidance.description
        assert description is not None, stage.id
        assert description.zh.strip()
        assert description.en.strip()


@pytest.mark.parametrize(
    ("name", "kind", "ids"),
    [
        (
            "decision",
            CycleKind.WHEEL,
            "SATISFACTION RECOGNITION DECISION STANDARD_SETTING ASSESSMENT INVESTIGATION "
            "CHOICE REASSESSMENT",
        ),
        (
            "activity",
            CycleKind.PROCESS,
            "RESEARCH ANALYSIS CONFIRMATION PURSUIT REFINEMENT SOLUTION CLOSING MAINTENANCE",
        ),
        ("advancement", CycleKind.PIPELINE, "P0 P1 P2 P3 P4 P5 P6 P7"),
        ("funnel", CycleKind.PIPELINE, "TARGET INTENT APPROVED ENDORSED NEGOTIATION CLOSED REPEAT"),
        (
            "development",
            CycleKind.PROCESS,
            "MARKET_RESEARCH NEEDS_ANALYSIS APPLY_APPROVAL SOLUTION_PLANNING BUSINESS_TALKS "
            "AGREEMENT_SIGNED EXECUTION FOLLOW_UP EVALUATION ACCOUNT_FILE",
        ),
    ],
)
def test_stage_ids_and_kinds(name: str, kind: CycleKind, ids: str) -> None:
    cycle = get_cycle(name)
    assert cycle.kind is kind
    assert [s.id for s in cycle.stages] == ids.split()


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("advancement", [0.10, 0.20, 0.25, 0.30, 0.50, 0.75, 0.90, 1.00]),
        ("funnel", [0.10, 0.20, 0.30, 0.40, 0.50, 0.80, None]),
    ],
)
def test_pipeline_probabilities_are_the_sources_and_never_decrease(
    name: str, expected: list[float | None]
) -> None:
    cycle = get_cycle(name)
    assert [s.probability for s in cycle.stages] == expected
    inherited = [cycle.probability(s.id) for s in cycle.stages]
    assert all(p is not None for p in inherited)
    assert inherited == sorted(inherited)  # type: ignore[type-var]


# -- the customer decision cycle ------------------------------------------------------


def test_decision_wheel_returns_to_its_start() -> None:
    deal = new_deal()
    deal.start("decision")
    seen = [deal.state("decision")]
    for _ in range(7):
        deal.advance("decision")
        seen.append(deal.state("decision"))
    assert seen == [s.id for s in DECISION.stages]
    with pytest.raises(InvalidMove):
        deal.advance("decision")
    event = deal.cycle_back("decision")
    assert (event.source, event.dest, event.move) == (
        "REASSESSMENT",
        "SATISFACTION",
        Move.CYCLE_BACK,
    )


def test_decision_stages_carry_the_customers_action_and_the_sources_notes() -> None:
    actions = [s.guidance.customer_action for s in DECISION.stages]
    assert [a.zh for a in actions if a is not None] == [
        "发现问题、提出问题",
        "分析研讨、确定预算",
        "项目立项、建立小组",
        "建立采购标准",
        "确定招标、初步筛选",
        "筛选确定首选供应商",
        "合同审核、商务谈判",
        "签约成交",
    ]
    assert all(len(s.guidance.notes) >= 3 for s in DECISION.stages)
    assert not any(s.criteria for s in DECISION.stages)
    steps = get_catalogue("procurement_steps").entries
    assert [e.label.zh for e in steps][:3] == ["发现问题", "提出需求", "确定预算"]
    assert len(steps) == 10


# -- the sales activity cycle ---------------------------------------------------------

CHECKLISTS = {
    "RESEARCH": 3,
    "ANALYSIS": 5,
    "CONFIRMATION": 4,
    "PURSUIT": 5,
    "REFINEMENT": 3,
    "SOLUTION": 6,
    "CLOSING": 4,
    "MAINTENANCE": 3,
}
STEPS = {
    "RESEARCH": 2,
    "ANALYSIS": 3,
    "CONFIRMATION": 3,
    "PURSUIT": 3,
    "REFINEMENT": 2,
    "SOLUTION": 2,
    "CLOSING": 4,
    "MAINTENANCE": 3,
}
MILESTONES = {
    "RESEARCH": "有兴趣",
    "ANALYSIS": "找对经手人",
    "CONFIRMATION": "客户化的初步方案",
    "PURSUIT": "业绩展示",
    "REFINEMENT": "提交正式方案",
    "SOLUTION": "项目评估",
    "CLOSING": "合作谈判",
    "MAINTENANCE": "签约成交",
}


def test_every_self_check_list_has_the_sources_number_of_questions() -> None:
    counts = {s.id: len(s.guidance.checklist) for s in ACTIVITY.stages}
    assert counts == CHECKLISTS
    for stage in ACTIVITY.stages:
        for question in stage.guidance.checklist:
            assert "？" in question.zh, question
            assert "?" in question.en, question


def test_activity_steps_rules_and_success_markers() -> None:
    stages = {s.id: s for s in ACTIVITY.stages}
    assert {k: len(s.guidance.steps) for k, s in stages.items()} == STEPS
    assert {
        k: s.guidance.success.milestone.zh for k, s in stages.items() if s.guidance.success
    } == (MILESTONES)
    research = stages["RESEARCH"].guidance
    assert [len(step.rules) for step in research.steps] == [3, 2]
    assert stages["REFINEMENT"].guidance.steps[1].rules[-1].en == (
        "watch for rejections caused by price"
    )
    assert research.success is not None
    assert research.success.customer.zh == "发现问题，提出需求"
    assert research.success.supplier.zh == "项目立项"


def test_analysis_lists_the_sources_three_mistakes() -> None:
    mistakes = ACTIVITY.stage("ANALYSIS").guidance.mistakes
    assert len(mistakes) == 3
    assert mistakes[-1].zh == "过早向客户做产品介绍"


def test_activity_activities_follow_the_source() -> None:
    got = {s.id: [a.zh for a in s.guidance.activities] for s in ACTIVITY.stages}
    assert got["RESEARCH"] == ["客户规划", "电话邀约"]
    assert got["PURSUIT"] == ["方案演示", "技术交流"]
    assert got["CLOSING"] == ["商务谈判"]


# -- the project advancement cycle ----------------------------------------------------

NODES = {"P0": 2, "P1": 4, "P2": 6, "P3": 4, "P4": 4, "P5": 2, "P6": 1, "P7": 2}


def test_advancement_gates_are_all_of_the_acceptance_nodes() -> None:
    for stage in advancement.ADVANCEMENT.stages:
        gate = stage.exit
        assert isinstance(gate, AtLeast)
        assert len(gate.criteria) == NODES[stage.id], stage.id
        assert gate.n == len(gate.criteria)
        assert not stage.entry.criteria, stage.id
    assert [c.id for c in advancement.ADVANCEMENT.win_gate.criteria] == ["agreement_signed"]


def test_only_the_cut_off_stages_are_inferred() -> None:
    for stage in advancement.ADVANCEMENT.stages:
        flags = {c.inferred for c in stage.criteria}
        assert flags == ({True} if stage.id in ("P5", "P6", "P7") else {False}), stage.id


def test_practices_are_the_guidance_of_the_documented_stages() -> None:
    practices = {s.id: len(s.guidance.practices) for s in advancement.ADVANCEMENT.stages}
    assert practices == {"P0": 3, "P1": 3, "P2": 3, "P3": 2, "P4": 2, "P5": 1, "P6": 0, "P7": 0}
    assert "推断" in advancement.ADVANCEMENT.stage("P5").guidance.practices[0].zh
    assert len(get_catalogue("key_account_principles").entries) == 4


@pytest.mark.parametrize(
    ("constant", "stage", "fact"),
    [
        (COMPETITORS_BASICS, "P1", "p1_competitor_info"),
        (COMPETITOR_MOVES, "P2", "p2_competitor_moves"),
        (MID_LOW_RELATIONS, "P3", "p3_mid_low_relations"),
        (TOP_RELATION, "P4", "p4_top_relation"),
        (MID_LEVEL_AND_MAP, "P4", "p4_mid_level_and_map"),
    ],
)
def test_people_and_competitor_nodes_fall_back_to_plain_facts(
    constant: object, stage: str, fact: str
) -> None:
    criteria = advancement.ADVANCEMENT.stage(stage).criteria
    assert constant in criteria
    others = [c.id for c in criteria if c is not constant]
    deal = new_deal(Segment.ENTERPRISE, *others)
    assert not advancement.ADVANCEMENT.stage(stage).exit.passes(deal)
    deal.establish(fact)
    assert advancement.ADVANCEMENT.stage(stage).exit.passes(deal)


def test_a_project_reaches_p4_only_with_every_node_on_the_way() -> None:
    cycle = advancement.ADVANCEMENT
    deal = new_deal()
    facts = [c.id for s in cycle.stages[:4] for c in s.criteria]
    deal.establish(*facts[:-1])
    deal.start("advancement")
    with pytest.raises(StageBlocked) as blocked:
        deal.jump("advancement", "P4")
    assert [c.id for c in blocked.value.blockers] == [facts[-1]]
    assert (blocked.value.report.stage, blocked.value.report.kind) == ("P3", GateKind.EXIT)
    assert [(r.stage, r.kind) for r in blocked.value.reports] == [
        (s, GateKind.EXIT) for s in ("P0", "P1", "P2", "P3")
    ]
    deal.establish(facts[-1])
    deal.jump("advancement", "P4")
    assert deal.probability("advancement") == 0.50
    p4_nodes = [c.id for c in cycle.stage("P4").exit.criteria]
    with pytest.raises(StageBlocked) as not_done:
        deal.advance("advancement")
    assert [c.id for c in not_done.value.blockers] == p4_nodes
    deal.establish(*p4_nodes)
    assert deal.advance("advancement").dest == "P5"


# -- the KA funnel --------------------------------------------------------------------


def test_funnel_rules_match_the_source() -> None:
    stages = {s.id: s for s in funnel.FUNNEL.stages}
    rules = {
        k: (s.entry.n, len(s.entry.criteria))
        for k, s in stages.items()
        if isinstance(s.entry, AtLeast) and s.entry.criteria
    }
    assert rules == {
        "TARGET": (2, 3),
        "INTENT": (2, 4),
        "ENDORSED": (1, 3),
        "NEGOTIATION": (1, 5),
        "CLOSED": (1, 2),
    }
    assert not any(s.exit.criteria for s in funnel.FUNNEL.stages)
    approved = stages["APPROVED"].entry
    assert isinstance(approved, BySegment)
    criteria = [c.id for c in approved.criteria]
    assert criteria == ["members_known", "timeline_known", "budget_known", "core_needs_known"]
    sme = approved.gate_for(Segment.SME)
    assert [c.id for c in sme.criteria] == [criteria[0], criteria[3]]
    for segment in (Segment.ENTERPRISE, Segment.GOVERNMENT):
        big = approved.gate_for(segment)
        assert isinstance(big, AtLeast)
        assert [c.id for c in big.criteria] == criteria
        assert big.n == 4
    assert not stages["REPEAT"].entry.criteria


def test_funnel_owners() -> None:
    owners = {s.id: s.owner.zh if s.owner else None for s in funnel.FUNNEL.stages}
    assert owners == {
        "TARGET": "客户经理",
        "INTENT": "项目经理",
        "APPROVED": "项目小组",
        "ENDORSED": "项目小组",
        "NEGOTIATION": "项目经理、公司高层",
        "CLOSED": "项目经理、财务主管",
        "REPEAT": None,
    }


def test_competitors_present_is_shown_for_approved_but_never_gates() -> None:
    approved = funnel.FUNNEL.stage("APPROVED")
    assert approved.guidance.signals == (COMPETITORS_PRESENT,)
    assert COMPETITORS_PRESENT not in approved.criteria
    assert COMPETITORS_PRESENT not in funnel.FUNNEL.criteria
    deal = new_deal(Segment.SME, "members_known", "core_needs_known")
    assert approved.entry.passes(deal)
    assert not COMPETITORS_PRESENT.holds(deal)
    deal.establish("competitors_present")
    assert COMPETITORS_PRESENT.holds(deal)


def test_negotiation_carries_the_later_slide_and_references_its_catalogues() -> None:
    negotiation = funnel.FUNNEL.stage("NEGOTIATION")
    guidance = negotiation.guidance
    assert [c.id for c in negotiation.entry.criteria] == [
        "customer_template",
        "our_template",
        "negotiating",
        "price_objection",
        "terms_discussed",
    ]
    assert guidance.signals == ()
    assert negotiation.entry.passes(new_deal(Segment.SME, "price_objection"))
    assert negotiation.entry.passes(new_deal(Segment.SME, "terms_discussed"))
    assert not negotiation.entry.passes(new_deal(Segment.SME, "tender_won"))
    # the tactics, checks, methods and troubles are the catalogues', not copied here
    assert (guidance.practices, guidance.checklist, guidance.notes, guidance.mistakes) == (
        (),
        (),
        (),
        (),
    )
    assert guidance.catalogues == (
        "negotiation_preconditions",
        "negotiation_tactics",
        "negotiation_principles",
        "customer_negotiation_methods",
        "negotiation_troubles",
    )
    assert len(get_catalogue("negotiation_preconditions").entries) == 4
    assert len(get_catalogue("negotiation_tactics").entries) == 9
    assert get_criterion("top_decider_favours") in funnel.FUNNEL.stage("ENDORSED").criteria
    assert len(get_catalogue("funnel_health").entries) == 4
    assert "funnel_health" in funnel.FUNNEL.stage("REPEAT").guidance.catalogues


FUNNEL_FACTS = sorted(
    {c.id for c in funnel.FUNNEL.criteria}
    | {c.id for s in funnel.FUNNEL.stages for c in s.guidance.signals}
)
FUNNEL_STAGES = [s.id for s in funnel.FUNNEL.stages]
TRIGGERS = ["advance", "regress", *(f"jump_to_{s}" for s in FUNNEL_STAGES)]


@given(
    facts=st.sets(st.sampled_from(FUNNEL_FACTS)),
    segment=st.sampled_from(Segment),
    moves=st.lists(st.sampled_from(TRIGGERS), max_size=12),
)
def test_a_deal_reaches_a_funnel_stage_only_when_its_rule_holds(
    facts: set[str], segment: Segment, moves: list[str]
) -> None:
    cycle = funnel.FUNNEL
    deal = new_deal(segment, *facts)
    holding = [s for s in cycle.stages if s.entry.criteria and s.entry.passes(deal)]
    ceiling = max((s.probability or 0.0 for s in holding), default=0.0)
    try:
        deal.start(cycle)
    except StageBlocked:
        assert not cycle.stage("TARGET").entry.passes(deal)
        assert deal.probability(cycle) == 0.0
        return
    for trigger in ["advance", *moves]:
        state = deal.state(cycle)
        assert state is not None
        if trigger not in cycle.triggers(state):
            continue
        try:
            deal.move(cycle, trigger)
        except StageBlocked:
            assert deal.state(cycle) == state
            continue
        reached = cycle.stage(deal.state(cycle) or "")
        assert reached.entry.passes(deal)
        assert cycle.stage(state).exit.passes(deal) or trigger == "regress"
        assert deal.probability(cycle) <= ceiling


# -- the account development process --------------------------------------------------


def test_development_phases() -> None:
    phases = [s.phase.en for s in DEVELOPMENT.stages if s.phase is not None]
    assert phases == ["pre-sale"] * 4 + ["in-sale"] * 3 + ["post-sale"] * 3
    assert [s.phase.zh for s in DEVELOPMENT.stages if s.phase is not None][4] == "售中"
    exits = {s.id: [c.id for c in s.exit.criteria] for s in DEVELOPMENT.stages}
    assert {k: v for k, v in exits.items() if v} == {
        "APPLY_APPROVAL": ["approval_granted"],
        "BUSINESS_TALKS": ["talks_successful"],
    }
    assert not any(s.entry.criteria for s in DEVELOPMENT.stages)


def test_approval_loop_keeps_justifying_until_approved() -> None:
    deal = new_deal()
    deal.start("development")
    deal.advance("development")
    deal.advance("development")
    assert deal.state("development") == "APPLY_APPROVAL"
    with pytest.raises(StageBlocked) as blocked:
        deal.advance("development")
    assert blocked.value.blockers == DEVELOPMENT.stage("APPLY_APPROVAL").exit.criteria
    assert [c.id for c in blocked.value.blockers] == ["approval_granted"]
    assert (blocked.value.report.stage, blocked.value.report.kind) == (
        "APPLY_APPROVAL",
        GateKind.EXIT,
    )
    back = deal.move("development", "keep_justifying")
    assert (back.source, back.dest, back.move) == ("APPLY_APPROVAL", "NEEDS_ANALYSIS", Move.ROUTE)
    deal.advance("development")
    deal.establish("approval_granted")
    assert deal.advance("development").dest == "SOLUTION_PLANNING"


def test_talks_loop_keeps_talking_until_successful() -> None:
    deal = new_deal(Segment.ENTERPRISE, "approval_granted")
    deal.start("development")
    deal.jump("development", "BUSINESS_TALKS")
    for _ in range(3):
        event = deal.move("development", "keep_talking")
        assert (event.source, event.dest) == ("BUSINESS_TALKS", "BUSINESS_TALKS")
    assert not deal.can_advance("development")
    deal.establish("talks_successful")
    assert deal.advance("development").dest == "AGREEMENT_SIGNED"
    assert len(deal.tracks["development"].history) == 6


def test_development_only_goes_back_through_its_loops() -> None:
    deal = new_deal()
    deal.start("development")
    deal.advance("development")
    with pytest.raises(InvalidMove):
        deal.regress("development")
    with pytest.raises(InvalidMove):
        deal.move("development", "keep_justifying")
    with pytest.raises(StageBlocked):
        deal.jump("development", "EXECUTION")


def test_no_customer_skips_the_decision_stage() -> None:
    wheel = get_cycle("decision")
    assert not any(t.move is Move.JUMP for t in wheel.transitions)
    deal = new_deal()
    deal.start("decision")
    with pytest.raises(InvalidMove):
        deal.jump("decision", "STANDARD_SETTING")
    for _ in range(3):
        deal.advance("decision")
    assert deal.move("decision", "skip_assessment").dest == "INVESTIGATION"


def test_a_built_in_name_is_taken_and_an_equal_cycle_registers_once() -> None:
    from bigaccount import InvalidData, dump_cycle, load_cycle, register_cycle

    copy = load_cycle(dump_cycle(get_cycle("development")))
    assert register_cycle(copy) is get_cycle("development")  # equal: nothing changes
    renamed = load_cycle(dump_cycle(get_cycle("development")).replace('"development"', '"mine"'))
    first = register_cycle(renamed)
    assert register_cycle(load_cycle(dump_cycle(renamed))) is first
    changed = dump_cycle(renamed).replace('en = "market research"', 'en = "research"')
    with pytest.raises(InvalidData, match="already registered"):
        register_cycle(load_cycle(changed))
    with pytest.raises(InvalidData, match="already registered"):
        register_cycle(load_cycle(changed.replace('"mine"', '"funnel"')))
