"""The self-checks accept the book's own code and reject broken code."""

import re

import numpy as np
import pytest

from mmlbook import exercises


def reference(name):
    """The mmlbook function or class that a check compares against."""
    import mmlbook.calculus as calculus
    import mmlbook.calculus.neural_network as nn
    import mmlbook.linalg as linalg
    import mmlbook.pca as pca

    for module in (linalg, calculus, nn, pca):
        if hasattr(module, name):
            return getattr(module, name)
    raise LookupError(name)


CHECKS = {
    "is_singular": exercises.check_is_singular,
    "gram_schmidt": exercises.check_gram_schmidt,
    "reflection_matrix": exercises.check_reflection_matrix,
    "pagerank": exercises.check_pagerank,
    "newton_raphson": exercises.check_newton_raphson,
    "backprop": exercises.check_backprop,
    "fit_nonlinear": exercises.check_fit_nonlinear,
    "covariance": exercises.check_covariance,
    "angle": exercises.check_angle,
    "projection_matrix": exercises.check_projection_matrix,
    "PCA": exercises.check_PCA,
    "householder_qr": exercises.check_householder_qr,
}
CHECKS["hybrid_step"] = exercises.check_hybrid_step
CHECKS["steepest_descent"] = exercises.check_steepest_descent


def test_every_check_is_exported():
    assert sorted(f"check_{name}" for name in CHECKS) == sorted(exercises.__all__)


@pytest.mark.parametrize("name", CHECKS)
def test_accepts_the_books_own_code(name, capsys):
    assert CHECKS[name](reference(name)) is True
    out = capsys.readouterr().out
    assert "[fail]" not in out
    assert "[pass]" in out


def crashing(*args, **kwargs):
    raise ZeroDivisionError("learner's bug")


@pytest.mark.parametrize("name", [n for n in CHECKS if n != "PCA"])
def test_reports_an_exception_without_crashing(name, capsys):
    assert CHECKS[name](crashing) is False
    out = capsys.readouterr().out
    assert "your code raised ZeroDivisionError: learner's bug" in out


def test_pca_class_that_crashes_is_reported(capsys):
    class BrokenPCA:
        def __init__(self, n_components):
            pass

        def fit(self, X):
            raise RuntimeError("not written yet")

    assert exercises.check_PCA(BrokenPCA) is False
    assert "RuntimeError: not written yet" in capsys.readouterr().out


def off_by_a_little(name):
    """The book's function with its answer perturbed, as a plausible bug."""
    f = reference(name)

    def broken(*args, **kwargs):
        result = f(*args, **kwargs)
        if isinstance(result, (bool, np.bool_)):
            return not result
        if hasattr(result, "x"):
            result.x = np.asarray(result.x) + 0.1
            return result
        if isinstance(result, list):  # backprop: a list of (dW, db)
            return [(dW * 1.1, db) for dW, db in result]
        return np.asarray(result) * 1.01 + 0.001
    return broken


@pytest.mark.parametrize("name", [n for n in CHECKS if n != "PCA"])
def test_rejects_wrong_values(name, capsys):
    assert CHECKS[name](off_by_a_little(name)) is False
    assert "[fail]" in capsys.readouterr().out


@pytest.mark.parametrize("name", ["gram_schmidt", "reflection_matrix", "covariance",
                                  "projection_matrix", "pagerank"])
def test_rejects_wrong_shapes_and_says_so(name, capsys):
    f = reference(name)
    assert CHECKS[name](lambda *a: np.atleast_2d(f(*a))[:-1]) is False
    assert "wrong shape" in capsys.readouterr().out


def test_wrong_values_report_where_but_not_the_answer(capsys):
    from mmlbook.pca import covariance

    exercises.check_covariance(lambda X: covariance(X) * 2)
    out = capsys.readouterr().out
    assert "first at index (0, 0)" in out
    assert not re.search(r"\d\.\d", out), f"the report shows a number from the answer:\n{out}"


def test_hybrid_step_by_eigenvalues_passes_and_without_the_bound_fails(capsys):
    def by_eigenvalues(g, H, step, max_length):
        if np.all(np.linalg.eigvalsh(H) > 0):
            return -np.linalg.solve(H, g)
        dx = -step * g
        return dx if np.linalg.norm(dx) <= max_length else dx * max_length / np.linalg.norm(dx)

    assert exercises.check_hybrid_step(by_eigenvalues) is True
    capsys.readouterr()

    def unbounded(g, H, step, max_length):
        return by_eigenvalues(g, H, step, np.inf)

    assert exercises.check_hybrid_step(unbounded) is False
    out = capsys.readouterr().out
    assert "[fail] a saddle with a large gradient (the bound applies)" in out
    assert out.count("[fail]") == 1

    def always_newton(g, H, step, max_length):
        return np.linalg.lstsq(H, -g, rcond=None)[0]

    assert exercises.check_hybrid_step(always_newton) is False
    assert "[pass] a bowl (positive definite Hessian)" in capsys.readouterr().out


def test_steepest_descent_with_a_wrong_sigma_derivative_fails(capsys):
    def sloppy(x, y, p0, step, n_steps):
        mu, sigma = p0
        for _ in range(n_steps):
            f = np.exp(-(x - mu) ** 2 / (2 * sigma**2)) / (sigma * np.sqrt(2 * np.pi))
            r = y - f
            d_mu = -2 * r @ (f * (x - mu) / sigma**2)
            d_sigma = -2 * r @ (f * (x - mu) ** 2 / sigma**3)      # forgot the -1/sigma term
            mu, sigma = mu - step * d_mu, sigma - step * d_sigma
        return np.array([mu, sigma])

    assert exercises.check_steepest_descent(sloppy) is False
    out = capsys.readouterr().out
    assert "[fail] one step on the sons' histogram (the partial derivatives)" in out
    assert not re.search(r"\d\.\d", out), f"the report shows a number from the answer:\n{out}"


def test_pca_with_wrong_components_is_rejected(capsys):
    from mmlbook.pca import PCA

    class SloppyPCA(PCA):
        def transform(self, X):
            return super().transform(X) * 0.5

    assert exercises.check_PCA(SloppyPCA) is False
    assert "reconstruction: wrong values" in capsys.readouterr().out


def test_not_a_function():
    assert exercises.check_covariance("covariance") is False


# --- check_householder_qr ---------------------------------------------------------------


def test_householder_qr_check_accepts_numpy_and_gram_schmidt_signs(capsys):
    from mmlbook.linalg import gram_schmidt

    def qr_by_gram_schmidt_for_well_conditioned(A):
        if A.shape == (8, 8):                  # Hilbert: use numpy, Gram-Schmidt would fail
            return np.linalg.qr(A)
        E = gram_schmidt(A)                    # positive diagonal, unlike LAPACK
        return E, E.T @ A

    assert exercises.check_householder_qr(np.linalg.qr) is True
    assert exercises.check_householder_qr(lambda A: np.linalg.qr(A, mode="complete")) is True
    assert exercises.check_householder_qr(qr_by_gram_schmidt_for_well_conditioned) is True
    assert "[fail]" not in capsys.readouterr().out


def test_householder_qr_check_rejects_gram_schmidt_on_the_hilbert_matrix(capsys):
    from mmlbook.linalg import gram_schmidt

    def qr_by_gram_schmidt(A):
        E = gram_schmidt(A)
        return E, np.triu(E.T @ A)

    assert exercises.check_householder_qr(qr_by_gram_schmidt) is False
    out = capsys.readouterr().out
    assert "[fail] the 8 x 8 Hilbert matrix (nearly dependent columns): the columns of Q are not orthonormal" in out
    assert out.count("[pass]") == 5


@pytest.mark.parametrize("broken, message", [
    (lambda A: np.linalg.qr(A)[0], "expected a pair (Q, R)"),
    (lambda A: (np.linalg.qr(A)[0], np.linalg.qr(A)[1].T), "R is not upper triangular"),
    (lambda A: (np.linalg.qr(A)[0][:, :-1], np.linalg.qr(A)[1]), "wrong shapes"),
    (lambda A: (2 * np.linalg.qr(A)[0], np.linalg.qr(A)[1] / 2), "not orthonormal"),
    (lambda A: (np.linalg.qr(A)[0], np.triu(np.linalg.qr(A)[1] * 1.01)), "Q R is not equal to A"),
    (lambda A: (np.full(A.shape, np.nan), np.linalg.qr(A)[1]), "NaN or infinity"),
])
def test_householder_qr_check_says_what_is_wrong(broken, message, capsys):
    assert exercises.check_householder_qr(broken) is False
    out = capsys.readouterr().out
    assert message in out
    assert "Traceback" not in out


# --- the week-4 graders and the held-out case of check_PCA --------------------------------


def _pca_gram_unsigned(Xc, M):
    """The book's pca_gram with the signs of every other column flipped: still right."""
    from mmlbook.pca import pca_gram

    values, B = pca_gram(Xc, M)
    return values, B * np.where(np.arange(M) % 2, -1.0, 1.0)


# Collected by the tests above (their parametrisation reads CHECKS after the module is loaded):
# the book's own code passes, and an exception is reported without crashing.
CHECKS.update({"principal_projection": exercises.check_principal_projection,
               "pca_gram": exercises.check_pca_gram})


def test_gram_grader_accepts_either_sign(capsys):
    assert exercises.check_pca_gram(_pca_gram_unsigned) is True


def _projection_without_mean(X, M):
    """Classic bug: the principal subspace through the origin, the mean never put back."""
    Xc = X - X.mean(axis=0)
    _, B = np.linalg.eigh(Xc.T @ Xc / len(X))
    B = B[:, ::-1][:, :M]
    return Xc @ B @ B.T


def _projection_uncentred(X, M):
    """Classic bug: eigenvectors of X^T X / N without centring."""
    _, B = np.linalg.eigh(X.T @ X / len(X))
    B = B[:, ::-1][:, :M]
    return X @ B @ B.T


def _gram_not_normalised(Xc, M):
    """Classic bug: X_c^T v used without dividing by its length sqrt(N lambda)."""
    values, V = np.linalg.eigh(Xc @ Xc.T / len(Xc))
    order = np.argsort(values)[::-1][:M]
    return values[order], Xc.T @ V[:, order]


def _gram_eigenvalues_of_XXt(Xc, M):
    """Classic bug: eigenvalues of X_c X_c^T, not divided by N."""
    values, V = np.linalg.eigh(Xc @ Xc.T)
    order = np.argsort(values)[::-1][:M]
    B = Xc.T @ V[:, order]
    return values[order], B / np.linalg.norm(B, axis=0)


@pytest.mark.parametrize("check, buggy, wrong", [
    (exercises.check_principal_projection, _projection_without_mean, "wrong value"),
    (exercises.check_principal_projection, _projection_uncentred, "wrong value"),
    (exercises.check_pca_gram, _gram_not_normalised, "components"),
    (exercises.check_pca_gram, _gram_eigenvalues_of_XXt, "eigenvalues: wrong value"),
])
def test_week4_graders_catch_classic_bugs(check, buggy, wrong, capsys):
    assert check(buggy) is False
    out = capsys.readouterr().out
    assert "[fail]" in out and wrong in out


def test_check_PCA_catches_transform_centred_with_its_own_mean(capsys):
    from mmlbook.pca import PCA

    class OwnMeanPCA(PCA):
        def transform(self, X):
            X = np.asarray(X, dtype=float)
            return (X - X.mean(axis=0)) @ self.components_.T

    assert exercises.check_PCA(OwnMeanPCA) is False
    out = capsys.readouterr().out
    assert "[fail] 15 held-out samples with a shifted mean" in out
    # it passes every case on the training data: only the held-out case catches it
    assert out.count("[fail]") == 1


def test_graders_never_reveal_the_answer(capsys):
    exercises.check_pca_gram(_gram_not_normalised)
    exercises.check_principal_projection(_projection_uncentred)
    out = capsys.readouterr().out
    assert "[[" not in out and "array(" not in out
