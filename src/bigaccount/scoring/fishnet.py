"""The fishing-net map (渔网图) of an account's key people, as data and as mermaid text.

The map is the org chart overlaid with our relationships: one node per person (level,
function, role, rung, attitude, effective depth after decay) and two kinds of edges,
reporting lines and "who influences whom". P4 asks for a *complete* map; the
completeness rules are listed on :func:`fishnet`. No personal data is read or shown.

>>> from bigaccount.people import BuyingCenter, Influence, Stakeholder
>>> from bigaccount.scoring.fishnet import fishnet, to_mermaid
>>> center = BuyingCenter(
...     (Stakeholder("ceo", "王强", "decision", "other", "decision_maker", rung="familiar",
...                  attitude="neutral", title="总经理"),
...      Stakeholder("cio", "李娜", "management", "technical", "influencer",
...                  rung="trusting", attitude="supporter", reports_to="ceo")),
...     (Influence("cio", "ceo"),),
... )
>>> net = fishnet(center)
>>> net.complete
False
>>> [p.text("en") for p in net.problems]
['nobody mapped at operational level']
>>> print(to_mermaid(net, lang="en"))
flowchart TD
    subgraph L_decision["decision level"]
        p1["王强<br/>总经理<br/>familiar · neutral"]
    end
    subgraph L_management["management level"]
        p2["李娜<br/>trusting · supporter"]
    end
    p1 --> p2
    p2 -.->|influences| p1
    classDef supporter fill:#d9f2d9,stroke:#2e7d32
    classDef neutral fill:#eeeeee,stroke:#757575
    classDef opponent fill:#f9d6d5,stroke:#c62828
    class p2 supporter
    class p1 neutral
"""

from __future__ import annotations

import datetime as dt

from attrs import field, frozen

from .._validate import (
    Rule,
    as_float,
    day,
    flag,
    many_of,
    member,
    non_negative,
    optional_text,
    text,
    to_tuple,
    trusted,
    unit,
)
from ..errors import InvalidData
from ..labels import Label, LabelledEnum, Lang, label_members
from ..people import (
    Attitude,
    BuyingCenter,
    BuyingRole,
    Function,
    Level,
    Rung,
    Stakeholder,
    _attitude,
    _function,
    _level,
    _role,
    _rung,
)
from .relationship import DEFAULT_DECAY, DecayPolicy, freshness

__all__ = ["EdgeKind", "FishnetEdge", "FishnetMap", "FishnetNode", "fishnet", "to_mermaid"]


class EdgeKind(LabelledEnum):
    """The kinds of edge on the map."""

    REPORTS_TO = "reports_to"
    INFLUENCES = "influences"


label_members(
    EdgeKind,
    {
        EdgeKind.REPORTS_TO: Label("汇报给", "reports to"),
        EdgeKind.INFLUENCES: Label("影响", "influences"),
    },
)


def _edge_kind(value: object) -> EdgeKind:
    return member(EdgeKind, value, "kind")


def _plain_day(value: object, field: str) -> object:
    if isinstance(value, dt.datetime):
        raise InvalidData(field, f"expected a date, got {value!r}")
    return day(value, field)


@frozen
class FishnetNode:
    """One person on the map (no personal data).

    ``depth`` is the person's depth after decay; ``stale`` says it counts for less than
    its rung (no contact for too long, or no contact date recorded).
    """

    id: str = field(validator=Rule(text))
    name: str = field(validator=Rule(text))
    title: str | None = field(validator=Rule(optional_text))
    level: Level = field(converter=_level)
    function: Function = field(converter=_function)
    role: BuyingRole = field(converter=_role)
    attitude: Attitude = field(converter=_attitude)
    rung: Rung = field(converter=_rung)
    influence: float = field(converter=as_float, validator=Rule(non_negative))
    last_contact: dt.date | None = field(validator=Rule(_plain_day))
    depth: float = field(converter=as_float, validator=Rule(unit))
    stale: bool = field(validator=Rule(flag))


@frozen
class FishnetEdge:
    """An edge: ``source`` reports to, or influences, ``target``."""

    source: str = field(validator=Rule(text))
    target: str = field(validator=Rule(text))
    kind: EdgeKind = field(converter=_edge_kind)

    def __attrs_post_init__(self) -> None:
        if self.source == self.target:
            raise InvalidData("target", f"{self.source!r} cannot {self.kind.value} themself")


@frozen
class FishnetMap:
    """The fishing-net map: nodes (decision level first, then by id), edges (sorted),
    and what keeps it from being complete.

    Attributes:
        nodes: one per person.
        edges: reporting lines (person → boss) and influences (source → target).
        problems: why the map is not complete, in words (empty when complete).
        no_data: ``True`` when nobody is on the map.
    """

    nodes: tuple[FishnetNode, ...] = field(converter=to_tuple, validator=Rule(many_of(FishnetNode)))
    edges: tuple[FishnetEdge, ...] = field(converter=to_tuple, validator=Rule(many_of(FishnetEdge)))
    problems: tuple[Label, ...] = field(converter=to_tuple, validator=Rule(many_of(Label)))
    no_data: bool = field(validator=Rule(flag))

    def __attrs_post_init__(self) -> None:
        ids = {node.id for node in self.nodes}
        if len(ids) != len(self.nodes):
            raise InvalidData("nodes", "a person's id is used twice")
        for i, edge in enumerate(self.edges):
            for end in (edge.source, edge.target):
                if end not in ids:
                    raise InvalidData(f"edges[{i}]", f"{end!r} is not a node of the map")

    @property
    def complete(self) -> bool:
        """Whether the map is complete (no problems)."""
        return not self.problems


_LEVEL_ORDER = {level: i for i, level in enumerate(Level)}


def fishnet(
    center: BuyingCenter,
    as_of: dt.date | dt.datetime | None = None,
    decay: DecayPolicy = DEFAULT_DECAY,
) -> FishnetMap:
    """The fishing-net map of *center*.

    The map is complete when all of these hold (each failure is one problem):

    1. someone is mapped at every level (decision, management, operational);
    2. at least one decision-maker is identified;
    3. our rung is known for every person;
    4. the org chart is one tree: everyone but one person reports to someone on the map.

    Raises:
        InvalidData: *center* is not a :class:`~bigaccount.people.BuyingCenter`.
    """
    if not isinstance(center, BuyingCenter):
        raise InvalidData("center", f"expected a BuyingCenter, got {center!r}")
    nodes = tuple(
        sorted(
            (_node(p, freshness(p, as_of, decay)) for p in center),
            key=lambda n: (_LEVEL_ORDER[n.level], n.id),
        )
    )
    edges = [
        trusted(FishnetEdge, p.id, p.reports_to, EdgeKind.REPORTS_TO)
        for p in center
        if p.reports_to is not None
    ]
    edges += [
        trusted(FishnetEdge, e.source, e.target, EdgeKind.INFLUENCES) for e in center.influences
    ]
    edges.sort(key=lambda e: (e.kind is EdgeKind.INFLUENCES, e.source, e.target))
    return trusted(FishnetMap, nodes, tuple(edges), _problems(center), len(center) == 0)


def _node(person: Stakeholder, fresh: float) -> FishnetNode:
    """The node of a checked *person* whose relationship has freshness *fresh*.

    Built without the class's checks: every value comes from the person, checked when
    they were built, and the depth ``rung.depth × fresh`` lies in [0, 1].
    """
    node: FishnetNode = object.__new__(FishnetNode)
    put = object.__setattr__
    put(node, "id", person.id)
    put(node, "name", person.name)
    put(node, "title", person.title)
    put(node, "level", person.level)
    put(node, "function", person.function)
    put(node, "role", person.role)
    put(node, "attitude", person.attitude)
    put(node, "rung", person.rung)
    put(node, "influence", person.influence)
    put(node, "last_contact", person.last_contact)
    put(node, "depth", person.rung.depth * fresh)
    put(node, "stale", fresh < 1.0)
    return node


def _problems(center: BuyingCenter) -> tuple[Label, ...]:
    if len(center) == 0:
        return (Label("渔网图上没有任何人", "nobody is on the map"),)
    found: list[Label] = []
    for level in Level:
        if not any(p.level is level for p in center):
            found.append(Label(f"{level.label.zh}尚无人员", f"nobody mapped at {level.label.en}"))
    if not any(p.role is BuyingRole.DECISION_MAKER for p in center):
        found.append(Label("尚未确定决策者", "no decision-maker identified"))
    unknown = sorted(p.id for p in center if p.rung is Rung.UNKNOWN)
    if unknown:
        ids = ", ".join(unknown)
        found.append(Label(f"关系程度未知：{ids}", f"relationship unknown with: {ids}"))
    roots = sorted(p.id for p in center if p.reports_to is None)
    if len(roots) > 1:
        ids = ", ".join(roots)
        found.append(
            Label(
                f"组织图未连成一体，无上级的人员：{ids}",
                f"org chart not joined up; no boss on the map for: {ids}",
            )
        )
    return tuple(found)


_CLASSES = (
    (Attitude.SUPPORTER, "fill:#d9f2d9,stroke:#2e7d32"),
    (Attitude.NEUTRAL, "fill:#eeeeee,stroke:#757575"),
    (Attitude.OPPONENT, "fill:#f9d6d5,stroke:#c62828"),
)
_STALE = Label("久未联系", "stale")
_UNDATED = Label("未记录联系日期", "no contact date")


def _quote(text: str) -> str:
    return (
        text.replace("&", "#amp;")
        .replace('"', "#quot;")
        .replace("<", "#lt;")
        .replace(">", "#gt;")
        .replace("\n", " ")
    )


def _number(node_id: str) -> int:
    return int(node_id[1:])


def to_mermaid(net: FishnetMap, lang: Lang | str | None = None) -> str:
    """Render *net* as a mermaid flowchart: one subgraph per level (decision on top),
    bosses above their reports (solid arrows), influence as dotted arrows, and nodes
    coloured by attitude. Labels are in *lang* (default: the current language)."""
    if not isinstance(net, FishnetMap):
        raise InvalidData("net", f"expected a FishnetMap, got {net!r}")
    ids = {node.id: f"p{i}" for i, node in enumerate(net.nodes, start=1)}
    lines = ["flowchart TD"]
    for level in Level:
        members = [n for n in net.nodes if n.level is level]
        if not members:
            continue
        lines.append(f'    subgraph L_{level.value}["{_quote(level.label.text(lang))}"]')
        for node in members:
            parts = [node.name]
            if node.title:
                parts.append(node.title)
            status = f"{node.rung.label.text(lang)} · {node.attitude.label.text(lang)}"
            if node.stale:
                note = _STALE if node.last_contact is not None else _UNDATED
                status += f" · {note.text(lang)}"
            parts.append(status)
            text = "<br/>".join(_quote(part) for part in parts)
            lines.append(f'        {ids[node.id]}["{text}"]')
        lines.append("    end")
    reporting = sorted(
        (_number(ids[e.target]), _number(ids[e.source]))
        for e in net.edges
        if e.kind is EdgeKind.REPORTS_TO
    )
    lines += [f"    p{boss} --> p{report}" for boss, report in reporting]
    influencing = sorted(
        (_number(ids[e.source]), _number(ids[e.target]))
        for e in net.edges
        if e.kind is EdgeKind.INFLUENCES
    )
    word = _quote(EdgeKind.INFLUENCES.label.text(lang))
    lines += [f"    p{source} -.->|{word}| p{target}" for source, target in influencing]
    for attitude, style in _CLASSES:
        lines.append(f"    classDef {attitude.value} {style}")
    for attitude, _ in _CLASSES:
        names = [ids[n.id] for n in net.nodes if n.attitude is attitude]
        if names:
            lines.append(f"    class {','.join(names)} {attitude.value}")
    return "\n".join(lines)
