"""Hypothesis strategies for the engine's values: labels, money, criteria, gates, cycles, deals.

Every value drawn is valid — built through the public constructors, so every check
they make holds — and small: a cycle has at most eight stages, a deal's history at
most a couple of dozen moves. Deals standing in a stage are built by real moves
(:func:`deals_in`), never by hand, so their log replays and their gates held.

>>> from hypothesis import given
>>> from bigaccount import get_cycle
>>> from bigaccount.testing import deals_in
>>> @given(deals_in(get_cycle("funnel"), states=["APPROVED"]))
... def test_an_approved_deal_has_a_history(deal):
...     assert deal.state("funnel") == "APPROVED"
...     assert deal.tracks["funnel"].history[0].source is None
>>> test_an_approved_deal_has_a_history()
"""

from __future__ import annotations

import datetime as dt
import functools
from collections import deque
from collections.abc import Iterable, Sequence
from decimal import Decimal

from hypothesis import strategies as st

from ..context import Context
from ..cycle import (
    BulkReplay,
    Cycle,
    CycleKind,
    Guidance,
    MoveCheck,
    Route,
    Stage,
    Step,
    SuccessMarker,
    Transition,
    TransitionTable,
)
from ..deal import Account, Deal
from ..errors import InvalidData
from ..evidence import Evidence, Fact, FactChange, FactValue, Snapshot
from ..gates import OPEN, AtLeast, BySegment, Criterion, Gate, GateKind, GateReport, StageBlocked
from ..labels import Label
from ..money import Money
from ..registry import cycle_names, get_cycle
from ..segment import Segment
from ..track import NEEDS_REASON, START, Move, StageChange, Track
from .evidence import fact_values as _near_values
from .evidence import holding_facts

__all__ = [
    "CRITERIA_POOL",
    "EPOCH",
    "FACT_POOL",
    "VALUE_POOL",
    "FixedClock",
    "accounts",
    "any_cycles",
    "any_deals",
    "aware_datetimes",
    "built_in_cycles",
    "bulk_replays",
    "contexts",
    "counting_gates",
    "criteria",
    "cycles",
    "deals",
    "deals_in",
    "evidence",
    "fact_changes",
    "fact_maps",
    "fact_values",
    "facts",
    "gate_reports",
    "gates",
    "guidance",
    "identifiers",
    "labels",
    "money",
    "move_checks",
    "routes",
    "segment_gates",
    "snapshots",
    "stage_changes",
    "stages",
    "steps",
    "success_markers",
    "texts",
    "tracks",
    "transition_tables",
    "transitions",
]

EPOCH = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)
"""The time at which :func:`deals` establishes its facts and :func:`deals_in` starts."""

FACT_POOL: tuple[Criterion, ...] = tuple(
    Criterion.fact(f"f{i}", f"事实{i}", f"fact {i}") for i in range(6)
)
"""The yes/no criteria used by :func:`gates` and :func:`cycles` by default."""

VALUE_POOL: tuple[Criterion, ...] = (
    Criterion.compare(
        "budget_ok",
        "预算不少于100万元",
        "budget of at least 1m CNY",
        fact="budget",
        op=">=",
        value=Money("1000000", "CNY"),
    ),
    Criterion.compare(
        "seats_many", "席位多于50个", "more than 50 seats", fact="seats", op=">", value=50
    ),
    Criterion.within(
        "decision_soon", "30天内决策", "decision within 30 days", fact="decision_date", days=30
    ),
)
"""Value criteria (an amount, a count, a date within 30 days), for richer cycles."""

CRITERIA_POOL: tuple[Criterion, ...] = FACT_POOL + VALUE_POOL
"""The yes/no and the value criteria together: what ``st.from_type(Cycle)`` draws from."""

_PLAIN = Context()
"""The context the strategies move deals in: no settings, no clock, no as-of date."""


@functools.cache
def texts(max_size: int = 12) -> st.SearchStrategy[str]:
    """Non-blank text of any script (no control characters or lone surrogates)."""
    return st.text(
        alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")),
        min_size=1,
        max_size=max_size,
    ).filter(lambda s: bool(s.strip()))


@functools.cache
def identifiers() -> st.SearchStrategy[str]:
    """Python-style identifiers such as ``"P3"`` or ``"budget_known"`` (what ids must be)."""
    return st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,10}", fullmatch=True)


@functools.cache
def labels() -> st.SearchStrategy[Label]:
    """Bilingual labels with non-empty text."""
    return st.builds(Label, texts(), texts())


@functools.cache
def money(currencies: tuple[str, ...] = ("CNY", "USD", "EUR")) -> st.SearchStrategy[Money]:
    """Exact amounts with two decimal places in one of *currencies*."""
    amounts = st.decimals(
        min_value=Decimal("-1e12"), max_value=Decimal("1e12"), places=2, allow_nan=False
    )
    return st.builds(Money, amounts, st.sampled_from(currencies))


@functools.cache
def _amounts(currencies: tuple[str, ...] = ("CNY", "USD", "EUR")) -> st.SearchStrategy[Money]:
    return money(currencies).map(lambda m: m if m.amount >= 0 else -m)


@functools.cache
def aware_datetimes() -> st.SearchStrategy[dt.datetime]:
    """Timezone-aware datetimes (UTC or a fixed offset)."""
    zones = st.sampled_from(
        [dt.timezone.utc, dt.timezone(dt.timedelta(hours=8)), dt.timezone(dt.timedelta(hours=-5))]
    )
    return st.datetimes(
        min_value=dt.datetime(2000, 1, 1), max_value=dt.datetime(2100, 1, 1), timezones=zones
    )


_dates = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2100, 1, 1))


@functools.cache
def fact_values() -> st.SearchStrategy[FactValue]:
    """Any value a fact may hold: yes, a number, money, a date or time, a text."""
    return st.one_of(
        st.just(True),
        st.integers(-(10**9), 10**9),
        st.floats(-1e9, 1e9, allow_nan=False),
        st.decimals(min_value=-(10**9), max_value=10**9, places=4, allow_nan=False),
        money(),
        _dates,
        aware_datetimes(),
        texts(),
    )


# -- criteria and gates ----------------------------------------------------------------


@functools.cache
def _criterion_ids() -> st.SearchStrategy[str]:
    return st.from_regex(r"[A-Za-z_][A-Za-z0-9_.:-]{0,10}", fullmatch=True)


@st.composite
def _comparisons(draw: st.DrawFn) -> Criterion:
    label = draw(labels())
    threshold = draw(
        st.one_of(
            st.integers(-1000, 1000),
            st.decimals(min_value=-1000, max_value=1000, places=2, allow_nan=False),
            _amounts(),
            _dates,
            texts(),
        )
    )
    op = draw(st.sampled_from((">=", ">", "<=", "<", "==", "!=")))
    return Criterion.compare(
        draw(_criterion_ids()),
        label.zh,
        label.en,
        fact=draw(_criterion_ids()),
        op=op,
        value=threshold,
    )


@st.composite
def _windows(draw: st.DrawFn) -> Criterion:
    label = draw(labels())
    return Criterion.within(
        draw(_criterion_ids()),
        label.zh,
        label.en,
        fact=draw(_criterion_ids()),
        days=draw(st.integers(0, 365)),
    )


@functools.cache
def criteria() -> st.SearchStrategy[Criterion]:
    """Criteria of every declarable kind: a yes/no fact, a comparison, a date within N days."""
    facts = st.builds(
        lambda i, label, inferred: Criterion.fact(i, label.zh, label.en, inferred=inferred),
        _criterion_ids(),
        labels(),
        st.booleans(),
    )
    return st.one_of(facts, _comparisons(), _windows())


@functools.cache
def _at_least(pool: tuple[Criterion, ...]) -> st.SearchStrategy[AtLeast]:
    @st.composite
    def build(draw: st.DrawFn) -> AtLeast:
        chosen = draw(st.lists(st.sampled_from(pool), unique_by=lambda c: c.id, max_size=len(pool)))
        n = draw(st.integers(0, len(chosen)))
        return AtLeast(n, tuple(chosen))

    return build()


@functools.cache
def gates(pool: tuple[Criterion, ...] = FACT_POOL) -> st.SearchStrategy[Gate]:
    """Well-formed gates over *pool*: at-least-n-of-m rules, sometimes chosen by segment."""
    simple = _at_least(pool)
    return st.one_of(simple, simple, segment_gates(pool))


@functools.cache
def counting_gates(pool: tuple[Criterion, ...] = CRITERIA_POOL) -> st.SearchStrategy[AtLeast]:
    """At-least-n-of-m gates over *pool* (all of, any of, and everything in between)."""
    return _at_least(pool)


@functools.cache
def segment_gates(pool: tuple[Criterion, ...] = CRITERIA_POOL) -> st.SearchStrategy[BySegment]:
    """Gates whose rule depends on the customer's segment, one counting rule per segment."""
    simple = _at_least(pool)
    return st.builds(
        lambda a, b, c: BySegment({Segment.SME: a, Segment.ENTERPRISE: b, Segment.GOVERNMENT: c}),
        simple,
        simple,
        simple,
    )


# -- declarations ----------------------------------------------------------------------


@functools.cache
def steps() -> st.SearchStrategy[Step]:
    """A numbered step of a stage with a rule or two."""
    return st.builds(Step, labels(), st.lists(labels(), max_size=2).map(tuple))


@functools.cache
def success_markers() -> st.SearchStrategy[SuccessMarker]:
    """The three-part success marker of a stage."""
    return st.builds(SuccessMarker, labels(), labels(), labels())


@functools.cache
def guidance(pool: tuple[Criterion, ...] = FACT_POOL) -> st.SearchStrategy[Guidance]:
    """A stage's guidance: a description, a few activities, steps and signals from *pool*."""
    few = st.lists(labels(), max_size=2).map(tuple)
    return st.builds(
        Guidance,
        description=st.none() | labels(),
        customer_action=st.none() | labels(),
        activities=few,
        steps=st.lists(steps(), max_size=2).map(tuple),
        success=st.none() | success_markers(),
        mistakes=few,
        checklist=few,
        signals=st.lists(st.sampled_from(pool), unique_by=lambda c: c.id, max_size=2).map(tuple),
    )


_stage_ids = identifiers().filter(lambda s: s not in ("WON", "LOST", "STALLED"))


@functools.cache
def stages(pool: tuple[Criterion, ...] = FACT_POOL) -> st.SearchStrategy[Stage]:
    """A stage on its own: id, label, probability, entry and exit gates over *pool*."""
    return st.builds(
        Stage,
        _stage_ids,
        labels(),
        st.none() | st.floats(0, 1),
        gates(pool),
        guidance(pool),
        st.none() | labels(),
        st.none() | labels(),
        exit=gates(pool),
    )


@functools.cache
def routes(pool: tuple[Criterion, ...] = FACT_POOL) -> st.SearchStrategy[Route]:
    """A declared route on its own (its trigger is never one of the standard moves)."""
    return st.builds(
        Route,
        identifiers().map(lambda s: "route_" + s),
        _stage_ids,
        _stage_ids,
        labels(),
        gates(pool),
    )


@st.composite
def cycles(
    draw: st.DrawFn,
    kinds: tuple[CycleKind, ...] = tuple(CycleKind),
    max_stages: int = 8,
    pool: tuple[Criterion, ...] = FACT_POOL,
    max_routes: int = 0,
) -> Cycle:
    """Valid cycles of random kind, length, probabilities, entry and exit gates.

    Gates read the criteria of *pool*; up to *max_routes* declared routes join random
    stages (a stage to itself included), each guarded by a gate of its own.
    """
    kind = draw(st.sampled_from(kinds))
    n = draw(st.integers(2 if kind is CycleKind.WHEEL else 1, max(max_stages, 2)))
    probabilities: list[float | None]
    if kind is CycleKind.PIPELINE:
        probabilities = [*sorted(draw(st.lists(st.floats(0, 1), min_size=n, max_size=n)))]
    else:
        probabilities = [None] * n
    stage_list = tuple(
        Stage(
            f"S{i}",
            draw(labels()),
            probabilities[i],
            draw(gates(pool)),
            exit=draw(gates(pool)) if draw(st.booleans()) else OPEN,
        )
        for i in range(n)
    )
    ids = [s.id for s in stage_list]
    route_list = tuple(
        Route(
            f"route{i}",
            draw(st.sampled_from(ids)),
            draw(st.sampled_from(ids)),
            draw(labels()),
            draw(gates(pool)),
        )
        for i in range(draw(st.integers(0, max_routes)))
    )
    return Cycle(
        "random",
        Label("随机", "random"),
        kind,
        stage_list,
        route_list,
        allow_jump=draw(st.booleans()),
        allow_regress=draw(st.booleans()),
        win_gate=draw(gates(pool)) if kind is CycleKind.PIPELINE else OPEN,
    )


def built_in_cycles() -> st.SearchStrategy[Cycle]:
    """One of the registered cycles (the built-in ones and any registered since)."""
    return st.sampled_from(cycle_names()).map(get_cycle)


def any_cycles() -> st.SearchStrategy[Cycle]:
    """A registered cycle, or a random one with value criteria and routes."""
    return st.one_of(built_in_cycles(), cycles(pool=CRITERIA_POOL, max_routes=2))


def transitions() -> st.SearchStrategy[Transition]:
    """A move of a compiled cycle, with the gates on its way."""
    return any_cycles().flatmap(lambda c: st.sampled_from(c.transitions))


def transition_tables() -> st.SearchStrategy[TransitionTable]:
    """The plain transition table of a cycle."""
    return any_cycles().map(lambda c: c.table)


# -- evidence --------------------------------------------------------------------------


@functools.cache
def fact_maps(pool: tuple[Criterion, ...] = FACT_POOL) -> st.SearchStrategy[dict[str, bool]]:
    """Random truth values for the facts of *pool*."""
    return st.fixed_dictionaries({c.id: st.booleans() for c in pool})


@functools.cache
def facts() -> st.SearchStrategy[Fact]:
    """A fact with a value of any kind and, sometimes, its provenance."""
    return st.builds(
        Fact,
        _criterion_ids(),
        fact_values(),
        at=st.none() | aware_datetimes(),
        by=st.none() | texts(),
        source=st.none() | texts(),
    )


@functools.cache
def fact_changes() -> st.SearchStrategy[FactChange]:
    """A fact established (with a value) or retracted (``None``)."""
    return st.builds(
        FactChange,
        _criterion_ids(),
        st.none() | fact_values(),
        aware_datetimes(),
        st.none() | texts(),
        st.none() | texts(),
    )


@st.composite
def snapshots(draw: st.DrawFn, pool: tuple[Criterion, ...] = CRITERIA_POOL) -> Snapshot:
    """Evidence as plain data: facts read by *pool*'s criteria, near their thresholds.

    No people are mapped and no competitors listed, so relationship and competitor
    criteria read the facts of their own ids.
    """
    chosen = draw(st.lists(st.sampled_from(pool), unique_by=lambda c: c.id, max_size=len(pool)))
    values: dict[str, FactValue] = {}
    for criterion in chosen:
        key, value = draw(_near_values(criterion, EPOCH))
        values.setdefault(key, value)
    return Snapshot.of(values, segment=draw(st.none() | st.sampled_from(Segment)))


def evidence() -> st.SearchStrategy[Evidence]:
    """Anything criteria may read: a snapshot of facts, or a deal."""
    return st.one_of(snapshots(), any_deals())


class FixedClock:
    """A clock that always tells the same time (for contexts drawn with a clock)."""

    __slots__ = ("at",)

    def __init__(self, at: dt.datetime) -> None:
        self.at = at

    def __call__(self) -> dt.datetime:
        return self.at

    def __repr__(self) -> str:
        return f"FixedClock({self.at.isoformat()})"


@functools.cache
def contexts() -> st.SearchStrategy[Context]:
    """Evaluation contexts: an as-of moment or none, a moment, thresholds, a fixed clock."""
    from ..people import Rung
    from ..people_criteria import RelationshipThresholds

    thresholds = st.builds(
        RelationshipThresholds, st.sampled_from(Rung), st.sampled_from(Rung)
    ).map(lambda t: [t])
    return st.builds(
        Context,
        st.none() | aware_datetimes() | _dates,
        st.just(()) | thresholds,
        st.none() | aware_datetimes().map(FixedClock),
        moment=st.none() | aware_datetimes(),
    )


# -- deals -----------------------------------------------------------------------------


@functools.cache
def accounts() -> st.SearchStrategy[Account]:
    """Accounts of every segment."""
    return st.builds(
        Account,
        texts(),
        st.sampled_from(Segment),
        st.none() | texts(),
        st.none() | identifiers(),
    )


_deal_ids = st.text(alphabet="ABCDEFGHJK0123456789-", min_size=1, max_size=10).filter(
    lambda s: bool(s.strip())
)


def _deal(id: str, account: Account, amount: Money, facts: dict[str, bool]) -> Deal:
    deal = Deal(id, account, amount)
    held = [key for key, flag in facts.items() if flag]
    if held:
        deal.establish(*held, at=EPOCH)
    return deal


@functools.cache
def deals(pool: tuple[Criterion, ...] = FACT_POOL) -> st.SearchStrategy[Deal]:
    """Fresh deals (no tracks yet) whose random facts over *pool* hold since :data:`EPOCH`."""
    return st.builds(_deal, _deal_ids, accounts(), _amounts(), fact_maps(pool))


def _paths(cycle: Cycle, target: str) -> dict[str, int]:
    """How many moves each state needs to reach *target* (states that cannot are left out)."""
    into: dict[str, list[str]] = {}
    for t in cycle.transitions:
        if t.move is not Move.ENTER:
            into.setdefault(t.dest, []).append(t.source)
    distance = {target: 0}
    queue = deque([target])
    while queue:
        state = queue.popleft()
        for source in into.get(state, ()):
            if source not in distance:
                distance[source] = distance[state] + 1
                queue.append(source)
    return distance


def _gate_of(gate: Gate, segment: Segment) -> AtLeast | None:
    chosen = gate.gate_for(segment) if isinstance(gate, BySegment) else gate
    return chosen if isinstance(chosen, AtLeast) else None


def _prepare(draw: st.DrawFn, deal: Deal, step: Transition, at: dt.datetime) -> None:
    """Record facts so that the gates on *step*'s way pass (at least as many as each needs)."""
    for _, _, gate in step.gates:
        rule = _gate_of(gate, deal.segment)
        if rule is None:
            continue
        order = draw(st.permutations(rule.criteria))
        extra = draw(st.integers(0, len(order) - rule.n))
        for criterion in order[: rule.n + extra]:
            if criterion.holds(deal, Context(moment=at)):
                continue
            needed = holding_facts(criterion, at)
            for key, value in (needed or {}).items():
                deal.record(key, value, at=at, context=_PLAIN)


def _make(draw: st.DrawFn, deal: Deal, cycle: Cycle, step: Transition, at: dt.datetime) -> None:
    reason = "记录在案 / on record" if step.move in NEEDS_REASON else None
    _prepare(draw, deal, step, at)
    try:
        deal.move(cycle, step.trigger, at=at, reason=reason, context=_PLAIN)
    except StageBlocked:
        deal.move(
            cycle, step.trigger, at=at, reason=reason, imported=True, source="crm", context=_PLAIN
        )


@st.composite
def deals_in(
    draw: st.DrawFn,
    cycle: Cycle | str,
    states: Iterable[str] | None = None,
    *,
    max_moves: int = 12,
) -> Deal:
    """Deals standing in one of *states* of *cycle* (any state by default), with a history.

    The history is made of real moves from the start: a few random moves that keep
    the target in reach (advancing, stepping back, jumping, looping), then the shortest
    way there. Before each move the facts its gates read are recorded (see
    :func:`~bigaccount.testing.evidence.holding_facts`), at least as many as each gate
    needs; a move whose gates still do not pass (a criterion the kit cannot satisfy) is
    recorded as imported. Some deals begin with an imported entry straight into the
    state, as a CRM's would. Times start at :data:`EPOCH` (plus up to a year) and move
    forward by minutes to days.

    Raises:
        InvalidData: *states* names a state that is not one of *cycle*'s.
    """
    c = cycle if isinstance(cycle, Cycle) else get_cycle(cycle)
    wanted = tuple(c.states if states is None else states)
    unknown = [s for s in wanted if s not in c.states]
    if not wanted or unknown:
        raise InvalidData("states", f"{c.name} has no state(s) {unknown or 'given'}")
    target = draw(st.sampled_from(wanted))
    deal = Deal(draw(_deal_ids), draw(accounts()), draw(_amounts()))
    at = EPOCH + dt.timedelta(minutes=draw(st.integers(0, 525_600)))
    distance = _paths(c, target)
    if START not in distance or draw(st.integers(0, 4)) == 0:
        deal.enter(c, target, at=at, source="crm", context=_PLAIN)
        return deal
    outgoing: dict[str, list[Transition]] = {}
    for t in c.transitions:
        if t.move is not Move.ENTER and t.dest in distance:
            outgoing.setdefault(t.source, []).append(t)
    state = START
    wander = draw(st.integers(0, max_moves))
    moves = 0
    try:
        while state != target or moves < wander:
            options = outgoing.get(state, [])
            if moves >= wander:
                options = [t for t in options if distance[t.dest] < distance[state]]
            if not options:
                break
            step = draw(st.sampled_from(options))
            at += dt.timedelta(minutes=draw(st.sampled_from((0, 5, 60, 1440, 10080))))
            _make(draw, deal, c, step, at)
            state = step.dest
            moves += 1
    except InvalidData:
        # facts of two kinds under one id (two criteria reading it differently):
        # such a cycle's deals are entered as imported instead
        deal = Deal(deal.id, deal.account, deal.amount)
        deal.enter(c, target, at=at, source="crm", context=_PLAIN)
    return deal


def any_deals() -> st.SearchStrategy[Deal]:
    """A fresh deal, or one standing anywhere in a registered cycle (see :func:`deals_in`)."""
    return st.one_of(deals(), built_in_cycles().flatmap(deals_in))


def tracks() -> st.SearchStrategy[Track]:
    """A track of a registered cycle, standing anywhere, made by real moves."""
    return built_in_cycles().flatmap(_track_in)


def _track_in(cycle: Cycle) -> st.SearchStrategy[Track]:
    return deals_in(cycle).map(lambda deal: deal.tracks[cycle.name])


def stage_changes() -> st.SearchStrategy[StageChange]:
    """A stage-change event of a track made by real moves (imported ones included)."""
    return tracks().flatmap(lambda t: st.sampled_from(t.history))


# -- what the engine answers -----------------------------------------------------------


def _judging(draw: st.DrawFn) -> tuple[Cycle, Snapshot, Context]:
    cycle = draw(any_cycles())
    evidence = draw(snapshots(CRITERIA_POOL))
    if evidence.segment is None:
        evidence = Snapshot(evidence.facts, draw(st.sampled_from(Segment)))
    return cycle, evidence, Context(moment=draw(aware_datetimes()))


@st.composite
def gate_reports(draw: st.DrawFn) -> GateReport:
    """The report of a gate of a cycle evaluated on drawn evidence."""
    cycle, evidence, context = _judging(draw)
    stage = draw(st.sampled_from(cycle.stages))
    kind, gate = draw(st.sampled_from([(GateKind.ENTRY, stage.entry), (GateKind.EXIT, stage.exit)]))
    return gate.evaluate(evidence, context, stage.id, kind)


@st.composite
def move_checks(draw: st.DrawFn) -> MoveCheck:
    """The answer to "may this move be made?" for a state and a trigger of a cycle."""
    cycle, evidence, context = _judging(draw)
    state = draw(st.sampled_from((START, *cycle.states)))
    trigger = draw(st.sampled_from(sorted({t.trigger for t in cycle.transitions})))
    return cycle.check(evidence, trigger, state=state, context=context)


@st.composite
def bulk_replays(draw: st.DrawFn) -> BulkReplay:
    """The result of replaying a few stage-change rows (some that do not follow)."""
    cycle = draw(any_cycles())
    states: Sequence[str | None] = (None, *cycle.states)
    rows = draw(
        st.lists(
            st.tuples(
                st.sampled_from(("o1", "o2", "o3")),
                st.sampled_from(states),
                st.sampled_from(cycle.states),
            ),
            max_size=8,
        )
    )
    return cycle.table.replay_states(rows, enter_anywhere=draw(st.booleans()))
