"""The fishing-net map (渔网图): nodes, edges, completeness and the mermaid rendering."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bigaccount import language
from bigaccount.errors import InvalidData
from bigaccount.people import (
    Attitude,
    BuyingCenter,
    Influence,
    Level,
    Rung,
    Stakeholder,
)
from bigaccount.scoring.fishnet import EdgeKind, FishnetMap, fishnet, to_mermaid
from test_people import AS_OF, PRIVATE, SECRETS, centers


def org() -> BuyingCenter:
    return BuyingCenter(
        (
            Stakeholder(
                "ceo", "王强", "decision", "other", "decision_maker", "neutral", "familiar"
            ),
            Stakeholder(
                "cfo",
                "周敏",
                "decision",
                "finance",
                "decision_maker",
                "supporter",
                "trusting",
                reports_to="ceo",
                last_contact=dt.date(2025, 6, 1),
                profile=PRIVATE,
            ),
            Stakeholder(
                "cio",
                'Li "Na"',
                "management",
                "technical",
                "influencer",
                "opponent",
                "approving",
                reports_to="ceo",
                title="CIO & <head>",
            ),
            Stakeholder(
                "dev",
                "赵工",
                "operational",
                "technical",
                "user",
                rung="acquainted",
                reports_to="cio",
            ),
        ),
        (Influence("cio", "cfo"), Influence("dev", "cio")),
    )


def test_nodes_carry_level_rung_attitude_and_decayed_depth() -> None:
    net = fishnet(org(), AS_OF)
    assert [n.id for n in net.nodes] == ["ceo", "cfo", "cio", "dev"]
    cfo = net.nodes[1]
    assert (cfo.level, cfo.rung, cfo.attitude) == (
        Level.DECISION,
        Rung.TRUSTING,
        Attitude.SUPPORTER,
    )
    assert cfo.stale
    assert cfo.depth < Rung.TRUSTING.depth
    assert not fishnet(org()).nodes[1].stale


def test_edges_are_reporting_lines_then_influences() -> None:
    net = fishnet(org())
    assert [(e.source, e.target, e.kind) for e in net.edges] == [
        ("cfo", "ceo", EdgeKind.REPORTS_TO),
        ("cio", "ceo", EdgeKind.REPORTS_TO),
        ("dev", "cio", EdgeKind.REPORTS_TO),
        ("cio", "cfo", EdgeKind.INFLUENCES),
        ("dev", "cio", EdgeKind.INFLUENCES),
    ]
    assert EdgeKind.INFLUENCES.label.zh == "影响"


def test_a_complete_map() -> None:
    net = fishnet(org())
    assert net.complete
    assert net.problems == ()
    assert not net.no_data


def test_an_incomplete_map_says_why() -> None:
    center = BuyingCenter(
        (
            Stakeholder("a", "A", "management", "user", "influencer"),
            Stakeholder("b", "B", "management", "user", "user", rung="familiar"),
        )
    )
    problems = [p.en for p in fishnet(center).problems]
    assert problems == [
        "nobody mapped at decision level",
        "nobody mapped at operational level",
        "no decision-maker identified",
        "relationship unknown with: a",
        "org chart not joined up; no boss on the map for: a, b",
    ]
    assert fishnet(center).problems[0].zh == "决策层尚无人员"


def test_an_empty_map_has_no_data() -> None:
    net = fishnet(BuyingCenter())
    assert net.no_data
    assert not net.complete
    assert net == FishnetMap((), (), net.problems, True)
    assert to_mermaid(net).splitlines()[0] == "flowchart TD"


def test_mermaid_escapes_text_and_colours_by_attitude() -> None:
    text = to_mermaid(fishnet(org(), AS_OF), lang="en")
    cio = 'p3["Li #quot;Na#quot;<br/>CIO #amp; #lt;head#gt;<br/>'
    assert cio + 'approving · opponent · no contact date"]' in text
    assert 'p2["周敏<br/>trusting · supporter · stale"]' in text
    assert "    p1 --> p2" in text
    assert "    p3 -.->|influences| p2" in text
    assert "    class p2 supporter" in text
    assert "    class p1,p4 neutral" in text
    assert "    class p3 opponent" in text
    assert 'subgraph L_operational["operational level"]' in text


def test_mermaid_follows_the_display_language() -> None:
    with language("zh"):
        text = to_mermaid(fishnet(org()))
    assert 'subgraph L_decision["决策层"]' in text
    assert "熟悉 · 中立" in text
    assert "-.->|影响|" in text


def test_the_map_never_shows_personal_data() -> None:
    net = fishnet(org())
    shown = repr(net) + to_mermaid(net, "en") + to_mermaid(net, "zh")
    for secret in SECRETS:
        assert secret not in shown


@given(centers(), st.data())
def test_the_map_does_not_depend_on_the_order_of_people(
    center: BuyingCenter, data: st.DataObject
) -> None:
    shuffled = BuyingCenter(data.draw(st.permutations(center.stakeholders)), center.influences)
    assert fishnet(shuffled, AS_OF) == fishnet(center, AS_OF)
    assert to_mermaid(fishnet(shuffled)) == to_mermaid(fishnet(center))


@given(centers())
def test_every_person_and_every_edge_is_on_the_map(center: BuyingCenter) -> None:
    net = fishnet(center, AS_OF)
    assert {n.id for n in net.nodes} == {p.id for p in center}
    reporting = sum(1 for p in center if p.reports_to is not None)
    assert len(net.edges) == reporting + len(center.influences)
    for node in net.nodes:
        assert 0.0 <= node.depth <= 1.0
    text = to_mermaid(net)
    assert text.count(" --> ") == reporting
    assert text.count(" -.->") == len(center.influences)


def test_wrong_inputs_are_invalid_data_naming_the_argument() -> None:
    with pytest.raises(InvalidData) as caught:
        fishnet(None)  # type: ignore[arg-type]
    assert caught.value.field == "center"
    with pytest.raises(InvalidData) as caught:
        to_mermaid("flowchart")  # type: ignore[arg-type]
    assert caught.value.field == "net"
