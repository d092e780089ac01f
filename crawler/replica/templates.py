"""Page templates of the five replica sites: article pages, list pages and their URL layout.

Each site has its own markup, as the real sites do: a news portal (济源网) and its
traditional-script gateway, two district government portals (孟津区, 中原区) and a Founder-style
e-paper (郑州晚报). Every page carries the surroundings an extractor must drop: navigation,
breadcrumbs (当前位置：首页 > …), share bars, related lists with dates, prev/next links and
footers with ICP numbers. Pages are returned as bytes in the site's own encoding.

The extraction gold set renders its site pages with `render_article`, the replica server with
`render_article` and `render_list`; both take a `ReplicaArticle` from `crawler.replica.content`.
The markup is kept as long literal lines, the way the sites send it.
"""
# ruff: noqa: E501

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from html import escape

from crawler.replica.content import ReplicaArticle, Story

WEEKDAYS = ("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日")


@dataclass(frozen=True)
class SiteStyle:
    """How a site is served: host, display name, byte encoding and what it declares."""

    name: str
    host: str
    title: str
    encoding: str
    meta_charset: str | None
    header_charset: str | None
    title_suffix: str
    article_dir: str


STYLES: dict[str, SiteStyle] = {
    "jynews": SiteStyle(
        "jynews", "www.jynews.cn", "济源网", "gbk", "gb2312", None, "_济源网", "/system/"
    ),
    "jynews_big5": SiteStyle(
        "jynews_big5", "big5.jynews.cn", "濟源網", "utf-8", "utf-8", "utf-8", "_濟源網",
        "/gate/big5/www.jynews.cn/system/",
    ),
    "mengjin": SiteStyle(
        "mengjin", "www.mengjin.gov.cn", "洛阳市孟津区人民政府", "utf-8", "utf-8", "utf-8",
        "_洛阳市孟津区人民政府", "/news/zwyw/",
    ),
    "zzwb": SiteStyle(
        "zzwb", "zzwb.zynews.cn", "郑州晚报", "utf-8", "utf-8", None, "--郑州晚报", "/html/"
    ),
    "zzzy": SiteStyle(
        "zzzy", "www.zzzy.gov.cn", "郑州市中原区人民政府", "gbk", "gb2312", "gb2312",
        "-郑州市中原区人民政府", "/zyxw/",
    ),
}

ZZWB_PAGES: tuple[tuple[int, str], ...] = ((2, "A02版：要闻"), (3, "A03版：要闻"))


@dataclass(frozen=True)
class Link:
    """A link on a page: target (path or absolute URL), text and an optional date label."""

    href: str
    text: str
    date: str | None = None


# ---------------------------------------------------------------------------------------------
# URL layout
# ---------------------------------------------------------------------------------------------


def article_number(site: str, number: int) -> int:
    """The site's numeric id of a corpus article."""
    base = {"jynews": 10_000_000, "jynews_big5": 10_000_000, "mengjin": 2_300_000,
            "zzwb": 661_000, "zzzy": 48_000}
    return base[site] + number


def article_path(site: str, article: ReplicaArticle) -> str:
    """The path of an article page on its site."""
    return article_path_for(site, article.number, article.published_at.date())


def article_path_for(site: str, number: int, day: date) -> str:
    """The path of article `number` published on `day`."""
    ident = article_number(site, number)
    if site in ("jynews", "jynews_big5"):
        return f"{STYLES[site].article_dir}{day:%Y/%m/%d}/{ident:09d}.shtml"
    if site == "mengjin":
        return f"/news/zwyw/{day:%Y%m}/t{day:%Y%m%d}_{ident}.html"
    if site == "zzwb":
        return f"/html/{day:%Y-%m/%d}/content_{ident}.htm"
    return f"/zyxw/{ident}.jhtml"


def preview_path(site: str) -> str:
    """A draft-preview article path; robots.txt disallows the preview folder."""
    return {
        "jynews": "/system/preview/010099999.shtml",
        "jynews_big5": "/gate/big5/www.jynews.cn/system/preview/010099999.shtml",
        "mengjin": "/news/zwyw/preview/t20230101_2399999.html",
        "zzwb": "/html/preview/content_699999.htm",
        "zzzy": "/zyxw/preview/49999.jhtml",
    }[site]


def list_path(site: str, page: int, edition: date | None = None) -> str:
    """The path of list page `page` (1-based); for the e-paper, layout page `page` of `edition`."""
    if site == "jynews":
        return "/jyxw/index.shtml" if page == 1 else f"/jyxw/index_{page}.shtml"
    if site == "jynews_big5":
        return "/gate/big5/www.jynews.cn" + list_path("jynews", page)
    if site == "mengjin":
        return "/news/zwyw/index.html" if page == 1 else f"/news/zwyw/index_{page - 1}.html"
    if site == "zzwb":
        if edition is None:
            raise ValueError("an e-paper layout page needs its edition date")
        return f"/html/{edition:%Y-%m/%d}/node_{ZZWB_PAGES[page - 1][0]}.htm"
    return "/zyxw/index.jhtml" if page == 1 else f"/zyxw/index_{page}.jhtml"


def content_type(site: str, *, lie: bool = False) -> str:
    """The Content-Type header a site sends; `lie` gives the wrong-charset variant."""
    style = STYLES[site]
    if lie:
        wrong = "utf-8" if style.encoding != "utf-8" else "gbk"
        return f"text/html; charset={wrong}"
    if style.header_charset:
        return f"text/html; charset={style.header_charset}"
    return "text/html"


def _encode(site: str, html: str) -> bytes:
    return html.encode(STYLES[site].encoding, errors="xmlcharrefreplace")


def _meta_charset(site: str) -> str:
    label = STYLES[site].meta_charset
    if label is None:
        return ""
    return f'<meta http-equiv="Content-Type" content="text/html; charset={label}" />'


def _paragraphs(lines: Sequence[str], indent: bool = False) -> str:
    style = ' style="text-indent:2em;"' if indent else ""
    return "\n".join(f"<p{style}>{escape(line)}</p>" for line in lines)


def _links(items: Sequence[Link], *, date_tag: str = "span") -> str:
    rows = []
    for item in items:
        label = f"<{date_tag}>{escape(item.date)}</{date_tag}>" if item.date else ""
        rows.append(f'<li><a href="{escape(item.href)}" target="_blank">{escape(item.text)}</a>'
                    f"{label}</li>")
    return "\n".join(rows)


def _pager(site: str, page: int, pages: int, *, first: str = "首页", last: str = "尾页") -> str:
    parts = [f'<a href="{list_path(site, 1)}">{first}</a>']
    if page > 1:
        parts.append(f'<a href="{list_path(site, page - 1)}">上一页</a>')
    for number in range(1, pages + 1):
        if number == page:
            parts.append(f'<span class="current">{number}</span>')
        else:
            parts.append(f'<a href="{list_path(site, number)}">{number}</a>')
    if page < pages:
        parts.append(f'<a href="{list_path(site, page + 1)}" class="next">下一页</a>')
    parts.append(f'<a href="{list_path(site, pages)}">{last}</a>')
    parts.append(f"<span>共{pages}页</span>")
    return "\n".join(parts)


# ---------------------------------------------------------------------------------------------
# 济源网 (GBK, declared gb2312 in the page only)
# ---------------------------------------------------------------------------------------------

_JY_NAV = (
    ("/", "首页"), ("/jyxw/index.shtml", "济源新闻"), ("/szxw/index.shtml", "时政新闻"),
    ("/shxw/index.shtml", "社会民生"), ("/whly/index.shtml", "文化旅游"),
    ("/jyrb/index.shtml", "济源日报"), ("/sp/index.shtml", "视频"),
)


def _jy_shell(site: str, title: str, crumbs: str, main: str, *, head: str = "") -> str:
    style = STYLES[site]
    nav = "".join(f'<li><a href="{href}">{text}</a></li>' for href, text in _JY_NAV)
    return f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml">
<head>
{_meta_charset(site)}
<title>{escape(title)}{style.title_suffix}</title>
<meta name="keywords" content="济源,济源网,济源新闻,产城融合示范区" />
<meta name="description" content="济源网是济源市唯一的新闻门户网站。" />
{head}
<link href="/css/style.css" rel="stylesheet" type="text/css" />
<script type="text/javascript" src="/js/jquery.min.js"></script>
</head>
<body>
<div class="topbar"><div class="w1000"><span class="date"><script>document.write(new Date().toLocaleDateString());</script></span>
<a href="/">济源网首页</a> | <a href="http://big5.jynews.cn/gate/big5/www.jynews.cn/">繁體版</a> | <a href="/wap/">手机版</a> | <a href="/about/contact.shtml">联系我们</a></div></div>
<div class="header"><div class="logo"><a href="/"><img src="/images/logo.gif" alt="济源网" /></a></div>
<div class="search"><form action="/search/" method="get"><input name="q" type="text" value="请输入关键词" /><input type="submit" value="搜索" /></form></div></div>
<div class="nav"><ul>{nav}</ul></div>
<div class="w1000 position">{crumbs}</div>
<div class="w1000 main">
{main}
</div>
<div class="footer">
<p><a href="/about/index.shtml">关于我们</a> | <a href="/about/ad.shtml">广告服务</a> | <a href="/about/contact.shtml">联系我们</a> | <a href="/about/copyright.shtml">版权声明</a></p>
<p>济源网 版权所有 未经书面授权禁止复制或建立镜像</p>
<p>主办：济源日报社 &nbsp; 地址：河南省济源市 &nbsp; 新闻热线：0391-6633110</p>
<p><a href="https://beian.miit.gov.cn/" target="_blank">豫ICP备09010862号</a> &nbsp; 豫公网安备 41900102000041号 &nbsp; 互联网新闻信息服务许可证：41120190011</p>
</div>
</body>
</html>
"""


def _jy_article(site: str, article: ReplicaArticle, related: Sequence[Link],
                previous: Link | None, following: Link | None, attachments: Sequence[Link]) -> str:
    traditional = site == "jynews_big5"
    home, section, here = ("首頁", "濟源新聞", "正文") if traditional else ("首页", "济源新闻", "正文")
    position = "當前位置" if traditional else "当前位置"
    crumbs = (f'{position}：<a href="/">{home}</a> &gt; <a href="{list_path(site, 1)}">{section}</a>'
              f" &gt; {here}")
    author = "、".join(article.authors)
    byline = f"　作者：記者 {escape(author)}" if traditional and author else (
        f"　作者：记者 {escape(author)}" if author else "")
    source_label, time_label = ("來源", "時間") if traditional else ("来源", "时间")
    promo = ('<div class="wxtip"><a href="/about/weixin.shtml">關注濟源網微信</a></div>'
             if traditional else "")
    story = article.stories[0]
    attach = ""
    if attachments:
        attach = f'<div class="attachments"><b>附件：</b><ul>{_links(attachments)}</ul></div>'
    related_title = "相關新聞" if traditional else "相关新闻"
    hot = "熱點排行" if traditional else "热点排行"
    main = f"""<div class="left">
<div class="article">
<h1>{escape(story.title)}</h1>
{promo}
<div class="info">{source_label}：{escape(article.source or STYLES[site].title)}　{time_label}：{article.published_at:%Y-%m-%d %H:%M}{byline}</div>
<div class="share bdsharebuttonbox"><span>分享到：</span><a class="bds_weixin" title="微信"></a><a class="bds_tsina" title="新浪微博"></a><a class="bds_qzone" title="QQ空间"></a><a class="bds_more"></a></div>
<div class="content" id="content">
{_paragraphs(story.lines)}
</div>
{attach}
<div class="editor">【編輯：融媒體編輯部】</div>
</div>
<div class="related"><h3>{related_title}</h3><ul>
{_links(related)}
</ul></div>
</div>
<div class="right"><div class="box"><h3>{hot}</h3><ul>{_links(related[:5])}</ul></div>
<div class="box"><a href="/jyrb/index.shtml"><img src="/images/jyrb.jpg" alt="济源日报电子版" /></a></div></div>"""
    if not traditional:
        main = main.replace("【編輯：融媒體編輯部】", "【编辑：融媒体编辑部】")
    return _jy_shell(site, story.title, crumbs, main)


def _jy_list(site: str, entries: Sequence[Link], page: int, pages: int) -> str:
    traditional = site == "jynews_big5"
    section = "濟源新聞" if traditional else "济源新闻"
    position = "當前位置" if traditional else "当前位置"
    home = "首頁" if traditional else "首页"
    crumbs = f'{position}：<a href="/">{home}</a> &gt; {section}'
    main = f"""<div class="left"><div class="listbox"><h2>{section}</h2>
<ul class="newslist">
{_links(entries)}
</ul>
<div class="page">{_pager(site, page, pages)}</div></div></div>"""
    return _jy_shell(site, section, crumbs, main)


# ---------------------------------------------------------------------------------------------
# 孟津区 government portal (UTF-8, declared in header and page)
# ---------------------------------------------------------------------------------------------

_MJ_NAV = (
    ("/", "首页"), ("/zwgk/index.html", "政务公开"), ("/news/zwyw/index.html", "新闻动态"),
    ("/zwfw/index.html", "政务服务"), ("/hdjl/index.html", "互动交流"),
    ("/zjmj/index.html", "走进孟津"),
)


def _mj_shell(site: str, title: str, crumbs: str, main: str, *, head: str = "") -> str:
    style = STYLES[site]
    nav = "".join(f'<li><a href="{href}">{text}</a></li>' for href, text in _MJ_NAV)
    return f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<meta name="SiteName" content="洛阳市孟津区人民政府">
<meta name="SiteDomain" content="www.mengjin.gov.cn">
<meta name="SiteIDCode" content="4103220001">
{head}
<title>{escape(title)}{style.title_suffix}</title>
<link rel="stylesheet" href="/images/common.css">
</head>
<body>
<div class="top"><div class="wrap"><span>欢迎访问洛阳市孟津区人民政府网站</span><a href="javascript:void(0)" id="wza">无障碍</a><a href="/">长者模式</a></div></div>
<div class="header"><div class="wrap"><a class="logo" href="/"><img src="/images/logo.png" alt="洛阳市孟津区人民政府"></a></div></div>
<div class="nav"><ul class="wrap">{nav}</ul></div>
<div class="wrap crumbs"><span>{crumbs}</span></div>
<div class="wrap main">
{main}
</div>
<div class="back-top" id="gotop" title="返回顶部"><span>返回顶部小火箭</span></div>
<div class="footer"><div class="wrap">
<p><a href="/about/sitemap.html">网站地图</a> | <a href="/about/contact.html">联系我们</a> | <a href="/about/statement.html">网站声明</a></p>
<p>主办：洛阳市孟津区人民政府办公室　承办：孟津区大数据中心</p>
<p>网站标识码：4103220001　<a href="https://beian.miit.gov.cn" target="_blank">豫ICP备05008093号-1</a>　豫公网安备 41032202000108号</p>
<p><a href="https://bszs.conac.cn/" target="_blank"><img src="/images/dzjg.png" alt="党政机关"></a> <a href="/jiucuo/"><img src="/images/jiucuo.png" alt="政府网站找错"></a></p>
</div></div>
</body>
</html>
"""


def _mj_article(site: str, article: ReplicaArticle, related: Sequence[Link],
                previous: Link | None, following: Link | None, attachments: Sequence[Link]) -> str:
    story = article.stories[0]
    source = article.source or "孟津区人民政府"
    head = (f'<meta name="ArticleTitle" content="{escape(story.title)}">\n'
            f'<meta name="PubDate" content="{article.published_at:%Y-%m-%d %H:%M}">\n'
            f'<meta name="ContentSource" content="{escape(source)}">\n'
            '<meta name="ColumnName" content="政务要闻">')
    crumbs = ('当前位置：<a href="/">首页</a> &gt; <a href="/news/zwyw/index.html">新闻动态</a>'
              ' &gt; <a href="/news/zwyw/index.html">政务要闻</a>')
    nav = []
    if following:
        nav.append(f'<p>下一篇：<a href="{escape(following.href)}">{escape(following.text)}</a></p>')
    if previous:
        nav.append(f'<p>上一篇：<a href="{escape(previous.href)}">{escape(previous.text)}</a></p>')
    attach = ""
    if attachments:
        attach = f'<div class="fujian"><p>相关附件：</p><ul>{_links(attachments)}</ul></div>'
    main = f"""<div class="article">
<h1 class="title">{escape(story.title)}</h1>
<div class="property"><span>发布时间：{article.published_at:%Y-%m-%d %H:%M:%S}</span><span>来源：{escape(source)}</span><span>浏览次数：<em id="hits">1</em></span><span class="font">字号：<a href="javascript:doZoom(18)">大</a> <a href="javascript:doZoom(16)">中</a> <a href="javascript:doZoom(14)">小</a></span></div>
<div class="TRS_Editor" id="zoom">
{_paragraphs(story.lines)}
</div>
{attach}
<div class="share"><span>分享到：</span><a class="wx" href="javascript:void(0)">微信</a><a class="wb" href="javascript:void(0)">微博</a><a class="qq" href="javascript:void(0)">QQ空间</a></div>
<div class="pagebox">
{"".join(nav)}
</div>
<div class="tools"><a href="javascript:window.print()">【打印本页】</a><a href="javascript:window.close()">【关闭窗口】</a></div>
</div>
<div class="related"><h3>相关信息</h3><ul>{_links(related)}</ul></div>"""
    return _mj_shell(site, story.title, crumbs, main, head=head)


def _mj_list(site: str, entries: Sequence[Link], page: int, pages: int) -> str:
    crumbs = ('当前位置：<a href="/">首页</a> &gt; <a href="/news/zwyw/index.html">新闻动态</a>'
              " &gt; 政务要闻")
    main = f"""<div class="sidebar"><h3>新闻动态</h3><ul><li class="on"><a href="/news/zwyw/index.html">政务要闻</a></li><li><a href="/news/bmdt/index.html">部门动态</a></li><li><a href="/news/xzdt/index.html">镇街动态</a></li></ul></div>
<div class="list-right"><h2>政务要闻</h2>
<ul class="list">
{_links(entries)}
</ul>
<div class="page">{_pager(site, page, pages)}</div></div>"""
    return _mj_shell(site, "政务要闻", crumbs, main)


# ---------------------------------------------------------------------------------------------
# 郑州晚报 e-paper (UTF-8 declared in the page only; Founder layout)
# ---------------------------------------------------------------------------------------------


def _edition_label(day: date) -> str:
    return f"{day.year}年{day.month:02d}月{day.day:02d}日 {WEEKDAYS[day.weekday()]}"


def _wb_shell(site: str, title: str, day: date, main: str) -> str:
    style = STYLES[site]
    return f"""<html>
<head>
{_meta_charset(site)}
<title>{escape(title)}{style.title_suffix}</title>
<link href="../../../style/css.css" rel="stylesheet" type="text/css">
<script language="javascript" src="../../../script/zoom.js"></script>
</head>
<body bgcolor="#FFFFFF" leftmargin="0" topmargin="0">
<table width="1000" border="0" align="center" cellpadding="0" cellspacing="0" class="top">
<tr><td><img src="../../../image/logo.jpg" alt="郑州晚报"></td><td class="default">{_edition_label(day)}</td>
<td><a href="http://www.zynews.cn/" target="_blank">中原网</a> | <a href="/">数字报首页</a> | <a href="/html/calendar.htm">往期回顾</a></td></tr>
</table>
{main}
<table width="1000" border="0" align="center" cellpadding="0" cellspacing="0" class="footer">
<tr><td align="center">郑州晚报社版权所有 未经授权不得转载　地址：郑州市金水区花园路</td></tr>
<tr><td align="center"><a href="https://beian.miit.gov.cn/" target="_blank">豫ICP备09014085号</a>　互联网新闻信息服务许可证：41120170001</td></tr>
</table>
</body>
</html>
"""


def _wb_story(story: Story) -> str:
    kicker = f'<tr><td class="font02" align="center">{escape(story.kicker)}</td></tr>' \
        if story.kicker else ""
    body = "\n".join(f"<P>{escape(line)}</P>" for line in story.lines)
    return f"""<table width="100%" border="0" cellspacing="0" cellpadding="0" class="story">
{kicker}
<tr><td class="font01" align="center">{escape(story.title)}</td></tr>
<tr><td><div id="ozoom"><!--enpcontent--><founder-content>
{body}
</founder-content><!--/enpcontent--></div></td></tr>
</table>"""


def _wb_article(site: str, article: ReplicaArticle, related: Sequence[Link],
                previous: Link | None, following: Link | None, attachments: Sequence[Link]) -> str:
    day = article.published_at.date()
    stories = "\n<hr class=\"story-break\">\n".join(_wb_story(story) for story in article.stories)
    authors = " ".join(article.authors)
    prop = (f"<!--enpproperty <date>{day:%Y-%m-%d}</date><author>{escape(authors)}</author>"
            f"<title>{escape(article.title)}</title><nodename>要闻</nodename>/enpproperty-->")
    nav = "".join([
        f'<a href="{escape(previous.href)}">上一篇</a> ' if previous else "",
        f'<a href="{escape(following.href)}">下一篇</a>' if following else "",
    ])
    main = f"""{prop}
<table width="1000" border="0" align="center" cellpadding="0" cellspacing="0">
<tr><td width="300" valign="top" class="left">
<div class="bmdh"><b>版面导航</b><ul>{"".join(f'<li><a href="node_{node}.htm">{name}</a></li>' for node, name in ZZWB_PAGES)}</ul></div>
<div class="btdh"><b>标题导航</b><ul>{_links(related)}</ul></div>
</td>
<td width="700" valign="top">
<div class="position">当前位置：<a href="/">首页</a> &gt; <a href="node_2.htm">{_edition_label(day)}</a> &gt; 正文</div>
<div id="articles">
{stories}
</div>
<div class="artnav">{nav} <a href="javascript:window.print()">打印</a> <a href="node_2.htm">返回版面</a></div>
<div class="share">分享到：<a href="javascript:void(0)">微信</a> <a href="javascript:void(0)">微博</a></div>
</td></tr>
</table>"""
    return _wb_shell(site, article.title, day, main)


def render_edition(site: str, day: date, node_index: int, entries: Sequence[Link],
                   previous_edition: str | None, next_edition: str | None) -> bytes:
    """An e-paper layout page (`node_N.htm`) of edition `day`: its article list and navigation."""
    pages = "".join(
        f'<li{" class=on" if index == node_index else ""}><a href="node_{node}.htm">{name}</a></li>'
        for index, (node, name) in enumerate(ZZWB_PAGES, start=1)
    )
    issue_nav = "".join([
        f'<a href="{escape(previous_edition)}" class="prev-issue">上一期</a> '
        if previous_edition else "",
        f'<a href="{escape(next_edition)}" class="next-issue">下一期</a>' if next_edition else "",
    ])
    name = ZZWB_PAGES[node_index - 1][1]
    main = f"""<table width="1000" border="0" align="center" cellpadding="0" cellspacing="0">
<tr><td width="500" valign="top"><map name="PagePicMap"></map><img src="../../../page/{day:%Y-%m/%d}/{node_index:02d}/page.jpg" usemap="#PagePicMap" alt="{name}"></td>
<td width="500" valign="top">
<div class="bmdh"><b>版面导航</b><ul>{pages}</ul></div>
<div class="issue">{issue_nav}</div>
<div class="btdh"><b>{name}</b><ul>
{_links(entries)}
</ul></div>
</td></tr></table>"""
    return _encode(site, _wb_shell(site, name, day, main))


# ---------------------------------------------------------------------------------------------
# 中原区 government portal (GBK, declared gb2312 in header and page)
# ---------------------------------------------------------------------------------------------

_ZY_NAV = (
    ("/", "首页"), ("/zwgk/index.jhtml", "政务公开"), ("/zyxw/index.jhtml", "中原要闻"),
    ("/bmdt/index.jhtml", "部门动态"), ("/jddt/index.jhtml", "街道动态"),
    ("/zwfw/index.jhtml", "政务服务"), ("/hdjl/index.jhtml", "政民互动"),
)


def _zy_shell(site: str, title: str, crumbs: str, main: str, *, head: str = "") -> str:
    style = STYLES[site]
    nav = "".join(f'<a href="{href}">{text}</a>' for href, text in _ZY_NAV)
    return f"""<!DOCTYPE html>
<html>
<head>
{_meta_charset(site)}
<meta http-equiv="X-UA-Compatible" content="IE=edge">
{head}
<title>{escape(title)}{style.title_suffix}</title>
<link href="/r/cms/www/default/css/style.css" rel="stylesheet" type="text/css">
<script src="/r/cms/jquery.js" type="text/javascript"></script>
</head>
<body>
<div class="head"><div class="w1200"><img src="/r/cms/www/default/images/logo.png" alt="郑州市中原区人民政府"><div class="search"><input type="text" placeholder="请输入搜索内容"><button>搜索</button></div></div></div>
<div class="menu"><div class="w1200">{nav}</div></div>
<div class="w1200 location">{crumbs}</div>
<div class="w1200 content-box">
{main}
</div>
<div class="foot"><div class="w1200">
<p><a href="/about/lxwm.jhtml">联系我们</a> | <a href="/about/wzdt.jhtml">网站地图</a> | <a href="/about/sybz.jhtml">使用帮助</a></p>
<p>主办单位：郑州市中原区人民政府办公室　技术支持：中原区大数据管理中心</p>
<p>网站标识码：4101020001　<a href="https://beian.miit.gov.cn" target="_blank">豫ICP备06012312号</a>　豫公网安备 41010202002345号</p>
</div></div>
</body>
</html>
"""


def _zy_article(site: str, article: ReplicaArticle, related: Sequence[Link],
                previous: Link | None, following: Link | None, attachments: Sequence[Link]) -> str:
    source = article.source or "中原区人民政府"
    crumbs = ('当前位置：<a href="/">首页</a> &gt; <a href="/zyxw/index.jhtml">新闻中心</a>'
              ' &gt; <a href="/zyxw/index.jhtml">中原要闻</a>')
    if len(article.stories) > 1:
        body = "\n".join(
            f"<p><strong>{escape(story.title)}</strong></p>\n{_paragraphs(story.lines)}"
            for story in article.stories
        )
    else:
        body = _paragraphs(article.stories[0].lines, indent=True)
    attach = ""
    if attachments:
        attach = f'<div class="attach"><p>附件下载：</p><ul>{_links(attachments)}</ul></div>'
    nav = "".join([
        f'<li>上一篇：<a href="{escape(previous.href)}">{escape(previous.text)}</a></li>'
        if previous else "<li>上一篇：没有了</li>",
        f'<li>下一篇：<a href="{escape(following.href)}">{escape(following.text)}</a></li>'
        if following else "<li>下一篇：没有了</li>",
    ])
    head = f'<meta name="ArticleTitle" content="{escape(article.title)}">'
    main = f"""<div class="article-title"><h2>{escape(article.title)}</h2></div>
<div class="article-info">发布时间：{article.published_at:%Y-%m-%d %H:%M}　来源：{escape(source)}　浏览次数：<span id="views"></span>　<a href="javascript:window.print();">[打印]</a></div>
<div class="article-content" id="zoom">
{body}
</div>
{attach}
<div class="bshare">分享到：<a title="分享到微信">微信</a><a title="分享到新浪微博">微博</a><a title="分享到QQ空间">QQ空间</a></div>
<ul class="prevnext">{nav}</ul>
<div class="xgwz"><h4>相关文章</h4><ul>{_links(related, date_tag="em")}</ul></div>"""
    return _zy_shell(site, article.title, crumbs, main, head=head)


def _zy_list(site: str, entries: Sequence[Link], page: int, pages: int) -> str:
    crumbs = ('当前位置：<a href="/">首页</a> &gt; <a href="/zyxw/index.jhtml">新闻中心</a>'
              " &gt; 中原要闻")
    main = f"""<div class="list-box"><div class="list-title">中原要闻</div>
<ul class="list-ul">
{_links(entries, date_tag="em")}
</ul>
<div class="pagination">{_pager(site, page, pages, first="首页", last="末页")}</div></div>"""
    return _zy_shell(site, "中原要闻", crumbs, main)


# ---------------------------------------------------------------------------------------------
# Entry points
# ---------------------------------------------------------------------------------------------

ArticleTemplate = Callable[
    [str, ReplicaArticle, Sequence[Link], Link | None, Link | None, Sequence[Link]], str
]
ListTemplate = Callable[[str, Sequence[Link], int, int], str]

_ARTICLE_TEMPLATES: dict[str, ArticleTemplate] = {
    "jynews": _jy_article, "jynews_big5": _jy_article, "mengjin": _mj_article,
    "zzwb": _wb_article, "zzzy": _zy_article,
}
_LIST_TEMPLATES: dict[str, ListTemplate] = {
    "jynews": _jy_list, "jynews_big5": _jy_list, "mengjin": _mj_list, "zzzy": _zy_list,
}


def render_article(
    site: str,
    article: ReplicaArticle,
    *,
    related: Sequence[Link] = (),
    previous: Link | None = None,
    following: Link | None = None,
    attachments: Sequence[Link] = (),
) -> bytes:
    """An article page of `site` as served: HTML bytes in the site's encoding.

    A seed article with its own related teasers (the 济源网 sidebar) shows those when `related`
    is not given."""
    if not related and article.related:
        related = [Link(f"/system/{day.replace('-', '/')}/0.shtml", teaser, day)
                   for teaser, day in article.related]
    html = _ARTICLE_TEMPLATES[site](site, article, related, previous, following, attachments)
    return _encode(site, html)


def render_list(site: str, entries: Sequence[Link], *, page: int, pages: int) -> bytes:
    """A list page (1-based `page` of `pages`) of a news site with its pagination bar."""
    if site not in _LIST_TEMPLATES:
        raise ValueError(f"{site} has no list pages; its layout pages come from render_edition")
    return _encode(site, _LIST_TEMPLATES[site](site, entries, page, pages))


def article_link(site: str, article: ReplicaArticle) -> Link:
    """The list-page link of an article: its path, title and date label."""
    return Link(article_path(site, article), article.title, f"{article.published_at:%Y-%m-%d}")
