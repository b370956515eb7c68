"""Evidence drawn from a cycle's own criteria: facts on both sides of every threshold.

A random fact rarely meets a gate: a budget drawn at random is never the 1 000 000 CNY
a criterion compares it with. These strategies read each criterion instead and draw
the values that matter for it:

* a yes/no criterion: its fact recorded ``True`` (holds) or ``False`` (does not);
* a comparison: its fact at the threshold, just above and just below it (one step of
  the value's own kind — 1 for an integer, a cent for money, a day for a date), and a
  little further away;
* a date within *N* days: dates from a few days before the moment to a few days
  after the window ends, so that moves made a little later fall on either side;
* any other criterion (relationship and competitor criteria, a user's own): the fact of
  its own id, ``True`` or ``False`` — what the library's relationship criteria read
  when no people are mapped (``people is None``) and its competitor criteria when no
  competitors are listed.

>>> import datetime as dt
>>> from bigaccount import Criterion, Money
>>> from bigaccount.testing.evidence import facts_read, holding_facts
>>> funded = Criterion.compare("funded", "预算达标", "budget met",
...                            fact="budget", op=">", value=Money("1000", "CNY"))
>>> facts_read(funded)
('budget',)
>>> holding_facts(funded, dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc))
{'budget': Money(amount=Decimal('1000.01'), currency='CNY')}
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from hypothesis import strategies as st

from ..context import Context
from ..evidence import FactValue, Snapshot
from ..gates import Criterion, _CompareTest, _WithinTest
from ..money import Money

__all__ = ["criteria_facts", "fact_values", "facts_read", "holding_facts"]

_STEPS = (0, 1, -1, 2, -2, 10, -10)
"""Steps away from a threshold, in units of the value's kind (see :func:`_near`)."""


def facts_read(criterion: Criterion) -> tuple[str, ...]:
    """The ids of the facts *criterion* reads, as far as the kit can tell.

    A comparison or a date criterion names its fact; any other criterion is taken to
    read the yes/no fact of its own id.
    """
    test = criterion.test
    if isinstance(test, (_CompareTest, _WithinTest)):
        return (test.key,)
    return (criterion.id,)


def _unit(value: FactValue) -> Any:
    """One step of *value*'s kind: 1, a cent, a day, an hour, or ``None`` (no steps)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, Decimal)):
        return 1
    if isinstance(value, float):
        return max(1.0, abs(value) * 1e-6)
    if isinstance(value, Money):
        return Decimal("0.01")
    if isinstance(value, dt.datetime):
        return dt.timedelta(hours=1)
    if isinstance(value, dt.date):
        return dt.timedelta(days=1)
    return None


def _near(threshold: FactValue, steps: Iterable[int]) -> list[FactValue]:
    """Values of *threshold*'s kind, *steps* units away from it (nothing out of range)."""
    if isinstance(threshold, bool):
        return [True, False]
    if isinstance(threshold, str):
        below = threshold[:-1] if threshold[:-1].strip() else None
        return [v for v in (threshold, threshold + "0", below, "~" + threshold) if v]
    unit = _unit(threshold)
    found: list[FactValue] = []
    for k in steps:
        try:
            if isinstance(threshold, Money):
                found.append(Money(threshold.amount + unit * k, threshold.currency))
            elif isinstance(threshold, float):
                found.append(threshold + unit * k)
            elif isinstance(threshold, int):
                found.append(threshold + k)
            else:
                found.append(threshold + unit * k)
        except (ArithmeticError, ValueError):  # beyond a date's or an amount's range
            continue
    return found


def _window(days: int, around: dt.datetime) -> list[FactValue]:
    today = around.date()
    found: list[FactValue] = []
    for k in (-3, -1, 0, 1, days // 2, days, days + 1, days + 3):
        try:
            found.append(today + dt.timedelta(days=k))
        except OverflowError:
            continue
    return found


def fact_values(
    criterion: Criterion, around: dt.datetime
) -> st.SearchStrategy[tuple[str, FactValue]]:
    """``(fact id, value)`` pairs for the fact *criterion* reads, on both sides of it.

    *around* is the moment the evidence will be judged near (date criteria measure from
    it). See the module docstring for the values drawn for each kind of criterion.
    """
    test = criterion.test
    if isinstance(test, _CompareTest):
        values = _near(test.threshold, _STEPS)
    elif isinstance(test, _WithinTest):
        values = _window(test.days, around)
        values += [
            dt.datetime(d.year, d.month, d.day, 12, tzinfo=around.tzinfo)
            for d in values[:3]
            if isinstance(d, dt.date)
        ]
    else:
        values = [True, False]
    (key,) = facts_read(criterion)
    return st.tuples(st.just(key), st.sampled_from(values))


def criteria_facts(
    criteria: Iterable[Criterion], around: dt.datetime
) -> st.SearchStrategy[tuple[str, FactValue]]:
    """``(fact id, value)`` pairs for any of *criteria* (see :func:`fact_values`).

    Raises:
        ValueError: *criteria* is empty (there is nothing to draw).
    """
    chosen = list(criteria)
    if not chosen:
        raise ValueError("no criteria to draw facts for")
    return st.one_of([fact_values(c, around) for c in chosen])


def _candidates(criterion: Criterion, at: dt.datetime) -> list[dict[str, FactValue]]:
    test = criterion.test
    if isinstance(test, _CompareTest):
        return [{test.key: v} for v in _near(test.threshold, (0, 1, -1))]
    if isinstance(test, _WithinTest):
        return [{test.key: v} for v in _window(test.days, at)]
    return [{criterion.id: True}]


def holding_facts(criterion: Criterion, at: dt.datetime) -> Mapping[str, FactValue] | None:
    """Facts under which *criterion* holds for a move made at *at*, or ``None``.

    Each candidate (see the module docstring) is checked by the criterion itself, on
    evidence holding that fact alone; ``None`` when none of them makes it hold (a
    criterion the kit cannot read, such as one of a user's own).
    """
    judged = Context(moment=at)
    for facts in _candidates(criterion, at):
        if criterion.test(Snapshot.of(facts), judged) is True:
            return facts
    return None
