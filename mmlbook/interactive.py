"""Figures a reader moves with a slider, computed when the book is built.

:func:`slider_figure` draws one matplotlib frame per parameter value, as
compact PNGs, and returns an object that Jupyter and myst-nb display as

* ``text/html``: the frames, one ``<img>``, and a labelled
  ``<input type="range">`` that the site's own script
  (``_ext/static/questions.js``) steps through: no kernel, no network;
* ``image/png``: a static panel of key frames side by side, which the PDF
  (and any output that cannot run a script) shows instead.
"""

from __future__ import annotations

import base64
import html
import io
import json
import re
from collections.abc import Callable, Sequence
from typing import Any

import matplotlib.pyplot as plt

__all__ = ["SliderFigure", "slider_figure"]


def _png(fig, dpi: int) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi, bbox_inches="tight", pad_inches=0.05)
    plt.close(fig)
    return buffer.getvalue()


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
                 start: int) -> None:
        self.ident = ident
        self.frames = frames
        self.panel = panel
        self.label = label
        self.start = start

    def html(self) -> str:
        first = self.frames[self.start]
        data = json.dumps(self.frames, separators=(",", ":")).replace("</", "<\\/")
        i = html.escape(self.ident, quote=True)
        return (
            f'<div class="mml-slider" id="{i}">'
            f'<img class="mml-frame" src="{first["src"]}" alt="{html.escape(first["alt"], quote=True)}">'
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
        return {"text/plain": repr(self), "text/html": self.html(),
                "image/png": base64.b64encode(self.panel).decode("ascii")}


def slider_figure(draw: Callable[[Any, Any], None], values: Sequence, *, ident: str,
                  label: str, describe: Callable[[Any], str], alt: Callable[[Any], str],
                  key_frames: Sequence[int] | None = None, start: int = 0,
                  figsize: tuple[float, float] = (4.5, 3.6), dpi: int = 80) -> SliderFigure:
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
        Size of each frame; a modest dpi keeps the page light.
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
    frames = []
    for value in values:
        fig, ax = plt.subplots(figsize=figsize)
        draw(ax, value)
        encoded = base64.b64encode(_png(fig, dpi)).decode("ascii")
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
    return SliderFigure(ident, frames, panel, label, start)
