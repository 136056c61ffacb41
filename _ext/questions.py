"""Self-marking questions: the ``question`` directive and its node.

A question is checked in the reader's browser, with no kernel and no
network (``static/questions.js``), and its answer can come from the
chapter's own computation through myst-nb's glue, so that a computed answer
is never typed twice::

    ```{question} q-eig-trace
    :kind: numeric
    :answer-glue: eig_trace
    :tolerance: 1e-3
    :hint: The trace is the sum of the diagonal entries.

    What is the sum of the eigenvalues of $A$?
    ```

Options
-------
``kind``
    ``numeric`` (one number, checked with a tolerance), ``vector`` (entries
    checked one by one), ``matrix`` (entries checked one by one) or
    ``choice`` (multiple choice: the choices are the bullet list that ends
    the directive's content).
``answer``
    The answer, typed: a number, a list ``[1, 2]``, a nested list
    ``[[1, 0], [0, 1]]``, or for ``choice`` the 1-based numbers of the
    correct choices, ``2`` or ``1, 3``.
``answer-glue``
    The key of a value glued in the same chapter with ``mmlbook.display.glue``
    (a number, a list, a numpy array or, for ``choice``, the 1-based numbers
    of the correct choices). Exactly one of ``answer`` and ``answer-glue``.
``tolerance``
    Absolute tolerance for each number. Without it, each number :math:`a_i`
    gets its own, an absolute floor plus a relative part,
    ``0.005 + 0.005 * |a_i|``. Say in the prompt how precise an answer must
    be whenever the tolerance is tighter than that.
``integer``
    Flag: the answer is made of whole numbers (a count), and an entry that is
    not one is wrong whatever the tolerance. Set by itself when the answer
    is glued or typed as Python integers.
``hint``
    Shown after a wrong try (inline MyST: maths allowed).
``multiple``
    Flag, ``choice`` only: checkboxes ("select all that apply") even when one
    choice is correct, so that the widget does not tell how many are.

The node
--------
:class:`question` (a ``docutils.nodes.Element``, numbered like a figure: its
number is ``env.toc_fignumbers[docname]["question"][label]``) carries, for
any converter that reads the doctree:

``label`` (str)
    The question's label, also its id and its ``data-question`` attribute.
``kind`` (str)
    One of ``numeric``, ``vector``, ``matrix``, ``choice``.
``prompt`` (str)
    The MyST source of the question, without the choices.
``choices`` (list of str)
    The MyST source of each choice (empty unless ``kind`` is ``choice``).
``answer`` (str)
    The answer as text: ``0.8165``, ``[1, 2]``, ``[[1, 0], [0, 1]]``, or for
    a choice the 1-based numbers of the correct choices, ``1, 3``. Every
    number is printed with as many digits as its tolerance needs, so that
    the answer shown passes its own check.
``answer_value``
    The answer as Python data: a float, a list, a nested list, or a list of
    0-based choice indices.
``tolerance`` (list of float)
    The tolerance of each number of the answer, row by row (empty for a
    choice): entry ``x_i`` is right when ``|x_i - a_i| <= tolerance[i]``.
``integer`` (bool)
    Whether every entry must be a whole number.
``hint`` (str)
    The MyST source of the hint (may be empty).
``multiple`` (bool)
    Whether a choice question uses checkboxes.

Its children are the parsed prompt (``question_prompt``), one
``question_choice`` per choice, the parsed hint (``question_hint``) and the
rendered answer (``question_answer``).

Rendering: in HTML, an interactive form (a ``<div data-question>``, inputs,
a Check button, a Show-answer button and a ``role="status"`` feedback line);
in every other builder (LaTeX, text, ...), a numbered "Question N.k" with
its choices, and the answers collected in a section "Answers to the
questions" at the end of the chapter.
"""

from __future__ import annotations

import ast
import json
import math
import re
from pathlib import Path

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util.docutils import SphinxDirective
from sphinx.util import logging

logger = logging.getLogger(__name__)

KINDS = ("numeric", "vector", "matrix", "choice")
#: The default tolerance of a number a: DEFAULT_ABSOLUTE + DEFAULT_RELATIVE * |a|.
DEFAULT_ABSOLUTE = 0.005
DEFAULT_RELATIVE = 0.005
ANSWERS_TITLE = "Answers to the questions"


class question(nodes.General, nodes.Element):
    """A self-marking question (see the module docstring for its attributes)."""


class question_prompt(nodes.General, nodes.Element):
    pass


class question_choice(nodes.General, nodes.Element):
    pass


class question_hint(nodes.General, nodes.Element):
    pass


class question_answer(nodes.General, nodes.Element):
    pass


# --- answers ----------------------------------------------------------------

def _parse_value(text: str):
    """A number or (nested) list of numbers from typed or glued text/plain."""
    text = text.strip()
    # numpy reprs: array([...]), np.float64(1.5), array([...], dtype=...)
    text = re.sub(r"np\.\w+\(([^()]*)\)", r"\1", text)
    text = re.sub(r",\s*dtype=[\w.]+", "", text)
    text = re.sub(r"^array\((.*)\)$", r"\1", text, flags=re.S)
    text = re.sub(r"\s+", " ", text)
    value = ast.literal_eval(text)
    if isinstance(value, str):
        return _parse_value(value)
    return value


def _floats(value):
    if isinstance(value, (list, tuple)):
        return [_floats(v) for v in value]
    number = float(value)
    if not math.isfinite(number):
        raise ValueError(f"the answer {value!r} is not a finite number")
    return number


def _fmt(x: float, tolerance: float = 0.0) -> str:
    """``x`` with at least four significant figures, and as many more as it
    takes to lie within half its tolerance (so that it passes its check)."""
    if float(x).is_integer() and abs(x) < 1e12:
        return str(int(x))
    for digits in range(4, 18):
        text = f"{x:.{digits}g}"
        if abs(float(text) - x) <= tolerance / 2:
            return text
    return repr(float(x))


def _rows(kind: str, value, tolerances):
    """The answer's numbers as rows of (number, tolerance)."""
    if kind == "numeric":
        return [[(value, tolerances[0])]]
    if kind == "vector":
        return [[(v, t)] for v, t in zip(value, tolerances)]
    width = len(value[0])
    return [list(zip(row, tolerances[i * width:(i + 1) * width])) for i, row in enumerate(value)]


def _answer_text(kind: str, value, tolerances=()) -> str:
    if kind == "choice":
        return ", ".join(str(i + 1) for i in value)
    rows = [[_fmt(v, t) for v, t in row] for row in _rows(kind, value, tolerances)]
    if kind == "numeric":
        return rows[0][0]
    if kind == "vector":
        return "[" + ", ".join(row[0] for row in rows) + "]"
    return "[" + ", ".join("[" + ", ".join(row) + "]" for row in rows) + "]"


def _answer_latex(kind: str, value, tolerances=()) -> str:
    rows = [" & ".join(_fmt(v, t) for v, t in row) for row in _rows(kind, value, tolerances)]
    return r"\begin{bmatrix}" + r" \\ ".join(rows) + r"\end{bmatrix}"


def shown_entries(kind: str, value, tolerances) -> list[str]:
    """The numbers of the answer as the page shows them, row by row."""
    return [_fmt(v, t) for row in _rows(kind, value, tolerances) for v, t in row]


def tolerances(kind: str, value, tolerance: float | None) -> list[float]:
    """One tolerance per number: the given absolute one, or by default an
    absolute floor plus a relative part, ``0.005 + 0.005 * |a_i|``."""
    if kind == "choice":
        return []
    flat = [value] if kind == "numeric" else value if kind == "vector" else [v for row in value for v in row]
    if tolerance is not None:
        return [float(tolerance)] * len(flat)
    return [DEFAULT_ABSOLUTE + DEFAULT_RELATIVE * abs(v) for v in flat]


def spec(node) -> dict:
    """The question as the marking rules (``mmlbook.questions``) read it: the
    same data on the page (its ``data-`` attributes) and in the notebook."""
    found = {"kind": node["kind"], "answer": node["answer_value"]}
    if node["kind"] == "choice":
        found["choices"] = len(node["choices"])
    else:
        found["tolerance"] = node["tolerance"]
        found["integer"] = node["integer"]
    return found


def _is_integral(value) -> bool:
    if isinstance(value, (list, tuple)):
        return all(_is_integral(v) for v in value)
    return isinstance(value, int) and not isinstance(value, bool)


def _check_shape(kind: str, value, where: str):
    if kind == "numeric":
        if isinstance(value, list):
            if len(value) == 1 and not isinstance(value[0], list):
                return value[0]
            raise ValueError(f"{where}: a numeric answer must be one number, got {value!r}")
        return value
    if kind == "vector":
        if isinstance(value, list) and value and isinstance(value[0], list):
            if all(len(row) == 1 for row in value):   # a column vector
                return [row[0] for row in value]
            raise ValueError(f"{where}: a vector answer must be a flat list, got {value!r}")
        if not isinstance(value, list) or not value:
            raise ValueError(f"{where}: a vector answer must be a non-empty list, got {value!r}")
        return value
    if kind == "matrix":
        if (not isinstance(value, list) or not value or not all(isinstance(r, list) for r in value)
                or len({len(r) for r in value}) != 1 or not value[0]):
            raise ValueError(f"{where}: a matrix answer must be a list of equal rows, got {value!r}")
        return value
    return value


# --- the directive ------------------------------------------------------------

def _kind(argument: str) -> str:
    return directives.choice(argument, KINDS)


class QuestionDirective(SphinxDirective):
    required_arguments = 1
    has_content = True
    option_spec = {
        "kind": _kind,
        "answer": directives.unchanged_required,
        "answer-glue": directives.unchanged_required,
        "tolerance": directives.unchanged_required,
        "hint": directives.unchanged,
        "multiple": directives.flag,
        "integer": directives.flag,
    }

    def _fail(self, message: str):
        raise self.error(f"question {self.arguments[0]!r}: {message}")

    def _answer(self, kind: str):
        typed, key = self.options.get("answer"), self.options.get("answer-glue")
        if (typed is None) == (key is None):
            self._fail("give exactly one of :answer: and :answer-glue:")
        if key is not None:
            try:
                from myst_nb.ext.glue.utils import retrieve_glue_data
                data = retrieve_glue_data(self.state.document, key.strip())
            except Exception as error:  # noqa: BLE001 - any failure is the same message
                self._fail(f"no glued value {key!r} in this chapter ({error})")
            text = data.data.get("text/plain")
            if text is None:
                self._fail(f"the glued value {key!r} has no text/plain form")
        else:
            text = typed
        try:
            if kind == "choice":
                value = _parse_value(text if "[" in text or "(" in text else f"[{text}]")
                value = value if isinstance(value, (list, tuple)) else [value]
                value, integral = sorted(int(v) - 1 for v in value), True
            else:
                parsed = _parse_value(text)
                integral = _is_integral(parsed)
                value = _check_shape(kind, _floats(parsed), "answer")
        except (ValueError, SyntaxError, TypeError) as error:
            self._fail(f"cannot read the answer {text!r}: {error}")
        return value, integral

    def run(self):
        label = self.arguments[0].strip()
        kind = self.options.get("kind", "numeric")
        value, integral = self._answer(kind)

        # The choices: the bullet list that ends the content.
        lines = list(self.content)
        prompt_lines, choice_sources = lines, []
        if kind == "choice":
            first = next((i for i, line in enumerate(lines) if line.startswith("- ")), None)
            if first is None:
                self._fail("a choice question needs its choices as a bullet list ('- ...')")
            prompt_lines = lines[:first]
            for line in lines[first:]:
                if line.startswith("- "):
                    choice_sources.append(line[2:].strip())
                elif line.strip():
                    choice_sources[-1] += " " + line.strip()
            if not value or any(not 0 <= i < len(choice_sources) for i in value):
                self._fail(f"the answer names choices outside 1..{len(choice_sources)}")
        prompt = "\n".join(prompt_lines).strip()
        if not prompt:
            self._fail("the question has no text")

        try:
            tolerance = float(self.options["tolerance"]) if "tolerance" in self.options else None
        except ValueError:
            self._fail(f"tolerance {self.options['tolerance']!r} is not a number")
        if tolerance is not None and not tolerance >= 0:
            self._fail("tolerance must be non-negative")
        per_entry = tolerances(kind, value, tolerance)
        integer = kind != "choice" and ("integer" in self.options or integral)
        if integer and not all(float(v).is_integer() for v in
                               ([value] if kind == "numeric" else value if kind == "vector" else sum(value, []))):
            self._fail(f"the answer {value!r} is not made of whole numbers, but :integer: is set")

        hint = (self.options.get("hint") or "").strip()
        node = question(
            "", label=label, kind=kind, prompt=prompt, choices=choice_sources,
            answer=_answer_text(kind, value, per_entry), answer_value=value, tolerance=per_entry,
            integer=integer, hint=hint, multiple="multiple" in self.options or (kind == "choice" and len(value) > 1),
        )
        self._check_shown_answer(node)
        node["ids"].append(nodes.make_id(label) if nodes.make_id(label) == label else label)
        node["names"].append(label)
        self.set_source_info(node)
        self.state.document.note_explicit_target(node, node)

        body = question_prompt()
        self.state.nested_parse(self.content[:len(prompt_lines)], self.content_offset, body)
        node += body
        for source in choice_sources:
            choice = question_choice()
            parsed, messages = self.state.inline_text(source, self.lineno)
            choice += nodes.inline("", "", *parsed)
            node += choice
            node += messages
        if hint:
            hint_node = question_hint()
            parsed, messages = self.state.inline_text(hint, self.lineno)
            hint_node += nodes.inline("", "", *parsed)
            node += hint_node
            node += messages
        answer = question_answer()
        if kind == "choice":
            choices = [c for c in node.children if isinstance(c, question_choice)]
            for n, i in enumerate(value):
                answer += nodes.Text(("; " if n else "") + f"({chr(97 + i)}) ")
                answer += choices[i].children[0].deepcopy()
        elif kind == "numeric":
            answer += nodes.inline("", node["answer"])
        else:
            latex = _answer_latex(kind, value, per_entry)
            answer += nodes.math(latex, latex)
        node += answer
        return [node]

    def _check_shown_answer(self, node) -> None:
        """The answer the page shows must pass the question's own check."""
        from mmlbook.questions import mark

        if node["kind"] == "choice":
            entries = [chr(97 + i) for i in node["answer_value"]]
        else:
            entries = shown_entries(node["kind"], node["answer_value"], node["tolerance"])
        marking = mark(spec(node), entries)
        if not marking.ok:
            self._fail(f"the answer shown, {entries}, fails its own check: {marking.message}")


# --- HTML -----------------------------------------------------------------------

def _number(translator, node) -> str:
    numbers = translator.builder.fignumbers.get("question", {}).get(node["ids"][0])
    return ".".join(map(str, numbers)) if numbers else ""


def visit_question_html(self, node):
    label, kind = node["label"], node["kind"]
    value = node["answer_value"]
    number = _number(self, node)
    attrs = {
        "class": "mml-question",
        "data-question": label,
        "data-kind": kind,
        "data-answer": json.dumps(value),
        "data-tolerance": json.dumps(node["tolerance"]),
        "data-integer": "true" if node["integer"] else "false",
    }
    self.body.append(self.starttag(node, "div", "", **attrs))
    title = f"Question {number}" if number else "Question"
    self.body.append(f'<p class="mml-question-title">{title}</p>\n')
    self._mml_question = node


def depart_question_html(self, node):
    label, kind, value = node["label"], node["kind"], node["answer_value"]
    out = []
    out.append('<form class="mml-question-form" novalidate>')
    if kind == "numeric":
        out.append(f'<label for="{label}-input">Your answer</label> '
                   f'<input type="text" id="{label}-input" class="mml-entry" '
                   f'autocomplete="off" spellcheck="false" inputmode="text">')
    elif kind in ("vector", "matrix"):
        rows = [[0] * 1 for _ in value] if kind == "vector" else value
        ncols = 1 if kind == "vector" else len(value[0])
        out.append(f'<fieldset class="mml-grid-fieldset"><legend>Your answer, entry by entry '
                   f'({len(rows)}&nbsp;&times;&nbsp;{ncols})</legend>')
        out.append(f'<div class="mml-grid" style="grid-template-columns: repeat({ncols}, 6.5em)">')
        for i in range(len(rows)):
            for j in range(ncols):
                name = f"entry {i + 1}" if kind == "vector" else f"row {i + 1}, column {j + 1}"
                out.append(f'<input type="text" class="mml-entry" aria-label="{name}" '
                           f'autocomplete="off" spellcheck="false">')
        out.append("</div></fieldset>")
    out.append('<div class="mml-question-buttons">'
               '<button type="submit" class="mml-check">Check</button> '
               f'<button type="button" class="mml-show" aria-expanded="false" '
               f'aria-controls="{label}-answer">Show answer</button>'
               '</div></form>')
    out.append('<p class="mml-feedback" role="status" aria-live="polite"></p>')
    self.body.append("\n".join(out))
    self.body.extend(self.__dict__.get("_mml_stash", {}).pop(id(node), []))
    self.body.append("</div>\n")


def visit_prompt_html(self, node):
    self.body.append('<div class="mml-question-prompt">')


def depart_prompt_html(self, node):
    self.body.append("</div>\n")
    q = node.parent
    if q["kind"] == "choice":
        what = "Select all that apply" if q["multiple"] else "Select one"
        self.body.append(f'<fieldset class="mml-choices"><legend>{what}</legend>\n')


def visit_choice_html(self, node):
    q = node.parent
    index = q.index(node) - 1
    kind = "checkbox" if q["multiple"] else "radio"
    ident = f'{q["label"]}-choice-{index + 1}'
    self.body.append(f'<div class="mml-choice"><input type="{kind}" id="{ident}" '
                     f'name="{q["label"]}" value="{index}"> <label for="{ident}">'
                     f'({chr(97 + index)}) ')


def depart_choice_html(self, node):
    self.body.append("</label></div>\n")
    q = node.parent
    following = q.index(node) + 1
    if following >= len(q.children) or not isinstance(q.children[following], question_choice):
        self.body.append("</fieldset>\n")


def _stash_start(self, node, opening):
    node["_mark"] = len(self.body)
    self.body.append(opening)


def _stash_end(self, node):
    """Move the rendered hint/answer after the form (emitted by depart_question_html)."""
    self.body.append("</p>\n")
    chunk = self.body[node["_mark"]:]
    del self.body[node["_mark"]:]
    self.__dict__.setdefault("_mml_stash", {}).setdefault(id(node.parent), []).extend(chunk)


def visit_hint_html(self, node):
    _stash_start(self, node, '<p class="mml-hint" hidden><strong>Hint:</strong> ')


def depart_hint_html(self, node):
    _stash_end(self, node)


def visit_answer_html(self, node):
    label = node.parent["label"]
    _stash_start(self, node, f'<p class="mml-answer" id="{label}-answer" hidden><strong>Answer:</strong> ')


def depart_answer_html(self, node):
    _stash_end(self, node)


# --- every other builder: generic nodes, answers at the end of the chapter ------

class QuestionsToGeneric(SphinxPostTransform):
    """Turn questions into plain docutils nodes for the non-HTML builders."""

    default_priority = 5  # before myst-nb's and Sphinx's own post-transforms

    def is_supported(self) -> bool:
        return self.app.builder.format != "html"

    def run(self, **kwargs) -> None:
        chapters: dict[int, list] = {}
        for node in list(self.document.findall(question)):
            top = self._chapter_section(node)
            chapters.setdefault(id(top), [top, []])[1].append(node)
        for top, questions in chapters.values():
            answers = nodes.section(ids=[f"answers-{questions[0]['label']}"])
            answers += nodes.title("", ANSWERS_TITLE)
            for k, node in enumerate(questions, start=1):
                block = nodes.container(classes=["mml-question"])
                block["ids"] = list(node["ids"])
                heading = nodes.paragraph()
                heading += self._title(node, k)
                block += heading
                for child in node.children:
                    if isinstance(child, question_prompt):
                        block += child.children
                choices = [c for c in node.children if isinstance(c, question_choice)]
                if choices:
                    listing = nodes.enumerated_list(enumtype="loweralpha", prefix="(", suffix=")")
                    for choice in choices:
                        listing += nodes.list_item("", nodes.paragraph("", "", *choice.children))
                    block += listing
                hint = [c for c in node.children if isinstance(c, question_hint)]
                answer = [c for c in node.children if isinstance(c, question_answer)][0]
                item = nodes.paragraph()
                item += self._title(node, k, suffix=". ")
                item += answer.children
                if hint:
                    item += nodes.Text(" (Hint: ")
                    item += hint[0].children
                    item += nodes.Text(")")
                answers += item
                node.replace_self(block)
            if top is not None:
                top += answers
            else:
                self.document += answers

    def _chapter_section(self, node):
        """The chapter's top section (or None in a document without one)."""
        top = None
        parent = node.parent
        while parent is not None and not isinstance(parent, nodes.document):
            if isinstance(parent, nodes.section):
                top = parent
            if parent.__class__.__name__ == "start_of_file":
                break
            parent = parent.parent
        return top

    def _title(self, node, k: int, suffix: str = "") -> nodes.strong:
        """"Question N.k": N from LaTeX's chapter counter, or Sphinx's number elsewhere."""
        title = nodes.strong("", "Question ")
        if self.app.builder.format == "latex":
            title += nodes.raw("", r"\thechapter.", format="latex")
            title += nodes.Text(f"{k}{suffix}")
            return title
        numbers = self.env.toc_fignumbers.get(self.env.docname, {}).get("question", {})
        number = numbers.get(node["ids"][0])
        title += nodes.Text((".".join(map(str, number)) if number else str(k)) + suffix)
        return title


def _skip(self, node):
    raise nodes.SkipNode


def _configure(app, config) -> None:
    config.numfig_format.setdefault("question", "Question %s")
    here = str(Path(__file__).parent / "static")
    if here not in config.html_static_path:
        config.html_static_path.append(here)


def setup(app):
    app.add_enumerable_node(
        question, "question", lambda node: node["label"],
        html=(visit_question_html, depart_question_html),
        latex=(_skip, None), text=(_skip, None), man=(_skip, None), texinfo=(_skip, None),
    )
    app.add_node(question_prompt, html=(visit_prompt_html, depart_prompt_html))
    app.add_node(question_choice, html=(visit_choice_html, depart_choice_html))
    app.add_node(question_hint, html=(visit_hint_html, depart_hint_html))
    app.add_node(question_answer, html=(visit_answer_html, depart_answer_html))
    app.add_directive("question", QuestionDirective)
    app.add_post_transform(QuestionsToGeneric)
    app.connect("config-inited", _configure)
    app.add_css_file("questions.css", priority=900)
    app.add_js_file("questions.js", priority=900, defer="defer")
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
