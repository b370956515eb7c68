"""Small checks shared by the value classes: each turns bad input into ``InvalidData``.

Private: the public errors are those of :mod:`bigaccount.errors`. Every check names the
field at fault (``field``), so that the error says where the bad value was given.
"""

from __future__ import annotations

import datetime as dt
import enum
import math
from collections.abc import Iterable, Sequence
from typing import Any, TypeVar

from .errors import InvalidData

E = TypeVar("E", bound=enum.Enum)
T = TypeVar("T")


def member(kind: type[E], value: object, field: str) -> E:
    """*value* as a member of the enum *kind* (a member or its value), else ``InvalidData``."""
    if isinstance(value, kind):
        return value
    try:
        return kind(value)
    except (ValueError, TypeError):
        known = ", ".join(str(m.value) for m in kind)
        raise InvalidData(field, f"unknown value {value!r}; expected one of: {known}") from None


# -- numbers ---------------------------------------------------------------------------


def number(value: object, field: str) -> float:
    """A finite real number (``bool`` refused), as a float; else ``InvalidData``."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise InvalidData(field, f"expected a number, got {value!r}")
    try:
        result = float(value)
    except OverflowError:  # an int too large for a float
        raise InvalidData(field, f"{value!r} is too large") from None
    if not math.isfinite(result):
        raise InvalidData(field, f"{value!r} is not a finite number")
    return result


def non_negative(value: object, field: str) -> float:
    """A finite number ``>= 0``, as a float; else ``InvalidData``."""
    result = number(value, field)
    if result < 0:
        raise InvalidData(field, f"{value!r} is negative")
    return result


def unit(value: object, field: str) -> float:
    """A number in [0, 1], as a float; else ``InvalidData``."""
    result = number(value, field)
    if not 0.0 <= result <= 1.0:
        raise InvalidData(field, f"{value!r} is outside [0, 1]")
    return result


def as_float(value: Any) -> Any:
    """Turn an ``int`` (not a ``bool``) into a ``float``; leave anything else to the validator.

    An attrs converter for number fields, so that ``3`` and ``3.0`` make equal values.
    """
    if isinstance(value, int) and not isinstance(value, bool):
        try:
            return float(value)
        except OverflowError:
            return value  # the validator refuses it, naming the field
    return value


def clamp(value: float, low: float, high: float) -> float:
    """*value* moved into ``[low, high]``."""
    return min(max(value, low), high)


def total_of(values: Iterable[float]) -> float:
    """The exact sum (``math.fsum``) of finite numbers; ``inf`` when it overflows a float."""
    try:
        return math.fsum(values)
    except OverflowError:
        return math.inf


def weight_shares(weights: Sequence[float]) -> tuple[float, ...] | None:
    """Finite weights ``>= 0`` divided by their sum; ``None`` when they sum to 0.

    Each share is ``w / Σ w``. When the sum overflows a float (weights near the largest
    float), the weights are first divided by the largest of them, which leaves the
    shares as they are.
    """
    total = total_of(weights)
    if total <= 0:
        return None
    if math.isfinite(total):
        return tuple(w / total for w in weights)
    top = max(weights)
    scaled = [w / top for w in weights]
    rescaled = math.fsum(scaled)
    return tuple(w / rescaled for w in scaled)


# -- text ------------------------------------------------------------------------------


def text(value: object, field: str) -> str:
    """Non-empty text (not only blanks); else ``InvalidData``."""
    if not isinstance(value, str) or not value.strip():
        raise InvalidData(field, f"expected non-empty text, got {value!r}")
    return value


def optional_text(value: object, field: str) -> str | None:
    """``None`` or non-empty text; else ``InvalidData``."""
    return None if value is None else text(value, field)


def texts(value: object, field: str) -> tuple[str, ...]:
    """A sequence of non-empty texts, as a tuple; one text alone is a one-item tuple.

    Anything else — ``None``, a number, a sequence holding a non-text or a blank text —
    is ``InvalidData`` naming the field and, for an item, its index.
    """
    if isinstance(value, str):
        return (text(value, field),)
    if not isinstance(value, Iterable) or isinstance(value, (bytes, dict)):
        raise InvalidData(field, f"expected a sequence of texts, got {value!r}")
    items = tuple(value)
    for index, item in enumerate(items):
        text(item, f"{field}[{index}]")
    return items


def instances(value: object, kind: type[T], field: str) -> tuple[T, ...]:
    """A sequence of *kind* values, as a tuple; else ``InvalidData``.

    A lone value (even of *kind*) or a text is refused: the field holds a sequence.
    """
    if isinstance(value, (str, bytes, dict, kind)) or not isinstance(value, Iterable):
        raise InvalidData(field, f"expected a sequence of {kind.__name__}, got {value!r}")
    items = tuple(value)
    for index, item in enumerate(items):
        if not isinstance(item, kind):
            raise InvalidData(f"{field}[{index}]", f"expected {kind.__name__}, got {item!r}")
    return items


# -- dates -----------------------------------------------------------------------------


def day(value: object, field: str) -> dt.date | None:
    """``None``, a date, or an aware datetime kept as its date; else ``InvalidData``."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        if value.utcoffset() is None:
            raise InvalidData(field, "a datetime must carry a timezone (or use a date)")
        return value.date()
    if isinstance(value, dt.date):
        return value
    raise InvalidData(field, f"expected a date, got {type(value).__name__}")
