"""The layers of DESIGN §1 hold, and the contract that keeps them would catch a breach."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LINT_IMPORTS = [str(Path(sys.executable).with_name("lint-imports"))]
"""The command installed with import-linter, beside the interpreter running the tests."""


def _lint_imports(source: Path, config: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*LINT_IMPORTS, "--config", str(config), "--no-cache"],
        cwd=source.parent,
        env={"PYTHONPATH": str(source), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=False,
    )


def _tree(tmp_path: Path) -> Path:
    source = tmp_path / "src"
    shutil.copytree(
        ROOT / "src" / "zhiping", source / "zhiping", ignore=shutil.ignore_patterns("__pycache__")
    )
    return source


def test_the_source_tree_keeps_every_layer_contract(tmp_path: Path) -> None:
    result = _lint_imports(_tree(tmp_path), ROOT / "pyproject.toml")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_an_import_from_a_higher_layer_breaks_the_contract(tmp_path: Path) -> None:
    """The documents layer importing the store (far above it) fails the check, naming both."""
    source = _tree(tmp_path)
    session = source / "zhiping" / "documents" / "session.py"
    session.write_text(session.read_text(encoding="utf-8") + "\nfrom zhiping.store import Store\n")
    result = _lint_imports(source, ROOT / "pyproject.toml")
    assert result.returncode != 0
    assert "zhiping.documents is not allowed to import zhiping.store" in result.stdout


def test_a_new_module_outside_every_layer_breaks_the_contract(tmp_path: Path) -> None:
    """The contract is exhaustive: a new top-level module must be given its layer."""
    source = _tree(tmp_path)
    (source / "zhiping" / "helpers.py").write_text('"""Unplaced."""\n')
    result = _lint_imports(source, ROOT / "pyproject.toml")
    assert result.returncode != 0
    assert "zhiping.helpers" in result.stdout
