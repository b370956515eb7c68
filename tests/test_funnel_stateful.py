"""A stateful test: random evidence and moves on deals in the KA funnel, checked by invariants."""

from __future__ import annotations

import datetime as dt

from hypothesis import strategies as st
from hypothesis.stateful import Bundle, RuleBasedStateMachine, invariant, rule

from bigaccount import Account, Deal, InvalidMove, Money, Segment, StageBlocked, get_cycle

FUNNEL = get_cycle("funnel")
FACTS = [c.id for c in FUNNEL.criteria]
TRIGGERS = sorted({t.trigger for t in FUNNEL.transitions})


class FunnelMachine(RuleBasedStateMachine):
    deals = Bundle("deals")

    def __init__(self) -> None:
        super().__init__()
        self.known: list[Deal] = []
        self.clock = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)

    def tick(self) -> dt.datetime:
        self.clock += dt.timedelta(hours=1)
        return self.clock

    @rule(target=deals, segment=st.sampled_from(Segment))
    def open_deal(self, segment: Segment) -> Deal:
        deal = Deal(f"D{len(self.known)}", Account("客户", segment), Money("1000000", "CNY"))
        self.known.append(deal)
        return deal

    @rule(deal=deals, fact=st.sampled_from(FACTS), value=st.booleans())
    def learn(self, deal: Deal, fact: str, value: bool) -> None:
        deal.facts[fact] = value

    @rule(deal=deals, trigger=st.sampled_from(TRIGGERS))
    def move(self, deal: Deal, trigger: str) -> None:
        state = deal.state(FUNNEL) or "<start>"
        expected = FUNNEL.check(deal, trigger)
        try:
            FUNNEL.move(deal, trigger, at=self.tick(), reason="r")
        except InvalidMove:
            assert FUNNEL.table.step(state, trigger) is None
        except StageBlocked:
            assert not expected.allowed
            assert (deal.state(FUNNEL) or "<start>") == state
        else:
            assert expected.allowed
            assert deal.state(FUNNEL) == expected.dest

    @invariant()
    def history_replays_and_probability_follows_the_stage(self) -> None:
        for deal in self.known:
            track = deal.tracks.get("funnel")
            if track is None:
                assert deal.probability(FUNNEL) == 0.0
                continue
            assert FUNNEL.replay(track.history) == track
            assert deal.probability(FUNNEL) == FUNNEL.probability(track.state)
            assert 0.0 <= deal.probability(FUNNEL) <= 1.0


TestFunnel = FunnelMachine.TestCase
