"""Show the package's own code inside a chapter.

A chapter teaches the code that the tests check, not a second copy of it:
``show_source(pagerank)`` renders the function's source as a highlighted
code block. The output is Markdown, so it renders the same in the built
book (myst-nb turns it into a code block) and in a running notebook
(Jupyter, Binder or Colab).
"""

from __future__ import annotations

import inspect
import textwrap
from typing import Any

from IPython.display import Markdown


def source(obj: Any, *, docstring: bool = False) -> str:
    """Return the source code of a function or class.

    Parameters
    ----------
    obj : function or class
        Anything :func:`inspect.getsource` accepts.
    docstring : bool
        Keep the docstring. By default it is dropped: the chapter around the
        code already says what the docstring says.
    """
    text = textwrap.dedent(inspect.getsource(obj))
    if not docstring and inspect.getdoc(obj):
        text = _drop_docstring(text)
    return text.rstrip() + "\n"


def _drop_docstring(text: str) -> str:
    """Remove the first triple-quoted string after the ``def``/``class`` line."""
    for quote in ('"""', "'''"):
        start = text.find(quote)
        if start == -1:
            continue
        end = text.find(quote, start + 3)
        if end == -1:
            continue
        line_start = text.rfind("\n", 0, start) + 1
        line_end = text.find("\n", end + 3)
        line_end = len(text) if line_end == -1 else line_end + 1
        return text[:line_start] + text[line_end:]
    return text


def show_source(obj: Any, *, docstring: bool = False) -> Markdown:
    """Display the source of ``obj`` as a highlighted Python code block."""
    return Markdown(f"```python\n{source(obj, docstring=docstring)}```")


def glue(name: str, value: Any, *, display: bool = False) -> None:
    """Make ``value`` available to the chapter's prose as ``{glue:}`name```.

    Inside the book build this is :func:`myst_nb.glue`. In a notebook
    launched on Binder or Colab, where myst-nb may be missing, the value is
    simply shown when ``display`` is true and otherwise ignored, so the
    notebook still runs top to bottom.
    """
    try:
        from myst_nb import glue as myst_glue
    except ImportError:  # a reader's notebook without the book's build stack
        if display:
            from IPython.display import display as show
            show(value)
        return
    myst_glue(name, value, display=display)
