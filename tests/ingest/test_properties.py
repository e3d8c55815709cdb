"""Properties that hold for any text: offsets exact, no passage starts or ends inside a sentence."""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from textqca.ingest.normalize import normalize_text
from textqca.segment import assign_passage_ids, segment_document

SENTENCES = [
    "县里成立了扶贫小额信贷工作领导小组，县长任组长。",
    "数据共享方面，我们和民政、人社的系统还没有打通！",
    "考核对你们影响大吗？",
    "他说：“数据是政府的，不是哪个局的。”",
    "主要靠人工，一户一户上门核对……",
    "财政局负责贴息资金的筹集；联社负责放贷",
    "网上可办率达到98.5%，接口调用量为零",
    "ＡＢＣ１２３全角字母",
    "PM2.5浓度继续下降",
]
PREFIXES = ["", "问：", "答：", "Q: ", "A：", "访谈者：", "受访者：", "王某（镇扶贫办主任）：", "【访谈者】", "[00:12:31] 问：",
            "第一章 总则", "第三条 ", "一、", "（二）", "3.", "（4）", "附件1", "访谈编号：LX-01", "时间：2020年9月14日",
            "国务院办公厅", "2018年12月4日", "国办发〔2018〕115号", "\u3000\u3000", " "]
JUNK = ["", "\u200b", "\r", "\t", "\u3000", "\x07", "\ufeff"]

line = st.builds(
    lambda p, ss, j, k: p + j + "".join(ss) + k,
    st.sampled_from(PREFIXES),
    st.lists(st.sampled_from(SENTENCES), min_size=0, max_size=12),
    st.sampled_from(JUNK),
    st.sampled_from(JUNK),
)
documents = st.lists(line, min_size=1, max_size=25).map(lambda ls: "\n".join(ls))
documents = st.one_of(documents, st.text(alphabet=st.sampled_from(list("问答：:。！？；…”\n\r 第一条章、（）1.某王【】\u200b国务院数据共享考核")), max_size=300))

FINAL = set("。！？!?；;…”’\"'」』）)》】")
LABEL_END = set("：:】]）)")


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(raw=documents, doc_type=st.sampled_from(["interview", "policy"]), max_chars=st.sampled_from([20, 60, 500]))
def test_offsets_and_sentence_boundaries(raw, doc_type, max_chars):
    canonical, _ = normalize_text(raw)
    assert "\r" not in canonical and "\u200b" not in canonical and "\n\n" not in canonical
    assert all(s == s.strip(" \t") for s in canonical.split("\n"))
    passages = assign_passage_ids("D1", segment_document(canonical, doc_type, max_chars=max_chars))
    ids = [p.passage_id for p in passages]
    assert len(set(ids)) == len(ids) and all(re.fullmatch(r"D1:[0-9a-f]{8}(~\d+)?", i) for i in ids)
    last = 0
    for p in passages:
        assert p.text and p.text == p.text.strip() and canonical[p.start : p.end] == p.text
        assert p.start >= last
        last = p.end
        # ends at a line end or after a sentence end
        assert p.end == len(canonical) or canonical[p.end] == "\n" or canonical[p.end - 1] in FINAL, (canonical, p)
        # starts at a line start, after a sentence end, or after a speaker label
        before = canonical[: p.start].rstrip(" \t")
        assert not before or before[-1] == "\n" or before[-1] in FINAL or before[-1] in LABEL_END, (canonical, p)


@settings(max_examples=100, deadline=None)
@given(raw=documents)
def test_ids_do_not_depend_on_line_endings_or_zero_width_characters(raw):
    a, _ = normalize_text(raw.replace("\r\n", "\n").replace("\r", "\n"))
    lf = raw.replace("\r\n", "\n").replace("\r", "\n")
    b, _ = normalize_text(lf.replace("\n", "\r\n").replace("。", "。\u200b"))
    assert a == b
