"""Write and read figure lines (``name key=value ...``): a phase's report, as printed."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

Figure = int | float | str


@dataclass
class Report:
    """What a phase found: its figures, its parts' figures, targets missed and notes.

    Attributes:
        name: the phase.
        counts: the phase's figures, printed in order.
        parts: figures of its parts, printed before the phase's own line.
        problems: each target missed, in words.
        notes: what is worth knowing but not a target.
    """

    name: str
    counts: dict[str, Figure] = field(default_factory=dict)
    parts: list[tuple[str, dict[str, Figure]]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        """Return the lines to print: parts, the phase, failures, notes."""
        lines = [figure_line(f"{self.name}/{part}", counts) for part, counts in self.parts]
        lines.append(figure_line(self.name, self.counts))
        lines.extend(f"FAIL {self.name}: {problem}" for problem in self.problems)
        lines.extend(f"NOTE {self.name}: {note}" for note in self.notes)
        return lines


def figure_line(name: str, counts: Mapping[str, Figure]) -> str:
    """Return ``name key=value ...``, floats with two decimals."""
    values = " ".join(
        f"{key}={value:.2f}" if isinstance(value, float) else f"{key}={value}"
        for key, value in counts.items()
    )
    return f"{name} {values}".rstrip()


def parse_figures(text: str) -> dict[str, dict[str, Figure]]:
    """Read ``name key=value ...`` lines; numbers become numbers."""
    figures: dict[str, dict[str, Figure]] = {}
    for line in text.splitlines():
        name, *pairs = line.split()
        if pairs and all("=" in pair for pair in pairs):
            figures[name] = dict(_figure(*pair.split("=", 1)) for pair in pairs)
    return figures


def _figure(key: str, value: str) -> tuple[str, Figure]:
    try:
        number = float(value)
    except ValueError:
        return key, value
    return key, int(number) if number.is_integer() and "." not in value else number
