"""Scheduling: one Prefect deployment per site, on the cron schedule from its TOML file."""

from __future__ import annotations

from typing import cast

from prefect import serve
from prefect.deployments.runner import RunnerDeployment
from prefect.schedules import Cron

from crawler.sites import SEEDS_DIR
from flows.common import Output
from flows.crawl import crawl_site, resolve_sites

SCHEDULE_TIMEZONE = "Asia/Shanghai"


def site_deployments(
    sites: list[str] | None = None, *, out: str = "data", index: str | None = None,
    gzip: bool = False, seeds: str = str(SEEDS_DIR),
) -> list[RunnerDeployment]:
    """A `crawl-site` deployment per site, named `<site>`, scheduled by the site's `schedule`
    (cron in China Standard Time, when the sites publish)."""
    Output(out, index, gzip).validate()
    deployments = []
    for name, site in resolve_sites(sites, seeds).items():
        parameters = {"site": name, "out": out, "index": index, "gzip": gzip, "seeds": seeds}
        deployments.append(cast(RunnerDeployment, crawl_site.to_deployment(
            name=name,
            schedules=[Cron(site.schedule, timezone=SCHEDULE_TIMEZONE)],
            parameters=parameters,
            tags=["govnews", f"site:{name}"],
            description=f"Crawl {site.title} ({', '.join(site.allowed_domains)}) into {out}",
        )))
    return deployments


def serve_sites(deployments: list[RunnerDeployment], *, limit: int | None = None) -> None:
    """Serve the deployments until interrupted (runs execute in subprocesses of this one)."""
    serve(*deployments, limit=limit)
