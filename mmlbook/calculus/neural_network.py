r"""A small fully connected neural network, trained by backpropagation.

Every layer computes :math:`\mathbf a^{(l)} = \sigma(W^{(l)} \mathbf a^{(l-1)} + \mathbf b^{(l)})`
with the logistic sigmoid :math:`\sigma`. A network is a plain list with one
``(W, b)`` pair per layer, ``W`` of shape ``(n_out, n_in)`` and ``b`` of shape
``(n_out,)``; data are ``(N, n_in)`` arrays with one sample per row, so a whole
batch goes through a layer as ``A @ W.T + b``.
"""

from __future__ import annotations

from typing import Any, Sequence

import numpy as np
from scipy.special import expit

from mmlbook._result import Result
from mmlbook._validation import as_float_array, check_number, check_positive_int, check_same_length
from mmlbook._validation import as_rng, check_in_range

Network = list[tuple[np.ndarray, np.ndarray]]


def sigmoid(z: Any) -> np.ndarray:
    r"""The logistic function :math:`\sigma(z) = \dfrac{1}{1 + e^{-z}}`, elementwise.

    Computed without overflow for large :math:`|z|` (by :func:`scipy.special.expit`).

    Examples
    --------
    >>> float(sigmoid(0.0))
    0.5
    """
    return expit(as_float_array(z, "z", allow_empty=True))


def sigmoid_prime(z: Any) -> np.ndarray:
    r"""The derivative of the sigmoid, :math:`\sigma'(z) = \sigma(z)\,(1 - \sigma(z))`, elementwise.

    Examples
    --------
    >>> float(sigmoid_prime(0.0))
    0.25
    """
    s = sigmoid(z)
    return s * (1.0 - s)


def init_network(layer_sizes: Sequence[int], rng: Any = None) -> Network:
    r"""Random weights and biases for a network with the given numbers of neurons.

    Weights are drawn from :math:`\mathcal N(0, 1/n_\text{in})` so that every
    neuron starts with an input of order one, in the sloped part of the
    sigmoid; biases from :math:`\mathcal N(0, 1)`.

    Parameters
    ----------
    layer_sizes : sequence of int
        Neurons per layer, input layer first, for example ``[1, 6, 7, 2]``.
        At least two entries.
    rng : int or numpy.random.Generator, optional
        Seed or generator, for reproducible networks.

    Returns
    -------
    list of (W, b)
        One pair per layer after the input: ``W`` of shape (n_out, n_in) and
        ``b`` of shape (n_out,).

    Raises
    ------
    ValueError
        If there are fewer than two layers or a size is not a positive integer.

    Examples
    --------
    >>> [W.shape for W, b in init_network([1, 6, 7, 2], rng=0)]
    [(6, 1), (7, 6), (2, 7)]
    """
    try:
        sizes = list(layer_sizes) if not isinstance(layer_sizes, (str, bytes)) else None
    except TypeError:
        sizes = None
    if sizes is None or len(sizes) < 2:
        raise ValueError(f"layer_sizes must list at least two layers, got {layer_sizes!r}")
    sizes = [check_positive_int(n, f"layer_sizes[{i}]") for i, n in enumerate(sizes)]
    rng = as_rng(rng)
    network = []
    for n_in, n_out in zip(sizes[:-1], sizes[1:]):
        W = rng.normal(0.0, 1.0 / np.sqrt(n_in), size=(n_out, n_in))
        b = rng.normal(0.0, 1.0, size=n_out)
        network.append((W, b))
    return network


def _check_network(network: Any) -> Network:
    """Return the network as a list of float (W, b) pairs with matching shapes."""
    try:
        layers = list(network)
    except TypeError:
        raise ValueError(f"network must be a list of (W, b) pairs, got {type(network).__name__}") from None
    if not layers:
        raise ValueError("network must have at least one layer, got an empty list")
    checked = []
    for l, layer in enumerate(layers, start=1):
        if not isinstance(layer, (tuple, list)) or len(layer) != 2:
            raise ValueError(f"network layer {l} must be a pair (W, b), got {layer!r}")
        W = as_float_array(layer[0], f"W of layer {l}", ndim=2)
        b = as_float_array(layer[1], f"b of layer {l}", ndim=1)
        if b.shape[0] != W.shape[0]:
            raise ValueError(f"b of layer {l} must have length {W.shape[0]} (rows of W), got shape {b.shape}")
        if checked and W.shape[1] != checked[-1][0].shape[0]:
            raise ValueError(
                f"W of layer {l} must have {checked[-1][0].shape[0]} columns "
                f"(the outputs of layer {l - 1}), got shape {W.shape}"
            )
        checked.append((W, b))
    return checked


def _check_inputs(network: Network, X: Any) -> np.ndarray:
    n_in = network[0][0].shape[1]
    X = as_float_array(X, "X", ndim=2)
    if X.shape[1] != n_in:
        raise ValueError(f"X must have {n_in} columns (the network's inputs), got shape {X.shape}")
    return X


def _check_targets(network: Network, X: np.ndarray, Y: Any) -> np.ndarray:
    n_out = network[-1][0].shape[0]
    Y = as_float_array(Y, "Y", ndim=2)
    if Y.shape[1] != n_out:
        raise ValueError(f"Y must have {n_out} columns (the network's outputs), got shape {Y.shape}")
    check_same_length(X, "X", Y, "Y")
    return Y


def _activations(network: Network, X: np.ndarray) -> list[np.ndarray]:
    """Activations of every layer, the input ``X`` first (no checks)."""
    activations = [X]
    for W, b in network:
        z = activations[-1] @ W.T + b
        activations.append(sigmoid(z))
    return activations


def forward(network: Any, X: Any, *, all_layers: bool = False) -> np.ndarray | list[np.ndarray]:
    r"""Feed a batch of inputs forward through the network.

    .. math::
        \mathbf a^{(0)} = \mathbf x, \qquad
        \mathbf a^{(l)} = \sigma\bigl(W^{(l)} \mathbf a^{(l-1)} + \mathbf b^{(l)}\bigr),
        \quad l = 1, \dots, L.

    Parameters
    ----------
    network : list of (W, b)
        As made by :func:`init_network`.
    X : array_like, shape (N, n_in)
        One input per row.
    all_layers : bool
        Return the activations of every layer (what backpropagation needs)
        instead of only the output.

    Returns
    -------
    ndarray, shape (N, n_out), or list of ndarray
        The output :math:`\mathbf a^{(L)}` for every sample; with
        ``all_layers=True`` the list :math:`[\mathbf a^{(0)}, \dots, \mathbf a^{(L)}]`,
        the input first, each of shape (N, n_l).

    Raises
    ------
    ValueError
        If the network's shapes do not chain, or ``X`` is not a finite 2-D
        array with one column per input neuron.

    Examples
    --------
    >>> net = [(np.zeros((2, 1)), np.zeros(2))]
    >>> forward(net, [[1.0]]).tolist()
    [[0.5, 0.5]]
    """
    network = _check_network(network)
    X = _check_inputs(network, X)
    activations = _activations(network, X)
    return activations if all_layers else activations[-1]


def cost(network: Any, X: Any, Y: Any) -> float:
    r"""The mean squared distance between the network's outputs and the targets.

    .. math::
        C = \frac{1}{N} \sum_{n=1}^{N} \bigl\lVert \mathbf a^{(L)}(\mathbf x_n) - \mathbf y_n \bigr\rVert^2 .

    Parameters
    ----------
    network : list of (W, b)
    X : array_like, shape (N, n_in)
        Inputs, one per row.
    Y : array_like, shape (N, n_out)
        Targets, one per row.

    Returns
    -------
    float
        :math:`C`.

    Raises
    ------
    ValueError
        If the shapes do not fit the network or each other, or the data hold
        NaN or infinity.
    """
    network = _check_network(network)
    X = _check_inputs(network, X)
    Y = _check_targets(network, X, Y)
    with np.errstate(over="ignore", invalid="ignore"):
        return check_in_range(_cost(network, X, Y), "Y")


def _cost(network: Network, X: np.ndarray, Y: np.ndarray) -> float:
    output = _activations(network, X)[-1]
    return float(np.sum((output - Y) ** 2) / X.shape[0])


def backprop(network: Any, X: Any, Y: Any) -> Network:
    r"""The gradient of :func:`cost` with respect to every weight and bias.

    Going backwards from the output layer, with :math:`\odot` the elementwise
    product and one sample per row,

    .. math::
        \boldsymbol\delta^{(L)} &= \frac{2}{N}\bigl(\mathbf a^{(L)} - \mathbf y\bigr)
            \odot \sigma'\bigl(\mathbf z^{(L)}\bigr), \\
        \boldsymbol\delta^{(l-1)} &= \bigl(W^{(l)\top} \boldsymbol\delta^{(l)}\bigr)
            \odot \sigma'\bigl(\mathbf z^{(l-1)}\bigr), \\
        \frac{\partial C}{\partial W^{(l)}} &= \sum_n \boldsymbol\delta^{(l)}_n \,
            \mathbf a^{(l-1)\top}_n, \qquad
        \frac{\partial C}{\partial \mathbf b^{(l)}} = \sum_n \boldsymbol\delta^{(l)}_n ,

    where :math:`\boldsymbol\delta^{(l)} = \partial C / \partial \mathbf z^{(l)}`
    and :math:`\sigma'(\mathbf z^{(l)}) = \mathbf a^{(l)} \odot (1 - \mathbf a^{(l)})`.

    Parameters
    ----------
    network : list of (W, b)
    X : array_like, shape (N, n_in)
    Y : array_like, shape (N, n_out)

    Returns
    -------
    list of (dW, db)
        The same structure as ``network``: ``dW`` has the shape of ``W`` and
        ``db`` that of ``b``.

    Raises
    ------
    ValueError
        As for :func:`cost`.
    """
    network = _check_network(network)
    X = _check_inputs(network, X)
    Y = _check_targets(network, X, Y)
    return _backprop(network, X, Y)


def _backprop(network: Network, X: np.ndarray, Y: np.ndarray) -> Network:
    return _backward(network, _activations(network, X), Y)


def _backward(network: Network, activations: list[np.ndarray], Y: np.ndarray) -> Network:
    """The backward pass: the cost's gradients from every layer's activations."""
    N = Y.shape[0]
    a_L = activations[-1]
    # delta = dC/dz of the output layer, one row per sample: shape (N, n_out).
    delta = 2.0 / N * (a_L - Y) * a_L * (1.0 - a_L)
    gradients = []
    for l in range(len(network) - 1, -1, -1):                     # layers L, ..., 1
        W, a_prev = network[l][0], activations[l]
        gradients.append((delta.T @ a_prev, delta.sum(axis=0)))  # dC/dW, dC/db
        if l > 0:                                                 # the input layer has no z
            delta = (delta @ W) * a_prev * (1.0 - a_prev)         # dC/dz one layer down
    return gradients[::-1]


def train(network: Any, X: Any, Y: Any, *, learning_rate: float, epochs: int,
          momentum: float = 0.0, snapshots: Sequence[int] = ()) -> Result:
    r"""Train a network by full-batch gradient descent (optionally with momentum).

    Each epoch computes the gradient of :func:`cost` over all samples by
    :func:`backprop` and takes one step,

    .. math::
        \mathbf v \leftarrow \mu \mathbf v - \eta \nabla C, \qquad
        \boldsymbol\theta \leftarrow \boldsymbol\theta + \mathbf v ,

    for every weight and bias :math:`\boldsymbol\theta`, with learning rate
    :math:`\eta` and momentum :math:`\mu` (plain gradient descent when
    :math:`\mu = 0`).

    Parameters
    ----------
    network : list of (W, b)
        The starting network; it is not modified.
    X : array_like, shape (N, n_in)
    Y : array_like, shape (N, n_out)
    learning_rate : float
        The step size :math:`\eta > 0`.
    epochs : int
        Number of gradient steps.
    momentum : float
        :math:`\mu` in :math:`[0, 1)`.
    snapshots : sequence of int
        Epochs (between 0 and ``epochs``) after which to keep a copy of the
        network, for watching it learn.

    Returns
    -------
    Result
        ``network`` (also ``x``): the trained network; ``cost``: array of
        shape (epochs + 1,) with the cost before training and after every
        step; ``nit``: the number of epochs; ``success``: whether the final
        cost is below the initial one; ``snapshots``: a dict from each
        requested epoch to a copy of the network after that many steps.

    Raises
    ------
    ValueError
        As for :func:`cost`; also if ``learning_rate`` is not positive,
        ``epochs`` not a positive integer, or ``momentum`` outside
        :math:`[0, 1)`, or a snapshot epoch is not an integer in
        ``[0, epochs]``.
    """
    network = _check_network(network)
    X = _check_inputs(network, X)
    Y = _check_targets(network, X, Y)
    eta = check_number(learning_rate, "learning_rate", low=0.0, low_open=True)
    epochs = check_positive_int(epochs, "epochs")
    mu = check_number(momentum, "momentum", low=0.0, high=1.0, high_open=True)
    if isinstance(snapshots, (str, bytes)) or not hasattr(snapshots, "__iter__"):
        raise ValueError(f"snapshots must be a sequence of epochs, got {snapshots!r:.60}")
    keep = {check_positive_int(e, "snapshots", minimum=0) for e in snapshots}
    if keep and max(keep) > epochs:
        raise ValueError(f"snapshots must be epochs between 0 and {epochs}, got {max(keep)}")
    with np.errstate(over="ignore", invalid="ignore"):  # targets so large that the cost overflows
        check_in_range(_cost(network, X, Y), "Y")

    return _train(network, X, Y, eta, epochs, mu, keep)


def _train(network: Network, X: np.ndarray, Y: np.ndarray, eta: float, epochs: int, mu: float,
           keep: set[int]) -> Result:
    """The training loop of :func:`train`: backprop and a momentum step per epoch (no checks)."""
    network = [(W.copy(), b.copy()) for W, b in network]
    velocity = [(np.zeros_like(W), np.zeros_like(b)) for W, b in network]
    history = np.empty(epochs + 1)
    saved = {0: [(W.copy(), b.copy()) for W, b in network]} if 0 in keep else {}
    for epoch in range(1, epochs + 1):
        activations = _activations(network, X)
        history[epoch - 1] = np.sum((activations[-1] - Y) ** 2) / X.shape[0]
        gradients = _backward(network, activations, Y)
        for (W, b), (vW, vb), (dW, db) in zip(network, velocity, gradients):
            vW *= mu
            vW -= eta * dW                                # v <- mu v - eta dC/dW
            vb *= mu
            vb -= eta * db
            W += vW                                       # theta <- theta + v
            b += vb
        if epoch in keep:
            saved[epoch] = [(W.copy(), b.copy()) for W, b in network]
    history[epochs] = _cost(network, X, Y)
    return Result(x=network, network=network, cost=history, nit=epochs,
                  success=bool(history[-1] < history[0]), snapshots=saved)


def heart_curve(t: Any) -> np.ndarray:
    r"""Points of a heart-shaped closed curve, scaled into the unit square.

    The classic heart curve, for :math:`s = 2\pi t`,

    .. math::
        x = 16 \sin^3 s, \qquad
        y = 13 \cos s - 5 \cos 2s - 2 \cos 3s - \cos 4s,

    is shifted and scaled (equally in both directions) so that both coordinates
    lie in :math:`[0.1, 0.9]`,
    inside the range :math:`(0, 1)` of a sigmoid output. The curve closes:
    :math:`t = 0` and :math:`t = 1` give the same point.

    Parameters
    ----------
    t : float or array_like, shape (N,)
        The curve's parameter, usually in :math:`[0, 1]`.

    Returns
    -------
    ndarray, shape (2,) or (N, 2)
        The point :math:`(x, y)` for each :math:`t`.

    Raises
    ------
    ValueError
        If ``t`` holds NaN or infinity or has more than one dimension.

    Examples
    --------
    >>> heart_curve(0.0).round(3).tolist()
    [0.5, 0.688]
    """
    t = as_float_array(t, "t", ndim=(0, 1))
    t = np.where(np.abs(t) < 2.0**52, t, 0.0)  # the curve has period 1, and such t are whole numbers
    s = 2.0 * np.pi * t
    x = 16.0 * np.sin(s) ** 3
    y = 13.0 * np.cos(s) - 5.0 * np.cos(2 * s) - 2.0 * np.cos(3 * s) - np.cos(4 * s)
    # x spans [-16, 16] and y a little less; one common scale keeps the shape.
    x = 0.5 + 0.8 * x / 32.0
    y = 0.5 + 0.8 * (y - (_Y_MIN + _Y_MAX) / 2.0) / 32.0
    return np.stack([x, y], axis=-1)


def _heart_y_range() -> tuple[float, float]:
    s = np.linspace(0.0, 2.0 * np.pi, 200_001)
    y = 13.0 * np.cos(s) - 5.0 * np.cos(2 * s) - 2.0 * np.cos(3 * s) - np.cos(4 * s)
    return float(y.min()), float(y.max())


_Y_MIN, _Y_MAX = _heart_y_range()
