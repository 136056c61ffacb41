"""Run a command with the network cut off: how ``make test-learner`` runs its tests.

Usage: ``python -m tests.learner.offline COMMAND [ARG...]``

Two ways, the first that works here:

``namespace``
    A network namespace of the command's own, with only the loopback
    interface (``unshare --net --map-root-user``, then ``ip link set lo up``).
    Nothing the command starts, in any language, can reach the network.
    Needs Linux, ``unshare`` (util-linux), ``ip`` (iproute2) and root or
    unprivileged user namespaces.
``in-process``
    ``tests/learner/nonet`` goes first on ``PYTHONPATH``: its
    ``sitecustomize`` refuses every socket connection except to 127.0.0.1
    and ::1 in every Python the command starts (the tests, the learner
    kernels, pip). Works everywhere, covers Python's sockets only.

``MMLBOOK_ISOLATION=namespace`` or ``in-process`` picks one and fails if it
cannot be had. Otherwise the namespace is tried first; with ``CI`` set, the
namespace is required (a CI machine that cannot have one opts in to the
in-process guard with ``MMLBOOK_ISOLATION=in-process``), so that a green CI
run means what it meant before. One line says which isolation was used,
and the command sees it in ``MMLBOOK_ISOLATION``.

Before the command runs, the isolation is checked without sending a packet:
in the namespace, the only network interface is ``lo``; in process, the guard
is installed in the learner environment's Python.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

NONET = Path(__file__).resolve().parent / "nonet"
KINDS = ("namespace", "in-process")
# In the namespace the loopback interface starts down; bring it up, then run
# the command in place of the shell.
_UP_AND_EXEC = 'ip link set lo up && exec "$0" "$@"'
_ONLY_LOOPBACK = "import socket, sys; sys.exit({n for _, n in socket.if_nameindex()} != {'lo'})"
_GUARDED = "import socket, sys; sys.exit(not getattr(socket, 'mmlbook_network_guard', False))"


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def namespace_prefix() -> tuple[list[str] | None, str]:
    """The command prefix that enters a fresh network namespace, or why there is none."""
    unshare = shutil.which("unshare")
    if unshare is None:
        return None, "no 'unshare' command on PATH"
    if shutil.which("ip") is None:
        return None, "no 'ip' command on PATH (iproute2)"
    prefix = [unshare, "--net", "--map-root-user", "sh", "-c", _UP_AND_EXEC]
    probe = subprocess.run([*prefix, sys.executable, "-c", _ONLY_LOOPBACK],
                           capture_output=True, text=True)
    if probe.returncode != 0:
        why = (probe.stderr.strip().splitlines() or ["the loopback check failed"])[-1]
        return None, f"'unshare --net --map-root-user' does not work here ({why})"
    return prefix, ""


def learner_python() -> str:
    """The learner environment's Python if it exists (what the guard must reach), else ours."""
    from tests.learner.env import PYTHON

    return str(PYTHON) if PYTHON.is_file() else sys.executable


def in_process_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(NONET), env.get("PYTHONPATH")]))
    return env


def choose() -> tuple[str, list[str], dict[str, str], str]:
    """(kind, command prefix, environment, why not the namespace)."""
    wanted = os.environ.get("MMLBOOK_ISOLATION", "").strip()
    if wanted and wanted not in KINDS:
        raise SystemExit(f"MMLBOOK_ISOLATION={wanted!r}: use one of {', '.join(KINDS)}")
    if wanted != "in-process":
        prefix, why = namespace_prefix()
        if prefix is not None:
            return "namespace", prefix, dict(os.environ), ""
        if wanted == "namespace" or in_ci():
            reason = "MMLBOOK_ISOLATION=namespace" if wanted else "CI is set"
            raise SystemExit(
                f"test-learner: no network namespace ({why}), and {reason}, so the in-process "
                "guard is not enough. Run as root or with unprivileged user namespaces, or set "
                "MMLBOOK_ISOLATION=in-process to accept the in-process guard.")
        return "in-process", [], in_process_env(), f"no network namespace: {why}"
    return "in-process", [], in_process_env(), "asked for with MMLBOOK_ISOLATION=in-process"


def verify(kind: str, prefix: list[str], env: dict[str, str]) -> None:
    """Check that the isolation is in place, without sending a packet anywhere."""
    if kind == "namespace":
        check = subprocess.run([*prefix, sys.executable, "-c", _ONLY_LOOPBACK], env=env)
        what = "the namespace has a network interface besides lo"
    else:
        check = subprocess.run([learner_python(), "-c", _GUARDED], env=env, cwd=NONET.parent)
        what = "the in-process guard (tests/learner/nonet/sitecustomize.py) did not load"
    if check.returncode != 0:
        raise SystemExit(f"test-learner: no network isolation: {what}")


DESCRIPTION = {
    "namespace": "a network namespace with only the loopback interface (unshare --net)",
    "in-process": "in-process: every Python refuses socket connections except to 127.0.0.1 "
                  "and ::1 (tests/learner/nonet/sitecustomize.py)",
}


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__, file=sys.stderr)
        return 2
    kind, prefix, env, why = choose()
    verify(kind, prefix, env)
    env["MMLBOOK_ISOLATION"] = kind
    note = f" ({why})" if why else ""
    print(f"test-learner: network isolation: {DESCRIPTION[kind]}{note}", flush=True)
    return subprocess.run([*prefix, *argv], env=env).returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
