"""Documents: every value type round-trips exactly or is refused, hostile input is refused
cleanly with the path of every bad field, limits hold, unknown keys and schema versions
follow their policy, and the committed samples of every version keep loading."""

from __future__ import annotations

import datetime as dt
import gc
import importlib
import inspect
import json
import math
import pkgutil
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import bigaccount
from _documents import documents, examples
from bigaccount import (
    Account,
    Deal,
    Fact,
    FactChange,
    InvalidData,
    Label,
    Money,
    Segment,
    Snapshot,
    Stakeholder,
    get_cycle,
    redacted,
)
from bigaccount.io import (
    DOCUMENT_TYPES,
    MAX_STRING,
    READS,
    SCHEMA_VERSION,
    InvalidDocument,
    dumps,
    loads,
    loads_many,
)

SAMPLES = Path(__file__).parent / "data" / "documents"
UTC = dt.timezone.utc
T1 = dt.datetime(2026, 5, 1, tzinfo=UTC)


def same(a: Any, b: Any) -> bool:
    """Equality, with a snapshot's fields compared (a Snapshot compares by identity)."""
    if isinstance(a, Snapshot) and isinstance(b, Snapshot):
        return (dict(a.facts), a.segment, a.people, tuple(a.competitors)) == (
            dict(b.facts),
            b.segment,
            b.people,
            tuple(b.competitors),
        )
    return bool(a == b)


def document(data: Any, kind: str = "Money", schema: int = SCHEMA_VERSION) -> str:
    return json.dumps({"schema": schema, "type": kind, "data": data}, ensure_ascii=False)


def problems(text: str | bytes, cls: type = Money, **options: Any) -> dict[str, str]:
    """The problems loading *text* finds, by path (it must find some)."""
    with pytest.raises(InvalidDocument) as caught:
        loads(text, cls, **options)
    assert caught.value.problems, "an InvalidDocument names at least one problem"
    assert (caught.value.field, caught.value.problem) == caught.value.problems[0]
    return dict(caught.value.problems)


# -- every public value type: round trip, or refused ------------------------------------


@pytest.mark.parametrize("name", sorted(DOCUMENT_TYPES))
@settings(max_examples=15, deadline=None)
@given(data=st.data())
def test_every_document_type_round_trips_exactly(name: str, data: st.DataObject) -> None:
    cls = DOCUMENT_TYPES[name]
    value = data.draw(documents(cls))
    text = dumps(value)
    again: Any = loads(text, cls)
    assert type(again) is cls
    assert same(again, value)
    assert dumps(again) == text  # nothing lost: decimals' places, offsets, float digits


def public_classes() -> dict[str, type]:
    """Every class a public module of bigaccount lists in its ``__all__``."""
    found: dict[str, type] = {}
    modules = [bigaccount]
    for info in pkgutil.walk_packages(bigaccount.__path__, "bigaccount."):
        leaf = info.name.rsplit(".", 1)[-1]
        if leaf.startswith("_") or "._" in info.name:
            continue
        try:
            modules.append(importlib.import_module(info.name))
        except ImportError:  # a module needing an optional extra
            continue
    for module in modules:
        for key in getattr(module, "__all__", ()):
            obj = getattr(module, key, None)
            if inspect.isclass(obj) and obj.__module__.startswith("bigaccount"):
                found[f"{obj.__module__}.{obj.__qualname__}"] = obj
    return found


PUBLIC = public_classes()
VALUE_TYPES = {k: c for k, c in PUBLIC.items() if attrs.has(c)}


def test_document_types_are_public_value_types_with_one_sample_each() -> None:
    assert set(DOCUMENT_TYPES.values()) <= set(VALUE_TYPES.values())
    assert set(examples()) == set(DOCUMENT_TYPES)
    samples = {p.stem for p in (SAMPLES / f"v{SCHEMA_VERSION}").glob("*.json")}
    assert samples == set(DOCUMENT_TYPES)


@pytest.mark.parametrize(
    "key", sorted(k for k, c in PUBLIC.items() if c not in set(DOCUMENT_TYPES.values()))
)
def test_every_other_public_type_is_refused_as_not_a_document_type(key: str) -> None:
    cls = PUBLIC[key]
    with pytest.raises(InvalidData, match="is not a document type") as caught:
        loads(document({}), cls)
    assert caught.value.field == "type"
    assert not isinstance(caught.value, InvalidDocument)
    if attrs.has(cls):
        with pytest.raises(InvalidData, match="is not a document type"):
            dumps(object.__new__(cls))


def test_cycles_gate_reports_and_contexts_are_refused_saying_what_to_store() -> None:
    funnel = get_cycle("funnel")
    with pytest.raises(
        InvalidData,
        match="a cycle is a declaration, not a document in this version; store the cycle's name",
    ):
        dumps(funnel)
    deal = Deal("D", Account("Acme", Segment.SME), Money("1", "CNY"))
    with pytest.raises(InvalidData, match="store the StageChange"):
        dumps(deal.check("funnel", "start").reports[0])
    with pytest.raises(InvalidData, match="not a document type"):
        dumps(Segment.SME)
    with pytest.raises(InvalidData, match="not a document type"):
        dumps({"amount": "1"})


# -- hostile input: only InvalidDocument, with a short message ---------------------------

HOSTILE: dict[str, object] = {
    "1 000 levels of nesting": '{"schema": 2, "type": "Money", "data": '
    + "[" * 1000
    + "]" * 1000
    + "}",
    "100 000 levels of nesting": '{"data": ' + "[" * 100_000 + "]" * 100_000 + "}",
    "a 4 301-digit number": '{"schema": 2, "type": "Money", "data": ' + "7" * 4301 + "}",
    "a long float": '{"schema": 2, "type": "Money", "data": 1.' + "5" * 100 + "}",
    "a float out of range": '{"schema": 2, "type": "Money", "data": 1e999}',
    "invalid UTF-8": b'{"schema": 2, "type": "Money", "data": "\xff\xfe"}',
    "a lone surrogate": '{"schema": 2, "type": "Money", "data": "\ud800"}',
    "an escaped lone surrogate": '{"schema": 2, "type": "Money", "data": "\\ud800"}',
    "a duplicate key": '{"schema": 2, "type": "Money", "data": {"amount": "1", "amount": "2"}}',
    "a duplicate envelope key": '{"schema": 2, "schema": 2, "type": "Money", "data": {}}',
    "NaN": '{"schema": 2, "type": "Money", "data": {"amount": NaN, "currency": "CNY"}}',
    "Infinity": '{"schema": 2, "type": "Money", "data": -Infinity}',
    "a 9 MB document": document({"amount": "1", "currency": "C" * 9_000_000}),
    "not JSON": "{'schema': 2}",
    "truncated": document({"amount": "1"})[:-3],
    "empty": "",
    "a number": 12345,
    "None": None,
    "a dict": {"schema": 2},
    "a list of bytes": [b"{}"],
    "null": "null",
    "a list": "[1, 2]",
    "a byte order mark and junk": b"\xef\xbb\xbf{]",
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_hostile_input_raises_only_invalid_document_with_a_short_message(case: str) -> None:
    found = problems(HOSTILE[case])  # type: ignore[arg-type]
    message = "; ".join(f"{p}: {m}" for p, m in found.items())
    assert len(message) < 400


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        ("1 000 levels of nesting", "nested more than 32 levels deep"),
        ("100 000 levels of nesting", "nested more than 32 levels deep"),
        ("a 4 301-digit number", "a number of 4,301 digits is longer than 40 digits"),
        ("a float out of range", "out of range"),
        ("invalid UTF-8", "not UTF-8: byte 0xff at position 40 (invalid start byte)"),
        ("a lone surrogate", "lone surrogate"),
        ("an escaped lone surrogate", "lone surrogate"),
        ("a duplicate key", "duplicate key 'amount'"),
        ("a duplicate envelope key", "duplicate key 'schema'"),
        ("NaN", "NaN is not a number a document may hold"),
        ("a 9 MB document", "more than the limit of 8,388,608"),
        ("a number", "expected JSON text or bytes, got a int"),
    ],
)
def test_hostile_input_is_refused_for_what_it_is(case: str, expected: str) -> None:
    found = problems(HOSTILE[case])  # type: ignore[arg-type]
    assert list(found) == ["document"]
    assert expected in found["document"]


def test_a_byte_order_mark_is_skipped_and_utf8_bytes_are_read() -> None:
    text = dumps(Money("1", "CNY"))
    assert loads(b"\xef\xbb\xbf" + text.encode(), Money) == Money("1", "CNY")
    assert loads(bytearray(text.encode()), Money) == Money("1", "CNY")
    assert loads(memoryview(text.encode()), Money) == Money("1", "CNY")


def test_a_message_quotes_only_an_excerpt_of_a_huge_value() -> None:
    huge = "x" * 90_000
    found = problems(document({"amount": "1", "currency": huge}))
    assert len(found["$.currency"]) < 250
    found = problems(document({"amount": [huge] * 50, "currency": "CNY"}))
    assert len(found["$.amount"]) < 250


# -- limits ------------------------------------------------------------------------------


def depth(value: Any) -> int:
    """The nesting of a JSON value, computed here by recursion (the oracle)."""
    if isinstance(value, dict):
        return 1 + max((depth(v) for v in value.values()), default=0)
    if isinstance(value, list):
        return 1 + max((depth(v) for v in value), default=0)
    return 0


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-99, 99) | st.text('[]{}"\\ab:,', max_size=5),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.text("ab[{", max_size=2), inner, max_size=3)
    ),
    max_leaves=30,
)


@given(json_values, st.integers(1, 8))
def test_nesting_is_refused_exactly_beyond_the_limit(value: Any, limit: int) -> None:
    text = document(value)
    deep = depth(json.loads(text)) > limit
    with pytest.raises(InvalidDocument) as caught:
        loads(text, Money, max_depth=limit)
    refused_for_depth = caught.value.problems == (
        ("document", f"nested more than {limit} levels deep"),
    )
    assert refused_for_depth == deep


@given(st.lists(st.text('ab"\\\n中', max_size=12), min_size=1, max_size=4), st.integers(1, 10))
def test_strings_are_refused_exactly_beyond_the_limit(texts: list[str], limit: int) -> None:
    text = json.dumps({"schema": 2, "type": "Money", "data": texts}) + " " * 200
    longest = max(len(t) for t in [*texts, "schema", "type", "Money", "data"])
    found = problems(text, max_string=limit)
    assert ("longer than the limit" in found.get("document", "")) == (longest > limit)


@given(st.integers(-(10**60), 10**60), st.integers(1, 60))
def test_numbers_are_refused_exactly_beyond_the_limit(number: int, limit: int) -> None:
    found = problems(document([number]), max_digits=limit)
    digits = len(str(abs(number)))
    assert ("digits is longer than" in found.get("document", "")) == (digits > limit)


def test_limits_are_keywords_of_loads_with_the_documented_defaults() -> None:
    deal = examples()["Deal"]
    text = dumps(deal)
    assert loads(text, Deal) == deal
    assert "nested more than 5 levels" in problems(text, Deal, max_depth=5)["document"]
    assert "more than the limit of 100" in problems(text, Deal, max_size=100)["document"]
    assert "longer than the limit of 3" in problems(text, Deal, max_string=3)["document"]
    assert (
        "a number of 3 characters is longer than 1"
        in problems(text, Deal, max_digits=1)["document"]
    )
    for option in ("max_size", "max_depth", "max_digits", "max_string"):
        with pytest.raises(InvalidData, match=option):
            loads(text, Deal, **{option: 0})  # type: ignore[arg-type]
    with pytest.raises(InvalidData, match="expected 'forbid' or 'ignore'"):
        loads(text, Deal, unknown="guess")  # type: ignore[arg-type]


def test_dumps_refuses_what_loads_would_refuse() -> None:
    with pytest.raises(InvalidData, match="more than 40 digits"):
        dumps(Fact("seats", 10**40, at=T1))
    assert loads(dumps(Fact("seats", 10**40 - 1, at=T1)), Fact).value == 10**40 - 1
    depth = examples()["Depth"]
    object.__setattr__(depth, "value", math.nan)  # however it got there
    with pytest.raises(InvalidData, match=r"\$\.value") as caught:
        dumps(depth)
    assert "not finite" in caught.value.problem
    with pytest.raises(InvalidData, match="would not load: a string of 100,001 characters"):
        dumps(Label("甲", "a" * (MAX_STRING + 1)))
    bulk = get_cycle("funnel").table.replay_states([((1, 2), None, "TARGET")])
    with pytest.raises(InvalidData, match="a key must be text or a whole number"):
        dumps(bulk)


# -- paths and messages ------------------------------------------------------------------


def test_every_bad_field_is_named_by_its_path() -> None:
    deal = examples()["Deal"]
    data = json.loads(dumps(deal))["data"]
    data["events"][3]["at"] = "2026-03-05T09:00:00"
    data["events"][1]["value"] = {"kind": "money", "value": {"amount": 0.5, "currency": "CNY"}}
    data["account"]["segment"] = "huge"
    data["people"]["stakeholders"][2]["rung"] = 7
    data["amount"]["currency"] = "元"
    found = problems(document(data, "Deal"), Deal)
    assert found["$.events[3].at"].startswith("'2026-03-05T09:00:00' has no timezone")
    assert found["$.events[1].value.value.amount"] == "0.5 is a float; write amounts as strings"
    assert found["$.account.segment"].startswith("unknown value 'huge'; expected one of:")
    assert found["$.people.stakeholders[2].rung"].startswith("unknown value 7")
    assert "ISO 4217" in found["$.amount.currency"]
    assert len(found) == 5


def test_replay_problems_name_the_events_that_do_not_follow() -> None:
    deal = examples()["Deal"]
    data = json.loads(dumps(deal))["data"]
    data["events"][6]["dest"] = "CLOSED"
    found = problems(document(data, "Deal"), Deal)
    assert found == {"$.events[6]": "funnel: 'advance' does not lead from 'TARGET' to 'CLOSED'"}
    data["events"][6]["cycle"] = "nope"
    found = problems(document(data, "Deal"), Deal)
    assert found["$.events[6].cycle"].startswith("unknown cycle 'nope'; known: activity")
    data = json.loads(dumps(deal))["data"]
    data["version"] = 7
    assert problems(document(data, "Deal"), Deal) == {"$.version": "7 but the log holds 8 events"}


def test_missing_wrong_and_class_level_problems_have_their_paths() -> None:
    found = problems(document({"currency": "CNY"}))
    assert found == {"$.amount": "required key missing"}
    found = problems(document(["1", "CNY"]))
    assert found == {"$": "expected an object, got a list of 2 items"}
    text = document(
        {
            "id": "a",
            "name": "A",
            "level": "decision",
            "function": "finance",
            "role": "user",
            "reports_to": "a",
        },
        "Stakeholder",
    )
    assert problems(text, Stakeholder) == {"$.reports_to": "'a' cannot report to themself"}
    text = document({"zh": "甲", "en": " "}, "Label")
    assert problems(text, Label) == {"$.en": "a label needs non-empty text, got ' '"}


# -- unknown keys and schema versions ----------------------------------------------------


def test_unknown_keys_are_refused_by_default_and_skipped_when_asked() -> None:
    deal = examples()["Deal"]
    document_ = json.loads(dumps(deal))
    document_["written_by"] = "a later version"
    data = document_["data"]
    data["priority"] = "high"
    data["account"]["colour"] = "blue"
    data["amount"]["rate"] = 1
    data["events"][0]["device"] = "phone"
    data["events"][2]["value"]["unit"] = "CNY"
    data["events"][3]["note"] = "x"
    data["people"]["stakeholders"][0]["x"] = 1
    text = json.dumps(document_, ensure_ascii=False)
    found = problems(text, Deal)
    assert found == {"document": "unknown key 'written_by'"}
    del document_["written_by"]
    text = json.dumps(document_, ensure_ascii=False)
    found = problems(text, Deal)
    assert set(found) == {
        "$.priority",
        "$.account.colour",
        "$.amount.rate",
        "$.events[0].device",
        "$.events[2].value.unit",
        "$.events[3].note",
        "$.people.stakeholders[0].x",
    }
    assert set(found.values()) == {"unknown key"}
    assert loads(text, Deal, unknown="ignore") == deal


def test_schema_versions_other_than_those_read_are_refused() -> None:
    assert READS == (1, SCHEMA_VERSION)
    text = dumps(Money("1", "CNY"))
    assert problems(text.replace('"schema": 2', '"schema": 3'))["schema"] == (
        "version 3 is not read (written by a later version); this version reads 1 and 2"
    )
    assert (
        "version '2' is not read"
        in problems(text.replace('"schema": 2', '"schema": "2"'))["schema"]
    )
    assert problems(text.replace('"Money"', '"Label"')) == {
        "type": "the document holds a Label, not a Money"
    }
    assert problems('{"type": "Money", "data": {}}') == {
        "document": "required key 'schema' missing"
    }


# -- the committed samples of every version ---------------------------------------------


def sample_files(version: int) -> list[Path]:
    return sorted((SAMPLES / f"v{version}").glob("*.json"))


def kept(written: Any, read: Any) -> bool:
    """Whether *read* holds every key and value of *written* (it may hold new keys)."""
    if isinstance(written, dict):
        return isinstance(read, dict) and all(
            k in read and kept(v, read[k]) for k, v in written.items()
        )
    if isinstance(written, list):
        return (
            isinstance(read, list)
            and len(read) == len(written)
            and all(kept(a, b) for a, b in zip(written, read, strict=True))
        )
    return type(written) is type(read) and bool(written == read)


@pytest.mark.parametrize("path", sample_files(SCHEMA_VERSION), ids=lambda p: p.name)
def test_samples_of_this_version_load_and_lose_nothing_written_again(path: Path) -> None:
    cls = DOCUMENT_TYPES[path.stem]
    text = path.read_text(encoding="utf-8")
    value: Any = loads(text, cls)
    again = dumps(value)
    # A key lost or a value changed means the layout changed: that needs a new schema
    # version. Keys added since, with their defaults, are fine.
    assert kept(json.loads(text), json.loads(again))
    assert same(loads(again, cls), value)


@pytest.mark.parametrize(
    "path", [p for p in sample_files(1) if "-" not in p.stem], ids=lambda p: p.name
)
def test_samples_of_schema_1_load(path: Path) -> None:
    cls = DOCUMENT_TYPES[path.stem]
    value: Any = loads(path.read_bytes(), cls)
    assert loads(dumps(value), cls) == value


def test_a_schema_1_deal_becomes_its_log_with_its_facts_after_its_moves() -> None:
    raw = json.loads((SAMPLES / "v1" / "Deal.json").read_text(encoding="utf-8"))["data"]
    deal = loads((SAMPLES / "v1" / "Deal.json").read_bytes(), Deal)
    assert deal.id == raw["id"] == "KA-2025-031"
    assert {n: deal.state(n) for n in deal.tracks} == {
        n: t["state"] for n, t in raw["tracks"].items()
    }
    assert {k: f.value for k, f in deal.facts.items()} == raw["facts"]
    moves = [e for t in raw["tracks"].values() for e in t["events"]]
    last = max(dt.datetime.fromisoformat(e["at"]) for e in moves)
    assert deal.version == len(moves) + len(raw["facts"])
    assert [e.at for e in deal.events] == sorted(e.at for e in deal.events)
    facts = [e for e in deal.events if isinstance(e, FactChange)]
    assert [f.fact for f in facts] == list(raw["facts"])
    assert {(f.at, f.source) for f in facts} == {(last, "schema 1")}
    assert deal.people is not None
    assert len(deal.people.stakeholders) == 2
    assert deal.competitors[0].installed_base[0].amount == Money("800000", "CNY")


def test_a_schema_1_setting_that_no_longer_exists_is_refused_not_dropped() -> None:
    found = problems(
        (SAMPLES / "v1" / "RelationshipThresholds-majority.json").read_bytes(),
        DOCUMENT_TYPES["RelationshipThresholds"],
    )
    assert found["$.majority"].startswith(
        "0.6: schema 1's majority threshold is no longer a setting"
    )


# -- bulk loading, redaction, exactness --------------------------------------------------


def test_loads_many_pauses_the_collector_and_restores_it_also_on_error() -> None:
    texts = [dumps(Money(str(i), "CNY")) for i in range(5)]
    assert loads_many(texts, Money) == [Money(str(i), "CNY") for i in range(5)]
    assert gc.isenabled()
    gc.disable()
    try:
        loads_many(texts, Money)
        assert not gc.isenabled()
    finally:
        gc.enable()
    with pytest.raises(InvalidDocument) as caught:
        loads_many([*texts, document({"amount": 0.5, "currency": "CNY"})], Money)
    assert caught.value.problems == (("#5 $.amount", "0.5 is a float; write amounts as strings"),)
    assert gc.isenabled()


def test_a_redacted_deal_holds_no_personal_data_and_loads_as_the_redacted_deal() -> None:
    deal = examples()["Deal"]
    assert "绍兴" in dumps(deal)
    text = dumps(deal, redact=True)
    assert "绍兴" not in text
    assert '"profile"' not in text
    again = loads(text, Deal)
    assert again.people == redacted(deal.people)
    assert again.events == deal.events


def test_offsets_decimal_places_and_float_digits_are_kept() -> None:
    zone = dt.timezone(dt.timedelta(hours=5, minutes=45))
    change = FactChange("share", Decimal("1.50E+3"), dt.datetime(2026, 1, 1, 8, tzinfo=zone))
    again = loads(dumps(change), FactChange)
    assert str(again.value) == "1.50E+3"
    assert again.at.utcoffset() == dt.timedelta(hours=5, minutes=45)
    for value in (0.1, -0.0, 1e-300, 2.0**-1074):
        assert loads(dumps(Fact("f", value)), Fact).value.hex() == value.hex()  # type: ignore[union-attr]
    assert str(loads(dumps(Money(Decimal("0E-12"), "CNY")), Money).amount) == "0E-12"
