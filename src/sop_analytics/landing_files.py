"""File-level checks of the landing contract that SQL cannot make on its own, called by the
landing hook (``macros/landing/land_sources.sql``) through the dbt-duckdb plugin
``sop_analytics.dbt_plugin``:

- ``probe``: what the landing folder holds for one entity: a CSV file, a Parquet file or a
  folder of Parquet part files (as Spark writes ``<entity>.parquet/``), and whether each is
  readable (a broken symbolic link or a file without read permission is a problem, not an
  absent entity);
- ``scan_csv``: the first encoding (UTF-8), line length or dialect (values per row) problem
  of a CSV file, with the row, line, column and value it is in;
- ``line_of_row``: the line of a CSV file on which a data row starts (rows and lines differ
  once a quoted value holds a line break).

Rows are data rows counted from 1 after the header; lines are lines of the file counted
from 1 (the header is line 1).
"""

from __future__ import annotations

import csv
import io
import os
import re
from pathlib import Path

__all__ = ["MAX_LINE_BYTES", "line_of_row", "probe", "scan_csv"]

MAX_LINE_BYTES = 2 * 1024 * 1024  # DuckDB's default maximum line size


def _readable(path: Path) -> str | None:
    """Why ``path`` cannot be read, or None."""
    if path.is_symlink() and not path.exists():
        try:
            os.stat(path)
        except FileNotFoundError:
            return f"broken symbolic link (it points to {os.readlink(path)}, which does not exist)"
        except OSError as error:
            return f"unreadable ({error.strerror or error})"
    try:
        with open(path, "rb") as handle:
            handle.read(1)
    except OSError as error:
        return f"unreadable ({error.strerror or error})"
    return None


def probe(base: str | os.PathLike) -> dict:
    """What the landing folder holds for the entity at ``base`` (``<landing>/<system>/<entity>``):
    ``{"found": [{"path", "kind", "files", "problem"}]}`` with kind ``csv``, ``parquet`` or
    ``parquet_folder`` (``files``: its part files, sorted) and ``problem`` null when readable."""
    found = []
    for suffix in (".csv", ".parquet"):
        path = Path(f"{base}{suffix}")
        if not os.path.lexists(path):
            continue
        entry = {"path": path.as_posix(), "kind": suffix[1:], "files": [path.as_posix()], "problem": None}
        if path.is_dir():
            if suffix == ".csv":
                entry["problem"] = "is a folder: a CSV entity is one file (only .parquet may be a folder of part files)"
            else:
                parts = sorted(
                    p for p in path.rglob("*.parquet")
                    if not any(part.startswith(("_", ".")) for part in p.relative_to(path).parts)
                )
                entry["kind"] = "parquet_folder"
                entry["files"] = [p.as_posix() for p in parts]
                problems = [f"part file {p.as_posix()}: {why}" for p in parts if (why := _readable(p))]
                if not parts:
                    entry["problem"] = "folder holds no Parquet part files (*.parquet)"
                elif problems:
                    entry["problem"] = problems[0]
        else:
            entry["problem"] = _readable(path)
        found.append(entry)
    return {"found": found}


def _short(value: str, limit: int = 60) -> str:
    value = value.replace("\r", "\\r").replace("\n", "\\n")
    return value if len(value) <= limit else value[:limit] + "..."


def _records(text: str):
    """(row, first line, fields) of every data row of a CSV text, and the header."""
    csv.field_size_limit((1 << 31) - 1)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=",", quotechar='"', strict=True)
    header = next(reader, [])
    last_line = reader.line_num
    for row, fields in enumerate(reader, start=1):
        yield row, last_line + 1, fields, header
        last_line = reader.line_num


def scan_csv(path: str | os.PathLike, max_line_bytes: int = MAX_LINE_BYTES) -> dict | None:
    """The first problem of a CSV file the contract reader would trip over, or None:
    ``{"row", "line", "column", "value", "problem"}`` (row ``header`` for the header).

    - not UTF-8 (e.g. Latin-1): the first value holding a byte sequence that is not UTF-8;
    - a line longer than ``max_line_bytes``;
    - a row with more or fewer values than the header has columns (typically an unquoted
      ``,`` inside a value such as ``1,026``), or a quote that does not close."""
    data = Path(path).read_bytes()
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        bad = data[error.start:error.start + 1].hex().upper()
        line = data.count(b"\n", 0, error.start) + 1
        latin = data.decode("latin-1")
        for row, first_line, fields, header in _records(latin):
            for index, field in enumerate(fields):
                try:
                    field.encode("latin-1").decode("utf-8")
                except UnicodeDecodeError:
                    column = header[index] if index < len(header) else f"(value {index + 1})"
                    return {"row": row, "line": first_line, "column": column, "value": _short(field),
                            "problem": f"is not UTF-8 (byte 0x{bad}; the file looks Latin-1 or Windows-1252 encoded: "
                                       "export it as UTF-8)"}
        return {"row": "header", "line": line, "column": "(header)", "value": _short(latin.splitlines()[line - 1]),
                "problem": f"is not UTF-8 (byte 0x{bad}): export the file as UTF-8"}
    lines = data.split(b"\n")
    long_line = next((i + 1 for i, part in enumerate(lines) if len(part) > max_line_bytes), None)
    try:
        previous = None
        for row, first_line, fields, header in _records(text):
            if long_line is not None and first_line > long_line and previous is not None:
                return _long(previous, max_line_bytes)
            previous = (row, first_line, fields, header)
            if len(fields) != len(header) and fields != []:
                return _wrong_width(row, first_line, fields, header)
        if long_line is not None:
            if previous is None or long_line == 1:
                return {"row": "header", "line": 1, "column": "(header)", "value": _short(lines[0].decode()),
                        "problem": f"is on a line longer than {max_line_bytes:,} bytes (the most a CSV line may hold)"}
            return _long(previous, max_line_bytes)
    except csv.Error as error:
        return {"row": "?", "line": "?", "column": "?", "value": "", "problem": f"is not valid CSV ({error})"}
    return None


def _long(record, max_line_bytes: int) -> dict:
    row, first_line, fields, header = record
    index = max(range(len(fields)), key=lambda i: len(fields[i])) if fields else 0
    return {"row": row, "line": first_line, "column": header[index] if index < len(header) else "?",
            "value": _short(fields[index] if fields else ""),
            "problem": f"is on a line longer than {max_line_bytes:,} bytes (the most a CSV line may hold)"}


def _wrong_width(row: int, first_line: int, fields: list[str], header: list[str]) -> dict:
    if len(fields) > len(header):
        column, value = header[-1], ",".join(fields[len(header) - 1:])
        for i in range(len(fields) - 1):
            if re.fullmatch(r"[+-]?[0-9]{1,3}", fields[i]) and re.fullmatch(r"[0-9]{3}([.][0-9]*)?", fields[i + 1]):
                column = header[i] if i < len(header) else column
                value = f"{fields[i]},{fields[i + 1]}"
                break
        return {"row": row, "line": first_line, "column": column, "value": _short(value),
                "problem": f"has {len(fields)} values for {len(header)} columns (an unquoted ',' inside a value, "
                           "e.g. a thousands separator: quote the value or drop the separator)"}
    return {"row": row, "line": first_line, "column": header[len(fields)], "value": _short(",".join(fields)),
            "problem": f"has {len(fields)} values for {len(header)} columns (a row cut short)"}


def line_of_row(path: str | os.PathLike, row: int) -> int | None:
    """The line of the CSV file on which data row ``row`` (1 = first after the header) starts."""
    text = Path(path).read_text(encoding="utf-8-sig")
    for found, first_line, _, _ in _records(text):
        if found == row:
            return first_line
    return None
