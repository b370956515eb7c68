"""Diagrams and tables of a cycle, derived from its declaration alone.

:func:`mermaid` draws a cycle as a mermaid ``stateDiagram-v2``; :func:`markdown_table`
lists its stages with probabilities, gates, criteria and owners; :func:`overview`
puts a title, the diagram (in a mermaid fence) and the table together, as a notebook
shows a cycle. They read only the declaration, so documentation cannot drift from the
code. They accept any value shaped like a :class:`~bigaccount.cycle.Cycle` (the
:class:`CycleLike` protocol), refusing anything else with
:class:`~bigaccount.errors.InvalidData` naming ``cycle``, and do not import the engine,
so that the engine may use them to display itself.

>>> from bigaccount import get_cycle
>>> from bigaccount.diagrams import markdown_table, mermaid
>>> print(mermaid(get_cycle("development"), lang="en").splitlines()[0])
stateDiagram-v2
>>> print(markdown_table(get_cycle("funnel"), lang="en").splitlines()[2][:52])
| 1 | TARGET | 目标 | target | 10% | at least 2 of 3 |
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from .errors import InvalidData
from .gates import BySegment, Criterion, Gate
from .labels import Label, Lang
from .track import Move, Outcome

__all__ = [
    "CycleLike",
    "GuidanceLike",
    "RouteLike",
    "StageLike",
    "TransitionLike",
    "markdown_table",
    "mermaid",
    "overview",
]


class GuidanceLike(Protocol):
    """What the diagrams read of a stage's guidance: its signals."""

    @property
    def signals(self) -> Sequence[Criterion]: ...


class StageLike(Protocol):
    """What the diagrams read of a stage (see :class:`~bigaccount.cycle.Stage`)."""

    @property
    def id(self) -> str: ...
    @property
    def label(self) -> Label: ...
    @property
    def probability(self) -> float | None: ...
    @property
    def entry(self) -> Gate: ...
    @property
    def exit(self) -> Gate: ...
    @property
    def guidance(self) -> GuidanceLike: ...
    @property
    def owner(self) -> Label | None: ...
    @property
    def phase(self) -> Label | None: ...


class RouteLike(Protocol):
    """What the diagrams read of a declared route (see :class:`~bigaccount.cycle.Route`)."""

    @property
    def trigger(self) -> str: ...
    @property
    def source(self) -> str: ...
    @property
    def dest(self) -> str: ...
    @property
    def label(self) -> Label: ...


class TransitionLike(Protocol):
    """What the diagrams read of a compiled move (see :class:`~bigaccount.cycle.Transition`)."""

    @property
    def trigger(self) -> str: ...
    @property
    def source(self) -> str: ...
    @property
    def dest(self) -> str: ...
    @property
    def move(self) -> Move: ...
    @property
    def gates(self) -> Sequence[tuple[str, Any, Gate]]: ...


class _KindLike(Protocol):
    @property
    def value(self) -> str: ...


class CycleLike(Protocol):
    """What the diagrams read of a cycle: a :class:`~bigaccount.cycle.Cycle` has it all.

    ``kind.value`` is ``"pipeline"``, ``"wheel"`` or ``"process"``.
    """

    @property
    def name(self) -> str: ...
    @property
    def label(self) -> Label: ...
    @property
    def kind(self) -> _KindLike: ...
    @property
    def stages(self) -> Sequence[StageLike]: ...
    @property
    def routes(self) -> Sequence[RouteLike]: ...
    @property
    def transitions(self) -> Sequence[TransitionLike]: ...
    @property
    def description(self) -> Label | None: ...


_PIPELINE = "pipeline"
_WHEEL = "wheel"
_CYCLE_PARTS = ("name", "label", "kind", "stages", "routes", "transitions", "description")
"""The attributes of :class:`CycleLike`: a value without one of them is not a cycle."""


def _cycle(value: Any) -> CycleLike:
    """*value* if it is shaped like a cycle (see :class:`CycleLike`), else ``InvalidData``.

    The engine's :class:`~bigaccount.cycle.Cycle` sits above this module, so the shape
    is what is checked: every attribute the diagrams read, and at least one stage.
    """
    if not all(hasattr(value, part) for part in _CYCLE_PARTS):
        raise InvalidData("cycle", f"expected a Cycle (or a value shaped like one), got {value!r}")
    stages = value.stages
    if isinstance(stages, (str, bytes)) or not isinstance(stages, Sequence) or not stages:
        raise InvalidData(
            "cycle", f"expected a cycle with a sequence of stages, got {type(stages).__name__}"
        )
    found: CycleLike = value
    return found


_HEADERS = {
    "index": Label("序号", "#"),
    "id": Label("标识", "id"),
    "probability": Label("概率", "probability"),
    "rule": Label("进入规则", "entry rule"),
    "criteria": Label("进入条件", "entry criteria"),
    "exit_rule": Label("验收规则", "exit rule"),
    "exit_criteria": Label("验收节点", "exit criteria (acceptance)"),
    "owner": Label("负责人", "owner"),
    "phase": Label("阶段", "phase"),
}
_INFERRED = Label("推断", "inferred")
_SIGNAL = Label("列出但不计入规则", "listed, not in the rule")
_NO_GATE = Label("无", "none")
_MOVES_NOTE = Label(
    "亦可跳进（须通过途经的各个关卡）或回退一步",
    "jumps ahead (through every gate on the way) and steps back are also allowed",
)
_JUMPS_NOTE = Label(
    "亦可跳进（须通过途经的各个关卡）", "jumps ahead (through every gate on the way) are allowed"
)
_REGRESS_NOTE = Label("亦可回退一步", "steps back are also allowed")
_BY_SEGMENT = Label("规则因客户类型而异", "rule depends on the segment")


def _text(label: Label, lang: Lang | None) -> str:
    if lang is None:
        return label.both()
    return label.text(lang)


def _lang(lang: Lang | str | None) -> Lang | None:
    return None if lang is None else Lang(lang)


def _mermaid_text(text: str) -> str:
    return " ".join(text.replace('"', "'").replace(";", ",").replace("#", "No.").split())


def _state_name(stage: StageLike, lang: Lang | None) -> str:
    name = _text(stage.label, lang)
    if stage.probability is not None:
        name = f"{name} · {stage.probability:.0%}"
    return _mermaid_text(name)


def mermaid(cycle: CycleLike, lang: Lang | str | None = None) -> str:
    """The cycle as a mermaid ``stateDiagram-v2``, labels in *lang* (both if ``None``).

    Stages carry their names (and probabilities); the moves drawn are the advances
    (labelled with the rules of the gates they pass: the exit gate of the stage left,
    the entry gate of the stage entered), the declared
    routes, a wheel's cycle back and a pipeline's outcomes, which any stage may
    reach. Jumps and steps back are summarised in a note to keep the diagram
    readable.

    Raises:
        InvalidData: (field ``cycle``) *cycle* is not shaped like a cycle (``None``, a
            text, a number …) or has no stages; (field ``lang``) an unknown language.
    """
    cycle = _cycle(cycle)
    chosen = _lang(lang)
    first = cycle.stages[0].id
    pipeline = cycle.kind.value == _PIPELINE
    indent = "        " if pipeline else "    "
    lines = ["stateDiagram-v2", "    direction LR"]
    body: list[str] = []
    for stage in cycle.stages:
        body.append(f'state "{_state_name(stage, chosen)}" as {stage.id}')
    body.append(f"[*] --> {first}")
    for transition in cycle.transitions:
        move = transition.move
        if move is Move.ADVANCE:
            edge = f"{transition.source} --> {transition.dest}"
            rules = [_text(_edge_rule(gate), chosen) for _, _, gate in transition.gates]
            if rules:
                edge += f": {_mermaid_text('; '.join(rules))}"
            body.append(edge)
        elif move is Move.ROUTE:
            route = next(
                r
                for r in cycle.routes
                if r.source == transition.source and r.trigger == transition.trigger
            )
            body.append(
                f"{route.source} --> {route.dest}: {_mermaid_text(_text(route.label, chosen))}"
            )
        elif move is Move.CYCLE_BACK:
            label = _mermaid_text(_text(Move.CYCLE_BACK.label, chosen))
            body.append(f"{transition.source} --> {transition.dest}: {label}")
    if not pipeline and cycle.kind.value != _WHEEL:
        body.append(f"{cycle.stages[-1].id} --> [*]")
    moves = {t.move for t in cycle.transitions}
    note = None
    if Move.JUMP in moves and Move.REGRESS in moves:
        note = _MOVES_NOTE
    elif Move.JUMP in moves:
        note = _JUMPS_NOTE
    elif Move.REGRESS in moves:
        note = _REGRESS_NOTE
    if note is not None:
        body.append(f"note right of {first}: {_mermaid_text(_text(note, chosen))}")
    if pipeline:
        group = _group_id(cycle)
        lines.append(f"    state {group} {{")
        lines.extend(indent + line for line in body)
        lines.append("    }")
        for outcome in Outcome:
            name = _mermaid_text(_text(outcome.label, chosen))
            lines.append(f'    state "{name}" as {outcome.value}')
            lines.append(f"    {group} --> {outcome.value}: {name}")
        lines.append(f"    {Outcome.WON.value} --> [*]")
    else:
        lines.extend(indent + line for line in body)
    return "\n".join(lines) + "\n"


def _edge_rule(gate: Gate) -> Label:
    if isinstance(gate, BySegment):
        return _BY_SEGMENT
    if len(gate.criteria) == 1:
        return gate.criteria[0].label
    return gate.rule


def _group_id(cycle: CycleLike) -> str:
    taken = {s.id for s in cycle.stages}
    group = f"{cycle.name}_stages"
    while group in taken:
        group += "_"
    return group


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _criterion(criterion: Criterion, number: int, lang: Lang | None) -> str:
    text = f"{number}. {_text(criterion.label, lang)}"
    if criterion.inferred:
        text += f" ({_text(_INFERRED, lang)})"
    return text


def _rule(gate: Gate, lang: Lang | None) -> str:
    if not isinstance(gate, BySegment):
        return _text(gate.rule, lang)
    number = {c.id: n for n, c in enumerate(gate.criteria, 1)}
    parts = []
    for segment, sub in gate.rules:
        which = ", ".join(str(number[c.id]) for c in sub.criteria)
        name = Label(f"{segment.label.zh}：{sub.rule.zh}", f"{segment.label.en}: {sub.rule.en}")
        parts.append(f"{_text(name, lang)} ({which})")
    return "<br>".join(parts)


def _gate_cells(gate: Gate, signals: Sequence[Criterion], lang: Lang | None) -> list[str]:
    criteria = gate.criteria
    rule = _rule(gate, lang) if criteria else _text(_NO_GATE, lang)
    items = [_criterion(c, n, lang) for n, c in enumerate(criteria, 1)]
    items += [
        f"{_criterion(c, n, lang)} ({_text(_SIGNAL, lang)})"
        for n, c in enumerate(signals, len(criteria) + 1)
    ]
    return [rule, "<br>".join(items) if items else "—"]


def markdown_table(cycle: CycleLike, lang: Lang | str | None = None) -> str:
    """The cycle's stages as a markdown table, in *lang* (both languages if ``None``).

    Columns: number, id, the Chinese and the English name, then — where any stage
    has them — probability, the entry gate's rule and criteria (inferred ones
    marked, signals listed after them as not part of the rule), the exit gate's rule
    and criteria, owner and phase.

    Raises:
        InvalidData: (field ``cycle``) *cycle* is not shaped like a cycle (``None``, a
            text, a number …) or has no stages; (field ``lang``) an unknown language.
    """
    cycle = _cycle(cycle)
    chosen = _lang(lang)
    stages = cycle.stages
    has_p = any(s.probability is not None for s in stages)
    has_entry = any(s.entry.criteria or s.guidance.signals for s in stages)
    has_exit = any(s.exit.criteria for s in stages)
    has_owner = any(s.owner is not None for s in stages)
    has_phase = any(s.phase is not None for s in stages)
    headers = [_text(_HEADERS["index"], chosen), _text(_HEADERS["id"], chosen), "中文", "English"]
    if has_p:
        headers.append(_text(_HEADERS["probability"], chosen))
    if has_entry:
        headers += [_text(_HEADERS["rule"], chosen), _text(_HEADERS["criteria"], chosen)]
    if has_exit:
        headers += [_text(_HEADERS["exit_rule"], chosen), _text(_HEADERS["exit_criteria"], chosen)]
    if has_owner:
        headers.append(_text(_HEADERS["owner"], chosen))
    if has_phase:
        headers.append(_text(_HEADERS["phase"], chosen))
    rows = [headers, ["---"] * len(headers)]
    for i, stage in enumerate(stages, 1):
        row = [str(i), stage.id, stage.label.zh, stage.label.en]
        if has_p:
            row.append("—" if stage.probability is None else f"{stage.probability:.0%}")
        if has_entry:
            row += _gate_cells(stage.entry, stage.guidance.signals, chosen)
        if has_exit:
            row += _gate_cells(stage.exit, (), chosen)
        if has_owner:
            row.append("—" if stage.owner is None else _text(stage.owner, chosen))
        if has_phase:
            row.append("—" if stage.phase is None else _text(stage.phase, chosen))
        rows.append(row)
    return "\n".join("| " + " | ".join(_cell(c) for c in row) + " |" for row in rows) + "\n"


def overview(cycle: CycleLike, lang: Lang | str | None = None) -> str:
    """The cycle as a notebook shows it: its name, a mermaid fence and its stage table.

    Markdown in *lang* (both languages if ``None``): the cycle's name, registry name and
    kind, its description, the :func:`mermaid` diagram in a ```` ```mermaid ```` fence
    (drawn by JupyterLab 4.1 and later, by GitHub and by the documentation site) and
    the :func:`markdown_table` of its stages.

    >>> from bigaccount import get_cycle
    >>> text = overview(get_cycle("funnel"), lang="en")
    >>> print(text.splitlines()[0])
    **KA sales funnel** (`funnel`, pipeline)
    >>> text.count("```mermaid"), "| 7 | REPEAT |" in text
    (1, True)
    """
    cycle = _cycle(cycle)
    chosen = _lang(lang)
    lines = [f"**{_text(cycle.label, chosen)}** (`{cycle.name}`, {cycle.kind.value})", ""]
    if cycle.description is not None:
        lines += [_text(cycle.description, chosen), ""]
    lines += ["```mermaid", mermaid(cycle, chosen).rstrip("\n"), "```", ""]
    lines.append(markdown_table(cycle, chosen).rstrip("\n"))
    return "\n".join(lines) + "\n"
