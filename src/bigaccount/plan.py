"""The account plan (大客户规划) as a model, competitors as values, and how complete a plan is.

The template (source 003) has five parts: the **account profile** (客户档案: financials,
organisation chart, history and the profile fields), the **key account strategies**
(客户策略: the customer's and ours, and the coverage plan — people, opportunities,
actions), the **customer value proposition and business roadmap** (价值定位及路径),
**how we will win** against the competition (竞争 · 何以胜出), and the **key actions and
support requirements** (关键行动 / 资源需求).

Every value is checked when built (:class:`~bigaccount.errors.InvalidData` names the
field): text is non-empty, optional text is ``None`` or non-empty; a field holding
several texts takes a sequence of non-empty texts — or one text, kept as a one-item
tuple (``how_we_win="reference site"`` is ``("reference site",)``); a field holding
several values (competitors, installed base, moves, …) takes a sequence of values of
its type, never a text or a lone value. So an empty or mistyped entry never counts as
filled in :func:`plan_completeness`.

Competitors are values (:class:`Competitor`) that a deal can list too
(``Deal.competitors``); the criteria :data:`COMPETITORS_PRESENT`,
:data:`COMPETITORS_BASICS` (P1) and :data:`COMPETITOR_MOVES` (P2) read them.

>>> from bigaccount.plan import AccountPlan, AccountProfile, Competitor
>>> plan = AccountPlan(
...     "Acme Steel",
...     profile=AccountProfile(industry="steel", ceo_goals=("cut energy cost 10%",)),
...     competitors=(Competitor("Rival Co", strengths=("incumbent",)),),
...     how_we_win=("reference site at a sister plant",),
... )
>>> done = plan.completeness()
>>> round(done.score, 2)
0.16
>>> [s.label.en for s in done.empty][:3]
['financials', 'organisation chart', 'history']
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

from attrs import Attribute, field, fields, frozen

from ._validate import (
    Rule,
    as_float,
    instances,
    member,
    members,
    optional_text,
    optional_whole,
    scores,
    signed_whole,
    text,
    texts,
    unit,
)
from .context import Context
from .criteria import register_criterion
from .errors import InvalidData
from .evidence import Evidence
from .gates import Criterion
from .labels import Label, LabelledEnum, label_members
from .money import Money

__all__ = [
    "COMPETITORS_BASICS",
    "COMPETITORS_PRESENT",
    "COMPETITOR_MOVES",
    "PROFILE_FIELDS",
    "AccountPlan",
    "AccountProfile",
    "AccountStrategies",
    "Competitor",
    "CompetitorMove",
    "CoverageItem",
    "FinancialYear",
    "HistoryEvent",
    "InstalledBase",
    "KeyAction",
    "OrgPosition",
    "PlanCompleteness",
    "PlanSection",
    "RoadmapStep",
    "SupplierShare",
    "ValueProposition",
    "plan_completeness",
]


# -- small helpers -------------------------------------------------------------------
#
# Converters only turn a sequence into a tuple (and one text into a one-item tuple of
# texts); the validators, which know the field, refuse everything else.


def _text(name: str) -> Callable[[Any, Attribute[str], str], None]:
    def check(_: Any, __: Attribute[str], value: object) -> None:
        text(value, name)

    return check


def _optional_text(name: str) -> Callable[[Any, Attribute[str | None], str | None], None]:
    def check(_: Any, __: Attribute[str | None], value: object) -> None:
        optional_text(value, name)

    return check


def _text_seq(value: Any) -> Any:
    """One text as a one-item tuple, a sequence as a tuple; anything else as given."""
    if isinstance(value, str):
        return (value,)
    return _value_seq(value)


def _value_seq(value: Any) -> Any:
    """A sequence (not a text or a mapping) as a tuple; anything else as given."""
    if isinstance(value, (str, bytes, dict)) or not isinstance(value, Iterable):
        return value
    return tuple(value)


def _texts(name: str) -> Callable[[Any, Attribute[tuple[str, ...]], tuple[str, ...]], None]:
    def check(_: Any, __: Attribute[tuple[str, ...]], value: object) -> None:
        texts(value, name)

    return check


def _many(kind: type, name: str) -> Callable[[Any, Attribute[tuple[Any, ...]], Any], None]:
    def check(_: Any, __: Attribute[tuple[Any, ...]], value: object) -> None:
        instances(value, kind, name)

    return check


def _share(name: str) -> Callable[[Any, Attribute[float | None], float | None], None]:
    def check(_: Any, __: Attribute[float | None], value: object) -> None:
        if value is not None:
            unit(value, name)

    return check


def _quantity(value: object) -> int | None:
    return optional_whole(value, "installed_base.quantity")


def _money(
    name: str, *, negative: bool = False
) -> Callable[[Any, Attribute[Money | None], Money | None], None]:
    """``None`` or Money; below zero only where *negative* (a profit may be a loss)."""

    def check(_: Any, __: Attribute[Money | None], value: Money | None) -> None:
        if value is not None and not isinstance(value, Money):
            raise InvalidData(name, f"expected Money, got {value!r}")
        if value is not None and not negative and value.amount < 0:
            raise InvalidData(name, f"{value} is negative")

    return check


def _year(value: object) -> int:
    year = signed_whole(value, "financials.year")
    if not 1 <= year <= 9999:
        raise InvalidData("financials.year", f"expected a year from 1 to 9999, got {value!r}")
    return year


def _date(name: str) -> Callable[[Any, Attribute[dt.date | None], dt.date | None], None]:
    def check(_: Any, __: Attribute[dt.date | None], value: dt.date | None) -> None:
        if value is not None and (not isinstance(value, dt.date) or isinstance(value, dt.datetime)):
            raise InvalidData(name, f"expected a date, got {value!r}")

    return check


def _part(kind: type, name: str) -> Callable[[Any, Attribute[Any], Any], None]:
    def check(_: Any, __: Attribute[Any], value: object) -> None:
        if not isinstance(value, kind):
            raise InvalidData(name, f"expected {kind.__name__}, got {value!r}")

    return check


# -- competitors ---------------------------------------------------------------------


@frozen
class InstalledBase:
    """Installed equipment at the customer (硬件、软件、PC、方案 and quantity / amount).

    The quantity is a whole number ``>= 0`` and the amount Money ``>= 0``, when known.
    """

    item: str = field(validator=_text("installed_base.item"))
    quantity: int | None = field(default=None, converter=_quantity)
    amount: Money | None = field(default=None, validator=_money("installed_base.amount"))


@frozen
class CompetitorMove:
    """A move of a competitor at the account, and when it was seen."""

    what: str = field(validator=_text("competitor_move.what"))
    on: dt.date | None = field(default=None, validator=_date("competitor_move.on"))


@frozen
class Competitor:
    """A competitor at an account or on a deal.

    Args:
        name: the competitor.
        strengths, weaknesses: what we know of them, at this customer.
        installed_base: their installed base at the customer.
        latest_moves: their latest moves (dated where known).
        satisfaction: the customer's satisfaction with them, in [0, 1], when known.
        share: their share of the customer's spend in our category, in [0, 1].
    """

    name: str = field(validator=_text("competitor.name"))
    strengths: tuple[str, ...] = field(
        default=(), converter=_text_seq, validator=_texts("competitor.strengths")
    )
    weaknesses: tuple[str, ...] = field(
        default=(), converter=_text_seq, validator=_texts("competitor.weaknesses")
    )
    installed_base: tuple[InstalledBase, ...] = field(
        default=(),
        converter=_value_seq,
        validator=_many(InstalledBase, "competitor.installed_base"),
    )
    latest_moves: tuple[CompetitorMove, ...] = field(
        default=(), converter=_value_seq, validator=_many(CompetitorMove, "competitor.latest_moves")
    )
    satisfaction: float | None = field(
        default=None, converter=as_float, validator=_share("competitor.satisfaction")
    )
    share: float | None = field(
        default=None, converter=as_float, validator=_share("competitor.share")
    )

    @property
    def basics_known(self) -> bool:
        """Whether basic information is recorded: a strength, a weakness or an installed base."""
        return bool(self.strengths or self.weaknesses or self.installed_base)

    @property
    def moves_known(self) -> bool:
        """Whether at least one concrete move is recorded."""
        return bool(self.latest_moves)


# -- criteria that read competitors ---------------------------------------------------


@frozen(repr=False)
class _CompetitorTest:
    """Reads ``deal.competitors``; falls back to the plain fact *key* when none are listed."""

    key: str
    rule: str  # "present", "basics" or "moves"

    def __call__(self, evidence: Evidence, context: Context) -> bool:
        competitors = evidence.competitors
        if not competitors:
            fact = evidence.facts.get(self.key)
            return fact is not None and fact.value is True
        if self.rule == "basics":
            return all(c.basics_known for c in competitors)
        if self.rule == "moves":
            return all(c.moves_known for c in competitors)
        return True

    def __repr__(self) -> str:
        return f"competitors({self.rule!r}, else fact {self.key!r})"


def _competitor_criterion(key: str, zh: str, en: str, rule: str) -> Criterion:
    return register_criterion(Criterion(key, Label(zh, en), _CompetitorTest(key, rule)))


COMPETITORS_PRESENT = _competitor_criterion(
    "competitors_present", "有竞争对手", "competitors present", "present"
)
"""The deal lists at least one competitor (with none listed, the plain fact decides)."""

COMPETITORS_BASICS = _competitor_criterion(
    "p1_competitor_info", "已知对手基本资讯", "competitors' basic information known", "basics"
)
"""P1: every listed competitor's basics (a strength, a weakness or an installed base) known."""

COMPETITOR_MOVES = _competitor_criterion(
    "p2_competitor_moves", "掌握竞争对手具体动向", "competitors' concrete moves known", "moves"
)
"""P2: every listed competitor's concrete moves known (with none listed, the plain fact)."""


# -- the account profile -------------------------------------------------------------


@frozen
class FinancialYear:
    """One year of the customer's financials: sales, profit and market share.

    ``year`` is a calendar year (1 to 9999); sales are never negative, a profit may be
    (a loss); the market share is in [0, 1].
    """

    year: int = field(converter=_year)
    sales: Money | None = field(default=None, validator=_money("financials.sales"))
    profit: Money | None = field(default=None, validator=_money("financials.profit", negative=True))
    market_share: float | None = field(
        default=None, converter=as_float, validator=_share("financials.market_share")
    )


@frozen
class OrgPosition:
    """A box of the organisation chart: a position, who holds it, the position above it."""

    position: str = field(validator=_text("organisation_chart.position"))
    person: str | None = field(default=None, validator=_optional_text("organisation_chart.person"))
    reports_to: str | None = field(
        default=None, validator=_optional_text("organisation_chart.reports_to")
    )


@frozen
class HistoryEvent:
    """An event in our history with the account."""

    what: str = field(validator=_text("history.what"))
    on: dt.date | None = field(default=None, validator=_date("history.on"))


@frozen
class SupplierShare:
    """A main supplier of the customer and its share of the customer's spend."""

    supplier: str = field(validator=_text("suppliers.supplier"))
    share: float | None = field(
        default=None, converter=as_float, validator=_share("suppliers.share")
    )


@frozen
class AccountProfile:
    """The account profile (客户档案): financials, organisation chart, history and the fields.

    Every field is optional; :func:`plan_completeness` names those left empty.
    """

    industry: str | None = field(default=None, validator=_optional_text("profile.industry"))
    ceo_goals: tuple[str, ...] = field(
        default=(), converter=_text_seq, validator=_texts("profile.ceo_goals")
    )
    customers_and_needs: tuple[str, ...] = field(
        default=(), converter=_text_seq, validator=_texts("profile.customers_and_needs")
    )
    competitors_and_threats: tuple[str, ...] = field(
        default=(), converter=_text_seq, validator=_texts("profile.competitors_and_threats")
    )
    financials: tuple[FinancialYear, ...] = field(
        default=(), converter=_value_seq, validator=_many(FinancialYear, "profile.financials")
    )
    financial_documents: tuple[str, ...] = field(
        default=(), converter=_text_seq, validator=_texts("profile.financial_documents")
    )
    organisation_chart: tuple[OrgPosition, ...] = field(
        default=(), converter=_value_seq, validator=_many(OrgPosition, "profile.organisation_chart")
    )
    history: tuple[HistoryEvent, ...] = field(
        default=(), converter=_value_seq, validator=_many(HistoryEvent, "profile.history")
    )
    decision_system: str | None = field(
        default=None, validator=_optional_text("profile.decision_system")
    )
    decision_makers: tuple[str, ...] = field(
        default=(), converter=_text_seq, validator=_texts("profile.decision_makers")
    )
    advisers_and_influencers: tuple[str, ...] = field(
        default=(), converter=_text_seq, validator=_texts("profile.advisers_and_influencers")
    )
    informal_organisation: str | None = field(
        default=None, validator=_optional_text("profile.informal_organisation")
    )
    it_budget: Money | None = field(default=None, validator=_money("profile.it_budget"))
    purchase_history: tuple[str, ...] = field(
        default=(), converter=_text_seq, validator=_texts("profile.purchase_history")
    )
    suppliers: tuple[SupplierShare, ...] = field(
        default=(), converter=_value_seq, validator=_many(SupplierShare, "profile.suppliers")
    )
    our_share: float | None = field(
        default=None, converter=as_float, validator=_share("profile.our_share")
    )
    our_installed_base: tuple[InstalledBase, ...] = field(
        default=(),
        converter=_value_seq,
        validator=_many(InstalledBase, "profile.our_installed_base"),
    )
    it_strategy: str | None = field(default=None, validator=_optional_text("profile.it_strategy"))
    supplier_strategy: str | None = field(
        default=None, validator=_optional_text("profile.supplier_strategy")
    )
    our_advantages: tuple[str, ...] = field(
        default=(), converter=_text_seq, validator=_texts("profile.our_advantages")
    )
    satisfaction_with_us: float | None = field(
        default=None, converter=as_float, validator=_share("profile.satisfaction_with_us")
    )
    annual_budget: Money | None = field(default=None, validator=_money("profile.annual_budget"))
    budget_process: str | None = field(
        default=None, validator=_optional_text("profile.budget_process")
    )
    budget_influence_points: tuple[str, ...] = field(
        default=(), converter=_text_seq, validator=_texts("profile.budget_influence_points")
    )


PROFILE_FIELDS: dict[str, Label] = {
    "industry": Label("客户所处行业", "industry"),
    "ceo_goals": Label("客户CEO的首要目标和挑战", "the CEO's first goals and challenges"),
    "customers_and_needs": Label("客户的客户及其需求", "the customer's customers and their needs"),
    "competitors_and_threats": Label(
        "客户的竞争对手及威胁", "the customer's competitors and threats"
    ),
    "financials": Label("销售、盈利、市场份额", "sales, profit, market share"),
    "financial_documents": Label(
        "财务报表、资产负债表、年报等", "financial statements, balance sheet, annual reports"
    ),
    "organisation_chart": Label("正式的组织结构", "formal organisation"),
    "history": Label("历史", "history"),
    "decision_system": Label("决策体系", "decision system"),
    "decision_makers": Label("决策人", "decision-makers"),
    "advisers_and_influencers": Label("重要建议者、影响决策者", "key advisers and influencers"),
    "informal_organisation": Label(
        "非正式的政治及内部权力圈", "informal politics and inner circles of power"
    ),
    "it_budget": Label("客户IT预算", "IT budget"),
    "purchase_history": Label("采购档案", "buying history"),
    "suppliers": Label("主要IT供应商", "main IT suppliers"),
    "our_share": Label("我们的份额", "our share"),
    "our_installed_base": Label("我们的安装基础", "our installed base"),
    "it_strategy": Label("客户的IT策略", "the customer's IT strategy"),
    "supplier_strategy": Label("供应商策略", "supplier strategy"),
    "our_advantages": Label("我们的优势（针对这个客户）", "our advantages with this customer"),
    "satisfaction_with_us": Label("客户对我们的满意度", "satisfaction with us"),
    "annual_budget": Label("客户的年度预算", "annual budget"),
    "budget_process": Label("客户的预算过程", "budget process"),
    "budget_influence_points": Label(
        "预算过程中可以影响的环节", "where the budget process can be influenced"
    ),
}
"""Every field of :class:`AccountProfile` with its bilingual name (source 003's words)."""


# -- strategies, value proposition, actions ------------------------------------------


@frozen
class CoverageItem:
    """One line of the coverage plan: a person, the opportunity, our actions, our owner."""

    person: str = field(validator=_text("coverage.person"))
    opportunity: str | None = field(default=None, validator=_optional_text("coverage.opportunity"))
    actions: tuple[str, ...] = field(
        default=(), converter=_text_seq, validator=_texts("coverage.actions")
    )
    owner: str | None = field(default=None, validator=_optional_text("coverage.owner"))


@frozen
class AccountStrategies:
    """Key account strategies: the customer's strategy, ours, and the coverage plan.

    Args:
        customer: the customer's strategy (business expansion, applications,
            price/performance …).
        ours: our strategy (products, solutions, price, service …).
        coverage: the coverage plan (people, opportunities, actions).
    """

    customer: tuple[str, ...] = field(
        default=(), converter=_text_seq, validator=_texts("strategies.customer")
    )
    ours: tuple[str, ...] = field(
        default=(), converter=_text_seq, validator=_texts("strategies.ours")
    )
    coverage: tuple[CoverageItem, ...] = field(
        default=(), converter=_value_seq, validator=_many(CoverageItem, "strategies.coverage")
    )


@frozen
class RoadmapStep:
    """A step of the business roadmap, with its target date."""

    step: str = field(validator=_text("roadmap.step"))
    by: dt.date | None = field(default=None, validator=_date("roadmap.by"))


@frozen
class ValueProposition:
    """From the customer's value to ours: what it wants, does not want, cannot get.

    Args:
        customer_wants: 客户想要.
        customer_does_not_want: 客户不想要.
        customer_cannot_get: 客户得不到 (where we can make the difference).
        our_value: our value proposition to this customer.
        roadmap: the business roadmap that delivers it.
    """

    customer_wants: tuple[str, ...] = field(
        default=(), converter=_text_seq, validator=_texts("value_proposition.customer_wants")
    )
    customer_does_not_want: tuple[str, ...] = field(
        default=(),
        converter=_text_seq,
        validator=_texts("value_proposition.customer_does_not_want"),
    )
    customer_cannot_get: tuple[str, ...] = field(
        default=(), converter=_text_seq, validator=_texts("value_proposition.customer_cannot_get")
    )
    our_value: tuple[str, ...] = field(
        default=(), converter=_text_seq, validator=_texts("value_proposition.our_value")
    )
    roadmap: tuple[RoadmapStep, ...] = field(
        default=(), converter=_value_seq, validator=_many(RoadmapStep, "value_proposition.roadmap")
    )


@frozen
class KeyAction:
    """A key action: what, who, by when, and the support it needs."""

    action: str = field(validator=_text("key_action.action"))
    owner: str | None = field(default=None, validator=_optional_text("key_action.owner"))
    due: dt.date | None = field(default=None, validator=_date("key_action.due"))
    support: tuple[str, ...] = field(
        default=(), converter=_text_seq, validator=_texts("key_action.support")
    )


@frozen
class AccountPlan:
    """An account plan following the template of source 003.

    Args:
        account: the account's name.
        period: the period the plan covers (e.g. ``"FY2025"``).
        profile: the account profile.
        strategies: the customer's and our strategies, and the coverage plan.
        value_proposition: the value proposition and business roadmap.
        competitors: the competitors at the account.
        how_we_win: how we will win.
        key_actions: the key actions.
        support_requirements: the support (resources) the plan needs.
    """

    account: str = field(validator=_text("plan.account"))
    period: str | None = field(default=None, validator=_optional_text("plan.period"))
    profile: AccountProfile = field(
        factory=AccountProfile, validator=_part(AccountProfile, "plan.profile")
    )
    strategies: AccountStrategies = field(
        factory=AccountStrategies, validator=_part(AccountStrategies, "plan.strategies")
    )
    value_proposition: ValueProposition = field(
        factory=ValueProposition, validator=_part(ValueProposition, "plan.value_proposition")
    )
    competitors: tuple[Competitor, ...] = field(
        default=(), converter=_value_seq, validator=_many(Competitor, "plan.competitors")
    )
    how_we_win: tuple[str, ...] = field(
        default=(), converter=_text_seq, validator=_texts("plan.how_we_win")
    )
    key_actions: tuple[KeyAction, ...] = field(
        default=(), converter=_value_seq, validator=_many(KeyAction, "plan.key_actions")
    )
    support_requirements: tuple[str, ...] = field(
        default=(), converter=_text_seq, validator=_texts("plan.support_requirements")
    )

    def completeness(self) -> PlanCompleteness:
        """How complete the plan is; see :func:`plan_completeness`."""
        return plan_completeness(self)


# -- completeness --------------------------------------------------------------------


class PlanSection(LabelledEnum):
    """The sections of the account plan template, in the template's order."""

    FINANCIALS = "financials"
    ORGANISATION_CHART = "organisation_chart"
    HISTORY = "history"
    PROFILE = "profile"
    CUSTOMER_STRATEGY = "customer_strategy"
    OUR_STRATEGY = "our_strategy"
    COVERAGE_PLAN = "coverage_plan"
    VALUE_PROPOSITION = "value_proposition"
    ROADMAP = "roadmap"
    COMPETITION = "competition"
    HOW_WE_WIN = "how_we_win"
    KEY_ACTIONS = "key_actions"
    SUPPORT_REQUIREMENTS = "support_requirements"


label_members(
    PlanSection,
    {
        PlanSection.FINANCIALS: Label("财务状况", "financials"),
        PlanSection.ORGANISATION_CHART: Label("组织机构图", "organisation chart"),
        PlanSection.HISTORY: Label("历史", "history"),
        PlanSection.PROFILE: Label("客户档案", "account profile"),
        PlanSection.CUSTOMER_STRATEGY: Label("客户的业务策略", "the customer's strategy"),
        PlanSection.OUR_STRATEGY: Label("我们的策略", "our strategy"),
        PlanSection.COVERAGE_PLAN: Label("覆盖计划", "coverage plan"),
        PlanSection.VALUE_PROPOSITION: Label("价值定位", "customer value proposition"),
        PlanSection.ROADMAP: Label("路径", "business roadmap"),
        PlanSection.COMPETITION: Label("竞争", "competition"),
        PlanSection.HOW_WE_WIN: Label("何以胜出", "how will we win"),
        PlanSection.KEY_ACTIONS: Label("关键行动", "key actions"),
        PlanSection.SUPPORT_REQUIREMENTS: Label("资源需求", "support requirements"),
    },
)

_OWN_SECTIONS = {"financials", "financial_documents", "organisation_chart", "history"}
"""Profile fields scored as their own sections rather than in PROFILE."""


def _section_scores(value: object) -> tuple[tuple[PlanSection, float], ...]:
    return scores(PlanSection, value, "sections", every=True)


def _profile_fields(value: object) -> tuple[str, ...]:
    if isinstance(value, str):
        raise InvalidData("missing_profile_fields", f"expected a sequence, got {value!r}")
    names = texts(value, "missing_profile_fields")
    unknown = [n for n in names if n not in PROFILE_FIELDS]
    if unknown:
        raise InvalidData("missing_profile_fields", f"not a profile field: {unknown[0]!r}")
    return names


def _empty_sections(value: object) -> tuple[PlanSection, ...]:
    return members(PlanSection, value, "empty")


@frozen
class PlanCompleteness:
    """How complete an account plan is.

    Attributes:
        score: the mean of the section scores, in [0, 1].
        sections: each section with its score in [0, 1], in the template's order.
        empty: the sections with nothing in them.
        missing_profile_fields: the profile fields left empty (keys of
            :data:`PROFILE_FIELDS`).
    """

    score: float = field(converter=as_float, validator=Rule(unit))
    sections: tuple[tuple[PlanSection, float], ...] = field(converter=_section_scores)
    empty: tuple[PlanSection, ...] = field(converter=_empty_sections)
    missing_profile_fields: tuple[str, ...] = field(converter=_profile_fields)

    def section(self, section: PlanSection | str) -> float:
        """The score of *section* (a :class:`PlanSection` or its value)."""
        return dict(self.sections)[member(PlanSection, section, "section")]


def _filled(value: object) -> bool:
    # the values were checked when built: text is never blank, tuples hold real entries
    return value is not None and value != ()


def plan_completeness(plan: AccountPlan) -> PlanCompleteness:
    """Score how complete *plan* is and name what is empty.

    Each of the 13 sections of :class:`PlanSection` scores 1 when it holds something
    and 0 when empty, except the profile section, which scores the share of its fields
    filled (the profile fields other than financials, organisation chart and history,
    which are sections of their own). ``score = (1/13) Σ section scores``, in [0, 1];
    filling a field never lowers it.

    >>> from bigaccount.plan import AccountPlan, plan_completeness
    >>> plan_completeness(AccountPlan("Acme")).score
    0.0
    """
    if not isinstance(plan, AccountPlan):
        raise InvalidData("plan", f"expected an AccountPlan, got {plan!r}")
    p = plan.profile
    profile_values = {a.name: getattr(p, a.name) for a in fields(AccountProfile)}
    missing = tuple(name for name, value in profile_values.items() if not _filled(value))
    own = [name for name in profile_values if name not in _OWN_SECTIONS]
    profile_score = sum(_filled(profile_values[name]) for name in own) / len(own)
    vp = plan.value_proposition
    scores = {
        PlanSection.FINANCIALS: float(_filled(p.financials) or _filled(p.financial_documents)),
        PlanSection.ORGANISATION_CHART: float(_filled(p.organisation_chart)),
        PlanSection.HISTORY: float(_filled(p.history)),
        PlanSection.PROFILE: profile_score,
        PlanSection.CUSTOMER_STRATEGY: float(_filled(plan.strategies.customer)),
        PlanSection.OUR_STRATEGY: float(_filled(plan.strategies.ours)),
        PlanSection.COVERAGE_PLAN: float(_filled(plan.strategies.coverage)),
        PlanSection.VALUE_PROPOSITION: float(
            any(
                _filled(v)
                for v in (
                    vp.customer_wants,
                    vp.customer_does_not_want,
                    vp.customer_cannot_get,
                    vp.our_value,
                )
            )
        ),
        PlanSection.ROADMAP: float(_filled(vp.roadmap)),
        PlanSection.COMPETITION: float(_filled(plan.competitors)),
        PlanSection.HOW_WE_WIN: float(_filled(plan.how_we_win)),
        PlanSection.KEY_ACTIONS: float(_filled(plan.key_actions)),
        PlanSection.SUPPORT_REQUIREMENTS: float(
            _filled(plan.support_requirements) or any(a.support for a in plan.key_actions)
        ),
    }
    return PlanCompleteness(
        score=min(sum(scores.values()) / len(scores), 1.0),
        sections=tuple((s, scores[s]) for s in PlanSection),
        empty=tuple(s for s in PlanSection if scores[s] == 0),
        missing_profile_fields=missing,
    )
