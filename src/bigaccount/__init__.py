"""bigaccount: key-account (大客户) B2B selling as a domain model.

The buying and selling cycles are declared as data and driven as guarded state
machines whose gates explain why a move is blocked; relationships, SWOT and
forecasts are scored by pure functions over frozen values.
"""

from __future__ import annotations

from .cycle import (
    BulkReplay,
    Cycle,
    CycleKind,
    Guidance,
    MoveCheck,
    Route,
    Stage,
    Step,
    SuccessMarker,
    Transition,
    TransitionTable,
)
from .deal import Account, Deal, Outcome, Segment
from .errors import (
    BigAccountError,
    CurrencyMismatch,
    InvalidData,
    InvalidDefinition,
    InvalidMove,
    ReplayError,
    StageBlocked,
    UnknownName,
)
from .gates import (
    OPEN,
    AtLeast,
    BySegment,
    Criterion,
    Gate,
    GateReport,
    all_of,
    any_of,
    at_least,
    by_segment,
)
from .labels import Label, Lang, get_language, language, set_language
from .money import Money, total
from .registry import cycle_names, get_cycle, register_cycle
from .track import Move, StageChange, Track

__version__ = "0.1.0.dev0"

__all__ = [
    "OPEN",
    "Account",
    "AtLeast",
    "BigAccountError",
    "BulkReplay",
    "BySegment",
    "Criterion",
    "CurrencyMismatch",
    "Cycle",
    "CycleKind",
    "Deal",
    "Gate",
    "GateReport",
    "Guidance",
    "InvalidData",
    "InvalidDefinition",
    "InvalidMove",
    "Label",
    "Lang",
    "Money",
    "Move",
    "MoveCheck",
    "Outcome",
    "ReplayError",
    "Route",
    "Segment",
    "Stage",
    "StageBlocked",
    "StageChange",
    "Step",
    "SuccessMarker",
    "Track",
    "Transition",
    "TransitionTable",
    "UnknownName",
    "all_of",
    "any_of",
    "at_least",
    "by_segment",
    "cycle_names",
    "get_cycle",
    "get_language",
    "language",
    "register_cycle",
    "set_language",
    "total",
]
