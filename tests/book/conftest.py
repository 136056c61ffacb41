"""``make check`` runs the per-chapter site checks for the changed chapters only.

``tests/check.py`` sets ``MMLBOOK_CHECK_CHAPTERS`` to the toc names of the
chapters it checks (``book/linalg/vectors,...``). A test parametrized by one
chapter (its source, page, learner notebook or name) is then kept only for
those chapters; the book-wide tests, and the link and anchor check of every
page (an edited chapter can break a link into it), still run. Unset,
everything runs.
"""

from __future__ import annotations

import os

# Run for every page even in make check: a link into a changed chapter may break.
EVERY_PAGE = {"test_internal_links_and_anchors_resolve"}

from tests.book.chapters import ROOT, chapter_sources


def _forms(name: str) -> set[str]:
    """The ways a chapter appears in a test id."""
    return {name, f"{name}.md", f"{name}.html", f"{name}.ipynb", name.rsplit("/", 1)[-1]}


def pytest_collection_modifyitems(config, items):
    wanted = os.environ.get("MMLBOOK_CHECK_CHAPTERS")
    if wanted is None:
        return
    keep = {w.strip() for w in wanted.split(",") if w.strip()}
    chapter_of = {}
    for source in chapter_sources():
        name = source.relative_to(ROOT).with_suffix("").as_posix()
        for form in _forms(name):
            chapter_of.setdefault(form, name)
    selected, deselected = [], []
    for item in items:
        callspec = getattr(item, "callspec", None)
        chapter = chapter_of.get(callspec.id) if callspec else None
        if (chapter is not None and chapter not in keep and "tests/book/" in item.nodeid
                and item.originalname not in EVERY_PAGE):
            deselected.append(item)
        else:
            selected.append(item)
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = selected
