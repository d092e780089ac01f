"""The extraction tables, kept in one place (trafilatura-style): content containers of the
government CMSs, chrome to prune, metadata names, labels and title suffixes.

Adding a CMS or a meta name is a one-line change here; the code in `page.py` and `meta.py`
only walks these tables.
"""

from __future__ import annotations

import re

from crawler.vocab.chars import HAN
from crawler.vocab.labels import (
    BYLINE_LABELS,
    COMMENT_HEADERS,
    DATELINE_BARE_LABELS,
    DATELINE_LABELS,
    EDITOR_LABELS,
    LOCATION_LABELS,
    ORGANISATION_END,
    RELATED_HEADERS,
    SOURCE_LABELS,
    alternation,
)


def _class(name: str) -> str:
    """XPath test for an element carrying the class `name` (exact token, not a substring; the
    plain `contains` first, which rules out most elements cheaply)."""
    return (f"(contains(@class, '{name}') and "
            f"contains(concat(' ', normalize-space(@class), ' '), ' {name} '))")


# Known article-body containers of Chinese government and news CMSs, most specific first.
# TRS WCM (.TRS_Editor, #zoom), Hanweb/UCAP (#UCAP-CONTENT), VisualSiteBuilder (#vsb_content, the
# CMS of many university and county sites), gov.cn (.pages_content), Founder e-paper (#ozoom,
# founder-content) and the generic names many regional portals use.
CONTENT_XPATHS: tuple[str, ...] = (
    f"//div[{_class('TRS_Editor')}]",
    "//*[@id='UCAP-CONTENT']",
    "//*[@id='zoom' or @id='Zoom' or @id='ZOOM']",
    "//*[@id='vsb_content' or @id='vsb_content_2']",
    "//*[@id='ozoom']",
    "//founder-content",
    f"//*[{_class('pages_content')}]",
    f"//*[{_class('article-content')} or {_class('article_content')}]",
    f"//*[{_class('news_content')} or {_class('news-content')}]",
    f"//*[{_class('content_text')} or {_class('text_content')}]",
    f"//*[{_class('article-body')} or {_class('articleBody')}]",
    "//*[@id='article-content' or @id='articleContent' or @id='ArticleContent']",
    "//*[@id='news_content' or @id='newsContent' or @id='NewsContent']",
)
# Names that often hold the article but just as often wrap the whole page column (sidebars,
# comments, teasers): a candidate for the quality comparison, never taken on sight.
GENERIC_CONTENT_XPATHS: tuple[str, ...] = (
    "//*[@id='content' or @id='Content']",
    f"//*[{_class('article')}]",
    "//article",
)

# A container inside a side column is a teaser or widget, never the article body.
SIDE_COLUMN_XPATH = (
    "ancestor-or-self::*[self::aside or contains(@class, 'sidebar') or contains(@id, 'sidebar')"
    f" or {_class('side')} or {_class('aside')} or {_class('right-side')}]"
)

# Discussion around an article, pruned from the whole page before any extractor looks at it:
# comment lists and boxes (评论, 跟贴), blog comment forms.
DISCUSSION_XPATHS: tuple[str, ...] = (
    "//*[contains(@class, 'comment') or contains(@id, 'comment') or contains(@class, 'Comment')"
    " or contains(@id, 'Comment') or contains(@class, 'allComm')]",
    "//*[contains(@class, 'cmt') or contains(@id, 'cmt') or contains(@class, 'pinglun')"
    " or contains(@id, 'pinglun') or contains(@class, 'tie-') or @id='tie']",
    "//*[contains(@class, 'respond') or contains(@class, 'revert') or contains(@id, 'respond')]",
    f"//*[{_class('sign')} or {_class('signature')} or {_class('sign-line')}]",
)
# A forum thread numbers its floors (Discuz `post_123`/`pid123`/`postmessage_123`, phpwind
# `read_123`); the first floor is the article, the later ones are replies.
FORUM_POST_ID = re.compile(r"^(post|pid|postmessage|post_content|postcontent|floor|read)[_-]?\d+$",
                           re.IGNORECASE)

# A line after which the article is over: related lists, recommendations, comment headers.
END_MARKER = re.compile(
    r"^[【\[]?\s*" + alternation(RELATED_HEADERS + COMMENT_HEADERS) + r"\s*[】\]]?\s*[:：]?$"
)
# An editor credit; after the article's paragraphs it ends the article (teasers follow it).
EDITOR_LINE = re.compile(rf"^[【\[(（]?\s*{EDITOR_LABELS}\s*[:：][^。！？]{{0,30}}$")
# A note giving the article's original headline (原标题：…): printed with the article, it is
# body text, never taken for a copy of the title.
ORIGINAL_TITLE = re.compile(r"^[(（【\[]?\s*原标题\s*[:：][^。]{0,80}[)）】\]]?$")
# A line of page chrome inside a text block: pager, fold and app prompts, disclaimers, dates
# with 来源 and no sentence, editor credits.
CHROME_LINE = re.compile(
    r"^(?:.{0,6}本文共\s*\d+\s*页.*|[^。！？]{0,30}(?:上一页|下一页)[^。！？]{0,30}|展开全文.{0,6}|"
    r"阅读全文|点击展开.{0,6}|(?:(?:回复|举报|支持|反对|收藏|分享|点赞|评论|顶|踩|只看该作者)\s*"
    r"(?:[(（]\d+[)）]|\d+)?\s*[|｜]?\s*){2,}|.{0,8}打开\s*APP.{0,20}|[【\[]?免责声明[】\]]?[:：]?.{0,120}|"
    r"[【\[]?" + EDITOR_LABELS + r"\s*[:：][^。！？]{0,30}[】\]]?|"
    r"[^。！？]{0,40}未经[^。！？]{0,12}(?:允许|授权|许可|同意)[^。！？]{0,8}(?:不得|禁止|严禁|谢绝)"
    r"(?:转载|使用|复制|摘编)[^\n]{0,60}|"
    r"(?:特别|郑重|版权)?声明\s*[:：][^。！？]{0,80}(?:仅供参考|不构成|风险自担|转载|版权|立场|"
    r"仅提供信息|仅代表)[^\n]{0,80}|"
    r"[^。！？]{0,30}如有侵权[^。！？]{0,30}[。！]?|"
    r"[^。！？]{0,40}(?:供稿|(?:摄影|编辑|责编|审核|审校|校对|终审|撰稿|采写|文字|美编)\s*[/／:：|｜]"
    rf"\s*[{HAN}·]{{2,5}})[^。！？]{{0,50}}|"
    r"(?:19|20)\d{2}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?\s*(?:\d{1,2}:\d{2}(?::\d{2})?)?"
    r"[^。！？]{0,60}(?:来源|作者|编辑)[^。！？]{0,60})$"
)

# Elements never part of an article body: scripts, forms, share/print/related widgets.
PRUNE_XPATHS: tuple[str, ...] = (
    "//script", "//style", "//noscript", "//template", "//iframe", "//form", "//button",
    "//select", "//input", "//textarea", "//nav", "//head",
    "//*[contains(@class, 'share') or contains(@id, 'share') or contains(@class, 'bdshare')]",
    "//*[contains(@class, 'print') or contains(@id, 'print')]",
    "//*[contains(@class, 'related') or contains(@id, 'related') or contains(@class, 'xgwz')]",
    "//*[contains(@class, 'breadcrumb') or contains(@class, 'crumb') or @id='position']",
    f"//*[{_class('position')} or {_class('location')} or {_class('dqwz')} or {_class('weizhi')}]",
    "//*[contains(@class, 'prev-next') or contains(@class, 'prevnext')]",
    "//*[contains(@class, 'pager')]",
    "//*[contains(@class, 'qrcode') or contains(@class, 'gotop') or contains(@id, 'gotop')]",
    "//*[contains(@class, 'backtop') or contains(@id, 'backtop')]",
)

# Block-level tags: their text starts a new line in the extracted text.
BLOCK_TAGS: frozenset[str] = frozenset(
    {
        "p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "table",
        "tbody", "thead", "section", "article", "blockquote", "center", "dd", "dt", "dl",
        "figure", "figcaption", "header", "footer", "pre", "hr", "address", "founder-content",
        "main", "aside",
    }
)

# <meta> names (lower-cased name/property/itemprop), in order of trust.
TITLE_META: tuple[str, ...] = ("articletitle", "og:title", "twitter:title", "title")
DATE_META: tuple[str, ...] = (
    "pubdate", "publishdate", "publishdate_", "article:published_time", "og:release_date",
    "datepublished", "firstpublishedtime", "publish_time", "publishtime", "release_date",
    "dc.date.issued", "dc.date", "date",
)
SOURCE_META: tuple[str, ...] = ("contentsource", "source", "og:site_name_source")
AUTHOR_META: tuple[str, ...] = ("author", "article:author", "dc.creator")

# Labels in the page's info bar (发布时间：… 来源：… 作者：…).
# Traditional-script variants are listed too: mirror gateways convert the whole page.
DATE_LABEL = re.compile(rf"{DATELINE_LABELS}\s*[:：]\s*|{DATELINE_BARE_LABELS}\s*")
SOURCE_LABEL = re.compile(rf"{SOURCE_LABELS}\s*[:：]\s*")
AUTHOR_LABEL = re.compile(rf"{BYLINE_LABELS}\s*[:：/]\s*")
# Everything an info-bar field may be followed by: the next label or chrome.
INFO_FIELD_END = re.compile(
    r"\s{2,}|\n|\s*(?:发布时间|发布日期|时间|時間|日期|来源|來源|信息来源|文章来源|作者|记者\s*[:：]|编辑|责任编辑|"
    r"浏览|阅读|点击|访问|字号|字体|【|\[|\||｜)"
)

# One line that is only page chrome around the article: the info bar and its widgets, the
# breadcrumb trail, blog tags, forum profile panels. A bare byline (`记者 唐善普 通讯员
# 白博文/图`, no colon) is not chrome: it reaches the text cleaner, which moves it into `authors`.
INFO_LINE = re.compile(
    r"^(?:[【\[]?\s*(?:发布时间|发布日期|时间|時間|日期|来源|來源|信息来源|文章来源|本文来源|稿件来源|"
    r"作者|记者\s*[:：]|编辑|"
    r"责任编辑|浏览次数|阅读次数|点击数|访问量|字号|字体|打印|关闭|分享到|发表于|發表於|"
    + alternation(LOCATION_LABELS) + r")"
    r"[^。！？]{0,80}|"
    # a blog post's tags and category, a forum poster's profile panel and thread counters
    r"(?:标签|分类|Tags?)\s*[:：][^。！？]{0,40}|"
    r"(?:UID|积分|帖子|主题|精华|威望|金钱|贡献|注册时间|最后登录|在线时间)\s*[:：]?\s*[\d\-: ]+|"
    r"(?:查看|阅读)\s*[:：]\s*\d+\s*[|｜]\s*回复\s*[:：]\s*\d+.{0,120})$"
)

# Site names after a title in <title>: separators, then a short site or column name.
TITLE_SEPARATORS = re.compile(r"\s*(?:--|_|\||｜|\s-\s|-|－|\s—\s)\s*")
TITLE_SUFFIX_MAX = 20
"""A trailing <title> segment this short (in characters) may be a site or column name."""

# Names that are a site, not a person (meta author on portals).
NOT_AUTHOR = re.compile(ORGANISATION_END)
