r"""Checks and range handling, declared above a function instead of written in its body.

The code a chapter shows is the mathematics. What guards it is declared on the
lines above it, the way scikit-learn declares ``@validate_params``::

    @checked(r=vector)
    @homogeneous(r=1)          # |c r| = |c| |r|: computed on r / 2^k, the result scaled back
    def modulus(r):
        return np.sqrt(r @ r)

:func:`checked` converts and validates the named arguments before the body
runs, with a ``ValueError`` that names the argument
(``r must be finite, got nan at index (1,)``). The vocabulary:

==================================  ==================================================
``vector``, ``vector(size="A")``    finite real 1-D float array (length like ``A``'s rows)
``matrix``, ``square``              finite real 2-D float array (``square``: n × n)
``symmetric``                       a square matrix equal to its transpose (up to rounding)
``matrix(cols="X")``                ... with as many columns as ``X`` (``rows=``, ``like=``: rows, shape)
``data``                            an (N, D) data set: one row per sample
``array``                           finite real float array of any shape
``number(low=0, high=1)``           a finite real number in a range (``low_open``: strict)
``integer(low=1)``                  an integer in a range
``choice("lm", "gn")``              one of the listed values
``function``                        a callable; ``function(returns="number")`` checks what it returns
``seed``                            ``None``, a non-negative int or a Generator, as ``default_rng``
``optional(spec)``                  ``None`` or what ``spec`` accepts
``nonzero(spec)``                   what ``spec`` accepts, not all zero
any callable ``spec(value, name, args)``  a check of the module's own
==================================  ==================================================

Arguments are checked in the order they are declared; ``size="A"`` refers to
an argument declared before.

:func:`homogeneous` declares the property that makes any scale safe:
:math:`f(c\,\mathbf x) = c^k f(\mathbf x)`. Inputs whose largest entry is
outside :math:`[2^{-250}, 2^{250}]` are divided by a power of two (exact), the
body runs on numbers near 1, and the result is multiplied back by
:math:`2^{jk}`; an answer beyond the float range raises ``ValueError`` naming
the arguments. Inputs already in range are passed through untouched, so
ordinary data cost two reductions and give bit-for-bit the same answer.
"""

from __future__ import annotations

import functools
import inspect
import numbers
from typing import Any, Callable

import numpy as np
import scipy.sparse as sp

from mmlbook import _validation as v

__all__ = ["checked", "homogeneous", "in_range", "vector", "matrix", "square", "data", "array", "number",
           "integer", "choice", "function", "seed", "optional", "nonzero", "symmetric", "Spec"]


# ---------------------------------------------------------------------------
# The vocabulary: each spec turns (value, name, args) into the checked value.
# ---------------------------------------------------------------------------

class Spec:
    """A check of one argument: ``spec(value, name, args)`` returns the converted value or raises.

    Calling a spec with keywords returns a new spec with those options, so
    ``vector`` and ``vector(size="A")`` are both specs.
    """

    def __init__(self, check: Callable[..., Any], **options: Any):
        self.check, self.options = check, options
        functools.update_wrapper(self, check)

    def __call__(self, *args: Any, **options: Any) -> Any:
        if not args:  # vector(size="A"): a new spec with these options
            return Spec(self.check, **{**self.options, **options})
        value, name, bound = args  # options given here apply to this call only
        return self.check(value, name, bound, **{**self.options, **options})

    def __repr__(self) -> str:
        opts = ", ".join(f"{k}={val!r}" for k, val in self.options.items())
        return f"{self.check.__name__}({opts})"


def _length_of(ref: Any, args: dict, axis: int) -> tuple[int, str]:
    """The length ``ref`` stands for: an int, or the size of an argument checked before (a vector's length)."""
    if isinstance(ref, int):
        return ref, ""
    shape = np.shape(args[ref]) if not hasattr(args[ref], "__len__") or hasattr(args[ref], "shape") else \
        (len(args[ref]),)
    return int(shape[axis] if len(shape) > axis else shape[0]), f" like {ref}"


def _check_vector(x, name, args, size=None, allow_empty=False):
    arr = v.as_float_array(x, name, ndim=1, allow_empty=allow_empty)
    if size is not None:
        n, like = _length_of(size, args, 0)
        if arr.shape[0] != n:
            raise ValueError(f"{name} must have length {n}{like}, got shape {arr.shape}")
    return arr


def _check_matrix(x, name, args, square=False, rows=None, cols=None, allow_empty=False, sparse=False,
                  symmetric=False, rtol=1e-10, atol=1e-12, like=None):
    if sparse and sp.issparse(x):
        if x.ndim != 2:
            raise ValueError(f"{name} must have 2 dimension(s), got shape {x.shape}")
        arr = sp.csr_array(x, dtype=float)
        if arr.dtype.kind == "c":
            raise ValueError(f"{name} must be real, got complex values")
        v.check_finite(arr.data, name)
    else:
        arr = v.as_float_array(x, name, ndim=2, allow_empty=allow_empty)
    if square:
        v.check_square(arr.shape, name)
    for ref, axis, what in ((rows, 0, "rows"), (cols, 1, "columns")):
        if ref is not None:
            n, as_ref = _length_of(ref, args, axis)
            if arr.shape[axis] != n:
                raise ValueError(f"{name} must have {n} {what}{as_ref}, got shape {arr.shape}")
    if like is not None and arr.shape != np.shape(args[like]):
        raise ValueError(f"{name} must have the shape of {like}, {np.shape(args[like])}, got {arr.shape}")
    if symmetric and not _is_symmetric(arr, rtol, atol):
        raise ValueError(f"{name} must be symmetric, got {name} != {name}.T")
    return arr


def _is_symmetric(A: np.ndarray, rtol: float, atol: float) -> bool:
    """``A == A.T`` up to ``rtol`` and ``atol`` times the largest entry (compared near 1: no overflow)."""
    A = _scale_by(A, -_exponent_of_max(_max_abs(A), always=True))
    return bool(np.allclose(A, A.T, rtol=rtol, atol=atol * _max_abs(A)))


def _check_data(x, name, args, cols=None):
    arr = v.as_float_array(x, name, ndim=2)
    if cols is not None:
        n, like = _length_of(cols, args, 1)
        if arr.shape[1] != n:
            raise ValueError(f"{name} must have {n} columns{like}, got shape {arr.shape}")
    return arr


def _check_array(x, name, args, ndim=None, allow_empty=False):
    return v.as_float_array(x, name, ndim=ndim, allow_empty=allow_empty)


def _check_number(x, name, args, low=None, high=None, low_open=False, high_open=False):
    return v.check_number(x, name, low=low, high=high, low_open=low_open, high_open=high_open)


def _check_integer(x, name, args, low=1, high=2**63 - 1):
    if isinstance(high, str):  # integer(high="X"): at most the number of rows of X
        n = int(np.shape(args[high])[0])
        value = v.check_positive_int(x, name, minimum=low)
        if value > n:
            raise ValueError(f"{name} must be between {low} and {n} (the number of rows of {high}), got {value}")
        return value
    return v.check_positive_int(x, name, minimum=low, maximum=high)


def _check_choice(x, name, args, options=()):
    try:
        ok = any(type(x) is type(o) and x == o for o in options)
    except Exception:  # an array compared with a string, say
        ok = False
    if not ok:
        listed = ", ".join(repr(o) for o in options)
        raise ValueError(f"{name} must be one of {listed}, got {x!r:.60}")
    return x


def _check_function(f, name, args, returns=None, ndim=None, same_shape=False, finite=True):
    """``f`` callable; with ``returns``, a wrapper of ``f`` that checks every value it returns.

    ``returns`` is ``"number"`` (a single finite number, returned as a float),
    ``"array"`` (finite numbers, returned as a float array; ``ndim`` limits
    its dimensions, ``same_shape`` requires the shape of the first call), the
    name of an argument whose shape every value must have, or a tuple of ints
    and argument names, the shape by the arguments' lengths (``("x0", "x0")``). Floating-point
    warnings inside ``f`` are silenced: a non-finite value is reported instead,
    with the point it was evaluated at (``finite=False`` lets it through).
    """
    v.check_callable(f, name)
    if returns is None:
        return f
    first_shape: list = []

    @functools.wraps(f)
    def checked_call(*a, **kw):
        with np.errstate(all="ignore"):  # reported below, not warned about
            out = f(*a, **kw)
        at = f" at {_point_name(args)}={_short(a[0])}" if a else ""
        value = v.as_result(out, name, finite=False)
        if returns == "number":
            if value.shape != ():
                raise ValueError(f"{name} must return a number (a single number), got shape {value.shape}{at}")
        elif returns != "array":  # the shape of an argument, or a tuple of lengths of arguments
            want, like = _shape_of(returns, args)
            if value.shape != want:
                raise ValueError(f"{name} must return an array of shape {want}{like}, got shape {value.shape}{at}")
        if ndim is not None and value.ndim not in ndim:
            raise ValueError(f"{name} must return a number or a 1-D array, got shape {value.shape}{at}")
        if same_shape:
            if first_shape and value.shape != first_shape[0]:
                raise ValueError(f"{name} must return an array of shape {first_shape[0]}, as it did at the "
                                 f"first point, got shape {value.shape}{at}")
            first_shape.append(value.shape)
        if finite and not np.all(np.isfinite(value)):
            raise ValueError(f"{name} must return finite values, got {_short(out)}{at}")
        return float(value) if returns == "number" else value

    return checked_call


def _shape_of(returns: Any, args: dict) -> tuple[tuple[int, ...], str]:
    """The shape ``returns`` stands for: an argument's shape, or a tuple of ints and argument lengths."""
    if isinstance(returns, str):
        return np.shape(args[returns]), f" (the shape of {returns})"
    return tuple(r if isinstance(r, int) else len(args[r]) if isinstance(r, str) else r(args)
                 for r in returns), ""


def _point_name(args: dict) -> str:
    """The name of the point argument a callback is evaluated at, for messages (``x``, ``x0``...)."""
    for candidate in ("x", "x0", "p0", "a"):
        if candidate in args:
            return candidate
    return "x"


def _short(value: Any) -> str:
    return np.array2string(np.asarray(value), threshold=8, precision=6) if not isinstance(value, str) \
        else repr(value)


def _check_seed(rng, name, args):
    return v.as_rng(rng, name)


def _check_optional(x, name, args, spec=None):
    return None if x is None else spec(x, name, args)


def _check_nonzero(x, name, args, spec=None):
    x = spec(x, name, args)
    if not np.any(x):
        what = "the zero vector: it has no direction" if np.ndim(x) == 1 else "zero"
        raise ValueError(f"{name} must not be {what}")
    return x


vector = Spec(_check_vector)
matrix = Spec(_check_matrix)
square = Spec(_check_matrix, square=True)
symmetric = Spec(_check_matrix, square=True, symmetric=True)
data = Spec(_check_data)
array = Spec(_check_array)
number = Spec(_check_number)
integer = Spec(_check_integer)
function = Spec(_check_function)
seed = Spec(_check_seed)


def choice(*options: Any) -> Spec:
    """The spec of an argument that must be one of ``options``."""
    return Spec(_check_choice, options=options)


def optional(spec: Callable) -> Spec:
    """``None``, or a value that ``spec`` accepts."""
    return Spec(_check_optional, spec=spec)


def nonzero(spec: Callable) -> Spec:
    """A value that ``spec`` accepts and that is not all zero."""
    return Spec(_check_nonzero, spec=spec)


# ---------------------------------------------------------------------------
# The decorators.
# ---------------------------------------------------------------------------

def checked(**specs: Callable) -> Callable:
    """Declare the checks of a function's arguments; they run, in order, before the body.

    Parameters
    ----------
    **specs
        ``argument=spec`` for each argument to check: a spec from this module
        (``vector``, ``square``, ``number(low=0)``, ...) or any callable
        ``spec(value, name, args)`` that returns the checked value or raises
        ``ValueError`` naming ``name``. ``args`` holds the arguments checked so far.

    Examples
    --------
    >>> @checked(r=vector)
    ... def modulus(r):
    ...     return float(np.sqrt(r @ r))
    >>> modulus([3, 4])
    5.0
    >>> modulus([3, float("nan")])
    Traceback (most recent call last):
    ...
    ValueError: r must be finite, got nan at index (1,)
    """
    def decorate(f: Callable) -> Callable:
        signature = inspect.signature(f)
        unknown = set(specs) - set(signature.parameters)
        if unknown:
            raise TypeError(f"checked: {f.__qualname__} has no argument(s) {sorted(unknown)}")

        @functools.wraps(f)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            bound = signature.bind(*args, **kwargs)
            bound.apply_defaults()
            values = bound.arguments
            for name, spec in specs.items():
                values[name] = spec(values[name], name, values)
            return f(*bound.args, **bound.kwargs)

        wrapper.__checks__ = specs
        return wrapper

    return decorate


#: Inputs whose largest magnitude lies in [2**-SAFE, 2**SAFE] run unscaled: their squares and
#: sums of squares (of up to 2**500 terms) are normal floats.
SAFE_EXPONENT = 250


def _pow2_exponent(x: Any, always: bool = False) -> int:
    """``e`` with ``2**(e-1) <= max|x| < 2**e``, or 0 when ``x`` is all zero, non-finite or already in range.

    Two reductions (max and min), so no full-size temporary as ``np.abs(x)`` would make.
    """
    if sp.issparse(x):
        x = x.data
    if isinstance(x, numbers.Real):
        m = abs(float(x))
    else:
        x = np.asarray(x)
        if x.size == 0 or x.dtype.kind not in "fiu":
            return 0
        m = max(float(np.max(x)), -float(np.min(x)))
    return _exponent_of_max(m, always)


def _exponent_of_max(m: float, always: bool = False) -> int:
    """An even ``e`` with ``2**(e-2) <= m < 2**e`` (even, so that degree 1/2 scales exactly), or 0 in range."""
    if m == 0.0 or not np.isfinite(m):
        return 0
    if not always and 2.0**-SAFE_EXPONENT <= m <= 2.0**SAFE_EXPONENT:
        return 0
    e = int(np.frexp(m)[1])
    return e + e % 2


def _scale_by(value: Any, exponent: int) -> Any:
    """``value * 2**exponent`` (exact unless it leaves the float range), for arrays, numbers or None."""
    if not np.any(exponent) or value is None or isinstance(value, (bool, np.bool_)):
        return value
    if sp.issparse(value):
        out = value.copy()
        out.data = np.ldexp(out.data, exponent)
        return out
    if isinstance(value, numbers.Real):
        with np.errstate(over="ignore", under="ignore"):
            return float(np.ldexp(float(value), exponent))
    arr = np.asarray(value)
    if arr.dtype.kind not in "fc":
        return value
    with np.errstate(over="ignore", under="ignore"):  # beyond the range: reported by _check_range
        return np.ldexp(arr, exponent) if arr.dtype.kind == "f" else arr * np.ldexp(1.0, exponent)


def _rescale(result: Any, returns: Any, exponent_of: Callable[[Any], Any], names: str,
             underflow: bool = False) -> Any:
    if isinstance(returns, dict) and not isinstance(result, dict):  # one result, its own degrees
        out = _scale_by(result, exponent_of(returns))
        _check_range(out, names)
        return out
    if isinstance(returns, dict):  # a Result or dict: rescale the named fields
        out = type(result)(result)
        for key, degree in returns.items():
            out[key] = _rescale(out[key], degree, exponent_of, names, underflow)
        return out
    if isinstance(returns, tuple):
        return type(result)(_rescale(r, d, exponent_of, names, underflow) for r, d in zip(result, returns))
    out = _scale_by(result, exponent_of(returns))
    if np.any(exponent_of(returns)):
        _check_range(out, names)
        if underflow and result is not None and np.any((np.asarray(out) == 0) & (np.asarray(result) != 0)):
            raise ValueError(f"{names} out of range: the answer is below the smallest float "
                             f"(about {np.finfo(float).smallest_subnormal:.2g})")
    return out


def _check_range(value: Any, names: str) -> None:
    data = value.data if sp.issparse(value) else value
    try:
        finite = bool(np.all(np.isfinite(data)))
    except TypeError:  # not numbers: nothing to check
        return
    if not finite:
        raise ValueError(f"{names} out of range: the answer is beyond the float range "
                         f"(about ±{v.FLOAT_MAX:.3g})")


def homogeneous(*, returns: Any = 1, jointly: bool | tuple[str, ...] = False, by_column: bool = False,
                underflow: bool = False, normalise: bool = False, **degrees: float) -> Callable:
    r"""Declare that the result scales as a power of each argument, and let any scale work.

    :math:`f(c_1 \mathbf x_1, c_2 \mathbf x_2) = c_1^{k_1} c_2^{k_2} f(\mathbf x_1, \mathbf x_2)`
    with ``x1=k1, x2=k2``. An argument whose largest entry is outside
    :math:`[2^{-250}, 2^{250}]` is divided by a power of two :math:`c` near it,
    the body runs on entries near 1, and the result is multiplied by
    :math:`c^{k}`. Apply below :func:`checked`, which converts the arguments first.

    Parameters
    ----------
    returns : int, tuple or dict
        What the degrees apply to: ``1`` (the result scales with the degrees
        given), ``0`` (the result does not depend on the scale), a tuple of
        those for a tuple result, or a ``dict`` ``{field: degree}`` for a
        :class:`~mmlbook._result.Result` (other fields are left alone). A
        field's degree is a multiplier of the argument degrees, or a part's
        own ``{argument: degree}`` (the slope of a line fit:
        ``{"x": -1, "y": 1}``).
    jointly : bool or tuple of str
        Scale the listed arguments (``True``: all of them) by one common power
        of two, for functions homogeneous only when those arguments scale
        together, like distances between two point sets. Their degrees must be
        equal: it is the degree in all of them together,
        :math:`f(c\mathbf x, c\mathbf y) = c^k f(\mathbf x, \mathbf y)`.
    by_column : bool
        The degrees hold in each column of the 2-D arguments separately
        (:math:`f(B D) = D^{k} f(B)` for a diagonal :math:`D`: coordinates in
        a basis, Gram-Schmidt): each column out of range is scaled by its own
        power of two, and the last axis of the result is scaled back column by
        column.
    normalise : bool
        Scale every listed argument to a largest entry in :math:`[1/4, 1)`
        even when it is in range (for algorithms whose tolerances compare
        the entries of different arguments, like a pivot test on
        :math:`[A \mid \mathbf b]`). Scaling by a power of two is exact, so
        ordinary data give the same answer as unscaled, up to those tests.
    underflow : bool
        Also report a non-zero answer that scaling back sends to zero (below
        the smallest float) as out of range, instead of returning 0.
    **degrees
        ``argument=k``: the degree of homogeneity in that argument.
    """
    def decorate(f: Callable) -> Callable:
        signature = inspect.signature(f)
        unknown = set(degrees) - set(signature.parameters)
        if unknown:
            raise TypeError(f"homogeneous: {f.__qualname__} has no argument(s) {sorted(unknown)}")
        names = " and ".join(degrees)
        together = tuple(degrees) if jointly is True else tuple(jointly or ())
        if len({degrees[n] for n in together}) > 1:
            raise TypeError(f"homogeneous: {f.__qualname__}: arguments scaled jointly need one degree")
        counted = [n for n in degrees if n not in together] + list(together[:1])

        @functools.wraps(f)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            bound = signature.bind(*args, **kwargs)
            bound.apply_defaults()
            values = bound.arguments
            exps = {name: _pow2_exponent(values[name], normalise) for name in degrees}
            if together:  # one common power of two for these, from the largest entry
                exps.update(dict.fromkeys(together, _exponent_of_max(max(_max_abs(values[n]) for n in together))))
            if by_column:  # each column of a matrix by its own power of two
                exps.update({name: _column_exponents(values[name]) for name in degrees
                             if np.ndim(values[name]) == 2 and not sp.issparse(values[name])})
            if not any(np.any(e) for e in exps.values()):
                return f(*bound.args, **bound.kwargs)  # in range: untouched, bit for bit
            for name, e in exps.items():
                values[name] = _scale_by(values[name], -e)
            result = f(*bound.args, **bound.kwargs)
            total = np.rint(sum(degrees[n] * exps[n] for n in counted)).astype(int)  # even exponents: degree 1/2 is exact
            total = int(total) if total.ndim == 0 else total  # by_column: one exponent per column

            def exponent_of(d: Any) -> Any:  # a multiple of the degrees, or a part's own {argument: degree}
                if isinstance(d, dict):
                    return int(round(sum(k * exps[n] for n, k in d.items())))
                return int(d) * total

            return _rescale(result, returns, exponent_of, names, underflow)

        wrapper.__homogeneous__ = dict(degrees)
        return wrapper

    return decorate


def _column_exponents(X: Any) -> np.ndarray:
    """:func:`_pow2_exponent` of each column of ``X`` (0 for a column in range, zero or empty)."""
    X = np.asarray(X)
    if X.size == 0 or X.dtype.kind not in "fiu":
        return np.zeros(X.shape[1], dtype=int)
    return np.array([_exponent_of_max(m) for m in np.maximum(X.max(axis=0), -X.min(axis=0))], dtype=int)


def _max_abs(x: Any) -> float:
    if x is None:
        return 0.0
    if sp.issparse(x):
        x = x.data
    x = np.asarray(x)
    return max(float(np.max(x)), -float(np.min(x))) if x.size else 0.0


def in_range(*names: str, message: str | None = None) -> Callable:
    """Declare that the result must be finite: an overflow is reported as out of range, naming ``names``.

    Floating-point warnings inside the body are silenced; the result's check
    replaces them. ``message`` replaces the default message.
    """
    label = " and ".join(names)

    def decorate(f: Callable) -> Callable:
        @functools.wraps(f)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            with np.errstate(over="ignore", invalid="ignore"):
                result = f(*args, **kwargs)
            try:
                for part in result if isinstance(result, (tuple, list)) else (result,):
                    _check_range(part, label)
            except ValueError:
                if message is None:
                    raise
                raise ValueError(message) from None
            return result

        return wrapper

    return decorate
