"""Relationship scores: bounds, monotonicity, order, empty accounts, decay, the criteria."""

from __future__ import annotations

import datetime as dt
import math

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from bigaccount import Account, Context, Criterion, Deal, Money, Segment, Snapshot
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
    FISHNET_COMPLETE,
    MID_LOW_RELATIONS,
    RELATIONSHIP_CRITERIA,
    TOP_DECIDER_FAVOURS,
    TOP_RELATION,
    RelationshipThresholds,
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
    judged = Context(as_of=as_of, settings=[RelationshipThresholds(decay=decay, weights=w)])
    for criterion in RELATIONSHIP_CRITERIA:
        if criterion.holds(deal(center), judged):
            assert criterion.holds(deal(raised), judged), criterion.id


@given(centers(), as_ofs, policies, st.data())
def test_the_order_of_stakeholders_never_matters(
    center: BuyingCenter, as_of: dt.date | None, decay: DecayPolicy, data: st.DataObject
) -> None:
    shuffled = BuyingCenter(data.draw(st.permutations(center.stakeholders)), center.influences)
    assert relationship_scores(shuffled, as_of, decay) == relationship_scores(center, as_of, decay)
    judged = Context(as_of=as_of)
    for criterion in RELATIONSHIP_CRITERIA:
        assert criterion.holds(deal(shuffled), judged) == criterion.holds(deal(center), judged)


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
    for criterion in RELATIONSHIP_CRITERIA:
        assert not criterion.holds(deal(BuyingCenter()), Context(as_of=as_of))


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


DECIDERS = ("ceo", "cfo", "coo")


@pytest.mark.parametrize(
    ("attitudes", "supporters", "favours"),
    [
        (("supporter", "neutral", "neutral"), 1, True),
        (("supporter", "opponent", "opponent"), 1, True),  # the top person decides
        (("neutral", "supporter", "supporter"), 0, False),  # 6/11 of the weight is not a vote
        (("neutral", "supporter", "opponent"), 0, False),
        (("opponent", "supporter", "supporter"), 0, False),
    ],
)
def test_decision_support_follows_the_top_decision_maker(
    attitudes: tuple[str, str, str], supporters: int, favours: bool
) -> None:
    center = BuyingCenter(
        (
            *(
                P(pid, "decision", "other", "decision_maker", attitude=att, influence=w)
                for pid, att, w in zip(DECIDERS, attitudes, (5, 3, 3), strict=True)
            ),
            P("cio", "management", "technical", attitude="opponent", influence=50),
        )
    )
    s = decision_support(center)
    assert s.top == ("ceo",)
    assert s.group == 3
    assert s.top_supporters == supporters
    assert s.top_favours is favours
    assert s.favours() is favours
    assert math.isclose(
        s.share, sum(w for a, w in zip(attitudes, (5, 3, 3), strict=True) if a == "supporter") / 11
    )
    assert math.isclose(
        s.opposed, sum(w for a, w in zip(attitudes, (5, 3, 3), strict=True) if a == "opponent") / 11
    )


def test_tied_top_decision_makers_vote_by_head_count() -> None:
    def center(*attitudes: str) -> BuyingCenter:
        people = [
            P(f"d{i}", "decision", "other", "decision_maker", attitude=a, influence=4)
            for i, a in enumerate(attitudes)
        ]
        low = P("low", "decision", "other", "decision_maker", attitude="supporter", influence=1)
        return BuyingCenter((*people, low))

    half = decision_support(center("supporter", "neutral"))
    assert half.top == ("d0", "d1")
    assert (half.top_supporters, half.favours()) == (1, False)  # one of two is no majority
    two_of_three = decision_support(center("supporter", "opponent", "supporter"))
    assert (two_of_three.top_supporters, two_of_three.favours()) == (2, True)
    two_of_four = decision_support(center("supporter", "supporter", "neutral", "opponent"))
    assert not two_of_four.favours()
    assert two_of_four.share == pytest.approx((4 + 4 + 1) / 17)  # the low one counts here only


attitude_lists = st.lists(st.sampled_from(Attitude), min_size=1, max_size=9)
others = st.lists(
    st.tuples(
        st.sampled_from(["influencer", "user", "gatekeeper", "coach"]), st.sampled_from(Attitude)
    ),
    max_size=4,
)


def decision_group(
    attitudes: list[Attitude], weights: list[float], noise: list[tuple[str, Attitude]]
) -> BuyingCenter:
    people = [
        P(f"d{i}", "decision", "other", "decision_maker", attitude=a, influence=w)
        for i, (a, w) in enumerate(zip(attitudes, weights, strict=True))
    ]
    people += [
        P(f"o{i}", "management", "user", role, attitude=a, influence=100)
        for i, (role, a) in enumerate(noise)
    ]
    return BuyingCenter(tuple(people))


@given(attitude_lists, st.floats(0.001, 1e6), others)
def test_with_equal_weights_the_decision_is_a_head_count_majority(
    attitudes: list[Attitude], weight: float, noise: list[tuple[str, Attitude]]
) -> None:
    s = decision_support(decision_group(attitudes, [weight] * len(attitudes), noise))
    supporters = attitudes.count(Attitude.SUPPORTER)
    assert s.favours() == (supporters > len(attitudes) - supporters)
    assert len(s.top) == len(attitudes)


@given(attitude_lists, st.data(), others)
def test_with_one_top_person_the_decision_is_that_persons_attitude(
    attitudes: list[Attitude], data: st.DataObject, noise: list[tuple[str, Attitude]]
) -> None:
    weights = data.draw(
        st.lists(st.floats(0, 100), min_size=len(attitudes), max_size=len(attitudes))
    )
    top = data.draw(st.integers(0, len(attitudes) - 1))
    weights[top] = max(weights) + 1
    s = decision_support(decision_group(attitudes, weights, noise))
    assert s.top == (f"d{top}",)
    assert s.favours() == (attitudes[top] is Attitude.SUPPORTER)


@given(centers())
def test_favours_is_a_strict_majority_of_the_heaviest_decision_makers(
    center: BuyingCenter,
) -> None:
    group = [p for p in center if p.role is BuyingRole.DECISION_MAKER]
    if not group or max(p.influence for p in group) == 0:
        assert not decision_support(center).favours()
        return
    heaviest = max(p.influence for p in group)
    votes = [p.attitude is Attitude.SUPPORTER for p in group if p.influence == heaviest]
    assert decision_support(center).favours() == (sum(votes) * 2 > len(votes))


def test_huge_decision_weights_keep_their_shares() -> None:
    center = BuyingCenter(
        (
            P("a", "decision", "other", "decision_maker", attitude="supporter", influence=1e308),
            P("b", "decision", "other", "decision_maker", attitude="opponent", influence=1e308),
        )
    )
    s = decision_support(center)
    assert (s.share, s.opposed, s.top, s.favours()) == (0.5, 0.5, ("a", "b"), False)


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
    assert TOP_RELATION.holds(deal(center))  # no as-of moment: no decay
    assert not TOP_RELATION.holds(deal(center), Context(as_of=AS_OF))


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
        (lambda: RelationshipThresholds(mid_low=None), "mid_low"),
        (lambda: Context(as_of=dt.datetime(2026, 1, 1)), "as_of"),
        (lambda: Context(settings={RelationshipThresholds: 0.5}), "settings"),
        (lambda: TOP_RELATION.holds(Snapshot.of({}, people=["ceo"])), "people"),
    ],
)
def test_invalid_configuration_is_a_clear_error(build: object, field: str) -> None:
    with pytest.raises(InvalidData) as caught:
        build()  # type: ignore[operator]
    assert caught.value.field == field


# -- the criteria ----------------------------------------------------------------------


def deal(center: BuyingCenter | None = None, /, **facts: bool) -> Deal:
    """A deal with *center* mapped and *facts* recorded with their values (``False`` too)."""
    made = Deal("D", Account("Acme", Segment.ENTERPRISE), Money("1", "CNY"), people=center)
    for key, value in facts.items():
        made.record(key, value)
    return made


def test_criteria_have_the_agreed_ids_and_bilingual_labels() -> None:
    crits = RELATIONSHIP_CRITERIA
    assert crits[:4] == (MID_LOW_RELATIONS, TOP_RELATION, FISHNET_COMPLETE, TOP_DECIDER_FAVOURS)
    assert [c.id for c in crits] == [
        "p3_mid_low_relations",
        "p4_top_relation",
        "p4_fishnet_complete",
        "top_decider_favours",
        "p4_mid_level_and_map",
    ]
    for c in crits:
        assert c.label.zh
        assert c.label.en
    assert repr(TOP_RELATION.test) == "relationship('p4_top_relation')"


@pytest.mark.parametrize("criterion", RELATIONSHIP_CRITERIA, ids=lambda c: c.id)
def test_without_people_a_criterion_reads_the_plain_fact_of_its_id(criterion: Criterion) -> None:
    assert not criterion.holds(deal())
    assert criterion.holds(deal(**{criterion.id: True}))
    assert not criterion.holds(deal(**{criterion.id: False}))
    # once people are mapped, the scores decide, not the fact
    assert not criterion.holds(deal(BuyingCenter(), **{criterion.id: True}))


def test_p3_needs_both_middle_and_lower_levels_at_the_threshold() -> None:
    center = account()  # management: trusting; operational: (friends + acquainted)/2 = 0.5
    assert MID_LOW_RELATIONS.holds(deal(center))
    weaker = center.updated("eng", rung="familiar")
    assert not MID_LOW_RELATIONS.holds(deal(weaker))
    lenient = Context(settings=[RelationshipThresholds(mid_low="acquainted")])
    assert MID_LOW_RELATIONS.holds(deal(weaker), lenient)
    no_ops = BuyingCenter(
        tuple(p for p in center if p.level is not Level.OPERATIONAL and p.id != "eng")
    )
    assert not MID_LOW_RELATIONS.holds(deal(no_ops), lenient)


def test_p4_top_relation_reads_the_decision_level() -> None:
    center = account()  # decision: (5·2/6 + 3·3/6)/8 ≈ 0.40
    assert not TOP_RELATION.holds(deal(center))
    familiar = Context(settings=[RelationshipThresholds(top="familiar")])
    assert TOP_RELATION.holds(deal(center), familiar)
    trusted = center.updated("ceo", rung="friends").updated("cfo", rung="trusting")
    assert TOP_RELATION.holds(deal(trusted))


def test_p4_fishnet_complete() -> None:
    center = account()
    assert FISHNET_COMPLETE.holds(deal(center))
    assert not FISHNET_COMPLETE.holds(deal(center.updated("ops", rung="unknown")))


def test_funnel_criterion_top_decider_or_head_count_majority_of_the_heaviest() -> None:
    center = account()  # decision-makers: ceo (influence 5), cfo (3)
    assert not TOP_DECIDER_FAVOURS.holds(deal(center))
    cfo_only = center.updated("cfo", attitude=Attitude.SUPPORTER)
    assert not TOP_DECIDER_FAVOURS.holds(deal(cfo_only))  # 3/8 of the weight is not a vote
    assert TOP_DECIDER_FAVOURS.holds(deal(center.updated("ceo", attitude="supporter")))
    tied = cfo_only.updated("cfo", influence=5)  # ceo and cfo weigh the same: 1 of 2
    assert not TOP_DECIDER_FAVOURS.holds(deal(tied))
    assert TOP_DECIDER_FAVOURS.holds(deal(tied.updated("ceo", attitude="supporter")))


def test_criteria_work_in_a_gate() -> None:
    from bigaccount import any_of

    gate = any_of(*RELATIONSHIP_CRITERIA)
    report = gate.evaluate(deal(account()), Context())
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
        RelationshipThresholds(top=["trusting"])
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
