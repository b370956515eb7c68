"""The examples run on the data that ships with the tests and find what is really there."""

from __future__ import annotations

import csv
import importlib.util
from decimal import Decimal
from pathlib import Path
from types import ModuleType

from bigaccount import Money

ROOT = Path(__file__).resolve().parent.parent
SALESFORCE = ROOT / "tests" / "data" / "salesforce-devorg-sample"


def load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, ROOT / "examples" / f"{name}.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_history_audit_finds_the_deals_reopened_as_lost_after_they_were_won() -> None:
    example = load("crm_history_audit")
    result = example.audit(SALESFORCE)
    with (SALESFORCE / "OpportunityHistory.csv").open(newline="") as handle:
        history = list(csv.DictReader(handle))
    assert result.replay.rows == len(history) == 48
    assert len(result.replay.states) == len({r["OpportunityId"] for r in history})
    assert result.replay.errors
    assert all("from 'WON' to 'LOST'" in problem for _, _, problem in result.replay.errors)
    reopened = {
        key
        for key in {r["OpportunityId"] for r in history}
        if [r["StageName"] for r in history if r["OpportunityId"] == key].count("Closed Won")
        and any(r["StageName"] == "Closed Lost" for r in history if r["OpportunityId"] == key)
    }
    refused = {key for _, key, _ in result.replay.errors}
    assert refused <= reopened


def test_history_audit_weighs_only_open_opportunities() -> None:
    example = load("crm_history_audit")
    result = example.audit(SALESFORCE)
    with (SALESFORCE / "Opportunity.csv").open(newline="") as handle:
        open_rows = [r for r in csv.DictReader(handle) if r["IsClosed"] == "FALSE" and r["Amount"]]
    assert result.open_deals == len(open_rows)
    expected = sum((Decimal(r["ExpectedRevenue"]) for r in open_rows), Decimal(0))
    assert result.crm_expected == Money(expected, "USD")
    gross = sum((Decimal(r["Amount"]) for r in open_rows), Decimal(0))
    assert Decimal(0) < result.weighted.amount < gross


SALVIRT = ROOT / "tests" / "data" / "salvirt-b2b-sales"


def test_real_outcomes_win_more_often_the_higher_the_funnel_stage_their_evidence_reaches() -> None:
    example = load("funnel_on_real_outcomes")
    table, outside = example.win_rates(SALVIRT)
    with (SALVIRT / "Salvirt_B2B_ML_dataset_HF.csv").open(newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter=";"))
    assert sum(r.deals for r in table) + outside == len(rows) == 448
    assert sum(r.won for r in table) <= sum(r["Status"] == "Won" for r in rows) == 227
    reached = [r for r in table if r.deals >= 30]
    assert [r.stage for r in reached] == ["INTENT", "APPROVED", "ENDORSED"]
    rates = [r.win_rate for r in reached]
    assert rates == sorted(rates)
    assert rates[-1] - rates[0] > 0.2
    probabilities = [r.probability for r in reached]
    assert probabilities == sorted(probabilities)


def test_an_opportunity_without_evidence_never_enters_the_funnel() -> None:
    example = load("funnel_on_real_outcomes")
    row = {
        "RFI": "No",
        "Client": "New",
        "RFP": "No",
        "Forml_tend": "No",
        "Needs_def": "No",
        "Authority": "Low",
        "Purch_dept": "Unknown",
        "Scope": "Low",
        "Budgt_alloc": "No",
        "Posit_statm": "No",
        "Comp_size": "Small",
    }
    assert example.highest_stage(row) is None
    assert example.highest_stage({**row, "RFI": "Yes"}) == "TARGET"
