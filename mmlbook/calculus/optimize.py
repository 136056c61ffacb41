r"""Finding roots and minima: Newton-Raphson, gradient descent, the Newton step,
a hybrid of the two, and Lagrange multipliers for equality constraints.

Every method here is iterative and returns a :class:`mmlbook._result.Result`
with ``x`` (the answer), ``nit`` (iterations), ``success`` and ``path`` (every
iterate, the start included), so that a chapter can plot the route taken.
"""

from __future__ import annotations

from typing import Any, Callable, Sequence

import numpy as np

from mmlbook._result import Result
from mmlbook._validation import as_float_array, as_vector, check_callable, check_number, check_positive_int
from mmlbook._validation import as_result, pow2_scale
from mmlbook.calculus.differentiation import derivative, jacobian
from mmlbook.exceptions import ConvergenceError, SingularMatrixError

#: Largest condition number for which a Hessian (or Jacobian) counts as invertible.
MAX_CONDITION = 1e14


class ZeroDerivativeError(ArithmeticError):
    """Newton-Raphson reached a point where :math:`f'(x) = 0`.

    The tangent there is horizontal and never meets the axis, so the next
    iterate is undefined. Deliberately *not* a :class:`ZeroDivisionError`:
    the message says where it happened and what to do.
    """


def _vector_call(f: Callable, x: np.ndarray, name: str, size: int) -> np.ndarray:
    """Call ``f(x)`` and check it returns a finite vector of length ``size``."""
    with np.errstate(all="ignore"):  # a non-finite value is reported below, not warned about
        out = as_result(f(x), name, finite=False)
    if out.shape != (size,):
        raise ValueError(f"{name} must return an array of shape ({size},), got shape {out.shape}")
    if not np.all(np.isfinite(out)):
        raise ValueError(f"{name} returned non-finite values {out} at x={x}")
    return out


def _matrix_call(f: Callable, x: np.ndarray, name: str, shape: tuple[int, int]) -> np.ndarray:
    """Call ``f(x)`` and check it returns a finite matrix of the given shape."""
    with np.errstate(all="ignore"):
        out = as_result(f(x), name, finite=False)
    if out.shape != shape:
        raise ValueError(f"{name} must return an array of shape {shape}, got shape {out.shape}")
    if not np.all(np.isfinite(out)):
        raise ValueError(f"{name} returned non-finite values at x={x}")
    return out


def _solve(A: np.ndarray, b: np.ndarray, what: str) -> np.ndarray:
    """Solve ``A s = b``, raising ``SingularMatrixError`` if ``A`` is (nearly) singular."""
    cond = np.linalg.cond(A)
    if not np.isfinite(cond) or cond > MAX_CONDITION:
        raise SingularMatrixError(
            f"{what} is singular (condition number {cond:.3g}): the Newton step is undefined"
        )
    return np.linalg.solve(A, b)


def newton_raphson(f: Callable[[float], float], df: Callable[[float], float] | None, x0: float, *,
                   tol: float = 1e-12, max_iter: int = 100, raise_on_failure: bool = True) -> Result:
    r"""A root of :math:`f(x) = 0` by the Newton-Raphson iteration.

    Follow the tangent at the current point down to the axis,

    .. math:: x_{k+1} = x_k - \frac{f(x_k)}{f'(x_k)},

    until the step is below ``tol`` relative to :math:`\max(1, |x_k|)` or
    :math:`f(x_k) = 0` exactly.

    Parameters
    ----------
    f : callable
        The function, of one real number.
    df : callable or None
        Its derivative :math:`f'`. ``None`` uses central differences
        (``derivative`` from :mod:`mmlbook.calculus.differentiation`).
    x0 : float
        The starting point.
    tol : float
        Tolerance on the relative step.
    max_iter : int
        Give up after this many iterations.
    raise_on_failure : bool
        If true (the default), a failure raises; if false, the method returns
        a ``Result`` with ``success=False`` and the path so far (a chapter uses
        this to plot a cycle).

    Returns
    -------
    Result
        ``x`` (the root), ``fun`` (:math:`f(x)`), ``nit``, ``success`` and
        ``path`` (the iterates :math:`x_0, x_1, \dots`, shape (nit + 1,)).

    Raises
    ------
    ValueError
        If ``f`` or ``df`` is not callable, ``x0`` is not a finite number, or
        an option is out of range.
    ZeroDerivativeError
        (An ``ArithmeticError``.) If :math:`f'(x_k) = 0` at an iterate
        :math:`x_k` that is not a root: the tangent is horizontal.
    ConvergenceError
        If the iterates have not settled after ``max_iter`` steps (for example
        on a cycle), or they run off towards infinity (beyond :math:`10^{150}`).

    Examples
    --------
    >>> res = newton_raphson(lambda x: x**2 - 2, lambda x: 2 * x, 1.0)
    >>> round(res.x, 12), res.nit
    (1.414213562373, 6)
    """
    check_callable(f, "f")
    if df is not None:
        check_callable(df, "df")
    x = check_number(x0, "x0")
    tol = check_number(tol, "tol", low=0.0, low_open=True)
    max_iter = check_positive_int(max_iter, "max_iter")
    slope = (lambda t: derivative(f, t)) if df is None else df

    path = [x]
    step = np.inf
    fx = float(as_result(f(x), "f", shape=(), what="a number", at=f"x0 = {x:g}"))
    for nit in range(1, max_iter + 1):
        if fx == 0.0:
            return Result(x=x, fun=fx, nit=nit - 1, success=True, path=np.array(path))
        d = float(as_result(slope(x), "df" if df is not None else "f", shape=(), what="a number"))
        if d == 0.0:
            raise ZeroDerivativeError(
                f"f'(x) = 0 at x = {x:.6g} (iteration {nit - 1}), where f(x) = {fx:.3g}: the tangent is "
                "horizontal and Newton-Raphson cannot continue; start somewhere else"
            )
        step = fx / d
        x = x - step
        path.append(x)
        if not np.isfinite(x) or abs(x) > 1e150:
            break
        fx = float(as_result(f(x), "f", shape=(), what="a number"))
        if abs(step) <= tol * max(1.0, abs(x)):
            return Result(x=x, fun=fx, nit=nit, success=True, path=np.array(path))
    else:
        nit = max_iter
    if raise_on_failure:
        raise ConvergenceError("newton_raphson", nit, abs(step), tol)
    return Result(x=x, fun=fx if np.isfinite(x) else np.nan, nit=nit, success=False, path=np.array(path))


def gradient_descent(grad: Callable, x0: Any, *, step: float = 0.1, tol: float = 1e-8,
                     max_iter: int = 10_000) -> Result:
    r"""A minimum by steepest descent with a fixed step size.

    .. math:: \mathbf x_{k+1} = \mathbf x_k - \gamma\, \nabla f(\mathbf x_k),

    stopping when :math:`\lVert \nabla f(\mathbf x_k) \rVert \le` ``tol``.

    Parameters
    ----------
    grad : callable
        :math:`\nabla f`: takes an array of shape (n,), returns shape (n,).
    x0 : array_like, shape (n,)
        The starting point.
    step : float
        The step size :math:`\gamma > 0`.
    tol : float
        Tolerance on the gradient norm.
    max_iter : int
        Give up after this many steps.

    Returns
    -------
    Result
        ``x``, ``nit``, ``success``, ``path`` (shape (nit + 1, n)) and
        ``grad_norm`` (the final gradient norm).

    Raises
    ------
    ValueError
        If ``grad`` is not callable or returns the wrong shape or non-finite
        values, ``x0`` is not a finite vector, or an option is out of range.
    ConvergenceError
        If the gradient norm is still above ``tol`` after ``max_iter`` steps
        (a step too small), or the iterates blow up (a step too large).

    Examples
    --------
    >>> res = gradient_descent(lambda v: 2 * v, [1.0, -2.0], step=0.25)
    >>> np.allclose(res.x, 0), res.nit
    (True, 29)
    """
    check_callable(grad, "grad")
    x = as_vector(x0, "x0").copy()
    gamma = check_number(step, "step", low=0.0, low_open=True)
    tol = check_number(tol, "tol", low=0.0, low_open=True)
    max_iter = check_positive_int(max_iter, "max_iter")
    n = x.size

    path = [x.copy()]
    limit = 1e150 * max(1.0, float(np.linalg.norm(x / pow2_scale(x))) * pow2_scale(x))  # relative to the start
    g = _vector_call(grad, x, "grad", n)
    for nit in range(max_iter + 1):
        gnorm = float(np.linalg.norm(g))
        if gnorm <= tol:
            return Result(x=x, nit=nit, success=True, path=np.array(path), grad_norm=gnorm)
        if nit == max_iter:
            break
        x = x - gamma * g
        path.append(x.copy())
        if not np.all(np.isfinite(x)) or np.linalg.norm(x / pow2_scale(x)) * pow2_scale(x) > limit:
            raise ConvergenceError("gradient_descent (iterates diverged: reduce step)", nit + 1, np.inf, tol)
        g = _vector_call(grad, x, "grad", n)
    raise ConvergenceError("gradient_descent", max_iter, gnorm, tol)


def newton_minimize(grad: Callable, hess: Callable, x0: Any, *, tol: float = 1e-10,
                    max_iter: int = 100) -> Result:
    r"""A stationary point of :math:`f` by Newton's method with the Hessian.

    Minimise the quadratic Taylor model at each iterate, i.e. solve
    :math:`H(\mathbf x_k)\, \mathbf s = -\nabla f(\mathbf x_k)` and step,

    .. math:: \mathbf x_{k+1} = \mathbf x_k - H(\mathbf x_k)^{-1} \nabla f(\mathbf x_k),

    stopping when :math:`\lVert \nabla f \rVert \le` ``tol``. Newton's method
    looks for :math:`\nabla f = 0`: started near a maximum or a saddle it
    converges there, which is why :func:`hybrid_minimize` exists.

    Parameters
    ----------
    grad : callable
        :math:`\nabla f`, shape (n,) to (n,).
    hess : callable
        The Hessian :math:`H`, shape (n,) to (n, n).
    x0 : array_like, shape (n,)
        The starting point.
    tol : float
        Tolerance on the gradient norm.
    max_iter : int
        Give up after this many steps.

    Returns
    -------
    Result
        ``x``, ``nit``, ``success``, ``path`` (shape (nit + 1, n)) and ``grad_norm``.

    Raises
    ------
    ValueError
        If ``grad`` or ``hess`` is not callable or returns the wrong shape,
        ``x0`` is not a finite vector, or an option is out of range.
    SingularMatrixError
        If the Hessian at an iterate is singular (condition number above
        ``MAX_CONDITION``), so the Newton step is undefined.
    ConvergenceError
        If the gradient norm is above ``tol`` after ``max_iter`` steps.

    Examples
    --------
    >>> res = newton_minimize(lambda v: np.array([2 * v[0], 8 * v[1]]),
    ...                       lambda v: np.diag([2.0, 8.0]), [3.0, 1.0])
    >>> res.x.tolist(), res.nit
    ([0.0, 0.0], 1)
    """
    check_callable(grad, "grad")
    check_callable(hess, "hess")
    x = as_vector(x0, "x0").copy()
    tol = check_number(tol, "tol", low=0.0, low_open=True)
    max_iter = check_positive_int(max_iter, "max_iter")
    n = x.size

    path = [x.copy()]
    for nit in range(max_iter + 1):
        g = _vector_call(grad, x, "grad", n)
        gnorm = float(np.linalg.norm(g))
        if gnorm <= tol:
            return Result(x=x, nit=nit, success=True, path=np.array(path), grad_norm=gnorm)
        if nit == max_iter:
            break
        H = _matrix_call(hess, x, "hess", (n, n))
        x = x + _solve(H, -g, f"the Hessian at x = {np.array2string(x, precision=4)}")
        path.append(x.copy())
    raise ConvergenceError("newton_minimize", max_iter, gnorm, tol)


def _is_positive_definite(H: np.ndarray) -> bool:
    """Whether the symmetric part of ``H`` is positive definite (Cholesky succeeds)."""
    try:
        np.linalg.cholesky(0.5 * (H + H.T))
    except np.linalg.LinAlgError:
        return False
    return bool(np.linalg.cond(H) < MAX_CONDITION)


def hybrid_minimize(grad: Callable, hess: Callable, x0: Any, *, step: float = 0.1,
                    tol: float = 1e-10, max_iter: int = 1000) -> Result:
    r"""A minimum by Newton steps where they can be trusted and gradient steps elsewhere.

    At each iterate, look at the Hessian :math:`H(\mathbf x_k)`:

    - if it is **positive definite** (the quadratic Taylor model is a bowl
      with a minimum), take the Newton step
      :math:`\mathbf x_{k+1} = \mathbf x_k - H^{-1}\nabla f`;
    - otherwise (near a maximum, a saddle, or where :math:`H` is singular)
      the Newton step could go uphill or be undefined, so take a gradient step
      :math:`\mathbf x_{k+1} = \mathbf x_k - \gamma \nabla f`.

    The method is therefore never stopped by a singular Hessian, and is drawn
    only towards minima; near a minimum, where :math:`H` is positive definite,
    it converges as fast as Newton's method.

    Parameters
    ----------
    grad : callable
        :math:`\nabla f`, shape (n,) to (n,).
    hess : callable
        The Hessian, shape (n,) to (n, n).
    x0 : array_like, shape (n,)
        The starting point.
    step : float
        The gradient step size :math:`\gamma > 0`.
    tol : float
        Tolerance on the gradient norm.
    max_iter : int
        Give up after this many steps.

    Returns
    -------
    Result
        ``x``, ``nit``, ``success``, ``path`` (shape (nit + 1, n)),
        ``grad_norm`` and ``newton_steps`` (a boolean per step: true where
        the Newton step was taken).

    Raises
    ------
    ValueError
        If ``grad`` or ``hess`` is not callable or returns the wrong shape,
        ``x0`` is not a finite vector, or an option is out of range.
    ConvergenceError
        If the gradient norm is above ``tol`` after ``max_iter`` steps or the
        iterates blow up.

    Examples
    --------
    >>> grad = lambda v: np.array([4 * v[0] ** 3 - 4 * v[0], 2 * v[1]])   # f = x^4 - 2x^2 + y^2
    >>> hess = lambda v: np.diag([12 * v[0] ** 2 - 4, 2.0])
    >>> res = hybrid_minimize(grad, hess, [0.1, 1.0], step=0.1)   # H is indefinite at the start
    >>> np.round(res.x, 8).tolist()
    [1.0, 0.0]
    """
    check_callable(grad, "grad")
    check_callable(hess, "hess")
    x = as_vector(x0, "x0").copy()
    gamma = check_number(step, "step", low=0.0, low_open=True)
    tol = check_number(tol, "tol", low=0.0, low_open=True)
    max_iter = check_positive_int(max_iter, "max_iter")
    n = x.size

    path = [x.copy()]
    newton_steps: list[bool] = []
    for nit in range(max_iter + 1):
        g = _vector_call(grad, x, "grad", n)
        gnorm = float(np.linalg.norm(g))
        if gnorm <= tol:
            return Result(x=x, nit=nit, success=True, path=np.array(path), grad_norm=gnorm,
                          newton_steps=np.array(newton_steps, dtype=bool))
        if nit == max_iter:
            break
        H = _matrix_call(hess, x, "hess", (n, n))
        if _is_positive_definite(H):
            x = x + np.linalg.solve(H, -g)
            newton_steps.append(True)
        else:
            x = x - gamma * g
            newton_steps.append(False)
        path.append(x.copy())
        if not np.all(np.isfinite(x)) or np.linalg.norm(x) > 1e150:
            raise ConvergenceError("hybrid_minimize (iterates diverged: reduce step)", nit + 1, np.inf, tol)
    raise ConvergenceError("hybrid_minimize", max_iter, gnorm, tol)


def lagrange_multipliers(f_grad: Callable, constraints: Callable | Sequence[Callable], x0: Any, *,
                         lam0: Any = None, constraints_jac: Callable | None = None,
                         jac: Callable | None = None, tol: float = 1e-9,
                         max_iter: int = 100) -> Result:
    r"""A stationary point of :math:`f` subject to equality constraints :math:`g_i(\mathbf x) = 0`.

    At a constrained optimum the gradient of :math:`f` is a combination of
    the constraints' gradients. With the Lagrangian
    :math:`\mathcal L(\mathbf x, \boldsymbol\lambda) = f(\mathbf x) - \boldsymbol\lambda^\top \mathbf g(\mathbf x)`,
    that is :math:`\nabla \mathcal L = \mathbf 0`:

    .. math::
        F(\mathbf x, \boldsymbol\lambda) =
        \begin{pmatrix} \nabla f(\mathbf x) - J_{\mathbf g}(\mathbf x)^\top \boldsymbol\lambda \\
                        \mathbf g(\mathbf x) \end{pmatrix} = \mathbf 0,

    :math:`n + m` equations in :math:`n + m` unknowns, solved by Newton's
    method, :math:`\mathbf z_{k+1} = \mathbf z_k - J_F(\mathbf z_k)^{-1} F(\mathbf z_k)`
    with :math:`\mathbf z = (\mathbf x, \boldsymbol\lambda)`, until
    :math:`\lVert F \rVert \le` ``tol``.

    Parameters
    ----------
    f_grad : callable
        :math:`\nabla f`, shape (n,) to (n,).
    constraints : callable or sequence of callables
        Either one function returning the vector :math:`\mathbf g(\mathbf x)`
        of shape (m,), or a list of functions each returning one number.
    x0 : array_like, shape (n,)
        The starting point.
    lam0 : array_like, shape (m,), optional
        Starting multipliers; by default the least-squares solution of
        :math:`J_{\mathbf g}^\top \boldsymbol\lambda = \nabla f` at ``x0``.
    constraints_jac : callable, optional
        :math:`J_{\mathbf g}`, shape (n,) to (m, n). By default central
        differences (``jacobian`` from :mod:`mmlbook.calculus.differentiation`).
    jac : callable, optional
        The Jacobian :math:`J_F` of the whole system, a function of
        :math:`\mathbf z` of shape (n + m,) returning (n + m, n + m). By
        default central differences of :math:`F`.
    tol : float
        Tolerance on :math:`\lVert F \rVert`. With finite-difference Jacobians
        :math:`F` is only accurate to about :math:`10^{-10}`, so do not ask
        for much less than the default.
    max_iter : int
        Give up after this many Newton steps.

    Returns
    -------
    Result
        ``x`` (shape (n,)), ``lam`` (the multipliers, shape (m,)), ``nit``,
        ``success``, ``path`` (the iterates of :math:`\mathbf x`, shape
        (nit + 1, n)) and ``residual`` (the final :math:`\lVert F \rVert`).

    Raises
    ------
    ValueError
        If an argument is not callable, returns the wrong shape or non-finite
        values, or ``x0``/``lam0`` are not finite vectors of the right length.
    SingularMatrixError
        If :math:`J_F` is singular at an iterate (for example when the
        constraints' gradients are linearly dependent).
    ConvergenceError
        If :math:`\lVert F \rVert > ` ``tol`` after ``max_iter`` steps.

    Notes
    -----
    The sign convention :math:`\nabla f = \boldsymbol\lambda^\top J_{\mathbf g}`
    is the book's; some texts write :math:`\mathcal L = f + \boldsymbol\lambda^\top\mathbf g`
    and get multipliers of the opposite sign. Newton's method finds a
    stationary point of :math:`\mathcal L`: whether it is a constrained
    minimum or maximum depends on the start and must be checked.

    Examples
    --------
    Maximise :math:`xy` on the line :math:`x + y = 2`:

    >>> res = lagrange_multipliers(lambda v: np.array([v[1], v[0]]),
    ...                            lambda v: np.array([v[0] + v[1] - 2]), [0.5, 1.0])
    >>> np.round(res.x, 8).tolist(), np.round(res.lam, 8).tolist()
    ([1.0, 1.0], [1.0])
    """
    check_callable(f_grad, "f_grad")
    if callable(constraints):
        g_fun = constraints
    else:
        try:
            parts = list(constraints)
        except TypeError:
            raise ValueError(f"constraints must be callable or a list of callables, "
                             f"got {type(constraints).__name__}") from None
        if not parts:
            raise ValueError("constraints must not be empty")
        for i, c in enumerate(parts):
            check_callable(c, f"constraints[{i}]")

        def g_fun(v: np.ndarray) -> np.ndarray:
            return np.array([float(as_result(c(v), f"constraints[{i}]", shape=(), what="a number"))
                             for i, c in enumerate(parts)])
    if constraints_jac is not None:
        check_callable(constraints_jac, "constraints_jac")
    if jac is not None:
        check_callable(jac, "jac")
    x = as_vector(x0, "x0").copy()
    tol = check_number(tol, "tol", low=0.0, low_open=True)
    max_iter = check_positive_int(max_iter, "max_iter")
    n = x.size

    g0 = np.atleast_1d(as_result(g_fun(x), "constraints", finite=False))
    if g0.ndim != 1 or g0.size == 0:
        raise ValueError(f"constraints must return a non-empty 1-D array, got shape {g0.shape}")
    m = g0.size
    if m >= n + 1:
        raise ValueError(f"constraints must number fewer than the variables ({n}), got {m}")

    def g_vec(v: np.ndarray) -> np.ndarray:
        return _vector_call(lambda u: np.atleast_1d(as_result(g_fun(u), "constraints", finite=False)), v, "constraints", m)

    def Jg(v: np.ndarray) -> np.ndarray:
        if constraints_jac is not None:
            return _matrix_call(constraints_jac, v, "constraints_jac", (m, n))
        return jacobian(g_vec, v)

    def F(z: np.ndarray) -> np.ndarray:
        v, lam = z[:n], z[n:]
        return np.concatenate([_vector_call(f_grad, v, "f_grad", n) - Jg(v).T @ lam, g_vec(v)])

    if lam0 is None:
        lam = np.linalg.lstsq(Jg(x).T, _vector_call(f_grad, x, "f_grad", n), rcond=None)[0]
    else:
        lam = as_vector(lam0, "lam0", size=m).copy()
    z = np.concatenate([x, lam])

    path = [x.copy()]
    for nit in range(max_iter + 1):
        Fz = F(z)
        residual = float(np.linalg.norm(Fz))
        if residual <= tol:
            return Result(x=z[:n].copy(), lam=z[n:].copy(), nit=nit, success=True,
                          path=np.array(path), residual=residual)
        if nit == max_iter:
            break
        JF = _matrix_call(jac, z, "jac", (n + m, n + m)) if jac is not None else jacobian(F, z)
        z = z + _solve(JF, -Fz, "the Jacobian of the Lagrange system")
        path.append(z[:n].copy())
    raise ConvergenceError("lagrange_multipliers", max_iter, residual, tol)
