"""Hypothesis strategies for the customer's people: stakeholders and buying centers.

A drawn buying center is always valid — unique ids, reporting lines that form a tree
(each person reports to someone drawn before them, or to nobody), influence edges
between people on the map, each once — and small: at most *max_people* people
(12 by default), so that scoring it stays quick.

>>> from hypothesis import given
>>> from bigaccount.scoring.relationship import coverage
>>> from bigaccount.testing import buying_centers
>>> @given(buying_centers(max_people=5))
... def test_coverage_names_a_cell_per_level_and_function(center):
...     assert len(coverage(center).cells) == 9  # 3 levels × 3 functions
>>> test_coverage_names_a_cell_per_level_and_function()
"""

from __future__ import annotations

import datetime as dt
import functools

from hypothesis import strategies as st

from ..people import (
    Attitude,
    BuyingCenter,
    BuyingRole,
    Function,
    Influence,
    Level,
    PersonalProfile,
    Rung,
    Stakeholder,
)
from .strategies import identifiers, texts

__all__ = ["buying_centers", "influences", "personal_profiles", "stakeholders"]

_contacts = st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2030, 12, 31))
_NAMES = ("王强", "李娜", "张伟", "刘洋", "陈静", "周敏", "Anna Müller", "John O'Brien", "Ngozi A.")
_TITLES = ("总经理", "CIO", "财务总监", "采购经理", "IT主管", "Head of Operations")


def _mostly(common: tuple[str, ...]) -> st.SearchStrategy[str]:
    """Mostly one of *common*, now and then any text (names and titles are only shown)."""
    pool = st.sampled_from(common)
    return st.one_of(pool, pool, pool, texts())


@functools.cache
def personal_profiles() -> st.SearchStrategy[PersonalProfile]:
    """A personal profile with a few of its fields filled (it is personal data)."""
    some = st.none() | texts()
    few = st.lists(texts(), max_size=2).map(tuple)
    return st.builds(
        PersonalProfile,
        family=some,
        hometown=some,
        university=some,
        sports=few,
        pets=few,
        goals_this_year=some,
    )


@functools.cache
def _about() -> st.SearchStrategy[dict[str, object]]:
    """Everything of a person but their id and their boss."""
    return st.fixed_dictionaries(
        {
            "name": _mostly(_NAMES),
            "level": st.sampled_from(Level),
            "function": st.sampled_from(Function),
            "role": st.sampled_from(BuyingRole),
            "attitude": st.sampled_from(Attitude),
            "rung": st.sampled_from(Rung),
            "influence": st.sampled_from((0.0, 0.5, 1.0, 2.0, 5.0)) | st.floats(0, 10),
            "title": st.none() | _mostly(_TITLES),
            "last_contact": st.none() | _contacts,
            "profile": st.one_of(st.none(), st.none(), st.none(), personal_profiles()),
        }
    )


def _person(draw: st.DrawFn, person_id: str, boss: str | None) -> Stakeholder:
    return Stakeholder(id=person_id, reports_to=boss, **draw(_about()))


@functools.cache
def stakeholders() -> st.SearchStrategy[Stakeholder]:
    """One person of the customer (reporting to nobody: a boss must be on the same map)."""
    return st.builds(lambda i, about: Stakeholder(id=i, **about), identifiers(), _about())


@functools.cache
def influences() -> st.SearchStrategy[Influence]:
    """An influence edge between two different ids."""
    return (
        st.tuples(identifiers(), identifiers())
        .filter(lambda p: p[0] != p[1])
        .map(lambda p: Influence(*p))
    )


@st.composite
def buying_centers(draw: st.DrawFn, max_people: int = 12) -> BuyingCenter:
    """A valid buying center of up to *max_people* people (see the module docstring)."""
    n = draw(st.integers(0, max_people))
    ids = [f"p{i}" for i in range(n)]
    people = []
    for i, person_id in enumerate(ids):
        boss = draw(st.integers(-1, i - 1)) if i else -1
        people.append(_person(draw, person_id, ids[boss] if boss >= 0 else None))
    edges: set[tuple[str, str]] = set()
    for _ in range(draw(st.integers(0, n if n >= 2 else 0))):
        a, b = draw(st.integers(0, n - 1)), draw(st.integers(0, n - 2))
        edges.add((ids[a], ids[b if b < a else b + 1]))
    order = draw(st.permutations(range(n)))
    return BuyingCenter(
        tuple(people[i] for i in order), tuple(Influence(a, b) for a, b in sorted(edges))
    )
