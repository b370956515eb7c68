"""Evidence: what a stage gate may read — facts with values and provenance, and a few records.

The engine never sees a :class:`~bigaccount.deal.Deal`. Its criteria read an
:class:`Evidence`: a mapping of :class:`Fact` values by id, the account's segment, the
mapped buying organisation and the competitors. A deal is one provider of evidence; a
row of a table (:class:`Snapshot`) or a user's own object with the same four attributes
is another, without becoming a deal.

A fact holds a value — ``True`` for a plain yes/no fact, a number, :class:`~bigaccount.money.Money`,
a date or a text — and says when it was established, by whom and from what source.

>>> import datetime as dt
>>> from bigaccount import Money, Snapshot
>>> row = Snapshot.of({"visited": True, "budget": Money("1500000", "CNY")}, segment="sme")
>>> row.facts["budget"].value
Money(amount=Decimal('1500000'), currency='CNY')
>>> row.segment.value
'sme'
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from decimal import Decimal
from types import MappingProxyType
from typing import Any, Protocol, runtime_checkable

from attrs import field, frozen

from ._validate import member
from .errors import InvalidData
from .money import Money
from .segment import Segment

__all__ = ["Evidence", "Fact", "FactChange", "FactValue", "Snapshot", "check_fact_value"]

FactValue = bool | int | float | Decimal | Money | dt.date | dt.datetime | str
"""What a fact may hold: yes/no, a number, an amount, a date or time, or a text."""


def check_fact_value(value: object, field: str) -> FactValue:
    """*value* if a fact may hold it, else :class:`~bigaccount.errors.InvalidData`.

    Numbers must be finite, datetimes timezone-aware and texts non-blank.
    """
    if isinstance(value, (bool, Money)):
        return value
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise InvalidData(field, f"a fact's number must be finite, got {value!r}")
        return value
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise InvalidData(field, f"a fact's number must be finite, got {value!r}")
        return value
    if isinstance(value, dt.datetime):
        if value.utcoffset() is None:
            raise InvalidData(field, "a fact's datetime must be timezone-aware")
        return value
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        if not value.strip():
            raise InvalidData(field, "a fact's text must not be blank")
        return value
    raise InvalidData(
        field,
        f"a fact holds a bool, a number, Money, a date or a text, not {type(value).__name__}",
    )


def _fact_id(_: object, __: object, value: Any) -> None:
    if not isinstance(value, str) or not value.strip():
        raise InvalidData("fact", f"a fact id must be non-empty text, got {value!r}")


def _value(instance: Any, _: object, value: Any) -> None:
    check_fact_value(value, f"facts.{instance.id}")


def _aware_or_none(_: object, attribute: Any, value: Any) -> None:
    if value is not None and (not isinstance(value, dt.datetime) or value.utcoffset() is None):
        raise InvalidData(attribute.name, f"expected a timezone-aware datetime, got {value!r}")


def _text_or_none(_: object, attribute: Any, value: Any) -> None:
    if value is not None and (not isinstance(value, str) or not value.strip()):
        raise InvalidData(attribute.name, f"expected non-empty text or None, got {value!r}")


@frozen
class Fact:
    """One piece of evidence: its value and where it came from.

    Attributes:
        id: the fact's id, the one criteria name (``"budget_known"``, ``"budget"``).
        value: what it holds (see :data:`FactValue`); a yes/no fact holds ``True``.
        at: when it was established (timezone-aware), when known.
        by: who established it.
        source: where it came from (``"crm:salesforce"``, ``"visit report 2026-03-02"``).
    """

    id: str = field(validator=_fact_id)
    value: FactValue = field(validator=_value)
    at: dt.datetime | None = field(default=None, validator=_aware_or_none, kw_only=True)
    by: str | None = field(default=None, validator=_text_or_none, kw_only=True)
    source: str | None = field(default=None, validator=_text_or_none, kw_only=True)


def _aware(_: object, __: object, value: Any) -> None:
    if not isinstance(value, dt.datetime) or value.utcoffset() is None:
        raise InvalidData("at", f"a timezone-aware datetime is required, got {value!r}")


def _optional_value(instance: Any, _: object, value: Any) -> None:
    if value is not None:
        check_fact_value(value, f"facts.{instance.fact}")


@frozen
class FactChange:
    """Establishing or retracting a fact: an event of a deal's evidence, replayed like a move.

    Attributes:
        fact: the fact's id.
        value: the value established, or ``None`` when the fact was retracted.
        at: when (timezone-aware).
        actor: who recorded it.
        source: where it came from.
    """

    fact: str = field(validator=_fact_id)
    value: FactValue | None = field(validator=_optional_value)
    at: dt.datetime = field(validator=_aware)
    actor: str | None = field(default=None, validator=_text_or_none)
    source: str | None = field(default=None, validator=_text_or_none)

    @property
    def retracted(self) -> bool:
        """Whether this change retracted the fact."""
        return self.value is None

    def as_fact(self) -> Fact:
        """The fact this change established.

        Raises:
            InvalidData: the change is a retraction.
        """
        if self.value is None:
            raise InvalidData("value", f"fact {self.fact!r} was retracted, not established")
        return Fact(self.fact, self.value, at=self.at, by=self.actor, source=self.source)


@runtime_checkable
class Evidence(Protocol):
    """What a criterion may read. :class:`~bigaccount.deal.Deal` and :class:`Snapshot` provide it.

    ``facts`` maps fact ids to :class:`Fact` values. ``segment`` is the customer's
    segment (``None`` when unknown; a segment rule then refuses to decide). ``people``
    is the mapped buying organisation (a :class:`~bigaccount.people.BuyingCenter`) or
    ``None``; ``competitors`` the :class:`~bigaccount.plan.Competitor` values on the
    deal. The engine itself reads only ``facts`` and ``segment``.
    """

    @property
    def facts(self) -> Mapping[str, Fact]: ...

    @property
    def segment(self) -> Segment | None: ...

    @property
    def people(self) -> Any: ...

    @property
    def competitors(self) -> Sequence[Any]: ...


def _facts(value: object) -> Mapping[str, Fact]:
    if not isinstance(value, Mapping):
        raise InvalidData("facts", f"expected a mapping of fact ids to Fact, got {value!r}")
    for key, fact in value.items():
        if not isinstance(fact, Fact) or fact.id != key:
            raise InvalidData(f"facts.{key}", f"expected the Fact of id {key!r}, got {fact!r}")
    return MappingProxyType(dict(value))


def _segment(value: object) -> Segment | None:
    return None if value is None else member(Segment, value, "segment")


_PEOPLE_PARTS = ("stakeholders", "influences")
"""What a buying organisation has (a :class:`~bigaccount.people.BuyingCenter` has both)."""

_COMPETITOR_PARTS = ("basics_known", "moves_known")
"""What the competitor criteria read of a competitor (a :class:`~bigaccount.plan.Competitor`)."""


def _people(_: object, __: object, value: Any) -> None:
    if value is not None and not all(hasattr(value, part) for part in _PEOPLE_PARTS):
        raise InvalidData(
            "people", f"expected a buying organisation (a BuyingCenter) or None, got {value!r}"
        )


def _competitors(value: object) -> tuple[Any, ...]:
    if isinstance(value, (str, bytes)) or not isinstance(value, Sequence):
        raise InvalidData("competitors", f"expected a sequence of competitors, got {value!r}")
    items = tuple(value)
    for index, item in enumerate(items):
        if not all(hasattr(item, part) for part in _COMPETITOR_PARTS):
            raise InvalidData(
                f"competitors[{index}]", f"expected a competitor (a Competitor), got {item!r}"
            )
    return items


@frozen(eq=False)
class Snapshot:
    """Evidence as plain data: a row of a table, a test case, a what-if.

    Build one from plain values with :meth:`of`; evaluate a cycle's gates on it with
    :meth:`bigaccount.Cycle.evaluate`.

    ``people`` is ``None`` or a buying organisation: a value with ``stakeholders`` and
    ``influences``, as a :class:`~bigaccount.people.BuyingCenter` has. ``competitors``
    is a sequence of competitors, each with the ``basics_known`` and ``moves_known`` of
    a :class:`~bigaccount.plan.Competitor` (what the competitor criteria read); it is
    kept as a tuple.

    Raises:
        InvalidData: naming the field (``facts``, ``segment``, ``people``,
            ``competitors`` or the item at fault) of a value of the wrong kind.
    """

    facts: Mapping[str, Fact] = field(factory=dict, converter=_facts)
    segment: Segment | None = field(default=None, converter=_segment)
    people: Any = field(default=None, validator=_people)
    competitors: Sequence[Any] = field(default=(), converter=_competitors)

    @classmethod
    def of(
        cls,
        values: Mapping[str, FactValue | None],
        *,
        segment: Segment | str | None = None,
        people: Any = None,
        competitors: Sequence[Any] = (),
        source: str | None = None,
    ) -> Snapshot:
        """Evidence from a mapping of fact ids to values (``None``, unknown, is left out)."""
        if not isinstance(values, Mapping):
            raise InvalidData("values", f"expected a mapping, got {values!r}")
        facts = {
            key: Fact(key, value, source=source)
            for key, value in values.items()
            if value is not None
        }
        return cls(facts, segment, people, competitors)
