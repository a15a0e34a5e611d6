"""Who may write: bearer tokens read from a TOML file, each scoped to division-code prefixes.

The file lists one ``[[token]]`` table per token::

    [[token]]
    name = "东西湖区慈惠街道"          # for people; never the secret itself
    sha256 = "9f86d08…"               # the SHA-256 of the token, in hex (preferred)
    prefixes = ["420117101"]          # the division codes it may record

    [[token]]
    name = "district office"
    value = "a long random secret"    # or the token itself
    prefixes = ["420117"]

A token is compared by its SHA-256 against every entry with :func:`hmac.compare_digest`,
so that the time taken does not tell how much of it was right. No token and no part of
one is ever logged or put in a message.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import tomllib
from collections.abc import Iterable
from pathlib import Path

import attrs

from zhiping.errors import InputError, Problem
from zhiping.glossary import Text

__all__ = ["Token", "Tokens", "read_tokens"]

_HEX = re.compile(r"^[0-9a-f]{64}$")
_PREFIX = re.compile(r"^[0-9]{0,12}$")


@attrs.frozen
class Token:
    """One bearer token: its hash and what it may record.

    Attributes:
        name: a label for people (the township it belongs to).
        sha256: the SHA-256 of the token, as 32 bytes.
        prefixes: the division-code prefixes of the villages it may record.
    """

    name: str
    sha256: bytes = attrs.field(repr=False)
    prefixes: tuple[str, ...]

    def covers(self, village_code: str) -> bool:
        """Return whether the token may record the village ``village_code``."""
        return any(village_code.startswith(prefix) for prefix in self.prefixes)


@attrs.frozen
class Tokens:
    """The tokens a server accepts; none at all means that nobody may write.

    Attributes:
        tokens: every token.
    """

    tokens: tuple[Token, ...] = ()

    def find(self, presented: str) -> Token | None:
        """Return the token ``presented`` is, or None; compared in constant time."""
        digest = hashlib.sha256(presented.encode("utf-8", "surrogatepass")).digest()
        found: Token | None = None
        for token in self.tokens:
            # Every entry is compared, whichever matches, so that timing tells nothing.
            if hmac.compare_digest(digest, token.sha256):
                found = token
        return found


def read_tokens(path: str | Path) -> Tokens:
    """Read a tokens file (see the module's docstring).

    Raises:
        InputError: the file cannot be read, is not TOML, or an entry lacks a token or
            its prefixes; each problem with its path (``token[1].prefixes``).
    """
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        problem = Problem(
            "",
            Text(
                zh=f"无法读取令牌文件:{type(error).__name__}",
                en=f"cannot read the tokens file: {type(error).__name__}",
            ),
        )
        raise InputError([problem], source=str(path)) from None
    entries = data.get("token", [])
    problems: list[Problem] = []
    if not isinstance(entries, list):
        entries = []
        problems.append(Problem("token", _NOT_TABLES))
    tokens = list(_tokens(entries, problems))
    if problems:
        raise InputError(problems, source=str(path))
    return Tokens(tuple(tokens))


_NOT_TABLES = Text(zh="应为 [[token]] 表的数组", en="must be an array of [[token]] tables")


def _tokens(entries: Iterable[object], problems: list[Problem]) -> Iterable[Token]:
    for index, entry in enumerate(entries):
        where = f"token[{index}]"
        if not isinstance(entry, dict):
            problems.append(Problem(where, _NOT_TABLES))
            continue
        digest = _digest(entry, where, problems)
        prefixes = entry.get("prefixes")
        if not (
            isinstance(prefixes, list)
            and prefixes
            and all(isinstance(p, str) and _PREFIX.match(p) for p in prefixes)
        ):
            problems.append(
                Problem(
                    f"{where}.prefixes",
                    Text(
                        zh="应为区划代码前缀(0 至 12 位数字)的非空数组",
                        en="must be a non-empty array of division-code prefixes (0 to 12 digits)",
                    ),
                )
            )
            continue
        if digest is not None:
            yield Token(name=str(entry.get("name", where)), sha256=digest, prefixes=tuple(prefixes))


def _digest(entry: dict[str, object], where: str, problems: list[Problem]) -> bytes | None:
    value, sha256 = entry.get("value"), entry.get("sha256")
    if isinstance(sha256, str) and _HEX.match(sha256.lower()) and value is None:
        return bytes.fromhex(sha256)
    if isinstance(value, str) and len(value) >= 16 and sha256 is None:
        return hashlib.sha256(value.encode("utf-8")).digest()
    problems.append(
        Problem(
            where,
            Text(
                zh="须给出 sha256(64 位十六进制)或 value(至少 16 个字符)二者之一",
                en="needs one of sha256 (64 hex digits) or value (at least 16 characters)",
            ),
        )
    )
    return None
