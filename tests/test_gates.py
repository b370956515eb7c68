from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bigaccount import (
    Account,
    Context,
    Criterion,
    Deal,
    GateKind,
    InvalidDefinition,
    Money,
    Segment,
    Snapshot,
    all_of,
    any_of,
    at_least,
    by_segment,
)
from bigaccount.errors import InvalidData
from bigaccount.testing import FACT_POOL, fact_maps

A, B, C, D = (Criterion.fact(k, f"条件{k}", f"criterion {k}") for k in "abcd")
CTX = Context()


def deal(segment: Segment = Segment.ENTERPRISE, **facts: bool) -> Deal:
    """A deal whose facts are recorded with the given values (``False`` recorded too)."""
    made = Deal("D", Account("Acme", segment), Money("1", "CNY"))
    for key, value in facts.items():
        made.record(key, value)
    return made


def test_at_least_reports_what_holds_what_is_missing_and_how_many_more() -> None:
    report = at_least(2, A, B, C).evaluate(deal(a=True), CTX)
    assert not report.passed
    assert [c.id for c in report.held] == ["a"]
    assert [c.id for c in report.missing] == ["b", "c"]
    assert report.needed == 1
    assert report.rule.en == "at least 2 of 3"
    assert report.rule.zh == "至少满足3项中的2项"
    assert "criterion b" in report.explain("en")
    assert "条件b" in report.explain("zh")
    assert "needs 1 more" in report.explain_both()


def test_a_report_names_the_stage_and_which_of_its_gates_it_is() -> None:
    entry = at_least(2, A, B).evaluate(deal(a=True), CTX, "P3")
    exit_ = at_least(2, A, B).evaluate(deal(a=True), CTX, "P3", GateKind.EXIT)
    assert (entry.stage, entry.kind, exit_.kind) == ("P3", GateKind.ENTRY, GateKind.EXIT)
    assert entry.explain("en").startswith("P3: needs 1 more")
    assert exit_.explain("en").startswith("P3 (exit): needs 1 more")
    assert exit_.explain("zh").startswith("P3（验收）：还需满足1项")


def test_a_fact_must_be_true_not_merely_present() -> None:
    assert not any_of(A).passes(deal(a=False))
    assert any_of(A).passes(deal(a=True))
    assert not any_of(A).passes(Snapshot.of({"a": False}))
    assert any_of(A).passes(Snapshot.of({"a": True}))


def test_all_of_and_any_of() -> None:
    assert all_of(A, B).evaluate(deal(a=True), CTX).needed == 1
    assert all_of(A, B).passes(deal(a=True, b=True))
    assert any_of(A, B).passes(deal(b=True))
    assert all_of().passes(deal())


def test_segment_rule_applies_the_rule_of_the_accounts_segment() -> None:
    gate = by_segment(
        {
            Segment.SME: all_of(A, D),
            Segment.ENTERPRISE: all_of(A, B, C, D),
            Segment.GOVERNMENT: all_of(A, B, C, D),
        }
    )
    sme = gate.evaluate(deal(Segment.SME, a=True, d=True), CTX)
    assert sme.passed
    assert sme.segment is Segment.SME
    big = gate.evaluate(deal(Segment.GOVERNMENT, a=True, d=True), CTX)
    assert not big.passed
    assert [c.id for c in big.missing] == ["b", "c"]
    assert big.needed == 2
    assert [c.id for c in gate.criteria] == ["a", "d", "b", "c"]
    row = gate.evaluate(Snapshot.of({"a": True, "d": True}, segment="sme"), CTX)
    assert row.passed
    assert row.segment is Segment.SME


def test_segment_rule_with_a_missing_segment_is_malformed_and_says_so() -> None:
    with pytest.raises(InvalidDefinition, match="enterprise") as err:
        by_segment({Segment.SME: all_of(A)})
    assert "government" in err.value.problem
    complete = by_segment({s: all_of(A) for s in Segment})
    with pytest.raises(InvalidData, match="segment"):
        complete.evaluate(Snapshot.of({"a": True}), CTX)


def test_malformed_at_least_gates_name_their_problem() -> None:
    with pytest.raises(InvalidDefinition) as err:
        at_least(4, A, B, C)
    assert err.value.problem == "asks for 4 criteria but has only 3"
    with pytest.raises(InvalidDefinition, match="negative"):
        at_least(-1, A)
    with pytest.raises(InvalidDefinition, match="more than once"):
        at_least(1, A, A)
    with pytest.raises(InvalidDefinition, match="expected a Criterion"):
        at_least(1, "a")  # type: ignore[arg-type]
    with pytest.raises(InvalidDefinition, match="whole number"):
        at_least(True, A)


@given(fact_maps(), st.integers(0, len(FACT_POOL)))
def test_at_least_passes_exactly_when_enough_criteria_hold(facts: dict[str, bool], n: int) -> None:
    report = at_least(n, *FACT_POOL).evaluate(Snapshot.of(facts), CTX)
    holding = sum(facts.values())
    assert report.passed == (holding >= n)
    assert len(report.held) == holding
    assert len(report.held) + len(report.missing) == len(FACT_POOL)
    assert report.needed == max(n - holding, 0)


def test_only_a_true_result_counts_as_holding() -> None:
    from bigaccount import Label

    loose = Criterion("loose", Label("宽松", "loose"), lambda e, c: "false")  # type: ignore[arg-type,return-value]
    assert not loose.holds(deal())
    assert not any_of(loose).passes(deal())
