"""Purchase readiness: the four purchase factors, the selling forces, and what a strategy costs.

A customer buys when four factors hold (source 002): it **knows** the offer (了解), it
**needs** it and finds it **worth** the price (需要/值得), it **trusts** the seller
(相信), and — for the next purchase — it is **satisfied** (满意). Each factor has the
selling force that addresses it: introduce and promote (介绍和宣传), uncover and guide
needs (挖掘和引导需求), build mutual trust (建立互信), exceed expectations (超越期望).

A strategy also weighs its cost: expense, time and coverage — how many people, at
which levels (decision, management, operational) and in which functions (user,
technical, finance).

>>> from bigaccount.scoring.readiness import FactorRatings, assess_readiness
>>> result = assess_readiness([
...     FactorRatings(know=0.9, need_worth=0.7, trust=0.3, subject="cio", weight=2),
...     FactorRatings(know=0.6, need_worth=0.8, trust=0.6, subject="user-lead"),
... ])
>>> result.weakest.label.zh, result.force.label.en
('相信', 'build mutual trust')
>>> round(result.score, 2)
0.4
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

from attrs import Attribute, field, frozen

from .._validate import (
    Rule,
    as_float,
    clamp,
    instances,
    many_of,
    member,
    members,
    non_negative,
    optional_text,
    scores,
    text,
    to_tuple,
    total_of,
    unit,
    weight_shares,
    whole,
)
from ..errors import InvalidData
from ..labels import Label, LabelledEnum, label_members
from ..money import Money
from ..people import Function, Level

__all__ = [
    "FactorRatings",
    "PurchaseFactor",
    "Reach",
    "ReadinessResult",
    "SellingAction",
    "SellingForce",
    "StrategyCost",
    "SubjectReadiness",
    "assess_readiness",
    "strategy_cost",
]


class SellingForce(LabelledEnum):
    """The four forces of selling, one per purchase factor."""

    INTRODUCE = "introduce"
    UNCOVER_NEEDS = "uncover_needs"
    BUILD_TRUST = "build_trust"
    EXCEED_EXPECTATIONS = "exceed_expectations"

    @property
    def factor(self) -> PurchaseFactor:
        """The purchase factor the force addresses."""
        return next(f for f, force in _FORCE_OF.items() if force is self)


label_members(
    SellingForce,
    {
        SellingForce.INTRODUCE: Label("介绍和宣传", "introduce and promote"),
        SellingForce.UNCOVER_NEEDS: Label("挖掘和引导需求", "uncover and guide needs"),
        SellingForce.BUILD_TRUST: Label("建立互信", "build mutual trust"),
        SellingForce.EXCEED_EXPECTATIONS: Label("超越期望", "exceed expectations"),
    },
)


class PurchaseFactor(LabelledEnum):
    """The four factors of a purchase, in the order a customer meets them."""

    KNOW = "know"
    NEED_WORTH = "need_worth"
    TRUST = "trust"
    SATISFACTION = "satisfaction"

    @property
    def force(self) -> SellingForce:
        """The selling force that addresses the factor."""
        return _FORCE_OF[self]


label_members(
    PurchaseFactor,
    {
        PurchaseFactor.KNOW: Label("了解", "know"),
        PurchaseFactor.NEED_WORTH: Label("需要/值得", "need and worth"),
        PurchaseFactor.TRUST: Label("相信", "trust"),
        PurchaseFactor.SATISFACTION: Label("满意", "satisfaction"),
    },
)

_FORCE_OF = {
    PurchaseFactor.KNOW: SellingForce.INTRODUCE,
    PurchaseFactor.NEED_WORTH: SellingForce.UNCOVER_NEEDS,
    PurchaseFactor.TRUST: SellingForce.BUILD_TRUST,
    PurchaseFactor.SATISFACTION: SellingForce.EXCEED_EXPECTATIONS,
}

# -- readiness -----------------------------------------------------------------------


def _who(instance: FactorRatings) -> str:
    return instance.subject if instance.subject is not None else "account"


def _rating(instance: FactorRatings, attribute: Attribute[float], value: object) -> None:
    name = f"ratings[{_who(instance)!r}].{attribute.name}"
    if attribute.name == "weight":
        non_negative(value, name)
    else:
        unit(value, name)


def _optional_rating(
    instance: FactorRatings, attribute: Attribute[float | None], value: object
) -> None:
    if value is not None:
        unit(value, f"ratings[{_who(instance)!r}].{attribute.name}")


def _subject(_: Any, __: Attribute[str | None], value: object) -> None:
    optional_text(value, "ratings.subject")


@frozen
class FactorRatings:
    """How far each purchase factor holds for one stakeholder (or the whole account).

    Ratings are in [0, 1]: 0 not at all … 1 fully.

    Args:
        know: the customer knows our offer, company and service.
        need_worth: it needs the offer and finds it worth the price.
        trust: it believes us and our claims.
        satisfaction: it is satisfied with what it bought; ``None`` before a first purchase.
        subject: the stakeholder rated (``None`` for the account as a whole).
        weight: the subject's importance when the account is scored (e.g. 3 for the
            decision level), ``>= 0``.
    """

    know: float = field(converter=as_float, validator=_rating)
    need_worth: float = field(converter=as_float, validator=_rating)
    trust: float = field(converter=as_float, validator=_rating)
    satisfaction: float | None = field(default=None, converter=as_float, validator=_optional_rating)
    subject: str | None = field(default=None, validator=_subject)
    weight: float = field(default=1.0, converter=as_float, validator=_rating)

    def rating(self, factor: PurchaseFactor) -> float | None:
        """The rating of *factor* (``None`` for satisfaction before a first purchase)."""
        return {
            PurchaseFactor.KNOW: self.know,
            PurchaseFactor.NEED_WORTH: self.need_worth,
            PurchaseFactor.TRUST: self.trust,
            PurchaseFactor.SATISFACTION: self.satisfaction,
        }[member(PurchaseFactor, factor, "factor")]


def _weakest_factor(value: object) -> PurchaseFactor:
    return member(PurchaseFactor, value, "weakest")


def _applied(value: object) -> SellingForce:
    return member(SellingForce, value, "force")


@frozen
class SubjectReadiness:
    """One subject's readiness: its weakest factor and the force that addresses it."""

    subject: str | None = field(validator=Rule(optional_text))
    score: float = field(converter=as_float, validator=Rule(unit))
    weakest: PurchaseFactor = field(converter=_weakest_factor)
    force: SellingForce = field(converter=_applied)


def _factor_scores(value: object) -> tuple[tuple[PurchaseFactor, float], ...]:
    found = scores(PurchaseFactor, value, "factors", every=False)
    if not found:
        raise InvalidData("factors", "no factor is rated")
    return found


@frozen
class ReadinessResult:
    """Readiness of the account.

    Attributes:
        factors: each rated factor with its weighted mean over the subjects, in [0, 1].
        score: the weakest factor's rating, in [0, 1] (a purchase needs every factor).
        mean: the mean of the factors' ratings, in [0, 1].
        weakest: the factor with the lowest rating.
        force: the selling force that addresses it.
        by_subject: the same view per subject, lowest score first.
    """

    factors: tuple[tuple[PurchaseFactor, float], ...] = field(converter=_factor_scores)
    score: float = field(converter=as_float, validator=Rule(unit))
    mean: float = field(converter=as_float, validator=Rule(unit))
    weakest: PurchaseFactor = field(converter=_weakest_factor)
    force: SellingForce = field(converter=_applied)
    by_subject: tuple[SubjectReadiness, ...] = field(
        converter=to_tuple, validator=Rule(many_of(SubjectReadiness))
    )

    def factor(self, factor: PurchaseFactor) -> float | None:
        """The account's rating of *factor* (``None`` when nobody rated it)."""
        return dict(self.factors).get(member(PurchaseFactor, factor, "factor"))


def _weakest(ratings: dict[PurchaseFactor, float]) -> PurchaseFactor:
    order = {f: i for i, f in enumerate(PurchaseFactor)}
    return min(ratings, key=lambda f: (ratings[f], order[f]))


def assess_readiness(ratings: FactorRatings | Iterable[FactorRatings]) -> ReadinessResult:
    """Score purchase readiness and name the weakest factor and the force to apply.

    With ``r_{s,f}`` subject *s*'s rating of factor *f* (in [0, 1]) and ``w_s`` its weight:

    * account rating ``R_f = Σ_s w_s·r_{s,f} / Σ_s w_s`` over the subjects that rate *f*
      (satisfaction is left out until someone rates it);
    * ``score = min_f R_f`` and ``mean = (1/n) Σ_f R_f``, both in [0, 1];
    * weakest factor ``argmin_f R_f`` (ties go to the earlier factor: know, need and
      worth, trust, satisfaction); its force is the one to apply.

    A higher rating never lowers ``score`` or ``mean``; the order of the subjects does
    not change the result. Weights are relative: multiplying them all by the same
    factor changes nothing, however large they are.

    Raises:
        InvalidData: *ratings* is not a :class:`FactorRatings` or a sequence of them,
            none were given, or all their weights are 0.

    >>> from bigaccount.scoring.readiness import FactorRatings, assess_readiness
    >>> assess_readiness(FactorRatings(0.2, 0.9, 0.9, 0.9)).force.label.zh
    '介绍和宣传'
    """
    if isinstance(ratings, FactorRatings):
        items: tuple[FactorRatings, ...] = (ratings,)
    else:
        items = instances(ratings, FactorRatings, "ratings")
    if not items:
        raise InvalidData("ratings", "no ratings given")
    if weight_shares([i.weight for i in items]) is None:
        raise InvalidData("ratings", "every weight is 0; give at least one subject weight")

    account: dict[PurchaseFactor, float] = {}
    for factor in PurchaseFactor:
        rated = [(i.weight, r) for i in items if (r := i.rating(factor)) is not None]
        shares = weight_shares([w for w, _ in rated])
        if shares is not None:
            value = math.fsum(s * r for s, (_, r) in zip(shares, rated, strict=True))
            account[factor] = clamp(value, 0.0, 1.0)

    by_subject = []
    for item in items:
        own = {f: r for f in PurchaseFactor if (r := item.rating(f)) is not None}
        weakest = _weakest(own)
        by_subject.append(SubjectReadiness(item.subject, own[weakest], weakest, weakest.force))
    order = {f: i for i, f in enumerate(PurchaseFactor)}
    by_subject.sort(key=lambda s: (s.score, s.subject is None, s.subject or "", order[s.weakest]))

    weakest = _weakest(account)
    return ReadinessResult(
        factors=tuple(account.items()),
        score=account[weakest],
        mean=clamp(math.fsum(account.values()) / len(account), 0.0, 1.0),
        weakest=weakest,
        force=weakest.force,
        by_subject=tuple(by_subject),
    )


# -- the cost of a strategy ------------------------------------------------------------

SOURCE_FUNCTIONS = (Function.USER, Function.TECHNICAL, Function.FINANCE)
"""The three functions a strategy must cover (source 002): user, technical, finance."""


def _reach_person(value: object) -> str:
    return text(value, "reach.person")


def _reach_level(value: object) -> Level:
    return member(Level, value, "reach.level")


def _reach_function(value: object) -> Function:
    return member(Function, value, "reach.function")


@frozen
class Reach:
    """A person an action reaches, with their level and function.

    Args:
        person: who (an id or a name), non-empty text.
        level: their level (a :class:`~bigaccount.people.Level` or its value).
        function: their function (a :class:`~bigaccount.people.Function` or its value).
    """

    person: str = field(converter=_reach_person)
    level: Level = field(converter=_reach_level)
    function: Function = field(converter=_reach_function)


def _action_name(value: object) -> str:
    return text(value, "action.name")


def _action_force(value: object) -> SellingForce:
    return member(SellingForce, value, "action.force")


def _expense(instance: SellingAction, _: Attribute[Money], value: object) -> None:
    if not isinstance(value, Money):
        raise InvalidData(
            f"actions[{instance.name!r}].expense",
            f"expected Money (an amount with its currency), got {value!r}",
        )
    if value.amount < 0:
        raise InvalidData(f"actions[{instance.name!r}].expense", f"{value} is negative")


def _hours(instance: SellingAction, _: Attribute[float], value: object) -> None:
    non_negative(value, f"actions[{instance.name!r}].hours")


def _reaches(value: object) -> tuple[Reach, ...]:
    return instances(value, Reach, "action.reaches")


@frozen
class SellingAction:
    """One action of a selling strategy: the force it applies, its cost and whom it reaches.

    Args:
        name: what the action is (a visit, a seminar, a site visit, …).
        force: the selling force it applies (a :class:`SellingForce` or its value).
        expense: what it costs, as :class:`~bigaccount.money.Money` ``>= 0`` (a bare
            number has no currency and is refused).
        hours: the time it takes, ``>= 0``.
        reaches: the people it reaches.

    Raises:
        InvalidData: an empty name, an unknown force, an expense that is not Money or
            is negative, negative or non-finite hours, or reaches that are not
            :class:`Reach` values.
    """

    name: str = field(converter=_action_name)
    force: SellingForce = field(converter=_action_force)
    expense: Money = field(validator=_expense)
    hours: float = field(converter=as_float, validator=_hours)
    reaches: tuple[Reach, ...] = field(default=(), converter=_reaches)


def _levels(value: object) -> tuple[Level, ...]:
    return members(Level, value, "levels")


def _functions(value: object) -> tuple[Function, ...]:
    return members(Function, value, "functions")


def _missing_levels(value: object) -> tuple[Level, ...]:
    return members(Level, value, "missing_levels")


def _missing_functions(value: object) -> tuple[Function, ...]:
    return members(Function, value, "missing_functions")


def _forces(value: object) -> tuple[SellingForce, ...]:
    return members(SellingForce, value, "forces")


def _missing_forces(value: object) -> tuple[SellingForce, ...]:
    return members(SellingForce, value, "missing_forces")


def _spent(value: object, field: str) -> Money:
    if not isinstance(value, Money) or value.amount < 0:
        raise InvalidData(field, f"expected Money >= 0, got {value!r}")
    return value


@frozen
class StrategyCost:
    """What a strategy costs and how far it reaches.

    Attributes:
        expense: the total expense.
        hours: the total time.
        people: how many distinct people it reaches.
        levels, functions: the levels and functions reached.
        missing_levels: the levels not reached (a strategy that never reaches the
            decision level rarely wins the order).
        missing_functions: the source's functions (user, technical, finance) not reached.
        forces: the selling forces applied; ``missing_forces`` those not applied.
        coverage: ``(levels reached / 3 + source functions reached / 3) / 2``, in [0, 1].
    """

    expense: Money = field(validator=Rule(_spent))
    hours: float = field(converter=as_float, validator=Rule(non_negative))
    people: int = field(validator=Rule(whole))
    levels: tuple[Level, ...] = field(converter=_levels)
    functions: tuple[Function, ...] = field(converter=_functions)
    missing_levels: tuple[Level, ...] = field(converter=_missing_levels)
    missing_functions: tuple[Function, ...] = field(converter=_missing_functions)
    forces: tuple[SellingForce, ...] = field(converter=_forces)
    missing_forces: tuple[SellingForce, ...] = field(converter=_missing_forces)
    coverage: float = field(converter=as_float, validator=Rule(unit))


def strategy_cost(actions: Iterable[SellingAction], currency: str | None = None) -> StrategyCost:
    """Total a strategy's expense and time, and measure its coverage.

    * ``expense = Σ expense``, ``hours = Σ hours``;
    * ``people`` = distinct persons reached;
    * ``coverage = (|levels reached| / 3 + |{user, technical, finance} reached| / 3) / 2``,
      in [0, 1]; adding an action never lowers it.

    Args:
        actions: the strategy's actions (all expenses in one currency).
        currency: the currency of an empty strategy's zero expense; when given with
            actions, the currency their expenses must be in.

    Raises:
        InvalidData: *actions* is not a sequence of :class:`SellingAction`, no actions
            and no currency, a currency other than the expenses', or hours too large to
            add up.
        CurrencyMismatch: the expenses are in different currencies.

    >>> from bigaccount import Money
    >>> from bigaccount.scoring.readiness import Reach, SellingAction, strategy_cost
    >>> visit = SellingAction("visit the CIO", "build_trust", Money(800, "CNY"), 3,
    ...                       [Reach("cio", "management", "technical")])
    >>> cost = strategy_cost([visit])
    >>> cost.people, round(cost.coverage, 3), [lv.value for lv in cost.missing_levels]
    (1, 0.333, ['decision', 'operational'])
    """
    items = instances(actions, SellingAction, "actions")
    if not items and currency is None:
        raise InvalidData("currency", "an empty strategy needs a currency for its zero expense")
    expense = Money.zero(currency if currency is not None else items[0].expense.currency)
    if items and expense.currency != items[0].expense.currency:
        raise InvalidData(
            "currency",
            f"{expense.currency} was given, but the expenses are in {items[0].expense.currency}",
        )
    for item in items:
        expense = expense + item.expense
    hours = total_of(i.hours for i in items)
    if not math.isfinite(hours):
        raise InvalidData("actions", "the hours add up to more than a number can hold")
    reaches = [r for item in items for r in item.reaches]
    levels = tuple(lv for lv in Level if any(r.level is lv for r in reaches))
    functions = tuple(fn for fn in Function if any(r.function is fn for r in reaches))
    forces = tuple(fc for fc in SellingForce if any(i.force is fc for i in items))
    named_reached = [fn for fn in SOURCE_FUNCTIONS if fn in functions]
    return StrategyCost(
        expense=expense,
        hours=hours,
        people=len({r.person for r in reaches}),
        levels=levels,
        functions=functions,
        missing_levels=tuple(lv for lv in Level if lv not in levels),
        missing_functions=tuple(fn for fn in SOURCE_FUNCTIONS if fn not in functions),
        forces=forces,
        missing_forces=tuple(fc for fc in SellingForce if fc not in forces),
        coverage=(len(levels) / len(Level) + len(named_reached) / len(SOURCE_FUNCTIONS)) / 2,
    )
