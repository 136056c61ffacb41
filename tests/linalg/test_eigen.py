"""Tests of mmlbook.linalg.eigen: power_iteration, characteristic_polynomial, diagonalise, matrix_power."""

import numpy as np
import pytest
import scipy.sparse as sp
import scipy.stats
import sympy
from hypothesis import assume, given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from mmlbook.exceptions import ConvergenceError, SingularMatrixError, ZeroIterateError
from mmlbook.linalg import characteristic_polynomial, diagonalise, matrix_power, power_iteration


def symmetric_with_spectrum(values, seed):
    """Q diag(values) Q^T for a random orthogonal Q: a symmetric matrix with known eigenvalues."""
    n = len(values)
    Q = scipy.stats.ortho_group.rvs(n, random_state=seed)
    return Q @ np.diag(values) @ Q.T


def square_integer_matrices(n_max=4):
    return st.integers(1, n_max).flatmap(
        lambda n: arrays(float, (n, n), elements=st.integers(-5, 5)))


# --- power_iteration --------------------------------------------------------------------------

@pytest.mark.parametrize("seed", range(8))
def test_power_iteration_random_symmetric(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(2, 8))
    top = rng.uniform(3, 6)
    rest = rng.uniform(-0.6, 0.6, size=n - 1) * top
    M = symmetric_with_spectrum(np.r_[top, rest], seed)
    res = power_iteration(M, x0=rng.normal(size=n), tol=1e-12, max_iter=5000)
    values, vectors = np.linalg.eig(M)
    i = np.argmax(np.abs(values))
    v = vectors[:, i] * np.sign(vectors[np.argmax(np.abs(vectors[:, i])), i])
    assert res.success
    assert np.isclose(res.eigenvalue, values[i].real)
    assert np.allclose(res.eigenvector, v, atol=1e-8)
    assert res.path.shape == (res.nit + 1, n) and res.changes.shape == (res.nit,)


def test_power_iteration_sparse_matches_dense():
    M = symmetric_with_spectrum([4.0, 1.0, -2.0, 0.5], seed=3)
    dense = power_iteration(M, tol=1e-12)
    for fmt in (sp.csr_array, sp.csc_matrix, sp.coo_array):
        res = power_iteration(fmt(M), tol=1e-12)
        assert np.allclose(res.eigenvector, dense.eigenvector)
        assert np.isclose(res.eigenvalue, dense.eigenvalue)


def test_power_iteration_norm_1():
    M = np.array([[0.5, 0.3], [0.5, 0.7]])  # column-stochastic
    res = power_iteration(M, norm=1)
    assert np.isclose(np.abs(res.eigenvector).sum(), 1)
    assert np.isclose(res.eigenvalue, 1)
    assert np.allclose(M @ res.eigenvector, res.eigenvector)


def test_power_iteration_tied_moduli_does_not_converge():
    M = np.array([[0.0, 1.0], [1.0, 0.0]])  # eigenvalues 1 and -1
    with pytest.raises(ConvergenceError, match="power_iteration did not converge in 50"):
        power_iteration(M, x0=[1.0, 0.0], max_iter=50)
    # From an eigenvector it is already done.
    assert power_iteration(M).nit == 1


def test_power_iteration_rotation_does_not_converge():
    with pytest.raises(ConvergenceError):
        power_iteration([[0.0, -1.0], [1.0, 0.0]], x0=[1.0, 0.3], max_iter=100)


def test_power_iteration_convergence_error_fields():
    with pytest.raises(ConvergenceError) as info:
        power_iteration([[0.0, 1.0], [1.0, 0.0]], x0=[1.0, 0.0], max_iter=7, tol=1e-3)
    assert info.value.nit == 7 and info.value.tol == 1e-3 and info.value.residual > 1


@pytest.mark.parametrize("kwargs, match", [
    (dict(M=np.ones((2, 3))), "M must be square"),
    (dict(M=sp.csr_array(np.ones((2, 3)))), "M must be square"),
    (dict(M=[[np.nan, 0.0], [0.0, 1.0]]), "M must be finite"),
    (dict(M=sp.csr_array(np.array([[np.inf, 0.0], [0.0, 1.0]]))), "M must be finite"),
    (dict(M=[1.0, 2.0]), "M must have 2 dimension"),
    (dict(M=np.eye(2), x0=[1.0, 2.0, 3.0]), "x0 must have length 2"),
    (dict(M=np.eye(2), x0=[0.0, 0.0]), "x0 must not be the zero vector"),
    (dict(M=np.eye(2), tol=0.0), "tol must be > 0"),
    (dict(M=np.eye(2), max_iter=0), "max_iter must be >= 1"),
    (dict(M=np.eye(2), max_iter=2.5), "max_iter must be an integer"),
    (dict(M=np.eye(2), norm=3), "norm must be one of 1, 2"),
])
def test_power_iteration_bad_input(kwargs, match):
    with pytest.raises(ValueError, match=match):
        power_iteration(**kwargs)


@pytest.mark.parametrize("M, x0, nit", [
    ([[0.0, 1.0], [0.0, 0.0]], [0.0, 1.0], 2),   # nilpotent: M^2 = 0, from any start
    ([[0.0, 1.0], [0.0, 0.0]], None, 2),
    (sp.csr_array([[0.0, 1.0], [0.0, 0.0]]), None, 2),
    ([[1.0, 0.0], [0.0, 0.0]], [0.0, 1.0], 1),   # dominant eigenvalue 1, but x0 is in the null space
])
def test_power_iteration_zero_iterate(M, x0, nit):
    # An outcome of the computation, not bad input: a LinAlgError of its own, as numpy raises.
    with pytest.raises(ZeroIterateError, match=f"M maps the iterate to zero at iteration {nit}"):
        power_iteration(M, x0)
    assert issubclass(ZeroIterateError, np.linalg.LinAlgError)


# --- characteristic_polynomial -------------------------------------------------------------------

def sympy_charpoly(A):
    lam = sympy.symbols("lambda")
    M = sympy.Matrix(np.asarray(A, dtype=int).tolist())
    return np.array([float(c) for c in M.charpoly(lam).all_coeffs()])


@given(square_integer_matrices())
def test_characteristic_polynomial_against_sympy(A):
    assert np.allclose(characteristic_polynomial(A), sympy_charpoly(A), atol=1e-6)


def test_characteristic_polynomial_2x2_by_hand():
    # lambda^2 - (a + d) lambda + (ad - bc)
    assert np.allclose(characteristic_polynomial([[3.0, 1.0], [0.0, 2.0]]), [1, -5, 6])
    assert np.allclose(characteristic_polynomial([[0.0, -1.0], [1.0, 0.0]]), [1, 0, 1])
    assert np.allclose(characteristic_polynomial([[7.0]]), [1, -7])


@given(square_integer_matrices())
def test_characteristic_polynomial_is_det_lambda_I_minus_A(A):
    """The chapter's convention: det(lambda I - A) = (-1)^n det(A - lambda I), monic for every n."""
    lam = sympy.symbols("lambda")
    M = sympy.Matrix(np.asarray(A, dtype=int).tolist())
    n = M.shape[0]
    by_hand = sympy.Poly((-1) ** n * (M - lam * sympy.eye(n)).det(), lam).all_coeffs()
    coefficients = characteristic_polynomial(A)
    assert coefficients[0] == 1
    assert np.allclose(coefficients, [float(c) for c in by_hand], atol=1e-6)


@given(square_integer_matrices(3))
def test_characteristic_polynomial_roots_are_eigenvalues(A):
    roots = np.sort_complex(np.roots(characteristic_polynomial(A)))
    values = np.sort_complex(np.linalg.eigvals(A))
    assume(np.min(np.abs(np.diff(values))) > 1e-3 if len(values) > 1 else True)  # repeated roots are ill-conditioned
    assert np.allclose(roots, values, atol=1e-6)


# --- diagonalise and matrix_power ---------------------------------------------------------------

def test_diagonalise_symmetric_example():
    C, D = diagonalise([[2.0, 1.0], [1.0, 2.0]])
    assert np.allclose(np.diag(D), [3, 1])
    assert np.allclose(C, np.array([[1, 1], [1, -1]]) / np.sqrt(2))


@given(square_integer_matrices())
def test_diagonalise_reconstructs(A):
    try:
        C, D = diagonalise(A)
    except SingularMatrixError:
        # Only defective matrices may be refused: a repeated eigenvalue is needed for that.
        values = np.linalg.eigvals(A)
        gaps = np.abs(values[:, None] - values[None, :]) + np.eye(len(values))
        assert gaps.min() < 1e-3
        return
    assert np.allclose(C @ D @ np.linalg.inv(C), A, atol=1e-8)
    assert np.allclose(A @ C, C @ D, atol=1e-8)
    assert np.count_nonzero(D - np.diag(np.diag(D))) == 0
    moduli = np.abs(np.diag(D))
    assert np.all(np.diff(moduli) <= 1e-9)
    assert np.allclose(np.linalg.norm(C, axis=0), 1)


@pytest.mark.parametrize("seed", range(6))
def test_diagonalise_symmetric_against_eigh(seed):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(5, 5))
    S = X + X.T
    C, D = diagonalise(S)
    values, vectors = np.linalg.eigh(S)
    order = np.argsort(-np.abs(values))
    assert np.allclose(np.diag(D), values[order])
    assert np.allclose(np.abs(C.T @ vectors[:, order]), np.eye(5), atol=1e-8)


def test_diagonalise_is_deterministic_and_sign_fixed():
    A = np.array([[4.0, 1.0, 0.0], [1.0, 3.0, 1.0], [0.0, 1.0, 2.0]])
    C1, D1 = diagonalise(A)
    C2, D2 = diagonalise(-(-A))
    assert np.array_equal(C1, C2) and np.array_equal(D1, D2)
    for c in C1.T:
        assert c[np.argmax(np.abs(c))] > 0


def test_diagonalise_rotation_is_complex():
    C, D = diagonalise([[0.0, -1.0], [1.0, 0.0]])
    assert np.iscomplexobj(D)
    assert np.allclose(np.diag(D), [1j, -1j])
    assert np.allclose(C @ D @ np.linalg.inv(C), [[0, -1], [1, 0]])


def test_diagonalise_uniform_scaling_and_1x1():
    C, D = diagonalise(3 * np.eye(3))
    assert np.allclose(D, 3 * np.eye(3)) and np.allclose(C, np.eye(3))
    C, D = diagonalise([[-2.0]])
    assert np.allclose(C, [[1.0]]) and np.allclose(D, [[-2.0]])


@pytest.mark.parametrize("A", [
    [[1.0, 1.0], [0.0, 1.0]],                                  # shear
    [[2.0, 1.0, 0.0], [0.0, 2.0, 1.0], [0.0, 0.0, 2.0]],       # Jordan block
    [[0.0, 1.0], [0.0, 0.0]],                                  # nilpotent
])
def test_diagonalise_defective(A):
    with pytest.raises(SingularMatrixError, match="A is defective"):
        diagonalise(A)
    with pytest.raises(SingularMatrixError, match="A is defective"):
        matrix_power(A, 3)


@given(square_integer_matrices(3), st.integers(0, 6))
def test_matrix_power_against_numpy(A, k):
    try:
        Ak = matrix_power(A, k)
    except SingularMatrixError:
        return
    expected = np.linalg.matrix_power(A, k)
    assert np.allclose(Ak, expected, rtol=1e-6, atol=1e-6 * max(1.0, np.abs(expected).max()))
    assert not np.iscomplexobj(Ak)


def test_matrix_power_large_n_and_rotation():
    T = np.array([[0.9, 0.8], [-1.0, 0.35]])
    assert np.allclose(matrix_power(T, 50), np.linalg.matrix_power(T, 50))
    R = np.array([[0.0, -1.0], [1.0, 0.0]])
    assert np.allclose(matrix_power(R, 4), np.eye(2))
    assert np.allclose(matrix_power(R, 0), np.eye(2))


@pytest.mark.parametrize("func", [characteristic_polynomial, diagonalise])
@pytest.mark.parametrize("bad, match", [
    (np.ones((2, 3)), "A must be square"),
    ([1.0, 2.0], "A must have 2 dimension"),
    (np.zeros((0, 0)), "A must not be empty"),
    ([[1.0, np.inf], [0.0, 1.0]], "A must be finite"),
])
def test_bad_matrix(func, bad, match):
    with pytest.raises(ValueError, match=match):
        func(bad)
    with pytest.raises(ValueError, match=match):
        matrix_power(bad, 2)


@pytest.mark.parametrize("k, match", [(-1, "k must be >= 0"), (1.5, "k must be an integer"),
                                      (True, "k must be an integer")])
def test_matrix_power_bad_k(k, match):
    with pytest.raises(ValueError, match=match):
        matrix_power(np.eye(2), k)


@pytest.mark.parametrize("cond_max", [1.0, -3.0, np.nan])
def test_diagonalise_bad_cond_max(cond_max):
    with pytest.raises(ValueError, match="cond_max"):
        diagonalise(np.eye(2), cond_max=cond_max)


def test_characteristic_polynomial_has_no_negative_zero():
    # A trace of 0 used to give -0.0, printed as "-0." in the chapter.
    for A in ([[0.0, -1.0], [1.0, 0.0]], np.diag([1.0, -1.0, 2.0, -2.0])):
        p = characteristic_polynomial(A)
        assert not np.signbit(p[p == 0]).any()


@pytest.mark.parametrize("c", [1e308 / 4, 1e-300, 2.0**-1060])
@pytest.mark.parametrize("sparse", [False, True])
def test_power_iteration_at_any_scale(c, sparse):
    # The eigenvalues of c M are c times those of M, the eigenvector is the same:
    # never "M maps the iterate to zero" for a tiny M, nor an overflow for a huge one.
    M = np.array([[2.0, 1.0], [1.0, 3.0]])
    lam, V = np.linalg.eigh(M)
    res = power_iteration(sp.csr_array(M * c) if sparse else M * c, tol=1e-12)
    assert res.eigenvalue == pytest.approx(lam[-1] * c, rel=1e-6 if c < 1e-310 else 1e-10)
    np.testing.assert_allclose(res.eigenvector, np.abs(V[:, -1]), atol=1e-5)
