"""Tell whether bytes are JSON as RFC 8259 and I-JSON (RFC 7493) have it."""

from __future__ import annotations

import json
from typing import Any

BOM = b"\xef\xbb\xbf"


def not_strict_json(data: bytes) -> str:
    """Return why ``data`` is not JSON as RFC 8259 and I-JSON (RFC 7493) have it, or "".

    UTF-8 without a BOM, no ``NaN`` or ``Infinity``, no key twice in an object, and no
    lone surrogate in a string. A damaged document that passes may still be a valid
    session; one that fails must be refused.
    """
    if data.startswith(BOM):
        return "it starts with a BOM"
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return "it is not UTF-8"
    try:
        decoded = json.loads(text, object_pairs_hook=_unique_keys, parse_constant=_no_constant)
    except _NotStrict as error:
        return str(error)
    except (ValueError, RecursionError):
        return "it is not JSON"
    stack = [decoded]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, str):
            try:
                item.encode("utf-8")
            except UnicodeEncodeError:
                return "a string holds a lone surrogate"
    return ""


class _NotStrict(ValueError):
    """JSON that Python reads but RFC 8259 or I-JSON does not allow."""


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    keys = [key for key, _ in pairs]
    if len(set(keys)) != len(keys):
        raise _NotStrict("a key is given twice")
    return dict(pairs)


def _no_constant(name: str) -> Any:
    raise _NotStrict(f"{name} is not JSON")
