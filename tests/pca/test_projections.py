"""Tests for mmlbook.pca.projections: properties of projections, least squares, bad input."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from mmlbook.exceptions import SingularMatrixError
from mmlbook.pca import project, projection_coordinates, projection_matrix

SETTINGS = settings(max_examples=40, deadline=None)


@st.composite
def bases(draw, max_dim=6):
    """A random D x M basis with well-conditioned columns, M <= D."""
    D = draw(st.integers(1, max_dim))
    M = draw(st.integers(1, D))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    B = rng.normal(size=(D, M))
    if np.linalg.cond(B) > 1e6:  # pragma: no cover - practically never with Gaussian entries
        B = np.eye(D)[:, :M]
    return B


def random_basis(D, M, seed=0):
    return np.random.default_rng(seed).normal(size=(D, M))


# --- the projection matrix -------------------------------------------------------------------


@SETTINGS
@given(bases())
def test_projection_matrix_is_idempotent_symmetric_of_rank_m(B):
    P = projection_matrix(B)
    D, M = B.shape
    assert P.shape == (D, D)
    assert np.allclose(P @ P, P, atol=1e-8)
    assert np.allclose(P.T, P, atol=1e-8)
    assert np.linalg.matrix_rank(P, tol=1e-8) == M
    assert np.isclose(np.trace(P), M)


@SETTINGS
@given(bases())
def test_projection_matrix_fixes_the_subspace(B):
    P = projection_matrix(B)
    assert np.allclose(P @ B, B, atol=1e-8)


def test_projection_matrix_of_orthonormal_basis_is_b_bt():
    Q, _ = np.linalg.qr(random_basis(5, 2))
    assert np.allclose(projection_matrix(Q), Q @ Q.T)


def test_projection_matrix_of_full_basis_is_identity():
    assert np.allclose(projection_matrix(random_basis(4, 4)), np.eye(4))


def test_projection_matrix_does_not_depend_on_the_choice_of_basis():
    B = random_basis(5, 3)
    C = B @ np.random.default_rng(1).normal(size=(3, 3))  # same column space
    assert np.allclose(projection_matrix(B), projection_matrix(C))


def test_line_formula():
    b = np.array([1.0, 2.0, 2.0])
    assert np.allclose(projection_matrix(b), np.outer(b, b) / 9.0)
    assert np.allclose(projection_matrix(b), projection_matrix(b[:, None]))
    assert np.allclose(projection_matrix(b), projection_matrix(-3 * b))


# --- projecting points ------------------------------------------------------------------------


@SETTINGS
@given(bases(), st.integers(0, 2**32 - 1))
def test_residual_is_orthogonal_to_the_subspace(B, seed):
    x = np.random.default_rng(seed).normal(size=B.shape[0])
    p = project(x, B)
    assert np.allclose(B.T @ (x - p), 0, atol=1e-8)
    assert np.allclose(p, projection_matrix(B) @ x, atol=1e-8)
    assert np.allclose(project(p, B), p, atol=1e-8)


@SETTINGS
@given(bases(), st.integers(0, 2**32 - 1))
def test_projection_is_the_closest_point(B, seed):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=B.shape[0])
    p = project(x, B)
    other = B @ rng.normal(size=B.shape[1])
    assert np.linalg.norm(x - p) <= np.linalg.norm(x - other) + 1e-9


def test_project_a_data_matrix_row_by_row():
    B = random_basis(6, 2)
    X = np.random.default_rng(2).normal(size=(10, 6))
    P = projection_matrix(B)
    assert np.allclose(project(X, B), X @ P.T)
    assert np.allclose(project(X, B), np.array([project(x, B) for x in X]))


def test_project_onto_a_line():
    b = np.array([2.0, 1.0])
    x = np.array([1.0, 3.0])
    expected = (b @ x) / (b @ b) * b
    assert np.allclose(project(x, b), expected)
    assert np.isclose(projection_coordinates(x, b), 1.0)
    assert isinstance(projection_coordinates(x, b), float)
    X = np.array([x, 2 * x, -x])
    assert np.allclose(projection_coordinates(X, b), [1.0, 2.0, -1.0])
    assert np.allclose(project(X, b), np.outer([1.0, 2.0, -1.0], b))


@given(arrays(float, 3, elements=st.floats(-10, 10)), arrays(float, 3, elements=st.floats(-10, 10)))
@SETTINGS
def test_line_projection_has_length_of_scalar_projection(x, b):
    if np.linalg.norm(b) < 1e-3:
        b = np.array([1.0, 0.0, 0.0])
    p = project(x, b)
    assert np.isclose(np.linalg.norm(p), abs(x @ b) / np.linalg.norm(b), atol=1e-9)


# --- least squares --------------------------------------------------------------------------


@SETTINGS
@given(bases(max_dim=8), st.integers(0, 2**32 - 1))
def test_coordinates_agree_with_lstsq(B, seed):
    y = np.random.default_rng(seed).normal(size=B.shape[0])
    lam_ref, *_ = np.linalg.lstsq(B, y, rcond=None)
    assert np.allclose(projection_coordinates(y, B), lam_ref, atol=1e-7)


def test_fitting_a_line_is_a_projection():
    rng = np.random.default_rng(3)
    t = np.linspace(0, 1, 20)
    y = 2.0 + 3.0 * t + 0.1 * rng.normal(size=t.size)
    A = np.column_stack([np.ones_like(t), t])
    coef = projection_coordinates(y, A)
    assert np.allclose(coef, np.polynomial.polynomial.polyfit(t, y, 1))
    assert np.allclose(project(y, A), A @ coef)


def test_coordinates_of_a_data_matrix():
    B = random_basis(5, 3)
    X = np.random.default_rng(4).normal(size=(7, 5))
    lam = projection_coordinates(X, B)
    assert lam.shape == (7, 3)
    assert np.allclose(lam @ B.T, project(X, B))


# --- bad input --------------------------------------------------------------------------------


def test_zero_vector_raises():
    with pytest.raises(ValueError, match="B must not be the zero vector"):
        projection_matrix([0.0, 0.0])
    with pytest.raises(ValueError, match="B must not be the zero vector"):
        project([1.0, 2.0], [0.0, 0.0])


@pytest.mark.parametrize("B", [
    np.array([[1.0, 2.0], [2.0, 4.0], [3.0, 6.0]]),  # parallel columns
    np.array([[1.0, 0.0], [0.0, 0.0]]),  # a zero column
    np.ones((2, 3)),  # more columns than dimensions
])
def test_dependent_columns_raise_singular(B):
    for f in (projection_matrix, lambda B: project(np.ones(B.shape[0]), B),
              lambda B: projection_coordinates(np.ones(B.shape[0]), B)):
        with pytest.raises(SingularMatrixError, match="B must have linearly independent columns"):
            f(B)
    assert issubclass(SingularMatrixError, np.linalg.LinAlgError)


@pytest.mark.parametrize("B, message", [
    (np.ones((2, 2, 2)), "B must have 1 or 2 dimension"),
    ([1.0, np.nan], "B must be finite"),
    ([[1.0], [np.inf]], "B must be finite"),
    ([], "B must not be empty"),
    ("abc", "B must be an array of numbers"),
])
def test_bad_basis_raises(B, message):
    with pytest.raises(ValueError, match=message):
        projection_matrix(B)


@pytest.mark.parametrize("x, message", [
    ([1.0, 2.0], "x must have 3 entries"),
    (np.ones((4, 2)), "x must have 3 entries"),
    (np.ones((2, 2, 3)), "x must have 1 or 2 dimension"),
    ([1.0, np.nan, 0.0], "x must be finite"),
])
def test_bad_points_raise(x, message):
    B = random_basis(3, 2)
    with pytest.raises(ValueError, match=message):
        project(x, B)
    with pytest.raises(ValueError, match=message):
        projection_coordinates(x, B)


def test_inputs_are_not_modified():
    B = random_basis(4, 2)
    x = np.arange(4.0)
    B0, x0 = B.copy(), x.copy()
    project(x, B)
    projection_matrix(B)
    projection_coordinates(x, B)
    assert np.array_equal(B, B0) and np.array_equal(x, x0)
