"""Pages of a replica site: its Jinja2 templates filled with articles, lists and URL layout.

A site's markup lives in its folder (`seeds/<site>/replica/*.html`), each page with the
surroundings an extractor must drop: navigation, breadcrumbs, share bars, related lists with
dates, prev/next links and footers with ICP numbers. This module only computes what the templates
show (paths, pager, edition navigation) and encodes the page in the site's own encoding.

Templates see `site` (the `replica.toml` values), `home` (the first list page) and
`edition_label(day)` (`2022年08月24日 星期三`); an article page `article` (a `ReplicaArticle`),
`related`, `previous`, `following`, `attachments` (`Link`s), and on an e-paper `day` and
`first_node` (the edition's first layout page); a list page `entries`, `page`, `pages` and
`pager` (`PagerLink`s); an e-paper layout page `day`, `node`, `node_index`, `nodes`, `entries`,
`previous_edition` and `next_edition`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from crawler.replica.content import ReplicaArticle
from crawler.replica.site import ReplicaSite

WEEKDAYS = ("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日")
RELATED_NUMBER = 90_000
"""Numbers of the teaser links of a listed article's own related list (they lead nowhere)."""


@dataclass(frozen=True)
class Link:
    """A link on a page: target (path or absolute URL), text and an optional date label."""

    href: str
    text: str
    date: str | None = None


@dataclass(frozen=True)
class PagerLink:
    """One entry of a list page's pagination bar; `href` is None for the current page."""

    text: str
    href: str | None
    rel: str = ""


def edition_label(day: date) -> str:
    """How an e-paper prints its edition date."""
    return f"{day.year}年{day.month:02d}月{day.day:02d}日 {WEEKDAYS[day.weekday()]}"


# ---------------------------------------------------------------------------------------------
# URL layout
# ---------------------------------------------------------------------------------------------


def article_path(site: ReplicaSite, article: ReplicaArticle) -> str:
    """The path of an article page on its site."""
    return article_path_for(site, article.number, article.published_at.date())


def article_path_for(site: ReplicaSite, number: int, day: date) -> str:
    """The path of article `number` published on `day`."""
    return site.serving.article_path.format(day=day, id=site.serving.id_base + number)


def list_path(site: ReplicaSite, page: int, edition: date | None = None) -> str:
    """The path of list page `page` (1-based); for an e-paper, layout page `page` of `edition`."""
    serving = site.serving
    if serving.edition is not None:
        if edition is None:
            raise ValueError("an e-paper layout page needs its edition date")
        return serving.edition.page.format(day=edition, node=serving.edition.nodes[page - 1].node)
    assert serving.lists is not None
    if page == 1:
        return serving.lists.first
    return serving.lists.page.format(page=page, index=page - 1)


def content_type(site: ReplicaSite, *, lie: bool = False) -> str:
    """The Content-Type header a site sends; `lie` gives the wrong-charset variant."""
    serving = site.serving
    if lie:
        wrong = "utf-8" if serving.encoding != "utf-8" else "gbk"
        return f"text/html; charset={wrong}"
    if serving.header_charset:
        return f"text/html; charset={serving.header_charset}"
    return "text/html"


def article_link(site: ReplicaSite, article: ReplicaArticle) -> Link:
    """The list-page link of an article: its path, title and date label."""
    return Link(article_path(site, article), article.title, f"{article.published_at:%Y-%m-%d}")


# ---------------------------------------------------------------------------------------------
# Rendering
# ---------------------------------------------------------------------------------------------


def _render(site: ReplicaSite, template: str, **values: Any) -> bytes:
    page = site.template(template).render(site=site.serving, edition_label=edition_label,
                                          home=list_path(site, 1, values.get("day")),
                                          **values)
    return page.encode(site.encoding, errors="xmlcharrefreplace")


def render_article(
    site: ReplicaSite,
    article: ReplicaArticle,
    *,
    related: Sequence[Link] = (),
    previous: Link | None = None,
    following: Link | None = None,
    attachments: Sequence[Link] = (),
) -> bytes:
    """An article page as served: HTML bytes in the site's encoding.

    A listed article with its own related teasers shows those when `related` is not given."""
    if not related and article.related:
        related = [Link(article_path_for(site, RELATED_NUMBER + index, date.fromisoformat(day)),
                        teaser, day) for index, (teaser, day) in enumerate(article.related)]
    day = article.published_at.date()
    return _render(site, "article.html", article=article, related=list(related),
                   previous=previous, following=following, attachments=list(attachments),
                   day=day if site.layout == "epaper" else None,
                   first_node=list_path(site, 1, day) if site.layout == "epaper" else None)


def pager(site: ReplicaSite, page: int, pages: int) -> list[PagerLink]:
    """The pagination bar of list page `page` of `pages`: first, previous, numbers, next, last."""
    bar = [PagerLink("首页", list_path(site, 1), "first")]
    if page > 1:
        bar.append(PagerLink("上一页", list_path(site, page - 1), "prev"))
    bar += [PagerLink(str(number), None if number == page else list_path(site, number))
            for number in range(1, pages + 1)]
    if page < pages:
        bar.append(PagerLink("下一页", list_path(site, page + 1), "next"))
    bar.append(PagerLink("尾页", list_path(site, pages), "last"))
    return bar


def render_list(site: ReplicaSite, entries: Sequence[Link], *, page: int, pages: int) -> bytes:
    """A list page (1-based `page` of `pages`) of a news site with its pagination bar."""
    if site.layout == "epaper":
        raise ValueError(f"{site.name} has no list pages; its layout pages come from "
                         "render_edition")
    return _render(site, "list.html", entries=list(entries), page=page, pages=pages,
                   pager=pager(site, page, pages))


def render_edition(site: ReplicaSite, day: date, node_index: int, entries: Sequence[Link],
                   previous_edition: str | None, next_edition: str | None) -> bytes:
    """An e-paper layout page (`node_N.htm`) of edition `day`: its directory and articles."""
    nodes = [(node, list_path(site, index, day)) for index, node in enumerate(site.nodes, 1)]
    return _render(site, "edition.html", day=day, node=site.nodes[node_index - 1],
                   node_index=node_index, nodes=nodes, entries=list(entries),
                   previous_edition=previous_edition, next_edition=next_edition)
