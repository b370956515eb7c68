"""The hypothesis plugin: ``st.from_type(Money)`` and friends draw from bigaccount.testing.

Hypothesis calls :func:`_setup_hook` while it is being imported, possibly from inside
``bigaccount.testing`` itself, so every strategy is deferred until it is first drawn.
"""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from .cycle import Cycle
from .deal import Account, Deal
from .labels import Label
from .money import Money


def _lazy(name: str) -> st.SearchStrategy[Any]:
    def build() -> st.SearchStrategy[Any]:
        from . import testing

        strategy: st.SearchStrategy[Any] = getattr(testing, name)()
        return strategy

    return st.deferred(build)


def _setup_hook() -> None:
    st.register_type_strategy(Label, _lazy("labels"))
    st.register_type_strategy(Money, _lazy("money"))
    st.register_type_strategy(Account, _lazy("accounts"))
    st.register_type_strategy(Deal, _lazy("deals"))
    st.register_type_strategy(Cycle, _lazy("cycles"))
