"""The pandas adapter: the same forecast as the column path, read from a DataFrame."""

from __future__ import annotations

import csv
import datetime as dt
from collections import defaultdict
from decimal import ROUND_HALF_EVEN, Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bigaccount import CurrencyMismatch, InvalidData, get_cycle
from bigaccount.analytics._columns import on_grid
from bigaccount.analytics.forecast import TaxBasis, forecast_columns
from bigaccount.analytics.frames import forecast_frame, forecast_frame_by, forecast_table
from bigaccount.analytics.fx import FxTable
from bigaccount.analytics.periods import Horizon

pd = pytest.importorskip("pandas")
np = pytest.importorskip("numpy")

MAVEN = Path(__file__).resolve().parent / "data" / "maven-crm-sales-opportunities"
H2026 = Horizon(dt.date(2026, 1, 1), 12)
STAGES = ["TARGET", "INTENT", "APPROVED", "ENDORSED", "NEGOTIATION", "CLOSED", "WON", "LOST"]

grid = st.integers(0, 10_000)
days = st.dates(dt.date(2025, 6, 1), dt.date(2027, 6, 30)) | st.none()
owners = st.sampled_from(["li", "wang", "zhao"]) | st.none()
rows = st.lists(st.tuples(st.integers(0, 10**12), grid, days, owners), max_size=40)


def column_path(amounts, probabilities, closes, **kw):
    kw.setdefault("horizon", H2026)
    kw.setdefault("currency", "CNY")
    kw.setdefault("tax", TaxBasis.INCLUSIVE)
    return forecast_columns(amounts, probabilities, closes, **kw)


def frame_of(data):
    return pd.DataFrame(
        {
            "amount": pd.Series([a for a, *_ in data], dtype="int64"),
            "p": pd.Series([p / 10_000 for _, p, *_ in data], dtype="float64"),
            "close": pd.Series(pd.to_datetime([c for _, _, c, _ in data]), dtype="datetime64[ns]"),
            "owner": pd.Series([o for *_, o in data], dtype=object),
        }
    )


def by_frame(frame, **kw):
    kw.setdefault("horizon", H2026)
    kw.setdefault("currency", "CNY")
    kw.setdefault("tax", "inclusive")
    kw.setdefault("amount", "amount")
    kw.setdefault("close", "close")
    if "stage" not in kw:
        kw.setdefault("probability", "p")
    return forecast_frame(frame, **kw)


@given(rows)
def test_a_frame_gives_the_column_paths_forecast(data):
    frame = frame_of(data)
    expected = column_path(
        [a for a, *_ in data],
        [Decimal(p).scaleb(-4) for _, p, *_ in data],
        [c for _, _, c, _ in data],
        minor_unit=2,
    )
    assert by_frame(frame, minor_unit=2) == expected


@given(rows)
def test_decimal_amounts_and_decimal_probabilities_are_exact(data):
    amounts = [Decimal(a).scaleb(-2) for a, *_ in data]
    probabilities = [Decimal(p).scaleb(-4) for _, p, *_ in data]
    closes = [c for _, _, c, _ in data]
    frame = pd.DataFrame(
        {
            "amount": pd.Series(amounts, dtype=object),
            "p": pd.Series(probabilities, dtype=object),
            "close": pd.Series(closes, dtype=object),
        }
    )
    assert by_frame(frame) == column_path(amounts, probabilities, closes)


@given(rows)
def test_groups_are_the_forecasts_of_their_rows(data):
    frame = frame_of(data)
    result = forecast_frame_by(
        frame,
        by="owner",
        amount="amount",
        probability="p",
        close="close",
        horizon=H2026,
        currency="CNY",
        tax="inclusive",
    )
    expected_keys = list(dict.fromkeys(o for *_, o in data if o is not None))
    if any(o is None for *_, o in data):
        expected_keys.append(None)
    assert list(result) == expected_keys
    for owner, forecast in result.items():
        mine = [r for r in data if r[3] == owner]
        assert forecast == column_path(
            [a for a, *_ in mine],
            [Decimal(p).scaleb(-4) for _, p, *_ in mine],
            [c for _, _, c, _ in mine],
        )


@given(st.lists(st.tuples(st.sampled_from(STAGES), st.integers(0, 10**9), days), max_size=30))
def test_stage_columns_read_the_cycles_probabilities(data):
    cycle = get_cycle("funnel")
    frame = pd.DataFrame(
        {
            "amount": pd.Series([a for _, a, _ in data], dtype="int64"),
            "stage": pd.Series([s for s, _, _ in data], dtype=object),
            "close": pd.Series(pd.to_datetime([c for *_, c in data]), dtype="datetime64[ns]"),
        }
    )
    expected = column_path(
        [a for _, a, _ in data],
        [on_grid(cycle.probability(s)) for s, _, _ in data],
        [c for *_, c in data],
    )
    assert by_frame(frame, stage="stage", stages=cycle) == expected
    own = {"TARGET": "0.1", "INTENT": "0.25"}
    kept = [r for r in data if r[0] in own]
    mapped = by_frame(frame[frame.stage.isin(list(own))], stage="stage", stages=own)
    assert mapped == column_path(
        [a for _, a, _ in kept], [own[s] for s, _, _ in kept], [c for *_, c in kept]
    )


def test_floats_need_an_explicit_rounding():
    frame = pd.DataFrame(
        {"amount": [0.285, 1999.985, 2.675], "p": [1.0, 0.5, 0.25], "close": [None] * 3}
    )
    with pytest.raises(InvalidData) as info:
        by_frame(frame)
    assert info.value.field == "amount"
    assert "round_floats" in info.value.problem
    rounded = by_frame(frame, round_floats=2)
    cents = [
        int(Decimal(repr(v)).quantize(Decimal("0.01"), rounding=ROUND_HALF_EVEN).scaleb(2))
        for v in frame.amount
    ]
    assert cents == [28, 199_998, 268]  # half-even from the shortest repr (2.675 → 2.68)
    assert rounded == column_path(cents, [1, "0.5", "0.25"], [None] * 3, minor_unit=2)
    with pytest.raises(InvalidData):
        by_frame(frame.assign(amount=[1.0, float("nan"), 2.0]), round_floats=2)


def test_other_currencies_are_converted_only_through_an_fx_table():
    frame = pd.DataFrame(
        {
            "amount": [Decimal("100"), Decimal("10.5"), Decimal("7")],
            "ccy": ["CNY", "USD", "cny"],
            "p": [1.0, 0.5, 0.2],
            "close": pd.to_datetime(["2026-01-03", "2026-01-20", "2026-02-01"]),
        }
    )
    with pytest.raises(CurrencyMismatch):
        by_frame(frame, currency_column="ccy")
    fx = FxTable("CNY", {"USD": "7.1"}, dt.date(2026, 1, 31))
    result = by_frame(frame, currency_column="ccy", fx=fx)
    converted = fx.column(list(frame.amount), ["CNY", "USD", "CNY"])
    closes = [dt.date(2026, 1, 3), dt.date(2026, 1, 20), dt.date(2026, 2, 1)]
    assert result == column_path(converted, ["1", "0.5", "0.2"], closes)
    january = Decimal("100") + Decimal("10.5") * Decimal("7.1") / 2
    assert result.periods[0].weighted.amount == january


def test_bad_frames_are_refused_naming_the_column():
    frame = pd.DataFrame({"amount": [1, 2], "p": [0.5, 1 / 3], "close": [None, None]})
    with pytest.raises(InvalidData) as info:
        by_frame(frame)
    assert info.value.field == "p[1]"
    with pytest.raises(InvalidData) as info:
        by_frame(frame, probability="chance")
    assert info.value.field == "chance"
    with pytest.raises(InvalidData):
        by_frame(frame, stage="p")  # both a probability and a stage column
    with pytest.raises(InvalidData) as info:
        by_frame(frame.assign(s=["TARGET", "NOPE"]), probability=None, stage="s", stages="funnel")
    assert "NOPE" in info.value.problem
    with pytest.raises(InvalidData) as info:
        by_frame(frame.assign(amount=pd.array([1, None], dtype="Int64"), p=[0.5, 0.5]))
    assert info.value.field == "amount[1]"
    with pytest.raises(InvalidData):
        by_frame(frame.assign(amount=[1, Decimal(2)], p=[0.5, 0.5]))  # ints and Decimals mixed


def test_an_aware_close_column_is_read_in_its_own_calendar():
    shanghai = pd.to_datetime(["2026-01-31 23:30"]).tz_localize("Asia/Shanghai")
    frame = pd.DataFrame({"amount": [100], "p": [1.0], "close": shanghai})
    assert by_frame(frame).periods[0].deals == 1  # 31 January in Shanghai
    utc = frame.assign(close=frame.close.dt.tz_convert("UTC"))
    assert by_frame(utc).periods[0].deals == 1  # 15:30 UTC, still January


def test_the_display_table_shows_the_result_with_bilingual_headers():
    frame = pd.DataFrame(
        {"amount": [100, 200, 300], "p": [1.0, 0.5, 0.5], "close": [None, None, None]}
    )
    frame["close"] = pd.to_datetime(["2025-12-01", "2026-01-05", None])
    result = by_frame(frame, horizon=Horizon(dt.date(2026, 1, 1), 2))
    en, zh = forecast_table(result, lang="en"), forecast_table(result, lang="zh")
    assert list(en.columns) == ["deals", "amount", "weighted"]
    assert list(zh.columns) == ["商机数", "金额", "加权金额"]
    assert list(en.index) == ["2026-01", "2026-02", "overdue", "later", "undated", "total"]
    assert en.index.name == "period"
    assert zh.index.name == "期间"
    rows = (*result.periods, result.overdue, result.later, result.undated, result.total)
    assert list(en["weighted"]) == [r.weighted.amount for r in rows]
    assert list(zh["商机数"]) == [r.deals for r in rows] == [1, 0, 1, 0, 1, 3]
    with pytest.raises(InvalidData):
        forecast_table(frame)


def test_maven_won_value_by_owner_and_quarter_matches_the_csv():
    with (MAVEN / "sales_pipeline.csv").open(newline="") as handle:
        records = list(csv.DictReader(handle))
    won = [r for r in records if r["deal_stage"] == "Won"]
    expected: dict[tuple[str, str], int] = defaultdict(int)
    for r in won:
        quarter = f"{r['close_date'][:4]}Q{(int(r['close_date'][5:7]) - 1) // 3 + 1}"
        expected[(r["sales_agent"], quarter)] += int(r["close_value"])
    frame = pd.read_csv(MAVEN / "sales_pipeline.csv", parse_dates=["close_date"])
    frame = frame[frame.deal_stage == "Won"].assign(
        close_value=lambda f: f.close_value.astype("int64"), p=1.0
    )
    result = forecast_frame_by(
        frame,
        by="sales_agent",
        amount="close_value",
        probability="p",
        close="close_date",
        horizon=Horizon(dt.date(2017, 1, 1), 4, "quarter"),
        currency="USD",
        tax="exclusive",
    )
    got = {
        (agent, p.period.label): int(p.weighted.amount)
        for agent, forecast in result.items()
        for p in forecast.periods
        if p.deals
    }
    assert got == dict(expected)
    assert sum(f.total.weighted.amount for f in result.values()) == sum(
        int(r["close_value"]) for r in won
    )
