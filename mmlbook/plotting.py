"""One figure style for the whole book, and plots that several chapters share.

Chapters call :func:`use_book_style` once in their imports cell. Figure code
that only one chapter needs stays in that chapter's (hidden) cell; what two
chapters would otherwise repeat lives here.
"""

from __future__ import annotations

from typing import Sequence

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np

#: Colours used across the book (colour-blind safe, from the Okabe-Ito palette).
COLORS = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#000000"]

BOOK_STYLE = {
    "figure.figsize": (6.4, 4.0),
    "figure.dpi": 100,
    "savefig.dpi": 100,
    "figure.constrained_layout.use": True,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.prop_cycle": mpl.cycler(color=COLORS),
    "font.size": 11,
    "legend.frameon": False,
    "image.cmap": "viridis",
    # Fixed metadata and hash salt so that two builds write identical files.
    "svg.hashsalt": "mmlbook",
    "path.simplify": True,
}


def use_book_style() -> None:
    """Apply the book's matplotlib style (idempotent)."""
    mpl.rcParams.update(BOOK_STYLE)


def bar_ranks(ax: plt.Axes, ranks: np.ndarray, labels: Sequence[str] | None = None, *,
              color: str = COLORS[0], title: str | None = None) -> plt.Axes:
    """Bar chart of a score per item (PageRank, explained variance ...)."""
    ranks = np.asarray(ranks)
    x = np.arange(ranks.size)
    ax.bar(x, ranks, color=color)
    if labels is not None:
        ax.set_xticks(x, labels)
    if title:
        ax.set_title(title)
    return ax


def plot_path(ax: plt.Axes, path: np.ndarray, *, label: str | None = None,
              color: str | None = None, marker: str = "o") -> plt.Axes:
    """Draw the iterates of a 2-D optimiser as a connected line over a contour plot."""
    path = np.asarray(path)
    ax.plot(path[:, 0], path[:, 1], marker=marker, ms=3, lw=1.2, label=label, color=color)
    ax.plot(*path[-1], marker="*", ms=12, color=color or ax.lines[-1].get_color())
    return ax


def contour(ax: plt.Axes, f, xlim: tuple[float, float], ylim: tuple[float, float], *,
            n: int = 200, levels: int = 30, filled: bool = True):
    """Contours of ``f(x, y)`` (vectorised over grids) on a rectangle."""
    xs = np.linspace(*xlim, n)
    ys = np.linspace(*ylim, n)
    X, Y = np.meshgrid(xs, ys)
    Z = f(X, Y)
    cs = (ax.contourf if filled else ax.contour)(X, Y, Z, levels=levels)
    ax.set_aspect("equal")
    return cs


def show_images(images: np.ndarray, *, titles: Sequence[str] | None = None, ncols: int = 10,
                size: float = 1.2, cmap: str = "gray_r", vmin=None, vmax=None) -> plt.Figure:
    """A grid of small images (digits, principal components ...), axes hidden."""
    images = np.asarray(images)
    n = len(images)
    ncols = min(ncols, n)
    nrows = int(np.ceil(n / ncols))
    fig, axes = plt.subplots(nrows, ncols, figsize=(size * ncols, size * nrows * 1.15),
                             squeeze=False)
    for i, ax in enumerate(axes.flat):
        ax.axis("off")
        if i < n:
            ax.imshow(images[i], cmap=cmap, vmin=vmin, vmax=vmax)
            if titles is not None:
                ax.set_title(titles[i], fontsize=9)
    return fig


def draw_network(ax: plt.Axes, adjacency: np.ndarray, labels: Sequence[str], *,
                 sizes: np.ndarray | None = None, highlight: Sequence[int] = ()) -> plt.Axes:
    """Draw a small directed network of pages on a circle, links as arrows.

    ``adjacency[i, j] != 0`` draws an arrow from page ``i`` to page ``j``; a
    self-link is drawn as a loop. ``sizes`` (for example the PageRank) scales
    the nodes; pages in ``highlight`` are drawn in the second book colour.
    """
    from matplotlib.patches import FancyArrowPatch

    A = np.asarray(adjacency)
    n = A.shape[0]
    angles = np.pi / 2 - 2 * np.pi * np.arange(n) / n
    pos = np.column_stack([np.cos(angles), np.sin(angles)])
    if sizes is None:
        radii = np.full(n, 0.13)
    else:
        sizes = np.asarray(sizes, dtype=float)
        radii = 0.08 + 0.25 * np.sqrt(sizes / sizes.max())
    for i, j in zip(*np.nonzero(A)):
        if i == j:
            loop = plt.Circle(pos[i] * (1 + radii[i] + 0.08), 0.09, fill=False, lw=1.2,
                              color="0.35")
            ax.add_patch(loop)
            continue
        bend = 0.15 if A[j, i] else 0.0  # two-way links curve apart
        ax.add_patch(FancyArrowPatch(pos[i], pos[j], arrowstyle="-|>", mutation_scale=12,
                                     lw=1.1, color="0.35", shrinkA=radii[i] * 72 * 1.5,
                                     shrinkB=radii[j] * 72 * 1.5,
                                     connectionstyle=f"arc3,rad={bend}"))
    for k in range(n):
        color = COLORS[1] if k in highlight else COLORS[0]
        ax.add_patch(plt.Circle(pos[k], radii[k], color=color, zorder=3))
        ax.text(*pos[k], labels[k], ha="center", va="center", color="white",
                fontweight="bold", zorder=4)
    ax.set_xlim(-1.55, 1.55)
    ax.set_ylim(-1.55, 1.55)
    ax.set_aspect("equal")
    ax.axis("off")
    return ax


def arrow(ax: plt.Axes, vec, color: str, label: str | None = None, *, start=(0.0, 0.0),
          offset=(0.08, 0.08), lw: float = 2.0, ls: str = "-", fontsize: int = 12) -> plt.Axes:
    """Draw the vector ``vec`` as an arrow from ``start``, with an optional label at its tip."""
    start = np.asarray(start, dtype=float)
    tip = start + np.asarray(vec, dtype=float)
    ax.annotate("", xy=tip, xytext=start,
                arrowprops=dict(arrowstyle="-|>", color=color, lw=lw, ls=ls, shrinkA=0, shrinkB=0))
    if label:
        ax.text(*(tip + offset), label, color=color, fontsize=fontsize)
    return ax
