"""A deal's position in one cycle (a :class:`Track`) and its stage-change events.

A track's state is the fold of its events: every successful move appends one
immutable :class:`StageChange`, and :meth:`Track.replay` rebuilds the same track
from them. Tracks are plain records; moving them is the job of their
:class:`~bigaccount.cycle.Cycle`.
"""

from __future__ import annotations

import datetime as dt

from attrs import define, field, frozen

from ._validate import member
from .errors import InvalidData
from .labels import Label, LabelledEnum, label_members

__all__ = ["LOST", "OUTCOMES", "STALLED", "START", "WON", "Move", "StageChange", "Track"]

START = "<start>"
"""The state of a track before its first move (never seen on a started track)."""
WON = "WON"
LOST = "LOST"
STALLED = "STALLED"
OUTCOMES = (WON, LOST, STALLED)
"""The terminal outcome states of a pipeline; no stage may use these ids."""


class Move(LabelledEnum):
    """The kinds of move a track can make."""

    START = "start"
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
        Move.ADVANCE: Label("推进", "advance"),
        Move.REGRESS: Label("回退", "step back"),
        Move.JUMP: Label("跳进", "jump ahead"),
        Move.CYCLE_BACK: Label("循环回起点", "cycle back"),
        Move.ROUTE: Label("流程分支", "route"),
        Move.WIN: Label("赢单", "won"),
        Move.LOSE: Label("丢单", "lost"),
        Move.STALL: Label("停滞", "stalled"),
    },
)


def _move(value: object) -> Move:
    return member(Move, value, "move")


def _aware(_: object, attribute: object, value: dt.datetime) -> None:
    if not isinstance(value, dt.datetime) or value.utcoffset() is None:
        raise InvalidData("at", f"a timezone-aware datetime is required, got {value!r}")


@frozen
class StageChange:
    """One successful move of a track: an immutable, replayable event.

    Attributes:
        cycle: the name of the cycle.
        source: the state before the move (``None`` for the start of the track).
        dest: the state after it.
        trigger: the move's trigger name (``advance``, ``jump_to_P4``, ``lose`` …).
        move: the kind of move.
        at: when it happened (timezone-aware).
        actor: who made it, when known.
        criteria: the ids of the criteria that held on the gates passed.
        reason: why, for lost and stalled outcomes (and optional elsewhere).
    """

    cycle: str
    source: str | None
    dest: str
    trigger: str
    move: Move = field(converter=_move)
    at: dt.datetime = field(validator=_aware)
    actor: str | None = None
    criteria: tuple[str, ...] = ()
    reason: str | None = None


@define
class Track:
    """Where a deal stands in one cycle, with the events that brought it there.

    Build tracks by starting a deal in a cycle (:meth:`bigaccount.Deal.start`) or by
    :meth:`replay`; the cycle's shared state machine moves them.
    """

    cycle: str
    state: str = START
    _events: list[StageChange] = field(factory=list, alias="events")

    @property
    def history(self) -> tuple[StageChange, ...]:
        """Every stage change so far, oldest first."""
        return tuple(self._events)

    @property
    def started(self) -> bool:
        """Whether the track has made its first move."""
        return self.state != START

    @property
    def last_change(self) -> StageChange | None:
        """The latest stage change, if any."""
        return self._events[-1] if self._events else None

    def _record(self, event: StageChange) -> None:
        self._events.append(event)
