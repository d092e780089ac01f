"""Raw capture: WARC files round-trip responses and appear only when complete."""

from __future__ import annotations

import gzip
from datetime import date
from pathlib import Path

import pytest

from storage.warc import (
    CorruptRecord,
    RawResponse,
    WarcWriter,
    iter_warc,
    latest_responses,
    warc_files,
    warc_path,
)


def test_responses_round_trip_with_bytes_status_headers_and_time(tmp_path: Path) -> None:
    path = warc_path(str(tmp_path), "jiyuan", "20240101T000000Z-aaaaaa")
    body = "<html><meta charset=gbk>济源网，新闻。</html>".encode("gb18030")
    with WarcWriter(path, run_id="20240101T000000Z-aaaaaa") as writer:
        writer.write("http://www.jyrb.com.cn/a.html", 200,
                     {"Content-Type": "text/html; charset=gbk", "Content-Encoding": "gzip"},
                     body, "2024-01-02T03:04:05+00:00", {"site": "jiyuan"})
        writer.write("http://www.jyrb.com.cn/gone.html", 404, [("Server", "nginx")], b"",
                     "2024-01-02T03:04:06Z")
    responses = list(iter_warc(path))
    assert [r.url for r in responses] == ["http://www.jyrb.com.cn/a.html",
                                          "http://www.jyrb.com.cn/gone.html"]
    first, second = responses
    assert first.body == body
    assert first.status == 200 and second.status == 404
    assert first.header("content-type") == "text/html; charset=gbk"
    assert first.header("Content-Encoding") is None, "a decoded body must not claim gzip"
    assert first.fetched_at == "2024-01-02T03:04:05+00:00"
    assert second.fetched_at == "2024-01-02T03:04:06+00:00"
    assert first.extra == {"site": "jiyuan"}
    with gzip.open(path, "rb") as handle:
        assert handle.read(8) == b"WARC/1.1"
    assert warc_files(str(tmp_path), "jiyuan") == [path]


def test_a_body_changed_after_writing_is_corrupt_not_a_page(tmp_path: Path) -> None:
    # Damage inside a gzip member can decompress to other bytes of the same length: the
    # record parses, but its body is not what was written, and its payload digest says so.
    path = warc_path(str(tmp_path), "jiyuan", "20240101T000000Z-aaaaaa")
    with WarcWriter(path) as writer:
        for name in ("a", "b", "c"):
            writer.write(f"http://www.jyrb.com.cn/{name}.html", 200, {},
                         f"<p>{name}新闻</p>".encode(), "2024-01-02T03:04:05+00:00")
    raw = gzip.decompress(Path(path).read_bytes()).replace("<p>b新闻".encode(), "<p>x新闻".encode())
    start = b"WARC/1.1\r\n"
    Path(path).write_bytes(b"".join(gzip.compress(start + record)
                                    for record in raw.split(start)[1:]))
    read: list[str] = []
    with pytest.raises(CorruptRecord, match=r"b\.html: body does not match its payload digest"):
        read.extend(response.url for response in iter_warc(path))
    assert read == ["http://www.jyrb.com.cn/a.html"]


def test_file_is_invisible_until_closed_and_discarded_on_error(tmp_path: Path) -> None:
    path = warc_path(str(tmp_path), "mengjin", "run-1")
    writer = WarcWriter(path)
    writer.write_response(RawResponse("http://x/a", 200, [], b"a", "2024-01-01T00:00:00+00:00"))
    assert not Path(path).exists()
    assert warc_files(str(tmp_path), "mengjin") == []
    writer.close()
    assert Path(path).exists()

    failed = warc_path(str(tmp_path), "mengjin", "run-2")
    with pytest.raises(RuntimeError), WarcWriter(failed) as broken:
        broken.write("http://x/b", 200, {}, b"b", "2024-01-01T00:00:00+00:00")
        raise RuntimeError("fetch died")
    assert sorted(p.name for p in Path(failed).parent.iterdir()) == ["run-1.warc.gz"]


def test_warc_on_fsspec_memory_root() -> None:
    root = "memory://govnews-warc-test/out"
    path = warc_path(root, "zzwb", "run-1")
    with WarcWriter(path) as writer:
        writer.write("http://zzwb/content_1.htm", 200, {}, "郑州".encode(),
                     "2024-05-01T00:00:00+00:00")
    assert [r.body.decode() for r in iter_warc(path)] == ["郑州"]
    (listed,) = warc_files(root, "zzwb")
    assert [r.url for r in iter_warc(listed)] == ["http://zzwb/content_1.htm"]


def test_latest_responses_keeps_the_newest_capture_of_each_url(tmp_path: Path) -> None:
    old = warc_path(str(tmp_path), "zzzy", "run-1")
    new = warc_path(str(tmp_path), "zzzy", "run-2")
    with WarcWriter(old) as writer:
        writer.write("http://x/a", 200, {}, b"a-old", "2024-01-01T00:00:00+00:00")
        writer.write("http://x/b", 200, {}, b"b-old", "2024-01-01T00:00:00+00:00")
    with WarcWriter(new) as writer:
        writer.write("http://x/a", 200, {}, b"a-new", "2024-02-01T00:00:00+00:00")
    responses = latest_responses(warc_files(str(tmp_path), "zzzy"))
    assert [(r.url, r.body) for r in responses] == [("http://x/a", b"a-new"),
                                                    ("http://x/b", b"b-old")]
    recent = latest_responses([old, new], date(2024, 1, 15))
    assert [r.body for r in recent] == [b"a-new"]
