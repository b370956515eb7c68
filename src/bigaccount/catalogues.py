"""The method's guidance catalogues, as bilingual data, and the stages that show them.

Each :class:`Catalogue` is a list of bilingual entries (optionally in groups, e.g. the
negotiation tactics by phase) taken from the sources: the negotiation tactics,
principles and pitfalls, the needs iceberg and the four question types, CRASIS, the
presentation checklist, the four elements of communication, where to find customer
information and what to collect, the marketing framework (3C, STP, 4P+3P), the funnel's
health, the four principles … They are one data file shipped with the library
(``bigaccount/cycles/data/catalogues.toml``), read on first use.

A stage names the catalogues it shows in its guidance (``catalogues = [...]`` in a cycle
file, :attr:`~bigaccount.cycle.Guidance.catalogues`): each text exists once and is
referenced by id, in the built-in cycles and in your own. :func:`catalogues_for` says
what a CRM should show at a stage. A catalogue's ``stated_at`` lists the stages where the
source itself places it; any other attachment is the library's inference
(:meth:`Catalogue.stated_for`). ``CATALOGUES`` is every catalogue by id (read only).

>>> from bigaccount.catalogues import catalogues_for, get_catalogue
>>> [c.id for c in catalogues_for("funnel", "NEGOTIATION")][:2]
['negotiation_preconditions', 'negotiation_tactics']
>>> tactics = get_catalogue("negotiation_tactics")
>>> [e.label.zh for e in tactics.in_group("early")]
['避实就虚', '以退为进', '避免争论']
>>> tactics.stated_for("funnel", "NEGOTIATION")
True
>>> get_catalogue("crasis").stated_for("funnel", "CLOSED")
False
>>> get_catalogue("question_types").entry("implication").label.en
'implication question'
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import Any

from attrs import field, frozen

from ._validate import (
    Rule,
    flag,
    instances,
    of_kind,
    optional_of_kind,
    optional_text,
    text,
    texts,
)
from .cycle import Cycle
from .declarations import SCHEMA, _label, _labels, _Problems, _table, builtin_data
from .errors import InvalidData, InvalidDefinition, UnknownName
from .labels import Label
from .registry import BUILTIN, cycle_names, get_cycle

__all__ = [
    "Catalogue",
    "Entry",
    "Group",
    "catalogue_ids",
    "catalogues_for",
    "get_catalogue",
    "stages_for",
]

_PLACE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\.[A-Za-z_][A-Za-z0-9_]*\Z")


def _label_tuple(value: Iterable[Label]) -> tuple[Label, ...]:
    return instances(value, Label, "details")


@frozen
class Entry:
    """One item of a catalogue: a key, its bilingual label, details and its group."""

    key: str = field(validator=Rule(text))
    label: Label = field(validator=Rule(of_kind(Label)))
    details: tuple[Label, ...] = field(default=(), converter=_label_tuple)
    group: str | None = field(default=None, validator=Rule(optional_text))


@frozen
class Group:
    """A group of entries within a catalogue (a phase, a part of a checklist, …)."""

    key: str = field(validator=Rule(text))
    label: Label = field(validator=Rule(of_kind(Label)))


def _entries(value: Iterable[Entry]) -> tuple[Entry, ...]:
    return instances(value, Entry, "entries")


def _groups(value: Iterable[Group]) -> tuple[Group, ...]:
    return instances(value, Group, "groups")


def _places(value: Iterable[str]) -> tuple[str, ...]:
    if isinstance(value, str):
        raise InvalidData("stated_at", f"expected a sequence of 'cycle.STAGE', got {value!r}")
    return texts(value, "stated_at")


def _source(value: object, field: str) -> object:
    if not isinstance(value, str):
        raise InvalidData(field, f"expected text (which source), got {value!r}")
    return value


@frozen
class Catalogue:
    """A catalogue of guidance.

    Args:
        id: a stable identifier, the one stages name.
        title: the catalogue's bilingual title.
        entries: its items, in the source's order.
        groups: the groups entries may belong to, in order.
        source: which source it comes from (``"source 004"``).
        note: a remark on the catalogue (e.g. what was inferred where the source is unclear).
        inferred: ``True`` when part of the catalogue (its grouping, a translation) is
            inferred rather than read from the source.
        stated_at: the stages, as ``"cycle.STAGE"``, where the source itself places the
            catalogue; an attachment anywhere else is inferred.

    Raises:
        InvalidData: an empty id, a title or note that is no Label, entries or groups
            that are no sequences of Entry or Group, an entry key used twice, an entry in
            an undeclared group, a place that is not ``"cycle.STAGE"``, or ``inferred``
            not ``True`` or ``False``.
    """

    id: str = field(validator=Rule(text))
    title: Label = field(validator=Rule(of_kind(Label)))
    entries: tuple[Entry, ...] = field(converter=_entries)
    groups: tuple[Group, ...] = field(default=(), converter=_groups)
    source: str = field(default="", validator=Rule(_source))
    note: Label | None = field(default=None, validator=Rule(optional_of_kind(Label)))
    inferred: bool = field(default=False, validator=Rule(flag))
    stated_at: tuple[str, ...] = field(default=(), converter=_places)

    def __attrs_post_init__(self) -> None:
        keys = [e.key for e in self.entries]
        twice = sorted({k for k in keys if keys.count(k) > 1})
        if twice:
            raise InvalidData(f"catalogue[{self.id!r}].entries", f"keys used twice: {twice}")
        groups = {g.key for g in self.groups}
        for entry in self.entries:
            if entry.group is not None and entry.group not in groups:
                raise InvalidData(
                    f"catalogue[{self.id!r}].entries[{entry.key!r}].group",
                    f"no group {entry.group!r} is declared",
                )
        for place in self.stated_at:
            if not isinstance(place, str) or not _PLACE.match(place):
                raise InvalidData(
                    f"catalogue[{self.id!r}].stated_at", f"expected 'cycle.STAGE', got {place!r}"
                )

    def entry(self, key: str) -> Entry:
        """The entry with *key*."""
        for entry in self.entries:
            if entry.key == key:
                return entry
        raise UnknownName("entry", key, [e.key for e in self.entries])

    def in_group(self, key: str) -> tuple[Entry, ...]:
        """The entries of group *key*, in order."""
        if not isinstance(key, str) or key not in {g.key for g in self.groups}:
            raise UnknownName("group", str(key), [g.key for g in self.groups])
        return tuple(e for e in self.entries if e.group == key)

    def stated_for(self, cycle: str, stage_id: str) -> bool:
        """Whether the source itself places this catalogue at *stage_id* of *cycle*.

        ``False`` means that showing it there is an inference (or a choice of your own,
        for a cycle of yours).
        """
        return f"{text(cycle, 'cycle')}.{text(stage_id, 'stage_id')}" in self.stated_at


_CATALOGUE_KEYS = {"id", "title", "source", "note", "inferred", "stated_at", "groups", "entries"}


def _read_catalogues(data: Mapping[str, Any], source: str) -> dict[str, Catalogue]:
    """Every catalogue of a catalogue file's data, by id; every problem reported at once."""
    problems = _Problems(source)
    top = _table(data, "<top>", problems, {"schema", "catalogues"})
    if top.get("schema", SCHEMA) != SCHEMA:
        problems.add("schema", f"version {top.get('schema')!r} is not supported")
    raw = top.get("catalogues", [])
    if not isinstance(raw, list):
        problems.add("catalogues", "expected a list of catalogues ([[catalogues]] tables)")
        raw = []
    found: dict[str, Catalogue] = {}
    seen: set[str] = set()
    for i, item in enumerate(raw):
        where = f"catalogues[{i}]"
        spec = _table(item, where, problems, _CATALOGUE_KEYS)
        key = spec.get("id")
        if not isinstance(key, str) or not key.isidentifier():
            problems.add(f"{where}.id", f"expected an identifier, got {key!r}")
            continue
        where = f"catalogues[{i}] ({key})"
        if key in seen:
            problems.add(f"{where}.id", "a catalogue id used twice")
        seen.add(key)
        title = _label(spec.get("title"), f"{where}.title", problems)
        note = _label(spec.get("note"), f"{where}.note", problems, required=False)
        groups = []
        for j, raw_group in enumerate(_list(spec.get("groups"), f"{where}.groups", problems)):
            at = f"{where}.groups[{j}]"
            group = _table(raw_group, at, problems, {"key", "label"})
            label = _label(group.get("label"), f"{at}.label", problems)
            if label is not None:
                groups.append(Group(str(group.get("key")), label))
        entries = []
        for j, raw_entry in enumerate(_list(spec.get("entries"), f"{where}.entries", problems)):
            at = f"{where}.entries[{j}]"
            entry = _table(raw_entry, at, problems, {"key", "label", "details", "group"})
            label = _label(entry.get("label"), f"{at}.label", problems)
            details = _labels(entry.get("details"), f"{at}.details", problems)
            group_key = entry.get("group")
            if label is not None:
                entries.append(
                    Entry(
                        str(entry.get("key")),
                        label,
                        details,
                        None if group_key is None else str(group_key),
                    )
                )
        stated = _list(spec.get("stated_at"), f"{where}.stated_at", problems)
        inferred = spec.get("inferred", False)
        if title is None or not isinstance(inferred, bool):
            continue
        try:
            found[key] = Catalogue(
                key,
                title,
                entries,
                groups,
                source=str(spec.get("source", "")),
                note=note,
                inferred=inferred,
                stated_at=stated,
            )
        except InvalidData as error:
            problems.add(where, error.problem)
    if problems.found:
        raise InvalidDefinition.all(problems.found)
    return found


def _list(value: object, where: str, problems: _Problems) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        problems.add(where, f"expected a list, got {type(value).__name__}")
        return []
    return value


@functools.cache
def _catalogues() -> Mapping[str, Catalogue]:
    return _read_catalogues(builtin_data("catalogues"), "catalogues.toml")


def __getattr__(name: str) -> Any:
    if name == "CATALOGUES":
        return MappingProxyType(dict(_catalogues()))
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def catalogue_ids() -> tuple[str, ...]:
    """The ids of every catalogue, in the order of the catalogue file."""
    return tuple(_catalogues())


def get_catalogue(id: str) -> Catalogue:
    """The catalogue *id*.

    Raises:
        UnknownName: no catalogue has that id.
    """
    found = _catalogues().get(id) if isinstance(id, str) else None
    if found is None:
        raise UnknownName("catalogue", str(id), catalogue_ids())
    return found


def catalogues_for(cycle: str | Cycle, stage_id: str) -> tuple[Catalogue, ...]:
    """The catalogues shown at stage *stage_id* of *cycle* (a registered name or a cycle).

    They are the ones the stage's guidance names, in its order.

    Raises:
        UnknownName: no cycle is registered under that name.
        InvalidData: the cycle has no stage *stage_id*.

    >>> from bigaccount.catalogues import catalogues_for
    >>> [c.title.en for c in catalogues_for("activity", "ANALYSIS")]
    ['needs iceberg', 'question types for uncovering needs', 'the four elements of communication']
    """
    found = get_cycle(cycle) if isinstance(cycle, str) else cycle
    if not isinstance(found, Cycle):
        raise InvalidData("cycle", f"expected a cycle or its name, got {cycle!r}")
    return tuple(get_catalogue(i) for i in found.stage(stage_id).guidance.catalogues)


def stages_for(catalogue_id: str) -> tuple[tuple[str, str], ...]:
    """Every ``(cycle, stage)`` of the registered cycles showing catalogue *catalogue_id*.

    The built-in cycles come first, in the reference's order, then your registered
    ones by name.

    Raises:
        UnknownName: no catalogue has that id.
    """
    get_catalogue(catalogue_id)
    names = [*BUILTIN, *(n for n in cycle_names() if n not in BUILTIN)]
    return tuple(
        (name, stage.id)
        for name in names
        for stage in get_cycle(name).stages
        if catalogue_id in stage.guidance.catalogues
    )
