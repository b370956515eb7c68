"""Benchmark of the bigaccount engine against raw ``transitions`` and a hand-written table.

Run it by hand, never under pytest::

    python benchmarks/bench_engine.py            # full run (under two minutes)
    python benchmarks/bench_engine.py --quick    # smaller run, a few seconds
    python benchmarks/bench_engine.py --profile  # also profile a bigaccount move

Everything is measured in one run on one 8-stage guarded pipeline (every stage's
entry gate is "at least 2 of 3" fact criteria) and printed as absolute numbers and
as ratios, each ratio with its target. See ``benchmarks/README.md``.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import gc
import io
import itertools
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

import bigaccount.deal as deal_module
from bigaccount import (
    Account,
    Criterion,
    Cycle,
    CycleKind,
    Deal,
    Label,
    Money,
    Segment,
    Stage,
    StageChange,
    at_least,
)
from bigaccount.track import LOST, OUTCOMES, STALLED, START, WON, Move

T = TypeVar("T")

# -- targets (from the issue) and the anchors measured earlier on this machine ---------

TARGET_MOVE = 2.0
"""A bigaccount move costs at most this many raw shared ``transitions`` moves."""
TARGET_SETUP = 1.25
"""Set-up per deal with many live deals / with few: "constant", with room for noise."""
TARGET_REPLAY = 3.0
"""Bulk replay through the compiled table costs at most this many dict-loop rows."""

ANCHORS = (
    "dict table ~0.13 µs/move; raw shared transitions ~6.3 µs/move (48x the table)",
    "transitions Machine per deal ~210 µs set-up and ~17 kB",
    "add_model ~24 µs per deal, growing to ~835 µs as 100k are registered",
    "python-statemachine ~74 µs per move (not measured here)",
)


class Sizes(NamedTuple):
    move_deals: int  # deals moved start + 7 advances by each engine
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


FULL = Sizes(5_000, 5, 500, 5, 1_000, 100_000, 300, 10_000, 300, 1_000, 500_000, 5)
QUICK = Sizes(1_000, 3, 200, 3, 1_000, 10_000, 100, 3_000, 100, 200, 100_000, 3)

# -- the cycle -------------------------------------------------------------------------

N_STAGES = 8
STAGE_IDS = tuple(f"P{i}" for i in range(1, N_STAGES + 1))
KEYS = {s: (f"{s}_a", f"{s}_b", f"{s}_c") for s in STAGE_IDS}
"""The three fact keys of each stage's gate."""


def build_cycle() -> Cycle:
    stages = []
    for i, sid in enumerate(STAGE_IDS, 1):
        criteria = [Criterion.fact(k, f"事实{k}", f"fact {k}") for k in KEYS[sid]]
        stages.append(
            Stage(sid, Label(f"阶段{i}", f"stage {i}"), round(i / 10, 1), at_least(2, *criteria))
        )
    return Cycle("bench", Label("基准流程", "benchmark pipeline"), CycleKind.PIPELINE, stages)


def facts_for(n: int) -> dict[str, bool]:
    """Two of the three facts of every stage hold; which one is missing varies by deal."""
    return {k: j != (n + i) % 3 for i, sid in enumerate(STAGE_IDS) for j, k in enumerate(KEYS[sid])}


FACT_PATTERNS = tuple(facts_for(n) for n in range(3))

# -- the baselines ---------------------------------------------------------------------


class Record:
    """A plain deal record for the baselines: a key, its facts and a state."""

    def __init__(self, key: str, facts: dict[str, bool]) -> None:
        self.key = key
        self.facts = facts
        self.state = START


class TwoOfThree:
    """The raw ``transitions`` condition: every gate on the way has 2 of its 3 facts."""

    __slots__ = ("triples",)

    def __init__(self, triples: tuple[tuple[str, str, str], ...]) -> None:
        self.triples = triples

    def __call__(self, event: EventData) -> bool:
        f = event.model.facts
        for a, b, c in self.triples:
            if (f.get(a) is True) + (f.get(b) is True) + (f.get(c) is True) < 2:
                return False
        return True


def machine_spec(cycle: Cycle) -> tuple[list[str], list[dict[str, Any]]]:
    """States and moves of a raw machine equivalent to *cycle* (same moves, same guards)."""
    states = [START, *STAGE_IDS, *OUTCOMES]
    moves = []
    for t in cycle.transitions:
        move: dict[str, Any] = {"trigger": t.trigger, "source": t.source, "dest": t.dest}
        if t.gates:
            move["conditions"] = [TwoOfThree(tuple(KEYS[stage] for stage, _ in t.gates))]
        moves.append(move)
    return states, moves


def raw_machine(cycle: Cycle, model: Any = None) -> Machine:
    states, moves = machine_spec(cycle)
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


def timed(fn: Callable[[], T]) -> tuple[int, T]:
    """Nanoseconds taken by ``fn()`` with the garbage collector off (as timeit does), and
    its result (kept, so that freeing it is not timed)."""
    gc.collect()
    gc.disable()
    try:
        start = time.perf_counter_ns()
        result = fn()
        return time.perf_counter_ns() - start, result
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


def progress(text: str) -> None:
    print(f"  .. {text}", file=sys.stderr, flush=True)


# -- 1. guarded moves ------------------------------------------------------------------


def bench_moves(cycle: Cycle, size: Sizes) -> dict[str, Sample]:
    n = size.move_deals
    advances = N_STAGES - 1
    moves = n * N_STAGES
    deals = [new_deal(cycle, i, start=False) for i in range(n)]
    raw_records = [Record(f"D-{i}", dict(FACT_PATTERNS[i % 3])) for i in range(n)]
    dict_records = [Record(f"D-{i}", dict(FACT_PATTERNS[i % 3])) for i in range(n)]
    machine = raw_machine(cycle)
    table = dict_table()
    last = STAGE_IDS[-1]

    def run_bigaccount() -> None:
        for d in deals:
            d.start(cycle)
        for _ in range(advances):
            for d in deals:
                d.advance(cycle)

    def run_raw() -> None:
        start = machine.events["start"].trigger
        advance = machine.events["advance"].trigger
        for r in raw_records:
            start(r)
        for _ in range(advances):
            for r in raw_records:
                advance(r)

    def run_dict() -> None:
        for trigger in ("start",) + ("advance",) * advances:
            for r in dict_records:
                dest, a, b, c = table[(r.state, trigger)]
                f = r.facts
                if (f.get(a) is True) + (f.get(b) is True) + (f.get(c) is True) >= 2:
                    r.state = dest

    results: dict[str, list[float]] = {"dict": [], "raw": [], "bigaccount": []}
    for rep in range(size.move_repeats):
        for d in deals:
            d.tracks.clear()
        for r in raw_records + dict_records:
            r.state = START
        results["bigaccount"].append(us(timed(run_bigaccount)[0], moves))
        results["raw"].append(us(timed(run_raw)[0], moves))
        results["dict"].append(us(timed(run_dict)[0], moves))
        assert all(d.state(cycle) == last and len(d.tracks["bench"].history) == 8 for d in deals)
        assert all(r.state == last for r in raw_records + dict_records)
        progress(f"moves, repeat {rep + 1}/{size.move_repeats}")
    return {k: Sample.of(v) for k, v in results.items()}


# -- 2. set-up per deal ----------------------------------------------------------------


def new_deal(cycle: Cycle, i: int, *, start: bool = True) -> Deal:
    deal = Deal(
        f"D-{i}",
        Account(f"Customer {i}", Segment.ENTERPRISE),
        Money("1200000", "CNY"),
        facts=FACT_PATTERNS[i % 3],
    )
    if start:
        deal.start(cycle)
    return deal


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
    unstarted = setup_bigaccount_unstarted(cycle, n)
    track = traced_bytes(lambda: [d.start(cycle) for d in unstarted], n)
    records = [Record(f"D-{i}", dict(FACT_PATTERNS[i % 3])) for i in range(n)]
    machine = traced_bytes(lambda: [raw_machine(cycle, model=r) for r in records], n)
    records = [Record(f"D-{i}", dict(FACT_PATTERNS[i % 3])) for i in range(n)]
    shared = raw_machine(cycle)
    added = traced_bytes(lambda: shared.add_model(records), n)
    progress("memory")
    return MemoryResult(deal_started, track, machine, added)


def setup_bigaccount_unstarted(cycle: Cycle, n: int) -> list[Deal]:
    return [new_deal(cycle, i, start=False) for i in range(n)]


# -- 4. bulk replay --------------------------------------------------------------------

Row = tuple[Hashable, "str | None", str]


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


def profile_move(cycle: Cycle, n: int = 1_000) -> None:
    """cProfile of bigaccount moves, then the cost of the parts of one move."""
    deals = [new_deal(cycle, i, start=False) for i in range(n)]
    profiler = cProfile.Profile()
    profiler.enable()
    for d in deals:
        d.start(cycle)
    for _ in range(N_STAGES - 1):
        for d in deals:
            d.advance(cycle)
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.strip_dirs().sort_stats("tottime").print_stats(18)
    print(f"\ncProfile of {n * N_STAGES:,} bigaccount moves (top by own time):")
    print("\n".join(line for line in out.getvalue().splitlines()[4:] if line.strip()))

    deal = new_deal(cycle, 0)
    deal.advance(cycle)  # stands at P2; the parts below are those of an advance to P3
    step = cycle.table.step("P2", "advance")
    assert step is not None
    gate = step.gates[0][1]
    now = dt.datetime.now(dt.timezone.utc)

    def make_change() -> StageChange:
        return StageChange("bench", "P2", "P3", "advance", Move.ADVANCE, now, None, ())

    track = deal.tracks["bench"]

    def fire_machine() -> None:
        back_to_p2()
        cycle.machine.events["advance"].trigger(track, deal=deal, reports=[])

    def back_to_p2() -> None:
        track.state = "P2"
        del track._events[2:]

    def move_whole() -> None:
        back_to_p2()
        cycle.move(deal, "advance")

    def deal_advance_whole() -> None:
        back_to_p2()
        deal.advance(cycle)

    parts: list[tuple[str, Callable[[], object]]] = [
        ("deal.advance(cycle), whole", deal_advance_whole),
        ("cycle.move(deal, 'advance'), whole", move_whole),
        ("  the shared machine's trigger, guard included", fire_machine),
        ("    gate.evaluate(deal) (the guard's work)", lambda: gate.evaluate(deal)),
        ("  StageChange(...) (converters, validator)", make_change),
        ("  datetime.now(timezone.utc)", lambda: dt.datetime.now(dt.timezone.utc)),
        ("  cycle.table.step(state, trigger)", lambda: cycle.table.step("P2", "advance")),
    ]
    resolve = getattr(deal_module, "_cycle", None)
    if resolve is not None:  # how Deal's methods turn their cycle argument into a Cycle
        parts.insert(2, ("  deal._cycle(cycle) (resolving the argument)", lambda: resolve(cycle)))
    print("\nParts of one guarded advance (best of 5, µs per call):")
    for name, fn in parts:
        per = min(timeit.repeat(fn, number=2_000, repeat=5)) / 2_000 * 1e6
        print(f"  {name:<48} {per:8.2f}")


# -- report ----------------------------------------------------------------------------


def verdict(value: float, target: float) -> str:
    return "PASS" if value <= target else "MISS"


def print_report(
    size: Sizes,
    quick: bool,
    cycle: Cycle,
    moves: dict[str, Sample],
    setup: SetupResult,
    memory: MemoryResult,
    replay: ReplayResult,
    seconds: float,
) -> None:
    line = "-" * 78
    print()
    print(f"bigaccount engine benchmark ({'quick' if quick else 'full'} run, {seconds:.0f} s)")
    print(
        f"Python {platform.python_version()}, transitions {version('transitions')}, "
        f"bigaccount {version('bigaccount')}; times are the best of the repeats "
        "(median in brackets); gc off while timing"
    )
    print(
        f'cycle: {N_STAGES}-stage pipeline, every gate "at least 2 of 3" facts, '
        f"{len(cycle.transitions)} compiled moves (the raw machines have the same)"
    )

    print(line)
    n_moves = size.move_deals * N_STAGES
    print(
        f"Guarded moves: {size.move_deals:,} deals x {N_STAGES} moves (start + advances) = "
        f"{n_moves:,} per engine, {size.move_repeats} repeats"
    )
    print(f"  {'engine':<47}{'µs/move [median]':>18}{'moves/s':>11}{'x dict':>8}")
    base = moves["dict"].best
    for key, name in (
        ("dict", "hand-written dict table (pure-Python limit)"),
        ("raw", "raw transitions, one shared machine, headless"),
        ("bigaccount", "bigaccount deal.start / deal.advance"),
    ):
        s = moves[key]
        print(
            f"  {name:<47}{s.best:9.2f} [{s.median:6.2f}]{1e6 / s.best:11,.0f}{s.best / base:7.0f}x"
        )

    print(line)
    print(
        f"Set-up per deal (create the deal and start it; batches of {size.setup_batch:,}, "
        f"{size.machine_batch:,} for a Machine per deal)"
    )
    print(f"  {'how':<44}{'live deals':>12}{'µs/deal [median]':>20}")
    rows = (
        ("bigaccount Deal(...) + deal.start", size.live_small, setup.bigaccount_small),
        ("bigaccount Deal(...) + deal.start", size.live_large, setup.bigaccount_large),
        ("transitions Machine per deal + start", size.live_small, setup.machine_small),
        ("transitions add_model on a shared machine", size.live_small, setup.add_model_small),
        ("transitions add_model on a shared machine", size.add_model_cap, setup.add_model_large),
    )
    for name, live, s in rows:
        print(f"  {name:<44}{live:>12,}{s.best:11.1f} [{s.median:6.1f}]")
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
        ("bigaccount deal, started (account, money, facts, track, event)", memory.deal_started),
        ("  of which the track and its first event", memory.track),
        ("transitions Machine per deal (the machine alone)", memory.machine_per_deal),
        ("transitions add_model on a shared machine (per model)", memory.add_model),
    ):
        print(f"  {name:<66}{size_bytes / 1024:6.1f} kB")

    print(line)
    print(
        f"Bulk replay: {replay.rows:,} rows (key, from, to) of {replay.deals:,} deals, "
        f"{replay.bad:,} refused; {size.replay_repeats} repeats"
    )
    print(f"  {'how':<44}{'µs/row [median]':>18}{'rows/s':>13}")
    for name, s in (
        ("cycle.table.replay_states(rows)", replay.table),
        ("hand-written dict loop, same checks", replay.dict),
    ):
        print(f"  {name:<44}{s.best:9.3f} [{s.median:6.3f}]{1e6 / s.best:13,.0f}")

    print(line)
    print("Ratios (from the best times)")
    move_ratio = moves["bigaccount"].best / moves["raw"].best
    setup_ratio = setup.bigaccount_large.best / setup.bigaccount_small.best
    replay_ratio = replay.table.best / replay.dict.best
    print(f"  {'ratio':<52}{'value':>8}{'target':>10}{'':>7}")
    checks = (
        ("bigaccount move / raw shared transitions move", move_ratio, TARGET_MOVE),
        (
            f"set-up per deal, {size.live_large // 1000}k / {size.live_small // 1000}k live deals",
            setup_ratio,
            TARGET_SETUP,
        ),
        ("replay_states row / dict table move", replay.table.best / base, TARGET_REPLAY),
        ("replay_states row / dict loop row, same checks", replay_ratio, TARGET_REPLAY),
    )
    for name, value, target in checks:
        print(f"  {name:<52}{value:7.2f}x{'<= ' + f'{target:g}x':>10}  {verdict(value, target)}")
    no_work = mb == 0 and ma == 0
    print(
        f"  {'machines built + models registered by deal set-up':<52}{mb + ma:>8}"
        f"{'== 0':>10}  {'PASS' if no_work else 'MISS'}"
    )
    print("  for information:")
    info = (
        ("raw shared transitions move / dict table move", moves["raw"].best / base),
        ("bigaccount move / dict table move", moves["bigaccount"].best / base),
        (
            "Machine per deal set-up / bigaccount set-up",
            setup.machine_small.best / setup.bigaccount_small.best,
        ),
        (
            f"add_model at {size.add_model_cap // 1000}k / {size.live_small // 1000}k registered",
            setup.add_model_large.best / setup.add_model_small.best,
        ),
        (
            "Machine per deal memory / bigaccount deal memory",
            memory.machine_per_deal / memory.deal_started,
        ),
    )
    for name, value in info:
        print(f"  {name:<52}{value:7.2f}x")
    print("  anchors measured earlier on this machine (not re-measured):")
    for anchor in ANCHORS:
        print(f"    {anchor}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a smaller, faster run")
    parser.add_argument("--profile", action="store_true", help="also profile a bigaccount move")
    args = parser.parse_args(argv)
    size = QUICK if args.quick else FULL
    began = time.perf_counter()
    cycle = build_cycle()
    moves = bench_moves(cycle, size)
    setup = bench_setup(cycle, size)
    memory = bench_memory(cycle, size)
    replay = bench_replay(cycle, size)
    print_report(size, args.quick, cycle, moves, setup, memory, replay, time.perf_counter() - began)
    if args.profile:
        profile_move(cycle)
    return 0


if __name__ == "__main__":
    sys.exit(main())
