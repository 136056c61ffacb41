"""Multivariate Calculus: the worked code of the book's second part."""

from mmlbook.calculus.autodiff import Dual, Value, cross_entropy, softmax
from mmlbook.calculus.differentiation import derivative, gradient, hessian, jacobian
from mmlbook.calculus.neural_network import (
    backprop, cost, forward, heart_curve, init_network, sigmoid, sigmoid_prime, train,
)

from mmlbook.calculus.heights import Heights, load_heights
from mmlbook.calculus.optimize import (
    ZeroDerivativeError, gradient_descent, hybrid_minimize, hybrid_step, lagrange_multipliers, newton_minimize,
    newton_raphson, steepest_descent,
)
from mmlbook.calculus.regression import (
    chi_squared, fit_nonlinear, gaussian, gaussian_jacobian, least_squares, linear_fit,
)
from mmlbook.calculus.taylor import (
    linearise, maclaurin_series, taylor2, taylor_approx, taylor_coefficients, taylor_polynomial,
)

__all__ = ["derivative", "gradient", "hessian", "jacobian",
           "Heights", "load_heights",
           "ZeroDerivativeError", "gradient_descent", "hybrid_minimize", "lagrange_multipliers",
           "newton_minimize", "newton_raphson",
           "chi_squared", "fit_nonlinear", "gaussian", "gaussian_jacobian", "least_squares", "linear_fit",
           "linearise", "maclaurin_series", "taylor2", "taylor_approx", "taylor_coefficients",
           "taylor_polynomial",
           "backprop", "cost", "forward", "heart_curve", "init_network", "sigmoid", "sigmoid_prime", "train",
           "Value", "Dual", "softmax", "cross_entropy", "hybrid_step", "steepest_descent"]
