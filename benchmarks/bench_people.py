"""Benchmark: buying centers and their scores scale linearly; Money stays cheap.

Run it by hand, never under pytest::

    python benchmarks/bench_people.py                 # sizes 10 … 10 000, about a minute
    python benchmarks/bench_people.py --quick         # sizes 10 … 1 000, a few seconds
    git show REF:src/bigaccount/money.py > /tmp/money_before.py
    python benchmarks/bench_people.py --money-before /tmp/money_before.py

**People.** For org charts of 10, 100, 1 000 and 10 000 people, in two shapes — a tree
(everyone reports to one of the people above, five reports each) and a chain (each person
reports to the previous one: the deepest chart there is) — it times building the
:class:`~bigaccount.people.BuyingCenter` (with its checks), :func:`relationship_scores`,
:func:`fishnet` and :func:`to_mermaid`, and walking every person's chain of bosses
(``chain_of``: up to n steps each, so n² steps for a chain; it is shown, not targeted). It
prints the time per person at each size and the ratio largest / smallest: near-linear
work keeps the time per person flat, so the ratio stays near 1 (target ≤ 2; quadratic
work would give ~1 000, cubic ~10^6).

**Money.** It times ``Money("1200000.50", "CNY")`` and ``a + b`` against the same work
on plain ``Decimal`` (``Decimal("1200000.50")``, ``x + y``) in the same run, and prints
the ratios. With ``--money-before FILE`` it also loads an earlier ``money.py`` (for
example the one of a previous release) beside the current one and prints after / before.

Timing: ``time.perf_counter_ns`` with the garbage collector collected then off, each
measure repeated until it lasts long enough, the best of several repeats reported. Only
ratios of one run should be compared between machines.
"""

from __future__ import annotations

import argparse
import gc
import importlib.machinery
import importlib.util
import platform
import sys
import time
from collections.abc import Callable
from decimal import Decimal
from functools import partial
from types import ModuleType
from typing import Any

from bigaccount.money import Money
from bigaccount.people import BuyingCenter, Influence, Stakeholder
from bigaccount.scoring.fishnet import fishnet, to_mermaid
from bigaccount.scoring.relationship import relationship_scores

TARGET_FLAT = 2.0
"""Time per person at the largest size / at the smallest: at most this ("near-linear")."""

LEVELS = ("decision", "management", "operational")
FUNCTIONS = ("user", "technical", "finance", "procurement", "other")
ROLES = ("decision_maker", "influencer", "user", "gatekeeper", "coach")
ATTITUDES = ("supporter", "neutral", "opponent")
RUNGS = ("unknown", "acquainted", "familiar", "approving", "trusting", "friends", "partners")


def _run(work: Callable[[], Any], loops: int) -> int:
    gc.collect()
    gc.disable()
    try:
        start = time.perf_counter_ns()
        for _ in range(loops):
            work()
        return time.perf_counter_ns() - start
    finally:
        gc.enable()


def best_ns(
    works: dict[str, Callable[[], Any]], repeats: int = 5, at_least_ns: int = 20_000_000
) -> dict[str, float]:
    """The best time of one call of each of *works*, in ns.

    Each work is looped until a run lasts long enough to read; the works then take
    turns within every repeat, so that a slow patch of the machine hurts them alike.
    """
    loops = {}
    for key, work in works.items():
        n = 1
        while _run(work, n) < at_least_ns and n < 1 << 20:
            n *= 2
        loops[key] = n
    best = {key: float("inf") for key in works}
    for _ in range(repeats):
        for key, work in works.items():
            best[key] = min(best[key], _run(work, loops[key]) / loops[key])
    return best


def best_one(work: Callable[[], Any], repeats: int = 5) -> float:
    """The best time of one call of *work*, in ns."""
    return best_ns({"work": work}, repeats)["work"]


# -- people ------------------------------------------------------------------------------


def org(n: int, shape: str) -> tuple[list[Stakeholder], list[Influence]]:
    """*n* people in a tree (five reports each) or a chain, with one influence edge each."""
    people = []
    for i in range(n):
        if i == 0:
            boss = None
        elif shape == "chain":
            boss = f"p{i - 1:06d}"
        else:
            boss = f"p{(i - 1) // 5:06d}"
        people.append(
            Stakeholder(
                f"p{i:06d}",
                f"person {i}",
                LEVELS[min(2, i.bit_length() // 5)],
                FUNCTIONS[i % 5],
                ROLES[i % 5],
                attitude=ATTITUDES[i % 3],
                rung=RUNGS[i % 7],
                influence=float(1 + i % 9),
                reports_to=boss,
            )
        )
    edges = [Influence(f"p{i:06d}", f"p{(i * 7 + 3) % n:06d}") for i in range(n)]
    edges = [e for e in edges if e.source != e.target]
    return people, edges


def bench_people(sizes: list[int]) -> list[tuple[str, float]]:
    print("\n== buying centers: time per person (µs)")
    operations: dict[str, Callable[[BuyingCenter, list[Stakeholder], list[Influence]], Any]] = {
        "build": lambda c, p, e: BuyingCenter(p, e),
        "relationship_scores": lambda c, p, e: relationship_scores(c),
        "fishnet": lambda c, p, e: fishnet(c),
        "to_mermaid": lambda c, p, e: to_mermaid(fishnet(c), "en"),
    }
    walks = {"chain_of all": lambda c, p, e: [c.chain_of(x.id) for x in p]}
    ratios: list[tuple[str, float]] = []
    header = (
        f"{'shape':6} {'operation':20} " + " ".join(f"{n:>9}" for n in sizes) + "  largest/smallest"
    )
    print(header)
    for shape in ("tree", "chain"):
        charts = {n: org(n, shape) for n in sizes}
        centers = {n: BuyingCenter(*charts[n]) for n in sizes}
        for name, op in {**operations, **walks}.items():
            per_person = []
            for n in sizes:
                people, edges = charts[n]
                center = centers[n]
                if name == "chain_of all" and shape == "chain" and n > 2000:
                    per_person.append(float("nan"))
                    continue
                ns = best_one(partial(op, center, people, edges))
                per_person.append(ns / n / 1000)
                print(f"  {shape} {name} n={n}: {ns / 1e6:.2f} ms", file=sys.stderr)
            cells = " ".join(f"{t:9.2f}" for t in per_person)
            measured = [t for t in per_person if t == t]
            ratio = measured[-1] / measured[0]
            targeted = name in operations
            verdict = ("PASS" if ratio <= TARGET_FLAT else "MISS") if targeted else "(info)"
            print(f"{shape:6} {name:20} {cells}  {ratio:8.2f}x {verdict}")
            if targeted:
                ratios.append((f"{shape} {name}", ratio))
    return ratios


# -- money -------------------------------------------------------------------------------


def load_money(path: str) -> ModuleType:
    """An earlier ``money.py`` loaded beside the current one, as ``bigaccount._money_before``."""
    name = "bigaccount._money_before"
    loader = importlib.machinery.SourceFileLoader(name, path)
    spec = importlib.util.spec_from_loader(name, loader)
    assert spec is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    loader.exec_module(module)
    return module


def bench_money(before_path: str | None) -> None:
    print("\n== Money: ns per operation")
    x, y = Decimal("1200000.50"), Decimal("300000.25")
    a, b = Money("1200000.50", "CNY"), Money("300000.25", "CNY")
    works: dict[str, Callable[[], Any]] = {
        "construct": lambda: Money("1200000.50", "CNY"),
        "add": lambda: a + b,
        "plain construct": lambda: Decimal("1200000.50"),
        "plain add": lambda: x + y,
    }
    if before_path:
        old = load_money(before_path).Money
        c, d = old("1200000.50", "CNY"), old("300000.25", "CNY")
        works["before construct"] = lambda: old("1200000.50", "CNY")
        works["before add"] = lambda: c + d
    best = best_ns(works, repeats=9)
    now = {key: best[key] for key in ("construct", "add")}
    plain = {key: best[f"plain {key}"] for key in ("construct", "add")}
    before = {key: best[f"before {key}"] for key in ("construct", "add")} if before_path else {}
    print(f"{'operation':10} {'Money':>9} {'Decimal':>9} {'Money/Decimal':>14}", end="")
    print(f" {'before':>9} {'after/before':>13}" if before else "")
    for key, label in (("construct", 'Money("1200000.50", "CNY")'), ("add", "a + b")):
        line = f"{key:10} {now[key]:9.0f} {plain[key]:9.0f} {now[key] / plain[key]:13.2f}x"
        if before:
            line += f" {before[key]:9.0f} {now[key] / before[key]:12.2f}x"
        print(line + f"   {label}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="sizes 10 … 1 000 only")
    parser.add_argument("--money-before", metavar="FILE", help="an earlier money.py to compare")
    args = parser.parse_args()
    print(f"python {platform.python_version()} on {platform.machine()}")
    sizes = [10, 100, 1000] if args.quick else [10, 100, 1000, 10_000]
    ratios = bench_people(sizes)
    bench_money(args.money_before)
    worst = max(ratios, key=lambda r: r[1])
    print(f"\nworst largest/smallest: {worst[1]:.2f}x ({worst[0]}), target ≤ {TARGET_FLAT}x")


if __name__ == "__main__":
    main()
