from __future__ import annotations

import datetime as dt
import gc
import weakref

import pytest

from bigaccount import (
    Account,
    Criterion,
    Cycle,
    CycleKind,
    Deal,
    InvalidData,
    InvalidMove,
    Label,
    Money,
    Move,
    Outcome,
    ReplayError,
    Route,
    Segment,
    Stage,
    StageBlocked,
    StageChange,
    at_least,
    get_cycle,
)

UTC = dt.timezone.utc
T0 = dt.datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


def new_deal(segment: Segment = Segment.ENTERPRISE, *facts: str) -> Deal:
    deal = Deal("KA-001", Account("华东电网", segment), Money("2400000", "CNY"))
    deal.establish(*facts, at=T0 - dt.timedelta(hours=1))
    return deal


def snapshot(deal: Deal) -> tuple[object, ...]:
    return (
        dict(deal.facts),
        {k: (t.state, t.history) for k, t in deal.tracks.items()},
        deal.events,
    )


def test_a_deal_enters_the_funnel_only_through_the_target_gate() -> None:
    deal = new_deal(Segment.ENTERPRISE, "first_contact")
    with pytest.raises(StageBlocked) as err:
        deal.start("funnel")
    assert deal.tracks == {}
    assert err.value.report.stage == "TARGET"
    assert [c.id for c in err.value.blockers] == ["materials_sent", "visit_agreed"]
    deal.establish("visit_agreed", at=T0)
    event = deal.start("funnel", actor="王经理", at=T0)
    assert (event.source, event.dest, event.move) == (None, "TARGET", Move.START)
    assert event.criteria == ("first_contact", "visit_agreed")
    assert event.actor == "王经理"
    assert deal.state("funnel") == "TARGET"
    assert deal.probability("funnel") == 0.10
    assert deal.weighted_amount("funnel") == Money("240000", "CNY")


def test_a_blocked_move_raises_with_the_report_and_changes_nothing() -> None:
    deal = new_deal(Segment.ENTERPRISE, "materials_sent", "first_contact", "visited")
    deal.start("funnel", at=T0)
    before = snapshot(deal)
    assert not deal.can_advance("funnel")
    assert [c.id for c in deal.blockers("funnel")] == ["evaluating", "clear_need", "owner_named"]
    with pytest.raises(StageBlocked) as err:
        deal.advance("funnel", at=T0)
    assert snapshot(deal) == before
    assert err.value.state == "TARGET"
    assert err.value.trigger == "advance"
    assert err.value.report.needed == 1
    assert "INTENT" in str(err.value)
    assert "needs 1 more" in str(err.value)
    assert "还需满足1项" in str(err.value)


def test_segment_rule_of_the_approved_stage() -> None:
    sme = new_deal(Segment.SME, "materials_sent", "first_contact", "visited", "clear_need")
    big = new_deal(Segment.GOVERNMENT, "materials_sent", "first_contact", "visited", "clear_need")
    for deal in (sme, big):
        deal.start("funnel", at=T0)
        deal.advance("funnel", at=T0)
        deal.establish("members_known", "core_needs_known", at=T0)
    sme.advance("funnel", at=T0)
    assert sme.state("funnel") == "APPROVED"
    with pytest.raises(StageBlocked) as err:
        big.advance("funnel", at=T0)
    assert err.value.report.segment is Segment.GOVERNMENT
    assert [c.id for c in err.value.blockers] == ["timeline_known", "budget_known"]


def test_a_jump_needs_every_gate_on_the_way_and_reports_all_of_them() -> None:
    deal = new_deal(Segment.SME, "materials_sent", "first_contact", "tender_won")
    deal.start("funnel", at=T0)
    with pytest.raises(StageBlocked) as err:
        deal.jump("funnel", "ENDORSED", at=T0)
    assert [r.stage for r in err.value.reports] == ["INTENT", "APPROVED", "ENDORSED"]
    assert [r.passed for r in err.value.reports] == [False, False, True]
    assert deal.state("funnel") == "TARGET"
    deal.establish("visited", "clear_need", "members_known", "core_needs_known", at=T0)
    event = deal.jump("funnel", "ENDORSED", at=T0)
    assert event.move is Move.JUMP
    assert deal.state("funnel") == "ENDORSED"


def test_moves_that_do_not_exist_are_invalid_not_blocked() -> None:
    deal = new_deal(Segment.SME, "materials_sent", "first_contact")
    with pytest.raises(InvalidMove, match="no move 'advance' from '<start>'"):
        deal.advance("funnel")
    deal.start("funnel", at=T0)
    with pytest.raises(InvalidMove) as err:
        deal.regress("funnel")
    assert "advance" in err.value.allowed
    with pytest.raises(InvalidMove):
        deal.start("funnel")


def test_won_and_lost_are_terminal_and_lost_needs_a_reason() -> None:
    deal = new_deal(Segment.SME, "materials_sent", "first_contact")
    deal.start("funnel", at=T0)
    with pytest.raises(InvalidData, match="reason"):
        deal.lose("funnel", reason=" ")
    assert deal.outcome is None
    event = deal.lose("funnel", reason="price 15% above the winner", at=T0)
    assert event.reason == "price 15% above the winner"
    assert deal.outcome is Outcome.LOST
    assert deal.probability("funnel") == 0.0
    assert deal.stage("funnel") is None
    for trigger in ("advance", "win", "lose", "regress", "stall"):
        with pytest.raises(InvalidMove):
            deal.move("funnel", trigger, at=T0)


def test_times_must_be_aware_and_in_order() -> None:
    deal = new_deal(Segment.SME, "materials_sent", "first_contact")
    with pytest.raises(InvalidData, match="timezone-aware"):
        deal.start("funnel", at=dt.datetime(2026, 1, 1))
    assert deal.tracks == {}
    deal.start("funnel", at=T0)
    with pytest.raises(InvalidData, match=r"before the deal.s last change"):
        deal.stall("funnel", reason="budget frozen", at=T0 - dt.timedelta(days=1))
    assert deal.state("funnel") == "TARGET"


def test_history_replays_to_the_same_track() -> None:
    deal = new_deal(Segment.SME, "materials_sent", "first_contact", "visited", "clear_need")
    deal.start("funnel", at=T0)
    deal.advance("funnel", at=T0 + dt.timedelta(days=3))
    deal.regress("funnel", at=T0 + dt.timedelta(days=4), actor="张总监")
    deal.advance("funnel", at=T0 + dt.timedelta(days=9))
    funnel = get_cycle("funnel")
    track = deal.tracks["funnel"]
    assert [e.move for e in track.history] == [Move.START, Move.ADVANCE, Move.REGRESS, Move.ADVANCE]
    assert funnel.replay(track.history) == track


def test_replay_refuses_events_that_do_not_follow() -> None:
    funnel = get_cycle("funnel")
    ok = StageChange("funnel", None, "TARGET", "start", Move.START, T0)
    skip = StageChange("funnel", "TARGET", "APPROVED", "advance", Move.ADVANCE, T0)
    with pytest.raises(ReplayError) as err:
        funnel.replay([ok, skip])
    assert err.value.index == 1
    gap = StageChange("funnel", "INTENT", "APPROVED", "advance", Move.ADVANCE, T0)
    with pytest.raises(ReplayError, match="track is at 'TARGET'"):
        funnel.replay([ok, gap])
    early = StageChange("funnel", "TARGET", "INTENT", "advance", Move.ADVANCE, T0 - dt.timedelta(1))
    with pytest.raises(ReplayError, match="before"):
        funnel.replay([ok, early])
    other = StageChange("decision", None, "X", "start", Move.START, T0)
    with pytest.raises(ReplayError, match="belongs to cycle"):
        funnel.replay([other])


def test_the_shared_machine_keeps_no_deal_alive() -> None:
    funnel = get_cycle("funnel")
    deal = new_deal(Segment.SME, "materials_sent", "first_contact", "visited", "clear_need")
    deal.start(funnel)
    deal.advance(funnel)
    ref = weakref.ref(deal)
    track_ref = weakref.ref(deal.tracks["funnel"])
    del deal
    gc.collect()
    assert ref() is None
    assert track_ref() is None
    assert funnel.machine.models == []


WHEEL = Cycle(
    "wheel_test",
    Label("轮", "wheel"),
    CycleKind.WHEEL,
    tuple(Stage(s, Label(s, s)) for s in ("A", "B", "C")),
    allow_jump=False,
)


def test_a_wheel_cycles_back_to_its_start() -> None:
    deal = new_deal()
    deal.start(WHEEL)
    deal.advance(WHEEL)
    deal.advance(WHEEL)
    with pytest.raises(InvalidMove):
        deal.advance(WHEEL)
    event = deal.cycle_back(WHEEL)
    assert (event.source, event.dest, event.move) == ("C", "A", Move.CYCLE_BACK)
    assert WHEEL.replay(deal.tracks["wheel_test"].history) == deal.tracks["wheel_test"]


APPROVED = Criterion.fact("approval_granted", "审批通过", "approval granted")
LOOP = Cycle(
    "loop_test",
    Label("流程", "process"),
    CycleKind.PROCESS,
    (
        Stage("ANALYSE", Label("分析", "analyse")),
        Stage("APPLY", Label("申报", "apply")),
        Stage("PLAN", Label("策划", "plan"), entry=at_least(1, APPROVED)),
    ),
    routes=(
        Route("keep_justifying", "APPLY", "ANALYSE", Label("继续论证", "keep justifying")),
        Route("keep_talking", "PLAN", "PLAN", Label("继续洽谈", "keep talking")),
    ),
)


def test_declared_routes_loop_and_self_loops_are_recorded() -> None:
    deal = new_deal()
    deal.start(LOOP)
    deal.advance(LOOP)
    with pytest.raises(StageBlocked):
        deal.advance(LOOP)
    back = deal.move(LOOP, "keep_justifying")
    assert (back.dest, back.move) == ("ANALYSE", Move.ROUTE)
    deal.advance(LOOP)
    deal.establish("approval_granted")
    deal.advance(LOOP)
    stay = deal.move(LOOP, "keep_talking")
    assert (stay.source, stay.dest) == ("PLAN", "PLAN")
    assert len(deal.tracks["loop_test"].history) == 6


def test_check_answers_without_moving() -> None:
    deal = new_deal(Segment.SME, "materials_sent", "first_contact")
    answer = deal.check("funnel", "start")
    assert answer.allowed
    assert answer.dest == "TARGET"
    assert deal.tracks == {}
    nothing = deal.check("funnel", "advance")
    assert not nothing.allowed
    assert nothing.dest is None


def test_bulk_replay_reports_bad_rows_and_keeps_going() -> None:
    table = get_cycle("funnel").table
    rows = [
        ("o1", None, "TARGET"),
        ("o2", None, "TARGET"),
        ("o1", "TARGET", "INTENT"),
        ("o2", "TARGET", "TARGET"),
        ("o2", "INTENT", "APPROVED"),
        ("o1", "INTENT", "WON"),
    ]
    result = table.replay_states(rows)
    assert result.rows == 6
    assert result.states == {"o1": "WON", "o2": "TARGET"}
    assert [(n, key) for n, key, _ in result.errors] == [(4, "o2"), (5, "o2")]
    assert not result.ok


def test_bulk_replay_can_let_histories_begin_mid_pipeline() -> None:
    table = get_cycle("funnel").table
    rows = [("o1", None, "APPROVED"), ("o1", "APPROVED", "ENDORSED"), ("o2", None, "NOWHERE")]
    strict = table.replay_states(rows)
    assert [n for n, _, _ in strict.errors] == [1, 2, 3]
    lenient = table.replay_states(rows, enter_anywhere=True)
    assert lenient.states == {"o1": "ENDORSED"}
    assert [(n, key) for n, key, _ in lenient.errors] == [(3, "o2")]


def test_the_table_names_moves_by_trigger_and_by_their_ends() -> None:
    table = get_cycle("funnel").table
    assert table.next_state("TARGET", "advance") == "INTENT"
    assert table.next_state("TARGET", "jump_to_CLOSED") == "CLOSED"
    with pytest.raises(InvalidMove):
        table.next_state("WON", "advance")
    step = table.between("INTENT", "ENDORSED")
    assert step is not None
    assert (step.trigger, step.move) == ("jump_to_ENDORSED", Move.JUMP)
    assert [s for s, _, _ in step.gates] == ["APPROVED", "ENDORSED"]
    assert table.between("ENDORSED", "TARGET") is None
