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

from mmlbook._checks import _max_abs, array, checked, homogeneous
from mmlbook.exceptions import SingularMatrixError

__all__ = ["projection_coordinates", "projection_matrix", "project"]


def basis(B: Any, name: str, args: dict) -> np.ndarray:
    r"""The check of ``B``: a non-zero vector (a line) or a (D, M) matrix of independent columns.

    Independent in floating point: the columns' condition number must leave
    :math:`B^\top B` invertible, :math:`(\sigma_M / \sigma_1)^2 > M\varepsilon`.
    """
    B = array(B, name, args, ndim=(1, 2))
    if B.ndim == 1:
        if not np.any(B):
            raise ValueError(f"{name} must not be the zero vector: a line needs a direction")
        return B
    D, M = B.shape
    s = np.linalg.svd(B / _max_abs(B) if np.any(B) else B, compute_uv=False)
    if M > D or s[-1] == 0 or (s[-1] / s[0]) ** 2 <= M * np.finfo(float).eps:
        rank = int(np.sum(s > s[0] * max(B.shape) * np.finfo(float).eps)) if s[0] > 0 else 0
        raise SingularMatrixError(
            f"{name} must have linearly independent columns, got shape {(D, M)} with rank {rank}"
            + (" (numerically)" if rank == M else "") + f", so {name}ᵀ{name} has no inverse")
    return B


def points(x: Any, name: str, args: dict) -> np.ndarray:
    """The check of ``x``: a vector of length D or an (N, D) data matrix, D the length of the basis vectors."""
    x = array(x, name, args, ndim=(1, 2))
    D = args["B"].shape[0]
    if x.shape[-1] != D:
        raise ValueError(f"{name} must have {D} entries (or {D} columns), the length of the basis vectors in B, "
                         f"got shape {x.shape}")
    return x


@checked(B=basis)
@homogeneous(B=0, returns=0)  # P does not depend on the scale of B
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
    if B.ndim == 1:                                  # a line: P = b bᵀ / ‖b‖²
        return np.outer(B, B) / (B @ B)
    return B @ np.linalg.solve(B.T @ B, B.T)


@checked(B=basis, x=points)
@homogeneous(x=1, B=-1)  # λ scales like x and like 1 / B
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
    if B.ndim == 1:                                  # a line: λ = bᵀx / ‖b‖²
        lam = x @ B / (B @ B)
        return float(lam) if lam.ndim == 0 else lam
    # Rows of x are points, so solve for all of them at once: (BᵀB) Λᵀ = Bᵀ xᵀ.
    return np.linalg.solve(B.T @ B, B.T @ x.T).T


@checked(B=basis, x=points)
@homogeneous(x=1, B=0)  # linear in x, independent of the scale of B
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
    B = B.reshape(len(B), -1)                        # a single vector b is the basis of a line
    lam = np.linalg.solve(B.T @ B, B.T @ x.T)        # the normal equations: (M,) or (M, N)
    return (B @ lam).T
