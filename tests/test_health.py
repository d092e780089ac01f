"""Health flags (pure functions of a run's yield and the site's history) and anti-bot pages."""

from __future__ import annotations

from pathlib import Path

import pytest

from crawler.antibot import challenge_reason
from crawler.linkcount import article_links
from crawler.replica.server import CHALLENGE_BODY, NOT_FOUND
from crawler.sites import SiteConfigError, load_sites
from flows.common import UnhealthyRun, finish_run
from storage.health import Thresholds, Yield, is_healthy, judge, site_history, unhealthy_sites
from storage.manifest import Manifest, SiteStats
from tests.conftest import ROOT

REAL_PAGES = ROOT.parent / "shared" / "realpages" / "pages"
DEFAULTS = Thresholds()


def usual(runs: int = 4) -> list[Yield]:
    """A site's history: 3 list pages, 30 article links, 3 failures per run."""
    return [Yield(lists=3, links=30, pages=33, failures={"fetch: http 404": 3})
            for _ in range(runs)]


def codes(current: Yield, history: list[Yield]) -> dict[str, str]:
    return {flag.code: flag.severity for flag in judge(current, history, DEFAULTS)}


def test_a_run_like_the_recent_ones_is_healthy() -> None:
    assert codes(usual(1)[0], usual()) == {}


def test_an_incremental_rerun_that_writes_nothing_new_is_healthy() -> None:
    # the lists still point at 30 articles, already stored; only the failing ones are tried
    rerun = Yield(lists=3, links=30, pages=3, failures={"fetch: http 404": 3})
    assert codes(rerun, usual()) == {}


def test_zero_article_links_after_a_template_change_is_unhealthy() -> None:
    broken = Yield(lists=1, links=0, pages=1, failures={})
    flags = judge(broken, usual(), DEFAULTS)
    assert [(flag.code, flag.severity) for flag in flags] == [("no_articles", "unhealthy")]
    assert "10.0 per page" in flags[0].message
    assert codes(broken, []) == {"no_articles": "unhealthy"}, "also on a site's first run"


def test_links_per_list_page_far_below_the_median_is_low_yield() -> None:
    assert codes(Yield(lists=3, links=9, pages=12, failures={}), usual()) == {
        "low_yield": "unhealthy"}
    assert codes(Yield(lists=3, links=18, pages=21, failures={}), usual()) == {}
    assert codes(Yield(lists=3, links=9, pages=12, failures={}), usual(2)) == {}, \
        "too little history to compare"


def test_a_reject_rate_far_above_the_median_is_unhealthy() -> None:
    failing = Yield(lists=3, links=30, pages=10, failures={"extract: no article on the page": 20,
                                                            "fetch: http 404": 3})
    flags = judge(failing, usual(), DEFAULTS)
    assert [flag.code for flag in flags] == ["high_reject_rate"]
    assert "no article on the page ×20" in flags[0].message


def test_every_fetch_failing_is_unhealthy_and_names_the_reasons() -> None:
    dns = Yield(lists=0, links=0, pages=0, failures={
        "fetch: DNSLookupError: DNS lookup failed: no results for hostname lookup: x.invalid.": 1})
    flags = judge(dns, [], DEFAULTS)
    assert [(flag.code, flag.severity) for flag in flags] == [("all_fetches_failed", "unhealthy")]
    assert "DNSLookupError" in flags[0].message


def test_anti_bot_pages_are_a_warning_until_they_are_most_fetches() -> None:
    some = Yield(lists=3, links=30, pages=32,
                 failures={"fetch: anti-bot challenge (cookie script, http 200)": 1})
    assert codes(some, usual()) == {"anti_bot": "warning"}
    walled = Yield(lists=0, links=0, pages=0,
                   failures={"fetch: anti-bot challenge (http 412)": 1})
    assert codes(walled, usual()) == {"all_fetches_failed": "unhealthy", "anti_bot": "unhealthy"}


def test_history_comes_from_manifests_of_runs_that_crawled_the_site() -> None:
    def manifest(run_id: str, sites: dict[str, SiteStats]) -> Manifest:
        return Manifest(run_id=run_id, root="data", started_at=None, finished_at="x", sites=sites)

    runs = [manifest("r1", {"a": SiteStats(lists_fetched=2, article_links=20)}),
            manifest("r2", {"b": SiteStats(lists_fetched=5, article_links=5)}),
            manifest("r3", {"a": SiteStats(lists_fetched=1, article_links=7)})]
    assert [past.links for past in site_history(runs, "a", window=10)] == [20, 7]
    assert [past.links for past in site_history(runs, "a", window=1)] == [7]


def test_thresholds_are_read_from_the_site_toml(tmp_path: Path) -> None:
    source = (ROOT / "seeds" / "jynews" / "site.toml").read_text(encoding="utf-8")
    site_file = tmp_path / "jynews" / "site.toml"
    site_file.parent.mkdir()
    site_file.write_text(source + "\n[health]\nyield_ratio = 0.25\n", encoding="utf-8")
    assert load_sites(tmp_path)["jynews"].health.yield_ratio == 0.25
    assert load_sites(ROOT / "seeds")["jynews"].health == Thresholds()
    site_file.write_text(source + "\n[health]\nratio = 1\n", encoding="utf-8")
    with pytest.raises(SiteConfigError, match=r"health\.ratio"):
        load_sites(tmp_path)


def test_an_unhealthy_manifest_ends_the_flow_in_a_named_failed_state() -> None:
    flag = {"code": "no_articles", "severity": "unhealthy", "message": "no article link"}
    manifest = {"sites": {"a": {"health": [flag]}, "b": {"health": []}}}
    state = finish_run(manifest)
    assert not isinstance(state, dict)
    assert state.is_failed() and state.name == "Unhealthy"
    assert state.message == "unhealthy: a: no article link"
    unhealthy = state.result(raise_on_failure=False)
    assert isinstance(unhealthy, UnhealthyRun) and unhealthy.manifest is manifest
    warned = {"sites": {"a": {"health": [{**flag, "severity": "warning"}]}}}
    assert finish_run(warned) is warned
    assert unhealthy_sites(warned) == {} and is_healthy(warned["sites"]["a"]["health"])


def test_challenge_pages_are_recognised() -> None:
    assert challenge_reason(412, b"<html><script>x()</script></html>") == \
        "anti-bot challenge (http 412)"
    assert challenge_reason(200, CHALLENGE_BODY) == "anti-bot challenge (cookie script, http 200)"
    assert challenge_reason(521, b"<script>document.cookie='a=1';location.href=location.href"
                                 b"</script>") == "anti-bot challenge (cookie script, http 521)"
    assert challenge_reason(404, NOT_FOUND) is None
    assert challenge_reason(200, b"") is None
    consent = (b"<html><body><p>" + "本站使用cookie改善体验。".encode() * 10 + b"</p><script>"
               b"document.cookie='ok=1';location.reload()</script></body></html>")
    assert challenge_reason(200, consent) is None, "a page with real text is no challenge"


def test_no_real_page_is_taken_for_a_challenge() -> None:
    pages = sorted(REAL_PAGES.glob("*.htm*")) if REAL_PAGES.is_dir() else []
    if not pages:
        pytest.skip(f"no real pages at {REAL_PAGES}")
    assert [page.name for page in pages if challenge_reason(200, page.read_bytes())] == []


def test_article_links_count_each_article_url_once_whatever_happened_to_it() -> None:
    events = [{"kind": "article", "url": "u1", "event": "fetched"},
              {"kind": "article", "url": "u2", "event": "skipped"},
              {"kind": "article", "url": "u2", "event": "skipped"},
              {"kind": "article", "url": "u3", "event": "failed"},
              {"kind": "list", "url": "l1", "event": "fetched"},
              {"kind": "attachment", "url": "a.pdf", "event": "skipped"}]
    assert article_links(events) == 3


def test_a_rerun_that_fetches_little_judges_challenges_against_the_pages_its_lists_name() -> None:
    rerun = Yield(lists=1, links=30, pages=1,
                  failures={"fetch: anti-bot challenge (cookie script, http 200)": 1})
    assert codes(rerun, usual()) == {"anti_bot": "warning"}
