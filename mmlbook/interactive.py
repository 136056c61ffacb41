"""Figures a reader moves, computed when the book is built.

:func:`live_figure` makes a figure of a linear map of the plane (a shear, a
change of basis, a matrix turning a unit vector) that the reader's browser
draws as SVG and redraws as the slider moves or a handle is dragged, with
``static/live-figure.js`` inlined: sharp at any width, a few KB. It is shown
as

* ``text/html``: the SVG, a labelled ``<input type="range">`` and the
  script, plus a PNG fallback for a notebook that runs no script (the book's
  site drops it, see ``_ext/reader.py``);
* ``image/png``: a static panel of key frames, drawn with matplotlib, which
  the PDF (and any output that cannot run a script) shows instead.

:func:`slider_figure` is a flipbook: one matplotlib frame per parameter
value, rendered at twice the resolution it is shown at (a full column), as
palette PNGs, stepped through by a slider (``_ext/static/questions.js`` on
the site, an inline script in a notebook); ``image/png`` is again a panel of
key frames.

In a running notebook, after ``mmlbook.interactive.LIVE_WIDGETS = True`` (the
learner notebook's set-up cell does this), a slider figure is an ipywidgets
slider that the kernel drives instead, with the static panel as the
fallback of a front end without the widget manager. The book's build never
sets the flag, so its pages keep the script-driven slider.
"""

from __future__ import annotations

import base64
import html
import io
import json
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import matplotlib.pyplot as plt
import numpy as np

__all__ = ["LiveFigure", "SliderFigure", "live_figure", "slider_figure"]

#: Show slider figures as ipywidgets sliders driven by the running kernel.
LIVE_WIDGETS = False


def _png(fig, dpi: int, colors: int | None = None) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi, bbox_inches="tight", pad_inches=0.05)
    plt.close(fig)
    if colors is None:
        return buffer.getvalue()
    # A palette of a few colours: a figure of lines, bars and grey images
    # loses nothing visible and the PNG shrinks several times.
    from PIL import Image

    image = Image.open(io.BytesIO(buffer.getvalue())).convert("RGB")
    small = io.BytesIO()
    image.quantize(colors, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE).save(
        small, format="png", optimize=True)
    return small.getvalue()


def _png_size(data: bytes) -> tuple[int, int]:
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


# Steps through the frames where the figure is shown without the book's own
# script (a notebook in Jupyter, Binder or Colab); on the site, the same job is
# done by _ext/static/questions.js, and whichever runs first marks the figure.
_STEPPER = (
    "(function(){var f=document.getElementById(@ID@);if(!f||f.dataset.ready)return;"
    "f.dataset.ready='1';var s=f.querySelector('input[type=range]'),i=f.querySelector('img.mml-frame'),"
    "o=f.querySelector('output'),d=JSON.parse(f.querySelector('script.mml-frames').textContent);"
    "function show(){var x=d[+s.value];if(!x)return;i.src=x.src;i.alt=x.alt;"
    "s.setAttribute('aria-valuetext',x.label);if(o)o.textContent=x.label;}"
    "s.addEventListener('input',show);s.addEventListener('change',show);})();"
)


class SliderFigure:
    """Pre-rendered frames and the HTML/PNG forms that show them."""

    def __init__(self, ident: str, frames: list[dict[str, str]], panel: bytes, label: str,
                 start: int, size: tuple[int, int] | None = None) -> None:
        self.ident = ident
        self.frames = frames
        self.panel = panel
        self.label = label
        self.start = start
        self.size = size

    def html(self) -> str:
        first = self.frames[self.start]
        data = json.dumps(self.frames, separators=(",", ":")).replace("</", "<\\/")
        i = html.escape(self.ident, quote=True)
        size = f' width="{self.size[0]}" height="{self.size[1]}"' if self.size else ""
        return (
            f'<div class="mml-slider" id="{i}">'
            f'<img class="mml-frame" src="{first["src"]}"{size} alt="{html.escape(first["alt"], quote=True)}">'
            f'<div class="mml-slider-control">'
            f'<label for="{i}-range">{html.escape(self.label)}</label>'
            f'<input type="range" id="{i}-range" min="0" max="{len(self.frames) - 1}" step="1" '
            f'value="{self.start}" aria-valuetext="{html.escape(first["label"], quote=True)}">'
            f'<output for="{i}-range">{html.escape(first["label"])}</output></div>'
            f'<script type="application/json" class="mml-frames">{data}</script>'
            f"<script>{_STEPPER.replace('@ID@', json.dumps(self.ident))}</script></div>"
        )

    def __repr__(self) -> str:
        return f"SliderFigure({self.ident!r}, {len(self.frames)} frames, label={self.label!r})"

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict[str, Any]:
        panel = base64.b64encode(self.panel).decode("ascii")
        if LIVE_WIDGETS:
            live = self.widget()
            if live is not None:
                # Keep it alive: the front end talks to it for as long as it is shown.
                self._widget = live
                return {**live._repr_mimebundle_(include=include, exclude=exclude), "image/png": panel}
        return {"text/plain": repr(self), "text/html": self.html(), "image/png": panel}

    def widget(self):
        """An ipywidgets slider over the frames (``None`` without ipywidgets).

        Moving the slider makes the kernel show that frame, with its alt text
        and its label.
        """
        try:
            import ipywidgets as widgets
        except ImportError:
            return None

        def frame_html(k: int) -> str:
            frame = self.frames[k]
            return f'<img src="{frame["src"]}" alt="{html.escape(frame["alt"], quote=True)}">'

        image = widgets.HTML(frame_html(self.start))
        slider = widgets.IntSlider(value=self.start, min=0, max=len(self.frames) - 1, step=1,
                                   description=self.label, readout=False,
                                   style={"description_width": "initial"})
        shown = widgets.Label(self.frames[self.start]["label"])

        def move(change) -> None:
            image.value = frame_html(change["new"])
            shown.value = self.frames[change["new"]]["label"]

        slider.observe(move, names="value")
        return widgets.VBox([image, widgets.HBox([slider, shown])])


def slider_figure(draw: Callable[[Any, Any], None], values: Sequence, *, ident: str,
                  label: str, describe: Callable[[Any], str], alt: Callable[[Any], str],
                  key_frames: Sequence[int] | None = None, start: int = 0,
                  figsize: tuple[float, float] = (7.2, 4.5), dpi: int = 96, resolution: int = 2,
                  colors: int | None = 128) -> SliderFigure:
    """Render ``draw(ax, value)`` for every value, for a slider figure.

    Parameters
    ----------
    draw : callable
        ``draw(ax, value)`` draws one frame on a fresh axes.
    values : sequence
        The parameter values, one frame each, in slider order.
    ident : str
        The HTML id of the figure (unique on its page).
    label : str
        The slider's visible label ("Step size", ...).
    describe : callable
        ``describe(value)``: the value as the slider announces it ("0.10").
    alt : callable
        ``alt(value)``: the alt text of that frame.
    key_frames : sequence of int, optional
        Indices of the frames in the static panel (default: first, middle, last).
        Each panel is titled with the slider's label and value, above the
        title ``draw`` gave it; a title that already names the value is kept as it is.
    start : int
        The frame shown first.
    figsize, dpi
        Size of each frame in inches, and the CSS pixels per inch it is shown
        at: the default (7.2, 4.5) at 96 is a full column, 691 pixels wide.
    resolution : int
        Frames are rendered at ``resolution`` times ``dpi`` (2: sharp on
        high-density screens) and shown at ``dpi``.
    colors : int or None
        Frames are reduced to a palette of this many colours (None: full
        colour), which keeps the page light.
    """
    if not callable(draw):
        raise TypeError(f"draw must be a function draw(ax, value), got {type(draw).__name__}")
    if not isinstance(ident, str) or not re.fullmatch(r"[A-Za-z][A-Za-z0-9_-]*", ident):
        raise ValueError(f"ident must be an HTML id (a letter, then letters, digits, - or _), got {ident!r}")
    values = list(values)
    if len(values) < 2:
        raise ValueError(f"values must hold at least two frames, got {len(values)}")
    if not 0 <= start < len(values):
        raise ValueError(f"start must be a frame index in 0..{len(values) - 1}, got {start}")
    if key_frames is None:
        key_frames = (0, len(values) // 2, len(values) - 1)
    key_frames = list(key_frames)
    if not key_frames or any(not 0 <= k < len(values) for k in key_frames):
        raise ValueError(f"key_frames must be frame indices in 0..{len(values) - 1}")
    if not isinstance(resolution, int) or resolution < 1:
        raise ValueError(f"resolution must be a positive integer, got {resolution!r}")
    frames, size = [], None
    for value in values:
        fig, ax = plt.subplots(figsize=figsize)
        draw(ax, value)
        png = _png(fig, dpi * resolution, colors)
        if size is None:
            width, height = _png_size(png)
            size = (round(width / resolution), round(height / resolution))
        encoded = base64.b64encode(png).decode("ascii")
        frames.append({"src": f"data:image/png;base64,{encoded}",
                       "alt": alt(value), "label": describe(value)})
    fig, axes = plt.subplots(1, len(key_frames), figsize=(figsize[0] * len(key_frames) * 0.8,
                                                         figsize[1] * 0.8), squeeze=False,
                             layout="constrained")
    for ax, k in zip(axes[0], key_frames):
        draw(ax, values[k])
        drawn, heading = ax.get_title(), f"{label}: {describe(values[k])}"
        if describe(values[k]) not in drawn:  # keep a frame's own title, and name its value
            ax.set_title(f"{heading}\n{drawn}" if drawn else heading, fontsize=9)
    panel = _png(fig, 110)
    return SliderFigure(ident, frames, panel, label, start, size)


# --- live figures: SVG drawn in the browser ---------------------------------------

LIVE_KINDS = ("shear", "change-of-basis", "eigenvector")
_LIVE_JS = Path(__file__).with_name("static") / "live-figure.js"
_PLAIN = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")


def _finite(value, name: str, shape: tuple[int, ...] | None = None) -> np.ndarray:
    try:
        array = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be an array of numbers, got {value!r}") from None
    if shape is not None and (array.ndim != len(shape)
                              or any(s not in (-1, n) for s, n in zip(shape, array.shape))):
        wanted = ", ".join("n" if s == -1 else str(s) for s in shape)
        raise ValueError(f"{name} must have shape ({wanted}{',' if len(shape) == 1 else ''}), got {array.shape}")
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} must be finite, got {value!r}")
    return array


class LiveFigure:
    """A live figure: its HTML (SVG, slider, script) and its static PNG panel."""

    def __init__(self, ident: str, spec: dict[str, Any], panel: bytes, label: str, alt: str,
                 draw: Callable[[Any, float], None] | None = None, values: Sequence[float] = (),
                 figsize: tuple[float, float] = (4.5, 3.6)) -> None:
        self.ident = ident
        self.spec = spec
        self.panel = panel
        self.label = label
        self.alt = alt
        self.draw, self.values, self.figsize = draw, list(values), figsize

    def html(self) -> str:
        i = html.escape(self.ident, quote=True)
        p = self.spec["param"]
        spec = html.escape(json.dumps(self.spec, separators=(",", ":")), quote=True)
        view = self.spec["view"]
        height = round(480 * (view[3] - view[2]) / (view[1] - view[0]))
        panel = base64.b64encode(self.panel).decode("ascii")
        script = _LIVE_JS.read_text(encoding="utf-8").replace("</", "<\\/")
        return (
            f'<div class="mml-live" id="{i}" data-live="{spec}">'
            f'<svg class="mml-live-svg" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 480 {height}" '
            f'width="480" height="{height}" role="img" aria-labelledby="{i}-alt">'
            f'<title id="{i}-alt">{html.escape(self.alt)}</title></svg>'
            # Shown where no script runs (an untrusted notebook); the script removes it.
            f'<img class="mml-live-fallback" src="data:image/png;base64,{panel}" '
            f'alt="{html.escape(self.alt, quote=True)}">'
            f'<div class="mml-slider-control">'
            f'<label for="{i}-range">{html.escape(self.label)}</label>'
            f'<input type="range" id="{i}-range" min="{p["min"]!r}" max="{p["max"]!r}" '
            f'step="{p["step"]!r}" value="{p["value"]!r}">'
            f'<output for="{i}-range"></output></div>'
            f"<script>{script}</script></div>"
        )

    def __repr__(self) -> str:
        return f"LiveFigure({self.ident!r}, kind={self.spec['kind']!r}, label={self.label!r})"

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict[str, Any]:
        panel = base64.b64encode(self.panel).decode("ascii")
        if LIVE_WIDGETS:
            live = self.widget()
            if live is not None:
                self._widget = live  # kept alive while the front end shows it
                return {**live._repr_mimebundle_(include=include, exclude=exclude), "image/png": panel}
        return {"text/plain": repr(self), "text/html": self.html(), "image/png": panel}

    def positions(self) -> int:
        """How many slider positions the figure has."""
        p = self.spec["param"]
        return int(round((p["max"] - p["min"]) / p["step"])) + 1

    def widget(self):
        """An ipywidgets slider that the kernel drives: each position drawn with matplotlib
        (``None`` without ipywidgets or without the drawing function)."""
        try:
            import ipywidgets as widgets
        except ImportError:
            return None
        if self.draw is None or not self.values:
            return None
        digits = self.spec["param"]["digits"]

        def frame_html(k: int) -> str:
            fig, ax = plt.subplots(figsize=self.figsize, layout="constrained")
            self.draw(ax, float(self.values[k]))
            src = base64.b64encode(_png(fig, 80)).decode("ascii")
            return f'<img src="data:image/png;base64,{src}" alt="{html.escape(self.alt, quote=True)}">'

        start = int(np.argmin(np.abs(np.asarray(self.values) - self.spec["param"]["value"])))
        image = widgets.HTML(frame_html(start))
        slider = widgets.IntSlider(value=start, min=0, max=len(self.values) - 1, step=1,
                                   description=self.label, readout=False,
                                   style={"description_width": "initial"})
        shown = widgets.Label(f"{self.label}: {self.values[start]:.{digits}f}")

        def move(change) -> None:
            image.value = frame_html(change["new"])
            shown.value = f"{self.label}: {self.values[change['new']]:.{digits}f}"

        slider.observe(move, names="value")
        return widgets.VBox([image, widgets.HBox([slider, shown])])


def live_figure(kind: str, draw: Callable[[Any, float], None], values: Sequence[float], *,
                ident: str, label: str, alt: str, start: int = 0,
                key_frames: Sequence[int] | None = None, view: Sequence[float] | None = None,
                shape: Any = None, basis: Any = None, vector: Any = None, matrix: Any = None,
                digits: int = 2, figsize: tuple[float, float] = (4.5, 3.6)) -> LiveFigure:
    r"""A figure of a linear map of the plane that the reader's browser redraws.

    The page shows an SVG drawn by a small script
    (``mmlbook/static/live-figure.js``): a slider sets the parameter and a
    handle can be dragged. Three kinds, each with the chapter's definition:

    ``"shear"``
        The shear :math:`H_x(k) = \begin{pmatrix} 1 & k \\ 0 & 1 \end{pmatrix}`
        (:func:`mmlbook.linalg.shear`) acting on the grid and on ``shape``;
        the slider sets :math:`k`, the handle is the image of
        :math:`\hat{\mathbf e}_2`, :math:`(k, 1)`.
    ``"change-of-basis"``
        The basis :math:`B_t = (1 - t) I + t B` (``basis`` is :math:`B`) and
        the coordinates :math:`\mathbf c = B_t^{-1}\mathbf x` of ``vector``
        (:func:`mmlbook.linalg.change_basis`); the slider sets :math:`t`, the
        handle is :math:`\mathbf x`.
    ``"eigenvector"``
        The unit vector :math:`\mathbf x = (\cos\theta, \sin\theta)` and its
        image :math:`A\mathbf x` (``matrix`` is :math:`A`), with the real
        eigenvector directions dotted; the slider sets :math:`\theta` in
        degrees, the handle is :math:`\mathbf x`.

    The PNG panel of key frames, drawn by ``draw(ax, value)`` with
    matplotlib, stands in for the figure in the PDF and in notebooks.

    Parameters
    ----------
    kind : {"shear", "change-of-basis", "eigenvector"}
    draw : callable
        ``draw(ax, value)`` draws one key frame of the PNG panel.
    values : sequence of float
        Evenly spaced slider values: the first is the minimum, the last the
        maximum, the spacing the step.
    ident, label, alt : str
        The HTML id, the slider's label, the alt text of the start position.
    start : int
        Index in ``values`` of the starting value.
    key_frames : sequence of int, optional
        Indices of the panel's frames (default: first, middle, last).
    view : (xmin, xmax, ymin, ymax), optional
        The part of the plane shown (default: everything the figure draws).
    shape : array_like, shape (n, 2)
        ``"shear"``: the polygon to shear.
    basis : array_like, shape (2, 2)
        ``"change-of-basis"``: the final basis, as columns.
    vector : array_like, shape (2,)
        ``"change-of-basis"``: the vector whose coordinates are shown.
    matrix : array_like, shape (2, 2)
        ``"eigenvector"``: the matrix.
    digits : int
        Decimals of the parameter in the readout.
    figsize : (float, float)
        Size of each panel frame, in inches.
    """
    if kind not in LIVE_KINDS:
        raise ValueError(f"kind must be one of {', '.join(LIVE_KINDS)}, got {kind!r}")
    if not callable(draw):
        raise TypeError(f"draw must be a function draw(ax, value), got {type(draw).__name__}")
    if not isinstance(ident, str) or not _PLAIN.fullmatch(ident):
        raise ValueError(f"ident must be an HTML id (a letter, then letters, digits, - or _), got {ident!r}")
    values = _finite(values, "values", (-1,))
    if len(values) < 2:
        raise ValueError(f"values must hold at least two values, got {len(values)}")
    steps = np.diff(values)
    if not np.all(steps > 0) or not np.allclose(steps, steps[0], rtol=1e-6, atol=1e-12):
        raise ValueError("values must be increasing and evenly spaced")
    if not 0 <= start < len(values):
        raise ValueError(f"start must be an index in 0..{len(values) - 1}, got {start}")
    if key_frames is None:
        key_frames = (0, len(values) // 2, len(values) - 1)
    key_frames = list(key_frames)
    if not key_frames or any(not 0 <= k < len(values) for k in key_frames):
        raise ValueError(f"key_frames must be indices in 0..{len(values) - 1}")
    lo, hi, step = float(values[0]), float(values[-1]), float(round(steps[0], 12))
    spec: dict[str, Any] = {"kind": kind, "param": {"min": lo, "max": hi, "step": step,
                                                    "value": float(values[start]), "digits": int(digits)}}
    if kind == "shear":
        if shape is None:
            raise ValueError("shape is required for a shear figure")
        shape = _finite(shape, "shape", (-1, 2))
        points = np.vstack([shape @ np.array([[1.0, 0.0], [k, 1.0]]) for k in (lo, hi)] + [shape])
        spec["shape"] = shape.tolist()
    elif kind == "change-of-basis":
        if basis is None or vector is None:
            raise ValueError("basis and vector are required for a change-of-basis figure")
        basis, vector = _finite(basis, "basis", (2, 2)), _finite(vector, "vector", (2,))
        if abs(np.linalg.det(basis)) < 1e-12 * max(1.0, np.abs(basis).max() ** 2):
            raise ValueError("basis must be invertible")
        spec["basis"], spec["vector"] = basis.tolist(), vector.tolist()
        points = np.vstack([np.zeros(2), vector, basis.T, np.eye(2)])
    else:
        if matrix is None:
            raise ValueError("matrix is required for an eigenvector figure")
        matrix = _finite(matrix, "matrix", (2, 2))
        eigenvalues, eigenvectors = np.linalg.eig(matrix)
        real = np.abs(eigenvalues.imag) < 1e-12
        spec["matrix"] = matrix.tolist()
        spec["eigenvectors"] = [(v / np.linalg.norm(v)).tolist() for v in eigenvectors.real.T[real]]
        circle = np.column_stack([np.cos(np.linspace(0, 2 * np.pi, 73)), np.sin(np.linspace(0, 2 * np.pi, 73))])
        reach = np.abs(np.vstack([circle, circle @ matrix.T])).max()
        points = np.array([[-reach, -reach], [reach, reach]])
    if view is None:
        (x0, y0), (x1, y1) = points.min(axis=0), points.max(axis=0)
        pad = 0.08 * max(x1 - x0, y1 - y0, 1.0)
        view = (x0 - pad, x1 + pad, y0 - pad, y1 + pad)
    view = _finite(view, "view", (4,))
    if not (view[0] < view[1] and view[2] < view[3]):
        raise ValueError(f"view must be (xmin, xmax, ymin, ymax) with xmin < xmax and ymin < ymax, got {view}")
    spec["view"] = [round(float(v), 6) for v in view]
    fig, axes = plt.subplots(1, len(key_frames), figsize=(figsize[0] * len(key_frames) * 0.8,
                                                         figsize[1] * 0.8), squeeze=False,
                             layout="constrained")
    for ax, k in zip(axes[0], key_frames):
        draw(ax, float(values[k]))
        ax.set_title(f"{label}: {values[k]:.{digits}f}", fontsize=9)
    return LiveFigure(ident, spec, _png(fig, 110), label, alt, draw=draw, values=values, figsize=figsize)
