"""Tests for mmlbook.linalg.cholesky, against numpy.linalg.cholesky and numpy.linalg.eigvalsh."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mmlbook.exceptions import NotPositiveDefiniteError
from mmlbook.linalg import cholesky, definiteness


@settings(max_examples=100, deadline=None)
@given(st.integers(1, 7), st.integers(0, 2**31 - 1))
def test_agrees_with_numpy_on_positive_definite(n, seed):
    M = np.random.default_rng(seed).normal(size=(n, n))
    A = M @ M.T + 0.1 * np.eye(n)
    L = cholesky(A)
    np.testing.assert_allclose(L, np.linalg.cholesky(A), rtol=1e-8, atol=1e-10)
    assert np.all(np.triu(L, 1) == 0) and np.all(np.diag(L) > 0)
    np.testing.assert_allclose(L @ L.T, A, atol=1e-10 * np.abs(A).max())


@settings(max_examples=100, deadline=None)
@given(st.integers(1, 6), st.integers(0, 2**31 - 1), st.sampled_from([-3.0, -0.5, 0.5, 3.0]))
def test_succeeds_exactly_for_positive_definite(n, seed, shift):
    """The factor exists exactly when the smallest eigenvalue is positive (away from the boundary)."""
    M = np.random.default_rng(seed).normal(size=(n, n))
    A = (M + M.T) / 2 + shift * np.eye(n)
    smallest = np.linalg.eigvalsh(A).min()
    if abs(smallest) < 1e-6:
        return
    try:
        cholesky(A)
        factored = True
    except NotPositiveDefiniteError:
        factored = False
    assert factored == (smallest > 0) == (definiteness(A) == "positive definite")
    try:
        np.linalg.cholesky(A)
        assert factored
    except np.linalg.LinAlgError:
        assert not factored


def test_errors():
    assert issubclass(NotPositiveDefiniteError, np.linalg.LinAlgError)
    with pytest.raises(NotPositiveDefiniteError, match="pivot 2 is 0"):
        cholesky([[1.0, 1.0], [1.0, 1.0]])
    with pytest.raises(np.linalg.LinAlgError):
        cholesky([[1.0, 2.0], [2.0, 1.0]])
    with pytest.raises(ValueError, match="A must be symmetric"):
        cholesky([[2.0, 1.0], [0.0, 2.0]])
    A = np.array([[4.0, 2.0], [2.0, 5.0]])
    before = A.copy()
    np.testing.assert_array_equal(cholesky(A), [[2.0, 0.0], [1.0, 2.0]])
    np.testing.assert_array_equal(A, before)


@pytest.mark.parametrize("scale", [1e-300, 1e300])
def test_extreme_scales(scale):
    A = np.array([[4.0, 2.0], [2.0, 5.0]]) * scale
    np.testing.assert_allclose(cholesky(A), np.linalg.cholesky(A), rtol=1e-12)


def test_the_error_says_which_pivot():
    import pickle
    with pytest.raises(NotPositiveDefiniteError) as info:
        cholesky([[1.0, 2.0], [2.0, 3.0]])
    assert (info.value.index, info.value.pivot) == (2, -1.0)
    again = pickle.loads(pickle.dumps(info.value))
    assert (again.index, again.pivot, str(again)) == (2, -1.0, str(info.value))
