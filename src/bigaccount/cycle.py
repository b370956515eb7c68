"""Cycle declarations and the engine compiled from them.

A :class:`Cycle` is data: ordered :class:`Stage` values (bilingual name, win
probability, guidance, entry gate) and the moves between them. When it is built it
is checked (an :class:`~bigaccount.errors.InvalidDefinition` names the stage at
fault) and compiled, once, into

* one ``transitions`` state machine shared by every deal — no machine per deal,
  no reference kept to any deal — whose guards are the stage gates; and
* a :class:`TransitionTable`, a plain lookup table for bulk validation and replay of
  stage changes exported from a CRM.

Moves are made through :class:`~bigaccount.deal.Deal` (``deal.advance("funnel")``) or
:meth:`Cycle.move`. A blocked move raises :class:`~bigaccount.errors.StageBlocked`
with the gate reports and leaves the deal exactly as it was.
"""

from __future__ import annotations

import datetime as dt
import enum
import re
from collections.abc import Hashable, Iterable, Iterator, Mapping
from typing import TYPE_CHECKING

from attrs import field, frozen
from transitions import EventData, Machine

from ._validate import member
from .errors import InvalidData, InvalidDefinition, InvalidMove, ReplayError, StageBlocked
from .gates import OPEN, Criterion, Gate, GateReport, missing_criteria, unique_criteria
from .labels import Label
from .track import LOST, OUTCOMES, STALLED, START, WON, Move, StageChange, Track

if TYPE_CHECKING:
    from .deal import Deal

__all__ = [
    "BulkReplay",
    "Cycle",
    "CycleKind",
    "Guidance",
    "MoveCheck",
    "Route",
    "Stage",
    "Step",
    "SuccessMarker",
    "Transition",
    "TransitionTable",
]

_ID = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")


class CycleKind(str, enum.Enum):
    """How a cycle moves: a sales pipeline, a wheel that turns, or a process."""

    PIPELINE = "pipeline"
    """Stages with win probabilities and the outcomes won / lost / stalled."""
    WHEEL = "wheel"
    """The last stage returns to the first (the customer decision cycle)."""
    PROCESS = "process"
    """Ordered steps, possibly with loops (the account development process)."""


def _labels(value: Iterable[Label]) -> tuple[Label, ...]:
    return tuple(value)


@frozen
class Step:
    """A numbered step of a stage, with the rules that go with it."""

    label: Label
    rules: tuple[Label, ...] = field(default=(), converter=_labels)


@frozen
class SuccessMarker:
    """How to tell a stage succeeded: on the customer's side, ours, and the milestone."""

    customer: Label
    supplier: Label
    milestone: Label


def _criteria(value: Iterable[Criterion]) -> tuple[Criterion, ...]:
    return tuple(value)


def _steps(value: Iterable[Step]) -> tuple[Step, ...]:
    return tuple(value)


@frozen
class Guidance:
    """What a stage means and what to do in it: the method's advice, as data.

    Attributes:
        description: what the stage is, in a sentence.
        customer_action: what the customer does in this stage.
        activities: the seller's typical activities.
        steps: the numbered steps, each with its rules.
        success: how to tell the stage succeeded.
        mistakes: common mistakes the method warns of.
        checklist: the self-check questions for the salesperson.
        practices: the management practices that go with the stage.
        notes: further remarks of the method on the stage (observations, warnings).
        signals: criteria the method lists for the stage that are not part of its
            gate's rule: shown and evaluable, but they never block a move.
    """

    description: Label | None = None
    customer_action: Label | None = None
    activities: tuple[Label, ...] = field(default=(), converter=_labels)
    steps: tuple[Step, ...] = field(default=(), converter=_steps)
    success: SuccessMarker | None = None
    mistakes: tuple[Label, ...] = field(default=(), converter=_labels)
    checklist: tuple[Label, ...] = field(default=(), converter=_labels)
    practices: tuple[Label, ...] = field(default=(), converter=_labels)
    notes: tuple[Label, ...] = field(default=(), converter=_labels)
    signals: tuple[Criterion, ...] = field(default=(), converter=_criteria)


def _probability(value: float | None) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise InvalidData("probability", f"expected a number in [0, 1], got {value!r}")
    return float(value)


@frozen
class Stage:
    """One stage of a cycle.

    Args:
        id: a stable identifier (a Python-style name such as ``"P3"`` or ``"APPROVED"``).
        label: the stage's name in both languages.
        probability: the win probability of a deal standing here (pipelines), in [0, 1].
        gate: the entry gate: what must hold for a deal to enter the stage.
        guidance: activities, steps, success marker, self-check list, practices.
        owner: who owns the stage on our side, where the method says.
        phase: the phase the stage belongs to, where the method groups stages.
    """

    id: str
    label: Label
    probability: float | None = field(default=None, converter=_probability)
    gate: Gate = OPEN
    guidance: Guidance = Guidance()
    owner: Label | None = None
    phase: Label | None = None

    @property
    def criteria(self) -> tuple[Criterion, ...]:
        """The criteria of the entry gate."""
        return self.gate.criteria


@frozen
class Route:
    """A declared move beyond the standard ones, e.g. a loop of a process.

    ``gate`` guards the move (open by default). A route from a stage to itself
    records that the deal stayed, e.g. "talks not yet successful: keep talking".
    """

    trigger: str
    source: str
    dest: str
    label: Label
    gate: Gate = OPEN


@frozen
class Transition:
    """A move of the compiled cycle: the gates it must pass, one per stage on the way."""

    trigger: str
    source: str
    dest: str
    move: Move
    gates: tuple[tuple[str, Gate], ...] = ()

    def evaluate(self, deal: Deal) -> tuple[GateReport, ...]:
        """Evaluate every gate on the way (all of them, to report every blocker)."""
        return tuple(gate.evaluate(deal, stage) for stage, gate in self.gates)


@frozen
class MoveCheck:
    """The answer to "may this deal make this move?", without moving it."""

    trigger: str
    source: str
    dest: str | None
    allowed: bool
    reports: tuple[GateReport, ...]

    @property
    def blockers(self) -> tuple[Criterion, ...]:
        """The criteria still missing on the failing gates, without repeats."""
        return missing_criteria(self.reports)


class _Guard:
    """The condition of a machine transition: evaluates its gates and keeps the reports."""

    __slots__ = ("transition",)

    def __init__(self, transition: Transition) -> None:
        self.transition = transition

    def __call__(self, event: EventData) -> bool:
        # Transition.evaluate unrolled: this runs on every move, and the loop is cheaper.
        deal = event.kwargs["deal"]
        reports: list[GateReport] = event.kwargs["reports"]
        passed = True
        for stage, gate in self.transition.gates:
            report = gate.evaluate(deal, stage)
            reports.append(report)
            passed = passed and report.passed
        return passed

    def __repr__(self) -> str:
        return f"_Guard({[s for s, _ in self.transition.gates]})"


def _kind(value: object) -> CycleKind:
    return member(CycleKind, value, "kind")


def _stages(value: Iterable[Stage]) -> tuple[Stage, ...]:
    return tuple(value)


def _routes(value: Iterable[Route]) -> tuple[Route, ...]:
    return tuple(value)


@frozen
class Cycle:
    """A declared cycle: its stages, its moves and its kind; compiled when built.

    Args:
        name: the registry name (``"funnel"``, ``"advancement"`` …).
        label: the cycle's name in both languages.
        kind: pipeline, wheel or process.
        stages: the ordered stages.
        routes: moves beyond the standard ones (loops, branches).
        linear: derive the standard moves (advance to the next stage, step back,
            jump to a later stage, and cycle back for a wheel). With ``False`` only
            the start, the declared routes and a pipeline's outcomes exist.
        allow_jump: with ``linear``, allow jumps past several stages (every gate on
            the way must pass).
        allow_regress: with ``linear``, allow a step back (no gate).
        win_gate: what must hold for a pipeline deal to be won.
        description: what the cycle is, in both languages.

    Raises:
        InvalidDefinition: when the declaration is malformed; the message names the
            stage and the problem.
    """

    name: str
    label: Label
    kind: CycleKind = field(converter=_kind)
    stages: tuple[Stage, ...] = field(converter=_stages)
    routes: tuple[Route, ...] = field(default=(), converter=_routes)
    linear: bool = True
    allow_jump: bool = True
    allow_regress: bool = True
    win_gate: Gate = OPEN
    description: Label | None = None
    _transitions: tuple[Transition, ...] = field(init=False, eq=False, repr=False)
    _index: Mapping[str, int] = field(init=False, eq=False, repr=False)
    _table: TransitionTable = field(init=False, eq=False, repr=False)
    _machine: Machine = field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        _check_shape(self)
        index = {stage.id: i for i, stage in enumerate(self.stages)}
        transitions = tuple(_derive(self, index))
        object.__setattr__(self, "_index", index)
        object.__setattr__(self, "_transitions", transitions)
        _check_flow(self, transitions)
        object.__setattr__(self, "_table", TransitionTable(self.name, transitions))
        object.__setattr__(self, "_machine", _compile(self, transitions))

    # -- looking things up -------------------------------------------------------------

    @property
    def states(self) -> tuple[str, ...]:
        """Every state a started track can be in: the stages, then any outcomes."""
        ids = tuple(s.id for s in self.stages)
        return ids + OUTCOMES if self.kind is CycleKind.PIPELINE else ids

    @property
    def transitions(self) -> tuple[Transition, ...]:
        """Every move of the compiled cycle, with the gates on its way."""
        return self._transitions

    @property
    def table(self) -> TransitionTable:
        """The plain transition table, for bulk validation and replay."""
        return self._table

    @property
    def machine(self) -> Machine:
        """The ``transitions`` machine shared by every deal in this cycle (read only)."""
        return self._machine

    @property
    def criteria(self) -> tuple[Criterion, ...]:
        """Every criterion of the cycle's gates, in stage order, without repeats."""
        gates = [s.gate for s in self.stages] + [self.win_gate]
        return unique_criteria(c for gate in gates for c in gate.criteria)

    def stage(self, stage_id: str) -> Stage:
        """The stage with id *stage_id*."""
        try:
            return self.stages[self._index[stage_id]]
        except KeyError:
            raise InvalidData(
                "stage", f"{self.name} has no stage {stage_id!r}; stages: {', '.join(self._index)}"
            ) from None

    def index(self, stage_id: str) -> int:
        """The position of *stage_id* in the cycle (0 for the first stage)."""
        return self._index[self.stage(stage_id).id]

    def probability(self, state: str) -> float | None:
        """The win probability of a deal in *state*.

        Won is 1, lost and stalled are 0; a stage without a probability of its own
        takes that of the nearest earlier stage that has one.
        """
        if state == WON:
            return 1.0
        if state in (LOST, STALLED):
            return 0.0
        for stage in reversed(self.stages[: self.index(state) + 1]):
            if stage.probability is not None:
                return stage.probability
        return None

    def triggers(self, state: str) -> tuple[str, ...]:
        """The moves that exist from *state* (gates aside)."""
        return self._table.triggers(state)

    def is_terminal(self, state: str) -> bool:
        """Whether no move leaves *state* (a pipeline's won / lost / stalled)."""
        return not self._table.triggers(state)

    # -- moving ------------------------------------------------------------------------

    def check(self, deal: Deal, trigger: str = "advance") -> MoveCheck:
        """Say whether *deal* may make the move *trigger* now, and why not; moves nothing."""
        track = deal.tracks.get(self.name)
        state = track.state if track is not None else START
        step = self._table.step(state, trigger)
        if step is None:
            return MoveCheck(trigger, state, None, False, ())
        reports = step.evaluate(deal)
        return MoveCheck(trigger, state, step.dest, all(r.passed for r in reports), reports)

    def move(
        self,
        deal: Deal,
        trigger: str,
        *,
        actor: str | None = None,
        at: dt.datetime | None = None,
        reason: str | None = None,
    ) -> StageChange:
        """Make the move *trigger* on *deal*'s track in this cycle and record it.

        The move goes through the cycle's shared ``transitions`` machine, whose guard
        evaluates every gate on the way.

        Raises:
            InvalidMove: no such move from the track's state (or the track has not
                started and the move is not ``start``).
            StageBlocked: a gate on the way does not pass; nothing changed.
            InvalidData: a bad ``at``, ``actor`` or missing ``reason``.
        """
        track = deal.tracks.get(self.name)
        fresh = track is None
        if track is None:
            track = Track(self.name)
        state = track.state
        step = self._table.step(state, trigger)
        if step is None:
            raise InvalidMove(self.name, state, trigger, self._table.triggers(state))
        when = _moment(at, track)
        if actor is not None and not isinstance(actor, str):
            raise InvalidData("actor", f"expected a name, got {actor!r}")
        if step.move in (Move.LOSE, Move.STALL) and not (
            isinstance(reason, str) and reason.strip()
        ):
            raise InvalidData("reason", f"a {step.move.value} outcome needs a reason")
        reports: list[GateReport] = []
        if not self._machine.events[trigger].trigger(track, deal=deal, reports=reports):
            raise StageBlocked(self.name, state, trigger, reports)
        try:
            event = StageChange(
                self.name,
                None if state == START else state,
                step.dest,
                trigger,
                step.move,
                when,
                actor,
                tuple(dict.fromkeys(c.id for r in reports for c in r.held)),
                reason,
            )
        except BaseException:
            track.state = state
            raise
        track._record(event)
        if fresh:
            deal.tracks[self.name] = track
        return event

    def replay(self, events: Iterable[StageChange]) -> Track:
        """Rebuild a track from its events, checking that each follows the cycle.

        Gates are not evaluated again (the facts may have changed since); what is
        checked is that every event is a move of this cycle from the state the
        previous one left, in time order.

        Raises:
            ReplayError: naming the first event that does not follow.
        """
        track = Track(self.name)
        for i, event in enumerate(events):
            if event.cycle != self.name:
                raise ReplayError(self.name, i, f"event belongs to cycle {event.cycle!r}")
            source = START if event.source is None else event.source
            if source != track.state:
                raise ReplayError(
                    self.name,
                    i,
                    f"starts from {event.source!r} but the track is at {track.state!r}",
                )
            if (i == 0) != (event.source is None):
                raise ReplayError(self.name, i, "only the first event starts from nothing")
            step = self._table.step(source, event.trigger)
            if step is None or step.dest != event.dest:
                raise ReplayError(
                    self.name,
                    i,
                    f"{event.trigger!r} does not lead from {source!r} to {event.dest!r}",
                )
            if event.move is not step.move:
                raise ReplayError(self.name, i, f"{event.trigger!r} is a {step.move.value} move")
            if step.move in (Move.LOSE, Move.STALL) and not (event.reason or "").strip():
                raise ReplayError(self.name, i, f"a {step.move.value} outcome needs a reason")
            last = track.last_change
            if last is not None and event.at < last.at:
                raise ReplayError(self.name, i, "happens before the event that precedes it")
            track.state = event.dest
            track._record(event)
        return track


def _moment(at: dt.datetime | None, track: Track) -> dt.datetime:
    if at is None:
        at = dt.datetime.now(dt.timezone.utc)
    elif not isinstance(at, dt.datetime) or at.utcoffset() is None:
        raise InvalidData("at", f"a timezone-aware datetime is required, got {at!r}")
    last = track.last_change
    if last is not None and at < last.at:
        raise InvalidData(
            "at", f"{at.isoformat()} is before the last change ({last.at.isoformat()})"
        )
    return at


# -- checking a declaration ------------------------------------------------------------


def _check_types(cycle: Cycle, where: str) -> None:
    for i, stage in enumerate(cycle.stages):
        if not isinstance(stage, Stage):
            raise InvalidDefinition(f"{where}.stages[{i}]", f"expected a Stage, got {stage!r}")
        at = f"{where}.{stage.id}"
        for name, value, kind in (
            ("label", stage.label, Label),
            ("gate", stage.gate, Gate),
            ("guidance", stage.guidance, Guidance),
        ):
            if not isinstance(value, kind):
                raise InvalidDefinition(at, f"{name} must be a {kind.__name__}, got {value!r}")
        for criterion in (*stage.gate.criteria, *stage.guidance.signals):
            if not isinstance(criterion, Criterion):
                raise InvalidDefinition(at, f"expected a Criterion, got {criterion!r}")
    if not isinstance(cycle.win_gate, Gate):
        raise InvalidDefinition(
            f"{where}.{WON}", f"win_gate must be a Gate, got {cycle.win_gate!r}"
        )
    for i, route in enumerate(cycle.routes):
        if not isinstance(route, Route) or not isinstance(route.gate, Gate):
            raise InvalidDefinition(
                f"{where}.routes[{i}]", f"expected a Route with a Gate, got {route!r}"
            )
        if not all(isinstance(x, str) for x in (route.trigger, route.source, route.dest)):
            raise InvalidDefinition(f"{where}.routes[{i}]", "trigger, source and dest must be text")


def _criteria_in(cycle: Cycle) -> Iterator[tuple[str, Criterion]]:
    """Every criterion the declaration names, with where it stands."""
    for stage in cycle.stages:
        for criterion in (*stage.gate.criteria, *stage.guidance.signals):
            yield stage.id, criterion
    for criterion in cycle.win_gate.criteria:
        yield WON, criterion
    for route in cycle.routes:
        for criterion in route.gate.criteria:
            yield route.source, criterion


def _check_shape(cycle: Cycle) -> None:
    where = cycle.name if isinstance(cycle.name, str) and cycle.name else "<cycle>"
    if not isinstance(cycle.name, str) or not _ID.match(cycle.name):
        raise InvalidDefinition(where, "a cycle's name must be an identifier such as 'funnel'")
    if not isinstance(cycle.label, Label):
        raise InvalidDefinition(where, f"label must be a Label, got {cycle.label!r}")
    if not cycle.stages:
        raise InvalidDefinition(where, "a cycle needs at least one stage")
    _check_types(cycle, where)
    seen: set[str] = set()
    previous: tuple[str, float] | None = None
    for stage in cycle.stages:
        at = f"{where}.{stage.id}"
        if not isinstance(stage.id, str) or not _ID.match(stage.id):
            raise InvalidDefinition(at, "a stage id must be an identifier such as 'P3'")
        if stage.id in OUTCOMES:
            raise InvalidDefinition(at, f"{stage.id!r} is reserved for a pipeline outcome")
        if stage.id in seen:
            raise InvalidDefinition(at, "duplicate stage id")
        seen.add(stage.id)
        p = stage.probability
        if p is not None and not 0.0 <= p <= 1.0:
            raise InvalidDefinition(at, f"probability {p} is outside [0, 1]")
        if cycle.kind is CycleKind.PIPELINE and p is not None:
            if previous is not None and p < previous[1]:
                raise InvalidDefinition(
                    at, f"probability {p} is lower than {previous[1]} of {previous[0]}"
                )
            previous = (stage.id, p)
        for problem in stage.gate.problems():
            raise InvalidDefinition(at, f"gate {problem}")
    if cycle.kind is CycleKind.PIPELINE and cycle.stages[0].probability is None:
        raise InvalidDefinition(
            f"{where}.{cycle.stages[0].id}", "a pipeline's first stage needs a probability"
        )
    for problem in cycle.win_gate.problems():
        raise InvalidDefinition(f"{where}.{WON}", f"gate {problem}")
    labels: dict[str, Label] = {}
    for place, criterion in _criteria_in(cycle):
        if labels.setdefault(criterion.id, criterion.label) != criterion.label:
            raise InvalidDefinition(
                f"{where}.{place}",
                f"criterion {criterion.id!r} is declared twice with different labels",
            )
    pairs: set[tuple[str, str]] = set()
    for route in cycle.routes:
        at = f"{where}.{route.source}"
        if not _ID.match(route.trigger):
            raise InvalidDefinition(at, f"route trigger {route.trigger!r} is not an identifier")
        for end in (route.source, route.dest):
            if end not in seen:
                raise InvalidDefinition(at, f"route {route.trigger!r} names unknown stage {end!r}")
        if (route.source, route.trigger) in pairs:
            raise InvalidDefinition(at, f"route {route.trigger!r} is declared twice")
        pairs.add((route.source, route.trigger))
        for problem in route.gate.problems():
            raise InvalidDefinition(at, f"route {route.trigger!r}: gate {problem}")


def _path(stages: tuple[Stage, ...], lo: int, hi: int) -> tuple[tuple[str, Gate], ...]:
    return tuple((s.id, s.gate) for s in stages[lo : hi + 1] if s.gate.criteria)


def _derive(cycle: Cycle, index: Mapping[str, int]) -> Iterator[Transition]:
    stages = cycle.stages
    last = len(stages) - 1
    yield Transition("start", START, stages[0].id, Move.START, _path(stages, 0, 0))
    for i, stage in enumerate(stages):
        if cycle.linear:
            if i < last:
                yield Transition(
                    "advance", stage.id, stages[i + 1].id, Move.ADVANCE, _path(stages, i + 1, i + 1)
                )
            if cycle.allow_regress and i > 0:
                yield Transition("regress", stage.id, stages[i - 1].id, Move.REGRESS)
            if cycle.allow_jump:
                for j in range(i + 2, last + 1):
                    yield Transition(
                        f"jump_to_{stages[j].id}",
                        stage.id,
                        stages[j].id,
                        Move.JUMP,
                        _path(stages, i + 1, j),
                    )
            if cycle.kind is CycleKind.WHEEL and i == last and last > 0:
                yield Transition(
                    "cycle_back", stage.id, stages[0].id, Move.CYCLE_BACK, _path(stages, 0, 0)
                )
        for route in cycle.routes:
            if route.source == stage.id:
                gates = ((route.dest, route.gate),) if route.gate.criteria else ()
                yield Transition(route.trigger, route.source, route.dest, Move.ROUTE, gates)
        if cycle.kind is CycleKind.PIPELINE:
            win = ((WON, cycle.win_gate),) if cycle.win_gate.criteria else ()
            yield Transition("win", stage.id, WON, Move.WIN, win)
            yield Transition("lose", stage.id, LOST, Move.LOSE)
            yield Transition("stall", stage.id, STALLED, Move.STALL)


def _check_flow(cycle: Cycle, transitions: tuple[Transition, ...]) -> None:
    where = cycle.name
    seen_pairs: set[tuple[str, str]] = set()
    for t in transitions:
        if (t.source, t.trigger) in seen_pairs:
            raise InvalidDefinition(
                f"{where}.{t.source}", f"route {t.trigger!r} clashes with a standard move"
            )
        seen_pairs.add((t.source, t.trigger))
    index = {s.id: i for i, s in enumerate(cycle.stages)}
    reached = {cycle.stages[0].id}
    frontier = [cycle.stages[0].id]
    while frontier:
        state = frontier.pop()
        for t in transitions:
            if t.source == state and t.dest in index and t.dest not in reached:
                reached.add(t.dest)
                frontier.append(t.dest)
    for stage in cycle.stages:
        if stage.id not in reached:
            raise InvalidDefinition(f"{where}.{stage.id}", "the stage cannot be reached")
    last = len(cycle.stages) - 1
    for i, stage in enumerate(cycle.stages):
        exits = [index[t.dest] for t in transitions if t.source == stage.id and t.dest in index]
        if cycle.kind is CycleKind.WHEEL:
            stuck = not any(d != i for d in exits)
        else:
            stuck = i < last and not any(d > i for d in exits)
        if stuck:
            raise InvalidDefinition(f"{where}.{stage.id}", "the stage has no way out")


def _compile(cycle: Cycle, transitions: tuple[Transition, ...]) -> Machine:
    states = [START, *cycle.states]
    machine = Machine(
        model=None,
        states=states,
        initial=START,
        auto_transitions=False,
        send_event=True,
        ignore_invalid_triggers=False,
    )
    for t in transitions:
        machine.add_transition(t.trigger, t.source, t.dest, conditions=[_Guard(t)])
    return machine


# -- the plain table -------------------------------------------------------------------


@frozen
class BulkReplay:
    """The result of replaying many stage changes: final states and the rows refused.

    Attributes:
        states: the last state reached by each key (e.g. each opportunity id).
        errors: ``(row number, key, problem)`` for every row that does not follow.
        rows: how many rows were read.
    """

    states: Mapping[Hashable, str]
    errors: tuple[tuple[int, Hashable, str], ...]
    rows: int

    @property
    def ok(self) -> bool:
        """Whether every row followed the cycle."""
        return not self.errors


class TransitionTable:
    """A plain lookup table compiled from a cycle's declaration, for bulk work.

    It accepts and refuses exactly the moves of the cycle's state machine (a
    property the test suite checks), at the cost of a dictionary look-up.
    """

    __slots__ = ("_by_dest", "_by_trigger", "_states", "_triggers", "cycle")

    def __init__(self, cycle: str, transitions: Iterable[Transition]) -> None:
        self.cycle = cycle
        self._by_trigger: dict[tuple[str, str], Transition] = {}
        self._by_dest: dict[tuple[str, str], Transition] = {}
        triggers: dict[str, list[str]] = {}
        for t in transitions:
            self._by_trigger[(t.source, t.trigger)] = t
            self._by_dest.setdefault((t.source, t.dest), t)
            triggers.setdefault(t.source, []).append(t.trigger)
        self._triggers = {k: tuple(v) for k, v in triggers.items()}
        self._states = frozenset(s for pair in self._by_dest for s in pair) - {START}

    def step(self, state: str, trigger: str) -> Transition | None:
        """The move *trigger* from *state*, or ``None`` if there is none."""
        return self._by_trigger.get((state, trigger))

    def between(self, source: str, dest: str) -> Transition | None:
        """The move that leads from *source* to *dest*, or ``None``."""
        return self._by_dest.get((source, dest))

    def triggers(self, state: str) -> tuple[str, ...]:
        """The moves that exist from *state*."""
        return self._triggers.get(state, ())

    def next_state(self, state: str, trigger: str) -> str:
        """Where *trigger* leads from *state*, gates aside.

        Raises:
            InvalidMove: there is no such move.
        """
        step = self._by_trigger.get((state, trigger))
        if step is None:
            raise InvalidMove(self.cycle, state, trigger, self.triggers(state))
        return step.dest

    def attempt(
        self, state: str, trigger: str, deal: Deal
    ) -> tuple[str | None, tuple[GateReport, ...]]:
        """Evaluate *trigger* from *state* for *deal*: ``(dest or None if blocked, reports)``.

        Raises:
            InvalidMove: there is no such move.
        """
        step = self._by_trigger.get((state, trigger))
        if step is None:
            raise InvalidMove(self.cycle, state, trigger, self.triggers(state))
        reports = step.evaluate(deal)
        return (step.dest if all(r.passed for r in reports) else None), reports

    def replay_states(
        self, rows: Iterable[tuple[Hashable, str | None, str]], *, enter_anywhere: bool = False
    ) -> BulkReplay:
        """Check and replay ``(key, from_state, to_state)`` rows, e.g. a CRM's stage history.

        Rows of one key must follow each other: each starts where the last one of
        that key ended (``None`` or ``"<start>"`` for a key's first row) and is a move
        of the cycle. Bad rows are reported, not raised, and leave the key's state
        where it was, so one export can be checked in a single pass.

        Args:
            rows: the stage changes, oldest first within each key.
            enter_anywhere: let a key's first row enter any state of the cycle, for
                exports whose history begins in the middle of the pipeline.
        """
        by_dest = self._by_dest
        known = self._states
        states: dict[Hashable, str] = {}
        errors: list[tuple[int, Hashable, str]] = []
        n = 0
        for n, (key, source, dest) in enumerate(rows, 1):
            current = states.get(key, START)
            origin = START if source is None else source
            if origin != current:
                errors.append((n, key, f"starts from {origin!r} but {key!r} is at {current!r}"))
            elif (origin, dest) in by_dest or (
                enter_anywhere and origin == START and dest in known
            ):
                states[key] = dest
            else:
                errors.append((n, key, f"no move from {origin!r} to {dest!r}"))
        return BulkReplay(states, tuple(errors), n)

    def __repr__(self) -> str:
        return f"TransitionTable({self.cycle!r}, {len(self._by_trigger)} moves)"
