"""The exception hierarchy: every error the library raises is a :class:`BigAccountError`.

Errors carry structured fields (the field, stage or criterion at fault) as well as
a readable message, so that callers can react to them without parsing text.
Where an error refines a builtin meaning it also subclasses that builtin
(bad values are ``ValueError``, mixing currencies is a ``TypeError``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .gates import Criterion, GateReport

__all__ = [
    "BigAccountError",
    "CurrencyMismatch",
    "InvalidData",
    "InvalidDefinition",
    "InvalidMove",
    "ReplayError",
    "StageBlocked",
    "UnknownName",
]


class BigAccountError(Exception):
    """The root of every error raised by bigaccount."""


class InvalidData(BigAccountError, ValueError):
    """A value given to the library breaks a rule; ``field`` names where."""

    def __init__(self, field: str, problem: str) -> None:
        self.field = field
        self.problem = problem
        super().__init__(f"{field}: {problem}")


class InvalidDefinition(BigAccountError, ValueError):
    """A declaration (a cycle, a stage, a gate) is malformed; found when it is built.

    ``where`` names the cycle and stage at fault, ``problem`` says what is wrong.
    """

    def __init__(self, where: str, problem: str) -> None:
        self.where = where
        self.problem = problem
        super().__init__(f"{where}: {problem}")


class CurrencyMismatch(BigAccountError, TypeError):
    """Two amounts in different currencies were combined."""

    def __init__(self, left: str, right: str, operation: str) -> None:
        self.currencies = (left, right)
        super().__init__(f"cannot {operation} {left} and {right}: convert one of them first")


class UnknownName(BigAccountError, KeyError):
    """A name (of a cycle, a criterion, a stage) is not registered."""

    def __init__(self, kind: str, name: str, known: Sequence[str] = ()) -> None:
        self.kind = kind
        self.name = name
        hint = f"; known: {', '.join(sorted(known))}" if known else ""
        super().__init__(f"unknown {kind} {name!r}{hint}")

    def __str__(self) -> str:
        return str(self.args[0])


class InvalidMove(BigAccountError):
    """The move does not exist from the track's current state (e.g. after it was won)."""

    def __init__(self, cycle: str, state: str, trigger: str, allowed: Sequence[str]) -> None:
        self.cycle = cycle
        self.state = state
        self.trigger = trigger
        self.allowed = tuple(allowed)
        listed = ", ".join(self.allowed) if self.allowed else "none"
        super().__init__(
            f"{cycle}: no move {trigger!r} from {state!r} (moves from there: {listed})"
        )


class ReplayError(BigAccountError, ValueError):
    """A sequence of stage changes does not follow the cycle; ``index`` is the first bad one."""

    def __init__(self, cycle: str, index: int, problem: str) -> None:
        self.cycle = cycle
        self.index = index
        self.problem = problem
        super().__init__(f"{cycle}: event #{index}: {problem}")


class StageBlocked(BigAccountError):
    """A move was refused because a stage gate on its way does not pass.

    ``reports`` holds one :class:`~bigaccount.gates.GateReport` per gate on the way
    (a jump crosses several); ``blockers`` lists the criteria still missing.
    The deal is left exactly as it was.
    """

    def __init__(self, cycle: str, state: str, trigger: str, reports: Sequence[GateReport]) -> None:
        self.cycle = cycle
        self.state = state
        self.trigger = trigger
        self.reports = tuple(reports)
        failing = [r for r in self.reports if not r.passed]
        lines = "; ".join(r.explain_both() for r in failing)
        super().__init__(f"{cycle}: {trigger!r} from {state!r} is blocked: {lines}")

    @property
    def report(self) -> GateReport:
        """The first gate on the way that does not pass."""
        return next(r for r in self.reports if not r.passed)

    @property
    def blockers(self) -> tuple[Criterion, ...]:
        """The missing criteria of every failing gate, in order, without repeats."""
        from .gates import missing_criteria

        return missing_criteria(self.reports)
