from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from attrs import frozen
from hypothesis import given
from hypothesis import strategies as st

from bigaccount import (
    Account,
    Deal,
    FactChange,
    InvalidData,
    Label,
    Money,
    Move,
    Segment,
    StageChange,
    Track,
)
from bigaccount.io import dumps, loads
from bigaccount.people import PersonalProfile
from bigaccount.testing import aware_datetimes, deals, labels, money
from bigaccount.track import NEEDS_REASON

UTC = dt.timezone.utc
T1 = dt.datetime(2026, 5, 1, tzinfo=UTC)
ACCOUNT = Account("华东电网", Segment.ENTERPRISE)
AMOUNT = Money("2400000", "CNY")
names = st.text(min_size=1, max_size=5).filter(lambda s: bool(s.strip()))


@given(money())
def test_money_round_trips_exactly(value: Money) -> None:
    again = loads(dumps(value), Money)
    assert again == value
    assert str(again.amount) == str(value.amount)


@given(labels())
def test_labels_round_trip(value: Label) -> None:
    assert loads(dumps(value), Label) == value


@st.composite
def stage_changes(draw: st.DrawFn) -> StageChange:
    """Well-formed events of every kind of move, imported or not."""
    move = draw(st.sampled_from(list(Move)))
    imported = move is Move.ENTER or draw(st.booleans())
    return StageChange(
        "funnel",
        None if move in (Move.START, Move.ENTER) else "TARGET",
        "INTENT",
        "advance",
        move,
        draw(aware_datetimes()),
        draw(names | st.none()),
        ("a", "b"),
        "budget cut" if move in NEEDS_REASON else draw(names | st.none()),
        imported=imported,
        unmet=draw(st.lists(st.sampled_from(["c", "d"]), unique=True)) if imported else (),
        source_system=draw(names | st.none()) if imported else None,
    )


@given(stage_changes())
def test_stage_changes_round_trip_with_their_timezone(event: StageChange) -> None:
    again = loads(dumps(event), StageChange)
    assert again == event
    assert again.at.utcoffset() == event.at.utcoffset()


VALUES: dict[str, object] = {
    "budget": Money("1500000.00", "CNY"),
    "decision_date": dt.date(2026, 9, 30),
    "visited_at": dt.datetime(2026, 4, 2, 10, 30, tzinfo=dt.timezone(dt.timedelta(hours=8))),
    "share": Decimal("0.35"),
    "seats": 120,
    "score": 0.75,
    "sponsor": "王总",
}


@given(deals())
def test_deals_with_tracks_round_trip(deal: Deal) -> None:
    deal.establish("materials_sent", "first_contact", at=T1, source="crm")
    for key, value in VALUES.items():
        deal.record(key, value, at=T1, actor="李娜")  # type: ignore[arg-type]
    deal.retract("seats", at=T1)
    deal.start("funnel", at=T1, actor="李娜")
    text = dumps(deal)
    assert json.loads(text)["data"]["version"] == deal.version
    again = loads(text, Deal)
    assert again == deal
    assert again.version == deal.version
    assert again.events == deal.events
    assert dict(again.facts) == dict(deal.facts)
    for key, value in VALUES.items():
        if key != "seats":
            assert again.value(key) == value
            assert type(again.value(key)) is type(value)
    assert again.value("seats") is None
    assert again.facts["visited_at"].value.utcoffset() == dt.timedelta(hours=8)  # type: ignore[union-attr]
    assert again.tracks["funnel"].history == deal.tracks["funnel"].history


def test_a_loaded_deal_is_its_replayed_log() -> None:
    deal = Deal.replay(
        "KA-1",
        ACCOUNT,
        AMOUNT,
        [
            FactChange("materials_sent", True, T1),
            FactChange("first_contact", True, T1),
            StageChange("funnel", None, "TARGET", "start", Move.START, T1),
        ],
    )
    document = json.loads(dumps(deal))
    data = document["data"]
    assert [e["type"] for e in data["events"]] == ["fact_change", "fact_change", "stage_change"]
    data["version"] = 2
    with pytest.raises(InvalidData, match=r"\$\.version: 2 but the log holds 3 events"):
        loads(json.dumps(document), Deal)
    data["version"] = 3
    data["events"][2]["dest"] = "INTENT"
    with pytest.raises(InvalidData, match=r"\$\.events\[2\]: .*'start' does not lead"):
        loads(json.dumps(document), Deal)
    data["events"][2]["dest"] = "TARGET"
    data["events"][0]["type"] = "note"
    with pytest.raises(InvalidData, match="unknown event type 'note'"):
        loads(json.dumps(document), Deal)
    data["events"][0]["type"] = "fact_change"
    data["events"][0]["value"] = {"kind": "colour", "value": "red"}
    with pytest.raises(InvalidData, match="unknown kind 'colour'"):
        loads(json.dumps(document), Deal)
    data["events"][0]["value"] = {"kind": "money", "value": {"amount": 0.1, "currency": "CNY"}}
    with pytest.raises(InvalidData, match="float"):
        loads(json.dumps(document), Deal)
    data["events"][0]["value"] = {"kind": "bool", "value": True}
    assert loads(json.dumps(document), Deal) == deal


def test_loading_refuses_floats_naive_times_and_states_that_do_not_follow() -> None:
    deal = Deal.replay(
        "KA-1",
        ACCOUNT,
        AMOUNT,
        [
            FactChange("materials_sent", True, T1),
            FactChange("first_contact", True, T1),
            StageChange("funnel", None, "TARGET", "start", Move.START, T1),
        ],
    )
    track = deal.tracks["funnel"]
    text = dumps(track)
    assert loads(text, Track) == track
    with pytest.raises(InvalidData, match="does not follow"):
        loads(text.replace('"state": "TARGET"', '"state": "CLOSED"'), Track)
    with pytest.raises(InvalidData, match="no timezone"):
        loads(text.replace("+00:00", ""), Track)
    with pytest.raises(InvalidData, match="float"):
        loads('{"schema": 1, "type": "Money", "data": {"amount": 0.1, "currency": "CNY"}}', Money)
    with pytest.raises(InvalidData, match=r"\$\.cycle: unknown cycle 'nope'"):
        loads(text.replace('"cycle": "funnel"', '"cycle": "nope"'), Track)


def test_loading_refuses_other_documents_with_a_clear_error() -> None:
    with pytest.raises(InvalidData, match="not valid JSON"):
        loads("{", Money)
    with pytest.raises(InvalidData, match="schema"):
        loads('{"schema": 99, "type": "Money", "data": {}}', Money)
    with pytest.raises(InvalidData, match="holds a Label, not a Money"):
        loads(dumps(Label("甲", "a")), Money)
    with pytest.raises(InvalidData, match=r"\$\.currency: expected a three-letter ISO 4217"):
        loads('{"schema": 1, "type": "Money", "data": {"amount": "1", "currency": "C"}}', Money)
    with pytest.raises(InvalidData, match=r"\$\.x: unknown key"):
        loads(
            '{"schema": 1, "type": "Money", "data": {"amount": "1", "currency": "CNY", "x": 1}}',
            Money,
        )


def test_redacted_export_leaves_personal_fields_out_and_still_loads() -> None:
    profile = PersonalProfile(hometown="绍兴", pets=("猫",))
    assert "绍兴" in dumps(profile)
    redacted = dumps(profile, redact=True)
    assert "绍兴" not in redacted
    assert "hometown" not in redacted
    assert loads(redacted, PersonalProfile) == PersonalProfile()


def test_a_class_that_is_not_a_document_type_is_refused_saying_so() -> None:
    @frozen
    class Contact:
        name: str

    with pytest.raises(InvalidData, match="not a document type"):
        dumps(Contact("王总"))


@given(st.from_type(Money), st.from_type(Label))
def test_the_hypothesis_entry_point_registers_our_types(value: Money, label: Label) -> None:
    assert value.currency in ("CNY", "USD", "EUR")
    assert value.amount == value.amount.quantize(Decimal("0.01"))
    assert loads(dumps(value), Money) == value
    assert loads(dumps(label), Label) == label


@pytest.mark.parametrize("blank", ["", "   ", "\u3000"])
def test_an_accounts_blank_industry_or_id_from_an_earlier_version_reads_as_none(blank: str) -> None:
    deal = Deal("K-1", Account("Acme", "sme", industry="steel", id="A-1"), Money("1", "CNY"))
    document = json.loads(dumps(deal))
    document["data"]["account"].update(industry=blank, id=blank)
    loaded = loads(json.dumps(document), Deal)
    assert loaded.account == Account("Acme", "sme")
    with pytest.raises(InvalidData):
        Account("Acme", "sme", industry=blank)
