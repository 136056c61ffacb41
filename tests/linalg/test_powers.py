"""Tests for mmlbook.linalg.powers, against numpy.linalg.matrix_power."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mmlbook.linalg.powers import matrix_power_squaring, squaring_products


@settings(max_examples=100, deadline=None)
@given(st.integers(1, 5), st.integers(0, 40), st.integers(0, 2**31 - 1))
def test_agrees_with_numpy(n, k, seed):
    A = np.random.default_rng(seed).normal(size=(n, n)) / n
    np.testing.assert_allclose(matrix_power_squaring(A, k), np.linalg.matrix_power(A, k), rtol=1e-10, atol=1e-12)


@settings(max_examples=50, deadline=None)
@given(st.integers(0, 30), st.integers(0, 30))
def test_exponents_add(j, k):
    A = np.array([[1.0, 1.0], [1.0, 0.0]])           # Fibonacci: exact in floating point here
    np.testing.assert_array_equal(matrix_power_squaring(A, j) @ matrix_power_squaring(A, k),
                                  matrix_power_squaring(A, j + k))


def test_defective_matrix():
    """A shear cannot be diagonalised, but its powers are fine."""
    np.testing.assert_array_equal(matrix_power_squaring([[1.0, 1.0], [0.0, 1.0]], 7), [[1, 7], [0, 1]])


def test_zero_power_is_identity():
    np.testing.assert_array_equal(matrix_power_squaring(np.ones((3, 3)), 0), np.eye(3))


@pytest.mark.parametrize("k", [1, 2, 3, 7, 8, 100, 1023, 1024])
def test_product_count(k):
    assert squaring_products(k) == int(np.floor(np.log2(k))) + bin(k).count("1") - 1
    assert squaring_products(k) <= 2 * int(np.floor(np.log2(k)))


def test_product_count_small_and_100():
    """A^0 and A^1 need no product; A^100 = A^64 A^32 A^4 needs 6 squarings and 2 multiplications."""
    assert [squaring_products(k) for k in (0, 1, 2, 100)] == [0, 0, 1, 8]


class _Counting(np.ndarray):
    """An array that counts the ``@`` products made with it."""

    made = 0

    def __matmul__(self, other):
        _Counting.made += 1
        return np.matmul(np.asarray(self), np.asarray(other)).view(_Counting)


@pytest.mark.parametrize("k", [0, 1, 2, 5, 100, 1000])
def test_product_count_is_products_made(k):
    """The count is the number of products evaluated, the same as numpy.linalg.matrix_power's."""
    from mmlbook.linalg import powers

    _Counting.made = 0
    shear = np.array([[1.0, 1.0], [0.0, 1.0]])
    result, products = powers._square_and_multiply(shear.view(_Counting), k)
    assert products == _Counting.made == squaring_products(k)
    np.testing.assert_array_equal(np.asarray(result), np.linalg.matrix_power(shear, k))


def test_bad_input():
    with pytest.raises(ValueError, match="A must be square"):
        matrix_power_squaring(np.ones((2, 3)), 2)
    with pytest.raises(ValueError, match="k must be >= 0"):
        matrix_power_squaring(np.eye(2), -1)
    with pytest.raises(ValueError, match="k must be an integer"):
        matrix_power_squaring(np.eye(2), 2.5)
