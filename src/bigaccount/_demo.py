"""The demo behind ``python -m bigaccount demo``: a key-account deal walked through the funnel."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import attrs

from .deal import Account, Deal, Segment
from .gates import StageBlocked
from .labels import Label, Lang, language
from .money import Money
from .people import BuyingCenter, Level, Rung, Stakeholder
from .plan import Competitor, CompetitorMove
from .registry import get_cycle
from .scoring.relationship import relationship_scores
from .valuechain import check_alignment

_T = {
    "title": Label(
        "演示：江南智造集团 MES 升级项目（大中型企业，240万元）",
        "Demo: Jiangnan Smart Manufacturing Group, MES upgrade (enterprise, CNY 2.4 million)",
    ),
    "stage": Label("阶段", "stage"),
    "weighted": Label("加权金额", "weighted amount"),
    "blocked": Label("受阻", "blocked"),
    "evidence": Label("补充证据", "new evidence"),
    "history": Label("阶段变更记录（可重放）", "stage changes (replayable)"),
    "replayed": Label("重放结果一致", "replay gives the same state"),
    "project": Label("项目推进 P0–P7 与客户关系", "Project advancement P0–P7 and relationships"),
    "depth": Label("关系深度", "relationship depth"),
    "coverage": Label("覆盖率", "coverage"),
    "gaps": Label("覆盖缺口", "coverage gaps"),
    "support": Label("决策组支持度", "decision-group support"),
    "met": Label("拜访并提升关系", "visits raise the relationships"),
    "chain": Label("价值链：买卖双方是否同步", "Value chain: are buyer and seller in step?"),
}

_PEOPLE = (
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
    ),
    Stakeholder(
        "cfo",
        "吴总监",
        "decision",
        "finance",
        "influencer",
        "neutral",
        "acquainted",
        3.0,
        "ceo",
        title="财务总监",
    ),
    Stakeholder(
        "cio",
        "郑经理",
        "management",
        "technical",
        "gatekeeper",
        "supporter",
        "acquainted",
        3.0,
        "ceo",
        title="信息部经理",
    ),
    Stakeholder(
        "prod",
        "王主任",
        "management",
        "user",
        "user",
        "neutral",
        "acquainted",
        2.0,
        "ceo",
        title="生产部主任",
    ),
    Stakeholder(
        "eng",
        "冯工",
        "operational",
        "technical",
        "coach",
        "supporter",
        "familiar",
        1.0,
        "cio",
        title="工程师",
    ),
)


def run_demo(lang: Lang | str = Lang.EN) -> str:
    """Walk a realistic deal through the KA funnel and return what happened, as text."""
    lines: list[str] = []
    say: Callable[[str], None] = lines.append
    funnel = get_cycle("funnel")
    start = dt.datetime(2026, 9, 1, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    clock = iter(start + dt.timedelta(days=7 * week) for week in range(100))

    with language(lang):
        say(str(_T["title"]))
        deal = Deal(
            "KA-2026-017",
            Account("江南智造集团", Segment.ENTERPRISE, industry="manufacturing"),
            Money("2400000", "CNY"),
            expected_close=dt.date(2027, 3, 31),
            owner="李娜",
        )

        def position() -> None:
            stage = deal.stage(funnel)
            name = str(stage.label) if stage else str(deal.state(funnel))
            say(
                f"  {_T['stage']}: {name} ({deal.probability(funnel):.0%})"
                f"  {_T['weighted']}: {deal.weighted_amount(funnel)}"
            )

        def attempt(trigger: str, *facts: str) -> None:
            now = next(clock)
            if facts:
                deal.establish(*facts, at=now, actor=deal.owner)
                names = ", ".join(str(c.label) for c in funnel.criteria if c.id in facts)
                say(f"+ {_T['evidence']}: {names}")
            try:
                event = deal.move(funnel, trigger, actor=deal.owner, at=now)
            except StageBlocked as blocked:
                say(f"! {_T['blocked']}: {blocked.report.explain()}")
            else:
                say(f"> {event.trigger}: {event.source or '-'} -> {event.dest}")
                position()

        attempt("start", "materials_sent", "first_contact")
        attempt("advance", "visited")
        attempt("advance", "clear_need")
        attempt("advance", "members_known", "core_needs_known")
        attempt("advance", "timeline_known", "budget_known")
        attempt("jump_to_NEGOTIATION", "public_first_choice")
        attempt("jump_to_NEGOTIATION", "customer_template")
        say(str(_T["history"]))
        track = deal.tracks[funnel.name]
        for event in track.history:
            say(
                f"  {event.at:%Y-%m-%d} {event.trigger:<20} {event.source or '-':>9} -> "
                f"{event.dest:<11} [{', '.join(event.criteria)}]"
            )
        same = funnel.replay(track.history) == track
        say(f"{_T['replayed']}: {same}")

        say("")
        say(str(_T["project"]))
        advancement = get_cycle("advancement")
        deal.people = BuyingCenter(_PEOPLE)
        deal.establish(
            "project_info_accurate",
            "project_info_verified",
            "target_confirmed",
            "project_basics_known",
            "next_visit_goal_known",
            "project_approved",
            "project_team_formed",
            "sales_plan_made",
            "decision_chain_known",
            "signing_predictable",
            "approval_process_known",
            "mid_level_backing",
            "presentation_channel",
            at=next(clock),
        )
        deal.competitors = (
            Competitor(
                "友商A",
                strengths=("large installed base at the customer",),
                latest_moves=(CompetitorMove("cut its price by 10%"),),
            ),
        )
        deal.start(advancement, actor=deal.owner, at=next(clock))

        def scores() -> None:
            assert deal.people is not None
            found = relationship_scores(deal.people)
            say(
                f"  {_T['depth']}: {found.account.value:.2f}  {_T['coverage']}: "
                f"{found.coverage.value:.0%}  {_T['support']}: {found.support.share:.0%}"
            )
            say(f"  {_T['gaps']}: " + "; ".join(str(g.label) for g in found.coverage.gaps[:3]))

        scores()
        try:
            deal.jump(advancement, "P4", actor=deal.owner, at=next(clock))
        except StageBlocked as blocked:
            say(f"! {_T['blocked']}: {blocked.report.explain()}")
        say(f"+ {_T['met']}")
        deal.people = BuyingCenter(
            tuple(
                attrs.evolve(p, rung=Rung.APPROVING) if p.level is not Level.DECISION else p
                for p in _PEOPLE
            )
        )
        scores()
        event = deal.jump(advancement, "P4", actor=deal.owner, at=next(clock))
        say(f"> {event.trigger}: {event.source} -> {event.dest}")
        say(
            f"  {_T['stage']}: {advancement.stage(event.dest).label} "
            f"({deal.probability(advancement):.0%})  {_T['weighted']}: "
            f"{deal.weighted_amount(advancement)}"
        )

        say("")
        say(str(_T["chain"]))
        deal.start("decision", at=next(clock))
        deal.start("activity", at=next(clock))
        deal.advance("decision", at=next(clock))
        deal.jump("activity", "SOLUTION", at=next(clock))
        report = check_alignment(deal)
        say(f"  {report.pace.label}: {report.explanation}")
    return "\n".join(lines)
