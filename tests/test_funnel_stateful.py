"""A stateful test: random evidence and moves on deals in the KA funnel, checked by invariants.

Every move is made twice: on the deal, and through the engine-level ``Cycle.move`` on a
shadow track with the deal as evidence; the two tracks must never differ.
"""

from __future__ import annotations

import contextlib
import datetime as dt

from hypothesis import strategies as st
from hypothesis.stateful import Bundle, RuleBasedStateMachine, invariant, rule

from bigaccount import Account, Deal, InvalidMove, Money, Segment, StageBlocked, Track, get_cycle

FUNNEL = get_cycle("funnel")
FACTS = [c.id for c in FUNNEL.criteria]
TRIGGERS = sorted({t.trigger for t in FUNNEL.transitions})


class FunnelMachine(RuleBasedStateMachine):
    deals = Bundle("deals")

    def __init__(self) -> None:
        super().__init__()
        self.known: list[Deal] = []
        self.shadows: dict[str, Track] = {}
        self.clock = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)

    def tick(self) -> dt.datetime:
        self.clock += dt.timedelta(hours=1)
        return self.clock

    @rule(target=deals, segment=st.sampled_from(Segment))
    def open_deal(self, segment: Segment) -> Deal:
        deal = Deal(f"D{len(self.known)}", Account("客户", segment), Money("1000000", "CNY"))
        self.known.append(deal)
        self.shadows[deal.id] = Track(FUNNEL.name)
        return deal

    @rule(deal=deals, fact=st.sampled_from(FACTS), value=st.booleans())
    def learn(self, deal: Deal, fact: str, value: bool) -> None:
        deal.record(fact, value, at=self.tick())
        assert deal.value(fact) is value

    @rule(deal=deals, fact=st.sampled_from(FACTS))
    def forget(self, deal: Deal, fact: str) -> None:
        deal.retract(fact, at=self.tick())
        assert fact not in deal.facts

    @rule(deal=deals, trigger=st.sampled_from(TRIGGERS))
    def move(self, deal: Deal, trigger: str) -> None:
        state = deal.state(FUNNEL) or "<start>"
        version = deal.version
        expected = FUNNEL.check(deal, trigger, state=state)
        when, imported = self.tick(), trigger.startswith("enter_")
        shadow = self.shadows[deal.id]
        with contextlib.suppress(InvalidMove, StageBlocked):
            FUNNEL.move(shadow, deal, trigger, at=when, reason="r", imported=imported)
        try:
            deal.move(FUNNEL, trigger, at=when, reason="r", imported=imported)
        except InvalidMove:
            assert FUNNEL.table.step(state, trigger) is None
            assert deal.version == version
        except StageBlocked:
            assert not expected.allowed
            assert (deal.state(FUNNEL) or "<start>") == state
            assert deal.version == version
        else:
            assert expected.allowed or trigger.startswith("enter_")
            assert deal.state(FUNNEL) == expected.dest
            assert deal.version == version + 1
        assert deal.tracks.get(FUNNEL.name, Track(FUNNEL.name)) == shadow

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

    @rule(deal=deals)
    def rebuild_from_the_log(self, deal: Deal) -> None:
        assert deal.version == len(deal.events)
        again = Deal.replay(deal.id, deal.account, deal.amount, deal.events)
        assert again == deal
        assert dict(again.facts) == dict(deal.facts)
        assert again.state(FUNNEL) == deal.state(FUNNEL)


TestFunnel = FunnelMachine.TestCase
