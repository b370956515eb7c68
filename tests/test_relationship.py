"""Relationship scores: bounds, monotonicity, order, empty accounts, decay, the criteria."""

from __future__ import annotations

import datetime as dt
import math

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from bigaccount import Account, Deal, Money, Segment
from bigaccount.errors import InvalidData
from bigaccount.people import (
    Attitude,
    BuyingCenter,
    BuyingRole,
    Function,
    Level,
    PersonalProfile,
    Rung,
    Stakeholder,
    redacted,
)
from bigaccount.people_criteria import (
    DEFAULT_THRESHOLDS,
    RelationshipThresholds,
    fishnet_complete,
    mid_low_relations,
    relationship_criteria,
    top_decider_favours,
    top_relation,
)
from bigaccount.scoring.relationship import (
    DecayPolicy,
    Depth,
    LevelWeights,
    RelationshipScores,
    account_depth,
    coverage,
    decision_support,
    depth_of,
    freshness,
    function_depth,
    level_depth,
    person_depth,
    relationship_scores,
)
from test_people import AS_OF, centers

policies = st.builds(
    DecayPolicy,
    st.integers(0, 400),
    st.floats(1, 400, allow_nan=False),
    st.floats(0, 1, allow_nan=False),
)
as_ofs = st.none() | st.dates(min_value=dt.date(2024, 1, 1), max_value=dt.date(2027, 12, 31))
weights = st.builds(LevelWeights, st.floats(0, 10), st.floats(0, 10), st.floats(0, 10))


def values(s: RelationshipScores) -> list[float]:
    """Every number of a score set that must lie in [0, 1]."""
    found = [s.account.value, s.coverage.value, s.support.share, s.support.opposed]
    found += [d.value for _, d in s.levels] + [d.value for _, d in s.functions]
    found += [c.best for c in s.coverage.cells]
    return found


def P(id: str, level: str, function: str, role: str = "influencer", **kw: object) -> Stakeholder:
    return Stakeholder(id, id.upper(), level, function, role, **kw)  # type: ignore[arg-type]


# -- properties ------------------------------------------------------------------------


@given(centers(), as_ofs, policies, weights)
def test_every_score_is_between_0_and_1(
    center: BuyingCenter, as_of: dt.date | None, decay: DecayPolicy, w: LevelWeights
) -> None:
    scores = relationship_scores(center, as_of, decay, w)
    for value in values(scores):
        assert 0.0 <= value <= 1.0
    for p in center:
        assert 0.0 <= person_depth(p, as_of, decay) <= 1.0
        assert 0.0 <= freshness(p, as_of, decay) <= 1.0


@given(centers(), as_ofs, policies, weights, st.data())
def test_raising_one_persons_rung_never_lowers_any_score(
    center: BuyingCenter,
    as_of: dt.date | None,
    decay: DecayPolicy,
    w: LevelWeights,
    data: st.DataObject,
) -> None:
    if not len(center):
        return
    who = data.draw(st.sampled_from([p.id for p in center]))
    old = center.get(who).rung
    new = data.draw(st.sampled_from([r for r in Rung if r.step >= old.step]))
    raised = center.updated(who, rung=new)
    before = relationship_scores(center, as_of, decay, w)
    after = relationship_scores(raised, as_of, decay, w)
    assert after.account.value >= before.account.value
    for (_, b), (_, a) in zip(before.levels, after.levels, strict=True):
        assert a.value >= b.value
    for (_, b), (_, a) in zip(before.functions, after.functions, strict=True):
        assert a.value >= b.value
    assert after.coverage.value >= before.coverage.value
    assert after.coverage.related >= before.coverage.related
    assert len(after.coverage.gaps) <= len(before.coverage.gaps)
    for cb, ca in zip(before.coverage.cells, after.coverage.cells, strict=True):
        assert ca.best >= cb.best
        assert ca.related >= cb.related
    assert after.support == before.support
    thresholds = RelationshipThresholds(decay=decay, weights=w)
    for criterion in relationship_criteria(thresholds, as_of=as_of):
        if criterion.holds(deal(center)):
            assert criterion.holds(deal(raised)), criterion.id


@given(centers(), as_ofs, policies, st.data())
def test_the_order_of_stakeholders_never_matters(
    center: BuyingCenter, as_of: dt.date | None, decay: DecayPolicy, data: st.DataObject
) -> None:
    shuffled = BuyingCenter(data.draw(st.permutations(center.stakeholders)), center.influences)
    assert relationship_scores(shuffled, as_of, decay) == relationship_scores(center, as_of, decay)
    for criterion in relationship_criteria(as_of=as_of):
        assert criterion.holds(deal(shuffled)) == criterion.holds(deal(center))


@given(centers(), as_ofs)
def test_personal_data_never_changes_a_score(center: BuyingCenter, as_of: dt.date | None) -> None:
    assert relationship_scores(redacted(center), as_of) == relationship_scores(center, as_of)
    private = BuyingCenter(
        tuple(attrs.evolve(p, profile=PersonalProfile(hometown="x")) for p in center),
        center.influences,
    )
    assert relationship_scores(private, as_of) == relationship_scores(center, as_of)


@given(as_ofs, policies)
def test_an_empty_account_scores_zero_with_a_no_data_flag(
    as_of: dt.date | None, decay: DecayPolicy
) -> None:
    scores = relationship_scores(BuyingCenter(), as_of, decay)
    assert scores.no_data
    assert scores.account == Depth(0.0, 0, 0.0, True)
    assert all(d.no_data and d.value == 0.0 for _, d in (*scores.levels, *scores.functions))
    assert scores.coverage.no_data
    assert scores.coverage.value == 0.0
    assert len(scores.coverage.gaps) == 9
    assert all(g.people == 0 for g in scores.coverage.gaps)
    assert scores.support.no_data
    assert not scores.support.favours()
    for criterion in relationship_criteria(as_of=as_of):
        assert not criterion.holds(deal(BuyingCenter()))


def test_people_of_zero_influence_carry_no_weight() -> None:
    center = BuyingCenter((P("a", "decision", "finance", "decision_maker", influence=0),))
    assert account_depth(center).no_data
    assert decision_support(center).no_data
    assert account_depth(center).people == 1


@given(centers(), st.dates(min_value=dt.date(2024, 1, 1), max_value=dt.date(2027, 1, 1)))
def test_time_without_contact_never_raises_a_score(center: BuyingCenter, day: dt.date) -> None:
    later = day + dt.timedelta(days=100)
    assert account_depth(center, later).value <= account_depth(center, day).value
    assert coverage(center, later).value <= coverage(center, day).value


# -- formulas --------------------------------------------------------------------------


def account() -> BuyingCenter:
    return BuyingCenter(
        (
            P("ceo", "decision", "other", "decision_maker", rung="familiar", influence=5),
            P(
                "cfo",
                "decision",
                "finance",
                "decision_maker",
                rung="approving",
                influence=3,
                reports_to="ceo",
            ),
            P("cio", "management", "technical", rung="trusting", reports_to="ceo"),
            P("eng", "operational", "technical", "user", rung="friends", reports_to="cio"),
            P("ops", "operational", "user", "user", rung="acquainted", reports_to="cio"),
        )
    )


def test_group_depth_is_the_influence_and_level_weighted_mean() -> None:
    center = account()
    expected = (3 * 5 * 2 / 6 + 3 * 3 * 3 / 6 + 2 * 4 / 6 + 5 / 6 + 1 / 6) / (15 + 9 + 2 + 1 + 1)
    got = account_depth(center)
    assert math.isclose(got.value, expected)
    assert (got.people, got.weight, got.no_data) == (5, 28.0, False)
    decision = level_depth(center, Level.DECISION)
    assert math.isclose(decision.value, (5 * 2 / 6 + 3 * 3 / 6) / 8)
    assert level_depth(center, "operational").value == pytest.approx(0.5)
    technical = function_depth(center, "technical")
    assert math.isclose(technical.value, (2 * 4 / 6 + 5 / 6) / 3)
    assert function_depth(center, Function.PROCUREMENT).no_data
    assert depth_of([]).no_data


def test_level_weights_can_be_changed() -> None:
    center = account()
    flat = account_depth(center, weights=LevelWeights(1, 1, 1))
    assert math.isclose(flat.value, (5 * 2 / 6 + 3 * 3 / 6 + 4 / 6 + 5 / 6 + 1 / 6) / 11)


def test_coverage_names_the_gaps() -> None:
    cov = coverage(account())
    assert cov.people == 5
    assert cov.related == 5
    # ceo is in "other", outside the default grid
    assert [(c.level, c.function) for c in cov.cells if c.covered] == [
        (Level.DECISION, Function.FINANCE),
        (Level.MANAGEMENT, Function.TECHNICAL),
        (Level.OPERATIONAL, Function.USER),
        (Level.OPERATIONAL, Function.TECHNICAL),
    ]
    assert cov.value == pytest.approx(4 / 9)
    assert cov.covered == 4
    assert cov.levels == (Level.DECISION, Level.MANAGEMENT, Level.OPERATIONAL)
    assert cov.functions == (Function.FINANCE, Function.TECHNICAL, Function.USER)
    texts = [g.label.en for g in cov.gaps]
    assert "no relationship at decision level in user (nobody known there)" in texts
    assert "no relationship at management level in finance (nobody known there)" in texts
    assert len(texts) == 5


def test_coverage_counts_only_relationships_at_or_above_the_rung_and_grid_can_grow() -> None:
    cov = coverage(account(), min_rung="approving")
    assert cov.related == 3
    gap = next(g for g in cov.gaps if g.level is Level.OPERATIONAL and g.function is Function.USER)
    assert gap.people == 1
    assert str(gap) == "no relationship at operational level in user"
    wide = coverage(account(), functions=("user", "technical", "finance", "other"))
    assert len(wide.cells) == 12
    assert wide.covered == 5


@pytest.mark.parametrize(
    ("attitudes", "top", "favours"),
    [
        (("supporter", "neutral", "neutral"), True, True),
        (("neutral", "supporter", "supporter"), False, True),  # 6/11 > 0.5
        (("neutral", "supporter", "opponent"), False, False),
        (("opponent", "supporter", "supporter"), False, True),
    ],
)
def test_decision_support(attitudes: tuple[str, str, str], top: bool, favours: bool) -> None:
    center = BuyingCenter(
        (
            *(
                P(pid, "decision", "other", "decision_maker", attitude=att, influence=w)
                for pid, att, w in zip(("ceo", "cfo", "coo"), attitudes, (5, 3, 3), strict=True)
            ),
            P("cio", "management", "technical", attitude="opponent", influence=50),
        )
    )
    s = decision_support(center)
    assert s.top == ("ceo",)
    assert s.group == 3
    assert s.top_favours is top
    assert s.favours() is favours
    assert math.isclose(
        s.share, sum(w for a, w in zip(attitudes, (5, 3, 3), strict=True) if a == "supporter") / 11
    )


def test_tied_top_decision_makers_must_all_favour_us() -> None:
    center = BuyingCenter(
        (
            P("a", "decision", "other", "decision_maker", attitude="supporter", influence=4),
            P("b", "decision", "other", "decision_maker", attitude="neutral", influence=4),
        )
    )
    s = decision_support(center)
    assert s.top == ("a", "b")
    assert not s.top_favours
    assert not s.favours()
    assert s.favours(majority=0.4)


# -- decay -----------------------------------------------------------------------------


def test_stale_relationships_count_for_less() -> None:
    p = P("a", "decision", "finance", rung="partners", last_contact=dt.date(2026, 1, 1))
    policy = DecayPolicy(grace_days=30, half_life_days=30)
    assert person_depth(p) == 1.0
    assert person_depth(p, dt.date(2026, 1, 31), policy) == 1.0
    assert person_depth(p, dt.date(2026, 3, 2), policy) == 0.5
    assert person_depth(p, dt.date(2026, 4, 1), policy) == 0.25
    assert person_depth(p, dt.date(2025, 12, 1), policy) == 1.0  # contact after as_of
    undated = attrs.evolve(p, last_contact=None)
    assert person_depth(undated, AS_OF) == 0.5
    assert person_depth(undated, AS_OF, DecayPolicy(undated=0)) == 0.0
    aware = dt.datetime(2026, 4, 1, 9, tzinfo=dt.timezone.utc)
    assert person_depth(p, aware, policy) == 0.25


def test_a_stale_relation_stops_covering_its_cell_and_propping_up_p4() -> None:
    center = BuyingCenter(
        (
            P(
                "ceo",
                "decision",
                "finance",
                "decision_maker",
                rung="partners",
                last_contact=dt.date(2025, 1, 1),
            ),
        )
    )
    assert coverage(center).covered == 1
    assert coverage(center, AS_OF).covered == 0
    assert top_relation().holds(deal(center))
    assert not top_relation(as_of=AS_OF).holds(deal(center))


@pytest.mark.parametrize(
    ("build", "field"),
    [
        (lambda: DecayPolicy(grace_days=-1), "grace_days"),
        (lambda: DecayPolicy(grace_days=1.5), "grace_days"),
        (lambda: DecayPolicy(half_life_days=0), "half_life_days"),
        (lambda: DecayPolicy(undated=1.5), "undated"),
        (lambda: LevelWeights(decision=-3), "decision"),
        (lambda: LevelWeights(operational=float("nan")), "operational"),
        (lambda: level_depth(account(), "ceo"), "level"),
        (lambda: function_depth(account(), "marketing"), "function"),
        (lambda: coverage(account(), functions=()), "functions"),
        (lambda: coverage(account(), min_rung="married"), "min_rung"),
        (lambda: account_depth(account(), dt.datetime(2026, 1, 1)), "as_of"),
        (lambda: account_depth(account(), "2026-01-01"), "as_of"),
        (lambda: RelationshipThresholds(top="best"), "top"),
        (lambda: RelationshipThresholds(majority=1), "majority"),
        (lambda: top_relation(as_of=dt.datetime(2026, 1, 1)), "as_of"),
        (lambda: top_relation(thresholds=0.5), "thresholds"),
    ],
)
def test_invalid_configuration_is_a_clear_error(build: object, field: str) -> None:
    with pytest.raises(InvalidData) as caught:
        build()  # type: ignore[operator]
    assert caught.value.field == field


# -- the criteria ----------------------------------------------------------------------


def deal(center: BuyingCenter | None = None, **facts: bool) -> Deal:
    return Deal(
        "D", Account("Acme", Segment.ENTERPRISE), Money("1", "CNY"), facts=facts, people=center
    )


def test_criteria_have_the_agreed_ids_and_bilingual_labels() -> None:
    crits = relationship_criteria()
    assert [c.id for c in crits] == [
        "p3_mid_low_relations",
        "p4_top_relation",
        "p4_fishnet_complete",
        "top_decider_favours",
    ]
    for c in crits:
        assert c.label.zh
        assert c.label.en
    assert (
        repr(top_relation(as_of=AS_OF).test) == "relationship('p4_top_relation', as_of=2026-06-30)"
    )


@pytest.mark.parametrize(
    "make", [mid_low_relations, top_relation, fishnet_complete, top_decider_favours]
)
def test_without_people_a_criterion_reads_the_plain_fact_of_its_id(make: object) -> None:
    criterion = make()  # type: ignore[operator]
    assert not criterion.holds(deal())
    assert criterion.holds(deal(**{criterion.id: True}))
    assert not criterion.holds(deal(**{criterion.id: False}))
    # once people are mapped, the scores decide, not the fact
    assert not criterion.holds(deal(BuyingCenter(), **{criterion.id: True}))


def test_p3_needs_both_middle_and_lower_levels_at_the_threshold() -> None:
    center = account()  # management: trusting; operational: (friends + acquainted)/2 = 0.5
    assert mid_low_relations().holds(deal(center))
    weaker = center.updated("eng", rung="familiar")
    assert not mid_low_relations().holds(deal(weaker))
    lenient = RelationshipThresholds(mid_low="acquainted")
    assert mid_low_relations(lenient).holds(deal(weaker))
    no_ops = BuyingCenter(
        tuple(p for p in center if p.level is not Level.OPERATIONAL and p.id != "eng")
    )
    assert not mid_low_relations(lenient).holds(deal(no_ops))


def test_p4_top_relation_reads_the_decision_level() -> None:
    center = account()  # decision: (5·2/6 + 3·3/6)/8 ≈ 0.40
    assert not top_relation().holds(deal(center))
    assert top_relation(RelationshipThresholds(top="familiar")).holds(deal(center))
    trusted = center.updated("ceo", rung="friends").updated("cfo", rung="trusting")
    assert top_relation().holds(deal(trusted))


def test_p4_fishnet_complete() -> None:
    center = account()
    assert fishnet_complete().holds(deal(center))
    assert not fishnet_complete().holds(deal(center.updated("ops", rung="unknown")))


def test_funnel_criterion_top_decider_or_weighted_majority() -> None:
    center = account()
    assert not top_decider_favours().holds(deal(center))
    cfo_only = center.updated("cfo", attitude=Attitude.SUPPORTER)
    assert not top_decider_favours().holds(deal(cfo_only))  # 3/8
    assert top_decider_favours(RelationshipThresholds(majority=0.3)).holds(deal(cfo_only))
    assert top_decider_favours().holds(deal(center.updated("ceo", attitude="supporter")))


def test_criteria_work_in_a_gate() -> None:
    from bigaccount import any_of

    gate = any_of(*relationship_criteria())
    report = gate.evaluate(deal(account()))
    assert [c.id for c in report.held] == ["p3_mid_low_relations", "p4_fishnet_complete"]
    assert RelationshipThresholds() == DEFAULT_THRESHOLDS
    assert BuyingRole.DECISION_MAKER.label.en == "decision-maker"


def test_wrong_inputs_are_invalid_data_naming_the_argument() -> None:
    center = BuyingCenter()
    with pytest.raises(InvalidData) as caught:
        account_depth(None)  # type: ignore[arg-type]
    assert caught.value.field == "center"
    with pytest.raises(InvalidData) as caught:
        level_depth(center, "top")
    assert caught.value.field == "level"
    with pytest.raises(InvalidData) as caught:
        function_depth(center, "legal")
    assert caught.value.field == "function"
    with pytest.raises(InvalidData) as caught:
        coverage(center, functions="user")
    assert caught.value.field == "functions"
    with pytest.raises(InvalidData) as caught:
        coverage(center, min_rung=3)  # type: ignore[arg-type]
    assert caught.value.field == "min_rung"
    with pytest.raises(InvalidData) as caught:
        freshness(None, AS_OF)  # type: ignore[arg-type]
    assert caught.value.field == "person"
    with pytest.raises(InvalidData) as caught:
        depth_of([None])  # type: ignore[list-item]
    assert caught.value.field == "people[0]"
    with pytest.raises(InvalidData) as caught:
        RelationshipThresholds(decay=None)  # type: ignore[arg-type]
    assert caught.value.field == "decay"
    with pytest.raises(InvalidData) as caught:
        RelationshipThresholds(top=["trusting"])  # type: ignore[arg-type]
    assert caught.value.field == "top"


def test_huge_influences_give_the_same_depth_as_ordinary_ones() -> None:
    from bigaccount.people import BuyingCenter, Stakeholder
    from bigaccount.scoring.relationship import account_depth

    def center(scale: float) -> BuyingCenter:
        return BuyingCenter(
            (
                Stakeholder(
                    "a",
                    "甲",
                    "decision",
                    "other",
                    "decision_maker",
                    rung="trusting",
                    influence=3 * scale,
                ),
                Stakeholder(
                    "b", "乙", "management", "user", "user", rung="acquainted", influence=1 * scale
                ),
            )
        )

    ordinary = account_depth(center(1.0)).value
    huge = account_depth(center(1e307)).value
    assert huge == pytest.approx(ordinary)
    assert 0.0 < huge < 1.0
