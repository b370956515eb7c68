"""The command line: ``python -m bigaccount demo | cycles | show NAME | reference | replay``.

Everything it prints is derived from the cycle declarations.
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections.abc import Sequence

from .diagrams import mermaid
from .errors import BigAccountError
from .labels import Lang, language
from .registry import cycle_names, get_cycle


def _show(name: str, diagram: bool) -> str:
    cycle = get_cycle(name)
    if diagram:
        return mermaid(cycle)
    rows = [f"{cycle.label} ({cycle.name}, {cycle.kind.value})"]
    for i, stage in enumerate(cycle.stages):
        p = "" if stage.probability is None else f" {stage.probability:.0%}"
        rows.append(f"  {i}. {stage.id:<18} {stage.label}{p}")
        for kind, gate in (("entry", stage.entry), ("exit", stage.exit)):
            if gate.criteria:
                rows.append(f"       {kind}: {gate.rule}")
            for criterion in gate.criteria:
                rows.append(f"       - {criterion.label}")
    return "\n".join(rows)


def _replay(name: str, path: str) -> tuple[str, bool]:
    table = get_cycle(name).table
    rows: list[tuple[str, str | None, str]] = []
    malformed: list[str] = []
    with open(path, newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        header = next(reader, None)
        if header is None or len(header) < 3:
            raise BigAccountError(f"{path}: expected a header and rows of key,from,to")
        for line, record in enumerate(reader, 2):
            if not any(field.strip() for field in record):
                continue
            if len(record) < 3 or not record[0] or not record[2]:
                malformed.append(f"  line {line}: expected key,from,to, got {record!r}")
                continue
            rows.append((record[0], record[1] or None, record[2]))
    result = table.replay_states(rows)
    lines = [f"{result.rows} rows, {len(result.states)} keys, {len(result.errors)} refused"]
    lines += [f"  row {n} ({key}): {problem}" for n, key, problem in result.errors[:50]]
    lines += malformed[:50]
    return "\n".join(lines), result.ok and not malformed


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = argparse.ArgumentParser(prog="bigaccount", description=__doc__)
    parser.add_argument("--lang", choices=[lang.value for lang in Lang], default="en")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("demo", help="walk a key-account deal through the cycles")
    sub.add_parser("cycles", help="list the registered cycles")
    show = sub.add_parser("show", help="show a cycle's stages and gates")
    show.add_argument("name")
    show.add_argument("--mermaid", action="store_true", help="print its mermaid diagram")
    sub.add_parser("reference", help="print the reference page of every built-in cycle")
    replay = sub.add_parser("replay", help="check a CSV of stage changes (key,from,to)")
    replay.add_argument("name")
    replay.add_argument("path")
    args = parser.parse_args(argv)
    try:
        with language(args.lang):
            if args.command == "demo":
                from ._demo import run_demo

                print(run_demo(args.lang))
            elif args.command == "cycles":
                for name in cycle_names():
                    print(f"{name:<12} {get_cycle(name).label}")
            elif args.command == "show":
                print(_show(args.name, args.mermaid))
            elif args.command == "reference":
                from ._reference import render_reference

                print(render_reference(), end="")
            elif args.command == "replay":
                text, ok = _replay(args.name, args.path)
                print(text)
                return 0 if ok else 1
    except (BigAccountError, OSError, UnicodeDecodeError) as exc:
        print(f"bigaccount: {exc}", file=sys.stderr)
        return 2
    return 0
