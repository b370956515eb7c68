"""The worked mappings of docs/import.md (HubSpot, Odoo, SuiteCRM) import files of their headers."""

from __future__ import annotations

import csv
import datetime as dt
import re
import tomllib
from pathlib import Path

import pytest

from bigaccount.importers import Mapping, import_deals

PAGE = Path(__file__).parent.parent / "docs" / "import.md"
BLOCKS = re.findall(r"```toml\n(.*?)```", PAGE.read_text(encoding="utf-8"), re.DOTALL)


def test_the_page_has_the_three_worked_examples() -> None:
    sources = [tomllib.loads(block)["source"] for block in BLOCKS]
    assert sources == ["hubspot", "odoo", "suitecrm"]


def _cell(mapping: Mapping, field: str, lost: bool) -> str:
    day = dt.date(2026, 3, 2)
    if field in ("expected_close", "created"):
        fmt = mapping.formats.dates[0]
        return day.isoformat() if fmt == "iso" else day.strftime(fmt)
    if field == "stage":
        states = {v: k for k, v in reversed(list(mapping.stages.items()))}
        if lost and "LOST" in states:
            return states["LOST"]
        return states["INTENT"] if "INTENT" in states else next(iter(mapping.stages))
    if field == "outcome":
        wanted = "LOST" if lost else None
        return next(word for word, state in mapping.outcomes.items() if state == wanted)
    if field == "currency":
        return "EUR"
    if field == "amount":
        return "125000"
    if field == "reason":
        return "price" if lost else ""
    return {"id": "1" if not lost else "2", "account": "Acme GmbH", "owner": "Ann"}.get(field, "x")


@pytest.mark.parametrize("block", BLOCKS, ids=lambda b: tomllib.loads(b)["source"])
def test_a_worked_mapping_imports_a_file_with_its_header(block: str, tmp_path: Path) -> None:
    mapping = Mapping.from_dict(tomllib.loads(block), origin="docs")
    by_column: dict[str, str] = {}
    for field, column in mapping.columns.items():
        by_column.setdefault(column, field)
    path = tmp_path / "export.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        header = [*mapping.columns_used, "Some other column"]
        writer.writerow(header)
        for lost in (False, True):
            used = set(mapping.columns_used)
            writer.writerow(
                [
                    _cell(mapping, by_column.get(c, "fact"), lost) if c in used else "x"
                    for c in header
                ]
            )
    result = import_deals(path, mapping)
    assert result.ok, result.refused
    states = {d.id: d.state("funnel") for d in result.deals.values()}
    assert states["2"] == "LOST"
    assert states["1"] in ("INTENT", "TARGET")
    assert str(result.deals["1"].amount).startswith("125,000")
