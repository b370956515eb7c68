"""The input census's cases for one public module (see ``_inputs``): ``bigaccount.importers``.

Every public callable of the package: the values of a mapping, the readers, and the
import calls with their result (``ImportResult``, ``Refusal``).
"""

from __future__ import annotations

import enum
import importlib
import inspect
import re
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
from hypothesis import strategies as st

import bigaccount
import bigaccount.importers as importers
from _inputs import (
    D0,
    EXEMPT,
    JUNK,
    JUNK_DRAW,
    NAN,
    SURVEYED,
    T0,
    Kind,
    case,
    many,
    mapping,
    member_of,
    moment,
    name,
    one,
    real,
    special,
    text,
    texts,
)
from bigaccount import Account, Deal, Money
from bigaccount.analytics.forecast import TaxBasis
from bigaccount.importers import (
    FactColumn,
    Formats,
    ImportResult,
    Mapping,
    Policy,
    PolicyKind,
    Position,
    Problem,
    Refusal,
    ValueType,
    detect_encoding,
    import_deals,
    import_history,
    import_snapshot,
    mapping_names,
    read_csv,
    read_frame,
    read_records,
    resolve_mapping,
)
from bigaccount.importers.parse import ROUNDING_MODES, parse_timezone

SURVEYED.append("bigaccount.importers")
EXEMPT["Table"] = "a Protocol (what a source of rows offers): not instantiated"

DATA = Path(__file__).parent / "data"
CSV = DATA / "salesforce-devorg-sample" / "Opportunity.csv"
MAPPING_DATA: dict[str, Any] = {
    "kind": "snapshot",
    "cycle": "funnel",
    "columns": {"id": "id", "account": "account", "amount": "amount", "stage": "stage"},
    "amount": {"currency": "CNY", "tax": "exclusive"},
    "segment": {"default": "sme"},
    "stages": {"Lead": "TARGET", "Won": "WON"},
}
MAPPING = Mapping.from_dict(MAPPING_DATA)


def mapping_variants(spec: dict[str, Any]) -> tuple[object, ...]:
    """Wrong mappings: wrong types, unknown names and files, and malformed declarations."""
    return (
        None,
        1,
        1.5,
        True,
        b"x",
        [],
        JUNK,
        "",
        "no-such-mapping",
        "no-such-mapping.toml",
        Path("/nonexistent/m.toml"),
        {},
        {**spec, "kind": "both"},
        {**spec, "kind": ["snapshot"]},
        {**spec, "cycle": JUNK},
        {**spec, "stages": {1: "WON"}},
        {**spec, "stages": {"Won": ["WON"]}},
        {**spec, "segment": {"default": "sme", "values": {1: "sme"}}},
        {**spec, "amount": {"currency": "CNY", "tax": "exclusive", "rounding": []}},
        {**spec, "amount": {"currency": ["CNY"], "tax": "exclusive"}},
        {**spec, "facts": {1: {"column": "amount", "type": "int"}}},
        {**spec, "facts": {"f": {"column": "amount", "type": []}}},
        {**spec, "formats": {"decimal_point": []}},
        {**spec, "missing": {"owner": {"default": []}}},
        {**spec, "timezone": []},
        {**spec, "csv": {"delimiter": []}},
        {**spec, "csv": {"encoding": "base64"}},
        {**spec, "formats": {"true": [""]}},
        {**spec, "formats": {"missing": [1]}},
        {**spec, "outcome": {"open": [""]}},
        {**spec, "facts": {"f": {"column": "amount", "type": "bool", "unknown": [""]}}},
        {**spec, "missing": {"outcome": {"default": None}}},
    )


WHOLE_BAD: tuple[object, ...] = (None, "1", 1.0, 1.5, True, NAN, JUNK, [], b"1", Decimal(1))
NO_PATH: tuple[object, ...] = (
    None,
    1,
    1.5,
    True,
    b"x",
    [],
    JUNK,
    "",
    "no-such-file.csv",
    Path("/"),
)


def _enum_case(kind: type[enum.Enum]) -> None:
    snake = re.sub(r"(?<!^)(?=[A-Z])", "_", kind.__name__).lower()
    case(
        kind.__name__,
        kind,
        {"value": next(iter(kind)).value},
        {"value": member_of(kind)},
        module=kind.__module__,
        names={"value": (snake,)},
    )


for _enum in (importers.Kind, importers.Problem, PolicyKind, ValueType):
    _enum_case(_enum)

case(
    "Position",
    Position,
    {"source": 0, "line": 1},
    {
        "source": special(*WHOLE_BAD, -1),
        "line": special(*WHOLE_BAD, 0, -1),
    },
)
case(
    "Policy",
    Policy,
    {"kind": PolicyKind.REFUSE, "default": None},
    {
        "kind": Kind(
            "enum",
            (*member_of(PolicyKind).bad, "default"),
            member_of(PolicyKind).draw,
            (("refuse", PolicyKind.REFUSE),),
        ),
        "default": special("x", 1, JUNK, [], draw=st.one_of(st.text(), st.integers())),
    },
)

WORDS = Kind(
    "texts",
    (None, 1, 1.5, True, b"x", JUNK, {"a": "b"}, [1], [""], [None], ["a", " "]),
    st.one_of(st.integers(), st.none(), st.lists(st.one_of(JUNK_DRAW, st.none()), min_size=1)),
    (("Yes", ("Yes",)),),
)
"""Words of a yes/no column: one word is a one-item tuple."""
STEP = special(0.01, "0.01", 1, Decimal(0), Decimal("-0.01"), Decimal("0.05"), Decimal("NaN"), JUNK)
ROUNDING = name(tuple(ROUNDING_MODES))
CURRENCY = special(1, "", "XYZ", "yuan", b"CNY", JUNK, [], True)
case(
    "FactColumn",
    FactColumn,
    {
        "id": "budget",
        "column": "Budget",
        "type": ValueType.BOOL,
        "true": ("Yes",),
        "false": ("No",),
        "unknown": ("Unknown",),
        "missing": Policy(PolicyKind.EMPTY),
        "currency": "CNY",
        "round": Decimal("0.01"),
        "rounding": "half_up",
    },
    {
        "id": special(None, "", "two words", 1, JUNK, b"x", []),
        "column": text(),
        "type": member_of(ValueType),
        "true": WORDS,
        "false": WORDS,
        "unknown": WORDS,
        "missing": one(Policy),
        "currency": CURRENCY,
        "round": STEP,
        "rounding": ROUNDING,
    },
)

FORMATS = Kind(
    "texts",
    (None, 1, True, b"x", JUNK, {"a": "b"}, [], [1], [""], ["%Y", None], "Y-m-d", ["isoish"]),
    st.one_of(st.integers(), st.none(), st.lists(st.one_of(JUNK_DRAW, st.none()), min_size=1)),
    (("%d.%m.%Y", ("%d.%m.%Y",)),),
)
case(
    "Formats",
    Formats,
    {
        "dates": ("%Y-%m-%d", "iso"),
        "datetimes": ("iso",),
        "decimal_point": ",",
        "thousands": ".",
        "missing": frozenset({"", "NULL"}),
        "true": ("Yes",),
        "false": ("No",),
        "timezone": parse_timezone("+08:00"),
    },
    {
        "dates": FORMATS,
        "datetimes": FORMATS,
        "decimal_point": special(None, "", ";", ". ", 1, JUNK, [], draw=st.text(min_size=2)),
        "thousands": special(None, ",", "ab", 1, JUNK, [], b"."),
        "missing": Kind(
            "texts",
            (None, 1, True, b"x", JUNK, {"a": "b"}, [1], [None]),
            st.one_of(st.integers(), st.none(), st.lists(JUNK_DRAW, min_size=1)),
            (("NULL", frozenset({"", "NULL"})),),
        ),
        "true": WORDS,
        "false": WORDS,
        "timezone": special(None, "UTC", "+08:00", 8, JUNK, [], draw=st.text()),
    },
)

MAPPING_ARGS = {f.name: getattr(MAPPING, f.name) for f in attrs.fields(Mapping)}
case(
    "Mapping",
    Mapping,
    MAPPING_ARGS,
    {
        "name": text(),
        "kind": member_of(importers.Kind),
        "cycle": special(None, "funnel", 1, JUNK, []),
        "source": text(),
        "description": text(optional=True),
        "delimiter": special(None, "", ";;", '"', "\n", 1, JUNK),
        "encoding": special(1, "", "no-such-codec", "base64", "zlib", JUNK, b"utf-8", []),
        "formats": one(Formats),
        "columns": special(None, "x", 1, [], JUNK, {"bogus": "Id"}, {"id": 1}, {"id": " "}, {}),
        "id_prefix": special(1, JUNK, [], b"R-"),
        "currency": CURRENCY,
        "tax": member_of(TaxBasis, optional=True),
        "round": STEP,
        "rounding": ROUNDING,
        "segments": special(None, 1, [], JUNK, {"Small": "tiny"}, {1: "sme"}, {"": "sme"}),
        "stages": special(None, 1, [], JUNK, {"Won": "NOWHERE"}, {"Won": 1}, {1: "WON"}, {}),
        "outcomes": special(None, 1, [], JUNK, {"Won": "TARGET"}, {"Won": 1}, {1: "WON"}),
        "times": special(None, 1, [], JUNK, {"NOWHERE": "at"}, {"WON": 1}, {"WON": ""}),
        "facts": special(None, 1, "x", JUNK, [JUNK], [None], MAPPING.facts or JUNK),
        "missing": special(
            None,
            1,
            [],
            JUNK,
            {},
            {**MAPPING.missing, "id": JUNK},
            {**MAPPING.missing, "bogus": Policy(PolicyKind.EMPTY)},
            {k: v for k, v in MAPPING.missing.items() if k != "owner"},
        ),
        "origin": text(),
    },
)


case(
    "resolve_mapping",
    resolve_mapping,
    {"spec": MAPPING_DATA},
    {"spec": special(*mapping_variants(MAPPING_DATA))},
    names={"spec": ("mapping",)},
)
case(
    "Mapping.from_dict",
    Mapping.from_dict,
    {"data": MAPPING_DATA, "origin": "crm.toml"},
    {
        "data": special(
            *(v for v in mapping_variants(MAPPING_DATA) if not isinstance(v, (str, Path)))
        ),
        "origin": text(),
    },
    names={"data": ("crm.toml", "kind", "stages", "facts", "missing")},
)
case(
    "Mapping.load",
    Mapping.load,
    {"path": Path(importers.__file__).parent / "mappings" / "maven-crm.toml"},
    {"path": special(*NO_PATH, CSV)},
    names={"path": ("mapping", "no-such-file.csv", "Opportunity.csv", "/")},
)
case(
    "Mapping.shipped",
    Mapping.shipped,
    {"name": "maven-crm"},
    {"name": name(mapping_names())},
    names={"name": ("mapping",)},
)
case(
    "Mapping.field",
    MAPPING.field,
    {"name": "amount"},
    {
        "name": special(
            None, 1, 1.5, True, b"amount", [], JUNK, draw=st.one_of(st.integers(), st.none())
        )
    },
)
"""An unknown text name is a field the mapping has no column for (``None``): only a
name that is not text is wrong."""
case("mapping_names", mapping_names, module="bigaccount.importers.mapping")
case(
    "detect_encoding",
    detect_encoding,
    {"path": CSV},
    {"path": special(*NO_PATH)},
)
case(
    "read_csv",
    read_csv,
    {"path": CSV, "delimiter": ",", "encoding": "utf-8"},
    {
        "path": special(*NO_PATH),
        "delimiter": special(None, "", ",,", '"', "\n", 1, JUNK, b","),
        "encoding": special(1, "", "no-such-codec", "base64", "zlib", JUNK, b"utf-8", []),
    },
)
case(
    "read_records",
    read_records,
    {"records": [{"id": "o1", "stage": "Won"}], "columns": None, "name": "crm"},
    {
        "records": special(None, 1, 1.5, "x", b"x", {}, JUNK, {"id": "o1"}, [1], [JUNK]),
        "columns": Kind(
            "texts",
            (1, True, b"x", JUNK, {"a": "b"}, [1], [""], [None], ["id", "id"], [" "]),
            st.one_of(st.integers(), st.lists(st.one_of(JUNK_DRAW, st.none()), min_size=1)),
            (("id", ("id",)),),
        ),
        "name": text(),
    },
)
try:
    pandas: Any = importlib.import_module("pandas")
except ImportError:  # pragma: no cover - pandas is a test dependency
    pass
else:
    case(
        "read_frame",
        read_frame,
        {"frame": pandas.DataFrame({"id": ["o1"], "stage": ["Won"]}), "name": "crm"},
        {
            "frame": special(None, 1, "x", [], {}, JUNK, [{"id": "o1"}]),
            "name": text(),
        },
    )


# -- importing: the calls and their result -------------------------------------------

IMPORT_COLUMNS = ("id", "at", "account", "amount", "stage")
SNAPSHOT_MAPPING: dict[str, Any] = MAPPING_DATA
HISTORY_MAPPING: dict[str, Any] = {
    **SNAPSHOT_MAPPING,
    "kind": "history",
    "columns": {**SNAPSHOT_MAPPING["columns"], "time": "at"},
}
IMPORT_ROWS = read_records(
    [
        {"id": "o1", "at": "2026-03-01", "account": "Acme", "amount": "100", "stage": "Lead"},
        {"id": "o1", "at": "2026-03-09", "account": "Acme", "amount": "120", "stage": "Won"},
        {"id": "o2", "at": "2026-03-02", "account": "Beta", "amount": "50", "stage": "Bogus"},
    ],
    columns=IMPORT_COLUMNS,
)
"""Three rows (a list, so that every call reads them afresh); the last one's stage is unmapped."""
IMPORTED = import_deals(IMPORT_ROWS, HISTORY_MAPPING)
BASE_DEAL = Deal("o1", Account("Acme", "sme"), Money("100", "CNY"))


def imported(function: Callable[..., ImportResult]) -> Callable[..., Any]:
    """A call of an importer whose result shows its deals by what they hold.

    A deal compares by identity, so two imports of the same rows are compared by their
    deals' accounts, amounts and events, and by the rest of the result.
    """

    def call(*args: Any, **kwargs: Any) -> Any:
        result = function(*args, **kwargs)
        shown: dict[str, object] = {
            f.name: getattr(result, f.name) for f in attrs.fields(ImportResult)
        }
        shown["deals"] = {k: (d.account, d.amount, d.events) for k, d in result.deals.items()}
        return shown

    call.__signature__ = inspect.signature(function)  # type: ignore[attr-defined]
    call.__module__ = function.__module__
    return call


SOURCE_KIND = special(
    None,
    1,
    1.5,
    True,
    b"x",
    [],
    (),
    {},
    JUNK,
    [JUNK],
    [IMPORT_ROWS, None],
    [IMPORT_ROWS, IMPORT_ROWS],
    [CSV, CSV],
    "no-such-file.csv",
    Path("/nonexistent/rows.csv"),
    Path("/"),
)
BASE_SNAPSHOT = special("x", 1, [], {}, JUNK, [BASE_DEAL], {"o1": BASE_DEAL})
"""A snapshot makes the deals: any ``base`` is wrong."""
BASE_HISTORY = special(
    "x",
    1,
    1.5,
    True,
    b"x",
    JUNK,
    [JUNK],
    [None],
    {"o1": JUNK},
    {"other": BASE_DEAL},
    {1: BASE_DEAL},
    [BASE_DEAL, Deal("o1", Account("Beta", "sme"), Money("5", "CNY"))],
)
PROGRESS_KIND = special(1, "x", True, [], {}, JUNK, lambda: None, lambda phase: None)
IMPORT_OPTIONS = {"progress": lambda phase, done, total: None}

case(
    "import_deals",
    imported(import_deals),
    {"source": IMPORT_ROWS, "mapping": SNAPSHOT_MAPPING, "as_of": T0, **IMPORT_OPTIONS},
    {
        "source": SOURCE_KIND,
        "mapping": special(*mapping_variants(SNAPSHOT_MAPPING)),
        "as_of": moment(optional=True, dates=True),
        "base": BASE_SNAPSHOT,
        "progress": PROGRESS_KIND,
    },
)
case(
    "import_snapshot",
    imported(import_snapshot),
    {"source": IMPORT_ROWS, "mapping": SNAPSHOT_MAPPING, "as_of": D0},
    {
        "source": SOURCE_KIND,
        "mapping": special(*mapping_variants(SNAPSHOT_MAPPING), HISTORY_MAPPING),
        "as_of": moment(optional=True, dates=True),
        "progress": PROGRESS_KIND,
    },
)
case(
    "import_history",
    imported(import_history),
    {"source": IMPORT_ROWS, "mapping": HISTORY_MAPPING, **IMPORT_OPTIONS},
    {
        "source": SOURCE_KIND,
        "mapping": special(*mapping_variants(HISTORY_MAPPING), SNAPSHOT_MAPPING),
        "base": BASE_HISTORY,
        "progress": PROGRESS_KIND,
    },
)
REFUSAL = IMPORTED.refused[0]
case(
    "Refusal",
    Refusal,
    {
        "source": "history.csv",
        "line": 7,
        "key": "o1",
        "problem": Problem.REVERSAL,
        "detail": "WON → LOST",
        "raw": {"stage": "Lost"},
    },
    {
        "source": text(),
        "line": real(1, whole=True),
        "key": text(optional=True),
        "problem": member_of(Problem),
        "detail": text(),
        "raw": mapping(({1: "Lost"}, {None: "Lost"})),
    },
)
POSITION = Position(0, 1)
case(
    "ImportResult",
    ImportResult,
    {f.name: getattr(IMPORTED, f.name) for f in attrs.fields(ImportResult)},
    {
        "mapping": text(),
        "kind": member_of(bigaccount.importers.Kind),
        "cycle": text(),
        "sources": texts(one=False),
        "columns": Kind(
            "texts",
            (None, 1, True, b"x", JUNK, "id", {"id": "id"}, [1], [None], ["id", "id"]),
            st.one_of(st.integers(), st.none(), st.lists(JUNK_DRAW, min_size=1)),
        ),
        "deals": mapping(({"o1": JUNK}, {"other": BASE_DEAL}, {1: BASE_DEAL}, {})),
        "refused": many(Refusal, REFUSAL),
        "rows": real(0, whole=True),
        "placed": mapping(
            (
                {"o1": JUNK},
                {"o1": POSITION},
                {"o1": (JUNK,)},
                {"o1": ((0, -1), (0, 2))},
                {"o1": ((5, 1), (0, 2))},
                {"o1": ((True, 1), (0, 2))},
                {"zz": (POSITION, Position(0, 2))},
                {1: (POSITION, Position(0, 2))},
            )
        ),
        "unchanged": many(Position, POSITION),
        "sorted_deals": texts(one=False),
        "repeats": special(None, 1, "x", JUNK, [JUNK], [POSITION], [(POSITION,)], [(POSITION, 1)]),
        "tax": member_of(TaxBasis, optional=True),
    },
)
