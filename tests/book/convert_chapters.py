"""Convert every chapter to a notebook in a scratch folder, for nbval.

Usage: ``python -m tests.book.convert_chapters OUTDIR``

The notebooks go into ``OUTDIR`` (under ``_build/``), never beside the
sources, where Sphinx would pick them up as extra documents.
"""

from __future__ import annotations

import sys
from pathlib import Path

import jupytext

from tests.book.chapters import ROOT, chapter_sources


def convert(outdir: Path) -> list[Path]:
    written = []
    for source in chapter_sources():
        notebook = jupytext.read(source)
        target = outdir / source.relative_to(ROOT).with_suffix(".ipynb")
        target.parent.mkdir(parents=True, exist_ok=True)
        jupytext.write(notebook, target)
        written.append(target)
    return written


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    written = convert(Path(argv[1]).resolve())
    if not written:
        print("no chapters found in _toc.yml", file=sys.stderr)
        return 1
    print(f"converted {len(written)} chapters into {argv[1]}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
