"""Mappings: declared as data, checked when built, every problem reported at once with its place."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from bigaccount import InvalidData, InvalidDefinition, Money, Segment
from bigaccount.analytics.forecast import TaxBasis
from bigaccount.importers import Kind, Mapping, PolicyKind, ValueType, resolve_mapping


def base(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "kind": "snapshot",
        "cycle": "funnel",
        "columns": {"id": "Id", "account": "Account", "amount": "Amount", "stage": "Stage"},
        "amount": {"currency": "CNY", "tax": "inclusive"},
        "segment": {"default": "enterprise"},
        "stages": {"Lead": "TARGET", "Qualified": "TARGET", "Won": "WON", "Lost": "LOST"},
    }
    data.update(changes)
    return data


def problems(data: dict[str, Any]) -> list[tuple[str, str]]:
    with pytest.raises(InvalidDefinition) as caught:
        Mapping.from_dict(data, origin="crm.toml")
    return list(caught.value.problems)


def test_a_plain_mapping_builds_with_its_declared_parts() -> None:
    m = Mapping.from_dict(base())
    assert m.kind is Kind.SNAPSHOT
    assert m.cycle.name == "funnel"
    assert m.tax is TaxBasis.INCLUSIVE
    assert m.stages == {"Lead": "TARGET", "Qualified": "TARGET", "Won": "WON", "Lost": "LOST"}
    assert m.missing["segment"].default is Segment.ENTERPRISE
    assert m.missing["account"].kind is PolicyKind.REFUSE
    assert m.missing["owner"].kind is PolicyKind.EMPTY
    assert m.columns_used == ("Id", "Account", "Amount", "Stage")


def test_every_problem_is_reported_at_once_with_its_place() -> None:
    data = base(colour="red", kind="snapshots", timezone="Mars/Base")
    data["stages"] = {"Won": "WONN", "Lead": 3}
    data["columns"] = {**data["columns"], "colour": "C"}
    data["amount"] = {"currency": "CNYY", "round": "0.03", "rounding": "banker"}
    data["facts"] = {"budget": {"column": "B", "type": "boolean"}, "two words": {"type": "text"}}
    found = problems(data)
    places = [where for where, _ in found]
    assert places == [
        "crm.toml: colour",
        "crm.toml: kind",
        "crm.toml: timezone",
        "crm.toml: columns.colour",
        "crm.toml: amount.currency",
        "crm.toml: amount.round",
        "crm.toml: amount.rounding",
        "crm.toml: stages.Won",
        "crm.toml: stages.Lead",
        "crm.toml: facts.budget.type",
        "crm.toml: facts.two words",
        "crm.toml: facts.two words.column",
        "crm.toml: amount.tax",
    ]
    text = dict(found)
    assert "'WONN' is not a state of cycle funnel" in text["crm.toml: stages.Won"]
    assert "unknown key" in text["crm.toml: colour"]


def test_missing_values_follow_declared_policies_never_invented() -> None:
    m = Mapping.from_dict(
        base(
            missing={
                "account": {"default": "(unknown account)"},
                "amount": {"default": 0},
                "owner": "refuse",
                "expected_close": {"default": "2026-06-30"},
            }
        )
    )
    assert m.missing["account"].default == "(unknown account)"
    assert m.missing["amount"].default == Money("0", "CNY")
    assert m.missing["owner"].kind is PolicyKind.REFUSE
    assert m.missing["expected_close"].default == dt.date(2026, 6, 30)


@pytest.mark.parametrize(
    ("missing", "fragment"),
    [
        ({"account": "empty"}, "cannot be left empty"),
        ({"amount": "empty"}, "cannot be left empty"),
        ({"id": {"default": "x"}}, "can only be refused"),
        ({"amount": {"default": "1,000"}}, "thousands separator"),
        ({"expected_close": {"default": "30/06/2026"}}, "is not a date"),
        ({"owner": "maybe"}, 'expected "refuse", "empty"'),
    ],
)
def test_impossible_policies_are_refused(missing: dict[str, Any], fragment: str) -> None:
    found = problems(base(missing=missing))
    assert any(fragment in problem for _, problem in found), found


def test_shape_rules() -> None:
    history = base(kind="history")
    assert {w for w, _ in problems(history)} >= {"crm.toml: columns.time"}
    no_account = base()
    del no_account["columns"]["account"]
    assert any("missing.account" in p for _, p in problems(no_account))
    no_tax = base(amount={"currency": "CNY"})
    assert any("include tax" in p for _, p in problems(no_tax))
    no_segment = base()
    del no_segment["segment"]
    assert any("segment.default" in p for _, p in problems(no_segment))
    open_without_stage = base(outcome={"won": ["W"], "open": ["O"]}, stages={})
    del open_without_stage["columns"]["stage"]
    open_without_stage["columns"]["outcome"] = "Status"
    assert any("open deals need a stage column" in p for _, p in problems(open_without_stage))


def test_fact_columns_declare_their_type_and_words() -> None:
    m = Mapping.from_dict(
        base(
            facts={
                "budget_known": {
                    "column": "Budget",
                    "type": "bool",
                    "true": ["Yes"],
                    "false": ["No"],
                    "unknown": ["Unknown"],
                },
                "budget": {"column": "BudgetAmount", "type": "money", "round": "0.01"},
                "decided": {"column": "Decided", "type": "date", "missing": "refuse"},
            }
        )
    )
    budget_known, budget, decided = m.facts
    assert budget_known.type is ValueType.BOOL
    assert budget_known.unknown == ("Unknown",)
    assert budget.currency == "CNY"
    assert budget.round == Decimal("0.01")
    assert decided.missing.kind is PolicyKind.REFUSE
    found = problems(base(facts={"flag": {"column": "F", "type": "bool"}}))
    assert found == [
        ("crm.toml: facts.flag.true", "the yes/no column 'F' needs true and false words")
    ]


def test_mapping_files_and_shipped_names(tmp_path: Path) -> None:
    path = tmp_path / "my-crm.toml"
    path.write_text(
        """
kind = "history"
cycle = "advancement"
timezone = "+08:00"
[formats]
datetime = ["%d.%m.%Y %H:%M"]
decimal_point = ","
thousands = "."
[columns]
id = "Deal"
time = "Changed"
stage = "Phase"
account = "Customer"
amount = "Value"
[amount]
currency = "EUR"
tax = "exclusive"
[segment]
default = "sme"
[stages]
"Phase 0" = "P0"
"Phase 1" = "P1"
""",
        encoding="utf-8",
    )
    m = Mapping.load(path)
    assert m.name == "my-crm"
    assert m.origin == "my-crm.toml"
    assert m.kind is Kind.HISTORY
    assert m.formats.timezone == dt.timezone(dt.timedelta(hours=8))
    assert resolve_mapping(path) == m
    assert resolve_mapping("maven-crm") == Mapping.shipped("maven-crm")
    broken = tmp_path / "broken.toml"
    broken.write_text("kind = \n", encoding="utf-8")
    with pytest.raises(InvalidDefinition, match=r"broken\.toml: not valid TOML"):
        Mapping.load(broken)
    with pytest.raises(InvalidData, match="no shipped mapping 'nope'; shipped: maven-crm"):
        Mapping.shipped("nope")


def test_history_mappings_without_accounts_need_base_deals() -> None:
    data = base(kind="history")
    data["columns"] = {"id": "Id", "time": "At", "stage": "Stage"}
    m = Mapping.from_dict(data | {"missing": {"amount": {"default": "0"}}})
    assert m.needs_base
