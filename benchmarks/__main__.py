"""Command line: ``python -m benchmarks [task ...] [--quick]``.

Runs the chosen tasks (default: every task except ``build``), prints the
table, and writes it as JSON (``_build/bench/results.json``) and as Markdown
(``_build/bench/results.md``). Results of tasks not run this time are kept
from the previous JSON, so the Markdown always holds the latest measurement of
every task (each with its date).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as _dt
import importlib
import json
import os
import platform
import sys
import textwrap
import time
import traceback
from pathlib import Path

from benchmarks import Row, Unavailable, fmt_seconds

ROOT = Path(__file__).resolve().parent.parent
OUT_DIR = ROOT / "_build" / "bench"

# (command-line name, module); the order of the table.
TASKS = [
    ("pagerank", "benchmarks.pagerank"),
    ("pca-mnist", "benchmarks.pca_mnist"),
    ("pca-wide", "benchmarks.pca_wide"),
    ("nls", "benchmarks.nonlinear"),
    ("teaching", "benchmarks.teaching"),
    ("build", "benchmarks.build"),
]
DEFAULT_EXCLUDED = {"build"}


def _environment() -> dict:
    env = {
        "python": platform.python_version(),
        "machine": platform.machine(),
        "system": platform.system(),
        "cpu_count": os.cpu_count(),
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
    }
    for name in ("numpy", "scipy", "sklearn", "networkx", "mmlbook"):
        try:
            env[name] = importlib.import_module(name).__version__
        except Exception:  # noqa: BLE001 - just not reported
            env[name] = None
    try:
        from threadpoolctl import threadpool_info

        env["blas"] = sorted({f"{i.get('internal_api')} {i.get('version')}, {i.get('num_threads')} threads"
                              for i in threadpool_info() if i.get("user_api") == "blas"})
    except Exception:  # noqa: BLE001
        pass
    return env


@contextlib.contextmanager
def _blas_limit(threads: int | None):
    """Limit the BLAS thread pools to ``threads`` (None: leave them alone)."""
    if not threads:
        yield
        return
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=threads, user_api="blas"):
        yield


def _yes_no(value) -> str:
    return "-" if value is None else ("yes" if value else "NO")


def _ratio(value) -> str:
    return "-" if value is None else f"{value:.2f}"


def _print_task(name: str, result: dict) -> None:
    print()
    print(f"== {name}: {result['title']}")
    if result["status"] != "ok":
        print(f"   {result['status']}: {result['message']}")
        return
    header = ("reference", "mmlbook", "reference", "ratio", "runs", "target", "met", "agree")
    case = None
    for row in result["rows"]:
        if row["case"] != case:
            case = row["case"]
            print(f"   -- {case}")
            print("   {:<52} {:>9} {:>9} {:>6} {:>4}  {:<16} {:<3} {:<5}".format(*header))
        print("   {:<52} {:>9} {:>9} {:>6} {:>4}  {:<16} {:<3} {:<5}".format(
            textwrap.shorten(row["reference"], 52), fmt_seconds(row["mmlbook_s"]),
            fmt_seconds(row["reference_s"]), _ratio(row["ratio"]), row["runs"] or "-",
            row["target"] or "-", _yes_no(row["met"]), _yes_no(row["agree"])))
        if row["detail"]:
            for line in textwrap.wrap(row["detail"], 100):
                print(f"        {line}")
        table = (row.get("extra") or {}).get("table")
        if table:
            cells = [[str(c) for c in table["columns"]]] + [["-" if c is None else str(c) for c in r]
                                                             for r in table["rows"]]
            widths = [max(len(r[i]) for r in cells) for i in range(len(cells[0]))]
            for r in cells:
                print("        " + "  ".join(c.ljust(w) for c, w in zip(r, widths)))


def _markdown(results: dict) -> str:
    env = results.get("environment", {})
    lines = [
        "| # | Task | Input | Reference | mmlbook | Reference | Ratio | Runs | Target | Met | Agree |",
        "|--:|---|---|---|--:|--:|--:|--:|---|---|---|",
    ]
    notes = []
    number = 0
    order = [name for name, _ in TASKS]
    for name in sorted(results["tasks"], key=lambda n: order.index(n) if n in order else 99):
        task = results["tasks"][name]
        if task["status"] != "ok":
            lines.append(f"| | {name} | {task['status']}: {task['message']} | | | | | | | | |")
            continue
        for row in task["rows"]:
            number += 1
            lines.append("| " + " | ".join([
                str(number), name, row["case"], row["reference"], fmt_seconds(row["mmlbook_s"]),
                fmt_seconds(row["reference_s"]), _ratio(row["ratio"]), str(row["runs"] or "-"),
                row["target"] or "-", _yes_no(row["met"]), _yes_no(row["agree"])]).replace("\n", " ")
                + " |")
            if row["detail"]:
                notes.append(f"- [{number}] {row['detail']}")
    subtables = []
    for name in sorted(results["tasks"], key=lambda n: order.index(n) if n in order else 99):
        task = results["tasks"][name]
        for row in task.get("rows", []):
            table = (row.get("extra") or {}).get("table")
            if not table:
                continue
            subtables += ["", f"**{name}**: {row['case']}", "",
                          "| " + " | ".join(table["columns"]) + " |",
                          "|" + "---|" * len(table["columns"])]
            subtables += ["| " + " | ".join("-" if c is None else str(c) for c in r) + " |"
                          for r in table["rows"]]
    blas = "; ".join(env.get("blas", [])) or "unknown BLAS"
    head = [
        f"Measured with `python -m benchmarks` on {env.get('cpu_count')} cores "
        f"({env.get('machine')}, {blas}), Python {env.get('python')}, numpy {env.get('numpy')}, "
        f"scipy {env.get('scipy')}, scikit-learn {env.get('sklearn')}, networkx {env.get('networkx')}.",
        "Times are medians of alternating runs (mmlbook, reference, mmlbook, ...); the ratio is the "
        "median of the per-pair ratios mmlbook / reference, so below 1 means mmlbook is faster. "
        "Runs = 1 means timed once.",
        "",
    ]
    dates = {name: t.get("measured", "") + (" (--quick)" if t.get("quick") else "")
               + (f", BLAS threads {t['blas_threads']}" if t.get("blas_threads") else "")
               + (f", load average {t['load_average_before']}" if "load_average_before" in t else "")
             for name, t in results["tasks"].items()}
    tail = ["", "Notes, by row:", "", *notes, *subtables, "",
            "Measured: " + "; ".join(f"{k} {v}" for k, v in dates.items()) + "."]
    return "\n".join(head + lines + tail) + "\n"


def main(argv: list[str] | None = None) -> int:
    names = [name for name, _ in TASKS]
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks",
        description="Time mmlbook against reference libraries on the same inputs.",
        epilog=f"Tasks: {', '.join(names)}. Default: all but {', '.join(sorted(DEFAULT_EXCLUDED))}; "
               "'all' runs every task.")
    parser.add_argument("tasks", nargs="*", metavar="task", help="tasks to run (default: all but build)")
    parser.add_argument("--quick", action="store_true", help="small inputs and fewer runs (a smoke test)")
    parser.add_argument("--blas-threads", type=int, default=None, metavar="N",
                        help="limit BLAS to N threads in every task (default: 1 for the small-matrix "
                             "tasks nls and teaching, the library default elsewhere)")
    parser.add_argument("--out", type=Path, default=OUT_DIR, help=f"output folder (default {OUT_DIR})")
    args = parser.parse_args(argv)

    wanted = [t.replace("_", "-") for t in args.tasks]
    if "all" in wanted:
        wanted = names
    elif not wanted:
        wanted = [n for n in names if n not in DEFAULT_EXCLUDED]
    unknown = [t for t in wanted if t not in names]
    if unknown:
        parser.error(f"unknown task(s) {', '.join(unknown)}; choose from {', '.join(names)} or all")

    out_json = args.out / "results.json"
    try:
        results = json.loads(out_json.read_text())
        results.setdefault("tasks", {})
    except (OSError, ValueError):
        results = {"tasks": {}}
    results["environment"] = _environment()

    load = os.getloadavg()[0]
    if load > (os.cpu_count() or 1) and not args.blas_threads:
        print(f"warning: the machine is busy (load average {load:.1f} on {os.cpu_count()} cores); "
              "multi-threaded BLAS times will be erratic: consider --blas-threads 1",
              file=sys.stderr)

    failed = False
    for name, module_name in TASKS:
        if name not in wanted:
            continue

        def log(message: str, _name=name) -> None:
            print(f"[{_name}] {message}", file=sys.stderr, flush=True)

        start = time.perf_counter()
        entry = {"title": name, "measured": _dt.datetime.now().isoformat(timespec="minutes"),
                 "quick": args.quick, "status": "ok", "message": "", "rows": []}
        try:
            module = importlib.import_module(module_name)
            entry["title"] = module.TITLE
            threads = args.blas_threads or getattr(module, "BLAS_THREADS", None)
            entry["blas_threads"] = threads or "default"
            entry["load_average_before"] = round(os.getloadavg()[0], 2)
            with _blas_limit(threads):
                rows: list[Row] = module.run(args.quick, log)
            entry["load_average_after"] = round(os.getloadavg()[0], 2)
            entry["rows"] = [r.as_dict() for r in rows]
        except Unavailable as exc:
            entry.update(status="not available", message=str(exc))
        except ImportError as exc:
            entry.update(status="not available", message=f"import failed: {exc}")
        except Exception as exc:  # noqa: BLE001 - one task's crash must not stop the others
            failed = True
            traceback.print_exc()
            entry.update(status="failed", message=f"{type(exc).__name__}: {exc}")
        entry["wall_s"] = round(time.perf_counter() - start, 1)
        results["tasks"][name] = entry
        _print_task(name, entry)
        # Save after every task, so a later crash or interruption keeps what was measured.
        args.out.mkdir(parents=True, exist_ok=True)
        out_json.write_text(json.dumps(results, indent=2))
        (args.out / "results.md").write_text(_markdown(results))

    print(f"\nWrote {out_json} and {args.out / 'results.md'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
