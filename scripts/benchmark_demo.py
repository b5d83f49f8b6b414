"""Benchmark the README's first command, ``bash scripts/demo.sh``: its wall time, each step's
time and the peak memory of its processes.

    echo 19 > /proc/self/autogroup                      # only when run in the background
    python scripts/benchmark_demo.py --fresh --tag fresh   # a fresh clone: set-up from nothing
    python scripts/benchmark_demo.py --tag warm            # this checkout, its .venv reused

``--fresh`` clones this repository's HEAD (``git clone``: committed files only, no .venv,
build/ or data/) into ``build/bench_demo_<tag>/clone`` and runs the command there, so the
set-up step creates the virtual environment and installs every dependency (from the
package index this machine reaches; a pip cache makes it faster). Without it, the command
runs in this checkout, as a second run of the demo would (its build/ and data/demo are
replaced). ``SOP_*`` and ``DBT_*`` variables are removed from the command's environment, so
it runs with the defaults a newcomer gets.

Each output line is stamped with the seconds since the start; a step is the time from one
``== `` line (demo.sh's steps and the cycle runner's progress lines) to the next. Writes
``build/bench_demo_<tag>/demo.log`` (the stamped output) and ``result.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def steps(stamped: list[tuple[float, str]], end: float) -> list[dict]:
    """``[{"step", "start_s", "seconds"}]``: the output before the first ``== `` line is the
    step "set-up"; each ``== `` line starts a step that lasts until the next one (the last
    until ``end``)."""
    marks = [(0.0, "set-up")] + [(t, line[3:].split(" ... elapsed")[0]) for t, line in stamped
                                 if line.startswith("== ")]
    out = []
    for i, (t, what) in enumerate(marks):
        until = marks[i + 1][0] if i + 1 < len(marks) else end
        out.append({"step": what, "start_s": round(t, 1), "seconds": round(until - t, 1)})
    return out


def main(argv: list[str] | None = None) -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fresh", action="store_true", help="run in a fresh clone of HEAD (set-up included)")
    parser.add_argument("--tag", default="demo")
    parser.add_argument("--out", type=Path, default=None, help="work folder (default build/bench_demo_<tag>)")
    args = parser.parse_args(argv)

    work = (args.out or ROOT / "build" / f"bench_demo_{args.tag}").resolve()
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    if args.fresh:
        project = work / "clone"
        subprocess.run(["git", "clone", "--quiet", str(ROOT), str(project)], check=True)
    else:
        project = ROOT
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=project, capture_output=True,
                            text=True, check=True).stdout.strip()
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("SOP_", "DBT_")) and k not in ("VIRTUAL_ENV", "PYTHONPATH")}
    env["PATH"] = os.pathsep.join(p for p in env.get("PATH", "").split(os.pathsep) if "/.venv/" not in p + "/")

    stamped: list[tuple[float, str]] = []
    started = time.perf_counter()
    with (work / "demo.log").open("w", encoding="utf-8") as log:
        process = subprocess.Popen(["bash", "scripts/demo.sh"], cwd=project, env=env, stdout=subprocess.PIPE,
                                   stderr=subprocess.STDOUT, text=True, errors="replace")
        assert process.stdout is not None
        for line in process.stdout:
            t = time.perf_counter() - started
            stamped.append((t, line.rstrip("\n")))
            log.write(f"{t:8.1f} {line}")
        code = process.wait()
    wall = time.perf_counter() - started
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    result = {
        "tag": args.tag,
        "commit": commit,
        "fresh_clone": args.fresh,
        "exit_code": code,
        "wall_s": round(wall, 1),
        "after_setup_s": round(wall - next((s["seconds"] for s in steps(stamped, wall) if s["step"] == "set-up"), 0.0), 1),
        "peak_rss_mib": round(peak_kib / 1024),
        "steps": steps(stamped, wall),
        "load_average_after": os.getloadavg(),
    }
    (work / "result.json").write_text(json.dumps(result, indent=2))
    print(json.dumps(result, indent=2))
    if code != 0:
        raise SystemExit(f"bash scripts/demo.sh failed (exit {code}); see {work / 'demo.log'}")


if __name__ == "__main__":
    main()
