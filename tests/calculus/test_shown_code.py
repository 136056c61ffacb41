"""The code the Calculus chapters show is the code that runs, on one screen.

A chapter shows a function with ``show_source``; that it fits on one screen
and declares its checks is tested for every part in ``tests/test_shown_code.py``. Where the chapter
shows the core of a longer method (Levenberg-Marquardt's step and its
judgement), the public function must take exactly the steps that core
computes. That the training loops and optimisers run exactly the cores the
backpropagation and gradient-descent chapters show is tested beside their
modules (``test_neural_network``, ``test_optimize``).
"""

import re
from pathlib import Path

import numpy as np
import pytest

import mmlbook.calculus.neural_network as nn
import mmlbook.calculus.optimize as optimize
from mmlbook.calculus import (Dual, Value, cross_entropy, derivative, fit_nonlinear, gaussian, gaussian_jacobian, gradient, hessian,
                              jacobian, lagrange_multipliers, least_squares, linear_fit, linearise, load_heights,
                              newton_minimize, newton_raphson, regression, softmax, taylor2, taylor_approx)

#: Every function a Calculus chapter shows with ``show_source``, by the name the chapter uses.
SHOWN = {
    "derivative": derivative, "gradient": gradient, "jacobian": jacobian, "hessian": hessian,
    "taylor_approx": taylor_approx, "linearise": linearise, "taylor2": taylor2, "newton_raphson": newton_raphson,
    "lagrange_multipliers": lagrange_multipliers, "linear_fit": linear_fit, "least_squares": least_squares,
    "gaussian_jacobian": gaussian_jacobian, "regression._lm_step": regression._lm_step,
    "regression._lm_judge": regression._lm_judge, "nn._activations": nn._activations,
    "nn._backward": nn._backward, "nn._train": nn._train, "Value.__mul__": Value.__mul__,
    "Value.sigmoid": Value.sigmoid, "Value.backward": Value.backward,
    "optimize._gradient_descent": optimize._gradient_descent, "newton_minimize": newton_minimize,
    "optimize._hybrid_step": optimize._hybrid_step, "optimize._hybrid_minimize": optimize._hybrid_minimize,
    "softmax": softmax, "cross_entropy": cross_entropy, "Dual.__mul__": Dual.__mul__,
    "nn._adam_step": nn._adam_step, "nn._minibatches": nn._minibatches,
}


def test_the_list_is_what_the_chapters_show():
    book = Path(__file__).resolve().parents[2] / "book" / "calculus"
    pattern = re.compile(r"show_source\(([\w.]+)\)")
    shown = {name for chapter in book.glob("*.md") for name in pattern.findall(chapter.read_text())}
    assert shown == set(SHOWN)


def _histogram():
    heights = load_heights()
    h = heights.height[heights.gender == "male"]
    density, edges = np.histogram(h, bins=np.arange(150.5, 203, 2.54), density=True)
    return 0.5 * (edges[1:] + edges[:-1]), density


def test_lm_step_solves_the_damped_normal_equations():
    rng = np.random.default_rng(0)
    J, r = rng.normal(size=(12, 3)), rng.normal(size=12)
    D = np.diag(J.T @ J)
    for lam in [1e-6, 1e-2, 1.0, 1e3]:
        delta, lam_used = regression._lm_step(J, r, lam, D, radius=np.inf)
        assert lam_used == lam
        np.testing.assert_allclose((J.T @ J + lam * np.diag(D)) @ delta, J.T @ r, rtol=1e-9, atol=1e-12)
    # small damping: the Gauss-Newton step; large damping: a short step along J^T r / D (steepest descent, scaled)
    gauss_newton = np.linalg.lstsq(J, r, rcond=None)[0]
    np.testing.assert_allclose(regression._lm_step(J, r, 1e-12, D, np.inf)[0], gauss_newton, rtol=1e-8)
    big = 1e8
    np.testing.assert_allclose(regression._lm_step(J, r, big, D, np.inf)[0] * big, (J.T @ r) / D, rtol=1e-6)


def test_lm_step_respects_the_trust_radius():
    rng = np.random.default_rng(1)
    J, r = rng.normal(size=(10, 2)), rng.normal(size=10)
    D = np.diag(J.T @ J)
    delta, lam = regression._lm_step(J, r, 1e-3, D, radius=1e-3)
    assert np.linalg.norm(np.sqrt(D) * delta) <= 1e-3
    assert lam > 1e-3


def test_lm_judge_adapts_the_damping():
    rho, lam, nu = regression._lm_judge(1.0, 0.5, 0.5, 2.0, 8.0)    # the model predicted exactly: rho = 1
    assert (rho, lam, nu) == (1.0, 2.0 / 3, 2.0)
    rho, lam, nu = regression._lm_judge(1.0, 1.2, 0.5, 2.0, 8.0)    # chi^2 rose: rejected
    assert rho < 0 and (lam, nu) == (16.0, 16.0)
    rho, _, _ = regression._lm_judge(1.0, 0.9, 0.0, 2.0, 2.0)       # no predicted fall: rejected
    assert rho == -1.0


def test_problem_jacobian_has_the_chapters_sign():
    """J is the Jacobian of the model, as in the chapter: the gradient of chi^2 is -2 J^T r."""
    x, density = _histogram()
    p = np.array([170.0, 8.0])
    prob = regression._Problem(gaussian, x, density, np.ones_like(density), gaussian_jacobian, 2)
    J = prob.jacobian(p)
    np.testing.assert_allclose(J, gaussian_jacobian(x, p))
    r = prob.residuals(p)
    chi2 = lambda q: float(np.sum((density - gaussian(x, q)) ** 2))
    np.testing.assert_allclose(-2 * J.T @ r, gradient(chi2, p), rtol=1e-6)


@pytest.mark.parametrize("p0", [[160.0, 4.0], [220.0, 3.0]])
def test_fit_nonlinear_takes_exactly_the_shown_steps(p0, monkeypatch):
    """Every accepted step of fit_nonlinear(method="lm") is a step of _lm_step that _lm_judge accepted."""
    x, density = _histogram()
    steps, verdicts = [], []
    lm_step, lm_judge = regression._lm_step, regression._lm_judge

    def spy_step(*args):
        out = lm_step(*args)
        steps.append(out[0])
        return out

    def spy_judge(*args):
        out = lm_judge(*args)
        verdicts.append(out[0] > 0)
        return out

    monkeypatch.setattr(regression, "_lm_step", spy_step)
    monkeypatch.setattr(regression, "_lm_judge", spy_judge)
    fit = fit_nonlinear(gaussian, x, density, p0, jac=gaussian_jacobian, method="lm")
    accepted = [delta for delta, ok in zip(steps, verdicts) if ok]
    taken = np.diff(fit.path, axis=0)
    assert len(accepted) == len(taken) > 0
    np.testing.assert_allclose(taken, np.array(accepted), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(fit.path[0] + np.sum(accepted, axis=0), fit.x, rtol=1e-12)
