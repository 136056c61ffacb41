"""Tests for mmlbook.linalg.elimination, against numpy.linalg and scipy.linalg."""

import numpy as np
import pytest
import scipy.linalg
from hypothesis import given, settings
from hypothesis import strategies as st

from mmlbook.exceptions import SingularMatrixError
from mmlbook.linalg.elimination import (back_substitution, determinant, inverse, is_singular, rank,
                                        row_echelon, solve)

# The shopping problem of the chapter: apples, bananas and carrots.
SHOPPING = np.array([[2.0, 3.0, 1.0], [1.0, 1.0, 2.0], [3.0, 1.0, 1.0]])
ZERO_PIVOT = np.array([[0.0, 2.0, 1.0], [1.0, 1.0, 1.0], [2.0, 1.0, 3.0]])
SINGULAR = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 9.0]])
# The course's assignment: 4x4 matrices, one singular and one not.
SINGULAR_4 = np.array([[2.0, 0.0, 0.0, 0.0], [0.0, 3.0, 0.0, 0.0], [0.0, 0.0, 4.0, 4.0],
                       [0.0, 0.0, 5.0, 5.0]])
REGULAR_4 = np.array([[0.0, 7.0, -5.0, 3.0], [2.0, 8.0, 0.0, 4.0], [3.0, 12.0, 0.0, 5.0],
                      [1.0, 3.0, 1.0, 3.0]])


def well_conditioned(n, seed):
    """A random matrix with a strong diagonal, far from singular."""
    rng = np.random.default_rng(seed)
    return rng.normal(size=(n, n)) + 2 * n * np.eye(n) * rng.choice([-1, 1], size=n)


def is_row_echelon(U, atol=1e-12):
    """Each row's first non-zero entry lies strictly right of the previous row's."""
    last = -1
    for row in U:
        nz = np.flatnonzero(np.abs(row) > atol)
        if nz.size == 0:
            last = U.shape[1]  # zero rows must stay at the bottom
            continue
        if nz[0] <= last:
            return False
        last = nz[0]
    return True


seeds = st.integers(min_value=0, max_value=2**32 - 1)
sizes = st.integers(min_value=1, max_value=6)


# --- row_echelon and rank ---------------------------------------------------------------

def test_row_echelon_zero_pivot_swaps_rows():
    U = row_echelon(ZERO_PIVOT)
    assert is_row_echelon(U)
    assert np.all(np.diag(U) != 0)
    # Partial pivoting brings the largest entry of column 0 (the 2 in row 2) to the top.
    np.testing.assert_allclose(U[0], ZERO_PIVOT[2])


def test_row_echelon_matches_scipy_lu():
    A = well_conditioned(5, 1)
    _, _, U_ref = scipy.linalg.lu(A)
    np.testing.assert_allclose(row_echelon(A), U_ref, atol=1e-12)


def test_row_echelon_rectangular_and_dependent():
    A = np.array([[1.0, 2.0, 3.0, 4.0], [2.0, 4.0, 6.0, 8.0], [0.0, 0.0, 1.0, 1.0]])
    U = row_echelon(A)
    assert is_row_echelon(U)
    np.testing.assert_array_equal(U[2], 0.0)


def test_row_echelon_leaves_input_alone():
    A = ZERO_PIVOT.copy()
    row_echelon(A)
    np.testing.assert_array_equal(A, ZERO_PIVOT)


def test_row_echelon_tolerance():
    A = np.array([[1.0, 1.0], [1.0, 1.0 + 1e-14]])
    assert row_echelon(A)[1, 1] == 0.0
    assert row_echelon(A, tol=0.0)[1, 1] != 0.0


@settings(max_examples=40)
@given(seed=seeds, m=sizes, n=sizes)
def test_row_echelon_shape_and_rank(seed, m, n):
    rng = np.random.default_rng(seed)
    A = rng.integers(-3, 4, size=(m, n)).astype(float)
    U = row_echelon(A)
    assert U.shape == A.shape
    assert is_row_echelon(U, atol=1e-9)
    assert rank(A) == np.linalg.matrix_rank(A)


def test_rank_of_zero_matrix():
    assert rank(np.zeros((3, 2))) == 0


# --- solve and back substitution ------------------------------------------------------

def test_solve_shopping():
    b = np.array([13.0, 9.0, 10.0])
    np.testing.assert_allclose(solve(SHOPPING, b), np.linalg.solve(SHOPPING, b))


def test_solve_needs_row_swap():
    b = np.array([1.0, 2.0, 3.0])
    np.testing.assert_allclose(solve(ZERO_PIVOT, b), np.linalg.solve(ZERO_PIVOT, b))


def test_solve_many_right_hand_sides():
    A = well_conditioned(4, 7)
    B = np.random.default_rng(8).normal(size=(4, 3))
    X = solve(A, B)
    assert X.shape == (4, 3)
    np.testing.assert_allclose(X, scipy.linalg.solve(A, B))


def test_solve_1x1():
    np.testing.assert_allclose(solve([[4.0]], [2.0]), [0.5])
    np.testing.assert_allclose(solve([[4.0]], [[2.0, 8.0]]), [[0.5, 2.0]])


def test_solve_nearly_singular_still_solves():
    A = np.array([[1.0, 1.0], [1.0, 1.0 + 1e-6]])
    b = np.array([2.0, 2.0 + 1e-6])
    np.testing.assert_allclose(solve(A, b), np.linalg.solve(A, b), rtol=1e-6)


@pytest.mark.parametrize("A", [SINGULAR, SINGULAR_4, np.zeros((2, 2)), [[0.0]]])
def test_solve_singular_names_column(A):
    with pytest.raises(SingularMatrixError, match=r"A is singular: column \d+ has no pivot"):
        solve(A, np.ones(len(A)))


@pytest.mark.parametrize(("A", "column"), [([[1.0, 2.0], [2.0, 4.0]], 2), ([[0.0, 1.0], [0.0, 1.0]], 1),
                                           ([[1.0, 0.0, 1.0], [0.0, 1.0, 1.0], [1.0, 1.0, 2.0]], 3)])
def test_singular_column_numbered_from_one(A, column):
    """The message counts columns as the mathematics does, from 1."""
    with pytest.raises(SingularMatrixError, match=rf"A is singular: column {column} has no pivot"):
        solve(A, np.ones(len(A)))


def test_singular_error_is_linalgerror():
    with pytest.raises(np.linalg.LinAlgError):
        solve(SINGULAR, np.ones(3))


@settings(max_examples=40)
@given(seed=seeds, n=sizes)
def test_solve_satisfies_system(seed, n):
    A = well_conditioned(n, seed)
    b = np.random.default_rng(seed + 1).normal(size=n)
    x = solve(A, b)
    np.testing.assert_allclose(A @ x, b, atol=1e-10)
    np.testing.assert_allclose(x, np.linalg.solve(A, b), atol=1e-10)


def test_back_substitution_against_scipy():
    U = np.triu(well_conditioned(5, 3))
    y = np.arange(5.0)
    np.testing.assert_allclose(back_substitution(U, y), scipy.linalg.solve_triangular(U, y))


def test_back_substitution_matrix_rhs():
    U = np.triu(well_conditioned(3, 4))
    Y = np.eye(3)
    np.testing.assert_allclose(back_substitution(U, Y), np.linalg.inv(U), atol=1e-12)


def test_back_substitution_rejects_lower_entries():
    with pytest.raises(ValueError, match=r"U must be upper triangular, got U\[1, 0\]"):
        back_substitution([[1.0, 2.0], [3.0, 4.0]], [1.0, 1.0])


def test_back_substitution_zero_diagonal():
    with pytest.raises(SingularMatrixError, match=r"U\[1, 1\] is zero"):
        back_substitution([[1.0, 2.0], [0.0, 0.0]], [1.0, 1.0])


# --- inverse ------------------------------------------------------------------------

def test_inverse_against_numpy():
    for A in (SHOPPING, ZERO_PIVOT, REGULAR_4, well_conditioned(6, 2)):
        np.testing.assert_allclose(inverse(A), np.linalg.inv(A), atol=1e-12)


def test_inverse_1x1():
    np.testing.assert_allclose(inverse([[-4.0]]), [[-0.25]])


@settings(max_examples=40)
@given(seed=seeds, n=sizes)
def test_inverse_times_A_is_identity(seed, n):
    A = well_conditioned(n, seed)
    Ainv = inverse(A)
    np.testing.assert_allclose(Ainv @ A, np.eye(n), atol=1e-10)
    np.testing.assert_allclose(A @ Ainv, np.eye(n), atol=1e-10)


@pytest.mark.parametrize("A", [SINGULAR, SINGULAR_4, np.zeros((3, 3))])
def test_inverse_singular(A):
    with pytest.raises(SingularMatrixError, match=r"column \d+ has no pivot"):
        inverse(A)


# --- determinant --------------------------------------------------------------------

@pytest.mark.parametrize("A", [SHOPPING, ZERO_PIVOT, REGULAR_4, SINGULAR, SINGULAR_4, [[3.0]],
                               [[0.0, 1.0], [1.0, 0.0]]])
def test_determinant_hand_made(A):
    assert determinant(A) == pytest.approx(np.linalg.det(A), abs=1e-10)


def test_determinant_of_zero_column_is_exactly_zero():
    assert determinant([[0.0, 1.0], [0.0, 2.0]]) == 0.0


def test_determinant_row_swap_flips_sign():
    assert determinant(ZERO_PIVOT[[1, 0, 2]]) == pytest.approx(-determinant(ZERO_PIVOT))


@settings(max_examples=40)
@given(seed=seeds, n=sizes)
def test_determinant_matches_numpy(seed, n):
    A = np.random.default_rng(seed).normal(size=(n, n))
    ref = np.linalg.det(A)
    assert determinant(A) == pytest.approx(ref, rel=1e-8, abs=1e-10)


@settings(max_examples=30)
@given(seed=seeds, n=sizes)
def test_determinant_is_multiplicative(seed, n):
    rng = np.random.default_rng(seed)
    A, B = rng.normal(size=(2, n, n))
    assert determinant(A @ B) == pytest.approx(determinant(A) * determinant(B), rel=1e-7, abs=1e-9)


# --- is_singular --------------------------------------------------------------------

def test_is_singular_course_examples():
    assert is_singular(SINGULAR_4) is True
    assert is_singular(REGULAR_4) is False
    assert is_singular(SINGULAR) is True
    assert is_singular(ZERO_PIVOT) is False


def test_is_singular_1x1():
    assert is_singular([[0.0]]) is True
    assert is_singular([[2.0]]) is False


def test_is_singular_nearly_singular_and_tolerance():
    A = np.array([[1.0, 1.0], [1.0, 1.0 + 1e-14]])
    assert is_singular(A) is True
    assert is_singular(A, tol=0.0) is False
    assert is_singular(np.array([[1.0, 1.0], [1.0, 1.0 + 1e-6]])) is False


@settings(max_examples=30)
@given(seed=seeds, n=st.integers(min_value=2, max_value=6))
def test_is_singular_dependent_columns(seed, n):
    rng = np.random.default_rng(seed)
    A = rng.integers(-4, 5, size=(n, n)).astype(float)
    A[:, -1] = A[:, 0] - 2 * A[:, 1 % (n - 1)]
    assert is_singular(A)
    assert is_singular(A) == (np.linalg.matrix_rank(A) < n)


@settings(max_examples=30)
@given(seed=seeds, n=sizes)
def test_is_singular_agrees_with_matrix_rank(seed, n):
    A = np.random.default_rng(seed).integers(-2, 3, size=(n, n)).astype(float)
    assert is_singular(A) == (np.linalg.matrix_rank(A) < n)


# --- bad input ----------------------------------------------------------------------

ALL_SQUARE = [lambda A: solve(A, np.ones(len(A))), inverse, determinant, is_singular]


@pytest.mark.parametrize("f", ALL_SQUARE)
def test_non_square(f):
    with pytest.raises(ValueError, match="A must be square"):
        f(np.ones((2, 3)))


@pytest.mark.parametrize("f", ALL_SQUARE + [row_echelon, rank])
def test_nan(f):
    A = np.eye(2)
    A[1, 0] = np.nan
    with pytest.raises(ValueError, match="A must be finite"):
        f(A)


@pytest.mark.parametrize("f", ALL_SQUARE + [row_echelon, rank])
def test_empty(f):
    with pytest.raises(ValueError, match="A must not be empty"):
        f(np.zeros((0, 0)))


@pytest.mark.parametrize("f", ALL_SQUARE + [row_echelon, rank])
def test_not_2d(f):
    with pytest.raises(ValueError, match="A must have 2 dimension"):
        f(np.ones(3))


def test_solve_bad_b():
    with pytest.raises(ValueError, match="A and b must have the same length"):
        solve(np.eye(3), np.ones(2))
    with pytest.raises(ValueError, match="b must be finite"):
        solve(np.eye(2), [1.0, np.inf])
    with pytest.raises(ValueError, match="b must have 1 or 2 dimension"):
        solve(np.eye(2), np.ones((2, 1, 1)))
    with pytest.raises(ValueError, match="b must be an array of numbers"):
        solve(np.eye(2), ["a", "b"])


def test_back_substitution_bad_input():
    with pytest.raises(ValueError, match="U must be square"):
        back_substitution(np.ones((2, 3)), np.ones(2))
    with pytest.raises(ValueError, match="U and y must have the same length"):
        back_substitution(np.eye(2), np.ones(3))
    with pytest.raises(ValueError, match="U must be finite"):
        back_substitution([[np.nan]], [1.0])


@pytest.mark.parametrize("f", [row_echelon, rank, is_singular, inverse,
                               lambda A, tol: solve(A, np.ones(2), tol=tol)])
def test_negative_tol(f):
    with pytest.raises(ValueError, match="tol must be >= 0"):
        f(np.eye(2), tol=-1.0)


# --- one tolerance rule for determinant and is_singular -----------------------------

NEARLY_SINGULAR = [
    np.array([[1.0, 1.0], [1.0, 1.0 + 1e-14]]),
    np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 9.0]]),   # det is 6.7e-16 in numpy
    np.array([[1e-13, 0.0], [0.0, 1.0]]),
]


@pytest.mark.parametrize("A", NEARLY_SINGULAR)
def test_determinant_is_exactly_zero_when_is_singular(A):
    assert is_singular(A)
    assert determinant(A) == 0.0
    # tol=0 keeps the tiny pivot, as numpy does.
    assert not is_singular(A, tol=0.0)
    assert determinant(A, tol=0.0) == pytest.approx(np.linalg.det(A), abs=1e-12)
    assert determinant(A, tol=0.0) != 0.0


@settings(max_examples=60)
@given(seed=seeds, n=sizes, tol=st.sampled_from([0.0, 1e-12, 1e-6, 0.1]))
def test_determinant_zero_iff_is_singular(seed, n, tol):
    rng = np.random.default_rng(seed)
    A = rng.integers(-2, 3, size=(n, n)).astype(float)
    if n > 1 and rng.random() < 0.5:
        A[-1] = A[0] + A[1] * rng.normal()    # often singular up to rounding
    assert (determinant(A, tol=tol) == 0.0) == is_singular(A, tol=tol)


@pytest.mark.parametrize("tol", [0.0, 1e-12, 1e-6])
def test_determinant_and_is_singular_share_the_threshold(tol):
    # A pivot just above and just below tol * max|A|.
    for pivot, singular in [(2 * tol + 1e-300, False), (tol, True)]:
        A = np.diag([1.0, pivot])
        assert is_singular(A, tol=tol) is singular
        assert (determinant(A, tol=tol) == 0.0) is singular


def test_inverse_shares_the_elimination_loop(monkeypatch):
    from mmlbook.linalg import elimination

    calls = []
    original = elimination._eliminate

    def spy(*args, **kwargs):
        calls.append(args[1])
        return original(*args, **kwargs)

    monkeypatch.setattr(elimination, "_eliminate", spy)
    np.testing.assert_allclose(elimination.inverse(SHOPPING), np.linalg.inv(SHOPPING), atol=1e-12)
    assert calls == [3]
