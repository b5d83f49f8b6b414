"""The nightly build: ``dbt build``, or nothing at all when nothing it reads has changed.

    python -m sop_analytics.nightly                  # dbt build, unless the published build is current
    python -m sop_analytics.nightly --explain        # say what changed since the published build; build nothing
    python -m sop_analytics.nightly --force          # dbt build whatever the inputs
    python -m sop_analytics.nightly -- --vars '{publish_keep: 5}'   # arguments for dbt build

Everything a build's marts depend on is hashed before it starts (:func:`build_inputs`):

- every file of the landing folder (``SOP_LANDING_DIR``), path and content (SHA-256; a file
  touched but not changed is unchanged);
- the dbt project's files (``dbt_project.yml``, the profile, models, Python models, macros,
  seeds, dbt tests, analyses, docs) and the ``sop_analytics`` package's source;
- the installed Python packages and their versions (dbt, DuckDB, statsforecast, ...);
- every ``SOP_*`` and ``DBT_*`` environment variable (the landing folder, the database, the
  cycle, the calendar, ...) and the arguments given to ``dbt build``.

After a build that published, those inputs are written next to it, in
``<publish_dir>/<build_id>/inputs.json``. The next nightly build is skipped (exit 0, one line
saying which published build is current and why) only when all of these hold:

1. ``CURRENT`` names a published build that has an ``inputs.json``;
2. those inputs are exactly today's;
3. the last dbt command that ran into the work database (the hook ``mark_work_run`` records
   every ``run``, ``build``, ``seed``, ``snapshot`` and ``test`` in ``_sop_runs.last_run``;
   ``dbt docs generate`` builds nothing and is not recorded) is the one that made that
   published build, so no later command, failed or selective, changed the work database
   since.

Otherwise it runs ``dbt build`` and says what changed. A skipped build leaves the published
build, the work database and the archives exactly as they were: the same inputs give the
same marts, bit for bit, so there is nothing to redo. Anything the check cannot see (a change
made by hand inside the database, a file outside the project that a model reads) is what
``--force`` is for.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from importlib import metadata
from pathlib import Path

import duckdb

from .published import PublishedBuild, current

__all__ = ["INPUTS_FILE", "build_inputs", "changed_inputs", "last_work_run", "main", "nightly"]

INPUTS_FILE = "inputs.json"
PROJECT_PARTS = ("dbt_project.yml", "packages.yml", "selectors.yml", "models", "python_models",
                 "macros", "seeds", "tests", "analyses", "docs")
SKIPPED_PARTS = ("tests/python",)  # pytest, not read by dbt
ENV_PREFIXES = ("SOP_", "DBT_")
_CHUNK = 1 << 20


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(_CHUNK), b""):
            digest.update(block)
    return digest.hexdigest()


def _files(folder: Path, skipped: Sequence[str] = ()) -> list[Path]:
    """The files under ``folder`` (relative, sorted), without caches and the ``skipped`` ones."""
    out = []
    for path in folder.rglob("*"):
        relative = path.relative_to(folder)
        if not path.is_file() or "__pycache__" in relative.parts or path.suffix == ".pyc":
            continue
        if any(relative.as_posix() == s or relative.as_posix().startswith(s + "/") for s in skipped):
            continue
        out.append(relative)
    return sorted(out, key=lambda p: p.as_posix())


def _tree_hashes(folder: Path, skipped: Sequence[str] = ()) -> dict[str, str]:
    return {path.as_posix(): _sha256(folder / path) for path in _files(folder, skipped)}


def _project_hashes(project_dir: Path, profiles_dir: Path) -> dict[str, str]:
    out = {}
    for part in PROJECT_PARTS:
        source = project_dir / part
        if source.is_file():
            out[part] = _sha256(source)
        elif source.is_dir():
            for relative in _files(source):
                name = f"{part}/{relative.as_posix()}"
                if not any(name == s or name.startswith(s + "/") for s in SKIPPED_PARTS):
                    out[name] = _sha256(source / relative)
    profile = profiles_dir / "profiles.yml"
    if profile.is_file():
        out["<profiles-dir>/profiles.yml"] = _sha256(profile)
    package = Path(__file__).resolve().parent
    for relative in _files(package):
        out[f"<sop_analytics>/{relative.as_posix()}"] = _sha256(package / relative)
    return out


def _packages() -> str:
    """SHA-256 of every installed distribution's name and version."""
    names = sorted({f"{(d.metadata['Name'] or '').lower()}=={d.version}" for d in metadata.distributions()})
    return hashlib.sha256("\n".join(names).encode()).hexdigest()


def _resolved(value: str, project_dir: Path) -> Path:
    path = Path(value)
    return path if path.is_absolute() else project_dir / path


def build_inputs(project_dir: Path, env: Mapping[str, str], dbt_args: Sequence[str] = (),
                 profiles_dir: Path | None = None) -> dict:
    """Everything a ``dbt build`` of ``project_dir`` with ``env`` and ``dbt_args`` reads (see the
    module): per part, the files and their SHA-256, the settings and the packages."""
    project_dir = Path(project_dir).resolve()
    landing = _resolved(env.get("SOP_LANDING_DIR", "data/demo/landing"), project_dir)
    return {
        "landing_dir": str(landing),
        "landing": _tree_hashes(landing) if landing.is_dir() else {},
        "project": _project_hashes(project_dir, Path(profiles_dir or project_dir).resolve()),
        "packages": _packages(),
        "python": sys.version.split()[0],
        "environment": {k: env[k] for k in sorted(env) if k.startswith(ENV_PREFIXES)},
        "dbt_args": list(dbt_args),
    }


def changed_inputs(before: Mapping, now: Mapping) -> list[str]:
    """What differs between two :func:`build_inputs`, one line each (empty: nothing)."""
    lines = []
    for part in ("landing", "project"):
        old, new = before.get(part) or {}, now.get(part) or {}
        for name in sorted(set(old) | set(new)):
            if name not in old:
                lines.append(f"{part}: {name} added")
            elif name not in new:
                lines.append(f"{part}: {name} removed")
            elif old[name] != new[name]:
                lines.append(f"{part}: {name} changed")
    for key in ("landing_dir", "packages", "python", "dbt_args"):
        if before.get(key) != now.get(key):
            lines.append(f"{key}: {before.get(key)!r} -> {now.get(key)!r}")
    old_env, new_env = before.get("environment") or {}, now.get("environment") or {}
    for name in sorted(set(old_env) | set(new_env)):
        if old_env.get(name) != new_env.get(name):
            lines.append(f"environment: {name} {old_env.get(name)!r} -> {new_env.get(name)!r}")
    return lines


def last_work_run(database: Path) -> str | None:
    """The invocation id of the last dbt command that ran into ``database`` (``_sop_runs.last_run``),
    or None when it cannot be read (no database, no record, the database held by a build)."""
    if not database.is_file():
        return None
    try:
        con = duckdb.connect(str(database), read_only=True)
    except duckdb.Error:
        return None
    try:
        rows = con.sql("select invocation_id from _sop_runs.last_run").fetchall()
    except duckdb.Error:
        return None
    finally:
        con.close()
    return rows[0][0] if rows else None


def _published(env: Mapping[str, str], project_dir: Path) -> PublishedBuild | None:
    try:
        return current(_resolved(env.get("SOP_PUBLISH_DIR", "build/published"), project_dir))
    except (FileNotFoundError, OSError):
        return None


def why_build(project_dir: Path, env: Mapping[str, str], inputs: Mapping) -> list[str]:
    """Why a build is needed (empty: the published build is current for ``inputs``)."""
    build = _published(env, project_dir)
    if build is None:
        return ["nothing published yet"]
    recorded = build.folder / INPUTS_FILE
    if not recorded.is_file():
        return [f"published build {build.build_id} has no {INPUTS_FILE} (not made by the nightly build)"]
    changed = changed_inputs(json.loads(recorded.read_text(encoding="utf-8")), inputs)
    if changed:
        return changed
    database = _resolved(env.get("SOP_DUCKDB_PATH", "build/sop.duckdb"), project_dir)
    made_by = build.manifest.get("invocation_id")
    last = last_work_run(database)
    if last is None or last != made_by:
        return [f"the work database {database} was written by another dbt command ({last}) after published build "
                f"{build.build_id} ({made_by})"]
    return []


def _say(line: str) -> None:
    print(line, flush=True)


def nightly(project_dir: Path, env: Mapping[str, str], dbt_args: Sequence[str] = (), *, force: bool = False,
            explain: bool = False, profiles_dir: Path | None = None, out=_say) -> int:
    """Run ``dbt build`` unless the published build is current (see the module); the exit code."""
    started = time.perf_counter()
    project_dir = Path(project_dir).resolve()
    profiles_dir = Path(profiles_dir or project_dir).resolve()
    inputs = build_inputs(project_dir, env, dbt_args, profiles_dir)
    reasons = ["--force"] if force else why_build(project_dir, env, inputs)
    published = _published(env, project_dir)
    if not reasons:
        out(f"nightly: nothing changed since published build {published.build_id} ({len(inputs['landing'])} "
            f"landing files, {len(inputs['project'])} project files, the settings and packages all the same); "
            f"not rebuilt (checked in {time.perf_counter() - started:.1f}s; --force rebuilds)")
        return 0
    out(f"nightly: a build is needed ({len(reasons)} reason(s)):")
    for line in reasons[:20]:
        out(f"  {line}")
    if len(reasons) > 20:
        out(f"  ... and {len(reasons) - 20} more")
    if explain:
        return 0
    command = [str(Path(sys.executable).parent / "dbt"), "build", *dbt_args,
               "--profiles-dir", str(profiles_dir), "--project-dir", str(project_dir)]
    done = subprocess.run(command, cwd=project_dir, env=dict(env))
    if done.returncode != 0:
        return done.returncode
    after = _published(env, project_dir)
    database = _resolved(env.get("SOP_DUCKDB_PATH", "build/sop.duckdb"), project_dir)
    if after is not None and (published is None or after.build_id != published.build_id) \
            and after.manifest.get("invocation_id") == last_work_run(database):
        (after.folder / INPUTS_FILE).write_text(json.dumps(inputs, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        out(f"nightly: published build {after.build_id}; its inputs are in {after.folder / INPUTS_FILE}")
    else:
        out("nightly: the build passed but published nothing new (a selection without publish: true?); "
            "the next nightly build will build again")
    return 0


def main(argv: list[str] | None = None) -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(prog="python -m sop_analytics.nightly", description=__doc__.splitlines()[0])
    parser.add_argument("--project-dir", type=Path, default=Path.cwd())
    parser.add_argument("--profiles-dir", type=Path, default=None, help="default: the project folder")
    parser.add_argument("--force", action="store_true", help="build even when nothing changed")
    parser.add_argument("--explain", action="store_true", help="say whether and why a build is needed; build nothing")
    parser.add_argument("dbt_args", nargs="*", help="after --: arguments for dbt build")
    args = parser.parse_args(argv)
    sys.exit(nightly(args.project_dir, os.environ, args.dbt_args, force=args.force, explain=args.explain,
                     profiles_dir=args.profiles_dir))


if __name__ == "__main__":
    main()
