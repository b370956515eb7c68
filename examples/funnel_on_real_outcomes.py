"""Put real, closed B2B opportunities through the KA funnel's gates and compare win rates.

The Salvirt data set holds 448 real (anonymised) opportunities of an IT-services firm,
each with qualification answers captured during the sale and its outcome (won/lost).
This example reads the answers as evidence for the funnel's criteria, walks every
opportunity as far up the funnel as its evidence allows, and reports, per highest
stage reached, how many opportunities got there and how many of them were won —
next to the probability the funnel assigns to that stage.

The reading of the answers as criteria is an interpretation, stated in ``EVIDENCE``;
change it to test another one. Run::

    python examples/funnel_on_real_outcomes.py tests/data/salvirt-b2b-sales
"""

from __future__ import annotations

import csv
import sys
from collections.abc import Callable, Mapping
from pathlib import Path

from attrs import frozen

from bigaccount import Segment, Snapshot, get_cycle

Row = Mapping[str, str]

EVIDENCE: dict[str, Callable[[Row], bool]] = {
    "first_contact": lambda r: True,
    "materials_sent": lambda r: r["RFI"] == "Yes",
    "visit_agreed": lambda r: r["Client"] in ("Current", "Past"),
    "visited": lambda r: r["Client"] == "Current",
    "evaluating": lambda r: r["RFP"] == "Yes" or r["Forml_tend"] == "Yes",
    "clear_need": lambda r: r["Needs_def"] == "Yes",
    "owner_named": lambda r: r["Authority"] in ("Mid", "High"),
    "members_known": lambda r: r["Purch_dept"] != "Unknown",
    "timeline_known": lambda r: r["Scope"] == "Clear",
    "budget_known": lambda r: r["Budgt_alloc"] == "Yes",
    "core_needs_known": lambda r: r["Needs_def"] == "Yes",
    "public_first_choice": lambda r: r["Posit_statm"] == "Yes",
    "top_decider_favours": lambda r: r["Authority"] == "High" and r["Posit_statm"] == "Yes",
}
"""Which qualification answer counts as evidence for which funnel criterion."""

SEGMENTS = {"Small": Segment.SME, "Mid": Segment.ENTERPRISE, "Big": Segment.ENTERPRISE}


@frozen
class StageRow:
    """Opportunities whose evidence stops at one stage, and how many were won."""

    stage: str
    probability: float
    deals: int
    won: int

    @property
    def win_rate(self) -> float:
        """The share won (0 when no opportunity stops here)."""
        return self.won / self.deals if self.deals else 0.0


def evidence(row: Row) -> Snapshot:
    """The opportunity's answers as evidence: one yes/no fact per funnel criterion."""
    return Snapshot.of(
        {fact: test(row) for fact, test in EVIDENCE.items()},
        segment=SEGMENTS[row["Comp_size"]],
        source="salvirt",
    )


def highest_stage(row: Row) -> str | None:
    """Walk one opportunity up the funnel as far as its evidence allows.

    The row is evidence, not a deal: the funnel's gates are asked move by move
    (:meth:`~bigaccount.Cycle.check`) and nothing is recorded.
    """
    facts = evidence(row)
    funnel = get_cycle("funnel")
    answer = funnel.check(facts, "start")
    state = None
    while answer.allowed and answer.dest is not None:
        state = answer.dest
        answer = funnel.check(facts, "advance", state=state)
    return state


def win_rates(folder: Path) -> tuple[tuple[StageRow, ...], int]:
    """The win rate per highest stage reached, and how many never entered the funnel."""
    with (folder / "Salvirt_B2B_ML_dataset_HF.csv").open(newline="", encoding="ascii") as f:
        rows = list(csv.DictReader(f, delimiter=";"))
    funnel = get_cycle("funnel")
    counts = {s.id: [0, 0] for s in funnel.stages}
    outside = 0
    for row in rows:
        stage = highest_stage(row)
        if stage is None:
            outside += 1
            continue
        counts[stage][0] += 1
        counts[stage][1] += row["Status"] == "Won"
    table = tuple(
        StageRow(s.id, funnel.probability(s.id) or 0.0, *counts[s.id]) for s in funnel.stages
    )
    return table, outside


def main(argv: list[str]) -> int:
    folder = Path(argv[1] if len(argv) > 1 else "tests/data/salvirt-b2b-sales")
    table, outside = win_rates(folder)
    print(f"{'highest stage':<14}{'funnel p':>9}{'deals':>7}{'won':>6}{'win rate':>10}")
    for row in table:
        if row.deals:
            print(
                f"{row.stage:<14}{row.probability:>9.0%}{row.deals:>7}{row.won:>6}"
                f"{row.win_rate:>10.0%}"
            )
    print(f"never entered the funnel: {outside}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
