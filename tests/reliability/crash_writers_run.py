"""Run :mod:`.crash_writers` in a subprocess and read its figures and ``FAIL`` lines.

The crash and concurrency phases both drive it, and so does
``tests/store/test_durability.py``; its own docstring says what each of its phases
checks.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from reliability.figures import Figure, parse_figures
from reliability.probes import Measured, harness_command, harness_environment, run_measured

TIMEOUT = 3600.0
"""Seconds a crash_writers.py run may take before it is killed."""


@dataclass
class WritersRun:
    """A finished run of crash_writers.py.

    Attributes:
        measured: the subprocess.
        figures: its figure lines (from its standard output), by name.
        output: its standard output, then its standard error, as text.
    """

    measured: Measured
    figures: dict[str, dict[str, Figure]]
    output: str

    def closing_problems(self, found: Sequence[str]) -> list[str]:
        """Return its own ``FAIL`` lines, and its exit status if nothing else explains it.

        Args:
            found: the problems the phase found in its figures already.
        """
        problems = [
            line.removeprefix("FAIL ").strip()
            for line in self.output.splitlines()
            if line.startswith("FAIL")
        ]
        if self.measured.status != 0 and not found and not problems:
            status, tail = self.measured.status, self.measured.tail()
            problems.append(f"crash_writers.py exited {status}: {tail}")
        return problems


def run_crash_writers(arguments: Sequence[str]) -> WritersRun:
    """Run ``python -m reliability.crash_writers ARGUMENTS`` to its end, measured."""
    command = harness_command("crash_writers", *arguments)
    measured = run_measured(command, timeout=TIMEOUT, env=harness_environment())
    stdout = measured.stdout.decode("utf-8", "replace")
    output = stdout + measured.stderr.decode("utf-8", "replace")
    return WritersRun(measured, parse_figures(stdout), output)
