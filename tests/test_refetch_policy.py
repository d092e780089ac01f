"""The refetch policy without crawling: its TOML section, when it is due, which URLs it names,
and what the index and the store keep (validators, tombstones) on both index backends, and an
index written by the previous version."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from crawler.article import Article
from crawler.refetch import RefetchPlan, page_outcomes, plan_refetches, site_runs
from crawler.replica.site import ReplicaError, SecondEdition
from crawler.sites import Refetch, Site, SiteConfigError, load_site
from storage.index_api import Admission, StoredRecord, Validators, open_index
from storage.store import Store
from tests.conftest import validate_record
from tests.test_sites import MINIMAL, write_site

SHA_A = "a" * 64
SHA_B = "b" * 64


def test_defaults_refetch_a_week_of_articles_every_third_run(tmp_path: Path) -> None:
    site = load_site(write_site(tmp_path, "example", MINIMAL))
    assert site.refetch == Refetch(days=7, every=3)
    assert [site.refetch.due(runs) for runs in range(7)] == [
        False, False, True, False, False, True, False]
    assert Refetch(days=5, every=1).due(0)
    assert not Refetch(days=0, every=1).due(0)


@pytest.mark.parametrize(
    ("addition", "field", "message"),
    [
        ("[refetch]\ndays = -1\n", "refetch.days", "greater than or equal to 0"),
        ("[refetch]\ndays = 5000\n", "refetch.days", "less than or equal to 3660"),
        ("[refetch]\nevery = 0\n", "refetch.every", "greater than or equal to 1"),
        ("[refetch]\nevery = \"weekly\"\n", "refetch.every", "valid integer"),
        ("[refetch]\nday = 3\n", "refetch.day", "Extra inputs are not permitted"),
        ("refetch = 3\n", "refetch", "valid dictionary"),
    ],
)
def test_a_bad_policy_names_file_and_field(tmp_path: Path, addition: str, field: str,
                                           message: str) -> None:
    text = MINIMAL.replace("[links]", addition + "[links]") if addition.startswith("refetch =") \
        else MINIMAL + addition
    with pytest.raises(SiteConfigError) as error:
        load_site(write_site(tmp_path, "bad", text))
    assert str(error.value).startswith(f"seeds/bad/site.toml: field '{field}'")
    assert message in str(error.value)


def test_a_bad_second_edition_is_refused() -> None:
    with pytest.raises(ValueError, match="correction paragraph"):
        SecondEdition(corrected=[1])
    with pytest.raises(ValueError, match="either corrected or withdrawn"):
        SecondEdition(corrected=[1], withdrawn=[1], correction="更正")
    assert issubclass(ReplicaError, ValueError)


def article(n: int, published_at: str | None, text: str = "正文") -> dict[str, object]:
    return Article(url=f"http://www.example.gov.cn/news/t{n}.html", text=f"{text}{n}",
                   site="example", published_at=published_at).to_record()


def test_plan_counts_the_sites_runs_and_names_recent_articles(tmp_path: Path) -> None:
    site = load_site(write_site(tmp_path, "example", MINIMAL + "[refetch]\ndays = 10\nevery = 2\n"))
    out = tmp_path / "data"
    index = str(out / "_index.sqlite")
    now = datetime(2024, 3, 20, tzinfo=UTC)

    def plan_refetch(index: str | None, site: Site, now: datetime | None = None) -> RefetchPlan:
        return plan_refetches(index, [site], now=now)[site.name]

    assert plan_refetch(index, site, now=now).due is False  # no index yet: run 1
    records = [article(1, "2024-03-15T08:00:00+08:00"), article(2, "2024-03-01T08:00:00+08:00"),
               article(3, None)]
    with Store(str(out)) as store:
        store.write_run("r1", records, pages=[
            {"url": records[0]["url"], "site": "example", "etag": '"e1"',
             "last_modified": "Fri, 15 Mar 2024 00:00:00 GMT"}])
        store.write_run("other", [{**article(9, None), "site": "elsewhere"}])
    plan = plan_refetch(index, site, now=now)
    assert plan.runs_before == 1 and plan.due
    # article 2 is older than 10 days; article 3 has no date and was first seen just now
    assert plan.pages == {
        records[0]["url"]: Validators('"e1"', "Fri, 15 Mar 2024 00:00:00 GMT"),
        records[2]["url"]: Validators(),
    }
    with Store(str(out)) as store:
        store.write_run("r2", records)
    assert plan_refetch(index, site, now=now).due is False
    with open_index(index, readonly=True) as opened:
        assert site_runs(opened) == {"example": 2, "elsewhere": 1}
    assert plan_refetch(None, site).pages == {}


def test_page_outcomes_of_a_fetch_log() -> None:
    events = [
        {"event": "fetched", "kind": "article", "url": "u1", "site": "s", "status": 200,
         "etag": '"x"', "at": "t"},
        {"event": "fetched", "kind": "list", "url": "l", "site": "s", "status": 200, "at": "t"},
        {"event": "skipped", "kind": "article", "url": "u2", "site": "s", "status": 410,
         "reason": "deleted (http 410)", "at": "2024-03-20T00:00:00+00:00"},
        {"event": "skipped", "kind": "article", "url": "u3", "site": "s", "status": 304,
         "reason": "not modified", "at": "t"},
        {"event": "failed", "kind": "article", "url": "u4", "site": "s", "status": 404,
         "reason": "http 404", "at": "t"},
    ]
    assert list(page_outcomes(events)) == [
        {"url": "u1", "site": "s", "etag": '"x"', "last_modified": None},
        {"url": "u2", "site": "s", "deleted_at": "2024-03-20T00:00:00+00:00"},
    ]


def test_index_keeps_validators_and_tombstones_once(index_location: str) -> None:
    with open_index(index_location) as index:
        with index.transaction():
            index.admit_many([Admission("http://x/1", 1, "s", SHA_A, "2024-03-15T08:00:00+08:00"),
                              Admission("http://x/1", 2, "s", SHA_B, "2024-03-15T08:00:00+08:00"),
                              Admission("http://x/2", 1, "s", SHA_A, "2020-01-01T08:00:00+08:00")])
            index.note_validators([("http://x/1", Validators('"v"', None))])
        since = datetime(2024, 3, 1, tzinfo=UTC)
        assert index.recent_pages("s", since) == {"http://x/1": Validators('"v"', None)}
        with index.transaction():
            gone = index.tombstone(["http://x/1", "http://never/stored"], run_id="r2",
                                   deleted_at="2024-03-20T00:00:00+00:00")
        assert [(row.part, row.revision, row.deleted_at) for row in gone] == [
            (1, 2, "2024-03-20T00:00:00+00:00"), (2, 2, "2024-03-20T00:00:00+00:00")]
        with index.transaction():
            assert index.tombstone(["http://x/1"], run_id="r3", deleted_at="later") == []
        assert index.lookup("http://x/1") == StoredRecord("http://x/1", 1, "s", SHA_A, 2,
                                                          "2024-03-20T00:00:00+00:00")
        assert "http://x/1" in index.recent_pages("s", since)  # asked again: it may come back
        with index.transaction():
            # the same content as before its deletion is a new revision: it is back
            assert index.admit_many([Admission("http://x/1", 1, "s", SHA_A)]) == [3]
            assert index.admit_many([Admission("http://x/1", 1, "s", SHA_A)]) == [None]
        assert index.lookup("http://x/1") == StoredRecord("http://x/1", 1, "s", SHA_A, 3)


OLD_SCHEMA = """
CREATE TABLE records (url TEXT NOT NULL, part INTEGER NOT NULL DEFAULT 1, site TEXT,
    content_sha256 TEXT NOT NULL, revision INTEGER NOT NULL, first_seen TEXT NOT NULL,
    last_seen TEXT NOT NULL, run_id TEXT, PRIMARY KEY (url, part));
CREATE INDEX records_site ON records (site);
CREATE TABLE runs (run_id TEXT PRIMARY KEY, started_at TEXT, finished_at TEXT NOT NULL,
    status TEXT NOT NULL, manifest TEXT);
INSERT INTO records VALUES ('http://x/1', 1, 's', 'aaaa', 1, '2024-03-15T00:00:00+00:00',
    '2024-03-15T00:00:00+00:00', 'r1');
"""
"""The index tables as the version before refetching wrote them."""


def test_an_index_of_the_previous_version_opens_and_gains_the_columns(
        index_location: str) -> None:
    if index_location.startswith("postgresql://"):
        import psycopg

        with psycopg.connect(index_location, autocommit=True) as conn:
            for statement in filter(str.strip, OLD_SCHEMA.split(";")):
                conn.execute(statement)
    else:
        with sqlite3.connect(index_location) as conn:
            conn.executescript(OLD_SCHEMA)
        conn.close()
    since = datetime(2024, 3, 1, tzinfo=UTC)
    with open_index(index_location, readonly=True) as old:  # as it is: first seen, no validators
        assert old.recent_pages("s", since) == {"http://x/1": Validators()}
        assert old.lookup("http://x/1") == StoredRecord("http://x/1", 1, "s", "aaaa", 1)
    with open_index(index_location) as index:
        index.note_validators([("http://x/1", Validators(None, "Fri, 15 Mar 2024 00:00:00 GMT"))])
        assert index.recent_pages("s", since) == {
            "http://x/1": Validators(None, "Fri, 15 Mar 2024 00:00:00 GMT")}
        with index.transaction():
            assert index.admit_many([Admission("http://x/1", 1, "s", SHA_B)]) == [2]


def test_store_writes_a_tombstone_once_and_the_comeback_as_a_revision(tmp_path: Path) -> None:
    out = tmp_path / "data"
    records = [article(1, "2024-03-15T08:00:00+08:00"), article(2, "2024-03-15T09:00:00+08:00")]
    gone = {"url": records[0]["url"], "site": "example",
            "deleted_at": "2024-03-20T02:00:00+00:00"}
    with Store(str(out)) as store:
        store.write_run("r1", records)
        second = store.write_run("r2", records, pages=[gone])
        again = {**gone, "deleted_at": "2024-03-21T02:00:00+00:00"}
        third = store.write_run("r3", [], pages=[again])
        fourth = store.write_run("r4", records[:1])
        lines = list(store.iter_records())
    assert second.sites["example"].tombstones_written == 1
    assert second.sites["example"].duplicates_skipped == 2
    assert "example" not in third.sites  # already tombstoned: nothing
    assert fourth.sites["example"].records_written == 1
    (tombstone,) = [line for line in lines if line.get("deleted_at")]
    validate_record(tombstone)
    assert tombstone == {
        "id": records[0]["id"], "url": records[0]["url"], "site": "example", "title": None,
        "published_at": None, "published_precision": None, "authors": [], "source": None,
        "text": None, "lang": "zh-Hans", "repairs": [], "part": 1, "parts": 1,
        "fetched_at": "2024-03-20T02:00:00+00:00", "content_sha256": records[0]["content_sha256"],
        "schema_version": "3", "revision": 2, "deleted_at": "2024-03-20T02:00:00+00:00"}
    assert sorted(line["revision"] for line in lines if line["url"] == records[0]["url"]) == \
        [1, 2, 3]
    assert (out / "site=example" / "date=2024-03-20").is_dir()  # the day it was found gone


def test_reindex_reads_tombstones_back(tmp_path: Path) -> None:
    out = tmp_path / "data"
    records = [article(1, "2024-03-15T08:00:00+08:00")]
    with Store(str(out)) as store:
        store.write_run("r1", records)
        store.write_run("r2", [], pages=[{"url": records[0]["url"], "site": "example",
                                          "deleted_at": "2024-03-20T02:00:00+00:00"}])
    (out / "_index.sqlite").unlink()
    with Store(str(out)) as store:
        store.reindex()
        row = store.index.lookup(str(records[0]["url"]))
    assert row is not None and row.revision == 2 and row.deleted_at == "2024-03-20T02:00:00+00:00"


def test_a_tombstone_breaks_no_schema_rule_an_article_keeps() -> None:
    record = article(1, None)
    validate_record(record)
    with pytest.raises(pytest.fail.Exception):
        validate_record({**record, "text": None})  # only a tombstone has no text
    with pytest.raises(pytest.fail.Exception):
        validate_record({**record, "deleted_at": "2024-03-20T02:00:00+00:00"})  # it has text


def test_restore_and_merge_keep_the_deletion(index_location: str) -> None:
    """A run completed from its journal (restore) or a rebuilt index (merge) keeps deleted_at."""
    row = StoredRecord("http://x/1", 1, "s", SHA_A, 2, "2024-03-20T00:00:00+00:00")
    with open_index(index_location) as index:
        with index.transaction():
            index.restore([row], run_id="r2", seen_at="2024-03-20T00:00:00+00:00")
        assert index.lookup("http://x/1") == row
        with index.transaction():
            index.merge([(StoredRecord("http://x/1", 1, "s", SHA_B, 3), "r3")],
                        seen_at="2024-03-21T00:00:00+00:00")
        assert index.lookup("http://x/1") == StoredRecord("http://x/1", 1, "s", SHA_B, 3)
