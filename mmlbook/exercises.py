"""Self-checking exercises: the course's graded assignments, made open.

Each ``check_*`` function takes *your* implementation, with the same
signature as the ``mmlbook`` function of the same name, runs it on several
cases and prints, for each case, whether it passed or what went wrong (an
exception, a wrong shape, a wrong value and where) without printing the
answer. It returns ``True`` when every case passes.

>>> from mmlbook.exercises import check_covariance
>>> def covariance(X):
...     X = np.asarray(X, dtype=float)
...     Xc = X - X.mean(axis=0)
...     return Xc.T @ Xc / len(X)
>>> check_covariance(covariance)  # doctest: +SKIP
[pass] a 5 x 2 data set
...
True

The expected answers come from the book's own code in ``mmlbook``, which the
package's tests check against numpy, scipy, scikit-learn and networkx.
"""

from __future__ import annotations

import traceback
from dataclasses import dataclass
from typing import Any, Callable

import numpy as np

from mmlbook._validation import as_result

__all__ = [
    "check_angle",
    "check_backprop",
    "check_covariance",
    "check_fit_nonlinear",
    "check_gram_schmidt",
    "check_hybrid_step",
    "check_is_singular",
    "check_newton_raphson",
    "check_pagerank",
    "check_PCA",
    "check_projection_matrix",
    "check_reflection_matrix",
    "check_steepest_descent",
]
__all__ += ["check_pca_gram", "check_principal_projection"]


@dataclass
class Case:
    """One test case: a description, how to run the learner's code, and the answer."""

    description: str
    run: Callable[[Callable], Any]
    expected: Any
    rtol: float = 1e-6
    atol: float = 1e-8


def _mismatch(got: Any, expected: Any, rtol: float, atol: float) -> str | None:
    """Describe how ``got`` differs from ``expected``, without revealing ``expected``."""
    if isinstance(expected, (bool, np.bool_)):
        if not isinstance(got, (bool, np.bool_)):
            return f"expected True or False, got {type(got).__name__}"
        return None if bool(got) == bool(expected) else "wrong answer"
    if isinstance(expected, (list, tuple)) and expected and isinstance(expected[0], tuple):
        # A list of (W, b) gradients, one pair per layer.
        if not isinstance(got, (list, tuple)) or len(got) != len(expected):
            return f"expected {len(expected)} layers of gradients, got {_describe(got)}"
        for layer, (g_pair, e_pair) in enumerate(zip(got, expected)):
            for part, g, e in zip(("W", "b"), g_pair, e_pair):
                problem = _mismatch(g, e, rtol, atol)
                if problem:
                    return f"layer {layer}, gradient of {part}: {problem}"
        return None
    try:
        with np.errstate(all="ignore"):
            raw = np.asarray(got)
            if raw.dtype.kind == "c" or (raw.dtype == object and any(
                    isinstance(v, (complex, np.complexfloating)) for v in raw.flat)):
                return "expected real numbers, got complex values"
            if raw.dtype.kind in "SUV":
                return f"expected an array of numbers, got {_describe(got)}"
            got_array = np.asarray(raw, dtype=float)
    except OverflowError:
        return "the result holds a number beyond the float range"
    except Exception:  # whatever the learner returned, it is not an array of numbers
        return f"expected an array of numbers, got {_describe(got)}"
    expected = np.asarray(expected, dtype=float)
    if got_array.shape != expected.shape:
        return f"wrong shape: expected {expected.shape}, got {got_array.shape}"
    if not np.all(np.isfinite(got_array)):
        return "the result contains NaN or infinity"
    close = np.isclose(got_array, expected, rtol=rtol, atol=atol)
    if close.all():
        return None
    wrong = np.argwhere(~close)
    where = tuple(int(i) for i in wrong[0]) if got_array.ndim else ()
    return (f"wrong value{'s' if len(wrong) > 1 else ''}: {len(wrong)} of {close.size} "
            f"entries differ, first at index {where}")


def _describe(value: Any) -> str:
    try:
        shape = getattr(value, "shape", None)
    except Exception:
        shape = None
    return f"{type(value).__name__} with shape {shape}" if shape is not None else type(value).__name__


def _run_cases(title: str, function: Any, cases: list[Case]) -> bool:
    """Run every case on ``function``, print a line per case, return whether all passed."""
    if not callable(function):
        print(f"[fail] {title}: expected a function or class, got {type(function).__name__}")
        return False
    passed = 0
    for case in cases:
        try:
            got = case.run(function)
        except Exception as exc:  # the learner's code raised: report it, never crash
            frame = traceback.extract_tb(exc.__traceback__)[-1]
            try:
                text = str(exc)
            except Exception:
                text = "(no message)"
            print(f"[fail] {case.description}: your code raised {type(exc).__name__}: {text} "
                  f"(line {frame.lineno}, in {frame.name})")
            continue
        try:
            problem = _mismatch(got, case.expected, case.rtol, case.atol)
        except Exception as exc:  # a result that breaks the comparison is a wrong result
            problem = f"the result could not be compared ({type(exc).__name__})"
        if problem:
            print(f"[fail] {case.description}: {problem}")
        else:
            print(f"[pass] {case.description}")
            passed += 1
    ok = passed == len(cases)
    print(f"{title}: {passed} of {len(cases)} cases passed" + (" - well done!" if ok else ""))
    return ok


def _rng(seed: int) -> np.random.Generator:
    return np.random.default_rng(seed)


# --- Linear algebra ------------------------------------------------------------------


def check_is_singular(is_singular: Callable) -> bool:
    """Check ``is_singular(A)``, which returns True if the square matrix A has no inverse."""
    from mmlbook.linalg import is_singular as reference

    matrices = {
        "the 4 x 4 identity": np.eye(4),
        "a 4 x 4 matrix whose first pivot is zero (needs a row swap)":
            np.array([[0, 7, -5, 3], [2, 8, 0, 4], [3, 12, 0, 5], [1, 3, 1, 3]], float),
        "a 4 x 4 matrix with two equal rows":
            np.array([[2, 0, 0, 0], [0, 3, 0, 0], [0, 0, 4, 4], [0, 0, 4, 4]], float),
        "a 4 x 4 matrix whose last row is the sum of the others":
            np.array([[1, 2, 3, 4], [0, 1, 1, 0], [2, 0, 1, 1], [3, 3, 5, 5]], float),
        "a random 4 x 4 matrix": _rng(1).normal(size=(4, 4)),
        "a 4 x 4 matrix with a zero column":
            np.array([[1, 0, 2, 3], [4, 0, 5, 6], [7, 0, 8, 10], [1, 0, 1, 1]], float),
    }
    cases = [Case(name, lambda f, A=A: f(A.copy()), bool(reference(A)))
             for name, A in matrices.items()]
    return _run_cases("is_singular", is_singular, cases)


def check_gram_schmidt(gram_schmidt: Callable) -> bool:
    """Check ``gram_schmidt(A)``: orthonormal columns in A's order, zero for dependent ones."""
    from mmlbook.linalg import gram_schmidt as reference

    matrices = {
        "a 3 x 3 matrix of independent columns":
            np.array([[1, 1, 0], [1, 0, 1], [0, 1, 1]], float),
        "a random 5 x 5 matrix": _rng(2).normal(size=(5, 5)),
        "a 4 x 4 matrix whose third column is a combination of the first two":
            np.array([[1, 0, 1, 2], [2, 1, 3, 0], [0, 1, 1, 1], [1, 1, 2, 5]], float),
        "a 4 x 3 matrix (more rows than columns)": _rng(3).normal(size=(4, 3)),
        "a 3 x 4 matrix (more columns than the space has dimensions)": _rng(4).normal(size=(3, 4)),
    }
    cases = [Case(name, lambda f, A=A: f(A.copy()), reference(A)) for name, A in matrices.items()]
    return _run_cases("gram_schmidt", gram_schmidt, cases)


def check_reflection_matrix(reflection_matrix: Callable) -> bool:
    """Check ``reflection_matrix(basis)``: reflect in the span of all but the last column."""
    from mmlbook.linalg import reflection_matrix as reference

    bases = {
        "the standard basis of 3-D space": np.eye(3),
        "a non-orthonormal basis of 3-D space":
            np.array([[1, 2, 0], [0, 1, 1], [1, 0, 3]], float).T,
        "a non-orthonormal basis of the plane": np.array([[2, 1], [1, 3]], float).T,
        "a random basis of 4-D space": _rng(5).normal(size=(4, 4)),
    }
    cases = [Case(name, lambda f, B=B: f(B.copy()), reference(B)) for name, B in bases.items()]
    return _run_cases("reflection_matrix", reflection_matrix, cases)


def check_pagerank(pagerank: Callable) -> bool:
    """Check ``pagerank(adjacency, damping)``: ranks that sum to 1."""
    from mmlbook.linalg import pagerank as reference
    from mmlbook.linalg import random_internet

    micro = np.array([[0, 1, 1, 0, 0, 0], [1, 0, 0, 1, 1, 0], [1, 0, 0, 0, 0, 1],
                      [0, 1, 0, 0, 1, 1], [0, 0, 0, 1, 0, 1], [1, 0, 0, 1, 0, 0]])
    trap = np.zeros((7, 7), int)
    trap[:6, :6] = micro
    trap[1, 6] = trap[6, 6] = 1
    dangling = np.array([[0, 1, 1], [0, 0, 1], [0, 0, 0]])
    networks = [
        ("the six-page micro-internet, no damping", micro, 1.0),
        ("the six-page micro-internet, damping 0.85", micro, 0.85),
        ("a page that links only to itself, damping 0.85", trap, 0.85),
        ("a page with no links out, damping 0.85", dangling, 0.85),
        ("a generated internet of 50 pages, damping 0.9", random_internet(50, rng=9), 0.9),
    ]
    cases = [Case(name, lambda f, A=A, d=d: f(A.copy(), d), reference(A, d), rtol=1e-5, atol=1e-6)
             for name, A, d in networks]
    return _run_cases("pagerank", pagerank, cases)


# --- Calculus -------------------------------------------------------------------------


def _solution(result: Any) -> Any:
    """The answer of an iterative method: a result's ``x``, or the value itself."""
    return getattr(result, "x", result)


def check_newton_raphson(newton_raphson: Callable) -> bool:
    """Check ``newton_raphson(f, df, x0)`` finds the root that Newton's steps lead to."""
    from mmlbook.calculus import newton_raphson as reference

    problems = [
        ("x^2 - 2 from x0 = 1", lambda x: x**2 - 2, lambda x: 2 * x, 1.0),
        ("cos(x) - x from x0 = 0.5", lambda x: np.cos(x) - x, lambda x: -np.sin(x) - 1, 0.5),
        ("x^3 - 2x - 5 from x0 = 2", lambda x: x**3 - 2 * x - 5, lambda x: 3 * x**2 - 2, 2.0),
        ("a sixth-degree polynomial from x0 = 1.99",
         lambda x: x**6 / 6 - 3 * x**4 - 2 * x**3 / 3 + 27 * x**2 / 2 + 18 * x - 30,
         lambda x: x**5 - 12 * x**3 - 2 * x**2 + 27 * x + 18, 1.99),
    ]
    cases = [Case(name, lambda fn, f=f, df=df, x0=x0: _solution(fn(f, df, x0)),
                  _solution(reference(f, df, x0)), rtol=1e-7, atol=1e-9)
             for name, f, df, x0 in problems]
    return _run_cases("newton_raphson", newton_raphson, cases)


def check_backprop(backprop: Callable) -> bool:
    """Check ``backprop(network, X, Y)``: the gradients of the cost, layer by layer."""
    from mmlbook.calculus.neural_network import backprop as reference
    from mmlbook.calculus.neural_network import init_network

    shapes = [
        ("a 1-6-7-2 network (the heart)", [1, 6, 7, 2], 20),
        ("a 3-4-1 network", [3, 4, 1], 8),
        ("a 2-2 network with a single layer", [2, 2], 5),
    ]
    cases = []
    for seed, (name, sizes, n) in enumerate(shapes):
        rng = _rng(10 + seed)
        network = init_network(sizes, rng=rng)
        X = rng.random((n, sizes[0]))
        Y = rng.random((n, sizes[-1]))
        cases.append(Case(name, lambda f, net=network, X=X, Y=Y: _gradients(f, net, X, Y),
                          _gradients(reference, network, X, Y), rtol=1e-6, atol=1e-9))
    return _run_cases("backprop", backprop, cases)


def _gradients(backprop: Callable, network: list, X: np.ndarray, Y: np.ndarray) -> list:
    """Run ``backprop`` on a copy of the network (so a learner's in-place update is harmless)."""
    copy = [(W.copy(), b.copy()) for W, b in network]
    return [tuple(layer) for layer in backprop(copy, X, Y)]


def check_fit_nonlinear(fit_nonlinear: Callable) -> bool:
    """Check ``fit_nonlinear(model, x, y, p0)`` finds the least-squares parameters."""
    from mmlbook.calculus import fit_nonlinear as reference

    rng = _rng(20)
    x = np.linspace(0, 4, 40)

    def decay(x, p):
        return p[0] * np.exp(-p[1] * x)

    def gaussian(x, p):
        return p[0] * np.exp(-((x - p[1]) ** 2) / (2 * p[2] ** 2))

    y_decay = decay(x, [2.5, 1.3]) + 0.02 * rng.normal(size=x.size)
    y_gauss = gaussian(x, [1.0, 2.0, 0.6]) + 0.01 * rng.normal(size=x.size)
    problems = [
        ("exponential decay from a near start", decay, y_decay, np.array([2.0, 1.0])),
        ("exponential decay from a far start", decay, y_decay, np.array([0.5, 0.2])),
        ("a Gaussian peak", gaussian, y_gauss, np.array([0.8, 1.7, 0.8])),
    ]
    cases = [Case(name, lambda f, m=m, y=y, p0=p0: _solution(f(m, x, y, p0.copy())),
                  _solution(reference(m, x, y, p0)), rtol=1e-4, atol=1e-6)
             for name, m, y, p0 in problems]
    return _run_cases("fit_nonlinear", fit_nonlinear, cases)


def check_hybrid_step(hybrid_step: Callable) -> bool:
    """Check ``hybrid_step(g, H, step, max_length)``: Newton in a bowl, a bounded gradient step elsewhere."""
    from mmlbook.calculus import hybrid_step as reference

    M = _rng(30).normal(size=(3, 3))
    problems = [
        ("a bowl (positive definite Hessian)", [2.0, -1.0], [[3.0, 1.0], [1.0, 2.0]], 0.1, 1.0),
        ("a bowl in three dimensions", [1.0, -2.0, 0.5], M @ M.T + np.eye(3), 0.1, 1.0),
        ("a saddle with a small gradient", [0.5, -0.2], [[2.0, 0.0], [0.0, -1.0]], 0.1, 1.0),
        ("a saddle with a large gradient (the bound applies)", [30.0, -40.0], [[-1.0, 0.0], [0.0, 3.0]],
         0.1, 0.5),
        ("a singular Hessian", [1.0, 2.0], [[1.0, 1.0], [1.0, 1.0]], 0.2, 1.0),
        ("near a maximum (negative definite Hessian)", [3.0, 1.0], [[-2.0, 0.0], [0.0, -2.0]], 0.2, 2.0),
    ]
    cases = [Case(name, lambda f, g=np.array(g), H=np.array(H), s=s, ell=ell: f(g.copy(), H.copy(), s, ell),
                  reference(g, H, s, ell), rtol=1e-8, atol=1e-12)
             for name, g, H, s, ell in problems]
    return _run_cases("hybrid_step", hybrid_step, cases)


def check_steepest_descent(steepest_descent: Callable) -> bool:
    """Check ``steepest_descent(x, y, p0, step, n_steps)``: a normal density fitted by steepest descent."""
    from mmlbook.calculus import load_heights
    from mmlbook.calculus import steepest_descent as reference

    heights = load_heights()
    bins = np.arange(140.5, 203, 2.54)
    histograms = {}
    for who, gender in (("sons", "male"), ("daughters", "female")):
        density, edges = np.histogram(heights.height[heights.gender == gender], bins=bins, density=True)
        histograms[who] = (0.5 * (edges[1:] + edges[:-1]), density)
    xs = np.linspace(-4.0, 4.0, 33)
    histograms["a standard normal"] = (xs, np.exp(-xs**2 / 2) / np.sqrt(2 * np.pi))
    problems = [
        ("one step on the sons' histogram (the partial derivatives)", "sons", [160.0, 4.0], 1000.0, 1),
        ("one step on a standard normal, sigma too large", "a standard normal", [0.5, 1.8], 2.0, 1),
        ("300 steps on the sons' histogram", "sons", [160.0, 4.0], 1000.0, 300),
        ("300 steps on the daughters' histogram", "daughters", [150.0, 10.0], 1000.0, 300),
    ]
    cases = []
    for name, who, p0, step, n in problems:
        x, y = histograms[who]
        cases.append(Case(name, lambda f, x=x, y=y, p0=np.array(p0), s=step, n=n:
                          _solution(f(x.copy(), y.copy(), p0.copy(), step=s, n_steps=n)),
                          _solution(reference(x, y, p0, step=step, n_steps=n)), rtol=1e-8, atol=1e-10))
    return _run_cases("steepest_descent", steepest_descent, cases)


# --- PCA ------------------------------------------------------------------------------


def check_covariance(covariance: Callable) -> bool:
    """Check ``covariance(X)`` for an (N, D) data matrix, divided by N."""
    from mmlbook.pca import covariance as reference

    data = {
        "a 5 x 2 data set": np.array([[1, 2], [3, 1], [0, 0], [4, 5], [2, 2]], float),
        "a random 100 x 4 data set": _rng(30).normal(size=(100, 4)),
        "a single feature (100 x 1)": _rng(31).normal(size=(100, 1)),
        "one sample (1 x 3)": np.array([[1.0, 2.0, 3.0]]),
    }
    cases = [Case(name, lambda f, X=X: f(X.copy()), reference(X)) for name, X in data.items()]
    return _run_cases("covariance", covariance, cases)


def check_angle(angle: Callable) -> bool:
    """Check ``angle(x, y, A=None)``, in radians, under the inner product x^T A y."""
    from mmlbook.pca import angle as reference

    A = np.array([[2.0, -1.0], [-1.0, 4.0]])
    pairs = [
        ("perpendicular vectors, dot product", [1.0, 0.0], [0.0, 1.0], None),
        ("vectors at 45 degrees, dot product", [1.0, 0.0], [1.0, 1.0], None),
        ("opposite vectors", [1.0, 2.0], [-2.0, -4.0], None),
        ("the inner product x^T A y", [1.0, 1.0], [-1.0, 1.0], A),
        ("five-dimensional vectors", list(_rng(32).normal(size=5)), list(_rng(33).normal(size=5)), None),
    ]
    cases = [Case(name, (lambda f, x=x, y=y: f(np.array(x), np.array(y))) if A_ is None else
                  (lambda f, x=x, y=y, A_=A_: f(np.array(x), np.array(y), A_)),
                  reference(np.array(x), np.array(y), A_))
             for name, x, y, A_ in pairs]
    return _run_cases("angle", angle, cases)


def check_projection_matrix(projection_matrix: Callable) -> bool:
    """Check ``projection_matrix(B)`` for a line (a vector) or a subspace (columns of B)."""
    from mmlbook.pca import projection_matrix as reference

    bases = {
        "a line in the plane": np.array([1.0, 2.0]),
        "a line in 3-D space": np.array([2.0, -1.0, 2.0]),
        "a plane in 3-D space": np.array([[1.0, 0.0], [1.0, 1.0], [1.0, 2.0]]),
        "a 3-D subspace of 6-D space": _rng(34).normal(size=(6, 3)),
    }
    cases = [Case(name, lambda f, B=B: f(B.copy()), reference(B)) for name, B in bases.items()]
    return _run_cases("projection_matrix", projection_matrix, cases)


def check_PCA(PCA: Any) -> bool:  # noqa: N802 - the name of the class it checks
    """Check a ``PCA(n_components)`` class: its reconstructions and explained variance."""
    from mmlbook.pca import PCA as Reference

    rng = _rng(35)
    low_rank = rng.normal(size=(60, 3)) @ rng.normal(size=(3, 8)) + 0.1 * rng.normal(size=(60, 8))
    wide = rng.normal(size=(10, 30))
    problems = [("60 samples in 8 dimensions, 2 components", low_rank, 2),
                ("60 samples in 8 dimensions, 5 components", low_rank, 5),
                ("10 samples in 30 dimensions (N < D), 4 components", wide, 4)]
    cases = []
    for name, X, m in problems:
        ref = Reference(m).fit(X)
        cases.append(Case(f"{name}: reconstruction",
                          lambda C, X=X, m=m: _reconstruct(C(m).fit(X), X),
                          ref.inverse_transform(ref.transform(X))))
        cases.append(Case(f"{name}: explained variance ratio",
                          lambda C, X=X, m=m: C(m).fit(X).explained_variance_ratio_,
                          ref.explained_variance_ratio_))
    # New data must be centred with the mean of the data PCA was fitted on, not its own.
    X_new = rng.normal(size=(15, 3)) @ rng.normal(size=(3, 8)) + 3.0
    ref = Reference(2).fit(low_rank)
    cases.append(Case("15 held-out samples with a shifted mean, 2 components: reconstruction",
                      lambda C: _reconstruct(C(2).fit(low_rank), X_new),
                      ref.inverse_transform(ref.transform(X_new))))
    return _run_cases("PCA", PCA, cases)


def _reconstruct(model: Any, X: np.ndarray) -> np.ndarray:
    return model.inverse_transform(model.transform(X))


# --- Linear algebra: Householder QR (appended) ----------------------------------------


def check_householder_qr(householder_qr: Callable) -> bool:
    """Check ``householder_qr(A)``: orthonormal Q, upper triangular R, and A = QR.

    Your function should return the pair ``(Q, R)``, either reduced (Q of
    shape (m, n), R of shape (n, n)) or complete (Q of shape (m, m), R of
    shape (m, n)). Every test matrix has independent columns, so Q and R are
    unique up to the sign of each column of Q (and the same row of R).
    """
    from mmlbook.linalg import householder_qr as reference

    hilbert = 1.0 / (np.arange(1, 9)[:, None] + np.arange(8))
    matrices = {
        "a 2 x 2 matrix": np.array([[3.0, 1.0], [4.0, 2.0]]),
        "a 3 x 3 matrix whose first column is already along the first axis":
            np.array([[2.0, 1.0, 0.0], [0.0, 3.0, 1.0], [0.0, 4.0, 5.0]]),
        "a 3 x 3 matrix whose first column points against the first axis":
            np.array([[-2.0, 1.0, 1.0], [0.0, 1.0, 2.0], [1.0, 0.0, 1.0]]),
        "a random 5 x 5 matrix": _rng(40).normal(size=(5, 5)),
        "a 6 x 3 matrix (more rows than columns)": _rng(41).normal(size=(6, 3)),
        "the 8 x 8 Hilbert matrix (nearly dependent columns)": hilbert,
    }
    if not callable(householder_qr):
        print(f"[fail] householder_qr: expected a function, got {type(householder_qr).__name__}")
        return False
    passed = 0
    for name, A in matrices.items():
        try:
            got = householder_qr(A.copy())
        except Exception as exc:  # the learner's code raised: report it, never crash
            frame = traceback.extract_tb(exc.__traceback__)[-1]
            print(f"[fail] {name}: your code raised {type(exc).__name__}: {exc} "
                  f"(line {frame.lineno}, in {frame.name})")
            continue
        problem = _qr_problem(got, A, reference(A))
        if problem:
            print(f"[fail] {name}: {problem}")
        else:
            print(f"[pass] {name}")
            passed += 1
    ok = passed == len(matrices)
    print(f"householder_qr: {passed} of {len(matrices)} cases passed" + (" - well done!" if ok else ""))
    return ok


def _qr_problem(got: Any, A: np.ndarray, expected: tuple[np.ndarray, np.ndarray]) -> str | None:
    """What is wrong with a learner's ``(Q, R)`` for ``A``, without revealing the answer."""
    m, n = A.shape
    if not isinstance(got, (tuple, list)) or len(got) != 2:
        return f"expected a pair (Q, R), got {_describe(got)}"
    try:  # real numbers within float range (complex, huge integers, strings are a fail, not a crash)
        Q, R = (as_result(part, "householder_qr", finite=False) for part in got)
    except ValueError as exc:
        return f"expected Q and R to be arrays of real numbers ({exc})"
    if Q.shape == (m, m) and R.shape == (m, n) and m > n:
        if not np.all(np.isfinite(R)) or np.abs(R[n:]).max() > 1e-10 * np.abs(A).max():
            return "the rows of the complete R below row n must be zero"
        Q, R = Q[:, :n], R[:n]                       # the complete form, reduced
    k = min(m, n)
    if Q.shape != (m, k) or R.shape != (k, n):
        return (f"wrong shapes: expected Q {(m, k)} and R {(k, n)}, "
                f"got Q {Q.shape} and R {R.shape}")
    if not (np.all(np.isfinite(Q)) and np.all(np.isfinite(R))):
        return "the result contains NaN or infinity"
    scale = np.abs(A).max()
    if np.abs(np.tril(R, -1)).max(initial=0.0) > 1e-10 * scale:
        return "R is not upper triangular"
    loss = np.abs(Q.T @ Q - np.eye(k)).max()
    if loss > 1e-10:
        return f"the columns of Q are not orthonormal: Q^T Q differs from I by up to {loss:.0e}"
    if not np.allclose(Q @ R, A, rtol=1e-8, atol=1e-10 * scale):
        return "Q R is not equal to A"
    # A has independent columns: Q R is unique once the diagonal of R is made positive.
    ours, theirs = _positive_diagonal(Q, R), _positive_diagonal(*expected)
    for part, g, e in zip(("Q", "R"), ours, theirs):
        problem = _mismatch(g, e, 1e-6, 1e-8)
        if problem:
            return f"{part}, even allowing for the sign of each column: {problem}"
    return None


def _positive_diagonal(Q: np.ndarray, R: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    s = np.where(np.diag(R) < 0, -1.0, 1.0)
    return Q * s, R * s[:, None]


__all__ += ["check_householder_qr"]


def _principal_data() -> dict[str, tuple[np.ndarray, int]]:
    """Data sets for the week-4 graders: (X, M) by description."""
    rng = _rng(36)
    low_rank = rng.normal(size=(40, 3)) @ rng.normal(size=(3, 10)) + 0.05 * rng.normal(size=(40, 10))
    return {
        "40 samples in 10 dimensions, far from the origin, 2 components": (low_rank + 5.0, 2),
        "40 samples in 10 dimensions, 3 components": (low_rank, 3),
        "12 samples in 50 dimensions (N < D), 4 components": (rng.normal(size=(12, 50)), 4),
        "12 samples in 50 dimensions, all 11 components with variance":
            (rng.normal(size=(12, 50)) * 2.0 - 1.0, 11),
    }


def check_principal_projection(principal_projection: Callable) -> bool:
    r"""Check ``principal_projection(X, M)``: every sample projected onto the principal subspace.

    The answer is
    :math:`\tilde X = \mathbf 1\boldsymbol\mu^\top + (X - \mathbf 1\boldsymbol\mu^\top) B B^\top`,
    shape (N, D), with B the D x M matrix of the M principal components.
    """
    from mmlbook.pca import PCA as Reference

    cases = []
    for name, (X, M) in _principal_data().items():
        ref = Reference(M).fit(X)
        cases.append(Case(name, lambda f, X=X, M=M: f(X.copy(), M),
                          ref.inverse_transform(ref.transform(X)), rtol=1e-6, atol=1e-8))
    return _run_cases("principal_projection", principal_projection, cases)


def check_pca_gram(pca_gram: Callable) -> bool:
    """Check ``pca_gram(Xc, M)`` (the N x N route): the M largest eigenvalues and components.

    Like ``mmlbook.pca.pca_gram`` it returns ``(eigenvalues, B)``, eigenvalues of the
    covariance (divided by N) in decreasing order and B with M orthonormal columns. A
    column may have either sign: each is compared after matching its sign to the answer.
    """
    from mmlbook.pca import pca_svd as reference

    cases = []
    for name, (X, M) in _principal_data().items():
        if X.shape[0] >= X.shape[1]:
            continue  # the Gram route is for N < D
        Xc = X - X.mean(axis=0)
        values, B = reference(Xc, M)
        cases.append(Case(f"{name}: eigenvalues", lambda f, Xc=Xc, M=M: f(Xc.copy(), M)[0], values))
        cases.append(Case(f"{name}: components (up to sign)",
                          lambda f, Xc=Xc, M=M, B=B: _match_signs(f(Xc.copy(), M)[1], B), B,
                          rtol=1e-6, atol=1e-7))
    N, D = 8, 30
    Xc = _rng(37).normal(size=(N, D))
    Xc -= Xc.mean(axis=0)
    values, B = reference(Xc, 3)
    cases.append(Case("8 samples in 30 dimensions: components have length 1",
                      lambda f: np.linalg.norm(np.asarray(f(Xc.copy(), 3)[1], dtype=float), axis=0),
                      np.ones(3)))
    return _run_cases("pca_gram", pca_gram, cases)


def _match_signs(got: Any, expected: np.ndarray) -> Any:
    """Flip the columns of ``got`` to the signs of ``expected`` (if shapes allow)."""
    try:
        got = np.array(got, dtype=float)
    except (TypeError, ValueError):
        return got
    if got.shape != expected.shape:
        return got
    signs = np.sign(np.sum(got * expected, axis=0))
    signs[signs == 0] = 1.0
    return got * signs
