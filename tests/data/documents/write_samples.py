"""Writes a sample document of every document type for the current schema, once.

Run by hand from the repository root when a schema version is new::

    python tests/data/documents/write_samples.py

It writes ``v<SCHEMA_VERSION>/<type>.json`` from the values of ``tests/_documents.py``
and never overwrites a file: a committed sample is what that version wrote, and every
later version must read it (``tests/test_documents.py`` checks that they do).
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))

from _documents import examples  # noqa: E402
from bigaccount.io import SCHEMA_VERSION, dumps  # noqa: E402


def main() -> None:
    folder = HERE / f"v{SCHEMA_VERSION}"
    folder.mkdir(exist_ok=True)
    for name, value in sorted(examples().items()):
        path = folder / f"{name}.json"
        if path.exists():
            continue
        path.write_text(dumps(value, indent=2) + "\n", encoding="utf-8")
        print(f"wrote {path.relative_to(HERE)}")


if __name__ == "__main__":
    main()
