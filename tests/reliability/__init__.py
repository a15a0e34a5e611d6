"""The reliability harness: how zhiping holds up against what it is given.

zhiping runs inside systems that receive documents from phones in village meetings and
files from township offices. It must never crash on what it is given, never lose or
corrupt a record, and show anyone who asks that its records are intact. Six phases
measure that, each a test of ``test_reliability.py`` marked ``reliability``: left out
of the default run, and run by CI as a step of its own::

    pytest -m reliability -p no:cacheprovider                     # the quick plan
    ZHIPING_RELIABILITY=full pytest -m reliability -p no:cacheprovider   # the full plan
    pytest -m reliability -k tamper                               # one phase

``ZHIPING_RELIABILITY`` chooses the plan (``quick``, the default: a few hundred hostile
cases, 10 kills and small stores, in a minute or two on two idle cores; or ``full``,
about four minutes there) and ``ZHIPING_RELIABILITY_SEED`` the seed of the draws and mutations (1).
A phase fails its test when it misses a target. Each prints its figures at the end of
the run, in the section "reliability figures" (``phase key=value ...``, and ``phase/part
key=value ...`` for its parts), with a ``FAIL phase: ...`` line for every target missed
(each group of alike failures once, counted, with an example) and ``NOTE phase: ...``
lines for what is worth knowing but not a target; then ``summary phase=ok|FAIL ...``
and ``result ok`` or ``result FAIL``.

``hostile`` (:mod:`.hostile`)
    Malformed documents fed to the library (:func:`zhiping.parse_session` on the text, on
    the bytes and, for the kit's documents, on the decoded object; then
    :func:`zhiping.evaluate`) and to the CLI in-process (``main(["evaluate", FILE])``, and
    ``main(["evaluate", FILE, "--store", DB])`` on a store holding sessions already), plus a
    sample of each category through a real ``python -m zhiping evaluate FILE``. Sources:
    the kit's :func:`~zhiping.testing.invalid_documents` (every defect kind, drawn with a
    seed), and byte-level damage to valid documents (the example and synthetic ones):
    truncations, flipped bits, keys given twice with different values, invalid UTF-8, a
    BOM and other encodings, ``NaN``/``Infinity``, huge integers, floats and booleans where
    counts belong, deep nesting, 100 MB strings, control characters and lone surrogates
    in ids, empty files, ``null``, top-level arrays, 50 MB of whitespace. Valid documents
    run alongside as controls. Targets: no exception outside ``ZhipingError`` from the
    library; no invalid document accepted (a damaged document that is still valid JSON is
    either, and counted ``still_valid``); the CLI exits 2 for every refused document and
    0 for every accepted one, with no traceback and no "internal error"; the store is
    unchanged (its tables, read with a plain read-only client) after every refused one.
    The peak memory of the largest documents is measured in subprocesses.
``limits`` (:mod:`.limits`)
    Documents of growing size (1k, 10k, 100k ballots in ``cast`` form; 1, 10, 100 MB)
    parsed and evaluated in subprocesses: time, peak RSS, and whether each is refused
    with an ``InputError`` naming a limit. The documented limits
    (``zhiping.documents.limits``; see :mod:`.documented_limits`) add documents at and
    just over each limit. Targets: no exception outside ``ZhipingError``, no probe killed
    by its size; a document over a documented limit is refused with an ``InputError``
    whose problem names the limit.
``crash`` (:mod:`.crash`)
    :mod:`.crash_writers` with ``--kills K --companion``: writers killed with SIGKILL
    mid-batch. Targets: 0 acknowledged sessions lost, 0 integrity failures, 0 chain
    findings, every kill mid-batch.
``concurrency`` (:mod:`.concurrency`)
    :mod:`.crash_writers` with ``--writers-at-once 4``, on disjoint and on the same
    sessions. Targets: 0 lost, 0 recorded twice, 0 writer failures, and no raw
    ``sqlite3`` error anywhere in its output.
``tamper`` (:mod:`.tamper`)
    A sample store (synthetic villages over two years, a fulfilment and an amendment,
    recorded with :meth:`zhiping.store.Store.evaluate`) and its checkpoint; then, each in
    a fresh copy, with a plain ``sqlite3`` client and the triggers dropped: every row of
    every table updated (in full mode every column of the events and records, elsewhere
    one column per row, in turn), deleted, and swapped with the next row that differs;
    the chain truncated after every event; and whole-chain rewrites that recompute every
    hash with a hash function written from DESIGN §7 (:mod:`.forgery`), as a careful
    forger would. Detection: :meth:`~zhiping.store.Store.verify` with the checkpoint
    reports tampering, or raises ``StoreError``. Target: 100% detected, and ``verify``
    never raises anything else.
``recount`` (:mod:`.recount`)
    An independent recount of every stored outcome from its stored document (a counter
    written from DESIGN §2, :mod:`.oracle`, not zhiping's), each subject's tally and
    valid votes, and the Xinzhou grade and pay (DESIGN §5) where the chain is ``cn ►
    xinzhou``; and an independent recomputation of the audit chain's hashes. On the
    tamper phase's sample store, and in full mode on the demo's store too. Target: 0
    mismatches.

What the phases share: :mod:`.plan` (how much a run does), :mod:`.figures` and
:mod:`.failures` (what is printed), :mod:`.probes` (subprocesses, measured, and
:mod:`.probe`, the probe subprocesses' entry point), :mod:`.samples` (the valid inputs),
:mod:`.json_text` and :mod:`.strict_json` (JSON by hand), :mod:`.documented_limits`.
The hostile cases come from :mod:`.kit_documents`, :mod:`.byte_damage`,
:mod:`.json_damage` and :mod:`.big_documents` (a :class:`~.hostile_cases.Case` each),
run through :mod:`.in_process_probe` and :mod:`.subprocess_probe`; the limits phase's
documents from :mod:`.limit_documents`; the tamper phase's changes from
:mod:`.tampering`.

Three modules serve ``tests/store`` too, so that what both check is written once:
:mod:`.forgery` (a plain client, the chain's hash from DESIGN §7, a truncation and a
consistent rewrite of the chain: ``test_tampering.py``), :mod:`.oracle` (the DESIGN
§5 grade and pay: ``test_store_machine.py``) and :mod:`.crash_writers`
(``test_durability.py``).

Peak memory is a process's ``VmHWM`` (Linux), read by the process itself or, for the
real CLI, while it runs. POSIX only (SIGKILL, ``os.wait4``). Only the standard library
and zhiping with its ``test`` extra (pytest, hypothesis); everything it writes goes to
a temporary directory, removed at the end.
"""
