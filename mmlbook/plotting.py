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


def draw_layers(ax: plt.Axes, sizes: Sequence[int], *, deltas: bool = True) -> plt.Axes:
    """Draw a fully connected network: neurons in columns, the shapes of W, b, z and a under
    each layer, and (``deltas=True``) the backward flow of the deltas from the output to the
    first hidden layer.
    """
    sizes = [int(n) for n in sizes]
    top = max(sizes)
    pos = [np.column_stack([np.full(n, 2.2 * l), (n - 1) / 2 - np.arange(n)]) for l, n in enumerate(sizes)]
    for l in range(1, len(sizes)):
        for p in pos[l - 1]:
            for q in pos[l]:
                ax.plot([p[0], q[0]], [p[1], q[1]], color="0.75", lw=0.6, zorder=1)
    for l, P in enumerate(pos):
        color = "0.45" if l == 0 else COLORS[0]
        ax.scatter(P[:, 0], P[:, 1], s=170, color=color, zorder=3, edgecolor="white")
        x, n, below = 2.2 * l, sizes[l], -top / 2 - 0.35
        if l == 0:
            text = f"input\n$\\mathbf{{a}}^{{(0)}} = \\mathbf{{x}}$: ${n}$"
        else:
            text = (f"layer {l}\n$W^{{({l})}}$: ${n} \\times {sizes[l - 1]}$\n"
                    f"$\\mathbf{{b}}^{{({l})}}, \\mathbf{{z}}^{{({l})}}, \\mathbf{{a}}^{{({l})}}$: ${n}$")
        ax.text(x, below, text, ha="center", va="top", fontsize=9)
    y_fwd = top / 2 + 0.6
    ax.annotate("", xy=(2.2 * (len(sizes) - 1), y_fwd), xytext=(0, y_fwd),
                arrowprops=dict(arrowstyle="-|>", color="0.3", lw=1.4))
    ax.text(1.1 * (len(sizes) - 1), y_fwd + 0.2, "forward: $\\mathbf{z} = W\\mathbf{a} + \\mathbf{b}$, "
            "$\\mathbf{a} = \\sigma(\\mathbf{z})$", ha="center", va="bottom", fontsize=9, color="0.3")
    if deltas:
        y_back = -top / 2 - 2.4
        for l in range(len(sizes) - 1, 0, -1):
            ax.text(2.2 * l, y_back, f"$\\boldsymbol{{\\delta}}^{{({l})}}$: ${sizes[l]}$", ha="center",
                    va="center", fontsize=10, color=COLORS[1],
                    bbox=dict(boxstyle="round", fc="white", ec=COLORS[1]))
            if l > 1:
                ax.annotate("", xy=(2.2 * (l - 1) + 0.45, y_back), xytext=(2.2 * l - 0.45, y_back),
                            arrowprops=dict(arrowstyle="-|>", color=COLORS[1], lw=1.4))
                ax.text(2.2 * l - 1.1, y_back + 0.3, f"$W^{{({l})\\top}}$", ha="center", va="bottom",
                        fontsize=9, color=COLORS[1])
        ax.text(2.2 * (len(sizes) - 1) + 0.55, y_back, "$\\leftarrow$ from the cost",
                ha="left", va="center", fontsize=9, color=COLORS[1])
        ax.text(1.1 * (len(sizes) - 1), y_back - 0.75, "backward: $\\boldsymbol{\\delta} = "
                "\\partial C / \\partial \\mathbf{z}$, from the output to the first hidden layer",
                ha="center", va="top", fontsize=9, color=COLORS[1])
    ax.set_xlim(-1.0, 2.2 * (len(sizes) - 1) + (2.6 if deltas else 1.0))
    ax.set_ylim(-top / 2 - (3.6 if deltas else 1.8), top / 2 + 1.2)
    ax.set_aspect("equal")
    ax.axis("off")
    return ax


def draw_graph(ax: plt.Axes, root, names: dict | None = None) -> plt.Axes:
    """Draw the computation graph of an ``autodiff.Value``: one box per value (its name or
    operation, its data and its grad), inputs on the left, an edge per operation labelled
    with its local derivative.
    """
    names = {id(v): k for k, v in (names or {}).items()}
    order, seen, stack = [], set(), [(root, False)]
    while stack:
        v, finished = stack.pop()
        if finished:
            order.append(v)
        elif id(v) not in seen:
            seen.add(id(v))
            stack.append((v, True))
            stack.extend((p, False) for p in reversed(v._parents))
    level = {}
    for v in order:
        level[id(v)] = 1 + max((level[id(p)] for p in v._parents), default=-1)
    first_use: dict[int, int] = {}        # an input sits just left of the first value using it
    for v in order:
        for p in v._parents:
            first_use[id(p)] = min(first_use.get(id(p), level[id(v)]), level[id(v)])
    for v in order:
        if not v._parents and v is not root:
            level[id(v)] = first_use[id(v)] - 1
    columns: dict[int, list] = {}
    for v in order:
        columns.setdefault(level[id(v)], []).append(v)
    xy = {}
    for c, vs in columns.items():
        for i, v in enumerate(vs):
            xy[id(v)] = (2.6 * c, 1.5 * ((len(vs) - 1) / 2 - i))
    for v in order:
        for p, local in zip(v._parents, v._local):
            (x0, y0), (x1, y1) = xy[id(p)], xy[id(v)]
            ax.annotate("", xy=(x1 - 0.85, y1), xytext=(x0 + 0.85, y0),
                        arrowprops=dict(arrowstyle="-|>", color="0.5", lw=1.0))
            ax.text((x0 + x1) / 2, (y0 + y1) / 2 + 0.08, f"{local:.3g}", ha="center", va="bottom",
                    fontsize=8, color=COLORS[1])
    for v in order:
        label = names.get(id(v), v._op or "const")
        x, y = xy[id(v)]
        ax.text(x, y, f"{label}\n{v.data:.4g}\ngrad {v.grad:.3g}", ha="center", va="center",
                fontsize=8.5, bbox=dict(boxstyle="round", fc="#E8F1F8" if v._parents else "white",
                                        ec=COLORS[0]))
    xs = [p[0] for p in xy.values()]
    ys = [p[1] for p in xy.values()]
    ax.set_xlim(min(xs) - 1.0, max(xs) + 1.0)
    ax.set_ylim(min(ys) - 0.9, max(ys) + 0.9)
    ax.axis("off")
    return ax
