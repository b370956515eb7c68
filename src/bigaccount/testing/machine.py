"""A hypothesis state machine that checks the library's laws on any cycle, built-in or your own.

:func:`pipeline_machine` turns a :class:`~bigaccount.cycle.Cycle` into a
``RuleBasedStateMachine``. Hypothesis then opens deals, makes every move of the cycle
— valid and invalid, plain and imported — and records, establishes and retracts the
facts its criteria read (values on both sides of each threshold, dates around the
move), in random order, and after every step checks the laws:

1. **Gates held.** Every move that was not imported passes its gates when they are
   evaluated again on the evidence of that moment (``deal.facts_at(k)``, judged at the
   move's time), and records exactly the criteria that held.
2. **Imports are marked.** An imported move — every entry, and any move made with
   ``imported=True`` — is marked imported and keeps the criteria its gates missed.
3. **Blocked moves change nothing.** A refused move (blocked by a gate, not a move of
   the cycle, or with bad input) leaves the deal's version, log and state as they were;
   a move is refused exactly when the gates or the cycle say so.
4. **Histories replay.** ``Deal.replay`` of the log gives the same deal.
5. **Terminal states stay terminal.** Nothing follows a move into won, lost or stalled
   (or any state with no way out).
6. **Probabilities follow the declared order.** In a pipeline, advancing, jumping or
   winning never lowers the win probability.

Times come from a fake clock of the machine that only moves forward, never from the
wall clock. Moves are judged in a plain :class:`~bigaccount.context.Context` (no
settings, no as-of date). No people are mapped and no competitors listed on the deals
(``people is None``): the library's relationship and competitor criteria then read the
yes/no fact of their own id, which the machine records like any other. A criterion of
your own that reads other facts needs their values: pass strategies for them in
*facts*.

>>> from hypothesis import settings
>>> from bigaccount import get_cycle
>>> from bigaccount.testing import pipeline_machine
>>> Funnel = pipeline_machine(
...     get_cycle("funnel"), settings=settings(max_examples=3, stateful_step_count=8)
... )
>>> Funnel.TestCase().runTest()
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping

import hypothesis
from hypothesis import strategies as st
from hypothesis.stateful import Bundle, RuleBasedStateMachine, invariant, rule

from ..context import Context
from ..cycle import Cycle, CycleKind
from ..deal import Account, Deal
from ..errors import InvalidData, InvalidMove
from ..evidence import FactValue, Snapshot
from ..gates import GateReport, StageBlocked, _CompareTest, _WithinTest
from ..money import Money
from ..track import NEEDS_REASON, START, Move, StageChange
from .evidence import fact_values, facts_read, holding_facts
from .strategies import accounts, deals_in

__all__ = ["CLOCK_START", "pipeline_machine"]

CLOCK_START = dt.datetime(2030, 1, 1, 9, 0, tzinfo=dt.timezone.utc)
"""When the machine's clock starts (deals drawn already standing are older)."""

_JUDGE = Context()
_REASON = "客户选择了其他方案 / the customer chose another way"
_minutes = st.sampled_from((0, 1, 30, 60, 480, 1440, 4320, 10080))
_amounts = st.sampled_from(("0", "80000", "1200000", "35000000")).map(lambda a: Money(a, "CNY"))


def _unique(ids: list[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(ids))


def _judged(reports: tuple[GateReport, ...]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The ids of the criteria held, and of those missing on the gates that failed."""
    held = _unique([c.id for r in reports for c in r.held])
    missing = _unique([c.id for r in reports if not r.passed for c in r.missing])
    return held, missing


def _check_facts(facts: Mapping[str, object] | None) -> dict[str, st.SearchStrategy[FactValue]]:
    if facts is None:
        return {}
    if not isinstance(facts, Mapping):
        raise InvalidData("facts", f"expected a mapping of fact ids to strategies, got {facts!r}")
    checked: dict[str, st.SearchStrategy[FactValue]] = {}
    for key, strategy in facts.items():
        if not isinstance(key, str) or not key.strip():
            raise InvalidData("facts", f"a fact id must be non-empty text, got {key!r}")
        if not isinstance(strategy, st.SearchStrategy):
            raise InvalidData(f"facts.{key}", f"expected a hypothesis strategy, got {strategy!r}")
        checked[key] = strategy
    return checked


class _Laws(RuleBasedStateMachine):
    """The laws every cycle obeys, checked after each step on every deal of the run."""

    cycle: Cycle

    def __init__(self) -> None:
        super().__init__()
        self.now = CLOCK_START
        self.known: list[Deal] = []
        self.checked: dict[int, int] = {}

    def next_moves(self, deal: Deal) -> tuple[str, ...]:
        """The moves of the cycle from the deal's state (entries when it has not started)."""
        state = deal.state(self.cycle)
        if state is None:
            return ("start", *(f"enter_{s}" for s in self.cycle.states))
        return self.cycle.triggers(state) or ("advance",)

    def push(
        self, deal: Deal, trigger: str, imported: bool, reason: str | None, minutes: int
    ) -> None:
        """Make the move *trigger* with ``Deal.move`` (imported ones from a "crm")."""

        def make(at: dt.datetime) -> StageChange:
            return deal.move(
                self.cycle,
                trigger,
                at=at,
                reason=reason,
                imported=imported,
                source="crm" if imported else None,
                context=_JUDGE,
            )

        self.attempt(deal, trigger, minutes, make, imported=imported, reason=reason)

    def tick(self, minutes: int) -> dt.datetime:
        self.now += dt.timedelta(minutes=minutes)
        return self.now

    def expect(
        self,
        deal: Deal,
        state: str,
        trigger: str,
        at: dt.datetime,
        imported: bool,
        reason: str | None,
    ) -> tuple[str, tuple[GateReport, ...]]:
        """What the cycle's table and gates say the move must do: moved, blocked or refused."""
        step = self.cycle.table.step(state, trigger)
        if step is None:
            return "invalid", ()
        if step.move in NEEDS_REASON and reason is None:
            return "refused", ()
        if step.move is Move.ENTER and not imported:
            return "refused", ()
        try:
            reports = step.evaluate(deal, Context(moment=at))
        except InvalidData:
            return "refused", ()
        if imported or all(r.passed for r in reports):
            return "moved", reports
        return "blocked", reports

    def attempt(
        self,
        deal: Deal,
        trigger: str,
        minutes: int,
        make: Callable[[dt.datetime], StageChange],
        *,
        imported: bool = False,
        reason: str | None = None,
    ) -> None:
        """Make a move and check it did what :meth:`expect` says, and nothing else."""
        name = self.cycle.name
        state = deal.state(self.cycle) or START
        events = deal.events
        at = self.tick(minutes)
        expected, reports = self.expect(deal, state, trigger, at, imported, reason)
        blocked: tuple[GateReport, ...] = ()
        try:
            event = make(at)
        except InvalidMove:
            outcome = "invalid"
        except StageBlocked as error:
            outcome, blocked = "blocked", error.reports
        except InvalidData:
            outcome = "refused"
        else:
            move = f"{trigger!r} from {state!r}"
            assert expected == "moved", f"{move} moved, but the table and gates say: {expected}"
            assert deal.events == (*events, event), f"{move}: the log did not gain its event"
            assert deal.tracks[name].history[-1] is event, f"{move}: not in the track"
            assert deal.state(self.cycle) == event.dest, f"{move}: the deal is not at {event.dest}"
            assert event.imported is imported, f"{move}: imported={imported}, event says {event}"
            assert (event.source or START) == state, f"{move}: the event starts elsewhere"
            return
        move = f"{trigger!r} from {state!r}"
        assert outcome == expected, f"{move} was {outcome}, but the table and gates say: {expected}"
        if outcome == "blocked":
            assert blocked == reports, f"{move}: the reports of the block differ from the gates'"
            assert not all(r.passed for r in blocked), f"{move} was blocked by gates that pass"
        assert deal.events == events, f"{move} was {outcome} but changed the log"
        assert deal.version == len(events), f"{move} was {outcome} but changed the version"
        assert (deal.state(self.cycle) or START) == state, f"{move} was {outcome} but moved"

    @invariant()
    def the_log_replays_to_the_same_deal(self) -> None:
        for deal in self.known:
            again = Deal.replay(
                deal.id, deal.account, deal.amount, deal.events, cycles=[self.cycle]
            )
            assert again == deal, f"deal {deal.id}: the replay of its log differs"
            assert dict(again.facts) == dict(deal.facts), f"deal {deal.id}: replayed facts differ"
            assert dict(again.tracks) == dict(deal.tracks), (
                f"deal {deal.id}: replayed tracks differ"
            )

    @invariant()
    def every_move_passed_its_gates_or_was_imported(self) -> None:
        table = self.cycle.table
        for deal in self.known:
            events = deal.events
            start = self.checked.get(id(deal), 0)
            for k in range(start, len(events)):
                event = events[k]
                if not isinstance(event, StageChange) or event.cycle != self.cycle.name:
                    continue
                step = table.step(event.source or START, event.trigger)
                assert step is not None, f"event #{k} is no move of the cycle: {event}"
                assert step.dest == event.dest, f"event #{k} leads elsewhere: {event}"
                evidence = Snapshot(deal.facts_at(k), deal.segment, deal.people, deal.competitors)
                held, missing = _judged(step.evaluate(evidence, Context(moment=event.at)))
                assert event.criteria == held, (
                    f"event #{k} records held {event.criteria}, not {held}"
                )
                if event.imported:
                    assert event.unmet == missing, (
                        f"imported event #{k} keeps {event.unmet}, not {missing}"
                    )
                else:
                    assert missing == (), f"event #{k} passed gates missing {missing}: {event}"
                    assert event.unmet == (), f"event #{k} is not imported but keeps unmet criteria"
                if event.move is Move.ENTER:
                    assert event.imported, f"entry #{k} is not marked imported: {event}"
            self.checked[id(deal)] = len(events)

    @invariant()
    def terminal_states_stay_terminal(self) -> None:
        track_of = self.cycle.name
        for deal in self.known:
            track = deal.tracks.get(track_of)
            if track is None:
                continue
            history = track.history
            for i, event in enumerate(history):
                if self.cycle.is_terminal(event.dest):
                    assert i == len(history) - 1, f"{event.dest} was left by {history[i + 1]}"
            assert track.state == history[-1].dest, (
                f"deal {deal.id}: the track is not where it moved"
            )

    @invariant()
    def advancing_never_lowers_the_probability(self) -> None:
        cycle = self.cycle
        for deal in self.known:
            track = deal.tracks.get(cycle.name)
            if track is None:
                assert deal.probability(cycle) == 0.0, f"deal {deal.id} has a probability unstarted"
                continue
            expected = cycle.probability(track.state) or 0.0
            assert deal.probability(cycle) == expected, (
                f"deal {deal.id}: not its state's probability"
            )
            if cycle.kind is not CycleKind.PIPELINE:
                continue
            for event in track.history:
                if event.move in (Move.ADVANCE, Move.JUMP, Move.WIN) and event.source is not None:
                    low = cycle.probability(event.source) or 0.0
                    high = cycle.probability(event.dest) or 0.0
                    assert high >= low, f"{event} lowers the probability from {low} to {high}"


def pipeline_machine(
    cycle: Cycle,
    *,
    facts: Mapping[str, st.SearchStrategy[FactValue]] | None = None,
    settings: hypothesis.settings | None = None,
) -> type[RuleBasedStateMachine]:
    """A state machine checking the library's laws on *cycle* (see the module docstring).

    Run it with its ``TestCase`` (``TestMine = pipeline_machine(cycle).TestCase`` in a
    test module), or with ``hypothesis.stateful.run_state_machine_as_test``.

    Args:
        cycle: the cycle to check: a built-in one, one of yours, or one loaded from a
            file (:func:`~bigaccount.declarations.load_cycle`).
        facts: strategies for the values of named facts, used instead of those the
            machine draws from the criteria (needed for facts that only a criterion of
            your own reads).
        settings: hypothesis settings for the machine (``max_examples``,
            ``stateful_step_count`` …); the profile in force otherwise. Like the
            ``TestCase`` of any state machine it runs without a deadline and without
            health checks (a step may replay a long history).

    Raises:
        InvalidData: *cycle* is not a :class:`~bigaccount.cycle.Cycle`, or *facts* is not
            a mapping of fact ids to strategies.
    """
    if not isinstance(cycle, Cycle):
        raise InvalidData("cycle", f"expected a Cycle, got {cycle!r}")
    given = _check_facts(facts)
    criteria = [c for c in cycle.criteria if facts_read(c)[0] not in given]
    flags = _unique([c.id for c in criteria if not isinstance(c.test, (_CompareTest, _WithinTest))])
    fact_ids = _unique([*given, *(facts_read(c)[0] for c in criteria)])
    triggers = sorted({t.trigger for t in cycle.transitions} | {"advance", "win", "no_such_move"})

    def values(around: dt.datetime) -> st.SearchStrategy[tuple[str, FactValue]]:
        drawn = [fact_values(c, around) for c in criteria]
        drawn += [st.tuples(st.just(k), s) for k, s in given.items()]
        return st.one_of(drawn)

    class Machine(_Laws):
        deals = Bundle("deals")

        @rule(target=deals, account=accounts(), amount=_amounts)
        def open_deal(self, account: Account, amount: Money) -> Deal:
            deal = Deal(f"D{len(self.known) + 1}", account, amount)
            self.known.append(deal)
            return deal

        @rule(target=deals, deal=deals_in(cycle))
        def take_over_a_standing_deal(self, deal: Deal) -> Deal:
            self.now = max(self.now, deal.events[-1].at)
            self.known.append(deal)
            return deal

        @rule(deal=deals, state=st.sampled_from((START, *cycle.states)), minutes=_minutes)
        def begin(self, deal: Deal, state: str, minutes: int) -> None:
            if state == START:
                self.attempt(
                    deal, "start", minutes, lambda at: deal.start(cycle, at=at, context=_JUDGE)
                )
                return
            self.attempt(
                deal,
                f"enter_{state}",
                minutes,
                lambda at: deal.enter(cycle, state, at=at, source="crm", context=_JUDGE),
                imported=True,
            )

        @rule(deal=deals, minutes=_minutes)
        def advance(self, deal: Deal, minutes: int) -> None:
            self.attempt(
                deal, "advance", minutes, lambda at: deal.advance(cycle, at=at, context=_JUDGE)
            )

        @rule(
            deal=deals,
            trigger=st.sampled_from(triggers),
            imported=st.booleans(),
            reason=st.sampled_from((None, _REASON)),
            minutes=_minutes,
        )
        def move(
            self, deal: Deal, trigger: str, imported: bool, reason: str | None, minutes: int
        ) -> None:
            self.push(deal, trigger, imported, reason, minutes)

        @rule(
            deal=deals,
            data=st.data(),
            imported=st.booleans(),
            reason=st.sampled_from((_REASON, None)),
            minutes=_minutes,
        )
        def move_on(
            self, deal: Deal, data: st.DataObject, imported: bool, reason: str | None, minutes: int
        ) -> None:
            trigger = data.draw(st.sampled_from(self.next_moves(deal)), label="trigger")
            self.push(deal, trigger, imported or trigger.startswith("enter_"), reason, minutes)

        @rule(deal=deals, data=st.data(), minutes=_minutes)
        def meet_the_gates_and_move(self, deal: Deal, data: st.DataObject, minutes: int) -> None:
            trigger = data.draw(st.sampled_from(self.next_moves(deal)), label="trigger")
            at = self.tick(minutes)
            state = deal.state(cycle) or START
            check = cycle.check(deal, trigger, state=state, context=Context(moment=at))
            for criterion in check.blockers:
                for key, value in (holding_facts(criterion, at) or {}).items():
                    deal.record(key, value, at=at)
            self.push(deal, trigger, trigger.startswith("enter_"), _REASON, 0)

        @rule(deal=deals, minutes=_minutes)
        def regress(self, deal: Deal, minutes: int) -> None:
            self.attempt(
                deal, "regress", minutes, lambda at: deal.regress(cycle, at=at, context=_JUDGE)
            )

        if fact_ids:

            @rule(deal=deals, data=st.data(), minutes=_minutes)
            def record(self, deal: Deal, data: st.DataObject, minutes: int) -> None:
                at = self.tick(minutes)
                key, value = data.draw(values(at), label="fact")
                version = deal.version
                deal.record(key, value, at=at)
                assert deal.value(key) == value, f"recording {key!r} = {value!r} did not stick"
                assert deal.version == version + 1, f"recording {key!r} was not one event"

            @rule(deal=deals, fact=st.sampled_from(fact_ids), minutes=_minutes)
            def retract(self, deal: Deal, fact: str, minutes: int) -> None:
                version = deal.version
                held = fact in deal.facts
                deal.retract(fact, at=self.tick(minutes))
                assert fact not in deal.facts, f"{fact!r} still holds after its retraction"
                assert deal.version == version + held, (
                    f"retracting {fact!r} was not {int(held)} event(s)"
                )

        if flags:

            @rule(deal=deals, fact=st.sampled_from(flags), minutes=_minutes)
            def establish(self, deal: Deal, fact: str, minutes: int) -> None:
                deal.establish(fact, at=self.tick(minutes))
                assert deal.value(fact) is True, f"{fact!r} does not hold once established"

    Machine.cycle = cycle
    Machine.__name__ = Machine.__qualname__ = f"PipelineMachine_{cycle.name}"
    if settings is not None:
        if not isinstance(settings, hypothesis.settings):
            raise InvalidData("settings", f"expected hypothesis settings, got {settings!r}")
        quiet = {*settings.suppress_health_check, *hypothesis.HealthCheck}
        hypothesis.settings(settings, deadline=None, suppress_health_check=quiet)(Machine)
    return Machine
