"""The HTML report: sections, escaping, self-containment, embedded font, plots."""

from __future__ import annotations

import re

import pytest

from textqca.report import SECTIONS
from textqca.report.fonts import FONT_FAMILY, font_face_css
from textqca.report.plots import standalone_svg, xy_plot


@pytest.fixture(scope="module")
def html(analysed):
    _, res, _ = analysed
    return (res / "report" / "report.html").read_text(encoding="utf-8")


def test_main_sections_in_order(html):
    ids = [i for i, _, _ in SECTIONS]
    pos = [html.find(f'id="{i}"') for i in ids]
    assert all(p > 0 for p in pos), [i for i, p in zip(ids, pos) if p < 0]
    assert pos == sorted(pos)


def test_passage_script_is_shown_as_text(html):
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in html
    assert "<script" not in html           # the report itself needs no script


def test_self_contained(html):
    # no resource is fetched from anywhere: no src/href to a URL, no @import, no url() but data:
    assert not re.search(r'(src|href)\s*=\s*"(https?:)?//', html)
    assert "@import" not in html
    assert all(u.startswith(("data:", "#")) for u in re.findall(r"url\(([^)]*)\)", html))
    assert f"font-family: '{FONT_FAMILY}'" in html and "data:font/woff;base64," in html


def test_findings_are_described_with_fit_and_cases(html):
    assert "生成逻辑" in html and "困境模式" in html
    assert re.search(r"一致性 0\.\d{3}，原始覆盖度 0\.\d{3}", html)
    assert re.search(r"consistency 0\.\d{3}, raw coverage 0\.\d{3}", html)
    overview = html[html.find('id="overview"'):html.find('id="corpus"')]
    assert "L县" in overview and "Y市" in overview
    paths = html[html.find('id="paths"'):html.find('id="failed"')]
    assert "驻村干部" in paths                 # a County L quote
    assert "<mark>" in paths
    failed = html[html.find('id="failed"'):html.find('id="twostep"')]
    assert "Y市" in failed and "培育公共理性" in failed and "推来推去" in failed


def test_case_matrix_marks_overrides_and_missing_evidence(html):
    table = html[html.find('id="casematrix"'):html.find('id="necessity"')]
    assert "ovr" in table and "✎" in table and "环保与城管磨合后建立互信" in table
    assert "无证据" in table
    assert "文化环境" in table and "Cultural environment" in table


def test_xy_plots_keep_text_as_text(html, analysed):
    _, res, _ = analysed
    section = html[html.find('id="xyplots"'):html.find('id="paths"')]
    assert section.count("<svg") >= 2
    assert "<text" in section or "font-family" in section
    svg_files = sorted((res / "report" / "figures").glob("*.svg"))
    assert any(p.name.startswith("xy_outcome") for p in svg_files)
    text = svg_files[0].read_text(encoding="utf-8")
    assert text.startswith("<?xml") and "@font-face" in text and FONT_FAMILY in text


def test_xy_plot_escapes_labels():
    svg = xy_plot([0.9, 0.1], [1.0, 0.0], ["L县", "<b>Y</b>"], title="协同成效", xlabel="A*B", ylabel="OUT")
    assert "<b>Y</b>" not in svg and "&lt;b&gt;Y&lt;/b&gt;" in svg
    assert "协同成效" in svg                 # text kept as text, not paths
    assert "L县" in standalone_svg(svg)


def test_font_subset_only_holds_what_is_needed():
    small = font_face_css("协同")
    big = font_face_css("协同成效跨部门信息共享联席会议制度" * 3 + "".join(chr(c) for c in range(0x4E00, 0x4F00)))
    assert small and len(small) < len(big)
    assert font_face_css("ascii only") == ""


def test_robustness_and_two_step_sections(html):
    rob = html[html.find('id="robustness"'):html.find('id="settings"')]
    assert "8 次按置信度重抽样" in rob or "8 runs on auto-codings" in rob
    assert "<svg" in rob
    two = html[html.find('id="twostep"'):html.find('id="robustness"')]
    assert "远因语境" in two and "ENV_" in two


def test_agreement_with_human_coders_is_shown(analysed, tmp_path):
    import json as _json

    import pandas as pd

    from textqca.analysis import analysis_names
    from textqca.reliability import compare
    from textqca.report import report_to_file

    proj, res, cfg = analysed
    gold = pd.read_csv(proj / "codebook" / "annotations" / "round1" / "A" / "LX.csv", dtype=str, keep_default_na=False)
    auto = pd.read_csv(proj / "results" / "coding" / "codings.csv", dtype=str, keep_default_na=False)
    auto = auto[auto["passage_id"].isin(gold["passage_id"])]
    codes = sorted(set(gold["code"]) | set(auto["code"]))
    rep = compare(gold, auto, codes=codes, universe="a", n_boot=0, label_a="gold", label_b="auto")
    agr = tmp_path / "agreement.json"
    agr.write_text(_json.dumps(rep), encoding="utf-8")
    out = tmp_path / "r.html"
    r = res
    report_to_file(findings=str(r / "findings" / "findings.json"), calibration=str(r / "qca" / "calibration.json"),
                   memberships=str(r / "qca" / "memberships.csv"),
                   results=[str(r / "qca" / "results" / f"{n}.json") for n in analysis_names(cfg["qca"])],
                   agreement=[str(agr)], html=str(out))
    page = out.read_text(encoding="utf-8")
    section = page[page.find('id="corpus"'):page.find('id="casematrix"')]
    assert "gold vs auto" in section and "kappa" in section and "MOT.GOAL" in section


def test_which_case_follows_which_path(html):
    table = html[html.find('id="case-paths"'):]
    table = table[:table.find("</table>")]
    rows = {r.split("</td>")[0].split(">")[-1]: r for r in table.split("<tr>")[2:]}
    assert "✓" in rows["L县"] and "✓" in rows["Y市"]
    assert "P1" in table and "D1" in table


def test_thesis_tables_as_csv(analysed):
    import pandas as pd

    _, res, _ = analysed
    tdir = res / "report" / "tables"
    names = {p.stem for p in tdir.glob("*.csv")}
    assert {"memberships_wide", "necessity_outcome", "necessity_negation", "truth_table_outcome",
            "truth_table_negation", "solutions", "case_paths"} <= names
    sol = pd.read_csv(tdir / "solutions.csv")
    assert set(sol["analysis"]) >= {"outcome_intermediate", "negation_intermediate"}
    paths = pd.read_csv(tdir / "case_paths.csv").set_index("case_id")
    p1 = [c for c in paths.columns if c.startswith("P1 ")][0]
    d1 = [c for c in paths.columns if c.startswith("D1 ")][0]
    assert paths.loc["LX", p1] > 0.5 and paths.loc["YS", d1] > 0.5
    wide = pd.read_csv(tdir / "memberships_wide.csv").set_index("case_id")
    assert wide.loc["HQ", "ENV_CUL"] == 0.6          # the override, not the calibrated value


def test_model_ambiguity_says_when_not_all_models_are_listed(analysed, tmp_path):
    """A chart with more models than listed (or only a lower bound) must not claim all are shown."""
    import json as _json

    from textqca.analysis import analysis_names
    from textqca.report import report_to_file

    _, r, cfg = analysed
    findings = _json.loads((r / "findings" / "findings.json").read_text(encoding="utf-8"))
    assert findings["paths"]
    solved = [p for p in findings["paths"] if p["models"]]
    assert solved and all(p["n_models_exact"] and p["n_models"] == len(p["models"]) for p in solved)  # small study
    for p in findings["paths"]:
        p["n_models"], p["n_models_exact"] = 123456, False
    fp = tmp_path / "findings.json"
    fp.write_text(_json.dumps(findings, ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "r.html"
    report_to_file(findings=str(fp), calibration=str(r / "qca" / "calibration.json"),
                   memberships=str(r / "qca" / "memberships.csv"),
                   results=[str(r / "qca" / "results" / f"{n}.json") for n in analysis_names(cfg["qca"])],
                   html=str(out))
    page = out.read_text(encoding="utf-8")
    assert "至少 123456 个模型" in page and "at least 123456 models" in page
    assert "are listed under Solutions" in page and "all are listed under Solutions" not in page
