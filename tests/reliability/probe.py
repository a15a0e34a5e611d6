"""The harness's probe subprocesses: ``python -m reliability.probe KIND ARGUMENTS``.

``hostile`` runs one big hostile document through the library and the CLI
(:func:`~.subprocess_probe.probe_main`); ``limit`` parses and evaluates one document of
the limits phase, timed (:func:`~.limits.probe_limit_main`). Each reports its result
and its peak memory on one line, for :func:`~.probes.probe_report` to read. The
harness runs them (:func:`~.probes.run_probe`); nobody else needs to.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence

from reliability.limits import probe_limit_main
from reliability.subprocess_probe import probe_main

PROBES: dict[str, Callable[[Sequence[str]], int]] = {
    "hostile": probe_main,
    "limit": probe_limit_main,
}
"""The probes, by the first word of their command line."""


def main(argv: Sequence[str] | None = None) -> int:
    """Run the probe the first word names; exit 2 for any other word."""
    words = list(sys.argv[1:] if argv is None else argv)
    if not words or words[0] not in PROBES:
        print(f"usage: python -m reliability.probe {{{','.join(PROBES)}}} ...", file=sys.stderr)
        return 2
    return PROBES[words[0]](words[1:])


if __name__ == "__main__":
    sys.exit(main())
