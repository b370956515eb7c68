"""Guidance catalogues: bilingual data, and the stages they are attached to."""

from __future__ import annotations

import pytest

from bigaccount import InvalidData, Label, UnknownName, get_cycle
from bigaccount.catalogues import (
    ATTACHMENTS,
    CATALOGUES,
    Catalogue,
    Entry,
    Group,
    catalogue_ids,
    catalogues_for,
    get_catalogue,
    stages_for,
)
from bigaccount.io import dumps, loads

EXPECTED_STAGES = {
    "decision": [
        "SATISFACTION",
        "RECOGNITION",
        "DECISION",
        "STANDARD_SETTING",
        "ASSESSMENT",
        "INVESTIGATION",
        "CHOICE",
        "REASSESSMENT",
    ],
    "activity": [
        "RESEARCH",
        "ANALYSIS",
        "CONFIRMATION",
        "PURSUIT",
        "REFINEMENT",
        "SOLUTION",
        "CLOSING",
        "MAINTENANCE",
    ],
    "advancement": [f"P{i}" for i in range(8)],
    "funnel": ["TARGET", "INTENT", "APPROVED", "ENDORSED", "NEGOTIATION", "CLOSED", "REPEAT"],
    "development": [
        "MARKET_RESEARCH",
        "NEEDS_ANALYSIS",
        "APPLY_APPROVAL",
        "SOLUTION_PLANNING",
        "BUSINESS_TALKS",
        "AGREEMENT_SIGNED",
        "EXECUTION",
        "FOLLOW_UP",
        "EVALUATION",
        "ACCOUNT_FILE",
    ],
}


def _labels(catalogue: Catalogue) -> list[Label]:
    found = [catalogue.title, *(g.label for g in catalogue.groups)]
    for entry in catalogue.entries:
        found.append(entry.label)
        found.extend(entry.details)
    if catalogue.note is not None:
        found.append(catalogue.note)
    return found


def test_the_issue_catalogues_exist() -> None:
    for id in (
        "negotiation_tactics",
        "negotiation_principles",
        "needs_iceberg",
        "question_types",
        "crasis",
        "presentation_checklist",
        "communication_elements",
        "information_sources",
        "information_categories",
    ):
        assert get_catalogue(id).entries
    assert catalogue_ids() == tuple(CATALOGUES)


@pytest.mark.parametrize("catalogue", list(CATALOGUES.values()), ids=list(CATALOGUES))
def test_every_catalogue_is_bilingual_and_sourced(catalogue: Catalogue) -> None:
    for label in _labels(catalogue):
        assert label.zh.strip()
        assert label.en.strip()
    assert catalogue.source.startswith("source ")
    if catalogue.groups:
        assert all(e.group is not None for e in catalogue.entries)
        assert sum(len(catalogue.in_group(g.key)) for g in catalogue.groups) == len(
            catalogue.entries
        )


def test_contents_follow_the_sources() -> None:
    tactics = get_catalogue("negotiation_tactics")
    assert len(tactics.entries) == 9
    assert tactics.inferred
    assert tactics.note is not None
    assert [g.label.zh for g in tactics.groups] == ["谈判前期", "谈判中期", "谈判后期"]
    iceberg = get_catalogue("needs_iceberg")
    assert [e.key for e in iceberg.in_group("implicit")] == ["career", "business", "management"]
    assert len(iceberg.in_group("explicit")) == 4
    questions = get_catalogue("question_types")
    assert [e.label.zh for e in questions.entries] == [
        "情景型问题",
        "诊断型问题",
        "启发型问题",
        "确认型问题",
    ]
    assert [e.key for e in get_catalogue("crasis").entries] == [
        "contact",
        "requirement",
        "application",
        "suggest",
        "implement",
        "service",
    ]
    assert [e.label.zh for e in get_catalogue("communication_elements").entries] == [
        "说",
        "听",
        "看",
        "问",
    ]
    checklist = get_catalogue("presentation_checklist")
    assert [g.key for g in checklist.groups] == ["before", "on_site", "during", "after"]
    categories = get_catalogue("information_categories")
    assert [e.key for e in categories.entries] == [
        "background",
        "competitors",
        "project",
        "personal",
    ]
    assert len(categories.entry("personal").details) == 12


def test_attachments_cover_every_stage_of_the_built_in_cycles() -> None:
    assert {k: [s.id for s in get_cycle(k).stages] for k in ATTACHMENTS} == EXPECTED_STAGES
    for cycle, stages in ATTACHMENTS.items():
        assert set(stages) == {s.id for s in get_cycle(cycle).stages}, cycle
        for stage, ids in stages.items():
            assert ids, (cycle, stage)
            assert len(set(ids)) == len(ids)
            assert all(i in CATALOGUES for i in ids)


def test_every_catalogue_applies_somewhere() -> None:
    for id in CATALOGUES:
        assert stages_for(id), id
    assert ("funnel", "NEGOTIATION") in stages_for("negotiation_tactics")


def test_catalogues_for() -> None:
    closing = [c.id for c in catalogues_for("activity", "CLOSING")]
    assert "negotiation_tactics" in closing
    assert "negotiation_principles" in closing
    assert [c.id for c in catalogues_for("funnel", "INTENT")] == ["needs_iceberg", "question_types"]
    assert catalogues_for("my_own_cycle", "ANY") == ()
    with pytest.raises(UnknownName):
        catalogues_for("funnel", "NOPE")
    with pytest.raises(UnknownName):
        get_catalogue("nope")
    with pytest.raises(UnknownName):
        get_catalogue("crasis").entry("nope")
    with pytest.raises(UnknownName):
        get_catalogue("crasis").in_group("nope")


def test_catalogue_structure_is_checked() -> None:
    with pytest.raises(InvalidData):
        Catalogue("x", Label("x", "x"), (Entry("a", Label("a", "a")), Entry("a", Label("b", "b"))))
    with pytest.raises(InvalidData):
        Catalogue("x", Label("x", "x"), (Entry("a", Label("a", "a"), group="g"),))
    ok = Catalogue(
        "x",
        Label("x", "x"),
        (Entry("a", Label("a", "a"), group="g"),),
        (Group("g", Label("g", "g")),),
    )
    assert ok.in_group("g") == ok.entries


@pytest.mark.parametrize("catalogue", list(CATALOGUES.values()), ids=list(CATALOGUES))
def test_catalogues_round_trip(catalogue: Catalogue) -> None:
    assert loads(dumps(catalogue), Catalogue) == catalogue
