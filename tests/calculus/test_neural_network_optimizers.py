"""Tests of train's optimizer="adam" and batch_size options: reference loops, the default unchanged, properties."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import mmlbook.calculus.neural_network as nn
from mmlbook.calculus import backprop, cost, heart_curve, init_network, train


def _data(n=12, seed=0):
    rng = np.random.default_rng(seed)
    return rng.uniform(0, 1, (n, 2)), rng.uniform(0.1, 0.9, (n, 2))


def _flat(network):
    return np.concatenate([np.concatenate([W.ravel(), b]) for W, b in network])


def test_default_is_todays_full_batch_momentum():
    net, (X, Y) = init_network([2, 3, 2], rng=1), _data()
    old = nn._train(net, X, Y, 0.5, 30, 0.9, set())
    new = train(net, X, Y, learning_rate=0.5, epochs=30, momentum=0.9)
    same = train(net, X, Y, learning_rate=0.5, epochs=30, momentum=0.9, optimizer="momentum", batch_size=None)
    for result in (new, same):
        np.testing.assert_array_equal(result.cost, old.cost)
        np.testing.assert_array_equal(_flat(result.network), _flat(old.network))
        assert result.steps == 30


def test_one_batch_of_everything_is_full_batch_momentum():
    net, (X, Y) = init_network([2, 4, 2], rng=2), _data()
    full = train(net, X, Y, learning_rate=0.5, epochs=25, momentum=0.8)
    batch = train(net, X, Y, learning_rate=0.5, epochs=25, momentum=0.8, batch_size=len(X), rng=0)
    np.testing.assert_allclose(batch.cost, full.cost, rtol=1e-10)
    np.testing.assert_allclose(_flat(batch.network), _flat(full.network), rtol=1e-10, atol=1e-12)


def test_batch_size_one_is_sequential_sgd_in_the_rngs_order():
    net, (X, Y) = init_network([2, 3, 2], rng=3), _data(6)
    eta, epochs, seed = 0.3, 2, 7
    result = train(net, X, Y, learning_rate=eta, epochs=epochs, batch_size=1, rng=seed)
    ref = [(W.copy(), b.copy()) for W, b in net]
    rng = np.random.default_rng(seed)
    for _ in range(epochs):
        for i in rng.permutation(len(X)):
            grads = backprop(ref, X[i:i + 1], Y[i:i + 1])
            ref = [(W - eta * dW, b - eta * db) for (W, b), (dW, db) in zip(ref, grads)]
    np.testing.assert_allclose(_flat(result.network), _flat(ref), rtol=1e-12, atol=1e-14)
    assert result.steps == epochs * len(X)
    assert result.cost[-1] == pytest.approx(cost(ref, X, Y), rel=1e-12)


def adam_reference(network, X, Y, eta, steps, beta1=0.9, beta2=0.999, eps=1e-8):
    """Algorithm 1 of Kingma and Ba (2015), on the flattened parameters, full batch."""
    shapes = [(W.shape, b.shape) for W, b in network]
    theta = _flat(network)

    def unflat(v):
        out, i = [], 0
        for sW, sb in shapes:
            nW, nb = math.prod(sW), math.prod(sb)
            out.append((v[i:i + nW].reshape(sW), v[i + nW:i + nW + nb]))
            i += nW + nb
        return out

    m, s = np.zeros_like(theta), np.zeros_like(theta)
    for t in range(1, steps + 1):
        g = _flat(backprop(unflat(theta), X, Y))
        m = beta1 * m + (1 - beta1) * g
        s = beta2 * s + (1 - beta2) * g ** 2
        theta = theta - eta * (m / (1 - beta1 ** t)) / (np.sqrt(s / (1 - beta2 ** t)) + eps)
    return theta


def test_adam_matches_the_papers_algorithm():
    net, (X, Y) = init_network([2, 5, 2], rng=4), _data()
    result = train(net, X, Y, learning_rate=0.01, epochs=40, optimizer="adam")
    np.testing.assert_allclose(_flat(result.network), adam_reference(net, X, Y, 0.01, 40), rtol=1e-9, atol=1e-12)
    assert result.steps == 40 and result.success


def test_adam_first_step_has_length_eta_in_every_coordinate():
    """The bias correction makes the first step eta * sign(g) (up to epsilon)."""
    net, (X, Y) = init_network([2, 3, 2], rng=5), _data()
    g = _flat(backprop(net, X, Y))
    result = train(net, X, Y, learning_rate=1e-3, epochs=1, optimizer="adam")
    np.testing.assert_allclose(_flat(result.network) - _flat(net), -1e-3 * g / (np.abs(g) + 1e-8), rtol=1e-9, atol=1e-15)


@settings(max_examples=25, deadline=None)
@given(st.integers(1, 12), st.integers(1, 4), st.sampled_from(["momentum", "adam"]), st.integers(0, 2**32 - 1))
def test_minibatch_bookkeeping_and_reproducibility(batch_size, epochs, optimizer, seed):
    net, (X, Y) = init_network([2, 3, 2], rng=6), _data(12)
    run = lambda s: train(net, X, Y, learning_rate=0.05, epochs=epochs, optimizer=optimizer,
                          batch_size=batch_size, rng=s)
    a, b = run(seed), run(seed)
    assert a.steps == epochs * math.ceil(12 / batch_size)
    assert a.cost.shape == (epochs + 1,) and np.all(np.isfinite(a.cost))
    assert a.cost[0] == pytest.approx(cost(net, X, Y))
    assert a.cost[-1] == pytest.approx(cost(a.network, X, Y))
    np.testing.assert_array_equal(a.cost, b.cost)


def test_optimizers_learn_the_heart():
    t = np.linspace(0, 1, 100)
    X, Y = t[:, None], heart_curve(t)
    net = init_network([1, 6, 7, 2], rng=0)
    for kwargs in (dict(optimizer="adam", learning_rate=0.03), dict(batch_size=10, learning_rate=1.0)):
        result = train(net, X, Y, epochs=500, rng=0, **kwargs)
        assert result.cost[-1] < 0.25 * result.cost[0]


@pytest.mark.parametrize("kwargs, match", [
    (dict(optimizer="sgd"), "optimizer must be 'momentum' or 'adam'"),
    (dict(optimizer=None), "optimizer must be"),
    (dict(batch_size=0), "batch_size must be >= 1"),
    (dict(batch_size=13), "batch_size must be <= 12"),
    (dict(batch_size=2.5), "batch_size must be an integer"),
    (dict(optimizer="adam", momentum=0.9), "momentum must be 0 with optimizer='adam'"),
    (dict(rng="seed"), "rng"),
])
def test_bad_settings(kwargs, match):
    net, (X, Y) = init_network([2, 3, 2], rng=1), _data()
    with pytest.raises(ValueError, match=match):
        train(net, X, Y, learning_rate=0.1, epochs=2, **kwargs)
