from __future__ import annotations

import subprocess
import sys

import bigaccount


def test_every_public_name_exists_once() -> None:
    missing = [name for name in bigaccount.__all__ if not hasattr(bigaccount, name)]
    assert missing == []
    assert len(set(bigaccount.__all__)) == len(bigaccount.__all__)


def test_import_needs_only_the_run_time_dependencies() -> None:
    code = (
        "import sys, bigaccount; "
        "print(sorted(m for m in ('hypothesis', 'pytest', 'pandas') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_the_engine_2_surface_replaces_the_names_of_0_1() -> None:
    from bigaccount import gates, people_criteria, plan, track
    from bigaccount.cycles import advancement, funnel

    assert bigaccount.StageBlocked is gates.StageBlocked
    assert bigaccount.Outcome is track.Outcome
    assert [o.value for o in bigaccount.Outcome] == ["WON", "LOST", "STALLED"]
    assert bigaccount.Outcome.LOST == "LOST"
    assert not hasattr(bigaccount.Outcome, "OPEN")
    for gone in ("WON", "LOST", "STALLED", "OUTCOMES"):
        assert gone not in bigaccount.__all__
        assert not hasattr(bigaccount, gone)
        assert not hasattr(track, gone)
    assert not hasattr(advancement, "build")
    assert not hasattr(funnel, "build")
    assert not hasattr(bigaccount.Gate, "problems")
    assert {
        people_criteria.MID_LOW_RELATIONS,
        people_criteria.TOP_RELATION,
        people_criteria.FISHNET_COMPLETE,
        people_criteria.TOP_DECIDER_FAVOURS,
    } <= set(people_criteria.RELATIONSHIP_CRITERIA)
    for factory in (
        "mid_low_relations",
        "top_relation",
        "fishnet_complete",
        "relationship_criteria",
    ):
        assert not hasattr(people_criteria, factory)
    for factory in ("competitors_present", "p1_competitor_info", "p2_competitor_moves"):
        assert not hasattr(plan, factory)
