"""Shared test setup: hypothesis profiles (``ci`` for CI, ``dev`` by default), and a check
that every error zhiping raises in any test says what is wrong in Chinese too."""

from __future__ import annotations

import os
import re
from collections.abc import Generator

import pytest
from hypothesis import HealthCheck, settings

from zhiping.documents._validation import FALLBACK_ZH
from zhiping.errors import ZhipingError

settings.register_profile(
    "ci",
    max_examples=200,
    deadline=None,
    derandomize=True,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("dev", max_examples=50, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev"))


HAN = re.compile(r"[\u4e00-\u9fff]")
"""A Chinese character: a Chinese message has at least one."""

FALLBACK = FALLBACK_ZH.split("{en}")[0]
"""How the Chinese of a pydantic error type that zhiping does not word begins."""


def untranslated(error: ZhipingError) -> list[str]:
    """Return the Chinese texts of an error, and of its problems, that are not Chinese."""
    texts = [error.zh, *(problem.zh for problem in getattr(error, "problems", ()))]
    return [text for text in texts if not HAN.search(text) or FALLBACK in text]


_made: list[list[ZhipingError]] = []
_init = ZhipingError.__init__


def _recorded_init(self: ZhipingError, message: str, *, zh: str) -> None:
    _init(self, message, zh=zh)
    for made in _made:
        made.append(self)


ZhipingError.__init__ = _recorded_init  # type: ignore[method-assign]


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Generator[None, object, object]:
    """Fail a test in which zhiping made an error without its message in Chinese."""
    made: list[ZhipingError] = []
    _made.append(made)
    try:
        result = yield
    finally:
        _made.remove(made)
    wanting = {f"{type(e).__name__}: {e}": untranslated(e) for e in made if untranslated(e)}
    assert not wanting, f"errors without their Chinese: {wanting}"
    return result
