"""Every chapter runs again in the book's environment and gives the build's text outputs.

This is the one execution of the chapters in the book's environment besides
the build itself (``make test-chapters``). The build keeps every chapter's
outputs in its execution cache (``_build/.jupyter_cache``, jupyter-cache);
each chapter is run once more here, from its Markdown source, and

* every cell must run without error (the first error is reported with its
  cell and traceback),
* no cell, not even a hidden one, may write to stderr (warnings are errors),
* every text output (printed text, reprs, glued values) must match the
  cached one exactly.

Images are not compared: their bytes depend on the renderer, and what they
show comes from the same numbers. Chapters are independent, so
``pytest -n 2`` (pytest-xdist) runs two at a time.
"""

from __future__ import annotations

import json

import jupytext
import nbclient
import pytest
from jupyter_cache import get_cache
from nbclient.exceptions import CellExecutionError

from tests.book.chapters import BUILD, ROOT, chapter_sources

TEXT_TYPES = ("text/plain", "text/markdown", "text/latex", "text/html")


def text_outputs(notebook: dict) -> list[list]:
    """(kind, text) of every output of every code cell, in order."""
    cells = []
    for cell in notebook["cells"]:
        if cell["cell_type"] != "code":
            continue
        texts = []
        for output in cell.get("outputs", []):
            if output["output_type"] == "stream":
                # How printed text is split into chunks depends on timing (and
                # the build merges streams), so compare each stream's text as a whole.
                if texts and texts[-1][0] == output["name"]:
                    texts[-1] = (output["name"], texts[-1][1] + _join(output["text"]))
                else:
                    texts.append((output["name"], _join(output["text"])))
            elif output["output_type"] in ("execute_result", "display_data"):
                texts.extend((t, _join(output["data"][t])) for t in TEXT_TYPES if t in output["data"])
            elif output["output_type"] == "error":
                texts.append(("error", f"{output['ename']}: {output['evalue']}"))
        cells.append(texts)
    return cells


def _join(text) -> str:
    return "".join(text) if isinstance(text, list) else text


@pytest.mark.parametrize("source", chapter_sources(), ids=lambda p: str(p.relative_to(ROOT)))
def test_chapter_runs_and_gives_the_build_outputs(source):
    cache = get_cache(BUILD / ".jupyter_cache")
    try:
        _, built = cache.merge_match_into_notebook(jupytext.read(source))
    except KeyError:
        pytest.fail(f"{source.name} is not in the build's execution cache: run 'make book' first")
    expected = text_outputs(json.loads(jupytext.writes(built, fmt="ipynb")))

    notebook = jupytext.read(source)
    # The kernel inherits this process's environment (PYTHONHASHSEED from the Makefile).
    try:
        nbclient.NotebookClient(notebook, timeout=120, kernel_name="python3",
                                resources={"metadata": {"path": str(source.parent)}}).execute()
    except CellExecutionError as error:
        code = [cell for cell in notebook.cells if cell.cell_type == "code"]
        failed = next((i for i, cell in enumerate(code)
                       if any(o.get("output_type") == "error" for o in cell.get("outputs", []))), "?")
        pytest.fail(f"code cell {failed} of {source.name} raised an error:\n{error}", pytrace=False)
    again = text_outputs(json.loads(jupytext.writes(notebook, fmt="ipynb")))

    # Warnings are errors: no cell, not even a hidden one, may write to stderr.
    for i, outputs in enumerate(again):
        problems = [text for kind, text in outputs if kind in ("stderr", "error")]
        assert not problems, f"code cell {i} of {source.name} wrote to stderr:\n{problems[0]}"
    assert len(again) == len(expected), "the chapter's code cells changed since the build"
    for i, (a, b) in enumerate(zip(again, expected)):
        assert a == b, f"code cell {i} of {source.name} gave different output on a second run"
