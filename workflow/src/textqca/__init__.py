"""textqca: from coded Chinese qualitative material to QCA findings.

The text core (:mod:`textqca.ingest`, :mod:`textqca.segment`, :mod:`textqca.codebook`,
:mod:`textqca.autocode`, :mod:`textqca.reliability`) turns documents into coded
passages; :mod:`textqca.casematrix` turns coded passages into a plain
case x condition table; the QCA core (:mod:`textqca.calibrate`, :mod:`textqca.qca`)
works on tables only.  :mod:`textqca.report` and :mod:`textqca.cli` sit on top.
"""

__version__ = "0.1.0"
__all__ = ["__version__"]
