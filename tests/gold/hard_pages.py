"""The hard gold pages: real Chinese page families with no known CMS container, so the body has
to be found by the general extractors (trafilatura, readability) and our choice between them.

Families, and what counts as body on each (the truth is the story in `hard_stories.py`):

- commercial news portal (big header nav, headline sidebars, hot ranking, comment box, 责任编辑,
  相关新闻 teasers, long footer): the article paragraphs; editor line, comments and teasers are not;
- blog post (archive sidebar, tags, comments with user text): the post; comments are not;
- forum thread: the first post's text is the body (it is the article); replies, signatures and
  user panels are not;
- provincial/city government portal with the body in a div with a generated class name;
- photo story with the body split over sibling `<div>`s and images: paragraphs and the image
  captions (图为…) are body, in page order;
- short notice (two paragraphs) whose sidebars hold more sentence text than the body;
- article with a data table: the table rows are body, one line per row, cells space-separated;
- old page whose body is `<br>`-separated lines, one line per paragraph;
- HTML5 `<article>` page with schema.org JSON-LD;
- page with inline `<script>`, `<style>` and `<noscript>` inside and around the body;
- first page of an article split over three pages: the first page's text (not the pager);
- mobile (m.) page with app banners, 展开全文 and a feed of teasers.

`HELD_BACK` cases are not looked at while tuning the extractor; `benchmarks.eval --split` scores
them separately to estimate how the choices generalise.
"""
# ruff: noqa: E501

from __future__ import annotations

import codecs
import json
from collections.abc import Callable
from dataclasses import dataclass
from html import escape
from typing import Any

from tests.gold.hard_stories import HARD_STORIES
from tests.gold.stories import GoldStory

WriteCase = Callable[[str, bytes, dict[str, Any], list[dict[str, Any]]], None]

# --- realistic chrome ----------------------------------------------------------------------------

HEADLINES = (
    "国务院常务会议部署进一步优化营商环境", "全国夏粮收购进度过半 市场运行总体平稳",
    "多地出台措施支持高校毕业生就业创业", "文旅市场持续升温 暑期出游人次创新高",
    "我国新能源汽车产销继续保持快速增长", "气象部门发布高温橙色预警 注意防暑降温",
    "多部门联合开展燃气安全专项整治", "上半年全国铁路发送旅客同比大幅增长",
    "中央财政下达资金支持农业防灾减灾", "全国中小学暑期安全教育活动启动",
    "教育部：严禁以任何形式举办重点班", "各地加快推进城市地下管网改造",
    "国家医保局：新版药品目录正式实施", "外贸稳规模优结构政策持续显效",
    "科技成果转化按下加速键", "乡村振兴一线见闻：特色产业带富一方百姓",
)
HOT_RANK = (
    "暴雨来袭 多条高速公路临时封闭", "今年高考录取分数线陆续公布",
    "新一轮消费券发放时间确定", "高铁新线开通 沿线城市迎来发展机遇",
    "夏季用电高峰来临 电网负荷创新高", "医保个人账户使用范围扩大",
    "城市公园夜间延时开放", "多地公布中小学放假时间",
    "新能源车下乡活动启动", "三伏天来了 这些养生误区要避开",
)
PORTAL_NAV = ("首页", "新闻", "体育", "财经", "娱乐", "科技", "汽车", "房产", "教育", "健康",
              "旅游", "时尚", "读书", "视频", "图片", "博客", "论坛", "游戏", "彩票", "更多")
TEASERS = (
    ("省政府召开全省夏粮收购工作电视电话会议", "会议要求，各地要压实收购主体责任，确保农民种粮卖得出、卖得好。"),
    ("全省今年将新建改造农村公路五千公里", "新建改造项目将优先安排通往自然村和产业园区的道路，进一步打通农村出行“最后一公里”。"),
    ("我省出台措施支持民营经济发展壮大", "措施从市场准入、要素保障、融资支持等方面提出具体举措，着力为民营企业纾困解难。"),
    ("中原城市群轨道交通建设规划获批", "规划提出到2030年基本建成中原城市群多层次轨道交通网络，实现主要城市一小时通达。"),
)


def _links(items: tuple[str, ...], prefix: str = "/n/") -> str:
    return "".join(f'<li><a href="{prefix}{i}.shtml" target="_blank">{escape(t)}</a></li>'
                   for i, t in enumerate(items, start=101))


def _teaser_blocks(tag: str = "div") -> str:
    """Related-news teasers with sentence text (headline plus a summary line)."""
    return "".join(
        f'<{tag} class="news-item"><h4><a href="/n/{i}.shtml">{escape(t)}</a></h4>'
        f"<p>{escape(s)}</p></{tag}>" for i, (t, s) in enumerate(TEASERS, start=300)
    )


def _paras(paragraphs: tuple[str, ...], style: str = "") -> str:
    attr = f' style="{style}"' if style else ""
    return "\n".join(f"<p{attr}>{escape(p)}</p>" for p in paragraphs)


def _ymd_hm(story: GoldStory) -> str:
    return story.published[:10] + " " + story.published[11:16]


def _cn_datetime(story: GoldStory) -> str:
    y, m, d = story.published[:10].split("-")
    return f"{y}年{m}月{d}日 {story.published[11:16]}"


def _charset_meta(charset: str | None, html5: bool = False) -> str:
    if not charset:
        return ""
    if html5:
        return f'<meta charset="{charset}">'
    return f'<meta http-equiv="Content-Type" content="text/html; charset={charset}">'


def _comments(items: tuple[tuple[str, str], ...], css: str = "comment-item") -> str:
    return "".join(
        f'<div class="{css}"><div class="c-user"><a href="/u/{i}">{escape(user)}</a>'
        f'<span class="c-time">2023-06-1{i % 10} 2{i % 4}:0{i % 10}</span></div>'
        f'<div class="c-text">{escape(text)}</div><div class="c-act"><a href="#">回复</a> '
        f'<a href="#">顶({i * 3})</a></div></div>'
        for i, (user, text) in enumerate(items, start=1)
    )


PORTAL_COMMENTS = (
    ("河南网友Kx92", "高标准农田建好了还要管好，希望能把管护经费落实到位，别建完就没人管了。"),
    ("麦田守望者2019", "我们村去年刚建成，浇地方便多了，以前排队等机井，现在一个电话就能放水。"),
    ("手机用户_3f8a", "建议多听听种地农民的意见，有些地方的路修得太窄，大型收割机根本进不去。"),
)

# --- templates -----------------------------------------------------------------------------------


def news_portal(story: GoldStory, charset: str | None) -> str:
    """Big commercial portal (sina/163/sohu-like): everything around a plain class-named body."""
    rank = "".join(f'<li><span class="num">{i}</span><a href="/hot/{i}.shtml">{escape(t)}</a>'
                   f'<span class="cnt">{(11 - i) * 1234}</span></li>'
                   for i, t in enumerate(HOT_RANK, start=1))
    nav = "".join(f'<a href="/{i}/">{escape(n)}</a>' for i, n in enumerate(PORTAL_NAV))
    return f"""<!DOCTYPE html>
<html>
<head>
{_charset_meta(charset)}
<title>{escape(story.title)}_新闻中心_中原网</title>
<meta name="keywords" content="高标准农田,农业农村">
<meta name="description" content="{escape(story.paragraphs[0][:70])}">
<meta property="og:type" content="news">
<meta property="og:title" content="{escape(story.title)}">
<meta property="article:published_time" content="{story.published}">
<meta name="mediaid" content="{escape(story.source or '')}">
<link rel="stylesheet" href="//n.example-portal.cn/css/article.css">
<script src="//n.example-portal.cn/js/jquery.js"></script>
</head>
<body>
<div class="top-nav"><div class="top-nav-wrap">{nav}<div class="top-login"><a href="/login">登录</a> | <a href="/reg">注册</a> | <a href="/app">客户端下载</a></div></div></div>
<div class="header"><div class="logo"><a href="/"><img src="/logo.png" alt="中原网"></a></div><div class="channel">新闻中心</div>
<div class="search"><form action="/search"><input name="q" value="搜索新闻"><button>搜索</button></form></div></div>
<div class="sub-nav"><a href="/china/">国内</a> <a href="/world/">国际</a> <a href="/society/">社会</a> <a href="/henan/">河南</a> <a href="/mil/">军事</a> <a href="/opinion/">评论</a></div>
<div class="wrap clearfix">
<div class="main-left">
<div class="path"><a href="/">新闻中心</a> &gt; <a href="/henan/">河南新闻</a> &gt; 正文</div>
<h1 class="main-title">{escape(story.title)}</h1>
<div class="date-source"><span class="date">{_cn_datetime(story)}</span> <a class="source" href="#">{escape(story.source or '')}</a></div>
<div class="tool-bar"><a href="#comment">我要评论</a> <span class="font">字号 <a>大</a> <a>小</a></span> <a class="app-read">APP内阅读</a></div>
<div class="main-text" id="mtext">
{_paras(story.paragraphs)}
<p class="show-author">责任编辑：SF007</p>
</div>
<div class="keywords">文章关键词：<a href="/tag/1">高标准农田</a> <a href="/tag/2">粮食安全</a></div>
<div class="share-tool">分享到：<a>微信</a> <a>微博</a> <a>QQ空间</a></div>
<div class="related-news"><h3>相关新闻</h3>{_teaser_blocks()}</div>
<div class="comment-box" id="comment"><div class="cmt-hd"><h3>我要评论</h3><span>已有<em>{len(PORTAL_COMMENTS)}</em>条评论，<a>点击查看</a></span></div>
<textarea placeholder="文明上网理性发言，请遵守新闻评论服务协议"></textarea><button>发布</button>
<div class="cmt-list">{_comments(PORTAL_COMMENTS)}</div></div>
<div class="feed"><h3>猜你喜欢</h3><ul>{_links(HEADLINES[8:])}</ul></div>
</div>
<div class="main-right">
<div class="side-block"><h3>热门排行</h3><div class="tab"><span>点击量排行</span><span>评论排行</span></div><ol class="rank">{rank}</ol></div>
<div class="side-block"><h3>要闻推荐</h3><ul>{_links(HEADLINES[:8])}</ul></div>
<div class="side-block ad"><a href="/ad/1"><img src="/ad/300x250.jpg"></a><span>广告</span></div>
<div class="side-block"><h3>图片新闻</h3><ul>{_links(HEADLINES[4:12], "/photo/")}</ul></div>
</div>
</div>
<div class="footer"><p><a href="/about">关于我们</a> | <a href="/ad">广告服务</a> | <a href="/contact">联系我们</a> | <a href="/jobs">招聘信息</a> | <a href="/law">网站律师</a> | <a href="/help">会员注册</a> | <a href="/feedback">产品答疑</a></p>
<p>Copyright &copy; 1996-2023 中原网 All Rights Reserved 版权所有</p>
<p>互联网新闻信息服务许可证：41120170001 增值电信业务经营许可证：豫B2-20050012 豫ICP备05001234号</p>
<p>违法和不良信息举报电话：0371-12345678 举报邮箱：jubao@example-portal.cn 未成年人保护</p></div>
<script>var ARTICLE_ID = "imyxfk1234"; (function(){{ var s = document.createElement('script'); s.src = '//n.example-portal.cn/js/cmnt.js'; document.body.appendChild(s); }})();</script>
</body>
</html>
"""


def news_portal_163(story: GoldStory, charset: str | None) -> str:
    """A second portal layout (163-style): `post_*` classes, 跟贴 block, 本文来源/责任编辑 lines."""
    rank = "".join(f'<li><em>{i}</em><a href="/hot/{i}.html">{escape(t)}</a></li>'
                   for i, t in enumerate(HOT_RANK, start=1))
    posts = (
        ("网易河南网友", "支持！今年秋冬季要是还像去年那样天天雾霾就太难受了，希望联防联控能真正落到实处。"),
        ("用户52819031", "关键还是要从源头治理，工业企业排放标准要严格执行，光靠临时限产解决不了根本问题。"),
        ("有态度网友06sZkq", "交界地区确实是监管盲区，以前这边查了就跑到那边去，联合执法早就应该搞了。"),
        ("网友lIUm9c", "数据共享是好事，建议把各县区的实时监测数据也向社会公开，让老百姓一起监督。"),
    )
    tie = "".join(f'<div class="tie-item"><div class="tie-user">{escape(u)} [河南省网友]</div>'
                  f'<p class="tie-cnt">{escape(t)}</p><div class="tie-op"><a>顶</a> <a>踩</a> <a>回复</a></div></div>'
                  for u, t in posts)
    return f"""<!DOCTYPE HTML>
<html>
<head>
{_charset_meta(charset, html5=True)}
<title>{escape(story.title)}|大气|联防联控_新闻</title>
<meta name="keywords" content="大气,联防联控">
<meta name="description" content="{escape(story.title)}">
<meta property="article:published_time" content="{story.published}">
<link rel="stylesheet" href="/css/post.css">
</head>
<body>
<div class="N-nav-channel"><a href="/">新闻</a><a href="/sports/">体育</a><a href="/ent/">娱乐</a><a href="/money/">财经</a><a href="/auto/">汽车</a><a href="/tech/">科技</a><a href="/mobile/">手机</a><a href="/lady/">女人</a><a href="/house/">房产</a><a href="/home/">家居</a><a href="/edu/">教育</a><a href="/travel/">旅游</a></div>
<div class="post_wrap">
<div class="post_main">
<div class="post_crumb"><a href="/">网易首页</a> &gt; <a href="/news/">新闻中心</a> &gt; <a href="/local/">河南</a> &gt; 正文</div>
<h1 class="post_title">{escape(story.title)}</h1>
<div class="post_info">{_ymd_hm(story)}:19 来源: <a href="#">{escape(story.source or '')}</a> <a class="post_jubao">举报</a> <span class="post_tie">{len(posts) * 97}跟贴</span></div>
<div class="post_body">
<p class="otitle">（原标题：沿黄九市携手治气）</p>
{_paras(story.paragraphs)}
<p>本文来源：{escape(story.source or '')}</p>
<div class="post_author"><img src="/logo_s.png" alt="">责任编辑：NN1234</div>
</div>
<div class="post_next">下一篇：<a href="/next.html">郑州地铁新线路开通时间确定</a></div>
<div class="post_recommends"><h3>相关推荐</h3><ul>{_links(HEADLINES[:10], "/rec/")}</ul></div>
<div class="tie-area" id="tie"><div class="tie-titlebar"><span>热门跟贴</span><a>查看全部跟贴</a></div>{tie}
<div class="tie-input"><textarea>说两句</textarea><button>发跟贴</button></div></div>
</div>
<div class="post_side">
<div class="side_hot"><h3>热点新闻</h3><ol>{rank}</ol></div>
<div class="side_news"><h3>网易号推荐</h3><ul>{_links(HEADLINES[6:], "/dy/")}</ul></div>
</div>
</div>
<div class="N-footer"><a>About NetEase</a> | <a>公司简介</a> | <a>联系方法</a> | <a>招聘信息</a> | <a>客户服务</a> | <a>隐私政策</a> | <a>不良信息举报 Complaint Center</a><br>网易公司版权所有 &copy;1997-2023</div>
</body>
</html>
"""


BLOG_COMMENTS = (
    ("小鱼爱旅行", "写得真好，我们上个月也去了，确实值得带孩子去看看，就是风有点大，记得给孩子多穿点。"),
    ("城南旧事", "请问现在还需要预约吗？节假日人多不多？打算这周末带家里老人一起去。"),
    ("博主", "回复城南旧事：不用预约，节假日上午人比较多，建议早点出发，下午三点以后光线也很好。"),
    ("西岸观鸟", "灰鹤一般在浅滩活动，带个长焦镜头效果会好很多。另外湿地东边的观鸟屋视野更开阔，推荐去看看。"),
)


def blog_post(story: GoldStory, charset: str | None) -> str:
    """Personal blog: archive and tag sidebars, post meta, comments with user text."""
    archive = "".join(f'<li><a href="/archives/2022/{m:02d}">2022年{m}月</a> ({m + 2})</li>'
                      for m in range(12, 0, -1))
    tags = " ".join(f'<a href="/tag/{t}">{t}</a>' for t in ("亲子", "周末去哪儿", "黄河", "观鸟", "摄影", "随笔"))
    y, m, d = story.published[:10].split("-")
    return f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
{_charset_meta(charset, html5=True)}
<title>{escape(story.title)} | 半亩方塘的博客</title>
<meta name="generator" content="WordPress 6.1">
<meta name="description" content="{escape(story.paragraphs[0][:60])}">
<link rel="alternate" type="application/rss+xml" href="/feed/">
</head>
<body class="post-template-default single single-post">
<div id="page" class="site">
<header id="masthead" class="site-header"><div class="site-branding"><p class="site-title"><a href="/">半亩方塘</a></p><p class="site-description">记录生活的点点滴滴</p></div>
<div id="site-navigation" class="main-navigation"><a href="/">首页</a> <a href="/category/life/">生活</a> <a href="/category/travel/">旅行</a> <a href="/category/books/">读书</a> <a href="/about/">关于我</a></div></header>
<div id="content" class="site-content">
<div id="primary" class="content-area"><main id="main" class="site-main">
<div id="post-1287" class="post-1287 post type-post status-publish">
<div class="entry-header"><h1 class="entry-title">{escape(story.title)}</h1>
<div class="entry-meta"><span class="posted-on">发表于 {y}年{int(m)}月{int(d)}日 {story.published[11:16]}</span> <span class="cat-links">分类：<a href="/category/travel/">旅行</a></span> <span class="comments-link"><a href="#comments">{len(BLOG_COMMENTS)}条评论</a></span></div></div>
<div class="entry-body">
{_paras(story.paragraphs)}
</div>
<div class="entry-footer"><span class="tags-links">标签：{tags}</span><p>本文为原创，转载请注明出处。</p></div>
</div>
<div class="post-navigation"><div class="nav-previous">上一篇：<a href="/2023/01/02/">新年第一天的日出</a></div><div class="nav-next">下一篇：<a href="/2023/01/15/">腊八粥的味道</a></div></div>
<div id="comments" class="comments-area"><h2 class="comments-title">《{escape(story.title)}》上有{len(BLOG_COMMENTS)}条评论</h2>
<ol class="comment-list">{"".join(f'<li class="comment"><div class="comment-body"><div class="comment-author"><b class="fn">{escape(u)}</b> 说道：</div><div class="comment-metadata">2023年1月1{i}日 下午8:3{i}</div><div class="comment-content"><p>{escape(t)}</p></div><div class="reply"><a href="#">回复</a></div></div></li>' for i, (u, t) in enumerate(BLOG_COMMENTS))}</ol>
<div id="respond" class="comment-respond"><h3>发表回复</h3><p>您的电子邮箱地址不会被公开。必填项已用*标注</p><textarea></textarea><p><input type="submit" value="发表评论"></p></div></div>
</main></div>
<aside id="secondary" class="widget-area">
<section class="widget"><h2 class="widget-title">搜索</h2><form><input type="search" placeholder="搜索…"></form></section>
<section class="widget"><h2 class="widget-title">关于博主</h2><p>一个喜欢到处走走看看的普通人，用文字和照片记录家乡的四季和生活里的小事。</p></section>
<section class="widget"><h2 class="widget-title">近期文章</h2><ul><li><a href="/2023/01/15/">腊八粥的味道</a></li><li><a href="/2023/01/02/">新年第一天的日出</a></li><li><a href="/2022/12/24/">冬至包饺子</a></li><li><a href="/2022/12/10/">初雪</a></li></ul></section>
<section class="widget"><h2 class="widget-title">文章归档</h2><ul>{archive}</ul></section>
<section class="widget"><h2 class="widget-title">标签云</h2><div class="tagcloud">{tags}</div></section>
</aside>
</div>
<footer class="site-footer"><div class="site-info">&copy; 2023 半亩方塘 · 自豪地采用 WordPress · 豫ICP备19001234号-1</div></footer>
</div>
</body>
</html>
"""


def old_blog(story: GoldStory, charset: str | None) -> str:
    """An old hosted-blog layout (table-based, GBK): left profile column, comments below."""
    comments = (
        ("老街坊", "说得太对了，那家胡辣汤我也喝了十几年，每天早上不去一趟总觉得少点什么。现在孩子们都在外地，回来也非要去喝一碗。"),
        ("行者无疆", "早市是一个城市最有人情味的地方，改造以后干净多了，希望能一直保留下去，不要被拆掉。"),
        ("新浪网友", "读完很有画面感，想起小时候跟着奶奶去赶集的情景，那时候一毛钱能买一大把葱。"),
    )
    rows = "".join(f'<div class="SG_revert_Cont"><p><span class="SG_revert_Tit">{escape(u)}</span> <em>2022-11-2{i} 09:1{i}</em></p>'
                   f'<div class="SG_revert_Inner">{escape(t)}</div></div>' for i, (u, t) in enumerate(comments, start=1))
    return f"""<html>
<head>
{_charset_meta(charset)}
<title>{escape(story.title)}_城南记事_新浪博客</title>
<meta name="keywords" content="{escape(story.title)},早市,老城">
</head>
<body>
<div class="sinablogHead"><a href="/">新浪博客</a> | <a href="/">首页</a> <a href="/">博文目录</a> <a href="/">图片</a> <a href="/">关于我</a></div>
<table width="950" align="center"><tr>
<td width="210" valign="top" class="SG_colW21">
<div class="SG_conn"><div class="info_nm">城南记事</div><div class="info_img"><img src="/head.jpg"></div>
<div class="info_list">博客等级：12 博客积分：1580 博客访问：126,532 关注人气：318 获赠金笔：0支 赠出金笔：0支</div></div>
<div class="SG_conn"><h3>分类</h3><ul><li><a>老城往事</a>(32)</li><li><a>读书笔记</a>(18)</li><li><a>随手拍</a>(45)</li></ul></div>
<div class="SG_conn"><h3>评论</h3><ul><li><a>[评论]那年的雪</a></li><li><a>[评论]老照片里的火车站</a></li></ul></div>
<div class="SG_conn"><h3>公告</h3><p>本博客文字均为原创，图片除注明外均为自摄，转载请联系博主。</p></div>
</td>
<td width="730" valign="top" class="SG_colW73">
<div class="articalTitle"><h2 class="titName SG_txta">{escape(story.title)}</h2><span class="time SG_txtc">({story.published[:10]} {story.published[11:19]})</span></div>
<div class="articalTag"><td class="blog_tag">标签： <a>早市</a> <a>老城</a> <a>杂谈</a></td> 分类： <a>老城往事</a></div>
<div class="articalContent   newfont_family" id="sina_keyword_ad_area2">
{"".join(f"<div>{escape(p)}</div><div><br></div>" for p in story.paragraphs)}
</div>
<div class="shareUp"><a>分享</a> <a>喜欢</a> <a>0</a> <a>赠金笔</a></div>
<div class="articalfrontback"><div>前一篇：<a>那年的雪</a></div><div>后一篇：<a>老照片里的火车站</a></div></div>
<div class="allComm"><div class="allCommTit"><strong>评论</strong> <a>重要提示：警惕虚假中奖信息</a></div>{rows}
<div class="SG_revert_Answer"><textarea></textarea><p><a>发评论</a></p></div></div>
</td></tr></table>
<div class="sinablogFoot">新浪BLOG意见反馈留言板 电话：95105670 提示音后按2键（按当地市话标准计费） 欢迎批评指正<br>新浪简介 | About Sina | 广告服务 | 联系我们 | 招聘信息 | 网站律师 | SINA English | 会员注册 | 产品答疑<br>Copyright &copy; 1996 - 2023 SINA Corporation, All Rights Reserved</div>
</body>
</html>
"""


FORUM_REPLIES = (
    ("小雨点妈妈", "谢谢楼主分享，太及时了！我们家明年报名，先收藏了。想问一下租赁备案证明是在哪里办的？需要房东本人到场吗？"),
    ("学区房观察员", "补充一点：户口和房产不在一起的，要提前确认属于哪一类顺位，不同顺位的录取顺序不一样，去年我们就吃了这个亏，被调剂到了离家比较远的学校。"),
    ("楼主", "回复小雨点妈妈：在房屋所在地的社区服务中心办，带上租房合同和双方身份证，房东不用到场，但要提供房东的身份证复印件和房产证复印件。"),
    ("kk0731", "现场确认那天一定要带齐原件，我们就是忘了带出生证明，又跑回家拿了一趟，来回折腾了一上午，大家引以为戒。"),
    ("东区老王", "今年系统开放第一天特别卡，建议错峰登记，晚上十点以后就很顺畅了。另外照片尽量用扫描件，手机拍的容易反光看不清。"),
)


def forum_thread(story: GoldStory, charset: str | None) -> str:
    """Discuz-style thread: each floor a table with a user panel; the first floor is the body."""
    def floor(number: int, user: str, paragraphs: tuple[str, ...], when: str) -> str:
        body = "<br />\n".join(escape(p) for p in paragraphs)
        return f"""<div id="post_{9000 + number}"><table id="pid{9000 + number}" class="plhin" cellspacing="0" cellpadding="0">
<tr><td class="pls" rowspan="2"><div class="pi"><div class="authi"><a href="/space-uid-{number}.html" class="xw1">{escape(user)}</a></div></div>
<div class="p_pop">UID {3000 + number * 17}<br>帖子 {number * 23}<br>积分 {number * 131}<br>注册时间 2019-3-{number + 1}</div></td>
<td class="plc"><div class="pi"><strong><a href="#">{"楼主" if number == 1 else f"{number}#"}</a></strong>
<div class="pti"><div class="authi"><em id="authorposton{9000 + number}">发表于 {when}</em> | <a>只看该作者</a></div></div></div>
<div class="pct"><div class="pcb"><div class="t_fsz"><table cellspacing="0" cellpadding="0"><tr><td class="t_f" id="postmessage_{9000 + number}">
{body}</td></tr></table></div></div></div></td></tr>
<tr><td class="plc plm"><div class="po"><a>回复</a> <a>举报</a> <a>支持(0)</a> <a>反对(0)</a></div><div class="sign">家有小学生，一起加油！</div></td></tr>
</table></div>"""
    posts = [floor(1, "新区宝妈", story.paragraphs, _ymd_hm(story))]
    posts += [floor(n, u, (t,), f"2023-5-{29 + (n > 3)} 0{n}:1{n}")
              for n, (u, t) in enumerate(FORUM_REPLIES, start=2)]
    return f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml">
<head>
{_charset_meta(charset)}
<title>{escape(story.title)} - 教育交流 - 新区生活论坛 - Powered by Discuz!</title>
<meta name="keywords" content="{escape(story.title)}">
<meta name="generator" content="Discuz! X3.4">
<style type="text/css">.t_f {{ font-size: 14px; }}</style>
</head>
<body id="nv_forum" class="pg_viewthread">
<div id="toptb" class="cl"><a href="/">设为首页</a> <a href="/">收藏本站</a> <a href="/member.php?mod=register">立即注册</a> <a href="/member.php?mod=logging">登录</a></div>
<div id="hd"><div class="hdc"><h2><a href="/">新区生活论坛</a></h2></div>
<div id="nv"><ul><li><a href="/forum.php">论坛</a></li><li><a href="/group.php">群组</a></li><li><a href="/home.php">家园</a></li><li><a href="/misc.php?mod=ranklist">排行榜</a></li><li><a href="/plugin.php?id=dsu_paulsign">签到</a></li></ul></div></div>
<div id="pt" class="bm cl"><a href="/">新区生活论坛</a> <em>&rsaquo;</em> <a href="/forum.php">论坛</a> <em>&rsaquo;</em> <a href="/forum-12-1.html">教育交流</a> <em>&rsaquo;</em> 查看内容</div>
<div id="ct" class="wp cl">
<div class="pgs mtm mbm cl"><a href="/forum-12-1.html">返回列表</a> <a href="/post.php?action=reply">回复</a></div>
<div id="postlist" class="pl bm">
<table cellspacing="0" cellpadding="0"><tr><td class="pls ptn pbn"><div class="hm ptn"><span class="xg1">查看:</span> <span class="xi1">3582</span> <span class="pipe">|</span> <span class="xg1">回复:</span> <span class="xi1">{len(FORUM_REPLIES)}</span></div></td>
<td class="plc ptm pbn vwthd"><h1 class="ts"><span id="thread_subject">{escape(story.title)}</span></h1></td></tr></table>
{"".join(posts)}
</div>
<div id="f_pst" class="pl bm bmw"><textarea>您需要登录后才可以回帖</textarea> <a>登录</a> | <a>立即注册</a></div>
</div>
<div id="ft" class="wp cl"><div id="flk" class="y"><a>Archiver</a> | <a>手机版</a> | <a>小黑屋</a> | <a>新区生活论坛</a> | 豫ICP备18001234号</div><div>Powered by Discuz! X3.4 &copy; 2001-2023 Comsenz Inc.</div><p>GMT+8, 2023-6-1 10:12 , Processed in 0.061228 second(s), 24 queries .</p></div>
</body>
</html>
"""


GOV_NAV = ("首页", "政务公开", "政务服务", "互动交流", "走进河南", "数据开放", "专题专栏")


def gov_generated(story: GoldStory, charset: str | None) -> str:
    """Provincial portal built by a front-end framework: generated class names, no known ids."""
    notices = "".join(f'<li class="c7f1a2"><a href="/gov/{i}.html">{escape(t)}</a><span>06-0{i % 9 + 1}</span></li>'
                      for i, t in enumerate(HEADLINES[:9]))
    return f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
{_charset_meta(charset, html5=True)}
<meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="SiteName" content="河南省人民政府门户网站">
<meta name="ColumnName" content="部门动态">
<meta name="ArticleTitle" content="{escape(story.title)}">
<meta name="PubDate" content="{_ymd_hm(story)}">
<meta name="ContentSource" content="{escape(story.source or '')}">
<title>{escape(story.title)}_部门动态_河南省人民政府门户网站</title>
<link href="/static/css/app.3f9a2c1e.css" rel="stylesheet">
</head>
<body>
<div id="app"><div class="a1b2c3d4"><div class="e5f60718"><img src="/static/img/logo.6c1d.png" alt="河南省人民政府"></div>
<div class="f1e2d3c4">{"".join(f'<a class="x9y8z7" href="/{i}/">{escape(n)}</a>' for i, n in enumerate(GOV_NAV))}</div>
<div class="s0e1a2r3"><input placeholder="请输入关键词"><span>搜索</span></div></div>
<div class="b7c8d9e0">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a> &gt; <a href="/bmdt/">部门动态</a></div>
<div class="m3n4o5p6">
<div class="q7r8s9t0">
<div class="u1v2w3x4">{escape(story.title)}</div>
<div class="y5z6a7b8"><span>发布时间：{_ymd_hm(story)}</span><span>来源：{escape(story.source or '')}</span><span>字号：<a>大</a> <a>中</a> <a>小</a></span></div>
<div class="c9d0e1f2 d2e3f4a5">
{_paras(story.paragraphs, "text-indent:2em;")}
</div>
<div class="g3h4i5j6"><a href="javascript:window.print()">打印本页</a> <a href="javascript:window.close()">关闭窗口</a></div>
<div class="k7l8m9n0"><div>扫一扫在手机打开当前页</div><img src="/qr/now.png"></div>
</div>
<div class="o1p2q3r4"><div class="s5t6u7v8">通知公告</div><ul>{notices}</ul>
<div class="s5t6u7v8">政务服务</div><ul><li><a>个人办事</a></li><li><a>法人办事</a></li><li><a>好差评</a></li><li><a>电子证照</a></li></ul></div>
</div>
<div class="w9x0y1z2"><p><a>网站地图</a> | <a>联系我们</a> | <a>使用帮助</a> | <a>隐私声明</a></p>
<p>主办：河南省人民政府办公厅 承办：河南省大数据管理局</p><p>网站标识码：4100000001 豫ICP备05012345号 豫公网安备 41010502000001号</p>
<p>建议使用1366&times;768分辨率 IE10.0以上版本浏览器</p></div></div>
<script src="/static/js/chunk-vendors.8d2c.js"></script><script src="/static/js/app.71ae.js"></script>
</body>
</html>
"""


def gov_city_table(story: GoldStory, charset: str | None) -> str:
    """City government site on an old table layout with a generated body class."""
    links = "".join(f'<tr><td class="t1a9"><a href="/news/{i}.html">&middot; {escape(t)}</a></td><td>{6 + i % 3}-2{i}</td></tr>'
                    for i, t in enumerate(HEADLINES[:8]))
    return f"""<html>
<head>
{_charset_meta(charset)}
<title>{escape(story.title)}</title>
<meta name="PubDate" content="{_ymd_hm(story)}">
<meta name="ContentSource" content="{escape(story.source or '')}">
</head>
<body>
<table width="1002" align="center" cellpadding="0" cellspacing="0"><tr><td><img src="/images/top.jpg"></td></tr>
<tr><td class="nav_bg"><a href="/">首页</a> | <a href="/zwdt/">政务动态</a> | <a href="/xxgk/">信息公开</a> | <a href="/bsfw/">办事服务</a> | <a href="/hdjl/">互动交流</a> | <a href="/zsyz/">招商引资</a></td></tr></table>
<table width="1002" align="center" cellpadding="0" cellspacing="0"><tr>
<td width="250" valign="top"><table width="100%"><tr><td class="lm_tit">最新动态</td></tr>{links}</table>
<table width="100%"><tr><td class="lm_tit">便民服务</td></tr><tr><td>社保查询 公积金查询 违章查询 天气预报</td></tr></table></td>
<td width="752" valign="top">
<table width="100%"><tr><td class="wz_1c">您现在的位置：<a href="/">首页</a> &gt; <a href="/zwdt/">政务动态</a> &gt; 部门动态</td></tr>
<tr><td align="center" class="bt_2f"><b>{escape(story.title)}</b></td></tr>
<tr><td align="center" class="sj_7e">{_ymd_hm(story)}&nbsp;&nbsp;&nbsp;来源：{escape(story.source or '')}&nbsp;&nbsp;&nbsp;点击：<script>document.write(891)</script></td></tr>
<tr><td class="nr_8d">
{_paras(story.paragraphs)}
</td></tr>
<tr><td align="right"><a href="javascript:window.print()">[打印]</a> <a href="javascript:window.close()">[关闭]</a></td></tr></table>
</td></tr></table>
<table width="1002" align="center"><tr><td class="foot_bg">主办：市人民政府办公室 承办：市大数据中心 联系电话：0379-12345678<br>豫ICP备09012345号 网站标识码：4103000001</td></tr></table>
</body>
</html>
"""


def photo_story(story: GoldStory, charset: str | None) -> str:
    """Photo story: body split over sibling divs, images with 图为… captions between them."""
    blocks: list[str] = []
    for index, paragraph in enumerate(story.paragraphs):
        if paragraph.startswith("图为"):
            blocks.append(f'<div class="pic-box" align="center"><img src="/pic/2023/0522/{index}.jpg" border="0"><div class="pic-note">{escape(paragraph)}</div></div>')
        else:
            blocks.append(f'<div class="txt-box"><p>{escape(paragraph)}</p></div>')
    return f"""<!DOCTYPE html PUBLIC "-//W3C//DTD HTML 4.01 Transitional//EN">
<html>
<head>
{_charset_meta(charset)}
<title>{escape(story.title)}--滩区新闻--河南农村网</title>
</head>
<body>
<div class="topbox"><a href="/">河南农村网</a> <a href="/xw/">新闻</a> <a href="/zc/">政策</a> <a href="/sc/">市场</a> <a href="/js/">技术</a> <a href="/sp/">视频</a></div>
<div class="locate">当前位置：<a href="/">首页</a> &gt; <a href="/xw/">新闻</a> &gt; <a href="/xw/tq/">滩区新闻</a></div>
<div class="left-w">
<h1>{escape(story.title)}</h1>
<div class="time-info">{_cn_datetime(story)}&nbsp;&nbsp;来源：{escape(story.source or '')}</div>
<div class="body-wrap">
{"".join(blocks)}
</div>
<div class="zebian">【责任编辑：农村网编辑部】</div>
<div class="more-pic"><h3>更多图片</h3><ul><li><a><img src="/p/1.jpg"><span>麦收时节</span></a></li><li><a><img src="/p/2.jpg"><span>滩区新貌</span></a></li><li><a><img src="/p/3.jpg"><span>黄河落日</span></a></li></ul></div>
</div>
<div class="right-w"><h3>热点排行</h3><ul>{_links(HOT_RANK)}</ul><h3>专题</h3><ul>{_links(HEADLINES[:5], "/zt/")}</ul></div>
<div class="bottom">河南农村网 版权所有 &copy; 2008-2023 豫ICP备08001234号</div>
</body>
</html>
"""


def short_heavy_sidebar(story: GoldStory, charset: str | None) -> str:
    """A two-paragraph notice whose side columns carry more sentence text than the body."""
    summaries = (
        ("市区新增三处口袋公园", "今年以来，城区利用边角地和闲置地块新建改造口袋公园三处，配套健身器材和休闲座椅，方便市民就近休闲健身。"),
        ("夏季用电高峰如何安全用电", "供电部门提醒，空调等大功率电器不要同时使用，发现线路老化、插座发热等情况要及时请专业人员检修，防止发生火灾。"),
        ("中小学生暑期防溺水安全提示", "暑假期间，家长要切实履行监护责任，教育孩子不私自下水游泳，不到无安全设施、无救护人员的水域游泳。"),
        ("全市开展燃气安全入户检查", "燃气企业将对居民用户开展入户安全检查，检查人员统一着装、持证上岗，不收取任何费用，请市民注意识别。"),
    )
    side = "".join(f'<div class="tw-item"><img src="/tw/{i}.jpg"><h4>{escape(t)}</h4><p>{escape(s)}</p></div>'
                   for i, (t, s) in enumerate(summaries))
    tips = ("市民热线：拨打12345可反映城市管理、公共服务等方面的问题和建议，热线二十四小时有人接听。",
            "办事指南：居住证、身份证、户口迁移等户政业务可在政务服务网预约办理，减少排队等候时间。",
            "天气预报：明天多云转晴，气温二十三到三十四摄氏度，南风三到四级，请注意防暑降温。")
    return f"""<!DOCTYPE html>
<html>
<head>
{_charset_meta(charset, html5=True)}
<title>{escape(story.title)}-城市新闻-市民网</title>
</head>
<body>
<div class="hd"><a href="/">市民网</a><a href="/cs/">城市</a><a href="/ms/">民生</a><a href="/jt/">交通</a><a href="/jy/">教育</a><a href="/ws/">卫生</a></div>
<div class="wrap">
<div class="col-l">
<div class="crumbs"><a href="/">首页</a> &gt; <a href="/jt/">交通</a></div>
<h1>{escape(story.title)}</h1>
<div class="msg">{_ymd_hm(story)} 来源：{escape(story.source or '')}</div>
<div class="txt">
{_paras(story.paragraphs)}
</div>
<div class="sxp">上一篇：<a>市区新增三处口袋公园</a> 下一篇：<a>全市开展燃气安全入户检查</a></div>
</div>
<div class="col-r">
<div class="box"><h3>图文推荐</h3>{side}</div>
<div class="box"><h3>便民提示</h3>{"".join(f"<p>{escape(t)}</p>" for t in tips)}</div>
<div class="box"><h3>最新消息</h3><ul>{_links(HEADLINES[:6])}</ul></div>
</div>
</div>
<div class="ft">市民网 版权所有 未经授权禁止复制或建立镜像 豫ICP备12012345号</div>
</body>
</html>
"""


def table_article(story: GoldStory, charset: str | None) -> str:
    """Statistics release with a data table in the body."""
    text = [p for p in story.paragraphs if " " not in p]
    rows = [p.split(" ") for p in story.paragraphs if " " in p]
    table = "<table class=\"tj\" border=\"1\" cellspacing=\"0\" cellpadding=\"4\" align=\"center\"><tbody>" + "".join(
        "<tr>" + "".join(f"<td>{escape(cell)}</td>" for cell in row) + "</tr>" for row in rows
    ) + "</tbody></table>"
    return f"""<html>
<head>
{_charset_meta(charset)}
<title>{escape(story.title)}_统计信息_市统计局</title>
<meta name="description" content="{escape(story.paragraphs[0][:50])}">
</head>
<body>
<div class="head"><img src="/img/tjj_logo.png"><div class="menu"><a>首页</a> <a>统计数据</a> <a>统计分析</a> <a>统计公报</a> <a>统计法规</a> <a>政务公开</a></div></div>
<div class="main">
<div class="left"><div class="lm">统计数据</div><ul><li><a>月度数据</a></li><li><a>季度数据</a></li><li><a>年度数据</a></li><li><a>普查数据</a></li></ul>
<div class="lm">数据发布日程</div><p>季度数据于季后第20日左右发布，遇节假日顺延。</p></div>
<div class="right">
<div class="wz">当前位置：首页 &gt;&gt; 统计数据 &gt;&gt; 季度数据</div>
<div class="bt">{escape(story.title)}</div>
<div class="sj">发布日期：{_ymd_hm(story)}　　信息来源：{escape(story.source or '')}</div>
<div class="nr">
{_paras(tuple(text[:2]))}
{table}
{_paras(tuple(text[2:]))}
</div>
<div class="fj">相关附件：<a href="/files/2023q1.xls">一季度主要经济指标.xls</a></div>
</div></div>
<div class="foot">版权所有：市统计局 地址：人民路18号 邮编：471000 豫ICP备10012345号</div>
</body>
</html>
"""


def br_notice(story: GoldStory, charset: str | None) -> str:
    """Old county site: the notice is one cell of `<br>`-separated lines, a signature below."""
    lines = "<br>\n".join(f"&nbsp;&nbsp;&nbsp;&nbsp;{escape(p)}" for p in story.paragraphs)
    return f"""<html>
<head>
{_charset_meta(charset)}
<title>{escape(story.title)}</title>
</head>
<body bgcolor="#ffffff">
<table width="980" border="0" align="center"><tr><td><img src="/images/banner.gif"></td></tr>
<tr><td bgcolor="#0066cc"><font color="#ffffff"><a href="/">首 页</a> | <a href="/gg/">通知公告</a> | <a href="/zc/">政策法规</a> | <a href="/bs/">办事指南</a> | <a href="/ly/">局长信箱</a></font></td></tr></table>
<table width="980" border="0" align="center"><tr><td width="200" valign="top">
<table><tr><td><b>栏目导航</b></td></tr><tr><td><a href="/gg/">通知公告</a></td></tr><tr><td><a href="/zc/">政策法规</a></td></tr><tr><td><a href="/bs/">办事指南</a></td></tr><tr><td><a href="/xz/">表格下载</a></td></tr></table></td>
<td valign="top">
<table width="100%"><tr><td align="center"><font size="4"><b>{escape(story.title)}</b></font></td></tr>
<tr><td align="center"><font color="#666666">发布时间：{story.published[:10]}　　来源：{escape(story.source or '')}</font></td></tr>
<tr><td class="f14" style="line-height:180%">
{lines}
</td></tr>
<tr><td align="right">{escape(story.source or '')}<br>{story.published[:4]}年{int(story.published[5:7])}月{int(story.published[8:10])}日</td></tr></table>
</td></tr></table>
<table width="980" align="center"><tr><td align="center">版权所有：县医疗保障局　技术支持：县信息中心　豫ICP备13001234号</td></tr></table>
</body>
</html>
"""


def html5_jsonld(story: GoldStory, charset: str | None) -> str:
    """HTML5 page with `<article>`, schema.org NewsArticle JSON-LD and a `<figure>` lead image."""
    ld = json.dumps({
        "@context": "https://schema.org", "@type": "NewsArticle", "headline": story.title,
        "datePublished": story.published, "dateModified": story.published,
        "publisher": {"@type": "Organization", "name": "洛阳网"},
        "description": story.paragraphs[0][:60],
    }, ensure_ascii=False)
    return f"""<!doctype html>
<html lang="zh-Hans">
<head>
{_charset_meta(charset, html5=True)}
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(story.title)} - 洛阳网</title>
<script type="application/ld+json">{ld}</script>
</head>
<body>
<header class="site-header"><a class="brand" href="/">洛阳网</a><nav><a href="/">首页</a><a href="/ly/">洛阳</a><a href="/cj/">财经</a><a href="/ms/">民生</a><a href="/wl/">文旅</a></nav></header>
<main class="layout">
<article class="story">
<header><h1>{escape(story.title)}</h1><p class="byline"><time datetime="{story.published}">{_ymd_hm(story)}</time> · 来源：{escape(story.source or '')}</p></header>
<figure><img src="/img/2023/0711/cloud.jpg" alt=""></figure>
<section class="story-body">
{_paras(story.paragraphs)}
</section>
<footer class="story-footer"><p>编辑：洛阳网新闻中心</p><ul class="tags"><li>数字化转型</li><li>中小企业</li></ul></footer>
</article>
<aside class="rail"><section><h2>热读</h2><ol>{_links(HOT_RANK[:6])}</ol></section><section><h2>推荐阅读</h2>{_teaser_blocks("article")}</section></aside>
</main>
<footer class="site-footer"><p>洛阳网 版权所有 豫ICP备06001234号 互联网新闻信息服务许可证41120170002</p></footer>
</body>
</html>
"""


def script_junk(story: GoldStory, charset: str | None) -> str:
    """Page with inline scripts, styles and noscript text inside and around the body."""
    middle = len(story.paragraphs) // 2
    return f"""<html>
<head>
{_charset_meta(charset)}
<title>{escape(story.title)}_卫生健康_县融媒体中心</title>
<style type="text/css">body{{margin:0;font:14px/1.8 "微软雅黑"}} .cont p{{text-indent:2em}} .ad-float{{position:fixed;right:0}}</style>
<script type="text/javascript">var _hmt=_hmt||[];(function(){{var hm=document.createElement("script");hm.src="https://hm.example.cn/hm.js?abc";var s=document.getElementsByTagName("script")[0];s.parentNode.insertBefore(hm,s);}})();</script>
</head>
<body>
<noscript><div class="nojs">您的浏览器不支持或已禁用JavaScript，部分功能将无法使用，请开启后刷新页面。</div></noscript>
<div class="ad-float"><script>document.write('<a href="/ad"><img src="/ad/float.gif"></a>');</script></div>
<div class="tnav"><a>首页</a> <a>时政</a> <a>民生</a> <a>卫生健康</a> <a>乡镇</a> <a>视频</a></div>
<div class="cbox">
<h1 class="ctitle">{escape(story.title)}</h1>
<p class="cinfo">发布时间：{_ymd_hm(story)} 来源：{escape(story.source or '')} 阅读：<span id="hits"><script>document.write(Math.floor(Math.random()*1000))</script></span></p>
<div class="cont">
<style>.cont img{{max-width:100%}}</style>
{_paras(story.paragraphs[:middle])}
<script type="text/javascript">var player = new Player({{ id: "v1", src: "/video/xiongtong.mp4", autoplay: false, poster: "/video/poster.jpg" }}); if (window.console) {{ console.log("视频加载完成"); }}</script>
<noscript>视频播放需要启用JavaScript。</noscript>
{_paras(story.paragraphs[middle:])}
</div>
<script>$(function(){{ $(".cont img").each(function(){{ $(this).attr("title","点击查看大图"); }}); }});</script>
<div class="bdsharebuttonbox">分享到：<a class="bds_weixin"></a><a class="bds_tsina"></a></div>
<script>window._bd_share_config={{"common":{{"bdText":"","bdMini":"2"}},"share":{{}}}};</script>
</div>
<div class="xglist"><h3>健康资讯</h3><ul>{_links(HEADLINES[9:])}</ul></div>
<div class="foot">县融媒体中心 主办 &copy; 版权所有 豫ICP备17001234号-1</div>
<script type="text/javascript">document.getElementById("hits").style.color = "#c00";</script>
</body>
</html>
"""


def paged_article(story: GoldStory, charset: str | None) -> str:
    """First page of a story split over three pages, with a 分页 bar after the text."""
    return f"""<!DOCTYPE html>
<html>
<head>
{_charset_meta(charset, html5=True)}
<title>{escape(story.title)}(1)_文化_大河网</title>
<meta name="description" content="{escape(story.paragraphs[0][:60])}">
</head>
<body>
<div class="hdnav"><a>大河网</a> <a>新闻</a> <a>河南</a> <a>文化</a> <a>旅游</a> <a>视频</a> <a>图片</a></div>
<div class="cmain">
<div class="dqwzs">您当前的位置 ：<a>大河网</a> &gt; <a>文化</a> &gt; 正文</div>
<h1>{escape(story.title)}</h1>
<div class="laiyuan"><span>{_ymd_hm(story)}</span> <span>来源：{escape(story.source or '')}</span> <span>作者：本网记者</span></div>
<div class="wenzhang">
{_paras(story.paragraphs)}
</div>
<div class="fenye"><span>本文共3页</span> <span class="current">1</span> <a href="/wh/2023-06/10/content_1_2.htm">2</a> <a href="/wh/2023-06/10/content_1_3.htm">3</a> <a href="/wh/2023-06/10/content_1_2.htm">下一页</a> <a href="/wh/2023-06/10/content_1_all.htm">全文</a></div>
<div class="bjx">编辑：文化频道</div>
<div class="tuijian"><h3>相关阅读</h3>{_teaser_blocks()}</div>
</div>
<div class="dh-foot">大河网版权所有 互联网新闻信息服务许可证编号：41120170003 豫ICP备06012345号</div>
</body>
</html>
"""


def mobile_page(story: GoldStory, charset: str | None, comments: tuple[tuple[str, str], ...] = ()) -> str:
    """Mobile (m.) article: app banner, 展开全文, bottom tab bar, teaser feed, optional comments."""
    cmts = (f'<div class="m-cmt"><div class="m-cmt-hd">评论（{len(comments)}）</div>'
            f'{_comments(comments, "m-cmt-item")}<div class="m-cmt-more">打开APP查看更多评论</div></div>') if comments else ""
    feed = "".join(f'<a class="feed-item" href="/a/{i}"><div class="feed-t">{escape(t)}</div><div class="feed-s">{escape(s)}</div><div class="feed-m">{escape(story.source or "")} 1{i}评</div></a>'
                   for i, (t, s) in enumerate(TEASERS))
    return f"""<!DOCTYPE html>
<html>
<head>
{_charset_meta(charset, html5=True)}
<meta name="viewport" content="width=device-width,initial-scale=1,maximum-scale=1,user-scalable=no">
<meta name="apple-mobile-web-app-capable" content="yes">
<meta name="format-detection" content="telephone=no">
<title>{escape(story.title)}</title>
<meta property="og:title" content="{escape(story.title)}">
<meta property="og:type" content="article">
</head>
<body>
<div class="m-top-banner"><img src="/m/logo.png"><span>打开APP，阅读体验更佳</span><a class="btn-open">打开</a></div>
<div class="m-head"><a class="back" href="javascript:history.back()">返回</a><span>新闻</span><a class="home" href="/">首页</a></div>
<div class="m-art">
<h1 class="m-title">{escape(story.title)}</h1>
<div class="m-info"><span class="m-src">{escape(story.source or '')}</span> <span class="m-time">{_ymd_hm(story)}</span></div>
<div class="m-cnt" id="m-cnt" style="max-height:600px;overflow:hidden">
{_paras(story.paragraphs)}
</div>
<div class="m-unfold"><span>展开全文</span></div>
<div class="m-statement">免责声明：本文来自网络，如有侵权请联系删除。</div>
</div>
<div class="m-app-guide"><p>打开APP 阅读最新报道</p></div>
{cmts}
<div class="m-feed"><div class="m-feed-hd">为你推荐</div>{feed}</div>
<div class="m-tabbar"><a>首页</a><a>视频</a><a>发布</a><a>消息</a><a>我的</a></div>
</body>
</html>
"""


CANTEEN_COMMENTS = (
    ("幸福里居民", "我母亲今天去吃了，说菜做得软烂，价格也实惠，就是排队的人太多了，希望以后能多开一个窗口。"),
    ("用户8312", "这样的好事应该多推广，我们小区也有很多独居老人，做饭不方便，天天吃剩饭剩菜，子女也不放心。"),
    ("城东小李", "送餐上门这个服务太贴心了，我爷爷腿脚不好下不了楼，正好可以申请一下，请问在哪里办卡？"),
    ("社区志愿者", "回复城东小李：带老人身份证到社区服务中心一楼窗口就能办理，行动不便的可以打电话预约上门办理。"),
    ("向日葵", "建议菜单里多一些粗粮和低盐的菜品，不少老人有高血压和糖尿病，饮食上要格外注意。"),
)


def mobile_with_comments(story: GoldStory, charset: str | None) -> str:
    """Mobile article followed by a long comment list."""
    return mobile_page(story, charset, CANTEEN_COMMENTS)


# --- cases ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class HardCase:
    """One hard page: a story in a family template, its encoding and how it was served."""

    name: str
    family: str
    template: Callable[[GoldStory, str | None], str]
    story: str
    url: str
    codec: str
    meta_charset: str | None
    content_type: str | None
    encoding_case: str
    bom: bool = False


HARD_CASES: tuple[HardCase, ...] = (
    HardCase("hard_portal_gbk", "news portal", news_portal, "farmland_portal",
             "https://news.example-portal.cn/henan/2023-04-18/doc-imyqkrst1234567.shtml",
             "gbk", "gbk", "text/html", "GBK declared in meta, bare header"),
    HardCase("hard_blog_utf8", "blog post", blog_post, "wetland_blog",
             "https://www.example-blog.cn/2023/01/09/huanghe-shidi/", "utf-8", "UTF-8",
             "text/html; charset=UTF-8", "utf-8 everywhere"),
    HardCase("hard_forum_gbk_undeclared", "forum thread", forum_thread, "enrolment_forum",
             "http://bbs.example-xinqu.cn/thread-88231-1-1.html", "gbk", None, None,
             "GBK with no declaration at all"),
    HardCase("hard_gov_generated_utf8", "provincial gov portal", gov_generated,
             "oldestate_province", "https://www.example-henan.gov.cn/2023/06-09/2761234.html",
             "utf-8", "utf-8", "text/html;charset=utf-8", "utf-8 everywhere"),
    HardCase("hard_photo_divs_gb2312", "photo story in sibling divs", photo_story,
             "floodplain_photos", "http://www.example-ncw.cn/xw/tq/2023/0522/55012.html",
             "gb2312", "gb2312", "text/html; charset=gb2312", "GB2312 declared in header and meta"),
    HardCase("hard_short_sidebar_utf8", "short notice, heavy sidebars", short_heavy_sidebar,
             "traffic_short", "https://www.example-shimin.cn/jt/20230616/301.html", "utf-8",
             "utf-8", None, "utf-8 declared in meta"),
    HardCase("hard_table_gbk_wrong_header", "data table in body", table_article,
             "economy_table", "http://tjj.example-city.gov.cn/tjsj/jdsj/202304/t20230420_501.html",
             "gbk", "gbk", "text/html; charset=utf-8", "GBK page with a wrong HTTP header"),
    HardCase("hard_br_lines_gb2312_undeclared", "br-separated body", br_notice,
             "insurance_notice_br", "http://www.example-ybj.gov.cn/gg/2022/0830/118.html",
             "gb2312", None, None, "GB2312 with no declaration"),
    HardCase("hard_html5_jsonld_utf8", "HTML5 article with JSON-LD", html5_jsonld,
             "cloud_jsonld", "https://www.example-lyw.cn/news/2023/0711/88123.html", "utf-8",
             "utf-8", "text/html; charset=utf-8", "utf-8 everywhere"),
    HardCase("hard_script_junk_gb18030", "inline script/style/noscript", script_junk,
             "chestpain_script", "http://www.example-xrmt.cn/wsjk/2023/0303/4471.html",
             "gb18030", "gb18030", None, "GB18030 declared in meta"),
    HardCase("hard_paged_utf8_bom", "page 1 of 3", paged_article, "craft_paged",
             "https://culture.example-dahe.cn/wh/2023-06/10/content_1.htm", "utf-8", "utf-8",
             None, "UTF-8 with a BOM and meta", bom=True),
    HardCase("hard_mobile_utf8", "mobile page", mobile_page, "wheat_mobile",
             "https://m.example-hntv.cn/news/20230615/a5512.html", "utf-8", "utf-8",
             "text/html; charset=utf-8", "utf-8 everywhere"),
    HardCase("held_portal163_utf8", "news portal", news_portal_163, "airquality_portal2",
             "https://www.example-163.cn/news/article/IE7K12340512D3VJ.html", "utf-8", "utf-8",
             "text/html; charset=utf-8", "utf-8 everywhere"),
    HardCase("held_gov_table_gb2312", "city gov portal, table layout", gov_city_table,
             "jobfair_city", "http://www.example-lysrsj.gov.cn/news/2023/0708/9921.html",
             "gb2312", "gb2312", None, "GB2312 declared only in meta"),
    HardCase("held_blog_old_gbk", "blog post", old_blog, "morningmarket_blog",
             "http://blog.example-sina.cn/s/blog_4a1b2c3d0102xyz1.html", "gbk", "gbk",
             "text/html; charset=gbk", "GBK declared everywhere"),
    HardCase("held_mobile_comments_utf8", "mobile page with comments", mobile_with_comments,
             "canteen_mobile", "https://m.example-city.cn/a/20230701/7712.html", "utf-8", None,
             "text/html", "UTF-8 with no charset anywhere"),
)
HELD_BACK: frozenset[str] = frozenset(case.name for case in HARD_CASES
                                      if case.name.startswith("held_"))


def build_hard_cases(write_case: WriteCase) -> None:
    """Write the hard gold cases through `write_case(name, body, meta, records)`."""
    from tests.gold.build import expected_record

    for case in HARD_CASES:
        story = HARD_STORIES[case.story]
        body = case.template(story, case.meta_charset).encode(case.codec)
        if case.bom:
            body = codecs.BOM_UTF8 + body
        meta = {
            "url": case.url, "charset": case.content_type,
            "served": "http" if case.content_type else "file (no HTTP header)",
            "family": case.family, "encoding": case.codec, "encoding_case": case.encoding_case,
            "bom": case.bom, "mojibake": False, "held_back": case.name in HELD_BACK,
        }
        write_case(case.name, body, meta, [expected_record(case.url, story)])
