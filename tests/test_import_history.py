"""Stage histories: replayed per deal in time order through the engine, every row accounted for."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from bigaccount import InvalidData, Money, StageChange
from bigaccount.evidence import FactChange
from bigaccount.importers import Problem, import_deals, import_history, read_records
from bigaccount.track import Move

HISTORY: dict[str, Any] = {
    "kind": "history",
    "cycle": "funnel",
    "source": "crm",
    "columns": {
        "id": "deal",
        "time": "at",
        "stage": "stage",
        "amount": "amount",
        "account": "account",
        "owner": "owner",
    },
    "amount": {"currency": "CNY", "tax": "inclusive"},
    "segment": {"default": "enterprise"},
    "stages": {
        "Lead": "TARGET",
        "Qualified": "TARGET",
        "Interest": "INTENT",
        "Approved": "APPROVED",
        "Negotiation": "NEGOTIATION",
        "Won": "WON",
        "Lost": "LOST",
    },
    "facts": {
        "budget_known": {"column": "budget", "type": "bool", "true": ["Y"], "false": ["N"]},
    },
    "missing": {"reason": {"default": "lost (no reason exported)"}},
}


def rows(*items: tuple[str, str, str, str]) -> Any:
    """Rows of (deal, time, stage, amount), account Acme, owner 李娜, budget empty."""
    return read_records(
        [
            {
                "deal": d,
                "at": t,
                "stage": s,
                "amount": a,
                "account": "Acme",
                "owner": "李娜",
                "budget": "",
            }
            for d, t, s, a in items
        ],
        name="history.csv",
    )


def at(day: int, hour: int = 9) -> dt.datetime:
    return dt.datetime(2026, 3, day, hour, tzinfo=dt.timezone.utc)


def stage_changes(deal: Any) -> list[StageChange]:
    return [e for e in deal.events if isinstance(e, StageChange)]


def test_a_deal_begins_mid_pipeline_and_moves_through_the_cycle() -> None:
    result = import_deals(
        rows(
            ("d1", "2026-03-01T09:00", "Interest", "100"),
            ("d1", "2026-03-05T09:00", "Negotiation", "120"),
            ("d1", "2026-03-09T09:00", "Won", "150"),
        ),
        HISTORY,
    )
    deal = result.deals["d1"]
    changes = stage_changes(deal)
    assert [(c.move, c.source, c.dest) for c in changes] == [
        (Move.ENTER, None, "INTENT"),
        (Move.JUMP, "INTENT", "NEGOTIATION"),
        (Move.WIN, "NEGOTIATION", "WON"),
    ]
    assert [c.at for c in changes] == [at(1), at(5), at(9)]
    assert all(c.imported and c.source_system == "crm" for c in changes)
    assert changes[-1].unmet == ("contract_signed", "first_payment")
    assert deal.amount == Money("150", "CNY")
    assert deal.owner == "李娜"
    assert result.accepted == result.rows == 3


def test_rows_out_of_time_order_are_sorted_and_said_so() -> None:
    result = import_deals(
        rows(
            ("d1", "2026-03-09T09:00", "Won", "150"),
            ("d2", "2026-03-02T09:00", "Lead", "10"),
            ("d1", "2026-03-01T09:00", "Lead", "100"),
            ("d1", "2026-03-05T09:00", "Interest", "120"),
        ),
        HISTORY,
    )
    assert result.sorted_deals == ("d1",)
    assert [c.dest for c in stage_changes(result.deals["d1"])] == ["TARGET", "INTENT", "WON"]
    assert [p.line for p in result.placed["d1"]] == [3, 4, 1]
    assert list(result.deals) == ["d1", "d2"]
    assert result.deals["d1"].amount == Money("150", "CNY")


def test_reversals_reopenings_and_missing_moves_are_refused_by_name() -> None:
    result = import_deals(
        rows(
            ("d1", "2026-03-01T09:00", "Lead", "1"),
            ("d1", "2026-03-02T09:00", "Won", "1"),
            ("d1", "2026-03-03T09:00", "Lost", "1"),
            ("d1", "2026-03-04T09:00", "Interest", "1"),
            ("d2", "2026-03-01T09:00", "Negotiation", "1"),
            ("d2", "2026-03-02T09:00", "Lead", "1"),
            ("d3", "2026-03-01T09:00", "Closed", "1"),
        ),
        HISTORY,
    )
    assert [(r.line, r.key, r.problem) for r in result.refused] == [
        (7, "d3", Problem.UNKNOWN_STAGE),
        (3, "d1", Problem.REVERSAL),
        (4, "d1", Problem.REOPENED),
        (6, "d2", Problem.NO_MOVE),
    ]
    assert "WON → LOST" in result.refused[1].detail
    assert "(moves from NEGOTIATION: advance, regress," in result.refused[3].detail
    assert result.deals["d1"].state("funnel") == "WON"
    assert result.rows == result.accepted + len(result.refused) == 7


def test_a_row_repeating_the_stage_is_an_accepted_no_op() -> None:
    result = import_deals(
        rows(
            ("d1", "2026-03-01T09:00", "Lead", "100"),
            ("d1", "2026-03-02T09:00", "Qualified", "120"),
            ("d1", "2026-03-03T09:00", "Interest", "130"),
        ),
        HISTORY,
    )
    assert [p.line for p in result.unchanged] == [2]
    assert result.accepted == 3
    assert not result.refused
    assert len(stage_changes(result.deals["d1"])) == 2


def test_duplicates_by_row_id_or_identical_cells() -> None:
    identical = rows(
        ("d1", "2026-03-01T09:00", "Lead", "1"),
        ("d1", "2026-03-01T09:00", "Lead", "1"),
    )
    result = import_deals(identical, HISTORY)
    assert [(r.line, r.problem) for r in result.refused] == [(2, Problem.DUPLICATE)]
    assert "repeats history.csv line 1" in result.refused[0].detail
    with_ids = read_records(
        [
            {"id": "h1", "deal": "d1", "at": "2026-03-01", "stage": "Lead", "amount": "1"},
            {"id": "h2", "deal": "d1", "at": "2026-03-02", "stage": "Interest", "amount": "1"},
            {"id": "h1", "deal": "d1", "at": "2026-03-03", "stage": "Won", "amount": "1"},
        ]
    )
    mapping = {
        **HISTORY,
        "columns": {
            "id": "deal",
            "row_id": "id",
            "time": "at",
            "stage": "stage",
            "amount": "amount",
        },
        "facts": {},
        "missing": {"account": {"default": "(unknown account)"}},
    }
    result = import_deals(with_ids, mapping)
    assert [(r.line, r.problem) for r in result.refused] == [(3, Problem.DUPLICATE)]
    assert result.deals["d1"].account.name == "(unknown account)"


def test_facts_change_with_the_rows_that_carry_them() -> None:
    table = read_records(
        [
            {
                "deal": "d1",
                "at": "2026-03-01",
                "stage": "Lead",
                "amount": "1",
                "account": "A",
                "owner": "",
                "budget": "N",
            },
            {
                "deal": "d1",
                "at": "2026-03-02",
                "stage": "Qualified",
                "amount": "1",
                "account": "A",
                "owner": "",
                "budget": "N",
            },
            {
                "deal": "d1",
                "at": "2026-03-03",
                "stage": "Approved",
                "amount": "1",
                "account": "A",
                "owner": "",
                "budget": "Y",
            },
        ]
    )
    result = import_deals(table, HISTORY)
    deal = result.deals["d1"]
    facts = [(e.fact, e.value, e.at.day) for e in deal.events if isinstance(e, FactChange)]
    assert facts == [("budget_known", False, 1), ("budget_known", True, 3)]
    approved = stage_changes(deal)[-1]
    assert approved.dest == "APPROVED"
    assert "budget_known" in approved.criteria
    assert deal.owner is None


def test_a_deal_whose_account_no_row_gives_is_refused_row_by_row() -> None:
    table = read_records(
        [
            {
                "deal": "d1",
                "at": "2026-03-01",
                "stage": "Lead",
                "amount": "1",
                "account": "",
                "owner": "",
                "budget": "",
            },
            {
                "deal": "d1",
                "at": "2026-03-02",
                "stage": "Interest",
                "amount": "1",
                "account": " ",
                "owner": "",
                "budget": "",
            },
        ]
    )
    result = import_deals(table, HISTORY)
    assert not result.deals
    assert [r.problem for r in result.refused] == [Problem.MISSING_VALUE] * 2
    assert "account" in result.refused[0].detail


def test_base_deals_give_the_fields_and_the_history_gives_the_stages() -> None:
    snapshot = import_deals(
        read_records(
            [{"id": "d1", "account": "华东电力", "amount": "999", "stage": "Won", "budget": "Y"}]
        ),
        {
            "kind": "snapshot",
            "cycle": "funnel",
            "columns": {"id": "id", "account": "account", "amount": "amount", "stage": "stage"},
            "amount": {"currency": "CNY", "tax": "inclusive"},
            "segment": {"default": "government"},
            "stages": {"Won": "WON"},
            "facts": {
                "budget_known": {"column": "budget", "type": "bool", "true": ["Y"], "false": ["N"]}
            },
        },
        as_of=dt.date(2026, 4, 1),
    )
    mapping = {**HISTORY, "columns": {"id": "deal", "time": "at", "stage": "stage"}, "facts": {}}
    history = import_history(
        rows(
            ("d1", "2026-03-01", "Lead", ""),
            ("d1", "2026-03-09", "Won", ""),
            ("d2", "2026-03-01", "Lead", ""),
        ),
        mapping,
        base=snapshot,
    )
    deal = history.deals["d1"]
    assert deal.account == snapshot.deals["d1"].account
    assert deal.amount == Money("999", "CNY")
    assert deal.value("budget_known") is True
    assert [r.key for r in history.refused] == ["d2"]
    with pytest.raises(InvalidData, match="base"):
        import_history(rows(("d1", "2026-03-01", "Lead", "")), mapping)


def test_a_lost_row_without_a_reason_follows_the_policy() -> None:
    strict = {**HISTORY, "missing": {}}
    result = import_deals(
        rows(("d1", "2026-03-01", "Lead", "1"), ("d1", "2026-03-02", "Lost", "1")), strict
    )
    assert [(r.line, r.problem) for r in result.refused] == [(2, Problem.MISSING_VALUE)]
    assert "needs a reason" in result.refused[0].detail
    kept = import_deals(
        rows(("d1", "2026-03-01", "Lead", "1"), ("d1", "2026-03-02", "Lost", "1")), HISTORY
    )
    assert stage_changes(kept.deals["d1"])[-1].reason == "lost (no reason exported)"


def test_unparseable_times_and_amounts_refuse_their_row_only() -> None:
    result = import_deals(
        rows(
            ("d1", "2026-03-01", "Lead", "1"),
            ("d1", "yesterday", "Interest", "1"),
            ("d1", "2026-03-03", "Approved", "1.2.3"),
            ("d1", "2026-03-04", "Approved", "-5"),
        ),
        HISTORY,
    )
    assert [(r.line, r.problem) for r in result.refused] == [
        (2, Problem.BAD_DATE),
        (3, Problem.BAD_AMOUNT),
        (4, Problem.INVALID),
    ]
    assert "cannot be negative" in result.refused[2].detail
    assert result.deals["d1"].state("funnel") == "TARGET"
    assert result.deals["d1"].amount == Money("1", "CNY")


def test_refused_rows_are_written_for_correction_and_import_again(tmp_path: Path) -> None:
    result = import_deals(
        rows(("d1", "2026-03-01", "Lead", "1"), ("d1", "2026-03-02", "Closed", "1")), HISTORY
    )
    path = tmp_path / "refused.csv"
    assert result.write_refused(path) == 1
    text = path.read_text(encoding="utf-8").splitlines()
    assert text[0].startswith(
        "refused_source,refused_line,refused_key,refused_problem,refused_detail,deal,at"
    )
    assert text[1].startswith("history.csv,2,d1,unknown_stage,")
    fixed = path.read_text(encoding="utf-8").replace(",Closed,", ",Interest,")
    path.write_text(fixed, encoding="utf-8")
    again = import_deals(path, {**HISTORY, "missing": {**HISTORY["missing"]}})
    assert again.ok
    assert again.deals["d1"].state("funnel") == "INTENT"


def test_a_row_that_fails_in_the_engine_leaves_its_deal_as_it_was() -> None:
    from bigaccount import Criterion, Cycle, CycleKind, Label, Stage, all_of

    funded = Criterion.compare(
        "funded",
        "预算不少于100万元",
        "budget of at least 1m CNY",
        fact="budget",
        op=">=",
        value=Money("1000000", "CNY"),
    )
    pilot = Cycle(
        "pilot_import",
        Label("试点", "pilot"),
        CycleKind.PIPELINE,
        (
            Stage("LEAD", Label("线索", "lead"), 0.1, exit=all_of(funded)),
            Stage("QUALIFIED", Label("合格", "qualified"), 0.3),
        ),
    )
    mapping = {
        **HISTORY,
        "cycle": pilot,
        "stages": {"Lead": "LEAD", "Qualified": "QUALIFIED"},
        "facts": {"budget": {"column": "budget", "type": "text"}},
    }
    table = read_records(
        [
            {
                "deal": "d1",
                "at": "2026-03-01",
                "stage": "Lead",
                "amount": "1",
                "account": "A",
                "owner": "",
                "budget": "lots",
            },
            {
                "deal": "d1",
                "at": "2026-03-02",
                "stage": "Qualified",
                "amount": "1",
                "account": "A",
                "owner": "",
                "budget": "many",
            },
        ]
    )
    result = import_deals(table, mapping)
    assert [(r.line, r.problem) for r in result.refused] == [(2, Problem.INVALID)]
    assert "criterion 'funded' compares it with Money" in result.refused[0].detail
    deal = result.deals["d1"]
    assert deal.value("budget") == "lots"
    assert deal.state(pilot) == "LEAD"
    assert deal.version == 2
