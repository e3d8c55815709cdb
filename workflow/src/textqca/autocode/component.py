"""The rule coder as a spaCy pipeline component (``textqca_coder``).

>>> from textqca.nlp import make_pipeline                       # doctest: +SKIP
>>> nlp = make_pipeline("codebook/framework.yaml")             # doctest: +SKIP
>>> doc = nlp("部门之间缺乏信任，信息不共享。")                   # doctest: +SKIP
>>> [(s.label_, s.text, s._.polarity) for s in doc.spans["textqca"]]   # doctest: +SKIP
[('ENV.CUL.TRUST', '缺乏信任', -1), ('PRO.INFO', '信息不共享', -1)]
>>> doc._.codes                                                 # doctest: +SKIP
{'ENV.CUL.TRUST': -1, 'PRO.INFO': -1}

Every codebook term found becomes a span in ``doc.spans[spans_key]`` labelled with its code
id (spans may overlap; they are aligned outward to jieba token boundaries).  Getters:
``span._.polarity`` (the term's polarity in its context), ``span._.cue`` (the negation,
remedy or contrast cue that decided it), ``doc._.codes`` (code -> polarity after contrast
and before/after rules), ``doc._.evidence`` (code -> (start_char, end_char) of the evidence
clause).  The values live in ``doc.user_data`` as plain tuples, so Docs serialise with
``DocBin``.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Span

from textqca.autocode.rules import RuleCoder
from textqca.codebook import Codebook, load_codebook

__all__ = ["TextQCACoder"]

_KEY = "textqca_coder"


def _span_info(span: Span):
    return span.doc.user_data.get(_KEY, {}).get("spans", {}).get((span.start_char, span.end_char, span.label_))


def _span_polarity(span: Span):
    info = _span_info(span)
    return None if info is None else info[0]


def _span_cue(span: Span):
    info = _span_info(span)
    return None if info is None else info[1]


def _doc_codes(doc: Doc):
    return {c: v[0] for c, v in doc.user_data.get(_KEY, {}).get("codes", {}).items()}


def _doc_evidence(doc: Doc):
    return {c: (v[2], v[3]) for c, v in doc.user_data.get(_KEY, {}).get("codes", {}).items()}


for _obj, _name, _getter in ((Span, "polarity", _span_polarity), (Span, "cue", _span_cue),
                             (Doc, "codes", _doc_codes), (Doc, "evidence", _doc_evidence)):
    if not _obj.has_extension(_name):
        _obj.set_extension(_name, getter=_getter)


class TextQCACoder:
    """spaCy component: code a Doc with the rule coder (see module docs)."""

    def __init__(self, nlp: Language, name: str, *, codebook: str, spans_key: str = "textqca"):
        self.name = name
        self.spans_key = spans_key
        self.codebook_path = codebook
        self._rules: RuleCoder | None = None

    def set_codebook(self, codebook: Codebook) -> None:
        self._rules = RuleCoder(codebook)

    @property
    def rules(self) -> RuleCoder:
        if self._rules is None:
            self._rules = RuleCoder(load_codebook(self.codebook_path))
        return self._rules

    def __call__(self, doc: Doc) -> Doc:
        decisions = self.rules.code(doc.text)
        spans, info = [], {}
        for code, d in decisions.items():
            for m in d.matches:
                span = doc.char_span(m.start, m.end, label=code, alignment_mode="expand")
                if span is None:
                    continue
                spans.append(span)
                info[(span.start_char, span.end_char, code)] = (m.polarity, m.cue)
        doc.spans[self.spans_key] = spans
        doc.user_data[_KEY] = {
            "spans": info,
            "codes": {c: (d.polarity, d.confidence, d.start, d.end) for c, d in decisions.items()},
        }
        return doc


@Language.factory("textqca_coder", default_config={"codebook": "codebook/framework.yaml", "spans_key": "textqca"})
def make_textqca_coder(nlp: Language, name: str, codebook: str, spans_key: str) -> TextQCACoder:
    return TextQCACoder(nlp, name, codebook=codebook, spans_key=spans_key)
