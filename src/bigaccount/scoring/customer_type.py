"""Customer type (客户类型) from declared signals, and the selling mode that fits it.

The method (value = benefit − cost, 价值 = 利益 − 成本) sorts customers by what they
buy: the product's **intrinsic** value (transactional buyer 交易型客户), value beyond
the product (**extrinsic**: consultative 顾问型客户), or **strategic** value — using the
supplier to raise their own competitiveness (partner 合作伙伴型客户), which the method
reserves for a few large customers.

>>> from bigaccount.scoring.customer_type import CustomerSignals, classify_customer
>>> result = classify_customer(CustomerSignals(
...     intrinsic_value=0.3, extrinsic_value=0.8, strategic_value=0.4,
...     size=0.5, relationship=0.4))
>>> result.type.label.zh, result.selling_mode.label.en
('顾问型客户', 'consultative selling')
>>> round(result.confidence, 2)
0.5
"""

from __future__ import annotations

from typing import Any

from attrs import Attribute, field, frozen

from .._validate import (
    Rule,
    as_float,
    member,
    unit,
)
from ..errors import InvalidData
from ..labels import Label, LabelledEnum, label_members

__all__ = [
    "CustomerSignals",
    "CustomerType",
    "CustomerTypeResult",
    "SellingMode",
    "classify_customer",
]


class SellingMode(LabelledEnum):
    """The selling mode that serves a customer type."""

    TRANSACTIONAL = "transactional"
    CONSULTATIVE = "consultative"
    PARTNERSHIP = "partnership"

    @property
    def approach(self) -> Label:
        """What the mode does for the customer, in the source's words."""
        return _MODE_APPROACHES[self]


label_members(
    SellingMode,
    {
        SellingMode.TRANSACTIONAL: Label("交易型销售", "transactional selling"),
        SellingMode.CONSULTATIVE: Label("顾问型销售", "consultative selling"),
        SellingMode.PARTNERSHIP: Label("合作伙伴型销售", "partnership selling"),
    },
)

_MODE_APPROACHES = {
    SellingMode.TRANSACTIONAL: Label(
        "减少成本及采购努力", "cut the customer's cost and buying effort"
    ),
    SellingMode.CONSULTATIVE: Label(
        "通过销售工作创造新价值", "create new value through the selling work itself"
    ),
    SellingMode.PARTNERSHIP: Label(
        "为少数大型客户创造额外价值", "create extra value for a few large customers"
    ),
}


class CustomerType(LabelledEnum):
    """The three customer types of the method."""

    TRANSACTIONAL = "transactional"
    CONSULTATIVE = "consultative"
    PARTNER = "partner"

    @property
    def buys(self) -> Label:
        """What this customer buys, in the source's words."""
        return _TYPE_BUYS[self]

    @property
    def selling_mode(self) -> SellingMode:
        """The selling mode that matches the type."""
        return _TYPE_MODES[self]


label_members(
    CustomerType,
    {
        CustomerType.TRANSACTIONAL: Label("交易型客户", "transactional customer"),
        CustomerType.CONSULTATIVE: Label("顾问型客户", "consultative customer"),
        CustomerType.PARTNER: Label("合作伙伴型客户", "partner customer"),
    },
)

_TYPE_BUYS = {
    CustomerType.TRANSACTIONAL: Label(
        "只购买产品本身的价值（内在价值的购买者）",
        "buys only the product's own value (an intrinsic-value buyer)",
    ),
    CustomerType.CONSULTATIVE: Label(
        "购买超出产品本身的价值（外在价值购买者）",
        "buys value beyond the product itself (an extrinsic-value buyer)",
    ),
    CustomerType.PARTNER: Label(
        "利用供应商来提升自身竞争力（战略价值的购买者）",
        "uses the supplier to raise its own competitiveness (a strategic-value buyer)",
    ),
}

_TYPE_MODES = {
    CustomerType.TRANSACTIONAL: SellingMode.TRANSACTIONAL,
    CustomerType.CONSULTATIVE: SellingMode.CONSULTATIVE,
    CustomerType.PARTNER: SellingMode.PARTNERSHIP,
}


def _signal(_: Any, attribute: Attribute[float], value: float) -> None:
    unit(value, f"signals.{attribute.name}")


@frozen
class CustomerSignals:
    """What is observed of a customer, each signal in [0, 1] (0 none … 1 fully).

    Args:
        intrinsic_value: how much it buys on the product's own merits (price, specification).
        extrinsic_value: how much it values what comes beyond the product (advice,
            solution design, the seller's expertise).
        strategic_value: how much it uses suppliers to raise its own competitiveness.
        size: how large the account is among ours (1 = among our very largest).
        relationship: how deep the relationship is (0 none … 1 partners).
    """

    intrinsic_value: float = field(converter=as_float, validator=_signal)
    extrinsic_value: float = field(converter=as_float, validator=_signal)
    strategic_value: float = field(converter=as_float, validator=_signal)
    size: float = field(default=0.0, converter=as_float, validator=_signal)
    relationship: float = field(default=0.0, converter=as_float, validator=_signal)


def _type(value: object) -> CustomerType:
    return member(CustomerType, value, "type")


@frozen
class CustomerTypeResult:
    """The customer's type, how sure we are, and the evidence for each type.

    Attributes:
        type: the leading type.
        confidence: the lead of its evidence over the runner-up's, in [0, 1].
        transactional, consultative, partner: the evidence for each type, in [0, 1].
    """

    type: CustomerType = field(converter=_type)
    confidence: float = field(converter=as_float, validator=Rule(unit))
    transactional: float = field(converter=as_float, validator=Rule(unit))
    consultative: float = field(converter=as_float, validator=Rule(unit))
    partner: float = field(converter=as_float, validator=Rule(unit))

    @property
    def selling_mode(self) -> SellingMode:
        """The selling mode that matches the type."""
        return self.type.selling_mode

    def evidence(self, type: CustomerType) -> float:
        """The evidence for *type*."""
        return {
            CustomerType.TRANSACTIONAL: self.transactional,
            CustomerType.CONSULTATIVE: self.consultative,
            CustomerType.PARTNER: self.partner,
        }[member(CustomerType, type, "type")]


def classify_customer(signals: CustomerSignals) -> CustomerTypeResult:
    """Classify a customer as transactional, consultative or partner.

    Evidence for each type, each in [0, 1]:

    * transactional ``e_T = intrinsic_value``;
    * consultative ``e_C = extrinsic_value``;
    * partner ``e_P = strategic_value × (size + relationship) / 2`` — strategic value
      counts fully only for a large account with a deep relationship.

    The type is the one with the most evidence; ties go to the simpler type
    (transactional, then consultative), which costs less to serve. ``confidence =
    e₁ − e₂``, the lead of the best over the second best, in [0, 1]; with no evidence
    at all the customer is transactional with confidence 0.

    Raises:
        InvalidData: *signals* is not a :class:`CustomerSignals`.

    >>> from bigaccount.scoring.customer_type import CustomerSignals, classify_customer
    >>> classify_customer(CustomerSignals(0, 0, 0)).confidence
    0.0
    """
    if not isinstance(signals, CustomerSignals):
        raise InvalidData("signals", f"expected CustomerSignals, got {signals!r}")
    evidence = {
        CustomerType.TRANSACTIONAL: signals.intrinsic_value,
        CustomerType.CONSULTATIVE: signals.extrinsic_value,
        CustomerType.PARTNER: signals.strategic_value * (signals.size + signals.relationship) / 2,
    }
    order = {t: i for i, t in enumerate(CustomerType)}
    ranked = sorted(evidence, key=lambda t: (-evidence[t], order[t]))
    best, second = ranked[0], ranked[1]
    confidence = min(max(evidence[best] - evidence[second], 0.0), 1.0)
    return CustomerTypeResult(
        type=best,
        confidence=confidence,
        transactional=evidence[CustomerType.TRANSACTIONAL],
        consultative=evidence[CustomerType.CONSULTATIVE],
        partner=evidence[CustomerType.PARTNER],
    )
