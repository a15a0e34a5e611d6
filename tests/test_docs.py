"""The documentation keeps up with the code (in the manner of datasette's tests/test_docs.py).

- Every hook specification in ``zhiping.packs.hookspecs`` has a section headed by its name in
  ``docs/reference/hooks.md``, and a test named ``test_hook_<name>`` (or starting with
  ``test_hook_<name>_``) somewhere under ``tests/``.
- The Python blocks of the tutorials, and of the hook reference, run. The blocks of one
  page run in order, in one namespace, in a temporary directory holding a copy of
  ``examples/`` (so ``examples/guanzhai-2026.json`` reads as from a clone). A snippet line
  ``--8<-- "path"`` is replaced by the file, as the site shows it. A block that is not
  meant to run (an excerpt, a file of another project) is preceded by the line
  ``<!-- not-run: why -->``; the reason is required.
- Every page in ``docs/`` is in the nav of ``mkdocs.yml`` (none is left out on purpose:
  ``NOT_IN_NAV`` is empty), and the pages that ``docs/_hooks/generate.py`` generates at
  build time are not committed in ``docs/``.

Nothing here runs mkdocs: CI runs ``mkdocs build --strict`` itself.
"""

from __future__ import annotations

import ast
import importlib.util
import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pluggy
import pytest
import yaml  # PyYAML: a dependency of the test extra (through dask) and of mkdocs

from markdown_blocks import FENCE, runnable_blocks
from zhiping.packs import hookspecs

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
HOOKS_PAGE = DOCS / "reference" / "hooks.md"
RUNNABLE_PAGES = sorted(
    path.relative_to(DOCS).as_posix() for path in [*(DOCS / "tutorials").glob("*.md"), HOOKS_PAGE]
)
NOT_IN_NAV: frozenset[str] = frozenset()
"""Pages of docs/ deliberately left out of the nav, each with a reason in a comment."""

SNIPPET = re.compile(r'^(?P<indent>\s*)--8<--\s+"(?P<path>[^"]+)"\s*$')


def hook_names() -> list[str]:
    """Return the name of every hook specification, as pluggy sees them."""
    manager = pluggy.PluginManager(hookspecs.PROJECT)
    manager.add_hookspecs(hookspecs)
    return sorted(name for name in vars(manager.hook) if not name.startswith("_"))


def headings(text: str, level: int) -> list[str]:
    """Return the Markdown headings of a level, outside fenced code."""
    found, fenced = [], False
    for line in text.splitlines():
        if FENCE.match(line):
            fenced = not fenced
        elif not fenced and line.startswith("#" * level + " "):
            found.append(line[level + 1 :].strip())
    return found


def names_of_tests() -> set[str]:
    """Return the names of every test function and method under tests/."""
    names: set[str] = set()
    for path in (ROOT / "tests").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            is_function = isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
            if is_function and node.name.startswith("test_"):
                names.add(node.name)
    return names


def test_the_hooks_are_found() -> None:
    assert {"zhiping_packs", "zhiping_mechanisms"} <= set(hook_names())


@pytest.mark.parametrize("hook", hook_names())
def test_every_hook_has_a_section_in_the_hook_reference(hook: str) -> None:
    sections = headings(HOOKS_PAGE.read_text(encoding="utf-8"), 2)
    assert hook in sections, f"docs/reference/hooks.md has no section '## {hook}'"


@pytest.mark.parametrize("hook", hook_names())
def test_every_hook_has_a_test_named_after_it(hook: str) -> None:
    expected = f"test_hook_{hook}"
    tests = names_of_tests()
    assert any(name == expected or name.startswith(f"{expected}_") for name in tests), (
        f"no test under tests/ is named {expected} or {expected}_…"
    )


# The Python blocks of the tutorials run.


def python_blocks(page: str) -> Iterator[tuple[int, str]]:
    """Yield each runnable Python block of a page: its first line's number and its code."""
    return python_blocks_of((DOCS / page).read_text(encoding="utf-8"))


def python_blocks_of(text: str) -> Iterator[tuple[int, str]]:
    """Yield each runnable Python block of a Markdown text."""
    for first_line, body in runnable_blocks(text, "python"):
        yield first_line, "\n".join(_with_snippets(body))


def _with_snippets(lines: list[str]) -> Iterator[str]:
    for line in lines:
        snippet = SNIPPET.match(line)
        if snippet:
            yield from (ROOT / snippet["path"]).read_text(encoding="utf-8").splitlines()
        else:
            yield line


def test_the_runnable_pages_have_python_blocks() -> None:
    assert "tutorials/python.md" in RUNNABLE_PAGES
    for page in RUNNABLE_PAGES:
        if page != "tutorials/index.md":
            assert list(python_blocks(page)), f"{page} has no Python block to run"


@pytest.mark.parametrize("page", RUNNABLE_PAGES)
def test_the_python_blocks_of_a_page_run_in_order(
    page: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copytree(
        ROOT / "examples",
        tmp_path / "examples",
        ignore=shutil.ignore_patterns("__pycache__", "*.egg-info", "build", "dist"),
    )
    monkeypatch.chdir(tmp_path)
    namespace: dict[str, Any] = {"__name__": "docs_" + Path(page).stem.replace("-", "_")}
    for first_line, code in python_blocks(page):
        # Blank lines first, so that a traceback names the line of the page.
        compiled = compile("\n" * (first_line - 1) + code, f"docs/{page}", "exec")
        exec(compiled, namespace)


def test_python_blocks_are_found_with_their_snippets_and_not_run_blocks_skipped() -> None:
    text = (
        "```python\nx = 1\n```\n\n"
        "<!-- not-run: an excerpt -->\n```python\nraise SystemExit\n```\n\n"
        '    ```python\n    --8<-- "examples/frontend/index.html"\n    ```\n\n'
        "```js\nnot python\n```\n"
    )
    blocks = list(python_blocks_of(text))
    assert [line for line, _ in blocks] == [2, 11]
    assert blocks[0][1] == "x = 1"
    assert blocks[1][1].startswith("<!doctype html>")


# Every page is in the nav; generated pages are not committed.


def nav_pages(entries: Any) -> Iterator[str]:
    """Yield every page that a nav (or part of one) lists."""
    if isinstance(entries, str):
        yield entries
    elif isinstance(entries, list):
        for entry in entries:
            yield from nav_pages(entry)
    elif isinstance(entries, dict):
        for value in entries.values():
            yield from nav_pages(value)


def mkdocs_config() -> dict[str, Any]:
    config: dict[str, Any] = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    return config


def generate_hook() -> ModuleType:
    """Import docs/_hooks/generate.py, which needs zhiping and not mkdocs."""
    path = DOCS / "_hooks" / "generate.py"
    spec = importlib.util.spec_from_file_location("zhiping_docs_generate", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_page_in_docs_is_in_the_nav() -> None:
    listed = set(nav_pages(mkdocs_config()["nav"]))
    pages = {
        path.relative_to(DOCS).as_posix()
        for path in DOCS.rglob("*.md")
        if not path.relative_to(DOCS).as_posix().startswith("_hooks/")
    }
    missing = sorted(pages - listed - NOT_IN_NAV)
    assert not missing, f"pages of docs/ missing from the nav of mkdocs.yml: {missing}"


def test_the_generated_pages_are_not_committed_and_the_nav_lists_only_existing_pages() -> None:
    generated = set(generate_hook().generated_files())
    assert "reference/cli.md" in generated
    assert "reference/packs/xinzhou.md" in generated
    committed = sorted(path for path in generated if (DOCS / path).exists())
    assert not committed, f"generated at build time, to be removed from docs/: {committed}"
    listed = set(nav_pages(mkdocs_config()["nav"]))
    unknown = sorted(p for p in listed if not (DOCS / p).is_file() and p not in generated)
    assert not unknown, f"the nav lists pages that do not exist: {unknown}"


def test_the_hook_module_is_listed_and_kept_out_of_the_site() -> None:
    config = mkdocs_config()
    assert config["hooks"] == ["docs/_hooks/generate.py"]
    assert "_hooks/" in config["exclude_docs"].split()


def test_the_http_reference_lists_every_operation_of_the_openapi_document() -> None:
    """Generated from ``zhiping serve``'s own OpenAPI document, never written by hand."""
    pytest.importorskip("fastapi")
    from zhiping.serve import create_app

    generated = generate_hook().generated_files()
    openapi = create_app().openapi()
    assert json.loads(generated["reference/openapi.json"]) == openapi
    page = generated["reference/http.md"]
    for path, operations in openapi["paths"].items():
        for method in operations:
            assert f"`{method.upper()} {path}`" in page
    assert "`POST /sessions`" in page
    assert "`GET /sessions/{session_id}/sheet`" in page
