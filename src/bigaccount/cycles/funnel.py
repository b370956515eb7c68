"""The KA sales funnel (KA销售漏斗, the "KA formula"): six stages and their entry rules.

The stages' criteria (阶段评判标准) say that a deal *is in* a stage: they are entry
gates. Each is the source's own rule: TARGET needs 2 of 3 criteria, INTENT 2 of 4,
APPROVED depends on the segment (an SME needs criteria 1 and 4, a larger enterprise or
a government customer 1 to 4), ENDORSED 1 of 3, NEGOTIATION 1 of 5 (the union of the
two slides that define it), CLOSED 1 of 2.

APPROVED's fifth criterion, "competitors present", is listed by the source without
being part of the rule: it is the stage's ``guidance.signals``, evaluable and shown,
never gating.
The checks before commercial negotiation are NEGOTIATION's checklist; the four
measures of funnel health are :data:`HEALTH`.

>>> from bigaccount import get_cycle
>>> approved = get_cycle("funnel").stage("APPROVED")
>>> [c.id for c in approved.criteria], [c.id for c in approved.guidance.signals]
(['members_known', 'timeline_known', 'budget_known', 'core_needs_known'], ['competitors_present'])
"""

from __future__ import annotations

from ..cycle import Cycle, CycleKind, Guidance, Stage
from ..gates import Criterion, all_of, any_of, at_least, by_segment
from ..labels import Label
from ..people_criteria import TOP_DECIDER_FAVOURS
from ..plan import COMPETITORS_PRESENT
from ..registry import register_cycle
from ..segment import Segment

__all__ = ["COMPETITORS_PRESENT", "FUNNEL", "HEALTH", "TOP_DECIDER_FAVOURS"]

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

CUSTOMER_TEMPLATE = _fact(
    "customer_template", "客户发来合同模板", "customer sent its contract template"
)
OUR_TEMPLATE = _fact("our_template", "我方发出合同模板", "we sent our contract template")
NEGOTIATING = _fact(
    "negotiating", "合同谈判进行中且有截止日期", "contract negotiation with a deadline under way"
)
PRICE_OBJECTION = _fact(
    "price_objection", "客户方针对价格提出异议", "the customer raised price objections"
)
TERMS_DISCUSSED = _fact(
    "terms_discussed",
    "已讨论交付物难易程度、付款比例",
    "difficulty of the deliverables and the payment ratio discussed",
)


SIGNED = _fact("contract_signed", "合同已签订", "contract signed")
FIRST_PAYMENT = _fact("first_payment", "首付款已汇出", "first payment remitted")

HEALTH = (
    Label("粗细（容量）", "capacity (volume)"),
    Label("斜率（推进效率）", "slope (advancement efficiency, stage-to-stage conversion)"),
    Label("均匀（阶段分布）", "uniformity (distribution across the stages)"),
    Label("流速（销售周期）", "flow speed (length of the sales cycle)"),
)
"""The four measures of a healthy funnel (漏斗原理)."""

_TEAM = Label("项目组", "project team")


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
                Guidance(
                    description=Label(
                        "定位和挖掘目标客户：销售员在潜在客户群中通过初步评估后发现的一个可能存在的销售机会。",
                        "Locate and develop target customers: a possible sales opportunity the "
                        "salesperson found by a first assessment of the potential customers.",
                    ),
                    practices=(
                        Label(
                            "信息收集：行业客户数据库建立",
                            "information: build a database of industry customers",
                        ),
                        Label("信息收集：信息精准化", "information: make it precise"),
                        Label(
                            "信息收集：老客户的体系推广",
                            "information: roll out through existing customers' organisations",
                        ),
                        Label(
                            "信息收集：老客户的产业链",
                            "information: follow existing customers' industry chains",
                        ),
                        Label(
                            "信息收集：行业伙伴的寻找及合作",
                            "information: find and work with industry partners",
                        ),
                        Label("市场策略：行业活动", "market strategy: industry events"),
                        Label("市场策略：体验活动", "market strategy: hands-on events"),
                        Label(
                            "市场策略：老客户活动及俱乐部",
                            "market strategy: events and clubs for existing customers",
                        ),
                        Label(
                            "市场策略：项目验收会", "market strategy: project acceptance meetings"
                        ),
                    ),
                    notes=(
                        Label(
                            "潜在客户群：我们的产品和服务能够适应或满足的特定客户群体或市场。",
                            "Potential customers: the customer groups or markets our products "
                            "and services can fit or satisfy.",
                        ),
                    ),
                ),
                owner=Label("客户经理", "account manager"),
            ),
            Stage(
                "INTENT",
                Label("意向", "intent"),
                0.20,
                at_least(2, VISITED, EVALUATING, CLEAR_NEED, OWNER_NAMED),
                Guidance(
                    description=Label(
                        "引导和确认客户意向：经销售人员评估后，符合我们的提供产品要求并具备一定需求的客户项目。",
                        "Guide and confirm the customer's intent: a customer project that, by "
                        "the salesperson's assessment, fits what we offer and has some need.",
                    ),
                    practices=(
                        Label(
                            "情景型问题：获取背景资料，发现客户的问题、不满和目标背后的动因",
                            "situational questions: gather background; find the problems, "
                            "complaints and the motives behind the customer's goals",
                        ),
                        Label(
                            "诊断型问题：探究客户的抱怨、不满，确认问题点",
                            "diagnostic questions: explore complaints and confirm the problem",
                        ),
                        Label(
                            "启发型问题：引导客户看到问题的影响和严重后果",
                            "implication questions: lead the customer to see the problem's "
                            "effects and serious consequences",
                        ),
                        Label(
                            "确认型问题：确认解决问题的好处",
                            "confirmation questions: confirm the benefits of solving the problem",
                        ),
                    ),
                    notes=(
                        Label(
                            "意向客户阶段，客户“概念”处于变更期，需求主要表现为隐性需求，显性需求不明确。",
                            "At intent the customer's idea is still changing: its needs are "
                            "mostly implicit, the explicit ones unclear.",
                        ),
                        Label(
                            "评估客户的能力、动因等因素；关注客户的核心应用需求，其背后可能是客户的需求痛点。",
                            "Assess the customer's means and motives; watch its core application "
                            "need, behind which may lie its pain point.",
                        ),
                        Label(
                            "不卖好产品，只卖产品的好处；在客户心目中，价值决定价格。",
                            "Don't sell a good product, sell its benefits; to the customer, "
                            "value sets the price.",
                        ),
                    ),
                ),
                owner=Label("项目经理", "project manager"),
            ),
            Stage(
                "APPROVED",
                Label("立项", "approved"),
                0.30,
                by_segment(
                    {
                        Segment.ENTERPRISE: all_of(
                            MEMBERS_KNOWN, TIMELINE_KNOWN, BUDGET_KNOWN, CORE_NEEDS_KNOWN
                        ),
                        Segment.GOVERNMENT: all_of(
                            MEMBERS_KNOWN, TIMELINE_KNOWN, BUDGET_KNOWN, CORE_NEEDS_KNOWN
                        ),
                        Segment.SME: all_of(MEMBERS_KNOWN, CORE_NEEDS_KNOWN),
                    }
                ),
                Guidance(
                    description=Label(
                        "影响及跟进客户立项：按照我们特定的项目标准评估后符合要求，并成立项目小组负责项目跟进。",
                        "Influence and follow the customer's project approval: the project "
                        "meets our project criteria and a project team follows it.",
                    ),
                    practices=(
                        Label(
                            "需求引导：赞同、确认、启发型提问、重构愿景、确认型提问",
                            "guiding needs: agree, confirm, ask implication questions, rebuild "
                            "the vision, ask confirmation questions",
                        ),
                    ),
                    notes=(
                        Label(
                            "选型客户通常有明确的角色对象（信息中心、职能部门、业务部门），"
                            "他们在选型过程中的需求关注重点不同。",
                            "A selecting customer has distinct roles (IT centre, functional and "
                            "business departments), each weighing the needs differently.",
                        ),
                        Label(
                            "差异化：产品差异化、服务差异化、形象差异化。",
                            "Differentiate by product, by service and by image.",
                        ),
                    ),
                    signals=(COMPETITORS_PRESENT,),
                ),
                owner=_TEAM,
            ),
            Stage(
                "ENDORSED",
                Label("认可", "endorsed"),
                0.40,
                any_of(TENDER_WON, PUBLIC_FIRST_CHOICE, TOP_DECIDER_FAVOURS),
                Guidance(
                    description=Label(
                        "赢得客户的初步认可：通过项目小组全面跟进之后，客户对我们基本认可，并达到相应标准。",
                        "Win the customer's first endorsement: after the project team's full "
                        "follow-up, the customer broadly endorses us.",
                    ),
                    practices=(
                        Label(
                            "初次拜访，第一印象很重要；用开放式的问题收集信息，当好听众",
                            "first visit: the first impression matters; gather information with "
                            "open questions and listen well",
                        ),
                        Label(
                            "不与客户的认知进行争辩，求同存异",
                            "don't argue with the customer's views; seek common ground",
                        ),
                        Label(
                            "帮助客户解决项目中的问题，用专业和商务打动客户",
                            "help the customer solve the project's problems; win it with "
                            "expertise and business sense",
                        ),
                        Label("少一些功利，多一分真诚", "less calculation, more sincerity"),
                        Label(
                            "共同去完成一件工作，创造双赢",
                            "complete a piece of work together, for mutual gain",
                        ),
                    ),
                    notes=(
                        Label(
                            "关系阶梯：认识、熟悉、认可、信任、交友、合作。",
                            "The relationship ladder: acquainted, familiar, approving, trusting, "
                            "friends, partners.",
                        ),
                        Label(
                            "项目的进阶本质是你与客户关键人员信任的产生及关系的进阶。",
                            "Advancing a project is, at bottom, building the trust of the "
                            "customer's key people and raising the relationship.",
                        ),
                        Label(
                            "不会维系关系的销售不是好销售。",
                            "A salesperson who cannot keep relationships is not a good "
                            "salesperson.",
                        ),
                        Label(
                            "做销售就是推进客户关系；认可你才能认可你的公司及产品；"
                            "成功是设计出来的；真诚+专业，百战百胜。",
                            "Selling is advancing the relationship; the customer endorses your "
                            "company and products once it endorses you; success is designed; "
                            "sincerity plus expertise wins every time.",
                        ),
                    ),
                ),
                owner=_TEAM,
            ),
            Stage(
                "NEGOTIATION",
                Label("谈判", "negotiation"),
                0.50,
                any_of(
                    CUSTOMER_TEMPLATE, OUR_TEMPLATE, NEGOTIATING, PRICE_OBJECTION, TERMS_DISCUSSED
                ),
                Guidance(
                    description=Label(
                        "与客户进行商务谈判：客户对我们的产品和服务初步认可之后，"
                        "已确认我们是备选的产品提供商之一，并针对合同进行商务沟通。",
                        "Negotiate with the customer: having broadly endorsed our products and "
                        "services, it has confirmed us as one of its candidate suppliers and "
                        "discusses the contract.",
                    ),
                    checklist=(
                        Label(
                            "决定项目的关键人物已经确定",
                            "The key people deciding the project are known.",
                        ),
                        Label(
                            "项目的解决方案得到了客户关键人物的确认",
                            "The customer's key people have confirmed the solution.",
                        ),
                        Label(
                            "项目的启动时间和完成时间已经确认",
                            "The project's start and completion dates are confirmed.",
                        ),
                        Label(
                            "客户已经确定了谈判的方式：通过招标已经确定我们一家入围；"
                            "没有招标，同时确定了二家供应商先后谈判",
                            "The customer has set the negotiation mode: a tender with us as "
                            "the only one shortlisted, or, without a tender, two suppliers "
                            "negotiated one after another.",
                        ),
                    ),
                    practices=(
                        Label("避实就虚", "avoid strength, strike weakness"),
                        Label("以退为进", "retreat to advance"),
                        Label("避免争论", "avoid arguing"),
                        Label("红白脸", "good cop, bad cop"),
                        Label("反客为主", "turn the tables"),
                        Label("最后期限", "deadline"),
                        Label("条件置换", "trade conditions"),
                        Label("少降多送", "cut the price less, give more"),
                        Label("市场策略", "market strategy"),
                        Label(
                            "原则性谈判：对事不对人；注重内在利益；使出双方都受益的解决方法；客观标准",
                            "principled negotiation: the issue, not the person; interests; "
                            "options for mutual gain; objective criteria",
                        ),
                    ),
                    mistakes=(Label("急于求成，动作变形", "rushing for the deal and losing form"),),
                    notes=(
                        Label(
                            "谈判策略分前期、中期、后期使用。",
                            "The tactics are used in the early, middle and late phases of the "
                            "negotiation.",
                        ),
                        Label(
                            "客户方的谈判方法：多轮杀价；知己知彼；多层级博弈；认清身份；越低越好。",
                            "The customer's methods: many rounds of price cuts; know both sides; "
                            "play levels against each other; make sure of each side's standing "
                            "and authority; the lower the "
                            "better.",
                        ),
                        Label(
                            "常见困惑：客户借用对手施压；客户内部谈判决策流程不清晰；"
                            "商务谈判的差距太大；客户内部有分歧。",
                            "Typical troubles: a competitor used as leverage; an unclear "
                            "internal decision process; too large a gap; internal disagreement "
                            "at the customer.",
                        ),
                    ),
                ),
                owner=Label("项目经理、高层", "project manager, executives"),
            ),
            Stage(
                "CLOSED",
                Label("成交", "closed"),
                0.80,
                any_of(SIGNED, FIRST_PAYMENT),
                Guidance(
                    description=Label(
                        "完成销售成交的活动：客户与我们完成合同的签约并按照合同规定支付了相应款项，产品已经发货。",
                        "Complete the sale: the customer has signed the contract with us and "
                        "paid as it stipulates; the product has shipped.",
                    ),
                ),
                owner=Label("项目经理、财务", "project manager, finance"),
            ),
            Stage(
                "REPEAT",
                Label("重复购买", "repeat purchase"),
                guidance=Guidance(
                    description=Label(
                        "成交之后的重复购买：保持体形，补充血液。",
                        "Repeat purchases after the close: keep the funnel in shape and "
                        "replenish it.",
                    ),
                ),
            ),
        ),
        win_gate=any_of(SIGNED, FIRST_PAYMENT),
        description=Label(
            "KA客户开发的销售漏斗；漏斗健康看四点：粗细（容量）、斜率（推进效率）、"
            "均匀（阶段分布）、流速（销售周期）。",
            "The sales funnel of key-account development; its health has four measures: "
            "capacity (volume), slope (advancement efficiency), uniformity (distribution "
            "across stages) and flow speed (sales-cycle length).",
        ),
    )
)
"""The KA sales funnel, registered as ``"funnel"``."""
