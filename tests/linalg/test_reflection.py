"""Tests of mmlbook.linalg.reflection: reflection_matrix, apply_to_polygons, drawing."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from mmlbook.exceptions import SingularMatrixError
from mmlbook.linalg import apply_to_polygons, drawing, reflection_matrix


def bases(max_n=4):
    """Well-conditioned integer bases of size 1 to max_n."""
    return st.integers(1, max_n).flatmap(
        lambda n: arrays(float, (n, n), elements=st.integers(-5, 5))
    ).filter(lambda B: abs(np.linalg.det(B)) > 0.5)


def householder(normal):
    """The reference reflection I - 2 n n^T / n^T n in the hyperplane with normal n."""
    n = np.asarray(normal, dtype=float)
    return np.eye(n.size) - 2 * np.outer(n, n) / (n @ n)


def test_mirror_x_axis():
    assert np.allclose(reflection_matrix([[2.0, 1.0], [0.0, 3.0]]), [[1, 0], [0, -1]])


def test_mirror_diagonal_swaps_coordinates():
    assert np.allclose(reflection_matrix([[1.0, 0.0], [1.0, 1.0]]), [[0, 1], [1, 0]])


@given(bases())
def test_matches_householder(B):
    # The normal of the mirror spanned by all but the last column is the null vector of their transpose.
    n = B.shape[0]
    if n == 1:
        normal = np.ones(1)
    else:
        _, _, Vt = np.linalg.svd(B[:, :-1].T)
        normal = Vt[-1]
    assert np.allclose(reflection_matrix(B), householder(normal))


@given(bases())
def test_reflection_properties(B):
    T = reflection_matrix(B)
    n = B.shape[0]
    assert np.allclose(T.T @ T, np.eye(n))
    assert np.allclose(T @ T, np.eye(n))
    assert np.allclose(T, T.T)
    assert np.isclose(np.linalg.det(T), -1)
    # Vectors in the mirror stay where they are; the last basis vector's normal part flips.
    assert np.allclose(T @ B[:, :-1], B[:, :-1])


def test_3d_mirror_plane():
    B = np.array([[1.0, 1.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 5.0]]).T  # columns (1,0,0), (1,1,0), (0,0,5)
    assert np.allclose(reflection_matrix(B), np.diag([1, 1, -1]))


def test_1x1():
    assert np.allclose(reflection_matrix([[3.0]]), [[-1.0]])


def test_dependent_basis_names_column_from_one():
    """Columns (1, 0), (2, 0): the second depends on the first, and the message says column 2."""
    with pytest.raises(SingularMatrixError, match="but column 2 depends on the columns before it"):
        reflection_matrix([[1.0, 2.0], [0.0, 0.0]])


@pytest.mark.parametrize("basis", [
    [[1.0, 2.0], [2.0, 4.0]],
    [[0.0, 1.0], [0.0, 1.0]],
    np.ones((3, 3)),
    [[0.0]],
])
def test_dependent_basis_raises(basis):
    with pytest.raises(SingularMatrixError, match="basis must have linearly independent columns"):
        reflection_matrix(basis)
    with pytest.raises(np.linalg.LinAlgError):
        reflection_matrix(basis)


@pytest.mark.parametrize("bad, match", [
    (np.zeros((2, 3)), "basis must be square"),
    ([1.0, 2.0], "basis must have 2 dimension"),
    (np.zeros((0, 0)), "basis must not be empty"),
    ([[1.0, np.nan], [0.0, 1.0]], "basis must be finite"),
])
def test_bad_basis(bad, match):
    with pytest.raises(ValueError, match=match):
        reflection_matrix(bad)


def test_drawing():
    polygons = drawing()
    assert len(polygons) >= 5
    for P in polygons:
        assert P.ndim == 2 and P.shape[0] == 2 and P.shape[1] >= 3
        assert np.all(np.isfinite(P))
    # A fresh copy each call: editing one does not change the next.
    polygons[0][:] = 0
    assert drawing()[0].any()


def test_apply_to_polygons_matches_loop():
    T = reflection_matrix([[1.0, 1.0], [0.5, -1.0]])
    polygons = drawing()
    out = apply_to_polygons(T, polygons)
    assert len(out) == len(polygons)
    for P, Q in zip(polygons, out):
        assert np.allclose(Q, np.column_stack([T @ p for p in P.T]))
    # Reflecting twice gives the drawing back.
    back = apply_to_polygons(T, out)
    assert all(np.allclose(P, R) for P, R in zip(polygons, back))


def test_apply_to_polygons_non_square_and_empty():
    assert apply_to_polygons(np.eye(2), []) == []
    out = apply_to_polygons([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]], ([[1.0], [2.0], [3.0]],))
    assert np.allclose(out[0], [[1.0], [2.0]])


@pytest.mark.parametrize("T, polygons, match", [
    (np.eye(2), np.zeros((2, 3)), "polygons must be a list"),
    (np.eye(2), 3, "polygons must be a list"),
    (np.eye(2), [np.zeros((3, 4))], r"polygons\[0\] must have 2 rows"),
    (np.eye(2), [np.ones((2, 3)), [1.0, 2.0]], r"polygons\[1\] must have 2 dimension"),
    (np.eye(2), [[[np.nan], [1.0]]], r"polygons\[0\] must be finite"),
    ([1.0, 2.0], [np.ones((2, 3))], "T must have 2 dimension"),
])
def test_apply_to_polygons_bad_input(T, polygons, match):
    with pytest.raises(ValueError, match=match):
        apply_to_polygons(T, polygons)


# --- householder_qr --------------------------------------------------------------------

import scipy.linalg  # noqa: E402
from hypothesis import settings  # noqa: E402

from mmlbook.linalg import gram_schmidt, householder_qr  # noqa: E402


def positive_diagonal(Q, R):
    """The factorisation with a non-negative diagonal of R: unique for full column rank."""
    s = np.where(np.diag(R) < 0, -1.0, 1.0)
    return Q * s, R * s[:, None]


shapes = st.tuples(st.integers(1, 7), st.integers(1, 7))


@settings(max_examples=60)
@given(shape=shapes, seed=st.integers(0, 2**32 - 1))
def test_householder_qr_against_numpy_and_scipy(shape, seed):
    A = np.random.default_rng(seed).normal(size=shape)
    Q, R = householder_qr(A)
    Qn, Rn = np.linalg.qr(A)
    Qs, Rs = scipy.linalg.qr(A, mode="economic")
    assert Q.shape == Qn.shape and R.shape == Rn.shape
    for Q_ref, R_ref in [(Qn, Rn), (Qs, Rs)]:
        ours, theirs = positive_diagonal(Q, R), positive_diagonal(Q_ref, R_ref)
        np.testing.assert_allclose(ours[1], theirs[1], atol=1e-10)
        k = min(shape)
        if np.linalg.matrix_rank(A) == k:       # Q is unique only for full rank
            np.testing.assert_allclose(ours[0], theirs[0], atol=1e-10)


@settings(max_examples=60)
@given(A=st.tuples(st.integers(1, 6), st.integers(1, 6)).flatmap(
    lambda s: arrays(float, s, elements=st.integers(-4, 4))))
def test_householder_qr_properties(A):
    # Integer matrices are often rank deficient, with zero columns: the properties still hold.
    Q, R = householder_qr(A)
    m, n = A.shape
    k = min(m, n)
    assert Q.shape == (m, k) and R.shape == (k, n)
    np.testing.assert_allclose(Q.T @ Q, np.eye(k), atol=1e-12)
    assert np.all(np.tril(R, -1) == 0)
    np.testing.assert_allclose(Q @ R, A, atol=1e-10)


def test_householder_qr_matches_lapack_signs():
    A = np.array([[3.0, 1.0], [4.0, 2.0]])
    Q, R = householder_qr(A)
    Qn, Rn = np.linalg.qr(A)
    np.testing.assert_allclose(Q, Qn, atol=1e-14)
    np.testing.assert_allclose(R, Rn, atol=1e-14)


def test_householder_qr_stays_orthogonal_where_gram_schmidt_does_not():
    H = scipy.linalg.hilbert(10)
    Q, _ = householder_qr(H)
    E = gram_schmidt(H)
    householder_loss = np.abs(Q.T @ Q - np.eye(10)).max()
    gram_schmidt_loss = np.abs(E.T @ E - np.eye(10)).max()
    assert householder_loss < 1e-14
    assert gram_schmidt_loss > 1e6 * householder_loss


def test_householder_qr_leaves_A_alone():
    A = np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    before = A.copy()
    householder_qr(A)
    np.testing.assert_array_equal(A, before)


@pytest.mark.parametrize("bad, match", [
    (np.ones(3), "A must have 2 dimension"),
    ([[1.0, np.nan]], "A must be finite"),
    (np.zeros((0, 2)), "A must not be empty"),
])
def test_householder_qr_bad_input(bad, match):
    with pytest.raises(ValueError, match=match):
        householder_qr(bad)
