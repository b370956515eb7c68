"""Cycle files: one safe loader, every problem with its place, nothing imported by name."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import sys
import tomllib
from importlib.resources import files
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bigaccount import (
    BigAccountError,
    Criterion,
    Deal,
    InvalidDefinition,
    Money,
    get_criterion,
    get_cycle,
    register_criterion,
)
from bigaccount.declarations import (
    builtin_data,
    cycle_to_data,
    dump_cycle,
    load_cycle,
    read_cycle,
    read_source,
)
from bigaccount.testing import cycles

BUILT_IN = ("decision", "activity", "advancement", "funnel", "development")

MINI = """
[cycle]
name = "mini"
kind = "pipeline"
label = { zh = "小流程", en = "mini pipeline" }
win = { any = ["signed"] }

[criteria.signed]
label = { zh = "已签约", en = "signed" }

[criteria.budget_ok]
label = { zh = "预算不少于100万元", en = "budget of at least 1m CNY" }
fact = "budget"
op = ">="
value = { money = "1000000", currency = "CNY" }

[criteria.soon]
label = { zh = "90天内决策", en = "decision within 90 days" }
fact = "decision_date"
within_days = 90

[[stages]]
id = "QUALIFY"
label = { zh = "资格审查", en = "qualify" }
probability = 0.2
exit = { all = ["budget_ok"] }

[[stages]]
id = "PROPOSE"
label = { zh = "提交方案", en = "propose" }
probability = 0.5
entry = { any = ["soon", "p4_top_relation"] }
"""


@pytest.mark.parametrize("name", BUILT_IN)
def test_every_built_in_cycle_exports_and_loads_back_equal(name: str, tmp_path: Path) -> None:
    cycle = get_cycle(name)
    for fmt in ("toml", "json"):
        path = tmp_path / f"{name}.{fmt}"
        path.write_text(dump_cycle(cycle, fmt), encoding="utf-8")
        loaded = load_cycle(path)
        assert loaded == cycle
        assert loaded.transitions == cycle.transitions


@given(cycles())
def test_random_cycles_round_trip_through_their_data(cycle: Any) -> None:
    assert read_cycle(cycle_to_data(cycle)) == cycle
    assert read_cycle(tomllib.loads(dump_cycle(cycle))) == cycle


def test_a_loaded_cycle_moves_like_a_declared_one() -> None:
    cycle = load_cycle(MINI)
    t = dt.datetime(2027, 2, 1, tzinfo=dt.timezone.utc)
    deal = Deal("D-1", __import__("bigaccount").Account("Acme", "sme"), Money("5", "CNY"))
    deal.start(cycle, at=t)
    assert [c.id for c in deal.blockers(cycle)] == ["budget_ok", "soon", "p4_top_relation"]
    deal.record("budget", Money("2000000", "CNY"), at=t)
    deal.record("decision_date", dt.date(2027, 3, 1), at=t)
    assert deal.advance(cycle, at=t).dest == "PROPOSE"
    assert cycle.stage("PROPOSE").entry.criteria[1] is get_criterion("p4_top_relation")


def problems_of(text: str) -> list[tuple[str, str]]:
    with pytest.raises(InvalidDefinition) as err:
        load_cycle(text)
    return list(err.value.problems)


def test_every_problem_is_reported_with_its_place_in_the_file() -> None:
    broken = (
        MINI.replace("probability = 0.5", "probability = 0.1")
        .replace('["budget_ok"]', '["budget_ok", "budget"]')
        .replace('en = "propose"', 'english = "propose"')
        .replace("within_days = 90", "within_days = -3")
    )
    found = problems_of(broken)
    places = [w for w, _ in found]
    text = " | ".join(f"{w}: {p}" for w, p in found)
    assert "<text>: stages[0] (QUALIFY).exit.all[1]" in places
    assert "unknown criterion 'budget'" in text
    assert any(w.startswith("<text>: stages[1] (PROPOSE).label") for w in places)
    assert "criteria.soon.within_days" in text
    assert len(found) >= 4


def test_decreasing_probabilities_and_unreachable_stages_name_the_stage() -> None:
    found = problems_of(MINI.replace("probability = 0.5", "probability = 0.1"))
    assert found == [("<text>: mini.PROPOSE", "probability 0.1 is lower than 0.2 of QUALIFY")]
    no_way = MINI.replace("[cycle]\n", "[cycle]\nlinear = false\n")
    places = {w for w, _ in problems_of(no_way)}
    assert "<text>: mini.PROPOSE" in places


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (('zh = "资格审查", ', ""), "missing translation"),
        (
            ('exit = { all = ["budget_ok"] }', 'exit = { at_least = 3, of = ["budget_ok"] }'),
            "asks for 3 criteria but has only 1",
        ),
        (('id = "PROPOSE"', 'id = "QUALIFY"'), "duplicate stage id"),
        (('kind = "pipeline"', 'kind = "spiral"'), "expected pipeline, wheel or process"),
        (("[cycle]", "schema = 9\n[cycle]"), "version 9 is not supported"),
        (('op = ">="', 'op = "=>"'), "expected one of"),
        (
            ('exit = { all = ["budget_ok"] }', 'exit = { all = ["budget_ok", "budget_ok"] }'),
            "more than once",
        ),
        (('[[stages]]\nid = "QUALIFY"', '[[stages]]\nsurprise = 1\nid = "QUALIFY"'), "unknown key"),
    ],
)
def test_each_kind_of_mistake_is_named(change: tuple[str, str], expected: str) -> None:
    old, new = change
    assert old in MINI
    found = problems_of(MINI.replace(old, new, 1))
    assert any(expected in p for _, p in found), found


@pytest.mark.parametrize(
    "name",
    ["os.system", "__import__", "builtins.eval", "subprocess.run", "bigaccount.io.loads"],
)
def test_a_file_naming_python_code_is_refused_and_nothing_is_imported(name: str) -> None:
    before = set(sys.modules)
    text = MINI.replace('["budget_ok"]', json.dumps([name]))
    found = problems_of(text)
    assert any(f"unknown criterion {name!r}" in p for _, p in found)
    for key_text in (
        MINI.replace('fact = "budget"', f'fact = "budget"\ntest = "{name}"'),
        MINI.replace("[criteria.signed]", f'[criteria.signed]\ncallable = "{name}"'),
    ):
        assert any("unknown key" in p for _, p in problems_of(key_text))
    assert set(sys.modules) - before <= {"bigaccount.people_criteria", "bigaccount.plan"}


def test_a_file_may_not_redeclare_a_registered_criterion() -> None:
    text = MINI + '\n[criteria.p4_top_relation]\nlabel = { zh = "甲", en = "a" }\n'
    assert any("registered in code" in p for _, p in problems_of(text))


def test_criteria_registered_in_code_are_found_by_id() -> None:
    mine = register_criterion(Criterion.fact("kit_signed_off", "已验收", "signed off"))
    assert get_criterion("kit_signed_off") is mine
    with pytest.raises(BigAccountError):
        register_criterion(Criterion.fact("kit_signed_off", "另一个", "another"))
    loaded = load_cycle(MINI.replace('["budget_ok"]', '["budget_ok", "kit_signed_off"]'))
    assert mine in loaded.stage("QUALIFY").exit.criteria


def test_files_that_are_not_text_or_too_large_are_refused(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_bytes(b"\xff\xfe[cycle]")
    with pytest.raises(InvalidDefinition, match="not UTF-8"):
        load_cycle(bad)
    with pytest.raises(InvalidDefinition, match="cannot read"):
        load_cycle(tmp_path / "missing.toml")
    with pytest.raises(InvalidDefinition, match="duplicate key"):
        load_cycle('{"cycle": {}, "cycle": {}}', format="json")
    with pytest.raises(InvalidDefinition, match="not valid TOML"):
        load_cycle("[cycle\n")


@given(st.text(max_size=300))
def test_random_text_gives_only_the_librarys_error(text: str) -> None:
    with contextlib.suppress(InvalidDefinition):
        load_cycle(text)


@given(st.data())
def test_mutated_files_give_only_the_librarys_error(data: st.DataObject) -> None:
    lines = MINI.splitlines()
    i = data.draw(st.integers(0, len(lines) - 1))
    j = data.draw(st.integers(0, len(lines[i])))
    junk = data.draw(st.sampled_from(['"', "]", "[", "=", "0", "x", "", "\n", "{", "}", "-1"]))
    mutated = "\n".join([*lines[:i], lines[i][:j] + junk + lines[i][j + 1 :], *lines[i + 1 :]])
    try:
        cycle = load_cycle(mutated)
    except InvalidDefinition:
        return
    assert cycle.name


def test_a_stage_references_catalogues_by_id_and_they_round_trip() -> None:
    text = MINI.replace(
        'exit = { all = ["budget_ok"] }',
        'exit = { all = ["budget_ok"] }\nguidance = { catalogues = ["question_types", "crasis"] }',
    )
    cycle = load_cycle(text)
    assert cycle.stage("QUALIFY").guidance.catalogues == ("question_types", "crasis")
    assert cycle_to_data(cycle)["stages"][0]["guidance"]["catalogues"] == [
        "question_types",
        "crasis",
    ]
    assert load_cycle(dump_cycle(cycle)) == cycle


@pytest.mark.parametrize(
    ("refs", "expected"),
    [
        ('["question_types", "negotiation_tricks"]', "unknown catalogue 'negotiation_tricks'"),
        ('["crasis", "crasis"]', "more than once"),
        ('"crasis"', "expected a list of catalogue ids"),
        ('["crasis", 3]', "expected a catalogue id"),
        ('["os.system"]', "unknown catalogue 'os.system'"),
    ],
)
def test_an_unknown_or_repeated_catalogue_is_named_with_its_place(refs: str, expected: str) -> None:
    text = MINI.replace(
        'exit = { all = ["budget_ok"] }',
        f'exit = {{ all = ["budget_ok"] }}\nguidance = {{ catalogues = {refs} }}',
    )
    found = problems_of(text)
    assert any(
        w.startswith("<text>: stages[0] (QUALIFY).guidance.catalogues") and expected in p
        for w, p in found
    ), found


@pytest.mark.parametrize("name", BUILT_IN)
def test_the_built_in_files_are_what_the_registry_loads(name: str) -> None:
    path = files("bigaccount").joinpath("cycles", "data", f"{name}.toml")
    assert load_cycle(path.read_text("utf-8")) == get_cycle(name)
    assert read_cycle(builtin_data(name), source=f"{name}.toml") == get_cycle(name)


def test_only_the_librarys_data_files_are_read_by_name() -> None:
    for name in ("nope", "../funnel", "funnel.toml", "", 3):
        with pytest.raises(InvalidDefinition):
            builtin_data(name)  # type: ignore[arg-type]
    with pytest.raises(InvalidDefinition, match="expected a path or TOML text"):
        read_source(b"[cycle]")  # type: ignore[arg-type]


FUNNEL_LINES = (
    files("bigaccount").joinpath("cycles", "data", "funnel.toml").read_text("utf-8").splitlines()
)


@given(st.data())
def test_mutated_built_in_files_give_only_the_librarys_error(data: st.DataObject) -> None:
    lines = list(FUNNEL_LINES)
    for _ in range(data.draw(st.integers(1, 3))):
        i = data.draw(st.integers(0, len(lines) - 1))
        j = data.draw(st.integers(0, len(lines[i])))
        junk = data.draw(
            st.sampled_from(['"', "]", "[", "=", "0", "x", "", "{", "}", "-1", "[[stages]]", "1.5"])
        )
        lines[i] = lines[i][:j] + junk + lines[i][j + 1 :]
    try:
        cycle = load_cycle("\n".join(lines))
    except InvalidDefinition:
        return
    assert cycle.name
