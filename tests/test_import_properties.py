"""Properties of imports on random tables and mappings: every row in exactly one place, round trips.

The tables are built with a known fate for every row (clean, or carrying one named defect),
so that the expected outcome comes from the construction, not from the importer.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from bigaccount import Deal, Money, StageChange, get_cycle
from bigaccount.importers import ImportResult, Problem, import_deals, read_records
from bigaccount.io import dumps, loads

FUNNEL = get_cycle("funnel")
NAMES = {
    "TARGET": ["Lead", "Qualified"],
    "INTENT": ["Interest"],
    "APPROVED": ["Approved"],
    "ENDORSED": ["Endorsed"],
    "NEGOTIATION": ["Negotiation"],
    "WON": ["Won"],
    "LOST": ["Lost"],
}
STAGES = {name: state for state, names in NAMES.items() for name in names}
T0 = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)


def mapping(kind: str, *, account_default: bool, reason_default: bool) -> dict[str, Any]:
    columns = {"id": "id", "stage": "stage", "amount": "amount", "account": "account"}
    columns["time" if kind == "history" else "created"] = "at"
    missing: dict[str, Any] = {}
    if account_default:
        missing["account"] = {"default": "(unknown account)"}
    if reason_default:
        missing["reason"] = {"default": "lost"}
    return {
        "kind": kind,
        "cycle": "funnel",
        "columns": columns,
        "amount": {"currency": "CNY", "tax": "inclusive"},
        "segment": {"default": "enterprise"},
        "stages": STAGES,
        "facts": {
            "budget_known": {"column": "budget", "type": "bool", "true": ["Y"], "false": ["N"]}
        },
        "missing": missing,
    }


def accounted(result: ImportResult) -> None:
    placed = [(result.sources[p.source], p.line) for ps in result.placed.values() for p in ps]
    refused = [(r.source, r.line) for r in result.refused]
    assert len(set(placed)) == len(placed)
    assert not set(placed) & set(refused)
    assert set(placed) | set(refused) == {(result.sources[0], n) for n in range(1, result.rows + 1)}
    assert result.rows == result.accepted + len(result.refused)
    unchanged = {(result.sources[p.source], p.line) for p in result.unchanged}
    assert unchanged <= set(placed)


SNAPSHOT_DEFECTS = (
    None,
    None,
    None,
    "no_id",
    "duplicate",
    "unknown_stage",
    "bad_amount",
    "negative_amount",
    "bad_time",
    "no_time",
    "no_account",
    "bad_budget",
)


@st.composite
def snapshots(draw: st.DrawFn) -> tuple[list[dict[str, str]], list[str | None], dict[str, Any]]:
    account_default = draw(st.booleans())
    reason_default = draw(st.booleans())
    as_of = draw(st.booleans())
    n = draw(st.integers(0, 25))
    rows: list[dict[str, str]] = []
    fates: list[str | None] = []
    for i in range(n):
        defect = draw(st.sampled_from(SNAPSHOT_DEFECTS))
        name = draw(st.sampled_from(sorted(STAGES)))
        if defect == "duplicate" and not any(f is None for f in fates):
            defect = None
        row = {
            "id": f"o{i}",
            "stage": name,
            "amount": draw(st.sampled_from(["0", "100", "12.50", "9999999.99"])),
            "account": draw(st.sampled_from(["Acme", "江南智造"])),
            "at": draw(st.sampled_from(["2026-03-01", "2026-03-02T10:30:00+08:00"])),
            "budget": draw(st.sampled_from(["Y", "N", ""])),
        }
        if defect == "no_id":
            row["id"] = " "
        elif defect == "duplicate":
            row["id"] = rows[fates.index(None)]["id"]
        elif defect == "unknown_stage":
            row["stage"] = "Closed?"
        elif defect == "bad_amount":
            row["amount"] = draw(st.sampled_from(["1,000", "12e3", "abc"]))
        elif defect == "negative_amount":
            row["amount"] = "-5"
        elif defect == "bad_time":
            row["at"] = "03/01/2026"
        elif defect == "no_time":
            row["at"] = ""
            if as_of:
                defect = None
        elif defect == "no_account":
            row["account"] = ""
            if account_default:
                defect = None
        elif defect == "bad_budget":
            row["budget"] = "maybe"
        if defect is None and not reason_default and STAGES[row["stage"]] == "LOST":
            defect = "no_reason"
        rows.append(row)
        fates.append(defect)
    options = {"account_default": account_default, "reason_default": reason_default}
    return rows, fates, {"options": options, "as_of": T0 if as_of else None}


EXPECTED = {
    "no_id": Problem.MISSING_VALUE,
    "duplicate": Problem.DUPLICATE,
    "unknown_stage": Problem.UNKNOWN_STAGE,
    "bad_amount": Problem.BAD_AMOUNT,
    "negative_amount": Problem.INVALID,
    "bad_time": Problem.BAD_DATE,
    "no_time": Problem.NO_TIME,
    "no_account": Problem.MISSING_VALUE,
    "bad_budget": Problem.BAD_VALUE,
    "no_reason": Problem.MISSING_VALUE,
    "reversal": Problem.REVERSAL,
}


@settings(max_examples=60, deadline=None)
@given(snapshots())
def test_snapshot_rows_are_deals_or_refused_by_their_defect(
    case: tuple[list[dict[str, str]], list[str | None], dict[str, Any]],
) -> None:
    rows, fates, extra = case
    result = import_deals(
        read_records(rows, columns=["id", "stage", "amount", "account", "at", "budget"]),
        mapping("snapshot", **extra["options"]),
        as_of=extra["as_of"],
    )
    accounted(result)
    assert result.rows == len(rows)
    refused = {r.line: r.problem for r in result.refused}
    for line, (row, fate) in enumerate(zip(rows, fates, strict=True), 1):
        if fate is None:
            deal = result.deals[row["id"]]
            assert deal.state("funnel") == STAGES[row["stage"]]
            assert deal.amount == Money(row["amount"], "CNY")
            assert deal.account.name == (row["account"] or "(unknown account)")
            assert deal.value("budget_known") == {"Y": True, "N": False}.get(row["budget"])
            assert line not in refused
        else:
            assert refused[line] is EXPECTED[fate], (fate, row)
    assert list(result.deals) == [r["id"] for r, f in zip(rows, fates, strict=True) if f is None]
    for deal in result.deals.values():
        assert loads(dumps(deal), Deal) == deal


def _paths(rng: random.Random, n_deals: int) -> list[list[str]]:
    """Random valid state paths through the funnel, some repeating a state (unchanged rows)."""
    table = FUNNEL.table
    paths = []
    for _ in range(n_deals):
        state = rng.choice([s for s in FUNNEL.states if s in NAMES])
        path = [state]
        for _ in range(rng.randint(0, 5)):
            options = [s for s in NAMES if table.between(state, s) is not None] + [state]
            state = rng.choice(options)
            path.append(state)
            if not table.triggers(state):
                break
        paths.append(path)
    return paths


@st.composite
def histories(draw: st.DrawFn) -> tuple[list[dict[str, str]], dict[str, Any], int]:
    seed = draw(st.integers(0, 2**32 - 1))
    rng = random.Random(seed)
    n_deals = draw(st.integers(0, 8))
    rows: list[dict[str, str]] = []
    expect: dict[str, Any] = {"final": {}, "refused": {}, "unchanged": 0, "amount": {}}
    minute = 0
    for d, path in enumerate(_paths(rng, n_deals)):
        key = f"d{d}"
        previous = None
        for state in path:
            minute += rng.randint(1, 90)
            amount = str(rng.randint(0, 10_000))
            name = rng.choice(NAMES[state])
            at = (T0 + dt.timedelta(minutes=minute)).isoformat()
            rows.append({"id": key, "stage": name, "amount": amount, "at": at, "budget": ""})
            expect["unchanged"] += previous == state
            previous = state
            expect["amount"][key] = amount
            if rng.random() < 0.15:
                minute += 1
                bad = rng.choice(["unknown_stage", "bad_time"])
                row = {"id": key, "stage": name, "amount": "7", "at": at, "budget": ""}
                row["at" if bad == "bad_time" else "stage"] = "??"
                rows.append(row)
                expect["refused"][len(rows)] = bad
        expect["final"][key] = path[-1]
        if path[-1] in ("WON", "LOST") and rng.random() < 0.5:
            minute += 5
            other = "Lost" if path[-1] == "WON" else "Won"
            at = (T0 + dt.timedelta(minutes=minute)).isoformat()
            rows.append({"id": key, "stage": other, "amount": "1", "at": at, "budget": ""})
            expect["refused"][len(rows)] = "reversal"
    order = list(range(len(rows)))
    if draw(st.booleans()):
        rng.shuffle(order)
    shuffled = [rows[i] for i in order]
    refused = {order.index(line - 1) + 1: fate for line, fate in expect["refused"].items()}
    expect["refused"] = refused
    for row in shuffled:
        row["account"] = "Acme"
    return shuffled, expect, seed


@settings(max_examples=60, deadline=None)
@given(histories())
def test_history_rows_replay_in_time_order_and_every_row_is_accounted_for(
    case: tuple[list[dict[str, str]], dict[str, Any], int],
) -> None:
    rows, expect, _ = case
    result = import_deals(
        read_records(rows, columns=["id", "stage", "amount", "account", "at", "budget"]),
        mapping("history", account_default=False, reason_default=True),
    )
    accounted(result)
    problems = {r.line: r.problem for r in result.refused}
    bad = {"unknown_stage": Problem.UNKNOWN_STAGE, "bad_time": Problem.BAD_DATE}
    assert problems == {
        line: bad.get(fate, Problem.REVERSAL) for line, fate in expect["refused"].items()
    }
    assert {k: d.state("funnel") for k, d in result.deals.items()} == expect["final"]
    assert len(result.unchanged) == expect["unchanged"]
    for key, deal in result.deals.items():
        assert deal.amount == Money(expect["amount"][key], "CNY")
        changes = [e for e in deal.events if isinstance(e, StageChange)]
        assert all(c.imported for c in changes)
        assert [c.at for c in changes] == sorted(c.at for c in changes)
        lines = [p.line for p in result.placed[key]]
        unchanged = [p.line for p in result.unchanged if p.line in lines]
        assert len(changes) == len(lines) - len(unchanged)
        assert loads(dumps(deal), Deal) == deal
    out_of_order = set()
    seen: dict[str, str] = {}
    for line, row in enumerate(rows, 1):
        if line in expect["refused"] and expect["refused"][line] != "reversal":
            continue
        if row["id"] in seen and row["at"] < seen[row["id"]]:
            out_of_order.add(row["id"])
        seen[row["id"]] = max(seen.get(row["id"], ""), row["at"])
    assert set(result.sorted_deals) == out_of_order


@settings(max_examples=30, deadline=None)
@given(snapshots())
def test_refused_rows_written_and_read_again_are_refused_alike(
    case: tuple[list[dict[str, str]], list[str | None], dict[str, Any]],
) -> None:
    rows, _, extra = case
    spec = mapping("snapshot", **extra["options"])
    columns = ["id", "stage", "amount", "account", "at", "budget"]
    first = import_deals(read_records(rows, columns=columns), spec, as_of=extra["as_of"])
    header, body = first.refused_table()
    again = import_deals(
        read_records([dict(zip(header, r, strict=True)) for r in body], columns=list(header)),
        spec,
        as_of=extra["as_of"],
    )
    assert again.rows == len(first.refused)
    problems = {r.line: r.problem for r in again.refused}
    for line, refusal in enumerate(first.refused, 1):
        if refusal.problem is not Problem.DUPLICATE:
            assert problems[line] is refusal.problem, refusal
