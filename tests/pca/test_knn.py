"""Tests for mmlbook.pca.knn: against scipy's cdist and scikit-learn's KNeighborsClassifier."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.spatial.distance import cdist
from sklearn.neighbors import KNeighborsClassifier, NearestNeighbors

from mmlbook.datasets import load_mnist
from mmlbook.pca import knn as knn_module
from mmlbook.pca.knn import knn_classify, pairwise_distances


@pytest.fixture(scope="module")
def digits():
    images, labels = load_mnist(n=1200)
    X = images.reshape(len(images), -1) / 255.0
    return X[:1000], labels[:1000], X[1000:], labels[1000:]


@settings(max_examples=40, deadline=None)
@given(N=st.integers(1, 20), M=st.integers(1, 20), D=st.integers(1, 6), seed=st.integers(0, 2**32 - 1))
def test_pairwise_distances_vs_cdist(N, M, D, seed):
    rng = np.random.default_rng(seed)
    X, Y = rng.normal(size=(N, D)) * 5, rng.normal(size=(M, D)) * 5
    np.testing.assert_allclose(pairwise_distances(X, Y), cdist(X, Y), atol=1e-6)


def test_pairwise_distances_self_and_clipping():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(30, 4)) * 1e3 + 1e4   # large offset: rounding makes some squares negative
    D = pairwise_distances(X)
    assert D.shape == (30, 30)
    assert np.all(D >= 0) and np.all(np.isfinite(D))
    np.testing.assert_allclose(D, cdist(X, X), atol=1e-3)
    same = pairwise_distances(np.ones((3, 2)) * 1e8)
    assert np.all(same >= 0) and np.all(np.isfinite(same))


def test_pairwise_distances_mnist(digits):
    X, _, Q, _ = digits
    np.testing.assert_allclose(pairwise_distances(Q[:50], X), cdist(Q[:50], X), atol=1e-9)


def strict_majority(X_train, y_train, X_query, k):
    """Queries whose k-neighbour vote has a single winner (where tie rules cannot matter)."""
    _, idx = NearestNeighbors(n_neighbors=k).fit(X_train).kneighbors(X_query)
    keep = []
    for row in y_train[idx]:
        counts = np.bincount(row)
        keep.append(np.sum(counts == counts.max()) == 1)
    return np.array(keep)


@pytest.mark.parametrize("k", [1, 3, 5, 10])
def test_knn_vs_sklearn_mnist(digits, k):
    X, y, Q, yq = digits
    ours = knn_classify(X, y, Q, k=k)
    theirs = KNeighborsClassifier(n_neighbors=k, algorithm="brute").fit(X, y).predict(Q)
    keep = strict_majority(X, y, Q, k)
    assert keep.mean() > 0.9
    np.testing.assert_array_equal(ours[keep], theirs[keep])
    assert (ours == yq).mean() > 0.8


@settings(max_examples=30, deadline=None)
@given(N=st.integers(5, 40), D=st.integers(1, 4), k=st.integers(1, 5), seed=st.integers(0, 2**32 - 1))
def test_knn_vs_sklearn_random(N, D, k, seed):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(N, D))
    y = rng.integers(0, 3, size=N)
    Q = rng.normal(size=(25, D))
    ours = knn_classify(X, y, Q, k=k)
    theirs = KNeighborsClassifier(n_neighbors=k).fit(X, y).predict(Q)
    keep = strict_majority(X, y, Q, k)
    np.testing.assert_array_equal(ours[keep], theirs[keep])
    if k == 1:
        np.testing.assert_array_equal(ours, theirs)


def test_ties_broken_by_nearest():
    X = [[0.0], [1.0], [2.0], [3.0]]
    # Query at 0.9: neighbours by distance 1.0 (label 7), 0.0 (label 2), 2.0 (label 2), 3.0 (label 7).
    y = [2, 7, 2, 7]
    assert knn_classify(X, y, [[0.9]], k=2).tolist() == [7]   # 1-1 tie: nearest is label 7
    assert knn_classify(X, y, [[0.9]], k=4).tolist() == [7]   # 2-2 tie: nearest still 7
    assert knn_classify(X, y, [[0.9]], k=3).tolist() == [2]   # 2-1 majority
    sklearn = KNeighborsClassifier(n_neighbors=2).fit(X, y).predict([[0.9]])
    assert sklearn.tolist() == [2]   # scikit-learn takes the smallest tied label instead


def test_string_labels_and_training_points_recovered():
    rng = np.random.default_rng(5)
    X = rng.normal(size=(20, 3))
    y = np.array(["cat", "dog"])[rng.integers(0, 2, 20)]
    out = knn_classify(X, y, X, k=1)
    assert out.dtype == y.dtype
    np.testing.assert_array_equal(out, y)


def test_blocks_give_same_answer(monkeypatch):
    rng = np.random.default_rng(2)
    X, y, Q = rng.normal(size=(50, 2)), rng.integers(0, 4, 50), rng.normal(size=(37, 2))
    whole = knn_classify(X, y, Q, k=5)
    monkeypatch.setattr(knn_module, "_BLOCK_ENTRIES", 50 * 4)   # blocks of 4 queries, last one short
    np.testing.assert_array_equal(knn_classify(X, y, Q, k=5), whole)


@pytest.mark.parametrize("X,Y,match", [
    ([1.0, 2.0], [[1.0, 2.0]], "X must have 2 dimension"),
    ([[1.0, 2.0]], [[1.0, 2.0, 3.0]], "Y must have 2 columns"),
    ([[np.nan, 2.0]], None, "X must be finite"),
    ([[1.0, 2.0]], [[1.0, np.inf]], "Y must be finite"),
    (np.zeros((0, 2)), None, "X must not be empty"),
])
def test_pairwise_distances_bad_input(X, Y, match):
    with pytest.raises(ValueError, match=match):
        pairwise_distances(X, Y)


X0 = [[0.0, 0.0], [1.0, 1.0], [2.0, 2.0]]


@pytest.mark.parametrize("args,match", [
    (([0.0, 1.0], [0, 1], [[0.0]], 1), "X_train must have 2 dimension"),
    ((X0, [0, 1], [[0.0, 0.0]], 1), "X_train and y_train must have the same length"),
    ((X0, [[0, 1, 1]], [[0.0, 0.0]], 1), "y_train must have 1 dimension"),
    ((X0, [0.0, np.nan, 1.0], [[0.0, 0.0]], 1), "y_train must be finite"),
    ((X0, np.array([0, None, 1], dtype=object), [[0.0, 0.0]], 1), "y_train must not contain None"),
    ((X0, [0, 1, 1], [[0.0, 0.0, 0.0]], 1), "X_query must have 2 columns"),
    ((X0, [0, 1, 1], [0.0, 0.0], 1), "X_query must have 2 dimension"),
    ((X0, [0, 1, 1], [[np.nan, 0.0]], 1), "X_query must be finite"),
    (([[np.inf, 0.0]], [0], [[0.0, 0.0]], 1), "X_train must be finite"),
    ((X0, [0, 1, 1], [[0.0, 0.0]], 0), "k must be >= 1"),
    ((X0, [0, 1, 1], [[0.0, 0.0]], 4), r"k must be between 1 and 3 \(the number of rows of X_train\)"),
    ((X0, [0, 1, 1], [[0.0, 0.0]], 2.0), "k must be an integer"),
])
def test_knn_bad_input(args, match):
    with pytest.raises(ValueError, match=match):
        knn_classify(*args)


@pytest.mark.parametrize("y", [[0, "a", 1], np.array([0, "a", 1], dtype=object)])
def test_knn_mixed_label_types_are_named(y):
    with pytest.raises(ValueError, match="y_train must hold labels of one kind"):
        knn_classify([[0.0], [1.0], [2.0]], y, [[0.5]], k=1)


def test_knn_and_distances_at_extreme_scales():
    rng = np.random.default_rng(3)
    X, Q = rng.normal(size=(30, 4)), rng.normal(size=(7, 4))
    y = rng.integers(0, 3, size=30)
    for c in (2.0**700, 2.0**-700):
        assert np.array_equal(knn_classify(X * c, y, Q * c, k=5), knn_classify(X, y, Q, k=5))
        np.testing.assert_allclose(pairwise_distances(X * c, Q * c), pairwise_distances(X, Q) * c, rtol=1e-12)
