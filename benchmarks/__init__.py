"""Benchmarks: mmlbook against the reference libraries, on the same inputs.

Run ``python -m benchmarks [task ...] [--quick]`` from the repository root (or
``make bench``). Every task module in this package defines

- ``NAME``: the name used on the command line;
- ``TITLE``: one line saying what is compared;
- ``run(quick, log) -> list[Row]``: do the measurements and return the rows
  of the table. A task whose code or data is missing raises
  :class:`Unavailable`; the other tasks still run.

The helpers here time mmlbook and a reference in *alternating* runs
(mmlbook, reference, mmlbook, reference, ...), so that a change in the load
of the machine hits both alike, and report the median time of each and the
median of the per-pair ratios.
"""

from __future__ import annotations

import gc
import statistics
import time
from dataclasses import asdict, dataclass, field
from typing import Any, Callable

__all__ = ["Row", "Timing", "Unavailable", "alternate", "once", "fmt_seconds"]


class Unavailable(Exception):
    """A task cannot run here: a module is not written yet or data is missing."""


@dataclass
class Timing:
    """Times of alternating runs of mmlbook and a reference (seconds)."""

    mmlbook: list[float]
    reference: list[float]

    @property
    def mmlbook_s(self) -> float:
        return statistics.median(self.mmlbook)

    @property
    def reference_s(self) -> float:
        return statistics.median(self.reference)

    @property
    def ratio(self) -> float:
        """Median over the runs of (mmlbook time / reference time) of each pair."""
        return statistics.median(m / r for m, r in zip(self.mmlbook, self.reference))

    @property
    def runs(self) -> int:
        return len(self.mmlbook)


@dataclass
class Row:
    """One line of the results table."""

    task: str
    case: str
    reference: str
    mmlbook_s: float | None = None
    reference_s: float | None = None
    ratio: float | None = None
    runs: int = 0              # alternating pairs timed; 1 means timed once
    target: str = ""           # e.g. "ratio <= 1.0"; empty when there is none
    met: bool | None = None    # None: no target
    agree: bool | None = None  # None: not comparable
    detail: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def timed(cls, task: str, case: str, reference: str, timing: Timing, **kw) -> "Row":
        return cls(task, case, reference, timing.mmlbook_s, timing.reference_s, timing.ratio,
                   timing.runs, **kw)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    gc.collect()
    start = time.perf_counter()
    out = fn()
    return time.perf_counter() - start, out


def alternate(mmlbook: Callable[[], Any], reference: Callable[[], Any], *, runs: int = 5,
              warmup: bool = True) -> tuple[Timing, Any, Any]:
    """Time ``mmlbook()`` and ``reference()`` alternately, ``runs`` times each.

    With ``warmup`` one untimed call of each comes first (imports, caches,
    page faults). Returns the :class:`Timing` and the last output of each.
    """
    if warmup:
        mmlbook()
        reference()
    t_m, t_r = [], []
    out_m = out_r = None
    for _ in range(runs):
        dt, out_m = _timed(mmlbook)
        t_m.append(dt)
        dt, out_r = _timed(reference)
        t_r.append(dt)
    return Timing(t_m, t_r), out_m, out_r


def once(fn: Callable[[], Any]) -> tuple[float, Any]:
    """Time a single call of ``fn`` (for references too slow to repeat)."""
    return _timed(fn)


def fmt_seconds(s: float | None) -> str:
    if s is None:
        return "-"
    if s >= 100:
        return f"{s:.0f} s"
    if s >= 1:
        return f"{s:.2f} s"
    if s >= 1e-3:
        return f"{s * 1e3:.1f} ms"
    return f"{s * 1e6:.0f} us"
