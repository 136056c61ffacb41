"""The three live figures of linear maps, used in headless Chromium, offline.

Each figure (``mmlbook.interactive.live_figure``) is an SVG that the page's
script redraws. Moved by its slider (keyboard and set values) and by dragging
its handle with the mouse, it must redraw, and the numbers it shows must be
mmlbook's at every position tried: the sheared house is
``transform_points(shear(k), house())``, the coordinates are
``change_basis(x, (1 - t) I + t B)``, the image of the unit vector is ``A @ x``.
"""

from __future__ import annotations

import json

import numpy as np
import pytest

from mmlbook.linalg import change_basis, house, shear, transform_points

PAGES = {
    "shear": "book/linalg/matrices-as-transformations.html",
    "change-of-basis": "book/linalg/change-of-basis.html",
    "eigenvector": "book/linalg/eigenvalues.html",
}
POSITIONS = {
    "shear": [-1.5, -0.75, 0.0, 0.35, 1.2, 1.5],
    "change-of-basis": [0.0, 0.25, 0.5, 0.8, 1.0],
    "eigenvector": [0.0, 30.0, 45.0, 90.0, 135.0, 200.0, 315.0],
}
# Where the handle is dragged to, in the figure's own coordinates.
DRAGS = {
    "shear": [(-1.0, 1.0), (0.8, 1.0)],
    "change-of-basis": [(2.0, 3.0), (4.0, 1.0)],
    "eigenvector": [(0.0, 1.0), (-1.0, -1.0)],
}


def _state(figure) -> dict:
    return json.loads(figure.get_attribute("data-state"))


def _drawing(figure) -> str:
    return figure.locator("svg.mml-live-svg").inner_html()


def agrees_with_mmlbook(kind: str, spec: dict, state: dict) -> None:
    """The figure's numbers are mmlbook's at the same position."""
    if kind == "shear":
        k = state["k"]
        assert np.allclose(state["matrix"], shear(k))
        assert np.allclose(state["image"], transform_points(shear(k), np.array(spec["shape"])))
        assert np.allclose(spec["shape"], house())
        assert np.allclose(state["e2"], shear(k) @ [0.0, 1.0])
    elif kind == "change-of-basis":
        t, B = state["t"], np.array(spec["basis"])
        Bt = (1 - t) * np.eye(2) + t * B
        assert np.allclose(state["basis"], Bt)
        assert np.allclose(state["c"], change_basis(np.array(state["x"]), Bt))
    else:
        A, theta = np.array(spec["matrix"]), np.radians(state["theta"])
        x = np.array([np.cos(theta), np.sin(theta)])
        assert np.allclose(state["x"], x) and np.allclose(state["Ax"], A @ x)
        assert np.isclose(state["length"], np.linalg.norm(A @ x))
        cross = x[0] * (A @ x)[1] - x[1] * (A @ x)[0]
        assert np.isclose(state["turn"], np.degrees(np.arctan2(cross, x @ A @ x)))
        eigen = any(abs(v[0] * x[1] - v[1] * x[0]) < 1e-9 for v in spec["eigenvectors"])
        assert state["eigenvector"] == eigen, (state["theta"], state)


def _open(new_page, book_url, kind):
    context, page, log = new_page()
    page.goto(book_url + PAGES[kind], wait_until="load")
    figure = page.locator(".mml-live")
    assert figure.count() == 1, f"{PAGES[kind]} has {figure.count()} live figures"
    figure.scroll_into_view_if_needed()
    page.wait_for_function("() => document.querySelector('.mml-live').hasAttribute('data-state')")
    return context, page, log, figure


@pytest.mark.parametrize("kind", PAGES)
def test_slider_redraws_and_agrees_with_mmlbook(kind, new_page, book_url, browser_tools):
    context, page, log, figure = _open(new_page, book_url, kind)
    try:
        spec = json.loads(figure.get_attribute("data-live"))
        assert spec["kind"] == kind
        assert figure.locator(".mml-live-fallback").count() == 0, "the PNG fallback is on the page"
        slider = figure.locator('input[type="range"]')
        agrees_with_mmlbook(kind, spec, _state(figure))
        before, drawn = _state(figure), _drawing(figure)
        slider.focus()
        page.keyboard.press("ArrowRight")
        assert _state(figure) != before, "the arrow key did not change the figure"
        assert _drawing(figure) != drawn, "the arrow key did not redraw the figure"
        agrees_with_mmlbook(kind, spec, _state(figure))
        for value in POSITIONS[kind]:
            slider.fill(str(value))
            state = _state(figure)
            assert np.isclose(list(state.values())[0], value), (value, state)
            agrees_with_mmlbook(kind, spec, state)
            text = figure.locator("output").inner_text()
            assert text and slider.get_attribute("aria-valuetext") == text
        if kind == "eigenvector":
            slider.fill("45")
            assert _state(figure)["eigenvector"] and "eigenvector" in figure.locator("output").inner_text()
        assert (figure.locator("svg title").text_content() or "").strip()
        assert not log.console_errors and not log.page_errors, log.console_errors + log.page_errors
    finally:
        context.close()


def _to_screen(figure, spec, point):
    box = figure.locator("svg.mml-live-svg").bounding_box()
    x0, x1, y0, y1 = spec["view"]
    return (box["x"] + (point[0] - x0) / (x1 - x0) * box["width"],
            box["y"] + (y1 - point[1]) / (y1 - y0) * box["height"])


@pytest.mark.parametrize("kind", PAGES)
def test_drag_redraws_and_agrees_with_mmlbook(kind, new_page, book_url):
    context, page, log, figure = _open(new_page, book_url, kind)
    try:
        spec = json.loads(figure.get_attribute("data-live"))
        for target in DRAGS[kind]:
            handle = figure.locator(".mml-live-handle circle").last.bounding_box()
            drawn = _drawing(figure)
            page.mouse.move(handle["x"] + handle["width"] / 2, handle["y"] + handle["height"] / 2)
            page.mouse.down()
            for step in (0.5, 1.0):
                here = _to_screen(figure, spec, target)
                page.mouse.move(*here, steps=3) if step == 1.0 else page.mouse.move(
                    (handle["x"] + here[0]) / 2, (handle["y"] + here[1]) / 2)
            page.mouse.up()
            state = _state(figure)
            assert _drawing(figure) != drawn, f"dragging to {target} did not redraw"
            if kind == "shear":
                assert abs(state["k"] - target[0]) <= 0.06, (target, state["k"])
                assert np.isclose(float(figure.locator('input[type="range"]').input_value()), state["k"])
            elif kind == "change-of-basis":
                assert np.allclose(state["x"], target, atol=0.11), (target, state["x"])
            else:
                angle = np.degrees(np.arctan2(target[1], target[0])) % 360
                assert abs(state["theta"] - angle) <= 1.0, (target, state["theta"])
            agrees_with_mmlbook(kind, spec, state)
        assert not log.console_errors and not log.page_errors, log.console_errors + log.page_errors
    finally:
        context.close()


@pytest.mark.parametrize("kind", PAGES)
def test_live_figure_is_accessible_and_sharp(kind, new_page, book_url, browser_tools):
    from tests.browser.test_questions import _axe

    context, page, log, figure = _open(new_page, book_url, kind)
    try:
        slider = figure.locator('input[type="range"]')
        label = page.locator(f'label[for="{slider.get_attribute("id")}"]')
        assert label.inner_text().strip(), "the slider has no label"
        assert slider.bounding_box()["height"] >= 44, "the slider is not a 44 px touch target"
        svg = figure.locator("svg.mml-live-svg")
        assert svg.get_attribute("role") == "img"
        assert svg.bounding_box()["width"] >= 300, "the figure is narrower than 300 px"
        violations = _axe(page, browser_tools.axe_js.read_text(encoding="utf-8"), ".mml-live")
        assert not violations, violations
    finally:
        context.close()
