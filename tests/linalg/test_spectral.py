"""Tests for mmlbook.linalg.spectral, against numpy.linalg.eigh and scipy.linalg.cholesky."""

import numpy as np
import pytest
import scipy.linalg
from hypothesis import given, settings
from hypothesis import strategies as st

from mmlbook.linalg.spectral import definiteness, spectral_decomposition


def random_symmetric(n, seed):
    M = np.random.default_rng(seed).normal(size=(n, n))
    return (M + M.T) / 2


@settings(max_examples=100, deadline=None)
@given(st.integers(1, 6), st.integers(0, 2**31 - 1))
def test_spectral_decomposition_properties(n, seed):
    A = random_symmetric(n, seed)
    lam, Q = spectral_decomposition(A)
    np.testing.assert_allclose(Q.T @ Q, np.eye(n), atol=1e-10)
    np.testing.assert_allclose(Q @ np.diag(lam) @ Q.T, A, atol=1e-10)
    np.testing.assert_allclose(lam, np.sort(np.linalg.eigvalsh(A))[::-1], atol=1e-10)
    assert np.all(np.diff(lam) <= 1e-12)
    biggest = np.abs(Q).argmax(axis=0)
    assert np.all(Q[biggest, np.arange(n)] > 0)


def test_small_example():
    lam, Q = spectral_decomposition([[2.0, 1.0], [1.0, 2.0]])
    np.testing.assert_allclose(lam, [3, 1])
    np.testing.assert_allclose(np.abs(Q), np.full((2, 2), 1 / np.sqrt(2)))


@settings(max_examples=100, deadline=None)
@given(st.integers(1, 6), st.integers(0, 2**31 - 1))
def test_definiteness_agrees_with_cholesky(n, seed):
    """A symmetric matrix is positive definite exactly when its Cholesky factor exists."""
    rng = np.random.default_rng(seed)
    M = rng.normal(size=(n, n))
    shift = rng.choice([-2.0, 0.0, 2.0])
    A = M @ M.T + shift * np.eye(n)
    try:
        scipy.linalg.cholesky(A)
        has_cholesky = True
    except np.linalg.LinAlgError:
        has_cholesky = False
    if np.linalg.eigvalsh(A).min() > 1e-6 * np.abs(A).max() or not has_cholesky:
        assert (definiteness(A) == "positive definite") == has_cholesky


@pytest.mark.parametrize("A, kind", [
    (np.eye(3), "positive definite"),
    ([[1.0, 1.0], [1.0, 1.0]], "positive semidefinite"),
    (-np.eye(2), "negative definite"),
    ([[-1.0, 0.0], [0.0, 0.0]], "negative semidefinite"),
    ([[1.0, 0.0], [0.0, -1.0]], "indefinite"),
    (np.zeros((2, 2)), "zero"),
])
def test_definiteness_cases(A, kind):
    assert definiteness(A) == kind


def test_covariance_is_positive_semidefinite():
    X = np.random.default_rng(3).normal(size=(2, 4))   # fewer samples than features
    assert definiteness(np.cov(X, rowvar=False)) == "positive semidefinite"


def test_bad_input():
    with pytest.raises(ValueError, match="A must be symmetric"):
        spectral_decomposition([[1.0, 2.0], [0.0, 1.0]])
    with pytest.raises(ValueError, match="A must be square"):
        definiteness(np.ones((2, 3)))
    with pytest.raises(ValueError, match="tol must be >= 0"):
        definiteness(np.eye(2), tol=-1.0)
