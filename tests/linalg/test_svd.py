"""Tests for mmlbook.linalg.svd, against numpy.linalg.svd and numpy.linalg.pinv."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mmlbook.linalg import pseudo_inverse, svd

EPS = np.finfo(float).eps


def random_matrix(m, n, seed, rank=None):
    rng = np.random.default_rng(seed)
    if rank is None:
        return rng.normal(size=(m, n))
    return rng.normal(size=(m, rank)) @ rng.normal(size=(rank, n))


def check_svd(A, U, s, Vt):
    m, n = A.shape
    k = min(m, n)
    assert U.shape == (m, k) and s.shape == (k,) and Vt.shape == (k, n)
    np.testing.assert_allclose(U.T @ U, np.eye(k), atol=1e-9)
    np.testing.assert_allclose(Vt @ Vt.T, np.eye(k), atol=1e-9)
    assert np.all(s >= 0) and np.all(np.diff(s) <= 0)
    np.testing.assert_allclose(U @ np.diag(s) @ Vt, A, atol=1e-9 * max(1.0, np.abs(A).max()))


@pytest.mark.parametrize("shape", [(6, 3), (3, 6), (5, 5), (1, 4), (4, 1), (1, 1)])
def test_agrees_with_numpy_full_rank(shape):
    A = random_matrix(*shape, seed=sum(shape))
    U, s, Vt = svd(A)
    check_svd(A, U, s, Vt)
    U_np, s_np, Vt_np = np.linalg.svd(A, full_matrices=False)
    np.testing.assert_allclose(s, s_np, rtol=1e-10)
    # the singular vectors agree up to sign (the singular values are distinct)
    np.testing.assert_allclose(np.abs(np.sum(U * U_np, axis=0)), 1, atol=1e-8)
    np.testing.assert_allclose(np.abs(np.sum(Vt * Vt_np, axis=1)), 1, atol=1e-8)


@pytest.mark.parametrize("m, n, r", [(8, 5, 2), (5, 8, 2), (6, 6, 3), (4, 4, 1), (7, 3, 0)])
def test_agrees_with_numpy_rank_deficient(m, n, r):
    A = random_matrix(m, n, seed=m * n + r, rank=r) if r else np.zeros((m, n))
    U, s, Vt = svd(A)
    check_svd(A, U, s, Vt)
    s_np = np.linalg.svd(A, compute_uv=False)
    np.testing.assert_allclose(s[:r], s_np[:r], rtol=1e-9)
    assert np.all(s[r:] == 0)                         # rounding error in A^T A is recognised as zero
    assert np.linalg.matrix_rank(A) == r == np.count_nonzero(s)


def test_the_cost_of_forming_AtA():
    """numpy keeps a singular value of 1e-10 relative to the largest; the A^T A route cannot."""
    rng = np.random.default_rng(0)
    Q1, _ = np.linalg.qr(rng.normal(size=(6, 3)))
    Q2, _ = np.linalg.qr(rng.normal(size=(3, 3)))
    sigma = np.array([1.0, 1e-4, 1e-10])
    A = Q1 @ np.diag(sigma) @ Q2.T
    s_np = np.linalg.svd(A, compute_uv=False)
    s = svd(A)[1]
    np.testing.assert_allclose(s_np, sigma, rtol=1e-5)        # numpy: every sigma to about eps / sigma_i
    np.testing.assert_allclose(s[:2], sigma[:2], rtol=1e-7)    # 1e-4 survives squaring (1e-8 in A^T A)
    assert abs(s[2] - sigma[2]) > 0.5 * sigma[2]               # 1e-10 does not: 1e-20 is below eps in A^T A


def graded_matrix(m, n, sigma, seed):
    """An m x n matrix with the singular values sigma, by random orthonormal factors."""
    rng = np.random.default_rng(seed)
    k = len(sigma)
    Q1, _ = np.linalg.qr(rng.normal(size=(m, k)))
    Q2, _ = np.linalg.qr(rng.normal(size=(n, k)))
    return Q1 @ np.diag(sigma) @ Q2.T


@pytest.mark.parametrize("m, n", [(6, 3), (3, 6)])
def test_orthogonality_lost_by_small_singular_values(m, n):
    """u_i = A v_i / sigma_i magnifies rounding: orthonormal to about eps sigma_1^2 / sigma_r^2,
    as the docstring says, not to eps (numpy's factors are, for the same matrix)."""
    A = graded_matrix(m, n, [1.0, 0.5, 1e-7], seed=m + 10 * n)
    U, s, Vt = svd(A)
    assert np.count_nonzero(s) == 3
    loss = max(np.abs(U.T @ U - np.eye(3)).max(), np.abs(Vt @ Vt.T - np.eye(3)).max())
    assert 1e-8 < loss < 10 * EPS / 1e-14                      # visibly lost, within the bound
    U_np, _, Vt_np = np.linalg.svd(A, full_matrices=False)
    assert np.abs(U_np.T @ U_np - np.eye(3)).max() < 1e-14
    np.testing.assert_allclose(U @ np.diag(s) @ Vt, A, atol=1e-14)  # the factorisation still holds


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 8), st.integers(1, 8), st.integers(0, 2**31 - 1))
def test_orthogonality_bound(m, n, seed):
    rng = np.random.default_rng(seed)
    k = min(m, n)
    sigma = np.sort(10.0 ** rng.uniform(-9, 0, size=k))[::-1]
    sigma[0] = 1.0
    U, s, Vt = svd(graded_matrix(m, n, sigma, seed))
    r = np.count_nonzero(s)
    loss = max(np.abs(U.T @ U - np.eye(k)).max(), np.abs(Vt @ Vt.T - np.eye(k)).max())
    assert loss <= 20 * EPS * s[0] ** 2 / s[r - 1] ** 2


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 7), st.integers(1, 7), st.integers(0, 2**31 - 1))
def test_svd_properties(m, n, seed):
    A = random_matrix(m, n, seed)
    U, s, Vt = svd(A)
    check_svd(A, U, s, Vt)
    s_np = np.linalg.svd(A, compute_uv=False)
    # squaring in A^T A: each sigma_i is known to about eps sigma_1^2 / sigma_i
    np.testing.assert_allclose(s, s_np, atol=1e-7 * s_np[0])
    assert np.isclose(s[0], np.linalg.norm(A, 2))


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 6), st.integers(1, 6), st.integers(0, 3), st.integers(0, 2**31 - 1))
def test_pseudo_inverse_properties(m, n, r, seed):
    """The four Penrose conditions, and numpy's pinv."""
    r = min(r, m, n)
    A = random_matrix(m, n, seed, rank=r) if r else np.zeros((m, n))
    P = pseudo_inverse(A)
    assert P.shape == (n, m)
    tol = 1e-8 * max(1.0, np.abs(A).max()) * max(1.0, np.abs(P).max()) ** 2
    np.testing.assert_allclose(A @ P @ A, A, atol=tol)
    np.testing.assert_allclose(P @ A @ P, P, atol=tol)
    np.testing.assert_allclose((A @ P).T, A @ P, atol=tol)
    np.testing.assert_allclose((P @ A).T, P @ A, atol=tol)
    s = np.linalg.svd(A, compute_uv=False)
    if r and s[r - 1] > 1e-3 * s[0]:                  # well separated from the rounding floor
        np.testing.assert_allclose(P, np.linalg.pinv(A, rcond=1e-10), atol=1e-7 * np.abs(P).max())


def test_pseudo_inverse_least_squares():
    rng = np.random.default_rng(3)
    A, b = rng.normal(size=(20, 3)), rng.normal(size=20)
    np.testing.assert_allclose(pseudo_inverse(A) @ b, np.linalg.lstsq(A, b, rcond=None)[0], rtol=1e-9)
    B = rng.normal(size=(4, 4))
    np.testing.assert_allclose(pseudo_inverse(B), np.linalg.inv(B), rtol=1e-7, atol=1e-9)


def test_minimum_norm_solution_of_a_wide_system():
    A, b = np.array([[1.0, 1.0]]), np.array([2.0])
    np.testing.assert_allclose(pseudo_inverse(A) @ b, [1.0, 1.0])


@pytest.mark.parametrize("scale", [2.0**-600, 1e-300, 1e300, 2.0**700])
def test_extreme_scales(scale):
    A = random_matrix(5, 3, seed=1)
    U, s, Vt = svd(scale * A)
    np.testing.assert_allclose(s, scale * np.linalg.svd(A, compute_uv=False), rtol=1e-9)
    P = pseudo_inverse(A * scale)
    np.testing.assert_allclose(P * scale, np.linalg.pinv(A), rtol=1e-8)


def test_input_left_alone_and_errors():
    A = random_matrix(4, 3, seed=2)
    before = A.copy()
    svd(A)
    pseudo_inverse(A)
    np.testing.assert_array_equal(A, before)
    with pytest.raises(ValueError, match="A"):
        svd([1.0, 2.0])
    with pytest.raises(ValueError, match="A"):
        pseudo_inverse([[1.0, np.nan]])
