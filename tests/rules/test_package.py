"""The rules package keeps its shape: a test module for every rules module, every
mechanism registered, and no mechanism that touches the evaluation but through its context.
"""

from __future__ import annotations

import ast
from pathlib import Path

import zhiping.rules
from zhiping.rules import BUILTIN_MECHANISMS, Mechanism

ROOT = Path(__file__).resolve().parents[2]
RULES = ROOT / "src" / "zhiping" / "rules"
TESTS = ROOT / "tests" / "rules"


def rules_modules() -> list[Path]:
    """Return every module of ``zhiping.rules`` but the package's ``__init__``."""
    return sorted(path for path in RULES.glob("*.py") if path.name != "__init__.py")


def mirror_of(module: Path) -> Path:
    """Return where the tests of a rules module live: ``_mechanism.py`` → ``test_mechanism.py``."""
    return TESTS / f"test_{module.stem.lstrip('_')}.py"


def test_the_rules_package_has_its_modules() -> None:
    names = {path.stem for path in rules_modules()}
    assert {"_context", "_mechanism", "eligibility", "quota", "scoring", "tally"} <= names


def test_every_rules_module_has_a_test_module_of_its_name() -> None:
    missing = [
        f"{module.name} → {mirror_of(module).relative_to(ROOT)}"
        for module in rules_modules()
        if not mirror_of(module).is_file()
    ]
    assert missing == [], f"rules modules without a test module: {missing}"


def test_no_mechanism_module_touches_the_evaluation_but_through_the_context() -> None:
    """Only ``_context.py`` (the verbs and accessors) and ``_mechanism.py`` name ``.evaluation``."""
    touching = []
    for module in rules_modules():
        if module.name in ("_context.py", "_mechanism.py"):
            continue
        tree = ast.parse(module.read_text(encoding="utf-8"), str(module))
        touching += [
            f"{module.name}:{node.lineno}"
            for node in ast.walk(tree)
            if isinstance(node, ast.Attribute) and node.attr == "evaluation"
        ]
    assert touching == []


def test_every_mechanism_of_the_rules_modules_is_registered_once() -> None:
    defined = {
        value.name
        for name in dir(zhiping.rules)
        if not name.startswith("_")
        for value in [getattr(zhiping.rules, name)]
        if isinstance(value, Mechanism)
    }
    for module in rules_modules():
        namespace = vars(__import__(f"zhiping.rules.{module.stem}", fromlist=["_"]))
        defined |= {value.name for value in namespace.values() if isinstance(value, Mechanism)}
    registered = [mechanism.name for mechanism in BUILTIN_MECHANISMS]
    assert len(registered) == len(set(registered))
    assert set(registered) == defined
