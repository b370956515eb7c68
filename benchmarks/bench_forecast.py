"""Benchmark of the forecast analytics against hand-written loops, and quantiles vs Monte Carlo.

Run it by hand, never under pytest::

    python benchmarks/bench_forecast.py            # full run (10^6 deals; a few minutes)
    python benchmarks/bench_forecast.py --quick    # smaller sizes, seconds

Every ratio compares two computations of the same figures in the same run, and the
script checks that they agree before it prints the ratio:

* the column path (``forecast_columns`` on int amounts, float probabilities and dates)
  against a hand-written loop over ``(amount, probability, date)`` tuples: target 1.5x;
* the numpy path (int64 amounts, float64 probabilities, integer month codes) against
  hand-written numpy doing the same exact integer sums: target 1.5x;
* the object path (``forecast(deals, ...)``) against a hand-written loop over the same
  ``Deal`` objects: target 1.2x (on fewer deals: building 10^6 deals takes minutes);
* the won-revenue quantiles of 10^4 deals against a 10^5-draw numpy Monte Carlo: the
  time of each, and the distance of the Monte Carlo quantiles from the bracket.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import math
import random
import sys
import time
from collections.abc import Callable
from decimal import Decimal
from statistics import NormalDist
from typing import Any

import numpy as np

from bigaccount import Account, Deal, Money, get_cycle
from bigaccount.analytics.forecast import TaxBasis, forecast, forecast_columns
from bigaccount.analytics.periods import Horizon, month_code
from bigaccount.analytics.uncertainty import won_revenue_columns

TARGET_COLUMNS = 1.5
TARGET_NUMPY = 1.5
TARGET_OBJECTS = 1.2
PROBS = (0.1, 0.2, 0.3, 0.4, 0.5, 0.8, 1.0, 0.0)
HORIZON = Horizon(dt.date(2026, 1, 1), 12)
FIRST = HORIZON.first


def best(fn: Callable[[], Any], repeats: int) -> tuple[float, Any]:
    """The best time of *repeats* runs (garbage collector off), and the last result."""
    times, result = [], None
    for _ in range(repeats):
        gc.collect()
        gc.disable()
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
        gc.enable()
    return min(times), result


def report(name: str, ours: float, theirs: float, target: float | None) -> None:
    ratio = ours / theirs
    verdict = "" if target is None else ("PASS" if ratio <= target else "MISS")
    goal = "" if target is None else f" (target <= {target}x) {verdict}"
    print(f"{name:44s} {ours * 1e3:9.1f} ms vs {theirs * 1e3:9.1f} ms  = {ratio:5.2f}x{goal}")


def hand_loop(rows: list[tuple[int, float, dt.date | None]]) -> dict[int, list[int]]:
    """Per bin: count, Σ a and Σ a·basis points, written out by hand."""
    size = HORIZON.count
    out: dict[int, list[int]] = {}
    for amount, p, close in rows:
        if close is None:
            key = size + 2
        else:
            offset = close.year * 12 + close.month - 1 - FIRST
            key = 0 if offset < 0 else (offset + 1 if offset < size else size + 1)
        row = out.get(key)
        if row is None:
            row = out[key] = [0, 0, 0]
        row[0] += 1
        row[1] += amount
        row[2] += amount * round(p * 10_000)
    return out


def hand_numpy(amounts: Any, probs: Any, months: Any) -> tuple[Any, Any, Any]:
    points = np.rint(probs * 10_000).astype(np.int64)
    keys = np.clip(months - (FIRST - 1), 0, HORIZON.count + 1)
    counts = np.bincount(keys, minlength=HORIZON.count + 3)
    sums = np.zeros(HORIZON.count + 3, dtype=np.int64)
    np.add.at(sums, keys, amounts)
    weighted = np.zeros(HORIZON.count + 3, dtype=np.int64)
    np.add.at(weighted, keys, amounts * points)
    return counts, sums, weighted


def hand_objects(deals: list[Deal], points: dict[str, Decimal]) -> dict[int, list[Any]]:
    size = HORIZON.count
    out: dict[int, list[Any]] = {}
    for deal in deals:
        track = deal.tracks.get("funnel")
        if track is None or track.state in ("LOST", "STALLED"):
            continue
        state = track.state
        last = track.last_change
        close = last.at.date() if state == "WON" and last is not None else deal.expected_close
        if close is None:
            key = size + 2
        else:
            offset = close.year * 12 + close.month - 1 - FIRST
            key = 0 if offset < 0 else (offset + 1 if offset < size else size + 1)
        row = out.get(key)
        if row is None:
            row = out[key] = [0, Decimal(0), Decimal(0)]
        amount = deal.amount.amount
        row[0] += 1
        row[1] += amount
        row[2] += amount * points[state]
    return out


def check(result: Any, by_hand: dict[int, list[Any]], scale: int) -> None:
    rows = (result.overdue, *result.periods, result.later, result.undated)
    for key, (count, amount, weighted) in by_hand.items():
        row = rows[key]
        assert row.deals == count, (key, row.deals, count)
        assert row.amount.amount == Decimal(amount).scaleb(-scale)
        assert row.weighted.amount == Decimal(weighted).scaleb(-scale - 4)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller sizes")
    args = parser.parse_args()
    n = 100_000 if args.quick else 1_000_000
    n_objects = 20_000 if args.quick else 200_000
    n_quantile, draws = (1_000, 10_000) if args.quick else (10_000, 100_000)
    repeats = 3 if args.quick else 5
    rng = random.Random(2026)
    days = [dt.date(2025, 10, 1) + dt.timedelta(days=i) for i in range(600)]
    amounts = [rng.randrange(100, 10**9) for _ in range(n)]
    probs = [rng.choice(PROBS) for _ in range(n)]
    closes: list[dt.date | None] = [
        rng.choice(days) if rng.random() > 0.02 else None for _ in range(n)
    ]
    rows = list(zip(amounts, probs, closes, strict=True))
    print(f"python {sys.version.split()[0]}, numpy {np.__version__}; {n:,} deals", file=sys.stderr)

    def ours() -> Any:
        return forecast_columns(
            amounts,
            probs,
            closes,
            horizon=HORIZON,
            currency="CNY",
            tax=TaxBasis.INCLUSIVE,
            minor_unit=2,
        )

    theirs_t, by_hand = best(lambda: hand_loop(rows), repeats)
    ours_t, result = best(ours, repeats)
    check(result, by_hand, 2)
    report("column path / hand-written tuple loop", ours_t, theirs_t, TARGET_COLUMNS)

    a = np.array(amounts, dtype=np.int64)
    p = np.array(probs)
    dated = [c if c is not None else days[0] for c in closes]
    months = np.array([month_code(c) for c in dated], dtype=np.int64)
    theirs_t, (counts, sums, weighted) = best(lambda: hand_numpy(a, p, months), repeats)
    ours_t, result = best(
        lambda: forecast_columns(
            a, p, months, horizon=HORIZON, currency="CNY", tax="inclusive", minor_unit=2
        ),
        repeats,
    )
    by_hand_np = {
        k: [int(counts[k]), int(sums[k]), int(weighted[k])] for k in range(len(counts)) if counts[k]
    }
    check(result, by_hand_np, 2)
    report("numpy path / hand-written numpy", ours_t, theirs_t, TARGET_NUMPY)

    cycle = get_cycle("funnel")
    at = dt.datetime(2026, 1, 5, tzinfo=dt.timezone.utc)
    states = [s.id for s in cycle.stages] + ["WON", "LOST"]
    print(f"building {n_objects:,} deals ...", file=sys.stderr)
    deals = []
    for i in range(n_objects):
        deal = Deal(f"D{i}", Account("acct", "enterprise"), Money(amounts[i], "CNY"), closes[i])
        deal.enter(cycle, states[i % len(states)], at=at)
        deals.append(deal)
    points = {}
    for state in (*states, "STALLED"):
        prob = cycle.probability(state)
        points[state] = Decimal(round((prob or 0) * 10_000)) / 10_000
    theirs_t, by_hand = best(lambda: hand_objects(deals, points), repeats)
    ours_t, result = best(
        lambda: forecast(deals, cycle, horizon=HORIZON, currency="CNY", tax="inclusive"), repeats
    )
    check(result, {k: [v[0], v[1], v[2] * 10_000] for k, v in by_hand.items()}, 0)
    report(f"object path / hand loop ({n_objects:,} deals)", ours_t, theirs_t, TARGET_OBJECTS)

    q_amounts = np.random.default_rng(7).lognormal(12, 1.2, n_quantile).astype(np.int64)
    q_probs = np.round(np.random.default_rng(8).integers(1, 20, n_quantile) * 0.05, 2)
    ours_t, dist = best(lambda: won_revenue_columns(q_amounts, q_probs, currency="CNY"), 1)

    def monte_carlo() -> Any:
        gen = np.random.default_rng(9)
        totals = np.empty(draws)
        chunk = max(1, 10_000_000 // n_quantile)
        for start in range(0, draws, chunk):
            size = min(chunk, draws - start)
            totals[start : start + size] = (gen.random((size, n_quantile)) < q_probs) @ q_amounts
        return totals

    mc_t, totals = best(monte_carlo, 1)
    report(f"quantiles, DP / {draws:,}-draw Monte Carlo ({n_quantile:,} deals)", ours_t, mc_t, None)
    print(
        f"  sd {dist.sd:,.0f}; grid step {dist.step}; sure bound {dist.error_bound};"
        f" lost {dist.lost:.1e}"
    )
    for item in dist.quantiles:
        q = float(item.q)
        mc = float(np.quantile(totals, q))
        se = math.sqrt(q * (1 - q) / draws) / NormalDist().pdf(NormalDist().inv_cdf(q))
        gap = max(float(item.low.amount) - mc, mc - float(item.high.amount), 0) / dist.sd
        print(
            f"  P{int(q * 100):02d}: DP {item.value.amount:,}"
            f" [{item.low.amount:,}, {item.high.amount:,}]"
            f" (±{item.error:,} = {float(item.error) / dist.sd:.4f} sd); MC {mc:,.0f}"
            f" ({(mc - float(item.value.amount)) / dist.sd:+.4f} sd; MC s.e. ~{se:.4f} sd)"
            f"{'' if gap <= 4 * se else '  OUTSIDE the bracket by more than 4 MC s.e.'}"
        )


if __name__ == "__main__":
    main()
