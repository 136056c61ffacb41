r"""The determinant by cofactor (Laplace) expansion, the definition the elimination formula rests on."""

from __future__ import annotations

from typing import Any

import numpy as np

from mmlbook._checks import checked, in_range, square

__all__ = ["cofactor_determinant", "MAX_COFACTOR_SIZE"]

#: Cofactor expansion costs about n! products: 10! is 3.6 million, a few seconds in Python.
MAX_COFACTOR_SIZE = 10


def _small_square(A: Any, name: str, args: dict) -> np.ndarray:
    A = square(A, name, args)
    if A.shape[0] > MAX_COFACTOR_SIZE:
        raise ValueError(f"{name} must be at most {MAX_COFACTOR_SIZE} x {MAX_COFACTOR_SIZE} for cofactor "
                         f"expansion (it costs n! products), got shape {A.shape}; use determinant instead")
    return A


@checked(A=_small_square)
@in_range("A")
def cofactor_determinant(A: Any) -> float:
    r"""The determinant by cofactor expansion along the first row.

    .. math:: \det A = \sum_{j=1}^{n} (-1)^{1+j}\, a_{1j} \det A_{1j},

    where the minor :math:`A_{1j}` is :math:`A` without row 1 and column
    :math:`j`, and :math:`\det (a) = a` for a :math:`1 \times 1` matrix.
    Each level of the recursion calls :math:`n` determinants of size
    :math:`n - 1`, so the cost grows like :math:`n!`, against
    :math:`n^3/3` for elimination (:func:`mmlbook.linalg.determinant`).

    Parameters
    ----------
    A : array_like, shape (n, n)
        A finite square matrix, :math:`n \le 10`.

    Returns
    -------
    float
        :math:`\det A`.

    Raises
    ------
    ValueError
        If ``A`` is not a finite square matrix, is larger than 10 × 10, or its
        determinant (or a partial sum) is beyond the float range.

    References
    ----------
    Strang, *Introduction to Linear Algebra*, section 5.2.

    Examples
    --------
    >>> cofactor_determinant([[1.0, 2.0], [3.0, 4.0]])
    -2.0
    """
    def det(M):
        if len(M) == 1:
            return M[0, 0]
        below = M[1:]                                   # the rows every minor keeps
        return sum((-1) ** j * M[0, j] * det(np.delete(below, j, axis=1)) for j in range(len(M)))

    return float(det(A))
