"""Sources: CSV by header (never by position), encodings, oversized fields, DataFrames, records."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from bigaccount import InvalidData, Money
from bigaccount.importers import (
    MissingColumns,
    Problem,
    detect_encoding,
    import_deals,
    read_csv,
    read_frame,
    read_records,
)
from bigaccount.importers.sources import Unreadable

MAPPING: dict[str, Any] = {
    "kind": "snapshot",
    "cycle": "funnel",
    "columns": {
        "id": "Id",
        "account": "Account",
        "amount": "Amount",
        "stage": "Stage",
        "created": "Created",
    },
    "amount": {"currency": "CNY", "tax": "inclusive"},
    "segment": {"default": "enterprise"},
    "stages": {"目标": "TARGET", "意向": "INTENT", "赢单": "WON"},
}


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def test_columns_are_found_by_header_name_in_any_order(tmp_path: Path) -> None:
    path = write(
        tmp_path / "opps.csv",
        "Stage,Created,Notes,Amount,Account,Id\n"
        "目标,2026-03-01,x,1000,江南智造,o1\n"
        "\n"
        "赢单,2026-03-02,,2500.50,华东电力,o2\n",
    )
    result = import_deals(path, MAPPING)
    assert result.rows == 2
    assert result.ok
    assert result.deals["o2"].amount == Money("2500.50", "CNY")
    assert result.deals["o1"].account.name == "江南智造"
    assert [p.line for p in result.placed["o2"]] == [4]


def test_a_missing_column_is_a_clear_error_naming_every_one(tmp_path: Path) -> None:
    path = write(tmp_path / "opps.csv", "Id,Stage,Value\no1,目标,1\n")
    with pytest.raises(MissingColumns) as caught:
        import_deals(path, MAPPING)
    assert caught.value.missing == ("Account", "Amount", "Created")
    assert "opps.csv has no column 'Account', 'Amount', 'Created'" in str(caught.value)
    semi = write(tmp_path / "semi.csv", "Id;Account;Amount;Stage;Created\n")
    with pytest.raises(MissingColumns, match="is the delimiter ';'"):
        import_deals(semi, MAPPING)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-32"])
def test_unicode_encodings_are_detected(tmp_path: Path, encoding: str) -> None:
    text = "Id,Account,Amount,Stage,Created\no1,江南智造,1000,目标,2026-03-01\n"
    path = write(tmp_path / "opps.csv", text, encoding)
    table = read_csv(path)
    assert table.columns == ("Id", "Account", "Amount", "Stage", "Created")
    result = import_deals(path, MAPPING)
    assert result.deals["o1"].account.name == "江南智造"


def test_legacy_encodings_are_declared_or_detected(tmp_path: Path) -> None:
    text = "Id,Account,Amount,Stage,Created\n" + "".join(
        f"o{i},江南智造集团有限公司{i},1000,目标,2026-03-01\n" for i in range(40)
    )
    path = write(tmp_path / "gbk.csv", text, "gb18030")
    declared = import_deals(path, {**MAPPING, "csv": {"encoding": "gb18030"}})
    assert declared.deals["o3"].account.name == "江南智造集团有限公司3"
    with pytest.raises(InvalidData, match=r"gbk\.csv is not UTF-8.*declare its encoding"):
        detect_encoding(path)
    with pytest.raises(InvalidData, match="declare its encoding"):
        import_deals(path, MAPPING)


def test_an_oversized_field_refuses_its_record_and_reading_goes_on(tmp_path: Path) -> None:
    big = "x" * (csv.field_size_limit() + 10)
    path = write(
        tmp_path / "big.csv",
        "Id,Account,Amount,Stage,Created\n"
        f"o1,{big},1,目标,2026-03-01\n"
        f'o2,"{big}\nstill the field, with ""quotes""\nand more",1,目标,2026-03-01\n'
        "o3,Acme,1,目标,2026-03-01\n",
    )
    result = import_deals(path, MAPPING)
    assert result.rows == 3
    assert [(r.line, r.problem) for r in result.refused] == [
        (2, Problem.FIELD_TOO_LARGE),
        (3, Problem.FIELD_TOO_LARGE),
    ]
    assert list(result.deals) == ["o3"]
    assert result.placed["o3"][0].line == 6


def test_records_with_another_number_of_fields_are_malformed(tmp_path: Path) -> None:
    path = write(
        tmp_path / "short.csv",
        "Id,Account,Amount,Stage,Created\no1,Acme,1,目标\no2,Acme,1,目标,2026-03-01,extra\n",
    )
    result = import_deals(path, MAPPING)
    assert [r.problem for r in result.refused] == [Problem.MALFORMED, Problem.MALFORMED]
    assert "4 fields where the header has 5" in result.refused[0].detail
    lines = list(read_csv(path).records())
    assert isinstance(lines[0][1], Unreadable)


def test_empty_files_and_undecodable_bytes_are_clear_errors(tmp_path: Path) -> None:
    with pytest.raises(InvalidData, match="is empty"):
        read_csv(write(tmp_path / "empty.csv", "\n\n"))
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"Id,Account,Amount,Stage,Created\n" + b"o1,\xff\xfe\xfa,1,x,y\n" * 3)
    with pytest.raises(InvalidData, match="encoding"):
        import_deals(bad, {**MAPPING, "csv": {"encoding": "utf-8"}})


def test_records_and_their_lines() -> None:
    items: list[Any] = [{"Id": "o1", "Stage": "目标"}, {"Id": "o2"}, "not a mapping"]
    records = list(read_records(items).records())
    assert records[:2] == [(1, ("o1", "目标")), (2, ("o2", None))]
    third = records[2][1]
    assert isinstance(third, Unreadable)
    assert third.problem is Problem.MALFORMED


def test_dataframes_with_numpy_values_and_missing_cells() -> None:
    pd = pytest.importorskip("pandas")
    np = pytest.importorskip("numpy")
    frame = pd.DataFrame(
        {
            "Id": ["o1", "o2", "o3", "o4"],
            "Account": ["Acme", None, "Beta", "Gamma"],
            "Amount": np.array([1000, 2500, 0, 7], dtype="int64"),
            "Stage": ["目标", "意向", "赢单", "未知"],
            "Created": pd.to_datetime(["2026-03-01", "2026-03-02", None, "2026-03-04"]),
        }
    )
    result = import_deals(read_frame(frame, name="opps"), MAPPING)
    assert result.rows == 4
    assert result.deals["o1"].amount == Money(1000, "CNY")
    assert result.deals["o1"].events[-1].at == dt.datetime(2026, 3, 1, tzinfo=dt.timezone.utc)
    assert {(r.line, r.problem) for r in result.refused} == {
        (2, Problem.MISSING_VALUE),
        (3, Problem.NO_TIME),
        (4, Problem.UNKNOWN_STAGE),
    }
    floats = frame.assign(Amount=[1000.5, 2.25, 3.0, 4.0], Account="Acme")
    refused = import_deals(floats, MAPPING)
    assert {r.problem for r in refused.refused} >= {Problem.BAD_AMOUNT}
    rounding = {**MAPPING, "amount": {**MAPPING["amount"], "round": "0.1"}}
    accepted = import_deals(floats, rounding)
    assert accepted.deals["o1"].amount == Money("1000.5", "CNY")
    assert accepted.deals["o2"].amount == Money("2.2", "CNY")
