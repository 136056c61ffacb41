"""Chapters show the package's real source, and glue degrades gracefully."""

import inspect

from mmlbook.display import show_source, source
from mmlbook.linalg import pagerank


def test_source_is_the_function_without_its_docstring():
    text = source(pagerank)
    assert text.startswith("@checked(adjacency=")  # the declared checks, then the function
    assert "\ndef pagerank(" in text
    assert '"""' not in text
    assert "damping=number(low=0, high=1)" in text
    body = inspect.getsource(pagerank)
    assert text.splitlines()[-1] == body.rstrip().splitlines()[-1]


def test_source_keeps_docstring_when_asked():
    assert '"""' in source(pagerank, docstring=True)


def test_show_source_is_a_python_code_block():
    markdown = show_source(pagerank).data
    assert markdown.startswith("```python\n@checked(")
    assert markdown.endswith("```")
