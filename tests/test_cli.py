from __future__ import annotations

from pathlib import Path

import pytest

from bigaccount._demo import run_demo
from bigaccount._reference import render_reference
from bigaccount.cli import main


def test_demo_shows_blockers_weighted_values_replay_and_alignment() -> None:
    text = run_demo("en")
    assert "! blocked: INTENT: needs 1 more (at least 2 of 4)" in text
    assert "> jump_to_NEGOTIATION: APPROVED -> NEGOTIATION" in text
    assert "weighted amount: 1,200,000.0 CNY" in text
    assert "replay gives the same state: True" in text
    assert "! blocked: P3 (exit): needs 1 more (all 4 must hold)" in text
    assert "missing: good relations with the customer's middle and lower levels" in text
    assert "> jump_to_P4: P0 -> P4" in text
    assert "the product was introduced to the customer too early" in text


def test_demo_speaks_chinese_too() -> None:
    text = run_demo("zh")
    assert "受阻" in text
    assert "加权金额" in text
    assert "blocked" not in text


def test_cycles_and_show(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["cycles"]) == 0
    listed = capsys.readouterr().out.split()
    assert {"decision", "activity", "advancement", "funnel", "development"} <= set(listed)
    assert main(["--lang", "zh", "show", "funnel"]) == 0
    shown = capsys.readouterr().out
    assert "至少满足3项中的2项" in shown
    assert main(["show", "funnel", "--mermaid"]) == 0
    assert capsys.readouterr().out.startswith("stateDiagram-v2")


def test_reference_prints_the_generated_page(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["reference"]) == 0
    assert capsys.readouterr().out == render_reference()


def test_unknown_cycles_are_a_clear_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["show", "nope"]) == 2
    assert "unknown cycle 'nope'" in capsys.readouterr().err


def test_replay_checks_a_csv_and_fails_on_bad_rows(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = tmp_path / "good.csv"
    good.write_text("key,from,to\no1,,TARGET\no1,TARGET,INTENT\n", encoding="utf-8")
    assert main(["replay", "funnel", str(good)]) == 0
    assert "2 rows, 1 keys, 0 refused" in capsys.readouterr().out
    bad = tmp_path / "bad.csv"
    bad.write_text("key,from,to\no1,,TARGET\no1,TARGET,WON\no1,WON,LOST\n", encoding="utf-8")
    assert main(["replay", "funnel", str(bad)]) == 1
    out = capsys.readouterr().out
    assert "row 3 (o1): no move from 'WON' to 'LOST'" in out
    assert main(["replay", "funnel", str(tmp_path / "missing.csv")]) == 2
