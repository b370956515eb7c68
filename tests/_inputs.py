"""The machinery of the input census: kinds of parameter and the table of calls.

A :class:`Kind` knows the wrong values of one kind of parameter, enumerated and drawn;
:func:`case` adds one public callable to :data:`CASES` with a call that works and the
kind of each parameter. The census's own cases are in ``test_public_inputs.py``; the
``_cases_*.py`` modules add those of one public module each and name it in
:data:`SURVEYED`, so that the census checks every public callable of it is covered.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import enum
import inspect
import math
import re
from collections.abc import Callable, Mapping
from contextlib import AbstractContextManager
from decimal import Decimal
from fractions import Fraction
from typing import Any

import attrs
from attrs import frozen
from hypothesis import strategies as st

from bigaccount import (
    Label,
    Lang,
    Money,
    Segment,
)
from bigaccount.people import (
    Level,
)

UTC = dt.timezone.utc
T0 = dt.datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
D0 = dt.date(2026, 1, 5)
NAIVE = dt.datetime(2026, 1, 5, 9, 0)
L = Label("甲", "a")
CNY = Money("100", "CNY")


class Junk:
    """An object the library has no use for."""

    def __repr__(self) -> str:
        return "<junk>"


JUNK = Junk()
NAN = math.nan
INF = math.inf
HUGE_INT = 10**400
"""An int too large for a float."""


# -- kinds of parameter ----------------------------------------------------------------


@frozen
class Kind:
    """What a parameter takes: the wrong values for it, and the documented conversions.

    ``same`` pairs a value the library accepts in place of another with the value it
    stands for (``"decision"`` for ``Level.DECISION``): a call with either gives equal
    results.
    """

    family: str
    bad: tuple[object, ...]
    draw: st.SearchStrategy[object]
    same: tuple[tuple[object, object], ...] = ()


NOT_TEXT: tuple[object, ...] = (0, 1.5, NAN, True, b"x", [], {}, JUNK, ["a"])
BLANK: tuple[str, ...] = ("", "   ", "\t\n", "\u3000")
JUNK_DRAW: st.SearchStrategy[object] = st.one_of(
    st.integers(),
    st.floats(),
    st.booleans(),
    st.binary(max_size=3),
    st.lists(st.integers(), max_size=2),
    st.dictionaries(st.text(max_size=2), st.integers(), max_size=1),
    st.just(JUNK),
    st.decimals(allow_nan=False),
)
BLANK_DRAW = st.text(alphabet=" \t\n\r\u3000\xa0\u2003", max_size=4)


def text(*, optional: bool = False) -> Kind:
    """Non-empty text (``None`` too when optional)."""
    none = () if optional else (None,)
    draw = st.one_of(JUNK_DRAW, BLANK_DRAW, *(() if optional else (st.none(),)))
    return Kind("text", (*none, *NOT_TEXT, *BLANK), draw)


def identifier(*, optional: bool = False) -> Kind:
    """An identifier such as ``"P3"``: letters, digits and ``_`` (``None`` too when optional)."""
    base = text(optional=optional)
    words = st.text(min_size=1, max_size=5).filter(lambda s: not re.fullmatch(r"[A-Za-z_]\w*", s))
    return Kind("identifier", (*base.bad, "two words", "1st"), st.one_of(base.draw, words))


def real(
    low: float | None = None,
    high: float | None = None,
    *,
    above: bool = False,
    optional: bool = False,
    whole: bool = False,
    tower: bool = True,
) -> Kind:
    """A finite real number in ``[low, high]`` (``(low, high]`` when *above*); a whole one.

    With *tower* (the policy of ``bigaccount._validate``) a ``Fraction`` stands for its float.
    """

    def inside(x: float) -> bool:
        if not math.isfinite(x) or (high is not None and x > high):
            return False
        return low is None or x > low or (x == low and not above)

    bad: list[object] = [] if optional else [None]
    bad += ["1", "0.5", True, False, NAN, INF, -INF, b"1", [], {}, JUNK, Decimal("0.5"), 1j]
    draws: list[st.SearchStrategy[Any]] = [
        st.text(max_size=3),
        st.booleans(),
        st.binary(max_size=2),
        st.lists(st.floats(), max_size=2),
        st.decimals(),
        st.complex_numbers(),
        st.just(JUNK),
        st.floats() if whole else st.floats().filter(lambda x: not inside(x)),
    ]
    if not optional:
        draws.append(st.none())
    if whole:
        bad += [1.0, 1.5]
    elif high is None:
        bad.append(HUGE_INT)
        draws.append(st.integers(min_value=2**1024))
    if low is not None:
        bad += [low - 1] if whole else [low - 1, low - 1e-9]
        bad += [low] if above else []
        draws.append(st.integers(max_value=math.floor(low) if above else math.ceil(low) - 1))
    elif not whole:
        bad.append(-HUGE_INT)
    if high is not None:
        bad += [high + 1] if whole else [high + 1, high + 1e-9]
        draws.append(st.integers(min_value=math.floor(high) + 1))
    halves = (1, Fraction(1, 2)) if tower else (1,)
    same = () if whole else tuple((x, float(x)) for x in halves if inside(float(x)))
    return Kind("whole" if whole else "number", tuple(bad), st.one_of(*draws), same)


def member_of(kind: type[enum.Enum], *, optional: bool = False) -> Kind:
    """A member of the enum *kind*, or its value."""
    values = {m.value for m in kind}
    other = next(iter(Segment)) if kind is not Segment else next(iter(Level))
    bad: list[object] = [] if optional else [None]
    bad += ["bogus", *BLANK, 1, 1.5, NAN, True, b"x", [], {}, JUNK, other]
    upper = next(iter(kind)).name
    if upper not in values:
        bad.append(upper)
    draw = st.one_of(
        st.text(max_size=6).filter(lambda s: s not in values),
        JUNK_DRAW,
        *(() if optional else (st.none(),)),
    )
    first = next(iter(kind))
    return Kind("enum", tuple(bad), draw, ((first.value, first),))


def day(*, optional: bool = True, aware: bool = True) -> Kind:
    """A date (or an aware datetime, kept as its date, when *aware*)."""
    bad: list[object] = [] if optional else [None]
    bad += [NAIVE, "2026-01-05", 20260105, 1.5, True, b"x", [], {}, JUNK, (2026, 1, 5)]
    if not aware:
        bad.append(T0)
    draw = st.one_of(
        st.datetimes(),
        st.text(max_size=10),
        st.integers(),
        st.floats(),
        st.just(JUNK),
        *(() if optional else (st.none(),)),
    )
    same = ((T0, T0.date()),) if aware else ()
    return Kind("date", tuple(bad), draw, same)


def moment(*, optional: bool = False, dates: bool = False) -> Kind:
    """A timezone-aware datetime (a date too, as its midnight UTC, when *dates*)."""
    bad: list[object] = [] if optional else [None]
    bad += [NAIVE, "2026-01-05T09:00:00+00:00", 1767600000, 1.5, True, [], JUNK]
    if not dates:
        bad.append(D0)
    draw = st.one_of(
        st.datetimes(),
        st.text(max_size=10),
        st.integers(),
        st.just(JUNK),
        *(() if optional else (st.none(),)),
    )
    same = ((D0, dt.datetime(2026, 1, 5, tzinfo=UTC)),) if dates else ()
    return Kind("moment", tuple(bad), draw, same)


def money(*, optional: bool = False) -> Kind:
    """:class:`~bigaccount.money.Money` (a bare number has no currency)."""
    bad: list[object] = [] if optional else [None]
    bad += [1.5, 100, "100", Decimal("100"), NAN, True, [], {}, JUNK, "100 CNY"]
    draw = st.one_of(
        st.floats(),
        st.integers(),
        st.decimals(),
        st.text(max_size=5),
        st.booleans(),
        *(() if optional else (st.none(),)),
    )
    return Kind("money", tuple(bad), draw)


def one(kind: type, *, optional: bool = False) -> Kind:
    """A value of the class *kind*."""
    bad: list[object] = [] if optional else [None]
    bad += ["x", 1, 1.5, True, [], {}, JUNK, b"x"]
    draw = st.one_of(JUNK_DRAW, st.text(max_size=3), *(() if optional else (st.none(),)))
    return Kind("instance", tuple(bad), draw)


def many(kind: type, sample: object, *, allow_empty: bool = True) -> Kind:
    """A sequence of *kind* values (*sample* is one of them), never a text or a lone value."""
    bad: list[object] = [None, "x", b"x", 1, 1.5, True, JUNK, sample, {"a": sample}]
    bad += [[sample, JUNK], [None], ["x"], [1]]
    if not allow_empty:
        bad.append([])
    junk_item = st.one_of(JUNK_DRAW, st.text(max_size=3), st.none())
    draw = st.one_of(
        st.text(max_size=3),
        st.integers(),
        st.none(),
        st.just(sample),
        st.lists(st.one_of(st.just(sample), junk_item), min_size=1).filter(
            lambda items: any(item is not sample for item in items)
        ),
    )
    return Kind("sequence", tuple(bad), draw)


def texts(*, one: bool = True) -> Kind:
    """A sequence of non-empty texts; one text alone is a one-item tuple (unless not *one*)."""
    bad: list[object] = [None, 1, 1.5, True, b"x", JUNK, {"a": "b"}, [1], [""], [None], ["a", " "]]
    if not one:
        bad.append("one")
    draw = st.one_of(
        BLANK_DRAW.filter(lambda s: s == "" or not s.strip()),
        st.integers(),
        st.none(),
        st.lists(st.one_of(JUNK_DRAW, BLANK_DRAW, st.none()), min_size=1),
    )
    return Kind("texts", tuple(bad), draw, (("one", ("one",)),) if one else ())


def items(kind: type) -> Kind:
    """The items of a ``*args`` parameter, each a *kind* value."""
    bad: list[object] = [(None,), ("x",), (1,), (JUNK,), ([],), (b"x",)]
    draw = st.lists(st.one_of(JUNK_DRAW, st.text(max_size=3), st.none()), min_size=1).map(tuple)
    return Kind("items", tuple(bad), draw)


def flag() -> Kind:
    """``True`` or ``False``, nothing truthy or falsy."""
    bad: tuple[object, ...] = (None, 0, 1, "true", "no", "", 1.0, [], JUNK)
    draw = st.one_of(st.integers(), st.text(max_size=3), st.none(), st.floats(), st.just(JUNK))
    return Kind("flag", bad, draw)


def lang(*, optional: bool = True) -> Kind:
    """``"zh"``, ``"en"`` or a :class:`~bigaccount.labels.Lang` (``None``: the current one)."""
    bad: list[object] = [] if optional else [None]
    bad += ["fr", "ZH", "", 1, True, b"en", [], {}, JUNK]
    draw = st.one_of(st.text(max_size=3).filter(lambda s: s not in ("zh", "en")), JUNK_DRAW)
    return Kind("enum", tuple(bad), draw, (("zh", Lang.ZH),))


def name(known: tuple[str, ...] = (), *, optional: bool = False) -> Kind:
    """The name of something registered: text that must be one of the names known."""
    base = text(optional=optional)
    unknown = st.text(max_size=6).filter(lambda s: s not in known)
    return Kind("name", (*base.bad, "no such name"), st.one_of(base.draw, unknown))


def mapping(bad: tuple[object, ...], draw: st.SearchStrategy[object] | None = None) -> Kind:
    """A mapping, with the wrong values given."""
    fallback = st.one_of(st.none(), st.integers(), st.text(max_size=3), st.just(JUNK))
    return Kind("mapping", (None, "x", 1, [], JUNK, *bad), fallback if draw is None else draw)


def special(*bad: object, draw: st.SearchStrategy[object] | None = None) -> Kind:
    """A parameter whose wrong values are listed by hand."""
    return Kind("special", bad, st.sampled_from(bad) if draw is None else draw)


# -- the table of calls ----------------------------------------------------------------


class Fresh:
    """A value made anew for every call (for calls that change what they are given)."""

    def __init__(self, make: Callable[[], object]) -> None:
        self.make = make

    def __repr__(self) -> str:
        return "<fresh>"


@frozen
class Case:
    """One public callable: a call that works, and the kind of each parameter.

    ``names`` lists, per parameter, other words an error may use to name it (the field
    a value is checked under, e.g. ``reports_to`` for a ``Stakeholder``'s boss).
    """

    label: str
    call: Callable[..., Any]
    args: Mapping[str, object]
    kinds: Mapping[str, Kind]
    module: str
    names: Mapping[str, tuple[str, ...]] = attrs.field(factory=dict)

    def parameters(self) -> tuple[str, ...]:
        return tuple(self.kinds)


def _module_of(call: Callable[..., Any]) -> str:
    owner = getattr(call, "__self__", None)
    if owner is not None and not isinstance(owner, type):
        return type(owner).__module__
    if isinstance(owner, type):
        return owner.__module__
    return str(getattr(call, "__module__", "?"))


CASES: dict[str, Case] = {}


def case(
    label: str,
    call: Callable[..., Any],
    args: Mapping[str, object] | None = None,
    kinds: Mapping[str, Kind] | None = None,
    *,
    module: str | None = None,
    names: Mapping[str, tuple[str, ...]] | None = None,
) -> None:
    assert label not in CASES, label
    CASES[label] = Case(
        label, call, dict(args or {}), dict(kinds or {}), module or _module_of(call), names or {}
    )


def invoke(call: Callable[..., Any], args: Mapping[str, object]) -> Any:
    """Call *call* with *args*: by keyword, or by position up to a ``*args`` parameter."""
    values: dict[str, Any] = {k: (v.make() if isinstance(v, Fresh) else v) for k, v in args.items()}
    parameters = inspect.signature(call).parameters
    star = any(p.kind is p.VAR_POSITIONAL for p in parameters.values())
    positional: list[Any] = []
    keywords: dict[str, Any] = {}
    for key, parameter in parameters.items():
        if key not in values:
            continue
        if parameter.kind is parameter.VAR_POSITIONAL:
            positional.extend(values[key])
        elif parameter.kind is parameter.VAR_KEYWORD:
            keywords.update(values[key])
        elif star or parameter.kind is parameter.POSITIONAL_ONLY:
            positional.append(values[key])
        else:
            keywords[key] = values[key]
    return call(*positional, **keywords)


def entered(manager: Callable[..., AbstractContextManager[Any]]) -> Callable[..., Any]:
    """A call that enters (and leaves) the context manager *manager* returns."""

    def call(*args: Any, **kwargs: Any) -> Any:
        with manager(*args, **kwargs) as value:
            return value

    call.__signature__ = inspect.signature(manager)  # type: ignore[attr-defined]
    call.__module__ = manager.__module__
    return call


def isolated(function: Callable[..., Any]) -> Callable[..., Any]:
    """A call of *function* in a copy of the current context (for calls that set it)."""

    def call(*args: Any, **kwargs: Any) -> Any:
        return contextvars.copy_context().run(function, *args, **kwargs)

    call.__signature__ = inspect.signature(function)  # type: ignore[attr-defined]
    call.__module__ = function.__module__
    return call


EXEMPT: dict[str, str] = {}
"""Public names that are not calls to survey (a Protocol, an alias…), with the reason."""

SURVEYED: list[str] = []
"""Public modules whose every callable a ``_cases_*`` module covers."""
