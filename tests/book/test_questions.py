"""Self-marking questions and slider figures in the built site (``_build/html``).

Every chapter page has at least three questions, each a form a reader can
check in the browser (``_ext/questions.py``, ``_ext/static/questions.js``);
the book has at least six slider figures, each labelled, captioned and light
enough. Whether the questions and sliders *work* is checked in Chromium by
``tests/browser/test_questions.py``.
"""

from __future__ import annotations

import json
import re

import pytest

from mmlbook.questions import mark
from tests.book.chapters import HTML, ROOT, chapter_sources
from tests.book.test_site import CHAPTER_PAGES, page_id, soup

MIN_QUESTIONS = 3
MIN_SLIDERS = 6
MAX_SLIDER_BYTES = 1_500_000
KINDS = {"numeric", "vector", "matrix", "choice"}
QUESTION = re.compile(r"^```\{question\}\s+(\S+)\n((?::[^\n]*\n)*)", re.M)


def questions(page):
    return soup(page).find("main").select("div.mml-question[data-question]")


def source_questions(source) -> dict[str, dict[str, str]]:
    """label -> options, read from a chapter's MyST source."""
    found = {}
    for match in QUESTION.finditer(source.read_text(encoding="utf-8")):
        options = dict(re.findall(r"^:([\w-]+):[ \t]*(.*)$", match.group(2), re.M))
        found[match.group(1)] = options
    return found


@pytest.mark.parametrize("page", CHAPTER_PAGES, ids=page_id)
def test_chapter_has_three_questions(page):
    found = questions(page)
    assert len(found) >= MIN_QUESTIONS, \
        f"{page_id(page)} has {len(found)} self-marking questions, wants at least {MIN_QUESTIONS}"


@pytest.mark.parametrize("page", CHAPTER_PAGES, ids=page_id)
def test_questions_are_complete_forms(page):
    for box in questions(page):
        label = box["data-question"]
        kind = box.get("data-kind")
        assert kind in KINDS, f"{page_id(page)}: {label} has kind {kind!r}"
        assert box.get("id") == label, f"{page_id(page)}: {label} is not its element's id"
        answer = json.loads(box["data-answer"])
        tolerance = json.loads(box["data-tolerance"])
        assert isinstance(tolerance, list) and all(t >= 0 for t in tolerance)
        assert box.get("data-integer") in ("true", "false")
        assert box.select_one(".mml-question-prompt").get_text(strip=True), \
            f"{page_id(page)}: {label} has no question text"
        assert box.select_one("button.mml-check"), f"{page_id(page)}: {label} has no Check button"
        status = box.select('[role="status"]')
        assert len(status) == 1, f"{page_id(page)}: {label} needs one role=status feedback element"
        assert box.select_one(".mml-answer").get_text(strip=True) != "Answer:", \
            f"{page_id(page)}: {label} shows no answer"
        if kind == "choice":
            inputs = box.select(".mml-choices input")
            assert len(inputs) >= 2, f"{page_id(page)}: {label} has fewer than two choices"
            assert answer and all(0 <= i < len(inputs) for i in answer)
            for element in inputs:
                assert box.select_one(f'label[for="{element["id"]}"]'), \
                    f"{page_id(page)}: a choice of {label} has no label"
            continue
        entries = box.select("input.mml-entry")
        expected = (1 if kind == "numeric" else len(answer) if kind == "vector"
                    else len(answer) * len(answer[0]))
        assert len(entries) == expected, \
            f"{page_id(page)}: {label} has {len(entries)} inputs for {expected} numbers"
        for element in entries:
            labelled = element.get("aria-label") or box.select_one(f'label[for="{element.get("id")}"]')
            assert labelled, f"{page_id(page)}: an input of {label} has no label"


def test_question_labels_are_unique():
    seen = {}
    for page in CHAPTER_PAGES:
        for box in questions(page):
            label = box["data-question"]
            assert label not in seen, f"{label} is on {page_id(page)} and {seen[label]}"
            seen[label] = page_id(page)


@pytest.mark.parametrize("source", chapter_sources(), ids=lambda s: str(s.relative_to(ROOT)))
def test_computed_answers_are_glued(source):
    """A numeric, vector or matrix question takes its answer from the chapter's glue."""
    found = source_questions(source)
    computed = [label for label, options in found.items()
                if options.get("kind", "numeric") != "choice"]
    typed = [label for label in computed if "answer-glue" not in found[label]]
    assert not typed, f"{source.name}: computed answers typed in, not glued: {typed}"


MIN_FLIPBOOKS = 3
MIN_LIVE = 3
MAX_LIVE_BYTES = 40_000


def sliders(kind=".mml-slider"):
    found = []
    for page in CHAPTER_PAGES:
        for figure in soup(page).find("main").select(kind):
            found.append((page, figure))
    return found


def test_book_has_six_slider_figures():
    count = len(sliders()) + len(sliders(".mml-live"))
    assert count >= MIN_SLIDERS, f"the book has {count} interactive figures, wants at least {MIN_SLIDERS}"


@pytest.mark.parametrize("index", range(MIN_LIVE))
def test_live_figure_is_labelled_captioned_and_light(index):
    found = sliders(".mml-live")
    if index >= len(found):
        pytest.fail(f"only {len(found)} live figures")
    page, figure = found[index]
    where = f"{page_id(page)} live figure {index}"
    spec = json.loads(figure["data-live"])
    assert spec["kind"] in {"shear", "change-of-basis", "eigenvector"}
    slider = figure.select_one('input[type="range"]')
    assert slider is not None and float(slider["min"]) < float(slider["max"]), f"{where}: no range input"
    assert figure.select_one(f'label[for="{slider["id"]}"]').get_text(strip=True), \
        f"{where}: the slider has no label"
    svg = figure.select_one("svg.mml-live-svg")
    assert svg is not None and svg.get("role") == "img" and svg.find("title").get_text(strip=True), \
        f"{where}: no SVG with a title"
    assert figure.select_one(".mml-live-fallback") is None, f"{where}: the PNG fallback is on the page"
    outer = figure.find_parent("figure")
    assert outer is not None and outer.find("figcaption").get_text(strip=True), \
        f"{where}: the live figure has no caption"
    size = len(str(figure).encode("utf-8"))
    assert size <= MAX_LIVE_BYTES, f"{where} adds {size} bytes to its page"


@pytest.mark.parametrize("index", range(MIN_FLIPBOOKS))
def test_slider_figure_is_labelled_captioned_and_light(index):
    found = sliders()
    if index >= len(found):
        pytest.fail(f"only {len(found)} interactive figures")
    page, figure = found[index]
    where = f"{page_id(page)} slider {index}"
    slider = figure.select_one('input[type="range"]')
    assert slider is not None, f"{where}: no range input"
    assert figure.select_one(f'label[for="{slider["id"]}"]').get_text(strip=True), \
        f"{where}: the slider has no label"
    image = figure.select_one("img.mml-frame")
    assert image is not None and image.get("alt", "").strip(), f"{where}: no image with alt text"
    # Rendered at twice the size it is shown at (the browser test checks it fills the column).
    import base64
    head = base64.b64decode(image["src"].split(",", 1)[1][:64])
    pixels = int.from_bytes(head[16:20], "big") if head[1:4] == b"PNG" else None
    assert int(image.get("width", 0)) > 0 and int(image.get("height", 0)) > 0, f"{where}: no width and height"
    assert pixels is None or pixels >= 2 * int(image["width"]) - 2, \
        f"{where}: frames are {pixels} pixels wide for {image['width']} shown"
    frames = json.loads(figure.select_one("script.mml-frames").string)
    assert len(frames) >= 2 and int(slider["max"]) == len(frames) - 1
    assert all(frame["alt"].strip() and frame["label"].strip() for frame in frames)
    outer = figure.find_parent("figure")
    assert outer is not None and outer.find("figcaption").get_text(strip=True), \
        f"{where}: the interactive figure has no caption"
    size = len(str(figure).encode("utf-8"))
    assert size <= MAX_SLIDER_BYTES, f"{where} adds {size} bytes to its page"


# --------------------------------------------------------------------------
# Every shown answer passes its own check; near misses do not (issue 22)
# --------------------------------------------------------------------------


def box_spec(box) -> dict:
    """The question as the marking rules read it, from the page's data attributes."""
    kind = box["data-kind"]
    spec = {"kind": kind, "answer": json.loads(box["data-answer"])}
    if kind == "choice":
        spec["choices"] = len(box.select(".mml-choices input"))
    else:
        spec["tolerance"] = json.loads(box["data-tolerance"])
        spec["integer"] = box["data-integer"] == "true"
    return spec


def shown_answer(box) -> list[str]:
    """What "Show answer" prints, as the entries a reader would type."""
    shown = box.select_one(".mml-answer")
    kind = box["data-kind"]
    if kind == "choice":
        return re.findall(r"(?:^|; )\(([a-z])\) ", shown.get_text(" ", strip=True).replace("Answer: ", "", 1))
    if kind == "numeric":
        return [shown.get_text(" ", strip=True).replace("Answer:", "", 1).strip()]
    tex = shown.select_one(".math").get_text().strip()
    tex = re.sub(r"^\\\(|\\\)$", "", tex).replace(r"\begin{bmatrix}", "").replace(r"\end{bmatrix}", "")
    return [entry.strip() for row in tex.split("\\\\") for entry in row.split("&")]


def near_misses(spec: dict) -> dict[str, list]:
    """Answers one slip away from the right one: a wrong sign, two entries
    swapped, a factor of 10, or another choice."""
    if spec["kind"] == "choice":
        others = [i for i in range(spec["choices"]) if i not in spec["answer"]]
        return {"another choice": [chr(97 + others[0])]} if others else {}
    answer = spec["answer"]
    flat = [answer] if spec["kind"] == "numeric" else answer if spec["kind"] == "vector" else sum(answer, [])
    tol = spec["tolerance"]
    misses = {}
    big = max(range(len(flat)), key=lambda i: abs(flat[i]))
    if 2 * abs(flat[big]) > tol[big]:
        misses["wrong sign"] = [-x if i == big else x for i, x in enumerate(flat)]
    if 9 * abs(flat[big]) > tol[big]:
        misses["factor of 10"] = [10 * x if i == big else x for i, x in enumerate(flat)]
    if not misses:  # an answer of zeros: one entry off by a clear margin
        misses["one entry off"] = [x + 10 * tol[i] + 1 if i == 0 else x for i, x in enumerate(flat)]
    pairs = [(i, j) for i in range(len(flat)) for j in range(i + 1, len(flat))
             if abs(flat[i] - flat[j]) > max(tol[i], tol[j])]
    if pairs:
        i, j = pairs[0]
        swapped = list(flat)
        swapped[i], swapped[j] = flat[j], flat[i]
        misses["two entries swapped"] = swapped
    return misses


def all_boxes():
    return [(page, box) for page in CHAPTER_PAGES for box in questions(page)]


@pytest.mark.parametrize("page", CHAPTER_PAGES, ids=page_id)
def test_shown_answer_passes_its_own_check(page):
    for box in questions(page):
        entries = shown_answer(box)
        marking = mark(box_spec(box), entries)
        assert marking.ok, (f"{page_id(page)}: {box['data-question']} shows {entries}, "
                            f"which its own check marks {marking.message!r}")


@pytest.mark.parametrize("page", CHAPTER_PAGES, ids=page_id)
def test_near_misses_fail(page):
    for box in questions(page):
        spec = box_spec(box)
        misses = near_misses(spec)
        if spec["kind"] != "choice":
            assert misses, f"{page_id(page)}: {box['data-question']} has no near miss to try"
        for what, entries in misses.items():
            marking = mark(spec, entries)
            assert not marking.ok, f"{page_id(page)}: {box['data-question']} accepts a near miss ({what}): {entries}"


def test_integer_answers_refuse_fractions():
    counted = [(page, box) for page, box in all_boxes() if box.get("data-integer") == "true"]
    assert len(counted) >= 5, "the counts (q-mnist-M90, q-nr-nit, ...) are whole-number questions"
    for page, box in counted:
        spec = box_spec(box)
        flat = spec["answer"] if isinstance(spec["answer"], list) else [spec["answer"]]
        flat = [x for row in flat for x in (row if isinstance(row, list) else [row])]
        entries = [str(x + 0.4) if i == 0 else str(x) for i, x in enumerate(flat)]
        assert not mark(spec, entries).ok, f"{page_id(page)}: {box['data-question']} accepts {entries}"


def test_default_tolerance_is_per_entry():
    """q-eig-power, D^4 = diag(16, 1/16): [[16, 0], [0, 0]] is wrong (issue 22)."""
    (box,) = [box for _, box in all_boxes() if box["data-question"] == "q-eig-power"]
    spec = box_spec(box)
    assert not mark(spec, ["16", "0", "0", "0"]).ok
    assert mark(spec, ["16", "0", "0", "1/16"]).ok


# --------------------------------------------------------------------------
# Alt text (issue 22)
# --------------------------------------------------------------------------

PATH_LIKE = re.compile(r"(^|[/\\])[\w.-]+\.(png|jpe?g|svg|gif|webp|pdf)$|^\.{0,2}/|^_images|^data:", re.I)
STUB_ALT = {"image", "figure", "plot", "graph", "picture", "png", "output", "alt", "todo", "tbd"}


def alt_problem(alt: str | None) -> str | None:
    """What is wrong with an image's alt text, or None."""
    text = (alt or "").strip()
    if not text:
        return "no alt text"
    if PATH_LIKE.search(text) or re.fullmatch(r"[0-9a-f]{16,}(\.\w+)?", text):
        return f"a file path as alt text: {text[:80]!r}"
    if text.lower().strip(".") in STUB_ALT or len(text.split()) < 2:
        return f"a stub as alt text: {text!r}"
    return None


def test_alt_text_rule():
    assert alt_problem("") and alt_problem(None) and alt_problem("   ")
    assert alt_problem("../../_images/0e2447778ac600906c06fc9eb6f6d5decf8c2609d188a9be35eab432e9d6647b.png")
    assert alt_problem("_images/figure.png") and alt_problem("image") and alt_problem("Plot")
    assert alt_problem("data:image/png;base64,iVBOR")
    assert alt_problem("Binder logo") is None
    assert alt_problem("Three cost curves against the epoch on a logarithmic axis.") is None


@pytest.mark.parametrize("page", CHAPTER_PAGES, ids=page_id)
def test_every_image_has_alt_text_that_describes_it(page):
    problems = []
    for image in soup(page).find("main").find_all("img"):
        problem = alt_problem(image.get("alt"))
        if problem:
            problems.append(f"{image.get('src', '')[:60]}: {problem}")
    assert not problems, f"{page_id(page)}: " + "; ".join(problems)
