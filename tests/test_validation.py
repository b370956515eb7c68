"""Bad input gets a typed error that names the field, and nothing changes."""

from __future__ import annotations

import datetime as dt
import enum
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from bigaccount import (
    OPEN,
    Account,
    Context,
    Criterion,
    Cycle,
    CycleKind,
    Deal,
    InvalidData,
    InvalidDefinition,
    Label,
    Money,
    Move,
    ReplayError,
    Route,
    Segment,
    Stage,
    StageChange,
    Track,
    any_of,
    at_least,
    by_segment,
    get_cycle,
)
from bigaccount._validate import member
from bigaccount.cli import main
from bigaccount.io import dumps, loads

UTC = dt.timezone.utc
T0 = dt.datetime(2026, 1, 5, tzinfo=UTC)
L = Label("甲", "a")
CTX = Context()
A = Criterion.fact("a", "甲", "a")


def started() -> Deal:
    deal = Deal("D", Account("Acme", Segment.SME), Money("100", "CNY"))
    deal.establish("materials_sent", "first_contact")
    deal.start("funnel")
    return deal


def tamper(text: str, change: dict[str, object]) -> str:
    document = json.loads(text)
    document["data"].update(change)
    return json.dumps(document)


def first_fact_value(value: object) -> Callable[[dict[str, Any]], None]:
    def change(data: dict[str, Any]) -> None:
        data["events"][0]["value"]["value"] = value

    return change


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (first_fact_value("false"), "expected true or false"),
        (first_fact_value(1), "expected true or false"),
        (lambda data: data.update(owner=[1, 2]), "expected text"),
        (lambda data: data.update(id=123), "expected text"),
        (lambda data: data.update(version="4"), "expected a whole number"),
    ],
)
def test_loading_never_coerces_a_value_of_the_wrong_type(
    change: Callable[[dict[str, Any]], None], problem: str
) -> None:
    document = json.loads(dumps(started()))
    assert document["data"]["events"][0]["value"] == {"kind": "bool", "value": True}
    change(document["data"])
    with pytest.raises(InvalidData, match=problem):
        loads(json.dumps(document), Deal)


def test_a_move_without_a_time_cannot_go_back_in_time() -> None:
    deal = Deal("D", Account("Acme", Segment.SME), Money("100", "CNY"))
    deal.establish("materials_sent", "first_contact")
    deal.start("funnel", at=dt.datetime(2100, 1, 1, tzinfo=UTC))
    version = deal.version
    with pytest.raises(InvalidData, match="before the deal's last change"):
        deal.lose("funnel", "gone")
    with pytest.raises(InvalidData, match="before the deal's last change"):
        deal.establish("visited")
    assert deal.state("funnel") == "TARGET"
    assert deal.version == version
    assert "visited" not in deal.facts
    assert loads(dumps(deal), Deal) == deal


@pytest.mark.parametrize(
    ("index", "change", "problem"),
    [
        (1, {"move": Move.WIN}, "is a lose move"),
        (1, {"dest": "WON"}, "'lose' does not lead from 'TARGET' to 'WON'"),
        (1, {"cycle": "advancement"}, "belongs to cycle 'advancement'"),
        (1, {"at": T0}, "happens before the event that precedes it"),
        (0, {"dest": "INTENT"}, "'start' does not lead from '<start>' to 'INTENT'"),
    ],
)
def test_replay_refuses_tampered_events(index: int, change: dict[str, Any], problem: str) -> None:
    deal = started()
    deal.lose("funnel", "budget cut")
    events = list(deal.tracks["funnel"].history)
    events[index] = attrs.evolve(events[index], **change)
    with pytest.raises(ReplayError, match=problem) as err:
        get_cycle("funnel").replay(events)
    assert err.value.problems[0][0] == err.value.index == index
    facts = list(deal.events[:2])
    with pytest.raises(ReplayError) as in_log:
        Deal.replay(deal.id, deal.account, deal.amount, [*facts, *events])
    assert in_log.value.index == len(facts) + index
    if "cycle" not in change:
        assert problem in in_log.value.problem


@pytest.mark.parametrize(
    ("index", "change", "problem"),
    [
        (1, {"reason": None}, "a lose move needs a reason"),
        (0, {"source": "<start>"}, "only a start or enter move begins from nothing"),
        (1, {"source": None}, "only a start or enter move begins from nothing"),
        (1, {"unmet": ("visited",)}, "only an imported move may pass unmet criteria"),
        (0, {"move": Move.ENTER}, "an enter move is always imported"),
    ],
)
def test_an_event_that_breaks_a_rule_of_its_own_cannot_be_made(
    index: int, change: dict[str, Any], problem: str
) -> None:
    deal = started()
    deal.lose("funnel", "budget cut")
    event = deal.tracks["funnel"].history[index]
    with pytest.raises(InvalidData, match=problem):
        attrs.evolve(event, **change)


def test_replay_reports_every_event_that_does_not_follow() -> None:
    deal = started()
    deal.lose("funnel", "budget cut")
    first, lost = deal.tracks["funnel"].history
    events = [attrs.evolve(first, dest="INTENT"), attrs.evolve(lost, move=Move.STALL)]
    with pytest.raises(ReplayError) as err:
        get_cycle("funnel").replay(events)
    assert [i for i, _ in err.value.problems] == [0, 1]
    assert "event #0" in str(err.value)
    assert "event #1" in str(err.value)
    with pytest.raises(ReplayError) as in_log:
        Deal.replay(deal.id, deal.account, deal.amount, [*deal.events[:2], *events])
    assert [i for i, _ in in_log.value.problems] == [2, 3]
    assert "track is at 'INTENT'" in in_log.value.problems[1][1]


def test_event_moves_are_moves() -> None:
    first = started().tracks["funnel"].history[0]
    assert type(attrs.evolve(first, move="start").move) is Move
    with pytest.raises(InvalidData, match="move: unknown value 'begin'"):
        attrs.evolve(first, move="begin")


def test_a_deals_tracks_must_follow_their_events() -> None:
    with pytest.raises(TypeError, match="tracks"):
        Deal("D", Account("A", "sme"), Money("1", "CNY"), tracks={})  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        Track("funnel", "CLOSED")  # type: ignore[call-arg]
    deal = started()
    with pytest.raises(TypeError):
        deal.tracks["funnel"] = Track("funnel")  # type: ignore[index]
    with pytest.raises(AttributeError):
        deal.tracks["funnel"].state = "CLOSED"  # type: ignore[misc]
    assert deal.state("funnel") == "TARGET"
    jumped = StageChange("funnel", None, "CLOSED", "start", Move.START, T0)
    with pytest.raises(ReplayError, match="does not lead from '<start>' to 'CLOSED'"):
        Deal.replay("D", Account("A", "sme"), Money("1", "CNY"), [jumped])


def test_deal_fields_are_checked_on_construction_and_assignment() -> None:
    deal = started()
    with pytest.raises(InvalidData, match="amount"):
        deal.amount = 1.5  # type: ignore[assignment]
    assert deal.amount == Money("100", "CNY")
    with pytest.raises(InvalidData, match="people"):
        Deal("D", Account("A", "sme"), Money("1", "CNY"), people=[1])  # type: ignore[arg-type]
    with pytest.raises(InvalidData, match=r"account\.segment"):
        Account("Acme", "corp")


def test_segment_rules_take_segment_values_and_refuse_duplicates() -> None:
    gate = by_segment({"sme": any_of(A), "enterprise": any_of(A), "government": any_of(A)})  # type: ignore[dict-item]
    assert [s for s, _ in gate.rules] == [Segment.SME, Segment.ENTERPRISE, Segment.GOVERNMENT]
    deal = Deal("D", Account("A", "sme"), Money("1", "CNY"))
    deal.establish("a")
    assert gate.evaluate(deal, CTX).segment is Segment.SME
    with pytest.raises(InvalidDefinition, match="two rules"):
        by_segment([(Segment.SME, any_of(A)), (Segment.SME, OPEN)])  # type: ignore[arg-type]
    with pytest.raises(InvalidDefinition, match="not a customer segment"):
        by_segment({"corp": any_of(A)})  # type: ignore[dict-item]


def test_malformed_declarations_are_refused_naming_where() -> None:
    with pytest.raises(InvalidDefinition, match=r"gate: needs a whole number"):
        at_least(1.5, A)  # type: ignore[arg-type]
    with pytest.raises(InvalidDefinition, match=r"stage\.label: expected a Label"):
        Stage("A", "plain")  # type: ignore[arg-type]
    with pytest.raises(InvalidDefinition, match=r"stage\.entry: expected a Gate"):
        Stage("A", L, entry=None)  # type: ignore[arg-type]
    with pytest.raises(InvalidDefinition, match=r"stage\.exit: expected a Gate"):
        Stage("A", L, exit=any_of)  # type: ignore[arg-type]
    with pytest.raises(InvalidDefinition, match=r"stage\.id: expected an identifier"):
        Stage("B C", L)
    with pytest.raises(InvalidDefinition, match=r"c\.stages\[0\]"):
        Cycle("c", L, "process", ["A"])  # type: ignore[list-item]
    with pytest.raises(InvalidData, match="kind"):
        Cycle("c", L, "bogus", [Stage("A", L)])
    other = Criterion.fact("a", "乙", "b")
    with pytest.raises(InvalidDefinition, match=r"c\.WON: criterion 'a'"):
        Cycle("c", L, "pipeline", [Stage("A", L, 0.1, any_of(A))], win_gate=any_of(other))
    with pytest.raises(InvalidDefinition, match=r"c\.A: criterion 'a'"):
        Cycle(
            "c",
            L,
            "process",
            [Stage("A", L, entry=any_of(A)), Stage("B", L, exit=any_of(A))],
            routes=[Route("back", "B", "A", L), Route("loop", "A", "A", L, any_of(other))],
        )


def test_explaining_in_an_unknown_language_is_a_clear_error() -> None:
    report = any_of(A).evaluate(started(), CTX)
    with pytest.raises(InvalidData, match="lang"):
        report.explain("fr")


def test_money_comparisons_with_other_types_and_exact_sums() -> None:
    with pytest.raises(TypeError):
        _ = Money(1, "CNY") < 5
    big = Money("123456789012345678.9", "CNY") + Money("0.01", "CNY")
    assert str(big.amount) == "123456789012345678.91"


def test_the_replay_command_reports_malformed_lines(tmp_path: Path) -> None:
    path = tmp_path / "rows.csv"
    path.write_text("key,from,to\n\no1,,TARGET\no2,TARGET\n", encoding="utf-8")
    assert main(["replay", "funnel", str(path)]) == 1
    latin = tmp_path / "latin.csv"
    latin.write_bytes("key,from,to\nö,,TARGET\n".encode("latin-1"))
    assert main(["replay", "funnel", str(latin)]) == 2


def test_cycle_kind_accepts_its_values() -> None:
    assert Cycle("c", L, "wheel", [Stage("A", L), Stage("B", L)]).kind is CycleKind.WHEEL


def test_a_deals_owner_is_text() -> None:
    with pytest.raises(InvalidData, match="owner"):
        Deal("D", Account("A", "sme"), Money("1", "CNY"), owner=[1, 2])  # type: ignore[arg-type]


def _enums() -> list[type[enum.Enum]]:
    import bigaccount

    found = []
    for name in bigaccount.__all__:
        value = getattr(bigaccount, name)
        if isinstance(value, type) and issubclass(value, enum.Enum):
            found.append(value)
    return found


@pytest.mark.parametrize("kind", _enums(), ids=lambda k: k.__name__)
@given(st.data())
def test_a_member_is_read_from_its_value_as_the_enum_itself_reads_it(
    kind: type[enum.Enum], data: st.DataObject
) -> None:
    values = [m.value for m in kind]
    value = data.draw(
        st.sampled_from(values)
        | st.sampled_from(list(kind))
        | st.text(max_size=4)
        | st.integers(-2, 9)
        | st.floats()
        | st.none()
        | st.lists(st.integers(), max_size=1)
    )
    try:
        expected: object = kind(value)
    except (ValueError, TypeError):
        expected = InvalidData
    try:
        got: object = member(kind, value, "field")
    except InvalidData:
        got = InvalidData
    assert got is expected
