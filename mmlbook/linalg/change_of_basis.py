"""Changing basis, orthogonal matrices and the Einstein summation convention."""

from __future__ import annotations

from typing import Any

import numpy as np

from mmlbook._validation import as_matrix, as_vector, check_number
from mmlbook._validation import check_in_range, extreme_scale, unscale
from mmlbook.exceptions import SingularMatrixError


def _check_basis(B: np.ndarray, name: str) -> None:
    """Raise SingularMatrixError unless the square matrix B has independent columns."""
    if np.linalg.matrix_rank(B) < B.shape[0]:
        raise SingularMatrixError(
            f"{name} must have linearly independent columns to be a basis, "
            f"got rank {np.linalg.matrix_rank(B)} for shape {B.shape}"
        )


def transform_in_basis(T: Any, B: Any) -> np.ndarray:
    r"""The matrix of the transformation ``T`` written in the basis ``B``.

    ``T`` acts on standard coordinates; the columns of ``B`` are the new
    basis vectors, in standard coordinates. To apply ``T`` to a vector given
    by its coordinates :math:`\mathbf c` in basis :math:`B`: translate to
    standard coordinates (:math:`B\mathbf c`), transform (:math:`TB\mathbf c`)
    and translate back (:math:`B^{-1}TB\mathbf c`). So the matrix is

    .. math:: T_B = B^{-1}\, T\, B ,

    and conversely :math:`T = B\, T_B\, B^{-1}`.

    Parameters
    ----------
    T : array_like, shape (n, n)
        The transformation, in standard coordinates.
    B : array_like, shape (n, n)
        The basis vectors, as columns.

    Returns
    -------
    ndarray, shape (n, n)
        :math:`B^{-1} T B`.

    Raises
    ------
    ValueError
        If ``T`` or ``B`` is not a finite square matrix, or their shapes differ.
    SingularMatrixError
        If the columns of ``B`` are linearly dependent.

    Examples
    --------
    >>> transform_in_basis([[2.0, 0.0], [0.0, 1.0]], [[1.0, 1.0], [0.0, 1.0]])
    array([[2., 1.],
           [0., 1.]])
    """
    T = as_matrix(T, "T", square=True)
    B = as_matrix(B, "B", square=True)
    if T.shape != B.shape:
        raise ValueError(f"T and B must have the same shape, got {T.shape} and {B.shape}")
    _check_basis(B, "B")
    t, s = extreme_scale(T), extreme_scale(B)  # work near 1: B^-1 T B scales with T, not with B
    return unscale(np.linalg.solve(B / s, (T / t) @ (B / s)), t, "T, B")


def is_orthogonal(A: Any, tol: float = 1e-10) -> bool:
    r"""Whether ``A`` is an orthogonal matrix, :math:`A^\top A = I`.

    The columns of an orthogonal matrix are orthonormal; it preserves
    lengths and angles, and its inverse is its transpose. The test is
    :math:`\max_{ij} |(A^\top A - I)_{ij}| \le \text{tol}`.

    Parameters
    ----------
    A : array_like, shape (n, m)
        The matrix. A non-square matrix is never orthogonal (its columns can
        be orthonormal, but it has no inverse), so the answer is ``False``.
    tol : float
        Absolute tolerance, ``>= 0``.

    Returns
    -------
    bool

    Raises
    ------
    ValueError
        If ``A`` is not a finite 2-D array or ``tol`` is negative.

    Examples
    --------
    >>> is_orthogonal([[0.6, -0.8], [0.8, 0.6]]), is_orthogonal([[1.0, 1.0], [0.0, 1.0]])
    (True, False)
    """
    A = as_matrix(A, "A", allow_empty=True)
    tol = check_number(tol, "tol", low=0.0)
    if A.shape[0] != A.shape[1]:
        return False
    if A.size == 0:
        return True
    with np.errstate(over="ignore", invalid="ignore"):  # entries near the float range: not orthogonal
        return bool(np.max(np.abs(A.T @ A - np.eye(A.shape[1]))) <= tol)


def matmul_einsum(A: Any, B: Any) -> np.ndarray:
    r"""The matrix product by the Einstein summation convention, as explicit loops.

    The entry in row :math:`i` and column :math:`k` of :math:`AB` is a sum
    over the repeated index :math:`j`,

    .. math:: (AB)_{ik} = \sum_j A_{ij} B_{jk} = A_{ij} B_{jk} ,

    where the last form drops the sum sign, as Einstein did: a repeated index
    is summed over. This is ``np.einsum("ij,jk->ik", A, B)``, written out so
    that every index is a loop.

    Parameters
    ----------
    A : array_like, shape (m, n)
    B : array_like, shape (n, p)

    Returns
    -------
    ndarray, shape (m, p)

    Raises
    ------
    ValueError
        If ``A`` or ``B`` is not a finite 2-D array, or the number of columns
        of ``A`` differs from the number of rows of ``B``.

    Examples
    --------
    >>> matmul_einsum([[1.0, 2.0]], [[3.0], [4.0]])
    array([[11.]])
    """
    A = as_matrix(A, "A", allow_empty=True)
    B = as_matrix(B, "B", allow_empty=True)
    if A.shape[1] != B.shape[0]:
        raise ValueError(
            f"A must have as many columns as B has rows, got shapes {A.shape} and {B.shape}"
        )
    m, n = A.shape
    p = B.shape[1]
    C = np.zeros((m, p))
    with np.errstate(over="ignore", invalid="ignore"):  # an overflow is reported below
        for i in range(m):
            for k in range(p):
                for j in range(n):  # the repeated index: summed over
                    C[i, k] += A[i, j] * B[j, k]
    return check_in_range(C, "A and B")
