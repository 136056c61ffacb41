"""Every learner notebook runs top to bottom where a learner runs it.

The environment is ``_build/learner-env`` (see ``tests/learner/env.py``):
only the published Binder requirements, no mmlbook until a learner's own
step installs it. ``make test-learner`` runs this module in a network
namespace of its own with nothing but the loopback interface, so nothing
here can reach the internet.

The tests run in order, as a learner's steps would:

1. the install cell, where mmlbook is missing, with the book served on
   127.0.0.1: it installs the published wheel and the chapter runs;
2. the install cell with no server: it stops with the clear error;
3. Binder's set-up (``binder/postBuild`` in the published site), then every
   chapter's notebook, top to bottom.
"""

from __future__ import annotations

import functools
import http.server
import os
import re
import shutil
import socket
import subprocess
import threading
from pathlib import Path

import nbclient
import nbformat
import pytest
from nbclient.exceptions import CellExecutionError

from tests.book.chapters import HTML, ROOT, chapter_sources
from tests.learner.env import ENV, KERNEL, PYTHON

CHAPTERS = [path.relative_to(ROOT).with_suffix("").as_posix() for path in chapter_sources()]

pytestmark = pytest.mark.skipif(not PYTHON.is_file(),
                                reason="no learner environment: run 'make test-learner'")


@pytest.fixture(scope="module", autouse=True)
def learner_kernel():
    """Notebooks run on the learner environment's Python, with no network."""
    old = os.environ.get("JUPYTER_PATH")
    os.environ["JUPYTER_PATH"] = str(ENV / "share" / "jupyter")
    yield
    if old is None:
        del os.environ["JUPYTER_PATH"]
    else:
        os.environ["JUPYTER_PATH"] = old


def offline() -> bool:
    try:
        socket.create_connection(("1.1.1.1", 443), timeout=2).close()
    except OSError:
        return True
    return False


def test_runs_without_network():
    if os.environ.get("CI") and not offline():
        pytest.fail("the learner notebooks must be tested with no network: run them through "
                    "'make test-learner', which gives them a network namespace of their own")


def mmlbook_installed() -> bool:
    # From another folder: in the project's root, the source tree itself would import.
    return subprocess.run([str(PYTHON), "-c", "import mmlbook"], capture_output=True,
                          cwd=ENV).returncode == 0


def uninstall_mmlbook() -> None:
    subprocess.run([str(PYTHON), "-m", "pip", "uninstall", "--quiet", "--yes", "mmlbook"],
                   check=True, capture_output=True, cwd=ENV)


def run(chapter: str, workdir: Path, env: dict[str, str] | None = None) -> nbformat.NotebookNode:
    notebook = nbformat.read(HTML / "_sources" / f"{chapter}.ipynb", as_version=4)
    saved = os.environ.copy()
    os.environ.update(env or {})
    try:
        client = nbclient.NotebookClient(notebook, kernel_name=KERNEL, timeout=300,
                                         resources={"metadata": {"path": str(workdir)}})
        client.execute()
    finally:
        os.environ.clear()
        os.environ.update(saved)
    return notebook


@pytest.fixture()
def site_server():
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(HTML))

    class Quiet(handler.func):  # type: ignore[name-defined]
        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(HTML)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_install_cell_installs_the_published_wheel(site_server, tmp_path):
    uninstall_mmlbook()
    assert not mmlbook_installed()
    chapter = "book/linalg/vectors"
    notebook = run(chapter, tmp_path, {"MMLBOOK_BOOK_URL": site_server, "PIP_NO_INDEX": "1"})
    assert mmlbook_installed(), "the install cell did not install mmlbook"
    first = next(cell for cell in notebook.cells if cell.cell_type == "code")
    assert any("mmlbook 0" in "".join(o.get("text", "")) for o in first.outputs), first.outputs


def test_install_cell_fails_loudly_without_the_site(tmp_path):
    uninstall_mmlbook()
    url = f"http://127.0.0.1:{closed_port()}/"
    # Colours forced, as some kernels do: the reason must still read as text.
    with pytest.raises(CellExecutionError) as error:
        run("book/linalg/vectors", tmp_path, {"MMLBOOK_BOOK_URL": url, "PIP_NO_INDEX": "1",
                                               "FORCE_COLOR": "1", "CLICOLOR_FORCE": "1"})
    message = str(error.value)
    assert "RuntimeError" in message and "Could not install mmlbook" in message, message
    reason = re.search(r"Could not install mmlbook [^\n]*?\.whl: ([^\n]*)", message)
    assert reason and reason.group(1).lower().startswith("error") and "\x1b" not in reason.group(1), message
    assert "pip install 'mmlbook[notebooks] @" in message, "the error must say what to run instead"
    assert "ModuleNotFoundError" not in message, "no cell after the install cell may run"


def test_binder_setup_installs_the_wheel(tmp_path):
    uninstall_mmlbook()
    site = tmp_path / "gh-pages"
    site.mkdir()
    shutil.copytree(HTML / "binder", site / "binder")
    shutil.copytree(HTML / "_static" / "wheels", site / "_static" / "wheels")
    env = {**os.environ, "PATH": f"{ENV / 'bin'}{os.pathsep}{os.environ['PATH']}", "PIP_NO_INDEX": "1"}
    subprocess.run(["bash", "binder/postBuild"], cwd=site, env=env, check=True, capture_output=True)
    assert mmlbook_installed()


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_learner_notebook_runs_top_to_bottom(chapter, tmp_path):
    if not mmlbook_installed():
        pytest.fail("mmlbook is not installed in the learner environment (the Binder set-up test failed)")
    notebook = run(chapter, tmp_path, {"PIP_NO_INDEX": "1"})
    errors = [o for cell in notebook.cells if cell.cell_type == "code"
              for o in cell.outputs if o.output_type == "error"]
    assert not errors


def test_slider_figure_is_a_live_widget_when_run(tmp_path):
    """Run in a kernel, after the notebook's set-up cells, a slider figure is
    an ipywidgets slider (the stored output is its static panel)."""
    if not mmlbook_installed():
        pytest.fail("mmlbook is not installed in the learner environment (the Binder set-up test failed)")
    notebook = run("book/linalg/eigenvalues", tmp_path, {"PIP_NO_INDEX": "1"})
    widgets = [o for cell in notebook.cells if cell.cell_type == "code" for o in cell.outputs
               if "application/vnd.jupyter.widget-view+json" in o.get("data", {})]
    assert widgets and all("image/png" in o["data"] for o in widgets)
