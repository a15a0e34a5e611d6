"""Run subprocesses measured (peak memory, time), and exchange results with probe subprocesses.

A probe subprocess is ``python -m reliability.probe KIND ...`` (:mod:`.probe`): KIND says
what to do, and it reports on one line that starts with :data:`PROBE_RESULT`, as JSON.
The harness's subprocesses find the ``reliability`` package through ``PYTHONPATH``
(:func:`harness_environment`); zhiping is the one installed, as in the tests.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reliability.failures import shorten

MB = 1 << 20
TESTS = Path(__file__).resolve().parents[1]
"""The folder of the tests, which holds the ``reliability`` package."""
ROOT = TESTS.parent
"""The repository: the subprocesses' working directory."""
PROBE_RESULT = "probe-result"
"""The first word of the line on which a probe subprocess reports, as JSON."""
PROBE_TIMEOUT = 900.0
"""Seconds a probe or CLI subprocess may take before it is killed and counted a failure."""


def rss_kb(pid: int | str = "self") -> int | None:
    """Return a process's peak resident set size so far, in KiB; None if it cannot be read.

    Linux's ``VmHWM``, which starts afresh at ``exec``: ``ru_maxrss`` would count the
    parent's memory at the fork. Elsewhere, ``ru_maxrss`` of this process.
    """
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    if pid == "self":
        return int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
    return None


def megabytes(kilobytes: int) -> float:
    """Return KiB as MiB, to a tenth."""
    return round(kilobytes / 1024, 1)


@dataclass
class Measured:
    """A finished subprocess: status, output, peak memory and time.

    Attributes:
        status: the exit status; negative for a signal.
        stdout: the first 4 MiB of its standard output.
        stderr: the first 4 MiB of its standard error.
        rss_kb: its peak resident set size, read from ``/proc`` while it runs (the
            last reading; ``wait4``'s figure, which counts the parent's memory at the
            fork, only when none could be read).
        seconds: how long it ran.
        timed_out: it was killed for taking too long.
    """

    status: int
    stdout: bytes
    stderr: bytes
    rss_kb: int
    seconds: float
    timed_out: bool

    def tail(self) -> str:
        """Return the last line of its standard error, or of its output."""
        text = (self.stderr or self.stdout).decode("utf-8", "replace").strip()
        return shorten(text.splitlines()[-1]) if text else "(no output)"

    def ending(self) -> str:
        """Return how it ended: ``killed for taking too long``, or its exit status."""
        return "killed for taking too long" if self.timed_out else f"exit {self.status}"


def run_measured(
    command: Sequence[str],
    *,
    timeout: float = PROBE_TIMEOUT,
    env: Mapping[str, str] | None = None,
) -> Measured:
    """Run a command to its end, its output in temporary files; measure it with ``wait4``."""
    cap = 4 * MB
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        process = subprocess.Popen(
            list(command),
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=err,
            cwd=ROOT,
            env=dict(env) if env is not None else None,
        )
        timed_out = False
        peak: int | None = None
        while True:
            peak = rss_kb(process.pid) or peak
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() - started > timeout:
                process.kill()
                timed_out = True
                pid, status, usage = os.wait4(process.pid, 0)
                break
            time.sleep(0.002)
        process.returncode = os.waitstatus_to_exitcode(status)
        seconds = time.perf_counter() - started
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(cap), err.read(cap)
    rss = peak or usage.ru_maxrss
    return Measured(process.returncode, stdout, stderr, rss, seconds, timed_out)


def quiet_environment() -> dict[str, str]:
    """Return this environment without ``ZHIPING_DEBUG``: the CLI as users run it."""
    return {key: value for key, value in os.environ.items() if key != "ZHIPING_DEBUG"}


def harness_environment() -> dict[str, str]:
    """Return this environment with the tests' folder first on ``PYTHONPATH``."""
    paths = [str(TESTS), *filter(None, os.environ.get("PYTHONPATH", "").split(os.pathsep))]
    return {**os.environ, "PYTHONPATH": os.pathsep.join(paths)}


def harness_command(module: str, *arguments: str) -> list[str]:
    """Return the command line that runs a module of the harness: ``python -m reliability.…``."""
    return [sys.executable, "-m", f"reliability.{module}", *arguments]


def run_probe(kind: str, *arguments: str) -> Measured:
    """Run a probe subprocess (``python -m reliability.probe KIND ARGUMENTS``), measured."""
    return run_measured(harness_command("probe", kind, *arguments), env=harness_environment())


def report_to_harness(result: Mapping[str, Any]) -> None:
    """Print a probe subprocess's result for :func:`probe_report` to read."""
    print(PROBE_RESULT, json.dumps(result, ensure_ascii=True), flush=True)


def probe_report(measured: Measured) -> dict[str, Any] | None:
    """Return what a probe subprocess reported, or None when it died before reporting."""
    for line in measured.stdout.decode("utf-8", "replace").splitlines():
        if line.startswith(PROBE_RESULT + " "):
            result: dict[str, Any] = json.loads(line.split(" ", 1)[1])
            return result
    return None
