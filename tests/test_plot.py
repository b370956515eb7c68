"""Charts: each renders to PNG, with labelled axes, the right marks, and Chinese glyphs found."""

from __future__ import annotations

import datetime as dt
import io
import sys
import warnings
from decimal import Decimal

import pytest

from bigaccount import get_cycle
from bigaccount.analytics.accuracy import reliability
from bigaccount.analytics.health import funnel_health_columns
from bigaccount.analytics.periods import Horizon
from bigaccount.analytics.uncertainty import won_revenue_by_period

matplotlib = pytest.importorskip("matplotlib")

from bigaccount import plot  # noqa: E402

STAGES = [s.id for s in get_cycle("funnel").stages]


def health():
    return funnel_health_columns(
        ["TARGET"] * 6 + ["INTENT"] * 3 + ["APPROVED"] * 2 + ["WON", "LOST"],
        [100] * 13,
        order=STAGES,
        currency="CNY",
        stays=(
            ["TARGET"] * 5 + ["INTENT"] * 4,
            [3, 5, 8, 13, 40, 10, 12, 20, 30],
        ),
    )


def revenue():
    closes = [dt.date(2026, m, 10) for m in (1, 1, 2, 2, 2, 3)]
    return won_revenue_by_period(
        [100, 250, 300, 80, 120, 500],
        ["0.5", "0.2", "0.9", "0.5", "0.3", "0.1"],
        closes,
        horizon=Horizon(dt.date(2026, 1, 1), 3),
        currency="CNY",
    )


def table():
    predicted = [0.05, 0.1, 0.3, 0.35, 0.6, 0.65, 0.9, 0.95]
    return reliability(predicted, [False, False, True, False, True, True, True, True], bins=4)


CHARTS = {
    "funnel": lambda lang: plot.funnel_chart(health(), cycle=get_cycle("funnel"), lang=lang),
    "fan": lambda lang: plot.fan_chart(revenue(), lang=lang),
    "reliability": lambda lang: plot.reliability_diagram(table(), lang=lang),
    "time": lambda lang: plot.time_in_stage_chart(health(), cycle=get_cycle("funnel"), lang=lang),
}
LABELS = {
    "funnel": ("deals", "stage"),
    "fan": ("period", "amount"),
    "reliability": ("predicted", "observed"),
    "time": ("stage", "days"),
}


def render(figure):
    """The figure as PNG bytes, and the messages of every warning drawing it raised."""
    buffer = io.BytesIO()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        figure.savefig(buffer, format="png", dpi=60)
    return buffer.getvalue(), [str(w.message) for w in caught]


def pixels(png):
    return matplotlib.image.imread(io.BytesIO(png), format="png")


def missing_glyphs(messages):
    return [m for m in messages if "missing from" in m.lower() and "glyph" in m.lower()]


@pytest.mark.parametrize("name", list(CHARTS))
def test_each_chart_renders_with_english_labels(name):
    figure = CHARTS[name]("en")
    assert type(figure.canvas).__name__ == "FigureCanvasAgg"
    png, messages = render(figure)
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    image = pixels(png)
    assert image.shape[0] > 100
    assert image.shape[1] > 100
    assert (image[..., :3] < 0.9).any()  # something was drawn on the white page
    assert not missing_glyphs(messages)
    axes = figure.axes[0]
    x, y = LABELS[name]
    assert axes.get_xlabel() == plot.TEXTS[x].en
    assert axes.get_ylabel().startswith(plot.TEXTS[y].en)


def test_marks_match_the_data():
    funnel = plot.funnel_chart(health(), lang="en").axes[0]
    assert len(funnel.patches) == len(STAGES)  # one bar per stage
    widths = [bar.get_width() for bar in funnel.patches]
    assert widths == [float(c.deals) for c in health().capacity]
    texts = [t.get_text() for t in funnel.texts]
    assert texts[:2] == ["6", "3  (50%)"]  # 6 of the 12 deals in the funnel went on from TARGET
    assert [t.get_text() for t in funnel.get_yticklabels()] == STAGES  # the first on top
    assert funnel.get_yticks()[0] > funnel.get_yticks()[-1]
    fan = plot.fan_chart(revenue(), lang="en").axes[0]
    assert len(fan.lines) == 2  # median and mean
    assert len(fan.collections) == 1  # the P10-P90 band
    assert list(fan.lines[0].get_ydata()) == [
        float(p.distribution.quantile("0.5").value.amount) for p in revenue().periods
    ]
    assert [t.get_text() for t in fan.get_xticklabels()] == ["2026-01", "2026-02", "2026-03"]
    diagram = plot.reliability_diagram(table(), lang="en").axes[0]
    assert len(diagram.lines) == 2  # the diagonal and the observed rates
    assert list(diagram.lines[1].get_ydata()) == [b.observed_rate for b in table()]
    boxes = plot.time_in_stage_chart(health(), lang="en").axes[0]
    assert [t.get_text() for t in boxes.get_xticklabels()] == ["TARGET", "INTENT"]
    medians = [line for line in boxes.lines if line.get_label() == "_nolegend_"]
    assert medians  # bxp drew its boxes


def test_stage_names_come_from_the_cycle_in_the_language_asked():
    cycle = get_cycle("funnel")
    figure = plot.funnel_chart(health(), cycle=cycle, lang="en")
    names = [t.get_text() for t in figure.axes[0].get_yticklabels()]
    assert names == [s.label.en for s in cycle.stages]


@pytest.mark.parametrize("name", list(CHARTS))
def test_chinese_labels_use_a_font_with_the_glyphs_or_fall_back_clearly(name):
    font = plot.cjk_font()
    if font is None:
        with pytest.warns(plot.FontFallback, match="fonts-noto-cjk"):
            figure = CHARTS[name]("zh")
        assert figure.axes[0].get_xlabel() == plot.TEXTS[LABELS[name][0]].en
        return
    figure = CHARTS[name]("zh")
    axes = figure.axes[0]
    assert axes.get_xlabel() == plot.TEXTS[LABELS[name][0]].zh
    assert axes.xaxis.label.get_fontfamily()[0] == font
    png, messages = render(figure)
    assert png.startswith(b"\x89PNG")
    assert not missing_glyphs(messages), messages
    if name == "funnel":
        ticks = [t.get_text() for t in axes.get_yticklabels()]
        assert ticks == [s.label.zh for s in get_cycle("funnel").stages]
        assert all(t.get_fontfamily()[0] == font for t in axes.get_yticklabels())


def test_the_glyph_check_would_see_a_missing_glyph():
    figure = matplotlib.figure.Figure()
    matplotlib.backends.backend_agg.FigureCanvasAgg(figure)
    figure.add_subplot().set_xlabel("销售漏斗", fontfamily="DejaVu Sans")
    _, messages = render(figure)
    assert missing_glyphs(messages)  # the oracle of the test above is not blind


def test_without_a_cjk_font_the_chart_falls_back_to_english_with_a_warning(monkeypatch):
    monkeypatch.setattr(plot, "cjk_font", lambda text="": None)
    with pytest.warns(plot.FontFallback, match="English labels"):
        figure = plot.funnel_chart(health(), cycle=get_cycle("funnel"), lang="zh")
    axes = figure.axes[0]
    assert axes.get_xlabel() == "deals"
    ticks = [t.get_text() for t in axes.get_yticklabels()]
    assert ticks == [s.label.en for s in get_cycle("funnel").stages]
    _, messages = render(figure)
    assert not missing_glyphs(messages)


def test_nothing_is_set_globally():
    backend = matplotlib.get_backend()
    pyplot_before = "matplotlib.pyplot" in sys.modules
    family = list(matplotlib.rcParams["font.family"])
    CHARTS["funnel"]("zh" if plot.cjk_font() else "en")
    assert matplotlib.get_backend() == backend
    assert ("matplotlib.pyplot" in sys.modules) == pyplot_before
    assert list(matplotlib.rcParams["font.family"]) == family


def test_bad_arguments_are_refused():
    with pytest.raises(ValueError, match="measure"):
        plot.funnel_chart(health(), measure="weight")
    with pytest.raises(ValueError, match="lang"):
        plot.fan_chart(revenue(), lang="fr")
    empty = funnel_health_columns([], [], order=["A"], currency="CNY")
    assert plot.time_in_stage_chart(empty, lang="en").axes[0].get_ylabel() == "days"
    amounts = plot.funnel_chart(health(), measure="amount", lang="en").axes[0]
    assert amounts.get_xlabel() == "amount"
    assert amounts.patches[0].get_width() == float(Decimal(600))
