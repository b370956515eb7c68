"""Pictures of a pipeline: the funnel, the forecast fan, the reliability diagram, time in stage.

Each function draws one chart from a result of :mod:`bigaccount.analytics` and returns
the matplotlib :class:`~matplotlib.figure.Figure`, ready for ``savefig`` or a notebook.
matplotlib (the ``plot`` extra) is imported inside the functions, and each figure gets
its own Agg canvas: nothing is set globally, no window opens, and ``pyplot`` is not used.

**Chinese labels need a font with the glyphs.** With ``lang="zh"`` the texts are drawn
in the first font matplotlib knows that has every glyph needed (:func:`cjk_font`; on
Debian the package ``fonts-noto-cjk`` provides *Noto Sans CJK*). When there is none,
the chart is drawn with English labels and a :class:`FontFallback` warning says so,
rather than showing empty boxes. (matplotlib's own *Last Resort* font, which draws a
placeholder box for every character, does not count.)

Every argument is checked before anything is drawn: a value of the wrong kind is
:class:`~bigaccount.errors.InvalidData` naming the parameter.

>>> import pytest; _ = pytest.importorskip("matplotlib")
>>> from bigaccount.analytics.accuracy import reliability
>>> from bigaccount.plot import reliability_diagram
>>> table = reliability([0.1, 0.15, 0.8, 0.85], [False, True, True, True], bins=5)
>>> figure = reliability_diagram(table, lang="en")
>>> figure.axes[0].get_xlabel(), figure.axes[0].get_ylabel()
('predicted win probability', 'observed win rate')
"""

from __future__ import annotations

import functools
import importlib
import warnings
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Protocol, cast

from .display import _items, _reads, _shown
from .errors import InvalidData
from .labels import Label, Lang

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from .analytics.accuracy import ReliabilityBin
    from .analytics.health import FunnelHealth
    from .analytics.uncertainty import RevenueByPeriod
    from .cycle import Cycle

__all__ = [
    "FontFallback",
    "cjk_font",
    "fan_chart",
    "funnel_chart",
    "reliability_diagram",
    "time_in_stage_chart",
]

TEXTS = {
    "funnel": Label("销售漏斗", "sales funnel"),
    "deals": Label("商机数", "deals"),
    "amount": Label("金额", "amount"),
    "stage": Label("阶段", "stage"),
    "won": Label("赢单", "won"),
    "fan": Label("收入预测（P10–P90）", "revenue forecast (P10–P90)"),
    "period": Label("期间", "period"),
    "band": Label("P10–P90 区间", "P10–P90 range"),
    "median": Label("中位数 P50", "median P50"),
    "mean": Label("期望值", "expected value"),
    "reliability": Label("概率可靠性", "reliability of win probabilities"),
    "predicted": Label("预测赢单概率", "predicted win probability"),
    "observed": Label("实际赢单率", "observed win rate"),
    "perfect": Label("完全校准", "perfectly calibrated"),
    "bins": Label("各区间", "bins"),
    "time_in_stage": Label("各阶段停留时间", "time in stage"),
    "days": Label("天数", "days"),
}
"""Every text the charts show, in both languages."""

PREFERRED_FONTS = (
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "Microsoft YaHei",
    "SimHei",
    "PingFang SC",
    "Heiti SC",
    "Noto Sans CJK JP",
    "Droid Sans Fallback",
    "Arial Unicode MS",
)
"""Fonts tried first, in order; any other font with the glyphs will do after them."""

_LANGUAGE = Label("zh", "en")
_PROBE = "销售漏斗阶段赢单金额天数期间预测实际概率"
_PLACEHOLDERS = ("Last Resort",)
"""Fonts whose every glyph is a placeholder box (matplotlib ships *Last Resort*)."""
_FAN = (Decimal("0.1"), Decimal("0.5"), Decimal("0.9"))


class FontFallback(UserWarning):
    """No font with Chinese glyphs was found: the chart is drawn with English labels."""


def _matplotlib(name: str) -> Any:
    try:
        return importlib.import_module(name)
    except ImportError:  # pragma: no cover - the extra is missing
        raise ImportError("charts need matplotlib: pip install 'bigaccount[plot]'") from None


def _covers(fname: str, index: int, text: str) -> bool:
    ft2font = _matplotlib("matplotlib.ft2font")
    try:
        font = ft2font.FT2Font(fname, face_index=index)
    except TypeError:  # pragma: no cover - matplotlib before 3.10
        font = ft2font.FT2Font(fname)
    except (OSError, RuntimeError):
        return False
    return all(font.get_char_index(ord(c)) for c in set(text) if not c.isspace())


@functools.lru_cache(maxsize=8)
def _font_for(text: str) -> str | None:
    manager = _matplotlib("matplotlib.font_manager").fontManager
    entries = sorted(
        (
            e
            for e in manager.ttflist
            if e.weight in (400, "normal", "regular") and not e.name.startswith(_PLACEHOLDERS)
        ),
        key=lambda e: (
            PREFERRED_FONTS.index(e.name) if e.name in PREFERRED_FONTS else len(PREFERRED_FONTS)
        ),
    )
    tried: set[str] = set()
    for entry in entries:
        if entry.name in tried:
            continue
        tried.add(entry.name)
        if _covers(entry.fname, getattr(entry, "index", 0), text):
            return str(entry.name)
    return None


class _FontLookup(Protocol):
    """:func:`cjk_font`: the call, and the clear and info of the cache it reads through."""

    def __call__(self, text: str = ...) -> str | None: ...
    def cache_clear(self) -> None: ...
    def cache_info(self) -> functools._CacheInfo: ...


def _with_cache_of(
    cache: functools._lru_cache_wrapper[str | None],
) -> Callable[[Callable[[str], str | None]], _FontLookup]:
    """Give the decorated function *cache*'s ``cache_clear`` and ``cache_info``."""

    def attach(function: Callable[[str], str | None]) -> _FontLookup:
        function.__dict__.update(cache_clear=cache.cache_clear, cache_info=cache.cache_info)
        return cast("_FontLookup", function)

    return attach


@_with_cache_of(_font_for)
def cjk_font(text: str = _PROBE) -> str | None:
    """The name of a font matplotlib knows that has every glyph of *text*, or ``None``.

    The fonts of :data:`PREFERRED_FONTS` are tried first, then every other font but
    those that draw a placeholder for every character. matplotlib caches its list of
    fonts: a font installed after that cache was built is found once the cache
    (``matplotlib.get_cachedir()``) is removed. The answer for each *text* is
    remembered too: after adding a font during a session
    (``matplotlib.font_manager.fontManager.addfont(path)``), ``cjk_font.cache_clear()``
    has it looked up again (``cjk_font.cache_info()`` counts the lookups).

    Raises:
        InvalidData: *text* is not non-empty text (field ``text``).
    """
    if not isinstance(text, str) or not text.strip():
        raise InvalidData("text", f"expected the non-empty text to draw, got {text!r}")
    return _font_for(text)


def _language(lang: Lang | str | None, needed: str) -> tuple[Lang, list[str] | None]:
    """The language to draw in and the font family for it (``None``: matplotlib's default)."""
    chosen = Lang(_LANGUAGE.text(lang))  # the current language, or *lang* checked
    if chosen is not Lang.ZH:
        return chosen, None
    font = cjk_font(_PROBE + needed)
    if font is None:
        warnings.warn(
            "no installed font has the Chinese glyphs these labels need (on Debian:"
            " apt-get install fonts-noto-cjk); drawing the chart with English labels",
            FontFallback,
            stacklevel=3,
        )
        return Lang.EN, None
    return chosen, [font, "DejaVu Sans"]


_HEALTH = "a FunnelHealth (funnel_health…)"
_BIN = ("count", "mean_predicted", "observed_rate")


def _cycle(cycle: object) -> None:
    """Refuse *cycle* unless it is ``None`` or has the stages a chart names its bars by."""
    if cycle is not None:
        _reads(cycle, "cycle", "a Cycle or None", ("stages",))


def _figure(
    family: list[str] | None, size: tuple[float, float] = (7.0, 4.5)
) -> tuple[Figure, Axes]:
    """A figure with its own Agg canvas and one axes whose texts use *family*."""
    figure: Figure = _matplotlib("matplotlib.figure").Figure(figsize=size, layout="constrained")
    _matplotlib("matplotlib.backends.backend_agg").FigureCanvasAgg(figure)
    axes: Axes = figure.add_subplot()
    if family is not None:
        axes.tick_params(labelfontfamily=family)
    return figure, axes


def _kw(family: list[str] | None) -> dict[str, Any]:
    return {} if family is None else {"fontfamily": family}


def _stage_names(stages: Sequence[str], cycle: Cycle | None, lang: Lang) -> list[str]:
    if cycle is None:
        return list(stages)
    labels = {s.id: s.label.text(lang) for s in cycle.stages}
    return [labels.get(s, s) for s in stages]


def funnel_chart(
    health: FunnelHealth,
    *,
    cycle: Cycle | None = None,
    measure: str = "deals",
    lang: Lang | str | None = None,
) -> Figure:
    """The funnel: one centred bar per stage, as wide as its open deals (or amount).

    Each bar is labelled with its value and, from the second stage on, the conversion
    from the stage before (:attr:`~bigaccount.analytics.health.FunnelHealth.slope`).
    Stage names are the cycle's labels when *cycle* is given, else the stage ids (as
    for a stage the cycle does not have). *health* may be any object with the
    ``capacity`` and ``slope`` of a ``FunnelHealth``, *cycle* any with the ``stages`` of a
    ``Cycle``.

    Raises:
        InvalidData: *health* lacks ``capacity`` or ``slope``, *cycle* is neither
            ``None`` nor has ``stages``, *measure* is neither ``"deals"`` nor
            ``"amount"``, or an unknown *lang*; each naming the parameter.
    """
    _reads(health, "health", _HEALTH, ("capacity", "slope"))
    _cycle(cycle)
    if not isinstance(measure, str) or measure not in ("deals", "amount"):
        raise InvalidData("measure", f"expected 'deals' or 'amount', got {measure!r}")
    stages = [c.stage for c in health.capacity]
    names_zh = "".join(_stage_names(stages, cycle, Lang.ZH))
    chosen, family = _language(lang, names_zh)
    values = [
        float(c.deals) if measure == "deals" else float(c.amount.amount) for c in health.capacity
    ]
    figure, axes = _figure(family)
    positions = list(range(len(stages)))[::-1]
    axes.barh(positions, values, left=[-v / 2 for v in values], color="#3b75af", height=0.8)
    widest = max(values, default=0.0)
    for y, value, index in zip(positions, values, range(len(stages)), strict=True):
        text = f"{value:,.0f}"
        if index > 0 and health.slope[index - 1].rate is not None:
            text += f"  ({health.slope[index - 1].rate:.0%})"
        inside = widest > 0 and value >= 0.25 * widest
        axes.text(
            0,
            y,
            text,
            ha="center",
            va="center",
            color="white" if inside else "black",
            **_kw(family),
        )
    axes.set_yticks(positions, _stage_names(stages, cycle, chosen))
    axes.set_xticks([])
    axes.set_xlabel(TEXTS[measure].text(chosen), **_kw(family))
    axes.set_ylabel(TEXTS["stage"].text(chosen), **_kw(family))
    axes.set_title(TEXTS["funnel"].text(chosen), **_kw(family))
    return figure


def fan_chart(revenue: RevenueByPeriod, *, lang: Lang | str | None = None) -> Figure:
    """The forecast fan: per period, the P10–P90 band of won revenue, its median and mean.

    *revenue* must hold the quantiles 0.1, 0.5 and 0.9
    (:func:`~bigaccount.analytics.uncertainty.won_revenue_by_period`'s default); any
    object with the ``periods`` and ``total`` of a ``RevenueByPeriod`` will do.

    Raises:
        InvalidData: *revenue* lacks ``periods`` or ``total`` (with its ``quantiles``
            and ``currency``) or those quantiles, or an unknown *lang*; each naming the
            parameter.
    """
    what = "a RevenueByPeriod (won_revenue_by_period)"
    _reads(revenue, "revenue", what, ("periods", "total"))
    _reads(revenue.total, "revenue", what, ("quantiles", "currency"))
    held = {q.q for q in revenue.total.quantiles}
    if not held.issuperset(_FAN):
        raise InvalidData(
            "revenue",
            "the fan needs the quantiles 0.1, 0.5 and 0.9 (won_revenue_by_period's default);"
            f" it has {', '.join(str(q) for q in sorted(held)) or 'none'}",
        )
    chosen, family = _language(lang, "")
    periods = revenue.periods
    labels = [p.period.label if p.period is not None else "" for p in periods]
    low = [float(p.distribution.quantile("0.1").value.amount) for p in periods]
    mid = [float(p.distribution.quantile("0.5").value.amount) for p in periods]
    high = [float(p.distribution.quantile("0.9").value.amount) for p in periods]
    mean = [float(p.distribution.mean.amount) for p in periods]
    currency = revenue.total.currency
    figure, axes = _figure(family)
    x = list(range(len(periods)))
    axes.fill_between(x, low, high, alpha=0.3, color="#3b75af", label=TEXTS["band"].text(chosen))
    axes.plot(x, mid, color="#3b75af", marker="o", label=TEXTS["median"].text(chosen))
    axes.plot(x, mean, color="#d9822b", linestyle="--", label=TEXTS["mean"].text(chosen))
    axes.set_xticks(x, labels, rotation=45, ha="right")
    axes.set_xlabel(TEXTS["period"].text(chosen), **_kw(family))
    axes.set_ylabel(f"{TEXTS['amount'].text(chosen)} ({currency})", **_kw(family))
    axes.set_title(TEXTS["fan"].text(chosen), **_kw(family))
    axes.legend(prop={"family": family} if family else None)
    return figure


def reliability_diagram(
    table: Iterable[ReliabilityBin], *, lang: Lang | str | None = None
) -> Figure:
    """Observed win rate against predicted probability, bin by bin, beside the diagonal.

    *table* is a reliability table
    (:func:`~bigaccount.analytics.accuracy.reliability`); each point's size grows with
    its bin's count. A calibrated model's points lie on the diagonal. A bin may be any
    object with the ``count``, ``mean_predicted`` and ``observed_rate`` of a
    ``ReliabilityBin``.

    Raises:
        InvalidData: *table* is not an iterable of such bins (field ``table``, or
            ``table[i]`` for a bin without them), or an unknown *lang*.
    """
    given = _items(table)
    if given is None or all(hasattr(table, n) for n in _BIN):
        raise InvalidData(
            "table",
            f"expected a sequence of ReliabilityBin (reliability…), got {_shown(table)}",
        )
    for index, row in enumerate(given):
        _reads(row, f"table[{index}]", "a ReliabilityBin", _BIN)
    rows = cast("list[ReliabilityBin]", given)
    chosen, family = _language(lang, "")
    figure, axes = _figure(family, (5.5, 5.0))
    axes.plot([0, 1], [0, 1], color="grey", linestyle=":", label=TEXTS["perfect"].text(chosen))
    top = max((r.count for r in rows), default=1)
    axes.plot(
        [r.mean_predicted for r in rows],
        [r.observed_rate for r in rows],
        color="#3b75af",
        label=TEXTS["bins"].text(chosen),
    )
    axes.scatter(
        [r.mean_predicted for r in rows],
        [r.observed_rate for r in rows],
        s=[20 + 180 * r.count / top for r in rows],
        color="#3b75af",
        zorder=3,
    )
    axes.set_xlim(0, 1)
    axes.set_ylim(0, 1)
    axes.set_xlabel(TEXTS["predicted"].text(chosen), **_kw(family))
    axes.set_ylabel(TEXTS["observed"].text(chosen), **_kw(family))
    axes.set_title(TEXTS["reliability"].text(chosen), **_kw(family))
    axes.legend(prop={"family": family} if family else None)
    return figure


def time_in_stage_chart(
    health: FunnelHealth, *, cycle: Cycle | None = None, lang: Lang | str | None = None
) -> Figure:
    """The distribution of finished stays per stage, as boxes: quartiles, median, extremes.

    A box spans P25–P75 with the median marked; the whiskers reach the shortest stay and
    the longest one or Tukey's fence ``P75 + 1.5·IQR``, whichever is shorter. Stages
    without a finished stay are left out. Stages are named as by :func:`funnel_chart`;
    *health* may be any object with the ``time_in_stage`` of a ``FunnelHealth``.

    Raises:
        InvalidData: *health* lacks ``time_in_stage``, *cycle* is neither ``None`` nor
            has ``stages``, or an unknown *lang*; each naming the parameter.
    """
    _reads(health, "health", _HEALTH, ("time_in_stage",))
    _cycle(cycle)
    flows = [f for f in health.time_in_stage if f.stays is not None]
    stages = [f.stage for f in flows]
    chosen, family = _language(lang, "".join(_stage_names(stages, cycle, Lang.ZH)))
    names = _stage_names(stages, cycle, chosen)
    boxes = []
    for flow, name in zip(flows, names, strict=True):
        stats = flow.stays
        assert stats is not None
        boxes.append(
            {
                "label": name,
                "med": stats.median,
                "q1": stats.p25,
                "q3": stats.p75,
                "whislo": stats.minimum,
                "whishi": min(stats.maximum, stats.fence),
                "mean": stats.mean,
                "fliers": [],
            }
        )
    figure, axes = _figure(family)
    if boxes:
        axes.bxp(boxes, showmeans=True)
    axes.set_xlabel(TEXTS["stage"].text(chosen), **_kw(family))
    axes.set_ylabel(TEXTS["days"].text(chosen), **_kw(family))
    axes.set_title(TEXTS["time_in_stage"].text(chosen), **_kw(family))
    return figure
