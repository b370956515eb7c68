"""The customer decision cycle (客户决策循环): the eight stages the buyer turns through.

The cycle is a wheel, "the steering wheel in the customer's hands" (客户手中的方向盘):
after REASSESSMENT the customer returns to SATISFACTION and the next purchase round
begins. Each stage carries what the customer does in it and what the method says of
it. Stages have no gates: the customer's stage is observed, not earned. The customer
moves one stage at a time — "few are ever caught in DECISION, but none skips it" — and
only a customer who is not analytical passes over ASSESSMENT ("only rational customers
go through it"), by the route ``skip_assessment``.

>>> from bigaccount import get_cycle
>>> wheel = get_cycle("decision")
>>> [s.label.zh for s in wheel.stages][:3]
['满意', '认识', '决定']
>>> wheel.stage("CHOICE").guidance.customer_action.en
'reviews the contract and negotiates'
"""

from __future__ import annotations

from ..cycle import Cycle, CycleKind, Guidance, Route, Stage
from ..labels import Label
from ..registry import register_cycle

__all__ = ["DECISION", "PROCUREMENT_STEPS"]

PROCUREMENT_STEPS = (
    Label("发现问题", "find the problem"),
    Label("提出需求", "state the need"),
    Label("确定预算", "set the budget"),
    Label("研究可行性", "study feasibility"),
    Label("建立采购小组", "form the purchasing team"),
    Label("制定采购标准", "set the purchase criteria"),
    Label("招标初选", "tender and shortlist"),
    Label("确定首选供应商", "pick the preferred supplier"),
    Label("商务谈判", "negotiate"),
    Label("签约", "sign"),
)
"""The customer's procurement steps behind the cycle, in order."""

DECISION = register_cycle(
    Cycle(
        "decision",
        Label("客户决策循环", "customer decision cycle"),
        CycleKind.WHEEL,
        (
            Stage(
                "SATISFACTION",
                Label("满意", "satisfaction"),
                guidance=Guidance(
                    description=Label(
                        "客户：对一切都满意。", "The customer is satisfied with everything."
                    ),
                    customer_action=Label("发现问题、提出问题", "finds and raises problems"),
                    notes=(
                        Label(
                            "客户确信自己不但没有需求，也没有问题；在他们的思想中一切都很完美。",
                            "The customer is sure it has neither a need nor a problem; "
                            "in its mind everything is perfect.",
                        ),
                        Label(
                            "处于满意阶段的客户非常难以说服；顾客可能是说谎者。",
                            "A customer in this stage is very hard to persuade; "
                            "the customer may be lying.",
                        ),
                        Label(
                            "销售人员通常认为有50-60%的客户处于这一阶段，但事实上呢？",
                            "Salespeople usually think 50-60% of customers are in this stage "
                            "— but are they?",
                        ),
                        Label(
                            "坚信这样的观点：问题没有产生并不能说明问题不存在。",
                            "Hold on to this: a problem that has not arisen is not a problem "
                            "that does not exist.",
                        ),
                    ),
                ),
            ),
            Stage(
                "RECOGNITION",
                Label("认识", "recognition"),
                guidance=Guidance(
                    description=Label(
                        "客户：认识到问题的存在，但还不打算采取行动。",
                        "The customer recognises a problem exists but does not intend to act yet.",
                    ),
                    customer_action=Label("分析研讨、确定预算", "analyses and sets a budget"),
                    notes=(
                        Label(
                            "这一阶段前景开始明朗。客户确实有些问题需要澄清或解决；"
                            "但客户只是做好了准备，此时并不想采取行动。",
                            "The outlook begins to clear: the customer does have problems to "
                            "clarify or solve, but it is only prepared and does not want to "
                            "act yet.",
                        ),
                        Label(
                            "是客户“要与不要”的关键决策点。",
                            "This is the customer's key 'want it or not' decision point.",
                        ),
                        Label(
                            "“人们不会注意小问题，只会处理大问题”。",
                            "'People don't attend to small problems, only to big ones.'",
                        ),
                        Label(
                            "客户典型的关注点：这个问题有多严重？是否严重到采取行动？",
                            "The customer's typical concern: how serious is this problem "
                            "— serious enough to act?",
                        ),
                    ),
                ),
            ),
            Stage(
                "DECISION",
                Label("决定", "decision"),
                guidance=Guidance(
                    description=Label(
                        "客户：开始焦虑出现的问题，打算解决。",
                        "The customer grows anxious about the problem and intends to solve it.",
                    ),
                    customer_action=Label("项目立项、建立小组", "approves a project, forms a team"),
                    notes=(
                        Label(
                            "客户对许多小问题的渐渐积累，导致有一天无法忍受，开始想解决的办法。",
                            "Small problems pile up until one day the customer cannot bear them "
                            "and starts looking for a way out.",
                        ),
                        Label(
                            "一些意外、一个契机、一次惊吓、一次事故，导致客户进入决定阶段。",
                            "Something unexpected, an opportunity, a scare or an accident brings "
                            "the customer into this stage.",
                        ),
                        Label(
                            "很少客户是真正处于这一阶段，但没有客户不经过这一阶段。",
                            "Few customers are ever caught in this stage, but none skips it.",
                        ),
                        Label(
                            "到达这一阶段需要几个月、几年，一旦到达，决策点一闪而过，事情就决定了。",
                            "Reaching it takes months or years; once there, the decision point "
                            "passes in a flash and the matter is decided.",
                        ),
                    ),
                ),
            ),
            Stage(
                "STANDARD_SETTING",
                Label("制定标准", "standard setting"),
                guidance=Guidance(
                    description=Label(
                        "客户：认识到问题的程度，寻求解决方案和制定标准。",
                        "The customer grasps how big the problem is and seeks solutions "
                        "and criteria.",
                    ),
                    customer_action=Label("建立采购标准", "sets the purchase criteria"),
                    notes=(
                        Label(
                            "针对已做出的购买决定，客户将选择和确认他到底需要的是什么样的产品或服务。",
                            "Having decided to buy, the customer chooses and confirms what "
                            "product or service it really needs.",
                        ),
                        Label(
                            "客户开始收集信息和标书、征询选型意见。",
                            "It starts collecting information and bids and asks for "
                            "selection advice.",
                        ),
                        Label(
                            "客户不是根据需要做出决定，而是根据问题做出决定；问题越突出，需求越强烈；"
                            "需求越强烈，客户愿意为此付出的越多。",
                            "Customers decide by problems, not by needs: the sharper the problem, "
                            "the stronger the need; the stronger the need, the more they will pay.",
                        ),
                    ),
                ),
            ),
            Stage(
                "ASSESSMENT",
                Label("评价", "assessment"),
                guidance=Guidance(
                    description=Label(
                        "客户：完善其标准，提出具体需求的要求。",
                        "The customer refines its criteria and states its detailed requirements.",
                    ),
                    customer_action=Label("确定招标、初步筛选", "decides to tender, shortlists"),
                    notes=(
                        Label(
                            "客户针对已做出选择的产品或服务，从模糊认识到明确标准的过程。",
                            "The customer moves from a vague idea of the chosen product or "
                            "service to clear criteria.",
                        ),
                        Label(
                            "客户发布、收集信息，初步筛选合格供应商，确定招标书内容。",
                            "It publishes and collects information, shortlists qualified "
                            "suppliers and settles the tender.",
                        ),
                        Label(
                            "当客户明显进入评价阶段时，预示着客户稳定的购买决策；是客户调整购买希望的阶段。",
                            "A customer clearly in this stage signals a stable purchase decision; "
                            "here it adjusts its expectations.",
                        ),
                        Label(
                            "理性客户才会经历这个阶段；有标准才有可能有评价。",
                            "Only rational customers go through this stage; without criteria "
                            "there is no assessment.",
                        ),
                    ),
                ),
            ),
            Stage(
                "INVESTIGATION",
                Label("调查", "investigation"),
                guidance=Guidance(
                    description=Label(
                        "客户：市场调查，对比不同的解决方案。",
                        "The customer surveys the market and compares solutions.",
                    ),
                    customer_action=Label("筛选确定首选供应商", "picks a preferred supplier"),
                    notes=(
                        Label(
                            "客户通过技术标、商务标而确立的筛选标准，接触、调查、对比供应商；"
                            "招标、议标的过程。",
                            "Against the screening criteria of its technical and commercial "
                            "bids, the customer contacts, investigates and compares suppliers: "
                            "the tender or negotiated bid.",
                        ),
                        Label(
                            "客户会对照制定的标准一一检查他们考虑的产品或服务；"
                            "每一种方案的取舍取决于它对标准的符合程度。",
                            "It checks each product or service it considers against its "
                            "criteria; each option lives or dies by how well it fits them.",
                        ),
                        Label(
                            "验证自己的看法和观点以及标准，验证销售人员以及供应商品质。",
                            "It verifies its own views and criteria, the salespeople and the "
                            "quality of the suppliers.",
                        ),
                    ),
                ),
            ),
            Stage(
                "CHOICE",
                Label("选择", "choice"),
                guidance=Guidance(
                    description=Label(
                        "客户：选择最符合其标准的方案。",
                        "The customer chooses the solution that best fits its criteria.",
                    ),
                    customer_action=Label(
                        "合同审核、商务谈判", "reviews the contract and negotiates"
                    ),
                    notes=(
                        Label(
                            "客户或专门组织谈判小组与首选供应商谈具体合同条款；定标阶段。",
                            "The customer, or a negotiating team it sets up, negotiates the "
                            "contract terms with the preferred supplier: the award.",
                        ),
                        Label(
                            "客户在选择阶段是包含情绪因素的；这是最敏感的阶段，客户担心自己做了错误的决策。",
                            "The choice carries emotion: it is the most sensitive stage, with "
                            "the fear of a wrong decision.",
                        ),
                        Label(
                            "销售人员是否影响客户，决定客户以后的满意度。",
                            "Whether the salesperson influences the customer here decides its "
                            "later satisfaction.",
                        ),
                    ),
                ),
            ),
            Stage(
                "REASSESSMENT",
                Label("再评价", "reassessment"),
                guidance=Guidance(
                    description=Label(
                        "客户：再次评价其决策。", "The customer re-evaluates its decision."
                    ),
                    customer_action=Label("签约成交", "signs"),
                    notes=(
                        Label(
                            "称为“购买者后悔阶段”：客户会在购买行为结束后，回顾和比较其购买行为。",
                            "The 'buyer's remorse' stage: after buying, the customer reviews "
                            "and compares its purchase.",
                        ),
                        Label(
                            "这一阶段的后悔程度与交易金额直接相关。",
                            "Remorse grows with the amount of the deal.",
                        ),
                        Label(
                            "对客户下一个采购回合具有很大的影响。",
                            "It strongly shapes the customer's next purchase round.",
                        ),
                        Label("主动提醒客户。", "Remind the customer proactively."),
                    ),
                ),
            ),
        ),
        routes=(
            Route(
                "skip_assessment",
                "STANDARD_SETTING",
                "INVESTIGATION",
                Label("非理性客户跳过评价", "a customer who is not analytical skips assessment"),
            ),
        ),
        allow_jump=False,
        description=Label(
            "客户手中的方向盘：客户采购决策的八个阶段，再评价之后回到满意，开始下一轮采购。",
            "The steering wheel in the customer's hands: the eight stages of the customer's "
            "buying decision; after reassessment it returns to satisfaction and the next "
            "purchase round begins.",
        ),
    )
)
"""The customer decision cycle, registered as ``"decision"``."""
