"""Tests of mmlbook.linalg.change_of_basis: transform_in_basis, is_orthogonal, matmul_einsum."""

import numpy as np
import pytest
import scipy.stats
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from mmlbook.exceptions import SingularMatrixError
from mmlbook.linalg import change_basis, is_orthogonal, matmul_einsum, transform_in_basis


def invertible(n_max=4):
    return st.integers(1, n_max).flatmap(
        lambda n: arrays(float, (n, n), elements=st.integers(-5, 5))
    ).filter(lambda B: abs(np.linalg.det(B)) > 0.5)


def rotation(theta):
    return np.array([[np.cos(theta), -np.sin(theta)], [np.sin(theta), np.cos(theta)]])


def test_rotation_in_skewed_basis_by_hand():
    B = np.array([[3.0, 1.0], [1.0, 1.0]])
    R = rotation(np.pi / 4)
    expected = np.linalg.inv(B) @ R @ B
    by_hand = np.array([[-1.0, -1.0], [5.0, 3.0]]) / np.sqrt(2)  # worked out in the chapter
    assert np.allclose(transform_in_basis(R, B), expected)
    assert np.allclose(transform_in_basis(R, B), by_hand)


@given(invertible(), st.integers(0, 10**6))
def test_against_inverse_and_round_trip(B, seed):
    n = B.shape[0]
    T = np.random.default_rng(seed).normal(size=(n, n))
    T_B = transform_in_basis(T, B)
    assert np.allclose(T_B, np.linalg.inv(B) @ T @ B)
    assert np.allclose(B @ T_B @ np.linalg.inv(B), T)
    # Applying T_B to coordinates agrees with applying T to the vector.
    x = np.arange(1.0, n + 1)
    assert np.allclose(T_B @ change_basis(x, B), change_basis(T @ x, B))
    # Similar matrices share trace, determinant and eigenvalues.
    assert np.isclose(np.trace(T_B), np.trace(T))
    assert np.isclose(np.linalg.det(T_B), np.linalg.det(T))


@given(invertible())
def test_change_basis_reconstructs(B):
    x = np.linspace(-1, 2, B.shape[0])
    c = change_basis(x, B)
    assert np.allclose(B @ c, x)
    assert np.allclose(c, np.linalg.solve(B, x))


def test_identity_basis_changes_nothing():
    T = np.array([[1.0, 2.0], [3.0, 4.0]])
    assert np.allclose(transform_in_basis(T, np.eye(2)), T)
    assert np.allclose(change_basis([5.0, 6.0], np.eye(2)), [5.0, 6.0])


@pytest.mark.parametrize("B", [[[1.0, 2.0], [2.0, 4.0]], np.zeros((3, 3))])
def test_dependent_basis(B):
    n = len(B)
    with pytest.raises(SingularMatrixError, match="B must have linearly independent columns"):
        transform_in_basis(np.eye(n), B)
    with pytest.raises(SingularMatrixError, match="its columns are linearly dependent"):
        change_basis(np.ones(n), B)


@pytest.mark.parametrize("T, B, match", [
    (np.eye(2), np.eye(3), "T and B must have the same shape"),
    (np.ones((2, 3)), np.eye(2), "T must be square"),
    (np.eye(2), np.ones((2, 3)), "B must be square"),
    ([[np.nan, 0], [0, 1]], np.eye(2), "T must be finite"),
    (np.eye(2), [1.0, 2.0], "B must have 2 dimension"),
    (np.zeros((0, 0)), np.zeros((0, 0)), "T must not be empty"),
])
def test_transform_in_basis_bad_input(T, B, match):
    with pytest.raises(ValueError, match=match):
        transform_in_basis(T, B)


@pytest.mark.parametrize("x, B, match", [
    ([1.0, 2.0, 3.0], np.eye(2), "v must have length 2"),
    ([[1.0, 2.0]], np.eye(2), "v must have 1 dimension"),
    ([1.0, np.inf], np.eye(2), "v must be finite"),
    ([1.0], np.ones((1, 2)), "basis must be square"),
])
def test_change_basis_bad_input(x, B, match):
    with pytest.raises(ValueError, match=match):
        change_basis(x, B)


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("n", [1, 2, 3, 6])
def test_random_orthogonal_matrices(seed, n):
    Q = scipy.stats.ortho_group.rvs(n, random_state=seed) if n > 1 else np.array([[-1.0]])
    assert is_orthogonal(Q)
    assert np.allclose(np.linalg.inv(Q), Q.T)
    x = np.random.default_rng(seed).normal(size=n)
    assert np.isclose(np.linalg.norm(Q @ x), np.linalg.norm(x))


@pytest.mark.parametrize("A, expected", [
    (rotation(0.3), True),
    (np.diag([1.0, -1.0, 1.0]), True),
    (np.eye(3)[:, [2, 0, 1]], True),
    (2 * np.eye(2), False),
    ([[1.0, 1.0], [0.0, 1.0]], False),
    (np.eye(3)[:, :2], False),       # orthonormal columns, but not square
    (np.zeros((0, 0)), True),
])
def test_is_orthogonal_examples(A, expected):
    assert is_orthogonal(A) is expected


def test_is_orthogonal_tolerance():
    A = rotation(0.3) + 1e-6
    assert not is_orthogonal(A)
    assert is_orthogonal(A, tol=1e-4)


@pytest.mark.parametrize("A, tol, match", [
    ([1.0, 0.0], 1e-10, "A must have 2 dimension"),
    ([[np.nan]], 1e-10, "A must be finite"),
    (np.eye(2), -1.0, "tol must be >= 0"),
    (np.eye(2), "big", "tol must be a real number"),
])
def test_is_orthogonal_bad_input(A, tol, match):
    with pytest.raises(ValueError, match=match):
        is_orthogonal(A, tol)


shapes = st.tuples(st.integers(0, 4), st.integers(0, 4), st.integers(0, 4))


@given(shapes.flatmap(lambda s: st.tuples(
    arrays(float, (s[0], s[1]), elements=st.floats(-100, 100)),
    arrays(float, (s[1], s[2]), elements=st.floats(-100, 100)))))
def test_matmul_einsum_against_numpy(AB):
    A, B = AB
    C = matmul_einsum(A, B)
    assert C.shape == (A.shape[0], B.shape[1])
    assert np.allclose(C, np.einsum("ij,jk->ik", A, B))
    assert np.allclose(C, A @ B)


def test_matmul_einsum_dot_product_and_non_square():
    u, v = np.array([1.0, 2.0, 3.0]), np.array([4.0, -5.0, 6.0])
    assert np.isclose(matmul_einsum(u[None, :], v[:, None])[0, 0], np.einsum("i,i->", u, v))
    P = np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]])
    X = np.arange(12.0).reshape(3, 4)
    assert np.allclose(matmul_einsum(P, X), X[:2])


@pytest.mark.parametrize("A, B, match", [
    (np.ones((2, 3)), np.ones((2, 3)), "A must have as many columns as B has rows"),
    ([1.0, 2.0], np.ones((2, 1)), "A must have 2 dimension"),
    (np.ones((2, 2)), [[np.nan, 1.0], [1.0, 1.0]], "B must be finite"),
])
def test_matmul_einsum_bad_input(A, B, match):
    with pytest.raises(ValueError, match=match):
        matmul_einsum(A, B)
