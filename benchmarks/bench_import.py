"""Benchmark of the importer against hand-written loops doing the same mapping and checks.

Run it by hand, never under pytest::

    python benchmarks/bench_import.py              # 10^6 history rows (a few minutes)
    python benchmarks/bench_import.py --quick      # 20 000 rows, seconds
    python benchmarks/bench_import.py --rows 200000

A synthetic Salesforce-like ``OpportunityHistory`` export is written to a temporary file:
deals of 1 to 8 rows (stage changes along the KA funnel, amounts, close dates), about 1 %
of deals with rows out of time order, 0.5 % reversed after a win (won → lost), 0.1 % of
rows with an unknown stage name. It is imported three ways, each producing the same deals
and refusing the same rows (checked):

* ``bigaccount``: ``import_deals(path, mapping)``, the mapping declared as data;
* ``csv.DictReader``: a hand-written loop reading each row by header, parsing the time
  (``strptime``, with the same cache of distinct texts the importer keeps) and the amount,
  mapping the stage, refusing duplicates and unknown stages, grouping by deal, sorting by
  time, building each ``Deal`` and replaying it through the engine (``enter`` then
  ``table.between`` moves with ``imported=True``), refusing reversals;
* with pandas (when installed): ``pandas.read_csv`` and the same hand loop over the frame,
  against ``import_deals(read_frame(pandas.read_csv(path)), mapping)``.

Targets: the importer takes at most 2× the hand-written loop, on both paths. Memory per
imported deal is measured with ``tracemalloc`` (bytes still held after the import, divided
by the number of deals), for the importer's result and for the hand-built deals alone.
Everything is timed in one run, with the garbage collector collected then disabled while
timing; ratios are computed from the best of the repeats.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import functools
import gc
import os
import platform
import random
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Iterable
from decimal import Decimal
from pathlib import Path
from typing import Any

from bigaccount import Account, Deal, Money, Segment, get_cycle
from bigaccount.importers import import_deals, read_frame

TARGET = 2.0
"""The importer costs at most this many hand-written loops."""

FORMAT = "%m/%d/%y %I:%M %p"
STAGES = {
    "Prospecting": "TARGET",
    "Qualification": "TARGET",
    "Needs Analysis": "INTENT",
    "Value Proposition": "APPROVED",
    "Id. Decision Makers": "APPROVED",
    "Perception Analysis": "ENDORSED",
    "Proposal/Price Quote": "ENDORSED",
    "Negotiation/Review": "NEGOTIATION",
    "Closed Won": "WON",
    "Closed Lost": "LOST",
}
PATH = list(STAGES)[:8]
MAPPING: dict[str, Any] = {
    "kind": "history",
    "cycle": "funnel",
    "source": "salesforce",
    "formats": {"datetime": [FORMAT], "date": ["%m/%d/%y"]},
    "columns": {
        "id": "OpportunityId",
        "row_id": "Id",
        "time": "CreatedDate",
        "stage": "StageName",
        "amount": "Amount",
        "account": "AccountId",
        "expected_close": "CloseDate",
    },
    "amount": {"currency": "USD", "tax": "exclusive"},
    "segment": {"default": "enterprise"},
    "stages": STAGES,
    "missing": {"reason": {"default": "closed lost"}},
}
HEADER = [
    "Id",
    "OpportunityId",
    "AccountId",
    "CreatedDate",
    "StageName",
    "Amount",
    "CloseDate",
    "Probability",
    "IsDeleted",
]


def say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def write_export(path: Path, rows: int, seed: int = 7) -> int:
    """Write *rows* history rows; return the number of deals."""
    rng = random.Random(seed)
    start = dt.datetime(2024, 1, 1, 9, 0)
    n = deals = 0
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        while n < rows:
            deals += 1
            key = f"006{deals:012d}"
            length = min(rng.randint(1, 8), rows - n)
            at = start + dt.timedelta(minutes=rng.randint(0, 60 * 24 * 700))
            step = rng.randint(0, 2)
            out: list[list[str]] = []
            for k in range(length):
                if k == length - 1 and length > 1 and rng.random() < 0.6:
                    name = rng.choice(("Closed Won", "Closed Lost"))
                else:
                    step = min(step + rng.randint(0, 2), len(PATH) - 1)
                    name = PATH[step]
                if rng.random() < 0.001:
                    name = "Closed Maybe"
                at += dt.timedelta(minutes=rng.randint(1, 60 * 24 * 20))
                out.append(
                    [
                        f"008{n + k:012d}",
                        key,
                        f"001{deals % 5000:012d}",
                        at.strftime(FORMAT),
                        name,
                        str(rng.randint(1, 500) * 1000),
                        (at + dt.timedelta(days=60)).strftime("%m/%d/%y"),
                        "10",
                        "FALSE",
                    ]
                )
            if out[-1][4] == "Closed Won" and rng.random() < 0.05 and len(out) < rows - n:
                at += dt.timedelta(days=3)
                lost = [*out[-1]]
                lost[0], lost[3], lost[4] = f"008r{n:011d}", at.strftime(FORMAT), "Closed Lost"
                out.append(lost)
            if len(out) > 1 and rng.random() < 0.01:
                out[0], out[-1] = out[-1], out[0]
            writer.writerows(out)
            n += len(out)
    return deals


# -- the hand-written loop ----------------------------------------------------------------


def hand_import(records: Iterable[dict[str, Any]]) -> tuple[dict[str, Deal], list[tuple[int, str]]]:
    """The same mapping and checks, written by hand: deals, and refused (position, reason)."""
    cycle = get_cycle("funnel")
    between = cycle.table.between
    tz = dt.timezone.utc
    parse = functools.lru_cache(maxsize=1 << 16)(
        lambda text: dt.datetime.strptime(text, FORMAT).replace(tzinfo=tz)
    )
    parse_date = functools.lru_cache(maxsize=1 << 16)(
        lambda text: dt.datetime.strptime(text, "%m/%d/%y").date()
    )
    refused: list[tuple[int, str]] = []
    seen: set[str] = set()
    groups: dict[str, list[tuple[dt.datetime, str, Decimal, Any, str, int]]] = {}
    for n, row in enumerate(records, 1):
        if row["Id"] in seen:
            refused.append((n, "duplicate"))
            continue
        seen.add(row["Id"])
        state = STAGES.get(row["StageName"])
        if state is None:
            refused.append((n, "unknown_stage"))
            continue
        try:
            at = parse(row["CreatedDate"])
            amount = Decimal(row["Amount"]) if row["Amount"] else None
            close = parse_date(row["CloseDate"]) if row["CloseDate"] else None
        except ValueError:
            refused.append((n, "bad value"))
            continue
        groups.setdefault(row["OpportunityId"], []).append(
            (at, state, amount, close, row["AccountId"], n)
        )
    deals: dict[str, Deal] = {}
    for key, items in groups.items():
        items.sort(key=lambda item: item[0])
        kept, current = [], None
        for item in items:
            if current is not None and item[1] != current and between(current, item[1]) is None:
                continue
            kept.append(item)
            current = item[1]
        last = kept[-1]
        amount = next((i[2] for i in reversed(kept) if i[2] is not None), Decimal(0))
        close = next((i[3] for i in reversed(kept) if i[3] is not None), None)
        deal = Deal(
            key, Account(last[4], Segment.ENTERPRISE), Money(amount, "USD"), expected_close=close
        )
        current = None
        for at, state, _, _, _, n in items:
            reason = "closed lost" if state == "LOST" else None
            if current is None:
                deal.enter(cycle, state, at=at, source="salesforce", reason=reason)
            elif state != current:
                step = between(current, state)
                if step is None:
                    refused.append((n, "reversal"))
                    continue
                deal.move(
                    cycle, step.trigger, at=at, imported=True, source="salesforce", reason=reason
                )
            current = state
        deals[key] = deal
    return deals, refused


def hand_csv(path: Path) -> tuple[dict[str, Deal], list[tuple[int, str]]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return hand_import(csv.DictReader(handle))


def hand_pandas(path: Path) -> tuple[dict[str, Deal], list[tuple[int, str]]]:
    import pandas as pd

    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    columns = list(frame.columns)
    return hand_import(
        dict(zip(columns, values, strict=True)) for values in frame.itertuples(index=False)
    )


def ours_pandas(path: Path) -> Any:
    import pandas as pd

    return import_deals(read_frame(pd.read_csv(path, dtype=str, keep_default_na=False)), MAPPING)


# -- timing ---------------------------------------------------------------------------------


def timed(runs: list[Callable[[], Any]], repeats: int) -> list[tuple[float, float, Any]]:
    """Best and median seconds, and the last result, of each run; runs interleaved per repeat.

    The order of the runs alternates from one repeat to the next, so that a slow patch of
    the machine (other work on its cores) hurts them alike.
    """
    times: list[list[float]] = [[] for _ in runs]
    results: list[Any] = [None] * len(runs)
    for repeat in range(repeats):
        order = list(range(len(runs)))
        if repeat % 2:
            order.reverse()
        for i in order:
            results[i] = None
            gc.collect()
            gc.disable()
            try:
                start = time.perf_counter()
                results[i] = runs[i]()
                times[i].append(time.perf_counter() - start)
            finally:
                gc.enable()
    out = []
    for i, spent in enumerate(times):
        spent.sort()
        out.append((spent[0], spent[len(spent) // 2], results[i]))
    return out


def same(result: Any, hand: tuple[dict[str, Deal], list[tuple[int, str]]]) -> None:
    deals, refused = hand
    assert list(result.deals) == list(deals), "the same deals in the same order"
    for key, deal in deals.items():
        assert result.deals[key] == deal, key
    assert result.rows == result.accepted + len(result.refused)
    assert len(result.refused) == len(refused), (len(result.refused), len(refused))


def memory(run: Callable[[], Any]) -> tuple[int, int]:
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    result = run()
    gc.collect()
    held = tracemalloc.get_traced_memory()[0] - before
    tracemalloc.stop()
    deals = result.deals if hasattr(result, "deals") else result[0]
    return held, len(deals)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--quick", action="store_true", help="20 000 rows, one repeat")
    parser.add_argument("--repeats", type=int, default=None)
    args = parser.parse_args()
    rows = 20_000 if args.quick else args.rows
    repeats = args.repeats or (1 if args.quick or rows >= 500_000 else 3)
    folder = Path(tempfile.mkdtemp(prefix="bench_import_"))
    path = folder / "OpportunityHistory.csv"
    say(f"writing {rows:,} rows to {path}")
    deals = write_export(path, rows)
    size = path.stat().st_size
    report = [
        f"bigaccount importer benchmark — {platform.python_implementation()} "
        f"{platform.python_version()}, {os.cpu_count()} cores",
        f"input: {rows:,} history rows of {deals:,} deals ({size / 1e6:.1f} MB),"
        f" {repeats} repeat(s)",
        "",
    ]
    warm = folder / "warm.csv"
    write_export(warm, 2_000, seed=3)
    same(import_deals(warm, MAPPING), hand_csv(warm))
    warm.unlink()
    say("csv.DictReader loop and import_deals …")
    (hand_best, hand_median, hand), (ours_best, ours_median, ours) = timed(
        [lambda: hand_csv(path), lambda: import_deals(path, MAPPING)], repeats
    )
    same(ours, hand)
    ratio = ours_best / hand_best
    report += [
        f"csv.DictReader hand loop   {hand_best:8.2f} s  (median {hand_median:.2f})"
        f"  {hand_best / rows * 1e6:6.1f} µs/row",
        f"import_deals (CSV)         {ours_best:8.2f} s  (median {ours_median:.2f})"
        f"  {ours_best / rows * 1e6:6.1f} µs/row",
        f"ratio importer / hand loop {ratio:8.2f}x  target ≤ {TARGET}x  "
        + ("PASS" if ratio <= TARGET else "MISS"),
        f"rows refused: {len(ours.refused):,} ("
        + ", ".join(f"{p.value} {n}" for p, n in ours.by_problem.items())
        + f"); deals sorted: {len(ours.sorted_deals):,}",
        "",
    ]
    try:
        import pandas  # noqa: F401
    except ImportError:
        report.append("pandas: not installed (the `pandas` extra), path not measured")
    else:
        say("pandas.read_csv + hand loop, and import_deals(read_frame(...)) …")
        (pd_hand_best, pd_hand_median, pd_hand), (pd_best, pd_median, pd_ours) = timed(
            [lambda: hand_pandas(path), lambda: ours_pandas(path)], repeats
        )
        same(pd_ours, pd_hand)
        pd_ratio = pd_best / pd_hand_best
        report += [
            f"pandas.read_csv + hand loop {pd_hand_best:7.2f} s  (median {pd_hand_median:.2f})",
            f"import_deals (DataFrame)    {pd_best:7.2f} s  (median {pd_median:.2f})",
            f"ratio importer / hand loop  {pd_ratio:7.2f}x  target ≤ {TARGET}x  "
            + ("PASS" if pd_ratio <= TARGET else "MISS"),
            "",
        ]
    sample = min(rows, 100_000)
    small = folder / "sample.csv"
    write_export(small, sample, seed=11)
    say("memory …")
    ours_bytes, ours_deals = memory(lambda: import_deals(small, MAPPING))
    hand_bytes, hand_deals = memory(lambda: hand_csv(small))
    report += [
        f"memory per imported deal ({sample:,} rows, tracemalloc, held after the import):",
        f"  import_deals result  {ours_bytes / ours_deals:8,.0f} B/deal ({ours_deals:,} deals)",
        f"  hand-built deals     {hand_bytes / hand_deals:8,.0f} B/deal",
        f"  importer overhead    {(ours_bytes - hand_bytes) / ours_deals:8,.0f} B/deal"
        " (positions of rows, refusals, the result)",
    ]
    print("\n".join(report))
    for file in (path, small):
        file.unlink()
    folder.rmdir()


if __name__ == "__main__":
    main()
