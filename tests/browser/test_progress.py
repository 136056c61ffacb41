"""Progress that survives a reload, the progress page, questions beside the
text, and images that keep their place, in headless Chromium, offline.

An answered question is still answered (its entries, its "Correct") after a
reload, counts in the chapter's score and on the progress page, and the
page's Clear button forgets it. In at least four chapters out of five a
question sits inside a content section, not only in the end-of-chapter set.
Every image of a chapter has a width and a height, and those below the first
load lazily.
"""

from __future__ import annotations

import re

from bs4 import BeautifulSoup

from tests.book.chapters import HTML, ROOT, chapter_sources
from tests.browser.test_questions import glued_value

CHAPTER = "book/linalg/eigenvalues.html"
END_SET = "Check your understanding"


def _numeric_question(page_name: str):
    """(label, answer entries) of the first question of the page with a glued answer."""
    source = (ROOT / page_name).with_suffix(".md").read_text(encoding="utf-8")
    for match in re.finditer(r"^```\{question\}\s+(\S+)\n((?::[^\n]*\n)*)", source, re.M):
        options = dict(re.findall(r"^:([\w-]+):\s*(.*)$", match.group(2), re.M))
        if "answer-glue" in options:
            value = glued_value(page_name, options["answer-glue"])
            flat = value if isinstance(value, list) else [value]
            flat = [x for row in flat for x in (row if isinstance(row, list) else [row])]
            return match.group(1), flat
    raise AssertionError(f"{page_name} has no question with a glued answer")


def _answer(page, label, values):
    box = page.locator(f'div[data-question="{label}"]')
    box.scroll_into_view_if_needed()
    entries = box.locator("input.mml-entry")
    for i, value in enumerate(values):
        entries.nth(i).fill(repr(value))
    box.locator("button.mml-check").click()
    return box


def test_an_answer_survives_a_reload_and_counts_on_the_progress_page(new_page, book_url):
    label, values = _numeric_question(CHAPTER)
    context, page, log = new_page()
    try:
        page.goto(book_url + CHAPTER, wait_until="load")
        score = page.locator(".mml-score .mml-score-text")
        total = int(page.locator(".mml-score").get_attribute("data-total"))
        assert total == page.locator("div.mml-question[data-question]").count()
        box = _answer(page, label, values)
        assert box.locator('[role="status"]').inner_text().startswith("Correct")
        page.wait_for_function("() => /1 answered, 1 right/.test("
                               "document.querySelector('.mml-score .mml-score-text').textContent)")

        page.reload(wait_until="load")
        box = page.locator(f'div[data-question="{label}"]')
        page.wait_for_function("(l) => document.querySelector(`div[data-question='${l}']`)"
                               ".getAttribute('data-state') === 'correct'", arg=label)
        assert box.locator('[role="status"]').inner_text().startswith("Correct")
        assert [float(x) for x in box.locator("input.mml-entry").evaluate_all(
            "inputs => inputs.map(i => i.value)")] == [float(v) for v in values]
        assert "1 answered, 1 right" in score.inner_text(), score.inner_text()

        # A wrong answer to another question counts as answered, not right.
        other = page.locator("div.mml-question[data-question]").nth(1)
        other_label = other.get_attribute("data-question")
        if other.get_attribute("data-kind") == "choice":
            other.locator(".mml-choices input").first.check()
        else:
            for entry in other.locator("input.mml-entry").all():
                entry.fill("12345")
        other.locator("button.mml-check").click()
        page.wait_for_function("() => /answered/.test(document.querySelector('.mml-score-text').textContent)")

        page.locator(".mml-score a").click()
        page.wait_for_url(re.compile(r"book/progress\.html"))
        rows = page.locator("table.mml-progress-table tbody tr")
        assert rows.count() == len([s for s in chapter_sources() if "```{question}" in s.read_text()])
        row = page.locator(f'tbody tr[data-labels*="{label}"]')
        answered = int(row.locator(".mml-answered").inner_text())
        right = int(row.locator(".mml-right").inner_text())
        state_other = page.evaluate(
            "(l) => Object.entries(localStorage).filter(([k]) => k.startsWith('mmlbook-progress:'))"
            ".map(([k, v]) => JSON.parse(v)[l]).filter(Boolean).map(e => e.state)[0]", other_label)
        assert answered == 2 and right == (2 if state_other == "correct" else 1), (answered, right, state_other)
        assert int(page.locator("tfoot .mml-answered").inner_text()) == 2

        page.locator("button.mml-progress-clear").click()
        assert row.locator(".mml-answered").inner_text() == "0"
        assert "cleared" in page.locator(".mml-progress-status").inner_text()
        page.goto(book_url + CHAPTER, wait_until="load")
        assert page.locator(f'div[data-question="{label}"]').get_attribute("data-state") is None
        assert not log.console_errors and not log.page_errors, log.console_errors + log.page_errors
    finally:
        context.close()


def _section_title(question) -> str:
    """The title of the level-2 section (h2) that holds a question box."""
    for section in question.find_parents("section"):
        heading = section.find(["h2"], recursive=False)
        if heading:
            return heading.get_text(" ", strip=True)
    return ""


def test_questions_sit_beside_the_text_in_four_chapters_of_five():
    pages = [HTML / s.relative_to(ROOT).with_suffix(".html") for s in chapter_sources()]
    beside, only_at_end = [], []
    for path in pages:
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        titles = [_section_title(q) for q in soup.select("div.mml-question[data-question]")]
        if not titles:
            continue
        (beside if any(t and END_SET not in t for t in titles) else only_at_end).append(path.stem)
        assert any(END_SET in t for t in titles), f"{path.stem}: the end-of-chapter set is gone"
    assert len(beside) * 5 >= 4 * (len(beside) + len(only_at_end)), \
        f"questions only at the end in {only_at_end}"


def test_images_have_a_size_and_load_lazily_below_the_first(new_page, book_url):
    context, page, log = new_page()
    try:
        page.goto(book_url + "book/calculus/gradient-descent.html", wait_until="load")
        images = page.evaluate("""() => Array.from(document.querySelectorAll('article.bd-article img')).map(i => ({
            src: (i.getAttribute('src') || '').slice(0, 60), width: i.getAttribute('width'),
            height: i.getAttribute('height'), loading: i.getAttribute('loading')}))""")
        assert len(images) >= 3
        unsized = [i["src"] for i in images if not (i["width"] and i["height"])]
        assert not unsized, f"images without width and height: {unsized}"
        assert all(i["loading"] == "lazy" for i in images[1:]), images
    finally:
        context.close()
