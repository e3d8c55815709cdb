"""Run one QCA analysis from a spec (the keys of ``shared/qca-refs/specs/*.json``)."""

from __future__ import annotations

import json
from pathlib import Path

from textqca import __version__
from textqca.errors import QCAError
from textqca.io import write_text_atomic
from textqca.qca.data import prepare, read_table
from textqca.qca.minimize import check_time_limit, minimize, parse_include
from textqca.qca.necessity import necessity
from textqca.qca.truthtable import truth_table

__all__ = ["run_spec", "load_spec", "write_result", "SPEC_KEYS"]

SPEC_KEYS = {
    "name", "description", "data", "outcome", "conditions", "type", "incl_cut", "n_cut", "pri_cut",
    "include", "dir_exp", "method", "row_dom", "all_sol", "exclude", "time_limit",
}


def load_spec(path: str | Path) -> dict:
    """Read a JSON or YAML spec file."""
    path = Path(path)
    if not path.is_file():
        raise QCAError("spec file not found", path=path)
    text = path.read_text(encoding="utf-8")
    try:
        if path.suffix.lower() in (".yaml", ".yml"):
            import yaml

            spec = yaml.safe_load(text)
        else:
            spec = json.loads(text)
    except Exception as exc:
        raise QCAError(f"cannot parse the spec: {str(exc).splitlines()[0]}", path=path) from None
    if not isinstance(spec, dict):
        raise QCAError("the spec must be a mapping of keys (data, outcome, conditions, ...)", path=path)
    return spec


_TRUE, _FALSE = ("true", "1", "yes"), ("false", "0", "no", "")


def _bool(spec: dict, key: str) -> bool:
    v = spec.get(key, False)
    word = v.strip().lower() if isinstance(v, str) else None
    if word in _TRUE or word in _FALSE:
        return word in _TRUE
    if v is None or isinstance(v, (bool, int)) and v in (0, 1):
        return bool(v)
    raise QCAError(f"{key} must be true or false, got {v!r}")


def data_path(spec: dict, data_root: str | Path = ".") -> Path | None:
    """The file the spec's ``data`` names (relative to ``data_root`` unless absolute); None
    when ``data`` is a DataFrame."""
    import pandas as pd

    src = spec.get("data")
    if src is None or isinstance(src, pd.DataFrame):
        return None
    p = Path(str(src))
    return p if p.is_absolute() else Path(data_root) / p


def run_spec(spec: dict, *, data_root: str | Path = ".", time_limit: float | None = None) -> dict:
    """Run truth table, minimization and necessity for a spec; return RESULT.json content.

    The spec's ``data`` is a CSV path relative to ``data_root`` (or absolute), or a
    pandas DataFrame.  ``time_limit`` (seconds; see :func:`textqca.qca.minimize`) overrides
    the spec's optional ``time_limit`` key.  See docs/qca-result-format.md for the result."""
    if not isinstance(spec, dict):
        raise QCAError("the spec must be a mapping")
    unknown = set(spec) - SPEC_KEYS
    if unknown:
        raise QCAError(f"unknown spec key(s): {', '.join(sorted(unknown))}; known: {', '.join(sorted(SPEC_KEYS))}")
    for key in ("data", "outcome", "conditions"):
        if key not in spec:
            raise QCAError(f"the spec has no {key!r}")
    if time_limit is None:
        time_limit = check_time_limit(spec.get("time_limit"))
    src = spec["data"]
    import pandas as pd

    if isinstance(src, pd.DataFrame):
        df = src
        data_label = "<DataFrame>"
    else:
        df = read_table(data_path(spec, data_root))
        data_label = str(src)
    conditions = spec["conditions"]
    if isinstance(conditions, str):
        conditions = [c.strip() for c in conditions.split(",") if c.strip()]
    outcome = str(spec["outcome"])
    qd = prepare(df, outcome, conditions)
    tt = truth_table(
        qd,
        incl_cut=spec.get("incl_cut", 1),
        n_cut=spec.get("n_cut", 1),
        pri_cut=spec.get("pri_cut", 0),
        exclude=spec.get("exclude"),
    )
    include = parse_include(spec.get("include", ""))
    dir_exp = spec.get("dir_exp")
    if dir_exp is not None and "?" not in include:
        raise QCAError("dir_exp needs include '?' (the intermediate solution uses remainders)")
    sol = minimize(
        tt,
        include=include,
        dir_exp=dir_exp,
        row_dom=_bool(spec, "row_dom"),
        all_sol=_bool(spec, "all_sol"),
        method=spec.get("method"),
        time_limit=time_limit,
    )
    # R's pof(outcome = "~Y") in QCA 3.25.1 ignores the tilde: the reference
    # `necessity` block is for the plain outcome.  We report it the same way and
    # add the values for the negated outcome under `necessity_negated`.
    plain = prepare(df, outcome.lstrip().lstrip("~"), conditions) if qd.negated else qd
    nec = necessity(plain, plain.outcome)
    nec_neg = necessity(qd, outcome) if qd.negated else None
    echo = {k: v for k, v in spec.items() if k != "data"}
    echo["data"] = data_label
    return {
        "name": spec.get("name"),
        "spec": echo,
        "engine": f"textqca {__version__}",
        "options": {
            "incl_cut": [c for c in tt.incl_cut if c is not None],
            "n_cut": tt.n_cut,
            "pri_cut": tt.pri_cut,
            "include": ",".join(include),
            "dir_exp": dir_exp,
            "row_dom": _bool(spec, "row_dom"),
            "all_sol": _bool(spec, "all_sol"),
        },
        "truth_table": tt.to_dict(),
        "minimize": sol.to_dict(),
        "necessity": nec,
        "necessity_outcome": plain.outcome_label,
        "necessity_negated": nec_neg,
        "warnings": list(tt.warnings) + list(sol.warnings),
    }


def write_result(result: dict, path: str | Path) -> None:
    """Write RESULT.json atomically (temp file in the same folder, then rename)."""
    write_text_atomic(json.dumps(result, ensure_ascii=False, indent=1, allow_nan=False) + "\n", path)
