"""Tests for mmlbook.pca.inner_products: explicit formulas, Cauchy-Schwarz, triangle inequality."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mmlbook.pca.inner_products import angle, distance, inner_product, is_positive_definite, length


def random_spd(rng, D):
    B = rng.normal(size=(D, D))
    return B @ B.T + D * np.eye(D) * 0.1


A2 = np.array([[2.0, 1.0], [1.0, 2.0]])


def test_dot_product_and_explicit_formula():
    rng = np.random.default_rng(0)
    x, y = rng.normal(size=5), rng.normal(size=5)
    A = random_spd(rng, 5)
    assert inner_product(x, y) == pytest.approx(np.dot(x, y))
    assert inner_product(x, y, A) == pytest.approx(sum(x[i] * A[i, j] * y[j] for i in range(5) for j in range(5)))
    assert length(x) == pytest.approx(np.linalg.norm(x))
    assert length(x, A) == pytest.approx(np.sqrt(x @ A @ x))
    assert distance(x, y) == pytest.approx(np.linalg.norm(x - y))
    assert distance(x, y, A) == pytest.approx(np.sqrt((x - y) @ A @ (x - y)))
    cos = x @ y / np.linalg.norm(x) / np.linalg.norm(y)
    assert angle(x, y) == pytest.approx(np.arccos(cos))


def test_known_values():
    assert inner_product([1.0, 0.0], [0.0, 1.0], A2) == 1.0
    assert length([1.0, 0.0], A2) == pytest.approx(np.sqrt(2))
    assert angle([1.0, 0.0], [0.0, 1.0]) == pytest.approx(np.pi / 2)
    # Orthogonal for the dot product, not for A2: cos = 1/2, angle 60 degrees.
    assert angle([1.0, 0.0], [0.0, 1.0], A2) == pytest.approx(np.pi / 3)
    assert angle([1.0, 2.0], [-2.0, -4.0]) == pytest.approx(np.pi)
    assert angle([1.0, 2.0], [3.0, 6.0]) == 0.0
    assert distance([1.0, 2.0], [1.0, 2.0], A2) == 0.0


def test_is_positive_definite():
    assert is_positive_definite(np.eye(3))
    assert is_positive_definite(A2)
    assert not is_positive_definite([[1.0, 2.0], [2.0, 1.0]])      # symmetric, eigenvalue -1
    assert not is_positive_definite([[1.0, 0.0], [0.0, 0.0]])      # semi-definite
    assert not is_positive_definite([[2.0, 1.0], [0.0, 2.0]])      # not symmetric
    assert not is_positive_definite(np.zeros((2, 2)))
    assert not is_positive_definite(-np.eye(2))
    rng = np.random.default_rng(3)
    for D in (1, 4, 10):
        assert is_positive_definite(random_spd(rng, D))


vec = st.lists(st.floats(-100, 100, allow_nan=False), min_size=3, max_size=3).map(np.array)


@settings(max_examples=50, deadline=None)
@given(vec, vec, st.integers(0, 2**32 - 1))
def test_cauchy_schwarz(x, y, seed):
    A = random_spd(np.random.default_rng(seed), 3)
    for M in (None, A):
        lhs = abs(inner_product(x, y, M))
        assert lhs <= length(x, M) * length(y, M) * (1 + 1e-9) + 1e-9


@settings(max_examples=50, deadline=None)
@given(vec, vec, vec, st.integers(0, 2**32 - 1))
def test_triangle_inequality_and_symmetry(x, y, z, seed):
    A = random_spd(np.random.default_rng(seed), 3)
    for M in (None, A):
        assert distance(x, z, M) <= distance(x, y, M) + distance(y, z, M) + 1e-7
        assert length(x + y, M) <= length(x, M) + length(y, M) + 1e-7
        assert inner_product(x, y, M) == pytest.approx(inner_product(y, x, M), rel=1e-9, abs=1e-6)
        assert distance(x, y, M) == pytest.approx(distance(y, x, M), rel=1e-9, abs=1e-9)


@settings(max_examples=40, deadline=None)
@given(vec, vec)
def test_angle_in_range_and_scale_invariant(x, y):
    if np.linalg.norm(x) < 1e-3 or np.linalg.norm(y) < 1e-3:
        return
    A3 = np.array([[2.0, 1.0, 0.0], [1.0, 2.0, 0.5], [0.0, 0.5, 1.0]])
    w = angle(x, y, A3)
    assert 0.0 <= w <= np.pi
    assert angle(3.0 * x, 0.5 * y, A3) == pytest.approx(w, abs=1e-6)
    cos = inner_product(x, y, A3) / length(x, A3) / length(y, A3)
    assert np.cos(w) == pytest.approx(cos, abs=1e-9)


@pytest.mark.parametrize("A", [[[1.0, 2.0], [2.0, 1.0]], [[1.0, 0.0], [0.0, 0.0]], [[2.0, 1.0], [0.0, 2.0]],
                               -np.eye(2)])
@pytest.mark.parametrize("func", [inner_product, distance, angle])
def test_non_spd_rejected(func, A):
    with pytest.raises(ValueError, match="A must be symmetric positive definite"):
        func([1.0, 2.0], [3.0, 1.0], A)


@pytest.mark.parametrize("A,match", [
    (np.eye(3), r"A must have shape \(2, 2\)"),
    (np.ones((2, 3)), "A must be square"),
    ([[1.0, np.nan], [np.nan, 1.0]], "A must be finite"),
    ([[1.0, 0.0], [0.0, 0.0]], "A must be symmetric positive definite"),
])
def test_bad_A(A, match):
    with pytest.raises(ValueError, match=match):
        length([1.0, 2.0], A)
    with pytest.raises(ValueError, match=match):
        inner_product([1.0, 2.0], [1.0, 2.0], A)


def test_is_positive_definite_bad_input():
    with pytest.raises(ValueError, match="A must be square"):
        is_positive_definite(np.ones((2, 3)))
    with pytest.raises(ValueError, match="A must be finite"):
        is_positive_definite([[np.inf]])


@pytest.mark.parametrize("x,y,match", [
    ([1.0, np.nan], [1.0, 2.0], "x must be finite"),
    ([1.0, 2.0], [np.inf, 2.0], "y must be finite"),
    ([[1.0, 2.0]], [1.0, 2.0], "x must have 1 dimension"),
    ([1.0, 2.0], [1.0, 2.0, 3.0], "y must have length 2"),
    ([], [], "x must not be empty"),
])
@pytest.mark.parametrize("func", [inner_product, distance, angle])
def test_bad_vectors(func, x, y, match):
    with pytest.raises(ValueError, match=match):
        func(x, y)


def test_length_bad_vector():
    with pytest.raises(ValueError, match="x must be finite"):
        length([np.nan])


def test_angle_zero_vector():
    with pytest.raises(ValueError, match="x must not be the zero vector"):
        angle([0.0, 0.0], [1.0, 2.0])
    with pytest.raises(ValueError, match="y must not be the zero vector"):
        angle([1.0, 2.0], [0.0, 0.0], A2)
