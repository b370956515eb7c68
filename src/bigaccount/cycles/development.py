"""The account development process (大客户开发流程): ten steps, three phases, two loops.

Pre-sale (售前) runs from market research to solution planning (steps 1–4), in-sale
(售中) from the business talks through the signed agreement to the execution (steps
5–7), post-sale (售后) is the follow-up, evaluation and account file (steps 8–10). Two
steps must be done before the process moves on — their exit gates: the application
for approval needs the approval (审批同意), and the business talks need to succeed
(洽谈成功). Otherwise the process loops: ``keep_justifying`` returns from the approval
to the needs analysis (继续论证), ``keep_talking`` stays in the business talks (继续洽谈).

>>> import datetime as dt
>>> from bigaccount import Account, Deal, Money, Segment
>>> t = dt.datetime(2026, 3, 2, tzinfo=dt.timezone.utc)
>>> deal = Deal("D-7", Account("Acme", Segment.ENTERPRISE), Money("100", "CNY"))
>>> deal.start("development", at=t).dest
'MARKET_RESEARCH'
>>> deal.jump("development", "APPLY_APPROVAL", at=t).dest
'APPLY_APPROVAL'
>>> [c.id for c in deal.blockers("development")]
['approval_granted']
>>> deal.move("development", "keep_justifying", at=t).dest
'NEEDS_ANALYSIS'
"""

from __future__ import annotations

from ..cycle import Cycle, CycleKind, Guidance, Route, Stage
from ..gates import Criterion, all_of
from ..labels import Label
from ..registry import register_cycle

__all__ = ["APPROVAL_GRANTED", "DEVELOPMENT", "TALKS_SUCCESSFUL"]

APPROVAL_GRANTED = Criterion.fact("approval_granted", "审批同意", "approval granted")
"""APPLY_APPROVAL's exit gate: what lets the process move on to SOLUTION_PLANNING."""
TALKS_SUCCESSFUL = Criterion.fact("talks_successful", "洽谈成功", "talks successful")
"""BUSINESS_TALKS' exit gate: what lets the process move on to AGREEMENT_SIGNED."""

_PRE = Label("售前", "pre-sale")
_IN = Label("售中", "in-sale")
_POST = Label("售后", "post-sale")


def _about(zh: str, en: str) -> Guidance:
    return Guidance(description=Label(zh, en))


DEVELOPMENT = register_cycle(
    Cycle(
        "development",
        Label("大客户开发流程", "account development process"),
        CycleKind.PROCESS,
        (
            Stage(
                "MARKET_RESEARCH",
                Label("市场调查", "market research"),
                guidance=_about(
                    "利用现代市场调查手段收集、整理和分析市场信息，细分目标客户市场，发现市场商机。",
                    "Collect, organise and analyse market information by modern research "
                    "means; segment the target market and find the opportunities.",
                ),
                phase=_PRE,
            ),
            Stage(
                "NEEDS_ANALYSIS",
                Label("需求分析", "needs analysis"),
                guidance=_about(
                    "进行营销背景和商机分析，深入研究大客户的发展趋势、产品特点、业务链等，"
                    "分析大客户多层次、多元化需求，确立营销切入点。",
                    "Analyse the marketing background and the opportunity; study the key "
                    "account's trends, products and business chain; analyse its many-levelled, "
                    "diverse needs and find the entry point.",
                ),
                phase=_PRE,
            ),
            Stage(
                "APPLY_APPROVAL",
                Label("申报立项", "apply for approval"),
                guidance=_about(
                    "遵循项目申报审批制度，实施项目论证和申报，确立项目开发计划。",
                    "Following the project approval rules, justify and submit the project, "
                    "and set its development plan.",
                ),
                phase=_PRE,
                exit=all_of(APPROVAL_GRANTED),
            ),
            Stage(
                "SOLUTION_PLANNING",
                Label("方案策划", "solution planning"),
                guidance=_about(
                    "明确定位，整合资源，组成项目组，为客户设计有吸引力的产品或服务方案。",
                    "Set the positioning, pool resources, form the project team and design "
                    "an attractive product or service offer for the customer.",
                ),
                phase=_PRE,
            ),
            Stage(
                "BUSINESS_TALKS",
                Label("业务洽谈", "business talks"),
                guidance=_about(
                    "持方案或样品与客户就业务产品设计、业务流程、价格、实施时间和财务结算等内容进行洽谈。",
                    "With the proposal or samples, discuss with the customer the product "
                    "design, business process, price, timing and financial settlement.",
                ),
                phase=_IN,
                exit=all_of(TALKS_SUCCESSFUL),
            ),
            Stage(
                "AGREEMENT_SIGNED",
                Label("协议签订", "agreement signed"),
                guidance=_about(
                    "签订正式合同（协议），确立受法律保护的业务合作关系。",
                    "Sign the formal contract (agreement), establishing a legally protected "
                    "business relationship.",
                ),
                phase=_IN,
            ),
            Stage(
                "EXECUTION",
                Label("方案执行", "execution"),
                guidance=_about(
                    "组织相关专业和部门，按照合同（协议）要求，履行规定的服务内容、标准和质量等。",
                    "Organise the specialists and departments concerned to deliver the "
                    "service content, standards and quality the contract requires.",
                ),
                phase=_IN,
            ),
            Stage(
                "FOLLOW_UP",
                Label("跟踪反馈", "follow-up and feedback"),
                guidance=_about(
                    "跟踪合同（协议）执行情况，解决相关问题，及时进行客户回访，反馈服务效果。",
                    "Track how the contract is carried out, solve the problems, revisit the "
                    "customer promptly and report on the service.",
                ),
                phase=_POST,
            ),
            Stage(
                "EVALUATION",
                Label("效果评估", "evaluation"),
                guidance=_about(
                    "就项目运行效益、运作经验、存在问题、深度开发建议等编制项目评估报告书。",
                    "Write the project evaluation report: results, lessons, open problems "
                    "and proposals for deeper development.",
                ),
                phase=_POST,
            ),
            Stage(
                "ACCOUNT_FILE",
                Label("建立档案", "account file"),
                guidance=_about(
                    "落实客户经理负责制，建立健全大客户档案，巩固合作关系。",
                    "Put the account manager in charge, build a complete key-account file "
                    "and consolidate the relationship.",
                ),
                phase=_POST,
            ),
        ),
        routes=(
            Route(
                "keep_justifying",
                "APPLY_APPROVAL",
                "NEEDS_ANALYSIS",
                Label("未获审批：继续论证", "approval refused: keep justifying"),
            ),
            Route(
                "keep_talking",
                "BUSINESS_TALKS",
                "BUSINESS_TALKS",
                Label("洽谈未成功：继续洽谈", "talks not yet successful: keep talking"),
            ),
        ),
        allow_regress=False,
        description=Label(
            "大客户开发的十个步骤，分售前、售中、售后三个阶段，含两个循环：继续论证与继续洽谈。",
            "The ten steps of developing a key account in three phases (pre-sale, in-sale, "
            "post-sale), with two loops: keep justifying and keep talking.",
        ),
    )
)
"""The account development process, registered as ``"development"``."""
