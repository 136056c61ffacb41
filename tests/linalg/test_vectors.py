"""Tests for mmlbook.linalg.vectors, against numpy and by the properties of projections."""

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from mmlbook.exceptions import SingularMatrixError
from mmlbook.linalg.vectors import (angle_between, change_basis, is_linearly_independent,
                                    is_orthogonal_basis, modulus, scalar_projection, vector_projection)

floats = st.floats(min_value=-100, max_value=100, allow_nan=False, allow_infinity=False)
vec3 = arrays(float, 3, elements=floats)
seeds = st.integers(min_value=0, max_value=2**32 - 1)


def test_modulus_hand_made():
    assert modulus([3.0, 4.0]) == 5.0
    assert modulus([-2.0]) == 2.0
    assert modulus([0.0, 0.0]) == 0.0


@given(vec3)
def test_modulus_matches_numpy(r):
    assert modulus(r) == pytest.approx(np.linalg.norm(r))


def test_projections_hand_made():
    r, s = np.array([2.0, 0.0]), np.array([3.0, 4.0])
    assert scalar_projection(r, s) == 3.0
    np.testing.assert_allclose(vector_projection(r, s), [3.0, 0.0])
    # Scalar projection is not symmetric: s onto r differs from r onto s.
    assert scalar_projection(s, r) == pytest.approx(6.0 / 5.0)


@given(vec3, vec3)
def test_vector_projection_properties(r, s):
    assume(np.linalg.norm(r) > 1e-3)
    p = vector_projection(r, s)
    # What is left over is orthogonal to r.
    assert abs((s - p) @ r) <= 1e-8 * (1 + np.linalg.norm(r) * np.linalg.norm(s))
    # Projecting twice changes nothing.
    np.testing.assert_allclose(vector_projection(r, p), p, atol=1e-8 * (1 + np.linalg.norm(s)))
    # Its signed length is the scalar projection.
    assert np.linalg.norm(p) == pytest.approx(abs(scalar_projection(r, s)), abs=1e-9 * (1 + np.linalg.norm(s)))
    # Agrees with the projection matrix r r^T / r^T r.
    P = np.outer(r, r) / (r @ r)
    np.testing.assert_allclose(p, P @ s, atol=1e-8 * (1 + np.linalg.norm(s)))


def test_angle_hand_made():
    assert angle_between([1.0, 0.0], [0.0, 3.0]) == pytest.approx(np.pi / 2)
    assert angle_between([1.0, 1.0], [2.0, 2.0]) == pytest.approx(0.0, abs=1e-7)
    assert angle_between([1.0, 0.0], [-5.0, 0.0]) == pytest.approx(np.pi)
    assert angle_between([1.0, 0.0], [1.0, 1.0]) == pytest.approx(np.pi / 4)


@given(vec3, vec3)
def test_angle_cosine_rule(r, s):
    assume(np.linalg.norm(r) > 1e-2 and np.linalg.norm(s) > 1e-2)
    theta = angle_between(r, s)
    assert 0.0 <= theta <= np.pi
    assert angle_between(s, r) == theta
    # |r - s|^2 = |r|^2 + |s|^2 - 2 |r||s| cos(theta)
    lhs = np.sum((r - s) ** 2)
    rhs = r @ r + s @ s - 2 * np.linalg.norm(r) * np.linalg.norm(s) * np.cos(theta)
    assert lhs == pytest.approx(rhs, abs=1e-8 * (1 + r @ r + s @ s))


def test_change_basis_orthogonal():
    B = np.array([[2.0, -2.0], [1.0, 4.0]])  # columns (2, 1) and (-2, 4) are orthogonal
    assert is_orthogonal_basis(B)
    v = np.array([3.0, 4.0])
    c = change_basis(v, B)
    np.testing.assert_allclose(c, np.linalg.solve(B, v))
    np.testing.assert_allclose(B @ c, v)


def test_change_basis_non_orthogonal_uses_solve():
    B = np.array([[1.0, 1.0], [0.0, 1.0]])
    assert not is_orthogonal_basis(B)
    np.testing.assert_allclose(change_basis([3.0, 2.0], B), [1.0, 2.0])


def test_change_basis_1x1():
    np.testing.assert_allclose(change_basis([6.0], [[3.0]]), [2.0])


@settings(max_examples=40)
@given(seeds, st.integers(min_value=1, max_value=5))
def test_change_basis_random(seed, n):
    rng = np.random.default_rng(seed)
    B = rng.normal(size=(n, n)) + 3 * n * np.eye(n)
    v = rng.normal(size=n)
    np.testing.assert_allclose(change_basis(v, B), np.linalg.solve(B, v), atol=1e-10)
    Q, _ = np.linalg.qr(B)
    Q = Q * rng.uniform(0.5, 2.0, size=n)  # orthogonal but not unit columns
    assert is_orthogonal_basis(Q)
    np.testing.assert_allclose(Q @ change_basis(v, Q), v, atol=1e-10)


@pytest.mark.parametrize("B", [[[1.0, 2.0], [2.0, 4.0]], [[1.0, 0.0], [0.0, 0.0]], np.zeros((2, 2))])
def test_change_basis_not_a_basis(B):
    with pytest.raises(SingularMatrixError, match="basis is not a basis: its columns are linearly dependent") as err:
        change_basis([1.0, 1.0], B)
    assert "pivot" not in str(err.value)  # the chapter that shows this message has not met pivots yet


def test_change_basis_bad_input():
    with pytest.raises(ValueError, match="basis must be square"):
        change_basis([1.0, 1.0, 1.0], np.ones((3, 2)))
    with pytest.raises(ValueError, match="v must have length 2"):
        change_basis([1.0, 1.0, 1.0], np.eye(2))
    with pytest.raises(ValueError, match="v must be finite"):
        change_basis([1.0, np.nan], np.eye(2))
    with pytest.raises(ValueError, match="basis must be finite"):
        change_basis([1.0, 1.0], [[1.0, np.inf], [0.0, 1.0]])
    with pytest.raises(ValueError, match="basis must not be empty"):
        change_basis([], np.zeros((0, 0)))


def test_is_linearly_independent_hand_made():
    assert is_linearly_independent(np.eye(3))
    assert not is_linearly_independent([[1.0, 2.0], [2.0, 4.0]])
    # Three vectors in the plane are always dependent.
    assert not is_linearly_independent([[1.0, 0.0, 1.0], [0.0, 1.0, 1.0]])
    # Two independent vectors in 3-D.
    assert is_linearly_independent([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    assert not is_linearly_independent([[0.0], [0.0]])
    assert is_linearly_independent([[5.0]])


@settings(max_examples=40)
@given(seeds, st.integers(min_value=1, max_value=5), st.integers(min_value=1, max_value=5))
def test_is_linearly_independent_matches_rank(seed, n, m):
    A = np.random.default_rng(seed).integers(-2, 3, size=(n, m)).astype(float)
    assert is_linearly_independent(A) == (np.linalg.matrix_rank(A) == m)


@settings(max_examples=30)
@given(seeds, st.integers(min_value=3, max_value=6))
def test_dependent_column_detected(seed, n):
    rng = np.random.default_rng(seed)
    A = rng.normal(size=(n, n))
    A[:, 1] = 0.5 * A[:, 0] - 3.0 * A[:, -1]
    assert not is_linearly_independent(A)


@pytest.mark.parametrize("f", [scalar_projection, vector_projection, angle_between])
def test_zero_direction(f):
    with pytest.raises(ValueError, match="r must not be the zero vector"):
        f([0.0, 0.0], [1.0, 2.0])


def test_angle_zero_second():
    with pytest.raises(ValueError, match="s must not be the zero vector"):
        angle_between([1.0, 0.0], [0.0, 0.0])


@pytest.mark.parametrize("f", [scalar_projection, vector_projection, angle_between])
def test_pair_bad_input(f):
    with pytest.raises(ValueError, match="s must have length 2"):
        f([1.0, 0.0], [1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="r must be finite"):
        f([np.nan, 0.0], [1.0, 2.0])
    with pytest.raises(ValueError, match="s must have 1 dimension"):
        f([1.0, 0.0], [[1.0, 2.0]])


def test_modulus_bad_input():
    with pytest.raises(ValueError, match="r must not be empty"):
        modulus([])
    with pytest.raises(ValueError, match="r must have 1 dimension"):
        modulus(np.eye(2))
    with pytest.raises(ValueError, match="r must be finite"):
        modulus([np.inf])


def test_is_linearly_independent_bad_input():
    with pytest.raises(ValueError, match="vectors must have 2 dimension"):
        is_linearly_independent([1.0, 2.0])
    with pytest.raises(ValueError, match="vectors must be finite"):
        is_linearly_independent([[np.nan]])
    with pytest.raises(ValueError, match="vectors must not be empty"):
        is_linearly_independent(np.zeros((2, 0)))


def test_is_orthogonal_basis_bad_input():
    assert not is_orthogonal_basis([[1.0, 0.0], [0.0, 0.0]])  # a zero column
    with pytest.raises(ValueError, match="tol must be >= 0"):
        is_orthogonal_basis(np.eye(2), tol=-1.0)


def test_change_basis_with_columns_of_very_different_lengths():
    # Coordinates scale like 1 / |b_i| column by column: b_2 of length 1e-200 is a basis vector too.
    np.testing.assert_allclose(change_basis([1.0, 3.0], np.diag([1.0, 1e-200])), [1.0, 3e200])
    np.testing.assert_allclose(change_basis([2e300, 3e-300], [[1e300, 0.0], [0.0, 1e-300]]), [2.0, 3.0])
    np.testing.assert_allclose(change_basis([1.0, 1.0], [[1.0, 1e-200], [0.0, 1e-200]]), [0.0, 1e200], atol=1e-12)
    with pytest.raises(ValueError, match="basis out of range"):
        change_basis([1.0, 1e200], np.diag([1.0, 1e-200]))


@pytest.mark.parametrize("c", [2.0**-700, 2.0**700])
def test_projections_at_any_scale(c):
    r, s = np.array([3.0, 4.0]), np.array([1.0, 2.0])
    assert scalar_projection(r * c, s) == scalar_projection(r, s)
    assert scalar_projection(r, s * c) == scalar_projection(r, s) * c
    np.testing.assert_array_equal(vector_projection(r, s * c), vector_projection(r, s) * c)
    assert angle_between(r * c, s / c) == angle_between(r, s)
