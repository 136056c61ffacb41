"""Bad input, extreme values and faults: a clear error or a right answer from every public callable.

The suite enumerates mmlbook's public API itself (see :func:`public_api`): every
name in the ``__all__`` of mmlbook and of each of its public modules (a module
without ``__all__`` contributes its public functions and classes), the public
methods of public classes, minus exception classes and the book-building
helpers in ``EXCLUDED``. Each callable is called with one argument at a time
replaced by a bad or extreme value, every other argument valid, and must

* raise ``ValueError`` or ``TypeError`` whose message names the argument (for a
  callback: the callback's name), or, for an extreme but legal value, a
  documented ``numpy.linalg.LinAlgError`` / ``ConvergenceError`` subclass; or
* return a finite answer;
* let no warning escape, and return within ``TIME_LIMIT`` seconds.

The graders in :mod:`mmlbook.exercises` are called with learner code that
misbehaves (returns complex, huge, non-finite, wrongly shaped values, strings,
raises...): they must return ``False`` without raising.

**Adding a public callable.** A public callable without an entry in ``VALID``
fails ``test_every_public_callable_has_valid_arguments``. Add one line: the
key is ``"<subpackage>.<name>"`` (``"<subpackage>.<Class>.<method>"`` for a
method), the value a ``dict`` of *valid* keyword arguments; every argument you
list is fuzzed, arguments you leave out keep their defaults. For example::

    "linalg.rref": dict(A=[[1.0, 2.0], [3.0, 4.0]], tol=1e-12),
    "calculus.Value": dict(data=1.5),          # a class: its public methods need METHODS entries too
    "exercises.check_rref": dict(rref=mmlbook.linalg.rref),   # a grader: the reference solution

Give floats as floats (``1.0``) and integers as ints: the type of the valid
value picks the bad values tried. ``AX`` stands for a fresh matplotlib axes and
``Fresh(factory)`` for a value built anew for each call. Methods of public
classes (``"pca.PCA.fit"``) and callables that public functions return go in
``METHODS`` as ``key: (factory of the instance or callable, kwargs)``.
**Estimators.** A scikit-learn estimator validates its parameters in ``fit``,
not in ``__init__`` (``PCA(n_components="x")`` constructs). A class listed in
``CHECKED_AT_FIT``, ``key: valid fit arguments``, is called as
``Class(**params).fit(**fit_args)``, so each corrupted constructor argument
must be rejected by ``fit``, naming it.

**Infinity as a value.** An argument documented to take ``numpy.inf`` (``max_length``: no bound) is
listed in ``INFINITY_ALLOWED``; for it, infinity must give a finite answer or a named error.

The subpackage in a key is the first one under ``mmlbook`` whose module exports
the name (``mmlbook.calculus.autodiff.Value`` is ``"calculus.Value"``); the
failing test prints the exact keys it wants.

``python -m benchmarks.bad_input_census`` prints the case counts per outcome and
per pattern of issue 17.
"""

from __future__ import annotations

import contextlib
import importlib
import inspect
import io
import math
import pkgutil
import signal
import traceback
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import numpy as np
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

import mmlbook
from mmlbook import calculus as calc
from mmlbook import exercises
from mmlbook import linalg as la
from mmlbook import pca as pc
from mmlbook.calculus import ZeroDerivativeError
from mmlbook.exceptions import ConvergenceError

TIME_LIMIT = 10.0  # seconds per call: generous, for a loaded CI machine; a hang is far longer

#: Errors a computation may document for a legal but extreme input (lenient cases only).
DOCUMENTED = (np.linalg.LinAlgError, ConvergenceError, ZeroDerivativeError)

#: Result fields documented to be infinite or NaN in degenerate cases (fit_nonlinear's unidentifiable parameters).
DOCUMENTED_NONFINITE = {"stderr", "cov"}

#: Modules that are book-building helpers (figures, showing source, slider figures rendered at build
#: time), not part of the fuzzed API: their callbacks draw or return text, not numbers.
EXCLUDED = {"mmlbook.plotting", "mmlbook.display", "mmlbook.interactive", "mmlbook.questions"}


class _AxesToken:
    def __repr__(self):
        return "AX"


AX = _AxesToken()


@dataclass(frozen=True)
class Fresh:
    """A value built anew for each call (mutable inputs, objects)."""

    factory: Callable[[], Any]

    def __repr__(self):
        return "Fresh(...)"


def _decay(x, p):
    return p[0] * np.exp(-p[1] * np.asarray(x))


_X3 = [[1.0, 2.0], [3.0, 6.0], [0.0, 1.0], [2.0, 2.5]]
_XC = (np.array(_X3) - np.mean(_X3, axis=0)).tolist()
_A = [[2.0, 1.0], [1.0, 3.0]]
_T = [[1.0, 1.0], [0.0, 1.0]]
_X_FIT = np.linspace(0.0, 4.0, 12)
_Y_FIT = _decay(_X_FIT, [2.5, 1.3]) + 0.01 * np.cos(7 * _X_FIT)


def _net():
    return calc.init_network([2, 3, 1], rng=0)


def _sq(x):
    return float(np.dot(x, x))


def _grad(x):
    return 2.0 * np.asarray(x)


def _hess(x):
    return 2.0 * np.eye(2)


def _square_minus_2(x):
    return x * x - 2.0


def _twice(x):
    return 2.0 * x


def _jac_f(x):
    return np.array([x[0] * x[1], x[0] + x[1]])


def _constraint(x):
    return np.array([x[0] + x[1] - 1.0])


def _idx_bytes():
    return bytes([0, 0, 0x08, 1]) + (3).to_bytes(4, "big") + bytes([7, 8, 9])


# One line per public callable: valid keyword arguments (see the module docstring).
VALID: dict[str, dict[str, Any]] = {
    # --- linear algebra
    "linalg.link_matrix": dict(adjacency=[[0.0, 1.0, 1.0], [1.0, 0.0, 0.0], [1.0, 1.0, 0.0]]),
    "linalg.pagerank": dict(adjacency=[[0.0, 1.0, 1.0], [1.0, 0.0, 0.0], [1.0, 1.0, 0.0]], damping=0.85,
                            tol=1e-10, max_iter=1000),
    "linalg.power_iteration": dict(M=_A, x0=[1.0, 0.0], tol=1e-10, max_iter=1000),
    "linalg.random_internet": dict(n=6, links_per_page=2.0, rng=0),
    "linalg.angle_between": dict(r=[1.0, 2.0], s=[3.0, -1.0]),
    "linalg.back_substitution": dict(U=[[2.0, 1.0], [0.0, 3.0]], y=[1.0, 2.0]),
    "linalg.change_basis": dict(v=[1.0, 2.0], basis=[[1.0, 1.0], [1.0, -1.0]]),
    "linalg.determinant": dict(A=_A),
    "linalg.draw_basis": dict(ax=AX, T=_T),
    "linalg.draw_grid": dict(ax=AX, T=_T, lim=2.0, step=1.0, lw=0.8),
    "linalg.house": dict(),
    "linalg.inverse": dict(A=_A, tol=1e-12),
    "linalg.is_linearly_independent": dict(vectors=[[1.0, 0.0], [1.0, 1.0]], tol=1e-12),
    "linalg.is_orthogonal_basis": dict(basis=[[1.0, 1.0], [1.0, -1.0]], tol=1e-10),
    "linalg.is_singular": dict(A=_A, tol=1e-12),
    "linalg.modulus": dict(r=[3.0, 4.0]),
    "linalg.rank": dict(A=[[1.0, 2.0], [2.0, 4.0], [0.0, 1.0]], tol=1e-12),
    "linalg.reflection_2d": dict(axis_angle=0.3),
    "linalg.rotation": dict(theta=0.3),
    "linalg.row_echelon": dict(A=_A, tol=1e-12),
    "linalg.scalar_projection": dict(r=[3.0, 4.0], s=[1.0, 1.0]),
    "linalg.shear": dict(k=0.5, axis="x"),
    "linalg.solve": dict(A=_A, b=[1.0, 2.0], tol=1e-12),
    "linalg.stretch": dict(sx=2.0, sy=0.5),
    "linalg.transform_points": dict(T=_T, points=[[0.0, 0.0], [1.0, 2.0], [3.0, 1.0]]),
    "linalg.vector_projection": dict(r=[3.0, 4.0], s=[1.0, 1.0]),
    "linalg.apply_to_polygons": dict(T=[[0.0, -1.0], [1.0, 0.0]], polygons=[[[1.0, 0.0], [0.0, 2.0]]]),
    "linalg.characteristic_polynomial": dict(A=_A),
    "linalg.diagonalise": dict(A=_A, cond_max=1e10),
    "linalg.dimensions": dict(A=[[1.0, 2.0], [2.0, 4.0], [0.0, 1.0]], tol=1e-12),
    "linalg.drawing": dict(),
    "linalg.gram_schmidt": dict(A=[[1.0, 1.0], [0.0, 1.0]], tol=1e-12),
    "linalg.is_orthogonal": dict(A=[[0.0, -1.0], [1.0, 0.0]], tol=1e-10),
    "linalg.matmul_einsum": dict(A=_A, B=_T),
    "linalg.matrix_power": dict(A=_A, k=3),
    "linalg.reflection_matrix": dict(basis=[[1.0, 1.0], [0.0, 1.0]]),
    "linalg.transform_in_basis": dict(T=_A, B=_T),
    "linalg.rref": dict(A=[[1.0, 2.0, 1.0], [2.0, 4.0, 0.0]], tol=1e-10),
    "linalg.null_space": dict(A=[[1.0, 2.0, 1.0], [2.0, 4.0, 0.0]], tol=1e-10),
    "linalg.column_space": dict(A=[[1.0, 2.0, 1.0], [2.0, 4.0, 0.0]], tol=1e-10),
    "linalg.solution_set": dict(A=[[1.0, 2.0], [2.0, 4.0]], b=[3.0, 6.0], tol=1e-10),
    "linalg.definiteness": dict(A=_A, tol=1e-10),
    "linalg.spectral_decomposition": dict(A=_A),
    "linalg.householder_qr": dict(A=[[3.0, 1.0], [4.0, 2.0], [0.0, 1.0]]),
    "linalg.matrix_power_squaring": dict(A=_A, k=5),
    "linalg.squaring_products": dict(k=5),
    "linalg.svd": dict(A=[[3.0, 1.0], [4.0, 2.0], [0.0, 1.0]]),
    "linalg.pseudo_inverse": dict(A=[[3.0, 1.0], [4.0, 2.0], [0.0, 1.0]]),
    "linalg.cofactor_determinant": dict(A=[[2.0, 1.0, 0.0], [1.0, 3.0, 1.0], [0.0, 1.0, 4.0]]),
    "linalg.cholesky": dict(A=[[4.0, 2.0], [2.0, 5.0]]),
    # --- calculus
    "calculus.derivative": dict(f=np.sin, x=0.5, h=1e-5),
    "calculus.gradient": dict(f=_sq, x=[1.0, 2.0]),
    "calculus.hessian": dict(f=_sq, x=[1.0, 2.0]),
    "calculus.jacobian": dict(f=_jac_f, x=[1.0, 2.0]),
    "calculus.Heights": dict(family=np.array(["1", "1"]), father=[70.0, 71.0], mother=[64.0, 65.0],
                             gender=np.array(["male", "female"]), height=[70.5, 64.5], units="in"),
    "calculus.load_heights": dict(units="cm"),
    "calculus.gradient_descent": dict(grad=_grad, x0=[1.0, 2.0], step=0.1, tol=1e-8, max_iter=10000),
    "calculus.hybrid_step": dict(g=[2.0, -1.0], H=[[3.0, 1.0], [1.0, 2.0]], step=0.1, max_length=1.0),
    "calculus.steepest_descent": dict(x=_X_FIT - 2.0, y=np.exp(-(_X_FIT - 2.0) ** 2 / 2) / np.sqrt(2 * np.pi),
                                      p0=[0.3, 1.3], step=2.0, n_steps=20),
    "calculus.Value": dict(data=1.5),
    "calculus.Dual": dict(value=1.5, derivative=1.0),
    "calculus.softmax": dict(values=[1.0, 2.0, 3.0]),
    "calculus.cross_entropy": dict(logits=[1.0, 2.0, 3.0], target=1),
    "calculus.hybrid_minimize": dict(grad=_grad, hess=_hess, x0=[1.0, 2.0], step=0.1, tol=1e-10, max_iter=1000),
    "calculus.lagrange_multipliers": dict(f_grad=_grad, constraints=_constraint, x0=[1.0, 0.0], tol=1e-9,
                                          max_iter=100),
    "calculus.newton_minimize": dict(grad=_grad, hess=_hess, x0=[1.0, 2.0], tol=1e-10, max_iter=100),
    "calculus.newton_raphson": dict(f=_square_minus_2, df=_twice, x0=1.0, tol=1e-12, max_iter=100),
    "calculus.chi_squared": dict(residuals=[0.1, -0.2, 0.3], sigma=[1.0, 1.0, 2.0]),
    "calculus.fit_nonlinear": dict(model=_decay, x=_X_FIT, y=_Y_FIT, p0=[2.0, 1.0], tol=1e-12),
    "calculus.gaussian": dict(x=[0.0, 1.0, 2.0], params=[1.0, 0.5]),
    "calculus.gaussian_jacobian": dict(x=[0.0, 1.0, 2.0], params=[1.0, 0.5]),
    "calculus.least_squares": dict(X=[[1.0, 0.0], [1.0, 1.0], [1.0, 2.0]], y=[1.0, 2.0, 2.9]),
    "calculus.linear_fit": dict(x=[0.0, 1.0, 2.0], y=[1.0, 3.0, 5.1]),
    "calculus.linearise": dict(f=np.exp, x0=0.5),
    "calculus.maclaurin_series": dict(name="exp", order=5),
    "calculus.taylor2": dict(f=_sq, x0=[1.0, 2.0]),
    "calculus.taylor_approx": dict(coeffs=[1.0, 1.0, 0.5], a=0.0, x=[0.1, 0.2]),
    "calculus.taylor_coefficients": dict(derivs_at_a=[1.0, 1.0, 1.0]),
    "calculus.taylor_polynomial": dict(derivs_at_a=[1.0, 1.0, 1.0], a=0.0),
    "calculus.backprop": dict(network=Fresh(_net), X=[[0.1, 0.2], [0.3, 0.4]], Y=[[0.5], [0.6]]),
    "calculus.cost": dict(network=Fresh(_net), X=[[0.1, 0.2], [0.3, 0.4]], Y=[[0.5], [0.6]]),
    "calculus.forward": dict(network=Fresh(_net), X=[[0.1, 0.2], [0.3, 0.4]]),
    "calculus.heart_curve": dict(t=[0.0, 1.0]),
    "calculus.init_network": dict(layer_sizes=[2, 3, 1], rng=0),
    "calculus.sigmoid": dict(z=[0.0, 1.0]),
    "calculus.sigmoid_prime": dict(z=[0.0, 1.0]),
    "calculus.train": dict(network=Fresh(_net), X=[[0.1, 0.2], [0.3, 0.4]], Y=[[0.5], [0.6]],
                           learning_rate=0.5, epochs=5, momentum=0.5, batch_size=1, rng=0),
    # --- PCA
    "pca.PCA": dict(n_components=1, solver="auto", whiten=False),
    "pca.center": dict(X=_X3),
    "pca.eig_sorted": dict(S=_A, k=1),
    "pca.pca_eig": dict(Xc=_XC, M=1),
    "pca.pca_gram": dict(Xc=_XC, M=1),
    "pca.pca_svd": dict(Xc=_XC, M=1),
    "pca.project": dict(x=[2.0, 0.0], B=[1.0, 1.0]),
    "pca.projection_coordinates": dict(x=[2.0, 0.0], B=[1.0, 1.0]),
    "pca.projection_matrix": dict(B=[[1.0, 0.0], [1.0, 1.0], [1.0, 2.0]]),
    "pca.reconstruction_error": dict(X=_X3, X_hat=_XC),
    "pca.standardize": dict(X=_X3),
    "pca.affine_covariance": dict(S=_A, A=_T, b=[1.0, 1.0]),
    "pca.affine_mean": dict(mean=[1.0, 2.0], A=_T, b=[1.0, 1.0]),
    "pca.angle": dict(x=[1.0, 0.0], y=[1.0, 1.0], A=[[2.0, -1.0], [-1.0, 4.0]]),
    "pca.covariance": dict(X=_X3),
    "pca.covariance_loop": dict(X=_X3),
    "pca.distance": dict(x=[1.0, 1.0], y=[4.0, 5.0], A=[[2.0, -1.0], [-1.0, 4.0]]),
    "pca.inner_product": dict(x=[1.0, 2.0], y=[3.0, 4.0], A=[[2.0, -1.0], [-1.0, 4.0]]),
    "pca.is_positive_definite": dict(A=_A),
    "pca.knn_classify": dict(X_train=[[0.0], [1.0], [10.0], [11.0]], y_train=["a", "a", "b", "b"],
                             X_query=[[0.4], [9.0]], k=3, p=2.0),
    "pca.lp_norm": dict(x=[3.0, -4.0], p=1.0),
    "pca.length": dict(x=[3.0, 4.0], A=[[2.0, -1.0], [-1.0, 4.0]]),
    "pca.mean": dict(X=_X3),
    "pca.mean_loop": dict(X=_X3),
    "pca.pairwise_distances": dict(X=_X3, Y=[[0.0, 0.0], [1.0, 1.0]]),
    "pca.variance": dict(X=_X3),
    "pca.principal_projection": dict(X=_X3, M=1),
    "pca.ppca_ml": dict(X=_X3, M=1),
    "pca.ppca_log_likelihood": dict(X=_X3, mu=[1.0, 2.0], W=[[1.0], [2.0]], sigma2=0.5),
    "pca.ppca_sample": dict(mu=[1.0, 2.0], W=[[1.0], [2.0]], sigma2=0.5, n=3, rng=0),
    "pca.ppca_posterior_mean": dict(X=_X3, mu=[1.0, 2.0], W=[[1.0], [2.0]], sigma2=0.5),
    "pca.held_out_log_likelihood": dict(X_train=_X3, X_test=_X3, Ms=[1]),
    # --- data
    "datasets.load_mnist": dict(split="test", n=5, download=False),
    "datasets.mnist_cache_dir": dict(cache_dir=Path("/nonexistent-mmlbook-cache")),
    "datasets.parse_idx": dict(data=_idx_bytes()),
    # --- graders: the reference solution, which must pass
    "exercises.check_angle": dict(angle=pc.angle),
    "exercises.check_backprop": dict(backprop=calc.backprop),
    "exercises.check_covariance": dict(covariance=pc.covariance),
    "exercises.check_fit_nonlinear": dict(fit_nonlinear=calc.fit_nonlinear),
    "exercises.check_gram_schmidt": dict(gram_schmidt=la.gram_schmidt),
    "exercises.check_is_singular": dict(is_singular=la.is_singular),
    "exercises.check_newton_raphson": dict(newton_raphson=calc.newton_raphson),
    "exercises.check_pagerank": dict(pagerank=la.pagerank),
    "exercises.check_PCA": dict(PCA=pc.PCA),
    "exercises.check_projection_matrix": dict(projection_matrix=pc.projection_matrix),
    "exercises.check_reflection_matrix": dict(reflection_matrix=la.reflection_matrix),
    "exercises.check_householder_qr": dict(householder_qr=la.householder_qr),
    "exercises.check_hybrid_step": dict(hybrid_step=calc.hybrid_step),
    "exercises.check_pca_gram": dict(pca_gram=pc.pca_gram),
    "exercises.check_principal_projection": dict(principal_projection=pc.principal_projection),
    "exercises.check_steepest_descent": dict(steepest_descent=calc.steepest_descent),
}

#: Estimator classes whose constructor arguments are validated at fit: key -> valid fit arguments.
CHECKED_AT_FIT: dict[str, dict[str, Any]] = {
    "pca.PCA": dict(X=_X3),
}

#: (key, argument) documented to accept infinity (no bound): "inf" is a legal extreme for them.
INFINITY_ALLOWED = {("calculus.hybrid_step", "max_length"), ("pca.knn_classify", "p"), ("pca.lp_norm", "p")}

#: Methods of public classes and the callables public functions return: (instance/callable factory, kwargs).
METHODS: dict[str, tuple[Callable[[], Any], dict[str, Any]]] = {
    "pca.PCA.fit": (lambda: pc.PCA(1), dict(X=_X3)),
    "pca.PCA.fit_transform": (lambda: pc.PCA(1), dict(X=_X3)),
    "pca.PCA.transform": (lambda: pc.PCA(1).fit(_X3), dict(X=_X3)),
    "pca.PCA.inverse_transform": (lambda: pc.PCA(1).fit(_X3), dict(Z=[[1.0], [2.0]])),
    "pca.PCA.score_samples": (lambda: pc.PCA(1).fit(_X3), dict(X=_X3)),
    "pca.PCA.score": (lambda: pc.PCA(1).fit(_X3), dict(X=_X3)),
    "pca.PCA.get_covariance": (lambda: pc.PCA(1).fit(_X3), dict()),
    "pca.PCA.get_precision": (lambda: pc.PCA(1).fit(_X3), dict()),
    "pca.PCA.get_feature_names_out": (lambda: pc.PCA(1).fit(_X3), dict()),
    "calculus.linearise()": (lambda: calc.linearise(np.exp, 0.5), dict(x=[0.1, 0.2])),
    "calculus.linearise()[vector]": (lambda: calc.linearise(_sq, [1.0, 2.0]), dict(x=[0.5, 1.0])),
    "calculus.taylor2()": (lambda: calc.taylor2(_sq, [1.0, 2.0]), dict(x=[0.5, 1.0])),
    "calculus.taylor_polynomial()": (lambda: calc.taylor_polynomial([1.0, 1.0, 1.0], 0.0), dict(x=[0.1, 0.2])),
    "calculus.Value.backward": (lambda: calc.Value(1.5) * calc.Value(2.0) + calc.Value(0.5), dict()),
    "calculus.Value.exp": (lambda: calc.Value(1.5), dict()),
    "calculus.Value.log": (lambda: calc.Value(1.5), dict()),
    "calculus.Value.sigmoid": (lambda: calc.Value(1.5), dict()),
    "calculus.Value.tanh": (lambda: calc.Value(1.5), dict()),
    "calculus.Dual.exp": (lambda: calc.Dual(1.5, 1.0), dict()),
    "calculus.Dual.log": (lambda: calc.Dual(1.5, 1.0), dict()),
    "calculus.Dual.sigmoid": (lambda: calc.Dual(1.5, 1.0), dict()),
    "calculus.Dual.tanh": (lambda: calc.Dual(1.5, 1.0), dict()),
}


# ------------------------------------------------------------------ the public API


def public_api() -> dict[str, Any]:
    """Every public callable of mmlbook, keyed ``"<subpackage>.<name>"`` (first module that exports it)."""
    found: dict[int, tuple[str, Any]] = {}
    modules = [mmlbook] + [importlib.import_module(m.name)
                           for m in pkgutil.walk_packages(mmlbook.__path__, "mmlbook.")]
    for module in modules:
        parts = module.__name__.split(".")
        if any(p.startswith("_") for p in parts) or module.__name__ in EXCLUDED:
            continue
        names = getattr(module, "__all__", None)
        if names is None:
            names = [k for k, v in vars(module).items() if not k.startswith("_")
                     and (inspect.isfunction(v) or inspect.isclass(v))
                     and getattr(v, "__module__", None) == module.__name__]
        prefix = ".".join(parts[1:2]) or "mmlbook"
        for name in names:
            obj = getattr(module, name)
            if not callable(obj) or (inspect.isclass(obj) and issubclass(obj, BaseException)):
                continue
            found.setdefault(id(obj), (f"{prefix}.{name}", obj))
            if inspect.isclass(obj) and not _is_dataclass(obj):
                for meth, fn in vars(obj).items():
                    if not meth.startswith("_") and inspect.isfunction(fn):
                        found.setdefault(id(fn), (f"{prefix}.{name}.{meth}", fn))
    return dict(found.values())


def _is_dataclass(cls) -> bool:
    return hasattr(cls, "__dataclass_fields__")


# ------------------------------------------------------------------ bad values

BIG = 10 ** 400
STRICT = "strict"    # must be rejected with a named error
LENIENT = "lenient"  # a named error, a documented LinAlgError/ConvergenceError, or a finite answer


class _Broken:
    """A value whose conversion to a number fails in every way."""

    def __array__(self, *a, **k):
        raise ZeroDivisionError("broken __array__")

    def __float__(self):
        raise ZeroDivisionError("broken __float__")

    def __len__(self):
        raise ZeroDivisionError("broken __len__")


def _set_first(lst, value):
    if isinstance(lst, list) and lst:
        if isinstance(lst[0], list):
            return [_set_first(lst[0], value)] + lst[1:]
        return [value] + lst[1:]
    return value


def corrupt(value: Any, kind: str) -> Any:
    """``value`` (a callback's result) made bad in the way ``kind`` says."""
    if kind == "raise":
        raise RuntimeError("a learner's bug")
    if kind == "none":
        return None
    if kind == "string":
        return "oops"
    if kind == "broken":
        return _Broken()
    if isinstance(value, dict):
        out = type(value)(value)
        out["x"] = corrupt(value["x"], kind)
        return out
    if isinstance(value, (list, tuple)) and value and not _numeric(value):
        first = corrupt(value[0], kind)
        return type(value)([first, *value[1:]]) if isinstance(value, tuple) else [first, *value[1:]]
    if isinstance(value, (bool, np.bool_)):
        value = float(value)
    arr = np.asarray(value, dtype=float)
    if kind == "complex":
        return complex(arr) + 0.5j if arr.ndim == 0 else arr + 0.5j
    if kind == "bigint":
        return BIG if arr.ndim == 0 else _set_first(arr.tolist(), BIG)
    if kind == "nan":
        return math.nan if arr.ndim == 0 else arr * np.nan
    if kind == "shape":
        return np.append(arr.ravel(), 1.0)
    raise ValueError(kind)


CALLBACK_KINDS = ["complex", "bigint", "nan", "shape", "string", "none"]
GRADER_KINDS = CALLBACK_KINDS + ["raise", "broken"]


def _numeric(value) -> bool:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            arr = np.asarray(value)
    except Exception:
        return False
    return arr.dtype.kind in "iuf" and arr.dtype != bool


def _wrap_callback(f, kind):
    def bad(*args, **kwargs):
        return corrupt(f(*args, **kwargs), kind)
    return bad


def _wrap_learner_class(cls, kind):
    class Bad(cls):
        def inverse_transform(self, Z):
            return corrupt(super().inverse_transform(Z), kind)
    return Bad


def mutations(name: str, value: Any, default: Any) -> list[tuple[str, str, Any]]:
    """``(kind, strictness, bad value)`` for one argument whose valid value is ``value``."""
    out = []
    if name == "rng":
        return [("rng-string", STRICT, "seed"), ("rng-negative", STRICT, -1), ("rng-float", STRICT, 2.5)]
    if value is AX or isinstance(value, (bool, np.bool_, bytes)):
        return []
    if isinstance(value, Fresh):
        return [("string", STRICT, "abc"), ("empty-list", STRICT, []), ("none", STRICT, None)]
    if isinstance(value, Path):
        return [("int-for-path", STRICT, 3)]
    if inspect.isclass(value) or callable(value):
        out = [("not-callable", STRICT, 3)]
        # A callback that always returns one more value may be legal (a function with more outputs).
        out += [(f"callback-{k}", LENIENT if k == "shape" else STRICT, _wrap_callback(value, k))
                for k in CALLBACK_KINDS]
        return out
    if isinstance(value, str):
        return [("unknown-string", STRICT, "no-such-option"), ("int-for-string", STRICT, 3)]
    if isinstance(value, (int, np.integer)):
        out = [("float-for-int", STRICT, value + 0.5), ("bigint", STRICT, BIG), ("string", STRICT, "3"),
               ("complex", STRICT, complex(value, 1)), ("nan", STRICT, math.nan), ("bool", STRICT, True),
               ("zero", LENIENT, 0), ("negative", LENIENT, -abs(value) - 1)]
    elif isinstance(value, (float, np.floating)):
        v = float(value)
        out = [("nan", STRICT, math.nan), ("inf", STRICT, math.inf), ("complex", STRICT, complex(v, 0.5)),
               ("bigint", STRICT, BIG), ("string", STRICT, "1.0"), ("bool", STRICT, True),
               ("zero", LENIENT, 0.0), ("negative", LENIENT, -abs(v) if v else -1.0),
               ("huge", LENIENT, 1e300 if v >= 0 else -1e300), ("tiny", LENIENT, 1e-300 if v >= 0 else -1e-300)]
    elif _numeric(value):
        arr = np.asarray(value, dtype=float)
        nan = arr.copy()
        nan.flat[0] = np.nan
        inf = arr.copy()
        inf.flat[-1] = np.inf
        out = [("nan", STRICT, nan), ("inf", STRICT, inf), ("complex", STRICT, arr + 0.5j),
               ("bigint", STRICT, _set_first(arr.tolist(), BIG)), ("string", STRICT, "abc"),
               ("strings", STRICT, arr.astype(str).tolist()),
               ("empty", LENIENT, np.empty((0,) + arr.shape[1:])), ("extra-dim", LENIENT, arr[None]),
               ("huge", LENIENT, arr * 1e200), ("tiny", LENIENT, arr * 1e-200),
               ("zero", LENIENT, np.zeros_like(arr))]
        if arr.ndim >= 1:
            out.append(("drop-dim", LENIENT, arr[0]))
    else:
        out = [("string", STRICT, "abc")]
    if default is not None:
        out.append(("none", LENIENT, None))
    return out


# ------------------------------------------------------------------ running one case


class Hang(BaseException):
    """Raised by the per-call alarm; a BaseException so library code cannot swallow it."""


@contextlib.contextmanager
def time_limit(seconds: float):
    def handler(signum, frame):
        raise Hang(f"no answer after {seconds} s")
    old = signal.signal(signal.SIGALRM, handler)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def _materialise(kwargs: dict[str, Any]) -> dict[str, Any]:
    out = {}
    for k, v in kwargs.items():
        if v is AX:
            from matplotlib.figure import Figure
            v = Figure().add_subplot()
        elif isinstance(v, Fresh):
            v = v.factory()
        out[k] = v
    return out


def _names(exc: BaseException, case: Case) -> bool:
    """Whether the message names the corrupted argument, or a callback whose value that argument made bad
    (``grad returned non-finite values at x=...`` for an extreme ``x0``)."""
    text = str(exc)
    if case.arg in text:
        return True
    callbacks = [k for k, v in case.kwargs.items() if callable(v) and not inspect.isclass(v) and v is not AX]
    return case.strictness == LENIENT and any(f"{k} returned" in text or f"{k} must return" in text
                                              for k in callbacks)


def _raised_by_callback(exc: BaseException) -> bool:
    """Whether the error came from one of this file's callbacks (the caller's own code), not mmlbook."""
    frames = traceback.extract_tb(exc.__traceback__)
    return bool(frames) and frames[-1].filename == __file__


def _finite(result: Any, depth: int = 0) -> bool:
    if depth > 4:
        return True
    if isinstance(result, dict):
        return all(_finite(v, depth + 1) for k, v in result.items() if k not in DOCUMENTED_NONFINITE)
    if isinstance(result, (list, tuple)):
        return all(_finite(v, depth + 1) for v in result[:50])
    if isinstance(result, (float, complex, np.floating, np.complexfloating)):
        return bool(np.isfinite(result))
    if isinstance(result, np.ndarray) and result.dtype.kind in "fc":
        return bool(np.isfinite(result).all())
    return True


@dataclass
class Case:
    key: str
    arg: str
    kind: str
    strictness: str
    target: Callable[[], Callable]
    kwargs: dict[str, Any]
    grader: bool = False

    @property
    def label(self) -> str:
        return f"{self.key}({self.arg}={self.kind})"


def run_case(case: Case) -> tuple[str, str]:
    """Call once; return ``(outcome, detail)``, outcome ``"ok"`` or the kind of failure."""
    caught = []
    outcome, detail = "ok", ""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            with contextlib.redirect_stdout(io.StringIO()), time_limit(TIME_LIMIT):
                fn = case.target()
                result = fn(**_materialise(case.kwargs))
        except Hang as exc:
            return "hang", str(exc)
        except DOCUMENTED as exc:
            result = None
            if case.strictness != LENIENT or case.grader:
                outcome, detail = "wrong-error", f"{type(exc).__name__}: {exc}"
        except (ValueError, TypeError) as exc:
            result = None
            if case.grader:
                outcome, detail = "crash", f"{type(exc).__name__}: {exc}"
            elif case.kind == "valid":
                outcome, detail = "crash", f"{type(exc).__name__}: {exc}"
            elif not _names(exc, case) and not _raised_by_callback(exc):
                outcome, detail = "unnamed", f"{type(exc).__name__}: {exc}"
        except Exception as exc:  # noqa: BLE001 - any other exception is the finding
            result = None
            outcome, detail = "crash", f"{type(exc).__name__}: {exc}"
        else:
            if case.grader:
                want = case.kind == "valid"
                if result is not want:
                    outcome, detail = ("accepted" if result is True else "wrong-answer"), repr(result)
            elif case.strictness == STRICT:
                outcome, detail = "accepted", f"returned {type(result).__name__}"
            elif not _finite(result):
                outcome, detail = "non-finite", "the result holds NaN or infinity"
    if caught and outcome == "ok":
        w = caught[0]
        outcome, detail = "warning", f"{w.category.__name__}: {w.message}"
    return outcome, detail[:300]


def cases_for(key: str) -> list[Case]:
    """The valid call and every one-argument corruption of it."""
    api = public_api()
    if key in METHODS:
        factory, valid = METHODS[key]
        method = key.split(".")[-1]
        if method.endswith(")") or method.endswith("]"):
            def target(factory=factory):
                return factory()
        else:
            def target(factory=factory, method=method):
                return getattr(factory(), method)
        sig_source = None
    else:
        obj = api[key]
        valid = VALID[key]

        if key in CHECKED_AT_FIT:
            def target(obj=obj, fit_args=CHECKED_AT_FIT[key]):
                return lambda **params: obj(**params).fit(**_materialise(fit_args))
        else:
            def target(obj=obj):
                return obj
        sig_source = obj
    grader = key.startswith("exercises.check_")
    defaults = {}
    if sig_source is not None:
        try:
            defaults = {p.name: p.default for p in inspect.signature(sig_source).parameters.values()}
        except (TypeError, ValueError):
            defaults = {}
    cases = [Case(key, "", "valid", "valid", target, dict(valid), grader)]
    for arg, value in valid.items():
        if grader:
            kinds = [(k, STRICT, (_wrap_learner_class(value, k) if inspect.isclass(value)
                                  else _wrap_callback(value, k))) for k in GRADER_KINDS]
        else:
            kinds = mutations(arg, value, defaults.get(arg, inspect.Parameter.empty))
            if (key, arg) in INFINITY_ALLOWED:
                kinds = [(k, LENIENT if k == "inf" else s, bad) for k, s, bad in kinds]
        for kind, strictness, bad in kinds:
            kwargs = dict(valid)
            kwargs[arg] = bad
            cases.append(Case(key, arg, kind, strictness, target, kwargs, grader))
    return cases


def all_keys() -> list[str]:
    return sorted(set(public_api()) - set(METHODS) | set(METHODS))


# ------------------------------------------------------------------ the tests


def test_every_public_callable_has_valid_arguments():
    missing = sorted(k for k in public_api() if k not in VALID and k not in METHODS)
    assert not missing, (
        "public callables with no entry in the valid-arguments table of tests/test_bad_input.py: "
        + ", ".join(missing)
        + ". Add one line per callable to VALID (or METHODS for a method), e.g. "
        + f"'{missing[0]}': dict(A=[[1.0, 2.0], [3.0, 4.0]]), as the module docstring explains."
    )
    stale = sorted(k for k in VALID if k not in public_api())
    assert not stale, f"VALID has entries for callables that are no longer public: {stale}"


KEYS = sorted(set(VALID) | set(METHODS))


@pytest.mark.parametrize("key", KEYS)
def test_bad_input(key):
    if key in VALID and key not in public_api():
        pytest.skip(f"{key} is not public (see test_every_public_callable_has_valid_arguments)")
    failures = []
    for case in cases_for(key):
        outcome, detail = run_case(case)
        if outcome != "ok":
            failures.append(f"{case.label}: {outcome}: {detail}")
    assert not failures, f"{len(failures)} bad-input failures:\n" + "\n".join(failures)


# Hypothesis: random extreme floats (subnormal to near-overflow, NaN, infinity) in one numeric argument.

_extreme = st.one_of(st.floats(allow_nan=True, allow_infinity=True),
                     st.sampled_from([1e308, -1e308, 5e-324, 1e-300, 1e154, 1e-154, 2.0 ** 1000]))

_NUMERIC_ARGS = [(key, arg) for key in KEYS for arg, v in (VALID[key] if key in VALID else METHODS[key][1]).items()
                 if not key.startswith("exercises.") and not isinstance(v, (bool, str, Path, Fresh))
                 and not callable(v) and v is not AX and _numeric(v) and not isinstance(v, int)]


@pytest.mark.parametrize("key, arg", _NUMERIC_ARGS)
@settings(max_examples=4, phases=[Phase.explicit, Phase.generate], suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_extreme_values(key, arg, data):
    case = next(c for c in cases_for(key) if c.kind == "valid")
    valid = np.asarray(case.kwargs[arg], dtype=float)
    values = data.draw(st.lists(_extreme, min_size=max(valid.size, 1), max_size=max(valid.size, 1)))
    bad = np.array(values).reshape(valid.shape) if valid.ndim else values[0]
    finite = bool(np.isfinite(bad).all()) or ((key, arg) in INFINITY_ALLOWED and not np.isnan(bad).any())
    case.kwargs = dict(case.kwargs, **{arg: bad})
    case.arg, case.kind, case.strictness = arg, "extreme", LENIENT if finite else STRICT
    outcome, detail = run_case(case)
    assert outcome == "ok", f"{case.label} with {arg}={bad!r}: {outcome}: {detail}"


# ------------------------------------------------------------------ targeted checks, one per finding of issue 17
# ``python -m benchmarks.bad_input_census`` counts these per pattern (the digit after test_pattern).


def test_pattern1_complex_input_is_rejected_naming_the_argument():
    with pytest.raises(ValueError, match="r must be real"):
        la.modulus([3.0 + 0.5j, 4.0])


def test_pattern1_grader_not_fooled_by_complex_results():
    with contextlib.redirect_stdout(io.StringIO()):
        assert exercises.check_covariance(lambda X: pc.covariance(X) + 0.5j) is False


def test_pattern2_integers_beyond_float_range_are_a_named_error():
    with pytest.raises(ValueError, match="r holds a number beyond the float range"):
        la.modulus([10 ** 400, 1])
    with pytest.raises(ValueError, match="theta must be within the float range"):
        la.rotation(10 ** 400)


def test_pattern3_gaussian_is_a_density():
    x = np.linspace(-3.0, 3.0, 7)
    np.testing.assert_allclose(calc.gaussian(x, [0.0, -2.0]), calc.gaussian(x, [0.0, 2.0]))
    with pytest.raises(ValueError, match="sigma"):
        calc.gaussian(x, [0.0, 0.0])


def test_pattern3_draw_grid_refuses_a_hopeless_step():
    from matplotlib.figure import Figure
    ax = Figure().add_subplot()
    with pytest.raises(ValueError, match="step"):
        la.draw_grid(ax, lim=3.0, step=1e-4)
    with pytest.raises(ValueError, match="step"):
        la.draw_grid(ax, lim=3.0, step=0.0)


def test_pattern3_heights_checks_its_units():
    with pytest.raises(ValueError, match="units"):
        calc.Heights(family=np.array(["1"]), father=[70.0], mother=[64.0], gender=np.array(["male"]),
                     height=[70.0], units="furlongs")


def test_pattern4_linear_fit_is_scale_free():
    x = np.array([0.0, 1.0, 2.0]) * 2.0 ** -51
    m, c = calc.linear_fit(x, [1.0, 3.0, 5.0])
    assert m == pytest.approx(2.0 * 2.0 ** 51) and c == pytest.approx(1.0)


def test_pattern4_eig_sorted_symmetry_test_is_relative():
    with pytest.raises(ValueError, match="symmetric"):
        pc.eig_sorted([[1e-9, 1e-9], [0.0, 2e-9]])


def test_pattern4_gradient_descent_from_far_away_converges():
    res = calc.gradient_descent(lambda v: 2.0 * v, [1e200])
    assert res.success and abs(res.x[0]) < 1e-8


def test_pattern4_newton_raphson_rejects_an_infinite_derivative():
    with pytest.raises(ValueError, match="df must return finite values"):
        calc.newton_raphson(lambda x: x * x - 2.0, lambda x: math.inf, 1.0)


def _decay_data():
    x = np.linspace(0.0, 4.0, 40)
    return x, _decay(x, [2.5, 1.3]) + 0.02 * np.cos(5 * x)


def test_pattern4_fit_nonlinear_is_scale_free_in_y():
    """From the unscaled start, 2**49 times too small: the trust radius grows until the fit gets there."""
    x, y = _decay_data()
    ref = calc.fit_nonlinear(_decay, x, y, [2.0, 1.0])
    big = calc.fit_nonlinear(_decay, x, y * 2.0 ** 49, [2.0, 1.0])
    np.testing.assert_allclose(big.x / [2.0 ** 49, 1.0], ref.x, rtol=1e-6)


# Levenberg-Marquardt damps a parameter whose column of J is below eps times the longest as if it were that
# long (documented): columns 2**500 apart end in a ConvergenceError, which the next test allows.
@pytest.mark.parametrize(("method", "k"), [("lm", k) for k in (-49, -10, 10, 49)]
                         + [("gauss-newton", k) for k in (-500, -200, -49, -10, 10, 49, 200, 500)])
def test_pattern4_fit_nonlinear_is_scale_free_in_units(method, k):
    """y and the amplitude in other units (a factor 2**k): the same fit, in those units."""
    x, y = _decay_data()
    ref = calc.fit_nonlinear(_decay, x, y, [2.0, 1.0], method=method)
    scaled = calc.fit_nonlinear(_decay, x, y * 2.0 ** k, [2.0 * 2.0 ** k, 1.0], method=method)
    np.testing.assert_allclose(scaled.x / [2.0 ** k, 1.0], ref.x, rtol=1e-10)
    assert scaled.rss == pytest.approx(ref.rss * 4.0 ** k, rel=1e-10)
    np.testing.assert_allclose(scaled.stderr / [2.0 ** k, 1.0], ref.stderr, rtol=1e-8)


@pytest.mark.parametrize("method", ["lm", "gauss-newton", "steepest-descent"])
@pytest.mark.parametrize("k", [-1000, -900, -500, -200, -49, -10, 10, 49, 200, 500, 900])
@pytest.mark.parametrize("scaled_start", [False, True])
def test_pattern4_fit_nonlinear_never_claims_a_wrong_fit(method, k, scaled_start):
    """Far from 1 or from the start, a fit is right or says it failed: never success with wrong parameters."""
    x, y = _decay_data()
    ref = calc.fit_nonlinear(_decay, x, y, [2.0, 1.0])
    s = 2.0 ** k
    p0 = [2.0 * s if scaled_start else 2.0, 1.0]
    try:
        res = calc.fit_nonlinear(_decay, x, y * s, p0, method=method, max_iter=400 if method != "lm" else None)
    except (ConvergenceError, ValueError) as e:
        assert isinstance(e, ConvergenceError) or "out of range" in str(e)
        return
    assert res.success
    np.testing.assert_allclose(res.x / [s, 1.0], ref.x, rtol=1e-4 if method == "steepest-descent" else 1e-6)


@pytest.mark.parametrize("p0", [[1e-154, 1.0], [2.0, 1e-154]])
def test_pattern4_fit_nonlinear_from_mixed_scales(p0):
    x, y = _decay_data()
    ref = calc.fit_nonlinear(_decay, x, y, [2.0, 1.0])
    np.testing.assert_allclose(calc.fit_nonlinear(_decay, x, y, p0).x, ref.x, rtol=1e-6)


def test_pattern4_fit_nonlinear_parameters_in_mixed_units():
    """The same model with the amplitude in micro-units and the rate in mega-units: the same fit."""
    x, y = _decay_data()
    ref = calc.fit_nonlinear(_decay, x, y, [2.0, 1.0])
    res = calc.fit_nonlinear(lambda x, p: _decay(x, [p[0] * 1e6, p[1] * 1e-6]), x, y, [2e-6, 1e6])
    np.testing.assert_allclose(res.x * [1e6, 1e-6], ref.x, rtol=1e-8)


def test_pattern4_newton_raphson_finds_a_root_far_out():
    res = calc.newton_raphson(lambda x: math.tanh((x - 1e200) / 1e200), lambda x: 1e-200 / math.cosh((x - 1e200) / 1e200) ** 2,
                              1e199)
    assert res.success and res.x == pytest.approx(1e200, rel=1e-12)


def test_pattern4_newton_minimize_says_it_diverged():
    with pytest.raises(ConvergenceError, match="diverged"):
        calc.newton_minimize(np.arctan, lambda x: np.array([[1.0 / (1.0 + x[0] ** 2)]]), [2.0])
    res = calc.newton_minimize(lambda v: 2.0 * (v - 1e200), lambda v: 2.0 * np.eye(1), [3e200])
    assert res.success and res.x[0] == pytest.approx(1e200)


def test_pattern5_scale_gives_the_right_answer():
    assert la.modulus([3e200, 4e200]) == pytest.approx(5e200)
    assert la.modulus([3e-200, 4e-200]) == pytest.approx(5e-200)
    assert la.angle_between([1e-200, 0.0], [1e-200, 1e-200]) == pytest.approx(np.pi / 4)
    np.testing.assert_allclose(pc.pairwise_distances([[0.0, 0.0], [3e200, 4e200]]), [[0, 5e200], [5e200, 0]])
    np.testing.assert_allclose(pc.projection_matrix([1e-200, 1e-200]), [[0.5, 0.5], [0.5, 0.5]])
    Z, mu, sigma = pc.standardize(np.array(_X3) * 1e200)
    np.testing.assert_allclose(Z, pc.standardize(_X3)[0])
    web = np.array([[0.0, 1.0, 1.0], [1.0, 0.0, 0.0], [1.0, 1.0, 0.0]])
    np.testing.assert_allclose(la.pagerank(web * 1.7e308), la.pagerank(web))
    np.testing.assert_allclose(la.gram_schmidt(np.array([[1.0, 1.0], [0.0, 1.0]]) * 1e-200),
                               la.gram_schmidt([[1.0, 1.0], [0.0, 1.0]]))


def test_pattern5_solution_set_and_definiteness_scale():
    A, b = np.array([[1.0, 2.0], [2.0, 4.0]]), np.array([3.0, 6.0])
    for k in (-1000, -300, 300, 1000):
        s = la.solution_set(A * 2.0 ** k, b * 2.0 ** k)       # the same system in other units
        assert s.consistent and s.rank == 1
        np.testing.assert_allclose(s.x, [3.0, 0.0])
        np.testing.assert_allclose(s.null_space.ravel(), [-2.0, 1.0])
    with pytest.raises(ValueError, match="A and b out of range"):
        la.solution_set(np.array([[1.0, 2.0], [3.0, 4.0]]) * 1e-300, [3e300, 6e300])   # x about 1e600
    with pytest.raises(ValueError, match="A and b out of range"):
        la.solution_set(np.array([[1.0, 2.0], [3.0, 4.0]]) * 1e300, [3e-300, 6e-300])  # x about 1e-600
    S = np.array([[1.5, 0.7], [0.7, 1.5]])
    assert la.definiteness(S * 1e308) == la.definiteness(S * 1e-320) == "positive definite"
    assert la.definiteness(np.array([[1.5, 1.7], [1.7, 1.5]]) * 1e308) == "indefinite"


def test_pattern5_out_of_range_is_said():
    with pytest.raises(ValueError, match="X out of range"):
        pc.covariance(np.array(_X3) * 1e200)
    with pytest.raises(ValueError, match="A out of range"):
        la.determinant(np.array(_A) * 1e200)


def test_pattern6_no_warning_escapes():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        la.angle_between([1e300, 1e300], [1e-300, 2e-300])
        pc.knn_classify(np.array([[0.0], [1.0], [10.0], [11.0]]) * 1e300, ["a", "a", "b", "b"], [[0.4e300]], k=3)
        calc.gaussian([1e300], [0.0, 1.0])


class _BadHandler(__import__("http.server").server.BaseHTTPRequestHandler):
    """Mirror ``a`` cuts a chunked transfer short or answers garbage; mirror ``b`` serves the file."""

    mode = "short"
    files: dict[str, bytes] = {}

    def do_GET(self):  # noqa: N802
        if self.path.startswith("/a/"):
            if self.mode == "garbage":
                self.wfile.write(b"this is not HTTP at all\r\n\r\n")
                return
            self.send_response(200)
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            self.wfile.write(b"400\r\n" + b"x" * 10)  # promises 1024 bytes, sends 10, hangs up
            return
        body = self.files.get(self.path.split("/")[-1])
        self.send_response(200 if body is not None else 404)
        self.send_header("Content-Length", str(len(body or b"")))
        self.end_headers()
        self.wfile.write(body or b"")

    def log_message(self, *args):
        pass


@contextlib.contextmanager
def _mirrors(mode):
    import gzip
    import http.server
    import threading

    from mmlbook import datasets
    from tests.test_datasets import FAKE, FAKE_SHA

    handler = type("Handler", (_BadHandler,), {"mode": mode,
                                                "files": {f"{k}.gz": gzip.compress(v) for k, v in FAKE.items()}})
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{httpd.server_address[1]}/"
    saved = datasets.MNIST_MIRRORS, datasets.MNIST_SHA256
    datasets.MNIST_MIRRORS, datasets.MNIST_SHA256 = [base + "a/", base + "b/"], {**datasets.MNIST_SHA256, **FAKE_SHA}
    try:
        yield
    finally:
        datasets.MNIST_MIRRORS, datasets.MNIST_SHA256 = saved
        httpd.shutdown()
        httpd.server_close()
        thread.join()


def _tmpdir():
    import tempfile
    return tempfile.TemporaryDirectory(prefix="mmlbook-badinput-")


def test_pattern7_a_transfer_cut_short_falls_through_to_the_next_mirror(monkeypatch):
    monkeypatch.delenv("MMLBOOK_OFFLINE", raising=False)  # make exports it; these tests download from 127.0.0.1
    from mmlbook.datasets import load_mnist
    with _tmpdir() as tmp, _mirrors("short"):
        images, _ = load_mnist(cache_dir=tmp)
    assert images.ndim == 3


def test_pattern7_a_garbage_answer_falls_through_to_the_next_mirror(monkeypatch):
    monkeypatch.delenv("MMLBOOK_OFFLINE", raising=False)  # make exports it; these tests download from 127.0.0.1
    from mmlbook.datasets import load_mnist
    with _tmpdir() as tmp, _mirrors("garbage"):
        images, _ = load_mnist(cache_dir=tmp)
    assert images.ndim == 3


def test_pattern7_an_unwritable_cache_folder_is_a_download_error(monkeypatch):
    monkeypatch.delenv("MMLBOOK_OFFLINE", raising=False)  # make exports it; these tests download from 127.0.0.1
    from mmlbook.datasets import DownloadError, load_mnist
    with _tmpdir() as tmp, _mirrors("short"):
        blocker = Path(tmp) / "a-file"
        blocker.write_bytes(b"")
        with pytest.raises(DownloadError, match="MMLBOOK_DATA"):
            load_mnist(cache_dir=blocker)


def test_pattern7_a_corrupt_cached_file_is_a_download_error():
    from mmlbook.datasets import DownloadError, load_mnist
    with _tmpdir() as tmp:
        folder = Path(tmp) / "mnist"
        folder.mkdir()
        (folder / "train-images-idx3-ubyte.gz").write_bytes(b"not gzip at all")
        with pytest.raises(DownloadError, match="corrupt"):
            load_mnist(cache_dir=tmp, download=False)


def test_pattern7_parse_idx_size_cannot_wrap_around():
    from mmlbook.datasets import IDXFormatError, parse_idx
    header = bytes([0, 0, 0x08, 4]) + (2 ** 16).to_bytes(4, "big") * 4  # 2**64 bytes: wraps to 0 in int64
    with pytest.raises(IDXFormatError, match="truncated"):
        parse_idx(header)


def test_pattern8_result_repr_delattr_and_pickle():
    import pickle

    from mmlbook._result import Result
    r = Result(x=1.0)
    r[2] = "two"
    assert "2: 'two'" in repr(r)
    with pytest.raises(AttributeError):
        del r.missing
    assert pickle.loads(pickle.dumps(r)) == r


def test_pattern8_convergence_error_pickles():
    import pickle
    err = pickle.loads(pickle.dumps(ConvergenceError("newton", 3, 0.5, 1e-3)))
    assert (err.method, err.nit, err.residual, err.tol) == ("newton", 3, 0.5, 1e-3) and "newton" in str(err)


def test_pattern8_callback_results_are_checked_naming_the_callback():
    with pytest.raises(ValueError, match="grad must return numbers"):
        calc.gradient_descent(lambda v: "downhill", [1.0, 2.0])
    with pytest.raises(ValueError, match=r"grad must return an array of shape \(2,\)"):
        calc.gradient_descent(lambda v: np.ones(3), [1.0, 2.0])
