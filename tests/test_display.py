"""What a person sees: short reprs, and the markdown a notebook shows for cycles, deals, reports."""

from __future__ import annotations

import ast
import datetime as dt
import re
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bigaccount import (
    Account,
    Context,
    Criterion,
    Cycle,
    CycleKind,
    Deal,
    Label,
    Money,
    Snapshot,
    Stage,
    all_of,
    at_least,
    by_segment,
    get_cycle,
    language,
    register_cycle,
)
from bigaccount.diagrams import markdown_table, mermaid, overview
from bigaccount.display import (
    HISTORY_ROWS,
    check_markdown,
    deal_markdown,
    distribution_markdown,
    forecast_markdown,
    report_markdown,
    revenue_markdown,
    table,
)
from bigaccount.errors import InvalidData

NAMES = ("decision", "activity", "advancement", "funnel", "development")
SRC = Path(__file__).resolve().parents[1] / "src" / "bigaccount"
CJK = re.compile(r"[\u4e00-\u9fff]")
UTC = dt.timezone.utc
T = dt.datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
POOL = tuple(Criterion.fact(f"c{i}", f"条件{i}", f"criterion {i}") for i in range(6))


def cells(line: str) -> list[str]:
    """The cells of one markdown table row, split on unescaped pipes."""
    return [c.strip() for c in re.split(r"(?<!\\)\|", line)[1:-1]]


def number(cell: str) -> Decimal:
    """A table cell's number: thousands separators and a currency code dropped."""
    return Decimal(cell.split()[0].replace(",", ""))


def table_rows(text: str, header: str) -> list[list[str]]:
    """The body rows of the markdown table of *text* whose header row starts with *header*."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(f"| {header} |"))
    body = []
    for line in lines[start + 2 :]:
        if not line.startswith("|"):
            break
        body.append(cells(line))
    return body


# -- the modules stay below the engine -------------------------------------------------


def _imports(module: str) -> set[str]:
    tree = ast.parse((SRC / f"{module}.py").read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 1:
            found.add((node.module or "").split(".")[0])
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("bigaccount"))
    return found


def test_the_display_modules_import_nothing_that_imports_them() -> None:
    # cycle.py, gates.py and deal.py import these two inside their _repr_markdown_: any
    # import back from them would be a circle.
    assert _imports("display") <= {"errors", "labels"}
    assert not _imports("diagrams") & {"cycle", "deal", "registry", "display", "cycles"}


# -- reprs -------------------------------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_every_value_of_a_cycle_prints_on_one_short_line(name: str) -> None:
    cycle = get_cycle(name)
    values: list[object] = [cycle, *cycle.stages, *cycle.routes, *cycle.transitions]
    values += [s.guidance for s in cycle.stages]
    values += [g for s in cycle.stages for g in (s.entry, s.exit)]
    values += [c for s in cycle.stages for c in s.criteria]
    for value in values:
        text = repr(value)
        assert "\n" not in text, text
        assert len(text) < 400, text
        assert "object at 0x" not in text


def test_a_stage_repr_names_its_id_label_probability_and_rules() -> None:
    stage = get_cycle("funnel").stage("INTENT")
    assert repr(stage) == "Stage('INTENT', 意向 / intent, 20%, entry: at least 2 of 4)"
    assert repr(stage.entry) == (
        "AtLeast(2, ['visited', 'evaluating', 'clear_need', 'owner_named'])"
    )
    approved = get_cycle("funnel").stage("APPROVED").entry
    text = repr(approved)
    assert text.startswith("BySegment(")
    for segment, gate in approved.rules:
        assert f"{segment.value}: {gate!r}" in text


def test_a_report_and_a_check_repr_say_what_is_missing() -> None:
    evidence = Snapshot.of({"c0": True})
    report = at_least(2, *POOL[:3]).evaluate(evidence, Context(), "S1")
    assert repr(report) == (
        "GateReport('S1' entry, at least 2 of 3: blocked, needs 1; held [c0], missing [c1, c2])"
    )
    cycle = Cycle(
        "tiny",
        Label("小", "tiny"),
        CycleKind.PIPELINE,
        (Stage("A", Label("甲", "a"), 0.2), Stage("B", Label("乙", "b"), 0.5, all_of(*POOL[:2]))),
    )
    check = cycle.check(evidence, "advance", state="A")
    assert repr(check) == "MoveCheck('advance', A → B: blocked, missing: c1)"
    assert repr(cycle.check(evidence, "nowhere", state="A")) == (
        "MoveCheck('nowhere' from A: no such move)"
    )


def test_a_deal_repr_is_one_line_with_its_states_and_events() -> None:
    deal = Deal("KA-9", Account("甲公司", "sme"), Money("1000", "CNY"))
    assert repr(deal) == "Deal('KA-9', 甲公司, 1,000 CNY, 0 events)"
    deal.establish("materials_sent", "first_contact", at=T)
    deal.start("funnel", at=T)
    deal.start("decision", at=T)
    assert (
        repr(deal)
        == "Deal('KA-9', 甲公司, 1,000 CNY, funnel: TARGET, decision: SATISFACTION, 4 events)"
    )


# -- cycles ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_a_cycle_shows_its_diagram_and_stage_table(name: str) -> None:
    cycle = get_cycle(name)
    text = cycle._repr_markdown_()
    assert text.count("```mermaid\n") == 1
    fence = text.split("```mermaid\n", 1)[1].split("```", 1)[0]
    assert fence == mermaid(cycle, "en")
    assert markdown_table(cycle, "en") in text
    assert text.startswith(f"**{cycle.label.en}** (`{name}`, {cycle.kind.value})")
    assert [row[1] for row in table_rows(text, "#")] == [s.id for s in cycle.stages]


def test_a_cycle_shows_itself_in_the_display_language() -> None:
    cycle = get_cycle("advancement")
    with language("zh"):
        text = cycle._repr_markdown_()
    fence = text.split("```mermaid\n", 1)[1].split("```", 1)[0]
    assert fence == mermaid(cycle, "zh")
    assert text.startswith(f"**{cycle.label.zh}**")
    assert overview(cycle) != overview(cycle, "en")  # None: both languages
    assert not CJK.search(mermaid(cycle, "en"))


# -- gate reports and checks -------------------------------------------------------------


@st.composite
def reports(draw: st.DrawFn) -> tuple[object, dict[str, bool]]:
    chosen = draw(st.lists(st.sampled_from(POOL), unique_by=lambda c: c.id, min_size=1))
    gate = at_least(draw(st.integers(0, len(chosen))), *chosen)
    facts = draw(st.fixed_dictionaries({c.id: st.booleans() for c in POOL}))
    return gate.evaluate(Snapshot.of(facts), Context(), "S"), facts


@given(reports(), st.sampled_from(["zh", "en"]))
def test_a_report_lists_each_criterion_once_with_whether_it_holds(drawn, lang) -> None:
    report, facts = drawn
    text = report_markdown(report, lang)
    assert text.splitlines()[0] == report.explain(lang)
    rows = table_rows(text, "满足" if lang == "zh" else "holds")
    assert [r[1] for r in rows] == [c.id for c in (*report.held, *report.missing)]
    for mark, key, name in rows:
        assert mark == ("✓" if facts[key] else "✗")
        assert name == next(c for c in POOL if c.id == key).label.text(lang)


def test_a_segment_rule_names_the_segment_it_applied() -> None:
    gate = by_segment(
        {"sme": all_of(POOL[0]), "enterprise": all_of(*POOL[:2]), "government": all_of(*POOL)}
    )
    report = gate.evaluate(Snapshot.of({"c0": True}, segment="sme"), Context(), "APPROVED")
    text = report_markdown(report, "en")
    assert text.splitlines()[0] == (
        "APPROVED: passes (must hold) (segment: small or medium enterprise)"
    )
    assert report._repr_markdown_() == report_markdown(report)


def test_a_check_shows_the_move_and_the_report_of_every_gate_on_the_way() -> None:
    funnel = get_cycle("funnel")
    evidence = Snapshot.of({"materials_sent": True, "first_contact": True}, segment="sme")
    jump = funnel.check(evidence, "jump_to_APPROVED", state="TARGET")
    text = check_markdown(jump, "en")
    assert text.splitlines()[0] == "**jump_to_APPROVED**: TARGET → APPROVED — blocked"
    for report in jump.reports:
        if report.held or report.missing:
            assert report.explain("en") in text
    assert jump._repr_markdown_() == check_markdown(jump)
    nothing = check_markdown(funnel.check(evidence, "advance", state="REPEAT"), "zh")
    assert nothing == "**advance**: REPEAT — 此处没有这一步\n"


# -- deals -------------------------------------------------------------------------------


def test_a_deal_shows_its_stages_blockers_and_latest_history() -> None:
    deal = Deal(
        "KA-17",
        Account("江南智造集团", "enterprise"),
        Money("2400000", "CNY"),
        owner="李娜",
        expected_close=dt.date(2026, 9, 30),
    )
    for i in range(HISTORY_ROWS):
        deal.record(f"note_{i}", i, at=T, actor="li.na", source="visit report")
    deal.establish("materials_sent", "first_contact", at=T)
    deal.start("funnel", at=T)
    deal.start("decision", at=T)
    text = deal_markdown(deal, "en")
    head = text.splitlines()[0]
    assert head == (
        "**KA-17** · 江南智造集团 (mid-size or large enterprise) · 2,400,000 CNY"
        " · owner: 李娜 · expected close: 2026-09-30"
    )
    stages = table_rows(text, "cycle")
    assert [r[:4] for r in stages] == [
        ["funnel", "TARGET", "target", "10%"],
        ["decision", "SATISFACTION", "satisfaction", "0%"],
    ]
    assert [number(r[4]) for r in stages] == [Decimal("240000"), 0]
    assert all(r[4].endswith(" CNY") for r in stages)
    blockers = text.split("**missing for the next move**", 1)[1].split("**history**", 1)[0]
    assert "- funnel · INTENT: needs 2 more" in blockers
    assert "- decision → RECOGNITION: nothing" in blockers
    history = table_rows(text, "#")
    total = deal.version
    assert len(history) == HISTORY_ROWS
    assert [int(r[0]) for r in history] == list(range(total - HISTORY_ROWS + 1, total + 1))
    assert f"**history** (the latest {HISTORY_ROWS} of {total})" in text
    assert history[-1][2] == "decision: ∅ → SATISFACTION (start)"
    assert history[0][3:] == ["li.na", "visit report"]
    with language("zh"):
        assert "**记录**" in deal._repr_markdown_()


def test_a_deal_shows_an_imported_move_and_why_a_gate_cannot_be_judged() -> None:
    budget = Criterion.compare(
        "budget_ok", "预算足够", "budget enough", fact="budget", op=">=", value=Money("1", "CNY")
    )
    cycle = Cycle(
        "display_judged",
        Label("评判", "judged"),
        CycleKind.PIPELINE,
        (Stage("A", Label("甲", "a"), 0.1), Stage("B", Label("乙", "b"), 0.5, all_of(budget))),
    )
    register_cycle(cycle, replace=True)
    deal = Deal("D-2", Account("Acme", "sme"), Money("10", "CNY"))
    deal.enter(cycle, "A", at=T, source="crm")
    deal.record("budget", "plenty", at=T)
    text = deal_markdown(deal, "en")
    row = "| 1 | 2026-03-02 09:00 UTC | display_judged: ∅ → A (enter_A) [imported] |  | crm |"
    assert row in text
    blocker = next(line for line in text.splitlines() if line.startswith("- display_judged: "))
    assert "facts.budget" in blocker
    assert "'plenty'" in blocker


def test_a_deal_in_a_cycle_nobody_registered_still_shows() -> None:
    cycle = Cycle(
        "display_unregistered",
        Label("未登记", "unregistered"),
        CycleKind.PROCESS,
        (Stage("A", Label("甲", "a")), Stage("B", Label("乙", "b"))),
    )
    deal = Deal("D-4", Account("Acme", "sme"), Money("10", "CNY"))
    deal.start(cycle, at=T)
    text = deal_markdown(deal, "en")
    assert table_rows(text, "cycle") == [["display_unregistered", "A", "—", "—", "—"]]
    assert "unknown cycle 'display_unregistered'" in text


def test_a_deal_in_no_cycle_says_so() -> None:
    deal = Deal("D-3", Account("Acme", "sme"), Money("10", "CNY"))
    assert deal_markdown(deal, "en") == (
        "**D-3** · Acme (small or medium enterprise) · 10 CNY\n\nnot in any cycle yet\n\n"
        "**history**: no events yet\n"
    )


# -- tables and analytics ----------------------------------------------------------------

text_cells = st.text(alphabet=st.sampled_from("ab|\\\n 中"), max_size=8)


@given(
    st.lists(text_cells, min_size=1, max_size=4).flatmap(
        lambda h: st.tuples(
            st.just(h), st.lists(st.lists(text_cells, min_size=len(h), max_size=len(h)))
        )
    )
)
def test_every_table_row_has_as_many_cells_as_headers(drawn) -> None:
    headers, rows = drawn
    lines = table(headers, rows).splitlines()
    assert len(lines) == len(rows) + 2
    for line in lines:
        assert len(cells(line)) == len(headers)


def test_a_table_takes_headers_and_rows_of_any_iterable_and_shows_each_cell_as_text() -> None:
    years = {2024: 10, 2025: 12}
    expected = "| 2024 | 2025 |\n| --- | --- |\n| 10 | 12 |\n"
    assert table([2024, 2025], [[10, 12]]) == expected
    assert table(years.keys(), [years.values()]) == expected
    assert table(range(2024, 2026), iter([(10, 12)])) == expected
    assert table((h for h in ("a", None)), [["x", 1.5]]).startswith("| a | None |\n")


def test_a_table_takes_a_dataframes_columns_and_values_and_numpy_arrays() -> None:
    np = pytest.importorskip("numpy")
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame({"stage": ["TARGET", "INTENT"], "deals": [6, 3]})
    text = table(frame.columns, frame.values)
    assert text == table(["stage", "deals"], [["TARGET", 6], ["INTENT", 3]])
    assert table(frame.columns, frame.itertuples(index=False)) == text
    grid = np.array([[1, 2], [3, 4]])
    assert table(np.array(["a", "b"]), grid) == "| a | b |\n| --- | --- |\n| 1 | 2 |\n| 3 | 4 |\n"
    assert (
        table(np.arange(2), [np.array([0.5, 1.0])]) == "| 0 | 1 |\n| --- | --- |\n| 0.5 | 1.0 |\n"
    )
    with pytest.raises(InvalidData, match="has 3 cells under 2 headers") as caught:
        table(frame.columns, [np.zeros(2), np.zeros(3)])
    assert caught.value.field == "rows[1]"
    with pytest.raises(InvalidData) as scalar:
        table(frame.columns, [np.array(1)])  # a 0-d array: iterable by its type only
    assert scalar.value.field == "rows[0]"
    with pytest.raises(InvalidData) as whole:
        table(frame.columns, frame)  # a frame iterates over its column names: text rows
    assert whole.value.field == "rows[0]"


def test_a_forecast_shows_its_periods_groups_and_total() -> None:
    from bigaccount.analytics.forecast import forecast_columns
    from bigaccount.analytics.periods import Horizon

    amounts = [Decimal("1000"), Decimal("250"), Decimal("400"), Decimal("80"), Decimal("5")]
    probabilities = ["0.5", "0.2", "1", "0.25", "0.1"]
    closes = [
        dt.date(2026, 1, 9),
        dt.date(2026, 1, 20),
        dt.date(2026, 2, 1),
        dt.date(2025, 12, 1),
        None,
    ]
    result = forecast_columns(
        amounts,
        probabilities,
        closes,
        horizon=Horizon(dt.date(2026, 1, 1), 3),
        currency="CNY",
        tax="inclusive",
    )
    text = forecast_markdown(result, "en")
    rows = table_rows(text, "period")
    assert [r[0] for r in rows] == [
        "2026-01",
        "2026-02",
        "2026-03",
        "overdue",
        "later",
        "undated",
        "**total**",
    ]
    expected = {  # period: (deals, Σ a, Σ a·p), added up here from the inputs
        "2026-01": (2, 1250, Decimal("550")),
        "2026-02": (1, 400, Decimal("400")),
        "2026-03": (0, 0, 0),
        "overdue": (1, 80, Decimal("20")),
        "later": (0, 0, 0),
        "undated": (1, 5, Decimal("0.5")),
    }
    weighted = sum(a * Decimal(p) for a, p in zip(amounts, probabilities, strict=True))
    expected["**total**"] = (5, sum(amounts), weighted)
    for name, deals, amount, weighted_amount in rows:
        assert (int(deals), number(amount), number(weighted_amount)) == expected[name]
    assert text.endswith("in: CNY, tax inclusive\n")
    with language("zh"):
        assert "| 期间 | 商机数 | 金额 | 加权金额 |" in forecast_markdown(result)


def test_a_won_revenue_spread_shows_its_quantiles_by_period() -> None:
    from bigaccount.analytics.periods import Horizon
    from bigaccount.analytics.uncertainty import won_revenue_by_period

    revenue = won_revenue_by_period(
        [100, 200, 300],
        ["0.5", "0.5", "1"],
        [dt.date(2026, 1, 5)] * 2 + [dt.date(2026, 2, 5)],
        horizon=Horizon(dt.date(2026, 1, 1), 2),
        currency="USD",
    )
    text = revenue_markdown(revenue, "en")
    assert text.splitlines()[0] == "| period | deals | mean | sd | P10 | P50 | P90 |"
    rows = table_rows(text, "period")
    # January: 0, 100, 200 or 300 with probability 1/4 each; February: 300 for sure.
    january = [number(c) for c in rows[0][1:]]
    assert january == [2, 150, 112, 0, 100, 300]  # sd = √(100²·¼ + 200²·¼) ≈ 111.8
    assert [number(c) for c in rows[1][1:]] == [1, 300, 0, 300, 300, 300]
    assert rows[-1][0] == "**total**"
    assert [number(c) for c in rows[-1][1:3]] == [3, 450]
    single = table_rows(distribution_markdown(revenue.total, "en"), "period")
    assert single == [rows[-1]]


def test_ipython_shows_forecasts_as_tables_once_the_extension_is_loaded(
    tmp_path, monkeypatch
) -> None:
    pytest.importorskip("IPython", reason="IPython is part of the notebook tools (ipykernel)")
    monkeypatch.setenv("IPYTHONDIR", str(tmp_path))
    from IPython.core.interactiveshell import InteractiveShell

    from bigaccount.analytics.forecast import forecast_columns
    from bigaccount.analytics.periods import Horizon

    shell = InteractiveShell.instance()
    try:
        result = forecast_columns(
            [Decimal(10)],
            ["0.5"],
            [dt.date(2026, 1, 3)],
            horizon=Horizon(dt.date(2026, 1, 1), 1),
            currency="CNY",
            tax="exclusive",
        )
        before, _ = shell.display_formatter.format(result)
        assert "text/markdown" not in before
        shell.run_line_magic("load_ext", "bigaccount.display")
        after, _ = shell.display_formatter.format(result)
        assert after["text/markdown"] == forecast_markdown(result)
        cycle, _ = shell.display_formatter.format(get_cycle("funnel"))
        assert cycle["text/markdown"].count("```mermaid") == 1
    finally:
        InteractiveShell.clear_instance()
