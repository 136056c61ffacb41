"""Tests of mmlbook.calculus.regression: linear_fit, least_squares, chi_squared, fit_nonlinear.

fit_nonlinear is checked against scipy.optimize.least_squares(method="lm") and
against the certified values of problems from NIST's Statistical Reference
Datasets for non-linear regression (https://www.itl.nist.gov/div898/strd/nls/;
data and certified values typed in from NIST's pages, which are in the public domain).
"""

import warnings

import numpy as np
import pytest
import scipy.optimize as so
import scipy.stats
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from mmlbook.calculus import (chi_squared, fit_nonlinear, gaussian, gaussian_jacobian, least_squares, linear_fit,
                              load_heights)
from mmlbook.exceptions import ConvergenceError, SingularMatrixError

MISRA1A = dict(
    y=[10.07, 14.73, 17.94, 23.93, 29.61, 35.18, 40.02, 44.82, 50.76, 55.05, 61.01, 66.40, 75.47, 81.78],
    x=[77.6, 114.9, 141.1, 190.8, 239.9, 289.0, 332.8, 378.4, 434.8, 477.3, 536.8, 593.1, 689.1, 760.0],
    f=lambda x, b: b[0] * (1 - np.exp(-b[1] * x)),
    starts=[[500, 1e-4], [250, 5e-4]],
    cert=[2.3894212918E+02, 5.5015643181E-04], se=[2.7070075241E+00, 7.2668688436E-06], rss=1.2455138894E-01)
THURBER = dict(
    y=[80.574, 84.248, 87.264, 87.195, 89.076, 89.608, 89.868, 90.101, 92.405, 95.854, 100.696, 101.060, 401.672, 390.724, 567.534, 635.316, 733.054,
       759.087, 894.206, 990.785, 1090.109, 1080.914, 1122.643, 1178.351, 1260.531, 1273.514, 1288.339, 1327.543, 1353.863, 1414.509, 1425.208,
       1421.384, 1442.962, 1464.350, 1468.705, 1447.894, 1457.628],
    x=[-3.067, -2.981, -2.921, -2.912, -2.840, -2.797, -2.702, -2.699, -2.633, -2.481, -2.363, -2.322, -1.501, -1.460, -1.274, -1.212, -1.100,
       -1.046, -0.915, -0.714, -0.566, -0.545, -0.400, -0.309, -0.109, -0.103, 0.010, 0.119, 0.377, 0.790, 0.963, 1.006, 1.115, 1.572, 1.841,
       2.047, 2.200],
    f=lambda x, b: (b[0] + b[1]*x + b[2]*x**2 + b[3]*x**3) / (1 + b[4]*x + b[5]*x**2 + b[6]*x**3),
    starts=[[1000, 1000, 400, 40, 0.7, 0.3, 0.03], [1300, 1500, 500, 75, 1, 0.4, 0.05]],
    cert=[1.2881396800E+03, 1.4910792535E+03, 5.8323836877E+02, 7.5416644291E+01, 9.6629502864E-01, 3.9797285797E-01, 4.9727297349E-02],
    se=[4.6647963344E+00, 3.9571156086E+01, 2.8698696102E+01, 5.5675370270E+00, 3.1333340687E-02, 1.4984928198E-02, 6.5842344623E-03],
    rss=5.6427082397E+03)
MGH09 = dict(
    y=[1.957000E-01, 1.947000E-01, 1.735000E-01, 1.600000E-01, 8.440000E-02, 6.270000E-02, 4.560000E-02, 3.420000E-02, 3.230000E-02, 2.350000E-02, 2.460000E-02],
    x=[4.000000E+00, 2.000000E+00, 1.000000E+00, 5.000000E-01, 2.500000E-01, 1.670000E-01, 1.250000E-01, 1.000000E-01, 8.330000E-02, 7.140000E-02, 6.250000E-02],
    f=lambda x, b: b[0] * (x**2 + x * b[1]) / (x**2 + x * b[2] + b[3]),
    starts=[[25, 39, 41.5, 39], [0.25, 0.39, 0.415, 0.39]],
    cert=[1.9280693458E-01, 1.9128232873E-01, 1.2305650693E-01, 1.3606233068E-01], se=[1.1435312227E-02, 1.9633220911E-01, 8.0842031232E-02, 9.0025542308E-02],
    rss=3.0750560385E-04)
ECKERLE4 = dict(
    y=[0.0001575, 0.0001699, 0.0002350, 0.0003102, 0.0004917, 0.0008710, 0.0017418, 0.0046400, 0.0065895, 0.0097302, 0.0149002, 0.0237310, 0.0401683,
       0.0712559, 0.1264458, 0.2073413, 0.2902366, 0.3445623, 0.3698049, 0.3668534, 0.3106727, 0.2078154, 0.1164354, 0.0616764, 0.0337200, 0.0194023,
       0.0117831, 0.0074357, 0.0022732, 0.0008800, 0.0004579, 0.0002345, 0.0001586, 0.0001143, 0.0000710],
    x=[400.0, 405.0, 410.0, 415.0, 420.0, 425.0, 430.0, 435.0, 436.5, 438.0, 439.5, 441.0, 442.5, 444.0, 445.5, 447.0, 448.5, 450.0, 451.5, 453.0, 454.5,
       456.0, 457.5, 459.0, 460.5, 462.0, 463.5, 465.0, 470.0, 475.0, 480.0, 485.0, 490.0, 495.0, 500.0],
    f=lambda x, b: (b[0] / b[1]) * np.exp(-0.5 * ((x - b[2]) / b[1]) ** 2),
    starts=[[1, 10, 500], [1.5, 5, 450]],
    cert=[1.5543827178E+00, 4.0888321754E+00, 4.5154121844E+02], se=[1.5408051163E-02, 4.6803020753E-02, 4.6800518816E-02],
    rss=1.4635887487E-03)
BOXBOD = dict(y=[109, 149, 149, 191, 213, 224], x=[1, 2, 3, 5, 7, 10],
    f=lambda x, b: b[0] * (1 - np.exp(-b[1] * x)), starts=[[1, 1], [100, 0.75]],
    cert=[2.1380940889E+02, 5.4723748542E-01], se=[1.2354515176E+01, 1.0455993237E-01], rss=1.1680088766E+03)
NIST = dict(Misra1a=MISRA1A, Thurber=THURBER, MGH09=MGH09, Eckerle4=ECKERLE4, BoxBOD=BOXBOD)


def scipy_lm(model, x, y, p0):
    """scipy's MINPACK Levenberg-Marquardt with tight tolerances, or None if it raises."""
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return so.least_squares(lambda b: model(x, b) - y, np.asarray(p0, float), method="lm",
                                    xtol=1e-15, ftol=1e-15, gtol=1e-15)
        except (ValueError, np.linalg.LinAlgError):
            return None


def ours(model, x, y, p0, **kw):
    """fit_nonlinear, or None if it gives up."""
    try:
        return fit_nonlinear(model, x, y, p0, **kw)
    except ConvergenceError:
        return None


# --- linear_fit, least_squares, chi_squared ------------------------------------------------

@given(arrays(float, 12, elements=st.floats(-100, 100)), st.floats(-5, 5), st.floats(-10, 10), st.integers(0, 2**32 - 1))
def test_linear_fit_matches_linregress(x, m, c, seed):
    if np.ptp(x) < 1e-3:
        return
    y = m * x + c + np.random.default_rng(seed).normal(0, 1, x.size)
    slope, intercept = linear_fit(x, y)
    ref = scipy.stats.linregress(x, y)
    assert slope == pytest.approx(ref.slope, rel=1e-9, abs=1e-9)
    assert intercept == pytest.approx(ref.intercept, rel=1e-9, abs=1e-8)


def test_linear_fit_on_galton_heights():
    d = load_heights()
    sons = d.gender == "male"
    slope, intercept = linear_fit(d.father[sons], d.height[sons])
    ref = scipy.stats.linregress(d.father[sons], d.height[sons])
    assert (slope, intercept) == (pytest.approx(ref.slope, rel=1e-12), pytest.approx(ref.intercept, rel=1e-12))
    assert 0 < slope < 1  # regression towards the mean


def test_linear_fit_minimises_chi_squared():
    rng = np.random.default_rng(1)
    x = rng.uniform(0, 10, 30)
    y = 2 * x - 1 + rng.normal(0, 1, 30)
    m, c = linear_fit(x, y)
    best = chi_squared(y - m * x - c)
    for dm, dc in [(1e-3, 0), (-1e-3, 0), (0, 1e-3), (0, -1e-3)]:
        assert chi_squared(y - (m + dm) * x - (c + dc)) > best


def test_least_squares_matches_lstsq():
    rng = np.random.default_rng(7)
    X = rng.normal(size=(40, 4))
    y = rng.normal(size=40)
    np.testing.assert_allclose(least_squares(X, y), np.linalg.lstsq(X, y, rcond=None)[0], rtol=1e-12)
    # a polynomial design matrix, exactly fitted
    t = np.linspace(-1, 1, 9)
    V = np.vander(t, 4)
    np.testing.assert_allclose(least_squares(V, V @ [1.0, -2.0, 0.5, 3.0]), [1.0, -2.0, 0.5, 3.0], atol=1e-12)


def test_least_squares_residual_orthogonal_to_columns():
    rng = np.random.default_rng(3)
    X, y = rng.normal(size=(25, 3)), rng.normal(size=25)
    beta = least_squares(X, y)
    np.testing.assert_allclose(X.T @ (y - X @ beta), 0, atol=1e-12)


def test_least_squares_singular():
    X = np.column_stack([np.ones(5), np.arange(5.0), 2 * np.arange(5.0)])
    with pytest.raises(SingularMatrixError, match="linearly dependent"):
        least_squares(X, np.ones(5))


def test_chi_squared():
    assert chi_squared([3.0, 4.0]) == 25.0
    assert chi_squared([3.0, 4.0], sigma=[3.0, 2.0]) == 5.0


def test_linear_bad_input():
    with pytest.raises(ValueError, match="y must have length 3 like x"):
        linear_fit([1.0, 2.0, 3.0], [1.0, 2.0])
    with pytest.raises(ValueError, match="y must be finite"):
        linear_fit([1.0, 2.0], [1.0, np.nan])
    with pytest.raises(ValueError, match="x must not be constant"):
        linear_fit([2.0, 2.0, 2.0], [1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="at least 2"):
        linear_fit([1.0], [1.0])
    with pytest.raises(ValueError, match="X must have 2"):
        least_squares(np.ones(3), np.ones(3))
    with pytest.raises(ValueError, match="y must have length 3 like X"):
        least_squares(np.ones((3, 2)), np.ones(4))
    with pytest.raises(ValueError, match="at least as many rows"):
        least_squares(np.ones((2, 3)), np.ones(2))
    with pytest.raises(ValueError, match="X must be finite"):
        least_squares([[1.0, np.inf], [0.0, 1.0]], np.ones(2))
    with pytest.raises(ValueError, match="sigma must be positive"):
        chi_squared([1.0, 2.0], sigma=[1.0, 0.0])
    with pytest.raises(ValueError, match="sigma must have length 2"):
        chi_squared([1.0, 2.0], sigma=[1.0, 1.0, 1.0])
    with pytest.raises(ValueError, match="residuals must be finite"):
        chi_squared([1.0, np.nan])


# --- fit_nonlinear: NIST StRD ------------------------------------------------------------------

NIST_CASES = [(name, k) for name in sorted(NIST) for k in (0, 1)]


@pytest.mark.parametrize(("name", "start"), NIST_CASES)
def test_nist_certified_values(name, start):
    d = NIST[name]
    x, y = np.array(d["x"]), np.array(d["y"])
    res = fit_nonlinear(d["f"], x, y, d["starts"][start], tol=1e-12)
    np.testing.assert_allclose(res.x, d["cert"], rtol=2e-6)
    np.testing.assert_allclose(res.stderr, d["se"], rtol=1e-3)
    assert res.rss == pytest.approx(d["rss"], rel=1e-8)
    ref = scipy_lm(d["f"], x, y, d["starts"][start])
    np.testing.assert_allclose(res.x, ref.x, rtol=2e-6)


def test_nist_success_counts():
    """From NIST's two starts and from starts 3, 10 and 1/10 times the certified values,
    fit_nonlinear reaches the certified values at least as often as scipy's MINPACK LM."""
    ours_ok = theirs_ok = 0
    total = 0
    for d in NIST.values():
        x, y, cert = np.array(d["x"]), np.array(d["y"]), np.array(d["cert"])
        starts = list(d["starts"]) + [cert * k for k in (3.0, 10.0, 0.1)]
        for p0 in starts:
            total += 1
            res = ours(d["f"], x, y, p0, tol=1e-12)
            ours_ok += res is not None and np.allclose(res.x, cert, rtol=1e-6)
            ref = scipy_lm(d["f"], x, y, p0)
            theirs_ok += ref is not None and np.allclose(ref.x, cert, rtol=1e-6)
    assert total == 25
    assert ours_ok >= theirs_ok
    assert ours_ok >= 20


def test_nist_analytic_jacobian_misra1a():
    d = NIST["Misra1a"]
    x, y = np.array(d["x"]), np.array(d["y"])

    def jac(x, b):
        e = np.exp(-b[1] * x)
        return np.column_stack([1 - e, b[0] * x * e])

    res = fit_nonlinear(d["f"], x, y, d["starts"][0], jac=jac, tol=1e-12)
    np.testing.assert_allclose(res.x, d["cert"], rtol=1e-8)
    np.testing.assert_allclose(res.stderr, d["se"], rtol=1e-7)


# --- fit_nonlinear: synthetic problems and the heights histogram ------------------------------

def exp_decay(t, p):
    return p[0] * np.exp(-p[1] * t) + p[2]


def gauss_peak(x, p):
    return p[0] * np.exp(-0.5 * ((x - p[1]) / p[2]) ** 2)


def synthetic():
    rng = np.random.default_rng(2024)
    t = np.linspace(0, 10, 60)
    yield exp_decay, t, exp_decay(t, [5.0, 0.7, 1.0]) + rng.normal(0, 0.05, t.size), [[4.0, 1.0, 0.5], [50.0, 0.05, -10.0]]
    x = np.linspace(-5, 15, 80)
    yield gauss_peak, x, gauss_peak(x, [3.0, 4.0, 1.5]) + rng.normal(0, 0.05, x.size), [[2.5, 4.5, 2.0], [1.0, 6.0, 5.0]]


@pytest.mark.parametrize("case", range(2))
def test_synthetic_agree_with_scipy(case):
    model, x, y, starts = list(synthetic())[case]
    for p0 in starts:
        ref = scipy_lm(model, x, y, p0)
        res = fit_nonlinear(model, x, y, p0, tol=1e-12)
        assert res.rss <= 2 * ref.cost * (1 + 1e-10)  # never a worse minimum than scipy's
        if 2 * ref.cost <= res.rss * (1 + 1e-8):  # the same minimum: the same parameters
            np.testing.assert_allclose(res.x, ref.x, rtol=1e-7)
    # from the near start both find the minimum
    np.testing.assert_allclose(fit_nonlinear(model, x, y, starts[0], tol=1e-12).x,
                               scipy_lm(model, x, y, starts[0]).x, rtol=1e-7)


@pytest.mark.parametrize("case", range(2))
def test_stderr_agree_with_curve_fit(case):
    model, x, y, starts = list(synthetic())[case]
    popt, pcov = so.curve_fit(lambda x, *p: model(x, p), x, y, p0=starts[0], xtol=1e-14, ftol=1e-14, gtol=1e-14)
    res = fit_nonlinear(model, x, y, starts[0], tol=1e-12)
    np.testing.assert_allclose(res.x, popt, rtol=1e-7)
    np.testing.assert_allclose(res.stderr, np.sqrt(np.diag(pcov)), rtol=1e-5)
    np.testing.assert_allclose(res.cov, pcov, rtol=1e-4, atol=1e-10)


@pytest.mark.parametrize("method", ["lm", "gauss-newton", "steepest-descent"])
def test_methods_agree(method):
    model, x, y, starts = list(synthetic())[0]
    ref = scipy_lm(model, x, y, starts[0])
    res = fit_nonlinear(model, x, y, starts[0], method=method, tol=1e-12)
    np.testing.assert_allclose(res.x, ref.x, rtol=1e-4 if method == "steepest-descent" else 1e-7)
    assert res.path.shape[1] == 3 and res.nfev >= res.nit


def heights_histogram():
    d = load_heights()
    h = d.height[d.gender == "male"]
    density, edges = np.histogram(h, bins=np.arange(150.5, 203, 2.54), density=True)
    return 0.5 * (edges[1:] + edges[:-1]), density


@pytest.mark.parametrize("p0", [[170.0, 10.0], [155.0, 3.0], [190.0, 20.0]])
@pytest.mark.parametrize("method", ["lm", "gauss-newton", "steepest-descent"])
def test_heights_gaussian_fit(p0, method):
    mid, density = heights_histogram()
    ref = scipy_lm(gaussian, mid, density, p0)
    res = fit_nonlinear(gaussian, mid, density, p0, jac=gaussian_jacobian, method=method, tol=1e-12)
    # The density depends on sigma**2 only: a fit may end at -sigma, the same curve.
    np.testing.assert_allclose(np.abs(res.x), np.abs(ref.x), rtol=1e-6)
    popt, pcov = so.curve_fit(lambda x, m, s: gaussian(x, [m, s]), mid, density, p0=p0, xtol=1e-14, ftol=1e-14)
    np.testing.assert_allclose(res.stderr, np.sqrt(np.diag(pcov)), rtol=1e-4)


def test_gaussian_jacobian_by_finite_differences():
    from mmlbook.calculus import jacobian
    x = np.linspace(150, 200, 11)
    p = np.array([176.0, 7.0])
    np.testing.assert_allclose(gaussian_jacobian(x, p), jacobian(lambda q: gaussian(x, q), p), rtol=1e-6, atol=1e-12)


def test_sigma_weights_match_curve_fit():
    model, x, y, starts = list(synthetic())[0]
    sigma = np.linspace(0.02, 0.2, x.size)
    popt, pcov = so.curve_fit(lambda x, *p: model(x, p), x, y, p0=starts[0], sigma=sigma, xtol=1e-14, ftol=1e-14)
    res = fit_nonlinear(model, x, y, starts[0], sigma=sigma, tol=1e-12)
    np.testing.assert_allclose(res.x, popt, rtol=1e-7)
    np.testing.assert_allclose(res.stderr, np.sqrt(np.diag(pcov)), rtol=1e-5)


def test_two_dimensional_x():
    rng = np.random.default_rng(5)
    X = rng.uniform(0, 1, (30, 2))
    model = lambda X, p: p[0] * np.exp(p[1] * X[:, 0]) + p[2] * X[:, 1]  # noqa: E731
    y = model(X, [1.5, -0.8, 2.0])
    res = fit_nonlinear(model, X, y, [1.0, 0.0, 1.0])
    np.testing.assert_allclose(res.x, [1.5, -0.8, 2.0], rtol=1e-8)


def test_no_convergence():
    model, x, y, starts = list(synthetic())[0]
    with pytest.raises(ConvergenceError, match="fit_nonlinear"):
        fit_nonlinear(model, x, y, starts[1], max_iter=2)
    with pytest.raises(ConvergenceError, match="steepest-descent"):
        fit_nonlinear(model, x, y, starts[1], method="steepest-descent", max_iter=5)


def test_fit_nonlinear_bad_input():
    x = np.linspace(0, 1, 5)
    y = np.exp(-x)
    model = lambda x, p: p[0] * np.exp(-p[1] * x)  # noqa: E731
    with pytest.raises(ValueError, match="model must be callable"):
        fit_nonlinear("exp", x, y, [1.0, 1.0])
    with pytest.raises(ValueError, match="jac must be callable"):
        fit_nonlinear(model, x, y, [1.0, 1.0], jac=np.ones((5, 2)))
    with pytest.raises(ValueError, match="x and y must have the same length"):
        fit_nonlinear(model, x, y[:4], [1.0, 1.0])
    with pytest.raises(ValueError, match="x must be finite"):
        fit_nonlinear(model, np.r_[x[:4], np.nan], y, [1.0, 1.0])
    with pytest.raises(ValueError, match="y must be finite"):
        fit_nonlinear(model, x, np.r_[y[:4], np.inf], [1.0, 1.0])
    with pytest.raises(ValueError, match="p0 must be finite"):
        fit_nonlinear(model, x, y, [1.0, np.nan])
    with pytest.raises(ValueError, match="p0 must have 1"):
        fit_nonlinear(model, x, y, [[1.0, 1.0]])
    with pytest.raises(ValueError, match=r"model must return an array of shape \(5,\)"):
        fit_nonlinear(lambda x, p: np.ones(3), x, y, [1.0, 1.0])
    with pytest.raises(ValueError, match="model must return finite values"):
        fit_nonlinear(lambda x, p: np.where(x > 0.5, np.inf, p[0]), x, y, [1.0, 1.0])
    with pytest.raises(ValueError, match=r"jac must return an array of shape \(5, 2\)"):
        fit_nonlinear(model, x, y, [1.0, 1.0], jac=lambda x, p: np.ones((5, 3)))
    with pytest.raises(ValueError, match="method must be one of"):
        fit_nonlinear(model, x, y, [1.0, 1.0], method="newton")
    with pytest.raises(ValueError, match="tol"):
        fit_nonlinear(model, x, y, [1.0, 1.0], tol=0.0)
    with pytest.raises(ValueError, match="max_iter"):
        fit_nonlinear(model, x, y, [1.0, 1.0], max_iter=0)
    with pytest.raises(ValueError, match="sigma must be positive"):
        fit_nonlinear(model, x, y, [1.0, 1.0], sigma=-1.0)
    with pytest.raises(ValueError, match="x must have 1 or 2"):
        fit_nonlinear(model, np.ones((5, 1, 1)), y, [1.0, 1.0])
