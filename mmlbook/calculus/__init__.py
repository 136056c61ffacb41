"""Multivariate Calculus: the worked code of the book's second part."""

from mmlbook.calculus.differentiation import derivative, gradient, hessian, jacobian

__all__ = ["derivative", "gradient", "hessian", "jacobian"]
