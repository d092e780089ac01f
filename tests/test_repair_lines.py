"""Broken-lines repair: paragraphs cut by layout are joined, real breaks and headers stay."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crawler.repair.lexicon import pair_count
from crawler.repair.lines import WORD_PAIR_MIN, paragraphs, rejoin_broken_lines
from tests.structure_strategies import clean_articles, han_count, mixed_documents


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("本报讯 会议召开。\n各地积极主动推动各项工作落地实施,努力实现\n\n合作共赢、一举多赢。",
         "本报讯 会议召开。\n各地积极主动推动各项工作落地实施,努力实现合作共赢、一举多赢。"),
        ("会议召开。\n安伟要求,要加强组织\n\n领导,抓好推进落实。",
         "会议召开。\n安伟要求,要加强组织领导,抓好推进落实。"),
        ("会议召开。\n继续坚持“回头看”、奖惩评比等成熟有效的推进方\n\n\n\n式,以项目建设实效检验发展成效。",
         "会议召开。\n继续坚持“回头看”、奖惩评比等成熟有效的推进方式,以项目建设实效检验发展成效。"),
        ("会议召开。\n金泰制罐、黄河机械厂等企业分享了\n\n“三化改造”方面的探索与体会。",
         "会议召开。\n金泰制罐、黄河机械厂等企业分享了“三化改造”方面的探索与体会。"),
        ("会议召开。\n全市各级各类学校要做好疫情防控工\n\n作。为把好校园“入门关”,要提前摸排。",
         "会议召开。\n全市各级各类学校要做好疫情防控工作。为把好校园“入门关”,要提前摸排。"),
        ("会议召开。\n\u3000\u3000要抓好落实\n\u3000\u3000,确保完成任务。",
         "会议召开。\n\u3000\u3000要抓好落实,确保完成任务。"),
        ("会议召开。\nThe plan, in short, covers\nthe whole city, 全市推进。",
         "会议召开。\nThe plan, in short, covers the whole city, 全市推进。"),
    ],
)
def test_cut_paragraphs_are_joined(text: str, expected: str) -> None:
    assert rejoin_broken_lines(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        # a kicker above a title, and a title above the lead
        "会议要求,抓好落实。\n\n何雄在全市重点项目建设推进会上强调\n\n全力抓项目 促投资稳增长\n\n"
        "本报讯(正观新闻·郑州晚报记者 王际宾) 8月22日,推进会召开。",
        # a closing byline block
        "会议要求,交上一份满意的答卷。\n\n记者 唐善普\n通讯员 白博文/图\n\n"
        "中原区领导调研安全生产工作",
        # a headline with a comma, as the first line
        "守正创新,奋力谱写新篇章\n11月6日下午,孟津区召开会议。",
        # a title and its dateline
        "孟津区召开重点工作推进会议\n\n2023-01-01 18:30:45\n\n  11月6日下午,孟津区召开会议。",
        # a numbered section heading
        "会议召开。\n一、坚持党的领导,加强组织建设\n要把党的领导贯穿始终。",
        # a paragraph ending in a colon introduces what follows
        "会议召开。\n会议要求:\n抓好落实。",
        # a comma-less line above a headline-like line
        "会议召开。\n会议还研究了\n其他事项",
        # a number ends the line and a date opens the next: 209月 is no month
        "全市共有16个项目跻身前20\n9月25日，市发改委公布了名单。",
        # a subheading with a comma, above a paragraph that opens with a speaker or a date
        "会议召开。\n全力推进项目建设，抓好三件事\n李明在会上指出，要抓好落实。",
        "会议召开。\n多部门联合整治，群众出行更顺畅\n5月6日上午，市交通局召开会议。",
        "会议召开。\n多家公司竞相收购，谁将胜出\n25日晚间，一家公司发布公告。",
        # a first line with an exclamation mark inside is a headline still
        "行业巨震！龙头企业暂停所有广告\n针对行业的监管趋严。各地纷纷出台新规。",
        # photo captions end with their credit, and the story goes on below
        "市民在湖边赏花。本报记者 王明 摄\n游客们纷纷拍照留念，湖边一片欢声笑语。",
        "村民展示刚收下的玉米，脸上满是笑容。 李华供图\n今年全村玉米亩产再创新高。",
    ],
)
def test_real_breaks_and_headers_stay(text: str) -> None:
    assert rejoin_broken_lines(text) == text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("会议强调,要坚持外防输入、\n\n内防反弹。", "会议强调,要坚持外防输入、内防反弹。"),
        ("会议强调,要坚持外防\n\n输入、内防反弹。", "会议强调,要坚持外防输入、内防反弹。"),
        ("11月6日下午,孟津区召开重点\n工作推进会议。", "11月6日下午,孟津区召开重点工作推进会议。"),
    ],
)
def test_a_cut_first_line_that_reads_as_prose_is_joined(text: str, expected: str) -> None:
    assert rejoin_broken_lines(text) == expected


def test_a_number_cut_into_a_month_is_joined() -> None:
    text = "会议召开。\n全县于2020年1\n1月25日，召开推进会。"
    assert rejoin_broken_lines(text) == "会议召开。\n全县于2020年11月25日，召开推进会。"


def test_line_starting_with_a_comma_continues_even_without_prose_marks() -> None:
    text = "会议召开。\n合作共赢\n，一举多赢。"
    assert rejoin_broken_lines(text) == "会议召开。\n合作共赢，一举多赢。"


def test_paragraphs_trim_layout_whitespace_only() -> None:
    text = "\n\n标题 一 二\n\n\u3000\u3000第一段,有逗号。  \n \n\t第二段。\n"
    assert paragraphs(text) == ["标题 一 二", "第一段,有逗号。", "第二段。"]


@given(clean_articles())
@settings(max_examples=150, deadline=None)
def test_clean_text_passes_byte_identical(text: str) -> None:
    assert rejoin_broken_lines(text) == text


@given(mixed_documents())
@settings(max_examples=200, deadline=None)
def test_idempotent_and_keeps_every_han_character(text: str) -> None:
    once = rejoin_broken_lines(text)
    assert rejoin_broken_lines(once) == once
    assert han_count(once) == han_count(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a lead cut inside its byline, or right after it
        ("标题\n本报讯(正观新闻·郑州晚报记者 王际宾 \n\n翟宝宽) 8月22日,推进会召开。",
         "标题\n本报讯(正观新闻·郑州晚报记者 王际宾 翟宝宽) 8月22日,推进会召开。"),
        ("标题\n本报讯(正观新闻·郑州晚报记者 陈锋 孙亚文) \n\n8月23日下午,推进会召开。",
         "标题\n本报讯(正观新闻·郑州晚报记者 陈锋 孙亚文) 8月23日下午,推进会召开。"),
        ("标题\n本报\n讯 为加快产业改造,中原区召开大会。",
         "标题\n本报讯 为加快产业改造,中原区召开大会。"),
        # a speaker cut off from the verb, a number cut in two, a function word at the cut
        ("会议召开。\n会议\n指出,今年以来,各项工作稳步推进。",
         "会议召开。\n会议指出,今年以来,各项工作稳步推进。"),
        ("会议召开。\n本月2\n\n3日下午,推进会召开。", "会议召开。\n本月23日下午,推进会召开。"),
        ("会议召开。\n全市各级学校要做好开学准备和\n疫情防控工作。",
         "会议召开。\n全市各级学校要做好开学准备和疫情防控工作。"),
    ],
)
def test_cuts_with_signals_on_either_side_are_joined(text: str, expected: str) -> None:
    assert rejoin_broken_lines(text) == expected


WRAPPED = (
    "孟津区召开重点工作推进会议\n"
    "会议指出今年以来孟津区上下坚持稳中求进工作总基调高\n"
    "效统筹疫情防控和经济社会发展经济运行保持平稳产业支\n"
    "撑坚实有力乡村振兴稳步实施城市品质不断提升生态环境\n"
    "持续改善。\n"
    "一季度经济运行情况\n"
    "会议要求年底前要重点抓好经济运行项目建设产业培育乡\n"
    "村振兴城市提质等方面工作。"
)


def test_hard_wrapped_layout_is_joined_and_headings_stay() -> None:
    assert rejoin_broken_lines(WRAPPED) == (
        "孟津区召开重点工作推进会议\n"
        "会议指出今年以来孟津区上下坚持稳中求进工作总基调高效统筹疫情防控和经济社会发展经济运行保持"
        "平稳产业支撑坚实有力乡村振兴稳步实施城市品质不断提升生态环境持续改善。\n"
        "一季度经济运行情况\n"
        "会议要求年底前要重点抓好经济运行项目建设产业培育乡村振兴城市提质等方面工作。"
    )


def test_short_headings_and_table_rows_are_no_layout() -> None:
    text = ("会议召开。\n指标 绝对值 同比增长（%）\n地区生产总值（亿元） 1286.4 4.6\n"
            "固定资产投资 — 8.1\n一般公共预算收入（亿元） 98.5 7.9\n会议要求,抓好落实。")
    assert rejoin_broken_lines(text) == text


def test_table_rows_of_similar_width_are_no_layout() -> None:
    text = ("全市一季度主要经济指标完成情况发布\n指标名称 本期数值 同比增长\n"
            "全市粮食总产量（万吨） 1286.4 4.6\n规模以上工业企业营业收入 — 5.2\n"
            "居民人均可支配收入（元） 98.5 7.9\n市统计局有关负责人表示，经济运行持续向好。")
    assert rejoin_broken_lines(text) == text


def test_space_between_han_characters_at_a_cut_goes() -> None:
    assert rejoin_broken_lines("会议召开。\n要坚持外防输入, \n内防反弹。") == (
        "会议召开。\n要坚持外防输入,内防反弹。")
    assert rejoin_broken_lines("会议召开。\n各地积极推动工作落实,努力实现 \n合作共赢。") == (
        "会议召开。\n各地积极推动工作落实,努力实现合作共赢。")


@given(clean_articles(), st.integers(min_value=16, max_value=40))
@settings(max_examples=150, deadline=None)
def test_hard_wrapped_clean_text_is_restored(text: str, width: int) -> None:
    wrapped = "\n".join(piece for line in text.split("\n") for piece in _wrap(line, width))
    restored = rejoin_broken_lines(wrapped)
    assert rejoin_broken_lines(restored) == restored
    assert han_count(restored) == han_count(text)


def _wrap(line: str, width: int) -> list[str]:
    """`line` cut every `width` characters, never right after a sentence end."""
    pieces: list[str] = []
    while len(line) > width + 1:
        cut = width if line[width - 1] not in "。！？”" else width + 1
        pieces.append(line[:cut])
        line = line[cut:]
    return [*pieces, line]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a word cut in two by the layout (领导, 深入)
        ("会议召开。\n市领\n\n导一行先后走访了幼儿园、中学。",
         "会议召开。\n市领导一行先后走访了幼儿园、中学。"),
        ("会议召开。\n三要深\n入推进党建引领网格化基层治理工作,提升服务能力。",
         "会议召开。\n三要深入推进党建引领网格化基层治理工作,提升服务能力。"),
        # a speaker's name cut before its last character
        ("会议召开。\n李晓\n雷强调,要抓好落实。", "会议召开。\n李晓雷强调,要抓好落实。"),
        # a date without its year opening the sentence
        ("会议召开。\n11月6日\n\n下午,孟津区召开重点工作推进会议。",
         "会议召开。\n11月6日下午,孟津区召开重点工作推进会议。"),
        ("会议召开。\n1月12日至\n13日,示范区召开会议。",
         "会议召开。\n1月12日至13日,示范区召开会议。"),
        # a numbered instruction run into the prose
        ("会议召开。\n二要加快构建\n现代化产业体系,提升产业能级。",
         "会议召开。\n二要加快构建现代化产业体系,提升产业能级。"),
        # a two-character function word at the cut
        ("会议召开。\n要做好开学准备以及\n疫情防控工作。",
         "会议召开。\n要做好开学准备以及疫情防控工作。"),
        # a bare lead keeps the space it had before the body
        ("标题\n本报讯 \n为加快产业改造,中原区召开大会。",
         "标题\n本报讯 为加快产业改造,中原区召开大会。"),
    ],
)
def test_short_openings_cut_from_their_sentence_are_joined(text: str, expected: str) -> None:
    assert rejoin_broken_lines(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        # subheadings that end in a whole word, above prose
        "会议召开。\n民生实事\n会前,区委书记带队深入企业调研。",
        "会议召开。\n压实工作责任\n何雄强调,项目建设是保持经济稳增长的关键。",
        "会议召开。\n强化项目支撑 推动经济回升\n高义、虎强等出席会议。",
        # words that end in a function-word character
        "会议召开。\n数说成就\n会议指出,今年以来,各项工作稳步推进。",
        "会议召开。\n突出问题导向\n要把准关键、突出重点。",
        # a column label above a speaker, and above a sentence opening 据介绍
        "会议召开。\n综述\n安伟强调,要抓好落实。",
        "会议召开。\n短评\n据介绍,项目已全面开工。",
        "会议召开。\n一线见闻\n他指出,要抓好落实。",
        # a numbered heading and a full dateline
        "会议召开。\n二、加快构建现代化产业体系\n围绕主导产业,明确发展方向。",
        "孟津区召开重点工作推进会议\n2023年1月1日\n11月6日下午,孟津区召开会议。",
        # a kicker above a title, whatever word their meeting characters make
        "会议召开。\n奋进新征程 建功新时代\n中原区召开大会 不断塑造发展新优势\n本报讯 会议召开。",
    ],
)
def test_subheadings_above_prose_stay(text: str) -> None:
    assert rejoin_broken_lines(text) == text


def test_lexicon_knows_words_across_a_cut() -> None:
    assert pair_count("领", "导") >= WORD_PAIR_MIN > pair_count("导", "一")
    assert pair_count("\u3000", "导") == 0


CUT_UP = ("会议召开。\n安伟要求,要加强组织\n\n领导,抓好推进落实。\n"
          "继续坚持成熟有效的推进方\n\n式,以项目建设实效检验发展成效。\n")
"""A text whose layout cut two paragraphs: context for the openings joined below."""

CUT_UP_JOINED = ("会议召开。\n安伟要求,要加强组织领导,抓好推进落实。\n"
                 "继续坚持成熟有效的推进方式,以项目建设实效检验发展成效。\n")


@pytest.mark.parametrize(
    ("opening", "rest"),
    [
        # very short openings: an office above its holder's name, a subject above its predicate
        ("市长", "何雄主持会议。"),
        ("会议", "由区委副书记主持,各单位负责同志参加会议。"),
        ("要把准", "关键、突出重点,确保行稳致远。"),
        # an opening ending inside a phrase (由区, 委副 make no word)
        ("会议由区", "委副书记主持,各单位负责同志参加会议。"),
        # an opening that narrates (an agent marker, 了, a leader's party)
        ("会议由区委副书记", "张延峰主持,各单位负责同志参加会议。"),
        ("市领导一行先后走访了管", "城区幼儿园、中学,实地了解开学准备。"),
        ("杜新军一行先后来到郑州", "火车站、郑州西站,实地走访出站口。"),
    ],
)
def test_short_openings_in_a_cut_up_text_are_joined(opening: str, rest: str) -> None:
    assert rejoin_broken_lines(CUT_UP + opening + "\n" + rest) == CUT_UP_JOINED + opening + rest
    # without other cuts in the text, the same lines may be a subheading and its paragraph
    alone = "会议召开。\n" + opening + "\n" + rest
    if opening in ("市长", "会议", "要把准", "会议由区委副书记"):
        assert rejoin_broken_lines(alone) == alone


@pytest.mark.parametrize(
    "lines",
    [
        # subheadings ending in a whole word, above a subject or a modal instruction
        "一季度经济运行情况\n会议要求年底前要重点抓好经济运行项目建设等方面工作。",
        "民生实事\n会议要求年底前要重点抓好经济运行项目建设等方面工作。",
        "突出问题导向\n要把准关键、突出重点。",
        "项目建设提速增效\n全区上下要抓好项目建设,确保早日投产。",
        "把党的领导贯穿始终\n全区上下要抓好项目建设,确保早日投产。",
        # labels, brackets, spaced parts, and a paragraph opening its own sentence
        "一线见闻\n市领导一行先后走访了幼儿园、中学。",
        "综述\n全区上下要抓好项目建设,确保早日投产。",
        "【聚焦项目】\n全区上下要抓好项目建设,确保早日投产。",
        "强化项目支撑 推动经济回升\n全区上下要抓好项目建设,确保早日投产。",
        "压实工作责任\n今年以来,全区上下抓好项目建设,确保早日投产。",
    ],
)
def test_subheadings_in_a_cut_up_text_stay(lines: str) -> None:
    assert rejoin_broken_lines(CUT_UP + lines) == CUT_UP_JOINED + lines


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a particle or a leader's party cannot open a paragraph; a two-character sentence neither
        ("会议召开。\n市领导一行先后走访\n了管城区幼儿园、中学。",
         "会议召开。\n市领导一行先后走访了管城区幼儿园、中学。"),
        ("会议召开。\n杜新军\n一行先后来到郑州火车站、郑州西站。",
         "会议召开。\n杜新军一行先后来到郑州火车站、郑州西站。"),
        ("会议召开。\n市长何雄主持\n会议。市领导出席会议。",
         "会议召开。\n市长何雄主持会议。市领导出席会议。"),
        # a line naming a leader's party is the subject of the sentence below
        ("会议召开。\n市领导一行\n先后走访了管城区幼儿园、中学。",
         "会议召开。\n市领导一行先后走访了管城区幼儿园、中学。"),
        # a line ending on a character that makes no word with the one before (行先)
        ("会议召开。\n杜新军一行先\n后来到郑州火车站、郑州西站。",
         "会议召开。\n杜新军一行先后来到郑州火车站、郑州西站。"),
    ],
)
def test_openings_that_need_the_line_above_are_joined(text: str, expected: str) -> None:
    assert rejoin_broken_lines(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "会议召开。\n民生实事\n了解群众需求是第一步,要抓好落实。",
        "会议召开。\n数说成就\n一行行数据见证发展,要抓好落实。",
        "会议召开。\n一行一业抓安全\n全区上下要抓好安全生产,确保形势稳定。",
        "会议召开。\n压实工作责任\n会前,区委书记带队深入企业调研。",
    ],
)
def test_words_opening_with_such_characters_stay(text: str) -> None:
    assert rejoin_broken_lines(text) == text
