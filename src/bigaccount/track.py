"""A deal's position in one cycle (a :class:`Track`) and its stage-change events.

A track's state is the fold of its events: every successful move appends one
immutable :class:`StageChange`, and :meth:`bigaccount.Cycle.replay` rebuilds the same
track from them. Tracks change only through their cycle's moves and replays; their
state and history are read-only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Set
from typing import Any

from attrs import define, field, frozen, setters

from ._validate import member, slot_setters
from .errors import InvalidData
from .labels import Label, LabelledEnum, label_members

__all__ = ["START", "Move", "Outcome", "StageChange", "Track"]

START = "<start>"
"""The state of a track before its first move (never seen on a started track)."""


class Outcome(LabelledEnum):
    """How a pipeline ended. Each member's value is the id of its terminal state.

    >>> Outcome.WON == "WON", Outcome("LOST").label.zh
    (True, '丢单')
    """

    WON = "WON"
    LOST = "LOST"
    STALLED = "STALLED"

    @property
    def move(self) -> Move:
        """The move that ends a pipeline so."""
        return _OUTCOME_MOVES[self]


label_members(
    Outcome,
    {
        Outcome.WON: Label("赢单", "won"),
        Outcome.LOST: Label("丢单", "lost"),
        Outcome.STALLED: Label("停滞", "stalled"),
    },
)


class Move(LabelledEnum):
    """The kinds of move a track can make."""

    START = "start"
    ENTER = "enter"
    """An imported entry: the track begins at any state, as another system recorded it."""
    ADVANCE = "advance"
    REGRESS = "regress"
    JUMP = "jump"
    CYCLE_BACK = "cycle_back"
    ROUTE = "route"
    WIN = "win"
    LOSE = "lose"
    STALL = "stall"


label_members(
    Move,
    {
        Move.START: Label("进入", "start"),
        Move.ENTER: Label("导入", "enter (imported)"),
        Move.ADVANCE: Label("推进", "advance"),
        Move.REGRESS: Label("回退", "step back"),
        Move.JUMP: Label("跳进", "jump ahead"),
        Move.CYCLE_BACK: Label("循环回起点", "cycle back"),
        Move.ROUTE: Label("流程分支", "route"),
        Move.WIN: Label("赢单", "win"),
        Move.LOSE: Label("丢单", "lose"),
        Move.STALL: Label("停滞", "stall"),
    },
)

_OUTCOME_MOVES = {Outcome.WON: Move.WIN, Outcome.LOST: Move.LOSE, Outcome.STALLED: Move.STALL}
NEEDS_REASON = frozenset((Move.LOSE, Move.STALL))
"""The moves that must say why."""


def _move(value: object) -> Move:
    return member(Move, value, "move")


def _aware(_: object, __: object, value: Any) -> None:
    if not isinstance(value, dt.datetime) or value.utcoffset() is None:
        raise InvalidData("at", f"a timezone-aware datetime is required, got {value!r}")


def _name(_: object, attribute: Any, value: Any) -> None:
    if not isinstance(value, str) or not value.strip():
        raise InvalidData(attribute.name, f"expected non-empty text, got {value!r}")


def _optional_name(_: object, attribute: Any, value: Any) -> None:
    if value is not None and (not isinstance(value, str) or not value.strip()):
        raise InvalidData(attribute.name, f"expected non-empty text or None, got {value!r}")


def _as_ids(value: Any) -> Any:
    """A sequence as a tuple; a text, bytes, a mapping, a set or a lone value as given (refused).

    A set has no order: the same event would be written differently by two processes.
    """
    if type(value) is tuple or isinstance(value, (str, bytes, Mapping, Set)):
        return value
    if not isinstance(value, Iterable):
        return value
    return tuple(value)


def _ids(_: object, attribute: Any, value: Any) -> None:
    if type(value) is not tuple:
        raise InvalidData(attribute.name, f"expected a sequence of criterion ids, got {value!r}")
    for index, item in enumerate(value):
        if not isinstance(item, str) or not item.strip():
            raise InvalidData(
                f"{attribute.name}[{index}]", f"expected a criterion id, got {item!r}"
            )


def _flag(_: object, attribute: Any, value: Any) -> None:
    if not isinstance(value, bool):
        raise InvalidData(attribute.name, f"expected True or False, got {value!r}")


@frozen
class StageChange:
    """One move of a track: an immutable, replayable event.

    Attributes:
        cycle: the name of the cycle.
        source: the state before the move (``None`` for the first move of the track).
        dest: the state after it.
        trigger: the move's trigger name (``advance``, ``jump_to_P4``, ``lose``, ``enter`` …).
        move: the kind of move.
        at: when it happened (timezone-aware).
        actor: who made it, when known.
        criteria: the ids of the criteria that held on the gates on the way.
        reason: why (required for lost and stalled outcomes).
        imported: ``True`` when another system recorded the move (an import); its
            gates were evaluated but did not block.
        unmet: for an imported move, the criteria missing on the gates that did not
            pass (never empty silently: what our gates thought of it is kept).
        source_system: where an imported move came from (``"salesforce"``, a file name).

    ``criteria`` and ``unmet`` take any sequence of ids (kept as a tuple), never one
    text alone.

    Raises:
        InvalidData: naming the field (or the item, ``criteria[1]``) of a wrong value,
            or the rule broken (a lost move without a reason …).
    """

    cycle: str = field(validator=_name)
    source: str | None = field(validator=_optional_name)
    dest: str = field(validator=_name)
    trigger: str = field(validator=_name)
    move: Move = field(converter=_move)
    at: dt.datetime = field(validator=_aware)
    actor: str | None = field(default=None, validator=_optional_name)
    criteria: tuple[str, ...] = field(default=(), converter=_as_ids, validator=_ids)
    reason: str | None = field(default=None, validator=_optional_name)
    imported: bool = field(default=False, kw_only=True, validator=_flag)
    unmet: tuple[str, ...] = field(default=(), converter=_as_ids, validator=_ids, kw_only=True)
    source_system: str | None = field(default=None, kw_only=True, validator=_optional_name)

    def __attrs_post_init__(self) -> None:
        if self.move in NEEDS_REASON and self.reason is None:
            raise InvalidData("reason", f"a {self.move.value} move needs a reason")
        if self.move is Move.ENTER and not self.imported:
            raise InvalidData("imported", "an enter move is always imported")
        if self.unmet and not self.imported:
            raise InvalidData("unmet", "only an imported move may pass unmet criteria")
        if (self.source is None) != (self.move in (Move.START, Move.ENTER)):
            raise InvalidData("source", "only a start or enter move begins from nothing")


_new = object.__new__
_SETTERS = slot_setters(StageChange)
"""The slots' own setters: the fastest way to fill a new frozen event."""


def recorded(
    cycle: str,
    source: str | None,
    dest: str,
    trigger: str,
    move: Move,
    at: dt.datetime,
    actor: str | None,
    criteria: tuple[str, ...],
    reason: str | None,
    imported: bool,
    unmet: tuple[str, ...],
    source_system: str | None,
) -> StageChange:
    """A :class:`StageChange` from values the engine has already checked.

    The engine's moves build one event each; re-running the checks of every field
    would add a third to the cost of a move for nothing. Not for events from outside:
    build those with :class:`StageChange`, which checks them.
    """
    event: StageChange = _new(StageChange)
    s = _SETTERS
    s[0](event, cycle)
    s[1](event, source)
    s[2](event, dest)
    s[3](event, trigger)
    s[4](event, move)
    s[5](event, at)
    s[6](event, actor)
    s[7](event, criteria)
    s[8](event, reason)
    s[9](event, imported)
    s[10](event, unmet)
    s[11](event, source_system)
    return event


@define(eq=False, on_setattr=setters.NO_OP)
class Track:
    """Where a deal stands in one cycle, with the events that brought it there.

    Tracks are made by moves (:meth:`bigaccount.Deal.start`, :meth:`bigaccount.Deal.enter`)
    and by :meth:`bigaccount.Cycle.replay`; ``state`` and ``history`` are read-only.
    """

    cycle: str = field(validator=_name)
    _state: str = field(default=START, alias="_state", init=False)
    _events: list[StageChange] = field(factory=list, init=False)

    @property
    def state(self) -> str:
        """The current state (``"<start>"`` before the first move)."""
        return self._state

    @property
    def history(self) -> tuple[StageChange, ...]:
        """Every stage change so far, oldest first."""
        return tuple(self._events)

    @property
    def started(self) -> bool:
        """Whether the track has made its first move."""
        return self._state != START

    @property
    def last_change(self) -> StageChange | None:
        """The latest stage change, if any."""
        return self._events[-1] if self._events else None

    def __len__(self) -> int:
        return len(self._events)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Track):
            return NotImplemented
        return (self.cycle, self._state, self._events) == (
            other.cycle,
            other._state,
            other._events,
        )

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Track({self.cycle!r}, state={self._state!r}, events={len(self._events)})"
