"""Multivariate Calculus: the worked code of the book's second part."""

from mmlbook.calculus.differentiation import derivative, gradient, hessian, jacobian
from mmlbook.calculus.neural_network import (
    backprop, cost, forward, heart_curve, init_network, sigmoid, sigmoid_prime, train,
)

__all__ = ["derivative", "gradient", "hessian", "jacobian",
           "backprop", "cost", "forward", "heart_curve", "init_network", "sigmoid", "sigmoid_prime", "train"]
