"""The site registry: the shipped seeds/*.toml files load, and bad files fail with file + field."""

from __future__ import annotations

import argparse
import json
import re
from datetime import date, datetime
from pathlib import Path

import pytest

from crawler.extract import ExtractRules
from crawler.replica.site import load_replicas
from crawler.sites import (
    CRON_NICKNAMES,
    SEEDS_DIR,
    Epaper,
    SiteConfigError,
    load_site,
    load_sites,
    validate_cron,
)
from crawler.sites_cli import add_sites_arguments, run_sites

SITES = sorted(load_replicas(SEEDS_DIR))

MINIMAL = """
title = "测试站"
allowed_domains = ["www.example.gov.cn"]
start_urls = ["http://www.example.gov.cn/news/index.html"]
[links]
article_url = ['/news/t\\d+_\\d+\\.html$']
"""


def write_site(tmp_path: Path, name: str, text: str) -> Path:
    folder = tmp_path / "seeds" / name
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "site.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_shipped_sites_load() -> None:
    sites = load_sites(SEEDS_DIR)
    assert set(sites) == set(SITES)
    for name, site in sites.items():
        assert site.name == name
        assert isinstance(site.extract_rules(), ExtractRules)
        assert all(site.allows(url) for url in site.start_urls)
    assert sites["zzwb"].layout == "epaper"
    assert {site.layout for site in sites.values()} == {"news", "epaper"}


@pytest.mark.parametrize("name", SITES)
def test_every_site_says_what_is_unverified(name: str) -> None:
    text = (SEEDS_DIR / name / "site.toml").read_text(encoding="utf-8")
    assert "UNVERIFIED" in text


def test_every_site_has_a_replica() -> None:
    assert set(load_sites(SEEDS_DIR)) == set(SITES)


def test_minimal_site_gets_defaults(tmp_path: Path) -> None:
    site = load_site(write_site(tmp_path, "example", MINIMAL))
    assert site.name == "example"
    assert site.layout == "news"
    assert site.politeness.delay == 1.0
    assert site.extract_rules().encoding is None


@pytest.mark.parametrize(
    ("addition", "field"),
    [
        ("[politeness]\ndelay = -1\n", "politeness.delay"),
        ("[politeness]\nconcurrency = 0\n", "politeness.concurrency"),
        ("[limits]\nmax_pages = 0\n", "limits.max_pages"),
        ("[limits]\nsince = \"yesterday\"\n", "limits.since"),
        ("[extract]\ncontent_selector = \"#zoom\"\n", "extract.content_selector"),
        ("colour = \"red\"\n", "links.colour"),
        ("[extract]\ncontent_xpath = \"//div[@id='zoom'\"\n", "extract.content_xpath"),
        ("[extract]\nremove_xpaths = [\"//div[\"]\n", "extract.remove_xpaths"),
        ("[extract]\ncontent_css = \"div##zoom\"\n", "extract.content_css"),
        ("article_xpath = \"//ul[\"\n", "links.article_xpath"),
        ("[extract]\nrejoin_lines = \"yes\"\n", "extract.rejoin_lines"),
        ("[extract]\nrejoin_lines = 1\n", "extract.rejoin_lines"),
    ],
)
def test_bad_field_names_file_and_field(tmp_path: Path, addition: str, field: str) -> None:
    path = write_site(tmp_path, "bad", MINIMAL + addition)
    with pytest.raises(SiteConfigError) as error:
        load_site(path)
    assert str(error.value).startswith(f"seeds/bad/site.toml: field '{field}'")


def test_bad_values_in_top_level_fields(tmp_path: Path) -> None:
    cases = {
        'schedule = "every day"\n': "schedule",
        'encoding = "klingon"\n': "encoding",
        'layout = "forum"\n': "layout",
    }
    for prefix, field in cases.items():
        path = write_site(tmp_path, "bad", prefix + MINIMAL)
        with pytest.raises(SiteConfigError, match=f"seeds/bad/site.toml: field '{field}'"):
            load_site(path)


def test_bad_regex_and_offsite_start(tmp_path: Path) -> None:
    path = write_site(tmp_path, "bad", MINIMAL.replace("t\\d+_", "t(\\d+_"))
    message = re.escape("field 'links.article_url': not a regular")
    with pytest.raises(SiteConfigError, match=message):
        load_site(path)
    path = write_site(tmp_path, "bad", MINIMAL.replace("http://www.", "http://elsewhere."))
    with pytest.raises(SiteConfigError, match="outside allowed_domains"):
        load_site(path)


def test_epaper_needs_its_table(tmp_path: Path) -> None:
    path = write_site(tmp_path, "paper", 'layout = "epaper"\n' + MINIMAL)
    with pytest.raises(SiteConfigError, match="needs an \\[epaper\\] table"):
        load_site(path)


def test_unreadable_files(tmp_path: Path) -> None:
    with pytest.raises(SiteConfigError, match=re.escape("seeds/broken/site.toml: not valid TOML")):
        load_site(write_site(tmp_path, "broken", "title = \n"))
    with pytest.raises(SiteConfigError, match="field 'name'"):
        load_site(write_site(tmp_path, "named", 'name = "other"\n' + MINIMAL))
    with pytest.raises(SiteConfigError, match="no such directory"):
        load_sites(tmp_path / "missing")


VALID_CRON = ["0 6 * * *", "*/15 8-18 * * 1-5", "30 7 1,15 jan mon", "0 0 29 2 *", "@daily",
              "@hourly", "@weekly"]


@pytest.mark.parametrize("expression", VALID_CRON)
def test_valid_cron(expression: str) -> None:
    assert validate_cron(expression) == expression


@pytest.mark.parametrize("expression", ["0 6 * *", "61 6 * * *", "0 25 * * *", "0 6 * * 9",
                                        "*/0 * * * *", "0 18-6 * * *", "0 8 31 2 *",
                                        "0 0 30 2 *", "@reboot"])
def test_invalid_cron(expression: str) -> None:
    with pytest.raises(ValueError):
        validate_cron(expression)


@pytest.mark.parametrize("expression", VALID_CRON)
def test_prefect_accepts_every_schedule_we_accept(expression: str) -> None:
    from prefect.client.schemas.schedules import CronSchedule

    assert CronSchedule(cron=expression, timezone="Asia/Shanghai").cron == expression


def test_cron_nicknames_fire_when_prefect_fires_them() -> None:
    from cronsim import CronSim
    from prefect._vendor.croniter import croniter

    start = datetime(2024, 3, 5, 7, 30)
    for nickname, fields in CRON_NICKNAMES.items():
        assert next(CronSim(fields, start)) == croniter(nickname, start).get_next(datetime)


def test_epaper_template() -> None:
    epaper = Epaper(edition_url="http://zzwb.zynews.cn/html/{yyyy}-{mm}/{dd}/node_2.htm",
                    days_back=3)
    assert epaper.url_for(date(2022, 8, 4)) == "http://zzwb.zynews.cn/html/2022-08/04/node_2.htm"
    assert epaper.date_of("http://zzwb.zynews.cn/html/2022-08/24/content_662000.htm") == date(
        2022, 8, 24)
    assert epaper.date_of("http://zzwb.zynews.cn/html/preview/content_1.htm") is None
    assert epaper.editions(date(2022, 8, 24), None) == [
        date(2022, 8, 24), date(2022, 8, 23), date(2022, 8, 22)]
    assert epaper.editions(date(2022, 8, 24), date(2022, 8, 23)) == [
        date(2022, 8, 24), date(2022, 8, 23)]
    with pytest.raises(ValueError, match="placeholders"):
        Epaper(edition_url="http://zzwb.zynews.cn/html/node_2.htm")


def test_sites_command_lists_the_registry(capsys: pytest.CaptureFixture[str]) -> None:
    parser = argparse.ArgumentParser()
    add_sites_arguments(parser)
    assert run_sites(parser.parse_args(["--json"])) == 0
    rows = json.loads(capsys.readouterr().out)
    assert {row["name"] for row in rows} == set(SITES)
    zzwb = next(row for row in rows if row["name"] == "zzwb")
    assert zzwb == {"name": "zzwb", "title": "郑州晚报", "domains": ["zzwb.zynews.cn"],
                    "layout": "epaper", "schedule": "0 8 * * *"}
    assert run_sites(parser.parse_args([])) == 0
    assert "郑州晚报" in capsys.readouterr().out


def test_sites_command_reports_a_bad_registry(tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    write_site(tmp_path, "bad", MINIMAL + "[politeness]\ndelay = -1\n")
    parser = argparse.ArgumentParser()
    add_sites_arguments(parser)
    assert run_sites(parser.parse_args(["--seeds", str(tmp_path / "seeds")])) == 2
    assert "seeds/bad/site.toml: field 'politeness.delay'" in capsys.readouterr().err


@pytest.mark.parametrize(("template", "layout_page", "day"), [
    ("https://lyrb.lyd.com.cn/html2/{yyyy}-{mm}/{dd}/node_3.htm",
     "https://lyrb.lyd.com.cn/html2/2022-08/20/node_4.htm", date(2022, 8, 20)),
    ("https://newpaper.dahe.cn/hnrb/html/{yyyy}-{mm}/{dd}/node_1.htm",
     "https://newpaper.dahe.cn/hnrb/html/2024-09/10/node_2.htm", date(2024, 9, 10)),
    ("http://www.zhld.com/szb/pc/layout/{yyyy}{mm}/{dd}/node_01.html",
     "http://www.zhld.com/szb/pc/layout/202211/15/node_02.html", date(2022, 11, 15)),
])
def test_epaper_templates_of_the_founder_family(template: str, layout_page: str,
                                                day: date) -> None:
    epaper = Epaper(edition_url=template)
    assert epaper.date_of(layout_page) == day
    assert epaper.date_of(epaper.url_for(day)) == day
