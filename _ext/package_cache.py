"""Re-execute the chapters when the package they import changes.

myst-nb's execution cache (jupyter-cache, ``_build/.jupyter_cache``) is keyed
on each chapter's own code, not on the ``mmlbook`` code that the chapter
imports, and Sphinx re-reads only the pages whose source changed. After an
edit to ``mmlbook/``, an unchanged chapter would keep outputs made by the
old package: an old ``show_source`` listing, an old number glued into the
prose, a learner notebook pinned to the old wheel. So the cache remembers a
hash of the package's files; when the package changes, the cache is emptied
before any chapter is read and every page is marked outdated, so every
chapter runs again with the package as it is now.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.util import logging

logger = logging.getLogger(__name__)
STAMP = "mmlbook-package.sha256"


def package_digest(root: Path) -> str:
    digest = hashlib.sha256((root / "pyproject.toml").read_bytes())  # the wheel's metadata too
    for path in sorted((root / "mmlbook").rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(str(path.relative_to(root)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def clear_stale_cache(app: Sphinx, config) -> None:
    cache = Path(config.nb_execution_cache_path or Path(app.outdir).parent / ".jupyter_cache")
    if not cache.is_absolute():
        cache = Path(app.confdir) / cache
    digest = package_digest(Path(app.confdir))
    stamp = cache / STAMP
    app.mmlbook_package_changed = not (stamp.is_file() and stamp.read_text() == digest)
    if not app.mmlbook_package_changed:
        return
    if cache.exists():
        logger.info("mmlbook changed since the chapters last ran: emptying %s", cache)
        shutil.rmtree(cache)
    cache.mkdir(parents=True, exist_ok=True)
    stamp.write_text(digest)


def all_pages_if_changed(app: Sphinx, env, added, changed, removed) -> list[str]:
    """Every page is outdated when the package changed (Sphinx re-reads them)."""
    return sorted(env.found_docs) if getattr(app, "mmlbook_package_changed", False) else []


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("config-inited", clear_stale_cache, priority=400)
    app.connect("env-get-outdated", all_pages_if_changed)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
