r"""Reverse-mode automatic differentiation of scalars, in the spirit of micrograd.

A :class:`Value` holds a number, ``data``, and remembers the operation that
made it and the values it was made from. Each operation also records its
**local derivatives**, :math:`\partial\,\text{out} / \partial\,\text{input}`.
Calling ``backward()`` on the final result walks the graph from the output
back to the inputs and applies the chain rule at every node,

.. math::
    \bar v \mathrel{+}= \frac{\partial u}{\partial v}\,\bar u
    \quad\text{for every edge } v \to u,
    \qquad \bar v = \frac{\partial\, \text{output}}{\partial v},

in reverse topological order, so that :math:`\bar u` is complete before it is
passed on. The adjoints :math:`\bar v` land in ``grad``.

References
----------
A. Karpathy, micrograd (2020), https://github.com/karpathy/micrograd.
A. G. Baydin, B. A. Pearlmutter, A. A. Radul and J. M. Siskind (2018),
Automatic differentiation in machine learning: a survey, JMLR 18(153).
"""

from __future__ import annotations

import math
import numbers
from typing import Any

__all__ = ["Value"]


def _number(x: Any, name: str) -> float:
    """``x`` as a finite float, or a clear error naming it."""
    if isinstance(x, bool) or not isinstance(x, numbers.Real):
        raise TypeError(f"{name} must be a real number or a Value, got {type(x).__name__}")
    try:
        value = float(x)
    except OverflowError:
        raise ValueError(f"{name} must be within the float range (about ±1.8e308), "
                         f"got an integer of {int(x).bit_length()} bits") from None
    if not math.isfinite(value):
        raise ValueError(f"{name} must be finite, got {value}")
    return value


def _lift(x: Any) -> Value:
    """A number becomes a constant ``Value`` (a leaf whose gradient nobody reads)."""
    return x if isinstance(x, Value) else Value(_number(x, "the other operand"))


class Value:
    r"""A scalar that records the operations applied to it, for reverse-mode differentiation.

    Supports ``+``, ``-``, ``*``, ``/`` (with numbers or other Values), ``**``
    with a number, and the methods :meth:`exp`, :meth:`log`, :meth:`sigmoid`
    and :meth:`tanh`. After ``out.backward()``, every Value that ``out`` was
    computed from holds :math:`\partial\,\text{out}/\partial v` in ``grad``.

    Parameters
    ----------
    data : float
        The number.

    Raises
    ------
    TypeError
        If ``data`` (or an operand) is not a real number, or an exponent is a Value.
    ValueError
        If ``data`` is not finite, :meth:`log` is taken of a number :math:`\le 0`,
        a negative number is raised to a non-integer power, or 0 to a power
        between 0 and 1 (whose derivative there is infinite).
    OverflowError
        If :meth:`exp` of a number above 709, a power, or the derivative
        of a power or of :meth:`log` (at a number below about 5.6e-309) is
        too large for a float.
    ZeroDivisionError
        If a Value is divided by a Value (or number) equal to 0.

    Examples
    --------
    >>> x, y = Value(2.0), Value(3.0)
    >>> f = x * y + x ** 2
    >>> f.backward()
    >>> f.data, x.grad, y.grad
    (10.0, 7.0, 2.0)
    """

    def __init__(self, data: float, _parents: tuple = (), _local: tuple = (), _op: str = ""):
        self.data = _number(data, "data")
        self.grad = 0.0
        self._parents = _parents      # the Values this one was computed from
        self._local = _local          # d self / d parent, one number per parent
        self._op = _op

    def __repr__(self) -> str:
        return f"Value(data={self.data:.6g}, grad={self.grad:.6g})"

    # --- operations: the value, and the local derivative with respect to each input ---

    def __add__(self, other: Any) -> Value:
        other = _lift(other)
        return Value(self.data + other.data, (self, other), (1.0, 1.0), "+")

    def __sub__(self, other: Any) -> Value:
        other = _lift(other)
        return Value(self.data - other.data, (self, other), (1.0, -1.0), "-")

    def __mul__(self, other: Any) -> Value:
        other = _lift(other)
        return Value(self.data * other.data, (self, other), (other.data, self.data), "*")

    def __truediv__(self, other: Any) -> Value:
        other = _lift(other)
        if other.data == 0.0:
            raise ZeroDivisionError("division by a Value equal to 0")
        q = self.data / other.data
        return Value(q, (self, other), (1.0 / other.data, -q / other.data), "/")

    def __pow__(self, k: Any) -> Value:
        if isinstance(k, Value):
            raise TypeError("the exponent must be a number, not a Value")
        k = _number(k, "the exponent")
        if self.data == 0.0 and k < 0:
            raise ZeroDivisionError("0 raised to a negative power")
        if self.data == 0.0 and 0 < k < 1:
            raise ValueError(f"x**{k:g} has no finite derivative at x = 0")
        if self.data < 0.0 and not k.is_integer():
            raise ValueError(f"a negative number ({self.data}) raised to the power {k} is not real")
        try:
            power, local = self.data ** k, k * self.data ** (k - 1) if k != 0 else 0.0
        except OverflowError:
            power = local = math.inf
        if not (math.isfinite(power) and math.isfinite(local)):
            raise OverflowError(f"{self.data!r}**{k:g} or its derivative is too large for a float")
        return Value(power, (self,), (local,), f"**{k:g}")

    def exp(self) -> Value:
        if self.data > 709.0:
            raise OverflowError(f"exp({self.data}) is too large for a float")
        e = math.exp(self.data)
        return Value(e, (self,), (e,), "exp")

    def log(self) -> Value:
        if self.data <= 0.0:
            raise ValueError(f"log needs a positive number, got {self.data}")
        if 1.0 / self.data == math.inf:       # a subnormal x: the derivative 1/x overflows
            raise OverflowError(f"the derivative 1/x of log at x = {self.data!r} is too large for a float")
        return Value(math.log(self.data), (self,), (1.0 / self.data,), "log")

    def sigmoid(self) -> Value:
        x = self.data
        s = 1.0 / (1.0 + math.exp(-x)) if x >= 0 else math.exp(x) / (1.0 + math.exp(x))
        return Value(s, (self,), (s * (1.0 - s),), "sigmoid")

    def tanh(self) -> Value:
        t = math.tanh(self.data)
        return Value(t, (self,), (1.0 - t * t,), "tanh")

    # --- the same operations with the number on the left ---

    def __neg__(self) -> Value:
        return 0.0 - self

    def __radd__(self, other: Any) -> Value:
        return _lift(other) + self

    def __rmul__(self, other: Any) -> Value:
        return _lift(other) * self

    def __rsub__(self, other: Any) -> Value:
        return _lift(other) - self

    def __rtruediv__(self, other: Any) -> Value:
        return _lift(other) / self

    # --- the backward pass ---

    def backward(self) -> None:
        """Fill ``grad`` of every Value this one depends on with d(self)/d(value).

        The gradients are set, not accumulated: ``backward`` first sets ``grad``
        to 0 in every Value of the graph, so calling it twice gives the same
        gradients, and calling it on a second output that shares inputs with
        the first replaces their gradients. micrograd and PyTorch instead add
        to ``grad`` on every backward pass (a training loop zeroes them
        first); to add the gradients of two outputs here, call ``backward``
        on their sum.
        """
        order, seen, stack = [], set(), [(self, False)]
        while stack:                 # topological order: each value after those it was made from
            v, finished = stack.pop()
            if finished:
                order.append(v)
            elif id(v) not in seen:
                seen.add(id(v))
                stack.append((v, True))
                stack.extend((p, False) for p in v._parents)
        for v in order:
            v.grad = 0.0
        self.grad = 1.0                       # d self / d self
        for v in reversed(order):             # from the output back to the inputs
            for parent, local in zip(v._parents, v._local):
                parent.grad += local * v.grad  # the chain rule, one edge at a time
