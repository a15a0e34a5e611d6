"""The pytest plugin: ``pytest --zhiping-pack NAME`` checks an installed pack.

Registered through the ``pytest11`` entry point, so that it is there wherever zhiping
is installed. It imports nothing of hypothesis until a pack is asked for, so that it
costs nothing to projects that do not use it.
"""

from __future__ import annotations

import pytest

__all__ = ["pytest_addoption"]


def pytest_addoption(parser: pytest.Parser) -> None:
    """Add ``--zhiping-pack NAME`` (repeatable)."""
    group = parser.getgroup("zhiping", "zhiping rule packs")
    group.addoption(
        "--zhiping-pack",
        action="append",
        default=[],
        metavar="NAME",
        help="check the laws and declarative cases of this installed zhiping pack "
        "(repeatable)",
    )
