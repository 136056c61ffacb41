"""Tests of mmlbook.calculus.heights: Galton's family heights."""

import numpy as np
import pytest

from mmlbook.calculus import load_heights


def test_shape_and_columns():
    d = load_heights(units="in")
    assert len(d) == 934
    for col in (d.family, d.father, d.mother, d.gender, d.height):
        assert col.shape == (934,)
    assert set(d.gender) == {"male", "female"}
    assert np.unique(d.family).size == 205


def test_known_values_from_galton_notebook():
    d = load_heights(units="in")
    # the first family of the notebook: father 78.5, mother 67.0, first son 73.2
    assert (d.family[0], d.father[0], d.mother[0], d.gender[0], d.height[0]) == ("001", 78.5, 67.0, "male", 73.2)
    assert (d.gender == "male").sum() == 481 and (d.gender == "female").sum() == 453


def test_plausible_adult_heights():
    d = load_heights(units="in")
    for col in (d.father, d.mother, d.height):
        assert np.all((55 <= col) & (col <= 80))
    assert d.height[d.gender == "male"].mean() > d.height[d.gender == "female"].mean() + 4


def test_centimetres():
    inches, cm = load_heights(units="in"), load_heights()
    assert cm.units == "cm" and inches.units == "in"
    np.testing.assert_allclose(cm.height, 2.54 * inches.height)
    np.testing.assert_allclose(cm.father, 2.54 * inches.father)


def test_bad_units():
    with pytest.raises(ValueError, match="units"):
        load_heights(units="feet")
