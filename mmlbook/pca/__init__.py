"""Principal Component Analysis: the worked code of the book's third part."""

from mmlbook.pca.pca import PCA, NotFittedError, center, eig_sorted, reconstruction_error, standardize
from mmlbook.pca.projections import project, projection_coordinates, projection_matrix

__all__ = [
    "NotFittedError",
    "PCA",
    "center",
    "eig_sorted",
    "project",
    "projection_coordinates",
    "projection_matrix",
    "reconstruction_error",
    "standardize",
]
