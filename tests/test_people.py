"""The buying-center model: stakeholders, the org chart, personal data.

The hypothesis strategies at the top (``stakeholders``, ``centers``) are shared with
test_relationship.py and test_fishnet.py.
"""

from __future__ import annotations

import datetime as dt
import logging

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from bigaccount import Account, Deal, Money, Segment
from bigaccount.errors import InvalidData
from bigaccount.people import (
    PERSONAL,
    Attitude,
    BuyingCenter,
    BuyingRole,
    Function,
    Influence,
    Level,
    PersonalProfile,
    Rung,
    Stakeholder,
    personal_fields,
    redacted,
)

# -- strategies ------------------------------------------------------------------------

AS_OF = dt.date(2026, 6, 30)

contact_dates = st.none() | st.dates(min_value=dt.date(2024, 1, 1), max_value=dt.date(2026, 12, 31))
influences = st.one_of(
    st.just(0.0), st.integers(0, 10).map(float), st.floats(0, 100, allow_nan=False)
)
profiles = st.none() | st.builds(
    PersonalProfile,
    hometown=st.none() | st.sampled_from(["苏州", "成都"]),
    pets=st.lists(st.sampled_from(["cat", "dog"]), max_size=2).map(tuple),
    itinerary=st.lists(st.just("上海 5/12"), max_size=1).map(tuple),
)


@st.composite
def stakeholders(draw: st.DrawFn, id: str | None = None) -> Stakeholder:
    """A stakeholder with every field drawn (no reporting line)."""
    return Stakeholder(
        id if id is not None else draw(st.text("abcdefgh", min_size=1, max_size=4)),
        draw(st.sampled_from(["王强", "李娜", "周敏", "Anna"])),
        draw(st.sampled_from(Level)),
        draw(st.sampled_from(Function)),
        draw(st.sampled_from(BuyingRole)),
        attitude=draw(st.sampled_from(Attitude)),
        rung=draw(st.sampled_from(Rung)),
        influence=draw(influences),
        last_contact=draw(contact_dates),
        profile=draw(profiles),
    )


@st.composite
def centers(draw: st.DrawFn, max_size: int = 9) -> BuyingCenter:
    """Valid buying centers: unique ids, reporting lines to earlier people (no cycles)
    and random influence edges."""
    n = draw(st.integers(0, max_size))
    people: list[Stakeholder] = []
    for i in range(n):
        person = draw(stakeholders(id=f"s{i}"))
        if i and draw(st.booleans()):
            person = attrs.evolve(person, reports_to=f"s{draw(st.integers(0, i - 1))}")
        people.append(person)
    pairs = [(a, b) for a in range(n) for b in range(n) if a != b]
    chosen = draw(st.lists(st.sampled_from(pairs), unique=True, max_size=6)) if pairs else []
    order = draw(st.permutations(people))
    return BuyingCenter(tuple(order), tuple(Influence(f"s{a}", f"s{b}") for a, b in chosen))


# -- the vocabulary --------------------------------------------------------------------


def test_every_member_has_a_bilingual_label() -> None:
    for kind in (Level, Function, BuyingRole, Attitude, Rung):
        for member in kind:
            assert member.label.zh
            assert member.label.en
    assert [r.label.zh for r in Rung.ladder()] == ["认识", "熟悉", "认可", "信任", "交友", "合作"]
    assert Level.DECISION.label.zh == "决策层"
    assert Level.OPERATIONAL.label.zh == "操作层"
    assert Function.FINANCE.label.zh == "财务部门"


def test_the_ladder_climbs_in_equal_steps_from_unknown_to_partners() -> None:
    assert [r.step for r in Rung] == list(range(7))
    assert Rung.UNKNOWN.depth == 0.0
    assert Rung.APPROVING.depth == 0.5
    assert Rung.PARTNERS.depth == 1.0


# -- stakeholders ----------------------------------------------------------------------


def person(id: str = "a", **changes: object) -> Stakeholder:
    base = Stakeholder(id, "王强", Level.DECISION, Function.FINANCE, BuyingRole.DECISION_MAKER)
    return attrs.evolve(base, **changes)


def test_values_are_converted_from_their_text() -> None:
    p = Stakeholder("a", "A", "management", "technical", "gatekeeper", "supporter", "friends", 2)
    assert (p.level, p.function, p.role) == (
        Level.MANAGEMENT,
        Function.TECHNICAL,
        BuyingRole.GATEKEEPER,
    )
    assert (p.attitude, p.rung, p.influence) == (Attitude.SUPPORTER, Rung.FRIENDS, 2.0)


def test_defaults_are_neutral_unknown_and_weight_one() -> None:
    p = person()
    assert (p.attitude, p.rung, p.influence, p.reports_to) == (
        Attitude.NEUTRAL,
        Rung.UNKNOWN,
        1.0,
        None,
    )


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"level": "ceo"}, "level"),
        ({"function": "marketing"}, "function"),
        ({"role": "boss"}, "role"),
        ({"attitude": "hostile"}, "attitude"),
        ({"rung": "married"}, "rung"),
        ({"influence": -1}, "influence"),
        ({"influence": float("nan")}, "influence"),
        ({"influence": float("inf")}, "influence"),
        ({"influence": True}, "influence"),
        ({"influence": "3"}, "influence"),
        ({"id": ""}, "id"),
        ({"name": "  "}, "name"),
        ({"reports_to": ""}, "reports_to"),
        ({"reports_to": "a"}, "reports_to"),
        ({"last_contact": "2026-01-01"}, "last_contact"),
        ({"last_contact": dt.datetime(2026, 1, 1)}, "last_contact"),
        ({"profile": {"hometown": "x"}}, "profile"),
    ],
)
def test_invalid_input_is_a_clear_error_naming_the_field(
    changes: dict[str, object], field: str
) -> None:
    with pytest.raises(InvalidData) as caught:
        person(**changes)  # type: ignore[arg-type]
    assert caught.value.field == field


def test_an_unknown_level_lists_the_known_ones() -> None:
    with pytest.raises(InvalidData, match="decision, management, operational"):
        person(level="board")


def test_an_aware_contact_time_is_kept_as_its_date() -> None:
    at = dt.datetime(2026, 3, 1, 23, 30, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    assert person(last_contact=at).last_contact == dt.date(2026, 3, 1)


# -- the buying center -----------------------------------------------------------------


def org() -> BuyingCenter:
    return BuyingCenter(
        (
            person("ceo", level="decision"),
            person("cfo", level="decision", reports_to="ceo"),
            person("acc", level="operational", reports_to="cfo", role="user"),
            person("cio", level="management", function="technical", reports_to="ceo"),
        ),
        (Influence("cio", "cfo"), Influence("acc", "cfo")),
    )


def test_the_org_chart_and_the_influence_graph_can_be_walked() -> None:
    center = org()
    assert [p.id for p in center.reports_of("ceo")] == ["cfo", "cio"]
    assert [p.id for p in center.chain_of("acc")] == ["cfo", "ceo"]
    assert [p.id for p in center.influencers_of("cfo")] == ["acc", "cio"]
    assert [p.id for p in center.influenced_by("cio")] == ["cfo"]
    assert "cio" in center
    assert "cto" not in center
    assert len(center) == 4
    with pytest.raises(InvalidData, match="'cto' is not on the map"):
        center.get("cto")


def test_people_can_be_updated_and_added_without_changing_the_original() -> None:
    center = org()
    raised = center.updated("cio", rung="trusting")
    assert raised.get("cio").rung is Rung.TRUSTING
    assert center.get("cio").rung is Rung.UNKNOWN
    grown = center.with_person(person("cto", level="management", reports_to="cio"))
    assert len(grown) == 5
    assert len(center) == 4


@pytest.mark.parametrize(
    ("people", "edges", "field", "message"),
    [
        ((person("a"), person("a")), (), "stakeholders", "used twice"),
        ((person("a", reports_to="z"),), (), "stakeholders['a'].reports_to", "not on the map"),
        (
            (person("a", reports_to="c"), person("b", reports_to="a"), person("c", reports_to="b")),
            (),
            "reports_to",
            "reporting cycle: a → c → b → a",
        ),
        ((person("a"),), (Influence("a", "z"),), "influences", "not on the map"),
        (
            (person("a"), person("b")),
            (Influence("a", "b"), Influence("a", "b")),
            "influences",
            "listed twice",
        ),
    ],
)
def test_invalid_centers_are_refused_with_the_reason(
    people: tuple[Stakeholder, ...], edges: tuple[Influence, ...], field: str, message: str
) -> None:
    with pytest.raises(InvalidData, match=message) as caught:
        BuyingCenter(people, edges)
    assert caught.value.field == field


def test_influence_on_oneself_and_non_people_are_refused() -> None:
    with pytest.raises(InvalidData):
        Influence("a", "a")
    with pytest.raises(InvalidData):
        BuyingCenter(("a",))
    with pytest.raises(InvalidData):
        BuyingCenter((), ("a",))


@given(centers())
def test_generated_centers_are_valid_and_every_chain_ends(center: BuyingCenter) -> None:
    for p in center:
        assert len(center.chain_of(p.id)) < len(center)


# -- a deal carries its people ---------------------------------------------------------


def test_a_deal_may_carry_its_buying_center() -> None:
    deal = Deal("D", Account("Acme", Segment.ENTERPRISE), Money("1", "CNY"), people=org())
    assert deal.people is not None
    assert len(deal.people) == 4
    assert Deal("E", Account("Acme", Segment.SME), Money("1", "CNY")).people is None


# -- personal data ---------------------------------------------------------------------

PRIVATE = PersonalProfile(
    family="married, two children",
    hometown="苏州",
    university="浙江大学",
    sports=("tennis",),
    food=("本帮菜",),
    pets=("cat Mimi",),
    books=("三国演义",),
    last_holiday="三亚",
    next_holiday="京都",
    itinerary=("Shanghai 2026-05-12",),
    role_in_organisation="project sponsor",
    colleague_relations="close to the CFO",
    goals_this_year="cut IT cost 10%",
    ambitions="group CIO",
)
SECRETS = ("苏州", "tennis", "Mimi", "三亚", "京都", "Shanghai 2026", "group CIO", "two children")


def test_every_profile_field_is_marked_personal_and_hidden_from_repr() -> None:
    for a in attrs.fields(PersonalProfile):
        assert a.metadata.get(PERSONAL) is True, a.name
        assert a.repr is False, a.name
    assert personal_fields(Stakeholder) == ("profile",)
    assert attrs.fields(Stakeholder).profile.repr is False
    text = repr(person(profile=PRIVATE)) + str(person(profile=PRIVATE)) + repr(PRIVATE)
    text += repr(BuyingCenter((person(profile=PRIVATE),)))
    for secret in SECRETS:
        assert secret not in text


def test_invalid_personal_data_is_refused_without_echoing_it() -> None:
    with pytest.raises(InvalidData) as caught:
        PersonalProfile(pets="Mimi")  # type: ignore[arg-type]
    assert "Mimi" not in str(caught.value)
    with pytest.raises(InvalidData) as caught:
        PersonalProfile(hometown=12345)  # type: ignore[arg-type]
    assert "12345" not in str(caught.value)


def test_logging_a_person_does_not_leak_personal_data(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO):
        logging.getLogger("crm").info("updated %s in %r", person(profile=PRIVATE), org())
    for secret in SECRETS:
        assert secret not in caplog.text


def test_redacted_drops_every_personal_field_and_keeps_the_rest() -> None:
    p = person(profile=PRIVATE, rung="trusting", last_contact=dt.date(2026, 1, 5))
    q = redacted(p)
    assert q.profile is None
    assert attrs.evolve(q, profile=PRIVATE) == p
    center = BuyingCenter((p, person("b", profile=PRIVATE)), (Influence("a", "b"),))
    clean = redacted(center)
    assert all(s.profile is None for s in clean)
    assert clean.influences == center.influences
    assert [s.id for s in clean] == ["a", "b"]
    with pytest.raises(InvalidData):
        redacted("a")  # type: ignore[call-overload]


io = pytest.importorskip("bigaccount.io")


@given(centers())
def test_centers_round_trip_through_json(center: BuyingCenter) -> None:
    assert io.loads(io.dumps(center), BuyingCenter) == center


@given(centers())
def test_a_redacted_export_holds_no_personal_data_and_loads_as_the_redacted_center(
    center: BuyingCenter,
) -> None:
    text = io.dumps(center, redact=True)
    assert '"profile"' not in text
    assert io.loads(text, BuyingCenter) == redacted(center)


def test_a_redacted_export_of_a_deal_with_profiles_leaks_nothing() -> None:
    center = BuyingCenter((person(profile=PRIVATE),))
    deal = Deal("D", Account("Acme", Segment.ENTERPRISE), Money("1", "CNY"), people=center)
    full = io.dumps(deal)
    assert "苏州" in full
    assert io.loads(full, Deal) == deal
    text = io.dumps(deal, redact=True)
    for secret in SECRETS:
        assert secret not in text
    assert io.loads(text, Deal).people == redacted(center)
    profile_only = io.dumps(PRIVATE, redact=True)
    assert io.loads(profile_only, PersonalProfile) == PersonalProfile()


def test_the_personal_data_mark_is_the_one_the_serializer_reads() -> None:
    assert io.PERSONAL == PERSONAL


def test_enum_fields_share_one_check_naming_the_field() -> None:
    for field, value in (
        ("function", "legal"),
        ("role", "boss"),
        ("attitude", "hostile"),
        ("rung", "lovers"),
    ):
        with pytest.raises(InvalidData, match="expected one of") as caught:
            person(**{field: value})
        assert caught.value.field == field
    with pytest.raises(InvalidData) as caught:
        person(level=["decision"])
    assert caught.value.field == "level"


def test_an_influence_too_large_for_a_float_is_invalid_data() -> None:
    with pytest.raises(InvalidData) as caught:
        person(influence=10**400)
    assert caught.value.field == "influence"
