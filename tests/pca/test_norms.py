"""Tests for mmlbook.pca.norms and k-NN under other norms: numpy, scipy, scikit-learn, the axioms."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from sklearn.neighbors import KNeighborsClassifier

from mmlbook.pca import knn_classify, lp_norm

ORDERS = [1, 1.5, 2, 3, np.inf]
finite = st.floats(-1e6, 1e6, allow_nan=False)


@pytest.mark.parametrize("p", ORDERS)
def test_equals_numpy(p):
    x = np.random.default_rng(0).normal(size=17)
    assert np.isclose(lp_norm(x, p), np.linalg.norm(x, ord=p))


@settings(max_examples=60, deadline=None)
@given(arrays(float, 5, elements=finite), arrays(float, 5, elements=finite), finite,
       st.sampled_from(ORDERS))
def test_norm_axioms(x, y, c, p):
    scale = 1 + lp_norm(x, p) + lp_norm(y, p)
    assert lp_norm(x + y, p) <= lp_norm(x, p) + lp_norm(y, p) + 1e-12 * scale   # triangle
    assert np.isclose(lp_norm(c * x, p), abs(c) * lp_norm(x, p), rtol=1e-12, atol=1e-300)
    assert lp_norm(x, p) >= 0 and (lp_norm(x, p) == 0) == (not np.any(x))


def test_extreme_scales_and_orders_between():
    assert lp_norm([1e300, 1e300], 2) == pytest.approx(np.sqrt(2) * 1e300)
    assert lp_norm([3e-300, 4e-300], 2) == pytest.approx(5e-300)
    x = np.random.default_rng(1).normal(size=9)
    # ||x||_inf <= ||x||_2 <= ||x||_1 <= sqrt(D) ||x||_2 <= D ||x||_inf
    n1, n2, ninf = lp_norm(x, 1), lp_norm(x, 2), lp_norm(x, np.inf)
    assert ninf <= n2 <= n1 <= 3 * n2 <= 9 * ninf
    with pytest.raises(ValueError, match="p must be >= 1"):
        lp_norm(x, 0.5)
    with pytest.raises(ValueError, match="p must be a number"):
        lp_norm(x, "2")


@pytest.mark.parametrize("p", [1, 2, 3, np.inf])
@pytest.mark.parametrize("k", [1, 5])
def test_knn_under_any_norm_matches_scikit_learn(p, k):
    rng = np.random.default_rng(2)
    X = rng.normal(size=(80, 6))
    y = (X[:, 0] + X[:, 1] ** 2 > 0.5).astype(int)
    Q = rng.normal(size=(40, 6))
    ref = KNeighborsClassifier(k, p=p, algorithm="brute").fit(X, y).predict(Q)
    assert np.array_equal(knn_classify(X, y, Q, k=k, p=p), ref)  # two classes, odd k: no ties


def test_knn_p2_is_unchanged():
    rng = np.random.default_rng(3)
    X, Q = rng.normal(size=(50, 4)), rng.normal(size=(20, 4))
    y = rng.integers(0, 3, size=50)
    assert np.array_equal(knn_classify(X, y, Q, k=3), knn_classify(X, y, Q, k=3, p=2.0))
    with pytest.raises(ValueError, match="p must be >= 1"):
        knn_classify(X, y, Q, p=0)


@pytest.mark.parametrize("p", [1.5, 3, 50, 1000])
def test_distances_at_large_orders_and_scales(p):
    from mmlbook.pca.norms import distances_p
    rng = np.random.default_rng(4)
    for scale in (1e-200, 1.0, 255.0, 1e200):
        X, Y = scale * rng.normal(size=(7, 5)), scale * rng.normal(size=(4, 5))
        ref = np.array([[lp_norm(x - y, p) for y in Y] for x in X])
        np.testing.assert_allclose(distances_p(X, Y, p), ref, rtol=1e-12)
    # 290 is nearer to 300 than to 0 in every norm, though 290**1000 overflows
    assert knn_classify([[0.0, 0.0], [300.0, 0.0]], [0, 1], [[290.0, 0.0], [10.0, 0.0]],
                        k=1, p=p).tolist() == [1, 0]
