"""Build the book's own JupyterLite into ``_build/html/lite``.

Every chapter runs in the reader's browser, with no server: JupyterLite
(``jupyterlite-core``) with the Pyodide kernel (``jupyterlite-pyodide-kernel``),
both pinned in ``binder/requirements.txt``.

- **Contents**: every chapter's learner notebook (the file the download
  button gives, see ``learner_notebooks.py``) in its part folder, e.g.
  ``lite/files/book/linalg/pagerank.ipynb``.
- **mmlbook**: the wheel of this commit is bundled as a piplite wheel
  (``lite/pypi``), so the notebook's first cell installs it in the browser
  with ``piplite.install`` and no network beyond the site itself.
- **No stale copies**: contents and settings live in memory
  (``enableMemoryStorage``), so a reader always opens the chapter as
  published; the page tells them that downloading keeps their work.
- **Weight**: no source maps, only the Pyodide kernel's extension; Pyodide
  and its packages come from Pyodide's CDN at the version the kernel pins
  (see the README to serve them from the site).
- **Python cannot start**: when Pyodide cannot be downloaded (offline, a
  blocked CDN), ``jupyterlite/kernel-check.js``, added to the app's pages,
  says so in an alert with what to do instead, not a silent ``[*]``.
- **Cached**: the step runs only when its inputs (the notebooks, the wheel,
  the configuration, the versions) change; an unchanged rebuild skips it.

Each chapter page gets a "Run in the browser" launch button that opens
``lite/notebooks/index.html?path=<chapter>.ipynb``.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.util import logging

logger = logging.getLogger(__name__)

LITE = "lite"
APP = "notebooks"  # the Notebook 7 interface: one chapter, one page


def lite_config(app: Sphinx, contents: Path, wheel: Path, output: Path) -> dict[str, Any]:
    config_extra: dict[str, Any] = {}
    if app.config.jupyterlite_pyodide:
        # Serve Pyodide from the site: a local path or URL of a Pyodide
        # distribution archive, unpacked into lite/ at build time.
        config_extra["PyodideAddon"] = {"pyodide_url": app.config.jupyterlite_pyodide}
    kernel_extension = (Path(sys.prefix) / "share" / "jupyter" / "labextensions" / "@jupyterlite"
                        / "pyodide-kernel-extension")
    return {
        "LiteBuildConfig": {
            "contents": [str(contents)],
            "output_dir": str(output),
            "no_sourcemaps": True,
            "no_unused_shared_packages": True,
            "apps": ["lab", APP],
            # Only the Pyodide kernel's extension, not every lab extension
            # that happens to be installed in the build environment.
            "ignore_sys_prefix": ["federated_extensions"],
            "federated_extensions": [str(kernel_extension)],
        },
        "PipliteAddon": {"piplite_urls": [str(wheel)]},
        **config_extra,
    }


RUNTIME = {
    "jupyter-lite-schema-version": 0,
    "jupyter-config-data": {
        "appName": "Mathematics for Machine Learning",
        # Memory only: an edited chapter is never kept in the browser, so an
        # updated chapter can never hide behind an old copy.
        "enableMemoryStorage": True,
        "settingsStorageDrivers": ["memoryStorageDriver"],
        "contentsStorageDrivers": ["memoryStorageDriver"],
    },
}


def inputs_digest(notebooks: list[Path], root: Path, wheel: Path, config: dict) -> str:
    digest = hashlib.sha256()
    for path in notebooks:
        digest.update(str(path.relative_to(root)).encode())
        digest.update(path.read_bytes())
    digest.update(wheel.read_bytes())
    digest.update(json.dumps([config, RUNTIME], sort_keys=True, default=str).encode())
    for package in ("jupyterlite-core", "jupyterlite-pyodide-kernel"):
        digest.update(version(package).encode())
    digest.update(Path(__file__).read_bytes())
    digest.update(KERNEL_CHECK.read_bytes())
    return digest.hexdigest()


def build_lite(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    html = Path(app.outdir)
    sources = html / "_sources"
    notebooks = sorted(p for p in sources.rglob("*.ipynb"))
    wheels = sorted((html / "_static" / "wheels").glob("mmlbook-*.whl"))
    if not notebooks or len(wheels) != 1:
        raise RuntimeError("JupyterLite needs the learner notebooks and the mmlbook wheel; "
                           "is _ext/learner_notebooks.py enabled?")
    work = html.parent / "lite-build"
    output = html / LITE
    contents = work / "contents"
    config = lite_config(app, contents, wheels[0], output)
    stamp = output / ".inputs-sha256"
    digest = inputs_digest(notebooks, sources, wheels[0], config)
    if stamp.is_file() and stamp.read_text() == digest:
        logger.info("JupyterLite: inputs unchanged, kept %s", output.relative_to(html.parent))
        return
    logger.info("JupyterLite: building %s", output.relative_to(html.parent))
    shutil.rmtree(work, ignore_errors=True)
    shutil.rmtree(output, ignore_errors=True)
    for notebook in notebooks:
        target = contents / notebook.relative_to(sources)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(notebook, target)
    (work / "jupyter_lite_config.json").write_text(json.dumps(config, indent=2))
    (work / "jupyter-lite.json").write_text(json.dumps(RUNTIME, indent=2))
    result = subprocess.run([sys.executable, "-m", "jupyter", "lite", "build"], cwd=work,
                            capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"jupyter lite build failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    # The build leaves its bundler configuration beside the app; a site needs none of it.
    for leftover in output.glob("rspack.config*.js"):
        leftover.unlink()
    for sourcemap in output.rglob("*.map"):
        sourcemap.unlink()
    add_kernel_check(output)
    stamp.write_text(digest)


KERNEL_CHECK = Path(__file__).parent / "jupyterlite" / "kernel-check.js"


def pyodide_url(output: Path) -> str:
    """Where the Pyodide kernel loads Python from: the site's setting, or Pyodide's CDN."""
    from jupyterlite_pyodide_kernel.constants import PYODIDE_CDN_URL

    try:
        settings = json.loads((output / "jupyter-lite.json").read_text())["jupyter-config-data"]
        url = settings["litePluginSettings"]["@jupyterlite/pyodide-kernel-extension:kernel"]["pyodideUrl"]
    except (OSError, ValueError, KeyError):
        url = ""
    return url or f"{PYODIDE_CDN_URL}/pyodide.mjs"


def add_kernel_check(output: Path) -> None:
    """A message in the app when Python cannot be downloaded (kernel-check.js), not a silent [*]."""
    shutil.copy2(KERNEL_CHECK, output / "kernel-check.js")
    url = pyodide_url(output)
    for page in (output / APP / "index.html", output / "lab" / "index.html"):
        if page.is_file():
            text = page.read_text(encoding="utf-8")
            tag = f'<script src="../kernel-check.js" data-pyodide-url="{url}" defer></script>'
            page.write_text(text.replace("</body>", tag + "</body>", 1), encoding="utf-8")


def add_button(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree) -> None:
    """A "Run in the browser" launch button beside Binder and Colab."""
    if not context.get("ipynb_source"):
        return
    url = context["pathto"](f"{LITE}/{APP}/index.html", 1) + f"?path={pagename}.ipynb"
    for button in context.get("header_buttons", []):
        if button.get("label") == "launch-buttons":
            button["buttons"].append({
                "type": "link",
                "text": "Run in the browser",
                "tooltip": "Run this chapter in your browser (JupyterLite); download the notebook to keep your changes",
                "icon": "fas fa-play",
                "label": "launch-jupyterlite-button",
                "url": url,
            })


def setup(app: Sphinx) -> dict[str, Any]:
    # After the learner notebooks have been written (html-page-context) and
    # the build has finished.
    # Empty: Pyodide from its CDN at the version the kernel pins.
    app.add_config_value("jupyterlite_pyodide", "", "env")
    app.connect("html-page-context", add_button, priority=610)
    app.connect("build-finished", build_lite, priority=600)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
