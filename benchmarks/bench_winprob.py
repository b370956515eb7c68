"""Benchmark of the learned win probability against a hand-written counting loop.

Run it by hand, never under pytest::

    python benchmarks/bench_winprob.py            # 10^6 closed and 10^6 open deals
    python benchmarks/bench_winprob.py --quick    # 10^5 of each, a few seconds

It fits :class:`bigaccount.analytics.winprob.WinModel` on synthetic closed deals and
scores as many open ones (``WinModel.probabilities``), and times the same work done by a
hand-written loop: a dictionary increment per deal and attribute, the same contribution
formula, a sum of look-ups and a logistic per open deal. Both must give the same
probabilities (checked). The target is bigaccount / loop ≤ 1.5x for fit + score. For
reference, scikit-learn's ``CategoricalNB`` is timed on the same deals when it is
installed (a benchmark-only extra): on integer codes prepared beforehand (its best case),
and with the encoding of the text values counted in.

Timing: ``time.perf_counter``, the garbage collector collected then off while timing,
the engines interleaved within each repeat; the best of the repeats is reported, the
median in brackets, and the ratios use the best times. Progress goes to stderr.
"""

from __future__ import annotations

import argparse
import gc
import math
import platform
import random
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from typing import Any

from bigaccount.analytics.winprob import WinModel

TARGET = 1.5
"""bigaccount fit + score costs at most this many hand-written loops."""

SIZES = {
    "client": 3,
    "segment": 3,
    "source": 8,
    "product": 14,
    "seller": 20,
    "budget": 3,
    "region": 5,
    "need": 4,
}
"""The synthetic attributes and how many values each has (like the Salvirt answers)."""


def synthetic(n: int, seed: int) -> tuple[list[dict[str, str | None]], list[bool]]:
    """*n* deals whose outcome follows a known logistic model of their attributes; 2 % missing."""
    rnd = random.Random(seed)
    effect = {a: [rnd.gauss(0, 0.6) for _ in range(k)] for a, k in SIZES.items()}
    names = {a: [f"{a}-{i}" for i in range(k)] for a, k in SIZES.items()}
    records: list[dict[str, str | None]] = []
    outcomes: list[bool] = []
    for _ in range(n):
        record: dict[str, str | None] = {}
        z = -0.2
        for a, k in SIZES.items():
            i = rnd.randrange(k)
            z += effect[a][i]
            record[a] = None if rnd.random() < 0.02 else names[a][i]
        records.append(record)
        outcomes.append(rnd.random() < 1 / (1 + math.exp(-z)))
    return records, outcomes


# -- the hand-written loop -----------------------------------------------------------


def loop_fit_and_score(
    closed: Sequence[dict[str, str | None]],
    outcomes: Sequence[bool],
    open_deals: Sequence[dict[str, str | None]],
    attributes: Sequence[str],
) -> list[float]:
    """The model's counts, contributions and probabilities, with plain loops and dicts."""
    p0, s0, m = 0.5, 2.0, 2.0
    won_counts: list[dict[str | None, int]] = [{} for _ in attributes]
    lost_counts: list[dict[str | None, int]] = [{} for _ in attributes]
    won = lost = 0
    for record, y in zip(closed, outcomes, strict=True):
        tables = won_counts if y else lost_counts
        if y:
            won += 1
        else:
            lost += 1
        for a, table in zip(attributes, tables, strict=True):
            v = record.get(a)
            table[v] = table.get(v, 0) + 1
    base = (won + s0 * p0) / (won + lost + s0)
    prior = math.log(base) - math.log1p(-base)
    contributions = []
    for w_table, l_table in zip(won_counts, lost_counts, strict=True):
        w_tot = sum(c for v, c in w_table.items() if v is not None)
        l_tot = sum(c for v, c in l_table.items() if v is not None)
        pi = (w_tot + s0 * p0) / (w_tot + l_tot + s0)
        effects: dict[str | None, float] = {}
        for v in set(w_table) | set(l_table):
            if v is None:
                continue
            w, lo = w_table.get(v, 0), l_table.get(v, 0)
            effects[v] = math.log((w + m * pi) * (1 - pi)) - math.log((lo + m * (1 - pi)) * pi)
        contributions.append(effects)
    result = []
    for record in open_deals:
        s = prior
        for a, effect in zip(attributes, contributions, strict=True):
            s += effect.get(record.get(a), 0.0)
        s = min(max(s, -30.0), 30.0)
        result.append(1 / (1 + math.exp(-s)))
    return result


def library_fit_and_score(
    closed: Sequence[dict[str, str | None]],
    outcomes: Sequence[bool],
    open_deals: Sequence[dict[str, str | None]],
    attributes: Sequence[str],
) -> list[float]:
    return WinModel(tuple(attributes)).updated(closed, outcomes).probabilities(open_deals)


def sklearn_engines(attributes: Sequence[str]) -> dict[str, Callable[..., Any]] | None:
    try:
        import numpy as np
        from sklearn.naive_bayes import CategoricalNB  # type: ignore[import-untyped]
    except ImportError:
        return None

    def encode(rows: Sequence[dict[str, str | None]], codes: list[dict[str | None, int]]) -> Any:
        columns = []
        for a, code in zip(attributes, codes, strict=True):
            columns.append([code.setdefault(r.get(a), len(code)) for r in rows])
        return np.array(columns, dtype=np.int32).T

    def encoded(x_closed: Any, y: Any, x_open: Any) -> list[float]:
        seen = np.maximum(x_closed.max(axis=0), x_open.max(axis=0)) + 1
        model = CategoricalNB(alpha=1.0, min_categories=seen)
        model.fit(x_closed, y)
        return list(model.predict_proba(x_open)[:, 1])

    def with_encoding(closed: Any, outcomes: Any, open_deals: Any, _: Any) -> list[float]:
        codes: list[dict[str | None, int]] = [{} for _ in attributes]
        x_closed, x_open = encode(closed, codes), encode(open_deals, codes)
        return encoded(x_closed, np.array(outcomes), x_open)

    return {"encode": encode, "encoded": encoded, "with_encoding": with_encoding}


# -- timing --------------------------------------------------------------------------


def timed(call: Callable[[], Any]) -> tuple[float, Any]:
    gc.collect()
    gc.disable()
    try:
        start = time.perf_counter()
        result = call()
        return time.perf_counter() - start, result
    finally:
        gc.enable()


def report(name: str, times: list[float]) -> str:
    return f"{name:<44}{min(times):>9.3f} s  [{statistics.median(times):.3f}]"


def main(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="10^5 deals instead of 10^6")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args(argv)
    n = 100_000 if args.quick else 1_000_000
    attributes = tuple(SIZES)
    print(f"generating {n:,} closed and {n:,} open deals …", file=sys.stderr)
    closed, outcomes = synthetic(n, seed=1)
    open_deals, _ = synthetic(n, seed=2)
    engines: dict[str, Callable[[], Any]] = {
        "hand-written loop": lambda: loop_fit_and_score(closed, outcomes, open_deals, attributes),
        "bigaccount WinModel": lambda: library_fit_and_score(
            closed, outcomes, open_deals, attributes
        ),
    }
    fit_only = {
        "bigaccount fit (updated)": lambda: WinModel(attributes).updated(closed, outcomes),
    }
    sk = sklearn_engines(attributes)
    if sk is not None:
        import numpy as np

        codes: list[dict[str | None, int]] = [{} for _ in attributes]
        x_closed, x_open = sk["encode"](closed, codes), sk["encode"](open_deals, codes)
        y = np.array(outcomes)
        engines["sklearn CategoricalNB, encoded beforehand"] = lambda: sk["encoded"](
            x_closed, y, x_open
        )
        engines["sklearn CategoricalNB, with encoding"] = lambda: sk["with_encoding"](
            closed, outcomes, open_deals, None
        )
    times: dict[str, list[float]] = {name: [] for name in [*engines, *fit_only]}
    results: dict[str, Any] = {}
    for repeat in range(args.repeats):
        print(f"repeat {repeat + 1}/{args.repeats}", file=sys.stderr)
        for name, call in [*engines.items(), *fit_only.items()]:
            seconds, results[name] = timed(call)
            times[name].append(seconds)
    ours, loop = results["bigaccount WinModel"], results["hand-written loop"]
    worst = max(abs(a - b) for a, b in zip(ours, loop, strict=True))
    machine = f"python {platform.python_version()} on {platform.machine()}"
    print(f"{machine}, {n:,} closed + {n:,} open deals")
    print(f"same probabilities as the loop: max |difference| = {worst:.2e}")
    for name in times:
        print(report(name, times[name]))
    ratio = min(times["bigaccount WinModel"]) / min(times["hand-written loop"])
    verdict = "PASS" if ratio <= TARGET and worst <= 1e-12 else "MISS"
    print(f"bigaccount / hand-written loop: {ratio:.2f}x (target <= {TARGET}x) {verdict}")
    if sk is not None:
        for name in (
            "sklearn CategoricalNB, encoded beforehand",
            "sklearn CategoricalNB, with encoding",
        ):
            print(
                f"{name} / bigaccount: {min(times[name]) / min(times['bigaccount WinModel']):.2f}x"
            )
        theirs = results["sklearn CategoricalNB, encoded beforehand"]
        gap = statistics.fmean(abs(a - b) for a, b in zip(ours, theirs, strict=True))
        print(f"mean |bigaccount − CategoricalNB| probability (different smoothing): {gap:.4f}")
    else:
        print("scikit-learn not installed: CategoricalNB not measured")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
