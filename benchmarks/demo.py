"""Time ``zhiping demo``: wall time, sessions per second, and the size of the results file.

Run with ``python benchmarks/demo.py [--seed N]``. Speed is measured here, never
asserted in tests. Drawing the documents alone is timed too, to show what the
evaluation and the results file add.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from zhiping.demo import build_district, run_demo, session_documents

YEARS = (2025, 2026)


def main() -> None:
    """Run the demo into a temporary directory and print how long it took."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=2026)
    seed = parser.parse_args().seed

    start = time.perf_counter()
    district = build_district(seed, first_year=YEARS[0])
    drawn = sum(1 for year in YEARS for _ in session_documents(district, year))
    drawing = time.perf_counter() - start

    with tempfile.TemporaryDirectory() as directory:
        database = Path(directory) / "demo.sqlite"
        start = time.perf_counter()
        summary = run_demo(database=database, seed=seed, years=YEARS)
        elapsed = time.perf_counter() - start
        size = database.stat().st_size

    sessions = sum(year.sessions for year in summary.years)
    print(f"documents drawn:      {drawn} in {drawing:.2f} s")
    print(f"sessions evaluated:   {sessions} in {elapsed:.2f} s (wall)")
    print(f"sessions per second:  {sessions / elapsed:.0f}")
    print(f"results file:         {size / 1_000_000:.1f} MB")
    print(f"adjustments in {summary.final.year}:  {len(summary.final.adjustments)}")


if __name__ == "__main__":
    main()
