"""`explain`, `forecast`, `health`, `diagram` and `validate`: success, bad input and help."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from decimal import Decimal
from pathlib import Path

import pytest

from bigaccount import Account, Deal, Money, Segment
from bigaccount.cli import _dot_text, main
from bigaccount.io import dumps
from bigaccount.registry import get_cycle

T = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.timezone.utc)
PIPELINE = Path(__file__).parent.parent / "examples" / "pipelines" / "meddpicc.toml"


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def _deals() -> list[Deal]:
    aligned = Deal(
        "D-1",
        Account("Acme", Segment.ENTERPRISE),
        Money("1200000", "CNY"),
        expected_close=dt.date(2026, 5, 1),
    )
    aligned.establish("materials_sent", "first_contact", at=T)
    aligned.start("funnel", at=T)
    aligned.start("decision", at=T)
    aligned.start("activity", at=T)
    alone = Deal("D-2", Account("Beta", Segment.ENTERPRISE), Money("500000", "CNY"))
    alone.establish("materials_sent", "first_contact", at=T)
    alone.start("funnel", at=T)
    return [aligned, alone]


@pytest.fixture
def deals_file(tmp_path: Path) -> Path:
    path = tmp_path / "deals.jsonl"
    path.write_text("".join(dumps(d) + "\n" for d in _deals()), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("command", "description"),
    [
        ("explain", "criteria that block its next move"),
        ("forecast", "stage-weighted forecast"),
        ("health", "funnel health"),
        ("diagram", "mermaid state diagram or a DOT graph"),
        ("validate", "Every problem is listed"),
    ],
)
def test_help_prints_the_description(
    command: str, description: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as stop:
        main([command, "--help"])
    assert stop.value.code == 0
    printed = " ".join(capsys.readouterr().out.split())
    assert description in printed
    assert "--lang" in printed


def test_explain_lists_stages_blockers_and_alignment(deals_file: Path) -> None:
    code, out, err = run("explain", str(deals_file))
    assert code == 0, err
    first, _second = _deals()
    for label in (c.label.en for c in first.blockers("funnel")):
        assert label in out
    assert "In step" in out
    d1, d2 = out.split("D-2 (Beta)")
    assert "decision: SATISFACTION" in d1
    assert "activity: RESEARCH" in d1
    assert "no alignment" in d2
    assert "decision" in d2


def test_explain_csv_in_chinese_has_one_row_per_blocker(deals_file: Path) -> None:
    code, out, _ = run("explain", str(deals_file), "--format", "csv", "--lang", "zh")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    first, second = _deals()
    expected = [(d.id, c.id, c.label.zh) for d in (first, second) for c in d.blockers("funnel")]
    got = [(r["deal"], r["blocker"], r["label"]) for r in rows if r["cycle"] == "funnel"]
    assert got == expected
    assert {r["cycle"] for r in rows if r["deal"] == "D-1"} == {"funnel", "decision", "activity"}


def test_explain_json_reports_the_alignment_or_none(deals_file: Path) -> None:
    code, out, _ = run("explain", str(deals_file), "--format", "json")
    assert code == 0
    first, second = json.loads(out)
    assert first["alignment"]["buyer"] == "SATISFACTION"
    assert first["alignment"]["pace"] == "in_step"
    assert second["alignment"] is None


def test_explain_refuses_a_bad_line_naming_it(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text(dumps(_deals()[0]) + "\n{not json\n", encoding="utf-8")
    code, out, err = run("explain", str(path))
    assert code == 2
    assert "line 2" in err
    assert "Traceback" not in err
    assert out == ""


def test_forecast_weights_each_deal_by_its_stage(deals_file: Path) -> None:
    code, out, err = run(
        "forecast", str(deals_file), "--start", "2026-01-01", "--periods", "6", "--format", "csv"
    )
    assert code == 0, err
    rows = {r["period"]: r for r in csv.DictReader(io.StringIO(out))}
    p = Decimal(str(get_cycle("funnel").stages[0].probability))
    may = rows["2026-05"]
    assert (may["deals"], Decimal(may["amount"])) == ("1", Decimal(1200000))
    assert Decimal(may["weighted"]) == Decimal(1200000) * p
    assert rows["undated"]["deals"] == "1"
    assert Decimal(rows["total"]["weighted"]) == Decimal(1700000) * p
    assert [k for k in rows if k.startswith("2026-")] == [f"2026-0{m}" for m in range(1, 7)]


def test_forecast_by_quarter(deals_file: Path) -> None:
    code, out, _ = run(
        "forecast",
        str(deals_file),
        "--start",
        "2026-01-01",
        "--by",
        "quarter",
        "--periods",
        "2",
        "--format",
        "json",
    )
    assert code == 0
    document = json.loads(out)
    assert document["tax"] == "inclusive"
    periods = {r["period"]: r for r in document["periods"]}
    assert periods["2026Q2"]["deals"] == 1
    assert periods["2026Q1"]["deals"] == 0


@pytest.mark.parametrize(
    ("extra", "message"),
    [(("--start", "soon"), "--start"), (("--start", "2026-01-01", "--periods", "0"), "--periods")],
)
def test_forecast_refuses_bad_options(
    deals_file: Path, extra: tuple[str, ...], message: str
) -> None:
    code, _, err = run("forecast", str(deals_file), *extra)
    assert code == 2
    assert message in err
    assert "Traceback" not in err


def test_health_counts_the_open_deals_per_stage(deals_file: Path) -> None:
    code, out, err = run(
        "health", str(deals_file), "--as-of", "2026-04-01T00:00+00:00", "--format", "json"
    )
    assert code == 0, err
    document = json.loads(out)
    capacity = {c["stage"]: c for c in document["capacity"]}
    assert capacity["TARGET"] == {"stage": "TARGET", "deals": 2, "amount": "1700000"}
    assert sum(c["deals"] for c in document["capacity"]) == 2
    assert document["slope"][0] == {
        "source": "TARGET",
        "dest": "INTENT",
        "reached": 2,
        "advanced": 0,
    }


def test_health_needs_a_zoned_time(deals_file: Path) -> None:
    code, _, err = run("health", str(deals_file), "--as-of", "2026-04-01T00:00")
    assert code == 2
    assert "timezone" in err
    assert "Traceback" not in err


def test_diagram_dot_draws_every_stage_and_advance() -> None:
    code, out, _ = run("diagram", "funnel", "--format", "dot")
    assert code == 0
    cycle = get_cycle("funnel")
    assert out.startswith('digraph "funnel" {')
    for stage in cycle.stages:
        assert f'  "{stage.id}" [label=' in out
    for a, b in zip(cycle.stages, cycle.stages[1:], strict=False):
        assert f'"{a.id}" -> "{b.id}"' in out


def test_diagram_mermaid_in_chinese() -> None:
    code, out, _ = run("diagram", "funnel", "--lang", "zh")
    assert code == 0
    assert out.startswith("stateDiagram-v2")
    assert get_cycle("funnel").stages[0].label.zh in out


def test_dot_text_escapes_quotes_and_backslashes() -> None:
    assert _dot_text('say "hi" \\ now') == '"say \\"hi\\" \\\\ now"'


def test_diagram_of_an_unknown_cycle_is_a_clean_error() -> None:
    code, _, err = run("diagram", "no-such-cycle")
    assert code == 2
    assert "no-such-cycle" in err
    assert "Traceback" not in err


def test_validate_accepts_valid_files(deals_file: Path) -> None:
    assert run("validate", str(deals_file))[0] == 0
    code, out, _ = run("validate", str(PIPELINE), "--format", "json")
    assert code == 0
    assert json.loads(out) == {
        "file": str(PIPELINE),
        "kind": "cycle",
        "valid": True,
        "problems": [],
    }


def test_validate_lists_every_problem_of_a_deal_with_its_path(tmp_path: Path) -> None:
    document = json.loads(dumps(_deals()[0]))
    document["data"]["amount"] = {"amount": 0.1, "currency": "CNY"}
    document["data"]["id"] = 7
    path = tmp_path / "deal.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    code, out, err = run("validate", str(path), "--format", "csv")
    assert code == 1, err
    rows = list(csv.DictReader(io.StringIO(out)))
    paths = {r["path"] for r in rows}
    assert len(rows) >= 2
    assert any("amount" in p for p in paths)
    assert any(p.endswith("id") for p in paths)


def test_validate_lists_the_problems_of_a_cycle_file(tmp_path: Path) -> None:
    broken = tmp_path / "broken.toml"
    broken.write_text(
        PIPELINE.read_text(encoding="utf-8").replace('kind = "pipeline"', 'kind = "spiral"'),
        encoding="utf-8",
    )
    code, out, _ = run("validate", str(broken))
    assert code == 1
    assert "spiral" in out
    assert "problems" in out


def test_validate_names_the_line_of_a_bad_deal(tmp_path: Path) -> None:
    path = tmp_path / "deals.jsonl"
    path.write_text(dumps(_deals()[0]) + "\n[1, 2]\n", encoding="utf-8")
    code, out, _ = run("validate", str(path))
    assert code == 1
    assert "line 2: document" in out
    assert "line 1" not in out


def test_validate_of_a_missing_file_is_an_input_error(tmp_path: Path) -> None:
    code, _, err = run("validate", str(tmp_path / "absent.json"))
    assert code == 2
    assert "absent.json" in err
    assert "Traceback" not in err
