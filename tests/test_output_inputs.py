"""The output modules refuse bad arguments naming them, and stay as they were.

The census (``test_public_inputs.py``, cases in ``_cases_output.py``) tries every wrong
value; these tests check what it cannot see: that each surveyed module's public callables
all have a case, that refusing leaves caches, registrations and values untouched, and the
few rules behind the fixes (the placeholder font, a table's width, a Currency's form).
"""

from __future__ import annotations

import importlib
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest

import _cases_output
import bigaccount
from _inputs import CASES, EXEMPT, SURVEYED
from bigaccount import Cycle, Label, Money, Stage, get_cycle
from bigaccount.declarations import builtin_data, read_cycle
from bigaccount.display import load_ipython_extension, table
from bigaccount.errors import InvalidData, InvalidDefinition
from bigaccount.gates import OPEN
from bigaccount.io import InvalidDocument, dumps, loads
from bigaccount.money import Currency, currency_info, iso_currencies, to_decimal

OUTPUT = ("bigaccount.plot", "bigaccount.display", "bigaccount.declarations", "bigaccount.money")


@pytest.mark.parametrize("module_name", OUTPUT)
def test_every_public_callable_of_a_surveyed_module_has_a_case(module_name: str) -> None:
    assert module_name in SURVEYED
    module = importlib.import_module(module_name)
    missing = []
    for key in module.__all__:
        value = getattr(module, key)
        if not callable(value) or key in EXEMPT:
            continue
        if isinstance(value, type) and issubclass(value, BaseException):
            continue
        if getattr(bigaccount, key, None) is value:
            continue  # a name of bigaccount.__all__: the census's own table covers it
        if key not in CASES or CASES[key].module != module_name:
            missing.append(key)
    assert missing == []


def test_the_placeholder_font_is_never_the_font_for_chinese() -> None:
    matplotlib = pytest.importorskip("matplotlib")
    from matplotlib import font_manager

    from bigaccount import plot

    found = plot.cjk_font()
    assert found is None or not found.startswith("Last Resort")
    placeholders = [e for e in font_manager.fontManager.ttflist if e.name.startswith("Last Resort")]
    if not placeholders:
        pytest.skip(f"matplotlib {matplotlib.__version__} ships no Last Resort font")
    # It "has" every glyph (each one a box): that is why it must be left out by name.
    assert plot._covers(placeholders[0].fname, 0, "销售漏斗")


def _ticks(figure: Any, axis: str = "y") -> list[str]:
    """The tick labels of the figure's axes along *axis*: stage names on a funnel."""
    axes = figure.axes[0]
    labels = axes.get_yticklabels() if axis == "y" else axes.get_xticklabels()
    return [t.get_text() for t in labels]


def test_a_chart_names_a_stage_its_cycle_lacks_by_the_stage_id() -> None:
    pytest.importorskip("matplotlib")
    from bigaccount import plot

    health = _cases_output.HEALTH
    funnel = plot.funnel_chart(health, cycle=_cases_output.SMALL, lang="en")
    assert _ticks(funnel) == _cases_output.FUNNEL_STAGES
    aim = Label("目标", "aim")
    partial = Cycle("output_partial", aim, "pipeline", [Stage("TARGET", aim, 0.1, OPEN)])
    funnel = plot.funnel_chart(health, cycle=partial, lang="en")
    assert _ticks(funnel) == ["aim", *_cases_output.FUNNEL_STAGES[1:]]
    boxes = plot.time_in_stage_chart(health, cycle=partial, lang="en")
    assert _ticks(boxes, "x") == ["aim", "INTENT"]
    with pytest.raises(InvalidData, match=r"0\.1, 0\.5 and 0\.9") as fan:
        plot.fan_chart(_cases_output.MEDIAN_ONLY, lang="en")
    assert fan.value.field == "revenue"


def test_a_chart_reads_any_value_with_the_attributes_it_draws() -> None:
    pytest.importorskip("matplotlib")
    from bigaccount import plot

    health = _cases_output.HEALTH
    stages: Any = SimpleNamespace(stages=[SimpleNamespace(id="TARGET", label=Label("目标", "aim"))])
    funnel_like: Any = SimpleNamespace(capacity=health.capacity, slope=health.slope)
    assert _ticks(plot.funnel_chart(funnel_like, cycle=stages, lang="en"))[0] == "aim"
    stays_like: Any = SimpleNamespace(time_in_stage=health.time_in_stage)
    assert _ticks(plot.time_in_stage_chart(stays_like, lang="en"), "x") == ["TARGET", "INTENT"]
    spread = _cases_output.REVENUE
    revenue_like: Any = SimpleNamespace(periods=spread.periods, total=spread.total)
    assert _ticks(plot.fan_chart(revenue_like, lang="en"), "x") == ["2026-01", "2026-02"]
    bins: list[Any] = [
        SimpleNamespace(
            count=b.count, mean_predicted=b.mean_predicted, observed_rate=b.observed_rate
        )
        for b in _cases_output.BINS
    ]
    lines = plot.reliability_diagram(bins, lang="en").axes[0].lines
    assert list(lines[1].get_ydata()) == [b.observed_rate for b in _cases_output.BINS]
    for call, field, missing in (
        (lambda: plot.funnel_chart(SimpleNamespace(capacity=()), lang="en"), "health", "slope"),
        (lambda: plot.time_in_stage_chart(funnel_like, lang="en"), "health", "time_in_stage"),
        (lambda: plot.funnel_chart(health, cycle=get_cycle, lang="en"), "cycle", "stages"),
        (lambda: plot.fan_chart(SimpleNamespace(periods=()), lang="en"), "revenue", "total"),
        (
            lambda: plot.reliability_diagram([*bins, health], lang="en"),
            f"table[{len(bins)}]",
            "count",
        ),
        (lambda: plot.reliability_diagram(bins[0], lang="en"), "table", "sequence"),
    ):
        with pytest.raises(InvalidData) as caught:
            call()
        assert caught.value.field == field
        assert missing in caught.value.problem


def test_a_font_is_looked_up_once_per_text() -> None:
    pytest.importorskip("matplotlib")
    from bigaccount import plot

    plot.cjk_font.cache_clear()
    plot.cjk_font("漏斗")
    plot.cjk_font("漏斗")
    with pytest.raises(InvalidData):
        plot.cjk_font(["漏斗"])  # type: ignore[arg-type]
    info = plot.cjk_font.cache_info()
    assert (info.hits, info.misses) == (1, 1)


def test_clearing_the_font_cache_finds_a_font_added_since(monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("matplotlib")
    from bigaccount import plot

    plot.cjk_font.cache_clear()
    monkeypatch.setattr(plot, "_covers", lambda fname, index, text: False)
    assert plot.cjk_font("漏斗") is None
    monkeypatch.setattr(plot, "_covers", lambda fname, index, text: True)  # a font "added"
    assert plot.cjk_font("漏斗") is None  # the remembered answer
    plot.cjk_font.cache_clear()
    assert plot.cjk_font("漏斗") is not None
    assert plot.cjk_font.cache_info().currsize == 1
    plot.cjk_font.cache_clear()  # leave no answer of the pretend font behind


def test_a_table_row_has_one_cell_per_header() -> None:
    assert table(["a", ""], [("1", None)]) == "| a |  |\n| --- | --- |\n| 1 | None |\n"
    with pytest.raises(InvalidData, match="has 3 cells under 2 headers") as caught:
        table(["a", "b"], [[1, 2], [1, 2, 3]])
    assert caught.value.field == "rows[1]"
    with pytest.raises(InvalidData, match="at least one column"):
        table([], [])


class _Formatter:
    def __init__(self) -> None:
        self.names: list[tuple[str, str]] = []

    def for_type_by_name(self, module: str, name: str, render: object) -> None:
        self.names.append((module, name))


class _Display:
    def __init__(self, formatters: dict[str, object]) -> None:
        self.formatters = formatters


class _Shell:
    def __init__(self, formatters: dict[str, object]) -> None:
        self.display_formatter = _Display(formatters)


def test_the_extension_registers_nothing_on_what_is_not_a_shell() -> None:
    html = _Formatter()
    for shell in (_Shell({"text/html": html}), _Shell({"text/markdown": object()})):
        with pytest.raises(InvalidData) as caught:
            load_ipython_extension(shell)
        assert caught.value.field == "ipython"
    assert html.names == []
    markdown = _Formatter()
    load_ipython_extension(_Shell({"text/markdown": markdown}))
    assert [name for _, name in markdown.names] == [
        "Forecast",
        "RevenueByPeriod",
        "RevenueDistribution",
    ]


def test_a_data_file_is_read_once_and_a_bad_name_is_refused_naming_it() -> None:
    assert builtin_data("funnel") is builtin_data("funnel")
    for wrong in ([], {}, "nope", "no such name", "../funnel"):
        with pytest.raises(InvalidDefinition) as caught:
            builtin_data(wrong)  # type: ignore[arg-type]
        assert caught.value.where == "name"


def test_a_cycle_read_from_data_needs_a_name_for_its_source() -> None:
    data = builtin_data("funnel")
    assert read_cycle(data, source="funnel.toml") == get_cycle("funnel")
    for wrong in (None, "", " ", 1):
        with pytest.raises(InvalidData) as caught:
            read_cycle(data, source=wrong)  # type: ignore[arg-type]
        assert caught.value.field == "source"


def test_to_decimal_names_the_value_by_a_name_that_is_text() -> None:
    assert to_decimal("1.50", "rate") == Decimal("1.50")
    with pytest.raises(InvalidData) as caught:
        to_decimal("1,50", "rate")
    assert caught.value.field == "rate"
    for wrong in (None, "", "  ", 1, ["rate"]):
        with pytest.raises(InvalidData) as refused:
            to_decimal("1.50", wrong)  # type: ignore[arg-type]
        assert refused.value.field == "name"
    assert Money("1.50", "CNY").amount == Decimal("1.50")


def test_a_currency_made_by_hand_is_checked_for_its_form_and_the_list_is_unchanged() -> None:
    assert Currency("KWD", "414", 3, "Kuwaiti Dinar") == currency_info("kwd")
    assert Currency("XAU", "959", None, "Gold").minor_unit is None
    for field, wrong in (("code", "kwd"), ("number", "41"), ("minor_unit", 13), ("name", " ")):
        values = {"code": "KWD", "number": "414", "minor_unit": 3, "name": "Kuwaiti Dinar"}
        with pytest.raises(InvalidData) as caught:
            Currency(**{**values, field: wrong})  # type: ignore[arg-type]
        assert caught.value.field == field
    table = iso_currencies()
    assert table["JPY"].minor_unit == 0
    assert all(Currency(c.code, c.number, c.minor_unit, c.name) == c for c in table.values())


def test_a_currency_document_of_the_wrong_form_names_its_field() -> None:
    text = dumps(currency_info("KWD"))
    assert loads(text, Currency) == currency_info("KWD")
    with pytest.raises(InvalidDocument, match=r"\$\.minor_unit"):
        loads(text.replace('"minor_unit": 3', '"minor_unit": -1'), Currency)


def test_a_display_refuses_a_value_of_another_kind_naming_the_parameter() -> None:
    from bigaccount.display import distribution_markdown, forecast_markdown, revenue_markdown

    spread = _cases_output.REVENUE
    forecast = _cases_output.FORECAST
    with pytest.raises(InvalidData) as caught:
        revenue_markdown(forecast, "en")  # type: ignore[arg-type]
    assert caught.value.field == "revenue"
    with pytest.raises(InvalidData) as caught:
        forecast_markdown(spread, "en")  # type: ignore[arg-type]
    assert caught.value.field == "forecast"
    with pytest.raises(InvalidData) as caught:
        distribution_markdown(spread, "en")  # type: ignore[arg-type]
    assert caught.value.field == "distribution"
    assert distribution_markdown(spread.total, "en").startswith("| period |")
