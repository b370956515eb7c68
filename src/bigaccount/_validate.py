"""Small checks shared by the value classes: each turns bad input into ``InvalidData``.

Private: the public errors are those of :mod:`bigaccount.errors`. Every check names the
field at fault (``field``), so that the error says where the bad value was given.
:class:`Rule` applies a check as an attrs validator under the field's own name.

The policy, stated once:

* a **number** is a finite real of the numeric tower (``numbers.Real``: ``int``,
  ``float``, ``Fraction``, numpy's integers and floats), never a ``bool``, a ``Decimal``
  (exact amounts are :class:`~bigaccount.money.Money`), a text or ``nan``/``inf``; number
  fields keep it as a ``float``;
* a **whole number** is an integer of the tower (not a ``bool``, not ``1.0``);
* a **flag** is ``True`` or ``False``, nothing merely truthy;
* **text** is a ``str`` with something in it besides blanks;
* an **enum** field takes a member or its value (``"decision"`` for ``Level.DECISION``).
"""

from __future__ import annotations

import datetime as dt
import enum
import math
import numbers
from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeVar

import attrs
from attrs import Attribute, frozen

from .errors import InvalidData

E = TypeVar("E", bound=enum.Enum)
T = TypeVar("T")


def member(kind: type[E], value: object, field: str) -> E:
    """*value* as a member of the enum *kind* (a member or its value), else ``InvalidData``.

    A value is looked up in the enum's own table of values first (what ``kind(value)``
    does, without its call); anything else goes through ``kind(value)``, so that an
    enum's ``_missing_`` still applies.
    """
    if isinstance(value, kind):
        return value
    try:
        found: E | None = kind._value2member_map_.get(value)  # type: ignore[assignment]
    except TypeError:  # unhashable: refused by kind(value) below
        found = None
    if found is not None:
        return found
    try:
        return kind(value)
    except (ValueError, TypeError):
        known = ", ".join(str(m.value) for m in kind)
        raise InvalidData(field, f"unknown value {value!r}; expected one of: {known}") from None


def optional_member(kind: type[E], value: object, field: str) -> E | None:
    """``None``, or *value* as a member of *kind* (see :func:`member`)."""
    return None if value is None else member(kind, value, field)


def members(kind: type[E], value: object, field: str) -> tuple[E, ...]:
    """A sequence of distinct members of *kind* (or their values), as a tuple of members."""
    if isinstance(value, (str, bytes, dict, enum.Enum)) or not isinstance(value, Iterable):
        raise InvalidData(field, f"expected a sequence of {kind.__name__} values, got {value!r}")
    found = tuple(member(kind, item, f"{field}[{i}]") for i, item in enumerate(value))
    if len(set(found)) != len(found):
        raise InvalidData(field, f"a value is listed twice: {[m.value for m in found]}")
    return found


def flag(value: object, field: str) -> bool:
    """``True`` or ``False``; anything else (``1``, ``"no"``, ``None``) is ``InvalidData``."""
    if not isinstance(value, bool):
        raise InvalidData(field, f"expected True or False, got {value!r}")
    return value


def instance(value: object, kind: type[T], field: str) -> T:
    """*value* if it is a *kind*, else ``InvalidData``."""
    if not isinstance(value, kind):
        raise InvalidData(field, f"expected {_a(kind)}, got {value!r}")
    return value


def optional_instance(value: object, kind: type[T], field: str) -> T | None:
    """``None`` or a *kind*, else ``InvalidData``."""
    return None if value is None else instance(value, kind, field)


def _a(kind: type) -> str:
    name = kind.__name__
    return f"an {name}" if name[0] in "AEIOU" else f"a {name}"


@frozen(repr=False)
class Rule:
    """An attrs validator: ``check(value, prefix + field name)``, so no field path is typed.

    >>> from attrs import field, frozen
    >>> @frozen
    ... class Share:
    ...     value: float = field(validator=Rule(unit, "share."))
    >>> Share(2.0)
    Traceback (most recent call last):
    ...
    bigaccount.errors.InvalidData: share.value: 2.0 is outside [0, 1]
    """

    check: Callable[[object, str], object]
    prefix: str = ""

    def __call__(self, _: object, attribute: Attribute[Any], value: object) -> None:
        self.check(value, self.prefix + attribute.name)

    def __repr__(self) -> str:
        return f"Rule({self.check.__name__}, {self.prefix!r})"


def of_kind(kind: type) -> Callable[[object, str], object]:
    """The check that a value is a *kind* (for :class:`Rule`)."""

    def check(value: object, field: str) -> object:
        return instance(value, kind, field)

    check.__name__ = f"is_{kind.__name__}"
    return check


def optional_of_kind(kind: type) -> Callable[[object, str], object]:
    """The check that a value is ``None`` or a *kind* (for :class:`Rule`)."""

    def check(value: object, field: str) -> object:
        return optional_instance(value, kind, field)

    check.__name__ = f"is_{kind.__name__}_or_none"
    return check


def many_of(kind: type) -> Callable[[object, str], object]:
    """The check that a value is a sequence of *kind* values (for :class:`Rule`)."""

    def check(value: object, field: str) -> object:
        return instances(value, kind, field)

    check.__name__ = f"are_{kind.__name__}"
    return check


def trusted(cls: type[T], *values: object) -> T:
    """An attrs value of *cls* from *values* given in field order, without its checks.

    For values the library builds from what it has already checked (a score's result
    from a checked buying center): running every field's check again would add to the
    cost of each score for nothing. Never for values from outside: build those with the
    class, which checks them.
    """
    setters = _SETTERS.get(cls)
    if setters is None:
        setters = _SETTERS[cls] = slot_setters(cls)
    made = object.__new__(cls)
    for put, value in zip(setters, values, strict=True):
        put(made, value)
    return made


def slot_setters(cls: type) -> tuple[Callable[[Any, Any], None], ...]:
    """The slots' own setters of the frozen attrs class *cls*, in field order.

    The fastest way to fill a new value the library has already checked: a hot path
    unrolls the calls (``s[0](made, a); s[1](made, b)``), :func:`trusted` loops.
    """
    kind: Any = cls
    return tuple(cls.__dict__[a.name].__set__ for a in attrs.fields(kind))


_SETTERS: dict[type, tuple[Callable[[Any, Any], None], ...]] = {}


def to_tuple(value: Any) -> Any:
    """An attrs converter: a sequence (not a text, bytes or a mapping) as a tuple; else as given.

    The validator, which knows the field, refuses what is left as given.
    """
    if type(value) is tuple:
        return value
    if isinstance(value, (str, bytes, dict)) or not isinstance(value, Iterable):
        return value
    return tuple(value)


def scores(kind: type[E], value: object, field: str, *, every: bool) -> tuple[tuple[E, float], ...]:
    """``(member, score in [0, 1])`` pairs, one per member of *kind* (*every*) or at most one.

    A score is a :func:`unit` number, kept as a float; a member may be given by its value.
    """
    if isinstance(value, (str, bytes, dict)) or not isinstance(value, Iterable):
        raise InvalidData(field, f"expected (member, score) pairs, got {value!r}")
    found: list[tuple[E, float]] = []
    for i, pair in enumerate(value):
        if not isinstance(pair, tuple) or len(pair) != 2:
            raise InvalidData(f"{field}[{i}]", f"expected a (member, score) pair, got {pair!r}")
        key = member(kind, pair[0], f"{field}[{i}]")
        found.append((key, unit(pair[1], f"{field}[{key.value!r}]")))
    keys = [k for k, _ in found]
    if len(set(keys)) != len(keys):
        raise InvalidData(field, f"a {kind.__name__} is listed twice")
    if every and len(keys) != len(kind):
        absent = ", ".join(str(m.value) for m in kind if m not in keys)
        raise InvalidData(field, f"missing: {absent}")
    return tuple(found)


# -- numbers ---------------------------------------------------------------------------


def number(value: object, field: str) -> float:
    """A finite real number (``numbers.Real``, not ``bool``) as a float; else ``InvalidData``."""
    if type(value) is float and math.isfinite(value):
        return value
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        hint = (
            " (give a float or an int)" if isinstance(value, (str, bytes, numbers.Number)) else ""
        )
        raise InvalidData(field, f"expected a number, got {value!r}{hint}")
    try:
        result = float(value)
    except OverflowError:  # an int too large for a float
        raise InvalidData(field, "the number is too large for a float") from None
    if not math.isfinite(result):
        raise InvalidData(field, f"{value!r} is not a finite number")
    return result


def optional_number(value: object, field: str) -> float | None:
    """``None`` or a finite real number (see :func:`number`)."""
    return None if value is None else number(value, field)


def whole(value: object, field: str) -> int:
    """A whole number ``>= 0`` (an integer of the numeric tower, not a ``bool``), as an int."""
    result = signed_whole(value, field)
    if result < 0:
        raise InvalidData(field, f"expected a whole number >= 0, got {value!r}")
    return result


def optional_whole(value: object, field: str) -> int | None:
    """``None`` or a whole number ``>= 0``."""
    return None if value is None else whole(value, field)


def signed_whole(value: object, field: str) -> int:
    """A whole number of either sign (an integer, not a ``bool`` and not ``1.0``), as an int."""
    if type(value) is int:
        return value
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise InvalidData(field, f"expected a whole number, got {value!r}")
    return int(value)


def optional_signed_whole(value: object, field: str) -> int | None:
    """``None`` or a whole number of either sign."""
    return None if value is None else signed_whole(value, field)


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


def optional_unit(value: object, field: str) -> float | None:
    """``None`` or a number in [0, 1]."""
    return None if value is None else unit(value, field)


def as_float(value: Any) -> Any:
    """Turn a real number of the tower (not a ``bool``) into a ``float``; leave anything else.

    An attrs converter for number fields, so that ``3``, ``3.0``, ``Fraction(3)`` and
    ``numpy.int64(3)`` make equal values holding the same float; the validator refuses
    what is left as given, naming the field.
    """
    if type(value) is float:
        return value
    if isinstance(value, numbers.Real) and not isinstance(value, (bool, float)):
        try:
            return float(value)
        except OverflowError:
            return value  # the validator refuses it, naming the field
    if type(value) is not float and isinstance(value, float):  # a float subclass (numpy)
        return float(value)
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
    if type(value) is tuple and all(isinstance(item, kind) for item in value):
        return value
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
