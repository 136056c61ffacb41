"""The learner tests on a machine without network namespaces (macOS, locked-down Linux).

``tests/learner/offline.py`` falls back to the in-process guard when
``unshare`` cannot be used. Here the learner tests run again through it with
``unshare`` taken off ``PATH``: they must say which isolation they used,
pass (the install cell still reaches the site on 127.0.0.1), and a notebook
that tries an outside address must fail. With ``CI`` set, a missing
namespace is a failure unless the in-process guard is asked for by name.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.book.chapters import ROOT
from tests.learner.env import PYTHON

pytestmark = pytest.mark.skipif(not PYTHON.is_file(),
                                reason="no learner environment: run 'make test-learner'")

# The tests that show the isolation working, and that loopback still works:
# the isolation check, the outside address, the install cell against the site
# served on 127.0.0.1 (it runs a whole chapter), and without the site.
SELECTED = "runs_without_network or outside_address or install_cell"


def path_without(command: str, tmp_path: Path) -> str:
    """PATH with ``command`` removed: each folder that holds it is replaced by a
    folder of links to everything else in it."""
    folders = []
    for i, folder in enumerate(os.environ.get("PATH", "").split(os.pathsep)):
        if not folder or not (Path(folder) / command).exists():
            folders.append(folder)
            continue
        copy = tmp_path / f"path{i}"
        copy.mkdir()
        for entry in Path(folder).iterdir():
            if entry.name != command:
                (copy / entry.name).symlink_to(entry)
        folders.append(str(copy))
    return os.pathsep.join(folders)


def run_offline(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "tests.learner.offline", *args], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=900)


@pytest.fixture()
def no_unshare(tmp_path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("CI", "MMLBOOK_ISOLATION", "PYTEST_ADDOPTS", "PYTEST_XDIST_WORKER")}
    env["PATH"] = path_without("unshare", tmp_path)
    check = subprocess.run(["sh", "-c", "command -v unshare"], env=env, capture_output=True)
    assert check.returncode != 0, "unshare is still on PATH"
    return env


def test_learner_tests_pass_without_unshare(no_unshare):
    result = run_offline([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q",
                          "tests/learner/test_learner_notebooks_run.py", "-k", SELECTED],
                         no_unshare)
    output = result.stdout + result.stderr
    print(output.splitlines()[0] if output else "")
    assert "test-learner: network isolation: in-process" in output, output[-3000:]
    assert result.returncode == 0, output[-5000:]
    # Every selected test ran; none was skipped for want of isolation.
    summary = output.strip().splitlines()[-1]
    assert re.search(r"\d+ passed", summary) and not re.search(r"skipped|failed|error", summary), \
        output[-3000:]


def test_ci_wants_the_namespace(no_unshare):
    result = run_offline([sys.executable, "-c", "print('ran')"], {**no_unshare, "CI": "true"})
    assert result.returncode != 0 and "ran" not in result.stdout
    assert "no network namespace" in result.stderr and "MMLBOOK_ISOLATION=in-process" in result.stderr


def test_ci_may_ask_for_the_guard_by_name(no_unshare):
    env = {**no_unshare, "CI": "true", "MMLBOOK_ISOLATION": "in-process"}
    code = ("import socket\n"
            "try:\n    socket.create_connection(('192.0.2.1', 80), timeout=5)\n"
            "except OSError as e:\n    print('refused:', e)\n")
    result = run_offline([str(PYTHON), "-c", code], env)
    assert result.returncode == 0, result.stderr
    assert "network isolation: in-process" in result.stdout
    assert "refused: [Errno" in result.stdout and "in-process" in result.stdout.splitlines()[-1]
