r"""Galton's family heights: a real data set for the regression chapters.

The file ``mmlbook/data/heights.csv`` holds the heights of 934 adult children
in 205 families and of their parents, from Francis Galton's notebook
(Galton 1886; transcription by Hanley 2004). ``mmlbook/data/HEIGHTS.md``
gives its provenance and licence.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from importlib import resources

import numpy as np

#: Centimetres per inch.
CM_PER_INCH = 2.54


@dataclass(frozen=True)
class Heights:
    """Heights of children and their parents, one row per child.

    Attributes
    ----------
    family : ndarray of str, shape (N,)
        Family identifier from Galton's notebook.
    father, mother : ndarray, shape (N,)
        Height of the child's father and mother.
    gender : ndarray of str, shape (N,)
        ``"male"`` or ``"female"``.
    height : ndarray, shape (N,)
        Height of the adult child.
    units : str
        ``"in"`` or ``"cm"``.
    """

    family: np.ndarray
    father: np.ndarray
    mother: np.ndarray
    gender: np.ndarray
    height: np.ndarray
    units: str

    def __post_init__(self) -> None:
        from mmlbook._validation import as_vector

        if self.units not in ("cm", "in"):
            raise ValueError(f"units must be 'cm' or 'in', got {self.units!r}")
        for name in ("father", "mother", "height"):
            object.__setattr__(self, name, as_vector(getattr(self, name), name))
        n = self.height.size
        for name in ("family", "gender", "father", "mother"):
            value = np.asarray(getattr(self, name))
            if value.shape != (n,):
                raise ValueError(f"{name} must have shape ({n},), like height, got shape {value.shape}")
            object.__setattr__(self, name, value)
        bad = sorted(set(self.gender.tolist()) - {"male", "female"})
        if bad:
            raise ValueError(f"gender must hold 'male' or 'female', got {bad[0]!r}")

    def __len__(self) -> int:
        return int(self.height.size)


def load_heights(units: str = "cm") -> Heights:
    r"""Load Galton's heights of 934 adult children and their parents.

    Parameters
    ----------
    units : {"cm", "in"}
        Return heights in centimetres (default) or in inches, as Galton
        recorded them. One inch is 2.54 cm.

    Returns
    -------
    Heights
        Arrays ``family``, ``father``, ``mother``, ``gender`` and ``height``
        of length 934, and ``units``.

    Raises
    ------
    ValueError
        If ``units`` is not ``"cm"`` or ``"in"``.

    References
    ----------
    F. Galton (1886), Regression towards mediocrity in hereditary stature,
    *Journal of the Anthropological Institute* 15, 246-263.
    J. A. Hanley (2004), "Transmuting" women into men: Galton's family data
    on human stature, *The American Statistician* 58(3), 237-243.

    Examples
    --------
    >>> data = load_heights(units="in")
    >>> len(data), float(data.height[0])
    (934, 73.2)
    """
    if units not in ("cm", "in"):
        raise ValueError(f"units must be 'cm' or 'in', got {units!r}")
    text = resources.files("mmlbook").joinpath("data", "heights.csv").read_text(encoding="utf-8")
    rows = list(csv.DictReader(text.splitlines()))
    scale = CM_PER_INCH if units == "cm" else 1.0

    def column(name: str) -> np.ndarray:
        return np.array([float(r[name]) for r in rows]) * scale

    return Heights(
        family=np.array([r["family"] for r in rows]),
        father=column("father"),
        mother=column("mother"),
        gender=np.array([r["gender"] for r in rows]),
        height=column("height"),
        units=units,
    )
