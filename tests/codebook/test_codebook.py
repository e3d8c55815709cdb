"""The framework codebook: loading, one-line errors, diff, REFI-QDA round trip."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from textqca.cli import main
from textqca.codebook import diff_codebooks, export_qdc, import_qdc, load_codebook, validate_qdc
from textqca.errors import CodebookError

FRAMEWORK_IDS = [
    "ENV.CUL.TRUST", "ENV.CUL.INTEREST", "ENV.INS.LINKAGE", "ENV.TEC.PLATFORM", "MOT.NEED", "MOT.GOAL",
    "MOT.INCENT", "MOT.LEAD", "MOT.PRESS", "PRO.INFO", "PRO.JOINT", "PRO.COST", "OUT.EFFECT",
]


@pytest.fixture(scope="module")
def cb_path(repo_dir) -> Path:
    return repo_dir / "codebook" / "framework.yaml"


@pytest.fixture(scope="module")
def cb(cb_path):
    return load_codebook(cb_path)


def _write_variant(tmp_path, cb_path, edit) -> Path:
    data = yaml.safe_load(cb_path.read_text(encoding="utf-8"))
    edit(data)
    p = tmp_path / "variant.yaml"
    p.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return p


def test_framework_codes_match_framework_md(cb, shared_dir):
    assert list(cb.code_ids) == FRAMEWORK_IDS
    table_ids = re.findall(r"^\| ((?:ENV|MOT|PRO|OUT)\.[A-Z.]+) \|", (shared_dir / "framework.md").read_text(encoding="utf-8"), re.M)
    assert table_ids == FRAMEWORK_IDS
    assert cb.code("ENV.CUL.TRUST").label_zh == "信任与公共理性"
    assert cb.code("PRO.COST").parent == "PRO"
    assert cb.group("ENV.TEC").parent == "ENV"
    assert cb.version


def test_every_code_is_complete(cb):
    for c in cb.codes:
        assert c.label_zh and c.label_en and c.definition, c.id
        assert c.include and c.exclude, c.id
        pols = {e["polarity"] for e in c.examples}
        assert pols == {1, -1}, f"{c.id} needs examples of both polarities"
        assert c.phrases and c.negative_cues, c.id


def test_codebook_examples_are_coded_by_the_rules(cb):
    """Each code's own examples are found by the rule coder with the right polarity."""
    from textqca.autocode.rules import RuleCoder

    rc = RuleCoder(cb)
    misses = []
    for c in cb.codes:
        for e in c.examples:
            d = rc.code(e["text"]).get(c.id)
            if d is None or d.polarity != e["polarity"]:
                misses.append((c.id, e["text"], None if d is None else d.polarity))
    assert len(misses) <= 3, misses


@pytest.mark.parametrize(
    "edit, expected",
    [
        (lambda d: d["codes"][5].__setitem__("id", "MOT.NEED"), r"code MOT\.NEED, field id: duplicate id 'MOT\.NEED' \(first defined at line \d+\)"),
        (lambda d: d["codes"][4].__setitem__("parent", "MOTX"), r"code MOT\.NEED, field parent: unknown parent 'MOTX'"),
        (lambda d: d["codes"][5]["patterns"].__setitem__(0, ""), r"code MOT\.GOAL, field patterns\[0\]: empty value"),
        (lambda d: d["codes"][5]["patterns"].__setitem__(0, "(?:共同"), r"code MOT\.GOAL, field patterns\[0\]: invalid regular expression '\(\?:共同'"),
        (lambda d: d["codes"][0]["phrases"].append("  "), r"code ENV\.CUL\.TRUST, field phrases\[\d+\]: empty value"),
        (lambda d: d["codes"][1].pop("definition"), r"code ENV\.CUL\.INTEREST, field definition: missing required field 'definition'"),
        (lambda d: d["codes"][2]["examples"][0].__setitem__("polarity", 0), r"code ENV\.INS\.LINKAGE, field examples\[0\]\.polarity: 0 is not one of \[1, -1\]"),
        (lambda d: d["codes"][3].__setitem__("id", "NONE"), r"the id NONE is reserved"),
        (lambda d: d["codes"][6]["patterns"].__setitem__(0, "(考核)?"), r"code MOT\.INCENT, field patterns\[0\]: .*matches the empty string"),
    ],
)
def test_one_line_errors_name_code_field_and_line(tmp_path, cb_path, edit, expected):
    p = _write_variant(tmp_path, cb_path, edit)
    with pytest.raises(CodebookError) as ei:
        load_codebook(p)
    msg = str(ei.value)
    assert "\n" not in msg
    assert msg.startswith(f"{p}:"), msg
    assert re.search(r":\d+: ", msg), "names the line"
    assert re.search(expected, msg), msg


def test_cli_prints_one_line_error(tmp_path, cb_path, capsys):
    p = _write_variant(tmp_path, cb_path, lambda d: d["codes"][5].__setitem__("id", "MOT.NEED"))
    assert main(["codebook", "check", str(p)]) == 1
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "duplicate id 'MOT.NEED'" in err and "Traceback" not in err


def test_invalid_yaml_and_missing_file(tmp_path):
    p = tmp_path / "bad.yaml"
    p.write_text("id: x\nversion: 1\ncodes: [\n", encoding="utf-8")
    with pytest.raises(CodebookError, match=r"bad\.yaml:\d+: invalid YAML"):
        load_codebook(p)
    with pytest.raises(CodebookError, match="codebook file not found$"):  # a file named by the user: no hint
        load_codebook(tmp_path / "nope.yaml")


def test_missing_default_codebook_says_how_to_fix(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(CodebookError, match="pass --codebook FILE, or run from the project folder"):
        load_codebook("codebook/framework.yaml")


def test_diff_lists_changes(tmp_path, cb_path, cb):
    major, minor = cb.version.split(".")[:2]
    bumped = f"{major}.{int(minor) + 1}.0"  # a version above the codebook's own, whatever it is

    def edit(d):
        d["version"] = bumped
        d["codes"][0]["phrases"].append("互相信赖")
        d["codes"][1]["phrases"].remove("整体政府")
        d["codes"][2]["label_zh"] = "联动机制"
        d["codes"].append({"id": "OUT.SUSTAIN", "parent": "OUT", "label_zh": "协同的持续性", "definition": "协同是否在项目结束后延续。"})
        del d["codes"][8]

    new = load_codebook(_write_variant(tmp_path, cb_path, edit))
    changes = diff_codebooks(cb, new)
    assert changes[0] == f"version: {cb.version} -> {bumped}"
    assert "~ code ENV.CUL.TRUST phrases: added 互相信赖" in changes
    assert "~ code ENV.CUL.INTEREST phrases: removed 整体政府" in changes
    assert "~ code ENV.INS.LINKAGE label_zh: '协同联动机制' -> '联动机制'" in changes
    assert "+ code OUT.SUSTAIN (协同的持续性)" in changes
    assert "- code MOT.PRESS (外部压力与上级支持)" in changes
    assert diff_codebooks(cb, cb) == []


def test_diff_lists_coding_rule_and_cue_changes(tmp_path, cb_path, cb):
    assert cb.coding_rules and cb.cues.negation  # the bundled codebook has both

    def edit(d):
        d["version"] = "9.0.0"
        removed = d["coding_rules"].pop(0)
        d["coding_rules"].append("同一段落只编码一次主导条件。")
        d["cues"]["negation"].append("毫无")
        edit.removed = removed

    new = load_codebook(_write_variant(tmp_path, cb_path, edit))
    changes = diff_codebooks(cb, new)
    assert f"- coding_rules: {edit.removed}" in changes
    assert "+ coding_rules: 同一段落只编码一次主导条件。" in changes
    assert "+ cues.negation: 毫无" in changes


def test_diff_warns_when_version_not_raised(tmp_path, cb_path, cb):
    new = load_codebook(_write_variant(tmp_path, cb_path, lambda d: d["codes"][0]["phrases"].append("互相信赖")))
    assert diff_codebooks(cb, new)[0].startswith("version unchanged")


def test_qdc_round_trip_through_the_xsd(tmp_path, cb, shared_dir):
    from lxml import etree

    out = export_qdc(cb, tmp_path / "framework.qdc")
    # valid against the shared schema as well as the packaged copy
    schema = etree.XMLSchema(etree.parse(str(shared_dir / "refi-qda" / "Codebook.xsd")))
    assert schema.validate(etree.parse(str(out))), schema.error_log
    root = etree.parse(str(out)).getroot()
    ns = {"q": "urn:QDA-XML:codebook:1.0"}
    names = [el.get("name") for el in root.iterfind(".//q:Code", ns)]
    assert "ENV.CUL.TRUST 信任与公共理性" in names
    codable = [el.get("name").split()[0] for el in root.iterfind(".//q:Code[@isCodable='true']", ns)]
    assert codable == list(cb.code_ids)
    back = import_qdc(out)
    assert diff_codebooks(cb, back) == []
    assert back.code("PRO.JOINT").negative_cues == cb.code("PRO.JOINT").negative_cues
    # stable GUIDs: a second export is byte-identical
    out2 = export_qdc(cb, tmp_path / "again.qdc")
    assert out.read_bytes() == out2.read_bytes()


def test_qdc_from_another_program(tmp_path):
    qdc = tmp_path / "other.qdc"
    qdc.write_text(
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<CodeBook xmlns="urn:QDA-XML:codebook:1.0" origin="QualCoder">\n'
        '  <Codes>\n'
        '    <Code guid="2b1f4a52-0c63-4d8e-9a4e-0d2b0f9d6a11" name="协同过程" isCodable="false">\n'
        '      <Code guid="3c2f4a52-0c63-4d8e-9a4e-0d2b0f9d6a12" name="信息共享" isCodable="true" color="#ff0000">\n'
        '        <Description>部门之间的信息流动</Description>\n'
        '      </Code>\n'
        '    </Code>\n'
        '    <Code guid="4d3f4a52-0c63-4d8e-9a4e-0d2b0f9d6a13" name="PRO.COST 协同成本" isCodable="true"/>\n'
        '  </Codes>\n'
        '</CodeBook>\n',
        encoding="utf-8",
    )
    cb = import_qdc(qdc)
    assert [c.id for c in cb.codes] == ["C2", "PRO.COST"]
    assert cb.code("C2").definition == "部门之间的信息流动"
    assert cb.code("C2").parent == "C1" and cb.group("C1").label_zh == "协同过程"
    assert cb.code("PRO.COST").parent == "ROOT"


def test_invalid_qdc_is_a_one_line_error(tmp_path):
    bad = tmp_path / "bad.qdc"
    bad.write_text('<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes><Code name="x" isCodable="true"/></Codes></CodeBook>', encoding="utf-8")
    with pytest.raises(CodebookError, match=r"bad\.qdc:1: not a valid REFI-QDA codebook: .*guid"):
        validate_qdc(bad)


def test_cli_export_import_diff(tmp_path, cb_path, capsys):
    qdc = tmp_path / "cb.qdc"
    assert main(["codebook", "export", str(cb_path), "-o", str(qdc)]) == 0
    back = tmp_path / "back.yaml"
    assert main(["codebook", "import", str(qdc), "-o", str(back)]) == 0
    assert main(["codebook", "diff", str(cb_path), str(back), "--exit-code"]) == 0
    assert "no differences" in capsys.readouterr().out
    load_codebook(back)
    # the codebook is human-owned: an import never replaces an existing file unless asked to
    before = back.read_bytes()
    back.write_bytes(before + b"# the researcher's note\n")
    assert main(["codebook", "import", str(qdc), "-o", str(back)]) == 1
    assert "exists" in capsys.readouterr().err and back.read_bytes().endswith(b"# the researcher's note\n")
    assert main(["codebook", "import", str(qdc), "-o", str(back), "--force"]) == 0 and back.read_bytes() == before


def test_packaged_xsd_is_the_shared_one(shared_dir):
    from importlib import resources

    packaged = resources.files("textqca").joinpath("data/refi-qda/Codebook.xsd").read_bytes()
    assert packaged == (shared_dir / "refi-qda" / "Codebook.xsd").read_bytes()
