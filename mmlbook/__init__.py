"""Worked code for *Mathematics for Machine Learning*, an executable textbook.

The package follows the book: one subpackage per part.

- :mod:`mmlbook.linalg` -- Linear Algebra
- :mod:`mmlbook.calculus` -- Multivariate Calculus
- :mod:`mmlbook.pca` -- Principal Component Analysis

plus :mod:`mmlbook.datasets` (the data the chapters use), :mod:`mmlbook.plotting`
(one figure style for the whole book) and :mod:`mmlbook.display` (showing the
package's own source inside a chapter).
"""

import importlib
from typing import Any

from mmlbook.exceptions import ConvergenceError, SingularMatrixError

__version__ = "0.1.0"

#: The subpackages and modules that ``mmlbook.<name>`` reaches without an
#: import of its own. They load on first use, so ``import mmlbook`` stays
#: quick (matplotlib is imported only when plotting is).
SUBMODULES = ("linalg", "calculus", "pca", "datasets", "display", "exercises", "plotting")

__all__ = ["ConvergenceError", "SingularMatrixError", "__version__", *SUBMODULES]


def __getattr__(name: str) -> Any:
    if name in SUBMODULES:
        module = importlib.import_module(f"mmlbook.{name}")
        globals()[name] = module
        return module
    raise AttributeError(f"module 'mmlbook' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(SUBMODULES))
