"""Typed views of the record contract: the Arrow schema and the Hugging Face `Features`.

`storage/schema.json` is the one definition. `record_columns` reads its properties into columns
(name, type, nullable), and the Arrow schema and the `Features` are both built from those
columns. Two files ship next to `schema.json` so that readers need none of this code:

- `schema.arrow`: the Arrow schema as an IPC message (`pyarrow.ipc.read_schema`);
- `features.json`: the `Features` as `Features.to_dict()` gives it (`Features.from_dict`).

`python -m storage.typed` rewrites both; `--check` only says whether they are current (a test
runs it). A column is nullable when the schema allows null or does not require the field.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    import pyarrow as pa

ARROW_FILE = "schema.arrow"
FEATURES_FILE = "features.json"
Kind = Literal["string", "int64", "list<string>"]


@dataclass(frozen=True)
class Column:
    """One record field with its type."""

    name: str
    kind: Kind
    nullable: bool


def record_schema() -> dict[str, Any]:
    """The JSON Schema of a record (`storage/schema.json`)."""
    text = resources.files("storage").joinpath("schema.json").read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


def _kind(name: str, spec: dict[str, Any]) -> tuple[Kind, bool]:
    """The column type of one property and whether the property admits null."""
    if "const" in spec or "enum" in spec:
        values = [spec["const"]] if "const" in spec else list(spec["enum"])
        if not all(value is None or isinstance(value, str) for value in values):
            raise ValueError(f"schema.json: {name}: only string constants map to a column")
        return "string", None in values
    types = spec["type"] if isinstance(spec["type"], list) else [spec["type"]]
    nullable = "null" in types
    (base,) = [kind for kind in types if kind != "null"]
    if base == "string":
        return "string", nullable
    if base == "integer":
        return "int64", nullable
    if base == "array" and spec.get("items", {}).get("type") == "string":
        return "list<string>", nullable
    raise ValueError(f"schema.json: {name}: no column type for {spec}")


def record_columns(schema: dict[str, Any] | None = None) -> list[Column]:
    """The record's columns in the schema's order."""
    schema = schema or record_schema()
    required = set(schema["required"])
    columns = []
    for name, spec in schema["properties"].items():
        kind, nullable = _kind(name, spec)
        columns.append(Column(name, kind, nullable or name not in required))
    return columns


def arrow_schema(columns: list[Column] | None = None) -> pa.Schema:
    """The Arrow schema of a record."""
    import pyarrow as pa

    types = {"string": pa.string(), "int64": pa.int64(), "list<string>": pa.list_(pa.string())}
    return pa.schema([pa.field(column.name, types[column.kind], nullable=column.nullable)
                      for column in columns or record_columns()])


def features_dict(columns: list[Column] | None = None) -> dict[str, Any]:
    """The Hugging Face `Features` of a record, in `Features.to_dict()` form."""
    features: dict[str, Any] = {}
    for column in columns or record_columns():
        if column.kind == "list<string>":
            features[column.name] = {"feature": {"dtype": "string", "_type": "Value"},
                                     "_type": "List"}
        else:
            features[column.name] = {"dtype": column.kind, "_type": "Value"}
    return features


def shipped_files() -> dict[str, bytes]:
    """The contents of the files shipped next to `schema.json`, built from it."""
    features = json.dumps(features_dict(), indent=2, ensure_ascii=False) + "\n"
    return {ARROW_FILE: arrow_schema().serialize().to_pybytes(),
            FEATURES_FILE: features.encode("utf-8")}


def read_arrow_schema(path: str | Path | None = None) -> pa.Schema:
    """The shipped Arrow schema (`storage/schema.arrow`, or `path`)."""
    import pyarrow as pa

    data = Path(path).read_bytes() if path else \
        resources.files("storage").joinpath(ARROW_FILE).read_bytes()
    return pa.ipc.read_schema(pa.py_buffer(data))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m storage.typed",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true",
                        help="write nothing; exit 1 when a shipped file is out of date")
    args = parser.parse_args(argv)
    here = Path(__file__).resolve().parent
    stale = [name for name, data in shipped_files().items()
             if not (here / name).exists() or (here / name).read_bytes() != data]
    if args.check:
        for name in stale:
            print(f"storage/{name} is out of date: run python -m storage.typed", file=sys.stderr)
        return 1 if stale else 0
    for name, data in shipped_files().items():
        (here / name).write_bytes(data)
        print(f"wrote storage/{name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
