"""Tests of mmlbook.linalg.gram_schmidt: gram_schmidt and dimensions."""

import numpy as np
import pytest
import scipy.linalg
from hypothesis import assume, given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from mmlbook.linalg import dimensions, gram_schmidt


def integer_matrices(max_rows=5, max_cols=5):
    """Small integer matrices: exact data, so dependent columns are exactly dependent."""
    shapes = st.tuples(st.integers(1, max_rows), st.integers(1, max_cols))
    return shapes.flatmap(lambda s: arrays(float, s, elements=st.integers(-4, 4)))


def nonzero_columns(E):
    return E[:, np.linalg.norm(E, axis=0) > 0]


def test_worked_example_3x3():
    A = np.array([[1.0, 1.0, 0.0], [1.0, 0.0, 1.0], [0.0, 1.0, 1.0]])
    E = gram_schmidt(A)
    expected = np.column_stack([
        np.array([1, 1, 0]) / np.sqrt(2),
        np.array([1, -1, 2]) / np.sqrt(6),
        np.array([-1, 1, 1]) / np.sqrt(3),
    ])
    assert np.allclose(E, expected)


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("shape", [(3, 3), (6, 4), (5, 1), (8, 8)])
def test_matches_qr_up_to_sign(seed, shape):
    A = np.random.default_rng(seed).normal(size=shape)
    E = gram_schmidt(A)
    Q, R = scipy.linalg.qr(A, mode="economic")
    signs = np.sign(np.diag(R))
    assert np.allclose(E, Q * signs)
    assert np.allclose(E, np.linalg.qr(A)[0] * np.sign(np.diag(np.linalg.qr(A)[1])))


def test_dependent_columns_become_zero():
    A = np.array([[1.0, 2.0, 0.0, 1.0], [0.0, 0.0, 1.0, 1.0], [0.0, 0.0, 0.0, 0.0]])
    E = gram_schmidt(A)
    assert np.allclose(E[:, 1], 0) and np.allclose(E[:, 3], 0)
    assert np.allclose(E[:, [0, 2]], [[1, 0], [0, 1], [0, 0]])
    assert dimensions(A) == 2


def test_zero_column_and_input_left_alone():
    A = np.array([[0.0, 3.0], [0.0, 4.0]])
    before = A.copy()
    E = gram_schmidt(A)
    assert np.array_equal(E[:, 0], [0, 0])
    assert np.allclose(E[:, 1], [0.6, 0.8])
    assert np.array_equal(A, before)


def test_1x1_and_empty():
    assert np.array_equal(gram_schmidt([[-3.0]]), [[-1.0]])
    assert np.array_equal(gram_schmidt([[0.0]]), [[0.0]])
    assert dimensions([[-3.0]]) == 1
    for shape in [(0, 0), (3, 0), (0, 2)]:
        E = gram_schmidt(np.zeros(shape))
        assert E.shape == shape
        assert dimensions(np.zeros(shape)) == 0


def test_more_columns_than_rows():
    A = np.random.default_rng(1).normal(size=(3, 7))
    E = gram_schmidt(A)
    assert dimensions(A) == 3
    assert np.allclose(E[:, 3:], 0)


def test_tolerance_rule():
    # The third column is the sum of the first two plus a perturbation of relative size ~1e-8.
    A = np.array([[1.0, 0.0, 1.0], [0.0, 1.0, 1.0], [0.0, 0.0, 1e-8]])
    assert dimensions(A) == 3
    assert dimensions(A, tol=1e-6) == 2
    assert dimensions(A, tol=0.0) == 3


@given(integer_matrices())
def test_orthonormal_and_same_span(A):
    E = gram_schmidt(A)
    assert E.shape == A.shape
    Q = nonzero_columns(E)
    assert np.allclose(Q.T @ Q, np.eye(Q.shape[1]), atol=1e-9)
    # Projecting A onto the span of the output reproduces A.
    assert np.allclose(Q @ (Q.T @ A), A, atol=1e-9)
    assert dimensions(A) == np.linalg.matrix_rank(A)


@given(integer_matrices())
def test_each_prefix_spans_the_same_space(A):
    E = gram_schmidt(A)
    for i in range(A.shape[1]):
        Q = nonzero_columns(E[:, : i + 1])
        assert np.allclose(Q @ (Q.T @ A[:, : i + 1]), A[:, : i + 1], atol=1e-9)
        zero = np.linalg.norm(E[:, i]) == 0
        dependent = np.linalg.matrix_rank(A[:, : i + 1]) == np.linalg.matrix_rank(A[:, :i]) if i else not A[:, 0].any()
        assert zero == dependent


@given(arrays(float, st.tuples(st.integers(1, 6), st.integers(1, 6)),
              elements=st.floats(-10, 10, allow_nan=False, allow_subnormal=False)))
def test_orthonormal_for_well_conditioned_floats(A):
    assume(np.linalg.matrix_rank(A) == min(A.shape))
    assume(np.linalg.cond(A) < 1e6)
    E = gram_schmidt(A)
    Q = nonzero_columns(E)
    assert Q.shape[1] == min(A.shape)
    assert np.allclose(Q.T @ Q, np.eye(Q.shape[1]), atol=1e-8)


@given(integer_matrices(), st.floats(0.1, 10))
def test_scaling_and_dimension_invariance(A, c):
    assert np.allclose(gram_schmidt(c * A), gram_schmidt(A))
    assert dimensions(A[:, ::-1]) == dimensions(A)


@pytest.mark.parametrize("bad, match", [
    ([1.0, 2.0], "A must have 2 dimension"),
    (np.zeros((2, 2, 2)), "A must have 2 dimension"),
    ([[1.0, np.nan]], "A must be finite"),
    ([[np.inf]], "A must be finite"),
    ([["a"]], "A must be an array of numbers"),
])
def test_bad_input(bad, match):
    with pytest.raises(ValueError, match=match):
        gram_schmidt(bad)
    with pytest.raises(ValueError, match=match):
        dimensions(bad)


@pytest.mark.parametrize("tol", [-1.0, np.nan, "small", None])
def test_bad_tol(tol):
    with pytest.raises(ValueError, match="tol"):
        gram_schmidt(np.eye(2), tol=tol)


def test_columns_of_very_different_lengths():
    # E depends on the directions of the columns only: a column of length 1e-200 still counts.
    A = np.array([[1.0, 1e-200], [0.0, 1e-200]])
    np.testing.assert_allclose(gram_schmidt(A), np.eye(2), atol=1e-15)
    assert dimensions(A) == 2
