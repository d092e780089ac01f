"""Health of a site in a run, judged against the site's own recent runs (pure functions).

A run can fetch nothing useful and still finish: every fetch failing (DNS, TLS, a 403 wall),
a template change that leaves the article selector matching nothing, a wall of anti-bot
challenges. `judge` reads what one run gave for one site (`Yield`) beside the site's earlier runs
(from their manifests) and returns `Flag`s; an `unhealthy` flag fails the run, a `warning` is
only reported. The flags:

- `all_fetches_failed`: pages were requested and none came back;
- `no_articles`: list pages came back, with no article link on any of them;
- `low_yield`: article links per list page far below the recent median;
- `high_reject_rate`: rejects per page far above the recent median;
- `anti_bot`: challenge pages (unhealthy when they are a large share of the fetches).

Article links count every link the lists pointed at, stored ones included, so an incremental
rerun that writes nothing new is as healthy as the first run. Thresholds come from the site's
TOML (`[health]`), with the defaults of `Thresholds`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from statistics import median
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from storage.manifest import Manifest

CHALLENGE = "anti-bot challenge"
"""How rejects name a challenge page (`fetch: anti-bot challenge (http 412)`)."""
UNHEALTHY: Literal["unhealthy"] = "unhealthy"
WARNING: Literal["warning"] = "warning"


class Thresholds(BaseModel):
    """When a site counts as unhealthy (the `[health]` table of its TOML)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    window: int = Field(default=10, ge=1, description="earlier runs the medians are taken over")
    min_history: int = Field(default=3, ge=1,
                             description="earlier runs needed before comparing with a median")
    yield_ratio: float = Field(default=0.5, gt=0, le=1,
                               description="links per list page below this share of the median")
    reject_ratio: float = Field(default=3.0, ge=1,
                                description="reject rate above this multiple of the median")
    reject_margin: float = Field(default=0.2, ge=0, le=1,
                                 description="and at least this much above it")
    challenge_share: float = Field(default=0.5, gt=0, le=1,
                                   description="share of challenged fetches that is unhealthy")


@dataclass(frozen=True)
class Flag:
    """One finding about a site in a run."""

    code: str
    severity: Literal["unhealthy", "warning"]
    message: str

    def to_dict(self) -> dict[str, str]:
        return asdict(self)


@dataclass(frozen=True)
class Yield:
    """What one run gave for one site, as health reads it."""

    lists: int
    links: int
    pages: int
    failures: Mapping[str, int]

    @property
    def rejects(self) -> int:
        return sum(self.failures.values())

    @property
    def fetch_failures(self) -> dict[str, int]:
        return {key: count for key, count in self.failures.items() if key.startswith("fetch: ")}

    @property
    def challenges(self) -> int:
        return sum(count for key, count in self.failures.items() if CHALLENGE in key)

    @property
    def links_per_list(self) -> float | None:
        return self.links / self.lists if self.lists else None

    @property
    def reject_rate(self) -> float:
        """Rejects per page the run tried (list pages and the articles they pointed at)."""
        return self.rejects / max(1, self.lists + self.links, self.pages)


def yield_of(stats: Mapping[str, Any]) -> Yield:
    """The `Yield` of a manifest's site entry (`SiteStats` as a dict)."""
    return Yield(lists=int(stats.get("lists_fetched", 0)),
                 links=int(stats.get("article_links", 0)),
                 pages=int(stats.get("pages_fetched", 0)),
                 failures=dict(stats.get("failures") or {}))


def site_history(manifests: Sequence[Manifest], site: str, window: int) -> list[Yield]:
    """The site's yields in the last `window` runs that crawled it, oldest first (a compaction
    crawled nothing: it is left out)."""
    yields = [yield_of(asdict(manifest.sites[site])) for manifest in manifests
              if site in manifest.sites and not manifest.replaced]
    return yields[-window:]


def _top(reasons: Mapping[str, int], count: int = 3) -> str:
    ranked = sorted(reasons.items(), key=lambda item: (-item[1], item[0]))[:count]
    return ", ".join(f"{reason.removeprefix('fetch: ')} ×{n}" for reason, n in ranked)


def judge(current: Yield, history: Sequence[Yield], thresholds: Thresholds) -> list[Flag]:
    """The flags of a site's run, given its earlier runs (oldest first)."""
    flags: list[Flag] = []
    failed = current.fetch_failures
    tried = current.pages + sum(failed.values())
    if current.challenges:
        # of the pages the run meant to fetch: a rerun tries few, but its lists name them all
        share = current.challenges / max(1, tried, current.lists + current.links)
        severity: Literal["unhealthy", "warning"] = \
            UNHEALTHY if share >= thresholds.challenge_share else WARNING
        flags.append(Flag("anti_bot", severity,
                          f"{current.challenges} of {tried} fetches answered with an anti-bot "
                          f"challenge page ({share:.0%} of the pages wanted; not answered: the "
                          "site needs a human look)"))
    if current.pages == 0:
        if failed:
            flags.insert(0, Flag("all_fetches_failed", UNHEALTHY,
                                 f"every fetch failed ({sum(failed.values())}): {_top(failed)}"))
        return flags
    comparable = [past for past in history if past.lists]
    had_links = [past.links / past.lists for past in comparable if past.links]
    if current.lists and not current.links:
        before = (f"; the last {len(had_links)} runs found {median(had_links):.1f} per page"
                  if had_links else "")
        flags.append(Flag("no_articles", UNHEALTHY,
                          f"no article link on {current.lists} list pages{before}: the list "
                          "template or the site's article selector may have changed"))
    elif current.links_per_list is not None and len(had_links) >= thresholds.min_history:
        usual = median(had_links)
        if current.links_per_list < thresholds.yield_ratio * usual:
            flags.append(Flag("low_yield", UNHEALTHY,
                              f"{current.links_per_list:.1f} article links per list page, "
                              f"recent median {usual:.1f}"))
    rates = [past.reject_rate for past in comparable]
    if len(rates) >= thresholds.min_history:
        usual = median(rates)
        limit = max(usual * thresholds.reject_ratio, usual + thresholds.reject_margin)
        if current.reject_rate > limit:
            flags.append(Flag("high_reject_rate", UNHEALTHY,
                              f"{current.reject_rate:.0%} of pages rejected, recent median "
                              f"{usual:.0%}: {_top(current.failures)}"))
    return flags


def is_healthy(flags: Sequence[Mapping[str, Any] | Flag]) -> bool:
    """Whether no flag says unhealthy."""
    return not any((flag.severity if isinstance(flag, Flag) else flag.get("severity"))
                   == UNHEALTHY for flag in flags)


def unhealthy_sites(manifest: Mapping[str, Any]) -> dict[str, list[str]]:
    """The unhealthy sites of a manifest (as a dict) with their unhealthy flag messages."""
    found: dict[str, list[str]] = {}
    for name, stats in manifest.get("sites", {}).items():
        messages = [flag["message"] for flag in stats.get("health") or []
                    if flag.get("severity") == UNHEALTHY]
        if messages:
            found[name] = messages
    return found
