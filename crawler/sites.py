"""The site registry: one `seeds/<site>.toml` file per site, validated by the `Site` schema.

A site is data. `load_sites(dir)` reads every TOML file in a directory into a dict keyed by the
file stem; a bad file raises `SiteConfigError` naming the file and the field, for example
`seeds/x.toml: field 'politeness.delay': Input should be greater than or equal to 0`.
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

from cssselect import SelectorError
from lxml import etree
from lxml.cssselect import CSSSelector
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from crawler.extract import ExtractRules
from storage.health import Thresholds
from storage.jsonl import SITE_NAME_PATTERN

SEEDS_DIR = Path(
    os.environ.get("GOVNEWS_SEEDS_DIR") or Path(__file__).resolve().parent.parent / "seeds"
)

_CRON_FIELDS = (
    ("minute", 0, 59), ("hour", 0, 23), ("day of month", 1, 31), ("month", 1, 12),
    ("day of week", 0, 7),
)
_CRON_NAMES = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
    "oct": 10, "nov": 11, "dec": 12, "sun": 0, "mon": 1, "tue": 2, "wed": 3, "thu": 4, "fri": 5,
    "sat": 6,
}
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


def _cron_value(token: str, low: int, high: int) -> int:
    number = _CRON_NAMES.get(token.lower()) if not token.isdigit() else int(token)
    if number is None or not low <= number <= high:
        raise ValueError(f"{token!r} is outside {low}-{high}")
    return number


def validate_cron(expression: str) -> str:
    """Check a 5-field cron expression (minute hour day month weekday); return it unchanged."""
    fields = expression.split()
    if len(fields) != 5:
        raise ValueError(f"cron needs 5 fields (minute hour day month weekday), got {len(fields)}")
    for text, (name, low, high) in zip(fields, _CRON_FIELDS, strict=True):
        for part in text.split(","):
            spec, _, step = part.partition("/")
            if step and (not step.isdigit() or int(step) == 0):
                raise ValueError(f"{name}: bad step in {part!r}")
            if spec == "*":
                continue
            start, _, end = spec.partition("-")
            try:
                first = _cron_value(start, low, high)
                if end and _cron_value(end, low, high) < first:
                    raise ValueError(f"range {spec!r} runs backwards")
            except ValueError as error:
                raise ValueError(f"{name}: {error}") from None
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


class Site(_Strict):
    """One site of the registry, as written in `seeds/<name>.toml`."""

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
        )


def _field_path(location: tuple[int | str, ...]) -> str:
    return ".".join(str(part) for part in location) or "(file)"


def load_site(path: Path | str) -> Site:
    """Read and validate one site file; its name is the file stem."""
    path = Path(path)
    label = _label(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise SiteConfigError(f"{label}: cannot read: {error.strerror or error}") from None
    except tomllib.TOMLDecodeError as error:
        raise SiteConfigError(f"{label}: not valid TOML: {error}") from None
    except UnicodeDecodeError:
        raise SiteConfigError(f"{label}: not UTF-8 text") from None
    if "name" in data and data["name"] != path.stem:
        raise SiteConfigError(
            f"{label}: field 'name': {data['name']!r} differs from the file name {path.stem!r}"
        )
    data["name"] = path.stem
    try:
        return Site.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        message = first["msg"].removeprefix("Value error, ")
        raise SiteConfigError(
            f"{label}: field '{_field_path(first['loc'])}': {message}"
        ) from None


def _label(path: Path) -> str:
    """A short name for messages: `seeds/x.toml` (parent folder and file)."""
    return f"{path.parent.name}/{path.name}" if path.parent.name else path.name


def load_sites(directory: Path | str = SEEDS_DIR) -> dict[str, Site]:
    """Every site in a directory of `<site>.toml` files, keyed by name, in name order."""
    directory = Path(directory)
    if not directory.is_dir():
        raise SiteConfigError(f"{directory}: no such directory of site files")
    return {path.stem: load_site(path) for path in sorted(directory.glob("*.toml"))}


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
