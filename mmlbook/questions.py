"""The marking rules of the book's self-marking questions.

A question on a chapter's page is marked in the reader's browser
(``_ext/static/questions.js``); the same question in the chapter's learner
notebook is marked by ``check("q-label", answer)``, which this module
provides. The two are one set of rules written twice, and both are held to
one table of cases (``tests/book/marking_cases.json``): the same answer gets
the same verdict and the same words on the page and in the notebook.

A question is described by a *spec*, the data the page carries in its
``data-`` attributes and the notebook in its set-up cell:

``kind``
    ``"numeric"``, ``"vector"``, ``"matrix"`` or ``"choice"``.
``answer``
    A number, a list, a list of rows, or for ``choice`` the 0-based indices
    of the correct choices.
``tolerance``
    One tolerance per number of the answer (row by row for a matrix):
    entry :math:`x_i` is right when :math:`|x_i - a_i| \\le t_i`, where the
    build sets :math:`t_i = t_\\text{abs} + t_\\text{rel}|a_i|`, an absolute
    floor plus a relative part.
``integer``
    The answer is made of whole numbers: an entry that is not one is wrong
    whatever the tolerance (82.4 is not a count).
``choices``
    The number of choices (``choice`` only).

Numbers are read as a reader types them: ``0.5``, ``-3``, ``1/3``,
``sqrt(2)/2``, ``2*pi``, ``1e-3``, ``2^3``, ``(1+sqrt(5))/2``.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Marking", "Questions", "parse_number", "mark", "mark_answer"]

#: What an entry may look like, said when one cannot be read.
EXAMPLES = "type numbers such as 0.5, -2, 1/3 or sqrt(2)/2"

_NUMBER = re.compile(r"([0-9]+\.?[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?")
_WORD = re.compile(r"sqrt|pi|e(?![0-9])")


class _Unreadable(Exception):
    pass


def parse_number(text: str) -> float:
    """The number a reader typed, or ``nan`` when it cannot be read.

    The grammar (the same as the page's ``mmlParseNumber``)::

        sum     = product (("+" | "-") product)*
        product = power (("*" | "/") power)*
        power   = primary ("^" power)?
        primary = "(" sum ")" | "-" power | "+" power | "pi" | "e"
                | "sqrt(" sum ")" | number

    with spaces allowed between the parts, and the signs "−", "π" and "√"
    read as "-", "pi" and "sqrt".
    """
    src = str(text).strip().replace("\u2212", "-").replace("\u03c0", "pi").replace("\u221a", "sqrt")
    if not src:
        return math.nan
    at = 0

    def peek() -> str:
        return src[at] if at < len(src) else ""

    def skip() -> None:
        nonlocal at
        while at < len(src) and src[at] == " ":
            at += 1

    def expect(char: str) -> None:
        nonlocal at
        skip()
        if peek() != char:
            raise _Unreadable
        at += 1

    def primary() -> float:
        nonlocal at
        skip()
        if peek() == "(":
            at += 1
            value = total()
            expect(")")
            return value
        if peek() == "-":
            at += 1
            return -power()
        if peek() == "+":
            at += 1
            return power()
        word = _WORD.match(src, at)
        if word:
            at = word.end()
            if word.group() == "pi":
                return math.pi
            if word.group() == "e":
                return math.e
            expect("(")
            value = total()
            expect(")")
            return math.sqrt(value) if value >= 0 else math.nan
        number = _NUMBER.match(src, at)
        if not number:
            raise _Unreadable
        at = number.end()
        return float(number.group())

    def power() -> float:
        nonlocal at
        base = primary()
        skip()
        if peek() == "^":
            at += 1
            exponent = power()
            try:
                return math.pow(base, exponent)
            except OverflowError:
                return math.inf
            except (ValueError, ZeroDivisionError):
                return math.nan
        return base

    def product() -> float:
        nonlocal at
        value = power()
        skip()
        while peek() in ("*", "/"):
            op = src[at]
            at += 1
            other = power()
            if op == "*":
                value = value * other
            elif other == 0:
                value = math.nan
            else:
                value = value / other
            skip()
        return value

    def total() -> float:
        nonlocal at
        value = product()
        skip()
        while peek() in ("+", "-"):
            op = src[at]
            at += 1
            other = product()
            value = value + other if op == "+" else value - other
            skip()
        return value

    try:
        value = total()
        skip()
    except (_Unreadable, OverflowError):
        return math.nan
    return float(value) if at == len(src) else math.nan


@dataclass
class Marking:
    """The verdict on one answer: right or not, the feedback, the wrong entries."""

    ok: bool
    message: str
    bad: list[int] = field(default_factory=list)

    def __str__(self) -> str:
        return self.message


def _flat(value: Any) -> list:
    if isinstance(value, (list, tuple)):
        return [x for item in value for x in _flat(item)]
    return [value]


def _count(n: int, one: str, many: str) -> str:
    return one if n == 1 else f"{n} {many}"


def _try_again(hint: str) -> str:
    return "Try again: " + hint + "." if hint else "Try again."


def mark(spec: dict, entries: list, hint: str = "") -> Marking:
    """Mark the entries a reader gave, one per number of the answer.

    Parameters
    ----------
    spec : dict
        The question (see the module docstring).
    entries : list
        For ``choice``, the letters of the choices picked (``["b"]``);
        otherwise one entry per number of the answer, row by row: the text
        typed (``"1/3"``), a number, or ``None`` / ``""`` for an empty entry.
    hint : str
        Where the reader finds the hint ("see the hint below"), added to a
        "Try again" when the answer is wrong; empty when there is none.

    Returns
    -------
    Marking
        ``ok``, the feedback ``message``, and the 0-based indices of the
        entries that are empty, unreadable or off (``bad``).
    """
    kind = spec["kind"]
    if kind == "choice":
        return _mark_choice(spec, entries, hint)
    wanted = [float(a) for a in _flat(spec["answer"])]
    tolerances = [float(t) for t in spec["tolerance"]]
    if len(entries) != len(wanted):
        return Marking(False, f"Not yet: the answer has {_count(len(wanted), 'one number', 'numbers')}, "
                              f"not {len(entries)}.", list(range(len(entries))))
    empty, unreadable, fractional, wrong = [], [], [], []
    for i, (entry, answer, tolerance) in enumerate(zip(entries, wanted, tolerances)):
        if entry is None or (isinstance(entry, str) and not entry.strip()):
            empty.append(i)
            continue
        value = _number(entry)
        if not math.isfinite(value):
            unreadable.append(i)
        elif spec.get("integer") and value != round(value):
            fractional.append(i)
        elif not abs(value - answer) <= tolerance + 1e-12 * max(1.0, abs(answer)):
            wrong.append(i)
    if empty or unreadable:
        what = []
        if empty:
            what.append(_count(len(empty), "one entry is empty", "entries are empty"))
        if unreadable:
            what.append(_count(len(unreadable), "one entry is not a number", "entries are not numbers"))
        return Marking(False, "Not yet: " + " and ".join(what) + f" ({EXAMPLES}).",
                       sorted(empty + unreadable))
    if fractional:
        if len(wanted) == 1:
            text = "Not yet: the answer is a whole number."
        else:
            text = ("Not yet: " + _count(len(fractional), "one entry is not a whole number",
                                          "entries are not whole numbers")
                    + ", and every entry of the answer is one.")
        return Marking(False, text, fractional)
    if not wrong:
        return Marking(True, "Correct.")
    where = ""
    if len(wanted) > 1:
        where = " One entry is off." if len(wrong) == 1 else f" {len(wrong)} of {len(wanted)} entries are off."
    return Marking(False, "Not yet." + where + " " + _try_again(hint), wrong)


def _number(entry: Any) -> float:
    if isinstance(entry, bool):
        return math.nan
    if isinstance(entry, str):
        return parse_number(entry)
    try:
        return float(entry)
    except (TypeError, ValueError, OverflowError):
        return math.nan                     # a complex number, a list, ... is not a number


def _mark_choice(spec: dict, entries: list, hint: str) -> Marking:
    n = int(spec["choices"])
    letters = [chr(97 + i) for i in range(n)]
    picked = []
    for entry in entries:
        letter = str(entry).strip().strip("()").lower() if entry is not None else ""
        if not letter:
            continue
        if letter not in letters:
            return Marking(False, f"Not yet: {entry!s} is not one of the choices "
                                  f"(a) to ({letters[-1]}).")
        picked.append(letters.index(letter))
    picked = sorted(set(picked))
    if not picked:
        return Marking(False, "Not yet: choose an answer first.")
    if picked == sorted(spec["answer"]):
        return Marking(True, "Correct.")
    return Marking(False, "Not yet. " + _try_again(hint), picked)


# --------------------------------------------------------------------------
# In a notebook: check("q-label", answer)
# --------------------------------------------------------------------------


def _shape(spec: dict) -> tuple[int, ...]:
    if spec["kind"] == "vector":
        return (len(spec["answer"]),)
    if spec["kind"] == "matrix":
        return (len(spec["answer"]), len(spec["answer"][0]))
    return ()


def _entries(spec: dict, answer: Any) -> list | str:
    """The answer as a flat list of entries, or what is wrong with its shape."""
    if hasattr(answer, "tolist") and not isinstance(answer, str):
        answer = answer.tolist()            # a numpy array or number
    kind, shape = spec["kind"], _shape(spec)
    if kind == "choice":
        if answer is Ellipsis:
            return []
        return [answer] if isinstance(answer, str) else list(answer) if isinstance(answer, (list, tuple, set)) \
            else [answer]
    if kind == "numeric":
        if isinstance(answer, (list, tuple)):
            if len(answer) == 1 and not isinstance(answer[0], (list, tuple)):
                answer = answer[0]
            else:
                return "the answer is one number, not a list"
        return [None if answer is Ellipsis else answer]
    if answer is Ellipsis:
        return [None] * math.prod(shape)
    if not isinstance(answer, (list, tuple)):
        if kind == "vector":
            return f"the answer is a vector, a list of {shape[0]} numbers"
        return f"the answer is a {shape[0]} × {shape[1]} matrix: a list of {shape[0]} rows of {shape[1]} numbers"
    if kind == "vector":
        rows = list(answer)
        if rows and all(isinstance(r, (list, tuple)) and len(r) == 1 for r in rows):
            rows = [r[0] for r in rows]        # a column
        if any(isinstance(r, (list, tuple)) for r in rows):
            return f"the answer is a vector, a flat list of {shape[0]} numbers"
        if len(rows) != shape[0]:
            return f"the answer is a vector of {shape[0]} numbers, not {len(rows)}"
        return [None if r is Ellipsis else r for r in rows]
    rows = list(answer)
    if len(rows) != shape[0] or not all(isinstance(r, (list, tuple)) and len(r) == shape[1] for r in rows):
        return f"the answer is a {shape[0]} × {shape[1]} matrix: a list of {shape[0]} rows of {shape[1]} numbers"
    return [None if x is Ellipsis else x for row in rows for x in row]


def mark_answer(spec: dict, answer: Any, hint: str = "") -> Marking:
    """Mark an answer given as Python data: a number, a list, a list of rows,
    a numpy array, text such as ``"sqrt(2)/2"``, or for a choice question the
    letter (or letters) of the choices. ``...`` stands for an entry not
    given yet."""
    entries = _entries(spec, answer)
    if isinstance(entries, str):
        return Marking(False, f"Not yet: {entries}.")
    return mark(spec, entries, hint)


class Questions:
    """The questions of one chapter, for its learner notebook.

    ``check = Questions({...}).check`` makes ``check("q-label", answer)``,
    which prints the same feedback as the page's Check button.
    """

    def __init__(self, specs: dict[str, dict]) -> None:
        self.specs = dict(specs)

    def check(self, label: str, answer: Any = ...) -> None:
        """Mark ``answer`` to question ``label`` and print the feedback."""
        if label not in self.specs:
            raise KeyError(f"no question {label!r} in this notebook; its questions are "
                           f"{', '.join(sorted(self.specs))}")
        spec = self.specs[label]
        marking = mark_answer(spec, answer, "see the hint above" if spec.get("hint") else "")
        print(marking.message)
