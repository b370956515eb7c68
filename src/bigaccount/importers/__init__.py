"""Importers: real CRM exports (CSV, DataFrames) into deals, through mappings declared as data.

One call takes an export in: :func:`import_deals` reads a snapshot of opportunities (one
row each) or a stage history (one row per change) through a :class:`Mapping` — a TOML
file, the same structure as a Python mapping, or one of the shipped mappings
(:func:`mapping_names`) — and returns an :class:`ImportResult` in which every row is
accounted for: a deal, an event of a deal, an unchanged row, or a :class:`Refusal` with
its line and a named :class:`Problem`.

The modules: :mod:`~bigaccount.importers.mapping` (the declaration and its checks),
:mod:`~bigaccount.importers.parse` (value parsers), :mod:`~bigaccount.importers.sources`
(CSV by header, DataFrames, records), :mod:`~bigaccount.importers.load` (the import),
:mod:`~bigaccount.importers.problems` (why a row was refused).
"""

from __future__ import annotations

from .load import ImportResult, Position, import_deals, import_history, import_snapshot
from .mapping import FactColumn, Kind, Mapping, Policy, PolicyKind, mapping_names, resolve_mapping
from .parse import Formats, ValueType
from .problems import CellError, Problem, Refusal
from .sources import (
    MissingColumns,
    Table,
    detect_encoding,
    read_csv,
    read_frame,
    read_records,
)

__all__ = [
    "CellError",
    "FactColumn",
    "Formats",
    "ImportResult",
    "Kind",
    "Mapping",
    "MissingColumns",
    "Policy",
    "PolicyKind",
    "Position",
    "Problem",
    "Refusal",
    "Table",
    "ValueType",
    "detect_encoding",
    "import_deals",
    "import_history",
    "import_snapshot",
    "mapping_names",
    "read_csv",
    "read_frame",
    "read_records",
    "resolve_mapping",
]
