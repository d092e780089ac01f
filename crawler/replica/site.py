"""One replica site as data: `seeds/<site>/replica/` read into a `ReplicaSite`.

The folder holds `replica.toml` (host, encoding, URL layout), `content.toml` (the content list:
hand-written articles and the parameters of the generated ones) and the page templates
(`article.html`, and `list.html` for a news site or `edition.html` for an e-paper), written in
Jinja2. Nothing about any particular site lives in Python: the engine (`content.py`,
`templates.py`, `server.py`) reads these files.
"""

from __future__ import annotations

import tomllib
from datetime import date, datetime
from functools import cached_property
from pathlib import Path
from typing import Any, Literal

import jinja2
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

REPLICA_DIR = "replica"


class ReplicaError(ValueError):
    """A replica folder that is missing or does not match the schema."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Lists(_Strict):
    """A news site's list pages: the first page's path and the path of page N (N ≥ 2);
    `{page}` is N and `{index}` is N − 1 (for CMSs whose second page is `index_1.html`)."""

    first: str
    page: str
    per_page: int = Field(default=10, ge=1)


class Node(_Strict):
    """One layout page (版面) of an e-paper edition: its node number and its name."""

    node: int
    name: str


class Edition(_Strict):
    """An e-paper's layout pages: the path of layout page `{node}` of edition `{day}`."""

    page: str
    nodes: list[Node] = Field(min_length=1)


class Generated(_Strict):
    """How the generated articles of a site read: the place and source they name, the
    reporters their bylines credit (names already printed in the seeds only), their dates."""

    place: str = ""
    source: str | None = None
    reporters: list[str] = Field(default_factory=list)
    newest: datetime | None = None
    articles_per_day: int | None = Field(default=None, ge=1)
    max_stories: int = Field(default=1, ge=1, le=4)
    lead: str = "{lead}"
    lead_every: int = Field(default=1, ge=1)
    names_max: int = Field(default=1, ge=1)
    closing_byline: str | None = None
    layout_breaks: bool = False
    mirror_of: str | None = None


class StoryData(_Strict):
    title: str
    lines: list[str] = Field(min_length=1)
    kicker: str | None = None


class ArticleData(_Strict):
    """A hand-written article of the content list (a seed page, usually)."""

    number: int = Field(ge=0)
    published_at: datetime
    stories: list[StoryData] = Field(min_length=1)
    authors: list[str] = Field(default_factory=list)
    source: str | None = None
    seed: str | None = None
    related: list[tuple[str, date]] = Field(default_factory=list)


class SecondEdition(_Strict):
    """`[second_edition]` of `content.toml`: what changes when the replica serves its second
    edition (`Replica.edition = 2`, `govnews demo-sites --edition 2`), by article number: the
    `corrected` articles end with the `correction` paragraph and are modified a day after
    publication; the `withdrawn` ones answer `withdrawn_status` (still linked from the lists)."""

    corrected: list[int] = Field(default_factory=list)
    correction: str = Field(default="", max_length=500)
    withdrawn: list[int] = Field(default_factory=list)
    withdrawn_status: Literal[404, 410] = 410

    @model_validator(mode="after")
    def _needs_text(self) -> SecondEdition:
        if self.corrected and not self.correction.strip():
            raise ValueError("corrected articles need a correction paragraph")
        if set(self.corrected) & set(self.withdrawn):
            raise ValueError("an article is either corrected or withdrawn")
        return self


class Content(_Strict):
    """`content.toml`: the articles a replica serves."""

    generated: Generated = Field(default_factory=Generated)
    article: list[ArticleData] = Field(default_factory=list)
    second_edition: SecondEdition = Field(default_factory=SecondEdition)


class Serving(_Strict):
    """`replica.toml`: how the replica serves the site."""

    host: str
    scheme: Literal["http", "https"] = "http"
    name: str
    encoding: str = "utf-8"
    meta_charset: str | None = None
    header_charset: str | None = None
    title_suffix: str = ""
    article_path: str
    id_base: int = Field(default=0, ge=0)
    article_dir: str
    preview_path: str
    home: str | None = None
    lists: Lists | None = None
    edition: Edition | None = None

    @model_validator(mode="after")
    def _one_layout(self) -> Serving:
        if (self.lists is None) == (self.edition is None):
            raise ValueError("give exactly one of [lists] (news site) and [edition] (e-paper)")
        return self


class ReplicaSite:
    """A replica site: its serving rules, content list and templates, from its folder."""

    def __init__(self, name: str, folder: Path) -> None:
        self.name = name
        self.folder = folder
        self.serving = _load(folder / "replica.toml", Serving)
        self.content = _load(folder / "content.toml", Content)
        self.environment = jinja2.Environment(
            loader=jinja2.FileSystemLoader(folder), autoescape=True,
            undefined=jinja2.StrictUndefined, keep_trailing_newline=True,
        )

    @property
    def host(self) -> str:
        return self.serving.host

    @property
    def encoding(self) -> str:
        return self.serving.encoding

    @property
    def layout(self) -> Literal["news", "epaper"]:
        return "epaper" if self.serving.edition is not None else "news"

    @cached_property
    def nodes(self) -> list[Node]:
        return self.serving.edition.nodes if self.serving.edition else []

    def template(self, name: str) -> jinja2.Template:
        try:
            return self.environment.get_template(name)
        except jinja2.TemplateNotFound:
            raise ReplicaError(f"{self.folder}/{name}: no such template") from None
        except jinja2.TemplateSyntaxError as error:
            raise ReplicaError(f"{self.folder}/{name}: line {error.lineno}: {error.message}"
                               ) from None


def _load(path: Path, model: type[Any]) -> Any:
    label = f"{path.parent.parent.name}/{path.parent.name}/{path.name}"
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise ReplicaError(f"{label}: cannot read: {error.strerror or error}") from None
    except tomllib.TOMLDecodeError as error:
        raise ReplicaError(f"{label}: not valid TOML: {error}") from None
    try:
        return model.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "(file)"
        raise ReplicaError(f"{label}: field '{where}': "
                           f"{first['msg'].removeprefix('Value error, ')}") from None


def has_replica(seeds: Path | str, name: str) -> bool:
    """Whether site `name` under `seeds` has a replica folder."""
    return (Path(seeds) / name / REPLICA_DIR / "replica.toml").is_file()


def load_replicas(seeds: Path | str, names: list[str] | None = None) -> dict[str, ReplicaSite]:
    """The replica sites under `seeds` (those among `names` when given), in name order."""
    root = Path(seeds)
    found = sorted(path.parent.parent.name for path in root.glob(f"*/{REPLICA_DIR}/replica.toml"))
    wanted = [name for name in found if names is None or name in names]
    return {name: ReplicaSite(name, root / name / REPLICA_DIR) for name in wanted}
