"""Work pools: one `crawl-site` deployment per site on a Prefect work pool of process type.

`govnews deploy --pool NAME` registers the deployments with the Prefect server and returns;
`prefect worker start --pool NAME` on each machine then runs whatever is due. Each deployment
runs on its site's cron (China time) and has a concurrency limit of 1 (further runs wait), so
two machines never crawl the same site at once.

A worker (or its machine) that dies mid-run cannot report its flow run's end, so Prefect itself
marks the run Crashed: the deployments' runs send a heartbeat every `HEARTBEAT_SECONDS`
(`PREFECT_FLOWS_HEARTBEAT_FREQUENCY` in their environment), and deploy creates, or brings up
to date, one automation (`CRASH_AUTOMATION`) that moves a govnews run whose heartbeats stopped
for `HEARTBEAT_MISSES` beats to Crashed. That frees the site's concurrency slot; the next run
(a retry, the next scheduled one) crawls the site again, and the journal and the index keep
every record exactly once.

What the machines share: the output root (a mounted directory: records, raw capture, fetch
logs and the runs' journals all go there) and a PostgreSQL index. Each machine needs the
project checked out at the same path as the machine that deployed it (the deployments load the
flow from that directory), and its own Prefect API setting.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path
from typing import Any, cast
from uuid import UUID

from prefect.automations import AutomationCore
from prefect.client.schemas.objects import (
    ConcurrencyLimitConfig,
    ConcurrencyLimitStrategy,
    StateType,
)
from prefect.events.actions import ChangeFlowRunState
from prefect.events.schemas.automations import EventTrigger, Posture
from prefect.events.schemas.events import ResourceSpecification
from prefect.flows import Flow
from prefect.schedules import Cron

from crawler.sites import SEEDS_DIR
from flows.common import FlowArgumentError, Output
from flows.crawl import resolve_sites
from flows.serve import SCHEDULE_TIMEZONE

PROJECT_ROOT = Path(__file__).resolve().parent.parent
ENTRYPOINT = "flows/crawl.py:crawl_site"
POOL_TYPE = "process"
FLOW_RETRIES = 2
"""A failed crawl of a site is tried again this many times."""
TAG = "govnews"
HEARTBEAT_SECONDS = 60
"""Seconds between two heartbeats of a deployed run (Prefect allows 30 and more)."""
HEARTBEAT_MISSES = 3
"""Heartbeats missed in a row after which the run is marked Crashed."""
CRASH_AUTOMATION = "govnews: crash runs without heartbeat"


def deployment_parameters(site: str, *, out: str, index: str | None, gzip: bool,
                          seeds: str) -> dict[str, Any]:
    return {"site": site, "out": out, "index": index, "gzip": gzip, "seeds": seeds}


def deploy_sites(pool: str, sites: list[str] | None = None, *, out: str,
                 index: str | None = None, gzip: bool = False, seeds: str = str(SEEDS_DIR),
                 source: Path = PROJECT_ROOT, heartbeat_seconds: int = HEARTBEAT_SECONDS,
                 extra: Mapping[str, Any] | None = None) -> dict[str, UUID]:
    """Create or update one deployment per site on the work pool `pool`; their ids by site.
    The work pool is created (process type) when it does not exist, and the automation that
    marks runs without heartbeat Crashed is created or updated. `extra`: more `crawl_site`
    parameters for every deployment (a proxy, `loopback` for the local replica sites)."""
    Output(out, index, gzip).validate()
    configs = resolve_sites(sites, seeds)
    ensure_process_pool(pool)
    ensure_crash_automation(heartbeat_seconds)
    crawl = cast(Flow[..., Any], Flow.from_source(source=str(source), entrypoint=ENTRYPOINT))
    crawl = crawl.with_options(retries=FLOW_RETRIES, retry_delay_seconds=10)
    ids: dict[str, UUID] = {}
    for name, site in configs.items():
        ids[name] = cast(UUID, crawl.deploy(
            name=name,
            work_pool_name=pool,
            schedules=[Cron(site.schedule, timezone=SCHEDULE_TIMEZONE)],
            concurrency_limit=ConcurrencyLimitConfig(
                limit=1, collision_strategy=ConcurrencyLimitStrategy.ENQUEUE),
            parameters={**deployment_parameters(name, out=out, index=index, gzip=gzip,
                                                seeds=seeds), **(extra or {})},
            tags=[TAG, f"site:{name}"],
            job_variables={"env": {"PREFECT_FLOWS_HEARTBEAT_FREQUENCY": str(heartbeat_seconds)}},
            description=f"Crawl {site.title} ({', '.join(site.allowed_domains)}) into {out}",
            build=False, push=False, print_next_steps=False,
        ))
    return ids


def crash_automation(heartbeat_seconds: int) -> AutomationCore:
    """The automation that marks a govnews flow run Crashed once `HEARTBEAT_MISSES` heartbeats
    in a row did not come (and no final state did either)."""
    return AutomationCore(
        name=CRASH_AUTOMATION,
        description="A govnews crawl whose worker died sends no heartbeat: mark it Crashed, "
                    "so that its site's concurrency slot is freed and the site crawled again.",
        trigger=EventTrigger(
            after={"prefect.flow-run.heartbeat"},
            expect={"prefect.flow-run.heartbeat", "prefect.flow-run.Completed",
                    "prefect.flow-run.Failed", "prefect.flow-run.Cancelled",
                    "prefect.flow-run.Crashed"},
            match=ResourceSpecification({"prefect.resource.id": ["prefect.flow-run.*"]}),
            match_related=ResourceSpecification({"prefect.resource.role": "tag",
                                                 "prefect.resource.id": f"prefect.tag.{TAG}"}),
            for_each={"prefect.resource.id"},
            posture=Posture.Proactive,
            threshold=1,
            within=timedelta(seconds=heartbeat_seconds * HEARTBEAT_MISSES),
        ),
        actions=[ChangeFlowRunState(
            name="Crashed", state=StateType.CRASHED, force=False,
            message=f"no heartbeat for {heartbeat_seconds * HEARTBEAT_MISSES} s: "
                    "its worker or machine died")],
    )


def ensure_crash_automation(heartbeat_seconds: int = HEARTBEAT_SECONDS) -> UUID:
    """Create the crash automation, or bring the one of that name up to date; its id."""
    from prefect.client.orchestration import get_client

    wanted = crash_automation(heartbeat_seconds)
    with get_client(sync_client=True) as client:
        existing = client.read_automations_by_name(CRASH_AUTOMATION)
        if not existing:
            return client.create_automation(wanted)
        client.update_automation(existing[0].id, wanted)
        for duplicate in existing[1:]:  # two deploys raced: one automation is enough
            client.delete_automation(duplicate.id)
        return existing[0].id


def ensure_process_pool(pool: str) -> None:
    """Create the work pool as a process pool unless it exists; an error if it exists with
    another type."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.actions import WorkPoolCreate
    from prefect.exceptions import ObjectNotFound

    with get_client(sync_client=True) as client:
        try:
            existing = client.read_work_pool(pool)
        except ObjectNotFound:
            client.create_work_pool(WorkPoolCreate(name=pool, type=POOL_TYPE))
            return
    if existing.type != POOL_TYPE:
        raise FlowArgumentError(f"work pool {pool!r} is of type {existing.type!r}, "
                                f"not {POOL_TYPE!r}")


def add_deploy_arguments(parser: argparse.ArgumentParser) -> None:
    from flows.commands import _output_arguments

    parser.add_argument("sites", nargs="*", metavar="SITE",
                        help="sites to deploy (default: every site in seeds/)")
    parser.add_argument("--pool", required=True,
                        help="Prefect work pool (process type; created when missing)")
    _output_arguments(parser)


def run_deploy(args: argparse.Namespace) -> int:
    """Create one deployment per site on the work pool and say how to start workers."""
    from flows.commands import _absolute, _quiet_prefect

    _quiet_prefect()
    if not os.environ.get("PREFECT_API_URL"):
        print("govnews deploy: PREFECT_API_URL is not set: start `prefect server start` and "
              "point every machine at it", file=sys.stderr)
        return 2
    try:
        ids = deploy_sites(args.pool, args.sites, out=_absolute(args.out), index=args.index,
                           gzip=args.gzip)
    except FlowArgumentError as error:
        print(f"govnews deploy: {error}", file=sys.stderr)
        return 2
    for name, deployment_id in ids.items():
        print(f"crawl-site/{name}  {deployment_id}")
    print(f"start workers on each machine: prefect worker start --pool {args.pool}")
    return 0
