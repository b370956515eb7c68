"""The engine's public constructors and functions refuse bad input naming the parameter.

Beside the census of ``test_public_inputs.py``: what the engine builds itself passes
the public checks unchanged (reports, events), the duck-typed inputs still take a user's
own values, and a refused call leaves the registries as they were.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given

from bigaccount import (
    OPEN,
    BySegment,
    Context,
    Criterion,
    Cycle,
    GateKind,
    GateReport,
    Label,
    Segment,
    Snapshot,
    Stage,
    StageChange,
    criterion_ids,
    cycle_names,
    dump_cycle,
    get_criterion,
    get_cycle,
    load_cycle,
    register_criterion,
    register_cycle,
)
from bigaccount.diagrams import markdown_table, mermaid, overview
from bigaccount.errors import InvalidData, InvalidDefinition, UnknownName
from bigaccount.plan import COMPETITORS_BASICS, Competitor
from bigaccount.scoring.relationship import DecayPolicy
from bigaccount.testing import gate_reports, stage_changes

T0 = dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.timezone.utc)
L = Label("甲", "a")
A = Criterion.fact("a", "甲", "a")


class Junk:
    def __repr__(self) -> str:
        return "<junk>"


# -- gate reports ----------------------------------------------------------------------


@given(gate_reports())
def test_a_report_the_engine_made_is_built_again_by_hand_from_its_values(
    report: GateReport,
) -> None:
    fields = attrs.asdict(report, recurse=False)
    fields["held"] = list(report.held)
    fields["missing"] = list(report.missing)
    fields["kind"] = report.kind.value
    if report.segment is not None:
        fields["segment"] = report.segment.value
    again = GateReport(**fields)
    assert again == report
    assert (type(again.held), type(again.segment), again.kind) == (
        tuple,
        type(report.segment),
        report.kind,
    )


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"stage": " "}, "stage"),
        ({"rule": "at least 1"}, "rule"),
        ({"passed": 1}, "passed"),
        ({"held": A}, "held"),
        ({"held": [A, None]}, "held[1]"),
        ({"missing": "a"}, "missing"),
        ({"needed": -1}, "needed"),
        ({"needed": 1.0}, "needed"),
        ({"segment": "SME"}, "segment"),
        ({"kind": "door"}, "kind"),
    ],
)
def test_a_report_built_by_hand_refuses_a_wrong_value_naming_its_field(
    changes: dict[str, Any], field: str
) -> None:
    fields: dict[str, Any] = {
        "stage": "A",
        "rule": L,
        "passed": True,
        "held": (A,),
        "missing": (),
        "needed": 0,
    }
    with pytest.raises(InvalidData) as caught:
        GateReport(**{**fields, **changes})
    assert caught.value.field == field


def test_a_segment_rule_of_the_wrong_kind_names_the_rules() -> None:
    wrong: Any
    for wrong in (None, "x", 1, Junk(), [1]):
        with pytest.raises(InvalidDefinition) as caught:
            BySegment(wrong)
        assert caught.value.where == "by_segment.rules"


# -- stage changes ---------------------------------------------------------------------


@given(stage_changes())
def test_an_event_the_engine_recorded_is_built_again_by_hand_from_its_values(
    event: StageChange,
) -> None:
    fields = attrs.asdict(event, recurse=False)
    fields["criteria"] = list(event.criteria)
    fields["unmet"] = iter(event.unmet)
    assert StageChange(**fields) == event


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"criteria": "a"}, "criteria"),
        ({"criteria": {"a": "b"}}, "criteria"),
        ({"criteria": ["a", " "]}, "criteria[1]"),
        ({"criteria": [None]}, "criteria[0]"),
        ({"criteria": 1}, "criteria"),
        ({"unmet": None}, "unmet"),
        ({"unmet": ["a", ""]}, "unmet[1]"),
        ({"unmet": "one"}, "unmet"),
        ({"criteria": {"a", "b"}}, "criteria"),
        ({"unmet": frozenset({"a"})}, "unmet"),
    ],
)
def test_an_event_refuses_ids_that_are_not_a_sequence_of_texts(
    changes: dict[str, Any], field: str
) -> None:
    fields: dict[str, Any] = {
        "cycle": "funnel",
        "source": None,
        "dest": "TARGET",
        "trigger": "start",
        "move": "start",
        "at": T0,
        "imported": True,
    }
    with pytest.raises(InvalidData) as caught:
        StageChange(**{**fields, **changes})
    assert caught.value.field == field


# -- evidence --------------------------------------------------------------------------


@attrs.frozen
class MyPeople:
    """A user's own buying organisation, shaped like a BuyingCenter."""

    stakeholders: tuple[object, ...] = ()
    influences: tuple[object, ...] = ()


@attrs.frozen
class MyRival:
    """A user's own competitor record, with what the competitor criteria read."""

    basics_known: bool
    moves_known: bool = False


def test_a_snapshot_takes_values_shaped_like_people_and_competitors() -> None:
    people = MyPeople()
    row = Snapshot({}, people=people, competitors=[MyRival(True)])
    assert row.people is people
    assert row.competitors == (MyRival(True),)
    assert COMPETITORS_BASICS.holds(row)
    assert not COMPETITORS_BASICS.holds(Snapshot(competitors=[MyRival(False)]))
    assert Snapshot(competitors=[Competitor("Rival", strengths=("cheap",))]).competitors


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"people": "ceo"}, "people"),
        ({"people": 1}, "people"),
        ({"people": ["ceo"]}, "people"),
        ({"people": {}}, "people"),
        ({"people": Junk()}, "people"),
        ({"competitors": "Rival"}, "competitors"),
        ({"competitors": [None]}, "competitors[0]"),
        ({"competitors": [MyRival(True), "x"]}, "competitors[1]"),
        ({"competitors": Competitor("Rival")}, "competitors"),
    ],
)
def test_a_snapshot_refuses_garbage_for_people_and_competitors(
    changes: dict[str, Any], field: str
) -> None:
    with pytest.raises(InvalidData) as caught:
        Snapshot(**changes)
    assert caught.value.field == field
    with pytest.raises(InvalidData) as caught:
        Snapshot.of({}, **changes)
    assert caught.value.field == field


# -- context ---------------------------------------------------------------------------


def test_settings_are_setting_objects_or_a_mapping_by_type() -> None:
    policy = DecayPolicy()
    assert Context(settings=[policy]) == Context(settings={DecayPolicy: policy})
    wrong: Any
    for wrong in (None, 1, Junk(), "x", [policy, policy], {DecayPolicy: 1}):
        with pytest.raises(InvalidData) as caught:
            Context(settings=wrong)
        assert caught.value.field == "settings"


def test_the_moment_is_checked_under_its_own_name() -> None:
    assert Context(moment=dt.date(2026, 1, 5)).moment == dt.datetime(
        2026, 1, 5, tzinfo=dt.timezone.utc
    )
    wrong: Any
    for wrong in (dt.datetime(2026, 1, 5), "2026-01-05", 1767600000, Junk()):
        with pytest.raises(InvalidData) as caught:
            Context(moment=wrong)
        assert caught.value.field == "moment"


# -- registries ------------------------------------------------------------------------


def test_a_refused_registration_leaves_the_registries_as_they_were() -> None:
    known = get_criterion("competitors_present")
    other = Criterion.fact("competitors_present", "乙", "b")
    ids = criterion_ids()
    wrong: Any
    for wrong in (None, 1, "true", 0):
        with pytest.raises(InvalidData) as caught:
            register_criterion(other, replace=wrong)
        assert caught.value.field == "replace"
    assert (criterion_ids(), get_criterion("competitors_present")) == (ids, known)

    funnel = get_cycle("funnel")
    names = cycle_names()
    again = Cycle("funnel", L, "process", [Stage("A", L, None, OPEN)])
    for wrong in (None, 1, "yes", [True]):
        with pytest.raises(InvalidData) as caught:
            register_cycle(again, replace=wrong)
        assert caught.value.field == "replace"
    assert cycle_names() == names
    assert get_cycle("funnel") is funnel


def test_a_name_that_is_not_text_is_refused_by_the_registries_naming_it() -> None:
    wrong: Any
    for wrong in ([], {}, ["a"], None, 1):
        with pytest.raises(InvalidData) as caught:
            get_criterion(wrong)
        assert caught.value.field == "criterion_id"
        with pytest.raises(InvalidData) as caught:
            get_cycle(wrong)
        assert caught.value.field == "name"
    with pytest.raises(UnknownName) as unknown:
        get_criterion("no_such_criterion")
    assert unknown.value.name == "no_such_criterion"


# -- cycle files and diagrams ----------------------------------------------------------


def test_a_format_is_toml_json_or_none_and_is_checked_before_the_file_is_read() -> None:
    text = dump_cycle(get_cycle("funnel"))
    wrong: Any
    for wrong in ("", "yaml", 1, Junk(), "TOML"):
        for source in (text, Path("/nonexistent/c.toml")):
            with pytest.raises(InvalidDefinition) as caught:
                load_cycle(source, format=wrong)
            assert caught.value.where == "format"
        with pytest.raises(InvalidDefinition) as caught:
            dump_cycle(get_cycle("funnel"), wrong)
        assert caught.value.where == "format"
    assert load_cycle(text, format="toml") == get_cycle("funnel")


def test_only_a_cycle_is_dumped() -> None:
    wrong: Any
    for wrong in (None, "funnel", 1, [], Junk()):
        with pytest.raises(InvalidData) as caught:
            dump_cycle(wrong)
        assert caught.value.field == "cycle"


class Shaped:
    """A value shaped like a cycle: it hands on what a real cycle has."""

    def __init__(self, cycle: Cycle, **changes: object) -> None:
        self._cycle = cycle
        self._changes = changes

    def __getattr__(self, name: str) -> object:
        if name in self._changes:
            return self._changes[name]
        return getattr(self._cycle, name)


@pytest.mark.parametrize("draw", [mermaid, markdown_table, overview])
def test_diagrams_draw_what_is_shaped_like_a_cycle_and_refuse_the_rest(draw: Any) -> None:
    funnel = get_cycle("funnel")
    assert draw(Shaped(funnel), "en") == draw(funnel, "en")
    wrong: Any
    for wrong in (None, "funnel", 1, [], {}, Junk(), Shaped(funnel, stages=())):
        with pytest.raises(InvalidData) as caught:
            draw(wrong)
        assert caught.value.field == "cycle"


def test_a_segment_of_a_report_is_given_by_its_value() -> None:
    report = GateReport(None, L, True, [], [], 0, "sme", "exit")
    assert (report.segment, report.kind, report.held) == (Segment.SME, GateKind.EXIT, ())
