"""The method's guidance catalogues as bilingual data, and the stages where they apply.

Each :class:`Catalogue` is a list of bilingual entries (optionally in groups, e.g. the
negotiation tactics by phase) taken from the sources: the negotiation tactics,
principles and pitfalls, the needs iceberg and the four question types, CRASIS, the
presentation checklist, the four elements of communication, where to find customer
information and what to collect. :func:`catalogues_for` says which catalogues a CRM
should show at a stage of a built-in cycle.

>>> from bigaccount.catalogues import catalogues_for, get_catalogue
>>> [c.id for c in catalogues_for("funnel", "NEGOTIATION")][:2]
['negotiation_preconditions', 'negotiation_tactics']
>>> tactics = get_catalogue("negotiation_tactics")
>>> [e.label.zh for e in tactics.in_group("early")]
['避实就虚', '以退为进', '避免争论']
>>> get_catalogue("question_types").entry("implication").label.en
'implication question'
"""

from __future__ import annotations

from collections.abc import Iterable

from attrs import field, frozen

from .errors import InvalidData, UnknownName
from .labels import Label
from .registry import get_cycle

__all__ = [
    "ATTACHMENTS",
    "CATALOGUES",
    "Catalogue",
    "Entry",
    "Group",
    "catalogue_ids",
    "catalogues_for",
    "get_catalogue",
    "stages_for",
]


def _labels(value: Iterable[Label]) -> tuple[Label, ...]:
    return tuple(value)


@frozen
class Entry:
    """One item of a catalogue: a key, its bilingual label, details and its group."""

    key: str
    label: Label
    details: tuple[Label, ...] = field(default=(), converter=_labels)
    group: str | None = None


@frozen
class Group:
    """A group of entries within a catalogue (a phase, a part of a checklist, …)."""

    key: str
    label: Label


def _entries(value: Iterable[Entry]) -> tuple[Entry, ...]:
    return tuple(value)


def _groups(value: Iterable[Group]) -> tuple[Group, ...]:
    return tuple(value)


@frozen
class Catalogue:
    """A catalogue of guidance.

    Args:
        id: a stable identifier.
        title: the catalogue's bilingual title.
        entries: its items, in the source's order.
        groups: the groups entries may belong to, in order.
        source: which source it comes from.
        note: a remark on the catalogue (e.g. what was inferred where the source is unclear).
        inferred: ``True`` when part of the catalogue (e.g. its grouping) is inferred
            rather than read from the source.
    """

    id: str
    title: Label
    entries: tuple[Entry, ...] = field(converter=_entries)
    groups: tuple[Group, ...] = field(default=(), converter=_groups)
    source: str = ""
    note: Label | None = None
    inferred: bool = False

    def __attrs_post_init__(self) -> None:
        keys = [e.key for e in self.entries]
        twice = sorted({k for k in keys if keys.count(k) > 1})
        if twice:
            raise InvalidData(f"catalogue[{self.id!r}].entries", f"keys used twice: {twice}")
        groups = {g.key for g in self.groups}
        for entry in self.entries:
            if entry.group is not None and entry.group not in groups:
                raise InvalidData(
                    f"catalogue[{self.id!r}].entries[{entry.key!r}].group",
                    f"no group {entry.group!r} is declared",
                )

    def entry(self, key: str) -> Entry:
        """The entry with *key*."""
        for entry in self.entries:
            if entry.key == key:
                return entry
        raise UnknownName("entry", key, [e.key for e in self.entries])

    def in_group(self, key: str) -> tuple[Entry, ...]:
        """The entries of group *key*, in order."""
        if key not in {g.key for g in self.groups}:
            raise UnknownName("group", key, [g.key for g in self.groups])
        return tuple(e for e in self.entries if e.group == key)


def _e(key: str, zh: str, en: str, *details: tuple[str, str], group: str | None = None) -> Entry:
    return Entry(key, Label(zh, en), tuple(Label(z, e) for z, e in details), group)


# -- negotiation (source 004) ----------------------------------------------------------

NEGOTIATION_TACTICS = Catalogue(
    "negotiation_tactics",
    Label("谈判常用策略", "negotiation tactics"),
    (
        _e(
            "avoid_strength",
            "避实就虚",
            "avoid their strength, strike their weakness",
            group="early",
        ),
        _e("retreat_to_advance", "以退为进", "retreat to advance", group="early"),
        _e("avoid_arguing", "避免争论", "avoid arguing", group="early"),
        _e("good_cop_bad_cop", "红白脸", "good cop, bad cop", group="middle"),
        _e("turn_the_tables", "反客为主", "turn the tables", group="middle"),
        _e("deadline", "最后期限", "deadline", group="middle"),
        _e("trade_conditions", "条件置换", "trade conditions", group="late"),
        _e("cut_less_give_more", "少降多送", "cut the price less, give more", group="late"),
        _e("market_strategy", "市场策略", "market strategy", group="late"),
    ),
    (
        Group("early", Label("谈判前期", "early phase")),
        Group("middle", Label("谈判中期", "middle phase")),
        Group("late", Label("谈判后期", "late phase")),
    ),
    source="source 004",
    note=Label(
        "来源只说明策略用于谈判前期、中期、后期；按其编号顺序每期分三项为推断",
        "the source says the tactics serve the early, middle and late phases; splitting"
        " them three per phase in its numbered order is inferred",
    ),
    inferred=True,
)

NEGOTIATION_PRINCIPLES = Catalogue(
    "negotiation_principles",
    Label("原则性谈判的要求", "principled negotiation"),
    (
        _e("issues_not_people", "对事不对人", "separate the issues from the people"),
        _e("interests", "注重内在利益", "focus on underlying interests"),
        _e("mutual_gain", "使出双方都受益的解决方法", "invent options for mutual gain"),
        _e("objective_criteria", "客观标准", "insist on objective criteria"),
    ),
    source="source 004",
)

CUSTOMER_NEGOTIATION_METHODS = Catalogue(
    "customer_negotiation_methods",
    Label("客户方的谈判方法和原则", "the customer's negotiation methods"),
    (
        _e("price_rounds", "多轮杀价", "many rounds of price cuts"),
        _e("know_both_sides", "知己知彼", "knows both sides"),
        _e("levels", "多层级博弈", "plays its levels against each other"),
        _e(
            "identities",
            "认清身份",
            "make sure of each side's standing and authority: who on our side can really concede",
        ),
        _e("lower_better", "越低越好", "the lower the better"),
    ),
    source="source 004",
)

NEGOTIATION_TROUBLES = Catalogue(
    "negotiation_troubles",
    Label("商务谈判的困惑", "typical troubles in negotiation"),
    (
        _e("competitor_leverage", "客户借用对手施压", "the customer uses a competitor as leverage"),
        _e(
            "unclear_process",
            "客户内部谈判决策流程不清晰",
            "the customer's internal decision process is unclear",
        ),
        _e("gap_too_large", "商务谈判的差距太大", "the gap between the parties is too large"),
        _e("rushing", "急于求成，动作变形", "rushing, and losing form"),
        _e("internal_disagreement", "客户内部有分歧", "the customer disagrees internally"),
    ),
    source="source 004",
)

NEGOTIATION_PRECONDITIONS = Catalogue(
    "negotiation_preconditions",
    Label("进入商务谈判阶段的前提", "before commercial negotiation"),
    (
        _e("key_people_known", "决定项目的关键人物已经确定", "the key decision people are known"),
        _e(
            "solution_confirmed",
            "项目的解决方案得到了客户关键人物的确认",
            "the customer's key people confirmed the solution",
        ),
        _e(
            "dates_confirmed",
            "项目的启动时间和完成时间已经确认",
            "start and completion dates are confirmed",
        ),
        _e(
            "mode_set",
            "客户已经确定了谈判的方式",
            "the customer has set the negotiation mode",
            (
                "通过招标已经确定我们一家入围",
                "a tender with us as the only one shortlisted",
            ),
            (
                "没有招标，同时确定了二家供应商先后谈判",
                "no tender: two suppliers negotiated one after another",
            ),
        ),
    ),
    source="source 004",
)

# -- needs and questions (source 004) --------------------------------------------------

NEEDS_ICEBERG = Catalogue(
    "needs_iceberg",
    Label("需求冰山", "needs iceberg"),
    (
        _e(
            "organisational",
            "组织体系（运营需求）",
            "organisational / operational needs",
            (
                "基于业务目标或明确的项目规划提出的建设计划、政策方向等",
                "plans and policy directions drawn from business goals or a project plan",
            ),
            group="explicit",
        ),
        _e(
            "user",
            "用户需求",
            "user needs",
            (
                "用户的目标，或用户要求系统必须能完成的任务",
                "the users' goals, or the tasks the system must do for them",
            ),
            group="explicit",
        ),
        _e(
            "functional",
            "功能需求",
            "functional needs",
            (
                "在产品中必须实现的功能，用户利用这些功能来完成任务，满足业务需求",
                "the functions the product must provide for users to do their tasks",
            ),
            group="explicit",
        ),
        _e(
            "system",
            "系统需求",
            "system needs",
            (
                "描述包含多个子系统的产品（即系统）的顶级需求",
                "the top-level needs of a product made of several subsystems",
            ),
            group="explicit",
        ),
        _e(
            "career",
            "政绩需求",
            "career needs",
            ("与客户仕途和地位相关的需求", "needs tied to the person's career and standing"),
            ("工作保障", "job security"),
            ("被他人尊重", "respect from others"),
            ("自我实现", "self-realisation"),
            ("职位竞争", "competition for promotion"),
            group="implicit",
        ),
        _e(
            "business",
            "业务需求",
            "business needs",
            ("与客户业务直接相关的潜在问题", "latent problems of the customer's business"),
            ("收入增长", "revenue growth"),
            ("效率提高", "higher efficiency"),
            ("成本下降", "lower cost"),
            group="implicit",
        ),
        _e(
            "management",
            "管理需求",
            "management needs",
            ("组织或客户高层次的目标", "the organisation's or top management's goals"),
            ("组织战略", "strategy"),
            ("组织发展", "growth"),
            ("组织变革", "change"),
            ("竞争驱动", "competitive pressure"),
            group="implicit",
        ),
    ),
    (
        Group("explicit", Label("显性需求（冰山露出的1/8）", "explicit needs (the visible 1/8)")),
        Group("implicit", Label("隐性需求", "implicit needs")),
    ),
    source="source 004",
)

QUESTION_TYPES = Catalogue(
    "question_types",
    Label("需求沟通常用的问题句型", "question types for uncovering needs"),
    (
        _e(
            "situational",
            "情景型问题",
            "situational question",
            ("你对……感觉怎么样？", "How do you feel about …?"),
            ("你感觉……好在哪里？", "What do you find good about …?"),
            ("你为什么会选择……？", "Why did you choose …?"),
            ("你是如何使用……的？", "How do you use …?"),
        ),
        _e(
            "diagnostic",
            "诊断型问题",
            "diagnostic question",
            ("你有……困难吗？", "Do you have difficulties with …?"),
            ("你有……不满意的地方吗？", "What about … does not satisfy you?"),
            ("你感觉……有问题吗？", "Do you feel … has problems?"),
            ("这些不满意中，你最不满意的是哪一个？", "Of these, which dissatisfies you most?"),
        ),
        _e(
            "implication",
            "启发型问题",
            "implication question",
            ("因为这个问题，对你又会产生什么影响？", "What effect does this problem have on you?"),
            ("因为这个影响，又会产生什么严重后果？", "What serious consequences follow from it?"),
            (
                "这个后果得不到及时处理，对你的生意意味着什么？",
                "If it is not dealt with in time, what does it mean for your business?",
            ),
            (
                "总结一下，因为这个问题，导致……的严重后果，是这样吗？",
                "To sum up: this problem leads to …, is that right?",
            ),
        ),
        _e(
            "confirmation",
            "确认型问题",
            "confirmation question",
            ("……有帮助吗？", "Would … help?"),
            ("……有什么好处？", "What would … gain you?"),
            ("还有什么好处？", "What other benefits are there?"),
            (
                "总结一下，解决这个问题的好处是……，是这样吗？",
                "To sum up, solving this problem brings …, is that right?",
            ),
        ),
    ),
    source="source 004",
)

DIFFERENTIATION = Catalogue(
    "differentiation",
    Label("差异化", "differentiation"),
    (
        _e(
            "product",
            "产品差异化",
            "product differentiation",
            ("产品特征及产品创造的价值", "the product's features and the value it creates"),
        ),
        _e(
            "service",
            "服务差异化",
            "service differentiation",
            ("服务的不同", "a different service"),
        ),
        _e(
            "image",
            "形象差异化",
            "image differentiation",
            (
                "我们给客户展示的不同形象：穿着、销售流程、讲解方式、销售工具等",
                "the image we show: dress, selling process, way of presenting, selling tools",
            ),
        ),
    ),
    source="source 004",
)

# -- source 000 --------------------------------------------------------------------------

CRASIS = Catalogue(
    "crasis",
    Label("CRASIS（融合）体系方法论", "the CRASIS method"),
    (
        _e(
            "contact",
            "C：客户开发与接触",
            "C: contact — account development and first contact",
            (
                "行业研究、企业研究、沟通术语",
                "industry research, company research, the terms to use",
            ),
        ),
        _e(
            "requirement",
            "R：客户需求分析",
            "R: requirement — needs analysis",
            ("数据化分析模板和分析工具", "data-driven analysis templates and tools"),
        ),
        _e(
            "application",
            "A：行业方案/信息化产品制订",
            "A: application — industry solution and product design",
            ("工作流程控制与资源整合", "workflow control and resource integration"),
        ),
        _e(
            "suggest",
            "S：提案和实施建议",
            "S: suggest — proposal and implementation advice",
            ("销售术语与应对脚本", "selling language and response scripts"),
        ),
        _e(
            "implement",
            "I：应用实施与推广",
            "I: implement — implementation and roll-out",
            ("过程监控、客户和客户教育", "process monitoring, customer education"),
        ),
        _e(
            "service",
            "S：售后服务与关系维系",
            "S: service — after-sales service and keeping the relationship",
            ("跟踪、监控与过程调整", "follow-up, monitoring and adjustment"),
        ),
    ),
    source="source 000",
)

PRESENTATION_CHECKLIST = Catalogue(
    "presentation_checklist",
    Label("准备产品推介会/提案会", "presentation checklist"),
    (
        _e("know_information", "掌握信息", "master the information", group="before"),
        _e("careful_design", "细致设计", "design it carefully", group="before"),
        _e("think_it_through", "考虑全面", "think everything through", group="before"),
        _e("foresee_difficulties", "作出困难预估", "foresee the difficulties", group="before"),
        _e("response_scripts", "设计应对脚本", "write response scripts", group="before"),
        _e("borrow_resources", "借用可用资源", "borrow the resources available", group="before"),
        _e("know_attendees", "认识参与客户", "get to know the attendees", group="on_site"),
        _e("key_people", "判断关键人物", "identify the key people", group="on_site"),
        _e("rapport", "建立亲和力", "build rapport", group="on_site"),
        _e("check_items", "对照检核项目表", "go through the check-list", group="on_site"),
        _e("retest_equipment", "设备再测试", "test the equipment again", group="on_site"),
        _e("order_thoughts", "思路梳理", "put your thoughts in order", group="on_site"),
        _e("stay_confident", "保持自信", "stay confident", group="on_site"),
        _e("professional_image", "建立专业形象", "look professional", group="on_site"),
        _e("key_benefits", "关键利益提示", "point out the key benefits", group="during"),
        _e(
            "amplify_benefits",
            "放大益处缩小异议",
            "amplify the benefits, shrink the objections",
            group="during",
        ),
        _e("use_scripts", "应对脚本使用", "use the response scripts", group="during"),
        _e(
            "solve_together",
            "与客户共同解决关键问题",
            "solve the key problems together with the customer",
            group="during",
        ),
        _e("review", "过程总结和检讨", "review how it went", group="after"),
        _e("stage_summary", "项目阶段性总结", "summarise the project stage", group="after"),
        _e(
            "follow_up",
            "后续跟进与订单推动",
            "follow up and push toward the order",
            group="after",
        ),
    ),
    (
        Group("before", Label("初期准备工作", "preparation")),
        Group("on_site", Label("现场准备工作", "on site")),
        Group("during", Label("推介/提案过程", "during the presentation")),
        Group("after", Label("结束后的总结和跟进工作", "afterwards: review and follow-up")),
    ),
    source="source 000",
    note=Label(
        "来源为四栏表格，条目归属依其版面顺序读出",
        "the source is a four-column table; each item's column is read from its layout",
    ),
)

COMMUNICATION = Catalogue(
    "communication_elements",
    Label("沟通的四要素", "the four elements of communication"),
    (
        _e("say", "说", "say"),
        _e("listen", "听", "listen"),
        _e("see", "看", "see"),
        _e("ask", "问", "ask"),
    ),
    source="source 000",
    note=Label("沟通的“中医”体系", "communication as a doctor's examination"),
)

INFORMATION_SOURCES = Catalogue(
    "information_sources",
    Label("如何搜集客户信息", "where to find customer information"),
    (
        _e(
            "public",
            "客户公开资料",
            "public information",
            ("客户企业的年度报告", "the customer's annual reports"),
            (
                "广告、宣传册、产品介绍、POP、技术刊物、产品目录、商业新闻报道",
                "ads, brochures, product sheets, POP, technical journals, catalogues, news",
            ),
            (
                "网站：搜索引擎、财经网站、行业网站、企业网站、APP",
                "the web: search engines, finance, industry and company sites, apps",
            ),
        ),
        _e(
            "internal",
            "客户内部资料",
            "the customer's own people",
            (
                "行政管理人员、经理主管人员（含退休）、项目经理、工程师、技术人员等",
                "administrators, managers (retired ones too), project managers, engineers,"
                " technicians and others in contact with the company",
            ),
        ),
        _e(
            "business",
            "与客户有业务往来的人员",
            "people in business with the customer",
            ("供应商、客户、协作单位", "its suppliers, customers and partners"),
        ),
        _e("influencers", "对客户有影响的人员", "people with influence on the customer"),
    ),
    source="source 000",
)

# -- source 002 --------------------------------------------------------------------------

INFORMATION_CATEGORIES = Catalogue(
    "information_categories",
    Label("大客户资料的收集", "customer information to collect"),
    (
        _e(
            "background",
            "客户背景资料",
            "customer background",
            ("客户组织机构", "organisation"),
            ("各种形式的通讯方式", "how to reach them"),
            ("使用部门、采购部门、支持部门", "user, purchasing and support departments"),
            ("使用维护人员、管理层和高层", "users and maintainers, management, top level"),
            ("同类产品安装和使用情况", "similar products installed and in use"),
            ("客户的业务情况", "the customer's business"),
            ("客户所在行业的基本状况", "the state of its industry"),
        ),
        _e(
            "competitors",
            "竞争对手的资料",
            "competitors",
            ("产品使用情况", "how their products are used"),
            ("客户对其产品的满意度", "the customer's satisfaction with them"),
            ("竞争对手销售代表的名字、销售的特点", "their sales reps' names and style"),
            ("该销售代表与客户的关系", "the reps' relationships with the customer"),
        ),
        _e(
            "project",
            "项目的资料",
            "the project",
            ("客户最近的采购计划", "the customer's recent purchase plans"),
            ("通过这个项目要解决什么问题", "the problem the project should solve"),
            ("决策人和影响者", "decision-makers and influencers"),
            ("采购时间表", "the purchase timetable"),
            ("采购预算", "the budget"),
            ("采购流程", "the purchase process"),
        ),
        _e(
            "personal",
            "客户的个人资料",
            "personal information",
            ("家庭状况和家乡", "family and hometown"),
            ("毕业的大学", "university"),
            ("喜欢的运动", "sports"),
            ("喜欢的餐厅和食物", "restaurants and food"),
            ("宠物", "pets"),
            ("喜欢阅读的书籍", "books"),
            ("上次度假的地点和下次休假的计划", "last holiday and next holiday plans"),
            ("行程", "itinerary"),
            ("在机构中的作用", "role in the organisation"),
            ("同事之间的关系", "relations with colleagues"),
            ("今年的工作目标", "this year's goals"),
            ("个人发展计划和志向", "personal plans and ambitions"),
        ),
    ),
    source="source 002",
    note=Label(
        "个人资料属于个人数据，应按个人数据保存",
        "personal information is personal data: store it as such",
    ),
)

# -- sources 001 and 003 -----------------------------------------------------------------

KEY_ACCOUNT_PRINCIPLES = Catalogue(
    "key_account_principles",
    Label("大客户销售的四大原则", "four principles of key-account selling"),
    (
        _e(
            "process",
            "控制过程比控制结果更重要",
            "controlling the process beats controlling the result",
        ),
        _e(
            "say_do_show",
            "该说的要说到，该做的要做到，做到的要见到",
            "say what must be said, do what must be done, show what was done",
        ),
        _e(
            "prevention",
            "预防性的事前管理重于问题性的事后管理",
            "prevention before the fact beats repair after it",
        ),
        _e(
            "procedure",
            "程序化是让平凡人做出不平凡业绩的最有效手段",
            "procedure lets ordinary people achieve extraordinary results",
        ),
    ),
    source="source 001",
)

SELLING_BASICS = Catalogue(
    "selling_basics",
    Label("大客户销售之基本", "basics of key-account selling"),
    (
        _e("inquire", "询问", "inquire, not just ask", group="skills"),
        _e("listen", "聆听", "listen, not just hear", group="skills"),
        _e(
            "verify",
            "确认客户需求（用自己的语言）",
            "verify the needs in your own words",
            group="skills",
        ),
        _e(
            "attitude",
            "诚实、尊重、谦虚、专业、严谨、守时、守信",
            "honest, respectful, humble, professional, rigorous, punctual, reliable",
            group="attitude",
        ),
        _e("over_promise", "大包大揽、说到做不到", "over-promising", group="taboos"),
        _e("attack_competitors", "直接攻击竞争对手", "attacking competitors", group="taboos"),
        _e(
            "internal_conflicts",
            "直接介入客户内部矛盾、评价客户",
            "entering the customer's internal conflicts, judging the customer",
            group="taboos",
        ),
        _e(
            "leave_credit",
            "把“聪明”与“正确”留给客户",
            "let the customer be the clever one and the one who is right",
            group="techniques",
        ),
        _e(
            "personal_care",
            "个性化、个人化的关心",
            "personal, individual attention",
            group="techniques",
        ),
        _e(
            "clear_objective",
            "每一次接触客户预先设立明确的目标",
            "set a clear objective before every contact",
            group="techniques",
        ),
    ),
    (
        Group("skills", Label("基本技能", "skills")),
        Group("attitude", Label("基本态度", "attitude")),
        Group("taboos", Label("基本禁忌", "taboos")),
        Group("techniques", Label("基本技巧", "techniques")),
    ),
    source="source 003",
)

PLAN_OBJECTIVES = Catalogue(
    "plan_objectives",
    Label("大客户规划的目的", "objectives of account planning"),
    (
        _e("target_share", "达成销售指标，提高市场份额", "achieve target, grow share"),
        _e("understand", "深入理解关键客户", "better understand our key customers"),
        _e("balanced_growth", "为保持平衡增长制定战略", "strategy for balanced growth"),
        _e("opportunities", "确认机会并规划资源", "identify opportunities, plan resources"),
        _e("coverage", "规划全层次关系覆盖", "coverage planning at all levels"),
        _e("value", "定义公司价值", "define our value proposition"),
        _e("competition", "了解并打败竞争对手", "know our competition and beat them"),
        _e("communication", "高效的团队沟通", "effective team communication"),
        _e("relationships", "客户关系的保持和延续", "keep relationships going"),
    ),
    source="source 003",
)

CATALOGUES: dict[str, Catalogue] = {
    c.id: c
    for c in (
        NEGOTIATION_PRECONDITIONS,
        NEGOTIATION_TACTICS,
        NEGOTIATION_PRINCIPLES,
        CUSTOMER_NEGOTIATION_METHODS,
        NEGOTIATION_TROUBLES,
        NEEDS_ICEBERG,
        QUESTION_TYPES,
        DIFFERENTIATION,
        CRASIS,
        PRESENTATION_CHECKLIST,
        COMMUNICATION,
        INFORMATION_SOURCES,
        INFORMATION_CATEGORIES,
        KEY_ACCOUNT_PRINCIPLES,
        SELLING_BASICS,
        PLAN_OBJECTIVES,
    )
}
"""Every catalogue by id."""

# -- where they apply ----------------------------------------------------------------

_NEGOTIATION = (
    "negotiation_preconditions",
    "negotiation_tactics",
    "negotiation_principles",
    "customer_negotiation_methods",
    "negotiation_troubles",
)
_FIND = ("information_sources", "information_categories")
_NEEDS = ("needs_iceberg", "question_types")
_PRESENT = ("presentation_checklist", "differentiation")

ATTACHMENTS: dict[str, dict[str, tuple[str, ...]]] = {
    "decision": {
        "SATISFACTION": (*_FIND, "communication_elements", "question_types"),
        "RECOGNITION": _NEEDS,
        "DECISION": _NEEDS,
        "STANDARD_SETTING": (*_NEEDS, "differentiation"),
        "ASSESSMENT": _PRESENT,
        "INVESTIGATION": _PRESENT,
        "CHOICE": _NEGOTIATION,
        "REASSESSMENT": ("communication_elements", "crasis"),
    },
    "activity": {
        "RESEARCH": (*_FIND, "selling_basics", "communication_elements", "question_types"),
        "ANALYSIS": (*_NEEDS, "communication_elements"),
        "CONFIRMATION": _NEEDS,
        "PURSUIT": (*_NEEDS, *_PRESENT),
        "REFINEMENT": ("needs_iceberg", "differentiation"),
        "SOLUTION": (*_PRESENT, "crasis"),
        "CLOSING": _NEGOTIATION,
        "MAINTENANCE": ("crasis", "communication_elements"),
    },
    "advancement": {
        "P0": (*_FIND, "key_account_principles", "plan_objectives", "crasis"),
        "P1": ("information_categories", *_NEEDS),
        "P2": ("information_categories", *_NEEDS),
        "P3": (*_PRESENT, "communication_elements"),
        "P4": ("needs_iceberg", *_PRESENT),
        "P5": ("negotiation_preconditions", "differentiation"),
        "P6": _NEGOTIATION,
        "P7": ("crasis", "communication_elements"),
    },
    "funnel": {
        "TARGET": (*_FIND, "selling_basics", "communication_elements"),
        "INTENT": _NEEDS,
        "APPROVED": ("information_categories", *_NEEDS),
        "ENDORSED": _PRESENT,
        "NEGOTIATION": _NEGOTIATION,
        "CLOSED": ("crasis",),
        "REPEAT": ("crasis", "communication_elements"),
    },
    "development": {
        "MARKET_RESEARCH": _FIND,
        "NEEDS_ANALYSIS": _NEEDS,
        "APPLY_APPROVAL": ("information_categories", "plan_objectives"),
        "SOLUTION_PLANNING": (*_PRESENT, "crasis"),
        "BUSINESS_TALKS": _NEGOTIATION,
        "AGREEMENT_SIGNED": ("communication_elements",),
        "EXECUTION": ("crasis",),
        "FOLLOW_UP": ("crasis", "communication_elements"),
        "EVALUATION": ("key_account_principles",),
        "ACCOUNT_FILE": ("information_categories", "plan_objectives"),
    },
}
"""Which catalogues apply at each stage of the built-in cycles (cycle → stage → ids)."""


def catalogue_ids() -> tuple[str, ...]:
    """The ids of every catalogue, in declaration order."""
    return tuple(CATALOGUES)


def get_catalogue(id: str) -> Catalogue:
    """The catalogue *id*.

    Raises:
        UnknownName: no catalogue has that id.
    """
    found = CATALOGUES.get(id)
    if found is None:
        raise UnknownName("catalogue", id, tuple(CATALOGUES))
    return found


def catalogues_for(cycle_name: str, stage_id: str) -> tuple[Catalogue, ...]:
    """The catalogues that apply at stage *stage_id* of the built-in cycle *cycle_name*.

    A cycle without attachments (e.g. one of your own) has none: the result is empty.

    Raises:
        UnknownName: *cycle_name* is a built-in cycle that has no stage *stage_id*.

    >>> from bigaccount.catalogues import catalogues_for
    >>> [c.title.en for c in catalogues_for("activity", "ANALYSIS")]
    ['needs iceberg', 'question types for uncovering needs', 'the four elements of communication']
    """
    attached = ATTACHMENTS.get(cycle_name)
    if attached is None:
        return ()
    stages = [s.id for s in get_cycle(cycle_name).stages]
    if stage_id not in stages:
        raise UnknownName("stage", stage_id, stages)
    return tuple(CATALOGUES[i] for i in attached.get(stage_id, ()))


def stages_for(catalogue_id: str) -> tuple[tuple[str, str], ...]:
    """Every ``(cycle, stage)`` where catalogue *catalogue_id* applies, in cycle order."""
    get_catalogue(catalogue_id)
    return tuple(
        (cycle, stage)
        for cycle, stages in ATTACHMENTS.items()
        for stage in (s.id for s in get_cycle(cycle).stages)
        if catalogue_id in stages.get(stage, ())
    )
