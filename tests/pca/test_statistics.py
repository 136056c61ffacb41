"""Tests for mmlbook.pca.statistics: against numpy, loop vs vectorised, affine formulas."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mmlbook.datasets import load_mnist
from mmlbook.pca.statistics import (affine_covariance, affine_mean, covariance, covariance_loop, mean,
                                    mean_loop, variance)

RNG = np.random.default_rng(1)


@pytest.fixture(scope="module")
def digits():
    images, _ = load_mnist(n=300)
    return images.reshape(300, -1) / 255.0


@pytest.mark.parametrize("shape", [(1, 1), (5, 1), (1, 4), (50, 3), (7, 12)])
def test_against_numpy(shape):
    X = RNG.normal(size=shape) * 3 + 1
    np.testing.assert_allclose(mean(X), X.mean(axis=0))
    np.testing.assert_allclose(mean_loop(X), X.mean(axis=0))
    expected = np.atleast_2d(np.cov(X, rowvar=False, bias=True))
    np.testing.assert_allclose(covariance(X), expected, atol=1e-12)
    np.testing.assert_allclose(covariance_loop(X), expected, atol=1e-12)
    np.testing.assert_allclose(variance(X), X.var(axis=0), atol=1e-12)


def test_numpy_default_divides_by_n_minus_1():
    X = RNG.normal(size=(10, 3))
    N = X.shape[0]
    np.testing.assert_allclose(covariance(X) * N / (N - 1), np.cov(X, rowvar=False))


def test_loop_matches_vectorised_on_mnist(digits):
    np.testing.assert_allclose(mean_loop(digits), mean(digits), atol=1e-12)
    np.testing.assert_allclose(covariance_loop(digits), covariance(digits), atol=1e-12)


def test_covariance_properties(digits):
    S = covariance(digits)
    assert S.shape == (784, 784)
    np.testing.assert_array_equal(S, S.T)
    assert np.linalg.eigvalsh(S).min() > -1e-10
    np.testing.assert_allclose(np.diag(S), variance(digits), atol=1e-12)


def test_input_not_modified():
    X = RNG.normal(size=(6, 2))
    copy = X.copy()
    mean(X), covariance(X), mean_loop(X), covariance_loop(X)
    np.testing.assert_array_equal(X, copy)


finite = st.floats(-10, 10, allow_nan=False, allow_infinity=False)


@settings(max_examples=40, deadline=None)
@given(N=st.integers(2, 30), D=st.integers(1, 4), M=st.integers(1, 4), seed=st.integers(0, 2**32 - 1))
def test_affine_formulas_match_transformed_data(N, D, M, seed):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(N, D)) * rng.uniform(0.1, 5, size=D)
    A = rng.normal(size=(M, D))
    b = rng.normal(size=M) * 10
    Y = X @ A.T + b
    np.testing.assert_allclose(affine_mean(mean(X), A, b), mean(Y), atol=1e-9)
    np.testing.assert_allclose(affine_covariance(covariance(X), A, b), covariance(Y), atol=1e-8)


@settings(max_examples=30, deadline=None)
@given(st.lists(finite, min_size=2, max_size=20), finite, finite)
def test_scalar_shift_and_scale(values, a, b):
    x = np.array(values)[:, None]
    S = covariance(x)
    np.testing.assert_allclose(affine_covariance(S, [[a]], [b]), a * a * S, atol=1e-9)
    np.testing.assert_allclose(affine_mean(mean(x), [[a]], [b]), a * mean(x) + b, atol=1e-9)


def test_shift_does_not_change_covariance():
    S = covariance(RNG.normal(size=(20, 2)))
    A = np.eye(2)
    np.testing.assert_allclose(affine_covariance(S, A, [100.0, -3.0]), S)


@pytest.mark.parametrize("func", [mean, mean_loop, covariance, covariance_loop, variance])
@pytest.mark.parametrize("X,match", [
    ([1.0, 2.0, 3.0], "X must have 2 dimension"),
    (np.zeros((0, 3)), "X must not be empty"),
    ([[1.0, np.nan]], "X must be finite"),
    ([[1.0, np.inf]], "X must be finite"),
    ([["a", "b"]], "X must be an array of numbers"),
])
def test_bad_data(func, X, match):
    with pytest.raises(ValueError, match=match):
        func(X)


@pytest.mark.parametrize("args,match", [
    (([1.0, np.nan], np.eye(2), [0.0, 0.0]), "mean must be finite"),
    (([[1.0, 2.0]], np.eye(2), [0.0, 0.0]), "mean must have 1 dimension"),
    (([1.0, 2.0], np.eye(3), [0.0, 0.0, 0.0]), "A must have 2 columns"),
    (([1.0, 2.0], [1.0, 2.0], [0.0]), "A must have 2 dimension"),
    (([1.0, 2.0], np.eye(2), [0.0]), "b must have length 2"),
    (([1.0, 2.0], np.eye(2), [0.0, np.nan]), "b must be finite"),
])
def test_affine_mean_bad_input(args, match):
    with pytest.raises(ValueError, match=match):
        affine_mean(*args)


@pytest.mark.parametrize("args,match", [
    ((np.ones((2, 3)), np.eye(2), [0.0, 0.0]), "S must be square"),
    (([[1.0, 2.0], [0.0, 1.0]], np.eye(2), [0.0, 0.0]), "S must be symmetric"),
    (([[1.0, np.nan], [np.nan, 1.0]], np.eye(2), [0.0, 0.0]), "S must be finite"),
    ((np.eye(2), np.ones((2, 3)), [0.0, 0.0]), "A must have 2 columns"),
    ((np.eye(2), np.eye(2), [0.0, 0.0, 0.0]), "b must have length 2"),
    ((np.eye(2), np.eye(2), [np.inf, 0.0]), "b must be finite"),
])
def test_affine_covariance_bad_input(args, match):
    with pytest.raises(ValueError, match=match):
        affine_covariance(*args)
