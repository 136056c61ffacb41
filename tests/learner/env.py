"""The learner's environment, made the way Binder makes it.

``python -m tests.learner.env`` creates ``_build/learner-env``: a fresh
virtual environment with only the learner requirements that the build
published for Binder (``_build/html/binder/requirements.txt``) and
ipykernel, at the lock's version. It is kept while its inputs are
unchanged, so the suite stays fast. mmlbook is *not* installed here: the
tests install it the two ways a learner does (the notebook's install cell,
or Binder's postBuild).

This step needs the package index; the tests that use the environment run
with no network at all (see the Makefile's ``test-learner``).
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
from pathlib import Path

from tests.book.chapters import BUILD, HTML, ROOT

ENV = BUILD / "learner-env"
PYTHON = ENV / "bin" / "python"
KERNEL = "mmlbook-learner"


def ipykernel_pin() -> str:
    for line in (ROOT / "binder" / "requirements.txt").read_text().splitlines():
        if line.lower().startswith("ipykernel=="):
            return line
    raise SystemExit("binder/requirements.txt pins no ipykernel")


def key() -> str:
    requirements = HTML / "binder" / "requirements.txt"
    if not requirements.is_file():
        raise SystemExit(f"{requirements.relative_to(ROOT)} is missing: run 'make book' first")
    digest = hashlib.sha256(requirements.read_bytes())
    digest.update(ipykernel_pin().encode())
    digest.update(sys.version.encode())
    return digest.hexdigest()


def make() -> None:
    stamp = ENV / ".key"
    if stamp.is_file() and stamp.read_text() == key() and PYTHON.is_file():
        print(f"learner environment up to date: {ENV.relative_to(ROOT)}")
        return
    shutil.rmtree(ENV, ignore_errors=True)
    base = getattr(sys, "_base_executable", sys.executable)
    subprocess.run([base, "-m", "venv", str(ENV)], check=True)
    pip = [str(PYTHON), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    subprocess.run([*pip, "-r", str(HTML / "binder" / "requirements.txt"), ipykernel_pin()], check=True)
    subprocess.run([str(PYTHON), "-m", "ipykernel", "install", "--prefix", str(ENV),
                    "--name", KERNEL, "--display-name", "mmlbook learner"], check=True,
                   stdout=subprocess.DEVNULL)
    stamp.write_text(key())
    print(f"learner environment made: {ENV.relative_to(ROOT)}")


if __name__ == "__main__":
    make()
