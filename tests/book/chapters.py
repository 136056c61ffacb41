"""The chapters of the book, read from ``_toc.yml``.

Shared by the chapter conversion and the site checks, so that "every
chapter" means the same list everywhere.
"""

from __future__ import annotations

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
BUILD = ROOT / "_build"
HTML = BUILD / "html"


def _entries(node) -> list[str]:
    files = []
    if isinstance(node, dict):
        if "file" in node:
            files.append(node["file"])
        for key in ("parts", "chapters", "sections"):
            for child in node.get(key, []) or []:
                files.extend(_entries(child))
    return files


def toc_files() -> list[str]:
    """Every document in the table of contents, root first, without suffix."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    return [toc["root"], *_entries(toc)]


def chapter_sources() -> list[Path]:
    """The executable chapters: documents in the toc with a jupytext header."""
    return [path for path in map(source_of, toc_files()) if _front_matter(path).get("kernelspec")]


def source_of(name: str) -> Path:
    """The Markdown source of a toc entry."""
    return ROOT / f"{name}.md"


def _front_matter(path: Path) -> dict:
    text = path.read_text()
    if not text.startswith("---"):
        return {}
    return yaml.safe_load(text.split("---", 2)[1]) or {}
