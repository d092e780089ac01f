"""Golden pages of the five seed-source sites, rendered with the replica's own templates.

`python -m tests.gold.seed_pages` writes them into each site's folder, `seeds/<site>/golden/`
(read every `expected.jsonl` before committing it).

The seed articles are the seed texts inside their site's page; the other pages put stories from
`tests/gold/stories.py` into the same templates (the 济源网 traditional mirror renders them the
way its gateway does: traditional script, pinyin notes, stray commas). The truth of a seed page is
the seed text with its damage undone by hand (rules below, then read line by line); the truth of
a story page is the story as written.
"""

from __future__ import annotations

import json
import random
import re
import shutil
from collections.abc import Callable
from datetime import datetime
from typing import Any

import orjson
from opencc import OpenCC

from crawler.replica import content, mirror, templates
from crawler.replica.content import ReplicaArticle, Story
from crawler.replica.site import ReplicaSite, load_replicas
from crawler.replica.templates import Link
from crawler.sites import SEEDS_DIR
from crawler.urls import canonical_url
from tests.gold.stories import STORIES, GoldStory

WriteCase = Callable[[str, bytes, dict[str, Any], list[dict[str, Any]]], None]

_PINYIN = re.compile(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+\)")
_SENTENCE_END = ("。", "！", "？", "”", "」", "）", ")", "：")

# Seed 002's byte-level damage, undone by reading the GBK bytes (see the seeds' README): a lost
# byte shifted `。”示範區` (A1A3 A1B1 CABE B9A0 855E) to `?` + `！笔痉秴^` (the ！ width-folded),
# likewise `。”河南黃` to `?!焙幽宵S`, sometimes after a stray comma; and a broken pinyin note
# swallowed 爭 in 奮勇爭先.
SEED_002_FIXES = (
    (re.compile(r",?\?!笔痉秴\^"), "。”示範區"),
    (re.compile(r",?\?!焙幽宵S"), "。”河南黃"),
    (re.compile(re.escape("奮勇?tīng)?zhēng)先")), "奮勇爭先"),
)

RELATED = (
    Link("/system/2023/03/01/010301001.shtml", "示范区召开优化营商环境工作会议", "2023-03-01"),
    Link("/system/2023/02/27/010300871.shtml", "示范区春季植树活动启动", "2023-02-27"),
    Link("/system/2023/02/25/010300702.shtml", "王屋山景区推出春季旅游线路", "2023-02-25"),
    Link("/system/2023/02/22/010300511.shtml", "示范区开展安全生产专项检查", "2023-02-22"),
)


def _t2s(text: str) -> str:
    return str(OpenCC("t2s").convert(text))


def _joined(lines: list[str]) -> list[str]:
    """Paragraphs with layout breaks undone: a line that does not end a sentence continues on
    the next line."""
    paragraphs: list[str] = []
    for line in (raw.strip() for raw in lines):
        if not line:
            continue
        if paragraphs and not paragraphs[-1].endswith(_SENTENCE_END):
            paragraphs[-1] += line
        else:
            paragraphs.append(line)
    return paragraphs


def _record(url: str, title: str, published: str, authors: list[str], source: str | None,
            paragraphs: list[str], part: int = 1, parts: int = 1) -> dict[str, Any]:
    return {"url": canonical_url(url), "title": title, "published_at": published,
            "authors": authors, "source": source, "text": "\n".join(paragraphs),
            "part": part, "parts": parts}


def _replica(site: str) -> ReplicaSite:
    return load_replicas(SEEDS_DIR, [site])[site]


def _seed(site: str) -> ReplicaArticle:
    return next(a for a in content.build_corpus(_replica(site), 5) if a.seed)


def _url(site: str, article: ReplicaArticle) -> str:
    replica = _replica(site)
    return f"{replica.serving.scheme}://{replica.host}{templates.article_path(replica, article)}"


def _content_type(site: str, *, lie: bool = False) -> str:
    return templates.content_type(_replica(site), lie=lie)


def _meta(url: str, content_type: str | None, family: str, case: str) -> dict[str, Any]:
    return {"url": url, "charset": content_type,
            "served": "http" if content_type else "file (no HTTP header)", "family": family,
            "encoding": "", "encoding_case": case, "bom": False, "mojibake": False}


def _iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S+08:00")


def _story_article(site: str, number: int, story: GoldStory, *, traditional: bool = False,
                   source: str | None = None) -> ReplicaArticle:
    moment = datetime.fromisoformat(story.published[:19])
    paragraphs: tuple[str, ...] = story.paragraphs
    title = story.title
    if traditional:
        rng = random.Random(number)
        paragraphs = tuple(mirror.to_mirror_text(p, rng) for p in paragraphs)
        title = mirror.to_mirror_text(title, rng)
    return ReplicaArticle(site, number, moment, (Story(title, paragraphs),),
                          authors=story.authors, source=source or story.source)


def build_seed_cases(write_case: WriteCase) -> None:
    """Write the seed-site gold cases through `write_case(name, body, meta, records)`."""
    for name, site, article, records, content_type, kwargs in _cases():
        replica = _replica(site)
        body = templates.render_article(replica, article, **kwargs)
        meta = _meta(_url(site, article), content_type, f"replica:{site}",
                     f"{replica.encoding} as the site serves it")
        meta["encoding"] = replica.encoding
        write_case(f"{site}/golden/{name}", body, meta, records)


def _cases() -> list[tuple[str, str, ReplicaArticle, list[dict[str, Any]], str | None,
                           dict[str, Any]]]:
    cases = []

    jy = _seed("jynews")
    cases.append(("seed_jynews_000", "jynews", jy, [_record(
        _url("jynews", jy), jy.title, _iso(jy.published_at), ["郑海波"], "济源网",
        [line.strip() for line in jy.lines])], _content_type("jynews"), {}))

    big5 = _seed("jynews_big5")
    text = "\n".join(big5.lines)
    for damaged, repaired in SEED_002_FIXES:
        text = damaged.sub(repaired, text)
    text = _PINYIN.sub("", text)
    text = re.sub(r",([、。,])", r"\1", text)
    text = _t2s(text).removesuffix("(记者 张恒)")
    cases.append(("seed_jynews_big5_002", "jynews_big5", big5, [_record(
        _url("jynews_big5", big5), _t2s(_PINYIN.sub("", big5.title)), _iso(big5.published_at),
        ["张恒"], "济源网", text.split("\n"))], _content_type("jynews_big5"), {}))

    mj = _seed("mengjin")
    cases.append(("seed_mengjin_001", "mengjin", mj, [_record(
        _url("mengjin", mj), mj.title, _iso(mj.published_at), [], "孟津区融媒体中心",
        [line.strip() for line in mj.lines])], _content_type("mengjin"), {
        "previous": Link("/news/zwyw/202212/t20221230_2300998.html",
                         "市商务局局长刘健带队调研指导北关区分包农村“五星”支部创建工作"),
        "following": Link("/news/zwyw/202301/t20230102_2301001.html",
                          "林州市委书记王宝玉约谈部分单位“一把手”")}))

    for name, site in (("seed_zzwb_003", "zzwb"), ("seed_zzzy_004", "zzzy")):
        paper = _seed(site)
        records = []
        for part, story in enumerate(paper.stories, start=1):
            lines = list(story.lines)
            byline: list[str] = []
            while lines and re.match(r"^(记者|通讯员)", lines[-1].strip()):
                byline.insert(0, lines.pop().strip())
            lead = re.match(r"本报讯\(([^)]*)\)", lines[0])
            credit = " ".join(byline) or (lead.group(1) if lead else "")
            names = [n for n in re.split(r"[\s·]+", re.sub(
                r"正观新闻|郑州晚报|见习记者|记者|通讯员|/图", " ", credit)) if n]
            # A kicker (引题) prints above the headline; the record title carries both, joined
            # by a space, the way seed 003's first story already prints them on one line.
            title = f"{story.kicker} {story.title}" if story.kicker else story.title
            records.append(_record(_url(site, paper), title,
                                   _iso(paper.published_at) if site == "zzzy"
                                   else paper.published_at.strftime("%Y-%m-%dT00:00:00+08:00"),
                                   names, paper.source if site == "zzzy" else None,
                                   _joined(lines), part, len(paper.stories)))
        cases.append((name, site, paper, records, _content_type(site), {}))

    volunteer = _story_article("jynews", 3001, STORIES["jiyuan_volunteer"])
    cases.append(("jynews_volunteer_gbk", "jynews", volunteer, [_story_record(
        "jynews", volunteer, STORIES["jiyuan_volunteer"])], None, {"related": RELATED}))

    heritage = _story_article("jynews_big5", 3002, STORIES["jiyuan_heritage"], traditional=True,
                              source="濟源網")
    cases.append(("jynews_big5_heritage_pinyin", "jynews_big5", heritage, [_story_record(
        "jynews_big5", heritage, STORIES["jiyuan_heritage"])],
        _content_type("jynews_big5"), {"related": RELATED}))

    culture = _story_article("mengjin", 3003, STORIES["mengjin_culture"])
    cases.append(("mengjin_culture_attachments", "mengjin", culture, [_story_record(
        "mengjin", culture, STORIES["mengjin_culture"])], _content_type("mengjin"), {
        "attachments": [Link("/uploadfiles/2023/01/yanchu.doc", "演出节目单.doc")],
        "previous": Link("/news/zwyw/202301/t20230117_2303002.html", "孟津区开展春节前安全检查"),
        "following": Link("/news/zwyw/202301/t20230119_2303004.html",
                          "孟津区召开春节期间市场保供会议")}))

    street = _story_article("zzzy", 3004, STORIES["zhongyuan_street"])
    cases.append(("zzzy_street_wrong_header", "zzzy", street, [_story_record(
        "zzzy", street, STORIES["zhongyuan_street"])],
        _content_type("zzzy", lie=True), {"related": RELATED}))
    return cases


def _story_record(site: str, article: ReplicaArticle, story: GoldStory) -> dict[str, Any]:
    return _record(_url(site, article), story.title, story.published, list(story.authors),
                   story.source, list(story.paragraphs))


def _write_case(name: str, body: bytes, meta: dict[str, Any],
                records: list[dict[str, Any]]) -> None:
    """Write one case directory under the registry (replacing what was there)."""
    target = SEEDS_DIR / name
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    (target / "page.html").write_bytes(body)
    (target / "meta.json").write_text(json.dumps(meta, ensure_ascii=False, indent=2) + "\n",
                                      encoding="utf-8")
    (target / "expected.jsonl").write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in records))


if __name__ == "__main__":
    build_seed_cases(_write_case)
