"""``st.from_type(T)`` draws every public type of bigaccount, through the hypothesis entry point."""

from __future__ import annotations

import enum
import importlib
import inspect
import pkgutil
import subprocess
import sys
from importlib.metadata import entry_points

import attrs
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

import bigaccount
import bigaccount.analytics
import bigaccount.scoring
import bigaccount.testing
from bigaccount import _hypothesis

_MODULES = [
    "bigaccount",
    "bigaccount.people",
    "bigaccount.plan",
    "bigaccount.valuechain",
    "bigaccount.catalogues",
    *(
        f"{package.__name__}.{m.name}"
        for package in (bigaccount.scoring, bigaccount.analytics)
        for m in pkgutil.iter_modules(package.__path__)
        if not m.name.startswith("_")
    ),
]


def _public() -> tuple[list[type], list[type[enum.Enum]]]:
    """The public value types (attrs classes and the engine's abstract ones) and enums."""
    values: dict[type, None] = {}
    enums: dict[type[enum.Enum], None] = {}
    for name in _MODULES:
        module = importlib.import_module(name)
        for item in (getattr(module, n) for n in getattr(module, "__all__", ())):
            if not inspect.isclass(item) or issubclass(item, BaseException):
                continue
            if issubclass(item, enum.Enum):
                enums[item] = None
            elif attrs.has(item) or item.__module__.startswith("bigaccount"):
                values[item] = None
    return list(values), list(enums)


PUBLIC, ENUMS = _public()


def test_the_entry_point_is_the_hook() -> None:
    (point,) = [p for p in entry_points(group="hypothesis") if p.name == "bigaccount"]
    assert point.value == "bigaccount._hypothesis:_setup_hook"


def test_every_row_of_the_hook_names_a_type_and_a_strategy_of_the_kit() -> None:
    for module, name, strategy in _hypothesis.STRATEGIES:
        assert inspect.isclass(getattr(importlib.import_module(module), name)), (module, name)
        assert callable(getattr(bigaccount.testing, strategy)), strategy
    assert len(_hypothesis.registered()) == len(_hypothesis.STRATEGIES)


def test_every_public_type_is_registered() -> None:
    missing = [t.__qualname__ for t in PUBLIC if t not in _hypothesis.registered()]
    assert missing == []


@pytest.mark.parametrize("kind", PUBLIC, ids=lambda t: f"{t.__module__}.{t.__qualname__}")
def test_from_type_draws_values_of_the_type(kind: type) -> None:
    @settings(
        max_examples=20,
        deadline=None,
        database=None,
        phases=[Phase.generate],
        suppress_health_check=[HealthCheck.too_slow],
    )
    @given(st.from_type(kind))
    def draws(value: object) -> None:
        assert isinstance(value, kind)

    draws()


@pytest.mark.parametrize("kind", ENUMS, ids=lambda t: f"{t.__module__}.{t.__qualname__}")
def test_from_type_draws_every_member_of_a_public_enum(kind: type[enum.Enum]) -> None:
    seen: set[enum.Enum] = set()

    @settings(max_examples=10 * len(kind), database=None)
    @given(st.from_type(kind))
    def draws(member: enum.Enum) -> None:
        seen.add(member)

    draws()
    assert seen == set(kind)


def test_the_plugin_module_imported_first_does_not_break_hypothesis() -> None:
    code = (
        "import bigaccount._hypothesis\n"
        "from hypothesis import strategies as st\n"
        "from bigaccount import Money\n"
        "assert isinstance(st.from_type(Money).example(), Money)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
