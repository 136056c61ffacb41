"""Tests for mmlbook.linalg.transformations."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from mmlbook.linalg.transformations import (draw_basis, draw_grid, house, reflection_2d,  # noqa: E402
                                            rotation, shear, stretch, transform_points)

angles = st.floats(min_value=-10, max_value=10, allow_nan=False)
factors = st.floats(min_value=-5, max_value=5, allow_nan=False)


def test_rotation_quarter_turn():
    np.testing.assert_allclose(rotation(np.pi / 2) @ [1.0, 0.0], [0.0, 1.0], atol=1e-15)


@given(angles)
def test_rotation_orthogonal_det_one(theta):
    R = rotation(theta)
    np.testing.assert_allclose(R.T @ R, np.eye(2), atol=1e-12)
    assert np.linalg.det(R) == pytest.approx(1.0)


@given(angles, angles)
def test_rotations_compose_by_adding_angles(a, b):
    np.testing.assert_allclose(rotation(a) @ rotation(b), rotation(a + b), atol=1e-12)


@given(angles)
def test_reflection_det_minus_one_and_involution(alpha):
    F = reflection_2d(alpha)
    np.testing.assert_allclose(F @ F, np.eye(2), atol=1e-12)
    np.testing.assert_allclose(F.T @ F, np.eye(2), atol=1e-12)
    assert np.linalg.det(F) == pytest.approx(-1.0)
    # The mirror line is fixed, its normal is negated.
    d = np.array([np.cos(alpha), np.sin(alpha)])
    n = np.array([-np.sin(alpha), np.cos(alpha)])
    np.testing.assert_allclose(F @ d, d, atol=1e-12)
    np.testing.assert_allclose(F @ n, -n, atol=1e-12)


def test_reflection_in_diagonal_swaps_coordinates():
    np.testing.assert_allclose(reflection_2d(np.pi / 4), [[0.0, 1.0], [1.0, 0.0]], atol=1e-15)


@given(factors, factors)
def test_stretch(sx, sy):
    S = stretch(sx, sy)
    np.testing.assert_allclose(S @ [1.0, 1.0], [sx, sy])
    assert np.linalg.det(S) == pytest.approx(sx * sy)


@given(factors)
def test_shear_preserves_area(k):
    for axis in ("x", "y"):
        assert np.linalg.det(shear(k, axis)) == pytest.approx(1.0)
    np.testing.assert_allclose(shear(k, "x") @ [0.0, 1.0], [k, 1.0])
    np.testing.assert_allclose(shear(k, "y") @ [1.0, 0.0], [1.0, k])


def test_order_matters():
    A, B = rotation(np.pi / 2), shear(1.0)
    assert not np.allclose(A @ B, B @ A)


def test_transform_points_matches_matrix_product():
    rng = np.random.default_rng(0)
    T = rng.normal(size=(2, 2))
    X = rng.normal(size=(10, 2))
    np.testing.assert_allclose(transform_points(T, X), (T @ X.T).T)
    assert transform_points(T, np.zeros((0, 2))).shape == (0, 2)


def test_transform_points_3d():
    T = np.diag([1.0, 2.0, 3.0])
    np.testing.assert_allclose(transform_points(T, [[1.0, 1.0, 1.0]]), [[1.0, 2.0, 3.0]])


def test_house_is_closed_polygon():
    H = house()
    assert H.shape == (6, 2)
    np.testing.assert_array_equal(H[0], H[-1])


def test_draw_helpers_run():
    fig, ax = plt.subplots()
    try:
        assert draw_grid(ax, shear(0.5), lim=2) is ax
        assert draw_basis(ax, rotation(0.3), labels=("i", "j")) is ax
        assert len(ax.lines) == 2 * 5
        draw_grid(ax)
        draw_basis(ax)
    finally:
        plt.close(fig)


@pytest.mark.parametrize("f, name", [(rotation, "theta"), (reflection_2d, "axis_angle"),
                                     (lambda x: stretch(x, 1.0), "sx"), (lambda x: stretch(1.0, x), "sy"),
                                     (shear, "k")])
def test_bad_numbers(f, name):
    with pytest.raises(ValueError, match=f"{name} must be finite"):
        f(np.nan)
    with pytest.raises(ValueError, match=f"{name} must be a real number"):
        f("1")


def test_shear_bad_axis():
    with pytest.raises(ValueError, match='axis must be "x" or "y"'):
        shear(1.0, axis="z")


def test_transform_points_bad_input():
    with pytest.raises(ValueError, match="points must have 2 columns"):
        transform_points(np.eye(2), np.ones((4, 3)))
    with pytest.raises(ValueError, match="T must be square"):
        transform_points(np.ones((2, 3)), np.ones((4, 3)))
    with pytest.raises(ValueError, match="points must be finite"):
        transform_points(np.eye(2), [[np.nan, 0.0]])
    with pytest.raises(ValueError, match="points must have 2 dimension"):
        transform_points(np.eye(2), [1.0, 2.0])
    with pytest.raises(ValueError, match="T must not be empty"):
        transform_points(np.zeros((0, 0)), np.ones((1, 2)))


@pytest.mark.parametrize("kwargs, match", [
    (dict(colors=None), "colors must be a pair of colours"),
    (dict(colors=3), "colors must be a pair of colours"),
    (dict(labels=5), "labels must be a pair of strings"),
])
def test_draw_basis_names_a_bad_pair(kwargs, match):
    fig, ax = plt.subplots()
    try:
        with pytest.raises(ValueError, match=match):
            draw_basis(ax, **kwargs)
    finally:
        plt.close(fig)
