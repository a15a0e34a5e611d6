"""Session documents broken in one known way, for the robustness tests of frontends.

:func:`invalid_documents` takes a valid document shaped for a pack (from
:func:`~zhiping.testing.pack_documents`) and breaks one field rule of DESIGN §2: a
wrong format, an unknown field, a bad village code or date, a cadre named
``organization``, a repeated id, an unknown capacity, ballots that do not add up, a
history year that is not before the session, an inquiry to nobody, … Each document
comes with the JSON path at which :func:`zhiping.parse_session` must report a problem,
so a test can check both that the document is refused and that the refusal says where::

    @given(invalid_documents(kinds=["repeated_cadre"]))
    def test_refused(case):
        document, path = case
        with pytest.raises(InputError) as caught:
            parse_session(document)
        assert path in {problem.path for problem in caught.value.problems}
"""

from __future__ import annotations

import copy
from collections.abc import Iterable

from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from zhiping.packs.registry import PackRegistry
from zhiping.testing._defects import DEFECT_KINDS, DEFECTS, Defect, DefectKind, Document, Need
from zhiping.testing._pack_documents import BallotForm, PackProfile, pack_documents

__all__ = ["DEFECT_KINDS", "DefectKind", "invalid_documents"]


def invalid_documents(
    *,
    kinds: Iterable[DefectKind] | None = None,
    pack: str = "xinzhou",
    registry: PackRegistry | None = None,
) -> st.SearchStrategy[tuple[Document, str]]:
    """Generate session documents that break exactly one field rule, with where.

    Args:
        kinds: the defects to produce (see :data:`DEFECT_KINDS`); all by default.
        pack: the pack whose documents are broken: each is a valid document for one
            of its villages, shaped as it expects, before one thing is broken.
        registry: where to find the pack (the installed packs by default).

    Returns:
        A strategy for ``(document, path)``: :func:`zhiping.parse_session` raises
        :class:`zhiping.InputError` on ``document`` with a problem at ``path``.
        Shrinks towards the first of ``kinds``.

    Raises:
        InvalidArgument: ``kinds`` is a string, empty, or names an unknown defect;
            no pack of that name is installed.
    """
    chosen = _checked_kinds(kinds)
    if not isinstance(pack, str):
        raise InvalidArgument(f"pack must be a pack's name, got {pack!r}")
    profile = PackProfile.of(pack, registry=registry)
    bases: dict[Need, st.SearchStrategy[Document]] = {}
    cases = []
    for kind in chosen:
        defect = DEFECTS[kind]
        if defect.needs not in bases:
            bases[defect.needs] = _bases(profile, registry, defect.needs)
        cases.append(_cases(bases[defect.needs], defect, profile))
    return st.one_of(cases)


def _cases(
    base: st.SearchStrategy[Document], defect: Defect, profile: PackProfile
) -> st.SearchStrategy[tuple[Document, str]]:
    return base.flatmap(lambda document: _broken(document, defect, profile))


def _checked_kinds(kinds: Iterable[DefectKind] | None) -> tuple[DefectKind, ...]:
    if kinds is None:
        return DEFECT_KINDS
    if isinstance(kinds, str) or not isinstance(kinds, Iterable):
        raise InvalidArgument(f"kinds must be a collection of defect kinds, got {kinds!r}")
    chosen = tuple(dict.fromkeys(kinds))
    unknown = [kind for kind in chosen if kind not in DEFECT_KINDS]
    if unknown:
        raise InvalidArgument(f"unknown defect kinds {unknown!r}; known: {', '.join(DEFECT_KINDS)}")
    if not chosen:
        raise InvalidArgument("kinds must name at least one defect kind")
    return chosen


def _bases(
    profile: PackProfile, registry: PackRegistry | None, needs: Need
) -> st.SearchStrategy[Document]:
    """Return the valid documents a defect starts from: with cadres, cast or counted ballots."""
    counted: BallotForm = "group_counts" if profile.groups else "counts"
    if needs == "cast":
        return pack_documents(profile, registry=registry, ballot_form="cast")
    if needs == "anything":
        return pack_documents(profile, registry=registry)
    # A cadre to break; for counted ballots, a second subject in each group (see _counts_sum).
    form = counted if needs == "counted" else None
    return st.one_of(
        [pack_documents(profile, registry=registry, ballot_form=form, cadres=n) for n in (1, 2, 3)]
    )


@st.composite
def _broken(
    draw: st.DrawFn, document: Document, defect: Defect, profile: PackProfile
) -> tuple[Document, str]:
    result = copy.deepcopy(document)
    return result, defect.apply(draw, result, profile)
