"""The marking rules of the self-marking questions, in Python (``mmlbook.questions``).

The cases are one table, ``tests/book/marking_cases.json``, that the page's
JavaScript (``mmlMark`` in ``_ext/static/questions.js``) is held to as well
(``tests/browser/test_questions.py``): the same answer gets the same verdict
and the same words in the notebook and on the page. The rest checks what
only the notebook's ``check("q-label", answer)`` meets: answers given as
Python data (numbers, lists, numpy arrays, ``...`` for a blank).
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest

from mmlbook.questions import Questions, mark, mark_answer, parse_number

TABLE = json.loads((Path(__file__).parent / "marking_cases.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", TABLE["cases"], ids=lambda case: case["name"])
def test_marking_case(case):
    marking = mark(case["spec"], case["entries"], case["hint"])
    assert (marking.ok, marking.message, marking.bad) == (case["ok"], case["message"], case["bad"])


@pytest.mark.parametrize("case", TABLE["numbers"], ids=lambda case: repr(case["text"]))
def test_number_parser_case(case):
    value = parse_number(case["text"])
    if case["value"] is None:
        assert not math.isfinite(value)
    else:
        assert value == case["value"]


def test_the_table_covers_every_verdict():
    messages = {case["message"].split(" (")[0].split(":")[0] for case in TABLE["cases"]}
    assert {"Correct.", "Not yet"} <= messages
    assert any(case["ok"] for case in TABLE["cases"]) and any(not case["ok"] for case in TABLE["cases"])
    kinds = {case["spec"]["kind"] for case in TABLE["cases"]}
    assert kinds == {"numeric", "vector", "matrix", "choice"}


POWER = {"kind": "matrix", "answer": [[16.0, 0.0], [0.0, 0.0625]],
         "tolerance": [0.085, 0.005, 0.005, 0.0053125], "integer": False}


@pytest.mark.parametrize("answer, ok", [
    ([[16, 0], [0, 1 / 16]], True),
    (np.array([[16.0, 0.0], [0.0, 0.0625]]), True),
    ([[16, 0], [0, "1/16"]], True),
    ([[16, 0], [0, 0]], False),          # issue 22: passed with one tolerance for every entry
    ([[16, 0], [0, 0.0625], [0, 0]], False),
    ([16, 0, 0, 0.0625], False),          # flat, not rows
    (16, False),
])
def test_answers_as_python_data(answer, ok):
    assert mark_answer(POWER, answer).ok is ok


def test_blanks_are_empty_entries():
    assert mark_answer(POWER, [[..., ...], [..., ...]]).message.startswith("Not yet: 4 entries are empty")
    assert mark_answer(POWER, ...).message.startswith("Not yet: 4 entries are empty")
    vector = {"kind": "vector", "answer": [2.0, 5.0], "tolerance": [0.015, 0.03], "integer": False}
    assert mark_answer(vector, [[2], [5]]).ok, "a column is a vector"
    assert mark_answer(vector, np.array([2.0, 5.0])).ok
    assert mark_answer(vector, [2, 5, 0]).message == "Not yet: the answer is a vector of 2 numbers, not 3."
    assert not mark_answer(vector, [2 + 0j, 5]).ok, "a complex number is not an answer"
    assert not mark_answer(vector, [True, 5]).ok


def test_check_prints_the_feedback(capsys):
    questions = Questions({"q-a": {"kind": "numeric", "answer": 0.5, "tolerance": [0.0075],
                                   "integer": False, "hint": True},
                           "q-b": {"kind": "choice", "answer": [1], "choices": 3, "hint": False}})
    questions.check("q-a", "1/2")
    questions.check("q-a", 0.6)
    questions.check("q-a")
    questions.check("q-b", "b")
    questions.check("q-b", ["a", "b"])
    assert capsys.readouterr().out.splitlines() == [
        "Correct.", "Not yet. Try again: see the hint above.",
        "Not yet: one entry is empty (type numbers such as 0.5, -2, 1/3 or sqrt(2)/2).",
        "Correct.", "Not yet. Try again."]
    with pytest.raises(KeyError, match="no question 'q-c'"):
        questions.check("q-c", 1)
