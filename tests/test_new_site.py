"""`govnews new-site`: a site folder proposed from two saved pages, then checked by check-site.

One test adds a site the way a maintainer does: save a list page and an article page, run
`new-site` into a fresh registry directory, read the golden entry and edit only the new folder,
then `check-site` crawls its replica. Another runs `new-site` on a real government page from
`../shared/realpages` (skipped when that folder is absent; its pages never enter the repository).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from benchmarks.eval import f1, ngrams
from crawler.new_site import REVIEW_FLAG, path_template, url_regex
from crawler.replica.content import build_corpus
from crawler.replica.server import Replica
from crawler.replica.templates import article_path
from crawler.sites import SEEDS_DIR, load_site, load_sites
from flows.cli import main

REALPAGES = Path(__file__).resolve().parent.parent.parent / "shared" / "realpages"


def test_url_shapes_generalise_dates_and_numbers() -> None:
    assert url_regex("/art/2016/11/22/art_1621004_30332664.html") == (
        r"/art/\d{4}/\d{2}/\d{2}/art_\d+_\d+\.html$")
    assert path_template("/art/2016/11/22/art_1621004_30332664.html") == (
        "/art/{day:%Y/%m/%d}/art_1621004_{id}.html", 30332664)
    assert path_template("/system/2020/05/08/010000000.shtml") == (
        "/system/{day:%Y/%m/%d}/{id:09d}.shtml", 10000000)


def save_replica_pages(tmp_path: Path) -> tuple[Path, Path, str, str]:
    """A list page and an article page of the 孟津区 replica, saved as a browser would."""
    replica = Replica(seeds=SEEDS_DIR)
    site_map = replica.sites["mengjin"]
    listing = replica.reply(site_map.host, "/news/zwyw/index.html").body
    article = next(item for item in build_corpus(site_map.replica) if item.number == 3)
    path = article_path(site_map.replica, article)
    body = replica.reply(site_map.host, path).body
    (tmp_path / "list.html").write_bytes(listing)
    (tmp_path / "article.html").write_bytes(body)
    return (tmp_path / "list.html", tmp_path / "article.html",
            f"http://www.newcounty.gov.cn{path}", "http://www.newcounty.gov.cn/news/zwyw/index.html")


@pytest.mark.slow
def test_a_new_site_is_one_folder_and_check_site_passes(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    list_file, article_file, url, list_url = save_replica_pages(tmp_path)
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    assert main(["new-site", "newcounty", "--list", str(list_file), "--article",
                 str(article_file), "--url", url, "--list-url", list_url,
                 "--seeds", str(seeds)]) == 0
    printed = capsys.readouterr().out
    assert "on the list page) in //ul[@class='list']" in printed
    site = load_site(seeds / "newcounty" / "site.toml")
    assert site.links.article_url == [r"/\d{4}/\d{2}\-\d{2}/\d+\.html$"]
    assert site.links.next_page_xpath == "//a[normalize-space()='下一页']"
    assert site.extract.content_xpath == "//div[@id='zoom']"
    assert site.extract.title_xpath == "//meta[@name='ArticleTitle']/@content"
    assert site.extract.date_xpath == "//meta[@name='PubDate']/@content"
    assert site.encoding == "utf-8"

    # The maintainer reads the golden entry, finds it right, and clears the review flag.
    golden = seeds / "newcounty" / "golden" / "newcounty_sample"
    (record,) = [json.loads(line) for line in
                 (golden / "expected.jsonl").read_text(encoding="utf-8").splitlines()]
    assert record["url"] == url and record["title"] == "孟津区加快推进老旧小区改造"
    meta = json.loads((golden / "meta.json").read_text(encoding="utf-8"))
    del meta[REVIEW_FLAG]
    (golden / "meta.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    # …and gives the site its title: an edit inside its folder only.
    toml = seeds / "newcounty" / "site.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace(
        'title = "www.newcounty.gov.cn"', 'title = "新县政务要闻"'), encoding="utf-8")
    assert load_sites(seeds)["newcounty"].title == "新县政务要闻"

    assert main(["check-site", "newcounty", "--seeds", str(seeds), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["counts"]["articles"] >= 20
    assert record["title"] in {article["title"] for article in report["articles"]}
    assert {"http 404", "timeout"} <= {failure["reason"] for failure in report["failures"]}


def test_new_site_refuses_an_existing_folder(tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    list_file, article_file, url, list_url = save_replica_pages(tmp_path)
    (tmp_path / "seeds" / "newcounty").mkdir(parents=True)
    assert main(["new-site", "newcounty", "--list", str(list_file), "--article",
                 str(article_file), "--url", url, "--list-url", list_url,
                 "--seeds", str(tmp_path / "seeds")]) == 2
    assert "already exists" in capsys.readouterr().err


def test_check_site_without_a_replica_suggests_new_site(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "seeds" / "bare"
    folder.mkdir(parents=True)
    (folder / "site.toml").write_text((SEEDS_DIR / "mengjin" / "site.toml").read_text(
        encoding="utf-8"), encoding="utf-8")
    assert main(["check-site", "bare", "--seeds", str(tmp_path / "seeds")]) == 2
    error = capsys.readouterr().err
    assert "has no replica" in error and "govnews new-site bare" in error
    assert "http 502" not in error


@pytest.mark.slow
@pytest.mark.skipif(not REALPAGES.is_dir(), reason="../shared/realpages is not beside the project")
def test_new_site_on_a_real_government_page(tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    page = REALPAGES / "pages" / "gzggw-1.html"
    truth = json.loads((REALPAGES / "truth" / "gzggw-1.json").read_text(encoding="utf-8"))
    seeds = tmp_path / "seeds"
    assert main(["new-site", "zjfgw", "--list", str(page), "--article", str(page),
                 "--seeds", str(seeds)]) == 0
    printed = capsys.readouterr().out
    assert "no link on the list page has the article URL's shape" in printed
    site = load_site(seeds / "zjfgw" / "site.toml")
    assert site.allowed_domains == ["fgw.zj.gov.cn"]
    assert site.start_urls == ["http://fgw.zj.gov.cn/col/col1621004/index.html"]
    assert site.links.article_url == [r"/art/\d{4}/\d{2}/\d{2}/art_\d+_\d+\.html$"]
    (record,) = [json.loads(line) for line in (seeds / "zjfgw" / "golden" / "zjfgw_sample"
                                                / "expected.jsonl").read_text("utf-8").splitlines()]
    assert record["url"] == truth["url"]
    assert record["title"] == truth["title"]
    assert record["published_at"].startswith(truth["published"])
    assert f1(ngrams(record["text"]), ngrams(truth["body"])) >= 0.9
    assert main(["check-site", "zjfgw", "--seeds", str(seeds)]) == 0
    assert not list(Path(__file__).resolve().parent.parent.glob("seeds/zjfgw"))
