"""Engine 2: evidence beyond booleans, the evaluation context, exit gates, imports, the deal log."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from bigaccount import (
    Account,
    AtLeast,
    Context,
    Criterion,
    Cycle,
    CycleKind,
    Deal,
    Evidence,
    Fact,
    FactChange,
    GateKind,
    InvalidData,
    InvalidDefinition,
    InvalidMove,
    Label,
    Money,
    Move,
    Outcome,
    ReplayError,
    Route,
    Segment,
    Snapshot,
    Stage,
    StageBlocked,
    StageChange,
    Track,
    all_of,
    any_of,
    at_least,
    get_cycle,
    use_context,
)
from bigaccount.people import BuyingCenter, Stakeholder
from bigaccount.people_criteria import MID_LOW_RELATIONS, RelationshipThresholds
from bigaccount.testing.strategies import fact_changes

UTC = dt.timezone.utc
T0 = dt.datetime(2027, 3, 1, 9, 0, tzinfo=UTC)


def at(days: float) -> dt.datetime:
    return T0 + dt.timedelta(days=days)


def new_deal(segment: Segment = Segment.ENTERPRISE) -> Deal:
    return Deal("KA-9", Account("华东电网", segment), Money("2400000", "CNY"))


BUDGET_OK = Criterion.compare(
    "budget_ok",
    "预算不少于100万元",
    "budget of at least 1,000,000 CNY",
    fact="budget",
    op=">=",
    value=Money("1000000", "CNY"),
)
DECISION_SOON = Criterion.within(
    "decision_soon", "90天内决策", "decision within 90 days", fact="decision_date", days=90
)
DECIDERS_MET = Criterion.compare(
    "deciders_met",
    "至少见过3位决策者",
    "at least 3 decision-makers met",
    fact="decision_makers_met",
    op=">=",
    value=3,
)

QUALIFY = Cycle(
    "qualify_test",
    Label("资格审查", "qualification"),
    CycleKind.PIPELINE,
    (
        Stage("LEAD", Label("线索", "lead"), 0.1, exit=all_of(BUDGET_OK)),
        Stage("QUALIFIED", Label("合格", "qualified"), 0.3, all_of(DECIDERS_MET)),
        Stage("PROPOSAL", Label("方案", "proposal"), 0.6, any_of(DECISION_SOON)),
    ),
)


# -- 1. evidence ------------------------------------------------------------------------


class Row:
    """A user's own record: evidence without being a Deal."""

    def __init__(self, facts: dict[str, Fact], segment: Segment | None) -> None:
        self.facts: Mapping[str, Fact] = facts
        self.segment = segment
        self.people: Any = None
        self.competitors: Sequence[Any] = ()


def test_a_users_own_object_and_a_snapshot_are_evidence_without_being_deals() -> None:
    funnel = get_cycle("funnel")
    row = Row({k: Fact(k, True) for k in ("materials_sent", "first_contact")}, Segment.SME)
    assert isinstance(row, Evidence)
    assert funnel.check(row, "start").allowed
    snapshot = Snapshot.of({"materials_sent": True}, segment="sme")
    check = funnel.check(snapshot, "start")
    assert not check.allowed
    assert [c.id for c in check.blockers] == ["first_contact", "visit_agreed"]
    reports = funnel.evaluate(snapshot)
    assert [(r.stage, r.kind) for r in reports][:2] == [
        ("TARGET", GateKind.ENTRY),
        ("INTENT", GateKind.ENTRY),
    ]


def test_a_segment_rule_without_a_segment_is_a_named_error() -> None:
    facts = Snapshot.of(dict.fromkeys(("visited", "clear_need", "members_known"), True))
    with pytest.raises(InvalidData) as err:
        get_cycle("funnel").check(facts, "advance", state="INTENT")
    assert err.value.field == "segment"


def test_value_facts_are_tested_by_value_criteria_with_their_provenance() -> None:
    deal = new_deal()
    deal.record("budget", Money("900000", "CNY"), at=at(0), actor="李娜", source="visit report")
    fact = deal.facts["budget"]
    assert (fact.value, fact.at, fact.by, fact.source) == (
        Money("900000", "CNY"),
        at(0),
        "李娜",
        "visit report",
    )
    deal.start(QUALIFY, at=at(1))
    with pytest.raises(StageBlocked) as err:
        deal.advance(QUALIFY, at=at(2))
    assert [(r.stage, r.kind) for r in err.value.reports] == [
        ("LEAD", GateKind.EXIT),
        ("QUALIFIED", GateKind.ENTRY),
    ]
    assert [c.id for c in err.value.blockers] == ["budget_ok", "deciders_met"]
    deal.record("budget", Money("1500000", "CNY"), at=at(3))
    deal.record("decision_makers_met", 3, at=at(3))
    assert deal.advance(QUALIFY, at=at(4)).dest == "QUALIFIED"


def test_a_date_criterion_measures_from_the_move_or_the_as_of_date() -> None:
    deal = new_deal()
    deal.record("budget", Money("1500000", "CNY"), at=at(0))
    deal.record("decision_makers_met", 4, at=at(0))
    deal.record("decision_date", dt.date(2027, 7, 1), at=at(0))
    deal.start(QUALIFY, at=at(0))
    deal.advance(QUALIFY, at=at(1))
    with pytest.raises(StageBlocked):
        deal.advance(QUALIFY, at=at(2))  # 2027-03-03: 120 days before the decision
    assert deal.check(QUALIFY, as_of=dt.date(2027, 5, 1)).allowed
    assert deal.advance(QUALIFY, at=dt.datetime(2027, 4, 15, tzinfo=UTC)).dest == "PROPOSAL"


def test_a_fact_of_the_wrong_kind_is_a_data_error_naming_the_fact_and_criterion() -> None:
    evidence = Snapshot.of({"budget": "about a million"})
    with pytest.raises(InvalidData) as err:
        BUDGET_OK.holds(evidence)
    assert err.value.field == "facts.budget"
    assert "budget_ok" in str(err.value)
    with pytest.raises(InvalidData, match="cannot compare"):
        BUDGET_OK.holds(Snapshot.of({"budget": Money("2000000", "USD")}))
    assert not BUDGET_OK.holds(Snapshot.of({}))


@pytest.mark.parametrize(
    "value",
    [None, float("nan"), Decimal("Infinity"), dt.datetime(2027, 1, 1), " ", [1], object()],
)
def test_a_fact_refuses_values_it_cannot_hold(value: object) -> None:
    deal = new_deal()
    with pytest.raises(InvalidData):
        deal.record("budget", value, at=at(0))  # type: ignore[arg-type]
    assert deal.version == 0
    assert dict(deal.facts) == {}


@given(
    st.lists(
        st.tuples(
            st.sampled_from(["a", "b", "c"]),
            st.one_of(
                st.none(),
                st.booleans(),
                st.integers(-5, 5),
                st.decimals(places=2, allow_nan=False, allow_infinity=False),
                st.dates(),
            ),
        ),
        max_size=20,
    )
)
def test_the_evidence_log_replays_and_tells_which_facts_held_at_every_point(
    changes: list[tuple[str, object]],
) -> None:
    deal = new_deal()
    expected: list[dict[str, object]] = [{}]
    for i, (key, value) in enumerate(changes):
        when = at(i)
        if value is None:
            deal.retract(key, at=when)
        else:
            deal.record(key, value, at=when)  # type: ignore[arg-type]
        state = dict(expected[-1])
        if value is None:
            state.pop(key, None)
        else:
            state[key] = value
        if deal.version == len(expected):
            expected.append(state)
    assert deal.version == len(expected) - 1
    for version, state in enumerate(expected):
        assert {k: f.value for k, f in deal.facts_at(version).items()} == state
    replayed = Deal.replay(deal.id, deal.account, deal.amount, deal.events)
    assert replayed == deal
    assert dict(replayed.facts) == dict(deal.facts)


@given(st.lists(fact_changes(), max_size=8))
def test_a_replayed_fact_is_the_one_its_change_establishes(changes: list[FactChange]) -> None:
    log = sorted(changes, key=lambda c: c.at)
    deal = Deal.replay("D-1", Account("Acme", Segment.SME), Money("1", "CNY"), log)
    expected: dict[str, Fact] = {}
    for change in log:
        if change.retracted:
            expected.pop(change.fact, None)
        else:
            expected[change.fact] = change.as_fact()
    assert dict(deal.facts) == expected
    for fact in deal.facts.values():
        assert attrs.evolve(fact) == fact  # every field passes Fact's own validators
        assert type(fact) is Fact


def test_which_evidence_held_when_a_move_was_made() -> None:
    deal = new_deal()
    deal.establish("materials_sent", "first_contact", at=at(0))
    deal.start("funnel", at=at(1))
    deal.retract("first_contact", at=at(2))
    move_at = next(i for i, e in enumerate(deal.events) if isinstance(e, StageChange))
    assert set(deal.facts_at(move_at)) == {"materials_sent", "first_contact"}
    assert set(deal.facts) == {"materials_sent"}
    assert [type(e) for e in deal.events] == [FactChange, FactChange, StageChange, FactChange]


# -- 2. the context ---------------------------------------------------------------------


def test_no_silent_now_a_move_without_a_time_or_clock_is_refused() -> None:
    deal = new_deal()
    with use_context(Context()):
        with pytest.raises(InvalidData) as err:
            deal.establish("materials_sent")
        assert err.value.field == "at"
        with pytest.raises(InvalidData):
            deal.start("development")
    assert deal.version == 0
    clock = Context(clock=lambda: at(5))
    assert deal.start("development", context=clock).at == at(5)
    with use_context(clock):
        assert deal.advance("development").at == at(5)


def test_a_clock_that_returns_a_naive_time_is_refused() -> None:
    with pytest.raises(InvalidData, match="aware"):
        new_deal().start("development", context=Context(clock=lambda: dt.datetime(2027, 1, 1)))


def people(last_contact: dt.date, rung: str = "trusting") -> BuyingCenter:
    return BuyingCenter(
        tuple(
            Stakeholder(
                pid,
                name,
                level,
                "user",
                "user",
                attitude="supporter",
                rung=rung,
                last_contact=last_contact,
            )
            for pid, name, level in (
                ("m1", "甲", "management"),
                ("o1", "乙", "operational"),
            )
        )
    )


def test_decay_and_thresholds_apply_at_evaluation_time_on_the_registered_cycle() -> None:
    advancement = get_cycle("advancement")
    p3_nodes = [c.id for c in advancement.stage("P3").exit.criteria if c is not MID_LOW_RELATIONS]
    deal = new_deal()
    deal.people = people(dt.date(2026, 1, 10))
    deal.enter(advancement, "P3", at=at(0), source="crm")
    deal.establish(*p3_nodes, at=at(0))
    assert deal.check(advancement).allowed
    stale = deal.check(advancement, as_of=dt.date(2027, 3, 1))
    assert not stale.allowed
    assert [c.id for c in stale.blockers] == [MID_LOW_RELATIONS.id]
    with pytest.raises(StageBlocked):
        deal.advance(advancement, at=at(1), as_of=at(1))
    strict = Context(settings=[RelationshipThresholds(mid_low="friends")])
    assert not deal.check(advancement, context=strict).allowed
    assert deal.advance(advancement, at=at(2)).dest == "P4"
    assert get_cycle("advancement") is advancement


def test_settings_are_found_by_type_and_refused_when_malformed() -> None:
    thresholds = RelationshipThresholds(top="friends")
    context = Context(settings=[thresholds])
    assert context.setting(RelationshipThresholds, RelationshipThresholds()) is thresholds
    assert Context().setting(RelationshipThresholds, thresholds) is thresholds
    with pytest.raises(InvalidData):
        Context(settings=[thresholds, RelationshipThresholds()])
    with pytest.raises(InvalidData):
        Context(as_of=dt.datetime(2027, 1, 1))
    with pytest.raises(InvalidData):
        Context(clock="now")  # type: ignore[arg-type]


# -- 3. exit gates and the seed's acceptance nodes -------------------------------------


def test_advancing_checks_the_exit_gate_of_the_stage_left_then_the_entry_of_the_next() -> None:
    a, b, c = (Criterion.fact(k, k, k) for k in ("done_a", "in_b", "done_b"))
    cycle = Cycle(
        "gates_test",
        Label("关卡", "gates"),
        CycleKind.PIPELINE,
        (
            Stage("A", Label("甲", "a"), 0.1, exit=all_of(a)),
            Stage("B", Label("乙", "b"), 0.5, all_of(b), exit=all_of(c)),
            Stage("C", Label("丙", "c"), 0.9),
        ),
    )
    step = cycle.table.step("A", "jump_to_C")
    assert step is not None
    assert [(s, k) for s, k, _ in step.gates] == [
        ("A", GateKind.EXIT),
        ("B", GateKind.ENTRY),
        ("B", GateKind.EXIT),
    ]
    advance = cycle.table.step("B", "advance")
    assert advance is not None
    assert [(s, k) for s, k, _ in advance.gates] == [("B", GateKind.EXIT)]


def test_p0_to_p7_accepts_a_stage_when_its_nodes_hold_and_wins_when_signed() -> None:
    advancement = get_cycle("advancement")
    assert all(not s.entry.criteria and s.exit.criteria for s in advancement.stages)
    deal = new_deal()
    deal.start(advancement, at=at(0))
    with pytest.raises(StageBlocked) as err:
        deal.advance(advancement, at=at(1))
    assert err.value.report.stage == "P0"
    assert err.value.report.kind is GateKind.EXIT
    assert "P0 (exit)" in err.value.report.explain("en")
    assert "P0（验收）" in err.value.report.explain("zh")
    deal.establish("project_info_accurate", "project_info_verified", at=at(2))
    assert deal.advance(advancement, at=at(3)).dest == "P1"
    assert deal.probability(advancement) == 0.2
    assert [c.id for c in deal.blockers(advancement, "win")] == ["agreement_signed"]
    deal.establish("agreement_signed", at=at(4))
    assert deal.win(advancement, at=at(5)).dest == "WON"


def test_winning_from_p7_also_needs_its_acceptance() -> None:
    deal = new_deal()
    deal.enter("advancement", "P7", at=at(0), source="crm")
    deal.establish("agreement_signed", at=at(1))
    assert [c.id for c in deal.blockers("advancement", "win")] == [
        "project_closed_out",
        "expansion_recorded",
    ]


def test_the_funnel_negotiation_rule_is_one_of_the_union_of_both_slides() -> None:
    negotiation = get_cycle("funnel").stage("NEGOTIATION")
    assert isinstance(negotiation.entry, AtLeast)
    assert negotiation.entry.n == 1
    assert [c.id for c in negotiation.entry.criteria] == [
        "customer_template",
        "our_template",
        "negotiating",
        "price_objection",
        "terms_discussed",
    ]
    assert negotiation.guidance.signals == ()
    assert any_of(*negotiation.entry.criteria).passes(Snapshot.of({"price_objection": True}))


def test_account_development_steps_five_to_seven_are_in_sale() -> None:
    development = get_cycle("development")
    phases = [s.phase.en if s.phase else None for s in development.stages]
    assert phases == ["pre-sale"] * 4 + ["in-sale"] * 3 + ["post-sale"] * 3


# -- 4. histories from elsewhere -------------------------------------------------------


def test_an_imported_entry_keeps_what_the_gates_think_and_does_not_block() -> None:
    deal = new_deal(Segment.SME)
    deal.establish("materials_sent", at=at(0))
    event = deal.enter("funnel", "APPROVED", at=at(1), actor="import", source="salesforce")
    assert (event.move, event.imported, event.source_system) == (Move.ENTER, True, "salesforce")
    assert event.source is None
    assert event.dest == "APPROVED"
    assert "materials_sent" in event.criteria
    assert event.unmet[:2] == ("first_contact", "visit_agreed")
    assert deal.state("funnel") == "APPROVED"
    with pytest.raises(InvalidData, match="imported"):
        new_deal().move("funnel", "enter_TARGET", at=at(0))
    with pytest.raises(InvalidData):
        new_deal().enter("funnel", "NOWHERE", at=at(0))
    lost = new_deal().enter("funnel", "LOST", at=at(0), source="crm")
    assert lost.dest == Outcome.LOST


def test_a_history_that_begins_mid_pipeline_replays_and_reports_every_bad_row() -> None:
    table = get_cycle("funnel").table
    rows = [
        ("o1", None, "ENDORSED"),
        ("o1", "ENDORSED", "NEGOTIATION"),
        ("o2", None, "NOWHERE"),
        ("o1", "NEGOTIATION", "TARGET"),
        ("o1", "NEGOTIATION", "WON"),
    ]
    result = table.replay_states(rows, enter_anywhere=True)
    assert result.states == {"o1": "WON"}
    assert [(n, k) for n, k, _ in result.errors] == [(3, "o2"), (4, "o1")]
    assert result.entered == 1
    assert result.rows == len(rows) == len(result.errors) + 3


def test_a_deal_log_naming_an_unknown_cycle_replays_to_a_named_problem() -> None:
    start = StageChange("nowhere", None, "A", "start", Move.START, T0)
    with pytest.raises(ReplayError) as err:
        Deal.replay("KA-9", Account("甲", "sme"), Money("1", "CNY"), [start])
    assert err.value.problems[0][0] == 0
    assert "unknown cycle 'nowhere'" in err.value.problems[0][1]


def test_replay_lists_every_event_that_does_not_follow() -> None:
    funnel = get_cycle("funnel")
    ok = StageChange("funnel", None, "TARGET", "start", Move.START, T0)
    skip = StageChange("funnel", "TARGET", "APPROVED", "advance", Move.ADVANCE, T0)
    gap = StageChange("funnel", "INTENT", "APPROVED", "advance", Move.ADVANCE, T0)
    with pytest.raises(ReplayError) as err:
        funnel.replay([ok, skip, gap])
    assert [i for i, _ in err.value.problems] == [1, 2]


# -- 5. the deal log, atomicity, versions ---------------------------------------------


def test_tracks_and_facts_cannot_be_changed_from_outside() -> None:
    deal = new_deal()
    deal.establish("materials_sent", "first_contact", at=at(0))
    deal.start("funnel", at=at(1))
    with pytest.raises(TypeError):
        deal.tracks["funnel"] = Track("funnel")  # type: ignore[index]
    with pytest.raises(TypeError):
        deal.facts["visited"] = Fact("visited", True)  # type: ignore[index]
    with pytest.raises(AttributeError):
        deal.tracks["funnel"].state = "WON"  # type: ignore[misc]
    assert deal.state("funnel") == "TARGET"
    assert deal.version == 3


def test_lose_through_move_and_reasons_and_actors_are_checked_on_every_move() -> None:
    deal = new_deal()
    deal.start("development", at=at(0))
    with pytest.raises(InvalidData, match="reason"):
        deal.move("development", "advance", reason=5, at=at(1))  # type: ignore[arg-type]
    with pytest.raises(InvalidData, match="actor"):
        deal.move("development", "advance", actor=" ", at=at(1))
    funnel = new_deal()
    funnel.establish("materials_sent", "first_contact", at=at(0))
    funnel.start("funnel", at=at(0))
    with pytest.raises(InvalidData, match="reason"):
        funnel.move("funnel", "lose", at=at(1))
    assert funnel.check("funnel", "lose").allowed
    event = funnel.move("funnel", "lose", reason="budget cut", at=at(1))
    assert (event.dest, event.reason) == ("LOST", "budget cut")
    assert funnel.outcome is Outcome.LOST
    with pytest.raises(InvalidMove):
        funnel.move("funnel", "win", at=at(2))


def test_one_representation_of_outcomes() -> None:
    assert [o.value for o in Outcome] == ["WON", "LOST", "STALLED"]
    assert [o.move for o in Outcome] == [Move.WIN, Move.LOSE, Move.STALL]
    assert get_cycle("funnel").states[-3:] == ("WON", "LOST", "STALLED")
    assert new_deal().outcome is None


# -- 6. values are checked where they are built ----------------------------------------

ONE = Criterion.fact("one", "一", "one")


@pytest.mark.parametrize(
    ("build", "where"),
    [
        (lambda: at_least(5, ONE), "gate"),
        (lambda: at_least(-1, ONE), "gate"),
        (lambda: at_least(1, ONE, ONE), "gate"),
        (lambda: AtLeast(1, ("one",)), "gate"),  # type: ignore[arg-type]
        (lambda: Criterion("bad id", Label("a", "a"), lambda e, c: True), "criterion.id"),
        (lambda: Criterion("ok", "label", lambda e, c: True), "criterion.label"),  # type: ignore[arg-type]
        (lambda: Criterion("ok", Label("a", "a"), "test"), "criterion.test"),  # type: ignore[arg-type]
        (lambda: Stage("P 1", Label("a", "a")), "stage.id"),
        (lambda: Stage("P1", Label("a", "a"), 1.5), "stage.probability"),
        (lambda: Stage("P1", Label("a", "a"), exit="all"), "stage.exit"),  # type: ignore[arg-type]
        (lambda: Route("r", "A", "B", "label"), "route.label"),  # type: ignore[arg-type]
        (lambda: Criterion.compare("x", "a", "a", fact="f", op="~", value=1), "criterion 'x'"),
    ],
)
def test_declarations_refuse_bad_input_when_built(build: Any, where: str) -> None:
    with pytest.raises(InvalidDefinition) as err:
        build()
    assert err.value.where == where


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"cycle": ""}, "cycle"),
        ({"at": dt.datetime(2027, 1, 1)}, "at"),
        ({"move": "teleport"}, "move"),
        ({"reason": 5}, "reason"),
        ({"actor": " "}, "actor"),
        ({"criteria": "abc"}, "criteria"),
        ({"move": "lose", "trigger": "lose"}, "reason"),
        ({"unmet": ("x",)}, "unmet"),
        ({"source": "TARGET"}, "source"),
    ],
)
def test_a_stage_change_refuses_bad_fields(fields: dict[str, Any], field: str) -> None:
    base: dict[str, Any] = {
        "cycle": "funnel",
        "source": None,
        "dest": "TARGET",
        "trigger": "start",
        "move": "start",
        "at": T0,
    }
    with pytest.raises(InvalidData) as err:
        StageChange(**{**base, **fields})
    assert err.value.field == field


def test_a_cycle_reports_every_problem_at_once() -> None:
    with pytest.raises(InvalidDefinition) as err:
        Cycle(
            "broken",
            Label("坏", "broken"),
            CycleKind.PIPELINE,
            (
                Stage("A", Label("甲", "a"), 0.5),
                Stage("A", Label("甲", "a"), 0.4),
                Stage("WON", Label("赢", "won"), 0.9),
            ),
            routes=(Route("back", "A", "NOWHERE", Label("回", "back")),),
        )
    problems = err.value.problems
    assert len(problems) >= 4
    text = " ".join(p for _, p in problems)
    for expected in ("duplicate stage id", "lower than", "reserved", "unknown stage"):
        assert expected in text
    assert str(len(problems)) in str(err.value)


def test_a_cycles_repr_is_one_short_line() -> None:
    text = repr(get_cycle("advancement"))
    assert "\n" not in text
    assert len(text) < 120
    assert text.startswith("Cycle('advancement'")


def test_imports_in_the_engine_layer_know_nothing_of_deals() -> None:
    import ast
    import pathlib

    import bigaccount

    root = pathlib.Path(bigaccount.__file__).parent
    engine = ["cycle", "gates", "track", "evidence", "context", "errors", "labels", "money"]
    forbidden = {"deal", "people", "plan", "scoring", "io", "cli", "registry", "cycles"}
    for name in engine:
        tree = ast.parse((root / f"{name}.py").read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.level == 1:
                assert (node.module or "").split(".")[0] not in forbidden, (name, node.module)


def test_a_context_given_to_a_call_without_a_clock_keeps_the_clock_in_force() -> None:
    deal = new_deal()
    settings = Context(settings=[RelationshipThresholds(top="friends")])
    with use_context(Context(clock=lambda: at(9))):
        assert deal.start("development", context=settings).at == at(9)
    with use_context(Context()), pytest.raises(InvalidData):
        deal.advance("development", context=settings)
