"""NIST StRD non-linear regression problems: data, models, Jacobians, certified values.

From the Statistical Reference Datasets of the U.S. National Institute of
Standards and Technology (https://www.itl.nist.gov/div898/strd/nls/nls_main.shtml;
public domain), typed in from NIST's pages. Every problem is checked on import
of the benchmark: the residual sum of squares at the certified parameters must
equal the certified one to 8 significant digits (so a typing error in the data
cannot go unnoticed), and the analytic Jacobian must match central
differences.

Each problem has two official starting points: start 1 far from the
solution, start 2 closer.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np


@dataclass(frozen=True)
class Problem:
    name: str
    difficulty: str          # NIST's level: lower, average, higher
    model: Callable          # model(x, b) -> predictions
    jac: Callable            # jac(x, b) -> d model / d b, shape (N, P)
    x: np.ndarray
    y: np.ndarray
    start1: tuple
    start2: tuple
    certified: tuple
    certified_rss: float


# --- models and Jacobians ---------------------------------------------------------------

def _exp_rise(x, b):
    return b[0] * (1.0 - np.exp(-b[1] * x))


def _exp_rise_jac(x, b):
    e = np.exp(-b[1] * x)
    return np.column_stack([1.0 - e, b[0] * x * e])


def _thurber(x, b):
    return (b[0] + b[1] * x + b[2] * x**2 + b[3] * x**3) / (1.0 + b[4] * x + b[5] * x**2 + b[6] * x**3)


def _thurber_jac(x, b):
    num = b[0] + b[1] * x + b[2] * x**2 + b[3] * x**3
    den = 1.0 + b[4] * x + b[5] * x**2 + b[6] * x**3
    powers = [np.ones_like(x), x, x**2, x**3]
    return np.column_stack([p / den for p in powers] + [-num * p / den**2 for p in powers[1:]])


def _mgh09(x, b):
    return b[0] * (x**2 + x * b[1]) / (x**2 + x * b[2] + b[3])


def _mgh09_jac(x, b):
    num = x**2 + x * b[1]
    den = x**2 + x * b[2] + b[3]
    return np.column_stack([num / den, b[0] * x / den, -b[0] * num * x / den**2, -b[0] * num / den**2])


def _mgh10(x, b):
    return b[0] * np.exp(b[1] / (x + b[2]))


def _mgh10_jac(x, b):
    e = np.exp(b[1] / (x + b[2]))
    f = b[0] * e
    return np.column_stack([e, f / (x + b[2]), -f * b[1] / (x + b[2]) ** 2])


def _eckerle4(x, b):
    return (b[0] / b[1]) * np.exp(-0.5 * ((x - b[2]) / b[1]) ** 2)


def _eckerle4_jac(x, b):
    u = (x - b[2]) / b[1]
    e = np.exp(-0.5 * u**2)
    f = b[0] / b[1] * e
    return np.column_stack([e / b[1], f * (u**2 - 1.0) / b[1], f * u / b[1]])


def _rat42(x, b):
    return b[0] / (1.0 + np.exp(b[1] - b[2] * x))


def _rat42_jac(x, b):
    g = np.exp(b[1] - b[2] * x)
    h = 1.0 + g
    return np.column_stack([1.0 / h, -b[0] * g / h**2, b[0] * x * g / h**2])


def _rat43(x, b):
    return b[0] / (1.0 + np.exp(b[1] - b[2] * x)) ** (1.0 / b[3])


def _rat43_jac(x, b):
    g = np.exp(b[1] - b[2] * x)
    h = 1.0 + g
    hp = h ** (-1.0 / b[3])
    return np.column_stack([hp,
                            -b[0] * g * hp / (b[3] * h),
                            b[0] * x * g * hp / (b[3] * h),
                            b[0] * hp * np.log(h) / b[3] ** 2])


def _arr(values) -> np.ndarray:
    return np.array(values, dtype=float)


# --- data (y, x as in NIST's files) ---------------------------------------------------------

PROBLEMS = [
    Problem(
        "Misra1a", "lower", _exp_rise, _exp_rise_jac,
        x=_arr([77.6, 114.9, 141.1, 190.8, 239.9, 289.0, 332.8, 378.4, 434.8, 477.3, 536.8, 593.1,
                689.1, 760.0]),
        y=_arr([10.07, 14.73, 17.94, 23.93, 29.61, 35.18, 40.02, 44.82, 50.76, 55.05, 61.01, 66.40,
                75.47, 81.78]),
        start1=(500.0, 1e-4), start2=(250.0, 5e-4),
        certified=(2.3894212918e02, 5.5015643181e-04), certified_rss=1.2455138894e-01),
    Problem(
        "Thurber", "higher", _thurber, _thurber_jac,
        x=_arr([-3.067, -2.981, -2.921, -2.912, -2.840, -2.797, -2.702, -2.699, -2.633, -2.481,
                -2.363, -2.322, -1.501, -1.460, -1.274, -1.212, -1.100, -1.046, -0.915, -0.714,
                -0.566, -0.545, -0.400, -0.309, -0.109, -0.103, 0.010, 0.119, 0.377, 0.790, 0.963,
                1.006, 1.115, 1.572, 1.841, 2.047, 2.200]),
        y=_arr([80.574, 84.248, 87.264, 87.195, 89.076, 89.608, 89.868, 90.101, 92.405, 95.854,
                100.696, 101.060, 401.672, 390.724, 567.534, 635.316, 733.054, 759.087, 894.206,
                990.785, 1090.109, 1080.914, 1122.643, 1178.351, 1260.531, 1273.514, 1288.339,
                1327.543, 1353.863, 1414.509, 1425.208, 1421.384, 1442.962, 1464.350, 1468.705,
                1447.894, 1457.628]),
        start1=(1000.0, 1000.0, 400.0, 40.0, 0.7, 0.3, 0.03),
        start2=(1300.0, 1500.0, 500.0, 75.0, 1.0, 0.4, 0.05),
        certified=(1.2881396800e03, 1.4910792535e03, 5.8323836877e02, 7.5416644291e01,
                   9.6629502864e-01, 3.9797285797e-01, 4.9727297349e-02),
        certified_rss=5.6427082397e03),
    Problem(
        "MGH09", "higher", _mgh09, _mgh09_jac,
        x=_arr([4.0, 2.0, 1.0, 0.5, 0.25, 0.167, 0.125, 0.1, 0.0833, 0.0714, 0.0625]),
        y=_arr([0.1957, 0.1947, 0.1735, 0.16, 0.0844, 0.0627, 0.0456, 0.0342, 0.0323, 0.0235,
                0.0246]),
        start1=(25.0, 39.0, 41.5, 39.0), start2=(0.25, 0.39, 0.415, 0.39),
        certified=(1.9280693458e-01, 1.9128232873e-01, 1.2305650693e-01, 1.3606233068e-01),
        certified_rss=3.0750560385e-04),
    Problem(
        "MGH10", "higher", _mgh10, _mgh10_jac,
        x=_arr([50.0, 55.0, 60.0, 65.0, 70.0, 75.0, 80.0, 85.0, 90.0, 95.0, 100.0, 105.0, 110.0,
                115.0, 120.0, 125.0]),
        y=_arr([34780.0, 28610.0, 23650.0, 19630.0, 16370.0, 13720.0, 11540.0, 9744.0, 8261.0,
                7030.0, 6005.0, 5147.0, 4427.0, 3820.0, 3307.0, 2872.0]),
        start1=(2.0, 400000.0, 25000.0), start2=(0.02, 4000.0, 250.0),
        certified=(5.6096364710e-03, 6.1813463463e03, 3.4522363462e02),
        certified_rss=8.7945855171e01),
    Problem(
        "BoxBOD", "higher", _exp_rise, _exp_rise_jac,
        x=_arr([1.0, 2.0, 3.0, 5.0, 7.0, 10.0]),
        y=_arr([109.0, 149.0, 149.0, 191.0, 213.0, 224.0]),
        start1=(1.0, 1.0), start2=(100.0, 0.75),
        certified=(2.1380940889e02, 5.4723748542e-01), certified_rss=1.1680088766e03),
    Problem(
        "Eckerle4", "higher", _eckerle4, _eckerle4_jac,
        x=_arr([400.0, 405.0, 410.0, 415.0, 420.0, 425.0, 430.0, 435.0, 436.5, 438.0, 439.5, 441.0,
                442.5, 444.0, 445.5, 447.0, 448.5, 450.0, 451.5, 453.0, 454.5, 456.0, 457.5, 459.0,
                460.5, 462.0, 463.5, 465.0, 470.0, 475.0, 480.0, 485.0, 490.0, 495.0, 500.0]),
        y=_arr([0.0001575, 0.0001699, 0.0002350, 0.0003102, 0.0004917, 0.0008710, 0.0017418,
                0.0046400, 0.0065895, 0.0097302, 0.0149002, 0.0237310, 0.0401683, 0.0712559,
                0.1264458, 0.2073413, 0.2902366, 0.3445623, 0.3698049, 0.3668534, 0.3106727,
                0.2078154, 0.1164354, 0.0616764, 0.0337200, 0.0194023, 0.0117831, 0.0074357,
                0.0022732, 0.0008800, 0.0004579, 0.0002345, 0.0001586, 0.0001143, 0.0000710]),
        start1=(1.0, 10.0, 500.0), start2=(1.5, 5.0, 450.0),
        certified=(1.5543827178e00, 4.0888321754e00, 4.5154121844e02),
        certified_rss=1.4635887487e-03),
    Problem(
        "Rat42", "higher", _rat42, _rat42_jac,
        x=_arr([9.0, 14.0, 21.0, 28.0, 42.0, 57.0, 63.0, 70.0, 79.0]),
        y=_arr([8.93, 10.8, 18.59, 22.33, 39.35, 56.11, 61.73, 64.62, 67.08]),
        start1=(100.0, 1.0, 0.1), start2=(75.0, 2.5, 0.07),
        certified=(7.2462237576e01, 2.6180768402e00, 6.7359200066e-02),
        certified_rss=8.0565229338e00),
    Problem(
        "Rat43", "higher", _rat43, _rat43_jac,
        x=_arr(range(1, 16)),
        y=_arr([16.08, 33.83, 65.80, 97.20, 191.55, 326.20, 386.87, 520.53, 590.03, 651.92,
                724.93, 699.56, 689.96, 637.56, 717.41]),
        start1=(100.0, 10.0, 1.0, 1.0), start2=(700.0, 5.0, 0.75, 1.3),
        certified=(6.9964151270e02, 5.2771253025e00, 7.5962938329e-01, 1.2792483859e00),
        certified_rss=8.7864049080e03),
]


def rss(problem: Problem, b) -> float:
    r = problem.y - problem.model(problem.x, np.asarray(b, dtype=float))
    return float(r @ r)


def lre(estimate, certified) -> float:
    """Log relative error, the number of correct significant digits (NIST's measure); min over parameters."""
    est = np.asarray(estimate, dtype=float)
    cert = np.asarray(certified, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        rel = np.abs(est - cert) / np.abs(cert)
    if not np.all(np.isfinite(rel)):
        return 0.0
    digits = -np.log10(np.maximum(rel, 1e-16))
    return float(np.clip(digits, 0.0, 16.0).min())


def self_check() -> list[str]:
    """Problems whose data or Jacobian do not reproduce NIST's certified RSS (should be empty)."""
    bad = []
    for p in PROBLEMS:
        got = rss(p, p.certified)
        if abs(got - p.certified_rss) > 1e-8 * p.certified_rss:
            bad.append(f"{p.name}: RSS at the certified values {got:.10e}, certified {p.certified_rss:.10e}")
        b = np.asarray(p.certified, dtype=float)
        J = p.jac(p.x, b)
        num = np.empty_like(J)
        for k in range(b.size):
            h = 1e-6 * max(abs(b[k]), 1e-8)
            up, down = b.copy(), b.copy()
            up[k] += h
            down[k] -= h
            num[:, k] = (p.model(p.x, up) - p.model(p.x, down)) / (2 * h)
        if not np.allclose(J, num, rtol=1e-5, atol=1e-8 * np.abs(num).max()):
            bad.append(f"{p.name}: analytic Jacobian differs from central differences")
    return bad
