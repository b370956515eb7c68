"""Accounts and deals: the customer, and a sales project moving through the cycles.

A :class:`Deal` carries the facts its stage gates read and one
:class:`~bigaccount.track.Track` per cycle it is in. Its moves go through the
cycles' shared state machines; each successful move is recorded as an event.

Every change — a fact established or retracted, a stage change — is an event in one
ordered log (:attr:`Deal.events`); :meth:`Deal.replay` rebuilds the same deal from it,
and :meth:`Deal.facts_at` tells which evidence held when any move was made.

>>> import datetime as dt
>>> from bigaccount import Account, Deal, Money, Segment
>>> t = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.timezone.utc)
>>> deal = Deal("D-1", Account("Acme", Segment.ENTERPRISE), Money("1200000", "CNY"))
>>> [e.fact for e in deal.establish("materials_sent", "first_contact", at=t)]
['materials_sent', 'first_contact']
>>> deal.start("funnel", at=t).dest
'TARGET'
>>> deal.weighted_amount("funnel")
Money(amount=Decimal('120000.0'), currency='CNY')
>>> [c.id for c in deal.blockers("funnel")]
['visited', 'evaluating', 'clear_need', 'owner_named']
>>> deal.version
3
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import Any

from attrs import Attribute, define, field, frozen

from ._validate import Rule, member, optional_text, slot_setters, text
from .context import Context, resolve_context
from .cycle import Cycle, MoveCheck, Stage
from .errors import InvalidData, ReplayError, UnknownName
from .evidence import Fact, FactChange, FactValue, check_fact_value
from .gates import Criterion
from .money import Money
from .people import BuyingCenter
from .plan import Competitor
from .registry import get_cycle
from .segment import Segment
from .track import START, Outcome, StageChange, Track

__all__ = ["Account", "Deal", "DealEvent", "Segment"]

DealEvent = StageChange | FactChange
"""An event of a deal's log: a stage change or a change of its evidence."""


def _segment(value: object) -> Segment:
    return member(Segment, value, "account.segment")


@frozen
class Account:
    """A customer account.

    Args:
        name: the customer's name.
        segment: SME, enterprise or government (some gates depend on it).
        industry: the customer's industry, when known.
        id: a stable identifier from the CRM, when there is one.
    """

    name: str = field(validator=Rule(text, "account."))
    segment: Segment = field(converter=_segment)
    industry: str | None = field(default=None, validator=Rule(optional_text, "account."))
    id: str | None = field(default=None, validator=Rule(optional_text, "account."))


def _competitors(value: Any) -> tuple[Competitor, ...]:
    if isinstance(value, (str, bytes)) or not hasattr(value, "__iter__"):
        raise InvalidData("competitors", f"expected Competitor values, got {value!r}")
    items = tuple(value)
    for item in items:
        if not isinstance(item, Competitor):
            raise InvalidData("competitors", f"expected Competitor values, got {item!r}")
    return items


def _people(_: Any, __: Attribute[BuyingCenter | None], value: object) -> None:
    if value is not None and not isinstance(value, BuyingCenter):
        raise InvalidData("people", f"expected a BuyingCenter, got {value!r}")


def _amount(_: Any, __: Attribute[Money], value: object) -> None:
    if not isinstance(value, Money):
        raise InvalidData("amount", f"expected Money, got {value!r}")
    if value.amount < 0:
        raise InvalidData("amount", f"a deal's amount cannot be negative, got {value}")


def _account(_: Any, __: Attribute[Account], value: object) -> None:
    if not isinstance(value, Account):
        raise InvalidData("account", f"expected an Account, got {value!r}")


def _date(value: object) -> dt.date | None:
    if value is None or (isinstance(value, dt.date) and not isinstance(value, dt.datetime)):
        return value
    raise InvalidData("expected_close", f"expected a date, got {value!r}")


def _ids(fact_ids: tuple[str, ...]) -> tuple[str, ...]:
    for fact_id in fact_ids:
        if not isinstance(fact_id, str) or not fact_id.strip():
            raise InvalidData("facts", f"a fact id must be non-empty text, got {fact_id!r}")
    return fact_ids


@define(eq=False)
class Deal:
    """A sales project (opportunity) with one account: the evidence its gates read, and its tracks.

    Args:
        id: the deal's identifier.
        account: the customer.
        amount: the deal's value, as :class:`~bigaccount.money.Money` (not negative).
        expected_close: the expected signing date, when known.
        owner: the account manager, when known.
        people: the customer's buying organisation (stakeholders and relationships), when mapped.
        competitors: the competitors on the deal (read by the competitor criteria).

    A deal is :class:`~bigaccount.evidence.Evidence`: its ``facts``, ``segment``,
    ``people`` and ``competitors`` are what criteria read. Facts change through
    :meth:`establish`, :meth:`record` and :meth:`retract`; tracks through moves; both
    are events of one log (:attr:`events`, :attr:`version`), and neither can be
    changed otherwise.

    Thread safety: the moves and evidence changes of one deal are atomic and
    serialized (a lock per deal), so several threads may move the same deal; each
    change sees the evidence of the changes before it. Assigning ``people``,
    ``competitors`` or other fields while another thread moves the deal is not
    serialized, and those assignments are not events.

    Every ``cycle`` argument is a :class:`~bigaccount.cycle.Cycle` or the name of a
    registered one (``"funnel"``, ``"advancement"`` …). Every change takes ``at`` (an
    aware datetime) or the clock of the context; there is no hidden "now".
    """

    id: str = field(validator=Rule(text))
    account: Account = field(validator=_account)
    amount: Money = field(validator=_amount)
    expected_close: dt.date | None = field(default=None, converter=_date)
    owner: str | None = field(default=None, validator=Rule(optional_text))
    people: BuyingCenter | None = field(default=None, validator=_people)
    competitors: tuple[Competitor, ...] = field(default=(), converter=_competitors)
    _facts: dict[str, Fact] = field(init=False, factory=dict, repr=False)
    _tracks: dict[str, Track] = field(init=False, factory=dict, repr=False)
    _events: list[DealEvent] = field(init=False, factory=list, repr=False)
    _lock: threading.RLock = field(init=False, factory=threading.RLock, repr=False)
    _views: tuple[Mapping[str, Fact], Mapping[str, Track]] = field(init=False, repr=False)

    def __attrs_post_init__(self) -> None:
        self._views = (MappingProxyType(self._facts), MappingProxyType(self._tracks))

    # -- evidence ----------------------------------------------------------------------

    @property
    def facts(self) -> Mapping[str, Fact]:
        """The facts that hold now, by id (read-only)."""
        return self._views[0]

    @property
    def segment(self) -> Segment:
        """The account's segment (evidence for segment rules)."""
        return self.account.segment

    @property
    def tracks(self) -> Mapping[str, Track]:
        """The deal's track in each cycle it has entered, by cycle name (read-only)."""
        return self._views[1]

    @property
    def events(self) -> tuple[DealEvent, ...]:
        """Every change so far, oldest first: facts and stage changes in one order."""
        return tuple(self._events)

    @property
    def version(self) -> int:
        """How many events the deal has: a store appends with this as the expected version."""
        return len(self._events)

    def value(self, fact_id: str, default: FactValue | None = None) -> FactValue | None:
        """The value of the fact *fact_id*, or *default* when it is not established."""
        fact = self._facts.get(fact_id)
        return default if fact is None else fact.value

    def establish(
        self,
        *fact_ids: str,
        at: dt.datetime | None = None,
        actor: str | None = None,
        source: str | None = None,
        context: Context | None = None,
    ) -> tuple[FactChange, ...]:
        """Record that the yes/no facts *fact_ids* hold; returns the events, one per fact."""
        _ids(fact_ids)
        return self._change([(f, True) for f in fact_ids], at, actor, source, context)

    def record(
        self,
        fact_id: str,
        value: FactValue,
        *,
        at: dt.datetime | None = None,
        actor: str | None = None,
        source: str | None = None,
        context: Context | None = None,
    ) -> FactChange:
        """Record that the fact *fact_id* holds *value* (a number, Money, a date, a text …)."""
        _ids((fact_id,))
        check_fact_value(value, f"facts.{fact_id}")
        return self._change([(fact_id, value)], at, actor, source, context)[0]

    def retract(
        self,
        *fact_ids: str,
        at: dt.datetime | None = None,
        actor: str | None = None,
        source: str | None = None,
        context: Context | None = None,
    ) -> tuple[FactChange, ...]:
        """Record that the facts *fact_ids* no longer hold; returns the events recorded.

        Facts not established are skipped (nothing to retract, no event).
        """
        _ids(fact_ids)
        with self._lock:
            held: list[tuple[str, FactValue | None]] = [
                (f, None) for f in dict.fromkeys(fact_ids) if f in self._facts
            ]
            return self._change(held, at, actor, source, context)

    def facts_at(self, version: int) -> Mapping[str, Fact]:
        """The facts that held after the first *version* events.

        The move at position ``k`` of :attr:`events` was judged on ``facts_at(k)``.
        """
        if isinstance(version, bool) or not isinstance(version, int) or version < 0:
            raise InvalidData("version", f"expected a whole number >= 0, got {version!r}")
        facts: dict[str, Fact] = {}
        for event in self._events[:version]:
            if isinstance(event, FactChange):
                _apply_fact(facts, event)
        return MappingProxyType(facts)

    def _change(
        self,
        changes: list[tuple[str, FactValue | None]],
        at: dt.datetime | None,
        actor: str | None,
        source: str | None,
        context: Context | None,
    ) -> tuple[FactChange, ...]:
        with self._lock:
            when = self._moment(at, context)
            events = tuple(FactChange(f, v, when, actor, source) for f, v in changes)
            for event in events:
                _apply_fact(self._facts, event)
                self._events.append(event)
            return events

    def _moment(self, at: dt.datetime | None, context: Context | None) -> dt.datetime:
        if at is None:
            at = (resolve_context(context)).now()
        elif not isinstance(at, dt.datetime) or at.utcoffset() is None:
            raise InvalidData("at", f"a timezone-aware datetime is required, got {at!r}")
        if self._events and at < self._events[-1].at:
            raise InvalidData(
                "at",
                f"{at.isoformat()} is before the deal's last change "
                f"({self._events[-1].at.isoformat()})",
            )
        return at

    # -- moves -------------------------------------------------------------------------

    def move(
        self,
        cycle: Cycle | str,
        trigger: str,
        *,
        at: dt.datetime | None = None,
        actor: str | None = None,
        reason: str | None = None,
        context: Context | None = None,
        as_of: dt.date | dt.datetime | None = None,
        imported: bool = False,
        source: str | None = None,
    ) -> StageChange:
        """Make any move of *cycle* by its trigger name (routes and outcomes included).

        ``as_of`` judges the evidence at that moment instead of the time of the move
        (relationships decay toward it); ``context`` gives the settings in force.
        ``imported`` records a move another system made: its gates are evaluated and
        kept in the event but do not block. The move is atomic: on any error the deal
        is left exactly as it was.

        Raises:
            InvalidMove: no such move from the deal's state.
            StageBlocked: a gate on the way does not pass.
            InvalidData: a bad time, actor, reason or source.
        """
        c = _cycle(cycle)
        ctx = resolve_context(context)
        if as_of is not None:
            ctx = Context(as_of, ctx.settings, ctx.clock)
        with self._lock:
            when = self._moment(at, ctx)
            track = self._tracks.get(c.name)
            fresh = track is None
            if track is None:
                track = Track(c.name)
            event = c._move(track, self, trigger, when, actor, reason, ctx, imported, source)
            if fresh:
                self._tracks[c.name] = track
            self._events.append(event)
            return event

    def start(self, cycle: Cycle | str, **options: Any) -> StageChange:
        """Enter the first stage of *cycle* (its entry gate must pass).

        Options are those of :meth:`move` (``at``, ``actor``, ``context``, ``as_of`` …).
        """
        return self.move(cycle, "start", **options)

    def enter(self, cycle: Cycle | str, state: str, **options: Any) -> StageChange:
        """Begin *cycle* at *state* as another system recorded it (an imported entry).

        The gates on the way are evaluated and kept in the event, but do not block.
        Options are those of :meth:`move`; ``source`` names the system.
        """
        c = _cycle(cycle)
        if state not in c.states:
            raise InvalidData("state", f"{c.name} has no state {state!r}")
        return self.move(c, f"enter_{state}", imported=True, **options)

    def advance(self, cycle: Cycle | str, **options: Any) -> StageChange:
        """Move to the next stage: this stage's exit gate and the next one's entry gate pass."""
        return self.move(cycle, "advance", **options)

    def regress(self, cycle: Cycle | str, **options: Any) -> StageChange:
        """Step back one stage."""
        return self.move(cycle, "regress", **options)

    def jump(self, cycle: Cycle | str, to: str, **options: Any) -> StageChange:
        """Jump ahead to stage *to*; every gate on the way must pass."""
        return self.move(cycle, f"jump_to_{to}", **options)

    def cycle_back(self, cycle: Cycle | str, **options: Any) -> StageChange:
        """Turn a wheel from its last stage back to its first."""
        return self.move(cycle, "cycle_back", **options)

    def win(self, cycle: Cycle | str, **options: Any) -> StageChange:
        """Close the pipeline as won (its win gate must pass)."""
        return self.move(cycle, "win", **options)

    def lose(self, cycle: Cycle | str, reason: str, **options: Any) -> StageChange:
        """Close the pipeline as lost, saying why."""
        return self.move(cycle, "lose", reason=reason, **options)

    def stall(self, cycle: Cycle | str, reason: str, **options: Any) -> StageChange:
        """Close the pipeline as stalled, saying why."""
        return self.move(cycle, "stall", reason=reason, **options)

    # -- asking without moving ---------------------------------------------------------

    def check(
        self,
        cycle: Cycle | str,
        trigger: str = "advance",
        *,
        context: Context | None = None,
        as_of: dt.date | dt.datetime | None = None,
    ) -> MoveCheck:
        """Whether the move *trigger* is allowed now, with the gate reports."""
        c = _cycle(cycle)
        ctx = resolve_context(context)
        if as_of is not None:
            ctx = Context(as_of, ctx.settings, ctx.clock)
        with self._lock:
            track = self._tracks.get(c.name)
            state = track.state if track is not None else START
            return c.check(self, trigger, state=state, context=ctx)

    def can_advance(self, cycle: Cycle | str, **options: Any) -> bool:
        """Whether the deal may advance to the next stage now."""
        return self.check(cycle, "advance", **options).allowed

    def blockers(
        self, cycle: Cycle | str, trigger: str | None = None, **options: Any
    ) -> tuple[Criterion, ...]:
        """The criteria missing for the move (by default: start if not started, else advance)."""
        c = _cycle(cycle)
        if trigger is None:
            trigger = "advance" if c.name in self._tracks else "start"
        return self.check(c, trigger, **options).blockers

    def state(self, cycle: Cycle | str) -> str | None:
        """The deal's state in *cycle*, or ``None`` if it has not started there."""
        track = self._tracks.get(cycle if isinstance(cycle, str) else cycle.name)
        return track.state if track is not None else None

    def stage(self, cycle: Cycle | str) -> Stage | None:
        """The stage the deal stands in, or ``None`` (not started, or an outcome)."""
        c = _cycle(cycle)
        state = self.state(c)
        return c.stage(state) if state is not None and c.has_stage(state) else None

    def probability(self, cycle: Cycle | str) -> float:
        """The win probability of the deal's state in *cycle* (0 if not started)."""
        c = _cycle(cycle)
        state = self.state(c)
        p = c.probability(state) if state is not None else None
        return 0.0 if p is None else p

    def weighted_amount(self, cycle: Cycle | str) -> Money:
        """The amount weighted by the win probability of the deal's stage in *cycle*."""
        return self.amount.scaled(self.probability(cycle))

    @property
    def outcome(self) -> Outcome | None:
        """Won, lost or stalled once any pipeline track ended so; ``None`` while open.

        Where two pipelines of one deal disagree, won is reported before lost and lost
        before stalled: a signed contract is the fact that outlives the others.
        """
        states = {t.state for t in self._tracks.values()}
        for outcome in Outcome:
            if outcome.value in states:
                return outcome
        return None

    # -- rebuilding --------------------------------------------------------------------

    @classmethod
    def replay(
        cls,
        id: str,
        account: Account,
        amount: Money,
        events: Iterable[DealEvent],
        *,
        cycles: Iterable[Cycle] = (),
        **fields: Any,
    ) -> Deal:
        """Rebuild a deal from its log: the same facts, tracks, events and version.

        Stage changes are checked by their cycle (:meth:`Cycle.replay`: registered
        cycles by name, or those given in *cycles*); the log must be in time order.

        Raises:
            ReplayError: listing every event that does not follow.
        """
        deal = cls(id, account, amount, **fields)
        given = {c.name: c for c in cycles}
        per_cycle: dict[str, list[StageChange]] = {}
        positions: dict[str, list[int]] = {}
        problems: list[tuple[int, str]] = []
        last: dt.datetime | None = None
        for i, event in enumerate(events):
            if not isinstance(event, (StageChange, FactChange)):
                problems.append((i, f"expected a deal event, got {type(event).__name__}"))
                continue
            if last is not None and event.at < last:
                problems.append((i, "happens before the event that precedes it"))
            last = event.at
            if isinstance(event, FactChange):
                _apply_fact(deal._facts, event)
            else:
                per_cycle.setdefault(event.cycle, []).append(event)
                positions.setdefault(event.cycle, []).append(i)
            deal._events.append(event)
        for name, changes in per_cycle.items():
            try:
                cycle = given.get(name) or get_cycle(name)
                deal._tracks[name] = cycle.replay(changes)
            except ReplayError as error:
                where = positions[name]
                problems.extend((where[k], f"{name}: {p}") for k, p in error.problems)
            except UnknownName as error:
                problems.append((positions[name][0], str(error)))
        if problems:
            problems.sort(key=lambda p: p[0])
            raise ReplayError("deal " + id, *problems[0], problems=problems)
        return deal

    def __repr__(self) -> str:
        states = "".join(f", {name}: {track.state}" for name, track in self._tracks.items())
        return (
            f"Deal({self.id!r}, {self.account.name}, {self.amount}{states}, "
            f"{len(self._events)} events)"
        )

    def _repr_markdown_(self) -> str:
        from .display import deal_markdown

        return deal_markdown(self)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Deal):
            return NotImplemented
        return _identity(self) == _identity(other)

    __hash__ = None  # type: ignore[assignment]


def _identity(deal: Deal) -> tuple[Any, ...]:
    return (
        deal.id,
        deal.account,
        deal.amount,
        deal.expected_close,
        deal.owner,
        deal.people,
        deal.competitors,
        deal._events,
    )


_new = object.__new__
_FACT_SETTERS = slot_setters(Fact)


def _apply_fact(facts: dict[str, Fact], event: FactChange) -> None:
    """Apply one change to *facts*: the fact it establishes, or its retraction.

    The :class:`Fact` is the one :meth:`FactChange.as_fact` gives, built without running
    its validators again: a :class:`FactChange` was checked when it was built, by the
    same rules (the id, the value, an aware time, texts), so replaying a long log does
    not pay for them twice.
    """
    value = event.value
    if value is None:
        facts.pop(event.fact, None)
        return
    fact: Fact = _new(Fact)
    s = _FACT_SETTERS
    s[0](fact, event.fact)
    s[1](fact, value)
    s[2](fact, event.at)
    s[3](fact, event.actor)
    s[4](fact, event.source)
    facts[event.fact] = fact


def _cycle(cycle: Cycle | str) -> Cycle:
    if isinstance(cycle, Cycle):
        return cycle
    if not isinstance(cycle, str):
        raise InvalidData("cycle", f"expected a Cycle or a cycle's name, got {cycle!r}")
    return get_cycle(cycle)
