"""Funnel health: capacity, slope, uniformity, flow speed and stuck deals."""

from __future__ import annotations

import csv
import datetime as dt
import math
import statistics
from collections import Counter, defaultdict
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bigaccount import Account, Deal, InvalidData, Money, get_cycle
from bigaccount.analytics.health import (
    duration_stats,
    funnel_health,
    funnel_health_by,
    funnel_health_columns,
    uniformity,
)

MAVEN = Path(__file__).resolve().parent / "data" / "maven-crm-sales-opportunities"
UTC = dt.timezone.utc
T0 = dt.datetime(2026, 1, 5, 9, tzinfo=UTC)


def read(name):
    with (MAVEN / name).open(newline="") as handle:
        return list(csv.DictReader(handle))


# -- uniformity ---------------------------------------------------------------------------


@given(st.lists(st.integers(0, 10**6), min_size=2, max_size=12))
def test_uniformity_lies_in_its_bounds(values):
    u = uniformity(values)
    if sum(values) == 0:
        assert u is None
        return
    assert 0.0 <= u <= 1.0
    if len(set(values)) == 1:
        assert u == pytest.approx(1.0)
    if sum(1 for v in values if v) == 1:
        assert u == 0.0
    assert uniformity(sorted(values)) == pytest.approx(u)


def test_uniformity_is_the_normalised_entropy():
    shares = [0.5, 0.25, 0.25]
    expected = -sum(s * math.log(s) for s in shares) / math.log(3)
    assert uniformity([2, 1, 1]) == pytest.approx(expected)
    assert uniformity([1]) is None
    with pytest.raises(InvalidData):
        uniformity([1, -1])


def test_duration_stats_are_median_quartiles_and_mean():
    stats = duration_stats([1, 2, 3, 4, 100])
    assert (stats.median, stats.p25, stats.p75, stats.minimum, stats.maximum) == (3, 2, 4, 1, 100)
    assert stats.mean == 22
    assert stats.fence == 4 + 1.5 * 2
    assert duration_stats([]) is None
    with pytest.raises(InvalidData):
        duration_stats([-1])


# -- the Maven data, recomputed with the csv module -----------------------------------------


def maven_health():
    rows = read("sales_pipeline.csv")
    prices = {r["product"]: int(r["sales_price"]) for r in read("products.csv")}
    prices["GTXPro"] = prices["GTX Pro"]  # the pipeline spells it without the space
    as_of = dt.date(2017, 12, 31)
    state = {"Won": "WON", "Lost": "LOST"}
    stages = [state.get(r["deal_stage"], r["deal_stage"]) for r in rows]
    furthest = [
        "Prospecting"
        if r["deal_stage"] == "Prospecting"
        else ("WON" if r["deal_stage"] == "Won" else "Engaging")
        for r in rows
    ]
    closed = [r for r in rows if r["close_date"]]
    stays = (
        ["Engaging"] * len(closed),
        [
            (dt.date.fromisoformat(r["close_date"]) - dt.date.fromisoformat(r["engage_date"])).days
            for r in closed
        ],
    )
    engaged_open = [
        (as_of - dt.date.fromisoformat(r["engage_date"])).days
        if r["deal_stage"] == "Engaging"
        else None
        for r in rows
    ]
    health = funnel_health_columns(
        stages,
        [int(r["close_value"]) if r["close_value"] else prices[r["product"]] for r in rows],
        order=["Prospecting", "Engaging"],
        currency="USD",
        furthest=furthest,
        cycle_days=list(stays[1]) + [None] * (len(rows) - len(closed)),
        ids=[r["opportunity_id"] for r in rows],
        days_in_stage=engaged_open,
        stays=stays,
    )
    return rows, prices, health


def test_maven_open_pipeline_per_stage():
    rows, prices, health = maven_health()
    count = Counter(r["deal_stage"] for r in rows)
    value: dict[str, int] = defaultdict(int)
    for r in rows:
        value[r["deal_stage"]] += prices[r["product"]]
    assert [(c.stage, c.deals) for c in health.capacity] == [
        ("Prospecting", count["Prospecting"]),
        ("Engaging", count["Engaging"]),
    ]
    assert [c.amount.amount for c in health.capacity] == [value["Prospecting"], value["Engaging"]]
    shares = [count["Prospecting"] / (count["Prospecting"] + count["Engaging"])]
    shares.append(1 - shares[0])
    assert health.uniformity == pytest.approx(-sum(s * math.log(s) for s in shares) / math.log(2))


def test_maven_slope_is_the_share_that_went_on():
    rows, _, health = maven_health()
    count = Counter(r["deal_stage"] for r in rows)
    engaged = len(rows) - count["Prospecting"]
    first, second = health.slope
    assert (first.reached, first.advanced) == (len(rows), engaged)
    assert (second.source, second.dest, second.reached, second.advanced) == (
        "Engaging",
        "WON",
        engaged,
        count["Won"],
    )
    assert second.rate == pytest.approx(count["Won"] / engaged)


def test_maven_engage_to_close_days():
    rows, _, health = maven_health()
    cycle = sorted(
        (dt.date.fromisoformat(r["close_date"]) - dt.date.fromisoformat(r["engage_date"])).days
        for r in rows
        if r["close_date"]
    )
    assert health.cycle_length.count == len(cycle)
    assert health.cycle_length.median == statistics.median(cycle)
    assert health.cycle_length.mean == pytest.approx(sum(cycle) / len(cycle))
    assert (health.cycle_length.minimum, health.cycle_length.maximum) == (cycle[0], cycle[-1])
    engaging = health.time_in_stage[1].stays
    assert engaging.median == statistics.median(cycle)
    q1, _, q3 = statistics.quantiles(cycle, n=4, method="inclusive")
    fence = q3 + 1.5 * (q3 - q1)
    late = {
        r["opportunity_id"]
        for r in rows
        if r["deal_stage"] == "Engaging"
        and (dt.date(2017, 12, 31) - dt.date.fromisoformat(r["engage_date"])).days > fence
    }
    assert {d.id for d in health.stuck} == late
    assert late  # the data has deals engaged for far longer than closed deals took
    overruns = [d.days / d.norm for d in health.stuck]
    assert overruns == sorted(overruns, reverse=True)


# -- the object path ----------------------------------------------------------------------


def walked(key, stages, days_apart, *, owner, segment="enterprise", outcome=None, amount=1000):
    cycle = get_cycle("funnel")
    deal = Deal(key, Account(f"acct {key}", segment), Money(amount, "CNY"), owner=owner)
    deal.establish(*(c.id for c in cycle.criteria), at=T0)
    deal.enter(cycle, stages[0], at=T0)
    at = T0
    for _ in stages[1:]:
        at += dt.timedelta(days=days_apart)
        deal.advance(cycle, at=at)
    at += dt.timedelta(days=days_apart)
    if outcome == "WON":
        deal.win(cycle, at=at)
    elif outcome == "LOST":
        deal.lose(cycle, "price", at=at)
    return deal


def sample_deals():
    return [
        walked("A", ["TARGET", "INTENT", "APPROVED"], 10, owner="li", outcome="WON"),
        walked("B", ["TARGET", "INTENT"], 20, owner="li"),
        walked("C", ["TARGET"], 5, owner="wang", segment="government", outcome="LOST"),
        walked("D", ["TARGET", "INTENT"], 4, owner="wang", amount=500),
    ]


def test_object_path_reads_stays_cycles_and_furthest_stages():
    as_of = T0 + dt.timedelta(days=100)
    health = funnel_health(sample_deals(), "funnel", as_of=as_of, currency="CNY")
    capacity = {c.stage: (c.deals, c.amount.amount) for c in health.capacity}
    assert capacity["INTENT"] == (2, 1500)
    target, intent = health.time_in_stage[0].stays, health.time_in_stage[1].stays
    assert sorted([target.minimum, target.maximum]) == [4, 20]
    assert target.count == 4
    assert intent.count == 1
    assert health.cycle_length.count == 2
    assert sorted([health.cycle_length.minimum, health.cycle_length.maximum]) == [5, 30]
    assert [(s.reached, s.advanced) for s in health.slope][:3] == [(4, 3), (3, 1), (1, 1)]
    stuck = {d.id: d for d in health.stuck}
    assert set(stuck) == {"B", "D"}  # far beyond the single finished INTENT stay
    assert stuck["D"].days == pytest.approx(100 - 4)


def test_object_and_column_paths_agree():
    as_of = T0 + dt.timedelta(days=100)
    by_objects = funnel_health(
        sample_deals(), "funnel", as_of=as_of, currency="CNY", norms={"INTENT": 50}
    )
    order = [s.id for s in get_cycle("funnel").stages]
    by_columns = funnel_health_columns(
        ["WON", "INTENT", "LOST", "INTENT"],
        [Decimal(1000), Decimal(1000), Decimal(1000), Decimal(500)],
        order=order,
        currency="CNY",
        furthest=["WON", "INTENT", "TARGET", "INTENT"],
        cycle_days=[30.0, None, 5.0, None],
        ids=["A", "B", "C", "D"],
        days_in_stage=[None, 80.0, None, 96.0],
        stays=(
            ["TARGET", "INTENT", "APPROVED", "TARGET", "TARGET", "TARGET"],
            [10.0, 10.0, 10.0, 20.0, 5.0, 4.0],
        ),
        norms={"INTENT": 50},
    )
    assert by_objects == by_columns


def test_health_per_owner_segment_and_team():
    as_of = T0 + dt.timedelta(days=100)
    deals = sample_deals()
    owners = funnel_health_by(deals, "funnel", by="owner", as_of=as_of, currency="CNY")
    assert set(owners) == {"li", "wang"}
    assert owners["li"].cycle_length.count == 1
    segments = funnel_health_by(deals, "funnel", by="segment", as_of=as_of, currency="CNY")
    assert segments["government"].capacity[0].deals == 0
    teams = funnel_health_by(
        deals, "funnel", by="team", as_of=as_of, currency="CNY", teams={"li": "east"}
    )
    assert set(teams) == {"east", None}
    assert sum(c.deals for c in teams["east"].capacity) == 1
    with pytest.raises(InvalidData):
        funnel_health_by(deals, "funnel", by="team", as_of=as_of, currency="CNY")
    with pytest.raises(InvalidData):
        funnel_health(deals, "funnel", as_of=dt.datetime(2026, 1, 1), currency="CNY")


def test_bad_orders_and_columns_are_refused():
    with pytest.raises(InvalidData):
        funnel_health_columns(["A"], [1], order=["A", "A"], currency="CNY")
    with pytest.raises(InvalidData):
        funnel_health_columns(["A"], [1, 2], order=["A"], currency="CNY")
    with pytest.raises(InvalidData):
        funnel_health_columns(["A"], [1.0], order=["A"], currency="CNY")
