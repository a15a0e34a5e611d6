"""The exceptions zhiping raises: one hierarchy, each also a fitting built-in.

No raw pydantic, pluggy or sqlite3 exception leaves the public API; each is turned into
one of these, with the JSON path, file or key that is wrong. Every message exists in
Chinese and in English: ``str(error)`` is the English, :meth:`ZhipingError.message`
gives either.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import attrs

from zhiping.glossary import Text

if TYPE_CHECKING:
    from zhiping.glossary import Lang

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
    "escape_controls",
    "join_path",
    "json_path",
]


def _in_language(lang: Lang, text: Text) -> str:
    """Return ``text`` in the language ``lang`` asks for.

    Raises:
        ValueError: ``lang`` is neither ``zh`` nor ``en``.
    """
    if lang not in ("zh", "en"):
        raise ValueError(f"lang must be 'zh' or 'en', not {lang!r}")
    return text[lang]


_CONTROLS = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\ud800-\udfff]"
)
"""What must not reach a terminal as it is: C0 and C1 controls and DEL (escape sequences,
line breaks that forge a line of output), the bidirectional controls and marks, the
invisible formatting characters and the line separators, and lone surrogates."""


def escape_controls(text: str) -> str:
    """Return ``text`` with every control, bidirectional or invisible formatting character
    written as a JSON-style escape (``\\u001b``), so that it is shown, not obeyed.

    Every message zhiping prints or puts in ``str(error)`` passes through here: a file
    name, a JSON key or a value quoted from a document cannot move the cursor, colour the
    terminal, end a line of output or reverse the text after it.
    """
    if text.isprintable():
        # No C0, C1, DEL, format or separator character: the common case, kept cheap.
        return text
    return _CONTROLS.sub(lambda found: f"\\u{ord(found.group()):04x}", text)


def _escaped_text(text: Text) -> Text:
    # Anything else is left for the validator to refuse.
    if not isinstance(text, Text) or (text.zh.isprintable() and text.en.isprintable()):
        return text
    return Text(zh=escape_controls(text.zh), en=escape_controls(text.en))


@attrs.frozen
class Problem:
    """One thing wrong with an input document: ``Problem(path, Text(zh=…, en=…))``.

    Control characters in either are escaped (:func:`escape_controls`): a path may quote a
    key of the document, a message a value of it.

    Attributes:
        path: where in the document, as a JSON path (``cadres[2].in_office_since``);
            the empty string for the document as a whole. Never translated.
        text: what is wrong, in Chinese and in English.
    """

    path: str = attrs.field(converter=escape_controls)
    text: Text = attrs.field(
        validator=attrs.validators.instance_of(Text),
        converter=_escaped_text,
    )

    @property
    def message(self) -> str:
        """Return what is wrong, in English."""
        return self.text.en

    @property
    def zh(self) -> str:
        """Return what is wrong, in Chinese."""
        return self.text.zh

    def __str__(self) -> str:
        return self.describe("en")

    def describe(self, lang: Lang) -> str:
        """Return ``path: message`` in ``lang`` (the message alone for the whole document)."""
        message = _in_language(lang, self.text)
        return f"{self.path}: {message}" if self.path else message

    def at(self, path: str) -> Problem:
        """Return the same problem at another path."""
        return attrs.evolve(self, path=path)


def json_path(location: tuple[int | str, ...]) -> str:
    """Render a location as a JSON path: ``("cadres", 2, "id")`` → ``cadres[2].id``."""
    path = ""
    for part in location:
        if isinstance(part, int):
            path += f"[{part}]"
        elif part.isidentifier():
            path += f".{part}" if path else part
        else:
            # json.dumps escapes C0 controls; DEL, C1 and the bidi controls it leaves.
            path += f"[{escape_controls(json.dumps(part, ensure_ascii=False))}]"
    return path


def join_path(prefix: str, path: str) -> str:
    """Return ``path`` placed under ``prefix``: ``join_path("a", "b[0]") == "a.b[0]"``."""
    if not prefix or not path:
        return prefix or path
    return f"{prefix}{path}" if path.startswith("[") else f"{prefix}.{path}"


class ZhipingError(Exception):
    """Base of every error zhiping raises on purpose.

    Args:
        message: what went wrong, in English: ``str(error)``.
        zh: the same, in Chinese.

    Attributes:
        zh: the message in Chinese.
    """

    def __init__(self, message: str, *, zh: str) -> None:
        # Messages quote names, ids and files from outside: escape what a terminal obeys.
        super().__init__(_escaped_lines(message))
        self.zh = _escaped_lines(zh)

    def message(self, lang: Lang) -> str:
        """Return the message in ``lang``: ``zh`` or ``en``."""
        return _in_language(lang, Text(zh=self.zh, en=str(self)))

    def __reduce__(self) -> tuple[Any, ...]:
        # The Chinese text is keyword-only: rebuild from the state, not by calling __init__,
        # so that an error raised in a worker process reaches the caller whole.
        return (_restored, (type(self), self.args, self.__dict__))


def _escaped_lines(message: str) -> str:
    """Escape the controls of each line of a message, keeping the breaks between lines."""
    if message.isprintable():
        return message
    return "\n".join(escape_controls(line) for line in message.split("\n"))


def _restored(cls: type[ZhipingError], args: tuple[Any, ...], state: dict[str, Any]) -> Any:
    error = cls.__new__(cls, *args)
    error.args = args
    error.__dict__.update(state)
    return error


class InputError(ZhipingError, ValueError):
    """A document (session, history) that breaks its format; nothing was evaluated.

    Attributes:
        problems: every problem found, each with its JSON path.
        source: the file or name the document came from, when known.
    """

    def __init__(self, problems: Iterable[Problem], *, source: str | None = None) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        self.source = None if source is None else escape_controls(source)
        if not self.problems:
            raise ValueError("an InputError needs at least one problem")
        super().__init__(self._summary("en"), zh=self._summary("zh"))

    def _summary(self, lang: Lang) -> str:
        where = f"{self.source}: " if self.source else ""
        count = len(self.problems)
        noun = "problem" if count == 1 else "problems"
        heading = Text(zh=f"{where}共{count}处问题:", en=f"{where}{count} {noun}:")
        lines = [_in_language(lang, heading)]
        lines.extend(f"  {problem.describe(lang)}" for problem in self.problems)
        return "\n".join(lines)

    def message(self, lang: Lang) -> str:
        """Return how many problems there are, then each with its path, in ``lang``."""
        return self._summary(lang)

    def with_source(self, source: str) -> InputError:
        """Return the same error naming the file or stream the document came from."""
        return InputError(self.problems, source=source)

    def prefixed(self, prefix: str) -> InputError:
        """Return the same error with every path placed under ``prefix``."""
        problems = [p.at(join_path(prefix, p.path)) for p in self.problems]
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
