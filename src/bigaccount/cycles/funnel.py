"""The KA sales funnel as code can name it: the cycle and its signal criterion.

The funnel is declared in ``data/funnel.toml`` (stages, entry rules in the source's
own words, owners, guidance); importing this module loads it through the registry.

>>> from bigaccount.cycles.funnel import FUNNEL
>>> approved = FUNNEL.stage("APPROVED")
>>> [c.id for c in approved.criteria], [c.id for c in approved.guidance.signals]
(['members_known', 'timeline_known', 'budget_known', 'core_needs_known'], ['competitors_present'])
"""

from __future__ import annotations

from ..criteria import get_criterion
from ..registry import get_cycle

__all__ = ["COMPETITORS_PRESENT", "FUNNEL"]

FUNNEL = get_cycle("funnel")
"""The KA sales funnel, registered as ``"funnel"``."""

COMPETITORS_PRESENT = get_criterion("competitors_present")
"""APPROVED's fifth criterion, shown as a signal and never gating."""
