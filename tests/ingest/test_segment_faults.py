"""Segmentation faults reported by the writers of the bundled study, each on real Chinese text.

Headings glued to their paragraph, the closing block of minutes under the last item, long
header fields, timestamps after the speaker label, transcriber's notes inside a turn, and
where a long article is cut.
"""

from __future__ import annotations

import re

from textqca.ingest.normalize import normalize_text
from textqca.segment import segment_interview, segment_policy

# corpus/EQ/policy/EQ_pol02.txt (paragraphs separated by blank lines, headings without punctuation)
MINUTES = """E区养老机构综合监管联席会议纪要
〔2022〕第4期

2022年12月15日下午，区政府分管副区长钱某主持召开E区养老机构综合监管联席会议2022年第四季度会议。区民政局、区消防救援大队、区卫生健康委、区市场监管局、区住建局、区应急管理局、区财政局、区大数据中心主要负责同志或者分管负责同志，以及各街道办事处分管负责同志参加会议。会议听取了区民政局关于2022年综合监管工作情况的汇报，研究了有关问题。现纪要如下。

一、关于全年工作情况
会议认为，2022年各成员单位按照《E区养老机构综合监管办法》要求，密切配合、协同发力，全年组织“综合查一次”联合检查2轮，覆盖全区93家养老机构；包联干部通过平台推送问题线索1,126条，相关部门按期处置率98.4%；全区养老机构消防安全隐患由2021年的152处下降至43处；3家无证养老服务场所完成整改或者关停，分流安置老年人11名，未发生安全责任事故和群体性投诉。

二、关于民办养老机构消防设施改造补贴问题
会议同意将民办养老机构自动喷水灭火系统改造补贴上限由30万元提高至40万元。由区财政局、区民政局于2023年1月底前修订补贴实施细则，区消防救援大队提供技术标准，对2023年申请改造的机构优先审核。

三、关于平台问题推送分级问题
针对消防等部门反映的轻微问题推送过多问题，会议决定：由区大数据中心会同区民政局于2023年3月底前完成平台升级，将推送问题分为“立即处置、限期整改、提示提醒”三级，提示提醒类问题由包联干部现场督促整改，不再推送相关部门。

四、关于与市级养老服务监管系统对接问题
市民政局正在建设全市养老服务综合监管系统。会议要求区民政局、区大数据中心主动对接市民政局，争取将区平台作为市级系统的区级节点接入，避免重复建设、重复录入。

五、关于养老机构膳食安全指引的实施
区卫生健康委、区市场监管局联合制定的《E区养老机构膳食营养与安全指引》自2023年1月1日起实施。两部门要联合开展一次面向养老机构负责人和厨师的培训，并在下一轮联合检查中将指引落实情况纳入检查事项。

六、关于2023年第一季度重点工作
（一）区民政局牵头制定2023年联合检查计划，于1月15日前印发。
（二）区消防救援大队牵头，于春节前组织一次全区养老机构消防应急疏散演练观摩活动。
（三）各街道继续做好辖区未登记养老服务场所的排查，发现一处、报告一处。

七、关于综合监管工作纳入绩效考核问题
区民政局提出将养老机构综合监管工作纳入区对成员单位年度绩效考核的建议。会议认为，区级绩效考核指标已经确定，且该项工作无上级考核要求，暂不单列考核指标；请区民政局继续做好工作情况统计，在年度总结中如实反映各成员单位履职情况。

出席：钱某、（以下按单位排列，略）
记录：何某
附件：2022年E区养老机构综合监管工作统计表
分送：联席会议各成员单位，各街道办事处
E区养老机构综合监管联席会议办公室（区民政局代章）
2022年12月20日印发
"""


def _policy(raw: str, **kw):
    text, _ = normalize_text(raw)
    ps = segment_policy(text, **kw)
    for p in ps:
        assert text[p.start : p.end] == p.text
    return text, ps


def test_numbered_heading_without_end_punctuation_becomes_the_section():
    text, ps = _policy(MINUTES)
    assert "二、关于民办养老机构消防设施改造补贴问题\n会议同意" in text  # not re-joined as a wrap
    by_start = {p.text[:6]: p for p in ps}
    p = by_start["会议同意将民"]
    assert p.section == "二、关于民办养老机构消防设施改造补贴问题"
    assert by_start["区民政局提出"].section == "七、关于综合监管工作纳入绩效考核问题"
    assert by_start["会议认为，2"].section == "一、关于全年工作情况"  # as before
    assert not any(re.match(r"^[一二三四五六七]、", q.text) and len(q.text) > 40 for q in ps)


def test_a_wrapped_numbered_line_is_still_rejoined():
    raw = "一、总体情况\n\n二、各成员单位要按照职责分工切实做好根治欠薪\n相关工作。\n\n三、其他事项。\n\n四、本方案自印发之日起施行。\n\n五、附则。\n"
    text, _ = normalize_text(raw)
    assert "二、各成员单位要按照职责分工切实做好根治欠薪相关工作。" in text.split("\n")


def test_closing_block_of_minutes_is_signature_and_attachment_not_the_last_item():
    _, ps = _policy(MINUTES)
    tail = [(p.section, p.role, p.text) for p in ps if p.text.startswith(("出席", "记录", "附件", "分送", "E区养老机构综合监管联席会议办公室"))]
    assert tail == [
        ("落款", "header", "出席：钱某、（以下按单位排列，略）"),
        ("落款", "header", "记录：何某"),
        ("附件", "", "附件：2022年E区养老机构综合监管工作统计表"),
        ("落款", "header", "分送：联席会议各成员单位，各街道办事处"),
        ("落款", "header", "E区养老机构综合监管联席会议办公室（区民政局代章）\n2022年12月20日印发"),
    ]
    assert not any(p.section.startswith("七、") and p.role == "header" for p in ps)


def test_attachment_line_before_the_signature_is_not_under_the_last_item():
    # corpus/GQ/policy/GQ_pol02.txt and LX_pol01.txt: 附件 between the last item and the signature
    raw = (
        "四、下一步工作要求\n"
        "（四）各街道要加强网格员队伍管理，规范事件上报标准，杜绝凑数上报，提高上报事件的质量和准确性。\n"
        "（五）区网格中心将继续按月通报处置情况，对连续三个月排名后三位的单位，提请区政府分管领导约谈。\n\n"
        "附件：2021年度G区各单位网格化事件处置情况统计表\n\n"
        "G区城市网格化服务管理中心\n2022年1月25日\n"
    )
    _, ps = _policy(raw)
    assert [(p.section, p.role) for p in ps if p.text.startswith("附件")] == [("附件", "")]
    assert ps[-1].section == "落款" and ps[-1].text == "G区城市网格化服务管理中心\n2022年1月25日"
    raw = (
        "七、其他事项\n（三）本方案由县扶贫小额信贷工作领导小组办公室负责解释，自印发之日起施行。\n"
        "附件：1.L县扶贫小额信贷工作领导小组成员名单\n2.贫困户信用评级表（样表）\n3.扶贫小额信贷工作职责清单\n"
        "L县人民政府办公室\n2016年8月22日\n"
    )
    _, ps = _policy(raw)
    att = [p for p in ps if p.text.startswith("附件")]
    assert len(att) == 1 and att[0].section == "附件" and att[0].text.endswith("工作职责清单")


INTERVIEW_HEADER = (
    "访谈编号：BX-05\n访谈时间：2021年9月10日\n访谈地点：B县青溪镇X村村委会及河边鱼塘\n"
    "受访者身份：X村党支部书记兼村级河长（钱某，男，55岁，1998年起任村支书，2017年起兼任村级河长，负责青溪河X村段的日常巡查、"
    "垃圾清理和问题上报，此前在镇水利站做过三年临时工）；养殖户老何（男，60岁左右）中途参与\n"
    "受访者：钱某，男，55岁，X村党支部书记兼村级河长，在村里工作二十多年，熟悉青溪河沿岸的养殖户和企业\n"
    "访谈人：课题组成员丙、丁\n\n"
)


def test_header_field_longer_than_80_characters_stays_in_the_header():
    raw = INTERVIEW_HEADER + "问：钱书记，今天太阳好大，麻烦您带我们跑这一趟。\n答：没事，我天天在河边转，我是村级河长嘛，一个礼拜要巡三次河。\n"
    text, _ = normalize_text(raw)
    assert max(len(x) for x in text.split("\n")[:5]) > 80
    ps = segment_interview(text)
    assert ps[0].role == "header" and ps[0].text.startswith("访谈编号") and ps[0].text.endswith("访谈人：课题组成员丙、丁")
    assert [(p.speaker, p.role, p.turn) for p in ps[1:]] == [("问", "interviewer", 1), ("答", "respondent", 2)]
    # an answer that mentions an age is still a turn, not a header field
    ps = segment_interview(normalize_text("访谈编号：BX-05\n受访者：我今年55岁了，男的嘛，在村里干了二十多年，什么没见过。\n访谈者：那您觉得呢？\n")[0])
    assert [(p.speaker, p.role) for p in ps[1:]] == [("受访者", "respondent"), ("访谈者", "interviewer")]


def test_timestamp_after_the_speaker_label_is_out_of_the_text_like_before_it():
    after = "【访谈者】[00:01:02] 夏天颜色不对，是什么样子？\n【受访者】[00:01:07] 发黑，有时候发黄，泡沫多，味道也冲。\n"
    before = "[00:01:02] 【访谈者】夏天颜色不对，是什么样子？\n[00:01:07] 【受访者】发黑，有时候发黄，泡沫多，味道也冲。\n"
    colon = "访谈者：（00:01:02）夏天颜色不对，是什么样子？\n受访者：［00:01:07］发黑，有时候发黄，泡沫多，味道也冲。\n"
    results = []
    for raw in (after, before, colon):
        text, _ = normalize_text(raw)
        ps = segment_interview(text)
        assert all(text[p.start : p.end] == p.text for p in ps)
        results.append([(p.speaker, p.role, p.text) for p in ps])
    assert results[0] == results[1] == results[2] == [
        ("访谈者", "interviewer", "夏天颜色不对，是什么样子？"),
        ("受访者", "respondent", "发黑，有时候发黄，泡沫多，味道也冲。"),
    ]
    # an unbracketed time after the label is speech
    ps = segment_interview(normalize_text("问：几点开会？\n答：10:30开会，在三楼。\n")[0])
    assert ps[1].text == "10:30开会，在三楼。"


def test_transcriber_note_on_its_own_line_is_a_note_passage():
    raw = (
        "问：您刚才提到担责任，能具体说说吗？\n"
        "答：2020年有个事，不说是哪个县了，一个乡镇的工作人员用共享平台查了一个人的户籍信息，转给了亲戚，被投诉了。\n"
        "（受访者接了一个电话，约三分钟）\n"
        "不好意思。刚才说到哪了？哦，评估。评估到现在还没有结果。\n"
        "访谈人：您觉得为什么这次这么快？\n"
        "周某（钢筋班组长）：（笑）我哪知道他们里头怎么弄的，现在几个部门不推了。\n\n"
        "（工人小李端着碗过来）\n"
        "小李（钢筋工）：周哥你又在讲去年的事啊。\n\n"
        "[第二部分]\n"
        "Q：曾股长，财政局在互助资金中负责什么？\n"
        "A：负责资金的拨付和监管。\n\n"
        "（访谈结束）\n"
    )
    text, _ = normalize_text(raw)
    ps = segment_interview(text)
    assert all(text[p.start : p.end] == p.text for p in ps)
    got = [(p.role, p.turn, p.text[:10]) for p in ps]
    assert got == [
        ("interviewer", 1, "您刚才提到担责任，能"),
        ("respondent", 2, "2020年有个事，不"),
        ("note", None, "（受访者接了一个电话"),
        ("respondent", 2, "不好意思。刚才说到哪"),  # the answer goes on after the note: same turn
        ("interviewer", 3, "您觉得为什么这次这么"),
        ("respondent", 4, "（笑）我哪知道他们里"),  # a remark inside speech stays
        ("note", None, "（工人小李端着碗过来"),
        ("respondent", 5, "周哥你又在讲去年的事"),
        ("note", None, "[第二部分]"),
        ("interviewer", 6, "曾股长，财政局在互助"),
        ("respondent", 7, "负责资金的拨付和监管"),
        ("note", None, "（访谈结束）"),
    ]
    assert ps[1].text.endswith("被投诉了。") and ps[3].speaker == "答"
    assert all(p.speaker == "" for p in ps if p.role == "note")


# corpus/WX/policy/WX_pol01.txt, 第七条 (501 characters with its nine items)
ARTICLE_7 = """第七条 各成员单位按照职责分工，各负其责，密切配合：
（一）县人力资源和社会保障局负责组织协调和督促检查，依法查处拖欠农民工工资违法行为，对涉嫌拒不支付劳动报酬犯罪的案件及时移送公安机关。
（二）县住房和城乡建设局、县交通运输局、县水利局按照职责履行行业监管责任，负责落实工资专用账户、实名制管理、工资保证金、维权信息公示等制度，对未落实相关制度的项目不予办理施工许可，督办因违法发包、转包、违法分包、拖欠工程款等导致的拖欠农民工工资案件。
（三）县发展和改革局、县财政局负责政府投资项目资金的审核和落实，防止因政府投资项目资金不到位拖欠工程款引发欠薪。
（四）县公安局负责及时受理、侦办涉嫌拒不支付劳动报酬刑事案件，依法处置因欠薪引发的群体性事件。
（五）县人民法院负责对农民工追索劳动报酬案件开辟绿色通道，依法快立、快审、快执。
（六）县司法局负责为农民工提供法律援助和人民调解服务。
（七）县大数据中心负责农民工工资支付监管平台与相关行业系统的数据对接和技术保障。
（八）中国人民银行W县支行负责指导银行业金融机构做好工资专用账户开设和代发工资工作。
（九）其他成员单位按照各自职责做好相关工作。
"""

_ITEM_START = re.compile(r"^(?:第[一二三四五六七八九十百]+条|[（(][一二三四五六七八九十]+[）)])")


def _assert_item_boundaries(ps, max_chars):
    for p in ps:
        assert len(p.text) <= max_chars, len(p.text)
        assert _ITEM_START.match(p.text), p.text[:20]  # starts at an article or item
        assert p.text.endswith("。"), p.text[-20:]  # ends a sentence (and its item)


def test_long_article_is_cut_between_items():
    text, ps = _policy("第二章 组织机构\n" + ARTICLE_7)
    assert len(text.split("\n", 1)[1]) > 500
    assert len(ps) == 2 and {p.section for p in ps} == {"第二章 > 第七条"}
    _assert_item_boundaries(ps, 500)
    assert ps[1].text == "（九）其他成员单位按照各自职责做好相关工作。"
    # a smaller limit: every cut still falls between items, never between the two
    # sentences of item (二) although a sentence cut would fill the chunk better
    article = ARTICLE_7.replace("按照职责履行行业监管责任，", "按照职责履行行业监管责任。")
    _, ps = _policy("第二章 组织机构\n" + article, max_chars=200)
    _assert_item_boundaries(ps, 200)
    assert ps[1].text.startswith("（二）县住房和城乡建设局")
    assert "".join(p.text.replace("\n", "") for p in ps) == article.replace("\n", "")


def test_an_item_longer_than_the_limit_is_cut_at_sentence_ends_only():
    item = "（二）" + "县住房和城乡建设局按照职责履行行业监管责任，负责落实工资专用账户制度。" * 6
    text, ps = _policy("第七条 各成员单位按照职责分工：\n" + item + "\n（三）其他成员单位按照各自职责做好相关工作。\n", max_chars=120)
    assert len(ps) >= 3
    for p in ps:
        assert len(p.text) <= 120 and p.text.endswith("。")


def test_office_and_date_on_one_line_close_the_minutes_and_name_the_issuer():
    # corpus/NX/policy/NX_pol01.txt and EQ_pol02.txt: the 版记 of minutes
    from textqca.ingest.metadata import extract_metadata

    raw = (
        "三、有关要求\n会议要求，各单位在工作中遇到的跨部门问题，不得以“不属于本单位职责”为由推诿，要先办理、后协调。\n\n"
        "出席：（略）\n列席：（略）\n分送：县委办公室，县人大常委会办公室，县政协办公室，县纪委监委，各有关单位。\n\n"
        "N县人民政府办公室                    2019年3月26日印发\n"
    )
    _, ps = _policy(raw)
    assert [(p.section, p.role) for p in ps[-4:]] == [("落款", "header")] * 4
    sig = ps[-1].text
    assert extract_metadata("", signature=sig)["issuer"] == "N县人民政府办公室"
    assert extract_metadata("", signature=sig)["date"] == "2019-03-26"
    _, ps = _policy(MINUTES)
    meta = extract_metadata("", signature=ps[-1].text)
    assert meta["issuer"] == "E区养老机构综合监管联席会议办公室" and meta["date"] == "2022-12-20"
