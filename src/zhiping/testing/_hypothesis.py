"""Strategies registered with hypothesis for ``st.from_type``, through its entry point."""

from __future__ import annotations

__all__ = ["register_strategies"]


def register_strategies() -> None:
    """Register zhiping's types with hypothesis (called by hypothesis at import)."""
