"""The op parity case list: every case, from the themed modules, in one list.

Importable by the generator (under real TensorFlow) and by the test (under kerastorch):
nothing here imports either. See `casekit.py` for what a case is.
"""

from compat import cases_array, cases_elementwise, cases_math, cases_python

CASES = cases_array.CASES + cases_math.CASES + cases_elementwise.CASES + cases_python.CASES

BY_ID = {c["id"]: c for c in CASES}
if len(BY_ID) != len(CASES):
    _seen: set = set()
    _dupes = [c["id"] for c in CASES if c["id"] in _seen or _seen.add(c["id"])]
    raise ValueError(f"Duplicate parity case ids: {_dupes}")
