r"""Orthogonal projections onto a line and onto a subspace.

A subspace is given by a basis: a single vector :math:`\mathbf b` (a line
through the origin) or the columns of a :math:`D \times M` matrix :math:`B`.
The projection of :math:`\mathbf x` is the point of the subspace closest to
it,

.. math:: \pi(\mathbf x) = B\boldsymbol\lambda, \qquad
          \boldsymbol\lambda = (B^\top B)^{-1} B^\top \mathbf x .

Data matrices are (N, D), one sample per row, so projecting a data matrix
projects every row.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from mmlbook._validation import as_float_array
from mmlbook._validation import pow2_scale, unscale
from mmlbook.exceptions import SingularMatrixError

__all__ = ["projection_coordinates", "projection_matrix", "project"]


def _as_basis(B: Any) -> tuple[np.ndarray, bool]:
    """Check a basis and return it as a (D, M) matrix, and whether it was a single vector.

    Raises ``ValueError`` for a zero vector and ``SingularMatrixError`` for a
    matrix whose columns are linearly dependent.
    """
    B = as_float_array(B, "B", ndim=(1, 2))
    if B.ndim == 1:
        if not np.any(B):
            raise ValueError("B must not be the zero vector: a line needs a direction")
        return B[:, np.newaxis], True
    D, M = B.shape
    rank = np.linalg.matrix_rank(B)
    if rank < M:
        raise SingularMatrixError(
            f"B must have linearly independent columns, got shape {(D, M)} with rank {rank}, "
            "so B^T B has no inverse"
        )
    return B, False


def _as_points(x: Any, D: int) -> np.ndarray:
    """Check that ``x`` is a vector of length D or an (N, D) data matrix."""
    x = as_float_array(x, "x", ndim=(1, 2))
    if x.shape[-1] != D:
        raise ValueError(
            f"x must have {D} entries (or {D} columns), the length of the basis vectors in B, "
            f"got shape {x.shape}"
        )
    return x


def projection_matrix(B: Any) -> np.ndarray:
    r"""The matrix of the orthogonal projection onto a line or a subspace.

    .. math:: P = \frac{\mathbf b \mathbf b^\top}{\lVert \mathbf b \rVert^2}
              \quad\text{(a line)}, \qquad
              P = B (B^\top B)^{-1} B^\top \quad\text{(the column space of } B\text{)}.

    Parameters
    ----------
    B : array_like, shape (D,) or (D, M)
        A non-zero vector spanning a line, or a matrix whose M linearly
        independent columns span a subspace of :math:`\mathbb R^D`.

    Returns
    -------
    P : ndarray, shape (D, D)
        Symmetric (:math:`P^\top = P`) and idempotent (:math:`P^2 = P`), of
        rank M.

    Raises
    ------
    ValueError
        If ``B`` is not a vector or a matrix, is not finite, or is the zero
        vector.
    SingularMatrixError
        If the columns of ``B`` are linearly dependent (:math:`B^\top B` is
        singular).

    Examples
    --------
    >>> projection_matrix([1.0, 1.0])
    array([[0.5, 0.5],
           [0.5, 0.5]])
    """
    B, is_line = _as_basis(B)
    B = B / pow2_scale(B)  # P does not depend on the scale of B
    if is_line:
        b = B[:, 0]
        return np.outer(b, b) / (b @ b)
    return B @ np.linalg.solve(B.T @ B, B.T)


def projection_coordinates(x: Any, B: Any) -> np.ndarray | float:
    r"""Coordinates of the projection of ``x`` with respect to the basis ``B``.

    .. math:: \boldsymbol\lambda = (B^\top B)^{-1} B^\top \mathbf x ,
              \qquad \lambda = \frac{\mathbf b^\top \mathbf x}{\lVert \mathbf b \rVert^2}
              \quad\text{(a line)}.

    These solve the *normal equations* :math:`B^\top B \boldsymbol\lambda =
    B^\top \mathbf x`, so they are also the least-squares solution of
    :math:`B\boldsymbol\lambda \approx \mathbf x`.

    Parameters
    ----------
    x : array_like, shape (D,) or (N, D)
        A vector, or a data matrix with one vector per row.
    B : array_like, shape (D,) or (D, M)
        A non-zero vector (a line) or a matrix with linearly independent
        columns (a subspace).

    Returns
    -------
    lam : float or ndarray
        For a line: a float (vector ``x``) or shape (N,) (data matrix).
        For a subspace: shape (M,) (vector ``x``) or (N, M) (data matrix).

    Raises
    ------
    ValueError
        If ``x`` or ``B`` has the wrong shape, is not finite, or ``B`` is the
        zero vector.
    SingularMatrixError
        If the columns of ``B`` are linearly dependent.

    Examples
    --------
    >>> projection_coordinates([2.0, 0.0], [1.0, 1.0])
    1.0
    """
    B, is_line = _as_basis(B)
    x = _as_points(x, B.shape[0])
    b_scale, x_scale = pow2_scale(B), pow2_scale(x)  # coordinates scale like x and like 1 / B
    B, x = B / b_scale, x / x_scale
    # Rows of x are points, so solve for all of them at once: (B^T B) Lambda^T = B^T x^T.
    lam = np.linalg.solve(B.T @ B, B.T @ x.T).T
    lam = unscale(unscale(lam, x_scale, "x"), 1.0 / b_scale, "B")
    if is_line:
        return float(lam[0]) if x.ndim == 1 else lam[:, 0]
    return lam


def project(x: Any, B: Any) -> np.ndarray:
    r"""Orthogonal projection of ``x`` onto a line or the column space of ``B``.

    .. math:: \pi(\mathbf x) = B\boldsymbol\lambda = B (B^\top B)^{-1} B^\top \mathbf x ,
              \qquad \pi(\mathbf x) = \frac{\mathbf b \mathbf b^\top}{\lVert \mathbf b \rVert^2}\mathbf x
              \quad\text{(a line)}.

    The residual :math:`\mathbf x - \pi(\mathbf x)` is orthogonal to every
    vector of the subspace, and :math:`\pi(\mathbf x)` is the point of the
    subspace closest to :math:`\mathbf x`.

    Parameters
    ----------
    x : array_like, shape (D,) or (N, D)
        A vector, or a data matrix whose N rows are projected one by one.
    B : array_like, shape (D,) or (D, M)
        A non-zero vector (a line) or a matrix with linearly independent
        columns (a subspace).

    Returns
    -------
    ndarray, same shape as ``x``
        The projection (of every row, for a data matrix).

    Raises
    ------
    ValueError
        If ``x`` or ``B`` has the wrong shape, is not finite, or ``B`` is the
        zero vector.
    SingularMatrixError
        If the columns of ``B`` are linearly dependent.

    Notes
    -----
    The D x D projection matrix is never formed: the coordinates
    :math:`\boldsymbol\lambda` are found first, which costs far less when D is
    large (an image with hundreds of pixels).

    Examples
    --------
    >>> project([2.0, 0.0], [1.0, 1.0])
    array([1., 1.])
    """
    B, _ = _as_basis(B)
    x = _as_points(x, B.shape[0])
    B, scale = B / pow2_scale(B), pow2_scale(x)  # the projection is linear in x, independent of B's scale
    x = x / scale
    lam = np.linalg.solve(B.T @ B, B.T @ x.T)  # (M,) or (M, N)
    return unscale((B @ lam).T, scale, "x")
