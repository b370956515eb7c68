"""The weekly pipeline review notebook runs on the real data, draws its charts, and reports
figures that the raw CSV files confirm.

The notebook is executed once (nbclient, a python3 kernel, from the repository root) and
its outputs are read. Its summary cell (tagged ``summary``) prints the review's figures as
JSON; they are recomputed here from the CSV files with the csv module.
"""

from __future__ import annotations

import base64
import csv
import datetime as dt
import json
from collections import Counter
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

nbformat = pytest.importorskip("nbformat", reason="the notebook tools: pip install nbformat")
nbclient = pytest.importorskip("nbclient", reason="the notebook tools: pip install nbclient")
pytest.importorskip("ipykernel", reason="the notebook tools: pip install ipykernel")
pytest.importorskip("matplotlib", reason="the notebook draws charts: the plot extra")

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "examples" / "weekly_pipeline_review.ipynb"
DATA = Path(__file__).resolve().parent / "data"
REVIEW = dt.date(2017, 7, 3)
PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def executed() -> Any:
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    client = nbclient.NotebookClient(
        notebook, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(ROOT)}}
    )
    client.execute()
    return notebook


def outputs_of(notebook: Any, needle: str) -> list[Any]:
    """The outputs of the one code cell whose source contains *needle*."""
    found = [c for c in notebook.cells if c.cell_type == "code" and needle in c.source]
    assert len(found) == 1, needle
    return list(found[0].outputs)


def markdown_of(notebook: Any, needle: str) -> str:
    data = [o.data for o in outputs_of(notebook, needle) if "data" in o]
    return "".join(d["text/markdown"] for d in data if "text/markdown" in d)


def test_the_committed_notebook_has_no_outputs() -> None:
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    nbformat.validate(notebook)
    code = [c for c in notebook.cells if c.cell_type == "code"]
    assert code
    assert all(not c.outputs and c.execution_count is None for c in code)


def test_the_notebook_runs_without_errors_or_warnings(executed: Any) -> None:
    for cell in executed.cells:
        if cell.cell_type != "code":
            continue
        for output in cell.outputs:
            assert output.output_type != "error", cell.source
            if output.output_type == "stream":
                assert output.name == "stdout", (cell.source, output.text)


@pytest.mark.parametrize(
    ("needle", "count"),
    [
        ("show(funnel_chart(", 1),
        ("show(reliability_diagram(reliability(declared", 1),
        ('show(reliability_diagram(cv.result("calibrated")', 1),
        ("show(fan_chart(", 1),
    ],
)
def test_the_charts_are_drawn(executed: Any, needle: str, count: int) -> None:
    images = [
        base64.b64decode(o.data["image/png"])
        for o in outputs_of(executed, needle)
        if "data" in o and "image/png" in o.data
    ]
    assert len(images) == count
    for image in images:
        assert image.startswith(PNG)
        assert len(image) > 5000


def test_values_display_themselves(executed: Any) -> None:
    cycle = markdown_of(executed, 'funnel = get_cycle("funnel")')
    assert cycle.count("```mermaid\nstateDiagram-v2") == 1
    deal = markdown_of(executed, "open_then[0]")
    assert "**history**" in deal
    assert "| funnel | INTENT |" in deal
    forecast = markdown_of(executed, "forecast = forecast_columns(")
    assert forecast.startswith("| period | deals | amount | weighted amount |")
    assert [line.split(" | ")[0] for line in forecast.splitlines()[2:5]] == [
        "| 2017-07",
        "| 2017-08",
        "| 2017-09",
    ]
    spread = markdown_of(executed, "revenue = won_revenue_by_period(")
    assert spread.startswith("| period | deals | mean | sd | P10 | P50 | P90 |")


def _summary(notebook: Any) -> dict[str, Any]:
    cells = [c for c in notebook.cells if "summary" in c.metadata.get("tags", [])]
    assert len(cells) == 1
    text = "".join(o.text for o in cells[0].outputs if o.output_type == "stream")
    figures: dict[str, Any] = json.loads(text)
    return figures


def test_the_review_figures_match_the_raw_data(executed: Any) -> None:
    figures = _summary(executed)
    with (DATA / "maven-crm-sales-opportunities" / "sales_pipeline.csv").open(newline="") as f:
        rows = list(csv.DictReader(f))

    def day(text: str) -> dt.date | None:
        return dt.date.fromisoformat(text) if text else None

    started = [r for r in rows if r["engage_date"] and day(r["engage_date"]) <= REVIEW]
    closed = [r for r in started if r["close_date"] and day(r["close_date"]) <= REVIEW]
    still_open = [r for r in started if r not in closed]
    won_later: Counter[str] = Counter()
    for r in still_open:
        if r["deal_stage"] == "Won":
            won_later[r["close_date"][:7]] += Decimal(r["close_value"])
    assert figures["rows"] == len(rows)
    assert figures["started_by_review"] == len(started)
    assert figures["open_at_review"] == len(still_open)
    assert figures["closed_by_review"] == {
        "won": sum(r["deal_stage"] == "Won" for r in closed),
        "deals": len(closed),
    }
    assert figures["actual_won_by_month"] == {k: str(v) for k, v in sorted(won_later.items())}
    with (DATA / "salvirt-b2b-sales" / "Salvirt_B2B_ML_dataset_HF.csv").open(newline="") as f:
        salvirt = list(csv.DictReader(f, delimiter=";"))
    assert figures["salvirt"] == {
        "deals": len(salvirt),
        "won": sum(r["Status"] == "Won" for r in salvirt),
    }
