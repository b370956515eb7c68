"""The evaluation context: the as-of date, the settings in force and the clock.

Criteria are judged *in a context*. Its ``as_of`` is the moment the evidence is read
at, when the caller names one: relationships not refreshed for long before it count for
less (decay is opt-in, never applied behind the caller's back). Its ``moment`` is the
time of the move being judged, set by the engine (for a check, the clock's time):
date criteria such as "decision within 90 days" measure from ``as_of`` if given, else
from it. Its settings are the thresholds in force (for example
:class:`~bigaccount.people_criteria.RelationshipThresholds`), looked up by their type;
its clock, when there is one, tells the time of a move made without an explicit
``at``. There is no hidden "now": without a clock and without ``at`` a move is
refused.

A context is passed to a move or a check (``context=``), or set for the current thread
or task with :func:`use_context`:

>>> import datetime as dt
>>> from bigaccount import Context, current_context, use_context
>>> fixed = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.timezone.utc)
>>> with use_context(Context(clock=lambda: fixed)):
...     current_context().now() == fixed
True
>>> current_context().clock is None
True
"""

from __future__ import annotations

import contextvars
import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from types import MappingProxyType
from typing import Any, TypeVar

from attrs import evolve, field, frozen

from .errors import InvalidData

__all__ = [
    "Clock",
    "Context",
    "current_context",
    "resolve_context",
    "system_clock",
    "use_context",
]

Clock = Callable[[], dt.datetime]
"""A function returning the current time, timezone-aware."""

T = TypeVar("T")


def system_clock() -> dt.datetime:
    """The wall clock, in UTC. Pass it explicitly (``Context(clock=system_clock)``) to use it."""
    return dt.datetime.now(dt.timezone.utc)


def _instant(value: object, field: str) -> dt.datetime | None:
    """``None``, an aware datetime, or a date as its midnight UTC; else ``InvalidData``."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        if value.utcoffset() is None:
            raise InvalidData(field, "a datetime must carry a timezone (or use a date)")
        return value
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day, tzinfo=dt.timezone.utc)
    raise InvalidData(field, f"expected a date or an aware datetime, got {value!r}")


def _as_of(value: object) -> dt.datetime | None:
    return _instant(value, "as_of")


def _moment(value: object) -> dt.datetime | None:
    return _instant(value, "moment")


def _settings(value: Iterable[object] | Mapping[type, object]) -> Mapping[type, object]:
    if isinstance(value, Mapping):
        items = list(value.items())
    elif isinstance(value, (str, bytes)) or not isinstance(value, Iterable):
        raise InvalidData(
            "settings",
            f"expected setting objects, or a mapping of types to settings, got {value!r}",
        )
    else:
        items = [(type(v), v) for v in value]
    table: dict[type, object] = {}
    for kind, setting in items:
        if not isinstance(kind, type) or not isinstance(setting, kind):
            raise InvalidData("settings", f"{setting!r} is not a {kind!r}")
        if kind in table:
            raise InvalidData("settings", f"two settings of type {kind.__name__}")
        table[kind] = setting
    return MappingProxyType(table)


def _clock(_: object, __: object, value: Any) -> None:
    if value is not None and not callable(value):
        raise InvalidData("clock", f"expected a function returning the time, got {value!r}")


@frozen
class Context:
    """The moment, the settings and the clock that criteria are evaluated with.

    Args:
        as_of: the moment the evidence is judged at (a date means its midnight UTC);
            relationships decay toward it. ``None``: no decay.
        settings: the thresholds in force, one object per type, found with
            :meth:`setting`: setting objects, or a mapping of their types to them.
            A criterion uses its default where none is given.
        clock: tells the time of a move made without ``at``; ``None`` (the default)
            means such a move is refused.
        moment: the time of the move judged (a date means its midnight UTC).

    Raises:
        InvalidData: naming ``as_of``, ``moment``, ``settings`` or ``clock``: a naive
            datetime or another value where a moment belongs, settings that are not
            setting objects (or two of one type), a clock that is not a function.
    """

    as_of: dt.datetime | None = field(default=None, converter=_as_of)
    settings: Mapping[type, object] = field(factory=dict, converter=_settings)
    clock: Clock | None = field(default=None, validator=_clock, eq=False)
    moment: dt.datetime | None = field(default=None, converter=_moment, kw_only=True)
    """The time of the move (or check) being judged; set by the engine."""

    @property
    def reference(self) -> dt.datetime | None:
        """The moment dates are measured from: ``as_of`` if given, else ``moment``."""
        return self.as_of if self.as_of is not None else self.moment

    def setting(self, kind: type[T], default: T) -> T:
        """The setting of type *kind* in force, or *default*."""
        found = self.settings.get(kind)
        return default if found is None else found  # type: ignore[return-value]

    def with_settings(self, *settings: object) -> Context:
        """This context with *settings* added (replacing those of the same type)."""
        merged: dict[type, object] = dict(self.settings)
        merged.update((type(s), s) for s in settings)
        return evolve(self, settings=merged)

    def _judging_at(self, moment: dt.datetime) -> Context:
        """This context, judging a move made at *moment* (no check: the engine's values)."""
        judged = object.__new__(Context)
        _AS_OF(judged, self.as_of)
        _SETTINGS(judged, self.settings)
        _CLOCK(judged, self.clock)
        _MOMENT(judged, moment)
        return judged

    def now(self) -> dt.datetime:
        """The clock's time.

        Raises:
            InvalidData: (field ``at``) the context has no clock, or the clock returned
                something other than an aware datetime.
        """
        if self.clock is None:
            raise InvalidData(
                "at",
                "no time given and the context has no clock: pass at=..., or use "
                "Context(clock=...)",
            )
        moment: Any = self.clock()
        if not isinstance(moment, dt.datetime) or moment.utcoffset() is None:
            raise InvalidData("at", f"the clock returned {moment!r}, not an aware datetime")
        result: dt.datetime = moment
        return result


_AS_OF, _SETTINGS, _CLOCK, _MOMENT = (
    Context.__dict__[name].__set__ for name in ("as_of", "settings", "clock", "moment")
)
_DEFAULT = Context()
_CURRENT: contextvars.ContextVar[Context] = contextvars.ContextVar(
    "bigaccount_context", default=_DEFAULT
)


def current_context() -> Context:
    """The context in force for this thread or task (no clock, no settings by default)."""
    return _CURRENT.get()


def resolve_context(context: Context | None) -> Context:
    """The context a call uses: *context*, else the one in force.

    A context passed to a call without a clock of its own tells time by the clock in
    force (so ``context=Context(settings=[...])`` changes thresholds, not the clock).

    Raises:
        InvalidData: *context* is neither a :class:`Context` nor ``None``.
    """
    current = _CURRENT.get()
    if context is None:
        return current
    if not isinstance(context, Context):
        raise InvalidData("context", f"expected a Context or None, got {context!r}")
    if context.clock is None and current.clock is not None:
        return evolve(context, clock=current.clock)
    return context


@contextmanager
def use_context(context: Context) -> Iterator[Context]:
    """Make *context* the one in force within the ``with`` block (this thread or task only)."""
    if not isinstance(context, Context):
        raise InvalidData("context", f"expected a Context, got {context!r}")
    token = _CURRENT.set(context)
    try:
        yield context
    finally:
        _CURRENT.reset(token)
