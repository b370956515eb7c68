"""The registry of named cycles, so that users, the CLI and configuration can name them.

The five built-in cycles are data files shipped with the library
(:mod:`bigaccount.cycles`), each read the first time its name is asked for and then
kept; users register their own, e.g. a cycle loaded from a file:

>>> from bigaccount import get_cycle, load_cycle, register_cycle
>>> get_cycle("funnel") is get_cycle("funnel")
True
>>> mine = register_cycle(load_cycle('''
... [cycle]
... name = "registry_example"
... kind = "process"
... label = { zh = "示例", en = "example" }
... [[stages]]
... id = "ONLY"
... label = { zh = "唯一", en = "only" }
... '''))
>>> get_cycle("registry_example") is mine
True
"""

from __future__ import annotations

import importlib
import threading

from ._validate import flag
from .cycle import Cycle
from .errors import InvalidData, UnknownName

__all__ = ["cycle_names", "get_cycle", "register_cycle"]

BUILTIN = ("decision", "activity", "advancement", "funnel", "development")
"""The names of the built-in cycles, in the order the reference lists them."""

_cycles: dict[str, Cycle] = {}
_lock = threading.RLock()


def register_cycle(cycle: Cycle, *, replace: bool = False) -> Cycle:
    """Register *cycle* under its name and return the registered cycle.

    Registering a cycle equal to the one already registered under its name (the same
    file loaded twice) changes nothing and returns the registered one, so that deals
    already started keep their cycle.

    Raises:
        InvalidData: not a cycle, ``replace`` is not ``True`` or ``False``, or the name
            is taken (by a different registered cycle or by a built-in one) and
            ``replace`` is false.
    """
    if not isinstance(cycle, Cycle):
        raise InvalidData("cycle", f"expected a Cycle, got {cycle!r}")
    flag(replace, "replace")
    with _lock:
        known = _cycles.get(cycle.name)
        if known is None and cycle.name in BUILTIN and not replace:
            known = get_cycle(cycle.name)
        if known is not None and known == cycle and not replace:
            return known
        if known is not None and not replace:
            raise InvalidData("cycle.name", f"a cycle named {cycle.name!r} is already registered")
        _cycles[cycle.name] = cycle
    return cycle


def get_cycle(name: str) -> Cycle:
    """The cycle registered as *name* (a built-in one is read from its file on first use).

    Raises:
        UnknownName: no cycle has that name.
        InvalidData: *name* is not text.
        InvalidDefinition: a built-in cycle's file is malformed (a broken installation).
    """
    if not isinstance(name, str):
        raise InvalidData("name", f"expected a cycle's name (text), got {name!r}")
    found = _cycles.get(name)
    if found is not None:
        return found
    if name not in BUILTIN:
        raise UnknownName("cycle", name, cycle_names())
    with _lock:
        found = _cycles.get(name)
        if found is None:
            loaded: object = importlib.import_module("bigaccount.cycles").load_builtin(name)
            if not isinstance(loaded, Cycle):
                raise InvalidData("cycle", f"the built-in {name!r} did not load as a cycle")
            found = _cycles[name] = loaded
    return found


def cycle_names() -> tuple[str, ...]:
    """The names of every registered and built-in cycle, sorted."""
    return tuple(sorted(set(_cycles) | set(BUILTIN)))
