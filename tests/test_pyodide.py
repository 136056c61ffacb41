"""mmlbook imports under the limits of Pyodide (the browser's Python).

Pyodide cannot start threads or processes and has no sockets, and it leaves
some standard-library modules out. Importing any mmlbook module must need
none of them: each module is imported in a fresh interpreter where starting
a thread, a process or a socket raises, and the modules it loaded are
checked against those Pyodide leaves out.
"""

from __future__ import annotations

import json
import pkgutil
import subprocess
import sys

import pytest

import mmlbook

MODULES = sorted(m.name for m in pkgutil.walk_packages(mmlbook.__path__, "mmlbook."))

# Removed from Pyodide's standard library (its documentation, "Python
# standard library"): an import of these
# fails there. (multiprocessing imports, scikit-learn needs it, but cannot start a process.)
PYODIDE_LACKS = {
    "curses", "dbm", "ensurepip", "idlelib", "lib2to3", "tkinter", "turtle", "turtledemo",
    "venv", "msvcrt", "winreg", "winsound", "_winapi",
    "readline",
}

PROBE = r"""
import json, socket, subprocess, sys, threading

def refuse(what):
    def fail(*args, **kwargs):
        raise RuntimeError(f"{what} is not available under Pyodide")
    return fail

threading.Thread.start = refuse("starting a thread")
subprocess.Popen.__init__ = refuse("starting a process")
socket.socket.__init__ = refuse("opening a socket")
before = set(sys.modules)
import importlib
importlib.import_module(sys.argv[1])
print(json.dumps(sorted(set(sys.modules) - before)))
"""


@pytest.mark.parametrize("module", MODULES)
def test_imports_without_threads_processes_or_sockets(module, tmp_path):
    result = subprocess.run([sys.executable, "-c", PROBE, module], capture_output=True,
                            text=True, cwd=tmp_path,
                            env={"PYTHONPATH": str(__import__("pathlib").Path(mmlbook.__file__).parents[1]),
                                 "MPLBACKEND": "Agg", "PATH": ""})
    assert result.returncode == 0, f"importing {module}:\n{result.stderr[-2000:]}"
    loaded = {name.split(".")[0] for name in json.loads(result.stdout.splitlines()[-1])}
    assert not loaded & PYODIDE_LACKS, f"{module} imports {sorted(loaded & PYODIDE_LACKS)}"
