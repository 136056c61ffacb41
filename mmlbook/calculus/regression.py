r"""Fitting models to data by least squares: straight lines, linear models and
non-linear models (steepest descent, Gauss-Newton and Levenberg-Marquardt).

The measure of misfit throughout is the (weighted) sum of squared residuals,

.. math::
    \chi^2(\mathbf p) = \sum_{i=1}^{N} \left(\frac{y_i - f(x_i; \mathbf p)}{\sigma_i}\right)^2 .
"""

from __future__ import annotations

from typing import Any, Callable

import numpy as np
import scipy.linalg

from mmlbook._checks import array, checked, homogeneous, in_range, matrix, vector
from mmlbook._result import Result
from mmlbook._validation import as_result, check_in_range, extreme_scale, pow2_scale, scaled_norm, unscale
from mmlbook._validation import (as_float_array, as_vector, check_callable, check_number,
                                 check_positive_int, check_same_length)
from mmlbook.calculus.differentiation import jacobian as fd_jacobian
from mmlbook.exceptions import ConvergenceError, SingularMatrixError

#: The methods :func:`fit_nonlinear` knows.
METHODS = ("steepest-descent", "gauss-newton", "lm")

#: Initial Levenberg-Marquardt damping :math:`\lambda_0`, relative to the scaling :math:`D = \mathrm{diag}(J^\top J)`.
INITIAL_DAMPING = 1e-3

#: Initial bound on the scaled Levenberg-Marquardt step, relative to the scaled parameters.
STEP_BOUND = 1.0


def _gaussian_params(params: Any, name: str, args: dict) -> tuple[np.ndarray, np.ndarray]:
    """The check of ``params``: a pair (mu, sigma) of numbers, or arrays that broadcast with x, sigma non-zero."""
    try:
        mu, sigma = params  # two numbers, or two arrays that broadcast with x (a grid of parameters)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a pair (mu, sigma), got {params!r:.80}") from None
    mu, sigma = array(mu, f"{name}[0] (mu)", args), array(sigma, f"{name}[1] (sigma)", args)
    if np.any(sigma == 0):
        raise ValueError(f"{name}[1] (sigma) must not be 0: the density is undefined")
    return mu, sigma


def _varying(x: Any, name: str, args: dict) -> np.ndarray:
    """The check of the x of a line fit: at least 2 points, not all the same."""
    x = vector(x, name, args)
    if x.size < 2:
        raise ValueError(f"{name} must have at least 2 points, got {x.size}")
    u = x / pow2_scale(x)  # compared near 1: dx @ dx cannot underflow
    du = u - u.mean()
    if float(du @ du) <= (np.finfo(float).eps * u.size * max(1.0, float(np.abs(u).max()))) ** 2:
        raise ValueError(f"{name} must not be constant: the slope is undefined")
    return x


def _tall(X: Any, name: str, args: dict) -> np.ndarray:
    """The check of a design matrix: at least as many rows (observations) as columns."""
    X = matrix(X, name, args)
    if X.shape[0] < X.shape[1]:
        raise ValueError(f"{name} must have at least as many rows as columns, got shape {X.shape}")
    return X


@checked(x=_varying, y=vector(size="x"))
@homogeneous(x=1, y=1, returns=({"x": -1, "y": 1}, {"y": 1}))  # m like y / x, c like y
def linear_fit(x: Any, y: Any) -> tuple[float, float]:
    r"""The least-squares straight line :math:`y \approx m x + c` through points.

    Setting the derivatives of :math:`\chi^2 = \sum_i (y_i - m x_i - c)^2`
    with respect to :math:`m` and :math:`c` to zero gives the closed form

    .. math::
        m = \frac{\sum_i (x_i - \bar x)(y_i - \bar y)}{\sum_i (x_i - \bar x)^2},
        \qquad c = \bar y - m \bar x .

    Parameters
    ----------
    x, y : array_like, shape (N,)
        The points, :math:`N \ge 2`.

    Returns
    -------
    (float, float)
        The slope :math:`m` and the intercept :math:`c`.

    Raises
    ------
    ValueError
        If ``x`` or ``y`` is not a finite 1-D array, their lengths differ,
        there are fewer than two points, or ``x`` is constant (every line
        through the mean then fits equally well).

    Examples
    --------
    >>> linear_fit([0.0, 1.0, 2.0], [1.0, 3.0, 5.0])
    (2.0, 1.0)
    """
    dx = x - x.mean()
    m = float(dx @ (y - y.mean()) / (dx @ dx))  # the slope S_xy / S_xx
    c = float(y.mean() - m * x.mean())         # the line passes through the means
    return m, c


@checked(X=_tall, y=vector(size="X"))
@homogeneous(X=-1, y=1)  # w scales like y / X
def least_squares(X: Any, y: Any) -> np.ndarray:
    r"""The coefficients :math:`\boldsymbol\beta` minimising :math:`\lVert X\boldsymbol\beta - \mathbf y\rVert^2`.

    The minimiser solves the normal equations
    :math:`X^\top X \boldsymbol\beta = X^\top \mathbf y`. Forming
    :math:`X^\top X` squares the condition number, so we instead factor
    :math:`X = QR` (Householder QR, :math:`Q^\top Q = I`, :math:`R` upper
    triangular) and solve the triangular system

    .. math:: R\, \boldsymbol\beta = Q^\top \mathbf y ,

    which is the same solution computed without the squaring.

    Parameters
    ----------
    X : array_like, shape (N, P)
        The design matrix, one row per sample, :math:`N \ge P`.
    y : array_like, shape (N,)
        The observations.

    Returns
    -------
    ndarray, shape (P,)
        The least-squares coefficients.

    Raises
    ------
    ValueError
        If ``X`` is not a finite 2-D array or ``y`` a finite 1-D array, their
        lengths differ, or :math:`N < P`.
    SingularMatrixError
        If the columns of ``X`` are linearly dependent (to working precision).

    Examples
    --------
    >>> X = np.column_stack([np.ones(3), [0.0, 1.0, 2.0]])
    >>> least_squares(X, [1.0, 3.0, 5.0]).round(12).tolist()
    [1.0, 2.0]
    """
    Q, R = np.linalg.qr(X, mode="reduced")  # X = QR, so X w = y becomes R w = Qᵀ y
    d = np.abs(np.diag(R))
    if d.min() <= np.finfo(float).eps * max(X.shape) * d.max():
        raise SingularMatrixError("X has linearly dependent columns: the least-squares solution is not unique")
    return scipy.linalg.solve_triangular(R, Q.T @ y, lower=False)


def chi_squared(residuals: Any, sigma: Any = None) -> float:
    r"""The sum of squared (optionally weighted) residuals,
    :math:`\chi^2 = \sum_i (r_i / \sigma_i)^2`.

    Parameters
    ----------
    residuals : array_like, shape (N,)
        :math:`r_i = y_i - f(x_i)`.
    sigma : float or array_like, shape (N,), optional
        The uncertainty of each observation; by default 1.

    Returns
    -------
    float
        :math:`\chi^2`.

    Raises
    ------
    ValueError
        If ``residuals`` is not a finite 1-D array, or ``sigma`` is not
        positive and finite or has the wrong length.

    Examples
    --------
    >>> chi_squared([1.0, -2.0]), chi_squared([1.0, -2.0], sigma=2.0)
    (5.0, 1.25)
    """
    r = as_vector(residuals, "residuals")
    s = _check_sigma(sigma, r.size)
    with np.errstate(over="ignore"):
        return check_in_range(float(np.sum((r / s) ** 2)), "residuals and sigma")


def _check_sigma(sigma: Any, N: int) -> np.ndarray:
    if sigma is None:
        return np.ones(N)
    s = as_float_array(sigma, "sigma", ndim=(0, 1))
    if s.ndim == 1 and s.size != N:
        raise ValueError(f"sigma must have length {N}, got shape {s.shape}")
    if np.any(s <= 0):
        raise ValueError(f"sigma must be positive, got {s.min():g}")
    return np.broadcast_to(s, (N,)).astype(float)


@checked(x=array(allow_empty=True), params=_gaussian_params)
@in_range("params")
def gaussian(x: Any, params: Any) -> np.ndarray:
    r"""The normal probability density with mean :math:`\mu` and standard deviation :math:`\sigma`.

    .. math:: f(x; \mu, \sigma) = \frac{1}{\sigma\sqrt{2\pi}} \exp\left(-\frac{(x - \mu)^2}{2\sigma^2}\right).

    Parameters
    ----------
    x : array_like, shape (N,)
        Where to evaluate.
    params : array_like, shape (2,)
        :math:`(\mu, \sigma)`.

    Returns
    -------
    ndarray, shape (N,)
    """
    mu, sigma = params
    z = (x - mu) / sigma
    return np.exp(-0.5 * z * z) / (np.abs(sigma) * np.sqrt(2 * np.pi))


@checked(x=array(allow_empty=True), params=_gaussian_params)
@in_range("params")
def gaussian_jacobian(x: Any, params: Any) -> np.ndarray:
    r"""The partial derivatives of :func:`gaussian` with respect to :math:`\mu` and :math:`\sigma`.

    .. math::
        \frac{\partial f}{\partial \mu} = f\, \frac{x - \mu}{\sigma^2}, \qquad
        \frac{\partial f}{\partial \sigma} = f \left(\frac{(x - \mu)^2}{\sigma^3} - \frac{1}{\sigma}\right).

    Returns
    -------
    ndarray, shape (N, 2)
        Column 0 is :math:`\partial f/\partial\mu`, column 1 :math:`\partial f/\partial\sigma`.
    """
    mu, sigma = params
    f = gaussian(x, params)
    z = (x - mu) / sigma
    d_mu = np.where(f > 0, f * z / sigma, 0.0)
    d_sigma = np.where(f > 0, f * (z * z - 1) / sigma, 0.0)  # f depends on sigma**2 only: odd in sigma
    return np.column_stack([d_mu, d_sigma])


def _in_range(values: np.ndarray, name: str) -> np.ndarray:
    """Raise a range error instead of returning infinity."""
    if not np.all(np.isfinite(values)):
        raise ValueError(f"{name} out of range: the values overflow the float range")
    return values


class _Problem:
    """Residuals and Jacobian of a weighted least-squares problem, with call counts."""

    def __init__(self, model, x, y, w, jac, P):
        self.model, self.x, self.y, self.w, self.jac, self.P = model, x, y, w, jac, P
        # chi^2 of residuals that are rounding error only: a fit this close is exact to working precision
        self.floor = float(np.sum((64 * np.finfo(float).eps * 2 * np.abs(y) * w) ** 2))
        self.nfev = 0
        self.njev = 0

    def predict(self, p: np.ndarray) -> np.ndarray:
        with np.errstate(all="ignore"):  # a model that overflows at extreme parameters: handled as non-finite
            return as_result(self.model(self.x, p), "model", finite=False)

    def residuals(self, p: np.ndarray) -> np.ndarray | None:
        """Weighted residuals :math:`(y - f)/\\sigma`, or ``None`` if the model is not finite at ``p``."""
        self.nfev += 1
        with np.errstate(all="ignore"):
            f = self.predict(p)
        if f.shape != self.y.shape or not np.all(np.isfinite(f)):
            return None
        return (self.y - f) * self.w

    def jacobian(self, p: np.ndarray) -> np.ndarray:
        """Jacobian of the weighted model, :math:`J = \\mathrm{diag}(1/\\sigma)\\, \\partial f/\\partial p`.

        The chapter's sign: :math:`J` is the Jacobian of the model, so the
        residuals :math:`\\mathbf r = (\\mathbf y - \\mathbf f)/\\sigma` change by
        :math:`-J\\boldsymbol\\delta` and :math:`\\nabla\\chi^2 = -2J^\\top\\mathbf r`.
        """
        self.njev += 1
        with np.errstate(all="ignore"):
            if self.jac is not None:
                Jf = as_result(self.jac(self.x, p), "jac", finite=False)
            else:
                Jf = fd_jacobian(lambda q: self.predict(q), p)
        if Jf.shape != (self.y.size, self.P):
            raise ValueError(f"jac must return an array of shape ({self.y.size}, {self.P}), got shape {Jf.shape}")
        if not np.all(np.isfinite(Jf)):
            raise ValueError(f"jac returned non-finite values at params={p}")
        return Jf * self.w[:, None]


def fit_nonlinear(model: Callable, x: Any, y: Any, p0: Any, *, jac: Callable | None = None,
                  sigma: Any = None, method: str = "lm", tol: float = 1e-12,
                  max_iter: int | None = None) -> Result:
    r"""Fit the parameters :math:`\mathbf p` of a model :math:`f(x; \mathbf p)` by non-linear least squares.

    Minimise :math:`\chi^2(\mathbf p) = \lVert \mathbf r(\mathbf p) \rVert^2`
    with residuals :math:`r_i = (y_i - f(x_i; \mathbf p))/\sigma_i` and the
    Jacobian of the (weighted) model, :math:`J_{ik} = \partial f(x_i)/\partial p_k\,/\sigma_i`,
    as in the chapter. The gradient is :math:`\nabla\chi^2 = -2 J^\top \mathbf r`.
    Each method proposes a step :math:`\boldsymbol\delta`:

    ``"steepest-descent"``
        :math:`\boldsymbol\delta = \gamma\, J^\top \mathbf r`, downhill on
        :math:`\chi^2`, with the step size :math:`\gamma` found by
        backtracking (halving until :math:`\chi^2` falls enough, the Armijo
        condition) and doubled after each success.
    ``"gauss-newton"``
        Linearise :math:`\mathbf r(\mathbf p + \boldsymbol\delta) \approx \mathbf r - J\boldsymbol\delta`
        and minimise: :math:`J^\top J \boldsymbol\delta = J^\top \mathbf r`
        (solved as the linear least-squares problem
        :math:`J\boldsymbol\delta \approx \mathbf r`). The step is halved
        until :math:`\chi^2` falls (damped Gauss-Newton).
    ``"lm"``
        Levenberg-Marquardt: blend the two,

        .. math::
            \left(J^\top J + \lambda\, D\right)\boldsymbol\delta = J^\top \mathbf r,
            \qquad D = \mathrm{diag}(J^\top J),

        with Marquardt's scaling :math:`D` (the largest diagonal seen so far,
        so that the method does not depend on the units of the parameters).
        Large :math:`\lambda` gives short steps of steepest descent scaled by
        :math:`D^{-1}` (:math:`\boldsymbol\delta \approx D^{-1}J^\top\mathbf r/\lambda`),
        small :math:`\lambda` Gauss-Newton steps. After each trial step the gain ratio
        :math:`\rho` (actual over predicted reduction of :math:`\chi^2`)
        adapts the damping: a step with :math:`\rho > 0` is accepted and
        :math:`\lambda \leftarrow \lambda \max(\tfrac13, 1 - (2\rho - 1)^3)`; otherwise
        the step is rejected and :math:`\lambda` grows by a factor that doubles
        after each consecutive rejection (Nielsen's rule). A trial point where
        the model is not finite counts as rejected.

    Stopping, for every method, asks whether anything is left to gain, and
    judges that from the *undamped* Gauss-Newton step
    :math:`\boldsymbol\delta_{\mathrm{GN}}` (a step cut short by a trust radius,
    a damping or a line search can be small far from the minimum): the fall
    of :math:`\chi^2` it predicts is below ``tol`` times :math:`\chi^2` (and
    the last step's actual fall too), or it would change no parameter by more
    than ``tol`` relative, each parameter weighed by the length :math:`c_k` of
    its column of :math:`J` (:math:`\lVert \mathbf c \circ \boldsymbol\delta_{\mathrm{GN}}\rVert
    \le \mathrm{tol}\, \lVert \mathbf c \circ \mathbf p \rVert`, indifferent to units), or the
    cosine between :math:`\mathbf r` and every column of :math:`J` is below
    ``tol``, or the residuals are rounding error only, or :math:`\chi^2 = 0`.
    Steepest descent stops only on these tests, not on a small fall of
    :math:`\chi^2` alone (it also falls slowly along a narrow valley).

    Scale: :math:`\chi^2` is computed with the weights divided by a power of two
    when ``y`` or the predictions are beyond :math:`2^{\pm 500}`, and every
    linear solve scales the columns of :math:`J` to one length, so fits in
    other units give the same parameters in those units. Levenberg-Marquardt
    damps a parameter whose column is shorter than machine epsilon times the
    longest as if it had that length (it waits until the model depends on it),
    so columns more than :math:`1/\varepsilon` apart may end in a
    ``ConvergenceError``.

    Parameters
    ----------
    model : callable
        ``model(x, params)`` returns the predictions, shape (N,).
    x : array_like, shape (N,) or (N, D)
        The independent variable(s), passed to ``model`` unchanged.
    y : array_like, shape (N,)
        The observations.
    p0 : array_like, shape (P,)
        The starting parameters.
    jac : callable, optional
        ``jac(x, params)`` returns :math:`\partial f / \partial \mathbf p`,
        shape (N, P). By default central differences (``jacobian`` from
        :mod:`mmlbook.calculus.differentiation`).
    sigma : float or array_like, shape (N,), optional
        Uncertainty of each observation (weights :math:`1/\sigma_i^2`); by default 1.
    method : {"lm", "gauss-newton", "steepest-descent"}
        The step rule.
    tol : float
        Tolerance of the stopping tests.
    max_iter : int, optional
        Give up after this many iterations (trial steps); by default 200
        times the number of parameters, and 20,000 for steepest descent.

    Returns
    -------
    Result
        ``x`` (the fitted parameters, shape (P,)), ``rss`` (the final
        :math:`\chi^2`, the residual sum of squares when ``sigma`` is not
        given), ``stderr`` (standard errors
        :math:`\sqrt{\mathrm{diag}(s^2 (J^\top J)^{-1})}` with
        :math:`s^2 = \chi^2/(N - P)`; ``inf`` where :math:`J` is rank
        deficient and ``nan`` when :math:`N \le P`), ``cov`` (that matrix),
        ``residuals`` (:math:`y - f`, unweighted), ``nit``, ``nfev`` (model
        evaluations, not counting those for finite-difference Jacobians, as
        in scipy), ``njev`` (Jacobian evaluations), ``success``, ``method``
        and ``path`` (the accepted iterates, shape (k, P)).

    Raises
    ------
    ValueError
        If ``model`` (or ``jac``) is not callable or returns the wrong shape
        or non-finite values at ``p0``; ``x``, ``y``, ``p0`` or ``sigma`` hold
        NaN or infinity; ``x`` and ``y`` differ in length; or an option is
        out of range.
    ConvergenceError
        If no stopping test is met within ``max_iter`` iterations, the
        damping grows without bound, steepest descent finds no downhill step,
        or the fit stops on a plateau where the model does not depend on a
        parameter at all (a zero column of :math:`J`, for example a rate so
        large that the exponential underflows): a stationary point, not a fit.
    ValueError
        Also if :math:`\chi^2` at the fit is beyond the float range (over- or underflow).

    References
    ----------
    K. Levenberg (1944); D. W. Marquardt (1963); H. B. Nielsen (1999),
    *Damping parameter in Marquardt's method*, IMM-REP-1999-05, DTU.

    Examples
    --------
    >>> t = np.array([0.0, 1.0, 2.0, 3.0])
    >>> res = fit_nonlinear(lambda t, p: p[0] * np.exp(-p[1] * t), t, 2 * np.exp(-0.5 * t), [1.0, 1.0])
    >>> np.round(res.x, 8).tolist(), res.success
    ([2.0, 0.5], True)
    """
    check_callable(model, "model")
    if jac is not None:
        check_callable(jac, "jac")
    x_arr = as_float_array(x, "x", ndim=(1, 2))
    y = as_vector(y, "y")
    check_same_length(x_arr, "x", y, "y")
    p = as_vector(p0, "p0").copy()
    if method not in METHODS:
        raise ValueError(f"method must be one of {METHODS}, got {method!r}")
    tol = check_number(tol, "tol", low=0.0, low_open=True)
    P, N = p.size, y.size
    if max_iter is None:
        max_iter = 20_000 if method == "steepest-descent" else 200 * P
    max_iter = check_positive_int(max_iter, "max_iter")
    w = 1.0 / _check_sigma(sigma, N)

    with np.errstate(all="ignore"):  # a non-finite prediction is reported just below
        f0 = as_result(model(x_arr, p), "model", finite=False)
    if f0.shape != (N,):
        raise ValueError(f"model must return an array of shape ({N},) (one prediction per y), got shape {f0.shape}")
    if not np.all(np.isfinite(f0)):
        raise ValueError(f"model must return finite values at p0, got {f0[~np.isfinite(f0)][0]}")
    with np.errstate(over="ignore"):  # chi^2 of far-out values would under- or overflow: weigh by a power of two
        scale = extreme_scale(np.concatenate([y * w, f0 * w]))
    prob = _Problem(model, x_arr, y, w / scale, jac, P)
    r = prob.residuals(p)
    with np.errstate(over="ignore"):
        check_in_range(float(r @ r) if r is not None else np.inf, "y and p0")

    stepper = {"steepest-descent": _steepest_descent, "gauss-newton": _gauss_newton, "lm": _levenberg_marquardt}[method]
    with np.errstate(over="ignore", invalid="ignore"):  # a trial point that overflows is rejected
        p, r, J, nit, success, path, last = stepper(prob, p, r, tol, max_iter)
    if not success:
        raise ConvergenceError(f"fit_nonlinear ({method})", nit, last, tol)
    flat = np.flatnonzero(_unit_columns(J)[1] == 0)
    if flat.size:  # chi^2 is flat there because the model ignores a parameter: a plateau, not a fit
        raise ConvergenceError(f"fit_nonlinear ({method}) stopped on a plateau, where the model does not depend on "
                               f"params[{flat[0]}] (= {p[flat[0]]:.3g}): start closer to the fit; it", nit, last, tol)

    with np.errstate(over="ignore", invalid="ignore"):
        cov, stderr = _covariance(J, float(r @ r), N, P)  # the weights' scale cancels in s^2 (J^T J)^-1
        rss = unscale(unscale(float(r @ r), scale, "y"), scale, "y")
    if rss == 0.0 and r @ r > 0.0:
        raise ValueError("y out of range: the residual sum of squares underflows the float range")
    return Result(x=p, rss=rss, stderr=stderr, cov=cov, residuals=y - prob.predict(p), nit=nit,
                  nfev=prob.nfev, njev=prob.njev, success=True, method=method, path=np.array(path))


def _covariance(J: np.ndarray, rss: float, N: int, P: int) -> tuple[np.ndarray, np.ndarray]:
    r""":math:`s^2 (J^T J)^{-1}` by the SVD of ``J`` with its columns scaled to length 1, and the standard errors.

    With :math:`J = U C` (unit columns :math:`U`, lengths :math:`C`), :math:`(J^\top J)^{-1} = C^{-1} (U^\top U)^{-1} C^{-1}`:
    the rank is judged on :math:`U`, whatever the units of the parameters.
    """
    if N <= P:
        nan = np.full((P, P), np.nan)
        return nan, np.full(P, np.nan)
    units, relative, longest = _unit_columns(J)
    _, s, Vt = np.linalg.svd(units, full_matrices=False)
    if s.min() <= np.finfo(float).eps * max(N, P) * s.max():
        return np.full((P, P), np.inf), np.full(P, np.inf)
    s2 = rss / (N - P)
    with np.errstate(over="ignore", under="ignore"):
        c = relative * longest
        cov = s2 * ((Vt.T / s**2) @ Vt) / np.outer(c, c)
    return cov, np.sqrt(np.diag(cov))


def _unit_columns(J: np.ndarray) -> tuple[np.ndarray, np.ndarray, float]:
    """``J`` with each non-zero column scaled to length 1; the column lengths relative to the longest;
    and the longest length, so that column :math:`k` is ``units[:, k] * relative[k] * longest``.

    Computed by powers of two, so columns of lengths :math:`10^{200}` and :math:`10^{-200}`
    neither overflow nor underflow; relative lengths too small for a float are 0.
    """
    with np.errstate(under="ignore"):
        scale = pow2_scale(J)
        lengths = np.linalg.norm(J / scale, axis=0)  # the longest column is in [1, 2 sqrt(N)) or 0
        top = float(lengths.max()) if lengths.size and lengths.max() > 0 else 1.0
        units = (J / scale) / np.where(lengths > 0, lengths, 1.0)
        return units, lengths / top, top * scale


def _small_gradient(J: np.ndarray, r: np.ndarray, tol: float) -> bool:
    """MINPACK's test: the cosine between ``r`` and each column of ``J`` is at most ``tol``."""
    if not np.any(r):
        return True
    units, _, _ = _unit_columns(J)
    cos = np.abs(units.T @ (r / scaled_norm(r)))
    return bool(cos.max() <= tol)


def _lm_step(J: np.ndarray, r: np.ndarray, lam: float, D: np.ndarray, radius: float) -> tuple[np.ndarray, float]:
    r"""The Levenberg-Marquardt step: solve :math:`(J^\top J + \lambda D)\,\boldsymbol\delta = J^\top \mathbf r`.

    Solved for the scaled step :math:`\mathbf u = \sqrt D\, \boldsymbol\delta` as the least-squares problem
    :math:`[J D^{-1/2}; \sqrt\lambda\, I]\,\mathbf u \approx [\mathbf r; \mathbf 0]`, which avoids forming
    :math:`J^\top J` and whose columns have comparable lengths whatever the units of the parameters.
    While the scaled step :math:`\lVert \mathbf u \rVert` is longer than ``radius``
    (the region where the linear model is trusted), :math:`\lambda` doubles.
    Returns the step and the damping used.
    """
    def solve(lam: float) -> np.ndarray:  # delta = u / sqrt(D)
        augmented = np.vstack([J / np.sqrt(D), np.sqrt(lam) * np.eye(D.size)])
        return np.linalg.lstsq(augmented, np.concatenate([r, np.zeros(D.size)]), rcond=None)[0] / np.sqrt(D)

    delta = solve(lam)
    for _ in range(60):
        if np.linalg.norm(np.sqrt(D) * delta) <= radius:
            break
        lam *= 2.0
        delta = solve(lam)
    return delta, lam


def _lm_judge(chi2: float, chi2_new: float, predicted: float, lam: float, nu: float) -> tuple[float, float, float]:
    r"""Judge a trial step by its gain ratio :math:`\rho` and adapt the damping :math:`\lambda`.

    :math:`\rho` is the fall of :math:`\chi^2` over the fall the linear model
    predicted. A step with :math:`\rho > 0` is accepted and :math:`\lambda`
    shrinks (towards Gauss-Newton); otherwise it is rejected and :math:`\lambda`
    grows by :math:`\nu`, which doubles after each rejection in a row
    (towards short steps of steepest descent scaled by :math:`D^{-1}`). Nielsen's rule.
    """
    rho = (chi2 - chi2_new) / predicted if predicted > 0 else -1.0
    if rho > 0:
        return rho, lam * max(1 / 3, 1 - (2 * rho - 1) ** 3), 2.0
    return rho, lam * nu, 2.0 * nu


def _gauss_newton_gain(J: np.ndarray, r: np.ndarray) -> tuple[np.ndarray, float]:
    r"""The undamped Gauss-Newton step :math:`J\boldsymbol\delta \approx \mathbf r` and the fall of
    :math:`\chi^2` it predicts, :math:`\lVert J\boldsymbol\delta\rVert^2` (the part of :math:`\mathbf r` that
    a change of the parameters can reach).

    Solved with the columns of :math:`J` scaled to one length, so that the rank is judged
    by their directions, not by the units of the parameters.
    """
    units, relative, longest = _unit_columns(J)
    u = np.linalg.lstsq(units, r, rcond=None)[0]
    with np.errstate(over="ignore", under="ignore"):
        delta = np.where(relative > 0, u / np.where(relative > 0, relative, 1.0), 0.0) / longest
    return delta, float(np.sum((units @ u) ** 2))


def _negligible(J: np.ndarray, delta: np.ndarray, p: np.ndarray, tol: float) -> bool:
    r"""Whether a step changes the parameters negligibly, each weighed by how much the model depends on it:
    :math:`\lVert \mathbf c \circ \boldsymbol\delta \rVert \le \mathrm{tol}\, \lVert \mathbf c \circ \mathbf p \rVert`,
    with :math:`c_k` the length of column :math:`k` of :math:`J`.

    The weights make the test indifferent to the units of each parameter, so a
    parameter of size :math:`10^{-15}` beside one of size 1 is not taken as settled
    because its step is small in absolute terms. A step of zero length is not
    negligible but a failure (a step size that underflowed).
    """
    _, c, _ = _unit_columns(J)  # relative lengths, at most 1: the products cannot overflow
    with np.errstate(under="ignore", invalid="ignore"):
        moved, size = scaled_norm(c * delta), scaled_norm(c * p)
    return bool(0.0 < moved <= tol * size)


def _levenberg_marquardt(prob: _Problem, p, r, tol, max_iter):
    """The Levenberg-Marquardt loop around :func:`_lm_step` and :func:`_lm_judge`: trust radius, stopping tests.

    The stopping tests ask of the *undamped* Gauss-Newton step whether there is
    anything left to gain: a step cut short by the trust radius or by the damping
    can be small, and gain little, far from the minimum.
    """
    J = prob.jacobian(p)
    chi2 = float(r @ r)
    D = np.diag(J.T @ J).copy()
    lam, nu = INITIAL_DAMPING, 2.0
    radius = STEP_BOUND * max(float(np.linalg.norm(np.sqrt(D) * p)), 1.0)
    path = [p.copy()]
    last = np.inf
    for nit in range(1, max_iter + 1):
        if chi2 == 0.0 or _small_gradient(J, r, tol):
            return p, r, J, nit - 1, True, path, 0.0
        delta_gn, gain_gn = _gauss_newton_gain(J, r)
        if _negligible(J, delta_gn, p, tol):  # not even the full Gauss-Newton step would move p
            return p, r, J, nit - 1, True, path, float(np.linalg.norm(delta_gn))
        # the full Gauss-Newton step would gain a fraction tol of chi^2 at most, or the misfit is rounding error
        settled = gain_gn <= tol * chi2 or chi2 <= prob.floor
        # a parameter the model depends on below rounding (a column under eps times the longest) is damped
        # as if its column were that long: it waits until the model depends on it
        Dpos = np.maximum(D, np.finfo(float).eps ** 2 * D.max()) if D.max() > 0 else np.ones_like(D)
        delta, lam = _lm_step(J, r, lam, Dpos, radius)
        scaled = float(np.linalg.norm(np.sqrt(Dpos) * delta))
        last = float(np.linalg.norm(delta))
        predicted = chi2 - float(np.sum((r - J @ delta) ** 2))
        r_new = prob.residuals(p + delta)
        chi2_new = np.inf if r_new is None else float(r_new @ r_new)
        rho, lam, nu = _lm_judge(chi2, chi2_new, predicted, lam, nu)
        if rho < 0.25:
            radius = min(radius, 0.5 * scaled) if rho <= 0 else radius
        elif rho > 0.75:
            radius = max(radius, 2.0 * scaled)
        if rho > 0:
            p, r, chi2 = p + delta, r_new, chi2_new
            J = prob.jacobian(p)
            D = np.maximum(D, np.diag(J.T @ J))
            path.append(p.copy())
            if settled:
                return p, r, J, nit, True, path, last
        elif settled:  # what is left to gain is below rounding: no step lowers chi^2
            return p, r, J, nit, True, path, last
        elif lam > 1e250 or nu > 1e250:  # below 1e308 after _lm_step's 60 doublings at most
            break
    return p, r, J, nit, False, path, last


def _gauss_newton(prob: _Problem, p, r, tol, max_iter):
    J = prob.jacobian(p)
    cost = float(r @ r)
    path = [p.copy()]
    last = np.inf
    for nit in range(1, max_iter + 1):
        if cost == 0.0 or _small_gradient(J, r, tol):
            return p, r, J, nit - 1, True, path, 0.0
        delta, predicted = _gauss_newton_gain(J, r)
        t = 1.0
        while True:
            r_new = prob.residuals(p + t * delta)
            cost_new = np.inf if r_new is None else float(r_new @ r_new)
            if cost_new < cost or t < 1e-10:
                break
            t /= 2
        step = t * delta
        last = float(np.linalg.norm(step))
        if not cost_new < cost:
            # no decrease along the Gauss-Newton direction: converged if there was nothing left to gain
            return p, r, J, nit, predicted <= tol * cost or _negligible(J, delta, p, tol), path, last
        small_change = (cost - cost_new) <= tol * cost and predicted <= tol * cost
        negligible = _negligible(J, delta, p, tol)
        p, r, cost = p + step, r_new, cost_new
        J = prob.jacobian(p)
        path.append(p.copy())
        if small_change or negligible:
            return p, r, J, nit, True, path, last
    return p, r, J, max_iter, False, path, last


def _steepest_descent(prob: _Problem, p, r, tol, max_iter):
    J = prob.jacobian(p)
    cost = float(r @ r)
    path = [p.copy()]
    with np.errstate(under="ignore"):  # 1 / ||J||_F^2, without overflow; 0 if it underflows (then no step)
        scale = pow2_scale(J)
        gamma = min(float(1.0 / scale / scale / max(float(np.sum((J / scale) ** 2)), 1.0)), np.finfo(float).max)
    last = np.inf
    for nit in range(1, max_iter + 1):
        if cost == 0.0 or _small_gradient(J, r, tol):
            return p, r, J, nit - 1, True, path, 0.0
        g = J.T @ r  # minus half the gradient of chi^2: downhill
        gg = float(g @ g)
        for _ in range(200):  # halve the step until chi^2 falls enough (a factor 1e-60 at most)
            r_new = prob.residuals(p + gamma * g)
            cost_new = np.inf if r_new is None else float(r_new @ r_new)
            if cost_new <= cost - gamma * gg or _negligible(J, gamma * g, p, tol) or gamma == 0.0:
                break
            gamma /= 2
        last = gamma * np.sqrt(gg) if gamma > 0 else 0.0
        # a small fall of chi^2 means convergence only if the linear model sees nothing left to gain either:
        # steepest descent also crawls along a narrow valley
        settled = _gauss_newton_gain(J, r)[1] <= tol * cost or cost <= prob.floor
        if not cost_new < cost:  # no fall even for a negligible step: converged, or stuck (badly scaled)
            return p, r, J, nit, settled, path, last
        small_change = (cost - cost_new) <= tol * cost and settled
        p, r, cost = p + gamma * g, r_new, cost_new
        J = prob.jacobian(p)
        path.append(p.copy())
        gamma *= 2
        if small_change:
            return p, r, J, nit, True, path, last
    return p, r, J, max_iter, False, path, last
