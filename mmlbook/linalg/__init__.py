"""Linear Algebra: the worked code of the book's first part."""

from mmlbook.linalg.eigen import power_iteration
from mmlbook.linalg.pagerank import link_matrix, pagerank, random_internet

__all__ = ["link_matrix", "pagerank", "power_iteration", "random_internet"]
