"""The phases of ``scripts/reliability.py``, one module each, and what they share.

The phases:

- :mod:`.hostile` runs malformed documents (a :class:`~.hostile_cases.Case` each) from
  :mod:`.kit_documents`, :mod:`.byte_damage`, :mod:`.json_damage` and
  :mod:`.big_documents` through :mod:`.in_process_probe` and :mod:`.subprocess_probe`.
- :mod:`.limits` parses the documents of :mod:`.limit_documents` in subprocesses.
- :mod:`.crash` and :mod:`.concurrency` drive ``scripts/crash_writers.py`` through
  :mod:`.crash_writers_run`.
- :mod:`.tamper` makes the changes of :mod:`.tampering` and verifies.
- :mod:`.recount` recounts stored outcomes with a counter written from DESIGN.

Shared: :mod:`.plan` (how much a run does), :mod:`.figures` and :mod:`.failures` (what
is printed), :mod:`.probes` (subprocesses, measured), :mod:`.samples` (the valid inputs),
:mod:`.json_text` and :mod:`.strict_json` (JSON by hand), :mod:`.documented_limits`,
:mod:`.chain` (DESIGN §7's hashes) and :mod:`.plain_sqlite`.
"""
