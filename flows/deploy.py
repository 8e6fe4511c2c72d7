"""``matrixpub deploy --pool NAME``: register matrixpub's deployments to a Prefect process
work pool, so that ``prefect worker start --pool NAME`` processes on any machine that
shares the database and the site folder run them.

The deployments are the ones ``matrixpub serve`` runs (``flows.serve.SCHEDULES``), with
the same names, so commands hand their flows over the same way. Their entrypoints are
module paths (``flows.dispatch.dispatch``): a worker imports them from the matrixpub
installed beside it, wherever it runs; nothing is copied or pulled. What a flow run
connects to (``MATRIXPUB_DATABASE_URL``, ``MATRIXPUB_HOME``, ``MATRIXPUB_SITE_DIR``) is
the worker's own environment, which its flow runs inherit, so no credential is stored
in Prefect's database.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any

from domain.errors import InvalidInput, MatrixpubError
from domain.settings import Settings
from flows.runtime import configure

POOL_TYPE = "process"
_POOL_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}")


class DeployError(MatrixpubError):
    """The Prefect server cannot be reached, or refused what was asked."""


@dataclass(frozen=True)
class Registered:
    name: str  # "dispatch/every-minute"
    id: str
    schedule: str  # "every 60 s" or "cron 0 6 * * * (Asia/Shanghai)"


def check_pool_name(pool: str) -> str:
    if not _POOL_NAME.fullmatch(pool):
        raise InvalidInput(
            "work pool name {pool!r} must be 1-100 letters, digits, '.', '_' or '-', "
            "starting with a letter or a digit",
            pool=pool,
        )
    if pool.lower().startswith("prefect"):
        raise InvalidInput(
            "work pool names starting with 'prefect' are Prefect's own: {pool!r}", pool=pool
        )
    return pool


def _health(api_url: str) -> None:
    """A clear error unless a Prefect server answers at ``api_url``."""
    if not api_url.startswith(("http://", "https://")):
        raise InvalidInput(
            "PREFECT_API_URL must be an http:// or https:// address: {api_url!r}", api_url=api_url
        )
    url = f"{api_url.rstrip('/')}/health"
    try:
        with urllib.request.urlopen(url, timeout=10) as answer:
            body = answer.read()
    except urllib.error.HTTPError as exc:
        raise DeployError(
            "{url} answered HTTP {code}: is PREFECT_API_URL a Prefect server's API (ending in "
            "/api)?",
            url=url,
            code=exc.code,
        ) from None
    except (OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        said = getattr(reason, "strerror", None) or str(reason)
        raise DeployError(
            "no Prefect server answers at {api_url} ({said})", api_url=api_url, said=said
        ) from None
    try:
        healthy = json.loads(body) is True
    except ValueError:
        healthy = False
    if not healthy:
        raise DeployError(
            "{url} did not answer like a Prefect server: is PREFECT_API_URL a Prefect server's "
            "API (ending in /api)?",
            url=url,
        )


def _schedule_text(deployment: Any) -> str:
    described = []
    for item in deployment.schedules or []:
        schedule = getattr(item, "schedule", item)
        interval = getattr(schedule, "interval", None)
        cron = getattr(schedule, "cron", None)
        if interval is not None:
            described.append(f"every {int(interval.total_seconds())} s")
        elif cron is not None:
            described.append(f"cron {cron} ({schedule.timezone})")
    return ", ".join(described)


def _ensure_pool(client: Any, pool: str) -> bool:
    """The process work pool ``pool``, created when missing; True when created here."""
    from prefect.client.schemas.actions import WorkPoolCreate
    from prefect.exceptions import ObjectAlreadyExists, ObjectNotFound
    from prefect.workers.process import ProcessWorker

    try:
        existing = client.read_work_pool(pool)
    except ObjectNotFound:
        pass
    else:
        if existing.type != POOL_TYPE:
            raise DeployError(
                "work pool {pool!r} is a {type!r} pool; matrixpub's flows run in a {POOL_TYPE!r} "
                "pool: choose another name",
                pool=pool,
                type=existing.type,
                POOL_TYPE=POOL_TYPE,
            )
        return False
    try:
        client.create_work_pool(
            WorkPoolCreate(
                name=pool,
                type=POOL_TYPE,
                description="matrixpub: dispatch, prepare, plan and the daily housekeeping",
                base_job_template=ProcessWorker.get_default_base_job_template(),
            )
        )
    except ObjectAlreadyExists:  # another deploy created it meanwhile
        return False
    return True


def deploy(settings: Settings, *, pool: str) -> dict[str, Any]:
    """Register the deployments to ``pool`` on the Prefect server at ``PREFECT_API_URL``.
    Running it again updates them (and moves deployments ``serve`` registered there)."""
    check_pool_name(pool)
    api_url = (os.environ.get("PREFECT_API_URL") or "").strip()
    if not api_url:
        raise DeployError(
            "matrixpub deploy needs a shared Prefect server: set PREFECT_API_URL to its API "
            "(for example http://prefect.internal:4200/api); `matrixpub serve` is the "
            "one-machine way"
        )
    _health(api_url)
    configure(settings)  # Prefect's settings (telemetry off, logs to files) before import
    from prefect import get_client
    from prefect.exceptions import PrefectHTTPStatusError

    from flows.serve import deployments

    built = deployments(settings.timezone)
    registered: list[Registered] = []
    try:
        with get_client(sync_client=True) as client:
            created = _ensure_pool(client, pool)
        for deployment in built:
            deployment_id = deployment.apply(work_pool_name=pool)  # type: ignore[attr-defined]
            registered.append(
                Registered(
                    name=f"{deployment.flow_name}/{deployment.name}",  # type: ignore[attr-defined]
                    id=str(deployment_id),
                    schedule=_schedule_text(deployment),
                )
            )
    except MatrixpubError:
        raise
    except PrefectHTTPStatusError as exc:
        detail = ""
        with contextlib.suppress(ValueError, AttributeError):
            detail = str(exc.response.json().get("detail") or "")
        if detail:
            raise DeployError(
                "the Prefect server refused: HTTP {status} {detail}",
                status=exc.response.status_code,
                detail=detail,
            ) from None
        raise DeployError(
            "the Prefect server refused: HTTP {status}", status=exc.response.status_code
        ) from None
    except Exception as exc:  # the server went away meanwhile, or refused a deployment
        message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise DeployError(
            "registering the deployments on {api_url} failed: {message_}",
            api_url=api_url,
            message_=message,
        ) from None
    return {
        "api_url": api_url,
        "pool": pool,
        "pool_type": POOL_TYPE,
        "pool_created": created,
        "deployments": [r.__dict__ for r in registered],
        "worker_command": f"prefect worker start --pool {pool}",
    }
