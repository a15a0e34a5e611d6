"""What the server tests share: the tokens, running the command line, request headers, a
free port and waiting for a server to answer."""

from __future__ import annotations

import hashlib
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import httpx

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


def free_port() -> int:
    """Return a localhost port nothing listens on now (another process may take it next)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_ready(base: str, alive: Callable[[], bool]) -> bool:
    """Return whether the server at ``base`` answers ``/packs`` within ``READY_WITHIN``
    seconds; False at once when ``alive()`` says it has stopped."""
    deadline = time.monotonic() + READY_WITHIN
    while time.monotonic() < deadline and alive():
        try:
            if httpx.get(f"{base}/packs", timeout=5).status_code == 200:
                return True
        except httpx.TransportError:
            pass
        time.sleep(0.05)
    return False


def bearer(token: str) -> dict[str, str]:
    """Return the header that presents ``token``."""
    return {"Authorization": f"Bearer {token}"}


JSON = {"Content-Type": "application/json"}
