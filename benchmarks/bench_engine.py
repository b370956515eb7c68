"""Benchmark of the bigaccount engine against raw ``transitions`` and a hand-written table.

Run it by hand, never under pytest::

    python benchmarks/bench_engine.py            # full run (two to three minutes)
    python benchmarks/bench_engine.py --quick    # smaller run, under a minute
    python benchmarks/bench_engine.py --profile  # also profile a bigaccount move

Everything is measured in one run on two 8-stage guarded pipelines (every stage's
entry gate is "at least 2 of 3" criteria: yes/no facts in one, value comparisons in
the other) and printed as absolute numbers and as ratios, each ratio with its target.
See ``benchmarks/README.md``.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import functools
import gc
import io
import itertools
import operator
import os
import platform
import pstats
import random
import statistics
import sys
import time
import timeit
import tracemalloc
from collections.abc import Callable, Hashable, Iterable, Sequence
from importlib.metadata import version
from typing import Any, NamedTuple, TypeVar

from transitions import EventData, Machine

import bigaccount.cycle as cycle_module
import bigaccount.deal as deal_module
import bigaccount.gates as gates_module
import bigaccount.track as track_module
from bigaccount import (
    Account,
    Context,
    Criterion,
    Cycle,
    CycleKind,
    Deal,
    GateReport,
    Label,
    Money,
    RelationshipThresholds,
    Segment,
    Stage,
    StageChange,
    at_least,
    current_context,
    system_clock,
)
from bigaccount.evidence import FactValue
from bigaccount.people import Rung
from bigaccount.track import START, Move, Outcome, Track

T = TypeVar("T")

# -- targets (from the issue) and the anchors measured earlier on this machine ---------

TARGET_MOVE = 2.0
"""A guarded bigaccount move (lock, report, event) costs at most this many raw moves."""
TARGET_SETUP = 1.25
"""Set-up per deal with many live deals / with few: "constant", with room for noise."""
TARGET_REPLAY = 3.0
"""Bulk replay through the compiled table costs at most this many dict-loop rows."""

ANCHORS = (
    "dict table ~0.13 µs/move; raw shared transitions ~6.3 µs/move (48x the table)",
    "transitions Machine per deal ~210 µs set-up and ~17 kB",
    "add_model ~24 µs per deal, growing to ~835 µs as 100k are registered",
    "python-statemachine ~74 µs per move (not measured here)",
    "0.1 engine: deal.advance 1.65-1.93x a raw shared transitions move",
)


class Sizes(NamedTuple):
    move_deals: int  # deals moved start + 7 advances by each engine, per repeat
    move_repeats: int
    setup_batch: int  # deals set up per timed batch
    setup_repeats: int
    live_small: int
    live_large: int
    machine_batch: int  # a Machine per deal is slow: a smaller batch
    add_model_cap: int  # add_model is O(n) per call: the largest population registered
    add_model_batch: int
    memory_sample: int
    replay_rows: int
    replay_repeats: int


FULL = Sizes(500, 30, 500, 10, 1_000, 100_000, 300, 10_000, 300, 1_000, 500_000, 5)
QUICK = Sizes(500, 6, 200, 5, 1_000, 10_000, 100, 3_000, 100, 200, 100_000, 3)

UTC = dt.timezone.utc
T_FACTS = dt.datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
"""When every deal's facts are established."""
T_MOVE = dt.datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
"""The time of every move: fixed, so each deal's log stays in time order."""


def fixed_clock() -> dt.datetime:
    """The clock of the clock-path row: the cost of the path, not of reading the wall clock."""
    return T_MOVE


CLOCK_CONTEXT = Context(clock=fixed_clock)
SETTINGS_CONTEXT = Context(settings=[RelationshipThresholds(top=Rung.FRIENDS)])
"""The explicit context of the value-criteria row (built once, as an application would)."""

# -- the cycles ------------------------------------------------------------------------

N_STAGES = 8
STAGE_IDS = tuple(f"P{i}" for i in range(1, N_STAGES + 1))
OUTCOMES = tuple(o.value for o in Outcome)
KEYS = {s: (f"{s}_a", f"{s}_b", f"{s}_c") for s in STAGE_IDS}
"""The three fact keys of each stage's gate."""

_OPS: dict[str, Callable[[Any, Any], bool]] = {">=": operator.ge, "<=": operator.le}
VALUE_TESTS: dict[str, tuple[tuple[str, str, FactValue], ...]] = {
    s: (
        (f"{s}_budget", ">=", Money("1000000", "CNY")),
        (f"{s}_seats", ">=", 50),
        (f"{s}_cost", "<=", Money("800000", "CNY")),
    )
    for s in STAGE_IDS
}
"""The three value criteria of each stage of the value pipeline: (fact, op, threshold)."""
PASSING: tuple[FactValue, ...] = (Money("1500000", "CNY"), 120, Money("600000", "CNY"))
FAILING: tuple[FactValue, ...] = (Money("500000", "CNY"), 20, Money("950000", "CNY"))


def _stage(i: int, sid: str, criteria: Sequence[Criterion]) -> Stage:
    return Stage(sid, Label(f"阶段{i}", f"stage {i}"), round(i / 10, 1), at_least(2, *criteria))


def build_cycle() -> Cycle:
    stages = [
        _stage(i, sid, [Criterion.fact(k, f"事实{k}", f"fact {k}") for k in KEYS[sid]])
        for i, sid in enumerate(STAGE_IDS, 1)
    ]
    return Cycle("bench", Label("基准流程", "benchmark pipeline"), CycleKind.PIPELINE, stages)


def build_value_cycle() -> Cycle:
    stages = [
        _stage(
            i,
            sid,
            [
                Criterion.compare(f"{k}_ok", f"{k}达标", f"{k} {op} {v}", fact=k, op=op, value=v)
                for k, op, v in VALUE_TESTS[sid]
            ],
        )
        for i, sid in enumerate(STAGE_IDS, 1)
    ]
    return Cycle(
        "bench_values",
        Label("基准流程（数值）", "benchmark pipeline, values"),
        CycleKind.PIPELINE,
        stages,
    )


def facts_for(n: int) -> dict[str, bool]:
    """Two of the three facts of every stage hold; which one is missing varies by deal."""
    return {k: j != (n + i) % 3 for i, sid in enumerate(STAGE_IDS) for j, k in enumerate(KEYS[sid])}


def values_for(n: int) -> dict[str, FactValue]:
    """Every value fact is recorded; two of the three of every stage pass, one fails."""
    return {
        k: (PASSING if j != (n + i) % 3 else FAILING)[j]
        for i, sid in enumerate(STAGE_IDS)
        for j, (k, _, _) in enumerate(VALUE_TESTS[sid])
    }


FACT_PATTERNS = tuple(facts_for(n) for n in range(3))
HELD = tuple(tuple(k for k, v in p.items() if v) for p in FACT_PATTERNS)
"""The ids of the facts a deal of each pattern establishes (16 of 24)."""
VALUE_PATTERNS = tuple(values_for(n) for n in range(3))

# -- the deals -------------------------------------------------------------------------


def new_deal(cycle: Cycle, i: int, *, start: bool = True) -> Deal:
    """A deal with its two-of-three facts established, started in *cycle* if asked."""
    deal = Deal(f"D-{i}", Account(f"Customer {i}", Segment.ENTERPRISE), Money("1200000", "CNY"))
    deal.establish(*HELD[i % 3], at=T_FACTS)
    if start:
        deal.start(cycle, at=T_MOVE)
    return deal


def new_value_deal(i: int) -> Deal:
    """A deal with the 24 values of the value pipeline recorded (one event each)."""
    deal = Deal(f"V-{i}", Account(f"Customer {i}", Segment.ENTERPRISE), Money("1200000", "CNY"))
    for fact, value in VALUE_PATTERNS[i % 3].items():
        deal.record(fact, value, at=T_FACTS)
    return deal


# -- the baselines ---------------------------------------------------------------------


class Record:
    """A plain deal record for the baselines: a key, its facts (plain values) and a state."""

    def __init__(self, key: str, facts: dict[str, Any]) -> None:
        self.key = key
        self.facts = facts
        self.state = START


class TwoOfThree:
    """The raw ``transitions`` condition: every gate on the way has 2 of its 3 facts."""

    __slots__ = ("triples",)

    def __init__(self, stages: Iterable[str]) -> None:
        self.triples = tuple(KEYS[s] for s in stages)

    def __call__(self, event: EventData) -> bool:
        model: Any = event.model
        f = model.facts
        for a, b, c in self.triples:
            if (f.get(a) is True) + (f.get(b) is True) + (f.get(c) is True) < 2:
                return False
        return True


class TwoOfThreeValues:
    """The raw condition of the value pipeline: the same comparisons, 2 of 3 per gate."""

    __slots__ = ("gates",)

    def __init__(self, stages: Iterable[str]) -> None:
        self.gates = tuple(
            tuple((fact, _OPS[op], threshold) for fact, op, threshold in VALUE_TESTS[s])
            for s in stages
        )

    def __call__(self, event: EventData) -> bool:
        model: Any = event.model
        f = model.facts
        for gate in self.gates:
            held = 0
            for fact, op, threshold in gate:
                value = f.get(fact)
                if value is not None and op(value, threshold):
                    held += 1
            if held < 2:
                return False
        return True


Guard = Callable[[Iterable[str]], Callable[[EventData], bool]]


def machine_spec(cycle: Cycle, guard: Guard) -> tuple[list[str], list[dict[str, Any]]]:
    """States and moves of a raw machine equivalent to *cycle* (same moves, same guards)."""
    states = [START, *STAGE_IDS, *OUTCOMES]
    moves = []
    for t in cycle.transitions:
        move: dict[str, Any] = {"trigger": t.trigger, "source": t.source, "dest": t.dest}
        if t.gates:
            move["conditions"] = [guard(stage for stage, _kind, _gate in t.gates)]
        moves.append(move)
    return states, moves


def raw_machine(cycle: Cycle, model: Any = None, guard: Guard = TwoOfThree) -> Machine:
    states, moves = machine_spec(cycle, guard)
    return Machine(
        model=model,
        states=states,
        transitions=moves,
        initial=START,
        auto_transitions=False,
        send_event=True,
    )


def dict_table() -> dict[tuple[str, str], tuple[str, str, str, str]]:
    """The hand-written table of the moves the benchmark makes: (state, trigger) -> dest, keys."""
    table = {(START, "start"): (STAGE_IDS[0], *KEYS[STAGE_IDS[0]])}
    for here, there in itertools.pairwise(STAGE_IDS):
        table[(here, "advance")] = (there, *KEYS[there])
    return table


def allowed_pairs() -> set[tuple[str, str]]:
    """The (from, to) pairs of the pipeline, written out by hand for the dict replay."""
    pairs = {(START, STAGE_IDS[0])}
    for i, here in enumerate(STAGE_IDS):
        pairs.update((here, there) for there in STAGE_IDS[i + 1 :])  # advance or jump
        if i:
            pairs.add((here, STAGE_IDS[i - 1]))  # regress
        pairs.update((here, outcome) for outcome in OUTCOMES)
    return pairs


# -- timing helpers --------------------------------------------------------------------


CPU_TIME = time.thread_time_ns
"""The clock of every timing: the CPU time of this thread, so that the time the machine
spends on other work (it may be busy) is not counted, as wall-clock time would."""


def timed(fn: Callable[[], T]) -> tuple[int, T]:
    """CPU nanoseconds taken by ``fn()`` with the garbage collector off (as timeit does),
    and its result (kept, so that freeing it is not timed)."""
    gc.collect()
    gc.disable()
    try:
        start = CPU_TIME()
        result = fn()
        return CPU_TIME() - start, result
    finally:
        gc.enable()


class Sample(NamedTuple):
    best: float
    median: float

    @classmethod
    def of(cls, values: Sequence[float]) -> Sample:
        return cls(min(values), statistics.median(values))


def us(ns: float, per: int) -> float:
    return ns / per / 1000


_BEGAN = time.perf_counter()


def progress(text: str) -> None:
    print(f"  .. {time.perf_counter() - _BEGAN:5.1f} s  {text}", file=sys.stderr, flush=True)


# -- 1. guarded moves ------------------------------------------------------------------


class Engine(NamedTuple):
    """One way of making the benchmark's moves: fresh items, the timed run, the check."""

    prepare: Callable[[], list[Any]]
    run: Callable[[list[Any]], None]
    done: Callable[[list[Any]], bool]


MOVE_ROWS = (
    ("dict", None, "hand-written dict table (pure-Python limit)"),
    ("raw", None, "raw transitions, one shared machine, headless"),
    ("advance", "raw", "deal.start/advance(c, at=T), per-deal lock included"),
    ("engine", "raw", "cycle.move(track, deal, t, at=T): no deal lock, no log"),
    ("clock", "raw", "deal.start/advance(c), time from the context's clock"),
    ("raw_values", None, "raw transitions, condition comparing the values"),
    ("values", "raw_values", "deal.start/advance(c, at=T, context=...), value gates"),
)
"""The rows of the moves table: key, the baseline of its "x raw" column (none for a
baseline), and its name."""


def move_engines(cycle: Cycle, value_cycle: Cycle, n: int) -> dict[str, Engine]:
    advances = N_STAGES - 1
    last = STAGE_IDS[-1]
    machine = raw_machine(cycle)
    value_machine = raw_machine(value_cycle, guard=TwoOfThreeValues)
    table = dict_table()
    evidence = [new_deal(cycle, i, start=False) for i in range(n)]  # read, never moved
    version = len(HELD[0]) + N_STAGES
    value_version = len(VALUE_PATTERNS[0]) + N_STAGES

    def records() -> list[Any]:
        return [Record(f"D-{i}", dict(FACT_PATTERNS[i % 3])) for i in range(n)]

    def value_records() -> list[Any]:
        return [Record(f"V-{i}", dict(VALUE_PATTERNS[i % 3])) for i in range(n)]

    def deals() -> list[Any]:
        return [new_deal(cycle, i, start=False) for i in range(n)]

    def value_deals() -> list[Any]:
        return [new_value_deal(i) for i in range(n)]

    def tracks() -> list[Any]:
        return [Track(cycle.name) for _ in range(n)]

    def run_dict(items: list[Any]) -> None:
        for trigger in ("start",) + ("advance",) * advances:
            for r in items:
                dest, a, b, c = table[(r.state, trigger)]
                f = r.facts
                if (f.get(a) is True) + (f.get(b) is True) + (f.get(c) is True) >= 2:
                    r.state = dest

    def run_raw_on(m: Machine) -> Callable[[list[Any]], None]:
        def run(items: list[Any]) -> None:
            start = m.events["start"].trigger
            advance = m.events["advance"].trigger
            for r in items:
                start(r)
            for _ in range(advances):
                for r in items:
                    advance(r)

        return run

    def run_advance(items: list[Any]) -> None:
        for d in items:
            d.start(cycle, at=T_MOVE)
        for _ in range(advances):
            for d in items:
                d.advance(cycle, at=T_MOVE)

    def run_engine(items: list[Any]) -> None:
        move = cycle.move
        for t, d in zip(items, evidence, strict=True):
            move(t, d, "start", at=T_MOVE)
        for _ in range(advances):
            for t, d in zip(items, evidence, strict=True):
                move(t, d, "advance", at=T_MOVE)

    def run_clock(items: list[Any]) -> None:
        for d in items:
            d.start(cycle, context=CLOCK_CONTEXT)
        for _ in range(advances):
            for d in items:
                d.advance(cycle, context=CLOCK_CONTEXT)

    def run_values(items: list[Any]) -> None:
        for d in items:
            d.start(value_cycle, at=T_MOVE, context=SETTINGS_CONTEXT)
        for _ in range(advances):
            for d in items:
                d.advance(value_cycle, at=T_MOVE, context=SETTINGS_CONTEXT)

    def records_done(items: list[Any]) -> bool:
        return all(r.state == last for r in items)

    def deals_done_in(c: Cycle, events: int) -> Callable[[list[Any]], bool]:
        def done(items: list[Any]) -> bool:
            return all(
                d.state(c) == last and len(d.tracks[c.name]) == N_STAGES and d.version == events
                for d in items
            )

        return done

    def tracks_done(items: list[Any]) -> bool:
        return all(t.state == last and len(t) == N_STAGES for t in items)

    return {
        "dict": Engine(records, run_dict, records_done),
        "raw": Engine(records, run_raw_on(machine), records_done),
        "advance": Engine(deals, run_advance, deals_done_in(cycle, version)),
        "engine": Engine(tracks, run_engine, tracks_done),
        "clock": Engine(deals, run_clock, deals_done_in(cycle, version)),
        "raw_values": Engine(value_records, run_raw_on(value_machine), records_done),
        "values": Engine(value_deals, run_values, deals_done_in(value_cycle, value_version)),
    }


def bench_moves(cycle: Cycle, value_cycle: Cycle, size: Sizes) -> dict[str, list[float]]:
    """µs per move of every engine in every repeat (index *k* of each list: repeat *k*).

    Within a repeat the engines run one after the other on fresh deals, records or
    tracks (made untimed just before), in an order rotated from one repeat to the next.
    """
    n = size.move_deals
    engines = move_engines(cycle, value_cycle, n)
    keys = list(engines)
    results: dict[str, list[float]] = {k: [] for k in keys}
    for rep in range(size.move_repeats):
        for key in keys[rep % len(keys) :] + keys[: rep % len(keys)]:
            engine = engines[key]
            items = engine.prepare()
            ns, _ = timed(functools.partial(engine.run, items))
            assert engine.done(items), key
            results[key].append(us(ns, n * N_STAGES))
            items = []  # freed before the next engine's items are made
        progress(f"moves, repeat {rep + 1}/{size.move_repeats}")
    return results


# -- 2. set-up per deal ----------------------------------------------------------------


def setup_bigaccount(cycle: Cycle, first: int, n: int) -> list[Deal]:
    return [new_deal(cycle, i) for i in range(first, first + n)]


def setup_machine_per_deal(cycle: Cycle, first: int, n: int) -> list[Record]:
    out = []
    for i in range(first, first + n):
        record = Record(f"D-{i}", dict(FACT_PATTERNS[i % 3]))
        raw_machine(cycle, model=record)  # the record's bound triggers keep it alive
        record.start()  # type: ignore[attr-defined]
        out.append(record)
    return out


def setup_add_model(machine: Machine, first: int, n: int) -> list[Record]:
    out = []
    for i in range(first, first + n):
        record = Record(f"D-{i}", dict(FACT_PATTERNS[i % 3]))
        machine.add_model(record)
        record.start()  # type: ignore[attr-defined]
        out.append(record)
    return out


def batch_times(make: Callable[[int], list[Any]], batch: int, repeats: int) -> list[float]:
    """µs per deal of *repeats* timed batches; each batch is dropped after it is timed."""
    values = []
    for _ in range(repeats):
        ns, _made = timed(lambda: make(batch))
        values.append(us(ns, batch))
    return values


def batches(make: Callable[[int], list[Any]], batch: int, repeats: int) -> Sample:
    return Sample.of(batch_times(make, batch, repeats))


class SetupResult(NamedTuple):
    bigaccount_small: Sample
    bigaccount_large: Sample
    machine_small: Sample
    add_model_small: Sample
    add_model_large: Sample
    work_bigaccount: tuple[int, int]
    work_machine: tuple[int, int]


def bench_setup(cycle: Cycle, size: Sizes) -> SetupResult:
    next_id = 10_000_000  # ids of the timed batches, apart from the live deals'

    def fresh(n: int) -> int:
        nonlocal next_id
        next_id += n
        return next_id - n

    # bigaccount: live deals are created and started, then batches are timed on top;
    # the small population is timed before and after the large one (a drift in the
    # machine's speed then shows in the medians instead of in the ratio).
    def bigaccount_batches() -> list[float]:
        return batch_times(
            lambda n: setup_bigaccount(cycle, fresh(n), n), size.setup_batch, size.setup_repeats
        )

    live: list[Any] = setup_bigaccount(cycle, 0, size.live_small)
    small_times = bigaccount_batches()
    progress(f"set-up: bigaccount with {len(live):,} live deals")
    live.extend(setup_bigaccount(cycle, len(live), size.live_large - len(live)))
    large = Sample.of(bigaccount_batches())
    progress(f"set-up: bigaccount with {len(live):,} live deals")
    del live[size.live_small :]
    small_times += bigaccount_batches()
    small = Sample.of(small_times)
    progress(f"set-up: bigaccount with {len(live):,} live deals again")
    live.clear()

    # a transitions Machine per deal: measured with the small population only.
    live = setup_machine_per_deal(cycle, 0, size.live_small)
    machine_small = batches(
        lambda n: setup_machine_per_deal(cycle, fresh(n), n),
        size.machine_batch,
        size.setup_repeats,
    )
    progress(f"set-up: a Machine per deal with {len(live):,} live deals")
    live.clear()

    # add_model on one shared machine: registered models stay until remove_model.
    shared = raw_machine(cycle)

    def add_model_batches() -> Sample:
        values = []
        n = size.add_model_batch
        for _ in range(size.setup_repeats):
            ns, made = timed(lambda: setup_add_model(shared, fresh(n), n))
            values.append(us(ns, n))
            shared.remove_model(made)  # back to the same number of registered models
        return Sample.of(values)

    setup_add_model(shared, 0, size.live_small)
    add_small = add_model_batches()
    progress(f"set-up: add_model with {len(shared.models):,} registered")
    setup_add_model(shared, len(shared.models), size.add_model_cap - len(shared.models))
    add_large = add_model_batches()
    progress(f"set-up: add_model with {len(shared.models):,} registered")
    shared.remove_model(list(shared.models))

    work_bigaccount = machine_work(cycle, lambda: setup_bigaccount(cycle, fresh(100), 100))
    work_machine = machine_work(cycle, lambda: setup_machine_per_deal(cycle, fresh(100), 100))
    return SetupResult(
        small, large, machine_small, add_small, add_large, work_bigaccount, work_machine
    )


def machine_work(cycle: Cycle, fn: Callable[[], object]) -> tuple[int, int]:
    """(machines built, models registered anywhere) while ``fn()`` runs."""
    counts = [0, 0]
    init, add_model = Machine.__init__, Machine.add_model

    def counting_init(self: Machine, *args: Any, **kwargs: Any) -> None:
        counts[0] += 1
        init(self, *args, **kwargs)

    def counting_add_model(self: Machine, model: Any, initial: Any = None) -> None:
        counts[1] += len(model) if isinstance(model, list) else 1
        add_model(self, model, initial)

    before = len(cycle.machine.models)
    Machine.__init__ = counting_init  # type: ignore[method-assign]
    Machine.add_model = counting_add_model  # type: ignore[method-assign]
    try:
        fn()
    finally:
        Machine.__init__ = init  # type: ignore[method-assign]
        Machine.add_model = add_model  # type: ignore[method-assign]
    assert len(cycle.machine.models) == before
    return counts[0], counts[1]


# -- 3. memory per deal ----------------------------------------------------------------


def traced_bytes(build: Callable[[], object], n: int) -> float:
    """Bytes per item still allocated after ``build()`` (its result is kept alive)."""
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        kept = build()
        after = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    del kept
    return (after - before) / n


class MemoryResult(NamedTuple):
    deal_started: float
    track: float
    machine_per_deal: float
    add_model: float


def bench_memory(cycle: Cycle, size: Sizes) -> MemoryResult:
    n = size.memory_sample
    deal_started = traced_bytes(lambda: setup_bigaccount(cycle, 0, n), n)
    unstarted = [new_deal(cycle, i, start=False) for i in range(n)]
    track = traced_bytes(lambda: [d.start(cycle, at=T_MOVE) for d in unstarted], n)
    records = [Record(f"D-{i}", dict(FACT_PATTERNS[i % 3])) for i in range(n)]
    machine = traced_bytes(lambda: [raw_machine(cycle, model=r) for r in records], n)
    records = [Record(f"D-{i}", dict(FACT_PATTERNS[i % 3])) for i in range(n)]
    shared = raw_machine(cycle)
    added = traced_bytes(lambda: shared.add_model(records), n)
    progress("memory")
    return MemoryResult(deal_started, track, machine, added)


# -- 4. bulk replay --------------------------------------------------------------------

Row = tuple[Hashable, "str | None", str]
WON, LOST, STALLED = (o.value for o in (Outcome.WON, Outcome.LOST, Outcome.STALLED))


def make_rows(n_rows: int, seed: int = 20240601) -> tuple[list[Row], int, int]:
    """Stage-change rows of many deals, interleaved in time; a few bad rows among them.

    Returns the rows, the number of deals and the number of rows inserted as errors.
    """
    rng = random.Random(seed)
    last = N_STAGES - 1
    timeline: list[tuple[float, int, Row]] = []
    deals = 0
    bad = 0
    seq = 0
    while len(timeline) < n_rows:
        key = f"OPP-{deals:07d}"
        deals += 1
        clock = rng.random() * 1000.0
        state: str | None = None
        i = -1
        while True:
            if state is None:
                dest, i = STAGE_IDS[0], 0
            else:
                roll = rng.random()
                if i == last or roll < 0.08:
                    dest = rng.choice((WON, WON, LOST, STALLED))
                elif roll < 0.20 and i > 0:
                    i -= 1
                    dest = STAGE_IDS[i]
                elif roll < 0.30 and i < last - 1:
                    i = rng.randint(i + 2, last)
                    dest = STAGE_IDS[i]
                else:
                    i += 1
                    dest = STAGE_IDS[i]
            clock += rng.random() * 30.0
            if state is not None and rng.random() < 0.001:  # a bad row, refused
                bad += 1
                wrong = (key, STAGE_IDS[(i + 3) % N_STAGES], WON)  # from the wrong state
                timeline.append((clock - 0.5, seq, wrong))
                seq += 1
            timeline.append((clock, seq, (key, state, dest)))
            seq += 1
            if dest in OUTCOMES:
                break
            state = dest
    timeline.sort()
    return [row for _, _, row in timeline[:n_rows]], deals, bad


def replay_dict(
    rows: Iterable[Row], allowed: set[tuple[str, str]]
) -> tuple[dict[Hashable, str], list[tuple[int, Hashable, str]]]:
    """The pure-Python limit: continuity per key and an allowed (from, to) pair."""
    states: dict[Hashable, str] = {}
    errors: list[tuple[int, Hashable, str]] = []
    get = states.get
    n = 0
    for n, (key, source, dest) in enumerate(rows, 1):
        current = get(key, START)
        origin = START if source is None else source
        if origin != current:
            errors.append((n, key, "continuity"))
        elif (origin, dest) not in allowed:
            errors.append((n, key, "no such move"))
        else:
            states[key] = dest
    return states, errors


class ReplayResult(NamedTuple):
    rows: int
    deals: int
    bad: int
    table: Sample
    dict: Sample


def bench_replay(cycle: Cycle, size: Sizes) -> ReplayResult:
    rows, deals, _ = make_rows(size.replay_rows)
    allowed = allowed_pairs()
    states = [START, *STAGE_IDS, *OUTCOMES]
    for a in states:  # the hand-written pairs are the compiled table's, exactly
        for b in states:
            assert ((a, b) in allowed) == (cycle.table.between(a, b) is not None), (a, b)
    progress(f"replay: {len(rows):,} rows generated")
    table = cycle.table
    times: dict[str, list[float]] = {"table": [], "dict": []}
    for rep in range(size.replay_repeats):
        ns, bulk = timed(lambda: table.replay_states(rows))
        times["table"].append(us(ns, len(rows)))
        ns, (states_d, errors_d) = timed(lambda: replay_dict(rows, allowed))
        times["dict"].append(us(ns, len(rows)))
        progress(f"replay, repeat {rep + 1}/{size.replay_repeats}")
    assert bulk.rows == len(rows)
    assert dict(bulk.states) == states_d
    assert [e[:2] for e in bulk.errors] == [e[:2] for e in errors_d]
    return ReplayResult(
        len(rows), deals, len(errors_d), Sample.of(times["table"]), Sample.of(times["dict"])
    )


# -- profile ---------------------------------------------------------------------------


def per_item(make: Callable[[int], list[T]], fn: Callable[[T], object], n: int = 1_000) -> float:
    """Best of 5 µs per ``fn(item)`` over *n* fresh items (made untimed) per repeat."""

    def each(items: list[T]) -> None:
        for item in items:
            fn(item)

    best = float("inf")
    for _ in range(5):
        best = min(best, us(timed(functools.partial(each, make(n)))[0], n))
    return best


def per_call(fn: Callable[[], object]) -> float:
    """Best of 5 µs per call of a function that leaves nothing changed."""
    return min(timeit.repeat(fn, timer=time.thread_time, number=2_000, repeat=5)) / 2_000 * 1e6


def profile_move(cycle: Cycle, value_cycle: Cycle, n: int = 1_000) -> None:
    """cProfile of bigaccount moves, then the cost of the parts of one move."""
    deals = [new_deal(cycle, i, start=False) for i in range(n)]
    profiler = cProfile.Profile()
    profiler.enable()
    for d in deals:
        d.start(cycle, at=T_MOVE)
    for _ in range(N_STAGES - 1):
        for d in deals:
            d.advance(cycle, at=T_MOVE)
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.strip_dirs().sort_stats("tottime").print_stats(24)
    print(f"\ncProfile of {n * N_STAGES:,} bigaccount moves (top by own time):")
    print("\n".join(line for line in out.getvalue().splitlines()[4:] if line.strip()))

    # The parts of an advance from P2 to P3 (the gate: P3's entry, 2 of 3 facts).
    evidence = new_deal(cycle, 0, start=False)
    ctx = current_context()
    judged = ctx._judging_at(T_MOVE)
    step = cycle.table.step("P2", "advance")
    assert step is not None
    stage, kind, gate = step.gates[0]
    criterion = gate.criteria[0]
    reports = [gate.evaluate(evidence, judged, stage, kind)]
    held = tuple(c.id for c in reports[0].held)
    trigger = cycle.machine.events["advance"].trigger
    raw = raw_machine(cycle)
    raw_advance = raw.events["advance"]

    def deals_at_p2(k: int) -> list[Deal]:
        made = [new_deal(cycle, 0) for _ in range(k)]
        for d in made:
            d.advance(cycle, at=T_MOVE)
        return made

    def tracks_at_p2(k: int) -> list[Track]:
        made = [Track(cycle.name) for _ in range(k)]
        for t in made:
            cycle.move(t, evidence, "start", at=T_MOVE)
            cycle.move(t, evidence, "advance", at=T_MOVE)
        return made

    def records_at_p2(k: int) -> list[Record]:
        made = [Record("D-0", dict(FACT_PATTERNS[0])) for _ in range(k)]
        for r in made:
            r.state = "P2"
        return made

    def fire(t: Track) -> None:
        trigger(t, evidence=evidence, context=judged, reports=[], imported=False)

    def take_lock(lock: Any = evidence._lock) -> None:
        with lock:
            pass

    at_p2 = tracks_at_p2(1)[0]
    fact_guard = TwoOfThree(["P3"])
    fact_event = EventData(None, raw_advance, raw, Record("D-0", dict(FACT_PATTERNS[0])), (), {})
    value_deal = new_value_deal(0)
    value_step = value_cycle.table.step("P2", "advance")
    assert value_step is not None
    v_stage, v_kind, v_gate = value_step.gates[0]
    v_judged = SETTINGS_CONTEXT._judging_at(T_MOVE)
    v_criterion = v_gate.criteria[0]
    raw_facts: dict[str, Any] = dict(VALUE_PATTERNS[0])
    fact_id, _op, threshold = VALUE_TESTS["P3"][0]
    value_guard = TwoOfThreeValues(["P3"])
    value_event = EventData(None, raw_advance, raw, Record("V-0", raw_facts), (), {})

    # Private helpers of the move path: a part whose helper was renamed is left out.
    cycle_of = getattr(deal_module, "_cycle", None)
    deal_moment = getattr(evidence, "_moment", None)
    cycle_moment = getattr(cycle_module, "_moment", None)
    text = getattr(cycle_module, "_text", None)
    recorded = getattr(track_module, "recorded", None)
    report = getattr(gates_module, "_report", None)
    event_fields = ("bench", "P2", "P3", "advance", Move.ADVANCE, T_MOVE, None, held)
    trusted_event = (*event_fields, None, False, (), None)
    report_fields = (stage, gate.rule, True, (), (), 0, None, kind)

    parts: list[str | tuple[str, Callable[[], float] | None]] = [
        (
            "deal.advance(c, at=T), whole",
            lambda: per_item(deals_at_p2, lambda d: d.advance(cycle, at=T_MOVE)),
        ),
        (
            "  deal._cycle(cycle) (resolving the argument)",
            cycle_of and (lambda: per_call(lambda: cycle_of(cycle))),
        ),
        ("  current_context()", lambda: per_call(current_context)),
        ("  the deal's lock, taken and released", lambda: per_call(take_lock)),
        (
            "  deal._moment(at, ctx) (the log's time order)",
            deal_moment and (lambda: per_call(lambda: deal_moment(T_MOVE, ctx))),
        ),
        (
            "  cycle.move(track, deal, 'advance', at=T), whole",
            lambda: per_item(tracks_at_p2, lambda t: cycle.move(t, evidence, "advance", at=T_MOVE)),
        ),
        (
            "    cycle.table.step(state, trigger)",
            lambda: per_call(lambda: cycle.table.step("P2", "advance")),
        ),
        (
            "    cycle's _moment(at, track, ctx) (checked again)",
            cycle_moment and (lambda: per_call(lambda: cycle_moment(T_MOVE, at_p2, ctx))),
        ),
        (
            "    cycle's _text(None, ...) (one of three)",
            text and (lambda: per_call(lambda: text(None, "actor"))),
        ),
        (
            "    ctx._judging_at(T) (the context of the move)",
            lambda: per_call(lambda: ctx._judging_at(T_MOVE)),
        ),
        ("    the shared machine's trigger, guard included", lambda: per_item(tracks_at_p2, fire)),
        (
            "      gate.evaluate(deal, ctx, stage, kind)",
            lambda: per_call(lambda: gate.evaluate(evidence, judged, stage, kind)),
        ),
        (
            "        one fact criterion's test",
            lambda: per_call(lambda: criterion.test(evidence, judged)),
        ),
        (
            "        its report, trusted (gates._report)",
            report and (lambda: per_call(lambda: report(*report_fields))),
        ),
        (
            "    criteria ids of the event (dict.fromkeys)",
            lambda: per_call(lambda: tuple(dict.fromkeys([c.id for r in reports for c in r.held]))),
        ),
        (
            "    the event, trusted (track.recorded)",
            recorded and (lambda: per_call(lambda: recorded(*trusted_event))),
        ),
        "for comparison:",
        ("  raw transitions advance, whole", lambda: per_item(records_at_p2, raw_advance.trigger)),
        ("  raw condition, fact gate", lambda: per_call(lambda: fact_guard(fact_event))),
        ("  StageChange(...), checked", lambda: per_call(lambda: StageChange(*event_fields))),
        ("  GateReport(...), checked", lambda: per_call(lambda: GateReport(*report_fields))),
        "the clock path:",
        ("  Context.now() with a fixed clock", lambda: per_call(CLOCK_CONTEXT.now)),
        ("  system_clock() (the wall clock)", lambda: per_call(system_clock)),
        "value criteria (P3 of the value pipeline):",
        (
            "  gate.evaluate, 3 value criteria",
            lambda: per_call(lambda: v_gate.evaluate(value_deal, v_judged, v_stage, v_kind)),
        ),
        (
            "    one value criterion's test (Money >=)",
            lambda: per_call(lambda: v_criterion.test(value_deal, v_judged)),
        ),
        (
            "    the comparison alone (Money >= Money)",
            lambda: per_call(lambda: raw_facts[fact_id] >= threshold),
        ),
        ("  raw condition, value gate", lambda: per_call(lambda: value_guard(value_event))),
    ]
    print("\nParts of one guarded advance P2 -> P3 (best of 5, CPU µs per call):")
    for part in parts:  # a header, or a part (None: its private helper was renamed)
        if isinstance(part, str):
            print(f"  {part}")
        elif part[1] is not None:
            print(f"  {part[0]:<56} {part[1]():8.2f}")
    print("  (parts overlap, e.g. the trigger includes the gate; they do not add up to the whole)")


# -- report ----------------------------------------------------------------------------


def verdict(value: float, target: float) -> str:
    return "PASS" if value <= target else "MISS"


def paired(moves: dict[str, list[float]], key: str, base: str) -> float:
    """The median over the repeats of the ratio of two engines timed in the same repeat."""
    return statistics.median(a / b for a, b in zip(moves[key], moves[base], strict=True))


def print_report(
    size: Sizes,
    quick: bool,
    cycle: Cycle,
    moves_raw: dict[str, list[float]],
    setup: SetupResult,
    memory: MemoryResult,
    replay: ReplayResult,
    seconds: float,
    load: tuple[float, float],
) -> None:
    line = "-" * 86
    moves = {k: Sample.of(v) for k, v in moves_raw.items()}
    print()
    print(f"bigaccount engine benchmark ({'quick' if quick else 'full'} run, {seconds:.0f} s)")
    print(
        f"Python {platform.python_version()}, transitions {version('transitions')}, "
        f"bigaccount {version('bigaccount')}; times are the best of the repeats "
        "(median in brackets); gc off while timing"
    )
    print(
        f"load average (1 min) at start {load[0]:.2f}, at end {load[1]:.2f}, "
        f"on {os.cpu_count()} CPUs"
    )
    print(
        f'cycles: {N_STAGES}-stage pipelines, every gate "at least 2 of 3" criteria (yes/no facts;'
        f" value comparisons), {len(cycle.transitions)} compiled moves (the raw machines have"
        " the same)"
    )

    print(line)
    n_moves = size.move_deals * N_STAGES
    print(
        f"Guarded moves: {size.move_deals:,} fresh deals x {N_STAGES} moves (start + advances) = "
        f"{n_moves:,} per engine and repeat, {size.move_repeats} repeats, engines interleaved"
    )
    print(f"  {'engine':<57}{'µs/move [median]':>17}{'moves/s':>10}{'x dict':>7}{'x raw':>7}")
    base = moves["dict"].best
    for key, against, name in MOVE_ROWS:
        s = moves[key]
        vs_raw = "" if against is None else f"{s.best / moves[against].best:6.2f}x"
        print(
            f"  {name:<57}{s.best:8.2f} [{s.median:6.2f}]{1e6 / s.best:10,.0f}"
            f"{s.best / base:6.0f}x{vs_raw:>7}"
        )
    print("  (x raw: against the raw machine with the same guards, facts or values)")

    print(line)
    print(
        f"Set-up per deal (create the deal, establish 16 facts, start it; batches of "
        f"{size.setup_batch:,}, {size.machine_batch:,} for a Machine per deal)"
    )
    print(f"  {'how':<50}{'live deals':>12}{'µs/deal [median]':>20}")
    rows = (
        ("bigaccount Deal + establish(..., at=) + start", size.live_small, setup.bigaccount_small),
        ("bigaccount Deal + establish(..., at=) + start", size.live_large, setup.bigaccount_large),
        ("transitions Machine per deal + start", size.live_small, setup.machine_small),
        ("transitions add_model on a shared machine", size.live_small, setup.add_model_small),
        ("transitions add_model on a shared machine", size.add_model_cap, setup.add_model_large),
    )
    for name, live, s in rows:
        print(f"  {name:<50}{live:>12,}{s.best:11.1f} [{s.median:6.1f}]")
    print(
        f"  (a Machine per deal is timed with {size.live_small:,} live deals only: "
        f"{size.live_large:,} would take minutes and gigabytes;"
    )
    print(f"   add_model is O(n) per call, so it is capped at {size.add_model_cap:,} registered)")
    mb, ma = setup.work_bigaccount
    tb, ta = setup.work_machine
    print(
        f"  machines built / models registered per 100 set-ups: bigaccount {mb} / {ma}, "
        f"Machine per deal {tb} / {ta}"
    )

    print(line)
    print(f"Memory per deal (tracemalloc, {size.memory_sample:,} deals)")
    for name, size_bytes in (
        (
            "bigaccount deal, started (account, money, 16 facts + events, track)",
            memory.deal_started,
        ),
        ("  of which the track and its first move", memory.track),
        ("transitions Machine per deal (the machine alone)", memory.machine_per_deal),
        ("transitions add_model on a shared machine (per model)", memory.add_model),
    ):
        print(f"  {name:<70}{size_bytes / 1024:6.1f} kB")

    print(line)
    print(
        f"Bulk replay: {replay.rows:,} rows (key, from, to) of {replay.deals:,} deals, "
        f"{replay.bad:,} refused; {size.replay_repeats} repeats"
    )
    print(f"  {'how':<50}{'µs/row [median]':>18}{'rows/s':>13}")
    for name, s in (
        ("cycle.table.replay_states(rows)", replay.table),
        ("hand-written dict loop, same checks", replay.dict),
    ):
        print(f"  {name:<50}{s.best:9.3f} [{s.median:6.3f}]{1e6 / s.best:13,.0f}")

    print(line)
    print("Ratios (from the best times; in brackets the median of the per-repeat ratios)")
    setup_ratio = setup.bigaccount_large.best / setup.bigaccount_small.best
    replay_ratio = replay.table.best / replay.dict.best
    print(f"  {'ratio':<58}{'value':>8}{'[paired]':>10}{'target':>9}")

    def ratio(key: str, against: str) -> tuple[float, float | None]:
        return moves[key].best / moves[against].best, paired(moves_raw, key, against)

    checks: list[tuple[str, tuple[float, float | None], float]] = [
        (
            "deal.advance (lock, report, event) / raw transitions",
            ratio("advance", "raw"),
            TARGET_MOVE,
        ),
        (
            "value move with a context / raw, same comparisons",
            ratio("values", "raw_values"),
            TARGET_MOVE,
        ),
        (
            f"set-up per deal, {size.live_large // 1000}k / {size.live_small // 1000}k live deals",
            (setup_ratio, None),
            TARGET_SETUP,
        ),
        ("replay_states row / dict table move", (replay.table.best / base, None), TARGET_REPLAY),
        ("replay_states row / dict loop row, same checks", (replay_ratio, None), TARGET_REPLAY),
    ]
    for name, (value, pair), target in checks:
        shown = "" if pair is None else f"[{pair:.2f}x]"
        print(
            f"  {name:<58}{value:7.2f}x{shown:>10}{'<= ' + f'{target:g}x':>9}  "
            f"{verdict(value, target)}"
        )
    no_work = mb == 0 and ma == 0
    print(
        f"  {'machines built + models registered by deal set-up':<58}{mb + ma:>8}{'':>10}"
        f"{'== 0':>9}  {'PASS' if no_work else 'MISS'}"
    )
    print("  for information:")
    info: list[tuple[str, tuple[float, float | None]]] = [
        ("cycle.move (no deal lock, no log) / raw transitions", ratio("engine", "raw")),
        ("deal.advance / cycle.move: the deal layer (lock, log)", ratio("advance", "engine")),
        ("clock move / deal.advance(at=): the clock path", ratio("clock", "advance")),
        ("value move / fact move (deal.advance)", ratio("values", "advance")),
        ("raw transitions, values / facts", ratio("raw_values", "raw")),
        ("raw shared transitions move / dict table move", ratio("raw", "dict")),
        ("deal.advance / dict table move", ratio("advance", "dict")),
        (
            "Machine per deal set-up / bigaccount set-up",
            (setup.machine_small.best / setup.bigaccount_small.best, None),
        ),
        (
            f"add_model at {size.add_model_cap // 1000}k / {size.live_small // 1000}k registered",
            (setup.add_model_large.best / setup.add_model_small.best, None),
        ),
        (
            "Machine per deal memory / bigaccount deal memory",
            (memory.machine_per_deal / memory.deal_started, None),
        ),
    ]
    for name, (value, pair) in info:
        shown = "" if pair is None else f"[{pair:.2f}x]"
        print(f"  {name:<58}{value:7.2f}x{shown:>10}")
    print("  anchors measured earlier on this machine (not re-measured):")
    for anchor in ANCHORS:
        print(f"    {anchor}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a smaller, faster run")
    parser.add_argument("--profile", action="store_true", help="also profile a bigaccount move")
    args = parser.parse_args(argv)
    size = QUICK if args.quick else FULL
    load_start = os.getloadavg()[0]
    began = time.perf_counter()
    cycle = build_cycle()
    value_cycle = build_value_cycle()
    moves = bench_moves(cycle, value_cycle, size)
    setup = bench_setup(cycle, size)
    memory = bench_memory(cycle, size)
    replay = bench_replay(cycle, size)
    seconds = time.perf_counter() - began
    load = (load_start, os.getloadavg()[0])
    print_report(size, args.quick, cycle, moves, setup, memory, replay, seconds, load)
    if args.profile:
        profile_move(cycle, value_cycle)
    return 0


if __name__ == "__main__":
    sys.exit(main())
