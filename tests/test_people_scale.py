"""Buying centers that scale: the same checks and lookups as plain reference code.

The construction of a :class:`BuyingCenter` and its lookups work in one pass with
indexes; here each is compared with the simplest code that could be written for it
(a walk up the chart from every person, linear scans), on random org charts that may
hold repeated ids, unknown bosses, reporting cycles and bad influence edges. Speed
itself is measured in ``benchmarks/bench_people.py``, not here.
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bigaccount.errors import InvalidData
from bigaccount.people import BuyingCenter, Function, Influence, Level, Rung, Stakeholder
from bigaccount.scoring.relationship import coverage, person_depth
from test_people import AS_OF, centers, stakeholders

IDS = ("a", "b", "c", "d", "e", "f", "g", "h")


def cycle_members(boss: dict[str, str | None]) -> set[str]:
    """The people from whom walking up the chart comes back to themselves."""
    found = set()
    for start in boss:
        current = boss[start]
        for _ in range(len(boss)):
            if current is None:
                break
            if current == start:
                found.add(start)
                break
            current = boss[current]
    return found


def reference_error(people: list[Stakeholder], edges: list[Influence]) -> tuple[str, str] | None:
    """What a buying center must refuse, and with which field and message: first a
    repeated id, then an unknown boss, then a reporting cycle (the one through the
    smallest id, from there), then an influence edge to nobody or listed twice."""
    seen: list[str] = []
    for p in people:
        if p.id in seen:
            return "stakeholders", f"the id {p.id!r} is used twice"
        seen.append(p.id)
    for p in people:
        if p.reports_to is not None and p.reports_to not in seen:
            return f"stakeholders[{p.id!r}].reports_to", f"{p.reports_to!r} is not on the map"
    boss = {p.id: p.reports_to for p in people}
    looped = cycle_members(boss)
    if looped:
        start = min(looped)
        chain = [start]
        current = boss[start]
        while current != start:
            assert current is not None
            chain.append(current)
            current = boss[current]
        return "reports_to", "reporting cycle: " + " → ".join([*chain, start])
    listed: list[tuple[str, str]] = []
    for e in edges:
        for end in (e.source, e.target):
            if end not in seen:
                return "influences", f"{end!r} is not on the map"
        if (e.source, e.target) in listed:
            return "influences", f"{e.source!r} → {e.target!r} is listed twice"
        listed.append((e.source, e.target))
    return None


@st.composite
def org_charts(draw: st.DrawFn) -> tuple[list[Stakeholder], list[Influence]]:
    """Random charts, valid or not: bosses drawn among everyone (so reporting cycles are
    common), and now and then a repeated id, an unknown boss or a bad influence edge."""
    ids = draw(st.lists(st.sampled_from(IDS), max_size=8, unique=True))
    flaw = draw(st.sampled_from(["none", "none", "none", "repeated id", "unknown boss"]))
    if flaw == "repeated id" and ids:
        ids.insert(draw(st.integers(0, len(ids))), draw(st.sampled_from(ids)))
    people = []
    for pid in ids:
        person = draw(stakeholders(id=pid))
        others = [b for b in ids if b != pid] + (["zz"] if flaw == "unknown boss" else [])
        boss = draw(st.sampled_from([None, *others]))
        people.append(Stakeholder(**{**_fields(person), "reports_to": boss}))
    ends = st.sampled_from([*ids, "zz"]) if draw(st.booleans()) else st.sampled_from(ids or ["zz"])
    pairs = st.tuples(ends, ends).filter(lambda pair: pair[0] != pair[1])
    edges = [Influence(s, t) for s, t in draw(st.lists(pairs, max_size=4))] if len(ids) > 1 else []
    return people, edges


def _fields(person: Stakeholder) -> dict[str, object]:
    return {
        "id": person.id,
        "name": person.name,
        "level": person.level,
        "function": person.function,
        "role": person.role,
        "attitude": person.attitude,
        "rung": person.rung,
        "influence": person.influence,
        "last_contact": person.last_contact,
    }


@given(org_charts())
def test_a_center_is_refused_exactly_when_the_reference_refuses_it_and_for_the_same_reason(
    chart: tuple[list[Stakeholder], list[Influence]],
) -> None:
    people, edges = chart
    expected = reference_error(people, edges)
    try:
        center = BuyingCenter(people, edges)
    except InvalidData as error:
        assert expected == (error.field, error.problem)
    else:
        assert expected is None
        assert center.stakeholders == tuple(people)


def test_a_long_chain_with_a_loop_at_the_top_names_that_loop() -> None:
    n = 3000
    people = [
        Stakeholder(f"p{i:05d}", "N", "management", "user", "user", reports_to=f"p{i + 1:05d}")
        for i in range(n)
    ]
    people.append(
        Stakeholder("top", "T", "decision", "other", "decision_maker", reports_to="p02998")
    )
    people[-2] = Stakeholder("p02999", "N", "management", "user", "user", reports_to="top")
    with pytest.raises(InvalidData) as caught:
        BuyingCenter(people)
    assert caught.value.problem == "reporting cycle: p02998 → p02999 → top → p02998"
    people[-1] = Stakeholder("top", "T", "decision", "other", "decision_maker")
    center = BuyingCenter(people)
    assert len(center.chain_of("p00000")) == n
    assert [p.id for p in center.reports_of("top")] == ["p02999"]


# -- lookups against linear scans ------------------------------------------------------


@given(centers(max_size=12), st.sampled_from([*IDS, "s0", "s3", "s11", "zz"]))
def test_lookups_equal_linear_scans(center: BuyingCenter, pid: str) -> None:
    by_id = {p.id: p for p in center.stakeholders}
    assert (pid in center) == any(p.id == pid for p in center.stakeholders)
    if pid not in by_id:
        for lookup in (
            center.get,
            center.reports_of,
            center.chain_of,
            center.influencers_of,
            center.influenced_by,
        ):
            with pytest.raises(InvalidData, match="not on the map"):
                lookup(pid)
        return
    assert center.get(pid) is by_id[pid]
    assert center.reports_of(pid) == tuple(
        sorted((p for p in center.stakeholders if p.reports_to == pid), key=lambda p: p.id)
    )
    chain = []
    current = by_id[pid].reports_to
    while current is not None:
        chain.append(by_id[current])
        current = by_id[current].reports_to
    assert center.chain_of(pid) == tuple(chain)
    sources = {e.source for e in center.influences if e.target == pid}
    targets = {e.target for e in center.influences if e.source == pid}
    assert [p.id for p in center.influencers_of(pid)] == sorted(sources)
    assert [p.id for p in center.influenced_by(pid)] == sorted(targets)


@given(centers(max_size=12))
def test_every_id_of_the_center_can_be_looked_up(center: BuyingCenter) -> None:
    for p in center.stakeholders:
        assert center.get(p.id) is p
        assert p.id in center
    assert 3 not in center  # not an id at all


# -- coverage against a cell-by-cell count ---------------------------------------------


@given(
    centers(max_size=12),
    st.none() | st.just(AS_OF),
    st.sampled_from(list(Rung)),
    st.lists(st.sampled_from(list(Function)), min_size=1, max_size=5, unique=True),
)
def test_coverage_equals_a_cell_by_cell_count(
    center: BuyingCenter, as_of: dt.date | None, min_rung: Rung, grid: list[Function]
) -> None:
    result = coverage(center, as_of, functions=grid, min_rung=min_rung)

    def related(p: Stakeholder) -> bool:
        return p.rung is not Rung.UNKNOWN and person_depth(p, as_of) >= min_rung.depth

    expected = []
    for level in Level:
        for function in grid:
            here = [p for p in center if p.level is level and p.function is function]
            best = max((person_depth(p, as_of) for p in here), default=0.0)
            expected.append((level, function, len(here), sum(map(related, here)), best))
    assert [(c.level, c.function, c.people, c.related, c.best) for c in result.cells] == expected
    assert result.related == sum(map(related, center))
    assert [(g.level, g.function) for g in result.gaps] == [
        (lv, f) for lv, f, _, rel, _ in expected if rel == 0
    ]
