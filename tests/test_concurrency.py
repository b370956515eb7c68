"""Moves of one deal are atomic and serialized: many threads moving shared deals break nothing."""

from __future__ import annotations

import datetime as dt
import random
import sys
import threading
from collections import Counter
from collections.abc import Iterator

import pytest

from bigaccount import (
    Account,
    BigAccountError,
    Context,
    Deal,
    FactChange,
    Money,
    Segment,
    Snapshot,
    StageChange,
    get_cycle,
)

THREADS = 8
MOVES = 1000
CYCLES = ("funnel", "advancement", "development")


def _facts_of(cycle: str) -> list[str]:
    return sorted({c.id for c in get_cycle(cycle).criteria})


@pytest.fixture(autouse=True)
def _switch_often() -> Iterator[None]:
    """Let threads interleave every few bytecodes, so that a missing lock shows."""
    before = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    yield
    sys.setswitchinterval(before)


def test_eight_threads_moving_shared_deals_leave_every_log_consistent() -> None:
    deals = [
        Deal(f"KA-{i}", Account(f"客户{i}", segment), Money("1000000", "CNY"))
        for i, segment in enumerate((Segment.SME, Segment.ENTERPRISE, Segment.GOVERNMENT))
    ]
    facts = sorted({f for c in CYCLES for f in _facts_of(c)})
    triggers = sorted(
        {t.trigger for c in CYCLES for t in get_cycle(c).transitions} | {"advance", "win"}
    )
    tick = iter(range(10**9))
    tick_lock = threading.Lock()
    base = dt.datetime(2027, 5, 1, tzinfo=dt.timezone.utc)

    def now() -> dt.datetime:
        with tick_lock:
            return base + dt.timedelta(seconds=next(tick))

    clock = Context(clock=now)
    tallies: list[Counter[str]] = []
    anomalies: list[BaseException] = []
    start = threading.Barrier(THREADS)

    def work(seed: int) -> None:
        rng = random.Random(seed)
        done: Counter[str] = Counter()
        tallies.append(done)
        start.wait()
        for _ in range(MOVES):
            deal = rng.choice(deals)
            cycle = rng.choice(CYCLES)
            try:
                roll = rng.random()
                if roll < 0.3:
                    done["facts"] += len(deal.establish(rng.choice(facts), context=clock))
                elif roll < 0.4:
                    done["facts"] += len(deal.retract(rng.choice(facts), context=clock))
                else:
                    trigger = rng.choice(triggers)
                    reason = "test" if trigger in ("lose", "stall") else None
                    deal.move(
                        cycle,
                        trigger,
                        reason=reason,
                        context=clock,
                        imported=trigger.startswith("enter_"),
                    )
                    done["moves"] += 1
            except BigAccountError:
                pass
            except BaseException as error:
                anomalies.append(error)

    threads = [threading.Thread(target=work, args=(seed,)) for seed in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert anomalies == []
    done = sum(tallies, Counter())
    moves = [e for d in deals for e in d.events if isinstance(e, StageChange)]
    assert len(moves) == done["moves"] > 0
    for deal in deals:
        events = deal.events
        assert deal.version == len(events)
        assert len({id(e) for e in events}) == len(events)
        assert [e.at for e in events] == sorted(e.at for e in events)
        replayed = Deal.replay(deal.id, deal.account, deal.amount, events)
        assert replayed == deal
        for name, track in deal.tracks.items():
            assert track.history == tuple(
                e for e in events if isinstance(e, StageChange) and e.cycle == name
            )
        for k, event in enumerate(events):
            if not isinstance(event, StageChange) or event.imported:
                continue
            cycle = get_cycle(event.cycle)
            step = cycle.table.step(event.source or "<start>", event.trigger)
            assert step is not None
            evidence = Snapshot(deal.facts_at(k), deal.segment)
            reports = step.evaluate(evidence, Context(moment=event.at))
            assert all(r.passed for r in reports), (deal.id, k, event)
    assert sum(isinstance(e, FactChange) for d in deals for e in d.events) == done["facts"]
