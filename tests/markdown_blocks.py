"""The fenced code blocks of a Markdown page that are meant to run, for the tests that run them.

A block not meant to run (an excerpt, a file of another project, starting a server the
test starts itself) is preceded by the line ``<!-- not-run: why -->``; the reason is
required. ``tests/test_docs.py`` runs the Python blocks of the tutorials;
``tests/serve/test_tutorial.py`` the bash and JavaScript blocks of the HTTP tutorial.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

FENCE = re.compile(r"^(?P<indent>\s*)(?P<fence>```+)(?P<info>[^`]*)$")
NOT_RUN = re.compile(r"^\s*<!--\s*not-run:\s*\S.*-->\s*$")


def runnable_blocks(text: str, language: str) -> Iterator[tuple[int, list[str]]]:
    """Yield the first line (from 1) and the lines of each runnable block of ``language``."""
    lines = text.splitlines()
    index = 0
    while index < len(lines):
        opening = FENCE.match(lines[index])
        if not opening:
            index += 1
            continue
        indent, fence = opening["indent"], opening["fence"]
        info = opening["info"].strip().split(" ")[0]
        previous = next((line for line in reversed(lines[:index]) if line.strip()), "")
        body: list[str] = []
        index += 1
        while index < len(lines) and lines[index].strip() != fence:
            body.append(lines[index].removeprefix(indent))
            index += 1
        first_line = index - len(body) + 1
        index += 1
        if info == language and not NOT_RUN.match(previous):
            yield first_line, body
