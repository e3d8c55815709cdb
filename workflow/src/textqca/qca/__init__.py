"""QCA core: truth tables, exact minimization, parameters of fit, necessity.

Works on plain tables only (no text modules).  Names follow R's QCA package in
snake_case: :func:`truth_table`, :func:`minimize`, :func:`pof`,
:func:`super_subset`; :func:`run_spec` runs a whole analysis from a spec.
"""

from textqca.qca.data import QCAData, prepare, read_table
from textqca.qca.minimize import Model, Solution, minimize
from textqca.qca.necessity import necessity, pof, super_subset
from textqca.qca.spec import load_spec, run_spec, write_result
from textqca.qca.truthtable import TruthTable, truth_table

__all__ = [
    "QCAData",
    "TruthTable",
    "Solution",
    "Model",
    "prepare",
    "read_table",
    "truth_table",
    "minimize",
    "necessity",
    "pof",
    "super_subset",
    "run_spec",
    "load_spec",
    "write_result",
]
