"""Real servers for the tests: uvicorn on a free localhost port, always stopped afterwards.

``served`` starts the application in a thread of the test process, on a socket bound
beforehand (port 0: the system picks a free port, so no two tests can race for one);
``served_command`` runs ``zhiping serve`` itself in a subprocess. Both wait for readiness
with a bounded poll and stop the server when the test ends, whatever happens.
"""

from __future__ import annotations

import importlib.util
import os
import socket
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from serve.support import READY_WITHIN, free_port, tokens_file, wait_ready, zhiping

if not (importlib.util.find_spec("fastapi") and importlib.util.find_spec("uvicorn")):
    # Installed without the serve extra: there is no server to test.
    collect_ignore_glob = ["test_*.py"]


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Callable[..., str]]:
    """Start the application in a thread; return its base URL. Stopped when the test ends."""
    import uvicorn

    from zhiping.serve import create_app, read_tokens
    from zhiping.serve._app import BOARD

    running: list[tuple[uvicorn.Server, threading.Thread]] = []

    def start(*, store: Path | None = None, tokens=None, board: Path = BOARD) -> str:
        if tokens is None:
            tokens = read_tokens(tokens_file(tmp_path))
        listening = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listening.bind(("127.0.0.1", 0))
        port = listening.getsockname()[1]
        app = create_app(store=store, tokens=tokens, board=board)
        config = uvicorn.Config(app, log_level="warning", lifespan="on")
        server = uvicorn.Server(config)
        thread = threading.Thread(target=server.run, kwargs={"sockets": [listening]})
        thread.start()
        running.append((server, thread))
        base = f"http://127.0.0.1:{port}"
        assert wait_ready(base, thread.is_alive), "the server did not start"
        return base

    try:
        yield start
    finally:
        for server, thread in running:
            server.should_exit = True
            thread.join(timeout=READY_WITHIN)


@pytest.fixture
def served_command(tmp_path: Path) -> Iterator[Callable[..., str]]:
    """Run ``zhiping serve ARGS --port P`` in a subprocess; return its base URL.

    The port is chosen free just before; if another process takes it first, the server
    exits and another port is tried. The server is terminated when the test ends.
    """
    processes: list[subprocess.Popen[bytes]] = []

    def start(*arguments: str) -> str:
        for _attempt in range(5):
            port = free_port()
            log = (tmp_path / f"serve-{port}.log").open("wb")
            process = subprocess.Popen(
                [sys.executable, "-m", "zhiping", "serve", *arguments, "--port", str(port)],
                stdout=log,
                stderr=subprocess.STDOUT,
                env={**os.environ, "PYTHONUNBUFFERED": "1"},
            )
            processes.append(process)
            base = f"http://127.0.0.1:{port}"
            if wait_ready(base, lambda process=process: process.poll() is None):
                return base
            process.terminate()
            process.wait(timeout=READY_WITHIN)
        raise AssertionError("zhiping serve did not start")

    try:
        yield start
    finally:
        for process in processes:
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=READY_WITHIN)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()


@pytest.fixture(scope="session")
def district(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The synthetic district of the acceptance test: 42 villages, two years, as JSON Lines."""
    path = tmp_path_factory.mktemp("district") / "district.jsonl"
    path.write_text(zhiping("synth", "--villages", "42", "--years", "2"), encoding="utf-8")
    return path
