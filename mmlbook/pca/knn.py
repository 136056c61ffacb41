r"""Classify by distance: pairwise distances and the k-nearest-neighbours rule.

A query point gets the label most common among the :math:`k` training points
closest to it in Euclidean distance.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from mmlbook._checks import checked, homogeneous, integer, matrix, optional
from mmlbook._validation import check_finite

__all__ = ["knn_classify", "pairwise_distances"]

# Queries are processed in blocks so that a block's distance matrix stays
# below about this many entries (memory, not speed).
_BLOCK_ENTRIES = 4_000_000


def _squared_distances(X: np.ndarray, Y: np.ndarray) -> np.ndarray:
    sq = (X ** 2).sum(axis=1)[:, None] + (Y ** 2).sum(axis=1)[None, :] - 2.0 * (X @ Y.T)
    return np.maximum(sq, 0.0)


@checked(X=matrix, Y=optional(matrix(cols="X")))
@homogeneous(X=1, Y=1, jointly=True)  # distances scale with the data
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
    if Y is None:
        Y = X
    return np.sqrt(_squared_distances(X, Y))


def labels(y: Any, name: str, args: dict) -> np.ndarray:
    """The check of ``y_train``: one label per training point, all numbers or all strings, none missing."""
    if not isinstance(y, np.ndarray) and np.ndim(y) == 1:
        kinds = {"string" if isinstance(v, str) else "number" for v in y}
        if len(kinds) > 1:  # numpy would silently turn the numbers into strings
            raise ValueError(f"{name} must hold labels of one kind, got a mix of strings and numbers")
    y = np.asarray(y)
    N = args["X_train"].shape[0]
    if y.ndim != 1:
        raise ValueError(f"{name} must have 1 dimension(s), got shape {y.shape}")
    if y.shape[0] != N:
        raise ValueError(f"X_train and {name} must have the same length, got {N} and {y.shape[0]}")
    if y.dtype.kind == "c":
        raise ValueError(f"{name} must hold real labels, got complex values")
    if y.dtype.kind == "f":
        check_finite(y, name)
    if y.dtype.kind == "O":
        if any(v is None for v in y):
            raise ValueError(f"{name} must not contain None")
        try:
            np.unique(y)
        except TypeError:
            kinds = sorted({type(v).__name__ for v in y})
            raise ValueError(f"{name} must hold labels of one kind that can be sorted, "
                             f"got a mix of {', '.join(kinds)}") from None
    return y


def _vote(votes: np.ndarray, C: int) -> np.ndarray:
    """The winning class of each row of ``votes`` (class codes of the k nearest, nearest first).

    The most votes win; a tie goes to the class whose vote is nearest.
    """
    q, k = votes.shape
    counts = np.zeros((q, C), dtype=np.intp)                 # votes for each class
    np.add.at(counts, (np.repeat(np.arange(q), k), votes.ravel()), 1)
    first = np.full((q, C), k, dtype=np.intp)                # position of each class's nearest vote
    for j in range(k - 1, -1, -1):
        first[np.arange(q), votes[:, j]] = j
    return np.argmax(counts * (k + 1) - first, axis=1)       # more votes first, then nearer


@checked(X_train=matrix, y_train=labels, X_query=matrix(cols="X_train"),
         k=integer(low=1, high="X_train"))
@homogeneous(X_train=0, X_query=0, jointly=True, returns=0)  # neighbours do not change with the scale
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
    classes, codes = np.unique(y_train, return_inverse=True)
    block = max(1, _BLOCK_ENTRIES // len(X_train))  # queries per block: bounded memory
    winners = []
    for start in range(0, len(X_query), block):
        sq = _squared_distances(X_query[start:start + block], X_train)
        nearest = np.argsort(sq, axis=1, kind="stable")[:, :k]  # (q, k), nearest first
        winners.append(_vote(codes[nearest], len(classes)))
    return classes[np.concatenate(winners)]
