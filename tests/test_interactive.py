"""Tests for mmlbook.interactive: slider figures rendered at build time."""

from __future__ import annotations

import base64
import json
import re

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")

from mmlbook.interactive import slider_figure  # noqa: E402

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def _draw(ax, value):
    ax.plot([0, 1], [0, value])
    ax.set_ylim(-1, 3)


def _figure(**options):
    values = options.pop("values", [0.0, 1.0, 2.0])
    return slider_figure(_draw, values, ident="slider-test", label="Height",
                         describe=lambda v: f"h = {v:.1f}", alt=lambda v: f"A line rising to {v:.1f}.",
                         figsize=(2, 1.5), dpi=40, **options)


def test_one_distinct_png_frame_per_value():
    figure = _figure()
    assert len(figure.frames) == 3
    images = [base64.b64decode(frame["src"].split(",", 1)[1]) for frame in figure.frames]
    assert all(image.startswith(PNG_MAGIC) for image in images)
    assert len(set(images)) == 3, "different values must give different frames"
    assert [frame["label"] for frame in figure.frames] == ["h = 0.0", "h = 1.0", "h = 2.0"]
    assert figure.frames[2]["alt"] == "A line rising to 2.0."


def test_html_has_labelled_keyboard_slider_and_frames():
    html = _figure(start=1).html()
    assert '<label for="slider-test-range">Height</label>' in html
    assert re.search(r'<input type="range" id="slider-test-range" min="0" max="2" step="1" value="1"', html)
    assert 'aria-valuetext="h = 1.0"' in html
    data = re.search(r'<script type="application/json" class="mml-frames">(.*?)</script>', html).group(1)
    frames = json.loads(data)
    assert len(frames) == 3
    # The image shown first is the start frame, with its alt text.
    assert f'src="{frames[1]["src"]}" alt="A line rising to 1.0."' in html


def test_mimebundle_has_html_and_a_static_png_panel():
    bundle = _figure()._repr_mimebundle_()
    assert set(bundle) == {"text/plain", "text/html", "image/png"}
    assert bundle["text/plain"] == "SliderFigure('slider-test', 3 frames, label='Height')"
    assert base64.b64decode(bundle["image/png"]).startswith(PNG_MAGIC)


def test_alt_text_is_escaped():
    figure = slider_figure(_draw, [0, 1], ident="s", label="a<b", describe=str,
                           alt=lambda v: 'say "hi" <now>', figsize=(2, 1.5), dpi=30)
    html = figure.html()
    assert 'alt="say &quot;hi&quot; &lt;now&gt;"' in html
    assert "<label for=\"s-range\">a&lt;b</label>" in html


def test_frames_are_small():
    figure = _figure(values=np.linspace(0, 2, 10))
    assert len(figure.html().encode()) < 150_000


@pytest.mark.parametrize("options, message", [
    ({"values": [1.0]}, "values must hold at least two frames"),
    ({"start": 3}, "start must be a frame index"),
    ({"key_frames": (0, 5)}, "key_frames must be frame indices"),
    ({"key_frames": ()}, "key_frames must be frame indices"),
])
def test_bad_input_is_rejected(options, message):
    with pytest.raises(ValueError, match=message):
        _figure(**options)


def test_bad_ident_and_draw_are_rejected():
    with pytest.raises(ValueError, match="ident must be an HTML id"):
        slider_figure(_draw, [0, 1], ident="two words", label="x", describe=str, alt=str)
    with pytest.raises(TypeError, match="draw must be a function"):
        slider_figure(None, [0, 1], ident="ok", label="x", describe=str, alt=str)


@pytest.mark.parametrize(("title", "expected"), [
    ("", "Height: h = 1.0"),                                   # no title of its own: the slider's value
    ("slope 1.0", "Height: h = 1.0\nslope 1.0"),               # its own title is kept, under the value
    ("h = 1.0: a line", "h = 1.0: a line"),                    # a title that names the value is enough
])
def test_static_panel_keeps_each_frame_title(monkeypatch, title, expected):
    """The key frames of the static panel say which value they show without hiding what draw wrote."""
    from mmlbook import interactive

    panels = []
    real_png = interactive._png

    def keep_titles(fig, dpi):
        panels.append([ax.get_title() for ax in fig.axes])
        return real_png(fig, dpi)

    def draw(ax, value):
        _draw(ax, value)
        ax.set_title(title.replace("1.0", f"{value:.1f}"))

    monkeypatch.setattr(interactive, "_png", keep_titles)
    slider_figure(draw, [0.0, 1.0, 2.0], ident="s", label="Height", describe=lambda v: f"h = {v:.1f}",
                  alt=str, key_frames=(1,), figsize=(2, 1.5), dpi=40)
    assert panels[-1] == [expected]
