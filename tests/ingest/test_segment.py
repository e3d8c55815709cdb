"""Passage boundaries, ids and speaker turns on real Chinese transcripts and documents."""

from __future__ import annotations

import re

import pytest

from textqca.ingest.normalize import normalize_text
from textqca.segment import (
    DEFAULT_MAX_CHARS,
    assign_passage_ids,
    passage_hash,
    segment_document,
    segment_interview,
    segment_policy,
    split_sentences,
)

TRANSCRIPT = """访谈编号：LX-09
访谈时间：2020年9月14日 上午9:30-11:10
访谈地点：L县某镇人民政府二楼扶贫办公室
访谈人：课题组成员李某、张某
受访者：王某（镇扶贫办主任）

问：您好，请您先介绍一下镇里的扶贫小额信贷是怎么组织的？
答：我们镇里成立了扶贫工作领导小组，书记任组长。各部门都要参加，每个月开一次联席会议。
[00:12:31] 王某（镇扶贫办主任）：数据共享方面，我们和民政、人社的系统还没有打通。
李某：那你们怎么核对信息？
王某：主要靠人工，一户一户上门核对。
【访谈者】考核对你们影响大吗？
【受访者】很大。考核排名靠后要约谈。
Q: 信用社那边配合得怎么样？
A：还可以，他们也有放贷任务。
访谈者：最后一个问题，您觉得最大的困难是什么？
受访者：人手不够。
"""


def test_interview_turns_speakers_roles():
    text, _ = normalize_text(TRANSCRIPT)
    ps = segment_interview(text)
    header = ps[0]
    assert header.role == "header" and header.text.startswith("访谈编号：LX-09") and header.text.endswith("王某（镇扶贫办主任）")
    turns = ps[1:]
    assert [p.speaker for p in turns] == [
        "问", "答", "王某（镇扶贫办主任）", "李某", "王某", "访谈者", "受访者", "Q", "A", "访谈者", "受访者",
    ]
    assert [p.role for p in turns] == [
        "interviewer", "respondent", "respondent", "interviewer", "respondent", "interviewer", "respondent",
        "interviewer", "respondent", "interviewer", "respondent",
    ]
    assert [p.turn for p in turns] == list(range(1, 12))
    # the label and the timestamp are not part of the passage text
    assert turns[2].text == "数据共享方面，我们和民政、人社的系统还没有打通。"
    assert turns[5].text == "考核对你们影响大吗？"
    for p in ps:
        assert text[p.start : p.end] == p.text


def test_named_interviewer_in_brackets_and_multi_paragraph_turn():
    text, _ = normalize_text("丙（访谈人）：您在这里工作几年了？\n黄某（县委办副主任）：五年了。\n刚来的时候什么都不懂。\n丙（访谈人）：好的。\n")
    ps = segment_interview(text)
    assert [(p.speaker, p.role) for p in ps] == [
        ("丙（访谈人）", "interviewer"), ("黄某（县委办副主任）", "respondent"), ("丙（访谈人）", "interviewer"),
    ]
    assert ps[1].text == "五年了。\n刚来的时候什么都不懂。"


def test_long_turn_is_split_at_sentence_boundaries():
    sentence = "我们每个月都要把贫困户的数据和民政、人社、残联的数据比对一遍，发现问题就上门核实。"
    text = "问：数据怎么核对？\n答：" + sentence * 30 + "\n"
    text, _ = normalize_text(text)
    ps = segment_interview(text, max_chars=DEFAULT_MAX_CHARS)
    answer = [p for p in ps if p.speaker == "答"]
    assert len(answer) > 1 and {p.turn for p in answer} == {2}
    for p in answer:
        assert len(p.text) <= DEFAULT_MAX_CHARS
        assert p.text.startswith("我们每个月") and p.text.endswith("。")
    assert "".join(p.text for p in answer) == sentence * 30


def test_split_sentences_keeps_closing_quotes():
    text = "他说：“数据是政府的，不是哪个局的。”我们记下了。真的吗？是的……"
    spans = split_sentences(text)
    assert [text[s:e] for s, e in spans] == ["他说：“数据是政府的，不是哪个局的。”", "我们记下了。", "真的吗？", "是的……"]


def test_passage_ids_depend_on_text_only_and_repeat_suffix():
    text, _ = normalize_text("问：对吗？\n答：对。\n问：真的对吗？\n答：对。\n")
    ps = assign_passage_ids("LX_int09", segment_interview(text))
    ids = [p.passage_id for p in ps]
    h = passage_hash("对。")
    assert ids[1] == f"LX_int09:{h}" and ids[3] == f"LX_int09:{h}~2"
    assert len(set(ids)) == len(ids)
    # editing one turn changes only that turn's id
    text2, _ = normalize_text("问：对吗？\n答：对。\n问：真的对吗？我再确认一下。\n答：对。\n")
    ids2 = [p.passage_id for p in assign_passage_ids("LX_int09", segment_interview(text2))]
    assert [a == b for a, b in zip(ids, ids2)] == [True, True, False, True]


POLICY = """L县人民政府办公室关于印发
《L县扶贫小额信贷工作实施方案》的通知
L政办发〔2016〕47号

各乡镇人民政府，县直各单位：
《L县扶贫小额信贷工作实施方案》已经县人民政府同意，现印发给你们，请认真贯彻执行。
L县人民政府办公室
2016年8月22日

L县扶贫小额信贷工作管理办法
第一章  总则
第一条 为规范扶贫小额信贷管理，制定本办法。
第二条 本办法适用于本县。
县扶贫办负责组织实施。
第二章  职责分工
第三条 有关部门职责如下：
（一）县扶贫办负责信息核实；
（二）县财政局负责贴息。
附件：1．领导小组成员名单
2．贷款申请表
"""


def test_policy_articles_sections_front_matter_and_signature():
    text, _ = normalize_text(POLICY)
    ps = segment_policy(text)
    assert ps[0].role == "header" and ps[0].section == "题头" and "L政办发〔2016〕47号" in ps[0].text
    sig = [p for p in ps if p.section == "落款"]
    assert [p.text for p in sig] == ["L县人民政府办公室\n2016年8月22日"]
    arts = [p for p in ps if re.search(r"第[一二三]条$", p.section)]
    assert [p.section for p in arts] == ["第一章 > 第一条", "第一章 > 第二条", "第二章 > 第三条"]
    assert arts[1].text == "第二条 本办法适用于本县。\n县扶贫办负责组织实施。"
    assert arts[2].text.endswith("（二）县财政局负责贴息。")
    assert ps[-1].text == "附件：1．领导小组成员名单\n2．贷款申请表"
    for p in ps:
        assert text[p.start : p.end] == p.text


def test_segment_document_dispatch_and_bad_max_chars():
    text, _ = normalize_text("问：好吗？\n答：好。\n")
    assert [p.speaker for p in segment_document(text, "interview")] == ["问", "答"]
    assert [p.speaker for p in segment_document(text, "policy")] == [""] * len(segment_document(text, "policy"))
    with pytest.raises(ValueError):
        segment_document(text, "interview", max_chars=5)


def test_interview_without_speaker_labels_is_cut_into_paragraphs():
    text, _ = normalize_text("访谈编号：LX-10\n时间：2020年9月18日\n\n县扶贫办的同志介绍了小额信贷的做法。\n他们每个月和联社对一次数据。\n")
    ps = segment_interview(text)
    assert [(p.role, p.text) for p in ps] == [
        ("header", "访谈编号：LX-10\n时间：2020年9月18日"),
        ("", "县扶贫办的同志介绍了小额信贷的做法。"),
        ("", "他们每个月和联社对一次数据。"),
    ]


def test_notes_before_the_first_turn_are_header():
    text, _ = normalize_text("访谈编号：MX-09\n\n[第一部分]\n[00:00:10] Q：您好？\n[00:00:13] A：您好。\n")
    ps = segment_interview(text)
    assert [(p.role, p.speaker, p.text) for p in ps] == [
        ("header", "", "访谈编号：MX-09"), ("header", "", "[第一部分]"), ("interviewer", "Q", "您好？"), ("respondent", "A", "您好。"),
    ]


def test_field_notes_sections_are_dated_entries():
    notes = ("L县调研日志\n2020年9月14日 上午\n到县扶贫办座谈，孙主任介绍了风险补偿金。\n下午去联社。\n"
             "2020年9月15日（星期二）\n入户走访三户，均已按时还款。\n")
    text, _ = normalize_text(notes)
    ps = segment_document(text, "fieldnote")
    assert [(p.section, p.role, p.text) for p in ps] == [
        ("题头", "header", "L县调研日志"),
        ("2020年9月14日 上午", "", "到县扶贫办座谈，孙主任介绍了风险补偿金。"),
        ("2020年9月14日 上午", "", "下午去联社。"),
        ("2020年9月15日（星期二）", "", "入户走访三户，均已按时还款。"),
    ]
    # in a policy document a closing date is a signature
    assert segment_document("通知正文到此。\n某县人民政府\n2020年9月15日", "policy")[-1].section == "落款"


def test_speaker_label_on_a_line_of_its_own():
    text, _ = normalize_text("访谈编号：LX-11\n时间：2020年9月18日\n访谈者：\n您好，请介绍一下联社的做法？\n受访者：\n我们先评级，再授信。\n")
    ps = segment_interview(text)
    assert [(p.speaker, p.role, p.text) for p in ps] == [
        ("", "header", "访谈编号：LX-11\n时间：2020年9月18日"),
        ("访谈者", "interviewer", "您好，请介绍一下联社的做法？"),
        ("受访者", "respondent", "我们先评级，再授信。"),
    ]
