"""Property tests of the engine over random cycles, facts and move sequences."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from bigaccount import Cycle, Deal, InvalidMove, StageBlocked, Track
from bigaccount.testing import FACT_POOL, cycles, deals
from bigaccount.track import LOST, START, WON

T0 = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)

Action = tuple[str, str, bool]
"""(kind, argument, flag): a move by trigger, or flipping one fact."""


def triggers_of(cycle: Cycle) -> list[str]:
    names = {t.trigger for t in cycle.transitions}
    return sorted(names | {"advance", "regress", "cycle_back", "win", "jump_to_S3"})


@st.composite
def scenarios(draw: st.DrawFn) -> tuple[Cycle, Deal, list[Action]]:
    cycle = draw(cycles())
    deal = draw(deals())
    moves = st.tuples(st.just("move"), st.sampled_from(triggers_of(cycle)), st.just(True))
    flips = st.tuples(st.just("fact"), st.sampled_from([c.id for c in FACT_POOL]), st.booleans())
    actions = draw(st.lists(st.one_of(moves, moves, flips), max_size=25))
    return cycle, deal, [("move", "start", True), *actions]


def state_of(deal: Deal, cycle: Cycle) -> str:
    return deal.state(cycle) or START


@given(scenarios())
def test_state_changes_only_when_the_gates_pass_and_history_replays(
    scenario: tuple[Cycle, Deal, list[Action]],
) -> None:
    cycle, deal, actions = scenario
    for i, (kind, arg, flag) in enumerate(actions):
        if kind == "fact":
            deal.facts[arg] = flag
            continue
        before = state_of(deal, cycle)
        history = deal.tracks[cycle.name].history if cycle.name in deal.tracks else ()
        step = cycle.table.step(before, arg)
        when = T0 + dt.timedelta(hours=i)
        reason = "test" if arg in ("lose", "stall") else None
        try:
            event = cycle.move(deal, arg, at=when, reason=reason)
        except InvalidMove:
            assert step is None
            assert state_of(deal, cycle) == before
        except StageBlocked as blocked:
            assert step is not None
            assert not all(r.passed for r in blocked.reports)
            assert [r.stage for r in blocked.reports] == [s for s, _ in step.gates]
            assert state_of(deal, cycle) == before
            now = deal.tracks[cycle.name].history if cycle.name in deal.tracks else ()
            assert now == history
        else:
            assert step is not None
            assert all(r.passed for r in step.evaluate(deal))
            assert event.dest == step.dest == state_of(deal, cycle)
            assert deal.tracks[cycle.name].history == (*history, event)
        if before in (WON, LOST):
            assert state_of(deal, cycle) == before
    if cycle.name in deal.tracks:
        track = deal.tracks[cycle.name]
        assert cycle.replay(track.history) == track


@given(cycles(), deals(), st.data())
def test_table_and_machine_accept_and_refuse_exactly_the_same_moves(
    cycle: Cycle, deal: Deal, data: st.DataObject
) -> None:
    state = data.draw(st.sampled_from((START, *cycle.states)))
    for trigger in triggers_of(cycle):
        track = Track(cycle.name, state)
        try:
            dest, table_reports = cycle.table.attempt(state, trigger, deal)
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
            moved = cycle.machine.events[trigger].trigger(track, deal=deal, reports=reports)
            machine_result = (track.state if moved else None, tuple(reports))
            if not moved:
                assert track.state == state
        assert table_result == machine_result


@given(cycles(), deals())
def test_won_and_lost_are_terminal(cycle: Cycle, deal: Deal) -> None:
    for outcome in (WON, LOST):
        if outcome in cycle.states:
            assert cycle.triggers(outcome) == ()
            assert cycle.is_terminal(outcome)
