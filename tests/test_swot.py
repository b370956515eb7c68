"""SWOT / TOWS scoring: formulas, rule violations, normalisation and properties."""

from __future__ import annotations

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from bigaccount import InvalidData
from bigaccount.io import dumps, loads
from bigaccount.scoring.swot import (
    Posture,
    Quadrant,
    RatingScale,
    Side,
    Swot,
    SwotFactor,
    SwotResult,
    TowsLink,
    score_swot,
)

S, W, OPP, T = Quadrant
DEFAULT_SCALE = RatingScale()


def _swot(s=(0.6, 4), w=(0.4, 3), o=(0.7, 3), t=(0.3, 4), links=()):
    return Swot(
        (
            SwotFactor("s1", S, "references", *s),
            SwotFactor("w1", W, "no local team", *w),
            SwotFactor("o1", OPP, "budget approved", *o),
            SwotFactor("t1", T, "incumbent", *t),
        ),
        links=links,
    )


@st.composite
def swots(draw, scale=DEFAULT_SCALE):
    factors = []
    for side in ((S, W), (OPP, T)):
        counts = [draw(st.integers(1, 3)) for _ in side]
        raw = [draw(st.integers(1, 100)) for _ in range(sum(counts))]
        total = sum(raw)
        i = 0
        for quadrant, n in zip(side, counts, strict=False):
            for k in range(n):
                rating = draw(st.floats(scale.low, scale.high))
                factors.append(
                    SwotFactor(f"{quadrant.value}{k}", quadrant, "f", raw[i] / total, rating)
                )
                i += 1
    internal = [f for f in factors if f.quadrant.side is Side.INTERNAL]
    external = [f for f in factors if f.quadrant.side is Side.EXTERNAL]
    pairs = draw(
        st.lists(st.tuples(st.sampled_from(internal), st.sampled_from(external)), max_size=4)
    )
    links = tuple(TowsLink(a.id, b.id, f"{a.id}+{b.id}") for a, b in pairs)
    return Swot(tuple(factors), links, scale)


# -- formulas and labels ---------------------------------------------------------------


def test_scores_follow_the_formulas():
    result = score_swot(_swot())
    assert result.strengths == pytest.approx(2.4)
    assert result.weaknesses == pytest.approx(1.2)
    assert result.opportunities == pytest.approx(2.1)
    assert result.threats == pytest.approx(1.2)
    assert result.internal == pytest.approx(1.2)
    assert result.external == pytest.approx(0.9)
    assert result.posture is Posture.SO
    assert not result.normalised
    assert [f.id for f in result.key_factors(2)] == ["s1", "o1"]
    assert [f.id for f in result.key_factors(quadrant=T)] == ["t1"]


@pytest.mark.parametrize(
    ("s", "w", "o", "t", "posture"),
    [
        ((1, 4), (1, 1), (1, 4), (1, 1), Posture.SO),
        ((1, 1), (1, 4), (1, 4), (1, 1), Posture.WO),
        ((1, 4), (1, 1), (1, 1), (1, 4), Posture.ST),
        ((1, 1), (1, 4), (1, 1), (1, 4), Posture.WT),
    ],
)
def test_each_posture_is_reached(s, w, o, t, posture):
    swot = Swot(
        (
            SwotFactor("s", S, "s", 0.5, s[1]),
            SwotFactor("w", W, "w", 0.5, w[1]),
            SwotFactor("o", OPP, "o", 0.5, o[1]),
            SwotFactor("t", T, "t", 0.5, t[1]),
        )
    )
    result = score_swot(swot)
    assert result.posture is posture
    assert result.posture.internal.side is Side.INTERNAL
    assert Posture.of(posture.internal, posture.external) is posture


def test_every_posture_and_quadrant_has_both_labels():
    for member in (*Posture, *Quadrant, *Side):
        assert member.label.zh
        assert member.label.en
    for posture in Posture:
        assert posture.meaning.zh
        assert posture.meaning.en
    assert Posture.SO.label.en == "SO aggressive"
    assert Posture.WO.label.en == "WO turnaround"
    assert Posture.ST.label.en == "ST diversify"
    assert Posture.WT.label.en == "WT defend"
    assert Quadrant.THREAT.label.zh == "风险"


def test_tows_matrix_groups_links_by_cell():
    links = (
        TowsLink("s1", "o1", "use references"),
        TowsLink("w1", "o1", "partner for service"),
        TowsLink("s1", "t1", "show switching cost"),
        TowsLink("w1", "t1", "avoid a price war"),
    )
    result = score_swot(_swot(links=links))
    assert [e.strategy for e in result.tows.so] == ["use references"]
    assert [e.strategy for e in result.tows.wo] == ["partner for service"]
    assert [e.strategy for e in result.tows.st] == ["show switching cost"]
    assert [e.strategy for e in result.tows.wt] == ["avoid a price war"]
    assert result.strategies == result.tows.so
    so = result.tows.so[0]
    assert so.priority == pytest.approx(2.4 * 2.1 / 16)


# -- rule violations -----------------------------------------------------------------


def test_weights_off_one_are_refused_naming_the_factors():
    with pytest.raises(InvalidData) as info:
        score_swot(_swot(s=(0.9, 4)))
    assert info.value.field == "weights.internal"
    assert "s1=0.9" in info.value.problem
    assert "w1=0.4" in info.value.problem


def test_rating_off_the_scale_is_refused_naming_the_factor():
    with pytest.raises(InvalidData) as info:
        score_swot(_swot(t=(0.3, 5)))
    assert info.value.field == "factors['t1'].rating"


def test_empty_required_quadrant_is_refused():
    swot = Swot((SwotFactor("s", S, "s", 1, 3), SwotFactor("o", OPP, "o", 1, 3)))
    with pytest.raises(InvalidData) as info:
        score_swot(swot)
    assert info.value.field == "factors.weakness"
    result = score_swot(swot, required=[S, OPP])
    assert result.weaknesses == 0.0
    with pytest.raises(InvalidData):
        score_swot(swot, normalise=True)


def test_structure_is_checked_when_built():
    with pytest.raises(InvalidData, match="used twice"):
        Swot((SwotFactor("a", S, "s", 1, 3), SwotFactor("a", OPP, "o", 1, 3)))
    with pytest.raises(InvalidData, match="no factor"):
        _swot(links=(TowsLink("s1", "nope"),))
    with pytest.raises(InvalidData, match="not an internal"):
        _swot(links=(TowsLink("o1", "t1"),))
    with pytest.raises(InvalidData) as info:
        SwotFactor("x", S, "s", -0.1, 3)
    assert info.value.field == "factors['x'].weight"
    with pytest.raises(InvalidData):
        SwotFactor("x", S, "s", 0.5, float("nan"))
    with pytest.raises(InvalidData, match="bogus") as info:
        SwotFactor("x", "bogus", "s", 0.5, 3)
    assert info.value.field == "factor.quadrant"
    with pytest.raises(InvalidData):
        RatingScale(4, 1)


def test_normalise_rescales_and_clips_and_says_so():
    swot = _swot(s=(3, 4), w=(1, 9), o=(0.7, 3), t=(0.3, 4))
    before = attrs.evolve(swot)
    result = score_swot(swot, normalise=True)
    assert result.normalised
    changed = {(a.factor, a.field): (a.given, a.used) for a in result.adjustments}
    assert changed[("s1", "weight")] == (3.0, 0.75)
    assert changed[("w1", "weight")] == (1.0, 0.25)
    assert changed[("w1", "rating")] == (9.0, 4.0)
    assert ("o1", "weight") not in changed
    assert result.internal == pytest.approx(0.75 * 4 - 0.25 * 4)
    assert swot == before


def test_tolerance_is_a_parameter():
    swot = _swot(s=(0.6005, 4))
    assert not score_swot(swot).normalised
    with pytest.raises(InvalidData):
        score_swot(swot, tolerance=1e-6)


# -- properties ----------------------------------------------------------------------


@given(swots())
def test_scores_lie_in_their_declared_ranges(swot):
    result = score_swot(swot)
    high = swot.scale.high
    for total in (result.strengths, result.weaknesses, result.opportunities, result.threats):
        assert 0.0 <= total <= high
    assert -high <= result.internal <= high
    assert -high <= result.external <= high
    assert all(0.0 <= e.priority <= 1.0 for p in Posture for e in result.tows.cell(p))
    assert sum(len(result.tows.cell(p)) for p in Posture) == len(swot.links)


@given(swots(), st.data())
def test_a_higher_strength_rating_never_lowers_the_internal_score(swot, data):
    strengths = swot.quadrant(S)
    target = data.draw(st.sampled_from(strengths))
    higher = data.draw(st.floats(target.rating, swot.scale.high))
    raised = attrs.evolve(
        swot,
        factors=tuple(attrs.evolve(f, rating=higher) if f is target else f for f in swot.factors),
    )
    assert score_swot(raised).internal >= score_swot(swot).internal


@given(swots(), st.data())
def test_a_higher_weakness_or_threat_rating_never_raises_the_score(swot, data):
    target = data.draw(st.sampled_from(swot.quadrant(W) + swot.quadrant(T)))
    higher = data.draw(st.floats(target.rating, swot.scale.high))
    raised = attrs.evolve(
        swot,
        factors=tuple(attrs.evolve(f, rating=higher) if f is target else f for f in swot.factors),
    )
    before, after = score_swot(swot), score_swot(raised)
    if target.quadrant is W:
        assert after.internal <= before.internal
    else:
        assert after.external <= before.external


@given(swots(), st.randoms(use_true_random=False))
def test_the_order_of_factors_and_links_does_not_matter(swot, rnd):
    factors, links = list(swot.factors), list(swot.links)
    rnd.shuffle(factors)
    rnd.shuffle(links)
    shuffled = Swot(tuple(factors), tuple(links), swot.scale)
    assert score_swot(shuffled) == score_swot(swot)


@given(swots())
def test_normalising_valid_input_changes_nothing(swot):
    assert score_swot(swot, normalise=True) == score_swot(swot)


@given(swots())
def test_values_round_trip_through_json(swot):
    assert loads(dumps(swot), Swot) == swot
    result = score_swot(swot)
    assert loads(dumps(result), SwotResult) == result


# -- validation of every input -------------------------------------------------------


def test_an_unknown_quadrant_is_invalid_data_naming_the_field():
    with pytest.raises(InvalidData, match="strength, weakness") as info:
        SwotFactor("s1", "strong", "references", 0.6, 4)
    assert info.value.field == "factor.quadrant"
    with pytest.raises(InvalidData) as info:
        score_swot(_swot(), required=["strong"])
    assert info.value.field == "required"
    with pytest.raises(InvalidData) as info:
        _swot().quadrant("strong")
    assert info.value.field == "quadrant"


@pytest.mark.parametrize(
    ("low", "high", "field"),
    [
        ("abc", 4, "scale.low"),
        (None, 4, "scale.low"),
        (True, 4, "scale.low"),
        (1, False, "scale.high"),
        (1, float("inf"), "scale.high"),
    ],
)
def test_a_scale_bound_must_be_a_number(low, high, field):
    with pytest.raises(InvalidData) as info:
        RatingScale(low, high)
    assert info.value.field == field


def test_a_negative_rating_is_refused_when_built():
    with pytest.raises(InvalidData) as info:
        SwotFactor("s1", S, "references", 0.6, -1)
    assert info.value.field == "factors['s1'].rating"
    # a rating above the scale is the scorer's business: it knows the scale
    assert SwotFactor("s1", S, "references", 0.6, 7).rating == 7.0


@pytest.mark.parametrize("tolerance", [-0.1, float("nan"), "0.1", None, True])
def test_the_tolerance_must_be_a_number_at_least_zero(tolerance):
    with pytest.raises(InvalidData) as info:
        score_swot(_swot(), tolerance=tolerance)
    assert info.value.field == "tolerance"


def test_text_and_containers_are_checked():
    with pytest.raises(InvalidData) as info:
        SwotFactor("s1", S, "", 0.6, 4)
    assert info.value.field == "factors['s1'].name"
    with pytest.raises(InvalidData) as info:
        TowsLink("s1", None)
    assert info.value.field == "link.external"
    with pytest.raises(InvalidData) as info:
        Swot(None)
    assert info.value.field == "factors"
    with pytest.raises(InvalidData) as info:
        Swot([SwotFactor("s1", S, "references", 1, 4), "w1"])
    assert info.value.field == "factors[1]"
    with pytest.raises(InvalidData) as info:
        Swot([SwotFactor("s1", S, "references", 1, 4)], scale=(1, 5))
    assert info.value.field == "scale"


def test_a_higher_weight_can_lower_the_score_once_rescaled():
    # the documented limit of monotonicity: weights are shares of their side
    low = Swot(
        (
            SwotFactor("s1", S, "weak point", 0.5, 1),
            SwotFactor("s2", S, "strong point", 0.5, 4),
            SwotFactor("t1", T, "rival", 1, 1),
        )
    )
    raised = attrs.evolve(low, factors=(attrs.evolve(low.factors[0], weight=0.9), *low.factors[1:]))
    required = [S, T]
    before = score_swot(low, required=required).internal
    after = score_swot(raised, normalise=True, required=required).internal
    assert after < before


def test_huge_weights_are_normalised_without_overflow():
    swot = Swot(
        (
            SwotFactor("s1", S, "a", 1e308, 4),
            SwotFactor("w1", W, "b", 1e308, 2),
            SwotFactor("o1", OPP, "c", 1, 3),
        )
    )
    result = score_swot(swot, normalise=True, required=[S, OPP])
    assert result.internal == pytest.approx(1.0)
    with pytest.raises(InvalidData) as info:
        score_swot(swot, required=[S, OPP])
    assert info.value.field == "weights.internal"
