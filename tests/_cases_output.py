"""The input census's cases for the output modules: charts, displays, declarations, money, io.

``bigaccount.plot``, ``bigaccount.display``, ``bigaccount.declarations``,
``bigaccount.money`` and ``bigaccount.io`` are surveyed in full (``load_cycle``,
``dump_cycle``, ``Money`` and ``total`` are cases of the census itself, under
``bigaccount.__all__``). Of io's calls the document's text is always a valid one: hostile
text is the fuzz tests' subject.

A chart is shown by what it says (:func:`drawn`): figures compare by identity, and a
machine without a font for Chinese falls back to English with a warning, which is the
fallback's own test (``test_plot.py``), not this one's.
"""

from __future__ import annotations

import datetime as dt
import inspect
import warnings
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import cattrs
from hypothesis import strategies as st

from _inputs import (
    EXEMPT,
    INF,
    JUNK,
    JUNK_DRAW,
    NAN,
    SURVEYED,
    T0,
    Fresh,
    L,
    case,
    flag,
    lang,
    many,
    name,
    one,
    real,
    special,
    text,
)
from bigaccount import (
    Account,
    Criterion,
    Cycle,
    Deal,
    GateReport,
    Money,
    Snapshot,
    Stage,
    declarations,
    display,
    dump_cycle,
    get_cycle,
    io,
    money,
    plot,
)
from bigaccount.analytics.accuracy import ReliabilityBin, reliability
from bigaccount.analytics.forecast import forecast_columns
from bigaccount.analytics.health import FunnelHealth, funnel_health_columns
from bigaccount.analytics.periods import Horizon
from bigaccount.analytics.uncertainty import (
    RevenueByPeriod,
    won_revenue_by_period,
)
from bigaccount.gates import OPEN

# -- sample values ---------------------------------------------------------------------

FUNNEL = get_cycle("funnel")
FUNNEL_STAGES = [s.id for s in FUNNEL.stages]
HEALTH = funnel_health_columns(
    ["TARGET"] * 3 + ["INTENT"] * 2 + ["WON"],
    [100] * 6,
    order=FUNNEL_STAGES,
    currency="CNY",
    stays=(["TARGET"] * 3 + ["INTENT"] * 2, [3, 5, 8, 10, 12]),
)
HORIZON = Horizon(dt.date(2026, 1, 1), 2)
REVENUE = won_revenue_by_period(
    [100, 250, 300],
    ["0.5", "0.2", "0.9"],
    [dt.date(2026, 1, 10), dt.date(2026, 2, 10), dt.date(2026, 2, 20)],
    horizon=HORIZON,
    currency="CNY",
)
MEDIAN_ONLY = won_revenue_by_period(
    [100], ["0.5"], [dt.date(2026, 1, 10)], horizon=HORIZON, currency="CNY", quantiles=("0.5",)
)
"""A spread without the P10 and P90 a fan chart draws."""
BINS = reliability([0.1, 0.15, 0.8, 0.85], [False, True, True, True], bins=5)
FORECAST = forecast_columns(
    [Decimal("1000"), Decimal("250")],
    ["0.5", "0.2"],
    [dt.date(2026, 1, 9), None],
    horizon=HORIZON,
    currency="CNY",
    tax="exclusive",
)
CHECK = FUNNEL.check(Snapshot.of({}), "start")
FACT = Criterion.fact("visited", "已拜访", "visited")
REPORT = GateReport("A", L, False, (), (FACT,), 1)


def a_deal() -> Deal:
    deal = Deal("D-9", Account("Acme", "sme"), Money("100", "CNY"))
    deal.establish("materials_sent", "first_contact", at=T0)
    deal.start("funnel", at=T0)
    return deal


DEAL = a_deal()
SMALL = Cycle("output_check", L, "pipeline", [Stage("A", L, 0.1, OPEN), Stage("B", L, 0.5, OPEN)])
SMALL_DATA = declarations.cycle_to_data(SMALL)
SMALL_TOML = dump_cycle(SMALL)


def drawn(chart: Callable[..., Any]) -> Callable[..., Any]:
    """A call of *chart* that shows the figure by its texts, then lets the figure go.

    Two figures of the same chart are equal when they say the same: each axes' title,
    axis labels and tick labels. A missing font for Chinese (a :class:`FontFallback`
    warning) is not this census's subject.
    """

    def call(*args: Any, **kwargs: Any) -> Any:
        from bigaccount.plot import FontFallback

        with warnings.catch_warnings():
            warnings.simplefilter("ignore", FontFallback)
            figure = chart(*args, **kwargs)
        shown = tuple(
            (
                axes.get_title(),
                axes.get_xlabel(),
                axes.get_ylabel(),
                tuple(t.get_text() for t in axes.get_xticklabels()),
                tuple(t.get_text() for t in axes.get_yticklabels()),
            )
            for axes in figure.axes
        )
        figure.clear()
        return shown

    call.__signature__ = inspect.signature(chart)  # type: ignore[attr-defined]
    call.__module__ = chart.__module__
    return call


LANG = lang()
NOT_A_VALUE = one(object)
"""A value the function reads, here anything that is not of its type."""


# -- bigaccount.plot -------------------------------------------------------------------

case("cjk_font", plot.cjk_font, {"text": "销售"}, {"text": text()})
case(
    "funnel_chart",
    drawn(plot.funnel_chart),
    {"health": HEALTH, "cycle": FUNNEL, "measure": "amount", "lang": "en"},
    {
        "health": special(*one(FunnelHealth).bad, REVENUE, [HEALTH]),
        "cycle": special(*one(Cycle, optional=True).bad, "funnel", HEALTH),
        "measure": special(None, "weight", "", "Deals", 1, True, [], ["deals"], JUNK),
        "lang": LANG,
    },
)
case(
    "fan_chart",
    drawn(plot.fan_chart),
    {"revenue": REVENUE, "lang": "en"},
    {
        "revenue": special(*one(RevenueByPeriod).bad, REVENUE.total, HEALTH, MEDIAN_ONLY),
        "lang": LANG,
    },
)
case(
    "reliability_diagram",
    drawn(plot.reliability_diagram),
    {"table": BINS, "lang": "en"},
    {"table": many(ReliabilityBin, BINS[0]), "lang": LANG},
)
case(
    "time_in_stage_chart",
    drawn(plot.time_in_stage_chart),
    {"health": HEALTH, "cycle": FUNNEL, "lang": "en"},
    {
        "health": special(*one(FunnelHealth).bad, REVENUE, [HEALTH]),
        "cycle": special(*one(Cycle, optional=True).bad, "funnel", HEALTH),
        "lang": LANG,
    },
)
EXEMPT["FontFallback"] = "a warning category: issued by the library, not called"
SURVEYED.append("bigaccount.plot")


# -- bigaccount.display ----------------------------------------------------------------


class FakeFormatter:
    """The part of IPython's markdown formatter the extension uses: types by name."""

    def __init__(self) -> None:
        self.names: list[tuple[str, str]] = []

    def for_type_by_name(self, module: str, name: str, render: object) -> None:
        self.names.append((module, name))


class FakeDisplay:
    def __init__(self) -> None:
        self.formatters = {"text/markdown": FakeFormatter()}


class FakeShell:
    """An IPython shell as far as ``%load_ext bigaccount.display`` reads it."""

    def __init__(self) -> None:
        self.display_formatter = FakeDisplay()


def registered(ipython: object) -> object:
    """:func:`~bigaccount.display.load_ipython_extension`, showing what it registered."""
    display.load_ipython_extension(ipython)
    return tuple(ipython.display_formatter.formatters["text/markdown"].names)  # type: ignore[attr-defined]


registered.__module__ = "bigaccount.display"


case(
    "report_markdown",
    display.report_markdown,
    {"report": REPORT, "lang": "en"},
    {"report": special(*NOT_A_VALUE.bad, CHECK, FACT), "lang": LANG},
)
case(
    "check_markdown",
    display.check_markdown,
    {"check": CHECK, "lang": "en"},
    {"check": special(*NOT_A_VALUE.bad, REPORT, DEAL), "lang": LANG},
)
case(
    "deal_markdown",
    display.deal_markdown,
    {"deal": DEAL, "lang": "en"},
    {"deal": special(*NOT_A_VALUE.bad, CHECK, DEAL.account), "lang": LANG},
)
case(
    "forecast_markdown",
    display.forecast_markdown,
    {"forecast": FORECAST, "lang": "en"},
    {"forecast": special(*NOT_A_VALUE.bad, REVENUE, FORECAST.total), "lang": LANG},
)
case(
    "revenue_markdown",
    display.revenue_markdown,
    {"revenue": REVENUE, "lang": "en"},
    {"revenue": special(*NOT_A_VALUE.bad, FORECAST, REVENUE.total), "lang": LANG},
)
case(
    "distribution_markdown",
    display.distribution_markdown,
    {"distribution": REVENUE.total, "lang": "en"},
    {"distribution": special(*NOT_A_VALUE.bad, REVENUE, FORECAST), "lang": LANG},
)
case(
    "load_ipython_extension",
    registered,
    {"ipython": Fresh(FakeShell)},
    {"ipython": special(None, 1, "x", [], {}, JUNK, FakeDisplay())},
)
case(
    "table",
    display.table,
    {"headers": ["a", "b"], "rows": [[1, "x|y"], ("2", None)]},
    {
        "headers": special(
            None,
            1,
            "one",
            b"x",
            JUNK,
            {"a": "b"},
            [],
            iter(()),
            draw=st.one_of(
                st.integers(),
                st.none(),
                st.text(),
                st.binary(),
                st.dictionaries(st.text(max_size=2), JUNK_DRAW),
                st.just(()),
            ),
        ),
        "rows": special(
            None,
            1,
            "ab",
            b"x",
            JUNK,
            {"a": 1},
            [1],
            ["ab"],
            [None],
            [[1]],
            [[1, 2, 3]],
            [{}],
            [{"a": 1, "b": 2}],
            [[1, 2], b"xy"],
        ),
    },
)
SURVEYED.append("bigaccount.display")


# -- bigaccount.declarations -----------------------------------------------------------

case(
    "builtin_data",
    declarations.builtin_data,
    {"name": "funnel"},
    {"name": name(("funnel", "catalogues", "valuechain"))},
)
case("cycle_to_data", declarations.cycle_to_data, {"cycle": SMALL}, {"cycle": one(Cycle)})
case(
    "read_cycle",
    declarations.read_cycle,
    {"data": SMALL_DATA, "source": "small.toml"},
    {
        "data": special(
            None, 1, "x", b"x", [], JUNK, {}, {**SMALL_DATA, "stages": 1}, {1: "x"}, [SMALL_DATA]
        ),
        "source": text(),
    },
    names={"data": ("small.toml",)},
)
case(
    "read_source",
    declarations.read_source,
    {"source": SMALL_TOML, "format": "toml"},
    {
        "source": special(
            None, 1, b"x", [], JUNK, "not = [toml", "[[a]]\nx = 1\n[a]", Path("/nonexistent/c.toml")
        ),
        "format": special("yaml", 1, "", "TOML", [], JUNK),
    },
    names={"source": ("<source>", "<text>", "c.toml")},
)
SURVEYED.append("bigaccount.declarations")


# -- bigaccount.money ------------------------------------------------------------------

KWD = money.currency_info("KWD")
case(
    "Currency",
    money.Currency,
    {"code": "KWD", "number": "414", "minor_unit": 3, "name": "Kuwaiti Dinar"},
    {
        "code": special(*text().bad, "kwd", "KW", "KWDX", "K1D", "ＫＷＤ"),
        "number": special(*text().bad, 414, "41", "4140", "41a", "٤١٤"),
        "minor_unit": real(0, money.MAX_PLACES, whole=True, optional=True),
        "name": text(),
    },
)
CURRENCY_CODE = special(None, "XYZ", "cny ", "", "CN", 156, b"CNY", [], ["CNY"], JUNK)
case(
    "currency_info",
    money.currency_info,
    {"code": "cny"},
    {"code": CURRENCY_CODE},
    names={"code": ("currency",)},
)
case("iso_currencies", money.iso_currencies)
case(
    "to_decimal",
    money.to_decimal,
    {"value": "1.50", "name": "rate"},
    {
        "value": special(None, 1.5, NAN, "1,2,3", "１２３", "1e999999999", [], JUNK, True, 10**30),
        "name": text(),
    },
    names={"value": ("rate",)},
)
case("Money.zero", Money.zero, {"currency": "CNY"}, {"currency": CURRENCY_CODE})
case(
    "Money.scaled",
    Money("100", "CNY").scaled,
    {"factor": "0.25"},
    {
        "factor": special(
            None, NAN, INF, True, "x", "1,5", "1e5", [], JUNK, Decimal("NaN"), 10**30, 1j
        )
    },
)
case(
    "Money.rounded",
    Money("100.125", "CNY").rounded,
    {"rounding": "ROUND_HALF_UP"},
    {"rounding": special(None, "half_up", "", 1, [], JUNK)},
)
SURVEYED.append("bigaccount.money")


# -- bigaccount.io: the options --------------------------------------------------------
#
# The document's text is the subject of the fuzz tests (test_io_fuzz.py): here it is a
# valid document, and every other parameter gets the wrong values.


def bound(function: Callable[..., Any], **values: object) -> Callable[..., Any]:
    """A call of *function* with *values* given (a :class:`Fresh` made anew), and the rest."""
    signature = inspect.signature(function)
    rest = [p for k, p in signature.parameters.items() if k not in values]

    def call(**kwargs: Any) -> Any:
        given = {k: (v.make() if isinstance(v, Fresh) else v) for k, v in values.items()}
        return function(**given, **kwargs)

    call.__signature__ = signature.replace(parameters=rest)  # type: ignore[attr-defined]
    call.__module__ = function.__module__
    return call


UNKNOWN = special(None, "", "FORBID", "warn", 1, True, [], {}, JUNK)
LIMIT = real(1, whole=True)
IO_DEAL = Deal("D-1", Account("Acme", "sme"), Money("1", "CNY"))
IO_TEXT = io.dumps(IO_DEAL)
DOCUMENT_TYPE = special(None, "Deal", 1, [], {}, JUNK, Money, object)
FLAG = flag()

EXEMPT["Unknown"] = "a Literal type alias ('forbid' | 'ignore'), not a callable"
case(
    "configure_converter",
    io.configure_converter,
    {"conv": Fresh(cattrs.Converter), "redact_personal": False, "unknown": "ignore"},
    {
        "conv": special(None, "converter", 1, [], {}, JUNK, cattrs.Converter),
        "redact_personal": FLAG,
        "unknown": UNKNOWN,
    },
)
case(
    "make_converter",
    io.make_converter,
    {"redact_personal": False, "unknown": "ignore"},
    {"redact_personal": FLAG, "unknown": UNKNOWN},
)
case(
    "loads",
    bound(io.loads, text=IO_TEXT),
    {"cls": Deal, "unknown": "forbid", "max_size": 10**6, "max_depth": 32},
    {
        "cls": DOCUMENT_TYPE,
        "unknown": UNKNOWN,
        "max_size": LIMIT,
        "max_depth": LIMIT,
        "max_digits": LIMIT,
        "max_string": LIMIT,
    },
    names={"cls": ("type",)},
)
case(
    "dumps",
    bound(io.dumps, obj=IO_DEAL),
    {"redact": False, "indent": 2},
    {
        "redact": FLAG,
        "indent": special("1", True, -1, 1.5, NAN, INF, [], {}, JUNK, Decimal(2)),
    },
)
case(
    "loads_many",
    io.loads_many,
    {"texts": [IO_TEXT, IO_TEXT], "cls": Deal, "options": {"unknown": "ignore"}},
    {
        "texts": special(None, IO_TEXT, IO_TEXT.encode(), 1, JUNK),
        "cls": DOCUMENT_TYPE,
        # **options: only mappings can be spread as keywords, so only they are tried.
        "options": special(
            {"bogus": 1},
            {"text": IO_TEXT},
            {"unknown": []},
            {"unknown": "warn"},
            {"max_size": "1"},
            {"max_depth": 0},
        ),
    },
    names={"cls": ("type",), "options": ("unknown", "max_size", "max_depth")},
)
SURVEYED.append("bigaccount.io")
