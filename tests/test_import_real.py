"""The shipped mappings on the three real exports; every figure recomputed with the csv module."""

from __future__ import annotations

import csv
import datetime as dt
import statistics
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest

from bigaccount import Deal, Outcome, StageChange
from bigaccount.analytics.health import funnel_health
from bigaccount.importers import ImportResult, Mapping, Problem, import_deals, mapping_names
from bigaccount.io import dumps, loads
from bigaccount.money import total

DATA = Path(__file__).parent / "data"
MAVEN = DATA / "maven-crm-sales-opportunities" / "sales_pipeline.csv"
OPPORTUNITY = DATA / "salesforce-devorg-sample" / "Opportunity.csv"
HISTORY = DATA / "salesforce-devorg-sample" / "OpportunityHistory.csv"
SALVIRT = DATA / "salvirt-b2b-sales" / "Salvirt_B2B_ML_dataset_HF.csv"
AS_OF = dt.datetime(2018, 1, 1, tzinfo=dt.timezone.utc)


def _rows(path: Path, delimiter: str = ",") -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle, delimiter=delimiter))


def _accounted(result: ImportResult) -> None:
    """Every row is in exactly one place: a deal's rows, or the refused list."""
    placed = [(result.sources[p.source], p.line) for rows in result.placed.values() for p in rows]
    refused = [(r.source, r.line) for r in result.refused]
    assert len(set(placed)) == len(placed)
    assert not set(placed) & set(refused)
    assert result.rows == len(placed) + len(refused) == result.accepted + len(result.refused)


@pytest.fixture(scope="module")
def maven() -> ImportResult:
    return import_deals(MAVEN, "maven-crm", as_of=AS_OF)


def test_every_shipped_mapping_loads() -> None:
    assert set(mapping_names()) >= {
        "maven-crm",
        "salesforce-opportunity",
        "salesforce-history",
        "salvirt-b2b",
    }
    for name in mapping_names():
        assert Mapping.shipped(name).name == name


def test_maven_counts_won_value_and_win_rate(maven: ImportResult) -> None:
    rows = _rows(MAVEN)
    stages = Counter(r["deal_stage"] for r in rows)
    won_value = sum(int(r["close_value"]) for r in rows if r["deal_stage"] == "Won")
    _accounted(maven)
    assert maven.rows == len(rows)
    assert not maven.refused
    states = {"Prospecting": "TARGET", "Engaging": "INTENT", "Won": "WON", "Lost": "LOST"}
    assert maven.by_state == {states[s]: n for s, n in stages.items()}
    won = [d for d in maven.deals.values() if d.outcome is Outcome.WON]
    lost = [d for d in maven.deals.values() if d.outcome is Outcome.LOST]
    assert total([d.amount for d in won], "USD").amount == Decimal(won_value)
    assert len(won) / (len(won) + len(lost)) == stages["Won"] / (stages["Won"] + stages["Lost"])


def test_maven_engage_to_close_days(maven: ImportResult) -> None:
    days = [
        (dt.date.fromisoformat(r["close_date"]) - dt.date.fromisoformat(r["engage_date"])).days
        for r in _rows(MAVEN)
        if r["deal_stage"] in ("Won", "Lost")
    ]
    health = funnel_health(maven.deals.values(), "funnel", as_of=AS_OF, currency="USD")
    cycle = health.cycle_length
    assert cycle is not None
    assert cycle.count == len(days)
    assert (cycle.minimum, cycle.maximum) == (min(days), max(days))
    assert cycle.median == statistics.median(days)
    assert cycle.mean == pytest.approx(statistics.fmean(days), abs=1e-9)


def test_maven_rows_keep_their_fields_and_no_account_is_invented(maven: ImportResult) -> None:
    rows = _rows(MAVEN)
    placeholder = "(no account in the export)"
    for row in rows:
        deal = maven.deals[row["opportunity_id"]]
        assert deal.account.name == (row["account"] or placeholder)
        assert deal.owner == row["sales_agent"]
        assert deal.value("product") == row["product"]
        assert deal.amount.amount == Decimal(row["close_value"] or "0")
    assert sum(1 for d in maven.deals.values() if d.account.name == placeholder) == sum(
        1 for r in rows if not r["account"]
    )


def test_maven_prospecting_rows_need_an_as_of() -> None:
    result = import_deals(MAVEN, "maven-crm")
    prospecting = sum(1 for r in _rows(MAVEN) if r["deal_stage"] == "Prospecting")
    _accounted(result)
    assert result.by_problem == {Problem.NO_TIME: prospecting}
    assert all("as_of" in r.detail for r in result.refused)


@pytest.fixture(scope="module")
def opportunities() -> ImportResult:
    return import_deals(OPPORTUNITY, "salesforce-opportunity")


def test_salesforce_opportunities(opportunities: ImportResult) -> None:
    rows = _rows(OPPORTUNITY)
    _accounted(opportunities)
    assert opportunities.rows == len(rows)
    assert not opportunities.refused
    for row in rows:
        deal = opportunities.deals[row["Id"]]
        assert deal.account.id == row["AccountId"]
        assert deal.amount.amount == Decimal(row["Amount"] or "0")
        won = row["StageName"] == "Closed Won"
        assert deal.value("contract_signed") is (row["IsWon"] == "TRUE")
        assert (deal.outcome is Outcome.WON) is won
        assert deal.expected_close == dt.datetime.strptime(row["CloseDate"], "%m/%d/%y").date()


def test_salesforce_history_every_row_accounted_for(opportunities: ImportResult) -> None:
    rows = _rows(HISTORY)
    result = import_deals(HISTORY, "salesforce-history", base=opportunities)
    _accounted(result)
    assert result.rows == len(rows)
    by_deal: dict[str, list[tuple[int, dict[str, str]]]] = {}
    for line, row in enumerate(rows, 2):
        by_deal.setdefault(row["OpportunityId"], []).append((line, row))
    reversals: list[int] = []
    out_of_order: set[str] = set()
    fmt = "%m/%d/%y %I:%M %p"
    for key, items in by_deal.items():
        times = [dt.datetime.strptime(r["CreatedDate"], fmt) for _, r in items]
        if times != sorted(times):
            out_of_order.add(key)
        closed = None
        for line, row in sorted(
            items, key=lambda i: dt.datetime.strptime(i[1]["CreatedDate"], fmt)
        ):
            stage = row["StageName"]
            if stage in ("Closed Won", "Closed Lost"):
                if closed is not None and closed != stage:
                    reversals.append(line)
                    continue
                closed = stage
    assert sorted(r.line for r in result.refused if r.problem is Problem.REVERSAL) == sorted(
        reversals
    )
    assert len(reversals) == 7
    assert set(result.sorted_deals) == out_of_order
    assert len(result.deals) == len(by_deal)
    moves = sum(1 for d in result.deals.values() for e in d.events if isinstance(e, StageChange))
    assert moves == result.accepted - len(result.unchanged)
    for key, deal in result.deals.items():
        assert deal.account == opportunities.deals[key].account
        assert all(e.imported for e in deal.events if isinstance(e, StageChange))


def test_salesforce_history_needs_its_base() -> None:
    with pytest.raises(Exception, match="base"):
        import_deals(HISTORY, "salesforce-history")


@pytest.fixture(scope="module")
def salvirt() -> ImportResult:
    return import_deals(SALVIRT, "salvirt-b2b", as_of=AS_OF)


def test_salvirt_every_qualification_column_is_a_fact(salvirt: ImportResult) -> None:
    rows = _rows(SALVIRT, ";")
    mapping = Mapping.shipped("salvirt-b2b")
    by_column = {f.column: f for f in mapping.facts}
    read_elsewhere = {"Status", "Seller"}
    header = list(rows[0])
    assert set(header) - read_elsewhere <= set(by_column)
    _accounted(salvirt)
    assert salvirt.rows == len(rows)
    assert not salvirt.refused
    for line, row in enumerate(rows, 2):
        deal = salvirt.deals[f"salvirt-{line}"]
        for column, fact in by_column.items():
            value = row[column]
            expected = {"Yes": True, "No": False}.get(value) if fact.type == "bool" else value
            assert deal.value(fact.id) == expected, (line, column)
        assert deal.owner == row["Seller"]
        assert (deal.outcome is Outcome.WON) is (row["Status"] == "Won")


def test_salvirt_win_rate_and_repeated_rows(salvirt: ImportResult) -> None:
    rows = _rows(SALVIRT, ";")
    won = sum(1 for r in rows if r["Status"] == "Won")
    outcomes = Counter(d.outcome for d in salvirt.deals.values())
    assert outcomes[Outcome.WON] / len(rows) == won / len(rows)
    assert outcomes[Outcome.LOST] == len(rows) - won
    seen: set[tuple[str, ...]] = set()
    repeated = 0
    for row in rows:
        values = tuple(row.values())
        repeated += values in seen
        seen.add(values)
    assert len(salvirt.repeats) == repeated
    budget = [d for d in salvirt.deals.values() if d.value("budget_known") is True]
    assert len(budget) == sum(1 for r in rows if r["Budgt_alloc"] == "Yes")


def test_imported_deals_survive_json_lines(opportunities: ImportResult) -> None:
    for deal in opportunities.deals.values():
        assert loads(dumps(deal), Deal) == deal
