"""The command line: ``bigaccount demo | cycles | show | reference | replay | import | mappings``.

``bigaccount import MAPPING FILE...`` reads CRM exports through a mapping (a shipped one,
see ``bigaccount mappings``, or a TOML file) and writes the deals as JSON lines (to
``--output FILE``, or to standard output, the summary then going to standard error).
``bigaccount replay CYCLE FILE`` checks a CSV of stage changes read by header
(``key,from,to`` unless told other column names). Every list of problems is printed in
full or says how many more there are; ``--format json`` and ``--format csv`` are for
scripts; ``--lang zh`` (before or after the command) speaks Chinese.

Exit status: 0 every row accepted; 1 some rows refused; 2 a usage or input error (a bad
argument, a missing file or column, a malformed mapping).

Tables and progress bars use ``rich`` when it is installed (the ``cli`` extra) and the
output is a terminal; otherwise the output is plain text.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import IO, Any

from .declarations import load_cycle
from .diagrams import mermaid
from .errors import BigAccountError, InvalidData
from .labels import Label, Lang, language
from .registry import cycle_names, get_cycle, register_cycle

EXIT_OK = 0
"""Every row was accepted."""
EXIT_REFUSED = 1
"""Some rows were refused (they are listed, and can be written with ``--refused``)."""
EXIT_ERROR = 2
"""A usage or input error: nothing was imported."""

PROGRESS_AFTER = 1.0
"""Seconds an input must take before a progress bar is shown."""

DEFAULT_LIMIT = 20
"""How many problems are listed unless ``--limit`` says otherwise (0: all)."""

_ROWS = Label("行", "rows")
_ACCEPTED = Label("已接受", "accepted")
_REFUSED = Label("已拒绝", "refused")
_UNCHANGED = Label("阶段未变（已接受）", "unchanged (accepted, stage repeated)")
_DEALS = Label("商机", "deals")
_KEYS = Label("个键", "keys")
_ENTERED = Label("从中途进入", "entered mid-pipeline")
_BY_STATE = Label("各状态的商机", "deals by state")
_BY_PROBLEM = Label("拒绝原因", "refused by reason")
_SORTED = Label(
    "历史行未按时间排列、已按时间排序的商机", "deals whose rows were out of time order (sorted)"
)
_REPEATS = Label("与前面某行完全相同的行", "rows identical to an earlier row")
_MORE = Label(
    "……另有 {n:,} 条（--limit 0 全部列出）", "… and {n:,} more (--limit 0 lists them all)"
)
_WROTE = Label("已写入 {n:,} 个商机：{path}", "wrote {n:,} deals to {path}")
_WROTE_REFUSED = Label("已写入 {n:,} 行被拒绝的数据：{path}", "wrote {n:,} refused rows to {path}")
_READING = Label("读取", "reading")
_BUILDING = Label("生成商机", "building deals")
_TAX = Label("金额", "amounts")
_NO_TAX = Label("无金额", "no amounts")
_SHIPPED = Label("随附的映射", "shipped mappings")


def _text(label: Label, lang: str, **values: Any) -> str:
    return label.text(lang).format(**values)


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


# -- output helpers ----------------------------------------------------------------------


def _rich_console(stream: IO[str]) -> Any:
    """A rich console on *stream* when rich is installed and *stream* is a terminal, else None."""
    if not getattr(stream, "isatty", lambda: False)():
        return None
    try:
        from rich.console import Console
    except ImportError:
        return None
    return Console(file=stream)


def _listed(lines: Sequence[str], limit: int, lang: str) -> list[str]:
    if limit <= 0 or len(lines) <= limit:
        return list(lines)
    return [*lines[:limit], "  " + _text(_MORE, lang, n=len(lines) - limit)]


class _Progress:
    """A progress bar on standard error, shown only once an input has taken a second."""

    def __init__(self, enabled: bool, lang: str) -> None:
        self.enabled = enabled and sys.stderr.isatty()
        self.lang = lang
        self.start = time.monotonic()
        self.bar: Any = None
        self.task: Any = None
        self.phase = ""
        self.plain = False

    def __call__(self, phase: str, done: int, total: int | None) -> None:
        if not self.enabled or time.monotonic() - self.start < PROGRESS_AFTER:
            return
        name = _text(_READING if phase == "read" else _BUILDING, self.lang)
        if self.bar is None and not self.plain:
            try:
                from rich.progress import Progress
            except ImportError:
                self.plain = True
            else:
                from rich.console import Console

                self.bar = Progress(console=Console(file=sys.stderr), transient=True)
                self.bar.start()
        if self.bar is not None:
            if phase != self.phase:
                self.task = self.bar.add_task(name, total=total)
                self.phase = phase
            self.bar.update(self.task, completed=done, total=total)
            return
        share = f" {done / total:.0%}" if total else f" {done:,}"
        sys.stderr.write(f"\r{name}{share}   ")
        sys.stderr.flush()
        self.phase = phase

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()
        elif self.plain and self.phase:
            sys.stderr.write("\r" + " " * 40 + "\r")
            sys.stderr.flush()


# -- replay ------------------------------------------------------------------------------


def _replay(args: argparse.Namespace, out: IO[str]) -> int:
    from .importers.problems import Problem
    from .importers.sources import MissingColumns, Unreadable, read_csv

    table = get_cycle(args.name).table
    source = read_csv(args.path, delimiter=args.delimiter, encoding=args.encoding)
    names = (args.key, args.source, args.dest)
    absent = [c for c in names if c not in source.columns]
    if absent:
        raise MissingColumns(source.name, absent, source.columns)
    at = [source.columns.index(c) for c in names]
    rows: list[tuple[str, str | None, str]] = []
    where: list[tuple[int, int]] = []
    problems: list[tuple[int, int, str, str, str]] = []
    count = 0
    for line, record in source.records():
        count += 1
        if isinstance(record, Unreadable):
            problems.append((count, line, "", record.problem.value, record.detail))
            continue
        key, origin, dest = (str(record[i]).strip() for i in at)
        if not key or not dest:
            empty = args.key if not key else args.dest
            problems.append((count, line, key, Problem.MISSING_VALUE.value, f"{empty} is empty"))
            continue
        rows.append((key, origin or None, dest))
        where.append((count, line))
    result = table.replay_states(rows, enter_anywhere=args.enter_anywhere)
    for n, bad_key, problem in result.errors:
        row, line = where[n - 1]
        problems.append((row, line, str(bad_key), Problem.NO_MOVE.value, problem))
    problems.sort()
    lang = args.lang
    if args.format == "json":
        document = {
            "cycle": args.name,
            "rows": count,
            "keys": len(result.states),
            "refused": len(problems),
            "entered": result.entered,
            "states": dict(sorted(_count(result.states.values()).items())),
            "problems": [
                {"row": r, "line": ln, "key": k, "problem": p, "detail": d}
                for r, ln, k, p, d in problems
            ],
        }
        print(json.dumps(document, ensure_ascii=False, indent=2), file=out)
    elif args.format == "csv":
        import csv

        writer = csv.writer(out)
        writer.writerow(("row", "line", "key", "problem", "detail"))
        writer.writerows(problems)
    else:
        head = (
            f"{count} {_ROWS.text(lang)}, {len(result.states)} {_KEYS.text(lang)},"
            f" {len(problems)} {_REFUSED.text(lang)}"
        )
        if args.enter_anywhere:
            head += f", {result.entered} {_ENTERED.text(lang)}"
        listed = [
            f"  row {r} ({k}): {d} [line {ln}]" if k else f"  row {r}: {d} [line {ln}]"
            for r, ln, k, _, d in problems
        ]
        print("\n".join([head, *_listed(listed, args.limit, lang)]), file=out)
    return EXIT_REFUSED if problems else EXIT_OK


def _count(values: Any) -> dict[str, int]:
    counts: dict[str, int] = {}
    for value in values:
        counts[value] = counts.get(value, 0) + 1
    return counts


# -- import ------------------------------------------------------------------------------


def _load_base(path: str) -> dict[str, Any]:
    from .deal import Deal
    from .io import loads

    deals: dict[str, Deal] = {}
    with open(path, encoding="utf-8") as handle:
        for n, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                deal = loads(line, Deal)
            except BigAccountError as error:
                raise InvalidData("base", f"{path} line {n}: {error}") from None
            deals[deal.id] = deal
    return deals


def _import(args: argparse.Namespace, out: IO[str], err: IO[str]) -> int:
    from .importers import import_deals, resolve_mapping
    from .io import dumps

    mapping = resolve_mapping(args.mapping)
    if args.encoding is not None:
        import codecs

        import attrs

        try:
            codecs.lookup(args.encoding)
        except LookupError:
            raise InvalidData("--encoding", f"unknown encoding {args.encoding!r}") from None
        mapping = attrs.evolve(mapping, encoding=args.encoding)
    base = _load_base(args.base) if args.base is not None else None
    as_of = _moment(args.as_of) if args.as_of is not None else None
    progress = _Progress(not args.no_progress, args.lang)
    try:
        result = import_deals(args.files, mapping, as_of=as_of, base=base, progress=progress)
    finally:
        progress.close()
    summary_to = out
    if args.output is None or args.output == "-":
        for deal in result.deals.values():
            out.write(dumps(deal) + "\n")
        summary_to = err
    else:
        with open(args.output, "w", encoding="utf-8") as handle:
            for deal in result.deals.values():
                handle.write(dumps(deal) + "\n")
    notes: list[str] = []
    if args.output not in (None, "-"):
        notes.append(_text(_WROTE, args.lang, n=len(result.deals), path=args.output))
    if args.refused is not None:
        n = result.write_refused(args.refused)
        notes.append(_text(_WROTE_REFUSED, args.lang, n=n, path=args.refused))
    _summary(result, args, summary_to, notes)
    return EXIT_REFUSED if result.refused else EXIT_OK


def _moment(text: str) -> Any:
    import datetime as dt

    try:
        if len(text) == 10:
            return dt.date.fromisoformat(text)
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        raise InvalidData("--as-of", f"{text!r} is not an ISO date or time (2026-03-31)") from None
    if moment.utcoffset() is None:
        raise InvalidData("--as-of", f"{text!r} has no timezone: add one (2026-03-31T18:00+08:00)")
    return moment


def _summary(result: Any, args: argparse.Namespace, out: IO[str], notes: list[str]) -> None:
    lang = args.lang
    if args.format == "json":
        document = {
            "mapping": result.mapping,
            "kind": result.kind.value,
            "cycle": result.cycle,
            "sources": list(result.sources),
            "rows": result.rows,
            "accepted": result.accepted,
            "refused": len(result.refused),
            "unchanged": len(result.unchanged),
            "deals": len(result.deals),
            "tax": None if result.tax is None else result.tax.value,
            "by_state": result.by_state,
            "by_problem": {p.value: n for p, n in result.by_problem.items()},
            "sorted_deals": list(result.sorted_deals),
            "repeats": len(result.repeats),
            "refusals": [
                {
                    "source": r.source,
                    "line": r.line,
                    "key": r.key,
                    "problem": r.problem.value,
                    "detail": r.detail,
                }
                for r in result.refused
            ],
        }
        print(json.dumps(document, ensure_ascii=False, indent=2), file=out)
        return
    if args.format == "csv":
        import csv

        header, body = result.refused_table()
        writer = csv.writer(out)
        writer.writerow(header)
        writer.writerows(body)
        return
    counts = [
        (_ROWS, result.rows),
        (_ACCEPTED, result.accepted),
        (_REFUSED, len(result.refused)),
        (_DEALS, len(result.deals)),
    ]
    if result.unchanged:
        counts.insert(2, (_UNCHANGED, len(result.unchanged)))
    tax = result.tax.label.text(lang) if result.tax is not None else _NO_TAX.text(lang)
    lines = [
        f"{result.mapping}: {result.kind.label.text(lang)} → {result.cycle};"
        f" {', '.join(result.sources)}",
        "  " + "; ".join(f"{label.text(lang)} {n:,}" for label, n in counts),
        f"  {_TAX.text(lang)}: {tax}",
        f"  {_BY_STATE.text(lang)}: "
        + (", ".join(f"{state} {n:,}" for state, n in result.by_state.items()) or "-"),
    ]
    if result.by_problem:
        lines.append(
            f"  {_BY_PROBLEM.text(lang)}: "
            + ", ".join(f"{p.label.text(lang)} {n:,}" for p, n in result.by_problem.items())
        )
    if result.sorted_deals:
        ids = list(result.sorted_deals)
        shown = ", ".join(ids if args.limit <= 0 else ids[: args.limit])
        if 0 < args.limit < len(ids):
            shown += " " + _text(_MORE, lang, n=len(ids) - args.limit)
        lines.append(f"  {_SORTED.text(lang)} ({len(ids)}): {shown}")
    if result.repeats:
        lines.append(f"  {_REPEATS.text(lang)}: {len(result.repeats):,}")
    refusals = [f"  {r.text(lang)}" for r in result.refused]
    console = _rich_console(out)
    if console is not None and result.refused:
        from rich.table import Table

        console.print("\n".join(lines), highlight=False, markup=False)
        grid = Table(show_edge=False)
        for name in ("source", "line", "key", "problem", "detail"):
            grid.add_column(name, overflow="fold")
        chosen = result.refused if args.limit <= 0 else result.refused[: args.limit]
        for r in chosen:
            grid.add_row(r.source, str(r.line), r.key or "", r.problem.label.text(lang), r.detail)
        console.print(grid)
        if args.limit > 0 and len(result.refused) > args.limit:
            more = _text(_MORE, lang, n=len(result.refused) - args.limit)
            console.print(more, markup=False, highlight=False)
        for note in notes:
            console.print(note, markup=False, highlight=False)
        return
    print("\n".join([*lines, *_listed(refusals, args.limit, lang), *notes]), file=out)


def _mappings(args: argparse.Namespace, out: IO[str]) -> int:
    from importlib.resources import files

    from .importers import Mapping, mapping_names

    if args.name is None:
        print(_SHIPPED.text(args.lang) + ":", file=out)
        for name in mapping_names():
            mapping = Mapping.shipped(name)
            print(f"  {name:<24} {mapping.kind.value:<9} {mapping.description or ''}", file=out)
        return EXIT_OK
    Mapping.shipped(args.name)
    text = (files("bigaccount.importers") / "mappings" / f"{args.name}.toml").read_text("utf-8")
    print(text, end="", file=out)
    return EXIT_OK


# -- the parser --------------------------------------------------------------------------


def _parser() -> argparse.ArgumentParser:
    langs = [lang.value for lang in Lang]
    parser = argparse.ArgumentParser(
        prog="bigaccount",
        description=__doc__.split("\n\n")[0] if __doc__ else None,
        epilog="exit status: 0 every row accepted, 1 some rows refused, 2 usage or input error",
    )
    parser.add_argument("--lang", choices=langs, default="en", help="language of the output")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--lang", choices=langs, default=argparse.SUPPRESS, help="language of the output"
    )
    common.add_argument(
        "--cycle",
        metavar="FILE",
        action="append",
        default=argparse.SUPPRESS,
        help="load a cycle from a TOML or JSON file and register it under its name "
        "(repeatable); then name it wherever a cycle name is asked",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    sub.add_parser(
        "demo",
        parents=[common],
        help="walk a key-account deal through the cycles",
        description="Walk a realistic key-account deal through the funnel and the P0-P7 cycle.",
    )
    sub.add_parser(
        "cycles",
        parents=[common],
        help="list the registered cycles",
        description="List the registered cycles with their names.",
    )
    show = sub.add_parser(
        "show",
        parents=[common],
        help="show a cycle's stages and gates",
        description="Show one cycle's stages, probabilities and gates.",
    )
    show.add_argument("name", help="the cycle's name (see `bigaccount cycles`)")
    show.add_argument("--mermaid", action="store_true", help="print its mermaid diagram")
    sub.add_parser(
        "reference",
        parents=[common],
        help="print the reference page of every built-in cycle",
        description="Print the generated reference page of the built-in cycles (Markdown).",
    )
    formats = argparse.ArgumentParser(add_help=False)
    formats.add_argument(
        "--format",
        choices=("table", "json", "csv"),
        default="table",
        help="table for people (default), json or csv for scripts",
    )
    formats.add_argument(
        "--limit",
        type=int,
        default=DEFAULT_LIMIT,
        metavar="N",
        help=f"list at most N problems and say how many more (default {DEFAULT_LIMIT}; 0: all)",
    )
    replay = sub.add_parser(
        "replay",
        parents=[common, formats],
        help="check a CSV of stage changes (key,from,to)",
        description=(
            "Check a CSV of stage changes against a cycle. Columns are found by header name;"
            " a key's rows must follow one another (its first row starts from nothing, unless"
            " --enter-anywhere lets it enter any state)."
        ),
    )
    replay.add_argument("name", help="the cycle's name")
    replay.add_argument("path", help="the CSV file")
    replay.add_argument(
        "--key", default="key", metavar="COLUMN", help="the key column (default: key)"
    )
    replay.add_argument(
        "--from",
        dest="source",
        default="from",
        metavar="COLUMN",
        help="the column of the state before (default: from)",
    )
    replay.add_argument(
        "--to",
        dest="dest",
        default="to",
        metavar="COLUMN",
        help="the column of the state after (default: to)",
    )
    replay.add_argument(
        "--enter-anywhere",
        action="store_true",
        help="let a key's first row enter any state (histories that begin mid-pipeline)",
    )
    replay.add_argument("--delimiter", default=",", help="the CSV delimiter (default ,)")
    replay.add_argument("--encoding", default=None, help="the file's encoding (default: detected)")
    imp = sub.add_parser(
        "import",
        parents=[common, formats],
        help="import CRM exports through a mapping",
        description=(
            "Import CSV exports through a mapping (a shipped one, see `bigaccount mappings`,"
            " or a .toml file) and write the deals as JSON lines. Every row is accounted for:"
            " accepted, or refused with its line and reason."
        ),
    )
    imp.add_argument("mapping", help="a shipped mapping's name or a mapping file (.toml)")
    imp.add_argument("files", nargs="+", metavar="FILE", help="the CSV exports, read as one")
    imp.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        help="write the deals here (JSON lines); without it they go to standard output"
        " and the summary to standard error",
    )
    imp.add_argument("--refused", metavar="FILE", help="write the refused rows here (CSV)")
    imp.add_argument(
        "--as-of",
        metavar="WHEN",
        help="when the snapshot was taken (2026-03-31 or an ISO time with a zone):"
        " the time of rows that have none",
    )
    imp.add_argument(
        "--base",
        metavar="FILE",
        help="deals (JSON lines of an earlier import) giving a history its accounts and amounts",
    )
    imp.add_argument(
        "--encoding", default=None, help="the files' encoding, instead of the mapping's"
    )
    imp.add_argument("--no-progress", action="store_true", help="never show a progress bar")
    maps = sub.add_parser(
        "mappings",
        parents=[common],
        help="list the shipped mappings, or print one",
        description="List the mappings shipped with bigaccount, or print one as TOML.",
    )
    maps.add_argument("name", nargs="?", help="print this mapping's TOML")
    return parser


def main(
    argv: Sequence[str] | None = None, *, out: IO[str] | None = None, err: IO[str] | None = None
) -> int:
    """Run the command line; returns the exit status (0 ok, 1 rows refused, 2 error)."""
    stdout = out if out is not None else sys.stdout
    stderr = err if err is not None else sys.stderr
    args = _parser().parse_args(argv)
    commands: dict[str, Callable[[], int]] = {
        "demo": lambda: _demo(args, stdout),
        "cycles": lambda: _cycles(stdout),
        "show": lambda: _print(_show(args.name, args.mermaid), stdout),
        "reference": lambda: _reference(stdout),
        "replay": lambda: _replay(args, stdout),
        "import": lambda: _import(args, stdout, stderr),
        "mappings": lambda: _mappings(args, stdout),
    }
    try:
        for path in getattr(args, "cycle", ()):
            register_cycle(load_cycle(Path(path)), replace=True)
        with language(args.lang):
            return commands[args.command]()
    except (BigAccountError, OSError, UnicodeDecodeError) as exc:
        print(f"bigaccount: {exc}", file=stderr)
        return EXIT_ERROR


def _print(text: str, out: IO[str]) -> int:
    print(text, file=out)
    return EXIT_OK


def _demo(args: argparse.Namespace, out: IO[str]) -> int:
    from ._demo import run_demo

    return _print(run_demo(args.lang), out)


def _cycles(out: IO[str]) -> int:
    for name in cycle_names():
        print(f"{name:<12} {get_cycle(name).label}", file=out)
    return EXIT_OK


def _reference(out: IO[str]) -> int:
    from ._reference import render_reference

    print(render_reference(), end="", file=out)
    return EXIT_OK
