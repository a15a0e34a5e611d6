"""The pytest plugin: ``pytest --zhiping-pack NAME`` checks an installed pack.

Registered through the ``pytest11`` entry point, so that it is there wherever zhiping
is installed. It imports the kit (laws, cases, and so hypothesis) only when a pack is
asked for or a fixture is used, so that it costs little to projects that do not use it.

With ``--zhiping-pack NAME`` (repeatable), the session gets, beside whatever tests it
collects from its paths (none in an empty directory), one collector per pack holding
one test per check of the pack's data (``NAME::check::values``, ``NAME::check::sources``,
``NAME::check::rules``: those of :class:`~zhiping.testing.PackTests`), one per law
(``NAME::law::<law>``) and one per case file of the pack (``NAME::case::<file stem>``).
A pack's case files are in the ``cases/`` directory beside its ``pack.toml`` (see
:mod:`zhiping.testing.cases`).

Fixtures for a pack author's own tests:

- ``zhiping_registry``: the installed packs (:func:`zhiping.default_registry`);
- ``zhiping_session_document``: the builder
  :func:`~zhiping.testing.cases.pack_session_document`; with ``pack=NAME`` it builds a
  session for a village of that pack, without it a Xinzhou one;
- ``zhiping_pack``: each name given with ``--zhiping-pack``, one test per name (the
  test is skipped when no pack is given);
- ``zhiping_pack_profile``: what that pack expects of a session
  (:class:`~zhiping.testing.PackProfile`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Generator, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from _pytest._code.code import TerminalRepr

    from zhiping.packs.registry import PackRegistry
    from zhiping.testing import PackProfile

__all__ = [
    "PackCase",
    "PackCheck",
    "PackChecks",
    "PackLaw",
    "pytest_addoption",
    "pytest_configure",
    "pytest_generate_tests",
    "pytest_make_collect_report",
    "zhiping_pack",
    "zhiping_pack_profile",
    "zhiping_registry",
    "zhiping_session_document",
]

OPTION = "zhiping_pack"


def pytest_addoption(parser: pytest.Parser) -> None:
    """Add ``--zhiping-pack NAME`` (repeatable)."""
    group = parser.getgroup("zhiping", "zhiping rule packs")
    group.addoption(
        "--zhiping-pack",
        action="append",
        default=[],
        metavar="NAME",
        help="check the laws and declarative cases of this installed zhiping pack (repeatable)",
    )


def _packs(config: pytest.Config) -> list[str]:
    return list(dict.fromkeys(config.getoption(OPTION) or []))


def pytest_configure(config: pytest.Config) -> None:
    """Refuse a pack that is not installed, listing those that are."""
    names = _packs(config)
    if not names:
        return
    from zhiping.errors import PackError
    from zhiping.packs.registry import default_registry

    try:
        registry = default_registry()
    except PackError as error:
        raise pytest.UsageError(
            f"--zhiping-pack: the installed packs cannot be loaded: {error}"
        ) from None
    unknown = [name for name in names if name not in registry.packs]
    if unknown:
        raise pytest.UsageError(
            f"--zhiping-pack: no pack named {', '.join(unknown)} is installed; "
            f"installed packs: {', '.join(registry.names())}"
        )
    try:
        import zhiping.testing  # noqa: F401  (hypothesis is needed from here on)
    except ImportError as error:
        raise pytest.UsageError(f"--zhiping-pack: {error}") from None


@pytest.hookimpl(wrapper=True)
def pytest_make_collect_report(
    collector: pytest.Collector,
) -> Generator[None, pytest.CollectReport, pytest.CollectReport]:
    """Add one collector per ``--zhiping-pack`` to what the session collects.

    Added to the session's own report, the packs are collected, selected (``-k``,
    ``--deselect``) and counted like any test, even with no test file in sight.
    """
    report: pytest.CollectReport = yield
    if isinstance(collector, pytest.Session) and report.passed:
        report.result.extend(
            PackChecks.from_parent(collector, name=name, nodeid=name)
            for name in _packs(collector.config)
        )
    return report


class PackChecks(pytest.Collector):
    """The checks of the data, the laws and the case files of one installed pack."""

    def collect(self) -> Iterable[pytest.Item]:
        """Return one test per check of the data, then one per law, then one per case file."""
        from zhiping.testing import LAWS, PACK_CHECKS
        from zhiping.testing.cases import case_files

        for check in PACK_CHECKS:
            yield PackCheck.from_parent(self, name=f"check::{check}", pack=self.name, check=check)
        for law in LAWS:
            yield PackLaw.from_parent(self, name=f"law::{law}", pack=self.name, law=law)
        files = case_files(self.name)
        repeated = Counter(path.stem for path in files)
        for path in files:
            stem = path.stem if repeated[path.stem] == 1 else path.name
            yield PackCase.from_parent(self, name=f"case::{stem}", pack=self.name, path=path)


class _PackItem(pytest.Item):
    """A check of a pack whose failure is a message, not a traceback."""

    def __init__(self, *, pack: str, **options: Any) -> None:
        super().__init__(**options)
        self.pack = pack

    def repr_failure(
        self,
        excinfo: pytest.ExceptionInfo[BaseException],
        style: Any = None,
    ) -> str | TerminalRepr:
        """Show the broken law or the unmet case as its message, without a traceback."""
        message = _message(excinfo.value)
        return message if message is not None else super().repr_failure(excinfo, style)


def _message(error: BaseException) -> str | None:
    """Return what to show of an error zhiping raised on purpose; None for any other."""
    from zhiping.errors import ZhipingError
    from zhiping.testing import LawBroken, PackUnsound
    from zhiping.testing.cases import CaseFailed

    if isinstance(error, BaseExceptionGroup):
        messages = [_message(inner) for inner in error.exceptions]
        if all(message is not None for message in messages):
            return "\n\n".join(message for message in messages if message is not None)
        return None
    if isinstance(error, ZhipingError | LawBroken | PackUnsound | CaseFailed):
        return str(error)
    return None


class PackCheck(_PackItem):
    """One check of a pack's data, the same function :class:`~zhiping.testing.PackTests` runs."""

    def __init__(self, *, check: str, **options: Any) -> None:
        super().__init__(**options)
        self.check = check

    def runtest(self) -> None:
        """Run the check; unsound data raises ``PackUnsound`` or ``PackError``."""
        from zhiping.testing import PACK_CHECKS

        PACK_CHECKS[self.check](self.pack)

    def reportinfo(self) -> tuple[Path, int | None, str]:
        """Name the pack and the check."""
        return self.path, None, f"pack {self.pack}: check {self.check}"


class PackLaw(_PackItem):
    """One law, checked against one pack with the active hypothesis profile."""

    def __init__(self, *, law: str, **options: Any) -> None:
        super().__init__(**options)
        self.law = law

    def runtest(self) -> None:
        """Check the law; a broken one raises :class:`~zhiping.testing.LawBroken`."""
        from zhiping.testing import check_law

        check_law(self.law, self.pack)

    def reportinfo(self) -> tuple[Path, int | None, str]:
        """Name the pack and the law."""
        return self.path, None, f"pack {self.pack}: law {self.law}"


class PackCase(_PackItem):
    """One case file of a pack, read and checked when it runs."""

    def runtest(self) -> None:
        """Read the case and check it; a bad file or an unmet expectation fails it."""
        from zhiping.testing.cases import check_case, load_case

        check_case(load_case(self.path), self.pack)

    def reportinfo(self) -> tuple[Path, int | None, str]:
        """Name the pack and the case file."""
        return self.path, None, f"pack {self.pack}: case {self.path.name}"


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Run a test that uses ``zhiping_pack`` once per ``--zhiping-pack`` name."""
    if "zhiping_pack" not in metafunc.fixturenames:
        return
    names = _packs(metafunc.config)
    skipped = pytest.param(None, marks=pytest.mark.skip(reason="no --zhiping-pack given"))
    metafunc.parametrize("zhiping_pack", names or [skipped], indirect=True, ids=names or None)


@pytest.fixture(scope="session")
def zhiping_registry() -> PackRegistry:
    """Return the installed packs: the bundled ones and those of installed distributions."""
    from zhiping.packs.registry import default_registry

    return default_registry()


@pytest.fixture
def zhiping_session_document(zhiping_registry: PackRegistry) -> Callable[..., dict[str, Any]]:
    """Return the builder of valid session documents.

    Call it with the options of :func:`zhiping.testing.session_document`, and
    ``pack=NAME`` for a village of that pack in a year it is in force.
    """
    from zhiping.testing import session_document
    from zhiping.testing.cases import pack_session_document

    def build(*, pack: str | None = None, **options: Any) -> dict[str, Any]:
        if pack is None:
            return session_document(**options)
        return pack_session_document(pack, registry=zhiping_registry, **options)

    return build


@pytest.fixture
def zhiping_pack(request: pytest.FixtureRequest) -> str:
    """Return the name of a pack given with ``--zhiping-pack`` (one test per name)."""
    name: str = request.param
    return name


@pytest.fixture
def zhiping_pack_profile(zhiping_pack: str, zhiping_registry: PackRegistry) -> PackProfile:
    """Return what the ``--zhiping-pack`` pack expects of a session."""
    from zhiping.testing import PackProfile

    return PackProfile.of(zhiping_pack, registry=zhiping_registry)
