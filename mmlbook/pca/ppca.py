r"""Probabilistic PCA: PCA as the maximum-likelihood fit of a latent-variable model.

The model (Tipping and Bishop, 1999) explains each sample by M latent numbers:

.. math:: \mathbf z \sim \mathcal N(\mathbf 0, I_M), \qquad
          \mathbf x = W\mathbf z + \boldsymbol\mu + \boldsymbol\epsilon, \qquad
          \boldsymbol\epsilon \sim \mathcal N(\mathbf 0, \sigma^2 I_D),

so that :math:`\mathbf x \sim \mathcal N(\boldsymbol\mu, C)` with
:math:`C = WW^\top + \sigma^2 I`. Its maximum-likelihood parameters come from
PCA: :math:`W = B(\Lambda - \sigma^2 I)^{1/2}` and :math:`\sigma^2` the mean of
the discarded eigenvalues of the covariance :math:`S` (which divides by N).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import scipy.linalg

from mmlbook._checks import checked, data, in_range, integer, matrix, number, seed, vector
from mmlbook.exceptions import SingularMatrixError
from mmlbook.pca.pca import PCA

__all__ = ["held_out_log_likelihood", "ppca_log_likelihood", "ppca_ml", "ppca_posterior_mean",
           "ppca_sample"]


def _components(M: Any, name: str, args: dict) -> int:
    """M, an integer in 1..min(N, D) for the data X."""
    K = min(args["X"].shape)
    return integer(low=1, high=K)(M, name, args)


def _mean_of_columns(mu: Any, name: str, args: dict) -> np.ndarray:
    """mu, a vector with one entry per column of X."""
    mu = vector(mu, name, args)
    if "X" in args and mu.shape[0] != args["X"].shape[1]:
        raise ValueError(f"{name} must have length {args['X'].shape[1]}, the number of columns of X, "
                         f"got shape {mu.shape}")
    return mu


def _training_data(X: Any, name: str, args: dict) -> np.ndarray:
    """An (N, D) data set whose variances are within the float range (entries below about 1e153)."""
    X = data(X, name, args)
    if X.size and float(np.max(np.abs(X))) >= 2.0**509:
        raise ValueError(f"{name} out of range: entries beyond about 1e153 give variances beyond "
                         f"the float range")
    return X


def _component_counts(Ms: Any, name: str, args: dict) -> np.ndarray:
    """Ms, integers in 1..min(N, D) - 1 for the training data (sigma^2 must be a mean of something)."""
    K = min(args["X_train"].shape)
    if K < 2:
        raise ValueError(f"X_train must have at least 2 rows and 2 columns to discard a component, "
                         f"got shape {args['X_train'].shape}")
    arr = np.atleast_1d(np.asarray(Ms, dtype=object))
    if arr.ndim != 1 or arr.size == 0:
        raise ValueError(f"{name} must be a non-empty list of integers, got {Ms!r:.60}")
    return np.array([integer(low=1, high=K - 1)(m, name, args) for m in arr], dtype=int)


@checked(X=data, M=_components)
def ppca_ml(X: Any, M: int) -> tuple[np.ndarray, np.ndarray, float]:
    r"""The maximum-likelihood parameters of probabilistic PCA with M latent dimensions.

    .. math:: \boldsymbol\mu = \frac1N\sum_n \mathbf x_n, \qquad
              W = B(\Lambda - \sigma^2 I)^{1/2}, \qquad
              \sigma^2 = \frac{1}{D - M}\sum_{j=M+1}^{D} \lambda_j ,

    with :math:`B` the M principal components (columns) and :math:`\Lambda`
    their eigenvalues of :math:`S` (dividing by N). The mean is over all D - M
    discarded eigenvalues, also when N < D and some of them are zero; there
    :class:`PCA` (and scikit-learn) average ``noise_variance_`` over only
    min(N, D) - M of them, which is not the maximum of the likelihood.

    Parameters
    ----------
    X : array_like, shape (N, D)
        The data, one sample per row, N >= 2.
    M : int
        The number of latent dimensions, 1 <= M <= min(N, D).

    Returns
    -------
    mu : ndarray, shape (D,)
    W : ndarray, shape (D, M)
        The factor loadings (up to a rotation :math:`W R`, which gives the same model).
    sigma2 : float
        The noise variance.

    Raises
    ------
    ValueError
        If ``X`` is not a finite matrix with N >= 2, or ``M`` is out of range.

    Examples
    --------
    >>> mu, W, sigma2 = ppca_ml([[0.0, 0.0], [2.0, 0.2], [4.0, 0.0], [6.0, 0.2]], 1)
    >>> mu.tolist(), W.round(3).tolist(), round(sigma2, 4)
    ([3.0, 0.1], [[2.234], [0.045]], 0.008)
    """
    pca = PCA(M).fit(X)
    N, D = X.shape
    Lam, K = pca.explained_variance_, min(N, D)
    # noise_variance_ averages the K - M discarded eigenvalues of S; the other D - K are zero
    sigma2 = pca.noise_variance_ * (K - M) / (D - M) if M < D else 0.0
    # lambda_m >= sigma^2 exactly; with M at the rank, rounding can put sigma^2 above a zero lambda_m
    W = pca.components_.T * np.sqrt(np.maximum(Lam - sigma2, 0.0))   # B (Lambda - sigma^2 I)^(1/2)
    return pca.mean_, W, sigma2


@checked(X=data, mu=_mean_of_columns, W=matrix(rows="mu"), sigma2=number(low=0, low_open=True))
@in_range("X, mu, W and sigma2")
def ppca_log_likelihood(X: Any, mu: Any, W: Any, sigma2: float) -> float:
    r"""The average log-likelihood of the samples under probabilistic PCA.

    .. math:: \frac1N \ln p(X) = -\frac12\Bigl(D\ln 2\pi + \ln\det C
              + \frac1N\sum_{n=1}^N (\mathbf x_n - \boldsymbol\mu)^\top C^{-1}(\mathbf x_n - \boldsymbol\mu)\Bigr),
              \qquad C = WW^\top + \sigma^2 I ,

    computed directly, with the Cholesky factor :math:`C = LL^\top`, for any
    W (not only the maximum-likelihood one).

    Parameters
    ----------
    X : array_like, shape (N, D)
    mu : array_like, shape (D,)
    W : array_like, shape (D, M)
    sigma2 : float
        The noise variance, > 0.

    Returns
    -------
    float

    Raises
    ------
    ValueError
        If a shape does not fit, ``sigma2 <= 0``, or the answer is beyond the float range.
    numpy.linalg.LinAlgError
        If C is not positive definite to working precision.

    Examples
    --------
    >>> round(ppca_log_likelihood([[0.0], [2.0]], [1.0], [[0.0]], 1.0), 4)
    -1.4189
    """
    N, D = X.shape
    C = W @ W.T + sigma2 * np.eye(D)                    # the covariance of x
    L = np.linalg.cholesky(C)                           # C = L L^T
    Y = scipy.linalg.solve_triangular(L, (X - mu).T, lower=True, check_finite=False)  # L^-1 (x_n - mu)
    log_det_C = 2 * np.sum(np.log(np.diag(L)))
    return float(-0.5 * (D * np.log(2 * np.pi) + log_det_C + np.sum(Y**2) / N))


@checked(mu=vector, W=matrix(rows="mu"), sigma2=number(low=0), n=integer(low=1, high=10**6), rng=seed)
@in_range("mu, W and sigma2")
def ppca_sample(mu: Any, W: Any, sigma2: float, n: int, rng: Any = None) -> np.ndarray:
    r"""Draw n samples from probabilistic PCA: :math:`\mathbf x = W\mathbf z + \boldsymbol\mu + \boldsymbol\epsilon`.

    .. math:: \mathbf z \sim \mathcal N(\mathbf 0, I_M), \qquad
              \boldsymbol\epsilon \sim \mathcal N(\mathbf 0, \sigma^2 I_D) .

    Parameters
    ----------
    mu : array_like, shape (D,)
    W : array_like, shape (D, M)
    sigma2 : float
        The noise variance, >= 0 (0 gives points in the principal subspace).
    n : int
        How many samples, 1 to 10**6.
    rng : None, int or numpy.random.Generator
        The seed, as ``numpy.random.default_rng`` takes it.

    Returns
    -------
    ndarray, shape (n, D)

    Raises
    ------
    ValueError
        If a shape does not fit, ``sigma2 < 0`` or ``n`` is out of range.

    Examples
    --------
    >>> ppca_sample([1.0, 2.0], [[1.0], [1.0]], 0.0, 3, rng=0).shape
    (3, 2)
    """
    D, M = W.shape
    Z = rng.standard_normal((n, M))                     # z ~ N(0, I_M)
    E = np.sqrt(sigma2) * rng.standard_normal((n, D))   # epsilon ~ N(0, sigma^2 I_D)
    return Z @ W.T + mu + E


@checked(X=data, mu=_mean_of_columns, W=matrix(rows="mu"), sigma2=number(low=0))
@in_range("X, mu, W and sigma2")
def ppca_posterior_mean(X: Any, mu: Any, W: Any, sigma2: float) -> np.ndarray:
    r"""The mean of the latent variables given the data, :math:`\mathbb E[\mathbf z \mid \mathbf x]`.

    .. math:: \mathbb E[\mathbf z \mid \mathbf x] = (W^\top W + \sigma^2 I)^{-1} W^\top (\mathbf x - \boldsymbol\mu) .

    With :math:`\sigma^2 \to 0` and :math:`W = B\Lambda^{1/2}` it is
    :math:`\Lambda^{-1/2}B^\top(\mathbf x - \boldsymbol\mu)`, the whitened PCA code.

    Parameters
    ----------
    X : array_like, shape (N, D)
    mu : array_like, shape (D,)
    W : array_like, shape (D, M)
    sigma2 : float
        The noise variance, >= 0.

    Returns
    -------
    ndarray, shape (N, M)

    Raises
    ------
    ValueError
        If a shape does not fit, ``sigma2 < 0``, or the answer is beyond the float range.
    numpy.linalg.LinAlgError
        If :math:`W^\top W + \sigma^2 I` is singular (``sigma2 = 0`` and W of rank below M).

    Examples
    --------
    >>> ppca_posterior_mean([[3.0, 3.0]], [1.0, 1.0], [[1.0], [1.0]], 0.0).tolist()
    [[2.0]]
    """
    M = W.shape[1]
    M_matrix = W.T @ W + sigma2 * np.eye(M)
    return (X - mu) @ np.linalg.solve(M_matrix, W.T).T


@checked(X_train=_training_data, X_test=data(cols="X_train"), Ms=_component_counts)
@in_range("X_train and X_test")
def held_out_log_likelihood(X_train: Any, X_test: Any, Ms: Any) -> np.ndarray:
    r"""Average log-likelihood of ``X_test`` under probabilistic PCA fitted to ``X_train``, for each M in ``Ms``.

    One eigendecomposition serves every M. With :math:`\bar{z^2_m}` the mean
    squared code of the test samples on component m and :math:`\bar{r^2}` their
    mean squared distance to :math:`\boldsymbol\mu`,

    .. math:: \frac1{N'}\ln p = -\frac12\Bigl(D\ln 2\pi + \sum_{m\le M}\ln\lambda_m + (D - M)\ln\sigma_M^2
              + \sum_{m\le M}\frac{\bar{z^2_m}}{\lambda_m}
              + \frac{\bar{r^2} - \sum_{m\le M}\bar{z^2_m}}{\sigma_M^2}\Bigr) ,

    :math:`\sigma_M^2` the mean of the eigenvalues after the M-th. It equals
    ``PCA(M).fit(X_train).score(X_test)``: like :class:`PCA` and scikit-learn,
    it averages min(N, D) - M eigenvalues, the maximum-likelihood
    :math:`\sigma^2` of ``ppca_ml`` only when N >= D.

    Parameters
    ----------
    X_train : array_like, shape (N, D)
    X_test : array_like, shape (N', D)
    Ms : sequence of int
        Numbers of components, each in 1..min(N, D) - 1.

    Returns
    -------
    ndarray, shape (len(Ms),)

    Raises
    ------
    ValueError
        If the data are not finite matrices with the same columns, or an M is out of range.
    SingularMatrixError
        If an M leaves :math:`\sigma_M^2 = 0` (M at or beyond the rank of the centred data).

    Examples
    --------
    >>> X = [[0.0, 0.0], [2.0, 0.2], [4.0, 0.0], [6.0, 0.2]]
    >>> held_out_log_likelihood(X, X, [1]).round(4).tolist()
    [-1.2284]
    """
    pca = PCA(solver="eig").fit(X_train)                # every component at once
    lam, M = pca.explained_variance_, Ms
    D, K = X_train.shape[1], len(lam)
    top = M.max()
    z2 = np.mean(pca.transform(X_test)[:, :top] ** 2, axis=0)       # mean squared codes
    r2 = np.mean(np.sum((X_test - pca.mean_) ** 2, axis=1))          # mean ||x - mu||^2
    sigma2 = np.cumsum(lam[::-1])[::-1][M] / (K - M)                 # mean discarded eigenvalue
    zero = K * np.finfo(float).eps * max(lam[0], 0.0)                # rounding's zero variance
    for m, kept, noise in zip(M, lam[M - 1], sigma2):
        if min(kept, noise) <= zero:                                 # then C is singular
            raise SingularMatrixError(f"Ms holds M = {m}, which keeps a zero variance or leaves sigma^2 = 0: "
                                      "choose M below the rank of the centred X_train")
    log_det = np.cumsum(np.log(lam[:top]))[M - 1] + (D - M) * np.log(sigma2)
    quadratic = np.cumsum(z2 / lam[:top])[M - 1] + (r2 - np.cumsum(z2)[M - 1]) / sigma2
    return -0.5 * (D * np.log(2 * np.pi) + log_det + quadratic)
