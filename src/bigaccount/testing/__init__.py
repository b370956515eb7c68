"""Hypothesis strategies for bigaccount values, for your own property tests.

Not imported by ``import bigaccount``; it needs ``hypothesis`` (the ``test`` extra).

>>> from hypothesis import given
>>> from bigaccount.testing import cycles
>>> @given(cycles())
... def test_first_stage_is_reachable(cycle):
...     assert cycle.transitions[0].dest == cycle.stages[0].id
>>> test_first_stage_is_reachable()
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import strategies as st

from ..cycle import Cycle, CycleKind, Stage
from ..deal import Account, Deal, Segment
from ..gates import AtLeast, Criterion, Gate, by_segment
from ..labels import Label
from ..money import Money

__all__ = [
    "EPOCH",
    "FACT_POOL",
    "accounts",
    "aware_datetimes",
    "cycles",
    "deals",
    "fact_maps",
    "gates",
    "labels",
    "money",
]

FACT_POOL: tuple[Criterion, ...] = tuple(
    Criterion.fact(f"f{i}", f"事实{i}", f"fact {i}") for i in range(6)
)
"""The fact criteria used by :func:`gates` and :func:`cycles`."""

_text = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=12
).filter(lambda s: bool(s.strip()))


def labels() -> st.SearchStrategy[Label]:
    """Bilingual labels with non-empty text."""
    return st.builds(Label, _text, _text)


def money(currencies: tuple[str, ...] = ("CNY", "USD", "EUR")) -> st.SearchStrategy[Money]:
    """Exact amounts with two decimal places in one of *currencies*."""
    amounts = st.decimals(
        min_value=Decimal("-1e12"), max_value=Decimal("1e12"), places=2, allow_nan=False
    )
    return st.builds(Money, amounts, st.sampled_from(currencies))


def aware_datetimes() -> st.SearchStrategy[dt.datetime]:
    """Timezone-aware datetimes (UTC or a fixed offset)."""
    zones = st.sampled_from(
        [dt.timezone.utc, dt.timezone(dt.timedelta(hours=8)), dt.timezone(dt.timedelta(hours=-5))]
    )
    return st.datetimes(
        min_value=dt.datetime(2000, 1, 1), max_value=dt.datetime(2100, 1, 1), timezones=zones
    )


def _at_least(pool: tuple[Criterion, ...]) -> st.SearchStrategy[Gate]:
    @st.composite
    def build(draw: st.DrawFn) -> Gate:
        chosen = draw(st.lists(st.sampled_from(pool), unique_by=lambda c: c.id, max_size=len(pool)))
        n = draw(st.integers(0, len(chosen)))
        return AtLeast(n, tuple(chosen))

    return build()


def gates(pool: tuple[Criterion, ...] = FACT_POOL) -> st.SearchStrategy[Gate]:
    """Well-formed gates over *pool*: at-least-n-of-m rules, sometimes chosen by segment."""
    simple = _at_least(pool)
    segmented = st.builds(
        lambda a, b, c: by_segment({Segment.SME: a, Segment.ENTERPRISE: b, Segment.GOVERNMENT: c}),
        simple,
        simple,
        simple,
    )
    return st.one_of(simple, simple, segmented)


@st.composite
def cycles(
    draw: st.DrawFn,
    kinds: tuple[CycleKind, ...] = tuple(CycleKind),
    max_stages: int = 8,
    pool: tuple[Criterion, ...] = FACT_POOL,
) -> Cycle:
    """Valid cycles of random kind, length, probabilities, entry and exit gates."""
    kind = draw(st.sampled_from(kinds))
    n = draw(st.integers(2 if kind is CycleKind.WHEEL else 1, max(max_stages, 2)))
    probabilities: list[float | None]
    if kind is CycleKind.PIPELINE:
        probabilities = [*sorted(draw(st.lists(st.floats(0, 1), min_size=n, max_size=n)))]
    else:
        probabilities = [None] * n
    stages = tuple(
        Stage(
            f"S{i}",
            draw(labels()),
            probabilities[i],
            draw(gates(pool)),
            exit=draw(gates(pool)) if draw(st.booleans()) else AtLeast(0, ()),
        )
        for i in range(n)
    )
    return Cycle(
        "random",
        Label("随机", "random"),
        kind,
        stages,
        allow_jump=draw(st.booleans()),
        allow_regress=draw(st.booleans()),
        win_gate=draw(gates(pool)) if kind is CycleKind.PIPELINE else AtLeast(0, ()),
    )


def fact_maps(pool: tuple[Criterion, ...] = FACT_POOL) -> st.SearchStrategy[dict[str, bool]]:
    """Random truth values for the facts of *pool*."""
    return st.fixed_dictionaries({c.id: st.booleans() for c in pool})


def accounts() -> st.SearchStrategy[Account]:
    """Accounts of every segment."""
    return st.builds(Account, _text, st.sampled_from(Segment))


EPOCH = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)
"""The time at which :func:`deals` establishes its facts."""


def _deal(id: str, account: Account, amount: Money, facts: dict[str, bool]) -> Deal:
    deal = Deal(id, account, amount)
    held = [key for key, flag in facts.items() if flag]
    if held:
        deal.establish(*held, at=EPOCH)
    return deal


def deals(pool: tuple[Criterion, ...] = FACT_POOL) -> st.SearchStrategy[Deal]:
    """Fresh deals (no tracks yet) whose random facts over *pool* hold since :data:`EPOCH`."""
    return st.builds(
        _deal,
        st.text(alphabet="ABCDEFGHJK0123456789-", min_size=1, max_size=10),
        accounts(),
        money().map(lambda m: m if m.amount >= 0 else -m),
        fact_maps(pool),
    )
