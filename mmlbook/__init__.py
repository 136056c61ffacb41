"""Worked code for *Mathematics for Machine Learning*, an executable textbook.

The package follows the book: one subpackage per part.

- :mod:`mmlbook.linalg` -- Linear Algebra
- :mod:`mmlbook.calculus` -- Multivariate Calculus
- :mod:`mmlbook.pca` -- Principal Component Analysis

plus :mod:`mmlbook.datasets` (the data the chapters use), :mod:`mmlbook.plotting`
(one figure style for the whole book) and :mod:`mmlbook.display` (showing the
package's own source inside a chapter).
"""

from mmlbook.exceptions import ConvergenceError, SingularMatrixError

__version__ = "0.1.0"

__all__ = ["ConvergenceError", "SingularMatrixError", "__version__"]
