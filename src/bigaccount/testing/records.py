"""Build an attrs record from its field types: the sensible default for plain records.

Most of the account plan and many result records are plain data: texts, optional
dates, shares in [0, 1], lists of smaller records. :func:`records` draws one from the
type of each field — a non-blank text for ``str``, a share in [0, 1] for ``float``,
a whole number up to 1000 for ``int``, a non-negative amount for
:class:`~bigaccount.money.Money`, a date between 2000 and 2100, up to two items for a
``tuple[X, ...]``, ``st.from_type`` for anything else (so registered strategies are
used for nested records) — and takes explicit strategies for the fields that need
more care.

>>> from hypothesis import given
>>> from bigaccount.plan import KeyAction
>>> from bigaccount.testing import records
>>> @given(records(KeyAction))
... def test_an_action_is_named(action):
...     assert action.action.strip()
>>> test_an_action_is_named()
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
import types
import typing
from decimal import Decimal
from typing import Any, TypeVar

import attrs
from hypothesis import strategies as st

from ..labels import Label
from ..money import Money
from .strategies import aware_datetimes, labels, money, texts

__all__ = ["records"]

T = TypeVar("T")


def _plain(kind: Any) -> st.SearchStrategy[Any] | None:
    simple: dict[Any, st.SearchStrategy[Any]] = {
        str: texts(),
        bool: st.booleans(),
        int: st.integers(0, 1000),
        float: st.floats(0, 1),
        Decimal: st.decimals(min_value=0, max_value=1, places=4),
        Money: money().map(lambda m: m if m.amount >= 0 else -m),
        dt.datetime: aware_datetimes(),
        dt.date: st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2100, 1, 1)),
        Label: labels(),
        type(None): st.none(),
    }
    return simple.get(kind)


def strategy_for(kind: Any) -> st.SearchStrategy[Any]:
    """The strategy :func:`records` uses for a field of type *kind*."""
    found = _plain(kind)
    if found is not None:
        return found
    origin = typing.get_origin(kind)
    args = typing.get_args(kind)
    if origin in (typing.Union, types.UnionType):
        return st.one_of([strategy_for(a) for a in args])
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
        return st.lists(strategy_for(args[0]), max_size=2).map(tuple)
    if origin is tuple:
        return st.tuples(*(strategy_for(a) for a in args))
    if isinstance(kind, type) and issubclass(kind, enum.Enum):
        return st.sampled_from(kind)
    return st.from_type(kind)


@functools.cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def records(cls: type[T], **fields: st.SearchStrategy[Any]) -> st.SearchStrategy[T]:
    """Records of the attrs class *cls*, each field drawn from its type or from *fields*.

    Raises:
        TypeError: *cls* is not an attrs class, or *fields* names a field it has not.
    """
    if not attrs.has(cls):
        raise TypeError(f"{cls!r} is not an attrs class")
    hints = _hints(cls)
    known = {a.alias for a in attrs.fields(cls) if a.init}
    unknown = set(fields) - known
    if unknown:
        raise TypeError(f"{cls.__name__} has no field(s) {', '.join(sorted(unknown))}")
    kwargs = {
        a.alias: fields[a.alias] if a.alias in fields else strategy_for(hints[a.name])
        for a in attrs.fields(cls)
        if a.init
    }
    built: st.SearchStrategy[T] = st.builds(cls, **kwargs)  # type: ignore[arg-type]
    return built
