"""Tests for mmlbook.linalg.determinants, against numpy.linalg.det and sympy."""

import math

import numpy as np
import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from mmlbook.linalg import cofactor_determinant, determinant


@settings(max_examples=80, deadline=None)
@given(st.integers(1, 6), st.integers(0, 2**31 - 1))
def test_agrees_with_numpy_and_elimination(n, seed):
    A = np.random.default_rng(seed).normal(size=(n, n))
    d = cofactor_determinant(A)
    assert math.isclose(d, np.linalg.det(A), rel_tol=1e-9, abs_tol=1e-12)
    assert math.isclose(d, determinant(A), rel_tol=1e-9, abs_tol=1e-12)


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 5), st.integers(0, 2**31 - 1))
def test_exact_on_integers(n, seed):
    """Small integer matrices: every partial sum is an exact float, so the answer is sympy's exactly."""
    A = np.random.default_rng(seed).integers(-9, 10, size=(n, n))
    assert cofactor_determinant(A) == float(sympy.Matrix(A.tolist()).det())


@settings(max_examples=40, deadline=None)
@given(st.integers(2, 5), st.integers(0, 2**31 - 1), st.data())
def test_the_three_properties(n, seed, data):
    """det I = 1; a row exchange flips the sign; linear in each row."""
    rng = np.random.default_rng(seed)
    A = rng.normal(size=(n, n))
    i, j = data.draw(st.integers(0, n - 1)), data.draw(st.integers(0, n - 1))
    assert cofactor_determinant(np.eye(n)) == 1.0
    if i != j:
        B = A.copy()
        B[[i, j]] = B[[j, i]]
        assert math.isclose(cofactor_determinant(B), -cofactor_determinant(A), rel_tol=1e-9, abs_tol=1e-12)
    t, x = rng.normal(), rng.normal(size=n)
    B, C = A.copy(), A.copy()
    B[i] = t * A[i] + x
    C[i] = x
    assert math.isclose(cofactor_determinant(B), t * cofactor_determinant(A) + cofactor_determinant(C),
                        rel_tol=1e-9, abs_tol=1e-9)


def test_examples_and_limits():
    assert cofactor_determinant([[1.0, 2.0], [3.0, 4.0]]) == -2.0
    assert cofactor_determinant([[5.0]]) == 5.0
    assert cofactor_determinant(np.ones((4, 4))) == 0.0
    with pytest.raises(ValueError, match="A must be at most 10 x 10"):
        cofactor_determinant(np.eye(11))
    with pytest.raises(ValueError, match="A"):
        cofactor_determinant([[1.0, 2.0]])
    with pytest.raises(ValueError, match="A out of range"):
        cofactor_determinant(1e200 * np.eye(3))
