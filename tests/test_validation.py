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


@pytest.mark.parametrize("value, message", [
    ([1.0 + 2.0j], "x must be real"),
    ([10 ** 400, 1], "x holds a number beyond the float range"),
    (["1.0", "2.0"], "x must be an array of numbers, got strings"),
    (True, "x must be a number or an array of numbers"),
])
def test_as_float_array_rejects_complex_huge_integers_strings_and_bools(value, message):
    with pytest.raises(ValueError, match=message):
        v.as_float_array(value, "x")


def test_check_number_and_int_ranges():
    with pytest.raises(ValueError, match="d must be within the float range"):
        v.check_number(10 ** 400, "d")
    with pytest.raises(ValueError, match="n must be <= 9223372036854775807"):
        v.check_positive_int(2 ** 70, "n")


@pytest.mark.parametrize("value, kwargs, message", [
    ("x", {}, "grad must return numbers, got str"),
    (None, {}, "grad must return numbers, got NoneType"),
    ([1.0 + 1j], {}, "grad returned a bad value: .* must be real"),
    ([np.inf], {"at": "x0"}, "grad returned non-finite values .* at x0"),
    ([1.0, 2.0], {"shape": (3,)}, r"grad must return an array of shape \(3,\), got shape \(2,\)"),
])
def test_as_result_names_the_callback(value, kwargs, message):
    with pytest.raises(ValueError, match=message):
        v.as_result(value, "grad", **kwargs)


def test_pow2_scale_is_exact_and_in_range():
    for m in (5e-324, 1e-200, 0.75, 3.0, 1e200, 1.7e308):
        s = v.pow2_scale(np.array([m, -m / 3]))
        assert np.isfinite(s) and 1.0 <= m / s < 2.0 and np.frexp(s)[0] == 0.5
    assert v.pow2_scale(np.zeros(3)) == 1.0


@pytest.mark.parametrize("rng", ["seed", -1, 2.5, True])
def test_as_rng_rejects_bad_seeds(rng):
    with pytest.raises(ValueError, match="rng must be"):
        v.as_rng(rng)


def test_scaled_norm_neither_overflows_nor_underflows():
    x = np.array([3.0, -4.0, 12.0])
    assert v.scaled_norm(x) == pytest.approx(np.linalg.norm(x))
    for s in (1e-300, 1e300, 2.0 ** -1070):
        assert v.scaled_norm(x * s) == pytest.approx(13.0 * s, rel=1e-12 if s > 1e-300 else 1e-3)
    assert v.scaled_norm(np.zeros(3)) == 0.0 and np.isnan(v.scaled_norm(np.array([np.nan, 1.0])))
