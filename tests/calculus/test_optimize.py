"""Tests of mmlbook.calculus.optimize: Newton-Raphson, gradient descent, Newton, hybrid, Lagrange."""

import numpy as np
import pytest
import scipy.optimize as so
from hypothesis import given
from hypothesis import strategies as st

from mmlbook.calculus import (ZeroDerivativeError, gradient_descent, hybrid_minimize, lagrange_multipliers,
                              newton_minimize, newton_raphson)
from mmlbook.exceptions import ConvergenceError, SingularMatrixError

# The sixth-degree polynomial of the Newton-Raphson chapter; f' = (x + 3)(x + 1)^2 (x - 2)(x - 3).
def poly(x):
    return x**6 / 6 - 3 * x**4 - 2 * x**3 / 3 + 27 * x**2 / 2 + 18 * x - 30


def dpoly(x):
    return x**5 - 12 * x**3 - 2 * x**2 + 27 * x + 18


def rosen_grad(v):
    return so.rosen_der(v)


def rosen_hess(v):
    return so.rosen_hess(v)


# --- Newton-Raphson --------------------------------------------------------------------------

@pytest.mark.parametrize("x0", [-4.0, -1.5, 0.0, 1.0, 1.99, 4.0])
def test_newton_raphson_matches_scipy(x0):
    ours = newton_raphson(poly, dpoly, x0)
    theirs = so.newton(poly, x0, fprime=dpoly, tol=1e-14, maxiter=200)
    assert ours.success and ours.x == pytest.approx(theirs, rel=1e-12, abs=1e-12)
    assert abs(poly(ours.x)) < 1e-8
    assert ours.path[0] == x0 and ours.path[-1] == ours.x and len(ours.path) == ours.nit + 1


def test_newton_raphson_finite_difference_derivative():
    ours = newton_raphson(np.cos, None, 1.0)
    assert ours.x == pytest.approx(np.pi / 2, rel=1e-12)


def test_newton_raphson_quadratic_convergence():
    res = newton_raphson(lambda x: x**2 - 2, lambda x: 2 * x, 3.0, tol=1e-15)
    errors = np.abs(res.path - np.sqrt(2))
    errors = errors[(errors > 1e-14) & (errors < 0.1)]
    ratios = errors[1:] / errors[:-1] ** 2
    np.testing.assert_allclose(ratios, 1 / (2 * np.sqrt(2)), rtol=0.05)  # e_{k+1} = e_k^2 f''/(2f')


@given(st.floats(0.5, 100.0))
def test_newton_raphson_square_roots(c):
    res = newton_raphson(lambda x: x * x - c, lambda x: 2 * x, c)
    assert res.x == pytest.approx(np.sqrt(c), rel=1e-12)


def test_newton_raphson_zero_derivative():
    with pytest.raises(ZeroDerivativeError, match="f'\\(x\\) = 0"):
        newton_raphson(lambda x: x**2 + 1, lambda x: 2 * x, 0.0)
    with pytest.raises(ZeroDerivativeError, match="x = 3"):
        newton_raphson(poly, dpoly, 3.0)  # a stationary point of the sextic
    assert issubclass(ZeroDerivativeError, ArithmeticError)
    assert not issubclass(ZeroDerivativeError, ZeroDivisionError)


def test_newton_raphson_cycle_raises_and_reports():
    f, df = (lambda x: x**3 - 2 * x + 2), (lambda x: 3 * x**2 - 2)
    with pytest.raises(ConvergenceError, match="newton_raphson"):
        newton_raphson(f, df, 0.0, max_iter=50)
    res = newton_raphson(f, df, 0.0, max_iter=6, raise_on_failure=False)
    assert not res.success
    np.testing.assert_allclose(res.path, [0, 1, 0, 1, 0, 1, 0])


def test_newton_raphson_divergence_raises():
    with pytest.raises(ConvergenceError):
        newton_raphson(lambda x: np.arctan(x), lambda x: 1 / (1 + x * x), 3.0)
    res = newton_raphson(lambda x: np.arctan(x), lambda x: 1 / (1 + x * x), 3.0, raise_on_failure=False)
    assert not res.success and abs(res.x) > 1e150 * 3.0 and np.isnan(res.fun)  # f not evaluated out there
    assert res.path[-1] == res.x and np.isfinite(res.path[:-1]).all()


def test_newton_raphson_root_at_start():
    res = newton_raphson(lambda x: x - 1.0, lambda x: 1.0, 1.0)
    assert res.success and res.nit == 0


def test_newton_raphson_bad_input():
    with pytest.raises(ValueError, match="f must be callable"):
        newton_raphson(1.0, None, 0.0)
    with pytest.raises(ValueError, match="df must be callable"):
        newton_raphson(np.sin, "cos", 0.0)
    with pytest.raises(ValueError, match="x0"):
        newton_raphson(np.sin, np.cos, np.nan)
    with pytest.raises(ValueError, match="tol"):
        newton_raphson(np.sin, np.cos, 1.0, tol=0)
    with pytest.raises(ValueError, match="max_iter"):
        newton_raphson(np.sin, np.cos, 1.0, max_iter=0)


# --- minimisers ------------------------------------------------------------------------------

A = np.array([[4.0, 1.0], [1.0, 2.0]])
b = np.array([1.0, -2.0])


def quad(v):
    return 0.5 * v @ A @ v - b @ v


def test_gradient_descent_quadratic_against_scipy_and_solution():
    res = gradient_descent(lambda v: A @ v - b, [3.0, 3.0], step=0.2, tol=1e-10)
    ref = so.minimize(quad, [3.0, 3.0], jac=lambda v: A @ v - b, method="BFGS", tol=1e-12)
    np.testing.assert_allclose(res.x, np.linalg.solve(A, b), atol=1e-9)
    np.testing.assert_allclose(res.x, ref.x, atol=1e-7)
    assert res.path.shape == (res.nit + 1, 2)


def test_gradient_descent_step_too_large_diverges_and_too_small_stalls():
    with pytest.raises(ConvergenceError, match="diverged"):
        gradient_descent(lambda v: A @ v - b, [3.0, 3.0], step=1.0)
    with pytest.raises(ConvergenceError, match="gradient_descent"):
        gradient_descent(lambda v: A @ v - b, [3.0, 3.0], step=1e-4, max_iter=50)


@pytest.mark.parametrize("x0", [1.0, 2.0, 10.0, 1e5])
def test_gradient_descent_divergence_is_a_convergence_error_even_when_the_gradient_overflows(x0):
    # x^4 with step 1: from 2, 10 and 1e5 the iterates land between 6e102 and 1e150 times the start,
    # where 4 x^3 overflows before the 1e150 test fires; that is still divergence, not a bad grad.
    with pytest.raises(ConvergenceError, match="diverged"):
        gradient_descent(lambda v: 4 * v**3, [x0], step=1.0)
    if x0 < 700:  # exp(x0) itself finite
        with pytest.raises(ConvergenceError, match="diverged"):
            gradient_descent(lambda v: np.exp(v) - np.exp(-v), [x0], step=1.0)  # 2 cosh x: exp overflows


def test_gradient_descent_non_finite_gradient_at_start_is_bad_input():
    with pytest.raises(ValueError, match=r"grad must return finite values, got \[nan nan\] at x0=\[1. 2.\]"):
        gradient_descent(lambda v: v * np.nan, [1.0, 2.0])
    with pytest.raises(ValueError, match="grad must return an array of shape"):
        gradient_descent(lambda v: v[:1], [1.0, 2.0])


def test_newton_minimize_one_step_on_quadratic():
    res = newton_minimize(lambda v: A @ v - b, lambda v: A, [10.0, -7.0])
    assert res.nit == 1
    np.testing.assert_allclose(res.x, np.linalg.solve(A, b))


@pytest.mark.parametrize("x0", [[-1.2, 1.0], [2.0, 2.0], [0.0, 0.0]])
def test_newton_and_hybrid_on_rosenbrock_against_scipy(x0):
    ref = so.minimize(so.rosen, x0, jac=so.rosen_der, hess=so.rosen_hess, method="Newton-CG", tol=1e-14)
    for method in (newton_minimize, hybrid_minimize):
        res = method(rosen_grad, rosen_hess, x0, tol=1e-10)
        np.testing.assert_allclose(res.x, [1.0, 1.0], atol=1e-8)
        np.testing.assert_allclose(res.x, ref.x, atol=1e-6)


def test_newton_singular_hessian_raises():
    # f = x^4 + y^2 at the line x = 0 has a singular Hessian
    grad = lambda v: np.array([4 * v[0] ** 3, 2 * v[1]])  # noqa: E731
    hess = lambda v: np.diag([12 * v[0] ** 2, 2.0])  # noqa: E731
    with pytest.raises(SingularMatrixError, match="singular"):
        newton_minimize(grad, hess, [0.0, 1.0])
    # the hybrid takes a gradient step instead and reaches the minimum
    res = hybrid_minimize(grad, hess, [0.0, 1.0], step=0.1, tol=1e-6, max_iter=5000)
    assert res.success and not res.newton_steps[0]


def test_newton_converges_to_saddle_hybrid_to_minimum():
    # f = x^4 - 2x^2 + y^2: minima at x = +-1, a maximum in x at 0
    grad = lambda v: np.array([4 * v[0] ** 3 - 4 * v[0], 2 * v[1]])  # noqa: E731
    hess = lambda v: np.diag([12 * v[0] ** 2 - 4, 2.0])  # noqa: E731
    newton = newton_minimize(grad, hess, [0.1, 1.0])
    hybrid = hybrid_minimize(grad, hess, [0.1, 1.0])
    np.testing.assert_allclose(newton.x, [0.0, 0.0], atol=1e-9)  # a saddle point
    np.testing.assert_allclose(hybrid.x, [1.0, 0.0], atol=1e-9)
    ref = so.minimize(lambda v: v[0] ** 4 - 2 * v[0] ** 2 + v[1] ** 2, [0.1, 1.0], jac=grad, method="BFGS")
    np.testing.assert_allclose(hybrid.x, ref.x, atol=1e-5)
    assert hybrid.newton_steps.any() and not hybrid.newton_steps.all()


def test_minimisers_convergence_errors():
    with pytest.raises(ConvergenceError, match="newton_minimize"):
        newton_minimize(rosen_grad, rosen_hess, [-1.2, 1.0], max_iter=2)
    with pytest.raises(ConvergenceError, match="hybrid_minimize"):
        hybrid_minimize(rosen_grad, rosen_hess, [-1.2, 1.0], max_iter=2)


@pytest.mark.parametrize("method", [gradient_descent, newton_minimize, hybrid_minimize])
def test_minimisers_bad_input(method):
    args = (lambda v: A @ v - b,) if method is gradient_descent else (lambda v: A @ v - b, lambda v: A)
    with pytest.raises(ValueError, match="grad must be callable"):
        method(None, *args[1:], [0.0, 0.0])
    with pytest.raises(ValueError, match="x0"):
        method(*args, [0.0, np.inf])
    with pytest.raises(ValueError, match="tol"):
        method(*args, [0.0, 0.0], tol=-1.0)
    with pytest.raises(ValueError, match="max_iter"):
        method(*args, [0.0, 0.0], max_iter=0)
    with pytest.raises(ValueError, match="grad must return"):
        method(lambda v: np.zeros(3), *args[1:], [1.0, 1.0])
    if method is not newton_minimize:
        with pytest.raises(ValueError, match="step"):
            method(*args, [0.0, 0.0], step=0.0)
    if method is not gradient_descent:
        with pytest.raises(ValueError, match="hess must be callable"):
            method(args[0], 3, [0.0, 0.0])
        with pytest.raises(ValueError, match="hess must return"):
            method(args[0], lambda v: np.eye(3), [1.0, 1.0])


# --- Lagrange multipliers --------------------------------------------------------------------

def test_lagrange_by_hand_example():
    # maximise f = x^2 y on the circle x^2 + y^2 = 3: x = +-sqrt(2), y = 1, lambda = 1
    res = lagrange_multipliers(lambda v: np.array([2 * v[0] * v[1], v[0] ** 2]),
                               lambda v: np.array([v[0] ** 2 + v[1] ** 2 - 3]), [1.0, 1.5])
    np.testing.assert_allclose(res.x, [np.sqrt(2), 1.0], atol=1e-8)
    np.testing.assert_allclose(res.lam, [1.0], atol=1e-8)
    assert res.success and res.path.shape == (res.nit + 1, 2)


def test_lagrange_against_scipy_two_constraints():
    # minimise x^2 + 2y^2 + 3z^2 subject to x + y + z = 1 and x - y = 0.2
    f = lambda v: v[0] ** 2 + 2 * v[1] ** 2 + 3 * v[2] ** 2  # noqa: E731
    grad = lambda v: np.array([2 * v[0], 4 * v[1], 6 * v[2]])  # noqa: E731
    cons = [lambda v: v[0] + v[1] + v[2] - 1, lambda v: v[0] - v[1] - 0.2]
    res = lagrange_multipliers(grad, cons, [0.0, 0.0, 0.0])
    ref = so.minimize(f, [0.0, 0.0, 0.0], jac=grad, method="SLSQP", tol=1e-14,
                      constraints=[{"type": "eq", "fun": c} for c in cons])
    np.testing.assert_allclose(res.x, ref.x, atol=1e-7)
    # the multipliers satisfy grad f = J_g^T lambda
    Jg = np.array([[1.0, 1.0, 1.0], [1.0, -1.0, 0.0]])
    np.testing.assert_allclose(grad(res.x), Jg.T @ res.lam, atol=1e-8)


def test_lagrange_analytic_jacobians_agree_with_finite_differences():
    grad = lambda v: np.array([1.0, 1.0])  # noqa: E731  f = x + y
    g = lambda v: np.array([v[0] ** 2 + v[1] ** 2 - 1])  # noqa: E731
    gjac = lambda v: np.array([[2 * v[0], 2 * v[1]]])  # noqa: E731

    def jac(z):
        x, y, lam = z
        return np.array([[-2 * lam, 0, -2 * x], [0, -2 * lam, -2 * y], [2 * x, 2 * y, 0]])

    fd = lagrange_multipliers(grad, g, [0.5, 0.6])
    exact = lagrange_multipliers(grad, g, [0.5, 0.6], constraints_jac=gjac, jac=jac, tol=1e-13)
    np.testing.assert_allclose(exact.x, [np.sqrt(0.5)] * 2, atol=1e-13)
    np.testing.assert_allclose(fd.x, exact.x, atol=1e-9)
    np.testing.assert_allclose(fd.lam, exact.lam, atol=1e-8)


def test_lagrange_singular_and_no_convergence():
    # dependent constraints: the Jacobian of the system is singular
    grad = lambda v: np.array([2 * v[0], 2 * v[1]])  # noqa: E731
    cons = lambda v: np.array([v[0] + v[1] - 1, 2 * v[0] + 2 * v[1] - 2])  # noqa: E731
    with pytest.raises(SingularMatrixError):
        lagrange_multipliers(grad, cons, [0.3, 0.2], lam0=[0.0, 0.0])
    with pytest.raises(ConvergenceError, match="lagrange_multipliers"):
        lagrange_multipliers(lambda v: np.array([v[1], v[0]]),
                             lambda v: np.array([v[0] ** 2 + v[1] ** 2 - 1]), [3.0, 0.1], max_iter=1)


def test_lagrange_bad_input():
    grad = lambda v: 2 * v  # noqa: E731
    g = lambda v: np.array([v.sum() - 1])  # noqa: E731
    with pytest.raises(ValueError, match="f_grad must be callable"):
        lagrange_multipliers(None, g, [0.0, 0.0])
    with pytest.raises(ValueError, match="constraints"):
        lagrange_multipliers(grad, 3.0, [0.0, 0.0])
    with pytest.raises(ValueError, match=r"constraints\[1\] must be callable"):
        lagrange_multipliers(grad, [g, "x"], [0.0, 0.0])
    with pytest.raises(ValueError, match="constraints must not be empty"):
        lagrange_multipliers(grad, [], [0.0, 0.0])
    with pytest.raises(ValueError, match="x0"):
        lagrange_multipliers(grad, g, [0.0, np.nan])
    with pytest.raises(ValueError, match="lam0"):
        lagrange_multipliers(grad, g, [0.0, 0.0], lam0=[1.0, 2.0])
    with pytest.raises(ValueError, match="f_grad must return"):
        lagrange_multipliers(lambda v: np.zeros(5), g, [0.0, 0.0], lam0=[0.0])
    with pytest.raises(ValueError, match="constraints_jac must return"):
        lagrange_multipliers(grad, g, [0.0, 0.0], constraints_jac=lambda v: np.ones((2, 2)))
    with pytest.raises(ValueError, match="fewer than the variables"):
        lagrange_multipliers(grad, lambda v: np.array([v[0], v[1], v.sum()]), [0.0, 0.0])


# --- momentum, the hybrid step and steepest descent on chi^2 ----------------------------------

def rotated_quadratic(kappa, angle=np.pi / 6):
    c, s = np.cos(angle), np.sin(angle)
    R = np.array([[c, -s], [s, c]])
    return R @ np.diag([1.0, kappa]) @ R.T


@pytest.mark.parametrize("kappa", [10.0, 50.0, 200.0])
def test_steepest_descent_rate_on_a_quadratic_is_kappa_minus_one_over_kappa_plus_one(kappa):
    A = rotated_quadratic(kappa)
    res = gradient_descent(lambda v: A @ v, [3.0, 1.0], step=2 / (1 + kappa), tol=1e-10)
    norms = np.linalg.norm(res.path, axis=1)
    np.testing.assert_allclose(norms[1:] / norms[:-1], (kappa - 1) / (kappa + 1), rtol=1e-9)


@pytest.mark.parametrize("kappa", [10.0, 50.0, 200.0])
def test_momentum_is_faster_on_an_ill_conditioned_quadratic(kappa):
    A = rotated_quadratic(kappa)
    plain = gradient_descent(lambda v: A @ v, [3.0, 1.0], step=2 / (1 + kappa), tol=1e-8)
    gamma = 4 / (1 + np.sqrt(kappa)) ** 2
    mu = ((np.sqrt(kappa) - 1) / (np.sqrt(kappa) + 1)) ** 2
    heavy = gradient_descent(lambda v: A @ v, [3.0, 1.0], step=gamma, momentum=mu, tol=1e-8,
                             max_iter=100_000)
    np.testing.assert_allclose(heavy.x, 0, atol=1e-8)
    assert heavy.nit < plain.nit
    # the heavy ball converges at about (sqrt(kappa) - 1)/(sqrt(kappa) + 1), up to a polynomial factor
    rate = (np.linalg.norm(heavy.path[-1]) / np.linalg.norm(heavy.path[heavy.nit // 2])) ** (
        1 / (heavy.nit - heavy.nit // 2))
    assert rate == pytest.approx((np.sqrt(kappa) - 1) / (np.sqrt(kappa) + 1), rel=0.1)


def test_momentum_zero_is_plain_gradient_descent_and_core_matches():
    from mmlbook.calculus.optimize import _gradient_descent

    grad = lambda v: rosen_grad(v)   # noqa: E731
    a = gradient_descent(grad, [-1.0, 1.0], step=1e-3, tol=1e-3, max_iter=50_000)
    b = _gradient_descent(grad, np.array([-1.0, 1.0]), 1e-3, 0.0, 1e-3, 50_000)
    np.testing.assert_array_equal(a.path, b.path)


@pytest.mark.parametrize("momentum", [-0.1, 1.0, 1.5, "0.5"])
def test_gradient_descent_bad_momentum(momentum):
    with pytest.raises(ValueError, match="momentum"):
        gradient_descent(lambda v: v, [1.0], momentum=momentum)


def test_hybrid_step_newton_where_positive_definite():
    from mmlbook.calculus import hybrid_step

    rng = np.random.default_rng(0)
    for n in (2, 3, 5):
        M = rng.normal(size=(n, n))
        H = M @ M.T + n * np.eye(n)
        g = rng.normal(size=n)
        np.testing.assert_allclose(hybrid_step(g, H), -np.linalg.solve(H, g))


@given(st.lists(st.floats(-50, 50), min_size=2, max_size=2), st.floats(0.01, 1.0), st.floats(0.05, 5.0))
def test_hybrid_step_gradient_where_not_positive_definite(g, gamma, ell):
    from mmlbook.calculus import hybrid_step

    g = np.array(g)
    for H in (np.diag([2.0, -1.0]), np.zeros((2, 2)), -np.eye(2), np.array([[1.0, 2.0], [2.0, 1.0]])):
        dx = hybrid_step(g, H, step=gamma, max_length=ell)
        expected = -gamma * g
        if np.linalg.norm(expected) > ell:
            expected *= ell / np.linalg.norm(expected)
        np.testing.assert_allclose(dx, expected, rtol=1e-12, atol=1e-300)
        assert np.linalg.norm(dx) <= ell * (1 + 1e-12)
        assert dx @ g <= 0      # downhill


def test_hybrid_minimize_takes_hybrid_steps():
    from mmlbook.calculus import hybrid_step

    grad = lambda v: np.array([4 * v[0] ** 3 - 4 * v[0], 2 * v[1]])   # noqa: E731
    hess = lambda v: np.diag([12 * v[0] ** 2 - 4, 2.0])              # noqa: E731
    res = hybrid_minimize(grad, hess, [0.1, 3.0], step=0.4, max_length=0.5)
    for x, x_next in zip(res.path[:-1], res.path[1:]):
        np.testing.assert_allclose(x_next - x, hybrid_step(grad(x), hess(x), step=0.4, max_length=0.5))
    np.testing.assert_allclose(res.x, [1.0, 0.0], atol=1e-9)


@pytest.mark.parametrize("args, match", [
    (([1.0, 2.0], np.eye(3)), "H must have 2 rows like g"),
    (([1.0, np.nan], np.eye(2)), "g"),
    (([1.0, 2.0], [1.0, 2.0]), "H"),
    (([1.0, 2.0], np.eye(2), 0.0), "step"),
    (([1.0, 2.0], np.eye(2), 0.1, -1.0), "max_length"),
])
def test_hybrid_step_bad_input(args, match):
    from mmlbook.calculus import hybrid_step

    with pytest.raises(ValueError, match=match):
        hybrid_step(*args)


def heights_histogram():
    from mmlbook.calculus import load_heights

    heights = load_heights()
    h = heights.height[heights.gender == "male"]
    density, edges = np.histogram(h, bins=np.arange(150.5, 203, 2.54), density=True)
    return 0.5 * (edges[1:] + edges[:-1]), density


def test_steepest_descent_matches_gradient_descent_with_gaussian_jacobian():
    from mmlbook.calculus import gaussian, gaussian_jacobian, steepest_descent

    x, y = heights_histogram()

    def grad_chi2(p):
        return -2 * gaussian_jacobian(x, p).T @ (y - gaussian(x, p))

    ours = steepest_descent(x, y, [160.0, 4.0], step=1000.0, n_steps=200)
    p = np.array([160.0, 4.0])
    for k in range(200):
        p = p - 1000.0 * grad_chi2(p)
        np.testing.assert_allclose(ours.path[k + 1], p, rtol=1e-12)
    assert ours.success and np.all(np.diff(ours.chi2) <= 1e-15)


def test_steepest_descent_reaches_the_least_squares_fit():
    from mmlbook.calculus import gaussian, steepest_descent

    x, y = heights_histogram()
    res = steepest_descent(x, y, [160.0, 4.0], step=1000.0, n_steps=5000)
    ref = so.curve_fit(lambda x, mu, s: gaussian(x, [mu, s]), x, y, p0=[175.0, 7.0])[0]
    np.testing.assert_allclose(res.x, ref, rtol=1e-6)


def test_steepest_descent_errors():
    from mmlbook.calculus import steepest_descent

    x, y = heights_histogram()
    with pytest.raises(ConvergenceError, match="sigma"):
        steepest_descent(x, y, [175.0, 20.0], step=1e5, n_steps=50)
    with pytest.raises(ValueError, match="positive standard deviation"):
        steepest_descent(x, y, [160.0, -4.0], step=1.0, n_steps=5)
    with pytest.raises(ValueError, match="y"):
        steepest_descent(x, y[:-1], [160.0, 4.0], step=1.0, n_steps=5)
    with pytest.raises(ValueError, match="n_steps"):
        steepest_descent(x, y, [160.0, 4.0], step=1.0, n_steps=0)
    with pytest.raises(ValueError, match="step"):
        steepest_descent(x, y, [160.0, 4.0], step=-1.0, n_steps=3)
