"""Audit a CRM's stage history against the project-advancement cycle P0–P7.

Reads a Salesforce ``OpportunityHistory`` export, maps Salesforce's default stages
onto the P stages, checks every stage change with the cycle's compiled table (one
pass, every refused row reported), and compares the open pipeline weighted by the
P-stage win probabilities with the CRM's own expected revenue.

Run it on the Salesforce sample export that ships with the tests::

    python examples/crm_history_audit.py tests/data/salesforce-devorg-sample
"""

from __future__ import annotations

import csv
import datetime as dt
import sys
from collections.abc import Iterable
from pathlib import Path

from attrs import frozen

from bigaccount import BulkReplay, Money, get_cycle, total

SALESFORCE_TO_P = {
    "Prospecting": "P0",
    "Qualification": "P1",
    "Needs Analysis": "P2",
    "Value Proposition": "P3",
    "Id. Decision Makers": "P4",
    "Perception Analysis": "P4",
    "Proposal/Price Quote": "P5",
    "Negotiation/Review": "P6",
    "Closed Won": "WON",
    "Closed Lost": "LOST",
}
"""Salesforce's default opportunity stages, read as P stages (two map onto P4)."""


@frozen
class Audit:
    """What the audit found."""

    replay: BulkReplay
    weighted: Money
    crm_expected: Money
    open_deals: int


def _when(text: str) -> dt.datetime:
    return dt.datetime.strptime(text, "%m/%d/%y %I:%M %p").replace(tzinfo=dt.timezone.utc)


def history_rows(path: Path) -> list[tuple[str, str | None, str]]:
    """``(opportunity, from, to)`` rows in time order, repeats of one P stage collapsed."""
    with path.open(newline="", encoding="utf-8") as handle:
        records = sorted(
            csv.DictReader(handle), key=lambda r: (r["OpportunityId"], _when(r["CreatedDate"]))
        )
    rows: list[tuple[str, str | None, str]] = []
    last: dict[str, str] = {}
    for record in records:
        key, stage = record["OpportunityId"], SALESFORCE_TO_P[record["StageName"]]
        if last.get(key) != stage:
            rows.append((key, last.get(key), stage))
            last[key] = stage
    return rows


def _open_pipeline(path: Path, states: dict[str, str]) -> Iterable[tuple[Money, Money]]:
    cycle = get_cycle("advancement")
    with path.open(newline="", encoding="utf-8") as handle:
        for record in csv.DictReader(handle):
            if record["IsClosed"] == "TRUE" or not record["Amount"]:
                continue
            state = states.get(record["Id"], SALESFORCE_TO_P[record["StageName"]])
            amount = Money(record["Amount"], "USD")
            yield (
                amount.scaled(cycle.probability(state) or 0.0),
                Money(record["ExpectedRevenue"] or "0", "USD"),
            )


def audit(folder: Path) -> Audit:
    """Replay the history in *folder* and weigh its open opportunities."""
    rows = history_rows(folder / "OpportunityHistory.csv")
    replay = get_cycle("advancement").table.replay_states(rows, enter_anywhere=True)
    states = {str(key): state for key, state in replay.states.items()}
    pairs = list(_open_pipeline(folder / "Opportunity.csv", states))
    return Audit(
        replay,
        total([w for w, _ in pairs], "USD"),
        total([c for _, c in pairs], "USD"),
        len(pairs),
    )


def main(argv: list[str]) -> int:
    folder = Path(argv[1] if len(argv) > 1 else "tests/data/salesforce-devorg-sample")
    result = audit(folder)
    replay = result.replay
    print(f"{replay.rows} stage changes of {len(replay.states)} opportunities replayed")
    print(f"{len(replay.errors)} refused by the P0-P7 cycle:")
    for row, key, problem in replay.errors:
        print(f"  row {row} ({key}): {problem}")
    print(f"open pipeline: {result.open_deals} opportunities")
    print(f"  weighted by P-stage probabilities: {result.weighted}")
    print(f"  the CRM's expected revenue:        {result.crm_expected}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
