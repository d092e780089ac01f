"""Regenerate the extraction gold set: `python -m tests.gold.build` (deliberately, not in tests).

Each case becomes tests/gold/<case>/ with
- `page.html`: the page bytes exactly as served (in the page's own encoding, BOM included);
- `meta.json`: url, `charset` (the HTTP Content-Type value as served, or null when the page was
  served without one), how it was served, template family and the encoding case it covers;
- `expected.jsonl`: the expected record(s), written from the source text put into the page (the
  truth), never from the extractor's output. Pages without an article have an empty file.

Non-seed pages use the stories in `tests/gold/stories.py` inside the common government-CMS
templates below. The seed-source sites' golden pages live in their folders,
`seeds/<site>/golden/`, and are written by `python -m tests.gold.seed_pages`.
"""
# ruff: noqa: E501

from __future__ import annotations

import codecs
import json
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import Any

import orjson

from tests.gold.stories import STORIES, GoldStory

GOLD_DIR = Path(__file__).parent


# --- shared boilerplate ------------------------------------------------------------------------

RELATED = (
    ("全市召开一季度经济运行分析会", "2023-04-12"),
    ("我市启动2023年全民健身月活动", "2023-04-10"),
    ("农业农村部门开展春季农资打假专项行动", "2023-04-08"),
    ("市政务服务中心推出延时服务", "2023-04-06"),
    ("城区新增一批公共停车泊位", "2023-04-03"),
)
HOT = (
    "全省县域经济高质量发展工作会议召开",
    "我市多个项目入选省重点项目名单",
    "中小学生暑期安全提示",
    "市民热线受理情况通报",
)


def _related_list(heading: str) -> str:
    items = "".join(
        f'<li><a href="/xwzx/t{d.replace("-", "")}_{i}.html" target="_blank">{escape(t)}</a>'
        f'<span class="date">{d}</span></li>'
        for i, (t, d) in enumerate(RELATED, start=3001)
    )
    return f'<div class="related"><h3>{heading}</h3><ul>{items}</ul></div>'


def _nav(items: tuple[str, ...]) -> str:
    links = "".join(f'<li><a href="/{i}/">{escape(name)}</a></li>' for i, name in enumerate(items))
    return f'<div class="nav"><ul>{links}</ul></div>'


def _footer(site: str, icp: str) -> str:
    return (
        '<div class="footer"><p><a href="/about/">关于我们</a> | <a href="/map/">网站地图</a> | '
        '<a href="/contact/">联系我们</a></p>'
        f"<p>主办单位：{escape(site)} 版权所有 未经许可不得转载</p>"
        f'<p><a href="https://beian.miit.gov.cn/">{icp}</a> 豫公网安备41030502000123号 '
        "网站标识码：4103000012</p></div>"
    )


def _paragraphs(story: GoldStory, indent: bool = True) -> str:
    style = ' style="text-indent:2em;"' if indent else ""
    return "".join(f"<p{style}>{escape(p)}</p>" for p in story.paragraphs)


def _attachments(story: GoldStory) -> tuple[str, str]:
    """Body paragraphs and attachment links for a notice whose last paragraphs are attachments."""
    body = [p for p in story.paragraphs if not _is_attachment(p, story)]
    links = [p for p in story.paragraphs if _is_attachment(p, story)]
    paragraphs = "".join(f"<p>{escape(p)}</p>" for p in body)
    attached = "".join(
        f'<p><a href="/uploadfiles/2023/{i}.pdf">{escape(p)}</a></p>'
        for i, p in enumerate(links, start=1)
    )
    return paragraphs, attached


def _is_attachment(paragraph: str, story: GoldStory) -> bool:
    index = story.paragraphs.index(paragraph)
    first = next((i for i, p in enumerate(story.paragraphs) if p.startswith("附件")), None)
    return first is not None and index >= first


def _ymd_hm(story: GoldStory) -> str:
    """`2023-03-15 09:30` from the story's ISO time."""
    return story.published[:10] + " " + story.published[11:16]


def _cn_date(story: GoldStory) -> str:
    """`2023年4月2日` from the story's ISO time."""
    y, m, d = story.published[:10].split("-")
    return f"{y}年{int(m)}月{int(d)}日"


# --- templates: common government CMS families ---------------------------------------------------


def trs_wcm(story: GoldStory, site: str, charset: str | None) -> str:
    """TRS WCM article page: gov meta tags, info bar, `.TRS_Editor` body, related list."""
    meta_charset = f'<meta http-equiv="Content-Type" content="text/html; charset={charset}">' \
        if charset else ""
    return f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml">
<head>
{meta_charset}
<title>{escape(story.title)}_{site}</title>
<meta name="SiteName" content="{site}">
<meta name="ColumnName" content="工作动态">
<meta name="ArticleTitle" content="{escape(story.title)}">
<meta name="PubDate" content="{_ymd_hm(story)}">
<meta name="ContentSource" content="{escape(story.source or '')}">
<meta name="Keywords" content="{site},工作动态">
<link rel="stylesheet" href="/images/style.css">
<script type="text/javascript" src="/js/jquery.min.js"></script>
</head>
<body>
<div class="top"><div class="logo"><img src="/images/logo.png" alt="{site}"></div>
<div class="search"><form action="/search"><input type="text" name="q"><button>搜索</button></form></div></div>
{_nav(("首页", "政务公开", "政务服务", "互动交流", "走进县情", "专题专栏"))}
<div class="position">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a> &gt; <a href="/zwgk/gzdt/">工作动态</a></div>
<div class="article">
<h1 class="title">{escape(story.title)}</h1>
<div class="info">发布时间：{_ymd_hm(story)}&nbsp;&nbsp;来源：{escape(story.source or '')}&nbsp;&nbsp;【字体：<a href="#">大</a> <a href="#">中</a> <a href="#">小</a>】&nbsp;【<a href="javascript:window.print()">打印</a>】【<a href="javascript:window.close()">关闭</a>】</div>
<div class="view TRS_UEDITOR trs_paper_default trs_web"><div class="TRS_Editor">
{_paragraphs(story)}
</div></div>
<div class="share">分享到：<a href="#">微信</a><a href="#">微博</a><a href="#">QQ空间</a></div>
</div>
{_related_list("相关文章")}
{_footer(site, "豫ICP备05012345号-1")}
<script>var _hmt = _hmt || [];</script>
</body>
</html>
"""


def zoom_table(story: GoldStory, site: str, charset: str | None) -> str:
    """Older table-layout government page: `#zoom` body, `时间：` info line, attachments."""
    meta_charset = f'<meta http-equiv="Content-Type" content="text/html; charset={charset}" />' \
        if charset else ""
    paragraphs, attached = _attachments(story)
    date = _cn_date(story) if story.published.endswith("T00:00:00+08:00") else _ymd_hm(story)
    return f"""<html>
<head>
{meta_charset}
<title>{escape(story.title)} - {site}</title>
<style>td {{ font-size: 12px; }}</style>
</head>
<body topmargin="0" leftmargin="0">
<table width="1000" border="0" align="center" cellpadding="0" cellspacing="0">
<tr><td><img src="/images/banner.jpg" width="1000" height="150"></td></tr>
<tr><td class="menu"><a href="/">网站首页</a> | <a href="/zwdt/">政务动态</a> | <a href="/tzgg/">通知公告</a> | <a href="/zcfg/">政策法规</a> | <a href="/bsfw/">办事服务</a></td></tr>
</table>
<table width="1000" border="0" align="center" cellpadding="0" cellspacing="0">
<tr><td class="dqwz">您现在的位置：<a href="/">首页</a> &gt;&gt; <a href="/tzgg/">通知公告</a></td></tr>
<tr><td align="center" class="biaoti" height="60"><strong>{escape(story.title)}</strong></td></tr>
<tr><td align="center" class="sj">时间：{date}&nbsp;&nbsp;&nbsp;&nbsp;来源：{escape(story.source or '')}&nbsp;&nbsp;&nbsp;&nbsp;浏览次数：<span id="count">1024</span></td></tr>
<tr><td><div id="zoom">
{paragraphs}
{attached}
</div></td></tr>
<tr><td align="right"><a href="javascript:window.print()">【打印本页】</a> <a href="javascript:window.close()">【关闭窗口】</a></td></tr>
</table>
<table width="1000" align="center"><tr><td class="bottom">版权所有：{site} &nbsp; 地址：人民路1号 &nbsp; 豫ICP备09001234号</td></tr></table>
</body>
</html>
"""


def ucap(story: GoldStory, site: str, charset: str | None) -> str:
    """Hanweb/UCAP page: gov meta tags, `#UCAP-CONTENT` body, side column of hot news."""
    hot = "".join(f'<li><a href="/art/{i}.html">{escape(t)}</a></li>' for i, t in enumerate(HOT))
    head_charset = f'<meta charset="{charset}">' if charset else ""
    return f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
{head_charset}
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="ArticleTitle" content="{escape(story.title)}">
<meta name="PubDate" content="{_ymd_hm(story)}">
<meta name="ContentSource" content="{escape(story.source or '')}">
<title>{site}</title>
</head>
<body>
<header class="header"><div class="logo">{site}</div>{_nav(("首页", "新闻中心", "信息公开", "政务服务", "政民互动"))}</header>
<div class="crumb">当前位置：<a href="/">首页</a> &gt; <a href="/col/xwzx/">新闻中心</a> &gt; <a href="/col/bmdt/">部门动态</a></div>
<div class="main">
<div class="leftbox">
<div class="con-title"><h2>{escape(story.title)}</h2></div>
<div class="con-info"><span>发布日期：{_ymd_hm(story)}</span><span>信息来源：{escape(story.source or '')}</span><span>浏览次数：<script>document.write(356)</script></span></div>
<div id="UCAP-CONTENT">
{_paragraphs(story, indent=False)}
</div>
<div class="print"><a href="javascript:window.print()">打印本页</a> <a href="javascript:window.close()">关闭窗口</a></div>
</div>
<div class="rightbox"><h3>热点关注</h3><ul>{hot}</ul></div>
</div>
{_footer(site, "豫ICP备12004567号")}
</body>
</html>
"""


def govcn(story: GoldStory, site: str, charset: str | None) -> str:
    """gov.cn-style page: `.pages_content` body, `pages-date` line."""
    head_charset = f'<meta charset="{charset}">' if charset else ""
    return f"""<!DOCTYPE html>
<html>
<head>
{head_charset}
<title>{escape(story.title)}_部门动态_{site}</title>
<meta name="keywords" content="{escape(story.title)}">
<meta name="description" content="{escape(story.paragraphs[0][:60])}">
</head>
<body>
<div class="header">{_nav(("首页", "要闻动态", "政策文件", "政务公开", "公共服务"))}</div>
<div class="BreadcrumbNav">当前位置：<a href="/">首页</a> &gt; <a href="/ywdt/">要闻动态</a></div>
<div class="article oneColumn pub_border">
<h1>{escape(story.title)}</h1>
<div class="pages-date">{_ymd_hm(story)}&nbsp;&nbsp;<span class="font">来源：{escape(story.source or '')}</span><span class="font index_switchsize">【字体：<span>大</span> <span>中</span> <span>小</span>】</span></div>
<div class="pages_content" id="UCAP-CONTENT">
{_paragraphs(story)}
</div>
<div class="editor">责任编辑：办公室</div>
</div>
<div class="share-box">分享到：微信 微博</div>
{_related_list("相关稿件")}
{_footer(site, "豫ICP备16001234号-2")}
</body>
</html>
"""


def portal(story: GoldStory, site: str, charset: str | None) -> str:
    """Commercial-CMS news portal: Open Graph meta, `.article-content` body, share bar, editor."""
    head_charset = f'<meta charset="{charset}">' if charset else ""
    iso = story.published
    return f"""<!DOCTYPE html>
<html lang="zh">
<head>
{head_charset}
<title>{escape(story.title)}-{site}</title>
<meta property="og:type" content="article">
<meta property="og:title" content="{escape(story.title)}">
<meta property="og:site_name" content="{site}">
<meta property="article:published_time" content="{iso}">
<link rel="canonical" href="https://www.example-news.cn/news/{iso[:10].replace('-', '')}/1234.html">
</head>
<body>
<div class="topbar"><a href="/">首页</a><a href="/login">登录</a><a href="/app">下载客户端</a></div>
{_nav(("要闻", "时政", "县区", "经济", "社会", "文旅", "视频"))}
<div class="container"><div class="col-main">
<div class="breadcrumb">当前位置：<a href="/">首页</a> &gt; <a href="/xq/">县区</a> &gt; 正文</div>
<h1 class="article-title">{escape(story.title)}</h1>
<div class="article-meta"><span class="time">{_ymd_hm(story)}</span><span class="source">来源：{escape(story.source or '')}</span></div>
<div class="article-content">
{_paragraphs(story, indent=False)}
<p class="editor">责任编辑：新闻中心</p>
</div>
<div class="share-bar"><span>分享到：</span><a class="wx">微信</a><a class="wb">微博</a></div>
<div class="qrcode"><img src="/qr.png"><p>关注我们的微信公众号</p></div>
</div>
<div class="col-side"><h3>24小时热点</h3><ol>{"".join(f"<li><a href='#'>{escape(t)}</a></li>" for t in HOT)}</ol></div></div>
{_related_list("相关新闻")}
{_footer(site, "豫ICP备10003456号")}
</body>
</html>
"""


def plain(story: GoldStory, site: str, charset: str | None) -> str:
    """A small site's hand-rolled layout with no known container (trafilatura's ground)."""
    head_charset = f'<meta http-equiv="Content-Type" content="text/html; charset={charset}">' \
        if charset else ""
    hot = "".join(f'<li><a href="/n/{i}.html">{escape(t)}</a></li>' for i, t in enumerate(HOT))
    return f"""<html>
<head>
{head_charset}
<title>{escape(story.title)}</title>
</head>
<body>
<div id="top"><div class="logo"><a href="/">{site}</a></div></div>
<div id="menu"><a href="/">首页</a> <a href="/xw/">新闻动态</a> <a href="/gg/">公示公告</a> <a href="/dj/">党建工作</a> <a href="/lx/">联系我们</a></div>
<div class="main_box">
<div class="left_con">
<div class="weizhi">当前位置：<a href="/">首页</a> &gt; <a href="/xw/">新闻动态</a></div>
<h2 class="tit">{escape(story.title)}</h2>
<div class="fbsj">{_cn_date(story)} {story.published[11:16]}&nbsp;&nbsp;来源：{escape(story.source or '')}</div>
<div class="wz_con">
{_paragraphs(story)}
</div>
<div class="sxp"><p>上一篇：<a href="/xw/101.html">全县召开冬春农田水利建设动员会</a></p><p>下一篇：<a href="/xw/103.html">县领导督导检查重点项目建设</a></p></div>
</div>
<div class="right_con"><div class="bt">热点新闻</div><ul>{hot}</ul>
<div class="bt">便民服务</div><ul><li><a href="#">社保查询</a></li><li><a href="#">公积金查询</a></li></ul></div>
</div>
<div id="foot">Copyright &copy; 2023 {site} All Rights Reserved 豫ICP备11002233号</div>
</body>
</html>
"""


# --- pages without an article ------------------------------------------------------------------


def list_page(site: str, charset: str | None) -> str:
    """A column list page: titles and dates, pagination, no article."""
    items = "".join(
        f'<li><a href="/xwzx/t{d.replace("-", "")}_{i}.html">{escape(t)}</a><span>{d}</span></li>'
        for i, (t, d) in enumerate(RELATED * 3, start=2001)
    )
    head_charset = f'<meta http-equiv="Content-Type" content="text/html; charset={charset}">' \
        if charset else ""
    return f"""<html><head>{head_charset}<title>工作动态_{site}</title></head>
<body>{_nav(("首页", "政务公开", "政务服务", "互动交流"))}
<div class="position">当前位置：<a href="/">首页</a> &gt; 工作动态</div>
<div class="list"><ul>{items}</ul></div>
<div class="page">共45条 <a href="index.html">首页</a> <a href="index_1.html">下一页</a> <a href="index_2.html">尾页</a></div>
{_footer(site, "豫ICP备05012345号-1")}</body></html>
"""


def error_page(site: str, charset: str | None) -> str:
    """A CMS's 404 page served with status 200."""
    return f"""<!DOCTYPE html><html><head><meta charset="{charset or 'utf-8'}"><title>404 页面不存在</title></head>
<body><div class="err"><h1>404</h1><p>抱歉，您访问的页面不存在或已被删除！</p>
<p><a href="/">返回首页</a> <a href="javascript:history.back()">返回上一页</a></p></div>
<div class="footer">{site}</div></body></html>
"""


def login_page(site: str, charset: str | None) -> str:
    """A login wall in front of an article."""
    return f"""<!DOCTYPE html><html><head><meta charset="{charset or 'utf-8'}"><title>用户登录 - {site}</title></head>
<body><div class="login-box"><h2>用户登录</h2>
<p>该内容仅限注册用户阅读，请先登录。</p>
<form action="/login" method="post"><label>用户名</label><input name="u"><label>密码</label><input type="password" name="p"><button type="submit">登录</button></form>
<p><a href="/register">立即注册</a> | <a href="/forget">忘记密码</a></p></div>
{_footer(site, "豫ICP备10003456号")}</body></html>
"""


# --- cases -------------------------------------------------------------------------------------

Template = Callable[[GoldStory, str, str | None], str]


@dataclass(frozen=True)
class Case:
    """One gold page: which story in which template, and how its bytes are encoded and served.

    `codec` encodes the page; `meta_charset` is written into the page (None: no declaration);
    `content_type` is the HTTP header value as served (None: served without one); `bom` prefixes
    a UTF-8 BOM; `mojibake` stores the article's text as GBK-read UTF-8 inside a UTF-8 page."""

    name: str
    family: str
    url: str
    codec: str
    meta_charset: str | None
    content_type: str | None
    encoding_case: str
    story: str | None = None
    site: str = ""
    bom: bool = False
    mojibake: bool = False


TEMPLATES: dict[str, Template] = {
    "trs_wcm": trs_wcm, "zoom_table": zoom_table, "ucap": ucap, "govcn": govcn,
    "portal": portal, "plain": plain,
}
EMPTY_TEMPLATES: dict[str, Callable[[str, str | None], str]] = {
    "list": list_page, "error": error_page, "login": login_page,
}

CASES: tuple[Case, ...] = (
    Case("trs_xinan_utf8", "trs_wcm", "http://www.xinan.gov.cn/zwgk/gzdt/202303/t20230315_1183.html",
         "utf-8", "UTF-8", "text/html; charset=UTF-8", "utf-8 declared everywhere",
         "xinan_water", "新安县人民政府"),
    Case("trs_gongyi_gbk_wrong_header", "trs_wcm",
         "http://www.gongyishi.gov.cn/zwgk/gzdt/202302/t20230220_4521.html", "gbk", "gbk",
         "text/html; charset=UTF-8", "GBK page with a wrong HTTP header (utf-8)",
         "gongyi_enterprise", "巩义市人民政府"),
    Case("trs_yichuan_gb2312_meta", "trs_wcm",
         "http://www.yichuan.gov.cn/zwgk/gzdt/202303/t20230328_77.html", "gb2312", "gb2312",
         None, "GB2312 declared only in meta", "yichuan_road", "伊川县人民政府"),
    Case("trs_mengzhou_utf8_header_gbk", "trs_wcm",
         "http://www.mengzhou.gov.cn/zwgk/gzdt/202306/t20230621_952.html", "utf-8", None,
         "text/html; charset=GBK", "UTF-8 bytes under a GBK HTTP header",
         "mengzhou_industry", "孟州市人民政府"),
    Case("zoom_dengfeng_gb2312_meta", "zoom_table", "http://www.dengfeng.gov.cn/html/zwdt/2023/0402/4410.html",
         "gb2312", "gb2312", None, "GB2312 declared only in meta", "dengfeng_tourism",
         "登封市人民政府"),
    Case("zoom_ruyang_gb18030_undeclared", "zoom_table",
         "http://www.ruyang.gov.cn/html/tzgg/2023/0208/812.html", "gb18030", None, None,
         "GB18030 with no declaration at all", "ruyang_forest", "汝阳县人民政府"),
    Case("zoom_xiuwu_bom_attachments", "zoom_table",
         "http://www.xiuwu.gov.cn/html/tzgg/2023/0920/1301.html", "utf-8", None, None,
         "UTF-8 with a BOM, nothing declared", "xiuwu_policy", "修武县人民政府", bom=True),
    Case("zoom_jiaozuo_gbk_latin1_header", "zoom_table",
         "http://www.jiaozuo.gov.cn/html/tzgg/2023/1103/2207.html", "gbk", None,
         "text/html; charset=ISO-8859-1", "GBK page under a latin-1 HTTP header",
         "jiaozuo_notice", "焦作市人民政府"),
    Case("ucap_luanchuan_utf8", "ucap", "http://www.luanchuan.gov.cn/art/2023/2/15/art_1021_3311.html",
         "utf-8", "utf-8", "text/html;charset=utf-8", "utf-8 declared everywhere",
         "luanchuan_jobs", "栾川县人民政府"),
    Case("ucap_songxian_gbk_meta", "ucap", "http://www.songxian.gov.cn/art/2023/5/26/art_88_1201.html",
         "gbk", "gbk", None, "GBK declared only in meta", "songxian_orchard", "嵩县人民政府"),
    Case("ucap_yanshi_gb18030_bare_header", "ucap",
         "http://www.yanshi.gov.cn/art/2023/7/12/art_5_901.html", "gb18030", None, "text/html",
         "GB18030 page, header without charset, no meta", "yanshi_medical", "偃师区人民政府"),
    Case("govcn_xinzheng_bom_meta", "govcn", "http://www.xinzheng.gov.cn/ywdt/202308/t20230810_3.html",
         "utf-8", "utf-8", None, "UTF-8 with a BOM and meta", "xinzheng_school",
         "新郑市人民政府", bom=True),
    Case("govcn_qinyang_gb2312_label", "govcn", "http://www.qinyang.gov.cn/ywdt/202309/t20230906_12.html",
         "gb18030", "gb2312", "text/html; charset=gb2312", "gb2312 label on GB18030 bytes",
         "qinyang_elderly", "沁阳市人民政府"),
    Case("portal_xingyang_utf8", "portal", "https://www.example-news.cn/news/20230605/1234.html",
         "utf-8", "utf-8", "text/html; charset=utf-8", "utf-8 declared everywhere",
         "xingyang_harvest", "郑州新闻网"),
    Case("portal_wenxian_mojibake", "portal", "https://www.example-news.cn/news/20231014/1234.html",
         "utf-8", "utf-8", "text/html; charset=utf-8", "UTF-8 page whose text is GBK mojibake",
         "wenxian_taiji", "焦作新闻网", mojibake=True),
    Case("plain_zhongmu_utf8", "plain", "http://www.zhongmu.gov.cn/xw/102.html", "utf-8", "utf-8",
         None, "utf-8 declared in meta", "zhongmu_garbage", "中牟县城市管理局"),
    Case("plain_boai_gbk_undeclared", "plain", "http://www.boai.gov.cn/xw/211.html", "gbk", None,
         None, "GBK with no declaration", "boai_environment", "博爱县农业农村局"),
    Case("plain_wuzhi_mojibake", "plain", "http://www.wuzhi.gov.cn/xw/315.html", "utf-8", "utf-8",
         None, "UTF-8 page whose text is GBK mojibake", "wuzhi_flood", "武陟县水利局",
         mojibake=True),
    Case("list_gb2312", "list", "http://www.xinan.gov.cn/zwgk/gzdt/index.html", "gb2312", "gb2312",
         None, "GB2312 declared only in meta", site="新安县人民政府"),
    Case("error_404", "error", "http://www.xinan.gov.cn/zwgk/gzdt/202303/t20230399_1.html",
         "utf-8", "utf-8", "text/html; charset=utf-8", "utf-8", site="新安县人民政府"),
    Case("login_wall", "login", "https://www.example-news.cn/vip/20230601/88.html", "utf-8",
         "utf-8", "text/html; charset=utf-8", "utf-8", site="郑州新闻网"),
)


def mojibake(text: str) -> str:
    """`text` as a CMS shows it after reading its UTF-8 bytes as GBK: byte pairs GBK cannot map
    become U+FFFD, as in a browser, so the damage is only partly reversible."""
    return text.encode("utf-8").decode("gbk", errors="replace")


def _shown(story: GoldStory) -> GoldStory:
    """The story as the broken CMS stores it: title, paragraphs and source all mojibake."""
    return GoldStory(mojibake(story.title), tuple(mojibake(p) for p in story.paragraphs),
                     story.published, mojibake(story.source) if story.source else None,
                     story.authors)


def expected_record(url: str, story: GoldStory, part: int = 1, parts: int = 1) -> dict[str, Any]:
    """The truth for one article: the story as written, nothing taken from the extractor."""
    from crawler.urls import canonical_url

    return {
        "url": canonical_url(url), "title": story.title, "published_at": story.published,
        "authors": list(story.authors), "source": story.source,
        "text": "\n".join(story.paragraphs), "part": part, "parts": parts,
    }


def write_case(name: str, body: bytes, meta: dict[str, Any],
               records: list[dict[str, Any]]) -> None:
    """Write one case directory (replacing what was there)."""
    target = GOLD_DIR / name
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    (target / "page.html").write_bytes(body)
    (target / "meta.json").write_text(json.dumps(meta, ensure_ascii=False, indent=2) + "\n",
                                      encoding="utf-8")
    (target / "expected.jsonl").write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in records))


def build_case(case: Case) -> None:
    """Render, encode and write one case of `CASES`."""
    if case.story is not None:
        story = STORIES[case.story]
        shown = _shown(story) if case.mojibake else story
        page = TEMPLATES[case.family](shown, case.site, case.meta_charset)
        records = [expected_record(case.url, story)]
    else:
        page = EMPTY_TEMPLATES[case.family](case.site, case.meta_charset)
        records = []
    body = page.encode(case.codec)
    if case.bom:
        body = codecs.BOM_UTF8 + body
    meta = {
        "url": case.url, "charset": case.content_type,
        "served": "http" if case.content_type else "file (no HTTP header)",
        "family": case.family, "encoding": case.codec, "encoding_case": case.encoding_case,
        "bom": case.bom, "mojibake": case.mojibake,
    }
    write_case(case.name, body, meta, records)


def main() -> None:
    """Rebuild every case."""
    for case in CASES:
        build_case(case)
    from tests.gold.hard_pages import build_hard_cases

    build_hard_cases(write_case)
    print(f"wrote {len(list(GOLD_DIR.glob('*/page.html')))} gold pages under {GOLD_DIR}")


if __name__ == "__main__":
    main()
