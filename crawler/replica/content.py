"""The article corpus of a replica site: its content list plus generated government news.

A site's `replica/content.toml` lists its hand-written articles (the seed page: the seed text as
the page's article, as scraped) and the parameters of the generated ones: the place and source
they name, the reporters their bylines credit, the newest date and how the outlet prints bylines.
`build_corpus(site, per_site)` is deterministic: the same size gives the same articles, so goldens
and the benchmark's large corpus (`per_site=1000`) are reproducible. Bylines reuse only the
reporter names that appear in the seeds; no person is invented. The topics below are the shared
text of the generated articles and name no site.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cache
from pathlib import Path

from crawler.replica.mirror import to_mirror_text, to_traditional
from crawler.replica.site import REPLICA_DIR, ArticleData, Generated, ReplicaSite


@dataclass(frozen=True)
class Story:
    """One article as printed: optional kicker line, title line, body lines (layout breaks kept)."""

    title: str
    lines: tuple[str, ...]
    kicker: str | None = None


@dataclass(frozen=True)
class ReplicaArticle:
    """One article page of a replica site. E-paper pages may hold several stories."""

    site: str
    number: int
    published_at: datetime
    stories: tuple[Story, ...]
    authors: tuple[str, ...] = ()
    source: str | None = None
    seed: str | None = None
    related: tuple[tuple[str, str], ...] = field(default=())
    listed: bool = False
    """True for an article of the content list (a seed page or one written for a golden page)."""

    @property
    def title(self) -> str:
        """The page title: the first story's title."""
        return self.stories[0].title

    @property
    def lines(self) -> tuple[str, ...]:
        """The body lines of a single-story page."""
        return self.stories[0].lines


def listed_article(site: str, data: ArticleData) -> ReplicaArticle:
    """A hand-written article of the content list."""
    stories = tuple(Story(story.title, tuple(story.lines), story.kicker)
                    for story in data.stories)
    related = tuple((teaser, f"{day:%Y-%m-%d}") for teaser, day in data.related)
    return ReplicaArticle(site, data.number, data.published_at, stories,
                          authors=tuple(data.authors), source=data.source, seed=data.seed,
                          related=related, listed=True)


# ---------------------------------------------------------------------------------------------
# Generated articles
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Topic:
    """A news topic: headline, lead and body paragraphs; `{place}` and `{md}` are filled in."""

    title: str
    lead: str
    body: tuple[str, ...]


TOPICS: tuple[Topic, ...] = (
    Topic(
        "{place}召开优化营商环境工作推进会",
        "{md}，{place}召开优化营商环境工作推进会，总结前一阶段工作成效，分析存在的短板弱项，"
        "安排部署下一步重点任务。",
        (
            "会议指出，营商环境就是生产力。今年以来，各级各部门持续深化“放管服”改革，"
            "政务服务事项网上可办率稳步提升，企业开办时间进一步压缩，市场主体活力持续增强。",
            "会议要求，要聚焦企业和群众反映强烈的堵点难点问题，推行“一件事一次办”，"
            "完善惠企政策直达机制，让企业办事更省心、更便捷。",
            "会议强调，要健全常态化政企沟通机制，认真落实包联服务企业制度，"
            "做到有求必应、无事不扰，以一流营商环境助推高质量发展。",
        ),
    ),
    Topic(
        "{place}开展安全生产大检查",
        "为切实做好节假日期间安全生产工作，{md}，{place}组织应急管理、市场监管、"
        "住房城乡建设等部门组成检查组，深入企业和重点场所开展安全生产大检查。",
        (
            "检查组先后来到化工企业、建筑工地、商场超市和人员密集场所，详细查看消防设施配备、"
            "危险化学品储存、应急预案制定和值班值守等情况，对发现的问题现场反馈、限期整改。",
            "检查组要求，各企业要牢固树立安全发展理念，严格落实企业主体责任，"
            "加强从业人员安全教育培训，坚决防范遏制各类生产安全事故发生。",
            "下一步，相关部门将持续加大执法检查力度，对隐患整改情况开展“回头看”，"
            "确保问题整改到位、责任落实到人。",
        ),
    ),
    Topic(
        "{place}部署防汛备汛工作",
        "{md}，{place}召开防汛工作会议，分析研判今年汛期形势，安排部署防汛备汛各项工作。",
        (
            "会议指出，今年汛期极端天气事件发生概率较高，防汛形势不容乐观。"
            "各级各部门要克服麻痹思想和侥幸心理，立足防大汛、抗大洪、抢大险、救大灾，"
            "扎实做好各项准备工作。",
            "会议要求，要全面排查河道、水库、低洼易涝区和地下空间等重点部位，"
            "及时消除风险隐患；要充实抢险队伍，储备防汛物资，完善应急预案，"
            "确保一旦发生险情能够快速响应、有效处置。",
            "会议强调，要严格落实防汛责任制，加强值班值守和信息报送，"
            "确保人民群众生命财产安全，确保安全度汛。",
        ),
    ),
    Topic(
        "{place}举行重点项目集中开工活动",
        "{md}，{place}举行重点项目集中开工活动，此次集中开工项目涵盖先进制造业、"
        "现代服务业、基础设施和社会民生等领域。",
        (
            "据了解，本次集中开工的项目投资规模大、带动作用强、科技含量高，"
            "项目建成后将进一步优化产业结构，增强发展后劲，为经济稳定增长提供有力支撑。",
            "活动要求，各级各部门要坚持“项目为王”，强化要素保障，优化审批服务，"
            "倒排工期、挂图作战，推动项目早建成、早投产、早见效。",
            "各项目建设单位表示，将严格按照计划节点组织施工，在确保安全和质量的前提下，"
            "全力加快建设进度。",
        ),
    ),
    Topic(
        "{place}召开乡村振兴工作推进会",
        "{md}，{place}召开乡村振兴工作推进会，总结交流经验做法，部署推进下一阶段重点任务。",
        (
            "会议指出，要坚决守牢防止规模性返贫底线，健全防止返贫动态监测和帮扶机制，"
            "持续巩固拓展脱贫攻坚成果。",
            "会议要求，要因地制宜发展特色产业，壮大村级集体经济，深入开展人居环境整治，"
            "加快建设宜居宜业和美乡村。",
            "会上，部分乡镇和部门负责同志作交流发言，分享了发展特色种植、"
            "乡村旅游和农产品电商的做法和经验。",
        ),
    ),
    Topic(
        "{place}加快推进老旧小区改造",
        "今年以来，{place}把老旧小区改造作为重要民生实事，统筹推进水、电、气、暖等"
        "基础设施改造和小区环境提升。",
        (
            "在改造过程中，相关部门坚持“改什么、怎么改，群众说了算”，"
            "通过入户走访、召开居民议事会等方式广泛征求意见，实现改造方案由居民共同商定。",
            "改造后的小区道路平整、绿化提升、停车有序，部分小区还增设了电梯、"
            "充电桩和养老服务设施，居民的获得感、幸福感明显增强。",
            "下一步，{place}将加快推进在建项目，同步建立长效管理机制，"
            "确保老旧小区“改得好”更“管得好”。",
        ),
    ),
    Topic(
        "{place}召开生态环境保护工作会议",
        "{md}，{place}召开生态环境保护工作会议，通报环境质量状况，部署污染防治攻坚任务。",
        (
            "会议指出，要坚持精准治污、科学治污、依法治污，持续打好蓝天、碧水、净土保卫战，"
            "推动生态环境质量持续改善。",
            "会议要求，要聚焦工业企业、建筑工地、道路扬尘和机动车尾气等重点领域，"
            "强化联防联控，加强日常监管，坚决遏制环境违法行为。",
            "会议强调，要压紧压实生态环境保护责任，加强督导检查，"
            "以实际行动守护好蓝天白云、绿水青山。",
        ),
    ),
    Topic(
        "{place}深入开展“万人助万企”活动",
        "连日来，{place}各包联干部深入企业一线，面对面听取企业诉求，"
        "点对点解决发展难题，推动“万人助万企”活动走深走实。",
        (
            "在一家装备制造企业，包联干部详细了解企业生产经营、订单储备和用工情况，"
            "针对企业反映的融资难问题，当场协调金融机构对接，帮助企业争取信贷支持。",
            "活动开展以来，{place}累计走访企业数百家次，收集各类问题和诉求，"
            "绝大多数已办结，企业满意度持续提升。",
            "相关负责同志表示，将持续完善问题收集、交办、督办、反馈闭环机制，"
            "让企业安心经营、放心投资、专心创业。",
        ),
    ),
    Topic(
        "{place}召开民生实事项目推进会",
        "{md}，{place}召开民生实事项目推进会，逐项听取项目进展情况汇报，研究解决存在问题。",
        (
            "今年，{place}确定的民生实事涉及教育、医疗、养老、就业、交通等多个领域，"
            "目前各项目均按照时间节点有序推进。",
            "会议要求，各牵头单位要对标对表年度目标，细化工作措施，"
            "加快推进进度偏慢的项目，确保民生实事件件有着落、事事有回音。",
            "会议强调，要坚持把群众满意作为检验工作成效的标准，"
            "主动接受群众监督，把好事办好、实事办实。",
        ),
    ),
    Topic(
        "{place}举办春风行动专场招聘会",
        "{md}，{place}举办春风行动专场招聘会，为求职者和用人单位搭建双向选择平台。",
        (
            "招聘会现场人头攒动，参会企业涵盖制造、物流、商贸、医疗、教育等行业，"
            "提供技术工人、销售、文员、护理等岗位，吸引了众多求职者前来咨询。",
            "现场还设置了政策咨询台和技能培训报名点，工作人员为求职者讲解就业创业扶持政策，"
            "提供职业指导服务。",
            "据统计，当天进场求职人员一千余人次，初步达成就业意向数百人。",
        ),
    ),
    Topic(
        "{place}部署秋冬季大气污染防治工作",
        "{md}，{place}召开秋冬季大气污染防治工作会议，部署推进重点任务。",
        (
            "会议要求，要严格落实工地扬尘治理“六个百分百”要求，加强道路清扫保洁，"
            "强化散煤和秸秆禁烧管控，严格重污染天气应急减排措施。",
            "会议强调，各乡镇街道和有关部门要各司其职、密切配合，加强巡查检查，"
            "对发现的问题立行立改，全力改善空气质量。",
        ),
    ),
    Topic(
        "{place}召开教育工作会议",
        "{md}，{place}召开教育工作会议，总结过去一年教育工作，部署新学年重点任务。",
        (
            "会议指出，过去一年，{place}持续加大教育投入，新建改扩建一批中小学和幼儿园，"
            "新增学位数千个，办学条件明显改善，教育教学质量稳步提升。",
            "会议要求，要坚持立德树人根本任务，深化教育领域综合改革，"
            "加强教师队伍建设，推动义务教育优质均衡发展，办好人民满意的教育。",
            "会上还表彰了一批优秀教师和先进教育工作者。",
        ),
    ),
    Topic(
        "{place}开展消防安全宣传进社区活动",
        "为增强群众消防安全意识和自救互救能力，{md}，{place}消防救援部门走进社区，"
        "开展消防安全宣传活动。",
        (
            "活动现场，消防救援人员通过展板展示、发放宣传资料和现场讲解等方式，"
            "向居民普及家庭用火用电用气安全常识和初起火灾扑救方法。",
            "消防救援人员还现场演示了灭火器的使用方法，并邀请居民上手实操，"
            "现场气氛热烈。",
            "参加活动的居民表示，通过这次活动学到了实用的消防知识，"
            "今后将主动排查家中安全隐患。",
        ),
    ),
    Topic(
        "{place}召开文旅融合发展推进会",
        "{md}，{place}召开文旅融合发展推进会，研究部署推进文化和旅游深度融合发展。",
        (
            "会议指出，要深入挖掘本地历史文化资源，打造一批具有地域特色的文旅品牌，"
            "丰富夜间消费和沉浸式体验场景，推动文旅产业提质升级。",
            "会议要求，要加强旅游基础设施建设，提升景区服务管理水平，"
            "加大文旅宣传推介力度，持续擦亮城市名片。",
        ),
    ),
    Topic(
        "{place}召开党风廉政建设工作会议",
        "{md}，{place}召开党风廉政建设和反腐败工作会议，总结工作，部署任务。",
        (
            "会议强调，要坚定不移推进全面从严治党，持之以恒落实中央八项规定精神，"
            "坚决纠治形式主义、官僚主义，持续深化整治群众身边的不正之风和腐败问题。",
            "会议要求，各级党组织要切实履行主体责任，领导干部要严于律己、严负其责、严管所辖，"
            "营造风清气正的良好政治生态。",
        ),
    ),
    Topic(
        "{place}推进冬春农田水利建设",
        "眼下正值冬春农田水利建设的关键时期，{place}各地抢抓有利时机，"
        "加快推进高标准农田建设和水利设施修复。",
        (
            "在施工现场，挖掘机来回作业，工人们正在铺设灌溉管道、修整田间道路，"
            "一派繁忙景象。",
            "据介绍，项目建成后，将有效改善农业生产条件，提高农田灌溉保证率，"
            "为粮食稳产增产打下坚实基础。",
        ),
    ),
)

def _month_day(moment: datetime) -> str:
    return f"{moment.month}月{moment.day}日"


def _layout_breaks(paragraph: str, rng: random.Random) -> tuple[str, ...]:
    """Break a printed paragraph in the middle the way e-paper layout does, now and then."""
    if len(paragraph) < 60 or rng.random() < 0.6:
        return (paragraph,)
    cut = rng.randrange(20, len(paragraph) - 10)
    return (paragraph[:cut], paragraph[cut:])


def _generated_story(rules: Generated, number: int, moment: datetime,
                     rng: random.Random) -> Story:
    topic = TOPICS[number % len(TOPICS)]
    fill = {"place": rules.place, "md": _month_day(moment - timedelta(days=1))}
    title = topic.title.format(**fill)
    lead = topic.lead.format(**fill)
    body = [paragraph.format(**fill) for paragraph in topic.body]
    reporters = rules.reporters
    if number % rules.lead_every == 0 and (reporters or "{names}" not in rules.lead):
        count = min(rules.names_max if number % 3 == 0 else 1, len(reporters))
        names = " ".join(rng.sample(reporters, count)) if reporters else ""
        lead = rules.lead.format(names=names, lead=lead)
    lines = [lead, *body]
    if rules.layout_breaks:
        lines = [piece for line in lines for piece in _layout_breaks(line, rng)]
    if rules.closing_byline and reporters and number % 2 == 1:
        lines.append(rules.closing_byline.format(name=reporters[0]))
    return Story(title=title, lines=tuple(lines))


def _generated_article(site: str, rules: Generated, number: int) -> ReplicaArticle:
    rng = random.Random(f"{site}:{number}")
    newest = rules.newest or datetime(2024, 1, 1)
    if rules.articles_per_day:
        moment = newest - timedelta(days=number // rules.articles_per_day)
    else:
        moment = newest - timedelta(days=number * 2 + rng.randrange(2), hours=rng.randrange(6),
                                    minutes=rng.randrange(60))
    story_count = 1 + number % rules.max_stories
    stories = tuple(
        _generated_story(rules, number * 7 + index, moment, rng) for index in range(story_count)
    )
    authors: tuple[str, ...] = ()
    first = stories[0].lines[0]
    for name in rules.reporters:
        closing = rules.closing_byline.format(name=name) if rules.closing_byline else None
        if name in first or closing in stories[0].lines:
            authors += (name,)
    return ReplicaArticle(site, number, moment, stories, authors=authors, source=rules.source)


def _mirror_article(site: str, source: str | None, article: ReplicaArticle) -> ReplicaArticle:
    """An article as a traditional-script gateway serves it (pinyin notes, stray commas)."""
    rng = random.Random(f"{site}:{article.number}")
    stories = tuple(
        Story(
            title=to_mirror_text(story.title, rng),
            lines=tuple(to_mirror_text(line, rng) for line in story.lines),
        )
        for story in article.stories
    )
    authors = tuple(to_traditional(name) for name in article.authors)
    return ReplicaArticle(site, article.number, article.published_at, stories, authors=authors,
                          source=source)


def _mirrored(site: ReplicaSite) -> ReplicaSite:
    """The site whose generated articles `site` mirrors (a sibling folder of the seeds)."""
    name = site.content.generated.mirror_of or site.name
    return ReplicaSite(name, site.folder.parent.parent / name / REPLICA_DIR)


def build_corpus(site: ReplicaSite, per_site: int = 24) -> tuple[ReplicaArticle, ...]:
    """A replica site's articles, newest first: its listed articles plus generated ones."""
    return _corpus(site.folder, site.name, per_site)


@cache
def _corpus(folder: Path, name: str, per_site: int) -> tuple[ReplicaArticle, ...]:
    site = ReplicaSite(name, folder)
    rules = site.content.generated
    listed = [listed_article(name, data) for data in site.content.article]
    taken = {article.number for article in listed}
    numbers = [number for number in range(1, per_site + len(taken) + 1) if number not in taken]
    numbers = numbers[: max(per_site - len(listed), 0)]
    if rules.mirror_of:
        original = _mirrored(site)
        generated = [_mirror_article(name, rules.source, _generated_article(
            original.name, original.content.generated, number)) for number in numbers]
    else:
        generated = [_generated_article(name, rules, number) for number in numbers]
    return tuple(sorted([*listed, *generated], key=lambda item: item.published_at,
                        reverse=True))
