"""Self-marking questions and slider figures, used in headless Chromium, offline.

For one question of each kind (numeric, vector, matrix, choice) a wrong
answer gives "Not yet" feedback and shows the hint, and the right answer,
read from the chapter's own computation (the value glued in
``_build/jupyter_execute/<chapter>.glue.json``), gives "Correct"; all with
the keyboard only. Moving a slider with the arrow keys changes its figure.
No console errors, and axe-core finds no serious or critical violation in
the questions and sliders.
"""

from __future__ import annotations

import ast
import json
import re

import pytest

from tests.book.chapters import BUILD, ROOT, chapter_sources
from tests.browser.conftest import HTML

KINDS = ("numeric", "vector", "matrix", "choice")
QUESTION = re.compile(r"^```\{question\}\s+(\S+)\n((?::[^\n]*\n)*)", re.M)


def _questions():
    """(page, label, kind, options) for every question in the chapters' sources."""
    found = []
    for source in chapter_sources():
        page = source.relative_to(ROOT).with_suffix(".html").as_posix()
        for match in QUESTION.finditer(source.read_text(encoding="utf-8")):
            options = dict(re.findall(r"^:([\w-]+):[ \t]*(.*)$", match.group(2), re.M))
            found.append((page, match.group(1), options.get("kind", "numeric"), options))
    return found


def _one_of_each_kind():
    chosen = {}
    for page, label, kind, options in _questions():
        if kind not in chosen and (kind == "choice" or "answer-glue" in options):
            chosen[kind] = (page, label, options)
    return chosen


ONE_OF_EACH = _one_of_each_kind()


def glued_value(page: str, key: str):
    """The value the chapter glued under ``key``, from its executed notebook."""
    path = BUILD / "jupyter_execute" / page.replace(".html", ".glue.json")
    text = json.loads(path.read_text())[key]["data"]["text/plain"]
    text = re.sub(r"np\.\w+\(([^()]*)\)", r"\1", text)
    text = re.sub(r"^array\((.*)\)$", r"\1", re.sub(r"\s+", " ", text.strip()))
    value = ast.literal_eval(text)
    return ast.literal_eval(value) if isinstance(value, str) else value


def _flat(value):
    if isinstance(value, (list, tuple)):
        return [x for item in value for x in _flat(item)]
    return [float(value)]


def _axe(page, axe_source, selector):
    page.add_script_tag(content=axe_source)
    return page.evaluate(
        """async (selector) => {
             const results = await axe.run({include: [[selector]]}, {resultTypes: ['violations']});
             return results.violations.filter(v => ['serious', 'critical'].includes(v.impact))
                    .map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', '));
           }""", selector)


@pytest.mark.parametrize("kind", KINDS)
def test_question_marks_answers(kind, new_page, book_url, browser_tools):
    assert kind in ONE_OF_EACH, f"no {kind} question with a glued (or choice) answer in the book"
    page_name, label, options = ONE_OF_EACH[kind]
    context, page, log = new_page()
    try:
        page.goto(book_url + page_name, wait_until="load")
        box = page.locator(f'div[data-question="{label}"]')
        box.scroll_into_view_if_needed()
        status = box.locator('[role="status"]')
        hint = box.locator(".mml-hint")

        if kind == "choice":
            right = sorted(int(i) - 1 for i in re.split(r"[,\s]+", options["answer"].strip()) if i)
            choices = box.locator(".mml-choices input")
            n = choices.count()
            wrong = [i for i in range(n) if i not in right][:1] or [0]
            choices.nth(wrong[0]).focus()
            page.keyboard.press("Space")
            page.keyboard.press("Enter")
            assert status.inner_text().lower().startswith("not yet"), status.inner_text()
            if hint.count():
                assert hint.is_visible(), "the hint is not shown after a wrong try"
            if choices.nth(0).get_attribute("type") == "radio":
                choices.nth(right[0]).check()
            else:
                for i in range(n):
                    choices.nth(i).set_checked(i in right)
            choices.nth(right[0]).focus()
            page.keyboard.press("Enter")
            assert status.inner_text().lower().startswith("correct"), status.inner_text()
        else:
            answer = _flat(glued_value(page_name, options["answer-glue"]))
            entries = box.locator("input.mml-entry")
            assert entries.count() == len(answer)
            # Wrong: the first entry off by far more than any tolerance.
            entries.nth(0).focus()
            for i, value in enumerate(answer):
                page.keyboard.type(repr(value + (10.0 * max(1.0, abs(value)) if i == 0 else 0.0)))
                if i + 1 < len(answer):
                    page.keyboard.press("Tab")
            page.keyboard.press("Enter")
            assert status.inner_text().lower().startswith("not yet"), status.inner_text()
            if hint.count():
                assert hint.is_visible(), "the hint is not shown after a wrong try"
            assert not box.locator(".mml-answer").is_visible(), "a wrong try revealed the answer"
            # Right: retype every entry from the glued value, by keyboard.
            for i, value in enumerate(answer):
                entries.nth(i).fill("")
                entries.nth(i).focus()
                page.keyboard.type(repr(value))
            page.keyboard.press("Enter")
            assert status.inner_text().lower().startswith("correct"), status.inner_text()
        # Tab from the last field reaches the Check button, and Show answer works.
        box.locator(".mml-show").click()
        assert box.locator(".mml-answer").is_visible()
        violations = _axe(page, browser_tools.axe_js.read_text(encoding="utf-8"),
                          f'div[data-question="{label}"]')
        assert not violations, f"{label}: axe violations: {violations}"
        assert not log.console_errors and not log.page_errors, log.console_errors + log.page_errors
    finally:
        context.close()


def test_number_parser_reads_what_a_reader_types(new_page, book_url):
    page_name = ONE_OF_EACH["numeric"][0]
    context, page, _log = new_page()
    try:
        page.goto(book_url + page_name, wait_until="load")
        read = lambda text: page.evaluate("t => window.mmlParseNumber(t)", text)  # noqa: E731
        assert read("0.5") == 0.5 and read("-3") == -3 and read("1/4") == 0.25
        assert abs(read("sqrt(2)/2") - 2 ** 0.5 / 2) < 1e-12
        assert abs(read("2*pi") - 6.283185307179586) < 1e-12
        assert read("1e-3") == 0.001 and read("2^3") == 8
        assert page.evaluate("t => Number.isNaN(window.mmlParseNumber(t))", "abc")
        assert page.evaluate("t => Number.isNaN(window.mmlParseNumber(t))", "")
    finally:
        context.close()


MARKING = json.loads((ROOT / "tests" / "book" / "marking_cases.json").read_text(encoding="utf-8"))


def test_page_marks_the_shared_cases_like_the_notebook(new_page, book_url):
    """The page's rules (mmlMark, mmlParseNumber) give the verdicts and words of
    the shared table, which mmlbook.questions (the notebook's check) is held to
    in tests/book/test_marking.py."""
    page_name = ONE_OF_EACH["numeric"][0]
    context, page, _log = new_page()
    try:
        page.goto(book_url + page_name, wait_until="load")
        results = page.evaluate(
            """table => ({
                 cases: table.cases.map(c => window.mmlMark(c.spec, c.entries, c.hint)),
                 numbers: table.numbers.map(n => {
                   const v = window.mmlParseNumber(n.text); return Number.isFinite(v) ? v : null; })
               })""", MARKING)
        wrong = [(case["name"], got) for case, got in zip(MARKING["cases"], results["cases"])
                 if (got["ok"], got["message"], got["bad"]) != (case["ok"], case["message"], case["bad"])]
        assert not wrong, wrong
        numbers = [(case["text"], got) for case, got in zip(MARKING["numbers"], results["numbers"])
                   if got != case["value"]]
        assert not numbers, numbers
    finally:
        context.close()


def _slider_pages():
    return sorted(
        path.relative_to(HTML).as_posix() for path in (HTML / "book").rglob("*.html")
        if 'class="mml-slider"' in path.read_text(encoding="utf-8"))


SLIDER_PAGES = _slider_pages()


def test_six_slider_figures():
    """Six figures move with a slider: flipbooks (here) and live figures (test_live_figures.py)."""
    pages = list((HTML / "book").rglob("*.html"))
    flipbooks = sum(p.read_text(encoding="utf-8").count('class="mml-slider"') for p in pages)
    live = sum(p.read_text(encoding="utf-8").count('class="mml-live"') for p in pages)
    assert flipbooks + live >= 6, f"{flipbooks} flipbooks and {live} live figures"
    assert live >= 3, f"{live} live figures, wants the three linear maps"


@pytest.mark.parametrize("page_name", SLIDER_PAGES)
def test_slider_moves_the_figure(page_name, new_page, book_url, browser_tools):
    context, page, log = new_page()
    try:
        page.goto(book_url + page_name, wait_until="load")
        sliders = page.locator(".mml-slider")
        for k in range(sliders.count()):
            figure = sliders.nth(k)
            figure.scroll_into_view_if_needed()
            image = figure.locator("img.mml-frame")
            slider = figure.locator('input[type="range"]')
            before_src, before_alt = image.get_attribute("src"), image.get_attribute("alt")
            before_text = figure.locator("output").inner_text()
            start, top = int(slider.input_value()), int(slider.get_attribute("max"))
            slider.focus()
            page.keyboard.press("ArrowRight" if start < top else "ArrowLeft")
            assert int(slider.input_value()) != start, "the arrow key did not move the slider"
            assert image.get_attribute("src") != before_src, "the figure did not change"
            assert figure.locator("output").inner_text() != before_text
            assert slider.get_attribute("aria-valuetext") == figure.locator("output").inner_text()
            assert image.get_attribute("alt") and before_alt
            # A full column wide, and at least twice as many pixels as it is shown at.
            shown = image.evaluate("i => [i.getBoundingClientRect().width, i.parentElement.getBoundingClientRect().width, i.naturalWidth]")
            assert shown[0] >= 0.95 * shown[1], f"the frame is {shown[0]:.0f} px in a {shown[1]:.0f} px column"
            assert shown[2] >= 2 * int(image.get_attribute("width")) - 2, shown
        violations = _axe(page, browser_tools.axe_js.read_text(encoding="utf-8"), ".mml-slider")
        assert not violations, f"{page_name}: axe violations: {violations}"
        assert not log.console_errors and not log.page_errors, log.console_errors + log.page_errors
    finally:
        context.close()
