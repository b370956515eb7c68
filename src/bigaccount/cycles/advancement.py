"""The project advancement cycle (项目推进循环) P0–P7: stages, win odds and acceptance nodes.

验收 is acceptance *on completion*: a stage's acceptance nodes (验收节点) are what must
be true for the stage to be accepted as done. They are the stage's **exit** gate
(seed 001, DOMAIN.md §1c): a project stands in P*i* while that work is being done, and
moves on to P*i+1* once P*i*'s nodes all hold. So a project in P6 (90%) is negotiating,
and the signed contract — P6's acceptance — takes it to P7 (100%).

Winning the pipeline needs the signed contract (P6's acceptance node, the win gate);
from P7, winning also needs P7's own acceptance (implemented and closed out), as
closing the last stage means its work is done. The management practices (管理方略) are
each stage's guidance. The source is cut off from P5 on; the nodes of P5–P7 are
inferred from the stages' names and marked ``inferred``.

>>> from bigaccount import get_cycle
>>> p4 = get_cycle("advancement").stage("P4")
>>> p4.probability, p4.exit.rule.en
(0.5, 'all 4 must hold')
>>> [c.inferred for c in get_cycle("advancement").stage("P5").exit.criteria]
[True, True]
"""

from __future__ import annotations

from ..cycle import Cycle, CycleKind, Guidance, Stage
from ..gates import Criterion, all_of
from ..labels import Label
from ..people_criteria import (
    KEY_PERSON_PROFILES,
    MID_LEVEL_AND_MAP,
    MID_LOW_RELATIONS,
    TOP_RELATION,
)
from ..plan import COMPETITOR_MOVES, COMPETITORS_BASICS
from ..registry import register_cycle

__all__ = [
    "ADVANCEMENT",
    "COMPETITORS_BASICS",
    "COMPETITOR_MOVES",
    "FISHING_NET_MAP",
    "KEY_PERSON_PROFILES",
    "MID_LEVEL_RELATIONS",
    "PRINCIPLES",
    "TOOLS",
    "TOP_LEVEL_RELATION",
]

_fact = Criterion.fact

# P0
INFO_ACCURATE = _fact("project_info_accurate", "准确的项目信息", "accurate project information")
INFO_VERIFIED = _fact(
    "project_info_verified", "经过验证的准确信息", "information verified as accurate"
)

# P1
TARGET_CONFIRMED = _fact(
    "target_confirmed",
    "已确认该客户为目标客户，并掌握客户的基本需求",
    "confirmed as a target customer, with its basic needs known",
)
PROJECT_BASICS = _fact(
    "project_basics_known",
    "已知项目规模、技术要求和指标、联系人名称、电话",
    "project size, technical requirements and indicators, contact name and phone known",
)
NEXT_VISIT_GOAL = _fact("next_visit_goal_known", "已知下次拜访目标", "goal of the next visit known")

# P2
PROJECT_APPROVED = _fact(
    "project_approved", "确认客户立项", "the customer's project approval confirmed"
)
TEAM_FORMED = _fact("project_team_formed", "构建项目团队", "our project team formed")
PLAN_MADE = _fact(
    "sales_plan_made", "制定销售策略营销计划", "sales strategy and marketing plan made"
)
DECISION_CHAIN = _fact(
    "decision_chain_known",
    "掌握客户的选择缘由、选择倾向、决策链构成、决策惯例（内定/招标）",
    "the customer's selection reasons, leaning, decision chain and decision practice "
    "(internal award or tender) known",
)
SIGNING_PREDICTABLE = _fact(
    "signing_predictable", "可预测签约时间、签约金额", "signing date and amount can be predicted"
)

# P3
APPROVAL_PROCESS = _fact(
    "approval_process_known",
    "掌握客户决策链构成的详细状况；掌握客户的项目审批流程",
    "the decision chain known in detail, and the customer's project approval process",
)
MID_LEVEL_BACKING = _fact(
    "mid_level_backing",
    "为制定技术方案，具备中层客户保障基础",
    "middle-level support in place for our technical proposal",
)
PRESENTATION_CHANNEL = _fact(
    "presentation_channel",
    "为项目技术人员向客户介绍方案搭建好沟通平台",
    "a channel set up for our technical staff to present the proposal",
)

# P4
COMPETITOR_ATTITUDE = _fact(
    "competitor_attitude_known",
    "掌握竞争对手动向和客户态度",
    "competitors' moves and the customer's attitude known",
)
SOLUTION_COMPLETE = _fact(
    "solution_complete",
    "项目团队稳定运作，完成项目技术解决方案",
    "project team working steadily, technical solution complete",
)

# P5-P7: the source is cut off; inferred from the stages' names.
PREFERRED_SUPPLIER = _fact(
    "preferred_supplier",
    "经评估我方为首选供应商",
    "we are the preferred supplier after evaluation",
    inferred=True,
)
PROJECT_COMMITMENT = _fact(
    "project_commitment",
    "客户作出项目承诺",
    "the customer has committed to the project",
    inferred=True,
)
AGREEMENT_SIGNED = _fact(
    "agreement_signed",
    "协议谈判完成，合同签订",
    "contract negotiated and signed",
    inferred=True,
)
CLOSED_OUT = _fact(
    "project_closed_out", "项目实施完毕并结案", "implemented and closed out", inferred=True
)
EXPANSION_RECORDED = _fact(
    "expansion_recorded",
    "已记录升级扩容机会",
    "upgrade and expansion opportunities recorded",
    inferred=True,
)

MID_LEVEL_RELATIONS = MID_LOW_RELATIONS
"""P3: good relations with the middle and lower levels (read from the people, else the fact)."""
TOP_LEVEL_RELATION = TOP_RELATION
"""P4: a top-level relation strong enough to secure the project."""
FISHING_NET_MAP = MID_LEVEL_AND_MAP
"""P4: middle level solid, a complete fishing-net map (渔网图) and key-person profiles."""


PRINCIPLES = (
    Label("控制过程比控制结果更重要", "Controlling the process matters more than the result."),
    Label(
        "该说的要说到，该做的要做到，做到的要见到",
        "Say what must be said, do what must be done, show what was done.",
    ),
    Label(
        "预防性的事前管理重于问题性的事后管理",
        "Prevention before the fact outweighs repair after it.",
    ),
    Label(
        "程序化是让平凡人做出不平凡业绩的最有效手段",
        "Procedure is the surest way for ordinary people to achieve extraordinary results.",
    ),
)
"""The four principles of key-account selling (大客户销售的四大原则)."""

TOOLS = (
    Label("组织架构图分析", "organisation-chart analysis"),
    Label("销售项目定位四要素法", "four-factor project positioning"),
    Label("客户关系程度管理", "relationship-depth management"),
    Label("销售项目分析模式", "project analysis patterns"),
    Label("量化评测、统计、管理销售项目", "quantitative evaluation and statistics of projects"),
    Label("销售项目分析鱼骨图法", "fishbone analysis of projects"),
    Label("重点客户渔网图分析法", "fishing-net map of key people"),
    Label("重点客户档案建立与模板", "key-person profile templates"),
    Label("金三角分析法", "golden-triangle analysis"),
    Label("销售项目SWOT分析与TOWS策略", "project SWOT analysis and TOWS strategies"),
    Label("销售项目分级、分类", "project grading and classification"),
    Label("滚动销售预测", "rolling sales forecast"),
)
"""The toolset of structured selling (结构化营销的方法工具)."""


ADVANCEMENT = register_cycle(
    Cycle(
        "advancement",
        Label("项目推进循环", "project advancement cycle"),
        CycleKind.PIPELINE,
        (
            Stage(
                "P0",
                Label("市场规划·客户开发", "market planning, account development"),
                0.10,
                exit=all_of(INFO_ACCURATE, INFO_VERIFIED),
                guidance=Guidance(
                    description=Label(
                        "Identification：项目在发现机会，获得客户初始信息的阶段。",
                        "Identification: the project finds the opportunity and gets the "
                        "customer's first information.",
                    ),
                    practices=(
                        Label(
                            "客户信息收集和档案管理",
                            "customer information collection and profile management",
                        ),
                        Label(
                            "目标客户判定特征、判定标准",
                            "the traits and criteria that identify a target customer",
                        ),
                        Label("市场分级、客户分级", "market grading and customer grading"),
                    ),
                ),
            ),
            Stage(
                "P1",
                Label("挖掘需求·锁定目标", "uncover needs, lock the target"),
                0.20,
                exit=all_of(TARGET_CONFIRMED, PROJECT_BASICS, COMPETITORS_BASICS, NEXT_VISIT_GOAL),
                guidance=Guidance(
                    description=Label(
                        "Design：锁定目标客户，通过信息分析、现状评估，挖掘、牵引客户的阶段。",
                        "Design: the target customer is locked; by analysing information and "
                        "assessing its situation we uncover and lead its needs.",
                    ),
                    practices=(
                        Label(
                            "客户需求/价值分析、市场分析、竞争对手分析、界定目标市场",
                            "customer needs and value analysis, market analysis, competitor "
                            "analysis, target-market definition",
                        ),
                        Label(
                            "客户机会分析：是否参与？有价值否？成功要素？不具备要素能克服否？",
                            "opportunity analysis: take part? is it worth it? what are the "
                            "success factors? can the missing ones be overcome?",
                        ),
                        Label(
                            "大客户的供应商战略（战略采购/订单协调）",
                            "the key account's supplier strategy (strategic purchasing or "
                            "order coordination)",
                        ),
                    ),
                ),
            ),
            Stage(
                "P2",
                Label("方案立项·客户公关", "project approval, customer relations"),
                0.25,
                exit=all_of(
                    PROJECT_APPROVED,
                    TEAM_FORMED,
                    PLAN_MADE,
                    DECISION_CHAIN,
                    COMPETITOR_MOVES,
                    SIGNING_PREDICTABLE,
                ),
                guidance=Guidance(
                    description=Label(
                        "Component Approval：客户明确立项，"
                        "围绕客户项目决策链，开展全面客户公关的阶段。",
                        "Component Approval: the customer approves the project, and we work on "
                        "relations all along its decision chain.",
                    ),
                    practices=(
                        Label(
                            "立项管理：采购计划、预算流程、项目需求影响因素、竞争评估项目",
                            "approval management: purchase plan, budget process, factors "
                            "shaping the project's needs, competitive assessment",
                        ),
                        Label(
                            "客户决策链管理：客户角色作用和公关策略；重要客户档案管理",
                            "decision-chain management: each role's part and how to approach "
                            "it; key-person profiles",
                        ),
                        Label(
                            "立项流程管理：营销计划、销售计划书、项目跟踪日志、客户拜访计划",
                            "process documents: marketing plan, sales plan, project tracking "
                            "log, visit plan",
                        ),
                    ),
                ),
            ),
            Stage(
                "P3",
                Label("设计交流·中层把握", "design exchange, hold the middle level"),
                0.30,
                exit=all_of(
                    MID_LEVEL_RELATIONS, APPROVAL_PROCESS, MID_LEVEL_BACKING, PRESENTATION_CHANNEL
                ),
                guidance=Guidance(
                    description=Label(
                        "Set up Mid-Customer Relation：项目方案设计、与客户开展技术交流、"
                        "客户决策链中层公关成功的阶段。",
                        "Set up mid-level customer relation: the proposal is designed, "
                        "technical exchanges are held and relations with the middle of the "
                        "decision chain succeed.",
                    ),
                    practices=(
                        Label(
                            "提案管理：方案演示、参观考察、异议处理、项目建议书",
                            "proposal management: demonstrations, site visits, objection "
                            "handling, project proposal",
                        ),
                        Label(
                            "重点客户分析与公关策略计划",
                            "key-person analysis and relationship plan",
                        ),
                    ),
                ),
            ),
            Stage(
                "P4",
                Label("需求调研·高层突破", "needs survey, top-level breakthrough"),
                0.50,
                exit=all_of(
                    TOP_LEVEL_RELATION, COMPETITOR_ATTITUDE, FISHING_NET_MAP, SOLUTION_COMPLETE
                ),
                guidance=Guidance(
                    description=Label(
                        "Set up Hi-Customer Relation：客户明确需求细节，我方调整完善方案、"
                        "把握客户决策高层拍板趋势的阶段。",
                        "Set up high-level customer relation: the customer settles the details "
                        "of its needs; we adjust and complete the proposal and read which way "
                        "the top decision-makers lean.",
                    ),
                    practices=(
                        Label(
                            "需求调研、报价分析、竞争对手分析；提案差异分析、采购标准分析",
                            "needs survey, quote analysis, competitor analysis; proposal "
                            "difference analysis, purchase-criteria analysis",
                        ),
                        Label("客户关系评估", "relationship evaluation"),
                    ),
                ),
            ),
            Stage(
                "P5",
                Label("方案评估·项目承诺", "proposal evaluation, project commitment"),
                0.75,
                exit=all_of(PREFERRED_SUPPLIER, PROJECT_COMMITMENT),
                guidance=Guidance(
                    description=Label(
                        "Business Negotiate：客户比对各家方案、评估各……（原文至此中断）",
                        "Business negotiate: the customer compares every vendor's proposal "
                        "and evaluates… (the source breaks off here)",
                    ),
                    practices=(
                        Label(
                            "承诺管理（推断：原文至此中断）",
                            "commitment management (inferred: the source breaks off here)",
                        ),
                    ),
                ),
            ),
            Stage(
                "P6",
                Label("协议谈判·签约成交", "agreement negotiation, signing"),
                0.90,
                exit=all_of(AGREEMENT_SIGNED),
                guidance=Guidance(
                    description=Label(
                        "（原文缺失，据阶段名称推断）协议谈判、签约成交的阶段。",
                        "(Missing in the source; inferred from the stage's name.) The agreement "
                        "is negotiated and signed.",
                    ),
                ),
            ),
            Stage(
                "P7",
                Label("实施结案·升级扩容", "implementation and close-out, upgrade and expansion"),
                1.00,
                exit=all_of(CLOSED_OUT, EXPANSION_RECORDED),
                guidance=Guidance(
                    description=Label(
                        "（原文缺失，据阶段名称推断）项目实施结案、升级扩容的阶段。",
                        "(Missing in the source; inferred from the stage's name.) The project "
                        "is implemented and closed out, and upgrades and expansion follow.",
                    ),
                ),
            ),
        ),
        win_gate=all_of(AGREEMENT_SIGNED),
        description=Label(
            "我方推进销售项目的八个阶段及赢单概率；每阶段的验收节点是该阶段完成的标准，"
            "验收通过方可进入下一阶段；签约（P6的验收节点）即赢单。",
            "The eight stages in which we advance a sales project, with win probabilities; "
            "each stage's acceptance nodes say when it is done, and must all hold before "
            "the project moves on; the signed contract (P6's acceptance) wins it.",
        ),
    )
)
"""The project advancement cycle, registered as ``"advancement"``."""
