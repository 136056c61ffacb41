"""Changing basis, orthogonal matrices and the Einstein summation convention."""

from __future__ import annotations

from typing import Any

import numpy as np

from mmlbook._checks import Spec, checked, homogeneous, in_range, matrix, number, square
from mmlbook.exceptions import SingularMatrixError


def _check_basis(B: Any, name: str, args: dict, like: str | None = None) -> np.ndarray:
    B = square(B, name, args)
    if like is not None and args[like].shape != B.shape:
        raise ValueError(f"{like} and {name} must have the same shape, got {args[like].shape} and {B.shape}")
    rank = np.linalg.matrix_rank(B)
    if rank < B.shape[0]:
        raise SingularMatrixError(
            f"{name} must have linearly independent columns to be a basis, "
            f"got rank {rank} for shape {B.shape}"
        )
    return B


#: The spec of a basis: a square matrix with linearly independent columns (``like``: the shape of that argument).
basis = Spec(_check_basis)


def _check_factor(B: Any, name: str, args: dict, of: str = "A") -> np.ndarray:
    B = matrix(allow_empty=True)(B, name, args)
    if args[of].shape[1] != B.shape[0]:
        raise ValueError(f"{of} must have as many columns as {name} has rows, "
                         f"got shapes {args[of].shape} and {B.shape}")
    return B


@checked(T=square, B=basis(like="T"))
@homogeneous(T=1, B=0)  # B^-1 T B scales with T, not with B
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
    return np.linalg.solve(B, T @ B)  # B^-1 (T B), without forming B^-1


@checked(A=matrix(allow_empty=True), tol=number(low=0))
@in_range("A")  # entries near the float range: A^T A overflows, and A is not orthogonal
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
    if A.shape[0] != A.shape[1]:
        return False
    if A.size == 0:
        return True
    return bool(np.max(np.abs(A.T @ A - np.eye(A.shape[1]))) <= tol)


@checked(A=matrix(allow_empty=True), B=Spec(_check_factor, of="A"))
@in_range("A", "B")
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
    m, n = A.shape
    p = B.shape[1]
    C = np.zeros((m, p))
    for i in range(m):
        for k in range(p):
            for j in range(n):  # the repeated index: summed over
                C[i, k] += A[i, j] * B[j, k]
    return C
