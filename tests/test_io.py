from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from attrs import field, frozen
from hypothesis import given
from hypothesis import strategies as st

from bigaccount import Deal, InvalidData, Label, Money, Move, StageChange, Track, UnknownName
from bigaccount.io import PERSONAL, dumps, loads
from bigaccount.testing import aware_datetimes, deals, labels, money


@given(money())
def test_money_round_trips_exactly(value: Money) -> None:
    again = loads(dumps(value), Money)
    assert again == value
    assert str(again.amount) == str(value.amount)


@given(labels())
def test_labels_round_trip(value: Label) -> None:
    assert loads(dumps(value), Label) == value


@given(aware_datetimes(), st.sampled_from(list(Move)), st.text(max_size=5) | st.none())
def test_stage_changes_round_trip_with_their_timezone(
    at: dt.datetime, move: Move, actor: str | None
) -> None:
    event = StageChange("funnel", "TARGET", "INTENT", "advance", move, at, actor, ("a", "b"))
    again = loads(dumps(event), StageChange)
    assert again == event
    assert again.at.utcoffset() == at.utcoffset()


@given(deals())
def test_deals_with_tracks_round_trip(deal: Deal) -> None:
    deal.facts.update(materials_sent=True, first_contact=True)
    deal.start("funnel", at=dt.datetime(2026, 5, 1, tzinfo=dt.timezone.utc), actor="李娜")
    again = loads(dumps(deal), Deal)
    assert again == deal
    assert again.tracks["funnel"].history == deal.tracks["funnel"].history


def test_loading_refuses_floats_naive_times_and_states_that_do_not_follow() -> None:
    event = StageChange(
        "funnel",
        None,
        "TARGET",
        "start",
        Move.START,
        dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc),
    )
    track = Track("funnel", "TARGET", events=[event])
    text = dumps(track)
    with pytest.raises(InvalidData, match="does not follow"):
        loads(text.replace('"state": "TARGET"', '"state": "CLOSED"'), Track)
    with pytest.raises(InvalidData, match="no timezone"):
        loads(text.replace("+00:00", ""), Track)
    with pytest.raises(InvalidData, match="float"):
        loads('{"schema": 1, "type": "Money", "data": {"amount": 0.1, "currency": "CNY"}}', Money)
    with pytest.raises(UnknownName):
        loads(text.replace('"cycle": "funnel"', '"cycle": "nope"'), Track)


def test_loading_refuses_other_documents_with_a_clear_error() -> None:
    with pytest.raises(InvalidData, match="not valid JSON"):
        loads("{", Money)
    with pytest.raises(InvalidData, match="schema"):
        loads('{"schema": 99, "type": "Money", "data": {}}', Money)
    with pytest.raises(InvalidData, match="holds a Label, not a Money"):
        loads(dumps(Label("甲", "a")), Money)
    with pytest.raises(InvalidData, match=r"currency.*\$"):
        loads('{"schema": 1, "type": "Money", "data": {"amount": "1", "currency": "C"}}', Money)
    with pytest.raises(InvalidData, match="extra"):
        loads(
            '{"schema": 1, "type": "Money", "data": {"amount": "1", "currency": "CNY", "x": 1}}',
            Money,
        )


@frozen
class _Contact:
    name: str
    hometown: str | None = field(default=None, repr=False, metadata={PERSONAL: True})


def test_redacted_export_leaves_personal_fields_out_and_still_loads() -> None:
    person = _Contact("王总", hometown="绍兴")
    assert "绍兴" in dumps(person)
    redacted = dumps(person, redact=True)
    assert "绍兴" not in redacted
    assert "hometown" not in redacted
    assert loads(redacted, _Contact) == _Contact("王总")


@given(st.from_type(Money), st.from_type(Label))
def test_the_hypothesis_entry_point_registers_our_types(value: Money, label: Label) -> None:
    assert value.currency in ("CNY", "USD", "EUR")
    assert value.amount == value.amount.quantize(Decimal("0.01"))
    assert loads(dumps(value), Money) == value
    assert loads(dumps(label), Label) == label
