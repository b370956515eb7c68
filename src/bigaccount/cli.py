"""The command line: ``bigaccount demo | cycles | show | reference | replay | import | mappings``,
and ``explain | forecast | health | diagram | validate``.

``bigaccount import MAPPING FILE...`` reads CRM exports through a mapping (a shipped one,
see ``bigaccount mappings``, or a TOML file) and writes the deals as JSON lines (to
``--output FILE``, or to standard output, the summary then going to standard error).
``bigaccount replay CYCLE FILE`` checks a CSV of stage changes read by header
(``key,from,to`` unless told other column names). Every list of problems is printed in
full or says how many more there are; ``--format json`` and ``--format csv`` are for
scripts; ``--lang zh`` (before or after the command) speaks Chinese.

``bigaccount explain FILE`` tells each deal's stages, blockers and buyer-seller alignment;
``forecast`` and ``health`` measure the deals of a JSON-lines file; ``diagram CYCLE``
draws a cycle (mermaid or DOT); ``validate FILE`` lists every problem of a cycle file or
a document, each with its path.

Exit status: 0 every row accepted (or the file is valid); 1 some rows refused (or problems
found); 2 a usage or input error (a bad argument, a missing file or column, a malformed
mapping).

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


def _load_base(path: str) -> list[Any]:
    """The deals of a JSON-lines file, in order: ``import_deals`` refuses two of one id."""
    from .deal import Deal
    from .io import loads

    deals: list[Deal] = []
    with open(path, encoding="utf-8") as handle:
        for n, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                deals.append(loads(line, Deal))
            except BigAccountError as error:
                raise InvalidData("base", f"{path} line {n}: {error}") from None
    return deals


def _import(args: argparse.Namespace, out: IO[str], err: IO[str]) -> int:
    from .importers import import_deals, resolve_mapping
    from .io import dumps

    mapping = resolve_mapping(args.mapping)
    if args.encoding is not None:
        import attrs

        from .importers.sources import text_encoding

        mapping = attrs.evolve(mapping, encoding=text_encoding(args.encoding, "--encoding"))
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


# -- reading deals -----------------------------------------------------------------------


def _read_deals(path: str) -> list[Any]:
    """The deals of a JSON-lines file (what ``bigaccount import`` writes), in file order."""
    from .deal import Deal
    from .io import loads

    deals: list[Deal] = []
    with open(path, encoding="utf-8") as handle:
        for n, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                deals.append(loads(line, Deal))
            except BigAccountError as error:
                raise InvalidData("FILE", f"{path} line {n}: {error}") from None
    return deals


def _write(
    args: argparse.Namespace,
    out: IO[str],
    header: Sequence[str],
    rows: list[list[Any]],
    document: Any,
    table: list[str],
) -> None:
    if args.format == "json":
        print(json.dumps(document, ensure_ascii=False, indent=2), file=out)
    elif args.format == "csv":
        import csv

        writer = csv.writer(out)
        writer.writerow(header)
        writer.writerows(rows)
    else:
        print("\n".join(table), file=out)


def _currency(deals: Sequence[Any], given: str | None) -> str:
    if given is not None:
        return given
    return str(deals[0].amount.currency) if deals else "CNY"


# -- explain -----------------------------------------------------------------------------

_BLOCKED_BY = Label("下一步缺少", "next move blocked by")
_NOTHING_BLOCKS = Label("下一步无阻碍", "nothing blocks the next move")
_CLOSED = Label("已结束", "closed")
_ALIGNMENT = Label("买卖对齐", "alignment")
_NO_ALIGNMENT = Label("无对齐", "no alignment")
_NO_DEALS = Label("文件中没有商机", "no deals in the file")
_OUTCOMES = ("WON", "LOST", "STALLED")


def _explain(args: argparse.Namespace, out: IO[str]) -> int:
    from .valuechain import check_alignment

    lang = args.lang
    deals = _read_deals(args.path)
    header = ("deal", "cycle", "state", "blocker", "label")
    rows: list[list[Any]] = []
    document: list[dict[str, Any]] = []
    table: list[str] = [] if deals else [_NO_DEALS.text(lang)]
    for deal in deals:
        table.append(f"{deal.id} ({deal.account.name})")
        cycles = []
        for name, track in deal.tracks.items():
            state = track.state
            blockers = () if state in _OUTCOMES else deal.check(name).blockers
            labels = [(c.id, c.label.text(lang)) for c in blockers]
            cycles.append(
                {
                    "cycle": name,
                    "state": state,
                    "blockers": [{"id": i, "label": t} for i, t in labels],
                }
            )
            rows.extend([deal.id, name, state, i, t] for i, t in labels)
            if not labels:
                rows.append([deal.id, name, state, "", ""])
            if state in _OUTCOMES:
                note = _CLOSED.text(lang)
            elif labels:
                note = f"{_BLOCKED_BY.text(lang)}: " + "; ".join(t for _, t in labels)
            else:
                note = _NOTHING_BLOCKS.text(lang)
            table.append(f"  {name}: {state} — {note}")
        alignment: dict[str, Any] | None
        try:
            report = check_alignment(deal)
        except InvalidData as error:
            alignment = None
            table.append(f"  {_NO_ALIGNMENT.text(lang)}: {error.problem}")
        else:
            alignment = {
                "buyer": report.buyer,
                "seller": report.seller,
                "project": report.project,
                "pace": report.pace.value,
                "gap": report.gap,
                "explanation": report.explanation.text(lang),
            }
            table.append(f"  {_ALIGNMENT.text(lang)}: {report.explanation.text(lang)}")
        document.append({"id": deal.id, "cycles": cycles, "alignment": alignment})
    _write(args, out, header, rows, document, table)
    return EXIT_OK


# -- forecast ----------------------------------------------------------------------------

_PERIOD = Label("期间", "period")
_AMOUNT = Label("金额", "amount")
_WEIGHTED = Label("加权", "weighted")
_GROUPS = {
    "overdue": Label("逾期", "overdue"),
    "later": Label("之后", "later"),
    "undated": Label("无日期", "undated"),
    "total": Label("合计", "total"),
}


def _date(text: str, option: str) -> Any:
    import datetime as dt

    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise InvalidData(option, f"{text!r} is not an ISO date (2026-03-31)") from None


def _forecast(args: argparse.Namespace, out: IO[str]) -> int:
    from .analytics.forecast import forecast
    from .analytics.periods import Horizon

    lang = args.lang
    deals = _read_deals(args.path)
    if args.periods < 1:
        raise InvalidData("--periods", f"expected at least 1, got {args.periods}")
    horizon = Horizon(_date(args.start, "--start"), args.periods, args.by)
    table = forecast(
        deals,
        args.cycle_name,
        horizon=horizon,
        currency=_currency(deals, args.currency),
        tax=args.tax,
    )
    named = [(str(row.period), row) for row in table.periods]
    named += [
        (_GROUPS[g].text(lang), getattr(table, g)) for g in ("overdue", "later", "undated", "total")
    ]
    header = ("period", "deals", "amount", "weighted", "currency")
    rows = [
        [name, row.deals, str(row.amount.amount), str(row.weighted.amount), table.currency]
        for name, row in named
    ]
    document = {
        "cycle": args.cycle_name,
        "currency": table.currency,
        "tax": table.tax.value,
        "unit": args.by,
        "periods": [dict(zip(header[:4], r[:4], strict=True)) for r in rows],
    }
    lines = [
        f"{args.cycle_name}: {table.currency}, {table.tax.label.text(lang)}",
        f"  {_PERIOD.text(lang):<10} {_DEALS.text(lang):>6} {_AMOUNT.text(lang):>16}"
        f" {_WEIGHTED.text(lang):>16}",
    ]
    lines += [f"  {r[0]:<10} {r[1]:>6} {r[2]:>16} {r[3]:>16}" for r in rows]
    _write(args, out, header, rows, document, lines)
    return EXIT_OK


# -- health ------------------------------------------------------------------------------

_CAPACITY = Label("容量", "capacity")
_SLOPE = Label("转化", "conversion")
_UNIFORMITY = Label("均匀度（数量 / 金额）", "uniformity (count / amount)")
_STAY = Label("阶段停留（天，中位数）", "time in stage (days, median)")
_LENGTH = Label("周期长度（天，中位数）", "cycle length (days, median)")
_STUCK = Label("停滞的商机", "stuck deals")


def _share(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def _health(args: argparse.Namespace, out: IO[str]) -> int:
    import datetime as dt

    from .analytics.health import funnel_health

    lang = args.lang
    as_of = _moment(args.as_of)
    if not isinstance(as_of, dt.datetime):
        raise InvalidData(
            "--as-of", f"{args.as_of!r} needs a time with a zone (2026-03-31T18:00+08:00)"
        )
    deals = _read_deals(args.path)
    health = funnel_health(
        deals, args.cycle_name, as_of=as_of, currency=_currency(deals, args.currency)
    )
    header = ("measure", "stage", "to", "value", "detail")
    rows: list[list[Any]] = []
    rows += [["capacity", c.stage, "", c.deals, str(c.amount.amount)] for c in health.capacity]
    rows += [
        ["conversion", s.source, s.dest, _share(s.rate), f"{s.advanced}/{s.reached}"]
        for s in health.slope
    ]
    rows.append(["uniformity", "", "", _share(health.uniformity), _share(health.uniformity_amount)])
    rows += [
        [
            "time_in_stage",
            f.stage,
            "",
            "-" if f.stays is None else f.stays.median,
            0 if f.stays is None else f.stays.count,
        ]
        for f in health.time_in_stage
    ]
    length = health.cycle_length
    rows.append(
        [
            "cycle_length",
            "",
            "",
            "-" if length is None else length.median,
            0 if length is None else length.count,
        ]
    )
    rows += [["stuck", s.id, s.stage, s.days, s.norm] for s in health.stuck]
    document = {
        "cycle": args.cycle_name,
        "capacity": [
            {"stage": c.stage, "deals": c.deals, "amount": str(c.amount.amount)}
            for c in health.capacity
        ],
        "slope": [
            {"source": s.source, "dest": s.dest, "reached": s.reached, "advanced": s.advanced}
            for s in health.slope
        ],
        "uniformity": health.uniformity,
        "uniformity_amount": health.uniformity_amount,
        "cycle_length_median": None if length is None else length.median,
        "stuck": [
            {"id": s.id, "stage": s.stage, "days": s.days, "norm": s.norm} for s in health.stuck
        ],
    }
    lines = [f"{args.cycle_name}: {len(deals)} {_DEALS.text(lang)}", f"  {_CAPACITY.text(lang)}:"]
    lines += [f"    {c.stage:<18} {c.deals:>5} {c.amount.amount:>16}" for c in health.capacity]
    lines.append(f"  {_SLOPE.text(lang)}:")
    lines += [
        f"    {s.source} → {s.dest}: {s.advanced}/{s.reached} ({_share(s.rate)})"
        for s in health.slope
    ]
    lines.append(
        f"  {_UNIFORMITY.text(lang)}: {_share(health.uniformity)} / "
        f"{_share(health.uniformity_amount)}"
    )
    lines.append(f"  {_STAY.text(lang)}:")
    lines += [
        f"    {f.stage:<18} {'-' if f.stays is None else f'{f.stays.median:.1f}'}"
        for f in health.time_in_stage
    ]
    lines.append(f"  {_LENGTH.text(lang)}: {'-' if length is None else f'{length.median:.1f}'}")
    lines.append(f"  {_STUCK.text(lang)}: {len(health.stuck)}")
    lines += [f"    {s.id} {s.stage} {s.days:.1f} > {s.norm:.1f}" for s in health.stuck]
    _write(args, out, header, rows, document, lines)
    return EXIT_OK


# -- diagram -----------------------------------------------------------------------------


def _dot_text(text: str) -> str:
    """*text* as a DOT double-quoted string (backslashes and quotes escaped)."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'


def _dot(cycle: Any, lang: str) -> str:
    """The cycle as a Graphviz digraph: stages as nodes; advances, routes, cycle back as edges."""
    from .track import Move

    drawn = (Move.ADVANCE, Move.ROUTE, Move.CYCLE_BACK)
    lines = [f"digraph {_dot_text(cycle.name)} {{", "  rankdir=LR;", "  node [shape=box];"]
    for stage in cycle.stages:
        p = "" if stage.probability is None else f" {stage.probability:.0%}"
        name = f"{stage.id}\n{stage.label.text(lang)}{p}"
        lines.append(f"  {_dot_text(stage.id)} [label={_dot_text(name)}];")
    for t in cycle.transitions:
        if t.move in drawn:
            edge = f"  {_dot_text(t.source)} -> {_dot_text(t.dest)} [label={_dot_text(t.trigger)}"
            lines.append(edge + ("" if t.move is Move.ADVANCE else ", style=dashed") + "];")
    lines.append("}")
    return "\n".join(lines)


def _diagram(args: argparse.Namespace, out: IO[str]) -> int:
    cycle = get_cycle(args.name)
    text = mermaid(cycle, args.lang) if args.format == "mermaid" else _dot(cycle, args.lang)
    return _print(text, out)


# -- validate ----------------------------------------------------------------------------

_VALID = Label("有效", "valid")
_PROBLEMS = Label("{n} 个问题", "{n} problems")


def _validate(args: argparse.Namespace, out: IO[str]) -> int:
    path = Path(args.path)
    text = path.read_bytes().decode("utf-8")
    problems: list[tuple[str, str]] = []
    if _is_cycle(path, text):
        from .errors import InvalidDefinition

        kind = "cycle"
        try:
            load_cycle(path, format="toml" if path.suffix.lower() == ".toml" else None)
        except InvalidDefinition as error:
            problems = list(error.problems)
    else:
        kind = "document"
        lines = [(n, line) for n, line in enumerate(text.splitlines(), 1) if line.strip()]
        if len(lines) <= 1:
            lines = [(0, text)]
        for n, line in lines:
            where = f"line {n}: " if n else ""
            problems += [(where + p, m) for p, m in _document_problems(line)]
    header = ("path", "problem")
    lang = args.lang
    table = [
        f"{args.path} ({kind}): "
        + (_text(_PROBLEMS, lang, n=len(problems)) if problems else _VALID.text(lang))
    ]
    table += [f"  {p}: {m}" for p, m in problems]
    document = {
        "file": args.path,
        "kind": kind,
        "valid": not problems,
        "problems": [{"path": p, "problem": m} for p, m in problems],
    }
    _write(args, out, header, [list(p) for p in problems], document, table)
    return EXIT_REFUSED if problems else EXIT_OK


def _is_cycle(path: Path, text: str) -> bool:
    suffix = path.suffix.lower()
    if suffix == ".toml":
        return True
    if suffix != ".json":
        return False
    try:
        data = json.loads(text)
    except ValueError:
        return False
    return isinstance(data, dict) and "cycle" in data


def _document_problems(text: str) -> list[tuple[str, str]]:
    from .deal import Deal
    from .io import DOCUMENT_TYPES, InvalidDocument, loads

    kind: type = Deal
    try:
        head = json.loads(text)
    except ValueError:
        head = None
    if isinstance(head, dict) and head.get("type") in DOCUMENT_TYPES:
        kind = DOCUMENT_TYPES[head["type"]]
    try:
        loads(text, kind)
    except InvalidDocument as error:
        return list(error.problems)
    except InvalidData as error:
        return [(error.field, error.problem)]
    return []


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
    _analysis_parsers(sub, common)
    return parser


def _analysis_parsers(sub: Any, common: argparse.ArgumentParser) -> None:
    output = argparse.ArgumentParser(add_help=False)
    output.add_argument(
        "--format",
        choices=("table", "json", "csv"),
        default="table",
        help="table for people (default), json or csv for scripts",
    )
    deals = argparse.ArgumentParser(add_help=False)
    deals.add_argument("path", metavar="FILE", help="deals as JSON lines (what `import` writes)")
    deals.add_argument(
        "--cycle-name",
        default="funnel",
        metavar="NAME",
        help="the pipeline cycle the deals are measured in (default: funnel)",
    )
    deals.add_argument(
        "--currency",
        default=None,
        help="the currency of the figures (default: the first deal's); "
        "deals in another currency are refused",
    )
    explain = sub.add_parser(
        "explain",
        parents=[common, output],
        help="explain each deal: stage, blockers, buyer-seller alignment",
        description=(
            "For each deal of a JSON-lines file: its stage in every cycle it is in, the"
            " criteria that block its next move, and how the seller's stage aligns with"
            " the buyer's (when it has decision and activity or advancement tracks)."
        ),
    )
    explain.add_argument("path", metavar="FILE", help="deals as JSON lines (what `import` writes)")
    fc = sub.add_parser(
        "forecast",
        parents=[common, output, deals],
        help="the stage-weighted forecast by month or quarter",
        description=(
            "The stage-weighted forecast of the deals (sum of amount x stage probability)"
            " by period of expected close, with the overdue, later and undated deals and"
            " the total."
        ),
    )
    fc.add_argument(
        "--by",
        choices=("month", "quarter"),
        default="month",
        help="the length of a period (default: month)",
    )
    fc.add_argument(
        "--start",
        required=True,
        metavar="DATE",
        help="a day in the first period (ISO date, 2026-01-01)",
    )
    fc.add_argument(
        "--periods",
        type=int,
        default=12,
        metavar="N",
        help="how many periods the forecast covers (default 12)",
    )
    fc.add_argument(
        "--tax",
        choices=("inclusive", "exclusive"),
        default="inclusive",
        help="whether the amounts include VAT (default: inclusive, 含税)",
    )
    health = sub.add_parser(
        "health",
        parents=[common, output, deals],
        help="funnel health: capacity, conversion, uniformity, flow speed",
        description=(
            "The funnel health of the deals: open deals per stage, stage-to-stage"
            " conversion, how evenly the pipeline spreads, time in stage, cycle length"
            " and the deals stuck longer than the norm."
        ),
    )
    health.add_argument(
        "--as-of",
        required=True,
        metavar="WHEN",
        help="the moment measured at (ISO time with a zone, 2026-03-31T18:00+08:00)",
    )
    diagram = sub.add_parser(
        "diagram",
        parents=[common],
        help="draw a cycle as mermaid or Graphviz DOT",
        description="Draw a cycle's stages and moves as a mermaid state diagram or a DOT graph.",
    )
    diagram.add_argument("name", metavar="CYCLE", help="the cycle's name (see `bigaccount cycles`)")
    diagram.add_argument(
        "--format",
        choices=("mermaid", "dot"),
        default="mermaid",
        help="mermaid stateDiagram-v2 (default) or Graphviz DOT",
    )
    validate = sub.add_parser(
        "validate",
        parents=[common, output],
        help="check a cycle file or a deals file and list every problem",
        description=(
            "Check a file by its content: a cycle declaration (.toml, or .json with a"
            " cycle table) or a bigaccount JSON document (one, or one per line). Every"
            " problem is listed with its path; exit 1 when there are problems."
        ),
    )
    validate.add_argument("path", metavar="FILE", help="the file to check")


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
        "explain": lambda: _explain(args, stdout),
        "forecast": lambda: _forecast(args, stdout),
        "health": lambda: _health(args, stdout),
        "diagram": lambda: _diagram(args, stdout),
        "validate": lambda: _validate(args, stdout),
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
