"""What the server tests share: the tokens, running the command line, request headers."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

WRITER = "township-101-secret-token-0001"
"""A token that may record the villages of township 420117101."""

DISTRICT = "district-420117-secret-token-02"
"""A token that may record every village of district 420117."""

READY_WITHIN = 60.0
"""How long a server may take to start before the test fails (a bound, not a measure)."""


def tokens_file(directory: Path) -> Path:
    """Write the tests' tokens file: WRITER by its hash, DISTRICT by its value."""
    path = directory / "tokens.toml"
    digest = hashlib.sha256(WRITER.encode()).hexdigest()
    path.write_text(
        "[[token]]\n"
        'name = "慈惠街道"\n'
        f'sha256 = "{digest}"\n'
        'prefixes = ["420117101"]\n\n'
        "[[token]]\n"
        'name = "district"\n'
        f'value = "{DISTRICT}"\n'
        'prefixes = ["420117"]\n',
        encoding="utf-8",
    )
    return path


def zhiping(*arguments: str, cwd: Path | None = None) -> str:
    """Run the ``zhiping`` command line; return what it printed (it must succeed)."""
    done = subprocess.run(
        [sys.executable, "-m", "zhiping", *arguments],
        capture_output=True,
        check=False,
        cwd=cwd,
    )
    assert done.returncode == 0, done.stderr.decode()
    return done.stdout.decode("utf-8")


def bearer(token: str) -> dict[str, str]:
    """Return the header that presents ``token``."""
    return {"Authorization": f"Bearer {token}"}


JSON = {"Content-Type": "application/json"}
