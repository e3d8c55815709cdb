"""The research report: one self-contained HTML file (no network needed) and its figures.

:func:`report_to_file` reads the results of the analysis steps (calibration,
memberships, QCA result JSON files, findings, robustness, two-step) and the corpus
tables, and renders ``report.html`` with Jinja2 (autoescaping: every passage, label and
name is escaped, so a passage containing ``<script>`` shows as text).  Plots are inline
SVG with text kept as text; the page embeds a subset of the shipped CJK font, so Chinese
renders on a machine without any Chinese font.
"""

from __future__ import annotations

import datetime as _dt
import json
import logging
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from textqca import __version__
from textqca.errors import ReportError
from textqca.io import write_text_atomic

__all__ = ["build_report", "report_to_file", "thesis_tables", "SECTIONS"]

log = logging.getLogger("textqca.report")
_HERE = Path(__file__).resolve().parent

#: Main sections of the report: (id, Chinese, English).
SECTIONS = [
    ("overview", "概览", "Overview"),
    ("corpus", "语料与编码", "Corpus and coding"),
    ("casematrix", "案例×条件矩阵", "Case × condition table"),
    ("necessity", "必要条件", "Necessity"),
    ("truthtables", "真值表", "Truth tables"),
    ("solutions", "解", "Solutions"),
    ("xyplots", "XY 图", "XY plots"),
    ("paths", "路径与引文", "Paths and quotes"),
    ("failed", "失败案例", "Failed cases"),
    ("twostep", "两步法", "Two-step"),
    ("robustness", "稳健性", "Robustness"),
    ("settings", "设置", "Settings"),
]

_SOL_ZH = {"complex": "复杂解", "parsimonious": "简约解", "intermediate": "中间解"}


def _read_json(path: str | Path | None) -> Any:
    if not path:
        return None
    path = Path(path)
    if not path.is_file():
        raise ReportError("result file missing; run the analysis steps first", path=path)
    try:
        with path.open(encoding="utf-8") as fh:
            return json.load(fh)
    except json.JSONDecodeError as exc:
        raise ReportError(f"not valid JSON ({exc.msg}); rerun the step that made it", path=path,
                          where=f"line {exc.lineno}") from None


def _csv(path: str | Path | None, **kw: Any) -> pd.DataFrame | None:
    if not path or not Path(path).is_file():
        return None
    if str(path).endswith(".parquet"):
        return pd.read_parquet(path)
    return pd.read_csv(path, keep_default_na=False, **kw)


def _quote_parts(q: Mapping[str, Any], *, max_chars: int) -> dict[str, str]:
    """Split a passage around its evidence span; the template escapes every part."""
    text = str(q.get("text") or "")
    try:
        s, e = int(q.get("start")), int(q.get("end"))
    except (TypeError, ValueError):
        s = e = -1
    if not (0 <= s < e <= len(text)):
        ev = str(q.get("evidence") or "")
        s = text.find(ev) if ev else -1
        e = s + len(ev) if s >= 0 else -1
    if s < 0:
        pre, mark, post = text, "", ""
    else:
        pre, mark, post = text[:s], text[s:e], text[e:]
    total = len(text)
    if total > max_chars:  # keep the evidence in view
        budget = max(max_chars - len(mark), 20)
        keep_pre = min(len(pre), budget // 2)
        keep_post = budget - keep_pre
        pre = ("…" + pre[-keep_pre:]) if keep_pre < len(pre) else pre
        post = (post[:keep_post] + "…") if keep_post < len(post) else post
    bits = [str(q.get("title") or q.get("doc_id") or "")]
    if q.get("doc_id") and q.get("title"):
        bits.append(str(q["doc_id"]))
    if q.get("speaker"):
        bits.append(str(q["speaker"]))
    if q.get("section"):
        bits.append(str(q["section"]))
    if str(q.get("turn") or "") not in ("", "nan"):
        bits.append(f"话轮 turn {q['turn']}")
    if str(q.get("p_start") or "") not in ("", "nan"):
        bits.append(f"字符 chars {q['p_start']}–{q['p_end']}")
    conf = q.get("confidence")
    src = q.get("source") or ""
    bits.append(f"{q.get('code', '')} {'+1' if int(q.get('polarity') or 0) > 0 else '−1'} · "
                f"{'人工 human' if src == 'human' else '自动 auto'}"
                + (f" {float(conf):.2f}" if src != "human" and conf not in (None, "") else ""))
    return {"pre": pre, "mark": mark, "post": post, "cite": " · ".join(b for b in bits if b)}


def _side_titles(side: str, sol: str, outcome: str) -> tuple[str, str]:
    if side == "outcome":
        return (f"生成逻辑（{outcome}）— {_SOL_ZH.get(sol, sol)}", f"Generative logic ({outcome}), {sol} solution")
    return (f"困境模式（~{outcome}）— {_SOL_ZH.get(sol, sol)}", f"Dilemma patterns (~{outcome}), {sol} solution")


def build_report(*, findings: Mapping[str, Any], calibration: Mapping[str, Any], memberships: pd.DataFrame,
                 results: Mapping[str, Mapping[str, Any]], code_counts: pd.DataFrame | None = None,
                 evidence: pd.DataFrame | None = None, documents: pd.DataFrame | None = None,
                 passages: pd.DataFrame | None = None, robustness: Mapping[str, Any] | None = None,
                 two_step: Mapping[str, Any] | None = None, agreement: Sequence[tuple[str, pd.DataFrame]] = (),
                 settings: Mapping[str, Any] | None = None, codebook_labels: Mapping[str, Mapping[str, str]] | None = None,
                 title: str = "", max_quote_chars: int = 240, necessity_incl: float = 0.9,
                 necessity_ron: float = 0.5) -> tuple[str, dict[str, str]]:
    """Render the report; returns ``(html, figures)`` with ``figures`` = {file stem: inline SVG}."""
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    from textqca.analysis import parse_term, term_membership
    from textqca.report.fonts import FONT_STACK, font_face_css
    from textqca.report.plots import survival_plot, xy_plot

    cb = dict(codebook_labels or {})
    outcome = str(findings.get("outcome", "OUT"))
    out_label = tuple(findings.get("outcome_label") or ("协同成效", "collaboration effect"))
    conditions = list(findings.get("conditions") or [])
    cond_by = {c["name"]: c for c in conditions}
    cases = list(findings.get("cases") or [])
    case_names = {c["case_id"]: c.get("name") or c["case_id"] for c in cases}
    main_sol = str(findings.get("main_solution", "intermediate"))
    warnings = list(calibration.get("warnings") or [])

    # -- data table (memberships wide) for plots
    mem = memberships.copy()
    wide = mem.pivot(index="case_id", columns="condition", values="membership")
    wide = wide.reindex([c["case_id"] for c in cases])

    # -- solutions and analysis errors
    solutions, truth_tables, necessity, plots = [], [], [], []
    engine = ""
    for name in sorted(results, key=lambda n: (n.split("_")[0] != "outcome", ["complex", "parsimonious",
                                                                             "intermediate"].index(n.split("_", 1)[1])
                                                   if n.split("_", 1)[1] in _SOL_ZH else 9)):
        r = results[name]
        side, sol = name.split("_", 1)
        tz, te = _side_titles(side, sol, outcome)
        err = r.get("error")
        if err:
            label = "已跳过 skipped" if r.get("skipped") else "分析失败 failed"
            warnings.append(f"{tz} / {te}: {label} — {err}")
        mz = r.get("minimize") or {}
        models = [{"name": s.get("name"), "expression": s.get("expression"), "term_fit": s.get("term_fit") or [],
                   "inclS": s.get("inclS"), "PRI": s.get("PRI"), "covS": s.get("covS")} for s in mz.get("solutions") or []]
        cf = ""
        if sol == "intermediate" and mz.get("intermediate"):
            easy = len({c.get("index") for i in mz["intermediate"] for c in i.get("easy_counterfactuals") or []})
            diff = len({c.get("index") for i in mz["intermediate"] for c in i.get("difficult_counterfactuals") or []})
            cf = (f"方向性预期 dir_exp = {', '.join(mz.get('dir_exp') or [])}；简单反事实 {easy} 个，困难反事实 {diff} 个。"
                  f" Easy counterfactuals: {easy}; difficult: {diff}.")
        solutions.append({"name": name, "title_zh": tz, "title_en": te, "error": err, "skipped": r.get("skipped"),
                          "models": models, "counterfactuals": cf,
                          "outcome_expr": ("~" if side == "negation" else "") + outcome})
        if not engine and r.get("engine"):
            e = r["engine"]
            engine = e if isinstance(e, str) else json.dumps(e, ensure_ascii=False)
        tt = r.get("truth_table")
        if tt and not any(t["side"] == side for t in truth_tables):
            spec = r.get("spec") or {}
            truth_tables.append({
                "side": side, "title_zh": "结果：" + ("成功 " if side == "outcome" else "失败 ~") + outcome,
                "title_en": f"{'~' if side == 'negation' else ''}{outcome}",
                "conditions": tt.get("conditions") or [], "incl_cut": spec.get("incl_cut"),
                "n_cut": spec.get("n_cut"), "pri_cut": spec.get("pri_cut"),
                "rows": [{"cfg": list(str(row.get("config", ""))), "OUT": str(row.get("OUT")), "n": row.get("n"),
                          "incl": row.get("incl"), "PRI": row.get("PRI"), "cases": row.get("cases") or []}
                         for row in sorted(tt.get("rows") or [], key=lambda x: (str(x.get("OUT")) != "1",
                                                                                 -(x.get("incl") or 0)))]})
        nec = r.get("necessity_negated") if side == "negation" and r.get("necessity_negated") else r.get("necessity")
        if nec and not any(n["side"] == side for n in necessity):
            rows = []
            for n in nec:
                base = str(n.get("condition", "")).lstrip("~")
                c = cond_by.get(base, {})
                rows.append({**n, "label": c.get("label_zh", ""),
                             "necessary": (n.get("inclN") or 0) >= necessity_incl and (n.get("RoN") or 0) >= necessity_ron})
            necessity.append({"side": side, "rows": rows,
                              "title_zh": f"结果 {'~' if side == 'negation' else ''}{outcome}（{'失败' if side == 'negation' else '成功'}）",
                              "title_en": f"Outcome {'~' if side == 'negation' else ''}{outcome}"})

    # -- paths (findings) for overview, plots and quotes
    overview_paths, path_sections = [], []
    for p in findings.get("paths") or []:
        if p.get("solution") != main_sol:
            continue
        side = p["side"]
        prefix = "路径 P" if side == "outcome" else "困境 D"
        models = p.get("models") or []
        seen, terms = set(), []
        for m in models:
            for t in m.get("terms") or []:
                if t["term"] not in seen:
                    seen.add(t["term"])
                    terms.append(t)
        overview_paths.append({"side": side, "prefix": prefix, "terms": terms,
                               "n_models": max(int(p.get("n_models") or 0), len(models)),
                               "n_listed": len(models), "n_exact": p.get("n_models_exact", True),
                               "model": models[0] if len(models) == 1 else None,
                               "error": p.get("error")})
        tz, te = _side_titles(side, main_sol, outcome)
        sec_terms = []
        for t in terms:
            cases_q = []
            for cid in t.get("typical") or []:
                per = (t.get("quotes") or {}).get(cid) or {}
                conds = []
                for lit, present in parse_term(t["term"]):
                    conds.append({"condition": lit, "present": present,
                                  "label": cond_by.get(lit, {}).get("label_zh", ""),
                                  "quotes": [_quote_parts(q, max_chars=max_quote_chars) for q in per.get(lit) or []]})
                cases_q.append({"case_id": cid, "conditions": conds})
            sec_terms.append({**t, "cases": cases_q})
        path_sections.append({"side": side, "prefix": prefix, "title_zh": tz, "title_en": te, "terms": sec_terms})
        # plots
        y = wide[outcome] if outcome in wide.columns else None
        if y is None:
            continue
        yy = 1 - y if side == "negation" else y
        labels = [case_names.get(c, c) for c in wide.index]
        def zh_term(term: str) -> str:
            return " × ".join(("" if present else "非") + (cond_by.get(lit, {}).get("label_zh") or lit)
                              for lit, present in parse_term(term))

        for k, t in enumerate(terms, start=1):
            x = term_membership(wide, t["term"])
            fit = {"inclS": (t.get("fit") or {}).get("inclS"), "covS": (t.get("fit") or {}).get("covS")}
            svg = xy_plot(x.tolist(), yy.tolist(), labels, title=f"{prefix}{k}: {t['term']}",
                          xlabel=f"{t['term']}\n{zh_term(t['term'])}",
                          ylabel=("~" if side == "negation" else "") + f"{outcome} {out_label[0]}",
                          fit=fit, salt=f"{side}{k}")
            plots.append({"name": f"xy_{side}_term{k}", "svg": svg,
                          "caption": f"{prefix}{k} {t['term']} → {'~' if side == 'negation' else ''}{outcome}"})
        for m in models:
            if len(m.get("terms") or []) < 2:
                continue
            x = pd.concat([term_membership(wide, t["term"]) for t in m["terms"]], axis=1).max(axis=1)
            svg = xy_plot(x.tolist(), yy.tolist(), labels, title=f"{m['name']}: {'~' if side == 'negation' else ''}{outcome} 解",
                          xlabel=m.get("expression") or "", ylabel=("~" if side == "negation" else "") + outcome,
                          fit={"inclS": m.get("inclS"), "covS": m.get("covS")}, salt=f"{side}{m['name']}")
            plots.append({"name": f"xy_{side}_{m['name']}", "svg": svg,
                          "caption": f"{'生成逻辑' if side == 'outcome' else '困境模式'} {m['name']}: {m.get('expression')}"})

    # -- which case follows which path: membership of every case in every main-solution term
    path_cols: list[dict[str, Any]] = []
    for sec in path_sections:
        for k, t in enumerate(sec["terms"], start=1):
            path_cols.append({"name": f"{sec['prefix'].split()[-1]}{k}", "term": t["term"], "side": sec["side"],
                              "m": term_membership(wide, t["term"]) if len(wide.columns) else None})
    case_paths = []
    if path_cols and outcome in wide.columns:
        for cid in wide.index:
            y = float(wide.loc[cid, outcome])
            cells = []
            for pc in path_cols:
                m = float(pc["m"][cid]) if pc["m"] is not None else float("nan")
                yy = 1 - y if pc["side"] == "negation" else y
                cells.append({"m": m, "typical": m > 0.5 and yy > 0.5, "deviant": m > 0.5 and yy < 0.5})
            case_paths.append({"case_id": cid, "outcome": y, "cells": cells})

    # -- failed cases
    failed = []
    for f in findings.get("failed_cases") or []:
        conds = [{**c, "quotes": [_quote_parts(q, max_chars=max_quote_chars) for q in c.get("quotes") or []]}
                 for c in f.get("conditions") or []]
        failed.append({**f, "conditions": conds})

    # -- case matrix rows
    matrix_rows = []
    cols = [c["name"] for c in conditions] + [outcome]
    mem_idx = {(r.case_id, r.condition): r for r in mem.itertuples(index=False)}
    overrides = []
    for c in cases:
        cells = []
        for col in cols:
            r = mem_idx.get((c["case_id"], col))
            if r is None:
                cells.append({"raw": None, "membership": float("nan"), "override": False, "flag": "", "title": ""})
                continue
            raw = None if pd.isna(r.raw) else float(r.raw)
            tip = f"{col}: raw {raw if raw is not None else '—'}, calibrated {float(r.calibrated):.3f}"
            if bool(r.override):
                tip += f"; override → {float(r.membership):.2f}: {r.reason}"
                overrides.append({"case_id": c["case_id"], "condition": col, "calibrated": float(r.calibrated),
                                  "membership": float(r.membership), "reason": r.reason, "author": "", "date": ""})
            cells.append({"raw": raw if col != outcome or raw != float(r.calibrated) else None,
                          "membership": float(r.membership), "override": bool(r.override),
                          "flag": "" if pd.isna(r.flag) else str(r.flag), "title": tip})
        matrix_rows.append({"case_id": c["case_id"], "cells": cells})
    for o in overrides:
        for co in calibration.get("overrides") or []:
            if co.get("case_id") == o["case_id"] and co.get("condition") == o["condition"]:
                o["author"], o["date"] = co.get("author", ""), co.get("date", "")
    calib_rows = []
    settings_rows = {}
    for r in mem.drop_duplicates("condition").itertuples(index=False):
        settings_rows[r.condition] = json.loads(r.setting) if isinstance(r.setting, str) and r.setting else {}
    for c in conditions:
        s = settings_rows.get(c["name"], {})
        calib_rows.append({"name": c["name"], "codes": ", ".join(c.get("codes") or []), "method": s.get("method", ""),
                           "anchors": ", ".join(f"{a:g}" for a in s["anchors"]) if "anchors" in s else s.get("threshold", ""),
                           "expected": {"1": "存在 present", "0": "缺失 absent", "-": "无 none"}.get(c.get("expected"), ""),
                           "group": {"remote": "远因 remote", "proximate": "近因 proximate"}.get(c.get("group"), "")})

    # -- per case x code counts (+n / -n)
    count_codes: list[str] = []
    count_rows: list[dict[str, Any]] = []
    if code_counts is not None and len(code_counts):
        used = [code for c in conditions for code in c.get("codes") or []]
        count_codes = [c for c in used if c in set(code_counts["code"])]
        cc_idx = code_counts.set_index(["case_id", "code"])
        for c in cases:
            cells = []
            for code in count_codes:
                key = (c["case_id"], code)
                if key in cc_idx.index:
                    r = cc_idx.loc[key]
                    cells.append({"pos": int(r["n_pos"]), "neg": int(r["n_neg"])})
                else:
                    cells.append({"pos": 0, "neg": 0})
            count_rows.append({"case_id": c["case_id"], "cells": cells})

    # -- corpus and coding
    corpus_rows, doc_types = [], []
    if documents is not None and len(documents):
        doc_types = sorted(documents["doc_type"].astype(str).unique())
    code_rows = []
    if code_counts is not None and len(code_counts):
        code_to_cond = {code: c["name"] for c in conditions for code in c.get("codes") or []}
        agg = code_counts.groupby("code")[["n_pos", "n_neg"]].sum()
        src = (evidence.drop_duplicates(["passage_id", "code"]).groupby(["code", "source"]).size().unstack(fill_value=0)
               if evidence is not None and len(evidence) else pd.DataFrame())
        for code, row in agg.iterrows():
            code_rows.append({"code": code, "label_zh": cb.get(code, {}).get("label_zh", ""),
                              "label_en": cb.get(code, {}).get("label_en", ""), "n_pos": int(row.n_pos),
                              "n_neg": int(row.n_neg),
                              "human": int(src.loc[code, "human"]) if "human" in src.columns and code in src.index else 0,
                              "auto": int(src.loc[code, "auto"]) if "auto" in src.columns and code in src.index else 0,
                              "condition": code_to_cond.get(code, "")})
        per_case = code_counts.drop_duplicates("case_id").set_index("case_id")
    else:
        per_case = pd.DataFrame()
    for c in cases:
        cid = c["case_id"]
        types: dict[str, int] = {}
        chars = 0
        if documents is not None and len(documents):
            d = documents[documents["case_id"].astype(str) == cid]
            types = d.groupby("doc_type").size().to_dict()
            chars = int(pd.to_numeric(d.get("n_chars", pd.Series(dtype=float)), errors="coerce").fillna(0).sum())
        npas = int(per_case.loc[cid, "n_passages"]) if cid in per_case.index else 0
        ncod = int(per_case.loc[cid, "n_coded_passages"]) if cid in per_case.index else 0
        if passages is not None and len(passages) and not chars:
            chars = int(passages[passages["case_id"].astype(str) == cid]["text"].astype(str).str.len().sum())
        corpus_rows.append({"case_id": cid, "types": types, "passages": npas, "coded": ncod, "chars": chars})
    agreement_tabs = []
    for name, df in agreement:
        df = df.head(60).copy()
        for col in df.columns:  # counts stay integers even when a missing value made the column float
            vals = pd.to_numeric(df[col], errors="coerce")
            if vals.notna().any() and vals.notna().sum() == df[col].notna().sum() and \
                    (vals.dropna() % 1 == 0).all() and not str(col).lower().startswith(("f1", "kappa", "alpha",
                                                                                          "precision", "recall",
                                                                                          "polarity", "percent")):
                df[col] = [None if pd.isna(v) else str(int(v)) for v in vals]
        agreement_tabs.append({"name": name, "columns": list(df.columns),
                               "rows": [[(v if not isinstance(v, float) or v == v else None) for v in row]
                                        for row in df.itertuples(index=False)]})

    # -- robustness
    rob = None
    if robustness and robustness.get("terms") is not None:
        rob = dict(robustness)
        ts = [t for t in rob["terms"]]
        if ts:
            rob["plot"] = survival_plot([("" if t["side"] == "outcome" else "[~] ") + t["term"] for t in ts],
                                        [t.get("grid_exact") or 0 for t in ts],
                                        [t.get("resample_exact") or 0 for t in ts] if rob.get("n_resample") else None,
                                        title="项在各运行中保留的比例 share of runs in which each term survives")
        else:
            rob["plot"] = ""
    ts_ctx = None
    if two_step and two_step.get("enabled"):
        ts_ctx = {"enabled": True, "error": two_step.get("error"), "contexts": two_step.get("contexts") or [],
                  "steps": [{"context": s.get("context"), "terms": s.get("terms") or [],
                             "term_fit": s.get("term_fit") or [],
                             "error": (s.get("result") or {}).get("error")} for s in two_step.get("steps") or []],
                  "remote": [c["name"] for c in conditions if c.get("group") == "remote"]}

    n_success = sum(1 for c in cases if c["outcome"] > 0.5)
    n_failure = sum(1 for c in cases if c["outcome"] < 0.5)
    sections = [{"id": i, "zh": z, "en": e} for i, z, e in SECTIONS if i != "twostep" or ts_ctx]
    env = Environment(loader=FileSystemLoader(str(_HERE / "templates")), autoescape=select_autoescape(["html", "j2"]),
                      trim_blocks=True, lstrip_blocks=True)
    template = env.get_template("report.html")
    ctx = dict(
        title=title or "跨部门协同的生成逻辑与困境：QCA 研究报告",
        subtitle="Generative logic and dilemma patterns of cross-departmental collaboration: QCA report",
        version=__version__, generated=_dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        sections=sections, n_cases=len(cases), n_success=n_success, n_failure=n_failure,
        n_mixed=len(cases) - n_success - n_failure, conditions=conditions, outcome=outcome, outcome_label=out_label,
        warnings=warnings, main_solution=main_sol, overview_paths=overview_paths, cases=cases, case_names=case_names,
        corpus_rows=corpus_rows, doc_types=doc_types, code_rows=code_rows, agreement=agreement_tabs,
        matrix_rows=matrix_rows, code_labels={k: v.get("label_zh", "") for k, v in cb.items()}, count_codes=count_codes, count_rows=count_rows, overrides=overrides, overrides_file=calibration.get("overrides_file"),
        calib_rows=calib_rows, necessity=necessity, necessity_incl=necessity_incl, necessity_ron=necessity_ron,
        truth_tables=truth_tables, solutions=solutions, plots=plots, path_sections=path_sections, failed=failed,
        path_cols=[{"name": pc["name"], "term": pc["term"], "side": pc["side"]} for pc in path_cols],
        case_paths=case_paths,
        two_step=ts_ctx, robustness=rob,
        settings=json.dumps(settings or {}, ensure_ascii=False, indent=2, default=str), engine=engine,
        css=(_HERE / "templates" / "report.css").read_text(encoding="utf-8"), font_stack=FONT_STACK, font_css="",
    )
    html = template.render(**ctx)
    ctx["font_css"] = font_face_css(html)
    html = template.render(**ctx)
    figures = {p["name"]: p["svg"] for p in plots}
    if rob and rob.get("plot"):
        figures["robustness"] = rob["plot"]
    return html, figures


def thesis_tables(*, results: Mapping[str, Mapping[str, Any]], findings: Mapping[str, Any],
                  memberships: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """The report's tables as plain CSV-ready frames, for a thesis or a spreadsheet.

    ``memberships_wide`` (case x condition, after overrides), ``necessity_<side>``,
    ``truth_table_<side>``, ``solutions`` (every analysis, model and term with its fit) and
    ``case_paths`` (membership of every case in every path of the main solution).
    """
    from textqca.analysis import term_membership

    out: dict[str, pd.DataFrame] = {}
    wide = memberships.pivot(index="case_id", columns="condition", values="membership")
    order = [c["case_id"] for c in findings.get("cases") or []]
    wide = wide.reindex([c for c in order if c in wide.index] or list(wide.index))
    cols = [c["name"] for c in findings.get("conditions") or []] + [str(findings.get("outcome", "OUT"))]
    out["memberships_wide"] = wide[[c for c in cols if c in wide.columns]].reset_index()
    sol_rows = []
    for name in sorted(results):
        r = results[name]
        side = name.split("_", 1)[0]
        tt = r.get("truth_table")
        if tt and f"truth_table_{side}" not in out:
            conds = tt.get("conditions") or []
            out[f"truth_table_{side}"] = pd.DataFrame([
                {**dict(zip(conds, str(row.get("config", "")))), "OUT": row.get("OUT"), "n": row.get("n"),
                 "incl": row.get("incl"), "PRI": row.get("PRI"), "cases": ",".join(row.get("cases") or [])}
                for row in tt.get("rows") or []])
        nec = r.get("necessity_negated") if side == "negation" and r.get("necessity_negated") else r.get("necessity")
        if nec and f"necessity_{side}" not in out:
            out[f"necessity_{side}"] = pd.DataFrame(nec)
        for m in (r.get("minimize") or {}).get("solutions") or []:
            for t in m.get("term_fit") or []:
                sol_rows.append({"analysis": name, "model": m.get("name"), "expression": m.get("expression"),
                                 "term": t.get("term"), "inclS": t.get("inclS"), "PRI": t.get("PRI"),
                                 "covS": t.get("covS"), "covU": t.get("covU"), "cases": t.get("cases")})
            sol_rows.append({"analysis": name, "model": m.get("name"), "expression": m.get("expression"),
                             "term": "(model)", "inclS": m.get("inclS"), "PRI": m.get("PRI"), "covS": m.get("covS"),
                             "covU": None, "cases": ""})
        if r.get("error"):
            sol_rows.append({"analysis": name, "model": "", "expression": "", "term": f"error: {r['error']}"})
    out["solutions"] = pd.DataFrame(sol_rows)
    main = str(findings.get("main_solution", "intermediate"))
    paths = {}
    for p in findings.get("paths") or []:
        if p.get("solution") != main:
            continue
        seen: list[str] = []
        for m in p.get("models") or []:
            for t in m.get("terms") or []:
                if t["term"] not in seen:
                    seen.append(t["term"])
        for k, term in enumerate(seen, start=1):
            label = f"{'P' if p['side'] == 'outcome' else 'D'}{k} {term}"
            paths[label] = term_membership(wide, term)
    if paths:
        out["case_paths"] = pd.DataFrame(paths).round(4).assign(**{cols[-1]: wide.get(cols[-1])}).reset_index()
    return out


_AGREEMENT_COLS = ["n_passages", "n_a", "n_b", "precision", "recall", "f1", "kappa", "alpha", "kappa_polarity",
                   "alpha_polarity", "polarity_accuracy"]


def _agreement_tables(path: str | Path) -> list[tuple[str, pd.DataFrame]]:
    """Tables from an agreement result: a CSV as it is, or the JSON of ``textqca reliability`` /
    ``textqca evaluate`` (one comparison with ``overall`` and ``per_code``, or ``rounds`` of pairs)."""
    path = Path(path)
    if not path.is_file():
        return []
    if path.suffix.lower() != ".json":
        df = _csv(path)
        return [(path.name, df)] if df is not None else []
    data = _read_json(path)
    reports: list[tuple[str, dict]] = []
    if isinstance(data, dict) and "rounds" in data:
        for rd in data.get("rounds") or []:
            for pair in rd.get("pairs") or []:
                reports.append((f"{rd.get('round', '')} {pair.get('a', '')} vs {pair.get('b', '')}", pair))
    elif isinstance(data, dict) and "overall" in data:
        reports.append((f"{data.get('a', 'A')} vs {data.get('b', 'B')}", data))
    elif isinstance(data, dict):  # e.g. evaluate: {"status", "hybrid": report, "rules_only": report}
        for key, val in data.items():
            if isinstance(val, dict) and "overall" in val:
                reports.append((f"{key}: {val.get('a', 'A')} vs {val.get('b', 'B')}", val))
    if not reports:
        status = data.get("status") if isinstance(data, dict) else None
        return [(path.stem, pd.DataFrame([{"status": status}]))] if status else []
    summary = []
    tables = []
    for name, rep in reports:
        if rep.get("error"):
            summary.append({"comparison": name, "error": rep["error"]})
            continue
        ov = rep.get("overall") or {}
        summary.append({"comparison": name, **{k: ov.get(k) for k in _AGREEMENT_COLS if k in ov}})
        per = pd.DataFrame(rep.get("per_code") or [])
        if len(per):
            tables.append((f"{path.stem}: {name} — per code",
                           per[[c for c in ["code", *_AGREEMENT_COLS] if c in per.columns]]))
    return [(f"{path.stem}: overall", pd.DataFrame(summary)), *tables]


def report_to_file(*, findings: str, calibration: str, memberships: str, results: Sequence[str], html: str,
                   figures: str | None = None, code_counts: str | None = None, evidence: str | None = None,
                   documents: str | None = None, passages: str | None = None,
                   robustness: str | Sequence[str] | None = None, two_step: str | None = None,
                   agreement: Sequence[str] = (), settings: Mapping[str, Any] | None = None,
                   codebook: str | None = None, report: Mapping[str, Any] | None = None,
                   necessity: Sequence[float] = (0.9, 0.5), tables: str | None = None) -> None:
    """Workflow step: render ``report.html`` (and each plot as a standalone SVG in ``figures/``).

    ``report`` is the config section (``title``, ``max_quote_chars``); ``necessity`` the
    (inclN, RoN) thresholds for marking a condition as necessary.
    """
    report = dict(report or {})
    if robustness is not None and not isinstance(robustness, str):
        robustness = list(robustness)[0] if len(robustness) else None
    title = str(report.get("title") or "")
    max_quote_chars = int(report.get("max_quote_chars", 240))
    necessity_incl, necessity_ron = (float(v) for v in necessity)
    from textqca.casematrix import codebook_labels
    from textqca.report.plots import standalone_svg

    res = {Path(p).stem: _read_json(p) for p in results}
    fnd = _read_json(findings)
    mem = pd.read_csv(memberships, dtype={"case_id": str}, keep_default_na=False,
                      na_values={"raw": [""], "calibrated": [""], "membership": [""]})
    agr = []
    for p in agreement or ():
        agr.extend(_agreement_tables(p))
    page, figs = build_report(
        findings=fnd, calibration=_read_json(calibration), memberships=mem,
        results=res, code_counts=_csv(code_counts, dtype={"case_id": str}),
        evidence=_csv(evidence, dtype=str), documents=_csv(documents, dtype=str),
        passages=_csv(passages), robustness=_read_json(robustness) if robustness else None,
        two_step=_read_json(two_step) if two_step else None, agreement=agr, settings=settings,
        codebook_labels=codebook_labels(codebook) if codebook else None, title=title,
        max_quote_chars=max_quote_chars, necessity_incl=necessity_incl, necessity_ron=necessity_ron)
    if figures:
        fdir = Path(figures)
        fdir.mkdir(parents=True, exist_ok=True)
        for name, svg in figs.items():
            write_text_atomic(standalone_svg(svg), fdir / f"{name}.svg")
    if tables:
        tdir = Path(tables)
        tdir.mkdir(parents=True, exist_ok=True)
        for name, df in thesis_tables(results=res, findings=fnd, memberships=mem).items():
            write_text_atomic(df.to_csv(index=False, float_format="%.6g"), tdir / f"{name}.csv")
    write_text_atomic(page, Path(html))
    log.info("report: %s (%d KB, %d figures)", html, len(page.encode()) // 1024, len(figs))
