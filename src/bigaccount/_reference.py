"""The reference page of the built-in cycles, rendered from their declarations.

:func:`render_reference` builds ``docs/reference/cycles.md``: for every built-in
cycle a mermaid diagram, a table of its stages and the guidance of each stage, then
the value chain. The committed page is checked against a fresh rendering, so it
cannot drift from the code.
"""

from __future__ import annotations

from collections.abc import Iterator

from .cycle import Cycle, Guidance
from .cycles.advancement import PRINCIPLES, TOOLS
from .cycles.decision import PROCUREMENT_STEPS
from .cycles.funnel import HEALTH
from .diagrams import markdown_table, mermaid
from .labels import Label
from .registry import _BUILTIN, get_cycle
from .valuechain import ALIGNMENT

__all__ = ["render_reference"]

_KIND = {
    "pipeline": Label("销售管道（有赢单概率与结局）", "pipeline (win probabilities and outcomes)"),
    "wheel": Label("循环（最后阶段回到第一阶段）", "wheel (the last stage returns to the first)"),
    "process": Label(
        "流程（按步骤推进，可含循环）", "process (ordered steps, possibly with loops)"
    ),
}

_FIELDS = (
    ("description", Label("说明", "Description")),
    ("customer_action", Label("客户行为", "Customer action")),
    ("activities", Label("销售活动", "Activities")),
    ("steps", Label("步骤", "Steps")),
    ("success", Label("衡量阶段成功的标志", "Marks of success")),
    ("mistakes", Label("常见错误", "Common mistakes")),
    ("checklist", Label("检查清单", "Self-check")),
    ("practices", Label("管理方略与做法", "Practices")),
    ("notes", Label("要点", "Notes")),
    ("signals", Label("列出但不计入规则的条件", "Listed criteria outside the rule")),
)
_SUCCESS = (
    Label("客户", "customer"),
    Label("供应商", "supplier"),
    Label("里程碑", "milestone"),
)


def _both(label: Label) -> str:
    return f"{label.zh} / {label.en}"


def _guidance(guidance: Guidance) -> Iterator[str]:
    for name, title in _FIELDS:
        value = getattr(guidance, name)
        if not value:
            continue
        yield f"**{_both(title)}**"
        yield ""
        if name in ("description", "customer_action"):
            yield f"- {_both(value)}"
        elif name == "steps":
            for n, step in enumerate(value, 1):
                yield f"{n}. {_both(step.label)}"
                for rule in step.rules:
                    yield f"    - {_both(rule)}"
        elif name == "success":
            parts = (value.customer, value.supplier, value.milestone)
            for who, what in zip(_SUCCESS, parts, strict=True):
                yield f"- {_both(who)}: {_both(what)}"
        elif name == "signals":
            for criterion in value:
                yield f"- `{criterion.id}`: {_both(criterion.label)}"
        elif name == "checklist":
            for n, item in enumerate(value, 1):
                yield f"{n}. {_both(item)}"
        else:
            for item in value:
                yield f"- {_both(item)}"
        yield ""


def _cycle(cycle: Cycle) -> Iterator[str]:
    yield f"## {_both(cycle.label)} (`{cycle.name}`)"
    yield ""
    if cycle.description is not None:
        yield _both(cycle.description)
        yield ""
    yield f"Kind: {_both(_KIND[cycle.kind.value])}."
    yield ""
    yield "```mermaid"
    yield mermaid(cycle).rstrip("\n")
    yield "```"
    yield ""
    yield markdown_table(cycle).rstrip("\n")
    yield ""
    for i, stage in enumerate(cycle.stages, 1):
        yield f"### {i}. `{stage.id}` {_both(stage.label)}"
        yield ""
        yield from _guidance(stage.guidance)


def _listing(title: Label, items: tuple[Label, ...], numbered: bool = False) -> Iterator[str]:
    yield f"**{_both(title)}**"
    yield ""
    for n, item in enumerate(items, 1):
        yield f"{n}. {_both(item)}" if numbered else f"- {_both(item)}"
    yield ""


def _value_chain() -> Iterator[str]:
    yield "## 大客户营销价值链 / The key-account value chain"
    yield ""
    yield (
        "Stage *i* of each cycle belongs with stage *i* of the others: the seller acts in "
        "step with the buyer (`bigaccount.valuechain`)."
    )
    yield ""
    yield "| i | decision | activity | advancement | win prob. | buyer | seller |"
    yield "| --- | --- | --- | --- | --- | --- | --- |"
    for column in ALIGNMENT:
        p = column.advancement.probability
        yield (
            f"| {column.index} | `{column.decision.id}` {column.decision.label.zh} "
            f"| `{column.activity.id}` {column.activity.label.zh} "
            f"| `{column.advancement.id}` {column.advancement.label.zh} "
            f"| {'—' if p is None else f'{p:.0%}'} "
            f"| {_both(column.buyer)} | {_both(column.seller)} |"
        )
    yield ""
    yield from _listing(
        Label("客户的采购步骤", "The customer's procurement steps"), PROCUREMENT_STEPS, True
    )
    yield from _listing(
        Label("大客户销售的四大原则", "Four principles of key-account selling"), PRINCIPLES, True
    )
    yield from _listing(Label("结构化营销的方法工具", "The toolset of structured selling"), TOOLS)
    yield from _listing(Label("漏斗原理", "Funnel health"), HEALTH)


def render_reference() -> str:
    """The reference page of every built-in cycle and the value chain, as markdown."""
    lines = [
        "# Built-in cycles",
        "",
        "<!-- Generated from the cycle declarations by "
        "bigaccount._reference.render_reference(); do not edit by hand. -->",
        "",
        "Every table, diagram and list below is rendered from the declarations in "
        "`bigaccount.cycles`. Criteria marked *inferred* fill in where the source "
        "documents are cut off.",
        "",
    ]
    for name in _BUILTIN:
        cycle = get_cycle(name)
        lines.append(f"- [{_both(cycle.label)}](#{name}) — `get_cycle({name!r})`")
    lines.append("")
    for name in _BUILTIN:
        lines.append(f'<a id="{name}"></a>')
        lines.append("")
        lines.extend(_cycle(get_cycle(name)))
    lines.extend(_value_chain())
    return "\n".join(lines).rstrip("\n") + "\n"
