"""The declarative checks: what ``@checked`` rejects, and that ``@homogeneous`` is exact."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from mmlbook._checks import (checked, choice, data, function, homogeneous, in_range, integer, matrix, nonzero,
                             number, optional, seed, square, vector)
from mmlbook._result import Result


@checked(A=square, b=vector(size="A"), tol=number(low=0, low_open=True), k=integer(low=1, high="A"),
         method=choice("a", "b"), f=optional(function), rng=seed, d=nonzero(vector), X=data(cols="A"))
def _everything(A, b, tol=1.0, k=1, method="a", f=None, rng=None, d=(1.0,), X=((0.0,),)):
    return A, b, tol, k, method, f, rng, d, X


GOOD = dict(A=[[1.0]], b=[1.0])


@pytest.mark.parametrize("bad, message", [
    (dict(A=[[1.0, 2.0]]), "A must be square, got shape (1, 2)"),
    (dict(b=[1.0, 2.0]), "b must have length 1 like A, got shape (2,)"),
    (dict(b=[np.nan]), "b must be finite"),
    (dict(A=[[1j]]), "A must be real"),
    (dict(tol=0.0), "tol must be > 0"),
    (dict(tol="x"), "tol must be a real number"),
    (dict(k=2), "k must be between 1 and 1 (the number of rows of A)"),
    (dict(k=1.5), "k must be an integer"),
    (dict(method="c"), "method must be one of 'a', 'b', got 'c'"),
    (dict(f=3), "f must be callable"),
    (dict(rng=-1), "rng must be a non-negative integer seed"),
    (dict(d=[0.0]), "d must not be the zero vector"),
    (dict(X=[[1.0, 2.0]]), "X must have 1 columns like A"),
    (dict(b=[10**400]), "b holds a number beyond the float range"),
])
def test_checked_names_the_argument(bad, message):
    with pytest.raises(ValueError) as info:
        _everything(**{**GOOD, **bad})
    assert message in str(info.value)


def test_checked_converts():
    A, b, tol, k, method, f, rng, d, X = _everything(A=[[2]], b=(3,), tol=1)
    assert A.dtype == b.dtype == float and isinstance(tol, float) and isinstance(rng, np.random.Generator)


def test_function_returns_is_checked():
    @checked(f=function(returns="number"))
    def call(f):
        return f(1.0)

    assert call(lambda x: 2 * x) == 2.0
    with pytest.raises(ValueError, match="f must return a number"):
        call(lambda x: [x, x])


@checked(r=vector)
@homogeneous(r=1)
def modulus(r):
    return float(np.sqrt(r @ r))


def test_in_range_input_runs_untouched():
    calls = []

    @homogeneous(x=1)
    def spy(x):
        calls.append(x)
        return x

    x = np.array([1.5, -2.0])
    assert spy(x) is x and calls[0] is x


@pytest.mark.parametrize("c", [2.0**600, 2.0**-600, 1e300, 1e-310])
def test_homogeneous_degree_one_at_extreme_scales(c):
    r = np.array([3.0, 4.0]) * c
    assert modulus(r) == pytest.approx(5.0 * c, rel=1e-15)


@given(st.lists(st.floats(-1e3, 1e3), min_size=1, max_size=6), st.integers(-900, 900))
def test_homogeneous_is_exact_for_powers_of_two(entries, k):
    r = np.array(entries)
    expected = np.ldexp(modulus(r), k)
    if not np.isfinite(expected) or expected < 2.0**-1000:
        return  # beyond or below the normal range: the answer itself is not representable exactly
    assert modulus(np.ldexp(r, k)) == pytest.approx(expected, rel=1e-15)


def test_homogeneous_reports_an_answer_beyond_the_range():
    @checked(X=data)
    @homogeneous(X=2)
    def second_moment(X):
        return X.T @ X

    with pytest.raises(ValueError, match="X out of range"):
        second_moment([[1e200]])
    assert second_moment([[1e150]])[0, 0] == pytest.approx(1e300)


def test_homogeneous_jointly_and_results():
    @checked(X=matrix, Y=matrix(cols="X"))
    @homogeneous(X=0, Y=0, jointly=True, returns=0)
    def nearest(X, Y):
        return int(np.argmin(((X - Y) ** 2).sum(axis=1)))

    assert nearest([[1e300, 0.0]], [[0.0, 1e300], [1e300, 1e290]]) == 1

    @checked(M=square)
    @homogeneous(M=1, returns={"eigenvalue": 1})
    def top(M):
        return Result(eigenvalue=float(np.linalg.eigvalsh(M)[-1]), x=np.ones(1))

    out = top([[3e300]])
    assert isinstance(out, Result) and out.eigenvalue == pytest.approx(3e300) and out.x[0] == 1.0

    @homogeneous(A=1, returns=(1, 0))
    def pair(A):
        return A.sum(), np.sign(A)

    total, signs = pair(np.array([1e-300, 2e-300]))
    assert total == pytest.approx(3e-300) and signs.tolist() == [1.0, 1.0]


def test_in_range_names_the_arguments():
    @in_range("x")
    def exp(x):
        return np.exp(x)

    assert exp(1.0) == pytest.approx(np.e)
    with pytest.raises(ValueError, match="x out of range"):
        exp(1000.0)


def test_unknown_argument_is_a_programming_error():
    with pytest.raises(TypeError):
        checked(y=vector)(lambda x: x)


def test_homogeneous_by_column():
    @checked(B=matrix, v=vector(size="B"))
    @homogeneous(v=1, B=-1, by_column=True)
    def coordinates(v, B):  # B diagonal: c_i = v_i / b_ii
        return v / np.diag(B)

    B = np.diag([1.0, 1e-200, 1e300])  # the whole matrix is in range; two columns are not
    np.testing.assert_allclose(coordinates([1.0, 1.0, 3e300], B), [1.0, 1e200, 3.0])
    x = np.array([[1.5, 2.0], [3.0, -1.0]])
    calls = []

    @homogeneous(X=0, by_column=True, returns=0)
    def spy(X):
        calls.append(X)
        return X

    assert spy(x) is x and calls[0] is x  # columns in range: untouched


def test_homogeneous_underflow_is_reported_when_asked():
    @homogeneous(a=-1, b=1, underflow=True)
    def ratio(a, b):
        return b / a

    assert ratio(1e300, 3e-10) == pytest.approx(3e-310)
    with pytest.raises(ValueError, match="a and b out of range: the answer is below the smallest float"):
        ratio(1e300, 1e-300)
    assert homogeneous(a=-1, b=1)(lambda a, b: b / a)(1e300, 1e-300) == 0.0


def test_in_range_checks_each_array_of_a_list():
    @in_range("T")
    def images(T):
        return [T * 1.0, T * 1e10]

    assert len(images(1.0)) == 2
    with pytest.raises(ValueError, match="T out of range"):
        images(1e300)


def test_homogeneous_normalise_scales_even_in_range():
    seen = []

    @homogeneous(A=-1, b=1, normalise=True)
    def ratio(A, b):
        seen.append((A, b))
        return b / A

    assert ratio(3.0, 1e-11) == 1e-11 / 3.0
    assert 0.5 <= seen[0][0] < 1 and 0.5 <= seen[0][1] < 1
