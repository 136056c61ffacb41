r"""The singular value decomposition :math:`A = U\Sigma V^\top`, built from the spectral theorem.

The chapter on the SVD derives it from the spectral decomposition of the
symmetric matrix :math:`A^\top A`, and :func:`svd` computes it exactly that
way, so that the reader can see the derivation run, and see its price:
forming :math:`A^\top A` squares the condition number, so singular values
below about :math:`\sqrt{\varepsilon}\,\sigma_1` are lost (the tests and the
chapter measure it against :func:`numpy.linalg.svd`, which never forms
:math:`A^\top A`).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from mmlbook._checks import checked, homogeneous, matrix
from mmlbook.linalg.reflection import householder_qr
from mmlbook.linalg.spectral import spectral_decomposition

__all__ = ["svd", "pseudo_inverse"]


def _complete(U_r: np.ndarray, k: int) -> np.ndarray:
    """``k`` orthonormal columns whose first ``r`` are ``U_r``: QR of ``[U_r | I]`` supplies the rest."""
    m, r = U_r.shape
    if r == k:
        return U_r
    Q, _ = householder_qr(np.hstack([U_r, np.eye(m)]))
    return np.hstack([U_r, Q[:, r:k]])


@checked(A=matrix)
@homogeneous(A=1, returns=(0, 1, 0))
def svd(A: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    r"""Singular value decomposition from the spectral decomposition of :math:`A^\top A`.

    :math:`A^\top A` is symmetric and positive semidefinite, so by the spectral
    theorem :math:`A^\top A = V\Lambda V^\top` with orthonormal :math:`V` and
    :math:`\lambda_i \ge 0`. Then

    .. math:: \sigma_i = \sqrt{\lambda_i}, \qquad \mathbf u_i = \frac{A\mathbf v_i}{\sigma_i},
              \qquad A = U\Sigma V^\top = \sum_i \sigma_i \mathbf u_i \mathbf v_i^\top ,

    and the :math:`\mathbf u_i` are orthonormal because
    :math:`\mathbf u_i^\top\mathbf u_j = \mathbf v_i^\top A^\top A\mathbf v_j / (\sigma_i\sigma_j)
    = \lambda_j \mathbf v_i^\top \mathbf v_j / (\sigma_i\sigma_j)`.
    An eigenvalue at most :math:`\max(m, n)\,\varepsilon\,\lambda_1` is rounding error and
    gives :math:`\sigma_i = 0`; the :math:`\mathbf u_i` of zero singular values
    complete :math:`U` to orthonormal columns (by QR). A wide matrix
    (:math:`m < n`) is decomposed through :math:`A^\top = V\Sigma U^\top`, so
    the eigenvalue problem is always the smaller one.

    Forming :math:`A^\top A` squares the condition number: a singular value
    below about :math:`\sqrt{\varepsilon}\,\sigma_1 \approx 10^{-8}\sigma_1` is
    lost in rounding, where :func:`numpy.linalg.svd` (which works on
    :math:`A` itself) keeps it. The vectors :math:`\mathbf u_i = A\mathbf v_i/\sigma_i`
    pay too: dividing by a small :math:`\sigma_i` magnifies the rounding in
    :math:`\mathbf v_i`, so they are orthonormal only to about
    :math:`\varepsilon\,\sigma_1^2/\sigma_r^2` (:math:`\sigma_r` the smallest
    non-zero singular value), not to :math:`\varepsilon`. This is the
    teaching route, not the production one.

    Parameters
    ----------
    A : array_like, shape (m, n)
        Any finite matrix.

    Returns
    -------
    U : ndarray, shape (m, k)
        Orthonormal left singular vectors as columns, :math:`k = \min(m, n)`.
    s : ndarray, shape (k,)
        Singular values :math:`\sigma_1 \ge \dots \ge \sigma_k \ge 0`.
    Vt : ndarray, shape (k, n)
        Orthonormal right singular vectors as rows, so that
        ``A ≈ U @ np.diag(s) @ Vt``, the shapes of
        ``numpy.linalg.svd(A, full_matrices=False)``. The eigenvectors of
        the smaller of :math:`A^\top A` and :math:`AA^\top` are orthonormal to
        rounding; the other factor (``U`` for a tall matrix, ``Vt`` for a
        wide one) only to about :math:`\varepsilon\,\sigma_1^2/\sigma_r^2`.

    Raises
    ------
    ValueError
        If ``A`` is not a non-empty finite 2-D array.

    References
    ----------
    Deisenroth, Faisal and Ong, *Mathematics for Machine Learning*, section 4.5.
    Trefethen and Bau, *Numerical Linear Algebra*, lecture 31 (why not :math:`A^\top A`).

    Examples
    --------
    >>> U, s, Vt = svd([[3.0, 0.0], [4.0, 5.0]])
    >>> s.round(6)
    array([6.708204, 2.236068])
    """
    if A.shape[0] < A.shape[1]:                      # wide: decompose A^T = V S U^T instead
        V, s, Ut = svd(A.T)
        return Ut.T, s, V.T
    lam, V = spectral_decomposition(A.T @ A)         # A^T A = V Lambda V^T, lambda_1 >= ... >= 0
    r = int(np.sum(lam > max(A.shape) * np.finfo(float).eps * lam[0]))   # the non-zero sigma_i
    s = np.zeros(len(lam))
    s[:r] = np.sqrt(lam[:r])
    U_r = A @ V[:, :r] / s[:r]                        # u_i = A v_i / sigma_i
    U = _complete(U_r, A.shape[1])                   # orthonormal columns for the zero sigma_i
    return U, s, V.T


@checked(A=matrix)
@homogeneous(A=-1)
def pseudo_inverse(A: Any) -> np.ndarray:
    r"""The Moore-Penrose pseudo-inverse :math:`A^+ = V\Sigma^+U^\top`, from :func:`svd`.

    .. math:: A^+ = \sum_{\sigma_i > 0} \frac{1}{\sigma_i}\, \mathbf v_i \mathbf u_i^\top .

    :math:`A^+\mathbf b` is the least-squares solution of
    :math:`A\mathbf x = \mathbf b` of smallest length: it minimises
    :math:`\lVert A\mathbf x - \mathbf b\rVert`, and among the minimisers
    :math:`\lVert\mathbf x\rVert`. For an invertible :math:`A`,
    :math:`A^+ = A^{-1}`.

    Parameters
    ----------
    A : array_like, shape (m, n)
        Any finite matrix.

    Returns
    -------
    ndarray, shape (n, m)
        The pseudo-inverse. Singular values that :func:`svd` rounds to zero
        (below about :math:`\sqrt{\max(m, n)\varepsilon}\,\sigma_1`) are left out.

    Raises
    ------
    ValueError
        If ``A`` is not a non-empty finite 2-D array.

    References
    ----------
    Strang, *Introduction to Linear Algebra*, section 7.4.

    Examples
    --------
    >>> pseudo_inverse([[1.0, 1.0], [1.0, 1.0]])
    array([[0.25, 0.25],
           [0.25, 0.25]])
    """
    U, s, Vt = svd(A)
    keep = s > 0                                     # only the non-zero singular values invert
    return Vt[keep].T @ np.diag(1 / s[keep]) @ U[:, keep].T
