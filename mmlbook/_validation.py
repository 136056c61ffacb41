"""Input checks shared by every public function.

Each checker takes the value and the *name of the argument* it was passed as,
so that the message tells the caller exactly what to fix, for example
``ValueError: A must be square, got shape (3, 4)``. Checks run at the public
entry point, before any work; internal helpers trust their inputs.
"""

from __future__ import annotations

import numbers
from typing import Any, Callable

import numpy as np
import scipy.linalg
import scipy.sparse as sp


def as_float_array(x: Any, name: str, *, ndim: int | tuple[int, ...] | None = None,
                   allow_empty: bool = False) -> np.ndarray:
    """Return ``x`` as a float ndarray after checking dimensions and finiteness.

    Parameters
    ----------
    x : array_like
        The value to check.
    name : str
        The argument's name, used in error messages.
    ndim : int or tuple of int, optional
        Allowed numbers of dimensions.
    allow_empty : bool
        Whether an array with no elements is acceptable.

    Raises
    ------
    ValueError
        If ``x`` is not numeric, has the wrong number of dimensions, is empty
        (unless allowed) or contains NaN or infinity.
    """
    if sp.issparse(x):
        raise ValueError(f"{name} must be a dense array, got a scipy.sparse matrix")
    if isinstance(x, (bool, np.bool_)):
        raise ValueError(f"{name} must be a number or an array of numbers, got {x!r}")
    arr = _to_float(x, name)
    if ndim is not None:
        allowed = (ndim,) if isinstance(ndim, int) else tuple(ndim)
        if arr.ndim not in allowed:
            want = " or ".join(str(d) for d in allowed)
            raise ValueError(f"{name} must have {want} dimension(s), got shape {arr.shape}")
    if arr.size == 0 and not allow_empty:
        raise ValueError(f"{name} must not be empty, got shape {arr.shape}")
    check_finite(arr, name)
    return arr


#: The largest float; a Python integer beyond it cannot be represented.
FLOAT_MAX = float(np.finfo(float).max)


def _to_float(x: Any, name: str) -> np.ndarray:
    """``x`` as a float ndarray: real numbers only, integers within float range."""
    try:
        raw = np.asarray(x)
        # Checked before the cast, which would drop an imaginary part with only a ComplexWarning.
        if raw.dtype.kind == "c" or (raw.dtype == object and any(
                isinstance(v, (complex, np.complexfloating)) for v in raw.flat)):
            raise ValueError(f"{name} must be real, got complex values")
        if raw.dtype.kind in "SUV":
            kind = "strings" if raw.dtype.kind in "SU" else f"dtype {raw.dtype}"
            raise ValueError(f"{name} must be an array of numbers, got {kind}")
        arr = np.asarray(raw, dtype=float)
    except OverflowError:
        raise ValueError(f"{name} holds a number beyond the float range (about ±{FLOAT_MAX:.3g})") from None
    except ValueError as exc:
        if str(exc).startswith(name + " "):
            raise
        raise ValueError(f"{name} must be an array of numbers, got {type(x).__name__}: {exc}") from None
    except (TypeError, ArithmeticError, AttributeError) as exc:
        raise ValueError(f"{name} must be an array of numbers, got {type(x).__name__}: {exc}") from None
    return arr


def as_result(value: Any, name: str, *, shape: tuple[int, ...] | None = None,
              what: str | None = None, finite: bool = True, at: str | None = None) -> np.ndarray:
    """Check what a callback returned: finite real numbers, of ``shape`` if given.

    ``name`` is the callback's argument name (``f``, ``grad``, ``model``...), so
    the message says which function returned what: ``grad returned complex
    values``, ``model must return an array of shape (20,), got shape (21,)``.
    ``finite=False`` leaves NaN and infinity for the caller to handle; ``at``
    says where the callback was evaluated (``"x0"``), for the message.
    """
    if isinstance(value, (str, bytes)) or value is None:
        raise ValueError(f"{name} must return numbers, got {type(value).__name__}: {value!r:.60}")
    try:
        arr = _to_float(value, f"the value {name} returned")
    except ValueError as exc:
        raise ValueError(f"{name} returned a bad value: {exc}") from None
    if shape is not None and arr.shape != tuple(shape):
        want = what or f"an array of shape {tuple(shape)}"
        raise ValueError(f"{name} must return {want}, got shape {arr.shape}")
    if finite and not np.all(np.isfinite(arr)):
        where = f" at {at}" if at else ""
        raise ValueError(f"{name} returned non-finite values (NaN or infinity){where}")
    return arr


def check_finite(arr: np.ndarray, name: str) -> None:
    """Raise ``ValueError`` if ``arr`` holds NaN or infinity, saying where.

    One pass and no temporary for the usual finite array: a finite sum proves
    every entry finite (NaN and infinity propagate); only when the sum is not
    finite (bad entries, or finite ones whose sum overflows) are entries looked at.
    """
    if arr.dtype.kind not in "fc":
        return
    with np.errstate(over="ignore", invalid="ignore"):
        if arr.size and np.isfinite(np.sum(arr)):
            return
    bad = ~np.isfinite(arr)
    if bad.any():
        where = tuple(int(i) for i in np.argwhere(bad)[0])
        raise ValueError(f"{name} must be finite, got {arr[where]} at index {where}")


def as_vector(x: Any, name: str, *, size: int | None = None) -> np.ndarray:
    """Return ``x`` as a finite 1-D float array, optionally of a given length."""
    arr = as_float_array(x, name, ndim=1)
    if size is not None and arr.shape[0] != size:
        raise ValueError(f"{name} must have length {size}, got shape {arr.shape}")
    return arr


def as_matrix(x: Any, name: str, *, square: bool = False, allow_empty: bool = False) -> np.ndarray:
    """Return ``x`` as a finite 2-D float array, optionally checked square."""
    arr = as_float_array(x, name, ndim=2, allow_empty=allow_empty)
    if square:
        check_square(arr.shape, name)
    return arr


def check_square(shape: tuple[int, ...], name: str) -> None:
    """Raise ``ValueError`` unless ``shape`` is ``(n, n)``."""
    if len(shape) != 2 or shape[0] != shape[1]:
        raise ValueError(f"{name} must be square, got shape {tuple(shape)}")


def check_same_length(a: np.ndarray, a_name: str, b: np.ndarray, b_name: str) -> None:
    """Raise ``ValueError`` unless ``a`` and ``b`` have the same first dimension."""
    if a.shape[0] != b.shape[0]:
        raise ValueError(
            f"{a_name} and {b_name} must have the same length, "
            f"got {a.shape[0]} and {b.shape[0]}"
        )


def check_callable(f: Any, name: str) -> Callable:
    """Raise ``ValueError`` unless ``f`` can be called."""
    if not callable(f):
        raise ValueError(f"{name} must be callable, got {type(f).__name__}")
    return f


def check_number(x: Any, name: str, *, low: float | None = None, high: float | None = None,
                 low_open: bool = False, high_open: bool = False) -> float:
    """Return ``x`` as a float after checking it is a finite real in a range.

    ``low_open``/``high_open`` make the bound strict (``low < x`` rather than
    ``low <= x``).
    """
    if isinstance(x, bool) or not isinstance(x, (numbers.Real, np.floating, np.integer)):
        raise ValueError(f"{name} must be a real number, got {x!r}")
    try:
        value = float(x)
    except OverflowError:
        raise ValueError(f"{name} must be within the float range (about ±{FLOAT_MAX:.3g}), "
                         f"got an integer of {int(x).bit_length()} bits") from None
    if not np.isfinite(value):
        raise ValueError(f"{name} must be finite, got {value}")
    if low is not None and (value < low or (low_open and value == low)):
        op = ">" if low_open else ">="
        raise ValueError(f"{name} must be {op} {low:g}, got {value:g}")
    if high is not None and (value > high or (high_open and value == high)):
        op = "<" if high_open else "<="
        raise ValueError(f"{name} must be {op} {high:g}, got {value:g}")
    return value


def check_positive_int(n: Any, name: str, *, minimum: int = 1, maximum: int = 2**63 - 1) -> int:
    """Return ``n`` as an int after checking ``minimum <= n <= maximum`` (an int64 by default)."""
    if isinstance(n, bool) or not isinstance(n, (numbers.Integral, np.integer)):
        raise ValueError(f"{name} must be an integer, got {n!r}")
    if n < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {n}")
    if n > maximum:
        shown = n if abs(n) < 10**30 else f"an integer of {int(n).bit_length()} bits"
        raise ValueError(f"{name} must be <= {maximum}, got {shown}")
    return int(n)


def as_rng(rng: Any, name: str = "rng") -> np.random.Generator:
    """Return ``numpy.random.default_rng(rng)`` for ``None``, a non-negative int seed or a Generator."""
    if rng is None or isinstance(rng, (np.random.Generator, np.random.BitGenerator, np.random.SeedSequence)):
        return np.random.default_rng(rng)
    if isinstance(rng, bool) or not isinstance(rng, (numbers.Integral, np.integer)):
        raise ValueError(f"{name} must be None, a non-negative integer seed or a numpy.random.Generator, "
                         f"got {type(rng).__name__}: {rng!r:.60}")
    if rng < 0:
        raise ValueError(f"{name} must be a non-negative integer seed, got {rng}")
    return np.random.default_rng(int(rng))


def scaled_norm(v: np.ndarray) -> float:
    r""":math:`\lVert \mathbf v \rVert` of a vector without overflow or underflow.

    BLAS ``nrm2`` (through :func:`scipy.linalg.norm`) rescales as it sums, so
    entries of :math:`10^{\pm 300}` give their true length; NaN gives NaN.
    """
    return float(scipy.linalg.norm(np.ravel(v), check_finite=False))


def pow2_scale(arr: np.ndarray) -> float:
    """A power of two near the largest ``|entry|`` of ``arr`` (1.0 for an all-zero array).

    Dividing by it is exact and brings the entries near 1, so that sums of
    squares neither overflow nor underflow (the rescaling LAPACK's norms do).
    """
    m = max(float(np.max(arr)), -float(np.min(arr))) if arr.size else 0.0  # no |arr| temporary
    if m == 0.0 or not np.isfinite(m):
        return 1.0
    return float(np.ldexp(1.0, int(np.frexp(m)[1]) - 1))  # 2**(e-1) <= m < 2**e: m / scale in [1, 2)


def check_in_range(value: Any, names: str) -> Any:
    """Return ``value``, or raise ``ValueError`` if it overflowed: the answer is beyond the float range.

    ``names`` are the arguments whose size put it there, for the message.
    """
    if not np.all(np.isfinite(value)):
        raise ValueError(f"{names} out of range: the answer is beyond the float range "
                         f"(about ±{FLOAT_MAX:.3g})")
    return value


def unscale(value: Any, scale: float, names: str) -> Any:
    """``value * scale`` without an overflow warning, range-checked by :func:`check_in_range`."""
    with np.errstate(over="ignore", invalid="ignore"):
        out = value * scale
    return check_in_range(out, names)


def extreme_scale(arr: np.ndarray) -> float:
    """:func:`pow2_scale` for an array whose largest entry is beyond ``2**±500``, else 1.0.

    For algorithms whose results are not bit-for-bit scale-invariant: ordinary
    inputs run exactly as before, extreme ones are brought near 1.
    """
    m = max(float(np.max(arr)), -float(np.min(arr))) if arr.size else 0.0
    return pow2_scale(arr) if m > 2.0**500 or 0.0 < m < 2.0**-500 else 1.0
