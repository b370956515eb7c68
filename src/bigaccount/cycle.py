"""Cycle declarations and the engine compiled from them.

A :class:`Cycle` is data: ordered :class:`Stage` values (bilingual name, win
probability, guidance, an entry gate and an exit gate) and the moves between them.
When it is built it is checked — every problem at once, in one
:class:`~bigaccount.errors.InvalidDefinition` naming each stage at fault — and
compiled, once, into

* one ``transitions`` state machine shared by every deal — no machine per deal,
  no reference kept to any deal — whose guards are the stage gates; and
* a :class:`TransitionTable`, a plain lookup table for bulk validation and replay of
  stage changes exported from a CRM.

Gates read :class:`~bigaccount.evidence.Evidence` in a
:class:`~bigaccount.context.Context`; the engine knows nothing of deals. Advancing
from stage *i* to *i + 1* checks the exit gate of *i* (is it done?) and the entry gate
of *i + 1* (does the deal stand there?); a jump checks every gate on the way. A
blocked move raises :class:`~bigaccount.errors.StageBlocked` with the gate reports and
leaves the track exactly as it was. An imported move (:meth:`Cycle.enter`, or any
move with ``imported=True``) records what the gates think of it without blocking.
"""

from __future__ import annotations

import datetime as dt
import enum
import re
from collections.abc import Hashable, Iterable, Iterator, Mapping, Sequence
from typing import Any, TypeGuard

from attrs import field, frozen
from transitions import EventData, Machine

from ._validate import Rule, flag, instances, member, optional_text, slot_setters, text, whole
from .context import Context, resolve_context
from .errors import BigAccountError, InvalidData, InvalidDefinition, InvalidMove, ReplayError
from .evidence import Evidence
from .gates import (
    OPEN,
    Criterion,
    Gate,
    GateKind,
    GateReport,
    StageBlocked,
    missing_criteria,
    unique_criteria,
)
from .labels import Label
from .track import NEEDS_REASON, START, Move, Outcome, StageChange, Track, recorded

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
OUTCOMES = tuple(o.value for o in Outcome)


class CycleKind(enum.StrEnum):
    """How a cycle moves: a sales pipeline, a wheel that turns, or a process."""

    PIPELINE = "pipeline"
    """Stages with win probabilities and the outcomes won / lost / stalled."""
    WHEEL = "wheel"
    """The last stage returns to the first (the customer decision cycle)."""
    PROCESS = "process"
    """Ordered steps, possibly with loops (the account development process)."""

    @classmethod
    def _missing_(cls, value: object) -> CycleKind:
        known = ", ".join(m.value for m in cls)
        raise InvalidData("cycle_kind", f"unknown value {value!r}; expected one of: {known}")


def _is_sequence(value: object) -> TypeGuard[Iterable[Any]]:
    """Whether *value* can stand for a sequence of values (a text or a mapping cannot)."""
    return isinstance(value, Iterable) and not isinstance(value, (str, bytes, Mapping))


def _typed(value: object, kind: type, where: str) -> tuple[Any, ...]:
    if not _is_sequence(value):
        raise InvalidDefinition(
            where, f"expected a sequence of {kind.__name__} values, got {value!r}"
        )
    items = tuple(value)
    for i, item in enumerate(items):
        if not isinstance(item, kind):
            raise InvalidDefinition(f"{where}[{i}]", f"expected a {kind.__name__}, got {item!r}")
    return items


def _rules(value: Iterable[Label]) -> tuple[Label, ...]:
    return _typed(value, Label, "step.rules")


def _activities(value: Iterable[Label]) -> tuple[Label, ...]:
    return _typed(value, Label, "guidance.activities")


def _mistakes(value: Iterable[Label]) -> tuple[Label, ...]:
    return _typed(value, Label, "guidance.mistakes")


def _checklist(value: Iterable[Label]) -> tuple[Label, ...]:
    return _typed(value, Label, "guidance.checklist")


def _practices(value: Iterable[Label]) -> tuple[Label, ...]:
    return _typed(value, Label, "guidance.practices")


def _notes(value: Iterable[Label]) -> tuple[Label, ...]:
    return _typed(value, Label, "guidance.notes")


def _steps(value: Iterable[Step]) -> tuple[Step, ...]:
    return _typed(value, Step, "guidance.steps")


def _signals(value: Iterable[Criterion]) -> tuple[Criterion, ...]:
    return _typed(value, Criterion, "guidance.signals")


def _catalogue_ids(value: Iterable[str]) -> tuple[str, ...]:
    ids: tuple[str, ...] = _typed(value, str, "guidance.catalogues")
    for key in ids:
        if not _ID.match(key):
            raise InvalidDefinition("guidance.catalogues", f"expected a catalogue id, got {key!r}")
    if len(set(ids)) != len(ids):
        raise InvalidDefinition("guidance.catalogues", f"lists a catalogue more than once: {ids}")
    return ids


def _as_tuple(value: Any) -> Any:
    """A sequence as a tuple; anything else as given, for :func:`_shape_problems` to report."""
    return tuple(value) if _is_sequence(value) else value


def _stages(value: Iterable[Stage]) -> tuple[Stage, ...]:
    stages: tuple[Stage, ...] = _as_tuple(value)
    return stages


def _routes(value: Iterable[Route]) -> tuple[Route, ...]:
    routes: tuple[Route, ...] = _as_tuple(value)
    return routes


def _instance(kind: type, where: str, optional: bool = False) -> Any:
    def check(_: object, attribute: Any, value: object) -> None:
        if optional and value is None:
            return
        if not isinstance(value, kind):
            raise InvalidDefinition(
                f"{where}.{attribute.name}", f"expected a {kind.__name__}, got {value!r}"
            )

    return check


@frozen
class Step:
    """A numbered step of a stage, with the rules that go with it."""

    label: Label = field(validator=_instance(Label, "step"))
    rules: tuple[Label, ...] = field(default=(), converter=_rules)


@frozen
class SuccessMarker:
    """How to tell a stage succeeded: on the customer's side, ours, and the milestone."""

    customer: Label = field(validator=_instance(Label, "success"))
    supplier: Label = field(validator=_instance(Label, "success"))
    milestone: Label = field(validator=_instance(Label, "success"))


_optional_label = _instance(Label, "guidance", optional=True)


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
            gates' rules: shown and evaluable, but they never block a move.
        catalogues: the ids of the guidance catalogues shown at the stage
            (:mod:`bigaccount.catalogues`), referenced rather than copied. Each must
            be an identifier, listed once; whether a catalogue of that id exists is
            checked by the loader of cycle files and when the catalogues are looked
            up (:func:`~bigaccount.catalogues.catalogues_for`), not here: the engine
            knows nothing of the catalogues, which sit in a layer above it.

    Raises:
        InvalidDefinition: naming the field at fault (``guidance.activities`` …) and,
            for an item, its index.
    """

    description: Label | None = field(default=None, validator=_optional_label)
    customer_action: Label | None = field(default=None, validator=_optional_label)
    activities: tuple[Label, ...] = field(default=(), converter=_activities)
    steps: tuple[Step, ...] = field(default=(), converter=_steps)
    success: SuccessMarker | None = field(
        default=None, validator=_instance(SuccessMarker, "guidance", optional=True)
    )
    mistakes: tuple[Label, ...] = field(default=(), converter=_mistakes)
    checklist: tuple[Label, ...] = field(default=(), converter=_checklist)
    practices: tuple[Label, ...] = field(default=(), converter=_practices)
    notes: tuple[Label, ...] = field(default=(), converter=_notes)
    signals: tuple[Criterion, ...] = field(default=(), converter=_signals)
    catalogues: tuple[str, ...] = field(default=(), converter=_catalogue_ids)

    def __repr__(self) -> str:
        parts = [
            f"{len(value)} {name}" if isinstance(value, tuple) else name
            for name in (
                "description",
                "customer_action",
                "activities",
                "steps",
                "success",
                "mistakes",
                "checklist",
                "practices",
                "notes",
                "signals",
                "catalogues",
            )
            if (value := getattr(self, name))
        ]
        return f"Guidance({', '.join(parts)})"


def _probability(value: object) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise InvalidDefinition("stage.probability", f"expected a number in [0, 1], got {value!r}")
    if not 0.0 <= value <= 1.0:
        raise InvalidDefinition("stage.probability", f"{value} is outside [0, 1]")
    return float(value)


def _identifier(where: str) -> Any:
    def check(_: object, attribute: Any, value: object) -> None:
        if not isinstance(value, str) or not _ID.match(value):
            raise InvalidDefinition(
                f"{where}.{attribute.name}", f"expected an identifier such as 'P3', got {value!r}"
            )

    return check


@frozen
class Stage:
    """One stage of a cycle.

    Args:
        id: a stable identifier (a Python-style name such as ``"P3"`` or ``"APPROVED"``).
        label: the stage's name in both languages.
        probability: the win probability of a deal standing here (pipelines), in [0, 1].
        entry: the entry gate: what must hold for a deal to stand in the stage.
        guidance: activities, steps, success marker, self-check list, practices.
        owner: who owns the stage on our side, where the method says.
        phase: the phase the stage belongs to, where the method groups stages.
        exit: the exit gate: what must hold for the stage to be accepted as done
            (checked when a deal moves on past it).

    Raises:
        InvalidDefinition: naming the field at fault.
    """

    id: str = field(validator=_identifier("stage"))
    label: Label = field(validator=_instance(Label, "stage"))
    probability: float | None = field(default=None, converter=_probability)
    entry: Gate = field(default=OPEN, validator=_instance(Gate, "stage"))
    guidance: Guidance = field(default=Guidance(), validator=_instance(Guidance, "stage"))
    owner: Label | None = field(default=None, validator=_instance(Label, "stage", True))
    phase: Label | None = field(default=None, validator=_instance(Label, "stage", True))
    exit: Gate = field(default=OPEN, kw_only=True, validator=_instance(Gate, "stage"))

    @property
    def criteria(self) -> tuple[Criterion, ...]:
        """The criteria of the entry gate, then those of the exit gate."""
        return unique_criteria((*self.entry.criteria, *self.exit.criteria))

    def __repr__(self) -> str:
        parts = [repr(self.id), self.label.both()]
        if self.probability is not None:
            parts.append(f"{self.probability:.0%}")
        for name, gate in (("entry", self.entry), ("exit", self.exit)):
            if gate.criteria:
                parts.append(f"{name}: {gate.rule.en}")
        return f"Stage({', '.join(parts)})"


@frozen
class Route:
    """A declared move beyond the standard ones, e.g. a loop of a process.

    ``gate`` guards the move (open by default). A route from a stage to itself
    records that the deal stayed, e.g. "talks not yet successful: keep talking".
    """

    trigger: str = field(validator=_identifier("route"))
    source: str = field(validator=_identifier("route"))
    dest: str = field(validator=_identifier("route"))
    label: Label = field(validator=_instance(Label, "route"))
    gate: Gate = field(default=OPEN, validator=_instance(Gate, "route"))

    def __repr__(self) -> str:
        gate = f", gate: {self.gate.rule.en}" if self.gate.criteria else ""
        return f"Route({self.trigger!r}, {self.source} → {self.dest}{gate})"


GateStep = tuple[str, GateKind, Gate]
"""A gate on the way of a move: the stage it belongs to, which of its gates, the gate."""


def _move_kind(value: object) -> Move:
    return member(Move, value, "move")


def _gate_steps(value: Iterable[tuple[str, GateKind | str, Gate]]) -> tuple[GateStep, ...]:
    if not _is_sequence(value):
        raise InvalidData("gates", f"expected (stage, gate kind, gate) triples, got {value!r}")
    found: list[GateStep] = []
    for i, step in enumerate(value):
        at = f"gates[{i}]"
        if not isinstance(step, Sequence) or isinstance(step, (str, bytes)) or len(step) != 3:
            raise InvalidData(at, f"expected a (stage, gate kind, gate) triple, got {step!r}")
        stage, kind, gate = step
        name = text(stage, f"{at}.stage")
        which = member(GateKind, kind, f"{at}.kind")
        if not isinstance(gate, Gate):
            raise InvalidData(f"{at}.gate", f"expected a Gate, got {gate!r}")
        found.append((name, which, gate))
    return tuple(found)


@frozen
class Transition:
    """A move of the compiled cycle: the gates it must pass, in the order met on the way.

    ``move`` takes a :class:`~bigaccount.track.Move` or its value (``"advance"``);
    each gate on the way is ``(stage, kind, gate)``, the kind a
    :class:`~bigaccount.gates.GateKind` or its value.

    Raises:
        InvalidData: naming the field at fault (``gates[1].kind`` for an item).
    """

    trigger: str = field(validator=Rule(text))
    source: str = field(validator=Rule(text))
    dest: str = field(validator=Rule(text))
    move: Move = field(converter=_move_kind)
    gates: tuple[GateStep, ...] = field(default=(), converter=_gate_steps)

    def evaluate(self, evidence: Evidence, context: Context) -> tuple[GateReport, ...]:
        """Evaluate every gate on the way (all of them, to report every blocker)."""
        return tuple(
            gate.evaluate(evidence, context, stage, kind) for stage, kind, gate in self.gates
        )

    def __repr__(self) -> str:
        gates = ", ".join(f"{stage} {kind.value}" for stage, kind, _ in self.gates)
        via = f", gates: {gates}" if gates else ""
        return f"Transition({self.trigger!r}, {self.source} → {self.dest}, {self.move.value}{via})"


def _reports(value: Iterable[GateReport]) -> tuple[GateReport, ...]:
    return instances(value, GateReport, "reports")


@frozen
class MoveCheck:
    """The answer to "may this deal make this move?", without moving it.

    ``dest`` is ``None`` when there is no such move from ``source``: such a check is
    not allowed and has no reports. Otherwise the move is allowed exactly when every
    gate report passed.

    Raises:
        InvalidData: naming the field at fault, or the one that contradicts the others.
    """

    trigger: str = field(validator=Rule(text))
    source: str = field(validator=Rule(text))
    dest: str | None = field(validator=Rule(optional_text))
    allowed: bool = field(validator=Rule(flag))
    reports: tuple[GateReport, ...] = field(converter=_reports)

    def __attrs_post_init__(self) -> None:
        if self.dest is None:
            if self.allowed:
                raise InvalidData("allowed", "a move that does not exist cannot be allowed")
            if self.reports:
                raise InvalidData("reports", "a move that does not exist has no gate reports")
        elif self.allowed != all(r.passed for r in self.reports):
            failed = sum(not r.passed for r in self.reports)
            raise InvalidData(
                "allowed",
                f"{self.allowed} contradicts the reports ({failed} of {len(self.reports)} failed)",
            )

    @property
    def blockers(self) -> tuple[Criterion, ...]:
        """The criteria still missing on the failing gates, without repeats."""
        return missing_criteria(self.reports)

    def __repr__(self) -> str:
        if self.dest is None:
            return f"MoveCheck({self.trigger!r} from {self.source}: no such move)"
        verdict = "allowed" if self.allowed else "blocked"
        missing = f", missing: {', '.join(c.id for c in self.blockers)}" if self.blockers else ""
        return f"MoveCheck({self.trigger!r}, {self.source} → {self.dest}: {verdict}{missing})"

    def _repr_markdown_(self) -> str:
        from .display import check_markdown

        return check_markdown(self)


_new = object.__new__


_TRANSITION_SETTERS = slot_setters(Transition)
_CHECK_SETTERS = slot_setters(MoveCheck)


def _transition(
    trigger: str, source: str, dest: str, move: Move, gates: tuple[GateStep, ...] = ()
) -> Transition:
    """A :class:`Transition` derived from a cycle already checked (no checks re-run)."""
    made: Transition = _new(Transition)
    s = _TRANSITION_SETTERS
    s[0](made, trigger)
    s[1](made, source)
    s[2](made, dest)
    s[3](made, move)
    s[4](made, gates)
    return made


def _move_check(
    trigger: str, source: str, dest: str | None, allowed: bool, reports: tuple[GateReport, ...]
) -> MoveCheck:
    """A :class:`MoveCheck` from what :meth:`Cycle.check` just found (no checks re-run)."""
    made: MoveCheck = _new(MoveCheck)
    s = _CHECK_SETTERS
    s[0](made, trigger)
    s[1](made, source)
    s[2](made, dest)
    s[3](made, allowed)
    s[4](made, reports)
    return made


def _not_text(value: object, field: str) -> InvalidData:
    return InvalidData(field, f"expected non-empty text, got {value!r}")


def _no_move(cycle: str, state: str, trigger: str, table: TransitionTable) -> BigAccountError:
    """The error of a move that does not exist: a trigger or state that is not text is
    named as such (``InvalidData``), any other is an :class:`InvalidMove`."""
    text(trigger, "trigger")
    text(state, "state")
    return InvalidMove(cycle, state, trigger, table.triggers(state))


class _Guard:
    """The condition of a machine transition: evaluates its gates and keeps the reports.

    An imported move passes whatever the gates say; their reports are kept.
    """

    __slots__ = ("gates",)

    def __init__(self, transition: Transition) -> None:
        self.gates = transition.gates

    def __call__(self, event: EventData) -> bool:
        kwargs = event.kwargs
        evidence = kwargs["evidence"]
        context = kwargs["context"]
        reports: list[GateReport] = kwargs["reports"]
        passed = True
        for stage, kind, gate in self.gates:
            report = gate.evaluate(evidence, context, stage, kind)
            reports.append(report)
            passed = passed and report.passed
        return passed or kwargs["imported"]

    def __repr__(self) -> str:
        return f"_Guard({[(s, k.value) for s, k, _ in self.gates]})"


def _kind(value: object) -> CycleKind:
    return member(CycleKind, value, "kind")


def _held_ids(reports: list[GateReport]) -> tuple[str, ...]:
    """The ids of the criteria that held on the gates passed, once each."""
    if len(reports) == 1:
        return tuple([c.id for c in reports[0].held])
    return tuple(dict.fromkeys([c.id for r in reports for c in r.held]))


def _moment(at: dt.datetime | None, track: Track, context: Context) -> dt.datetime:
    if at is None:
        at = context.now()
    elif not isinstance(at, dt.datetime) or at.utcoffset() is None:
        raise InvalidData("at", f"a timezone-aware datetime is required, got {at!r}")
    last = track.last_change
    if last is not None and at < last.at:
        raise InvalidData(
            "at", f"{at.isoformat()} is before the last change ({last.at.isoformat()})"
        )
    return at


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
            the start, the imported entries, the declared routes and a pipeline's
            outcomes exist.
        allow_jump: with ``linear``, allow jumps past several stages (every gate on
            the way must pass).
        allow_regress: with ``linear``, allow a step back (no gate).
        win_gate: what must hold for a pipeline deal to be won. Winning from the last
            stage also needs that stage's exit gate.
        description: what the cycle is, in both languages.

    Raises:
        InvalidDefinition: when the declaration is malformed; ``problems`` lists every
            problem found, each with the stage at fault.
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
        problems = _shape_problems(self)
        if problems:
            raise InvalidDefinition.all(problems)
        index = {stage.id: i for i, stage in enumerate(self.stages)}
        transitions = tuple(_derive(self))
        problems = _flow_problems(self, transitions)
        if problems:
            raise InvalidDefinition.all(problems)
        object.__setattr__(self, "_index", index)
        object.__setattr__(self, "_transitions", transitions)
        object.__setattr__(self, "_table", TransitionTable(self.name, transitions))
        object.__setattr__(self, "_machine", _compile(self, transitions))

    def __repr__(self) -> str:
        return (
            f"Cycle({self.name!r}, {self.kind.value}, "
            f"{len(self.stages)} stages: {' → '.join(s.id for s in self.stages)})"
        )

    def _repr_markdown_(self) -> str:
        from .diagrams import overview
        from .labels import get_language

        return overview(self, get_language())

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
        gates = [g for s in self.stages for g in (s.entry, s.exit)] + [self.win_gate]
        gates += [r.gate for r in self.routes]
        return unique_criteria(c for gate in gates for c in gate.criteria)

    def stage(self, stage_id: str) -> Stage:
        """The stage with id *stage_id*."""
        try:
            return self.stages[self._index[stage_id]]
        except (KeyError, TypeError):
            raise InvalidData(
                "stage", f"{self.name} has no stage {stage_id!r}; stages: {', '.join(self._index)}"
            ) from None

    def has_stage(self, state: str) -> bool:
        """Whether *state* is one of the cycle's stages (not an outcome)."""
        try:
            return state in self._index
        except TypeError:  # unhashable
            raise _not_text(state, "state") from None

    def index(self, stage_id: str) -> int:
        """The position of *stage_id* in the cycle (0 for the first stage)."""
        return self._index[self.stage(stage_id).id]

    def probability(self, state: str) -> float | None:
        """The win probability of a deal in *state*.

        Won is 1, lost and stalled are 0; a stage without a probability of its own
        takes that of the nearest earlier stage that has one.
        """
        if state == Outcome.WON:
            return 1.0
        if state in (Outcome.LOST, Outcome.STALLED):
            return 0.0
        for stage in reversed(self.stages[: self.index(state) + 1]):
            if stage.probability is not None:
                return stage.probability
        return None

    def triggers(self, state: str) -> tuple[str, ...]:
        """The moves that exist from *state* (gates aside; imported entries left out)."""
        return self._table.triggers(state)

    def is_terminal(self, state: str) -> bool:
        """Whether no move leaves *state* (a pipeline's won / lost / stalled)."""
        return not self._table.triggers(state)

    # -- asking ------------------------------------------------------------------------

    def check(
        self,
        evidence: Evidence,
        trigger: str = "advance",
        *,
        state: str = START,
        context: Context | None = None,
    ) -> MoveCheck:
        """Say whether *evidence* standing in *state* may make the move *trigger*; moves nothing.

        The moment judged is the context's clock's time, when it has a clock.
        """
        ctx = resolve_context(context)
        if ctx.moment is None and ctx.clock is not None:
            ctx = ctx._judging_at(ctx.now())
        step = self._table.step(state, trigger)
        if step is None:
            return _move_check(text(trigger, "trigger"), text(state, "state"), None, False, ())
        reports = step.evaluate(evidence, ctx)
        return _move_check(trigger, state, step.dest, all(r.passed for r in reports), reports)

    def evaluate(
        self, evidence: Evidence, *, context: Context | None = None
    ) -> tuple[GateReport, ...]:
        """Every stage's entry and exit gate on *evidence*, in order (a row of a table, say)."""
        ctx = resolve_context(context)
        return tuple(
            gate.evaluate(evidence, ctx, stage.id, kind)
            for stage in self.stages
            for kind, gate in ((GateKind.ENTRY, stage.entry), (GateKind.EXIT, stage.exit))
            if gate.criteria
        )

    # -- moving ------------------------------------------------------------------------

    def move(
        self,
        track: Track,
        evidence: Evidence,
        trigger: str,
        *,
        at: dt.datetime | None = None,
        actor: str | None = None,
        reason: str | None = None,
        context: Context | None = None,
        imported: bool = False,
        source: str | None = None,
    ) -> StageChange:
        """Make the move *trigger* on *track* with *evidence*, and record it.

        The move goes through the cycle's shared ``transitions`` machine, whose guard
        evaluates every gate on the way in the context (whose ``moment`` is the time
        of the move). The time is *at*, else the context's clock; without
        either the move is refused. With ``imported`` the gates do not block: their
        reports are kept in the event (``criteria`` held, ``unmet`` missing).

        Not thread-safe on one track: serialize the moves of a track (a
        :class:`~bigaccount.Deal` does). Different tracks may move concurrently.

        Raises:
            InvalidMove: no such move from the track's state.
            StageBlocked: a gate on the way does not pass; nothing changed.
            InvalidData: a bad ``at``, ``actor``, ``reason`` or ``source``, or a move
                that needs a reason without one; nothing changed.
        """
        if not isinstance(track, Track) or track.cycle != self.name:
            raise InvalidData("track", f"expected a Track of cycle {self.name!r}, got {track!r}")
        ctx = resolve_context(context)
        step = self._table.step(track._state, trigger)
        if step is None:
            raise _no_move(self.name, track._state, trigger, self._table)
        when = _moment(at, track, ctx)
        return self._move(track, evidence, trigger, when, actor, reason, ctx, imported, source)

    def _move(
        self,
        track: Track,
        evidence: Evidence,
        trigger: str,
        when: dt.datetime,
        actor: str | None,
        reason: str | None,
        ctx: Context,
        imported: bool,
        source: str | None,
    ) -> StageChange:
        """:meth:`move` once the time is known to be aware and not before the track's last."""
        state = track._state
        step = self._table.step(state, trigger)
        if step is None:
            raise _no_move(self.name, state, trigger, self._table)
        if imported is not True and imported is not False:
            flag(imported, "imported")
        optional_text(actor, "actor")
        optional_text(reason, "reason")
        optional_text(source, "source")
        if step.move in NEEDS_REASON and reason is None:
            raise InvalidData("reason", f"a {step.move.value} outcome needs a reason")
        if step.move is Move.ENTER and not imported:
            raise InvalidData("imported", "enter is an import move: pass imported=True")
        if not imported and source is not None:
            raise InvalidData("source", "only imported moves name the system they came from")
        reports: list[GateReport] = []
        if not self._machine.events[trigger].trigger(
            track,
            evidence=evidence,
            context=ctx._judging_at(when),
            reports=reports,
            imported=imported,
        ):
            raise StageBlocked(self.name, state, trigger, reports)
        event = recorded(
            self.name,
            None if state == START else state,
            step.dest,
            trigger,
            step.move,
            when,
            actor,
            _held_ids(reports),
            reason,
            imported,
            tuple(c.id for c in missing_criteria(reports)) if imported else (),
            source,
        )
        track._events.append(event)
        return event

    def enter(
        self,
        track: Track,
        evidence: Evidence,
        state: str,
        *,
        at: dt.datetime | None = None,
        actor: str | None = None,
        source: str | None = None,
        reason: str | None = None,
        context: Context | None = None,
    ) -> StageChange:
        """Begin *track* at *state* (a stage or an outcome), as another system recorded it.

        The gates on the way from the first stage to *state* are evaluated and kept in
        the event, but do not block: the CRM says the deal was there, and the event
        records what our gates think of it.
        """
        text(state, "state")
        if state not in self._index and state not in self.states:
            raise InvalidData("state", f"{self.name} has no state {state!r}")
        return self.move(
            track,
            evidence,
            f"enter_{state}",
            at=at,
            actor=actor,
            reason=reason,
            context=context,
            imported=True,
            source=source,
        )

    def replay(self, events: Iterable[StageChange]) -> Track:
        """Rebuild a track from its events, checking that each follows the cycle.

        Gates are not evaluated again (the evidence may have changed since); what is
        checked is that every event is a move of this cycle from the state the
        previous one left, in time order, with a reason where one is needed, and that
        only imported events pass unmet criteria.

        Raises:
            ReplayError: listing every event that does not follow, by position.
        """
        track = Track(self.name)
        problems: list[tuple[int, str]] = []
        state = START
        last: dt.datetime | None = None
        for i, event in enumerate(events):
            problem = self._replay_problem(event, state, last, i)
            if problem is not None:
                problems.append((i, problem))
            if isinstance(event, StageChange):
                state = event.dest
                last = event.at
                track._events.append(event)
        if problems:
            raise ReplayError(self.name, *problems[0], problems=problems)
        track._state = state
        return track

    def _replay_problem(
        self, event: object, state: str, last: dt.datetime | None, i: int
    ) -> str | None:
        if not isinstance(event, StageChange):
            return f"expected a StageChange, got {type(event).__name__}"
        if event.cycle != self.name:
            return f"event belongs to cycle {event.cycle!r}"
        source = START if event.source is None else event.source
        if source != state:
            return f"starts from {event.source!r} but the track is at {state!r}"
        step = self._table.step(source, event.trigger)
        if step is None or step.dest != event.dest:
            return f"{event.trigger!r} does not lead from {source!r} to {event.dest!r}"
        if event.move is not step.move:
            return f"{event.trigger!r} is a {step.move.value} move"
        if last is not None and event.at < last:
            return "happens before the event that precedes it"
        return None


# -- checking a declaration ------------------------------------------------------------


def _shape_problems(cycle: Cycle) -> list[tuple[str, str]]:
    """Every problem of the declaration's shape, each with where it stands."""
    where = cycle.name if isinstance(cycle.name, str) and cycle.name else "<cycle>"
    found: list[tuple[str, str]] = []
    if not isinstance(cycle.name, str) or not _ID.match(cycle.name):
        found.append((where, "a cycle's name must be an identifier such as 'funnel'"))
    if not isinstance(cycle.label, Label):
        found.append((where, f"label must be a Label, got {cycle.label!r}"))
    if cycle.description is not None and not isinstance(cycle.description, Label):
        found.append((where, f"description must be a Label, got {cycle.description!r}"))
    for option in ("linear", "allow_jump", "allow_regress"):
        if not isinstance(getattr(cycle, option), bool):
            found.append((where, f"{option} must be True or False"))
    if not isinstance(cycle.win_gate, Gate):
        found.append(
            (f"{where}.{Outcome.WON.value}", f"win_gate must be a Gate, got {cycle.win_gate!r}")
        )
    given: tuple[object, ...] = ()
    if not isinstance(cycle.stages, tuple):
        found.append((f"{where}.stages", f"expected a sequence of Stages, got {cycle.stages!r}"))
    elif not cycle.stages:
        found.append((where, "a cycle needs at least one stage"))
    else:
        given = cycle.stages
    stages = [s for s in given if isinstance(s, Stage)]
    for i, stage in enumerate(given):
        if not isinstance(stage, Stage):
            found.append((f"{where}.stages[{i}]", f"expected a Stage, got {stage!r}"))
    seen: set[str] = set()
    previous: tuple[str, float] | None = None
    for stage in stages:
        at = f"{where}.{stage.id}"
        if stage.id in OUTCOMES:
            found.append((at, f"{stage.id!r} is reserved for a pipeline outcome"))
        if stage.id in seen:
            found.append((at, "duplicate stage id"))
        seen.add(stage.id)
        p = stage.probability
        if cycle.kind is CycleKind.PIPELINE and p is not None:
            if previous is not None and p < previous[1]:
                found.append((at, f"probability {p} is lower than {previous[1]} of {previous[0]}"))
            previous = (stage.id, p)
    if cycle.kind is CycleKind.PIPELINE and stages and stages[0].probability is None:
        found.append((f"{where}.{stages[0].id}", "a pipeline's first stage needs a probability"))
    if (
        cycle.kind is not CycleKind.PIPELINE
        and isinstance(cycle.win_gate, Gate)
        and cycle.win_gate.criteria
    ):
        found.append((where, f"a {cycle.kind.value} has no outcomes, so no win gate"))
    found.extend(_label_problems(cycle, where, stages))
    found.extend(_route_problems(cycle, where, seen))
    return found


def _label_problems(cycle: Cycle, where: str, stages: list[Stage]) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    labels: dict[str, Label] = {}
    places: list[tuple[str, Iterable[Criterion]]] = []
    for stage in stages:
        places.append((stage.id, (*stage.entry.criteria, *stage.exit.criteria)))
        places.append((stage.id, stage.guidance.signals))
    if isinstance(cycle.win_gate, Gate):
        places.append((Outcome.WON.value, cycle.win_gate.criteria))
    routes = cycle.routes if isinstance(cycle.routes, tuple) else ()
    places.extend((r.source, r.gate.criteria) for r in routes if isinstance(r, Route))
    for place, criteria in places:
        for criterion in criteria:
            if labels.setdefault(criterion.id, criterion.label) != criterion.label:
                found.append(
                    (
                        f"{where}.{place}",
                        f"criterion {criterion.id!r} is declared twice with different labels",
                    )
                )
    return found


def _route_problems(cycle: Cycle, where: str, stage_ids: set[str]) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    if not isinstance(cycle.routes, tuple):
        found.append((f"{where}.routes", f"expected a sequence of Routes, got {cycle.routes!r}"))
        return found
    pairs: set[tuple[str, str]] = set()
    for i, route in enumerate(cycle.routes):
        if not isinstance(route, Route):
            found.append((f"{where}.routes[{i}]", f"expected a Route, got {route!r}"))
            continue
        at = f"{where}.{route.source}"
        for end in (route.source, route.dest):
            if end not in stage_ids:
                found.append((at, f"route {route.trigger!r} names unknown stage {end!r}"))
        if route.trigger.startswith(("enter_", "jump_to_")) or route.trigger in _STANDARD:
            found.append((at, f"route trigger {route.trigger!r} is reserved for a standard move"))
        if (route.source, route.trigger) in pairs:
            found.append((at, f"route {route.trigger!r} is declared twice"))
        pairs.add((route.source, route.trigger))
    return found


_STANDARD = frozenset(("start", "advance", "regress", "cycle_back", "win", "lose", "stall"))


def _path(stages: tuple[Stage, ...], lo: int, hi: int) -> tuple[GateStep, ...]:
    """The gates met moving from stage *lo* − 1 (or before the first) to stage *hi*.

    The exit gate of *lo* − 1 (when there is one), then for each stage passed through
    its entry and exit gates, and the entry gate of *hi*.
    """
    found: list[GateStep] = []
    if lo > 0 and stages[lo - 1].exit.criteria:
        found.append((stages[lo - 1].id, GateKind.EXIT, stages[lo - 1].exit))
    for k in range(lo, hi + 1):
        stage = stages[k]
        if stage.entry.criteria:
            found.append((stage.id, GateKind.ENTRY, stage.entry))
        if k < hi and stage.exit.criteria:
            found.append((stage.id, GateKind.EXIT, stage.exit))
    return tuple(found)


def _win_path(cycle: Cycle, i: int) -> tuple[GateStep, ...]:
    found: list[GateStep] = []
    stage = cycle.stages[i]
    if i == len(cycle.stages) - 1 and stage.exit.criteria:
        found.append((stage.id, GateKind.EXIT, stage.exit))
    if cycle.win_gate.criteria:
        found.append((Outcome.WON.value, GateKind.WIN, cycle.win_gate))
    return tuple(found)


def _derive(cycle: Cycle) -> Iterator[Transition]:
    stages = cycle.stages
    last = len(stages) - 1
    yield _transition("start", START, stages[0].id, Move.START, _path(stages, 0, 0))
    for j, stage in enumerate(stages):
        yield _transition(f"enter_{stage.id}", START, stage.id, Move.ENTER, _path(stages, 0, j))
    if cycle.kind is CycleKind.PIPELINE:
        win: tuple[GateStep, ...] = ()
        if cycle.win_gate.criteria:
            win = ((Outcome.WON.value, GateKind.WIN, cycle.win_gate),)
        for outcome in Outcome:
            entry = win if outcome is Outcome.WON else ()
            yield _transition(f"enter_{outcome.value}", START, outcome.value, Move.ENTER, entry)
    for i, stage in enumerate(stages):
        if cycle.linear:
            if i < last:
                yield _transition(
                    "advance", stage.id, stages[i + 1].id, Move.ADVANCE, _path(stages, i + 1, i + 1)
                )
            if cycle.allow_regress and i > 0:
                yield _transition("regress", stage.id, stages[i - 1].id, Move.REGRESS)
            if cycle.allow_jump:
                for j in range(i + 2, last + 1):
                    yield _transition(
                        f"jump_to_{stages[j].id}",
                        stage.id,
                        stages[j].id,
                        Move.JUMP,
                        _path(stages, i + 1, j),
                    )
            if cycle.kind is CycleKind.WHEEL and i == last and last > 0:
                back = _path(stages, 0, 0)
                if stage.exit.criteria:
                    back = ((stage.id, GateKind.EXIT, stage.exit), *back)
                yield _transition("cycle_back", stage.id, stages[0].id, Move.CYCLE_BACK, back)
        for route in cycle.routes:
            if route.source == stage.id:
                gates: tuple[GateStep, ...] = ()
                if route.gate.criteria:
                    gates = ((route.dest, GateKind.ROUTE, route.gate),)
                yield _transition(route.trigger, route.source, route.dest, Move.ROUTE, gates)
        if cycle.kind is CycleKind.PIPELINE:
            yield _transition("win", stage.id, Outcome.WON.value, Move.WIN, _win_path(cycle, i))
            yield _transition("lose", stage.id, Outcome.LOST.value, Move.LOSE)
            yield _transition("stall", stage.id, Outcome.STALLED.value, Move.STALL)


def _flow_problems(cycle: Cycle, transitions: tuple[Transition, ...]) -> list[tuple[str, str]]:
    where = cycle.name
    found: list[tuple[str, str]] = []
    index = {s.id: i for i, s in enumerate(cycle.stages)}
    moves = [t for t in transitions if t.move is not Move.ENTER]
    reached = {cycle.stages[0].id}
    frontier = [cycle.stages[0].id]
    while frontier:
        state = frontier.pop()
        for t in moves:
            if t.source == state and t.dest in index and t.dest not in reached:
                reached.add(t.dest)
                frontier.append(t.dest)
    for stage in cycle.stages:
        if stage.id not in reached:
            found.append((f"{where}.{stage.id}", "the stage cannot be reached"))
    last = len(cycle.stages) - 1
    for i, stage in enumerate(cycle.stages):
        exits = [index[t.dest] for t in moves if t.source == stage.id and t.dest in index]
        if cycle.kind is CycleKind.WHEEL:
            stuck = not any(d != i for d in exits)
        else:
            stuck = i < last and not any(d > i for d in exits)
        if stuck:
            found.append((f"{where}.{stage.id}", "the stage has no way out"))
    return found


def _compile(cycle: Cycle, transitions: tuple[Transition, ...]) -> Machine:
    states = [START, *cycle.states]
    machine = Machine(
        model=None,
        states=states,
        initial=START,
        auto_transitions=False,
        send_event=True,
        ignore_invalid_triggers=False,
        model_attribute="_state",
    )
    for t in transitions:
        machine.add_transition(t.trigger, t.source, t.dest, conditions=[_Guard(t)])
    return machine


# -- the plain table -------------------------------------------------------------------


def _final_states(value: Mapping[Any, str]) -> Mapping[Hashable, str]:
    if not isinstance(value, Mapping):
        raise InvalidData("states", f"expected a mapping of keys to states, got {value!r}")
    states = dict(value)
    for key, state in states.items():
        text(state, f"states[{key!r}]")
    return states


def _refused_rows(
    value: Iterable[tuple[int, Hashable, str]],
) -> tuple[tuple[int, Hashable, str], ...]:
    if not _is_sequence(value):
        raise InvalidData("errors", f"expected (row, key, problem) triples, got {value!r}")
    found: list[tuple[int, Hashable, str]] = []
    for i, item in enumerate(value):
        at = f"errors[{i}]"
        if not isinstance(item, Sequence) or isinstance(item, (str, bytes)) or len(item) != 3:
            raise InvalidData(at, f"expected a (row, key, problem) triple, got {item!r}")
        row, key, problem = item
        if not isinstance(key, Hashable):
            raise InvalidData(f"{at}.key", f"expected a key such as an id, got {key!r}")
        found.append((whole(row, f"{at}.row"), key, text(problem, f"{at}.problem")))
    return tuple(found)


def _rows(value: int) -> int:
    return whole(value, "rows")


def _entered(value: int) -> int:
    return whole(value, "entered")


@frozen
class BulkReplay:
    """The result of replaying many stage changes: final states and the rows refused.

    Attributes:
        states: the last state reached by each key (e.g. each opportunity id); a copy
            of the mapping given.
        errors: ``(row number, key, problem)`` for every row that does not follow, the
            row numbered from 1.
        rows: how many rows were read.
        entered: how many keys began with an imported entry (not at the first stage).

    Raises:
        InvalidData: naming the field at fault, or the count the others contradict
            (a row number past ``rows``, more keys entered than reached a state, more
            keys and refused rows than rows).
    """

    states: Mapping[Hashable, str] = field(converter=_final_states)
    errors: tuple[tuple[int, Hashable, str], ...] = field(converter=_refused_rows)
    rows: int = field(converter=_rows)
    entered: int = field(default=0, converter=_entered)

    def __attrs_post_init__(self) -> None:
        for i, (row, _, _) in enumerate(self.errors):
            if not 1 <= row <= self.rows:
                raise InvalidData(f"errors[{i}].row", f"{row} is not a row of 1..{self.rows}")
        if self.entered > len(self.states):
            raise InvalidData(
                "entered", f"{self.entered} keys entered, but {len(self.states)} reached a state"
            )
        if len(self.states) + len(self.errors) > self.rows:
            raise InvalidData(
                "rows",
                f"{self.rows} rows cannot give {len(self.states)} keys a state"
                f" and refuse {len(self.errors)}",
            )

    @property
    def ok(self) -> bool:
        """Whether every row followed the cycle."""
        return not self.errors


_BULK_SETTERS = slot_setters(BulkReplay)


def _bulk_replay(
    states: dict[Hashable, str],
    errors: tuple[tuple[int, Hashable, str], ...],
    rows: int,
    entered: int,
) -> BulkReplay:
    """A :class:`BulkReplay` from what :meth:`TransitionTable.replay_states` just counted."""
    made: BulkReplay = _new(BulkReplay)
    s = _BULK_SETTERS
    s[0](made, states)
    s[1](made, errors)
    s[2](made, rows)
    s[3](made, entered)
    return made


class TransitionTable:
    """A plain lookup table compiled from a cycle's declaration, for bulk work.

    It accepts and refuses exactly the moves of the cycle's state machine (a
    property the test suite checks), at the cost of a dictionary look-up.
    """

    __slots__ = ("_by_dest", "_by_trigger", "_states", "_triggers", "cycle")

    def __init__(self, cycle: str, transitions: Iterable[Transition]) -> None:
        """Index *transitions* of the cycle named *cycle*.

        Raises:
            InvalidData: *cycle* is not a name, *transitions* is not a sequence of
                :class:`Transition` values, or two of them are the same trigger from
                the same state.
        """
        name = text(cycle, "cycle")
        moves = instances(transitions, Transition, "transitions")
        by_trigger: dict[tuple[str, str], Transition] = {}
        for i, t in enumerate(moves):
            if (t.source, t.trigger) in by_trigger:
                raise InvalidData(
                    f"transitions[{i}]", f"a second move {t.trigger!r} from {t.source!r}"
                )
            by_trigger[(t.source, t.trigger)] = t
        self.cycle = name
        self._by_trigger = by_trigger
        self._by_dest: dict[tuple[str, str], Transition] = {}
        triggers: dict[str, list[str]] = {}
        for t in moves:
            if t.move is Move.ENTER:
                continue
            self._by_dest.setdefault((t.source, t.dest), t)
            triggers.setdefault(t.source, []).append(t.trigger)
        self._triggers = {k: tuple(v) for k, v in triggers.items()}
        self._states = frozenset(s for pair in self._by_trigger for s in pair[:1]) | frozenset(
            t.dest for t in self._by_trigger.values()
        )
        self._states -= {START}

    def step(self, state: str, trigger: str) -> Transition | None:
        """The move *trigger* from *state*, or ``None`` if there is none.

        Raises:
            InvalidData: *state* or *trigger* is not non-empty text (naming which).
        """
        try:
            found = self._by_trigger.get((state, trigger))
        except TypeError:  # unhashable: neither can name a move
            found = None
        if found is None:
            text(trigger, "trigger")
            text(state, "state")
        return found

    def between(self, source: str, dest: str) -> Transition | None:
        """The (non-imported) move that leads from *source* to *dest*, or ``None``."""
        try:
            found = self._by_dest.get((source, dest))
        except TypeError:  # unhashable: neither can name a state
            found = None
        if found is None:
            text(source, "source")
            text(dest, "dest")
        return found

    def triggers(self, state: str) -> tuple[str, ...]:
        """The moves that exist from *state* (imported entries left out)."""
        try:
            return self._triggers.get(state, ())
        except TypeError:  # unhashable
            raise _not_text(state, "state") from None

    def next_state(self, state: str, trigger: str) -> str:
        """Where *trigger* leads from *state*, gates aside.

        Raises:
            InvalidMove: there is no such move.
        """
        step = self.step(state, trigger)
        if step is None:
            raise _no_move(self.cycle, state, trigger, self)
        return step.dest

    def attempt(
        self,
        state: str,
        trigger: str,
        evidence: Evidence,
        context: Context | None = None,
    ) -> tuple[str | None, tuple[GateReport, ...]]:
        """Evaluate *trigger* from *state* on *evidence*: ``(dest or None if blocked, reports)``.

        Raises:
            InvalidMove: there is no such move.
        """
        step = self.step(state, trigger)
        if step is None:
            raise _no_move(self.cycle, state, trigger, self)
        reports = step.evaluate(evidence, resolve_context(context))
        return (step.dest if all(r.passed for r in reports) else None), reports

    def replay_states(
        self, rows: Iterable[tuple[Hashable, str | None, str]], *, enter_anywhere: bool = False
    ) -> BulkReplay:
        """Check and replay ``(key, from_state, to_state)`` rows, e.g. a CRM's stage history.

        Rows of one key must follow each other: each starts where the last one of
        that key ended (``None`` or ``"<start>"`` for a key's first row) and is a move
        of the cycle. Bad rows are reported, not raised — every one of them, with its
        position (1 for the first row) — and leave the key's state where it was, so
        one export can be checked in a single pass.

        Args:
            rows: the stage changes, oldest first within each key.
            enter_anywhere: let a key's first row enter any state of the cycle (an
                imported entry), for exports whose history begins mid-pipeline.
        """
        by_dest = self._by_dest
        known = self._states
        states: dict[Hashable, str] = {}
        errors: list[tuple[int, Hashable, str]] = []
        entered = 0
        n = 0
        for n, (key, source, dest) in enumerate(rows, 1):
            current = states.get(key, START)
            origin = START if source is None else source
            if origin != current:
                errors.append((n, key, f"starts from {origin!r} but {key!r} is at {current!r}"))
            elif (origin, dest) in by_dest:
                states[key] = dest
            elif enter_anywhere and origin == START and dest in known:
                states[key] = dest
                entered += 1
            else:
                errors.append((n, key, f"no move from {origin!r} to {dest!r}"))
        return _bulk_replay(states, tuple(errors), n, entered)

    def __repr__(self) -> str:
        return f"TransitionTable({self.cycle!r}, {len(self._by_trigger)} moves)"
