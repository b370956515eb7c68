"""The value chain (营销价值链): a buyer's cycle and the seller's side by side, as data.

A :class:`ValueChain` pairs stages of a buyer's cycle with stages of a seller's cycle
(and, optionally, of a project's), column by column: the seller must act in step with
the buyer. :meth:`ValueChain.check_positions` says whether the seller runs ahead of the
buyer, lags behind it or is in step, and what to do at the buyer's stage.

The library's own chain is the key-account value chain (大客户营销价值链) of source 001
— the customer decision cycle, the sales activity cycle and the project advancement
cycle P0–P7, stage *i* with stage *i* — declared in the data file
``bigaccount/cycles/data/valuechain.toml`` and used by :func:`check_positions` and
:func:`check_alignment`. A deal carries the positions as its tracks in ``"decision"``,
``"activity"`` and ``"advancement"``.

>>> from bigaccount.valuechain import check_positions
>>> report = check_positions("RECOGNITION", "SOLUTION")
>>> report.pace.value, report.gap
('ahead', 4)
>>> report.expected.activity.id, report.action.en[:40]
('ANALYSIS', 'Through a series of probing questions, m')

Align your own buyer journey with your own pipeline in a file of the same form, loaded
by :func:`load_alignment` (every problem reported at once, each with its place); the
report texts default to the library's. See the guide's page "Define your own pipeline".
"""

from __future__ import annotations

import functools
import string
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from attrs import field, frozen

from ._validate import (
    Rule,
    instances,
    many_of,
    member,
    of_kind,
    optional_of_kind,
    optional_signed_whole,
    optional_text,
    signed_whole,
    text,
    texts,
    to_tuple,
    whole,
)
from .cycle import Cycle, Stage
from .declarations import (
    SCHEMA,
    _known_catalogues,
    _label,
    _Problems,
    _table,
    builtin_data,
    read_source,
)
from .errors import InvalidData, InvalidDefinition, UnknownName
from .labels import Label, LabelledEnum, label_members
from .registry import get_cycle
from .track import Outcome

if TYPE_CHECKING:
    from .deal import Deal

__all__ = [
    "AlignedStages",
    "AlignmentReport",
    "Pace",
    "ReportTexts",
    "ValueChain",
    "aligned",
    "check_alignment",
    "check_positions",
    "load_alignment",
    "read_alignment",
    "value_chain",
]

_OUTCOMES = tuple(o.value for o in Outcome)


class Pace(LabelledEnum):
    """How the seller's stage compares with the buyer's."""

    IN_STEP = "in_step"
    AHEAD = "ahead"
    BEHIND = "behind"


label_members(
    Pace,
    {
        Pace.IN_STEP: Label("同步", "in step"),
        Pace.AHEAD: Label("超前于客户", "ahead of the customer"),
        Pace.BEHIND: Label("落后于客户", "behind the customer"),
    },
)


def _description(stage: Stage) -> Label:
    found = stage.guidance.description
    if found is None:
        raise InvalidData("guidance.description", f"stage {stage.id} has no description")
    return found


@frozen
class AlignedStages:
    """One column of a value chain: the stages that belong together.

    Attributes:
        index: the column's position, from 0.
        decision: the buyer's stage (of the customer decision cycle in the library's chain).
        activity: the seller's stage (of the sales activity cycle).
        advancement: the project's stage (P0–P7), or ``None`` in a chain without one.
        doing: what the buyer is doing here, when the column says it itself.
        action: what the seller should do here, when the column says it itself.
    """

    index: int = field(validator=Rule(whole))
    decision: Stage = field(validator=Rule(of_kind(Stage)))
    activity: Stage = field(validator=Rule(of_kind(Stage)))
    advancement: Stage | None = field(default=None, validator=Rule(optional_of_kind(Stage)))
    doing: Label | None = field(default=None, validator=Rule(optional_of_kind(Label)))
    action: Label | None = field(default=None, validator=Rule(optional_of_kind(Label)))

    @property
    def buyer(self) -> Label:
        """What the customer is doing here: the column's own text, else its stage's description."""
        return self.doing if self.doing is not None else _description(self.decision)

    @property
    def seller(self) -> Label:
        """What the seller should do here: the column's own text, else its stage's description."""
        return self.action if self.action is not None else _description(self.activity)

    @property
    def milestone(self) -> Label:
        """What the seller has reached past this column: its success milestone, else its name."""
        success = self.activity.guidance.success
        return success.milestone if success is not None else self.activity.label


_PLACEHOLDERS = {
    "in_step": frozenset({"buyer", "seller"}),
    "ahead": frozenset({"n", "buyer", "doing", "seller", "warning", "expected", "action"}),
    "behind": frozenset({"n", "buyer", "doing", "seller", "missed", "expected", "action"}),
    "project_off": frozenset({"project", "n", "expected"}),
}
"""The names each report text may fill in (plain ``{name}`` only: no attributes, no formats)."""


def _check_template(text: str, allowed: frozenset[str]) -> str | None:
    """The problem with a report text, or ``None``: only plain ``{name}`` fields are allowed."""
    try:
        parsed = list(string.Formatter().parse(text))
    except ValueError as error:
        return f"malformed braces ({error}); write {{{{ and }}}} for a brace"
    for _, name, spec, conversion in parsed:
        if name is None:
            continue
        if name not in allowed or spec or conversion:
            shown = (
                "{"
                + name
                + (f"!{conversion}" if conversion else "")
                + (f":{spec}" if spec else "")
                + "}"
            )
            return f"{shown} is not one of {', '.join('{' + a + '}' for a in sorted(allowed))}"
    return None


@frozen
class ReportTexts:
    """What an alignment report says, in both languages, with ``{placeholders}``.

    Attributes:
        in_step: the seller is in step (``{buyer}``, ``{seller}``).
        ahead: the seller runs ahead (``{n}``, ``{buyer}``, ``{doing}``, ``{seller}``,
            ``{warning}``, ``{expected}``, ``{action}``).
        behind: the seller lags (as *ahead*, with ``{missed}`` for ``{warning}``).
        project_off: the project stage is off the buyer's (``{project}``, ``{n}``,
            ``{expected}``), added when the seller's stage is also known.

    Raises:
        InvalidData: a text names a placeholder it may not use, or has a format
            beyond a plain ``{name}``.
    """

    in_step: Label = field(validator=Rule(of_kind(Label), "texts."))
    ahead: Label = field(validator=Rule(of_kind(Label), "texts."))
    behind: Label = field(validator=Rule(of_kind(Label), "texts."))
    project_off: Label = field(validator=Rule(of_kind(Label), "texts."))

    def __attrs_post_init__(self) -> None:
        for name, allowed in _PLACEHOLDERS.items():
            label: Label = getattr(self, name)
            for lang in ("zh", "en"):
                problem = _check_template(getattr(label, lang), allowed)
                if problem is not None:
                    raise InvalidData(f"texts.{name}.{lang}", problem)


def _columns(value: Iterable[AlignedStages]) -> tuple[AlignedStages, ...]:
    return instances(value, AlignedStages, "columns")


def _catalogue_ids(value: Iterable[str]) -> tuple[str, ...]:
    if isinstance(value, str):
        raise InvalidData("catalogues", f"expected a sequence of catalogue ids, got {value!r}")
    ids = texts(value, "catalogues")
    unknown = [i for i in ids if i not in _known_catalogues()]
    if unknown:
        raise InvalidData("catalogues", f"unknown catalogue {unknown[0]!r}")
    return ids


@frozen
class ValueChain:
    """A buyer's cycle aligned with a seller's (and optionally a project's), column by column.

    Args:
        name: a name for the chain.
        label: its bilingual name.
        buyer: the buyer's cycle (whose stage is observed).
        seller: the seller's cycle (whose stage is ours).
        columns: the stages that belong together, in the cycles' order. Every stage of
            the buyer's cycle is in one column; a seller's or project's stage left out
            of every column cannot be compared.
        texts: what the reports say.
        project: the project's cycle, or ``None``.
        description: what the chain is.
        warning: the common mistake a report cites when the seller runs ahead.
        catalogues: ids of the guidance catalogues that go with the chain as a whole.

    Raises:
        InvalidData: a column's stage is not a stage of its cycle, is used twice or out
            of order, a buyer's stage is in no column, or a column has no text.
    """

    name: str = field(validator=Rule(text))
    label: Label = field(validator=Rule(of_kind(Label)))
    buyer: Cycle = field(validator=Rule(of_kind(Cycle)))
    seller: Cycle = field(validator=Rule(of_kind(Cycle)))
    columns: tuple[AlignedStages, ...] = field(converter=_columns)
    texts: ReportTexts = field(validator=Rule(of_kind(ReportTexts)))
    project: Cycle | None = field(default=None, validator=Rule(optional_of_kind(Cycle)))
    description: Label | None = field(default=None, validator=Rule(optional_of_kind(Label)))
    warning: Label | None = field(default=None, validator=Rule(optional_of_kind(Label)))
    catalogues: tuple[str, ...] = field(default=(), converter=_catalogue_ids)

    def __attrs_post_init__(self) -> None:
        if [c.index for c in self.columns] != list(range(len(self.columns))):
            raise InvalidData("columns", "columns are numbered 0, 1, 2 … in order")
        for role, cycle in self._roles():
            stages = [getattr(c, _FIELD[role]) for c in self.columns]
            if cycle is None:
                if any(s is not None for s in stages):
                    raise InvalidData(f"columns.{role}", "the chain has no project cycle")
                continue
            positions = []
            for stage in stages:
                if not isinstance(stage, Stage) or stage not in cycle.stages:
                    raise InvalidData(
                        f"columns.{role}", f"{stage!r} is not a stage of {cycle.name}"
                    )
                positions.append(cycle.index(stage.id))
            if positions != sorted(set(positions)):
                raise InvalidData(
                    f"columns.{role}", f"each column needs its own stage of {cycle.name}, in order"
                )
        covered = {c.decision.id for c in self.columns}
        missing = [s.id for s in self.buyer.stages if s.id not in covered]
        if missing:
            raise InvalidData("columns", f"stages of {self.buyer.name} in no column: {missing}")
        for column in self.columns:
            if column.doing is None and column.decision.guidance.description is None:
                raise InvalidData(f"columns[{column.index}].doing", "no text for the buyer")
            if column.action is None and column.activity.guidance.description is None:
                raise InvalidData(f"columns[{column.index}].action", "no text for the seller")
        if self.warning is None and "{warning}" in self.texts.ahead.zh + self.texts.ahead.en:
            raise InvalidData("warning", "the 'ahead' text cites {warning}, but none is given")

    def _roles(self) -> tuple[tuple[str, Cycle | None], ...]:
        return (("buyer", self.buyer), ("seller", self.seller), ("project", self.project))

    def column_of(self, role: str, stage_id: object) -> AlignedStages:
        """The column holding stage *stage_id* of the buyer's, seller's or project's cycle.

        Raises:
            InvalidData: an unknown role, a stage its cycle does not have, or a stage
                in no column.
        """
        cycles = dict(self._roles())
        if not isinstance(role, str) or role not in cycles or cycles[role] is None:
            known = ", ".join(r for r, c in self._roles() if c is not None)
            raise InvalidData("role", f"expected one of {known}, got {role!r}")
        cycle = cycles[role]
        assert cycle is not None
        if not isinstance(stage_id, str) or not cycle.has_stage(stage_id):
            known = ", ".join(s.id for s in cycle.stages)
            raise InvalidData(role, f"{cycle.name} has no stage {stage_id!r}; stages: {known}")
        stage = cycle.stage(stage_id)
        for column in self.columns:
            if getattr(column, _FIELD[role]) is stage:
                return column
        raise InvalidData(role, f"stage {stage_id} of {cycle.name} is in no column of {self.name}")

    def aligned(self, cycle: str, stage_id: str) -> AlignedStages:
        """The column holding stage *stage_id* of the chain's cycle named *cycle*.

        Raises:
            InvalidData: the cycle is not one of the chain's, or the stage is in no column.
        """
        for role, known in self._roles():
            if known is not None and known.name == cycle:
                return self.column_of(role, stage_id)
        names = ", ".join(c.name for _, c in self._roles() if c is not None)
        raise InvalidData("cycle", f"expected one of {names}, got {cycle!r}")

    def check_positions(
        self, buyer: str, seller: str | None = None, project: str | None = None
    ) -> AlignmentReport:
        """Compare the seller's stages with the buyer's and explain the result.

        Args:
            buyer: a stage id of the buyer's cycle.
            seller: a stage id of the seller's cycle (an outcome counts as not known).
            project: a state of the project's cycle: a stage, or an outcome (won, lost,
                stalled), which counts as not known.

        Raises:
            InvalidData: an unknown stage id, or no position of ours to compare: neither
                *seller* nor *project* given, or only positions that have ended.
        """
        column = self.column_of("buyer", _stage_id(buyer, "buyer"))
        ended: tuple[str, str] | None = None
        if seller is not None:
            seller = _stage_id(seller, "seller")
            if seller in _OUTCOMES and not self.seller.has_stage(seller):
                ended, seller = ("seller", seller), None
        project_gap: int | None = None
        if project is not None:
            project = _stage_id(project, "project")
            if self.project is None:
                raise InvalidData("project", f"{self.name} has no project cycle")
            if self.project.has_stage(project):
                project_gap = self.column_of("project", project).index - column.index
            elif project in _OUTCOMES:
                ended, project = ended or ("project", project), None
            else:
                known = ", ".join((*(s.id for s in self.project.stages), *_OUTCOMES))
                raise InvalidData(
                    "project", f"{self.project.name} has no state {project!r}; states: {known}"
                )
        if seller is not None:
            ours = self.column_of("seller", seller)
            gap = ours.index - column.index
        elif project_gap is not None and project is not None:
            ours = self.column_of("project", project)
            gap = project_gap
        elif ended is not None:
            role, outcome = ended
            raise InvalidData(
                role,
                f"the {role}'s cycle has ended ({outcome}), so its stage cannot be compared"
                " with the buyer's; give the seller's stage",
            )
        else:
            raise InvalidData("seller", "give the seller's stage or the project stage")
        ours_stage = ours.activity if seller is not None else ours.advancement
        assert ours_stage is not None
        names = {
            "buyer": column.decision.label,
            "seller": ours_stage.label,
            "doing": column.decision.guidance.customer_action or column.buyer,
            "expected": column.activity.label,
            "action": column.seller,
            "n": abs(gap),
        }
        texts = self.texts
        missed: tuple[Label, ...] = ()
        if gap > 0:
            pace = Pace.AHEAD
            explanation = _both(texts.ahead, warning=self.warning or "", **names)
        elif gap < 0:
            pace = Pace.BEHIND
            missed = tuple(c.milestone for c in self.columns[ours.index : column.index])
            explanation = _both(texts.behind, missed=missed, **names)
        else:
            pace = Pace.IN_STEP
            explanation = _both(texts.in_step, **names)
        if project is not None and project_gap and seller is not None:
            expected = column.advancement.id if column.advancement is not None else "—"
            extra = _both(texts.project_off, project=project, n=abs(project_gap), expected=expected)
            explanation = Label(f"{explanation.zh}{extra.zh}", f"{explanation.en} {extra.en}")
        return AlignmentReport(
            buyer, seller, project, pace, gap, project_gap, column, missed, explanation
        )

    def check(self, deal: Deal) -> AlignmentReport:
        """Check a deal's seller positions against its buyer position.

        The deal's track in the buyer's cycle is the buyer's stage; its tracks in the
        seller's and the project's cycles are ours (at least one is needed).

        Raises:
            InvalidData: *deal* is not a :class:`~bigaccount.deal.Deal`, the deal has no
                buyer stage, or neither seller position.
        """
        from .deal import Deal

        if not isinstance(deal, Deal):
            raise InvalidData("deal", f"expected a Deal, got {deal!r}")
        buyer = deal.state(self.buyer.name)
        if buyer is None:
            raise InvalidData("tracks", f"deal {deal.id} has no stage in {self.buyer.name}")
        seller = deal.state(self.seller.name)
        project = deal.state(self.project.name) if self.project is not None else None
        ours = [s for s in (seller, project) if s is not None and s not in _OUTCOMES]
        if not ours:
            names = " or ".join(c.name for r, c in self._roles() if r != "buyer" and c is not None)
            raise InvalidData("tracks", f"deal {deal.id} has no stage in {names}")
        return self.check_positions(buyer, seller, project)


_FIELD = {"buyer": "decision", "seller": "activity", "project": "advancement"}


def _pace(value: object) -> Pace:
    return member(Pace, value, "pace")


@frozen
class AlignmentReport:
    """Where the seller stands against the buyer, and what to do about it.

    Attributes:
        buyer: the customer's stage in the buyer's cycle.
        seller: the seller's stage (``None`` when only the project stage is known).
        project: the project's stage (``None`` when not known, or when the project has
            ended as won, lost or stalled).
        pace: in step, ahead or behind.
        gap: columns the seller is ahead (positive) or behind (negative); judged on the
            seller's stage, or on the project stage when there is no seller's stage.
        project_gap: the same for the project stage, when known.
        expected: the column of the buyer's stage: the seller's and the project's
            stages that fit it.
        missed: the milestones the seller has not reached yet when behind.
        explanation: what the report means, in both languages.
    """

    buyer: str = field(validator=Rule(text))
    seller: str | None = field(validator=Rule(optional_text))
    project: str | None = field(validator=Rule(optional_text))
    pace: Pace = field(converter=_pace)
    gap: int = field(validator=Rule(signed_whole))
    project_gap: int | None = field(validator=Rule(optional_signed_whole))
    expected: AlignedStages = field(validator=Rule(of_kind(AlignedStages)))
    missed: tuple[Label, ...] = field(converter=to_tuple, validator=Rule(many_of(Label)))
    explanation: Label = field(validator=Rule(of_kind(Label)))

    @property
    def action(self) -> Label:
        """What the seller should do at the buyer's current stage."""
        return self.expected.seller


def _text(label: Label, lang: str, **values: object) -> str:
    def pick(value: object) -> object:
        if isinstance(value, Label):
            return value.zh if lang == "zh" else value.en
        if isinstance(value, tuple):
            return ("；" if lang == "zh" else "; ").join(str(pick(v)) for v in value)
        return value

    template = label.zh if lang == "zh" else label.en
    return template.format(**{k: pick(v) for k, v in values.items()})


def _both(label: Label, **values: object) -> Label:
    return Label(_text(label, "zh", **values), _text(label, "en", **values))


def _stage_id(value: object, field: str) -> str:
    if not isinstance(value, str):
        raise InvalidData(field, f"expected a stage id, got {value!r}")
    return value


# -- reading a chain from data -----------------------------------------------------------

_CHAIN_KEYS = {"name", "label", "description", "buyer", "seller", "project", "catalogues"}
_CHAIN_KEYS |= {"ahead_warning"}
_COLUMN_KEYS = {"buyer", "seller", "project", "doing", "action"}


def read_alignment(
    data: Mapping[str, Any], *, source: str = "<data>", cycles: Iterable[Cycle] = ()
) -> ValueChain:
    """Build a value chain from its declaration as plain data (what a TOML or JSON file holds).

    The ``[chain]`` table names the buyer's, the seller's and (optionally) the project's
    cycle — among *cycles*, else the registered ones — and may cite a seller stage's
    mistake as the warning for running ahead (``ahead_warning = { stage = "ANALYSIS",
    mistake = 3 }``, counted from 1) or give one (``{ zh = "…", en = "…" }``). Each
    ``[[columns]]`` table pairs stage ids, and may give ``doing`` and ``action`` texts
    of its own. ``[texts]`` (``in_step``, ``ahead``, ``behind``, ``project_off``) defaults
    to the library's.

    Raises:
        InvalidDefinition: listing every problem, each with its place in the data.
    """
    if not isinstance(source, str) or not source.strip():
        raise InvalidDefinition("source", f"expected the name of the source, got {source!r}")
    if isinstance(cycles, (str, bytes, Cycle)) or not isinstance(cycles, Iterable):
        raise InvalidDefinition("cycles", f"expected a sequence of cycles, got {cycles!r}")
    cycles = tuple(cycles)
    if not all(isinstance(c, Cycle) for c in cycles):
        raise InvalidDefinition("cycles", "expected a sequence of cycles")
    problems = _Problems(source)
    if not isinstance(data, Mapping):
        raise InvalidDefinition(source, f"expected a table, got {type(data).__name__}")
    top = _table(data, "<top>", problems, {"schema", "chain", "texts", "columns"})
    if top.get("schema", SCHEMA) != SCHEMA:
        problems.add("schema", f"version {top.get('schema')!r} is not supported (reads {SCHEMA})")
    head = _table(top.get("chain"), "chain", problems, _CHAIN_KEYS)
    given = {c.name: c for c in cycles}
    roles: dict[str, Cycle | None] = {}
    for role in ("buyer", "seller", "project"):
        name = head.get(role)
        if name is None and role == "project":
            roles[role] = None
            continue
        if not isinstance(name, str):
            problems.add(f"chain.{role}", f"expected the name of a cycle, got {name!r}")
            continue
        try:
            roles[role] = given[name] if name in given else get_cycle(name)
        except UnknownName as error:
            problems.add(f"chain.{role}", str(error))
    label = _label(head.get("label"), "chain.label", problems)
    description = _label(head.get("description"), "chain.description", problems, required=False)
    name = head.get("name")
    if not isinstance(name, str) or not name.strip():
        problems.add("chain.name", f"expected the chain's name, got {name!r}")
    catalogues = _catalogues(head.get("catalogues"), problems)
    warning = _warning(head.get("ahead_warning"), roles.get("seller"), problems)
    texts = _texts(top.get("texts"), problems)
    columns = _read_columns(top.get("columns"), roles, problems)
    if problems.found:
        raise InvalidDefinition.all(problems.found)
    buyer, seller = roles.get("buyer"), roles.get("seller")
    if label is None or texts is None or buyer is None or seller is None or columns is None:
        raise InvalidDefinition(source, "the declaration is incomplete")
    try:
        return ValueChain(
            str(name),
            label,
            buyer,
            seller,
            columns,
            texts,
            project=roles.get("project"),
            description=description,
            warning=warning,
            catalogues=catalogues,
        )
    except InvalidData as error:
        raise InvalidDefinition(f"{source}: {error.field}", error.problem) from None


def _catalogues(value: object, problems: _Problems) -> tuple[str, ...]:
    if value is None:
        return ()
    known = _known_catalogues()
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        problems.add("chain.catalogues", "expected a list of catalogue ids")
        return ()
    for i, key in enumerate(value):
        if key not in known:
            problems.add(f"chain.catalogues[{i}]", f"unknown catalogue {key!r}")
    return tuple(value)


def _warning(value: object, seller: Cycle | None, problems: _Problems) -> Label | None:
    where = "chain.ahead_warning"
    if value is None:
        return None
    if isinstance(value, Mapping) and set(value) == {"stage", "mistake"}:
        stage_id, n = value["stage"], value["mistake"]
        if seller is None:
            return None
        if not isinstance(stage_id, str) or not seller.has_stage(stage_id):
            problems.add(f"{where}.stage", f"{seller.name} has no stage {stage_id!r}")
            return None
        mistakes = seller.stage(stage_id).guidance.mistakes
        if not isinstance(n, int) or isinstance(n, bool) or not 1 <= n <= len(mistakes):
            problems.add(
                f"{where}.mistake",
                f"expected 1 to {len(mistakes)} (the mistakes of {stage_id}), got {n!r}",
            )
            return None
        return mistakes[n - 1]
    if isinstance(value, Mapping) and set(value) <= {"zh", "en"}:
        return _label(value, where, problems)
    problems.add(where, 'expected { stage = "…", mistake = n } or { zh = "…", en = "…" }')
    return None


def _texts(value: object, problems: _Problems) -> ReportTexts | None:
    if value is None:
        return value_chain().texts
    spec = _table(value, "texts", problems, set(_PLACEHOLDERS))
    labels: dict[str, Label] = {}
    for name, allowed in _PLACEHOLDERS.items():
        label = _label(spec.get(name), f"texts.{name}", problems)
        if label is None:
            continue
        for lang in ("zh", "en"):
            problem = _check_template(getattr(label, lang), allowed)
            if problem is not None:
                problems.add(f"texts.{name}.{lang}", problem)
                label = None
                break
        if label is not None:
            labels[name] = label
    return ReportTexts(**labels) if len(labels) == len(_PLACEHOLDERS) else None


def _read_columns(
    value: object, roles: Mapping[str, Cycle | None], problems: _Problems
) -> list[AlignedStages] | None:
    if not isinstance(value, list) or not value:
        problems.add("columns", "a chain needs a list of columns ([[columns]] tables)")
        return None
    columns: list[AlignedStages] = []
    used: dict[str, dict[str, int]] = {"buyer": {}, "seller": {}, "project": {}}
    for i, raw in enumerate(value):
        where = f"columns[{i}]"
        spec = _table(raw, where, problems, _COLUMN_KEYS)
        stages: dict[str, Stage | None] = {}
        for role in ("buyer", "seller", "project"):
            cycle = roles.get(role)
            stage_id = spec.get(role)
            if role == "project" and cycle is None:
                if stage_id is not None and "project" in roles:
                    problems.add(f"{where}.project", "the chain names no project cycle")
                stages[role] = None
                continue
            if cycle is None:
                continue
            if not isinstance(stage_id, str) or not cycle.has_stage(stage_id):
                problems.add(f"{where}.{role}", f"{cycle.name} has no stage {stage_id!r}")
                continue
            earlier = used[role].get(stage_id)
            if earlier is not None:
                problems.add(f"{where}.{role}", f"{stage_id} is already in columns[{earlier}]")
                continue
            before = [cycle.index(s) for s in used[role]]
            if before and cycle.index(stage_id) < max(before):
                problems.add(
                    f"{where}.{role}", f"{stage_id} comes before an earlier column's stage"
                )
            used[role][stage_id] = i
            stages[role] = cycle.stage(stage_id)
        doing = _label(spec.get("doing"), f"{where}.doing", problems, required=False)
        action = _label(spec.get("action"), f"{where}.action", problems, required=False)
        buyer, seller = stages.get("buyer"), stages.get("seller")
        if buyer is None or seller is None:
            continue
        if doing is None and buyer.guidance.description is None:
            problems.add(
                f"{where}.doing", f"say what the buyer does ({buyer.id} has no description)"
            )
        if action is None and seller.guidance.description is None:
            problems.add(f"{where}.action", f"say what to do ({seller.id} has no description)")
        columns.append(AlignedStages(i, buyer, seller, stages.get("project"), doing, action))
    buyer_cycle = roles.get("buyer")
    if buyer_cycle is not None:
        missing = [s.id for s in buyer_cycle.stages if s.id not in used["buyer"]]
        if missing:
            problems.add(
                "columns", f"stages of {buyer_cycle.name} in no column: {', '.join(missing)}"
            )
    return columns


def load_alignment(
    source: str | Path, *, cycles: Iterable[Cycle] = (), format: str | None = None
) -> ValueChain:
    """Load a value chain from a TOML or JSON file (a :class:`~pathlib.Path`), or TOML text.

    The file names its cycles; *cycles* are found first, then the registered ones.
    See :func:`read_alignment` for the form, and :func:`~bigaccount.load_cycle` for how
    the source is read.

    Raises:
        InvalidDefinition: the file cannot be read or parsed, or its declaration is
            malformed: every problem is listed, each with its place in the file.
    """
    data, name = read_source(source, format=format)
    return read_alignment(data, source=name, cycles=cycles)


@functools.cache
def value_chain() -> ValueChain:
    """The library's key-account value chain: decision, activity and advancement cycles."""
    data = builtin_data("valuechain")
    texts = data.get("texts")
    if not isinstance(texts, Mapping):
        raise InvalidDefinition("valuechain.toml", "the library's chain must give its texts")
    return read_alignment(data, source="valuechain.toml")


def __getattr__(name: str) -> Any:
    if name == "ALIGNMENT":
        return value_chain().columns
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def aligned(cycle: str, stage_id: str) -> AlignedStages:
    """The column of the key-account value chain holding stage *stage_id* of *cycle*.

    >>> aligned("activity", "REFINEMENT").decision.id
    'ASSESSMENT'

    Raises:
        InvalidData: the cycle is not one of the three, or has no such stage.
    """
    return value_chain().aligned(cycle, stage_id)


def check_positions(
    buyer: str, seller: str | None = None, project: str | None = None
) -> AlignmentReport:
    """Compare the seller's stages with the buyer's in the key-account value chain.

    Args:
        buyer: a stage id of the decision cycle.
        seller: a stage id of the activity cycle.
        project: a state of the advancement cycle: a stage P0–P7, or an outcome (won,
            lost, stalled), which counts as not known.

    Raises:
        InvalidData: an unknown stage id (of *buyer*, *seller* or *project*), or no
            position of ours to compare: neither *seller* nor *project* given, or only
            a *project* that has ended in an outcome.
    """
    return value_chain().check_positions(buyer, seller, project)


def check_alignment(deal: Deal, chain: ValueChain | None = None) -> AlignmentReport:
    """Check a deal's seller positions against its buyer position.

    In the key-account value chain (the default) the deal's track in ``"decision"`` is
    the buyer's stage; its tracks in ``"activity"`` and ``"advancement"`` are ours (at
    least one is needed). Another *chain* reads the tracks of its own cycles.

    Raises:
        InvalidData: *chain* is not a :class:`ValueChain`, the deal has no buyer stage,
            or neither seller position.
    """
    if chain is not None and not isinstance(chain, ValueChain):
        raise InvalidData("chain", f"expected a ValueChain, got {chain!r}")
    return (chain or value_chain()).check(deal)
