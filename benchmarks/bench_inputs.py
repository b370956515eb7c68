"""What checking every input costs: checked construction against the trusted path, same run.

Every public value refuses bad input when built. The library's own scores build their
results from values already checked, through a trusted path that skips the checks; this
script prints, per value, the time of a checked construction, of the trusted one, and
their ratio, then the time per person of the scores that build them (``fishnet`` and
``relationship_scores`` at 10 and 3 000 people). Run by hand:

    python benchmarks/bench_inputs.py
"""

from __future__ import annotations

import datetime as dt
import functools
import time
from collections.abc import Callable

from bigaccount._validate import trusted
from bigaccount.people import BuyingCenter, Function, Level, Stakeholder
from bigaccount.scoring.fishnet import fishnet
from bigaccount.scoring.relationship import CoverageCell, Depth, relationship_scores
from bigaccount.scoring.swot import FactorScore, Quadrant


def best(call: Callable[[], object], repeat: int) -> float:
    """The best CPU time per call (seconds) over five rounds of *repeat* calls."""
    rounds = []
    for _ in range(5):
        start = time.process_time()
        for _ in range(repeat):
            call()
        rounds.append((time.process_time() - start) / repeat)
    return min(rounds)


def center(n: int) -> BuyingCenter:
    levels, functions = ("decision", "management", "operational"), ("user", "technical", "finance")
    return BuyingCenter(
        tuple(
            Stakeholder(
                f"p{i}",
                f"P{i}",
                levels[i % 3],
                functions[i % 3],
                "influencer",
                rung="familiar",
                reports_to=f"p{i - 1}" if i else None,
                last_contact=dt.date(2026, 1, 1),
            )
            for i in range(n)
        )
    )


def main() -> None:
    values: list[tuple[str, Callable[[], object], Callable[[], object]]] = [
        ("Depth", lambda: Depth(0.5, 3, 6.0, False), lambda: trusted(Depth, 0.5, 3, 6.0, False)),
        (
            "CoverageCell",
            lambda: CoverageCell(Level.DECISION, Function.USER, 2, 1, 0.5),
            lambda: trusted(CoverageCell, Level.DECISION, Function.USER, 2, 1, 0.5),
        ),
        (
            "FactorScore",
            lambda: FactorScore("s1", Quadrant.STRENGTH, 0.5, 3.0, 1.5),
            lambda: trusted(FactorScore, "s1", Quadrant.STRENGTH, 0.5, 3.0, 1.5),
        ),
    ]
    print(f"{'value':14} {'checked µs':>11} {'trusted µs':>11} {'ratio':>6}")
    for name, checked, fast in values:
        a, b = best(checked, 20_000), best(fast, 20_000)
        print(f"{name:14} {a * 1e6:11.2f} {b * 1e6:11.2f} {a / b:6.2f}")
    as_of = dt.date(2026, 6, 1)
    print(f"\n{'score':20} {'people':>7} {'µs per person':>14}")
    sizes = {10: 2_000, 3_000: 10}
    scores: tuple[Callable[[BuyingCenter, dt.date], object], ...] = (fishnet, relationship_scores)
    for score in scores:
        per_person = []
        for n, repeat in sizes.items():
            call = functools.partial(score, center(n), as_of)
            per_person.append(best(call, repeat) / n)
            print(f"{getattr(score, '__name__', 'score'):20} {n:7} {per_person[-1] * 1e6:14.2f}")
        print(f"{'':20} largest/smallest per person: {per_person[-1] / per_person[0]:.2f}")


if __name__ == "__main__":
    main()
