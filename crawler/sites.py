"""The site registry: one folder `seeds/<site>/` per site, its `site.toml` validated by `Site`.

A site is data: `site.toml` (what the crawler needs), `replica/` (the local replica's pages and
content, `crawler/replica/`) and `golden/` (saved pages with their expected records).
`load_sites(dir)` reads every `<site>/site.toml` of a directory into a dict keyed by the folder
name; a bad file raises `SiteConfigError` naming the file and the field, for example
`seeds/x/site.toml: field 'politeness.delay': Input should be greater than or equal to 0`.

The registry is `seeds/` beside the packages (installed with them, so a non-editable install
finds it too), or the directory named by `GOVNEWS_SEEDS`; every command that reads sites also
takes `--seeds DIR`.
"""

from __future__ import annotations

import codecs
import os
import re
import tomllib
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

from cronsim import CronSim, CronSimError
from cssselect import SelectorError
from lxml import etree
from lxml.cssselect import CSSSelector
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    ValidationError,
    field_validator,
    model_validator,
)

from crawler.extract.rules import ExtractRules
from storage.health import Thresholds
from storage.jsonl import SITE_NAME_PATTERN

SITE_FILE = "site.toml"
SEEDS_DIR = Path(
    os.environ.get("GOVNEWS_SEEDS") or Path(__file__).resolve().parent.parent / "seeds"
)

CRON_NICKNAMES: dict[str, str] = {
    "@yearly": "0 0 1 1 *", "@annually": "0 0 1 1 *", "@monthly": "0 0 1 * *",
    "@weekly": "0 0 * * 0", "@daily": "0 0 * * *", "@midnight": "0 0 * * *",
    "@hourly": "0 * * * *",
}
"""The cron nicknames (crontab(5)) as the 5-field expressions they stand for."""
_EDITION_PLACEHOLDERS = ("{yyyy}", "{mm}", "{dd}")


class SiteConfigError(ValueError):
    """A site file that cannot be read or does not match the schema."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _check_regex(value: str) -> str:
    try:
        re.compile(value)
    except re.error as error:
        raise ValueError(f"not a regular expression: {error}") from error
    return value


_XPATH_FUNCTIONS = frozenset({
    "last", "position", "count", "id", "local-name", "namespace-uri", "name", "string",
    "concat", "starts-with", "contains", "substring-before", "substring-after", "substring",
    "string-length", "normalize-space", "translate", "boolean", "not", "true", "false", "lang",
    "number", "sum", "floor", "ceiling", "round",
    "node", "text", "comment", "processing-instruction",
})
"""XPath 1.0's functions and node tests: all that lxml evaluates without extensions."""
_XPATH_CALL = re.compile(r"([A-Za-z_][\w.-]*(?::[A-Za-z_][\w.-]*)?)\s*\(")
_XPATH_STRING = re.compile(r"\"[^\"]*\"|'[^']*'")


def _check_xpath(value: str | None) -> str | None:
    """Compile an XPath, evaluate it on an empty page and look up every function it calls:
    an unknown function (`//ul[foo(@class)]`) fails here, not inside the crawl."""
    if value is None:
        return value
    try:
        etree.XPath(value)(etree.fromstring("<html><body/></html>"))
    except etree.XPathSyntaxError as error:
        raise ValueError(f"not an XPath expression: {error}") from error
    except etree.XPathError as error:
        raise ValueError(f"XPath cannot be evaluated: {error}") from error
    unknown = sorted({call for call in _XPATH_CALL.findall(_XPATH_STRING.sub("''", value))
                      if call not in _XPATH_FUNCTIONS})
    if unknown:
        raise ValueError(f"XPath calls unknown function {', '.join(unknown)}()")
    return value


def _check_css(value: str | None) -> str | None:
    if value is not None:
        try:
            CSSSelector(value)
        except (SelectorError, etree.XPathSyntaxError) as error:
            raise ValueError(f"not a CSS selector: {error}") from error
    return value


def validate_cron(expression: str) -> str:
    """Check a cron schedule (5 fields, or a nickname such as `@daily`); return it unchanged.

    cronsim parses it and finds its first firing: an expression that never fires
    (`0 8 31 2 *`) or names a value out of range (`0 18-6 * * *`) is rejected. Prefect reads
    the same expressions (`tests/test_sites.py` checks that it accepts every one we accept)."""
    fields = CRON_NICKNAMES.get(expression.strip().lower(), expression)
    try:
        next(CronSim(fields, datetime(2024, 1, 1)))
    except (CronSimError, StopIteration) as error:
        raise ValueError(f"cron {expression!r} (minute hour day month weekday) is invalid or "
                         f"never fires: {error or 'no firing time'}") from None
    return expression


class Links(_Strict):
    """Which links on a list page are list pages (pagination) and which are articles.

    A link qualifies when its URL matches one of the regexes; an XPath narrows where on the page
    links are taken from. `next_page_xpath`, when set, picks the single "next page" link so the
    crawl can stop paginating once a page holds nothing new."""

    list_url: list[str] = Field(default_factory=list)
    list_xpath: str | None = None
    next_page_xpath: str | None = None
    article_url: list[str] = Field(min_length=1)
    article_xpath: str | None = None

    @field_validator("list_url", "article_url")
    @classmethod
    def _regexes(cls, value: list[str]) -> list[str]:
        return [_check_regex(item) for item in value]

    @field_validator("list_xpath", "next_page_xpath", "article_xpath")
    @classmethod
    def _xpaths(cls, value: str | None) -> str | None:
        return _check_xpath(value)


class Epaper(_Strict):
    """E-paper editions: the URL of an edition's first layout page for a date, and how far back
    the crawl goes from the newest edition when no `since` is given."""

    edition_url: str
    days_back: int = Field(default=7, ge=1, le=366)

    @field_validator("edition_url")
    @classmethod
    def _template(cls, value: str) -> str:
        if not all(placeholder in value for placeholder in _EDITION_PLACEHOLDERS):
            raise ValueError("needs the placeholders {yyyy}, {mm} and {dd}")
        return value

    def url_for(self, day: date) -> str:
        """The first layout page of the edition of `day`."""
        return (self.edition_url.replace("{yyyy}", f"{day.year:04d}")
                .replace("{mm}", f"{day.month:02d}").replace("{dd}", f"{day.day:02d}"))

    def date_of(self, url: str) -> date | None:
        """The edition date in a URL built from this template (any layout page), or None."""
        path = urlsplit(self.edition_url).path
        directory = path.rsplit("/", 1)[0]
        pattern = re.escape(directory)
        for placeholder, group in (("{yyyy}", r"(?P<y>\d{4})"), ("{mm}", r"(?P<m>\d{2})"),
                                   ("{dd}", r"(?P<d>\d{2})")):
            pattern = pattern.replace(re.escape(placeholder), group)
        match = re.search(pattern + "/", urlsplit(url).path)
        if match is None:
            return None
        try:
            return date(int(match["y"]), int(match["m"]), int(match["d"]))
        except ValueError:
            return None

    def editions(self, newest: date, since: date | None) -> list[date]:
        """Edition dates from `newest` back to `since` (or `days_back` days), newest first."""
        oldest = since if since is not None else newest - timedelta(days=self.days_back - 1)
        count = (newest - oldest).days + 1
        return [newest - timedelta(days=offset) for offset in range(max(count, 0))]


class Extract(_Strict):
    """Extraction overrides handed to `crawler.extract` as `ExtractRules`."""

    content_xpath: str | None = None
    content_css: str | None = None
    remove_xpaths: list[str] = Field(default_factory=list)
    title_xpath: str | None = None
    date_xpath: str | None = None
    author_xpath: str | None = None
    source_xpath: str | None = None
    title_suffixes: list[str] = Field(default_factory=list)
    rejoin_lines: StrictBool = False

    @field_validator("content_xpath", "title_xpath", "date_xpath", "author_xpath",
                     "source_xpath")
    @classmethod
    def _xpaths(cls, value: str | None) -> str | None:
        return _check_xpath(value)

    @field_validator("remove_xpaths")
    @classmethod
    def _remove_xpaths(cls, value: list[str]) -> list[str]:
        return [_check_xpath(item) or item for item in value]

    @field_validator("content_css")
    @classmethod
    def _css(cls, value: str | None) -> str | None:
        return _check_css(value)


class Politeness(_Strict):
    """Seconds between requests to one domain, and parallel requests per domain."""

    delay: float = Field(default=1.0, ge=0, le=600)
    concurrency: int = Field(default=1, ge=1, le=16)


class Limits(_Strict):
    """Crawl bounds: list (or layout) pages per run, link depth, and the oldest date wanted."""

    max_pages: int = Field(default=20, ge=1)
    max_depth: int = Field(default=10, ge=1)
    since: date | None = None

    @field_validator("since", mode="before")
    @classmethod
    def _day(cls, value: Any) -> Any:
        return value.date() if isinstance(value, datetime) else value


class Refetch(_Strict):
    """Which stored articles a run fetches again, to catch corrections and deletions: those
    published (first seen, when the date is unknown) in the last `days` days, on every
    `every`-th run of the site (counted over its committed runs). `days = 0` never refetches.
    A refetch is a conditional request when the site gave `ETag` or `Last-Modified`."""

    days: int = Field(default=7, ge=0, le=3660)
    every: int = Field(default=3, ge=1, le=1000)

    def due(self, runs_before: int) -> bool:
        """Whether the run after `runs_before` committed runs of the site refetches."""
        return self.days > 0 and (runs_before + 1) % self.every == 0


class Site(_Strict):
    """One site of the registry, as written in `seeds/<name>/site.toml`."""

    name: str = Field(pattern=SITE_NAME_PATTERN)
    title: str = Field(min_length=1)
    allowed_domains: list[str] = Field(min_length=1)
    start_urls: list[str] = Field(min_length=1)
    layout: Literal["news", "epaper"] = "news"
    encoding: str | None = None
    schedule: str = "0 6 * * *"
    links: Links
    epaper: Epaper | None = None
    extract: Extract = Field(default_factory=Extract)
    politeness: Politeness = Field(default_factory=Politeness)
    limits: Limits = Field(default_factory=Limits)
    health: Thresholds = Field(default_factory=Thresholds)
    refetch: Refetch = Field(default_factory=Refetch)

    @field_validator("schedule")
    @classmethod
    def _cron(cls, value: str) -> str:
        return validate_cron(value)

    @field_validator("allowed_domains")
    @classmethod
    def _domains(cls, value: list[str]) -> list[str]:
        for domain in value:
            if "/" in domain or ":" in domain or not domain or domain != domain.lower():
                raise ValueError(f"{domain!r} is not a lower-case host name")
        return value

    @field_validator("start_urls")
    @classmethod
    def _urls(cls, value: list[str]) -> list[str]:
        for url in value:
            if urlsplit(url).scheme not in ("http", "https") or not urlsplit(url).hostname:
                raise ValueError(f"{url!r} is not an http(s) URL")
        return value

    @field_validator("encoding")
    @classmethod
    def _encoding(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                codecs.lookup(value)
            except LookupError as error:
                raise ValueError(f"unknown encoding {value!r}") from error
        return value

    @model_validator(mode="after")
    def _consistent(self) -> Site:
        if self.layout == "epaper" and self.epaper is None:
            raise ValueError("layout 'epaper' needs an [epaper] table with edition_url")
        for url in [*self.start_urls, *([self.epaper.edition_url] if self.epaper else [])]:
            if not self.allows(url):
                raise ValueError(f"{url!r} is outside allowed_domains")
        return self

    def allows(self, url: str) -> bool:
        """Whether a URL's host is one of the allowed domains or a subdomain of one."""
        host = (urlsplit(url).hostname or "").lower()
        return any(host == domain or host.endswith("." + domain)
                   for domain in self.allowed_domains)

    def extract_rules(self) -> ExtractRules:
        """This site's extraction overrides for `crawler.extract.extract_page`."""
        rules = self.extract
        return ExtractRules(
            content_xpath=rules.content_xpath,
            content_css=rules.content_css,
            remove_xpaths=tuple(rules.remove_xpaths),
            title_xpath=rules.title_xpath,
            date_xpath=rules.date_xpath,
            author_xpath=rules.author_xpath,
            source_xpath=rules.source_xpath,
            encoding=self.encoding,
            title_suffixes=tuple(rules.title_suffixes),
            rejoin_lines=rules.rejoin_lines,
        )


def _field_path(location: tuple[int | str, ...]) -> str:
    return ".".join(str(part) for part in location) or "(file)"


def site_name(path: Path) -> str:
    """A site's name: its folder's name (`seeds/zzwb/site.toml` → `zzwb`), or the file stem of
    a loose `<name>.toml`."""
    return path.parent.name if path.name == SITE_FILE else path.stem


def load_site(path: Path | str) -> Site:
    """Read and validate one site file; its name is its folder's name."""
    path = Path(path)
    label = _label(path)
    name = site_name(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise SiteConfigError(f"{label}: cannot read: {error.strerror or error}") from None
    except tomllib.TOMLDecodeError as error:
        raise SiteConfigError(f"{label}: not valid TOML: {error}") from None
    except UnicodeDecodeError:
        raise SiteConfigError(f"{label}: not UTF-8 text") from None
    if "name" in data and data["name"] != name:
        raise SiteConfigError(
            f"{label}: field 'name': {data['name']!r} differs from the folder name {name!r}"
        )
    data["name"] = name
    try:
        return Site.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        message = first["msg"].removeprefix("Value error, ")
        raise SiteConfigError(
            f"{label}: field '{_field_path(first['loc'])}': {message}"
        ) from None


def _label(path: Path) -> str:
    """A short name for messages: `seeds/x/site.toml` (two parent folders and the file)."""
    parts = path.parts[-3:] if path.name == SITE_FILE else path.parts[-2:]
    return "/".join(parts)


def site_files(directory: Path | str = SEEDS_DIR) -> list[Path]:
    """The `<site>/site.toml` files of a registry directory, in name order."""
    directory = Path(directory)
    if not directory.is_dir():
        raise SiteConfigError(f"{directory}: no such directory of site folders")
    return sorted(directory.glob(f"*/{SITE_FILE}"))


def load_sites(directory: Path | str = SEEDS_DIR) -> dict[str, Site]:
    """Every site of a registry directory (one folder per site), keyed by name, in name order."""
    return {site_name(path): load_site(path) for path in site_files(directory)}


def select_sites(names: list[str], directory: Path | str = SEEDS_DIR) -> dict[str, Site]:
    """The named sites (every site when `names` is empty), in the order given.

    A bad registry or an unknown name raises `SiteConfigError` listing the known names."""
    sites = load_sites(directory)
    if not names:
        return sites
    unknown = [name for name in names if name not in sites]
    if unknown:
        known = ", ".join(sites) or "none"
        raise SiteConfigError(f"unknown site {', '.join(map(repr, unknown))} (known: {known})")
    return {name: sites[name] for name in names}
