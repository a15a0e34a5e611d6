"""Installing an example distribution with pip, as into site-packages, for the tests.

The examples under ``examples/`` are installed the way a rule author's distribution is:
``pip install --no-deps --target DIR``; zhiping then finds their packs through their
entry points once ``DIR`` is on ``sys.path``.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from zhiping.packs.registry import PackRegistry, discover


def pip_install(example: Path, target: Path) -> Path:
    """Install ``example`` into ``target`` with pip and return ``target``.

    Fails the test, with pip's output, when pip cannot install it.
    """
    command = [
        sys.executable,
        "-m",
        "pip",
        "install",
        "--no-deps",
        "--quiet",
        "--disable-pip-version-check",
        "--no-input",
        "--target",
        str(target),
        str(example),
    ]
    result = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
    if result.returncode != 0:
        pytest.fail(f"pip could not install {example}:\n{result.stdout}\n{result.stderr}")
    return target


def discovered_with(site: Path, module: str) -> PackRegistry:
    """Return the registry discovered with ``site`` on ``sys.path``, then forget ``module``."""
    with pytest.MonkeyPatch.context() as patch:
        patch.syspath_prepend(str(site))  # also invalidates the import caches
        registry = discover()
    sys.modules.pop(module, None)
    return registry
