"""Hypothesis strategies for the document-structure tests (boilerplate, lines, split, clean)."""

from __future__ import annotations

import re

from hypothesis import strategies as st

PROSE_HAN = "会议强调要加快推进项目建设经济发展质量工作全面落实群众生活改善产业培育环境保护持续优化"
"""Han characters clean prose is drawn from: none of them spells a boilerplate keyword, a lead
marker, a byline role or a meta-line label."""

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")

SAMPLE_LINES = (
    "返回顶部", "下一篇:林州市委书记约谈部分单位“一把手”", "关注济源网微信", "【打印】【关闭】",
    "责任编辑：王五", "豫ICP备05012345号", "当前位置：首页 > 新闻", "【相关阅读】", "相关新闻",
    "主办单位：某某办公室", "2025-06-25", "2025-06-25日前,记者从示范区团委获悉。",
    "关于开展安全检查的通知 2023-01-05", "孟津区召开重点工作推进会议", "2023-01-01 18:30:45",
    "本报讯(正观新闻·郑州晚报记者 陈锋 孙亚文) 8月23日下午,推进会召开。", "记者 唐善普",
    "通讯员 白博文/图", "安伟要求,要加强组织", "领导,抓好推进落实。", "努力实现",
    "合作共赢、一举多赢。", "，一举多赢。", "一、总体要求", "(记者 张恒)", "来源：济源网",
    "", "  ", "\u3000\u3000",
)
"""Lines of every kind the structure repairs react to."""


def han_count(text: str) -> int:
    """How many Han characters `text` holds."""
    return len(_HAN.findall(text))


@st.composite
def sentences(draw: st.DrawFn) -> str:
    """One clean sentence: clauses of prose Han joined by commas, ending in 。！ or ？."""
    clauses = draw(st.lists(st.text(PROSE_HAN, min_size=2, max_size=12), min_size=1, max_size=4))
    sep = draw(st.sampled_from(["，", ",", "、"]))
    return sep.join(clauses) + draw(st.sampled_from(["。", "！", "？", "。”"]))


@st.composite
def clean_articles(draw: st.DrawFn) -> str:
    """Clean multi-paragraph text: every paragraph ends with terminal punctuation."""
    paragraphs = draw(st.lists(st.lists(sentences(), min_size=1, max_size=3).map("".join),
                               min_size=2, max_size=6))
    indent = draw(st.sampled_from(["", "\u3000\u3000", "  "]))
    sep = draw(st.sampled_from(["\n", "\n\n"]))
    return sep.join(indent + paragraph for paragraph in paragraphs)


@st.composite
def mixed_documents(draw: st.DrawFn) -> str:
    """Documents mixing clean paragraphs with boilerplate, teasers, headlines, bylines and cut
    fragments, in any order."""
    lines = draw(st.lists(st.one_of(st.sampled_from(SAMPLE_LINES), sentences(),
                                    st.text(PROSE_HAN + "，。 2025-06", max_size=20)),
                          min_size=1, max_size=14))
    return "\n".join(lines)
