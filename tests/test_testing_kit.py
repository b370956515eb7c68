"""The testing kit: the law-checking machine on every pipeline, and the strategies it draws from."""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import Phase, given, settings
from hypothesis import strategies as st
from hypothesis.stateful import invariant, run_state_machine_as_test

import bigaccount.cycle
import bigaccount.deal
import bigaccount.track
from bigaccount import (
    Context,
    Criterion,
    Cycle,
    CycleKind,
    Deal,
    InvalidData,
    Label,
    Snapshot,
    Stage,
    StageChange,
    all_of,
    get_cycle,
)
from bigaccount.declarations import cycle_to_data, load_cycle, read_cycle
from bigaccount.plan import KeyAction
from bigaccount.testing import (
    CRITERIA_POOL,
    any_cycles,
    criteria,
    criterion_values,
    deals_in,
    facts_read,
    holding_facts,
    pipeline_machine,
    records,
)
from bigaccount.track import START, Move

BUILT_IN = ("decision", "activity", "advancement", "funnel", "development")
EXAMPLES = [
    path
    for path in sorted((Path(__file__).parent.parent / "examples" / "pipelines").glob("*.toml"))
    if "cycle" in tomllib.loads(path.read_text(encoding="utf-8"))
]
"""The cycle files of examples/pipelines (the folder holds other declarations too)."""
AT = dt.datetime(2027, 3, 1, 9, 0, tzinfo=dt.timezone.utc)

KIT = settings(max_examples=10, stateful_step_count=30, deadline=None)
"""Small runs: ten random programs of thirty steps for each pipeline."""

SOLAR = """
[cycle]
name = "solar"
kind = "pipeline"
label = { zh = "光伏项目", en = "solar projects" }
win = { all = ["po_received"] }

[criteria.budget_ok]
label = { zh = "预算不少于50万元", en = "budget of at least 500k CNY" }
fact = "budget"
op = ">="
value = { money = "500000", currency = "CNY" }

[criteria.roof_area]
label = { zh = "屋顶面积超过2000平方米", en = "roof area above 2000 m²" }
fact = "roof_m2"
op = ">"
value = 2000

[criteria.decision_soon]
label = { zh = "60天内决策", en = "decision within 60 days" }
fact = "decision_date"
within_days = 60

[criteria.site_visited]
label = { zh = "已现场勘查", en = "site visited" }

[criteria.po_received]
label = { zh = "已收到订单", en = "purchase order received" }

[[stages]]
id = "LEAD"
label = { zh = "线索", en = "lead" }
probability = 0.1
exit = { any = ["site_visited", "roof_area"] }

[[stages]]
id = "QUALIFIED"
label = { zh = "合格", en = "qualified" }
probability = 0.3

[stages.entry.by_segment]
sme = { all = ["budget_ok"] }
enterprise = { at_least = 2, of = ["budget_ok", "roof_area", "p4_top_relation"] }
government = { all = ["budget_ok", "decision_soon"] }

[[stages]]
id = "PROPOSAL"
label = { zh = "方案", en = "proposal" }
probability = 0.6
entry = { all = ["decision_soon"] }

[[routes]]
trigger = "revise_offer"
source = "PROPOSAL"
dest = "PROPOSAL"
label = { zh = "修改报价", en = "revise the offer" }
gate = { any = ["budget_ok"] }
"""


# -- the machine on every pipeline --------------------------------------------------------


@pytest.mark.parametrize("name", BUILT_IN)
def test_the_laws_hold_on_every_built_in_cycle(name: str) -> None:
    run_state_machine_as_test(pipeline_machine(get_cycle(name)), settings=KIT)


@pytest.mark.skipif(not EXAMPLES, reason="no example pipelines in examples/pipelines")
@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_the_laws_hold_on_every_example_pipeline(path: Path) -> None:
    run_state_machine_as_test(pipeline_machine(load_cycle(path)), settings=KIT)


def test_the_laws_hold_on_a_pipeline_of_value_criteria_segments_and_routes() -> None:
    run_state_machine_as_test(pipeline_machine(load_cycle(SOLAR)), settings=KIT)


# -- the machine catches a broken engine ----------------------------------------------------


def _fails(name: str) -> str:
    """Run the machine on *name* and return the message of the law it found broken."""
    quick = settings(
        KIT,
        max_examples=100,
        stateful_step_count=20,
        database=None,
        phases=[Phase.generate],
        report_multiple_bugs=False,
    )
    with pytest.raises(AssertionError) as broken:
        run_state_machine_as_test(pipeline_machine(get_cycle(name)), settings=quick)
    return str(broken.value)


def test_the_machine_notices_gates_that_do_not_block(monkeypatch: pytest.MonkeyPatch) -> None:
    guard = bigaccount.cycle._Guard.__call__

    def lenient(self: object, event: object) -> bool:
        guard(self, event)  # type: ignore[arg-type]
        return True

    monkeypatch.setattr(bigaccount.cycle._Guard, "__call__", lenient)
    assert "blocked" in _fails("funnel")


def test_the_machine_notices_imports_that_are_not_marked(monkeypatch: pytest.MonkeyPatch) -> None:
    recorded = bigaccount.track.recorded

    def unmarked(*args: object) -> StageChange:
        event = recorded(*args)  # type: ignore[arg-type]
        object.__setattr__(event, "imported", False)
        return event

    monkeypatch.setattr(bigaccount.cycle, "recorded", unmarked)
    assert "imported" in _fails("advancement")


def test_the_machine_notices_a_change_left_out_of_the_log(monkeypatch: pytest.MonkeyPatch) -> None:
    change = bigaccount.deal.Deal._change

    def forgetful(self: Deal, changes: list[tuple[str, object]], *args: object) -> object:
        events = change(self, changes, *args)  # type: ignore[arg-type]
        if events and events[0].value is None:
            self._events.pop()
        return events

    monkeypatch.setattr(bigaccount.deal.Deal, "_change", forgetful)
    assert "retracting" in _fails("funnel")


# -- the machine's options ------------------------------------------------------------------


def _scored(evidence: object, context: Context) -> bool:
    fact = evidence.facts.get("score")  # type: ignore[attr-defined]
    return fact is not None and isinstance(fact.value, int) and fact.value > 7


SCORED = Cycle(
    "scored",
    Label("评分流程", "scored pipeline"),
    CycleKind.PIPELINE,
    (
        Stage("A", Label("甲", "a"), 0.2),
        Stage(
            "B", Label("乙", "b"), 0.5, all_of(Criterion("high", Label("高分", "high"), _scored))
        ),
    ),
)


def test_facts_given_to_the_machine_are_the_values_it_records() -> None:
    seen: set[object] = set()
    machine = pipeline_machine(SCORED, facts={"score": st.integers(0, 10)})

    class Watching(machine):  # type: ignore[misc,valid-type]
        @invariant()
        def note_the_scores(self) -> None:
            seen.update(d.value("score") for d in self.known)

    run_state_machine_as_test(Watching, settings=settings(KIT, max_examples=20))
    assert {v for v in seen if v is not None} <= set(range(11))
    assert any(isinstance(v, int) and v > 7 for v in seen)


@pytest.mark.parametrize(
    ("arguments", "field"),
    [
        (("funnel",), "cycle"),
        ((get_cycle("funnel"), {"facts": {"score": 3}}), "facts.score"),
        ((get_cycle("funnel"), {"facts": {"": st.just(1)}}), "facts"),
        ((get_cycle("funnel"), {"settings": {"max_examples": 3}}), "settings"),
    ],
)
def test_the_machine_refuses_what_it_cannot_run(arguments: tuple[object, ...], field: str) -> None:
    cycle, *options = arguments
    with pytest.raises(InvalidData) as refused:
        pipeline_machine(cycle, **(options[0] if options else {}))  # type: ignore[arg-type]
    assert refused.value.field == field


# -- deals standing in a state --------------------------------------------------------------


def _events_of(deal: Deal, cycle: Cycle) -> Iterator[tuple[int, StageChange]]:
    for k, event in enumerate(deal.events):
        if isinstance(event, StageChange) and event.cycle == cycle.name:
            yield k, event


@given(st.sampled_from(BUILT_IN).flatmap(lambda n: st.tuples(st.just(n), deals_in(n))))
def test_a_standing_deal_was_brought_there_by_moves_whose_gates_held(
    drawn: tuple[str, Deal],
) -> None:
    name, deal = drawn
    cycle = get_cycle(name)
    assert deal.state(cycle) in cycle.states
    assert Deal.replay(deal.id, deal.account, deal.amount, deal.events) == deal
    changes = list(_events_of(deal, cycle))
    assert changes[0][1].source is None
    for k, event in changes:
        step = cycle.table.step(event.source or START, event.trigger)
        assert step is not None
        reports = step.evaluate(Snapshot(deal.facts_at(k), deal.segment), Context(moment=event.at))
        assert event.imported or all(r.passed for r in reports)
        assert event.imported == (event.source_system == "crm")


@given(deals_in("advancement", states=["P4", "WON"]))
def test_a_standing_deal_stands_in_one_of_the_states_asked_for(deal: Deal) -> None:
    assert deal.state("advancement") in ("P4", "WON")


def test_deals_in_reaches_every_state_by_moves_not_only_by_entries() -> None:
    cycle = get_cycle("funnel")
    by_moves: set[str] = set()

    @settings(max_examples=300, database=None, deadline=None)
    @given(deals_in(cycle))
    def collect(deal: Deal) -> None:
        history = deal.tracks[cycle.name].history
        if history[0].move is Move.START and not any(e.imported for e in history):
            by_moves.add(history[-1].dest)

    collect()
    assert by_moves == set(cycle.states)


def test_deals_in_refuses_a_state_the_cycle_does_not_have() -> None:
    @given(deals_in(get_cycle("funnel"), states=["P4"]))
    def draw(deal: Deal) -> None:
        raise AssertionError("drew a deal in a state the funnel does not have")

    with pytest.raises(InvalidData) as refused:
        draw()
    assert refused.value.field == "states"


# -- evidence drawn from criteria -------------------------------------------------------


@given(criteria(), st.sampled_from([AT, AT + dt.timedelta(days=400)]))
def test_the_facts_said_to_hold_a_criterion_do_hold_it(
    criterion: Criterion, at: dt.datetime
) -> None:
    facts = holding_facts(criterion, at)
    if facts is None:
        return
    assert set(facts) == set(facts_read(criterion))
    assert criterion.holds(Snapshot.of(facts), Context(moment=at))


@pytest.mark.parametrize("criterion", CRITERIA_POOL, ids=lambda c: c.id)
def test_values_fall_on_both_sides_of_every_threshold(criterion: Criterion) -> None:
    outcomes: set[bool] = set()

    @settings(max_examples=60, database=None)
    @given(criterion_values(criterion, AT))
    def judge(pair: tuple[str, object]) -> None:
        key, value = pair
        outcomes.add(criterion.holds(Snapshot.of({key: value}), Context(moment=AT)))  # type: ignore[dict-item]

    judge()
    assert outcomes == {True, False}
    assert holding_facts(criterion, AT) is not None


def test_a_criterion_of_ones_own_is_read_as_the_fact_of_its_id() -> None:
    own = SCORED.stage("B").entry.criteria[0]
    assert facts_read(own) == ("high",)
    assert holding_facts(own, AT) is None


# -- the other strategies --------------------------------------------------------------


@settings(max_examples=30, deadline=None)
@given(any_cycles())
def test_a_drawn_cycle_is_one_a_file_can_declare(cycle: Cycle) -> None:
    assert read_cycle(cycle_to_data(cycle)) == cycle


def test_records_refuse_what_is_not_an_attrs_record() -> None:
    with pytest.raises(TypeError, match="not an attrs class"):
        records(Path)
    with pytest.raises(TypeError, match="no field"):
        records(KeyAction, deadline=st.none())


@given(records(KeyAction, owner=st.just("李娜")))
def test_records_use_the_strategies_given_for_fields(action: KeyAction) -> None:
    assert action.owner == "李娜"
    assert action.action.strip()
    assert action.due is None or dt.date(2000, 1, 1) <= action.due <= dt.date(2100, 1, 1)
