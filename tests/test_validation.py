"""The shared input checks name the argument and show the bad value."""

import numpy as np
import pytest
import scipy.sparse as sp

from mmlbook import _validation as v
from mmlbook._result import Result
from mmlbook.exceptions import ConvergenceError, SingularMatrixError


def test_as_matrix_accepts_lists_and_returns_floats():
    A = v.as_matrix([[1, 2], [3, 4]], "A", square=True)
    assert A.dtype == float and A.shape == (2, 2)


@pytest.mark.parametrize("value, kwargs, message", [
    ([[1, 2, 3], [4, 5, 6]], {"square": True}, r"A must be square, got shape \(2, 3\)"),
    ([1, 2, 3], {}, r"A must have 2 dimension\(s\), got shape \(3,\)"),
    ([[1, np.nan]], {}, r"A must be finite, got nan at index \(0, 1\)"),
    ([[np.inf]], {}, r"A must be finite, got inf at index \(0, 0\)"),
    (np.zeros((0, 3)), {}, r"A must not be empty"),
    ([["x"]], {}, r"A must be an array of numbers"),
    (sp.eye(3), {}, r"A must be a dense array"),
])
def test_as_matrix_errors(value, kwargs, message):
    with pytest.raises(ValueError, match=message):
        v.as_matrix(value, "A", **kwargs)


def test_as_vector_length():
    with pytest.raises(ValueError, match=r"x0 must have length 3, got shape \(2,\)"):
        v.as_vector([1, 2], "x0", size=3)


@pytest.mark.parametrize("value, kwargs, message", [
    ("1", {}, "d must be a real number"),
    (True, {}, "d must be a real number"),
    (np.nan, {}, "d must be finite"),
    (-1, {"low": 0}, "d must be >= 0, got -1"),
    (0, {"low": 0, "low_open": True}, "d must be > 0, got 0"),
    (2, {"high": 1}, "d must be <= 1, got 2"),
    (1, {"high": 1, "high_open": True}, "d must be < 1, got 1"),
])
def test_check_number_errors(value, kwargs, message):
    with pytest.raises(ValueError, match=message):
        v.check_number(value, "d", **kwargs)


def test_check_number_accepts_numpy_scalars():
    assert v.check_number(np.float32(0.5), "d", low=0, high=1) == 0.5


@pytest.mark.parametrize("value, message", [
    (2.0, "n must be an integer"), (True, "n must be an integer"), (0, "n must be >= 1, got 0"),
])
def test_check_positive_int_errors(value, message):
    with pytest.raises(ValueError, match=message):
        v.check_positive_int(value, "n")


def test_check_callable_and_same_length():
    with pytest.raises(ValueError, match="f must be callable, got int"):
        v.check_callable(3, "f")
    with pytest.raises(ValueError, match="x and y must have the same length, got 3 and 2"):
        v.check_same_length(np.zeros(3), "x", np.zeros(2), "y")


def test_result_is_a_dict_with_attributes():
    r = Result(x=np.array([1.0]), nit=3, success=True)
    assert r.nit == 3 and r["success"] is True
    r.message = "done"
    assert r["message"] == "done"
    with pytest.raises(AttributeError):
        r.missing
    assert "nit: 3" in repr(r)


def test_exceptions():
    assert issubclass(SingularMatrixError, np.linalg.LinAlgError)
    err = ConvergenceError("newton", 50, 1.5e-3, tol=1e-8)
    assert (err.nit, err.residual) == (50, 1.5e-3)
    assert str(err) == "newton did not converge in 50 iterations: last residual 0.0015 (tolerance 1e-08)"
