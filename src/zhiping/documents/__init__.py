"""The documents zhiping reads and writes: the session document and the outcome.

Models of both (pydantic at the boundary, attrs inside), the strict JSON reader, the
wording of validation problems, and the limits on what a document may hold.
"""
