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
