"""Build-time pages of the documentation site, generated from the data so they cannot drift.

MkDocs runs this file as a hook module (``hooks:`` in ``mkdocs.yml``):

* ``glossary.md`` — every term of the built-in cycles (cycle, stage, outcome,
  criterion, route, owner and phase labels) and of the guidance catalogues (titles,
  groups, entries), in Chinese and English, read from the declarations when the site
  is built (:func:`glossary_markdown`);
* ``notebook.md`` and its pictures — ``examples/weekly_pipeline_review.ipynb``
  executed on the real data and laid out as a page, its charts saved as PNG files of
  the site (:func:`notebook_page`);
* doctest paragraphs written bare in a page or a docstring (``>>>`` lines outside a
  code fence) are shown as ``pycon`` code blocks (:func:`fence_doctests`, and the
  griffe extension :class:`DocstringMarkdown` for the API reference, which also turns
  Sphinx roles into links); the sources, which pytest runs, are not changed.

MkDocs is imported only inside the hook functions, and griffe only if it is installed,
so pytest can collect this file without the ``docs`` extra.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

try:
    from griffe import Extension as _GriffeExtension
except ImportError:  # the docs extra is not installed: the extension is never loaded
    _GriffeExtension = object

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "examples" / "weekly_pipeline_review.ipynb"
FIGURES = "figures"
NOTEBOOK_TIMEOUT = 300


# -- the glossary ----------------------------------------------------------------------


def _row_key(row: tuple[str, str, str]) -> tuple[str, str]:
    return (row[1].casefold(), row[0])


def _merged(terms: Iterable[tuple[str, str, str]]) -> list[tuple[str, str, str]]:
    """One row per (中文, English) term, its places joined, sorted by the English text."""
    places: dict[tuple[str, str], list[str]] = {}
    for zh, en, where in terms:
        seen = places.setdefault((zh, en), [])
        if where not in seen:
            seen.append(where)
    rows = [(zh, en, "; ".join(where)) for (zh, en), where in places.items()]
    return sorted(rows, key=_row_key)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _table(headers: tuple[str, str, str], rows: list[tuple[str, str, str]]) -> Iterator[str]:
    yield "| " + " | ".join(headers) + " |"
    yield "| --- | --- | --- |"
    for row in rows:
        yield "| " + " | ".join(_cell(c) for c in row) + " |"
    yield ""


def glossary_terms() -> dict[str, list[tuple[str, str, str]]]:
    """The glossary's sections: each a list of (中文, English, where) rows, merged and sorted.

    Read from :func:`bigaccount.get_cycle` for every registered cycle name and from
    :mod:`bigaccount.catalogues`.
    """
    from bigaccount import Outcome, cycle_names, get_cycle
    from bigaccount.catalogues import catalogue_ids, get_catalogue

    cycles, stages, criteria, routes, roles = [], [], [], [], []
    for name in cycle_names():
        cycle = get_cycle(name)
        link = f"[`{name}`](reference/cycles.md#{name})"
        cycles.append((cycle.label.zh, cycle.label.en, link))
        for stage in cycle.stages:
            stages.append((stage.label.zh, stage.label.en, f"{link} · `{stage.id}`"))
            gates = (("entry", stage.entry), ("exit", stage.exit))
            for kind, gate in gates:
                for criterion in gate.criteria:
                    where = f"{link} · `{stage.id}` {kind} · `{criterion.id}`"
                    criteria.append((criterion.label.zh, criterion.label.en, where))
            for criterion in stage.guidance.signals:
                where = f"{link} · `{stage.id}` signal · `{criterion.id}`"
                criteria.append((criterion.label.zh, criterion.label.en, where))
            for role in (stage.owner, stage.phase):
                if role is not None:
                    roles.append((role.zh, role.en, f"{link} · `{stage.id}`"))
        for criterion in cycle.win_gate.criteria:
            where = f"{link} win · `{criterion.id}`"
            criteria.append((criterion.label.zh, criterion.label.en, where))
        for route in cycle.routes:
            routes.append((route.label.zh, route.label.en, f"{link} · `{route.trigger}`"))
            for criterion in route.gate.criteria:
                where = f"{link} · `{route.trigger}` · `{criterion.id}`"
                criteria.append((criterion.label.zh, criterion.label.en, where))
        if cycle.kind.value == "pipeline":
            for outcome in Outcome:
                stages.append((outcome.label.zh, outcome.label.en, f"{link} · `{outcome.value}`"))
    titles, entries = [], []
    for key in catalogue_ids():
        catalogue = get_catalogue(key)
        titles.append((catalogue.title.zh, catalogue.title.en, f"`{key}`"))
        for group in catalogue.groups:
            titles.append((group.label.zh, group.label.en, f"`{key}` · `{group.key}`"))
        for entry in catalogue.entries:
            entries.append((entry.label.zh, entry.label.en, f"`{key}` · `{entry.key}`"))
    return {
        "cycles": _merged(cycles),
        "stages": _merged(stages),
        "criteria": _merged(criteria),
        "routes": _merged(routes),
        "roles": _merged(roles),
        "catalogues": _merged(titles),
        "entries": _merged(entries),
    }


_SECTIONS = {
    "cycles": ("循环 / Cycles", "name"),
    "stages": ("阶段与结局 / Stages and outcomes", "cycle · stage"),
    "criteria": ("条件 / Criteria", "cycle · stage and gate · criterion"),
    "routes": ("流程分支 / Routes", "cycle · trigger"),
    "roles": ("负责人与阶段组 / Owners and phases", "cycle · stage"),
    "catalogues": ("指导目录 / Guidance catalogues and their groups", "catalogue · group"),
    "entries": ("目录条目 / Catalogue entries", "catalogue · entry"),
}


def glossary_markdown() -> str:
    """The glossary page: a table of every term per section, 中文 beside English."""
    lines = [
        "# 术语表 / Glossary",
        "",
        "Every term the library shows a person, in Chinese and English, with where it is "
        "used. The page is generated from the declarations of the cycles and from the "
        "guidance catalogues each time the site is built, so it follows the data. "
        "Search finds a term in either language.",
        "",
    ]
    for key, rows in glossary_terms().items():
        title, where = _SECTIONS[key]
        lines += [f"## {title}", "", f"{len(rows)} terms.", ""]
        lines += _table(("中文", "English", where), rows)
    return "\n".join(lines)


# -- bare doctests as code blocks ------------------------------------------------------

_FENCE = re.compile(r"^(\s*)(`{3,}|~{3,})")


def fence_doctests(markdown: str) -> str:
    """*markdown* with each bare doctest paragraph (``>>>`` at the margin) in a pycon fence.

    A paragraph runs from its first ``>>>`` line to the next blank line (or fence); code
    already inside a fence is left alone.

    >>> fence_doctests("Text:\\n\\n>>> 1 + 1\\n2\\n\\nMore.").splitlines()
    ['Text:', '', '```pycon', '>>> 1 + 1', '2', '```', '', 'More.']
    """
    out: list[str] = []
    fence: str | None = None
    block = False
    for line in markdown.split("\n"):
        match = _FENCE.match(line)
        if block:
            if line.strip() and not match:
                out.append(line)
                continue
            out += ["```", ""]
            block = False
            if not match:
                continue
        if fence is not None:
            closing = line.strip()
            if set(closing) == {fence[0]} and len(closing) >= len(fence):
                fence = None
            out.append(line)
            continue
        if match:
            fence = match.group(2)
            out.append(line)
            continue
        if line.startswith(">>> "):
            if out and out[-1].strip():
                out.append("")
            out += ["```pycon", line]
            block = True
            continue
        out.append(line)
    if block:
        out.append("```")
    return "\n".join(out)


_ROLE = re.compile(r":(?:py:)?(?:class|func|meth|mod|data|attr|exc|obj|const):`(~?)([^`<>]+)`")


def link_roles(text: str, module: str) -> str:
    """*text* with Sphinx roles (``:class:`~bigaccount.deal.Deal```) as links of the reference.

    A target that does not start with ``bigaccount`` is looked up in *module*. The
    links are optional: a target the reference does not document shows as code. Text
    inside code fences is left alone.

    >>> link_roles(":class:`~bigaccount.deal.Deal`", "bigaccount.gates")
    '<autoref identifier="bigaccount.deal.Deal" optional><code>Deal</code></autoref>'
    """

    def link(match: re.Match[str]) -> str:
        short, target = match.group(1), match.group(2).strip()
        title = target.rsplit(".", 1)[-1] if short else target
        full = target if target.startswith("bigaccount") else f"{module}.{target}"
        return f'<autoref identifier="{full}" optional><code>{title}</code></autoref>'

    out: list[str] = []
    fence: str | None = None
    for line in text.split("\n"):
        match = _FENCE.match(line)
        if fence is None and match:
            fence = match.group(2)
        elif fence is not None and set(line.strip()) == {fence[0]}:
            fence = None
        elif fence is None:
            line = _ROLE.sub(link, line)
        out.append(line)
    return "\n".join(out)


# -- the notebook ----------------------------------------------------------------------

_CACHE: dict[str, tuple[str, dict[str, bytes]]] = {}


def _source(cell: Any) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else str(source)


def _outputs(cell: Any, number: int, figures: dict[str, bytes]) -> Iterator[str]:
    for output in cell.get("outputs", []):
        kind = output.get("output_type")
        if kind == "stream":
            yield "```text"
            yield _source({"source": output.get("text", "")}).rstrip("\n")
            yield "```"
            yield ""
            continue
        if kind == "error":
            yield "```text"
            yield f"{output.get('ename')}: {output.get('evalue')}"
            yield "```"
            yield ""
            continue
        data = output.get("data", {})
        if "image/png" in data:
            name = f"weekly-review-{number}-{len(figures) + 1}.png"
            figures[name] = base64.b64decode(data["image/png"])
            yield f"![figure {len(figures)} of the weekly review]({FIGURES}/{name})"
            yield ""
        elif "text/markdown" in data:
            yield _source({"source": data["text/markdown"]}).rstrip("\n")
            yield ""
        elif "text/plain" in data:
            yield "```text"
            yield _source({"source": data["text/plain"]}).rstrip("\n")
            yield "```"
            yield ""


def notebook_page(path: Path = NOTEBOOK, execute: bool = True) -> tuple[str, dict[str, bytes]]:
    """The notebook at *path* as a page, with its PNG figures by file name.

    With *execute* (and nbclient installed) the notebook is run first, from the
    repository root, so the page shows today's results on the real data; each result
    is cached for the life of the process by the notebook's hash.
    """
    import nbformat

    text = path.read_text(encoding="utf-8")
    key = hashlib.sha256(text.encode("utf-8")).hexdigest() + str(execute)
    if key in _CACHE:
        return _CACHE[key]
    notebook = nbformat.reads(text, as_version=4)
    if execute:
        from nbclient import NotebookClient

        NotebookClient(
            notebook, timeout=NOTEBOOK_TIMEOUT, resources={"metadata": {"path": str(ROOT)}}
        ).execute()
    figures: dict[str, bytes] = {}
    lines: list[str] = []
    for number, cell in enumerate(notebook.cells, 1):
        source = _source(cell).rstrip("\n")
        if cell.cell_type == "markdown":
            lines += [source, ""]
        elif cell.cell_type == "code" and source:
            lines += ["```python", source, "```", ""]
            lines += _outputs(cell, number, figures)
    lines += [
        "",
        "---",
        "",
        "This page is `examples/weekly_pipeline_review.ipynb`, executed when the site "
        "was built; the tests execute it too.",
        "",
    ]
    result = ("\n".join(lines), figures)
    _CACHE[key] = result
    return result


# -- the hooks -------------------------------------------------------------------------


def on_files(files: Any, config: Any) -> Any:
    """Add the generated pages and the notebook's figures to the site's files."""
    from mkdocs.structure.files import File

    files.append(File.generated(config, "glossary.md", content=glossary_markdown()))
    page, figures = notebook_page()
    files.append(File.generated(config, "notebook.md", content=page))
    for name, data in figures.items():
        files.append(File.generated(config, f"{FIGURES}/{name}", content=data))
    return files


def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    """Show bare doctest paragraphs as code blocks."""
    return fence_doctests(markdown)


class DocstringMarkdown(_GriffeExtension):  # type: ignore[misc,valid-type]
    """A griffe extension: docstrings show bare doctests as code and Sphinx roles as links."""

    def on_instance(self, *, obj: Any, **kwargs: Any) -> None:
        if obj.docstring is not None:
            text = fence_doctests(obj.docstring.value)
            obj.docstring.value = link_roles(text, obj.module.path)
