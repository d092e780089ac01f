"""`govnews extract` through `run_extract`: records on stdout, notes and errors on stderr."""

from __future__ import annotations

import argparse
import io
from pathlib import Path

import orjson

from crawler.extract.cli import add_extract_arguments, run_extract
from tests.conftest import validate_record

GOLD = Path(__file__).parent / "gold"


def run(*argv: str) -> tuple[int, list[dict[str, object]], str]:
    parser = argparse.ArgumentParser()
    add_extract_arguments(parser)
    out, err = io.BytesIO(), io.StringIO()
    code = run_extract(parser.parse_args(list(argv)), stdout=out, stderr=err)
    records = [orjson.loads(line) for line in out.getvalue().splitlines()]
    return code, records, err.getvalue()


def test_pages_become_records_with_file_uris() -> None:
    page = GOLD.parent.parent / "seeds" / "zzwb" / "golden" / "seed_zzwb_003" / "page.html"
    code, records, err = run(str(page), str(GOLD / "trs_xinan_utf8" / "page.html"))
    assert code == 0 and err == ""
    assert [r["part"] for r in records] == [1, 2, 3, 4, 1]
    assert records[0]["url"] == page.resolve().as_uri()
    for record in records:
        validate_record(record)
    assert "，" in records[-1]["text"]  # no ASCII escaping, no width folding


def test_url_option_and_encoding_override() -> None:
    page = GOLD / "zoom_ruyang_gb18030_undeclared" / "page.html"
    code, records, _ = run("--url", "http://www.ruyang.gov.cn/a.html?utm_source=x",
                           "--encoding", "gb18030", str(page))
    assert code == 0 and records[0]["url"] == "http://www.ruyang.gov.cn/a.html"


def test_no_article_is_a_note_not_an_error() -> None:
    code, records, err = run(str(GOLD / "list_gb2312" / "page.html"),
                             str(GOLD / "login_wall" / "page.html"))
    assert code == 0 and records == []
    lines = err.splitlines()
    assert len(lines) == 2 and all(": no article: " in line for line in lines)
    assert "Traceback" not in err


def test_bad_input_gets_clear_messages(tmp_path: Path) -> None:
    empty = tmp_path / "empty.html"
    empty.write_bytes(b"")
    garbage = tmp_path / "garbage.bin"
    garbage.write_bytes(bytes(range(256)) * 8)
    good = GOLD / "trs_xinan_utf8" / "page.html"
    code, records, err = run(str(empty), str(garbage), str(tmp_path / "missing.html"), str(good))
    assert code == 1
    assert len(records) == 1
    assert "empty file" in err and "binary data" in err and "cannot read" in err
    assert "Traceback" not in err


def test_bad_arguments() -> None:
    good = str(GOLD / "trs_xinan_utf8" / "page.html")
    assert run("--encoding", "no-such-codec", good)[0] == 2


def explained(*argv: str) -> tuple[int, str, str]:
    parser = argparse.ArgumentParser()
    add_extract_arguments(parser)
    out, err = io.BytesIO(), io.StringIO()
    code = run_extract(parser.parse_args(["--explain", *argv]), stdout=out, stderr=err)
    return code, out.getvalue().decode("utf-8"), err.getvalue()


def test_explain_prints_each_field_its_rule_and_the_body_route() -> None:
    page = GOLD / "trs_xinan_utf8" / "page.html"
    code, out, err = explained(str(page))
    assert code == 0 and err == ""
    record = run(str(page))[1][0]
    blocks = {line.split()[0]: line for line in out.splitlines()[1:]
              if line.startswith("  ") and not line.startswith("   ")}
    assert list(blocks) == ["title", "published_at", "authors", "source", "body"]
    assert record["title"] in blocks["title"]
    assert out.count("rule: ") == 5


def test_explain_works_on_pages_without_an_article_and_on_odd_input(tmp_path: Path) -> None:
    odd = tmp_path / "odd.html"
    odd.write_bytes(b"<html><!-- c --><h1>\xe6\xa0\x87\xe9\xa2\x98<?pi x?><![CDATA[x]]></h1>"
                    b"</html></html><p>2020-01-02")
    code, out, err = explained(str(GOLD / "list_gb2312" / "page.html"), str(odd))
    assert code == 0 and "Traceback" not in err
    assert out.count("0 record(s)") == 2
    assert out.count("  note ") == 2 and out.count("  body ") == 2
