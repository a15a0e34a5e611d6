"""``zhiping serve --workers N`` on Linux: N processes, each listening on a socket of its own.

uvicorn's own ``--workers`` shares one listening socket among its processes, and the
process that wakes first accepts every connection waiting: a few kept-alive clients that
connect at once all land on one worker while the others idle (measured: 8 clients, two
workers, one accepted 90% of the requests). Here each worker binds its own socket to the
same address with ``SO_REUSEPORT``, and the kernel spreads new connections over them
by a hash of each connection's addresses (Linux 3.9 and later; other systems have
``SO_REUSEPORT`` without the spreading, so :func:`spreads_connections` says no there and
uvicorn's workers are used).

The parent starts the workers, waits, and stops them all when it is told to stop
(``SIGINT``, ``SIGTERM``) or when one of them ends: a worker that died is not replaced
silently, so a supervisor (systemd, a container's restart policy) sees it.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import socket
import sys
import threading
import time
from collections.abc import Sequence
from multiprocessing.process import BaseProcess
from multiprocessing.synchronize import Barrier
from types import FrameType

__all__ = ["run_workers", "spreads_connections"]

APPLICATION = "zhiping.serve._app:app_from_environment"
"""The factory each worker runs: the application from ``ZHIPING_SERVE_CONFIG``."""

READY_WITHIN = 60.0
"""Seconds a worker waits for the others to load the application before it listens."""

STOP_WITHIN = 30.0
"""Seconds a worker has to finish its requests once told to stop, before it is killed."""


def spreads_connections() -> bool:
    """Return whether the kernel spreads connections over ``SO_REUSEPORT`` sockets."""
    return sys.platform == "linux" and hasattr(socket, "SO_REUSEPORT")


def run_workers(host: str, port: int, workers: int, *, log_level: str = "info") -> int:
    """Run ``workers`` server processes on ``host:port`` until told to stop.

    Returns:
        0 when stopped by a signal; otherwise the exit status of the first worker that
        ended (1 if it was killed by a signal).

    Raises:
        OSError: the address cannot be bound (checked before any worker starts).
    """
    # Bound (not listening) for as long as the workers run: the address is checked now,
    # and no process without SO_REUSEPORT can take the port from the workers.
    holder = _bound(host, port)
    context = multiprocessing.get_context("spawn")
    # Every worker listens once all have loaded the application: a client that connects
    # as soon as the first answers is not left on it while the others start.
    ready = context.Barrier(workers)
    processes = [
        context.Process(target=_worker, args=(host, port, log_level, ready), name=f"zhiping-{n}")
        for n in range(1, workers + 1)
    ]
    stopping: list[int] = []

    def stop(signum: int, _: FrameType | None) -> None:
        stopping.append(signum)

    previous = {s: signal.signal(s, stop) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        for process in processes:
            process.start()
        ended = _first_to_end(processes, stopping)
    finally:
        _stop(processes)
        for number, handler in previous.items():
            signal.signal(number, handler)
        holder.close()
    if ended is None:
        return 0
    code = ended.exitcode
    return code if code is not None and code > 0 else 1


def _first_to_end(processes: Sequence[BaseProcess], stopping: list[int]) -> BaseProcess | None:
    """Wait until a signal comes (return None) or a worker ends (return it)."""
    while not stopping:
        for process in processes:
            if not process.is_alive():
                return process
        time.sleep(0.2)
    return None


def _stop(processes: Sequence[BaseProcess]) -> None:
    """Tell every worker still running to stop, wait for it, kill it if it will not."""
    for process in processes:
        if process.is_alive() and process.pid is not None:
            os.kill(process.pid, signal.SIGTERM)
    deadline = time.monotonic() + STOP_WITHIN
    for process in processes:
        process.join(max(0.0, deadline - time.monotonic()))
        if process.is_alive():
            process.kill()
            process.join()


def _bound(host: str, port: int) -> socket.socket:
    """Return a socket bound to ``host:port`` with ``SO_REUSEPORT``, not listening."""
    family, kind, protocol, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    bound = socket.socket(family, kind, protocol)
    try:
        bound.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        bound.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        bound.bind(address)
    except BaseException:
        bound.close()
        raise
    return bound


def _worker(host: str, port: int, log_level: str, ready: Barrier) -> None:
    """Serve on a socket of this process's own until told to stop (in a worker process).

    The application is loaded (the packs discovered) first; the socket listens once every
    worker has done so, or after :data:`READY_WITHIN` seconds whatever the others do.
    """
    import uvicorn

    listening = _bound(host, port)
    config = uvicorn.Config(APPLICATION, factory=True, log_level=log_level)
    config.load()
    # Another worker that did not start breaks the barrier: serve anyway, and the
    # parent, seeing that worker end, stops every one.
    with contextlib.suppress(threading.BrokenBarrierError):
        ready.wait(READY_WITHIN)
    uvicorn.Server(config).run(sockets=[listening])
