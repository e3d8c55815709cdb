"""textqca.io: tables in csv/tsv/parquet, written atomically."""

from __future__ import annotations

import os
import stat

import pandas as pd
import pytest

from textqca.errors import TextQCAError
from textqca.io import atomic_path, read_table, write_table, write_text_atomic


@pytest.mark.parametrize("suffix", [".csv", ".tsv", ".parquet"])
def test_round_trip_keeps_chinese_and_empty_text(tmp_path, suffix):
    df = pd.DataFrame({"passage_id": ["LX_int01:0a1b2c3d", "LX_int01:ffffffff~2"], "text": ["答：NA，没有。", ""], "n": [1, 2]})
    path = tmp_path / "sub" / f"t{suffix}"
    write_table(df, path)
    back = read_table(path)
    assert back["text"].tolist() == ["答：NA，没有。", ""]
    assert back["passage_id"].tolist() == df["passage_id"].tolist() and back["n"].tolist() == [1, 2]
    assert stat.S_IMODE(os.stat(path).st_mode) & 0o044  # readable by others, not 0600
    assert [p.name for p in path.parent.iterdir()] == [path.name]  # no temp file left


def test_failed_write_leaves_nothing(tmp_path):
    path = tmp_path / "out.csv"
    path.write_text("old\n", encoding="utf-8")
    with pytest.raises(RuntimeError):
        with atomic_path(path) as tmp:
            tmp.write_text("half", encoding="utf-8")
            raise RuntimeError("disk full")
    assert path.read_text(encoding="utf-8") == "old\n" and [p.name for p in tmp_path.iterdir()] == ["out.csv"]


def test_errors_name_the_file(tmp_path):
    with pytest.raises(TextQCAError, match="unknown table format '.xlsx'"):
        read_table(tmp_path / "a.xlsx")
    with pytest.raises(TextQCAError, match="file not found"):
        read_table(tmp_path / "a.csv")
    (tmp_path / "b.csv").write_text("x,y\n1,2\n", encoding="utf-8")
    with pytest.raises(TextQCAError, match=r"b.csv: missing column\(s\) passage_id"):
        read_table(tmp_path / "b.csv", required=["passage_id"])


def test_write_text_atomic_uses_lf(tmp_path):
    write_text_atomic("第一行\n第二行", tmp_path / "c.txt")
    assert (tmp_path / "c.txt").read_bytes() == "第一行\n第二行".encode()


def test_excel_gbk_csv_is_read_with_a_warning(tmp_path, caplog):
    path = tmp_path / "manifest.csv"
    path.write_bytes("doc_id,case_id,doc_type,path\nLX_int01,LX,interview,访谈/一.txt\n".encode("gbk"))
    with caplog.at_level("WARNING", logger="textqca"):
        df = read_table(path, dtype=str)
    assert df["path"].tolist() == ["访谈/一.txt"]
    assert any("read as GB18030" in r.getMessage() for r in caplog.records)


def test_an_output_that_cannot_be_a_file_is_one_line(tmp_path):
    (tmp_path / "a.csv").write_text("x\n", encoding="utf-8")
    with pytest.raises(TextQCAError, match="is a folder: give the name of the file to write"):
        write_text_atomic("{}", tmp_path)
    with pytest.raises(TextQCAError, match=r"cannot write here \(.*a\.csv is a file, not a folder\)"):
        write_text_atomic("{}", tmp_path / "a.csv" / "r.json")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.csv"]
