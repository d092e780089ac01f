"""The labels Chinese news pages print: datelines, 来源, 作者/记者 roles, editor credits, page
counters, end markers and related-list headers.

Each is a regex fragment (a non-capturing alternation) so that callers embed it in their own
line patterns; word lists are tuples where callers need the words themselves.
Traditional-script variants are listed too: mirror gateways convert whole pages.
"""

from __future__ import annotations

from crawler.vocab.chars import HAN


def alternation(words: tuple[str, ...]) -> str:
    """A non-capturing regex alternation of `words`, longest first."""
    return "(?:" + "|".join(sorted(words, key=len, reverse=True)) + ")"


# --- meta lines --------------------------------------------------------------------------------

DATELINE_LABELS = (
    r"(?:(?:发布|發佈|發布|发表|發表|更新|上传|录入|印发|成文|发稿)?(?:时间|時間|日期)|发布于)"
)
"""Labels that introduce a dateline before a colon: 发布时间：, 发布日期：, 日期：, 发布于：."""

DATELINE_BARE_LABELS = r"(?:发表于|發表於|发布于|發佈於)"
"""Dateline labels printed without a colon: 发表于2014-08-24."""

SOURCE_LABELS = r"(?:(?:信息|文章|稿件|新闻|内容|本文|資訊)?(?:来源|來源)(?:于|於)?|稿源)"
"""Labels that introduce the publisher: 来源：, 信息来源：, 来源于：."""

AUTHOR_LABELS = r"(?:作者|撰稿|文)"
"""Labels that introduce authors in a meta line (作者：…)."""

BYLINE_LABELS = r"(?:作者|記者|记者|撰稿|采写|采访|执笔|撰文|文字|文)"
"""Labels that credit the writers of an article, with or without a colon or slash
(作者：…, 采写：…, 执笔/…, 文/…, 记者 …)."""

COUNTER_LABELS = r"(?:浏览|点击|阅读|访问)(?:次数|量|数|率)?"
"""Page counters sharing the meta line: 浏览次数：123."""

EDITOR_LABELS = (
    r"(?:责任编辑|编辑|责编|审核|审校|校对|终审|初审|复审|一审|二审|三审|编审|值班编辑|美编"
    r"|监制|统筹)"
)
"""Editorial credits (not authors): 责任编辑：X, 审核：Y."""

# --- bylines -----------------------------------------------------------------------------------

BYLINE_ROLES = (
    r"(?:首席|特约|见习|見習|實習|实习|驻站|全媒体|融媒体?|摄影|本报|本台|本网|职工|特派)?"
    r"(?:记者|記者|通讯员|通訊員|实习生|摄影|摄像|报道员)"
)
"""A byline role, with the qualifiers papers print before it."""

AFFILIATION = rf"(?:[{HAN}·]{{0,14}}(?:报|网|台|社|新闻|客户端|中心|融媒体?|频道)|[{HAN}]{{2,4}})"
"""The outlet printed before a role: 正观新闻·郑州晚报 (记者), or a short name of one."""

CREDIT_SUFFIXES = r"(?:/图文|/文图|/图|/文|/摄|摄影|摄|报道|编译)"
"""What follows a name in a credit: 白博文/图, 张三 摄, 李四报道."""

NAME = rf"(?:[{HAN}]{{2,4}}|[{HAN}]{{1,8}}·[{HAN}]{{1,8}})"
"""A person's name as bylines print it: 2-4 Han characters, or a name with a middle dot."""

PHOTO_CREDIT = rf"(?:供图|\s(?:{NAME}\s?)?(?:摄影|摄|资料图|资料|图))"
"""How a photo caption ends: its credit (`城市摄影队 周斌 摄`, `小花母亲供图`, `视觉中国 资料`,
`记者段彦超 图`). A credit other than 供图 stands after a space, so that a sentence cut after a
word that ends in 图 or 摄 (蓝图, 拍摄) is none."""

FILLER_WORDS = frozenset({
    "未知", "佚名", "匿名", "网络", "网友", "整合", "综合", "转载", "原创", "本站", "小编",
    "查看更多", "更多", "网络整理", "转载请注明", "管理员", "系统管理员", "admin",
})
"""Words printed where a name goes that stand for no one (作者：未知, 记者陈智 整合)."""

NOT_NAMES = FILLER_WORDS | frozenset({
    "记者", "通讯员", "实习生", "摄影", "摄像", "作者", "来源", "编辑", "责任编辑", "报道",
    "本报", "本台", "本网", "通讯", "见习记者", "記者", "通訊員", "實習生", "攝影", "攝像", "編輯",
    "責任編輯", "報道", "本報", "本臺", "本網", "見習記者",
})
"""Words that read like a name in a byline but are none: roles, labels and fillers."""

ORGANISATION_END = (
    r"(?:网|报|台|社|中心|政府|办公室|委员会|局|部|厅|处|科|站|门户|新闻|支部|公司|集团)$"
)
"""How the name of an organisation (a site, a paper, an office) ends; a byline of one is not
a person."""

LOCATION_LABELS = (
    "当前位置", "當前位置", "您现在的位置", "您的位置", "你的位置", "所在位置", "您当前的位置",
    "当前的位置",
)
"""Labels that open a breadcrumb trail (当前位置：首页 > 新闻)."""

# --- the end of an article -------------------------------------------------------------------

RELATED_HEADERS = (
    "相关阅读", "相关新闻", "相关文章", "相关稿件", "相关链接", "相关推荐", "相关报道", "延伸阅读",
    "推荐阅读", "热门推荐", "热点推荐", "精彩推荐", "为你推荐", "为您推荐", "猜你喜欢", "更多精彩",
    "热点新闻", "热门文章", "最新文章", "最新新闻", "更多新闻", "更多阅读", "往期回顾", "今日推荐",
)
"""Headers of a related-articles list: the article is over where one stands alone."""

COMMENT_HEADERS = ("网友评论", "我要评论", "发表评论", "热门跟贴")
"""Headers of the comment area below an article."""
