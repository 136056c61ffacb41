"""The book build: clean build, rebuilds, and every chapter's execution time.

The repository is copied (without ``.venv``, ``_build``, ``.git`` and caches)
into a scratch folder, and the strict build that ``make book`` runs,
``jupyter-book build . --warningiserror --nitpick --keep-going``, is timed
there four times, with the environment ``make`` sets (``PYTHONHASHSEED=0``,
``MMLBOOK_OFFLINE=1``) and the copy's ``mmlbook`` first on ``PYTHONPATH``:

1. a clean build (nothing cached: every chapter executes);
2. an unchanged rebuild (nothing should execute);
3. a rebuild after appending a blank line to one chapter (the prose changes,
   not the code, so the chapter is re-read but its notebook comes from the
   cache);
4. a rebuild after appending a code cell to the same chapter, which makes
   jupyter-cache re-execute that chapter alone.

The edited chapter is the one that executes longest. Each chapter's execution
time is read from the jupyter-cache database (``_build/.jupyter_cache``),
where myst-nb stores it with every cached notebook.

Targets, for a 2-core machine: clean build <= 5 min, unchanged rebuild
<= 15 s, one edited chapter <= 60 s, no chapter executing for more than 30 s.
Agree, for this task, means the build succeeded (exit status 0).
Run it with ``python -m benchmarks build``; it is not part of the default run.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks import Row, Unavailable

NAME = "build"
TITLE = "The book build: clean, unchanged, one chapter edited; chapter execution times"

ROOT = Path(__file__).resolve().parent.parent
LOG_DIR = ROOT / "_build" / "bench"
IGNORE = (".venv", "_build", ".git", ".pytest_cache", ".hypothesis", "__pycache__", "*.egg-info",
          ".ipynb_checkpoints", "artifacts", ".test-notebooks")
LIMITS = {"clean": 300.0, "unchanged": 15.0, "edited": 60.0, "chapter": 30.0}
TIMEOUT = 1800  # seconds, per build
FLAGS = ["--warningiserror", "--nitpick", "--keep-going"]


def _jupyter_book() -> Path:
    exe = Path(sys.executable).parent / "jupyter-book"
    if not exe.exists():
        found = shutil.which("jupyter-book")
        if not found:
            raise Unavailable("jupyter-book is not installed (run `make venv` first)")
        exe = Path(found)
    return exe


def _build(book: Path, label: str, log) -> dict:
    """Run one build in ``book``; return its time, exit status and log facts."""
    env = dict(os.environ)
    bin_dir = str(Path(sys.executable).parent)
    env.update(PATH=bin_dir + os.pathsep + env.get("PATH", ""), PYTHONHASHSEED="0",
               PYDEVD_DISABLE_FILE_VALIDATION="1", MMLBOOK_OFFLINE="1",
               PYTHONPATH=str(book) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else ""))
    log_path = LOG_DIR / f"build-{label}.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    log(f"{label} build ... (log: {log_path})")
    start = time.perf_counter()
    with open(log_path, "w") as out:
        try:
            proc = subprocess.run([str(_jupyter_book()), "build", ".", *FLAGS], cwd=book, env=env,
                                  stdout=out, stderr=subprocess.STDOUT, timeout=TIMEOUT)
            status = proc.returncode
        except subprocess.TimeoutExpired:
            status = "timeout"
    seconds = time.perf_counter() - start
    text = log_path.read_text(errors="replace")
    executed = [float(s) for s in re.findall(r"Executed notebook in ([0-9.]+) seconds", text)]
    # Sphinx's warnings and errors; not the kernel's own chatter ("[IPKernelApp] WARNING | ...").
    problems = [line.strip() for line in text.splitlines()
                if re.search(r"WARNING|ERROR|Traceback|Exception occurred", line)
                and "[IPKernelApp]" not in line]
    return {"seconds": seconds, "status": status, "executed": executed,
            "cached": len(re.findall(r"Using cached notebook", text)), "problems": problems,
            "log": str(log_path.relative_to(ROOT))}


def _chapter_times(book: Path) -> dict[str, float]:
    """Execution seconds of every cached notebook, by path relative to the book."""
    cache_dir = book / "_build" / ".jupyter_cache"
    if not cache_dir.exists():
        return {}
    from jupyter_cache import get_cache

    times = {}
    for record in get_cache(str(cache_dir)).list_cache_records():
        seconds = (record.data or {}).get("execution_seconds")
        if seconds is None:
            continue
        try:
            uri = str(Path(record.uri).resolve().relative_to(book.resolve()))
        except ValueError:
            uri = record.uri
        times[uri] = float(seconds)
    return times


def _row(case: str, kind: str, result: dict, detail: str) -> Row:
    limit = LIMITS[kind]
    ok = result["status"] == 0
    detail = (f"exit status {result['status']}; {len(result['executed'])} notebooks executed, "
              f"{result['cached']} from the cache; {detail}log: {result['log']}")
    if result["problems"]:
        detail += f"; first problem: {result['problems'][0][:200]}"
    return Row(NAME, case, f"limit {limit:g} s", result["seconds"], limit, result["seconds"] / limit, 1,
               target=f"<= {limit:g} s", met=result["seconds"] <= limit, agree=ok, detail=detail)


def run(quick: bool, log) -> list[Row]:
    _jupyter_book()
    try:
        import jupyter_cache  # noqa: F401
    except ImportError as exc:
        raise Unavailable(f"jupyter-cache: {exc}") from None
    scratch = Path(tempfile.mkdtemp(prefix="mmlbook-bench-build-"))
    book = scratch / "book"
    try:
        shutil.copytree(ROOT, book, ignore=shutil.ignore_patterns(*IGNORE), symlinks=True)
        n_chapters = len(re.findall(r"^\s*-?\s*file:", (book / "_toc.yml").read_text(), flags=re.M)) + 1
        rows = []

        clean = _build(book, "clean", log)
        rows.append(_row(f"clean build of a fresh copy ({n_chapters} pages in _toc.yml)", "clean", clean, ""))
        times = _chapter_times(book)
        if not times and clean["executed"]:
            log("no execution times in the jupyter-cache database; using the log lines")
            times = {f"notebook {i + 1} (from the log)": s for i, s in enumerate(clean["executed"])}

        unchanged = _build(book, "unchanged", log)
        rows.append(_row("unchanged rebuild", "unchanged", unchanged, ""))

        if times:
            slowest = max(times, key=times.get)
            chapter = book / slowest
        else:
            chapter = book / "book" / "linalg" / "pagerank.md"
            slowest = str(chapter.relative_to(book))
        if chapter.suffix == ".md" and chapter.exists():
            with open(chapter, "a") as fh:
                fh.write("\n")
            prose = _build(book, "edited-prose", log)
            rows.append(_row(f"rebuild after appending a blank line to {slowest}", "edited", prose,
                             "prose only, so its notebook should come from the cache; "))
            with open(chapter, "a") as fh:
                fh.write("\n```{code-cell} ipython3\n# an edit by the benchmark\n```\n")
            code = _build(book, "edited-code", log)
            rows.append(_row(f"rebuild after appending a code cell to {slowest}", "edited", code,
                             "re-executes that chapter; "))

        if times:
            worst = max(times.values())
            table = [[uri, round(s, 2), "yes" if s <= LIMITS["chapter"] else "NO"]
                     for uri, s in sorted(times.items(), key=lambda kv: -kv[1])]
            over = [uri for uri, s in times.items() if s > LIMITS["chapter"]]
            rows.append(Row(NAME, f"execution time of each of the {len(times)} executed chapters",
                            f"limit {LIMITS['chapter']:g} s", worst, LIMITS["chapter"],
                            worst / LIMITS["chapter"], 1, target=f"every chapter <= {LIMITS['chapter']:g} s",
                            met=not over, agree=None,
                            detail=(f"slowest: {max(times, key=times.get)} ({worst:.1f} s); total "
                                    f"{sum(times.values()):.1f} s"
                                    + (f"; over the limit: {', '.join(over)}" if over else "")
                                    + "; read from the jupyter-cache database of the clean build"),
                            extra={"table": {"columns": ["chapter", "execution (s)", "<= 30 s"],
                                             "rows": table}}))
        return rows
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
