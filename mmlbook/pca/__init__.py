"""Principal Component Analysis: the worked code of the book's third part."""

from mmlbook.pca.pca import (PCA, NotFittedError, center, eig_sorted, pca_eig, pca_gram, pca_svd,
                             reconstruction_error, standardize)
from mmlbook.pca.projections import project, projection_coordinates, projection_matrix
from mmlbook.pca.statistics import (affine_covariance, affine_mean, covariance, covariance_loop, mean,
                                   mean_loop, variance)
from mmlbook.pca.inner_products import angle, distance, inner_product, is_positive_definite, length
from mmlbook.pca.knn import knn_classify, pairwise_distances

__all__ = [
    "NotFittedError",
    "PCA",
    "center",
    "eig_sorted",
    "pca_eig",
    "pca_gram",
    "pca_svd",
    "project",
    "projection_coordinates",
    "projection_matrix",
    "reconstruction_error",
    "standardize",
]
__all__ += ["affine_covariance", "affine_mean", "angle", "covariance", "covariance_loop", "distance",
            "inner_product", "is_positive_definite", "knn_classify", "length", "mean", "mean_loop",
            "pairwise_distances", "variance"]

from mmlbook.pca.pca import principal_projection  # noqa: E402

__all__ += ["principal_projection"]

from mmlbook.pca.ppca import (held_out_log_likelihood, ppca_log_likelihood, ppca_ml,  # noqa: E402
                              ppca_posterior_mean, ppca_sample)

__all__ += ["held_out_log_likelihood", "ppca_log_likelihood", "ppca_ml", "ppca_posterior_mean",
            "ppca_sample"]

from mmlbook.pca.norms import lp_norm  # noqa: E402

__all__ += ["lp_norm"]
