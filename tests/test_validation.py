"""Bad input gets a typed error that names the field, and nothing changes."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import attrs
import pytest

from bigaccount import (
    Account,
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
    Track,
    any_of,
    at_least,
    by_segment,
    get_cycle,
)
from bigaccount.cli import main
from bigaccount.io import dumps, loads

UTC = dt.timezone.utc
T0 = dt.datetime(2026, 1, 5, tzinfo=UTC)
L = Label("甲", "a")
A = Criterion.fact("a", "甲", "a")


def started() -> Deal:
    deal = Deal("D", Account("Acme", Segment.SME), Money("100", "CNY"))
    deal.establish("materials_sent", "first_contact")
    deal.start("funnel", at=T0)
    return deal


def tamper(text: str, change: dict[str, object]) -> str:
    document = json.loads(text)
    document["data"].update(change)
    return json.dumps(document)


@pytest.mark.parametrize(
    ("field", "value", "problem"),
    [
        ("facts", {"contract_signed": "false"}, "expected true or false"),
        ("owner", [1, 2], "expected text"),
        ("id", 123, "expected text"),
    ],
)
def test_loading_never_coerces_a_value_of_the_wrong_type(
    field: str, value: object, problem: str
) -> None:
    with pytest.raises(InvalidData, match=problem):
        loads(tamper(dumps(started()), {field: value}), Deal)


def test_a_move_without_a_time_cannot_go_back_in_time() -> None:
    deal = Deal("D", Account("Acme", Segment.SME), Money("100", "CNY"))
    deal.establish("materials_sent", "first_contact")
    deal.start("funnel", at=dt.datetime(2100, 1, 1, tzinfo=UTC))
    with pytest.raises(InvalidData, match="before the last change"):
        deal.lose("funnel", "gone")
    assert deal.state("funnel") == "TARGET"
    assert loads(dumps(deal), Deal) == deal


@pytest.mark.parametrize(
    ("index", "change", "problem"),
    [
        (1, {"move": Move.WIN}, "is a lose move"),
        (1, {"reason": None}, "needs a reason"),
        (0, {"source": "<start>"}, "only the first event"),
        (1, {"source": None}, "track is at"),
    ],
)
def test_replay_refuses_tampered_events(
    index: int, change: dict[str, object], problem: str
) -> None:
    deal = started()
    deal.lose("funnel", "budget cut", at=T0)
    events = list(deal.tracks["funnel"].history)
    events[index] = attrs.evolve(events[index], **change)
    with pytest.raises(ReplayError, match=problem):
        get_cycle("funnel").replay(events)


def test_event_moves_are_moves() -> None:
    first = started().tracks["funnel"].history[0]
    assert type(attrs.evolve(first, move="start").move) is Move
    with pytest.raises(InvalidData, match="move: unknown value 'begin'"):
        attrs.evolve(first, move="begin")


def test_a_deals_tracks_must_follow_their_events() -> None:
    with pytest.raises(InvalidData, match="tracks"):
        Deal(
            "D",
            Account("A", "sme"),
            Money("1", "CNY"),
            tracks={"funnel": Track("funnel", "CLOSED")},
        )
    with pytest.raises(InvalidData, match="tracks"):
        Deal("D", Account("A", "sme"), Money("1", "CNY"), tracks={"funnel": Track("funnel")})


def test_deal_fields_are_checked_on_construction_and_assignment() -> None:
    deal = started()
    with pytest.raises(InvalidData, match="amount"):
        deal.amount = 1.5  # type: ignore[assignment]
    assert deal.amount == Money("100", "CNY")
    with pytest.raises(InvalidData, match="people"):
        Deal("D", Account("A", "sme"), Money("1", "CNY"), people=[1])  # type: ignore[arg-type]
    with pytest.raises(InvalidData, match=r"account\.segment"):
        Account("Acme", "corp")  # type: ignore[arg-type]


def test_segment_rules_take_segment_values_and_refuse_duplicates() -> None:
    gate = by_segment({"sme": any_of(A), "enterprise": any_of(A), "government": any_of(A)})  # type: ignore[dict-item]
    assert gate.problems() == []
    deal = Deal("D", Account("A", "sme"), Money("1", "CNY"), facts={"a": True})
    assert gate.evaluate(deal).segment is Segment.SME
    with pytest.raises(InvalidDefinition, match="two rules"):
        by_segment([(Segment.SME, any_of(A)), (Segment.SME, any_of())])  # type: ignore[arg-type]
    with pytest.raises(InvalidDefinition, match="not a customer segment"):
        by_segment({"corp": any_of(A)})  # type: ignore[dict-item]


def test_malformed_declarations_are_refused_naming_where() -> None:
    with pytest.raises(InvalidDefinition, match=r"c\.A: gate needs a whole number"):
        Cycle("c", L, "process", [Stage("A", L, gate=at_least(1.5, A))])  # type: ignore[arg-type]
    with pytest.raises(InvalidDefinition, match=r"c\.A: label must be a Label"):
        Cycle("c", L, "process", [Stage("A", "plain")])  # type: ignore[arg-type]
    with pytest.raises(InvalidDefinition, match=r"c\.A: gate must be a Gate"):
        Cycle("c", L, "process", [Stage("A", L, gate=None)])  # type: ignore[arg-type]
    with pytest.raises(InvalidDefinition, match=r"c\.stages\[0\]"):
        Cycle("c", L, "process", ["A"])  # type: ignore[list-item]
    with pytest.raises(InvalidData, match="kind"):
        Cycle("c", L, "bogus", [Stage("A", L)])  # type: ignore[arg-type]
    other = Criterion.fact("a", "乙", "b")
    with pytest.raises(InvalidDefinition, match=r"c\.WON: criterion 'a'"):
        Cycle("c", L, "pipeline", [Stage("A", L, 0.1, any_of(A))], win_gate=any_of(other))
    with pytest.raises(InvalidDefinition, match=r"c\.A: criterion 'a'"):
        Cycle(
            "c",
            L,
            "process",
            [Stage("A", L, gate=any_of(A)), Stage("B", L)],
            routes=[Route("back", "B", "A", L), Route("loop", "A", "A", L, any_of(other))],
        )


def test_explaining_in_an_unknown_language_is_a_clear_error() -> None:
    report = any_of(A).evaluate(started())
    with pytest.raises(InvalidData, match="lang"):
        report.explain("fr")


def test_money_comparisons_with_other_types_and_exact_sums() -> None:
    with pytest.raises(TypeError):
        _ = Money(1, "CNY") < 5  # type: ignore[operator]
    big = Money("1234567890123456789012345678.9", "CNY") + Money("0.01", "CNY")
    assert str(big.amount) == "1234567890123456789012345678.91"


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
