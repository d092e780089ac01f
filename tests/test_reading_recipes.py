"""The README's reading recipes, run as written on a dump whose files hold all-empty fields.

Each `# reading recipe: <reader>` block of README.md runs in a directory holding `data/` (a dump
written by `Store`) and `storage/` (the shipped schema files). The dump has a file in which every
`repairs` and `authors` is [] and every `title` and `source` null, one with no `published_at` at
all, and one where every field is filled; a second run adds a revision 2 of one record and the
tombstone of another. Each reader must give every line with the types of `storage/schema.json`
and the values of the JSON lines, timestamps untouched; the `current` recipe keeps the newest
revision of each record and drops the deleted ones.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from crawler.article import Article
from storage.export import export_parquet
from storage.jsonl import decode_lines
from storage.store import Store
from storage.typed import arrow_schema, features_dict, record_columns, shipped_files
from tests.conftest import validate_record

ROOT = Path(__file__).resolve().parent.parent
RECIPE = re.compile(r"```python\n# reading recipe: (\w+)\n(.*?)```", re.S)
EXPECTED_READERS = {"pyarrow", "polars", "pandas", "datasets", "duckdb", "current"}
DELETED_AT = "2024-03-07T02:00:00+00:00"


def recipes() -> dict[str, str]:
    return dict(RECIPE.findall((ROOT / "README.md").read_text(encoding="utf-8")))


def dump_records() -> list[dict[str, Any]]:
    """Records of three shapes: all-empty optional fields, no date at all, everything filled."""
    empty = [Article(url=f"http://a.example.cn/{n}.html", text=f"正文{n}", site="empty",
                     published_at=f"2024-03-0{n % 2 + 1}T00:00:00+08:00").to_record()
             for n in range(4)]
    undated = [Article(url=f"http://c.example.cn/{n}.html", text=f"无日期{n}", site="undated",
                       fetched_at="2024-03-06T01:00:00+00:00").to_record() for n in range(2)]
    full = [Article(url=f"http://b.example.cn/{n}.html", text=f"正文乙{n}", site="full",
                    title="标题", authors=["张三", "李四"], source="来源",
                    repairs=["boilerplate", "stray_punctuation"],
                    published_at=f"2024-03-05T10:30:1{n}+08:00").to_record() for n in range(3)]
    return empty + undated + full


@pytest.fixture(scope="module")
def dump(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A working directory with `data/` (the dump) and `storage/` (the shipped schema files)."""
    work = tmp_path_factory.mktemp("reading")
    records = dump_records()
    for record in records:
        validate_record(record)
    deleted, changed = records[-1], dict(records[-2])
    changed.update(text="正文乙（更正）", content_sha256="c" * 64)
    with Store(str(work / "data")) as store:
        store.write_run("20240301T000000Z-aaaaaa", records)
        store.write_run("20240307T000000Z-bbbbbb", [changed],
                        pages=[{"url": deleted["url"], "site": deleted["site"],
                                "deleted_at": DELETED_AT}])
    (work / "storage").mkdir()
    for name in ("schema.arrow", "features.json"):
        (work / "storage" / name).write_bytes((ROOT / "storage" / name).read_bytes())
    return work


def stored(dump: Path) -> dict[tuple[str, int], dict[str, Any]]:
    """The stored lines by id and revision, as a plain JSON reader sees them."""
    lines = [line for path in sorted((dump / "data").glob("site=*/date=*/*.jsonl"))
             for line in decode_lines(path.read_bytes())]
    files = {path.parent.name for path in (dump / "data").glob("site=*/date=*/*.jsonl")}
    assert len(files) == 5  # the all-empty file really is a file of its own, and so is the
    # tombstone's (the day the page was found gone)
    assert [line["revision"] for line in lines if line.get("deleted_at")] == [2]
    for line in lines:
        validate_record(line)
    return {(line["id"], line["revision"]): line for line in lines}


@pytest.fixture
def run_recipe(dump: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[[str], dict[str, Any]]:
    """Runs a README recipe in the dump's directory (the test stays there: DuckDB is lazy)."""
    monkeypatch.chdir(dump)

    def run(name: str) -> dict[str, Any]:
        namespace: dict[str, Any] = {}
        exec(compile(recipes()[name], f"README.md recipe {name}", "exec"), namespace)
        return namespace

    return run


def check_rows(rows: list[dict[str, Any]], dump: Path) -> None:
    """Every record, every contract field equal to the JSON line (so also of the JSON type)."""
    expected = stored(dump)
    assert sorted((row["id"], row["revision"]) for row in rows) == sorted(expected)
    for row in rows:
        line = expected[(row["id"], row["revision"])]
        for column in record_columns():
            value = row[column.name]
            if column.kind == "list<string>":
                value = list(value)
            assert value == line.get(column.name), (column.name, row["id"])


def test_readme_has_a_recipe_per_reader() -> None:
    assert set(recipes()) == EXPECTED_READERS


def test_shipped_schema_files_are_built_from_schema_json() -> None:
    for name, data in shipped_files().items():
        assert (ROOT / "storage" / name).read_bytes() == data, f"python -m storage.typed: {name}"


def test_arrow_schema_and_features_agree() -> None:
    datasets = pytest.importorskip("datasets")
    features = datasets.Features.from_dict(features_dict())
    assert features == datasets.Features.from_arrow_schema(arrow_schema())
    assert arrow_schema().field("repairs").type.value_type == arrow_schema().field("id").type
    assert not arrow_schema().field("repairs").nullable
    assert arrow_schema().field("title").nullable
    assert arrow_schema().field("revision").nullable  # only stored records carry it


def test_inferring_readers_fail_on_this_dump(dump: Path) -> None:
    """The dump does exercise the problem: without the shipped types pyarrow and Polars fail."""
    import polars as pl
    import pyarrow as pa
    import pyarrow.dataset as ds

    with pytest.raises(pa.ArrowInvalid, match="changed from null to string"):
        ds.dataset(str(dump / "data"), format="json", partitioning="hive").to_table()
    files = sorted(str(path) for path in (dump / "data").glob("site=*/date=*/*.jsonl"))
    with pytest.raises(pl.exceptions.PolarsError):
        pl.read_ndjson(files)


def test_pyarrow_recipe(run_recipe: Callable[[str], dict[str, Any]], dump: Path) -> None:
    import pyarrow as pa

    table = run_recipe("pyarrow")["table"]
    assert table.schema.field("repairs").type == pa.list_(pa.string())
    assert table.schema.field("authors").type == pa.list_(pa.string())
    assert table.schema.field("title").type == pa.string()
    assert table.schema.field("schema_version").type == pa.string()
    assert table.schema.field("part").type == pa.int64()
    assert table.schema.field("date").type == pa.string()
    rows = table.to_pylist()
    check_rows(rows, dump)
    assert {row["date"] for row in rows if row["site"] == "undated"} == {"2024-03-06"}


def test_polars_recipe(run_recipe: Callable[[str], dict[str, Any]], dump: Path) -> None:
    import polars as pl

    frame = run_recipe("polars")["frame"]
    assert frame.schema["repairs"] == pl.List(pl.String)
    assert frame.schema["authors"] == pl.List(pl.String)
    assert frame.schema["title"] == pl.String
    assert frame.schema["schema_version"] == pl.String
    assert frame.schema["revision"] == pl.Int64
    check_rows(frame.to_dicts(), dump)


def test_pandas_recipe(run_recipe: Callable[[str], dict[str, Any]], dump: Path) -> None:
    import pandas as pd

    frame = run_recipe("pandas")["frame"]
    assert pd.api.types.is_string_dtype(frame["schema_version"])
    assert pd.api.types.is_string_dtype(frame["fetched_at"])
    assert pd.api.types.is_string_dtype(frame["title"])
    assert pd.api.types.is_integer_dtype(frame["part"])
    rows = []
    for row in frame.to_dict("records"):
        rows.append({key: None if value is pd.NA else value for key, value in row.items()})
    check_rows(rows, dump)


def test_datasets_recipe(run_recipe: Callable[[str], dict[str, Any]], dump: Path,
                         tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    datasets = pytest.importorskip("datasets")
    monkeypatch.setattr(datasets.config, "HF_DATASETS_CACHE", tmp_path / "hf")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    dataset = run_recipe("datasets")["dataset"]
    assert dataset.features["repairs"] == datasets.List(datasets.Value("string"))
    assert dataset.features["schema_version"] == datasets.Value("string")
    assert dataset.features["part"] == datasets.Value("int64")
    check_rows(list(dataset), dump)


def test_duckdb_recipe(run_recipe: Callable[[str], dict[str, Any]], dump: Path) -> None:
    relation = run_recipe("duckdb")["relation"]
    types = dict(zip(relation.columns, map(str, relation.types), strict=True))
    assert types["repairs"] == "VARCHAR[]"
    assert types["authors"] == "VARCHAR[]"
    assert types["title"] == "VARCHAR"
    assert types["schema_version"] == "VARCHAR"
    assert types["published_at"] == "VARCHAR"
    assert {column.name for column in record_columns()} <= set(relation.columns)
    rows = [dict(zip(relation.columns, row, strict=True)) for row in relation.fetchall()]
    check_rows(rows, dump)


def test_current_recipe(run_recipe: Callable[[str], dict[str, Any]], dump: Path) -> None:
    """The newest revision of each record, tombstones and what they delete dropped."""
    current = run_recipe("current")["current"].to_dicts()
    newest: dict[str, dict[str, Any]] = {}
    for line in stored(dump).values():
        if line["id"] not in newest or line["revision"] > newest[line["id"]]["revision"]:
            newest[line["id"]] = line
    alive = {key: line for key, line in newest.items() if line.get("deleted_at") is None}
    assert len(alive) == len(dump_records()) - 1
    assert sorted((row["id"], row["revision"]) for row in current) == \
        sorted((key, line["revision"]) for key, line in alive.items())
    assert "正文乙（更正）" in {row["text"] for row in current}
    assert all(row["deleted_at"] is None and row["text"] for row in current)


def test_parquet_export_holds_the_same_records(dump: Path, tmp_path: Path) -> None:
    import pyarrow.dataset as ds

    written = export_parquet(str(dump / "data"), str(tmp_path / "parquet"))
    assert sum(entry.records for entry in written) == len(stored(dump))
    parts = sorted(path.relative_to(dump / "data").as_posix()
                   for path in (dump / "data").glob("site=*/date=*/*.jsonl"))
    assert sorted(entry.path for entry in written) == [
        part.removesuffix(".jsonl") + ".parquet" for part in parts]
    table = ds.dataset(str(tmp_path / "parquet"), format="parquet", partitioning="hive").to_table()
    assert table.schema.field("repairs").type == arrow_schema().field("repairs").type
    check_rows(table.to_pylist(), dump)
    again = export_parquet(str(dump / "data"), str(tmp_path / "parquet"))
    assert again == written
    assert not list((tmp_path / "parquet").rglob("*.tmp"))


def test_parquet_export_names_a_record_that_breaks_the_schema(tmp_path: Path) -> None:
    from storage.export import ExportError

    part = tmp_path / "data" / "site=x" / "date=2024-01-01" / "part-r1.jsonl"
    part.parent.mkdir(parents=True)
    part.write_text(json.dumps({"id": "1", "url": "u", "text": "t", "part": "one"}) + "\n")
    with pytest.raises(ExportError, match=r"part-r1\.jsonl"):
        export_parquet(str(tmp_path / "data"), str(tmp_path / "parquet"))
    assert not (tmp_path / "parquet").exists() or not list((tmp_path / "parquet").rglob("*"))


def test_published_precision() -> None:
    from crawler.article import published_precision

    assert published_precision("2024-03-01T00:00:00+08:00") == "day"
    assert published_precision("2024-03-01T10:30:00+08:00") == "minute"
    assert published_precision("2024-03-01T10:30:15+08:00") == "second"
    assert published_precision(None) is None
    assert published_precision("2024-03-01") is None
    record = Article(url="http://x.cn/1", text="正文",
                     extra={"published_at": "2024-03-01T08:00:00+08:00",
                            "published_precision": "second"}).to_record()
    assert record["published_precision"] == "minute"  # computed, never carried
