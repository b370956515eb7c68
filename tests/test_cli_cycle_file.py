"""`--cycle FILE` loads a user's pipeline wherever a cycle name is asked."""

from __future__ import annotations

import io
from pathlib import Path

from bigaccount.cli import main

PIPELINE = Path(__file__).parent.parent / "examples" / "pipelines" / "meddpicc.toml"


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def test_show_and_replay_accept_a_cycle_file(tmp_path: Path) -> None:
    from bigaccount.declarations import load_cycle

    cycle = load_cycle(PIPELINE)
    code, out, _ = run("show", cycle.name, "--cycle", str(PIPELINE))
    assert code == 0
    assert all(stage.id in out for stage in cycle.stages)
    history = tmp_path / "history.csv"
    first, second = cycle.stages[0].id, cycle.stages[1].id
    history.write_text(f"key,from,to\no1,,{first}\no1,{first},{second}\n", encoding="utf-8")
    code, out, err = run("replay", cycle.name, str(history), "--cycle", str(PIPELINE))
    assert code == 0, err


def test_a_broken_cycle_file_is_a_clean_error_listing_its_problems(tmp_path: Path) -> None:
    broken = tmp_path / "broken.toml"
    broken.write_text(
        PIPELINE.read_text(encoding="utf-8").replace('kind = "pipeline"', 'kind = "spiral"'),
        encoding="utf-8",
    )
    code, _out, err = run("show", "x", "--cycle", str(broken))
    assert code == 2
    assert "broken.toml" in err
    assert "cycle.kind" in err
    assert "Traceback" not in err
