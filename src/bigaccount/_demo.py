"""The demo behind ``python -m bigaccount demo``: a key-account deal walked through the funnel."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from .deal import Account, Deal, Segment
from .errors import StageBlocked
from .labels import Label, Lang, language
from .money import Money
from .registry import get_cycle

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
}


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
            if facts:
                deal.establish(*facts)
                names = ", ".join(str(c.label) for c in funnel.criteria if c.id in facts)
                say(f"+ {_T['evidence']}: {names}")
            try:
                event = funnel.move(deal, trigger, actor=deal.owner, at=next(clock))
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
    return "\n".join(lines)
