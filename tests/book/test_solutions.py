"""Exercises and solutions as the reader sees them, and what the checks print.

Every solution that holds code runs at build time (a gated solution with an
executed cell), so the built page never shows a plain, unexecuted Python
block inside a solution; no exercise hides inside another exercise's
solution (an unclosed fence); a self-check call never leaves a stray
``True``; and no visible check prints ``False`` unless the cell says that is
the expected answer (the ``expect-false`` tag).
"""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup

from tests.book.chapters import HTML, ROOT, chapter_sources

PAGES = [HTML / path.relative_to(ROOT).with_suffix(".html") for path in chapter_sources()]


def page_id(page):
    return page.relative_to(HTML).as_posix()


def main(page):
    return BeautifulSoup(page.read_text(), "html.parser").find("main")


@pytest.mark.parametrize("page", PAGES, ids=page_id)
def test_no_exercise_inside_a_solution(page):
    nested = main(page).select("div.solution div.exercise")
    assert not nested, f"{page_id(page)}: an exercise sits inside a solution (an unclosed fence?)"


@pytest.mark.parametrize("page", PAGES, ids=page_id)
def test_no_unexecuted_code_in_exercises_or_solutions(page):
    # An exercise names the call to make in prose; the learner notebook gives the cell.
    for solution in main(page).select("div.solution, div.exercise"):
        for block in solution.select("div[class*='highlight-python'], div[class*='highlight-ipython']"):
            assert block.find_parent("div", class_="cell") is not None, (
                f"{page_id(page)}: an exercise or solution shows Python that never ran:\n{block.get_text()[:300]}\n"
                "make it an executed cell inside a gated solution (solution-start / solution-end)")


def cells(page):
    for cell in main(page).select("div.cell"):
        source = cell.select_one("div.cell_input")
        outputs = cell.select("div.cell_output pre, div.cell_output .output")
        yield cell, (source.get_text() if source else ""), "\n".join(o.get_text() for o in outputs)


@pytest.mark.parametrize("page", PAGES, ids=page_id)
def test_no_stray_true_after_a_self_check(page):
    for cell, source, output in cells(page):
        lines = [line for line in source.strip().splitlines() if line.strip()]
        if lines and re.match(r"check_\w+\(", lines[-1].strip()) and not lines[-1].rstrip().endswith(";"):
            assert not re.search(r"^\s*(True|False)\s*$", output, re.M), \
                f"{page_id(page)}: `{lines[-1].strip()}` leaves its return value printed: end it with ';'"


@pytest.mark.parametrize("page", PAGES, ids=page_id)
def test_visible_checks_do_not_print_false(page):
    for cell, source, output in cells(page):
        if "tag_expect-false" in cell.get("class", []):
            continue
        false = [line for line in output.splitlines() if re.search(r"(:|=)\s*False\s*$", line)
                 or line.strip() == "False"]
        assert not false, (f"{page_id(page)}: a visible check prints False: {false[:3]}\n"
                           "fix the claim, or tag the cell 'expect-false' if False is the expected answer")
