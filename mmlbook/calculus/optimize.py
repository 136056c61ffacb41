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
from mmlbook._checks import checked, function, homogeneous, in_range, integer, matrix, number, optional, vector
from mmlbook._validation import as_vector, check_in_range, check_number, check_positive_int
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


def _solve(A: np.ndarray, b: np.ndarray, what: str) -> np.ndarray:
    """Solve ``A s = b``, raising ``SingularMatrixError`` if ``A`` is (nearly) singular."""
    cond = np.linalg.cond(A)
    if not np.isfinite(cond) or cond > MAX_CONDITION:
        raise SingularMatrixError(
            f"{what} is singular (condition number {cond:.3g}): the Newton step is undefined"
        )
    return np.linalg.solve(A, b)


def _gradient(grad: Any, name: str, args: dict) -> Callable:
    """The check of a gradient: finite, of the shape of ``x0``, at ``x0``; at later iterates non-finite is let through.

    A gradient that overflows at an iterate far out is the iterates diverging
    (the step is too large), not a bad ``grad``: it reaches the loop as
    infinity, moves the iterate to infinity or NaN, and the loop's divergence
    test reports it as a ``ConvergenceError``, whether or not the iterate had
    passed :math:`10^{150}` times the start before the gradient overflowed.
    """
    g = function(grad, name, args, returns="x0", finite=False)
    at_start = g(args["x0"])
    if not np.all(np.isfinite(at_start)):
        raise ValueError(f"{name} must return finite values, got "
                         f"{np.array2string(at_start, threshold=8, precision=6)} at x0={args['x0']}")
    return g


def _bound(x: Any, name: str, args: dict) -> float:
    """The check of a length bound: a positive number, or ``numpy.inf`` (no bound)."""
    if isinstance(x, (float, np.floating)) and x == np.inf:
        return np.inf
    return number(x, name, args, low=0.0, low_open=True)


class _Constraints:
    r"""The constraints as one function :math:`\mathbf g(\mathbf x)` of ``m = len(g)`` components."""

    def __init__(self, g: Callable, m: int):
        self.g, self.m = g, m

    def __call__(self, x: np.ndarray) -> np.ndarray:
        return self.g(x)

    def __len__(self) -> int:
        return self.m


def _constraint_functions(constraints: Any, name: str, args: dict) -> _Constraints:
    """The check of ``constraints``: a function of x returning m < n numbers, or a list of m functions."""
    if callable(constraints):
        g = function(constraints, name, args, returns="array", ndim=(0, 1), same_shape=True)
        g0 = g(args["x0"])
        one_d = lambda v: np.atleast_1d(g(v))  # noqa: E731
    else:
        try:
            parts = list(constraints)
        except TypeError:
            raise ValueError(f"{name} must be callable or a list of callables, "
                             f"got {type(constraints).__name__}") from None
        if not parts:
            raise ValueError(f"{name} must not be empty")
        parts = [function(c, f"{name}[{i}]", args, returns="number") for i, c in enumerate(parts)]
        one_d = lambda v: np.array([c(v) for c in parts])  # noqa: E731
        g0 = one_d(args["x0"])
    m, n = np.atleast_1d(g0).size, args["x0"].size
    if m == 0:
        raise ValueError(f"{name} must return a non-empty 1-D array, got shape {np.shape(g0)}")
    if m >= n + 1:
        raise ValueError(f"{name} must number fewer than the variables ({n}), got {m}")
    return _Constraints(one_d, m)


def _n_plus_m(args: dict) -> int:
    return len(args["x0"]) + len(args["constraints"])


def _lagrange_system(f_grad: Callable, g: Callable, x0: np.ndarray, lam0: np.ndarray | None,
                     g_jac: Callable | None, jac: Callable | None) -> tuple[Callable, Callable, np.ndarray]:
    r""":math:`F(\mathbf x, \boldsymbol\lambda)`, its Jacobian and the start :math:`(\mathbf x_0, \boldsymbol\lambda_0)`."""
    n = x0.size
    Jg = g_jac if g_jac is not None else (lambda v: jacobian(g, v))

    def F(z: np.ndarray) -> np.ndarray:
        v, lam = z[:n], z[n:]
        return np.concatenate([f_grad(v) - Jg(v).T @ lam, g(v)])

    J_F = jac if jac is not None else (lambda z: jacobian(F, z))
    if lam0 is None:  # the multipliers that best balance the gradients at x0
        lam0 = np.linalg.lstsq(Jg(x0).T, f_grad(x0), rcond=None)[0]
    return F, J_F, np.concatenate([x0, lam0])


@checked(f=function(returns="number"), df=optional(function(returns="number")), x0=number,
         tol=number(low=0, low_open=True), max_iter=integer(low=1))
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
        ``x`` (the root), ``fun`` (:math:`f(x)`; NaN when the iterates ran
        off, where :math:`f` is not evaluated), ``nit``, ``success`` and
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
        on a cycle), or they run off towards infinity (beyond :math:`10^{150}` times
        :math:`\max(1, |x_0|)`).

    Examples
    --------
    >>> res = newton_raphson(lambda x: x**2 - 2, lambda x: 2 * x, 1.0)
    >>> round(res.x, 12), res.nit
    (1.414213562373, 6)
    """
    slope = df if df is not None else (lambda t: derivative(f, t))  # f'(x), by differences if not given
    x, fx, step, path = x0, f(x0), np.inf, [x0]
    for nit in range(1, max_iter + 1):
        if fx == 0.0:
            return Result(x=x, fun=fx, nit=nit - 1, success=True, path=np.array(path))
        d = slope(x)
        if d == 0.0:
            raise ZeroDerivativeError(f"f'(x) = 0 at x = {x:.6g} (iteration {nit - 1}), where f(x) = {fx:.3g}: "
                                      "the tangent is horizontal; start somewhere else")
        step = fx / d
        x = x - step                                       # x_{k+1} = x_k - f(x_k) / f'(x_k)
        path.append(x)
        if not abs(x) / max(1.0, abs(x0)) <= 1e150:  # ran off: 1e150 times further out (or to inf, NaN)
            fx = np.nan                                 # f is not evaluated out there
            break
        fx = f(x)
        if abs(step) <= tol * max(1.0, abs(x)):
            return Result(x=x, fun=fx, nit=nit, success=True, path=np.array(path))
    else:
        nit = max_iter
    if raise_on_failure:
        raise ConvergenceError("newton_raphson", nit, abs(step), tol)
    return Result(x=x, fun=fx, nit=nit, success=False, path=np.array(path))


@checked(x0=vector, grad=_gradient, step=number(low=0, low_open=True), tol=number(low=0, low_open=True),
         max_iter=integer(low=1), momentum=number(low=0, high=1, high_open=True))
@in_range("x0", "step")  # a huge step diverges: _gradient_descent says so
def gradient_descent(grad: Callable, x0: Any, *, step: float = 0.1, tol: float = 1e-8,
                     max_iter: int = 10_000, momentum: float = 0.0) -> Result:
    r"""A minimum by steepest descent with a fixed step size, optionally with momentum.

    .. math:: \mathbf x_{k+1} = \mathbf x_k - \gamma\, \nabla f(\mathbf x_k),

    stopping when :math:`\lVert \nabla f(\mathbf x_k) \rVert \le` ``tol``.
    With momentum :math:`\mu > 0` (the heavy-ball method) the step is a
    running velocity,

    .. math::
        \mathbf v_{k+1} = \mu\, \mathbf v_k - \gamma\, \nabla f(\mathbf x_k), \qquad
        \mathbf x_{k+1} = \mathbf x_k + \mathbf v_{k+1}, \qquad \mathbf v_0 = \mathbf 0,

    which is plain steepest descent for :math:`\mu = 0`.

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
    momentum : float
        :math:`\mu` in :math:`[0, 1)`.

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

    Notes
    -----
    On a quadratic with Hessian eigenvalues in :math:`[\lambda_{\min}, \lambda_{\max}]`
    and condition number :math:`\kappa = \lambda_{\max}/\lambda_{\min}`, the
    best fixed step :math:`\gamma = 2/(\lambda_{\min} + \lambda_{\max})`
    shrinks the error by :math:`(\kappa - 1)/(\kappa + 1)` per step; momentum
    with :math:`\gamma = 4/(\sqrt{\lambda_{\max}} + \sqrt{\lambda_{\min}})^2`
    and :math:`\mu = \bigl((\sqrt\kappa - 1)/(\sqrt\kappa + 1)\bigr)^2` by about
    :math:`(\sqrt\kappa - 1)/(\sqrt\kappa + 1)` (Polyak 1964).

    Examples
    --------
    >>> res = gradient_descent(lambda v: 2 * v, [1.0, -2.0], step=0.25)
    >>> np.allclose(res.x, 0), res.nit
    (True, 29)
    """
    return _gradient_descent(grad, x0, step, momentum, tol, max_iter)


def _gradient_descent(grad: Callable, x: np.ndarray, gamma: float, mu: float, tol: float,
                      max_iter: int) -> Result:
    """Steepest descent with momentum, the loop of :func:`gradient_descent` (no checks)."""
    path, v = [x.copy()], np.zeros_like(x)
    start = max(1.0, np.linalg.norm(x, np.inf))  # the largest coordinate of the start
    for k in range(max_iter + 1):
        g = grad(x)
        gnorm = float(np.linalg.norm(g))
        if gnorm <= tol:
            return Result(x=x, nit=k, success=True, path=np.array(path), grad_norm=gnorm)
        if k == max_iter:
            break
        v = mu * v - gamma * g                # v_{k+1} = mu v_k - gamma grad f(x_k)
        x = x + v                             # x_{k+1} = x_k + v_{k+1}
        path.append(x.copy())
        if not np.linalg.norm(x, np.inf) / start <= 1e150:  # 1e150 times further (or inf, NaN): diverged
            raise ConvergenceError("gradient_descent (iterates diverged: reduce step)", k + 1, np.inf, tol)
    raise ConvergenceError("gradient_descent", max_iter, gnorm, tol)


@checked(grad=function(returns="x0"), hess=function(returns=("x0", "x0")), x0=vector,
         tol=number(low=0, low_open=True), max_iter=integer(low=1))
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
        If the gradient norm is above ``tol`` after ``max_iter`` steps, or the
        iterates run off (:math:`10^{150}` times further out than
        :math:`\max(1, \lVert \mathbf x_0 \rVert)`).

    Examples
    --------
    >>> res = newton_minimize(lambda v: np.array([2 * v[0], 8 * v[1]]),
    ...                       lambda v: np.diag([2.0, 8.0]), [3.0, 1.0])
    >>> res.x.tolist(), res.nit
    ([0.0, 0.0], 1)
    """
    x, path = x0, [x0]
    start = max(1.0, np.linalg.norm(x0, np.inf))  # the largest coordinate of the start
    for nit in range(max_iter + 1):
        g = grad(x)
        gnorm = float(np.linalg.norm(g))
        if gnorm <= tol:
            return Result(x=x, nit=nit, success=True, path=np.array(path), grad_norm=gnorm)
        if nit == max_iter:
            break
        H = hess(x)
        x = x + _solve(H, -g, f"the Hessian at x = {np.array2string(x, precision=4)}")  # H Δx = -∇f
        path.append(x)
        if not np.linalg.norm(x, np.inf) / start <= 1e150:  # 1e150 times further (or inf, NaN): diverged
            raise ConvergenceError("newton_minimize (iterates diverged)", nit + 1, np.inf, tol)
    raise ConvergenceError("newton_minimize", max_iter, gnorm, tol)


def _is_positive_definite(H: np.ndarray) -> bool:
    """Whether the symmetric part of ``H`` is positive definite (Cholesky succeeds)."""
    try:
        np.linalg.cholesky(0.5 * (H + H.T))
    except np.linalg.LinAlgError:
        return False
    return bool(np.linalg.cond(H) < MAX_CONDITION)


@checked(g=vector, H=matrix(rows="g", cols="g"), step=number(low=0, low_open=True), max_length=_bound)
@homogeneous(g=1, H=-1, jointly=False)
def hybrid_step(g: Any, H: Any, step: float = 0.1, max_length: float = 1.0) -> np.ndarray:
    r"""The next step of the hybrid method, from the gradient and the Hessian at a point.

    .. math::
        \Delta\mathbf x =
        \begin{cases}
          -H^{-1} \nabla f & \text{if } H \text{ is positive definite (Newton)}, \\
          -\gamma \nabla f \cdot \min\bigl(1, \ell / \lVert \gamma \nabla f \rVert\bigr)
            & \text{otherwise (steepest descent, at most } \ell \text{ long)}.
        \end{cases}

    The Newton step goes to the minimum of the quadratic Taylor model, which
    exists only when the model is a bowl; elsewhere the gradient step goes
    downhill, and the bound :math:`\ell` keeps it from flying off where the
    gradient is large. This is the "next step" of the sandpit assignment of
    the Imperial College course, week 5.

    Parameters
    ----------
    g : array_like, shape (n,)
        The gradient :math:`\nabla f` at the current point.
    H : array_like, shape (n, n)
        The Hessian at the current point.
    step : float
        The gradient step size :math:`\gamma > 0`.
    max_length : float
        The longest gradient step :math:`\ell > 0` (``numpy.inf`` for no bound).

    Returns
    -------
    ndarray, shape (n,)
        The step :math:`\Delta\mathbf x`; the next point is :math:`\mathbf x + \Delta\mathbf x`.

    Raises
    ------
    ValueError
        If ``g`` is not a finite vector, ``H`` not a finite square matrix of
        matching size, or ``step`` or ``max_length`` not positive.

    Examples
    --------
    >>> hybrid_step([2.0, -4.0], np.diag([2.0, 4.0])).tolist()          # a bowl: Newton
    [-1.0, 1.0]
    >>> hybrid_step([30.0, 40.0], np.diag([2.0, -4.0]), step=0.1).round(12).tolist()  # a saddle: bounded
    [-0.6, -0.8]
    """
    return _hybrid_step(g, H, step, max_length)[0]


def _hybrid_step(g: np.ndarray, H: np.ndarray, gamma: float, max_length: float) -> tuple[np.ndarray, bool]:
    """The hybrid step and whether it is a Newton step (no checks)."""
    if _is_positive_definite(H):
        return np.linalg.solve(H, -g), True    # Newton: the bottom of the quadratic model
    dx = -gamma * g                            # steepest descent ...
    length = np.linalg.norm(dx)
    if length > max_length:
        dx = dx * (max_length / length)        # ... at most max_length long
    return dx, False


@checked(grad=function(returns="x0"), hess=function(returns=("x0", "x0")), x0=vector,
         step=number(low=0, low_open=True), max_length=_bound, tol=number(low=0, low_open=True), max_iter=integer(low=1))
def hybrid_minimize(grad: Callable, hess: Callable, x0: Any, *, step: float = 0.1,
                    max_length: float = 1.0, tol: float = 1e-10, max_iter: int = 1000) -> Result:
    r"""A minimum by Newton steps where they can be trusted and gradient steps elsewhere.

    At each iterate, take the step of :func:`hybrid_step` from the gradient
    and the Hessian :math:`H(\mathbf x_k)`:

    - if :math:`H` is **positive definite** (the quadratic Taylor model is a bowl
      with a minimum), the Newton step
      :math:`\mathbf x_{k+1} = \mathbf x_k - H^{-1}\nabla f`;
    - otherwise (near a maximum, a saddle, or where :math:`H` is singular)
      the Newton step could go uphill or be undefined, so a gradient step
      :math:`\mathbf x_{k+1} = \mathbf x_k - \gamma \nabla f`, shortened to
      ``max_length`` if it is longer.

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
    max_length : float
        The longest gradient step, as in :func:`hybrid_step` (``numpy.inf`` for no bound).
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
    return _hybrid_minimize(grad, hess, x0, step, max_length, tol, max_iter)


def _hybrid_minimize(grad: Callable, hess: Callable, x: np.ndarray, gamma: float, max_length: float,
                     tol: float, max_iter: int) -> Result:
    """The loop of :func:`hybrid_minimize`: one :func:`hybrid_step` per iteration (no checks)."""
    path, newton_steps = [x.copy()], []
    start = max(1.0, np.linalg.norm(x, np.inf))  # the largest coordinate of the start
    for k in range(max_iter + 1):
        g = grad(x)
        gnorm = float(np.linalg.norm(g))
        if gnorm <= tol:
            return Result(x=x, nit=k, success=True, path=np.array(path), grad_norm=gnorm,
                          newton_steps=np.array(newton_steps, dtype=bool))
        if k == max_iter:
            break
        dx, is_newton = _hybrid_step(g, hess(x), gamma, max_length)
        x = x + dx
        newton_steps.append(is_newton)
        path.append(x.copy())
        if not np.linalg.norm(x, np.inf) / start <= 1e150:  # 1e150 times further (or inf, NaN): diverged
            raise ConvergenceError("hybrid_minimize (iterates diverged: reduce step)", k + 1, np.inf, tol)
    raise ConvergenceError("hybrid_minimize", max_iter, gnorm, tol)


@checked(x0=vector, f_grad=function(returns="x0"), constraints=_constraint_functions,
         lam0=optional(vector(size="constraints")),
         constraints_jac=optional(function(returns=("constraints", "x0"))),
         jac=optional(function(returns=(_n_plus_m, _n_plus_m))), tol=number(low=0, low_open=True),
         max_iter=integer(low=1))
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
    n = x0.size
    F, J_F, z = _lagrange_system(f_grad, constraints, x0, lam0, constraints_jac, jac)
    path = [x0]
    for nit in range(max_iter + 1):
        Fz = F(z)
        residual = float(np.linalg.norm(Fz))
        if residual <= tol:
            return Result(x=z[:n].copy(), lam=z[n:].copy(), nit=nit, success=True,
                          path=np.array(path), residual=residual)
        if nit == max_iter:
            break
        z = z + _solve(J_F(z), -Fz, "the Jacobian of the Lagrange system")  # Newton on F(x, λ) = 0
        path.append(z[:n].copy())
    raise ConvergenceError("lagrange_multipliers", max_iter, residual, tol)


def steepest_descent(x: Any, y: Any, p0: Any, *, step: float, n_steps: int) -> Result:
    r"""Fit a normal density to a histogram by steepest descent on :math:`\chi^2`.

    With :math:`f(x; \mu, \sigma) = \frac{1}{\sigma\sqrt{2\pi}} e^{-(x - \mu)^2/(2\sigma^2)}`
    and residuals :math:`r_i = y_i - f(x_i)`, take ``n_steps`` steps of

    .. math::
        \begin{pmatrix} \mu \\ \sigma \end{pmatrix} \leftarrow
        \begin{pmatrix} \mu \\ \sigma \end{pmatrix} - \gamma
        \begin{pmatrix} \partial\chi^2/\partial\mu \\ \partial\chi^2/\partial\sigma \end{pmatrix},
        \qquad
        \frac{\partial\chi^2}{\partial\mu} = -2\sum_i r_i\, f_i\, \frac{x_i - \mu}{\sigma^2}, \quad
        \frac{\partial\chi^2}{\partial\sigma} = -2\sum_i r_i\, f_i \Bigl(\frac{(x_i - \mu)^2}{\sigma^3} - \frac1\sigma\Bigr).

    This is the week-6 assignment of the Imperial College course (fitting the
    distribution of heights), with a fixed number of steps so that every
    correct implementation gives the same numbers.

    Parameters
    ----------
    x : array_like, shape (N,)
        Bin centres.
    y : array_like, shape (N,)
        Bar heights (a density).
    p0 : array_like, shape (2,)
        The start :math:`(\mu_0, \sigma_0)`, with :math:`\sigma_0 > 0`.
    step : float
        The step size :math:`\gamma > 0`.
    n_steps : int
        How many steps to take (at least 1).

    Returns
    -------
    Result
        ``x`` (the final :math:`(\mu, \sigma)`), ``nit`` (``n_steps``),
        ``path`` (shape (n_steps + 1, 2)), ``chi2`` (:math:`\chi^2` at every
        iterate, shape (n_steps + 1,)) and ``success`` (whether :math:`\chi^2`
        fell).

    Raises
    ------
    ValueError
        If ``x`` and ``y`` are not finite vectors of the same length, ``p0``
        is not a finite pair with :math:`\sigma_0 > 0`, ``step`` is not
        positive or ``n_steps`` not a positive integer.
    ConvergenceError
        If a step makes :math:`\sigma \le 0` or the iterates blow up (the step is too large).

    Examples
    --------
    >>> xs = np.linspace(-3, 3, 13)
    >>> ys = np.exp(-xs**2 / 2) / np.sqrt(2 * np.pi)
    >>> np.round(steepest_descent(xs, ys, [0.3, 1.3], step=2.0, n_steps=500).x, 4).tolist()
    [0.0, 1.0]
    """
    x = as_vector(x, "x")
    y = as_vector(y, "y", size=x.size)
    p = as_vector(p0, "p0", size=2).copy()
    if p[1] <= 0:
        raise ValueError(f"p0 must have a positive standard deviation, got sigma = {p[1]:g}")
    gamma = check_number(step, "step", low=0.0, low_open=True)
    n_steps = check_positive_int(n_steps, "n_steps")
    path = [p.copy()]
    with np.errstate(all="ignore"):  # extreme x, y or p0 overflow: caught by the finiteness checks below
        for k in range(n_steps):
            p = p - gamma * _chi2_gradient(x, y, *p)
            if not np.all(np.isfinite(p)) or p[1] <= 0:
                raise ConvergenceError("steepest_descent (sigma left (0, inf): reduce step)", k + 1, np.inf, 0.0)
            path.append(p.copy())
        path = np.array(path)
        chi2 = np.array([np.sum((y - _normal_density(x, mu, sigma)) ** 2) for mu, sigma in path])
    check_in_range(chi2, "x, y, p0")
    return Result(x=p, nit=n_steps, path=path, chi2=chi2, success=bool(chi2[-1] < chi2[0]))


def _normal_density(x: np.ndarray, mu: float, sigma: float) -> np.ndarray:
    return np.exp(-((x - mu) ** 2) / (2 * sigma**2)) / (sigma * np.sqrt(2 * np.pi))


def _chi2_gradient(x: np.ndarray, y: np.ndarray, mu: float, sigma: float) -> np.ndarray:
    """The partial derivatives of chi^2 for the normal density (no checks)."""
    f = _normal_density(x, mu, sigma)
    r = y - f
    df_dmu = f * (x - mu) / sigma**2
    df_dsigma = f * ((x - mu) ** 2 / sigma**3 - 1 / sigma)
    return np.array([-2 * r @ df_dmu, -2 * r @ df_dsigma])
