"""Property tests of the engine over random cycles, evidence and move sequences."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from bigaccount import Context, Cycle, Deal, InvalidMove, Outcome, StageBlocked, Track
from bigaccount.testing import FACT_POOL, cycles, deals
from bigaccount.track import START

T0 = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)
CTX = Context()

Action = tuple[str, str, bool]
"""(kind, argument, flag): a move by trigger (flag: imported), or setting one fact."""


def triggers_of(cycle: Cycle) -> list[str]:
    names = {t.trigger for t in cycle.transitions}
    return sorted(names | {"advance", "regress", "cycle_back", "win", "jump_to_S3"})


@st.composite
def scenarios(draw: st.DrawFn) -> tuple[Cycle, Deal, list[Action]]:
    cycle = draw(cycles())
    deal = draw(deals())
    moves = st.tuples(st.just("move"), st.sampled_from(triggers_of(cycle)), st.booleans())
    flips = st.tuples(st.just("fact"), st.sampled_from([c.id for c in FACT_POOL]), st.booleans())
    actions = draw(st.lists(st.one_of(moves, moves, flips), max_size=25))
    first = draw(st.sampled_from([("move", "start", False), ("move", "enter", True)]))
    return cycle, deal, [first, *actions]


def state_of(deal: Deal, cycle: Cycle) -> str:
    return deal.state(cycle) or START


def history_of(deal: Deal, cycle: Cycle) -> tuple[object, ...]:
    return deal.tracks[cycle.name].history if cycle.name in deal.tracks else ()


@given(scenarios(), st.data())
def test_state_changes_only_when_the_gates_pass_and_the_log_replays(
    scenario: tuple[Cycle, Deal, list[Action]], data: st.DataObject
) -> None:
    cycle, deal, actions = scenario
    for i, (kind, arg, flag) in enumerate(actions):
        when = T0 + dt.timedelta(hours=i)
        if kind == "fact":
            (deal.establish if flag else deal.retract)(arg, at=when)
            continue
        if arg == "enter":
            arg = "enter_" + data.draw(st.sampled_from(cycle.states))
        before = state_of(deal, cycle)
        history = history_of(deal, cycle)
        version = deal.version
        step = cycle.table.step(before, arg)
        reason = "test" if arg in ("lose", "stall") else None
        imported = (flag or arg.startswith("enter_")) and step is not None
        try:
            event = deal.move(cycle, arg, at=when, reason=reason, imported=imported)
        except InvalidMove:
            assert step is None
            assert state_of(deal, cycle) == before
            assert deal.version == version
        except StageBlocked as blocked:
            assert step is not None
            assert not imported
            assert not all(r.passed for r in blocked.reports)
            assert [(r.stage, r.kind) for r in blocked.reports] == [
                (s, k) for s, k, _ in step.gates
            ]
            assert state_of(deal, cycle) == before
            assert history_of(deal, cycle) == history
            assert deal.version == version
        else:
            assert step is not None
            reports = step.evaluate(deal, CTX._judging_at(when))
            passed = all(r.passed for r in reports)
            assert passed or event.imported
            if event.imported:
                unmet = [c.id for r in reports if not r.passed for c in r.missing]
                assert list(event.unmet) == list(dict.fromkeys(unmet))
            else:
                assert event.unmet == ()
            assert event.dest == step.dest == state_of(deal, cycle)
            assert history_of(deal, cycle) == (*history, event)
            assert deal.version == version + 1
        if before in (Outcome.WON, Outcome.LOST):
            assert state_of(deal, cycle) == before
    replayed = Deal.replay(deal.id, deal.account, deal.amount, deal.events, cycles=[cycle])
    assert replayed == deal
    assert dict(replayed.facts) == dict(deal.facts)
    if cycle.name in deal.tracks:
        assert cycle.replay(deal.tracks[cycle.name].history) == deal.tracks[cycle.name]


@given(cycles(), deals(), st.data())
def test_table_and_machine_accept_and_refuse_exactly_the_same_moves(
    cycle: Cycle, deal: Deal, data: st.DataObject
) -> None:
    state = data.draw(st.sampled_from((START, *cycle.states)))
    for trigger in triggers_of(cycle):
        track = Track(cycle.name)
        track._state = state
        try:
            dest, table_reports = cycle.table.attempt(state, trigger, deal, CTX)
        except InvalidMove:
            table_result: object = "invalid"
        else:
            table_result = (dest, table_reports)
        if trigger not in cycle.machine.events or not cycle.machine.events[trigger].transitions.get(
            state
        ):
            machine_result: object = "invalid"
        else:
            reports: list[object] = []
            moved = cycle.machine.events[trigger].trigger(
                track, evidence=deal, context=CTX, reports=reports, imported=False
            )
            machine_result = (track.state if moved else None, tuple(reports))
            if not moved:
                assert track.state == state
        assert table_result == machine_result


@given(cycles(), deals())
def test_won_and_lost_are_terminal(cycle: Cycle, deal: Deal) -> None:
    for outcome in Outcome:
        if outcome.value in cycle.states:
            assert cycle.triggers(outcome.value) == ()
            assert cycle.is_terminal(outcome.value)


@given(cycles(), deals(), st.data())
def test_an_imported_entry_never_passes_a_gate_silently(
    cycle: Cycle, deal: Deal, data: st.DataObject
) -> None:
    state = data.draw(st.sampled_from(cycle.states))
    event = deal.enter(cycle, state, at=T0, source="crm")
    step = cycle.table.step(START, f"enter_{state}")
    assert step is not None
    reports = step.evaluate(deal, CTX._judging_at(T0))
    missing = [c.id for r in reports if not r.passed for c in r.missing]
    assert event.imported
    assert event.source_system == "crm"
    assert list(event.unmet) == list(dict.fromkeys(missing))
    assert set(event.criteria) == {c.id for r in reports for c in r.held}
