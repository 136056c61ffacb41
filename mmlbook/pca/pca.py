r"""Principal component analysis, step by step and as an estimator.

The steps of PCA on a data matrix :math:`X` of shape (N, D), one sample per
row:

1. centre the data, :math:`X_c = X - \mathbf 1 \boldsymbol\mu^\top` (:func:`center`);
2. form the data covariance :math:`S = X_c^\top X_c / N`;
3. take the eigenvectors of :math:`S` with the M largest eigenvalues
   (:func:`eig_sorted`): they span the principal subspace;
4. project: the codes are :math:`Z = X_c B`, with :math:`B` the D x M matrix
   of eigenvectors;
5. reconstruct: :math:`\tilde X = Z B^\top + \mathbf 1 \boldsymbol\mu^\top`.

:class:`PCA` runs these steps as a scikit-learn transformer, with three
interchangeable solvers for step 3.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import scipy.linalg
import scipy.sparse
import sklearn.exceptions
from sklearn.base import BaseEstimator, ClassNamePrefixFeaturesOutMixin, TransformerMixin

from mmlbook._checks import (_pow2_exponent, _scale_by, checked, data, homogeneous, in_range, integer, matrix,
                             optional, symmetric)
from mmlbook._validation import as_float_array, as_matrix, check_in_range, check_positive_int
from mmlbook._validation import pow2_scale, unscale
from mmlbook.exceptions import SingularMatrixError
from mmlbook.pca.statistics import mean

__all__ = ["PCA", "NotFittedError", "center", "eig_sorted", "pca_eig", "pca_gram", "pca_svd",
           "reconstruction_error", "standardize"]
__all__ += ["principal_projection"]

SOLVERS = ("auto", "eig", "svd", "gram")


class NotFittedError(sklearn.exceptions.NotFittedError):
    """An estimator was used before ``fit`` was called (scikit-learn's, a ValueError and AttributeError)."""


@checked(X=data)
@in_range("X")  # a centred value beyond the float range is said
def center(X: Any) -> tuple[np.ndarray, np.ndarray]:
    r"""Subtract the mean sample from every sample.

    .. math:: X_c = X - \mathbf 1 \boldsymbol\mu^\top, \qquad
              \boldsymbol\mu = \frac1N \sum_{n=1}^N \mathbf x_n .

    Parameters
    ----------
    X : array_like, shape (N, D)
        Data matrix, one sample per row.

    Returns
    -------
    Xc : ndarray, shape (N, D)
        The centred data; every column has mean zero.
    mu : ndarray, shape (D,)
        The mean sample.

    Raises
    ------
    ValueError
        If ``X`` is not a finite, non-empty matrix.

    Examples
    --------
    >>> Xc, mu = center([[1.0, 2.0], [3.0, 6.0]])
    >>> Xc.tolist(), mu.tolist()
    ([[-1.0, -2.0], [1.0, 2.0]], [2.0, 4.0])
    """
    mu = mean(X)
    return X - mu, mu


@checked(X=data)
@homogeneous(X=1, returns=(0, 1, 1))  # Z does not depend on the scale of X
def standardize(X: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    r"""Centre every feature and divide it by its standard deviation.

    .. math:: z_{nd} = \frac{x_{nd} - \mu_d}{\sigma_d} ,

    with :math:`\sigma_d` the standard deviation (divided by N) of feature d.
    A constant feature (:math:`\sigma_d = 0`, such as a pixel that is always
    blank) is only centred.

    Parameters
    ----------
    X : array_like, shape (N, D)
        Data matrix, one sample per row.

    Returns
    -------
    Z : ndarray, shape (N, D)
        The standardised data.
    mu : ndarray, shape (D,)
        The mean of every feature.
    sigma : ndarray, shape (D,)
        The standard deviation of every feature (1 where it was 0).

    Raises
    ------
    ValueError
        If ``X`` is not a finite, non-empty matrix.

    Examples
    --------
    >>> Z, mu, sigma = standardize([[0.0, 5.0], [2.0, 5.0]])
    >>> Z.tolist(), sigma.tolist()
    ([[-1.0, 0.0], [1.0, 0.0]], [1.0, 1.0])
    """
    Xc, mu = center(X)
    sigma = Xc.std(axis=0)
    sigma[sigma == 0] = 1.0  # a constant feature stays 0 instead of 0 / 0
    return Xc / sigma, mu, sigma


@checked(S=symmetric(rtol=1e-5, atol=1e-8), k=optional(integer(low=1, high="S")))
@homogeneous(S=1, returns=(1, 0))  # eigenvalues scale with S, eigenvectors do not
def eig_sorted(S: Any, k: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    r"""Eigenvalues and eigenvectors of a symmetric matrix, largest eigenvalue first.

    .. math:: S \mathbf b_i = \lambda_i \mathbf b_i, \qquad
              \lambda_1 \ge \lambda_2 \ge \dots \ge \lambda_k .

    Parameters
    ----------
    S : array_like, shape (D, D)
        A symmetric matrix, such as a covariance matrix.
    k : int, optional
        Return only the k largest eigenpairs (default: all D). Only these are
        computed, which is faster when k is much smaller than D.

    Returns
    -------
    eigenvalues : ndarray, shape (k,)
        In decreasing order.
    eigenvectors : ndarray, shape (D, k)
        Orthonormal columns; column i belongs to ``eigenvalues[i]``. Each
        sign is fixed so that the entry of largest magnitude is positive.

    Raises
    ------
    ValueError
        If ``S`` is not a finite square symmetric matrix, or ``k`` is not in
        1..D.

    Examples
    --------
    >>> values, vectors = eig_sorted([[2.0, 0.0], [0.0, 3.0]])
    >>> values.tolist(), vectors.tolist()
    ([3.0, 2.0], [[0.0, 1.0], [1.0, 0.0]])
    """
    k = len(S) if k is None else k
    return _top_eigenpairs(S, k)


def _top_eigenpairs(S: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """The k largest eigenpairs of a checked symmetric matrix, signs fixed."""
    D = S.shape[0]
    # eigh returns eigenvalues in increasing order: we want the last k.
    if k <= D // 5:  # few of them: compute only those
        values, vectors = scipy.linalg.eigh(S, subset_by_index=[D - k, D - 1], check_finite=False)
    else:  # many: all of them by divide and conquer (faster), then keep the last k
        values, vectors = scipy.linalg.eigh(S, driver="evd", check_finite=False)
        values, vectors = values[D - k:], vectors[:, D - k:]
    return values[::-1], _fix_signs(vectors[:, ::-1])


def _fix_signs(vectors: np.ndarray) -> np.ndarray:
    """Flip each column so that its entry of largest magnitude is positive."""
    rows = np.argmax(np.abs(vectors), axis=0)
    signs = np.sign(vectors[rows, np.arange(vectors.shape[1])])
    signs[signs == 0] = 1.0
    return vectors * signs + 0.0  # + 0.0 turns -0.0 into 0.0, for tidy printing


@checked(X=data, X_hat=matrix(like="X"))
@homogeneous(X=2, X_hat=2, jointly=True)  # a squared distance
def reconstruction_error(X: Any, X_hat: Any) -> float:
    r"""Average squared distance between samples and their reconstructions.

    .. math:: J = \frac1N \sum_{n=1}^N \lVert \mathbf x_n - \tilde{\mathbf x}_n \rVert^2 .

    Parameters
    ----------
    X, X_hat : array_like, shape (N, D)
        The data and its reconstruction, one sample per row.

    Returns
    -------
    float

    Raises
    ------
    ValueError
        If either is not a finite matrix, or their shapes differ.

    Examples
    --------
    >>> reconstruction_error([[0.0, 0.0], [1.0, 1.0]], [[0.0, 1.0], [1.0, 1.0]])
    0.5
    """
    N = X.shape[0]
    residual = X - X_hat
    return float(np.einsum("nd,nd->", residual, residual) / N)  # the mean squared distance


class PCA(ClassNamePrefixFeaturesOutMixin, TransformerMixin, BaseEstimator):
    r"""Principal component analysis, a scikit-learn transformer.

    The M principal components are the eigenvectors of the data covariance

    .. math:: S = \frac1N \sum_{n=1}^N (\mathbf x_n - \boldsymbol\mu)(\mathbf x_n - \boldsymbol\mu)^\top
              = \frac1N X_c^\top X_c

    with the M largest eigenvalues. A sample is encoded by its coordinates
    in the principal subspace, :math:`\mathbf z = B^\top(\mathbf x - \boldsymbol\mu)`,
    and reconstructed as :math:`\tilde{\mathbf x} = \boldsymbol\mu + B\mathbf z`.

    It derives from scikit-learn's ``BaseEstimator`` and ``TransformerMixin``,
    so it works in ``make_pipeline``, ``clone`` and ``GridSearchCV``.

    Parameters
    ----------
    n_components : int or float, optional
        M, the number of components to keep, between 1 and min(N, D); or a
        fraction in (0, 1): keep the fewest components whose explained
        variance ratios add up to more than it (as scikit-learn does).
        By default, min(N, D).
    solver : {"auto", "eig", "svd", "gram"}
        How to find the components:

        - ``"eig"``: eigenvectors of the D x D covariance :math:`S` (:func:`pca_eig`);
        - ``"svd"``: right singular vectors of the centred data :math:`X_c` (:func:`pca_svd`);
        - ``"gram"``: eigenvectors :math:`\mathbf v` of the N x N matrix
          :math:`X_c X_c^\top / N`, mapped to :math:`X_c^\top \mathbf v` and
          normalised, cheaper when N < D (:func:`pca_gram`);
        - ``"auto"``: the cheaper of ``"gram"`` (N < D) and ``"eig"`` (N >= D),
          unless its answer may be inaccurate: both square the condition
          number, so when the estimated error of the components,
          :math:`\varepsilon\,\lambda_1/\lambda_M` (and for ``"gram"`` also
          the loss of orthogonality :math:`\lVert BB^\top - I\rVert_{\max}`),
          exceeds ``1e-8``, it uses ``"svd"`` instead.
    whiten : bool
        If True, ``transform`` divides each code by its standard deviation,
        :math:`z_m / \sqrt{\lambda_m}`, so that the codes of the training data
        have variance 1 (dividing by N), and ``inverse_transform`` multiplies
        it back. The model (``get_covariance``, ``score``) does not change.

    Attributes
    ----------
    components_ : ndarray, shape (M, D)
        The principal components, one per row, orthonormal, in decreasing
        order of variance. Each sign is fixed so that the entry of largest
        magnitude is positive (scikit-learn's convention since 1.5). A
        component whose variance is distinct and non-zero is then the same
        from every solver, and equal to scikit-learn's, up to rounding. The
        components of a repeated eigenvalue are fixed only up to a rotation
        within its eigenspace, and those of zero variance (beyond the rank of
        the centred data) are any orthonormal basis of the null space: there
        the solvers may differ from each other and from scikit-learn.
    explained_variance_ : ndarray, shape (M,)
        The M largest eigenvalues of :math:`S` (which divides by N; note that
        scikit-learn divides by N - 1).
    explained_variance_ratio_ : ndarray, shape (M,)
        Each eigenvalue divided by the total variance, the trace of S.
    singular_values_ : ndarray, shape (M,)
        The M largest singular values of the centred data :math:`X_c`,
        :math:`\sigma_m = \sqrt{N\lambda_m}`, as in scikit-learn.
    noise_variance_ : float
        The average of the discarded eigenvalues
        :math:`\lambda_{M+1}, \dots, \lambda_{\min(N, D)}` (0 if none are
        discarded), as scikit-learn defines it, but divided by N.
    mean_ : ndarray, shape (D,)
        The mean sample :math:`\boldsymbol\mu`.
    n_components_ : int
        M.
    n_samples_, n_features_in_ : int
        N and D of the data it was fitted on.
    solver_ : str
        The solver actually used (``"auto"`` resolved).

    Notes
    -----
    **The probabilistic model.** ``score_samples``, ``score``,
    ``get_covariance`` and ``get_precision`` read the fit as probabilistic
    PCA (Tipping and Bishop), :math:`\mathbf x = W\mathbf z + \boldsymbol\mu
    + \boldsymbol\epsilon` with :math:`\mathbf z \sim \mathcal N(\mathbf 0, I_M)`
    and :math:`\boldsymbol\epsilon \sim \mathcal N(\mathbf 0, \sigma^2 I_D)`,
    so that :math:`\mathbf x \sim \mathcal N(\boldsymbol\mu, C)` with

    .. math:: C = WW^\top + \sigma^2 I
              = B\Lambda B^\top + \sigma^2 (I - BB^\top), \qquad
              W = B(\Lambda - \sigma^2 I)^{1/2},

    :math:`\Lambda` the M kept eigenvalues and :math:`\sigma^2` the
    ``noise_variance_``. Because :math:`S` divides by N, these are the
    maximum-likelihood estimates. scikit-learn's ``PCA`` divides by N - 1:
    its covariance is this one times N / (N - 1).

    Raises
    ------
    ValueError
        At ``fit``: if ``solver`` is unknown, ``whiten`` is not a bool,
        ``n_components`` is neither an integer in 1..min(N, D) nor a fraction
        in (0, 1), or ``X`` is not a finite (N, D) matrix with N >= 2 samples.
    TypeError
        At ``fit`` and ``transform``: if ``X`` holds something that is not a
        number (an object array holding a dict), as scikit-learn raises.

    Examples
    --------
    >>> X = [[1.0, 1.0], [2.0, 2.0], [3.0, 3.0]]
    >>> pca = PCA(1).fit(X)
    >>> pca.components_.round(4).tolist(), pca.explained_variance_.round(4).tolist()
    ([[0.7071, 0.7071]], [1.3333])
    """

    def __init__(self, n_components: int | float | None = None, *, solver: str = "auto",
                 whiten: bool = False):
        self.n_components = n_components
        self.solver = solver
        self.whiten = whiten

    def fit(self, X: Any, y: Any = None) -> "PCA":
        """Find the mean and the principal components of ``X`` (shape (N, D)); return self.

        ``y`` is ignored; it is there for scikit-learn's pipelines.
        """
        dtype = _dtype_of(X)
        X = _as_data(X, "X")
        N, D = X.shape
        if N < 2:
            raise ValueError(f"X must have at least 2 samples (rows), got shape {X.shape}: "
                             f"n_samples = 1")
        if self.solver not in SOLVERS:
            raise ValueError(f"solver must be one of {', '.join(SOLVERS)}; got {self.solver!r}")
        if not isinstance(self.whiten, (bool, np.bool_)):
            raise ValueError(f"whiten must be True or False, got {self.whiten!r}")
        K = min(N, D)
        fraction = _fraction(self.n_components)
        if fraction is not None:
            M = K  # all of them, then keep enough for the fraction
        elif self.n_components is None:
            M = K
        else:
            M = check_positive_int(self.n_components, "n_components")
            if M > K:
                raise ValueError(f"n_components must be between 1 and min(N, D) = {K} "
                                 f"for X of shape {X.shape}, got {M}")
        # X beyond 2**±250 is fitted as X / 2**e: the mean scales back by 2**e, the variances by 2**(2e).
        # Data in range (e = 0) are used as they are: two reductions, no copy of X.
        e = _pow2_exponent(X)
        X = _scale_by(X, -e)
        solver = self.solver
        if solver == "auto":
            solver = "gram" if N < D else "eig"

        mu = X.mean(axis=0)
        if solver == "eig":
            # What pca_eig does, without a centred copy of X: on the full
            # MNIST that copy (440 MB) costs more than the eigendecomposition.
            S = _scatter(X, mu) / N
            eigenvalues, B = _top_eigenpairs(S, M)
            total_variance = float(np.trace(S))
            Xc = None
        else:
            Xc = X - mu
            eigenvalues, B = _SOLVE[solver](Xc, M)
            total_variance = float(np.vdot(Xc, Xc)) / N  # the trace of S
        if fraction is not None:  # the fewest components whose ratios add up to more than it
            ratio = np.clip(eigenvalues, 0.0, None) / total_variance if total_variance > 0 else \
                np.zeros(M)
            M = min(int(np.searchsorted(np.cumsum(ratio), fraction, side="right")) + 1, K)
            eigenvalues, B = eigenvalues[:M], B[:, :M]
        if self.solver == "auto" and solver != "svd" and not _accurate(eigenvalues, B, solver):
            solver = "svd"  # judged on the kept components only
            Xc = X - mu if Xc is None else Xc
            eigenvalues, B = pca_svd(Xc, M)

        eigenvalues = np.clip(eigenvalues, 0.0, None)
        ratio = eigenvalues / total_variance if total_variance > 0 else np.zeros(M)
        kept = eigenvalues[:M]
        # X was divided by 2**e: the mean scales back by 2**e, variances by 2**(2e).
        self.mean_ = _back(mu, e)
        self.components_ = B[:, :M].T  # signs already fixed by the solver
        self.explained_variance_ = _back(kept, 2 * e)
        self.explained_variance_ratio_ = ratio[:M]
        self.singular_values_ = _back(np.sqrt(N * kept), e)
        discarded = max(total_variance - float(kept.sum()), 0.0)
        self.noise_variance_ = float(_back(discarded / (K - M) if M < K else 0.0, 2 * e))
        self.n_components_ = M
        self.n_samples_, self.n_features_in_ = N, D
        self.solver_ = solver
        if dtype == np.float32:  # float32 in, float32 out, as scikit-learn
            for name in ("mean_", "components_", "explained_variance_", "explained_variance_ratio_",
                         "singular_values_"):
                setattr(self, name, getattr(self, name).astype(np.float32))
        return self

    def transform(self, X: Any) -> np.ndarray:
        r"""Codes of the samples: :math:`Z = (X - \mathbf 1\boldsymbol\mu^\top) B`, shape (N, M)."""
        self._check_fitted()
        dtype = _dtype_of(X)
        X = _as_data(X, "X")
        if X.shape[1] != self.n_features_in_:
            raise ValueError(f"X must have {self.n_features_in_} columns (features), as the data "
                             f"PCA was fitted on, got shape {X.shape}: X has {X.shape[1]} features, "
                             f"but PCA is expecting {self.n_features_in_} features as input")
        Z = (X - self.mean_) @ self.components_.T
        if self.whiten:
            Z /= self._whitening_scale()
        return Z.astype(dtype, copy=False)

    def inverse_transform(self, Z: Any) -> np.ndarray:
        r"""Reconstructions from codes: :math:`\tilde X = Z B^\top + \mathbf 1\boldsymbol\mu^\top`, shape (N, D)."""
        self._check_fitted()
        dtype = _dtype_of(Z)
        Z = as_float_array(Z, "Z", ndim=(1, 2))
        if Z.shape[-1] != self.n_components_:
            raise ValueError(f"Z must have {self.n_components_} columns (n_components_), "
                             f"got shape {Z.shape}")
        if self.whiten:
            Z = Z * self._whitening_scale()
        return (Z @ self.components_ + self.mean_).astype(dtype, copy=False)

    def fit_transform(self, X: Any, y: Any = None) -> np.ndarray:
        """Fit to ``X`` and return its codes, shape (N, M)."""
        return self.fit(X).transform(X)

    def get_covariance(self) -> np.ndarray:
        r"""The covariance of the probabilistic model, :math:`C = WW^\top + \sigma^2 I`, shape (D, D).

        .. math:: C = B\Lambda B^\top + \sigma^2 (I - BB^\top)

        with :math:`B` the components (columns), :math:`\Lambda` their
        variances (``explained_variance_``, divided by N) and :math:`\sigma^2`
        the ``noise_variance_``. scikit-learn's equals this times N / (N - 1).
        """
        self._check_fitted()
        B, lam, sigma2 = self._model()
        return _covariance_model(B, lam, sigma2)

    def get_precision(self) -> np.ndarray:
        r"""The inverse of the model covariance, shape (D, D).

        .. math:: C^{-1} = B\Lambda^{-1} B^\top + \frac{1}{\sigma^2}(I - BB^\top) .

        Raises
        ------
        SingularMatrixError
            If :math:`C` is singular: a kept variance is zero, or
            :math:`\sigma^2 = 0` while M < D.
        """
        self._check_fitted()
        B, lam, sigma2 = self._model()
        _check_model_regular(lam, sigma2, B.shape[0])
        return _covariance_model(B, 1.0 / lam, 1.0 / sigma2 if sigma2 > 0 else 0.0)

    def score_samples(self, X: Any) -> np.ndarray:
        r"""The log-likelihood of each sample under the model, shape (N,).

        .. math:: \ln p(\mathbf x) = -\frac12\Bigl(D\ln 2\pi + \sum_{m=1}^M \ln\lambda_m
                  + (D - M)\ln\sigma^2 + \sum_{m=1}^M \frac{z_m^2}{\lambda_m}
                  + \frac{\lVert \mathbf x - \boldsymbol\mu - B\mathbf z\rVert^2}{\sigma^2}\Bigr),

        the log-density of :math:`\mathcal N(\boldsymbol\mu, C)`, with
        :math:`\mathbf z = B^\top(\mathbf x - \boldsymbol\mu)` the (unwhitened) codes.

        Raises
        ------
        ValueError
            If ``X`` is not a finite matrix with ``n_features_in_`` columns.
        SingularMatrixError
            If the model covariance is singular (see ``get_precision``).
        """
        self._check_fitted()
        X = _as_data(X, "X")
        if X.shape[1] != self.n_features_in_:
            raise ValueError(f"X must have {self.n_features_in_} columns (features), as the data "
                             f"PCA was fitted on, got shape {X.shape}: X has {X.shape[1]} features, "
                             f"but PCA is expecting {self.n_features_in_} features as input")
        B, lam, sigma2 = self._model()
        D = B.shape[0]
        _check_model_regular(lam, sigma2, D)
        scale = max(pow2_scale(X), pow2_scale(self.mean_))  # the quadratic form scales like scale**2
        Xc = X / scale - self.mean_.astype(float) / scale
        quadratic = unscale(unscale(_mahalanobis(Xc, B, lam, sigma2), scale, "X"), scale, "X")
        return -0.5 * (D * np.log(2 * np.pi) + _log_det(lam, sigma2, D) + quadratic)

    def score(self, X: Any, y: Any = None) -> float:
        r"""The average log-likelihood of the samples, :math:`\frac1N\sum_n \ln p(\mathbf x_n)`.

        ``y`` is ignored. Raises as ``score_samples``.
        """
        return float(np.mean(self.score_samples(X)))

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.transformer_tags.preserves_dtype = ["float64", "float32"]  # as scikit-learn's PCA
        return tags

    @property
    def _n_features_out(self) -> int:
        """M, for ``get_feature_names_out`` (``pca0``, ``pca1``, ...)."""
        return self.n_components_

    def _model(self) -> tuple[np.ndarray, np.ndarray, float]:
        """B (D, M), the kept variances and sigma^2, in float64."""
        return (self.components_.T.astype(float), self.explained_variance_.astype(float),
                float(self.noise_variance_))

    def _whitening_scale(self) -> np.ndarray:
        """The standard deviations of the codes, floored at machine epsilon as scikit-learn."""
        return np.maximum(np.sqrt(self.explained_variance_.astype(float)), np.finfo(float).eps)

    def _check_fitted(self) -> None:
        if not hasattr(self, "components_"):
            raise NotFittedError("This PCA instance is not fitted yet: call fit(X) before "
                                 "transform or inverse_transform")


def _back(value: Any, exponent: int) -> Any:
    """``value * 2**exponent``, the scale of the data put back; beyond the float range is said."""
    return check_in_range(_scale_by(value, exponent), "X")


def _as_data(X: Any, name: str) -> np.ndarray:
    """``as_matrix``, with the phrases scikit-learn's estimator checks look for in its errors."""
    if scipy.sparse.issparse(X):
        raise ValueError(f"{name} must be a dense array, got a scipy.sparse matrix: sparse input "
                         f"is not supported (use {name}.toarray())")
    try:
        arr = np.asarray(X)
    except (TypeError, ValueError):  # ragged lists and the like: as_matrix says what is wrong
        arr = None
    if arr is not None and arr.dtype.kind == "c":
        raise ValueError(f"{name} must be real: Complex data not supported")
    if arr is not None and arr.dtype == object:
        try:  # a dict or a list among numbers: a TypeError, as scikit-learn raises
            arr = arr.astype(float)
        except TypeError as exc:
            if not any(isinstance(v, (complex, np.complexfloating)) for v in arr.flat):
                raise TypeError(f"{name} must be an array of numbers: {exc}") from None
        except (ValueError, OverflowError):  # "abc", 10**400: as_matrix below says what is wrong
            pass
    shape = arr.shape if arr is not None and arr.dtype.kind in "biuf" else None
    if shape is not None and len(shape) != 2:
        raise ValueError(f"{name} must have 2 dimension(s), got shape {shape}. Reshape your data "
                         f"to one sample per row, shape (N, D)")
    if shape is not None and shape[0] > 0 and shape[1] == 0:
        raise ValueError(f"{name} must not be empty: found 0 feature(s) (shape={shape}) while a "
                         f"minimum of 1 is required.")
    try:
        return as_matrix(X if arr is None else arr, name)
    except ValueError as exc:
        if "must be finite" in str(exc):
            raise ValueError(f"{exc} ({name} contains NaN or inf)") from None
        if "dimension" in str(exc):
            raise ValueError(f"{exc}. Reshape your data to one sample per row, shape (N, D)") from None
        raise


def _dtype_of(X: Any) -> type:
    """float32 if ``X`` is a float32 array (kept as such by ``PCA``), else float64."""
    return np.float32 if getattr(X, "dtype", None) == np.float32 else np.float64


def _covariance_model(B: np.ndarray, lam: np.ndarray, sigma2: float) -> np.ndarray:
    r""":math:`B\,\mathrm{diag}(\lambda)B^\top + \sigma^2(I - BB^\top)`."""
    C = (B * (lam - sigma2)) @ B.T
    C[np.diag_indices_from(C)] += sigma2
    return C


def _check_model_regular(lam: np.ndarray, sigma2: float, D: int) -> None:
    """Raise SingularMatrixError if the model covariance has a zero eigenvalue (or one at rounding level)."""
    floor = D * np.finfo(float).eps * float(lam.max(initial=0.0))  # rounding errors of the eigenvalues
    if np.any(lam <= floor) or (sigma2 <= floor and lam.shape[0] < D):
        raise SingularMatrixError(
            "the model covariance W W^T + sigma^2 I is singular (a kept variance or "
            "noise_variance_ is 0, to rounding): fit PCA with fewer components than the rank of the data")


def _mahalanobis(Xc: np.ndarray, B: np.ndarray, lam: np.ndarray, sigma2: float) -> np.ndarray:
    r"""The quadratic form :math:`(\mathbf x - \boldsymbol\mu)^\top C^{-1}(\mathbf x - \boldsymbol\mu)` of each row of Xc.

    .. math:: \sum_{m=1}^M \frac{z_m^2}{\lambda_m}
              + \frac{\lVert \mathbf x - \boldsymbol\mu - B\mathbf z\rVert^2}{\sigma^2}
    """
    Z = Xc @ B
    quadratic = (Z**2 / lam).sum(axis=1)
    if B.shape[1] < B.shape[0]:
        residual = Xc - Z @ B.T
        quadratic += np.einsum("nd,nd->n", residual, residual) / sigma2
    return quadratic


def _log_det(lam: np.ndarray, sigma2: float, D: int) -> float:
    r""":math:`\ln\det C = \sum_m \ln\lambda_m + (D - M)\ln\sigma^2`."""
    M = lam.shape[0]
    return float(np.log(lam).sum()) + ((D - M) * float(np.log(sigma2)) if M < D else 0.0)


def principal_projection(X: Any, M: int) -> np.ndarray:
    r"""Project every sample onto the affine principal subspace of the data.

    .. math:: \tilde X = \mathbf 1\boldsymbol\mu^\top + X_c B B^\top ,
              \qquad X_c = X - \mathbf 1\boldsymbol\mu^\top ,

    with :math:`B` the D x M matrix of the M principal components of ``X``.

    Parameters
    ----------
    X : array_like, shape (N, D)
        Data matrix, one sample per row, N >= 2.
    M : int
        Number of components, 1 <= M <= min(N, D).

    Returns
    -------
    X_tilde : ndarray, shape (N, D)
        The projections, the reconstructions of PCA with M components.

    Raises
    ------
    ValueError
        As :class:`PCA` does for bad ``X`` or ``M``.

    Examples
    --------
    >>> principal_projection([[0.0, 0.0], [4.0, 0.0], [2.0, 1.0], [2.0, -1.0]], 1).round(6).tolist()
    [[0.0, 0.0], [4.0, 0.0], [2.0, 0.0], [2.0, 0.0]]
    """
    M = check_positive_int(M, "M")
    X = as_matrix(X, "X")
    if M > min(X.shape):
        raise ValueError(f"M must be at most min(N, D) = {min(X.shape)}, got {M}")
    pca = PCA(M).fit(X)
    return pca.inverse_transform(pca.transform(X))


ACCURACY = 1e-8
"""The error of the components above which ``solver="auto"`` falls back on the SVD."""


def _accurate(eigenvalues: np.ndarray, B: np.ndarray, solver: str) -> bool:
    r"""Whether the eig or gram route's components can be trusted to ``ACCURACY``.

    Both routes decompose a matrix whose condition number is the square of
    that of :math:`X_c`; the error of the M-th eigenvector is about
    :math:`\varepsilon\lambda_1/\lambda_M`. The Gram route divides by
    :math:`\lVert X_c^\top\mathbf v\rVert`, so it also loses orthogonality:
    it is measured.
    """
    if eigenvalues[0] <= 0:  # constant data: nothing to be accurate about
        return True
    if eigenvalues[-1] <= 0 or np.finfo(float).eps * eigenvalues[0] / eigenvalues[-1] > ACCURACY:
        return False
    if solver == "gram":
        M = B.shape[1]
        return float(np.max(np.abs(B.T @ B - np.eye(M)))) <= ACCURACY
    return True


def _fraction(n_components: Any) -> float | None:
    """``n_components`` if it is a fraction in (0, 1), else None (an integer or None)."""
    if isinstance(n_components, (float, np.floating)) and not float(n_components).is_integer():
        if not 0.0 < n_components < 1.0:
            raise ValueError(f"n_components must be an integer >= 1 or a fraction in (0, 1), "
                             f"got {n_components!r}")
        return float(n_components)
    if isinstance(n_components, (float, np.floating)):
        raise ValueError(f"n_components must be an integer >= 1 or a fraction in (0, 1), "
                         f"got {n_components!r}")
    return None


def _scatter(X: np.ndarray, mu: np.ndarray, *, max_digits_lost: float = 3.0,
             block: int = 4096) -> np.ndarray:
    r"""The scatter matrix :math:`X_c^\top X_c` of the centred data, without a centred copy of X.

    First as :math:`X^\top X - N\boldsymbol\mu\boldsymbol\mu^\top` (one pass,
    as scikit-learn does). That subtraction cancels digits where a feature's
    mean is large next to its spread, about
    :math:`\log_{10}\bigl((X^\top X)_{dd} / (X_c^\top X_c)_{dd}\bigr)` of them;
    if any feature would lose more than ``max_digits_lost``, the matrix is
    formed exactly instead, centring ``block`` rows at a time into one buffer.
    """
    N, D = X.shape
    S = X.T @ X
    raw = np.diag(S).copy()
    S -= N * np.outer(mu, mu)
    centred = np.diag(S)
    lost = raw > 10.0**max_digits_lost * np.maximum(centred, 0.0)
    if not np.any(lost & (raw > 0)):
        return S
    S = np.zeros((D, D))
    buffer = np.empty((min(block, N), D))
    for start in range(0, N, block):
        rows = X[start:start + block]
        Xb = np.subtract(rows, mu, out=buffer[:len(rows)])
        S += Xb.T @ Xb
    return S


def components(M: Any, name: str, args: dict) -> int:
    """The check of ``M``: a number of components between 1 and min(N, D)."""
    Xc = args["Xc"]
    M = integer(M, name, args)
    if M > min(Xc.shape):
        raise ValueError(f"{name} must be between 1 and min(N, D) = {min(Xc.shape)} for Xc of shape "
                         f"{Xc.shape}, got {M}")
    return M


@checked(Xc=data, M=components)
@homogeneous(Xc=1, returns=(2, 0))  # variances scale like Xc², directions do not
def pca_eig(Xc: Any, M: int) -> tuple[np.ndarray, np.ndarray]:
    r"""Principal components from the eigenvectors of the D x D covariance.

    .. math:: S = \frac1N X_c^\top X_c, \qquad S\mathbf b_m = \lambda_m \mathbf b_m .

    Parameters
    ----------
    Xc : array_like, shape (N, D)
        Centred data, one sample per row.
    M : int
        Number of components, 1 <= M <= min(N, D).

    Returns
    -------
    eigenvalues : ndarray, shape (M,)
        The M largest eigenvalues of S, in decreasing order.
    B : ndarray, shape (D, M)
        The corresponding orthonormal eigenvectors (signs fixed), one per column.

    Raises
    ------
    ValueError
        If ``Xc`` is not a finite matrix or ``M`` is out of range.

    Notes
    -----
    Costs about :math:`N D^2` to form S and :math:`D^3` to decompose it:
    the method of choice when N >= D.

    Examples
    --------
    >>> values, B = pca_eig([[-1.0, -1.0], [1.0, 1.0]], 1)
    >>> values.round(12).tolist(), B.round(4).tolist()
    ([2.0], [[0.7071], [0.7071]])
    """
    N = Xc.shape[0]
    S = Xc.T @ Xc / N
    return _top_eigenpairs(S, M)


@checked(Xc=data, M=components)
@homogeneous(Xc=1, returns=(2, 0))  # variances scale like Xc², directions do not
def pca_svd(Xc: Any, M: int) -> tuple[np.ndarray, np.ndarray]:
    r"""Principal components from the singular value decomposition of the centred data.

    If :math:`X_c = U\Sigma V^\top` then :math:`S = \frac1N X_c^\top X_c
    = V \frac{\Sigma^2}{N} V^\top`: the components are the right singular
    vectors and the eigenvalues are :math:`\sigma_m^2 / N`.

    Parameters, Returns and Raises are those of :func:`pca_eig`.

    Examples
    --------
    >>> values, B = pca_svd([[-1.0, -1.0], [1.0, 1.0]], 1)
    >>> values.round(12).tolist(), B.round(4).tolist()
    ([2.0], [[0.7071], [0.7071]])
    """
    N = Xc.shape[0]
    _, sigma, Vt = np.linalg.svd(Xc, full_matrices=False)
    return sigma[:M] ** 2 / N, _fix_signs(Vt[:M].T)


@checked(Xc=data, M=components)
@homogeneous(Xc=1, returns=(2, 0))  # variances scale like Xc², directions do not
def pca_gram(Xc: Any, M: int) -> tuple[np.ndarray, np.ndarray]:
    r"""Principal components through the N x N matrix, for N < D.

    If :math:`\frac1N X_c X_c^\top \mathbf v = \lambda \mathbf v` then
    :math:`S (X_c^\top \mathbf v) = \lambda (X_c^\top \mathbf v)`, and
    :math:`\lVert X_c^\top \mathbf v \rVert^2 = N\lambda`, so

    .. math:: \mathbf b_m = \frac{X_c^\top \mathbf v_m}{\lVert X_c^\top \mathbf v_m \rVert} .

    Parameters, Returns and Raises are those of :func:`pca_eig`.

    Notes
    -----
    Costs about :math:`N^2 D` to form the N x N matrix and :math:`N^3` to
    decompose it, instead of :math:`N D^2 + D^3`. A direction with
    :math:`\lambda = 0` (centred data has rank at most N - 1) cannot be
    mapped back; it is completed with orthonormal vectors, which carry no
    variance. A direction counts as :math:`\lambda = 0` when its length is
    below :math:`10^{-10}` times the largest, whatever the scale of the data.

    The columns of B are orthonormal only to about
    :math:`\varepsilon\lambda_1/\lambda_M`: the N x N matrix squares the
    condition number of :math:`X_c`, and the division by a small length
    magnifies the error of :math:`\mathbf v_m`. ``PCA(solver="auto")``
    measures this and falls back on :func:`pca_svd`.

    Examples
    --------
    >>> values, B = pca_gram([[-1.0, -1.0], [1.0, 1.0]], 1)
    >>> values.round(12).tolist(), B.round(4).tolist()
    ([2.0], [[0.7071], [0.7071]])
    """
    N = Xc.shape[0]
    K = Xc @ Xc.T / N
    eigenvalues, V = _top_eigenpairs(K, M)
    B = Xc.T @ V
    lengths = np.linalg.norm(B, axis=0)
    mapped = lengths > 1e-10 * lengths.max()  # relative: the same for data of any scale
    B[:, mapped] /= lengths[mapped]
    if not mapped.all():
        B = _complete_orthonormal(B[:, mapped], M)
        eigenvalues = np.where(mapped, eigenvalues, 0.0)
    return eigenvalues, _fix_signs(B)


def _complete_orthonormal(Q: np.ndarray, M: int) -> np.ndarray:
    """Extend the orthonormal columns of Q (D x k) to M orthonormal columns.

    Standard basis vectors least covered by Q are orthogonalised against
    everything so far (Gram-Schmidt, twice for accuracy).
    """
    D = Q.shape[0]
    columns = list(Q.T)
    for i in np.argsort(np.sum(Q**2, axis=1), kind="stable"):
        if len(columns) == M:
            break
        v = np.zeros(D)
        v[i] = 1.0
        for _ in range(2):
            for q in columns:
                v -= (q @ v) * q
        norm = np.linalg.norm(v)
        if norm > 1e-8:
            columns.append(v / norm)
    return np.column_stack(columns)


_SOLVE = {"eig": pca_eig, "svd": pca_svd, "gram": pca_gram}
