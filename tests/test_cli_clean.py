"""`govnews clean` end to end: the seed texts give 10 valid records; bad inputs give error lines."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from flows.cli import main
from tests.conftest import validate_record

SEEDS = sorted((Path(__file__).resolve().parent / "golden" / "seeds").glob("*.txt"))


def test_seed_texts_give_ten_valid_records(tmp_path: Path) -> None:
    out = tmp_path / "seeds.jsonl"
    assert main(["clean", *map(str, SEEDS), "--out", str(out)]) == 0
    records = [orjson.loads(line) for line in out.read_bytes().splitlines()]
    assert [r["parts"] for r in records] == [1, 1, 1, 4, 4, 4, 4, 3, 3, 3]
    for record in records:
        validate_record(record)
        assert "返回顶部" not in record["text"] and "\ufffd" not in record["text"]
    assert not list(tmp_path.glob("*.tmp"))


def test_bad_inputs_are_named_and_fail_the_run(tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    out = tmp_path / "out.jsonl"
    assert main(["clean", str(SEEDS[0]), str(empty), "--out", str(out)]) == 1
    assert len(out.read_bytes().splitlines()) == 1
    assert f"govnews clean: {empty}: empty file" in capsys.readouterr().err


def test_out_in_a_missing_directory_is_a_clear_error(tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["clean", str(SEEDS[0]), "--out", str(tmp_path / "no" / "out.jsonl")]) == 2
    assert "no such directory" in capsys.readouterr().err


def test_an_interrupted_run_keeps_the_earlier_output(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out.jsonl"
    out.write_bytes(b'{"earlier": true}\n')

    def interrupted(*_: object, **__: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr("crawler.documents.clean_document", interrupted)
    assert main(["clean", str(SEEDS[0]), "--out", str(out)]) == 130
    assert out.read_bytes() == b'{"earlier": true}\n'
    assert list(tmp_path.iterdir()) == [out]
