"""Tests for mmlbook.pca.ppca: against scipy, direct maximisation, scikit-learn, properties."""

import numpy as np
import pytest
import scipy.optimize
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import multivariate_normal
from sklearn.decomposition import PCA as SklearnPCA

from mmlbook.exceptions import SingularMatrixError
from mmlbook.pca import (PCA, held_out_log_likelihood, ppca_log_likelihood, ppca_ml,
                         ppca_posterior_mean, ppca_sample)


def latent_data(N=400, D=5, M=2, sigma=0.3, seed=0):
    """Samples of a probabilistic PCA model with known W, mu, sigma."""
    rng = np.random.default_rng(seed)
    W = rng.normal(size=(D, M)) * 2.0
    mu = rng.normal(size=D)
    return rng.normal(size=(N, M)) @ W.T + mu + sigma * rng.normal(size=(N, D))


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(1, 4), st.integers(2, 6),
       st.floats(0.01, 10.0))
def test_log_likelihood_equals_scipy(seed, M, D, sigma2):
    rng = np.random.default_rng(seed)
    X, mu, W = rng.normal(size=(7, D)), rng.normal(size=D), rng.normal(size=(D, M))
    ref = multivariate_normal(mu, W @ W.T + sigma2 * np.eye(D)).logpdf(X).mean()
    assert np.isclose(ppca_log_likelihood(X, mu, W, sigma2), ref, rtol=1e-10)


def test_ml_solution_matches_direct_maximisation():
    X = latent_data(N=300, D=5, M=2, seed=1)
    D, M = 5, 2
    mu, W, sigma2 = ppca_ml(X, M)

    def negative(theta):
        return -ppca_log_likelihood(X, X.mean(axis=0), theta[:-1].reshape(D, M), np.exp(theta[-1]))

    start = np.concatenate([np.random.default_rng(2).normal(size=D * M), [0.0]])
    res = scipy.optimize.minimize(negative, start, method="BFGS", options={"gtol": 1e-9})
    W_opt, sigma2_opt = res.x[:-1].reshape(D, M), np.exp(res.x[-1])
    assert np.isclose(-res.fun, ppca_log_likelihood(X, mu, W, sigma2), rtol=1e-8)
    assert np.isclose(sigma2_opt, sigma2, rtol=1e-4)
    np.testing.assert_allclose(W_opt @ W_opt.T, W @ W.T, atol=1e-4)  # W only up to a rotation
    assert np.allclose(mu, X.mean(axis=0))


def test_ml_solution_with_fewer_samples_than_dimensions():
    # N < D: S has D - N + 1 zero eigenvalues, and sigma^2 is the mean of all D - M discarded ones
    X = np.random.default_rng(11).normal(size=(6, 9))
    N, D, M = 6, 9, 2
    mu, W, sigma2 = ppca_ml(X, M)
    lam = np.linalg.eigvalsh(np.cov(X.T, bias=True))[::-1]
    assert np.isclose(sigma2, lam[M:].mean())
    assert np.isclose(sigma2, PCA(M).fit(X).noise_variance_ * (N - M) / (D - M))

    def negative(theta):
        return -ppca_log_likelihood(X, mu, theta[:-1].reshape(D, M), np.exp(theta[-1]))

    start = np.concatenate([np.random.default_rng(12).normal(size=D * M), [0.0]])
    res = scipy.optimize.minimize(negative, start, method="BFGS", options={"gtol": 1e-9})
    assert np.isclose(-res.fun, ppca_log_likelihood(X, mu, W, sigma2), rtol=1e-8)
    assert np.isclose(np.exp(res.x[-1]), sigma2, rtol=1e-4)
    assert ppca_ml(X, N)[2] == 0.0  # every nonzero variance kept


@pytest.mark.parametrize("N, D, rank, M, scale", [(3, 3, 1, 2, 1e-4), (4, 4, 2, 3, 1e3), (4, 3, 1, 2, 1e2),
                                                   (6, 9, 2, 4, 1.0), (12, 5, 3, 5, 10.0)])
def test_ml_at_or_past_the_rank_is_finite(N, D, rank, M, scale):
    # M beyond the rank of the centred data: the kept zero eigenvalues give zero columns of W,
    # not NaN from sqrt(lambda_m - sigma^2) when rounding puts sigma^2 above a zero lambda_m
    rng = np.random.default_rng(N * D + M)
    X = scale * rng.normal(size=(N, rank)) @ rng.normal(size=(rank, D))
    with np.errstate(invalid="raise"):
        mu, W, sigma2 = ppca_ml(X, M)
    assert np.all(np.isfinite(W)) and 0.0 <= sigma2 <= 1e-12 * scale**2 * D
    S = np.cov(X.T, bias=True)                      # sigma^2 = 0: W W^T is all of S
    np.testing.assert_allclose(W @ W.T + sigma2 * np.eye(D), S, atol=1e-12 * np.abs(S).max())


@pytest.mark.parametrize("M", [1, 2, 3, 4])
def test_ml_parameters_equal_the_estimators_model(M):
    X = latent_data(N=200, D=5, seed=3)
    mu, W, sigma2 = ppca_ml(X, M)
    pca = PCA(M).fit(X)
    np.testing.assert_allclose(W @ W.T + sigma2 * np.eye(5), pca.get_covariance(), atol=1e-12)
    assert np.isclose(ppca_log_likelihood(X, mu, W, sigma2), pca.score(X))
    # scikit-learn's noise variance divides by N - 1
    ref = SklearnPCA(M).fit(X)
    assert np.isclose(sigma2, ref.noise_variance_ * 199 / 200)


def test_held_out_equals_scoring_each_model():
    both = latent_data(N=210, D=8, M=3, seed=4)  # one model: train on 150 samples, test on 60
    X, X_test = both[:150], both[150:]
    Ms = [1, 2, 3, 5, 7]
    curve = held_out_log_likelihood(X, X_test, Ms)
    expected = [PCA(M).fit(X).score(X_test) for M in Ms]
    np.testing.assert_allclose(curve, expected, rtol=1e-10)
    assert int(np.argmax(curve)) == Ms.index(3)  # the true latent dimension wins
    with pytest.raises(ValueError, match="Ms must be <= 7"):
        held_out_log_likelihood(X, X_test, [8])
    with pytest.raises(ValueError, match="X_test must have 8 columns"):
        held_out_log_likelihood(X, X_test[:, :3], [2])


def test_held_out_refuses_m_at_the_rank():
    rng = np.random.default_rng(6)
    X = rng.normal(size=(40, 3)) @ rng.normal(size=(3, 6))  # rank 3
    with pytest.raises(SingularMatrixError, match="Ms holds M = 3, .* below the rank of the centred X_train"):
        held_out_log_likelihood(X, X, [1, 3])
    with pytest.raises(SingularMatrixError, match="Ms holds M = 4"):  # past the rank: sigma^2 = 0 too
        held_out_log_likelihood(X, X[:5], [2, 4])
    with pytest.raises(ValueError, match="Ms must be <= 5"):  # out of range first, as declared
        held_out_log_likelihood(X, X, [3, 6])
    assert np.isfinite(held_out_log_likelihood(X, X, [1, 2])).all()  # below the rank: a finite answer


def test_samples_have_the_model_moments():
    rng = np.random.default_rng(7)
    mu, W, sigma2 = rng.normal(size=4), rng.normal(size=(4, 2)), 0.5
    X = ppca_sample(mu, W, sigma2, 200_000, rng=8)
    assert np.allclose(X.mean(axis=0), mu, atol=0.02)
    assert np.allclose(np.cov(X.T), W @ W.T + sigma2 * np.eye(4), atol=0.03)
    assert np.array_equal(ppca_sample(mu, W, sigma2, 5, rng=1), ppca_sample(mu, W, sigma2, 5, rng=1))
    flat = ppca_sample(mu, W, 0.0, 50, rng=2) - mu  # no noise: in the column space of W
    assert np.allclose(flat - flat @ W @ np.linalg.pinv(W), 0.0)


def test_posterior_mean_tends_to_whitened_pca_codes():
    X = latent_data(N=300, D=6, M=2, seed=9)
    pca = PCA(2, whiten=True).fit(X)
    B, lam = pca.components_.T, pca.explained_variance_
    gaps = []
    for sigma2 in [0.5, 0.05, 5e-3, 0.0]:
        W = B * np.sqrt(lam - sigma2)
        gaps.append(np.abs(ppca_posterior_mean(X, pca.mean_, W, sigma2) - pca.transform(X)).max())
    assert gaps[-1] < 1e-10 and np.all(np.diff(gaps) < 0)
    # the posterior mean is the Gaussian conditional mean, from the joint covariance of (z, x)
    mu, W, sigma2 = ppca_ml(X, 2)
    C = W @ W.T + sigma2 * np.eye(6)
    ref = (X - mu) @ np.linalg.solve(C, W)
    np.testing.assert_allclose(ppca_posterior_mean(X, mu, W, sigma2), ref, atol=1e-10)


def test_bad_shapes_are_named():
    X = latent_data(N=20, D=4)
    with pytest.raises(ValueError, match="mu must have length 4"):
        ppca_log_likelihood(X, np.zeros(3), np.ones((4, 1)), 1.0)
    with pytest.raises(ValueError, match="W must have 4 rows"):
        ppca_log_likelihood(X, np.zeros(4), np.ones((3, 1)), 1.0)
    with pytest.raises(ValueError, match="sigma2 must be > 0"):
        ppca_log_likelihood(X, np.zeros(4), np.ones((4, 1)), 0.0)
    with pytest.raises(ValueError, match="M must be <= 4"):
        ppca_ml(X, 5)
