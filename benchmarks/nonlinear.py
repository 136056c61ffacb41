"""Non-linear least squares on NIST StRD problems, from both official starting points.

``mmlbook.calculus.fit_nonlinear(method="lm")`` against
``scipy.optimize.least_squares(method="lm")`` (MINPACK), both at tolerance
1e-10 (mmlbook's ``tol``; scipy's ``xtol``, ``ftol`` and ``gtol``), with the
analytic Jacobian and again with each library's finite differences.

A fit counts as *correct* when every fitted parameter agrees with NIST's
certified value to at least 4 significant digits (log relative error >= 4,
NIST's measure). The target is reliability: mmlbook correct at least as often
as scipy. *Agree* means the same verdict as scipy on every problem (both
correct, or both not). Times are the sum over the problems of the
time per fit, alternating mmlbook and scipy run by run.
"""

from __future__ import annotations

import time
import warnings

import numpy as np

from benchmarks import Row, Timing, Unavailable
from benchmarks.nist import PROBLEMS, lre, rss, self_check

NAME = "nls"
TITLE = "Non-linear least squares, NIST StRD: mmlbook fit_nonlinear (lm) vs scipy least_squares (lm)"

TOL = 1e-10
#: Tiny matrices: a BLAS thread pool only adds latency (and on a busy machine, much of it).
BLAS_THREADS = 1
DIGITS = 4.0


def _fit_mmlbook(fit_nonlinear, problem, p0, analytic):
    try:
        res = fit_nonlinear(problem.model, problem.x, problem.y, np.array(p0, dtype=float),
                            jac=problem.jac if analytic else None, method="lm", tol=TOL)
    except Exception as exc:  # noqa: BLE001 - ConvergenceError, or a model blowing up
        return {"converged": False, "x": None, "nit": None, "nfev": None, "error": type(exc).__name__}
    return {"converged": bool(res.success), "x": np.asarray(res.x), "nit": int(res.nit),
            "nfev": int(res.nfev), "njev": int(res.njev)}


def _fit_scipy(least_squares, problem, p0, analytic):
    def fun(b):
        return problem.model(problem.x, b) - problem.y

    def jac(b):
        return problem.jac(problem.x, b)

    try:
        res = least_squares(fun, np.array(p0, dtype=float), jac=jac if analytic else "2-point",
                            method="lm", xtol=TOL, ftol=TOL, gtol=TOL)
    except Exception as exc:  # noqa: BLE001
        return {"converged": False, "x": None, "nit": None, "nfev": None, "error": type(exc).__name__}
    return {"converged": bool(res.status > 0), "x": np.asarray(res.x), "nit": None,
            "nfev": int(res.nfev), "njev": None if res.njev is None else int(res.njev)}


def _summary(problem, out) -> dict:
    if out["x"] is None or not np.all(np.isfinite(out["x"])):
        return {**out, "lre": 0.0, "correct": False, "rss": None}
    digits = lre(out["x"], problem.certified)
    return {**out, "lre": round(digits, 1), "correct": digits >= DIGITS, "rss": rss(problem, out["x"])}


def run(quick: bool, log) -> list[Row]:
    try:
        from mmlbook.calculus.regression import fit_nonlinear
    except ImportError as exc:
        raise Unavailable(f"mmlbook.calculus.regression.fit_nonlinear: {exc}") from None
    from scipy.optimize import least_squares

    bad = self_check()
    if bad:
        raise RuntimeError("NIST data typed in wrongly: " + "; ".join(bad))
    runs = 2 if quick else 5
    rows = []
    for analytic in (True, False):
        for start in (1, 2):
            how = "analytic Jacobian" if analytic else "finite differences"
            log(f"start {start}, {how}: {len(PROBLEMS)} problems x {runs} alternating runs ...")
            t_m = np.zeros(runs)
            t_r = np.zeros(runs)
            table = []
            correct_m = correct_s = 0
            same_verdict = True
            for problem in PROBLEMS:
                p0 = problem.start1 if start == 1 else problem.start2
                with warnings.catch_warnings(), np.errstate(all="ignore"):
                    warnings.simplefilter("ignore")
                    m = _summary(problem, _fit_mmlbook(fit_nonlinear, problem, p0, analytic))
                    s = _summary(problem, _fit_scipy(least_squares, problem, p0, analytic))
                    for k in range(runs):
                        t0 = time.perf_counter()
                        _fit_mmlbook(fit_nonlinear, problem, p0, analytic)
                        t1 = time.perf_counter()
                        _fit_scipy(least_squares, problem, p0, analytic)
                        t2 = time.perf_counter()
                        t_m[k] += t1 - t0
                        t_r[k] += t2 - t1
                correct_m += m["correct"]
                correct_s += s["correct"]
                same_verdict &= m["correct"] == s["correct"]
                table.append([problem.name, problem.difficulty,
                              _cell(m), m["lre"], m["nit"], m["nfev"],
                              _cell(s), s["lre"], s["nfev"]])
            fails_m = [r[0] for r in table if r[2] != "correct"]
            fails_s = [r[0] for r in table if r[6] != "correct"]
            detail = (f"correct (>= {DIGITS:g} digits): mmlbook {correct_m}/{len(PROBLEMS)}"
                      + (f" (not: {', '.join(fails_m)})" if fails_m else "")
                      + f", scipy {correct_s}/{len(PROBLEMS)}"
                      + (f" (not: {', '.join(fails_s)})" if fails_s else "")
                      + "; times summed over the problems; BLAS on 1 thread")
            rows.append(Row.timed(
                NAME, f"{len(PROBLEMS)} NIST problems, start {start}, {how}",
                "scipy.optimize.least_squares(method='lm')", Timing(list(t_m), list(t_r)),
                target="correct >= scipy's", met=correct_m >= correct_s, agree=same_verdict,
                detail=detail,
                extra={"table": {"columns": ["problem", "NIST level", "mmlbook", "digits", "nit",
                                             "nfev", "scipy", "digits", "nfev"],
                                 "rows": table}}))
    return rows


def _cell(out) -> str:
    if out["x"] is None:
        return f"failed ({out.get('error', 'no result')})"
    if out["correct"]:
        return "correct"
    return "wrong minimum" if out["converged"] else "not converged"
