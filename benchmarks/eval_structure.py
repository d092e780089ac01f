"""Structure repairs scored on damaged clean texts (`python -m benchmarks.eval_structure`).

Clean articles are damaged in one structural way per case, and a case counts only when the
output is restored exactly, punctuation included:

- `boilerplate`: navigation, tool bars, share and follow prompts, editor credits, copyright, ICP
  and host footers, breadcrumbs, counters and related-article lists put around the article.
- `broken_lines`: paragraphs cut by layout, hard-wrapped at a column width (20-40 characters) or
  cut once at a random point (before a mark, after a comma), with and without blank lines.
- `split`: 2-5 articles laid out as an e-paper page (kicker, title, `本报讯(记者 X)` lead, body,
  closing byline block).
- `metadata`: dateline forms under the title, inline and closing bylines, 来源 lines.
- `clean`: clean pages, some with real paragraphs that mention 来源, 编辑, dates or 上一篇 inside
  a sentence, that must come through unchanged (the false-positive check).

Each case is scored twice: `repair` runs the responsible repair alone (`strip_boilerplate`,
`rejoin_broken_lines`, `split_articles`, both repairs for `clean`) and compares paragraphs;
`record` runs `clean_document` and compares every record's title, text and, where the damage
concerns them, authors, source and published_at.

Two corpora: `tune` holds the articles of the seed goldens (the set the rules are tuned on) and
`eval` the gold stories of `tests/gold` (never tuned on). Names in bylines and editor credits are
reporters' names printed in the seeds' own bylines.
"""

from __future__ import annotations

import argparse
import difflib
import random
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import orjson

from crawler.clean import clean_document
from crawler.repair.boilerplate import strip_boilerplate
from crawler.repair.lines import paragraphs, rejoin_broken_lines
from crawler.repair.split import split_articles

GOLDEN = Path(__file__).resolve().parent.parent / "tests" / "golden" / "seeds"

SEED_NAMES = ("郑海波", "陈锋", "孙亚文", "王际宾", "翟宝宽", "赵文静", "王红", "崔青", "唐善普",
              "白博文", "张恒")
"""Reporters named in the seeds' bylines; the only personal names the cases use."""

KINDS = ("boilerplate", "broken_lines", "split", "metadata", "clean")
VARIANTS = 6
"""Cases generated per article and kind (the broken-lines kind has six modes)."""


@dataclass(frozen=True)
class Story:
    """One clean article: headline, body paragraphs, dateline, source and bylines."""

    title: str
    paragraphs: tuple[str, ...]
    published: str | None
    source: str | None = None
    authors: tuple[str, ...] = ()


@dataclass(frozen=True)
class Expected:
    """One expected record; None fields are not compared."""

    title: str | None
    text: str
    authors: tuple[str, ...] | None = None
    source: str | None = None
    published_at: str | None = None
    check_meta: bool = False


@dataclass
class Case:
    """One damaged document, what the responsible repair should give, and the records."""

    kind: str
    variant: str
    damaged: str
    repair_expected: list[str] | None
    records: list[Expected] = field(default_factory=list)


# --- corpora ---------------------------------------------------------------------------------


def tune_corpus() -> list[Story]:
    """The articles of the seed goldens (title, paragraphs, metadata as the goldens hold them)."""
    stories: list[Story] = []
    for path in sorted(GOLDEN.glob("*.expected.jsonl")):
        for line in path.read_bytes().splitlines():
            record = orjson.loads(line)
            if not record.get("title"):
                continue
            stories.append(Story(record["title"], tuple(record["text"].split("\n")),
                                 record["published_at"], record["source"],
                                 tuple(record["authors"])))
    return stories


def eval_corpus() -> list[Story]:
    """The gold stories of `tests/gold` (regional government news, notices, blog posts)."""
    from tests.gold.hard_stories import HARD_STORIES
    from tests.gold.stories import STORIES

    return [Story(s.title, s.paragraphs, s.published, s.source, s.authors)
            for s in (*STORIES.values(), *HARD_STORIES.values())]


# --- damage tables -----------------------------------------------------------------------------

HEADER_JUNK = (
    "当前位置：首页 > 新闻中心 > 本地新闻", "您的位置：首页 > 政务动态 > 部门动态",
    "当前位置：首页>>新闻动态>>工作动态", "首页 > 新闻中心 > 正文", "您现在的位置：首页 > 要闻",
    "【字体：大 中 小】", "字号：大 中 小", "【字号 大 中 小】【打印】【关闭】", "浏览次数：123",
    "阅读：1234", "点击数：56", "分享到：微信 微博 QQ空间", "【打印本页】【关闭窗口】",
)
TOOL_BARS = (
    "【打印本页】【关闭窗口】",
    "【打印】【关闭】",
    "打印本页 | 关闭窗口",
    "【收藏】【打印】【关闭】",
    "[打印本页] [关闭窗口]",
    "【打印此页】 【关闭窗口】",
    "【字体：大 中 小】【打印】【关闭】",
)
SHARE_LINES = (
    "分享到：微信 微博 QQ空间",
    "分享到：",
    "分享至：",
    "扫一扫在手机打开当前页",
    "微信扫一扫",
    "用手机扫描二维码 分享给朋友",
    "扫一扫在手机上查看当前页面",
    "分享到： 微信 新浪微博 QQ空间",
)
BACK_TO_TOP = (
    "返回顶部",
    "【返回顶部】",
    "回到顶部",
    "↑返回顶部",
    "TOP",
    "[返回顶部]",
    "返回顶部↑",
    "【关闭窗口】",
    "[关闭]",
    "返回顶部小火箭",
)
EDITOR_LINES = ("责任编辑：{0}", "编辑：{0} 审核：{1}", "（责任编辑：{0}）", "【责任编辑：{0}】",
                "编辑：{0}　校对：{1}　审核：{2}", "责编：{0}", "[责任编辑：{0}]", "责任编辑:{0}")
FOLLOW_LINES = ("关注“{site}”微信公众号", "欢迎关注{site}微信公众号", "关注{site}微信",
                "请关注{site}官方微信")
PREV_NEXT = ("上一篇：{0}", "下一篇：{0}", "上一篇:{0}", "下一篇 {0}", "上一条：{0}", "下一条：{0}",
             "上一篇：没有了", "下一条：无")
COPYRIGHT_LINES = (
    "版权所有 © 2023 {site}", "版权所有：{site} 技术支持：{site}信息中心",
    "Copyright © 2023 {site} All Rights Reserved", "豫ICP备05012345号-1",
    "豫公网安备 41010202002345号", "网站标识码4101000001",
    "网站标识码：4101000001 豫ICP备12345678号",
    "主办：{site} 承办：{site}信息中心", "主办单位：{site}", "技术支持：{site}信息中心",
    "版权所有：{site}　地址：{site}　邮编：450000", "©2023 {site} 版权所有",
)
RELATED_HEADERS = (
    "相关新闻",
    "相关阅读",
    "【相关阅读】",
    "相关新闻：",
    "相关文章",
    "推荐阅读",
    "【相关新闻】",
)
TEASER_DATES = ("2025-06-26", "2025/06/26", "[06-26]", "(2025-06-26)", "2025年6月26日",
                "[2025-06-26]", "06-26", "（2025-06-26）")


def _teaser_date(shape: str, rng: random.Random) -> str:
    day = rng.randint(1, 28)
    month = rng.randint(1, 12)
    return (shape.replace("06-26", f"{month:02d}-{day:02d}")
            .replace("06/26", f"{month:02d}/{day:02d}")
            .replace("6月26日", f"{month}月{day}日"))


def _names(rng: random.Random, count: int) -> list[str]:
    return rng.sample(SEED_NAMES, count)


def _site(story: Story) -> str:
    return story.source or "济源网"


def _other_titles(story: Story, corpus: list[Story], rng: random.Random, count: int) -> list[str]:
    titles = [s.title for s in corpus if s.title != story.title]
    return rng.sample(titles, min(count, len(titles)))


def _teasers(story: Story, corpus: list[Story], rng: random.Random) -> list[str]:
    shape = rng.choice(TEASER_DATES)
    gap = rng.choice(["", " ", "  ", "\u3000"])
    bullet = rng.choice(["", "", "·", "• "])
    date_first = rng.random() < 0.25 and not shape.endswith("日")
    lines = []
    for title in _other_titles(story, corpus, rng, rng.randint(2, 5)):
        date = _teaser_date(shape, rng)
        lines.append(f"{bullet}{date}{gap or ' '}{title}" if date_first
                     else f"{bullet}{title}{gap}{date}")
    return lines


# --- case builders -----------------------------------------------------------------------------


def _join(lines: list[str], rng: random.Random) -> str:
    sep = rng.choice(["\n", "\n\n"])
    return sep.join(lines)


def boilerplate_cases(story: Story, corpus: list[Story], rng: random.Random) -> Iterator[Case]:
    """The article with boilerplate lines leaked in above and below it."""
    site = _site(story)
    body = list(story.paragraphs)
    for number in range(VARIANTS):
        head: list[tuple[str, str]] = []
        for line in rng.sample(HEADER_JUNK, rng.randint(0, 3)):
            head.append((line, "junk"))
        tail: list[tuple[str, str]] = []
        with_source = story.source is not None and rng.random() < 0.3
        if with_source:
            tail.append((f"来源：{story.source}", "meta"))
        pickers: list[Callable[[], list[str]]] = [
            lambda: [rng.choice(EDITOR_LINES).format(*_names(rng, 3))],
            lambda: [rng.choice(TOOL_BARS)],
            lambda: rng.sample(SHARE_LINES, rng.randint(1, 2)),
            lambda: [rng.choice(FOLLOW_LINES).format(site=site)],
            lambda: [p.format(t) for p, t in zip(rng.sample(PREV_NEXT[:6], 2),
                                                  _other_titles(story, corpus, rng, 2),
                                                  strict=False)],
            lambda: [rng.choice(RELATED_HEADERS), *_teasers(story, corpus, rng)],
            lambda: _teasers(story, corpus, rng),
            lambda: [rng.choice(BACK_TO_TOP)],
            lambda: [c.format(site=site) for c in rng.sample(COPYRIGHT_LINES, rng.randint(1, 4))],
        ]
        chosen = sorted(rng.sample(range(len(pickers)), rng.randint(2, 6)))
        for index in chosen:
            tail.extend((line, "junk") for line in pickers[index]())
        lines = [*head, (story.title, "content"), *((p, "content") for p in body), *tail]
        damaged = _join([line for line, _ in lines], rng)
        repaired = [line for line, role in lines if role != "junk"]
        yield Case("boilerplate", f"v{number}", damaged, repaired, [
            Expected(story.title, "\n".join(body),
                     source=story.source if with_source else None, check_meta=with_source)])


TERMINAL_MARKS = "。！？!?；;：:”）)"


def _cut_points(paragraph: str) -> list[int]:
    """Positions inside `paragraph` where a layout cut can fall (not right after a sentence
    end, where a cut and a paragraph break look the same)."""
    return [i for i in range(2, len(paragraph) - 1) if paragraph[i - 1] not in TERMINAL_MARKS]


HALF_WIDTH = frozenset(" abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.%-+/")
NO_LINE_START = "。，、；：！？”）》"


def _wrap(paragraph: str, width: int) -> list[str]:
    """`paragraph` hard-wrapped at `width` Han characters, as a page lays it out: ASCII letters
    and digits take half a Han character's room, a mark that may not open a line pulls the
    character before it down, and a line never ends right after a sentence end (where a cut
    and a paragraph break look the same)."""
    limit = 2 * width
    pieces: list[str] = []
    start = 0
    used = 0
    for index, char in enumerate(paragraph):
        room = 1 if char in HALF_WIDTH else 2
        if used + room > limit and index - start > 2:
            cut = index
            if paragraph[cut] in NO_LINE_START or paragraph[cut - 1] in TERMINAL_MARKS:
                cut -= 1
            if cut < len(paragraph) - 1 and paragraph[cut - 1] not in TERMINAL_MARKS:
                pieces.append(paragraph[start:cut])
                start = cut
            used = sum(1 if c in HALF_WIDTH else 2 for c in paragraph[start:index])
        used += room
    pieces.append(paragraph[start:])
    return pieces


def _single_cut(paragraph: str, rng: random.Random, how: str) -> list[str]:
    points = _cut_points(paragraph)
    if how == "before_mark":
        marked = [i for i in points if paragraph[i] in "，、。；,"]
        points = marked or points
    elif how == "after_comma":
        commas = [i for i in points if paragraph[i - 1] in "，,、"]
        points = commas or points
    if not points:
        return [paragraph]
    cut = rng.choice(points)
    return [paragraph[:cut], paragraph[cut:]]


def broken_line_cases(story: Story, corpus: list[Story], rng: random.Random) -> Iterator[Case]:
    """The article's paragraphs cut by layout, with and without blank lines between pieces."""
    del corpus
    body = list(story.paragraphs)
    modes = ("wrap", "wrap_blank", "single", "before_mark", "after_comma", "single_blank")
    for mode in modes[:VARIANTS]:
        indent = rng.choice(["", "", "\u3000\u3000"])
        width = rng.randint(20, 40)
        pieces: list[str] = []
        for paragraph in body:
            if mode.startswith("wrap"):
                cut = _wrap(indent + paragraph, width)
            else:
                cut = [paragraph]
                if rng.random() < 0.7:
                    how = mode if mode in ("before_mark", "after_comma") else "random"
                    cut = _single_cut(paragraph, rng, how)
                cut[0] = indent + cut[0]
            gap = "\n\n" if mode.endswith("blank") else rng.choice(["\n", "\n\n", "\n\n\n\n"])
            pieces.append(gap.join(cut))
        damaged = story.title + "\n\n" + rng.choice(["\n", "\n\n"]).join(pieces)
        yield Case("broken_lines", mode, damaged, [story.title, *body],
                   [Expected(story.title, "\n".join(body))])


KICKERS = ("聚焦高质量发展", "奋进新征程 建功新时代", "市领导在调研时强调", "喜迎二十大 奋进新征程",
           "一线见闻")
LEADS = (
    "本报讯（记者 {0} {1}）",
    "本报讯(记者 {0})",
    "本报讯 ",
    "本报讯（记者 {0} 通讯员 {1}）",
    "本报讯(正观新闻·郑州晚报记者 {0} {1}) ",
    "本报{m}月{d}日讯（记者 {0}）",
    "本报讯（见习记者 {0}）",
)
CLOSING_BYLINES = (
    "记者 {0}",
    "记者 {0}\n通讯员 {1}/图",
    "记者 {0} 通讯员 {1}",
    "本报记者 {0}",
    "通讯员 {1}",
    "文/图 记者 {0}",
)


def _printed_names(lead: str) -> list[str]:
    """The seed reporters named in the byline parentheses of a lead, in order."""
    inner = re.match(r"[^(（]{0,16}[(（]([^)）]*)[)）]", lead)
    if inner is None:
        return []
    return sorted((n for n in SEED_NAMES if n in inner[1]), key=inner[1].index)


def _lead_names(lead: str, names: list[str]) -> list[str]:
    return [name for i, name in enumerate(names[:2]) if "{" + str(i) + "}" in lead]


def _e_paper_article(story: Story, rng: random.Random) -> tuple[list[str], Expected]:
    names = _names(rng, 2)
    first = story.paragraphs[0]
    title_lines = [story.title]
    if rng.random() < 0.35:
        title_lines.insert(0, rng.choice(KICKERS))
    authors: list[str] = []
    if re.match(r"\S{0,12}讯|本报", first):
        lead_paragraph = first
        authors.extend(_printed_names(first))
    else:
        lead = rng.choice(LEADS)
        lead_paragraph = lead.format(*names, m=rng.randint(1, 12), d=rng.randint(1, 28)) + first
        authors.extend(_lead_names(lead, names))
    body = [lead_paragraph, *story.paragraphs[1:]]
    lines = [*title_lines, *body]
    if rng.random() < 0.5:
        closing = rng.choice(CLOSING_BYLINES)
        lines.extend(closing.format(*names).split("\n"))
        for i, name in enumerate(names):
            if "{" + str(i) + "}" in closing and name not in authors:
                authors.append(name)
    return lines, Expected(" ".join(title_lines), "\n".join(body), tuple(authors))


def split_cases(story: Story, corpus: list[Story], rng: random.Random) -> Iterator[Case]:
    """2-5 articles, this one first, laid out as an e-paper page."""
    for number in range(VARIANTS):
        others = [s for s in corpus if s.title != story.title]
        chosen = [story, *rng.sample(others, rng.randint(1, 4))]
        lines: list[str] = []
        records: list[Expected] = []
        for article in chosen:
            article_lines, expected = _e_paper_article(article, rng)
            lines.extend(article_lines)
            records.append(expected)
        if number % 3 == 2:
            body = {paragraph for expected in records for paragraph in expected.text.split("\n")}
            lines = [piece for line in lines for piece in (
                _single_cut(line, rng, "random") if line in body and len(line) > 40 else [line])]
        damaged = "\n\n" + _join(lines, rng)
        yield Case("split", f"v{number}", damaged, None, records)


DATELINES = (
    ("{Y}-{MM}-{DD} {hh}:{mm}:{ss}", "s"), ("{Y}年{M}月{D}日 {hh}:{mm}", "m"),
    ("发布时间：{Y}-{MM}-{DD} 来源：{src}", "d"),
    ("发布时间：{Y}-{MM}-{DD} {hh}:{mm} 来源：{src} 浏览次数：{n}", "m"),
    ("来源：{src} 发布时间：{Y}-{MM}-{DD} {hh}:{mm}", "m"),
    ("日期：{Y}/{MM}/{DD} 来源：{src}", "d"),
    ("发布日期：{Y}-{MM}-{DD}\u3000\u3000信息来源：{src}", "d"),
    ("{Y}-{MM}-{DD} {hh}:{mm}  来源：{src}", "m"), ("时间：{Y}年{M}月{D}日 {hh}:{mm}", "m"),
    ("{Y}-{MM}-{DD} {hh}:{mm}:{ss} 来源：{src} 【字体：大 中 小】", "s"),
)
INLINE_LEADS = (
    "{site}讯（记者 {0}）",
    "{site}讯(记者 {0} 通讯员 {1})",
    "本报讯（记者 {0}）",
    "本报讯(记者 {0} {1}) ",
)
TAIL_BYLINES = (
    "（记者 {0} 通讯员 {1}）",
    "(记者 {0})",
    "\n记者 {0}\n通讯员 {1}/图",
    "\n（记者 {0}）",
    "\n文/图 记者 {0}",
    "\n记者 {0} 通讯员 {1}",
)


def _dateline(shape: str, precision: str, published: str, source: str,
              rng: random.Random) -> tuple[str, str]:
    y, mo, d = published[:4], published[5:7], published[8:10]
    hh, mi, ss = published[11:13], published[14:16], published[17:19]
    if precision == "d":
        hh, mi, ss = "00", "00", "00"
    elif precision == "m":
        ss = "00"
    line = shape.format(Y=y, MM=mo, DD=d, M=int(mo), D=int(d), hh=hh, mm=mi, ss=ss, src=source,
                        n=rng.randint(10, 9999))
    return line, f"{y}-{mo}-{d}T{hh}:{mi}:{ss}+08:00"


def metadata_cases(story: Story, corpus: list[Story], rng: random.Random) -> Iterator[Case]:
    """The article under its title with a dateline, and bylines inline or closing it."""
    del corpus
    for number in range(VARIANTS):
        published = story.published or (
            f"2023-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}T{rng.randint(0, 23):02d}:"
            f"{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d}+08:00")
        shape, precision = rng.choice(DATELINES)
        dateline, iso = _dateline(shape, precision, published, _site(story), rng)
        source = _site(story) if "{src}" in shape else None
        names = _names(rng, 2)
        body = list(story.paragraphs)
        authors = _printed_names(body[0]) if re.match(r"\S{0,12}讯", body[0]) else []
        closing = ""
        if not authors and rng.random() < 0.5:
            lead = rng.choice(INLINE_LEADS)
            body[0] = lead.format(*names, site=rng.choice(["济源网", "正观新闻"])) + body[0]
            authors.extend(_lead_names(lead, names))
        else:
            closing = rng.choice(TAIL_BYLINES)
            authors.extend(n for i, n in enumerate(names) if "{" + str(i) + "}" in closing
                           and n not in authors)
        indent = rng.choice(["", "\u3000\u3000", "  "])
        sep = rng.choice(["\n", "\n\n"])
        damaged = sep.join([story.title, dateline, *(indent + p for p in body)])
        damaged += closing.format(*names)
        if source is None and rng.random() < 0.3:
            source = _site(story)
            damaged += f"\n来源：{source}"
        if rng.random() < 0.3:
            damaged += "\n" + rng.choice(EDITOR_LINES).format(*_names(rng, 3))
        yield Case("metadata", f"v{number}", damaged, None, [
            Expected(story.title, "\n".join(body), tuple(authors), source, iso, check_meta=True)])


TRICKY_PARAGRAPHS = (
    "据了解，这批农产品的来源主要是本地合作社，品质有保障。",
    "记者在编辑部看到，工作人员正在整理各地报送的稿件。",
    "截至2023-06-05，全市已累计完成投资一百二十亿元。",
    "2023年6月5日，全市召开三夏生产工作推进会。",
    "会议指出，上一篇章已经写就，下一篇章更需接续奋斗。",
    "市民可关注“平安中原”微信公众号，及时了解交通管制信息。",
    "活动现场，工作人员引导群众扫一扫二维码，在线填写问卷。",
    "下一步，将继续加大工作力度，确保各项任务落到实处。",
    "责任编辑部门要严格把关，对稿件来源进行审核。",
    "相关新闻发布后，引起社会广泛关注。",
)
"""Real paragraphs that mention what boilerplate lines say, inside a sentence."""


def clean_cases(story: Story, corpus: list[Story], rng: random.Random) -> Iterator[Case]:
    """The clean article, alone and with real paragraphs that look like boilerplate."""
    del corpus
    body = list(story.paragraphs)
    yield Case("clean", "plain", "\n".join([story.title, *body]), [story.title, *body],
               [Expected(story.title, "\n".join(body))])
    for number in range(VARIANTS - 1):
        tricky = list(body)
        for paragraph in rng.sample(TRICKY_PARAGRAPHS, rng.randint(1, 3)):
            tricky.insert(rng.randint(1, len(tricky)), paragraph)
        damaged = _join([story.title, *tricky], rng)
        yield Case("clean", f"tricky{number}", damaged, [story.title, *tricky],
                   [Expected(story.title, "\n".join(tricky))])


BUILDERS: dict[str, Callable[[Story, list[Story], random.Random], Iterator[Case]]] = {
    "boilerplate": boilerplate_cases, "broken_lines": broken_line_cases, "split": split_cases,
    "metadata": metadata_cases, "clean": clean_cases,
}


def build_cases(corpus: list[Story], seed: int = 7, rounds: int = 1) -> list[Case]:
    """Every case of every kind for `corpus`, reproducible from `seed`; `rounds` repeats the
    generation with fresh random choices."""
    cases: list[Case] = []
    for kind in KINDS:
        for round_number in range(rounds):
            rng = random.Random(f"{seed}-{kind}-{round_number}")
            for story in corpus:
                cases.extend(BUILDERS[kind](story, corpus, rng))
    return cases


# --- scoring -----------------------------------------------------------------------------------


def repair_output(case: Case) -> list[str] | None:
    """What the responsible repair makes of the case, as paragraphs."""
    if case.kind == "boilerplate":
        return paragraphs(strip_boilerplate(case.damaged))
    if case.kind == "broken_lines":
        return paragraphs(rejoin_broken_lines(case.damaged))
    if case.kind == "clean":
        return paragraphs(rejoin_broken_lines(strip_boilerplate(case.damaged)))
    if case.kind == "split":
        return [str(len(split_articles(case.damaged)))]
    return None


def repair_ok(case: Case) -> bool | None:
    if case.kind == "split":
        output = repair_output(case)
        return output == [str(len(case.records))]
    if case.repair_expected is None:
        return None
    output = repair_output(case)
    if case.kind == "clean":
        return (output == case.repair_expected
                and strip_boilerplate(case.damaged) == case.damaged
                and rejoin_broken_lines(case.damaged) == case.damaged)
    return output == case.repair_expected


def record_diff(case: Case) -> str:
    """'' when `clean_document` restores the case exactly, else what differs."""
    articles = clean_document(case.damaged, url="file:///eval.txt",
                              fetched_at="2024-01-01T00:00:00+00:00")
    if len(articles) != len(case.records):
        return f"{len(articles)} records, expected {len(case.records)}"
    for number, (article, expected) in enumerate(zip(articles, case.records, strict=True), 1):
        if article.text != expected.text:
            return f"part {number} text"
        if expected.title is not None and article.title != expected.title:
            return f"part {number} title {article.title!r}"
        if expected.authors is not None and tuple(article.authors) != expected.authors:
            return f"part {number} authors {article.authors} != {list(expected.authors)}"
        if expected.check_meta and article.source != expected.source:
            return f"part {number} source {article.source!r}"
        if expected.check_meta and expected.published_at and (
                article.published_at != expected.published_at):
            return f"part {number} published_at {article.published_at!r}"
    return ""


@dataclass
class Tally:
    """Per-kind counts."""

    cases: int = 0
    repair_total: int = 0
    repair_ok: int = 0
    record_ok: int = 0
    misses: list[tuple[Case, str]] = field(default_factory=list)


def score(cases: list[Case]) -> dict[str, Tally]:
    tallies = {kind: Tally() for kind in KINDS}
    for case in cases:
        tally = tallies[case.kind]
        tally.cases += 1
        ok = repair_ok(case)
        if ok is not None:
            tally.repair_total += 1
            tally.repair_ok += ok
        diff = record_diff(case)
        if diff:
            tally.misses.append((case, diff))
        else:
            tally.record_ok += 1
    return tallies


def _percent(part: int, whole: int) -> str:
    return f"{part}/{whole} ({100 * part / whole:.1f}%)" if whole else "-"


def report(name: str, tallies: dict[str, Tally], show: int) -> None:
    print(f"\n== {name}")
    print(f"{'kind':<14}{'cases':>7}{'repair exact':>22}{'record exact':>22}")
    for kind, tally in tallies.items():
        print(f"{kind:<14}{tally.cases:>7}{_percent(tally.repair_ok, tally.repair_total):>22}"
              f"{_percent(tally.record_ok, tally.cases):>22}")
    total = sum(t.cases for t in tallies.values())
    record = sum(t.record_ok for t in tallies.values())
    print(f"{'all':<14}{total:>7}{'':>22}{_percent(record, total):>22}")
    for kind, tally in tallies.items():
        for case, diff in tally.misses[:show]:
            print(f"\n-- {kind}/{case.variant}: {diff}")
            got = repair_output(case)
            if case.repair_expected is not None and got is not None:
                lines = difflib.unified_diff(case.repair_expected, got, "expected", "repaired",
                                             n=0, lineterm="")
                print("\n".join(lines))
            else:
                print(case.damaged)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", choices=("tune", "eval", "both"), default="both")
    parser.add_argument("--show", type=int, default=0, help="print this many misses per kind")
    parser.add_argument("--kind", choices=KINDS, action="append", help="only these kinds")
    parser.add_argument("--rounds", type=int, default=1, help="generate the cases this many times")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    corpora = {"tune": tune_corpus, "eval": eval_corpus}
    names = ("tune", "eval") if args.corpus == "both" else (args.corpus,)
    for name in names:
        cases = [c for c in build_cases(corpora[name](), args.seed, args.rounds)
                 if not args.kind or c.kind in args.kind]
        report(f"{name} corpus", score(cases), args.show)


if __name__ == "__main__":
    main()
