"""Guidance catalogues: one data file, each text once, referenced by id from the stages."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

from bigaccount import InvalidData, InvalidDefinition, Label, UnknownName, get_cycle, load_cycle
from bigaccount.catalogues import (
    CATALOGUES,
    Catalogue,
    Entry,
    Group,
    _read_catalogues,
    catalogue_ids,
    catalogues_for,
    get_catalogue,
    stages_for,
)
from bigaccount.cycle import Cycle, Guidance
from bigaccount.declarations import builtin_data
from bigaccount.io import dumps, loads
from bigaccount.registry import BUILTIN
from bigaccount.valuechain import value_chain

IDS = catalogue_ids()


def _labels(catalogue: Catalogue) -> list[Label]:
    found = [catalogue.title, *(g.label for g in catalogue.groups)]
    for entry in catalogue.entries:
        found.append(entry.label)
        found.extend(entry.details)
    if catalogue.note is not None:
        found.append(catalogue.note)
    return found


def _guidance_labels(guidance: Guidance) -> list[Label]:
    found = [guidance.description, guidance.customer_action]
    found += [*guidance.activities, *guidance.mistakes, *guidance.checklist]
    found += [*guidance.practices, *guidance.notes]
    for step in guidance.steps:
        found += [step.label, *step.rules]
    return [label for label in found if label is not None]


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
        "marketing_framework",
        "needs_characteristics",
        "funnel_health",
        "key_account_principles",
        "procurement_steps",
        "structured_selling_tools",
    ):
        assert get_catalogue(id).entries
    assert tuple(CATALOGUES) == IDS
    assert [c["id"] for c in builtin_data("catalogues")["catalogues"]] == list(IDS)


@pytest.mark.parametrize("catalogue_id", IDS)
def test_every_catalogue_is_bilingual_and_sourced(catalogue_id: str) -> None:
    catalogue = get_catalogue(catalogue_id)
    for label in _labels(catalogue):
        assert label.zh.strip()
        assert label.en.strip()
    assert catalogue.source.startswith("source 00")
    if catalogue.groups:
        assert all(e.group is not None for e in catalogue.entries)
        assert sum(len(catalogue.in_group(g.key)) for g in catalogue.groups) == len(
            catalogue.entries
        )
    if catalogue.inferred:
        assert catalogue.note is not None, "an inferred catalogue says what was inferred"


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


def test_the_seed_content_that_was_missing_is_there() -> None:
    framework = get_catalogue("marketing_framework")
    assert {g.key: [e.label.en for e in framework.in_group(g.key)] for g in framework.groups} == {
        "3c": ["Customer", "Company", "Competition"],
        "stp": ["Segmentation", "Targeting", "Positioning"],
        "4p": ["Product", "Price", "Place", "Promotion"],
        "3p": ["People", "Process", "Physical Evidence"],
    }
    assert framework.inferred  # the Chinese of 3C and STP is not the source's
    needs = get_catalogue("needs_characteristics")
    assert [e.label.zh for e in needs.entries] == ["同质化", "差异化", "隐性化"]
    taboos = [e.label.zh for e in get_catalogue("selling_basics").in_group("taboos")]
    assert "张冠李戴、换汤忘换药" in taboos
    assert len(taboos) == 4


def test_every_attachment_names_a_catalogue_and_every_stage_of_the_funnel_has_some() -> None:
    for name in BUILTIN:
        for stage in get_cycle(name).stages:
            assert all(i in IDS for i in stage.guidance.catalogues), (name, stage.id)
    assert all(s.guidance.catalogues for s in get_cycle("funnel").stages)


def test_the_places_a_source_states_are_real_attachments() -> None:
    stated = [(c, place) for c in IDS for place in get_catalogue(c).stated_at]
    assert stated, "source 004 places its negotiation and needs catalogues"
    for catalogue_id, place in stated:
        cycle, stage = place.split(".")
        assert (cycle, stage) in stages_for(catalogue_id), place
    negotiation = get_cycle("funnel").stage("NEGOTIATION").guidance.catalogues
    assert all(get_catalogue(c).stated_for("funnel", "NEGOTIATION") for c in negotiation)
    assert not get_catalogue("crasis").stated_for("funnel", "CLOSED")


def test_every_catalogue_applies_somewhere() -> None:
    chain = value_chain().catalogues
    for id in IDS:
        assert stages_for(id) or id in chain, id
    assert ("funnel", "NEGOTIATION") in stages_for("negotiation_tactics")
    assert set(chain) == {"procurement_steps", "key_account_principles", "structured_selling_tools"}


def test_each_text_exists_once() -> None:
    """No sentence is typed twice across the cycle files and the catalogue file."""
    texts: Counter[str] = Counter()
    for name in BUILTIN:
        for stage in get_cycle(name).stages:
            texts.update(label.zh for label in _guidance_labels(stage.guidance))
    for id in IDS:
        catalogue = get_catalogue(id)
        texts.update(label.zh for e in catalogue.entries for label in (e.label, *e.details))
    sentences = {text: n for text, n in texts.items() if n > 1 and len(text) >= 8}
    assert sentences == {}
    principles = "控制过程比控制结果更重要"
    assert texts[principles] == 1


def test_one_english_rendering_per_term() -> None:
    """立项 is always "project approval" (or "approves the project"), 认可 always "endorse"."""
    labels: list[Label] = []
    for name in BUILTIN:
        cycle = get_cycle(name)
        labels += [s.label for s in cycle.stages]
        declared = builtin_data(name).get("criteria", {})
        labels += [c.label for c in cycle.criteria if c.id in declared]
        for stage in cycle.stages:
            labels += _guidance_labels(stage.guidance)
            if stage.guidance.success is not None:
                success = stage.guidance.success
                labels += [success.customer, success.supplier, success.milestone]
    for id in IDS:
        labels += _labels(get_catalogue(id))
    approval = [x for x in labels if "立项" in x.zh]
    endorse = [x for x in labels if "认可" in x.zh]
    assert len(approval) >= 8
    assert len(endorse) >= 3
    assert not [x for x in approval if not _phrases(x)]
    assert not [x for x in endorse if "endors" not in x.en]


def _phrases(label: Label) -> set[str]:
    text = label.en.lower()
    return {p for p in ("project approval", "approves the project") if p in text}


def test_catalogues_for_reads_the_stage_and_takes_your_own_cycle() -> None:
    closing = [c.id for c in catalogues_for("activity", "CLOSING")]
    assert "negotiation_tactics" in closing
    assert "negotiation_principles" in closing
    assert [c.id for c in catalogues_for("funnel", "INTENT")] == [
        "needs_characteristics",
        "needs_iceberg",
        "question_types",
    ]
    mine = load_cycle(
        """
[cycle]
name = "catalogue_user"
kind = "process"
label = { zh = "甲", en = "a" }
[[stages]]
id = "TALK"
label = { zh = "谈", en = "talk" }
guidance = { catalogues = ["negotiation_principles", "crasis"] }
"""
    )
    assert [c.id for c in catalogues_for(mine, "TALK")] == ["negotiation_principles", "crasis"]
    with pytest.raises(UnknownName):
        catalogues_for("my_own_cycle", "ANY")
    with pytest.raises(InvalidData):
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
    with pytest.raises(InvalidData, match=r"cycle\.STAGE"):
        Catalogue("x", Label("x", "x"), (Entry("a", Label("a", "a")),), stated_at=("funnel",))
    ok = Catalogue(
        "x",
        Label("x", "x"),
        (Entry("a", Label("a", "a"), group="g"),),
        (Group("g", Label("g", "g")),),
    )
    assert ok.in_group("g") == ok.entries


def test_a_malformed_catalogue_file_reports_every_problem_with_its_place() -> None:
    data: dict[str, Any] = {
        "catalogues": [
            {"id": "a", "title": {"zh": "甲"}, "entries": [{"key": "x", "label": {"zh": "x"}}]},
            {"id": "a", "title": {"zh": "乙", "en": "b"}, "entries": "nope", "surprise": 1},
            {"title": {"zh": "丙", "en": "c"}},
        ]
    }
    with pytest.raises(InvalidDefinition) as caught:
        _read_catalogues(data, "mine.toml")
    places = [w for w, _ in caught.value.problems]
    assert "mine.toml: catalogues[0] (a).title.en" in places
    assert "mine.toml: catalogues[0] (a).entries[0].label.en" in places
    assert "mine.toml: catalogues[1] (a).id" in places
    assert "mine.toml: catalogues[1] (a).entries" in places
    assert "mine.toml: catalogues[1].surprise" in places
    assert "mine.toml: catalogues[2].id" in places


@pytest.mark.parametrize("catalogue_id", IDS)
def test_catalogues_round_trip(catalogue_id: str) -> None:
    catalogue = get_catalogue(catalogue_id)
    assert loads(dumps(catalogue), Catalogue) == catalogue


def test_a_cycle_can_only_reference_catalogues_by_id() -> None:
    assert isinstance(get_cycle("funnel"), Cycle)
    with pytest.raises(InvalidDefinition, match="catalogue"):
        Guidance(catalogues=("negotiation tactics",))
    with pytest.raises(InvalidDefinition, match="more than once"):
        Guidance(catalogues=("crasis", "crasis"))
