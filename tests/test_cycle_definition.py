from __future__ import annotations

import pytest

from bigaccount import (
    AtLeast,
    Criterion,
    Cycle,
    CycleKind,
    GateKind,
    InvalidDefinition,
    Label,
    Route,
    Stage,
    at_least,
    get_cycle,
    register_cycle,
)
from bigaccount.errors import InvalidData, UnknownName

L = Label("阶段", "stage")
A = Criterion.fact("a", "甲", "a")


def stages(*ids: str, probabilities: tuple[float | None, ...] | None = None) -> tuple[Stage, ...]:
    probs = probabilities or tuple(0.1 * (i + 1) for i in range(len(ids)))
    return tuple(Stage(i, L, p) for i, p in zip(ids, probs, strict=True))


def build(*args: object, **kwargs: object) -> Cycle:
    return Cycle("test", L, *args, **kwargs)  # type: ignore[arg-type]


def test_duplicate_stage_ids_are_refused_naming_the_stage() -> None:
    with pytest.raises(InvalidDefinition) as err:
        build(CycleKind.PIPELINE, stages("A", "B", "A"))
    assert err.value.where == "test.A"
    assert "duplicate" in err.value.problem


def test_probability_outside_unit_interval_is_refused() -> None:
    with pytest.raises(InvalidDefinition, match=r"stage\.probability: 1.5 is outside \[0, 1\]"):
        build(CycleKind.PIPELINE, stages("A", "B", probabilities=(0.1, 1.5)))
    with pytest.raises(InvalidDefinition, match="expected a number"):
        Stage("A", L, True)


def test_decreasing_probability_along_a_pipeline_is_refused() -> None:
    with pytest.raises(InvalidDefinition, match=r"test\.B: probability 0.2 is lower than 0.5 of A"):
        build(CycleKind.PIPELINE, stages("A", "B", probabilities=(0.5, 0.2)))


def test_a_gate_asking_for_more_criteria_than_it_has_is_refused() -> None:
    with pytest.raises(InvalidDefinition) as err:
        Stage("B", L, 0.2, at_least(2, A))
    assert err.value.where == "gate"
    assert "asks for 2 criteria but has only 1" in err.value.problem


def test_every_problem_of_a_declaration_is_reported_at_once() -> None:
    routes = (Route("go", "A", "Z", L), Route("advance", "B", "A", L))
    with pytest.raises(InvalidDefinition) as err:
        build(CycleKind.PIPELINE, stages("A", "B", "A", probabilities=(0.5, 0.2, 0.6)), routes)
    found = err.value.problems
    assert ("test.A", "duplicate stage id") in found
    assert ("test.B", "probability 0.2 is lower than 0.5 of A") in found
    assert ("test.A", "route 'go' names unknown stage 'Z'") in found
    assert ("test.B", "route trigger 'advance' is reserved for a standard move") in found
    assert (err.value.where, err.value.problem) == found[0]
    assert f"{len(found)} problems" in str(err.value)


def test_an_unreachable_stage_is_refused() -> None:
    routes = (Route("go", "A", "C", L),)
    with pytest.raises(InvalidDefinition, match=r"test\.B: the stage cannot be reached"):
        build(CycleKind.PROCESS, stages("A", "B", "C"), routes, linear=False)


def test_a_stage_with_no_way_out_is_refused() -> None:
    routes = (Route("go", "A", "B", L), Route("back", "C", "A", L), Route("on", "A", "C", L))
    with pytest.raises(InvalidDefinition, match=r"test\.B: the stage has no way out"):
        build(CycleKind.PIPELINE, stages("A", "B", "C"), routes, linear=False)


def test_reserved_and_malformed_ids_are_refused() -> None:
    with pytest.raises(InvalidDefinition, match="reserved"):
        build(CycleKind.PIPELINE, stages("A", "WON"))
    with pytest.raises(InvalidDefinition, match="identifier"):
        build(CycleKind.PROCESS, stages("A", "B C"))
    with pytest.raises(InvalidDefinition, match="identifier"):
        Cycle("bad name", L, CycleKind.PROCESS, stages("A"))
    with pytest.raises(InvalidDefinition, match="at least one stage"):
        build(CycleKind.PROCESS, ())


def test_routes_must_name_known_stages_and_not_clash() -> None:
    with pytest.raises(InvalidDefinition, match="unknown stage 'Z'"):
        build(CycleKind.PROCESS, stages("A", "B"), (Route("go", "A", "Z", L),))
    with pytest.raises(InvalidDefinition, match=r"test\.A: .* reserved for a standard move"):
        build(CycleKind.PROCESS, stages("A", "B"), (Route("advance", "A", "A", L),))
    with pytest.raises(InvalidDefinition, match="reserved for a standard move"):
        build(CycleKind.PROCESS, stages("A", "B"), (Route("jump_to_B", "A", "B", L),))
    twice = (Route("go", "A", "B", L), Route("go", "A", "A", L))
    with pytest.raises(InvalidDefinition, match="declared twice"):
        build(CycleKind.PROCESS, stages("A", "B"), twice)


def test_one_criterion_id_with_two_labels_is_refused() -> None:
    other = Criterion.fact("a", "乙", "b")
    with pytest.raises(InvalidDefinition, match="declared twice"):
        build(
            CycleKind.PROCESS,
            (Stage("A", L, entry=at_least(1, A)), Stage("B", L, exit=at_least(1, other))),
        )


def test_standard_moves_are_derived_from_the_declaration() -> None:
    cycle = build(CycleKind.PIPELINE, stages("A", "B", "C"))
    assert cycle.triggers("A") == ("advance", "jump_to_C", "win", "lose", "stall")
    assert cycle.triggers("C") == ("regress", "win", "lose", "stall")
    assert cycle.is_terminal("WON")
    assert cycle.states == ("A", "B", "C", "WON", "LOST", "STALLED")
    wheel = build(CycleKind.WHEEL, stages("A", "B"), allow_jump=False)
    assert wheel.triggers("B") == ("regress", "cycle_back")


def test_one_machine_per_cycle_with_no_auto_transitions_and_no_models() -> None:
    cycle = build(CycleKind.PIPELINE, stages("A", "B"))
    machine = cycle.machine
    assert machine.models == []
    assert not any(name.startswith("to_") for name in machine.events)
    assert set(machine.events) == {t.trigger for t in cycle.transitions}


def test_probability_of_a_stage_without_one_is_that_of_the_stage_before() -> None:
    cycle = build(CycleKind.PIPELINE, stages("A", "B", "C", probabilities=(0.1, 0.5, None)))
    assert cycle.probability("C") == 0.5
    assert cycle.probability("WON") == 1.0
    assert cycle.probability("LOST") == 0.0
    with pytest.raises(InvalidData, match="no stage 'Z'"):
        cycle.probability("Z")


def test_registry_names_cycles_and_refuses_silent_replacement() -> None:
    assert get_cycle("funnel").name == "funnel"
    with pytest.raises(UnknownName, match="unknown cycle 'nope'"):
        get_cycle("nope")
    mine = Cycle("mine_once", L, CycleKind.PROCESS, stages("A"))
    assert register_cycle(mine) is mine
    assert get_cycle("mine_once") is mine
    other = Cycle("mine_once", L, CycleKind.PROCESS, stages("B"))
    with pytest.raises(InvalidData, match="already registered"):
        register_cycle(other)
    assert register_cycle(other, replace=True) is other


def test_advancing_checks_the_exit_gate_then_the_next_entry_gate_and_a_jump_every_gate() -> None:
    def gate(key: str) -> AtLeast:
        return at_least(1, Criterion.fact(key, key, key))

    declared = tuple(
        Stage(s, L, p, entry=gate(f"{s}_in"), exit=gate(f"{s}_out"))
        for s, p in (("A", 0.1), ("B", 0.2), ("C", 0.3))
    )
    cycle = build(CycleKind.PIPELINE, declared)

    def path(source: str, trigger: str) -> list[tuple[str, GateKind]]:
        step = cycle.table.step(source, trigger)
        assert step is not None
        return [(stage, kind) for stage, kind, _ in step.gates]

    assert path("<start>", "start") == [("A", GateKind.ENTRY)]
    assert path("A", "advance") == [("A", GateKind.EXIT), ("B", GateKind.ENTRY)]
    assert path("A", "jump_to_C") == [
        ("A", GateKind.EXIT),
        ("B", GateKind.ENTRY),
        ("B", GateKind.EXIT),
        ("C", GateKind.ENTRY),
    ]
    assert path("B", "regress") == []
    assert path("B", "win") == []
    assert path("C", "win") == [("C", GateKind.EXIT)]
    assert path("<start>", "enter_C") == path("<start>", "start") + path("A", "jump_to_C")
    assert [c.id for c in cycle.stage("B").criteria] == ["B_in", "B_out"]


def test_a_cycle_prints_on_one_line() -> None:
    funnel = get_cycle("funnel")
    text = repr(funnel)
    assert "\n" not in text
    assert text.startswith("Cycle('funnel', pipeline, ")
    assert " → ".join(s.id for s in funnel.stages) in text
