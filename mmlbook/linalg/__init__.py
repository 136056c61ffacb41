"""Linear Algebra: the worked code of the book's first part."""

from mmlbook.linalg.change_of_basis import is_orthogonal, matmul_einsum, transform_in_basis
from mmlbook.linalg.eigen import characteristic_polynomial, diagonalise, matrix_power, power_iteration
from mmlbook.linalg.gram_schmidt import dimensions, gram_schmidt
from mmlbook.linalg.pagerank import link_matrix, pagerank, random_internet
from mmlbook.linalg.elimination import (back_substitution, determinant, inverse, is_singular, rank,
                                       row_echelon, solve)
from mmlbook.linalg.transformations import (draw_basis, draw_grid, house, reflection_2d, rotation, shear,
                                           stretch, transform_points)
from mmlbook.linalg.vectors import (angle_between, change_basis, is_linearly_independent, is_orthogonal_basis,
                                    modulus, scalar_projection, vector_projection)
from mmlbook.linalg.reflection import apply_to_polygons, drawing, reflection_matrix

__all__ = ["link_matrix", "pagerank", "power_iteration", "random_internet",
           # vectors, elimination and transformations
           "angle_between", "back_substitution", "change_basis", "determinant", "draw_basis", "draw_grid",
           "house", "inverse", "is_linearly_independent", "is_orthogonal_basis", "is_singular", "modulus",
           "rank", "reflection_2d", "rotation", "row_echelon", "scalar_projection", "shear", "solve",
           "stretch", "transform_points", "vector_projection"]
__all__ += ["apply_to_polygons", "characteristic_polynomial", "diagonalise", "dimensions", "drawing",
            "gram_schmidt", "is_orthogonal", "matmul_einsum", "matrix_power", "reflection_matrix",
            "transform_in_basis"]
from mmlbook.linalg.reflection import householder_qr  # noqa: E402
from mmlbook.linalg.subspaces import column_space, null_space, rref, solution_set  # noqa: E402
from mmlbook.linalg.spectral import definiteness, spectral_decomposition  # noqa: E402
from mmlbook.linalg.powers import matrix_power_squaring, squaring_products  # noqa: E402

__all__ += ["householder_qr", "column_space", "definiteness", "null_space", "rref", "solution_set",
            "spectral_decomposition", "matrix_power_squaring", "squaring_products"]
from mmlbook.linalg.svd import pseudo_inverse, svd  # noqa: E402
from mmlbook.linalg.determinants import cofactor_determinant  # noqa: E402
from mmlbook.linalg.cholesky import cholesky  # noqa: E402

__all__ += ["svd", "pseudo_inverse", "cofactor_determinant", "cholesky"]
