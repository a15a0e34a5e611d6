"""``zhiping serve --workers N`` on Linux: a socket per worker, connections spread, one stop.

Each worker binds its own ``SO_REUSEPORT`` socket (``zhiping.serve._workers``), so the
kernel spreads connections over the workers by a hash of their addresses. Forty
connections all landing on one of two workers would happen once in 2^39 runs: the test
that both workers hold connections does not fail at random.

The workers are found as the server's child processes that hold a socket (the other
child is multiprocessing's resource tracker, which holds none).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from serve.support import READY_WITHIN, free_port

pytestmark = pytest.mark.skipif(
    sys.platform != "linux", reason="the connections are spread over the workers on Linux"
)

CONNECTIONS = 40


def _children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found.extend(int(child) for child in (task / "children").read_text().split())
    return found


def _sockets(pid: int) -> int:
    """Return how many sockets a process holds open."""
    count = 0
    for descriptor in Path(f"/proc/{pid}/fd").iterdir():
        try:
            count += os.readlink(descriptor).startswith("socket:")
        except FileNotFoundError:
            continue
    return count


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"


@pytest.fixture
def two_workers(tmp_path: Path) -> Iterator[tuple[subprocess.Popen[bytes], str, list[int]]]:
    """Start ``zhiping serve --workers 2``; yield the process, its URL and its two workers."""
    port = free_port()
    log = (tmp_path / "serve.log").open("wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "zhiping", "serve", "--store", str(tmp_path / "s.db"),
         "--workers", "2", "--port", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + READY_WITHIN
        workers: list[int] = []
        while time.monotonic() < deadline and process.poll() is None:
            try:
                if httpx.get(f"{base}/packs", timeout=5).status_code == 200:
                    workers = [c for c in _children(process.pid) if _sockets(c) > 0]
                    if len(workers) == 2:
                        break
            except httpx.TransportError:
                pass
            time.sleep(0.05)
        assert len(workers) == 2, (tmp_path / "serve.log").read_text(errors="replace")
        yield process, base, workers
    finally:
        if process.poll() is None:
            process.terminate()
            process.wait(timeout=READY_WITHIN)


def test_connections_reach_both_workers_each_on_its_own_socket(two_workers) -> None:
    _, base, workers = two_workers
    clients = [httpx.Client(base_url=base, timeout=30) for _ in range(CONNECTIONS)]
    try:
        assert all(client.get("/packs").status_code == 200 for client in clients)
        # Each worker: its own listening socket, and at least one of the kept connections.
        held = {worker: _sockets(worker) - 1 for worker in workers}
        assert all(count >= 1 for count in held.values()), held
        assert sum(held.values()) >= CONNECTIONS
    finally:
        for client in clients:
            client.close()


def test_stopping_the_server_stops_every_worker(two_workers) -> None:
    process, _, workers = two_workers
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=READY_WITHIN) == 0
    assert not any(_alive(worker) for worker in workers)


def test_a_worker_that_dies_stops_the_server_for_its_supervisor_to_see(two_workers) -> None:
    process, _, workers = two_workers
    os.kill(workers[0], signal.SIGKILL)
    assert process.wait(timeout=READY_WITHIN) == 1
    assert not any(_alive(worker) for worker in workers)


def test_a_port_taken_is_refused_before_any_worker_starts(tmp_path: Path) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run(
            [sys.executable, "-m", "zhiping", "serve", "--workers", "2", "--port", str(port),
             "--lang", "en"],
            capture_output=True,
            text=True,
            timeout=READY_WITHIN,
            check=False,
        )  # fmt: skip
    assert done.returncode == 2
    assert f"cannot listen on 127.0.0.1:{port}" in done.stderr
    assert "Traceback" not in done.stderr
