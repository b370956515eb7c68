"""Shared test set-up: hypothesis profiles (``HYPOTHESIS_PROFILE=ci|dev|fast``) and a test clock."""

from __future__ import annotations

import datetime as dt
import itertools
import os
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, settings

from bigaccount import Context, use_context

settings.register_profile("dev", deadline=None, max_examples=100)
settings.register_profile(
    "ci", deadline=None, max_examples=200, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("fast", deadline=None, max_examples=20)
settings.load_profile(
    "fast" if os.environ.get("FAST") else os.environ.get("HYPOTHESIS_PROFILE", "dev")
)

START = dt.datetime(2027, 1, 1, 9, 0, tzinfo=dt.timezone.utc)


def ticking_clock(start: dt.datetime = START) -> Context:
    """A context whose clock moves one minute on at every reading."""
    minutes = itertools.count()
    return Context(clock=lambda: start + dt.timedelta(minutes=next(minutes)))


@pytest.fixture(autouse=True)
def _clock() -> Iterator[None]:
    """Moves made without ``at`` in the tests read a ticking test clock, never the wall clock."""
    with use_context(ticking_clock()):
        yield
