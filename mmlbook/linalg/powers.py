"""Matrix powers by repeated squaring."""

from __future__ import annotations

from typing import Any

import numpy as np

from mmlbook._checks import checked, in_range, integer, square


def _square_and_multiply(A: np.ndarray, k: int) -> tuple[np.ndarray, int]:
    """A^k by repeated squaring, and the number of matrix products used."""
    result = None                        # no factor yet
    square = A.copy()                    # A, A^2, A^4, A^8, ... in turn
    products = 0
    while k > 0:
        if k & 1:                        # this binary digit of k is 1: use this square
            if result is None:
                result = square          # the first factor costs no product
            else:
                result = result @ square
                products += 1
        k >>= 1
        if k:
            square = square @ square
            products += 1
    if result is None:                   # k = 0: A^0 = I
        result = np.eye(A.shape[0])
    return result, products


@checked(A=square, k=integer(low=0))
@in_range("A")  # A^k may overflow: that is said, naming A
def matrix_power_squaring(A: Any, k: Any) -> np.ndarray:
    r"""The matrix power :math:`A^k` by repeated squaring.

    Write :math:`k` in binary, :math:`k = \sum_j b_j 2^j`; then
    :math:`A^k = \prod_{j : b_j = 1} A^{2^j}`, and the factors
    :math:`A, A^2, A^4, \dots` come from squaring the previous one. That
    takes at most :math:`2\lfloor\log_2 k\rfloor` matrix products instead of
    the :math:`k - 1` of repeated multiplication, and works for every square
    matrix, diagonalisable or not (unlike :func:`mmlbook.linalg.matrix_power`).

    Parameters
    ----------
    A : array_like, shape (n, n)
        A finite square matrix.
    k : int
        The exponent, :math:`k \ge 0`; :math:`A^0 = I`.

    Returns
    -------
    ndarray, shape (n, n)
        :math:`A^k`.

    Raises
    ------
    ValueError
        If ``A`` is not a finite, non-empty square matrix or ``k`` is not a
        non-negative integer.

    References
    ----------
    Knuth, *The Art of Computer Programming*, vol. 2, section 4.6.3;
    :func:`numpy.linalg.matrix_power` uses the same method.

    Examples
    --------
    >>> matrix_power_squaring([[1.0, 1.0], [0.0, 1.0]], 10)
    array([[ 1., 10.],
           [ 0.,  1.]])
    """
    return _square_and_multiply(A, k)[0]


@checked(k=integer(low=0))
def squaring_products(k: Any) -> int:
    r"""How many matrix products :func:`matrix_power_squaring` uses for the exponent ``k``.

    One squaring per binary digit of :math:`k` after the first, and one
    multiplication per 1 digit after the first:
    :math:`\lfloor\log_2 k\rfloor + \text{popcount}(k) - 1` for :math:`k \ge 1`,
    and none for :math:`k = 0` (:math:`A^0 = I`), the count of
    :func:`numpy.linalg.matrix_power`.

    Parameters
    ----------
    k : int
        The exponent, :math:`k \ge 0`.

    Returns
    -------
    int
        The number of ``@`` products.

    Raises
    ------
    ValueError
        If ``k`` is not a non-negative integer.

    Examples
    --------
    >>> squaring_products(100)
    8
    """
    return _square_and_multiply(np.eye(1), k)[1]
