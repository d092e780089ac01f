"""Boilerplate repair: page furniture goes as whole lines, article text stays byte-identical."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crawler.repair.boilerplate import strip_boilerplate
from tests.structure_strategies import clean_articles, han_count, mixed_documents

ARTICLE = (
    "济源网讯(记者 郑海波)5月7日,示范区召开党工委委员会议,研究贯彻落实意见。\n"
    "会议强调,要坚持外防输入、内防反弹。\n"
    "会议还研究了其他事项。"
)


@pytest.mark.parametrize(
    "line",
    [
        "返回顶部", "返回顶部小火箭", "回到顶部", "TOP", "【返回顶部】", "↑返回顶部",
        "上一篇:市商务局局长带队调研指导", "下一篇：林州市委书记约谈部分单位“一把手”",
        "上一条：没有了", "下一条 关于开展安全检查的通知",
        "关注济源网微信", "关注“济源发布”微信公众号", "微信扫一扫", "扫一扫在手机打开当前页",
        "关注我们", "下载正观新闻客户端", "手机扫码阅读",
        "【打印】【关闭】", "【字号 大 中 小】【打印】【关闭】", "【字体：大 中 小】", "【收藏】",
        "分享到：", "分享到：微信 微博 QQ空间", "打印本页 | 关闭窗口", "【打印本页】 【关闭窗口】",
        "责任编辑：王五", "【责任编辑：王五】", "(责任编辑：王五)",
        "编辑：张三 审核：李四 校对：王五", "责任编辑 张三",
        "版权所有：济源市人民政府办公室", "Copyright © 2020 济源网 All Rights Reserved",
        "豫ICP备05012345号-1", "豫公网安备 41900102000123号", "网站标识码：4190000001",
        "技术支持：某某科技有限公司",
        "当前位置：首页 > 新闻中心 > 济源要闻", "您的位置：首页>>新闻", "首页 > 新闻 > 正文",
        "浏览次数：123",
    ],
)
def test_boilerplate_line_goes_anywhere(line: str) -> None:
    assert strip_boilerplate(f"{line}\n{ARTICLE}") == ARTICLE
    assert strip_boilerplate(f"{ARTICLE}\n{line}") == ARTICLE


@pytest.mark.parametrize(
    "line",
    [
        "会议要求，编辑部要加强审核。", "下一步，我们将继续努力。", "关注孩子使用微信的情况。",
        "扫码支付已经普及。", "分享到朋友圈的照片显示，活动很成功。", "相关部门要加强协作。",
        "截至2023-01-01，全市完成投资120亿元。", "2023-01-01，市政府召开常务会议。",
        "会议还研究了其他事项。", "上半年", "编辑部", "TOP10榜单发布会召开",
    ],
)
def test_article_lines_that_look_alike_stay(line: str) -> None:
    text = f"{ARTICLE}\n{line}\n会议要求,抓好落实。"
    assert strip_boilerplate(text) == text


def test_site_footer_goes_only_from_the_end() -> None:
    inside = f"{ARTICLE}\n主办单位：市文化广电和旅游局\n活动将持续到月底。"
    assert strip_boilerplate(inside) == inside
    footer = "主办单位：济源市人民政府办公室 承办单位：济源市大数据管理局\n地址：济源市某路1号"
    assert strip_boilerplate(f"{ARTICLE}\n{footer}") == ARTICLE


def test_tool_bar_glued_to_a_line_is_cut_off() -> None:
    assert strip_boilerplate("孟津区召开重点工作推进会议【打印】【关闭】\n正文。") == (
        "孟津区召开重点工作推进会议\n正文。"
    )
    assert strip_boilerplate("【打印】 正文第一段。") == "正文第一段。"


def test_related_list_with_glued_and_bare_dates_goes() -> None:
    tail = (
        "【行进中国 边走边看】午观多彩盐湖 夜赴孤独城市 路一段一景。 2025-06-26\n"
        "大型说唱音乐剧《愚公移山》全国巡演,在中国艺术舞台上留下了浓墨重彩的一笔。\n"
        "2025-06-25日前,记者从示范区团委获悉,47家单位共提供342个岗位。\n"
        "2025-06-25近日,记者从示范区相关部门了解到,济源积极开展慈善文化进校园活动。\n"
        "2025-06-25"
    )
    assert strip_boilerplate(f"{ARTICLE}\n{tail}") == ARTICLE


@pytest.mark.parametrize(
    "teasers",
    [
        "关于开展安全检查的通知 2023-01-05\n关于做好防汛工作的通知 2023-01-04",
        "·济源召开重点项目推进会 [2023-01-05]\n·济源举行文化活动 [2023-01-04]",
        "济源召开重点项目推进会 (01-05)\n济源举行文化活动 (01-04)",
        "济源召开重点项目推进会 2023/1/5",
    ],
)
def test_dated_teaser_runs_go(teasers: str) -> None:
    assert strip_boilerplate(f"{ARTICLE}\n{teasers}") == ARTICLE


def test_teasers_with_their_dates_on_the_next_line_go() -> None:
    teasers = "济源召开重点项目推进会\n2025-06-25\n济源举行文化活动\n2025-06-24"
    assert strip_boilerplate(f"{ARTICLE}\n{teasers}") == ARTICLE


def test_signature_date_closing_a_notice_stays() -> None:
    text = f"{ARTICLE}\n济源市人民政府办公室\n2023-01-01"
    assert strip_boilerplate(text) == text


def test_one_dated_line_inside_the_article_stays() -> None:
    text = f"标题\n发布时间：2023-01-01\n{ARTICLE}"
    assert strip_boilerplate(text) == text
    dateline = f"孟津区召开重点工作推进会议\n\n2023-01-01 18:30:45\n\n{ARTICLE}"
    assert strip_boilerplate(dateline) == dateline


def test_related_header_goes_with_its_list() -> None:
    related = "【相关阅读】\n济源召开重点项目推进会\n·济源举行文化活动 2023-01-04"
    assert strip_boilerplate(f"{ARTICLE}\n{related}") == ARTICLE
    header_only = f"{ARTICLE}\n相关新闻：\n会议强调，要加强管理。"
    assert strip_boilerplate(header_only) == f"{ARTICLE}\n会议强调，要加强管理。"


def test_kept_lines_keep_their_indentation_and_blank_lines() -> None:
    text = "标题\n\n\u3000\u3000第一段。\n\n\u3000\u3000第二段。\n\n返回顶部\n"
    assert strip_boilerplate(text) == "标题\n\n\u3000\u3000第一段。\n\n\u3000\u3000第二段。\n"


@given(clean_articles())
@settings(max_examples=150, deadline=None)
def test_clean_text_passes_byte_identical(text: str) -> None:
    assert strip_boilerplate(text) == text


@given(mixed_documents())
@settings(max_examples=200, deadline=None)
def test_idempotent(text: str) -> None:
    once = strip_boilerplate(text)
    assert strip_boilerplate(once) == once
    assert han_count(once) <= han_count(text)


@given(st.text(max_size=300))
@settings(max_examples=200, deadline=None)
def test_any_text_is_safe(text: str) -> None:
    once = strip_boilerplate(text)
    assert strip_boilerplate(once) == once


@pytest.mark.parametrize(
    "teasers",
    [
        "济源召开重点项目推进会 2025年6月26日\n济源举行文化活动　2025年6月25日",
        "· 2025/06/26 济源召开重点项目推进会\n· 2025/06/25 济源举行文化活动",
        "• [06-26] 济源召开重点项目推进会\n• [06-25] 济源举行文化活动",
    ],
)
def test_teaser_lists_with_written_out_or_leading_dates_go(teasers: str) -> None:
    assert strip_boilerplate(f"{ARTICLE}\n{teasers}") == ARTICLE


def test_notice_signed_with_a_written_out_date_stays() -> None:
    text = f"{ARTICLE}\n济源市人民政府办公室 2023年9月20日"
    assert strip_boilerplate(text) == text


@pytest.mark.parametrize("line", ["阅读：1234", "浏览：56次", "点击数：7"])
def test_bare_page_counters_go(line: str) -> None:
    assert strip_boilerplate(f"{line}\n{ARTICLE}") == ARTICLE


def test_last_paragraph_above_a_date_first_list_stays() -> None:
    text = f"{ARTICLE}\n2025/06/26 济源召开重点项目推进会\n2025/06/25 济源举行文化活动"
    assert strip_boilerplate(text) == ARTICLE
