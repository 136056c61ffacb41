"""Tests of mmlbook.linalg.pagerank: link_matrix, pagerank, random_internet."""

import networkx as nx
import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from mmlbook.exceptions import ConvergenceError
from mmlbook.linalg import link_matrix, pagerank, random_internet

MICRO = np.array([
    [0, 1, 1, 0, 0, 0],
    [1, 0, 0, 1, 1, 0],
    [1, 0, 0, 0, 0, 1],
    [0, 1, 0, 0, 1, 1],
    [0, 0, 0, 1, 0, 1],
    [1, 0, 0, 1, 0, 0],
])


def networkx_ranks(A, damping=0.85):
    """networkx's own PageRank of the graph whose adjacency matrix is A."""
    G = nx.from_numpy_array(np.asarray(A, dtype=float), create_using=nx.DiGraph)
    ranks = nx.pagerank(G, alpha=damping, tol=1e-12, max_iter=10_000)
    return np.array([ranks[i] for i in range(len(A))])


def damped_eigenvector(A, damping):
    """The eigenvector with eigenvalue 1 of M = d L + (1 - d)/n J, from numpy.linalg.eig."""
    n = len(A)
    M = damping * link_matrix(A) + (1 - damping) / n * np.ones((n, n))
    values, vectors = np.linalg.eig(M)
    v = np.real(vectors[:, np.argmin(np.abs(values - 1))])
    return v / v.sum()


# A dangling page (3), a self-link (2 -> 2), weighted links.
GRAPHS = {
    "micro": MICRO,
    "dangling": np.array([[0, 1, 1, 0], [0, 0, 1, 1], [1, 0, 0, 1], [0, 0, 0, 0]]),
    "self-link": np.array([[0, 1, 0], [0, 0, 1], [0, 1, 1]]),
    "weighted": np.array([[0, 2.5, 0.5, 0], [1, 0, 0, 3], [0, 0.2, 0, 0.8], [4, 0, 1, 0]]),
    "single page": np.array([[0]]),
    "all dangling": np.zeros((5, 5)),
    "random": random_internet(60, rng=7),
}


@pytest.mark.parametrize("name", GRAPHS)
@pytest.mark.parametrize("damping", [0.5, 0.85, 0.95])
def test_agrees_with_networkx(name, damping):
    A = GRAPHS[name]
    np.testing.assert_allclose(pagerank(A, damping, tol=1e-13), networkx_ranks(A, damping),
                               atol=1e-10)


@pytest.mark.parametrize("name", GRAPHS)
def test_agrees_with_numpy_eigenvector(name):
    A = GRAPHS[name]
    np.testing.assert_allclose(pagerank(A, 0.85, tol=1e-13), damped_eigenvector(A, 0.85),
                               atol=1e-10)


def test_undamped_micro_internet_is_eigenvector_of_L():
    r = pagerank(MICRO, damping=1.0)
    np.testing.assert_allclose(link_matrix(MICRO) @ r, r, atol=1e-9)


def test_zero_damping_gives_uniform_ranks():
    np.testing.assert_allclose(pagerank(MICRO, damping=0.0), np.full(6, 1 / 6))


def test_self_link_traps_surfer_without_damping():
    A = np.zeros((3, 3))
    A[0, 1] = A[1, 2] = A[2, 2] = 1
    r = pagerank(A, damping=1.0)
    np.testing.assert_allclose(r, [0, 0, 1], atol=1e-8)


def test_dense_and_sparse_agree():
    A = random_internet(200, rng=3)
    dense = pagerank(A)
    for fmt in (sp.csr_array, sp.csc_array, sp.coo_array, sp.csr_matrix):
        np.testing.assert_allclose(pagerank(fmt(A)), dense, atol=1e-12)


def test_sparse_input_is_never_made_dense(monkeypatch):
    A = sp.random_array((5000, 5000), density=1e-3, rng=1, format="csr")

    def refuse(*args, **kwargs):
        raise AssertionError("a sparse matrix was made dense")

    monkeypatch.setattr(sp.csr_array, "toarray", refuse)
    monkeypatch.setattr(sp.csr_array, "todense", refuse)
    r = pagerank(A)
    assert r.shape == (5000,)
    assert np.isclose(r.sum(), 1)


def test_sparse_link_matrix_matches_dense_away_from_dangling_pages():
    A = GRAPHS["dangling"]
    dense = link_matrix(A)
    sparse = link_matrix(sp.csr_array(A)).toarray()
    np.testing.assert_allclose(sparse[:, :3], dense[:, :3])
    np.testing.assert_allclose(sparse[:, 3], 0)  # dangling column left for pagerank


def test_link_matrix_is_column_stochastic_with_uniform_dangling_column():
    L = link_matrix(GRAPHS["dangling"])
    np.testing.assert_allclose(L.sum(axis=0), 1)
    np.testing.assert_allclose(L[:, 3], 0.25)
    assert L[1, 0] == 0.5 and L[2, 0] == 0.5  # page 0 links to 1 and 2


def test_link_matrix_weights():
    L = link_matrix([[0, 3, 1], [1, 0, 0], [1, 1, 0]])
    np.testing.assert_allclose(L[:, 0], [0, 0.75, 0.25])


adjacency_matrices = st.integers(1, 12).flatmap(
    lambda n: arrays(float, (n, n), elements=st.sampled_from([0.0, 0.0, 1.0, 2.0, 0.5])))


@given(adjacency_matrices, st.floats(0, 0.95))
def test_ranks_are_a_probability_vector(A, d):
    r = pagerank(A, d)
    assert np.all(r >= 0)
    assert np.isclose(r.sum(), 1)


@given(adjacency_matrices, st.randoms(use_true_random=False))
def test_relabelling_pages_permutes_ranks(A, random):
    n = len(A)
    perm = np.array(random.sample(range(n), n))
    permuted = A[np.ix_(perm, perm)]
    np.testing.assert_allclose(pagerank(permuted, tol=1e-13), pagerank(A, tol=1e-13)[perm],
                               atol=1e-10)


def test_random_internet_is_reproducible_and_has_no_self_links():
    A = random_internet(100, rng=11)
    np.testing.assert_array_equal(A, random_internet(100, rng=11))
    assert A.shape == (100, 100)
    assert np.all(np.diag(A) == 0)
    assert set(np.unique(A)) <= {0, 1}
    assert 2 < A.sum() / 100 < 6  # about links_per_page=4 links each


@pytest.mark.parametrize("A, message", [
    (np.ones((2, 3)), "adjacency must be square"),
    (np.ones(4), "adjacency must have 2 dimension"),
    (np.zeros((0, 0)), "at least one page"),
    (np.array([[0, -1], [1, 0]]), "adjacency must be non-negative"),
    (np.array([[0, np.nan], [1, 0]]), "adjacency must be finite"),
    (np.array([[0, np.inf], [1, 0]]), "adjacency must be finite"),
    (sp.csr_array(np.ones((2, 3))), "adjacency must be square"),
    (sp.csr_array(np.array([[0, -1.0], [1, 0]])), "adjacency must be non-negative"),
    (sp.csr_array(np.array([[0, np.nan], [1, 0]])), "adjacency must be finite"),
    ([["a", "b"], ["c", "d"]], "adjacency must be an array of numbers"),
])
def test_bad_adjacency(A, message):
    with pytest.raises(ValueError, match=message):
        pagerank(A)
    with pytest.raises(ValueError, match=message):
        link_matrix(A)


@pytest.mark.parametrize("damping", [-0.1, 1.5, np.nan, "0.85", None])
def test_bad_damping(damping):
    with pytest.raises(ValueError, match="damping"):
        pagerank(MICRO, damping)


@pytest.mark.parametrize("kwargs, message", [
    ({"tol": 0}, "tol"), ({"tol": -1e-3}, "tol"),
    ({"max_iter": 0}, "max_iter"), ({"max_iter": 2.5}, "max_iter"),
])
def test_bad_options(kwargs, message):
    with pytest.raises(ValueError, match=message):
        pagerank(MICRO, **kwargs)


def test_no_convergence_reports_iterations_and_change():
    with pytest.raises(ConvergenceError, match=r"pagerank did not converge in 3 iterations") as info:
        pagerank(random_internet(50, rng=1), tol=1e-15, max_iter=3)
    assert info.value.nit == 3
    assert info.value.residual > 0


def test_duplicate_sparse_links_are_summed_without_changing_the_input():
    rows, cols = np.array([0, 0, 1, 2]), np.array([1, 1, 2, 0])  # link 0 -> 1 twice
    A = sp.csr_array((np.ones(4), (rows, cols)), shape=(3, 3))
    A = sp.csr_array((A.data.copy(), A.indices.copy(), A.indptr.copy()), shape=(3, 3))
    coo = sp.coo_array((np.ones(4), (rows, cols)), shape=(3, 3))
    before = (coo.data.copy(), coo.row.copy(), coo.col.copy())
    dense = np.zeros((3, 3))
    np.add.at(dense, (rows, cols), 1)
    np.testing.assert_allclose(pagerank(coo), pagerank(dense), atol=1e-12)
    for got, want in zip((coo.data, coo.row, coo.col), before):
        np.testing.assert_array_equal(got, want)
    unsorted = sp.csr_array((np.array([1.0, 2.0]), np.array([2, 1]), np.array([0, 2, 2, 2])), shape=(3, 3))
    indices = unsorted.indices.copy()
    pagerank(unsorted)
    np.testing.assert_array_equal(unsorted.indices, indices)
