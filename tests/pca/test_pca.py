"""Tests for mmlbook.pca.pca: against scikit-learn, between solvers, properties, bad input."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.decomposition import PCA as SklearnPCA

from mmlbook.pca import (PCA, NotFittedError, center, eig_sorted, pca_eig, pca_gram, pca_svd,
                         reconstruction_error, standardize)

SOLVERS = ["eig", "svd", "gram"]


def correlated_data(N=60, D=8, seed=0):
    """Gaussian data with clearly separated variances along random directions."""
    rng = np.random.default_rng(seed)
    scales = np.geomspace(5.0, 0.2, D)
    Q, _ = np.linalg.qr(rng.normal(size=(D, D)))
    return rng.normal(size=(N, D)) * scales @ Q.T + rng.normal(size=D)


def align_signs(A, B):
    """Flip the rows of B to match the signs of the rows of A."""
    signs = np.sign(np.sum(A * B, axis=1))
    return B * signs[:, None]


# --- against scikit-learn ----------------------------------------------------------------


@pytest.mark.parametrize("solver", SOLVERS + ["auto"])
@pytest.mark.parametrize("N, D, M", [(60, 8, 3), (60, 8, 8), (15, 40, 5), (15, 40, 14)])
def test_matches_scikit_learn(solver, N, D, M):
    X = correlated_data(N, D)
    ours = PCA(M, solver=solver).fit(X)
    ref = SklearnPCA(M, svd_solver="full").fit(X)
    assert np.allclose(ours.mean_, ref.mean_)
    assert np.allclose(ours.explained_variance_ratio_, ref.explained_variance_ratio_)
    # scikit-learn divides by N - 1, we divide by N.
    assert np.allclose(ours.explained_variance_, ref.explained_variance_ * (N - 1) / N)
    assert np.allclose(ours.components_, align_signs(ours.components_, ref.components_),
                       atol=1e-7)
    assert np.allclose(ours.inverse_transform(ours.transform(X)),
                       ref.inverse_transform(ref.transform(X)))
    assert np.allclose(np.abs(ours.transform(X)), np.abs(ref.transform(X)))


# --- the solvers agree ------------------------------------------------------------------


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(3, 12), st.integers(3, 12))
def test_solvers_agree(seed, N, D):
    X = correlated_data(N, D, seed)
    M = min(N, D) - 1  # components with nonzero variance (centred data has rank <= N - 1)
    fits = [PCA(M, solver=s).fit(X) for s in SOLVERS]
    for other in fits[1:]:
        assert np.allclose(other.explained_variance_, fits[0].explained_variance_, atol=1e-9)
        assert np.allclose(other.components_, fits[0].components_, atol=1e-6)
        assert np.allclose(other.transform(X), fits[0].transform(X), atol=1e-6)


def test_auto_chooses_gram_when_fewer_samples_than_features():
    assert PCA(3).fit(correlated_data(10, 30)).solver_ == "gram"
    assert PCA(3).fit(correlated_data(30, 10)).solver_ == "eig"
    assert PCA(3, solver="svd").fit(correlated_data(10, 30)).solver_ == "svd"


def test_gram_on_few_samples_in_high_dimension():
    N, D = 20, 500
    X = correlated_data(N, D, seed=5)
    gram = PCA(N - 1, solver="gram").fit(X)
    eig = PCA(N - 1, solver="eig").fit(X)
    ref = SklearnPCA(N - 1, svd_solver="full").fit(X)
    assert np.allclose(gram.components_ @ gram.components_.T, np.eye(N - 1))
    assert np.allclose(gram.components_, eig.components_, atol=1e-7)
    assert np.allclose(gram.explained_variance_ratio_, ref.explained_variance_ratio_)
    # N - 1 components already reconstruct N centred samples exactly.
    assert reconstruction_error(X, gram.inverse_transform(gram.transform(X))) < 1e-18


@pytest.mark.parametrize("solver", SOLVERS)
def test_all_components_when_data_has_lower_rank(solver):
    # N = 6 samples in D = 10: the centred data has rank 5, so the 6th component
    # has zero variance; every solver still returns 6 orthonormal components.
    X = correlated_data(6, 10, seed=7)
    pca = PCA(6, solver=solver).fit(X)
    C = pca.components_
    assert C.shape == (6, 10)
    assert np.allclose(C @ C.T, np.eye(6), atol=1e-8)
    assert np.isclose(pca.explained_variance_[-1], 0.0, atol=1e-12)
    assert np.allclose(pca.inverse_transform(pca.transform(X)), X)


# --- properties ----------------------------------------------------------------------------


@pytest.mark.parametrize("solver", SOLVERS)
def test_all_components_reconstruct_exactly_and_sum_to_total_variance(solver):
    N, D = 50, 6
    X = correlated_data(N, D, seed=2)
    pca = PCA(D, solver=solver).fit(X)
    X_hat = pca.inverse_transform(pca.transform(X))
    assert reconstruction_error(X, X_hat) < 1e-20
    Xc = X - X.mean(axis=0)
    total = np.trace(Xc.T @ Xc / N)
    assert np.isclose(pca.explained_variance_.sum(), total)
    assert np.isclose(pca.explained_variance_ratio_.sum(), 1.0)
    assert np.allclose(pca.explained_variance_, np.var(pca.transform(X), axis=0))


@pytest.mark.parametrize("solver", SOLVERS)
def test_components_orthonormal_sorted_and_sign_fixed(solver):
    pca = PCA(4, solver=solver).fit(correlated_data(40, 7, seed=3))
    C = pca.components_
    assert np.allclose(C @ C.T, np.eye(4))
    assert np.all(np.diff(pca.explained_variance_) <= 0)
    largest = C[np.arange(4), np.argmax(np.abs(C), axis=1)]
    assert np.all(largest > 0)


def test_reconstruction_error_is_sum_of_discarded_eigenvalues():
    N, D = 80, 6
    X = correlated_data(N, D, seed=4)
    all_values = PCA(D).fit(X).explained_variance_
    for M in range(1, D + 1):
        pca = PCA(M).fit(X)
        error = reconstruction_error(X, pca.inverse_transform(pca.transform(X)))
        assert np.isclose(error, all_values[M:].sum(), atol=1e-12)


def test_results_are_identical_between_runs():
    X = correlated_data(30, 9, seed=6)
    a, b = PCA(3).fit(X), PCA(3).fit(X)
    assert np.array_equal(a.components_, b.components_)
    assert np.array_equal(a.explained_variance_, b.explained_variance_)


def test_fit_transform_and_defaults():
    X = correlated_data(20, 5)
    pca = PCA(2)
    assert pca.fit(X) is pca
    assert np.allclose(PCA(2).fit_transform(X), pca.transform(X))
    assert PCA().fit(X).n_components_ == 5
    assert PCA().fit(X.T).n_components_ == 5
    assert pca.n_components_ == 2 and pca.mean_.shape == (5,)
    assert pca.n_samples_ == 20 and pca.n_features_in_ == 5
    assert pca.inverse_transform(pca.transform(X[:1])).shape == (1, 5)
    assert pca.inverse_transform(pca.transform(X[:1])[0]).shape == (5,)
    assert repr(pca) == "PCA(n_components=2)"  # scikit-learn's repr: parameters not at default
    assert repr(PCA(3, solver="svd")) == "PCA(n_components=3, solver='svd')"


def test_accepts_integer_images():
    X = np.random.default_rng(0).integers(0, 256, size=(30, 16), dtype=np.uint8)
    ours = PCA(4).fit(X)
    ref = SklearnPCA(4, svd_solver="full").fit(X.astype(float))
    assert np.allclose(ours.explained_variance_ratio_, ref.explained_variance_ratio_)


def test_constant_data_has_zero_ratio():
    X = np.ones((5, 3))
    pca = PCA(2, solver="gram").fit(X)
    assert np.allclose(pca.explained_variance_, 0)
    assert np.allclose(pca.explained_variance_ratio_, 0)
    assert np.allclose(pca.components_ @ pca.components_.T, np.eye(2))


# --- step functions ------------------------------------------------------------------------


def test_center():
    X = correlated_data(10, 3)
    Xc, mu = center(X)
    assert np.allclose(mu, X.mean(axis=0))
    assert np.allclose(Xc.mean(axis=0), 0)
    assert np.allclose(Xc + mu, X)


def test_standardize_matches_scikit_learn():
    from sklearn.preprocessing import StandardScaler

    X = correlated_data(10, 3)
    X[:, 1] = 4.0  # a constant feature is only centred
    Z, mu, sigma = standardize(X)
    assert np.allclose(Z, StandardScaler().fit_transform(X))
    assert sigma[1] == 1.0


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(1, 8))
def test_eig_sorted(seed, D):
    A = np.random.default_rng(seed).normal(size=(D, D))
    S = A @ A.T
    values, vectors = eig_sorted(S)
    assert np.allclose(values, np.sort(np.linalg.eigvalsh(S))[::-1])
    assert np.allclose(S @ vectors, vectors * values, atol=1e-8)
    assert np.allclose(vectors.T @ vectors, np.eye(D), atol=1e-8)
    k = max(1, D // 2)
    top_values, top_vectors = eig_sorted(S, k)
    assert np.allclose(top_values, values[:k])
    assert np.allclose(np.abs(top_vectors.T @ vectors[:, :k]), np.eye(k), atol=1e-6)


def test_eig_sorted_bad_input():
    with pytest.raises(ValueError, match="S must be square"):
        eig_sorted(np.ones((2, 3)))
    with pytest.raises(ValueError, match="S must be symmetric"):
        eig_sorted([[1.0, 2.0], [0.0, 1.0]])
    with pytest.raises(ValueError, match="k must be between 1 and 2"):
        eig_sorted(np.eye(2), 3)
    with pytest.raises(ValueError, match="k must be >= 1"):
        eig_sorted(np.eye(2), 0)


def test_reconstruction_error():
    X = np.array([[0.0, 0.0], [1.0, 1.0]])
    assert reconstruction_error(X, X) == 0.0
    assert np.isclose(reconstruction_error(X, X + [1.0, 2.0]), 5.0)
    with pytest.raises(ValueError, match="X_hat must have the shape of X"):
        reconstruction_error(X, X[:1])
    with pytest.raises(ValueError, match="X_hat must be finite"):
        reconstruction_error(X, [[np.nan, 0.0], [1.0, 1.0]])


# --- bad input -----------------------------------------------------------------------------


@pytest.mark.parametrize("n_components, message", [
    (0, "n_components must be >= 1"),
    (-2, "n_components must be >= 1"),
    (2.5, "n_components must be an integer >= 1 or a fraction in"),
    (1.0, "n_components must be an integer >= 1 or a fraction in"),
    ("3", "n_components must be an integer"),
    (True, "n_components must be an integer"),
])
def test_bad_n_components_at_fit(n_components, message):
    # As scikit-learn requires, __init__ only stores the parameters; fit checks them.
    pca = PCA(n_components)
    assert pca.n_components is n_components
    with pytest.raises(ValueError, match=message):
        pca.fit(correlated_data(10, 4))


@pytest.mark.parametrize("shape, M", [((10, 4), 5), ((3, 8), 4)])
def test_too_many_components(shape, M):
    X = np.random.default_rng(0).normal(size=shape)
    with pytest.raises(ValueError, match=r"n_components must be between 1 and min\(N, D\)"):
        PCA(M).fit(X)


def test_unknown_solver():
    with pytest.raises(ValueError, match="solver must be one of"):
        PCA(2, solver="lanczos").fit(np.eye(3))
    pca = PCA(2)
    pca.solver = "qr"  # changed after construction, as scikit-learn's set_params would
    with pytest.raises(ValueError, match="solver must be one of"):
        pca.fit(np.eye(3))


@pytest.mark.parametrize("X, message", [
    ([[1.0, np.nan], [0.0, 1.0], [2.0, 2.0]], "X must be finite"),
    ([[1.0, np.inf], [0.0, 1.0], [2.0, 2.0]], "X must be finite"),
    ([1.0, 2.0, 3.0], "X must have 2 dimension"),
    (np.ones((2, 2, 2)), "X must have 2 dimension"),
    ([[1.0, 2.0]], "X must have at least 2 samples"),
    (np.empty((0, 3)), "X must not be empty"),
    ([["a", "b"], ["c", "d"]], "X must be an array of numbers"),
])
def test_bad_data(X, message):
    with pytest.raises(ValueError, match=message):
        PCA(1).fit(X)


def test_transform_before_fit():
    for method in ("transform", "inverse_transform"):
        with pytest.raises(NotFittedError, match="not fitted yet"):
            getattr(PCA(2), method)(np.ones((3, 2)))
    assert issubclass(NotFittedError, ValueError)


def test_wrong_dimension_at_transform():
    pca = PCA(2).fit(correlated_data(10, 4))
    with pytest.raises(ValueError, match="X must have 4 columns"):
        pca.transform(np.ones((3, 5)))
    with pytest.raises(ValueError, match="X must be finite"):
        pca.transform([[np.nan, 0, 0, 0]])
    with pytest.raises(ValueError, match="Z must have 2 columns"):
        pca.inverse_transform(np.ones((3, 3)))
    with pytest.raises(ValueError, match="Z must be finite"):
        pca.inverse_transform([[np.nan, 0.0]])


def test_input_not_modified():
    X = correlated_data(10, 4)
    X0 = X.copy()
    pca = PCA(2).fit(X)
    pca.transform(X)
    center(X)
    standardize(X)
    assert np.array_equal(X, X0)


@pytest.mark.parametrize("solver", [pca_eig, pca_svd, pca_gram])
def test_solver_functions(solver):
    X = correlated_data(30, 6, seed=8)
    Xc = X - X.mean(axis=0)
    values, B = solver(Xc, 3)
    ref = SklearnPCA(3, svd_solver="full").fit(X)
    assert np.allclose(values, ref.explained_variance_ * 29 / 30)
    assert np.allclose(B.T, align_signs(B.T, ref.components_))
    with pytest.raises(ValueError, match=r"M must be between 1 and min\(N, D\) = 6"):
        solver(Xc, 7)
    with pytest.raises(ValueError, match="M must be >= 1"):
        solver(Xc, 0)
    with pytest.raises(ValueError, match="Xc must be finite"):
        solver(np.full((3, 3), np.nan), 1)


def test_eig_solver_is_exact_for_data_far_from_the_origin():
    # The covariance is centred block by block; X^T X - N mu mu^T would lose
    # about 12 digits here.
    rng = np.random.default_rng(42)
    X = rng.normal(size=(9000, 6)) * [3, 2, 1, 0.5, 0.2, 0.1] + 1e6
    eig = PCA(3, solver="eig").fit(X)
    svd = PCA(3, solver="svd").fit(X)
    np.testing.assert_allclose(eig.explained_variance_, svd.explained_variance_, rtol=1e-8)
    np.testing.assert_allclose(np.abs(eig.components_ @ svd.components_.T), np.eye(3), atol=1e-8)


# --- a scikit-learn transformer ------------------------------------------------------------

from sklearn.base import clone  # noqa: E402
from sklearn.model_selection import GridSearchCV  # noqa: E402
from sklearn.neighbors import KNeighborsClassifier  # noqa: E402
from sklearn.pipeline import make_pipeline  # noqa: E402
from sklearn.utils.estimator_checks import check_estimator  # noqa: E402

@pytest.mark.parametrize("estimator", [PCA(), PCA(1, solver="svd"), PCA(0.9, solver="gram"),
                                       PCA(2, whiten=True)], ids=repr)
def test_scikit_learn_estimator_checks(estimator):
    results = check_estimator(estimator, on_fail=None)
    failed = {r["check_name"]: repr(r["exception"]) for r in results if r["status"] != "passed"}
    assert not failed
    names = {r["check_name"] for r in results}
    assert {"check_dtype_object", "check_transformer_preserve_dtypes"} <= names
    assert len(results) >= 47


def test_non_numeric_input_is_a_type_error_as_in_scikit_learn():
    from sklearn.utils.estimator_checks import check_dtype_object

    check_dtype_object("PCA", PCA())  # raises if PCA does not raise TypeError
    X = np.ones((4, 3), dtype=object)
    X[0, 0] = {"foo": "bar"}
    with pytest.raises(TypeError, match="X must be an array of numbers"):
        PCA().fit(X)
    with pytest.raises(TypeError, match="X must be an array of numbers"):
        PCA(1).fit(np.ones((4, 3))).transform(X)
    X[0, 0] = "abc"  # a string that is not a number stays the book's ValueError
    with pytest.raises(ValueError, match="X must be an array of numbers"):
        PCA().fit(X)


def test_works_in_pipeline_clone_and_grid_search():
    rng = np.random.default_rng(11)
    centres = rng.normal(scale=4.0, size=(3, 10))
    y = np.repeat(np.arange(3), 30)
    X = centres[y] + rng.normal(size=(90, 10))
    pipe = make_pipeline(PCA(3), KNeighborsClassifier(3)).fit(X, y)
    assert pipe.score(X, y) > 0.9
    twin = clone(PCA(4, solver="gram"))
    assert twin.get_params() == {"n_components": 4, "solver": "gram", "whiten": False}
    assert not hasattr(twin, "components_")
    search = GridSearchCV(make_pipeline(PCA(), KNeighborsClassifier(3)),
                          {"pca__n_components": [1, 2, 5]}, cv=3).fit(X, y)
    assert search.best_params_["pca__n_components"] in (1, 2, 5)
    assert search.best_estimator_[0].n_components_ == search.best_params_["pca__n_components"]


@pytest.mark.parametrize("fraction", [0.3, 0.5, 0.9, 0.99, 0.999999])
@pytest.mark.parametrize("solver", SOLVERS + ["auto"])
def test_fractional_n_components_matches_scikit_learn(fraction, solver):
    X = correlated_data(60, 8, seed=12)
    ours = PCA(fraction, solver=solver).fit(X)
    ref = SklearnPCA(fraction, svd_solver="full").fit(X)
    assert ours.n_components_ == ref.n_components_
    assert ours.explained_variance_ratio_.sum() > fraction
    assert ours.explained_variance_ratio_[:-1].sum() <= fraction
    assert np.allclose(ours.components_, ref.components_)


@pytest.mark.parametrize("solver", SOLVERS + ["auto"])
@pytest.mark.parametrize("N, D, M", [(60, 8, 3), (60, 8, 8), (15, 40, 5), (15, 40, 15)])
def test_singular_values_and_noise_variance_as_scikit_learn(solver, N, D, M):
    X = correlated_data(N, D, seed=13)
    ours = PCA(M, solver=solver).fit(X)
    ref = SklearnPCA(M, svd_solver="full").fit(X)
    # sigma = sqrt(N lambda): a zero eigenvalue, found as about eps * lambda_1, gives about
    # sqrt(eps) * sigma_1 instead of 0
    assert np.allclose(ours.singular_values_, ref.singular_values_, atol=1e-6 * ref.singular_values_[0])
    # the same average of the discarded eigenvalues, ours divided by N, theirs by N - 1
    assert np.isclose(ours.noise_variance_, ref.noise_variance_ * (N - 1) / N, atol=1e-12)


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(3, 30), st.integers(2, 12),
       st.sampled_from(SOLVERS + ["auto"]))
def test_signs_equal_scikit_learns_exactly(seed, N, D, solver):
    # scikit-learn (>= 1.5) makes the entry of largest magnitude of each component
    # positive, as PCA does: the components are equal, not equal up to sign.
    X = correlated_data(N, D, seed)
    M = min(N, D) - 1
    ours = PCA(M, solver=solver).fit(X)
    for svd_solver in ("full", "covariance_eigh"):
        ref = SklearnPCA(M, svd_solver=svd_solver).fit(X)
        assert np.array_equal(np.sign(np.sum(ours.components_ * ref.components_, axis=1)),
                              np.ones(M))
        assert np.allclose(ours.components_, ref.components_, atol=1e-6)
        assert np.allclose(ours.transform(X), ref.transform(X), atol=1e-6)


def test_auto_falls_back_on_svd_when_gram_loses_orthogonality():
    # Singular values from 1 down to 1e-7: the Gram and covariance matrices have condition
    # numbers near 1e14, so their smallest eigenvectors are lost; the SVD does not square it.
    rng = np.random.default_rng(14)
    N, D = 30, 60
    U, _ = np.linalg.qr(rng.normal(size=(N, N)))
    U = U - U.mean(axis=0)  # centred columns, so the centred data has these singular values
    V, _ = np.linalg.qr(rng.normal(size=(D, N)))
    X = U @ np.diag(np.geomspace(1.0, 1e-7, N)) @ V.T
    gram = PCA(N - 1, solver="gram").fit(X)
    auto = PCA(N - 1).fit(X)
    assert auto.solver_ == "svd"
    assert np.abs(gram.components_ @ gram.components_.T - np.eye(N - 1)).max() > 1e-8
    assert np.abs(auto.components_ @ auto.components_.T - np.eye(N - 1)).max() < 1e-12
    # well-conditioned data keep the cheap route
    assert PCA(3).fit(correlated_data(10, 30)).solver_ == "gram"
    assert PCA(3).fit(correlated_data(30, 10)).solver_ == "eig"


def test_held_out_data_is_centred_with_the_training_mean():
    X = correlated_data(40, 6, seed=15)
    X_new = correlated_data(10, 6, seed=16) + 7.0
    ours = PCA(3).fit(X)
    ref = SklearnPCA(3, svd_solver="full").fit(X)
    assert np.allclose(ours.transform(X_new), ref.transform(X_new))
    assert np.allclose(ours.transform(X_new), (X_new - X.mean(axis=0)) @ ours.components_.T)


def test_auto_judges_accuracy_on_the_kept_components_only():
    # A constant feature gives a zero eigenvalue: keeping all components needs the SVD
    # (lambda_M = 0), a fraction of the variance does not.
    X = correlated_data(60, 8, seed=17)
    X[:, 3] = 2.0
    assert PCA().fit(X).solver_ == "svd"
    frac = PCA(0.9).fit(X)
    assert frac.solver_ == "eig"
    ref = SklearnPCA(0.9, svd_solver="full").fit(X)
    assert frac.n_components_ == ref.n_components_
    assert np.allclose(frac.components_, ref.components_)


# --- the probabilistic model ------------------------------------------------------------------

from scipy.stats import multivariate_normal  # noqa: E402

from mmlbook.exceptions import SingularMatrixError  # noqa: E402


def ppca_covariance(pca):
    """C = W W^T + sigma^2 I with W = B (Lambda - sigma^2 I)^(1/2), built from the attributes."""
    B = pca.components_.T
    W = B @ np.diag(np.sqrt(pca.explained_variance_ - pca.noise_variance_))
    return W @ W.T + pca.noise_variance_ * np.eye(B.shape[0])


@pytest.mark.parametrize("solver", SOLVERS + ["auto"])
@pytest.mark.parametrize("N, D, M", [(60, 8, 1), (60, 8, 3), (60, 8, 8), (15, 40, 5)])
def test_score_samples_is_the_gaussian_log_density(solver, N, D, M):
    X = correlated_data(N, D, seed=20)
    X_new = correlated_data(7, D, seed=21)
    pca = PCA(M, solver=solver).fit(X)
    ref = multivariate_normal(pca.mean_, ppca_covariance(pca))
    np.testing.assert_allclose(pca.score_samples(X_new), ref.logpdf(X_new), rtol=1e-9)
    np.testing.assert_allclose(pca.score(X_new), ref.logpdf(X_new).mean(), rtol=1e-9)
    np.testing.assert_allclose(pca.get_covariance(), ppca_covariance(pca), atol=1e-12)
    np.testing.assert_allclose(pca.get_precision() @ pca.get_covariance(), np.eye(D), atol=1e-8)


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(3, 30), st.integers(2, 10), st.integers(1, 9))
def test_score_samples_matches_scipy_for_any_data(seed, N, D, M):
    X = correlated_data(N, D, seed)
    M = min(M, min(N - 1, D) - 1)  # below the rank of the centred data: sigma^2 > 0
    pca = PCA(M).fit(X)
    C = ppca_covariance(pca)
    np.testing.assert_allclose(pca.score_samples(X), multivariate_normal(pca.mean_, C).logpdf(X),
                               rtol=1e-7, atol=1e-7)


@pytest.mark.parametrize("N, D, M", [(60, 8, 3), (200, 12, 5), (15, 40, 5)])
def test_model_is_scikit_learns_times_n_minus_1_over_n(N, D, M):
    # The book divides by N, scikit-learn by N - 1: every variance, so the model covariance,
    # differs by the factor (N - 1) / N, and the log-likelihoods follow.
    X = correlated_data(N, D, seed=22)
    X_new = correlated_data(9, D, seed=23)
    ours = PCA(M).fit(X)
    ref = SklearnPCA(M, svd_solver="full").fit(X)
    np.testing.assert_allclose(ours.get_covariance(), ref.get_covariance() * (N - 1) / N, atol=1e-12)
    np.testing.assert_allclose(ours.get_precision(), ref.get_precision() * N / (N - 1), rtol=1e-8,
                               atol=1e-10)
    scaled = multivariate_normal(ref.mean_, ref.get_covariance() * (N - 1) / N)
    np.testing.assert_allclose(ours.score_samples(X_new), scaled.logpdf(X_new), rtol=1e-9)
    # and scikit-learn's own score_samples is the log-density of its own covariance
    np.testing.assert_allclose(ref.score_samples(X_new),
                               multivariate_normal(ref.mean_, ref.get_covariance()).logpdf(X_new),
                               rtol=1e-9)


def test_maximum_likelihood_beats_perturbed_models():
    # W and sigma^2 from the eigenvalues maximise the training likelihood: nudging sigma^2
    # or rotating W out of the principal subspace lowers it.
    X = correlated_data(300, 6, seed=24)
    pca = PCA(2).fit(X)
    best = multivariate_normal(pca.mean_, ppca_covariance(pca)).logpdf(X).sum()
    assert np.isclose(pca.score(X) * len(X), best)
    B = pca.components_.T
    W = B @ np.diag(np.sqrt(pca.explained_variance_ - pca.noise_variance_))
    rng = np.random.default_rng(25)
    for _ in range(20):
        W2 = W + 0.05 * rng.normal(size=W.shape)
        s2 = pca.noise_variance_ * np.exp(0.1 * rng.normal())
        C = W2 @ W2.T + s2 * np.eye(6)
        assert multivariate_normal(pca.mean_, C).logpdf(X).sum() < best


def test_singular_model_covariance_is_said():
    X = correlated_data(6, 10, seed=26)  # rank 5 after centring
    pca = PCA(5).fit(X)  # keeps every nonzero variance: sigma^2 = 0 with M < D
    with pytest.raises(SingularMatrixError, match="singular"):
        pca.score_samples(X)
    with pytest.raises(SingularMatrixError, match="singular"):
        pca.get_precision()
    assert np.linalg.matrix_rank(pca.get_covariance()) == 5
    with pytest.raises(NotFittedError):
        PCA().score(X)
    with pytest.raises(ValueError, match="X has 3 features, but PCA is expecting 10"):
        PCA(2).fit(X).score_samples(np.ones((2, 3)))


# --- whitening, float32, feature names -----------------------------------------------------------


@pytest.mark.parametrize("solver", SOLVERS)
def test_whiten_as_scikit_learn_with_the_n_factor(solver):
    N, D, M = 60, 8, 3
    X = correlated_data(N, D, seed=27)
    ours = PCA(M, solver=solver, whiten=True).fit(X)
    ref = SklearnPCA(M, svd_solver="full", whiten=True).fit(X)
    Z = ours.transform(X)
    # unit variance dividing by N here, by N - 1 in scikit-learn
    np.testing.assert_allclose(Z.var(axis=0), np.ones(M))
    np.testing.assert_allclose(Z, ref.transform(X) * np.sqrt(N / (N - 1)))
    np.testing.assert_allclose(ours.inverse_transform(Z), ref.inverse_transform(ref.transform(X)))
    plain = PCA(M, solver=solver).fit(X)
    np.testing.assert_allclose(plain.inverse_transform(plain.transform(X)), ours.inverse_transform(Z))
    np.testing.assert_allclose(ours.score_samples(X), plain.score_samples(X))  # the model is the same
    with pytest.raises(ValueError, match="whiten must be True or False"):
        PCA(2, whiten="yes").fit(X)


@pytest.mark.parametrize("solver", SOLVERS + ["auto"])
def test_float32_stays_float32(solver):
    X = correlated_data(40, 6, seed=28)
    X32 = X.astype(np.float32)
    pca = PCA(3, solver=solver).fit(X32)
    ref = SklearnPCA(3).fit(X32)
    for name in ("mean_", "components_", "explained_variance_", "explained_variance_ratio_",
                 "singular_values_"):
        assert getattr(pca, name).dtype == getattr(ref, name).dtype == np.float32, name
    Z = pca.transform(X32)
    assert Z.dtype == ref.transform(X32).dtype == np.float32
    assert pca.inverse_transform(Z).dtype == np.float32
    assert pca.fit_transform(X32).dtype == np.float32
    np.testing.assert_allclose(Z, PCA(3, solver=solver).fit(X).transform(X), rtol=1e-4, atol=1e-4)
    assert PCA(3).fit(X).transform(X).dtype == np.float64
    assert PCA(3).fit(X.astype(int)).transform(X.astype(int)).dtype == np.float64


def test_feature_names_out_as_scikit_learn():
    X = correlated_data(30, 5, seed=29)
    ours = PCA(3).fit(X)
    ref = SklearnPCA(3).fit(X)
    assert list(ours.get_feature_names_out()) == list(ref.get_feature_names_out()) == \
        ["pca0", "pca1", "pca2"]
    import sklearn.exceptions

    with pytest.raises(sklearn.exceptions.NotFittedError):
        PCA(3).get_feature_names_out()
    # scikit-learn's own checks of the method (not in check_estimator's list)
    from sklearn.utils.estimator_checks import (check_get_feature_names_out_error,
                                                check_transformer_get_feature_names_out)
    check_transformer_get_feature_names_out("PCA", PCA(2))
    check_get_feature_names_out_error("PCA", PCA(2))


@pytest.mark.parametrize("scale", [1e-12, 1e-6, 1.0, 1e6])
def test_gram_does_not_take_small_data_for_zero_variance(scale):
    # The test for a direction of zero variance is relative to the largest length: with an
    # absolute floor, data of scale 1e-12 had every eigenvalue set to 0 (and PCA's auto route,
    # which takes gram when N < D, returned zero variances).
    rng = np.random.default_rng(3)
    Xc, _ = center(rng.normal(size=(5, 8)) * scale)
    values, B = pca_gram(Xc, 4)
    ref_values, ref_B = pca_svd(Xc, 4)
    np.testing.assert_allclose(values, ref_values, rtol=1e-10)
    np.testing.assert_allclose(B, ref_B, atol=1e-8)
    auto = PCA(3).fit(Xc)
    assert auto.solver_ == "gram"
    np.testing.assert_allclose(auto.explained_variance_, ref_values[:3], rtol=1e-10)
    # the fifth direction has zero variance and is still completed, at every scale
    values5, B5 = pca_gram(Xc, 5)
    assert values5[-1] == 0.0
    np.testing.assert_allclose(B5.T @ B5, np.eye(5), atol=1e-12)
