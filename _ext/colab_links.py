"""Point every chapter's Colab button at a notebook that Colab can open.

Colab opens ``.ipynb`` files from GitHub, not MyST Markdown. The build
already writes each chapter's executed notebook to
``_build/html/_sources/<chapter>.ipynb`` (myst-nb), and publishing pushes
``_build/html`` to the ``gh-pages`` branch (see
``.github/workflows/book.yml``), so the notebook Colab should open is
``<repository>/blob/gh-pages/_sources/<chapter>.ipynb``.

This extension rewrites the Colab link that sphinx-book-theme built (which
points at the ``.md`` source) accordingly. The branch is the config value
``colab_branch``.
"""

from __future__ import annotations

from typing import Any

from sphinx.application import Sphinx


def rewrite_colab_link(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any],
                       doctree) -> None:
    for button in context.get("header_buttons", []):
        if button.get("label") != "launch-buttons":
            continue
        for launch in button.get("buttons", []):
            if launch.get("text") != "Colab":
                continue
            prefix = launch["url"].split("/blob/", 1)[0]
            launch["url"] = f"{prefix}/blob/{app.config.colab_branch}/_sources/{pagename}.ipynb"


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_config_value("colab_branch", "gh-pages", "html")
    # After sphinx-book-theme's own launch buttons (priority 501).
    app.connect("html-page-context", rewrite_colab_link, priority=600)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
