"""The registry of named cycles, so that users, the CLI and configuration can name them.

Built-in cycles are registered on first use; users may register their own.
"""

from __future__ import annotations

import importlib

from .cycle import Cycle
from .errors import InvalidData, UnknownName

__all__ = ["cycle_names", "get_cycle", "register_cycle"]

_BUILTIN = {
    "decision": "bigaccount.cycles.decision",
    "activity": "bigaccount.cycles.activity",
    "advancement": "bigaccount.cycles.advancement",
    "funnel": "bigaccount.cycles.funnel",
    "development": "bigaccount.cycles.development",
}
_cycles: dict[str, Cycle] = {}


def register_cycle(cycle: Cycle, *, replace: bool = False) -> Cycle:
    """Register *cycle* under its name and return it.

    Raises:
        InvalidData: the name is taken by another cycle and ``replace`` is false.
    """
    if not isinstance(cycle, Cycle):
        raise InvalidData("cycle", f"expected a Cycle, got {cycle!r}")
    known = _cycles.get(cycle.name)
    if known is not None and known is not cycle and not replace:
        raise InvalidData("cycle.name", f"a cycle named {cycle.name!r} is already registered")
    _cycles[cycle.name] = cycle
    return cycle


def get_cycle(name: str) -> Cycle:
    """The cycle registered as *name* (built-in ones are loaded on first use).

    Raises:
        UnknownName: no cycle has that name.
    """
    found = _cycles.get(name)
    if found is None and name in _BUILTIN:
        importlib.import_module(_BUILTIN[name])
        found = _cycles.get(name)
    if found is None:
        raise UnknownName("cycle", name, cycle_names())
    return found


def cycle_names() -> tuple[str, ...]:
    """The names of every registered and built-in cycle, sorted."""
    return tuple(sorted(set(_cycles) | set(_BUILTIN)))
