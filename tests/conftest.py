"""Shared test set-up: hypothesis profiles (``HYPOTHESIS_PROFILE=ci|dev|fast``)."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

settings.register_profile("dev", deadline=None, max_examples=100)
settings.register_profile(
    "ci", deadline=None, max_examples=200, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("fast", deadline=None, max_examples=20)
settings.load_profile(
    "fast" if os.environ.get("FAST") else os.environ.get("HYPOTHESIS_PROFILE", "dev")
)
