"""Benchmark of bigaccount.store against raw driver calls writing and reading the same rows.

Run it by hand, never under pytest::

    python benchmarks/bench_store.py                 # SQLite on disk and in /dev/shm
    python benchmarks/bench_store.py --quick         # smaller sizes, a few seconds
    python benchmarks/bench_store.py --postgres URL  # PostgreSQL too (or set
                                                     # BIGACCOUNT_TEST_POSTGRES)

Two ratios, each measured against a baseline timed in the same run, interleaved with it:

* **append**: one stage change per append, one transaction each, as a CRM records a
  move. The store builds the event (canonical JSON), checks the version, appends and
  commits; the baseline turns the same payload into JSON text and runs ``BEGIN`` /
  ``INSERT`` / ``COMMIT`` of the same row into a table of the same layout on a
  connection with the same settings (WAL, ``synchronous=FULL`` for SQLite). Target:
  store time ≤ 2 × baseline time.
* **load by replay**: every deal read back and folded into its stage. The store goes
  through ``DealStore.load`` (read, decode with a codec, replay); the baseline runs the
  ``SELECT`` of the deal's rows, ``json.loads`` and ``fromisoformat`` per row, builds the
  same event and folds it with the same function. Target: ≤ 2 ×.

On disk, an append's time is mostly the flush of the commit, so the ratio there shows
what a user sees; in memory-backed ``/dev/shm`` the flush is nearly free and the ratio
shows the store's own overhead. Times are the best of several interleaved repeats
(median in brackets), with the garbage collector off while timing.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import os
import platform
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NamedTuple

from attrs import frozen

from bigaccount import store as es

TARGET = 2.0
"""Store time over the baseline's, for appends and for loads."""

STAGES = ("LEAD", "QUALIFIED", "PROPOSAL", "NEGOTIATION", "WON")
BASE = dt.datetime(2024, 5, 6, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))


@frozen
class Moved:
    source: str
    dest: str
    actor: str
    at: dt.datetime


class Codec:
    def encode(self, event: Moved) -> es.EventData:
        payload = {"from": event.source, "to": event.dest, "actor": event.actor}
        return es.EventData("moved", payload, event.at)

    def decode(self, data: es.EventData) -> Moved:
        p = data.payload
        return Moved(p["from"], p["to"], p["actor"], data.at)


class Deal:
    def __init__(self) -> None:
        self.stage = "LEAD"
        self.history: list[Moved] = []

    @property
    def events(self) -> Sequence[Moved]:
        return self.history

    @property
    def version(self) -> int:
        return len(self.history)


def fold(deal: Deal, event: Moved) -> None:
    deal.stage = event.dest
    deal.history.append(event)


def replay(deal_id: str, events: Sequence[Moved]) -> Deal:
    deal = Deal()
    for event in events:
        fold(deal, event)
    return deal


def moves(deals: int, per_deal: int) -> list[tuple[str, int, Moved]]:
    """``(deal, version, event)`` for every move, deals interleaved as a CRM's day is."""
    out = []
    for version in range(1, per_deal + 1):
        for n in range(deals):
            source = STAGES[(version - 1) % len(STAGES)]
            dest = STAGES[version % len(STAGES)]
            at = BASE + dt.timedelta(minutes=version, seconds=n)
            out.append((f"KA-{n:04d}", version, Moved(source, dest, f"rep-{n % 7}", at)))
    return out


class Timing(NamedTuple):
    best: float
    median: float


def timed(runs: list[float]) -> Timing:
    return Timing(min(runs), statistics.median(runs))


def measure(fn: Callable[[], None]) -> float:
    gc.collect()
    gc.disable()
    try:
        start = time.perf_counter_ns()
        fn()
        return (time.perf_counter_ns() - start) / 1e9
    finally:
        gc.enable()


# -- SQLite ---------------------------------------------------------------------------------

RAW_SQLITE_TABLE = """CREATE TABLE events (
    position INTEGER PRIMARY KEY, stream TEXT NOT NULL, version INTEGER NOT NULL,
    event_id TEXT NOT NULL UNIQUE, type TEXT NOT NULL, payload TEXT NOT NULL, at TEXT NOT NULL,
    UNIQUE (stream, version))"""


def sqlite_round(
    folder: Path, rows: list[tuple[str, int, Moved]], tag: str
) -> tuple[float, float, float, float]:
    """One repeat: (store appends, raw appends, store loads, raw loads) in seconds."""
    codec = Codec()
    store_path, raw_path = folder / f"store-{tag}.db", folder / f"raw-{tag}.db"
    store = es.open(store_path)

    def store_appends() -> None:
        for deal_id, version, event in rows:
            data = codec.encode(event)
            store.append(deal_id, version - 1, [es.NewEvent(uuid.uuid4().hex, data)])

    raw = sqlite3.connect(raw_path, isolation_level=None)
    raw.execute("PRAGMA journal_mode=WAL")
    raw.execute("PRAGMA synchronous=FULL")
    raw.execute(RAW_SQLITE_TABLE)
    insert = "INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, ?)"

    def raw_appends() -> None:
        cursor = raw.cursor()
        for position, (deal_id, version, event) in enumerate(rows, 1):
            payload = json.dumps({"from": event.source, "to": event.dest, "actor": event.actor})
            row = (position, deal_id, version, uuid.uuid4().hex, "moved", payload)
            cursor.execute("BEGIN IMMEDIATE")
            cursor.execute(insert, (*row, event.at.isoformat()))
            cursor.execute("COMMIT")

    store_write = measure(store_appends)
    raw_write = measure(raw_appends)
    deal_ids = sorted({deal_id for deal_id, _, _ in rows})
    deals = es.DealStore(store, codec, replay)
    loaded: list[Deal] = []

    def store_loads() -> None:
        loaded.extend(deals.load(deal_id) for deal_id in deal_ids)

    reader = sqlite3.connect(store_path, isolation_level=None)
    select = (
        "SELECT position, stream, version, event_id, type, payload, at FROM bigaccount_events "
        "WHERE stream = ? AND version > ? ORDER BY version"
    )
    folded: list[Deal] = []

    def raw_loads() -> None:
        cursor = reader.cursor()
        loads, parse = json.loads, dt.datetime.fromisoformat
        for deal_id in deal_ids:
            deal = Deal()
            for row in cursor.execute(select, (deal_id, 0)).fetchall():
                p = loads(row[5])
                fold(deal, Moved(p["from"], p["to"], p["actor"], parse(row[6])))
            folded.append(deal)

    store_read = measure(store_loads)
    raw_read = measure(raw_loads)
    assert [d.stage for d in loaded] == [d.stage for d in folded]
    assert [d.history for d in loaded] == [d.history for d in folded]
    store.close()
    raw.close()
    reader.close()
    return store_write, raw_write, store_read, raw_read


# -- PostgreSQL -----------------------------------------------------------------------------


def postgres_round(
    url: str, rows: list[tuple[str, int, Moved]]
) -> tuple[float, float, float, float]:
    import psycopg

    schema = f"bench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f"CREATE SCHEMA {schema}")
    joiner = "&" if "?" in url else "?"
    scoped = f"{url}{joiner}options=-csearch_path%3D{schema}"
    codec = Codec()
    try:
        store = es.open(scoped)

        def store_appends() -> None:
            for deal_id, version, event in rows:
                data = codec.encode(event)
                store.append(deal_id, version - 1, [es.NewEvent(uuid.uuid4().hex, data)])

        raw = psycopg.connect(scoped, autocommit=True)
        table = RAW_SQLITE_TABLE.replace("INTEGER", "BIGINT")
        raw.execute(table.replace("payload TEXT", "payload JSONB"))
        insert = "INSERT INTO events VALUES (%s, %s, %s, %s, %s, CAST(%s AS jsonb), %s)"

        def raw_appends() -> None:
            cursor = raw.cursor()
            for position, (deal_id, version, event) in enumerate(rows, 1):
                payload = json.dumps({"from": event.source, "to": event.dest, "actor": event.actor})
                row = (position, deal_id, version, uuid.uuid4().hex, "moved", payload)
                cursor.execute("BEGIN")
                cursor.execute(insert, (*row, event.at.isoformat()))
                cursor.execute("COMMIT")

        store_write = measure(store_appends)
        raw_write = measure(raw_appends)
        deal_ids = sorted({deal_id for deal_id, _, _ in rows})
        deals = es.DealStore(store, codec, replay)
        loaded: list[Deal] = []
        folded: list[Deal] = []
        select = (
            "SELECT position, stream, version, event_id, type, payload, at "
            "FROM bigaccount_events WHERE stream = %s AND version > %s ORDER BY version"
        )

        def store_loads() -> None:
            loaded.extend(deals.load(deal_id) for deal_id in deal_ids)

        def raw_loads() -> None:
            cursor = raw.cursor()
            parse = dt.datetime.fromisoformat
            for deal_id in deal_ids:
                deal = Deal()
                for row in cursor.execute(select, (deal_id, 0)).fetchall():
                    p = row[5]
                    fold(deal, Moved(p["from"], p["to"], p["actor"], parse(row[6])))
                folded.append(deal)

        store_read = measure(store_loads)
        raw_read = measure(raw_loads)
        assert [d.history for d in loaded] == [d.history for d in folded]
        store.close()
        raw.close()
        return store_write, raw_write, store_read, raw_read
    finally:
        with psycopg.connect(url, autocommit=True) as admin:
            admin.execute(f"DROP SCHEMA {schema} CASCADE")


# -- the report ------------------------------------------------------------------------------


def per_item(timing: Timing, count: int) -> str:
    return f"{1e6 * timing.best / count:7.2f} µs [{1e6 * timing.median / count:.2f}]"


def report(name: str, runs: list[tuple[float, float, float, float]], events: int) -> list[str]:
    store_write, raw_write, store_read, raw_read = (timed([r[i] for r in runs]) for i in range(4))
    lines = [
        f"## {name}",
        f"append  store {events / store_write.best:9,.0f}/s, {per_item(store_write, events)}"
        f"   raw {events / raw_write.best:9,.0f}/s, {per_item(raw_write, events)}",
        f"load    store {per_item(store_read, events)} per event replayed"
        f"   raw {per_item(raw_read, events)}",
    ]
    for what, ratio in (
        ("append store/raw", store_write.best / raw_write.best),
        ("load   store/raw", store_read.best / raw_read.best),
    ):
        verdict = "PASS" if ratio <= TARGET else "MISS"
        lines.append(f"{what:18} {ratio:5.2f}x  (target <= {TARGET:.0f}x)  {verdict}")
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="smaller sizes, a few seconds")
    parser.add_argument("--repeats", type=int, default=None, help="interleaved repeats")
    parser.add_argument(
        "--postgres",
        default=os.environ.get("BIGACCOUNT_TEST_POSTGRES"),
        help="a postgresql:// URL (default: $BIGACCOUNT_TEST_POSTGRES)",
    )
    args = parser.parse_args(argv)
    deals, per_deal = (20, 10) if args.quick else (50, 40)
    repeats = args.repeats or (2 if args.quick else 5)
    rows = moves(deals, per_deal)
    print(
        f"bigaccount.store benchmark: {len(rows)} appends of one event ({deals} deals x "
        f"{per_deal} moves), best of {repeats} [median]; Python {platform.python_version()}, "
        f"SQLite {sqlite3.sqlite_version}",
        flush=True,
    )
    places: list[tuple[str, Path]] = []
    disk = Path(tempfile.mkdtemp(prefix="bench-store-"))
    places.append(("SQLite on disk (" + str(disk.parent) + ")", disk))
    shm = Path("/dev/shm")
    if shm.is_dir() and os.access(shm, os.W_OK):
        places.append(("SQLite in /dev/shm (no flush cost)", Path(tempfile.mkdtemp(dir=shm))))
    out: list[str] = []
    try:
        for name, folder in places:
            runs = []
            for repeat in range(repeats):
                print(f"  {name}: repeat {repeat + 1}/{repeats}", file=sys.stderr, flush=True)
                runs.append(sqlite_round(folder, rows, str(repeat)))
            out += report(name, runs, len(rows))
        if args.postgres:
            runs = []
            for repeat in range(repeats):
                print(f"  PostgreSQL: repeat {repeat + 1}/{repeats}", file=sys.stderr, flush=True)
                runs.append(postgres_round(args.postgres, rows))
            out += report("PostgreSQL (psycopg " + _version("psycopg") + ")", runs, len(rows))
    finally:
        for _, folder in places:
            shutil.rmtree(folder, ignore_errors=True)
    print("\n".join(out))
    return 0


def _version(name: str) -> str:
    from importlib.metadata import version

    return version(name)


if __name__ == "__main__":
    sys.exit(main())
