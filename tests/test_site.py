"""The documentation site: built with ``--strict``, the API reference complete, diagrams drawn,
search that finds Chinese and English terms, the README's opening included, the notebook's
pictures shown.

The site is built once, by ``mkdocs build --strict`` in a subprocess, into a temporary
directory — or read from ``$BIGACCOUNT_SITE`` when CI's docs step has just built it. Without
the ``docs`` extra the tests that need the built site are skipped, with the reason; with
``BIGACCOUNT_REQUIRE_DOCS=1`` (CI's docs step) they fail instead.
"""

from __future__ import annotations

import html
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest
from hypothesis import given
from hypothesis import strategies as st

import bigaccount
from bigaccount import get_cycle
from bigaccount.registry import BUILTIN

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
TOOLS = ("mkdocs", "material", "mkdocstrings", "mkdocstrings_handlers.python", "jieba", "nbclient")
FENCE = re.compile(r"^```mermaid\s*$", re.M)
DIAGRAM = re.compile(r'<pre class="mermaid"><code>(.*?)</code></pre>', re.S)


def _load_hooks() -> ModuleType:
    spec = importlib.util.spec_from_file_location("site_hooks", DOCS / "hooks.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


hooks = _load_hooks()


def _missing_tools() -> list[str]:
    missing = []
    for name in TOOLS:
        try:
            found = importlib.util.find_spec(name)
        except ModuleNotFoundError:
            found = None
        if found is None:
            missing.append(name)
    return missing


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    given = os.environ.get("BIGACCOUNT_SITE")
    if given:
        return Path(given)
    missing = _missing_tools()
    if missing:
        reason = (
            f"the docs extra is not installed (no {', '.join(missing)}): pip install -e '.[docs]'"
        )
        if os.environ.get("BIGACCOUNT_REQUIRE_DOCS"):
            pytest.fail(reason)
        pytest.skip(reason)
    out = tmp_path_factory.mktemp("site")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    build = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert build.returncode == 0, build.stderr[-6000:]
    return out


def page(site: Path, source: str) -> str:
    """The built HTML of the page whose Markdown source is *source* (relative to docs/)."""
    name = source.removesuffix(".md")
    folder = name.removesuffix("index") if name == "index" or name.endswith("/index") else name
    return (site / folder / "index.html").read_text(encoding="utf-8")


def text_of(markup: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", markup))


# -- the API reference -----------------------------------------------------------------


def defining_module(name: str) -> str:
    lazy = bigaccount._LAZY.get(name)
    if lazy is not None:
        return f"bigaccount.{lazy}"
    module: str = getattr(bigaccount, name).__module__
    return module


def test_the_api_reference_has_every_public_name(site: Path) -> None:
    ids: set[str] = set()
    for path in (site / "api").rglob("*.html"):
        ids |= set(re.findall(r'id="([^"]+)"', path.read_text(encoding="utf-8")))
    missing = [
        f"{defining_module(name)}.{name}"
        for name in bigaccount.__all__
        if f"{defining_module(name)}.{name}" not in ids
    ]
    assert not missing, f"not in the API reference: {missing}"
    assert len(bigaccount.__all__) > 100


# -- diagrams --------------------------------------------------------------------------


def test_every_mermaid_fence_is_drawn_as_a_diagram(site: Path) -> None:
    fences = 0
    for source in sorted(DOCS.rglob("*.md")):
        relative = source.relative_to(DOCS).as_posix()
        expected = len(FENCE.findall(source.read_text(encoding="utf-8")))
        fences += expected
        built = page(site, relative)
        assert built.count('<pre class="mermaid">') == expected, relative
    assert fences >= len(BUILTIN)
    for path in site.rglob("*.html"):
        markup = path.read_text(encoding="utf-8")
        assert "language-mermaid" not in markup, f"{path}: a mermaid fence left as code"
        for body in DIAGRAM.findall(markup):
            assert html.unescape(body).split()[0] in ("stateDiagram-v2", "flowchart"), path


def test_the_reference_page_draws_every_built_in_cycle(site: Path) -> None:
    from bigaccount.diagrams import mermaid

    drawn = {html.unescape(b).strip() for b in DIAGRAM.findall(page(site, "reference/cycles.md"))}
    for name in BUILTIN:
        assert mermaid(get_cycle(name)).strip() in drawn, name


# -- search ----------------------------------------------------------------------------

SEARCH = r"""
// Material's own search worker, run in node on the built site's index: prints the hits.
const fs = require("fs"), path = require("path"), vm = require("vm");
const [site, ...queries] = process.argv.slice(2);
const js = path.join(site, "assets", "javascripts");
const worker = fs.readdirSync(path.join(js, "workers")).find(f => /^search\..*\.js$/.test(f));
let handler = null;
const replies = [];
const context = {
  console, setTimeout, clearTimeout, Promise, TextEncoder, TextDecoder,
  addEventListener: (type, fn) => { if (type === "message") handler = fn; },
  postMessage: message => replies.push(message),
  importScripts: (...urls) => {
    for (const url of urls) {
      const file = path.join(js, "workers", url);
      vm.runInContext(fs.readFileSync(file, "utf8"), context, { filename: file });
    }
  },
};
context.self = context;
vm.createContext(context);
vm.runInContext(fs.readFileSync(path.join(js, "workers", worker), "utf8"), context);
const index = JSON.parse(fs.readFileSync(path.join(site, "search", "search_index.json"), "utf8"));
(async () => {
  await handler({ data: { type: 0, data: { ...index, options: { suggest: false } } } });
  const hits = {};
  for (const query of queries) {
    replies.length = 0;
    await handler({ data: { type: 2, data: query } });
    hits[query] = replies[0].data.items.flat().map(item => item.location);
  }
  console.log(JSON.stringify(hits));
})();
"""

QUERIES = {
    "bigaccount.Deal": "api/deals/#bigaccount.deal.Deal",
    "weighted_amount": "api/deals/#bigaccount.deal.Deal.weighted_amount",
    "漏斗": "forecast/",
    "渔网图": "people/#the-fishing-net-map",
}


def _index(site: Path) -> dict[str, object]:
    data: dict[str, object] = json.loads((site / "search" / "search_index.json").read_text("utf-8"))
    return data


def test_the_search_index_cuts_chinese_into_words(site: Path) -> None:
    index = _index(site)
    config = index["config"]
    assert isinstance(config, dict)
    assert set(config["lang"]) == {"en", "zh"}
    separator = re.compile(config["separator"])
    tokens: set[str] = set()
    docs = index["docs"]
    assert isinstance(docs, list)
    for doc in docs:
        for field in ("title", "text"):
            tokens.update(t.lower() for t in separator.split(text_of(doc[field])) if t)
    assert any("\u200b" in doc["text"] for doc in docs), "jieba did not segment the index"
    for word in ("漏斗", "渔网", "客户", "weighted", "amount", "bigaccount", "deal"):
        assert word in tokens, word


@pytest.mark.skipif(shutil.which("node") is None, reason="node is needed to run the search worker")
def test_search_finds_chinese_and_english_terms(site: Path, tmp_path: Path) -> None:
    script = tmp_path / "search.js"
    script.write_text(SEARCH, encoding="utf-8")
    run = subprocess.run(
        ["node", str(script), str(site), *QUERIES],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    hits = json.loads(run.stdout)
    for query, expected in QUERIES.items():
        assert expected in hits[query], (query, hits[query][:10])


def test_the_pages_need_no_other_site_for_search_or_fonts(site: Path) -> None:
    assert list((site / "assets" / "javascripts" / "workers").glob("search.*.js"))
    assert (site / "assets" / "javascripts" / "lunr" / "min" / "lunr.zh.min.js").is_file()
    for path in site.rglob("*.html"):
        markup = path.read_text(encoding="utf-8")
        assert "fonts.googleapis.com" not in markup, path
        assert "fonts.gstatic.com" not in markup, path
        for url in re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', markup):
            assert not url.startswith(("http://", "https://", "//")), (path, url)


# -- pages generated from the data, and shared with the README -------------------------


def test_the_glossary_has_every_term_of_the_cycles_and_catalogues(site: Path) -> None:
    from bigaccount.catalogues import catalogue_ids, get_catalogue

    glossary = text_of(page(site, "glossary.md"))
    labels = []
    for name in BUILTIN:
        cycle = get_cycle(name)
        labels.append(cycle.label)
        for stage in cycle.stages:
            labels += [stage.label, *(c.label for c in stage.criteria)]
            labels += [c.label for c in stage.guidance.signals]
        labels += [r.label for r in cycle.routes]
    for key in catalogue_ids():
        catalogue = get_catalogue(key)
        labels += [catalogue.title, *(e.label for e in catalogue.entries)]
    missing = [label for label in labels if label.zh not in glossary or label.en not in glossary]
    assert not missing, missing[:5]


def _readme_section(name: str) -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    start = readme.index(f"--8<-- [start:{name}]")
    return readme[readme.index("\n", start) + 1 : readme.index(f"--8<-- [end:{name}]")]


def test_the_readme_opening_is_included_in_the_site_not_copied(site: Path) -> None:
    opening = _readme_section("opening")
    first = " ".join(opening.split("\n\n")[0].split())
    home = " ".join(text_of(page(site, "index.md")).split())
    assert re.sub(r"[`*]", "", first) in home
    assert first not in " ".join((DOCS / "index.md").read_text(encoding="utf-8").split())
    started = text_of(page(site, "getting-started.md"))
    for command in re.findall(r"```sh\n(.*?)\n```", _readme_section("commands")):
        assert command in started


def test_the_notebook_page_shows_its_charts(site: Path) -> None:
    notebook = page(site, "notebook.md")
    images = re.findall(r'<img[^>]+src="([^"]+\.png)"', notebook)
    assert len(images) >= 4
    for src in images:
        data = (site / "notebook" / src).resolve().read_bytes()
        assert data.startswith(b"\x89PNG\r\n\x1a\n"), src
        assert len(data) > 5000, src
    assert '<pre class="mermaid">' in notebook  # the cycle displayed itself


def test_bare_doctests_are_shown_as_code(site: Path) -> None:
    source = (DOCS / "cycles.md").read_text(encoding="utf-8")
    assert re.search(r"^>>> ", source, re.M), "the page no longer has bare doctests"
    built = page(site, "cycles.md")
    assert "&gt;&gt;&gt;" in built
    assert not re.search(r"<blockquote>\s*<blockquote>", built)


# -- the generators themselves (no docs tools needed) ----------------------------------

line = st.sampled_from(
    ["", "text", ">>> 1 + 1", "2", "... more", "```python", "```", "| a | b |", "  >>> x"]
)


@given(st.lists(line, max_size=30))
def test_fencing_doctests_only_adds_fences_and_blank_lines(lines: list[str]) -> None:
    text = "\n".join(lines)
    fenced = hooks.fence_doctests(text).split("\n")
    added = ("```pycon", "```", "")
    kept = [x for x in fenced if x not in added]
    assert kept == [x for x in lines if x not in added]
    fence = None
    for row in fenced:
        if row.startswith("```") and fence is None:
            fence = row
        elif row == "```":
            fence = None
        elif row.startswith(">>> "):
            assert fence is not None, fenced


def test_the_glossary_sections_are_sorted_and_have_each_term_once() -> None:
    sections = hooks.glossary_terms()
    assert set(sections) == set(hooks._SECTIONS)
    for rows in sections.values():
        assert rows == sorted(rows, key=lambda r: (r[1].casefold(), r[0]))
        pairs = [(zh, en) for zh, en, _ in rows]
        assert len(pairs) == len(set(pairs))
    stages = {(zh, en) for zh, en, _ in sections["stages"]}
    for name in BUILTIN:
        assert {(s.label.zh, s.label.en) for s in get_cycle(name).stages} <= stages
