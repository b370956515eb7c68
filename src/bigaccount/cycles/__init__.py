"""The built-in cycles of the key-account method, shipped as data files.

Each cycle is declared once, in ``bigaccount/cycles/data/<name>.toml``, and read by
the same loader users call for their own pipelines
(:func:`~bigaccount.declarations.load_cycle`). The registry loads a cycle the first
time it is named (``get_cycle("funnel")``); nothing is read at import.

>>> from bigaccount import get_cycle
>>> [stage.id for stage in get_cycle("funnel").stages][:3]
['TARGET', 'INTENT', 'APPROVED']
"""

from __future__ import annotations

from ..cycle import Cycle
from ..declarations import builtin_data, read_cycle

__all__ = ["load_builtin"]


def load_builtin(name: str) -> Cycle:
    """Read the built-in cycle *name* from its data file (the registry caches it).

    Raises:
        InvalidDefinition: no such file, or its declaration is malformed.
    """
    return read_cycle(builtin_data(name), source=f"{name}.toml")
