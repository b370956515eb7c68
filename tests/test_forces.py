"""Porter's five forces: attractiveness, dominant forces, rules and properties."""

from __future__ import annotations

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from bigaccount import InvalidData
from bigaccount.io import dumps, loads
from bigaccount.scoring.forces import FiveForces, Force, ForceRating, ForcesResult, score_forces


def _forces(**ratings: float) -> FiveForces:
    return FiveForces([ForceRating(f, ratings.get(f.value, 3)) for f in Force])


@st.composite
def five_forces(draw):
    raw = [draw(st.integers(1, 50)) for _ in Force]
    total = sum(raw)
    return FiveForces(
        [ForceRating(f, draw(st.floats(1, 5)), raw[i] / total) for i, f in enumerate(Force)],
        industry="x",
    )


def test_attractiveness_follows_the_formula():
    result = score_forces(_forces(rivalry=5, buyer_power=4, new_entrants=1))
    expected = 0.2 * (0 + 1 + 0.5 + 0.5 + 0.25)
    assert result.attractiveness == pytest.approx(expected)
    assert result.dominant == (Force.RIVALRY, Force.BUYER_POWER)
    assert result.pressure(Force.NEW_ENTRANTS) == 0.0
    assert not result.normalised


def test_no_force_dominates_at_the_midpoint():
    assert score_forces(_forces()).dominant == ()
    assert score_forces(_forces()).attractiveness == pytest.approx(0.5)


def test_every_force_has_both_labels():
    for force in Force:
        assert force.label.zh
        assert force.label.en
        assert force.source.zh
        assert force.source.en
    assert Force.SUBSTITUTES.label.zh == "代替品的威胁"


def test_every_force_must_be_rated_once():
    with pytest.raises(InvalidData, match="buyer_power"):
        FiveForces([ForceRating(f, 3) for f in Force if f is not Force.BUYER_POWER])
    with pytest.raises(InvalidData, match="twice"):
        FiveForces([ForceRating(f, 3) for f in Force] + [ForceRating(Force.RIVALRY, 2)])


def test_rule_violations_name_the_force_or_are_normalised():
    off = _forces(substitutes=7)
    with pytest.raises(InvalidData) as info:
        score_forces(off)
    assert info.value.field == "forces['substitutes'].rating"
    result = score_forces(off, normalise=True)
    assert result.normalised
    assert result.pressure(Force.SUBSTITUTES) == 1.0

    heavy = FiveForces([ForceRating(f, 3, 1) for f in Force])
    with pytest.raises(InvalidData) as info:
        score_forces(heavy)
    assert info.value.field == "weights"
    fixed = score_forces(heavy, normalise=True)
    assert {a.used for a in fixed.adjustments} == {0.2}
    with pytest.raises(InvalidData):
        ForceRating(Force.RIVALRY, 3, -1)


@given(five_forces())
def test_scores_lie_in_range(forces):
    result = score_forces(forces)
    assert 0.0 <= result.attractiveness <= 1.0
    assert all(0.0 <= p <= 1.0 for _, p in result.pressures)
    assert all(forces.rating(f).rating > 3 for f in result.dominant)


@given(five_forces(), st.sampled_from(list(Force)), st.data())
def test_a_stronger_force_never_raises_attractiveness(forces, force, data):
    target = forces.rating(force)
    higher = data.draw(st.floats(target.rating, 5))
    raised = FiveForces(
        [attrs.evolve(r, rating=higher) if r.force is force else r for r in forces.ratings]
    )
    assert score_forces(raised).attractiveness <= score_forces(forces).attractiveness


@given(five_forces(), st.randoms(use_true_random=False))
def test_order_does_not_matter(forces, rnd):
    ratings = list(forces.ratings)
    rnd.shuffle(ratings)
    assert score_forces(FiveForces(ratings)) == score_forces(forces)


@given(five_forces())
def test_round_trip(forces):
    assert loads(dumps(forces), FiveForces) == forces
    result = score_forces(forces)
    assert loads(dumps(result), ForcesResult) == result


# -- validation of every input -------------------------------------------------------


def test_an_unknown_force_is_invalid_data_naming_the_field():
    with pytest.raises(InvalidData, match="rivalry") as info:
        ForceRating("rivals", 3)
    assert info.value.field == "force"
    forces = _forces()
    with pytest.raises(InvalidData) as info:
        forces.rating("rivals")
    assert info.value.field == "force"
    with pytest.raises(InvalidData) as info:
        score_forces(forces).pressure("rivals")
    assert info.value.field == "force"


def test_a_negative_rating_is_refused_when_built():
    with pytest.raises(InvalidData) as info:
        ForceRating(Force.RIVALRY, -2)
    assert info.value.field == "forces['rivalry'].rating"


@pytest.mark.parametrize("tolerance", [-0.1, float("nan"), "0.1", None])
def test_the_tolerance_must_be_a_number_at_least_zero(tolerance):
    with pytest.raises(InvalidData) as info:
        score_forces(_forces(), tolerance=tolerance)
    assert info.value.field == "tolerance"


def test_containers_and_scale_are_checked():
    with pytest.raises(InvalidData) as info:
        FiveForces(None)
    assert info.value.field == "ratings"
    with pytest.raises(InvalidData) as info:
        FiveForces([ForceRating(f, 3) for f in Force], scale=(1, 5))
    assert info.value.field == "scale"


def test_huge_weights_are_normalised_without_overflow():
    forces = FiveForces([ForceRating(f, 5 if f is Force.RIVALRY else 1, 1e308) for f in Force])
    result = score_forces(forces, normalise=True)
    assert result.attractiveness == pytest.approx(0.8)
