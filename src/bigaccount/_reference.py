"""The reference page of the built-in method, rendered from its data files.

:func:`render_reference` builds ``docs/reference/cycles.md`` from the files the library
ships (``bigaccount/cycles/data/``), as loaded: for every built-in cycle a mermaid
diagram, a table of its stages and the guidance of each stage with the catalogues it
shows, then the value chain, then every guidance catalogue in full. The committed page
is checked against a fresh rendering, so it cannot drift from the data.
"""

from __future__ import annotations

from collections.abc import Iterator

from .catalogues import Catalogue, Entry, catalogue_ids, get_catalogue
from .cycle import Cycle, Guidance, Stage
from .diagrams import markdown_table, mermaid
from .labels import Label
from .registry import BUILTIN, get_cycle
from .valuechain import value_chain

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
_CATALOGUES = Label("指导目录", "Guidance catalogues")
_INFERRED = Label("推断", "inferred")
_STATED = Label("原文所述", "as the source places it")
_SHOWN_AT = Label("出现于", "Shown at")


def _both(label: Label) -> str:
    return f"{label.zh} / {label.en}"


def _anchor(catalogue: Catalogue) -> str:
    return f"catalogue-{catalogue.id}"


def _link(catalogue: Catalogue) -> str:
    return f"[{_both(catalogue.title)}](#{_anchor(catalogue)}) (`{catalogue.id}`)"


def _guidance(cycle: Cycle, stage: Stage) -> Iterator[str]:
    guidance: Guidance = stage.guidance
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
    if guidance.catalogues:
        yield f"**{_both(_CATALOGUES)}**"
        yield ""
        for catalogue in (get_catalogue(i) for i in guidance.catalogues):
            stated = catalogue.stated_for(cycle.name, stage.id)
            yield f"- {_link(catalogue)}" + ("" if stated else f" *({_both(_INFERRED)})*")
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
        yield from _guidance(cycle, stage)


def _value_chain() -> Iterator[str]:
    chain = value_chain()
    yield f'<a id="{chain.name}"></a>'
    yield ""
    yield f"## {_both(chain.label)}"
    yield ""
    if chain.description is not None:
        yield _both(chain.description)
        yield ""
    project = "—" if chain.project is None else chain.project.name
    yield (
        f"Column *i* holds a stage of `{chain.buyer.name}` (the buyer), of "
        f"`{chain.seller.name}` (the seller) and of `{project}` (the project): the seller "
        "acts in step with the buyer (`bigaccount.valuechain`)."
    )
    yield ""
    yield "| i | buyer | seller | project | win prob. | buyer does | seller does |"
    yield "| --- | --- | --- | --- | --- | --- | --- |"
    for column in chain.columns:
        stage = column.advancement
        p = None if stage is None else stage.probability
        yield (
            f"| {column.index} | `{column.decision.id}` {column.decision.label.zh} "
            f"| `{column.activity.id}` {column.activity.label.zh} "
            f"| {'—' if stage is None else f'`{stage.id}` {stage.label.zh}'} "
            f"| {'—' if p is None else f'{p:.0%}'} "
            f"| {_both(column.buyer)} | {_both(column.seller)} |"
        )
    yield ""
    if chain.warning is not None:
        yield f"Running ahead of the buyer, the common mistake: {_both(chain.warning)}."
        yield ""
    if chain.catalogues:
        yield f"**{_both(_CATALOGUES)}**"
        yield ""
        for key in chain.catalogues:
            yield f"- {_link(get_catalogue(key))}"
        yield ""


def _catalogue(catalogue: Catalogue) -> Iterator[str]:
    yield f'<a id="{_anchor(catalogue)}"></a>'
    yield ""
    yield f"### {_both(catalogue.title)} (`{catalogue.id}`)"
    yield ""
    yield f"{catalogue.source.capitalize()}."
    yield ""
    if catalogue.note is not None:
        mark = f"*{_both(_INFERRED)}*: " if catalogue.inferred else ""
        yield f"{mark}{_both(catalogue.note)}."
        yield ""
    elif catalogue.inferred:
        yield f"*{_both(_INFERRED)}*."
        yield ""
    places = [
        (name, stage.id)
        for name in BUILTIN
        for stage in get_cycle(name).stages
        if catalogue.id in stage.guidance.catalogues
    ]
    if places:
        shown = ", ".join(
            f"`{cycle}.{stage}`"
            + ("" if catalogue.stated_for(cycle, stage) else f" ({_INFERRED.en})")
            for cycle, stage in places
        )
        yield f"{_both(_SHOWN_AT)}: {shown}."
        yield ""
    groups: list[tuple[Label | None, tuple[Entry, ...]]]
    if catalogue.groups:
        groups = [(g.label, catalogue.in_group(g.key)) for g in catalogue.groups]
    else:
        groups = [(None, catalogue.entries)]
    for title, entries in groups:
        if title is not None:
            yield f"**{_both(title)}**"
            yield ""
        for entry in entries:
            yield f"- `{entry.key}` {_both(entry.label)}"
            for detail in entry.details:
                yield f"    - {_both(detail)}"
        yield ""


def render_reference() -> str:
    """The reference page of every built-in cycle, the value chain and the catalogues."""
    lines = [
        "# Built-in cycles",
        "",
        "<!-- Generated from the library's data files (bigaccount/cycles/data/) by "
        "bigaccount._reference.render_reference(); do not edit by hand. -->",
        "",
        "Every table, diagram and list below is rendered from the data files the library "
        "ships, as loaded by `bigaccount.load_cycle`. Criteria, routes and catalogue "
        "attachments marked *inferred* fill in where the source documents are cut off or "
        "silent.",
        "",
    ]
    for name in BUILTIN:
        cycle = get_cycle(name)
        lines.append(f"- [{_both(cycle.label)}](#{name}) — `get_cycle({name!r})`")
    chain = value_chain()
    lines.append(f"- [{_both(chain.label)}](#{chain.name}) — `bigaccount.valuechain`")
    lines.append(f"- [{_both(_CATALOGUES)}](#catalogues) — `bigaccount.catalogues`")
    lines.append("")
    for name in BUILTIN:
        lines.append(f'<a id="{name}"></a>')
        lines.append("")
        lines.extend(_cycle(get_cycle(name)))
    lines.extend(_value_chain())
    lines.append('<a id="catalogues"></a>')
    lines.append("")
    lines.append(f"## {_both(_CATALOGUES)}")
    lines.append("")
    for key in catalogue_ids():
        lines.extend(_catalogue(get_catalogue(key)))
    return "\n".join(lines).rstrip("\n") + "\n"
