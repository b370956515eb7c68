"""Accounts and deals: the customer, and a sales project moving through the cycles.

A :class:`Deal` carries the facts its stage gates read and one
:class:`~bigaccount.track.Track` per cycle it is in. Its moves go through the
cycles' shared state machines; each successful move is recorded as an event.

>>> import datetime as dt
>>> from bigaccount import Account, Deal, Money, Segment
>>> deal = Deal("D-1", Account("Acme", Segment.ENTERPRISE), Money("1200000", "CNY"))
>>> deal.establish("materials_sent", "first_contact")
>>> deal.start("funnel").dest
'TARGET'
>>> deal.weighted_amount("funnel")
Money(amount=Decimal('120000.0'), currency='CNY')
>>> [c.id for c in deal.blockers("funnel")]
['visited', 'evaluating', 'clear_need', 'owner_named']
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from attrs import Attribute, define, field, frozen

from ._validate import member
from .cycle import Cycle
from .errors import InvalidData
from .money import Money
from .people import BuyingCenter
from .plan import Competitor
from .registry import get_cycle
from .segment import Segment
from .track import LOST, STALLED, WON, StageChange, Track

if TYPE_CHECKING:
    from .cycle import MoveCheck, Stage
    from .gates import Criterion

__all__ = ["Account", "Deal", "Outcome", "Segment"]


class Outcome(str, enum.Enum):
    """Where a deal ended up: still open, won, lost or stalled."""

    OPEN = "open"
    WON = "won"
    LOST = "lost"
    STALLED = "stalled"


def _text(name: str) -> Callable[[Any, Attribute[str], str], None]:
    def check(_: Any, __: Attribute[str], value: str) -> None:
        if not isinstance(value, str) or not value.strip():
            raise InvalidData(name, f"expected non-empty text, got {value!r}")

    return check


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

    name: str = field(validator=_text("account.name"))
    segment: Segment = field(converter=_segment)
    industry: str | None = None
    id: str | None = None


def _facts(value: object) -> dict[str, bool]:
    if not isinstance(value, dict):
        raise InvalidData("facts", f"expected a mapping of fact ids to booleans, got {value!r}")
    for key, flag in value.items():
        if not isinstance(key, str) or not isinstance(flag, bool):
            raise InvalidData(f"facts[{key!r}]", f"expected a boolean, got {flag!r}")
    return dict(value)


def _competitors(value: Any) -> tuple[Competitor, ...]:
    if isinstance(value, (str, bytes)) or not hasattr(value, "__iter__"):
        raise InvalidData("competitors", f"expected Competitor values, got {value!r}")
    items = tuple(value)
    for item in items:
        if not isinstance(item, Competitor):
            raise InvalidData("competitors", f"expected Competitor values, got {item!r}")
    return items


def _optional_text(name: str) -> Callable[[Any, Attribute[str | None], str | None], None]:
    def check(_: Any, __: Attribute[str | None], value: str | None) -> None:
        if value is not None and (not isinstance(value, str) or not value.strip()):
            raise InvalidData(name, f"expected non-empty text or None, got {value!r}")

    return check


def _people(_: Any, __: Attribute[BuyingCenter | None], value: object) -> None:
    if value is not None and not isinstance(value, BuyingCenter):
        raise InvalidData("people", f"expected a BuyingCenter, got {value!r}")


def _amount(_: Any, __: Attribute[Money], value: object) -> None:
    if not isinstance(value, Money):
        raise InvalidData("amount", f"expected Money, got {value!r}")


def _date(value: object) -> dt.date | None:
    if value is None or (isinstance(value, dt.date) and not isinstance(value, dt.datetime)):
        return value
    raise InvalidData("expected_close", f"expected a date, got {value!r}")


@define
class Deal:
    """A sales project (opportunity) with one account.

    Args:
        id: the deal's identifier.
        account: the customer.
        amount: the deal's value, as :class:`~bigaccount.money.Money`.
        expected_close: the expected signing date, when known.
        facts: established facts the gates read, e.g. ``{"first_contact": True}``.
        tracks: the deal's position in each cycle (built by moves; restore from events
            with :meth:`bigaccount.cycle.Cycle.replay`).
        owner: the account manager, when known.
        people: the customer's buying organisation (stakeholders and relationships), when mapped.
        competitors: the competitors on the deal (read by the competitor criteria).

    Every ``cycle`` argument is a :class:`~bigaccount.cycle.Cycle` or the name of a
    registered one (``"funnel"``, ``"advancement"`` …).
    """

    id: str = field(validator=_text("id"))
    account: Account
    amount: Money = field(validator=_amount)
    expected_close: dt.date | None = field(default=None, converter=_date)
    facts: dict[str, bool] = field(factory=dict, converter=_facts)
    tracks: dict[str, Track] = field(factory=dict)
    owner: str | None = field(default=None, validator=_optional_text("owner"))
    people: BuyingCenter | None = field(default=None, validator=_people)
    competitors: tuple[Competitor, ...] = field(default=(), converter=_competitors)

    def __attrs_post_init__(self) -> None:
        if not isinstance(self.account, Account):
            raise InvalidData("account", f"expected an Account, got {self.account!r}")
        for name, track in self.tracks.items():
            if not isinstance(track, Track) or track.cycle != name:
                raise InvalidData(f"tracks[{name!r}]", "expected the Track of that cycle")
            last = track.last_change
            if last is None or last.dest != track.state:
                raise InvalidData(
                    f"tracks[{name!r}]",
                    "a track's state must be where its last event led; rebuild it with "
                    "Cycle.replay(events)",
                )

    # -- facts -------------------------------------------------------------------------

    def establish(self, *fact_ids: str) -> None:
        """Record that the facts *fact_ids* hold."""
        for fact_id in fact_ids:
            if not isinstance(fact_id, str) or not fact_id:
                raise InvalidData("facts", f"a fact id must be non-empty text, got {fact_id!r}")
        for fact_id in fact_ids:
            self.facts[fact_id] = True

    def retract(self, *fact_ids: str) -> None:
        """Record that the facts *fact_ids* no longer hold."""
        for fact_id in fact_ids:
            if fact_id in self.facts:
                self.facts[fact_id] = False

    # -- moves -------------------------------------------------------------------------

    def start(
        self, cycle: Cycle | str, *, actor: str | None = None, at: dt.datetime | None = None
    ) -> StageChange:
        """Enter the first stage of *cycle* (its gate must pass)."""
        return _cycle(cycle).move(self, "start", actor=actor, at=at)

    def advance(
        self, cycle: Cycle | str, *, actor: str | None = None, at: dt.datetime | None = None
    ) -> StageChange:
        """Move to the next stage; its entry gate must pass."""
        return _cycle(cycle).move(self, "advance", actor=actor, at=at)

    def regress(
        self, cycle: Cycle | str, *, actor: str | None = None, at: dt.datetime | None = None
    ) -> StageChange:
        """Step back one stage."""
        return _cycle(cycle).move(self, "regress", actor=actor, at=at)

    def jump(
        self,
        cycle: Cycle | str,
        to: str,
        *,
        actor: str | None = None,
        at: dt.datetime | None = None,
    ) -> StageChange:
        """Jump ahead to stage *to*; every gate on the way must pass."""
        return _cycle(cycle).move(self, f"jump_to_{to}", actor=actor, at=at)

    def cycle_back(
        self, cycle: Cycle | str, *, actor: str | None = None, at: dt.datetime | None = None
    ) -> StageChange:
        """Turn a wheel from its last stage back to its first."""
        return _cycle(cycle).move(self, "cycle_back", actor=actor, at=at)

    def win(
        self, cycle: Cycle | str, *, actor: str | None = None, at: dt.datetime | None = None
    ) -> StageChange:
        """Close the pipeline as won."""
        return _cycle(cycle).move(self, "win", actor=actor, at=at)

    def lose(
        self,
        cycle: Cycle | str,
        reason: str,
        *,
        actor: str | None = None,
        at: dt.datetime | None = None,
    ) -> StageChange:
        """Close the pipeline as lost, saying why."""
        return _cycle(cycle).move(self, "lose", reason=reason, actor=actor, at=at)

    def stall(
        self,
        cycle: Cycle | str,
        reason: str,
        *,
        actor: str | None = None,
        at: dt.datetime | None = None,
    ) -> StageChange:
        """Close the pipeline as stalled, saying why."""
        return _cycle(cycle).move(self, "stall", reason=reason, actor=actor, at=at)

    def move(
        self,
        cycle: Cycle | str,
        trigger: str,
        *,
        actor: str | None = None,
        at: dt.datetime | None = None,
    ) -> StageChange:
        """Make any move of *cycle* by its trigger name (including declared routes)."""
        return _cycle(cycle).move(self, trigger, actor=actor, at=at)

    # -- asking without moving ---------------------------------------------------------

    def check(self, cycle: Cycle | str, trigger: str = "advance") -> MoveCheck:
        """Whether the move *trigger* is allowed now, with the gate reports."""
        return _cycle(cycle).check(self, trigger)

    def can_advance(self, cycle: Cycle | str) -> bool:
        """Whether the deal may advance to the next stage now."""
        return _cycle(cycle).check(self, "advance").allowed

    def blockers(self, cycle: Cycle | str, trigger: str | None = None) -> tuple[Criterion, ...]:
        """The criteria missing for the move (by default: start if not started, else advance)."""
        c = _cycle(cycle)
        if trigger is None:
            trigger = "advance" if c.name in self.tracks else "start"
        return c.check(self, trigger).blockers

    def state(self, cycle: Cycle | str) -> str | None:
        """The deal's state in *cycle*, or ``None`` if it has not started there."""
        track = self.tracks.get(_cycle(cycle).name)
        return track.state if track is not None else None

    def stage(self, cycle: Cycle | str) -> Stage | None:
        """The stage the deal stands in, or ``None`` (not started, or an outcome)."""
        c = _cycle(cycle)
        state = self.state(c)
        return c.stage(state) if state is not None and state in c._index else None

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
    def outcome(self) -> Outcome:
        """Won, lost or stalled once any pipeline track ended so; otherwise open.

        Where two pipelines of one deal disagree, won is reported before lost and lost
        before stalled: a signed contract is the fact that outlives the others.
        """
        states = {t.state for t in self.tracks.values()}
        for state, outcome in (
            (WON, Outcome.WON),
            (LOST, Outcome.LOST),
            (STALLED, Outcome.STALLED),
        ):
            if state in states:
                return outcome
        return Outcome.OPEN


def _cycle(cycle: Cycle | str) -> Cycle:
    if isinstance(cycle, Cycle):
        return cycle
    return get_cycle(cycle)
