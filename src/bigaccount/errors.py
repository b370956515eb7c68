"""The exception hierarchy: every error the library raises is a :class:`BigAccountError`.

Errors carry structured fields (the field, stage or criterion at fault) as well as
a readable message, so that callers can react to them without parsing text.
Where an error refines a builtin meaning it also subclasses that builtin
(bad values are ``ValueError``, mixing currencies is a ``TypeError``).
:class:`~bigaccount.gates.StageBlocked`, which carries gate reports, lives beside
them in :mod:`bigaccount.gates`.
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = [
    "BigAccountError",
    "CurrencyMismatch",
    "InvalidData",
    "InvalidDefinition",
    "InvalidMove",
    "ReplayError",
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

    ``where`` names the cycle and stage at fault, ``problem`` says what is wrong. A
    declaration with several problems reports them all: ``problems`` lists every
    ``(where, problem)`` pair, the first of which is ``where`` and ``problem``.
    """

    def __init__(
        self, where: str, problem: str, *, problems: Sequence[tuple[str, str]] = ()
    ) -> None:
        self.where = where
        self.problem = problem
        self.problems: tuple[tuple[str, str], ...] = tuple(problems) or ((where, problem),)
        if len(self.problems) == 1:
            super().__init__(f"{where}: {problem}")
        else:
            listed = "\n".join(f"  {w}: {p}" for w, p in self.problems)
            super().__init__(f"{len(self.problems)} problems:\n{listed}")

    @classmethod
    def all(cls, problems: Sequence[tuple[str, str]]) -> InvalidDefinition:
        """One error listing every problem of a declaration (at least one)."""
        where, problem = problems[0]
        return cls(where, problem, problems=problems)


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
    """Stage changes do not follow the cycle.

    ``problems`` lists every ``(position, problem)`` found; ``index`` and ``problem``
    are the first of them.
    """

    def __init__(
        self, cycle: str, index: int, problem: str, *, problems: Sequence[tuple[int, str]] = ()
    ) -> None:
        self.cycle = cycle
        self.index = index
        self.problem = problem
        self.problems: tuple[tuple[int, str], ...] = tuple(problems) or ((index, problem),)
        listed = "; ".join(f"event #{i}: {p}" for i, p in self.problems)
        super().__init__(f"{cycle}: {listed}")
