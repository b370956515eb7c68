"""How ``bigaccount.io.loads`` fails on hostile input: a census of the exceptions it raises.

Run it by hand, never under pytest::

    python benchmarks/census_io.py              # 10 000 documents per document type
    python benchmarks/census_io.py --count 1000

For every document type it feeds ``loads`` random JSON in a well-formed envelope and
mutations of a valid document of that type (values replaced, keys dropped or added,
items repeated, types changed), half and half, from a fixed seed, and counts every
exception that is not ``InvalidData``, by exception type. It then tries the hostile
inputs of the issue one by one (deep nesting, a huge number, invalid UTF-8, a duplicate
key, a 50 MB document) and reports what each raised and how long the message was.

The valid documents are one value of every type (``tests/_documents.py``), written
with the ``dumps`` of the code under test.
"""

from __future__ import annotations

import argparse
import collections
import copy
import json
import random
import sys
import time
from pathlib import Path
from typing import Any

import bigaccount.io as io
from bigaccount import InvalidData

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from _documents import examples

SCALARS = (
    None,
    True,
    False,
    0,
    -1,
    7,
    2**70,
    0.5,
    -3.25,
    1e300,
    "",
    " ",
    "x",
    "CNY",
    "funnel",
    "TARGET",
    "advance",
    "start",
    "2026-03-02",
    "2026-03-02T09:00:00",
    "2026-03-02T09:00:00+08:00",
    "1200000.00",
    "1e999999",
    "NaN",
    "decision",
    "supporter",
    "money",
    "stage_change",
    "fact_change",
    "王总",
)


def random_json(rng: random.Random, depth: int = 0, keys: tuple[str, ...] = ()) -> Any:
    """A random JSON value, sometimes keyed with the names a document uses."""
    roll = rng.random()
    if depth > 4 or roll < 0.55:
        if rng.random() < 0.7:
            return rng.choice(SCALARS)
        return "".join(chr(rng.randrange(32, 0x3000)) for _ in range(rng.randrange(6)))
    if roll < 0.75:
        return [random_json(rng, depth + 1, keys) for _ in range(rng.randrange(4))]
    out: dict[str, Any] = {}
    for _ in range(rng.randrange(5)):
        key = rng.choice(keys) if keys and rng.random() < 0.7 else rng.choice(("a", "type", "x"))
        out[key] = random_json(rng, depth + 1, keys)
    return out


def _keys(value: Any, found: set[str]) -> set[str]:
    if isinstance(value, dict):
        for key, item in value.items():
            found.add(key)
            _keys(item, found)
    elif isinstance(value, list):
        for item in value:
            _keys(item, found)
    return found


def _places(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [path]
    if isinstance(value, dict):
        for key, item in value.items():
            found += _places(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _places(item, (*path, index))
    return found


def mutate(rng: random.Random, document: Any, keys: tuple[str, ...]) -> Any:
    """A copy of *document* with one to three random changes."""
    doc = copy.deepcopy(document)
    for _ in range(rng.randrange(1, 4)):
        places = _places(doc)
        path = rng.choice(places)
        if not path:
            continue
        parent = doc
        for step in path[:-1]:
            parent = parent[step]
        last = path[-1]
        kind = rng.random()
        if kind < 0.5:
            parent[last] = random_json(rng, 2, keys)
        elif kind < 0.65 and isinstance(parent, dict):
            del parent[last]
        elif kind < 0.8 and isinstance(parent, dict):
            parent[rng.choice(("extra", *keys))] = random_json(rng, 3, keys)
        elif isinstance(parent, list):
            parent.insert(rng.randrange(len(parent) + 1), copy.deepcopy(parent[last]))
        else:
            parent[last] = [parent[last]]
    return doc


def census(count: int, seed: int) -> tuple[dict[str, collections.Counter[str]], dict[str, str]]:
    """Exceptions other than InvalidData, by document type and exception name."""
    rng = random.Random(seed)
    results: dict[str, collections.Counter[str]] = {}
    unwritable: dict[str, str] = {}
    for name, value in sorted(examples().items()):
        counter: collections.Counter[str] = collections.Counter()
        try:
            valid = json.loads(io.dumps(value))
        except Exception as exc:
            unwritable[name] = f"{type(exc).__name__}: {str(exc)[:70]}"
            valid = {"schema": io.SCHEMA_VERSION, "type": name, "data": {}}
        keys = tuple(sorted(_keys(valid, set())))
        cls = type(value)
        for i in range(count):
            if i % 2:
                doc = mutate(rng, valid, keys)
            else:
                doc = {"schema": io.SCHEMA_VERSION, "type": name, "data": random_json(rng, 0, keys)}
            text = json.dumps(doc, ensure_ascii=False)
            try:
                io.loads(text, cls)
            except InvalidData:
                pass
            except Exception as exc:
                counter[type(exc).__name__] += 1
        results[name] = counter
    return results, unwritable


def hostile() -> list[tuple[str, str, int, float]]:
    """What each hostile input of the issue raises: (case, exception, message length, seconds)."""
    from bigaccount import Money

    money = '{"schema": %d, "type": "Money", "data": %s}'
    schema = io.SCHEMA_VERSION
    cases = {
        "1000 levels of nesting": money % (schema, "[" * 1000 + "]" * 1000),
        "100 000 levels of nesting": money % (schema, "[" * 100_000 + "]" * 100_000),
        "a 4 301-digit number": money % (schema, "1" * 4301),
        "invalid UTF-8": b'{"schema": 1, "type": "Money", "data": "\xff\xfe"}',
        "a duplicate key": money % (schema, '{"amount": "1", "amount": "2", "currency": "CNY"}'),
        "NaN": money % (schema, '{"amount": NaN, "currency": "CNY"}'),
        "a 50 MB document": money
        % (schema, '{"amount": "1", "currency": "' + "C" * 50_000_000 + '"}'),
        "not text": 12345,
    }
    out = []
    for case, text in cases.items():
        start = time.perf_counter()
        try:
            got = io.loads(text, Money)  # type: ignore[arg-type]
            outcome, size = f"accepted: {got!r}"[:60], 0
        except Exception as exc:
            outcome, size = type(exc).__name__, len(str(exc))
        out.append((case, outcome, size, time.perf_counter() - start))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000, help="documents per type")
    parser.add_argument("--seed", type=int, default=20260302)
    args = parser.parse_args()
    results, unwritable = census(args.count, args.seed)
    total = collections.Counter[str]()
    print(f"{args.count} documents per type, {len(results)} types, seed {args.seed}\n")
    print("types whose example dumps refuses or fails:")
    for name, why in unwritable.items():
        print(f"  {name}: {why}")
    print("\nexceptions other than InvalidData, by type:")
    for name, counter in results.items():
        if counter:
            share = sum(counter.values()) / args.count
            print(f"  {name:22s} {share:6.1%}  {dict(counter.most_common())}")
        total.update(counter)
    every = args.count * len(results)
    print(f"\nall types: {sum(total.values())} of {every} ({sum(total.values()) / every:.2%})")
    print(f"  {dict(total.most_common())}")
    print("\nhostile inputs:")
    for case, outcome, size, seconds in hostile():
        print(f"  {case:26s} {outcome:28s} message {size:>10,} chars  {seconds * 1e3:8.1f} ms")


if __name__ == "__main__":
    main()
