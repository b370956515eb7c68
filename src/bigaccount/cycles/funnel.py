"""The KA sales funnel (KA销售漏斗, the "KA formula"): six stages and their entry rules.

Each stage's gate is the seed's own rule: TARGET needs 2 of 3 criteria, INTENT 2 of 4,
APPROVED depends on the segment (an SME needs criteria 1 and 4, a larger enterprise or
a government customer 1 to 4), ENDORSED and NEGOTIATION 1 of 3, CLOSED 1 of 2.
"""

from __future__ import annotations

from ..cycle import Cycle, CycleKind, Stage
from ..deal import Segment
from ..gates import Criterion, all_of, any_of, at_least, by_segment
from ..labels import Label
from ..registry import register_cycle

__all__ = ["FUNNEL"]

_fact = Criterion.fact

MATERIALS_SENT = _fact("materials_sent", "可发送资料或邮件", "may send materials or e-mail")
FIRST_CONTACT = _fact("first_contact", "已进行初次接触", "first contact made")
VISIT_AGREED = _fact(
    "visit_agreed", "已初步约定正式拜访时间", "formal visit time provisionally agreed"
)

VISITED = _fact("visited", "至少正式拜访过一次", "formally visited at least once")
EVALUATING = _fact("evaluating", "客户正在评估或选型", "customer is evaluating or selecting")
CLEAR_NEED = _fact("clear_need", "有明确需求", "clear need")
OWNER_NAMED = _fact(
    "owner_named", "客户指定中高层项目负责人", "customer names a middle or senior project owner"
)

MEMBERS_KNOWN = _fact(
    "members_known", "项目成员及决策流程清晰", "project members and decision process clear"
)
TIMELINE_KNOWN = _fact("timeline_known", "上线时间清晰", "go-live timeline clear")
BUDGET_KNOWN = _fact("budget_known", "预算范围清晰", "budget range clear")
CORE_NEEDS_KNOWN = _fact("core_needs_known", "核心需求清晰", "core needs clear")

TENDER_WON = _fact("tender_won", "我方中标", "we won the tender")
PUBLIC_FIRST_CHOICE = _fact(
    "public_first_choice",
    "付款决策人公开表示我方为首选",
    "the paying decision-maker says in public that we are first choice",
)
TOP_DECIDER_FAVOURS = _fact(
    "top_decider_favours",
    "最高权重决策人或决策组加权多数倾向我方",
    "the highest-weight decision-maker, or a weighted majority of the decision group, favours us",
)

CUSTOMER_TEMPLATE = _fact(
    "customer_template", "客户发来合同模板", "customer sent its contract template"
)
OUR_TEMPLATE = _fact("our_template", "我方发出合同模板", "we sent our contract template")
NEGOTIATING = _fact(
    "negotiating", "合同谈判进行中且有截止日期", "contract negotiation with a deadline under way"
)

SIGNED = _fact("contract_signed", "合同已签订", "contract signed")
FIRST_PAYMENT = _fact("first_payment", "首付款已汇出", "first payment remitted")

FUNNEL = register_cycle(
    Cycle(
        "funnel",
        Label("KA销售漏斗", "KA sales funnel"),
        CycleKind.PIPELINE,
        (
            Stage(
                "TARGET",
                Label("目标", "target"),
                0.10,
                at_least(2, MATERIALS_SENT, FIRST_CONTACT, VISIT_AGREED),
                owner=Label("客户经理", "account manager"),
            ),
            Stage(
                "INTENT",
                Label("意向", "intent"),
                0.20,
                at_least(2, VISITED, EVALUATING, CLEAR_NEED, OWNER_NAMED),
                owner=Label("项目经理", "project manager"),
            ),
            Stage(
                "APPROVED",
                Label("立项", "approved"),
                0.30,
                by_segment(
                    {
                        Segment.SME: all_of(MEMBERS_KNOWN, CORE_NEEDS_KNOWN),
                        Segment.ENTERPRISE: all_of(
                            MEMBERS_KNOWN, TIMELINE_KNOWN, BUDGET_KNOWN, CORE_NEEDS_KNOWN
                        ),
                        Segment.GOVERNMENT: all_of(
                            MEMBERS_KNOWN, TIMELINE_KNOWN, BUDGET_KNOWN, CORE_NEEDS_KNOWN
                        ),
                    }
                ),
                owner=Label("项目组", "project team"),
            ),
            Stage(
                "ENDORSED",
                Label("认可", "endorsed"),
                0.40,
                any_of(TENDER_WON, PUBLIC_FIRST_CHOICE, TOP_DECIDER_FAVOURS),
                owner=Label("项目组", "project team"),
            ),
            Stage(
                "NEGOTIATION",
                Label("谈判", "negotiation"),
                0.50,
                any_of(CUSTOMER_TEMPLATE, OUR_TEMPLATE, NEGOTIATING),
                owner=Label("项目经理、高层", "project manager, executives"),
            ),
            Stage(
                "CLOSED",
                Label("成交", "closed"),
                0.80,
                any_of(SIGNED, FIRST_PAYMENT),
                owner=Label("项目经理、财务", "project manager, finance"),
            ),
            Stage("REPEAT", Label("重复购买", "repeat purchase")),
        ),
        description=Label("KA客户开发的销售漏斗", "the sales funnel of key-account development"),
    )
)
