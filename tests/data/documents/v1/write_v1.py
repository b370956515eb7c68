"""Writes the schema 1 samples with bigaccount 0.1 (commit 1b9dbeb), not with this version.

Kept for provenance: it uses 0.1's API (``Deal(facts=...)``, moves without a context)
and does not run against later versions. The samples were written once with::

    git archive 1b9dbeb src | tar -x -C /tmp/v01
    PYTHONPATH=/tmp/v01/src python tests/data/documents/v1/write_v1.py

Never write them again: they are what 0.1 wrote, and every later version must read them.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from bigaccount import (
    Account,
    BuyingCenter,
    Competitor,
    CustomerSignals,
    Deal,
    Label,
    Money,
    Quadrant,
    RelationshipThresholds,
    Segment,
    Stakeholder,
    Swot,
    SwotFactor,
    TowsLink,
    score_swot,
)
from bigaccount.io import dumps
from bigaccount.plan import AccountPlan, CompetitorMove, InstalledBase, KeyAction
from bigaccount.scoring.forces import FiveForces, Force, ForceRating

HERE = Path(__file__).parent
CST = dt.timezone(dt.timedelta(hours=8))
T0 = dt.datetime(2025, 11, 3, 9, 0, tzinfo=CST)


def deal() -> Deal:
    people = BuyingCenter(
        (
            Stakeholder(
                "ceo",
                "周总",
                "decision",
                "other",
                "decision_maker",
                "supporter",
                "familiar",
                5.0,
                title="总经理",
                last_contact=dt.date(2025, 10, 20),
            ),
            Stakeholder(
                "cio",
                "郑经理",
                "management",
                "technical",
                "gatekeeper",
                "neutral",
                "acquainted",
                3.0,
                "ceo",
            ),
        )
    )
    rival = Competitor(
        "西门子",
        strengths=("品牌",),
        installed_base=(InstalledBase("PLC", 40, Money("800000", "CNY")),),
        latest_moves=(CompetitorMove("降价10%", dt.date(2025, 10, 1)),),
        share=0.3,
    )
    d = Deal(
        "KA-2025-031",
        Account("江南智造集团", Segment.ENTERPRISE, industry="制造"),
        Money("2400000.00", "CNY"),
        expected_close=dt.date(2026, 3, 31),
        owner="李娜",
        people=people,
        competitors=(rival,),
    )
    d.establish("materials_sent", "first_contact")
    d.start("funnel", at=T0, actor="李娜")
    d.establish("visited", "evaluating")
    d.advance("funnel", at=T0 + dt.timedelta(days=7), actor="李娜")
    d.start("decision", at=T0 + dt.timedelta(days=1))
    d.establish("budget_known")
    return d


def main() -> None:
    d = deal()
    swot = Swot(
        (
            SwotFactor("s1", Quadrant.STRENGTH, "行业案例", 1.0, 4),
            SwotFactor("w1", Quadrant.WEAKNESS, "本地团队小", 1.0, 3),
            SwotFactor("o1", Quadrant.OPPORTUNITY, "预算已批", 1.0, 4),
            SwotFactor("t1", Quadrant.THREAT, "现有供应商", 1.0, 4),
        ),
        (TowsLink("s1", "o1", "以案例促签约"),),
    )
    samples = {
        "Money": Money("12.50", "CNY"),
        "Label": Label("赢单", "won"),
        "Account": d.account,
        "StageChange": d.tracks["funnel"].history[1],
        "Track": d.tracks["funnel"],
        "Deal": d,
        "BuyingCenter": d.people,
        "Competitor": d.competitors[0],
        "AccountPlan": AccountPlan(
            "江南智造集团",
            period="2026",
            competitors=d.competitors,
            key_actions=(KeyAction("高层拜访", "李娜", dt.date(2025, 12, 1)),),
        ),
        "Swot": swot,
        "SwotResult": score_swot(swot, normalise=True),
        "FiveForces": FiveForces(tuple(ForceRating(f, 3.0) for f in Force), industry="制造"),
        "CustomerSignals": CustomerSignals(0.8, 0.6, 0.9, 0.7, 0.5),
        "RelationshipThresholds": RelationshipThresholds(),
    }
    for name, value in samples.items():
        (HERE / f"{name}.json").write_text(dumps(value, indent=2) + "\n", encoding="utf-8")
    changed = RelationshipThresholds(majority=0.6)
    text = dumps(changed, indent=2) + "\n"
    (HERE / "RelationshipThresholds-majority.json").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
