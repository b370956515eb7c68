"""Salesperson level: the four steps and the glass ceiling."""

from __future__ import annotations

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from bigaccount import InvalidData
from bigaccount.io import dumps, loads
from bigaccount.scoring.salesperson import (
    GLASS_CEILING,
    Behaviour,
    SalesBehaviours,
    SalesLevel,
    SalespersonResult,
    assess_salesperson,
)

unit = st.floats(0, 1)
behaviours = st.builds(SalesBehaviours, unit, unit, unit, unit)


@pytest.mark.parametrize(
    ("observed", "level"),
    [
        (SalesBehaviours(), SalesLevel.JUNIOR),
        (SalesBehaviours(product=0.9), SalesLevel.JUNIOR),
        (SalesBehaviours(product=0.9, solutions=0.6), SalesLevel.TRADITIONAL),
        (SalesBehaviours(0.8, 0.7, 0.5), SalesLevel.COMPETITIVE),
        (SalesBehaviours(0.5, 0.6, 0.7, 0.9), SalesLevel.RELATIONSHIP_MANAGER),
    ],
)
def test_levels(observed, level):
    assert assess_salesperson(observed).level is level


def test_glass_ceiling_lies_between_levels_two_and_three():
    below = assess_salesperson(SalesBehaviours(0.9, 0.9, 0.4))
    above = assess_salesperson(SalesBehaviours(0.9, 0.9, 0.6))
    assert not below.above_glass_ceiling
    assert above.above_glass_ceiling
    assert below.to_develop is Behaviour.VALUE
    assert below.progress == pytest.approx(0.8)
    assert below.next_level is SalesLevel.COMPETITIVE
    assert GLASS_CEILING.zh == "玻璃天花板"


def test_top_level_has_nothing_left_to_develop():
    result = assess_salesperson(SalesBehaviours(1, 1, 1, 1))
    assert result.to_develop is None
    assert result.next_level is None
    assert result.progress == 1.0


def test_labels_and_numbers():
    assert [lv.number for lv in SalesLevel] == [1, 2, 3, 4]
    assert [lv.sells for lv in SalesLevel] == list(Behaviour)
    for member in (*SalesLevel, *Behaviour):
        assert member.label.zh
        assert member.label.en
    assert SalesLevel.RELATIONSHIP_MANAGER.label.zh == "第四级：关系经理人"
    assert Behaviour.INFLUENCE.label.zh == "卖影响"


def test_inputs_are_checked():
    with pytest.raises(InvalidData):
        SalesBehaviours(product=2)
    with pytest.raises(InvalidData):
        assess_salesperson(SalesBehaviours(), threshold=0)
    with pytest.raises(InvalidData):
        assess_salesperson(SalesBehaviours(), threshold=1.5)


@given(behaviours, st.floats(0.05, 1))
def test_progress_in_range(observed, threshold):
    result = assess_salesperson(observed, threshold)
    assert 0.0 <= result.progress <= 1.0
    assert 1 <= result.level.number <= 4


@given(behaviours, st.sampled_from(list(Behaviour)), st.data())
def test_more_of_a_behaviour_never_lowers_the_level(observed, behaviour, data):
    higher = data.draw(st.floats(observed.share(behaviour), 1))
    raised = attrs.evolve(observed, **{behaviour.value: higher})
    assert assess_salesperson(raised).level.number >= assess_salesperson(observed).level.number


@given(behaviours)
def test_round_trip(observed):
    assert loads(dumps(observed), SalesBehaviours) == observed
    result = assess_salesperson(observed)
    assert loads(dumps(result), SalespersonResult) == result


def test_the_steps_are_climbed_in_order():
    # influence alone is not level 4: the steps below it are not shown
    lone = assess_salesperson(SalesBehaviours(influence=0.9))
    assert lone.level is SalesLevel.JUNIOR
    assert not lone.above_glass_ceiling
    assert lone.to_develop is Behaviour.PRODUCT
    assert lone.progress == 0.0
    # value without solutions stops below the glass ceiling, at the missing step
    skipped = assess_salesperson(SalesBehaviours(product=0.9, value=0.9, influence=0.9))
    assert skipped.level is SalesLevel.JUNIOR
    assert skipped.to_develop is Behaviour.SOLUTIONS
    gap = assess_salesperson(SalesBehaviours(0.9, 0.8, 0.2, 0.9))
    assert gap.level is SalesLevel.TRADITIONAL
    assert gap.to_develop is Behaviour.VALUE
    assert gap.progress == pytest.approx(0.4)


@given(behaviours, st.floats(0.05, 1))
def test_every_step_below_the_level_is_shown(observed, threshold):
    result = assess_salesperson(observed, threshold)
    if result.level.number >= 2:
        for behaviour in list(Behaviour)[: result.level.number]:
            assert observed.share(behaviour) >= threshold
    if result.to_develop is not None:
        assert observed.share(result.to_develop) < threshold


@pytest.mark.parametrize("observed", [None, 0.5, {"product": 0.9}])
def test_a_wrong_input_is_invalid_data_naming_the_argument(observed):
    with pytest.raises(InvalidData) as caught:
        assess_salesperson(observed)
    assert caught.value.field == "observed"


def test_an_unknown_behaviour_is_invalid_data():
    with pytest.raises(InvalidData) as caught:
        SalesBehaviours().share("charm")
    assert caught.value.field == "behaviour"
