"""The command line's import, replay and mappings commands: outputs, formats and exit codes."""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path

import pytest

from bigaccount import Deal, cli
from bigaccount.cli import EXIT_ERROR, EXIT_OK, EXIT_REFUSED, main
from bigaccount.io import loads

DATA = Path(__file__).parent / "data"
OPPORTUNITY = DATA / "salesforce-devorg-sample" / "Opportunity.csv"
HISTORY = DATA / "salesforce-devorg-sample" / "OpportunityHistory.csv"
SALVIRT = DATA / "salvirt-b2b-sales" / "Salvirt_B2B_ML_dataset_HF.csv"


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def deals(text: str) -> list[Deal]:
    return [loads(line, Deal) for line in text.splitlines() if line.strip()]


def test_import_writes_deals_as_json_lines_and_prints_the_summary(tmp_path: Path) -> None:
    target = tmp_path / "opportunities.jsonl"
    code, out, err = run("import", "salesforce-opportunity", str(OPPORTUNITY), "-o", str(target))
    assert code == EXIT_OK
    assert err == ""
    with OPPORTUNITY.open(newline="", encoding="utf-8") as handle:
        ids = [row["Id"] for row in csv.DictReader(handle)]
    assert [d.id for d in deals(target.read_text(encoding="utf-8"))] == ids
    assert f"rows {len(ids)}; accepted {len(ids)}; refused 0" in out
    assert f"wrote {len(ids)} deals to {target}" in out


def test_without_an_output_file_deals_go_to_stdout_and_the_summary_to_stderr() -> None:
    code, out, err = run("import", "salvirt-b2b", str(SALVIRT), "--as-of", "2017-01-01")
    assert code == EXIT_OK
    assert len(deals(out)) == 448
    assert "rows 448; accepted 448; refused 0" in err
    assert "rows identical to an earlier row: 83" in err


def test_a_history_with_its_base_lists_every_refusal_or_says_how_many_more(
    tmp_path: Path,
) -> None:
    base = tmp_path / "opportunities.jsonl"
    assert run("import", "salesforce-opportunity", str(OPPORTUNITY), "-o", str(base))[0] == 0
    target, refused = tmp_path / "deals.jsonl", tmp_path / "refused.csv"
    code, out, _ = run(
        "import",
        "salesforce-history",
        str(HISTORY),
        "--base",
        str(base),
        "-o",
        str(target),
        "--refused",
        str(refused),
        "--limit",
        "3",
    )
    assert code == EXIT_REFUSED
    assert "refused by reason: reversal of an outcome 7" in out
    assert out.count("reversal of an outcome: WON → LOST") == 3
    assert "… and 4 more (--limit 0 lists them all)" in out
    assert "wrote 7 refused rows" in out
    with refused.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["refused_problem"] for r in rows] == ["reversal"] * 7
    assert all(r["StageName"] == "Closed Lost" for r in rows)
    _, everything, _ = run(
        "import", "salesforce-history", str(HISTORY), "--base", str(base), "-o", str(target),
        "--limit", "0",
    )  # fmt: skip
    assert everything.count("reversal of an outcome: WON → LOST") == 7
    assert "more (--limit 0" not in everything


def test_json_and_csv_formats_for_scripts_and_chinese_after_the_command(tmp_path: Path) -> None:
    base = tmp_path / "opportunities.jsonl"
    run("import", "salesforce-opportunity", str(OPPORTUNITY), "-o", str(base))
    args = ["import", "salesforce-history", str(HISTORY), "--base", str(base)]
    args += ["-o", str(tmp_path / "d.jsonl")]
    code, out, _ = run(*args, "--format", "json")
    summary = json.loads(out)
    assert code == EXIT_REFUSED
    assert summary["rows"] == summary["accepted"] + summary["refused"] == 48
    assert summary["by_problem"] == {"reversal": 7}
    assert len(summary["refusals"]) == 7
    assert summary["sorted_deals"]
    _, out, _ = run(*args, "--format", "csv")
    table = list(csv.reader(io.StringIO(out)))
    assert table[0][:4] == ["refused_source", "refused_line", "refused_key", "refused_problem"]
    assert len(table) == 8
    _, out, _ = run(*args, "--lang", "zh")
    assert "拒绝原因: 赢单后又标为丢单（结果反转） 7" in out
    assert "行 48" in out


def test_input_errors_exit_2_with_a_clear_message(tmp_path: Path) -> None:
    code, _, err = run("import", "salesforce-history", str(HISTORY))
    assert code == EXIT_ERROR
    assert "base" in err
    code, _, err = run("import", "maven-crm", str(OPPORTUNITY))
    assert code == EXIT_ERROR
    assert "Opportunity.csv has no column 'opportunity_id'" in err
    assert "'close_value'" in err
    code, _, err = run("import", "no-such-mapping", str(OPPORTUNITY))
    assert code == EXIT_ERROR
    assert "no shipped mapping 'no-such-mapping'" in err
    code, _, err = run("import", "maven-crm", str(tmp_path / "missing.csv"))
    assert code == EXIT_ERROR
    bad = tmp_path / "bad.toml"
    bad.write_text('kind = "snapshot"\ncycle = "funnel"\ncolour = 1\n', encoding="utf-8")
    code, _, err = run("import", str(bad), str(OPPORTUNITY))
    assert code == EXIT_ERROR
    assert "bad.toml: colour: unknown key" in err
    code, _, err = run("import", "maven-crm", str(OPPORTUNITY), "--as-of", "2017-01-01T09:00")
    assert code == EXIT_ERROR
    assert "has no timezone" in err
    legacy = tmp_path / "gbk.csv"
    legacy.write_bytes(
        ("Id,Account,Amount,Stage\n" + "o1,江南智造集团,1,Won\n" * 20).encode("gb18030")
    )
    mapping = tmp_path / "gbk.toml"
    mapping.write_text(
        'kind = "snapshot"\ncycle = "funnel"\n[columns]\nid = "Id"\naccount = "Account"\n'
        'amount = "Amount"\nstage = "Stage"\n[amount]\ncurrency = "CNY"\ntax = "inclusive"\n'
        '[segment]\ndefault = "sme"\n[stages]\nWon = "WON"\n',
        encoding="utf-8",
    )
    code, _, err = run("import", str(mapping), str(legacy), "--as-of", "2026-01-01")
    assert code == EXIT_ERROR
    assert "gbk.csv is not UTF-8" in err
    code, out, err = run(
        "import", str(mapping), str(legacy), "--as-of", "2026-01-01", "--encoding", "gb18030"
    )
    assert code == EXIT_REFUSED
    assert deals(out)[0].account.name == "江南智造集团"
    assert "duplicate 19" in err
    with pytest.raises(SystemExit) as usage:
        run("import", "maven-crm")
    assert usage.value.code == EXIT_ERROR


def test_replay_reads_columns_by_name_and_can_enter_mid_pipeline(tmp_path: Path) -> None:
    path = tmp_path / "changes.csv"
    path.write_text(
        "to,OpportunityId,note,from\nTARGET,o1,,\nAPPROVED,o1,x,TARGET\nWON,o2,,\n",
        encoding="utf-8",
    )
    code, out, _ = run("replay", "funnel", str(path), "--key", "OpportunityId")
    assert code == EXIT_REFUSED
    assert out.splitlines()[0] == "3 rows, 1 keys, 1 refused"
    assert "row 3 (o2): no move from '<start>' to 'WON' [line 4]" in out
    code, out, _ = run("replay", "funnel", str(path), "--key", "OpportunityId", "--enter-anywhere")
    assert code == EXIT_OK
    assert out.splitlines()[0] == "3 rows, 2 keys, 0 refused, 1 entered mid-pipeline"
    code, _, err = run("replay", "funnel", str(path))
    assert code == EXIT_ERROR
    assert "changes.csv has no column 'key'" in err


def test_replay_lists_are_complete_or_say_how_many_more(tmp_path: Path) -> None:
    path = tmp_path / "changes.csv"
    path.write_text(
        "key,from,to\n"
        + "".join(f"k{i},,TARGET\nk{i},TARGET,WON\nk{i},WON,LOST\n" for i in range(30)),
        encoding="utf-8",
    )
    code, out, _ = run("replay", "funnel", str(path), "--limit", "5")
    assert code == EXIT_REFUSED
    assert out.count("no move from 'WON' to 'LOST'") == 5
    assert "… and 25 more" in out
    _, out, _ = run("replay", "funnel", str(path), "--format", "json")
    assert len(json.loads(out)["problems"]) == 30


def test_an_oversized_csv_field_is_a_clean_refusal_not_a_traceback(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    path.write_text(
        "key,from,to\n" + f"k1,,{'X' * (csv.field_size_limit() + 1)}\n" + "k2,,TARGET\n",
        encoding="utf-8",
    )
    code, out, err = run("replay", "funnel", str(path))
    assert code == EXIT_REFUSED
    assert err == ""
    assert f"longer than {csv.field_size_limit()} characters" in out
    assert out.splitlines()[0] == "2 rows, 1 keys, 1 refused"


def test_mappings_are_listed_and_printed() -> None:
    code, out, _ = run("mappings")
    assert code == EXIT_OK
    assert "salesforce-history" in out
    assert "history" in out
    code, out, _ = run("mappings", "maven-crm", "--lang", "zh")
    assert code == EXIT_OK
    assert 'kind = "snapshot"' in out


def test_the_existing_commands_still_work_with_lang_after_the_command() -> None:
    code, out, _ = run("show", "funnel", "--lang", "zh")
    assert code == EXIT_OK
    assert "至少满足3项中的2项" in out
    assert run("cycles")[0] == EXIT_OK


def test_progress_falls_back_to_plain_text_without_rich(monkeypatch: pytest.MonkeyPatch) -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    monkeypatch.setitem(sys.modules, "rich.progress", None)
    monkeypatch.setattr(cli, "PROGRESS_AFTER", 0.0)
    progress = cli._Progress(True, "en")
    progress("read", 50, 200)
    progress("build", 3, None)
    progress.close()
    shown = terminal.getvalue()
    assert "reading 25%" in shown
    assert "building deals 3" in shown
    quiet = cli._Progress(False, "en")
    quiet("read", 1, 2)
    assert terminal.getvalue() == shown
