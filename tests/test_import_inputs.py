"""The importers lose nothing: a source read twice gives its rows twice, line ids stay distinct.

The importers' input cases are in ``_cases_importers`` (run by ``test_public_inputs``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import bigaccount.importers
from bigaccount.errors import InvalidData
from bigaccount.importers import Problem, import_deals, read_csv, read_records

SNAPSHOT: dict[str, Any] = {
    "kind": "snapshot",
    "cycle": "funnel",
    "columns": {"id": "id", "account": "account", "amount": "amount", "stage": "stage"},
    "amount": {"currency": "CNY", "tax": "exclusive"},
    "segment": {"default": "sme"},
    "stages": {"Lead": "TARGET", "Won": "WON"},
}
BY_LINE: dict[str, Any] = {
    **SNAPSHOT,
    "columns": {"id": {"from": "line", "prefix": "R-"}, "account": "account", "stage": "stage"},
    "missing": {"amount": {"default": "0"}},
}
ROWS = [
    {"id": "o1", "account": "Acme", "amount": "100", "stage": "Lead"},
    {"id": "o2", "account": "Beta", "amount": "50", "stage": "Won"},
]
AS_OF = dt.date(2026, 3, 1)


def _rows() -> Iterator[dict[str, str]]:
    yield from ROWS


# -- a source read twice ---------------------------------------------------------------


@pytest.mark.parametrize("columns", [None, ("id", "account", "amount", "stage")])
def test_records_from_a_list_read_twice_give_every_row_twice(columns: Any) -> None:
    table = read_records(list(ROWS), columns=columns)
    first = import_deals(table, SNAPSHOT, as_of=AS_OF)
    second = import_deals(table, SNAPSHOT, as_of=AS_OF)
    assert (first.rows, second.rows) == (2, 2)
    assert list(first.deals) == list(second.deals) == ["o1", "o2"]
    assert list(table.records()) == list(table.records())


@pytest.mark.parametrize("columns", [None, ("id", "account", "amount", "stage")])
def test_records_from_an_iterator_refuse_a_second_read_instead_of_giving_nothing(
    columns: Any,
) -> None:
    table = read_records(_rows(), columns=columns)
    assert len(list(table.records())) == 2
    with pytest.raises(InvalidData) as caught:
        import_deals(table, SNAPSHOT, as_of=AS_OF)
    assert caught.value.field == "records"
    assert "read already" in caught.value.problem


def test_the_same_iterator_given_twice_in_one_import_is_refused() -> None:
    table = read_records(_rows())
    with pytest.raises(InvalidData, match="read already"):
        import_deals([table, table], BY_LINE, as_of=AS_OF)


def test_csv_and_frame_tables_read_twice_give_every_row_twice_and_restart_progress(
    tmp_path: Path,
) -> None:
    path = tmp_path / "opps.csv"
    path.write_text("id,account,amount,stage\no1,Acme,100,Lead\no2,Beta,50,Won\n", "utf-8")
    tables: list[Any] = [read_csv(path)]
    pandas = pytest.importorskip("pandas")
    tables.append(bigaccount.importers.read_frame(pandas.DataFrame(ROWS)))
    for table in tables:
        first = list(table.records())
        assert len(first) == 2
        assert list(table.records()) == first
        again = table.records()
        next(again)
        assert table.progress()[0] == 0
        again.close()


# -- ids taken from lines, several sources ---------------------------------------------


def test_ids_from_lines_are_distinct_across_sources_and_qualified_by_the_source() -> None:
    one = read_records([{"account": "Acme", "stage": "Lead"}, {"account": "Beta", "stage": "Won"}])
    two = read_records(
        [{"account": "Gamma", "stage": "Won"}, {"account": "Delta", "stage": "Bogus"}],
        name="later",
    )
    result = import_deals([one, two], BY_LINE, as_of=AS_OF)
    assert list(result.deals) == ["R-1:1", "R-1:2", "R-2:1"]
    assert result.deals["R-2:1"].account.name == "Gamma"
    assert result.rows == 4
    assert [(r.source, r.line, r.key, r.problem) for r in result.refused] == [
        ("later", 2, "R-2:2", Problem.UNKNOWN_STAGE)
    ]
    assert result.placed["R-2:1"] == ((1, 1),)


def test_ids_from_lines_of_one_source_are_its_lines() -> None:
    one = read_records([{"account": "Acme", "stage": "Lead"}, {"account": "Beta", "stage": "Won"}])
    result = import_deals(one, BY_LINE, as_of=AS_OF)
    assert list(result.deals) == ["R-1", "R-2"]


def test_identical_rows_of_two_sources_are_two_deals_and_noted_as_repeats() -> None:
    row = {"account": "Acme", "stage": "Lead"}
    sources = [read_records([row]), read_records([row], name="again")]
    result = import_deals(sources, BY_LINE, as_of=AS_OF)
    assert result.ok
    assert list(result.deals) == ["R-1:1", "R-2:1"]
    assert result.repeats == (((1, 1), (0, 1)),)
