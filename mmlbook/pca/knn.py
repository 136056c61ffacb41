r"""Classify by distance: pairwise distances and the k-nearest-neighbours rule.

A query point gets the label most common among the :math:`k` training points
closest to it in Euclidean distance.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from mmlbook._validation import as_matrix, check_finite, check_positive_int
from mmlbook._validation import pow2_scale, unscale

__all__ = ["knn_classify", "pairwise_distances"]

# Queries are processed in blocks so that a block's distance matrix stays
# below about this many entries (memory, not speed).
_BLOCK_ENTRIES = 4_000_000


def _squared_distances(X: np.ndarray, Y: np.ndarray) -> np.ndarray:
    sq = (X ** 2).sum(axis=1)[:, None] + (Y ** 2).sum(axis=1)[None, :] - 2.0 * (X @ Y.T)
    return np.maximum(sq, 0.0)


def pairwise_distances(X: Any, Y: Any = None) -> np.ndarray:
    r"""Euclidean distance between every row of ``X`` and every row of ``Y``.

    Vectorised with the expansion

    .. math:: \lVert \mathbf x - \mathbf y \rVert^2
              = \lVert \mathbf x \rVert^2 + \lVert \mathbf y \rVert^2
              - 2\,\mathbf x^\top \mathbf y ,

    so the whole matrix costs one matrix product. Rounding can make the right
    side slightly negative when :math:`\mathbf x \approx \mathbf y`; it is
    clipped at zero before the square root.

    Parameters
    ----------
    X : array_like, shape (N, D)
    Y : array_like, shape (M, D), optional
        Defaults to ``X``.

    Returns
    -------
    numpy.ndarray, shape (N, M)
        Entry :math:`(i, j)` is :math:`\lVert \mathbf x_i - \mathbf y_j \rVert`.

    Raises
    ------
    ValueError
        If ``X`` or ``Y`` is not a non-empty, finite 2-D array, or their
        numbers of columns differ.

    Examples
    --------
    >>> pairwise_distances([[0.0, 0.0], [3.0, 4.0]]).tolist()
    [[0.0, 5.0], [5.0, 0.0]]
    """
    X = as_matrix(X, "X")
    if Y is None:
        Y = X
    else:
        Y = as_matrix(Y, "Y")
        if Y.shape[1] != X.shape[1]:
            raise ValueError(f"Y must have {X.shape[1]} columns like X, got shape {Y.shape}")
    scale = max(pow2_scale(X), pow2_scale(Y))  # distances scale with the data: work near 1
    return unscale(np.sqrt(_squared_distances(X / scale, Y / scale)), scale, "X and Y")


def _labels(y: Any, N: int) -> np.ndarray:
    y = np.asarray(y)
    if y.ndim != 1:
        raise ValueError(f"y_train must have 1 dimension(s), got shape {y.shape}")
    if y.shape[0] != N:
        raise ValueError(f"X_train and y_train must have the same length, got {N} and {y.shape[0]}")
    if y.dtype.kind in "fc":
        check_finite(y, "y_train")
    if y.dtype.kind == "O" and any(v is None for v in y):
        raise ValueError("y_train must not contain None")
    return y


def knn_classify(X_train: Any, y_train: Any, X_query: Any, k: int = 3) -> np.ndarray:
    r"""Label each query point by a majority vote of its ``k`` nearest training points.

    For a query :math:`\mathbf x`, let :math:`\mathcal N_k(\mathbf x)` be the
    :math:`k` training points closest in Euclidean distance (equal distances
    go to the training point that comes first). The prediction is

    .. math:: \hat y(\mathbf x) = \arg\max_c
              \sum_{n \in \mathcal N_k(\mathbf x)} [\, y_n = c \,] .

    Parameters
    ----------
    X_train : array_like, shape (N, D)
        Training points, one per row.
    y_train : array_like, shape (N,)
        Their labels (numbers or strings).
    X_query : array_like, shape (Q, D)
        Points to classify.
    k : int
        Number of neighbours, ``1 <= k <= N``.

    Returns
    -------
    numpy.ndarray, shape (Q,)
        Predicted labels, with the dtype of ``y_train``.

    Raises
    ------
    ValueError
        If an array is not finite or has the wrong number of dimensions,
        ``X_query`` has a different number of columns from ``X_train``,
        ``y_train`` has a different length from ``X_train``, or ``k`` is not
        an integer in ``[1, N]``.

    Notes
    -----
    **Ties.** When two or more labels share the largest vote, the winner is
    the tied label held by the *nearest* of the ``k`` neighbours. This differs
    from scikit-learn's ``KNeighborsClassifier``, which picks the smallest
    tied label; with ``k = 1`` or any strict majority the two agree. An odd
    ``k`` avoids ties between two classes but not among three or more.

    Examples
    --------
    >>> X = [[0.0], [1.0], [10.0], [11.0]]
    >>> knn_classify(X, ["a", "a", "b", "b"], [[0.4], [9.0]], k=3).tolist()
    ['a', 'b']
    """
    X_train = as_matrix(X_train, "X_train")
    N, D = X_train.shape
    y_train = _labels(y_train, N)
    X_query = as_matrix(X_query, "X_query")
    if X_query.shape[1] != D:
        raise ValueError(f"X_query must have {D} columns like X_train, got shape {X_query.shape}")
    k = check_positive_int(k, "k")
    if k > N:
        raise ValueError(f"k must be <= the number of training points {N}, got {k}")
    scale = max(pow2_scale(X_train), pow2_scale(X_query))  # neighbours do not change with the scale
    X_train, X_query = X_train / scale, X_query / scale

    classes, codes = np.unique(y_train, return_inverse=True)
    C = classes.shape[0]
    Q = X_query.shape[0]
    out = np.empty(Q, dtype=np.intp)
    block = max(1, _BLOCK_ENTRIES // N)
    rows = np.arange(min(block, Q))[:, None]
    for start in range(0, Q, block):
        sq = _squared_distances(X_query[start:start + block], X_train)
        nearest = np.argsort(sq, axis=1, kind="stable")[:, :k]   # (q, k), nearest first
        votes = codes[nearest]                                   # (q, k) class codes
        q = votes.shape[0]
        counts = np.zeros((q, C), dtype=np.intp)
        np.add.at(counts, (np.repeat(np.arange(q), k), votes.ravel()), 1)
        first = np.full((q, C), k, dtype=np.intp)                # position of each class's nearest vote
        for j in range(k - 1, -1, -1):
            first[rows[:q, 0], votes[:, j]] = j
        score = counts * (k + 1) - first                         # more votes first, then nearer
        out[start:start + q] = np.argmax(score, axis=1)
    return classes[out]
