"""The key-account value chain (大客户营销价值链): the three cycles side by side.

Stage *i* of the customer decision cycle, stage *i* of the sales activity cycle and
P*i* of the project advancement cycle belong together: the seller must act in step
with the buyer. A deal carries the three positions as its tracks in ``"decision"``,
``"activity"`` and ``"advancement"``; :func:`check_alignment` says whether the seller
runs ahead of the buyer, lags behind it or is in step, and what to do at the buyer's
stage.

>>> from bigaccount.valuechain import check_positions
>>> report = check_positions("RECOGNITION", "SOLUTION")
>>> report.pace.value, report.gap
('ahead', 4)
>>> report.expected.activity.id, report.action.en[:40]
('ANALYSIS', 'Through a series of probing questions, m')
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from attrs import frozen

from .cycle import Cycle, Stage
from .cycles.activity import ACTIVITY, PRODUCT_TOO_EARLY
from .cycles.advancement import ADVANCEMENT
from .cycles.decision import DECISION
from .errors import InvalidData
from .labels import Label, LabelledEnum, label_members
from .track import Outcome

if TYPE_CHECKING:
    from .deal import Deal

_OUTCOMES = tuple(o.value for o in Outcome)

__all__ = [
    "ALIGNMENT",
    "AlignedStages",
    "AlignmentReport",
    "Pace",
    "aligned",
    "check_alignment",
    "check_positions",
]


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


@frozen
class AlignedStages:
    """One column of the value chain: the stages that belong together.

    Attributes:
        index: the column, 0 to 7.
        decision: the customer's stage.
        activity: the seller's stage.
        advancement: the project's stage.
    """

    index: int
    decision: Stage
    activity: Stage
    advancement: Stage

    @property
    def buyer(self) -> Label:
        """What the customer is doing here (the source's summary)."""
        return _description(self.decision)

    @property
    def seller(self) -> Label:
        """What the seller should do here (the source's summary)."""
        return _description(self.activity)


def _description(stage: Stage) -> Label:
    found = stage.guidance.description
    if found is None:
        raise InvalidData("guidance.description", f"stage {stage.id} has no description")
    return found


def _columns(*cycles: Cycle) -> tuple[AlignedStages, ...]:
    sizes = {len(c.stages) for c in cycles}
    if len(sizes) != 1:
        raise InvalidData("cycles", "the value chain needs cycles of the same length")
    return tuple(
        AlignedStages(i, d, a, p)
        for i, (d, a, p) in enumerate(zip(*(c.stages for c in cycles), strict=True))
    )


ALIGNMENT = _columns(DECISION, ACTIVITY, ADVANCEMENT)
"""The eight columns of the value chain, in order."""

_CYCLES = {"decision": DECISION, "activity": ACTIVITY, "advancement": ADVANCEMENT}
_P_STAGES = frozenset(s.id for s in ADVANCEMENT.stages)


def aligned(cycle: str, stage_id: str) -> AlignedStages:
    """The column of the value chain holding stage *stage_id* of *cycle*.

    >>> aligned("activity", "REFINEMENT").decision.id
    'ASSESSMENT'

    Raises:
        InvalidData: the cycle is not one of the three, or has no such stage.
    """
    found = _CYCLES.get(cycle)
    if found is None:
        raise InvalidData("cycle", f"expected one of {', '.join(_CYCLES)}, got {cycle!r}")
    return ALIGNMENT[found.index(stage_id)]


@frozen
class AlignmentReport:
    """Where the seller stands against the buyer, and what to do about it.

    Attributes:
        buyer: the customer's stage in the decision cycle.
        seller: the seller's stage in the activity cycle (``None`` when only the
            project stage is known).
        project: the project's stage P0–P7 (``None`` when not known, or when the
            project has ended as won, lost or stalled).
        pace: in step, ahead or behind.
        gap: stages the seller is ahead (positive) or behind (negative); judged on the
            activity stage, or on the project stage when there is no activity stage.
        project_gap: the same for the project stage, when known.
        expected: the column of the buyer's stage: the seller's and the project's
            stages that fit it.
        missed: the milestones the seller has not reached yet when behind.
        explanation: what the report means, in both languages.
    """

    buyer: str
    seller: str | None
    project: str | None
    pace: Pace
    gap: int
    project_gap: int | None
    expected: AlignedStages
    missed: tuple[Label, ...]
    explanation: Label

    @property
    def action(self) -> Label:
        """What the seller should do at the buyer's current stage."""
        return self.expected.seller


_IN_STEP = Label(
    "同步：客户处于「{buyer}」，我方处于「{seller}」。",
    "In step: the customer is in {buyer} and we are in {seller}.",
)
_AHEAD = Label(
    "我方超前客户{n}个阶段：客户仍处于「{buyer}」（{doing}），我方已在「{seller}」。"
    "常见错误：{warning}。回到「{expected}」：{action}",
    "We are {n} stage(s) ahead of the customer: it is still in {buyer} ({doing}) while we "
    "are in {seller}. A common mistake: {warning}. Go back to {expected}: {action}",
)
_BEHIND = Label(
    "我方落后客户{n}个阶段：客户已到「{buyer}」（{doing}），我方仍在「{seller}」；"
    "尚未达成的里程碑：{missed}。赶上「{expected}」：{action}",
    "We are {n} stage(s) behind the customer: it is already in {buyer} ({doing}) while we "
    "are still in {seller}; milestones not reached: {missed}. Catch up with {expected}: "
    "{action}",
)
_PROJECT = Label(
    "项目推进阶段{project}与客户阶段相差{n}个阶段（应为{expected}）。",
    "The project stage {project} is {n} stage(s) off the customer's (it should be {expected}).",
)


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


def check_positions(
    buyer: str, seller: str | None = None, project: str | None = None
) -> AlignmentReport:
    """Compare the seller's stages with the buyer's and explain the result.

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
    column = ALIGNMENT[DECISION.index(_stage_id(buyer, "buyer"))]
    if seller is not None:
        seller = _stage_id(seller, "seller")
    project_gap: int | None = None
    ended: str | None = None
    if project is not None:
        project = _stage_id(project, "project")
        if project in _P_STAGES:
            project_gap = ADVANCEMENT.index(project) - column.index
        elif project in _OUTCOMES:
            ended, project = project, None
        else:
            known = ", ".join((*sorted(_P_STAGES), *_OUTCOMES))
            raise InvalidData(
                "project", f"{ADVANCEMENT.name} has no state {project!r}; states: {known}"
            )
    if seller is not None:
        ours = ALIGNMENT[ACTIVITY.index(seller)]
        gap = ours.index - column.index
    elif project_gap is not None and project is not None:
        ours = ALIGNMENT[ADVANCEMENT.index(project)]
        gap = project_gap
    elif ended is not None:
        raise InvalidData(
            "project",
            f"the project has ended ({ended}), so its stage cannot be compared with the"
            " buyer's; give the seller's activity stage",
        )
    else:
        raise InvalidData("seller", "give the seller's activity stage or the project stage")
    names = {
        "buyer": column.decision.label,
        "seller": ours.activity.label if seller is not None else ours.advancement.label,
        "doing": column.decision.guidance.customer_action or column.buyer,
        "expected": column.activity.label,
        "action": column.seller,
        "n": abs(gap),
    }
    missed: tuple[Label, ...] = ()
    if gap > 0:
        pace = Pace.AHEAD
        explanation = _both(_AHEAD, warning=PRODUCT_TOO_EARLY, **names)
    elif gap < 0:
        pace = Pace.BEHIND
        missed = tuple(
            c.activity.guidance.success.milestone
            for c in ALIGNMENT[ours.index : column.index]
            if c.activity.guidance.success is not None
        )
        explanation = _both(_BEHIND, missed=missed, **names)
    else:
        pace = Pace.IN_STEP
        explanation = _both(_IN_STEP, **names)
    if project is not None and project_gap and seller is not None:
        extra = _both(_PROJECT, project=project, n=abs(project_gap), expected=column.advancement.id)
        explanation = Label(f"{explanation.zh}{extra.zh}", f"{explanation.en} {extra.en}")
    return AlignmentReport(
        buyer, seller, project, pace, gap, project_gap, column, missed, explanation
    )


def check_alignment(deal: Deal) -> AlignmentReport:
    """Check a deal's seller positions against its buyer position.

    The deal's track in ``"decision"`` is the buyer's stage; its tracks in
    ``"activity"`` and ``"advancement"`` are ours (at least one is needed).

    Raises:
        InvalidData: the deal has no decision stage, or neither seller position.
    """
    buyer = deal.state("decision")
    if buyer is None:
        raise InvalidData("tracks", f"deal {deal.id} has no stage in the decision cycle")
    seller = deal.state("activity")
    project = deal.state("advancement")
    if seller is None and project not in _P_STAGES:
        raise InvalidData(
            "tracks", f"deal {deal.id} has no stage in the activity or advancement cycle"
        )
    return check_positions(buyer, seller, project)
