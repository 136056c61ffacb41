"""Eigenvalues and eigenvectors: power iteration (and, with the eigenproblems
chapter, diagonalisation)."""

from __future__ import annotations

from typing import Any

import numpy as np

from mmlbook._result import Result
from mmlbook._checks import checked, choice, homogeneous, in_range, integer, nonzero, number, optional, square, vector
from mmlbook.exceptions import ConvergenceError, SingularMatrixError, ZeroIterateError


@checked(M=square(sparse=True), x0=optional(nonzero(vector(size="M"))), tol=number(low=0, low_open=True),
         max_iter=integer(low=1), norm=choice(1, 2))
@homogeneous(M=1, x0=0, returns={"eigenvalue": 1})  # the eigenvalues of c M are c times those of M
def power_iteration(M: Any, x0: Any = None, *, tol: float = 1e-10, max_iter: int = 1000,
                    norm: int = 2) -> Result:
    r"""Dominant eigenvalue and eigenvector of ``M`` by power iteration.

    Repeatedly apply the matrix and rescale,

    .. math:: \mathbf x_{k+1} = \frac{M \mathbf x_k}{\lVert M \mathbf x_k \rVert},

    until the change :math:`\lVert \mathbf x_{k+1} - \mathbf x_k \rVert_1`
    falls below ``tol``. The eigenvalue is the Rayleigh quotient
    :math:`\lambda = \mathbf x^\top M \mathbf x / \mathbf x^\top \mathbf x`.

    Parameters
    ----------
    M : array_like or scipy.sparse matrix, shape (n, n)
        A square matrix whose eigenvalue of largest modulus is real and
        strictly larger in modulus than the others.
    x0 : array_like, shape (n,), optional
        Starting vector; by default the uniform vector :math:`(1/n, \dots, 1/n)`.
    tol : float
        Stop when the L1 change between successive iterates is below ``tol``.
    max_iter : int
        Give up after this many iterations.
    norm : {1, 2}
        Rescale each iterate to unit L1 norm (natural for probabilities, as
        in PageRank) or unit Euclidean norm.

    Returns
    -------
    Result
        ``eigenvalue``, ``eigenvector`` (sign fixed so that its largest
        component is positive), ``x`` (same as ``eigenvector``), ``nit``,
        ``success``, ``path`` (every iterate, shape (nit + 1, n)) and
        ``changes`` (the L1 change at each iteration).

    Raises
    ------
    ValueError
        If ``M`` is not square or not finite, ``x0`` has the wrong length or
        is zero, or an option is out of range.
    ZeroIterateError
        (A ``numpy.linalg.LinAlgError``.) If :math:`M\mathbf x_k = \mathbf 0`
        for an iterate: :math:`\mathbf x_k` is an eigenvector with eigenvalue 0
        and cannot be rescaled (from any start when :math:`M` is nilpotent).
    ConvergenceError
        If the iterates have not settled after ``max_iter`` iterations.

    Examples
    --------
    >>> res = power_iteration([[2.0, 0.0], [0.0, 1.0]])
    >>> round(res.eigenvalue, 8), res.eigenvector.round(8).tolist()
    (2.0, [1.0, 0.0])
    """
    size = _norm_function(norm)
    x = np.full(M.shape[0], 1.0 / M.shape[0]) if x0 is None else x0
    x = x / size(x)
    path, changes = [x], []
    for nit in range(1, max_iter + 1):
        y = M @ x
        if size(y) == 0:  # M x_k = 0: x_k is an eigenvector with eigenvalue 0
            raise ZeroIterateError(f"M maps the iterate to zero at iteration {nit}: M x / ||M x|| is undefined "
                                   "(start from another x0; a nilpotent M has no eigenvalue but 0)")
        y = y / size(y)
        changes.append(float(np.abs(y - x).sum()))
        x = y
        path.append(x)
        if changes[-1] < tol:
            break
    else:
        raise ConvergenceError("power_iteration", max_iter, changes[-1], tol)

    x = _fix_sign(x)
    eigenvalue = float(x @ (M @ x) / (x @ x))
    return Result(eigenvalue=eigenvalue, eigenvector=x, x=x, nit=nit, success=True,
                  path=np.array(path), changes=np.array(changes))


def _norm_function(norm: int):
    if norm == 1:
        return lambda v: float(np.abs(v).sum())
    return lambda v: float(np.linalg.norm(v))


def _fix_sign(v: np.ndarray) -> np.ndarray:
    """Flip ``v`` so that its largest-magnitude component is positive.

    An eigenvector is only defined up to sign; fixing it makes printed
    numbers identical from one build to the next.
    """
    i = int(np.argmax(np.abs(v)))
    return -v if v[i] < 0 else v


@checked(A=square)
@in_range("A")  # the coefficient of lambda^(n-k) scales like A^k: it may overflow
def characteristic_polynomial(A: Any) -> np.ndarray:
    r"""Coefficients of the characteristic polynomial :math:`\det(\lambda I - A)`.

    Its roots are the eigenvalues of ``A``. For a :math:`2 \times 2` matrix
    it can be written down at once,

    .. math::

        \det(\lambda I - A) = \lambda^2 - (a + d)\lambda + (ad - bc)
        = \lambda^2 - \operatorname{tr}(A)\,\lambda + \det(A),
        \qquad A = \begin{pmatrix} a & b \\ c & d \end{pmatrix},

    which is what this function does for that size; larger matrices go to
    :func:`numpy.poly`. The polynomial is monic: :math:`\det(A - \lambda I)`,
    the form often used by hand, is the same times :math:`(-1)^n`.

    Parameters
    ----------
    A : array_like, shape (n, n)
        A non-empty square matrix.

    Returns
    -------
    ndarray, shape (n + 1,)
        Coefficients from :math:`\lambda^n` (always 1) down to the constant
        term, as :func:`numpy.roots` expects.

    Raises
    ------
    ValueError
        If ``A`` is not a finite, non-empty, square matrix.

    Examples
    --------
    >>> characteristic_polynomial([[2.0, 1.0], [1.0, 2.0]])  # (l - 1)(l - 3)
    array([ 1., -4.,  3.])
    """
    if A.shape == (2, 2):
        (a, b), (c, d) = A
        coefficients = np.array([1.0, -(a + d), a * d - b * c])
    else:
        coefficients = np.real_if_close(np.poly(A)).astype(float)
    return coefficients + 0.0  # turn any -0.0 (as for a trace of 0) into 0.0


@checked(A=square, cond_max=number(low=1, low_open=True))
@homogeneous(A=1, returns=(0, 1))  # the eigenvalues scale with A, the eigenvectors do not
def diagonalise(A: Any, *, cond_max: float = 1e10) -> tuple[np.ndarray, np.ndarray]:
    r"""Write ``A`` as :math:`C D C^{-1}`, with its eigenvectors in :math:`C`.

    If :math:`A` has :math:`n` linearly independent eigenvectors
    :math:`A\mathbf c_i = \lambda_i \mathbf c_i`, put them as the columns of
    :math:`C` and the eigenvalues on the diagonal of :math:`D`; then
    :math:`AC = CD`, so

    .. math:: A = C D C^{-1} .

    The eigenvalues are sorted by decreasing modulus (ties broken by
    decreasing real part, then imaginary part). Each eigenvector has unit
    length and is scaled so that its largest-magnitude entry is real and
    positive, so the results are identical from run to run.

    Parameters
    ----------
    A : array_like, shape (n, n)
        A non-empty square matrix.
    cond_max : float
        ``A`` counts as defective when the condition number of :math:`C`
        exceeds this.

    Returns
    -------
    C : ndarray, shape (n, n)
        The eigenvectors, as columns.
    D : ndarray, shape (n, n)
        The diagonal matrix of eigenvalues.

    Both are real when every eigenvalue is real (up to rounding) and
    complex otherwise, as for a rotation.

    Raises
    ------
    ValueError
        If ``A`` is not a finite, non-empty, square matrix, or ``cond_max``
        is not ``> 1``.
    SingularMatrixError
        If ``A`` is defective (it has too few independent eigenvectors, as a
        shear does), so that :math:`C` is singular and :math:`A` cannot be
        diagonalised.

    Examples
    --------
    >>> C, D = diagonalise([[2.0, 1.0], [1.0, 2.0]])
    >>> np.diag(D)
    array([3., 1.])
    """
    values, C = np.linalg.eig(A)
    order = np.lexsort((-values.imag.round(12), -values.real.round(12), -np.abs(values).round(12)))
    values, C = values[order], C[:, order]
    C = C / np.linalg.norm(C, axis=0)
    for i in range(C.shape[1]):
        k = int(np.argmax(np.abs(C[:, i]).round(12)))
        C[:, i] = C[:, i] * (np.abs(C[k, i]) / C[k, i])
    cond = np.linalg.cond(C)
    if not cond <= cond_max:  # also an infinite (or NaN) condition number: C is singular
        raise SingularMatrixError(
            "A is defective: it does not have enough linearly independent eigenvectors "
            f"to diagonalise it (the eigenvector matrix C has condition number {cond:.3g})"
        )
    if np.allclose(values.imag, 0, atol=1e-12) and np.allclose(C.imag, 0, atol=1e-12):
        values, C = values.real, C.real
    return C, np.diag(values)


@checked(A=square, k=integer(low=0))
@in_range("A", "k")
def matrix_power(A: Any, k: int) -> np.ndarray:
    r"""The ``k``-th power of ``A`` through its diagonalisation.

    If :math:`A = C D C^{-1}`, the inner factors cancel in the product of
    :math:`k` copies,

    .. math:: A^k = C D C^{-1} C D C^{-1} \cdots C D C^{-1} = C D^k C^{-1},

    and :math:`D^k` only needs each eigenvalue raised to the power :math:`k`.

    Parameters
    ----------
    A : array_like, shape (n, n)
        A diagonalisable matrix.
    k : int
        The power, ``>= 0`` (``k = 0`` gives the identity).

    Returns
    -------
    ndarray, shape (n, n)
        :math:`A^k`; real whenever ``A`` is (any imaginary parts from complex
        eigenvalues cancel up to rounding and are dropped).

    Raises
    ------
    ValueError
        If ``A`` is not a finite, non-empty square matrix or ``k`` is not a
        non-negative integer.
    SingularMatrixError
        If ``A`` is defective, as in :func:`diagonalise`.

    Examples
    --------
    >>> matrix_power([[2.0, 1.0], [1.0, 2.0]], 3).round(10)
    array([[14., 13.],
           [13., 14.]])
    """
    C, D = diagonalise(A)
    Ak = C @ np.diag(np.diag(D) ** k) @ np.linalg.inv(C)
    return np.real(Ak) if np.iscomplexobj(Ak) else Ak
