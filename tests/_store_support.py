"""Shared by the store tests: the backends as fixtures, and a toy deal with its codec.

The toy is a five-stage pipeline with one gate (a proposal needs a known budget), small
enough to check by hand and independent of the real deal layer. Its rules (``decide``)
are the oracle of the fault tests: a replay that applies a move the rules block fails.

PostgreSQL runs when ``BIGACCOUNT_TEST_POSTGRES`` holds a libpq URL (``.ci/postgres.sh
start`` prints it); every test gets a schema of its own in that database. SQLite files
are made in memory-backed ``/dev/shm`` where there is one: the fault tests commit
thousands of times, and a shared disk's flush latency (milliseconds a commit under
load) is not what they test.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import shutil
import tempfile
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from attrs import define, field, frozen

from bigaccount import store as es
from bigaccount.errors import InvalidData

POSTGRES_ENV = "BIGACCOUNT_TEST_POSTGRES"
BACKENDS = ("sqlite", "postgresql")
BASE_TIME = dt.datetime(2024, 5, 6, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))

# -- the toy deal ------------------------------------------------------------------------

STAGES = ("LEAD", "QUALIFIED", "PROPOSAL", "NEGOTIATION", "WON")
MOVES = ("advance", "regress", "reopen", "note_budget")


class Blocked(Exception):
    """The toy's rules refuse a move; ``reason`` says why."""


@frozen
class Moved:
    move: str
    source: str
    dest: str
    actor: str
    at: dt.datetime


@frozen
class Noted:
    fact: str
    actor: str
    at: dt.datetime


ToyEvent = Moved | Noted


def decide(stage: str, facts: frozenset[str], move: str, actor: str, at: dt.datetime) -> ToyEvent:
    """The event *move* makes from (*stage*, *facts*), or ``Blocked`` with the reason."""
    index = STAGES.index(stage)
    if move == "note_budget":
        if "budget" in facts:
            raise Blocked("the budget is known already")
        return Noted("budget", actor, at)
    if move == "advance":
        if stage == "WON":
            raise Blocked("a won deal does not advance")
        if stage == "QUALIFIED" and "budget" not in facts:
            raise Blocked("a proposal needs a known budget")
        return Moved(move, stage, STAGES[index + 1], actor, at)
    if move == "regress":
        if stage in ("LEAD", "WON"):
            raise Blocked(f"no step back from {stage}")
        return Moved(move, stage, STAGES[index - 1], actor, at)
    if move == "reopen":
        if stage != "WON":
            raise Blocked("only a won deal reopens")
        return Moved(move, stage, "LEAD", actor, at)
    raise Blocked(f"no move {move!r}")


@define
class ToyDeal:
    """A toy deal: its stage and facts, and the events after version ``base``."""

    stage: str = "LEAD"
    facts: frozenset[str] = frozenset()
    base: int = 0
    history: list[ToyEvent] = field(factory=list)

    @property
    def events(self) -> Sequence[ToyEvent]:
        return tuple(self.history)

    @property
    def version(self) -> int:
        return self.base + len(self.history)

    def apply(self, event: ToyEvent) -> None:
        """Fold *event* in, refusing one that the rules would not make from here."""
        expected = decide(
            self.stage,
            self.facts,
            event.move if isinstance(event, Moved) else "note_budget",
            event.actor,
            event.at,
        )
        if expected != event:
            raise AssertionError(f"{event!r} does not follow from {self.stage} {set(self.facts)}")
        if isinstance(event, Moved):
            self.stage = event.dest
            if event.move == "reopen":
                self.facts = frozenset()
        else:
            self.facts = self.facts | {event.fact}
        self.history.append(event)

    def act(self, move: str, actor: str, at: dt.datetime) -> ToyEvent:
        event = decide(self.stage, self.facts, move, actor, at)
        self.apply(event)
        return event

    @property
    def state(self) -> tuple[str, tuple[str, ...]]:
        return self.stage, tuple(sorted(self.facts))


def replay(events: Sequence[ToyEvent]) -> ToyDeal:
    deal = ToyDeal()
    for event in events:
        deal.apply(event)
    return deal


def replay_deal(deal_id: str, events: Sequence[ToyEvent]) -> ToyDeal:
    """The factory a :class:`~bigaccount.store.DealStore` calls (the toy needs no id)."""
    return replay(events)


class ToyCodec:
    """Moved ↔ ``moved``, Noted ↔ ``noted``; the time is the event's own."""

    def encode(self, event: ToyEvent) -> es.EventData:
        if isinstance(event, Moved):
            payload = {"move": event.move, "from": event.source, "to": event.dest}
            return es.EventData("moved", {**payload, "actor": event.actor}, event.at)
        return es.EventData("noted", {"fact": event.fact, "actor": event.actor}, event.at)

    def decode(self, data: es.EventData) -> ToyEvent:
        p = data.payload
        if data.type == "moved":
            return Moved(p["move"], p["from"], p["to"], p["actor"], data.at)
        if data.type == "noted":
            return Noted(p["fact"], p["actor"], data.at)
        raise InvalidData("type", f"unknown toy event type {data.type!r}")


class ToySnapshots:
    """Writes a toy deal's stage and facts; resumes from them and the later events."""

    def dump(self, deal: ToyDeal) -> Mapping[str, Any]:
        return {"stage": deal.stage, "facts": sorted(deal.facts)}

    def resume(
        self, deal_id: str, document: Mapping[str, Any], version: int, events: Sequence[ToyEvent]
    ) -> ToyDeal:
        deal = ToyDeal(document["stage"], frozenset(document["facts"]), base=version)
        for event in events:
            deal.apply(event)
        return deal


def new_event(event_id: str, type_: str = "moved", **payload: Any) -> es.NewEvent:
    return es.NewEvent(event_id, es.EventData(type_, payload, BASE_TIME))


# -- backends ----------------------------------------------------------------------------


def postgres_url() -> str | None:
    return os.environ.get(POSTGRES_ENV) or None


def with_search_path(url: str, schema: str) -> str:
    joiner = "&" if "?" in url else "?"
    return f"{url}{joiner}options={quote(f'-csearch_path={schema}')}"


@pytest.fixture
def fast_dir(tmp_path: Path) -> Iterator[Path]:
    """A fresh directory in memory-backed ``/dev/shm`` if there is one, else ``tmp_path``."""
    shm = Path("/dev/shm")
    if not (shm.is_dir() and os.access(shm, os.W_OK)):
        yield tmp_path
        return
    made = Path(tempfile.mkdtemp(prefix="bigaccount-test-", dir=shm))
    try:
        yield made
    finally:
        shutil.rmtree(made, ignore_errors=True)


@pytest.fixture(params=BACKENDS)
def target(request: pytest.FixtureRequest, fast_dir: Path) -> Iterator[str]:
    """Where a fresh, empty store is: a SQLite file, or a PostgreSQL schema of its own."""
    if request.param == "sqlite":
        yield str(fast_dir / "deals.db")
        return
    url = postgres_url()
    if url is None:
        pytest.skip(
            f'{POSTGRES_ENV} is not set; `eval "$(bash .ci/postgres.sh start)"` starts a '
            "throwaway PostgreSQL and sets it"
        )
    import psycopg

    schema = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f"CREATE SCHEMA {schema}")
    try:
        yield with_search_path(url, schema)
    finally:
        with psycopg.connect(url, autocommit=True) as admin:
            admin.execute(f"DROP SCHEMA {schema} CASCADE")


@pytest.fixture
def opened(target: str) -> Iterator[Callable[..., es.EventStore]]:
    """Opens stores on the test's target; every one is closed after the test."""
    stores: list[es.EventStore] = []

    def open_store(**options: Any) -> es.EventStore:
        store = es.open(target, **options)
        stores.append(store)
        return store

    yield open_store
    for store in stores:
        store.close()


@pytest.fixture
def store(opened: Callable[..., es.EventStore]) -> es.EventStore:
    return opened()


def is_postgres(target: str) -> bool:
    return target.startswith("postgresql://")


# -- a writer of the fault tests -----------------------------------------------------------


def write_moves(
    target: str, writer: int, moves: int, deals: Sequence[str], seed: int
) -> tuple[list[tuple[str, int, str, tuple[str, tuple[str, ...]]]], int, int]:
    """Make *moves* random moves on the shared *deals*, as a CRM user's session would.

    Each move is decided on the writer's own copy of the deal and appended at that
    copy's version. On a conflict the copy catches up (reads the events after its
    version) and the move is decided again, and may now be blocked; a retryable fault
    (a lock wait that timed out) makes the very same append again. Returns the moves
    recorded ``(deal, version, event id, state after)``, and the counts of blocked
    moves and of conflicts.
    """
    rng = random.Random(seed * 7919 + writer)
    codec = ToyCodec()
    copies = {deal: ToyDeal() for deal in deals}
    recorded: list[tuple[str, int, str, tuple[str, tuple[str, ...]]]] = []
    blocked = conflicts = 0
    with es.open(target, timeout=30) as store:
        for seq in range(moves):
            deal_id = rng.choice(deals)
            move = rng.choice(MOVES)
            at = BASE_TIME + dt.timedelta(seconds=writer, microseconds=seq)
            event_id = f"w{writer}-{seq}"
            while True:
                copy = copies[deal_id]
                try:
                    event = decide(copy.stage, copy.facts, move, f"w{writer}", at)
                except Blocked:
                    blocked += 1
                    break
                try:
                    head = store.append(
                        deal_id, copy.version, [es.NewEvent(event_id, codec.encode(event))]
                    )
                except es.ConcurrencyConflict:
                    conflicts += 1
                    for later in store.read(deal_id, after=copy.version):
                        copy.apply(codec.decode(later.data))
                    continue
                except es.StoreError as error:
                    if error.retryable:
                        continue
                    raise
                copy.apply(event)
                assert head.version == copy.version
                recorded.append((deal_id, head.version, event_id, copy.state))
                break
    return recorded, blocked, conflicts
