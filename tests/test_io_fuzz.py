"""Fuzzing ``loads``: random JSON, random bytes and mutations of valid documents of every
document type raise nothing but ``InvalidDocument``, every problem is the library's own
(never a Python error dressed up), and valid documents still load."""

from __future__ import annotations

import copy
import json
import re
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from _documents import examples
from bigaccount.io import DOCUMENT_TYPES, SCHEMA_VERSION, InvalidDocument, dumps, loads

EXAMPLES = examples()
VALID = {name: json.loads(dumps(value)) for name, value in EXAMPLES.items()}
NAMES = sorted(VALID)


def keys_of(value: Any, found: set[str]) -> set[str]:
    if isinstance(value, dict):
        for key, item in value.items():
            found.add(key)
            keys_of(item, found)
    elif isinstance(value, list):
        for item in value:
            keys_of(item, found)
    return found


KEYS = sorted(set().union(*(keys_of(v, set()) for v in VALID.values())))
WORDS = sorted(
    {
        "funnel",
        "TARGET",
        "INTENT",
        "advance",
        "start",
        "lose",
        "CNY",
        "1.5",
        "0.1",
        "2026-03-02",
        "2026-03-02T09:00:00",
        "2026-03-02T09:00:00+08:00",
        "decision",
        "supporter",
        "money",
        "bool",
        "decimal",
        "stage_change",
        "fact_change",
        "",
        " ",
        "王总",
        "NaN",
        "1e999999",
    }
)
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**45), 10**45),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from(WORDS),
    st.text(max_size=8),
)
json_values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=4), inner, max_size=5)
    ),
    max_leaves=25,
)
PYTHON_ERROR = re.compile(r"^[A-Z][A-Za-z]*(Error|Exception|Warning)\b")


def only_invalid_document(text: str | bytes, cls: type, **options: Any) -> Any:
    """Load *text*; the only exception allowed is InvalidDocument, with our own messages."""
    try:
        return loads(text, cls, **options)
    except InvalidDocument as error:
        for path, problem in error.problems:
            assert not PYTHON_ERROR.match(problem), f"{path}: {problem}"
            assert len(problem) <= 200
        return None


FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FUZZ
@given(st.sampled_from(NAMES), json_values)
def test_random_json_in_an_envelope_raises_only_invalid_document(name: str, data: Any) -> None:
    text = json.dumps({"schema": SCHEMA_VERSION, "type": name, "data": data})
    only_invalid_document(text, DOCUMENT_TYPES[name])


@FUZZ
@given(st.sampled_from(NAMES), json_values)
def test_random_json_documents_raise_only_invalid_document(name: str, data: Any) -> None:
    only_invalid_document(json.dumps(data), DOCUMENT_TYPES[name])
    only_invalid_document(json.dumps(data), DOCUMENT_TYPES[name], unknown="ignore")


@FUZZ
@given(st.sampled_from(NAMES), st.binary(max_size=64) | st.text(max_size=64))
def test_random_bytes_and_text_raise_only_invalid_document(name: str, data: bytes | str) -> None:
    only_invalid_document(data, DOCUMENT_TYPES[name])


def places(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [path]
    if isinstance(value, dict):
        for key, item in value.items():
            found += places(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += places(item, (*path, index))
    return found


@st.composite
def mutated(draw: st.DrawFn) -> tuple[str, Any]:
    """A valid document of a random type, with one to three random changes."""
    name = draw(st.sampled_from(NAMES))
    doc = copy.deepcopy(VALID[name])
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(places(doc)[1:]))
        parent = doc
        for step in path[:-1]:
            parent = parent[step]
        last = path[-1]
        change = draw(st.sampled_from(["replace", "delete", "add", "repeat", "wrap", "retype"]))
        if change == "replace":
            parent[last] = draw(json_values)
        elif change == "delete" and isinstance(parent, dict):
            del parent[last]
        elif change == "add" and isinstance(parent, dict):
            parent[draw(st.sampled_from(KEYS))] = draw(json_values)
        elif change == "repeat" and isinstance(parent, list):
            parent.insert(draw(st.integers(0, len(parent))), copy.deepcopy(parent[last]))
        elif change == "wrap":
            parent[last] = [parent[last]]
        else:
            parent[last] = json.dumps(parent[last]) if draw(st.booleans()) else draw(scalars)
    return name, doc


@FUZZ
@given(mutated(), st.sampled_from(["forbid", "ignore"]))
def test_mutated_documents_raise_only_invalid_document_or_load_consistently(
    case: tuple[str, Any], unknown: str
) -> None:
    name, doc = case
    cls = DOCUMENT_TYPES[name]
    value = only_invalid_document(json.dumps(doc, ensure_ascii=False), cls, unknown=unknown)
    if value is not None:
        # What a mutated document loads as is a valid value: it writes and reads back.
        text = dumps(value)
        assert dumps(loads(text, cls)) == text


@pytest.mark.parametrize("name", NAMES)
def test_valid_documents_still_load_as_written(name: str) -> None:
    cls = DOCUMENT_TYPES[name]
    text = json.dumps(VALID[name], ensure_ascii=False)
    for raw in (text, text.encode(), json.dumps(VALID[name], indent=4)):
        assert dumps(loads(raw, cls)) == dumps(EXAMPLES[name])
    assert dumps(loads(text, cls, unknown="ignore")) == dumps(EXAMPLES[name])
