"""The rule coder: codebook phrases and patterns, with negation, remedy and contrast scope.

:class:`RuleCoder` compiles a codebook once and codes plain passage strings.  For every
code it finds the codebook's phrases, patterns and polarity cues in the passage, then
decides each match's polarity from its context:

* a deficiency term (``信息孤岛``, ``推诿扯皮``, ``缺乏信任``) is -1, unless a remedy verb or a
  prohibition governs it in the same clause (``打破信息孤岛``, ``不得推诿``, ``没有推诿扯皮``:
  +1);
* any other term is +1 unless a negation or deficiency cue governs it: before it in the
  same clause within ``negation_window`` characters (``没有联席会议``, ``缺乏沟通``,
  ``难以形成合力``, ``不愿意配合``), or right after it (``信息共享不够``, ``配合不到位``,
  ``联席会议形同虚设``); words that only look negative (``不断``, ``无论``, ``未来``) are
  masked first;
* ``不是A，而是B``: what A says is dropped, B counts;
* rhetorical questions (``谁愿意配合呢？``) flip what they ask about;
* contrast (``但是``, ``不过``, ``可是``, ``然而``): for a code mentioned on both sides, the side
  after the contrast decides; a bare deficiency after the contrast (``建立了联席会议，但是
  形同虚设``) turns the code before it to -1;
* ``以前……现在……``: the state after the "now" cue decides; a code mentioned only for the
  past is taken as changed.

The evidence of a code is the clause that carries its deciding match, with its offsets in
the passage.  The same engine runs inside the spaCy component (``textqca_coder``).
"""

from __future__ import annotations

import bisect
import math
import re
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from textqca.codebook import Codebook

__all__ = ["RuleMatch", "CodeDecision", "RuleCoder"]

# strength of a match by kind (used for the rule confidence and to break ties)
_KIND_WEIGHT = {"negative": 2.0, "positive": 2.0, "pattern": 1.5, "phrase": 1.0}
_KIND_CONF = {"negative": 0.85, "positive": 0.8, "pattern": 0.7, "phrase": 0.6}
_CLAUSE_RE = re.compile(r"[，,。；;！？!?：:\n]")
_SENT_RE = re.compile(r"[。；;！？!?\n]")
_QUESTION = set("？?")
_AFTER_WINDOW = 5
_MASK = "\u3000"


@dataclass(frozen=True)
class RuleMatch:
    """One codebook term found in a passage, with the polarity its context gives it."""

    code: str
    start: int
    end: int
    kind: str  # phrase | pattern | positive | negative
    polarity: int
    cue: str = ""  # the cue word that decided the polarity ("缺乏", "但是"), if any


@dataclass(frozen=True)
class CodeDecision:
    """The rule coder's decision for one code in one passage."""

    code: str
    polarity: int
    confidence: float
    start: int  # evidence clause offsets in the passage
    end: int
    evidence: str
    matches: tuple[RuleMatch, ...]


def _trie_regex(words) -> str:
    """A regex alternation of literal words as a prefix trie (much faster in ``re``)."""
    trie: dict = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = True

    def build(node) -> str:
        end = "" in node
        alts = [re.escape(ch) + build(sub) for ch, sub in sorted(node.items()) if ch != ""]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        if end:
            return "(?:" + body + ")?"
        return body

    return build(trie)


class RuleCoder:
    """Code passages with a codebook's phrases, patterns and polarity cues.

    >>> rc = RuleCoder(load_codebook("codebook/framework.yaml"))  # doctest: +SKIP
    >>> rc.code("部门之间缺乏信任")["ENV.CUL.TRUST"].polarity        # doctest: +SKIP
    -1
    """

    def __init__(self, codebook: Codebook):
        self.codebook = codebook
        self.code_ids = codebook.code_ids
        self._index = {c: i for i, c in enumerate(self.code_ids)}
        cues = codebook.cues
        self.window = cues.negation_window
        # literal table: word -> [(code, kind)], stronger kinds first
        table: dict[str, dict[str, str]] = {}
        rank = {"negative": 3, "positive": 2, "phrase": 1}
        for c in codebook.codes:
            for kind, words in (("phrase", c.phrases), ("positive", c.positive_cues), ("negative", c.negative_cues)):
                for w in words:
                    cur = table.setdefault(w, {})
                    if rank[kind] > rank.get(cur.get(c.id, ""), 0):
                        cur[c.id] = kind
        self._literal = {w: tuple(d.items()) for w, d in table.items()}
        words = sorted(table, key=len, reverse=True)
        self._lit_re = re.compile("(?=(" + _trie_regex(words) + "))") if words else None
        # contained literals: for a long match also report the shorter terms inside it
        self._inside: dict[str, tuple[tuple[str, int], ...]] = {}
        for w in words:
            subs = []
            for v in words:
                if len(v) < len(w):
                    i = w.find(v)
                    while i >= 0:
                        subs.append((v, i))
                        i = w.find(v, i + 1)
            self._inside[w] = tuple(subs)
        self._patterns = []
        for c in codebook.codes:
            for kind, pats in (("negative", c.negative_patterns), ("positive", c.positive_patterns), ("pattern", c.patterns)):
                if pats:
                    self._patterns.append((c.id, kind, re.compile("|".join(f"(?:{p})" for p in pats))))
        # cue words by category
        cats = {
            "neg": cues.negation,
            "neg_after": cues.negation_after,
            "remedy": cues.remedy,
            "contrast": cues.contrast,
            "before": cues.before,
            "after": cues.after,
            "rhet": cues.rhetorical,
        }
        cue_map: dict[str, set[str]] = {}
        for cat, ws in cats.items():
            for w in ws:
                cue_map.setdefault(w, set()).add(cat)
        self._cue_map = {w: frozenset(s) for w, s in cue_map.items()}
        self._cue_re = re.compile(_trie_regex(sorted(cue_map, key=len, reverse=True))) if cue_map else None
        # hints: broad words that suggest a code (features for the trained coder only)
        hint_map: dict[str, list[int]] = {}
        for c in codebook.codes:
            for w in c.hints:
                hint_map.setdefault(w, []).append(self._index[c.id])
        self._hint_map = hint_map
        self._hint_re = re.compile(_trie_regex(sorted(hint_map, key=len, reverse=True))) if hint_map else None
        masks = sorted(set(cues.not_negation), key=len, reverse=True)
        self._mask_re = re.compile(_trie_regex(masks)) if masks else None
        self._buer_re = re.compile(r"不是([^。；;！？!?\n]{1,60}?)[，,]?而是")

    # ------------------------------------------------------------------ matching

    def match(self, text: str) -> list[RuleMatch]:
        """All codebook terms in ``text`` with their context polarity (before aggregation)."""
        return self._analyse(text)[0]

    def code(self, text: str) -> dict[str, CodeDecision]:
        """The rule coder's decision per code found in ``text`` (code id -> decision)."""
        matches, ctx = self._analyse(text)
        return self._decide(text, matches, ctx)

    def features(self, texts) -> np.ndarray:
        """Rule features for the trained coder: per code (found, +1 evidence, -1 evidence,
        log count, log count of hint words), then global cue counts (negation, contrast,
        remedy, question, before/after)."""
        return self.analyse_batch(texts)[0]

    def analyse_batch(self, texts) -> tuple[np.ndarray, np.ndarray, list[dict[str, CodeDecision]]]:
        """(features, polarity matrix, decisions) of many passages, analysing each once."""
        k = len(self.code_ids)
        out = np.zeros((len(texts), 5 * k + 5), dtype=np.float64)
        mat = np.zeros((len(texts), k), dtype=np.int8)
        decs = []
        for r, t in enumerate(texts):
            matches, ctx = self._analyse(t)
            dec = self._decide(t, matches, ctx)
            decs.append(dec)
            for cid, d in dec.items():
                mat[r, self._index[cid]] = d.polarity
            for cid, d in dec.items():
                j = self._index[cid]
                out[r, 4 * j] = 1.0
                out[r, 4 * j + 1] = 1.0 if d.polarity > 0 else 0.0
                out[r, 4 * j + 2] = 1.0 if d.polarity < 0 else 0.0
                out[r, 4 * j + 3] = math.log1p(len(d.matches))
            if self._hint_re is not None:
                for m in self._hint_re.finditer(t):
                    for j in self._hint_map[m.group()]:
                        out[r, 4 * k + 5 + j] += 1.0
            cues = ctx["cues"]
            out[r, 4 * k] = math.log1p(sum(1 for c in cues if "neg" in c[2] or "neg_after" in c[2]))
            out[r, 4 * k + 1] = math.log1p(sum(1 for c in cues if "contrast" in c[2]))
            out[r, 4 * k + 2] = math.log1p(sum(1 for c in cues if "remedy" in c[2]))
            out[r, 4 * k + 3] = 1.0 if any(ch in _QUESTION for ch in t) else 0.0
            out[r, 4 * k + 4] = 1.0 if ctx["before_after"] else 0.0
        out[:, 4 * k + 5:] = np.log1p(out[:, 4 * k + 5:])
        return out, mat, decs

    def decisions_matrix(self, texts) -> tuple[np.ndarray, list[dict[str, CodeDecision]]]:
        """(n, k) matrix of rule polarity per code (0 = not found) and the decisions."""
        k = len(self.code_ids)
        mat = np.zeros((len(texts), k), dtype=np.int8)
        decs = []
        for r, t in enumerate(texts):
            d = self.code(t)
            decs.append(d)
            for cid, dd in d.items():
                mat[r, self._index[cid]] = dd.polarity
        return mat, decs

    # ------------------------------------------------------------------ internals

    def _analyse(self, text: str):
        masked = self._mask_re.sub(lambda m: _MASK * len(m.group()), text) if self._mask_re else text
        clause_b = [m.start() for m in _CLAUSE_RE.finditer(text)]
        sent_b = [m.start() for m in _SENT_RE.finditer(text)]
        cues = []  # (start, end, cats, word)
        if self._cue_re is not None:
            for m in self._cue_re.finditer(masked):
                w = m.group()
                cues.append((m.start(), m.end(), self._cue_map[w], w))
        cue_starts = [c[0] for c in cues]

        def clause_of(pos: int) -> tuple[int, int]:
            i = bisect.bisect_right(clause_b, pos - 1) if clause_b else 0
            # clause_b[i-1] < pos <= clause_b[i]
            i = bisect.bisect_left(clause_b, pos)
            start = clause_b[i - 1] + 1 if i > 0 else 0
            end = clause_b[i] if i < len(clause_b) else len(text)
            return start, end

        def sent_of(pos: int) -> tuple[int, int]:
            i = bisect.bisect_left(sent_b, pos)
            start = sent_b[i - 1] + 1 if i > 0 else 0
            end = sent_b[i] + 1 if i < len(sent_b) else len(text)
            return start, end

        # raw term matches
        raw: list[tuple[str, int, int, str]] = []
        seen = set()
        if self._lit_re is not None:
            for m in self._lit_re.finditer(text):
                w = m.group(1)
                if not w:
                    continue
                for v, off in ((w, 0),) + self._inside.get(w, ()):
                    for cid, kind in self._literal.get(v, ()):
                        key = (cid, m.start() + off, len(v))
                        if key in seen:
                            continue
                        seen.add(key)
                        raw.append((cid, m.start() + off, m.start() + off + len(v), kind))
        for cid, kind, rx in self._patterns:
            for m in rx.finditer(text):
                if m.end() > m.start() and (cid, m.start()) not in seen:
                    seen.add((cid, m.start()))
                    raw.append((cid, m.start(), m.end(), kind))
        # drop a match contained in a stronger/longer match of the same code
        raw.sort(key=lambda x: (x[0], x[1], -(x[2] - x[1])))
        kept: list[tuple[str, int, int, str]] = []
        for r in raw:
            if kept and kept[-1][0] == r[0] and kept[-1][1] <= r[1] and r[2] <= kept[-1][2]:
                if _KIND_WEIGHT[r[3]] > _KIND_WEIGHT[kept[-1][3]]:
                    kept[-1] = (r[0], kept[-1][1], kept[-1][2], r[3])
                continue
            kept.append(r)
        # 不是A而是B: drop what A says
        dropped = [(m.start(1), m.end(1)) for m in self._buer_re.finditer(masked)]
        matches = []
        for cid, s, e, kind in kept:
            if any(a <= s and e <= b for a, b in dropped):
                continue
            cs, ce = clause_of(s)
            pol, cue = self._polarity(kind, s, e, cs, ce, cues, cue_starts)
            ss, se = sent_of(s)
            if text[se - 1: se] in _QUESTION or (se < len(text) and text[se - 1] in _QUESTION):
                rh = [c for c in cues if ss <= c[0] < se and "rhet" in c[2]]
                if rh:
                    pol, cue = -pol, rh[0][3]
            matches.append(RuleMatch(cid, s, e, kind, pol, cue))
        ctx = {
            "cues": cues,
            "clause_of": clause_of,
            "sent_of": sent_of,
            "before_after": any("before" in c[2] for c in cues) and any("after" in c[2] for c in cues),
        }
        return matches, ctx

    def _polarity(self, kind, s, e, cs, ce, cues, cue_starts):
        lo = max(cs, s - self.window)
        i0 = bisect.bisect_left(cue_starts, lo)
        neg_before = remedy = None
        j = i0
        while j < len(cues) and cues[j][0] < s:
            st, en, cats, w = cues[j]
            if en <= s:
                if "remedy" in cats:
                    remedy = w
                elif "neg" in cats:
                    neg_before = w
            j += 1
        neg_after = None
        j = bisect.bisect_left(cue_starts, e)
        while j < len(cues) and cues[j][0] <= min(ce, e + _AFTER_WINDOW):
            st, en, cats, w = cues[j]
            if st >= e and st < ce and ("neg_after" in cats or "neg" in cats) and "remedy" not in cats:
                neg_after = w
                break
            j += 1
        if kind == "negative":
            if remedy:
                return 1, remedy
            if neg_before:
                return 1, neg_before
            return -1, ""
        if remedy and (neg_before or neg_after):
            # 解决……不到位的问题 / 避免缺乏沟通: the remedy wins
            return 1, remedy
        if neg_before:
            return -1, neg_before
        if neg_after:
            return -1, neg_after
        return 1, ""

    def _decide(self, text: str, matches: list[RuleMatch], ctx) -> dict[str, CodeDecision]:
        if not matches:
            return {}
        cues = ctx["cues"]
        sent_of = ctx["sent_of"]
        clause_of = ctx["clause_of"]
        contrasts = [c for c in cues if "contrast" in c[2]]
        after_pos = None
        before_pos = None
        if ctx["before_after"]:
            b = [c[0] for c in cues if "before" in c[2]]
            a = [c[0] for c in cues if "after" in c[2] and c[0] > min(b)]
            if a:
                before_pos, after_pos = min(b), min(a)
        by_code: dict[str, list[RuleMatch]] = {}
        for m in matches:
            by_code.setdefault(m.code, []).append(m)
        out: dict[str, CodeDecision] = {}
        for cid, ms in by_code.items():
            ms = sorted(ms, key=lambda m: m.start)
            weights = [_KIND_WEIGHT[m.kind] for m in ms]
            pols = [m.polarity for m in ms]
            conf_bonus = 0.0
            # contrast within a sentence
            for cs_, ce_, _, cw in contrasts:
                ss, se = sent_of(cs_)
                before = [i for i, m in enumerate(ms) if ss <= m.start < cs_]
                after = [i for i, m in enumerate(ms) if cs_ <= m.start < se]
                if before and after:
                    for i in before:
                        weights[i] = 0.0
                elif before and not after:
                    tail = text[ce_:se]
                    deficient = any(ce_ <= c[0] < se and ("neg" in c[2] or "neg_after" in c[2]) for c in cues)
                    other_codes = any(ce_ <= m.start < se for m in matches)
                    if deficient and not other_codes and tail.strip():
                        for i in before:
                            if pols[i] > 0:
                                pols[i] = -1
                                ms[i] = RuleMatch(ms[i].code, ms[i].start, ms[i].end, ms[i].kind, -1, cw)
            # 以前……现在……
            if after_pos is not None:
                past = [i for i, m in enumerate(ms) if before_pos <= m.start < after_pos]
                now = [i for i, m in enumerate(ms) if m.start >= after_pos]
                if past and now:
                    for i in past:
                        weights[i] = 0.0
                elif past and not now:
                    for i in past:
                        pols[i] = -pols[i]
                        ms[i] = RuleMatch(ms[i].code, ms[i].start, ms[i].end, ms[i].kind, pols[i], "以前……现在")
                    conf_bonus = -0.15
            score = sum(w * p for w, p in zip(weights, pols))
            if score == 0:
                live = [i for i, w in enumerate(weights) if w > 0] or list(range(len(ms)))
                polarity = pols[live[-1]]
            else:
                polarity = 1 if score > 0 else -1
            cand = [i for i in range(len(ms)) if pols[i] == polarity and weights[i] > 0] or list(range(len(ms)))
            best = max(cand, key=lambda i: (weights[i], -i))
            m = ms[best]
            cs, ce = clause_of(m.start)
            ev = text[cs:ce]
            lead = len(ev) - len(ev.lstrip())
            ev = ev.strip()
            conf = max(_KIND_CONF[x.kind] for x in ms) + 0.05 * (len(ms) - 1) + conf_bonus
            out[cid] = CodeDecision(
                code=cid,
                polarity=polarity,
                confidence=float(min(0.95, max(0.3, conf))),
                start=cs + lead,
                end=cs + lead + len(ev),
                evidence=ev,
                matches=tuple(ms),
            )
        return {c: out[c] for c in self.code_ids if c in out}


@lru_cache(maxsize=8)
def _cached(path: str, sha: str) -> RuleCoder:  # pragma: no cover - convenience
    from textqca.codebook import load_codebook

    return RuleCoder(load_codebook(path))
