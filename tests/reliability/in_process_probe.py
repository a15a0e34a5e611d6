"""Run one hostile case through the library's paths and the CLI in-process, and judge it.

The library is given the text, the bytes and (for the kit's documents) the decoded
object; the CLI (``main(["evaluate", FILE])``) runs without a store and with one, whose
tables must not change when the document is refused.
"""

from __future__ import annotations

import contextlib
import copy
import hashlib
import io
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

from reliability.failures import Failure, describe, shorten
from reliability.forgery import read_only
from reliability.hostile_cases import Case
from reliability.json_damage import CONTROLS
from zhiping import evaluate, parse_session
from zhiping.errors import ZhipingError

NOTE_KINDS = ("echoed_controls", "long_stderr")
"""Kinds of CLI findings that are worth knowing but not a target."""


@dataclass
class Probed:
    """What running one case through every path found.

    Attributes:
        counts: figures (``library_runs``, ``library_exceptions``, ``cli_runs``, …).
        failures: targets missed.
        notes: worth knowing, not a target.
        accepted: the library accepted the document (text path, else bytes path).
        cli_status: the in-process CLI's exit status without a store.
    """

    counts: Counter[str] = field(default_factory=Counter)
    failures: list[Failure] = field(default_factory=list)
    notes: list[Failure] = field(default_factory=list)
    accepted: bool = False
    cli_status: int | str | None = None

    def to_json(self) -> dict[str, Any]:
        """Return the result as JSON data, for a probe subprocess to report."""
        return {
            "counts": dict(self.counts),
            "failures": [asdict(f) for f in self.failures],
            "notes": [asdict(n) for n in self.notes],
            "accepted": self.accepted,
            "cli_status": self.cli_status,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Probed:
        """Read what :meth:`to_json` wrote."""
        return cls(
            Counter(data["counts"]),
            [Failure(**f) for f in data["failures"]],
            [Failure(**n) for n in data["notes"]],
            bool(data["accepted"]),
            data["cli_status"],
        )


@dataclass
class Verdict:
    """What the library made of a document on one path.

    Attributes:
        state: ``accepted`` (parsed and evaluated), ``rejected`` (a ``ZhipingError``) or
            ``crashed`` (any other exception).
        detail: the error, on one line.
    """

    state: Literal["accepted", "rejected", "crashed"]
    detail: str = ""


def library_verdict(parse: Callable[[], Any]) -> Verdict:
    """Parse, then evaluate what was parsed; say how it went."""
    try:
        session = parse()
    except ZhipingError as error:
        return Verdict("rejected", f"{type(error).__name__}: {shorten(str(error))}")
    except Exception as error:
        return Verdict("crashed", f"parse_session raised {describe(error)}")
    try:
        evaluate(session)
    except ZhipingError as error:
        return Verdict("rejected", f"evaluate: {type(error).__name__}: {shorten(str(error))}")
    except Exception as error:
        return Verdict("crashed", f"evaluate raised {describe(error)}")
    return Verdict("accepted")


@dataclass
class CliRun:
    """An in-process run of the CLI.

    Attributes:
        status: its exit status, or how it escaped ``main`` (``raised …``).
        stdout: what it wrote to standard output (encoded as UTF-8, strictly, like a
            real UTF-8 terminal or pipe).
        stderr: what it wrote to standard error.
    """

    status: int | str
    stdout: str
    stderr: str


def run_cli(argv: Sequence[str]) -> CliRun:
    """Run ``zhiping.cli.main(argv)`` with its output captured."""
    from zhiping.cli import main as cli_main

    raw = io.BytesIO()
    out = io.TextIOWrapper(raw, encoding="utf-8", errors="strict", newline="\n")
    err = io.StringIO()
    status: int | str
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            status = cli_main(list(argv))
        except SystemExit as error:
            status = f"raised SystemExit({error.code})"
        except Exception as error:
            status = f"raised {describe(error)}"
        with contextlib.suppress(Exception):
            out.flush()
    return CliRun(status, raw.getvalue().decode("utf-8", "replace"), err.getvalue())


def store_state(path: Path) -> tuple[str, str]:
    """Return a digest of a store's tables (read-only client) and one of its files' bytes."""
    files = hashlib.sha256()
    for suffix in ("", "-wal"):
        part = Path(f"{path}{suffix}")
        if part.exists() and part.stat().st_size:  # a reader may leave an empty WAL behind
            files.update(suffix.encode() + part.read_bytes())
    content = hashlib.sha256()
    with read_only(path) as db:
        tables = db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
        ).fetchall()
        for (table,) in tables:
            content.update(table.encode())
            for row in db.execute(f'SELECT * FROM "{table}" ORDER BY rowid'):
                content.update(repr(row).encode())
        for pragma in ("user_version", "application_id"):
            content.update(repr(db.execute(f"PRAGMA {pragma}").fetchone()).encode())
    return content.hexdigest(), files.hexdigest()


def probe(case: Case, data: bytes, file: Path, store: Path) -> Probed:
    """Run one case through the library's paths and the CLI, with and without a store.

    ``data`` must already be in ``file``.
    """
    probed = Probed()
    verdicts: dict[str, Verdict] = {}
    try:
        text: str | None = data.decode("utf-8")
    except UnicodeDecodeError:
        text = None  # a caller holding a str never has undecodable bytes
    if text is not None:
        verdicts["text"] = library_verdict(lambda: parse_session(text))
    verdicts["bytes"] = library_verdict(lambda: parse_session(data))
    if case.document is not None:
        document = copy.deepcopy(case.document)
        verdicts["object"] = library_verdict(lambda: parse_session(document))
    probed.accepted = (verdicts.get("text") or verdicts["bytes"]).state == "accepted"
    _judge_library(case, verdicts, probed)
    reference = verdicts["bytes"]  # the CLI is given a file: bytes
    cli = run_cli(["evaluate", str(file)])
    probed.cli_status = cli.status
    probed.counts["cli_runs"] += 1
    before = store_state(store)
    recorded = run_cli(["evaluate", str(file), "--store", str(store)])
    after = store_state(store)
    probed.counts["store_runs"] += 1
    runs: dict[tuple[str, str], list[str]] = defaultdict(list)
    for how, run in (("cli", cli), ("cli --store", recorded)):
        for kind, detail in _judge_cli(case, reference, run, probed, how):
            runs[(kind, detail)].append(how)
    for (kind, detail), hows in runs.items():
        failure = Failure(kind, case.category, case.label, detail, ", ".join(hows))
        (probed.notes if kind in NOTE_KINDS else probed.failures).append(failure)
    if recorded.status != 0 and before[0] != after[0]:
        probed.counts["store_changed"] += 1
        probed.failures.append(
            Failure(
                "store_changed",
                case.category,
                case.label,
                f"the store's tables changed although evaluate --store exited {recorded.status}",
            )
        )
    elif before[0] == after[0] and before[1] != after[1]:
        probed.counts["store_bytes_changed"] += 1
    return probed


def _judge_library(case: Case, verdicts: Mapping[str, Verdict], probed: Probed) -> None:
    probed.counts["library_runs"] += len(verdicts)
    crashes: dict[str, list[str]] = defaultdict(list)
    for path, verdict in verdicts.items():
        if verdict.state == "crashed":
            crashes[verdict.detail].append(path)
    for detail, paths in crashes.items():
        probed.counts["library_exceptions"] += len(paths)
        failure = Failure("library_exception", case.category, case.label, detail, ", ".join(paths))
        probed.failures.append(failure)
    accepted = [path for path, verdict in verdicts.items() if verdict.state == "accepted"]
    refused = [path for path, verdict in verdicts.items() if verdict.state != "accepted"]
    if case.expect == "reject" and accepted:
        probed.counts["accepted_invalid"] += 1
        detail = f"accepted, though {case.why or 'it must be refused'}"
        failure = Failure(
            "accepted_invalid", case.category, case.label, detail, ", ".join(accepted)
        )
        probed.failures.append(failure)
    if case.expect == "accept" and refused:
        probed.counts["rejected_valid"] += 1
        first = verdicts[refused[0]]
        detail = f"refused a valid document ({', '.join(refused)}): {first.detail}"
        probed.failures.append(Failure("rejected_valid", case.category, case.label, detail))
    if case.expect != "reject" and probed.accepted:
        probed.counts["still_valid"] += 1
    states = {verdict.state for verdict in verdicts.values() if verdict.state != "crashed"}
    if len(states) > 1:
        probed.counts["inconsistent"] += 1
        said = "; ".join(
            f"{path} {verdict.state}" + (f" ({verdict.detail})" if verdict.detail else "")
            for path, verdict in verdicts.items()
        )
        probed.notes.append(Failure("inconsistent_paths", case.category, case.label, said))


def _judge_cli(
    case: Case, reference: Verdict, run: CliRun, probed: Probed, how: str
) -> list[tuple[str, str]]:
    """Check one CLI run; count what went wrong, and return it as (kind, detail) pairs."""
    status, stderr = run.status, run.stderr
    found = []
    if status not in (0, 2):
        found.append(("cli_crash", f"exit {status}: {headline(stderr)}"))
    elif status == 0 and case.expect == "reject":
        found.append(("cli_exit", "exit 0 for a document that must be refused"))
    elif status == 0 and reference.state != "accepted":
        found.append(("cli_exit", "exit 0 for a document that parse_session refuses"))
    elif status == 2 and how == "cli" and case.expect != "reject" and reference.state == "accepted":
        found.append(("cli_exit", f"exit 2 for a document the library accepts: {headline(stderr)}"))
    probed.counts["cli_bad_exits"] += bool(found)
    if shows_internal_error(stderr):
        probed.counts["cli_tracebacks"] += 1
        if status in (0, 2):  # otherwise the exit status says it already
            found.append(("cli_traceback", f"exit {status}, but: {headline(stderr)}"))
    echoed = [name for name, char in CONTROLS.items() if char in run.stdout + stderr]
    if echoed:
        probed.counts["echoed_controls"] += 1
        found.append(("echoed_controls", f"wrote {', '.join(echoed)} raw to the terminal"))
    if len(stderr) > 64 * 1024:
        found.append(("long_stderr", f"wrote {len(stderr) // 1024} KiB to stderr (the input?)"))
    return found


def shows_internal_error(stderr: str) -> bool:
    """Return whether the CLI's error output shows a traceback or an internal error."""
    return "Traceback (most recent call last)" in stderr or "internal error" in stderr


def headline(stderr: str) -> str:
    """Return the telling line of an error output: the internal error, else the first line."""
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    telling = [line for line in lines if "internal error" in line or "Error:" in line]
    return shorten((telling or lines or ["(nothing on stderr)"])[0])
