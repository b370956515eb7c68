"""Customer type from signals: the type, its confidence and the selling mode."""

from __future__ import annotations

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from bigaccount import InvalidData
from bigaccount.io import dumps, loads
from bigaccount.scoring.customer_type import (
    CustomerSignals,
    CustomerType,
    CustomerTypeResult,
    SellingMode,
    classify_customer,
)

unit = st.floats(0, 1)
signals = st.builds(CustomerSignals, unit, unit, unit, unit, unit)


@pytest.mark.parametrize(
    ("given_signals", "expected", "mode"),
    [
        (CustomerSignals(0.9, 0.2, 0.1), CustomerType.TRANSACTIONAL, SellingMode.TRANSACTIONAL),
        (
            CustomerSignals(0.3, 0.8, 0.4, 0.5, 0.4),
            CustomerType.CONSULTATIVE,
            SellingMode.CONSULTATIVE,
        ),
        (CustomerSignals(0.2, 0.5, 1.0, 1.0, 0.9), CustomerType.PARTNER, SellingMode.PARTNERSHIP),
    ],
)
def test_each_type_is_found_with_its_selling_mode(given_signals, expected, mode):
    result = classify_customer(given_signals)
    assert result.type is expected
    assert result.selling_mode is mode
    assert result.confidence > 0


def test_strategic_value_of_a_small_distant_account_is_not_a_partnership():
    result = classify_customer(CustomerSignals(0.4, 0.3, 1.0, size=0.1, relationship=0.1))
    assert result.type is CustomerType.TRANSACTIONAL
    assert result.partner == pytest.approx(0.1)


def test_ties_go_to_the_simpler_type_with_no_confidence():
    result = classify_customer(CustomerSignals(0.5, 0.5, 0))
    assert result.type is CustomerType.TRANSACTIONAL
    assert result.confidence == 0.0
    assert classify_customer(CustomerSignals(0, 0, 0)).type is CustomerType.TRANSACTIONAL


def test_labels_are_bilingual():
    for member in (*CustomerType, *SellingMode):
        assert member.label.zh
        assert member.label.en
    for kind in CustomerType:
        assert kind.buys.zh
        assert kind.buys.en
    for mode in SellingMode:
        assert mode.approach.zh
        assert mode.approach.en
    assert CustomerType.PARTNER.label.zh == "合作伙伴型客户"


def test_signals_are_checked():
    with pytest.raises(InvalidData) as info:
        CustomerSignals(1.2, 0, 0)
    assert info.value.field == "signals.intrinsic_value"
    with pytest.raises(InvalidData):
        CustomerSignals(True, 0, 0)


@given(signals)
def test_confidence_and_evidence_in_range(s):
    result = classify_customer(s)
    assert 0.0 <= result.confidence <= 1.0
    for kind in CustomerType:
        assert 0.0 <= result.evidence(kind) <= 1.0
    assert result.evidence(result.type) == max(result.evidence(k) for k in CustomerType)


@given(signals, st.data())
def test_more_extrinsic_value_never_moves_a_consultative_customer_away(s, data):
    result = classify_customer(s)
    higher = data.draw(st.floats(s.extrinsic_value, 1))
    after = classify_customer(attrs.evolve(s, extrinsic_value=higher))
    if result.type is CustomerType.CONSULTATIVE:
        assert after.type is CustomerType.CONSULTATIVE
        assert after.confidence >= result.confidence
    assert after.consultative >= result.consultative


@given(signals)
def test_round_trip(s):
    assert loads(dumps(s), CustomerSignals) == s
    result = classify_customer(s)
    assert loads(dumps(result), CustomerTypeResult) == result


@pytest.mark.parametrize("signals", [None, 0.5, {"intrinsic_value": 0.5}])
def test_a_wrong_input_is_invalid_data_naming_the_argument(signals):
    with pytest.raises(InvalidData) as caught:
        classify_customer(signals)
    assert caught.value.field == "signals"


def test_an_unknown_type_is_invalid_data():
    result = classify_customer(CustomerSignals(0.5, 0.2, 0.1))
    with pytest.raises(InvalidData) as caught:
        result.evidence("vip")
    assert caught.value.field == "type"
