r"""Summary statistics of a data set: mean, variance and covariance.

A data set is an (N, D) matrix :math:`X` with one sample
:math:`\mathbf x_n \in \mathbb R^D` per row. Following the course, the
covariance divides by :math:`N` (the maximum-likelihood estimate), not by
:math:`N - 1` as ``numpy.cov`` does by default.

The loop versions (:func:`mean_loop`, :func:`covariance_loop`) spell out the
sums one sample at a time, as the chapter teaches them; the vectorised
versions (:func:`mean`, :func:`covariance`) compute the same numbers with
matrix operations.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from mmlbook._checks import checked, data, homogeneous, in_range, matrix, symmetric, vector

__all__ = [
    "affine_covariance",
    "affine_mean",
    "covariance",
    "covariance_loop",
    "mean",
    "mean_loop",
    "variance",
]


@checked(X=data)
@homogeneous(X=1)  # the mean of c X is c times the mean of X
def mean(X: Any) -> np.ndarray:
    r"""Mean of a data set, vectorised.

    .. math:: \boldsymbol\mu = \frac1N \sum_{n=1}^N \mathbf x_n
              = \frac1N X^\top \mathbf 1 .

    Parameters
    ----------
    X : array_like, shape (N, D)
        Data matrix, one sample per row.

    Returns
    -------
    numpy.ndarray, shape (D,)
        The mean sample.

    Raises
    ------
    ValueError
        If ``X`` is not a non-empty, finite 2-D array.

    Examples
    --------
    >>> mean([[1.0, 2.0], [3.0, 6.0]]).tolist()
    [2.0, 4.0]
    """
    N = X.shape[0]
    return X.sum(axis=0) / N


@checked(X=data)
@homogeneous(X=1)
def mean_loop(X: Any) -> np.ndarray:
    r"""Mean of a data set, one sample at a time.

    The same sum as :func:`mean`, written as a running total:
    :math:`\mathbf s \leftarrow \mathbf s + \mathbf x_n` for
    :math:`n = 1, \dots, N`, then :math:`\boldsymbol\mu = \mathbf s / N`.

    Parameters
    ----------
    X : array_like, shape (N, D)
        Data matrix, one sample per row.

    Returns
    -------
    numpy.ndarray, shape (D,)

    Raises
    ------
    ValueError
        If ``X`` is not a non-empty, finite 2-D array.

    Examples
    --------
    >>> mean_loop([[1.0, 2.0], [3.0, 6.0]]).tolist()
    [2.0, 4.0]
    """
    N, D = X.shape
    total = np.zeros(D)
    for n in range(N):
        total += X[n]
    return total / N


@checked(X=data)
@homogeneous(X=2)  # the covariance of c X is c² times that of X
def covariance(X: Any) -> np.ndarray:
    r"""Covariance matrix of a data set (divided by :math:`N`), vectorised.

    .. math:: S = \frac1N \sum_{n=1}^N (\mathbf x_n - \boldsymbol\mu)
              (\mathbf x_n - \boldsymbol\mu)^\top
              = \frac1N (X - \mathbf 1\boldsymbol\mu^\top)^\top
              (X - \mathbf 1\boldsymbol\mu^\top) .

    Parameters
    ----------
    X : array_like, shape (N, D)
        Data matrix, one sample per row.

    Returns
    -------
    numpy.ndarray, shape (D, D)
        Symmetric positive semi-definite matrix; entry :math:`(i, j)` is the
        covariance of features :math:`i` and :math:`j`, the diagonal holds the
        variances.

    Raises
    ------
    ValueError
        If ``X`` is not a non-empty, finite 2-D array.

    Notes
    -----
    This equals ``numpy.cov(X, rowvar=False, bias=True)``. By default
    ``numpy.cov`` divides by :math:`N - 1` (the unbiased estimate) and treats
    *rows* as variables.

    Examples
    --------
    >>> covariance([[0.0, 0.0], [2.0, 4.0]]).tolist()
    [[1.0, 2.0], [2.0, 4.0]]
    """
    N = X.shape[0]
    Xc = X - X.mean(axis=0)
    return Xc.T @ Xc / N


@checked(X=data)
@homogeneous(X=2)
def covariance_loop(X: Any) -> np.ndarray:
    r"""Covariance matrix of a data set, one sample at a time.

    Accumulates the outer products
    :math:`(\mathbf x_n - \boldsymbol\mu)(\mathbf x_n - \boldsymbol\mu)^\top`
    of the centred samples and divides by :math:`N`; the same numbers as
    :func:`covariance`.

    Parameters
    ----------
    X : array_like, shape (N, D)
        Data matrix, one sample per row.

    Returns
    -------
    numpy.ndarray, shape (D, D)

    Raises
    ------
    ValueError
        If ``X`` is not a non-empty, finite 2-D array.

    Examples
    --------
    >>> covariance_loop([[0.0, 0.0], [2.0, 4.0]]).tolist()
    [[1.0, 2.0], [2.0, 4.0]]
    """
    N, D = X.shape
    mu = mean_loop(X)
    S = np.zeros((D, D))
    for n in range(N):
        d = X[n] - mu
        S += np.outer(d, d)
    return S / N


@checked(X=data)
@homogeneous(X=2)
def variance(X: Any) -> np.ndarray:
    r"""Variance of each feature (divided by :math:`N`): the diagonal of the covariance.

    .. math:: \sigma_d^2 = \frac1N \sum_{n=1}^N (x_{nd} - \mu_d)^2 .

    Parameters
    ----------
    X : array_like, shape (N, D)
        Data matrix, one sample per row.

    Returns
    -------
    numpy.ndarray, shape (D,)

    Raises
    ------
    ValueError
        If ``X`` is not a non-empty, finite 2-D array.

    Examples
    --------
    >>> variance([[0.0, 0.0], [2.0, 4.0]]).tolist()
    [1.0, 4.0]
    """
    N = X.shape[0]
    return ((X - X.mean(axis=0)) ** 2).sum(axis=0) / N


@checked(mean=vector, A=matrix(cols="mean"), b=vector(size="A"))
@in_range("mean", "A", "b")
def affine_mean(mean: Any, A: Any, b: Any) -> np.ndarray:
    r"""Mean of the transformed data :math:`\mathbf y = A\mathbf x + \mathbf b`.

    Because the mean is linear,

    .. math:: \mathbb E[A\mathbf x + \mathbf b] = A\,\mathbb E[\mathbf x] + \mathbf b .

    Parameters
    ----------
    mean : array_like, shape (D,)
        Mean :math:`\boldsymbol\mu` of the original data.
    A : array_like, shape (M, D)
        Linear map.
    b : array_like, shape (M,)
        Shift.

    Returns
    -------
    numpy.ndarray, shape (M,)
        :math:`A\boldsymbol\mu + \mathbf b`.

    Raises
    ------
    ValueError
        If ``mean`` is not a finite vector, ``A`` is not a finite matrix with
        ``D`` columns, or ``b`` is not a finite vector of length ``M``.

    Examples
    --------
    >>> affine_mean([1.0, 2.0], [[2.0, 0.0], [0.0, 3.0]], [1.0, 1.0]).tolist()
    [3.0, 7.0]
    """
    return A @ mean + b


@checked(S=symmetric, A=matrix(cols="S"), b=vector(size="A"))
@homogeneous(S=1, A=2)  # the covariance of c A x is c² A S Aᵀ
def affine_covariance(S: Any, A: Any, b: Any) -> np.ndarray:
    r"""Covariance of the transformed data :math:`\mathbf y = A\mathbf x + \mathbf b`.

    .. math:: \operatorname{Cov}[A\mathbf x + \mathbf b] = A S A^\top .

    The shift :math:`\mathbf b` moves every sample by the same amount, so it
    does not change the covariance. It is still an argument, and is still
    checked (finite, length ``M``), so that the call reads like the
    transformation it describes and matches :func:`affine_mean`.

    Parameters
    ----------
    S : array_like, shape (D, D)
        Covariance of the original data (square and symmetric).
    A : array_like, shape (M, D)
        Linear map.
    b : array_like, shape (M,)
        Shift; validated but not used.

    Returns
    -------
    numpy.ndarray, shape (M, M)
        :math:`A S A^\top`, symmetrised.

    Raises
    ------
    ValueError
        If ``S`` is not a finite, square, symmetric matrix, ``A`` is not a
        finite matrix with ``D`` columns, or ``b`` is not a finite vector of
        length ``M``.

    Examples
    --------
    >>> affine_covariance([[1.0, 0.0], [0.0, 4.0]], [[2.0, 0.0], [0.0, 3.0]], [5.0, 5.0]).tolist()
    [[4.0, 0.0], [0.0, 36.0]]
    """
    C = A @ S @ A.T
    return (C + C.T) / 2  # exactly symmetric despite rounding
