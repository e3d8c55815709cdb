"""Tried as a new user would: every bad input ends in one line naming the file, no partial output."""

from __future__ import annotations

import tracemalloc
from pathlib import Path

import pytest

from textqca.cli import main
from textqca.errors import CorpusError
from textqca.ingest import ingest_to_files
from textqca.io import read_table

GOOD = "问：您好，请介绍一下镇里的扶贫工作。\n答：我们成立了领导小组，每个月开一次联席会议。\n"


def _corpus(tmp_path: Path) -> Path:
    root = tmp_path / "corpus"
    (root / "LX" / "interview").mkdir(parents=True)
    (root / "LX" / "interview" / "LX_int01.txt").write_text(GOOD, encoding="utf-8")
    return root


def _outputs(tmp_path: Path) -> dict[str, Path]:
    out = tmp_path / "results"
    return {"passages": out / "passages.csv", "documents": out / "documents.csv", "canonical_dir": out / "canonical"}


def _fails(tmp_path: Path, corpus: Path, **kw) -> CorpusError:
    outs = _outputs(tmp_path)
    with pytest.raises(CorpusError) as info:
        ingest_to_files(corpus=corpus, **outs, **kw)
    # no partial output, whatever failed
    assert not any(p.exists() for p in outs.values())
    msg = str(info.value)
    assert "\n" not in msg
    return info.value


def _add(root: Path, rel: str, data: bytes) -> Path:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def test_empty_file(tmp_path):
    root = _corpus(tmp_path)
    bad = _add(root, "LX/interview/LX_int02.txt", b"")
    err = _fails(tmp_path, root)
    assert err.path == str(bad) and "empty" in str(err)


def test_whitespace_only_file(tmp_path):
    root = _corpus(tmp_path)
    bad = _add(root, "LX/interview/LX_int02.txt", "\r\n\u3000 \n".encode())
    err = _fails(tmp_path, root)
    assert err.path == str(bad) and "no text" in str(err)


def test_binary_file(tmp_path):
    root = _corpus(tmp_path)
    bad = _add(root, "LX/policy/LX_pol01.txt", bytes(range(256)) * 40)
    err = _fails(tmp_path, root)
    assert err.path == str(bad) and ("binary" in str(err) or "encoding" in str(err))


def test_image_renamed_txt(tmp_path):
    root = _corpus(tmp_path)
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06\x00\x00\x00" + bytes(200)
    bad = _add(root, "LX/interview/photo.txt", png)
    err = _fails(tmp_path, root)
    assert err.path == str(bad) and "PNG image" in str(err)


def test_unknown_extension(tmp_path):
    root = _corpus(tmp_path)
    bad = _add(root, "LX/policy/LX_pol01.xlsx", b"PK\x03\x04" + bytes(50))
    err = _fails(tmp_path, root)
    assert err.path == str(bad) and "unsupported file type '.xlsx'" in str(err)


def test_folder_that_is_not_a_doc_type(tmp_path):
    root = _corpus(tmp_path)
    _add(root, "LX/interviews/LX_int02.txt", GOOD.encode())
    err = _fails(tmp_path, root)
    assert err.path.endswith("interviews") and "interview | policy" not in str(err) and "interview, policy" in str(err)


def test_manifest_row_pointing_nowhere(tmp_path):
    root = _corpus(tmp_path)
    manifest = root / "manifest.tsv"
    manifest.write_text(
        "doc_id\tcase_id\tdoc_type\tpath\tdate\tsource\n"
        "LX_int01\tLX\tinterview\tLX/interview/LX_int01.txt\t2020-09-14\t访谈\n"
        "LX_int02\tLX\tinterview\tLX/interview/LX_int02.txt\t2020-09-15\t访谈\n",
        encoding="utf-8",
    )
    err = _fails(tmp_path, root)
    assert err.path == str(manifest) and err.where == "line 3" and "LX/interview/LX_int02.txt" in str(err)


def test_manifest_bad_doc_type_and_missing_column(tmp_path):
    root = _corpus(tmp_path)
    manifest = root / "manifest.tsv"
    manifest.write_text("doc_id\tcase_id\tdoc_type\tpath\nLX_int01\tLX\ttranscript\tLX/interview/LX_int01.txt\n", encoding="utf-8")
    err = _fails(tmp_path, root)
    assert err.where == "line 2" and "transcript" in str(err)
    manifest.write_text("doc_id\tcase\tpath\nLX_int01\tLX\tLX/interview/LX_int01.txt\n", encoding="utf-8")
    with pytest.raises(Exception) as info:
        ingest_to_files(corpus=root, **_outputs(tmp_path))
    assert "missing column(s) case_id, doc_type" in str(info.value) and str(manifest) in str(info.value)


def test_duplicate_doc_id(tmp_path):
    root = _corpus(tmp_path)
    dup = _add(root, "YS/interview/LX_int01.txt", GOOD.encode())
    err = _fails(tmp_path, root)
    assert "duplicate doc_id 'LX_int01'" in str(err) and str(dup) in str(err)


def test_case_missing_from_case_table(tmp_path):
    root = _corpus(tmp_path)
    _add(root, "YS/interview/YS_int01.txt", GOOD.encode())
    cases = tmp_path / "config" / "cases.tsv"
    cases.parent.mkdir()
    cases.write_text("case_id\tname\toutcome\nLX\tL县\t1\n", encoding="utf-8")
    err = _fails(tmp_path, root, cases=cases)
    assert "case id 'YS'" in str(err) and "YS_int01.txt" in err.path
    # found next to the corpus without being named, too
    err = _fails(tmp_path, root)
    assert "case id 'YS'" in str(err)


def test_missing_case_table_is_a_warning(tmp_path, caplog):
    root = _corpus(tmp_path)
    outs = _outputs(tmp_path)
    with caplog.at_level("WARNING", logger="textqca"):
        result = ingest_to_files(corpus=root, **outs)
    assert result.n_passages == 2 and len(read_table(outs["passages"])) == 2
    assert any("no case table" in r.getMessage() for r in caplog.records)


def test_file_over_the_size_limit_in_bounded_memory(tmp_path):
    root = _corpus(tmp_path)
    big = root / "LX" / "interview" / "LX_int99.txt"
    with open(big, "wb") as fh:  # 200 MB, sparse: costs no disk
        fh.truncate(200 * 1024 * 1024)
    tracemalloc.start()
    err = _fails(tmp_path, root)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert err.path == str(big) and "200 MB" in str(err) and "split it" in str(err)
    assert peak < 20 * 1024 * 1024


def test_undecodable_text_names_the_file(tmp_path):
    root = _corpus(tmp_path)
    # GB18030 bytes cut in the middle of characters everywhere: no encoding fits
    data = bytes([0x81, 0x30, 0xFF, 0xFE, 0x80, 0xC0]) * 500
    bad = _add(root, "LX/policy/LX_pol01.txt", data)
    err = _fails(tmp_path, root)
    assert err.path == str(bad)


def test_cli_prints_one_line_and_exits_1(tmp_path, capsys):
    root = _corpus(tmp_path)
    _add(root, "LX/interview/LX_int02.txt", b"")
    out = tmp_path / "p.csv"
    assert main(["ingest", str(root), "-o", str(out)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len([e for e in err if "error" in e]) == 1
    assert err[-1].startswith("textqca ingest: error: ") and "LX_int02.txt" in err[-1] and "Traceback" not in "".join(err)
    assert not out.exists()


def test_manifest_row_fails_the_schema(tmp_path):
    root = _corpus(tmp_path)
    manifest = root / "manifest.tsv"
    manifest.write_text("doc_id\tcase_id\tdoc_type\tpath\tdate\nLX_int01\tLX\tinterview\tLX/interview/LX_int01.txt\t14.9.2020\n", encoding="utf-8")
    err = _fails(tmp_path, root)
    assert err.path == str(manifest) and err.where == "line 2" and "date: '14.9.2020' is not valid; YYYY" in str(err)
    manifest.write_text("doc_id\tcase_id\tdoc_type\tpath\nLX int01\tLX\tinterview\tLX/interview/LX_int01.txt\n", encoding="utf-8")
    assert "doc_id" in str(_fails(tmp_path, root))


def test_max_chars_too_small_is_a_config_error(tmp_path):
    from textqca.errors import ConfigError

    with pytest.raises(ConfigError, match="max_chars must be at least 20"):
        ingest_to_files(corpus=_corpus(tmp_path), passages=tmp_path / "p.csv", max_chars=5)
    assert not (tmp_path / "p.csv").exists()


def test_scanned_pdf_and_broken_docx_and_pdf(tmp_path):
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    root = _corpus(tmp_path)
    scan = root / "LX" / "policy" / "LX_pol01.pdf"
    scan.parent.mkdir()
    fig = Figure(figsize=(4, 4))
    fig.add_artist(matplotlib.patches.Rectangle((0.1, 0.1), 0.5, 0.5))  # an image of a page: no text layer
    fig.savefig(scan)
    err = _fails(tmp_path, root)
    assert err.path == str(scan) and "no text layer" in str(err)
    scan.write_bytes(b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF")
    assert _fails(tmp_path, root).path == str(scan)
    scan.unlink()
    broken = _add(root, "LX/policy/LX_pol02.docx", b"PK\x03\x04" + bytes(100))
    err = _fails(tmp_path, root)
    assert err.path == str(broken) and ".docx" in str(err)



def test_interview_without_speaker_turns_is_a_warning_naming_the_file(tmp_path, caplog):
    root = _corpus(tmp_path)
    prose = _add(root, "LX/interview/LX_int02.txt", "县扶贫办的同志介绍了小额信贷的做法。\n他们每个月和联社对一次数据。\n".encode())
    with caplog.at_level("WARNING", logger="textqca"):
        ingest_to_files(corpus=root, passages=tmp_path / "p.csv")
    assert any(str(prose) in r.getMessage() and "no speaker turns" in r.getMessage() for r in caplog.records)
