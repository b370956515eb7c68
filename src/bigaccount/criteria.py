"""The registry of criteria by id: what a cycle file may name besides its own plain criteria.

A cycle declared in a data file can never name Python code. Its gates list criteria by
id: plain fact and value criteria declared in the file itself, or criteria that an
application registered in code — the library's own (the relationship criteria that
read the buying organisation, the competitor criteria) are registered here on first
use. Applications register theirs with :func:`register_criterion`, or publish them
through the ``bigaccount.criteria`` entry-point group (each entry point is a function
returning the criteria), so that the command line and other tools see them too.

>>> from bigaccount import Criterion, get_criterion, register_criterion
>>> sla = register_criterion(Criterion.fact("sla_agreed", "服务水平已约定", "SLA agreed"))
>>> get_criterion("sla_agreed") is sla
True
>>> get_criterion("p4_top_relation").label.en
"relations with the customer's top level strong enough to secure the project"
"""

from __future__ import annotations

import importlib
import threading
from collections.abc import Iterable
from importlib.metadata import entry_points

from ._validate import flag
from .errors import InvalidData, UnknownName
from .gates import Criterion

__all__ = ["criterion_ids", "get_criterion", "register_criterion"]

ENTRY_POINT_GROUP = "bigaccount.criteria"
"""The entry-point group through which installed packages publish criteria."""

_BUILTIN_MODULES = ("bigaccount.people_criteria", "bigaccount.plan")
"""The library's own modules that register criteria when first needed."""

_criteria: dict[str, Criterion] = {}
_loaded = {"builtin": False, "published": False}
_lock = threading.Lock()


def register_criterion(criterion: Criterion, *, replace: bool = False) -> Criterion:
    """Register *criterion* under its id and return it.

    Raises:
        InvalidData: not a :class:`~bigaccount.gates.Criterion`, ``replace`` is not
            ``True`` or ``False``, or the id is taken by another criterion and
            ``replace`` is false.
    """
    if not isinstance(criterion, Criterion):
        raise InvalidData("criterion", f"expected a Criterion, got {criterion!r}")
    flag(replace, "replace")
    with _lock:
        known = _criteria.get(criterion.id)
        if known is not None and known is not criterion and not replace:
            raise InvalidData(
                "criterion.id", f"a criterion with id {criterion.id!r} is already registered"
            )
        _criteria[criterion.id] = criterion
    return criterion


def _load_builtin() -> None:
    if not _loaded["builtin"]:
        for module in _BUILTIN_MODULES:
            importlib.import_module(module)
        _loaded["builtin"] = True


def _load_published() -> None:
    if _loaded["published"]:
        return
    for point in entry_points(group=ENTRY_POINT_GROUP):
        published = point.load()()
        items: Iterable[object] = (published,) if isinstance(published, Criterion) else published
        for item in items:
            if not isinstance(item, Criterion):
                raise InvalidData(f"entry point {point.name!r}", f"expected criteria, got {item!r}")
            if _criteria.get(item.id) is not item:
                register_criterion(item)
    _loaded["published"] = True


def get_criterion(criterion_id: str) -> Criterion:
    """The criterion registered as *criterion_id* (the library's own are loaded on first use).

    Raises:
        UnknownName: no criterion has that id.
        InvalidData: *criterion_id* is not text.
    """
    if not isinstance(criterion_id, str):
        raise InvalidData("criterion_id", f"expected a criterion's id (text), got {criterion_id!r}")
    found = _criteria.get(criterion_id)
    if found is None:
        _load_builtin()
        found = _criteria.get(criterion_id)
    if found is None:
        _load_published()
        found = _criteria.get(criterion_id)
    if found is None:
        raise UnknownName("criterion", criterion_id, criterion_ids())
    return found


def criterion_ids() -> tuple[str, ...]:
    """The ids of every registered criterion, sorted."""
    _load_builtin()
    _load_published()
    return tuple(sorted(_criteria))
