"""Export each built-in cycle to a file, load it back, and check it is the same cycle.

The built-in cycles are data files already; this writes them out again through the
public writer (:func:`bigaccount.dump_cycle`), in TOML or JSON, as a starting point
for a pipeline of your own, and proves the round trip: the loaded cycle is equal to
the built-in one and compiles to the same moves.

    python examples/pipelines/export_builtin.py OUT_DIR [toml|json]
"""

from __future__ import annotations

import sys
from pathlib import Path

from bigaccount import cycle_names, dump_cycle, get_cycle, load_cycle
from bigaccount.registry import BUILTIN


def export(directory: Path, fmt: str = "toml") -> dict[str, Path]:
    """Write every built-in cycle into *directory* as ``<name>.<fmt>``; return the files.

    Raises:
        ValueError: a file does not load back as the cycle it was written from.
    """
    directory.mkdir(parents=True, exist_ok=True)
    written: dict[str, Path] = {}
    for name in BUILTIN:
        cycle = get_cycle(name)
        path = directory / f"{name}.{fmt}"
        path.write_text(dump_cycle(cycle, fmt), encoding="utf-8")
        loaded = load_cycle(path)
        if loaded != cycle or loaded.transitions != cycle.transitions:
            raise ValueError(f"{path} does not load back as the built-in {name!r}")
        written[name] = path
    return written


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__.strip().splitlines()[-1].strip())
        return 2
    fmt = argv[1] if len(argv) > 1 else "toml"
    for name, path in export(Path(argv[0]), fmt).items():
        print(f"{name:<12} {path}  ({len(get_cycle(name).stages)} stages, loads back equal)")
    print(f"registered cycles: {', '.join(cycle_names())}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
