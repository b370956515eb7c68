"""The engine's cycle values refuse bad input naming the field, and agree with what it builds.

``tests/test_public_inputs.py`` tries one wrong value at a time; these tests cover what
it does not: values that contradict each other, every problem of a cycle reported at
once, the trusted constructions of the engine giving values the public constructors
accept, and the arguments of :meth:`~bigaccount.Cycle.check`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given

from bigaccount import (
    Account,
    BulkReplay,
    Context,
    Criterion,
    Cycle,
    CycleKind,
    Deal,
    GateKind,
    GateReport,
    Guidance,
    InvalidData,
    InvalidDefinition,
    Label,
    Money,
    Move,
    MoveCheck,
    Snapshot,
    Stage,
    Step,
    Track,
    Transition,
    TransitionTable,
    all_of,
    cycle_names,
    get_cycle,
)
from bigaccount.testing.strategies import bulk_replays, move_checks

T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.timezone.utc)

L = Label("甲", "a")
A = Criterion.fact("cycle_inputs_a", "甲", "a")
GATE = all_of(A)
STAGES = (Stage("A", L, 0.1), Stage("B", L, 0.5, GATE))
CYCLE = Cycle("cycle_inputs", L, "pipeline", STAGES)
ADVANCE = Transition("advance", "A", "B", Move.ADVANCE, (("B", GateKind.ENTRY, GATE),))


def refused(call: Callable[[], Any], kind: type[Exception] = InvalidData) -> Exception:
    with pytest.raises(kind) as caught:
        call()
    return caught.value


def where(error: Exception) -> str:
    if isinstance(error, InvalidData):
        return error.field
    assert isinstance(error, InvalidDefinition)
    return error.where


# -- the kind of a cycle ---------------------------------------------------------------


@pytest.mark.parametrize("value", ["bogus", "PIPELINE", "", None, 1, [], b"wheel"])
def test_an_unknown_cycle_kind_names_the_enum_and_lists_the_kinds(value: object) -> None:
    kind: Any = CycleKind
    error = refused(lambda: kind(value))
    assert isinstance(error, ValueError)
    assert where(error) == "cycle_kind"
    assert "pipeline, wheel, process" in str(error)


def test_a_cycle_given_an_unknown_kind_names_its_parameter() -> None:
    assert where(refused(lambda: Cycle("c", L, "spiral", STAGES))) == "kind"
    assert Cycle("c", L, "wheel", STAGES).kind is CycleKind.WHEEL


# -- the declaration: steps, guidance, stages and routes -------------------------------


@pytest.mark.parametrize(
    "name", ["activities", "mistakes", "checklist", "practices", "notes", "steps", "signals"]
)
def test_a_guidance_list_names_its_field_and_the_item_at_fault(name: str) -> None:
    good: object = {"steps": Step(L), "signals": A}.get(name, L)

    def guidance(value: object) -> Guidance:
        options: dict[str, Any] = {name: value}
        return Guidance(**options)

    for value, field in ((None, ""), ({"a": good}, ""), ([good, "x"], "[1]")):
        error = refused(lambda: guidance(value), InvalidDefinition)  # noqa: B023
        assert where(error) == f"guidance.{name}{field}"
    assert getattr(guidance([good]), name) == (good,)


def test_a_step_names_its_rules() -> None:
    assert where(refused(lambda: Step(L, L), InvalidDefinition)) == "step.rules"  # type: ignore[arg-type]
    assert where(refused(lambda: Step(L, [L, None]), InvalidDefinition)) == "step.rules[1]"  # type: ignore[list-item]
    assert Step(L, [L]).rules == (L,)


def test_catalogue_ids_must_be_well_formed_but_are_looked_up_elsewhere() -> None:
    """The engine does not know the catalogues (a layer above it): the loader checks them."""
    assert where(refused(lambda: Guidance(catalogues=["two words"]), InvalidDefinition)) == (
        "guidance.catalogues"
    )
    assert Guidance(catalogues=["not_a_catalogue_yet"]).catalogues == ("not_a_catalogue_yet",)


@pytest.mark.parametrize("value", [None, 1, STAGES[0], "AB", {"A": STAGES[0]}])
def test_stages_that_are_no_sequence_are_reported_with_every_other_problem(value: object) -> None:
    error = refused(
        lambda: Cycle("two words", L, "pipeline", value, None),  # type: ignore[arg-type]
        InvalidDefinition,
    )
    assert isinstance(error, InvalidDefinition)
    places = [w for w, _ in error.problems]
    assert places == ["two words", "two words.stages", "two words.routes"]


def test_stages_and_routes_may_be_any_sequence_and_are_kept_as_tuples() -> None:
    cycle = Cycle("c", L, "pipeline", list(STAGES), iter(()))
    assert cycle.stages == STAGES
    assert cycle.routes == ()
    assert where(refused(lambda: Cycle("c", L, "pipeline", []), InvalidDefinition)) == "c"


# -- compiled moves and the table ------------------------------------------------------


def test_a_transition_takes_a_move_and_gate_kinds_by_value() -> None:
    made = Transition("advance", "A", "B", "advance", [("B", "entry", GATE)])
    assert made == ADVANCE
    assert made.gates == (("B", GateKind.ENTRY, GATE),)


@pytest.mark.parametrize(
    ("gates", "field"),
    [
        ([("B", "entry")], "gates[0]"),
        ([("B", "entry", GATE), "BEG"], "gates[1]"),
        ([(" ", "entry", GATE)], "gates[0].stage"),
        ([("B", "door", GATE)], "gates[0].kind"),
        ([("B", "entry", A)], "gates[0].gate"),
    ],
)
def test_a_gate_on_the_way_names_its_place_and_part(gates: object, field: str) -> None:
    assert where(refused(lambda: Transition("advance", "A", "B", "advance", gates))) == field  # type: ignore[arg-type]


def test_every_compiled_move_is_a_transition_its_constructor_accepts() -> None:
    for name in cycle_names():
        cycle = get_cycle(name)
        for t in cycle.transitions:
            assert Transition(t.trigger, t.source, t.dest, t.move, t.gates) == t
        table = TransitionTable(cycle.name, list(cycle.transitions))
        for t in cycle.transitions:
            assert table.step(t.source, t.trigger) == cycle.table.step(t.source, t.trigger)
            assert table.triggers(t.source) == cycle.table.triggers(t.source)


def test_a_table_refuses_two_moves_of_one_trigger_from_one_state() -> None:
    back = Transition("advance", "A", "A", Move.ROUTE)
    error = refused(lambda: TransitionTable("c", [ADVANCE, back]))
    assert where(error) == "transitions[1]"
    assert where(refused(lambda: TransitionTable("c", [ADVANCE, ADVANCE]))) == "transitions[1]"
    assert where(refused(lambda: TransitionTable("c", ADVANCE))) == "transitions"  # type: ignore[arg-type]


# -- checks of a move ------------------------------------------------------------------


def _reports(held: bool) -> tuple[GateReport, ...]:
    return CYCLE.check(Snapshot.of({A.id: held}), "advance", state="A").reports


def test_a_check_cannot_contradict_itself() -> None:
    passed, failed = _reports(True), _reports(False)
    assert MoveCheck("advance", "A", "B", True, list(passed)).allowed
    assert not MoveCheck("advance", "A", "B", False, failed).allowed
    assert where(refused(lambda: MoveCheck("advance", "A", "B", True, failed))) == "allowed"
    assert where(refused(lambda: MoveCheck("advance", "A", "B", False, passed))) == "allowed"
    assert where(refused(lambda: MoveCheck("fly", "A", None, True, ()))) == "allowed"
    assert where(refused(lambda: MoveCheck("fly", "A", None, False, failed))) == "reports"
    assert MoveCheck("fly", "A", None, False, []).dest is None


@given(move_checks())
def test_what_a_cycle_checks_is_a_check_the_constructor_accepts(check: MoveCheck) -> None:
    again = MoveCheck(check.trigger, check.source, check.dest, check.allowed, list(check.reports))
    assert again == check


@pytest.mark.parametrize(
    ("trigger", "state", "field"),
    [
        ([], "A", "trigger"),
        (1, "A", "trigger"),
        ("advance", None, "state"),
        ("advance", {}, "state"),
    ],
)
def test_a_check_names_a_trigger_or_state_that_is_no_text(
    trigger: object, state: object, field: str
) -> None:
    evidence = Snapshot.of({A.id: True})
    error = refused(lambda: CYCLE.check(evidence, trigger, state=state))  # type: ignore[arg-type]
    assert where(error) == field
    assert CYCLE.check(evidence, "fly", state="A").dest is None


# -- bulk replays ----------------------------------------------------------------------


def test_a_bulk_replay_keeps_a_copy_of_the_states_given() -> None:
    states = {"o1": "A"}
    replay = BulkReplay(states, [(2, "o2", "no move")], 2, 1)
    states["o1"] = "B"
    assert replay.states == {"o1": "A"}
    assert replay.errors == ((2, "o2", "no move"),)


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (({"o1": " "}, (), 1), "states['o1']"),
        (({}, [(1, "o1")], 1), "errors[0]"),
        (({}, [(1.0, "o1", "x")], 1), "errors[0].row"),
        (({}, [(1, ["o1"], "x")], 1), "errors[0].key"),
        (({}, [(1, "o1", "")], 1), "errors[0].problem"),
        (({}, [(0, "o1", "x")], 1), "errors[0].row"),
        (({}, [(2, "o1", "x")], 1), "errors[0].row"),
        (({"o1": "A"}, (), 1, 2), "entered"),
        (({"o1": "A", "o2": "B"}, (), 1), "rows"),
        (({"o1": "A"}, [(2, "o2", "x")], 1), "errors[0].row"),
        (({"o1": "A"}, [(1, "o2", "x")], 1), "rows"),
    ],
)
def test_a_bulk_replay_names_the_field_at_fault_or_the_count_contradicted(
    args: tuple[Any, ...], field: str
) -> None:
    assert where(refused(lambda: BulkReplay(*args))) == field


@given(bulk_replays())
def test_what_a_table_replays_is_a_replay_the_constructor_accepts(replay: BulkReplay) -> None:
    again = BulkReplay(dict(replay.states), list(replay.errors), replay.rows, replay.entered)
    assert again == replay


def test_an_empty_replay_is_a_replay_the_constructor_accepts() -> None:
    assert CYCLE.table.replay_states([]) == BulkReplay({}, (), 0)


@pytest.mark.parametrize("trigger", [[], {}, {"advance"}, 5, None, ""])
def test_a_trigger_that_is_no_text_is_refused_by_every_way_of_moving(trigger: object) -> None:
    funnel = get_cycle("funnel")
    deal = Deal("D-1", Account("Acme", "sme"), Money("1", "CNY"))
    calls = [
        lambda: funnel.table.step("TARGET", trigger),
        lambda: funnel.table.next_state("TARGET", trigger),
        lambda: funnel.table.attempt("TARGET", trigger, deal),
        lambda: funnel.check(deal, trigger, state="TARGET"),
        lambda: funnel.move(Track("funnel"), deal, trigger, at=T0),
        lambda: deal.move("funnel", trigger, at=T0),
    ]
    for call in calls:
        with pytest.raises(InvalidData) as caught:
            call()
        assert caught.value.field == "trigger"
    assert deal.version == 0
    assert dict(deal.tracks) == {}


def test_every_lookup_of_a_state_refuses_one_that_is_no_text() -> None:
    funnel = get_cycle("funnel")
    deal = Deal("D-1", Account("Acme", "sme"), Money("1", "CNY"))
    calls = {
        "state": [
            lambda: funnel.has_stage([1]),
            lambda: funnel.triggers([1]),
            lambda: funnel.is_terminal([1]),
            lambda: funnel.table.triggers([1]),
            lambda: funnel.enter(Track("funnel"), deal, [1], at=T0),  # type: ignore[arg-type]
        ],
        "source": [lambda: funnel.table.between([1], "INTENT")],
        "dest": [lambda: funnel.table.between("TARGET", [1])],
    }
    for field, made in calls.items():
        for call in made:
            with pytest.raises(InvalidData) as caught:
                call()
            assert caught.value.field == field


def test_a_move_refuses_an_imported_flag_that_is_not_true_or_false() -> None:
    deal = Deal("D-1", Account("Acme", "sme"), Money("1", "CNY"))
    with pytest.raises(InvalidData) as caught:
        deal.move("funnel", "enter_INTENT", imported=1, at=T0, source="crm")  # type: ignore[arg-type]
    assert caught.value.field == "imported"
    assert deal.version == 0


@pytest.mark.parametrize("context", [5, "x", object()])
def test_a_context_that_is_not_a_context_is_refused_by_name(context: object) -> None:
    deal = Deal("D-1", Account("Acme", "sme"), Money("1", "CNY"))
    funnel = get_cycle("funnel")
    for call in (
        lambda: deal.move("funnel", "start", at=T0, context=context),
        lambda: funnel.check(Snapshot(), "start", context=context),
    ):
        with pytest.raises(InvalidData) as caught:
            call()  # type: ignore[arg-type]
        assert caught.value.field == "context"
    assert deal.version == 0


@pytest.mark.parametrize(
    ("stage", "kind", "field"),
    [(5, "entry", "stage"), (" ", "entry", "stage"), ("A", "bogus", "kind")],
)
def test_evaluating_a_gate_checks_where_it_is_placed(
    stage: object, kind: object, field: str
) -> None:
    gate = get_cycle("funnel").stage("INTENT").entry
    with pytest.raises(InvalidData) as caught:
        gate.evaluate(Snapshot(), Context(), stage=stage, kind=kind)  # type: ignore[arg-type]
    assert caught.value.field == field
    report = gate.evaluate(Snapshot(), Context(), stage="INTENT", kind="exit")  # type: ignore[arg-type]
    assert report.kind is GateKind.EXIT
