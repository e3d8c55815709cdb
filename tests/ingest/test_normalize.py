"""Normalisation into the canonical text."""

from __future__ import annotations

from textqca.ingest.normalize import NORMALISATION_STEPS, normalize_text


def test_halfwidth_letters_digits_spaces_but_not_chinese_punctuation():
    text, steps = normalize_text("　　第三条　ＡＰＰ上线率达到９８．５％，“一网通办”（试点）：是！\r\n")
    assert text == "第三条 APP上线率达到98．5％，“一网通办”（试点）：是！"
    assert steps == list(NORMALISATION_STEPS)


def test_line_endings_zero_width_and_control_characters():
    text, _ = normalize_text("问：好吗？\r\n答：好\u200b的。\x07\r\u200b\r\n\n\n答：\ufeff对。\x0c")
    assert text == "问：好吗？\n答：好的。\n答：对。"


def test_hard_wrapped_text_is_rejoined_but_paragraphs_are_kept():
    para1 = "县财政安排两千万元设立扶贫小额信贷风险补偿金，对形成的损失按照风险补偿金承担百分之七十、联社承担百分之三十的比例分担，并建立尽职免责制度。"
    para2 = "各乡镇要通过村民大会、入户宣讲等方式宣传政策，引导贫困户树立诚信意识，按时还款，共同营造良好的农村信用环境。"
    wrapped = "\n".join(para1[i : i + 20] for i in range(0, len(para1), 20)) + "\n" + "\n".join(
        para2[i : i + 20] for i in range(0, len(para2), 20)
    )
    text, _ = normalize_text(wrapped)
    assert text == para1 + "\n" + para2


def test_blank_line_separated_wraps_inside_words_are_rejoined():
    raw = ("政府工作报\n告\n\n决胜全面建成小康社会取得决定性成就，交出一份人\n\u200b\n民满意的答卷。\n\n"
           "一、过去一年工作回顾\n\n第二段到此为止。")
    text, _ = normalize_text(raw)
    assert text == "政府工作报告\n决胜全面建成小康社会取得决定性成就，交出一份人民满意的答卷。\n一、过去一年工作回顾\n第二段到此为止。"


def test_lines_ending_a_sentence_or_starting_a_unit_are_not_joined():
    raw = "问：数据怎么核对\n答：靠人工\n第一条 总则\n（一）加强领导\n1.建立台账\n【访谈者】好的\n[00:01:02] 问：还有吗"
    text, _ = normalize_text(raw)
    assert text == raw


def test_page_numbers_and_web_menus_are_dropped():
    raw = "首页\n>\n政策文件\n>\n正文\n分享:\n标题在这里\n正文第一段。\n- 2 -\n第 3 页 共 9 页\n正文第二段。\n扫一扫在手机打开当前页"
    text, _ = normalize_text(raw)
    assert text == "标题在这里\n正文第一段。\n正文第二段。"


def test_traditional_to_simplified_is_optional_and_recorded():
    raw = "訪談者：這個聯席會議制度是怎麼運作的？"
    assert normalize_text(raw)[0] == raw
    text, steps = normalize_text(raw, to_simplified_chinese=True)
    assert text == "访谈者：这个联席会议制度是怎么运作的？" and steps[-1] == "t2s"
