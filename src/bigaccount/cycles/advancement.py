"""The project advancement cycle P0–P7 as code can name it: the cycle and its win node.

The cycle is declared in ``data/advancement.toml`` (stages, win probabilities,
acceptance nodes as exit gates, management practices); importing this module loads it
through the registry. The competitor nodes of P1 and P2 are criteria registered in
code (:mod:`bigaccount.plan`); the contract signed (P6's acceptance node) is the win
gate.

>>> from bigaccount.cycles.advancement import ADVANCEMENT, AGREEMENT_SIGNED
>>> ADVANCEMENT.stage("P4").exit.rule.en
'all 4 must hold'
>>> ADVANCEMENT.win_gate.criteria == (AGREEMENT_SIGNED,), AGREEMENT_SIGNED.inferred
(True, True)
"""

from __future__ import annotations

from ..criteria import get_criterion
from ..registry import get_cycle

__all__ = ["ADVANCEMENT", "AGREEMENT_SIGNED", "COMPETITORS_BASICS", "COMPETITOR_MOVES"]

ADVANCEMENT = get_cycle("advancement")
"""The project advancement cycle, registered as ``"advancement"``."""

AGREEMENT_SIGNED = ADVANCEMENT.stage("P6").exit.criteria[0]
"""P6's acceptance node, the contract signed: the win gate (inferred, the source is cut off)."""

COMPETITORS_BASICS = get_criterion("p1_competitor_info")
"""P1: the competitors' basic information known."""

COMPETITOR_MOVES = get_criterion("p2_competitor_moves")
"""P2: the competitors' concrete moves known."""
