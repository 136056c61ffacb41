"""The small result object that every iterative method returns."""

from __future__ import annotations


class Result(dict):
    """A dictionary whose keys are also attributes, like
    :class:`scipy.optimize.OptimizeResult`.

    Iterative methods return one with at least ``x`` (the answer), ``nit``
    (iterations performed) and ``success``; methods whose chapter plots the
    iterates add ``path``.

    Examples
    --------
    >>> r = Result(x=1.0, nit=3, success=True)
    >>> r.x, r["nit"]
    (1.0, 3)
    """

    def __getattr__(self, name):
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None

    __setattr__ = dict.__setitem__

    def __delattr__(self, name):
        try:
            del self[name]
        except KeyError:
            raise AttributeError(name) from None

    def __repr__(self) -> str:
        if not self:
            return f"{type(self).__name__}()"
        keys = [k if isinstance(k, str) else repr(k) for k in self]
        width = max(len(k) for k in keys) + 1
        lines = [f"{k.rjust(width)}: {self._short(v)}" for k, v in zip(keys, self.values())]
        return "\n".join(lines)

    def __reduce__(self):
        return (type(self), (), None, None, iter(self.items()))

    @staticmethod
    def _short(v) -> str:
        text = repr(v)
        return text if len(text) < 200 else text[:197] + "..."

    def __dir__(self):
        return [k for k in self.keys() if isinstance(k, str)]
