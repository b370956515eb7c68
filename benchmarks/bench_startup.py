"""Benchmark: how long ``import bigaccount`` takes beside ``import cattrs``, and what the
first use of the built-in data files costs.

Run it by hand from the repository root, never under pytest::

    python benchmarks/bench_startup.py            # best of 15 fresh interpreters each
    python benchmarks/bench_startup.py --runs 40  # steadier on a busy machine

Every measure starts a fresh interpreter (``python -c "…"``, the interpreter running
this script) so that nothing is cached in memory, and reports the best wall time of
``--runs`` starts (after one unmeasured start of each, to warm the file cache). Byte
code is cached as in an installed package, but in a temporary folder
(``PYTHONPYCACHEPREFIX``), so nothing is written beside the sources and a
``PYTHONDONTWRITEBYTECODE`` in the environment does not turn every import into a
compilation; ``--source`` measures that case instead (no byte code at all). The
cost of the interpreter itself is measured the same way (``python -c "pass"``) and taken
off every figure, so the numbers are the cost of the import or call alone. The snippets
run in random order within each round, so a busy moment does not favour one of them.

What is measured:

* ``import cattrs`` — the baseline: a library bigaccount depends on.
* ``import attrs`` — for scale.
* ``import bigaccount`` — the public names are loaded on first use; the target is
  **at most 2× ``import cattrs``** (``TARGET``).
* ``get_cycle("funnel")`` after the import — the first use of a built-in cycle: read and
  parse its data file, check it, compile it (and register the library's criteria).
* ``get_cycle(...)`` for all five built-in cycles.
* ``catalogue_ids()`` — the catalogue file, read and checked on first use.
* ``check_positions(...)`` — the value chain file and its three cycles.

The report prints each figure in milliseconds and as a ratio to ``import cattrs``,
then PASS or MISS for the target. Only ratios of one run should be compared between
machines.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import subprocess
import sys
import tempfile
import time

TARGET = 2.0
"""``import bigaccount`` / ``import cattrs``: at most this."""

SNIPPETS = {
    "python -c pass": "pass",
    "import attrs": "import attrs",
    "import cattrs": "import cattrs",
    "import bigaccount": "import bigaccount",
    "get_cycle('funnel')": "import bigaccount; bigaccount.get_cycle('funnel')",
    "all five cycles": (
        "import bigaccount\n"
        "for n in ('decision', 'activity', 'advancement', 'funnel', 'development'):\n"
        "    bigaccount.get_cycle(n)"
    ),
    "catalogue_ids()": "from bigaccount.catalogues import catalogue_ids; catalogue_ids()",
    "check_positions()": (
        "from bigaccount.valuechain import check_positions; check_positions('CHOICE', 'CLOSING')"
    ),
}


_DROP = ("PYTHONPROFILEIMPORTTIME", "PYTHONDONTWRITEBYTECODE", "PYTHONPYCACHEPREFIX")


def _env(source: bool, cache: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in _DROP}
    if source:
        env["PYTHONDONTWRITEBYTECODE"] = "1"
        env["PYTHONPYCACHEPREFIX"] = os.path.join(cache, "none")
    else:
        env["PYTHONPYCACHEPREFIX"] = cache
    return env


def _once(code: str, env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True, env=env)
    return time.perf_counter() - start


def measure(runs: int, *, source: bool = False) -> dict[str, float]:
    """The best wall time of *runs* fresh interpreters for each snippet, in seconds."""
    best = dict.fromkeys(SNIPPETS, float("inf"))
    names = list(SNIPPETS)
    with tempfile.TemporaryDirectory(prefix="bench_startup_") as cache:
        env = _env(source, cache)
        for name in names:
            _once(SNIPPETS[name], env)
        for round_ in range(runs):
            random.Random(round_).shuffle(names)
            for name in names:
                best[name] = min(best[name], _once(SNIPPETS[name], env))
            print(f"  round {round_ + 1}/{runs}", file=sys.stderr, end="\r")
    print(file=sys.stderr)
    return best


def report(best: dict[str, float]) -> bool:
    """Print the figures and the target; return whether it is met."""
    base = best["python -c pass"]
    cost = {name: max(t - base, 0.0) for name, t in best.items() if name != "python -c pass"}
    cattrs = cost["import cattrs"]
    print(f"python {platform.python_version()} on {platform.machine()}, load {_load()}")
    print(f"interpreter start-up (python -c pass): {base * 1000:7.1f} ms, taken off below")
    print(f"{'':22}{'ms':>9}{'/ import cattrs':>18}")
    for name, seconds in cost.items():
        print(f"{name:22}{seconds * 1000:9.1f}{seconds / cattrs:18.2f}")
    ratio = cost["import bigaccount"] / cattrs
    ok = ratio <= TARGET
    print(
        f"import bigaccount / import cattrs = {ratio:.2f} (target <= {TARGET}): "
        + ("PASS" if ok else "MISS")
    )
    return ok


def _load() -> str:
    try:
        return ", ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "n/a"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=15, help="fresh interpreters per snippet")
    parser.add_argument("--source", action="store_true", help="no byte code: compile every import")
    args = parser.parse_args(argv)
    print("byte code: none, every import compiled" if args.source else "byte code: cached")
    report(measure(args.runs, source=args.source))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
