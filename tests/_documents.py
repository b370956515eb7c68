"""One realistic value of every document type, shared by the document and fuzz tests.

The values are built here by hand, through the public constructors and scoring
functions; the committed sample documents under ``tests/data/documents/`` were written
from them (see its README).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from types import MappingProxyType
from typing import Any

from bigaccount import (
    Account,
    AccountPlan,
    AccountProfile,
    BuyingCenter,
    Competitor,
    CustomerSignals,
    Deal,
    Fact,
    FactChange,
    FactorRatings,
    FiveForces,
    Force,
    ForceRating,
    Influence,
    Label,
    Money,
    Move,
    PersonalProfile,
    Quadrant,
    RelationshipThresholds,
    Rung,
    SalesBehaviours,
    Segment,
    Snapshot,
    StageChange,
    Stakeholder,
    Swot,
    SwotFactor,
    TowsLink,
    assess_readiness,
    assess_salesperson,
    classify_customer,
    fishnet,
    get_cycle,
    plan_completeness,
    relationship_scores,
    score_forces,
    score_swot,
    strategy_cost,
)
from bigaccount.catalogues import get_catalogue
from bigaccount.money import currency_info
from bigaccount.plan import (
    AccountStrategies,
    CompetitorMove,
    CoverageItem,
    FinancialYear,
    HistoryEvent,
    InstalledBase,
    KeyAction,
    OrgPosition,
    RoadmapStep,
    SupplierShare,
    ValueProposition,
)
from bigaccount.scoring.readiness import Reach, SellingAction, SellingForce
from bigaccount.scoring.relationship import DecayPolicy, LevelWeights
from bigaccount.scoring.swot import RatingScale

CST = dt.timezone(dt.timedelta(hours=8))
T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=CST)
STEP = dt.timedelta(days=3)


def people() -> BuyingCenter:
    """A buying centre of three: a decision-maker, a finance influencer and the CIO."""
    return BuyingCenter(
        (
            Stakeholder(
                "ceo",
                "周总",
                "decision",
                "other",
                "decision_maker",
                "supporter",
                "familiar",
                5.0,
                title="总经理",
                last_contact=dt.date(2026, 2, 20),
                profile=PersonalProfile(hometown="绍兴", sports=("网球",)),
            ),
            Stakeholder(
                "cfo",
                "吴总监",
                "decision",
                "finance",
                "influencer",
                "neutral",
                "acquainted",
                3.0,
                "ceo",
                title="财务总监",
            ),
            Stakeholder(
                "cio",
                "郑经理",
                "management",
                "technical",
                "gatekeeper",
                "supporter",
                "approving",
                3.0,
                "ceo",
                title="信息部经理",
            ),
        ),
        (Influence("cio", "cfo"),),
    )


def competitor() -> Competitor:
    """The incumbent, with its installed base and its latest move."""
    return Competitor(
        "西门子",
        strengths=("品牌", "海外案例"),
        weaknesses=("价格高",),
        installed_base=(InstalledBase("PLC", 40, Money("800000", "CNY")),),
        latest_moves=(CompetitorMove("降价10%", dt.date(2026, 2, 1)),),
        satisfaction=0.6,
        share=0.3,
    )


def deal() -> Deal:
    """A realistic deal: three stakeholders, eight events, a competitor."""
    d = Deal(
        "KA-2026-017",
        Account("江南智造集团", Segment.ENTERPRISE, industry="制造", id="ACC-88"),
        Money("2400000.00", "CNY"),
        expected_close=dt.date(2026, 9, 30),
        owner="李娜",
        people=people(),
        competitors=(competitor(),),
    )
    d.establish("materials_sent", "first_contact", at=T0, actor="李娜", source="crm")
    d.record("budget", Money("2500000", "CNY"), at=T0 + STEP, source="visit report")
    d.start("funnel", at=T0 + STEP, actor="李娜")
    d.establish("visited", "evaluating", at=T0 + 2 * STEP, actor="李娜")
    d.advance("funnel", at=T0 + 2 * STEP, actor="李娜")
    d.record("decision_date", dt.date(2026, 6, 30), at=T0 + 3 * STEP)
    return d


def plan() -> AccountPlan:
    """An account plan with something in every section."""
    profile = AccountProfile(
        industry="制造",
        ceo_goals=("三年内产能翻番",),
        financials=(
            FinancialYear(2025, Money("1200000000", "CNY"), Money("90000000", "CNY"), 0.12),
        ),
        organisation_chart=(OrgPosition("CIO", "郑经理", "CEO"),),
        history=(HistoryEvent("首次合作", dt.date(2021, 5, 1)),),
        decision_system="总经理办公会",
        it_budget=Money("30000000", "CNY"),
        suppliers=(SupplierShare("西门子", 0.5),),
        our_share=0.2,
        our_installed_base=(InstalledBase("MES", 1, Money("3000000", "CNY")),),
        satisfaction_with_us=0.7,
    )
    return AccountPlan(
        "江南智造集团",
        period="2026",
        profile=profile,
        strategies=AccountStrategies(
            ("数字化工厂",), ("以MES带动ERP",), (CoverageItem("郑经理", "MES升级", ("技术交流",)),)
        ),
        value_proposition=ValueProposition(
            ("降低停机",), roadmap=(RoadmapStep("试点产线", dt.date(2026, 6, 1)),)
        ),
        competitors=(competitor(),),
        how_we_win=("本地服务",),
        key_actions=(KeyAction("高层拜访", "李娜", dt.date(2026, 4, 15), ("售前支持",)),),
        support_requirements=("方案专家",),
    )


def swot() -> Swot:
    """A SWOT of one factor per quadrant and two TOWS links."""
    factors = (
        SwotFactor("s1", Quadrant.STRENGTH, "行业案例", 1.0, 4),
        SwotFactor("w1", Quadrant.WEAKNESS, "本地团队小", 1.0, 3),
        SwotFactor("o1", Quadrant.OPPORTUNITY, "预算已批", 1.0, 4, "二期"),
        SwotFactor("t1", Quadrant.THREAT, "现有供应商", 1.0, 4),
    )
    return Swot(
        factors, (TowsLink("s1", "o1", "以案例促签约"), TowsLink("w1", "t1")), project="MES"
    )


def forces() -> FiveForces:
    """The five forces of the customer's industry."""
    return FiveForces(
        tuple(ForceRating(force, 3.0 + i % 2) for i, force in enumerate(Force)), industry="制造"
    )


def actions() -> tuple[SellingAction, ...]:
    """Two selling actions of a strategy."""
    return (
        SellingAction(
            "技术交流",
            SellingForce.UNCOVER_NEEDS,
            Money("20000", "CNY"),
            6.0,
            (Reach("郑经理", "management", "technical"),),
        ),
        SellingAction(
            "高层拜访",
            SellingForce.BUILD_TRUST,
            Money("50000", "CNY"),
            4.0,
            (Reach("周总", "decision", "other"),),
        ),
    )


def examples() -> dict[str, Any]:
    """One value of every document type, by type name."""
    d = deal()
    center = people()
    swot_result = score_swot(swot(), normalise=True)
    forces_result = score_forces(forces())
    readiness = assess_readiness(
        [
            FactorRatings(know=0.9, need_worth=0.7, trust=0.3, subject="cio", weight=2),
            FactorRatings(know=0.6, need_worth=0.8, trust=0.6, satisfaction=0.5, subject="user"),
        ]
    )
    cost = strategy_cost(actions())
    scores = relationship_scores(center, as_of=dt.date(2026, 3, 10))
    net = fishnet(center, as_of=dt.date(2026, 3, 10))
    catalogue = get_catalogue(get_catalogue_id())
    funnel = get_cycle("funnel")
    bulk = funnel.table.replay_states(
        [
            ("o1", None, "TARGET"),
            ("o1", "TARGET", "INTENT"),
            (7, None, "APPROVED"),
            ("o2", "X", "Y"),
        ],
        enter_anywhere=True,
    )
    budget = Fact("budget", Money("1500000", "CNY"), at=T0, by="李娜", source="visit report")
    value: dict[str, Any] = {
        "Money": Money("12.50", "CNY"),
        "Currency": currency_info("KWD"),
        "Label": Label("赢单", "won"),
        "Account": d.account,
        "Deal": d,
        "Track": d.tracks["funnel"],
        "StageChange": StageChange(
            "funnel",
            "TARGET",
            "LOST",
            "lose",
            Move.LOSE,
            T0,
            "李娜",
            ("visited",),
            "预算取消",
        ),
        "FactChange": FactChange("budget", Decimal("0.35"), T0, "李娜", "crm"),
        "Fact": budget,
        "Snapshot": Snapshot(
            MappingProxyType({"budget": budget, "visited": Fact("visited", True)}),
            Segment.SME,
            center,
            (competitor(),),
        ),
        "BulkReplay": bulk,
        "Stakeholder": center.stakeholders[0],
        "PersonalProfile": PersonalProfile(family="二子", pets=("猫",)),
        "Influence": center.influences[0],
        "BuyingCenter": center,
        "AccountPlan": plan(),
        "AccountProfile": plan().profile,
        "AccountStrategies": plan().strategies,
        "Competitor": competitor(),
        "CompetitorMove": competitor().latest_moves[0],
        "CoverageItem": plan().strategies.coverage[0],
        "FinancialYear": plan().profile.financials[0],
        "HistoryEvent": plan().profile.history[0],
        "InstalledBase": competitor().installed_base[0],
        "KeyAction": plan().key_actions[0],
        "OrgPosition": plan().profile.organisation_chart[0],
        "PlanCompleteness": plan_completeness(plan()),
        "RoadmapStep": plan().value_proposition.roadmap[0],
        "SupplierShare": plan().profile.suppliers[0],
        "ValueProposition": plan().value_proposition,
        "CustomerSignals": CustomerSignals(0.8, 0.6, 0.9, 0.7, 0.5),
        "CustomerTypeResult": classify_customer(CustomerSignals(0.8, 0.6, 0.9, 0.7, 0.5)),
        "FishnetMap": net,
        "FishnetNode": net.nodes[0],
        "FishnetEdge": net.edges[0],
        "FiveForces": forces(),
        "ForceRating": forces().ratings[0],
        "ForcesResult": forces_result,
        "FactorRatings": FactorRatings(know=0.9, need_worth=0.7, trust=0.3, subject="cio"),
        "Reach": actions()[0].reaches[0],
        "ReadinessResult": readiness,
        "SubjectReadiness": readiness.by_subject[0],
        "SellingAction": actions()[0],
        "StrategyCost": cost,
        "Coverage": scores.coverage,
        "CoverageCell": scores.coverage.cells[0],
        "Gap": scores.coverage.gaps[0],
        "DecayPolicy": DecayPolicy(60, 45.0, 0.25),
        "DecisionSupport": scores.support,
        "Depth": scores.account,
        "LevelWeights": LevelWeights(4.0, 2.0, 1.0),
        "RelationshipScores": scores,
        "RelationshipThresholds": RelationshipThresholds(mid_low=Rung.FAMILIAR),
        "SalesBehaviours": SalesBehaviours(0.9, 0.7, 0.4, 0.2),
        "SalespersonResult": assess_salesperson(SalesBehaviours(0.9, 0.7, 0.4, 0.2)),
        "Adjustment": swot_result.adjustments[0] if swot_result.adjustments else None,
        "FactorScore": swot_result.factors[0],
        "RatingScale": RatingScale(0.0, 10.0),
        "Swot": swot(),
        "SwotFactor": swot().factors[2],
        "SwotResult": swot_result,
        "TowsEntry": swot_result.tows.so[0],
        "TowsLink": swot().links[0],
        "TowsMatrix": swot_result.tows,
        "Catalogue": catalogue,
        "Entry": catalogue.entries[0],
        "Group": catalogue.groups[0] if catalogue.groups else None,
    }
    return {name: v for name, v in value.items() if v is not None}


def get_catalogue_id() -> str:
    """A built-in catalogue with groups."""
    from bigaccount.catalogues import catalogue_ids

    for key in catalogue_ids():
        if get_catalogue(key).groups:
            return key
    return catalogue_ids()[0]


# -- hypothesis strategies: a value of every document type -----------------------------

_ZONES = (dt.timezone.utc, CST, dt.timezone(dt.timedelta(hours=-5, minutes=-30)))


def _strategies() -> Any:
    """The strategies, built on first use (hypothesis is a test dependency only)."""
    import enum
    import typing

    import attrs
    from hypothesis import assume
    from hypothesis import strategies as st

    from bigaccount import InvalidData, Outcome
    from bigaccount.evidence import FactValue
    from bigaccount.io import DOCUMENT_TYPES

    # Text with what JSON must escape: quotes, backslashes, brackets, control characters.
    text = st.text(
        alphabet=st.characters(exclude_categories=["Cs"]) | st.sampled_from('"\\[]{}:\n\t'),
        min_size=1,
        max_size=12,
    ).filter(lambda s: bool(s.strip()))
    names = st.text(alphabet="abcdefghij_", min_size=1, max_size=6)
    aware = st.datetimes(
        min_value=dt.datetime(2000, 1, 1),
        max_value=dt.datetime(2100, 1, 1),
        timezones=st.sampled_from(_ZONES),
    )
    dates = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2100, 12, 31))
    amounts = st.decimals(min_value=0, max_value=Decimal("1e15"), places=2)
    money = st.builds(Money, amounts, st.sampled_from(["CNY", "USD", "JPY", "KWD"]))
    decimals = st.decimals(allow_nan=False, allow_infinity=False).filter(lambda d: len(str(d)) < 60)
    values: st.SearchStrategy[FactValue] = st.one_of(
        st.just(True),
        st.booleans(),
        st.integers(-(10**30), 10**30),
        st.floats(allow_nan=False, allow_infinity=False),
        decimals,
        money,
        dates,
        aware,
        text,
    )
    unit = st.floats(0, 1)
    found: dict[type, st.SearchStrategy[Any]] = {}

    def of(kind: Any) -> st.SearchStrategy[Any]:
        origin, args = typing.get_origin(kind), typing.get_args(kind)
        if kind is str:
            return text
        if kind is bool:
            return st.booleans()
        if kind is int:
            return st.integers(0, 10**6)
        if kind is float:  # most float fields are shares in [0, 1]; ratings go to 5
            return st.tuples(st.integers(0, 9), unit, st.floats(1, 5)).map(
                lambda t: t[2] if t[0] == 0 else t[1]
            )
        if kind is Decimal:
            return decimals
        if kind is dt.datetime:
            return aware
        if kind is dt.date:
            return dates
        if isinstance(kind, type) and issubclass(kind, enum.Enum):
            return st.sampled_from(list(kind))
        if origin in (typing.Union, __import__("types").UnionType):
            return st.one_of(*(st.none() if a is type(None) else of(a) for a in args))
        if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
            return st.lists(of(args[0]), max_size=2).map(tuple)
        if origin is tuple:
            return st.tuples(*(of(a) for a in args))
        if isinstance(kind, type) and attrs.has(kind):
            nested: st.SearchStrategy[Any] = documents(kind)
            return nested
        raise TypeError(f"no strategy for {kind!r}")

    def generic(cls: type) -> st.SearchStrategy[Any]:
        hints = typing.get_type_hints(cls)
        fields = [a for a in attrs.fields(cls) if a.init]

        @st.composite
        def build(draw: st.DrawFn) -> Any:
            kwargs = {}
            for a in fields:
                if a.default is not attrs.NOTHING and draw(st.booleans()):
                    continue
                kwargs[a.alias] = draw(of(hints[a.name]))
            try:
                return cls(**kwargs)
            except InvalidData:
                assume(False)

        return build()

    @st.composite
    def centers(draw: st.DrawFn) -> BuyingCenter:
        ids = draw(st.lists(names, min_size=1, max_size=4, unique=True))
        people = []
        for i, key in enumerate(ids):
            boss = draw(st.sampled_from([None, *ids[:i]]))
            person = draw(generic(Stakeholder))
            people.append(attrs.evolve(person, id=key, reports_to=boss))
        pairs = [(a, b) for a in ids for b in ids if a != b]
        edges = draw(st.lists(st.sampled_from(pairs), unique=True, max_size=3)) if pairs else []
        return BuyingCenter(tuple(people), tuple(Influence(a, b) for a, b in edges))

    @st.composite
    def stage_changes(draw: st.DrawFn) -> StageChange:
        move = draw(st.sampled_from(list(Move)))
        imported = move is Move.ENTER or draw(st.booleans())
        begins = move in (Move.START, Move.ENTER)
        return StageChange(
            draw(names),
            None if begins else draw(names),
            draw(names),
            draw(names),
            move,
            draw(aware),
            draw(st.none() | text),
            tuple(draw(st.lists(names, max_size=3))),
            draw(text) if move in (Move.LOSE, Move.STALL) else draw(st.none() | text),
            imported=imported,
            unmet=tuple(draw(st.lists(names, max_size=2))) if imported else (),
            source_system=draw(st.none() | text) if imported else None,
        )

    @st.composite
    def deals(draw: st.DrawFn) -> Deal:
        d = Deal(
            draw(text),
            Account(draw(text), draw(st.sampled_from(list(Segment))), draw(st.none() | text)),
            draw(money),
            expected_close=draw(st.none() | dates),
            owner=draw(st.none() | text),
            people=draw(st.none() | centers()),
            competitors=tuple(draw(st.lists(documents(Competitor), max_size=2))),
        )
        at = draw(aware)
        for _ in range(draw(st.integers(0, 4))):
            at += dt.timedelta(minutes=draw(st.integers(0, 600)))
            d.record(draw(names), draw(values), at=at, actor=draw(st.none() | text))
        if draw(st.booleans()):
            d.establish("materials_sent", "first_contact", at=at)
            d.start("funnel", at=at, actor=draw(st.none() | text))
            if draw(st.booleans()):
                d.lose("funnel", draw(text), at=at)
        held = sorted(d.facts)
        if draw(st.booleans()) and held:
            d.retract(draw(st.sampled_from(held)), at=at)
        if draw(st.booleans()):
            stage = draw(st.sampled_from([s.id for s in get_cycle("advancement").stages]))
            d.enter("advancement", stage, at=at, source=draw(st.none() | text))
        return d

    def swots() -> st.SearchStrategy[Swot]:
        quadrants = st.fixed_dictionaries(
            {q: st.lists(unit, min_size=1, max_size=2) for q in Quadrant}
        )

        def build(ratings: dict[Quadrant, list[float]]) -> Swot:
            factors = tuple(
                SwotFactor(f"{q.value}{i}", q, "f", 1.0, 1 + 4 * r)
                for q, rs in ratings.items()
                for i, r in enumerate(rs)
            )
            return Swot(factors, (TowsLink("strength0", "opportunity0", "s-o"),))

        return quadrants.map(build)

    def forces_of() -> st.SearchStrategy[FiveForces]:
        ratings = st.tuples(*(st.floats(1, 5) for _ in Force))
        return ratings.map(
            lambda rs: FiveForces(tuple(ForceRating(f, r) for f, r in zip(Force, rs, strict=True)))
        )

    @st.composite
    def snapshots(draw: st.DrawFn) -> Snapshot:
        facts = {
            key: Fact(key, draw(values), at=draw(st.none() | aware), by=draw(st.none() | text))
            for key in draw(st.lists(names, unique=True, max_size=3))
        }
        return Snapshot(
            MappingProxyType(facts),
            draw(st.none() | st.sampled_from(list(Segment))),
            draw(st.none() | centers()),
            tuple(draw(st.lists(documents(Competitor), max_size=1))),
        )

    @st.composite
    def bulks(draw: st.DrawFn) -> Any:
        table = get_cycle("funnel").table
        keys = st.one_of(names, st.integers(-(10**12), 10**12))
        states = [s.id for s in get_cycle("funnel").stages] + [o.value for o in Outcome]
        rows = draw(
            st.lists(
                st.tuples(keys, st.none() | st.sampled_from(states), st.sampled_from(states)),
                max_size=6,
            )
        )
        return table.replay_states(rows, enter_anywhere=draw(st.booleans()))

    from bigaccount.catalogues import catalogue_ids
    from bigaccount.scoring.relationship import DecisionSupport

    catalogues = st.sampled_from(catalogue_ids()).map(get_catalogue)
    scores = st.tuples(centers(), dates).map(lambda p: relationship_scores(p[0], as_of=p[1]))
    nets = st.tuples(centers(), dates).map(lambda p: fishnet(p[0], as_of=p[1]))
    readiness = (
        st.lists(generic(FactorRatings), min_size=1, max_size=3)
        .filter(lambda rs: any(r.weight > 0 for r in rs))
        .map(assess_readiness)
    )
    costs = st.lists(
        generic(SellingAction).filter(lambda a: a.expense.currency == "CNY"), min_size=1, max_size=3
    ).map(strategy_cost)
    swot_results = swots().map(lambda s: score_swot(s, normalise=True))
    special: dict[str, st.SearchStrategy[Any]] = {
        "Deal": deals(),
        "Track": deals()
        .filter(lambda d: bool(d.tracks))
        .map(lambda d: d.tracks[sorted(d.tracks)[0]]),
        "StageChange": stage_changes(),
        "FactChange": st.builds(
            FactChange, names, st.none() | values, aware, st.none() | text, st.none() | text
        ),
        "Fact": st.builds(
            lambda k, v, at, by: Fact(k, v, at=at, by=by),
            names,
            values,
            st.none() | aware,
            st.none() | text,
        ),
        "Snapshot": snapshots(),
        "BulkReplay": bulks(),
        "BuyingCenter": centers(),
        "Money": money,
        "Currency": st.sampled_from(["CNY", "USD", "JPY", "KWD", "XAU", "CLF"]).map(currency_info),
        "Swot": swots(),
        "SwotResult": swot_results,
        "FactorScore": swot_results.map(lambda r: r.factors[0]),
        "TowsMatrix": swot_results.map(lambda r: r.tows),
        "TowsEntry": swot_results.map(lambda r: r.tows.so[0]),
        "FiveForces": forces_of(),
        "ForcesResult": forces_of().map(score_forces),
        "ReadinessResult": readiness,
        "SubjectReadiness": readiness.map(lambda r: r.by_subject[0]),
        "StrategyCost": costs,
        "RelationshipScores": scores,
        "Coverage": scores.map(lambda s: s.coverage),
        "CoverageCell": scores.map(lambda s: s.coverage.cells[0]),
        "Depth": scores.map(lambda s: s.account),
        "DecisionSupport": scores.map(lambda s: s.support) | generic(DecisionSupport),
        "FishnetMap": nets,
        "FishnetNode": nets.map(lambda n: n.nodes[0]),
        "CustomerTypeResult": generic(CustomerSignals).map(classify_customer),
        "SalespersonResult": generic(SalesBehaviours).map(assess_salesperson),
        "PlanCompleteness": generic(AccountPlan).map(plan_completeness),
        "Catalogue": catalogues | generic(DOCUMENT_TYPES["Catalogue"]),
    }

    def documents(cls: type) -> st.SearchStrategy[Any]:
        if cls not in found:
            name = cls.__name__
            found[cls] = st.deferred(lambda: special[name] if name in special else generic(cls))
        return found[cls]

    return documents


_BUILT: list[Any] = []


def documents(cls: type) -> Any:
    """A hypothesis strategy of valid values of the document type *cls*."""
    if not _BUILT:
        _BUILT.append(_strategies())
    return _BUILT[0](cls)
