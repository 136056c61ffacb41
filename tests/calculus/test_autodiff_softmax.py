"""Tests of mmlbook.calculus.autodiff.softmax and cross_entropy: scipy, the gradient p - onehot, large logits."""

import math

import numpy as np
import pytest
import scipy.special
from hypothesis import given, settings
from hypothesis import strategies as st

from mmlbook.calculus import Value, cross_entropy, softmax
from mmlbook.calculus.autodiff import cross_entropy as ce_from_module, softmax as softmax_from_module

logit_lists = st.lists(st.floats(-30, 30), min_size=1, max_size=8)


def test_exported_from_the_package():
    assert softmax is softmax_from_module and cross_entropy is ce_from_module


@settings(max_examples=100, deadline=None)
@given(logit_lists, st.floats(-1000, 1000))
def test_softmax_matches_scipy_and_ignores_a_shift(z, shift):
    p = np.array([v.data for v in softmax(z)])
    np.testing.assert_allclose(p, scipy.special.softmax(z), rtol=1e-12, atol=1e-300)
    assert p.sum() == pytest.approx(1.0, abs=1e-12)
    shifted = np.array([v.data for v in softmax([x + shift for x in z])])
    np.testing.assert_allclose(shifted, scipy.special.softmax(np.array(z) + shift), rtol=1e-9, atol=1e-300)


@settings(max_examples=100, deadline=None)
@given(logit_lists, st.data())
def test_cross_entropy_matches_scipy_and_has_gradient_p_minus_onehot(z, data):
    t = data.draw(st.integers(0, len(z) - 1))
    logits = [Value(x) for x in z]
    L = cross_entropy(logits, t)
    assert L.data == pytest.approx(scipy.special.logsumexp(z) - z[t], rel=1e-12, abs=1e-12)
    assert L.data >= -1e-15
    L.backward()
    onehot = np.eye(len(z))[t]
    np.testing.assert_allclose([v.grad for v in logits], scipy.special.softmax(z) - onehot, atol=1e-12)


def test_cross_entropy_gradient_by_finite_differences():
    z, t, h = np.array([0.3, -1.2, 2.0, 0.5]), 2, 1e-6
    logits = [Value(x) for x in z]
    cross_entropy(logits, t).backward()
    f = lambda v: cross_entropy(list(v), t).data
    fd = [(f(z + h * e) - f(z - h * e)) / (2 * h) for e in np.eye(len(z))]
    np.testing.assert_allclose([v.grad for v in logits], fd, rtol=1e-7, atol=1e-9)


def test_softmax_jacobian_by_backward():
    """d p_i / d z_j = p_i ([i = j] - p_j), one backward pass per output."""
    z = [0.1, 1.5, -0.4]
    p = scipy.special.softmax(z)
    expected = np.diag(p) - np.outer(p, p)
    for i in range(3):
        logits = [Value(x) for x in z]
        softmax(logits)[i].backward()
        np.testing.assert_allclose([v.grad for v in logits], expected[i], atol=1e-14)


@pytest.mark.parametrize("big", [700.0, 1000.0, 1e5, 1e300])
def test_stable_for_large_logits(big):
    z = [big, big + 1.0, big - 2.0] if big < 1e300 else [big, big / 2, -big]
    p = [v.data for v in softmax(z)]
    assert all(math.isfinite(x) for x in p) and sum(p) == pytest.approx(1.0)
    np.testing.assert_allclose(p, scipy.special.softmax(z), rtol=1e-12)
    logits = [Value(x) for x in z]
    L = cross_entropy(logits, 0)
    L.backward()
    assert math.isfinite(L.data)
    assert L.data == pytest.approx(scipy.special.logsumexp(z) - z[0], rel=1e-12)
    np.testing.assert_allclose([v.grad for v in logits], scipy.special.softmax(z) - [1, 0, 0], atol=1e-12)


def test_numbers_are_constants_and_values_get_gradients():
    a = Value(1.0)
    L = cross_entropy([a, 2.0, 0.5], 1)
    L.backward()
    assert a.grad == pytest.approx(scipy.special.softmax([1.0, 2.0, 0.5])[0])


def test_a_perfect_prediction_costs_almost_nothing():
    assert cross_entropy([50.0, 0.0], 0).data == pytest.approx(0.0, abs=1e-20)
    assert cross_entropy([0.0, 0.0, 0.0, 0.0], 3).data == pytest.approx(math.log(4))


@pytest.mark.parametrize("values, match", [
    ([], "values must be a non-empty"),
    ("abc", "values must be a non-empty"),
    (3.0, "values must be a non-empty"),
    ([1.0, float("nan")], r"values\[1\] must be finite"),
    ([1.0, "a"], r"values\[1\] must be a Value or a real number"),
    ([1.0, float("inf")], r"values\[1\] must be finite"),
])
def test_softmax_bad_input(values, match):
    with pytest.raises(ValueError, match=match):
        softmax(values)


@pytest.mark.parametrize("target", [-1, 3, 1.0, True, "0", None])
def test_cross_entropy_bad_target(target):
    with pytest.raises(ValueError, match=r"target must be an integer class index in \[0, 2\]"):
        cross_entropy([1.0, 2.0, 3.0], target)


def test_cross_entropy_accepts_numpy_integers():
    assert cross_entropy([1.0, 2.0], np.int64(1)).data == pytest.approx(scipy.special.logsumexp([1, 2]) - 2)
