"""Matrices as transformations of the plane: rotation, stretch, shear and
reflection, applying a matrix to points, and two small drawing helpers."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from mmlbook._checks import checked, in_range, matrix, number, square
from mmlbook._validation import as_matrix, check_number


@checked(theta=number)
def rotation(theta: float) -> np.ndarray:
    r"""The matrix that rotates the plane anticlockwise by ``theta`` radians.

    .. math:: R(\theta) = \begin{pmatrix} \cos\theta & -\sin\theta \\ \sin\theta & \cos\theta \end{pmatrix}.

    Parameters
    ----------
    theta : float
        The angle in radians; positive is anticlockwise.

    Returns
    -------
    ndarray, shape (2, 2)

    Raises
    ------
    ValueError
        If ``theta`` is not a finite real number.

    Examples
    --------
    >>> rotation(np.pi / 2).round(12) + 0.0
    array([[ 0., -1.],
           [ 1.,  0.]])
    """
    c, s = np.cos(theta), np.sin(theta)
    return np.array([[c, -s], [s, c]])


@checked(sx=number, sy=number)
def stretch(sx: float, sy: float) -> np.ndarray:
    r"""The matrix that stretches the x axis by ``sx`` and the y axis by ``sy``.

    .. math:: S = \begin{pmatrix} s_x & 0 \\ 0 & s_y \end{pmatrix}.

    Parameters
    ----------
    sx, sy : float
        Scale factors (a negative one also flips that axis).

    Returns
    -------
    ndarray, shape (2, 2)

    Raises
    ------
    ValueError
        If either factor is not a finite real number.

    Examples
    --------
    >>> stretch(2, 0.5)
    array([[2. , 0. ],
           [0. , 0.5]])
    """
    return np.array([[sx, 0.0], [0.0, sy]])


@checked(k=number)
def shear(k: float, axis: str = "x") -> np.ndarray:
    r"""A shear of the plane by ``k`` along the x or the y axis.

    .. math:: H_x = \begin{pmatrix} 1 & k \\ 0 & 1 \end{pmatrix}, \qquad
              H_y = \begin{pmatrix} 1 & 0 \\ k & 1 \end{pmatrix}.

    Along x, each point slides sideways by ``k`` times its height; along y,
    each point slides up by ``k`` times its x coordinate.

    Parameters
    ----------
    k : float
        The shear factor.
    axis : {"x", "y"}
        The direction in which points slide.

    Returns
    -------
    ndarray, shape (2, 2)

    Raises
    ------
    ValueError
        If ``k`` is not a finite real number or ``axis`` is not "x" or "y".

    Examples
    --------
    >>> shear(1.0)
    array([[1., 1.],
           [0., 1.]])
    """
    if axis == "x":
        return np.array([[1.0, k], [0.0, 1.0]])
    if axis == "y":
        return np.array([[1.0, 0.0], [k, 1.0]])
    raise ValueError(f'axis must be "x" or "y", got {axis!r}')


@checked(axis_angle=number)
def reflection_2d(axis_angle: float) -> np.ndarray:
    r"""Reflection in the line through the origin at angle ``axis_angle`` to the x axis.

    .. math:: F(\alpha) = \begin{pmatrix} \cos 2\alpha & \sin 2\alpha \\ \sin 2\alpha & -\cos 2\alpha \end{pmatrix}.

    Points on the mirror line stay put and points on the perpendicular line
    change sign, so :math:`F^2 = I` and :math:`\det F = -1`.

    Parameters
    ----------
    axis_angle : float
        The angle of the mirror line, in radians.

    Returns
    -------
    ndarray, shape (2, 2)

    Raises
    ------
    ValueError
        If ``axis_angle`` is not a finite real number.

    Examples
    --------
    >>> reflection_2d(0.0)
    array([[ 1.,  0.],
           [ 0., -1.]])
    """
    alpha = math.fmod(axis_angle, math.pi)  # period pi: 2 * alpha stays finite
    c, s = np.cos(2 * alpha), np.sin(2 * alpha)
    return np.array([[c, s], [s, -c]])


@checked(T=square, points=matrix(allow_empty=True, cols="T"))
@in_range("T", "points")
def transform_points(T: Any, points: Any) -> np.ndarray:
    r"""Apply the matrix ``T`` to every point, stored one per row.

    Each point :math:`\mathbf x` goes to :math:`T\mathbf x`; with the points
    as the rows of :math:`X` this is :math:`X T^\top`.

    Parameters
    ----------
    T : array_like, shape (d, d)
        The transformation.
    points : array_like, shape (N, d)
        One point per row.

    Returns
    -------
    ndarray, shape (N, d)
        The transformed points, one per row.

    Raises
    ------
    ValueError
        If ``T`` is not square, either is not finite, or the points do not
        have ``d`` coordinates.

    Examples
    --------
    >>> transform_points([[2.0, 0.0], [0.0, 1.0]], [[1.0, 1.0], [0.0, 3.0]])
    array([[2., 1.],
           [0., 3.]])
    """
    return points @ T.T  # each row x becomes (T x)^T = x^T T^T


def house() -> np.ndarray:
    """The corners of a simple house, as a closed polygon of (x, y) rows.

    Returns
    -------
    ndarray, shape (6, 2)
        A square body from (0, 0) to (1, 1), a roof peaking at (0.5, 1.5),
        and the first corner repeated at the end so it draws closed.
    """
    return np.array([[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.5, 1.5], [0.0, 1.0], [0.0, 0.0]])


def draw_grid(ax, T: Any = None, *, lim: float = 3.0, step: float = 1.0, color: str = "0.6",
              lw: float = 0.8, **kwargs):
    """Draw the lines of the integer grid after the transformation ``T``.

    Parameters
    ----------
    ax : matplotlib Axes
    T : array_like, shape (2, 2), optional
        The transformation; the identity if omitted.
    lim, step : float
        Grid lines at multiples of ``step`` from ``-lim`` to ``lim``.
    color, lw, **kwargs
        Passed to :meth:`matplotlib.axes.Axes.plot`.

    Returns
    -------
    matplotlib Axes
    """
    T = np.eye(2) if T is None else as_matrix(T, "T", square=True)
    _check_axes(ax)
    lim = check_number(lim, "lim", low=0.0, low_open=True)
    step = check_number(step, "step", low=0.0, low_open=True)
    lw = check_number(lw, "lw", low=0.0)
    if lim / step > MAX_GRID_LINES / 2:
        raise ValueError(f"step must be at least lim / {MAX_GRID_LINES // 2} = {2 * lim / MAX_GRID_LINES:.3g} "
                         f"(at most {MAX_GRID_LINES} grid lines per direction), got {step:g}")
    if not isinstance(color, str):
        raise ValueError(f"color must be a matplotlib colour string, got {type(color).__name__}")
    ticks = np.arange(-lim, lim + step / 2, step)
    t = np.linspace(-lim, lim, 2)
    for v in ticks:
        for line in (np.column_stack([np.full(2, v), t]), np.column_stack([t, np.full(2, v)])):
            x, y = transform_points(T, line).T
            ax.plot(x, y, color=color, lw=lw, **kwargs)
    return ax


def draw_basis(ax, T: Any = None, *, colors=("#0072B2", "#D55E00"), labels=None):
    """Draw the images of the standard basis vectors as arrows from the origin.

    The columns of ``T`` are where the basis vectors land.

    Parameters
    ----------
    ax : matplotlib Axes
    T : array_like, shape (2, 2), optional
        The transformation; the identity if omitted.
    colors : pair of colours
    labels : pair of str, optional
        Text placed at the arrow tips.

    Returns
    -------
    matplotlib Axes
    """
    T = np.eye(2) if T is None else as_matrix(T, "T", square=True)
    _check_axes(ax)
    if T.shape != (2, 2):
        raise ValueError(f"T must have shape (2, 2), got shape {T.shape}")
    if labels is not None and not _is_pair(labels):
        raise ValueError(f"labels must be a pair of strings, got {labels!r:.60}")
    if not _is_pair(colors):
        raise ValueError(f"colors must be a pair of colours, got {colors!r:.60}")
    for j in range(2):
        x, y = T[:, j]
        ax.annotate("", xy=(x, y), xytext=(0, 0),
                    arrowprops=dict(arrowstyle="-|>", color=colors[j], lw=2, shrinkA=0, shrinkB=0))
        if labels is not None:
            ax.text(x * 1.08, y * 1.08, labels[j], color=colors[j], fontsize=12)
    return ax


def _is_pair(value: Any) -> bool:
    """Whether ``value`` is a sequence of two items (not a string, not None)."""
    return isinstance(value, (list, tuple)) and len(value) == 2


#: Most grid lines :func:`draw_grid` draws in each direction.
MAX_GRID_LINES = 1000


def _check_axes(ax: Any) -> None:
    """Raise ``TypeError`` unless ``ax`` is a matplotlib Axes."""
    from matplotlib.axes import Axes

    if not isinstance(ax, Axes):
        raise TypeError(f"ax must be a matplotlib Axes, got {type(ax).__name__}")
