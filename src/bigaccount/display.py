"""How bigaccount's values show themselves in a notebook: markdown a person reads at a glance.

Jupyter shows the last value of a cell by its ``_repr_markdown_``: a
:class:`~bigaccount.Cycle` shows its diagram and stage table
(:func:`bigaccount.diagrams.overview`), a :class:`~bigaccount.GateReport` its
criteria (:func:`report_markdown`), a :class:`~bigaccount.MoveCheck` the gates on its
way (:func:`check_markdown`), a :class:`~bigaccount.Deal` its stages, blockers and
history (:func:`deal_markdown`). Texts are in the display language in force
(:func:`bigaccount.set_language`) unless a ``lang`` is given.

The analytics values — a :class:`~bigaccount.analytics.forecast.Forecast`, a
won-revenue spread — are rendered by :func:`forecast_markdown` and
:func:`revenue_markdown`; ``%load_ext bigaccount.display`` has IPython show them so
(:func:`load_ipython_extension`).

Every function reads its value by attribute only and imports nothing but the labels,
so that the engine can display itself without an import circle, and nothing here runs
when ``import bigaccount`` does. A display never raises for a value that exists: a
gate that cannot be judged (say, a segment rule on evidence without a segment) shows
why instead. A value that lacks what its display reads (``None``, a text, another
kind of result) is :class:`~bigaccount.errors.InvalidData` naming the parameter,
checked before anything is read.

>>> from bigaccount import Context, Criterion, Snapshot, all_of
>>> visited = Criterion.fact("visited", "已拜访", "visited")
>>> need = Criterion.fact("need", "需求明确", "clear need")
>>> evidence = Snapshot.of({"visited": True})
>>> report = all_of(visited, need).evaluate(evidence, Context(), "INTENT")
>>> print(report_markdown(report, lang="en"))
INTENT: needs 1 more (all 2 must hold); missing: clear need
<BLANKLINE>
| holds | id | criterion |
| --- | --- | --- |
| ✓ | visited | visited |
| ✗ | need | clear need |
<BLANKLINE>
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any, Protocol

from .errors import BigAccountError, InvalidData
from .labels import Label, Lang, get_language

__all__ = [
    "HISTORY_ROWS",
    "check_markdown",
    "deal_markdown",
    "distribution_markdown",
    "forecast_markdown",
    "load_ipython_extension",
    "report_markdown",
    "revenue_markdown",
    "table",
]

HISTORY_ROWS = 12
"""How many of a deal's latest events :func:`deal_markdown` lists."""

_T = {
    "holds": Label("满足", "holds"),
    "id": Label("标识", "id"),
    "criterion": Label("条件", "criterion"),
    "segment": Label("客户类型", "segment"),
    "allowed": Label("可以", "allowed"),
    "blocked": Label("受阻", "blocked"),
    "no_move": Label("此处没有这一步", "no such move here"),
    "cycle": Label("循环", "cycle"),
    "state": Label("状态", "state"),
    "stage": Label("阶段", "stage"),
    "probability": Label("赢单概率", "win probability"),
    "weighted": Label("加权金额", "weighted amount"),
    "owner": Label("负责人", "owner"),
    "close": Label("预计签约", "expected close"),
    "not_started": Label("尚未进入任何循环", "not in any cycle yet"),
    "blockers": Label("下一步还缺", "missing for the next move"),
    "nothing_missing": Label("无", "nothing"),
    "history": Label("记录", "history"),
    "latest": Label("最近{shown}条，共{total}条", "the latest {shown} of {total}"),
    "no_events": Label("暂无记录", "no events yet"),
    "when": Label("时间", "at"),
    "change": Label("变更", "change"),
    "by": Label("记录人", "by"),
    "source": Label("来源", "source"),
    "retracted": Label("撤销", "retracted"),
    "imported": Label("导入", "imported"),
    "period": Label("期间", "period"),
    "deals": Label("商机数", "deals"),
    "amount": Label("金额", "amount"),
    "overdue": Label("逾期", "overdue"),
    "later": Label("以后", "later"),
    "undated": Label("无日期", "undated"),
    "total": Label("合计", "total"),
    "mean": Label("期望值", "mean"),
    "sd": Label("标准差", "sd"),
    "in": Label("单位", "in"),
    "bracket": Label("分位数误差不超过", "quantiles within"),
}


def _chosen(lang: Lang | str | None) -> Lang:
    return get_language() if lang is None else Lang(lang)


def _shown(value: object) -> str:
    shown = repr(value)
    return shown if len(shown) <= 60 else shown[:57] + "..."


def _reads(value: object, field: str, what: str, names: tuple[str, ...]) -> None:
    """Refuse *value* unless it has every attribute of *names* (what its display reads)."""
    missing = [n for n in names if not hasattr(value, n)]
    if missing:
        raise InvalidData(
            field, f"expected {what}, got {_shown(value)}, which has no {', '.join(missing)}"
        )


def _cell(value: object) -> str:
    return str(value).replace("|", "\\|").replace("\n", " ")


def table(headers: Iterable[object], rows: Iterable[Iterable[object]]) -> str:
    """A markdown table of *rows* under *headers*, cells escaped (``|`` and line breaks).

    *headers* and each row may be any iterable of values but a text, bytes or a mapping
    (a list, a tuple, a numpy array, ``df.columns``, ``d.keys()``, ``d.values()``), and
    *rows* any iterable of rows (``df.values`` or a 2-d array too); every cell, header
    or not, is shown as its ``str``.

    Raises:
        InvalidData: *headers* is not an iterable of at least one value (field
            ``headers``), or *rows* is not an iterable of rows of as many cells as there
            are headers (field ``rows`` or ``rows[i]``).

    >>> print(table(["a", "b"], [[1, "x|y"]]), end="")
    | a | b |
    | --- | --- |
    | 1 | x\\|y |
    >>> print(table(range(2024, 2026), [{"a": 1, "b": 2}.values()]), end="")
    | 2024 | 2025 |
    | --- | --- |
    | 1 | 2 |
    """
    names = _items(headers)
    if names is None:
        raise InvalidData("headers", f"expected an iterable of column names, got {_shown(headers)}")
    if not names:
        raise InvalidData("headers", "a table needs at least one column")
    body = _items(rows)
    if body is None:
        raise InvalidData("rows", f"expected an iterable of rows, got {_shown(rows)}")
    width = len(names)
    lines = ["| " + " | ".join(_cell(h) for h in names) + " |"]
    lines.append("| " + " | ".join("---" for _ in names) + " |")
    for index, row in enumerate(body):
        row_cells = _items(row)
        if row_cells is None:
            raise InvalidData(f"rows[{index}]", f"expected an iterable of cells, got {_shown(row)}")
        if len(row_cells) != width:
            raise InvalidData(f"rows[{index}]", f"has {len(row_cells)} cells under {width} headers")
        lines.append("| " + " | ".join(_cell(c) for c in row_cells) + " |")
    return "\n".join(lines) + "\n"


def _items(value: object) -> list[object] | None:
    """The values of *value* if it is an iterable of cells (not a text, bytes or mapping)."""
    if isinstance(value, (str, bytes, bytearray, Mapping)) or not isinstance(value, Iterable):
        return None
    try:
        return list(value)
    except TypeError:  # a 0-d numpy array says it is iterable, then refuses
        return None


# -- gates -----------------------------------------------------------------------------


class _Criterion(Protocol):
    @property
    def id(self) -> str: ...
    @property
    def label(self) -> Label: ...


class _Labelled(Protocol):
    @property
    def label(self) -> Label: ...


class ReportLike(Protocol):
    """What :func:`report_markdown` reads (a :class:`~bigaccount.GateReport` has it)."""

    @property
    def held(self) -> Sequence[_Criterion]: ...
    @property
    def missing(self) -> Sequence[_Criterion]: ...
    @property
    def segment(self) -> _Labelled | None: ...
    def explain(self, lang: Lang | str | None = None) -> str: ...


_REPORT = ("held", "missing", "segment", "explain")


def report_markdown(report: ReportLike, lang: Lang | str | None = None) -> str:
    """A gate report: its explanation, then each criterion of the rule applied, held or not.

    The held criteria come first (✓), then the missing ones (✗), in the gate's order;
    a rule chosen by the customer's segment names the segment.

    Raises:
        InvalidData: *report* lacks what :class:`ReportLike` reads (field ``report``),
            or an unknown *lang*.
    """
    _reads(report, "report", "a GateReport", _REPORT)
    chosen = _chosen(lang)
    lines = [report.explain(chosen)]
    if report.segment is not None:
        lines[0] += f" ({_T['segment'].text(chosen)}: {report.segment.label.text(chosen)})"
    rows = [("✓", c.id, c.label.text(chosen)) for c in report.held]
    rows += [("✗", c.id, c.label.text(chosen)) for c in report.missing]
    text = lines[0] + "\n"
    if rows:
        headers = [_T[k].text(chosen) for k in ("holds", "id", "criterion")]
        text += "\n" + table(headers, rows)
    return text


class CheckLike(Protocol):
    """What :func:`check_markdown` reads (a :class:`~bigaccount.MoveCheck` has it)."""

    @property
    def trigger(self) -> str: ...
    @property
    def source(self) -> str: ...
    @property
    def dest(self) -> str | None: ...
    @property
    def allowed(self) -> bool: ...
    @property
    def reports(self) -> Sequence[ReportLike]: ...


_CHECK = ("trigger", "source", "dest", "allowed", "reports")


def check_markdown(check: CheckLike, lang: Lang | str | None = None) -> str:
    """The answer to "may this move be made?": the move, allowed or not, and every gate's report.

    >>> from bigaccount import Snapshot, get_cycle
    >>> answer = get_cycle("funnel").check(Snapshot.of({}), "start")
    >>> print(check_markdown(answer, lang="en").splitlines()[0])
    **start**: <start> → TARGET — blocked

    Raises:
        InvalidData: *check* lacks what :class:`CheckLike` reads (field ``check``), or
            an unknown *lang*.
    """
    _reads(check, "check", "a MoveCheck", _CHECK)
    chosen = _chosen(lang)
    if check.dest is None:
        return f"**{check.trigger}**: {check.source} — {_T['no_move'].text(chosen)}\n"
    verdict = _T["allowed" if check.allowed else "blocked"].text(chosen)
    parts = [f"**{check.trigger}**: {check.source} → {check.dest} — {verdict}\n"]
    parts += [report_markdown(r, chosen) for r in check.reports if r.held or r.missing]
    return "\n".join(parts)


# -- deals -----------------------------------------------------------------------------


class _Account(Protocol):
    @property
    def name(self) -> str: ...
    @property
    def segment(self) -> _Labelled: ...


class _Track(Protocol):
    @property
    def state(self) -> str: ...


class DealLike(Protocol):
    """What :func:`deal_markdown` reads (a :class:`~bigaccount.Deal` has it)."""

    @property
    def id(self) -> str: ...
    @property
    def account(self) -> _Account: ...
    @property
    def amount(self) -> object: ...
    @property
    def owner(self) -> str | None: ...
    @property
    def expected_close(self) -> dt.date | None: ...
    @property
    def tracks(self) -> Mapping[str, _Track]: ...
    @property
    def events(self) -> Sequence[Any]: ...
    def stage(self, cycle: str) -> Any: ...
    def probability(self, cycle: str) -> float: ...
    def weighted_amount(self, cycle: str) -> object: ...
    def check(self, cycle: str, trigger: str = "advance") -> Any: ...


_DEAL: tuple[str, ...] = ("id", "account", "amount", "owner", "expected_close", "tracks")
_DEAL += ("events", "stage", "probability", "weighted_amount", "check")


def _when(moment: dt.datetime) -> str:
    offset = moment.utcoffset()
    if offset is not None and not offset:
        return moment.strftime("%Y-%m-%d %H:%M UTC")
    return moment.isoformat(sep=" ", timespec="minutes")


def _change(event: Any, chosen: Lang) -> str:
    fact = getattr(event, "fact", None)
    if fact is not None:
        if event.value is None:
            return f"{fact}: {_T['retracted'].text(chosen)}"
        return f"{fact} = {event.value}"
    source = "∅" if event.source is None else event.source
    text = f"{event.cycle}: {source} → {event.dest} ({event.trigger})"
    if event.reason:
        text += f" — {event.reason}"
    if event.imported:
        text += f" [{_T['imported'].text(chosen)}]"
    return text


def _stage_row(deal: DealLike, name: str, chosen: Lang) -> tuple[object, ...]:
    state = deal.tracks[name].state
    try:
        stage = deal.stage(name)
        probability = f"{deal.probability(name):.0%}"
        weighted = deal.weighted_amount(name)
    except BigAccountError:  # a cycle the registry does not know: only its state is known
        return (name, state, "—", "—", "—")
    return (name, state, "—" if stage is None else stage.label.text(chosen), probability, weighted)


def _origin(event: Any) -> str | None:
    if getattr(event, "fact", None) is not None:
        source: str | None = event.source
        return source
    return event.source_system if event.imported else None


def _blockers(deal: DealLike, name: str, chosen: Lang) -> str | None:
    try:
        answer = deal.check(name, "advance")
        if answer.dest is None:
            answer = deal.check(name, "win")
        if answer.dest is None:
            return None
        if answer.allowed:
            return f"{name} → {answer.dest}: {_T['nothing_missing'].text(chosen)}"
        failing = [r.explain(chosen) for r in answer.reports if not r.passed]
        return f"{name} · " + "; ".join(failing)
    except BigAccountError as error:
        return f"{name}: {error}"


def deal_markdown(deal: DealLike, lang: Lang | str | None = None) -> str:
    """A deal: who and how much, where it stands in each cycle, what blocks it, its latest events.

    The stage table gives, per cycle, the state, the stage's name, its win probability
    and the weighted amount; the blockers are the missing criteria of each gate on the
    next move (advance, or win at a pipeline's last stage); the history lists the
    :data:`HISTORY_ROWS` latest events, newest last.

    >>> import datetime as dt
    >>> from bigaccount import Account, Deal, Money
    >>> at = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.timezone.utc)
    >>> deal = Deal("KA-017", Account("江南智造集团", "enterprise"), Money("2400000", "CNY"))
    >>> _ = deal.establish("materials_sent", "first_contact", at=at)
    >>> _ = deal.start("funnel", at=at)
    >>> print(deal_markdown(deal, lang="en"))  # doctest: +ELLIPSIS
    **KA-017** · 江南智造集团 (mid-size or large enterprise) · 2,400,000 CNY
    <BLANKLINE>
    | cycle | state | stage | win probability | weighted amount |
    | --- | --- | --- | --- | --- |
    | funnel | TARGET | target | 10% | 240,000.0 CNY |
    <BLANKLINE>
    **missing for the next move**
    <BLANKLINE>
    - funnel · INTENT: needs 2 more (at least 2 of 4); missing: ...
    <BLANKLINE>
    **history** (3)
    <BLANKLINE>
    | # | at | change | by | source |
    | --- | --- | --- | --- | --- |
    | 1 | 2026-03-02 09:00 UTC | materials_sent = True |  |  |
    | 2 | 2026-03-02 09:00 UTC | first_contact = True |  |  |
    | 3 | 2026-03-02 09:00 UTC | funnel: ∅ → TARGET (start) |  |  |
    <BLANKLINE>

    Raises:
        InvalidData: *deal* lacks what :class:`DealLike` reads (field ``deal``), or an
            unknown *lang*.
    """
    _reads(deal, "deal", "a Deal", _DEAL)
    chosen = _chosen(lang)
    account = deal.account
    head = f"**{deal.id}** · {account.name} ({account.segment.label.text(chosen)}) · {deal.amount}"
    if deal.owner is not None:
        head += f" · {_T['owner'].text(chosen)}: {deal.owner}"
    if deal.expected_close is not None:
        head += f" · {_T['close'].text(chosen)}: {deal.expected_close.isoformat()}"
    parts = [head + "\n"]
    names = list(deal.tracks)
    if names:
        rows = [_stage_row(deal, name, chosen) for name in names]
        headers = [_T[k].text(chosen) for k in ("cycle", "state", "stage", "probability")]
        parts.append(table([*headers, _T["weighted"].text(chosen)], rows))
        blockers = [b for b in (_blockers(deal, n, chosen) for n in names) if b is not None]
        if blockers:
            items = "\n".join(f"- {b}" for b in blockers)
            parts.append(f"**{_T['blockers'].text(chosen)}**\n\n{items}\n")
    else:
        parts.append(_T["not_started"].text(chosen) + "\n")
    parts.append(_history(deal.events, chosen))
    return "\n".join(parts)


def _history(events: Sequence[Any], chosen: Lang) -> str:
    title = f"**{_T['history'].text(chosen)}**"
    if not events:
        return f"{title}: {_T['no_events'].text(chosen)}\n"
    first = max(0, len(events) - HISTORY_ROWS)
    shown = events[first:]
    if first:
        count = _T["latest"].text(chosen).format(shown=len(shown), total=len(events))
    else:
        count = str(len(events))
    rows = [
        (first + i + 1, _when(e.at), _change(e, chosen), e.actor or "", _origin(e) or "")
        for i, e in enumerate(shown)
    ]
    headers = ["#", *(_T[k].text(chosen) for k in ("when", "change", "by", "source"))]
    return f"{title} ({count})\n\n" + table(headers, rows)


# -- analytics -------------------------------------------------------------------------


def _number(value: Decimal | int) -> str:
    return f"{value:,}"


class _Money(Protocol):
    @property
    def amount(self) -> Decimal: ...


class _Period(Protocol):
    @property
    def label(self) -> str: ...


class _Totals(Protocol):
    @property
    def period(self) -> _Period | None: ...
    @property
    def deals(self) -> int: ...
    @property
    def amount(self) -> _Money: ...
    @property
    def weighted(self) -> _Money: ...


class ForecastLike(Protocol):
    """What :func:`forecast_markdown` reads (a ``Forecast`` of :mod:`bigaccount.analytics`)."""

    @property
    def currency(self) -> str: ...
    @property
    def tax(self) -> _Labelled: ...
    @property
    def periods(self) -> Sequence[_Totals]: ...
    @property
    def overdue(self) -> _Totals: ...
    @property
    def later(self) -> _Totals: ...
    @property
    def undated(self) -> _Totals: ...
    @property
    def total(self) -> _Totals: ...


_FORECAST = ("currency", "tax", "periods", "overdue", "later", "undated", "total")
_TOTALS = ("period", "deals", "amount", "weighted")


def forecast_markdown(forecast: ForecastLike, lang: Lang | str | None = None) -> str:
    """A forecast as its table: one row per period, then overdue, later, undated and the total.

    Columns: the number of deals, their amount ``Σ a`` and the weighted forecast
    ``Σ a·p``, in the forecast's currency and tax basis (named under the table).

    Raises:
        InvalidData: *forecast* lacks what :class:`ForecastLike` reads (field
            ``forecast``), or an unknown *lang*.
    """
    _reads(forecast, "forecast", "a Forecast", _FORECAST)
    _reads(forecast.total, "forecast", "a Forecast", _TOTALS)
    chosen = _chosen(lang)
    rows: list[tuple[str, _Totals]] = [
        (row.period.label if row.period is not None else "—", row) for row in forecast.periods
    ]
    rows += [(_T[k].text(chosen), getattr(forecast, k)) for k in ("overdue", "later", "undated")]
    rows.append((f"**{_T['total'].text(chosen)}**", forecast.total))
    headers = [_T[k].text(chosen) for k in ("period", "deals", "amount", "weighted")]
    body = table(
        headers,
        [(name, r.deals, _number(r.amount.amount), _number(r.weighted.amount)) for name, r in rows],
    )
    note = f"{_T['in'].text(chosen)}: {forecast.currency}, {forecast.tax.label.text(chosen)}"
    return body + "\n" + note + "\n"


class _Quantile(Protocol):
    @property
    def q(self) -> Decimal: ...
    @property
    def value(self) -> _Money: ...
    @property
    def error(self) -> Decimal: ...


class _Distribution(Protocol):
    @property
    def currency(self) -> str: ...
    @property
    def deals(self) -> int: ...
    @property
    def mean(self) -> _Money: ...
    @property
    def sd(self) -> float: ...
    @property
    def quantiles(self) -> Sequence[_Quantile]: ...


class _PeriodDistribution(Protocol):
    @property
    def period(self) -> _Period | None: ...
    @property
    def distribution(self) -> _Distribution: ...


class RevenueLike(Protocol):
    """What :func:`revenue_markdown` reads (``RevenueByPeriod`` of :mod:`bigaccount.analytics`)."""

    @property
    def periods(self) -> Sequence[_PeriodDistribution]: ...
    @property
    def overdue(self) -> _Distribution: ...
    @property
    def later(self) -> _Distribution: ...
    @property
    def undated(self) -> _Distribution: ...
    @property
    def total(self) -> _Distribution: ...


_REVENUE = ("periods", "overdue", "later", "undated", "total")
_DISTRIBUTION = ("currency", "deals", "mean", "sd", "quantiles")


def _level(q: Decimal) -> str:
    return f"P{(q * 100).normalize():f}"


def _spread(rows: Sequence[tuple[str, _Distribution]], chosen: Lang) -> str:
    total = rows[-1][1]
    levels = [q.q for q in total.quantiles]
    headers = [_T[k].text(chosen) for k in ("period", "deals", "mean", "sd")]
    headers += [_level(q) for q in levels]
    body = []
    error = Decimal(0)
    for name, dist in rows:
        values = {q.q: q for q in dist.quantiles}
        cells: list[object] = [name, dist.deals, _number(dist.mean.amount), f"{dist.sd:,.0f}"]
        for q in levels:
            found = values.get(q)
            cells.append("—" if found is None else _number(found.value.amount))
            if found is not None:
                error = max(error, found.error)
        body.append(cells)
    note = f"{_T['in'].text(chosen)}: {total.currency}"
    if error:
        note += f"; {_T['bracket'].text(chosen)} ±{_number(error)}"
    return table(headers, body) + "\n" + note + "\n"


def revenue_markdown(revenue: RevenueLike, lang: Lang | str | None = None) -> str:
    """The won revenue by period: the deals, the mean ``Σ a·p``, the sd and each quantile.

    A row per period, then overdue, later, undated and the total. Quantile columns are
    named by level (P10, P50, P90 …); the widest bracket of any quantile is stated
    below the table (none when every quantile is exact).

    Raises:
        InvalidData: *revenue* lacks what :class:`RevenueLike` reads (field ``revenue``),
            or an unknown *lang*.
    """
    _reads(revenue, "revenue", "a RevenueByPeriod", _REVENUE)
    _reads(revenue.total, "revenue", "a RevenueByPeriod", _DISTRIBUTION)
    chosen = _chosen(lang)
    rows = [
        (p.period.label if p.period is not None else "—", p.distribution) for p in revenue.periods
    ]
    rows += [(_T[k].text(chosen), getattr(revenue, k)) for k in ("overdue", "later", "undated")]
    rows.append((f"**{_T['total'].text(chosen)}**", revenue.total))
    return _spread(rows, chosen)


def distribution_markdown(distribution: _Distribution, lang: Lang | str | None = None) -> str:
    """One won-revenue distribution as a single row of the :func:`revenue_markdown` table.

    Raises:
        InvalidData: *distribution* is not a won-revenue distribution (field
            ``distribution``), or an unknown *lang*.
    """
    _reads(distribution, "distribution", "a RevenueDistribution", _DISTRIBUTION)
    chosen = _chosen(lang)
    return _spread([(f"**{_T['total'].text(chosen)}**", distribution)], chosen)


# -- IPython ---------------------------------------------------------------------------

_BY_NAME = (
    ("bigaccount.analytics.forecast", "Forecast", forecast_markdown),
    ("bigaccount.analytics.uncertainty", "RevenueByPeriod", revenue_markdown),
    ("bigaccount.analytics.uncertainty", "RevenueDistribution", distribution_markdown),
)


def load_ipython_extension(ipython: Any) -> None:
    """Have IPython show forecasts and won-revenue spreads as tables.

    Run by ``%load_ext bigaccount.display`` in a notebook.

    The types are registered by name, so nothing of :mod:`bigaccount.analytics` is
    imported until a notebook uses it. Types that display themselves need no
    registration: cycles, deals, gate reports and move checks.

    Raises:
        InvalidData: *ipython* is not an IPython shell (field ``ipython``); nothing is
            registered.
    """
    try:
        formatter = ipython.display_formatter.formatters["text/markdown"]
    except (AttributeError, KeyError, TypeError):
        formatter = None
    if not callable(getattr(formatter, "for_type_by_name", None)):
        raise InvalidData(
            "ipython", f"expected an IPython shell (get_ipython()), got {_shown(ipython)}"
        )
    for module, name, render in _BY_NAME:
        formatter.for_type_by_name(module, name, render)
