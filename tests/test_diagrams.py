from __future__ import annotations

import re
from pathlib import Path

import pytest

from bigaccount import Criterion, Cycle, CycleKind, Label, Stage, any_of, get_cycle
from bigaccount._reference import render_reference
from bigaccount.diagrams import markdown_table, mermaid

NAMES = ("decision", "activity", "advancement", "funnel", "development")
CJK = re.compile(r"[\u4e00-\u9fff]")
PAGE = Path(__file__).resolve().parents[1] / "docs" / "reference" / "cycles.md"


@pytest.mark.parametrize("name", NAMES)
def test_mermaid_declares_every_stage_and_its_advances(name: str) -> None:
    cycle = get_cycle(name)
    text = mermaid(cycle)
    assert text.startswith("stateDiagram-v2\n")
    for stage in cycle.stages:
        assert f'" as {stage.id}\n' in text
        assert stage.label.zh in text
        assert stage.label.en in text
    for a, b in zip(cycle.stages, cycle.stages[1:], strict=False):
        assert re.search(rf"^\s*{a.id} --> {b.id}(:|$)", text, re.M), (a.id, b.id)
    assert "jump_to" not in text
    assert ";" not in text.replace("；", "")
    pipeline = cycle.kind is CycleKind.PIPELINE
    assert ("--> WON" in text) is pipeline
    assert (f"{cycle.stages[-1].id} --> {cycle.stages[0].id}" in text) is (
        cycle.kind is CycleKind.WHEEL
    )


def test_mermaid_in_one_language() -> None:
    text = mermaid(get_cycle("funnel"), lang="en")
    assert not CJK.search(text)
    assert "at least 2 of 4" in text
    assert 'state "closed · 80%" as CLOSED' in text
    assert CJK.search(mermaid(get_cycle("funnel"), lang="zh"))


def test_mermaid_draws_the_loops_of_the_development_process() -> None:
    text = mermaid(get_cycle("development"), lang="en")
    assert "APPLY_APPROVAL --> NEEDS_ANALYSIS: approval refused: keep justifying" in text
    assert "BUSINESS_TALKS --> BUSINESS_TALKS: talks not yet successful: keep talking" in text
    assert "APPLY_APPROVAL --> SOLUTION_PLANNING: approval granted" in text


@pytest.mark.parametrize("name", NAMES)
def test_markdown_table_has_a_row_per_stage(name: str) -> None:
    cycle = get_cycle(name)
    lines = markdown_table(cycle).splitlines()
    assert len(lines) == len(cycle.stages) + 2
    width = lines[0].count(" | ")
    for line, stage in zip(lines[2:], cycle.stages, strict=True):
        assert f"| {stage.id} | {stage.label.zh} | {stage.label.en} |" in line
        assert line.count(" | ") == width


def test_markdown_table_marks_inferred_criteria_and_signals() -> None:
    rows = markdown_table(get_cycle("advancement"), lang="en").splitlines()
    assert "(inferred)" in rows[2 + 5]
    assert "(inferred)" not in rows[2 + 4]
    assert "| 75% | all 2 must hold |" in rows[2 + 5]
    funnel = markdown_table(get_cycle("funnel"), lang="zh").splitlines()
    approved = funnel[2 + 2]
    assert "5. 有竞争对手 (列出但不计入规则)" in approved
    assert "中小企业：须全部满足2项 (1, 4)" in approved


def test_markdown_table_escapes_pipes() -> None:
    odd = Criterion.fact("odd", "甲|乙", "a|b")
    cycle = Cycle(
        "piped",
        Label("管|道", "pipe|line"),
        CycleKind.PROCESS,
        (Stage("A", Label("甲|", "a|")), Stage("B", Label("乙", "b"), entry=any_of(odd))),
    )
    lines = markdown_table(cycle, lang="en").splitlines()
    assert all(line.count(" | ") == lines[0].count(" | ") for line in lines)
    assert "a\\|b" in lines[3]


def test_the_committed_reference_page_is_the_generated_one() -> None:
    fresh = render_reference()
    assert PAGE.read_text(encoding="utf-8") == fresh, (
        "docs/reference/cycles.md is stale: regenerate it with "
        "bigaccount._reference.render_reference()"
    )
    assert fresh.count("```mermaid") == len(NAMES)
    for name in NAMES:
        assert markdown_table(get_cycle(name)) in fresh
        assert mermaid(get_cycle(name)) in fresh
    for question in get_cycle("activity").stage("SOLUTION").guidance.checklist:
        assert question.zh in fresh
