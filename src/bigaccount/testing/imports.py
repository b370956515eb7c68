"""Hypothesis strategies for imports of CRM exports: the result of an import, and its refusals.

Results are what :func:`~bigaccount.importers.import_deals` makes of a few drawn rows in
the layout of the Maven Analytics CRM export (through the shipped ``maven-crm``
mapping): opportunities prospecting, engaging, won or lost, with their dates and close
values, and now and then a row the import must refuse (a stage the mapping does not know).

>>> from hypothesis import given
>>> from bigaccount.testing import import_results
>>> @given(import_results())
... def test_every_row_is_accounted_for(result):
...     assert len(result.deals) + len(result.refused) == result.rows
>>> test_every_row_is_accounted_for()
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import strategies as st

from ..importers import ImportResult, Refusal, import_deals, read_records

__all__ = ["import_results", "refusals"]

MAX_ROWS = 6
"""The most rows a drawn import reads."""

_AS_OF = dt.date(2018, 1, 1)
_days = st.dates(min_value=dt.date(2016, 10, 1), max_value=dt.date(2017, 12, 31))


@st.composite
def _row(draw: st.DrawFn, n: int, bad: bool) -> dict[str, Any]:
    stage = draw(st.sampled_from(("Prospecting", "Engaging", "Won", "Lost")))
    engage = draw(_days) if stage != "Prospecting" else None
    close = engage + dt.timedelta(days=draw(st.integers(1, 138))) if engage else None
    closed = stage in ("Won", "Lost")
    won = draw(st.integers(0, 30_000)) if stage == "Won" else 0
    row = {
        "opportunity_id": f"OPP{n:05d}",
        "sales_agent": draw(st.sampled_from(("Moses Frase", "Darcel Schlecht", "Zane Levy"))),
        "product": draw(st.sampled_from(("GTX Plus Basic", "GTXPro", "MG Special"))),
        "account": draw(st.sampled_from(("Cancity", "Isdom", "Betatech", ""))),
        "deal_stage": stage,
        "engage_date": engage.isoformat() if engage else "",
        "close_date": close.isoformat() if close and closed else "",
        "close_value": str(won) if closed else "",
    }
    if bad:
        row["deal_stage"] = draw(st.sampled_from(("Negotiating?", "Closed", "Pending")))
    return row


@st.composite
def import_results(draw: st.DrawFn, refused: bool | None = None) -> ImportResult:
    """An import of up to six drawn rows (with a refused one if *refused*; by chance if None)."""
    n = draw(st.integers(1, MAX_ROWS))
    with_refusal = draw(st.booleans()) if refused is None else refused
    bad = draw(st.integers(0, n - 1)) if with_refusal else -1
    rows = [draw(_row(i, i == bad)) for i in range(n)]
    return import_deals(read_records(rows, name="export.csv"), "maven-crm", as_of=_AS_OF)


def refusals() -> st.SearchStrategy[Refusal]:
    """A row an import refused, with its line and the named problem."""
    return import_results(refused=True).flatmap(lambda r: st.sampled_from(r.refused))
