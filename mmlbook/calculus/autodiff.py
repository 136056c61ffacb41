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

:class:`Dual` is **forward mode**: a number that carries its derivative along
one direction, :math:`(v, \dot v)`, through every operation,
:math:`\dot u = \sum_v (\partial u / \partial v)\, \dot v`, so one pass gives a
Jacobian-vector product where ``backward()`` gives a vector-Jacobian product.
:func:`softmax` and :func:`cross_entropy` build the classification output and
its loss from ``Value`` operations, with the log-sum-exp shift that keeps them
finite for large logits.

References
----------
A. Karpathy, micrograd (2020), https://github.com/karpathy/micrograd.
R. E. Wengert (1964), A simple automatic derivative evaluation program,
Communications of the ACM 7(8), 463-464 (forward mode, :class:`Dual`).
A. G. Baydin, B. A. Pearlmutter, A. A. Radul and J. M. Siskind (2018),
Automatic differentiation in machine learning: a survey, JMLR 18(153).
"""

from __future__ import annotations

import math
import numbers
from typing import Any

from mmlbook._checks import checked

__all__ = ["Value", "Dual", "softmax", "cross_entropy"]


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


# --- forward mode ---

def _lift_dual(x: Any) -> Dual:
    """A number becomes a constant ``Dual`` (derivative 0)."""
    return x if isinstance(x, Dual) else Dual(_number(x, "the other operand"), 0.0)


class Dual:
    r"""A number with its derivative along one direction, for forward-mode differentiation.

    A dual number :math:`v + \dot v\,\varepsilon` with :math:`\varepsilon^2 = 0`:
    every operation computes its value and, by the chain rule, its derivative,

    .. math::
        (u \cdot v)^{\boldsymbol\cdot} = \dot u\, v + u\, \dot v, \qquad
        g(u)^{\boldsymbol\cdot} = g'(u)\, \dot u .

    Seeding the inputs with the derivatives :math:`\dot{\mathbf x} = \mathbf v`
    gives, at the output, the Jacobian-vector product :math:`J\mathbf v`.
    Supports the operations of :class:`Value`: ``+``, ``-``, ``*``, ``/`` (with
    numbers or other Duals), ``**`` with a number, :meth:`exp`, :meth:`log`,
    :meth:`sigmoid` and :meth:`tanh`.

    Parameters
    ----------
    value : float
        The number :math:`v`.
    derivative : float
        Its derivative :math:`\dot v` along the chosen direction (1 for the
        variable being differentiated, 0 for constants).

    Raises
    ------
    TypeError
        If ``value``, ``derivative`` or an operand is not a real number, or an exponent is a Dual.
    ValueError
        As :class:`Value`: a non-finite number, :meth:`log` of a number :math:`\le 0`,
        a negative number to a non-integer power, or 0 to a power between 0 and 1.
    OverflowError
        If :meth:`exp` of a number above 709 would overflow.
    ZeroDivisionError
        If a Dual is divided by one whose value is 0.

    Examples
    --------
    >>> x = Dual(2.0, 1.0)              # d/dx at x = 2
    >>> f = x * x + x.exp()
    >>> round(f.value, 4), round(f.derivative, 4)
    (11.3891, 11.3891)
    """

    def __init__(self, value: float, derivative: float = 0.0):
        self.value = _number(value, "value")
        self.derivative = _number(derivative, "derivative")

    def __repr__(self) -> str:
        return f"Dual(value={self.value:.6g}, derivative={self.derivative:.6g})"

    def __add__(self, other: Any) -> Dual:
        other = _lift_dual(other)
        return Dual(self.value + other.value, self.derivative + other.derivative)

    def __sub__(self, other: Any) -> Dual:
        other = _lift_dual(other)
        return Dual(self.value - other.value, self.derivative - other.derivative)

    def __mul__(self, other: Any) -> Dual:
        other = _lift_dual(other)
        return Dual(self.value * other.value, self.derivative * other.value + self.value * other.derivative)

    def __truediv__(self, other: Any) -> Dual:
        other = _lift_dual(other)
        if other.value == 0.0:
            raise ZeroDivisionError("division by a Dual equal to 0")
        q = self.value / other.value
        return Dual(q, (self.derivative - q * other.derivative) / other.value)

    def __pow__(self, k: Any) -> Dual:
        if isinstance(k, (Dual, Value)):
            raise TypeError("the exponent must be a number, not a Dual")
        k = _number(k, "the exponent")
        x = self.value
        if x == 0.0 and k < 0:
            raise ZeroDivisionError("0 raised to a negative power")
        if x == 0.0 and 0 < k < 1:
            raise ValueError(f"x**{k:g} has no finite derivative at x = 0")
        if x < 0.0 and not k.is_integer():
            raise ValueError(f"a negative number ({x}) raised to the power {k} is not real")
        slope = k * x ** (k - 1) if k != 0 else 0.0
        return Dual(x ** k, slope * self.derivative)

    def exp(self) -> Dual:
        if self.value > 709.0:
            raise OverflowError(f"exp({self.value}) is too large for a float")
        e = math.exp(self.value)
        return Dual(e, e * self.derivative)

    def log(self) -> Dual:
        if self.value <= 0.0:
            raise ValueError(f"log needs a positive number, got {self.value}")
        return Dual(math.log(self.value), self.derivative / self.value)

    def sigmoid(self) -> Dual:
        x = self.value
        s = 1.0 / (1.0 + math.exp(-x)) if x >= 0 else math.exp(x) / (1.0 + math.exp(x))
        return Dual(s, s * (1.0 - s) * self.derivative)

    def tanh(self) -> Dual:
        t = math.tanh(self.value)
        return Dual(t, (1.0 - t * t) * self.derivative)

    def __neg__(self) -> Dual:
        return Dual(-self.value, -self.derivative)

    def __radd__(self, other: Any) -> Dual:
        return _lift_dual(other) + self

    def __rmul__(self, other: Any) -> Dual:
        return _lift_dual(other) * self

    def __rsub__(self, other: Any) -> Dual:
        return _lift_dual(other) - self

    def __rtruediv__(self, other: Any) -> Dual:
        return _lift_dual(other) / self


# --- classification: softmax and cross-entropy on Values ---

def _values(x: Any, name: str, args: dict) -> list[Value]:
    """A non-empty sequence of Values or real numbers, as a list of Values (numbers become constants)."""
    if isinstance(x, (str, bytes, Value)) or not hasattr(x, "__iter__"):
        raise ValueError(f"{name} must be a non-empty sequence of Values or numbers, got {type(x).__name__}")
    items = list(x)
    if not items:
        raise ValueError(f"{name} must be a non-empty sequence of Values or numbers, got an empty one")
    out = []
    for i, v in enumerate(items):
        if isinstance(v, Value):
            out.append(v)
        else:
            try:
                out.append(Value(_number(v, f"{name}[{i}]")))
            except TypeError:
                raise ValueError(f"{name}[{i}] must be a Value or a real number, "
                                 f"got {type(v).__name__}") from None
    return out


def _class_index(k: Any, name: str, args: dict) -> int:
    """An integer class index into ``logits``."""
    n = len(args["logits"])
    if isinstance(k, bool) or not isinstance(k, numbers.Integral) or not 0 <= int(k) < n:
        raise ValueError(f"{name} must be an integer class index in [0, {n - 1}], got {k!r:.60}")
    return int(k)


@checked(values=_values)
def softmax(values: Any) -> list[Value]:
    r"""The softmax of a list of scores: positive numbers that add up to 1.

    .. math::
        p_i = \frac{e^{z_i}}{\sum_j e^{z_j}} = \frac{e^{z_i - m}}{\sum_j e^{z_j - m}},
        \qquad m = \max_j z_j ,

    computed in the second form, so that no exponential overflows however
    large the scores (the constant :math:`m` cancels, and does not change the
    derivatives).

    Parameters
    ----------
    values : sequence of Value or float, length K
        The scores (logits) :math:`z_1, \dots, z_K`; numbers are taken as constants.

    Returns
    -------
    list of Value, length K
        The probabilities :math:`p_i`, connected to ``values`` for ``backward()``.

    Raises
    ------
    ValueError
        If ``values`` is empty, or holds something that is not a Value or a finite number.

    Examples
    --------
    >>> [round(p.data, 4) for p in softmax([1.0, 2.0, 3.0])]
    [0.09, 0.2447, 0.6652]
    >>> [round(p.data, 4) for p in softmax([1000.0, 1000.0])]
    [0.5, 0.5]
    """
    m = max(z.data for z in values)
    e = [(z - m).exp() for z in values]
    total = sum(e[1:], e[0])
    return [ei / total for ei in e]


@checked(logits=_values, target=_class_index)
def cross_entropy(logits: Any, target: int) -> Value:
    r"""The cross-entropy of the softmax of ``logits`` against the class ``target``.

    .. math::
        L = -\log p_t = \log \sum_j e^{z_j} - z_t
          = m + \log \sum_j e^{z_j - m} - z_t, \qquad m = \max_j z_j ,

    the log-sum-exp form, finite for any finite logits. Its gradient is
    :math:`\partial L / \partial z_i = p_i - [i = t]`: the predicted
    probabilities minus the one-hot target.

    Parameters
    ----------
    logits : sequence of Value or float, length K
        The scores :math:`z_1, \dots, z_K`.
    target : int
        The correct class :math:`t`, an index in ``[0, K - 1]``.

    Returns
    -------
    Value
        :math:`L \ge 0`; after ``L.backward()`` each logit's ``grad`` holds
        :math:`p_i - [i = t]`.

    Raises
    ------
    ValueError
        As :func:`softmax`; also if ``target`` is not an integer index of ``logits``.

    Examples
    --------
    >>> z = [Value(2.0), Value(0.0), Value(-1.0)]
    >>> L = cross_entropy(z, 0)
    >>> L.backward()
    >>> round(L.data, 4), [round(v.grad, 4) for v in z]
    (0.1698, [-0.1562, 0.1142, 0.042])
    """
    m = max(z.data for z in logits)
    shifted = [(z - m).exp() for z in logits]
    log_sum_exp = sum(shifted[1:], shifted[0]).log() + m
    return log_sum_exp - logits[target]
