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
    # The image shown first is the start frame, with its size and alt text.
    assert re.search(re.escape(f'src="{frames[1]["src"]}"') + r' width="\d+" height="\d+" '
                     + re.escape('alt="A line rising to 1.0."'), html)


def test_frames_are_rendered_at_twice_the_size_they_are_shown():
    figure = _figure()
    png = base64.b64decode(figure.frames[0]["src"].split(",", 1)[1])
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    shown = re.search(r'<img class="mml-frame" [^>]*width="(\d+)" height="(\d+)"', figure.html())
    assert (int(shown.group(1)), int(shown.group(2))) == (round(width / 2), round(height / 2))


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

    def keep_titles(fig, dpi, *args, **kwargs):
        panels.append([ax.get_title() for ax in fig.axes])
        return real_png(fig, dpi, *args, **kwargs)

    def draw(ax, value):
        _draw(ax, value)
        ax.set_title(title.replace("1.0", f"{value:.1f}"))

    monkeypatch.setattr(interactive, "_png", keep_titles)
    slider_figure(draw, [0.0, 1.0, 2.0], ident="s", label="Height", describe=lambda v: f"h = {v:.1f}",
                  alt=str, key_frames=(1,), figsize=(2, 1.5), dpi=40)
    assert panels[-1] == [expected]


def test_live_widget_is_driven_by_the_kernel(monkeypatch):
    """With LIVE_WIDGETS (the learner notebook's set-up cell sets it), a slider
    figure displays as an ipywidgets slider, with the static panel as fallback;
    moving it shows that frame, its alt text and its label."""
    import mmlbook.interactive as interactive

    monkeypatch.setattr(interactive, "LIVE_WIDGETS", True)
    figure = _figure(start=1)
    bundle = figure._repr_mimebundle_()
    assert set(bundle) == {"text/plain", "image/png", "application/vnd.jupyter.widget-view+json"}
    assert base64.b64decode(bundle["image/png"]).startswith(PNG_MAGIC)
    live = figure._widget
    image, (slider, label) = live.children[0], live.children[1].children
    assert slider.value == 1 and slider.max == 2 and slider.description == "Height"
    assert figure.frames[1]["src"] in image.value and 'alt="A line rising to 1.0."' in image.value
    slider.value = 2
    assert figure.frames[2]["src"] in image.value and label.value == "h = 2.0"


def test_without_the_flag_the_page_keeps_its_script_slider():
    import mmlbook.interactive as interactive

    assert interactive.LIVE_WIDGETS is False
    assert "text/html" in _figure()._repr_mimebundle_()


# --- live figures ------------------------------------------------------------------

from mmlbook.interactive import live_figure  # noqa: E402
from mmlbook.linalg import house  # noqa: E402


def _live(kind="shear", **options):
    data = {"shear": {"shape": house()},
            "change-of-basis": {"basis": [[3.0, 1.0], [1.0, 1.0]], "vector": [5.0, 3.0]},
            "eigenvector": {"matrix": [[2.0, 1.0], [1.0, 2.0]]}}[kind]
    data.update(options)
    values = data.pop("values", np.round(np.arange(-1.5, 1.51, 0.25), 2))
    return live_figure(kind, _draw, values, ident="live-test", label="k", alt="A figure.",
                       figsize=(2, 1.5), **data)


@pytest.mark.parametrize("kind", ["shear", "change-of-basis", "eigenvector"])
def test_live_figure_html_carries_its_spec_svg_and_script(kind):
    figure = _live(kind, start=2)
    html = figure.html()
    spec = json.loads(re.search(r'data-live="([^"]*)"', html).group(1).replace("&quot;", '"'))
    assert spec["kind"] == kind and spec["param"]["value"] == -1.0 and spec["param"]["step"] == 0.25
    assert '<svg class="mml-live-svg"' in html and 'role="img"' in html
    assert '<label for="live-test-range">k</label>' in html
    assert re.search(r'<input type="range" id="live-test-range" min="-1.5" max="1.5" step="0.25" value="-1.0"', html)
    assert "window.mmlLive" in html and "</script></div>" in html
    x0, x1, y0, y1 = spec["view"]
    assert x0 < x1 and y0 < y1
    bundle = figure._repr_mimebundle_()
    assert set(bundle) == {"text/plain", "text/html", "image/png"}
    assert base64.b64decode(bundle["image/png"]).startswith(PNG_MAGIC)


def test_live_shear_view_holds_the_sheared_shape():
    spec = _live("shear").spec
    x0, x1, y0, y1 = spec["view"]
    for k in (-1.5, 1.5):
        sheared = house() @ np.array([[1.0, 0.0], [k, 1.0]])
        assert x0 < sheared[:, 0].min() and sheared[:, 0].max() < x1


def test_live_eigenvector_directions_are_the_real_eigenvectors():
    spec = _live("eigenvector", values=np.arange(0, 360, 1.0)).spec
    A = np.array(spec["matrix"])
    for v in spec["eigenvectors"]:
        Av = A @ v
        assert abs(v[0] * Av[1] - v[1] * Av[0]) < 1e-12
    rotation = _live("eigenvector", matrix=[[0.0, -1.0], [1.0, 0.0]], values=np.arange(0, 360, 1.0)).spec
    assert rotation["eigenvectors"] == []


@pytest.mark.parametrize("options, error, message", [
    ({"kind": "spin"}, ValueError, "kind must be one of"),
    ({"shape": None}, ValueError, "shape is required"),
    ({"shape": [[0.0, np.nan]]}, ValueError, "shape must be finite"),
    ({"shape": [1.0, 2.0]}, ValueError, r"shape must have shape \(n, 2\)"),
    ({"values": [0.0, 1.0, 3.0]}, ValueError, "evenly spaced"),
    ({"values": [1.0]}, ValueError, "at least two values"),
    ({"start": 99}, ValueError, "start must be an index"),
    ({"view": (1, 0, 0, 1)}, ValueError, "view must be"),
])
def test_live_figure_rejects_bad_input(options, error, message):
    kind = options.pop("kind", "shear")
    if kind == "spin":
        with pytest.raises(error, match=message):
            live_figure(kind, _draw, [0, 1], ident="a", label="k", alt="a")
        return
    with pytest.raises(error, match=message):
        _live(kind, **options)


def test_live_change_of_basis_rejects_a_singular_basis():
    with pytest.raises(ValueError, match="basis must be invertible"):
        _live("change-of-basis", basis=[[1.0, 2.0], [2.0, 4.0]], values=np.linspace(0, 1, 5))


def test_live_figure_is_a_kernel_driven_widget_when_run(monkeypatch):
    """With LIVE_WIDGETS (the learner notebook's set-up cell), a live figure is an
    ipywidgets slider whose frames the kernel draws; the static panel stays the fallback."""
    import mmlbook.interactive as interactive

    monkeypatch.setattr(interactive, "LIVE_WIDGETS", True)
    figure = _live("shear")
    bundle = figure._repr_mimebundle_()
    assert set(bundle) == {"text/plain", "image/png", "application/vnd.jupyter.widget-view+json"}
    image, (slider, label) = figure._widget.children[0], figure._widget.children[1].children
    assert slider.max == figure.positions() - 1 == len(figure.values) - 1
    before = image.value
    slider.value = 0 if slider.value else slider.max
    assert image.value != before and image.value.startswith('<img src="data:image/png;base64,')
    assert label.value.startswith(figure.label)
