"""The sales activity cycle (销售活动循环): what the seller does at each stage of the buyer.

Eight stages, each in step with a stage of the customer decision cycle. Every stage
carries the seller's typical activities, its numbered steps with their rules, the
three-part marker of success (customer, supplier, milestone), the common mistakes
and the salesperson's self-check questions (检查清单), in Chinese and English. A
stage's description is the source's summary of what the seller should do there.

>>> from bigaccount import get_cycle
>>> analysis = get_cycle("activity").stage("ANALYSIS")
>>> [step.label.zh for step in analysis.guidance.steps]
['认同试探', '发展试探', '冲击试探']
>>> analysis.guidance.success.milestone.en
'the right handler found'
>>> len(analysis.guidance.checklist)
5
"""

from __future__ import annotations

from ..cycle import Cycle, CycleKind, Guidance, Stage, Step, SuccessMarker
from ..labels import Label
from ..registry import register_cycle

__all__ = ["ACTIVITY", "PRODUCT_TOO_EARLY"]

PRODUCT_TOO_EARLY = Label(
    "过早向客户做产品介绍", "the product was introduced to the customer too early"
)
"""The source's warning against running ahead of the buyer (a mistake of ANALYSIS)."""


def _success(customer: Label, supplier: Label, milestone: Label) -> SuccessMarker:
    return SuccessMarker(customer, supplier, milestone)


_NEGOTIATION = Label("合作谈判", "negotiation")
_SIGNED = Label("签约成交", "signed")
_EVALUATION = Label("项目评估", "project evaluation")

ACTIVITY = register_cycle(
    Cycle(
        "activity",
        Label("销售活动循环", "sales activity cycle"),
        CycleKind.PROCESS,
        (
            Stage(
                "RESEARCH",
                Label("研究", "research"),
                guidance=Guidance(
                    description=Label(
                        "探查背景，确定切入点。", "Probe the background and find an entry point."
                    ),
                    activities=(
                        Label("客户规划", "account planning"),
                        Label("电话邀约", "phone invitation"),
                    ),
                    steps=(
                        Step(
                            Label("背景探测", "background probe"),
                            (
                                Label("注意问题的开放性", "ask open questions"),
                                Label(
                                    "避开困难：销售人员过早提到客户的困难，这常迫使客户撒谎",
                                    "avoid difficulties: raising the customer's difficulties "
                                    "too early often forces it to lie",
                                ),
                                Label(
                                    "显示你的优势：通过问问题，向客户自然导出你将要展开的谈话主题",
                                    "show your strengths: through questions, lead the customer "
                                    "naturally to the topic you will open",
                                ),
                            ),
                        ),
                        Step(
                            Label(
                                "发现问题，继续了解，避免讨论问题本身",
                                "find problems, keep learning, avoid discussing the problem itself",
                            ),
                            (
                                Label("准备较多的话题和主意", "prepare many topics and ideas"),
                                Label(
                                    "良好对话的价值：让客户在这个阶段喜欢上你，"
                                    "客户说得越多，他就会越喜欢他的谈话对象",
                                    "the value of good dialogue: let the customer come to like "
                                    "you; the more it talks, the more it likes the person it "
                                    "talks to",
                                ),
                            ),
                        ),
                    ),
                    success=_success(
                        Label("发现问题，提出需求", "finds problems, states needs"),
                        Label("项目立项", "project initiated"),
                        Label("有兴趣", "interest"),
                    ),
                    checklist=(
                        Label("这个问题是开放式问题吗？", "Is this question open?"),
                        Label(
                            "这个问题是不是避开了主题？",
                            "Does this question steer clear of the subject?",
                        ),
                        Label(
                            "这个问题是否开始展示自己公司的优势？",
                            "Does this question begin to show our company's strengths?",
                        ),
                    ),
                ),
            ),
            Stage(
                "ANALYSIS",
                Label("分析", "analysis"),
                guidance=Guidance(
                    description=Label(
                        "通过一系列的探查询问，使问题严重化，引起客户重视。",
                        "Through a series of probing questions, make the problem serious "
                        "enough for the customer to take notice.",
                    ),
                    activities=(
                        Label("客户拜访", "customer visits"),
                        Label("初步调研", "first survey"),
                    ),
                    steps=(
                        Step(
                            Label("认同试探", "agreement probe"),
                            (
                                Label(
                                    "通过开放式提问使客户认同他们存在问题",
                                    "ask open questions until the customer agrees it has a problem",
                                ),
                            ),
                        ),
                        Step(
                            Label("发展试探", "development probe"),
                            (
                                Label(
                                    "使客户了解问题所在",
                                    "let the customer see where the problem lies",
                                ),
                            ),
                        ),
                        Step(
                            Label("冲击试探", "impact probe"),
                            (
                                Label(
                                    "让客户对问题所造成的后果做出反应",
                                    "make the customer react to the consequences of the problem",
                                ),
                            ),
                        ),
                    ),
                    success=_success(
                        Label("分析研讨、确定预算", "analyses and sets a budget"),
                        Label("初步接触", "first contact"),
                        Label("找对经手人", "the right handler found"),
                    ),
                    mistakes=(
                        Label("没能查出原因", "the cause was not found"),
                        Label(
                            "没能发展客户的不满", "the customer's dissatisfaction was not developed"
                        ),
                        PRODUCT_TOO_EARLY,
                    ),
                    checklist=(
                        Label("这个试探是开放式问话吗？", "Is this probe an open question?"),
                        Label(
                            "这个试探是否有辅助你达到目的战略的作用？（认同试探）",
                            "Does this probe serve the strategy you aim at? (agreement probe)",
                        ),
                        Label(
                            "这个试探能够不断扩大客户的关心程度吗？（发展试探）",
                            "Does this probe keep widening the customer's concern? "
                            "(development probe)",
                        ),
                        Label(
                            "这个试探是否包含有助于你实现意图的重要冲击？（冲击试探）",
                            "Does this probe carry an impact that helps your intent? "
                            "(impact probe)",
                        ),
                        Label(
                            "这个试探允许客户自己描述他的问题吗？",
                            "Does this probe let the customer describe the problem in its "
                            "own words?",
                        ),
                    ),
                ),
            ),
            Stage(
                "CONFIRMATION",
                Label("确认", "confirmation"),
                guidance=Guidance(
                    description=Label(
                        "继续询问，使隐含需求成为明显需求。",
                        "Keep asking, so that implicit needs become explicit needs.",
                    ),
                    activities=(Label("提交初步方案", "submit a preliminary proposal"),),
                    steps=(
                        Step(
                            Label("理解测试", "understanding test"),
                            (
                                Label(
                                    "花少许时间，确认前面问问题归结的答案",
                                    "take a moment to confirm the answers the questions so far "
                                    "have led to",
                                ),
                            ),
                        ),
                        Step(
                            Label("其它关注点", "other concerns"),
                            (
                                Label(
                                    "“还有其它问题吗？”让客户在决定购买后有表述的机会，"
                                    "也使自己为下一阶段解决问题做好准备",
                                    "'Any other problem?': give the customer, having decided to "
                                    "buy, the chance to say more, and prepare yourself to solve "
                                    "problems in the next stage",
                                ),
                            ),
                        ),
                        Step(
                            Label("实施变革", "implement change"),
                            (
                                Label(
                                    "通过前面的考察，了解客户是否准备改变",
                                    "from what you have learned, find out whether the customer "
                                    "is ready to change",
                                ),
                            ),
                        ),
                    ),
                    success=_success(
                        Label(
                            "项目立项、组建采购小组",
                            "approves the project, forms a purchasing team",
                        ),
                        Label("方案设计", "solution design"),
                        Label("客户化的初步方案", "a customised preliminary proposal"),
                    ),
                    checklist=(
                        Label(
                            "这个阶段的沟通总结，是集中在客户的问题上了吗？",
                            "Is this stage's summary centred on the customer's problems?",
                        ),
                        Label(
                            "已经回避了客户的需求或产品解决方案了吗？",
                            "Have you kept away from the customer's needs and product solutions?",
                        ),
                        Label(
                            "确认阶段的总结简明扼要吗？", "Is the summary short and to the point?"
                        ),
                        Label(
                            "沟通过程是围绕着客户对存在问题的解决而进行的吗？",
                            "Did the conversation revolve around solving the customer's problem?",
                        ),
                    ),
                ),
            ),
            Stage(
                "PURSUIT",
                Label("寻求", "pursuit"),
                guidance=Guidance(
                    description=Label(
                        "列出需求，将需求按优先排序，并逐一确认。",
                        "List the needs, rank them by priority and confirm them one by one.",
                    ),
                    activities=(
                        Label("方案演示", "solution demonstration"),
                        Label("技术交流", "technical exchange"),
                    ),
                    steps=(
                        Step(
                            Label("列出并确认客户需求", "list and confirm the customer's needs"),
                            (
                                Label(
                                    "要避免直接陈述客户的需求，以一种观念把它灌输到客户的头脑中，"
                                    "使他们感觉好象是自己想到的",
                                    "avoid stating the customer's needs outright: plant them as "
                                    "an idea, so that the customer feels it thought of them itself",
                                ),
                            ),
                        ),
                        Step(
                            Label("还有其它需求吗？", "'Any other needs?'"),
                            (
                                Label(
                                    "目的是更多地了解客户的想法，以便解决、改变、甚至拒绝这个需求",
                                    "learn more of the customer's thinking, so as to meet, "
                                    "change or even decline the need",
                                ),
                            ),
                        ),
                        Step(
                            Label("将需求按优先次序排列", "rank the needs by priority"),
                            (
                                Label(
                                    "抓住客户的“热点”“要点”，以便按照同样的顺序安排建议或者示范",
                                    "catch the customer's hot spots and key points, and order "
                                    "proposals and demonstrations the same way",
                                ),
                                Label(
                                    "在排列优先顺序时更能容忍客户的挑剔",
                                    "while ranking, bear with the customer's fault-finding",
                                ),
                            ),
                        ),
                    ),
                    success=_success(
                        Label("建立标准、稳定目标", "sets criteria, stabilises goals"),
                        Label("方案演示、业绩展示", "demonstration, references shown"),
                        Label("业绩展示", "references shown"),
                    ),
                    checklist=(
                        Label(
                            "这个过程是否允许客户参与了需求清单的制作？",
                            "Did the customer take part in writing the needs list?",
                        ),
                        Label(
                            "客户需求清单中避免使用任何产品或特征的名字吗？",
                            "Does the needs list avoid any product or feature names?",
                        ),
                        Label(
                            "这个清单中只包括需求，而没有问题吗？",
                            "Does the list hold only needs, and no problems?",
                        ),
                        Label(
                            "你提问的问题是封闭式问题吗？", "Are your questions closed questions?"
                        ),
                        Label("需求之间排列优先顺序了吗？", "Are the needs ranked by priority?"),
                    ),
                ),
            ),
            Stage(
                "REFINEMENT",
                Label("细化", "refinement"),
                guidance=Guidance(
                    description=Label("将标准转为细节。", "Turn the criteria into details."),
                    activities=(
                        Label("需求分析", "needs analysis"),
                        Label("正式方案设计", "formal proposal design"),
                    ),
                    steps=(
                        Step(
                            Label("将标准转为细节", "turn the criteria into details"),
                            (
                                Label(
                                    "客户的标准有时是模糊的，把客户的需求细化并减少冲突，是这一步的责任",
                                    "the customer's criteria are sometimes vague: this step "
                                    "refines its needs and reduces conflicts",
                                ),
                            ),
                        ),
                        Step(
                            Label("定位于细节", "position on the details"),
                            (
                                Label(
                                    "要确认客户的标准是否清晰",
                                    "confirm the customer's criteria are clear",
                                ),
                                Label(
                                    "要确保制定的标准适合你推荐的解决方案",
                                    "make sure the criteria fit the solution you will recommend",
                                ),
                                Label("要关注善于分析的客户", "mind analytical customers"),
                                Label(
                                    "要留意价格引起的拒绝", "watch for rejections caused by price"
                                ),
                            ),
                        ),
                    ),
                    success=_success(
                        Label("确定招标、初步筛选", "decides to tender, shortlists"),
                        Label("方案确认", "solution confirmed"),
                        Label("提交正式方案", "formal proposal submitted"),
                    ),
                    checklist=(
                        Label(
                            "这份客户需求清单是否避开了任何产品或特征名称？",
                            "Does this needs list avoid any product or feature names?",
                        ),
                        Label(
                            "如果客户的需求是可量化的，你做了相应的预测吗？",
                            "Where the customer's needs are quantifiable, did you forecast them?",
                        ),
                        Label(
                            "这一阶段结束时，你使用了封闭式问题做结尾了吗？",
                            "Did you close the stage with a closed question?",
                        ),
                    ),
                ),
            ),
            Stage(
                "SOLUTION",
                Label("解决", "solution"),
                guidance=Guidance(
                    description=Label(
                        "提供解决方案，证实自我能力。",
                        "Offer the solution and prove our capability.",
                    ),
                    activities=(_EVALUATION,),
                    steps=(
                        Step(
                            Label(
                                "设置“预收场”，使自己明了对“客户不再拒绝你”有多大把握",
                                "set a 'pre-close': learn how sure you are that the customer "
                                "will no longer turn you down",
                            ),
                        ),
                        Step(
                            Label(
                                "推荐解决方案：只有在这个时候，才开始推荐你的解决方案",
                                "recommend the solution: only now begin recommending it",
                            ),
                            (
                                Label(
                                    "使用“你说的”“你告诉我的”句式，以提醒客户，这些内容是他们的意见",
                                    "say 'as you said', 'as you told me', to remind the "
                                    "customer these are its own views",
                                ),
                                Label(
                                    "解决方案最好是可选择的",
                                    "offer options rather than one solution",
                                ),
                                Label(
                                    "即便客户欣然接受，也不要做过了头",
                                    "even when the customer gladly accepts, don't overdo it",
                                ),
                            ),
                        ),
                    ),
                    success=_success(
                        Label(
                            "认准首选、筛选供应商",
                            "settles on a preferred supplier, screens suppliers",
                        ),
                        _EVALUATION,
                        _EVALUATION,
                    ),
                    checklist=(
                        Label("做过预收场了吗？", "Did you set a pre-close?"),
                        Label(
                            "提供的方案满足客户的需求吗？",
                            "Does the solution offered meet the customer's needs?",
                        ),
                        Label(
                            "解决方案的优势提供了吗？", "Did you present the solution's advantages?"
                        ),
                        Label(
                            "它是不是产品的一个令客户“知道更好”的因素？",
                            "Is it a 'good to know' factor of the product for the customer?",
                        ),
                        Label(
                            "推荐的利益能满足客户的特定需求吗？",
                            "Do the benefits recommended meet the customer's specific needs?",
                        ),
                        Label(
                            "在每一个建议之后都进行了确认吗？",
                            "Did you confirm after each proposal?",
                        ),
                    ),
                ),
            ),
            Stage(
                "CLOSING",
                Label("收场", "closing"),
                guidance=Guidance(
                    description=Label(
                        "确认客户获得的利益；要求承诺；讨论支持服务；让客户再次放心。",
                        "Confirm the customer's benefits, ask for commitment, discuss support "
                        "and reassure the customer.",
                    ),
                    activities=(Label("商务谈判", "commercial negotiation"),),
                    steps=(
                        Step(
                            Label(
                                "通过确认客户能够获得的利益，做收场检验（心理作用为主）",
                                "test the close by confirming the benefits the customer will "
                                "gain (mostly psychological)",
                            )
                        ),
                        Step(Label("寻求承诺", "ask for commitment")),
                        Step(
                            Label(
                                "讨论后续措施、支持服务", "discuss follow-up measures and support"
                            )
                        ),
                        Step(
                            Label(
                                "向客户保证，让顾客再放心",
                                "give assurance, so the customer feels safe again",
                            )
                        ),
                    ),
                    success=_success(_NEGOTIATION, _NEGOTIATION, _NEGOTIATION),
                    checklist=(
                        Label(
                            "这里面有用来确认你的解决方案的利益的问题吗？",
                            "Is there a question that confirms the benefits of your solution?",
                        ),
                        Label(
                            "你觉得提问是否简洁并切中要点呢？",
                            "Are the questions short and to the point?",
                        ),
                        Label("使用封闭式问题了吗？", "Did you use closed questions?"),
                        Label(
                            "总结收场是否积极、完整？",
                            "Is the closing summary positive and complete?",
                        ),
                    ),
                ),
            ),
            Stage(
                "MAINTENANCE",
                Label("维护", "maintenance"),
                guidance=Guidance(
                    description=Label(
                        "回顾支持服务；回顾解决方案；回顾变化。",
                        "Review the support, the solution and the change.",
                    ),
                    activities=(_SIGNED,),
                    steps=(
                        Step(Label("后续措施回顾", "review the follow-up measures")),
                        Step(Label("销售方案的回顾", "review the solution sold")),
                        Step(
                            Label(
                                "客户现状改变过程的回顾",
                                "review how the customer's situation changed",
                            )
                        ),
                    ),
                    success=_success(_SIGNED, _SIGNED, _SIGNED),
                    checklist=(
                        Label(
                            "你是否在检查销售的执行情况，而不是讨论销售方案？",
                            "Are you checking how the sale is carried out, rather than "
                            "discussing the proposal?",
                        ),
                        Label(
                            "对现有的销售方案还有什么问题？",
                            "What problems remain with the current solution?",
                        ),
                        Label(
                            "对客户现状的改变还有什么问题？",
                            "What problems remain with the change in the customer's situation?",
                        ),
                    ),
                ),
            ),
        ),
        description=Label(
            "卖方在客户决策循环每一阶段应做的销售活动：步骤、成功标志与自我检查清单。",
            "What the seller does at each stage of the customer's decision: steps, marks "
            "of success and self-check questions.",
        ),
    )
)
"""The sales activity cycle, registered as ``"activity"``."""
