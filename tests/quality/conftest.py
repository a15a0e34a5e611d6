"""Every test under ``tests/quality/`` runs with Hypothesis derandomized.

The laws build their own ``@given`` test inside :func:`zhiping.testing.check_law`, which
takes its settings from the active profile; so the profile is switched for each test
here, and switched back after it, rather than set with ``@settings`` on the test.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from hypothesis import settings

QUALITY = "zhiping-quality"
BEFORE = "zhiping-before-quality"


@pytest.fixture(autouse=True)
def derandomized() -> Iterator[None]:
    """Run the test under a derandomized profile, then restore the profile it replaced."""
    settings.register_profile(BEFORE, parent=settings.default)
    settings.register_profile(QUALITY, derandomize=True, database=None, deadline=None)
    settings.load_profile(QUALITY)
    try:
        assert settings.default.derandomize
        yield
    finally:
        settings.load_profile(BEFORE)
