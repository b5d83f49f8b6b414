"""The file-level checks behind the landing hook (sop_analytics.landing_files) and the cycle
check of the cycle runner, on small hand-written files: each problem is found at the row,
line, column and value it is in; clean files raise nothing."""

from __future__ import annotations

import os

import pytest

from sop_analytics.cycles import checked_cycle, previous_cycles
from sop_analytics.landing_files import line_of_row, probe, scan_csv


def write(tmp_path, name: str, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_clean_csv_with_quoted_newline_bom_and_crlf_passes(tmp_path):
    path = write(tmp_path, "a.csv", b'\xef\xbb\xbfid,note,qty\r\n1,"two\r\nlines",3\r\n2,"x, y",4\r\n')
    assert scan_csv(path) is None
    assert line_of_row(path, 1) == 2
    assert line_of_row(path, 2) == 4  # row 2 starts on line 4: row 1 spans lines 2 and 3


def test_latin1_value_is_named(tmp_path):
    path = write(tmp_path, "a.csv", "id,name\n1,ok\n2,caf\u00e9\n".encode("latin-1"))
    assert scan_csv(path) == {"row": 2, "line": 3, "column": "name", "value": "caf\u00e9",
                              "problem": scan_csv(path)["problem"]}
    assert "is not UTF-8" in scan_csv(path)["problem"]


def test_unquoted_thousands_separator_is_named(tmp_path):
    path = write(tmp_path, "a.csv", b'id,note,qty,wh\n1,"a\nb",5,W1\n2,x,1,026,W1\n')
    found = scan_csv(path)
    assert (found["row"], found["line"], found["column"], found["value"]) == (2, 4, "qty", "1,026")


def test_row_cut_short_names_the_first_missing_column(tmp_path):
    found = scan_csv(write(tmp_path, "a.csv", b"id,qty,wh\n1,5,W1\n2,7\n"))
    assert (found["row"], found["line"], found["column"]) == (2, 3, "wh")
    assert "a row cut short" in found["problem"]


def test_long_line_is_named(tmp_path):
    path = write(tmp_path, "a.csv", b"id,note\n1,ok\n2," + b"x" * 5000 + b"\n3,z\n")
    found = scan_csv(path, max_line_bytes=1000)
    assert (found["row"], found["line"], found["column"]) == (2, 3, "note")
    assert scan_csv(path) is None  # within the default 2 MB


def test_probe_tells_folders_links_and_files_apart(tmp_path):
    (tmp_path / "items.csv").write_text("a\n1\n")
    assert probe(tmp_path / "items")["found"][0]["problem"] is None
    folder = tmp_path / "shipments.parquet"
    (folder / "sub").mkdir(parents=True)
    for name in ("part-1.parquet", "sub/part-0.parquet", "_SUCCESS", ".part-1.parquet.crc", "_tmp/x.parquet"):
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(b"PAR1")
    [entry] = probe(tmp_path / "shipments")["found"]
    assert entry["kind"] == "parquet_folder" and entry["problem"] is None
    assert [os.path.relpath(f, folder) for f in entry["files"]] == ["part-1.parquet", "sub/part-0.parquet"]
    (tmp_path / "orders.csv").symlink_to(tmp_path / "gone.csv")
    assert "broken symbolic link" in probe(tmp_path / "orders")["found"][0]["problem"]
    assert probe(tmp_path / "nothing")["found"] == []


@pytest.mark.parametrize("cycle", ["2026-13", "abc", "2026-01' or '1'='1", "2026-1", 202601, "2026-00"])
def test_cycle_runner_rejects_a_malformed_cycle(cycle):
    with pytest.raises(SystemExit, match="Invalid var cycle"):
        checked_cycle(cycle)


def test_cycle_runner_counts_back_over_a_year_end():
    assert previous_cycles("2026-02", 3) == ["2025-11", "2025-12", "2026-01"]
