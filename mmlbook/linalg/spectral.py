"""Symmetric matrices: the spectral decomposition and definiteness."""

from __future__ import annotations

from typing import Any

import numpy as np

from mmlbook._checks import Spec, checked, homogeneous, number, square
from mmlbook._validation import pow2_scale

SYMMETRY_TOL = 1e-10


def _check_symmetric(A: Any, name: str, args: dict) -> np.ndarray:
    """``A`` as a float array, after checking it is square and symmetric.

    Symmetry is judged relative to the largest entry (on ``A`` scaled by a power
    of two, so ``A - A^T`` cannot overflow).
    """
    A = square(A, name, args)
    scale = pow2_scale(A)
    gap = float(np.abs(A / scale - A.T / scale).max())
    if gap > SYMMETRY_TOL:
        raise ValueError(f"{name} must be symmetric, got max |{name} - {name}^T| = {gap * scale:.3g} "
                         f"(relative to the largest entry: {gap:.3g})")
    return A


#: The spec of a symmetric matrix: square, finite, and equal to its transpose up to ``SYMMETRY_TOL``.
symmetric = Spec(_check_symmetric)


@checked(A=symmetric)
@homogeneous(A=1, returns=(1, 0))  # the eigenvalues scale with A, the eigenvectors do not
def spectral_decomposition(A: Any) -> tuple[np.ndarray, np.ndarray]:
    r"""Eigenvalues and orthonormal eigenvectors of a symmetric matrix, :math:`A = Q\Lambda Q^\top`.

    A real symmetric matrix has real eigenvalues and an orthonormal basis of
    eigenvectors (the spectral theorem), so

    .. math:: A = Q \Lambda Q^\top = \sum_i \lambda_i \mathbf q_i \mathbf q_i^\top,
              \qquad Q^\top Q = I .

    The eigenvalues come from :func:`numpy.linalg.eigh`, sorted from the
    largest to the smallest, and each eigenvector's sign is chosen so that
    its entry of largest absolute value is positive, so printed results do
    not flip between platforms.

    Parameters
    ----------
    A : array_like, shape (n, n)
        A finite symmetric matrix.

    Returns
    -------
    lam : ndarray, shape (n,)
        The eigenvalues :math:`\lambda_1 \ge \dots \ge \lambda_n`.
    Q : ndarray, shape (n, n)
        The orthonormal eigenvectors, as columns, in the same order.

    Raises
    ------
    ValueError
        If ``A`` is not a finite square matrix or not symmetric.

    References
    ----------
    Deisenroth, Faisal and Ong, *Mathematics for Machine Learning*, theorem 4.15.

    Examples
    --------
    >>> lam, Q = spectral_decomposition([[2.0, 1.0], [1.0, 2.0]])
    >>> lam
    array([3., 1.])
    """
    lam, Q = np.linalg.eigh((A + A.T) / 2)
    order = np.argsort(lam)[::-1]
    lam, Q = lam[order], Q[:, order]
    biggest = np.abs(Q).argmax(axis=0)
    Q = Q * np.sign(Q[biggest, np.arange(Q.shape[1])])
    return lam, Q


@checked(A=symmetric, tol=number(low=0))
@homogeneous(A=0, returns=0)  # the signs of the eigenvalues do not depend on the scale
def definiteness(A: Any, *, tol: float = 1e-10) -> str:
    r"""Classify a symmetric matrix by the signs of its quadratic form :math:`\mathbf x^\top A\mathbf x`.

    By the spectral theorem :math:`\mathbf x^\top A \mathbf x = \sum_i \lambda_i (\mathbf q_i^\top \mathbf x)^2`,
    so the signs of the eigenvalues decide: all :math:`> 0` positive definite,
    all :math:`\ge 0` positive semidefinite, all :math:`< 0` negative
    definite, all :math:`\le 0` negative semidefinite, both signs indefinite.

    Parameters
    ----------
    A : array_like, shape (n, n)
        A finite symmetric matrix.
    tol : float, keyword-only
        An eigenvalue of size at most ``tol`` times the largest one counts as zero.

    Returns
    -------
    str
        One of ``"positive definite"``, ``"positive semidefinite"``,
        ``"negative definite"``, ``"negative semidefinite"``, ``"indefinite"``
        (and ``"zero"`` for the zero matrix).

    Raises
    ------
    ValueError
        If ``A`` is not a finite symmetric matrix, or ``tol`` is negative.

    Examples
    --------
    >>> definiteness([[2.0, 1.0], [1.0, 2.0]])
    'positive definite'
    >>> definiteness([[1.0, 1.0], [1.0, 1.0]])
    'positive semidefinite'
    """
    lam = np.linalg.eigvalsh((A + A.T) / 2)
    small = tol * float(np.abs(lam).max())
    pos, neg = bool((lam > small).any()), bool((lam < -small).any())
    zero = bool((np.abs(lam) <= small).any())
    if pos and neg:
        return "indefinite"
    if pos:
        return "positive semidefinite" if zero else "positive definite"
    if neg:
        return "negative semidefinite" if zero else "negative definite"
    return "zero"
