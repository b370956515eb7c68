"""Cycles as data files: one safe loader for the built-in method and users' own pipelines.

A cycle file (TOML, or the same structure as JSON) declares a cycle's stages — ids,
bilingual labels, probabilities, owners, phases, guidance (which names the method's
guidance catalogues by id: ``catalogues = ["negotiation_tactics", …]``) — their entry
and exit gates, its routes and its win gate. The library's own five cycles are such
files (:func:`builtin_data`), read by this loader like any other.

Gates combine criteria by id with ``all``, ``any``, ``at_least`` … ``of``, or
``by_segment``; the ids name plain criteria declared in the file's ``[criteria]`` table
(a yes/no fact, a comparison of a fact's value, a date within N days) or criteria
registered in code (:mod:`bigaccount.criteria`). A file can never name a Python
callable, module, import path or attribute.

The loader checks everything and reports every problem at once, each with its place
in the file (``pipeline.toml: stages[2].entry.of[1]: unknown criterion 'budget'``), in
one :class:`~bigaccount.errors.InvalidDefinition`. A loaded cycle is a plain
:class:`~bigaccount.cycle.Cycle`: it moves, replays, draws and serializes like a
built-in one.

>>> from bigaccount import load_cycle
>>> cycle = load_cycle('''
... [cycle]
... name = "mini"
... kind = "pipeline"
... label = { zh = "小流程", en = "mini pipeline" }
...
... [criteria.budget_ok]
... label = { zh = "预算不少于100万元", en = "budget of at least 1m CNY" }
... fact = "budget"
... op = ">="
... value = { money = "1000000", currency = "CNY" }
...
... [[stages]]
... id = "QUALIFY"
... label = { zh = "资格审查", en = "qualify" }
... probability = 0.2
... exit = { all = ["budget_ok"] }
...
... [[stages]]
... id = "PROPOSE"
... label = { zh = "提交方案", en = "propose" }
... probability = 0.5
... ''')
>>> cycle
Cycle('mini', pipeline, 2 stages: QUALIFY → PROPOSE)
>>> cycle.stage("QUALIFY").exit.criteria[0].id
'budget_ok'
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import math
import tomllib
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from importlib import resources
from pathlib import Path
from typing import Any

from .criteria import get_criterion
from .cycle import Cycle, CycleKind, Guidance, Route, Stage, Step, SuccessMarker
from .errors import BigAccountError, InvalidData, InvalidDefinition, UnknownName
from .evidence import FactValue
from .gates import OPEN, AtLeast, BySegment, Criterion, Gate
from .labels import Label
from .money import Money
from .segment import Segment

__all__ = [
    "MAX_FILE_BYTES",
    "builtin_data",
    "cycle_to_data",
    "dump_cycle",
    "load_cycle",
    "read_cycle",
    "read_source",
]

SCHEMA = 1
"""The version of the cycle-file layout this loader reads and writes."""

MAX_FILE_BYTES = 4 * 1024 * 1024
"""The largest cycle file read (a cycle file is hand-written data, never megabytes)."""

_OPS = (">=", ">", "<=", "<", "==", "!=")
_FORMATS = ("toml", "json")
_CYCLE_KEYS = {"name", "kind", "label", "description", "linear", "allow_jump", "allow_regress"}
_CYCLE_KEYS |= {"win"}
_STAGE_KEYS = {"id", "label", "probability", "entry", "exit", "guidance", "owner", "phase"}
_ROUTE_KEYS = {"trigger", "source", "dest", "label", "gate"}
_GUIDANCE_LISTS = ("activities", "mistakes", "checklist", "practices", "notes")
_GUIDANCE_KEYS = {"description", "customer_action", "steps", "success", "signals", "catalogues"}
_GUIDANCE_KEYS |= set(_GUIDANCE_LISTS)
_BUILTIN_DATA = ("cycles", "data")
"""Where the library's own data files live, inside the package."""


class _Problems:
    """Collects every problem of one file, each with its place."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.found: list[tuple[str, str]] = []

    def add(self, where: str, problem: str) -> None:
        self.found.append((f"{self.source}: {where}", problem))


def _table(value: object, where: str, problems: _Problems, keys: set[str]) -> dict[str, Any]:
    if not isinstance(value, Mapping):
        problems.add(where, f"expected a table, got {_kind(value)}")
        return {}
    for key in value:
        if key not in keys:
            problems.add(
                f"{where}.{key}", f"unknown key (expected one of: {', '.join(sorted(keys))})"
            )
    return dict(value)


def _kind(value: object) -> str:
    return type(value).__name__


def _label(
    value: object, where: str, problems: _Problems, *, required: bool = True
) -> Label | None:
    if value is None:
        if required:
            problems.add(where, 'a label is required: { zh = "…", en = "…" }')
        return None
    if not isinstance(value, Mapping):
        problems.add(where, f'expected {{ zh = "…", en = "…" }}, got {_kind(value)}')
        return None
    extra = set(value) - {"zh", "en"}
    if extra:
        problems.add(where, f"unknown key(s) {', '.join(sorted(map(str, extra)))} in a label")
    texts = []
    for lang in ("zh", "en"):
        text = value.get(lang)
        if not isinstance(text, str) or not text.strip():
            problems.add(f"{where}.{lang}", "missing translation")
            return None
        texts.append(text)
    return Label(texts[0], texts[1])


def _labels(value: object, where: str, problems: _Problems) -> tuple[Label, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        problems.add(where, f"expected a list of labels, got {_kind(value)}")
        return ()
    found = [_label(item, f"{where}[{i}]", problems) for i, item in enumerate(value)]
    return tuple(label for label in found if label is not None)


def _flag(value: object, where: str, problems: _Problems, default: bool) -> bool:
    if value is None:
        return default
    if not isinstance(value, bool):
        problems.add(where, f"expected true or false, got {value!r}")
        return default
    return value


def _typed_value(value: object, where: str, problems: _Problems) -> FactValue | None:
    if isinstance(value, bool | int | str | dt.date):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            problems.add(where, "a threshold must be finite")
            return None
        return value
    if isinstance(value, Mapping):
        if set(value) == {"money", "currency"}:
            try:
                return Money(str(value["money"]), str(value["currency"]))
            except BigAccountError as error:
                problems.add(where, str(error))
                return None
        if set(value) == {"decimal"}:
            try:
                number = Decimal(str(value["decimal"]))
            except InvalidOperation:
                problems.add(where, f"{value['decimal']!r} is not a decimal number")
                return None
            return number
        if set(value) == {"date"}:
            try:
                return dt.date.fromisoformat(str(value["date"]))
            except ValueError:
                problems.add(where, f"{value['date']!r} is not an ISO date")
                return None
    problems.add(
        where,
        'a threshold is a number, text, true/false, a date, { money = "…", currency = "…" } '
        'or { decimal = "…" }',
    )
    return None


def _criterion(key: str, value: object, problems: _Problems) -> Criterion | None:
    where = f"criteria.{key}"
    keys = {"label", "inferred", "fact", "op", "value", "within_days"}
    spec = _table(value, where, problems, keys)
    if not spec and not isinstance(value, Mapping):
        return None
    label = _label(spec.get("label"), f"{where}.label", problems)
    inferred = _flag(spec.get("inferred"), f"{where}.inferred", problems, False)
    if label is None:
        return None
    try:
        if "within_days" in spec:
            days = spec["within_days"]
            fact = spec.get("fact", key)
            if not isinstance(days, int) or isinstance(days, bool) or days < 0:
                problems.add(f"{where}.within_days", f"expected a whole number >= 0, got {days!r}")
                return None
            return Criterion.within(
                key, label.zh, label.en, fact=str(fact), days=days, inferred=inferred
            )
        if "op" in spec or "value" in spec:
            op = spec.get("op")
            if op not in _OPS:
                problems.add(f"{where}.op", f"expected one of {', '.join(_OPS)}, got {op!r}")
                return None
            if "value" not in spec:
                problems.add(f"{where}.value", "a comparison needs a value")
                return None
            threshold = _typed_value(spec["value"], f"{where}.value", problems)
            if threshold is None:
                return None
            fact = spec.get("fact", key)
            return Criterion.compare(
                key, label.zh, label.en, fact=str(fact), op=op, value=threshold, inferred=inferred
            )
        if "fact" in spec and spec["fact"] != key:
            problems.add(f"{where}.fact", "a yes/no criterion reads the fact of its own id")
            return None
        return Criterion.fact(key, label.zh, label.en, inferred=inferred)
    except InvalidDefinition as error:
        problems.add(where, error.problem)
        return None


class _Criteria:
    """Resolves criterion ids: the file's own, else those registered in code."""

    def __init__(self, declared: Mapping[str, Criterion], problems: _Problems) -> None:
        self.declared = declared
        self.problems = problems

    def get(self, key: object, where: str) -> Criterion | None:
        if not isinstance(key, str):
            self.problems.add(where, f"expected a criterion id, got {_kind(key)}")
            return None
        found = self.declared.get(key)
        if found is not None:
            return found
        try:
            return get_criterion(key)
        except UnknownName:
            self.problems.add(where, f"unknown criterion {key!r}")
            return None

    def many(self, keys: object, where: str) -> list[Criterion] | None:
        if not isinstance(keys, list):
            self.problems.add(where, f"expected a list of criterion ids, got {_kind(keys)}")
            return None
        found = [self.get(k, f"{where}[{i}]") for i, k in enumerate(keys)]
        if any(c is None for c in found):
            return None
        items = [c for c in found if c is not None]
        ids = [c.id for c in items]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            self.problems.add(where, f"lists criteria more than once: {', '.join(dupes)}")
            return None
        return items


def _gate(value: object, where: str, criteria: _Criteria, *, segments: bool = True) -> Gate | None:
    problems = criteria.problems
    if value is None:
        return OPEN
    if isinstance(value, list):
        items = criteria.many(value, where)
        return None if items is None else AtLeast(len(items), tuple(items))
    if not isinstance(value, Mapping):
        problems.add(where, f"expected a gate (a list of ids or a table), got {_kind(value)}")
        return None
    keys = set(value)
    if keys == {"all"} or keys == {"any"}:
        (rule,) = keys
        items = criteria.many(value[rule], f"{where}.{rule}")
        if items is None:
            return None
        if rule == "any" and not items:
            problems.add(f"{where}.any", "an 'any' rule needs at least one criterion")
            return None
        return AtLeast(len(items) if rule == "all" else 1, tuple(items))
    if keys == {"at_least", "of"}:
        n = value["at_least"]
        items = criteria.many(value["of"], f"{where}.of")
        if not isinstance(n, int) or isinstance(n, bool) or n < 0:
            problems.add(f"{where}.at_least", f"expected a whole number >= 0, got {n!r}")
            return None
        if items is None:
            return None
        if n > len(items):
            problems.add(f"{where}.at_least", f"asks for {n} criteria but has only {len(items)}")
            return None
        return AtLeast(n, tuple(items))
    if keys == {"by_segment"} and segments:
        rules = value["by_segment"]
        if not isinstance(rules, Mapping):
            problems.add(f"{where}.by_segment", "expected a table of segments")
            return None
        gates: dict[Segment, Gate] = {}
        for segment in Segment:
            if segment.value not in rules:
                problems.add(f"{where}.by_segment", f"no rule for segment {segment.value!r}")
        for name, spec in rules.items():
            try:
                segment = Segment(name)
            except ValueError:
                problems.add(f"{where}.by_segment.{name}", "not a customer segment")
                continue
            gate = _gate(spec, f"{where}.by_segment.{name}", criteria, segments=False)
            if gate is not None:
                gates[segment] = gate
        if len(gates) != len(Segment):
            return None
        try:
            return BySegment(gates)
        except InvalidDefinition as error:
            problems.add(f"{where}.by_segment", error.problem)
            return None
    expected = "all, any, at_least + of" + (", by_segment" if segments else "")
    problems.add(where, f"expected one rule ({expected}), got keys {', '.join(sorted(keys))}")
    return None


def _guidance(value: object, where: str, criteria: _Criteria) -> Guidance:
    problems = criteria.problems
    if value is None:
        return Guidance()
    spec = _table(value, where, problems, _GUIDANCE_KEYS)
    lists = {name: _labels(spec.get(name), f"{where}.{name}", problems) for name in _GUIDANCE_LISTS}
    steps: list[Step] = []
    raw_steps = spec.get("steps", [])
    if not isinstance(raw_steps, list):
        problems.add(f"{where}.steps", "expected a list of steps")
        raw_steps = []
    for i, raw in enumerate(raw_steps):
        at = f"{where}.steps[{i}]"
        step = _table(raw, at, problems, {"label", "rules"})
        label = _label(step.get("label"), f"{at}.label", problems)
        if label is not None:
            steps.append(Step(label, _labels(step.get("rules"), f"{at}.rules", problems)))
    success = None
    if spec.get("success") is not None:
        at = f"{where}.success"
        marks = _table(spec["success"], at, problems, {"customer", "supplier", "milestone"})
        parts = [
            _label(marks.get(k), f"{at}.{k}", problems)
            for k in ("customer", "supplier", "milestone")
        ]
        if all(p is not None for p in parts):
            success = SuccessMarker(*parts)  # type: ignore[arg-type]
    signals = criteria.many(spec.get("signals", []), f"{where}.signals") or []
    catalogues = _catalogue_refs(spec.get("catalogues"), f"{where}.catalogues", problems)
    return Guidance(
        description=_label(
            spec.get("description"), f"{where}.description", problems, required=False
        ),
        customer_action=_label(
            spec.get("customer_action"), f"{where}.customer_action", problems, required=False
        ),
        steps=steps,
        success=success,
        signals=signals,
        catalogues=catalogues,
        **lists,
    )


def _catalogue_refs(value: object, where: str, problems: _Problems) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        problems.add(where, f"expected a list of catalogue ids, got {_kind(value)}")
        return ()
    known = _known_catalogues()
    found: list[str] = []
    for i, key in enumerate(value):
        if not isinstance(key, str):
            problems.add(f"{where}[{i}]", f"expected a catalogue id, got {_kind(key)}")
        elif key not in known:
            problems.add(f"{where}[{i}]", f"unknown catalogue {key!r}; known: {', '.join(known)}")
        elif key in found:
            problems.add(f"{where}[{i}]", f"lists catalogue {key!r} more than once")
        else:
            found.append(key)
    return tuple(found)


def builtin_data(name: str) -> Mapping[str, Any]:
    """The parsed data file *name* (``"funnel"``, ``"catalogues"`` …) shipped with the library.

    The files are package data (``bigaccount/cycles/data/<name>.toml``), read once
    with :mod:`importlib.resources`; callers must not change what is returned.

    Raises:
        InvalidDefinition: *name* is not the name of such a file (where ``name``), or
            the file cannot be parsed.
    """
    if not isinstance(name, str) or not name.isidentifier():
        raise InvalidDefinition("name", f"expected the name of a data file, got {name!r}")
    return _builtin_data(name)


@functools.cache
def _builtin_data(name: str) -> Mapping[str, Any]:
    path = resources.files("bigaccount").joinpath(*_BUILTIN_DATA, f"{name}.toml")
    try:
        raw = path.read_bytes()
    except OSError:
        raise InvalidDefinition("name", f"no data file {name}.toml in the library") from None
    return _parse(raw, "toml", f"{name}.toml")


@functools.cache
def _known_catalogues() -> tuple[str, ...]:
    """The ids of the library's guidance catalogues, in the order of their file."""
    entries = builtin_data("catalogues").get("catalogues", [])
    return tuple(str(c["id"]) for c in entries if isinstance(c, Mapping) and "id" in c)


def read_cycle(data: Mapping[str, Any], *, source: str = "<data>") -> Cycle:
    """Build a cycle from its declaration as plain data (what a TOML or JSON file holds).

    *source* names the data in the problems reported (a file's name, say).

    Raises:
        InvalidData: *source* is not non-empty text (field ``source``).
        InvalidDefinition: listing every problem, each with its place in the data.
    """
    if not isinstance(source, str) or not source.strip():
        raise InvalidData("source", f"expected the name of the data, got {source!r}")
    problems = _Problems(source)
    if not isinstance(data, Mapping):
        raise InvalidDefinition(source, f"expected a table, got {_kind(data)}")
    top = _table(data, "<top>", problems, {"schema", "cycle", "criteria", "stages", "routes"})
    schema = top.get("schema", SCHEMA)
    if schema != SCHEMA:
        problems.add("schema", f"version {schema!r} is not supported (this version reads {SCHEMA})")
    head = _table(top.get("cycle"), "cycle", problems, _CYCLE_KEYS)
    declared: dict[str, Criterion] = {}
    raw_criteria = top.get("criteria", {})
    if not isinstance(raw_criteria, Mapping):
        problems.add("criteria", "expected a table of criteria")
        raw_criteria = {}
    for key, spec in raw_criteria.items():
        criterion = _criterion(str(key), spec, problems)
        if criterion is None:
            continue
        try:
            registered = get_criterion(criterion.id)
        except UnknownName:
            registered = None
        if registered is not None:
            problems.add(f"criteria.{key}", "the id of a criterion registered in code")
            continue
        declared[criterion.id] = criterion
    criteria = _Criteria(declared, problems)
    stages = _stages(top.get("stages"), criteria)
    routes = _routes(top.get("routes", []), criteria)
    label = _label(head.get("label"), "cycle.label", problems)
    description = _label(head.get("description"), "cycle.description", problems, required=False)
    kind = head.get("kind")
    if kind not in {k.value for k in CycleKind}:
        problems.add("cycle.kind", f"expected pipeline, wheel or process, got {kind!r}")
    name = head.get("name")
    if not isinstance(name, str):
        problems.add("cycle.name", f"expected the cycle's name, got {name!r}")
    win = _gate(head.get("win"), "cycle.win", criteria)
    flags = {
        flag: _flag(head.get(flag), f"cycle.{flag}", problems, True)
        for flag in ("linear", "allow_jump", "allow_regress")
    }
    if problems.found:
        raise InvalidDefinition.all(problems.found)
    if label is None or win is None or not isinstance(name, str) or not isinstance(kind, str):
        raise InvalidDefinition(source, "the declaration is incomplete")
    try:
        return Cycle(
            name,
            label,
            CycleKind(kind),
            stages,
            routes,
            win_gate=win,
            description=description,
            **flags,
        )
    except InvalidDefinition as error:
        raise InvalidDefinition.all([(f"{source}: {w}", p) for w, p in error.problems]) from None


def _stages(value: object, criteria: _Criteria) -> tuple[Stage, ...]:
    problems = criteria.problems
    if not isinstance(value, list) or not value:
        problems.add("stages", "a cycle needs a list of stages ([[stages]] tables)")
        return ()
    stages: list[Stage] = []
    for i, raw in enumerate(value):
        where = f"stages[{i}]"
        spec = _table(raw, where, problems, _STAGE_KEYS)
        stage_id = spec.get("id")
        if isinstance(stage_id, str):
            where = f"stages[{i}] ({stage_id})"
        label = _label(spec.get("label"), f"{where}.label", problems)
        entry = _gate(spec.get("entry"), f"{where}.entry", criteria)
        exit_ = _gate(spec.get("exit"), f"{where}.exit", criteria)
        guidance = _guidance(spec.get("guidance"), f"{where}.guidance", criteria)
        owner = _label(spec.get("owner"), f"{where}.owner", problems, required=False)
        phase = _label(spec.get("phase"), f"{where}.phase", problems, required=False)
        probability = spec.get("probability")
        if label is None or entry is None or exit_ is None:
            continue
        try:
            stages.append(
                Stage(
                    stage_id,  # type: ignore[arg-type]
                    label,
                    probability,
                    entry,
                    guidance,
                    owner,
                    phase,
                    exit=exit_,
                )
            )
        except InvalidDefinition as error:
            problems.add(f"{where}.{error.where.rpartition('.')[2]}", error.problem)
    return tuple(stages)


def _routes(value: object, criteria: _Criteria) -> tuple[Route, ...]:
    problems = criteria.problems
    if not isinstance(value, list):
        problems.add("routes", "expected a list of routes ([[routes]] tables)")
        return ()
    routes: list[Route] = []
    for i, raw in enumerate(value):
        where = f"routes[{i}]"
        spec = _table(raw, where, problems, _ROUTE_KEYS)
        label = _label(spec.get("label"), f"{where}.label", problems)
        gate = _gate(spec.get("gate"), f"{where}.gate", criteria)
        if label is None or gate is None:
            continue
        try:
            routes.append(
                Route(spec.get("trigger"), spec.get("source"), spec.get("dest"), label, gate)  # type: ignore[arg-type]
            )
        except InvalidDefinition as error:
            problems.add(f"{where}.{error.where.rpartition('.')[2]}", error.problem)
    return tuple(routes)


def load_cycle(source: str | Path, *, format: str | None = None) -> Cycle:
    """Load a cycle from a TOML or JSON file (a :class:`~pathlib.Path`), or from TOML text.

    A ``str`` is TOML text; a path ending in ``.json`` is JSON, any other path TOML
    (*format* ``"toml"`` or ``"json"`` overrides the guess). Files over
    :data:`MAX_FILE_BYTES` are refused before they are read.

    Raises:
        InvalidDefinition: the file cannot be read or parsed, or its declaration is
            malformed: every problem is listed, each with its place in the file.
    """
    data, name = read_source(source, format=format)
    return read_cycle(data, source=name)


def read_source(source: str | Path, *, format: str | None = None) -> tuple[Mapping[str, Any], str]:
    """The table a data file holds, and the name to report problems under.

    The rules of :func:`load_cycle`: a ``str`` is TOML text, a path is read as JSON when
    it ends in ``.json`` and as TOML otherwise, and nothing over :data:`MAX_FILE_BYTES`
    is read. The other data files of the library (catalogues, value chains) are read
    the same way.

    Raises:
        InvalidDefinition: *format* is neither ``"toml"``, ``"json"`` nor ``None``
            (where ``format``), or the file cannot be read, is not UTF-8, or does not
            parse into a table.
    """
    if format is not None and not _known_format(format):
        raise InvalidDefinition("format", f"unknown format {format!r} (toml or json)")
    if isinstance(source, Path):
        name = source.name
        try:
            size = source.stat().st_size
            if size > MAX_FILE_BYTES:
                raise InvalidDefinition(name, f"{size} bytes is more than {MAX_FILE_BYTES}")
            raw = source.read_bytes()
        except OSError as error:
            raise InvalidDefinition(name, f"cannot read the file: {error.strerror}") from None
        chosen = format if format is not None else _format_of(source)
    elif isinstance(source, str):
        name = "<text>"
        raw = source.encode("utf-8", "surrogatepass")
        chosen = "toml" if format is None else format
    else:
        raise InvalidDefinition("<source>", f"expected a path or TOML text, got {_kind(source)}")
    if len(raw) > MAX_FILE_BYTES:
        raise InvalidDefinition(name, f"{len(raw)} bytes is more than {MAX_FILE_BYTES}")
    return _parse(raw, chosen, name), name


def _known_format(format: object) -> bool:
    return isinstance(format, str) and format in _FORMATS


def _format_of(path: Path) -> str:
    return "json" if path.suffix.lower() == ".json" else "toml"


def _parse(raw: bytes, format: str, name: str) -> Mapping[str, Any]:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise InvalidDefinition(name, f"not UTF-8 text (byte {error.start})") from None
    try:
        if format == "json":
            data = json.loads(text, object_pairs_hook=_no_duplicates)
        elif format == "toml":
            data = tomllib.loads(text)
        else:
            raise InvalidDefinition(name, f"unknown format {format!r} (toml or json)")
    except tomllib.TOMLDecodeError as error:
        raise InvalidDefinition(name, f"not valid TOML: {str(error)[:200]}") from None
    except (json.JSONDecodeError, RecursionError) as error:
        raise InvalidDefinition(name, f"not valid JSON: {str(error)[:200]}") from None
    if not isinstance(data, Mapping):
        raise InvalidDefinition(name, "the file must hold a table")
    return data


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise InvalidDefinition("json", f"duplicate key {key!r}")
        result[key] = value
    return result


# -- writing ---------------------------------------------------------------------------


def _label_data(label: Label) -> dict[str, str]:
    return {"zh": label.zh, "en": label.en}


def _gate_data(gate: Gate) -> Any:
    if isinstance(gate, BySegment):
        return {"by_segment": {seg.value: _gate_data(sub) for seg, sub in gate.rules}}
    ids = [c.id for c in gate.criteria]
    n = gate.n if isinstance(gate, AtLeast) else len(ids)
    if n == len(ids):
        return {"all": ids}
    if n == 1:
        return {"any": ids}
    return {"at_least": n, "of": ids}


def _value_data(value: FactValue) -> Any:
    if isinstance(value, Money):
        return {"money": str(value.amount), "currency": value.currency}
    if isinstance(value, Decimal):
        return {"decimal": str(value)}
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return {"date": value.isoformat()}
    return value


def _criterion_data(criterion: Criterion) -> dict[str, Any] | None:
    """The file form of a plain criterion, or ``None`` for one that must be registered."""
    from .gates import _CompareTest, _FactTest, _WithinTest

    data: dict[str, Any] = {"label": _label_data(criterion.label)}
    if criterion.inferred:
        data["inferred"] = True
    test = criterion.test
    if isinstance(test, _FactTest) and test.key == criterion.id:
        return data
    if isinstance(test, _CompareTest):
        data.update(fact=test.key, op=test.op, value=_value_data(test.threshold))
        return data
    if isinstance(test, _WithinTest):
        data.update(fact=test.key, within_days=test.days)
        return data
    return None


def _guidance_data(guidance: Guidance) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for name in ("description", "customer_action"):
        label = getattr(guidance, name)
        if label is not None:
            data[name] = _label_data(label)
    for name in _GUIDANCE_LISTS:
        labels = getattr(guidance, name)
        if labels:
            data[name] = [_label_data(label) for label in labels]
    if guidance.steps:
        data["steps"] = [
            {
                "label": _label_data(s.label),
                **({"rules": [_label_data(r) for r in s.rules]} if s.rules else {}),
            }
            for s in guidance.steps
        ]
    if guidance.success is not None:
        data["success"] = {
            k: _label_data(getattr(guidance.success, k))
            for k in ("customer", "supplier", "milestone")
        }
    if guidance.signals:
        data["signals"] = [c.id for c in guidance.signals]
    if guidance.catalogues:
        data["catalogues"] = list(guidance.catalogues)
    return data


def cycle_to_data(cycle: Cycle) -> dict[str, Any]:
    """The declaration of *cycle* as plain data, the inverse of :func:`read_cycle`.

    Plain criteria (yes/no facts, comparisons, dates within N days) are written into
    the ``criteria`` table; any other criterion is named by id and must be registered
    (:func:`~bigaccount.criteria.register_criterion`) where the file is loaded.

    Raises:
        InvalidData: *cycle* is not a :class:`~bigaccount.cycle.Cycle` (field ``cycle``).
    """
    if not isinstance(cycle, Cycle):
        raise InvalidData("cycle", f"expected a Cycle, got {cycle!r}")
    head: dict[str, Any] = {"name": cycle.name, "kind": cycle.kind.value}
    head["label"] = _label_data(cycle.label)
    if cycle.description is not None:
        head["description"] = _label_data(cycle.description)
    for flag in ("linear", "allow_jump", "allow_regress"):
        if getattr(cycle, flag) is not True:
            head[flag] = getattr(cycle, flag)
    if cycle.win_gate != OPEN:
        head["win"] = _gate_data(cycle.win_gate)
    criteria: dict[str, Any] = {}
    for criterion in cycle.criteria + tuple(c for s in cycle.stages for c in s.guidance.signals):
        spec = _criterion_data(criterion)
        if spec is not None:
            criteria[criterion.id] = spec
    stages = []
    for stage in cycle.stages:
        entry: dict[str, Any] = {"id": stage.id, "label": _label_data(stage.label)}
        if stage.probability is not None:
            entry["probability"] = stage.probability
        if stage.owner is not None:
            entry["owner"] = _label_data(stage.owner)
        if stage.phase is not None:
            entry["phase"] = _label_data(stage.phase)
        if stage.entry != OPEN:
            entry["entry"] = _gate_data(stage.entry)
        if stage.exit != OPEN:
            entry["exit"] = _gate_data(stage.exit)
        guidance = _guidance_data(stage.guidance)
        if guidance:
            entry["guidance"] = guidance
        stages.append(entry)
    data: dict[str, Any] = {"schema": SCHEMA, "cycle": head}
    if criteria:
        data["criteria"] = criteria
    data["stages"] = stages
    if cycle.routes:
        data["routes"] = [
            {
                "trigger": r.trigger,
                "source": r.source,
                "dest": r.dest,
                "label": _label_data(r.label),
                **({"gate": _gate_data(r.gate)} if r.gate != OPEN else {}),
            }
            for r in cycle.routes
        ]
    return data


def dump_cycle(cycle: Cycle, format: str = "toml") -> str:
    """The declaration of *cycle* as a TOML (default) or JSON file's text.

    Raises:
        InvalidData: *cycle* is not a :class:`~bigaccount.cycle.Cycle` (field ``cycle``).
        InvalidDefinition: *format* is neither ``"toml"`` nor ``"json"`` (where ``format``).
    """
    if not _known_format(format):
        raise InvalidDefinition("format", f"unknown format {format!r} (toml or json)")
    data = cycle_to_data(cycle)
    if format == "json":
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    return _toml(data)


def _toml_value(value: Any, indent: str = "") -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, Mapping):
        inner = ", ".join(f"{_toml_key(k)} = {_toml_value(v)}" for k, v in value.items())
        return "{ " + inner + " }" if inner else "{}"
    if isinstance(value, list):
        if not value:
            return "[]"
        if all(isinstance(v, str) for v in value) and sum(len(v) for v in value) < 60:
            return "[" + ", ".join(_toml_value(v) for v in value) + "]"
        lines = "".join(f"{indent}    {_toml_value(v, indent + '    ')},\n" for v in value)
        return "[\n" + lines + indent + "]"
    raise InvalidDefinition("toml", f"cannot write {value!r}")


def _toml_key(key: str) -> str:
    return key if key.replace("_", "").isalnum() and key.isascii() else json.dumps(key)


def _toml(data: Mapping[str, Any]) -> str:
    """TOML text of a cycle's data: known tables as sections, everything else inline."""
    out = [f"schema = {_toml_value(data['schema'])}"]

    def section(header: str, body: Mapping[str, Any], skip: str = "") -> None:
        out.append(f"\n{header}")
        out.extend(f"{_toml_key(k)} = {_toml_value(v)}" for k, v in body.items() if k != skip)

    section("[cycle]", data["cycle"])
    for cid, spec in data.get("criteria", {}).items():
        section(f"[criteria.{_toml_key(cid)}]", spec)
    for stage in data["stages"]:
        section("[[stages]]", stage, skip="guidance")
        if "guidance" in stage:
            section("[stages.guidance]", stage["guidance"])
    for route in data.get("routes", []):
        section("[[routes]]", route)
    return "\n".join(out) + "\n"
