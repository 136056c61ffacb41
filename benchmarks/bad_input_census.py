"""Count the bad-input cases of ``tests/test_bad_input.py`` per outcome and per pattern of issue 17.

``PYTHONPATH=$PWD .venv/bin/python -m benchmarks.bad_input_census [--list]``

Runs every one-argument corruption of every public callable (the same cases as
``test_bad_input``) plus the targeted checks ``test_pattern<N>_*`` of that file,
and prints how many fail, by outcome and by the pattern of issue 17 they
belong to. ``--list`` prints every failing case too.
"""

from __future__ import annotations

import collections
import inspect
import sys
import time
import warnings

from tests import test_bad_input as t

#: Callables issue 17 lists as having no validation at all (pattern 3).
NO_VALIDATION = {"calculus.gaussian", "calculus.gaussian_jacobian", "calculus.sigmoid",
                 "calculus.sigmoid_prime", "calculus.linearise()", "calculus.linearise()[vector]",
                 "calculus.taylor2()", "calculus.taylor_polynomial()", "linalg.draw_basis",
                 "linalg.draw_grid", "calculus.Heights"}


def pattern_of(case: t.Case, outcome: str) -> str:
    """The issue-17 pattern a failing case belongs to (first match wins)."""
    if outcome == "warning":
        return "6 warnings leak"
    if "complex" in case.kind:
        return "1 complex made real"
    if "bigint" in case.kind or "OverflowError" in outcome:
        return "2 integers beyond float range"
    if case.kind == "strings":
        return "numeric strings silently converted"
    if case.key in NO_VALIDATION or case.arg == "rng":
        return "3 no validation"
    if case.kind in ("huge", "tiny"):
        return "5 scale"
    if case.key.startswith("exercises."):
        return "graders fooled or crash"
    if case.kind.startswith("callback-"):
        return "8 callback results"
    if outcome == "unnamed":
        return "error does not name the argument"
    return "other"


def main(argv: list[str]) -> int:
    show = "--list" in argv
    start = time.perf_counter()
    outcomes = collections.Counter()
    patterns = collections.Counter()
    failures = []
    n_cases = 0
    keys = t.KEYS
    for key in keys:
        for case in t.cases_for(key):
            n_cases += 1
            outcome, detail = t.run_case(case)
            outcomes[outcome] += 1
            if outcome != "ok":
                tag = outcome if "OverflowError" not in detail else "OverflowError"
                patterns[pattern_of(case, tag)] += 1
                failures.append(f"{case.label}: {outcome}: {detail}")
    targeted = collections.Counter()
    targeted_total = collections.Counter()
    for name, fn in sorted(vars(t).items()):
        if name.startswith("test_pattern") and inspect.isfunction(fn) and not inspect.signature(fn).parameters:
            pattern = name[len("test_pattern")]
            targeted_total[pattern] += 1
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("error")
                    fn()
            except BaseException as exc:  # noqa: BLE001 - a failing check is what we count
                targeted[pattern] += 1
                failures.append(f"{name}: {type(exc).__name__}: {str(exc)[:200]}")
    print(f"{len(keys)} callables, {n_cases} fuzz cases in {time.perf_counter() - start:.1f} s")
    print("outcomes:", dict(sorted(outcomes.items())))
    print("failing fuzz cases by pattern:")
    for p, n in sorted(patterns.items()):
        print(f"  {p}: {n}")
    print("targeted checks failing (pattern: failing / total):")
    for p in sorted(targeted_total):
        print(f"  {p}: {targeted[p]} / {targeted_total[p]}")
    if show:
        print("\n".join(failures))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
