"""Tests for mmlbook.linalg.subspaces, against sympy, scipy.linalg.null_space and numpy.linalg.matrix_rank."""

import numpy as np
import pytest
import scipy.linalg
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from mmlbook.linalg.subspaces import column_space, null_space, rref, solution_set


@st.composite
def low_rank_integer(draw):
    """An m x n integer matrix of rank at most r, as the product of two integer matrices."""
    m = draw(st.integers(1, 5))
    n = draw(st.integers(1, 5))
    r = draw(st.integers(0, min(m, n)))
    ints = st.integers(-4, 4)
    L = np.array(draw(st.lists(st.lists(ints, min_size=r, max_size=r), min_size=m, max_size=m)),
                 dtype=float).reshape(m, r)
    M = np.array(draw(st.lists(st.lists(ints, min_size=n, max_size=n), min_size=r, max_size=r)),
                 dtype=float).reshape(r, n)
    return L @ M


def same_span(U, V):
    """Whether the columns of U and V span the same subspace."""
    if U.shape[1] == 0 or V.shape[1] == 0:
        return U.shape[1] == V.shape[1] == 0 or (np.allclose(U, 0) and np.allclose(V, 0))
    r = np.linalg.matrix_rank(U)
    return r == np.linalg.matrix_rank(V) == np.linalg.matrix_rank(np.column_stack([U, V]))


def test_rref_small_example():
    R, pivots = rref([[1.0, 2.0, 1.0], [2.0, 4.0, 0.0]])
    assert pivots == [0, 2]
    np.testing.assert_allclose(R, [[1, 2, 0], [0, 0, 1]])


@settings(max_examples=200, deadline=None)
@given(low_rank_integer())
def test_rref_matches_sympy(A):
    R, pivots = rref(A)
    R_sym, piv_sym = sympy.Matrix(A.astype(int).tolist()).rref()
    assert tuple(pivots) == tuple(piv_sym)
    np.testing.assert_allclose(R, np.array(R_sym.tolist(), dtype=float), atol=1e-9)


@settings(max_examples=200, deadline=None)
@given(low_rank_integer())
def test_rank_nullity_and_null_space(A):
    m, n = A.shape
    N = null_space(A)
    r = np.linalg.matrix_rank(A)
    assert N.shape == (n, n - r)                       # rank-nullity
    np.testing.assert_allclose(A @ N, 0, atol=1e-9)
    assert same_span(N, scipy.linalg.null_space(A))


@settings(max_examples=200, deadline=None)
@given(low_rank_integer())
def test_column_space(A):
    C = column_space(A)
    r = np.linalg.matrix_rank(A)
    assert C.shape == (A.shape[0], r)
    assert np.linalg.matrix_rank(C) == r if r else C.size == 0
    if r:
        assert same_span(C, A)


@settings(max_examples=200, deadline=None)
@given(low_rank_integer(), st.integers(0, 2**31 - 1))
def test_solution_set_consistent(A, seed):
    rng = np.random.default_rng(seed)
    x0 = rng.integers(-3, 4, size=A.shape[1]).astype(float)
    b = A @ x0
    s = solution_set(A, b)
    assert s.consistent
    np.testing.assert_allclose(A @ s.x, b, atol=1e-8)
    t = rng.normal(size=s.null_space.shape[1])
    np.testing.assert_allclose(A @ (s.x + s.null_space @ t), b, atol=1e-8)
    assert s.rank == np.linalg.matrix_rank(A)


@settings(max_examples=200, deadline=None)
@given(low_rank_integer(), st.integers(0, 2**31 - 1))
def test_solution_set_agrees_with_lstsq(A, seed):
    """Consistent exactly when the least-squares residual is zero."""
    rng = np.random.default_rng(seed)
    b = rng.integers(-3, 4, size=A.shape[0]).astype(float)
    s = solution_set(A, b)
    x_ls = np.linalg.lstsq(A, b, rcond=None)[0]
    assert s.consistent == bool(np.allclose(A @ x_ls, b, atol=1e-8))


def test_inconsistent_system():
    s = solution_set([[1.0, 2.0], [2.0, 4.0]], [3.0, 5.0])
    assert not s.consistent and s.x is None
    assert s.rank == 1 and s.null_space.shape == (2, 1)


def test_full_rank_square_agrees_with_solve():
    rng = np.random.default_rng(0)
    A = rng.normal(size=(4, 4)) + 4 * np.eye(4)
    b = rng.normal(size=4)
    s = solution_set(A, b)
    np.testing.assert_allclose(s.x, np.linalg.solve(A, b))
    assert s.null_space.shape == (4, 0)


def test_zero_matrix():
    R, pivots = rref(np.zeros((2, 3)))
    assert pivots == [] and np.all(R == 0)
    np.testing.assert_allclose(null_space(np.zeros((2, 3))), np.eye(3))


@pytest.mark.parametrize("bad, match", [
    ([1.0, 2.0], "A must have 2 dimension"),
    ([[1.0, np.nan]], "A must be finite"),
    ([[]], "A must not be empty"),
])
def test_bad_matrix(bad, match):
    for f in (rref, null_space, column_space):
        with pytest.raises(ValueError, match=match):
            f(bad)


def test_bad_rhs_and_tol():
    with pytest.raises(ValueError, match="b must have length 2"):
        solution_set(np.eye(2), [1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="tol must be >= 0"):
        rref(np.eye(2), tol=-1.0)


@pytest.mark.parametrize("b1", [1e-11, 1e11, 1e-200, 1e200])
def test_solution_set_tolerance_does_not_depend_on_the_units_of_b(b1):
    s = solution_set(np.eye(2), [b1, 0.0])
    assert s.consistent and s.rank == 2
    np.testing.assert_allclose(s.x, [b1, 0.0])
