"""Every learner notebook runs top to bottom where a learner runs it.

The environment is ``_build/learner-env`` (see ``tests/learner/env.py``):
only the published Binder requirements, no mmlbook until a learner's own
step installs it. ``make test-learner`` runs this module with the network
cut off (``tests/learner/offline.py``): in a network namespace of its own
with nothing but the loopback interface where the system allows one, else
with every Python refusing connections beyond 127.0.0.1 and ::1. The first
tests check that the isolation is in place and that a notebook which tries to
reach an outside address fails.

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


ISOLATION = os.environ.get("MMLBOOK_ISOLATION", "")
# An address reserved for documentation (RFC 5737): never routed anywhere. The
# notebook below tries it only once the isolation is known to be in place.
OUTSIDE = "192.0.2.1"
ONLY_LOOPBACK = "import socket, sys; sys.exit({n for _, n in socket.if_nameindex()} != {'lo'})"
GUARDED = "import socket, sys; sys.exit(not getattr(socket, 'mmlbook_network_guard', False))"


def isolated() -> bool:
    """The network is cut off for the learner environment (checked without a packet)."""
    if ISOLATION == "namespace":
        code = ONLY_LOOPBACK
    elif ISOLATION == "in-process":
        code = GUARDED
    else:
        return False
    return subprocess.run([str(PYTHON), "-c", code], cwd=ENV).returncode == 0


def test_runs_without_network():
    if not isolated():
        message = ("the learner notebooks must be tested with no network: run them through "
                   "'make test-learner' (python -m tests.learner.offline), which cuts it off")
        if os.environ.get("CI") or ISOLATION:
            pytest.fail(message)
        pytest.skip(message)


# (code, the error it must raise): a connection by address, and a download by name.
OUTSIDE_CELLS = [
    (f"import socket\nsocket.create_connection(({OUTSIDE!r}, 80), timeout=5)", "OSError"),
    ("import urllib.request\nurllib.request.urlopen('https://pypi.org/simple/', timeout=5)",
     "URLError"),
]


def test_a_notebook_cannot_reach_an_outside_address(tmp_path):
    if not isolated():
        pytest.skip("not isolated (see test_runs_without_network): no outside address is tried")
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code)
                                               for code, _ in OUTSIDE_CELLS])
    nbclient.NotebookClient(notebook, kernel_name=KERNEL, timeout=60, allow_errors=True,
                            resources={"metadata": {"path": str(tmp_path)}}).execute()
    for cell, (_, expected) in zip(notebook.cells, OUTSIDE_CELLS):
        errors = [o for o in cell.outputs if o.output_type == "error"]
        assert errors, f"the learner kernel reached the network:\n{cell.source}"
        error = errors[0]
        assert error.ename == expected, f"{cell.source}\nraised {error.ename}: {error.evalue}"
        if ISOLATION == "in-process":
            assert "in-process" in error.evalue, f"not refused by the guard: {error.evalue}"
        else:
            assert "unreachable" in error.evalue or "name resolution" in error.evalue \
                or "not known" in error.evalue, error.evalue


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
