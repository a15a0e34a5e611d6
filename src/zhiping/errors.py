"""The exceptions zhiping raises: one hierarchy, each also a fitting built-in.

No raw pydantic, pluggy or sqlite3 exception leaves the public API; each is turned into
one of these, with the JSON path, file or key that is wrong.
"""

from __future__ import annotations

from collections.abc import Iterable

import attrs

__all__ = [
    "InputError",
    "NoApplicableRule",
    "PackConflict",
    "PackError",
    "Problem",
    "SessionConflict",
    "StoreError",
    "TamperDetected",
    "ZhipingError",
    "join_path",
]


@attrs.frozen
class Problem:
    """One thing wrong with an input document.

    Attributes:
        path: where in the document, as a JSON path (``cadres[2].in_office_since``);
            the empty string for the document as a whole.
        message: what is wrong, in English.
    """

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


def join_path(prefix: str, path: str) -> str:
    """Return ``path`` placed under ``prefix``: ``join_path("a", "b[0]") == "a.b[0]"``."""
    if not prefix or not path:
        return prefix or path
    return f"{prefix}{path}" if path.startswith("[") else f"{prefix}.{path}"


class ZhipingError(Exception):
    """Base of every error zhiping raises on purpose."""


class InputError(ZhipingError, ValueError):
    """A document (session, history) that breaks its format; nothing was evaluated.

    Attributes:
        problems: every problem found, each with its JSON path.
        source: the file or name the document came from, when known.
    """

    def __init__(self, problems: Iterable[Problem], *, source: str | None = None) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        self.source = source
        if not self.problems:
            raise ValueError("an InputError needs at least one problem")
        super().__init__(self._summary())

    def _summary(self) -> str:
        where = f"{self.source}: " if self.source else ""
        count = len(self.problems)
        noun = "problem" if count == 1 else "problems"
        lines = [f"{where}{count} {noun}:"]
        lines.extend(f"  {problem}" for problem in self.problems)
        return "\n".join(lines)

    def with_source(self, source: str) -> InputError:
        """Return the same error naming the file or stream the document came from."""
        return InputError(self.problems, source=source)

    def prefixed(self, prefix: str) -> InputError:
        """Return the same error with every path placed under ``prefix``."""
        problems = [Problem(join_path(prefix, p.path), p.message) for p in self.problems]
        return InputError(problems, source=self.source)


class PackError(ZhipingError):
    """A rule pack that cannot be used: a bad parameters file, a missing parent, …"""


class PackConflict(PackError):
    """Two packs claim the same division-code prefix in force on the same date."""


class NoApplicableRule(PackError):
    """A stage that every chain must define is defined by no pack of the chain."""


class StoreError(ZhipingError):
    """The records store refused an operation or found itself damaged."""


class TamperDetected(StoreError):
    """The audit chain or a stored outcome does not match what was recorded."""


class SessionConflict(StoreError):
    """A different document for a session id already recorded, without an amendment."""
