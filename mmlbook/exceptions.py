"""Exceptions shared by the whole package.

Errors in the *input* are :class:`ValueError` (raised by
:mod:`mmlbook._validation`); the classes here are for problems that only
show up while computing.
"""

from __future__ import annotations

import numpy as np


class SingularMatrixError(np.linalg.LinAlgError):
    """A matrix that has no inverse was asked to behave as if it had one.

    A subclass of :class:`numpy.linalg.LinAlgError`, so code written against
    numpy's own error catches it too.
    """


class ZeroIterateError(np.linalg.LinAlgError):
    r"""Power iteration reached an iterate :math:`\mathbf x_k` with :math:`M\mathbf x_k = \mathbf 0`.

    The next iterate :math:`M\mathbf x_k / \lVert M\mathbf x_k \rVert` is
    then undefined. :math:`\mathbf x_k` is an eigenvector of :math:`M` with
    eigenvalue 0; whether the iteration gets there depends on the start as
    well as on :math:`M` (a nilpotent :math:`M` gets there from any start), so
    it is an outcome of the computation, not bad input. A subclass of
    :class:`numpy.linalg.LinAlgError`.
    """


class ConvergenceError(RuntimeError):
    """An iterative method gave up before meeting its tolerance.

    Parameters
    ----------
    method : str
        Name of the method that gave up, for the message.
    nit : int
        Iterations performed.
    residual : float
        The last measure of progress the method tested against its tolerance
        (a change between iterates, a gradient norm, a function value ...).
    tol : float, optional
        The tolerance that was not met.
    """

    def __init__(self, method: str, nit: int, residual: float, tol: float | None = None):
        self.method = method
        self.nit = int(nit)
        self.residual = float(residual)
        self.tol = tol
        target = f" (tolerance {tol:g})" if tol is not None else ""
        super().__init__(
            f"{method} did not converge in {self.nit} iterations: "
            f"last residual {self.residual:.3g}{target}"
        )

    def __reduce__(self):
        # Rebuilt from its own arguments, so it survives pickling (multiprocessing, pytest-xdist).
        return (type(self), (self.method, self.nit, self.residual, self.tol))


class NotPositiveDefiniteError(np.linalg.LinAlgError):
    """A symmetric matrix that was to be factored as :math:`LL^\\top` is not positive definite.

    Raised by :func:`mmlbook.linalg.cholesky` when a pivot
    :math:`a_{jj} - \\sum_{k<j} \\ell_{jk}^2` is not positive. A subclass of
    :class:`numpy.linalg.LinAlgError`, as numpy's own ``cholesky`` raises.

    Parameters
    ----------
    index : int
        The 1-based number of the pivot that was not positive.
    pivot : float
        Its value.
    """

    def __init__(self, index: int, pivot: float):
        self.index, self.pivot = int(index), float(pivot)
        super().__init__(f"A is not positive definite: pivot {self.index} is {self.pivot:.3g}")

    def __reduce__(self):
        return (type(self), (self.index, self.pivot))
