"""The importers lose nothing and say where: a source read twice gives its rows twice, a
source given twice is refused, line ids stay distinct, every mapping problem has its place.

The importers' input cases are in ``_cases_importers`` (run by ``test_public_inputs``).
"""

from __future__ import annotations

import csv
import datetime as dt
import inspect
import io
import os
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import bigaccount.importers
from _cases_importers import MAPPING_DATA
from bigaccount import Account, Deal, Money
from bigaccount.cli import EXIT_ERROR, main
from bigaccount.errors import InvalidData, InvalidDefinition
from bigaccount.importers import (
    FactColumn,
    Formats,
    Mapping,
    Problem,
    ValueType,
    detect_encoding,
    import_deals,
    import_history,
    import_snapshot,
    read_csv,
    read_records,
)
from bigaccount.io import dumps

SNAPSHOT: dict[str, Any] = MAPPING_DATA
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


def test_the_same_table_given_twice_in_one_import_is_refused_before_a_row_is_read() -> None:
    for table in (read_records(_rows()), read_records(list(ROWS))):
        with pytest.raises(InvalidData) as caught:
            import_deals([table, table], BY_LINE, as_of=AS_OF)
        assert caught.value.field == "source"
        assert "source 2 is source 1 again (RecordsTable)" in caught.value.problem
    assert len(list(table.records())) == 2


def test_the_same_file_given_twice_is_refused_however_its_path_is_written() -> None:
    salvirt = DATA / "salvirt-b2b-sales" / "Salvirt_B2B_ML_dataset_HF.csv"
    again = Path(os.path.relpath(salvirt))
    for twice in ([salvirt, salvirt], [str(salvirt), again]):
        with pytest.raises(InvalidData) as caught:
            import_deals(twice, "salvirt-b2b", as_of=AS_OF)
        assert caught.value.field == "source"
        assert "Salvirt_B2B_ML_dataset_HF.csv" in caught.value.problem
    assert len(import_deals(salvirt, "salvirt-b2b", as_of=AS_OF).deals) == 448


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


# -- every problem of a mapping with its place ------------------------------------------

DATA = Path(__file__).parent / "data"
SHIPPED = Path(bigaccount.importers.__file__).parent / "mappings"


def _maven(**tables: dict[str, Any]) -> dict[str, Any]:
    data = tomllib.loads((SHIPPED / "maven-crm.toml").read_text(encoding="utf-8"))
    for key, values in tables.items():
        if isinstance(data.get(key), dict):
            data[key] = {**data[key], **values}
        else:
            data[key] = values
    return data


def _problems(data: dict[str, Any]) -> list[str]:
    with pytest.raises(InvalidDefinition) as caught:
        Mapping.from_dict(data, origin="maven-crm.toml")
    return [f"{where}: {problem}" for where, problem in caught.value.problems]


@pytest.mark.parametrize(
    ("tables", "place"),
    [
        ({"formats": {"true": [""]}}, "formats.true[0]"),
        ({"formats": {"false": ["No", " "]}}, "formats.false[1]"),
        ({"outcome": {"open": [""]}}, "outcome.open[0]"),
        (
            {"facts": {"product": {"column": "product", "type": "text", "unknown": [""]}}},
            "facts.product.unknown[0]",
        ),
        ({"missing": {"outcome": {"default": None}}}, "missing.outcome.default"),
        ({"csv": {"encoding": "base64"}}, "csv.encoding"),
    ],
)
def test_a_wrong_word_or_value_is_a_problem_with_its_place_among_the_others(
    tables: dict[str, Any], place: str
) -> None:
    found = _problems(_maven(kind="snapshott", **tables))
    assert len(found) == 2
    assert found[0].startswith("maven-crm.toml: kind: unknown value 'snapshott'")
    assert found[1].startswith(f"maven-crm.toml: {place}: ")


def test_the_same_file_with_a_blank_yes_word_reports_both_problems(tmp_path: Path) -> None:
    text = (SHIPPED / "maven-crm.toml").read_text(encoding="utf-8")
    text = text.replace("[formats]\n", '[formats]\ntrue = [""]\n', 1)
    text = text.replace('kind = "snapshot"', 'kind = "snapshott"', 1)
    path = tmp_path / "maven-crm.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InvalidDefinition) as caught:
        Mapping.load(path)
    assert [where for where, _ in caught.value.problems] == [
        "maven-crm.toml: kind",
        "maven-crm.toml: formats.true[0]",
    ]


def test_blank_words_follow_one_rule_in_the_builder_formats_and_facts() -> None:
    for make in (
        lambda: Formats(true=("Yes", " ")),
        lambda: FactColumn("f", "F", ValueType.BOOL, true=("Yes", " ")),
    ):
        with pytest.raises(InvalidData) as caught:
            make()
        assert caught.value.field == "true[1]"
    assert Formats(true=(" Yes ",)).true == FactColumn("f", "F", "bool", true=" Yes ").true
    assert Formats(missing=("", " ", " NULL ")).missing == frozenset({"", "NULL"})
    mapping = Mapping.from_dict(
        _maven(formats={"missing": ["", " NULL "], "true": [" Yes "], "false": "No"})
    )
    assert mapping.formats.missing == frozenset({"", "NULL"})
    assert (mapping.formats.true, mapping.formats.false) == (("Yes",), ("No",))


# -- sources -------------------------------------------------------------------------------


def test_records_of_a_dict_reader_over_lines_ending_in_a_delimiter_import() -> None:
    reader = csv.DictReader(io.StringIO("id,acc,amt,stage,\no1,A,10,Won,\n"))
    mapping = {
        **SNAPSHOT,
        "columns": {"id": "id", "account": "acc", "amount": "amt", "stage": "stage"},
    }
    result = import_deals(read_records(reader), mapping, as_of=AS_OF)
    assert (result.rows, list(result.deals)) == (1, ["o1"])
    assert result.columns == ("id", "acc", "amt", "stage", "")


def test_a_mapping_never_reads_a_blank_column_so_a_blank_key_is_only_carried() -> None:
    table = read_records([{"id": "o1", "": "Acme", "amount": "1", "stage": "Won"}])
    mapping = {**SNAPSHOT, "columns": {**SNAPSHOT["columns"], "account": " "}}
    with pytest.raises(InvalidDefinition, match=r"columns\.account"):
        import_deals(table, mapping, as_of=AS_OF)


class _Where(os.PathLike[str]):
    def __init__(self, path: Path) -> None:
        self.path = path

    def __fspath__(self) -> str:
        return str(self.path)


def test_a_mapping_loads_from_any_path_like_object_and_refuses_a_non_path() -> None:
    loaded = Mapping.load(_Where(SHIPPED / "maven-crm.toml"))
    assert loaded == Mapping.load(SHIPPED / "maven-crm.toml")
    assert bigaccount.importers.resolve_mapping(_Where(SHIPPED / "maven-crm.toml")) == loaded
    with pytest.raises(InvalidData) as caught:
        Mapping.load(1)  # type: ignore[arg-type]
    assert caught.value.field == "path"


@pytest.mark.parametrize("codec", ["base64", "zlib", "rot13"])
def test_a_codec_that_is_not_a_text_encoding_is_refused_by_name(codec: str, tmp_path: Path) -> None:
    path = tmp_path / "rows.csv"
    path.write_text("id,account,amount,stage\no1,Acme,100,Lead\n", "utf-8")
    with pytest.raises(InvalidData) as caught:
        read_csv(path, encoding=codec)
    assert (caught.value.field, codec in caught.value.problem) == ("encoding", True)
    mapping = Mapping.from_dict(SNAPSHOT)
    with pytest.raises(InvalidData) as caught:
        Mapping(**{**_fields(mapping), "encoding": codec})
    assert caught.value.field == "encoding"
    out, err = io.StringIO(), io.StringIO()
    code = main(["import", "maven-crm", str(path), "--encoding", codec], out=out, err=err)
    assert code == EXIT_ERROR
    assert err.getvalue().startswith(f"bigaccount: --encoding: {codec!r} is not a text encoding")


def _fields(mapping: Mapping) -> dict[str, Any]:
    import attrs

    return {f.name: getattr(mapping, f.name) for f in attrs.fields(Mapping)}


def test_a_file_that_cannot_be_read_is_reported_alike_under_each_parameter(
    tmp_path: Path,
) -> None:
    absent = tmp_path / "absent.csv"
    errors = []
    for call in (
        lambda: import_deals(absent, SNAPSHOT),
        lambda: read_csv(absent),
        lambda: detect_encoding(absent),
    ):
        with pytest.raises(InvalidData) as caught:
            call()
        errors.append((caught.value.field, caught.value.problem))
    problem = f"cannot read {absent}: No such file or directory"
    assert errors == [("source", problem), ("path", problem), ("path", problem)]


# -- the command line's base, a mapping's fields, the calls' parameters ---------------------


def test_the_command_lines_base_refuses_two_deals_of_one_id_as_the_importer_does(
    tmp_path: Path,
) -> None:
    one = Deal("006bm00000LKJNPAA5", Account("Acme", "sme"), Money("100", "USD"))
    two = Deal("006bm00000LKJNPAA5", Account("Beta", "sme"), Money("5", "USD"))
    base = tmp_path / "base.jsonl"
    base.write_text(f"{dumps(one)}\n{dumps(two)}\n", encoding="utf-8")
    history = DATA / "salesforce-devorg-sample" / "OpportunityHistory.csv"
    with pytest.raises(InvalidData, match="two deals have the id '006bm00000LKJNPAA5'"):
        import_deals(history, "salesforce-history", base=[one, two])
    out, err = io.StringIO(), io.StringIO()
    argv = ["import", "salesforce-history", str(history), "--base", str(base)]
    assert main(argv, out=out, err=err) == EXIT_ERROR
    assert "two deals have the id '006bm00000LKJNPAA5'" in err.getvalue()
    assert out.getvalue() == ""


def test_a_mappings_field_of_an_unknown_name_is_none_and_a_non_text_name_is_refused() -> None:
    mapping = Mapping.from_dict(SNAPSHOT)
    assert mapping.field("amount") == "amount"
    assert mapping.field("owner") is None
    assert mapping.field("bogus") is None
    with pytest.raises(InvalidData) as caught:
        mapping.field(1)  # type: ignore[arg-type]
    assert caught.value.field == "name"
    assert "1" in caught.value.problem


def test_the_one_kind_calls_take_only_the_options_of_their_kind() -> None:
    assert "base" not in inspect.signature(import_snapshot).parameters
    assert "as_of" not in inspect.signature(import_history).parameters
