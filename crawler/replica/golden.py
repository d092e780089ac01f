"""Golden pages of a replica site: its listed articles rendered, with their truth from the
content list (`python -m crawler.replica.golden SITE [--seeds DIR]`).

Each listed article that is not a seed page becomes `seeds/<site>/golden/<site>_<number>/`:
`page.html` as the replica serves it, `meta.json` (URL, Content-Type, family) and
`expected.jsonl`, written from the content list (what was put into the page), never from the
extractor. Seed pages, whose truth needs their damage undone by hand, are written by
`tests/gold/seed_pages.py`. Read every `expected.jsonl` before committing it.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

import orjson

from crawler.replica.content import ReplicaArticle, build_corpus
from crawler.replica.site import ReplicaSite, load_replicas
from crawler.replica.templates import article_path, content_type, render_article
from crawler.sites import SEEDS_DIR
from crawler.urls import canonical_url


def truth(site: ReplicaSite, article: ReplicaArticle) -> list[dict[str, Any]]:
    """The records a reader finds on the article's page: one per story, title with its kicker."""
    url = canonical_url(f"{site.serving.scheme}://{site.host}{article_path(site, article)}")
    published = article.published_at.strftime("%Y-%m-%dT%H:%M:%S+08:00")
    return [{"url": url, "title": f"{story.kicker} {story.title}" if story.kicker else story.title,
             "published_at": published, "authors": list(article.authors),
             "source": article.source, "text": "\n".join(story.lines), "part": part,
             "parts": len(article.stories)}
            for part, story in enumerate(article.stories, start=1)]


def write_case(folder: Path, body: bytes, meta: dict[str, Any],
               records: list[dict[str, Any]]) -> None:
    """Write one golden case folder: page.html, meta.json, expected.jsonl."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "page.html").write_bytes(body)
    (folder / "meta.json").write_text(json.dumps(meta, ensure_ascii=False, indent=2) + "\n",
                                      encoding="utf-8")
    (folder / "expected.jsonl").write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in records))


def write_listed_cases(site: ReplicaSite, seeds: Path) -> list[Path]:
    """Write the golden case of every listed, non-seed article of `site`; their folders."""
    written = []
    for article in build_corpus(site):
        if article.seed is not None or not article.listed:
            continue
        records = truth(site, article)
        served = content_type(site)
        meta = {"url": records[0]["url"], "charset": served, "served": "http",
                "family": f"replica:{site.name}", "encoding": site.encoding,
                "encoding_case": f"{site.encoding} as the site serves it", "bom": False,
                "mojibake": False}
        folder = seeds / site.name / "golden" / f"{site.name}_{article.number:03d}"
        write_case(folder, render_article(site, article), meta, records)
        written.append(folder)
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sites", nargs="+", metavar="SITE")
    parser.add_argument("--seeds", type=Path, default=SEEDS_DIR)
    args = parser.parse_args()
    for name, site in load_replicas(args.seeds, args.sites).items():
        for folder in write_listed_cases(site, args.seeds):
            print(f"{name}: wrote {folder}")


if __name__ == "__main__":
    main()
