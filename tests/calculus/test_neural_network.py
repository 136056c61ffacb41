"""Tests for mmlbook.calculus.neural_network: shapes, backprop against finite differences, training."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mmlbook.calculus import (
    backprop, cost, derivative, forward, gradient, heart_curve, init_network, sigmoid,
    sigmoid_prime, train,
)

SHAPES = [[1, 6, 7, 2], [3, 4, 1], [2, 2], [4, 3, 3, 3, 2]]


def random_data(sizes, n=8, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.uniform(-1, 1, size=(n, sizes[0]))
    Y = rng.uniform(0.1, 0.9, size=(n, sizes[-1]))
    return X, Y


def flatten(network):
    return np.concatenate([np.concatenate([W.ravel(), b]) for W, b in network])


def unflatten(theta, like):
    out, k = [], 0
    for W, b in like:
        Wn = theta[k:k + W.size].reshape(W.shape)
        k += W.size
        bn = theta[k:k + b.size]
        k += b.size
        out.append((Wn, bn))
    return out


# --- the sigmoid -----------------------------------------------------------------------

@settings(max_examples=50, deadline=None)
@given(st.floats(-30, 30))
def test_sigmoid_prime_is_the_derivative(z):
    assert np.isclose(sigmoid_prime(z), derivative(sigmoid, z), rtol=1e-6, atol=1e-12)


def test_sigmoid_values_and_symmetry():
    z = np.linspace(-10, 10, 41)
    assert np.allclose(sigmoid(z), 1 / (1 + np.exp(-z)))
    assert np.allclose(sigmoid(-z), 1 - sigmoid(z))
    # no overflow warning for huge arguments (pytest turns warnings into errors)
    assert np.array_equal(sigmoid([-1000.0, 1000.0]), [0.0, 1.0])


# --- shapes ----------------------------------------------------------------------------

@pytest.mark.parametrize("sizes", SHAPES)
def test_init_network_shapes(sizes):
    net = init_network(sizes, rng=1)
    assert len(net) == len(sizes) - 1
    for (W, b), n_in, n_out in zip(net, sizes[:-1], sizes[1:]):
        assert W.shape == (n_out, n_in)
        assert b.shape == (n_out,)


def test_init_network_is_reproducible():
    a, b = init_network([1, 6, 7, 2], rng=5), init_network([1, 6, 7, 2], rng=5)
    assert np.array_equal(flatten(a), flatten(b))


@pytest.mark.parametrize("sizes", SHAPES)
def test_forward_shapes_and_range(sizes):
    net = init_network(sizes, rng=2)
    X, _ = random_data(sizes, n=5)
    out = forward(net, X)
    assert out.shape == (5, sizes[-1])
    assert np.all((out > 0) & (out < 1))
    layers = forward(net, X, all_layers=True)
    assert [a.shape for a in layers] == [(5, n) for n in sizes]
    assert np.array_equal(layers[0], X)
    assert np.array_equal(layers[-1], out)


def test_forward_matches_per_sample_loop():
    net = init_network([3, 4, 2], rng=3)
    X, _ = random_data([3, 4, 2], n=6)
    for x, row in zip(X, forward(net, X)):
        a = x
        for W, b in net:
            a = 1 / (1 + np.exp(-(W @ a + b)))
        assert np.allclose(a, row)


def test_cost_definition():
    net = init_network([2, 3, 2], rng=4)
    X, Y = random_data([2, 3, 2], n=7)
    expected = np.mean(np.sum((forward(net, X) - Y) ** 2, axis=1))
    assert np.isclose(cost(net, X, Y), expected)


# --- backprop against finite differences ------------------------------------------------

@pytest.mark.parametrize("sizes", SHAPES)
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_backprop_matches_finite_differences(sizes, seed):
    net = init_network(sizes, rng=seed)
    X, Y = random_data(sizes, n=6, seed=seed + 10)
    grads = backprop(net, X, Y)
    assert [(dW.shape, db.shape) for dW, db in grads] == [(W.shape, b.shape) for W, b in net]
    numeric = gradient(lambda theta: cost(unflatten(theta, net), X, Y), flatten(net))
    assert np.allclose(flatten(grads), numeric, rtol=1e-5, atol=1e-9)


@settings(max_examples=20, deadline=None)
@given(st.lists(st.integers(1, 4), min_size=2, max_size=4), st.integers(1, 5),
       st.integers(0, 2**32 - 1))
def test_backprop_matches_finite_differences_any_shape(sizes, n, seed):
    net = init_network(sizes, rng=seed)
    X, Y = random_data(sizes, n=n, seed=seed)
    numeric = gradient(lambda theta: cost(unflatten(theta, net), X, Y), flatten(net))
    assert np.allclose(flatten(backprop(net, X, Y)), numeric, rtol=1e-5, atol=1e-9)


def test_backprop_does_not_modify_network():
    net = init_network([2, 3, 1], rng=0)
    before = flatten(net)
    X, Y = random_data([2, 3, 1])
    backprop(net, X, Y)
    assert np.array_equal(flatten(net), before)


# --- training -------------------------------------------------------------------------

def test_training_lowers_the_cost_on_the_heart():
    t = np.linspace(0, 1, 50)
    X, Y = t[:, None], heart_curve(t)
    net = init_network([1, 6, 7, 2], rng=0)
    result = train(net, X, Y, learning_rate=5.0, epochs=1500, momentum=0.9)
    assert result.success
    assert result.cost.shape == (1501,)
    assert np.isclose(result.cost[0], cost(net, X, Y))
    assert np.isclose(result.cost[-1], cost(result.network, X, Y))
    assert result.cost[-1] < 0.1 * result.cost[0]
    assert result.x is result.network
    assert result.nit == 1500
    # the starting network is left alone
    assert np.array_equal(flatten(net), flatten(init_network([1, 6, 7, 2], rng=0)))


def test_snapshots_record_the_network_during_training():
    net = init_network([2, 3, 1], rng=1)
    X, Y = random_data([2, 3, 1], n=10, seed=1)
    result = train(net, X, Y, learning_rate=1.0, epochs=30, snapshots=[0, 10, 30])
    assert sorted(result.snapshots) == [0, 10, 30]
    assert np.array_equal(flatten(result.snapshots[0]), flatten(net))
    assert np.isclose(cost(result.snapshots[10], X, Y), result.cost[10])
    assert np.array_equal(flatten(result.snapshots[30]), flatten(result.network))
    with pytest.raises(ValueError, match="snapshots"):
        train(net, X, Y, learning_rate=1.0, epochs=5, snapshots=[6])
    with pytest.raises(ValueError, match="snapshots"):
        train(net, X, Y, learning_rate=1.0, epochs=5, snapshots=[-1])


def test_plain_gradient_descent_with_small_steps_decreases_monotonically():
    net = init_network([3, 4, 1], rng=7)
    X, Y = random_data([3, 4, 1], n=20, seed=7)
    result = train(net, X, Y, learning_rate=0.1, epochs=200)
    assert np.all(np.diff(result.cost) <= 1e-15)


# --- the heart ---------------------------------------------------------------------------

def test_heart_curve_is_closed_and_inside_unit_square():
    t = np.linspace(0, 1, 1001)
    P = heart_curve(t)
    assert P.shape == (1001, 2)
    assert np.allclose(P[0], P[-1])
    assert P.min() >= 0.1 - 1e-12 and P.max() <= 0.9 + 1e-12
    assert heart_curve(0.25).shape == (2,)
    # symmetric about the vertical line x = 0.5
    assert np.allclose(heart_curve(1 - t)[:, 0], 1 - P[:, 0])
    assert np.allclose(heart_curve(1 - t)[:, 1], P[:, 1])


# --- bad input ----------------------------------------------------------------------------

@pytest.mark.parametrize("sizes", [[3], [], [2, 0, 1], [2, 1.5]])
def test_init_network_bad_sizes(sizes):
    with pytest.raises(ValueError, match="layer_sizes"):
        init_network(sizes)


def test_mismatched_lengths():
    net = init_network([1, 6, 7, 2], rng=0)
    with pytest.raises(ValueError, match="X and Y must have the same length"):
        cost(net, np.zeros((5, 1)), np.zeros((4, 2)))
    with pytest.raises(ValueError, match="X and Y must have the same length"):
        backprop(net, np.zeros((5, 1)), np.zeros((4, 2)))


def test_wrong_number_of_inputs():
    net = init_network([3, 4, 1], rng=0)
    with pytest.raises(ValueError, match="X must have 3 columns"):
        forward(net, np.zeros((5, 2)))
    with pytest.raises(ValueError, match="X must have 2 dimension"):
        forward(net, np.zeros(3))


def test_wrong_number_of_outputs():
    net = init_network([3, 4, 1], rng=0)
    with pytest.raises(ValueError, match="Y must have 1 columns"):
        cost(net, np.zeros((5, 3)), np.zeros((5, 2)))


@pytest.mark.parametrize("which", ["X", "Y"])
def test_nan_data(which):
    net = init_network([2, 2], rng=0)
    X, Y = np.zeros((3, 2)), np.zeros((3, 2))
    {"X": X, "Y": Y}[which][1, 1] = np.nan
    with pytest.raises(ValueError, match=f"{which} must be finite"):
        backprop(net, X, Y)


def test_nan_weights():
    net = init_network([2, 2], rng=0)
    net[0][0][0, 0] = np.nan
    with pytest.raises(ValueError, match="W of layer 1 must be finite"):
        forward(net, np.zeros((1, 2)))


def test_layers_that_do_not_chain():
    net = [(np.zeros((3, 2)), np.zeros(3)), (np.zeros((1, 4)), np.zeros(1))]
    with pytest.raises(ValueError, match="W of layer 2 must have 3 columns"):
        forward(net, np.zeros((1, 2)))
    with pytest.raises(ValueError, match="b of layer 1 must have length 3"):
        forward([(np.zeros((3, 2)), np.zeros(2))], np.zeros((1, 2)))
    with pytest.raises(ValueError, match="network layer 1 must be a pair"):
        forward([np.zeros((3, 2))], np.zeros((1, 2)))
    with pytest.raises(ValueError, match="network must have at least one layer"):
        forward([], np.zeros((1, 2)))


@pytest.mark.parametrize("kwargs, match", [
    ({"learning_rate": 0.0, "epochs": 5}, "learning_rate"),
    ({"learning_rate": 1.0, "epochs": 0}, "epochs"),
    ({"learning_rate": 1.0, "epochs": 5, "momentum": 1.0}, "momentum"),
    ({"learning_rate": np.nan, "epochs": 5}, "learning_rate"),
])
def test_train_bad_settings(kwargs, match):
    net = init_network([2, 2], rng=0)
    with pytest.raises(ValueError, match=match):
        train(net, np.zeros((3, 2)), np.zeros((3, 2)), **kwargs)


def test_heart_curve_bad_input():
    with pytest.raises(ValueError, match="t must be finite"):
        heart_curve([0.1, np.nan])


# --- the backward pass stops at the first hidden layer ---------------------------------------

def _backward_to_the_input(network, activations, Y):
    """The old backward pass, which also formed a (meaningless) delta for the input layer."""
    N = Y.shape[0]
    a_L = activations[-1]
    delta = 2.0 / N * (a_L - Y) * a_L * (1.0 - a_L)
    gradients = []
    for (W, b), a_prev in zip(reversed(network), reversed(activations[:-1])):
        gradients.append((delta.T @ a_prev, delta.sum(axis=0)))
        delta = (delta @ W) * a_prev * (1.0 - a_prev)
    return gradients[::-1]


@pytest.mark.parametrize("sizes", SHAPES)
def test_backward_stopping_at_the_first_hidden_layer_leaves_gradients_unchanged(sizes):
    from mmlbook.calculus.neural_network import _activations, _backward

    network = init_network(sizes, rng=3)
    X, Y = random_data(sizes, n=7, seed=4)
    acts = _activations(network, X)
    new, old = _backward(network, acts, Y), _backward_to_the_input(network, acts, Y)
    for (dW, db), (dW_old, db_old) in zip(new, old):
        np.testing.assert_array_equal(dW, dW_old)
        np.testing.assert_array_equal(db, db_old)


def test_backward_never_multiplies_by_the_first_layer_weights():
    """The input layer has no z: W of layer 1 must not enter a delta (a NaN there stays out)."""
    from mmlbook.calculus.neural_network import _activations, _backward

    network = init_network([2, 3, 1], rng=0)
    X, Y = random_data([2, 3, 1], n=5)
    acts = _activations(network, X)
    W1, b1 = network[0]
    poisoned = [(np.full_like(W1, np.nan), b1), network[1]]   # the forward pass is done already
    grads = _backward(poisoned, acts, Y)
    assert all(np.isfinite(g).all() for pair in grads for g in pair)


def test_train_core_matches_the_public_function():
    from mmlbook.calculus.neural_network import _train

    network = init_network([1, 6, 7, 2], rng=0)
    t = np.linspace(0, 1, 20)
    X, Y = t[:, None], heart_curve(t)
    public = train(network, X, Y, learning_rate=1.0, epochs=30, momentum=0.9, snapshots=[0, 30])
    core = _train(network, X, Y, 1.0, 30, 0.9, {0, 30})
    np.testing.assert_array_equal(public.cost, core.cost)
    assert sorted(core.snapshots) == [0, 30]
