"""Metadata from text: headlines, datelines, bylines, source."""

from __future__ import annotations

import pytest

from crawler.textmeta import (
    extract_metadata,
    is_bare_lead,
    is_caption,
    is_lead,
    lead_authors,
    looks_like_headline,
    parse_byline,
    parse_dateline,
    parse_meta_line,
)


@pytest.mark.parametrize(
    ("byline", "names"),
    [
        ("记者 郑海波", ["郑海波"]),
        ("正观新闻·郑州晚报记者 陈锋 孙亚文", ["陈锋", "孙亚文"]),
        ("见习记者 崔青", ["崔青"]),
        ("正观新闻·郑州晚报记者 王红 见习记者 崔青", ["王红", "崔青"]),
        ("记者 唐善普 通讯员 白博文/图", ["唐善普", "白博文"]),
        ("通讯员 白博文/图", ["白博文"]),
        ("本报记者 王红", ["王红"]),
        ("记者王红 通讯员赵文静", ["王红", "赵文静"]),
        ("文/图 记者 陈锋", ["陈锋"]),
        ("记者 陈锋、孙亚文", ["陈锋", "孙亚文"]),
        ("孙亚文 摄", ["孙亚文"]),
    ],
)
def test_byline_names(byline: str, names: list[str]) -> None:
    assert parse_byline(byline) == names


@pytest.mark.parametrize(
    "text",
    ["何雄在全市重点项目建设推进会上强调", "记者", "致敬一线记者", "会议还研究了其他事项。",
     "记者节 致敬新闻工作者队伍", "2023-01-01 18:30:45"],
)
def test_not_a_byline(text: str) -> None:
    assert parse_byline(text) is None


@pytest.mark.parametrize(
    ("line", "published_at"),
    [
        ("2023-01-01 18:30:45", "2023-01-01T18:30:45+08:00"),
        ("2023年1月1日 18:30", "2023-01-01T18:30:00+08:00"),
        ("发布时间：2023-01-01", "2023-01-01T00:00:00+08:00"),
        ("发布日期:2023/1/5 来源:济源网", "2023-01-05T00:00:00+08:00"),
        ("时间：2023-01-01 09:12 来源：郑州日报 浏览次数：12 【字号 大 中 小】",
         "2023-01-01T09:12:00+08:00"),
        ("2023-02-30", None),
        ("来源：郑州日报", None),
        ("会议于2023-01-01召开。", None),
    ],
)
def test_dateline(line: str, published_at: str | None) -> None:
    assert parse_dateline(line) == published_at


def test_meta_line_fields() -> None:
    meta = parse_meta_line("发布时间：2023-01-01 来源：济源网 作者：陈锋 孙亚文")
    assert meta is not None
    assert (meta.published_at, meta.source, meta.authors) == (
        "2023-01-01T00:00:00+08:00", "济源网", ["陈锋", "孙亚文"])
    assert parse_meta_line("孟津区召开重点工作推进会议") is None


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("安伟在区域合作共建工作推进会上强调 共享机遇共担责任协同共进合作共赢 "
         "以高质量区域合作助推全市高质量发展", True),
        ("市领导督导疫情防控工作 严格落实各项安全措施 确保“平安开学开学平安”", True),
        ("孟津区召开重点工作推进会议", True),
        ("会议还研究了其他事项。", False),
        ("会议要求:", False),
        ("记者 唐善普", False),
        ("2023-01-01 18:30:45", False),
        ("本报讯 5月6日", False),
        ("这是一个非常长的句子" * 9, False),
    ],
)
def test_headline(line: str, expected: bool) -> None:
    assert looks_like_headline(line) is expected


def test_lead_markers() -> None:
    assert is_lead("本报讯(正观新闻·郑州晚报记者 陈锋 孙亚文) 8月23日下午")
    assert is_lead("济源网讯(记者 郑海波)5月7日")
    assert not is_lead("移动网络通讯基站建设加快推进。")
    assert lead_authors("济源网讯(记者 郑海波)5月7日,示范区") == ["郑海波"]
    assert lead_authors("会议指出,要坚持新发展理念(2023年版)。") == []


def test_head_with_title_and_dateline() -> None:
    meta = extract_metadata(
        ["孟津区召开重点工作推进会议", "2023-01-01 18:30:45", "11月6日下午,会议召开。"])
    assert meta.title == "孟津区召开重点工作推进会议"
    assert meta.published_at == "2023-01-01T18:30:45+08:00"
    assert meta.body == ["11月6日下午,会议召开。"]
    assert not meta.byline_moved


def test_kicker_and_title_above_a_lead_are_joined() -> None:
    meta = extract_metadata(["何雄在全市重点项目建设推进会上强调", "全力抓项目 促投资稳增长",
                             "本报讯(正观新闻·郑州晚报记者 王际宾 翟宝宽) 8月22日,推进会召开。"])
    assert meta.title == "何雄在全市重点项目建设推进会上强调 全力抓项目 促投资稳增长"
    assert meta.authors == ["王际宾", "翟宝宽"]
    assert meta.body[0].startswith("本报讯(正观新闻")


def test_second_headline_without_a_lead_stays_in_the_body() -> None:
    meta = extract_metadata(
        ["全市重点工作推进会召开", "一季度经济运行情况", "会议指出,要加强管理。"])
    assert meta.title == "全市重点工作推进会召开"
    assert meta.body == ["一季度经济运行情况", "会议指出,要加强管理。"]


def test_closing_bylines_move_out_of_the_text() -> None:
    meta = extract_metadata(
        ["本报讯 会议召开。", "会议要求,抓好落实。", "记者 唐善普", "通讯员 白博文/图"])
    assert meta.authors == ["唐善普", "白博文"]
    assert meta.body == ["本报讯 会议召开。", "会议要求,抓好落实。"]
    assert meta.byline_moved
    closing = extract_metadata(["会议召开。", "为济源发展提供坚实有力的运输保障。(记者 张恒)"])
    assert closing.authors == ["张恒"]
    assert closing.body == ["会议召开。", "为济源发展提供坚实有力的运输保障。"]
    source = extract_metadata(["会议召开。", "会议要求,抓好落实。", "来源：郑州日报"])
    assert (source.source, source.body) == ("郑州日报", ["会议召开。", "会议要求,抓好落实。"])


def test_text_without_metadata_is_all_body() -> None:
    body = ["会议强调,要加强管理。", "会议指出,要抓好落实(2023年版)。"]
    meta = extract_metadata(body)
    assert (meta.title, meta.published_at, meta.authors, meta.source) == (None, None, [], None)
    assert meta.body == body
    alone = extract_metadata(["孟津区召开重点工作推进会议"])
    assert alone.title is None and alone.body == ["孟津区召开重点工作推进会议"]


@pytest.mark.parametrize(
    ("line", "expected"),
    [("本报讯(正观新闻·郑州晚报记者 陈锋 孙亚文)", True), ("本报讯", True),
     ("济源网讯（记者 郑海波）", True), ("本报讯 5月6日,会议召开。", False), ("会议召开。", False)],
)
def test_bare_lead(line: str, expected: bool) -> None:
    assert is_bare_lead(line) is expected


@pytest.mark.parametrize(
    ("line", "expected"),
    [("市民在湖边赏花。本报记者 王明 摄", True), ("村民展示刚收下的玉米。 李华供图", True),
     ("新建成的体育馆。新华社 资料", True), ("均为本报记者王明 图", True),
     ("全市上下共同绘就发展蓝图", False), ("摄制组正在现场拍摄", False), ("会议召开。", False)],
)
def test_caption(line: str, expected: bool) -> None:
    assert is_caption(line) is expected
